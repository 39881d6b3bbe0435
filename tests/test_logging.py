# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The one event ``Engine.advise`` logs: through the stdlib logger "maatwerk", without case data."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog
from conftest import POLICIES, valid_case

from maatwerk import Engine


@pytest.fixture(autouse=True)
def structlog_defaults() -> Iterator[None]:
    """structlog's default configuration (the CLI tests configure it globally, as a host would)."""
    saved = structlog.get_config()
    structlog.reset_defaults()
    yield
    structlog.configure(**saved)


def test_each_advice_logs_one_event_without_case_data(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """With a listener at INFO, every advice logs one ``advice`` event naming the case by its keyed
    pseudonym, the measure and the packs, and nothing from the case: not its reference, not its
    values, not its receipt (the first event loads structlog)."""
    case = valid_case()
    with caplog.at_level(logging.INFO, logger="maatwerk"):
        first = engine.advise(case)
        second = engine.advise(case)
    messages = [r.getMessage() for r in caplog.records if r.name == "maatwerk"]
    expected = (
        f"event='advice' case='{engine.pseudonym(case['case_ref'])}' measure='{first.measure.kind}' "
        "packs=['nl-benefits@2013-01-01', 'lansingerland-benefits@2024-01-01']"
    )
    assert [expected, expected] == messages
    assert first.receipt == second.receipt
    assert all(case["case_ref"] not in m and "2480" not in m and first.receipt[:16] not in m for m in messages)


def test_a_case_without_reference_is_logged_without_a_pseudonym(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """A case without ``case_ref`` is logged as ``case=None``: there is nothing to pseudonymise."""
    case = valid_case()
    del case["case_ref"]
    with caplog.at_level(logging.INFO, logger="maatwerk"):
        engine.advise(case)
    [message] = [r.getMessage() for r in caplog.records if r.name == "maatwerk"]
    assert message.startswith("event='advice' case=None measure=")


def test_the_pseudonym_is_keyed_stable_and_not_the_reference() -> None:
    """One key gives one pseudonym per reference, in every engine that holds it; another key (or
    the random key of an engine built without one) gives another, so the pseudonym cannot be
    computed from the reference without the key."""
    key = bytes(range(32))
    a = Engine(POLICIES, log_key=key, evaluator="reference")
    b = Engine(POLICIES, log_key=key, evaluator="reference")
    other = Engine(POLICIES, log_key=bytes(32), evaluator="reference")
    unkeyed = Engine(POLICIES, evaluator="reference")
    ref = "GEM-2024-000123"
    assert a.pseudonym(ref) == b.pseudonym(ref)
    assert a.pseudonym(ref) != a.pseudonym("GEM-2024-000124")
    assert a.pseudonym(ref) != other.pseudonym(ref)
    assert a.pseudonym(ref) != unkeyed.pseudonym(ref)
    assert 16 == len(a.pseudonym(ref))
    assert ref not in a.pseudonym(ref)


@pytest.mark.parametrize("key", [b"", b"too short", "a text, not bytes"])
def test_a_weak_or_mistyped_log_key_is_refused(key: object) -> None:
    """A log key shorter than 16 bytes, or not bytes at all, is refused when the engine is built."""
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Engine(POLICIES, log_key=key, evaluator="reference")  # type: ignore[arg-type]


def test_a_case_reference_that_is_not_text_is_a_type_error(engine: Engine) -> None:
    """pseudonym() takes the case reference as text; anything else is a TypeError naming its type."""
    with pytest.raises(TypeError, match="case_ref must be a str, not int"):
        engine.pseudonym(5)  # type: ignore[arg-type]


def test_a_municipality_that_is_not_text_is_a_type_error() -> None:
    """Engine(municipality=...) takes a name or None; a number is a TypeError, not a lookup."""
    with pytest.raises(TypeError, match="municipality must be a str or None, not int"):
        Engine(POLICIES, municipality=5, evaluator="reference")  # type: ignore[arg-type]


def test_nothing_is_logged_when_no_one_listens(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """Below INFO nothing is rendered or logged."""
    with caplog.at_level(logging.WARNING, logger="maatwerk"):
        engine.advise(valid_case())
    assert [] == [r for r in caplog.records if r.name == "maatwerk"]
