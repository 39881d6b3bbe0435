# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The amount above the beslagvrije voet: the payment capacity of the ability-to-pay cap when no person
assessed one, and a municipal cap of "at most N x that amount" that a pack sets without Python, within
the national bound (1 to 24 months), shown as its own calculation step with its parameter and source."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, valid_case

from maatwerk import Engine, PolicyError
from maatwerk._policy.loader import load_tree
from maatwerk.testing.scenarios import load_scenario, run_scenario, scenario_files

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

EXAMPLE_PACK = FIXTURES / "beslagvrije-voet" / "benefits" / "voorbeeldgemeente-benefits"


@pytest.fixture
def with_example_pack(policy_copy: Path) -> Path:
    """The bundled packs plus the test-only municipal pack that caps the fine at 6 months above the voet."""
    shutil.copytree(EXAMPLE_PACK, policy_copy / "benefits" / EXAMPLE_PACK.name)
    return policy_copy


def _with_months(root: Path, months: str) -> Path:
    pack = root / "benefits" / EXAMPLE_PACK.name / "2024-01-01.yaml"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(
        text.replace("values: [{from: 2024-01-01, value: 6}]", f"values: [{{from: 2024-01-01, value: {months}}}]", 1),
        encoding="utf-8",
    )
    return root


def _above_bijstand_level(above: str, capacity: str | None = None) -> dict[str, object]:
    case = valid_case()
    case["finances"] = {
        "bijstand_level_income": False,
        "financial_data_supplied": True,
        "monthly_amount_above_beslagvrije_voet": above,
    }
    if capacity is not None:
        case["finances"]["monthly_payment_capacity"] = capacity
    return case


@pytest.mark.parametrize("name", [p.name for p in scenario_files(EXAMPLE_PACK.parent.parent)])
def test_the_example_packs_scenarios_hold(with_example_pack: Path, name: str) -> None:
    """Each worked case of the test-only pack (computed in its comments) gives the advice it expects."""
    path = with_example_pack / "benefits" / EXAMPLE_PACK.name / "scenarios" / name
    assert [] == run_scenario(load_scenario(path), evaluators=["reference"])


def test_the_policy_cap_is_its_own_step_with_its_parameter_and_source(with_example_pack: Path) -> None:
    """The cap appears after the law's ability-to-pay step, labelled with its months, and cites the
    municipal policy that sets it; the law's own step keeps its CRvB term."""
    advice = Engine(with_example_pack, municipality="voorbeeldgemeente").advise(_above_bijstand_level("60.00"))
    steps = {s.id: s for s in advice.calculation}
    assert ["draagkracht", "beslagvrije_voet_maximum"] == [
        s for s in steps if s in {"draagkracht", "beslagvrije_voet_maximum"}
    ]
    step = steps["beslagvrije_voet_maximum"]
    assert "360.00" == str(step.amount)
    assert "6 keer het bedrag boven de beslagvrije voet" in step.label.nl
    [use] = step.parameters
    assert ("boete_maximum_maanden_beslagvrije_voet", "6") == (use.name, str(use.value))
    assert use.basis.citation.startswith("Beleidsregels boete Voorbeeldgemeente art. 5")


@pytest.mark.parametrize(("months", "word"), [("30", "above the bound (24"), ("0", "below the bound (1")])
def test_a_policy_cap_outside_1_to_24_months_is_refused(with_example_pack: Path, months: str, word: str) -> None:
    """More than the CRvB's longest term (24 months, ECLI:NL:CRVB:2016:9), or less than a month (no
    fine at all, where the law prescribes one), exceeds what national law delegates: refused at the value."""
    with pytest.raises(PolicyError) as info:
        load_tree(_with_months(with_example_pack, months))
    [problem] = [p for p in info.value.problems if p.code == "POLICY_NOT_DELEGATED"]
    assert problem.where.startswith(str(with_example_pack / "benefits" / EXAMPLE_PACK.name / "2024-01-01.yaml"))
    assert word in problem.message
    assert "CRvB 11-01-2016" in problem.message


def test_without_an_assessed_capacity_the_amount_above_the_voet_is_the_capacity(engine: Engine) -> None:
    """National law only (Lansingerland sets no such cap): an income above bijstand level with only the
    amount above the beslagvrije voet known is capped at 12 x €60 = €720 at normal culpability."""
    advice = engine.advise(_above_bijstand_level("60.00"))
    assert ("boete", "720.00") == (advice.measure.kind, str(advice.measure.amount))
    assert "beslagvrije_voet_maximum" not in [s.id for s in advice.calculation]


def test_a_persons_assessment_of_the_capacity_comes_first(engine: Engine) -> None:
    """A monthly payment capacity assessed by a person (€50) is used before the amount above the voet."""
    advice = engine.advise(_above_bijstand_level("60.00", capacity="50.00"))
    assert "600.00" == str(advice.measure.amount)


def test_a_capacity_of_zero_is_not_replaced_by_the_amount_above_the_voet(engine: Engine) -> None:
    """An assessed capacity of €0 is a finding, not an absence: the fine is capped at nothing, never at
    12 x the amount above the voet."""
    advice = engine.advise(_above_bijstand_level("60.00", capacity="0.00"))
    assert "0.00" == str(advice.calculation[-1].amount)


def test_a_fine_that_comes_to_nothing_is_a_decision_for_a_person_not_a_fine_of_0(engine: Engine) -> None:
    """A capacity of €0 caps the fine at €0, and a fine of €0 is no fine (a decision cannot record one):
    the advice asks a person to decide, names the three ways out (the person can pay after all, a
    warning, urgent reasons with their article), and records no amount; the band still shows the law's
    maximum (here the benadelingsbedrag of €2,480)."""
    advice = engine.advise(_above_bijstand_level("60.00", capacity="0.00"))
    assert ("beslissing_nodig", None) == (advice.measure.kind, advice.measure.amount)
    summary = advice.measure.summary.nl
    assert summary.startswith("De berekende boete komt uit op € 0. Dat is geen boete.")
    assert ["waarschuwing", "dringende redenen", "Participatiewet art. 18a lid 7"] == [
        w for w in ("waarschuwing", "dringende redenen", "Participatiewet art. 18a lid 7") if w in summary
    ]
    assert Decimal("2480.00") == advice.measure.band.highest_amount  # never above the benadelingsbedrag


def test_a_fine_of_a_few_euros_stays_a_fine(engine: Engine) -> None:
    """Only nothing is no fine: a capacity of €0.50 a month caps the fine at 12 x €0.50 = €6, advised as a fine."""
    advice = engine.advise(_above_bijstand_level("60.00", capacity="0.50"))
    assert ("boete", "6.00") == (advice.measure.kind, str(advice.measure.amount))
