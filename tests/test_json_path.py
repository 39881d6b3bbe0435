# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The advice as plain data and ``Engine.advise_json``: the JSON path builds no model, yet every
advice it writes is the model's JSON byte for byte, with complete, schema-valid reasoning."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ANY_CASE, EXAMPLES, POLICIES
from hypothesis import given
from pydantic import BaseModel

from maatwerk import CaseError, Engine, parse_case
from maatwerk._advice.plain import AdviceData, advice_model, money, to_json
from maatwerk._bench.cases import scenarios
from maatwerk.models.advice import Advice


def _data(engine: Engine, case: Any) -> AdviceData:
    return engine._advise_data(parse_case(case), engine.policies)


def _advises(engine: Engine, case: Any) -> bool:
    try:
        engine.advise(case)
    except CaseError:
        return False  # a case the engine refuses: the error test below compares the two paths
    return True


@given(case=ANY_CASE)
def test_the_plain_advice_is_a_valid_advice(each_engine: Engine, case: dict[str, Any]) -> None:
    """Invariant plain_advice_is_valid: for any case of either domain and every evaluator, the plain
    data the builders make validates as an :class:`Advice` (every field, type, literal and amount the
    model and its JSON schema demand), the validated model equals the one made from the data
    without validation, and both write the same JSON as the data itself."""
    if not _advises(each_engine, case):
        return
    data = _data(each_engine, case)
    validated = Advice.model_validate(data)
    assert validated == advice_model(data)
    assert validated.model_dump_json().encode() == to_json(data)


@given(case=ANY_CASE)
def test_advise_json_is_the_advice_model_json(each_engine: Engine, case: dict[str, Any]) -> None:
    """Invariant json_path_identical: for any case of either domain and every evaluator,
    ``advise_json`` is byte for byte ``advise(...).model_dump_json()``, compact and indented."""
    if not _advises(each_engine, case):
        return
    advice = each_engine.advise(case)
    assert each_engine.advise_json(case) == advice.model_dump_json().encode("utf-8")
    assert each_engine.advise_json(case, indent=True) == advice.model_dump_json(indent=2).encode("utf-8")


def _scenario_cases() -> list[tuple[str, str | None, Any]]:
    return [
        (f"{domain}/{s.name}", s.municipality, s.case)
        for domain in ("benefits", "providers")
        for s in scenarios(POLICIES, domain)
    ]


@pytest.mark.parametrize("evaluator", ["durable", "reference", "compiled"])
def test_every_scenario_and_example_gives_the_same_json_on_both_paths(evaluator: str) -> None:
    """Every worked scenario of the bundled packs (with its own municipality) and every example:
    the JSON path and the model give the same bytes."""
    from maatwerk._api import durable_unavailable

    if evaluator == "durable" and durable_unavailable() is not None:
        pytest.skip("durable-rules does not import on this Python")
    engines: dict[str | None, Engine] = {}
    cases = _scenario_cases()
    cases += [
        (p.name, "lansingerland", json.loads(p.read_text(encoding="utf-8"))) for p in sorted(EXAMPLES.glob("*.json"))
    ]
    assert len(cases) > 50
    for name, municipality, case in cases:
        engine = engines.get(municipality) or engines.setdefault(
            municipality,
            Engine(evaluator=evaluator, municipality=municipality),  # type: ignore[arg-type]
        )
        expected = engine.advise(case).model_dump_json().encode("utf-8")
        assert engine.advise_json(case) == expected, name


def test_a_previewed_bill_and_the_milder_law_give_the_same_json(policy_copy: Path) -> None:
    """The engine's own steps (a previewed bill's note, the milder law's) are in the JSON as in the model."""
    import datetime as dt

    case = json.loads((EXAMPLES / "01-inkomsten-normaal.json").read_text(encoding="utf-8"))
    preview = Engine(preview={"whsz": dt.date(2026, 1, 1)}, evaluator="reference")
    assert preview.advise_json(case) == preview.advise(case).model_dump_json().encode()
    assert "voorstel_verkenning" in {s.rule_id for s in preview.advise(case).steps}
    national = policy_copy / "benefits" / "nl-benefits"
    text = (national / "2013-01-01.yaml").read_text(encoding="utf-8")
    text = text.replace("valid_from: 2013-01-01\n  covers_earlier_conduct: true", "valid_from: 2026-01-01", 1)
    (national / "2026-01-01.yaml").write_text(text, encoding="utf-8")
    milder = Engine(policy_copy, evaluator="reference")
    advice = milder.advise(case)
    assert "lex_mitior" in {s.rule_id for s in advice.steps}
    assert milder.advise_json(case) == advice.model_dump_json().encode()


def test_a_bad_case_gets_the_same_located_error_on_the_json_path(engine: Engine) -> None:
    """advise_json validates the case as advise does: the same problems, located."""
    bad = {"law": "participatiewet", "decision_date": "morgen"}
    with pytest.raises(CaseError) as by_model:
        engine.advise(bad)
    with pytest.raises(CaseError) as by_json:
        engine.advise_json(bad)
    assert by_json.value.problems == by_model.value.problems
    assert {p.where for p in by_json.value.problems} >= {"decision_date"}


def test_the_json_path_builds_no_advice_model(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """advise_json never makes the Advice model (nor validates one): it writes the plain data."""
    case = json.loads((EXAMPLES / "01-inkomsten-normaal.json").read_text(encoding="utf-8"))
    expected = engine.advise(case).model_dump_json().encode()

    def no_model(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an Advice model was built")

    monkeypatch.setattr(Advice, "model_construct", no_model)
    monkeypatch.setattr(Advice, "__init__", no_model)
    assert engine.advise_json(case) == expected


def test_money_in_the_advice_is_whole_cents_and_never_rounded_away() -> None:
    """An amount becomes whole cents as the model's Money makes it (``-0`` is ``0.00``); an amount
    with fractions of a cent is a defect, refused rather than rounded."""
    assert (money(Decimal("12")), money(Decimal("-0")), money(None)) == (Decimal("12.00"), Decimal("0.00"), None)
    assert str(money(Decimal("1234.5"))) == "1234.50"
    with pytest.raises(ValueError, match="fractions of a cent"):
        money(Decimal("0.005"))


def test_the_advice_data_has_the_models_fields_in_the_models_order(engine: Engine) -> None:
    """Each dict of the data has exactly its model's fields in its model's order (the JSON follows
    the order): checked field by field on an advice with a fine, tracks, steps and decisions."""
    case = json.loads((EXAMPLES / "01-inkomsten-normaal.json").read_text(encoding="utf-8"))
    data = _data(engine, case)
    advice = Advice.model_validate(data)

    def check(model: Any, part: Any, where: str) -> None:
        if isinstance(model, BaseModel):
            assert list(part) == list(type(model).model_fields), where
            for name in part:
                check(getattr(model, name), part[name], f"{where}.{name}")
        elif isinstance(model, tuple):
            assert len(model) == len(part), where
            for i, (m, p) in enumerate(zip(model, part, strict=True)):
                check(m, p, f"{where}[{i}]")
        elif isinstance(model, dict):
            for key in model:
                check(model[key], part[key], f"{where}[{key}]")

    check(advice, data, "advice")
    assert (bool(advice.calculation), bool(advice.steps), bool(advice.tracks)) == (True, True, True)
