# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The facts the rules read, encoded for the rules engine: ``encode_facts`` (one plan per stack)
writes exactly what ``encode_into`` specifies, fact by fact, for every case of either domain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from conftest import benefit_cases, provider_cases
from hypothesis import assume, given
from hypothesis import strategies as st

from maatwerk import Engine, MaatwerkError, parse_case
from maatwerk._domains import domain_of
from maatwerk._domains.facts import encode_facts
from maatwerk._engine import ReferenceEvaluator, Trace
from maatwerk._engine.core import ConditionKey
from maatwerk._policy.facts import Encoded, FactSpec, PyValue, encode_into
from maatwerk._policy.stack import Stack

ENGINE = Engine(evaluator="reference")


def _as_specified(facts: dict[str, FactSpec], values: dict[str, PyValue]) -> dict[str, Encoded]:
    out: dict[str, Encoded] = {}
    for name, spec in facts.items():
        if spec.output:
            out[name] = spec.default
        else:
            encode_into(out, spec, values[name])
    return out


class _Recording(ReferenceEvaluator):
    """The reference evaluator, keeping the encoded fact each evaluation is given."""

    def __init__(self) -> None:
        super().__init__()
        self.given: list[Mapping[str, Encoded]] = []

    def evaluate(self, stack: Stack, key: ConditionKey, fact: Mapping[str, Encoded]) -> Trace:
        self.given.append(dict(fact))
        return super().evaluate(stack, key, fact)


@given(case=st.one_of(benefit_cases(), provider_cases()))
def test_encoded_facts_are_what_encode_into_specifies(case: dict[str, Any]) -> None:
    """For any case, under each stack it selects: the fact the rules get has the same fields,
    values and order as encode_into writes for the derived values."""
    parsed = parse_case(case)
    try:
        sel = ENGINE._select(parsed)
    except MaatwerkError:
        assume(False)  # no pack covers this case's days: nothing is encoded
    domain = domain_of(parsed)
    for stack in {id(s): s for s in (sel.decision, sel.conduct)}.values():
        recording = _Recording()
        try:
            _, _, values = domain.evaluate(recording, parsed, stack, sel)
        except MaatwerkError:
            continue  # this stack's parameters do not cover the case: nothing is encoded
        (given_fact,) = recording.given
        expected = _as_specified(dict(stack.facts), dict(values))
        assert list(given_fact.items()) == list(expected.items())


def test_every_kind_known_and_unknown() -> None:
    """Each kind of fact, known and unknown, outputs at their default."""
    facts = {
        "b": FactSpec("b", "bool", ""),
        "e": FactSpec("e", "enum", "", ("x",)),
        "m": FactSpec("m", "money", ""),
        "d": FactSpec("d", "date", ""),
        "i": FactSpec("i", "int", ""),
        "o": FactSpec("o", "enum", "", ("y",), output=True),
        "n": FactSpec("n", "int", "", output=True),
    }
    known: dict[str, PyValue] = {"b": False, "e": "x", "m": Decimal("12.34"), "d": dt.date(2025, 1, 2), "i": 7}
    unknown: dict[str, PyValue] = dict.fromkeys(known)
    assert encode_facts(facts, known) == {
        "b": 0,
        "e": "x",
        "m": 1234,
        "m__known": 1,
        "d": dt.date(2025, 1, 2).toordinal(),
        "d__known": 1,
        "i": 7,
        "i__known": 1,
        "o": "",
        "n": 0,
    }
    assert encode_facts(facts, unknown) == _as_specified(facts, unknown)
    assert encode_facts(facts, unknown)["b"] == -1


@pytest.mark.parametrize(("kind", "value"), [("money", 12.5), ("date", "2025-01-02"), ("int", True)])
def test_a_fact_of_the_wrong_type_is_an_error_not_a_number(kind: Any, value: PyValue) -> None:
    """A derivation that hands a fact the wrong type is a defect: an error, never a guessed encoding."""
    with pytest.raises(TypeError, match="fact f"):
        encode_facts({"f": FactSpec("f", kind, "")}, {"f": value})
