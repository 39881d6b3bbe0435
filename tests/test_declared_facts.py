# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Facts a pack declares from the case (``facts:``), and the decisions a rule may give factors to.

``tests/policy_fixtures/declared/`` holds a test-only municipal pack, Proefgemeente, written the way
a municipal policy is: it prefers a lawful warning, but gives none when a fine or warning was imposed
in the five years (its own parameter) before the violation, whatever the conduct. The fact is
declared in the pack, from the case's sanction history; the tests compute the advice it must give.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any, Literal

import pytest
from conftest import FIXTURES, valid_case
from hypothesis import HealthCheck, given, settings

from maatwerk import Engine, PolicyError, parse_case
from maatwerk._domains.facts import declared_facts, months_before
from maatwerk._policy.declared import CASE_DATES, HISTORY
from maatwerk._policy.loader import load_tree
from maatwerk._policy.stack import PolicySet
from maatwerk.models.case import BenefitCase, PriorSanctionKind
from maatwerk.models.provider import EarlierMeasureKind
from maatwerk.testing import from_policy

PACK = FIXTURES / "declared" / "benefits" / "proefgemeente-benefits"
PACK_FILE = PACK / "2024-01-01.yaml"
DECLARED = "eerdere_sanctie_5_jaar"
EXCLUDING_RULE = "proefgemeente_geen_waarschuwing_na_eerdere_sanctie"


@pytest.fixture
def tree(policy_copy: Path) -> Path:
    """The bundled packs with the Proefgemeente pack beside them."""
    shutil.copytree(PACK, policy_copy / "benefits" / PACK.name)
    return policy_copy


def warning_case(*history: dict[str, Any]) -> dict[str, Any]:
    """A case where the law allows a warning (€100 loss, normal culpability; violation from 2025-02-01)."""
    case = valid_case()
    case["benefit_loss"] = {"net": "100.00", "gross": "120.00"}
    case["history"] = list(history)
    return case


def fine(imposed_on: str | None, final_on: str | None = None, kind: str = "boete") -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": kind, "same_conduct": False}
    if imposed_on is not None:
        entry["imposed_on"] = imposed_on
    if final_on is not None:
        entry["final_on"] = final_on
    return entry


def with_facts(root: Path, block: str) -> Path:
    """The Proefgemeente pack with its ``facts:`` section replaced by ``block``."""
    path = root / "benefits" / PACK.name / PACK_FILE.name
    text = path.read_text(encoding="utf-8")
    start, end = text.index("facts:\n"), text.index("rules:\n")
    path.write_text(text[:start] + "facts:\n" + block + "\n" + text[end:], encoding="utf-8")
    return root


def problems(root: Path) -> list[tuple[str, int, str]]:
    """(code, line, message) of every problem loading ``root`` gives."""
    with pytest.raises(PolicyError) as info:
        load_tree(root)
    return [(p.code, int(p.where.rsplit(":", 2)[1]), p.message) for p in info.value.problems]


# --- the stack and the advice ------------------------------------------------------------------------


def test_declared_facts_join_the_stacks_facts_as_inputs(tree: Path) -> None:
    """``any`` declares a bool input fact and ``count`` an int one; both are in the stack's facts."""
    day = dt.date(2025, 6, 1)
    stack = PolicySet.from_directory(tree).select("benefits", "proefgemeente", day, day).decision
    actual = {
        name: (stack.facts[name].kind, stack.facts[name].output) for name in (DECLARED, "eerdere_sancties_aantal")
    }
    assert {DECLARED: ("bool", False), "eerdere_sancties_aantal": ("int", False)} == actual


@pytest.mark.parametrize("evaluator", ["durable", "reference", "compiled"])
def test_without_an_earlier_sanction_the_municipality_prefers_the_warning(
    tree: Path, evaluator: Literal["durable", "reference", "compiled"]
) -> None:
    """No earlier fine or warning: the lawful warning is the advice."""
    engine = Engine(tree, municipality="proefgemeente", evaluator=evaluator)
    assert "waarschuwing" == engine.advise(warning_case()).measure.kind


@pytest.mark.parametrize("evaluator", ["durable", "reference", "compiled"])
def test_a_fine_for_other_conduct_in_the_five_years_excludes_the_warning(
    tree: Path, evaluator: Literal["durable", "reference", "compiled"]
) -> None:
    """A fine imposed three years before the violation, for other conduct: no warning, a fine."""
    engine = Engine(tree, municipality="proefgemeente", evaluator=evaluator)
    case = warning_case(fine("2022-03-01", "2022-05-01"))
    assert ("boete", True) == (engine.advise(case).measure.kind, EXCLUDING_RULE in engine.trace(case))


def test_a_warning_imposed_before_the_five_years_does_not_count(tree: Path) -> None:
    """A warning given one day more than five years before the violation (2025-02-01) lies outside."""
    engine = Engine(tree, municipality="proefgemeente")
    assert "waarschuwing" == engine.advise(warning_case(fine("2020-01-31", kind="waarschuwing"))).measure.kind


def test_a_warning_on_the_first_day_of_the_five_years_counts(tree: Path) -> None:
    """A warning given exactly five years before the violation lies inside the window."""
    engine = Engine(tree, municipality="proefgemeente")
    assert "boete" == engine.advise(warning_case(fine("2020-02-01", kind="waarschuwing"))).measure.kind


def test_an_unknown_imposition_day_that_could_lie_inside_leaves_the_fact_unknown(tree: Path) -> None:
    """A fine final in the window, the day it was imposed unknown: the fact is unknown, the rule does not
    fire, and the advice asks for the fact."""
    advice = Engine(tree, municipality="proefgemeente").advise(warning_case(fine(None, final_on="2023-01-01")))
    assert ("waarschuwing", True) == (advice.measure.kind, DECLARED in {m.fact for m in advice.missing_facts})


def test_a_sanction_final_before_the_window_is_known_to_lie_outside(tree: Path) -> None:
    """A fine final before the five years opened was imposed before them too: the fact is known false."""
    advice = Engine(tree, municipality="proefgemeente").advise(warning_case(fine(None, final_on="2019-06-01")))
    assert ("waarschuwing", False) == (advice.measure.kind, DECLARED in {m.fact for m in advice.missing_facts})


# --- computing declared facts ---------------------------------------------------------------------


def facts_of(tree: Path, case: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_case(case)
    assert isinstance(parsed, BenefitCase)
    day = parsed.violation.period.start
    stack = PolicySet.from_directory(tree).select("benefits", "proefgemeente", day, parsed.decision_date).decision
    return declared_facts(parsed, stack.resolve_params(day, parsed.decision_date), stack.declared)


def test_count_is_the_number_of_matching_entries_in_the_window(tree: Path) -> None:
    """Two fines and a warning in the window, one fine before it and a criminal sanction: three."""
    case = warning_case(
        fine("2021-01-01"),
        fine("2024-01-01"),
        fine("2023-05-05", kind="waarschuwing"),
        fine("2019-01-01"),
        fine("2024-02-02", kind="strafrechtelijke_sanctie"),
    )
    assert {DECLARED: True, "eerdere_sancties_aantal": 3} == facts_of(tree, case)


def test_count_is_unknown_when_an_entry_may_or_may_not_lie_in_the_window(tree: Path) -> None:
    """One fine in the window and one whose imposition day is unknown: any is true, the count unknown."""
    case = warning_case(fine("2021-01-01"), fine(None, final_on="2024-01-01"))
    assert {DECLARED: True, "eerdere_sancties_aantal": None} == facts_of(tree, case)


def test_a_sanction_imposed_on_the_first_day_of_the_violation_lies_outside(tree: Path) -> None:
    """The window ends the day before the case date it names: that day itself is not in it."""
    assert {DECLARED: False, "eerdere_sancties_aantal": 0} == facts_of(tree, warning_case(fine("2025-02-01")))


def test_flags_and_a_window_in_months_select_entries(tree: Path) -> None:
    """``same_conduct: true`` and ``final: true`` within 18 months before the decision: only the entry
    that is for the same conduct, final, and imposed in those months counts; one not known to be final
    makes the fact unknown."""
    root = with_facts(
        tree,
        "  zelfde_gedrag_18_maanden:\n"
        "    description: {nl: Zelfde gedrag, en: Same conduct}\n"
        "    count:\n"
        "      in: history\n"
        "      where: {same_conduct: true, final: true}\n"
        "      within: {months: 18, before: decision_date, by: imposed_on}\n"
        "  eerdere_sanctie_5_jaar:\n"
        "    description: {nl: Eerder, en: Earlier}\n"
        "    any: {in: history}\n"
        "  eerdere_sancties_aantal:\n"
        "    description: {nl: Aantal, en: Count}\n"
        "    count: {in: history, where: {kind: [boete]}}\n",
    )
    same = {"kind": "boete", "same_conduct": True, "imposed_on": "2025-01-10", "final_on": "2025-03-01"}
    other = {"kind": "boete", "same_conduct": False, "imposed_on": "2025-01-10", "final_on": "2025-03-01"}
    old = {"kind": "boete", "same_conduct": True, "imposed_on": "2024-08-31", "final_on": "2024-10-01"}
    not_final = {"kind": "waarschuwing", "same_conduct": True, "imposed_on": "2025-06-01"}
    assert 1 == facts_of(root, warning_case(same, other, old))["zelfde_gedrag_18_maanden"]
    assert None is facts_of(root, warning_case(same, not_final))["zelfde_gedrag_18_maanden"]


def test_without_loss_selects_the_sanctions_for_a_violation_without_a_loss(tree: Path) -> None:
    """``without_loss: true`` counts an entry that says the earlier violation caused no loss, not one that
    says it did; an entry that does not say it makes the fact unknown (the advice asks for it)."""
    root = with_facts(
        tree,
        "  herhaling_zonder_benadeling:\n"
        "    description: {nl: Herhaling zonder benadeling, en: Repeat without loss}\n"
        "    any:\n"
        "      in: history\n"
        "      where: {kind: [boete, waarschuwing], without_loss: true}\n"
        "      within: {years: 2, before: violation.period.start, by: imposed_on}\n"
        "  eerdere_sanctie_5_jaar:\n"
        "    description: {nl: Eerder, en: Earlier}\n"
        "    any: {in: history}\n"
        "  eerdere_sancties_aantal:\n"
        "    description: {nl: Aantal, en: Count}\n"
        "    count: {in: history, where: {kind: [boete]}}\n",
    )
    base = {"kind": "boete", "same_conduct": True, "imposed_on": "2024-05-01", "final_on": "2024-06-15"}
    facts = [
        facts_of(root, warning_case({**base, "without_loss": flag} if flag is not None else base))
        for flag in (True, False, None)
    ]
    assert [True, False, None] == [f["herhaling_zonder_benadeling"] for f in facts]


def test_months_before_falls_back_to_the_last_day_of_a_shorter_month() -> None:
    """31 May minus three months is 28 February (29 in a leap year)."""
    assert (dt.date(2025, 2, 28), dt.date(2024, 2, 29)) == (
        months_before(dt.date(2025, 5, 31), 3),
        months_before(dt.date(2024, 5, 31), 3),
    )


def test_the_history_vocabulary_names_the_case_models_kinds() -> None:
    """The kinds a declared fact may test are exactly the kinds of the case models' history entries."""
    assert {"benefits": {k.value for k in PriorSanctionKind}, "providers": {k.value for k in EarlierMeasureKind}} == {
        domain: set(vocab.enums["kind"]) for domain, vocab in HISTORY.items()
    }


def test_every_case_date_a_window_names_is_a_required_date_of_the_case() -> None:
    """Each date a window may end at is a date every valid case of its domain has."""
    case = parse_case(valid_case())
    found: dict[str, type] = {}
    for name, path in CASE_DATES["benefits"].items():
        value: Any = case
        for part in path:
            value = getattr(value, part)
        found[name] = type(value)
    assert dict.fromkeys(CASE_DATES["benefits"], dt.date) == found


# --- checks at load ----------------------------------------------------------------------------------


def test_a_typo_in_a_declared_fact_is_refused_with_a_suggestion(tree: Path) -> None:
    """An unknown entry field, kind, case date, entry date and parameter are each refused at their line,
    with a did-you-mean."""
    root = with_facts(
        tree,
        "  eerdere_sanctie_5_jaar:\n"
        "    description: {nl: Eerder, en: Earlier}\n"
        "    any:\n"
        "      in: history\n"
        "      where: {kind: [boete, waarschuwingen], same_conduc: true}\n"  # line 38
        "      within: {years: {param: eigen_terugkijktermijn}, before: violation.period.star, by: imposed}\n"  # line 39
        "  eerdere_sancties_aantal:\n"
        "    description: {nl: Aantal, en: Count}\n"
        "    count: {in: history}\n",
    )
    expected = {
        ("POLICY_INVALID_VALUE", 38, "(did you mean 'waarschuwing'?)"),
        ("POLICY_UNKNOWN_FIELD", 38, "(did you mean 'same_conduct'?)"),
        ("POLICY_UNKNOWN_PARAMETER", 39, "unknown parameter 'eigen_terugkijktermijn'"),
        ("POLICY_INVALID_VALUE", 39, "(did you mean 'violation.period.start'?)"),
        ("POLICY_INVALID_VALUE", 39, "(did you mean 'imposed_on'?)"),
    }
    found = problems(root)
    actual = {
        (code, line, hint)
        for code, line, hint in expected
        if any((c, at) == (code, line) and hint in message for c, at, message in found)
    }
    assert (expected, 5) == (actual, len(found))


def test_a_declared_fact_may_not_take_a_catalogue_name(tree: Path) -> None:
    """Declaring ``recidive_same_conduct`` clashes with the catalogue's fact of that name."""
    root = with_facts(
        tree,
        "  recidive_same_conduct:\n    description: {nl: X, en: X}\n    any: {in: history}\n"
        "  eerdere_sanctie_5_jaar:\n    description: {nl: X, en: X}\n    any: {in: history}\n"
        "  eerdere_sancties_aantal:\n    description: {nl: X, en: X}\n    count: {in: history}\n",
    )
    assert [("POLICY_DUPLICATE_ID", 35)] == [(code, line) for code, line, _ in problems(root)]


def test_a_span_parameter_must_have_the_spans_unit(tree: Path) -> None:
    """A span in months taking a parameter in years is a type mismatch."""
    root = with_facts(
        tree,
        "  eerdere_sanctie_5_jaar:\n    description: {nl: X, en: X}\n    any:\n      in: history\n"
        "      within: {months: {param: eigen_terugkijktermijn_jaren}, before: decision_date, by: final_on}\n"
        "  eerdere_sancties_aantal:\n    description: {nl: X, en: X}\n    count: {in: history}\n",
    )
    assert ["POLICY_TYPE_MISMATCH"] == [code for code, _, _ in problems(root)]


def test_a_declared_fact_is_either_any_or_count(tree: Path) -> None:
    """A fact with both forms is refused as an invalid value."""
    root = with_facts(
        tree,
        "  eerdere_sanctie_5_jaar:\n    description: {nl: X, en: X}\n    any: {in: history}\n    count: {in: history}\n"
        "  eerdere_sancties_aantal:\n    description: {nl: X, en: X}\n    count: {in: history}\n",
    )
    assert ["POLICY_INVALID_VALUE"] == [code for code, _, _ in problems(root)]


def test_a_rule_cannot_set_a_declared_fact(tree: Path) -> None:
    """A declared fact is an input: a rule that sets it is refused."""
    path = tree / "benefits" / PACK.name / PACK_FILE.name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{warning_preferred: true}", "{eerdere_sanctie_5_jaar: true}"), encoding="utf-8")
    assert ["POLICY_NOT_SETTABLE"] == [code for code, _, _ in problems(tree)]


# --- generators and the two evaluators -------------------------------------------------------------


def test_from_policy_aims_at_the_rule_that_reads_a_declared_fact(tree: Path) -> None:
    """Aimed at the rule that reads the declared fact, every case ``from_policy`` draws makes it fire."""
    engine = Engine(tree, municipality="proefgemeente", evaluator="reference")
    missed: list[dict[str, Any]] = []

    @settings(max_examples=15, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(case=from_policy(PACK.name, policies=tree, rules=[EXCLUDING_RULE]))
    def fires(case: dict[str, Any]) -> None:
        if EXCLUDING_RULE not in engine.trace(case):
            missed.append(case)

    fires()
    assert [] == missed


def test_both_evaluators_agree_on_a_pack_with_declared_facts(tree: Path) -> None:
    """The rules engine and the reference evaluator fire the same rules on every drawn case."""
    durable = Engine(tree, municipality="proefgemeente")
    reference = Engine(tree, municipality="proefgemeente", evaluator="reference")

    @settings(max_examples=25, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(case=from_policy(PACK.name, policies=tree))
    def agree(case: dict[str, Any]) -> None:
        assert reference.trace(case) == durable.trace(case)

    agree()
