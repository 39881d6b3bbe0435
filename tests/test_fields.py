# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The case form is generated: a field for every fact the rules of the selected packs read, with words for
every field and choice, from the case models, the fact catalogue and the facts a pack declares."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from maatwerk import Engine
from maatwerk._intake.fields import (
    CALCULATION_PATHS,
    CHOICE_LABELS,
    FACT_PATHS,
    LABELS,
    MODELS,
    case_fields,
    leaves,
    stack_reads,
)
from maatwerk._policy.facts import CATALOGUES
from maatwerk.errors import PolicySelectionError

DOMAINS = ("benefits", "providers")


def paths_of(doc: dict[str, Any]) -> list[str]:
    return [f["path"] for g in doc["groups"] for f in g["fields"]]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_field_of_the_case_model_has_a_dutch_and_english_label_and_question(domain: str) -> None:
    """A new case field fails here until it has its words; the Dutch words hold no identifier."""
    paths = [leaf.path for leaf in leaves(MODELS[domain])]
    assert [] == [p for p in paths if p not in LABELS[domain]]
    assert [] == [p for p in LABELS[domain] if p not in paths]  # no words for a field that is gone
    dutch = [w for label in LABELS[domain].values() for w in (label.nl, label.q_nl, label.help_nl or "")]
    assert [] == [w for w in dutch if "_" in w]
    assert [] == [label.q_nl for label in LABELS[domain].values() if not label.q_nl.endswith("?")]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_choice_of_a_case_field_has_words(domain: str) -> None:
    """Every value of every enum field is said in words, in Dutch and English."""
    values = {v for leaf in leaves(MODELS[domain]) for v in leaf.choices}
    assert set() == values - set(CHOICE_LABELS)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_input_fact_of_the_catalogue_names_the_case_fields_it_is_made_of(domain: str) -> None:
    """FACT_PATHS covers each input fact of the domain and names only fields the case model has."""
    inputs = {name for name, spec in CATALOGUES[domain].items() if not spec.output}
    paths = {leaf.path for leaf in leaves(MODELS[domain])}
    assert set() == inputs - set(FACT_PATHS[domain])
    named = {p for ps in FACT_PATHS[domain].values() for p in ps} | set(CALCULATION_PATHS[domain])
    assert set() == named - paths


@pytest.mark.parametrize(("domain", "law"), [("benefits", None), ("providers", "wmo2015"), ("providers", "jeugdwet")])
def test_the_form_has_a_field_for_every_fact_the_selected_rules_read(
    engine: Engine, domain: str, law: str | None
) -> None:
    """On a decision date, each input fact the rules and verdict of the selected packs read has its fields
    on the form, and the facts say which fields they ask."""
    day = dt.date(2026, 3, 2)
    doc = case_fields(engine.policies, domain, engine.municipality, law=law, decision=day)
    sel = engine.policies.select(domain, engine.municipality, day, day, law=law)
    read = stack_reads(sel.decision)
    on_form = set(paths_of(doc))
    assert read <= set(doc["facts"])
    assert [] == [name for name in read if not set(doc["facts"][name]["fields"]) <= on_form]
    assert {"lansingerland-" + (law or domain)} <= {p.split("@")[0] for p in doc["packs"]}


def test_the_history_of_earlier_sanctions_is_a_list_of_rows_with_its_dates() -> None:
    """Earlier fines, warnings and criminal sanctions are rows: the kind, both dates, the same conduct, a prison
    sentence; the list is named in words."""
    engine = Engine(municipality=None)
    doc = case_fields(engine.policies, "benefits", None)
    history = next(g for g in doc["groups"] if g["id"] == "history")
    assert (
        {"nl": "Eerdere sanctie", "en": "Earlier sanction"},
        [
            "history[].kind",
            "history[].imposed_on",
            "history[].final_on",
            "history[].same_conduct",
            "history[].unconditional_prison",
        ],
    ) == (history["item"], [f["path"] for f in history["fields"]])
    kind = history["fields"][0]
    assert ("select", True, ["Boete", "Waarschuwing", "Straf (strafrechtelijke sanctie)"]) == (
        kind["kind"],
        kind["required"],
        [c["label"]["nl"] for c in kind["choices"]],
    )


def test_payment_capacity_and_the_amount_above_the_beslagvrije_voet_are_on_the_form(engine: Engine) -> None:
    """The ability-to-pay cap reads the payment capacity above bijstand level: it has a field (money)."""
    doc = case_fields(engine.policies, "benefits", engine.municipality)
    fields = {f["path"]: f for g in doc["groups"] for f in g["fields"]}
    assert ("money", "money", "Hoeveel kan de persoon per maand betalen?") == (
        fields["finances.monthly_payment_capacity"]["kind"],
        fields["finances.monthly_amount_above_beslagvrije_voet"]["kind"],
        fields["finances.monthly_payment_capacity"]["question"]["nl"],
    )


def test_a_fact_a_pack_declares_asks_for_the_history_fields_its_query_tests() -> None:
    """Leeuwarden declares a fact on earlier breaches without a loss: its history rows get the field
    without_loss, which no national rule reads; the fact carries the pack's own description."""
    national = case_fields(Engine(municipality=None).policies, "benefits", None, decision=dt.date(2026, 3, 2))
    leeuwarden = Engine(municipality="leeuwarden")
    doc = case_fields(leeuwarden.policies, "benefits", "leeuwarden", decision=dt.date(2026, 3, 2))
    fact = doc["facts"]["leeuwarden_herhaling_zonder_benadeling"]
    assert ("history[].without_loss" in paths_of(doc), "history[].without_loss" in paths_of(national)) == (True, False)
    assert "history[].without_loss" in fact["fields"]
    assert fact["about"]["nl"].startswith("In de termijn van art. 3.1.4")


def test_a_decision_whose_answers_are_a_facts_choices_links_to_that_field(engine: Engine) -> None:
    """The culpability and the urgent reasons are decided on the form; other decisions are the decision itself."""
    doc = case_fields(engine.policies, "benefits", engine.municipality)
    assert (["culpability.confirmed"], ["procedure.urgent_reasons"], []) == (
        doc["decisions"]["verwijtbaarheid_vaststellen"]["fields"],
        doc["decisions"]["dringende_redenen"]["fields"],
        doc["decisions"]["kwijtschelding"]["fields"],
    )


def test_dates_no_pack_covers_are_refused(engine: Engine) -> None:
    """A decision date before the first national version is a policy selection error, not an empty form."""
    with pytest.raises(PolicySelectionError):
        case_fields(engine.policies, "benefits", engine.municipality, decision=dt.date(2001, 1, 1))


def declaring_pack(tmp: Path) -> Path:
    """A policy folder with the national benefits pack and a municipal pack that declares a fact of its own."""
    folder = tmp / "policies"
    shutil.copytree(ROOT / "policies" / "benefits" / "nl-benefits", folder / "benefits" / "nl-benefits")
    (folder / "benefits" / "testdorp-benefits").mkdir(parents=True)
    (folder / "benefits" / "testdorp-benefits" / "2024-01-01.yaml").write_text(TESTDORP, encoding="utf-8")
    return folder


TESTDORP = """\
schema_version: 1
pack:
  id: testdorp-benefits
  domain: benefits
  layer: municipal
  base: nl-benefits
  municipality: testdorp
  valid_from: 2024-01-01
  title: {nl: Testdorp, en: Testdorp}
  publisher: Gemeente Testdorp (verzonnen voor een test)
principles:
  P10:
    key: testdorp_eerder_gewaarschuwd
    label: {nl: "Eerder gewaarschuwd zonder benadeling", en: "Warned before without a loss"}
    demand: {nl: "Wie eerder zonder benadeling is gewaarschuwd, krijgt geen tweede waarschuwing.", en: "No second warning after one without a loss."}
sources:
  testdorp_1:
    citation: "Beleidsregels Testdorp, art. 1 (verzonnen)"
    identifier: testdorp-1
    url: "https://testdorp.invalid/beleid"
facts:
  testdorp_eerder_gewaarschuwd:
    description:
      nl: "Testdorp: eerder een waarschuwing gekregen voor een schending zonder benadelingsbedrag"
      en: "Testdorp: an earlier warning for a breach without a loss"
    any:
      in: history
      where: {kind: [waarschuwing], without_loss: true}
rules:
  - id: testdorp_geen_tweede_waarschuwing
    stage: warning
    when: {fact: testdorp_eerder_gewaarschuwd, eq: true}
    then: {set: {warning_excluded_by_policy: true}}
    basis: [testdorp_1]
    principles: [P10]
    reason: {nl: "Testdorp geeft geen tweede waarschuwing.", en: "Testdorp gives no second warning."}
"""


def test_a_new_fact_declared_only_in_a_pack_gets_its_field_without_code(tmp_path: Path) -> None:
    """A municipal pack that declares a fact over the history makes the form ask its history field, and
    names the fact with the pack's own words; nothing in maatwerk names it."""
    engine = Engine(policy_dir=declaring_pack(tmp_path), municipality="testdorp")
    doc = case_fields(engine.policies, "benefits", "testdorp")
    fact = doc["facts"]["testdorp_eerder_gewaarschuwd"]
    assert (["history[].kind", "history[].without_loss"], "history[].without_loss" in paths_of(doc)) == (
        fact["fields"],
        True,
    )
    assert "Testdorp: eerder een waarschuwing gekregen" in fact["about"]["nl"]


def test_the_service_serves_the_form_and_refuses_a_bad_query_with_located_problems(
    engine: Engine, tmp_path: Path
) -> None:
    """GET /api/v1/case-fields gives the form of a domain (on a decision date when asked); an unknown domain,
    a date that is no date and an unknown key are each a located problem (400)."""
    from http_support import call, running

    with running(engine, tmp_path / "audit.sqlite") as server:
        ok = call(server, "GET", "/api/v1/case-fields?domain=providers&law=jeugdwet&decisionDate=2026-03-02")
        bad = call(server, "GET", "/api/v1/case-fields?domain=uitkering&decisionDate=2-3-2026&lang=nl")
    expected = case_fields(
        engine.policies, "providers", engine.municipality, law="jeugdwet", decision=dt.date(2026, 3, 2)
    )
    assert (200, expected) == (ok.status, ok.json)
    assert (400, ["domain", "decisionDate", "lang"]) == (
        bad.status,
        sorted((p["name"] for p in bad.json["invalidParams"]), key=["domain", "decisionDate", "lang"].index),
    )
