# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The provider case: a care provider fell short on quality (Wmo 2015, Jeugdwet), with its context.

The provider is an organisation, named by an opaque id; the case holds no personal data of clients
or staff, and no free text. As in the benefit case, ``None`` means *unknown*: a rule that reads an
unknown fact lists it as a missing fact.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from maatwerk.models._base import CaseMoney as Money
from maatwerk.models._base import Count, Day, Flag, Frozen
from maatwerk.models.case import CaseRef, CulpabilityLevel

__all__ = [
    "Continuity",
    "Contract",
    "EarlierMeasure",
    "EarlierMeasureKind",
    "Pattern",
    "Provider",
    "ProviderCase",
    "ProviderLaw",
    "ProviderResponse",
    "ProviderViolation",
    "ProviderViolationKind",
    "Risk",
]

ProviderId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")]
"""The municipality's own id of the provider (e.g. its contract or AGB code): opaque, never a name."""


class ProviderLaw(StrEnum):
    """The law the care is delivered under."""

    wmo2015 = "wmo2015"
    jeugdwet = "jeugdwet"


class ProviderViolationKind(StrEnum):
    """What the provider fell short on."""

    calamiteit_niet_gemeld = "calamiteit_niet_gemeld"
    """A calamity was not reported (Wmo 2015 art. 3.4; Jeugdwet art. 4.1.8)."""
    geweld_niet_gemeld = "geweld_niet_gemeld"
    """Violence in the provision of care was not reported (same articles)."""
    kwaliteit_onvoldoende = "kwaliteit_onvoldoende"
    """A quality standard was not met (Wmo 2015 art. 3.1; Jeugdwet art. 4.1.1)."""
    geen_medewerking_toezicht = "geen_medewerking_toezicht"
    """The provider did not cooperate with supervision (Awb art. 5:20)."""
    vermoeden_fraude = "vermoeden_fraude"
    """Suspected fraud: care billed but not delivered, or not as agreed."""


class Pattern(StrEnum):
    incidenteel = "incidenteel"
    structureel = "structureel"


class EarlierMeasureKind(StrEnum):
    """Earlier enforcement towards the same provider."""

    gesprek = "gesprek"
    verbeterplan = "verbeterplan"
    verscherpt_toezicht = "verscherpt_toezicht"
    contractmaatregel = "contractmaatregel"
    last_onder_dwangsom = "last_onder_dwangsom"
    contractuele_boete = "contractuele_boete"


class Provider(Frozen):
    id: ProviderId


class ProviderViolation(Frozen):
    established: Flag = Field(description="The violation is established (by the supervisor or the municipality).")
    kind: ProviderViolationKind
    found_on: Day = Field(description="When the supervisor or the municipality found the violation.")


class Risk(Frozen):
    """Severity and risk to clients, as found by the supervisor."""

    harm_occurred: Flag | None = Field(default=None, description="Clients came to harm.")
    vulnerable_clients: Flag | None = Field(
        default=None, description="The care concerns clients who depend on it heavily (e.g. 24-hour care, youth)."
    )
    ongoing_danger: Flag | None = Field(
        default=None, description="The safety of clients is in danger now, until something changes."
    )


class ProviderResponse(Frozen):
    cooperates: Flag | None = Field(default=None, description="Cooperates with the municipality and the supervisor.")
    capacity_to_improve: Flag | None = Field(
        default=None, description="Has the people and means to improve within a reasonable time."
    )


class EarlierMeasure(Frozen):
    kind: EarlierMeasureKind
    taken_on: Day = Field(description="When the measure was taken.")
    same_standard: Flag = Field(description="For the same quality standard or duty.")
    complied: Flag | None = Field(default=None, description="The provider did what the measure asked, in time.")


class Continuity(Frozen):
    """Whether clients keep their care if the provider has to stop."""

    clients_can_move_in_time: Flag | None = Field(
        default=None, description="Clients can move to another provider in time (capacity exists nearby)."
    )
    clients_affected: Count | None = Field(
        default=None, ge=0, le=1_000_000, description="How many clients the provider serves under this contract."
    )


class Contract(Frozen):
    """The instruments the contract with this provider allows (None: not known what the contract says)."""

    improvement_plan: Flag | None = Field(default=None, description="The municipality may require an improvement plan.")
    intake_stop: Flag | None = Field(default=None, description="The municipality may stop new referrals (intake stop).")
    payment_suspension: Flag | None = Field(default=None, description="The municipality may suspend payments.")
    penalty: Flag | None = Field(default=None, description="The contract has a penalty clause.")
    penalty_max: Money | None = Field(default=None, description="The contract's maximum penalty per breach.")
    termination: Flag | None = Field(
        default=None, description="The contract may be terminated (ontbonden) for shortcomings."
    )

    @model_validator(mode="after")
    def _penalty(self) -> Contract:
        if self.penalty_max is not None and self.penalty is False:
            raise ValueError("penalty_max is given but the contract has no penalty clause (penalty: false)")
        return self


class MunicipalRole(Frozen):
    """The municipality's own share as commissioner (P2, P4)."""

    unclear_requirements: Flag | None = Field(
        default=None, description="The contract or the municipality's requirements were unclear."
    )
    signals_not_acted_on: Flag | None = Field(
        default=None, description="Earlier signals reached the municipality and were not acted on."
    )


class ProviderCase(Frozen):
    """A quality violation by a care provider, with everything the rules weigh."""

    domain: Literal["providers"]
    case_ref: CaseRef | None = None
    law: ProviderLaw
    decision_date: Day
    provider: Provider
    violation: ProviderViolation
    risk: Risk = Risk()
    pattern: Pattern | None = Field(default=None, description="Incidental, or structural (recurring, systemic).")
    response: ProviderResponse = ProviderResponse()
    history: tuple[EarlierMeasure, ...] = Field(default=(), max_length=100)
    culpability: CulpabilityLevel | None = Field(
        default=None, description="The provider's culpability as confirmed by a person; absent while unknown."
    )
    continuity: Continuity = Continuity()
    contract: Contract = Contract()
    municipality: MunicipalRole = MunicipalRole()

    @model_validator(mode="after")
    def _dates(self) -> ProviderCase:
        late = [
            name
            for day, name in [
                (self.violation.found_on, "violation.found_on"),
                *((h.taken_on, f"history.{i}.taken_on") for i, h in enumerate(self.history)),
            ]
            if day > self.decision_date
        ]
        if late:
            raise ValueError(f"these dates lie after decision_date: {', '.join(late)}")
        return self
