# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The advice: frozen, JSON-serialisable, and byte-identical for identical input.

Every text is given in Dutch and English. Money is a decimal string. Lists are ordered
deterministically (tracks in legal order, steps in evaluation order).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from maatwerk.models._base import Frozen, Money, Text

__all__ = [
    "Advice",
    "Alternative",
    "Band",
    "CalculationStep",
    "Counterfactual",
    "DecisionFactor",
    "FollowUp",
    "HumanDecision",
    "LegalBasis",
    "Measure",
    "MissingFact",
    "Outcome",
    "PackRef",
    "ParameterUse",
    "ReasoningStep",
    "Track",
    "TrackOutcome",
]

TrackId = Literal[
    "herziening",
    "terugvordering",
    "boete_of_waarschuwing",
    "aangifte",
    "maatregel",
    "herstel_kwaliteit",
    "melding_toezichthouder",
    "continuiteit_zorg",
]
TrackStatus = Literal[
    "verplicht", "geadviseerd", "mogelijk", "niet_van_toepassing", "uitgesloten", "aangehouden", "beslissing_nodig"
]
BenefitMeasureKind = Literal[
    "boete", "voorwaardelijke_boete", "waarschuwing", "geen_boete", "aangifte", "beslissing_nodig"
]
ProviderMeasureKind = Literal[
    "geen_maatregel",
    "gesprek",
    "verbeterplan",
    "verscherpt_toezicht",
    "aanwijzing",
    "intake_stop",
    "last_onder_dwangsom",
    "betalingsopschorting",
    "contractuele_boete",
    "ontbinding",
]
MeasureKind = BenefitMeasureKind | ProviderMeasureKind


class LegalBasis(Frozen):
    id: str
    citation: str
    identifier: str
    url: str


class ParameterUse(Frozen):
    name: str
    value: str
    valid_from: str
    basis: LegalBasis
    verify: bool = False


class Track(Frozen):
    id: TrackId
    status: TrackStatus
    amount: Money | None = None
    basis: tuple[LegalBasis, ...]
    explanation: Text


class CalculationStep(Frozen):
    id: str
    label: Text
    amount: Money
    parameters: tuple[ParameterUse, ...] = ()


class Band(Frozen):
    """The legal band: the lowest measure the law allows and the statutory maximum. A municipal
    policy cap never rewrites the statutory maximum: it is shown beside it, with its own label."""

    lowest: Text
    lowest_amount: Money | None
    highest: Text
    highest_amount: Money | None
    policy_cap: Text | None = Field(
        default=None, description="The municipality's own cap on the fine, labelled with its source; absent if none."
    )
    policy_cap_amount: Money | None = Field(default=None, description="The amount of the municipality's cap.")


class Alternative(Frozen):
    measure: str
    amount: Money | None = None
    chosen: bool
    lawful: bool
    why: Text


class ReasoningStep(Frozen):
    rule_id: str
    pack: str
    stage: str
    basis: tuple[LegalBasis, ...]
    principles: tuple[str, ...]
    text: Text
    inputs: dict[str, str]


class DecisionFactor(Frozen):
    text: Text
    direction: Literal["voor", "tegen"]
    rule_id: str


class HumanDecision(Frozen):
    id: str
    question: Text
    factors: tuple[DecisionFactor, ...] = ()
    options: tuple[str, ...] = ()
    consequences: Text | None = None


class MissingFact(Frozen):
    fact: str
    field: str
    why: Text
    rules: tuple[str, ...] = ()


class Counterfactual(Frozen):
    change: Text
    effect: Text


class FollowUp(Frozen):
    id: str
    text: Text
    principles: tuple[str, ...]
    audience: str


class PackRef(Frozen):
    id: str
    version: str
    sha256: str
    role: Literal["national", "municipal"]
    used_for: Literal["gedrag_en_procedure", "gedrag", "procedure"]
    in_force: bool = Field(
        default=True,
        description="False for a proposed law previewed with an assumed date: the advice is then an exploration, "
        "not an advice under current law.",
    )


class Measure(Frozen):
    kind: MeasureKind
    amount: Money | None = None
    probation_years: int | None = Field(
        default=None, description="For a conditional fine: the probation period (proeftijd) in years."
    )
    deadline_days: int | None = Field(
        default=None,
        description="For a provider measure: the days the provider has to comply (improvement plan, "
        "begunstigingstermijn of an order).",
    )
    summary: Text
    band: Band


class Advice(Frozen):
    schema_version: Literal["1"] = "1"
    domain: Literal["benefits", "providers"] = "benefits"
    case_ref: str | None = None
    measure: Measure
    tracks: tuple[Track, ...]
    calculation: tuple[CalculationStep, ...]
    alternatives: tuple[Alternative, ...]
    steps: tuple[ReasoningStep, ...]
    decisions: tuple[HumanDecision, ...]
    missing_facts: tuple[MissingFact, ...]
    what_would_change: tuple[Counterfactual, ...]
    followups: tuple[FollowUp, ...]
    cause_category: str
    packs: tuple[PackRef, ...]
    principles: dict[str, Text]
    engine: str = Field(
        description="maatwerk's release and the evaluator that made the advice (durable-rules and its version, the reference evaluator, or the compiled evaluator)."
    )
    receipt: str = Field(
        description="SHA-256 over the canonical input, the packs' hashes and the version of the advice logic (not the release)."
    )


class TrackOutcome(Frozen):
    """A track without its explanation and citations: its status and amount."""

    id: TrackId
    status: TrackStatus
    amount: Money | None = None


class AlternativeOutcome(Frozen):
    """An alternative without its reason and amount: the measure, whether it is the one chosen, and
    whether the advice finds it lawful in this case."""

    measure: str
    chosen: bool
    lawful: bool


class Outcome(Frozen):
    """The decision of an advice without its reasoning (:meth:`maatwerk.Engine.outcome`): field for
    field the same as those parts of :meth:`maatwerk.Engine.advise`'s :class:`Advice` on the same
    case (:meth:`of` takes them from an advice). For impact runs, checks and batch work that need the
    measure, not the explanation."""

    schema_version: Literal["1"] = "1"
    domain: Literal["benefits", "providers"] = "benefits"
    case_ref: str | None = None
    measure: MeasureKind
    amount: Money | None = None
    probation_years: int | None = None
    deadline_days: int | None = None
    lowest_amount: Money | None = Field(default=None, description="The band's lowest amount (measure.band).")
    highest_amount: Money | None = Field(default=None, description="The band's highest amount (measure.band).")
    policy_cap_amount: Money | None = Field(default=None, description="The municipality's cap (measure.band).")
    tracks: tuple[TrackOutcome, ...]
    alternatives: tuple[AlternativeOutcome, ...] = Field(
        description="The advice's alternatives (alternatives), in its order, without their reasons and amounts."
    )
    rules: tuple[str, ...] = Field(description="The rules that fired, in the order the advice's steps give them.")
    packs: tuple[PackRef, ...]
    engine: str
    receipt: str = Field(description="The advice's receipt: the same for the outcome and the full advice.")

    @classmethod
    def of(cls, advice: Advice) -> Outcome:
        """The outcome part of a full advice."""
        m = advice.measure
        return cls(
            domain=advice.domain,
            case_ref=advice.case_ref,
            measure=m.kind,
            amount=m.amount,
            probation_years=m.probation_years,
            deadline_days=m.deadline_days,
            lowest_amount=m.band.lowest_amount,
            highest_amount=m.band.highest_amount,
            policy_cap_amount=m.band.policy_cap_amount,
            tracks=tuple(TrackOutcome(id=t.id, status=t.status, amount=t.amount) for t in advice.tracks),
            alternatives=tuple(
                AlternativeOutcome(measure=a.measure, chosen=a.chosen, lawful=a.lawful) for a in advice.alternatives
            ),
            rules=tuple(s.rule_id for s in advice.steps if s.stage != SELECTION_STAGE),
            packs=advice.packs,
            engine=advice.engine,
            receipt=advice.receipt,
        )


#: The stage of the engine's own steps (pack selection, the milder law, a previewed bill): not rules.
SELECTION_STAGE = "selectie"
