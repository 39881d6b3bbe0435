# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Evaluate a stack's verdict (pack data, :mod:`maatwerk._policy.verdict`) on one case.

After the rules have fired, the domain works out its verdict facts (can the fine be computed, is
the ladder short) and its template values (the amount, the level in words); this module then picks
the measure (the first step of the pack's choice whose conditions hold), asks the pack's decisions
whose condition holds, and states the pack's what-ifs, computing the changed advice through the
domain's probe (the same compiled rules on the changed facts). Every text is the pack's template,
filled in with the stack's parameters and citations for the case's own law.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from maatwerk._advice.memo import bounded, case_free_text, legal_basis, memo, reason
from maatwerk._advice.plain import (
    AlternativeData,
    AlternativeOutcomeData,
    CounterfactualData,
    DecisionFactorData,
    HumanDecisionData,
    LegalBasisData,
    TextData,
    TrackData,
    TrackOutcomeData,
    money,
    text,
)
from maatwerk._engine.compiled import FirstHolding, Holds, first_holding, holds
from maatwerk._format import eur
from maatwerk._policy.amounts import compute
from maatwerk._policy.conditions import All, Cond, conjoin_not, resolve
from maatwerk._policy.facts import Encoded, FactSpec, encode_into
from maatwerk._policy.schema import TrackBasis
from maatwerk._policy.stack import CompiledRule, ResolvedParam, ResolvedParams, Stack
from maatwerk._policy.verdict import (
    VERDICT_FACTS,
    CompiledAlternative,
    CompiledChoice,
    CompiledDecision,
    CompiledLadder,
    CompiledRung,
    CompiledTrack,
    CompiledTrackCase,
    CompiledVerdict,
    CompiledWhatIf,
    Placeholder,
    Template,
)

__all__ = ["Ladder", "Probe", "VerdictRun", "climb", "engine_step", "fill_case_free", "resolved_ladder"]


@dataclass(frozen=True, slots=True)
class Probe:
    """The advice on changed facts, as far as a what-if needs it."""

    measure: str
    amount: Decimal | None
    complete: bool
    """The amount is what the advice would be (nothing it needs is missing)."""


@dataclass(frozen=True, slots=True)
class _Resolved:
    """The verdict's conditions with the parameters of one condition key filled in."""

    choice: tuple[tuple[CompiledChoice, Cond], ...]
    decisions: tuple[tuple[CompiledDecision, Cond, tuple[Cond, ...]], ...]
    what_ifs: tuple[tuple[CompiledWhatIf, Cond], ...]
    tracks: tuple[tuple[CompiledTrack, tuple[tuple[CompiledTrackCase, Cond], ...]], ...]
    alternatives: tuple[tuple[CompiledAlternative, Cond, Cond | None, Cond, tuple[tuple[Cond, Template], ...]], ...]
    deadlines: Mapping[str, tuple[tuple[Cond, str], ...]]
    sets: Mapping[str, tuple[tuple[str, Cond], ...]]
    ladder: CompiledLadder | None
    #: The choice's and each track's conditions as generated functions (which holds first).
    first_choice: FirstHolding
    first_case: tuple[FirstHolding, ...]
    #: The ladder's conditions as generated functions.
    ladder_holds: _LadderHolds | None
    #: The other conditions as generated functions, in the same order as the fields above.
    fns: _Generated


@dataclass(frozen=True, slots=True)
class _LadderHolds:
    """A resolved ladder's conditions as generated functions (:func:`maatwerk._engine.compiled.holds`)."""

    escalate: Holds
    excluded: Holds
    #: Per rung, in the ladder's order: whether it is lawful, whether it is preferred.
    lawful: tuple[Holds, ...]
    preferred: tuple[Holds, ...]
    #: Per ``drop_rung`` entry, in order: the rung it names and its condition.
    drop_rung: tuple[tuple[int, Holds], ...]

    @classmethod
    def of(cls, ladder: CompiledLadder) -> _LadderHolds:
        by_name: dict[str, int] = {}
        for r in ladder.rungs:
            by_name.setdefault(r.name, r.rung)  # the first rung of that name, as the ladder reads
        return cls(
            holds(ladder.escalate),
            holds(ladder.excluded),
            tuple(holds(r.lawful) for r in ladder.rungs),
            tuple(holds(r.preferred) for r in ladder.rungs),
            tuple((by_name[measure], holds(cond)) for measure, cond in ladder.drop_rung),
        )


@dataclass(frozen=True, slots=True)
class _Generated:
    """The resolved verdict's conditions (other than the choice's, the tracks' and the ladder's rungs)
    as generated functions (:func:`maatwerk._engine.compiled.holds` and ``first_holding``): what
    :func:`~maatwerk._policy.conditions.evaluate` gives on the same fact, leaf for leaf."""

    #: Per choice step: whether its conditions hold.
    choice: tuple[Holds, ...]
    #: Per decision: whether it is asked, and whether each of its factors holds.
    decisions: tuple[tuple[Holds, tuple[Holds, ...]], ...]
    #: Per what-if: whether it holds.
    what_ifs: tuple[Holds, ...]
    #: Per alternative: whether it is shown, chosen (``None``: never), lawful, and its first reason.
    alternatives: tuple[tuple[Holds, Holds | None, Holds, FirstHolding], ...]
    #: Per measure: which of its deadline terms holds first.
    deadlines: Mapping[str, FirstHolding]
    #: Per measure: whether each fact it sets holds.
    sets: Mapping[str, tuple[Holds, ...]]
    #: Per part of the ladder's summary: whether it is said.
    summary: tuple[Holds, ...]


def _resolve(verdict: CompiledVerdict, key: tuple[tuple[str, Encoded], ...]) -> _Resolved:
    values = dict(key)

    def r(cond: Cond) -> Cond:
        return resolve(cond, values)

    choice = []
    for c in verdict.choice:
        parts: list[Cond] = [r(c.when), r(c.lawful), r(c.preferred)]
        whole: Cond = All(tuple(parts))
        if c.blocked is not None:
            whole = conjoin_not(whole, (r(c.blocked),))
        choice.append((c, whole))
    tracks = tuple((t, tuple((c, r(c.when)) for c in t.cases)) for t in verdict.tracks)
    ladder = None if verdict.ladder is None else _resolve_ladder(verdict.ladder, r)
    decisions = tuple((d, r(d.when), tuple(r(f.when) for f in d.factors)) for d in verdict.decisions)
    what_ifs = tuple((w, r(w.when)) for w in verdict.what_ifs)
    alternatives = tuple(
        (
            a,
            r(a.show),
            None if a.chosen is None else r(a.chosen),
            r(a.lawful),
            tuple((r(c), t) for c, t in a.why),
        )
        for a in verdict.alternatives
    )
    deadlines = {m: tuple((r(c), p) for c, p in terms) for m, terms in verdict.deadlines.items()}
    sets = {m: tuple((f, r(c)) for f, c in sets) for m, sets in verdict.measure_sets.items()}
    fns = _Generated(
        tuple(holds(cond) for _, cond in choice),
        tuple((holds(cond), tuple(holds(f) for f in factors)) for _, cond, factors in decisions),
        tuple(holds(cond) for _, cond in what_ifs),
        tuple(
            (holds(show), None if chosen is None else holds(chosen), holds(lawful), first_holding([c for c, _ in why]))
            for _, show, chosen, lawful, why in alternatives
        ),
        {m: first_holding([c for c, _ in terms]) for m, terms in deadlines.items()},
        {m: tuple(holds(c) for _, c in terms) for m, terms in sets.items()},
        () if ladder is None else tuple(holds(c) for c, _ in ladder.summary),
    )
    return _Resolved(
        tuple(choice),
        decisions,
        what_ifs,
        tracks,
        alternatives,
        deadlines,
        sets,
        ladder,
        first_holding([cond for _, cond in choice]),
        tuple(first_holding([cond for _, cond in cases]) for _, cases in tracks),
        None if ladder is None else _LadderHolds.of(ladder),
        fns,
    )


def _resolve_ladder(ladder: CompiledLadder, r: Callable[[Cond], Cond]) -> CompiledLadder:
    return replace(
        ladder,
        rungs=tuple(replace(rung, lawful=r(rung.lawful), preferred=r(rung.preferred)) for rung in ladder.rungs),
        escalate=r(ladder.escalate),
        excluded=r(ladder.excluded),
        drop_rung=tuple((m, r(c)) for m, c in ladder.drop_rung),
        summary=tuple((r(c), t) for c, t in ladder.summary),
    )


@dataclass(frozen=True, slots=True)
class Ladder:
    """Where a case lands on the ladder of measures."""

    needed: int
    available: tuple[CompiledRung, ...]
    """The measures with a basis, lightest first (the preferred one first within a rung)."""
    chosen: CompiledRung | None
    short: bool
    """No measure with a basis reaches the needed rung."""


def resolved_ladder(stack: Stack, key: tuple[tuple[str, Encoded], ...]) -> CompiledLadder:
    """The stack's ladder with the parameters of one condition key filled in."""
    ladder = memo(stack, ("verdict", key), lambda: _resolve(stack.verdict, key)).ladder
    if ladder is None:
        raise LookupError("the national pack's verdict has no ladder (verdict.ladder)")
    return ladder


def climb(
    stack: Stack, key: tuple[tuple[str, Encoded], ...], fact: Mapping[str, Encoded], needed: int, failed: int, top: int
) -> Ladder:
    """The lightest measure whose basis holds at or above the needed rung (``needed``: the rung the
    rules ask for; ``failed``: the rung of an earlier measure that did not work): a pure function of
    the rules' facts and the stack's ladder under the parameters ``key`` (its conditions generated
    once per stack and key, as the choice's and the tracks' are)."""
    resolved = memo(stack, ("verdict", key), lambda: _resolve(stack.verdict, key))
    ladder, fns = resolved.ladder, resolved.ladder_holds
    if ladder is None or fns is None:
        raise LookupError("the national pack's verdict has no ladder (verdict.ladder)")
    if failed and fns.escalate(fact):
        needed = max(needed, min(failed + 1, top))
    rungs = ladder.rungs
    lawful = [i for i, lawful_here in enumerate(fns.lawful) if lawful_here(fact)]
    for rung, dropping in fns.drop_rung:
        if needed == rung and dropping(fact):
            needed -= 1
    lawful.sort(key=lambda i: (rungs[i].rung, not fns.preferred[i](fact)))
    available = [rungs[i] for i in lawful]
    if fns.excluded(fact) or not available:
        return Ladder(needed, tuple(available), None, False)
    reaching = [r for r in available if r.rung >= needed]
    if reaching:
        return Ladder(needed, tuple(available), reaching[0], False)
    return Ladder(needed, tuple(available), available[-1], True)


class VerdictRun:
    """The verdict of one case: create one per advice, after the rules have fired."""

    def __init__(
        self,
        stack: Stack,
        params: Mapping[str, ResolvedParam],
        key: tuple[tuple[str, Encoded], ...],
        fact: Mapping[str, Encoded],
        fired: tuple[str, ...],
        law: str | None,
        verdict_facts: Mapping[str, bool | int],
        amount_inputs: Callable[[], Mapping[str, Decimal | None]] | None = None,
    ) -> None:
        """``amount_inputs`` gives the case's money inputs of the stack's amounts (``{amount:NAME}``),
        asked for only when a text names an amount; without it, every amount with an input is unknown."""
        self.stack = stack
        self._amount_inputs = amount_inputs
        self._inputs: Mapping[str, Decimal | None] | None = None
        self._amounts: dict[str, TextData] = {}
        #: The amounts said so far that could not be computed, in the order said, each with the inputs
        #: it lacks (the advice lists those as missing facts).
        self.unknown_amounts: dict[str, tuple[str, ...]] = {}
        self.params = params
        self.law = law
        self.fired = fired
        self.resolved = memo(stack, ("verdict", key), lambda: _resolve(stack.verdict, key))
        current: dict[str, Encoded] = dict(fact)
        specs = _verdict_specs_of(stack)
        for name, value in verdict_facts.items():
            encode_into(current, specs[name], value)
        self.fact = current
        self.values: dict[str, TextData] = {}
        self._fired_set: frozenset[str] | None = None
        #: The prepared templates of this parameter set and law (:func:`_templates`), once asked.
        self._templates: dict[int, _Prepared] | None = None

    # -- the measure ---------------------------------------------------------------------------
    def choose(self) -> CompiledChoice:
        """The first step of the choice whose conditions hold (the pack's last step always does)."""
        found = self.resolved.first_choice(self.fact)
        if found >= 0:
            step = self.resolved.choice[found][0]
            self.fact["measure"] = step.measure
            return step
        raise LookupError(
            "the national pack's verdict chooses no measure for this case (verdict.choice is empty or its last "
            "step has a condition)"
        )

    def holds(self, step: CompiledChoice) -> bool:
        """Whether a step's conditions hold (for another measure than the one chosen)."""
        return any(
            s is step and fn(self.fact)
            for (s, _), fn in zip(self.resolved.choice, self.resolved.fns.choice, strict=True)
        )

    def label(self, measure: str) -> TextData:
        found = self.stack.verdict.measures.get(measure)
        if found is None:
            return text(measure, measure)
        return text(found.nl, found.en)

    def deadline(self, measure: str) -> str | None:
        """The parameter (in days) of the term the measure gives here, if any."""
        terms = self.resolved.deadlines.get(measure)
        if terms is None:
            return None
        found = self.resolved.fns.deadlines[measure](self.fact)
        return None if found < 0 else terms[found][1]

    def set_facts(self, measure: str) -> None:
        """Set the verdict facts the advised measure sets (each true when its condition holds)."""
        specs = _verdict_specs_of(self.stack)
        terms = self.resolved.sets.get(measure, ())
        if not terms:
            return
        for (name, _), fn in zip(terms, self.resolved.fns.sets[measure], strict=True):
            encode_into(self.fact, specs[name], fn(self.fact))

    def set_facts_to(self, values: Mapping[str, bool | int]) -> None:
        """Set verdict facts the domain works out after the measure is chosen."""
        specs = _verdict_specs_of(self.stack)
        for name, value in values.items():
            encode_into(self.fact, specs[name], value)

    def summary(self) -> TextData:
        """The ladder's summary: every part whose condition holds, in order."""
        ladder = self.resolved.ladder
        assert ladder is not None
        fact = self.fact
        parts = [
            self.render(t) for (_, t), fn in zip(ladder.summary, self.resolved.fns.summary, strict=True) if fn(fact)
        ]
        return text("".join(p["nl"] for p in parts), "".join(p["en"] for p in parts))

    # -- texts ---------------------------------------------------------------------------------
    def render(self, template: Template) -> TextData:
        """The template filled in for this case. What depends only on the stack, its parameters and
        the case's law (the literal parts, parameters, citations, named rules' reasons) is filled in
        once per parameter set and law (:func:`_templates`); a text with nothing else in it is one
        shared object in every advice that says it."""
        table = self._templates
        if table is None:
            table = self._templates = _templates(self.params, self.law)
        prepared = table.get(id(template)) if table is not None else None
        if prepared is None or prepared.template is not template:
            prepared = _prepare(self.stack, self.params, template, self.law)
            if table is not None:
                if len(table) >= _TEMPLATES_KEPT:  # only the stack's own templates come here: never in practice
                    table.clear()
                table[id(template)] = prepared
        if prepared.fixed is not None:
            return prepared.fixed
        return text(self._fill(prepared.nl, "nl"), self._fill(prepared.en, "en"))

    def _fill(self, parts: tuple[str | Placeholder, ...], lang: str) -> str:
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            else:
                out.append(self._value(part, lang))
        return "".join(out)

    def _value(self, ph: Placeholder, lang: str) -> str:
        """A placeholder that depends on the case: a fired rule's reason, or one of the domain's values."""
        if ph.kind == "reason":
            fired = self._fired()
            for rule in _setting(self.stack, ph.name):
                if rule.id in fired:
                    return reason(self.stack, rule, self.params)["nl" if lang == "nl" else "en"]
            return ""
        if ph.kind == "reasons":
            texts = [
                reason(self.stack, self.stack.rules_by_id[rid], self.params)
                for rid in self.fired
                if (ph.name, 1) in self.stack.rules_by_id[rid].sets
            ]
            return " ".join(t["nl" if lang == "nl" else "en"] for t in texts)
        if ph.kind == "value":
            return self.values[ph.name]["nl" if lang == "nl" else "en"]
        if ph.kind == "amount":
            return self.amount(ph.name)["nl" if lang == "nl" else "en"]
        # Only a text not prepared for this case's stack, parameters and law gets here.
        return case_free_text(self.stack, self.params, ph, lang, self.law)

    def amount(self, name: str) -> TextData:
        """One of the stack's amounts on this case (``€ 1.234,56``), or its ``unknown`` text when an input
        or a parameter's value is unknown."""
        found = self._amounts.get(name)
        if found is None:
            if self._inputs is None:
                self._inputs = {} if self._amount_inputs is None else self._amount_inputs()
            amount = self.stack.amounts[name]
            value = compute(amount, self._inputs, self.params)
            if value is None:
                self.unknown_amounts[name] = tuple(i for i in amount.inputs if self._inputs.get(i) is None)
            found = self.render(amount.unknown) if value is None else _money_text(value)
            self._amounts[name] = found
        return found

    def _fired(self) -> frozenset[str]:
        found = self._fired_set
        if found is None:
            found = self._fired_set = frozenset(self.fired)
        return found

    # -- alternatives ----------------------------------------------------------------------------
    def alternatives(self, amounts: Mapping[str, Decimal | None]) -> tuple[AlternativeData, ...]:
        """The alternatives of the pack that are shown: chosen or not, lawful or not, and the first reason
        that holds."""
        verdict = self.stack.verdict
        instead = verdict.measure_instead.get(str(self.fact.get("measure", "")))
        if instead is not None:
            self.values["measure_instead"] = self.render(instead)
        out: list[AlternativeData] = []
        fact = self.fact
        for (a, _, _, _, why), (show, chosen, lawful, first_why) in zip(
            self.resolved.alternatives, self.resolved.fns.alternatives, strict=True
        ):
            if not show(fact):
                continue
            found = first_why(fact)
            if found < 0:  # the loader makes every alternative's last reason unconditional
                raise LookupError(f"no reason of the verdict's alternative {a.id} holds for this case")
            out.append(
                {
                    "measure": a.id,
                    "amount": None if a.amount is None else money(amounts.get(a.amount)),
                    "chosen": chosen is not None and chosen(fact),
                    "lawful": lawful(fact),
                    "why": self.render(why[found][1]),
                }
            )
        return tuple(out)

    def alternative_outcomes(self) -> tuple[AlternativeOutcomeData, ...]:
        """The alternatives :meth:`alternatives` shows, chosen or not and lawful or not, without their
        reasons and amounts."""
        fact = self.fact
        return tuple(
            [
                {"measure": a.id, "chosen": chosen is not None and chosen(fact), "lawful": lawful(fact)}
                for (a, _, _, _, _), (show, chosen, lawful, _) in zip(
                    self.resolved.alternatives, self.resolved.fns.alternatives, strict=True
                )
                if show(fact)
            ]
        )

    def text(self, name: str, **values: str) -> TextData:
        """One of the pack's named sentences (``texts:``), with the values it names."""
        for key, value in values.items():
            self.values[key] = text(value, value)
        return self.render(self.stack.verdict.texts[name])

    def step_label(self, step: str, values: Mapping[str, str]) -> TextData:
        """The pack's label of a calculation step, with the step's own figures."""
        for name, value in values.items():
            self.values[name] = text(value, value)
        return self.render(self.stack.verdict.calculation[step])

    # -- tracks ----------------------------------------------------------------------------------
    def tracks(self, amounts: Mapping[str, Decimal | None]) -> tuple[TrackData, ...]:
        """Each track of the pack: its first case whose condition holds (the last always does)."""
        out: list[TrackData] = []
        measure = self.fact.get("measure")
        for (track, cases), first in zip(self.resolved.tracks, self.resolved.first_case, strict=True):
            found = first(self.fact)
            if found < 0:
                continue
            case = cases[found][0]
            status = case.status
            explanation = case.explanation
            if status == "measure":
                status, explanation = self.stack.verdict.measure_tracks[str(measure)]
            assert explanation is not None  # the loader requires one unless the measure gives it
            out.append(
                {
                    "id": track.id,
                    "status": status,
                    "amount": None if case.amount is None else money(amounts.get(case.amount)),
                    "basis": self._track_basis(case.basis or track.basis),
                    "explanation": self.render(explanation),
                }
            )
        return tuple(out)

    def track_outcomes(self, amounts: Mapping[str, Decimal | None]) -> tuple[TrackOutcomeData, ...]:
        """Each track's status and amount, as :meth:`tracks` gives them, without texts or citations."""
        out: list[TrackOutcomeData] = []
        measure = self.fact.get("measure")
        fact = self.fact
        for (track, cases), first in zip(self.resolved.tracks, self.resolved.first_case, strict=True):
            found = first(fact)
            if found < 0:
                continue
            case = cases[found][0]
            status = case.status
            if status == "measure":
                status = self.stack.verdict.measure_tracks[str(measure)][0]
            amount = None if case.amount is None else money(amounts.get(case.amount))
            out.append({"id": track.id, "status": status, "amount": amount})
        return tuple(out)

    def _track_basis(self, basis: TrackBasis) -> tuple[LegalBasisData, ...]:
        stack = self.stack
        measure = str(self.fact.get("measure", ""))
        # The rules a track may cite depend on the stack, the track and the measure alone: found
        # once (walking every rule of the stack per track was a tenth of an advice), then the fired
        # ones are cited, in the same order.
        ids = memo(stack, ("track_rules", id(basis), measure), lambda: _track_rules(stack, basis, measure))
        fired = self._fired()
        cited = tuple(rid for rid, _ in ids if rid in fired)
        # The citations depend only on the basis, the measure, which of its rules fired and the law:
        # a handful of combinations per stack, each made once.
        return bounded(
            stack, "track_basis", (id(basis), measure, cited, self.law), lambda: self._cited(basis, ids, cited)
        )

    def _cited(
        self, basis: TrackBasis, ids: tuple[tuple[str, tuple[str, ...]], ...], fired: tuple[str, ...]
    ) -> tuple[LegalBasisData, ...]:
        stack = self.stack
        cited: list[str] = []
        for rid, sources in ids:
            if rid in fired:
                cited.extend(b for b in sources if b not in cited)
        found = legal_basis(stack, basis.sources, self.law) + legal_basis(stack, cited, self.law)
        return found or legal_basis(stack, basis.otherwise, self.law)

    # -- decisions and what-ifs ------------------------------------------------------------------
    def decisions(
        self,
        rule_factors: Callable[[str], tuple[DecisionFactorData, ...]],
        available: tuple[str, ...] = (),
    ) -> tuple[HumanDecisionData, ...]:
        out: list[HumanDecisionData] = []
        fact = self.fact
        for (d, _, _), (asked, factor_fns) in zip(self.resolved.decisions, self.resolved.fns.decisions, strict=True):
            if not asked(fact):
                continue
            factors: list[DecisionFactorData] = [
                {"text": self.render(f.text), "direction": f.direction, "rule_id": f.id}
                for f, fc in zip(d.factors, factor_fns, strict=True)
                if fc(fact)
            ]
            if d.rule_factors:
                factors.extend(rule_factors(d.id))
            out.append(
                {
                    "id": d.id,
                    "question": self.render(d.question),
                    "factors": tuple(factors),
                    "options": available if d.options == "available_measures" else d.options,
                    "consequences": None if d.consequences is None else self.render(d.consequences),
                }
            )
        return tuple(out)

    def what_ifs(
        self, values: Mapping[str, Any], probe: Callable[[Mapping[str, Any]], Probe]
    ) -> tuple[CounterfactualData, ...]:
        """The pack's what-ifs that hold; one that changes facts is worked out by ``probe`` on the
        case's facts with the change (and left out when the change changes nothing)."""
        out: list[CounterfactualData] = []
        current = self.fact.get("measure")
        for (w, _), fn in zip(self.resolved.what_ifs, self.resolved.fns.what_ifs, strict=True):
            if not fn(self.fact):
                continue
            effect = w.effect
            if w.set:
                if all(values.get(name) == value for name, value in w.set):
                    continue
                found = probe({**values, **dict(w.set)})
                if w.only_if_measure_changes and found.measure == current:
                    continue
                self.values["probe_amount"] = _money_text(found.amount)
                label = self.label(found.measure)
                self.values["probe_measure"] = text(label["nl"].lower(), label["en"].lower())
                if (found.amount is None or not found.complete) and w.effect_unknown is not None:
                    effect = w.effect_unknown
            out.append({"change": self.render(w.change), "effect": self.render(effect)})
        return tuple(out)


def engine_step(
    stack: Stack, step: str, law: str | None, values: Mapping[str, str]
) -> tuple[tuple[str, ...], TextData]:
    """What one of the engine's own steps cites and says, as the pack states it (its text names only
    citations and the step's own values)."""
    basis, template = stack.verdict.engine_steps[step]
    return basis, fill_case_free(stack, template, law, values)


def fill_case_free(stack: Stack, template: Template, law: str | None, values: Mapping[str, str]) -> TextData:
    """A text said without a case at hand (the loader allows it only citations and its own values)."""

    def fill(parts: tuple[str | Placeholder, ...]) -> str:
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif part.kind == "cite":
                out.append(legal_basis(stack, (part.name,), law)[0]["citation"])
            else:
                out.append(values[part.name])
        return "".join(out)

    return text(fill(template.nl), fill(template.en))


def _verdict_specs(domain: str) -> dict[str, FactSpec]:
    return {s.name: s for s in VERDICT_FACTS[domain]}


def _verdict_specs_of(stack: Stack) -> dict[str, FactSpec]:
    """The verdict facts of the stack's domain, by name (found once per stack; do not mutate)."""
    return memo(stack, "verdict_specs", lambda: _verdict_specs(stack.domain))


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A template with what depends only on its stack, a parameter set and a law filled in."""

    #: The template itself: held, so that its ``id`` (the key this is kept under) stays its own.
    template: Template
    #: The whole text, when nothing in it depends on the case (shared by every advice that says it).
    fixed: TextData | None
    #: Otherwise the parts left to fill in per case, adjacent literal parts joined.
    nl: tuple[str | Placeholder, ...]
    en: tuple[str | Placeholder, ...]


#: At most this many prepared templates are kept per parameter set and law (a stack's verdict has
#: some hundred templates; the bound keeps memory bounded should another template ever be rendered).
_TEMPLATES_KEPT = 4096

#: The placeholder kinds whose text depends only on the stack, its parameters and the case's law.
_CASE_FREE_KINDS = frozenset({"param", "cite", "rule"})


def _templates(params: Mapping[str, ResolvedParam], law: str | None) -> dict[int, _Prepared] | None:
    """The templates prepared for ``params`` and ``law`` (:func:`_prepare`), by the template's
    identity: kept in the parameter set's memo (a :class:`ResolvedParams` is shared by every case whose
    dates fall in the same intervals, and lives as long as its stack; the templates are its stack's,
    and each entry holds its template, so an identity is never reused while it is kept). ``None``
    for parameters that are not such a set (nothing is kept)."""
    if not isinstance(params, ResolvedParams):
        return None
    tables: dict[str | None, dict[int, _Prepared]] = params.memo.get("templates") or params.memo.setdefault(
        "templates", {}
    )
    found = tables.get(law)
    if found is None:
        found = tables[law] = {}
    return found


def _prepare(stack: Stack, params: Mapping[str, ResolvedParam], template: Template, law: str | None) -> _Prepared:
    def join(parts: tuple[str | Placeholder, ...], lang: str) -> tuple[str | Placeholder, ...]:
        out: list[str | Placeholder] = []
        for part in parts:
            said = (
                part
                if isinstance(part, str)
                else (case_free_text(stack, params, part, lang, law) if part.kind in _CASE_FREE_KINDS else part)
            )
            if isinstance(said, str) and out and isinstance(out[-1], str):
                out[-1] += said
            else:
                out.append(said)
        return tuple(out)

    nl, en = join(template.nl, "nl"), join(template.en, "en")
    if all(isinstance(p, str) for p in (*nl, *en)):
        return _Prepared(template, text("".join(nl), "".join(en)), (), ())  # type: ignore[arg-type]
    return _Prepared(template, None, nl, en)


def _setting(stack: Stack, fact: str) -> tuple[CompiledRule, ...]:
    """The rules of the stack that set ``fact`` to 1, in the stack's order (found once per stack)."""
    return memo(stack, ("setting", fact), lambda: tuple(r for r in stack.rules if (fact, 1) in r.sets))


def _track_rules(stack: Stack, basis: TrackBasis, measure: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The rules a track's basis may cite under ``measure``, in order, each with its sources."""
    ids = [r.replace("$measure", measure) for r in basis.rules]
    ids.extend(r.id for r in stack.rules if any((f, 1) in r.sets for f in basis.rules_setting))
    ids.extend(r.id for r in stack.rules if r.stage in basis.rules_of_stage)
    return tuple((rid, stack.rules_by_id[rid].basis) for rid in ids if rid in stack.rules_by_id)


def _money_text(amount: Decimal | None) -> TextData:
    shown = eur(amount)
    return text(shown, shown)
