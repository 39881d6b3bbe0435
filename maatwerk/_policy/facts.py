# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The fact vocabulary that policy rules may read and set, per domain, and its engine encoding.

Input facts are flattened or derived from the case by :mod:`maatwerk._domains.facts`; output facts are
set by rules (``then.set``) and start at their default. Facts reach the rules engine encoded as
integers and strings only (durable-rules compares nothing else reliably, engine-notes.md):

- ``bool``: 1 true, 0 false, -1 unknown;
- ``money`` (whole cents), ``int``, ``date`` (proleptic ordinal): the value, with a companion
  ``<name>__known`` of 1 or 0 (an unknown value is encoded as 0 and never compared);
- ``enum``: the value, or ``""`` when unknown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from maatwerk.models.case import BENEFIT_LAWS, CULPABILITY_LEVELS

FactKind = Literal["bool", "money", "int", "date", "enum"]
PyValue = bool | int | Decimal | dt.date | str | None
Encoded = int | str

KNOWN_SUFFIX = "__known"


@dataclass(frozen=True, slots=True)
class FactSpec:
    name: str
    kind: FactKind
    description: str
    values: tuple[str, ...] = ()
    output: bool = False
    #: An input fact the case always determines (a required field, or derived without unknowns):
    #: it is never unknown. Static analysis and the case generators rely on it.
    always_known: bool = False

    @property
    def default(self) -> Encoded:
        """The encoded starting value of an output fact."""
        if self.kind == "enum":
            return ""
        return 0


def encode(spec: FactSpec, value: PyValue) -> dict[str, Encoded]:
    """The engine fields for one fact."""
    out: dict[str, Encoded] = {}
    encode_into(out, spec, value)
    return out


def encode_into(out: dict[str, Encoded], spec: FactSpec, value: PyValue) -> None:
    """Write the engine fields for one fact into ``out`` (what :func:`encode` returns, without a
    dictionary per fact: an advice encodes some forty facts)."""
    name = spec.name
    kind = spec.kind
    if kind == "bool":
        out[name] = -1 if value is None else int(bool(value))
    elif kind == "enum":
        out[name] = "" if value is None else str(value)
    elif value is None:
        out[name] = 0
        out[name + KNOWN_SUFFIX] = 0
    else:
        if kind == "money":
            assert isinstance(value, Decimal)
            out[name] = int(value * 100)
        elif kind == "date":
            assert isinstance(value, dt.date)
            out[name] = value.toordinal()
        else:
            assert isinstance(value, int)
            assert not isinstance(value, bool)
            out[name] = value
        out[name + KNOWN_SUFFIX] = 1


def _f(
    name: str,
    kind: FactKind,
    description: str,
    values: tuple[str, ...] = (),
    *,
    output: bool = False,
    always_known: bool = False,
) -> FactSpec:
    return FactSpec(name, kind, description, values, output, always_known)


BENEFIT_FACTS: tuple[FactSpec, ...] = (
    # --- the case, flattened -------------------------------------------------------------
    _f(
        "law",
        "enum",
        "The benefit law (participatiewet, ioaw, ioaz, bbz).",
        BENEFIT_LAWS,
        always_known=True,
    ),
    _f(
        "violation_established",
        "bool",
        "A person established the violation and determined the amount.",
        always_known=True,
    ),
    _f(
        "violation_kind",
        "enum",
        "What was not reported.",
        ("inkomsten_of_werk", "samenwoning", "vermogen", "verblijf_buitenland", "overig"),
        always_known=True,
    ),
    _f(
        "detection",
        "enum",
        "How the violation came to light.",
        ("zelfmelding_voor_ontdekking", "zelfmelding_tijdens_onderzoek", "onderzoek", "gegevensvergelijking"),
        always_known=True,
    ),
    _f("benefit_loss", "money", "The benadelingsbedrag on the basis (net/gross) the regime prescribes."),
    _f("benefit_loss_net", "money", "The net benadelingsbedrag."),
    _f("benefit_loss_gross", "money", "The gross benadelingsbedrag (the OM threshold is gross)."),
    _f(
        "conduct_before_fraudewet", "bool", "The violation started before the Fraudewet took effect.", always_known=True
    ),
    _f("culpability", "enum", "The culpability level confirmed by a caseworker.", CULPABILITY_LEVELS),
    _f("ind_admission", "bool", "Indicator: the person admitted acting knowingly."),
    _f("ind_concealed_work_or_income", "bool", "Indicator: work or income was concealed."),
    _f("ind_concealed_household_or_assets", "bool", "Indicator: household, family income or assets concealed."),
    _f("ind_repeated_failure_to_inform", "bool", "Indicator: repeated failure to inform."),
    _f("ind_combination_gross_negligence", "bool", "Indicator: circumstances combining to gross negligence."),
    _f("life_events", "bool", "Unforeseen, disrupting life events."),
    _f("mental_state", "bool", "A mental state making the violation not fully attributable."),
    _f("combination_of_circumstances", "bool", "A combination of circumstances reducing culpability."),
    _f("municipality_share", "bool", "The violation or its size is partly due to the municipality."),
    _f("self_corrected_before_detection", "bool", "The person corrected it before detection.", always_known=True),
    _f("self_correction_days", "int", "Days between information_due and the person's own report."),
    _f(
        "recidive_same_conduct",
        "bool",
        "A fine or criminal sanction for the same conduct, imposed within the look-back before the violation "
        "and final (unknown when a date that decides it is missing).",
    ),
    _f(
        "warning_within_block",
        "bool",
        "An earlier warning given within the blocking period before the violation (unknown when the day it "
        "was given is missing and could lie inside).",
    ),
    _f(
        "report_and_hearing_required",
        "bool",
        "The fine that can be imposed for this violation (its statutory maximum) is above the Awb 5:53 "
        "threshold: a written report and a chance to respond come first.",
    ),
    _f("limitation_lapsed", "bool", "The limitation term (verval) of the power to fine has passed."),
    _f("deceased", "bool", "The person has died."),
    _f("already_fined_same_facts", "bool", "Already fined for the same facts."),
    _f("prosecuted_same_facts", "bool", "Prosecuted for the same facts."),
    _f("urgent_reasons", "enum", "Dringende redenen as weighed by a person.", ("aanwezig", "afwezig")),
    _f("reasonable_term_exceeded", "bool", "The proceedings exceeded the reasonable term."),
    _f("prosecutor_exception", "enum", "An OM exception applied by a person.", ("verwijzen", "niet_verwijzen")),
    _f("debts", "bool", "The person has debts."),
    _f("debt_arrangement", "bool", "The person is in a debt arrangement."),
    _f("dependent_children", "bool", "Dependent children in the household."),
    _f("health_problems", "bool", "Health problems."),
    _f("cooperated", "bool", "Cooperated with the investigation."),
    _f("bijstand_level_income", "bool", "Lives on an income at bijstand level."),
    _f("financial_data_supplied", "bool", "Financial data were supplied."),
    _f("joint_household", "bool", "A gezamenlijke huishouding."),
    # --- set by rules --------------------------------------------------------------------
    _f("fine_excluded", "bool", "A gate excludes a fine or warning.", output=True),
    _f("fine_deferred", "bool", "The fine waits for the prosecutor.", output=True),
    _f("aangifte_advised", "bool", "Referral to the public prosecutor is advised.", output=True),
    _f("herziening_required", "bool", "The benefit decision must be revised.", output=True),
    _f("terugvordering_required", "bool", "What was wrongly paid must be recovered.", output=True),
    _f("maatregel_not_applicable", "bool", "A benefit reduction (maatregel) is not the instrument.", output=True),
    _f("recidive", "bool", "The recidive increase applies.", output=True),
    _f("warning_lawful", "bool", "The law allows a warning instead of a fine.", output=True),
    _f("warning_blocked", "bool", "An earlier warning blocks a new one.", output=True),
    _f("warning_excluded_by_policy", "bool", "Municipal policy excludes a warning.", output=True),
    _f("warning_preferred", "bool", "Policy prefers a lawful warning as the lightest effective measure.", output=True),
    _f("reduced_culpability_indicated", "bool", "Grounds for reduced culpability are present.", output=True),
    _f("gross_negligence_indicated", "bool", "Indicators of grove schuld are present.", output=True),
    _f("intent_indicated", "bool", "Indicators of opzet are present.", output=True),
    _f("culpability_to_confirm", "bool", "A caseworker must still confirm the culpability level.", output=True),
    _f("urgent_reasons_to_weigh", "bool", "A person must still weigh dringende redenen.", output=True),
    _f("urgent_reasons_refrain", "bool", "A person found dringende redenen: refrain from the fine.", output=True),
    _f("ability_to_pay_applies", "bool", "The fine is capped at the ability to pay.", output=True),
    _f("ability_to_pay_data_missing", "bool", "No financial data: no ability-to-pay reduction.", output=True),
    _f("remission_possible", "bool", "Remission (kwijtschelding) in a debt arrangement is possible.", output=True),
    _f("report_and_hearing", "bool", "A written report and a zienswijze come before a fine (Awb 5:53).", output=True),
    _f("pre_fraudewet_split", "bool", "Only conduct after the Fraudewet took effect can be fined.", output=True),
    _f("undue_delay_reduction", "bool", "The fine is reduced for the length of the proceedings.", output=True),
    _f(
        "weighing_required",
        "bool",
        "The regime makes the sanction a power that a person must weigh (seriousness, culpability, own role).",
        output=True,
    ),
    _f("conditional_fine_lawful", "bool", "The regime allows the fine to be imposed conditionally.", output=True),
    _f("conditional_fine_preferred", "bool", "Policy prefers a lawful conditional fine.", output=True),
    _f(
        "cause_category",
        "enum",
        "Why the violation happened, for prevention.",
        ("gemeentelijk_proces", "persoonlijke_omstandigheden", "bewust_verzwegen", "te_late_melding", "onduidelijk"),
        output=True,
    ),
)

#: The rungs of the provider ladder, lightest first (domain.md §6); each has a ``rung_<n>_needed`` fact.
PROVIDER_RUNGS = 6

PROVIDER_INSTRUMENTS = (
    "gesprek",
    "verbeterplan",
    "verscherpt_toezicht",
    "aanwijzing",
    "intake_stop",
    "last_onder_dwangsom",
    "betalingsopschorting",
    "contractuele_boete",
    "ontbinding",
)

PROVIDER_FACTS: tuple[FactSpec, ...] = (
    # --- the case, flattened -------------------------------------------------------------
    _f("law", "enum", "The law the care is delivered under.", ("wmo2015", "jeugdwet"), always_known=True),
    _f("violation_established", "bool", "The violation is established.", always_known=True),
    _f(
        "violation_kind",
        "enum",
        "What the provider fell short on.",
        (
            "calamiteit_niet_gemeld",
            "geweld_niet_gemeld",
            "kwaliteit_onvoldoende",
            "geen_medewerking_toezicht",
            "vermoeden_fraude",
        ),
        always_known=True,
    ),
    _f("decision_date", "date", "The date of the decision.", always_known=True),
    _f(
        "violation_found_on",
        "date",
        "When the violation was found: for a refusal to cooperate with supervision, the day of the refusal.",
        always_known=True,
    ),
    _f("harm_occurred", "bool", "Clients came to harm."),
    _f("vulnerable_clients", "bool", "The care concerns clients who depend on it heavily."),
    _f("ongoing_danger", "bool", "The safety of clients is in danger now."),
    _f("structural", "bool", "The shortcoming is structural (true) or incidental (false)."),
    _f("cooperates", "bool", "The provider cooperates with the municipality and the supervisor."),
    _f("capacity_to_improve", "bool", "The provider can improve within a reasonable time."),
    _f(
        "earlier_measure_same_standard",
        "bool",
        "An earlier measure for the same standard within the look-back.",
        always_known=True,
    ),
    _f("earlier_measure_not_complied", "bool", "An earlier measure for the same standard was not complied with."),
    _f(
        "earlier_coercive_same_standard",
        "bool",
        "An earlier contract measure, dwangsom or penalty for the same standard within the look-back.",
        always_known=True,
    ),
    _f("culpability", "enum", "The provider's culpability as confirmed by a person.", CULPABILITY_LEVELS),
    _f("clients_can_move", "bool", "Clients can move to another provider in time."),
    _f("contract_improvement_plan", "bool", "The contract allows requiring an improvement plan."),
    _f("contract_intake_stop", "bool", "The contract allows an intake stop."),
    _f("contract_payment_suspension", "bool", "The contract allows suspending payments."),
    _f("contract_penalty", "bool", "The contract has a penalty clause."),
    _f("contract_termination", "bool", "The contract may be terminated for shortcomings."),
    _f("municipality_share", "bool", "The municipality's own commissioning played a part."),
    # --- what the rules conclude ---------------------------------------------------------
    _f(
        "measure_excluded",
        "bool",
        "No enforcement measure follows (e.g. the violation is not established).",
        output=True,
    ),
    *(
        _f(f"rung_{n}_needed", "bool", f"The ladder must reach at least rung {n}.", output=True)
        for n in range(2, PROVIDER_RUNGS + 1)
    ),
    _f("escalate_one_rung", "bool", "An earlier measure did not work: one rung higher.", output=True),
    _f("immediate_action", "bool", "Clients are in danger now: act at once, with a short deadline.", output=True),
    _f("serious", "bool", "The violation is serious (for the size of a dwangsom).", output=True),
    *(
        _f(f"basis_{name}", "bool", f"The pack or the contract gives a basis for: {name}.", output=True)
        for name in PROVIDER_INSTRUMENTS
    ),
    *(
        _f(f"prefer_{name}", "bool", f"Within its rung, {name} fits the aim best.", output=True)
        for name in PROVIDER_INSTRUMENTS
    ),
    _f("punitive_excluded", "bool", "A punitive measure (penalty) is ruled out.", output=True),
    _f("report_supervisor", "bool", "Report to (or ask action of) the supervisor.", output=True),
    _f("aangifte_advised", "bool", "Report to the police or the prosecutor.", output=True),
    _f(
        "offence_indicated",
        "bool",
        "The law makes the violation an offence another authority can fine or prosecute; the rule's reason names the route.",
        output=True,
    ),
    _f(
        "protect_current_clients",
        "bool",
        "Clients in care now need protection at once; the rule's reason says how and on what basis.",
        output=True,
    ),
    _f("continuity_uncertain", "bool", "It is not certain clients can move in time.", output=True),
    _f("culpability_to_confirm", "bool", "A person must still confirm the provider's culpability.", output=True),
    _f(
        "cause_category",
        "enum",
        "Why the shortcoming happened, for learning.",
        ("kwaliteitssysteem", "personeel_en_capaciteit", "gemeentelijke_inkoop", "bewust_handelen", "onduidelijk"),
        output=True,
    ),
)

#: The laws of each domain (the values of the ``law`` fact; a national pack's ``laws`` name some of them).
DOMAIN_LAWS: dict[str, tuple[str, ...]] = {
    "benefits": BENEFIT_LAWS,
    "providers": ("wmo2015", "jeugdwet"),
}

CATALOGUES: dict[str, dict[str, FactSpec]] = {
    "benefits": {f.name: f for f in BENEFIT_FACTS},
    "providers": {f.name: f for f in PROVIDER_FACTS},
}


def catalogue(domain: str) -> dict[str, FactSpec]:
    """The facts a rule of ``domain`` may read or set."""
    return CATALOGUES.get(domain, {})
