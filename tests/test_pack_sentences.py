# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The sentences that state the law in the decision letter and on the caseworker's page are the national
packs' (``letter:`` and ``form.notes``): templates over the packs' parameters and sources, checked with
their location when a pack is loaded, filled in for the case. The letter templates, the page's script and
its HTML hold none of them."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, valid_case
from test_fields import line_of, problems
from test_letters import SECRET, letter_for, text_of

from maatwerk import Engine
from maatwerk._api import parse_case
from maatwerk._intake.fields import case_fields
from maatwerk._policy.loader import load_tree
from maatwerk.audit import Advisor, AuditStore
from maatwerk.errors import PolicyError
from maatwerk.letters import letter_context

BENEFITS = Path("benefits") / "nl-benefits" / "2013-01-01.yaml"
PROVIDER_LETTER = Path("providers") / "_shared" / "providers-letter.yaml"
PROVIDER_FORM = Path("providers") / "_shared" / "providers-form.yaml"
LANSINGERLAND = Path("benefits") / "lansingerland-benefits" / "2024-01-01.yaml"
OBJECTION = (
    '    objection: "Dan kunt u bezwaar maken. Stuur ons dan binnen **{param:bezwaartermijn_weken} weken** een brief. '
)


def edit(root: Path, pack: Path, old: str, new: str) -> None:
    path = root / pack
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {pack}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def advisor_on(root: Path) -> Advisor:
    return Advisor(Engine(root), AuditStore(root.parent / "audit.sqlite", secret=SECRET))


# --- the letter says the pack's sentences --------------------------------------------------------------


def test_the_letter_says_the_laws_name_and_the_objection_clause_in_the_national_packs_words(
    policy_copy: Path,
) -> None:
    """Rewording the Participatiewet's name and the objection clause in a copy of the national pack
    changes the letter, and the old words are gone."""
    edit(policy_copy, BENEFITS, 'participatiewet: "de Participatiewet"', 'participatiewet: "de Participatiewet (Pw)"')
    edit(policy_copy, BENEFITS, "weken** een brief. Die termijn", "weken** een brief met uw bezwaar. Die termijn")
    letter, _ = letter_for(advisor_on(policy_copy), valid_case())
    words = text_of(letter)
    assert (True, True, False) == (
        "Onderwerp: Uw uitkering volgens de Participatiewet (Pw)" in words,
        "binnen 6 weken een brief met uw bezwaar. Die termijn begint" in words,
        "weken een brief. Die termijn" in words,
    )


def test_a_figure_in_a_letter_sentence_is_the_packs_parameter_on_the_decision_date(policy_copy: Path) -> None:
    """The report threshold the letter states is rapport_zienswijze_drempel on the decision date: a new
    dated value changes the sentence from that day on."""
    text = (policy_copy / BENEFITS).read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.lstrip().startswith("rapport_zienswijze_drempel:"))
    assert line.endswith("}]}")
    edit(policy_copy, BENEFITS, line, line[: -len("]}")] + ', {from: 2026-03-01, value: "500.00"}]}')
    advisor = advisor_on(policy_copy)
    later, _ = letter_for(advisor, valid_case())
    earlier, _ = letter_for(advisor, {**valid_case(), "decision_date": "2026-02-27"})
    says = "Voor deze overtreding kan een boete hoger zijn dan {}."
    assert (True, True) == (says.format("€ 500,00") in text_of(later), says.format("€ 340,00") in text_of(earlier))


def test_a_citation_is_a_link_bold_words_are_strong_and_every_other_word_of_the_pack_is_escaped(
    policy_copy: Path,
) -> None:
    """A pack's sentence cannot put markup into a letter: its words are escaped; only {cite:..} becomes a
    link to the source (for the case's own law) and **words** become bold."""
    edit(
        policy_copy,
        BENEFITS,
        'vermogen: "uw geld of uw bezit (vermogen)"',
        "vermogen: \"uw geld of uw bezit (vermogen) <img src=x onerror='alert(1)'> & **vooral**\"",
    )
    edit(
        policy_copy,
        BENEFITS,
        "Deze plicht staat in de wet: {cite:inlichtingenplicht}.",
        "Zie {cite:inlichtingenplicht}.",
    )
    case = {**valid_case(), "violation": {**valid_case()["violation"], "kind": "vermogen"}}
    letter, _ = letter_for(advisor_on(policy_copy), case)
    assert "uw geld of uw bezit (vermogen) &lt;img src=x onerror='alert(1)'&gt; &amp; <strong>vooral</strong>" in (
        letter
    )
    assert (
        'Zie <a href="https://wetten.overheid.nl/BWBR0015703/2026-01-01#Hoofdstuk2_Paragraaf2.3_Artikel17">'
        "Participatiewet art. 17 lid 1</a>." in letter
    )


def test_a_provider_letter_names_its_own_law_and_says_the_measure_in_the_packs_words(
    policy_copy: Path, example_cases: dict[str, dict[str, Any]]
) -> None:
    """The providers' shared letter file words the measure and the law of each pack that includes it."""
    edit(policy_copy, PROVIDER_LETTER, "De toezichthouder kan ook onaangekondigd komen.", "Ook onaangekondigd.")
    case = example_cases["05-wmo-structureel-kwetsbaar.json"]
    words = text_of(letter_for(advisor_on(policy_copy), case)[0])
    assert (True, True) == (
        "Wij houden vaker toezicht op uw organisatie. Ook onaangekondigd." in words,
        "U levert zorg of ondersteuning volgens de Wet maatschappelijke ondersteuning 2015 (Wmo 2015)." in words,
    )


def test_whether_a_provider_measure_is_open_to_objection_is_the_national_packs_list(
    policy_copy: Path, example_cases: dict[str, dict[str, Any]]
) -> None:
    """Which measures are a decision (besluit, Awb 1:3) the provider can object to is law, so the pack
    lists them (``objection_measures``), not the template: add the advised measure to the list in a copy
    and its letter gains the objection clause instead of saying it is no decision."""
    case = example_cases["05-wmo-structureel-kwetsbaar.json"]
    before = text_of(letter_for(advisor_on(policy_copy), case)[0])
    edit(
        policy_copy,
        PROVIDER_LETTER,
        "objection_measures: [aanwijzing, last_onder_dwangsom]",
        "objection_measures: [aanwijzing, last_onder_dwangsom, verscherpt_toezicht]",
    )
    other = Advisor(Engine(policy_copy), AuditStore(policy_copy.parent / "other.sqlite", secret=SECRET))
    letter, advice = letter_for(other, case)
    after = text_of(letter)
    assert "verscherpt_toezicht" == advice.measure.kind
    assert (False, True) == ("Dan kunt u bezwaar maken." in before, "Dan kunt u bezwaar maken." in after)
    assert ("geen besluit waartegen u bezwaar kunt maken" in before, "geen besluit" in after) == (True, False)


def test_an_unknown_measure_open_to_objection_is_refused_at_its_line_with_a_did_you_mean(policy_copy: Path) -> None:
    edit(policy_copy, PROVIDER_LETTER, "[aanwijzing, last_onder_dwangsom]", "[aanwijzng, last_onder_dwangsom]")
    found = problems(policy_copy)
    assert found, "the misspelt measure must be refused"
    assert {(line_of(policy_copy, PROVIDER_LETTER, "objection_measures:"), "POLICY_UNKNOWN_MEASURE")} == {
        (where, code) for where, code, _ in found
    }
    assert all("did you mean 'aanwijzing'" in message for _, _, message in found)


def test_a_letter_under_a_national_pack_without_a_letter_section_is_refused_with_the_packs_place(
    policy_copy: Path,
) -> None:
    """The section is optional when a pack loads (a pack for advice alone), but no letter can be written
    without it: the error names the national pack's file."""
    text = (policy_copy / BENEFITS).read_text(encoding="utf-8")
    start, end = text.index("\nletter:\n"), text.index("\nrules:\n")
    (policy_copy / BENEFITS).write_text(text[:start] + text[end:], encoding="utf-8")
    own = Engine(policy_copy)
    case = parse_case(valid_case())
    advice = own.advise(case)
    with pytest.raises(PolicyError) as info:
        letter_context(own._select(case).decision, case, advice, {"measure": "boete", "amount": advice.measure.amount})
    [problem] = info.value.problems
    assert (f"{policy_copy / BENEFITS}:1:1", "POLICY_MISSING_FIELD") == (problem.where, problem.code)


def test_a_proposal_written_as_a_delta_keeps_the_letter_of_the_version_it_extends() -> None:
    """proposed-whsz.yaml extends the 2013 version and says nothing of the letter: it has the same sentences."""
    in_force, proposed = load_tree(ROOT / "policies")
    [base] = in_force["nl-benefits"]
    [bill] = proposed["nl-benefits"].values()
    assert (base.letter is not None, base.letter) == (True, bill.letter)


# --- a wrong or missing sentence is a located load error -------------------------------------------------


def test_a_missing_letter_sentence_is_refused_where_the_sentences_are_listed(policy_copy: Path) -> None:
    """Every sentence the domain's letter says must be in the national pack."""
    edit(policy_copy, BENEFITS, OBJECTION, "    objection_gone: x\n    #")
    found = [(w, m) for w, c, m in problems(policy_copy) if c == "POLICY_MISSING_FIELD"]
    assert [
        (line_of(policy_copy, BENEFITS, '    duty: "Iedereen'), "texts: the letter has no words for objection")
    ] == (found)


def test_a_misspelt_sentence_name_is_refused_at_its_line_with_a_did_you_mean(policy_copy: Path) -> None:
    edit(policy_copy, BENEFITS, "    culpability_basis: ", "    culpability_bases: ")
    assert (
        line_of(policy_copy, BENEFITS, "    culpability_bases: "),
        "POLICY_INVALID_VALUE",
        "'culpability_bases' is not a sentence of the benefits letter (did you mean 'culpability_basis'?)",
    ) in problems(policy_copy)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("{param:bezwaartermijn_weken}", "{param:bezwaartermijn_weeken}", "(did you mean 'bezwaartermijn_weken'?)"),
        ("({cite:awb_6_5}):", "({cite:awb_6_50}):", "{cite:awb_6_50}: unknown source"),
        ("({cite:awb_6_5}):", "({value:amount}):", "a letter's sentence names only {param:..} and {cite:..}"),
        ("**Openbaar Ministerie**", "**Openbaar Ministerie", "a ** opens bold words that no ** closes"),
    ],
)
def test_a_malformed_letter_sentence_is_refused_at_its_line(policy_copy: Path, old: str, new: str, says: str) -> None:
    """An unknown parameter or source, a placeholder a letter cannot fill and unclosed bold words are each a
    located POLICY_BAD_TEMPLATE."""
    text = (policy_copy / BENEFITS).read_text(encoding="utf-8")
    start = text.index("\nletter:\n")
    at = text.index(old, start)
    (policy_copy / BENEFITS).write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    line = f"{policy_copy / BENEFITS}:{text[:at].count(chr(10)) + 1}"
    assert [(line, True)] == [(w, says in m) for w, c, m in problems(policy_copy) if c == "POLICY_BAD_TEMPLATE"]


def test_a_violation_kind_without_words_in_the_shared_provider_letter_is_refused_in_that_file(
    policy_copy: Path,
) -> None:
    """A problem in a file the providers' packs include is located in that file (once per pack)."""
    edit(policy_copy, PROVIDER_LETTER, '  geen_medewerking_toezicht: "U heeft niet meegewerkt aan het toezicht."\n', "")
    found = {(w, c, m) for w, c, m in problems(policy_copy)}
    assert {
        (
            line_of(policy_copy, PROVIDER_LETTER, "  calamiteit_niet_gemeld:"),
            "POLICY_MISSING_FIELD",
            "kinds: the letter has no words for geen_medewerking_toezicht",
        )
    } == found


def test_a_municipal_pack_cannot_reword_the_laws_sentences(policy_copy: Path) -> None:
    """The letter's legal sentences are national; a municipality says more in its own letter.html.j2."""
    path = policy_copy / LANSINGERLAND
    path.write_text(path.read_text(encoding="utf-8") + '\nletter:\n  texts: {duty: "Meld alles."}\n', encoding="utf-8")
    assert [(line_of(policy_copy, LANSINGERLAND, "  texts: {duty:"), "POLICY_NOT_DELEGATED")] == [
        (w, c) for w, c, _ in problems(policy_copy)
    ]


# --- the page: the sentences around a decision come from the service ------------------------------------


@pytest.mark.parametrize(("domain", "law"), [("benefits", None), ("providers", "jeugdwet")])
def test_the_form_serves_why_a_departure_needs_a_reason_citing_awb_3_46(engine: Engine, domain: str, law: str) -> None:
    """GET case-fields carries the national pack's notes, in Dutch and English, with the citation of
    Awb 3:46 filled in from the pack's source."""
    notes = case_fields(engine.policies, domain, engine.municipality, law=law, decision=dt.date(2026, 3, 2))["notes"]
    assert {
        "deviation": {
            "nl": "U wijkt af van het advies. Geef de reden (Algemene wet bestuursrecht art. 3:46).",
            "en": "You depart from the advice. Give the reason (Algemene wet bestuursrecht art. 3:46).",
        },
        "decide": {
            "nl": "Het advies vraagt eerst uw beslissing. Motiveer uw besluit (Algemene wet bestuursrecht art. 3:46).",
            "en": "The advice first needs your decision. Give the reasons for it (Algemene wet bestuursrecht art. 3:46).",
        },
        "reason_missing": {
            "nl": "U wijkt af van het advies; de wet vraagt dan een reden (Algemene wet bestuursrecht art. 3:46).",
            "en": "You depart from the advice; the law then asks for a reason (Algemene wet bestuursrecht art. 3:46).",
        },
    } == notes


def test_a_page_sentence_reworded_in_a_pack_copy_is_what_the_service_serves(policy_copy: Path) -> None:
    edit(policy_copy, PROVIDER_FORM, "Geef de reden ({cite:awb_3_46}).", "Schrijf op waarom ({cite:awb_3_46}).")
    own = Engine(policy_copy)
    notes = case_fields(own.policies, "providers", own.municipality, law="wmo2015")["notes"]
    assert (
        "U wijkt af van het advies. Schrijf op waarom (Algemene wet bestuursrecht art. 3:46)."
        == notes["deviation"]["nl"]
    )


def test_a_missing_page_sentence_is_refused_where_the_notes_are_listed(policy_copy: Path) -> None:
    edit(policy_copy, BENEFITS, "    decide: {nl:", "    decided: {nl:")
    found = {(w, c, m) for w, c, m in problems(policy_copy)}
    assert {
        (
            line_of(policy_copy, BENEFITS, "    decided: {nl:"),
            "POLICY_INVALID_VALUE",
            "'decided' is not a sentence of the benefits page (did you mean 'decide'?)",
        ),
        (
            line_of(policy_copy, BENEFITS, "    deviation: {nl:"),
            "POLICY_MISSING_FIELD",
            "the page's sentences without words: decide",
        ),
    } == found


# --- the guard: no legal sentence creeps back into a template or the page --------------------------------

TEMPLATES = sorted((ROOT / "maatwerk" / "letters" / "templates").glob("*.j2"))
STATIC = ROOT / "maatwerk" / "http" / "static"
#: A Dutch sentence that cites an article: "artikel 3:46", "art. 17", "Awb", "lid 1".
CITES = re.compile(r"\bartikel\b|\bart\.\s*\d|\bAwb\b|\blid\s+\d", re.IGNORECASE)


def _law_names() -> tuple[set[str], set[str]]:
    """The names of the laws the national packs give the letter and cite: every name, and the full ones
    (more than one word, not an abbreviation such as "Wmo 2015")."""
    names: set[str] = set()
    for path in (ROOT / "policies").glob("*/*/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if (data.get("pack") or {}).get("layer") != "national":
            continue
        for source in (data.get("sources") or {}).values():
            if "citation" in source and " art." in source["citation"]:
                names.add(source["citation"].split(" art.")[0])
    for path in (ROOT / "policies").glob("*/**/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        letter = data.get("letter") if "pack" in data else (data if "laws" in data and "texts" in data else None)
        for text in ((letter or {}).get("laws") or {}).values():
            bare = re.sub(r"^(de|het) ", "", text)
            names.update(n.strip() for n in re.split(r"[()]", bare) if n.strip())
    return names, {n for n in names if re.search(r" [a-z]{3,}", n)}


def _without_comments(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".j2":
        return re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)
    if path.suffix == ".js":
        return re.sub(r"^\s*//.*$", "", re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL), flags=re.MULTILINE)
    return re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)


def test_the_guard_knows_the_law_names_of_the_packs() -> None:
    """The names it looks for are the packs' own: the letter's and the cited laws' (so the guard cannot
    pass by knowing none)."""
    every, full = _law_names()
    assert {"Participatiewet", "Jeugdwet", "Algemene wet bestuursrecht"} <= every
    assert {"Wet maatschappelijke ondersteuning 2015", "Besluit bijstandverlening zelfstandigen"} <= full


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_a_default_letter_template_names_no_law_and_cites_no_article_itself(path: Path) -> None:
    """The law's name and every sentence that cites an article come from the pack (letter.NAME); the
    template's own words (its comments left out) hold none."""
    every, _ = _law_names()
    text = _without_comments(path)
    assert ([], []) == (
        sorted(n for n in every if re.search(rf"\b{re.escape(n)}\b", text)),
        CITES.findall(text),
    )


@pytest.mark.parametrize("path", [STATIC / "app.js", STATIC / "index.html"], ids=lambda p: p.name)
def test_the_page_holds_no_sentence_that_cites_an_article_or_a_laws_full_name(path: Path) -> None:
    """The page's sentences that state the law come from the service (case-fields: notes). Its script and
    HTML (comments left out) name no law in full and cite no article; short law names as choice labels
    stay."""
    _, full = _law_names()
    text = _without_comments(path)
    assert ([], []) == (sorted(n for n in full if n.lower() in text.lower()), CITES.findall(text))


def _pack_letter_texts(domain: str) -> dict[str, str]:
    path = ROOT / "policies" / (BENEFITS if domain == "benefits" else PROVIDER_LETTER)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: dict[str, str] = (data["letter"] if domain == "benefits" else data)["texts"]
    return found


@pytest.mark.parametrize("domain", ["benefits", "providers"])
def test_a_default_template_says_every_pack_sentence_and_copies_none(domain: str) -> None:
    """Every sentence of the domain's letter vocabulary is printed by the default template as
    ``letter.NAME``, and no sentence of the pack's letter texts is written into the template's own
    words: the words a resident or provider reads about the law and the advice are the pack's."""
    from maatwerk._letter_vocabulary import LETTER_VOCABULARY

    template = _without_comments(next(p for p in TEMPLATES if p.name == f"{domain}.html.j2"))
    assert [] == [n for n in LETTER_VOCABULARY[domain].texts if not re.search(rf"\bletter\.{n}\b", template)]
    copied = []
    for name, text in _pack_letter_texts(domain).items():
        plain = re.sub(r"\{[a-z]+:[^}]*\}|\*\*", "", text)
        for sentence in re.split(r"(?<=[.?!:;])\s+", plain):
            if len(sentence) > 12 and sentence in template:
                copied.append((name, sentence))
    assert [] == copied
