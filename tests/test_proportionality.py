# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The fine arithmetic (Boetebesluit art. 2, 2a, 2aa; Pw 18a), with the figures in force from
2024-01-01: category 2 €5.150, category 3 €10.300, category 5 €103.000 (domain.md §4)."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import POLICIES
from hypothesis import given
from hypothesis import strategies as st

from maatwerk._domains.boetebesluit import (
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
from maatwerk._domains.facts import fine_params
from maatwerk._policy.stack import PolicySet

P = FineParams(
    percentages={"opzet": Decimal(100), "grove_schuld": Decimal(75), "normaal": Decimal(50), "verminderd": Decimal(25)},
    recidive_factor=Decimal("1.5"),
    category_2=Decimal("5150.00"),
    category_3=Decimal("10300.00"),
    category_5=Decimal("103000.00"),
    max_category_opzet=5,
    max_category_other=3,
    max_category_no_loss=2,
    lid7_threshold=Fraction(100, 75),
    lid7_factor={"normaal": Fraction(50, 75), "verminderd": Fraction(25, 75)},
    no_loss_fine=Decimal("150.00"),
    ability_percent=Decimal(5),
    ability_months={"opzet": 24, "grove_schuld": 18, "normaal": 12, "verminderd": 6},
    rounding_multiple=Decimal("0.01"),
    undue_delay_half_year_percent=Decimal(5),
    undue_delay_year_percent=Decimal(10),
    undue_delay_half_year_months=6,
    undue_delay_year_months=12,
    lid7_rounding_multiple=Decimal("1.00"),
)

D = Decimal

#: The same, for a decision taken before 2017: the Boetebesluit then rounded the fine up to a multiple
#: of €10 (art. 2 lid 2 of the text of 2015); from 2017-01-01 it does not round (the pack's €0.01).
P_BEFORE_2017 = dataclasses.replace(P, rounding_multiple=D("10.00"))


def fine(base: str, level: str, *, recidive: bool = False) -> Decimal:
    return fine_for_level(D(base), level=level, recidive=recidive, p=P)[0]


def test_from_2017_a_fine_in_cents_is_not_rounded() -> None:
    """The Boetebesluit's text from 2017-01-01 has no rounding rule: €1.241,50 stays €1.241,50, and
    the ability-to-pay cap €1.681,80 is the fine, not €1.680."""
    assert (D("1241.50"), D("1681.80")) == (
        round_fine(D("1241.50"), D("5000.00"), P),
        round_fine(D("1681.80"), D("1681.80"), P),
    )


def test_bundled_pack_gives_these_parameters_for_conduct_in_2025() -> None:
    """The parameters above are what the bundled packs resolve for conduct in 2025."""
    sel = PolicySet.from_directory(POLICIES).select(
        "benefits", "lansingerland", dt.date(2025, 1, 1), dt.date(2025, 6, 1)
    )
    assert P == fine_params(sel.decision.resolve_params(dt.date(2025, 1, 1), dt.date(2025, 6, 1)))


@pytest.mark.parametrize(
    ("level", "expected"),
    [("opzet", "1000.00"), ("grove_schuld", "750.00"), ("normaal", "500.00"), ("verminderd", "250.00")],
)
def test_percentage_of_the_loss_per_culpability_level(level: str, expected: str) -> None:
    """Opzet 100%, grove schuld 75%, normal 50%, reduced 25% of the benadelingsbedrag (art. 2 lid 2-5)."""
    assert D(expected) == fine("1000.00", level)


def test_percentage_is_cut_to_whole_cents() -> None:
    """A fraction of a cent is dropped, never rounded up: 25% of €0,10 is €0,02."""
    assert D("0.02") == fine("0.10", "verminderd")


def test_recidive_applies_the_percentage_to_150_percent_of_the_loss() -> None:
    """With recidive, 50% of 150% of €1.000 is €750 (art. 2 lid 6)."""
    assert D("750.00") == fine("1000.00", "normaal", recidive=True)


def test_recidive_with_intent_may_exceed_the_loss_up_to_150_percent() -> None:
    """Opzet with recidive on €1.000: €1.500, within the 1,5 × loss maximum (Pw 18a lid 5)."""
    assert D("1500.00") == fine("1000.00", "opzet", recidive=True)


def test_lid7_caps_normal_culpability_on_large_amounts() -> None:
    """Above 100/75 × category 3 (€13.733,33) normal culpability is 50/75 × category 3 = €6.866,66."""
    assert D("6866.66") == fine("20000.00", "normaal")


def test_lid7_caps_reduced_culpability_on_large_amounts() -> None:
    """Above the threshold reduced culpability is 25/75 × category 3 = €3.433,33."""
    assert D("3433.33") == fine("20000.00", "verminderd")


def test_lid7_does_not_apply_at_the_threshold_itself() -> None:
    """At exactly €13.733,33 the plain percentage applies: 50% is €6.866,66 (cut to cents)."""
    assert D("6866.66") == fine("13733.33", "normaal")


def test_lid7_uses_the_recidive_adjusted_amount() -> None:
    """€10.000 with recidive is €15.000, above the threshold: normal culpability is capped."""
    assert D("6866.66") == fine("10000.00", "normaal", recidive=True)


def test_lid7_never_applies_to_gross_negligence() -> None:
    """Grove schuld on €12.000 is 75% = €9.000: lid 7 only covers normal and reduced culpability."""
    assert D("9000.00") == fine("12000.00", "grove_schuld")


def test_gross_negligence_is_capped_at_category_3() -> None:
    """Without intent the fine is at most category 3: €10.300 (Pw 18a lid 1)."""
    assert D("10300.00") == fine("20000.00", "grove_schuld")


def test_intent_is_capped_at_category_5() -> None:
    """With intent the fine is at most category 5: €103.000."""
    assert D("103000.00") == fine("200000.00", "opzet")


def test_no_loss_gives_the_fixed_starting_point() -> None:
    """Without benadeling the starting point is €150 (art. 2 lid 11)."""
    assert D("150.00") == fine("0.00", "normaal")


@pytest.mark.parametrize(
    ("base", "level", "recidive", "expected"),
    [
        ("1000.00", "normaal", False, "1000.00"),
        ("1000.00", "opzet", True, "1500.00"),
        ("200000.00", "opzet", False, "103000.00"),
        ("200000.00", "normaal", True, "10300.00"),
        ("0.00", "opzet", False, "5150.00"),
    ],
)
def test_statutory_maximum(base: str, level: str, recidive: bool, expected: str) -> None:
    """The loss (× 1,5 with recidive), never above category 5 (opzet) or 3; category 2 without loss."""
    assert D(expected) == statutory_maximum(D(base), level=level, recidive=recidive, p=P)


def test_ability_to_pay_is_24_months_of_5_percent_of_the_norm_for_intent() -> None:
    """Norm €1.401,50: 24 months (ECLI:NL:CRVB:2016:9) × 5% (beslagvrije voet 95% since CRvB 4-8-2020)
    = 24 × €70,075 = €1.681,80."""
    assert (D("1681.80"), 24) == ability_to_pay_cap("opzet", D("1401.50"), P)


@pytest.mark.parametrize(
    ("level", "expected"),
    [("grove_schuld", ("1261.35", 18)), ("normaal", ("840.90", 12)), ("verminderd", ("420.45", 6))],
)
def test_ability_to_pay_term_follows_the_culpability(level: str, expected: tuple[str, int]) -> None:
    """18 months for grove schuld, 12 for normal, 6 (Lansingerland) for reduced culpability."""
    assert (D(expected[0]), expected[1]) == ability_to_pay_cap(level, D("1401.50"), P)


def test_capacity_cap_uses_the_assessed_monthly_capacity() -> None:
    """Above bijstand level, a person's assessed €100 a month × 12 months caps a normal fine at €1.200."""
    assert (D("1200.00"), 12) == capacity_cap("normaal", D("100.00"), P)


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (1, (D(5), False)),
        (6, (D(5), False)),
        (7, (D(10), False)),
        (12, (D(10), False)),
        (13, (D(10), True)),
        (None, (D(5), True)),
    ],
)
def test_undue_delay_share_follows_the_courts_steps(months: int | None, expected: tuple[Decimal, bool]) -> None:
    """Up to half a year over the reasonable term the fine drops 5% (ECLI:NL:CRVB:2023:2291), up to a
    year 10% (ECLI:NL:CRVB:2023:916); beyond a year, or when the overrun is not assessed, the advice
    uses the settled step and a person decides."""
    assert expected == undue_delay_percent(months, P)


def test_undue_delay_is_kept_in_cents_and_not_rounded_again() -> None:
    """ECLI:NL:CRVB:2023:916: a fine of €1.535,42 reduced by 10% is €1.381,88 (1.381,878 to the cent)."""
    assert D("1381.88") == undue_delay(D("1535.42"), D(10))


def test_round_down_keeps_whole_euros() -> None:
    """50/75 x €8.300 = €5.533,33 is kept as €5.533 (ECLI:NL:RBZWB:2021:3177), not rounded to €10."""
    assert D("5533.00") == round_down(D("5533.33"), D("1.00"))


@pytest.mark.parametrize(
    ("amount", "ceiling", "expected"),
    [
        ("1241.00", "5000.00", "1250.00"),
        ("1240.00", "5000.00", "1240.00"),
        ("1240.01", "5000.00", "1250.00"),
        ("0.00", "5000.00", "0.00"),
        ("5.00", "100.00", "10.00"),
    ],
)
def test_rounding_is_up_to_a_multiple_of_ten(amount: str, ceiling: str, expected: str) -> None:
    """Before 2017 the fine is rounded up to a multiple of €10 (Boetebesluit art. 2 lid 2 as it read
    then; CRvB 2016 series)."""
    assert D(expected) == round_fine(D(amount), D(ceiling), P_BEFORE_2017)


def test_rounding_never_exceeds_the_cap() -> None:
    """Where rounding up would pass a cap (€3.363,60), the fine rounds down to €3.360 instead."""
    assert D("3360.00") == round_fine(D("3363.60"), D("3363.60"), P_BEFORE_2017)


def test_amount_below_one_multiple_under_a_small_cap_stays() -> None:
    """€5 under a €5 cap cannot be rounded either way: it stays €5."""
    assert D("5.00") == round_fine(D("5.00"), D("5.00"), P_BEFORE_2017)


@given(
    amount=st.integers(0, 20_000_000).map(lambda c: Decimal(c) / 100),
    headroom=st.integers(0, 5_000_000).map(lambda c: Decimal(c) / 100),
)
def test_rounded_fine_stays_within_its_ceiling(amount: Decimal, headroom: Decimal) -> None:
    """Whatever the amount and ceiling (amount <= ceiling), the rounded fine never exceeds the
    ceiling and is never lower than the amount minus one multiple."""
    ceiling = amount + headroom
    rounded = round_fine(amount, ceiling, P_BEFORE_2017)
    assert rounded <= ceiling
    assert rounded > amount - P_BEFORE_2017.rounding_multiple


@given(
    base=st.integers(1, 20_000_000).map(lambda c: Decimal(c) / 100),
    recidive=st.booleans(),
)
def test_fine_for_level_is_monotone_in_culpability(base: Decimal, recidive: bool) -> None:
    """On the same loss, verminderd <= normaal <= grove schuld <= opzet, before ability to pay."""
    amounts = [
        fine_for_level(base, level=lvl, recidive=recidive, p=P)[0]
        for lvl in ("verminderd", "normaal", "grove_schuld", "opzet")
    ]
    assert sorted(amounts) == amounts


@given(
    base=st.integers(1, 20_000_000).map(lambda c: Decimal(c) / 100),
    level=st.sampled_from(("verminderd", "normaal", "grove_schuld", "opzet")),
    recidive=st.booleans(),
)
def test_fine_for_level_never_exceeds_the_statutory_maximum(base: Decimal, level: str, recidive: bool) -> None:
    """The computed fine is at most the statutory maximum for its level."""
    amount = fine_for_level(base, level=level, recidive=recidive, p=P)[0]
    assert amount <= statutory_maximum(base, level=level, recidive=recidive, p=P)


@given(
    small=st.integers(1, 10_000_000).map(lambda c: Decimal(c) / 100),
    extra=st.integers(0, 10_000_000).map(lambda c: Decimal(c) / 100),
    level=st.sampled_from(("verminderd", "normaal", "grove_schuld", "opzet")),
)
def test_a_larger_loss_never_gives_a_lower_fine(small: Decimal, extra: Decimal, level: str) -> None:
    """The fine is monotone in the benadelingsbedrag (no cliff at the lid 7 threshold)."""
    low = fine_for_level(small, level=level, recidive=False, p=P)[0]
    high = fine_for_level(small + extra, level=level, recidive=False, p=P)[0]
    assert low <= high


def test_steps_name_the_parameters_they_used() -> None:
    """Each calculation step names the pack parameters behind it, for the advice's explanation."""
    _, steps = fine_for_level(D("20000.00"), level="normaal", recidive=True, p=P)
    assert [
        ("recidive", ("recidive_factor",)),
        ("percentage", ("boete_percentage_normaal",)),
        ("lid7", ("lid7_drempel_factor", "lid7_factor_normaal", "geldboete_categorie_3")),
    ] == [(s.id, s.params) for s in steps]


def test_a_policy_cap_above_the_beslagvrije_voet_is_months_times_the_monthly_amount() -> None:
    """A municipal policy of "at most 6 x the amount above the beslagvrije voet": 6 x €70,08 = €420,48,
    exact to the cent; without such a policy there is no cap at all (not a cap of zero)."""
    six = dataclasses.replace(P, beslagvrije_voet_months=6)
    assert (D("420.48"), 6) == beslagvrije_voet_cap(D("70.08"), six)
    assert beslagvrije_voet_cap(D("70.08"), P) is None
