# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""When the law changes between the conduct and the decision, the milder rule applies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from maatwerk import Engine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "01-inkomsten-normaal.json"


def _without_financial_data() -> str:
    """Example 01 without financial data, so that the percentage shows (the ability-to-pay cap of
    12 × 5% of the norm, €840.90, would hide it)."""
    case = json.loads(EXAMPLE.read_text())
    case["finances"]["financial_data_supplied"] = False
    return json.dumps(case)


def _policies_with_a_second_national_version(tmp_path: Path, normal_percentage: int) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target, ignore=shutil.ignore_patterns("scenarios"))
    national = target / "benefits" / "nl-benefits"
    text = (national / "2013-01-01.yaml").read_text()
    text = text.replace("valid_from: 2013-01-01\n  covers_earlier_conduct: true", "valid_from: 2026-01-01", 1)
    old = 'boete_percentage_normaal: {unit: percent, date_basis: conduct, source: boetebesluit_2, description: {nl: "Boete bij normale verwijtbaarheid", en: "Fine for normal culpability"}, values: [{from: 2013-01-01, value: 50}]}'
    assert old in text
    new = old.replace("value: 50", f"value: {normal_percentage}")
    (national / "2026-01-01.yaml").write_text(text.replace(old, new))
    return target


def test_a_milder_later_rule_applies_to_earlier_conduct(tmp_path: Path) -> None:
    """Conduct in 2025 under a 50% rule, decided in 2026 under a 40% rule: the 40% rule wins."""
    engine = Engine(_policies_with_a_second_national_version(tmp_path, 40))
    advice = engine.advise(_without_financial_data())
    assert advice.measure.amount is not None
    assert str(advice.measure.amount) == "992.00"  # 40% of 2.480 (not rounded since 2017)
    assert advice.steps[0].rule_id == "lex_mitior"


def test_a_harsher_later_rule_does_not_apply_to_earlier_conduct(tmp_path: Path) -> None:
    """Conduct in 2025 under a 50% rule, decided in 2026 under a 60% rule: the 50% rule stays."""
    engine = Engine(_policies_with_a_second_national_version(tmp_path, 60))
    advice = engine.advise(_without_financial_data())
    assert str(advice.measure.amount) == "1240.00"
    versions = {(p.id, p.version, p.used_for) for p in advice.packs}
    assert ("nl-benefits", "2013-01-01", "gedrag") in versions


def test_an_unchanged_law_names_one_national_version() -> None:
    """Without a change in between, the advice uses one version for conduct and procedure."""
    advice = Engine().advise(json.loads(EXAMPLE.read_text()))
    assert [p.used_for for p in advice.packs if p.role == "national"] == ["gedrag_en_procedure"]


def test_conduct_before_the_first_version_is_judged_by_a_later_version_from_the_first_day(tmp_path: Path) -> None:
    """Conduct in 2011 (before the Fraudewet), decided in 2026 under a later version: both versions
    judge the part from 2013-01-01 on, with the parameters of that day, and the milder one wins."""
    engine = Engine(_policies_with_a_second_national_version(tmp_path, 40))
    case = json.loads(EXAMPLE.read_text())
    case["violation"]["period"] = {"start": "2011-03-01", "end": "2022-06-30"}
    case["violation"]["information_due"] = "2011-03-08"
    case["benefit_loss"]["before_2013"] = "480.00"
    advice = engine.advise(case)
    assert [s.rule_id for s in advice.steps[:2]] == ["lex_mitior", "eerder_gedrag"]
    assert str(advice.measure.amount) == "800.00"  # 40% of (2.480 - 480)
