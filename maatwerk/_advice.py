# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Build the :class:`~maatwerk.models.advice.Advice` from fired rules and the fine arithmetic.

Data flows one way: case -> facts -> fired rules (trace) -> this module. Nothing here decides a
legal question that a rule in a pack does not cite; the arithmetic is in
:mod:`maatwerk._proportionality`, driven by dated parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from maatwerk._advice_common import AdviceBase, basis_of
from maatwerk._derive import BESLAGVRIJE_VOET_MONTHS, benefit_loss, fine_base, fine_params, loss_basis
from maatwerk._engine.core import Trace
from maatwerk._format import eur
from maatwerk._memo import fixed_text, memo, principle_texts, reason
from maatwerk._policy.facts import PyValue
from maatwerk._policy.stack import ResolvedParam, Stack
from maatwerk._proportionality import (
    CalcStep,
    FineParams,
    ability_to_pay_cap,
    beslagvrije_voet_cap,
    capacity_cap,
    fine_for_level,
    round_down,
    round_fine,
    statutory_maximum,
    undue_delay,
    undue_delay_percent,
)
from maatwerk.models._base import Text
from maatwerk.models.advice import (
    Advice,
    Alternative,
    Band,
    CalculationStep,
    Counterfactual,
    DecisionFactor,
    HumanDecision,
    Measure,
    MissingFact,
    PackRef,
    ReasoningStep,
    Track,
)
from maatwerk.models.case import CULPABILITY_LEVELS, FINE_LEVELS, LOSS_BASIS_PARAMETER, BenefitCase

LEVELS = FINE_LEVELS
LEVEL_NL = {
    "opzet": "opzet",
    "grove_schuld": "grove schuld",
    "normaal": "normale verwijtbaarheid",
    "verminderd": "verminderde verwijtbaarheid",
    "geen": "geen verwijtbaarheid",
}
LEVEL_EN = {
    "opzet": "intent",
    "grove_schuld": "gross negligence",
    "normaal": "normal culpability",
    "verminderd": "reduced culpability",
    "geen": "no culpability",
}

#: Where each input fact comes from in the case (for missing facts).
FIELD_OF: dict[str, str] = {
    "violation_established": "violation.established",
    "benefit_loss": "benefit_loss.net|gross",
    "benefit_loss_net": "benefit_loss.net",
    "benefit_loss_gross": "benefit_loss.gross",
    "culpability": "culpability.confirmed",
    "ind_admission": "culpability.indicators.admission",
    "ind_concealed_work_or_income": "culpability.indicators.concealed_work_or_income",
    "ind_concealed_household_or_assets": "culpability.indicators.concealed_household_or_assets",
    "ind_repeated_failure_to_inform": "culpability.indicators.repeated_failure_to_inform",
    "ind_combination_gross_negligence": "culpability.indicators.combination_pointing_to_gross_negligence",
    "life_events": "circumstances.disrupting_life_events",
    "mental_state": "circumstances.mental_state_reduces_attribution",
    "combination_of_circumstances": "circumstances.combination_of_circumstances",
    "municipality_share": "circumstances.municipality",
    "self_correction_days": "violation.self_reported_on",
    "limitation_lapsed": "benefit_loss",
    "recidive_same_conduct": "history.imposed_on|final_on",
    "warning_within_block": "history.imposed_on",
    "report_and_hearing_required": "history.imposed_on|final_on",
    "deceased": "procedure.deceased",
    "already_fined_same_facts": "procedure.already_fined_same_facts",
    "prosecuted_same_facts": "procedure.prosecuted_same_facts",
    "urgent_reasons": "procedure.urgent_reasons",
    "reasonable_term_exceeded": "procedure.reasonable_term_exceeded",
    "prosecutor_exception": "procedure.prosecutor_exception",
    "debts": "circumstances.debts",
    "debt_arrangement": "circumstances.debt_arrangement",
    "dependent_children": "circumstances.dependent_children",
    "health_problems": "circumstances.health_problems",
    "cooperated": "circumstances.cooperated",
    "bijstand_level_income": "finances.bijstand_level_income",
    "financial_data_supplied": "finances.financial_data_supplied",
    "joint_household": "finances.joint_household",
}

#: Facts whose absence is not worth asking about (they only ever narrow an exception).
NOT_ASKED = {"prosecutor_exception", "urgent_reasons", "culpability", "self_correction_days"}

STEP_LABELS: dict[str, tuple[str, str]] = {
    "grondslag": ("Benadelingsbedrag ({basis}) als grondslag", "Loss ({basis}) as the basis"),
    "voor_fraudewet": ("Zonder het deel vóór de Fraudewet", "Without the part before the Fraudewet"),
    "recidive": ("Recidive: 150% van het benadelingsbedrag", "Recidive: 150% of the loss"),
    "percentage": ("{pct}% bij {level_nl}", "{pct}% for {level_en}"),
    "lid7": ("Begrensd volgens art. 2 lid 7 Boetebesluit", "Capped under Boetebesluit art. 2(7)"),
    "wettelijk_maximum": ("Begrensd op het wettelijk maximum", "Capped at the statutory maximum"),
    "geen_benadeling": ("Geen benadeling: vast uitgangspunt", "No loss: fixed starting point"),
    "redelijke_termijn": (
        "{pct}% lager: de redelijke termijn is overschreden",
        "{pct}% lower: the reasonable term was exceeded",
    ),
    "gemeentelijk_maximum": (
        "Begrensd op het maximum uit het beleid van de gemeente",
        "Capped at the maximum of the municipality's policy",
    ),
    "afronding_lid7": (
        "Het vaste bedrag van art. 2 lid 7 in hele euro's",
        "The fixed amount of art. 2(7) in whole euros",
    ),
    "draagkracht": ("Begrensd op draagkracht: {months} maanden", "Capped at ability to pay: {months} months"),
    "beslagvrije_voet_maximum": (
        "Begrensd volgens het beleid van de gemeente: {months} keer het bedrag boven de beslagvrije voet",
        "Capped under the municipality's policy: {months} times the amount above the beslagvrije voet",
    ),
    "afronding": (
        "Afgerond op een veelvoud van €10 (nooit boven een grens)",
        "Rounded to a multiple of €10 (never above a cap)",
    ),
}


# Why the fine at the confirmed level is not the measure, by the measure that was chosen instead.
SAME_LEVEL_NOT_CHOSEN: dict[str, Text] = {
    "waarschuwing": fixed_text(
        nl="Niet gekozen: een waarschuwing volstaat; bij een nieuwe overtreding volgt deze boete.",
        en="Not chosen: a warning suffices; a new violation leads to this fine.",
    ),
    "voorwaardelijke_boete": fixed_text(
        nl="Niet gekozen: deze boete wordt voorwaardelijk opgelegd en volgt alsnog bij een nieuwe overtreding binnen de proeftijd.",
        en="Not chosen: this fine is imposed conditionally and becomes payable on a new violation within the probation period.",
    ),
    "geen_boete": fixed_text(
        nl="Niet gekozen: er volgt geen boete; de redenen staan in de stappen.",
        en="Not chosen: no fine follows; the reasons are in the steps.",
    ),
    "aangifte": fixed_text(
        nl="Niet gekozen: de zaak gaat naar het Openbaar Ministerie; een boete voor dezelfde feiten is dan uitgesloten.",
        en="Not chosen: the case goes to the prosecutor; a fine for the same facts is then ruled out.",
    ),
    "beslissing_nodig": fixed_text(
        nl="Mogelijk, na de beslissing die een medewerker eerst moet nemen.",
        en="Possible, after the decision a caseworker must take first.",
    ),
}


@dataclass(frozen=True, slots=True)
class FineOutcome:
    amount: Decimal | None
    steps: tuple[CalcStep, ...]
    missing: tuple[str, ...]


class Builder(AdviceBase):
    """Builds one advice; create one per evaluation."""

    def __init__(
        self,
        case: BenefitCase,
        stack: Stack,
        params: Mapping[str, ResolvedParam],
        values: Mapping[str, PyValue],
        trace: Trace,
    ) -> None:
        super().__init__(stack, params, values, trace)
        self.case = case
        self.p: FineParams = fine_params(params)
        self.base = fine_base(case, params)
        self.loss = benefit_loss(case, params)
        self._fines: dict[tuple[str, bool, bool | None], FineOutcome] = {}
        self._level_fines: dict[str, tuple[Decimal, tuple[CalcStep, ...], Decimal]] = {}

    # -- the fine ----------------------------------------------------------------------------
    def fine(self, level: str, *, with_ability: bool = True, financial_override: bool | None = None) -> FineOutcome:
        """The fine for ``level`` (memoised: alternatives, band and counterfactuals reuse it)."""
        key = (level, with_ability, financial_override)
        found = self._fines.get(key)
        if found is None:
            found = self._fine(level, with_ability=with_ability, financial_override=financial_override)
            self._fines[key] = found
        return found

    def _fine(self, level: str, *, with_ability: bool, financial_override: bool | None) -> FineOutcome:
        base = self.base
        if base is None:
            return FineOutcome(None, (), ("benefit_loss",))
        amount, level_steps, maximum = self._level_fine(base, level)
        steps = list(level_steps)
        missing: list[str] = []
        ceiling = maximum
        # Boetebesluit art. 2 lid 7 fixes the fine at a share of category 3: courts keep that amount
        # in whole euros and do not round it up to a multiple of ten (ECLI:NL:RBZWB:2021:3177).
        fixed = round_down(amount, self.p.lid7_rounding_multiple) if any(st.id == "lid7" for st in steps) else None
        applies = self.flag("ability_to_pay_applies") if financial_override is None else financial_override
        if with_ability and applies:
            f = self.case.finances
            cap: Decimal | None = None
            months = 0
            if level not in self.p.ability_months:
                missing.append(f"draagkracht_maanden_{level}")
            elif f.bijstand_level_income is True:
                norm = f.household_monthly_norm if f.joint_household else f.monthly_norm
                if norm is None:
                    missing.append("finances.household_monthly_norm" if f.joint_household else "finances.monthly_norm")
                else:
                    cap, months = ability_to_pay_cap(level, norm, self.p)
            elif f.bijstand_level_income is False or (
                f.bijstand_level_income is None and f.monthly_amount_above_beslagvrije_voet is not None
            ):
                # A person's assessment of what can be paid comes first; without it, the part of the
                # income above the beslagvrije voet, which is what the CRvB takes as payment capacity.
                capacity = (
                    f.monthly_payment_capacity
                    if f.monthly_payment_capacity is not None
                    else f.monthly_amount_above_beslagvrije_voet
                )
                if capacity is None:
                    missing.append("finances.monthly_payment_capacity")
                else:
                    cap, months = capacity_cap(level, capacity, self.p)
            else:
                missing.append("finances.bijstand_level_income")
            if cap is not None:
                if cap < amount:
                    amount = cap
                    fixed = None
                    steps.append(
                        CalcStep(
                            "draagkracht",
                            amount,
                            ("draagkracht_percentage_norm", f"draagkracht_maanden_{level}"),
                            (("months", str(months)),),
                        )
                    )
                ceiling = min(ceiling, cap)
            if self.p.beslagvrije_voet_months is not None:
                # The municipality's cap at N months of the amount above the beslagvrije voet: a ceiling
                # beside the law's ability-to-pay cap, which only ever lowers the fine.
                above = f.monthly_amount_above_beslagvrije_voet
                found = None if above is None else beslagvrije_voet_cap(above, self.p)
                if found is None:
                    missing.append("finances.monthly_amount_above_beslagvrije_voet")
                else:
                    bvv_cap, bvv_months = found
                    if bvv_cap < amount:
                        amount = bvv_cap
                        fixed = None
                        steps.append(
                            CalcStep(
                                "beslagvrije_voet_maximum",
                                amount,
                                (BESLAGVRIJE_VOET_MONTHS,),
                                (("months", str(bvv_months)),),
                            )
                        )
                    ceiling = min(ceiling, bvv_cap)
        policy_cap = self.policy_cap()
        if policy_cap is not None:
            # The municipality's own cap: a ceiling of its own, after the law's arithmetic, which it
            # never changes (the statutory maximum and art. 2 lid 7 stay as they are).
            if policy_cap < amount:
                amount = policy_cap
                fixed = None
                steps.append(CalcStep("gemeentelijk_maximum", amount, ("gemeentelijk_maximum_boete",)))
            ceiling = min(ceiling, policy_cap)
        if fixed is not None:
            rounded = fixed
            if rounded != amount:
                steps.append(CalcStep("afronding_lid7", rounded, ("afronding_lid7_veelvoud",)))
        else:
            rounded = round_fine(amount, ceiling, self.p)
            if rounded != amount:
                steps.append(CalcStep("afronding", rounded, ("afronding_veelvoud",)))
        if self.flag("undue_delay_reduction"):
            # Last, and not rounded again: courts reduce the fine they would otherwise impose
            # (ECLI:NL:CRVB:2023:2291, :916).
            percent, _ = undue_delay_percent(self.case.procedure.reasonable_term_exceeded_months, self.p)
            rounded = undue_delay(rounded, percent)
            steps.append(
                CalcStep(
                    "redelijke_termijn",
                    rounded,
                    (
                        "termijnoverschrijding_korting_halfjaar"
                        if percent == self.p.undue_delay_half_year_percent
                        else "termijnoverschrijding_korting_jaar",
                    ),
                    (("percentage", str(percent)),),
                )
            )
        return FineOutcome(rounded, tuple(steps), tuple(missing))

    def policy_cap(self) -> Decimal | None:
        """The municipality's own maximum fine, when its pack sets one (an open term of the law)."""
        found = self.params.get("gemeentelijk_maximum_boete")
        if found is None:
            return None
        assert isinstance(found.value, Decimal)
        return found.value

    def _level_fine(self, base: Decimal, level: str) -> tuple[Decimal, tuple[CalcStep, ...], Decimal]:
        """The fine for ``level`` before ability to pay and rounding, and the statutory maximum
        (memoised: the fine's variants for one level share them)."""
        found = self._level_fines.get(level)
        if found is None:
            recidive = self.flag("recidive")
            amount, steps = fine_for_level(base, level=level, recidive=recidive, p=self.p)
            maximum = statutory_maximum(base, level=level, recidive=recidive, p=self.p)
            found = self._level_fines[level] = (amount, tuple(steps), maximum)
        return found

    def calc_steps(self, level: str, outcome: FineOutcome) -> tuple[CalculationStep, ...]:
        if self.base is None:
            return ()
        basis = loss_basis(self.case, self.params)
        rows: list[CalculationStep] = []
        grondslag_param = LOSS_BASIS_PARAMETER[self.case.law]
        assert self.loss is not None
        rows.append(self._row("grondslag", self.loss, (grondslag_param,), basis=basis))
        if self.flag("pre_fraudewet_split"):
            rows.append(self._row("voor_fraudewet", self.base, ("fraudewet_ingang",)))
        for step in outcome.steps:
            rows.append(self._row(step.id, step.amount, step.params, level=level, values=dict(step.values)))
        return tuple(rows)

    def _row(
        self,
        sid: str,
        amount: Decimal,
        params: tuple[str, ...],
        *,
        basis: str = "",
        level: str = "",
        values: Mapping[str, str] | None = None,
    ) -> CalculationStep:
        values = values or {}
        nl, en = STEP_LABELS[sid]
        fmt = {
            "basis": basis,
            "pct": values.get("percentage", ""),
            "level_nl": LEVEL_NL.get(level, level),
            "level_en": LEVEL_EN.get(level, level),
            "months": values.get("months", ""),
        }
        return CalculationStep(
            id=sid,
            label=Text(nl=nl.format(**fmt), en=en.format(**fmt)),
            amount=amount,
            parameters=tuple(self.param_use(p) for p in params if p in self.params),
        )

    # -- the advice --------------------------------------------------------------------------
    def build(self, *, packs: tuple[PackRef, ...], engine: str, extra_steps: tuple[ReasoningStep, ...] = ()) -> Advice:
        level = self.case.culpability.confirmed.value if self.case.culpability.confirmed else None
        warning_open = (
            self.flag("warning_lawful")
            and not self.flag("warning_blocked")
            and not self.flag("warning_excluded_by_policy")
        )
        conditional_open = self.flag("conditional_fine_lawful")
        outcome = self.fine(level) if level in LEVELS else None
        measure_kind: str
        amount: Decimal | None = None
        probation: int | None = None
        if self.flag("fine_excluded"):
            measure_kind = "geen_boete"
            why = self._gate_text()
        elif self.flag("aangifte_advised"):
            measure_kind = "aangifte"
            why = fixed_text(
                nl="Aangifte bij het OM; de boete wacht op het antwoord van het OM (Awb 5:44).",
                en="Referral to the prosecutor; the fine waits for the prosecutor's answer (Awb 5:44).",
            )
        elif self.flag("urgent_reasons_refrain"):
            measure_kind = "geen_boete"
            cite = self.basis("dringende_redenen_boete")[0].citation
            why = Text(
                nl=f"Een medewerker heeft dringende redenen vastgesteld. Daarom volgt geen boete ({cite}).",
                en=f"A caseworker found urgent reasons. So no fine follows ({cite}).",
            )
        elif level is None:
            measure_kind = "beslissing_nodig"
            why = fixed_text(
                nl="Eerst moet een medewerker de mate van verwijtbaarheid vaststellen; hieronder staat per niveau wat de boete zou zijn.",
                en="A caseworker must first confirm the degree of culpability; below is the fine for each level.",
            )
        elif warning_open and self.flag("warning_preferred"):
            measure_kind = "waarschuwing"
            why = fixed_text(
                nl="De wet staat een schriftelijke waarschuwing toe en dat is de lichtste maatregel die werkt.",
                en="The law allows a written warning and it is the lightest measure that works.",
            )
        elif outcome is None or outcome.amount is None or outcome.missing:
            measure_kind = "beslissing_nodig"
            why = fixed_text(
                nl="Er ontbreken gegevens om de boete te berekenen (zie ontbrekende feiten).",
                en="Facts needed to compute the fine are missing (see missing facts).",
            )
        elif conditional_open and self.flag("conditional_fine_preferred"):
            measure_kind = "voorwaardelijke_boete"
            amount = outcome.amount
            probation = self.probation_years()
            why = Text(
                nl=f"Voorwaardelijke boete van {eur(amount)} bij {LEVEL_NL[level]}: alleen te betalen bij een nieuwe schending van de inlichtingenplicht binnen de proeftijd van {probation} jaar.",
                en=f"Conditional fine of {eur(amount)} for {LEVEL_EN[level]}: payable only on a new breach of the duty to inform within the probation period of {probation} years.",
            )
        else:
            measure_kind = "boete"
            amount = outcome.amount
            why = Text(
                nl=f"Boete van {eur(amount)} bij {LEVEL_NL[level]}, na alle verlagingen die de wet en de omstandigheden vragen.",
                en=f"Fine of {eur(amount)} for {LEVEL_EN[level]}, after every reduction the law and the circumstances require.",
            )
        band = self._band(level, outcome, warning_open, measure_kind)
        return Advice(
            case_ref=self.case.case_ref,
            measure=Measure(kind=measure_kind, amount=amount, probation_years=probation, summary=why, band=band),
            tracks=self._tracks(measure_kind, amount),
            calculation=self.calc_steps(level, outcome)
            if (
                level in LEVELS
                and outcome is not None
                and measure_kind in ("boete", "voorwaardelijke_boete", "waarschuwing")
            )
            else (),
            alternatives=self._alternatives(level, measure_kind, warning_open),
            steps=(*extra_steps, *self.steps()),
            decisions=self._decisions(),
            missing_facts=self._missing(outcome),
            what_would_change=self._counterfactuals(level, measure_kind, outcome),
            followups=self.followups(),
            cause_category=str(self.out("cause_category")) or "onduidelijk",
            packs=packs,
            principles=principle_texts(self.stack),
            engine=engine,
            receipt="",
        )

    @property
    def regime_has_conditional_fine(self) -> bool:
        """Whether the regime of this stack knows a conditional fine at all (current law does not)."""
        return memo(
            self.stack,
            "regime_has_conditional_fine",
            lambda: any(("conditional_fine_lawful", 1) in rule.sets for rule in self.stack.rules),
        )

    def probation_years(self) -> int:
        value = self.params["voorwaardelijke_boete_proeftijd_jaren"].value
        assert isinstance(value, int)
        return value

    def _gate_text(self) -> Text:
        for rule in self.stack.rules:
            if rule.id in self.fired and rule.stage == "gate" and ("fine_excluded", 1) in rule.sets:
                return reason(self.stack, rule)
        return fixed_text(nl="Een wettelijke drempel sluit de boete uit.", en="A statutory gate excludes the fine.")

    def _band(self, level: str | None, outcome: FineOutcome | None, warning_open: bool, measure_kind: str) -> Band:
        if measure_kind == "geen_boete":
            t = fixed_text(nl="Geen boete of waarschuwing", en="No fine or warning")
            return Band(lowest=t, lowest_amount=None, highest=t, highest_amount=None)
        if self.base is None:
            t = fixed_text(nl="Onbekend: het benadelingsbedrag ontbreekt", en="Unknown: the loss is missing")
            return Band(lowest=t, lowest_amount=None, highest=t, highest_amount=None)
        top_level = level if level in LEVELS else "opzet"
        highest = statutory_maximum(self.base, level=top_level, recidive=self.flag("recidive"), p=self.p)
        cite = self.basis("boete_maximum")[0].citation
        high_text = Text(nl=f"Wettelijk maximum ({cite})", en=f"Statutory maximum ({cite})")
        cap = self.policy_cap()
        cap_text = None
        if cap is not None:
            cap_cite = self.param_use("gemeentelijk_maximum_boete").basis.citation
            cap_text = Text(
                nl=f"Maximum volgens het beleid van de gemeente ({cap_cite})",
                en=f"Maximum under the municipality's policy ({cap_cite})",
            )
        if warning_open:
            return Band(
                lowest=fixed_text(nl="Schriftelijke waarschuwing", en="Written warning"),
                lowest_amount=None,
                highest=high_text,
                highest_amount=highest,
                policy_cap=cap_text,
                policy_cap_amount=cap,
            )
        low_level = level if level in LEVELS else "verminderd"
        low = self.fine(low_level).amount if outcome is None or level not in LEVELS else outcome.amount
        if self.flag("conditional_fine_lawful"):
            years = self.probation_years()
            return Band(
                lowest=Text(
                    nl=f"Voorwaardelijke boete (proeftijd {years} jaar)",
                    en=f"Conditional fine (probation {years} years)",
                ),
                lowest_amount=low,
                highest=high_text,
                highest_amount=highest,
                policy_cap=cap_text,
                policy_cap_amount=cap,
            )
        return Band(
            lowest=fixed_text(nl="Laagste boete na verlagingen", en="Lowest fine after reductions"),
            lowest_amount=low,
            highest=high_text,
            highest_amount=highest,
            policy_cap=cap_text,
            policy_cap_amount=cap,
        )

    def _tracks(self, measure_kind: str, amount: Decimal | None) -> tuple[Track, ...]:
        tracks = []
        herz = self.flag("herziening_required")
        tracks.append(
            Track(
                id="herziening",
                status="verplicht" if herz else "niet_van_toepassing",
                basis=self.rule_basis("herziening_pw", "herziening_ioaw", "herziening_ioaz"),
                explanation=fixed_text(
                    nl="Het besluit over de uitkering wordt herzien of ingetrokken.",
                    en="The benefit decision is revised or withdrawn.",
                )
                if herz
                else fixed_text(
                    nl="Geen herziening: de overtreding is niet vastgesteld.",
                    en="No revision: the violation was not established.",
                ),
            )
        )
        recov = self.flag("terugvordering_required")
        remaining = None
        if recov and self.loss is not None:
            remaining = max(self.loss - (self.case.benefit_loss.already_recovered or Decimal("0")), Decimal("0.00"))
        tracks.append(
            Track(
                id="terugvordering",
                status="verplicht" if recov else "niet_van_toepassing",
                amount=remaining,
                basis=self.rule_basis("terugvordering_pw", "terugvordering_ioaw_ioaz"),
                explanation=fixed_text(
                    nl="Terugvordering is herstel, geen straf. Afzien (deels) kan na 10 jaar, bij betaling van 50% van de rest ineens, of om dringende redenen: dat beslist een medewerker.",
                    en="Recovery is repair, not punishment. Waiving (in part) is possible after 10 years, on paying 50% of the rest at once, or for urgent reasons: a caseworker decides.",
                )
                if recov
                else fixed_text(nl="Geen bedrag terug te vorderen.", en="No amount to recover."),
            )
        )
        status = {
            "boete": "geadviseerd",
            "voorwaardelijke_boete": "geadviseerd",
            "waarschuwing": "geadviseerd",
            "geen_boete": "uitgesloten",
            "aangifte": "aangehouden",
            "beslissing_nodig": "beslissing_nodig",
        }[measure_kind]
        tracks.append(
            Track(
                id="boete_of_waarschuwing",
                status=status,
                amount=amount,
                basis=self.basis("boete_wet", "boetebesluit_2") + self.rule_basis("voorwaardelijke_boete_mogelijk"),
                explanation=Text(
                    nl={
                        "boete": "Een boete, berekend hieronder.",
                        "voorwaardelijke_boete": "Een voorwaardelijke boete, berekend hieronder; alleen te betalen bij een nieuwe overtreding binnen de proeftijd.",
                        "waarschuwing": "Een schriftelijke waarschuwing in plaats van een boete.",
                        "geen_boete": "Geen boete: zie de reden.",
                        "aangifte": "De boete wacht op de beslissing van het OM (hoogstens 13 weken).",
                        "beslissing_nodig": "Eerst is een beslissing of een ontbrekend gegeven nodig.",
                    }[measure_kind],
                    en={
                        "boete": "A fine, computed below.",
                        "voorwaardelijke_boete": "A conditional fine, computed below; payable only on a new violation within the probation period.",
                        "waarschuwing": "A written warning instead of a fine.",
                        "geen_boete": "No fine: see the reason.",
                        "aangifte": "The fine waits for the prosecutor's decision (at most 13 weeks).",
                        "beslissing_nodig": "A decision or a missing fact is needed first.",
                    }[measure_kind],
                ),
            )
        )
        aang = self.flag("aangifte_advised")
        tracks.append(
            Track(
                id="aangifte",
                status="geadviseerd" if aang else "niet_van_toepassing",
                basis=self.rule_basis("aangifte_drempel", "aangifte_uitzondering_wel", "aangifte_uitzondering_niet")
                or basis_of(self.stack, ["om_2023a003"]),
                explanation=fixed_text(
                    nl="Aangifte bij het OM; geen boete voor dezelfde feiten zolang het OM beslist.",
                    en="Referral to the prosecutor; no fine for the same facts while the prosecutor decides.",
                )
                if aang
                else fixed_text(
                    nl="Onder de drempel van de OM-aanwijzing: geen aangifte.",
                    en="Below the prosecutor's threshold: no referral.",
                ),
            )
        )
        tracks.append(
            Track(
                id="maatregel",
                status="niet_van_toepassing",
                basis=self.rule_basis("geen_maatregel") or self.basis("maatregel_wet"),
                explanation=fixed_text(
                    nl="Een maatregel (verlaging) geldt voor andere plichten, niet voor de inlichtingenplicht.",
                    en="A benefit reduction applies to other duties, not to the duty to inform.",
                ),
            )
        )
        return tuple(tracks)

    def _alternatives(self, level: str | None, measure_kind: str, warning_open: bool) -> tuple[Alternative, ...]:
        alts: list[Alternative] = []
        lawful = self.flag("warning_lawful")
        if not lawful:
            why = fixed_text(
                nl="Niet toegestaan: benadeling boven de grens en geen tijdige zelfmelding.",
                en="Not allowed: loss above the limit and no timely self-correction.",
            )
        elif self.flag("warning_blocked"):
            why = fixed_text(
                nl="Niet toegestaan: binnen twee jaar na een eerdere waarschuwing.",
                en="Not allowed: within two years of an earlier warning.",
            )
        elif self.flag("warning_excluded_by_policy"):
            why = fixed_text(
                nl="Uitgesloten door gemeentelijk beleid bij opzet.", en="Excluded by municipal policy for intent."
            )
        elif measure_kind == "waarschuwing":
            why = fixed_text(
                nl="Gekozen: de lichtste maatregel die de wet toestaat.",
                en="Chosen: the lightest measure the law allows.",
            )
        else:
            why = fixed_text(
                nl="Toegestaan; niet gekozen omdat een andere uitkomst volgt uit drempels of beleid.",
                en="Allowed; not chosen because gates or policy lead elsewhere.",
            )
        alts.append(
            Alternative(measure="waarschuwing", chosen=measure_kind == "waarschuwing", lawful=warning_open, why=why)
        )
        if self.regime_has_conditional_fine:  # never offered under a regime that does not know it
            alts.append(self._conditional_alternative(level, measure_kind))
        for lvl in LEVELS:
            outcome = self.fine(lvl)
            chosen = measure_kind == "boete" and lvl == level
            if chosen:
                w = fixed_text(
                    nl="Gekozen: past bij de vastgestelde verwijtbaarheid.",
                    en="Chosen: fits the confirmed culpability.",
                )
            elif level is None:
                w = fixed_text(
                    nl="Mogelijk, als een medewerker dit niveau vaststelt.",
                    en="Possible, if a caseworker confirms this level.",
                )
            elif lvl == level:
                w = SAME_LEVEL_NOT_CHOSEN[measure_kind]
            else:
                w = Text(
                    nl=f"Niet gekozen: de vastgestelde verwijtbaarheid is {LEVEL_NL.get(level, level)}.",
                    en=f"Not chosen: the confirmed culpability is {LEVEL_EN.get(level, level)}.",
                )
            alts.append(
                Alternative(
                    measure=f"boete_{lvl}",
                    amount=outcome.amount,
                    chosen=chosen,
                    lawful=not self.flag("fine_excluded"),
                    why=w,
                )
            )
        if level in LEVELS and self.base is not None:
            full = self.fine(level, with_ability=False)
            alts.append(
                Alternative(
                    measure="boete_zonder_draagkracht",
                    amount=full.amount,
                    chosen=False,
                    lawful=not self.flag("fine_excluded"),
                    why=fixed_text(
                        nl="Niet gekozen: de boete moet passen bij wat iemand kan betalen (geen alles-of-niets).",
                        en="Not chosen: the fine must fit what the person can pay (no all-or-nothing).",
                    )
                    if self.flag("ability_to_pay_applies")
                    else fixed_text(
                        nl="Dit is de boete zolang er geen financiële gegevens zijn.",
                        en="This is the fine while no financial data are supplied.",
                    ),
                )
            )
        plan = self._payment_plan(level, measure_kind)
        if plan is not None:
            alts.append(plan)
        alts.append(
            Alternative(
                measure="afzien_dringende_redenen",
                chosen=measure_kind == "geen_boete" and self.flag("urgent_reasons_refrain"),
                lawful=True,
                why=fixed_text(
                    nl="Alleen als een medewerker na een open afweging dringende redenen vaststelt.",
                    en="Only if a caseworker finds urgent reasons after an open weighing.",
                ),
            )
        )
        alts.append(
            Alternative(
                measure="aangifte",
                chosen=measure_kind == "aangifte",
                lawful=True,
                why=fixed_text(
                    nl="Geadviseerd: het bedrag ligt op of boven de OM-drempel of een uitzondering is toegepast.",
                    en="Advised: the amount is at or above the prosecutor's threshold, or an exception applied.",
                )
                if measure_kind == "aangifte"
                else fixed_text(
                    nl="Niet gekozen: onder de drempel van de OM-aanwijzing.",
                    en="Not chosen: below the prosecutor's threshold.",
                ),
            )
        )
        return tuple(alts)

    def _conditional_alternative(self, level: str | None, measure_kind: str) -> Alternative:
        lawful = self.flag("conditional_fine_lawful") and not self.flag("fine_excluded")
        rule = memo(
            self.stack,
            "conditional_fine_rule",
            lambda: next(r for r in self.stack.rules if ("conditional_fine_lawful", 1) in r.sets),
        )
        if measure_kind == "voorwaardelijke_boete":
            why = fixed_text(
                nl="Gekozen: de lichtste maatregel die werkt; bij herhaling binnen de proeftijd volgt de boete alsnog.",
                en="Chosen: the lightest measure that works; a repeat within the probation period triggers the fine.",
            )
        elif not lawful:
            why = Text(
                nl=f"Niet mogelijk. Voorwaarde: {rule.reason.nl}", en=f"Not possible. Condition: {rule.reason.en}"
            )
        else:
            why = fixed_text(
                nl="Mogelijk; niet gekozen omdat een lichtere maatregel of het beleid anders uitkomt.",
                en="Possible; not chosen because a lighter measure or the policy leads elsewhere.",
            )
        amount = self.fine(level).amount if level in LEVELS else None
        return Alternative(
            measure="voorwaardelijke_boete",
            amount=amount,
            chosen=measure_kind == "voorwaardelijke_boete",
            lawful=lawful,
            why=why,
        )

    def _payment_plan(self, level: str | None, measure_kind: str) -> Alternative | None:
        """Paying the fine in monthly instalments over the ability-to-pay term (never all at once)."""
        if measure_kind != "boete" or level not in self.p.ability_months:
            return None
        outcome = self.fine(level)
        if outcome.amount is None:
            return None
        months = self.p.ability_months[level]
        monthly = (outcome.amount / months).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
        return Alternative(
            measure="betalingsregeling",
            amount=monthly,
            chosen=False,
            lawful=True,
            why=Text(
                nl=f"Aan te bieden naast de boete: {months} maandtermijnen van hoogstens {eur(monthly)}.",
                en=f"To offer with the fine: {months} monthly instalments of at most {eur(monthly)}.",
            ),
        )

    def _decisions(self) -> tuple[HumanDecision, ...]:
        out = []
        if self.flag("culpability_to_confirm"):
            factors = []
            for flag, direction, nl, en in (
                ("intent_indicated", "voor", "Er zijn aanwijzingen voor opzet.", "There are indications of intent."),
                (
                    "gross_negligence_indicated",
                    "voor",
                    "Er zijn aanwijzingen voor grove schuld.",
                    "There are indications of gross negligence.",
                ),
                (
                    "reduced_culpability_indicated",
                    "tegen",
                    "Er zijn gronden voor verminderde verwijtbaarheid.",
                    "There are grounds for reduced culpability.",
                ),
            ):
                if self.flag(flag):
                    factors.append(DecisionFactor(text=Text(nl=nl, en=en), direction=direction, rule_id=flag))
            out.append(
                HumanDecision(
                    id="verwijtbaarheid_vaststellen",
                    question=fixed_text(
                        nl="Welke mate van verwijtbaarheid stelt u vast, op het moment dat de informatie gegeven had moeten worden?",
                        en="Which degree of culpability do you establish, at the moment the information was due?",
                    ),
                    factors=tuple(factors),
                    options=CULPABILITY_LEVELS,
                    consequences=fixed_text(
                        nl="Opzet of grove schuld moet de gemeente stellen en bewijzen. Het label heeft gevolgen: het sluit kwijtschelding in een schuldregeling uit, verlengt de betaaltermijn en kan een waarschuwing uitsluiten.",
                        en="The municipality must state and prove intent or gross negligence. The label has consequences: it blocks remission in a debt arrangement, lengthens the payment term and may rule out a warning.",
                    ),
                )
            )
        if self.flag("weighing_required") and not self.flag("fine_excluded"):
            toolbox = ("geen_sanctie", "waarschuwing", "voorwaardelijke_boete", "boete", "aangifte")
            out.append(
                HumanDecision(
                    id="afweging_sanctie",
                    question=fixed_text(
                        nl="Welke reactie past na afweging van de ernst, de verwijtbaarheid en de eigen rol van de gemeente?",
                        en="Which response fits after weighing the seriousness, the culpability and the municipality's own role?",
                    ),
                    factors=self.factors("afweging_sanctie"),
                    options=toolbox,
                    consequences=fixed_text(
                        nl="De afweging is verplicht en moet in het besluit staan; het advies is een voorstel, geen uitkomst.",
                        en="The weighing is mandatory and must be stated in the decision; the advice is a proposal, not an outcome.",
                    ),
                )
            )
        if self.flag("urgent_reasons_to_weigh") and not self.flag("fine_excluded"):
            out.append(
                HumanDecision(
                    id="dringende_redenen",
                    question=fixed_text(
                        nl="Zijn er dringende redenen om van de boete af te zien (open afweging van alle omstandigheden)?",
                        en="Are there urgent reasons to refrain from the fine (open weighing of all circumstances)?",
                    ),
                    factors=self.factors("dringende_redenen"),
                    options=("aanwezig", "afwezig"),
                )
            )
        if self.flag("remission_possible"):
            cite = self.basis("kwijtschelding_wet")[0].citation
            out.append(
                HumanDecision(
                    id="kwijtschelding",
                    question=Text(
                        nl=f"Scheldt u de boete later (deels) kwijt als iemand daarom vraagt, nu iemand in een schuldregeling zit ({cite})?",
                        en=f"Will you later remit the fine (in part) on request, now that the person is in a debt arrangement ({cite})?",
                    ),
                    options=("ja", "nee"),
                    consequences=fixed_text(
                        nl="Kwijtschelding kan alleen zonder opzet of grove schuld, op verzoek en bij medewerking aan een schuldregeling. Het kan pas als blijkt dat iemand na het opleggen van de boete binnen de termijn van de wet geen nieuwe overtreding door dezelfde gedraging beging. Volgt er later toch zo'n overtreding binnen de termijn van de wet, dan wordt de kwijtschelding ingetrokken of herzien.",
                        en="Remission is possible only without intent or gross negligence, on request and with cooperation in a debt arrangement. It is possible only once it is clear that the person committed no new violation by the same conduct within the statutory term after the fine was imposed. If such a violation does follow within the statutory term, the remission is withdrawn or revised.",
                    ),
                )
            )
        if self.flag("terugvordering_required"):
            cite = self.basis("afzien_terugvordering_wet")[0].citation
            out.append(
                HumanDecision(
                    id="afzien_terugvordering",
                    question=Text(
                        nl=f"Ziet u (deels) af van terugvordering? Dat kan in de gevallen die de wet noemt, en om dringende redenen ({cite}).",
                        en=f"Do you waive recovery (in part)? That is possible in the cases the law names, and for urgent reasons ({cite}).",
                    ),
                    factors=self.factors("afzien_terugvordering"),
                    options=("nee", "deels", "geheel"),
                    consequences=fixed_text(
                        nl="Bij dringende redenen weegt u alle omstandigheden: de oorzaak van de overbetaling, de rol van de gemeente, de mate van verwijt en de financiële en sociale gevolgen. Dit besluit staat los van de boete.",
                        en="For urgent reasons you weigh all circumstances: the cause of the overpayment, the municipality's role, the degree of blame and the financial and social consequences. This decision is separate from the fine.",
                    ),
                )
            )
        if self.flag("undue_delay_reduction") and not self.flag("fine_excluded"):
            percent, open_ = undue_delay_percent(self.case.procedure.reasonable_term_exceeded_months, self.p)
            if open_:
                out.append(
                    HumanDecision(
                        id="korting_redelijke_termijn",
                        question=Text(
                            nl=f"Met hoeveel procent verlaagt u de boete omdat de redelijke termijn is overschreden? Het advies rekent met {percent}%.",
                            en=f"By what percentage do you reduce the fine because the reasonable term was exceeded? The advice uses {percent}%.",
                        ),
                        consequences=fixed_text(
                            nl="Rechters verlagen de boete met een kleiner deel bij een overschrijding tot een half jaar en met een groter deel tot een jaar. Vul in hoeveel maanden de termijn is overschreden; bij een langere overschrijding kiest u een hoger percentage en motiveert u dat.",
                            en="Courts reduce the fine by a smaller share for an overrun of up to half a year and by a larger share up to a year. Fill in by how many months the term was exceeded; for a longer overrun you choose a higher percentage and state why.",
                        ),
                    )
                )
        if self.flag("pre_fraudewet_split") and not self.flag("fine_excluded"):
            before = self.case.benefit_loss.before_2013
            part = eur(before) if before is not None else None
            out.append(
                HumanDecision(
                    id="deel_voor_2013",
                    question=Text(
                        nl=f"Bestraft u het deel van het benadelingsbedrag van vóór 1 januari 2013 ({part or 'bedrag nog onbekend'}), en hoe?",
                        en=f"Do you sanction the part of the loss from before 1 January 2013 ({part or 'amount still unknown'}), and how?",
                    ),
                    options=("niet", "volgens_oud_recht"),
                    consequences=fixed_text(
                        nl="Dit advies rekent alleen met het deel vanaf 1 januari 2013. Voor het deel daarvóór gold het oude recht. Een sanctie voor dat deel mag niet hoger zijn dan wat het oude recht toeliet, bijvoorbeeld de verlaging uit de toen geldende verordening. Tel beide delen op en rond het totaal af.",
                        en="This advice counts only the part from 1 January 2013. The old law applied to the part before. A sanction for that part may not exceed what the old law allowed, for instance the reduction under the by-law then in force. Add both parts and round the total.",
                    ),
                )
            )
        return tuple(out)

    def _missing(self, outcome: FineOutcome | None) -> tuple[MissingFact, ...]:
        skip = set(NOT_ASKED)
        if self.case.culpability.confirmed is not None:
            skip.update(n for n in self.stack.facts if n.startswith("ind_"))  # the level is confirmed
        if self.loss is not None:
            skip.add("benefit_loss_net")
        if not self._gross_needed():
            skip.add("benefit_loss_gross")
        out = self.unknown_inputs(frozenset(skip), FIELD_OF)
        if outcome is not None:
            out.extend(_needed_for_cap(self.stack, field) for field in outcome.missing)
        if self.base is None:
            basis = loss_basis(self.case, self.params)
            out.append(
                memo(
                    self.stack,
                    ("missing_base", basis),
                    lambda: MissingFact(
                        fact="fine_base",
                        field="benefit_loss",
                        why=Text(
                            nl=f"Het benadelingsbedrag op {basis} grondslag (en bij gedrag vóór 2013 het deel daarvoor) ontbreekt.",
                            en=f"The loss on a {basis} basis (and, for conduct before 2013, the part before) is missing.",
                        ),
                    ),
                )
            )
        return tuple(out)

    def _gross_needed(self) -> bool:
        """The OM threshold is gross: ask for the gross amount once the net amount comes near it."""
        net = self.case.benefit_loss.net
        check = self.params["aangifte_bruto_controle_vanaf"].value
        assert isinstance(check, Decimal)
        return self.case.benefit_loss.gross is None and net is not None and net >= check

    def _counterfactuals(
        self, level: str | None, measure_kind: str, outcome: FineOutcome | None
    ) -> tuple[Counterfactual, ...]:
        out: list[Counterfactual] = []
        if measure_kind in ("geen_boete", "aangifte"):
            return ()
        if level in LEVELS and outcome is not None and outcome.amount is not None:
            i = LEVELS.index(level)
            for other in (LEVELS[i + 1] if i + 1 < len(LEVELS) else None, LEVELS[i - 1] if i > 0 else None):
                if other is None:
                    continue
                alt = self.fine(other).amount
                out.append(
                    Counterfactual(
                        change=Text(
                            nl=f"Als de verwijtbaarheid {LEVEL_NL[other]} is",
                            en=f"If the culpability is {LEVEL_EN[other]}",
                        ),
                        effect=Text(nl=f"wordt de boete {eur(alt)}", en=f"the fine becomes {eur(alt)}"),
                    )
                )
            if self.flag("ability_to_pay_data_missing"):
                alt_o = self.fine(level, financial_override=True)
                if alt_o.amount is not None and not alt_o.missing:
                    out.append(
                        Counterfactual(
                            change=fixed_text(
                                nl="Als financiële gegevens worden aangeleverd", en="If financial data are supplied"
                            ),
                            effect=Text(
                                nl=f"is de boete hoogstens {eur(alt_o.amount)}",
                                en=f"the fine is at most {eur(alt_o.amount)}",
                            ),
                        )
                    )
                else:
                    out.append(
                        Counterfactual(
                            change=fixed_text(
                                nl="Als financiële gegevens worden aangeleverd", en="If financial data are supplied"
                            ),
                            effect=fixed_text(
                                nl="kan de boete worden begrensd op wat iemand kan betalen",
                                en="the fine can be capped at what the person can pay",
                            ),
                        )
                    )
        if self.loss is not None:
            limit = self.params["waarschuwing_max_benadeling"].value
            assert isinstance(limit, Decimal)
            if not self.flag("warning_lawful") and self.loss > limit:
                out.append(
                    Counterfactual(
                        change=Text(
                            nl=f"Als het benadelingsbedrag niet hoger is dan {eur(limit)}",
                            en=f"If the loss is not above {eur(limit)}",
                        ),
                        effect=fixed_text(nl="is een waarschuwing mogelijk", en="a warning becomes possible"),
                    )
                )
            threshold = self.params["aangifte_drempel"].value
            assert isinstance(threshold, Decimal)
            out.append(
                Counterfactual(
                    change=Text(
                        nl=f"Als het bruto benadelingsbedrag {eur(threshold)} of meer is",
                        en=f"If the gross loss is {eur(threshold)} or more",
                    ),
                    effect=fixed_text(nl="wordt aangifte geadviseerd", en="referral to the prosecutor is advised"),
                )
            )
        if measure_kind == "voorwaardelijke_boete":
            out.append(
                Counterfactual(
                    change=Text(
                        nl=f"Bij een nieuwe schending van de inlichtingenplicht binnen {self.probation_years()} jaar",
                        en=f"On a new breach of the duty to inform within {self.probation_years()} years",
                    ),
                    effect=fixed_text(
                        nl="moet de voorwaardelijke boete alsnog worden betaald",
                        en="the conditional fine must be paid after all",
                    ),
                )
            )
        if self.flag("recidive"):
            out.append(
                Counterfactual(
                    change=fixed_text(
                        nl="Zonder de eerdere onherroepelijke sanctie voor dezelfde gedraging",
                        en="Without the earlier final sanction for the same conduct",
                    ),
                    effect=fixed_text(nl="vervalt de verhoging naar 150%", en="the increase to 150% no longer applies"),
                )
            )
        if self.flag("urgent_reasons_to_weigh"):
            out.append(
                Counterfactual(
                    change=fixed_text(
                        nl="Als een medewerker dringende redenen vaststelt", en="If a caseworker finds urgent reasons"
                    ),
                    effect=fixed_text(nl="volgt geen boete", en="no fine follows"),
                )
            )
        return tuple(out)


def _needed_for_cap(stack: Stack, field: str) -> MissingFact:
    """A fact the ability-to-pay cap needs (shared per stack)."""
    return memo(
        stack,
        ("missing_for_cap", field),
        lambda: MissingFact(
            fact=field,
            field=field,
            why=fixed_text(
                nl="Nodig om de boete op draagkracht te begrenzen.", en="Needed to cap the fine at the ability to pay."
            ),
        ),
    )
