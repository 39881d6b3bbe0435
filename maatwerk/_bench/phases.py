# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Where the time of one benefit advice goes, phase by phase (``python -m maatwerk._bench.phases``).

The latency in ``make bench`` is one number per advice; this splits it into the steps of
:meth:`Engine.advise <maatwerk.Engine.advise>` so that ``docs/performance.md`` can say what costs
what. Each phase is timed on its own over the same generated cases (the best of three passes, so
that the figures approach the cost of the code rather than the load of the machine), with the
results of the earlier phases prepared beforehand. The phases add up to about one advice; an
advice whose rules changed between conduct and decision is built twice (lex mitior), which the
phases do not count.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from maatwerk._advice.plain import AdviceData, advice_model, to_json
from maatwerk._api import Engine, canonical_json, parse_case
from maatwerk._bench.cases import benefit_cases
from maatwerk._domains.benefits_builder import Builder
from maatwerk._domains.facts import benefit_facts, encode_facts
from maatwerk._engine import Evaluator
from maatwerk._engine.compiled import CompiledEvaluator
from maatwerk._engine.reference import ReferenceEvaluator
from maatwerk.models.case import BenefitCase

__all__ = ["evaluation", "main", "measure"]


def _best_us(run: Callable[[Any], object], items: Sequence[Any], passes: int) -> float:
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for item in items:
            run(item)
        best = min(best, (time.perf_counter() - start) / len(items) * 1e6)
    return round(best, 1)


def measure(n: int = 1000, *, seed: int = 2026, passes: int = 3) -> dict[str, float]:
    """Microseconds per benefit advice for each phase, over ``n`` generated cases."""
    engine = Engine()
    raw = benefit_cases(n, seed=seed)
    cases: list[BenefitCase] = []
    for data in raw:
        case = parse_case(data)
        assert isinstance(case, BenefitCase)
        cases.append(case)
    for case in cases:  # warm every stack's shared parts
        engine.advise(case)
    stacks = [engine._select(c).decision for c in cases]

    def conduct_date(i: int) -> Any:
        case, stack = cases[i], stacks[i]
        first = stack.packs[0]
        start = case.violation.period.start
        return first.valid_from if first.file.pack.covers_earlier_conduct and start < first.valid_from else start

    idx = list(range(len(cases)))
    params = [stacks[i].resolve_params(conduct_date(i), cases[i].decision_date) for i in idx]
    values = [benefit_facts(cases[i], params[i]) for i in idx]
    facts = [encode_facts(stacks[i].facts, values[i]) for i in idx]
    keys = [stacks[i].condition_key(params[i]) for i in idx]
    traces = [engine._evaluator.evaluate(stacks[i], keys[i], facts[i]) for i in idx]
    reference = ReferenceEvaluator()
    compiled = CompiledEvaluator()
    for i in idx:  # generate each stack's function before it is timed
        compiled.evaluate(stacks[i], keys[i], facts[i])
    advices = [engine.advise(c) for c in cases]

    def build(i: int) -> AdviceData:
        def rerun(changed: Any) -> Any:  # what-ifs: the same rules on changed facts, as the engine does
            return reference.evaluate(stacks[i], keys[i], encode_facts(stacks[i].facts, changed))

        return Builder(cases[i], stacks[i], params[i], values[i], traces[i], rerun).build(
            packs=advices[i].packs, engine=engine.engine, extra_steps=()
        )

    built = [build(i) for i in idx]
    return {
        "parse_and_validate": _best_us(parse_case, raw, passes),
        "select_packs": _best_us(engine._select, cases, passes),
        "resolve_parameters": _best_us(
            lambda i: stacks[i].resolve_params(conduct_date(i), cases[i].decision_date), idx, passes
        ),
        "derive_facts": _best_us(lambda i: benefit_facts(cases[i], params[i]), idx, passes),
        "encode_facts": _best_us(lambda i: encode_facts(stacks[i].facts, values[i]), idx, passes),
        "evaluate_durable_rules": _best_us(
            lambda i: engine._evaluator.evaluate(stacks[i], keys[i], facts[i]), idx, passes
        ),
        "evaluate_reference": _best_us(lambda i: reference.evaluate(stacks[i], keys[i], facts[i]), idx, passes),
        "evaluate_compiled": _best_us(lambda i: compiled.evaluate(stacks[i], keys[i], facts[i]), idx, passes),
        "build_advice": _best_us(build, idx, passes),
        "receipt": _best_us(lambda i: engine._receipt(cases[i], advices[i].packs), idx, passes),
        "canonical_case_json": _best_us(canonical_json, cases, passes),
        "advice_to_json": _best_us(lambda a: a.model_dump_json(), advices, passes),
        "advice_model_from_data": _best_us(lambda i: advice_model(built[i]), idx, passes),
        "advice_data_to_json": _best_us(lambda i: to_json(built[i]), idx, passes),
        "whole_advice_from_raw": _best_us(engine.advise, raw, passes),
    }


def evaluation(n: int = 1000, *, seed: int = 2026, passes: int = 3) -> dict[str, Any]:
    """Microseconds per benefit case of the rule evaluation alone (the stratified rules on the
    encoded fact, nothing before or after), per evaluator: the best of ``passes`` passes over ``n``
    generated cases, the evaluators taking turns within each pass; and each as a multiple of the
    fastest. Every evaluator's traces must be equal."""
    from maatwerk._engine._durable import DurableEvaluator

    engine = Engine()
    cases = [c for c in (parse_case(d) for d in benefit_cases(n, seed=seed)) if isinstance(c, BenefitCase)]
    stacks = [engine._select(c).decision for c in cases]
    idx = range(len(cases))
    params = [
        stacks[i].resolve_params(
            stacks[i].packs[0].valid_from
            if stacks[i].packs[0].file.pack.covers_earlier_conduct
            and cases[i].violation.period.start < stacks[i].packs[0].valid_from
            else cases[i].violation.period.start,
            cases[i].decision_date,
        )
        for i in idx
    ]
    facts = [encode_facts(stacks[i].facts, benefit_facts(cases[i], params[i])) for i in idx]
    keys = [stacks[i].condition_key(params[i]) for i in idx]
    evaluators: dict[str, Evaluator] = {
        "durable": DurableEvaluator(),
        "reference": ReferenceEvaluator(),
        "compiled": CompiledEvaluator(),
    }
    traces = {name: [e.evaluate(stacks[i], keys[i], facts[i]) for i in idx] for name, e in evaluators.items()}
    best = {name: float("inf") for name in evaluators}
    for p in range(passes):
        names = list(evaluators)
        for name in names[p % len(names) :] + names[: p % len(names)]:
            evaluate = evaluators[name].evaluate
            start = time.perf_counter()
            for i in idx:
                evaluate(stacks[i], keys[i], facts[i])
            best[name] = min(best[name], (time.perf_counter() - start) / len(cases) * 1e6)
    fastest = min(best.values())
    return {
        "cases": len(cases),
        "passes": passes,
        "us": {name: round(us, 1) for name, us in best.items()},
        "ratio_to_fastest": {name: round(us / fastest, 2) for name, us in best.items()},
        "traces_agree": traces["durable"] == traces["reference"] == traces["compiled"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maatwerk._bench.phases", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    result = measure(args.cases, seed=args.seed)
    width = max(map(len, result))
    for name, us in result.items():
        print(f"{name:<{width}}  {us:8.1f} µs")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
