# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The benchmark's case generators and scenario loader (not timed: nothing here depends on speed)."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import random
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from conftest import POLICIES

from maatwerk import CaseError, Engine, PolicySelectionError, parse_case
from maatwerk._bench.cases import DOMAINS, Domain, benefit_case, benefit_cases, recombined_cases, scenarios
from maatwerk._bench.coldstart import compile_all
from maatwerk._bench.report import BEGIN, END, met, rewrite, table
from maatwerk._bench.run import TARGETS, DomainCases, Engines, impact, latency, paths, percentile

MEASURES = {"boete", "waarschuwing", "geen_boete", "aangifte", "beslissing_nodig"}


@pytest.mark.parametrize("seed", [1, 2026])
def test_every_generated_benefit_case_is_valid(seed: int) -> None:
    """The seeded generator only makes cases the case model accepts (so the benchmark measures advice, not errors)."""
    problems = []
    for i, case in enumerate(benefit_cases(1500, seed=seed)):
        try:
            parse_case(case)
        except CaseError as err:
            problems.append((i, str(err)))
    assert [] == problems


def test_generated_cases_lead_to_every_measure(engine: Engine) -> None:
    """The generated cases reach every benefit measure, so the benchmark exercises every path of the advice."""
    kinds = {engine.advise(case).measure.kind for case in benefit_cases(600, seed=7)}
    assert MEASURES == kinds


def test_fineable_cases_pass_every_gate(engine: Engine) -> None:
    """``fineable=True`` gives cases that no gate stops and no referral takes over: a fine, a
    warning, or (when facts for the ability-to-pay cap are missing) a decision for a person."""
    rng = random.Random(5)
    kinds = {engine.advise(benefit_case(rng, fineable=True)).measure.kind for _ in range(300)}
    assert {"boete", "waarschuwing", "beslissing_nodig"} == kinds


def test_the_same_seed_gives_the_same_cases() -> None:
    """Generation is reproducible: the same seed gives the same list, another seed another list."""
    assert benefit_cases(50, seed=3) == benefit_cases(50, seed=3)
    assert benefit_cases(50, seed=3) != benefit_cases(50, seed=4)


def test_scenarios_are_the_bundled_scenario_files() -> None:
    """Every bundled scenario of the benefit domain that gives an advice is loaded, with its base case
    merged in; one that expects a refusal (no advice to time) is left out."""
    files = [p for p in (POLICIES / "benefits").glob("**/scenarios/*.yaml") if not p.name.startswith("_")]
    refusals = [p for p in files if "refused:" in p.read_text(encoding="utf-8")]
    loaded = scenarios(POLICIES, "benefits")
    assert refusals  # Grave's and Heerenveen's cases decided outside their packs
    assert len(files) - len(refusals) == len(loaded)
    assert all("violation" in s.case for s in loaded)


def test_every_scenario_case_is_valid() -> None:
    """A scenario case, merged with its base, is a valid case (dates given as ISO text)."""
    for scenario in scenarios(POLICIES, "benefits"):
        parse_case(scenario.case)


def test_recombined_cases_are_valid_and_reproducible(engine: Engine) -> None:
    """Recombining scenario sections gives the requested number of cases, all passing ``valid``, the same for a seed."""
    pool = [s.case for s in scenarios(POLICIES, "benefits")]

    def valid(case: dict[str, Any]) -> bool:
        try:
            engine.advise(case)
        except (CaseError, PolicySelectionError):  # sections that do not fit, or dates no pack covers
            return False
        return True

    made = recombined_cases(pool, 40, seed=9, valid=valid)
    assert 40 == len(made)
    assert all(valid(case) for case in made)
    assert made == recombined_cases(pool, 40, seed=9, valid=valid)


def test_recombination_gives_up_when_nothing_is_valid() -> None:
    """A predicate that refuses everything ends in a clear error, not an endless loop."""
    with pytest.raises(ValueError, match="were valid"):
        recombined_cases([{"a": 1}], 3, seed=1, valid=lambda _case: False)


def test_a_domain_is_present_when_its_policy_folder_exists(tmp_path: Path) -> None:
    """A domain switches on when ``policies/<name>/`` exists, and is reported absent otherwise."""
    domain = Domain("providers", None)
    assert not domain.present(tmp_path)
    (tmp_path / "providers").mkdir()
    assert domain.present(tmp_path)
    assert ["benefits", "providers"] == [d.name for d in DOMAINS]


# --- the report and the cold-start compiler ------------------------------------------------------


def _result(*, providers: bool) -> dict[str, Any]:
    """A made-up benchmark result with the shape ``maatwerk._bench.run`` writes."""
    summary = {"n": 10, "p50": 200.0, "p90": 300.0, "p99": 900.0, "mean": 220.0, "max": 950.0}
    domain = {
        "present": True,
        "generator": "seeded generator",
        "latency": {
            "scenarios": 2,
            "generated": 3,
            "durable": {"all": summary},
            "reference": {"all": {**summary, "p50": 100.0, "mean": 50.0}},
            "ratio": {"p50": 2.0, "p99": 1.0, "mean": 4.4},
            "advice_digest": "ab" * 32,
            "evaluators_agree": True,
        },
        "serialisation": {"time_us": summary, "size_bytes": {"p50": 100, "max": 200}},
    }
    return {
        "date": "2026-01-01T00:00:00+00:00",
        "duration_s": 1.0,
        "machine": {
            "cpu": "cpu",
            "cores": 2,
            "memory_gb": 1.0,
            "platform": "p",
            "python": "3.11",
            "durable_rules": "2.0.28",
            "pydantic": "2",
            "maatwerk": "0.1.0",
            "commit": "abc",
        },
        "settings": {"quick": False},
        "load_average_start": [1.0],
        "load_average_end": [1.0],
        "targets": TARGETS,
        "domains": {"benefits": domain, "providers": domain if providers else {"present": False}},
        "batch": {
            "processes": 2,
            "cases": 10,
            "per_s": 12_000,
            "json_per_s": 13_000,
            "json_seconds": 0.9,
            "seconds": 1.0,
            "serial_cases": 5,
            "serial_per_s": 5,
            "worker_startup_s": 1.0,
        },
        "cold_start": {
            "rulesets": 2,
            "runs": 3,
            "total_s": 0.6,
            "import_s": 0.3,
            "load_s": 0.2,
            "compile_s": 0.1,
            "first_advice_s": 0.01,
            "process_s": 0.7,
        },
        "memory": {"advices": 100, "growth_mb": 0.5, "before_mb": 1.0, "after_mb": 1.5, "seconds": 1.0},
    }


def test_targets_are_judged_per_domain_present() -> None:
    """Each target is met or missed as its number says; an absent domain has no latency verdict."""
    result = _result(providers=False)
    assert {
        "benefits: advice p50": True,
        "benefits: advice p99": True,
        "benefits: durable within 3x of reference": False,
        "batch throughput": True,
        "cold start": False,
        "RSS growth": True,
    } == met(result)


def test_the_table_says_when_a_domain_is_not_present() -> None:
    """A missing provider domain is one clear line in the table; a present one gets its own rows."""
    absent = _result(providers=False)
    absent["met"] = met(absent)
    assert (
        "| providers: every measurement | | not present in this checkout (no `policies/providers/`) | |"
        in table(absent).splitlines()
    )
    present = _result(providers=True)
    present["met"] = met(present)
    assert any(line.startswith("| providers: full advice p50") for line in table(present).splitlines())


def test_each_case_s_fastest_round_is_reported_beside_but_not_instead_of_the_target_figure() -> None:
    """The p50 / p99 of each case's fastest round get their own row, without a target or a verdict;
    the target rows keep the figures over every advice; a report without them has no such row."""
    result = _result(providers=False)
    lat = result["domains"]["benefits"]["latency"]
    fast = {"n": 5, "p50": 150.0, "p90": 170.0, "p99": 180.0, "mean": 155.0, "max": 190.0}
    lat["durable"] = {**lat["durable"], "fastest_round": fast}
    lat["reference"] = {**lat["reference"], "fastest_round": {**fast, "p50": 100.0, "p99": 120.0}}
    lat["rounds"] = 3
    result["met"] = met(result)
    lines = table(result).splitlines()
    assert (
        "| benefits: p50 / p99 of each case's fastest of 3 rounds, durable-rules; reference "
        "(less of the machine's noise; not the target's measure) | | 150 µs / 180 µs; 100 µs / 120 µs | |"
    ) in lines
    assert "| benefits: full advice p99, durable-rules | ≤ 1,000 µs | 900 µs | yes |" in lines
    older = _result(providers=False)
    older["met"] = met(older)
    assert not any("fastest" in line for line in table(older).splitlines())


def test_the_latency_measurement_keeps_each_case_s_fastest_round(engine: Engine) -> None:
    """Over real advices: each case's fastest round is at most its every round, so its p50 and p99
    are at most those over all advices, and there is one figure per case."""
    cases = DomainCases("benefits", [], benefit_cases(6, seed=5), "seeded generator")
    engines = Engines(Path(engine.policy_dir))
    out = latency(cases, engines, rounds=3)
    for evaluator in ("durable", "reference", "compiled"):
        every, fastest = out[evaluator]["all"], out[evaluator]["fastest_round"]
        assert (18, 6) == (every["n"], fastest["n"])
        assert fastest["p50"] <= every["p50"]
        assert fastest["p99"] <= every["p99"]
        assert fastest["max"] <= every["max"]
    assert 3 == out["rounds"]
    assert out["evaluators_agree"]
    assert 1.0 == min(out["ratio_to_fastest_p50"].values())


def test_the_impact_run_is_measured_per_evaluator_and_each_report_names_its_evaluator(engine: Engine) -> None:
    """The impact run counts the same rules with every evaluator; each coverage report names the
    evaluator that advised, and the fastest run is 1.00x."""
    out = impact(Path(engine.policy_dir), 40, 1, 7, lambda _: None)
    assert out["evaluators_agree"]
    assert {
        "durable": f"durable-rules {version('durable-rules')}",
        "reference": "reference evaluator",
        "compiled": "compiled evaluator",
    } == {e: out[e]["evaluator_in_report"] for e in out["evaluators"]}
    assert 1.0 == min(out["ratio_to_fastest"].values())
    assert all(out[e]["per_s"] > 0 for e in out["evaluators"])


def test_the_table_has_the_compiled_evaluator_and_the_impact_run_with_ratios_to_the_fastest() -> None:
    result = _result(providers=False)
    lat = result["domains"]["benefits"]["latency"]
    lat["evaluators"] = ["durable", "reference", "compiled"]
    lat["compiled"] = {"all": {**lat["durable"]["all"], "p50": 50.0, "p99": 80.0}}
    lat["ratio_to_fastest_p50"] = {"durable": 4.0, "reference": 2.0, "compiled": 1.0}
    result["impact"] = {
        "cases": 1000,
        "processes": 2,
        "evaluators": ["durable", "compiled"],
        "durable": {
            "seconds": 0.2,
            "per_s": 5000,
            "evaluator_in_report": "durable-rules 2",
            "caller_rss_growth_mb": 0.1,
        },
        "compiled": {
            "seconds": 0.05,
            "per_s": 20000,
            "evaluator_in_report": "compiled evaluator",
            "caller_rss_growth_mb": 0.0,
        },
        "ratio_to_fastest": {"durable": 4.0, "compiled": 1.0},
        "evaluators_agree": True,
    }
    result["evaluation"] = {
        "cases": 300,
        "passes": 3,
        "us": {"durable": 60.0, "compiled": 5.0},
        "ratio_to_fastest": {"durable": 12.0, "compiled": 1.0},
        "traces_agree": True,
    }
    result["met"] = met(result)
    assert result["met"]["impact run"]
    lines = table(result).splitlines()
    assert "| benefits: full advice p50 / p99, compiled evaluator | | 50 µs / 80 µs | |" in lines
    assert (
        "| benefits: rule evaluation alone (stratified rules on the encoded case), best of 3 passes over 300 "
        "generated cases; ÷ the fastest | | durable-rules 60.0 µs (12.00×); compiled evaluator 5.0 µs (1.00×) | same traces |"
    ) in lines
    assert (
        "| benefits: full advice p50 ÷ the fastest evaluator's (compiled evaluator) | | durable-rules 4.00×; "
        "reference evaluator 2.00×; compiled evaluator 1.00× | |"
    ) in lines
    assert (
        "| impact: `maatwerk coverage` over 1,000 generated benefit cases, 2 processes, compiled evaluator "
        "(the report names it: compiled evaluator) | ≥ 13,000 /s | 20,000 /s (0.05 s; 400,000 cases ≈ 20 s); "
        "1.00× the fastest; caller RSS +0.0 MB | yes |"
    ) in lines
    assert any(
        line.startswith("| impact: `maatwerk coverage` over 1,000 generated benefit cases, 2 processes, durable-rules")
        and "4.00× the fastest" in line
        for line in lines
    )


def test_the_outcome_and_json_paths_are_measured_per_evaluator(engine: Engine) -> None:
    """Over real cases: every evaluator's outcome and full-JSON path has one sample per case and
    round, and the fastest path is 1.00x."""
    cases = DomainCases("benefits", [], benefit_cases(5, seed=9), "seeded generator")
    out = paths(cases, Engines(Path(engine.policy_dir)), rounds=2)
    for evaluator in ("durable", "reference", "compiled"):
        for path in ("outcome", "json"):
            assert 10 == out[evaluator][path]["n"]
    assert 1.0 == min(out["ratio_to_fastest_p50"].values())
    assert set(out["ratio_to_fastest_p50"]) == {f"{e} {p}" for e in out["evaluators"] for p in ("outcome", "json")}


def test_the_table_judges_the_outcome_and_json_paths_against_their_targets() -> None:
    """The outcome and JSON rows stand against issue 22's targets (durable-rules: outcome p50 150 µs,
    p99 400 µs, JSON p50 250 µs, p99 1 ms; compiled outcome p50 75 µs)."""
    result = _result(providers=False)
    summary = result["domains"]["benefits"]["latency"]["durable"]["all"]
    result["domains"]["benefits"]["paths"] = {
        "cases": 20,
        "rounds": 3,
        "evaluators": ["durable", "compiled"],
        "paths": ["outcome", "json"],
        "durable": {
            "outcome": {**summary, "p50": 140.0, "p99": 500.0},
            "json": {**summary, "p50": 300.0, "p99": 900.0},
        },
        "compiled": {"outcome": {**summary, "p50": 70.0, "p99": 90.0}, "json": {**summary, "p50": 250.0, "p99": 400.0}},
        "ratio_to_fastest_p50": {
            "durable outcome": 2.0,
            "durable json": 4.29,
            "compiled outcome": 1.0,
            "compiled json": 3.57,
        },
    }
    result["met"] = met(result)
    ok = result["met"]
    assert (ok["benefits: outcome p50"], ok["benefits: outcome p99"], ok["benefits: compiled outcome p50"]) == (
        True,
        False,
        True,
    )
    assert (ok["benefits: JSON p50"], ok["benefits: JSON p99"]) == (False, True)
    lines = table(result).splitlines()
    assert "| benefits: outcome p50, compiled evaluator | ≤ 75 µs | 70 µs | yes |" in lines
    assert any(line.startswith("| benefits: each path's p50 ÷ the fastest (compiled outcome)") for line in lines)


def test_rewrite_replaces_only_the_marked_section(tmp_path: Path) -> None:
    """``rewrite`` keeps the prose around the markers and replaces what lies between them."""
    doc = tmp_path / "performance.md"
    doc.write_text(f"before\n{BEGIN}\nold table\n{END}\nafter\n", encoding="utf-8")
    rewrite(doc, "new table")
    assert f"before\n{BEGIN}\nnew table\n{END}\nafter\n" == doc.read_text(encoding="utf-8")


def test_percentile_is_nearest_rank() -> None:
    """p50 of 1..10 is 5, p99 is 10, and p0 is the smallest value."""
    values = [float(v) for v in range(10, 0, -1)]
    assert (5.0, 10.0, 1.0) == (percentile(values, 0.5), percentile(values, 0.99), percentile(values, 0.0))


def test_compile_all_compiles_what_the_cases_need() -> None:
    """After ``compile_all`` the engine compiles nothing more for a few hundred generated cases."""
    fresh = Engine()
    compiled = compile_all(fresh)
    rulesets = dict(fresh._evaluator._rulesets)  # type: ignore[attr-defined]
    assert compiled == len(rulesets) >= 2
    for case in benefit_cases(300, seed=21):
        fresh.advise(case)
    assert rulesets == fresh._evaluator._rulesets  # type: ignore[attr-defined]


def test_the_outcomes_of_a_batch_get_a_row_per_evaluator_when_measured() -> None:
    """``Engine.outcomes`` from workers is one row per evaluator with its rate and the caller's RSS
    growth; a report from before it was measured has no such row (and still renders)."""
    result = _result(providers=False)
    result["met"] = met(result)
    assert not any("`outcomes(" in line for line in table(result).splitlines())
    result["batch"]["outcomes"] = {
        "durable": {"seconds": 2.0, "per_s": 5_000, "caller_rss_growth_mb": 0.4},
        "compiled": {"seconds": 1.0, "per_s": 10_000, "caller_rss_growth_mb": -0.1},
    }
    rows = [line for line in table(result).splitlines() if "`outcomes(processes=2)`" in line]
    assert len(rows) == 2
    assert "durable" in rows[0]
    assert "5,000 /s (2.0 s); +0.4 MB" in rows[0]
    assert "compiled" in rows[1]
    assert "10,000 /s (1.0 s); -0.1 MB" in rows[1]
