"""Invariants of the advice, checked on generated cases (Hypothesis).

The key oracle: the durable-rules evaluator and the plain-Python reference evaluator must fire the
same rules and give byte-identical advice on every valid case.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from decimal import Decimal
from typing import Any

import pytest
from conftest import LAWS, advice_json, advice_without, benefit_cases, valid_case
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk import CaseError, Engine
from maatwerk._api import PROTECTED_KEYS

ORDERED_LEVELS = ("verminderd", "normaal", "grove_schuld", "opzet")

#: Half of all cases, and half that pass every gate (so that fines and warnings are common).
CASES = st.one_of(benefit_cases(), benefit_cases(fineable=True))


@settings(max_examples=150)
@given(case=CASES)
def test_durable_and_reference_evaluators_fire_the_same_rules(
    engine: Engine, reference_engine: Engine, case: dict[str, Any]
) -> None:
    """Both evaluators fire exactly the same rules, in the same order."""
    assert reference_engine.trace(case) == engine.trace(case)


@settings(max_examples=150)
@given(case=CASES)
def test_durable_and_reference_evaluators_give_identical_advice(
    engine: Engine, reference_engine: Engine, case: dict[str, Any]
) -> None:
    """Both evaluators give byte-identical advice JSON (receipt included)."""
    assert advice_json(reference_engine.advise(case)) == advice_json(engine.advise(case))


@given(case=CASES)
def test_fine_never_exceeds_statutory_maximum(engine: Engine, case: dict[str, Any]) -> None:
    """A fine is never above the highest amount of its band, the statutory maximum."""
    measure = engine.advise(case).measure
    if measure.amount is not None:
        assert measure.band.highest_amount is not None
        assert measure.amount <= measure.band.highest_amount


@given(case=CASES)
def test_fine_is_never_negative(engine: Engine, case: dict[str, Any]) -> None:
    """Every amount in a fine advice is zero or more."""
    measure = engine.advise(case).measure
    if measure.amount is not None:
        assert measure.amount >= Decimal("0.00")


@given(case=CASES)
def test_more_culpability_never_lowers_the_fine(engine: Engine, case: dict[str, Any]) -> None:
    """Between two culpability levels on the same case that both lead to a fine, the higher level
    gives a fine at least as high (verminderd < normaal < grove schuld < opzet)."""
    amounts: list[tuple[str, Decimal]] = []
    for level in ORDERED_LEVELS:
        variant = copy.deepcopy(case)
        variant["culpability"]["confirmed"] = level
        measure = engine.advise(variant).measure
        if measure.kind == "boete":
            assert measure.amount is not None
            amounts.append((level, measure.amount))
    for (low_level, low), (high_level, high) in itertools.pairwise(amounts):
        assert low <= high, f"{low_level} gives {low}, more than {high_level} with {high}"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _law_allows_warning(case: dict[str, Any]) -> bool:
    """Pw 18a lid 4 and Boetebesluit 2aa, computed independently of the engine."""
    loss = case["benefit_loss"].get("net" if case["law"] == "participatiewet" else "gross")
    small = loss is not None and Decimal(loss) <= Decimal("150.00")
    violation = case["violation"]
    self_corrected = (
        violation["detection"] == "zelfmelding_voor_ontdekking"
        and (
            dt.date.fromisoformat(violation["self_reported_on"]) - dt.date.fromisoformat(violation["information_due"])
        ).days
        <= 60
    )
    start = dt.date.fromisoformat(violation["period"]["start"])
    blocked = any(
        h["kind"] == "waarschuwing" and _years_before(start, 2) <= dt.date.fromisoformat(h["final_on"]) < start
        for h in case["history"]
    )
    return (small or self_corrected) and not blocked


@given(case=CASES)
def test_warning_is_advised_only_where_the_law_allows_it(engine: Engine, case: dict[str, Any]) -> None:
    """A warning needs a loss of at most €150 or a self-correction before detection within 60 days,
    and no warning in the two years before the violation started."""
    if engine.advise(case).measure.kind == "waarschuwing":
        assert _law_allows_warning(case)


@given(case=CASES)
def test_warning_is_never_advised_for_intent_in_lansingerland(engine: Engine, case: dict[str, Any]) -> None:
    """Lansingerland's policy: opzet always leads to a fine, never to a warning."""
    case["culpability"]["confirmed"] = "opzet"
    assert engine.advise(case).measure.kind != "waarschuwing"


@given(
    case=CASES,
    cooperated=st.sampled_from([None, True, False]),
    kind=st.sampled_from(("inkomsten_of_werk", "samenwoning", "vermogen", "verblijf_buitenland", "overig")),
    case_ref=st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True)),
)
def test_fields_no_rule_reads_never_change_the_advice(
    engine: Engine, case: dict[str, Any], cooperated: bool | None, kind: str, case_ref: str | None
) -> None:
    """``circumstances.cooperated``, ``violation.kind`` and ``case_ref`` are read by no rule: changing
    them changes nothing in the advice but the receipt and the echoed case_ref."""
    variant = copy.deepcopy(case)
    variant["circumstances"]["cooperated"] = cooperated
    variant["violation"]["kind"] = kind
    variant["case_ref"] = case_ref
    expected = advice_without(engine.advise(case), "receipt", "case_ref")
    assert expected == advice_without(engine.advise(variant), "receipt", "case_ref")


def test_cooperation_and_violation_kind_are_read_by_no_rule(engine: Engine) -> None:
    """The premise of the test above: no rule of the bundled packs reads these facts."""
    from maatwerk import parse_case

    stack = engine._select(parse_case(valid_case())).decision
    assert [] == [r.id for r in stack.rules if {"cooperated", "violation_kind"} & r.reads]


@given(case=CASES)
def test_same_input_gives_byte_identical_advice(engine: Engine, case: dict[str, Any]) -> None:
    """Advising twice on the same input gives the same bytes."""
    assert advice_json(engine.advise(case)) == advice_json(engine.advise(case))


@settings(max_examples=10)
@given(case=CASES)
def test_a_fresh_engine_gives_the_same_advice(engine: Engine, case: dict[str, Any]) -> None:
    """The advice does not depend on what an engine evaluated before (no state leaks between cases)."""
    assert advice_json(Engine(evaluator="reference").advise(case)) == advice_json(engine.advise(case))


@given(case=CASES)
def test_receipt_identifies_the_input(engine: Engine, case: dict[str, Any]) -> None:
    """The receipt is a SHA-256 hex digest; the same case as dict or as JSON text gives the same one."""
    receipt = engine.advise(case).receipt
    assert 64 == len(receipt)
    assert receipt == engine.advise(json.dumps(case)).receipt


def _insert_at(case: dict[str, Any], where: str, key: str, value: object) -> dict[str, Any]:
    variant = copy.deepcopy(case)
    if where == "top":
        variant[key] = value
    elif where == "history":
        variant["history"].append({key: value})
    else:
        target: dict[str, Any] = variant
        for part in where.split("."):
            target = target[part]
        target[key] = value
    return variant


@given(
    case=CASES,
    key=st.sampled_from(sorted(PROTECTED_KEYS)),
    spelling=st.sampled_from(("lower", "upper", "title", "padded")),
    where=st.sampled_from(
        ("top", "violation", "violation.period", "circumstances", "circumstances.municipality", "finances", "history")
    ),
    value=st.one_of(st.text(max_size=10), st.integers(), st.booleans(), st.none(), st.just({"code": "NL"})),
)
def test_protected_characteristics_are_rejected_anywhere(
    engine: Engine, case: dict[str, Any], key: str, spelling: str, where: str, value: object
) -> None:
    """A protected characteristic (or proxy) anywhere in the input is refused with
    PROTECTED_CHARACTERISTIC, whatever its value or spelling."""
    spelled = {"lower": key, "upper": key.upper(), "title": key.title(), "padded": f" {key} "}[spelling]
    with pytest.raises(CaseError) as info:
        engine.advise(_insert_at(case, where, spelled, value))
    assert "PROTECTED_CHARACTERISTIC" in {p.code for p in info.value.problems}


@given(case=CASES, law=st.sampled_from(LAWS))
def test_every_generated_case_is_valid(engine: Engine, case: dict[str, Any], law: str) -> None:
    """The generator only produces cases the engine accepts (so the invariants above are not vacuous)."""
    case["law"] = law
    assert engine.advise(case).measure.kind in {"boete", "waarschuwing", "geen_boete", "aangifte", "beslissing_nodig"}
