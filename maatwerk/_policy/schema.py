# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The policy file format, version 1 (docs/reference/policy-format.md; JSON Schema via
``maatwerk schema policy``).

A pack version is one YAML file ``policies/<domain>/<pack-id>/<valid_from>.yaml``. This module
only describes the shape of a file; cross-references (facts, sources, parameters, rules) are
checked by :mod:`maatwerk._policy.loader`, which reports every problem at once with its location.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from maatwerk._policy._hints import suggest
from maatwerk._policy.domains import SPECS

SCHEMA_VERSION = 1

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
PackId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
PrincipleId = Annotated[str, Field(pattern=r"^[A-Z]+[0-9]+$", max_length=16)]
#: What a municipal principle may serve: a national purpose (``W2``), a rule or an engine step (``lex_mitior``).
Served = Annotated[str, Field(pattern=r"^([A-Z]+[0-9]+|[a-z][a-z0-9_]*)$", max_length=64)]
#: The steps the engine adds itself (not rules): their purposes come from the national pack.
ENGINE_STEPS = ("eerder_gedrag", "lex_mitior", "voorstel_verkenning")
EngineStep = Literal["eerder_gedrag", "lex_mitior", "voorstel_verkenning"]


def _no_float(value: object) -> object:
    """A number with a fraction is written in quotes ("1.5", "0.25"): YAML reads ``1.5`` as a binary
    float, which cannot hold every decimal exactly, and the four branches of a scalar would each
    report it (as no yes/no, no whole number, no date, no text). One message says what to write."""
    if isinstance(value, float):
        shown = repr(value)
        raise PydanticCustomError(
            "decimal_in_quotes",
            'a number with a fraction is written in quotes, "{shown}", so that it is kept exactly',
            {"shown": shown},
        )
    return value


#: A value in a pack: yes/no, a whole number, a date, or text (an amount or a fraction in quotes).
Scalar = Annotated[bool | int | dt.date | str, BeforeValidator(_no_float)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _supported_version(v: int) -> int:
    """A pack file (full or delta) is read only in the format version this maatwerk knows."""
    if v != SCHEMA_VERSION:
        raise ValueError(f"unsupported schema_version {v}; this maatwerk reads version {SCHEMA_VERSION}")
    return v


class LangText(_Strict):
    nl: Annotated[str, Field(min_length=1, max_length=2000)]
    en: Annotated[str, Field(min_length=1, max_length=2000)]


class Proposal(_Strict):
    """A bill that is not (yet) law: its text, how far it got, and when someone last looked."""

    id: Identifier = Field(description="Short name; the file is named proposed-<id>.yaml.")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    source: Identifier = Field(description="The source (e.g. the kamerstuk) of the bill.")
    stage: LangText = Field(description="The last step of the bill that was seen.")
    checked_on: dt.date = Field(description="When the stage was last checked.")


class NoSuccessor(_Strict):
    """Why a pack ends without a next version, and the source that says so."""

    reason: LangText = Field(description="Why no version follows (e.g. the municipality merged into another).")
    source: Identifier | None = Field(default=None, description="A source id that records the end.")


def _known_domain(value: str) -> str:
    """A domain registered in :data:`maatwerk._policy.domains.SPECS` (read when a pack is validated,
    so a domain registered later is known)."""
    if value not in SPECS:
        expected = " or ".join(repr(d) for d in SPECS)
        raise PydanticCustomError(
            "literal_error", "Input should be {expected}{hint}", {"expected": expected, "hint": suggest(value, SPECS)}
        )
    return value


#: The name of a registered domain; the published schema lists the built-in ones.
DomainName = Annotated[str, AfterValidator(_known_domain), WithJsonSchema({"enum": list(SPECS), "type": "string"})]


class PackHeader(_Strict):
    id: PackId
    domain: DomainName
    layer: Literal["national", "municipal"]
    base: PackId | None = Field(default=None, description="The national pack a municipal pack layers on.")
    laws: list[Identifier] = Field(
        default_factory=list,
        description="National packs only: the laws this pack covers, when a domain has one national pack per law "
        "(providers: wmo2015, jeugdwet). Empty: every law of the domain.",
    )
    municipality: Identifier | None = None
    status: Literal["in_force", "proposed"] = Field(
        default="in_force",
        description="'proposed': a bill whose date of entry into force is unknown; never used for an advice "
        "unless an Engine previews it with an assumed date.",
    )
    proposal: Proposal | None = Field(default=None, description="Required for, and only for, a proposed version.")
    valid_from: dt.date | None = Field(
        default=None, description="First valid day; required in force, absent while proposed (the date is unknown)."
    )
    valid_until: dt.date | None = Field(default=None, description="Last day of validity; absent while open.")
    no_successor: NoSuccessor | None = Field(
        default=None,
        description="With valid_until: this version is the pack's last on purpose (the municipality merged, the "
        "policy was withdrawn). Cases decided after valid_until are refused with this reason; check reports the "
        "end as history (CHECK_ENDED), not as a missing version (CHECK_EXPIRED).",
    )
    covers_earlier_conduct: bool = Field(
        default=False,
        description="The first version also judges conduct before its valid_from (through explicit rules).",
    )
    title: LangText
    publisher: Annotated[str, Field(min_length=1, max_length=200)]
    source: Identifier | None = Field(default=None, description="The source (e.g. a CVDR id) of the policy.")


class Principle(_Strict):
    """A principle of a municipal policy, or a purpose of the law in a national pack: whoever states it
    owns it. Every rule names the ones it serves; a municipal principle may also say which national
    purposes, rules or engine steps it gives its own reading of (``serves``)."""

    key: Identifier
    label: LangText
    demand: LangText
    reading: Annotated[str, Field(max_length=500)] | None = Field(
        default=None, description="Whose reading of the policy this is (e.g. 'our reading')."
    )
    source: Identifier | None = Field(
        default=None,
        description="The source that states it (a source id): for a purpose of national law the law or ruling, for a "
        "municipal principle the municipality's policy.",
    )
    serves: list[Served] | None = Field(
        default=None,
        description="Municipal packs: the national purposes (ids), national rules or engine steps (ids) this "
        "principle gives the municipality's reading of; every step of those shows it too.",
    )
    engine_steps: list[EngineStep] | None = Field(
        default=None,
        description="National packs: the engine's own steps (not rules) that serve this purpose "
        "(eerder_gedrag, lex_mitior, voorstel_verkenning).",
    )


class Source(_Strict):
    citation: Annotated[str, Field(min_length=1, max_length=300)]
    identifier: Annotated[
        str, Field(pattern=r"^(BWBR\d{7}|CVDR\d+|ECLI:[A-Z]{2}:[A-Za-z]+:\d{4}:[0-9A-Za-z.]+|[A-Za-z0-9 .,:/()-]+)$")
    ]
    url: Annotated[str, Field(pattern=r"^https://[^\s]+$")]
    version_date: dt.date | None = None


class LawSource(_Strict):
    """A source that is a different article in each law of the domain: the fine is Participatiewet
    art. 18a, IOAW art. 20a and IOAZ art. 20a. A rule or parameter that cites it cites, for each
    case, the source of the case's own law, and never another law's."""

    per_law: dict[Identifier, Identifier] = Field(
        min_length=1, description="For each law of the domain, the id of the (ordinary) source to cite."
    )


class DatedValue(_Strict):
    from_: dt.date = Field(alias="from")
    value: Scalar
    note: str | None = None


class Delegated(_Strict):
    """What a municipal pack may set a national parameter to (regelrecht's open terms). Empty: any
    value of the parameter's unit. ``national`` means the national value in force on the same day."""

    at_most: Literal["national"] | Scalar | None = Field(
        default=None, description="Not above this value ('national': not above the national value on any day)."
    )
    at_least: Literal["national"] | Scalar | None = Field(
        default=None, description="Not below this value ('national': not below the national value on any day)."
    )
    one_of: list[Scalar] | None = Field(default=None, description="One of these values.")
    not_above: Identifier | None = Field(
        default=None,
        description="Never above this other parameter of the pack (same unit and date basis) on any day: in the "
        "national pack, and in every municipal pack, whichever of the two it sets (the lower end of a range).",
    )
    why: LangText | None = Field(default=None, description="Why the law leaves this to the municipality.")


class Parameter(_Strict):
    unit: Literal[
        "eur", "percent", "factor", "fraction", "days", "weeks", "years", "months", "date", "bool", "count", "text"
    ]
    date_basis: Literal["conduct", "conduct_start", "decision"] = Field(
        description="Which date selects the value: when the conduct started (from the pack's first day on), "
        "the day the conduct started even before the pack's first day (for figures where the law in force "
        "when a continuing violation began applies, such as the fine categories), or the decision date."
    )
    source: Identifier
    description: LangText
    verify: bool = Field(default=False, description="The figure is uncertain and must be checked ([verify]).")
    delegated: Delegated | None = Field(
        default=None,
        description="National packs: a municipal pack may set this parameter, within these bounds. Absent: the "
        "law fixes it and a municipal pack that sets it is refused.",
    )
    values: list[DatedValue] = Field(
        description="The dated values; empty only for an open term (delegated, no national value)."
    )

    @model_validator(mode="after")
    def _values(self) -> Parameter:
        if not self.values and self.delegated is None:
            raise ValueError("a parameter needs at least one dated value (only a delegated open term may have none)")
        return self


class Followup(_Strict):
    text: LangText
    principles: Annotated[list[PrincipleId], Field(min_length=1)]
    audience: Literal["inwoner", "gemeente", "zorgaanbieder"] = "inwoner"


class Factor(_Strict):
    decision: Identifier
    direction: Literal["voor", "tegen"]


class Then(_Strict):
    set: dict[Identifier, Scalar] = Field(default_factory=dict)
    factors: list[Factor] = Field(default_factory=list)
    followups: list[Identifier] = Field(default_factory=list)


class ParamRef(_Strict):
    """A value taken from a parameter of the stack (its value on the case's dates)."""

    param: Identifier


Span = Annotated[int, Field(ge=0, le=100)] | ParamRef


class Window(_Strict):
    """Which entries count by a date: the entry's ``by`` date lies in the span before the case date
    ``before`` (the day itself excluded): ``[before - span, before)``; without a span, any day before it."""

    years: Span | None = Field(default=None, description="The span in calendar years (a literal or {param: NAME}).")
    months: Span | None = Field(default=None, description="The span in calendar months.")
    days: Span | None = Field(default=None, description="The span in days.")
    before: Annotated[str, Field(max_length=64)] = Field(
        description="A date of the case (benefits: violation.period.start, violation.period.end, "
        "violation.information_due, violation.detected_on, decision_date; providers: violation.found_on, "
        "decision_date)."
    )
    by: Identifier = Field(
        description="The date of a history entry that places it (benefits: imposed_on, final_on; providers: taken_on)."
    )

    @model_validator(mode="after")
    def _one_span(self) -> Window:
        if sum(x is not None for x in (self.years, self.months, self.days)) > 1:
            raise ValueError("a window has at most one of years, months and days")
        return self


class HistoryQuery(_Strict):
    """The entries of a list of the case that match every test of ``where`` and lie in ``within``."""

    in_: Literal["history"] = Field(alias="in", description="The list of the case to look in.")
    where: dict[Identifier, list[Identifier] | bool] = Field(
        default_factory=dict,
        description="Tests on an entry: an enum field (kind) is one of a list of values; a flag (same_conduct, "
        "unconditional_prison, without_loss, final; providers: same_standard, complied) is true or false. Absent: any.",
    )
    within: Window | None = Field(default=None, description="Absent: every entry, whatever its dates.")


class DeclaredFact(_Strict):
    """An input fact a pack declares, computed from the case: whether any (a bool) or how many (an int)
    entries of the case's history match. Unknown where a date or a flag that decides it is unknown."""

    description: LangText
    any_: HistoryQuery | None = Field(default=None, alias="any", description="A bool: some entry matches.")
    count: HistoryQuery | None = Field(default=None, description="An int: the number of entries that match.")

    @model_validator(mode="after")
    def _one_form(self) -> DeclaredFact:
        if (self.any_ is None) == (self.count is None):
            raise ValueError("a declared fact is one of any or count")
        return self

    @property
    def query(self) -> HistoryQuery:
        found = self.any_ if self.any_ is not None else self.count
        assert found is not None
        return found


class Rule(_Strict):
    id: Identifier
    stage: Literal[
        "gate",
        "track",
        "indicator",
        "recidive",
        "warning",
        "ability",
        "decision",
        "followup",
        "procedure",
        "measure",
        "basis",
        "ladder",
    ]
    when: dict[str, Any] | None = Field(default=None, description="Condition; absent means always.")
    exception_to: list[Identifier] = Field(default_factory=list)
    then: Then = Field(default_factory=Then)
    basis: Annotated[list[Identifier], Field(min_length=1)]
    principles: Annotated[list[PrincipleId], Field(min_length=1)]
    reason: LangText


# --- the verdict: measures, the choice, decisions for a person and what-ifs --------------------------
#
# Texts are templates: ``{param:NAME}`` (a parameter's value, formatted by its unit; ``|percent``
# shows a factor as a percentage), ``{cite:SOURCE}`` (the citation for the case's own law),
# ``{reason:FACT}`` (the reason of the fired rule that set FACT), ``{value:NAME}`` (a value the
# domain computes, e.g. the amount) and ``{{``/``}}`` for braces. Every placeholder is checked at
# load, so a text cannot name a figure that is not a parameter.

Condition = dict[str, Any]


TrackStatusName = Literal[
    "verplicht", "geadviseerd", "mogelijk", "niet_van_toepassing", "uitgesloten", "aangehouden", "beslissing_nodig"
]


class MeasureTrack(_Strict):
    """How the track of the measures shows this measure when it is advised."""

    status: TrackStatusName
    explanation: LangText


class MeasureDeadline(_Strict):
    """A term the measure gives (the first whose condition holds)."""

    when: Condition | None = Field(default=None, description="When this term applies; absent: always.")
    days: Identifier = Field(description="The parameter, in days, that gives the term.")


class MeasureDef(_Strict):
    """A measure of the domain: how it is named. Its place in ``measures`` is its weight (lightest first)."""

    label: LangText
    rung: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="Its rung on the ladder (a domain whose verdict climbs one: the lightest measure with a basis "
        "at or above the rung the rules ask for is advised).",
    )
    lawful: Condition | None = Field(
        default=None, description="On a ladder: when the measure has a legal or contractual basis; absent: always."
    )
    preferred: Condition | None = Field(
        default=None, description="On a ladder: when it goes first within its rung (it fits the aim best)."
    )
    deadline: list[MeasureDeadline] = Field(
        default_factory=list, description="The term the measure gives: the first entry whose condition holds."
    )
    sets: dict[Identifier, Condition] = Field(
        default_factory=dict,
        description="Verdict facts this measure sets when it is advised, each true when its condition holds "
        "(e.g. continuity_at_risk for a measure that could end care).",
    )
    track: MeasureTrack | None = Field(
        default=None, description="Its status and explanation on a track that shows the measure (status: measure)."
    )
    instead: LangText | None = Field(
        default=None,
        description="Why an alternative at the same level was passed over when this measure is advised "
        "({value:measure_instead}).",
    )


class RungDrop(_Strict):
    """A rung needed only for a measure that is ruled out: the need drops one rung."""

    measure: Identifier = Field(description="The measure whose rung is not needed when the condition holds.")
    when: Condition


class SummaryPart(_Strict):
    when: Condition | None = Field(default=None, description="When this part is said; absent: always.")
    text: LangText = Field(description="A template.")


class LadderDef(_Strict):
    """How a domain's verdict climbs a ladder of measures (providers, domain.md §6): the lightest
    measure whose ``lawful`` holds at or above the needed rung, the ``preferred`` first within a rung;
    when none reaches it, the heaviest that is lawful."""

    earlier: dict[Identifier, Annotated[int, Field(ge=1)]] = Field(
        description="The rung each kind of earlier measure stood on (history[].kind), to climb past it when it "
        "did not work."
    )
    escalate: Condition = Field(description="When an earlier measure that did not work asks one rung higher.")
    excluded: Condition | None = Field(default=None, description="When no measure is advised at all.")
    drop_rung: list[RungDrop] = Field(default_factory=list)
    summary: Annotated[list[SummaryPart], Field(min_length=1)] = Field(
        description="The advised measure's summary: every part whose condition holds, in order."
    )


class TrackBasis(_Strict):
    """What a track cites: sources always; the sources of the named rules that fired; ``otherwise``
    when none of those cites anything."""

    sources: list[Identifier] = Field(default_factory=list, description="Cited always (for the case's own law).")
    rules: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\$measure)?$")]] = Field(
        default_factory=list,
        description="Rules whose sources are cited when they fired; '$measure' at the end stands for the measure.",
    )
    rules_setting: list[Identifier] = Field(
        default_factory=list, description="Also the fired rules that set these facts."
    )
    rules_of_stage: list[Identifier] = Field(default_factory=list, description="Also the fired rules of these stages.")
    otherwise: list[Identifier] = Field(default_factory=list, description="Cited when nothing above is.")


class TrackCase(_Strict):
    """One way a track can come out: the first case whose condition holds."""

    when: dict[str, Any] | None = Field(default=None, description="Absent: always (the last case).")
    status: TrackStatusName | Literal["measure"] = Field(
        description="The status; 'measure': the status and explanation the advised measure gives (its track)."
    )
    amount: Literal["measure", "recovery"] | None = Field(
        default=None, description="The amount shown: the measure's, or the amount to recover (benefits)."
    )
    basis: TrackBasis | None = Field(default=None, description="What this case cites instead of the track's basis.")
    explanation: LangText | None = Field(default=None, description="A template; absent only with status: measure.")

    @model_validator(mode="after")
    def _explained(self) -> TrackCase:
        if self.explanation is None and self.status != "measure":
            raise ValueError("a track case needs an explanation (only status: measure takes the measure's)")
        return self


class Why(_Strict):
    when: dict[str, Any] | None = Field(default=None, description="Absent: always (the last reason).")
    text: LangText = Field(description="A template.")


class AlternativeDef(_Strict):
    """A measure the advice weighed, whether it was chosen, whether it is lawful, and why."""

    id: Identifier = Field(description="The alternative's name in the advice (Alternative.measure).")
    show: dict[str, Any] | None = Field(default=None, description="When it is listed; absent: always.")
    chosen: dict[str, Any] | None = Field(default=None, description="When it is the advice; absent: never.")
    lawful: dict[str, Any] | None = Field(default=None, description="When the law allows it; absent: always.")
    amount: Identifier | None = Field(default=None, description="An amount the domain works out for it.")
    why: Annotated[list[Why], Field(min_length=1)] = Field(description="The first reason whose condition holds.")


class TrackDef(_Strict):
    id: Identifier
    basis: TrackBasis = Field(default_factory=TrackBasis)
    cases: Annotated[list[TrackCase], Field(min_length=1)]


class Choice(_Strict):
    """One step of the choice of the measure: the first step whose conditions all hold is the advice."""

    id: Identifier = Field(description="The step's own id (unique in the pack).")
    measure: Identifier = Field(description="The measure (a key of measures) this step advises.")
    when: Condition | None = Field(default=None, description="When this step applies; absent: always.")
    lawful: Condition | None = Field(default=None, description="When the law allows the measure; absent: always.")
    blocked: Condition | None = Field(
        default=None, description="What blocks the measure even where it is lawful; absent: nothing."
    )
    preferred: Condition | None = Field(
        default=None, description="When the policy prefers the measure (else it is passed over); absent: always."
    )
    amount: Literal["fine"] | None = Field(default=None, description="The amount the domain computes for it.")
    probation_years: Identifier | None = Field(
        default=None, description="The parameter that gives the probation period in years (a conditional measure)."
    )
    summary: LangText = Field(description="Why this measure (a template).")


class InlineFactor(_Strict):
    """A factor for or against a decision, shown when its condition holds."""

    id: Identifier
    when: Condition
    direction: Literal["voor", "tegen"]
    text: LangText


class DecisionDef(_Strict):
    """A decision for a person: asked when its condition holds."""

    id: Identifier
    when: Condition | None = Field(default=None, description="When the question is asked; absent: always.")
    question: LangText = Field(description="The question (a template).")
    options: list[Identifier] | Literal["available_measures"] = Field(
        default_factory=list,
        description="The answers to choose from; 'available_measures': the measures the advice found lawful.",
    )
    consequences: LangText | None = Field(default=None, description="What follows from the answer (a template).")
    factors: list[InlineFactor] = Field(default_factory=list, description="Factors this decision lists itself.")
    rule_factors: bool = Field(
        default=False, description="Also list the factors fired rules give for this decision (then.factors)."
    )


class WhatIfDef(_Strict):
    """A change of facts and what it would do to the advice."""

    id: Identifier
    when: Condition | None = Field(default=None, description="When it is shown; absent: always.")
    set: dict[Identifier, Scalar] = Field(
        default_factory=dict,
        description="The facts changed; the domain works out the advice on them ({value:probe_amount}, "
        "{value:probe_measure}). Empty: the effect is stated, not computed.",
    )
    only_if_measure_changes: bool = Field(
        default=False, description="Show it only when the changed facts lead to another measure."
    )
    change: LangText = Field(description="The change (a template).")
    effect: LangText = Field(description="What it does (a template).")
    effect_unknown: LangText | None = Field(
        default=None, description="What it does when the changed advice has no amount (a template)."
    )


class EngineStepDef(_Strict):
    """What a step of the engine itself (not a rule) cites and says, e.g. the milder law (lex mitior)."""

    basis: list[Identifier] = Field(default_factory=list, description="The sources it cites.")
    text: LangText = Field(description="A template ({cite:..} and the step's own {value:..} only).")


class Verdict(_Strict):
    measures: dict[Identifier, MeasureDef] = Field(
        default_factory=dict, description="National packs: the domain's measures, lightest first."
    )
    choice: list[Choice] = Field(
        default_factory=list, description="National packs: how the measure is chosen, first match wins."
    )
    tracks: list[TrackDef] = Field(default_factory=list, description="National packs: the tracks of the advice.")
    alternatives: list[AlternativeDef] = Field(
        default_factory=list, description="National packs: the alternatives the advice weighs, in order."
    )
    calculation: dict[Identifier, LangText] = Field(
        default_factory=dict,
        description="National packs: the label of each step of the domain's calculation (a template).",
    )
    engine_steps: dict[Identifier, EngineStepDef] = Field(
        default_factory=dict,
        description="National packs: what the engine's own steps (eerder_gedrag, lex_mitior, voorstel_verkenning) "
        "cite and say.",
    )
    texts: dict[Identifier, LangText] = Field(
        default_factory=dict,
        description="National packs: the other sentences the domain's advice says (band, summary parts, missing "
        "facts), by name (templates).",
    )
    ladder: LadderDef | None = Field(
        default=None, description="National packs of a domain that climbs a ladder of measures (providers)."
    )
    decisions: list[DecisionDef] = Field(default_factory=list)
    what_ifs: list[WhatIfDef] = Field(default_factory=list)


# --- the words of the caseworker's form -------------------------------------------------------------

#: A case field by its path in the case model: ``violation.kind``, ``history[].imposed_on``.
FieldPath = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\[\])?(\.[a-z][a-z0-9_]*(\[\])?)*$", max_length=200)]


class FieldWords(_Strict):
    """A case field on the form: its name, the question the advice asks for it, and an optional help.
    Each is a template (``{param:..}``, ``{cite:..}``), so a help that names a figure reads it."""

    label: LangText
    question: LangText
    help: LangText | None = None
    group: Identifier | None = Field(
        default=None,
        description="The form's group of a field directly on the case (default: general); a nested field is in the "
        "group of its section.",
    )


class FormDef(_Strict):
    """The words of the caseworker's form (``GET /api/v1/case-fields``). National packs give every part;
    a municipal pack gives words only to the facts it declares itself (``facts``)."""

    groups: dict[Identifier, LangText] = Field(
        default_factory=dict, description="National packs: each group's heading, by id (the domain's own wording)."
    )
    item: LangText | None = Field(default=None, description="National packs: the name of one row of the history.")
    fields: dict[FieldPath, FieldWords] = Field(
        default_factory=dict, description="National packs: the words of every field of the domain's case model."
    )
    choices: dict[Identifier, LangText] = Field(
        default_factory=dict,
        description="National packs: the words of every choice of a case field; a choice that is a measure of the "
        "verdict takes the measure's label instead (one source).",
    )
    facts: dict[Identifier, LangText] = Field(
        default_factory=dict,
        description="What the form says about a fact the pack declares itself (default: its description).",
    )
    notes: dict[Identifier, LangText] = Field(
        default_factory=dict,
        description="National packs: the page's sentences that state the law around a decision (each name the domain "
        "asks for: why a departure needs a reason), as templates ({param:..}, {cite:..}).",
    )


# --- the letter's sentences that state the law ------------------------------------------------------

#: A sentence of the letter: Dutch (the letter's language, Awb 2:6), a template over the pack's
#: parameters and sources (``{param:..}``, ``{cite:..}``), with ``**words**`` for words in bold.
LetterText = Annotated[str, Field(min_length=1, max_length=2000)]


class LetterDef(_Strict):
    """The sentences of the decision letter that state the law (national packs): the full name of each
    law, what the violation was in the letter's words, and the named sentences the domain's letter says
    (the objection clause, where a duty or a calculation rule is written, ...). The letter context gives
    a template each one filled in for the case (``letter.NAME``); a citation becomes a link."""

    laws: dict[Identifier, LetterText] = Field(
        default_factory=dict, description="The full name of each law of the pack, as a letter names it."
    )
    kinds: dict[Identifier, LetterText] = Field(
        default_factory=dict,
        description="What the violation was, in the letter's words, by each choice of violation.kind.",
    )
    measures: dict[Identifier, LetterText] = Field(
        default_factory=dict,
        description="What each measure of the verdict means for the addressee (domains whose letter says it).",
    )
    texts: dict[Identifier, LetterText] = Field(
        default_factory=dict,
        description="The named sentences the domain's letter says (each name the domain asks for).",
    )
    objection_measures: list[Identifier] = Field(
        default_factory=list,
        description="The measures of the verdict that are a decision (besluit, Awb 1:3) the addressee can "
        "object to: the letter gives them the objection clause (letter.open_to_objection). Domains whose "
        "letter always gives it leave this out.",
    )


#: An input of an amount: a money field of the case (``finances.monthly_norm``) or a money value the
#: domain works out from the case (``applicable_monthly_norm``); each domain lists its own.
AmountInput = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=200)]


class AmountTerm(_Strict):
    """One term of an amount's sum: a money input of the case times a percentage parameter
    (``{input: finances.monthly_norm, percent: NAME}``), or a money parameter alone (``{param: NAME}``)."""

    input: AmountInput | None = Field(default=None, description="A money input of the case (with percent).")
    percent: Identifier | None = Field(default=None, description="A parameter in percent: the share of the input.")
    param: Identifier | None = Field(default=None, description="A parameter in euros, added as it is (alone).")

    @model_validator(mode="after")
    def _one_form(self) -> AmountTerm:
        if self.param is not None and (self.input is not None or self.percent is not None):
            raise ValueError("a term is {input: .., percent: ..} or {param: ..} alone, not both")
        if self.param is None and (self.input is None or self.percent is None):
            raise ValueError("a term names an input and its percent ({input: .., percent: ..}), or a money {param: ..}")
        return self


class AmountDef(_Strict):
    """A named monthly (or other) amount the pack computes from the case's amounts and its own parameters,
    which its texts name as ``{amount:NAME}``: the sum of its terms, each rounded to the cent."""

    description: LangText = Field(description="What the amount is, and the article that sets it.")
    unknown: LangText = Field(
        description="Said instead of the amount when an input is unknown (a template: {param:..} and {cite:..})."
    )
    sum: Annotated[list[AmountTerm], Field(min_length=1)] = Field(description="The terms, added up.")


class PackFile(_Strict):
    schema_version: int
    pack: PackHeader
    principles: dict[PrincipleId, Principle] = Field(default_factory=dict)
    sources: dict[Identifier, Source | LawSource] = Field(default_factory=dict)
    parameters: dict[Identifier, Parameter] = Field(default_factory=dict)
    followups: dict[Identifier, Followup] = Field(default_factory=dict)
    facts: dict[Identifier, DeclaredFact] = Field(
        default_factory=dict,
        description="Input facts this pack declares, computed from the case's history and dates (rules of this "
        "pack, and of a municipal pack on it, read them in when:).",
    )
    amounts: dict[Identifier, AmountDef] = Field(
        default_factory=dict,
        description="Amounts computed from the case's amounts and the pack's parameters, named in texts as "
        "{amount:NAME}.",
    )
    rules: list[Rule] = Field(default_factory=list)
    delegated_facts: list[Identifier] = Field(
        default_factory=list,
        description="National packs: the output facts a municipal rule may set (a municipal policy choice, such as "
        "preferring a lawful warning). Any other fact a municipal rule sets is refused.",
    )
    verdict: Verdict | None = Field(
        default=None,
        description="The measures and how one is chosen (national packs), the decisions for a person and the "
        "what-ifs the advice shows (any pack; a municipal pack adds its own).",
    )
    form: FormDef | None = Field(
        default=None,
        description="The words of the caseworker's form: group headings, each case field's label, question and "
        "help, each choice's words (national packs); words about the facts a pack declares (any pack).",
    )
    letter: LetterDef | None = Field(
        default=None,
        description="National packs: the decision letter's sentences that state the law (Dutch templates).",
    )

    _supported = field_validator("schema_version")(_supported_version)


# --- deltas: a version (or a bill) as the change on the version it extends ---------------------------
#
# In the spirit of OpenFisca's reforms: a file with ``extends`` holds its own header and only what it
# adds, changes or removes; the loader resolves it against the version it extends into a full
# :class:`PackFile`, so nothing downstream sees the difference.

VersionRef = Annotated[str, Field(pattern=r"^proposed-[a-z][a-z0-9_]*$")]


class AddedRule(Rule):
    """A rule a delta adds. It goes right after the rule added before it in the list; the first goes at
    the end of the rules, unless ``after`` names the rule it follows."""

    after: Identifier | None = Field(
        default=None,
        description="The rule (of the version extended, or added above) this rule follows; absent: right after "
        "the rule added before it, or at the end for the first.",
    )


class PrinciplePatch(_Strict):
    key: Identifier | None = None
    label: LangText | None = None
    demand: LangText | None = None
    reading: Annotated[str, Field(max_length=500)] | None = None
    source: Identifier | None = None
    serves: list[Served] | None = None
    engine_steps: list[EngineStep] | None = None


class SourcePatch(_Strict):
    citation: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    identifier: str | None = None
    url: str | None = None
    version_date: dt.date | None = None
    per_law: dict[Identifier, Identifier] | None = None


class ParameterPatch(_Strict):
    unit: str | None = None
    date_basis: str | None = None
    source: Identifier | None = None
    description: LangText | None = None
    verify: bool | None = None
    delegated: Delegated | None = None
    values: list[DatedValue] | None = Field(
        default=None, description="Replaces every dated value; to add a value, use add.values."
    )


class FollowupPatch(_Strict):
    text: LangText | None = None
    principles: list[PrincipleId] | None = None
    audience: Literal["inwoner", "gemeente", "zorgaanbieder"] | None = None


class DeclaredFactPatch(_Strict):
    description: LangText | None = None
    any_: HistoryQuery | None = Field(default=None, alias="any")
    count: HistoryQuery | None = None


class AmountPatch(_Strict):
    description: LangText | None = None
    unknown: LangText | None = None
    sum: list[AmountTerm] | None = None


class RulePatch(_Strict):
    stage: str | None = None
    when: dict[str, Any] | None = None
    exception_to: list[Identifier] | None = None
    then: Then | None = None
    basis: list[Identifier] | None = None
    principles: list[PrincipleId] | None = None
    reason: LangText | None = None


class AddedMeasure(MeasureDef):
    after: Identifier | None = Field(default=None, description="The measure it is heavier than; absent: the end.")


class AddedChoice(Choice):
    before: Identifier | None = Field(default=None, description="The step it goes before; absent: the end.")


class AddedDecision(DecisionDef):
    before: Identifier | None = Field(default=None, description="The decision it goes before; absent: the end.")


class AddedAlternative(AlternativeDef):
    before: Identifier | None = Field(default=None, description="The alternative it goes before; absent: the end.")


class AddedWhatIf(WhatIfDef):
    before: Identifier | None = Field(default=None, description="The what-if it goes before; absent: the end.")


class VerdictAdd(_Strict):
    """What a delta adds to the verdict of the version it extends (a new measure in a bill)."""

    measures: dict[Identifier, AddedMeasure] = Field(default_factory=dict)
    choice: list[AddedChoice] = Field(default_factory=list)
    decisions: list[AddedDecision] = Field(default_factory=list)
    what_ifs: list[AddedWhatIf] = Field(default_factory=list)
    alternatives: list[AddedAlternative] = Field(default_factory=list)


class DeltaAdd(_Strict):
    """What a delta adds: each name must be new in the version it extends (``values``: new dated values
    of a parameter it has)."""

    principles: dict[PrincipleId, Principle] = Field(default_factory=dict)
    sources: dict[Identifier, Source | LawSource] = Field(default_factory=dict)
    parameters: dict[Identifier, Parameter] = Field(default_factory=dict)
    values: dict[Identifier, list[DatedValue]] = Field(
        default_factory=dict,
        description="New dated values of a parameter the extended version has (e.g. an indexed figure from a date).",
    )
    followups: dict[Identifier, Followup] = Field(default_factory=dict)
    facts: dict[Identifier, DeclaredFact] = Field(default_factory=dict)
    amounts: dict[Identifier, AmountDef] = Field(default_factory=dict)
    rules: list[AddedRule] = Field(default_factory=list)
    delegated_facts: list[Identifier] = Field(default_factory=list)
    verdict: VerdictAdd | None = Field(
        default=None, description="Measures, steps of the choice, decisions and what-ifs the version adds."
    )


class DeltaChange(_Strict):
    """What a delta changes: each named item must exist in the version it extends; the keys written
    replace that item's keys (a rule's ``then`` as a whole), the other keys stay."""

    principles: dict[PrincipleId, PrinciplePatch] = Field(default_factory=dict)
    sources: dict[Identifier, SourcePatch] = Field(default_factory=dict)
    parameters: dict[Identifier, ParameterPatch] = Field(default_factory=dict)
    followups: dict[Identifier, FollowupPatch] = Field(default_factory=dict)
    facts: dict[Identifier, DeclaredFactPatch] = Field(default_factory=dict)
    amounts: dict[Identifier, AmountPatch] = Field(default_factory=dict)
    rules: dict[Identifier, RulePatch] = Field(default_factory=dict)


class DeltaRemove(_Strict):
    """What a delta removes, by name: each must exist in the version it extends."""

    principles: list[PrincipleId] = Field(default_factory=list)
    sources: list[Identifier] = Field(default_factory=list)
    parameters: list[Identifier] = Field(default_factory=list)
    followups: list[Identifier] = Field(default_factory=list)
    facts: list[Identifier] = Field(default_factory=list)
    amounts: list[Identifier] = Field(default_factory=list)
    rules: list[Identifier] = Field(default_factory=list)
    delegated_facts: list[Identifier] = Field(default_factory=list)


class PackDelta(_Strict):
    """A pack version (or a bill) written as its change on an earlier version of the same pack."""

    schema_version: int
    extends: dt.date | VersionRef = Field(
        description="The version of the same pack this one changes: its valid_from (2013-01-01) or a proposal "
        "(proposed-<id>)."
    )
    pack: PackHeader = Field(description="The header is written in full: it names this version.")
    remove: DeltaRemove = Field(default_factory=DeltaRemove)
    change: DeltaChange = Field(default_factory=DeltaChange)
    add: DeltaAdd = Field(default_factory=DeltaAdd)

    _supported = field_validator("schema_version")(_supported_version)
