# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Concurrency: threads sharing one engine, a process pool, and reloading the packs while advising.

The scenarios with threads run in a child process (tests/concurrency_child.py), so a segfault in
durable-rules' C core fails the test with its signal instead of killing pytest. No timing is asserted.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, POLICIES, valid_case

from maatwerk import Engine, EngineError, PolicyError
from maatwerk._batch import advise_in_processes
from maatwerk._policy.stack import PolicySet

CHILD = Path(__file__).resolve().parent / "concurrency_child.py"
MUNICIPAL = Path("benefits/lansingerland-benefits/2024-01-01.yaml")


def run_child(*args: object, timeout: float = 600) -> dict[str, Any]:
    """The child's JSON result; a failed test naming the signal if the child crashed."""
    result = subprocess.run(
        [sys.executable, str(CHILD), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode < 0:
        pytest.fail(f"the child was killed by {signal.Signals(-result.returncode).name}:\n{result.stderr[-3000:]}")
    assert 0 == result.returncode, result.stderr[-3000:]
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def shorter_payment_term(folder: Path) -> Path:
    """A copy of the bundled packs in which Lansingerland's payment term at reduced culpability is
    3 months instead of 6: another pack set, with other amounts for some cases."""
    shutil.copytree(POLICIES, folder)
    path = folder / MUNICIPAL
    text = path.read_text(encoding="utf-8")
    assert "values: [{from: 2024-01-01, value: 6}]" in text
    path.write_text(text.replace("values: [{from: 2024-01-01, value: 6}]", "values: [{from: 2024-01-01, value: 3}]"))
    return folder


def reduced_culpability_case() -> dict[str, Any]:
    """A case whose fine is capped by ability to pay over the payment term for reduced culpability."""
    case = valid_case()
    case["culpability"] = {"confirmed": "verminderd"}
    case["benefit_loss"] = {"net": "20000.00", "gross": "25000.00"}
    return case


# --- threads and processes ------------------------------------------------------------------------


@pytest.mark.parametrize("evaluator", ["durable", "reference", "compiled"])
def test_sixteen_threads_sharing_one_engine_give_exactly_the_serial_advice(evaluator: str) -> None:
    """16 threads advise concurrently on one engine, over benefit and provider cases: each thread's
    advice for every case is byte for byte the serial advice, and nothing crashes."""
    result = run_child("threads", evaluator, 16, 2)
    assert [] == result["errors"]
    assert [result["serial"]] * 16 == result["threads"]


def test_a_process_pool_gives_exactly_the_serial_advice_for_both_domains() -> None:
    """advise_many(processes=3) over benefit and provider cases equals the serial advice, in order."""
    result = run_child("pool", 3)
    assert result["serial"] == result["pooled"]


def test_workers_refuse_to_advise_when_the_packs_changed_after_the_engine_loaded_them(tmp_path: Path) -> None:
    """A worker process loads the packs from disk; if they are not the ones the caller's engine
    holds (a file changed since), the batch fails with an EngineError instead of mixing pack sets."""
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder)
    engine = Engine(folder)
    shorter_payment_term(tmp_path / "other")
    shutil.copy(tmp_path / "other" / MUNICIPAL, folder / MUNICIPAL)
    with pytest.raises(EngineError, match="changed after this engine loaded them"):
        advise_in_processes(engine, [valid_case()] * 4, processes=1, chunksize=2, caller_works=False)


# --- reload -----------------------------------------------------------------------------------------


def test_reload_while_threads_advise_switches_atomically(tmp_path: Path) -> None:
    """Eight threads advise without pause while the engine is switched six times between two pack
    sets: every advice is exactly the advice of one whole set (never a mix), both sets were used,
    and after the last switch every advice uses the last set."""
    other = shorter_payment_term(tmp_path / "other")
    result = run_child("reload", POLICIES, other, 8, 6)
    assert [] == result["errors"]
    assert 0 == result["seen"][2], result["seen"]
    assert (True, True) == (result["seen"][0] > 0, result["seen"][1] > 0)
    assert ([True] * 6, True) == (result["changed"], result["after_last_reload_is_final_set"])
    assert result["sets_differ"] > 0


def test_reload_picks_up_a_changed_pack_and_names_it_in_the_advice(tmp_path: Path) -> None:
    """After a pack file is replaced, reload() returns True and the next advice uses the new version:
    another amount, and the new file's hash in its packs and receipt."""
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder)
    engine = Engine(folder)
    before = engine.advise(reduced_culpability_case())
    shorter_payment_term(tmp_path / "other")
    tmp = folder / (str(MUNICIPAL) + ".new")
    shutil.copy(tmp_path / "other" / MUNICIPAL, tmp)
    os.replace(tmp, folder / MUNICIPAL)  # an atomic swap of the file, as the docs advise
    assert True is engine.reload()
    after = engine.advise(reduced_culpability_case())
    fresh = Engine(tmp_path / "other").advise(reduced_culpability_case())
    assert (fresh.measure, fresh.packs) == (after.measure, after.packs)
    assert (True, True) == (before.measure.amount != after.measure.amount, before.receipt != after.receipt)


def test_reload_without_changes_reports_none_and_compiles_nothing_new(engine: Engine) -> None:
    """Reloading the same files returns False and reuses the compiled rulesets (no memory growth)."""
    private = Engine()
    private.advise(valid_case())
    rulesets = dict(private._evaluator._rulesets)  # type: ignore[attr-defined]
    assert False is private.reload()
    private.advise(valid_case())
    assert rulesets == private._evaluator._rulesets  # type: ignore[attr-defined]
    assert engine.advise(valid_case()) == private.advise(valid_case())


@pytest.mark.parametrize("broken", ["POLICY_UNKNOWN_FACT", "stack/POLICY_MISSING_PARAMETER", "stack/POLICY_CYCLE"])
def test_a_broken_pack_set_is_refused_and_the_engine_keeps_its_packs(broken: str) -> None:
    """reload() to a folder with an invalid pack, or with packs that load but cannot form a stack
    (found only by compiling every stack before the switch), raises the PolicyError and leaves the
    engine advising exactly as before."""
    private = Engine()
    before = private.advise(valid_case())
    with pytest.raises(PolicyError):
        private.reload(FIXTURES / broken)
    assert (POLICIES, before) == (private.policy_dir.resolve(), private.advise(valid_case()))


def test_packs_that_load_but_cannot_form_a_stack_are_caught_by_compiling_every_stack() -> None:
    """The stack fixtures load as a pack set; only compiling every stack finds their problem."""
    policies = PolicySet.from_directory(FIXTURES / "stack" / "POLICY_MISSING_PARAMETER")
    with pytest.raises(PolicyError):
        policies.compile_all()


def test_reload_of_a_missing_folder_is_a_policy_error() -> None:
    """A folder that does not exist is refused like at construction."""
    private = Engine()
    with pytest.raises(PolicyError):
        private.reload("/nonexistent/policies")
    assert POLICIES == private.policy_dir.resolve()
