# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The benefits domain (Participatiewet, IOAW, IOAZ, Bbz) as the policy layer sees it: one :class:`DomainSpec`.

Its facts are derived from a :class:`~maatwerk.models.case.BenefitCase` by :mod:`maatwerk._domains.facts`,
its arithmetic (the Boetebesluit) is :mod:`maatwerk._domains.boetebesluit`.
"""

from __future__ import annotations

from maatwerk._letter_vocabulary import LETTER_VOCABULARY
from maatwerk._policy.conditions import All, AnyOf, Leaf
from maatwerk._policy.domains._spec import DomainSpec, HistoryVocabulary, Outcome
from maatwerk._policy.facts import KNOWN_SUFFIX, Encoded, FactSpec
from maatwerk._policy.facts import fact as _f
from maatwerk.models.case import BENEFIT_LAWS, CULPABILITY_LEVELS, BenefitCase, PriorSanctionKind

__all__ = ["BENEFIT_FACTS", "SPEC"]

BENEFIT_FACTS: tuple[FactSpec, ...] = (
    # --- the case, flattened -------------------------------------------------------------
    _f(
        "law",
        "enum",
        "The benefit law (participatiewet, ioaw, ioaz, bbz).",
        BENEFIT_LAWS,
        always_known=True,
    ),
    _f("decision_date", "date", "The date of the decision.", always_known=True),
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
    _f("existing_claim", "bool", "The person already owes the municipality an earlier claim that is still open."),
    _f("dependent_children", "bool", "Dependent children in the household."),
    _f("health_problems", "bool", "Health problems."),
    _f("cooperated", "bool", "Cooperated with the investigation."),
    _f("bijstand_level_income", "bool", "Lives on an income at bijstand level."),
    _f("financial_data_supplied", "bool", "Financial data were supplied."),
    _f("joint_household", "bool", "A gezamenlijke huishouding."),
    _f(
        "monthly_income_above_norm",
        "money",
        "The (household's) monthly income above the applicable bijstandsnorm, as determined by a person.",
    ),
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


def _eq(name: str, value: Encoded) -> Leaf:
    return Leaf(name, "eq", value)


def _ne(name: str, value: Encoded) -> Leaf:
    return Leaf(name, "ne", value)


_SELF_REPORTS = ("zelfmelding_voor_ontdekking", "zelfmelding_tijdens_onderzoek")
_ESTABLISHED = _eq("violation_established", 1)

_LOSS = ("benefit_loss.net", "benefit_loss.gross", "benefit_loss.before_2013")
_RECIDIVE = (
    "history[].kind",
    "history[].same_conduct",
    "history[].imposed_on",
    "history[].final_on",
    "history[].unconditional_prison",
)

SPEC = DomainSpec(
    name="benefits",
    model=BenefitCase,
    laws=BENEFIT_LAWS,
    facts=BENEFIT_FACTS,
    history=HistoryVocabulary(
        enums={"kind": tuple(k.value for k in PriorSanctionKind)},
        # ``final``: the sanction has become final (known only when final_on is given).
        flags=("same_conduct", "unconditional_prison", "without_loss", "final"),
        dates={"imposed_on": (None, "final_on"), "final_on": ("imposed_on", None)},
    ),
    case_dates={
        "violation.period.start": ("violation", "period", "start"),
        "violation.period.end": ("violation", "period", "end"),
        "violation.information_due": ("violation", "information_due"),
        "violation.detected_on": ("violation", "detected_on"),
        "decision_date": ("decision_date",),
    },
    fact_paths={
        "law": ("law",),
        "decision_date": ("decision_date",),
        "violation_established": ("violation.established",),
        "violation_kind": ("violation.kind",),
        "detection": ("violation.detection",),
        "benefit_loss": ("benefit_loss.net", "benefit_loss.gross"),
        "benefit_loss_net": ("benefit_loss.net",),
        "benefit_loss_gross": ("benefit_loss.gross",),
        "conduct_before_fraudewet": ("violation.period.start",),
        "culpability": ("culpability.confirmed",),
        "ind_admission": ("culpability.indicators.admission",),
        "ind_concealed_work_or_income": ("culpability.indicators.concealed_work_or_income",),
        "ind_concealed_household_or_assets": ("culpability.indicators.concealed_household_or_assets",),
        "ind_repeated_failure_to_inform": ("culpability.indicators.repeated_failure_to_inform",),
        "ind_combination_gross_negligence": ("culpability.indicators.combination_pointing_to_gross_negligence",),
        "life_events": ("circumstances.disrupting_life_events",),
        "mental_state": ("circumstances.mental_state_reduces_attribution",),
        "combination_of_circumstances": ("circumstances.combination_of_circumstances",),
        "municipality_share": (
            "circumstances.municipality.late_processing",
            "circumstances.municipality.unclear_communication",
            "circumstances.municipality.ignored_signals",
        ),
        "self_corrected_before_detection": ("violation.detection",),
        "self_correction_days": ("violation.self_reported_on", "violation.information_due"),
        "recidive_same_conduct": _RECIDIVE,
        "warning_within_block": ("history[].kind", "history[].imposed_on", "history[].final_on"),
        "report_and_hearing_required": (*_LOSS, *_RECIDIVE),
        "limitation_lapsed": (
            *_LOSS,
            "violation.period.end",
            "procedure.limitation_suspended_days",
            *_RECIDIVE,
        ),
        "deceased": ("procedure.deceased",),
        "already_fined_same_facts": ("procedure.already_fined_same_facts",),
        "prosecuted_same_facts": ("procedure.prosecuted_same_facts",),
        "urgent_reasons": ("procedure.urgent_reasons",),
        "reasonable_term_exceeded": ("procedure.reasonable_term_exceeded", "procedure.reasonable_term_exceeded_months"),
        "prosecutor_exception": ("procedure.prosecutor_exception",),
        "debts": ("circumstances.debts",),
        "debt_arrangement": ("circumstances.debt_arrangement",),
        "existing_claim": ("circumstances.existing_claim",),
        "dependent_children": ("circumstances.dependent_children",),
        "health_problems": ("circumstances.health_problems",),
        "cooperated": ("circumstances.cooperated",),
        "bijstand_level_income": ("finances.bijstand_level_income",),
        "financial_data_supplied": ("finances.financial_data_supplied",),
        "joint_household": ("finances.joint_household",),
        "monthly_income_above_norm": ("finances.monthly_income_above_norm",),
        # Not facts of the rules: what the advice names when the fine cannot be computed without them.
        "fine_base": _LOSS,
    },
    calculation_paths=(
        "benefit_loss.before_2013",
        "benefit_loss.already_recovered",
        "finances.bijstand_level_income",
        "finances.monthly_norm",
        "finances.household_monthly_norm",
        "finances.monthly_payment_capacity",
        "finances.monthly_amount_above_beslagvrije_voet",
        "procedure.reasonable_term_exceeded_months",
        "procedure.limitation_suspended_days",
        "violation.self_reported_on",
    ),
    required_parameters=(
        "boete_percentage_opzet",
        "boete_percentage_grove_schuld",
        "boete_percentage_normaal",
        "boete_percentage_verminderd",
        "recidive_factor",
        "recidive_termijn_jaren",
        "recidive_termijn_gevangenisstraf_jaren",
        "geldboete_categorie_2",
        "geldboete_categorie_3",
        "geldboete_categorie_5",
        "maximum_categorie_opzet",
        "maximum_categorie_overig",
        "maximum_categorie_geen_benadeling",
        "lid7_drempel_factor",
        "lid7_factor_normaal",
        "lid7_factor_verminderd",
        "boete_geen_benadeling",
        "waarschuwing_max_benadeling",
        "waarschuwing_zelfmelding_dagen",
        "waarschuwing_blokkade_jaren",
        "draagkracht_percentage_norm",
        "draagkracht_maanden_opzet",
        "draagkracht_maanden_grove_schuld",
        "draagkracht_maanden_normaal",
        "afronding_veelvoud",
        "rapport_zienswijze_drempel",
        "verval_jaren_hoog",
        "verval_jaren_laag",
        "verval_drempel",
        "aangifte_drempel",
        "aangifte_bruto_controle_vanaf",
        "termijnoverschrijding_korting_halfjaar",
        "termijnoverschrijding_korting_jaar",
        "termijnoverschrijding_halfjaar_maanden",
        "termijnoverschrijding_jaar_maanden",
        "afronding_lid7_veelvoud",
        "kwijtschelding_termijn_jaren",
        "fraudewet_ingang",
        "benadeling_grondslag_participatiewet",
        "benadeling_grondslag_ioaw_ioaz",
    ),
    required_sources=(
        "boetebesluit_2",
        "boetebesluit_2_lid7",
        "boete_wet",
        "awb_5_53",
        "awb_5_46",
        "sr_23",
        "crvb_2016_9",
        "crvb_2016_11",
    ),
    required_followups=(),
    required_outcomes=(
        Outcome(
            "fine_excluded",
            Leaf("violation_established", "ne", 1),
            "no fine or warning without an established violation (Awb 5:41)",
        ),
        Outcome("herziening_required", _ESTABLISHED, "an established violation always has the revision track decided"),
        Outcome(
            "terugvordering_required",
            All((_ESTABLISHED, _eq("benefit_loss" + KNOWN_SUFFIX, 1), Leaf("benefit_loss", "gt", 0))),
            "wrongly paid money is always recovered (Pw 58; purpose W1)",
        ),
        Outcome("cause_category", _ESTABLISHED, "every advice records the cause of the violation (purpose W4)"),
    ),
    axioms=All(
        (
            # self_corrected_before_detection is "detection is a self-report before detection"
            AnyOf(
                (
                    All((_eq("self_corrected_before_detection", 1), _eq("detection", _SELF_REPORTS[0]))),
                    All((_eq("self_corrected_before_detection", 0), _ne("detection", _SELF_REPORTS[0]))),
                )
            ),
            # self_correction_days is known exactly when the person reported it
            AnyOf(
                (
                    All(
                        (
                            _eq("self_correction_days__known", 1),
                            AnyOf(tuple(_eq("detection", d) for d in _SELF_REPORTS)),
                        )
                    ),
                    All(
                        (
                            _eq("self_correction_days__known", 0),
                            *(_ne("detection", d) for d in _SELF_REPORTS),
                        )
                    ),
                )
            ),
            # a case gives the net or the gross loss (or both)
            AnyOf((_eq("benefit_loss_net__known", 1), _eq("benefit_loss_gross__known", 1))),
        )
    ),
    verdict_facts=(
        FactSpec("fine_computable", "bool", "The fine at the confirmed culpability can be computed.", output=True),
        FactSpec(
            "fine_amount_known",
            "bool",
            "There is an amount for the fine at the confirmed culpability (perhaps before a cap that lacks facts).",
            output=True,
        ),
        FactSpec(
            "undue_delay_open",
            "bool",
            "The reasonable term was exceeded by more than the steps the courts use, or by an unknown time.",
            output=True,
        ),
        FactSpec(
            "instalments_possible",
            "bool",
            "The fine at the confirmed culpability has an amount and a payment term in months.",
            output=True,
        ),
        FactSpec("fine_base_known", "bool", "The amount the fine is computed on is known.", output=True),
        FactSpec(
            "fine_nil",
            "bool",
            "The fine at the confirmed culpability comes to €0 after every reduction and cap (a fine of €0 is no fine).",
            output=True,
        ),
    ),
    measure_sets=(),
    ladder_rungs=0,
    ladder_history_kinds=(),
    template_values=(
        "amount",
        "level",
        "undue_delay_percent",
        "before_2013",
        "probe_amount",
        "probe_measure",
        "instalment",
        "instalment_months",
        "measure_instead",
    ),
    alternative_amounts=(
        "fine",
        "fine_opzet",
        "fine_grove_schuld",
        "fine_normaal",
        "fine_verminderd",
        "fine_without_ability",
        "instalment",
    ),
    calculation_steps=(
        "grondslag",
        "voor_fraudewet",
        "geen_benadeling",
        "recidive",
        "percentage",
        "lid7",
        "wettelijk_maximum",
        "draagkracht",
        "beslagvrije_voet_maximum",
        "gemeentelijk_maximum",
        "afronding_lid7",
        "afronding",
        "redelijke_termijn",
    ),
    step_values=("loss_basis", "step_percentage", "step_months"),
    letter_texts=LETTER_VOCABULARY["benefits"].texts,
    audiences=("inwoner", "gemeente"),
    form_notes=("deviation", "decide", "reason_missing"),
    texts={
        "band_none": (),
        "band_unknown": (),
        "band_statutory_maximum": (),
        "band_policy_cap": ("policy_cap_source",),
        "band_lowest_warning": (),
        "band_lowest_conditional": ("probation_years",),
        "band_lowest_fine": (),
        "missing_fine_base": ("loss_basis",),
        "missing_for_cap": (),
        "before_2013_unknown": (),
        "level_opzet": (),
        "level_grove_schuld": (),
        "level_normaal": (),
        "level_verminderd": (),
        "level_geen": (),
        "missing_input": ("rules", "description"),
    },
    engine_step_texts={
        "eerder_gedrag": (),
        "lex_mitior": (),
        "voorstel_verkenning": ("proposal_name", "proposal_day", "proposal_stage", "proposal_checked_on"),
    },
    amount_inputs={
        "finances.monthly_norm": ("The applicable monthly bijstandsnorm.", ("finances.monthly_norm",)),
        "finances.household_monthly_norm": (
            "The household's monthly norm, when there is a joint household.",
            ("finances.household_monthly_norm",),
        ),
        "applicable_monthly_norm": (
            "The norm the ability-to-pay cap reads: the household's norm when finances.joint_household is true, "
            "else finances.monthly_norm.",
            ("finances.joint_household", "finances.monthly_norm", "finances.household_monthly_norm"),
        ),
        "finances.monthly_income_above_norm": (
            "The (household's) monthly income above the applicable bijstandsnorm.",
            ("finances.monthly_income_above_norm",),
        ),
        "finances.monthly_amount_above_beslagvrije_voet": (
            "What the (household's) monthly income exceeds the beslagvrije voet by.",
            ("finances.monthly_amount_above_beslagvrije_voet",),
        ),
        "finances.monthly_payment_capacity": (
            "What the person can pay per month, as assessed by a person.",
            ("finances.monthly_payment_capacity",),
        ),
        "benefit_loss": (
            "The benadelingsbedrag on the basis (net/gross) the law prescribes.",
            ("benefit_loss.net", "benefit_loss.gross"),
        ),
    },
)
