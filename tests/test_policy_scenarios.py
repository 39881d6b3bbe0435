# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Worked scenarios and the pytest plugin that runs them.

Every ``policies/**/scenarios/*.yaml`` is a case with its expected advice. The plugin of
:mod:`maatwerk.testing.pytest_plugin` (entry point ``pytest11``) collects them, so ``make test``
(whose ``testpaths`` include ``policies``) runs each bundled scenario as its own test item, on both
evaluators. This file checks the plugin itself in a separate pytest run (``pytester``) on a small
policy folder, and that the bundled folder has enough scenarios.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, POLICIES

from maatwerk.testing.scenarios import ScenarioError, load_scenario, run_scenario, scenario_files

SCENARIOS = scenario_files(POLICIES)
CASE = json.loads((EXAMPLES / "01-inkomsten-normaal.json").read_text(encoding="utf-8"))


def test_there_are_at_least_forty_scenarios() -> None:
    """The bundled benefit packs come with at least 40 worked scenarios."""
    assert len([p for p in SCENARIOS if "benefits" in p.parts]) >= 40


def test_there_are_at_least_twenty_provider_scenarios() -> None:
    """The bundled provider packs come with at least 20 worked scenarios, for both laws."""
    providers = [p for p in SCENARIOS if "providers" in p.parts]
    assert len(providers) >= 20
    assert {p.parent.parent.name for p in providers} == {"lansingerland-wmo2015", "lansingerland-jeugdwet"}


def test_the_bundled_scenarios_are_collected_by_the_plugin(pytestconfig: pytest.Config) -> None:
    """``policies`` is a test path, so every bundled scenario runs with ``make test``."""
    assert "policies" in pytestconfig.getini("testpaths")


# --- a small policy folder for the plugin ---------------------------------------------------------


def copy_packs(pytester: pytest.Pytester) -> Path:
    """The bundled benefit packs (without their scenarios) in the pytester folder; their scenario folder."""
    target = pytester.path / "policies" / "benefits"
    shutil.copytree(POLICIES / "benefits", target, ignore=shutil.ignore_patterns("scenarios"))
    scenarios = target / "lansingerland-benefits" / "scenarios"
    scenarios.mkdir()
    return scenarios


@pytest.fixture
def folder(pytester: pytest.Pytester) -> Path:
    """A project that opted in to the scenario plugin (``maatwerk_scenarios = true``), with a scenario folder."""
    pytester.makeini("[pytest]\nmaatwerk_scenarios = true\n")
    return copy_packs(pytester)


def scenario(folder: Path, name: str, expect: str, *, extra: str = "") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f'name: "{name}"\n{extra}case: {json.dumps(CASE)}\nexpect:\n{expect}', encoding="utf-8")
    return path


def test_a_scenario_that_holds_passes(pytester: pytest.Pytester, folder: Path) -> None:
    """A YAML file with the right expectations is one passing test; no Python is written."""
    scenario(folder, "boete", '  measure: boete\n  amount: "840.00"\n  fired: [herziening_pw]\n')
    result = pytester.runpytest("policies", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_scenario_that_does_not_hold_fails_with_the_differences(pytester: pytest.Pytester, folder: Path) -> None:
    """The failure names the scenario file and each unmet expectation with expected and actual values."""
    scenario(folder, "wrong", "  measure: waarschuwing\n")
    result = pytester.runpytest("policies", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*wrong.yaml: scenario 'wrong' does not hold:*", "*measure: expected 'waarschuwing', got 'boete'*"]
    )


def test_a_misspelt_key_is_a_located_error_with_a_suggestion(pytester: pytest.Pytester, folder: Path) -> None:
    """An unknown expectation never passes silently: file:line:col, the code, and "did you mean"."""
    scenario(folder, "typo", "  measure: boete\n  not_fird: [gate_overleden]\n")
    result = pytester.runpytest("policies", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*typo.yaml:5:13: SCENARIO_UNKNOWN_KEY: unknown expectation 'not_fird' (did you mean 'not_fired'?)*"]
    )


def test_an_unknown_rule_id_is_a_located_failure(pytester: pytest.Pytester, folder: Path) -> None:
    """A rule id that no pack defines in fired or not_fired fails, located, with the closest rule id."""
    scenario(folder, "rule", "  not_fired: [gate_overleeden]\n")
    result = pytester.runpytest("policies", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*rule.yaml:4:15: unknown rule 'gate_overleeden' (did you mean 'gate_overleden'?)*"])


def test_xfail_marks_a_known_disagreement_strictly(pytester: pytest.Pytester, folder: Path) -> None:
    """``xfail: reason`` expects the scenario to fail; once it holds, the stale mark fails the run."""
    scenario(folder, "known", "  measure: waarschuwing\n", extra='xfail: "pack to be fixed"\n')
    scenario(folder, "stale", "  measure: boete\n", extra='xfail: "already fixed"\n')
    result = pytester.runpytest("policies", "-p", "no:cacheprovider", "-rxX")
    result.assert_outcomes(xfailed=1, failed=1)
    result.stdout.fnmatch_lines(["*XPASS(strict)*already fixed*"])


def test_the_evaluators_can_be_chosen_and_a_bad_choice_is_refused(pytester: pytest.Pytester, folder: Path) -> None:
    """``--maatwerk-evaluators reference`` runs the plain-Python evaluator only; an unknown one is a usage error."""
    scenario(folder, "boete", "  measure: boete\n")
    pytester.runpytest("policies", "-p", "no:cacheprovider", "--maatwerk-evaluators", "reference").assert_outcomes(
        passed=1
    )
    result = pytester.runpytest("policies", "-p", "no:cacheprovider", "--maatwerk-evaluators", "drools")
    assert 0 != result.ret
    assert "--maatwerk-evaluators takes durable, reference, not 'drools'" in result.stdout.str() + result.stderr.str()


def test_a_project_that_did_not_opt_in_collects_no_scenarios(pytester: pytest.Pytester) -> None:
    """Installing maatwerk changes no other project's test run: without the ini option, the command
    line flag or the marker file, a ``scenarios/*.yaml`` (here a malformed one) is not a test."""
    scenarios = copy_packs(pytester)
    (scenarios / "not-ours.yaml").write_text("cas: {}\n", encoding="utf-8")
    result = pytester.runpytest("policies", "-p", "no:cacheprovider")
    assert pytest.ExitCode.NO_TESTS_COLLECTED == result.ret


def test_a_marker_file_in_the_policy_folder_opts_in(pytester: pytest.Pytester) -> None:
    """An empty ``.maatwerk-scenarios`` in the policy folder makes its scenarios tests, without configuration."""
    scenarios = copy_packs(pytester)
    (pytester.path / "policies" / ".maatwerk-scenarios").write_text("", encoding="utf-8")
    scenario(scenarios, "boete", "  measure: boete\n")
    pytester.runpytest("policies", "-p", "no:cacheprovider", "--maatwerk-evaluators", "reference").assert_outcomes(
        passed=1
    )


def test_the_command_line_flag_opts_in_for_one_run(pytester: pytest.Pytester) -> None:
    """``--maatwerk-scenarios`` collects the scenarios in a project without configuration."""
    scenarios = copy_packs(pytester)
    scenario(scenarios, "boete", "  measure: boete\n")
    result = pytester.runpytest(
        "policies", "-p", "no:cacheprovider", "--maatwerk-scenarios", "--maatwerk-evaluators", "reference"
    )
    result.assert_outcomes(passed=1)


def test_a_base_case_is_merged_and_null_removes_a_field(folder: Path) -> None:
    """``extends`` deep-merges the base; ``null`` removes the field, so the culpability becomes unknown."""
    (folder / "_base.yaml").write_text(json.dumps(CASE), encoding="utf-8")
    path = folder / "open.yaml"
    path.write_text(
        'name: "open"\nextends: _base.yaml\ncase: {culpability: {confirmed: null}}\nexpect: {measure: beslissing_nodig}\n',
        encoding="utf-8",
    )
    loaded = load_scenario(path)
    assert "confirmed" not in loaded.case["culpability"]
    assert CASE["law"] == loaded.case["law"]
    assert [] == run_scenario(loaded)


def test_a_scenario_without_expectations_reports_every_problem_at_once(folder: Path) -> None:
    """A file without name and expect, with a misspelt top key, gives three located problems (a key
    is located at its value; a missing key at the mapping)."""
    path = folder / "empty.yaml"
    path.write_text("cas: {}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [
        (f"{path}:1:6", "SCENARIO_UNKNOWN_KEY"),
        (f"{path}:1:1", "SCENARIO_MISSING_KEY"),
        (f"{path}:1:1", "SCENARIO_MISSING_KEY"),
    ] == [(p.where, p.code) for p in info.value.problems]
    assert "did you mean 'case'?" in info.value.problems[0].message
