# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The names of the pack sentences each domain's decision letter says.

A letter template reads the sentences that state the law as ``letter.NAME`` (:mod:`maatwerk.letters`);
a national pack gives them in its ``letter`` section (:mod:`maatwerk._policy.letter` checks it). Both
read the names here, and so do the sample contexts a template is checked on, so the three cannot
name different sentences. Only names: the words are the packs'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["LETTER_VOCABULARY", "LetterVocabulary"]


@dataclass(frozen=True, slots=True)
class LetterVocabulary:
    """The pack sentences a domain's letter says (``letter.NAME`` in the context), which the domain's
    national pack gives in its ``letter`` section: the named ``texts``, and (``measures``) what each
    measure of the verdict means. The domain specs read it, so the letter templates, the samples they
    are checked on and the loader's check of a pack name the same sentences."""

    texts: tuple[str, ...]
    #: The sentences that give the objection clause: a municipal template must print them visibly in every
    #: letter open to objection (``maatwerk check``: LETTER_OBJECTION_CLAUSE).
    objection: tuple[str, ...] = ()
    measures: bool = False


#: Each domain's letter vocabulary.
LETTER_VOCABULARY: Mapping[str, LetterVocabulary] = {
    "benefits": LetterVocabulary(
        (
            "duty",
            "referral",
            "culpability_basis",
            "calculation",
            "urgent_reasons",
            "report",
            "objection",
            "objection_contents",
            "conditional_fine",
            "warning_repeat",
            "recovery_no_penalty",
            "culpability_intro",
            "culpability_opzet",
            "culpability_grove_schuld",
            "culpability_normaal",
            "culpability_verminderd",
            "culpability_geen",
            "ability",
            "urgent_present",
            "urgent_absent",
            "warning",
            "loss_gross",
            "loss_net",
            "ability_capped",
            "ability_no_data",
            "ability_enough",
            "report_response",
            "own_choice",
            "objection_item_name",
            "objection_item_date",
            "objection_item_grounds",
            "objection_item_signature",
            "culpability_admission",
            "culpability_concealed_work_or_income",
            "culpability_concealed_household_or_assets",
            "culpability_opzet_from_facts",
            "culpability_repeated_failure",
            "culpability_careless_together",
            "culpability_grove_schuld_from_facts",
            "culpability_life_events",
            "culpability_mental_state",
            "culpability_self_correction",
            "culpability_municipality_role",
            "culpability_circumstances_together",
            "culpability_verminderd_from_facts",
        ),
        objection=("objection", "objection_contents"),
    ),
    "providers": LetterVocabulary(
        (
            "no_basis_needed",
            "objection",
            "objection_contents",
            "objection_contents_without_reference",
            "no_objection_contract",
            "no_objection",
            "grounds_intro",
            "own_choice",
        ),
        objection=("objection",),
        measures=True,
    ),
}
