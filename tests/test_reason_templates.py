# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""A rule's reason reads its figures from the pack's parameters (issue 19: "a sentence that says
'150%' reads the recidive factor", so text and figure cannot drift apart).

A reason may name ``{param:NAME}`` (the parameter as it is on the case's dates) and ``{cite:SOURCE}``
(one article); the loader refuses anything that depends on the case (tests/test_policy_newuser.py).
Here: the words each case gets, on both sides of a change of the parameter, from one engine.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from conftest import POLICIES

from maatwerk import Engine
from maatwerk.audit._report import _reason_words, vocabulary

LEEUWARDEN = Path("benefits") / "leeuwarden-benefits"
TERM = "    values: [{from: 2015-01-01, value: 2}]\n"


def _repeat_without_loss(decided: str) -> dict[str, Any]:
    """Leeuwarden's base case with no loss and a warning for a breach without loss a year before:
    art. 3.1.4's repeat, whatever the term."""
    case: dict[str, Any] = yaml.safe_load((POLICIES / LEEUWARDEN / "scenarios" / "_base.yaml").read_text())
    case = copy.deepcopy(case)
    case["benefit_loss"] = {"net": "0.00", "gross": "0.00"}
    case["history"] = [{"kind": "waarschuwing", "imposed_on": "2024-02-01", "same_conduct": True, "without_loss": True}]
    case["decision_date"] = decided
    return case


def _step(engine: Engine, case: dict[str, Any], rule: str) -> tuple[str, str]:
    (step,) = [s for s in engine.advise(case).steps if s.rule_id == rule]
    return step.text.nl, step.text.en


def test_a_reason_says_the_parameter_as_it_is_on_each_cases_dates(policy_copy: Path) -> None:
    """Leeuwarden's term of art. 3.1.4 from three years on 2026-03-01 (a change made here): the same
    rule fires for a case decided the day before and one decided that day, and each reason names its
    own term, asked in turns of one engine (no case gets the other's words)."""
    pack = policy_copy / LEEUWARDEN / "2015-01-01.yaml"
    text = pack.read_text(encoding="utf-8")
    assert 1 == text.count(TERM)
    pack.write_text(
        text.replace(TERM, "    values: [{from: 2015-01-01, value: 2}, {from: 2026-03-01, value: 3}]\n"),
        encoding="utf-8",
    )
    engine = Engine(policy_copy, municipality="leeuwarden")
    before, after = _repeat_without_loss("2026-02-27"), _repeat_without_loss("2026-03-02")
    for _ in range(2):
        nl, en = _step(engine, before, "leeuwarden_herhaling_zonder_benadeling")
        assert "Maar in de 2 jaar ervoor kreeg de inwoner al een waarschuwing" in nl
        assert "in the 2 years before" in en
        nl, en = _step(engine, after, "leeuwarden_herhaling_zonder_benadeling")
        assert "Maar in de 3 jaar ervoor kreeg de inwoner al een waarschuwing" in nl
        assert "in the 3 years before" in en


def test_a_national_reason_names_its_date_from_the_parameter() -> None:
    """The Fraudewet's first day in the reason of conduct before it is the parameter's, written as a
    date is written on the page (nl: 01-01-2013, en: 2013-01-01)."""
    case: dict[str, Any] = yaml.safe_load((POLICIES / LEEUWARDEN / "scenarios" / "_base.yaml").read_text())
    case["violation"]["period"]["start"] = "2012-06-01"
    case["benefit_loss"]["before_2013"] = "100.00"
    nl, en = _step(Engine(municipality=None), case, "gedrag_voor_fraudewet")
    assert nl.startswith("De overtreding begon vóór 01-01-2013. Voor die datum gold het oude recht.")
    assert en.startswith("The violation began before 2013-01-01.")


def test_every_bundled_reason_that_names_a_parameter_is_said_with_its_value() -> None:
    """Every rule reason of the bundled packs that names a parameter (Leeuwarden's terms, the
    Fraudewet's first day, the day Awb 5:20 lid 3 took effect) is said, as the learning report says it,
    with the value filled in and no placeholder left; and the report's causes hold none either."""
    engine = Engine(municipality=None)
    said = {}
    for versions in engine.policies.packs.values():
        for version in versions:
            for rule in version.file.rules:
                if "{param:" in rule.reason.nl + rule.reason.en:
                    said[(version.id, rule.id)] = _reason_words(engine.policies, version, rule.id)
    assert {
        ("leeuwarden-benefits", "leeuwarden_waarschuwing_geen_benadeling"),
        ("leeuwarden-benefits", "leeuwarden_herhaling_zonder_benadeling"),
        ("nl-benefits", "gedrag_voor_fraudewet"),
        ("nl-wmo2015", "basis_dwangsom_medewerking"),
        ("nl-wmo2015", "toezicht_geweigerd"),
        ("nl-wmo2015", "toezicht_geweigerd_voor_2021"),
    } <= set(said)
    assert all("{" not in words and "}" not in words for texts in said.values() for words in texts.values())
    assert "Sinds 01-07-2021 kan het college" in said[("nl-wmo2015", "toezicht_geweigerd")]["nl"]
    causes = vocabulary(engine)["causes"]
    assert all("{" not in words for texts in causes.values() for words in texts.values())
