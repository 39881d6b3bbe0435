# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The benchmark's Markdown table, and its place in ``docs/performance.md`` (between two markers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["BEGIN", "END", "met", "rewrite", "table"]

BEGIN = "<!-- bench:begin (written by `make bench`; edit the text around it, not inside) -->"
END = "<!-- bench:end -->"


def met(result: dict[str, Any]) -> dict[str, bool]:
    """Which targets the run met (per present domain for the latency targets)."""
    t = result["targets"]
    out: dict[str, bool] = {}
    for name, entry in result["domains"].items():
        if not entry.get("present"):
            continue
        lat = entry["latency"]
        out[f"{name}: advice p50"] = lat["durable"]["all"]["p50"] <= t["advice_p50_us"]
        out[f"{name}: advice p99"] = lat["durable"]["all"]["p99"] <= t["advice_p99_us"]
        out[f"{name}: durable within 3x of reference"] = lat["ratio"]["mean"] <= t["durable_vs_reference_max_ratio"]
        paths = entry.get("paths")
        if paths and "outcome_p50_us" in t:
            out[f"{name}: outcome p50"] = paths["durable"]["outcome"]["p50"] <= t["outcome_p50_us"]
            out[f"{name}: outcome p99"] = paths["durable"]["outcome"]["p99"] <= t["outcome_p99_us"]
            out[f"{name}: compiled outcome p50"] = paths["compiled"]["outcome"]["p50"] <= t["outcome_compiled_p50_us"]
            out[f"{name}: JSON p50"] = paths["durable"]["json"]["p50"] <= t["json_p50_us"]
            out[f"{name}: JSON p99"] = paths["durable"]["json"]["p99"] <= t["json_p99_us"]
    out["batch throughput"] = result["batch"]["per_s"] >= t["batch_min_per_s"]
    if "impact" in result and "impact_min_per_s" in t:
        out["impact run"] = (
            max(result["impact"][e]["per_s"] for e in result["impact"]["evaluators"]) >= t["impact_min_per_s"]
        )
    out["cold start"] = result["cold_start"]["total_s"] <= t["cold_start_max_s"]
    out["RSS growth"] = result["memory"]["growth_mb"] < t["rss_growth_max_mb"]
    return out


def _calib(values: dict[str, float] | None) -> str:
    if not values:
        return "not measured"
    return f"{values['arithmetic_ms']:.0f} / {values['allocation_ms']:.0f}"


def _us(value: float) -> str:
    return f"{value:,.0f} µs"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _fastest_rows(name: str, lat: dict[str, Any]) -> list[str]:
    """The p50 / p99 over the cases of each case's fastest round (not a target: it shows how much of
    the spread is the machine's noise); absent from reports written before it was measured."""
    d, r = lat["durable"].get("fastest_round"), lat["reference"].get("fastest_round")
    if d is None or r is None:
        return []
    c = lat.get("compiled", {}).get("fastest_round")
    label, figures = "", ""
    if c is not None:
        label, figures = "; compiled", f"; {_us(c['p50'])} / {_us(c['p99'])}"
    return [
        f"| {name}: p50 / p99 of each case's fastest of {lat['rounds']} rounds, durable-rules; reference{label} "
        f"(less of the machine's noise; not the target's measure) | | {_us(d['p50'])} / {_us(d['p99'])}; "
        f"{_us(r['p50'])} / {_us(r['p99'])}{figures} | |"
    ]


#: How the report names each evaluator.
EVALUATOR_NAMES = {"durable": "durable-rules", "reference": "reference evaluator", "compiled": "compiled evaluator"}


def _compiled_rows(name: str, lat: dict[str, Any]) -> list[str]:
    """The compiled evaluator's full advice, and each evaluator's p50 as a multiple of the fastest
    one's (from the same interleaved run); absent from reports written before it was measured."""
    if "compiled" not in lat or "ratio_to_fastest_p50" not in lat:
        return []
    c = lat["compiled"]["all"]
    ratios = lat["ratio_to_fastest_p50"]
    fastest = min(ratios, key=lambda e: ratios[e])
    return [
        f"| {name}: full advice p50 / p99, compiled evaluator | | {_us(c['p50'])} / {_us(c['p99'])} | |",
        f"| {name}: full advice p50 ÷ the fastest evaluator's ({EVALUATOR_NAMES[fastest]}) | | "
        + "; ".join(f"{EVALUATOR_NAMES[e]} {ratios[e]:.2f}×" for e in lat["evaluators"])
        + " | |",
    ]


def _path_rows(name: str, entry: dict[str, Any], t: dict[str, Any], ok: dict[str, bool]) -> list[str]:
    """The outcome and the full JSON path per evaluator, against the targets of issue 22; absent
    from reports written before they were measured."""
    p = entry.get("paths")
    if not p or "outcome_p50_us" not in t:
        return []
    d_out, c_out, d_json = p["durable"]["outcome"], p["compiled"]["outcome"], p["durable"]["json"]
    ratios = p["ratio_to_fastest_p50"]
    fastest = min(ratios, key=lambda k: ratios[k])
    return [
        f"| {name}: outcome p50, durable-rules ({p['cases']} cases × {p['rounds']} rounds) | ≤ {_us(t['outcome_p50_us'])} | "
        f"{_us(d_out['p50'])} | {_yes(ok[f'{name}: outcome p50'])} |",
        f"| {name}: outcome p99, durable-rules | ≤ {_us(t['outcome_p99_us'])} | {_us(d_out['p99'])} | {_yes(ok[f'{name}: outcome p99'])} |",
        f"| {name}: outcome p50, compiled evaluator | ≤ {_us(t['outcome_compiled_p50_us'])} | {_us(c_out['p50'])} | "
        f"{_yes(ok[f'{name}: compiled outcome p50'])} |",
        f"| {name}: full advice as JSON p50, durable-rules | ≤ {_us(t['json_p50_us'])} | {_us(d_json['p50'])} | {_yes(ok[f'{name}: JSON p50'])} |",
        f"| {name}: full advice as JSON p99, durable-rules | ≤ {_us(t['json_p99_us'])} | {_us(d_json['p99'])} | {_yes(ok[f'{name}: JSON p99'])} |",
        f"| {name}: each path's p50 ÷ the fastest ({fastest}) | | "
        + "; ".join(f"{k} {v:.2f}×" for k, v in ratios.items())
        + " | |",
    ]


def _evaluation_rows(result: dict[str, Any]) -> list[str]:
    """The rule evaluation alone per evaluator, as a multiple of the fastest (same run, taking turns)."""
    ev = result.get("evaluation")
    if ev is None:
        return []
    return [
        f"| benefits: rule evaluation alone (stratified rules on the encoded case), best of {ev['passes']} passes "
        f"over {ev['cases']:,} generated cases; ÷ the fastest | | "
        + "; ".join(
            f"{EVALUATOR_NAMES[e]} {us:,.1f} µs ({ev['ratio_to_fastest'][e]:.2f}×)" for e, us in ev["us"].items()
        )
        + f" | {'same traces' if ev['traces_agree'] else '**different traces**'} |"
    ]


def _impact_rows(result: dict[str, Any]) -> list[str]:
    """The impact run per evaluator, its rate, and its time as a multiple of the fastest one's."""
    imp = result.get("impact")
    if imp is None:
        return []
    t = result["targets"]
    fastest = min(imp["evaluators"], key=lambda e: imp[e]["seconds"])
    rows = []
    for e in imp["evaluators"]:
        r = imp[e]
        target, met_ = "", ""
        if e == fastest and "impact_min_per_s" in t:
            target = f"≥ {t['impact_min_per_s']:,.0f} /s"
            met_ = _yes(result["met"].get("impact run", False))
        at_400k = 400_000 / r["per_s"]
        rows.append(
            f"| impact: `maatwerk coverage` over {imp['cases']:,} generated benefit cases, {imp['processes']} processes, "
            f"{EVALUATOR_NAMES[e]} (the report names it: {r['evaluator_in_report']}) | {target} | "
            f"{r['per_s']:,} /s ({r['seconds']:,} s; 400,000 cases ≈ {at_400k:,.0f} s); "
            f"{imp['ratio_to_fastest'][e]:.2f}× the fastest; caller RSS {r['caller_rss_growth_mb']:+.1f} MB | {met_} |"
        )
    rows.append(
        f"| impact: every evaluator counts the same rules | identical | "
        f"{'identical' if imp['evaluators_agree'] else '**different**'} | {_yes(imp['evaluators_agree'])} |"
    )
    return rows


def table(result: dict[str, Any]) -> str:
    """The results as Markdown: the machine, then one row per measurement with its target."""
    m = result["machine"]
    t = result["targets"]
    ok = result["met"]
    quick = " (quick run: fewer cases, not the reference figures)" if result["settings"]["quick"] else ""
    lines = [
        f"Run of {result['date']}{quick}, {result['duration_s']:,.0f} s. Machine: {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gb']} GB; {m['platform']}; Python {m['python']}; durable-rules {m['durable_rules']}; "
        f"pydantic {m['pydantic']}; maatwerk {m['maatwerk']} ({m['commit'] or 'no git'}). Load average "
        f"(1, 5, 15 min) at the start {result['load_average_start']}, at the end {result['load_average_end']}; "
        f"calibration (fixed arithmetic / allocation workloads, ms) at the start {_calib(result.get('calibration_start'))}, "
        f"at the end {_calib(result.get('calibration_end'))}: the machine is shared, so expect noise.",
        "",
        "| measurement | target | measured | met |",
        "|---|---|---|---|",
    ]
    for name, entry in result["domains"].items():
        if not entry.get("present"):
            lines.append(f"| {name}: every measurement | | not present in this checkout (no `policies/{name}/`) | |")
            continue
        lat = entry["latency"]
        d, r = lat["durable"]["all"], lat["reference"]["all"]
        cases = f"{lat['scenarios']} scenarios + {lat['generated']} generated cases ({entry['generator']}), {d['n']:,} advices"
        lines += [
            f"| {name}: full advice p50, durable-rules ({cases}) | ≤ {_us(t['advice_p50_us'])} | {_us(d['p50'])} | {_yes(ok[f'{name}: advice p50'])} |",
            f"| {name}: full advice p99, durable-rules | ≤ {_us(t['advice_p99_us'])} | {_us(d['p99'])} | {_yes(ok[f'{name}: advice p99'])} |",
            f"| {name}: full advice p50 / p99, reference evaluator | | {_us(r['p50'])} / {_us(r['p99'])} | |",
            *_compiled_rows(name, lat),
            *_path_rows(name, entry, t, ok),
            *_fastest_rows(name, lat),
            f"| {name}: durable-rules ÷ reference, mean (p50, p99) | ≤ {t['durable_vs_reference_max_ratio']:.0f}× | "
            f"{lat['ratio']['mean']:.2f}× ({lat['ratio']['p50']:.2f}×, {lat['ratio']['p99']:.2f}×) | {_yes(ok[f'{name}: durable within 3x of reference'])} |",
            f"| {name}: {'every evaluator gives' if 'compiled' in lat else 'both evaluators give'} byte-identical advice | identical | "
            f"{'identical' if lat['evaluators_agree'] else '**different**'} (digest `{lat['advice_digest'][:12]}`) | {_yes(lat['evaluators_agree'])} |",
            f"| {name}: advice JSON size p50 / max | | {entry['serialisation']['size_bytes']['p50']:,} / "
            f"{entry['serialisation']['size_bytes']['max']:,} bytes | |",
            f"| {name}: `model_dump_json` p50 / p99 | | {_us(entry['serialisation']['time_us']['p50'])} / "
            f"{_us(entry['serialisation']['time_us']['p99'])} | |",
        ]
    b = result["batch"]
    c = result["cold_start"]
    mem = result["memory"]
    lines += _evaluation_rows(result)
    lines += [
        f"| batch: `advise_many(processes={b['processes']})`, {b['cases']:,} generated cases, whole advices, worker start-up included | "
        f"≥ {t['batch_min_per_s']:,.0f} /s | {b['per_s']:,} /s ({b['seconds']:,} s) | {_yes(ok['batch throughput'])} |",
        f"| batch: the same returning JSON, `each=Advice.model_dump_json` (made in the workers) | | "
        f"{b['json_per_s']:,} /s ({b['json_seconds']:,} s) | |",
        f"| batch: serial `advise_many`, {b['serial_cases']:,} cases; start-up of one worker | | "
        f"{b['serial_per_s']:,} /s; {b['worker_startup_s']} s | |",
        *_outcome_batch_rows(result),
        *_impact_rows(result),
        f"| cold start: import + load + compile all bundled packs ({c['rulesets']} rulesets), median of {c['runs']}, "
        "modules read as compiled bytecode, as installed | "
        f"≤ {t['cold_start_max_s'] * 1000:.0f} ms | {c['total_s'] * 1000:.0f} ms (import {c['import_s'] * 1000:.0f}, "
        f"load {c['load_s'] * 1000:.0f}, compile {c['compile_s'] * 1000:.0f}) | {_yes(ok['cold start'])} |",
        f"| cold start: then the first advice; whole process | | {c['first_advice_s'] * 1000:.0f} ms; "
        f"{c['process_s'] * 1000:.0f} ms | |",
        f"| memory: RSS growth over {mem['advices']:,} advices (after a warm-up) | < {t['rss_growth_max_mb']:.0f} MB | "
        f"{mem['growth_mb']:+.1f} MB ({mem['before_mb']} → {mem['after_mb']} MB, {mem['seconds']:,.0f} s) | {_yes(ok['RSS growth'])} |",
    ]
    return "\n".join(lines)


def _outcome_batch_rows(result: dict[str, Any]) -> list[str]:
    """``Engine.outcomes`` from worker processes, per evaluator (a report from before it has none)."""
    b = result["batch"]
    found = b.get("outcomes")
    if not found:
        return []
    return [
        f"| batch: `outcomes(processes={b['processes']})`, {b['cases']:,} generated cases, {name}, the decisions only; "
        f"growth of the caller's RSS | | {o['per_s']:,} /s ({o['seconds']:,} s); {o['caller_rss_growth_mb']:+.1f} MB | |"
        for name, o in found.items()
    ]


def rewrite(path: Path, table_text: str, *, begin: str = BEGIN, end: str = END) -> None:
    """Replace the text between the markers ``begin`` and ``end`` (by default the bench's,
    :data:`BEGIN` and :data:`END`) in ``path`` with ``table_text``."""
    text = path.read_text(encoding="utf-8")
    start = text.index(begin) + len(begin)
    stop = text.index(end)
    path.write_text(text[:start] + "\n" + table_text + "\n" + text[stop:], encoding="utf-8")
