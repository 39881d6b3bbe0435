# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The benefits domain (Participatiewet, IOAW, IOAZ, Bbz): a :class:`~maatwerk.models.BenefitCase`
is judged by the law of the day its conduct began and of its decision date (the milder one wins,
Sr art. 1 lid 2 via Awb 5:46); its facts and the Boetebesluit's arithmetic are
:mod:`maatwerk._domains.facts` and :mod:`maatwerk._domains.benefits_builder`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from maatwerk._advice.plain import AdviceData, OutcomeData, ReasoningStepData
from maatwerk._domains import Note
from maatwerk._domains.benefits_builder import Builder
from maatwerk._domains.facts import benefit_facts, encode_facts
from maatwerk._engine import Evaluator, Trace
from maatwerk._engine.compiled import CompiledEvaluator
from maatwerk._policy.stack import PolicySet, ResolvedParams, Selection, Stack
from maatwerk.models.advice import PackRef
from maatwerk.models.case import BenefitCase

__all__ = ["BENEFITS", "RANK"]

#: Benefit measures from mildest to heaviest, for the milder law (lex mitior): a conditional fine
#: is milder than a fine.
RANK = {
    "geen_boete": 0,
    "waarschuwing": 1,
    "voorwaardelijke_boete": 2,
    "boete": 3,
    "beslissing_nodig": 4,
    "aangifte": 5,
}

# What-ifs re-run the same rules on the changed facts through the compiled evaluator (each stack's
# rules generated into one Python function; proven to agree with durable-rules and the reference
# evaluator on every scenario and on generated cases): about a tenth of the reference walker's time,
# and it needs no rules engine session.
_WHAT_IF = CompiledEvaluator()


class _Benefits:
    name = "benefits"
    case_model = BenefitCase

    def select(self, policies: PolicySet, municipality: str | None, case: BenefitCase) -> Selection:
        return policies.select("benefits", municipality, case.violation.period.start, case.decision_date)

    def evaluate(
        self, evaluator: Evaluator, case: BenefitCase, stack: Stack, sel: Selection
    ) -> tuple[Trace, ResolvedParams, Mapping[str, Any]]:
        conduct = case.violation.period.start
        # The first version of the national pack (also when a later version judges the conduct,
        # as the milder law): conduct before it is judged only from its first day on. Taken from
        # the selection's pack set, so that a concurrent reload cannot mix two sets in one advice.
        first = sel.first_versions.get(stack.packs[0].id, stack.packs[0])
        if first.file.pack.covers_earlier_conduct and conduct < first.valid_from:
            # Only conduct from the first version on can be fined (the pack's rules split the
            # amount), so the parameters of that part apply.
            conduct = first.valid_from
        params = stack.resolve_params(conduct, case.decision_date, case.violation.period.start)
        values = benefit_facts(case, params, stack.declared)
        trace = evaluator.evaluate(stack, stack.condition_key(params), encode_facts(stack.facts, values))
        return trace, params, values

    def advise(self, evaluator: Evaluator, case: BenefitCase, sel: Selection, engine: str, note: Note) -> AdviceData:
        extra: list[ReasoningStepData] = []
        if sel.earlier_conduct:
            extra.append(note(sel.conduct, "eerder_gedrag"))
        advice = self.under(evaluator, case, sel.decision, sel, engine, tuple(extra))
        if sel.changed:
            other = self.under(evaluator, case, sel.conduct, sel, engine, tuple(extra))
            milder = min(
                (advice, other), key=lambda a: (RANK[a["measure"]["kind"]], a["measure"]["amount"] or Decimal(0))
            )
            advice = {**milder, "steps": (note(sel.decision, "lex_mitior"), *milder["steps"])}
        return advice

    def outcome(self, evaluator: Evaluator, case: BenefitCase, sel: Selection, engine: str) -> OutcomeData:
        found = self._outcome(evaluator, case, sel.decision, sel, engine)
        if sel.changed:
            other = self._outcome(evaluator, case, sel.conduct, sel, engine)
            found = min((found, other), key=lambda o: (RANK[o["measure"]], o["amount"] or Decimal(0)))
        return found

    def _outcome(
        self, evaluator: Evaluator, case: BenefitCase, stack: Stack, sel: Selection, engine: str
    ) -> OutcomeData:
        trace, params, values = self.evaluate(evaluator, case, stack, sel)
        return Builder(case, stack, params, values, trace, None).outcome(packs=_packs(stack, sel), engine=engine)

    def under(
        self,
        evaluator: Evaluator,
        case: BenefitCase,
        stack: Stack,
        sel: Selection,
        engine: str,
        extra: tuple[ReasoningStepData, ...],
    ) -> AdviceData:
        """The advice under one stack (the conduct's or the decision's), before the milder law is chosen."""
        trace, params, values = self.evaluate(evaluator, case, stack, sel)
        key = stack.condition_key(params)

        def rerun(changed: Mapping[str, Any]) -> Trace:
            return _WHAT_IF.evaluate(stack, key, encode_facts(stack.facts, changed))

        return Builder(case, stack, params, values, trace, rerun).build(
            packs=_packs(stack, sel), engine=engine, extra_steps=extra
        )


def _packs(stack: Stack, sel: Selection) -> tuple[PackRef, ...]:
    """The packs of an advice under ``stack``, each with what it was used for: the same for every
    case that selects ``stack`` in the same role, so made once per stack and role (frozen models,
    shared as the advice's other per-stack parts are)."""
    role = "alone" if not sel.changed else ("conduct" if stack is sel.conduct else "decision")
    key = ("pack_refs", role)
    found: tuple[PackRef, ...] | None = stack.memo.get(key)
    if found is None:
        found = stack.memo[key] = _make_packs(stack, sel)
    return found


def _make_packs(stack: Stack, sel: Selection) -> tuple[PackRef, ...]:
    packs = []
    for pack in stack.packs:
        role = pack.file.pack.layer
        used = (
            "gedrag_en_procedure"
            if role == "municipal" or not sel.changed
            else ("gedrag" if stack is sel.conduct else "procedure")
        )
        packs.append(
            PackRef(
                id=pack.id,
                version=pack.version,
                sha256=pack.sha256,
                role=role,
                used_for=used,
                in_force=not pack.proposed,
            )
        )
    return tuple(packs)


BENEFITS = _Benefits()
