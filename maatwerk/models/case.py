# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The benefit case: an established violation of the duty to inform, with its context.

Field names are English; domain values use the Dutch legal terms caseworkers and statutes use
(docs/glossary.md maps them). A ``None`` (or an absent optional field) means *unknown*, never
"no": the advice lists unknown facts that a rule reads as missing facts.

Deliberately absent: nationality, ethnicity, language skills, gender, religion, postcode or
neighbourhood, age, appearance, and any proxy for them (domain.md §7). Supplying such a field is
rejected with the error code ``PROTECTED_CHARACTERISTIC``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from maatwerk.models._base import CaseMoney as Money
from maatwerk.models._base import Count, Day, Flag, Frozen

__all__ = [
    "BENEFIT_LAWS",
    "CULPABILITY_LEVELS",
    "FINE_LEVELS",
    "LOSS_BASIS_PARAMETER",
    "BenefitCase",
    "BenefitLoss",
    "CaseRef",
    "Circumstances",
    "Culpability",
    "CulpabilityIndicators",
    "CulpabilityLevel",
    "Detection",
    "Finances",
    "Law",
    "MunicipalityRole",
    "Period",
    "PriorSanction",
    "PriorSanctionKind",
    "Procedure",
    "UrgentReasons",
    "Violation",
    "ViolationKind",
]

CaseRef = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")]
"""The integrator's own reference for the case: opaque, and only ever logged as a keyed pseudonym."""


class Law(StrEnum):
    """The benefit law under which the duty to inform was breached."""

    participatiewet = "participatiewet"
    ioaw = "ioaw"
    ioaz = "ioaz"
    bbz = "bbz"
    """Bijstand to a zelfstandige under the Besluit bijstandverlening zelfstandigen 2004: bijstand under
    the Participatiewet (Pw art. 78f; Bbz art. 60b), so its duty to inform (Pw 17) and fine (Pw 18a)
    are the Participatiewet's; recovery follows Bbz art. 44-47."""


#: Every benefit law a case can name (the values of the ``law`` fact and of the generators).
BENEFIT_LAWS: tuple[str, ...] = tuple(law.value for law in Law)

#: The parameter that says whether a law's benadelingsbedrag is net or gross. A Bbz case is bijstand
#: under the Participatiewet (Pw art. 78f allows the Bbz no departure from art. 18a), so its
#: benadelingsbedrag is the Participatiewet's (art. 18a lid 2; net, ECLI:NL:CRVB:2017:2436).
LOSS_BASIS_PARAMETER: dict[str, str] = {
    Law.participatiewet.value: "benadeling_grondslag_participatiewet",
    Law.bbz.value: "benadeling_grondslag_participatiewet",
    Law.ioaw.value: "benadeling_grondslag_ioaw_ioaz",
    Law.ioaz.value: "benadeling_grondslag_ioaw_ioaz",
}


class ViolationKind(StrEnum):
    """What the person did not report."""

    inkomsten_of_werk = "inkomsten_of_werk"
    samenwoning = "samenwoning"
    vermogen = "vermogen"
    verblijf_buitenland = "verblijf_buitenland"
    overig = "overig"


class Detection(StrEnum):
    """How the violation came to light."""

    zelfmelding_voor_ontdekking = "zelfmelding_voor_ontdekking"
    """The person corrected it before the municipality found out (Boetebesluit art. 2a lid 2 c)."""
    zelfmelding_tijdens_onderzoek = "zelfmelding_tijdens_onderzoek"
    """The person reported it, but only once an investigation had started: not a self-correction."""
    onderzoek = "onderzoek"
    gegevensvergelijking = "gegevensvergelijking"


class CulpabilityLevel(StrEnum):
    """Degree of culpability, a legal finding confirmed by a caseworker (Boetebesluit art. 2)."""

    opzet = "opzet"
    grove_schuld = "grove_schuld"
    normaal = "normaal"
    verminderd = "verminderd"
    geen = "geen"


#: Every level a caseworker can confirm, most culpable first (the vocabulary of rules, generators and
#: the decision's options all read it from here).
CULPABILITY_LEVELS: tuple[str, ...] = tuple(level.value for level in CulpabilityLevel)

#: The levels at which a fine is computed, most culpable first (Boetebesluit art. 2 lid 2-5).
FINE_LEVELS: tuple[str, ...] = tuple(level.value for level in CulpabilityLevel if level is not CulpabilityLevel.geen)


class PriorSanctionKind(StrEnum):
    boete = "boete"
    waarschuwing = "waarschuwing"
    strafrechtelijke_sanctie = "strafrechtelijke_sanctie"


class UrgentReasons(StrEnum):
    """The outcome of a person's weighing of dringende redenen (Pw 18a lid 7)."""

    aanwezig = "aanwezig"
    """Urgent reasons exist: the municipality refrains from the fine."""
    afwezig = "afwezig"
    """Weighed, and no urgent reasons exist."""


class Period(Frozen):
    start: Day
    end: Day

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")
        return self


class Violation(Frozen):
    """The established breach of the duty to inform (Pw art. 17 lid 1; IOAW/IOAZ art. 13 lid 1)."""

    established: Flag = Field(description="A person established the violation and determined the benadelingsbedrag.")
    kind: ViolationKind
    period: Period
    information_due: Day = Field(description="When the information should have been given.")
    detected_on: Day = Field(description="When the municipality learned of the violation.")
    detection: Detection
    self_reported_on: Day | None = Field(default=None, description="When the person reported it, if the person did.")

    @model_validator(mode="after")
    def _self_report(self) -> Violation:
        self_reported = self.detection in {
            Detection.zelfmelding_voor_ontdekking,
            Detection.zelfmelding_tijdens_onderzoek,
        }
        if self_reported and self.self_reported_on is None:
            raise ValueError("self_reported_on is required when the person reported the violation")
        if not self_reported and self.self_reported_on is not None:
            raise ValueError("self_reported_on is only given when detection is a zelfmelding")
        if self.self_reported_on is not None and self.self_reported_on < self.information_due:
            raise ValueError("self_reported_on lies before information_due: then there is no violation")
        return self


class BenefitLoss(Frozen):
    """The benadelingsbedrag, as determined by a person. Give the amount(s) you have."""

    net: Money | None = Field(default=None, description="The net loss to the municipality, in euros.")
    gross: Money | None = Field(default=None, description="The gross loss to the municipality, in euros.")
    before_2013: Money | None = Field(
        default=None,
        description="Part of the benadelingsbedrag caused by conduct before the Fraudewet took effect (the national "
        "pack's parameter fraudewet_ingang; same basis).",
    )
    already_recovered: Money | None = Field(default=None, description="Already recovered, in euros.")

    @model_validator(mode="after")
    def _one_amount(self) -> BenefitLoss:
        if self.net is None and self.gross is None:
            raise ValueError("give the net or the gross benadelingsbedrag (or both)")
        if self.net is not None and self.gross is not None and self.gross < self.net:
            raise ValueError("the gross benadelingsbedrag cannot be lower than the net amount")
        return self


class CulpabilityIndicators(Frozen):
    """Indicators a caseworker found; they support a proposal, never replace the confirmed level."""

    admission: Flag | None = Field(default=None, description="The person admitted acting knowingly.")
    concealed_work_or_income: Flag | None = None
    concealed_household_or_assets: Flag | None = Field(
        default=None, description="Concealed household composition, family income or assets."
    )
    repeated_failure_to_inform: Flag | None = None
    combination_pointing_to_gross_negligence: Flag | None = None


class Culpability(Frozen):
    confirmed: CulpabilityLevel | None = Field(
        default=None,
        description="The level a caseworker confirmed; absent while it has not been established.",
    )
    indicators: CulpabilityIndicators = CulpabilityIndicators()


class PriorSanction(Frozen):
    """An earlier fine, warning or criminal sanction of the same person.

    Recidive (Pw 18a lid 5-6; IOAW/IOAZ 20a lid 5-6) counts a fine or criminal sanction for the same
    conduct that was **imposed** in the 5 (10 after an unconditional prison sentence) years before the
    new violation and **has become final**; a warning blocks a new warning for 2 years from the day it
    was **given**. So ``imposed_on`` places a sanction in those windows and ``final_on`` says whether
    it has become final. When ``imposed_on`` is unknown, the sanction counts only where ``final_on``
    alone settles the question (a sanction final before the window opened was imposed before it too);
    otherwise the fact is unknown and the advice asks for the date.
    """

    kind: PriorSanctionKind
    imposed_on: Day | None = Field(
        default=None,
        description="The day the sanction was imposed or the warning given (its dagtekening; for a criminal "
        "sanction the day of the judgment or strafbeschikking).",
    )
    final_on: Day | None = Field(
        default=None,
        description="The day the sanction became final (onherroepelijk); absent while it is not (yet) final "
        "or when the day is not known.",
    )
    same_conduct: Flag = Field(description="For the same conduct (a breach of the same duty).")
    unconditional_prison: Flag = Field(
        default=False, description="A criminal sanction that included an unconditional prison sentence."
    )
    without_loss: Flag | None = Field(
        default=None,
        description="The earlier violation caused no benadelingsbedrag (nothing was paid too much); absent when "
        "not known. Read only by a pack's declared facts that ask for it (a policy that treats a repeat of a "
        "violation without loss apart, e.g. Leeuwarden 2015 art. 3.1.4).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> PriorSanction:
        if self.unconditional_prison and self.kind is not PriorSanctionKind.strafrechtelijke_sanctie:
            raise ValueError("unconditional_prison applies only to a strafrechtelijke_sanctie")
        if self.imposed_on is None and self.final_on is None:
            raise ValueError("give imposed_on (the day it was imposed or given), final_on, or both")
        if self.imposed_on is not None and self.final_on is not None and self.final_on < self.imposed_on:
            raise ValueError("final_on lies before imposed_on: a sanction becomes final after it is imposed")
        return self


class MunicipalityRole(Frozen):
    """The municipality's own share in the violation or its size (Boetebesluit 2a lid 2 d)."""

    late_processing: Flag | None = None
    unclear_communication: Flag | None = None
    ignored_signals: Flag | None = None


class Circumstances(Frozen):
    disrupting_life_events: Flag | None = None
    mental_state_reduces_attribution: Flag | None = None
    combination_of_circumstances: Flag | None = Field(
        default=None, description="A combination of circumstances reducing culpability (2a lid 2 e)."
    )
    municipality: MunicipalityRole = MunicipalityRole()
    debts: Flag | None = None
    debt_arrangement: Flag | None = Field(default=None, description="In a (WSNP or minnelijke) schuldregeling.")
    existing_claim: Flag | None = Field(
        default=None,
        description="The person already owes the municipality an earlier claim that is still open (for example "
        "benefit recovered before); this case's claim comes beside it.",
    )
    dependent_children: Flag | None = None
    health_problems: Flag | None = None
    cooperated: Flag | None = Field(default=None, description="Cooperated with the investigation.")


def _more_than_zero(amount: Decimal) -> Decimal:
    if amount <= 0:
        raise PydanticCustomError("norm_not_positive", "a bijstandsnorm is more than 0")
    return amount


#: A monthly bijstandsnorm: no norm of the Participatiewet, IOAW or IOAZ is €0, and a norm of €0 would
#: make the cap on what a person can pay nil.
Norm = Annotated[Money, AfterValidator(_more_than_zero)]


class Finances(Frozen):
    bijstand_level_income: Flag | None = Field(
        default=None, description="The person (household) lives on an income at bijstand level."
    )
    monthly_norm: Norm | None = Field(
        default=None, description="The applicable monthly bijstandsnorm incl. holiday allowance (more than 0)."
    )
    financial_data_supplied: Flag | None = None
    joint_household: Flag | None = Field(default=None, description="A gezamenlijke huishouding.")
    household_monthly_norm: Norm | None = Field(
        default=None, description="The household's monthly norm, when there is a joint household (more than 0)."
    )
    monthly_payment_capacity: Money | None = Field(
        default=None,
        description="For an income above bijstand level: what can be paid per month, as assessed by a person.",
    )
    monthly_amount_above_beslagvrije_voet: Money | None = Field(
        default=None,
        description="What the (household's) monthly income exceeds the beslagvrije voet by (Rv art. 475c-475e, as "
        "set by the Wet vereenvoudiging beslagvrije voet), as determined by a person. For an income above bijstand "
        "level without an assessed monthly_payment_capacity it is the payment capacity of the ability-to-pay cap; a "
        "municipal policy may cap the fine at a number of months of it.",
    )
    monthly_income_above_norm: Money | None = Field(
        default=None,
        description="The person's (household's) monthly income above the applicable bijstandsnorm, as determined by a "
        "person (0 when the income is not above it). A municipal pack can compute an amount from it, such as a "
        "monthly repayment of a share of the income above the norm.",
    )


class Procedure(Frozen):
    deceased: Flag | None = None
    already_fined_same_facts: Flag | None = None
    prosecuted_same_facts: Flag | None = None
    urgent_reasons: UrgentReasons | None = Field(
        default=None, description="Dringende redenen as weighed by a person (Pw 18a lid 7)."
    )
    reasonable_term_exceeded: Flag | None = Field(
        default=None, description="The proceedings have exceeded the reasonable term (as assessed by a person)."
    )
    reasonable_term_exceeded_months: Count | None = Field(
        default=None,
        ge=1,
        le=1200,
        description="By how many months (started) the proceedings exceeded the reasonable term, as assessed by a "
        "person; sets the reduction of the fine (courts: a smaller share up to half a year, a larger one up to a year).",
    )
    limitation_suspended_days: Count | None = Field(
        default=None, ge=0, le=36500, description="Days objection and appeal suspended the limitation term."
    )
    prosecutor_exception: Literal["verwijzen", "niet_verwijzen"] | None = Field(
        default=None,
        description="A person applied an exception of the OM Aanwijzing: refer below, or not above, the threshold.",
    )

    @model_validator(mode="after")
    def _term(self) -> Procedure:
        if self.reasonable_term_exceeded is False and self.reasonable_term_exceeded_months is not None:
            raise ValueError("reasonable_term_exceeded_months is given, but reasonable_term_exceeded is false")
        return self


class BenefitCase(Frozen):
    """An established violation of the inlichtingenplicht, with everything the rules weigh."""

    domain: Literal["benefits"] = "benefits"
    case_ref: CaseRef | None = None
    law: Law
    obligation: Literal["inlichtingenplicht"] = "inlichtingenplicht"
    decision_date: Day
    violation: Violation
    benefit_loss: BenefitLoss
    culpability: Culpability = Culpability()
    history: tuple[PriorSanction, ...] = Field(default=(), max_length=100)
    circumstances: Circumstances = Circumstances()
    finances: Finances = Finances()
    procedure: Procedure = Procedure()

    @model_validator(mode="after")
    def _dates(self) -> BenefitCase:
        v = self.violation
        checks = [
            (v.period.start, "violation.period.start"),
            (v.period.end, "violation.period.end"),
            (v.information_due, "violation.information_due"),
            (v.detected_on, "violation.detected_on"),
        ]
        if v.self_reported_on is not None:
            checks.append((v.self_reported_on, "violation.self_reported_on"))
        decided = self.decision_date
        late = [name for day, name in checks if day > decided]
        for i, h in enumerate(self.history):  # no list of (day, name) per entry: most have none to report
            if h.imposed_on is not None and h.imposed_on > decided:
                late.append(f"history.{i}.imposed_on")
            if h.final_on is not None and h.final_on > decided:
                late.append(f"history.{i}.final_on")
        if late:
            raise ValueError(f"these dates lie after decision_date: {', '.join(late)}")
        return self
