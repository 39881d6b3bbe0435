# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""A proposed law (a bill) is held as a pack, checked, and only ever previewed, never applied by default.

The bundled proposal is the Wet handhaving sociale zekerheid (``proposed-whsz.yaml``): the fine
becomes a power with a mandatory weighing, and a conditional fine joins the toolbox.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import POLICIES, advice_content, advice_json, benefit_cases, valid_case
from hypothesis import given

from maatwerk import Advice, Engine, PolicyError, PolicySelectionError, Problem
from maatwerk._policy.loader import load_directory, load_tree
from maatwerk.cli import main

PREVIEW_DAY = dt.date(2026, 1, 1)
AFTER_PREVIEW = "2026-03-02"  # valid_case's decision date


@pytest.fixture(scope="module")
def preview_engine() -> Engine:
    """The default packs with the Whsz bill assumed in force from 1 January 2026."""
    return Engine(preview={"whsz": PREVIEW_DAY})


@pytest.fixture(scope="module")
def preview_reference() -> Engine:
    return Engine(preview={"whsz": PREVIEW_DAY}, evaluator="reference")


def _case(**changes: Any) -> dict[str, Any]:
    case = valid_case()
    for dotted, value in changes.items():
        target = case
        *path, last = dotted.split("__")
        for key in path:
            target = target.setdefault(key, {})
        target[last] = value
    return case


def _decided_after_preview(case: dict[str, Any]) -> dict[str, Any]:
    """The case with its conduct and decision after the assumed entry into force."""
    moved = copy.deepcopy(case)
    moved["decision_date"] = "2026-11-01"
    violation = moved["violation"]
    violation["period"] = {"start": "2026-02-01", "end": "2026-04-30"}
    violation["information_due"] = "2026-02-08"
    violation["detected_on"] = "2026-06-01"
    if "self_reported_on" in violation:
        violation["self_reported_on"] = "2026-05-15"
    moved["history"] = []
    return moved


# --- never by default -----------------------------------------------------------------------------


def test_the_proposal_is_loaded_and_checked_but_not_a_version_in_force() -> None:
    """load_directory holds only law in force; load_tree also returns the checked proposal."""
    in_force, proposed = load_tree(POLICIES)
    assert "voorstel-whsz" not in {p.version for p in in_force["nl-benefits"]}
    assert set(proposed) == {"nl-benefits"}
    assert set(proposed["nl-benefits"]) == {"whsz"}
    assert load_directory(POLICIES).keys() == in_force.keys()


@given(case=benefit_cases())
def test_without_a_preview_no_advice_gives_or_offers_a_conditional_fine(case: dict[str, Any], engine: Engine) -> None:
    """Invariant: under current law the conditional fine never appears, chosen or as an alternative."""
    advice = engine.advise(case)
    assert advice.measure.kind != "voorwaardelijke_boete"
    assert all(a.measure != "voorwaardelijke_boete" for a in advice.alternatives)
    assert all(p.in_force for p in advice.packs)
    assert all(d.id != "afweging_sanctie" for d in advice.decisions)


# --- what the preview changes ---------------------------------------------------------------------


def test_a_first_normal_violation_gets_a_conditional_fine_with_probation(preview_engine: Engine) -> None:
    """Normal culpability, no history: Lansingerland prefers the conditional fine (50%, capped at the ability
    to pay of 12 × 5% of the norm: €840,90), 2 years' probation."""
    advice = preview_engine.advise(_case())
    assert advice.measure.kind == "voorwaardelijke_boete"
    assert str(advice.measure.amount) == "840.90"
    assert advice.measure.probation_years == 2
    fine = next(a for a in advice.alternatives if a.measure == "boete_normaal")
    assert (fine.amount, fine.lawful, fine.chosen) == (advice.measure.amount, True, False)
    assert "proeftijd" in fine.why.nl


def test_the_preview_advice_says_it_is_not_law(preview_engine: Engine) -> None:
    """The first step and the pack reference mark a previewed advice as an exploration."""
    advice = preview_engine.advise(_case())
    assert advice.steps[0].rule_id == "voorstel_verkenning"
    assert "GEEN GELDEND RECHT" in advice.steps[0].text.nl
    proposal = [p for p in advice.packs if not p.in_force]
    assert [p.version for p in proposal] == ["voorstel-whsz@2026-01-01"]


def test_intent_still_gets_a_fine_and_the_conditional_fine_is_not_lawful(preview_engine: Engine) -> None:
    """Opzet is outside the conditional fine: the advice is a fine, the alternative is marked unlawful."""
    advice = preview_engine.advise(_case(culpability={"confirmed": "opzet"}))
    assert advice.measure.kind == "boete"
    conditional = next(a for a in advice.alternatives if a.measure == "voorwaardelijke_boete")
    assert not conditional.lawful


def test_recidive_rules_out_the_conditional_fine(preview_engine: Engine) -> None:
    """A fine for the same conduct within five years: no conditional fine."""
    history = [{"kind": "boete", "final_on": "2024-05-01", "same_conduct": True}]
    advice = preview_engine.advise(_case(history=history))
    assert advice.measure.kind == "boete"
    conditional = next(a for a in advice.alternatives if a.measure == "voorwaardelijke_boete")
    assert not conditional.lawful


def test_reduced_culpability_and_the_municipalitys_share_give_no_sanction(preview_engine: Engine) -> None:
    """Verminderd, a first violation and the municipality's own share: after the weighing, no sanction."""
    advice = preview_engine.advise(
        _case(culpability={"confirmed": "verminderd"}, circumstances={"municipality": {"late_processing": True}})
    )
    assert advice.measure.kind == "geen_boete"
    assert "whsz_geen_sanctie_eigen_rol" in {s.rule_id for s in advice.steps}


def test_the_weighing_is_a_decision_for_a_person(preview_engine: Engine) -> None:
    """Under the bill the fine is a power: the advice asks a person to weigh, with factors."""
    advice = preview_engine.advise(_case(benefit_loss={"net": "120.00", "gross": "150.00"}))
    weighing = next(d for d in advice.decisions if d.id == "afweging_sanctie")
    assert any(f.rule_id == "afweging_ernst_beperkt" and f.direction == "tegen" for f in weighing.factors)


# --- dates ----------------------------------------------------------------------------------------


def test_a_case_decided_before_the_preview_date_is_unchanged(engine: Engine) -> None:
    """Previewing from 2027 leaves a 2026 decision exactly as under current law, receipt included."""
    case = _case()
    assert advice_json(Engine(preview={"whsz": dt.date(2027, 1, 1)}).advise(case)) == advice_json(engine.advise(case))


def test_conduct_before_the_preview_date_gets_the_milder_law(preview_engine: Engine) -> None:
    """Conduct in 2025, decision in 2026 under the previewed bill: lex mitior compares both and notes it."""
    advice = preview_engine.advise(_case())
    assert "lex_mitior" in {s.rule_id for s in advice.steps}
    assert {p.used_for for p in advice.packs if p.role == "national"} <= {"gedrag", "procedure"}


def test_a_preview_date_must_follow_the_newest_version_in_force() -> None:
    """A bill cannot be assumed in force before the law it amends: the error names the preview."""
    with pytest.raises(PolicySelectionError) as info:
        Engine(preview={"whsz": dt.date(2012, 1, 1)})
    assert [p.where for p in info.value.problems] == ["preview.whsz"]
    assert info.value.problems[0].code == "PREVIEW_DATE"


def test_an_unknown_proposal_is_named_with_what_exists() -> None:
    """A misspelt proposal gives a located error listing the proposals that exist."""
    with pytest.raises(PolicySelectionError) as info:
        Engine(preview={"whs": PREVIEW_DAY})
    problem = info.value.problems[0]
    assert (problem.where, problem.code) == ("preview.whs", "PREVIEW_UNKNOWN_PROPOSAL")
    assert "whsz" in problem.message


def test_a_preview_date_must_be_a_date() -> None:
    """A string is not silently parsed: the caller passes a datetime.date."""
    with pytest.raises(TypeError, match=r"preview\['whsz'\] must be a datetime\.date"):
        Engine(preview={"whsz": "2026-01-01"})  # type: ignore[dict-item]


# --- both evaluators ------------------------------------------------------------------------------


@given(case=benefit_cases())
def test_durable_and_reference_agree_under_a_preview(
    case: dict[str, Any], preview_engine: Engine, preview_reference: Engine
) -> None:
    """Invariant: the rules engine and the plain-Python oracle give identical previewed advice."""
    moved = _decided_after_preview(case)
    assert advice_content(preview_engine.advise(moved)) == advice_content(preview_reference.advise(moved))


@given(case=benefit_cases())
def test_a_previewed_conditional_fine_is_never_heavier_than_the_fine(
    case: dict[str, Any], preview_engine: Engine
) -> None:
    """Invariant: a conditional fine has probation, and its amount is the fine it replaces."""
    advice: Advice = preview_engine.advise(_decided_after_preview(case))
    if advice.measure.kind == "voorwaardelijke_boete":
        assert advice.measure.probation_years == 2
        level = case["culpability"]["confirmed"]
        fine = next(a for a in advice.alternatives if a.measure == f"boete_{level}")
        assert fine.amount == advice.measure.amount
    else:
        assert advice.measure.probation_years is None


# --- malformed proposals --------------------------------------------------------------------------


def _proposal_text() -> str:
    return (POLICIES / "benefits" / "nl-benefits" / "proposed-whsz.yaml").read_text(encoding="utf-8")


def _tree_with(tmp_path: Path, name: str, text: str) -> Path:
    root = tmp_path / "policies"
    national = root / "benefits" / "nl-benefits"
    national.mkdir(parents=True)
    (national / "2013-01-01.yaml").write_text(
        (POLICIES / "benefits" / "nl-benefits" / "2013-01-01.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (national / name).write_text(text, encoding="utf-8")
    return root


def _problems(root: Path) -> tuple[Problem, ...]:
    with pytest.raises(PolicyError) as info:
        load_tree(root)
    return info.value.problems


def _codes(root: Path) -> list[str]:
    return [p.code for p in _problems(root)]


def test_a_proposal_may_not_carry_a_date_of_entry_into_force(tmp_path: Path) -> None:
    """A proposed pack with valid_from is refused: its date is only ever assumed in a preview."""
    text = _proposal_text().replace("  status: proposed\n", "  status: proposed\n  valid_from: 2026-01-01\n")
    problems = _problems(_tree_with(tmp_path, "proposed-whsz.yaml", text))
    line = str(text.splitlines().index("  valid_from: 2026-01-01") + 1)
    assert [(p.code, p.where.rsplit(":", 2)[-2]) for p in problems] == [("POLICY_INVALID_VALUE", line)]
    assert "no valid_from" in problems[0].message


def test_a_proposal_file_is_named_after_its_proposal(tmp_path: Path) -> None:
    """proposed-<id>.yaml must match the proposal id inside."""
    codes = _codes(_tree_with(tmp_path, "proposed-other.yaml", _proposal_text()))
    assert "POLICY_FILENAME_MISMATCH" in codes


def test_a_proposal_needs_its_proposal_block(tmp_path: Path) -> None:
    """status: proposed without a proposal block is refused with its location."""
    text = _proposal_text()
    start = text.index("  proposal:\n")
    end = text.index("  title:\n")
    problems = _problems(_tree_with(tmp_path, "proposed-whsz.yaml", text[:start] + text[end:]))
    assert [p.code for p in problems] == ["POLICY_MISSING_FIELD"]
    assert problems[0].message.startswith("pack.proposal:")


def test_a_proposal_for_a_pack_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    """A bill amends a pack in force; a proposal for an unknown pack is an error, not ignored."""
    root = tmp_path / "policies"
    folder = root / "benefits" / "nl-ghost"
    folder.mkdir(parents=True)
    (folder / "proposed-whsz.yaml").write_text(
        _proposal_text().replace("id: nl-benefits", "id: nl-ghost", 1), encoding="utf-8"
    )
    assert "POLICY_UNKNOWN_PACK" in _codes(root)


# --- the command line -----------------------------------------------------------------------------


def test_the_cli_previews_a_proposal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`maatwerk advise --preview whsz=DATE` prints the exploration banner and the conditional fine."""
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case()), encoding="utf-8")
    assert main(["advise", str(path), "--preview", "whsz=2026-01-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["measure"]["kind"] == "voorwaardelijke_boete"
    assert main(["advise", str(path), "--preview", "whsz=2026-01-01"]) == 0
    assert "GEEN GELDEND RECHT" in capsys.readouterr().out


def test_the_cli_rejects_a_malformed_preview(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A preview without a valid date is a usage error naming the option."""
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case()), encoding="utf-8")
    assert main(["advise", str(path), "--preview", "whsz=1-1-2026"]) == 2
    assert "--preview" in capsys.readouterr().err
