# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Principles belong to whoever states them: the national packs carry the law's own purposes (W1-W5,
each with its source), Lansingerland's pack carries its four principles (P1-P4, this project's reading)
and says which purposes, rules or engine steps each serves; another municipality inherits none of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import POLICIES, valid_case
from hypothesis import given, settings
from test_lex_mitior import _policies_with_a_second_national_version, _without_financial_data

from maatwerk import Engine, PolicyError
from maatwerk._policy.loader import load_tree
from maatwerk._policy.stack import PolicySet
from maatwerk.testing import cases, provider_cases

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

LANSINGERLAND = Path("benefits") / "lansingerland-benefits" / "2024-01-01.yaml"
PURPOSE_OF = {"P1": "W1", "P2": "W2", "P3": "W3", "P4": "W4"}
ELDERS = """schema_version: 1
pack:
  id: elders-benefits
  domain: benefits
  layer: municipal
  base: nl-benefits
  municipality: elders
  valid_from: 2024-01-01
  title: {nl: Elders, en: Elsewhere}
  publisher: tests
sources:
  elders_beleid: {citation: "Beleidsregels Elders (test)", identifier: "elders-test", url: "https://lokaleregelgeving.overheid.nl/zoeken?gemeente=Elders"}
parameters:
  draagkracht_maanden_verminderd:
    unit: months
    date_basis: decision
    source: elders_beleid
    description: {nl: "Termijn", en: "Term"}
    values: [{from: 2024-01-01, value: 6}]
"""


def _principles_block(policy_copy: Path, block: str) -> Path:
    """Lansingerland's benefit pack with its principles replaced by ``block``."""
    path = policy_copy / LANSINGERLAND
    text = path.read_text(encoding="utf-8")
    start, end = text.index("principles:\n"), text.index("\nsources:\n")
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")
    return policy_copy


def _problems(root: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(PolicyError) as info:
        load_tree(root)
    return [(p.code, p.where.rsplit(":", 2)[0].rsplit("/", 1)[-1], p.message) for p in info.value.problems]


def test_an_advice_on_national_packs_only_shows_the_laws_purposes() -> None:
    """Without a municipal pack every step, follow-up and label is a purpose of the law (W1-W5), never
    one of Lansingerland's principles."""
    advice = Engine(municipality=None).advise(valid_case())
    shown = {p for s in advice.steps for p in s.principles} | {p for f in advice.followups for p in f.principles}
    assert shown
    assert all(p.startswith("W") for p in shown)
    assert set(advice.principles) == {"W1", "W2", "W3", "W4", "W5"}
    assert "Evenredigheid" == advice.principles["W2"].nl


@settings(max_examples=60, deadline=None)
@given(case=cases())
def test_with_lansingerland_every_step_shows_its_principle_beside_the_laws_purpose(
    engine: Engine, case: dict[str, Any]
) -> None:
    """Lansingerland's pack maps P1-P4 onto the purposes W1-W4: every national step shows exactly the
    principles it showed when P1-P4 lived in the national pack, after the purposes it serves."""
    for step in engine.advise(case).steps:
        purposes = [p for p in step.principles if p.startswith("W")]
        own = [p for p in step.principles if p.startswith("P")]
        assert step.principles, step.rule_id
        if step.pack.startswith("nl-benefits") and step.rule_id not in {"lex_mitior", "eerder_gedrag"}:
            assert [k for k, w in PURPOSE_OF.items() if w in purposes] == own, step.rule_id


def test_the_lex_mitior_note_shows_the_purpose_the_packs_give_it(tmp_path: Path) -> None:
    """The lex-mitior step serves legal certainty (W5, Sr art. 1 lid 2 by analogy), as the national pack
    says, and Lansingerland's P2, as its pack says: no principle is named in the code."""
    engine = Engine(_policies_with_a_second_national_version(tmp_path, 40))
    note = engine.advise(_without_financial_data()).steps[0]
    assert ("lex_mitior", ("W5", "P2")) == (note.rule_id, note.principles)


def test_another_municipality_inherits_none_of_lansingerlands_principles(policy_copy: Path) -> None:
    """A municipality that states no principles of its own shows only the law's purposes."""
    folder = policy_copy / "benefits" / "elders-benefits"
    folder.mkdir()
    (folder / "2024-01-01.yaml").write_text(ELDERS, encoding="utf-8")
    advice = Engine(policy_copy, municipality="elders").advise(valid_case())
    assert set(advice.principles) == {"W1", "W2", "W3", "W4", "W5"}
    assert all(p.startswith("W") for s in advice.steps for p in s.principles)


def test_a_served_purpose_rule_or_step_that_does_not_exist_is_located_with_a_suggestion(policy_copy: Path) -> None:
    """``serves`` names a national purpose, a national rule or an engine step; a typo is refused at the
    item, with the closest name."""
    root = _principles_block(
        policy_copy,
        "principles:\n  P1:\n    key: eigen\n    label: {nl: Eigen, en: Own}\n    demand: {nl: Eigen, en: Own}\n"
        "    serves: [W22, herziening_pv, lex_mitor]\n",
    )
    found = [(c, m) for c, f, m in _problems(root) if f == "2024-01-01.yaml"]
    assert ("POLICY_UNKNOWN_PRINCIPLE", "'W22' is no purpose of the national pack (did you mean 'W2'?)") in found
    assert (
        "POLICY_UNKNOWN_RULE",
        "'herziening_pv' is no rule of the national pack and no engine step (did you mean 'herziening_pw'?)",
    ) in found
    assert (
        "POLICY_UNKNOWN_RULE",
        "'lex_mitor' is no rule of the national pack and no engine step (did you mean 'lex_mitior'?)",
    ) in found


def test_a_municipality_cannot_restate_a_purpose_of_the_law(policy_copy: Path) -> None:
    """A municipal pack that defines W2 would rewrite the law's purpose: refused; it states its own."""
    root = _principles_block(
        policy_copy,
        "principles:\n  W2:\n    key: eigen\n    label: {nl: Eigen, en: Own}\n    demand: {nl: Eigen, en: Own}\n",
    )
    codes = [(c, m) for c, f, m in _problems(root) if f == "2024-01-01.yaml"]
    assert any(c == "POLICY_DUPLICATE_ID" and "W2 is a purpose of national law in nl-benefits" in m for c, m in codes)


def test_serves_belongs_to_a_municipal_principle_and_engine_steps_to_a_national_purpose(policy_copy: Path) -> None:
    """The national pack states purposes (not what they serve); a municipal principle names engine steps
    in ``serves``, not in ``engine_steps``."""
    national = policy_copy / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    text = national.read_text(encoding="utf-8")
    national.write_text(
        text.replace("    source: awb_5_46\n", "    source: awb_5_46\n    serves: [W1]\n", 1), encoding="utf-8"
    )
    root = _principles_block(
        policy_copy,
        "principles:\n  P1:\n    key: eigen\n    label: {nl: Eigen, en: Own}\n    demand: {nl: Eigen, en: Own}\n"
        "    engine_steps: [lex_mitior]\n",
    )
    messages = [m for c, _, m in _problems(root) if c == "POLICY_INVALID_VALUE"]
    assert any(m.startswith("serves is for a municipal principle") for m in messages)
    assert any(m.startswith("engine_steps is for a purpose of national law") for m in messages)


def test_every_purpose_of_the_law_cites_its_source() -> None:
    """Each purpose in the national packs names the source that states it, and that source exists."""

    sel = PolicySet.from_directory(POLICIES).select("benefits", None, dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    stack = sel.decision
    for pid, principle in stack.principles.items():
        assert principle.source is not None, pid
        assert principle.source in stack.sources or principle.source in stack.law_sources, pid


@settings(max_examples=40, deadline=None)
@given(case=provider_cases())
def test_a_provider_advice_shows_lansingerlands_principle_beside_each_purpose(
    engine: Engine, case: dict[str, Any]
) -> None:
    """The provider packs state the law's purposes too (good care, proportionality, no heavier than
    needed, reporting in order to learn); Lansingerland's provider packs map P1-P4 onto them."""
    for step in engine.advise(case).steps:
        purposes = [p for p in step.principles if p.startswith("W")]
        own = [p for p in step.principles if p.startswith("P")]
        assert purposes or own, step.rule_id
        if step.pack.startswith("nl-"):
            assert [k for k, w in PURPOSE_OF.items() if w in purposes] == own, step.rule_id
