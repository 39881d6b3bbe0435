# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The condition solver behind `maatwerk check` and `maatwerk.testing.from_policy`.

Its one promise: a condition it finds impossible within a store is false for every fact in that
store, and each store it returns makes the condition true. The property tests hold it to the plain
evaluator (the reference semantics) on the facts of generated cases.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import benefit_cases, provider_cases
from hypothesis import given
from hypothesis import strategies as st

from maatwerk import Engine, parse_case
from maatwerk._domains.facts import benefit_facts, encode_facts, provider_facts
from maatwerk._policy.conditions import FALSE, TRUE, All, AnyOf, Cond, Leaf, evaluate, resolve
from maatwerk._policy.domains import catalogue
from maatwerk._policy.facts import KNOWN_SUFFIX, Encoded
from maatwerk._policy.solve import (
    AXIOMS,
    Choice,
    Constraint,
    Range,
    describe,
    input_domains,
    negate,
    satisfiable,
    solutions,
    with_axioms,
)
from maatwerk.models.provider import ProviderCase

FACTS = catalogue("benefits")
DOMAINS = input_domains(FACTS)


def known(name: str, op: str, value: int) -> Cond:
    """A numeric comparison as the compiler writes it: the fact is known, and compares."""
    return All((Leaf(name + KNOWN_SUFFIX, "eq", 1), Leaf(name, op, value)))  # type: ignore[arg-type]


def test_contradictory_tests_have_no_solution() -> None:
    """Amounts above 100 and below 50 at once, or a bool both true and false: impossible."""
    assert satisfiable(All((known("benefit_loss", "gt", 10_000), known("benefit_loss", "lt", 5_000))), DOMAINS) is None
    assert satisfiable(All((Leaf("deceased", "eq", 1), Leaf("deceased", "eq", 0))), DOMAINS) is None


def test_a_satisfiable_condition_narrows_the_facts_it_reads() -> None:
    """``benefit_loss`` between 150.01 and 200.00 and known: the solution says exactly that."""
    cond = All((known("benefit_loss", "gt", 15_000), known("benefit_loss", "lte", 20_000)))
    found = satisfiable(cond, DOMAINS)
    assert found is not None
    assert Range(unknown=False, known=True, low=15_001, high=20_000) == found["benefit_loss"]
    assert "benefit_loss >= 150.01, benefit_loss <= 200.00" == describe(found, FACTS, against=DOMAINS)


def test_an_unknown_amount_compares_as_zero_like_the_evaluators() -> None:
    """Negated, ``benefit_loss > 0`` holds for an unknown amount (the engine compares it as 0)."""
    found = satisfiable(All((negate(known("benefit_loss", "gt", 0)), Leaf("benefit_loss__known", "eq", 0))), DOMAINS)
    assert found is not None
    assert "benefit_loss unknown" == describe(found, FACTS, against=DOMAINS)


def test_always_known_facts_cannot_be_unknown() -> None:
    """A case always names its law: ``law`` unknown is impossible; a confirmed culpability may be unknown."""
    assert satisfiable(Leaf("law", "eq", ""), DOMAINS) is None
    assert satisfiable(Leaf("culpability", "eq", ""), DOMAINS) is not None


def test_excluded_points_can_empty_a_small_range() -> None:
    """Days in 0..1 other than 0 and 1: only the unknown state is left."""
    cond = All(
        (
            Leaf("self_correction_days", "lte", 1),
            Leaf("self_correction_days", "ne", 0),
            Leaf("self_correction_days", "ne", 1),
        )
    )
    found = satisfiable(All((cond, Leaf("self_correction_days__known", "eq", 1))), DOMAINS)
    assert found is None


def test_solutions_enumerates_the_branches_of_a_disjunction() -> None:
    """``any`` of three enum values gives one store per value, up to the limit."""
    cond = AnyOf(tuple(Leaf("law", "eq", v) for v in ("participatiewet", "ioaw", "ioaz")))
    stores = list(solutions(cond, DOMAINS, limit=10))
    assert [Choice(frozenset({v})) for v in ("participatiewet", "ioaw", "ioaz")] == [s["law"] for s in stores]
    assert 2 == len(list(solutions(cond, DOMAINS, limit=2)))


def test_true_and_false_conditions() -> None:
    """TRUE holds in the full domains unchanged; FALSE never holds."""
    assert DOMAINS == satisfiable(TRUE, DOMAINS)
    assert satisfiable(FALSE, DOMAINS) is None
    assert FALSE == negate(TRUE)


def test_output_facts_are_limited_to_the_values_rules_can_give_them() -> None:
    """An output no rule sets keeps only its default: reading it as true is impossible."""
    store = input_domains(FACTS, outputs={"warning_lawful": []})
    assert satisfiable(Leaf("warning_lawful", "eq", 1), store) is None
    assert satisfiable(Leaf("warning_lawful", "eq", 0), store) is not None


def test_bounds_narrow_a_date_fact() -> None:
    """The provider domain's decision date can be bounded to the days a stack is used."""
    facts = catalogue("providers")
    first = dt.date(2024, 1, 1).toordinal()
    store = input_domains(facts, bounds={"decision_date": (first, None)})
    assert satisfiable(Leaf("decision_date", "lt", first), store) is None
    assert satisfiable(Leaf("decision_date", "gte", first), store) is not None


def point(fact: dict[str, Encoded], facts: dict[str, Any]) -> dict[str, Constraint]:
    """The store that holds exactly one encoded fact."""
    out: dict[str, Constraint] = {}
    for name, spec in facts.items():
        if spec.kind in ("bool", "enum"):
            out[name] = Choice(frozenset({fact[name]}))
        else:
            is_known = fact[name + KNOWN_SUFFIX] == 1
            value = int(fact[name])
            out[name] = Range(unknown=not is_known, known=is_known, low=value, high=value)
    return out


@given(case=st.one_of(benefit_cases(), benefit_cases(fineable=True), provider_cases()))
def test_the_solver_agrees_with_the_evaluator_on_every_level_0_rule(engine: Engine, case: dict[str, Any]) -> None:
    """For the facts of a generated case, the solver finds a rule's condition satisfiable exactly when the
    reference evaluator finds it true (checked for every rule that reads only input facts), and the
    facts satisfy the domain's axioms."""
    parsed = parse_case(case)
    stack = engine._select(parsed).decision
    if isinstance(parsed, ProviderCase):
        params = stack.resolve_params(parsed.decision_date, parsed.decision_date)
        values = provider_facts(parsed, params)
    else:
        params = stack.resolve_params(max(parsed.violation.period.start, dt.date(2013, 1, 1)), parsed.decision_date)
        values = benefit_facts(parsed, params)
    fact = encode_facts(stack.facts, values)
    store = point(fact, dict(stack.facts))
    key = dict(stack.condition_key(params))
    for rule in stack.rules_by_level[0]:
        cond = resolve(rule.condition, key)
        assert evaluate(cond, fact) == (satisfiable(cond, store) is not None), rule.id
    assert satisfiable(AXIOMS[stack.domain], store) is not None, "the facts of a real case break an axiom"


def test_axioms_rule_out_facts_no_case_can_combine() -> None:
    """A self-correction before detection found by an investigation, days to a self-report without a
    self-report, or a coercive earlier measure that is no earlier measure: impossible with the axioms,
    possible without them."""
    impossible = {
        "benefits": [
            All((Leaf("detection", "eq", "onderzoek"), Leaf("self_corrected_before_detection", "eq", 1))),
            All((Leaf("detection", "eq", "onderzoek"), Leaf("self_correction_days__known", "eq", 1))),
            All((Leaf("benefit_loss_net__known", "eq", 0), Leaf("benefit_loss_gross__known", "eq", 0))),
        ],
        "providers": [
            All((Leaf("earlier_coercive_same_standard", "eq", 1), Leaf("earlier_measure_same_standard", "eq", 0))),
            All((Leaf("earlier_measure_not_complied", "eq", -1), Leaf("earlier_measure_same_standard", "eq", 0))),
        ],
    }
    for domain, conds in impossible.items():
        facts = catalogue(domain)
        for cond in conds:
            assert satisfiable(cond, input_domains(facts)) is not None
            assert satisfiable(with_axioms(cond, facts, domain), input_domains(facts)) is None
