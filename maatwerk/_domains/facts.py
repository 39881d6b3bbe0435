# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Facts for the rules: the case flattened, plus date arithmetic driven by dated parameters.

Everything here is generic calendar and bookkeeping work (windows of N years, sums); every legal
judgement that uses these facts is a rule in a policy pack, citing its basis.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from maatwerk._domains.boetebesluit import FineParams, statutory_maximum
from maatwerk._policy.declared import HISTORY, Compiled
from maatwerk._policy.facts import KNOWN_SUFFIX, Encoded, FactSpec, PyValue
from maatwerk._policy.stack import ResolvedParam, ResolvedParams
from maatwerk.models.case import (
    FINE_LEVELS,
    LOSS_BASIS_PARAMETER,
    BenefitCase,
    Detection,
    PriorSanction,
    PriorSanctionKind,
)
from maatwerk.models.provider import EarlierMeasureKind, Pattern, ProviderCase

__all__ = [
    "BESLAGVRIJE_VOET_MONTHS",
    "benefit_facts",
    "declared_facts",
    "encode_facts",
    "fine_base",
    "fine_params",
    "months_before",
    "provider_facts",
    "years_before",
]


#: The open term of the national benefits pack for a municipal cap of "the fine is at most N x the monthly
#: amount above the beslagvrije voet".
BESLAGVRIJE_VOET_MONTHS = "boete_maximum_maanden_beslagvrije_voet"


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February falls back to 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier (a day the month lacks falls back to its last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _int(params: Mapping[str, ResolvedParam], name: str) -> int:
    value = params[name].value
    assert isinstance(value, int)
    assert not isinstance(value, bool)
    return value


def _dec(params: Mapping[str, ResolvedParam], name: str) -> Decimal:
    value = params[name].value
    assert isinstance(value, Decimal)
    return value


def fine_params(params: Mapping[str, ResolvedParam]) -> FineParams:
    """The arithmetic's parameters from the resolved pack parameters (computed once per
    :class:`~maatwerk._policy.stack.ResolvedParams`, which many cases share)."""
    if isinstance(params, ResolvedParams):
        found: FineParams | None = params.memo.get("fine_params")
        if found is None:
            found = params.memo["fine_params"] = _fine_params(params)
        return found
    return _fine_params(params)


def _fine_params(params: Mapping[str, ResolvedParam]) -> FineParams:
    from fractions import Fraction

    def frac(name: str) -> Fraction:
        value = params[name].value
        assert isinstance(value, Fraction)
        return value

    return FineParams(
        percentages={lvl: _dec(params, f"boete_percentage_{lvl}") for lvl in FINE_LEVELS},
        recidive_factor=_dec(params, "recidive_factor"),
        category_2=_dec(params, "geldboete_categorie_2"),
        category_3=_dec(params, "geldboete_categorie_3"),
        category_5=_dec(params, "geldboete_categorie_5"),
        max_category_opzet=_int(params, "maximum_categorie_opzet"),
        max_category_other=_int(params, "maximum_categorie_overig"),
        max_category_no_loss=_int(params, "maximum_categorie_geen_benadeling"),
        lid7_threshold=frac("lid7_drempel_factor"),
        lid7_factor={"normaal": frac("lid7_factor_normaal"), "verminderd": frac("lid7_factor_verminderd")},
        no_loss_fine=_dec(params, "boete_geen_benadeling"),
        ability_percent=_dec(params, "draagkracht_percentage_norm"),
        ability_months={
            lvl: _int(params, f"draagkracht_maanden_{lvl}")
            for lvl in FINE_LEVELS
            if f"draagkracht_maanden_{lvl}" in params
        },
        rounding_multiple=_dec(params, "afronding_veelvoud"),
        undue_delay_half_year_percent=_dec(params, "termijnoverschrijding_korting_halfjaar"),
        undue_delay_year_percent=_dec(params, "termijnoverschrijding_korting_jaar"),
        undue_delay_half_year_months=_int(params, "termijnoverschrijding_halfjaar_maanden"),
        undue_delay_year_months=_int(params, "termijnoverschrijding_jaar_maanden"),
        lid7_rounding_multiple=_dec(params, "afronding_lid7_veelvoud"),
        beslagvrije_voet_months=(_int(params, BESLAGVRIJE_VOET_MONTHS) if BESLAGVRIJE_VOET_MONTHS in params else None),
    )


def loss_basis(case: BenefitCase, params: Mapping[str, ResolvedParam]) -> str:
    """``netto`` or ``bruto``: the basis the law prescribes (IOAW/IOAZ art. 20a lid 2: gross; Pw, also for
    a Bbz case: net)."""
    value = params[LOSS_BASIS_PARAMETER[case.law]].value
    assert isinstance(value, str)
    return value


def benefit_loss(case: BenefitCase, params: Mapping[str, ResolvedParam]) -> Decimal | None:
    basis = loss_basis(case, params)
    return case.benefit_loss.net if basis == "netto" else case.benefit_loss.gross


def fine_base(case: BenefitCase, params: Mapping[str, ResolvedParam]) -> Decimal | None:
    """The benadelingsbedrag that may be fined: without the part caused before the Fraudewet."""
    loss = benefit_loss(case, params)
    if loss is None:
        return None
    fraudewet = params["fraudewet_ingang"].value
    assert isinstance(fraudewet, dt.date)
    if case.violation.period.start < fraudewet:
        before = case.benefit_loss.before_2013
        if before is None:
            return None
        return max(loss - before, Decimal("0.00"))
    return loss


RECIDIVE_KINDS = frozenset({PriorSanctionKind.boete, PriorSanctionKind.strafrechtelijke_sanctie})


def _any_tri(values: Iterable[bool | None]) -> bool | None:
    """True if any is true; False if all are false (or there are none); otherwise unknown."""
    unknown = False
    for v in values:
        if v is True:
            return True
        unknown = unknown or v is None
    return None if unknown else False


def _agreed(outcomes: set[bool]) -> bool | None:
    """The one outcome all possibilities agree on, or unknown."""
    return next(iter(outcomes)) if len(outcomes) == 1 else None


def _in_window(h: PriorSanction, first_day: dt.date, before: dt.date) -> bool | None:
    """Whether ``h`` was imposed (or given) on a day in ``[first_day, before)``. Without its imposition
    day, only a sanction that was already final before the window opened is known to lie outside it."""
    if h.imposed_on is not None:
        return first_day <= h.imposed_on < before
    if h.final_on is not None and h.final_on < first_day:
        return False
    return None


def _recidive_entry(h: PriorSanction, start: dt.date, years: int, prison_years: int) -> bool | None:
    """Whether an earlier fine or criminal sanction for the same conduct makes this violation a repeat:
    imposed within the look-back before the violation (longer after an unconditional prison sentence)
    and final. Unknown when a date that decides it is missing."""
    span = prison_years if h.unconditional_prison else years
    inside = _in_window(h, years_before(start, span), start)
    if inside is False:
        return False
    final = True if h.final_on is not None else None
    return True if inside and final else None


def _tri_any(*values: bool | None) -> bool | None:
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None


def _window_start(
    before: dt.date, unit: str | None, amount: int | str | None, params: Mapping[str, ResolvedParam]
) -> dt.date | None:
    """The first day of a declared fact's window ending before ``before`` (``None``: no first day)."""
    if unit is None or amount is None:
        return None
    n = amount if isinstance(amount, int) else _int(params, amount)
    if unit == "years":
        return years_before(before, n)
    if unit == "months":
        return months_before(before, n)
    return before - dt.timedelta(days=n)


def _entry_in_window(
    entry: Any, by: str, bounds: tuple[str | None, str | None], first: dt.date | None, before: dt.date
) -> bool | None:
    """Whether the entry's ``by`` date lies in ``[first, before)``. An unknown date is only known to lie
    inside or outside where the entry's other dates that bound it settle it."""
    day: dt.date | None = getattr(entry, by)
    if day is not None:
        return (first is None or first <= day) and day < before
    low: dt.date | None = getattr(entry, bounds[0]) if bounds[0] is not None else None
    high: dt.date | None = getattr(entry, bounds[1]) if bounds[1] is not None else None
    if (high is not None and first is not None and high < first) or (low is not None and low >= before):
        return False
    if high is not None and high < before and (first is None or (low is not None and low >= first)):
        return True
    return None


def entry_matches(entry: Any, fact: Compiled, domain: str, first: dt.date | None, before: dt.date) -> bool | None:
    """Whether one history entry matches a declared fact: false when one test is known to fail,
    unknown when none fails and one cannot be decided."""
    for name, values in fact.enums:
        value = getattr(entry, name)
        if (value.value if isinstance(value, Enum) else value) not in values:
            return False
    unknown = False
    for name, wanted in fact.flags:
        got: bool | None = (True if entry.final_on is not None else None) if name == "final" else getattr(entry, name)
        if got is None:
            unknown = True
        elif got != wanted:
            return False
    if fact.window is not None:
        by = fact.window[3]
        inside = _entry_in_window(entry, by, HISTORY[domain].dates[by], first, before)
        if inside is False:
            return False
        unknown = unknown or inside is None
    return None if unknown else True


def declared_window(
    fact: Compiled, params: Mapping[str, Any], before: dt.date | None
) -> tuple[dt.date | None, dt.date]:
    """The days ``[first, before)`` a declared fact's window covers on a case whose window date is
    ``before`` (``first`` ``None``: no first day; no window: every day)."""
    if fact.window is None or before is None:
        return None, dt.date.max
    unit, amount, _, _ = fact.window
    return _window_start(before, unit, amount, params), before


def declared_facts(
    case: BenefitCase | ProviderCase, params: Mapping[str, ResolvedParam], declared: Sequence[Compiled]
) -> dict[str, PyValue]:
    """The facts the packs declare (``facts:``), computed from the case's history and dates: ``any``
    true when an entry surely matches, false when none can, otherwise unknown; ``count`` the number
    of matching entries, unknown when an entry may or may not match."""
    domain = "providers" if isinstance(case, ProviderCase) else "benefits"
    out: dict[str, PyValue] = {}
    for fact in declared:
        day: dt.date | None = None
        if fact.window is not None:
            found: Any = case
            for part in fact.window[2]:
                found = getattr(found, part)
            day = found
        first, before = declared_window(fact, params, day)
        matches = [entry_matches(h, fact, domain, first, before) for h in case.history]
        if fact.form == "any":
            out[fact.name] = _any_tri(matches)
        else:
            out[fact.name] = None if any(m is None for m in matches) else sum(1 for m in matches if m)
    return out


def benefit_facts(
    case: BenefitCase, params: Mapping[str, ResolvedParam], declared: Sequence[Compiled] = ()
) -> dict[str, PyValue]:
    """The input facts the benefit rules read, as Python values (``None`` = unknown), with the facts
    the stack's packs declare (``declared``, from :attr:`Stack.declared`)."""
    v = case.violation
    start = v.period.start
    fraudewet = params["fraudewet_ingang"].value
    assert isinstance(fraudewet, dt.date)

    recidive = _any_tri(
        _recidive_entry(
            h, start, _int(params, "recidive_termijn_jaren"), _int(params, "recidive_termijn_gevangenisstraf_jaren")
        )
        for h in case.history
        if h.kind in RECIDIVE_KINDS and h.same_conduct
    )
    warning_block = years_before(start, _int(params, "waarschuwing_blokkade_jaren"))
    warned = _any_tri(
        _in_window(h, warning_block, start) for h in case.history if h.kind is PriorSanctionKind.waarschuwing
    )
    base = fine_base(case, params)
    limitation: bool | None = None
    hearing: bool | None = None
    if base is not None:
        # The fine that *can* be imposed (Awb 5:45, 5:53) is the statutory maximum for the violation,
        # the highest culpability level included; with recidive unknown, a fact is known only where
        # both answers agree.
        p = fine_params(params)
        maxima = [
            statutory_maximum(base, level="opzet", recidive=r, p=p)
            for r in ((True, False) if recidive is None else (recidive,))
        ]
        # The term is the long one above the threshold and the short one below it; where the maximum is
        # not known (recidive unknown), the power has lapsed (or not) only if it has under both terms.
        suspended = dt.timedelta(days=case.procedure.limitation_suspended_days or 0)
        limitation = _agreed(
            {
                case.decision_date
                > years_after(
                    v.period.end, _int(params, "verval_jaren_hoog") if high else _int(params, "verval_jaren_laag")
                )
                + suspended
                for high in {m > _dec(params, "verval_drempel") for m in maxima}
            }
        )
        hearing = _agreed({m > _dec(params, "rapport_zienswijze_drempel") for m in maxima})
    self_days = None
    if v.self_reported_on is not None:
        self_days = (v.self_reported_on - v.information_due).days
    c = case.circumstances
    muni = c.municipality
    ind = case.culpability.indicators
    f = case.finances
    pr = case.procedure
    return {
        "law": case.law.value,
        "decision_date": case.decision_date,
        "violation_established": v.established,
        "violation_kind": v.kind.value,
        "detection": v.detection.value,
        "benefit_loss": benefit_loss(case, params),
        "benefit_loss_net": case.benefit_loss.net,
        "benefit_loss_gross": case.benefit_loss.gross,
        "conduct_before_fraudewet": start < fraudewet,
        "culpability": None if case.culpability.confirmed is None else case.culpability.confirmed.value,
        "ind_admission": ind.admission,
        "ind_concealed_work_or_income": ind.concealed_work_or_income,
        "ind_concealed_household_or_assets": ind.concealed_household_or_assets,
        "ind_repeated_failure_to_inform": ind.repeated_failure_to_inform,
        "ind_combination_gross_negligence": ind.combination_pointing_to_gross_negligence,
        "life_events": c.disrupting_life_events,
        "mental_state": c.mental_state_reduces_attribution,
        "combination_of_circumstances": c.combination_of_circumstances,
        "municipality_share": _tri_any(muni.late_processing, muni.unclear_communication, muni.ignored_signals),
        "self_corrected_before_detection": v.detection is Detection.zelfmelding_voor_ontdekking,
        "self_correction_days": self_days,
        "recidive_same_conduct": recidive,
        "warning_within_block": warned,
        "limitation_lapsed": limitation,
        "report_and_hearing_required": hearing,
        "deceased": pr.deceased,
        "already_fined_same_facts": pr.already_fined_same_facts,
        "prosecuted_same_facts": pr.prosecuted_same_facts,
        "urgent_reasons": None if pr.urgent_reasons is None else pr.urgent_reasons.value,
        "reasonable_term_exceeded": True if pr.reasonable_term_exceeded_months else pr.reasonable_term_exceeded,
        "prosecutor_exception": pr.prosecutor_exception,
        "debts": c.debts,
        "debt_arrangement": c.debt_arrangement,
        "existing_claim": c.existing_claim,
        "dependent_children": c.dependent_children,
        "health_problems": c.health_problems,
        "cooperated": c.cooperated,
        "bijstand_level_income": f.bijstand_level_income,
        "financial_data_supplied": f.financial_data_supplied,
        "joint_household": f.joint_household,
        "monthly_income_above_norm": f.monthly_income_above_norm,
        **declared_facts(case, params, declared),
    }


# How encode_facts writes each fact (the encoding of :func:`maatwerk._policy.facts.encode_into`).
_MONEY, _DATE, _INT = range(3)
_CODES = {"money": _MONEY, "date": _DATE, "int": _INT}


@dataclass(frozen=True, slots=True)
class _Plan:
    """How :func:`encode_facts` encodes one stack's facts, worked out once: every key of the engine fact
    in its order (outputs at their defaults), then which inputs are yes/no, which are enums, and which
    carry a ``__known`` companion."""

    template: dict[str, Encoded]
    bools: tuple[str, ...]
    enums: tuple[str, ...]
    others: tuple[tuple[str, int, str], ...]


#: Each fact mapping's plan, by identity (the mapping itself is kept with its plan, so that its id
#: cannot be reused while the entry lives); emptied when full, so memory stays bounded.
_PLANS: dict[int, tuple[Mapping[str, FactSpec], _Plan]] = {}
_PLANS_LIMIT = 256


def _plan(facts: Mapping[str, FactSpec]) -> _Plan:
    found = _PLANS.get(id(facts))
    if found is not None and found[0] is facts:
        return found[1]
    template: dict[str, Encoded] = {}
    bools: list[str] = []
    enums: list[str] = []
    others: list[tuple[str, int, str]] = []
    for name, spec in facts.items():
        template[name] = spec.default
        if spec.output:
            continue
        if spec.kind == "bool":
            bools.append(name)
        elif spec.kind == "enum":
            enums.append(name)
        else:
            others.append((name, _CODES[spec.kind], name + KNOWN_SUFFIX))
            template[name + KNOWN_SUFFIX] = 0
    plan = _Plan(template, tuple(bools), tuple(enums), tuple(others))
    if len(_PLANS) >= _PLANS_LIMIT:
        _PLANS.clear()
    _PLANS[id(facts)] = (facts, plan)
    return plan


def encode_facts(facts: Mapping[str, FactSpec], values: Mapping[str, PyValue]) -> dict[str, Encoded]:
    """The level-0 engine fact: every input encoded (as :func:`~maatwerk._policy.facts.encode_into`
    encodes it, keys in the same order), every output at its default."""
    plan = _plan(facts)
    out = plan.template.copy()
    for name in plan.bools:
        value = values[name]
        out[name] = -1 if value is None else (1 if value else 0)
    for name in plan.enums:
        value = values[name]
        out[name] = "" if value is None else str(value)
    for name, how, known in plan.others:
        value = values[name]
        if value is None:
            continue  # the template holds 0 and 0
        if how == _MONEY:
            if not isinstance(value, Decimal):
                raise TypeError(f"the money fact {name} is not a Decimal")
            out[name] = int(value * 100)
        elif how == _DATE:
            if not isinstance(value, dt.date):
                raise TypeError(f"the date fact {name} is not a date")
            out[name] = value.toordinal()
        else:
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"the whole-number fact {name} is not an int")
            out[name] = value
        out[known] = 1
    return out


COERCIVE = {
    EarlierMeasureKind.contractmaatregel,
    EarlierMeasureKind.last_onder_dwangsom,
    EarlierMeasureKind.contractuele_boete,
}


def provider_facts(
    case: ProviderCase, params: Mapping[str, ResolvedParam], declared: Sequence[Compiled] = ()
) -> dict[str, PyValue]:
    """The input facts of a provider case: the case flattened, earlier measures within the look-back,
    and the facts the stack's packs declare (``declared``)."""
    since = years_before(case.decision_date, _int(params, "historie_termijn_jaren"))
    earlier = [h for h in case.history if h.same_standard and h.taken_on >= since]
    complied = [h.complied for h in earlier]
    not_complied: bool | None
    if any(c is False for c in complied):
        not_complied = True
    elif any(c is None for c in complied):
        not_complied = None
    else:
        not_complied = False
    c = case.contract
    return {
        "law": case.law.value,
        "violation_established": case.violation.established,
        "violation_kind": case.violation.kind.value,
        "decision_date": case.decision_date,
        "violation_found_on": case.violation.found_on,
        "harm_occurred": case.risk.harm_occurred,
        "vulnerable_clients": case.risk.vulnerable_clients,
        "ongoing_danger": case.risk.ongoing_danger,
        "structural": None if case.pattern is None else case.pattern is Pattern.structureel,
        "cooperates": case.response.cooperates,
        "capacity_to_improve": case.response.capacity_to_improve,
        "earlier_measure_same_standard": bool(earlier),
        "earlier_measure_not_complied": not_complied,
        "earlier_coercive_same_standard": any(h.kind in COERCIVE for h in earlier),
        "culpability": None if case.culpability is None else case.culpability.value,
        "clients_can_move": case.continuity.clients_can_move_in_time,
        "contract_improvement_plan": c.improvement_plan,
        "contract_intake_stop": c.intake_stop,
        "contract_payment_suspension": c.payment_suspension,
        "contract_penalty": c.penalty,
        "contract_termination": c.termination,
        "municipality_share": _tri_any(case.municipality.unclear_requirements, case.municipality.signals_not_acted_on),
        **declared_facts(case, params, declared),
    }
