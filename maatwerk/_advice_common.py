"""What every advice builder shares: reading the trace, citing sources, and the reasoning as data.

A builder per domain (:mod:`maatwerk._advice` for benefits, :mod:`maatwerk._provider_advice` for
providers) derives from :class:`AdviceBase`. Nothing here knows a domain.
"""

from __future__ import annotations

from collections.abc import Mapping

from maatwerk._engine.core import Trace
from maatwerk._policy.facts import Encoded, PyValue
from maatwerk._policy.stack import ResolvedParam, Stack
from maatwerk.models._base import Text
from maatwerk.models.advice import DecisionFactor, FollowUp, LegalBasis, MissingFact, ParameterUse, ReasoningStep

__all__ = ["AdviceBase", "basis_of", "show"]


def basis_of(stack: Stack, ids: tuple[str, ...] | list[str]) -> tuple[LegalBasis, ...]:
    """The legal bases of ``stack`` with these source ids, in order."""
    out = []
    for sid in ids:
        s = stack.sources[sid]
        out.append(LegalBasis(id=sid, citation=s.citation, identifier=s.identifier, url=s.url))
    return tuple(out)


def show(value: PyValue) -> str:
    """An input value as a caseworker reads it in a reasoning step."""
    if value is None:
        return "onbekend"
    if isinstance(value, bool):
        return "ja" if value else "nee"
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

    def out(self, name: str) -> Encoded:
        return self.trace.fact[name]

    def flag(self, name: str) -> bool:
        return self.trace.fact[name] == 1

    def param_use(self, name: str) -> ParameterUse:
        r = self.params[name]
        return ParameterUse(
            name=name,
            value=str(r.value) if not hasattr(r.value, "isoformat") else r.value.isoformat(),
            valid_from=r.valid_from.isoformat(),
            basis=basis_of(self.stack, [r.source])[0],
            verify=r.verify,
        )

    def rule_basis(self, *rule_ids: str) -> tuple[LegalBasis, ...]:
        """The sources cited by those of these rules that fired."""
        ids: list[str] = []
        for rid in rule_ids:
            rule = self.stack.rules_by_id.get(rid)
            if rule is not None and rid in self.fired:
                ids.extend(b for b in rule.basis if b not in ids)
        return basis_of(self.stack, ids)

    def steps(self) -> tuple[ReasoningStep, ...]:
        """One reasoning step per fired rule, in evaluation order, with the inputs it read."""
        steps = []
        for rid in self.trace.fired:
            rule = self.stack.rules_by_id[rid]
            inputs = {}
            for name in sorted(rule.reads):
                spec = self.stack.facts[name]
                inputs[name] = show(self.values.get(name)) if not spec.output else str(self.trace.fact[name])
            steps.append(
                ReasoningStep(
                    rule_id=rid,
                    pack=f"{rule.pack_id}@{rule.pack_version}",
                    stage=rule.stage,
                    basis=basis_of(self.stack, rule.basis),
                    principles=rule.principles,
                    text=Text(nl=rule.reason.nl, en=rule.reason.en),
                    inputs=inputs,
                )
            )
        return tuple(steps)

    def factors(self, decision: str) -> tuple[DecisionFactor, ...]:
        """The factors that fired rules contribute to a decision for a person, in evaluation order."""
        return tuple(
            DecisionFactor(text=Text(nl=rule.reason.nl, en=rule.reason.en), direction=fac.direction, rule_id=rule.id)
            for rule in self.stack.rules
            if rule.id in self.fired
            for fac in rule.factors
            if fac.decision == decision
        )

    def followups(self) -> tuple[FollowUp, ...]:
        seen: list[str] = []
        for rid in self.trace.fired:
            for fu in self.stack.rules_by_id[rid].followups:
                if fu not in seen:
                    seen.append(fu)
        return tuple(
            FollowUp(
                id=f,
                text=Text(nl=self.stack.followups[f].text.nl, en=self.stack.followups[f].text.en),
                principles=tuple(self.stack.followups[f].principles),
                audience=self.stack.followups[f].audience,
            )
            for f in seen
        )

    def unknown_inputs(self, skip: frozenset[str], field_of: Mapping[str, str]) -> list[MissingFact]:
        """Every unknown input fact that a rule of the stack reads (except ``skip``), with its readers."""
        readers: dict[str, list[str]] = {}
        for rule in self.stack.rules:
            for name in rule.reads:
                readers.setdefault(name, []).append(rule.id)
        out = []
        for name in sorted(readers):
            spec = self.stack.facts[name]
            if spec.output or name in skip or self.values.get(name) is not None:
                continue
            out.append(
                MissingFact(
                    fact=name,
                    field=field_of.get(name, name),
                    why=Text(
                        nl=f"Onbekend; regels die dit lezen: {', '.join(readers[name])}.",
                        en=f"Unknown; read by rules: {', '.join(readers[name])}. {spec.description}",
                    ),
                    rules=tuple(readers[name]),
                )
            )
        return out
