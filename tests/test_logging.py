"""The one event ``Engine.advise`` logs: through the stdlib logger "maatwerk", without case data."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog
from conftest import valid_case

from maatwerk import Engine


@pytest.fixture(autouse=True)
def structlog_defaults() -> Iterator[None]:
    """structlog's default configuration (the CLI tests configure it globally, as a host would)."""
    saved = structlog.get_config()
    structlog.reset_defaults()
    yield
    structlog.configure(**saved)


def test_each_advice_logs_one_event_without_case_data(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """With a listener at INFO, every advice logs one ``advice`` event naming the measure, the
    receipt's prefix and the packs, and nothing from the case (the first event loads structlog)."""
    case = valid_case()
    with caplog.at_level(logging.INFO, logger="maatwerk"):
        first = engine.advise(case)
        second = engine.advise(case)
    messages = [r.getMessage() for r in caplog.records if r.name == "maatwerk"]
    expected = (
        f"event='advice' measure='{first.measure.kind}' "
        f"packs=['nl-benefits@2013-01-01', 'lansingerland-benefits@2024-01-01'] receipt='{first.receipt[:16]}'"
    )
    assert [expected, expected] == messages
    assert first.receipt == second.receipt
    assert all(case["case_ref"] not in m and "2480" not in m for m in messages)


def test_nothing_is_logged_when_no_one_listens(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """Below INFO nothing is rendered or logged."""
    with caplog.at_level(logging.WARNING, logger="maatwerk"):
        engine.advise(valid_case())
    assert [] == [r for r in caplog.records if r.name == "maatwerk"]
