# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""``Engine.outcome``: the decision without the reasoning, field for field what ``advise`` gives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ANY_CASE, EXAMPLES, benefit_cases
from hypothesis import given

from maatwerk import CaseError, Engine
from maatwerk.models.advice import Outcome


@given(case=ANY_CASE)
def test_the_outcome_is_the_advice_without_its_reasoning(each_engine: Engine, case: dict[str, Any]) -> None:
    """Invariant outcome_equals_advice: for any case of either domain and either evaluator, the
    outcome equals the same parts of the full advice (measure, amount, term, band amounts, track
    statuses and amounts, fired rules, packs, engine and receipt). The outcome is made from plain
    data without validating it again, so it is also held to the model: validated anew it is the
    same, and its JSON is byte for byte that of the advice's outcome (money in whole cents)."""
    found = each_engine.outcome(case)
    expected = Outcome.of(each_engine.advise(case))
    assert found == expected
    assert found.model_dump_json() == expected.model_dump_json()
    assert Outcome.model_validate(found.model_dump()) == found


@given(case=benefit_cases())
def test_the_outcome_of_a_previewed_bill_equals_its_advice(case: dict[str, Any]) -> None:
    """Invariant outcome_equals_advice under a previewed bill (the conditional fine) and its notes."""
    engine = _preview_engine()
    assert engine.outcome(case) == Outcome.of(engine.advise(case))


_PREVIEW: list[Engine] = []


def _preview_engine() -> Engine:
    if not _PREVIEW:
        _PREVIEW.append(Engine(preview={"whsz": dt.date(2026, 1, 1)}, evaluator="reference"))
    return _PREVIEW[0]


def test_the_outcome_of_each_example(engine: Engine) -> None:
    """Every bundled example: the outcome names the advice's measure and receipt."""
    for path in sorted(EXAMPLES.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        advice = engine.advise(case)
        outcome = engine.outcome(case)
        assert (outcome.measure, outcome.amount, outcome.receipt) == (
            advice.measure.kind,
            advice.measure.amount,
            advice.receipt,
        ), path.name


@pytest.mark.parametrize("percentage", [60, 40])
def test_the_milder_law_decides_the_outcome_too(policy_copy: Path, percentage: int) -> None:
    """A version of the law from 2026 with another percentage for normal culpability: for conduct
    before it and a decision after it, the outcome is the milder of the two, as the advice's."""
    national = policy_copy / "benefits" / "nl-benefits"
    text = (national / "2013-01-01.yaml").read_text(encoding="utf-8")
    text = text.replace("valid_from: 2013-01-01\n  covers_earlier_conduct: true", "valid_from: 2026-01-01", 1)
    old = "values: [{from: 2013-01-01, value: 50}]"
    assert old in text
    text = text.replace(old, f"values: [{{from: 2013-01-01, value: {percentage}}}]", 1)
    (national / "2026-01-01.yaml").write_text(text, encoding="utf-8")
    engine = Engine(policy_copy, evaluator="reference")
    case = json.loads((EXAMPLES / "01-inkomsten-normaal.json").read_text(encoding="utf-8"))
    advice = engine.advise(case)
    assert "lex_mitior" in {s.rule_id for s in advice.steps}
    outcome = engine.outcome(case)
    assert outcome == Outcome.of(advice)


def test_a_bad_case_gets_the_same_located_error() -> None:
    """The outcome validates the case as advise does: every problem, located."""
    with pytest.raises(CaseError) as info:
        Engine(evaluator="reference").outcome({"law": "participatiewet", "decision_date": "morgen"})
    assert {p.where for p in info.value.problems} >= {"decision_date"}


def test_outcomes_of_a_batch_build_no_reasoning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Engine.outcomes gives each case's outcome, in order, without building an advice, serially
    and in worker processes alike; the same as advise_many(each=Outcome.of)."""
    engine = Engine(evaluator="reference")
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]
    expected = [engine.outcome(c) for c in cases]
    assert len({o.measure for o in expected}) > 1  # the examples reach more than one measure
    assert engine.outcomes(cases, processes=2, chunksize=3) == expected
    assert engine.advise_many(cases, each=Outcome.of) == expected

    def no_advice(_case: object) -> None:
        raise AssertionError("an advice was built")

    monkeypatch.setattr(engine, "advise", no_advice)
    assert engine.outcomes(iter(cases)) == expected
    assert engine.outcomes([]) == []
    assert engine.outcomes([], processes=2) == []


def test_outcomes_raise_the_first_invalid_case_in_input_order() -> None:
    """A batch with invalid cases raises the error of the first one in input order, serially and
    from workers, as advise_many does."""
    engine = Engine(evaluator="reference")
    good = json.loads((EXAMPLES / "01-inkomsten-normaal.json").read_text(encoding="utf-8"))
    cases = [good] * 5 + [{**good, "decision_date": "morgen"}] + [good] * 5 + [{**good, "law": "wajong"}]
    for processes in (None, 2):
        with pytest.raises(CaseError) as info:
            engine.outcomes(cases, processes=processes, chunksize=2)
        assert [p.where for p in info.value.problems] == ["decision_date"]


@pytest.mark.parametrize(("processes", "chunksize"), [(0, 1), (1, 0), (True, 1), (2.0, 1)])
def test_outcomes_refuse_a_pool_that_cannot_be(processes: object, chunksize: object) -> None:
    """processes is None or at least 1, chunksize at least 1: anything else is a clear error."""
    with pytest.raises((TypeError, ValueError)):
        Engine(evaluator="reference").outcomes([], processes=processes, chunksize=chunksize)  # type: ignore[arg-type]
