# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The providers domain (Wmo 2015, Jeugdwet): a :class:`~maatwerk.models.ProviderCase` is judged by
the law of its decision date (measures that restore compliance, herstelsancties, never compare
an older law); the measure climbs the packs' ladder (:mod:`maatwerk._domains.providers_builder`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from maatwerk._advice.memo import bounded, memo
from maatwerk._advice.plain import AdviceData, OutcomeData
from maatwerk._advice.verdict import Ladder, resolved_ladder
from maatwerk._domains import Note
from maatwerk._domains.facts import encode_facts, provider_facts
from maatwerk._domains.providers_builder import ProviderBuilder, failed_rung, ladder_of
from maatwerk._engine import Evaluator, Trace
from maatwerk._engine.compiled import CompiledEvaluator
from maatwerk._policy.stack import PolicySet, ResolvedParams, Selection, Stack
from maatwerk.models.advice import PackRef
from maatwerk.models.provider import ProviderCase

__all__ = ["PROVIDERS", "rungs"]

# What-ifs re-run the same rules on the changed facts through the compiled evaluator (see
# maatwerk._domains.benefits: it agrees with the other evaluators on every case).
_WHAT_IF = CompiledEvaluator()


def rungs(policies: PolicySet) -> dict[str, int]:
    """The rung of each measure on the ladders of the national provider packs (``geen_maatregel``: 0)."""
    found = {"geen_maatregel": 0}
    for versions in policies.packs.values():
        for pack in versions:
            ladder = None if pack.verdict is None else pack.verdict.ladder
            if pack.file.pack.domain == "providers" and ladder is not None:
                found.update((r.name, r.rung) for r in ladder.rungs)
    return found


class _Providers:
    name = "providers"
    case_model = ProviderCase

    def select(self, policies: PolicySet, municipality: str | None, case: ProviderCase) -> Selection:
        # Provider measures restore compliance (herstelsancties): the law on the decision date
        # applies, so conduct and decision share one stack.
        day = case.decision_date
        return policies.select("providers", municipality, day, day, law=case.law.value)

    def evaluate(
        self,
        evaluator: Evaluator,
        case: ProviderCase,
        stack: Stack,
        sel: Selection,  # noqa: ARG002
    ) -> tuple[Trace, ResolvedParams, Mapping[str, Any]]:
        params = stack.resolve_params(case.decision_date, case.decision_date)
        values = provider_facts(case, params, stack.declared)
        trace = evaluator.evaluate(stack, stack.condition_key(params), encode_facts(stack.facts, values))
        return trace, params, values

    def outcome(self, evaluator: Evaluator, case: ProviderCase, sel: Selection, engine: str) -> OutcomeData:
        stack = sel.decision
        trace, params, values = self.evaluate(evaluator, case, stack, sel)

        def no_what_ifs(_changed: Mapping[str, Any]) -> Any:
            raise RuntimeError("an outcome has no what-ifs")

        return ProviderBuilder(case, stack, params, values, trace, no_what_ifs).outcome(
            packs=_packs(stack), engine=engine
        )

    def advise(self, evaluator: Evaluator, case: ProviderCase, sel: Selection, engine: str, note: Note) -> AdviceData:  # noqa: ARG002
        stack = sel.decision
        trace, params, values = self.evaluate(evaluator, case, stack, sel)
        key = stack.condition_key(params)
        hist = params["historie_termijn_jaren"].value
        assert isinstance(hist, int)
        failed = failed_rung(case, hist, resolved_ladder(stack, key).earlier)
        inputs = memo(stack, "input_facts", lambda: tuple(n for n, spec in stack.facts.items() if not spec.output))

        def what_if(changed: Mapping[str, Any]) -> Ladder:
            # The same rules on changed facts, through the compiled evaluator.
            # Provider facts take few values, so the same changed facts recur across cases: the
            # ladder is kept per stack, parameters, failed rung and input facts.
            return bounded(
                stack,
                "what_if",
                (key, failed, tuple(map(changed.get, inputs))),
                lambda: ladder_of(
                    stack, key, _WHAT_IF.evaluate(stack, key, encode_facts(stack.facts, changed)).fact, failed
                ),
            )

        return ProviderBuilder(case, stack, params, values, trace, what_if).build(packs=_packs(stack), engine=engine)


def _packs(stack: Stack) -> tuple[PackRef, ...]:
    """The packs of an advice under ``stack``: made once per stack (frozen, shared)."""
    found: tuple[PackRef, ...] | None = stack.memo.get("pack_refs")
    if found is None:
        found = stack.memo["pack_refs"] = _make_packs(stack)
    return found


def _make_packs(stack: Stack) -> tuple[PackRef, ...]:
    return tuple(
        PackRef(
            id=p.id,
            version=p.version,
            sha256=p.sha256,
            role=p.file.pack.layer,
            used_for="gedrag_en_procedure",
            in_force=not p.proposed,
        )
        for p in stack.packs
    )


PROVIDERS = _Providers()
