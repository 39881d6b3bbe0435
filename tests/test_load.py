# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The load test (`make load`) works: a short run against a real `maatwerk serve` has no errors,
loses no decision and writes its report. Correctness only: no figure of speed is asserted."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT

from maatwerk import CaseError, parse_case
from maatwerk._bench.load import BEGIN, END, main, mixed_cases, rewrite, table


def test_a_short_load_run_has_no_errors_loses_no_decision_and_writes_its_report(tmp_path: Path) -> None:
    """Three clients for one second: the run exits 0, every request was answered 200 or 201, each
    client recorded at least one decision, the audit store holds exactly the confirmed decisions
    and verifies, and the JSON report has every figure the docs table shows."""
    docs_before = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    report = tmp_path / "load.json"
    assert 0 == main(["--seconds", "1", "--clients", "3", "--cases", "30", "--json", str(report), "--no-docs"])
    result = json.loads(report.read_text(encoding="utf-8"))
    assert {"count": 0, "first": []} == result["errors"]
    assert result["requests"]["decision"]["count"] >= 3
    assert result["requests"]["advice"]["count"] >= result["requests"]["decision"]["count"]
    audit = result["audit"]
    assert (True, 0, 0) == (audit["chain_ok"], audit["lost"], audit["unconfirmed"])
    assert audit["confirmed"] == result["requests"]["decision"]["count"] == audit["records"]
    assert 0 == result["service_exit"]
    for kind in ("advice", "decision", "all"):
        figures = result["requests"][kind]
        assert figures["p50_ms"] <= figures["p90_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert docs_before == (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")


def test_the_table_goes_between_the_markers_and_nowhere_else(tmp_path: Path) -> None:
    """`rewrite` replaces only what lies between the load markers (as `make load` does to
    docs/performance.md), and the table names the errors and the audit check."""
    result = {
        "date": "2026-03-02T09:00:00+00:00",
        "machine": {"cpu": "cpu", "cores": 2, "python": "3.11", "maatwerk": "0.1.0", "commit": "abc"},
        "settings": {"clients": 32, "cases": 400, "provider_share": 0.25, "decision_share": 0.2, "quick": False},
        "duration_s": 30.0,
        "load_average_start": [0.1, 0.1, 0.1],
        "load_average_end": [1.0, 1.0, 1.0],
        "requests": {
            k: {"count": 10, "per_s": 1.0, "p50_ms": 1.0, "p90_ms": 2.0, "p99_ms": 3.0, "max_ms": 4.0}
            for k in ("advice", "decision", "all")
        },
        "errors": {"count": 0, "first": []},
        "audit": {"records": 10, "confirmed": 10, "lost": 0, "chain_ok": True, "problems": []},
    }
    text = table(result)
    assert "Errors: **0**" in text
    assert "0 lost; the chain verifies" in text
    page = tmp_path / "performance.md"
    page.write_text(f"before\n{BEGIN}\nold table\n{END}\nafter\n", encoding="utf-8")
    rewrite(page, text)
    assert f"before\n{BEGIN}\n{text}\n{END}\nafter\n" == page.read_text(encoding="utf-8")


def test_the_load_cases_are_valid_and_mix_both_domains() -> None:
    """The seeded case mix is valid for the case model and holds benefit and provider cases."""
    cases = mixed_cases(200, seed=5, provider_share=0.25)
    invalid = []
    for i, case in enumerate(cases):
        try:
            parse_case(case)
        except CaseError as err:
            invalid.append((i, str(err)))
    assert [] == invalid
    assert {"benefits", "providers"} == {c.get("domain", "benefits") for c in cases}
    assert cases == mixed_cases(200, seed=5, provider_share=0.25)
