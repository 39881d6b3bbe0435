# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The providers domain (Wmo 2015, Jeugdwet care providers) as the policy layer sees it: one :class:`DomainSpec`.

Its facts are derived from a :class:`~maatwerk.models.provider.ProviderCase` by :mod:`maatwerk._domains.facts`;
its measures form a ladder of rungs (domain.md §6).
"""

from __future__ import annotations

from maatwerk._letter_vocabulary import LETTER_VOCABULARY
from maatwerk._policy.conditions import All, AnyOf, Leaf
from maatwerk._policy.domains._spec import DomainSpec, HistoryVocabulary, Outcome
from maatwerk._policy.facts import Encoded, FactSpec
from maatwerk._policy.facts import fact as _f
from maatwerk.models.case import CULPABILITY_LEVELS
from maatwerk.models.provider import EarlierMeasureKind, ProviderCase

__all__ = ["PROVIDER_FACTS", "PROVIDER_INSTRUMENTS", "PROVIDER_RUNGS", "SPEC"]

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


def _eq(name: str, value: Encoded) -> Leaf:
    return Leaf(name, "eq", value)


_ESTABLISHED = _eq("violation_established", 1)

SPEC = DomainSpec(
    name="providers",
    model=ProviderCase,
    laws=("wmo2015", "jeugdwet"),
    facts=PROVIDER_FACTS,
    history=HistoryVocabulary(
        enums={"kind": tuple(k.value for k in EarlierMeasureKind)},
        flags=("same_standard", "complied"),
        dates={"taken_on": (None, None)},
    ),
    case_dates={"violation.found_on": ("violation", "found_on"), "decision_date": ("decision_date",)},
    fact_paths={
        "law": ("law",),
        "violation_established": ("violation.established",),
        "violation_kind": ("violation.kind",),
        "decision_date": ("decision_date",),
        "violation_found_on": ("violation.found_on",),
        "harm_occurred": ("risk.harm_occurred",),
        "vulnerable_clients": ("risk.vulnerable_clients",),
        "ongoing_danger": ("risk.ongoing_danger",),
        "structural": ("pattern",),
        "cooperates": ("response.cooperates",),
        "capacity_to_improve": ("response.capacity_to_improve",),
        "earlier_measure_same_standard": ("history[].same_standard", "history[].taken_on"),
        "earlier_measure_not_complied": ("history[].complied", "history[].same_standard", "history[].taken_on"),
        "earlier_coercive_same_standard": ("history[].kind", "history[].same_standard", "history[].taken_on"),
        "culpability": ("culpability",),
        "clients_can_move": ("continuity.clients_can_move_in_time",),
        "contract_improvement_plan": ("contract.improvement_plan",),
        "contract_intake_stop": ("contract.intake_stop",),
        "contract_payment_suspension": ("contract.payment_suspension",),
        "contract_penalty": ("contract.penalty",),
        "contract_termination": ("contract.termination",),
        "municipality_share": ("municipality.unclear_requirements", "municipality.signals_not_acted_on"),
        "contract_penalty_max": ("contract.penalty_max",),
    },
    calculation_paths=("history[].kind", "history[].complied", "contract.penalty_max"),
    required_parameters=(
        "historie_termijn_jaren",
        "verbeterplan_termijn_dagen",
        "begunstigingstermijn_dagen",
        "begunstigingstermijn_spoed_dagen",
        "dwangsom_week_beperkt_min",
        "dwangsom_week_beperkt_max",
        "dwangsom_week_ernstig_min",
        "dwangsom_week_ernstig_max",
        "dwangsom_max_weken",
    ),
    required_sources=(),
    required_followups=("continuiteit_borgen",),
    required_outcomes=(
        Outcome(
            "measure_excluded",
            _eq("violation_established", 0),
            "no enforcement measure without an established violation",
        ),
        Outcome(
            "basis_*",
            _ESTABLISHED,
            "an established violation needs at least one instrument with a legal or contractual basis",
        ),
        Outcome("cause_category", _ESTABLISHED, "every advice records the cause of the shortcoming (purpose W4)"),
    ),
    axioms=All(
        (
            # a coercive earlier measure, or one not complied with, is an earlier measure
            AnyOf((_eq("earlier_coercive_same_standard", 0), _eq("earlier_measure_same_standard", 1))),
            AnyOf((_eq("earlier_measure_not_complied", 0), _eq("earlier_measure_same_standard", 1))),
        )
    ),
    verdict_facts=(
        FactSpec("measure_chosen", "bool", "The ladder advises a measure.", output=True),
        FactSpec("ladder_short", "bool", "No instrument with a basis reaches the needed rung.", output=True),
        FactSpec(
            "continuity_at_risk", "bool", "The measure could end care and clients may not move in time.", output=True
        ),
        FactSpec("needed_rung", "int", "The rung of the ladder the shortcoming needs at least.", output=True),
        FactSpec("chosen_rung", "int", "The rung of the measure advised (0: none).", output=True),
        FactSpec("deadline_set", "bool", "The measure advised gives a term (its deadline).", output=True),
        FactSpec("penalty_cap_known", "bool", "The contract's maximum penalty is known.", output=True),
    ),
    measure_sets=("continuity_at_risk",),
    ladder_rungs=PROVIDER_RUNGS,
    ladder_history_kinds=tuple(k.value for k in EarlierMeasureKind),
    template_values=("probe_measure", "needed_rung", "measure_name", "seriousness"),
    alternative_amounts=("contract_penalty",),
    calculation_steps=("dwangsom_ondergrens", "dwangsom_bovengrens", "dwangsom_maximum"),
    step_values=(),
    letter_texts=LETTER_VOCABULARY["providers"].texts,
    audiences=("zorgaanbieder", "gemeente"),
    letter_measures=LETTER_VOCABULARY["providers"].measures,
    form_notes=("deviation", "decide", "reason_missing"),
    texts={
        "band_dwangsom_low": (),
        "band_dwangsom_high": (),
        "band_no_instrument": (),
        "missing_penalty_max": (),
        "seriousness_serious": (),
        "seriousness_limited": (),
        "missing_input": ("rules", "description"),
    },
    engine_step_texts={
        "voorstel_verkenning": ("proposal_name", "proposal_day", "proposal_stage", "proposal_checked_on")
    },
)
