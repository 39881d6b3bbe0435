# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Valid, varied cases, written once for every user: Hypothesis, the seeded population of
``maatwerk diff`` and ``maatwerk coverage``, and the benchmark.

A recipe (:func:`benefit_case`, :func:`provider_case`) asks a :class:`Draw` for every choice it
makes: :class:`RandomDraw` draws from a seeded :class:`random.Random` (fast and reproducible);
``maatwerk.testing`` wraps Hypothesis' ``draw`` (so Hypothesis explores and shrinks). This module
does not import Hypothesis: ``import maatwerk`` and the CLI work without it.

Every case is a JSON-ready dict that the case model accepts: dates are consistent (the violation
starts on or before it ends, every date lies on or before the decision), amounts are two-decimal
strings, unknown facts are either absent or ``null``. No case carries a protected characteristic
(domain.md §7): the recipes have no such field to fill.

*Targets.* A recipe can be aimed: ``targets`` maps input facts of the domain's fact catalogue to
the values they should take (a :class:`~maatwerk._policy.solve.Choice` or
:class:`~maatwerk._policy.solve.Range`, as the solver returns them for a rule's condition), and
the recipe draws the case fields those facts come from inside them. ``maatwerk.testing.from_policy``
uses this to reach every rule of a pack. Derived facts (a limitation term that lapsed, a fine for
the same conduct within the look-back) are aimed with the parameter values in :class:`Aim`; a
target the recipe cannot meet together with another one is left to chance, never an invalid case.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from maatwerk._domains.facts import declared_window, entry_matches, years_before
from maatwerk._policy.declared import HISTORY, Compiled
from maatwerk._policy.solve import Choice, Constraint, Range
from maatwerk.models._base import LAST_DAY
from maatwerk.models.case import BENEFIT_LAWS, CULPABILITY_LEVELS, LOSS_BASIS_PARAMETER
from maatwerk.models.provider import EarlierMeasureKind

__all__ = [
    "FIRST_DECISION",
    "GENERATED_DECISIONS",
    "LAST_DECISION",
    "Aim",
    "Draw",
    "RandomDraw",
    "benefit_case",
    "provider_case",
    "window_problem",
]

T = TypeVar("T")

FIRST_DECISION = dt.date(2024, 1, 1)
LAST_DECISION = dt.date(2026, 11, 1)
FIRST_CONDUCT = dt.date(2010, 1, 1)  # also conduct before the Fraudewet (1-1-2013)
EARLIEST = dt.date(2000, 1, 1)  # no history entry is older
#: The decision dates a generated case may have. A case reaches back from its decision (conduct,
#: earlier sanctions, look-back terms) by up to some 25 years, and a case's dates lie from
#: 1900-01-01 on (``maatwerk.models._base.FIRST_DAY``); 1930 leaves room for every look-back.
GENERATED_DECISIONS = (dt.date(1930, 1, 1), LAST_DAY)


def window_problem(first: dt.date, last: dt.date) -> str | None:
    """Why cases cannot be generated with decisions from ``first`` to ``last``, or ``None``."""
    low, high = GENERATED_DECISIONS
    if first > last:
        return f"the first day {first} lies after the last day {last}"
    if first < low or last > high:
        return f"generated cases are decided from {low} to {high}, not {first} to {last}"
    return None


LAWS = BENEFIT_LAWS
LEVELS = CULPABILITY_LEVELS
KINDS = ("inkomsten_of_werk", "samenwoning", "vermogen", "verblijf_buitenland", "overig")
DETECTIONS = ("zelfmelding_voor_ontdekking", "zelfmelding_tijdens_onderzoek", "onderzoek", "gegevensvergelijking")
SELF_REPORTS = ("zelfmelding_voor_ontdekking", "zelfmelding_tijdens_onderzoek")
INDICATORS = {
    "ind_admission": "admission",
    "ind_concealed_work_or_income": "concealed_work_or_income",
    "ind_concealed_household_or_assets": "concealed_household_or_assets",
    "ind_repeated_failure_to_inform": "repeated_failure_to_inform",
    "ind_combination_gross_negligence": "combination_pointing_to_gross_negligence",
}
CIRCUMSTANCES = {
    "life_events": "disrupting_life_events",
    "mental_state": "mental_state_reduces_attribution",
    "combination_of_circumstances": "combination_of_circumstances",
    "debts": "debts",
    "debt_arrangement": "debt_arrangement",
    "dependent_children": "dependent_children",
    "health_problems": "health_problems",
    "cooperated": "cooperated",
}
FINANCES = {
    "bijstand_level_income": "bijstand_level_income",
    "financial_data_supplied": "financial_data_supplied",
    "joint_household": "joint_household",
}
GATES = {
    "deceased": "deceased",
    "already_fined_same_facts": "already_fined_same_facts",
    "prosecuted_same_facts": "prosecuted_same_facts",
}
MUNICIPALITY_ROLE = ("late_processing", "unclear_communication", "ignored_signals")
REF_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-"

PROVIDER_LAWS = ("wmo2015", "jeugdwet")
PROVIDER_KINDS = (
    "calamiteit_niet_gemeld",
    "geweld_niet_gemeld",
    "kwaliteit_onvoldoende",
    "geen_medewerking_toezicht",
    "vermoeden_fraude",
)
EARLIER_KINDS = tuple(k.value for k in EarlierMeasureKind)
COERCIVE_KINDS = ("contractmaatregel", "last_onder_dwangsom", "contractuele_boete")
CONTRACT = {
    "contract_improvement_plan": "improvement_plan",
    "contract_intake_stop": "intake_stop",
    "contract_payment_suspension": "payment_suspension",
    "contract_penalty": "penalty",
    "contract_termination": "termination",
}
RISK = {
    "harm_occurred": "harm_occurred",
    "vulnerable_clients": "vulnerable_clients",
    "ongoing_danger": "ongoing_danger",
}


class Draw(Protocol):
    """Where a recipe gets its choices from."""

    def integer(self, low: int, high: int) -> int:
        """A whole number in ``low .. high`` (both included)."""
        ...

    def choice(self, options: Sequence[T]) -> T:
        """One of ``options`` (a non-empty sequence)."""
        ...


class RandomDraw:
    """Choices from a seeded :class:`random.Random`: the same seed, the same cases.

    A case takes some eighty draws, and ``randint``/``randrange`` spend most of their time checking
    their arguments. For a plain :class:`random.Random` the draws are therefore made here the way
    ``random`` makes them (``_randbelow_with_getrandbits``: the fewest bits that cover the range,
    redrawn while out of range; the same in Python 3.11 to 3.13), draw for draw the same numbers
    (a property test holds them to ``randint`` and ``randrange``). Any other generator is asked
    through its own ``randint`` and ``randrange``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._bits = rng.getrandbits if type(rng) is random.Random else None

    def integer(self, low: int, high: int) -> int:
        bits = self._bits
        if bits is None or high < low:
            return self.rng.randint(low, high)  # (an empty range raises random's own error)
        n = high - low + 1
        k = n.bit_length()
        r = bits(k)
        while r >= n:
            r = bits(k)
        return low + r

    def choice(self, options: Sequence[T]) -> T:
        bits = self._bits
        n = len(options)
        if bits is None or not n:
            return options[self.rng.randrange(n)]
        k = n.bit_length()
        r = bits(k)
        while r >= n:
            r = bits(k)
        return options[r]


@dataclass(frozen=True, slots=True)
class Aim:
    """The parameter values a recipe aims derived facts with (defaults: the bundled national packs)."""

    fraudewet: dt.date = dt.date(2013, 1, 1)
    recidive_years: int = 5
    prison_years: int = 10
    warning_block_years: int = 2
    limitation_high_years: int = 5
    limitation_low_years: int = 3
    loss_basis: Mapping[str, str] = field(
        default_factory=lambda: {"participatiewet": "netto", "bbz": "netto", "ioaw": "bruto", "ioaz": "bruto"}
    )
    provider_history_years: int = 3
    #: The facts the packs declare, with the resolved parameters their windows read (aimed by
    #: :func:`_aim_declared`).
    declared: tuple[Compiled, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Mapping[str, Any], declared: tuple[Compiled, ...] = ()) -> Aim:
        """From resolved pack parameters (``{name: ResolvedParam}``); missing ones keep their default.
        ``declared``: the stack's declared facts, aimed with the same parameters."""

        def get(name: str, default: T) -> T:
            found = params.get(name)
            value = getattr(found, "value", found)
            return value if isinstance(value, type(default)) and value is not None else default

        defaults = {"benadeling_grondslag_participatiewet": "netto", "benadeling_grondslag_ioaw_ioaz": "bruto"}
        basis = {law: get(name, defaults[name]) for law, name in LOSS_BASIS_PARAMETER.items()}
        return cls(
            fraudewet=get("fraudewet_ingang", dt.date(2013, 1, 1)),
            recidive_years=get("recidive_termijn_jaren", 5),
            prison_years=get("recidive_termijn_gevangenisstraf_jaren", 10),
            warning_block_years=get("waarschuwing_blokkade_jaren", 2),
            limitation_high_years=get("verval_jaren_hoog", 5),
            limitation_low_years=get("verval_jaren_laag", 3),
            loss_basis=basis,
            provider_history_years=get("historie_termijn_jaren", 3),
            declared=declared,
            params=params,
        )


Targets = Mapping[str, Constraint]

_TRI = {1: True, 0: False, -1: None}


# --- small draws ------------------------------------------------------------------------------------


def _day(draw: Draw, low: dt.date, high: dt.date) -> dt.date:
    """A day in ``low .. max(low, high)``."""
    return low + dt.timedelta(days=draw.integer(0, max(0, (high - low).days)))


def _first(usual: dt.date, last: dt.date, *, years: int) -> dt.date:
    """The first day of a draw of days up to ``last``: ``usual``, or ``years`` before ``last`` when
    ``usual`` lies later (a population decided before ``usual`` still has its dates in order)."""
    return min(usual, years_before(last, years))


def _cents(draw: Draw, max_cents: int) -> int:
    """An amount in cents; a third of the draws stay small (around the €150 warning limit)."""
    if draw.choice(("small", "any", "any")) == "small":
        return draw.integer(0, min(max_cents, 40_000))
    return draw.integer(0, max_cents)


def _euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _tri(draw: Draw) -> bool:
    return draw.choice((True, False))


def _maybe(draw: Draw, target: dict[str, Any], key: str, make: Any) -> None:
    """Set ``key`` to ``make()``, to null, or leave it out (absent and null both mean unknown)."""
    choice = draw.choice(("absent", "null", "value", "value"))
    if choice == "null":
        target[key] = None
    elif choice == "value":
        target[key] = make()


def _set_unknown(draw: Draw, target: dict[str, Any], key: str) -> None:
    if draw.choice(("absent", "null")) == "null":
        target[key] = None
    else:
        target.pop(key, None)


def _aimed(draw: Draw, targets: Targets, fact: str) -> Any:
    """The encoded value a targeted bool or enum fact should take, or ``...`` when it is not targeted."""
    constraint = targets.get(fact)
    if not isinstance(constraint, Choice):
        return ...
    return draw.choice(sorted(constraint.values, key=str))


def _bool_field(draw: Draw, targets: Targets, fact: str, target: dict[str, Any], key: str) -> None:
    """A tri-state case field that flattens to ``fact``: aimed, or true/false/unknown at random."""
    aimed = _aimed(draw, targets, fact)
    if aimed is ...:
        _maybe(draw, target, key, lambda: _tri(draw))
    elif _TRI[int(aimed)] is None:
        _set_unknown(draw, target, key)
    else:
        target[key] = _TRI[int(aimed)]


def _enum_field(
    draw: Draw, targets: Targets, fact: str, target: dict[str, Any], key: str, values: Sequence[str]
) -> None:
    aimed = _aimed(draw, targets, fact)
    if aimed is ...:
        _maybe(draw, target, key, lambda: draw.choice(values))
    elif aimed == "":
        _set_unknown(draw, target, key)
    else:
        target[key] = aimed


def _known(draw: Draw, targets: Targets, fact: str) -> bool | None:
    """Whether a targeted numeric fact should be known (``None``: not targeted)."""
    constraint = targets.get(fact)
    if not isinstance(constraint, Range):
        return None
    options = [flag for flag, allowed in ((True, constraint.known), (False, constraint.unknown)) if allowed]
    return draw.choice(options)


def _within(draw: Draw, constraint: Constraint | None, low: int, high: int, *, small: bool = False) -> int:
    """A value in ``low .. high`` that also lies inside a targeted range (when there is one and they meet)."""
    if isinstance(constraint, Range) and constraint.known:
        lo = low if constraint.low is None else max(low, constraint.low)
        hi = high if constraint.high is None else min(high, constraint.high)
        if lo > hi:  # the target lies outside the usual span: go there anyway
            lo = constraint.low if constraint.low is not None else low
            hi = constraint.high if constraint.high is not None else lo + (high - low)
        if lo <= hi:
            value = draw.integer(lo, hi)
            if value in constraint.excluded:
                value = next((v for v in range(lo, hi + 1) if v not in constraint.excluded), value)
            return value
    if small:
        return _cents(draw, high) if low == 0 else draw.integer(low, high)
    return draw.integer(low, high)


# --- benefit cases ----------------------------------------------------------------------------------


def benefit_case(
    draw: Draw,
    *,
    fineable: bool = False,
    decisions: tuple[dt.date, dt.date] = (FIRST_DECISION, LAST_DECISION),
    targets: Targets | None = None,
    aim: Aim | None = None,
) -> dict[str, Any]:
    """A valid benefit case with consistent dates, decided in ``decisions`` (both days included).

    ``fineable=True`` makes a case that passes every gate (established, recent, a confirmed
    culpability level, below the prosecutor's threshold, no urgent reasons). ``targets`` and ``aim``:
    see the module docstring.
    """
    t: Targets = targets or {}
    a = aim or Aim()
    decision = _day(draw, *decisions)
    first_conduct = _first(FIRST_CONDUCT, decision, years=5)
    law = _aimed(draw, t, "law")
    if law is ...:
        law = draw.choice(LAWS)

    # --- when: the conduct period, aimed at the Fraudewet and the limitation term ---------------
    before = _aimed(draw, t, "conduct_before_fraudewet")
    lapsed = _aimed(draw, t, "limitation_lapsed")
    if fineable:
        start_lo, start_hi = max(first_conduct, decision - dt.timedelta(days=700)), decision
    elif draw.choice(("recent", "recent", "recent", "any")) == "recent":
        start_lo, start_hi = max(first_conduct, decision - dt.timedelta(days=800)), decision
    else:
        start_lo, start_hi = first_conduct, decision
    lo, hi = start_lo, start_hi
    if before == 1:
        lo, hi = first_conduct, min(decision, a.fraudewet - dt.timedelta(days=1))
    elif before == 0:
        lo = max(lo, a.fraudewet)
    lapse_end = years_before(decision, a.limitation_high_years) - dt.timedelta(days=1)
    fresh_end = years_before(decision, a.limitation_low_years)
    if lapsed == 1:
        hi = min(hi, lapse_end)
        if before != 1:
            lo = min(lo, hi)
    if lo <= hi:
        start_lo, start_hi = lo, hi
    else:
        lapsed = ...  # cannot meet both: leave the limitation term to chance
    start = _day(draw, start_lo, start_hi)
    if lapsed == 1:
        end = _day(draw, start, min(lapse_end, start + dt.timedelta(days=draw.integer(0, 1500))))
    elif lapsed in (0, -1) or fineable:
        end = _day(draw, max(start, fresh_end), decision) if lapsed == 0 else _day(draw, start, decision)
    else:
        end = _day(draw, start, min(decision, start + dt.timedelta(days=draw.integer(0, 1500))))
    due = _day(draw, start, min(decision, start + dt.timedelta(days=60)))

    # --- how it came to light ------------------------------------------------------------------
    detections = list(DETECTIONS)
    aimed_detection = t.get("detection")
    if isinstance(aimed_detection, Choice):
        detections = [d for d in detections if d in aimed_detection.values] or detections
    corrected = _aimed(draw, t, "self_corrected_before_detection")
    if corrected != ...:
        kept = [d for d in detections if (d == "zelfmelding_voor_ontdekking") == (corrected == 1)]
        detections = kept or detections
    days_known = _known(draw, t, "self_correction_days")
    if days_known is not None:
        kept = [d for d in detections if (d in SELF_REPORTS) == days_known]
        detections = kept or detections
    detection = draw.choice(detections)
    violation: dict[str, Any] = {
        "established": True if fineable else _established(draw, t),
        "kind": draw.choice(KINDS),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "information_due": due.isoformat(),
        "detection": detection,
    }
    aimed_kind = _aimed(draw, t, "violation_kind")
    if aimed_kind is not ...:
        violation["kind"] = aimed_kind
    if detection in SELF_REPORTS:
        room = (decision - due).days
        days = _within(draw, t.get("self_correction_days"), 0, min(room, 200))
        reported = min(decision, due + dt.timedelta(days=days))
        violation["self_reported_on"] = reported.isoformat()
        detected = (
            _day(draw, reported, decision) if detection == "zelfmelding_voor_ontdekking" else _day(draw, due, reported)
        )
    else:
        detected = _day(draw, due, decision)
    violation["detected_on"] = detected.isoformat()

    # --- how much: net and gross, aimed at the basis the law or the municipality uses ------------
    hearing = _aimed(draw, t, "report_and_hearing_required")
    if hearing in (0, 1):  # the statutory maximum (at most the loss, x1.5 with recidive) against Awb 5:53
        t = {**t, "benefit_loss": _meet(t.get("benefit_loss"), HEARING_LOSS[hearing]) or HEARING_LOSS[hearing]}
    loss = _loss(
        draw,
        t,
        a,
        law=law,
        fineable=fineable,
        base_known=True if hearing in (0, 1) else {1: True, 0: True, -1: False}.get(lapsed),
    )
    if (start < a.fraudewet and (lapsed in (0, 1) or hearing in (0, 1))) or draw.choice((True, False)):
        loss["before_2013"] = _euros(_cents(draw, 100_000))
    _maybe(draw, loss, "already_recovered", lambda: _euros(_cents(draw, 500_000)))

    # --- culpability -----------------------------------------------------------------------------
    indicators: dict[str, Any] = {}
    for fact, key in INDICATORS.items():
        _bool_field(draw, t, fact, indicators, key)
    culpability: dict[str, Any] = {"indicators": indicators}
    level = _aimed(draw, t, "culpability")
    if level is ...:
        if fineable:
            culpability["confirmed"] = draw.choice(LEVELS[:4])
        else:
            _maybe(draw, culpability, "confirmed", lambda: draw.choice(LEVELS))
    elif level != "":
        culpability["confirmed"] = level

    history = _benefit_history(draw, t, a, start=start, decision=decision)

    municipality: dict[str, Any] = {}
    _share(draw, t, municipality, MUNICIPALITY_ROLE)
    circumstances: dict[str, Any] = {"municipality": municipality}
    for fact, key in CIRCUMSTANCES.items():
        _bool_field(draw, t, fact, circumstances, key)

    finances: dict[str, Any] = {}
    for fact, key in FINANCES.items():
        _bool_field(draw, t, fact, finances, key)
    # a norm is never 0 (the case refuses it); the same draws, with 0 read as one cent
    _maybe(draw, finances, "monthly_norm", lambda: _euros(max(_cents(draw, 300_000), 1)))
    _maybe(draw, finances, "household_monthly_norm", lambda: _euros(max(_cents(draw, 400_000), 1)))
    _maybe(draw, finances, "monthly_payment_capacity", lambda: _euros(_cents(draw, 200_000)))
    _maybe(draw, finances, "monthly_amount_above_beslagvrije_voet", lambda: _euros(_cents(draw, 100_000)))

    procedure: dict[str, Any] = {}
    gates_open = fineable or draw.choice((True, False))  # half of the cases pass every procedural gate
    for fact, key in GATES.items():
        aimed = _aimed(draw, t, fact)
        if aimed is not ...:
            procedure[key] = _TRI[int(aimed)]
        else:
            procedure[key] = draw.choice((False, None) if gates_open else (False,) * 6 + (None,) * 3 + (True,))
    urgent = ("afwezig",) if fineable else ("aanwezig", "afwezig", "afwezig", "afwezig")
    _enum_field(draw, t, "urgent_reasons", procedure, "urgent_reasons", urgent)
    _bool_field(draw, t, "reasonable_term_exceeded", procedure, "reasonable_term_exceeded")
    if lapsed is ...:
        _maybe(draw, procedure, "limitation_suspended_days", lambda: draw.integer(0, 2000))
    exception = _aimed(draw, t, "prosecutor_exception")
    if exception is ...:
        if not fineable and draw.integer(0, 5) == 0:
            procedure["prosecutor_exception"] = draw.choice(("verwijzen", "niet_verwijzen"))
    elif exception != "":
        procedure["prosecutor_exception"] = exception

    case: dict[str, Any] = {
        "law": law,
        "decision_date": decision.isoformat(),
        "violation": violation,
        "benefit_loss": loss,
        "culpability": culpability,
        "history": _aim_declared(
            draw, t, a, history, "benefits", start=start, end=end, decision=decision, due=due, detected=detected
        ),
        "circumstances": circumstances,
        "finances": finances,
        "procedure": procedure,
    }
    _maybe(draw, case, "case_ref", lambda: _case_ref(draw))
    # Drawn last, so that every field drawn before it keeps its numbers for a seed (added in 2026-12).
    _bool_field(draw, t, "existing_claim", circumstances, "existing_claim")
    # Likewise drawn after every earlier field (added later in 2026-12): a seed's other numbers stay the same.
    _maybe(draw, finances, "monthly_income_above_norm", lambda: _euros(_cents(draw, 150_000)))
    return case


def _case_ref(draw: Draw) -> str:
    return "".join(draw.choice(REF_CHARS) for _ in range(draw.integer(1, 20)))


def _established(draw: Draw, targets: Targets) -> bool:
    aimed = _aimed(draw, targets, "violation_established")
    if aimed is ...:
        return draw.choice((True,) * 9 + (False,))
    return bool(aimed == 1)


def _loss(draw: Draw, t: Targets, a: Aim, *, law: str, fineable: bool, base_known: bool | None) -> dict[str, Any]:
    """``benefit_loss``: at least one of net and gross, gross never below net, aimed at the facts
    ``benefit_loss`` (on the basis the law uses), ``benefit_loss_net`` and ``benefit_loss_gross``."""
    max_cents = 4_000_000 if fineable else 20_000_000
    basis = a.loss_basis.get(law, "netto")
    which = draw.choice(("net", "gross", "both", "both"))
    net_known = which in ("net", "both")
    gross_known = which in ("gross", "both")
    aimed_net, aimed_gross, aimed_base = (
        _known(draw, t, "benefit_loss_net"),
        _known(draw, t, "benefit_loss_gross"),
        _known(draw, t, "benefit_loss"),
    )
    if base_known is not None:
        aimed_base = base_known
    net_known = net_known if aimed_net is None else aimed_net
    gross_known = gross_known if aimed_gross is None else aimed_gross
    if aimed_base is not None:
        if basis == "netto":
            net_known = aimed_base
        else:
            gross_known = aimed_base
    if not net_known and not gross_known:  # the case model needs one of them
        if basis == "netto":
            gross_known = True
        else:
            net_known = True
    base_range, net_range, gross_range = t.get("benefit_loss"), t.get("benefit_loss_net"), t.get("benefit_loss_gross")
    net_aim = (_meet(base_range, net_range) or base_range or net_range) if basis == "netto" else net_range
    gross_aim = (_meet(base_range, gross_range) or base_range or gross_range) if basis == "bruto" else gross_range
    loss: dict[str, Any] = {}
    floor = net_aim.low if net_known and isinstance(net_aim, Range) and net_aim.low is not None else 0
    ceiling = gross_aim.high if gross_known and isinstance(gross_aim, Range) and gross_aim.high is not None else None
    if basis == "bruto" and gross_known:  # the basis first, then the other amount in order with it
        gross = _within(draw, gross_aim, floor, max(floor, max_cents), small=floor == 0)
        loss["gross"] = _euros(gross)
        if net_known:
            net = min(gross, _within(draw, net_aim, 0, gross, small=True))
            loss["net"] = _euros(net)
        return {"net": loss["net"], "gross": loss["gross"]} if net_known else loss
    net = 0
    if net_known:
        net = _within(draw, net_aim, 0, max_cents if ceiling is None else min(max_cents, ceiling), small=True)
        loss["net"] = _euros(net)
    if gross_known:
        low = net if net_known else 0
        if gross_aim is None:
            extra = draw.integer(0, 900_000 if fineable else 5_000_000) if net_known else _cents(draw, max_cents)
            gross = low + extra
        else:
            gross = max(low, _within(draw, gross_aim, low, max(low, max_cents), small=not net_known))
        loss["gross"] = _euros(gross)
    return loss


def _meet(first: Constraint | None, second: Constraint | None) -> Range | None:
    """Two targeted ranges at once (``None`` when either is absent or they do not meet)."""
    if not isinstance(first, Range) or not isinstance(second, Range):
        return None
    lows = [v for v in (first.low, second.low) if v is not None]
    highs = [v for v in (first.high, second.high) if v is not None]
    low = max(lows) if lows else None
    high = min(highs) if highs else None
    if low is not None and high is not None and low > high:
        return None
    return Range(first.unknown and second.unknown, True, low, high, first.excluded | second.excluded)


#: Losses (in cents) whose statutory maximum surely lies above (1) or at most at (0) the Awb 5:53
#: threshold of €340, whatever the recidive and the part before 2013 (at most €1.000 is drawn).
HEARING_LOSS = {1: Range(False, True, 134_001, None), 0: Range(False, True, 0, 22_666)}


def _sanction(draw: Draw, kind: str, imposed: dt.date, decision: dt.date, same: bool) -> dict[str, Any]:
    """An earlier sanction imposed on ``imposed`` that became final on a later day (or the same)."""
    entry: dict[str, Any] = {
        "kind": kind,
        "imposed_on": imposed.isoformat(),
        "final_on": _day(draw, imposed, decision).isoformat(),
        "same_conduct": same,
    }
    if kind == "strafrechtelijke_sanctie":
        entry["unconditional_prison"] = _tri(draw)
    return entry


def _benefit_history(draw: Draw, t: Targets, a: Aim, *, start: dt.date, decision: dt.date) -> list[dict[str, Any]]:
    """Earlier sanctions, aimed at recidive and the warning block (imposed within the look-back, final)."""
    recidive = _aimed(draw, t, "recidive_same_conduct")
    block = _aimed(draw, t, "warning_within_block")
    earliest = max(min(EARLIEST, start), start - dt.timedelta(days=12 * 366))
    if recidive is ... and block is ...:
        history = []
        for _ in range(draw.integer(0, 3)):
            kind = draw.choice(("boete", "waarschuwing", "strafrechtelijke_sanctie"))
            entry = _sanction(draw, kind, _day(draw, earliest, decision), decision, _tri(draw))
            shape = draw.choice(("both", "both", "imposed_only", "final_only"))
            if shape != "both":
                del entry["final_on" if shape == "imposed_only" else "imposed_on"]
            history.append(entry)
        return history
    day_before = start - dt.timedelta(days=1)
    entries: list[dict[str, Any]] = []
    if recidive == 1:
        low = years_before(start, a.recidive_years)
        kind = draw.choice(("boete", "strafrechtelijke_sanctie"))
        entries.append(_sanction(draw, kind, _day(draw, low, day_before), decision, True))
    elif recidive == -1:  # imposed within the look-back, not (known to be) final
        low = years_before(start, a.recidive_years)
        entry = _sanction(draw, "boete", _day(draw, low, day_before), decision, True)
        del entry["final_on"]
        entries.append(entry)
    if block == 1:
        low = years_before(start, a.warning_block_years)
        entries.append(_sanction(draw, "waarschuwing", _day(draw, low, day_before), decision, _tri(draw)))
    elif block == -1:  # final within the block, the day it was given unknown
        low = years_before(start, a.warning_block_years)
        entry = _sanction(draw, "waarschuwing", _day(draw, low, day_before), decision, _tri(draw))
        entry["final_on"] = entry.pop("imposed_on")
        entries.append(entry)
    for _ in range(draw.integer(0, 2)):  # entries that change none of the aimed facts
        kind = draw.choice(("boete", "waarschuwing", "strafrechtelijke_sanctie"))
        if kind == "waarschuwing":
            if block is ...:
                imposed = _day(draw, earliest, decision)
            else:  # before the block's window, or after the violation started
                before = years_before(start, a.warning_block_years) - dt.timedelta(days=1)
                imposed = draw.choice((_day(draw, min(earliest, before), before), _day(draw, start, decision)))
            entries.append(_sanction(draw, kind, imposed, decision, _tri(draw)))
        else:
            same = _tri(draw) if recidive is ... else False
            entries.append(_sanction(draw, kind, _day(draw, earliest, decision), decision, same))
    return entries


def _share(draw: Draw, t: Targets, target: dict[str, Any], keys: Sequence[str]) -> None:
    """The municipality's role: true if any field is true, false if all are false, else unknown."""
    aimed = _aimed(draw, t, "municipality_share")
    if aimed is ...:
        for key in keys:
            _maybe(draw, target, key, lambda: _tri(draw))
        return
    if aimed == 0:
        target.update(dict.fromkeys(keys, False))
        return
    chosen = draw.choice(keys)
    for key in keys:
        if aimed == 1:
            target[key] = True if key == chosen else draw.choice((True, False, None))
        else:  # unknown: none true, at least one unknown
            target[key] = None if key == chosen else draw.choice((False, None))


# --- provider cases ---------------------------------------------------------------------------------


def provider_case(
    draw: Draw,
    *,
    decisions: tuple[dt.date, dt.date] = (FIRST_DECISION, LAST_DECISION),
    targets: Targets | None = None,
    aim: Aim | None = None,
) -> dict[str, Any]:
    """A valid provider case (Wmo 2015 or Jeugdwet) decided in ``decisions``: every violation kind,
    every risk and response fact known or unknown, earlier measures, any contract."""
    t: Targets = targets or {}
    a = aim or Aim()
    low, high = decisions
    aimed_day = t.get("decision_date")
    if isinstance(aimed_day, Range):
        lo = max(low.toordinal(), aimed_day.low) if aimed_day.low is not None else low.toordinal()
        hi = min(high.toordinal(), aimed_day.high) if aimed_day.high is not None else high.toordinal()
        if lo <= hi:
            low, high = dt.date.fromordinal(lo), dt.date.fromordinal(hi)
    decision = _day(draw, low, high)
    law = _aimed(draw, t, "law")
    kind = _aimed(draw, t, "violation_kind")
    established = _aimed(draw, t, "violation_established")
    case: dict[str, Any] = {
        "domain": "providers",
        "law": draw.choice(PROVIDER_LAWS) if law is ... else law,
        "decision_date": decision.isoformat(),
        "provider": {
            "id": f"{''.join(draw.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ') for _ in range(3))}-{draw.integer(0, 999_999)}"
        },
        "violation": {
            "established": draw.choice((True, False, True)) if established is ... else established == 1,
            "kind": draw.choice(PROVIDER_KINDS) if kind is ... else kind,
            "found_on": _found_on(draw, t, decision).isoformat(),
        },
        "risk": {},
        "response": {},
        "continuity": {},
        "contract": {},
        "municipality": {},
    }
    for fact, key in RISK.items():
        _bool_field(draw, t, fact, case["risk"], key)
    structural = _aimed(draw, t, "structural")
    if structural is ...:
        _maybe(draw, case, "pattern", lambda: draw.choice(("incidenteel", "structureel")))
    elif structural == -1:
        _set_unknown(draw, case, "pattern")
    else:
        case["pattern"] = "structureel" if structural == 1 else "incidenteel"
    _bool_field(draw, t, "cooperates", case["response"], "cooperates")
    _bool_field(draw, t, "capacity_to_improve", case["response"], "capacity_to_improve")
    _bool_field(draw, t, "clients_can_move", case["continuity"], "clients_can_move_in_time")
    for fact, key in CONTRACT.items():
        _bool_field(draw, t, fact, case["contract"], key)
    if case["contract"].get("penalty") is not False:
        _maybe(draw, case["contract"], "penalty_max", lambda: _euros(_cents(draw, 10_000_000)))
    _enum_field(draw, t, "culpability", case, "culpability", LEVELS)
    _share(draw, t, case["municipality"], ("unclear_requirements", "signals_not_acted_on"))
    history = _provider_history(draw, t, a, decision=decision)
    found_on = dt.date.fromisoformat(case["violation"]["found_on"])
    case["history"] = _aim_declared(draw, t, a, history, "providers", decision=decision, found_on=found_on)
    return case


def _found_on(draw: Draw, t: Targets, decision: dt.date) -> dt.date:
    """When the violation was found: in the two years up to the decision, or on a targeted day (a
    refusal before a date a rule reads may lie further back), never after the decision."""
    first, last = _first(dt.date(2020, 1, 1), decision, years=2).toordinal(), decision.toordinal()
    aimed = t.get("violation_found_on")
    if isinstance(aimed, Range) and aimed.known and aimed.high is not None and aimed.high < first:
        first = aimed.high - (last - first)  # the target lies before the usual span: the same span, ending there
    day = _within(draw, aimed, first, last)
    return dt.date.fromordinal(min(day, last))


def _provider_history(draw: Draw, t: Targets, a: Aim, *, decision: dt.date) -> list[dict[str, Any]]:
    """Earlier measures, aimed at a measure for the same standard in the look-back, whether it was
    complied with, and whether it was coercive."""
    same = _aimed(draw, t, "earlier_measure_same_standard")
    not_complied = _aimed(draw, t, "earlier_measure_not_complied")
    coercive = _aimed(draw, t, "earlier_coercive_same_standard")

    def entry(kind: str, taken: dt.date, same_standard: bool, complied: bool | None) -> dict[str, Any]:
        return {"kind": kind, "taken_on": taken.isoformat(), "same_standard": same_standard, "complied": complied}

    if same is ... and not_complied is ... and coercive is ...:
        return [
            entry(
                draw.choice(EARLIER_KINDS),
                _day(draw, _first(dt.date(2018, 1, 1), decision, years=6), decision),
                _tri(draw),
                draw.choice((None, True, False)),
            )
            for _ in range(draw.integer(0, 3))
        ]
    since = years_before(decision, a.provider_history_years)
    recent = (since, decision)
    entries: list[dict[str, Any]] = []
    if same != 0 and (same == 1 or not_complied in (1, -1) or coercive == 1):
        count = draw.integer(1, 2)
        for i in range(count):
            kinds: tuple[str, ...] = EARLIER_KINDS
            if coercive == 1 and i == 0:
                kinds = COERCIVE_KINDS
            elif coercive == 0:
                kinds = tuple(k for k in EARLIER_KINDS if k not in COERCIVE_KINDS)
            if not_complied == 1:
                complied: bool | None = False if i == 0 else draw.choice((True, False, None))
            elif not_complied == 0:
                complied = True
            elif not_complied == -1:
                complied = None if i == 0 else draw.choice((True, None))
            else:
                complied = draw.choice((None, True, False))
            entries.append(entry(draw.choice(kinds), _day(draw, *recent), True, complied))
    for _ in range(draw.integer(0, 2)):  # measures for other standards, or older than the look-back
        if draw.choice((True, False)):
            entries.append(
                entry(
                    draw.choice(EARLIER_KINDS),
                    _day(draw, _first(dt.date(2018, 1, 1), decision, years=6), decision),
                    False,
                    draw.choice((None, True, False)),
                )
            )
        else:
            old = since - dt.timedelta(days=1)
            entries.append(
                entry(
                    draw.choice(EARLIER_KINDS),
                    _day(draw, _first(dt.date(2015, 1, 1), old, years=3), old),
                    True,
                    draw.choice((None, True, False)),
                )
            )
    return entries


# --- declared facts ---------------------------------------------------------------------------------


def _aim_declared(
    draw: Draw, t: Targets, a: Aim, history: list[dict[str, Any]], domain: str, **days: dt.date
) -> list[dict[str, Any]]:
    """The history with the entries that match each targeted declared fact set to meet the target:
    ``any`` true (one matching entry), false (none) or unknown (one whose deciding date is unknown);
    ``count`` a number of matching entries. ``days`` are the case's dates by keyword (start, decision,
    due, detected, found_on). Aimed last, a declared fact's target wins over another fact's."""
    from maatwerk.models.case import PriorSanction
    from maatwerk.models.provider import EarlierMeasure

    model: Any = PriorSanction if domain == "benefits" else EarlierMeasure
    named = {
        "violation.period.start": days.get("start"),
        "violation.period.end": days.get("end"),
        "violation.information_due": days.get("due"),
        "violation.detected_on": days.get("detected"),
        "violation.found_on": days.get("found_on"),
        "decision_date": days["decision"],
    }
    decision = days["decision"]
    for fact in a.declared:
        target = t.get(fact.name)
        if target is None or (fact.window is not None and fact.window[2] not in _PATHS):
            continue
        before = named.get(_PATHS[fact.window[2]]) if fact.window is not None else None
        if fact.window is not None and before is None:
            continue
        first, until = declared_window(fact, a.params, before)
        kept = [e for e in history if entry_matches(model.model_validate(e), fact, domain, first, until) is False]
        if isinstance(target, Choice):
            wanted = _TRI[int(draw.choice(sorted(target.values, key=str)))]
            count = 1 if wanted else 0
            unknown = wanted is None
        elif isinstance(target, Range):
            unknown = _known(draw, t, fact.name) is False
            count = 0 if unknown else _within(draw, target, 0, 3)
        else:
            continue
        low = first if first is not None else years_before(min(until, decision), 10)
        high = min(until, decision + dt.timedelta(days=1)) - dt.timedelta(days=1)
        if low > high:
            continue  # no day to place an entry on: left to chance
        added = [_declared_entry(draw, fact, domain, _day(draw, low, high), decision) for _ in range(count)]
        if unknown:
            entry = _declared_entry(draw, fact, domain, _day(draw, low, high), decision, unknown=True)
            if entry is None:
                continue  # this fact cannot be unknown by a date: left to chance
            added.append(entry)
        history = kept + [e for e in added if e is not None]
    return history


#: The case dates a window may end at, by their attribute path (see maatwerk._policy.declared.CASE_DATES).
_PATHS: dict[tuple[str, ...], str] = {
    ("violation", "period", "start"): "violation.period.start",
    ("violation", "period", "end"): "violation.period.end",
    ("violation", "information_due"): "violation.information_due",
    ("violation", "detected_on"): "violation.detected_on",
    ("violation", "found_on"): "violation.found_on",
    ("decision_date",): "decision_date",
}


def _declared_entry(
    draw: Draw, fact: Compiled, domain: str, day: dt.date, decision: dt.date, *, unknown: bool = False
) -> dict[str, Any] | None:
    """A history entry that matches ``fact`` with its window's date on ``day`` (``unknown``: that date
    left out, so only its bounds place it; ``None`` when that cannot make the fact unknown)."""
    flags = dict(fact.flags)
    kinds = sorted(dict(fact.enums).get("kind", HISTORY[domain].enums["kind"]))
    by = fact.window[3] if fact.window is not None else None
    if domain == "providers":
        if unknown:
            return None
        return {
            "kind": draw.choice(kinds),
            "taken_on": day.isoformat(),
            "same_standard": flags.get("same_standard", _tri(draw)),
            "complied": flags.get("complied", draw.choice((None, True, False))),
        }
    if flags.get("unconditional_prison"):
        kinds = [k for k in kinds if k == "strafrechtelijke_sanctie"]
        if not kinds:
            return None
    kind = draw.choice(kinds)
    entry: dict[str, Any] = {"kind": kind, "same_conduct": flags.get("same_conduct", False)}
    if kind == "strafrechtelijke_sanctie":
        entry["unconditional_prison"] = flags.get("unconditional_prison", False)
    if "without_loss" in flags:
        entry["without_loss"] = flags["without_loss"]
    if by == "final_on":
        entry["final_on"] = day.isoformat()
        if not unknown:
            entry["imposed_on"] = _day(draw, day - dt.timedelta(days=200), day).isoformat()
        elif flags.get("final"):
            return None
        else:
            entry["imposed_on"] = _day(draw, day - dt.timedelta(days=200), day).isoformat()
            del entry["final_on"]
    else:
        entry["imposed_on"] = day.isoformat()
        entry["final_on"] = _day(draw, day, decision).isoformat()
        if unknown:
            if by is None:
                return None
            entry["final_on"] = entry.pop("imposed_on")
    return entry
