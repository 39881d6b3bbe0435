"""Advice for many cases in worker processes (``Engine.advise_many(cases, processes=N)``).

Why processes, and why *spawn*:

- durable-rules holds the GIL while it evaluates, so threads add no throughput; only processes use
  more than one core (engine-notes.md).
- Its C core is neither fork- nor thread-safe: a forked child would inherit the parent's rulesets,
  sessions and locks in whatever state they were in. Each worker is therefore a fresh interpreter
  started with the ``spawn`` method, which builds its own :class:`~maatwerk.Engine` from the
  parent's settings (policy folder, municipality, evaluator, previews) and compiles its own
  rulesets. ``spawn`` behaves the same on Linux, macOS and Windows. The price is a start-up of
  roughly one import and one policy load per worker, so a pool pays off for batches, not for a few
  cases. As with every ``spawn`` pool, a script that calls it must guard its entry point with
  ``if __name__ == "__main__":``.

The cases are cut into chunks in input order and the chunks' results are collected in the same
order, so the list equals the serial result. An invalid case raises the same error as serially:
the first one in input order.

While a batch's advices pile up (serially or from workers), Python's cyclic garbage collector is
paused: an advice creates no reference cycles (reference counting frees everything it drops), but
the collector would otherwise re-scan the ever longer list of kept advices, which made a serial
batch about 1.7 times and collecting the workers' results about 4 times slower (measured). The
collector is switched back on afterwards, only if it was on before.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from maatwerk._api import Engine
    from maatwerk.models.advice import Advice

__all__ = ["advise_in_processes", "advise_serially", "check_pool_arguments", "collector_paused", "engine_settings"]

#: The start method of the worker processes (see the module docstring).
START_METHOD = "spawn"

_EVALUATORS = {"durable-rules": "durable", "reference": "reference"}

_engine: Engine | None = None  # the engine of a worker process, built once by _start_worker


def check_pool_arguments(processes: object, chunksize: object) -> tuple[int | None, int]:
    """``processes`` (``None``, or a whole number of at least 1) and ``chunksize`` (a whole number of
    at least 1), or a :class:`TypeError` / :class:`ValueError` that says what is allowed."""
    for name, value in (("processes", processes), ("chunksize", chunksize)):
        if name == "processes" and value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            allowed = "None or a whole number" if name == "processes" else "a whole number"
            raise TypeError(f"{name} must be {allowed}, not {type(value).__name__}")
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")
    assert processes is None or isinstance(processes, int)
    assert isinstance(chunksize, int)
    return processes, chunksize


def engine_settings(engine: Engine) -> dict[str, Any]:
    """The keyword arguments that rebuild ``engine`` in a worker process."""
    return {
        "policy_dir": Path(engine.policy_dir),
        "municipality": engine.municipality,
        "evaluator": _EVALUATORS[engine._evaluator.name],
        "preview": dict(engine.preview),
    }


def _start_worker(settings: Mapping[str, Any]) -> None:
    global _engine  # noqa: PLW0603  (one engine per worker process, built by the pool initializer)
    from maatwerk._api import Engine

    _engine = Engine(**settings)


def _advise_chunk(cases: Sequence[Any]) -> list[Advice]:
    assert _engine is not None, "the worker's engine is built by the pool initializer"
    return advise_serially(_engine, cases)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration (see the module docstring)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def advise_serially(engine: Engine, cases: Iterable[Any]) -> list[Advice]:
    """The advice for every case, in order, in this process."""
    with collector_paused():
        return [engine.advise(case) for case in cases]


def advise_in_processes(engine: Engine, cases: Iterable[Any], *, processes: int, chunksize: int) -> list[Advice]:
    """The advice for every case, in order, computed by up to ``processes`` spawned workers."""
    items = list(cases)
    if not items:
        return []
    chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
    context = multiprocessing.get_context(START_METHOD)
    out: list[Advice] = []
    with (
        context.Pool(
            min(processes, len(chunks)), initializer=_start_worker, initargs=(engine_settings(engine),)
        ) as pool,
        collector_paused(),
    ):
        for advice in pool.imap(_advise_chunk, chunks):
            out.extend(advice)
    return out
