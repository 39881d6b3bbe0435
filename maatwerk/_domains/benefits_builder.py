# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Build the advice (as plain data, :mod:`maatwerk._advice.plain`) from fired rules and the fine arithmetic.

Data flows one way: case -> facts -> fired rules (trace) -> this module. Nothing here decides a
legal question that a rule in a pack does not cite; the arithmetic is in
:mod:`maatwerk._domains.boetebesluit`, driven by dated parameters.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from maatwerk._advice.common import AdviceBase
from maatwerk._advice.memo import memo, principle_texts
from maatwerk._advice.plain import (
    AdviceData,
    BandData,
    CalculationStepData,
    MissingFactData,
    OutcomeData,
    ReasoningStepData,
    TextData,
    band_data,
    money,
    pack_data,
    text,
)
from maatwerk._advice.verdict import Probe, VerdictRun
from maatwerk._domains.boetebesluit import (
    CalcStep,
    FineParams,
    ability_to_pay_cap,
    beslagvrije_voet_cap,
    capacity_cap,
    fine_and_maximum,
    round_down,
    round_fine,
    statutory_maximum,
    undue_delay,
    undue_delay_percent,
)
from maatwerk._domains.facts import BESLAGVRIJE_VOET_MONTHS, benefit_loss, fine_base, fine_params, loss_basis
from maatwerk._engine.core import Trace
from maatwerk._format import eur
from maatwerk._policy.facts import PyValue
from maatwerk._policy.stack import ResolvedParam, Stack
from maatwerk._policy.verdict import Template
from maatwerk.models.advice import PackRef
from maatwerk.models.case import FINE_LEVELS, LOSS_BASIS_PARAMETER, BenefitCase, Finances

LEVELS = FINE_LEVELS

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
    "existing_claim": "circumstances.existing_claim",
    "dependent_children": "circumstances.dependent_children",
    "health_problems": "circumstances.health_problems",
    "cooperated": "circumstances.cooperated",
    "bijstand_level_income": "finances.bijstand_level_income",
    "financial_data_supplied": "finances.financial_data_supplied",
    "joint_household": "finances.joint_household",
    "monthly_income_above_norm": "finances.monthly_income_above_norm",
}

#: Facts whose absence is not worth asking about (they only ever narrow an exception).
NOT_ASKED = {"prosecutor_exception", "urgent_reasons", "culpability", "self_correction_days"}


@dataclass(frozen=True, slots=True)
class FineOutcome:
    amount: Decimal | None
    steps: tuple[CalcStep, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Decided:
    level: str | None
    warning_open: bool
    outcome: FineOutcome | None
    verdict: VerdictRun
    measure: str
    summary: Template
    amount: Decimal | None
    probation: int | None


class _Fines:
    """The fines worked out for one case under one stack and parameter set: each outcome by its level
    and the flags it reads (ability to pay applied, undue delay reduction, recidive), and each level's
    arithmetic by level and recidive. Not shared between cases."""

    __slots__ = ("levels", "outcomes")

    def __init__(self) -> None:
        self.outcomes: dict[tuple[str, bool, bool, bool], FineOutcome] = {}
        self.levels: dict[tuple[str, bool], tuple[Decimal, tuple[CalcStep, ...], Decimal, Decimal | None]] = {}


class Builder(AdviceBase):
    """Builds one advice; create one per evaluation."""

    def __init__(
        self,
        case: BenefitCase,
        stack: Stack,
        params: Mapping[str, ResolvedParam],
        values: Mapping[str, PyValue],
        trace: Trace,
        rerun: Callable[[Mapping[str, PyValue]], Trace] | None = None,
        fines: _Fines | None = None,
    ) -> None:
        super().__init__(stack, params, values, trace)
        self.case = case
        #: The same compiled rules on changed facts (for what-ifs).
        self.rerun = rerun
        self.p: FineParams = fine_params(params)
        self.base = fine_base(case, params)
        self.loss = benefit_loss(case, params)
        #: The fines worked out for this case, shared with the builders of its what-ifs (``fines``):
        #: the same case, stack and parameters, so a fine differs only by the level and the rules'
        #: flags it reads, which are its key.
        self._fines = _Fines() if fines is None else fines

    # -- the fine ----------------------------------------------------------------------------
    def fine(self, level: str, *, with_ability: bool = True, financial_override: bool | None = None) -> FineOutcome:
        """The fine for ``level`` (memoised: alternatives, band and counterfactuals reuse it)."""
        applies = self.flag("ability_to_pay_applies") if financial_override is None else financial_override
        ability = with_ability and applies
        undue = self.flag("undue_delay_reduction")
        recidive = self.flag("recidive")
        key = (level, ability, undue, recidive)
        found = self._fines.outcomes.get(key)
        if found is None:
            found = self._fines.outcomes[key] = self._fine(level, ability=ability, undue=undue, recidive=recidive)
        return found

    def _fine(self, level: str, *, ability: bool, undue: bool, recidive: bool) -> FineOutcome:
        base = self.base
        if base is None:
            return FineOutcome(None, (), ("benefit_loss",))
        amount, level_steps, maximum, fixed = self._level_fine(base, level, recidive)
        steps = list(level_steps)
        missing: list[str] = []
        ceiling = maximum
        if ability:
            f = self.case.finances
            cap: Decimal | None = None
            months = 0
            if level not in self.p.ability_months:
                missing.append(f"draagkracht_maanden_{level}")
            elif f.bijstand_level_income is True:
                field, norm = applicable_norm(f)
                if norm is None:
                    missing.append(field)
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
        if undue:
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

    def _level_fine(
        self, base: Decimal, level: str, recidive: bool
    ) -> tuple[Decimal, tuple[CalcStep, ...], Decimal, Decimal | None]:
        """The fine for ``level`` before ability to pay and rounding, the statutory maximum, and the
        amount art. 2 lid 7 fixes, if it does (memoised: the fine's variants for one level share them)."""
        key = (level, recidive)
        found = self._fines.levels.get(key)
        if found is None:
            amount, steps, maximum = fine_and_maximum(base, level=level, recidive=recidive, p=self.p)
            # Boetebesluit art. 2 lid 7 fixes the fine at a share of category 3: courts keep that amount
            # in whole euros and do not round it up to a multiple of ten (ECLI:NL:RBZWB:2021:3177).
            fixed = round_down(amount, self.p.lid7_rounding_multiple) if any(st.id == "lid7" for st in steps) else None
            found = self._fines.levels[key] = (amount, tuple(steps), maximum, fixed)
        return found

    def calc_steps(self, outcome: FineOutcome, verdict: VerdictRun) -> tuple[CalculationStepData, ...]:
        if self.base is None:
            return ()
        basis = loss_basis(self.case, self.params)
        rows: list[CalculationStepData] = []
        grondslag_param = LOSS_BASIS_PARAMETER[self.case.law]
        assert self.loss is not None
        rows.append(self._row(verdict, "grondslag", self.loss, (grondslag_param,), {"loss_basis": basis}))
        if self.flag("pre_fraudewet_split"):
            rows.append(self._row(verdict, "voor_fraudewet", self.base, ("fraudewet_ingang",)))
        for step in outcome.steps:
            values = dict(step.values)
            shown = {"step_percentage": values.get("percentage", ""), "step_months": values.get("months", "")}
            rows.append(self._row(verdict, step.id, step.amount, step.params, shown))
        return tuple(rows)

    def _row(
        self,
        verdict: VerdictRun,
        sid: str,
        amount: Decimal,
        params: tuple[str, ...],
        values: Mapping[str, str] | None = None,
    ) -> CalculationStepData:
        cents = money(amount)
        assert cents is not None
        return {
            "id": sid,
            "label": verdict.step_label(sid, values or {}),
            "amount": cents,
            "parameters": tuple(self.param_use(p) for p in params if p in self.params),
        }

    # -- the advice --------------------------------------------------------------------------
    def _decide(self, *, texts: bool = True) -> _Decided:
        """The measure and its amount: the fine at the confirmed level, then the pack's choice
        (``texts=False``: without the verdict's template values, which only texts read)."""
        level = self.case.culpability.confirmed.value if self.case.culpability.confirmed else None
        warning_open = (
            self.flag("warning_lawful")
            and not self.flag("warning_blocked")
            and not self.flag("warning_excluded_by_policy")
        )
        outcome = self.fine(level) if level in LEVELS else None
        verdict = self.verdict(level, outcome, texts=texts)
        step = verdict.choose()
        amount = outcome.amount if step.amount == "fine" and outcome is not None else None
        probation = None
        if step.probation_years is not None:
            years = self.params[step.probation_years].value
            assert isinstance(years, int)
            probation = years
        return _Decided(level, warning_open, outcome, verdict, step.measure, step.summary, amount, probation)

    def outcome(self, *, packs: tuple[PackRef, ...], engine: str) -> OutcomeData:
        """The decision without its reasoning, as data: the same measure, amounts, band amounts and
        track statuses as :meth:`build`, without rendering a text (its receipt left empty)."""
        d = self._decide(texts=False)
        low, high, cap = self._band_amounts(d.level, d.outcome, d.warning_open, d.measure)
        return {
            "schema_version": "1",
            "domain": "benefits",
            "case_ref": self.case.case_ref,
            "measure": d.measure,
            "amount": money(d.amount),
            "probation_years": d.probation,
            "deadline_days": None,
            "lowest_amount": money(low),
            "highest_amount": money(high),
            "policy_cap_amount": money(cap),
            "tracks": d.verdict.track_outcomes({"measure": d.amount, "recovery": self._to_recover()}),
            "alternatives": d.verdict.alternative_outcomes(),
            "rules": self.trace.fired,
            "packs": packs,
            "engine": engine,
            "receipt": "",
        }

    def build(
        self, *, packs: tuple[PackRef, ...], engine: str, extra_steps: tuple[ReasoningStepData, ...] = ()
    ) -> AdviceData:
        """The advice as plain data (its receipt left empty: the engine adds it)."""
        d = self._decide()
        level, warning_open, outcome, verdict = d.level, d.warning_open, d.outcome, d.verdict
        measure_kind, amount, probation = d.measure, d.amount, d.probation
        verdict.values["amount"] = text(eur(amount), eur(amount))
        why = verdict.render(d.summary)
        band = self._band(level, outcome, warning_open, measure_kind, verdict)
        return {
            "schema_version": "1",
            "domain": "benefits",
            "case_ref": self.case.case_ref,
            "measure": {
                "kind": measure_kind,
                "amount": money(amount),
                "probation_years": probation,
                "deadline_days": None,
                "summary": why,
                "band": band,
            },
            "tracks": verdict.tracks({"measure": amount, "recovery": self._to_recover()}),
            "calculation": self.calc_steps(outcome, verdict)
            if (
                level in LEVELS
                and outcome is not None
                and (
                    measure_kind in ("boete", "voorwaardelijke_boete", "waarschuwing")
                    # a fine that comes to €0 is a decision for a person, who sees how it got there
                    or (measure_kind == "beslissing_nodig" and _nil(outcome))
                )
            )
            else (),
            "alternatives": verdict.alternatives(self._alternative_amounts(level, verdict)),
            "steps": (*extra_steps, *self.steps()),
            "decisions": verdict.decisions(self.factors),
            "missing_facts": self._missing(outcome, verdict),
            "what_would_change": verdict.what_ifs(self.values, functools.partial(self.probe, level)),
            "followups": self.followups(),
            "cause_category": str(self.out("cause_category")) or "onduidelijk",
            "packs": pack_data(packs),
            "principles": principle_texts(self.stack),
            "engine": engine,
            "receipt": "",
        }

    def verdict(self, level: str | None, outcome: FineOutcome | None, *, texts: bool = True) -> VerdictRun:
        """The pack's verdict on this case, with the facts and values the benefits domain works out
        (``texts=False``: the facts only, for the outcome, which renders no text)."""
        percent, open_ = (
            undue_delay_percent(self.case.procedure.reasonable_term_exceeded_months, self.p)
            if self.flag("undue_delay_reduction")
            else (Decimal("0"), False)
        )
        run = VerdictRun(
            self.stack,
            self.params,
            self.stack.condition_key(self.params),
            self.trace.fact,
            self.trace.fired,
            self.law,
            {
                "fine_computable": outcome is not None and outcome.amount is not None and not outcome.missing,
                "fine_amount_known": outcome is not None and outcome.amount is not None,
                "undue_delay_open": open_,
                "instalments_possible": level is not None
                and level in self.p.ability_months
                and outcome is not None
                and outcome.amount is not None,
                "fine_base_known": self.base is not None,
                "fine_nil": outcome is not None and _nil(outcome),
            },
            self.amount_inputs,
        )
        if not texts:
            return run
        shown = str(percent)
        run.values["undue_delay_percent"] = text(shown, shown)
        if level is not None:
            run.values["level"] = run.text(f"level_{level}")
        before = self.case.benefit_loss.before_2013
        run.values["before_2013"] = (
            text(eur(before), eur(before)) if before is not None else run.text("before_2013_unknown")
        )
        return run

    def amount_inputs(self) -> dict[str, Decimal | None]:
        """The case's money inputs of a pack's ``amounts:`` (see :func:`amount_inputs`)."""
        return amount_inputs(self.case, self.loss)

    def probe(self, level: str | None, changed: Mapping[str, PyValue]) -> Probe:
        """The advice on the case's facts with ``changed``: the same compiled rules on them, the fine
        at the culpability they give (the arithmetic reads the case's amounts as they are)."""
        if self.rerun is None:
            raise RuntimeError("this builder cannot work out what-ifs: no evaluator for changed facts")
        trace = self.rerun(changed)
        other = Builder(self.case, self.stack, self.params, changed, trace, None, self._fines)
        new_level = changed.get("culpability", level)
        new_level = new_level if isinstance(new_level, str) else None
        outcome = other.fine(new_level) if new_level in LEVELS else None
        step = other.verdict(new_level, outcome, texts=False).choose()
        amount = outcome.amount if outcome is not None else None
        return Probe(step.measure, amount, outcome is not None and not outcome.missing)

    def probation_years(self) -> int:
        value = self.params["voorwaardelijke_boete_proeftijd_jaren"].value
        assert isinstance(value, int)
        return value

    def _band_amounts(
        self, level: str | None, outcome: FineOutcome | None, warning_open: bool, measure_kind: str
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """The band's lowest and highest amounts and the municipality's cap (as :meth:`_band` gives them)."""
        if measure_kind == "geen_boete" or self.base is None:
            return None, None, None
        top_level = level if level in LEVELS else "opzet"
        highest = statutory_maximum(self.base, level=top_level, recidive=self.flag("recidive"), p=self.p)
        cap = self.policy_cap()
        if warning_open:
            return None, highest, cap
        low_level = level if level in LEVELS else "verminderd"
        low = self.fine(low_level).amount if outcome is None or level not in LEVELS else outcome.amount
        return low, highest, cap

    def _band(
        self, level: str | None, outcome: FineOutcome | None, warning_open: bool, measure_kind: str, v: VerdictRun
    ) -> BandData:
        if measure_kind == "geen_boete":
            return _band_without_amounts(v.text("band_none"))
        if self.base is None:
            return _band_without_amounts(v.text("band_unknown"))
        top_level = level if level in LEVELS else "opzet"
        highest = statutory_maximum(self.base, level=top_level, recidive=self.flag("recidive"), p=self.p)
        high_text = v.text("band_statutory_maximum")
        cap = self.policy_cap()
        cap_text = None
        if cap is not None:
            cap_source = self.param_use("gemeentelijk_maximum_boete")["basis"]["citation"]
            cap_text = v.text("band_policy_cap", policy_cap_source=cap_source)
        if warning_open:
            return band_data(v.text("band_lowest_warning"), None, high_text, highest, cap_text, cap)
        low_level = level if level in LEVELS else "verminderd"
        low = self.fine(low_level).amount if outcome is None or level not in LEVELS else outcome.amount
        if self.flag("conditional_fine_lawful"):
            lowest = v.text("band_lowest_conditional", probation_years=str(self.probation_years()))
            return band_data(lowest, low, high_text, highest, cap_text, cap)
        return band_data(v.text("band_lowest_fine"), low, high_text, highest, cap_text, cap)

    def _to_recover(self) -> Decimal | None:
        """The loss still to recover: what was not recovered already (never below zero)."""
        if self.loss is None:
            return None
        return max(self.loss - (self.case.benefit_loss.already_recovered or Decimal("0")), Decimal("0.00"))

    def _alternative_amounts(self, level: str | None, verdict: VerdictRun) -> dict[str, Decimal | None]:
        """The amounts the pack's alternatives show: the fine at each level, without the cap on ability to
        pay, and the monthly instalment (with its number of months as a text value)."""
        amounts: dict[str, Decimal | None] = {f"fine_{lvl}": self.fine(lvl).amount for lvl in LEVELS}
        confirmed = level in LEVELS
        amounts["fine"] = self.fine(level).amount if confirmed and level is not None else None
        amounts["fine_without_ability"] = (
            self.fine(level, with_ability=False).amount
            if confirmed and level is not None and self.base is not None
            else None
        )
        amounts["instalment"] = None
        if level is not None and level in self.p.ability_months and amounts["fine"] is not None:
            months = self.p.ability_months[level]
            monthly = (amounts["fine"] / months).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
            amounts["instalment"] = monthly
            verdict.values["instalment"] = text(eur(monthly), eur(monthly))
            verdict.values["instalment_months"] = text(str(months), str(months))
        return amounts

    def _missing(self, outcome: FineOutcome | None, v: VerdictRun) -> tuple[MissingFactData, ...]:
        skip = set(NOT_ASKED)
        if self.case.culpability.confirmed is not None:
            # The level is confirmed: its indicators are not asked.
            skip.update(
                memo(self.stack, "indicator_facts", lambda: tuple(n for n in self.stack.facts if n.startswith("ind_")))
            )
        if self.loss is not None:
            skip.add("benefit_loss_net")
        if not self._gross_needed():
            skip.add("benefit_loss_gross")
        out = self.unknown_inputs(frozenset(skip), FIELD_OF)
        if outcome is not None:
            out.extend(_needed_for_cap(self.stack, field, v) for field in outcome.missing)
        out.extend(self._missing_for_amounts(v, {m["field"] for m in out}))
        if self.base is None:
            basis = loss_basis(self.case, self.params)
            out.append(
                memo(
                    self.stack,
                    ("missing_base", basis),
                    lambda: _missing_fact("fine_base", "benefit_loss", v.text("missing_fine_base", loss_basis=basis)),
                )
            )
        return tuple(out)

    def _missing_for_amounts(self, v: VerdictRun, listed: set[str]) -> list[MissingFactData]:
        """The case fields an amount the advice said (``{amount:NAME}``) lacks, each once, with the amount's
        description as the reason (an unknown benadelingsbedrag is listed as the fine's base already)."""
        out: list[MissingFactData] = []
        for name, inputs in v.unknown_amounts.items():
            why = self.stack.amounts[name].description
            for found in inputs:
                if found == "benefit_loss":
                    continue
                field = applicable_norm(self.case.finances)[0] if found == "applicable_monthly_norm" else found
                if field not in listed:
                    listed.add(field)
                    out.append(_missing_fact(field, field, text(why.nl, why.en)))
        return out

    def _gross_needed(self) -> bool:
        """The OM threshold is gross: ask for the gross amount once the net amount comes near it."""
        net = self.case.benefit_loss.net
        check = self.params["aangifte_bruto_controle_vanaf"].value
        assert isinstance(check, Decimal)
        return self.case.benefit_loss.gross is None and net is not None and net >= check


def applicable_norm(f: Finances) -> tuple[str, Decimal | None]:
    """The norm that applies, as its case field and its value: the household's norm with a joint
    household, else the person's (the ability-to-pay cap and a pack's ``applicable_monthly_norm``)."""
    if f.joint_household:
        return "finances.household_monthly_norm", f.household_monthly_norm
    return "finances.monthly_norm", f.monthly_norm


def amount_inputs(case: BenefitCase, loss: Decimal | None) -> dict[str, Decimal | None]:
    """The money inputs a pack's ``amounts:`` may read (the benefits spec's ``amount_inputs``), on
    ``case``; ``loss`` is the benadelingsbedrag on the basis the law prescribes."""
    f = case.finances
    return {
        "finances.monthly_norm": f.monthly_norm,
        "finances.household_monthly_norm": f.household_monthly_norm,
        "applicable_monthly_norm": applicable_norm(f)[1],
        "finances.monthly_income_above_norm": f.monthly_income_above_norm,
        "finances.monthly_amount_above_beslagvrije_voet": f.monthly_amount_above_beslagvrije_voet,
        "finances.monthly_payment_capacity": f.monthly_payment_capacity,
        "benefit_loss": loss,
    }


def _needed_for_cap(stack: Stack, field: str, v: VerdictRun) -> MissingFactData:
    """A fact the ability-to-pay cap needs (shared per stack)."""
    return memo(stack, ("missing_for_cap", field), lambda: _missing_fact(field, field, v.text("missing_for_cap")))


def _missing_fact(fact: str, field: str, why: TextData) -> MissingFactData:
    return {"fact": fact, "field": field, "why": why, "rules": ()}


def _band_without_amounts(said: TextData) -> BandData:
    """A band with one text for both ends and no amounts (no fine, or none that can be computed)."""
    return band_data(said, None, said, None, None, None)


def _nil(outcome: FineOutcome) -> bool:
    """The fine comes to €0 after every reduction and cap: no fine, so a decision for a person."""
    return outcome.amount is not None and outcome.amount <= 0
