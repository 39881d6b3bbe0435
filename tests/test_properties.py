# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Invariants of the advice, checked on generated cases (Hypothesis).

The key oracle: the durable-rules evaluator and the plain-Python reference evaluator must fire the
same rules and give byte-identical advice on every valid case.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from typing import Any

import pytest
from conftest import LAWS, POLICIES, advice_content, advice_json, benefit_cases, valid_case
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk import CaseError, Engine
from maatwerk._intake.case import PROTECTED_KEYS
from maatwerk.testing import cases, from_policy, invariants

#: All kinds of cases, cases that pass every gate (so that fines and warnings are common), and cases
#: aimed at each rule of Lansingerland's pack and the national pack under it.
CASES = st.one_of(benefit_cases(), benefit_cases(fineable=True), from_policy("lansingerland-benefits"))


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
    assert advice_content(reference_engine.advise(case)) == advice_content(engine.advise(case))


@given(case=CASES)
def test_advice_stays_within_legal_bounds(engine: Engine, case: dict[str, Any]) -> None:
    """A fine is never negative nor above the statutory maximum; the advised measure is listed as lawful;
    under law in force no conditional fine."""
    invariants.within_legal_bounds(engine, case)


@given(case=CASES)
def test_more_culpability_never_lowers_the_fine(engine: Engine, case: dict[str, Any]) -> None:
    """Between two culpability levels on the same case that both lead to a fine, the higher level
    gives a fine at least as high (verminderd < normaal < grove schuld < opzet)."""
    invariants.monotonic_in_culpability(engine, case)


@given(case=CASES, more=st.sampled_from(("0.01", "100.00", "5000.00", "60000.00")))
def test_more_loss_never_gives_a_milder_advice(engine: Engine, case: dict[str, Any], more: str) -> None:
    """With a higher benadelingsbedrag (above zero) the measure is at least as heavy and, for the same
    measure, the amount at least as high."""
    invariants.monotonic_in_amount(engine, case, more=more)


@given(case=CASES)
def test_warning_is_advised_only_where_the_law_allows_it(engine: Engine, case: dict[str, Any]) -> None:
    """A warning needs a loss of at most €150 or a self-correction before detection within 60 days,
    and no warning in the two years before the violation started (the national pack's figures)."""
    invariants.warning_only_where_lawful(engine, case)


@given(case=CASES)
def test_warning_is_never_advised_for_intent_in_lansingerland(engine: Engine, case: dict[str, Any]) -> None:
    """Lansingerland's policy: opzet always leads to a fine, never to a warning."""
    case["culpability"]["confirmed"] = "opzet"
    assert engine.advise(case).measure.kind != "waarschuwing"


@given(case=CASES)
def test_fields_no_rule_reads_never_change_the_advice(engine: Engine, case: dict[str, Any]) -> None:
    """``circumstances.cooperated``, ``violation.kind`` and ``case_ref`` are read by no rule: changing
    them changes nothing in the advice but the receipt and the echoed case_ref."""
    invariants.unread_fields_change_nothing(engine, case)


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The bundled packs plus a national version from 2026-01-01 with 60% (not 50%) for normal
    culpability: conduct in 2024-2025 decided in 2026 goes through lex mitior."""
    target = tmp_path_factory.mktemp("two-versions") / "policies"
    shutil.copytree(POLICIES, target, ignore=shutil.ignore_patterns("scenarios"))
    national = target / "benefits" / "nl-benefits"
    text = (national / "2013-01-01.yaml").read_text(encoding="utf-8")
    text = text.replace("valid_from: 2013-01-01\n  covers_earlier_conduct: true", "valid_from: 2026-01-01", 1)
    text = text.replace(
        'normale verwijtbaarheid", en: "Fine for normal culpability"}, values: [{from: 2013-01-01, value: 50}]',
        'normale verwijtbaarheid", en: "Fine for normal culpability"}, values: [{from: 2013-01-01, value: 60}]',
    )
    (national / "2026-01-01.yaml").write_text(text, encoding="utf-8")
    return Engine(target)


@given(case=cases(decided_between=(dt.date(2026, 1, 1), dt.date(2026, 11, 1))))
def test_the_milder_law_wins_when_the_rules_change(two_versions: Engine, case: dict[str, Any]) -> None:
    """Lex mitior: with conduct before and a decision after a change of the rules, the advice is the
    milder of the two versions' advices and says so."""
    invariants.milder_law_wins(two_versions, case)


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
    assert advice_content(Engine(evaluator="reference").advise(case)) == advice_content(engine.advise(case))


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
