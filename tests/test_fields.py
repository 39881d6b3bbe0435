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
    FACT_PATHS,
    MODELS,
    case_fields,
    leaves,
    stack_reads,
)
from maatwerk._policy.domains import CATALOGUES
from maatwerk._policy.form import CompiledForm
from maatwerk._policy.loader import load_tree
from maatwerk._policy.verdict import Template
from maatwerk.errors import PolicyError, PolicySelectionError

DOMAINS = ("benefits", "providers")


def paths_of(doc: dict[str, Any]) -> list[str]:
    return [f["path"] for g in doc["groups"] for f in g["fields"]]


NATIONAL = {"benefits": ("nl-benefits",), "providers": ("nl-wmo2015", "nl-jeugdwet")}


def national_forms(domain: str) -> list[CompiledForm]:
    """The form's words of every version of the domain's national packs."""
    packs = load_tree(ROOT / "policies")[0]
    forms = [v.form for pid in NATIONAL[domain] for v in packs[pid]]
    assert None not in forms
    return [f for f in forms if f is not None]


def literal(template: Template) -> list[str]:
    """The literal Dutch text of a template (its placeholders left out)."""
    return [p for p in template.nl if isinstance(p, str)]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_field_of_the_case_model_has_a_dutch_and_english_label_and_question_in_the_national_packs(
    domain: str,
) -> None:
    """The words are pack data: every version of each national pack names every field of the case model
    (the loader refuses one that does not); the Dutch words hold no identifier and a question asks."""
    paths = [leaf.path for leaf in leaves(MODELS[domain])]
    for form in national_forms(domain):
        assert paths == list(form.fields)
        dutch = [w for f in form.fields.values() for t in (f.label, f.question, f.help) if t for w in literal(t)]
        assert [] == [w for w in dutch if "_" in w]
        assert [] == [p for p, f in form.fields.items() if not "".join(literal(f.question)).endswith("?")]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_choice_of_a_case_field_has_words(domain: str) -> None:
    """Every value of every enum field is said in words, in Dutch and English, by the national packs."""
    values = {v for leaf in leaves(MODELS[domain]) for v in leaf.choices}
    for form in national_forms(domain):
        assert set() == values - set(form.choices)


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
    assert ("select", True, ["Boete", "Schriftelijke waarschuwing", "Straf (strafrechtelijke sanctie)"]) == (
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


# --- the words are pack data, checked at load ----------------------------------------------------------

BENEFITS = Path("benefits") / "nl-benefits" / "2013-01-01.yaml"
PROVIDER_FORM = Path("providers") / "_shared" / "providers-form.yaml"


def edit(root: Path, pack: Path, old: str, new: str) -> Path:
    path = root / pack
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {pack}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def problems(root: Path) -> list[tuple[str, str, str]]:
    """(file:line, code, message) of every problem loading ``root`` gives."""
    with pytest.raises(PolicyError) as info:
        load_tree(root)
    return [(p.where.rsplit(":", 1)[0], p.code, p.message) for p in info.value.problems]


def line_of(root: Path, pack: Path, text: str) -> str:
    """``file:line`` of the first line of ``pack`` that holds ``text``."""
    lines = (root / pack).read_text(encoding="utf-8").splitlines()
    return f"{root / pack}:{next(i for i, line in enumerate(lines, 1) if text in line)}"


def test_a_case_field_without_words_is_refused_where_the_fields_are_listed(policy_copy: Path) -> None:
    """Removing a field's words from the national pack names the field, located at form.fields (where its
    first field starts)."""
    edit(policy_copy, BENEFITS, "    procedure.deceased:\n", "    procedure.deceased_gone:\n")
    found = problems(policy_copy)
    assert (line_of(policy_copy, BENEFITS, "    case_ref:"), "POLICY_MISSING_FIELD") in {(w, c) for w, c, _ in found}
    [message] = [m for _, c, m in found if c == "POLICY_MISSING_FIELD"]
    assert message.endswith("the case fields without words: procedure.deceased")


def test_words_for_a_path_that_is_not_a_field_are_refused_with_a_did_you_mean(policy_copy: Path) -> None:
    """A typo in a field's path is located at its words (the line under the path), with the field it
    probably means."""
    edit(policy_copy, BENEFITS, "    procedure.deceased:\n", "    procedure.decaesed:\n")
    path, line = line_of(policy_copy, BENEFITS, "procedure.decaesed:").rsplit(":", 1)
    assert (
        f"{path}:{int(line) + 1}",
        "POLICY_UNKNOWN_FIELD",
        "'procedure.decaesed' is not a field of the benefits case (did you mean 'procedure.deceased'?)",
    ) in problems(policy_copy)


def test_a_choice_without_words_is_refused(policy_copy: Path) -> None:
    """Every choice of every enum field needs its words."""
    edit(policy_copy, BENEFITS, '    vermogen: {nl: "Vermogen", en: "Assets"}\n', "")
    path, line = line_of(policy_copy, BENEFITS, "  choices:").rsplit(":", 1)
    assert (f"{path}:{int(line) + 1}", "POLICY_MISSING_FIELD", "the choices without words: vermogen") in problems(
        policy_copy
    )


def test_a_text_without_its_english_is_refused_where_it_is_written(policy_copy: Path) -> None:
    """Every text of the form is given in Dutch and English."""
    edit(
        policy_copy,
        BENEFITS,
        '    samenwoning: {nl: "Samenwonen", en: "Living together"}',
        '    samenwoning: {nl: "Samenwonen"}',
    )
    [(where, message)] = [(w, m) for w, c, m in problems(policy_copy) if c == "POLICY_MISSING_FIELD"]
    assert (line_of(policy_copy, BENEFITS, "samenwoning: {"), "form.choices.samenwoning.en: Field required") == (
        where,
        message,
    )


def test_a_choice_that_is_a_measure_says_the_measures_label_and_gets_no_words_of_its_own(policy_copy: Path) -> None:
    """One source for a measure's name: the form's choice 'waarschuwing' is the verdict's label, and words of
    its own for it are refused."""
    engine = Engine(municipality=None)
    doc = case_fields(engine.policies, "benefits", None)
    kind = next(f for g in doc["groups"] for f in g["fields"] if f["path"] == "history[].kind")
    label = engine.policies.national("benefits")[0].verdict
    assert label is not None
    assert (
        label.measures["waarschuwing"].nl
        == next(c for c in kind["choices"] if c["value"] == "waarschuwing")["label"]["nl"]
    )
    edit(policy_copy, BENEFITS, "  choices:\n", '  choices:\n    waarschuwing: {nl: "Waarschuwing", en: "Warning"}\n')
    [(where, message)] = [(w, m) for w, c, m in problems(policy_copy) if c == "POLICY_INVALID_VALUE"]
    assert line_of(policy_copy, BENEFITS, 'waarschuwing: {nl: "Waarschuwing"') == where
    assert "'waarschuwing' is a measure: the form says the measure's label of verdict.measures" in message


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "vóór {param:fraudewet_ingnag}",
            "{param:fraudewet_ingnag}: unknown parameter (did you mean 'fraudewet_ingang'?)",
        ),
        ("vóór {value:amount}", "{value:amount}: the form is shown before there is a case"),
        ("vóór {param:fraudewet_ingang", "a lone '{': write {{ for a brace"),
    ],
)
def test_a_bad_template_in_the_form_is_refused_where_it_is_written(policy_copy: Path, text: str, error: str) -> None:
    """The form's texts are checked at load like the verdict's, with a did-you-mean; they name only what
    needs no case (parameters and sources)."""
    edit(
        policy_copy,
        BENEFITS,
        'help: {nl: "Alleen als de overtreding vóór {param:fraudewet_ingang} begon."',
        f'help: {{nl: "{text}"',
    )
    found = [(w, m) for w, c, m in problems(policy_copy) if c == "POLICY_BAD_TEMPLATE"]
    assert [line_of(policy_copy, BENEFITS, f'help: {{nl: "{text}"')] == [w for w, _ in found]
    assert error in found[0][1]


def test_a_help_that_names_a_date_reads_its_parameter_on_the_decision_date(policy_copy: Path) -> None:
    """The help of the part before 2013 reads the Fraudewet's date from its parameter: a new dated value
    shows on a decision date it covers, the old one before it; without a date, the version's first day."""
    edit(
        policy_copy,
        BENEFITS,
        "values: [{from: 2013-01-01, value: 2013-01-01}]}",
        "values: [{from: 2013-01-01, value: 2013-01-01}, {from: 2020-01-01, value: 2013-02-01}]}",
    )
    engine = Engine(policy_dir=policy_copy, municipality=None)

    def helped(decision: dt.date | None) -> str:
        doc = case_fields(engine.policies, "benefits", None, decision=decision)
        field = next(f for g in doc["groups"] for f in g["fields"] if f["path"] == "benefit_loss.before_2013")
        return str(field["help"]["nl"])

    assert (
        "Alleen als de overtreding vóór 01-02-2013 begon.",
        "Alleen als de overtreding vóór 01-01-2013 begon.",
        "Alleen als de overtreding vóór 01-01-2013 begon.",
    ) == (helped(dt.date(2026, 3, 2)), helped(dt.date(2014, 5, 1)), helped(None))


def test_a_municipal_pack_gives_words_only_to_the_facts_it_declares(tmp_path: Path) -> None:
    """Testdorp may say in its own words what its own fact asks; the form shows them. Words for a case field
    or for a fact it does not declare are national: refused as not delegated, located."""
    folder = declaring_pack(tmp_path)
    pack = folder / "benefits" / "testdorp-benefits" / "2024-01-01.yaml"
    own = 'form:\n  facts:\n    testdorp_eerder_gewaarschuwd: {nl: "Kreeg de persoon eerder een waarschuwing?", en: "Warned before?"}\n'
    pack.write_text(pack.read_text(encoding="utf-8") + own, encoding="utf-8")
    engine = Engine(policy_dir=folder, municipality="testdorp")
    doc = case_fields(engine.policies, "benefits", "testdorp")
    assert "Kreeg de persoon eerder een waarschuwing?" == doc["facts"]["testdorp_eerder_gewaarschuwd"]["about"]["nl"]
    pack.write_text(
        pack.read_text(encoding="utf-8")
        + '    recidive_same_conduct: {nl: "x", en: "x"}\n  item: {nl: "Eerdere zaak", en: "Earlier case"}\n',
        encoding="utf-8",
    )
    found = {(c, m.split(":")[0]) for _, c, m in problems(folder)}
    assert {
        ("POLICY_NOT_DELEGATED", "'recidive_same_conduct'"),
        ("POLICY_NOT_DELEGATED", "the form's item are national"),
    } <= found


def test_a_bill_written_as_a_delta_inherits_the_form() -> None:
    """proposed-whsz extends the 2013 version and says no words of its own: its form is the version's."""
    in_force, proposed = load_tree(ROOT / "policies")
    assert in_force["nl-benefits"][0].form == proposed["nl-benefits"]["whsz"].form


def test_a_problem_in_the_shared_provider_form_is_located_in_that_file(policy_copy: Path) -> None:
    """The providers' words are one file both provider packs include: a typo there is one problem, located
    in that file, with the field it probably means."""
    edit(policy_copy, PROVIDER_FORM, "  risk.harm_occurred:\n", "  risk.harm_ocurred:\n")
    path, line = line_of(policy_copy, PROVIDER_FORM, "risk.harm_ocurred:").rsplit(":", 1)
    unknown = [(w, m) for w, c, m in problems(policy_copy) if c == "POLICY_UNKNOWN_FIELD"]
    assert [
        (
            f"{path}:{int(line) + 1}",
            "'risk.harm_ocurred' is not a field of the providers case (did you mean 'risk.harm_occurred'?)",
        )
    ] == unknown
