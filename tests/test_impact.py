# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""`maatwerk diff` and `maatwerk coverage`: a policy change over a population of cases.

The worked change throughout: Lansingerland's payment term for ability to pay at reduced
culpability goes from 6 to 3 months (policies/benefits/lansingerland-benefits, parameter
``draagkracht_maanden_verminderd``). Only capped fines at reduced culpability can change, and only
downwards.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, POLICIES

from maatwerk import CaseError, Engine
from maatwerk._tools.impact import (
    CoverageReport,
    DiffReport,
    Population,
    PopulationInfo,
    classify,
    coverage,
    diff,
    generate_case,
    read_cases,
)
from maatwerk._tools.impact_report import coverage_html, coverage_text, diff_html, diff_text
from maatwerk.cli import EXIT_CASE, EXIT_OK, EXIT_POLICY, EXIT_USAGE, main

LANSINGERLAND = Path("benefits") / "lansingerland-benefits" / "2024-01-01.yaml"
WINDOW = (dt.date(2024, 1, 1), dt.date(2026, 11, 1))


def shorter_term(folder: Path) -> Path:
    """The bundled packs with 3 instead of 6 months for ability to pay at reduced culpability."""
    shutil.copytree(POLICIES, folder, ignore=shutil.ignore_patterns("scenarios"))
    pack = folder / LANSINGERLAND
    text = pack.read_text(encoding="utf-8")
    assert "values: [{from: 2024-01-01, value: 6}]" in text
    pack.write_text(text.replace("values: [{from: 2024-01-01, value: 6}]", "values: [{from: 2024-01-01, value: 3}]"))
    return folder


@pytest.fixture(scope="module")
def new_policies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shorter_term(tmp_path_factory.mktemp("new") / "policies")


@pytest.fixture(scope="module")
def report(new_policies: Path) -> DiffReport:
    """The 6 -> 3 months change over 600 generated benefit cases (in this process)."""
    population = Population.generated(600, seed=7, domains=("benefits",), decided_between=WINDOW)
    return diff(Engine(evaluator="reference"), Engine(new_policies, evaluator="reference"), population)


# --- classification -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (("boete", 124000, "normaal", ()), ("boete", 124000, "normaal", (("p", "r"),)), "unchanged"),
        (("boete", 124000, "normaal", ()), ("boete", 62000, "normaal", ()), "lighter"),
        (("boete", 62000, "normaal", ()), ("boete", 124000, "normaal", ()), "heavier"),
        (("boete", 124000, "normaal", ()), ("waarschuwing", None, "normaal", ()), "lighter"),
        (("waarschuwing", None, "normaal", ()), ("aangifte", None, "normaal", ()), "heavier"),
        (("gesprek", None, "onbekend", ()), ("verbeterplan", None, "onbekend", ()), "heavier"),
        (("intake_stop", None, "onbekend", ()), ("last_onder_dwangsom", None, "onbekend", ()), "other"),
        (("boete", 124000, "normaal", ()), ("error:POLICY_NOT_VALID_ON_DATE", None, "normaal", ()), "other"),
    ],
)
def test_changes_are_classified_by_measure_then_amount(before: Any, after: Any, kind: str) -> None:
    """Lighter and heavier follow the order of measures (and the ladder's rungs), then the amount;
    fired rules alone are no change; measures that cannot be ordered are "other"."""
    from maatwerk._domains.providers import rungs

    assert kind == classify(before, after, rungs(Engine()._loaded.policies))


# --- populations ----------------------------------------------------------------------------------


def test_a_generated_case_is_the_same_for_any_population_size() -> None:
    """Case i of seed s does not depend on how many cases are drawn or in which process."""
    small = PopulationInfo(source="generated", size=10, seed=3, domains=("benefits",), decided_between=WINDOW)
    large = small.model_copy(update={"size": 100_000})
    assert generate_case(small, 7) == generate_case(large, 7)
    assert generate_case(small, 7) != generate_case(small, 8)


def test_a_mixed_population_has_both_domains_and_only_valid_cases() -> None:
    """With two domains, generated cases come from both, and every one is valid."""
    info = PopulationInfo(
        source="generated", size=60, seed=1, domains=("benefits", "providers"), decided_between=WINDOW
    )
    cases = [generate_case(info, i) for i in range(60)]
    assert {"benefits", "providers"} == {c.get("domain", "benefits") for c in cases}
    engine = Engine(evaluator="reference")
    for case in cases:
        engine.advise(case)


def test_a_cases_file_reports_every_bad_line_located(tmp_path: Path) -> None:
    """Bad JSON and invalid cases are refused together, each at FILE:LINE (and the field)."""
    good = (EXAMPLES / "01-inkomsten-normaal.json").read_text(encoding="utf-8").replace("\n", " ")
    bad = json.loads(good)
    bad["circumstances"]["postcode"] = "2651 AB"
    path = tmp_path / "cases.jsonl"
    path.write_text(f"{good}\n\n{{not json\n{json.dumps(bad)}\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        read_cases(path)
    assert [(f"{path}:3", "CASE_JSON"), (f"{path}:4: circumstances.postcode", "PROTECTED_CHARACTERISTIC")] == [
        (p.where, p.code) for p in info.value.problems
    ]


def test_an_empty_cases_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(CaseError, match="holds no case"):
        read_cases(path)


# --- the diff -------------------------------------------------------------------------------------


def test_the_shorter_term_only_lowers_fines_at_reduced_culpability(report: DiffReport) -> None:
    """Every changed advice is lighter: the same fine, lower; all at reduced culpability; the measures
    do not move and the total of the fines goes down by exactly the sum of the changes."""
    assert 0 < report.count("lighter")
    assert (0, 0) == (report.count("heavier"), report.count("other"))
    assert () == report.transitions
    assert report.old.measures == report.new.measures
    assert report.new.total_fines < report.old.total_fines
    assert all(e.change == "lighter" and e.before == e.after == "boete" for e in report.examples)
    changed = {(d.culpability, d.before != d.after) for d in report.distributions}
    assert {c for c, moved in changed if moved} == {"verminderd"}


def test_the_examples_are_what_the_engines_advise(report: DiffReport, new_policies: Path) -> None:
    """Each example's before and after are the old and new engine's advice on its case."""
    old, new = Engine(), Engine(new_policies)
    for example in report.examples:
        assert (example.before, example.before_amount) == (
            old.advise(example.case).measure.kind,
            old.advise(example.case).measure.amount,
        )
        assert (example.after, example.after_amount) == (
            new.advise(example.case).measure.kind,
            new.advise(example.case).measure.amount,
        )
        assert "verminderd" == example.case["culpability"]["confirmed"]


def test_identical_folders_change_nothing() -> None:
    """A folder compared with itself: every advice unchanged, no rule count moved, no example."""
    population = Population.generated(150, seed=2, domains=("benefits", "providers"), decided_between=WINDOW)
    engine = Engine(evaluator="reference")
    same = diff(engine, Engine(evaluator="reference"), population)
    assert (150, (), ()) == (same.count("unchanged"), same.rules_changed, same.examples)


def test_removing_the_warning_preference_makes_warnings_fines(tmp_path: Path) -> None:
    """Without Lansingerland's preference for a lawful warning, warnings become fines: heavier, the rule's
    count drops to zero, and the transitions say waarschuwing -> boete, or -> beslissing_nodig where a
    fact the fine needs is missing (a preferred warning never waited for those facts)."""
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder, ignore=shutil.ignore_patterns("scenarios"))
    pack = folder / LANSINGERLAND
    text = pack.read_text(encoding="utf-8")
    start = text.index("  - id: lansingerland_voorkeur_waarschuwing")
    end = text.index("  - id: lansingerland_voorkeur_voorwaardelijke_boete")
    pack.write_text(text[:start] + text[end:], encoding="utf-8")
    population = Population.generated(300, seed=4, domains=("benefits",), decided_between=WINDOW)
    result = diff(Engine(evaluator="reference"), Engine(folder, evaluator="reference"), population)
    warnings = result.old.measures["waarschuwing"]
    assert 0 < warnings
    assert warnings == result.count("heavier")
    assert {"waarschuwing"} == {t.before for t in result.transitions}
    assert {"boete", "beslissing_nodig"} >= {t.after for t in result.transitions}
    assert warnings == sum(t.count for t in result.transitions)
    removed = next(r for r in result.rules_changed if r.rule_id == "lansingerland_voorkeur_waarschuwing")
    assert 0 == removed.after
    assert removed.before >= warnings  # it also fires where a gate or a referral decides the measure


def test_processes_give_the_same_report_as_one_process(new_policies: Path) -> None:
    """Two spawned workers give exactly the report of one process."""
    population = Population.generated(700, seed=9, domains=("benefits",), decided_between=WINDOW)
    old, new = Engine(evaluator="reference"), Engine(new_policies, evaluator="reference")
    assert diff(old, new, population, processes=1) == diff(old, new, population, processes=2)


# --- coverage -------------------------------------------------------------------------------------


def test_coverage_counts_what_the_engine_traces() -> None:
    """Each rule's count is the number of cases whose trace it is in."""
    population = Population.generated(200, seed=5, domains=("benefits",), decided_between=WINDOW)
    engine = Engine(evaluator="reference")
    result = coverage(engine, population)
    traced: dict[str, int] = {}
    for i in range(200):
        for rule in engine.trace(generate_case(population.info, i)):
            traced[rule] = traced.get(rule, 0) + 1
    assert traced == {r.rule_id: r.fired for r in result.side.rules if r.fired}


def test_coverage_says_which_never_fired_rules_no_case_can_reach(tmp_path: Path) -> None:
    """A rule that waits for a bill is "not reached"; without the bill it is unreachable (maatwerk check)."""
    population = Population.generated(100, seed=5, domains=("benefits",), decided_between=WINDOW)
    with_bill = coverage(Engine(evaluator="reference"), population)
    never = {r.rule_id: r.unreachable for r in with_bill.side.never_fired}
    assert never["lansingerland_voorkeur_voorwaardelijke_boete"] is False
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder, ignore=shutil.ignore_patterns("scenarios"))
    (folder / "benefits" / "nl-benefits" / "proposed-whsz.yaml").unlink()
    without = coverage(Engine(folder, evaluator="reference"), population)
    assert {r.rule_id: r.unreachable for r in without.side.never_fired}["lansingerland_voorkeur_voorwaardelijke_boete"]


# --- reports --------------------------------------------------------------------------------------


def test_the_text_report_shows_counts_totals_rules_and_examples(report: DiffReport) -> None:
    """The terminal report has the headline, the direction table, the fine totals and the examples."""
    text = diff_text(report)
    assert f"{report.count('lighter')} of 600 advices change" in text
    assert re.search(r"lighter\s+\d+\s+\d+\.\d%", text)
    assert f"€ {report.old.total_fines:,.2f}" in text
    assert "Examples" in text
    assert "Rules whose firing count changed\n  none" in text


def test_the_json_report_round_trips(report: DiffReport) -> None:
    """The JSON report is the model: reading it back gives the same report; money is a string."""
    data = json.loads(report.model_dump_json())
    assert isinstance(data["old"]["total_fines"], str)
    assert report == DiffReport.model_validate(data)


def test_the_html_report_is_self_contained_with_a_table_for_every_chart(report: DiffReport) -> None:
    """No script, no link to elsewhere; every chart is an SVG image with a title and description,
    followed by a table with the same numbers; headings in order."""
    page = diff_html(report)
    assert "<script" not in page
    assert re.findall(r'(?:src|href)="(?!#)[^"]*"', page) == []
    charts = re.findall(r'<figure><svg id="([^"]+)" role="img" aria-labelledby="\1-t \1-d"', page)
    assert len(charts) >= 3
    for chart in charts:
        after = page.split(f'<svg id="{chart}"', 1)[1]
        assert after.index("</figure>") < after.index("<table>")
    levels = [int(h) for h in re.findall(r"<h([1-6])", page)]
    assert 1 == levels[0]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_the_coverage_reports_list_every_rule(report: DiffReport) -> None:
    """Text and HTML coverage name every rule, and the rules that never fired."""
    result = CoverageReport(population=report.population, side=report.old)
    text, page = coverage_text(result), coverage_html(result)
    for rule in result.side.rules:
        assert rule.rule_id in text
        assert rule.rule_id in page
    assert "Never fired: 1" in text


# --- the command line -----------------------------------------------------------------------------


def test_diff_of_two_pack_files_prints_the_report_and_writes_json_and_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two pack files are each placed into the bundled folder; --out gets diff.json and diff.html."""
    edited = tmp_path / "lansingerland-nieuw.yaml"
    edited.write_text(
        (POLICIES / LANSINGERLAND)
        .read_text(encoding="utf-8")
        .replace("values: [{from: 2024-01-01, value: 6}]", "values: [{from: 2024-01-01, value: 3}]"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["diff", str(POLICIES / LANSINGERLAND), str(edited), "--generate", "300", "--seed", "7"]
    assert EXIT_OK == main([*args, "--processes", "1", "--evaluator", "reference", "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert "300 generated benefits cases (seed 7)" in stdout
    assert f"written: {out / 'diff.html'}" in stdout
    assert "" == stderr  # no progress bar: stderr is not a terminal
    data = json.loads((out / "diff.json").read_text(encoding="utf-8"))
    assert ("maatwerk-diff", 300, str(edited)) == (data["report"], data["population"]["size"], data["new"]["label"])
    assert (out / "diff.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_diff_reads_a_population_file_and_prints_json(
    tmp_path: Path, new_policies: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--cases FILE.jsonl is the population; --format json prints the report as JSON."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(json.dumps(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(EXAMPLES.glob("*.json"))),
        encoding="utf-8",
    )
    assert EXIT_OK == main(
        ["diff", str(POLICIES), str(new_policies), "--cases", str(cases), "--processes", "1", "--format", "json"]
    )
    data = json.loads(capsys.readouterr().out)
    assert ("file", 6, ["benefits", "providers"]) == (
        data["population"]["source"],
        data["population"]["size"],
        data["population"]["domains"],
    )


def test_diff_compares_two_municipalities_on_the_same_cases(capsys: pytest.CaptureFixture[str]) -> None:
    """--old-municipality and --new-municipality compare two municipalities' policies over one
    population: only the domains both have a policy for, on decision dates both cover, each side
    labelled with its municipality; a heavier advice is heavier than the other municipality's."""
    args = ["diff", str(POLICIES), str(POLICIES), "--generate", "150", "--processes", "1", "--format", "json"]
    assert EXIT_OK == main([*args, "--old-municipality", "lansingerland", "--new-municipality", "leeuwarden"])
    data = json.loads(capsys.readouterr().out)
    assert data["population"]["domains"] == ["benefits"]
    assert data["old"]["label"].endswith("(lansingerland)")
    assert data["new"]["label"].endswith("(leeuwarden)")
    # Leeuwarden gives no warning where Lansingerland prefers one (its pack's own choice).
    changes = {c["kind"]: c["count"] for c in data["changes"]}
    assert changes["heavier"] > 0
    assert changes["lighter"] == 0
    assert all(not t["after"].startswith("error:") for t in data["transitions"])
    assert data["old"]["measures"]["waarschuwing"] > data["new"]["measures"].get("waarschuwing", 0)


def test_two_municipalities_without_a_common_day_are_refused_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    """Grave's policy ended in 2021, before Lansingerland's began: no default window; the error names
    each side's window and says how to compare anyway, with a what-if copy (exit 5, nothing advised)."""
    args = ["diff", str(POLICIES), str(POLICIES), "--generate", "10", "--processes", "1"]
    assert 5 == main([*args, "--old-municipality", "lansingerland", "--new-municipality", "grave"])
    err = capsys.readouterr().err
    assert "valid on no common decision date" in err
    # each side's window, so the advisor sees why
    assert "grave-benefits valid 2017-01-01 to " in err
    assert "lansingerland-benefits valid 2024-01-01 onwards" in err
    assert "what-if" in err


def test_progress_is_shown_on_request(new_policies: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--progress draws the bar on stderr up to 100%, even when stderr is not a terminal."""
    args = ["diff", str(POLICIES), str(new_policies), "--generate", "60", "--processes", "1", "--progress"]
    assert EXIT_OK == main(args)
    assert "100% 60/60 cases" in capsys.readouterr().err


def test_a_broken_pack_file_is_reported_at_its_own_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A pack file with an unknown fact fails with exit code 4 at the user's file, not the temporary copy."""
    broken = tmp_path / "kapot.yaml"
    broken.write_text(
        (POLICIES / LANSINGERLAND)
        .read_text(encoding="utf-8")
        .replace("fact: culpability, eq: opzet", "fact: culpabilty, eq: opzet"),
        encoding="utf-8",
    )
    assert EXIT_POLICY == main(["diff", str(POLICIES), str(broken), "--generate", "10", "--processes", "1"])
    err = capsys.readouterr().err
    assert re.search(rf"{re.escape(str(broken))}:\d+:\d+: POLICY_UNKNOWN_FACT: unknown fact 'culpabilty'", err)
    assert "maatwerk-diff-" not in err


def test_a_bad_population_file_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"law": "participatiewet"}\n', encoding="utf-8")
    assert EXIT_CASE == main(["diff", str(POLICIES), str(POLICIES), "--cases", str(cases), "--processes", "1"])
    assert f"{cases}:1: violation: CASE_MISSING_FIELD" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra",
    [
        ["--generate", "0"],
        ["--decided-between", "2026-01-01"],
        ["--decided-between", "2026-02-01:2026-01-01"],
        ["--decided-between", "1800-01-01:1801-01-01"],
        ["--cases", "x.jsonl", "--generate", "5"],
        ["--processes", "zero"],
    ],
)
def test_bad_options_are_usage_errors(extra: list[str]) -> None:
    """Bad counts, windows and combinations exit 2 before any work."""
    assert EXIT_USAGE == main(["diff", str(POLICIES), str(POLICIES), *extra])


def test_a_population_decided_years_before_the_default_window_is_advised_whole(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Provider cases decided in 2015 under the national packs: every case is advised, none refused
    (before, each generated case had its violation found and its earlier measures taken after the
    decision, from fixed years, and the whole run stopped on the first invalid case)."""
    window = ["--decided-between", "2015-01-01:2015-06-01", "--national-only", "--domain", "providers"]
    code = main(
        ["diff", str(POLICIES), str(POLICIES), "--generate", "40", "--processes", "1", "--format", "json", *window]
    )
    report = json.loads(capsys.readouterr().out)
    assert (EXIT_OK, {}, 40) == (code, report["old"]["errors"], sum(report["old"]["measures"].values()))


@pytest.mark.parametrize("command", ["diff", "coverage"])
def test_an_out_folder_that_cannot_be_written_is_refused_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """`--out` naming a place no folder can be made (a file is in the way): exit 2 at once, naming
    the option, the folder and the reason; no report is made (before: a trace after the whole run)."""
    (tmp_path / "a-file").write_text("in the way", encoding="utf-8")
    out = tmp_path / "a-file" / "reports"
    policies = [str(POLICIES), str(POLICIES)] if command == "diff" else []
    code = main([command, *policies, "--generate", "20", "--processes", "1", "--out", str(out)])
    captured = capsys.readouterr()
    assert (EXIT_USAGE, "") == (code, captured.out)
    assert f"maatwerk {command}: error: --out {out}: Not a directory\n" == captured.err


def test_a_report_file_that_fails_to_write_after_the_run_keeps_the_printed_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up after the run: the report is printed all the same, the failure is named,
    exit 2. Nothing of the run is lost."""
    real = Path.write_text

    def full(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        if self.suffix == ".html":
            raise OSError(28, "No space left on device")
        return real(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    out = tmp_path / "reports"
    code = main(["coverage", "--generate", "20", "--processes", "1", "--format", "json", "--out", str(out)])
    captured = capsys.readouterr()
    assert (EXIT_USAGE, 20) == (code, json.loads(captured.out)["population"]["size"])
    assert f"maatwerk coverage: error: --out {out}: No space left on device\n" == captured.err
    assert json.loads((out / "coverage.json").read_text(encoding="utf-8")) == json.loads(captured.out)


def test_coverage_command_lists_rules_and_writes_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk coverage` counts rules over a generated population and writes coverage.json and .html."""
    out = tmp_path / "out"
    assert EXIT_OK == main(
        ["coverage", "--generate", "120", "--processes", "1", "--out", str(out), "--domain", "benefits"]
    )
    text = capsys.readouterr().out
    assert "rules fired at least once" in text
    assert "lansingerland_voorkeur_voorwaardelijke_boete  (not reached by this population)" in text
    data = json.loads((out / "coverage.json").read_text(encoding="utf-8"))
    assert ("maatwerk-coverage", 120) == (data["report"], data["population"]["size"])
