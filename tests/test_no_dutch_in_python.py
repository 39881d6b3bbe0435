# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The rule: no Dutch sentence is typed into Python.

Where words belong:

- **Legal and advice texts** (a measure's summary, a track's explanation, a rule's reason, a
  decision's question, anything that states a legal figure) are in the **packs** under
  ``policies/``, as templates over their parameters (``{param:...}``), so that a figure and the
  sentence that states it cannot drift, and a policy team changes them without Python.
- **Interface words** (headings, labels, the learning report's names, the OpenAPI summaries) are in
  the **message catalogue** ``maatwerk/_texts/ui.yaml``, in Dutch and English, named in Python by a
  message id (``say("advice.title", lang)``; see tests/test_texts.py).

Python keeps identifiers (``grove_schuld``, ``voorwaardelijke_boete``: the domain's values, which are
Dutch by design), citations (``Awb art. 6:7``) and English messages for developers (errors, logs,
schema descriptions). Docstrings and comments are not scanned.

How a Dutch sentence is recognised, in every string literal of ``maatwerk/**/*.py`` but docstrings:
its words (identifiers with ``_``, paths, URLs and ``{placeholders}`` left out) are at least two, and
at least two of them are Dutch: a Dutch function word (``de``, ``het``, ``een``, ``van``...) or a
word the packs and the catalogue use in Dutch at least twice as often as in English. It counts as
Dutch when all its words are Dutch, or when a function word is among them and Dutch words are at
least half.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import yaml
from test_texts import PACKAGE, ROOT, string_literals

from maatwerk._texts import catalogue

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

FUNCTION_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "van",
        "en",
        "niet",
        "voor",
        "op",
        "met",
        "te",
        "dat",
        "die",
        "zijn",
        "wordt",
        "worden",
        "geen",
        "naar",
        "bij",
        "uit",
        "om",
        "ook",
        "als",
        "aan",
        "heeft",
        "hebben",
        "er",
        "maar",
        "nog",
        "kan",
        "kunt",
        "moet",
        "dan",
        "dit",
        "deze",
        "uw",
        "hoe",
        "wat",
        "wie",
        "waar",
        "welke",
        "nee",
        "ja",
        "mag",
        "zal",
        "zou",
        "alle",
        "door",
        "tot",
        "wel",
        "u",
    ]
)
"""Dutch words that carry no content and that English does not use."""

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_NOT_WORDS = re.compile(r"\{[^{}]*\}|\S*_\S*|\S*/\S*|\S*@\S*|\S*\.\w\S*")


def _texts(node: Any, lang: str) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get(lang), str):
            yield node[lang]
        for value in node.values():
            yield from _texts(value, lang)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, lang)


def words(text: str) -> list[str]:
    """The words of a text, lowercased: no identifiers, paths, URLs, dotted names or placeholders."""
    return [w.lower() for w in _WORD.findall(_NOT_WORDS.sub(" ", text))]


@cache
def dutch_vocabulary() -> frozenset[str]:
    """The words the packs and the catalogue say in Dutch at least twice as often as in English (an
    English text may quote a Dutch term: "the measure (maatregel)"), and the function words."""
    sources = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "policies").rglob("*.yaml"))]
    sources.append({m: dict(w) for m, w in catalogue().messages.items()})
    dutch = Counter(w for data in sources for text in _texts(data, "nl") for w in words(text))
    english = Counter(w for data in sources for text in _texts(data, "en") for w in words(text))
    return frozenset({w for w, n in dutch.items() if n >= 2 * english[w]} | FUNCTION_WORDS)


def is_dutch_sentence(text: str) -> bool:
    """Whether a string reads as Dutch words meant for a person (see the module's docstring)."""
    found = words(text)
    dutch = [w for w in found if w in dutch_vocabulary()]
    if len(found) < 2 or len(dutch) < 2:
        return False
    return len(dutch) == len(found) or (any(w in FUNCTION_WORDS for w in dutch) and 2 * len(dutch) >= len(found))


def dutch_in_python() -> dict[str, list[str]]:
    """Every Dutch sentence typed into the package's Python, by file (``file:line: text``)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for line, value in string_literals(path):
            if is_dutch_sentence(value):
                found.setdefault(name, []).append(f"{name}:{line}: {value[:80]!r}")
    return found


# --- the rule -------------------------------------------------------------------------------------


def test_no_dutch_sentence_is_typed_into_python() -> None:
    """Legal and advice texts belong in the packs, interface words in maatwerk/_texts/ui.yaml."""
    found = dutch_in_python()
    assert [] == [line for lines in found.values() for line in lines]


# --- the recogniser -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Een reden van de gemeente.",
        "Dit is een advies. Een medewerker beslist.",
        "Geadviseerde maatregel",
        "Nog geen vastgelegde besluiten in deze periode.",
        "Leerrapport als CSV: één regel per besluit",
        "normale verwijtbaarheid",
        "Gemeente Voorbeeld",
        "De boete is {amount}, de termijn {months} maanden.",
    ],
)
def test_a_dutch_sentence_or_label_is_recognised(text: str) -> None:
    assert is_dutch_sentence(text)


@pytest.mark.parametrize(
    "text",
    [
        "grove_schuld",
        "voorwaardelijke_boete",
        "Awb art. 6:7",
        "Participatiewet art. 18a lid 7",
        "https://wetten.overheid.nl/BWBR0015703/2026-01-01#Artikel18a",
        "the case is not valid; invalidParams locates each problem",
        "culpability level 'opzet' needs a confirmation by a caseworker",
        "maatwerk@gemeente.invalid",
        "boete",
    ],
)
def test_an_identifier_citation_or_english_message_is_not(text: str) -> None:
    assert not is_dutch_sentence(text)
