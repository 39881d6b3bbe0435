# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""``Engine.advise_many`` in worker processes: the serial result, in order, with the engine's settings.

Not timed: these tests assert results and errors, never speed.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import copy
import datetime as dt
import gc
import inspect
import pickle
from typing import Any

import pytest
from conftest import valid_case

from maatwerk import CaseError, Engine, Problem
from maatwerk._api import engine_settings
from maatwerk._batch import START_METHOD, advise_in_processes
from maatwerk._bench.cases import benefit_cases
from maatwerk.models.advice import Advice


def _json(advices: list[Any]) -> list[str]:
    return [a.model_dump_json() for a in advices]


def test_processes_give_exactly_the_serial_advice_in_order(engine: Engine) -> None:
    """Several hundred generated cases in small chunks over two workers give the serial advice,
    byte for byte and in input order."""
    cases = benefit_cases(300, seed=11)
    assert _json(engine.advise_many(cases)) == _json(engine.advise_many(cases, processes=2, chunksize=7))


def test_a_worker_sends_no_model_only_plain_data_that_makes_the_same_advice(engine: Engine) -> None:
    """What a worker sends for a chunk of whole advices is plain data (no pydantic model anywhere in
    it), and the caller's model made from it is exactly the serial advice, in the same fields set
    (so ``exclude_unset`` dumps alike too)."""
    from pydantic import BaseModel

    from maatwerk._advice.plain import advice_model
    from maatwerk._batch import _advise_or_error

    cases = [valid_case(), *benefit_cases(30, seed=19)]
    sent = _advise_or_error(engine, cases, None, False, plain=True)
    assert isinstance(sent, list)

    def models_in(node: Any) -> int:
        if isinstance(node, BaseModel):
            return 1
        if isinstance(node, dict):
            return sum(models_in(v) for v in node.values())
        if isinstance(node, list | tuple):
            return sum(models_in(v) for v in node)
        return 0

    assert 0 == models_in(pickle.loads(pickle.dumps(sent)))
    made = [advice_model(data) for data in pickle.loads(pickle.dumps(sent))]
    serial = engine.advise_many(cases)
    assert _json(serial) == _json(made)
    assert [a.model_dump_json(exclude_unset=True) for a in serial] == [
        a.model_dump_json(exclude_unset=True) for a in made
    ]


def test_a_caller_that_advises_too_gives_exactly_the_serial_advice_in_order(engine: Engine) -> None:
    """With the caller advising chunks between handing them out, the advice is the serial advice,
    in input order."""
    cases = benefit_cases(200, seed=15)
    pooled = advise_in_processes(engine, cases, processes=2, chunksize=9, caller_works=True)
    assert _json(engine.advise_many(cases)) == _json(pooled)


def test_each_is_applied_where_the_advice_is_made(engine: Engine) -> None:
    """``each=f`` gives ``f`` of every serial advice, in order, both serially and from workers; only
    the results of ``f`` come back (here the advice's JSON)."""
    cases = benefit_cases(120, seed=17)
    expected = _json(engine.advise_many(cases))
    assert (expected, expected) == (
        engine.advise_many(cases, each=Advice.model_dump_json),
        engine.advise_many(cases, processes=2, chunksize=16, each=Advice.model_dump_json),
    )


def test_each_must_be_a_function(engine: Engine) -> None:
    """``each`` that cannot be called is refused before any advice is made."""
    with pytest.raises(TypeError, match="each must be a function of an advice"):
        engine.advise_many(benefit_cases(2, seed=1), each="model_dump_json")  # type: ignore[call-overload]


def test_workers_use_the_engine_settings() -> None:
    """A worker builds its engine from the caller's: national law only, the reference evaluator,
    a previewed proposal."""
    engine = Engine(municipality=None, evaluator="reference", preview={"whsz": dt.date(2026, 1, 1)})
    cases = benefit_cases(40, seed=12)
    serial = engine.advise_many(cases)
    assert any(not pack.in_force for advice in serial for pack in advice.packs)  # the preview is used
    assert _json(serial) == _json(advise_in_processes(engine, cases, processes=2, chunksize=5, caller_works=False))


def test_engine_settings_cover_every_constructor_argument(engine: Engine) -> None:
    """Every argument of ``Engine(...)`` is carried to the workers (a new argument must be added
    to ``maatwerk._api.engine_settings``)."""
    parameters = set(inspect.signature(Engine.__init__).parameters) - {"self"}
    assert parameters == set(engine_settings(engine))


def test_workers_are_spawned_not_forked() -> None:
    """Workers start as fresh interpreters: durable-rules' C state must never be forked."""
    assert "spawn" == START_METHOD


def test_the_first_invalid_case_raises_the_serial_error(engine: Engine) -> None:
    """An invalid case among valid ones raises the same CaseError as serially: the first in input order."""
    cases: list[Any] = benefit_cases(30, seed=13)
    bad_early = copy.deepcopy(valid_case())
    bad_early["law"] = "wet_op_de_maan"
    bad_late = copy.deepcopy(valid_case())
    del bad_late["violation"]
    cases[12:12] = [bad_early]
    cases.append(bad_late)
    with pytest.raises(CaseError) as serial:
        engine.advise_many(cases)
    with pytest.raises(CaseError) as pooled:
        engine.advise_many(cases, processes=2, chunksize=4)
    with pytest.raises(CaseError) as workers:
        advise_in_processes(engine, cases, processes=2, chunksize=4, caller_works=False)
    assert serial.value.problems == pooled.value.problems == workers.value.problems
    assert "law" == pooled.value.problems[0].where


def test_no_cases_give_no_advice(engine: Engine) -> None:
    """An empty batch gives an empty list, with or without processes."""
    assert [] == engine.advise_many([], processes=2)
    assert [] == engine.advise_many(iter(()))


@pytest.mark.parametrize(
    ("processes", "chunksize", "error", "message"),
    [
        (0, 128, ValueError, "processes must be at least 1, not 0"),
        (-2, 128, ValueError, "processes must be at least 1, not -2"),
        (True, 128, TypeError, "processes must be None or a whole number, not bool"),
        (1.5, 128, TypeError, "processes must be None or a whole number, not float"),
        ("2", 128, TypeError, "processes must be None or a whole number, not str"),
        (2, 0, ValueError, "chunksize must be at least 1, not 0"),
        (None, -1, ValueError, "chunksize must be at least 1, not -1"),
        (2, 2.0, TypeError, "chunksize must be a whole number, not float"),
    ],
)
def test_bad_pool_arguments_are_refused(
    engine: Engine, processes: Any, chunksize: Any, error: type[Exception], message: str
) -> None:
    """Bad ``processes`` or ``chunksize`` values raise a clear error before any work starts."""
    with pytest.raises(error) as info:
        engine.advise_many([valid_case()], processes=processes, chunksize=chunksize)
    assert message == str(info.value)


def test_errors_survive_pickling() -> None:
    """A maatwerk error keeps its class, message, problems and hint across processes."""
    error = CaseError("the case has 1 problem(s)", problems=(Problem("law", "CASE_INVALID_VALUE", "x"),), hint="h")
    copy_ = pickle.loads(pickle.dumps(error))
    assert (CaseError, error.message, error.problems, "h", str(error)) == (
        type(copy_),
        copy_.message,
        copy_.problems,
        copy_.hint,
        str(copy_),
    )


def test_the_garbage_collector_is_restored_after_a_batch(engine: Engine) -> None:
    """A batch pauses the cyclic garbage collector and leaves it as it found it, also after an error."""
    bad = copy.deepcopy(valid_case())
    bad["law"] = "wet_op_de_maan"
    assert gc.isenabled()
    engine.advise_many([valid_case()])
    assert gc.isenabled()
    with pytest.raises(CaseError):
        engine.advise_many([valid_case(), bad])
    assert gc.isenabled()
    gc.disable()
    try:
        engine.advise_many([valid_case()])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_advice_leaves_no_reference_cycles(engine: Engine) -> None:
    """Advising creates no garbage that only the cyclic collector could free, so pausing it during
    a batch cannot make memory grow."""
    cases = benefit_cases(200, seed=14)
    engine.advise_many(cases)  # warm: compile what these cases need
    gc.collect()
    gc.disable()
    try:
        for case in cases:
            engine.advise(case)
        assert 0 == gc.collect()
    finally:
        gc.enable()
