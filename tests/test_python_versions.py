# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Which evaluator advises on which Python (docs/explanation/design.md, *Python versions*).

durable-rules 2.0.28 does not import on Python 3.13 and later; there the reference evaluator, which
gives byte-identical advice, takes over, the advice names it, and one logged warning says why.
`make test` runs this file on Python 3.11 or 3.12 and on 3.13 or later where the machine has one.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import logging
import sys
import threading

import pytest
from conftest import advice_content, valid_case

import maatwerk._api
from maatwerk import Engine, EngineError

DURABLE_IMPORTS = sys.version_info < (3, 13)


def test_durable_rules_is_the_default_wherever_it_imports() -> None:
    """On Python 3.11 and 3.12 the default engine is durable-rules; from 3.13 on, the reference evaluator."""
    assert ("durable" if DURABLE_IMPORTS else "reference") == Engine().evaluator


@pytest.fixture
def without_durable(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as if durable-rules did not import (as on Python 3.13), before any warning."""
    monkeypatch.setattr(maatwerk._api, "_durable_checked", ["durable-rules does not import on Python 3.13 (test)"])
    monkeypatch.setattr(maatwerk._api, "_durable_warned", threading.Event())


@pytest.mark.usefixtures("without_durable")
def test_without_durable_rules_the_reference_evaluator_advises_and_the_advice_says_so() -> None:
    """Where durable-rules cannot be used, Engine() advises with the reference evaluator: the same
    advice, and its ``engine`` names the reference evaluator."""
    advice = Engine().advise(valid_case())
    expected = Engine(evaluator="reference").advise(valid_case())
    assert (advice_content(expected), True) == (advice_content(advice), advice.engine.endswith("; reference evaluator"))


@pytest.mark.usefixtures("without_durable")
def test_the_fallback_is_logged_once_with_its_reason(caplog: pytest.LogCaptureFixture) -> None:
    """The first engine without durable-rules logs one warning naming the reason; later engines log none."""
    with caplog.at_level(logging.WARNING, logger="maatwerk"):
        Engine()
        Engine()
    warnings = [r.getMessage() for r in caplog.records if r.name == "maatwerk" and r.levelno == logging.WARNING]
    assert 1 == len(warnings)
    assert "durable-rules does not import on Python 3.13" in warnings[0]


@pytest.mark.usefixtures("without_durable")
def test_asking_for_durable_rules_where_it_cannot_import_is_an_engine_error() -> None:
    """``evaluator="durable"`` is a promise the engine cannot keep there: EngineError, with a hint."""
    with pytest.raises(EngineError, match="durable-rules evaluator cannot be used"):
        Engine(evaluator="durable")


def test_the_library_writes_nothing_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    """Embedded, maatwerk prints nothing: an engine and an advice write no byte to stdout or stderr."""
    engine = Engine()
    engine.advise(valid_case())
    assert ("", "") == tuple(capsys.readouterr())
