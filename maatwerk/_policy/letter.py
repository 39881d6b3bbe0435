# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The decision letter's sentences that state the law, as pack data: a national pack's ``letter`` section.

A letter template says the letter's own prose ("Beste heer of mevrouw"); every sentence that states the
law (the full name of a law, what the violation was, the objection clause and its term, where a duty
or a calculation rule is written) is the pack's, in Dutch (the letter's language, Awb 2:6), as a
template over the pack's parameters and sources: ``{param:NAME}`` (read on the decision date),
``{cite:SOURCE}`` (a per-law source cites the case's own law's article; in the letter a link) and
``**words**`` for words in bold. So a figure and the sentence that states it cannot drift.

Each domain names the sentences its letter says (:attr:`DomainSpec.letter_texts`); a national pack
gives every one, a name of each of its laws and a wording of every violation kind (and, where the
domain's letter says it, of every measure of its verdict). A municipal pack gives none: the law's
sentences are national (its own ``letter.html.j2`` can still say more). Every problem is located,
with a did-you-mean, like the rest of a pack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from maatwerk._format import BOLD
from maatwerk._policy._hints import sort_named
from maatwerk._policy.domains import SPECS
from maatwerk._policy.schema import LetterDef
from maatwerk._policy.verdict import Part, static_template_problems
from maatwerk.errors import Problem

__all__ = ["CompiledLetter", "check_letter"]


@dataclass(frozen=True, slots=True)
class CompiledLetter:
    """A national pack's letter sentences, checked: each as the parts of a template."""

    laws: Mapping[str, tuple[Part, ...]]
    kinds: Mapping[str, tuple[Part, ...]]
    measures: Mapping[str, tuple[Part, ...]]
    texts: Mapping[str, tuple[Part, ...]]
    #: The measures that are a decision open to objection (empty: the domain's letter does not ask).
    objection_measures: frozenset[str] = frozenset()


def _kind_choices(domain: str) -> tuple[str, ...]:
    from maatwerk._policy.form import MODELS, leaves

    return next((leaf.choices for leaf in leaves(MODELS[domain]) if leaf.path == "violation.kind"), ())


def check_letter(
    letter: LetterDef | None,
    *,
    domain: str,
    layer: str,
    laws: Iterable[str],
    measures: Iterable[str],
    param_units: Mapping[str, str],
    sources: Mapping[str, Any],
    where: Callable[[tuple[str | int, ...]], str],
    suggest: Callable[[str, Any], str],
    problems: list[Problem],
) -> CompiledLetter | None:
    """Check one pack's ``letter`` section and compile it (``None``: the pack has none). ``laws``: the
    laws the pack covers; ``measures``: the measures of its verdict."""
    if letter is None:
        return None

    def problem(path: tuple[str | int, ...], code: str, message: str) -> None:
        problems.append(Problem(where(("letter", *path)), code, message))

    if layer == "municipal":
        problem(
            (),
            "POLICY_NOT_DELEGATED",
            "the letter's sentences that state the law are national: a municipal pack says more in its own "
            "letter.html.j2",
        )
        return None

    def template(text: str, path: tuple[str | int, ...]) -> tuple[Part, ...]:
        parts, wrong = static_template_problems(text, "a letter's sentence", domain, param_units, sources, suggest)
        for message in wrong:
            problem(path, "POLICY_BAD_TEMPLATE", message)
        if sum(p.count(BOLD) for p in parts if isinstance(p, str)) % 2:
            problem(path, "POLICY_BAD_TEMPLATE", f"a {BOLD} opens bold words that no {BOLD} closes")
        return parts

    def keyed(
        part: str, given: Mapping[str, str], wanted: tuple[str, ...], what: str, *, every: bool = True
    ) -> dict[str, tuple[Part, ...]]:
        named, unknown, lacking = sort_named(given, wanted)
        for key in unknown:
            problem((part, key), "POLICY_INVALID_VALUE", f"{key!r} is not {what}{suggest(key, wanted)}")
        out = {key: template(given[key], (part, key)) for key in named}
        if lacking and every:
            problem((part,), "POLICY_MISSING_FIELD", f"{part}: the letter has no words for {', '.join(lacking)}")
        return out

    spec = SPECS[domain]
    # A file shared by several packs of the domain (``_shared/``) may name every law of the domain; a
    # pack's own laws must all have a name.
    law_names = keyed("laws", letter.laws, spec.laws, f"a law of the {domain} domain", every=False)
    lacking = [law for law in (tuple(laws) or spec.laws) if law in spec.laws and law not in letter.laws]
    if lacking:
        problem(("laws",), "POLICY_MISSING_FIELD", f"laws: the letter has no name for {', '.join(lacking)}")
    kinds = keyed("kinds", letter.kinds, _kind_choices(domain), "a choice of violation.kind")
    if spec.letter_measures:
        measure_words = keyed("measures", letter.measures, tuple(measures), "a measure of the verdict")
    else:
        measure_words = {}
        for key in letter.measures:
            problem(
                ("measures", key), "POLICY_INVALID_VALUE", f"the {domain} letter says no measure's words: remove it"
            )
    texts = keyed("texts", letter.texts, spec.letter_texts, f"a sentence of the {domain} letter")
    known = tuple(measures)
    objection: set[str] = set()
    for i, name in enumerate(letter.objection_measures):
        if name not in known:
            problem(
                ("objection_measures", i),
                "POLICY_UNKNOWN_MEASURE",
                f"{name!r} is not a measure of the verdict{suggest(name, known)}",
            )
        elif name in objection:
            problem(("objection_measures", i), "POLICY_DUPLICATE_ID", f"{name!r} is listed twice")
        objection.add(name)
    return CompiledLetter(law_names, kinds, measure_words, texts, frozenset(objection & set(known)))
