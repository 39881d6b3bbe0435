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
    scenario(folder, "boete", '  measure: boete\n  amount: "840.90"\n  fired: [herziening_pw]\n')
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
    result.stdout.fnmatch_lines(
        ["*rule.yaml:4:15: SCENARIO_UNKNOWN_NAME: unknown rule 'gate_overleeden' (did you mean 'gate_overleden'?)*"]
    )


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
    assert (
        "--maatwerk-evaluators takes durable, reference, compiled, not 'drools'"
        in result.stdout.str() + result.stderr.str()
    )


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
    """A file without name, case and expect, with a misspelt top key, gives four located problems (a
    key is located at its value; a missing key at the mapping)."""
    path = folder / "empty.yaml"
    path.write_text("cas: {}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [
        (f"{path}:1:6", "SCENARIO_UNKNOWN_KEY"),
        (f"{path}:1:1", "SCENARIO_MISSING_KEY"),
        (f"{path}:1:1", "SCENARIO_MISSING_KEY"),
        (f"{path}:1:1", "SCENARIO_MISSING_KEY"),
    ] == [(p.where, p.code) for p in info.value.problems]
    assert "did you mean 'case'?" in info.value.problems[0].message


# --- every problem of a scenario at once, located, with a did-you-mean -----------------------------

BASE = """law: participatiewet
decision_date: 2026-03-02
violation:
  established: true
  kind: inkomsten_of_werk
  period: {start: 2025-02-01, end: 2025-07-31}
  information_due: 2025-02-08
  detected_on: 2025-10-15
  detection: gegevensvergelijking
benefit_loss: {net: "2480.00", gross: "3100.00"}
culpability: {confirmed: normaal}
finances:
  bijstand_level_income: true
  monthly_norm: "1401.50"
  financial_data_supplied: false
"""


def problems_of(path: Path) -> list[tuple[str, str, str]]:
    """``(where, code, message)`` of every problem ``load_scenario`` reports for ``path``."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [(p.where, p.code, p.message) for p in info.value.problems]


def test_every_problem_of_a_case_is_located_at_its_key_or_value_with_a_suggestion(folder: Path) -> None:
    """Three typos in a scenario's case come back at once: an unknown key at the key, with the field
    it could mean; an unknown enum value at the value, with the value it could mean."""
    (folder / "_base.yaml").write_text(BASE, encoding="utf-8")
    path = folder / "typos.yaml"
    path.write_text(
        'name: "typos"\n'
        "extends: _base.yaml\n"
        "case:\n"
        "  culpability: {confirmed: grove schuld}\n"
        "  finances:\n"
        "    financial_data_suplied: true\n"
        "  procedur: {deceased: false}\n"
        "expect: {measure: boete}\n",
        encoding="utf-8",
    )
    assert [
        (
            f"{path}:4:28",
            "CASE_INVALID_VALUE",
            "case.culpability.confirmed: Input should be 'opzet', 'grove_schuld', 'normaal', 'verminderd' or "
            "'geen' (did you mean 'grove_schuld'?)",
        ),
        (
            f"{path}:6:5",
            "CASE_UNKNOWN_FIELD",
            "case.finances: unknown field 'financial_data_suplied' (did you mean 'financial_data_supplied'?)",
        ),
        (f"{path}:7:3", "CASE_UNKNOWN_FIELD", "case: unknown field 'procedur' (did you mean 'procedure'?)"),
    ] == sorted(problems_of(path))


def test_a_problem_that_comes_from_the_base_case_is_located_in_the_base_file(folder: Path) -> None:
    """A typo in the base case is located in ``_base.yaml``; the scenario's own value wins over the base's."""
    base = folder / "_base.yaml"
    base.write_text(BASE.replace("  monthly_norm:", "  monthly_nrom:"), encoding="utf-8")
    path = folder / "from-base.yaml"
    path.write_text(
        'name: "b"\nextends: _base.yaml\ncase: {benefit_loss: {net: 12}}\nexpect: {measure: boete}\n',
        encoding="utf-8",
    )
    assert [
        (
            f"{base}:14:3",
            "CASE_UNKNOWN_FIELD",
            "case.finances: unknown field 'monthly_nrom' (did you mean 'monthly_norm'?)",
        ),
    ] == problems_of(path)


def test_a_required_field_the_scenario_removes_is_located_at_its_null(folder: Path) -> None:
    """A required field that the scenario removes with ``null`` is missing, located at that ``null``."""
    base = folder / "_base.yaml"
    base.write_text(BASE, encoding="utf-8")
    path = folder / "missing.yaml"
    path.write_text('name: "m"\nextends: _base.yaml\ncase: {law: null}\nexpect: {measure: boete}\n', encoding="utf-8")
    assert [(f"{path}:3:13", "CASE_MISSING_FIELD", "case.law: Field required")] == problems_of(path)


def test_a_required_field_the_base_lacks_is_located_at_the_mapping_that_lacks_it(folder: Path) -> None:
    """A required field that neither file writes is located at the mapping that should hold it."""
    base = folder / "_base.yaml"
    base.write_text(BASE.replace("  detection: gegevensvergelijking\n", ""), encoding="utf-8")
    path = folder / "lacking.yaml"
    path.write_text('name: "l"\nextends: _base.yaml\ncase: {}\nexpect: {measure: boete}\n', encoding="utf-8")
    assert [(f"{base}:4:3", "CASE_MISSING_FIELD", "case.violation.detection: Field required")] == problems_of(path)


def test_a_protected_characteristic_in_a_case_is_named_as_such(folder: Path) -> None:
    """A protected characteristic in a scenario's case is refused as one, located, never suggested as a typo."""
    path = folder / "protected.yaml"
    path.write_text(
        f'name: "p"\ncase: {json.dumps({**CASE, "nationality": "x"})}\nexpect: {{measure: boete}}\n', encoding="utf-8"
    )
    assert ["PROTECTED_CHARACTERISTIC"] == [code for _, code, _ in problems_of(path)]


def test_every_unknown_name_in_the_expectations_is_reported_at_once(folder: Path) -> None:
    """An unknown measure, decision, rule id and expectation key are all reported in one go, located,
    each with the closest known name (rule ids from the packs of the scenario's domain)."""
    path = scenario(
        folder,
        "names",
        "  measure: boet\n  decisions: [dringende_reden]\n  fired: [herziening_pww]\n  amout: '840.00'\n",
    )
    assert [
        (f"{path}:4:12", "SCENARIO_UNKNOWN_NAME", "unknown measure 'boet' (did you mean 'boete'?)"),
        (
            f"{path}:5:15",
            "SCENARIO_UNKNOWN_NAME",
            "unknown decision 'dringende_reden' (did you mean 'dringende_redenen'?)",
        ),
        (f"{path}:6:11", "SCENARIO_UNKNOWN_NAME", "unknown rule 'herziening_pww' (did you mean 'herziening_pw'?)"),
        (f"{path}:7:10", "SCENARIO_UNKNOWN_KEY", "unknown expectation 'amout' (did you mean 'amount'?)"),
    ] == sorted(problems_of(path))


def test_lawful_and_unlawful_name_an_alternative_of_the_advice_not_a_measure(folder: Path) -> None:
    """``lawful: [boete]`` (a measure, as a new user writes it) is a located error at load that lists
    the advice's alternatives, a fine by its level (``boete_normaal``); before, the scenario ran and
    failed with "alternative boete must be lawful", which read as if the law forbade the fine."""
    path = scenario(folder, "lawful", "  lawful: [waarschuwing, boete]\n  unlawful: [geen_boete]\n")
    [(where, code, message), (where2, code2, _)] = sorted(problems_of(path))
    assert (f"{path}:4:26", "SCENARIO_UNKNOWN_NAME") == (where, code)
    assert message.startswith("unknown alternative 'boete' (did you mean ")
    assert "; the advice's alternatives are " in message
    assert "boete_normaal" in message
    assert "(a fine by its level)" in message
    assert (f"{path}:5:14", "SCENARIO_UNKNOWN_NAME") == (where2, code2)


def test_a_lawful_alternative_that_is_listed_as_not_lawful_says_so(folder: Path) -> None:
    """An alternative the advice lists, but not as the scenario says, names what it should be listed
    as (the example's loss of €1,681.80 allows no warning)."""
    path = scenario(folder, "wrong", "  lawful: [waarschuwing]\n  unlawful: [boete_normaal]\n")
    assert [
        "alternative waarschuwing must be listed as lawful",
        "alternative boete_normaal must be listed as not lawful",
    ] == run_scenario(load_scenario(path), evaluators=["reference"])


def refused_scenario(folder: Path, name: str, expect: str, decision_date: str) -> Path:
    """A scenario of the example case moved three years back (conduct in 2022), decided on ``decision_date``."""
    path = folder / f"{name}.yaml"
    case = {**json.loads(json.dumps(CASE).replace('"2025-', '"2022-')), "decision_date": decision_date}
    path.write_text(f'name: "{name}"\ncase: {json.dumps(case)}\nexpect:\n{expect}', encoding="utf-8")
    return path


def test_a_scenario_can_expect_a_refusal(folder: Path) -> None:
    """``refused: CODE`` holds when the engine refuses the case with that code (here: decided before
    Lansingerland's first version)."""
    path = refused_scenario(folder, "refused", "  refused: POLICY_NOT_VALID_ON_DATE\n", "2023-12-31")
    assert [] == run_scenario(load_scenario(path), evaluators=["reference"])


def test_an_expected_refusal_fails_when_the_case_gets_an_advice(folder: Path) -> None:
    """A refusal that does not happen fails the scenario, naming the advice it got instead."""
    path = refused_scenario(folder, "advised", "  refused: POLICY_NOT_VALID_ON_DATE\n", "2024-01-02")
    expected = ["refused: expected POLICY_NOT_VALID_ON_DATE, got an advice (measure boete)"]
    assert expected == run_scenario(load_scenario(path), evaluators=["reference"])


def test_an_unknown_refusal_code_is_a_located_error_with_a_suggestion(folder: Path) -> None:
    """A misspelt refusal code is reported at its value with the closest known code."""
    path = refused_scenario(folder, "code", "  refused: POLICY_NOT_VALID_ON_DAT\n", "2023-12-31")
    (problem,) = problems_of(path)
    assert (f"{path}:4:12", "SCENARIO_UNKNOWN_NAME") == problem[:2]
    assert "(did you mean 'POLICY_NOT_VALID_ON_DATE'?)" in problem[2]


def test_a_refusal_stands_alone_in_the_expectations(folder: Path) -> None:
    """A refused case gets no advice, so an expectation about the advice beside ``refused`` is an error."""
    path = refused_scenario(folder, "both", "  refused: POLICY_NOT_VALID_ON_DATE\n  measure: boete\n", "2023-12-31")
    expected = [
        (f"{path}:5:12", "SCENARIO_INVALID", "expect.measure: a refused case gets no advice, so 'refused' stands alone")
    ]
    assert expected == problems_of(path)


def test_a_list_expectation_written_as_one_name_is_refused(folder: Path) -> None:
    """``fired: rule`` (not a list) is an error, so its letters are never checked one by one."""
    path = scenario(folder, "shape", "  fired: herziening_pw\n")
    assert [(f"{path}:4:10", "SCENARIO_INVALID", "expect.fired is a list, e.g. [a, b]")] == problems_of(path)


def test_a_scenario_that_expects_nothing_is_refused(folder: Path) -> None:
    """``expect: {}`` held on every advice, so the scenario could never fail (found when a policy
    advisor tried to let a scenario pass on an unlawful outcome)."""
    path = folder / "nothing.yaml"
    path.write_text(f'name: "nothing"\ncase: {json.dumps(CASE)}\nexpect: {{}}\n', encoding="utf-8")
    assert [
        (
            f"{path}:3:9",
            "SCENARIO_INVALID",
            "expect names nothing, so the scenario could never fail: name what the advice must show "
            "(measure, amount, fired, ...) or refused",
        )
    ] == problems_of(path)


def test_the_plugin_shows_every_problem_of_a_scenario_in_one_run(pytester: pytest.Pytester, folder: Path) -> None:
    """A scenario with a typo in its case and two in its expectations fails once, listing all three."""
    (folder / "_base.yaml").write_text(BASE, encoding="utf-8")
    (folder / "three.yaml").write_text(
        'name: "three"\nextends: _base.yaml\ncase: {finances: {financial_data_suplied: true}}\n'
        "expect: {measure: boet, not_fired: [gate_overleeden]}\n",
        encoding="utf-8",
    )
    result = pytester.runpytest("policies", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*three.yaml:3:19: CASE_UNKNOWN_FIELD: case.finances: unknown field 'financial_data_suplied'*",
            "*three.yaml:4:19: SCENARIO_UNKNOWN_NAME: unknown measure 'boet' (did you mean 'boete'?)*",
            "*three.yaml:4:37: SCENARIO_UNKNOWN_NAME: unknown rule 'gate_overleeden'*",
        ]
    )


def test_extending_another_scenario_is_one_error_that_says_to_use_a_base_case(folder: Path) -> None:
    """A new user extended a scenario to vary it: every key of that scenario (name, case, expect) was an
    unknown field of the case, and the case's required fields were missing. Now it is one error at
    `extends`, saying what extends may name."""
    first = scenario(folder, "eerste", "  measure: boete\n")
    path = folder / "tweede.yaml"
    path.write_text(
        f'name: "tweede"\nextends: {first.name}\ncase: {{benefit_loss: {{net: 12}}}}\nexpect: {{measure: boete}}\n',
        encoding="utf-8",
    )
    assert [
        (
            f"{path}:2:10",
            "SCENARIO_INVALID",
            "eerste.yaml is a scenario, not a base case: extends names a file that holds only a case (such as "
            "_base.yaml). Put the case the two scenarios share in a base file whose name starts with _ and extend that",
        )
    ] == problems_of(path)


@pytest.mark.parametrize("key", ["followups", "missing", "fired", "tracks"])
def test_an_empty_list_expectation_checks_nothing_and_is_refused(folder: Path, key: str) -> None:
    """``followups: []`` read as "no follow-ups", but each list names what the advice must show at
    least, so an empty one passed on every advice (found by the fifth rehearsal's review): refused at
    the key, saying what the list means."""
    empty = "{}" if key == "tracks" else "[]"
    path = scenario(folder, "empty", f"  measure: boete\n  {key}: {empty}\n")
    [(where, code, message)] = problems_of(path)
    assert (f"{path}:5", "SCENARIO_INVALID") == (where.rsplit(":", 1)[0], code)
    assert message.startswith(
        f"expect.{key} is empty, so it checks nothing: it names what the advice must show at least"
    )
