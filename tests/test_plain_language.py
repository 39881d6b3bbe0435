# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Plain language (issue 21 item 5): every Dutch text the packs can say is B1 Dutch.

What is measured: every Dutch text of an advice (summary, tracks, calculation, alternatives, steps,
decisions, missing facts, what-ifs, follow-ups, principles) on generated cases of both domains, for
the national law alone and for each municipality's pack, with the bill previewed; and every Dutch
template of the packs' verdicts, rule reasons, follow-ups, principles and the caseworker's form (each
field's label, question and help, each group's heading and each choice's words), with the files a pack
includes read in place, and with its placeholders filled in, so a text no generated case reaches is
measured too; and the Dutch sentences of the interface's message catalogue (maatwerk/_texts/ui.yaml)
whose readers are residents or caseworkers (its ``readers`` say who reads each namespace). A citation
inside a sentence
(``(Participatiewet art. 18a lid 7 (dringende redenen))``) counts as the two words "de wet": it is a
reference, not prose the reader must parse.

How (tests/readability.py): sentence length in words and Douma's reading ease. A sentence longer
than ``MAX_WORDS`` fails, and so does a pooled score below ``FLOOR`` (set just below the score of the
rewritten texts: a regression test). The worst sentences are printed (``pytest -s``) and named in
the failure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import valid_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from readability import flesch_douma, measure, sentences, syllables, words

from maatwerk import Engine
from maatwerk._texts import catalogue, namespace
from maatwerk.models._base import Text
from maatwerk.testing import cases, from_policy, provider_cases

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

POLICIES = Path(__file__).resolve().parent.parent / "policies"
EXAMPLES_DIR = POLICIES.parent / "examples"

MAX_WORDS = 18
"""The longest sentence allowed (B1 guidance: on average 10 to 15 words, rarely more than 20; the texts now
average under 9)."""

FLOOR = 67.5
"""The lowest pooled Flesch-Douma score allowed: just below the 68.3 of the rewritten texts (before the
rewrite: 58.8, with sentences of up to 38 words)."""

FORM_FLOOR = 53.0
"""The lowest pooled Flesch-Douma score of the caseworker's form: just below the 53.7 of its words when
they moved into the packs. The form's texts are short labels and questions for a caseworker (5 words a
sentence on average) that name legal terms (benadelingsbedrag, verwijtbaarheid); Douma's formula weighs
their long words heavily, so this floor guards against a regression, it is no B1 claim of its own."""

EXAMPLES = 150
"""Generated cases per strategy (a fixed set: ``derandomize``), so the score changes only with a text."""

MUNICIPAL_PACKS = {
    "lansingerland": ("lansingerland-benefits", "lansingerland-wmo2015", "lansingerland-jeugdwet"),
    "leeuwarden": ("leeuwarden-benefits",),
    "grave": ("grave-benefits",),
    "heerenveen": ("heerenveen-benefits",),
    "rotterdam": ("rotterdam-benefits",),
}

BILL_DAY = dt.date(2026, 1, 1)
"""The day the bill is previewed as if in force."""

_PLACEHOLDER = re.compile(r"\{(\w+):([\w.]+)(?:\|\w+)?\}")


# --- what the packs can say ----------------------------------------------------------------------


def _pack_files() -> list[Path]:
    return sorted(p for p in POLICIES.rglob("*.yaml") if "scenarios" not in p.parts)


def _pack_data() -> list[tuple[Path, dict[str, Any]]]:
    return [(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in _pack_files()]


def _citations() -> list[str]:
    """Every citation a pack can put in a sentence, longest first (a longer one may hold a shorter)."""
    found = {
        source["citation"]
        for _, data in _pack_data()
        for source in (data.get("sources") or {}).values()
        if isinstance(source, dict) and "citation" in source
    }
    return sorted(found, key=len, reverse=True)


CITATIONS = _citations()


def _plain(text: str) -> str:
    """The text as it is read: each citation in it counts as "de wet"."""
    for citation in CITATIONS:
        text = text.replace(citation, "de wet")
    return text


def _dutch_templates(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if set(node) >= {"nl", "en"} and isinstance(node["nl"], str):
            yield where, node["nl"]
            return
        for key, value in node.items():
            yield from _dutch_templates(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            name = value.get("id", i) if isinstance(value, dict) else i
            yield from _dutch_templates(value, f"{where}[{name}]")


def _filled(template: str) -> str:
    """A template with sample values: a figure for a parameter, "de wet" for a citation, one word for
    a value the domain works out; a rule's reason is measured where the rule states it."""

    def sample(m: re.Match[str]) -> str:
        kind = m.group(1)
        if kind == "param":
            return "10"
        if kind == "cite":
            return "de wet"
        if kind == "value":
            return "waarde"
        return ""

    return _PLACEHOLDER.sub(sample, template)


def _included(node: Any, here: Path) -> Any:
    """``node`` with each ``{include: PATH}`` replaced by the data of the file it names, as the loader does."""
    if isinstance(node, dict):
        if set(node) == {"include"}:
            target = here.parent / node["include"]
            return _included(yaml.safe_load(target.read_text(encoding="utf-8")), target)
        return {key: _included(value, here) for key, value in node.items()}
    return node


def _loaded_packs() -> list[tuple[str, dict[str, Any]]]:
    """Every pack file (not the shared parts it includes) with its included sections in place, by its file."""
    return [
        (str(path.relative_to(POLICIES)), _included(data, path))
        for path, data in _pack_data()
        if not any(part.startswith("_") for part in path.relative_to(POLICIES).parts[:-1])
    ]


def pack_texts(sections: tuple[str, ...] = ("verdict", "followups", "rules")) -> dict[str, str]:
    """Every Dutch template of these sections of the packs (and their principles, with the advice's
    sections), filled in, by where it is stated."""
    out: dict[str, str] = {}
    for name, pack in _loaded_packs():
        # A delta (a later version or a bill, ``extends:``) states its texts under ``add`` and ``change``.
        for prefix, data in (("", pack), ("add.", pack.get("add") or {}), ("change.", pack.get("change") or {})):
            for section in sections:
                for where, text in _dutch_templates(data.get(section), f"{name}:{prefix}{section}"):
                    if section == "rules" and not where.endswith(".reason"):
                        continue
                    out[where] = _filled(text)
            if "verdict" not in sections:
                continue
            for key, principle in (data.get("principles") or {}).items():
                for part in ("label", "demand"):
                    if isinstance(principle, dict) and isinstance(principle.get(part), dict):
                        out[f"{name}:{prefix}principles.{key}.{part}"] = principle[part]["nl"]
    return out


def _texts(node: Any) -> Iterator[Text]:
    if isinstance(node, Text):
        yield node
    elif isinstance(node, tuple | list):
        for value in node:
            yield from _texts(value)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, BaseModel):
        for field in type(node).model_fields:
            yield from _texts(getattr(node, field))


SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def advice_texts() -> dict[str, str]:
    """Every Dutch text of the advice on generated cases, each once, with the case kind it came from."""
    said: dict[str, str] = {}
    runs: list[tuple[str, Engine, st.SearchStrategy[Any]]] = [
        ("benefits, national law", Engine(municipality=None), cases()),
        ("benefits, fineable", Engine(municipality=None), cases(fineable=True)),
        ("providers, national law", Engine(municipality=None), provider_cases()),
        (
            "benefits, bill previewed",
            Engine(municipality=None, preview={"whsz": BILL_DAY}),
            cases(decided_between=(BILL_DAY, dt.date(2026, 11, 1))),
        ),
    ]
    for municipality, packs in MUNICIPAL_PACKS.items():
        engine = Engine(municipality=municipality)
        runs.extend((pack, engine, from_policy(pack)) for pack in packs)
    for label, engine, strategy in runs:
        _collect(said, label, engine, strategy)
    return said


def _collect(said: dict[str, str], label: str, engine: Engine, strategy: st.SearchStrategy[Any]) -> None:
    @SETTINGS
    @given(case=strategy)
    def collect(case: dict[str, Any]) -> None:
        for text in _texts(engine.advise(case)):
            said.setdefault(_plain(text.nl), label)

    collect()


@pytest.fixture(scope="module")
def said() -> dict[str, str]:
    """Each Dutch text, and where it comes from (a pack's template or a kind of generated case)."""
    out = {text: where for where, text in pack_texts().items()}
    out.update(advice_texts())
    return out


def _worst(said: dict[str, str], n: int = 15) -> list[tuple[float, int, str, str]]:
    """The hardest sentences, easiest last (a label of one to three words is no sentence to rank)."""
    rows = []
    for text, where in said.items():
        for s in sentences(text):
            ws = words(s)
            if len(ws) > 3:
                rows.append((flesch_douma(1, len(ws), sum(syllables(w) for w in ws)), len(ws), s, where))
    return sorted(set(rows))[:n]


def _report(rows: list[tuple[float, int, str, str]]) -> str:
    return "\n".join(f"  {score:6.1f}  {n:2d} words  {s}  [{where}]" for score, n, s, where in rows)


# --- the measure itself ---------------------------------------------------------------------------


def test_a_sentence_ends_at_a_full_stop_before_a_capital_never_after_an_abbreviation() -> None:
    text = "De wet (art. 18a lid 7) geldt. Stb. 2012, 462 zegt het; u beslist. Klaar? Ja"
    assert ["De wet (art. 18a lid 7) geldt.", "Stb. 2012, 462 zegt het; u beslist.", "Klaar?", "Ja"] == sentences(text)


def test_words_hold_a_letter_or_a_figure_and_an_amount_is_one_word() -> None:
    assert ["De", "boete", "is", "1.600,00"] == words("De boete is € 1.600,00.")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("boete", 2),
        ("verwijtbaarheid", 4),
        ("schuldregeling", 4),
        ("eeuw", 1),
        ("financiële", 5),
        ("geïndexeerde", 5),
        ("u", 1),
        ("1.600,00", 1),
        ("OM", 1),
    ],
)
def test_syllables_are_groups_of_vowels_and_a_diaeresis_starts_a_new_one(word: str, expected: int) -> None:
    assert expected == syllables(word)


def test_douma_scores_a_short_plain_sentence_above_a_long_legal_one() -> None:
    plain = measure(["U krijgt een boete. U kunt die in delen betalen."])
    legal = measure(
        [
            "De boete moet betaalbaar zijn binnen een termijn die past bij de verwijtbaarheid; bij een "
            "gezamenlijke huishouding telt het gezinsinkomen."
        ]
    )
    assert plain.score > 80
    assert legal.score < 50


# --- the texts of the packs -----------------------------------------------------------------------


def test_every_dutch_sentence_the_packs_can_say_is_short(said: dict[str, str]) -> None:
    too_long = [row for row in _worst(said, n=len(said) * 4) if row[1] > MAX_WORDS]
    assert [] == too_long, f"sentences over {MAX_WORDS} words:\n{_report(too_long)}"


@pytest.fixture(scope="module")
def form_said() -> dict[str, str]:
    """Each Dutch text of the caseworker's form (labels, questions, helps, headings, choices), and where."""
    return {text: where for where, text in pack_texts(("form",)).items()}


def test_every_dutch_sentence_of_the_form_is_short(form_said: dict[str, str]) -> None:
    too_long = [row for row in _worst(form_said, n=len(form_said) * 4) if row[1] > MAX_WORDS]
    assert [] == too_long, f"sentences over {MAX_WORDS} words:\n{_report(too_long)}"


def test_the_forms_dutch_texts_read_at_least_as_easily_as_in_this_release(form_said: dict[str, str]) -> None:
    pooled = measure(form_said)
    worst = _report(_worst(form_said))
    print(f"\n{pooled.sentences} Dutch sentences of the form, Flesch-Douma {pooled.score:.1f} (floor {FORM_FLOOR})")
    assert pooled.score >= FORM_FLOOR, f"Flesch-Douma {pooled.score:.1f} is below {FORM_FLOOR}; the hardest:\n{worst}"


def test_the_dutch_texts_read_at_least_as_easily_as_in_this_release(said: dict[str, str]) -> None:
    pooled = measure(said)
    worst = _report(_worst(said))
    print(
        f"\n{pooled.sentences} Dutch sentences, {pooled.words_per_sentence:.1f} words per sentence, "
        f"Flesch-Douma {pooled.score:.1f} (floor {FLOOR}); the hardest:\n{worst}"
    )
    assert pooled.score >= FLOOR, f"Flesch-Douma {pooled.score:.1f} is below {FLOOR}; the hardest:\n{worst}"


# --- the interface's words (the message catalogue) ------------------------------------------------

B1_READERS = frozenset({"resident", "caseworker"})
"""The readers of a catalogue namespace whose Dutch sentences are held to B1 (a policy team's report
and an integrator's OpenAPI summaries are not)."""


def catalogue_sentences() -> dict[str, str]:
    """The catalogue's Dutch texts for residents and caseworkers that are sentences (they end with a
    full stop, a question mark or an exclamation mark; a heading or a label is no sentence), by id,
    placeholders filled in as in a pack's template."""
    texts = catalogue()
    return {
        message: re.sub(r"\{\w*\}", "10", words["nl"])
        for message, words in texts.messages.items()
        if texts.readers[namespace(message)] in B1_READERS and words["nl"].rstrip().endswith((".", "?", "!"))
    }


def test_the_catalogues_dutch_sentences_for_residents_and_caseworkers_are_short_and_plain() -> None:
    """The same bar as the packs' texts: no sentence over MAX_WORDS, a pooled score at least FLOOR."""
    said = {text: message for message, text in catalogue_sentences().items()}
    assert "advice.note" in said.values()  # the advice text's last line is measured
    rows = _worst(said, n=len(said) * 4)
    too_long = [row for row in rows if row[1] > MAX_WORDS]
    pooled = measure(said)
    assert ([], True) == (too_long, pooled.score >= FLOOR), f"Flesch-Douma {pooled.score:.1f}:\n{_report(rows)}"


# --- the hardest sentences of issue 21, as they read now ------------------------------------------


def _fine_case(**finances: object) -> dict[str, Any]:
    case = valid_case()
    case["finances"].update(finances)
    return case


def test_the_household_income_is_named_only_when_the_resident_lives_together() -> None:
    """Ability to pay is one sentence; the household's income is a second one, said only for a joint household."""
    engine = Engine()
    alone = [s.text.nl for s in engine.advise(_fine_case()).steps if s.stage == "ability"]
    together = [
        s.text.nl
        for s in engine.advise(_fine_case(joint_household=True, household_monthly_norm="2002.13")).steps
        if s.stage == "ability"
    ]
    pays = "De inwoner moet de boete kunnen betalen. Hoe ernstiger het verwijt, hoe langer de termijn waarin dat moet lukken."
    household = (
        "De inwoner woont samen met een partner. Daarom telt het inkomen van het hele huishouden voor wat de "
        "inwoner kan betalen."
    )
    assert ([pays], [pays, household]) == (alone, together)


def test_the_consequences_of_intent_or_gross_negligence_are_one_short_sentence_each() -> None:
    case = _fine_case()
    case["culpability"] = {"indicators": {"concealed_work_or_income": True}}
    [decision] = [d for d in Engine().advise(case).decisions if d.id == "verwijtbaarheid_vaststellen"]
    assert decision.consequences is not None
    assert [
        "Opzet of grove schuld moet de gemeente stellen en bewijzen.",
        "Dat oordeel heeft gevolgen.",
        "De boete kan dan later niet worden kwijtgescholden in een schuldregeling.",
        "De inwoner krijgt een langere betaaltermijn, dus de boete kan hoger zijn.",
        "En soms is een waarschuwing dan niet mogelijk.",
    ] == sentences(decision.consequences.nl)


def test_a_ladder_that_falls_short_explains_the_rung_and_what_the_municipality_can_still_do() -> None:
    """Jeugdwet, no contract: the shortcoming needs rung 3, the municipality has nothing there."""
    case = json.loads((EXAMPLES_DIR / "05-wmo-structureel-kwetsbaar.json").read_text(encoding="utf-8"))
    case.update(law="jeugdwet", contract={})
    [track] = [t for t in Engine().advise(case).tracks if t.id == "herstel_kwaliteit"]
    assert (
        "De tekortkoming vraagt trede 3 op de ladder van licht naar zwaar. Voor die trede heeft de gemeente geen "
        "maatregel met een basis in wet of contract. De zwaarste maatregel die zij wel heeft: gesprek en advies.",
        "The shortcoming needs rung 3 on the ladder from light to heavy. For that rung the municipality has no "
        "measure with a basis in law or contract. The heaviest measure it does have: conversation and advice.",
    ) == (track.explanation.nl, track.explanation.en)


def test_the_recovery_track_states_its_figures_from_the_packs_parameters(policy_copy: Path) -> None:
    """The waivers of recovery are the parameters' values: a changed value changes the sentence."""
    national = policy_copy / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    text = national.read_text(encoding="utf-8")
    old = 'values: [{from: 2013-01-01, value: 10, note: "Pw art. 58 lid 7'
    assert old in text
    national.write_text(
        text.replace(old, 'values: [{from: 2013-01-01, value: 12, note: "Pw art. 58 lid 7', 1), encoding="utf-8"
    )
    [before] = [t for t in Engine().advise(_fine_case()).tracks if t.id == "terugvordering"]
    [after] = [t for t in Engine(policy_copy).advise(_fine_case()).tracks if t.id == "terugvordering"]
    assert "Dat kan na 10 jaar." in before.explanation.nl
    assert "van de rest in één keer betaalt" in before.explanation.nl
    assert "50% van de rest" in before.explanation.nl
    assert "Dat kan na 12 jaar." in after.explanation.nl
    assert "That is possible after 12 years." in after.explanation.en


# --- the letter's sentences that state the law (the national packs' `letter` section, Dutch only) ----


@pytest.fixture(scope="module")
def letter_said() -> dict[str, str]:
    """Each Dutch sentence of the packs' letter sections that a resident or provider reads (what was not
    reported, what a measure means, the named sentences), filled in, and where; the laws' full names
    are names, not sentences, and are left out."""
    out: dict[str, str] = {}
    for name, pack in _loaded_packs():
        letter = pack.get("letter") or {}
        for part in ("kinds", "measures", "texts"):
            for key, text in (letter.get(part) or {}).items():
                out[_filled(text.replace("**", ""))] = f"{name}:letter.{part}.{key}"
    return out


def test_every_sentence_of_the_letter_that_states_the_law_is_short(letter_said: dict[str, str]) -> None:
    assert len(letter_said) > 20  # the benefits and the providers' sentences are all measured
    too_long = [row for row in _worst(letter_said, n=len(letter_said) * 4) if row[1] > MAX_WORDS]
    assert [] == too_long, f"sentences over {MAX_WORDS} words:\n{_report(too_long)}"


def test_the_letters_sentences_that_state_the_law_read_at_b1_like_the_packs_other_texts(
    letter_said: dict[str, str],
) -> None:
    pooled = measure(letter_said)
    worst = _report(_worst(letter_said))
    print(f"\n{pooled.sentences} Dutch letter sentences, Flesch-Douma {pooled.score:.1f} (floor {FLOOR})")
    assert pooled.score >= FLOOR, f"Flesch-Douma {pooled.score:.1f} is below {FLOOR}; the hardest:\n{worst}"
