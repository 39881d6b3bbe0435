# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Ready-made invariants a policy team calls in its own tests, typically inside a Hypothesis test:

.. code-block:: python

    from hypothesis import given
    from maatwerk import Engine
    from maatwerk.testing import from_policy, invariants

    ENGINE = Engine("policies")

    @given(from_policy("lansingerland-benefits", policies="policies"))
    def test_every_invariant_holds(case):
        invariants.check_all(ENGINE, case)

Each invariant takes an :class:`~maatwerk.Engine` and a case (a dict, JSON text or a case model),
advises on the case and on variants of it, and raises :class:`InvariantError` (an
``AssertionError``, so pytest shows it as a failed assertion) with a message that names the
invariant, the values compared and the case's reference. It returns nothing when the invariant
holds. The legal figures an invariant checks against come from the national pack, never from the
municipal pack under test. This module does not need Hypothesis.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from maatwerk._api import Engine
from maatwerk._domains.benefits import RANK
from maatwerk._domains.facts import years_before
from maatwerk._intake.case import Case, CaseInput, parse_case
from maatwerk._policy.stack import Stack
from maatwerk.models.advice import Advice
from maatwerk.models.case import FINE_LEVELS, LOSS_BASIS_PARAMETER, BenefitCase
from maatwerk.models.provider import ProviderCase

__all__ = [
    "CULPABILITY_ORDER",
    "RISK_FACTS",
    "InvariantError",
    "check_all",
    "evaluators_agree",
    "milder_law_wins",
    "monotonic_in_amount",
    "monotonic_in_culpability",
    "monotonic_in_severity",
    "more_facts_never_less_decisive",
    "unread_fields_change_nothing",
    "warning_only_where_lawful",
    "within_legal_bounds",
]

#: Culpability levels from least to most culpable (Boetebesluit art. 2).
CULPABILITY_ORDER = tuple(reversed(FINE_LEVELS))

#: The severity facts of a provider case, each as (path, lighter value, heavier value).
RISK_FACTS: tuple[tuple[tuple[str, ...], object, object], ...] = (
    (("risk", "harm_occurred"), False, True),
    (("risk", "vulnerable_clients"), False, True),
    (("risk", "ongoing_danger"), False, True),
    (("pattern",), "incidenteel", "structureel"),
    (("response", "cooperates"), True, False),
    (("response", "capacity_to_improve"), True, False),
)

#: Case fields that reach the advice only through one input fact (``None``: through no fact at
#: all), with the values to try. Changing such a field can matter only if a rule reads its fact.
BENEFIT_FIELDS: dict[tuple[str, ...], tuple[str | None, tuple[Any, ...]]] = {
    ("case_ref",): (None, ("ref-a", "ref-b", None)),
    ("violation", "kind"): (
        "violation_kind",
        ("inkomsten_of_werk", "samenwoning", "vermogen", "verblijf_buitenland", "overig"),
    ),
    **{
        ("culpability", "indicators", key): (fact, (True, False, None))
        for fact, key in (
            ("ind_admission", "admission"),
            ("ind_concealed_work_or_income", "concealed_work_or_income"),
            ("ind_concealed_household_or_assets", "concealed_household_or_assets"),
            ("ind_repeated_failure_to_inform", "repeated_failure_to_inform"),
            ("ind_combination_gross_negligence", "combination_pointing_to_gross_negligence"),
        )
    },
    **{
        ("circumstances", key): (fact, (True, False, None))
        for fact, key in (
            ("life_events", "disrupting_life_events"),
            ("mental_state", "mental_state_reduces_attribution"),
            ("combination_of_circumstances", "combination_of_circumstances"),
            ("debts", "debts"),
            ("debt_arrangement", "debt_arrangement"),
            ("existing_claim", "existing_claim"),
            ("dependent_children", "dependent_children"),
            ("health_problems", "health_problems"),
            ("cooperated", "cooperated"),
        )
    },
    ("procedure", "reasonable_term_exceeded"): ("reasonable_term_exceeded", (True, False, None)),
}
PROVIDER_FIELDS: dict[tuple[str, ...], tuple[str | None, tuple[Any, ...]]] = {
    ("case_ref",): (None, ("ref-a", "ref-b", None)),
    ("provider", "id"): (None, ("AAA-1", "ZZZ-999999")),
    ("continuity", "clients_affected"): (None, (0, 12, None)),
    ("risk", "harm_occurred"): ("harm_occurred", (True, False, None)),
    ("risk", "vulnerable_clients"): ("vulnerable_clients", (True, False, None)),
    ("response", "cooperates"): ("cooperates", (True, False, None)),
    ("response", "capacity_to_improve"): ("capacity_to_improve", (True, False, None)),
}


class InvariantError(AssertionError):
    """An invariant does not hold for a case; the message says which, and what was compared."""

    def __init__(self, invariant: str, message: str, case: Case) -> None:
        self.invariant = invariant
        self.case = case
        ref = f" (case_ref {case.case_ref})" if case.case_ref else ""
        super().__init__(f"{invariant}: {message}{ref}")


# --- helpers ----------------------------------------------------------------------------------------


def _data(case: Case) -> dict[str, Any]:
    """The case as JSON data, to make variants of it."""
    data: dict[str, Any] = json.loads(case.model_dump_json(exclude_none=True))
    return data


def _with(data: Mapping[str, Any], path: Sequence[str], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(dict(data))
    target = out
    for key in path[:-1]:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return out


def _weight(advice: Advice) -> tuple[int, Decimal]:
    """How heavy a benefit advice is: the kind of measure (RANK, mildest first), then the amount."""
    return RANK[advice.measure.kind], advice.measure.amount or Decimal(0)


def _show(advice: Advice) -> str:
    amount = advice.measure.amount
    return advice.measure.kind + ("" if amount is None else f" €{amount}")


def _benefit(case: CaseInput, name: str) -> BenefitCase:
    parsed = parse_case(case)
    if not isinstance(parsed, BenefitCase):
        raise ValueError(f"{name} applies to benefit cases, not to a {parsed.domain} case")
    return parsed


def _provider(case: CaseInput, name: str) -> ProviderCase:
    parsed = parse_case(case)
    if not isinstance(parsed, ProviderCase):
        raise ValueError(f"{name} applies to provider cases, not to a {parsed.domain} case")
    return parsed


def _rung(engine: Engine, advice: Advice) -> int:
    from maatwerk._domains.providers import rungs

    return rungs(engine._loaded.policies).get(advice.measure.kind, 0)


# --- the invariants ---------------------------------------------------------------------------------


def within_legal_bounds(engine: Engine, case: CaseInput) -> None:
    """The advice stays within the law: an amount is never negative nor above the highest amount of
    its band (the statutory maximum, Pw 18a lid 1, 3 and 5), and never above the ceiling computed
    from the *national* pack's own figures (so a pack under test cannot move the bound it is
    checked against); the advised measure is one the advice
    itself lists as lawful; under law in force a conditional fine is neither advised nor offered as
    lawful (it exists only in a bill)."""
    parsed = parse_case(case)
    advice = engine.advise(parsed)
    name = "within_legal_bounds"
    amount = advice.measure.amount
    highest = advice.measure.band.highest_amount
    if amount is not None and amount < 0:
        raise InvariantError(name, f"the amount {amount} is negative", parsed)
    if amount is not None and highest is not None and amount > highest:
        raise InvariantError(name, f"{_show(advice)} is above the band's highest amount €{highest}", parsed)
    if amount is not None and isinstance(parsed, BenefitCase):
        ceiling = _national_ceiling(engine, parsed)
        if ceiling is not None and amount > ceiling:
            raise InvariantError(
                name, f"{_show(advice)} is above what national law allows for this case (€{ceiling})", parsed
            )
    chosen = [a for a in advice.alternatives if a.measure == advice.measure.kind]
    if chosen and not chosen[0].lawful:
        raise InvariantError(name, f"{advice.measure.kind} is advised but listed as not lawful", parsed)
    if all(p.in_force for p in advice.packs):
        offered = [a for a in advice.alternatives if a.measure == "voorwaardelijke_boete" and a.lawful]
        if advice.measure.kind == "voorwaardelijke_boete" or offered:
            raise InvariantError(name, "a conditional fine under law in force", parsed)


def _national_ceiling(engine: Engine, parsed: BenefitCase) -> Decimal | None:
    """The highest fine national law allows for the case, from the *national* pack's figures alone
    (Pw 18a lid 1, 3, 5; IOAW/IOAZ 20a): 150% of the larger loss amount and the category for the
    level (5 with intent, 3 without, 2 without any loss), on the day the conduct began. ``None``
    when the national pack does not give the figures on that day."""
    start, decision = parsed.violation.period.start, parsed.decision_date
    ceilings = []
    for stack in _stacks(engine, parsed):
        level = parsed.culpability.confirmed
        losses = [x for x in (parsed.benefit_loss.net, parsed.benefit_loss.gross) if x is not None]
        if not losses:
            return None
        factor = _national(stack, "recidive_factor", start, decision, start)
        if factor is None:
            return None
        # Either amount may be the law's basis (Pw net, IOAW/IOAZ gross): the ceiling is the higher of
        # the two readings. A loss of 0 on one basis has the no-loss category (2), which can lie above
        # 150% of a few cents on the other.
        for loss in losses:
            category = 2 if loss == 0 else 5 if level is None or level == "opzet" else 3
            amount = _national(stack, f"geldboete_categorie_{category}", start, decision, start)
            if amount is None:
                return None
            cap = Decimal(str(amount)) if loss == 0 else min(loss * Decimal(str(factor)), Decimal(str(amount)))
            ceilings.append(cap)
    return max(ceilings) if ceilings else None


def monotonic_in_culpability(engine: Engine, case: CaseInput) -> None:
    """More culpability never lowers the fine: among the levels (verminderd < normaal < grove schuld
    < opzet) at which the same case gets a fine, a more culpable level never gets a lower one."""
    parsed = _benefit(case, "monotonic_in_culpability")
    data = _data(parsed)
    fines: list[tuple[str, Decimal]] = []
    for level in CULPABILITY_ORDER:
        advice = engine.advise(_with(data, ("culpability", "confirmed"), level))
        if advice.measure.kind == "boete" and advice.measure.amount is not None:
            fines.append((level, advice.measure.amount))
    for (low_level, low), (high_level, high) in itertools.pairwise(fines):
        if high < low:
            raise InvariantError(
                "monotonic_in_culpability", f"{high_level} gives €{high}, less than {low_level} with €{low}", parsed
            )


def monotonic_in_amount(engine: Engine, case: CaseInput, *, more: Decimal | str = "100.00") -> None:
    """A higher loss never gives a milder advice: with ``more`` euros added to the net and gross
    benadelingsbedrag, the measure is at least as heavy (no fine < warning < fine < decision needed <
    referral) and, for the same measure, the amount at least as high. Checked for a loss above zero
    only: without any loss the law fixes its own starting point (€150, Boetebesluit art. 2 lid 11), with
    its own maximum and so its own limitation term. A loss that lies wholly before 2013 leaves nothing
    to fine after it, so it is not checked either."""
    parsed = _benefit(case, "monotonic_in_amount")
    extra = Decimal(str(more))
    if extra <= 0:
        raise ValueError(f"more must be a positive amount of euros, not {more!r}")
    loss = parsed.benefit_loss
    if any(v is not None and v == 0 for v in (loss.net, loss.gross)):
        return
    if loss.before_2013 is not None and any(v is not None and v <= loss.before_2013 for v in (loss.net, loss.gross)):
        return
    data = _data(parsed)
    for key in ("net", "gross"):
        value = getattr(loss, key)
        if value is not None:
            data = _with(data, ("benefit_loss", key), str(value + extra))
    before, after = engine.advise(parsed), engine.advise(data)
    if _weight(after) < _weight(before):
        raise InvariantError(
            "monotonic_in_amount",
            f"€{extra} more loss turns {_show(before)} into the milder {_show(after)}",
            parsed,
        )


def monotonic_in_severity(engine: Engine, case: CaseInput) -> None:
    """More risk never gives a lighter measure on the provider ladder: harm, vulnerable clients,
    danger now, a structural shortcoming, no cooperation and no capacity to improve each give, all
    else equal, at least the rung of the lighter value."""
    parsed = _provider(case, "monotonic_in_severity")
    data = _data(parsed)
    for path, lighter, heavier in RISK_FACTS:
        light = engine.advise(_with(data, path, lighter))
        heavy = engine.advise(_with(data, path, heavier))
        if _rung(engine, heavy) < _rung(engine, light):
            raise InvariantError(
                "monotonic_in_severity",
                f"{'.'.join(path)} = {heavier!r} gives {heavy.measure.kind}, lighter than {light.measure.kind} "
                f"for {lighter!r}",
                parsed,
            )


def _stacks(engine: Engine, parsed: Case) -> list[Stack]:
    selection = engine._select(parsed)
    return [selection.decision] if not selection.changed else [selection.decision, selection.conduct]


def _comparable(advice: Advice) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(advice.model_dump_json())
    data.pop("receipt", None)
    data.pop("case_ref", None)
    return data


def unread_fields_change_nothing(engine: Engine, case: CaseInput) -> None:
    """A case field that reaches the advice only through a fact no rule of the selected packs reads
    (or through no fact at all, like ``case_ref``) never changes the advice: every value tried gives
    the same advice, apart from the receipt and the echoed ``case_ref``."""
    parsed = parse_case(case)
    read = {name for stack in _stacks(engine, parsed) for rule in stack.rules for name in rule.reads}
    candidates = PROVIDER_FIELDS if isinstance(parsed, ProviderCase) else BENEFIT_FIELDS
    data = _data(parsed)
    expected = _comparable(engine.advise(parsed))
    for path, (fact, values) in candidates.items():
        if fact is not None and fact in read:
            continue
        for value in values:
            actual = _comparable(engine.advise(_with(data, path, value)))
            if actual != expected:
                changed = sorted(k for k in expected if expected[k] != actual.get(k))
                raise InvariantError(
                    "unread_fields_change_nothing",
                    f"{'.'.join(path)} = {value!r} changes {', '.join(changed)}, though no rule reads "
                    + (f"fact {fact}" if fact else "it"),
                    parsed,
                )


def milder_law_wins(engine: Engine, case: CaseInput) -> None:
    """Lex mitior (Sr art. 1 lid 2 by analogy): when the rules changed between the conduct and the
    decision, the advice is the milder of the advices under the two versions (first by the kind of
    measure, then by the amount) and says so in its first step. A case without such a change passes."""
    parsed = _benefit(case, "milder_law_wins")
    selection = engine._select(parsed)
    if not selection.changed:
        return
    advice = engine.advise(parsed)
    under = {
        "conduct": engine._one(parsed, selection.conduct, selection, ()),
        "decision": engine._one(parsed, selection.decision, selection, ()),
    }
    milder = min(_weight(a) for a in under.values())
    if _weight(advice) != milder:
        shown = ", ".join(f"{k}: {_show(a)}" for k, a in under.items())
        raise InvariantError("milder_law_wins", f"advised {_show(advice)}, not the milder of {shown}", parsed)
    notes = [s.rule_id for s in advice.steps if s.stage == "selectie"]
    if "lex_mitior" not in notes:
        raise InvariantError("milder_law_wins", "the advice does not say that the milder rule was applied", parsed)


def _national(stack: Stack, name: str, conduct: dt.date, decision: dt.date, started: dt.date | None = None) -> Any:
    """A parameter's value as the *national* pack of the stack sets it (the law, not local policy)."""
    param = stack.packs[0].file.parameters.get(name)
    if param is None:
        return None
    day = {"conduct": conduct, "decision": decision, "conduct_start": started or conduct}[param.date_basis]
    chosen = None
    for dated in param.values:
        if dated.from_ <= day:
            chosen = dated.value
    return chosen


def _warning_lawful(parsed: BenefitCase, stack: Stack) -> bool:
    """Pw 18a lid 4 and Boetebesluit art. 2aa with the national pack's figures, computed from the case."""
    v = parsed.violation
    conduct, decision = max(v.period.start, stack.packs[0].valid_from), parsed.decision_date

    def number(name: str) -> Decimal | None:
        value = _national(stack, name, conduct, decision)
        return None if value is None else Decimal(str(value))

    limit, days, block = (
        number("waarschuwing_max_benadeling"),
        number("waarschuwing_zelfmelding_dagen"),
        number("waarschuwing_blokkade_jaren"),
    )
    basis = _national(
        stack,
        LOSS_BASIS_PARAMETER[parsed.law],
        conduct,
        decision,
    )
    losses = [parsed.benefit_loss.net, parsed.benefit_loss.gross]
    if basis == "netto":
        losses = [parsed.benefit_loss.net]
    elif basis == "bruto":
        losses = [parsed.benefit_loss.gross]
    small = limit is not None and any(x is not None and x <= limit for x in losses)
    corrected = (
        days is not None
        and v.detection == "zelfmelding_voor_ontdekking"
        and v.self_reported_on is not None
        and (v.self_reported_on - v.information_due).days <= days
    )
    blocked = block is not None and any(
        h.kind == "waarschuwing"
        and h.imposed_on is not None
        and years_before(v.period.start, int(block)) <= h.imposed_on < v.period.start
        for h in parsed.history
    )
    return (small or corrected) and not blocked


def warning_only_where_lawful(engine: Engine, case: CaseInput) -> None:
    """A written warning instead of a fine only where the law allows one (Pw 18a lid 4, Boetebesluit
    art. 2aa): a loss of at most the statutory limit (€150) or a self-correction before detection
    within the statutory term (60 days), and no warning given in the blocking period (2 years) before
    the violation started (a warning whose day is unknown is asked for, not assumed). The figures are the national pack's, so a municipal pack cannot widen them."""
    parsed = _benefit(case, "warning_only_where_lawful")
    advice = engine.advise(parsed)
    if advice.measure.kind != "waarschuwing":
        return
    if not any(_warning_lawful(parsed, stack) for stack in _stacks(engine, parsed)):
        raise InvariantError("warning_only_where_lawful", "a warning is advised where the law allows none", parsed)


def _finances_complete(parsed: BenefitCase) -> bool:
    """Whether the ability-to-pay facts are given in full: no financial data, or data with the
    income level and the amount the cap needs."""
    f = parsed.finances
    if f.financial_data_supplied is not True:
        return f.financial_data_supplied is False
    if f.bijstand_level_income is True:
        return (f.household_monthly_norm if f.joint_household else f.monthly_norm) is not None
    return f.bijstand_level_income is False and f.monthly_payment_capacity is not None


def more_facts_never_less_decisive(engine: Engine, case: CaseInput) -> None:
    """Supplying facts never turns a decided advice into "beslissing nodig": the advice on the case
    with its ability-to-pay facts (given in full) or its part of the loss before 2013 left unknown is
    decided only if the advice on the case itself is decided too. A lawful, preferred warning needs no
    fine amount, so it never waits for those facts. An advice that waits for an open term of the policy
    (a parameter the packs leave without a value, such as a municipality's payment term at reduced
    culpability) waits for the policy, not for the facts, so it is not held against them."""
    parsed = _benefit(case, "more_facts_never_less_decisive")
    advice = engine.advise(parsed)
    if advice.measure.kind != "beslissing_nodig":
        return
    open_terms = {
        name for stack in _stacks(engine, parsed) for name, (_, param) in stack.parameters.items() if not param.values
    }
    if any(m.fact in open_terms for m in advice.missing_facts):
        return
    data = _data(parsed)
    fewer: list[tuple[str, dict[str, Any]]] = []
    if _finances_complete(parsed) and parsed.finances.financial_data_supplied is not None:
        fewer.append(("the ability-to-pay facts", _with(data, ("finances",), None)))
    if parsed.benefit_loss.before_2013 is not None:
        fewer.append(("the part before 2013", _with(data, ("benefit_loss", "before_2013"), None)))
    for what, variant in fewer:
        other = engine.advise(variant)
        if other.measure.kind != "beslissing_nodig":
            raise InvariantError(
                "more_facts_never_less_decisive",
                f"without {what} the advice is {_show(other)}; with them a decision is still needed",
                parsed,
            )


BENEFIT_INVARIANTS: tuple[Callable[[Engine, CaseInput], None], ...] = (
    within_legal_bounds,
    monotonic_in_culpability,
    monotonic_in_amount,
    unread_fields_change_nothing,
    milder_law_wins,
    warning_only_where_lawful,
    more_facts_never_less_decisive,
)
PROVIDER_INVARIANTS: tuple[Callable[[Engine, CaseInput], None], ...] = (
    within_legal_bounds,
    monotonic_in_severity,
    unread_fields_change_nothing,
)


def _decision(engine: Engine, case: Case) -> tuple[tuple[str, ...], str]:
    """The rules a case fires and its advice without ``engine`` (the one field that names the
    evaluator); a refusal as its error type, message and located problems."""
    from maatwerk.errors import MaatwerkError

    try:
        fired = engine.trace(case)
        advice = engine.advise(case)
    except MaatwerkError as err:
        problems = [(p.where, p.code, p.message) for p in err.problems]
        return (), f"{type(err).__name__}: {err.message} {problems}"
    return fired, advice.model_copy(update={"engine": ""}).model_dump_json()


def evaluators_agree(engine: Engine, case: CaseInput, other: Engine) -> None:
    """Evaluator equivalence: ``engine`` and ``other`` (the same packs, another evaluator: say
    durable-rules and the compiled evaluator) fire the same rules in the same order and give
    byte-identical advice, receipt included, or refuse the case with the same error. Only the
    advice's ``engine``, which names the evaluator, may differ."""
    parsed = parse_case(case)
    ours, theirs = _decision(engine, parsed), _decision(other, parsed)
    refused = [d[1] for d in (ours, theirs) if not d[0] and not d[1].startswith("{")]
    if ours != theirs and refused:
        raise InvariantError(
            "evaluators_agree",
            f"{engine.evaluator} gives {ours[1][:300]}; {other.evaluator} gives {theirs[1][:300]}",
            parsed,
        )
    if ours[0] != theirs[0]:
        raise InvariantError(
            "evaluators_agree",
            f"{engine.evaluator} fires {list(ours[0])}, {other.evaluator} fires {list(theirs[0])}",
            parsed,
        )
    if ours[1] != theirs[1]:
        raise InvariantError(
            "evaluators_agree",
            f"{engine.evaluator} and {other.evaluator} give different advices: {ours[1][:300]} != {theirs[1][:300]}",
            parsed,
        )


def check_all(engine: Engine, case: CaseInput) -> None:
    """Every invariant that applies to the case's domain, in turn; the first violation is raised."""
    parsed = parse_case(case)
    for invariant in PROVIDER_INVARIANTS if isinstance(parsed, ProviderCase) else BENEFIT_INVARIANTS:
        invariant(engine, parsed)
