# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The verdict as pack data: measures, how one is chosen, decisions for a person and what-ifs.

A pack's ``verdict`` section is checked here (every problem located, with a did-you-mean) and
compiled into plain data that :mod:`maatwerk._advice.verdict` evaluates after the rules. Its conditions
read the same facts as rules, plus the *verdict facts* the domain works out once the rules have
fired (:data:`VERDICT_FACTS`), and its texts are templates whose placeholders are checked against
the stack's parameters and sources, the facts and the domain's own values (:data:`TEMPLATE_VALUES`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from maatwerk._policy._hints import sort_named
from maatwerk._policy.conditions import FALSE, TRUE, Cond, ParseContext, normalise, params, parse
from maatwerk._policy.domains import SPECS, DomainTable
from maatwerk._policy.facts import FactSpec
from maatwerk._policy.schema import LangText, TrackBasis, Verdict
from maatwerk.errors import Problem

__all__ = [
    "TEMPLATE_VALUES",
    "VERDICT_FACTS",
    "CompiledChoice",
    "CompiledDecision",
    "CompiledFactor",
    "CompiledVerdict",
    "CompiledWhatIf",
    "Placeholder",
    "Template",
    "check_placeholder",
    "check_verdict",
    "merge_verdicts",
    "parse_template",
]

# The domain-keyed vocabulary of the verdict: live views of each domain's spec
# (:class:`maatwerk._policy.domains.DomainSpec`, where each is documented).

#: Facts the domain works out after the rules have fired, for the verdict's conditions only
#: (rules never read them). ``measure`` is the measure the choice advised.
VERDICT_FACTS: DomainTable[tuple[FactSpec, ...]] = DomainTable(SPECS, lambda s: s.verdict_facts)
#: The verdict facts a measure may set when it is advised (``measures.NAME.sets``).
MEASURE_SETS: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.measure_sets)
#: The rungs of each domain's ladder (the rules ask for one with ``rung_N_needed``); 0: no ladder.
LADDER_RUNGS: DomainTable[int] = DomainTable(SPECS, lambda s: s.ladder_rungs)
#: Values the domain works out for the verdict's texts (``{value:NAME}``), in both languages.
TEMPLATE_VALUES: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.template_values)
#: The amounts each domain works out for its alternatives (``amount:``).
ALTERNATIVE_AMOUNTS: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.alternative_amounts)
#: The steps of each domain's calculation (the arithmetic in Python), each labelled by the pack.
CALCULATION_STEPS: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.calculation_steps)
#: The named sentences each domain's advice says besides the verdict's own parts (``texts:``), with
#: the values each may name.
DOMAIN_TEXTS: DomainTable[Mapping[str, tuple[str, ...]]] = DomainTable(SPECS, lambda s: s.texts)
#: The engine's own steps each domain's advice can show (``engine_steps:``), with the values each may name.
ENGINE_STEP_TEXTS: DomainTable[Mapping[str, tuple[str, ...]]] = DomainTable(SPECS, lambda s: s.engine_step_texts)
#: Values only a calculation step's label can name (the step's own figures).
STEP_VALUES: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.step_values)

#: Values the ladder's summary parts can name (besides the domain's own).
SUMMARY_VALUES: tuple[str, ...] = ("measure_label", "low", "high", "cap", "penalty_cap", "days")

#: Sentences said without a case at hand (shared by every advice of a stack): they name only
#: citations and their own values.
CASE_FREE_TEXTS = frozenset({"missing_input"})

PlaceholderKind = Literal["param", "cite", "reason", "reasons", "rule", "value", "amount"]
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Placeholder:
    kind: PlaceholderKind
    name: str
    fmt: str = ""


Part = str | Placeholder


@dataclass(frozen=True, slots=True)
class Template:
    """A text in both languages, as literal parts and placeholders."""

    nl: tuple[Part, ...]
    en: tuple[Part, ...]

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(p for p in (*self.nl, *self.en) if isinstance(p, Placeholder))


def parse_template(text: str) -> tuple[tuple[Part, ...], list[str]]:
    """The parts of one text, and what is wrong with it (empty when nothing)."""
    parts: list[Part] = []
    errors: list[str] = []
    pos = 0
    literal = ""
    for m in _PLACEHOLDER.finditer(text):
        literal += text[pos : m.start()]
        pos = m.end()
        token = m.group(0)
        if token in ("{{", "}}"):
            literal += token[0]
            continue
        if m.group(1) is None:
            errors.append(f"a lone {token!r}: write {token * 2} for a brace")
            continue
        inner = m.group(1)
        kind, sep, rest = inner.partition(":")
        name, _, fmt = rest.partition("|")
        if (
            not sep
            or kind not in ("param", "cite", "reason", "reasons", "rule", "value", "amount")
            or not _NAME.match(name)
        ):
            errors.append(
                f"{{{inner}}} is not a placeholder; use {{param:NAME}}, {{cite:SOURCE}}, {{reason:FACT}}, "
                "{reasons:FACT}, {rule:RULE}, {value:NAME} or {amount:NAME}"
            )
            continue
        if fmt not in ("", "percent"):
            errors.append(f"{{{inner}}}: unknown format {fmt!r}; the only format is |percent")
            continue
        if fmt and kind != "param":
            errors.append(f"{{{inner}}}: a format applies to parameters only")
            continue
        if literal:
            parts.append(literal)
            literal = ""
        parts.append(Placeholder(kind, name, fmt))  # type: ignore[arg-type]
    literal += text[pos:]
    if literal:
        parts.append(literal)
    return tuple(parts), errors


@dataclass(frozen=True, slots=True)
class CompiledChoice:
    id: str
    measure: str
    when: Cond
    lawful: Cond
    blocked: Cond | None
    preferred: Cond
    amount: str | None
    probation_years: str | None
    summary: Template


@dataclass(frozen=True, slots=True)
class CompiledFactor:
    id: str
    when: Cond
    direction: str
    text: Template


@dataclass(frozen=True, slots=True)
class CompiledDecision:
    id: str
    pack_id: str
    when: Cond
    question: Template
    options: tuple[str, ...] | Literal["available_measures"]
    consequences: Template | None
    factors: tuple[CompiledFactor, ...]
    rule_factors: bool


@dataclass(frozen=True, slots=True)
class CompiledWhatIf:
    id: str
    pack_id: str
    when: Cond
    set: tuple[tuple[str, Any], ...]
    only_if_measure_changes: bool
    change: Template
    effect: Template
    effect_unknown: Template | None


@dataclass(frozen=True, slots=True)
class CompiledAlternative:
    id: str
    show: Cond
    chosen: Cond | None
    lawful: Cond
    amount: str | None
    why: tuple[tuple[Cond, Template], ...]


@dataclass(frozen=True, slots=True)
class CompiledTrackCase:
    when: Cond
    status: str
    amount: str | None
    basis: TrackBasis | None
    explanation: Template | None


@dataclass(frozen=True, slots=True)
class CompiledTrack:
    id: str
    basis: TrackBasis
    cases: tuple[CompiledTrackCase, ...]


@dataclass(frozen=True, slots=True)
class CompiledRung:
    """A measure on the ladder."""

    name: str
    rung: int
    lawful: Cond
    preferred: Cond


@dataclass(frozen=True, slots=True)
class CompiledLadder:
    rungs: tuple[CompiledRung, ...]
    """The measures on the ladder, lightest first (the pack's order)."""
    earlier: Mapping[str, int]
    escalate: Cond
    excluded: Cond
    drop_rung: tuple[tuple[str, Cond], ...]
    summary: tuple[tuple[Cond, Template], ...]

    def conditions(self) -> tuple[Cond, ...]:
        return (
            *(c for r in self.rungs for c in (r.lawful, r.preferred)),
            self.escalate,
            self.excluded,
            *(c for _, c in self.drop_rung),
            *(c for c, _ in self.summary),
        )


@dataclass(frozen=True, slots=True)
class CompiledVerdict:
    """The verdict of one pack, or of a stack (national, then the municipal additions)."""

    #: The measures, lightest first, with their labels.
    measures: Mapping[str, LangText] = field(default_factory=dict)
    choice: tuple[CompiledChoice, ...] = ()
    decisions: tuple[CompiledDecision, ...] = ()
    what_ifs: tuple[CompiledWhatIf, ...] = ()
    tracks: tuple[CompiledTrack, ...] = ()
    #: The status and explanation a measure gives a track that shows it (``status: measure``).
    measure_tracks: Mapping[str, tuple[str, Template]] = field(default_factory=dict)
    #: The label of each calculation step.
    calculation: Mapping[str, Template] = field(default_factory=dict)
    alternatives: tuple[CompiledAlternative, ...] = ()
    #: Why an alternative at the same level was passed over, by the measure advised instead.
    measure_instead: Mapping[str, Template] = field(default_factory=dict)
    #: The domain's other sentences, by name.
    texts: Mapping[str, Template] = field(default_factory=dict)
    #: What each of the engine's own steps cites and says.
    engine_steps: Mapping[str, tuple[tuple[str, ...], Template]] = field(default_factory=dict)
    #: The term each measure gives: (condition, parameter in days), the first that holds.
    deadlines: Mapping[str, tuple[tuple[Cond, str], ...]] = field(default_factory=dict)
    #: The verdict facts each measure sets when advised: (fact, condition).
    measure_sets: Mapping[str, tuple[tuple[str, Cond], ...]] = field(default_factory=dict)
    #: How the measure is chosen in a domain that climbs a ladder (else by ``choice``).
    ladder: CompiledLadder | None = None

    def conditions(self) -> tuple[Cond, ...]:
        out: list[Cond] = []
        for c in self.choice:
            out.extend(x for x in (c.when, c.lawful, c.blocked, c.preferred) if x is not None)
        for d in self.decisions:
            out.append(d.when)
            out.extend(f.when for f in d.factors)
        out.extend(w.when for w in self.what_ifs)
        out.extend(c.when for t in self.tracks for c in t.cases)
        out.extend(c for terms in self.deadlines.values() for c, _ in terms)
        out.extend(c for sets in self.measure_sets.values() for _, c in sets)
        if self.ladder is not None:
            out.extend(self.ladder.conditions())
        for a in self.alternatives:
            out.extend(x for x in (a.show, a.chosen, a.lawful) if x is not None)
            out.extend(c for c, _ in a.why)
        return tuple(out)

    def condition_params(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for cond in self.conditions():
            found.update(params(cond))
        return found

    def templates(self) -> tuple[Template, ...]:
        out: list[Template] = [c.summary for c in self.choice]
        for d in self.decisions:
            out.append(d.question)
            if d.consequences is not None:
                out.append(d.consequences)
            out.extend(f.text for f in d.factors)
        for w in self.what_ifs:
            out.extend(t for t in (w.change, w.effect, w.effect_unknown) if t is not None)
        out.extend(c.explanation for t in self.tracks for c in t.cases if c.explanation is not None)
        out.extend(t for _, t in self.measure_tracks.values())
        out.extend(self.calculation.values())
        out.extend(t for a in self.alternatives for _, t in a.why)
        out.extend(self.measure_instead.values())
        out.extend(self.texts.values())
        out.extend(t for _, t in self.engine_steps.values())
        if self.ladder is not None:
            out.extend(t for _, t in self.ladder.summary)
        return tuple(out)


def merge_verdicts(national: CompiledVerdict | None, municipal: CompiledVerdict | None) -> CompiledVerdict:
    """The stack's verdict: the national measures and choice; the national decisions and what-ifs,
    then the municipality's own."""
    base = national or CompiledVerdict()
    if municipal is None:
        return base
    return replace(
        base,
        decisions=(*base.decisions, *municipal.decisions),
        what_ifs=(*base.what_ifs, *municipal.what_ifs),
    )


def check_verdict(
    verdict: Verdict,
    *,
    domain: str,
    layer: str,
    pack_id: str,
    facts: Mapping[str, FactSpec],
    param_units: Mapping[str, str],
    sources: Mapping[str, Any],
    base: CompiledVerdict | None,
    rule_ids: frozenset[str],
    where: Callable[[tuple[str | int, ...]], str],
    suggest: Callable[[str, Any], str],
    problems: list[Problem],
    amounts: Collection[str] = frozenset(),
) -> CompiledVerdict:
    """Check one pack's verdict section and compile it (``base``: the national verdict a municipal
    pack adds to; ``amounts``: the names its texts may say as ``{amount:NAME}``). Every problem is
    added to ``problems``, located by ``where``."""
    c = _Checker(verdict, domain, layer, pack_id, facts, param_units, sources, base, rule_ids, where, suggest, problems)
    c.amounts = amounts
    c.refuse_undelegated()
    c.check_measure_names()
    choice = c.choice()
    tracks = c.tracks()
    measure_tracks = c.measure_tracks()
    decisions = c.decisions()
    what_ifs = c.what_ifs()
    calculation = c.calculation()
    alternatives = c.alternatives()
    texts = c.texts()
    engine_steps = c.engine_steps()
    instead = c.instead()
    if layer == "municipal" and base is not None:
        return replace(base, choice=(), decisions=decisions, what_ifs=what_ifs, tracks=(), alternatives=())
    deadlines, measure_sets = c.terms_and_sets()
    return CompiledVerdict(
        c.measures,
        choice,
        decisions,
        what_ifs,
        tracks,
        measure_tracks,
        calculation,
        alternatives,
        instead,
        texts,
        engine_steps,
        deadlines,
        measure_sets,
        c.ladder(),
    )


class _Checker:
    """Checks and compiles the sections of one pack's verdict; each section is one method."""

    at: tuple[str | int, ...] = ("verdict",)
    #: The amounts (``amounts:``) the texts may name.
    amounts: Collection[str] = frozenset()

    def __init__(
        self,
        verdict: Verdict,
        domain: str,
        layer: str,
        pack_id: str,
        facts: Mapping[str, FactSpec],
        param_units: Mapping[str, str],
        sources: Mapping[str, Any],
        base: CompiledVerdict | None,
        rule_ids: frozenset[str],
        where: Callable[[tuple[str | int, ...]], str],
        suggest: Callable[[str, Any], str],
        problems: list[Problem],
    ) -> None:
        self.verdict = verdict
        self.domain = domain
        self.layer = layer
        self.pack_id = pack_id
        self.facts = facts
        self.param_units = param_units
        self.sources = sources
        self.base = base
        self.rule_ids = rule_ids
        self.where = where
        self.suggest = suggest
        self.problems = problems
        self.seen: set[tuple[str, str]] = set()
        # A municipal verdict names the national measures; it declares none of its own.
        self.measures: dict[str, LangText] = {k: m.label for k, m in verdict.measures.items()}
        if layer == "municipal":
            self.measures = dict(base.measures) if base is not None else {}
        self.all_facts: dict[str, FactSpec] = {**facts, **{s.name: s for s in VERDICT_FACTS[domain]}}
        self.all_facts["measure"] = FactSpec(
            "measure", "enum", "The measure advised.", values=tuple(self.measures), output=True
        )

    # -- helpers -------------------------------------------------------------------------------------
    def problem(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        self.problems.append(Problem(self.where(path), code, message))

    def cond(self, raw: Any, path: tuple[str | int, ...], facts: Mapping[str, FactSpec] | None = None) -> Cond:
        """A condition over the rules' facts and the verdict facts (``facts``: over those only)."""
        if raw is None:
            return TRUE
        known = self.all_facts if facts is None else facts
        ctx = ParseContext(
            facts=known,
            param_unit=self.param_units.get,
            where=self.where,
            suggest=lambda n: self.suggest(n, known),
        )
        return normalise(parse(raw, path, ctx, self.problems))

    def rule_cond(self, raw: Any, path: tuple[str | int, ...]) -> Cond:
        """A condition read before the verdict facts exist (the ladder's): the rules' facts only."""
        return self.cond(raw, path, self.facts)

    def template(
        self, text: LangText | None, path: tuple[str | int, ...], extra: tuple[str, ...] = ()
    ) -> Template | None:
        if text is None:
            return None
        out: dict[str, tuple[Part, ...]] = {}
        for lang in ("nl", "en"):
            parts, errors = parse_template(getattr(text, lang))
            loc = self.where((*path, lang))
            for err in errors:
                self.problems.append(Problem(loc, "POLICY_BAD_TEMPLATE", err))
            for ph in (p for p in parts if isinstance(p, Placeholder)):
                problem = check_placeholder(
                    ph,
                    self.domain,
                    self.all_facts,
                    self.param_units,
                    self.sources,
                    self.suggest,
                    extra,
                    self.rule_ids,
                    self.amounts,
                )
                if problem:
                    self.problems.append(Problem(loc, "POLICY_BAD_TEMPLATE", problem))
            out[lang] = parts
        return Template(out["nl"], out["en"])

    def text(self, text: LangText, path: tuple[str | int, ...], extra: tuple[str, ...] = ()) -> Template:
        """A template that is always given."""
        return self.template(text, path, extra) or Template((), ())

    def named(self, section: str, given: Iterable[str], needed: Iterable[str], missing: str, what: str) -> list[str]:
        """The names of a section of named texts that the domain knows. A national verdict must give
        every one; an unknown name is reported with a did-you-mean."""
        known = tuple(needed)
        found, unknown, lacking = sort_named(given, known)
        if self.layer == "national" and self.verdict.measures and lacking:
            self.problem(self.at, "POLICY_MISSING_FIELD", f"{missing}: {', '.join(lacking)}")
        for name in unknown:
            self.problem(
                (*self.at, section, name), "POLICY_INVALID_VALUE", f"{name!r} is not {what}{self.suggest(name, known)}"
            )
        return found

    def only_cite_and_value(self, shown: Template, path: tuple[str | int, ...], what: str) -> None:
        """A text said without a case at hand names only citations and its own values."""
        for ph in shown.placeholders:
            if ph.kind not in ("cite", "value"):
                self.problem(
                    path,
                    "POLICY_BAD_TEMPLATE",
                    f"{{{ph.kind}:{ph.name}}}: {what} names only {{cite:..}} and its own {{value:..}}",
                )

    def unique(self, kind: str, ident: str, path: tuple[str | int, ...]) -> None:
        if (kind, ident) in self.seen:
            self.problem(path, "POLICY_DUPLICATE_ID", f"{kind} id {ident!r} is used twice")
        self.seen.add((kind, ident))

    def known_source(self, sid: str, path: tuple[str | int, ...]) -> None:
        if sid not in self.sources:
            self.problem(path, "POLICY_UNKNOWN_SOURCE", f"unknown source {sid!r}{self.suggest(sid, self.sources)}")

    # -- what only national law states ------------------------------------------------------------------
    def refuse_undelegated(self) -> None:
        if self.layer != "municipal":
            return
        for key in ("measures", "choice", "tracks", "alternatives", "calculation", "texts", "engine_steps", "ladder"):
            if getattr(self.verdict, key):
                self.problem(
                    (*self.at, key),
                    "POLICY_NOT_DELEGATED",
                    f"the {key} of the advice are national law; a municipal pack states its preference through "
                    "the delegated facts (e.g. warning_preferred) and adds decisions and what-ifs of its own",
                )

    def check_measure_names(self) -> None:
        schema_kinds = _schema_measures()
        for name in self.verdict.measures:
            if self.layer == "national" and name not in schema_kinds:
                self.problem(
                    (*self.at, "measures", name),
                    "POLICY_UNKNOWN_MEASURE",
                    f"measure {name!r} is not in the advice schema (version 1 knows {', '.join(schema_kinds)}); "
                    "a new measure needs a new version of the advice schema",
                )

    # -- the sections ----------------------------------------------------------------------------------
    def choice(self) -> tuple[CompiledChoice, ...]:
        out = []
        steps = self.verdict.choice
        for i, c in enumerate(steps):
            path = (*self.at, "choice", i)
            self.unique("choice step", c.id, (*path, "id"))
            if c.measure not in self.measures:
                self.problem(
                    (*path, "measure"),
                    "POLICY_UNKNOWN_MEASURE",
                    f"unknown measure {c.measure!r}{self.suggest(c.measure, self.measures)}",
                )
            if c.probation_years is not None and self.param_units.get(c.probation_years) != "years":
                self.problem(
                    (*path, "probation_years"),
                    "POLICY_UNKNOWN_PARAMETER",
                    f"probation_years names {c.probation_years!r}, which is not a parameter in years",
                )
            summary = self.text(c.summary, (*path, "summary"))
            if c.amount is None:
                self._no_amount_named(summary, (*path, "summary"))
            out.append(
                CompiledChoice(
                    id=c.id,
                    measure=c.measure,
                    when=self.cond(c.when, (*path, "when")),
                    lawful=self.cond(c.lawful, (*path, "lawful")),
                    blocked=None if c.blocked is None else self.cond(c.blocked, (*path, "blocked")),
                    preferred=self.cond(c.preferred, (*path, "preferred")),
                    amount=c.amount,
                    probation_years=c.probation_years,
                    summary=summary,
                )
            )
        if self.layer == "national" and steps and steps[-1].when is not None:
            self.problem(
                (*self.at, "choice", len(steps) - 1, "when"),
                "POLICY_BAD_CONDITION",
                "the last step of the choice applies always (no when): every case gets a measure",
            )
        return tuple(out)

    def _no_amount_named(self, summary: Template, path: tuple[str | int, ...]) -> None:
        """A step that gives no amount cannot say ``{value:amount}``: the text would read "?"."""
        for lang in ("nl", "en"):
            if any(
                isinstance(p, Placeholder) and p.kind == "value" and p.name == "amount" for p in getattr(summary, lang)
            ):
                self.problem(
                    (*path, lang),
                    "POLICY_BAD_TEMPLATE",
                    "{value:amount}: this step gives no amount (no `amount:`), so the text would read '?'; "
                    "give the step an amount or leave the amount out of its text",
                )

    def basis(self, basis: TrackBasis, path: tuple[str | int, ...]) -> None:
        for key in ("sources", "otherwise"):
            for j, sid in enumerate(getattr(basis, key)):
                self.known_source(sid, (*path, key, j))
        for j, name in enumerate(basis.rules_setting):
            spec = self.all_facts.get(name)
            if spec is None or not spec.output:
                self.problem(
                    (*path, "rules_setting", j),
                    "POLICY_UNKNOWN_FACT",
                    f"{name!r} is not a fact that rules set{self.suggest(name, self.all_facts)}",
                )

    def tracks(self) -> tuple[CompiledTrack, ...]:
        out = []
        track_ids = _schema_tracks()
        for i, t in enumerate(self.verdict.tracks):
            path = (*self.at, "tracks", i)
            self.unique("track", t.id, (*path, "id"))
            if t.id not in track_ids:
                self.problem(
                    (*path, "id"),
                    "POLICY_INVALID_VALUE",
                    f"track {t.id!r} is not in the advice schema (version 1 knows {', '.join(track_ids)})",
                )
            self.basis(t.basis, (*path, "basis"))
            cases = []
            for j, case in enumerate(t.cases):
                cpath = (*path, "cases", j)
                if case.basis is not None:
                    self.basis(case.basis, (*cpath, "basis"))
                if j == len(t.cases) - 1 and case.when is not None:
                    self.problem(
                        (*cpath, "when"),
                        "POLICY_BAD_CONDITION",
                        "the last case of a track applies always (no when): every advice shows the track",
                    )
                cases.append(
                    CompiledTrackCase(
                        self.cond(case.when, (*cpath, "when")),
                        case.status,
                        case.amount,
                        case.basis,
                        self.template(case.explanation, (*cpath, "explanation")),
                    )
                )
            out.append(CompiledTrack(t.id, t.basis, tuple(cases)))
        return tuple(out)

    def measure_tracks(self) -> dict[str, tuple[str, Template]]:
        """What a track with status: measure shows for each measure (every measure needs one then)."""
        out: dict[str, tuple[str, Template]] = {}
        for name, m in self.verdict.measures.items():
            if m.track is not None:
                out[name] = (
                    m.track.status,
                    self.text(m.track.explanation, (*self.at, "measures", name, "track", "explanation")),
                )
        for i, t in enumerate(self.verdict.tracks):
            for j, tc in enumerate(t.cases):
                if tc.status == "measure":
                    lacking = [m for m in self.measures if m not in out]
                    if lacking:
                        self.problem(
                            (*self.at, "tracks", i, "cases", j, "status"),
                            "POLICY_MISSING_FIELD",
                            f"status: measure shows each measure's track, and {', '.join(lacking)} has none",
                        )
        return out

    def decisions(self) -> tuple[CompiledDecision, ...]:
        taken = {d.id for d in self.base.decisions} if self.base is not None else set()
        out = []
        for i, d in enumerate(self.verdict.decisions):
            path = (*self.at, "decisions", i)
            self.unique("decision", d.id, (*path, "id"))
            if d.id in taken:
                self.problem(
                    (*path, "id"),
                    "POLICY_DUPLICATE_ID",
                    f"decision {d.id!r} is already a decision of the national pack; a municipal pack adds its own",
                )
            factors = tuple(
                CompiledFactor(
                    f.id,
                    self.cond(f.when, (*path, "factors", j, "when")),
                    f.direction,
                    self.text(f.text, (*path, "factors", j, "text")),
                )
                for j, f in enumerate(d.factors)
            )
            out.append(
                CompiledDecision(
                    id=d.id,
                    pack_id=self.pack_id,
                    when=self.cond(d.when, (*path, "when")),
                    question=self.text(d.question, (*path, "question")),
                    options=tuple(d.options) if isinstance(d.options, list) else d.options,
                    consequences=self.template(d.consequences, (*path, "consequences")),
                    factors=factors,
                    rule_factors=d.rule_factors,
                )
            )
        return tuple(out)

    def what_ifs(self) -> tuple[CompiledWhatIf, ...]:
        from maatwerk._policy.conditions import encode_literal

        taken = {w.id for w in self.base.what_ifs} if self.base is not None else set()
        out = []
        for i, w in enumerate(self.verdict.what_ifs):
            path = (*self.at, "what_ifs", i)
            self.unique("what-if", w.id, (*path, "id"))
            if w.id in taken:
                self.problem(
                    (*path, "id"),
                    "POLICY_DUPLICATE_ID",
                    f"what-if {w.id!r} is already a what-if of the national pack; a municipal pack adds its own",
                )
            changed: list[tuple[str, Any]] = []
            for name, written in w.set.items():
                value: Any = written
                spec = self.facts.get(name)
                if spec is None or spec.output:
                    inputs = [n for n, s in self.facts.items() if not s.output]
                    if spec is not None:
                        why = (
                            f"{name!r} is an outcome the rules work out (an output fact), not a fact of the case: "
                            "a what-if changes an input fact of the case, and the rules then work out what follows"
                        )
                    elif name in self.all_facts:
                        why = (
                            f"{name!r} is what the advice works out, not a fact of the case: a what-if changes an "
                            "input fact of the case, and its effect can say the measure that follows "
                            "({value:probe_measure})"
                        )
                    else:
                        why = (
                            f"a what-if changes an input fact of the case; {name!r} is not one"
                            f"{self.suggest(name, inputs)}"
                        )
                    self.problem((*path, "set", name), "POLICY_UNKNOWN_FACT", why)
                    continue
                try:
                    encode_literal(spec, value)
                except ValueError as err:
                    self.problem((*path, "set", name), "POLICY_TYPE_MISMATCH", f"{name}: {err}")
                    continue
                if spec.kind == "money":
                    # A what-if's amount is a fact of the case: one a case could hold, as a Decimal (the
                    # engine's money). Written in the pack it was a str, and every advice failed (TypeError).
                    from maatwerk.models._base import to_money

                    try:
                        value = to_money(written)
                    except ValueError as err:
                        self.problem(
                            (*path, "set", name),
                            "POLICY_INVALID_VALUE",
                            f"{name}: {err}: a what-if sets an amount a case could hold",
                        )
                        continue
                changed.append((name, value))
            out.append(
                CompiledWhatIf(
                    id=w.id,
                    pack_id=self.pack_id,
                    when=self.cond(w.when, (*path, "when")),
                    set=tuple(changed),
                    only_if_measure_changes=w.only_if_measure_changes,
                    change=self.text(w.change, (*path, "change")),
                    effect=self.text(w.effect, (*path, "effect")),
                    effect_unknown=self.template(w.effect_unknown, (*path, "effect_unknown")),
                )
            )
        return tuple(out)

    def calculation(self) -> dict[str, Template]:
        domain = self.domain
        labels = self.verdict.calculation
        return {
            name: self.text(labels[name], (*self.at, "calculation", name), STEP_VALUES[domain])
            for name in self.named(
                "calculation",
                labels,
                CALCULATION_STEPS[domain],
                f"the verdict labels every step of the {domain} calculation; missing",
                f"a step of the {domain} calculation",
            )
        }

    def alternatives(self) -> tuple[CompiledAlternative, ...]:
        amounts = ALTERNATIVE_AMOUNTS[self.domain]
        out = []
        for i, alt in enumerate(self.verdict.alternatives):
            path = (*self.at, "alternatives", i)
            self.unique("alternative", alt.id, (*path, "id"))
            if alt.amount is not None and alt.amount not in amounts:
                self.problem(
                    (*path, "amount"),
                    "POLICY_INVALID_VALUE",
                    f"{alt.amount!r} is not an amount the {self.domain} domain works out; known: {', '.join(amounts)}",
                )
            if alt.why[-1].when is not None:
                self.problem(
                    (*path, "why", len(alt.why) - 1, "when"),
                    "POLICY_BAD_CONDITION",
                    "the last reason applies always (no when): every alternative says why",
                )
            out.append(
                CompiledAlternative(
                    alt.id,
                    self.cond(alt.show, (*path, "show")),
                    None if alt.chosen is None else self.cond(alt.chosen, (*path, "chosen")),
                    self.cond(alt.lawful, (*path, "lawful")),
                    alt.amount,
                    tuple(
                        (
                            self.cond(w.when, (*path, "why", j, "when")),
                            self.text(w.text, (*path, "why", j, "text")),
                        )
                        for j, w in enumerate(alt.why)
                    ),
                )
            )
        return tuple(out)

    def texts(self) -> dict[str, Template]:
        domain = self.domain
        needed = DOMAIN_TEXTS[domain]
        out: dict[str, Template] = {}
        for name in self.named(
            "texts",
            self.verdict.texts,
            needed,
            f"the verdict states every sentence of the {domain} advice; missing texts",
            f"a sentence of the {domain} advice",
        ):
            out[name] = self.text(self.verdict.texts[name], (*self.at, "texts", name), needed[name])
            if name in CASE_FREE_TEXTS:
                self.only_cite_and_value(out[name], (*self.at, "texts", name), f"text {name}")
        return out

    def engine_steps(self) -> dict[str, tuple[tuple[str, ...], Template]]:
        step_texts = ENGINE_STEP_TEXTS[self.domain]
        out: dict[str, tuple[tuple[str, ...], Template]] = {}
        for name in self.named(
            "engine_steps",
            self.verdict.engine_steps,
            step_texts,
            "the verdict states what the engine's own steps say; missing engine_steps",
            f"a step of the engine in the {self.domain} advice",
        ):
            step = self.verdict.engine_steps[name]
            spath: tuple[str | int, ...] = (*self.at, "engine_steps", name)
            for j, sid in enumerate(step.basis):
                self.known_source(sid, (*spath, "basis", j))
            shown = self.text(step.text, (*spath, "text"), step_texts[name])
            self.only_cite_and_value(shown, (*spath, "text"), "an engine step's text")
            out[name] = (tuple(step.basis), shown)
        return out

    def instead(self) -> dict[str, Template]:
        return {
            name: self.text(m.instead, (*self.at, "measures", name, "instead"))
            for name, m in self.verdict.measures.items()
            if m.instead is not None
        }

    def terms_and_sets(
        self,
    ) -> tuple[dict[str, tuple[tuple[Cond, str], ...]], dict[str, tuple[tuple[str, Cond], ...]]]:
        """Each measure's term (the parameter in days of the first entry that holds) and the verdict
        facts it sets when advised."""
        deadlines: dict[str, tuple[tuple[Cond, str], ...]] = {}
        measure_sets: dict[str, tuple[tuple[str, Cond], ...]] = {}
        settable = MEASURE_SETS[self.domain]
        for name, m in self.verdict.measures.items():
            mpath: tuple[str | int, ...] = (*self.at, "measures", name)
            terms = []
            for j, d in enumerate(m.deadline):
                if self.param_units.get(d.days) != "days":
                    self.problem(
                        (*mpath, "deadline", j, "days"),
                        "POLICY_UNKNOWN_PARAMETER",
                        f"deadline names {d.days!r}, which is not a parameter in days",
                    )
                terms.append((self.cond(d.when, (*mpath, "deadline", j, "when")), d.days))
            if terms:
                deadlines[name] = tuple(terms)
            sets = []
            for fact, raw in m.sets.items():
                if fact not in settable:
                    self.problem(
                        (*mpath, "sets", fact),
                        "POLICY_UNKNOWN_FACT",
                        f"a measure of the {self.domain} advice sets only {', '.join(settable) or 'no verdict facts'}; "
                        f"not {fact!r}{self.suggest(fact, settable)}",
                    )
                sets.append((fact, self.cond(raw, (*mpath, "sets", fact))))
            if sets:
                measure_sets[name] = tuple(sets)
        return deadlines, measure_sets

    def rungs(self) -> list[CompiledRung]:
        """The measures with a rung, lightest first."""
        top = LADDER_RUNGS[self.domain]
        out = []
        for name, m in self.verdict.measures.items():
            mpath: tuple[str | int, ...] = (*self.at, "measures", name)
            if m.rung is None:
                if m.lawful is not None or m.preferred is not None:
                    self.problem(mpath, "POLICY_BAD_CONDITION", "lawful and preferred of a measure belong to a rung")
                continue
            if m.rung > top:
                self.problem(
                    (*mpath, "rung"),
                    "POLICY_INVALID_VALUE",
                    f"the {self.domain} advice has no ladder"
                    if not top
                    else f"rung {m.rung} is above the ladder's top ({top}: the rules ask for rung_2_needed to "
                    f"rung_{top}_needed)",
                )
            out.append(
                CompiledRung(
                    name,
                    m.rung,
                    self.rule_cond(m.lawful, (*mpath, "lawful")),
                    self.rule_cond(m.preferred, (*mpath, "preferred")),
                )
            )
        return out

    def ladder(self) -> CompiledLadder | None:
        """The ladder of a national verdict whose domain climbs one."""
        rungs = self.rungs()
        spec = self.verdict.ladder
        if spec is None:
            if rungs:
                self.problem(self.at, "POLICY_MISSING_FIELD", "measures with a rung need the verdict's ladder section")
            return None
        top = LADDER_RUNGS[self.domain]
        lpath: tuple[str | int, ...] = (*self.at, "ladder")
        if not top:
            self.problem(lpath, "POLICY_INVALID_VALUE", f"the {self.domain} advice has no ladder")
        if not rungs:
            self.problem(lpath, "POLICY_MISSING_FIELD", "a ladder needs measures with a rung")
        kinds = _history_kinds(self.domain)
        for kind, rung in spec.earlier.items():
            if kind not in kinds:
                self.problem(
                    (*lpath, "earlier", kind),
                    "POLICY_INVALID_VALUE",
                    f"{kind!r} is not a kind of earlier measure{self.suggest(kind, kinds)}",
                )
            elif rung > top:
                self.problem((*lpath, "earlier", kind), "POLICY_INVALID_VALUE", f"rung {rung} is above {top}")
        lacking = [k for k in kinds if k not in spec.earlier]
        if lacking:
            self.problem(
                (*lpath, "earlier"),
                "POLICY_MISSING_FIELD",
                f"the rung of every kind of earlier measure; missing: {', '.join(lacking)}",
            )
        with_rung = {r.name for r in rungs}
        drops = []
        for j, drop in enumerate(spec.drop_rung):
            if drop.measure not in with_rung:
                self.problem(
                    (*lpath, "drop_rung", j, "measure"),
                    "POLICY_UNKNOWN_MEASURE",
                    f"{drop.measure!r} is not a measure with a rung{self.suggest(drop.measure, with_rung)}",
                )
            drops.append((drop.measure, self.rule_cond(drop.when, (*lpath, "drop_rung", j, "when"))))
        extra = (*TEMPLATE_VALUES[self.domain], *SUMMARY_VALUES)
        summary = tuple(
            (
                self.cond(part.when, (*lpath, "summary", j, "when")),
                self.text(part.text, (*lpath, "summary", j, "text"), extra),
            )
            for j, part in enumerate(spec.summary)
        )
        return CompiledLadder(
            tuple(rungs),
            dict(spec.earlier),
            self.rule_cond(spec.escalate, (*lpath, "escalate")),
            self.rule_cond(spec.excluded, (*lpath, "excluded")) if spec.excluded is not None else FALSE,
            tuple(drops),
            summary,
        )


def _history_kinds(domain: str) -> tuple[str, ...]:
    """The kinds of an earlier measure the domain's ladder may name (``history[].kind``)."""
    return SPECS[domain].ladder_history_kinds


def _schema_tracks() -> tuple[str, ...]:
    from typing import get_args

    from maatwerk.models.advice import TrackId

    return get_args(TrackId)


def _schema_measures() -> tuple[str, ...]:
    from typing import get_args

    from maatwerk.models.advice import MeasureKind

    return tuple(kind for member in get_args(MeasureKind) for kind in get_args(member))


def static_template_problems(
    text: str,
    what: str,
    domain: str,
    param_units: Mapping[str, str],
    sources: Mapping[str, Any],
    suggest: Callable[[str, Any], str],
) -> tuple[tuple[Part, ...], list[str]]:
    """Parse a text said without a case (``what`` names it in a message): its parts, and what is wrong
    with it. It may name only parameters and citations (``{param:..}``, ``{cite:..}``), each known."""
    parts, errors = parse_template(text)
    wrong = list(errors)
    for ph in (p for p in parts if isinstance(p, Placeholder)):
        if ph.kind not in ("param", "cite"):
            wrong.append(f"{{{ph.kind}:{ph.name}}}: {what} names only {{param:..}} and {{cite:..}}")
            continue
        found = check_placeholder(ph, domain, {}, param_units, sources, suggest)
        if found:
            wrong.append(found)
    return parts, wrong


def check_placeholder(
    ph: Placeholder,
    domain: str,
    facts: Mapping[str, FactSpec],
    param_units: Mapping[str, str],
    sources: Mapping[str, Any],
    suggest: Callable[[str, Any], str],
    extra: tuple[str, ...] = (),
    rule_ids: frozenset[str] = frozenset(),
    amounts: Collection[str] = frozenset(),
) -> str:
    if ph.kind == "amount":
        if ph.name in amounts:
            return ""
        declared = "" if amounts else " (the stack declares no amounts: add it under amounts:)"
        return f"{{amount:{ph.name}}}: unknown amount{suggest(ph.name, amounts)}{declared}"
    if ph.kind == "param":
        unit = param_units.get(ph.name)
        if unit is None:
            return f"{{param:{ph.name}}}: unknown parameter{suggest(ph.name, param_units)}"
        if ph.fmt == "percent" and unit != "factor":
            return f"{{param:{ph.name}|percent}}: |percent shows a factor as a percentage; {ph.name} is in {unit}"
        return ""
    if ph.kind == "cite":
        return "" if ph.name in sources else f"{{cite:{ph.name}}}: unknown source{suggest(ph.name, sources)}"
    if ph.kind == "rule":
        return "" if ph.name in rule_ids else f"{{rule:{ph.name}}}: unknown rule{suggest(ph.name, rule_ids)}"
    if ph.kind in ("reason", "reasons"):
        spec = facts.get(ph.name)
        if spec is None or not spec.output:
            return f"{{{ph.kind}:{ph.name}}}: not a fact that rules set{suggest(ph.name, facts)}"
        return ""
    known = (*TEMPLATE_VALUES[domain], *extra)
    return "" if ph.name in known else f"{{value:{ph.name}}}: unknown value; known: {', '.join(known)}"
