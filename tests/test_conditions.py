# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Rule conditions: parsing, negation normal form, and identical semantics in the reference
evaluator (``evaluate``) and in durable-rules.

Semantics under test (conditions.py): a comparison with an unknown value is false, and ``not`` of
it is true (classical negation over the encoded facts).
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk._engine._durable import DurableEvaluator
from maatwerk._policy.conditions import (
    FALSE,
    TRUE,
    All,
    AnyOf,
    Cond,
    Leaf,
    ParamRef,
    ParseContext,
    conjoin_not,
    evaluate,
    fields,
    normalise,
    params,
    parse,
    resolve,
    to_durable,
)
from maatwerk._policy.domains import catalogue
from maatwerk._policy.facts import Encoded, FactSpec, encode
from maatwerk._policy.schema import LangText
from maatwerk._policy.stack import CompiledRule, Stack
from maatwerk.errors import Problem
from maatwerk.models.case import BENEFIT_LAWS

FACTS = catalogue("benefits")
PARAM_UNITS = {"dagen": "days", "grens": "eur", "wet": "text"}
PARAM_VALUES: dict[str, Encoded] = {"dagen": 60, "grens": 15000, "wet": "ioaw"}
_durable = DurableEvaluator()


def context() -> ParseContext:
    return ParseContext(
        facts=FACTS,
        param_unit=PARAM_UNITS.get,
        where=lambda path: "p.yaml:" + ".".join(str(x) for x in path),
        suggest=lambda _name: "",
    )


def compile_when(raw: Any) -> Cond:
    """A pack condition parsed and normalised, failing the test on any parse problem."""
    problems: list[Problem] = []
    cond = normalise(parse(raw, (), context(), problems))
    assert [] == problems
    return cond


def parse_problems(raw: Any) -> list[tuple[str, str]]:
    problems: list[Problem] = []
    parse(raw, (), context(), problems)
    return [(p.where, p.code) for p in problems]


def fact_with(**values: Any) -> dict[str, Encoded]:
    """An engine fact with every input unknown except ``values`` (Python values, encoded)."""
    out: dict[str, Encoded] = {}
    for name, spec in FACTS.items():
        out.update({name: spec.default} if spec.output else encode(spec, values.get(name)))
    return out


def _rule(rule_id: str, cond: Cond, order: int) -> CompiledRule:
    return CompiledRule(
        id=rule_id,
        pack_id="test",
        pack_version="2024-01-01",
        stage="gate",
        level=0,
        order=order,
        condition=cond,
        reads=fields(cond),
        sets=(),
        factors=(),
        followups=(),
        basis=("wet",),
        principles=("P1",),
        reason=LangText(nl="Proef", en="Test"),
        exception_to=(),
        where="test.yaml:1:1",
    )


def durable_fires(cond: Cond, fact: Mapping[str, Encoded]) -> bool:
    """Whether durable-rules fires the probe rule with this (resolved) condition on ``fact``.

    The stack also holds an unconditional anchor rule, as the bundled packs do (geen_maatregel):
    a durable-rules session in which nothing ever fires can crash the process on delete_state
    (see test_engine.py::test_evaluation_where_no_rule_fires_does_not_crash).
    """
    key = hashlib.sha256(repr(cond).encode()).hexdigest()
    probe, anchor = _rule("probe", cond, 0), _rule("anchor", TRUE, 1)
    stack = Stack(
        "benefits", (), (probe, anchor), 1, {}, {}, {}, {}, FACTS, {}, key, {"probe": probe, "anchor": anchor}
    )
    fired = _durable.evaluate(stack, (), fact).fired
    assert "anchor" in fired
    return "probe" in fired


def both(cond: Cond, fact: Mapping[str, Encoded]) -> tuple[bool, bool]:
    """``(reference, durable)`` verdicts on a resolved condition."""
    resolved = resolve(cond, PARAM_VALUES)
    return evaluate(resolved, fact), durable_fires(resolved, fact)


# --- parsing and normal form ---------------------------------------------------------------------


def test_bool_fact_compiles_to_one_encoded_leaf() -> None:
    """``{fact: debts, eq: true}`` compares the encoded value with 1."""
    assert Leaf("debts", "eq", 1) == compile_when({"fact": "debts", "eq": True})


def test_money_comparison_first_requires_the_value_to_be_known() -> None:
    """A money comparison is guarded by the fact's ``__known`` companion and compares whole cents."""
    expected = All((Leaf("benefit_loss__known", "eq", 1), Leaf("benefit_loss", "lte", 15000)))
    assert expected == compile_when({"fact": "benefit_loss", "lte": "150.00"})


def test_negation_is_pushed_down_to_the_leaves() -> None:
    """``not all(A, B)`` becomes ``any(not A, not B)`` with negated operators (De Morgan)."""
    cond = compile_when({"not": {"all": [{"fact": "debts", "eq": True}, {"fact": "urgent_reasons", "eq": "aanwezig"}]}})
    assert AnyOf((Leaf("debts", "ne", 1), Leaf("urgent_reasons", "ne", "aanwezig"))) == cond


def test_negated_money_comparison_is_true_when_the_value_is_unknown() -> None:
    """``not (loss <= 150)`` becomes ``loss unknown or loss > 150``."""
    expected = AnyOf((Leaf("benefit_loss__known", "ne", 1), Leaf("benefit_loss", "gt", 15000)))
    assert expected == compile_when({"not": {"fact": "benefit_loss", "lte": 150}})


def test_double_negation_cancels() -> None:
    """``not not A`` is ``A``."""
    assert Leaf("debts", "eq", 1) == compile_when({"not": {"not": {"fact": "debts", "eq": True}}})


def test_nested_combinators_of_the_same_kind_are_flattened() -> None:
    """``all(A, all(B, C))`` is one conjunction of three leaves."""
    cond = compile_when(
        {
            "all": [
                {"fact": "debts", "eq": True},
                {"all": [{"fact": "deceased", "eq": False}, {"fact": "health_problems", "eq": True}]},
            ]
        }
    )
    assert All((Leaf("debts", "eq", 1), Leaf("deceased", "eq", 0), Leaf("health_problems", "eq", 1))) == cond


def test_in_is_a_disjunction_of_equalities() -> None:
    """``in: [a, b]`` on an enum is ``eq a or eq b``."""
    cond = compile_when({"fact": "law", "in": ["ioaw", "ioaz"]})
    assert AnyOf((Leaf("law", "eq", "ioaw"), Leaf("law", "eq", "ioaz"))) == cond


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"fact": "debts", "known": True}, Leaf("debts", "ne", -1)),
        ({"fact": "urgent_reasons", "known": False}, Leaf("urgent_reasons", "eq", "")),
        ({"fact": "benefit_loss", "known": True}, Leaf("benefit_loss__known", "eq", 1)),
    ],
)
def test_known_tests_the_unknown_encoding(raw: dict[str, Any], expected: Cond) -> None:
    """``known`` compares with the unknown marker of the fact's kind (-1, '' or the companion)."""
    assert expected == compile_when(raw)


def test_parameter_reference_is_resolved_with_its_encoded_value() -> None:
    """``{param: NAME}`` stays a reference until the dated value is known, then becomes a literal."""
    cond = compile_when({"fact": "self_correction_days", "lte": {"param": "dagen"}})
    assert params(cond) == {"dagen": "int"}  # name -> the kind of the fact it is compared with
    assert All((Leaf("self_correction_days__known", "eq", 1), Leaf("self_correction_days", "lte", 60))) == resolve(
        cond, PARAM_VALUES
    )


def test_fields_names_the_facts_read_without_companions() -> None:
    """``fields`` maps ``x__known`` back to ``x``."""
    cond = compile_when({"any": [{"fact": "benefit_loss", "gt": 0}, {"fact": "debts", "eq": True}]})
    assert frozenset({"benefit_loss", "debts"}) == fields(cond)


def test_exceptions_are_conjoined_negated() -> None:
    """A rule with exceptions fires when its own condition holds and no exception does ('tenzij')."""
    base = compile_when({"fact": "debts", "eq": True})
    exception = compile_when({"fact": "debt_arrangement", "eq": True})
    assert All((Leaf("debts", "eq", 1), Leaf("debt_arrangement", "ne", 1))) == conjoin_not(base, (exception,))


def test_constants_fold_away() -> None:
    """TRUE in a conjunction and FALSE in a disjunction disappear; their duals absorb."""
    leaf = Leaf("debts", "eq", 1)
    assert (leaf, FALSE, TRUE, leaf) == (
        normalise(All((TRUE, leaf))),
        normalise(All((FALSE, leaf))),
        normalise(AnyOf((TRUE, leaf))),
        normalise(AnyOf((FALSE, leaf))),
    )


def test_durable_expression_of_a_normal_form() -> None:
    """The durable-rules JSON uses plain equality, ``$neq``/``$lte``... and ``$and``/``$or``."""
    cond = AnyOf((Leaf("debts", "eq", 1), All((Leaf("law", "ne", "ioaw"), Leaf("benefit_loss", "lte", 15000)))))
    assert {
        "$or": [{"debts": 1}, {"$and": [{"$neq": {"law": "ioaw"}}, {"$lte": {"benefit_loss": 15000}}]}]
    } == to_durable(cond)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("debts", [("p.yaml:", "POLICY_BAD_CONDITION")]),
        ({"all": []}, [("p.yaml:all", "POLICY_BAD_CONDITION")]),
        ({"fact": "debts", "eq": True, "ne": False}, [("p.yaml:", "POLICY_BAD_CONDITION")]),
        ({"fact": "debts", "like": True}, [("p.yaml:like", "POLICY_BAD_CONDITION")]),
        ({"fact": "dets", "eq": True}, [("p.yaml:fact", "POLICY_UNKNOWN_FACT")]),
        ({"fact": "debts", "lt": True}, [("p.yaml:lt", "POLICY_TYPE_MISMATCH")]),
        ({"fact": "debts", "eq": "yes"}, [("p.yaml:eq", "POLICY_TYPE_MISMATCH")]),
        ({"fact": "benefit_loss", "gt": "1.005"}, [("p.yaml:gt", "POLICY_TYPE_MISMATCH")]),
        ({"fact": "law", "in": []}, [("p.yaml:in", "POLICY_TYPE_MISMATCH")]),
        ({"fact": "law", "eq": "wajong"}, [("p.yaml:eq", "POLICY_TYPE_MISMATCH")]),
        ({"fact": "fine_excluded", "known": True}, [("p.yaml:known", "POLICY_TYPE_MISMATCH")]),
        ({"fact": "benefit_loss", "gt": {"param": "nope"}}, [("p.yaml:gt", "POLICY_UNKNOWN_PARAMETER")]),
        ({"fact": "benefit_loss", "gt": {"param": "dagen"}}, [("p.yaml:gt", "POLICY_TYPE_MISMATCH")]),
        (
            {"all": [{"fact": "debts", "eq": True}, {"fact": "x", "eq": 1}]},
            [("p.yaml:all.1.fact", "POLICY_UNKNOWN_FACT")],
        ),
    ],
)
def test_bad_conditions_are_reported_at_their_path(raw: Any, expected: list[tuple[str, str]]) -> None:
    """Each malformed condition yields one located problem at the offending part."""
    assert expected == parse_problems(raw)


# --- unknown semantics, identical in both evaluators -----------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        {"fact": "benefit_loss", "lte": 150},
        {"fact": "benefit_loss", "gt": 150},
        {"fact": "benefit_loss", "eq": 0},
        {"fact": "self_correction_days", "lte": {"param": "dagen"}},
        {"fact": "debts", "eq": True},
        {"fact": "debts", "eq": False},
        {"fact": "urgent_reasons", "eq": "aanwezig"},
        {"fact": "prosecutor_exception", "in": ["verwijzen", "niet_verwijzen"]},
    ],
)
def test_comparison_with_an_unknown_value_is_false_and_its_negation_true(raw: dict[str, Any]) -> None:
    """With every input unknown, a comparison is false and ``not`` of it is true, in the reference
    evaluator and in durable-rules alike."""
    unknown = fact_with()
    assert ((False, False), (True, True)) == (
        both(compile_when(raw), unknown),
        both(compile_when({"not": raw}), unknown),
    )


def test_unknown_money_encoded_as_zero_never_matches_equal_to_zero() -> None:
    """An unknown amount is encoded as 0 but never compares equal to €0 (the companion guards it)."""
    assert (False, False) == both(compile_when({"fact": "benefit_loss", "eq": 0}), fact_with())


def test_known_zero_matches_equal_to_zero() -> None:
    """A known €0 loss compares equal to 0 in both evaluators."""
    from decimal import Decimal

    assert (True, True) == both(compile_when({"fact": "benefit_loss", "eq": 0}), fact_with(benefit_loss=Decimal("0")))


def test_bool_ne_true_holds_for_false_and_unknown() -> None:
    """``ne: true`` matches false and unknown alike (it is the negation of ``eq: true``)."""
    cond = compile_when({"fact": "financial_data_supplied", "ne": True})
    assert [(True, True), (True, True), (False, False)] == [
        both(cond, fact_with(financial_data_supplied=v)) for v in (False, None, True)
    ]


# --- property: both evaluators agree on arbitrary condition trees ---------------------------------

LEAVES: list[dict[str, Any]] = [
    {"fact": "benefit_loss", "lte": 150},
    {"fact": "benefit_loss", "gt": "100.00"},
    {"fact": "benefit_loss", "gte": {"param": "grens"}},
    {"fact": "benefit_loss", "eq": 0},
    {"fact": "benefit_loss", "known": True},
    {"fact": "self_correction_days", "lte": {"param": "dagen"}},
    {"fact": "self_correction_days", "ne": 60},
    {"fact": "debts", "eq": True},
    {"fact": "debts", "ne": False},
    {"fact": "debts", "known": False},
    {"fact": "urgent_reasons", "eq": "aanwezig"},
    {"fact": "urgent_reasons", "in": ["aanwezig", "afwezig"]},
    {"fact": "urgent_reasons", "known": True},
    {"fact": "law", "eq": {"param": "wet"}},
    {"fact": "law", "ne": "participatiewet"},
]

conditions = st.recursive(
    st.sampled_from(LEAVES),
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
        children.map(lambda x: {"not": x}),
    ),
    max_leaves=8,
)


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Encoded]:
    from decimal import Decimal

    cents = draw(st.one_of(st.none(), st.sampled_from([0, 10000, 15000, 15001, 20000]), st.integers(0, 30000)))
    return fact_with(
        benefit_loss=None if cents is None else Decimal(cents) / 100,
        self_correction_days=draw(st.one_of(st.none(), st.sampled_from([0, 59, 60, 61]), st.integers(0, 200))),
        debts=draw(st.sampled_from([None, True, False])),
        urgent_reasons=draw(st.sampled_from([None, "aanwezig", "afwezig"])),
        law=draw(st.sampled_from(BENEFIT_LAWS)),
    )


@settings(max_examples=120)
@given(raw=conditions, fact=facts())
def test_reference_and_durable_agree_on_any_condition(raw: dict[str, Any], fact: dict[str, Encoded]) -> None:
    """For any condition tree and any facts (known or not), durable-rules fires exactly when the
    reference evaluator says the condition holds."""
    reference, durable = both(compile_when(raw), fact)
    assert reference == durable


@settings(max_examples=200)
@given(raw=conditions, fact=facts())
def test_negation_is_classical(raw: dict[str, Any], fact: dict[str, Encoded]) -> None:
    """``not C`` holds exactly when ``C`` does not, also with unknown facts."""
    positive = evaluate(resolve(compile_when(raw), PARAM_VALUES), fact)
    negative = evaluate(resolve(compile_when({"not": raw}), PARAM_VALUES), fact)
    assert (not positive) == negative


@settings(max_examples=200)
@given(raw=conditions)
def test_normal_form_has_negation_only_in_leaves(raw: dict[str, Any]) -> None:
    """After normalisation no combinator directly holds a combinator of its own kind, and every
    node is a leaf, a conjunction or a disjunction."""

    def check(cond: Cond) -> None:
        if isinstance(cond, Leaf):
            assert isinstance(cond.value, int | str | ParamRef)
            return
        assert isinstance(cond, All | AnyOf)
        for item in cond.items:
            assert type(item) is not type(cond)
            check(item)

    check(compile_when(raw))


def test_fact_spec_defaults_are_the_unknown_markers() -> None:
    """Output facts start at 0 (bool, money) or '' (enum)."""
    assert (0, "") == (
        FactSpec("x", "bool", "", output=True).default,
        FactSpec("y", "enum", "", ("a",), output=True).default,
    )


def test_unique_probe_rulesets_do_not_collide() -> None:
    """Probing many different conditions registers separate rulesets without name clashes."""
    verdicts = {durable_fires(Leaf("debts", "eq", value), fact_with(debts=True)) for value in (1, 0, -1)}
    assert {True, False} == verdicts
