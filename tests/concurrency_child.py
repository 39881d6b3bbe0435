# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The child side of tests/test_concurrency.py: runs one concurrency scenario and prints its outcome
as JSON on stdout. Run in its own process so that a segfault in durable-rules' C core fails the
test with the signal instead of killing pytest.

    python tests/concurrency_child.py threads EVALUATOR THREADS ROUNDS
    python tests/concurrency_child.py pool PROCESSES
    python tests/concurrency_child.py reload DIR_A DIR_B THREADS RELOADS
"""

from __future__ import annotations

import faulthandler
import hashlib
import json
import sys
import threading
from pathlib import Path
from typing import Any

from maatwerk import Engine, MaatwerkError
from maatwerk._api import default_policy_dir
from maatwerk._bench.cases import benefit_cases, scenarios


def mixed_cases(n: int = 60) -> list[dict[str, Any]]:
    """Generated benefit cases and the Lansingerland provider scenarios that get an advice (some
    scenarios show a refusal): both domains, many rule paths."""
    engine = Engine()

    def advised(case: dict[str, Any]) -> bool:
        try:
            engine.advise(case)
        except MaatwerkError:
            return False
        return True

    providers = [
        s.case
        for s in scenarios(default_policy_dir(), "providers")
        if s.municipality == "lansingerland" and advised(s.case)
    ]
    assert len(providers) > 10
    return benefit_cases(n, seed=7) + providers


def digest(advice: Any) -> str:
    return hashlib.sha256(advice.model_dump_json().encode()).hexdigest()


def threads(evaluator: str, count: int, rounds: int) -> dict[str, Any]:
    """``count`` threads share one engine; each advises on every case ``rounds`` times, starting at
    a different case. Returns the serial digests (from a separate engine) and each thread's."""
    cases = mixed_cases()
    serial = [digest(a) for a in Engine(evaluator=evaluator).advise_many(cases)]  # type: ignore[arg-type]
    shared = Engine(evaluator=evaluator)  # type: ignore[arg-type]
    barrier = threading.Barrier(count)
    results: dict[int, list[str]] = {}
    errors: list[str] = []

    def work(worker: int) -> None:
        try:
            order = list(range(worker % len(cases), len(cases))) + list(range(worker % len(cases)))
            barrier.wait()
            out = [""] * len(cases)
            for _ in range(rounds):
                for i in order:
                    found = digest(shared.advise(cases[i]))
                    if out[i] and out[i] != found:
                        errors.append(f"thread {worker}: case {i} changed between rounds")
                    out[i] = found
            results[worker] = out
        except BaseException as err:
            errors.append(f"thread {worker}: {type(err).__name__}: {err}")

    workers = [threading.Thread(target=work, args=(w,)) for w in range(count)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return {"serial": serial, "threads": [results.get(w) for w in range(count)], "errors": errors}


def pool(processes: int) -> dict[str, Any]:
    """advise_many over ``processes`` processes against the serial advice, both domains."""
    cases = mixed_cases(300)
    engine = Engine()
    return {
        "serial": [digest(a) for a in engine.advise_many(cases)],
        "pooled": [digest(a) for a in engine.advise_many(cases, processes=processes, chunksize=16)],
    }


def reload(dir_a: str, dir_b: str, count: int, reloads: int) -> dict[str, Any]:
    """Threads advise without pause while the main thread switches the engine between the pack sets
    under ``dir_a`` and ``dir_b``. Every advice must be exactly the advice of one whole set."""
    dirs = [Path(dir_a), Path(dir_b)]
    cases = mixed_cases(40)
    expected = [[digest(a) for a in Engine(d).advise_many(cases)] for d in dirs]
    engine = Engine(dirs[0])
    done = [0] * count
    stop = threading.Event()
    records: list[list[tuple[int, str]]] = [[] for _ in range(count)]
    errors: list[str] = []

    def work(worker: int) -> None:
        i = worker
        try:
            while not stop.is_set():
                i = (i + 1) % len(cases)
                records[worker].append((i, digest(engine.advise(cases[i]))))
                done[worker] += 1
        except BaseException as err:
            errors.append(f"thread {worker}: {type(err).__name__}: {err}")
            stop.set()

    workers = [threading.Thread(target=work, args=(w,)) for w in range(count)]
    for t in workers:
        t.start()
    changed = []
    for k in range(reloads):
        changed.append(engine.reload(dirs[(k + 1) % 2]))
        # Let every thread finish at least two advices after the switch: the first may have started before it.
        mark = list(done)
        while not stop.is_set() and any(d < m + 2 for d, m in zip(done, mark, strict=True)):
            stop.wait(0.005)
    stop.set()
    for t in workers:
        t.join()
    final = reloads % 2
    seen = [0, 0, 0]  # advices equal to set A's, to set B's, to neither
    for per_thread in records:
        for i, found in per_thread:
            seen[0 if found == expected[0][i] else 1 if found == expected[1][i] else 2] += 1
    last = [digest(engine.advise(c)) for c in cases]
    return {
        "seen": seen,
        "changed": changed,
        "after_last_reload_is_final_set": last == expected[final],
        "sets_differ": sum(a != b for a, b in zip(expected[0], expected[1], strict=True)),
        "errors": errors,
    }


def main() -> int:
    faulthandler.enable()
    mode, *args = sys.argv[1:]
    if mode == "threads":
        result = threads(args[0], int(args[1]), int(args[2]))
    elif mode == "pool":
        result = pool(int(args[0]))
    elif mode == "reload":
        result = reload(args[0], args[1], int(args[2]), int(args[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
