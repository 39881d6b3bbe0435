# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What every advice builder shares: reading the trace, citing sources, and the reasoning as data.

A builder per domain (:mod:`maatwerk._domains.benefits_builder` for benefits, :mod:`maatwerk._domains.providers_builder` for
providers) derives from :class:`AdviceBase`. Nothing here knows a domain.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping

from maatwerk._advice.memo import (
    bounded,
    decision_factor,
    followup,
    legal_basis,
    memo,
    parameter_use,
    readers,
    reason,
    reason_params,
)
from maatwerk._advice.plain import (
    DecisionFactorData,
    FollowUpData,
    LegalBasisData,
    MissingFactData,
    ParameterUseData,
    ReasoningStepData,
)
from maatwerk._engine.core import Trace
from maatwerk._policy.facts import Encoded, PyValue
from maatwerk._policy.stack import CompiledRule, ResolvedParam, Stack
from maatwerk._texts import say

__all__ = ["AdviceBase", "basis_of", "show"]


def basis_of(stack: Stack, ids: tuple[str, ...] | list[str], law: str | None = None) -> tuple[LegalBasisData, ...]:
    """The legal bases of ``stack`` with these source ids, in order, per-law sources cited for
    ``law`` (built once per stack and law)."""
    return legal_basis(stack, ids, law)


def show(value: PyValue) -> str:
    """An input value as a caseworker reads it in a reasoning step."""
    if value is None:
        return say("advice.unknown", "nl")
    if isinstance(value, bool):
        return say("advice.yes" if value else "advice.no", "nl")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class AdviceBase:
    """The trace of one evaluation, with the helpers that turn fired rules into reasoning."""

    def __init__(
        self, stack: Stack, params: Mapping[str, ResolvedParam], values: Mapping[str, PyValue], trace: Trace
    ) -> None:
        self.stack = stack
        self.params = params
        self.values = values
        self.trace = trace
        self.fired = set(trace.fired)
        law = values.get("law")
        #: The case's law: a per-law source is cited as this law's article.
        self.law = law if isinstance(law, str) else None

    def out(self, name: str) -> Encoded:
        return self.trace.fact[name]

    def flag(self, name: str) -> bool:
        return self.trace.fact[name] == 1

    def param_use(self, name: str) -> ParameterUseData:
        return parameter_use(self.stack, self.params[name], self.law)

    def basis(self, *ids: str) -> tuple[LegalBasisData, ...]:
        """The citations of these sources for this case's law."""
        return legal_basis(self.stack, ids, self.law)

    def rule_basis(self, *rule_ids: str) -> tuple[LegalBasisData, ...]:
        """The sources cited by those of these rules that fired."""
        ids: list[str] = []
        for rid in rule_ids:
            rule = self.stack.rules_by_id.get(rid)
            if rule is not None and rid in self.fired:
                ids.extend(b for b in rule.basis if b not in ids)
        return legal_basis(self.stack, ids, self.law)

    def steps(self) -> tuple[ReasoningStepData, ...]:
        """One reasoning step per fired rule, in evaluation order, with the inputs it read.

        A step depends only on its rule and the values the rule read, which for most rules take few
        values (booleans, levels); so steps are kept per stack in a bounded table, keyed on those values.
        """
        steps = []
        stack = self.stack
        values = self.values
        fact = self.trace.fact
        law = self.law
        reading = _rule_reads(stack)
        params = self.params
        for rid in self.trace.fired:
            rule, reads, named = reading[rid]
            key: Hashable = (rid, tuple(fact[name] if output else values.get(name) for name, output in reads), law)
            if named:  # its reason names parameters: their values on the case's dates are part of the step
                key = (key, tuple(params[name].value for name in named))
            steps.append(bounded(stack, "steps", key, functools.partial(self._step, rule, reads), limit=1024))
        return tuple(steps)

    def _step(self, rule: CompiledRule, reads: tuple[tuple[str, bool], ...]) -> ReasoningStepData:
        stack = self.stack
        inputs = {name: str(self.trace.fact[name]) if output else show(self.values.get(name)) for name, output in reads}
        return {
            "rule_id": rule.id,
            "pack": f"{rule.pack_id}@{rule.pack_version}",
            "stage": rule.stage,
            "basis": legal_basis(stack, rule.basis, self.law),
            "principles": rule.principles,
            "text": reason(stack, rule, self.params),
            "inputs": inputs,
        }

    def factors(self, decision: str) -> tuple[DecisionFactorData, ...]:
        """The factors that fired rules contribute to a decision for a person, in evaluation order."""
        return tuple(
            decision_factor(self.stack, rule, fac, self.params)
            for rule in self.stack.rules
            if rule.id in self.fired
            for fac in rule.factors
            if fac.decision == decision
        )

    def followups(self) -> tuple[FollowUpData, ...]:
        seen: list[str] = []
        for rid in self.trace.fired:
            for fu in self.stack.rules_by_id[rid].followups:
                if fu not in seen:
                    seen.append(fu)
        return tuple(followup(self.stack, f) for f in seen)

    def unknown_inputs(self, skip: frozenset[str], field_of: Mapping[str, str]) -> list[MissingFactData]:
        """Every unknown input fact that a rule of the stack reads (except ``skip``), with its readers."""
        stack = self.stack
        values = self.values
        out = []
        for name in memo(stack, "read_inputs", lambda: _read_inputs(stack)):
            if name in skip or values.get(name) is not None:
                continue
            out.append(_unknown_fact(stack, name, field_of.get(name, name)))
        return out


def _read_inputs(stack: Stack) -> tuple[str, ...]:
    """The input facts (no rule sets them) that some rule of the stack reads, sorted."""
    return tuple(name for name in sorted(readers(stack)) if not stack.facts[name].output)


def _rule_reads(stack: Stack) -> dict[str, tuple[CompiledRule, tuple[tuple[str, bool], ...], tuple[str, ...]]]:
    """Per rule id of the stack: the rule, the facts it reads, sorted, each with whether a rule sets it,
    and the parameters its reason names (found once per stack; shared, do not mutate)."""
    return memo(
        stack,
        "rule_reads",
        lambda: {
            r.id: (r, tuple((n, stack.facts[n].output) for n in sorted(r.reads)), reason_params(stack, r))
            for r in stack.rules
        },
    )


def _unknown_fact(stack: Stack, name: str, field: str) -> MissingFactData:
    """An unknown input fact that rules read (shared per stack)."""

    def make() -> MissingFactData:
        from maatwerk._advice.verdict import fill_case_free

        read_by = readers(stack)[name]
        values = {"rules": ", ".join(read_by), "description": stack.facts[name].description}
        return {
            "fact": name,
            "field": field,
            "why": fill_case_free(stack, stack.verdict.texts["missing_input"], None, values),
            "rules": read_by,
        }

    return memo(stack, ("missing", name, field), make)
