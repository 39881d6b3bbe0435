# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Advice for many cases in several processes (``Engine.advise_many(cases, processes=N)``): ``N``
worker processes advise; the calling process hands out chunks and collects the results.

Why the caller does not advise too: while it advises, its thread holds the GIL, and the threads
that receive the workers' results get it only at the interpreter's switch interval, reading a
pipe of 64 KiB at a time; a worker then waits on a full pipe. Measured on 2 cores: a caller that
advised as well made a batch slower than one process.

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

No whole advice travels between processes: a worker sends each advice as its plain data (the
dicts and tuples :meth:`~maatwerk.Engine.advise_json` writes), and the caller makes the
:class:`~maatwerk.models.advice.Advice` from it as :meth:`~maatwerk.Engine.advise` does (not
validated again). Pickling the models cost a worker about as much again as advising and the
caller as much to unpickle; plain data is about a fifth of that to send, so a pool of two returned
whole advices about twice as fast (measured). Making the models is still a third of what
advising costs, on the caller's thread: ``each=`` applies a function to every advice *in the
process that made it* and sends only its result (``each=Advice.model_dump_json`` for JSON out).
``Engine.outcomes`` (``outcomes=True`` here) makes only each case's
:class:`~maatwerk.models.advice.Outcome` (no reasoning is built) and sends that: a few hundred bytes.

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
import functools
import gc
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from maatwerk.models.advice import Advice

__all__ = ["Advisor", "advise_in_processes", "advise_serially", "check_pool_arguments", "collector_paused"]

#: The start method of the worker processes (see the module docstring).
START_METHOD = "spawn"

#: Chunks a worker holds at once: the one it advises and one waiting, so that it keeps working while
#: the caller receives its last result.
AHEAD = 2

_engine: Advisor | None = None  # the engine of a worker process, built once by _start_worker
_mismatch: Exception | None = None  # set when the worker loaded other packs than the caller's engine


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


class Advisor(Protocol):
    """What the pool needs of an engine (:class:`maatwerk.Engine` is one): its advice, and how a
    worker process rebuilds it (the class to call, its settings, the fingerprint of its packs)."""

    @property
    def policies(self) -> Any: ...

    def advise(self, case: Any) -> Any: ...

    def outcome(self, case: Any) -> Any: ...

    def _advise_plain(self, case: Any) -> Any: ...

    def _worker_start(self) -> tuple[Callable[..., Advisor], dict[str, Any], str]: ...


def _start_worker(factory: Callable[..., Advisor], settings: Mapping[str, Any], fingerprint: str) -> None:
    """Build the worker's engine; note a mismatch when the packs it loaded are not the caller's (the
    files changed after the caller loaded them): its chunks then fail instead of advising otherwise."""
    global _engine, _mismatch  # noqa: PLW0603  (one engine per worker process, built by the pool initializer)
    from maatwerk.errors import EngineError

    _engine = factory(**settings)
    if _engine.policies.fingerprint() != fingerprint:
        _mismatch = EngineError(
            f"the packs under {settings['policy_dir']} changed after this engine loaded them; "
            "a worker would advise with other packs than the caller",
            hint="Call engine.reload() (or build a new Engine) and advise again.",
        )


#: What to do with each advice where it is made (``None``: keep the advice itself).
Each = Callable[["Advice"], Any] | None


def _advise_or_error(
    engine: Advisor, cases: Sequence[Any], each: Each, outcomes: bool, plain: bool = False
) -> list[Any] | Exception:
    """The advice (``each`` applied; ``plain``: as plain data) or the outcome for a chunk, or the
    error of its first invalid case (returned, so that the caller can raise the error of the
    earliest chunk, whichever process finished first)."""
    try:
        if plain:
            with collector_paused():
                return [engine._advise_plain(case) for case in cases]
        return advise_serially(engine, cases, each, outcomes=outcomes)
    except Exception as err:  # handed back whole, raised by the caller in input order
        return err


def _advise_chunk(cases: Sequence[Any], each: Each, outcomes: bool, plain: bool) -> list[Any] | Exception:
    assert _engine is not None, "the worker's engine is built by the pool initializer"
    if _mismatch is not None:
        return _mismatch
    return _advise_or_error(_engine, cases, each, outcomes, plain)


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


def advise_serially(engine: Advisor, cases: Iterable[Any], each: Each = None, *, outcomes: bool = False) -> list[Any]:
    """The advice for every case (``each`` applied), in order, in this process; ``outcomes=True``:
    each case's :meth:`~maatwerk.Engine.outcome` instead (no advice is built)."""
    with collector_paused():
        if outcomes:
            return [engine.outcome(case) for case in cases]
        if each is None:
            return [engine.advise(case) for case in cases]
        return [each(engine.advise(case)) for case in cases]


def advise_in_processes(
    engine: Advisor,
    cases: Iterable[Any],
    *,
    processes: int,
    chunksize: int,
    each: Each = None,
    outcomes: bool = False,
    caller_works: bool = False,
) -> list[Any]:
    """The advice for every case (``outcomes=True``: its outcome), in order, from ``processes``
    spawned workers, this process only handing out work (``caller_works=True``: this one and
    ``processes - 1`` workers; measured slower, kept for the benchmark and tests).

    Chunks are taken in input order by whoever is free: each worker starts with up to
    :data:`AHEAD` chunks and gets the next one as soon as it returns one (so it never waits for the
    caller), and the caller advises chunks itself in between (its own advices need no transport).
    The result is assembled in input order.
    """
    items = list(cases)
    if not items:
        return []
    chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
    workers = min(processes - 1 if caller_works else processes, len(chunks))
    if workers < 1 or (caller_works and len(chunks) == 1):
        return advise_serially(engine, items, each, outcomes=outcomes)
    # A whole advice travels as its plain data (dicts, tuples, strings, numbers), made into the
    # Advice here as Engine.advise makes it: a worker then neither builds the models nor pickles
    # them, which costs it about as much again as advising (see the module docstring).
    plain = each is None and not outcomes
    if plain:
        from maatwerk._advice.plain import advice_model
    results: list[list[Any] | BaseException | None] = [None] * len(chunks)
    order = iter(range(len(chunks)))
    changed = threading.Condition()
    dispatched = finished = 0
    context = multiprocessing.get_context(START_METHOD)
    with (
        context.Pool(workers, initializer=_start_worker, initargs=engine._worker_start()) as pool,
        collector_paused(),
    ):

        def take() -> int | None:
            with changed:
                return next(order, None)

        def send(index: int) -> None:
            nonlocal dispatched
            with changed:
                dispatched += 1
            done = functools.partial(receive, index)
            pool.apply_async(_advise_chunk, (chunks[index], each, outcomes, plain), callback=done, error_callback=done)

        def receive(index: int, outcome: list[Any] | BaseException) -> None:
            nonlocal finished
            following = take()  # refill this worker first, then record
            if following is not None:
                send(following)
            if plain and isinstance(outcome, list):
                try:
                    outcome = [advice_model(data) for data in outcome]
                except Exception as err:  # (a defect) raised in input order, never a hung batch
                    outcome = err
            with changed:
                results[index] = outcome
                finished += 1
                changed.notify_all()

        # A small batch leaves most chunks to the caller while the workers start.
        for _ in range(min(AHEAD * workers, len(chunks) // 2 if caller_works else len(chunks))):
            first = take()
            if first is not None:
                send(first)
        while caller_works and (index := take()) is not None:
            results[index] = _advise_or_error(engine, chunks[index], each, outcomes)
        with changed:
            changed.wait_for(lambda: finished == dispatched)
    out: list[Any] = []
    for outcome in results:
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None
        out.extend(outcome)
    return out
