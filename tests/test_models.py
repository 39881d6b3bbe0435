# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The case model and ``parse_case``: money, dates, JSON, and located errors."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from conftest import valid_case
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from maatwerk import BenefitCase, CaseError, parse_case
from maatwerk._intake.case import MAX_CASE_BYTES
from maatwerk.models._base import MAX_MONEY, MONEY_ERROR, CaseMoney, Day, money_message, to_day, to_money


def benefit_case(data: Any) -> BenefitCase:
    """The parsed case, which must be a benefit case."""
    case = parse_case(data)
    assert isinstance(case, BenefitCase)
    return case


def problems_of(data: object) -> list[tuple[str, str]]:
    """The ``(where, code)`` of every problem ``parse_case`` reports for ``data``."""
    with pytest.raises(CaseError) as info:
        parse_case(data)  # type: ignore[arg-type]
    return [(p.where, p.code) for p in info.value.problems]


def with_net(value: object) -> dict[str, Any]:
    case = valid_case()
    case["benefit_loss"] = {"net": value}
    return case


def with_violation(**changes: object) -> dict[str, Any]:
    case = valid_case()
    case["violation"].update(changes)
    return case


# --- money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1240.50", Decimal("1240.50")),
        ("1240.5", Decimal("1240.50")),
        ("1240", Decimal("1240.00")),
        (" 1240.00 ", Decimal("1240.00")),
        (1240, Decimal("1240.00")),
        (Decimal("0.10"), Decimal("0.10")),
        ("0", Decimal("0.00")),
        ("1000000000.00", MAX_MONEY),
    ],
)
def test_money_accepts_decimal_strings_ints_and_decimals(given: object, expected: Decimal) -> None:
    """An amount is a decimal string, an int or a Decimal, normalised to whole cents."""
    assert expected == to_money(given)


def test_money_is_always_quantised_to_two_decimals() -> None:
    """Every accepted amount carries exactly two decimals, so it serialises as 'x.yy'."""
    assert "1240.00" == str(to_money("1240"))


@pytest.mark.parametrize(
    "given",
    [
        1240.5,
        0.1,
        "1e3",
        "1E3",
        "1.2e+2",
        "-1.00",
        -5,
        "1240.505",
        "0.001",
        "12,50",
        "abc",
        "",
        "NaN",
        "Infinity",
        "-Infinity",
        True,
        [1],
        "1000000000.01",
        "1" * 21,
    ],
)
def test_money_refuses_floats_exponents_negatives_and_fractions_of_cents(given: object) -> None:
    """Floats, exponent notation, negatives, more than two decimals and non-numbers are refused
    with CASE_INVALID_VALUE located at the field."""
    assert [("benefit_loss.net", "CASE_INVALID_VALUE")] == problems_of(with_net(given))


@pytest.mark.parametrize("number", ["2480.5", "2480.50", "2.4805e3", "0.0"])
@pytest.mark.parametrize("form", ["text", "bytes"])
def test_a_json_float_amount_is_refused_from_json_text_as_from_a_dict(number: str, form: str) -> None:
    """docs/case-format.md: a JSON number with a fraction or exponent is refused as an amount, from
    JSON text and bytes exactly as from a dict (the exact reading of the number does not make it a string)."""
    text = json.dumps(with_net("@")).replace('"@"', number)
    with pytest.raises(CaseError) as info:
        parse_case(text if form == "text" else text.encode())
    assert [("benefit_loss.net", "CASE_INVALID_VALUE")] == [(p.where, p.code) for p in info.value.problems]


def test_a_whole_json_number_is_still_an_amount() -> None:
    """A whole JSON number (``2480``) is an amount, as the case format says."""
    text = json.dumps(with_net("@")).replace('"@"', "2480")
    assert Decimal("2480.00") == parse_case(text).benefit_loss.net  # type: ignore[union-attr]


def test_money_negative_zero_is_zero() -> None:
    """'-0.00' is either refused or normalised to '0.00', never echoed as a negative amount."""
    case = benefit_case(with_net("-0.00"))
    assert "0.00" == case.benefit_loss.model_dump(mode="json")["net"]


def test_money_field_problem_names_the_nested_field() -> None:
    """A bad amount deep in the case is located by its dotted path."""
    case = valid_case()
    case["finances"]["monthly_norm"] = 1401.5
    assert [("finances.monthly_norm", "CASE_INVALID_VALUE")] == problems_of(case)


@pytest.mark.parametrize("field", ["monthly_norm", "household_monthly_norm"])
@pytest.mark.parametrize("amount", ["0.00", "0", "-0.00"])
def test_a_bijstandsnorm_of_nothing_is_refused_at_its_field(field: str, amount: str) -> None:
    """No norm of the Participatiewet, IOAW or IOAZ is €0 (it would cap the fine at nothing): the case is
    refused at the field with the reason, never advised; a norm of one cent is an amount like any other."""
    case = valid_case()
    case["finances"][field] = amount
    with pytest.raises(CaseError) as info:
        parse_case(case)
    assert [(f"finances.{field}", "CASE_INVALID_VALUE", "a bijstandsnorm is more than 0")] == [
        (p.where, p.code, p.message) for p in info.value.problems
    ]
    case["finances"][field] = "0.01"
    parsed = parse_case(case)
    assert isinstance(parsed, BenefitCase)
    assert "0.01" == str(getattr(parsed.finances, field))


# --- JSON ----------------------------------------------------------------------------------------


def test_json_decimals_are_exact() -> None:
    """JSON numbers with a fraction are read as exact Decimals, never as float: 0.1 stays exactly 0.1
    (and an amount of money still refuses them: see the test above)."""
    from maatwerk._intake.case import load_json

    value = load_json('{"x": 0.1}')["x"]
    assert (True, Decimal("0.1")) == (isinstance(value, Decimal), value)


def test_json_text_and_bytes_and_dict_give_the_same_case() -> None:
    """A case given as a dict, as JSON text or as UTF-8 bytes parses to the same model."""
    data = valid_case()
    text = json.dumps(data)
    assert parse_case(data) == parse_case(text) == parse_case(text.encode())


def test_parse_case_returns_a_model_unchanged() -> None:
    """A BenefitCase passed in is returned as it is."""
    case = parse_case(valid_case())
    assert case is parse_case(case)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(constant: str) -> None:
    """NaN and Infinity are not numbers a case may carry: CASE_JSON, before any field is read."""
    text = json.dumps(valid_case()).replace('"2480.00"', constant)
    assert [("(input)", "CASE_JSON")] == problems_of(text)


def test_invalid_json_is_refused() -> None:
    """Text that is not JSON is CASE_JSON."""
    assert [("(input)", "CASE_JSON")] == problems_of('{"law": ')


@pytest.mark.parametrize("data", ["[]", "42", '"case"', b"null"])
def test_json_that_is_not_an_object_is_refused(data: str | bytes) -> None:
    """A case is a JSON object."""
    assert [("(input)", "CASE_NOT_OBJECT")] == problems_of(data)


def test_oversized_input_is_refused() -> None:
    """Input text over the size limit is refused before it is parsed."""
    assert [("(input)", "CASE_TOO_LARGE")] == problems_of(" " * (MAX_CASE_BYTES + 1))


def test_deeply_nested_json_text_is_a_case_error() -> None:
    """JSON text nested beyond the parser's limits is a CaseError, not a crash."""
    text = '{"law": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert [("(input)", "CASE_JSON")] == problems_of(text)


def test_deeply_nested_dict_is_a_case_error() -> None:
    """A dict nested deeper than Python's recursion limit is refused as CASE_TOO_DEEP."""
    deep: dict[str, Any] = {}
    cursor = deep
    for _ in range(5000):
        cursor["a"] = {}
        cursor = cursor["a"]
    case = valid_case()
    case["extra"] = deep
    assert ("CASE_TOO_DEEP" in {code for _, code in problems_of(case)}) is True


# --- located field errors ------------------------------------------------------------------------


def test_unknown_field_is_refused_with_its_path() -> None:
    """A field the schema does not know is an error, never ignored."""
    case = valid_case()
    case["circumstances"] = {"debts": True, "mood": "good"}
    assert [("circumstances.mood", "CASE_UNKNOWN_FIELD")] == problems_of(case)


def test_missing_field_is_reported_with_its_path() -> None:
    """A required field that is absent is CASE_MISSING_FIELD at its path."""
    case = valid_case()
    del case["violation"]["detection"]
    assert [("violation.detection", "CASE_MISSING_FIELD")] == problems_of(case)


def test_every_problem_is_reported_at_once() -> None:
    """All field problems come back in one CaseError."""
    case = valid_case()
    del case["law"]
    case["benefit_loss"]["net"] = 1.5
    case["colour"] = "blue"
    assert {
        ("law", "CASE_MISSING_FIELD"),
        ("benefit_loss.net", "CASE_INVALID_VALUE"),
        ("colour", "CASE_UNKNOWN_FIELD"),
    } == set(problems_of(case))


@pytest.mark.parametrize("value", ["", "a b", "x" * 65, "ü"])
def test_case_ref_is_a_short_opaque_token(value: str) -> None:
    """case_ref is 1-64 characters of letters, digits and . _ : -."""
    case = valid_case()
    case["case_ref"] = value
    assert [("case_ref", "CASE_INVALID_VALUE")] == problems_of(case)


@pytest.mark.parametrize(
    ("field", "value"),
    [("law", "wajong"), ("culpability", {"confirmed": "nalatig"}), ("violation", {"detection": "tip"})],
)
def test_values_outside_the_vocabulary_are_refused(field: str, value: object) -> None:
    """Enumerated fields accept only their documented values."""
    case = valid_case()
    if isinstance(value, dict):
        case[field].update(value)
    else:
        case[field] = value
    assert {"CASE_INVALID_VALUE"} == {code for _, code in problems_of(case)}


def test_loss_needs_net_or_gross() -> None:
    """A benadelingsbedrag gives the net or the gross amount (or both)."""
    case = valid_case()
    case["benefit_loss"] = {"already_recovered": "10.00"}
    assert [("benefit_loss", "CASE_INVALID_VALUE")] == problems_of(case)


def test_gross_loss_is_never_below_net() -> None:
    """The gross benadelingsbedrag cannot be lower than the net amount."""
    case = valid_case()
    case["benefit_loss"] = {"net": "100.00", "gross": "99.99"}
    assert [("benefit_loss", "CASE_INVALID_VALUE")] == problems_of(case)


@pytest.mark.parametrize("days", [-1, 36501])
def test_limitation_suspension_days_are_bounded(days: int) -> None:
    """Suspended days lie between 0 and 36500."""
    case = valid_case()
    case["procedure"]["limitation_suspended_days"] = days
    assert [("procedure.limitation_suspended_days", "CASE_INVALID_VALUE")] == problems_of(case)


def test_history_is_bounded() -> None:
    """At most 100 earlier sanctions."""
    case = valid_case()
    case["history"] = [{"kind": "boete", "final_on": "2020-01-01", "same_conduct": False}] * 101
    assert [("history", "CASE_INVALID_VALUE")] == problems_of(case)


def test_unconditional_prison_only_for_a_criminal_sanction() -> None:
    """Only a strafrechtelijke_sanctie can include an unconditional prison sentence."""
    case = valid_case()
    case["history"] = [{"kind": "boete", "final_on": "2020-01-01", "same_conduct": True, "unconditional_prison": True}]
    assert [("history.0", "CASE_INVALID_VALUE")] == problems_of(case)


def test_models_are_frozen() -> None:
    """A parsed case cannot be changed in place."""
    case = parse_case(valid_case())
    with pytest.raises(ValidationError):
        case.law = "ioaw"  # type: ignore[misc, assignment]


def test_defaults_mean_unknown() -> None:
    """Optional facts that are absent are unknown (None), never 'no'."""
    case = benefit_case(valid_case())
    assert (None, None, ()) == (case.circumstances.debts, case.culpability.indicators.admission, case.history)


def test_case_schema_has_no_protected_characteristics() -> None:
    """The case schema holds no field for a protected characteristic or proxy (domain.md §7)."""
    from maatwerk._intake.case import PROTECTED_KEYS

    def names(schema: object) -> set[str]:
        out: set[str] = set()
        if isinstance(schema, dict):
            for key, value in schema.items():
                if key == "properties" and isinstance(value, dict):
                    out.update(value)
                out |= names(value)
        elif isinstance(schema, list):
            for item in schema:
                out |= names(item)
        return out

    assert set() == names(BenefitCase.model_json_schema()) & PROTECTED_KEYS


def test_every_case_model_forbids_unknown_fields_and_has_no_free_form_mapping() -> None:
    """Every model a case is made of refuses unknown fields and has no field that takes arbitrary
    keys: what lets parse_case look for protected characteristics only in a case that fails
    validation (a protected key is always an unknown field)."""
    from pydantic import BaseModel

    from maatwerk.models.provider import ProviderCase

    seen: dict[str, tuple[str, bool]] = {}

    def walk(model: type[BaseModel]) -> None:
        if model.__name__ in seen:
            return
        free = False
        seen[model.__name__] = (str(model.model_config.get("extra")), free)
        for field in model.model_fields.values():
            for arg in _types_in(field.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    walk(arg)
                elif arg in (dict, Mapping) or getattr(arg, "__origin__", None) in (dict, Mapping):
                    seen[model.__name__] = (seen[model.__name__][0], True)

    walk(BenefitCase)
    walk(ProviderCase)
    assert dict.fromkeys(seen, ("forbid", False)) == seen


def _types_in(annotation: object) -> list[object]:
    from typing import get_args, get_origin

    out: list[object] = [annotation]
    origin = get_origin(annotation)
    if origin is not None:
        out.append(origin)
    for arg in get_args(annotation):
        out.extend(_types_in(arg))
    return out


# --- dates ---------------------------------------------------------------------------------------


def test_period_may_not_end_before_it_starts() -> None:
    """A violation period ends on or after its start."""
    case = with_violation(period={"start": "2025-02-01", "end": "2025-01-31"})
    assert [("violation.period", "CASE_INVALID_VALUE")] == problems_of(case)


def test_period_of_one_day_is_valid() -> None:
    """A period may start and end on the same day."""
    case = benefit_case(with_violation(period={"start": "2025-02-01", "end": "2025-02-01"}))
    assert dt.date(2025, 2, 1) == case.violation.period.end


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("detected_on", "2026-03-03"),
        ("information_due", "2026-03-03"),
        ("period", {"start": "2026-03-03", "end": "2026-03-04"}),
    ],
)
def test_dates_after_the_decision_are_refused(field: str, value: object) -> None:
    """Nothing the decision relies on can happen after the decision date."""
    with pytest.raises(CaseError) as info:
        parse_case(with_violation(**{field: value}))
    assert "after decision_date" in info.value.problems[0].message
    assert f"violation.{field}" in info.value.problems[0].message


def test_history_after_the_decision_is_refused() -> None:
    """An earlier sanction cannot become final after the decision date."""
    case = valid_case()
    case["history"] = [{"kind": "boete", "final_on": "2026-03-03", "same_conduct": True}]
    with pytest.raises(CaseError) as info:
        parse_case(case)
    assert "history.0.final_on" in info.value.problems[0].message


def test_period_may_not_end_after_the_decision() -> None:
    """The established violation ends on or before the decision date."""
    problems_of(with_violation(period={"start": "2025-02-01", "end": "2026-12-31"}))


def test_self_report_date_is_required_for_a_self_report() -> None:
    """detection zelfmelding_* needs self_reported_on."""
    case = with_violation(detection="zelfmelding_voor_ontdekking")
    assert [("violation", "CASE_INVALID_VALUE")] == problems_of(case)


def test_self_report_date_is_refused_without_a_self_report() -> None:
    """self_reported_on is only given when the person reported the violation."""
    case = with_violation(self_reported_on="2025-10-01")
    assert [("violation", "CASE_INVALID_VALUE")] == problems_of(case)


def test_self_report_before_the_due_date_is_refused() -> None:
    """A report before the information was due means there was no violation."""
    case = with_violation(detection="zelfmelding_voor_ontdekking", self_reported_on="2025-02-07")
    assert [("violation", "CASE_INVALID_VALUE")] == problems_of(case)


@pytest.mark.parametrize("value", ["2025-02-30", "01-02-2025", "2025/02/01", 20250201.0])
def test_dates_are_iso_calendar_dates(value: object) -> None:
    """Dates are real ISO 8601 calendar dates."""
    case = valid_case()
    case["decision_date"] = value
    assert [("decision_date", "CASE_INVALID_VALUE")] == problems_of(case)


# --- dates in pydantic-core ----------------------------------------------------------------------------

DAY = TypeAdapter(Day)


def _outcome(check: Any, value: object) -> object:
    try:
        return check(value)
    except (ValueError, ValidationError) as err:
        if isinstance(err, ValidationError):
            return err.errors()[0]["msg"]
        return str(err)


DAY_LIKE = st.one_of(
    st.dates(),
    st.datetimes(),
    st.dates().map(dt.date.isoformat),
    st.datetimes().map(dt.datetime.isoformat),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.from_regex(r"\s?[0-9０-９]{4}-[0-9]{1,2}-[0-9]{2}\s?", fullmatch=True),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.none(),
    st.booleans(),
    st.binary(max_size=10),
)


@given(value=DAY_LIKE)
def test_a_day_is_validated_in_pydantic_core_exactly_as_to_day_specifies(value: object) -> None:
    """The ``Day`` of every case model is checked inside pydantic-core, without a Python call per date;
    it accepts what :func:`to_day` (the written specification) accepts, and refuses the rest with
    to_day's message: no datetime, timestamp, padded or full-width text, no day outside the calendar
    or outside 1900-01-01 .. 2999-12-31."""
    expected = _outcome(to_day, value)
    assert expected == _outcome(DAY.validate_python, value)


def test_history_dates_call_no_python_validator() -> None:
    """The dates of an earlier sanction are validated by pydantic-core's own validators: no Python
    function is in their schema (a case may carry a hundred of them)."""
    from maatwerk.models.case import PriorSanction

    def functions(schema: object) -> list[str]:
        if isinstance(schema, dict):
            own = [schema["type"]] if str(schema.get("type", "")).startswith("function") else []
            return own + [f for v in schema.values() for f in functions(v)]
        if isinstance(schema, list):
            return [f for v in schema for f in functions(v)]
        return []

    def model_fields(schema: object) -> dict[str, Any]:
        if isinstance(schema, dict):
            if schema.get("type") == "model-fields":
                return schema["fields"]  # type: ignore[no-any-return]
            for value in schema.values():
                found = model_fields(value)
                if found:
                    return found
        return {}

    fields = model_fields(PriorSanction.__pydantic_core_schema__)
    assert {"imposed_on", "final_on"} <= set(fields)
    assert [] == functions(fields["imposed_on"]) + functions(fields["final_on"])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2020-02-30", "this day does not exist in the calendar"),
        ("20-01-2020", "a date is a string 'YYYY-MM-DD', without a time of day"),
        ("2020-01-01T00:00:00", "a date is a string 'YYYY-MM-DD', without a time of day"),
        ("1899-12-31", "a date lies between 1900-01-01 and 2999-12-31"),
    ],
)
def test_a_bad_date_in_the_57th_history_entry_is_reported_at_history_56(value: str, message: str) -> None:
    """Among a hundred earlier sanctions, a bad date is located at its entry and field, with a clear
    message that does not repeat the value."""
    case = valid_case()
    entry = {"kind": "boete", "imposed_on": "2020-01-01", "final_on": "2020-03-01", "same_conduct": True}
    case["history"] = [dict(entry) for _ in range(100)]
    case["history"][56]["final_on"] = value
    with pytest.raises(CaseError) as info:
        parse_case(case)
    assert [("history.56.final_on", "CASE_INVALID_VALUE")] == [(p.where, p.code) for p in info.value.problems]
    assert message in info.value.problems[0].message
    assert value not in info.value.problems[0].message


# --- amounts in pydantic-core ----------------------------------------------------------------------------

CASE_MONEY = TypeAdapter(CaseMoney)

MONEY_LIKE = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=MAX_MONEY).map(str),
    st.from_regex(r"[0-9]{1,11}\.[0-9]{2}", fullmatch=True),
    st.from_regex(r"\s?-?[0-9０-９]{0,4}(\.[0-9]{0,3})?([eE][+-]?[0-9])?\s?", fullmatch=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.floats(),
    st.text(max_size=24),
    st.none(),
    st.booleans(),
)


def _money_outcome(value: object) -> object:
    """What a case makes of ``value`` as an amount: the value and its JSON, or the message parse_case gives."""
    try:
        amount = CASE_MONEY.validate_python(value)
    except ValidationError as err:
        (error,) = err.errors()
        assert error["type"] == MONEY_ERROR
        return money_message(error["input"])
    return (amount, CASE_MONEY.dump_python(amount, mode="json"))


def _to_money_outcome(value: object) -> object:
    try:
        amount = to_money(value)
    except ValueError as err:
        return f"Value error, {err}"
    return (amount, str(amount))


@given(value=MONEY_LIKE)
def test_an_amount_in_a_case_is_validated_exactly_as_to_money_specifies(value: object) -> None:
    """An amount of money in a case is read inside pydantic-core where it is written '1234.56'; for
    any value it gives what :func:`to_money` (the written specification) gives: the same Decimal
    with the same two decimals in JSON, or the same message."""
    assert _to_money_outcome(value) == _money_outcome(value)


@pytest.mark.parametrize(
    "given",
    ["1240.505", "1e3", "-1.00", 1240.5, True, [1], "1000000000.01", "12,50", "1" * 21, "NaN"],
)
def test_a_refused_amount_in_a_case_gets_to_moneys_message_at_its_location(given: object) -> None:
    """parse_case words a refused amount as to_money does ('Value error, ...'), located at the field."""
    with pytest.raises(CaseError) as info:
        parse_case(with_net(given))
    assert [("benefit_loss.net", "CASE_INVALID_VALUE", _to_money_outcome(given))] == [
        (p.where, p.code, p.message) for p in info.value.problems
    ]


def test_the_common_amount_calls_no_python_validator() -> None:
    """'1234.56' is read by pydantic-core alone: to_money is the fallback of the schema, never its first step."""
    schema = CASE_MONEY.core_schema
    assert schema["type"] == "custom-error"
    first, fallback = schema["schema"]["choices"]
    assert first["type"] == "chain"
    assert [s["type"] for s in first["steps"]] == ["str", "decimal"]
    assert fallback["type"] == "function-plain"
