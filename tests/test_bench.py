"""The benchmark's case generators and scenario loader (not timed: nothing here depends on speed)."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from conftest import POLICIES

from maatwerk import CaseError, Engine, parse_case
from maatwerk._bench.cases import DOMAINS, Domain, benefit_case, benefit_cases, recombined_cases, scenarios

MEASURES = {"boete", "waarschuwing", "geen_boete", "aangifte", "beslissing_nodig"}


@pytest.mark.parametrize("seed", [1, 2026])
def test_every_generated_benefit_case_is_valid(seed: int) -> None:
    """The seeded generator only makes cases the case model accepts (so the benchmark measures advice, not errors)."""
    problems = []
    for i, case in enumerate(benefit_cases(1500, seed=seed)):
        try:
            parse_case(case)
        except CaseError as err:
            problems.append((i, str(err)))
    assert [] == problems


def test_generated_cases_lead_to_every_measure(engine: Engine) -> None:
    """The generated cases reach every benefit measure, so the benchmark exercises every path of the advice."""
    kinds = {engine.advise(case).measure.kind for case in benefit_cases(600, seed=7)}
    assert MEASURES == kinds


def test_fineable_cases_pass_every_gate(engine: Engine) -> None:
    """``fineable=True`` gives cases that no gate stops and no referral takes over: a fine, a
    warning, or (when facts for the ability-to-pay cap are missing) a decision for a person."""
    rng = random.Random(5)
    kinds = {engine.advise(benefit_case(rng, fineable=True)).measure.kind for _ in range(300)}
    assert {"boete", "waarschuwing", "beslissing_nodig"} == kinds


def test_the_same_seed_gives_the_same_cases() -> None:
    """Generation is reproducible: the same seed gives the same list, another seed another list."""
    assert benefit_cases(50, seed=3) == benefit_cases(50, seed=3)
    assert benefit_cases(50, seed=3) != benefit_cases(50, seed=4)


def test_scenarios_are_the_bundled_scenario_files() -> None:
    """Every bundled scenario of the benefit domain is loaded, with its base case merged in."""
    files = [p for p in (POLICIES / "benefits").glob("**/scenarios/*.yaml") if not p.name.startswith("_")]
    loaded = scenarios(POLICIES, "benefits")
    assert len(files) == len(loaded)
    assert all("violation" in s.case for s in loaded)


def test_every_scenario_case_is_valid() -> None:
    """A scenario case, merged with its base, is a valid case (dates given as ISO text)."""
    for scenario in scenarios(POLICIES, "benefits"):
        parse_case(scenario.case)


def test_recombined_cases_are_valid_and_reproducible(engine: Engine) -> None:
    """Recombining scenario sections gives the requested number of cases, all passing ``valid``, the same for a seed."""
    pool = [s.case for s in scenarios(POLICIES, "benefits")]

    def valid(case: dict[str, Any]) -> bool:
        try:
            engine.advise(case)
        except CaseError:
            return False
        return True

    made = recombined_cases(pool, 40, seed=9, valid=valid)
    assert 40 == len(made)
    assert all(valid(case) for case in made)
    assert made == recombined_cases(pool, 40, seed=9, valid=valid)


def test_recombination_gives_up_when_nothing_is_valid() -> None:
    """A predicate that refuses everything ends in a clear error, not an endless loop."""
    with pytest.raises(ValueError, match="were valid"):
        recombined_cases([{"a": 1}], 3, seed=1, valid=lambda _case: False)


def test_a_domain_is_present_when_its_policy_folder_exists(tmp_path: Path) -> None:
    """A domain switches on when ``policies/<name>/`` exists, and is reported absent otherwise."""
    domain = Domain("providers", None)
    assert not domain.present(tmp_path)
    (tmp_path / "providers").mkdir()
    assert domain.present(tmp_path)
    assert ["benefits", "providers"] == [d.name for d in DOMAINS]
