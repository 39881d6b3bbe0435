# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""``make bench``: measure the engine side by side in one run and write the report.

    python -m maatwerk._bench            # the full run (what ``make bench`` does)
    python -m maatwerk._bench --quick    # a short run for development (also BENCH_QUICK=1)

Measured, each against its target in :data:`TARGETS`:

- the outcome path (``Engine.outcome``: the decision without the reasoning) and the full JSON
  path (``advise`` then ``model_dump_json``) per evaluator, interleaved, each as a multiple of the
  fastest;
- full advice latency in this process (validate, evaluate, compute, build the advice with its
  reasoning), p50 / p99, over the bundled scenarios and generated cases of every domain present,
  through durable-rules, the plain-Python reference evaluator and the compiled evaluator,
  interleaved case by case (in a rotating order) so that all see the same machine load; the ratio
  between durable-rules and the reference, and of each evaluator to the fastest;
- the rule evaluation alone (the stratified rules on an encoded benefit case) per evaluator, and
  each as a multiple of the fastest;
- batch throughput of ``Engine.advise_many(cases, processes=<all cores>)``, and of
  ``Engine.outcomes(cases, processes=<all cores>)`` (the decisions only) per evaluator;
- the impact run (``maatwerk coverage`` over generated benefit cases on all cores) per evaluator,
  and the ratio of each to the fastest (``--impact-cases 400000`` for the issue's 400,000 cases);
- cold start in a fresh interpreter: import, load and compile every bundled pack;
- memory: resident set size before and after many advices in one process;
- the advice's JSON size and serialisation time.

The full run writes ``docs/performance.json`` and rewrites the marked table in
``docs/performance.md``; a quick run writes ``bench-results/quick.json`` and leaves the docs alone
unless ``--docs`` is given. Every run also prints the table. Benchmarks are not tests: nothing in
``make test`` depends on these numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from maatwerk._api import Engine, default_policy_dir
from maatwerk._bench import report
from maatwerk._bench.cases import DOMAINS, Domain, Scenario, recombined_cases, scenarios
from maatwerk.errors import MaatwerkError

ROOT = Path(__file__).resolve().parent.parent.parent

#: The evaluators, in the order they are named in the report.
EVALUATORS = ("durable", "reference", "compiled")

#: The targets of the performance issue, on the project's 2-core machine.
TARGETS: dict[str, float] = {
    "advice_p50_us": 250.0,
    "advice_p99_us": 1000.0,
    # issue 22: the decision without the reasoning, and the full advice as JSON (what the service returns)
    "outcome_p50_us": 150.0,
    "outcome_p99_us": 400.0,
    "outcome_compiled_p50_us": 75.0,
    "json_p50_us": 250.0,
    "json_p99_us": 1000.0,
    "durable_vs_reference_max_ratio": 3.0,
    "batch_min_per_s": 10_000.0,
    "impact_min_per_s": 13_000.0,  # issue 22: 400,000 benefit cases on 2 cores in ≤ 30 s
    "cold_start_max_s": 0.3,  # issue 22
    "rss_growth_max_mb": 10.0,
}


@dataclass(frozen=True, slots=True)
class Settings:
    quick: bool
    generated: int  # generated cases per domain for the latency measurement
    rounds: int  # passes over the latency cases
    batch: int  # cases for the batch throughput
    impact: int  # generated cases for the impact run, per evaluator
    processes: int
    rss_advices: int
    cold_runs: int
    seed: int


def settings_for(args: argparse.Namespace) -> Settings:
    quick = bool(args.quick)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return Settings(
        quick=quick,
        generated=args.cases if args.cases is not None else (300 if quick else 2000),
        rounds=args.rounds if args.rounds is not None else (2 if quick else 3),
        batch=args.batch if args.batch is not None else (10_000 if quick else 100_000),
        impact=args.impact_cases if args.impact_cases is not None else (10_000 if quick else 100_000),
        processes=args.processes if args.processes is not None else cores,
        rss_advices=args.rss_advices if args.rss_advices is not None else (50_000 if quick else 1_000_000),
        cold_runs=3 if quick else 7,
        seed=args.seed,
    )


# --- small helpers --------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile ``q`` (0..1) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def summary_us(samples_ns: Sequence[int]) -> dict[str, float]:
    """p50, p90, p99, mean and max of durations given in nanoseconds, in microseconds."""
    us = [s / 1000 for s in samples_ns]
    return {
        "n": len(us),
        "p50": round(percentile(us, 0.50), 1),
        "p90": round(percentile(us, 0.90), 1),
        "p99": round(percentile(us, 0.99), 1),
        "mean": round(sum(us) / len(us), 1),
        "max": round(max(us), 1),
    }


def rss_bytes() -> tuple[int, str]:
    """The resident set size of this process now (Linux), or else its peak."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE"), "current (/proc/self/statm)"
    except (OSError, ValueError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return (peak if sys.platform == "darwin" else peak * 1024), "peak (getrusage)"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    memory_gb = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    commit = ""
    with contextlib.suppress(OSError):
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "maatwerk": version("maatwerk"),
        "durable_rules": version("durable-rules"),
        "pydantic": version("pydantic"),
        "commit": commit,
    }


def calibration() -> dict[str, float]:
    """Two fixed workloads, timed, so runs on a shared machine can be compared: pure arithmetic,
    and allocating many small objects (closer to what an advice does). Milliseconds, best of 3."""

    def arithmetic() -> int:
        total = 0
        for i in range(1_000_000):
            total += i * i % 7
        return total

    def allocation() -> int:
        items = [(str(i), {"id": i, "pair": (i, -i)}) for i in range(100_000)]
        items.sort(key=lambda item: item[0])
        return len(items)

    out = {}
    for name, work in (("arithmetic_ms", arithmetic), ("allocation_ms", allocation)):
        best = math.inf
        for _ in range(3):
            start = time.perf_counter()
            work()
            best = min(best, time.perf_counter() - start)
        out[name] = round(best * 1000, 1)
    return out


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- cases per domain -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DomainCases:
    domain: str
    scenarios: list[Scenario]
    generated: list[dict[str, Any]]
    generator: str


def domain_cases(domain: Domain, policy_dir: Path, n: int, seed: int, engine: Engine) -> DomainCases:
    found = scenarios(policy_dir, domain.name)
    if domain.generator is not None:
        import random

        rng = random.Random(seed)
        return DomainCases(domain.name, found, [domain.generator(rng) for _ in range(n)], "seeded generator")

    def valid(case: dict[str, Any]) -> bool:
        try:
            engine.advise(case)
        except MaatwerkError:
            return False
        return True

    pool = [s.case for s in found if s.municipality == engine.municipality]
    made = recombined_cases(pool, n, seed=seed, valid=valid)
    return DomainCases(domain.name, found, made, "recombined scenario sections")


# --- measurements ---------------------------------------------------------------------------------


class Engines:
    """One engine per (evaluator, municipality), built on first use."""

    def __init__(self, policy_dir: Path) -> None:
        self.policy_dir = policy_dir
        self._engines: dict[tuple[str, str | None], Engine] = {}

    def get(self, evaluator: str, municipality: str | None = "lansingerland") -> Engine:
        key = (evaluator, municipality)
        if key not in self._engines:
            self._engines[key] = Engine(self.policy_dir, municipality=municipality, evaluator=evaluator)  # type: ignore[arg-type]
        return self._engines[key]


def latency(cases: DomainCases, engines: Engines, rounds: int) -> dict[str, Any]:
    """Full advice latency per evaluator, interleaved case by case, and their agreement."""
    items: list[tuple[str, str | None, dict[str, Any]]] = [
        ("scenario", s.municipality, s.case) for s in cases.scenarios
    ]
    items += [("generated", "lansingerland", c) for c in cases.generated]
    usable = []
    skipped = 0
    for source, municipality, case in items:  # warm-up: compile every stack the cases select
        try:
            for evaluator in EVALUATORS:
                engines.get(evaluator, municipality).advise(case)
        except MaatwerkError:
            skipped += 1  # e.g. a scenario that expects an error
            continue
        usable.append((source, municipality, case))
    samples: dict[tuple[str, str], list[int]] = {}
    # Each case's fastest round: the cost of the code with less of the shared machine's noise.
    fastest: dict[str, list[int]] = {e: [0] * len(usable) for e in EVALUATORS}
    digests = {e: hashlib.sha256() for e in EVALUATORS}
    clock = time.perf_counter_ns
    for r in range(rounds):
        for i, (source, municipality, case) in enumerate(usable):
            shift = (r + i) % len(EVALUATORS)  # each evaluator goes first as often as the others
            for evaluator in EVALUATORS[shift:] + EVALUATORS[:shift]:
                engine = engines.get(evaluator, municipality)
                start = clock()
                advice = engine.advise(case)
                took = clock() - start
                samples.setdefault((evaluator, source), []).append(took)
                if r == 0 or took < fastest[evaluator][i]:
                    fastest[evaluator][i] = took
                if r == 0:
                    # The advice but for ``engine``, which names the evaluator that made it.
                    digests[evaluator].update(advice.model_copy(update={"engine": ""}).model_dump_json().encode())
    out: dict[str, Any] = {
        "skipped": skipped,
        "scenarios": len(cases.scenarios),
        "generated": len(cases.generated),
        "rounds": rounds,
        "evaluators": list(EVALUATORS),
    }
    for evaluator in EVALUATORS:
        both = samples.get((evaluator, "scenario"), []) + samples.get((evaluator, "generated"), [])
        out[evaluator] = {
            "all": summary_us(both),
            "fastest_round": summary_us(fastest[evaluator]),
            "scenarios": summary_us(samples[(evaluator, "scenario")]) if (evaluator, "scenario") in samples else None,
            "generated": summary_us(samples[(evaluator, "generated")]),
        }
    d, ref = out["durable"]["all"], out["reference"]["all"]
    out["ratio"] = {k: round(d[k] / ref[k], 2) for k in ("p50", "p99", "mean")}
    best = min(out[e]["all"]["p50"] for e in EVALUATORS)
    out["ratio_to_fastest_p50"] = {e: round(out[e]["all"]["p50"] / best, 2) for e in EVALUATORS}
    out["advice_digest"] = digests["durable"].hexdigest()
    out["evaluators_agree"] = len({d.hexdigest() for d in digests.values()}) == 1
    return out


def impact(policy_dir: Path, cases: int, processes: int, seed: int, say: Callable[[str], None]) -> dict[str, Any]:
    """``maatwerk coverage`` over ``cases`` generated benefit cases with ``processes`` workers (their
    start-up included), once per evaluator; each report's rule counts must agree, and each names its
    evaluator. The issue's figure is for 400,000 cases (``--impact-cases 400000``); the rate of a
    smaller run extrapolates, since the work per case does not change with the count."""
    from maatwerk._tools.impact import Population, coverage
    from maatwerk._tools.impact_cli import _default_window

    out: dict[str, Any] = {"cases": cases, "processes": processes, "evaluators": list(EVALUATORS)}
    tallies = set()
    for evaluator in EVALUATORS:
        engine = Engine(policy_dir, evaluator=evaluator)  # type: ignore[arg-type]
        window = _default_window(engine, ["benefits"])
        assert window is not None  # one engine: always a window
        population = Population.generated(cases, seed=seed, domains=["benefits"], decided_between=window)
        say(f"impact: coverage over {cases:,} generated benefit cases, {processes} processes, {evaluator}")
        gc.collect()
        rss_before = rss_bytes()[0]
        start = time.perf_counter()
        report_ = coverage(engine, population, processes=processes)
        seconds = time.perf_counter() - start
        rss_after = rss_bytes()[0]
        tallies.add(json.dumps([(r.rule_id, r.fired) for r in report_.side.rules]))
        out[evaluator] = {
            "seconds": round(seconds, 2),
            "per_s": round(cases / seconds),
            "evaluator_in_report": report_.side.evaluator,
            "caller_rss_growth_mb": round((rss_after - rss_before) / 2**20, 1),
        }
    best = min(out[e]["seconds"] for e in EVALUATORS)
    out["ratio_to_fastest"] = {e: round(out[e]["seconds"] / best, 2) for e in EVALUATORS}
    out["evaluators_agree"] = len(tallies) == 1
    return out


def serialisation(engine: Engine, cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The advice's JSON size and ``model_dump_json`` time."""
    advices = [engine.advise(c) for c in cases]
    times: list[int] = []
    sizes: list[int] = []
    for advice in advices:
        start = time.perf_counter_ns()
        text = advice.model_dump_json()
        times.append(time.perf_counter_ns() - start)
        sizes.append(len(text.encode()))
    return {
        "time_us": summary_us(times),
        "size_bytes": {
            "p50": int(percentile(sizes, 0.5)),
            "p99": int(percentile(sizes, 0.99)),
            "max": max(sizes),
            "mean": int(sum(sizes) / len(sizes)),
        },
    }


def batch(engine: Engine, cases: list[dict[str, Any]], processes: int) -> dict[str, Any]:
    """``advise_many`` over all cases with ``processes`` workers (start-up included), returning whole
    advices and returning each advice's JSON (``each=Advice.model_dump_json``, made in the worker);
    serially on a part; the start-up of one worker on its own; and ``Engine.outcomes`` over all
    cases with ``processes`` workers, durable-rules and compiled (the decisions only)."""
    from maatwerk._batch import advise_in_processes
    from maatwerk.models.advice import Advice

    gc.collect()
    start = time.perf_counter()
    advices = engine.advise_many(cases, processes=processes)
    pooled = time.perf_counter() - start
    assert len(advices) == len(cases)
    del advices
    gc.collect()
    start = time.perf_counter()
    texts = engine.advise_many(cases, processes=processes, each=Advice.model_dump_json)
    pooled_json = time.perf_counter() - start
    assert len(texts) == len(cases)
    del texts
    gc.collect()
    part = cases[: min(len(cases), 5000)]
    start = time.perf_counter()
    engine.advise_many(part)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    advise_in_processes(engine, cases[:1], processes=1, chunksize=1, caller_works=False)
    startup = time.perf_counter() - start
    outcomes: dict[str, Any] = {}
    for name, outcome_engine in (("durable", engine), ("compiled", Engine(engine.policy_dir, evaluator="compiled"))):
        gc.collect()
        rss_before = rss_bytes()[0]
        start = time.perf_counter()
        found = outcome_engine.outcomes(cases, processes=processes)
        seconds = time.perf_counter() - start
        assert len(found) == len(cases)
        del found
        gc.collect()
        outcomes[name] = {
            "seconds": round(seconds, 2),
            "per_s": round(len(cases) / seconds),
            "caller_rss_growth_mb": round((rss_bytes()[0] - rss_before) / 2**20, 1),
        }
    return {
        "cases": len(cases),
        "processes": processes,
        "seconds": round(pooled, 2),
        "per_s": round(len(cases) / pooled),
        "json_seconds": round(pooled_json, 2),
        "json_per_s": round(len(cases) / pooled_json),
        "serial_cases": len(part),
        "serial_per_s": round(len(part) / serial),
        "worker_startup_s": round(startup, 2),
        "outcomes": outcomes,
    }


COLD = """
import json, sys, time
t0 = time.perf_counter()
import maatwerk
t1 = time.perf_counter()
engine = maatwerk.Engine(sys.argv[1])
t2 = time.perf_counter()
from maatwerk._bench.coldstart import compile_all
rulesets = compile_all(engine)
t3 = time.perf_counter()
engine.advise(json.loads(sys.argv[2]))
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "compile": t3 - t2, "first_advice": t4 - t3, "rulesets": rulesets}))
"""


def cold_start(policy_dir: Path, case: dict[str, Any], runs: int) -> dict[str, Any]:
    """Import, load and compile every bundled pack in a fresh interpreter (median of ``runs``).

    As an installed package starts: ``pip install`` compiles the modules to bytecode, so the runs
    read bytecode (kept in a temporary folder, never beside the sources) that one uncounted run
    writes first, also where the environment asks Python not to write any
    (``PYTHONDONTWRITEBYTECODE``, under which every start would compile each module again)."""
    import tempfile

    results: list[dict[str, float]] = []
    process: list[float] = []
    with tempfile.TemporaryDirectory(prefix="maatwerk-bytecode-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        command = [sys.executable, "-c", COLD, str(policy_dir), json.dumps(case)]
        subprocess.run(command, capture_output=True, text=True, check=True, env=env)  # writes the bytecode
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
            process.append(time.perf_counter() - start)
            results.append(json.loads(done.stdout))

    def median(key: str) -> float:
        return round(percentile([r[key] for r in results], 0.5), 3)

    totals = [r["import"] + r["load"] + r["compile"] for r in results]
    return {
        "runs": runs,
        "import_s": median("import"),
        "load_s": median("load"),
        "compile_s": median("compile"),
        "total_s": round(percentile(totals, 0.5), 3),
        "first_advice_s": median("first_advice"),
        "process_s": round(percentile(process, 0.5), 3),
        "rulesets": int(results[0]["rulesets"]),
    }


def memory(engine: Engine, cases: list[dict[str, Any]], advices: int, say: Callable[[str], None]) -> dict[str, Any]:
    """RSS after a warm-up pass and after ``advices`` more advices (nothing is kept)."""
    for case in cases:
        engine.advise(case)
    gc.collect()
    before, method = rss_bytes()
    checkpoints = [before]
    step = max(1, advices // 10)
    start = time.perf_counter()
    n = len(cases)
    for i in range(advices):
        engine.advise(cases[i % n])
        if (i + 1) % step == 0:
            gc.collect()
            checkpoints.append(rss_bytes()[0])
            say(f"  memory: {i + 1:,} advices, RSS {checkpoints[-1] / 2**20:.1f} MB")
    seconds = time.perf_counter() - start
    gc.collect()
    after = rss_bytes()[0]
    return {
        "advices": advices,
        "distinct_cases": n,
        "method": method,
        "before_mb": round(before / 2**20, 1),
        "after_mb": round(after / 2**20, 1),
        "growth_mb": round((after - before) / 2**20, 1),
        "checkpoints_mb": [round(c / 2**20, 1) for c in checkpoints],
        "seconds": round(seconds, 1),
    }


# --- the run --------------------------------------------------------------------------------------


#: The paths a caller can take per case: the outcome alone (``Engine.outcome``) and the full advice
#: as the JSON the service returns (``advise`` then ``model_dump_json``).
PATHS = ("outcome", "json")


def paths(cases: DomainCases, engines: Engines, rounds: int) -> dict[str, Any]:
    """The outcome path and the full JSON path per evaluator, interleaved case by case in a rotating
    order (as :func:`latency`), each as a multiple of the fastest (the compiled outcome, expected)."""
    usable: list[tuple[str | None, dict[str, Any]]] = []
    for s in cases.scenarios:
        usable.append((s.municipality, s.case))
    usable += [("lansingerland", c) for c in cases.generated]
    runs = [(e, p) for e in EVALUATORS for p in PATHS]
    ok = []
    for municipality, case in usable:  # warm-up, and the cases that advise at all
        try:
            for evaluator in EVALUATORS:
                engines.get(evaluator, municipality).outcome(case)
        except MaatwerkError:
            continue
        ok.append((municipality, case))
    samples: dict[tuple[str, str], list[int]] = {run: [] for run in runs}
    clock = time.perf_counter_ns
    for r in range(rounds):
        for i, (municipality, case) in enumerate(ok):
            shift = (r + i) % len(runs)
            for evaluator, path in runs[shift:] + runs[:shift]:
                engine = engines.get(evaluator, municipality)
                start = clock()
                if path == "outcome":
                    engine.outcome(case)
                else:
                    engine.advise_json(case)  # what the service returns, built without models
                samples[(evaluator, path)].append(clock() - start)
    out: dict[str, Any] = {"cases": len(ok), "rounds": rounds, "evaluators": list(EVALUATORS), "paths": list(PATHS)}
    for evaluator, path in runs:
        out.setdefault(evaluator, {})[path] = summary_us(samples[(evaluator, path)])
    best = min(out[e][p]["p50"] for e, p in runs)
    out["ratio_to_fastest_p50"] = {f"{e} {p}": round(out[e][p]["p50"] / best, 2) for e, p in runs}
    return out


def run(settings: Settings, policy_dir: Path, say: Callable[[str], None] = _say) -> dict[str, Any]:
    started = time.perf_counter()
    result: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_start": load_average(),
        "calibration_start": calibration(),
        "settings": {k: getattr(settings, k) for k in Settings.__slots__},
        "targets": TARGETS,
        "domains": {},
    }
    engines = Engines(policy_dir)
    default = engines.get("durable")
    benefits: DomainCases | None = None
    for domain in DOMAINS:
        if not domain.present(policy_dir):
            say(f"{domain.name}: not present ({policy_dir / domain.name} does not exist)")
            result["domains"][domain.name] = {"present": False}
            continue
        say(f"{domain.name}: generating {settings.generated} cases")
        cases = domain_cases(domain, policy_dir, settings.generated, settings.seed, default)
        if domain.name == "benefits":
            benefits = cases
        say(
            f"{domain.name}: latency, {settings.rounds} rounds over {len(cases.scenarios)} scenarios + {len(cases.generated)} generated cases"
        )
        entry: dict[str, Any] = {"present": True, "generator": cases.generator}
        entry["latency"] = latency(cases, engines, settings.rounds)
        say(f"{domain.name}: the outcome and the full JSON path per evaluator, {settings.rounds} rounds")
        entry["paths"] = paths(cases, engines, settings.rounds)
        entry["serialisation"] = serialisation(default, cases.generated[:1000])
        result["domains"][domain.name] = entry
    if benefits is None:
        raise SystemExit("the benefit domain is needed for the batch, memory and cold-start measurements")
    from maatwerk._bench.phases import evaluation

    say(f"benefits: rule evaluation alone, per evaluator, over {settings.generated} generated cases")
    result["evaluation"] = evaluation(settings.generated, seed=settings.seed)

    from maatwerk._bench.cases import benefit_cases

    say(f"batch: generating {settings.batch:,} cases")
    many = benefit_cases(settings.batch, seed=settings.seed + 1)
    say(f"batch: advise_many over {settings.batch:,} cases with {settings.processes} processes")
    result["batch"] = batch(default, many, settings.processes)
    del many
    result["impact"] = impact(policy_dir, settings.impact, settings.processes, settings.seed + 3, say)
    say("cold start")
    result["cold_start"] = cold_start(policy_dir, benefits.generated[0], settings.cold_runs)
    say(f"memory: {settings.rss_advices:,} advices")
    result["memory"] = memory(default, benefit_cases(10_000, seed=settings.seed + 2), settings.rss_advices, say)
    result["load_average_end"] = load_average()
    result["calibration_end"] = calibration()
    result["duration_s"] = round(time.perf_counter() - started, 1)
    result["met"] = report.met(result)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maatwerk._bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK", "") not in ("", "0"))
    parser.add_argument("--cases", type=int, help="generated cases per domain for the latency (2000; quick 300)")
    parser.add_argument("--rounds", type=int, help="passes over the latency cases (3; quick 2)")
    parser.add_argument("--batch", type=int, help="cases for the batch throughput (100000; quick 10000)")
    parser.add_argument(
        "--impact-cases",
        type=int,
        help="generated cases for the impact run, per evaluator (100000; quick 10000; the issue's figure: 400000)",
    )
    parser.add_argument("--processes", type=int, help="worker processes for the batch and the impact run (all cores)")
    parser.add_argument("--rss-advices", type=int, help="advices for the memory measurement (1000000; quick 50000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--policies", type=Path, default=default_policy_dir())
    parser.add_argument("--json", type=Path, help="where to write the JSON report")
    parser.add_argument("--docs", action="store_true", help="also rewrite docs/performance.md after a quick run")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/performance.md")
    args = parser.parse_args(argv)
    settings = settings_for(args)
    result = run(settings, args.policies)
    target = args.json or (
        ROOT / "bench-results" / "quick.json" if settings.quick else ROOT / "docs" / "performance.json"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = report.table(result)
    print(table)
    if (not settings.quick or args.docs) and not args.no_docs:
        report.rewrite(ROOT / "docs" / "performance.md", table)
        _say(f"wrote {target} and the table in docs/performance.md")
    else:
        _say(f"wrote {target}")
    return 0
