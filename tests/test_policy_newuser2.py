# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What a second new user met when writing two more municipalities' policies from the docs alone.

A policy advisor wrote Capelle aan den IJssel's recovery and collection policy (2017) and Ede's ended
2014 policy as packs, and tried to exceed the law in new ways: a later version (a delta) that removes
or rewrites a national rule, a national parameter set that the law fixes, a `no_successor` on a version
that a later one follows, cases decided outside the municipality's versions. Each test is a step where
the first answer did not say what to do: the pack must be refused at its line with a message and a
hint that a policy advisor can act on.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import POLICIES

from maatwerk import Engine, PolicyError, PolicySelectionError
from maatwerk._policy.analysis import check_policies
from maatwerk._policy.loader import load_directory

TODAY = dt.date(2026, 3, 1)

#: A later version of Heerenveen, written as a delta on its 2025 version; ``{body}`` is what it changes.
DELTA = """schema_version: 1
extends: 2025-04-03
pack:
  id: heerenveen-benefits
  domain: benefits
  layer: municipal
  base: nl-benefits
  municipality: heerenveen
  valid_from: 2026-01-01
  title: {{nl: "Heerenveen 2026", en: "Heerenveen 2026"}}
  publisher: Gemeente Heerenveen
  source: heerenveen_verordening_2025
{body}"""


def later_version(root: Path, body: str) -> tuple[Path, str]:
    """Heerenveen's version of 2026-01-01 as a delta whose sections are ``body``; its path and text."""
    path = root / "benefits" / "heerenveen-benefits" / "2026-01-01.yaml"
    text = DELTA.format(body=body)
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    return 1 + next(i for i, line in enumerate(text.splitlines()) if needle in line)


def errors(root: Path) -> list[tuple[str, str, str, str]]:
    """`maatwerk check`'s errors for ``root``: where, code, message, hint."""
    report = check_policies(root, today=TODAY)
    return [(f.where, f.code, f.message, f.hint) for f in report.findings if f.severity == "error"]


@pytest.mark.parametrize(
    ("body", "needle", "message"),
    [
        (
            "remove:\n  rules: [recidive]\n",
            "recidive",
            "cannot remove rule 'recidive': it is national law (nl-benefits), which a municipal pack cannot remove",
        ),
        (
            "change:\n  rules:\n    waarschuwing_klein_bedrag:\n      when: {fact: benefit_loss, lte: 1000}\n",
            "when: {fact: benefit_loss, lte: 1000}",  # the change is located at what it writes
            "cannot change rule 'waarschuwing_klein_bedrag': it is national law (nl-benefits), which a municipal "
            "pack cannot change",
        ),
        (
            "remove:\n  parameters: [recidive_factor]\n",
            "recidive_factor",
            "cannot remove parameter 'recidive_factor': it is national law (nl-benefits), which a municipal pack "
            "cannot remove",
        ),
        (
            "change:\n  sources:\n    pw_18a: {url: 'https://example.org/'}\n",
            "pw_18a:",
            "cannot change source 'pw_18a': it is national law (nl-benefits), which a municipal pack cannot change",
        ),
    ],
)
def test_a_municipal_delta_that_removes_or_rewrites_national_law_is_refused_as_such(
    policy_copy: Path, body: str, needle: str, message: str
) -> None:
    """Before, the message said the version extended "has none" and offered "add it under add.rules",
    which a national id can never be. Now it says the item is national law, at the line that names it,
    and the hint says what a municipal pack does instead."""
    path, text = later_version(policy_copy, body)
    ((where, code, said, hint),) = errors(policy_copy)
    assert "POLICY_NOT_DELEGATED" == code
    assert where.startswith(f"{path}:{line_of(text, needle)}:")
    assert message == said
    assert hint.startswith("Take this entry out of the delta: a municipal pack never removes or rewrites national")


def test_a_delta_that_changes_a_delegated_parameter_it_never_set_is_told_to_add_it(policy_copy: Path) -> None:
    """A delegated parameter the version extended does not set yet is added, not changed: the message
    says so, and that the national bound holds."""
    path, text = later_version(
        policy_copy,
        "change:\n  parameters:\n    waarschuwing_max_benadeling: {values: [{from: 2026-01-01, value: 100}]}\n",
    )
    ((where, code, said, hint),) = errors(policy_copy)
    assert ("POLICY_UNKNOWN_PARAMETER", f"{path}:{line_of(text, 'waarschuwing_max_benadeling')}") == (
        code,
        where.rsplit(":", 1)[0],
    )
    assert "heerenveen-benefits 2025-04-03 does not set it yet" in said
    assert "give your value under add.parameters" in said
    assert hint.startswith("Move it to add.parameters and write the whole parameter")


def test_a_delta_that_names_nothing_known_still_gets_a_did_you_mean(policy_copy: Path) -> None:
    """A misspelt national rule id is no national law: the message stays "has none", with the suggestion."""
    later_version(policy_copy, "remove:\n  rules: [recidiv]\n")
    ((_, code, said, _),) = errors(policy_copy)
    assert "POLICY_UNKNOWN_RULE" == code
    assert "cannot remove rule 'recidiv': heerenveen-benefits 2025-04-03 has none" in said


def test_a_fixed_national_parameter_names_the_law_of_each_regime_and_what_may_be_set(policy_copy: Path) -> None:
    """Recovery waived sooner than Pw art. 58 allows: the message cites the article of each law (not the
    id of a per-law source) and lists the parameters a municipality may set; the hint no longer speaks
    of a ceiling."""
    path = policy_copy / "benefits" / "heerenveen-benefits" / "2017-01-01.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "\nrules: []\n",
        "\nparameters:\n  terugvordering_afzien_jaren:\n    unit: years\n    date_basis: decision\n"
        "    source: heerenveen_beleid_2017\n    description: {nl: Eerder afzien, en: Waive sooner}\n"
        "    values: [{from: 2017-01-01, value: 5}]\nrules: []\n",
    )
    path.write_text(text, encoding="utf-8")
    found = [e for e in errors(policy_copy) if "2017-01-01.yaml" in e[0]]
    ((where, code, said, hint),) = found
    assert ("POLICY_NOT_DELEGATED", f"{path}:{line_of(text, 'unit: years')}") == (  # at the parameter's body
        code,
        where.rsplit(":", 1)[0],
    )
    assert said.startswith("terugvordering_afzien_jaren is fixed by national law (Participatiewet art. 58")
    assert "IOAW art. 25" in said
    assert "The parameters nl-benefits lets a municipality set: aangifte_bruto_controle_vanaf" in said
    assert "waarschuwing_max_benadeling" in said
    assert "ceiling" not in hint


def test_no_successor_on_a_version_that_a_later_one_follows_gets_a_hint_that_says_what_to_remove(
    policy_copy: Path,
) -> None:
    path = policy_copy / "benefits" / "heerenveen-benefits" / "2017-01-01.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  valid_from: 2017-01-01\n",
        "  valid_from: 2017-01-01\n  valid_until: 2025-04-02\n"
        "  no_successor: {reason: {nl: Vervallen., en: Lapsed.}}\n",
    )
    path.write_text(text, encoding="utf-8")
    ((where, code, said, hint),) = errors(policy_copy)
    assert ("POLICY_INVALID_VALUE", f"{path}:{line_of(text, 'no_successor')}") == (code, where.rsplit(":", 1)[0])
    assert "says it has no successor, but 2025-04-03 follows it" in said
    assert hint.startswith("Remove pack.no_successor: a later version takes over.")


CASE: dict[str, Any] = {
    "law": "participatiewet",
    "decision_date": "2022-03-01",
    "violation": {
        "established": True,
        "kind": "inkomsten_of_werk",
        "period": {"start": "2021-02-01", "end": "2021-07-31"},
        "information_due": "2021-02-08",
        "detected_on": "2021-10-15",
        "detection": "gegevensvergelijking",
    },
    "benefit_loss": {"net": "400.00", "gross": "500.00"},
    "culpability": {"confirmed": "normaal"},
}


def test_a_case_decided_after_a_policy_without_successor_is_pointed_to_national_law_alone() -> None:
    """Grave's 2017 rules lapsed with no pack to follow: the refusal says how the case can still be advised."""
    with pytest.raises(PolicySelectionError) as refused:
        Engine(POLICIES, municipality="grave", evaluator="reference").advise(CASE)
    assert "under national law alone (--national-only; Engine(municipality=None))" in refused.value.hint
    advice = Engine(POLICIES, municipality=None, evaluator="reference").advise(CASE)
    assert "boete" == advice.measure.kind


def test_a_case_decided_before_a_municipalitys_first_version_names_the_policy_it_replaced() -> None:
    """Rotterdam's pack starts 2021-07-07; a decision before it falls under the policy it replaced."""
    violation = {
        **CASE["violation"],
        "period": {"start": "2021-02-01", "end": "2021-05-31"},
        "detected_on": "2021-07-05",
    }
    case = {**CASE, "decision_date": "2021-07-06", "violation": violation}
    with pytest.raises(PolicySelectionError) as refused:
        Engine(POLICIES, municipality="rotterdam", evaluator="reference").advise(case)
    assert "rotterdam-benefits has no version valid on 2021-07-06 (decision date); the first starts 2021-07-07" in str(
        refused.value
    )
    assert refused.value.hint.startswith(
        "A case decided before 2021-07-07 falls under the policy rotterdam-benefits 2021-07-07 replaced"
    )


def test_the_bundled_packs_and_the_national_bill_still_load() -> None:
    """The national bill is a delta too: what it changes of national law is its own to change."""
    packs = load_directory(POLICIES)
    assert "nl-benefits" in packs


def test_a_load_of_a_refused_delta_raises_one_policy_error(policy_copy: Path) -> None:
    later_version(policy_copy, "remove:\n  rules: [recidive]\n")
    with pytest.raises(PolicyError) as info:
        load_directory(policy_copy)
    assert ["POLICY_NOT_DELEGATED"] == [p.code for p in info.value.problems if "2026-01-01.yaml" in p.where]


def test_a_fact_named_in_dutch_gets_a_hint_that_fact_names_are_english(policy_copy: Path) -> None:
    """A decision factor that names 'minderjarige_kinderen' has no close English name to suggest: the hint
    says the names are English and where the Dutch words are listed."""
    path = policy_copy / "benefits" / "heerenveen-benefits" / "2017-01-01.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "\nrules: []\n",
        "\nrules: []\nverdict:\n  decisions:\n    - id: eigen_vraag\n      when: {fact: measure, eq: boete}\n"
        "      question: {nl: Verrekent u de boete?, en: Do you set the fine off?}\n      options: [ja, nee]\n"
        "      factors:\n        - {id: kinderen, when: {fact: minderjarige_kinderen, eq: true}, direction: tegen, "
        "text: {nl: Kinderen., en: Children.}}\n",
    )
    path.write_text(text, encoding="utf-8")
    found = [e for e in errors(policy_copy) if "2017-01-01.yaml" in e[0]]
    ((where, code, said, hint),) = found
    assert ("POLICY_UNKNOWN_FACT", f"{path}:{line_of(text, 'minderjarige_kinderen')}") == (
        code,
        where.rsplit(":", 1)[0],
    )
    assert "unknown fact 'minderjarige_kinderen'" == said
    assert "Fact names are English (dependent_children, not minderjarige_kinderen)" in hint
    assert "docs/nl/beleidsteam.md" in hint


WARNING_DAYS = """
parameters:
  waarschuwing_zelfmelding_dagen:
    unit: days
    date_basis: {basis}
    source: heerenveen_beleid_2017
    description: {{nl: Zelfmelding binnen 50 dagen, en: Self-report within 50 days}}
{delegated}    values: [{{from: 2017-01-01, value: 50}}]
"""


def _warning_days(root: Path, basis: str, delegated: str = "") -> tuple[Path, str]:
    path = root / "benefits" / "heerenveen-benefits" / "2017-01-01.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "\nrules: []\n", WARNING_DAYS.format(basis=basis, delegated=delegated) + "rules: []\n"
    )
    path.write_text(text, encoding="utf-8")
    return path, text


def test_a_municipal_value_kept_at_the_national_conduct_basis_says_to_use_the_decision_date(
    policy_copy: Path,
) -> None:
    """A stricter self-report term (50 of the law's 60 days) copied with the national `date_basis:
    conduct` would refuse every case whose conduct began before the policy: the hint says why and what
    to write; with `date_basis: decision` the same value is clean."""
    path, text = _warning_days(policy_copy, "conduct")
    found = [e for e in errors(policy_copy) if "2017-01-01.yaml" in e[0]]
    assert {"CHECK_PARAMETER_GAP"} == {code for _, code, _, _ in found}
    assert all("cases conducted from 2013-01-01 to 2016-12-31 are refused" in said for _, _, said, _ in found)
    assert all("give it date_basis: decision" in hint for _, _, _, hint in found)
    path.write_text(text.replace("date_basis: conduct", "date_basis: decision"), encoding="utf-8")
    assert [] == errors(policy_copy)


def test_a_municipal_pack_cannot_state_a_bound_of_its_own(policy_copy: Path) -> None:
    """`delegated` is national law's word for what a municipality may set: in a municipal pack it is refused,
    even with a value inside the national bound, so no one reads it as a wider bound."""
    path, text = _warning_days(policy_copy, "decision", "    delegated: {at_most: 120, why: {nl: eigen, en: own}}\n")
    found = [e for e in errors(policy_copy) if "2017-01-01.yaml" in e[0]]
    ((where, code, said, hint),) = found
    assert ("POLICY_NOT_DELEGATED", f"{path}:{line_of(text, 'delegated:')}") == (code, where.rsplit(":", 1)[0])
    assert "a municipal pack cannot state or widen a bound" in said
    assert hint.startswith("Remove delegated from the municipal parameter")
