# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Faults inside evaluation: each becomes an EngineError (a MaatwerkError) that names the rule and
its pack where one is to blame, never a partial advice, never a bare exception, never a leaked
engine session. Faults are injected by monkeypatching the engine's calls."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, valid_case
from http_support import call, running

from maatwerk import Engine, EngineError, parse_case
from maatwerk._domains.benefits_builder import Builder
from maatwerk._engine import _durable, reference
from maatwerk._policy.stack import CompiledRule
from maatwerk.cli import main

CANARY = "zq-canary-7731"
#: durable-rules' C module as the adapter holds it (only the adapter imports durable-rules).
DRE: Any = vars(_durable)["_dre"]


@pytest.fixture
def fresh() -> Engine:
    """An engine of its own, so that injected faults never touch the shared one's caches."""
    return Engine()


def first_rule_on_level_0(engine: Engine, evaluated_only: bool) -> CompiledRule:
    """The first rule (in definition order) on level 0 of the valid case's stack; with
    ``evaluated_only``, the first that fires."""
    stack = engine._select(parse_case(valid_case())).decision
    fired = set(engine.trace(valid_case()))
    return next(r for r in stack.rules if r.level == 0 and (not evaluated_only or r.id in fired))


def test_a_failure_while_the_engine_completes_a_rules_action_names_that_rule(
    fresh: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """durable-rules fails after reporting a rule as fired: the EngineError names that rule, its pack
    and version, and points at the rule's place in the policy file."""
    rule = first_rule_on_level_0(fresh, evaluated_only=True)

    def failing(*_: Any) -> Any:
        raise RuntimeError("engine state corrupted")

    monkeypatch.setattr(DRE, "complete_and_start_action", failing)
    with pytest.raises(EngineError) as info:
        fresh.advise(valid_case())
    err = info.value
    assert (f"rule {rule.id} of {rule.pack_id}@{rule.pack_version}", rule.where, "ENGINE_RULE_FAILED") == (
        err.message.split(" failed", 1)[0],
        err.problems[0].where,
        err.problems[0].code,
    )
    assert isinstance(err.__cause__, RuntimeError)


def test_a_failure_of_the_engine_itself_names_the_level_and_the_packs(
    fresh: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """durable-rules refuses a fact (no rule to blame): the EngineError names the level and every
    pack of the stack."""

    def failing(*_: Any) -> Any:
        raise Exception("Could not assert fact, error code: 204")  # what the C module raises

    monkeypatch.setattr(DRE, "assert_fact", failing)
    with pytest.raises(EngineError) as info:
        fresh.advise(valid_case())
    assert "level 0" in info.value.message
    assert [
        ("nl-benefits@2013-01-01", "ENGINE_LEVEL_FAILED"),
        ("lansingerland-benefits@2024-01-01", "ENGINE_LEVEL_FAILED"),
    ] == [(p.where, p.code) for p in info.value.problems]


FIRST_CASE_FAILS = """
import sys
sys.path.insert(0, "tests")
from conftest import ROOT, valid_case
from maatwerk import Engine, EngineError
from maatwerk._engine import _durable

dre = vars(_durable)["_dre"]
original = dre.assert_fact
dre.assert_fact = lambda handle, message: (7, *original(handle, message)[1:])
try:
    Engine().advise(valid_case())
except EngineError as err:
    print(err.code, "status 7" in err.message)
dre.assert_fact = original
print(Engine().advise(valid_case()).measure.kind)
"""


def test_an_engine_status_other_than_success_on_a_new_ruleset_is_an_error_not_a_crash() -> None:
    """durable-rules answers the very first fact of a new ruleset with an unknown status: an
    EngineError, not an empty result, and the process lives on (deleting that session used to
    segfault: durable-rules cannot delete a session whose actions were never started while its
    ruleset has started none). Run in a child process, so a crash is reported with its signal."""
    result = subprocess.run(
        [sys.executable, "-c", FIRST_CASE_FAILS], capture_output=True, text=True, timeout=120, check=False, cwd=ROOT
    )
    if result.returncode < 0:
        pytest.fail(f"the child was killed by {signal.Signals(-result.returncode).name}:\n{result.stderr[-2000:]}")
    assert (0, ["ENGINE_ERROR True", "boete"]) == (result.returncode, result.stdout.split("\n")[:2]), result.stderr


def test_a_failure_in_a_rule_condition_of_the_reference_evaluator_names_that_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The plain-Python evaluator fails on the first rule it evaluates: that rule is named."""
    engine = Engine(evaluator="reference")
    rule = first_rule_on_level_0(engine, evaluated_only=False)

    def failing(*_: Any) -> bool:
        raise ZeroDivisionError

    monkeypatch.setattr(reference, "evaluate", failing)
    with pytest.raises(EngineError) as info:
        engine.advise(valid_case())
    assert (rule.where, f"rule {rule.id} ({rule.pack_id}@{rule.pack_version})") == (
        info.value.problems[0].where,
        info.value.problems[0].message,
    )


def test_a_failure_while_building_the_advice_is_an_engine_error_without_case_data(
    fresh: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A defect in the advice builder gives an EngineError naming the packs, with the cause chained
    but its text (which could quote the case) left out of the message; no advice is returned."""

    def failing(*_: Any, **__: Any) -> Any:
        raise KeyError(CANARY)

    monkeypatch.setattr(Builder, "build", failing)
    with pytest.raises(EngineError) as info:
        fresh.advise(valid_case())
    assert ("ENGINE_ERROR", True, False) == (
        info.value.code,
        {"nl-benefits@2013-01-01", "lansingerland-benefits@2024-01-01"} == {p.where for p in info.value.problems},
        CANARY in str(info.value),
    )
    assert isinstance(info.value.__cause__, KeyError)


def test_sessions_are_freed_after_faults_so_the_engine_keeps_working(
    fresh: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1100 evaluations that fail after the engine opened their session (more than durable-rules'
    1024 live sessions) leave no session behind: the next advice is given normally."""
    case = parse_case(valid_case())
    expected = fresh.advise(case)
    original = DRE.assert_fact

    def fail_after(handle: Any, message: str) -> Any:
        original(handle, message)
        raise Exception("injected")

    monkeypatch.setattr(DRE, "assert_fact", fail_after)
    for _ in range(1100):
        with pytest.raises(EngineError):
            fresh.advise(case)
    monkeypatch.undo()
    assert expected == fresh.advise(case)


def test_the_cli_reports_an_engine_fault_as_exit_5_with_a_json_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`maatwerk advise` on a fault: exit 5 and the EngineError as JSON, not a traceback."""

    def failing(*_: Any) -> Any:
        raise Exception("Could not assert fact, error code: 204")

    monkeypatch.setattr(DRE, "assert_fact", failing)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(valid_case()))
    code = main(["advise", str(path), "--format", "json"])
    assert (5, "ENGINE_ERROR") == (code, json.loads(capsys.readouterr().out)["error"]["code"])


def test_the_service_answers_an_engine_fault_with_a_500_engine_error_and_records_nothing(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over HTTP a fault is a 500 problem with the stable code ENGINE_ERROR and the packs located;
    a decision asked for during the fault is not recorded."""
    good = engine.advise(valid_case())
    with running(engine, tmp_path / "audit.sqlite") as server:

        def failing(*_: Any, **__: Any) -> Any:
            raise KeyError(CANARY)

        monkeypatch.setattr(Builder, "build", failing)
        advised = call(server, "POST", "/api/v1/advices", valid_case())
        decided = call(
            server,
            "POST",
            "/api/v1/decisions",
            {
                "case": valid_case(),
                "receipt": good.receipt,
                "decision": {"measure": good.measure.kind, "amount": str(good.measure.amount)},
            },
        )
        count = server.advisor.store.count()
    assert (500, "ENGINE_ERROR", 500, "ENGINE_ERROR", 0) == (
        advised.status,
        advised.json["code"],
        decided.status,
        decided.json["code"],
        count,
    )
    assert CANARY not in advised.body.decode() + decided.body.decode()
