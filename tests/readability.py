# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""How easy a Dutch text is to read: sentence length and the Flesch-Douma score.

A small, documented implementation instead of a library: ``textstat`` splits sentences and counts
words the English way (it ends a sentence at ``art.`` and counts ``€`` as a word), and a
hyphenation dictionary does not give the syllables of short words (``over`` is not hyphenated).
The rules here are few and fixed, so a score changes only when a text does.

- **Sentences** end at ``.``, ``!`` or ``?`` followed by a space and a capital letter (or at the
  end of the text). A full stop after an abbreviation (``art. 18a``, ``Stb. 2012``) is followed by
  a digit or a small letter, so it ends nothing. A semicolon does not end a sentence: two ideas
  joined by one count as one long sentence, as a reader takes them.
- **Words** are the tokens between spaces that hold a letter or a digit (``€`` is no word,
  ``€ 1.600,00`` is one). A figure counts as one syllable: it is read at a glance.
- **Syllables** are the groups of vowels (``a e i o u y`` and their accented forms), so ``ij``,
  ``oe``, ``aai`` and ``eeuw`` are one each; a vowel with a diaeresis (``financiële``,
  ``geïndexeerde``) starts a new one. Every word has at least one.
- **Flesch-Douma** (W.H. Douma, *De leesbaarheid van landbouwbladen*, 1960; the Dutch form of
  Flesch's reading ease, as ``textstat`` uses for ``nl``): 206.835 − 0.93 × words per sentence −
  77 × syllables per word. Higher is easier: 60 to 70 is plain language for most adults, 30 to 50
  is the level of a newspaper's opinion page, below 30 the level of a legal text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Measured", "flesch_douma", "measure", "sentences", "syllables", "words"]

_VOWELS = "aeiouyáéíóúàèìòùâêîôû"
_DIAERESIS = "äëïöü"
_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(«“])")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, in order (a text without a full stop is one sentence)."""
    return [s.strip() for s in _END.split(text.strip()) if s.strip()]


def words(sentence: str) -> list[str]:
    """The words of a sentence, without the punctuation around them."""
    out = []
    for token in sentence.split():
        word = token.strip(".,;:!?()[]\"'«»“”‘’")
        if any(c.isalnum() for c in word):
            out.append(word)
    return out


def syllables(word: str) -> int:
    """The syllables of a Dutch word (a figure is one)."""
    if any(c.isdigit() for c in word):
        return 1
    count = 0
    previous_vowel = False
    for c in word.lower():
        if c in _DIAERESIS:
            count += 1
            previous_vowel = True
        elif c in _VOWELS:
            if not previous_vowel:
                count += 1
            previous_vowel = True
        else:
            previous_vowel = False
    return max(count, 1)


def flesch_douma(n_sentences: int, n_words: int, n_syllables: int) -> float:
    """Douma's reading ease for these counts."""
    if n_sentences == 0 or n_words == 0:
        raise ValueError("no words to measure")
    return 206.835 - 0.93 * (n_words / n_sentences) - 77 * (n_syllables / n_words)


@dataclass(frozen=True)
class Measured:
    """The counts of a set of sentences, and the score and the longest sentence they give."""

    sentences: int
    words: int
    syllables: int

    @property
    def score(self) -> float:
        return flesch_douma(self.sentences, self.words, self.syllables)

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences


def measure(texts: Iterable[str]) -> Measured:
    """The pooled counts of every sentence of ``texts`` (each sentence once, however often it is said)."""
    seen = {s for text in texts for s in sentences(text)}
    n_words = n_syllables = 0
    for s in seen:
        ws = words(s)
        n_words += len(ws)
        n_syllables += sum(syllables(w) for w in ws)
    return Measured(len(seen), n_words, n_syllables)
