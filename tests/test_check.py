# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""`maatwerk check`: static analysis of policy packs, one broken fixture per finding code.

Each folder ``tests/policy_fixtures/CHECK_<CODE>/`` is a small pack tree that loads and compiles
but has exactly one kind of defect. The lines the analysis must point at carry ``# <- CODE``; the
test checks that the findings are exactly those lines with that code (nothing else is reported),
on a fixed "today" of 2025-01-01.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, POLICIES, ROOT, valid_case

from maatwerk import Engine
from maatwerk._policy.analysis import CHECK_CODES, LOAD_HINTS, Finding, check_policies
from maatwerk.cli import EXIT_OK, EXIT_POLICY, EXIT_USAGE, main

CHECK_FIXTURES = sorted(p for p in FIXTURES.glob("CHECK_*") if p.is_dir())
TODAY = dt.date(2025, 1, 1)
MARK = re.compile(r"# <- ((?:(?:CHECK|POLICY)_[A-Z_]+\s*)+)")


def markers(folder: Path) -> set[tuple[str, int, str]]:
    """Every ``(file, line, code)`` a fixture folder marks with ``# <- CODE``."""
    out: set[tuple[str, int, str]] = set()
    for path in sorted(folder.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = MARK.search(line)
            if found:
                out.update((str(path), number, code) for code in found.group(1).split())
    return out


def located(finding: Finding) -> tuple[str, int, str]:
    file, line, _col = finding.where.rsplit(":", 2)
    return file, int(line), finding.code


def test_every_check_code_has_a_fixture_and_a_documented_row() -> None:
    """Each code the analysis can report has a fixture folder and a row in the policy format reference."""
    reference = (ROOT / "docs" / "reference" / "policy-format.md").read_text(encoding="utf-8")
    assert set(CHECK_CODES) == {p.name for p in CHECK_FIXTURES}
    assert [] == [code for code in CHECK_CODES if f"| `{code}` |" not in reference]


@pytest.mark.parametrize("folder", CHECK_FIXTURES, ids=lambda p: p.name)
def test_check_reports_exactly_the_marked_lines_with_the_fixture_code(folder: Path) -> None:
    """The fixture's findings are exactly its marked lines, each with the folder's code and severity."""
    report = check_policies(folder, today=TODAY)
    expected = markers(folder)
    assert expected, f"{folder} marks no line"
    assert {code for _, _, code in expected} == {folder.name}
    assert expected == {located(f) for f in report.findings}
    severity, hint = CHECK_CODES[folder.name]
    assert {(severity, hint)} == {(f.severity, f.hint) for f in report.findings}


@pytest.mark.parametrize("folder", CHECK_FIXTURES, ids=lambda p: p.name)
def test_every_finding_is_located_inside_its_file(folder: Path) -> None:
    """Every finding names an existing file with a 1-based line and column inside it."""
    for finding in check_policies(folder, today=TODAY).findings:
        file, line, col = finding.where.rsplit(":", 2)
        lines = Path(file).read_text(encoding="utf-8").splitlines()
        assert 1 <= int(line) <= len(lines)
        assert 1 <= int(col) <= len(lines[int(line) - 1]) + 1


def test_the_bundled_packs_are_clean() -> None:
    """On the bundled packs the analysis finds no error, and one warning: Grave's policy lapsed when the
    municipality merged (pack.no_successor), so its end is history, reported as CHECK_ENDED."""
    report = check_policies(POLICIES, today=dt.date(2026, 3, 1))
    (ended,) = report.findings
    assert ("CHECK_ENDED", "warning") == (ended.code, ended.severity)
    assert ended.where.startswith(str(POLICIES / "benefits" / "grave-benefits" / "2017-01-01.yaml"))
    # each national version alone, with each municipal version (Lansingerland, Leeuwarden, Grave,
    # Heerenveen twice, Rotterdam), and the Whsz proposal alone and with each municipal pack
    assert 18 == report.stacks


def test_loader_problems_become_located_errors_with_a_hint() -> None:
    """A pack that does not load is reported as errors, each with the loader's code, location and a hint."""
    report = check_policies(FIXTURES / "POLICY_UNKNOWN_FACT", today=TODAY)
    (finding,) = report.findings
    assert ("POLICY_UNKNOWN_FACT", "error", LOAD_HINTS["POLICY_UNKNOWN_FACT"]) == (
        finding.code,
        finding.severity,
        finding.hint,
    )
    assert "did you mean" in finding.message
    assert re.fullmatch(r".+\.yaml:\d+:\d+", finding.where)


def _beyond_history(findings: tuple[Finding, ...]) -> list[Finding]:
    """The findings on a copy of the bundled packs, less the one they always have: Grave's ended policy."""
    return [f for f in findings if not (f.code == "CHECK_ENDED" and "grave-benefits" in f.where)]


def test_a_rule_waiting_for_a_proposal_is_reachable_only_with_the_proposal(policy_copy: Path) -> None:
    """Lansingerland's conditional-fine rule reads a fact only the Whsz bill sets: it is reachable while the
    bill is in the folder, and unreachable (an error naming that fact) once the bill is removed."""
    (policy_copy / "benefits" / "nl-benefits" / "proposed-whsz.yaml").unlink()
    (finding,) = _beyond_history(check_policies(policy_copy, today=TODAY).findings)
    assert "CHECK_UNREACHABLE_RULE" == finding.code
    assert "lansingerland_voorkeur_voorwaardelijke_boete" in finding.message
    assert "conditional_fine_lawful = true" in finding.message


def test_a_missing_exception_between_cause_rules_is_a_set_conflict(policy_copy: Path) -> None:
    """Removing one name from the cause chain's exception_to lets two cause rules fire on one case."""
    pack = policy_copy / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(
        text.replace(
            "exception_to: [oorzaak_verzwegen, oorzaak_te_laat, oorzaak_onduidelijk]",
            "exception_to: [oorzaak_te_laat, oorzaak_onduidelijk]",
        ),
        encoding="utf-8",
    )
    findings = _beyond_history(check_policies(policy_copy, today=TODAY).findings)
    codes = {(f.code, "oorzaak_verzwegen" in f.message) for f in findings}
    assert {("CHECK_SET_CONFLICT", True)} == codes


def test_dropping_a_revision_rule_leaves_a_gap_with_an_example(policy_copy: Path) -> None:
    """Without the IOAZ revision rule, an established IOAZ violation has no revision track: a gap, with the example."""
    pack = policy_copy / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    text = pack.read_text(encoding="utf-8")
    start = text.index("  - id: herziening_ioaz")
    end = text.index("  - id: terugvordering_pw")
    pack.write_text(text[:start] + text[end:], encoding="utf-8")
    gaps = [f for f in check_policies(policy_copy, today=TODAY).findings if f.code == "CHECK_GAP"]
    assert gaps
    assert all("herziening_required" in f.message and "law = ioaz" in f.message for f in gaps)


# --- the command line ------------------------------------------------------------------------------


def test_check_exits_4_on_an_error_and_prints_it_located_with_its_hint(capsys: pytest.CaptureFixture[str]) -> None:
    """An unreachable rule is an error: exit code 4, file:line:col, the code and a hint on stderr."""
    folder = FIXTURES / "CHECK_UNREACHABLE_RULE"
    assert EXIT_POLICY == main(["check", str(folder), "--today", "2025-01-01"])
    out, err = capsys.readouterr()
    assert re.search(r"2024-01-01\.yaml:\d+:\d+: error CHECK_UNREACHABLE_RULE: rule schade_en_geen_schade", err)
    assert "hint: " in err
    assert "3 error(s), 0 warning(s)" in out


def test_warnings_alone_exit_0_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    """A gap is a warning: check passes (0) but says so; with --strict it fails (4)."""
    folder = str(FIXTURES / "CHECK_GAP")
    assert EXIT_OK == main(["check", folder, "--today", "2025-01-01"])
    assert "0 error(s), 1 warning(s)" in capsys.readouterr().out
    assert EXIT_POLICY == main(["check", folder, "--today", "2025-01-01", "--strict"])


def test_expiry_depends_on_the_date_passed_in(capsys: pytest.CaptureFixture[str]) -> None:
    """The same pack is fine on its last day and expired the day after."""
    folder = str(FIXTURES / "CHECK_EXPIRED")
    assert EXIT_OK == main(["check", folder, "--today", "2024-12-31", "--expiry-warning-days", "0"])
    assert EXIT_POLICY == main(["check", folder, "--today", "2025-01-01"])
    assert "CHECK_EXPIRED" in capsys.readouterr().err


def test_an_ended_version_with_a_successor_is_history_not_a_broken_build(capsys: pytest.CaptureFixture[str]) -> None:
    """A version that ended, with the next one taking over the day after, is a warning: check passes."""
    folder = str(FIXTURES / "CHECK_ENDED")
    assert EXIT_OK == main(["check", folder, "--today", "2025-01-01"])
    out, err = capsys.readouterr()
    assert "0 error(s), 1 warning(s)" in out
    assert "x 2023-01-01 ended on 2023-12-31: it is history" in err


def test_an_ended_version_without_a_successor_covering_today_is_an_error(tmp_path: Path) -> None:
    """When the newest version ended before today, the older ended one is history and the newest an error."""
    shutil.copytree(FIXTURES / "CHECK_ENDED", tmp_path, dirs_exist_ok=True)
    newest = tmp_path / "providers" / "x" / "2024-01-01.yaml"
    newest.write_text(
        newest.read_text(encoding="utf-8").replace(
            "  valid_from: 2024-01-01\n", "  valid_from: 2024-01-01\n  valid_until: 2024-12-31\n"
        ),
        encoding="utf-8",
    )
    report = check_policies(tmp_path, today=TODAY)
    expected = [("2023-01-01.yaml", "warning", "CHECK_ENDED"), ("2024-01-01.yaml", "error", "CHECK_EXPIRED")]
    assert expected == [(Path(f.where.rsplit(":", 2)[0]).name, f.severity, f.code) for f in report.findings]


@pytest.mark.parametrize("days", ["-5", "soon"])
def test_an_expiry_warning_period_that_is_not_a_number_of_days_is_a_usage_error(
    days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--expiry-warning-days -5 would warn about nothing, silently: exit 2 naming the option."""
    assert EXIT_USAGE == main(["check", str(FIXTURES / "CHECK_EXPIRED"), "--expiry-warning-days", days])
    assert "argument --expiry-warning-days: expected" in capsys.readouterr().err


def test_check_prints_json_with_every_finding(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json lists each finding with where, code, severity, message and hint, and the counts."""
    folder = FIXTURES / "CHECK_RULE_WITHOUT_REASON"
    assert EXIT_POLICY == main(["check", str(folder), "--today", "2025-01-01", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert (2, 0, "2025-01-01") == (doc["errors"], doc["warnings"], doc["today"])
    assert {"where", "code", "severity", "message", "hint"} == set(doc["findings"][0])
    assert {"CHECK_RULE_WITHOUT_REASON"} == {f["code"] for f in doc["findings"]}


def test_check_takes_several_folders_and_pack_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A pack file checks the policy folder it belongs to; findings of every folder are reported."""
    target = tmp_path / "policies"
    shutil.copytree(FIXTURES / "CHECK_EXPIRES_SOON", target)
    pack_file = target / "providers" / "x" / "2024-01-01.yaml"
    assert EXIT_OK == main(["check", str(pack_file), str(FIXTURES / "CHECK_GAP"), "--today", "2025-01-01"])
    err = capsys.readouterr().err
    assert f"{pack_file}:" in err
    assert "CHECK_EXPIRES_SOON" in err
    assert "CHECK_GAP" in err


def test_a_bad_today_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--today takes a date; anything else is a usage error (2) that says what it expects."""
    assert EXIT_USAGE == main(["check", "--today", "tomorrow"])
    assert "expected a date YYYY-MM-DD" in capsys.readouterr().err


def test_a_warning_preference_that_fires_only_where_the_law_blocks_a_warning_is_reported(policy_copy: Path) -> None:
    """Lansingerland's preference for a warning, rewritten to fire only when an earlier warning blocks a
    new one, can never choose the warning: check warns at the rule's `set`, and only there."""
    pack = policy_copy / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    text = pack.read_text(encoding="utf-8")
    when = "    when: {all: [{fact: warning_lawful, eq: true}, {fact: warning_blocked, ne: true}]}"
    rule = f"  - id: lansingerland_voorkeur_waarschuwing\n    stage: warning\n{when}\n"
    assert rule in text
    pack.write_text(
        text.replace(rule, rule.replace(when, "    when: {fact: warning_blocked, eq: true}")), encoding="utf-8"
    )
    found = [f for f in check_policies(policy_copy, today=TODAY).findings if f.code == "CHECK_PREFERENCE_NEVER_APPLIES"]
    assert [("lansingerland_voorkeur_waarschuwing", "warning")] == [
        (re.search(r"^(\w+) states", f.message).group(1), f.severity)  # type: ignore[union-attr]
        for f in found
    ]
    line = text.splitlines().index(when) + 2
    assert f"{pack}:{line}:" in found[0].where


def test_a_preference_the_policy_itself_excludes_is_reported_but_one_that_is_sometimes_lawful_is_not(
    policy_copy: Path,
) -> None:
    """Lansingerland excludes a warning for intent. A preference for a warning only for intent is never
    chosen; a preference for a warning whenever the loss is small is sometimes lawful and stays silent."""
    pack = policy_copy / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    text = pack.read_text(encoding="utf-8")
    old = (
        "    when: {all: [{fact: warning_lawful, eq: true}, {fact: warning_blocked, ne: true}]}\n"
        "    then: {set: {warning_preferred: true}"
    )
    assert old in text
    only_intent = old.replace("{fact: warning_lawful, eq: true}", "{fact: culpability, eq: opzet}")
    pack.write_text(text.replace(old, only_intent), encoding="utf-8")
    codes = [f.code for f in check_policies(policy_copy, today=TODAY).findings]
    assert 1 == codes.count("CHECK_PREFERENCE_NEVER_APPLIES")
    small_loss = old.replace("{fact: warning_lawful, eq: true}", "{fact: benefit_loss, lt: 100}")
    pack.write_text(text.replace(old, small_loss), encoding="utf-8")
    codes = [f.code for f in check_policies(policy_copy, today=TODAY).findings]
    assert 0 == codes.count("CHECK_PREFERENCE_NEVER_APPLIES")


def test_lansingerlands_warning_preference_proposes_no_talk_after_a_warning_beside_a_fine(engine: Engine) -> None:
    """Where an earlier warning blocks a new one, the advice is a fine, and Lansingerland's preference
    for a warning neither fires nor proposes its follow-up (a talk after the warning)."""
    case = valid_case()
    case["benefit_loss"] = {"net": "120.00", "gross": "150.00"}
    case["history"] = [{"kind": "waarschuwing", "imposed_on": "2024-03-01", "same_conduct": False}]
    advice = engine.advise(case)
    assert ("boete", [], []) == (
        advice.measure.kind,
        [s.rule_id for s in advice.steps if s.rule_id == "lansingerland_voorkeur_waarschuwing"],
        [f.id for f in advice.followups if f.id == "gesprek_na_waarschuwing"],
    )
