# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The fine arithmetic of Pw 18a and the Boetebesluit socialezekerheidswetten, as pure functions.

Every figure comes from a dated policy parameter (passed in as :class:`FineParams`); nothing legal
is a literal here. Each function returns the amount together with the steps that produced it, so
the advice can show the computation line by line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

from maatwerk.models.case import FINE_LEVELS

__all__ = [
    "CalcStep",
    "FineParams",
    "ability_to_pay_cap",
    "beslagvrije_voet_cap",
    "fine_and_maximum",
    "fine_for_level",
    "round_fine",
    "statutory_maximum",
]

CENT = Decimal("0.01")
LEVELS = FINE_LEVELS


@dataclass(frozen=True, slots=True)
class FineParams:
    """The parameters the arithmetic needs, already resolved for the case's dates."""

    percentages: dict[str, Decimal]
    recidive_factor: Decimal
    category_2: Decimal
    category_3: Decimal
    category_5: Decimal
    max_category_opzet: int
    max_category_other: int
    max_category_no_loss: int
    lid7_threshold: Fraction
    lid7_factor: dict[str, Fraction]
    no_loss_fine: Decimal
    ability_percent: Decimal
    ability_months: dict[str, int]
    rounding_multiple: Decimal
    #: Reductions for exceeding the reasonable term: up to ``undue_delay_half_year_months``, from there
    #: up to ``undue_delay_year_months``; beyond that a person decides (at least the larger share).
    undue_delay_half_year_percent: Decimal
    undue_delay_year_percent: Decimal
    undue_delay_half_year_months: int
    undue_delay_year_months: int
    #: The fixed amount of art. 2 lid 7 is kept to this multiple, rounded down (whole euros).
    lid7_rounding_multiple: Decimal
    #: A municipal policy's cap: the fine is at most this many months of the amount above the
    #: beslagvrije voet (``None``: the policy sets no such cap; an open term of the national pack).
    beslagvrije_voet_months: int | None = None
    #: Derived once from the fields above (Boetebesluit art. 2 lid 7): the threshold above which
    #: the cap applies, and the cap per level, both in euros.
    lid7_threshold_amount: Decimal = field(init=False, repr=False, compare=False)
    lid7_cap: dict[str, Decimal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lid7_threshold_amount", _times(self.category_3, self.lid7_threshold))
        object.__setattr__(
            self, "lid7_cap", {level: _times(self.category_3, f) for level, f in self.lid7_factor.items()}
        )

    def category(self, n: int) -> Decimal:
        if n == 2:
            return self.category_2
        if n == 3:
            return self.category_3
        if n == 5:
            return self.category_5
        raise KeyError(n)


@dataclass(frozen=True, slots=True)
class CalcStep:
    """One line of the computation: ``id`` names the step, ``params`` the parameters it used."""

    id: str
    amount: Decimal
    params: tuple[str, ...]
    values: tuple[tuple[str, str], ...] = ()


def _money(x: Decimal) -> Decimal:
    """``x`` cut to whole cents (towards minus infinity)."""
    return x.quantize(CENT, rounding=ROUND_FLOOR)


def _times(amount: Decimal, factor: Fraction) -> Decimal:
    """``amount x factor``, exact, then cut to cents."""
    exact = Fraction(amount) * factor * 100
    return (Decimal(exact.numerator // exact.denominator) / 100).quantize(CENT)


def statutory_maximum(base: Decimal, *, level: str, recidive: bool, p: FineParams) -> Decimal:
    """The highest fine the law allows: never above the benadelingsbedrag (x1.5 with recidive), and
    never above the category cap for the level (Pw 18a lid 1, 3, 5)."""
    if base == 0:
        return p.category(p.max_category_no_loss)
    cap_category = p.max_category_opzet if level == "opzet" else p.max_category_other
    limit = base * p.recidive_factor if recidive else base
    return min(_money(limit), p.category(cap_category))


def fine_for_level(base: Decimal, *, level: str, recidive: bool, p: FineParams) -> tuple[Decimal, list[CalcStep]]:
    """The fine before ability to pay and rounding (Boetebesluit art. 2 lid 2-7, 11; Pw 18a)."""
    amount, steps, _ = fine_and_maximum(base, level=level, recidive=recidive, p=p)
    return amount, steps


def fine_and_maximum(
    base: Decimal, *, level: str, recidive: bool, p: FineParams
) -> tuple[Decimal, list[CalcStep], Decimal]:
    """:func:`fine_for_level` with the :func:`statutory_maximum` it applies (worked out once)."""
    steps: list[CalcStep] = []
    if base == 0:
        amount = min(p.no_loss_fine, p.category(p.max_category_no_loss))
        steps.append(
            CalcStep("geen_benadeling", amount, ("boete_geen_benadeling", "maximum_categorie_geen_benadeling"))
        )
        return amount, steps, statutory_maximum(base, level=level, recidive=recidive, p=p)
    adjusted = base
    if recidive:
        adjusted = _money(base * p.recidive_factor)
        steps.append(CalcStep("recidive", adjusted, ("recidive_factor",), (("factor", str(p.recidive_factor)),)))
    pct = p.percentages[level]
    amount = _money(adjusted * pct / 100)
    steps.append(CalcStep("percentage", amount, (f"boete_percentage_{level}",), (("percentage", str(pct)),)))
    if level in p.lid7_factor:
        threshold = p.lid7_threshold_amount
        if adjusted > threshold:
            capped = p.lid7_cap[level]
            if capped < amount:
                amount = capped
                steps.append(
                    CalcStep(
                        "lid7",
                        amount,
                        ("lid7_drempel_factor", f"lid7_factor_{level}", "geldboete_categorie_3"),
                        (("drempel", str(threshold)),),
                    )
                )
    maximum = statutory_maximum(base, level=level, recidive=recidive, p=p)
    if amount > maximum:
        amount = maximum
        steps.append(CalcStep("wettelijk_maximum", amount, ("maximum_categorie_opzet", "maximum_categorie_overig")))
    return amount, steps, maximum


def ability_to_pay_cap(level: str, monthly_norm: Decimal, p: FineParams) -> tuple[Decimal, int]:
    """What a person on a bijstand-level income can pay: months x percentage of the norm."""
    months = p.ability_months[level]
    return _money(monthly_norm * p.ability_percent / 100 * months), months


def capacity_cap(level: str, monthly_capacity: Decimal, p: FineParams) -> tuple[Decimal, int]:
    """The same cap from a monthly payment capacity assessed by a person (income above bijstand level)."""
    months = p.ability_months[level]
    return _money(monthly_capacity * months), months


def beslagvrije_voet_cap(monthly_above: Decimal, p: FineParams) -> tuple[Decimal, int] | None:
    """A municipal policy's cap: ``beslagvrije_voet_months`` x the monthly amount above the beslagvrije
    voet, with the months; ``None`` when the policy sets no such cap. It only ever lowers the fine: it is
    a ceiling beside the law's ability-to-pay cap, never a replacement for it."""
    if p.beslagvrije_voet_months is None:
        return None
    return _money(monthly_above * p.beslagvrije_voet_months), p.beslagvrije_voet_months


def undue_delay_percent(months: int | None, p: FineParams) -> tuple[Decimal, bool]:
    """The share the fine is reduced by when the proceedings exceeded the reasonable term by
    ``months`` (started months; ``None``: not assessed), and whether a person must still settle it:
    the courts' settled steps up to a year, and beyond a year (or when the overrun is not assessed)
    the settled step as a minimum that a person may raise."""
    if months is not None and months <= p.undue_delay_half_year_months:
        return p.undue_delay_half_year_percent, False
    if months is not None and months <= p.undue_delay_year_months:
        return p.undue_delay_year_percent, False
    if months is None:
        return p.undue_delay_half_year_percent, True
    return p.undue_delay_year_percent, True


def undue_delay(amount: Decimal, percent: Decimal) -> Decimal:
    """The fine reduced by ``percent``, to the nearest cent and not rounded again (ECLI:NL:CRVB:2023:916:
    €1.535,42 less 10% is €1.381,88)."""
    return (amount * (100 - percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def round_down(amount: Decimal, multiple: Decimal) -> Decimal:
    """``amount`` rounded down to a multiple of ``multiple``."""
    return ((amount / multiple).to_integral_value(rounding=ROUND_FLOOR) * multiple).quantize(CENT)


def round_fine(amount: Decimal, ceiling: Decimal, p: FineParams) -> Decimal:
    """Round up to a multiple of ``rounding_multiple``, but never above ``ceiling`` (a statutory or
    ability-to-pay cap): there, round down instead; an amount below one multiple stays as it is."""
    m = p.rounding_multiple
    up = (amount / m).to_integral_value(rounding=ROUND_CEILING) * m
    if up <= ceiling:
        return up.quantize(CENT)
    down = (ceiling / m).to_integral_value(rounding=ROUND_FLOOR) * m
    if down > 0:
        return down.quantize(CENT)
    return min(amount, ceiling).quantize(CENT)
