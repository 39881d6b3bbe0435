# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""maatwerk.testing: the strategies policy teams generate cases with, and the invariants they check.

Strategies: every case they draw is valid and free of protected characteristics; options are
keyword-only and a bad argument fails at once with Hypothesis' InvalidArgument; ``from_policy``
reaches every rule of a pack that a case can reach. Invariants: each holds on the bundled packs
(property tests in test_properties.py and test_providers.py) and each *fails*, with a message that
says why, on a pack or an engine that breaks it.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, POLICIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from maatwerk import Advice, Engine, parse_case
from maatwerk._intake.case import PROTECTED_KEYS
from maatwerk._policy.stack import PolicySet
from maatwerk._tools.generate import RandomDraw, benefit_case, provider_case
from maatwerk.testing import cases, from_policy, invariants, provider_cases, unreachable_rules
from maatwerk.testing._strategies import plan_for
from maatwerk.testing.invariants import InvariantError

BUNDLED_PACKS = ("lansingerland-benefits", "lansingerland-wmo2015", "lansingerland-jeugdwet")


def keys(data: Any) -> set[str]:
    """Every mapping key at any depth."""
    if isinstance(data, dict):
        return {str(k) for k in data} | {k for v in data.values() for k in keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in keys(v)}
    return set()


# --- optional Hypothesis ------------------------------------------------------------------------------


def python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def test_import_maatwerk_does_not_import_hypothesis() -> None:
    """Hypothesis stays optional: the library, the testing package, its invariants and the pytest plugin
    import without it; only the strategies need it."""
    code = (
        "import sys, maatwerk, maatwerk.cli, maatwerk.testing, maatwerk.testing.pytest_plugin, "
        "maatwerk.testing.invariants; print('hypothesis' in sys.modules)"
    )
    assert "False" == python(code)
    assert "True" == python("import sys, maatwerk.testing as t; t.cases; print('hypothesis' in sys.modules)")


def test_without_hypothesis_the_strategies_say_what_to_install(tmp_path: Path) -> None:
    """With Hypothesis hidden, asking for a strategy raises ImportError naming the `testing` extra."""
    blocker = tmp_path / "hypothesis.py"
    blocker.write_text("raise ModuleNotFoundError(\"No module named 'hypothesis'\", name='hypothesis')\n")
    code = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        "import maatwerk.testing as t\n"
        "try:\n    t.cases\nexcept ImportError as err:\n    print(err)\n"
    )
    assert "maatwerk.testing.cases needs Hypothesis: pip install 'maatwerk[testing]'" == python(code)


# --- strategies: validity -----------------------------------------------------------------------------


@given(case=st.one_of(cases(), cases(fineable=True), provider_cases()))
def test_every_drawn_case_is_valid_and_has_no_protected_characteristic(case: dict[str, Any]) -> None:
    """The strategies draw only cases the case model accepts, and never a protected characteristic."""
    parse_case(case)
    assert set() == {k.lower() for k in keys(case)} & PROTECTED_KEYS


@pytest.mark.parametrize("pack", BUNDLED_PACKS)
def test_from_policy_draws_valid_cases_in_the_packs_window(pack: str) -> None:
    """from_policy's cases are valid, free of protected characteristics, and decided within the window."""
    window = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))

    @settings(max_examples=60, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=from_policy(pack, decided_between=window))
    def check(case: dict[str, Any]) -> None:
        assert window[0] <= parse_case(case).decision_date <= window[1]
        assert set() == {k.lower() for k in keys(case)} & PROTECTED_KEYS

    check()


@given(case=cases(decided_between=(dt.date(2025, 3, 1), dt.date(2025, 3, 31))))
def test_cases_are_decided_in_the_given_window(case: dict[str, Any]) -> None:
    """``decided_between`` bounds the decision date, both days included."""
    assert dt.date(2025, 3, 1) <= dt.date.fromisoformat(case["decision_date"]) <= dt.date(2025, 3, 31)


@settings(max_examples=150, database=None)
@given(
    first=st.dates(dt.date(1930, 1, 1), dt.date(2999, 12, 31)),
    days=st.integers(0, 4000),
    seed=st.integers(0, 2**32),
)
def test_generated_cases_are_valid_for_any_decision_window_the_generators_take(
    first: dt.date, days: int, seed: int
) -> None:
    """Invariant: for any window of decision dates from 1930 to 2999, every generated benefit and
    provider case parses, and is decided in the window. (Before, conduct and earlier measures drawn
    from fixed years lay after the decision in windows before 2010 or 2020: every case of such a
    population was refused, or the generator crashed.)"""
    last = min(first + dt.timedelta(days=days), dt.date(2999, 12, 31))
    source = RandomDraw(random.Random(seed))
    for case in [benefit_case(source, decisions=(first, last)) for _ in range(5)] + [
        provider_case(source, decisions=(first, last)) for _ in range(5)
    ]:
        assert first <= parse_case(case).decision_date <= last


@pytest.mark.parametrize("strategy", [cases, provider_cases])
def test_a_window_outside_the_generated_decision_dates_is_refused(strategy: Any) -> None:
    """Cases are generated with decisions from 1930-01-01 to 2999-12-31: an earlier window is an
    InvalidArgument that names both, not a population of invalid cases."""
    with pytest.raises(InvalidArgument, match="generated cases are decided from 1930-01-01 to 2999-12-31"):
        strategy(decided_between=(dt.date(1900, 1, 1), dt.date(1901, 1, 1))).example()


def test_the_seeded_recipe_is_reproducible() -> None:
    """The recipe behind the strategies, drawn from a seeded Random, gives the same cases for a seed."""

    def draw(seed: int) -> list[dict[str, Any]]:
        source = RandomDraw(random.Random(seed))
        return [benefit_case(source) for _ in range(20)] + [provider_case(source) for _ in range(20)]

    assert draw(4) == draw(4)
    assert draw(4) != draw(5)


@given(
    seed=st.integers(0, 2**64),
    draws=st.lists(
        st.one_of(
            st.tuples(st.just("integer"), st.integers(-(2**40), 2**40), st.integers(0, 2**40)),
            st.tuples(st.just("choice"), st.integers(1, 300), st.just(0)),
        ),
        max_size=60,
    ),
)
def test_random_draw_draws_what_random_draws(seed: int, draws: list[tuple[str, int, int]]) -> None:
    """Invariant: a RandomDraw on a seeded Random gives, draw for draw, the numbers that Random's own
    ``randint(low, high)`` and ``randrange(len(options))`` give with the same seed, so a seed
    generates the same population whichever way the draws are made (also after an empty range)."""
    fast, own = RandomDraw(random.Random(seed)), random.Random(seed)
    for kind, a, b in draws:
        if kind == "integer":
            low, high = a, a + b
            assert own.randint(low, high) == fast.integer(low, high)
        else:
            options = list(range(a))
            assert options[own.randrange(a)] == fast.choice(options)
    with pytest.raises(ValueError, match="empty range"):
        fast.integer(5, 4)
    with pytest.raises(ValueError, match="empty range"):
        fast.choice([])
    assert own.random() == fast.rng.random()


# --- strategies: reaching every rule ------------------------------------------------------------------


@pytest.mark.parametrize("pack", BUNDLED_PACKS)
def test_from_policy_reaches_every_rule_a_case_can_reach(pack: str) -> None:
    """Every rule of the pack's stack, except those no case decided in the window can make fire, is
    one ``from_policy`` aims at, and aimed at it alone (``rules=[rule]``), every case it draws makes
    that rule fire."""
    engine = Engine(municipality="lansingerland", evaluator="reference")
    plan = plan_for(pack)
    stack = engine.policies.select(plan.domain, "lansingerland", plan.window[0], plan.window[0], plan.law).decision
    assert {r.id for r in stack.rules} - set(unreachable_rules(pack)) == set(plan.targets)
    missed: dict[str, int] = {}

    def aim(rule: str) -> None:
        @settings(max_examples=12, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
        @given(case=from_policy(pack, rules=[rule]))
        def fires(case: dict[str, Any]) -> None:
            if rule not in engine.trace(case):
                missed[rule] = missed.get(rule, 0) + 1

        fires()

    for rule in sorted(plan.targets):
        aim(rule)
    assert {} == missed


def test_unreachable_rules_names_what_only_a_bill_or_an_earlier_date_reaches() -> None:
    """Lansingerland's conditional-fine rule waits for a bill. The Wmo rules on refusing supervision
    read the day of the refusal, which lies on or before the decision: a refusal before 1-7-2021 can
    still be decided from 2024, but a refusal from 1-7-2021 cannot be decided before that day."""
    assert ("lansingerland_voorkeur_voorwaardelijke_boete",) == unreachable_rules("lansingerland-benefits")
    assert () == unreachable_rules("lansingerland-wmo2015")
    assert () == unreachable_rules("nl-wmo2015", decided_between=(dt.date(2019, 1, 1), dt.date(2023, 12, 31)))
    assert {"toezicht_geweigerd", "basis_dwangsom_medewerking"} <= set(
        unreachable_rules("nl-wmo2015", decided_between=(dt.date(2019, 1, 1), dt.date(2021, 6, 30)))
    )


def test_from_policy_takes_the_path_of_a_pack_file() -> None:
    """A pack version's file names the pack; its policy folder is the one it lies in."""
    path = POLICIES / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    assert unreachable_rules(path) == unreachable_rules("lansingerland-benefits")


# --- strategies: bad arguments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: cases(fineable="yes"),  # type: ignore[arg-type]
            "fineable must be True or False",
        ),
        (lambda: cases(decided_between=(dt.date(2025, 2, 1), dt.date(2025, 1, 1))), "lies after the last day"),
        (
            lambda: cases(decided_between=dt.date(2025, 1, 1)),  # type: ignore[arg-type]
            "must be a pair of datetime.date",
        ),
        (
            lambda: provider_cases(decided_between=(dt.datetime(2025, 1, 1), dt.datetime(2025, 2, 1))),
            "must be a pair of datetime.date",
        ),
        (lambda: from_policy("lansingerland-bijstand"), "no pack 'lansingerland-bijstand'"),
        (lambda: from_policy(12), "pack must be a pack id or the path of a pack file"),  # type: ignore[arg-type]
        (lambda: from_policy("x.yaml"), "is not a pack version in force"),
        (lambda: from_policy("nl-benefits", policies="/no/such/folder"), "is not a folder"),
        (
            lambda: from_policy("lansingerland-benefits", decided_between=(dt.date(2023, 1, 1), dt.date(2023, 2, 1))),
            "applies from 2024-01-01",
        ),
        (lambda: from_policy("nl-benefits", municipality=3), "municipality must be a name"),  # type: ignore[arg-type]
        (
            lambda: from_policy("lansingerland-benefits", rules=["gate_overlden"]),
            "no rule 'gate_overlden' in the stack",
        ),
        (
            lambda: from_policy("lansingerland-benefits", rules=["lansingerland_voorkeur_voorwaardelijke_boete"]),
            "can fire on no case decided in 2024-01-01 .. 2026-11-01",
        ),
        (lambda: from_policy("lansingerland-benefits", rules="recidive"), "rules must be a collection of rule ids"),
    ],
)
def test_bad_arguments_fail_at_once_with_invalid_argument(make: Any, message: str) -> None:
    """Like Hypothesis' own strategies, a bad option raises InvalidArgument saying what is allowed."""
    with pytest.raises(InvalidArgument, match=message):
        make()


def test_unknown_pack_lists_the_known_ones() -> None:
    """The error for an unknown pack id names every pack of the folder."""
    with pytest.raises(InvalidArgument) as info:
        from_policy("lansingerland")
    assert "known: grave-benefits, heerenveen-benefits, lansingerland-benefits, lansingerland-jeugdwet" in str(
        info.value
    )


def test_options_are_keyword_only() -> None:
    """Options cannot be passed by position (so they can be added to without breaking callers)."""
    with pytest.raises(TypeError):
        cases(True)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        from_policy("nl-benefits", POLICIES)  # type: ignore[call-arg]


# --- invariants fail where they must ------------------------------------------------------------------


def example(name: str = "01-inkomsten-normaal.json") -> dict[str, Any]:
    """An example case without financial data, so that the percentages show in the fine (with them,
    the ability-to-pay cap of 12 × 5% of the norm, €840.90, would hide every percentage above it)."""
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    if "finances" in data:
        data["finances"]["financial_data_supplied"] = False
    return data


def edit(policy_copy: Path, pack: str, old: str, new: str) -> None:
    path = next((policy_copy).glob(f"*/{pack}/*.yaml"))
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_invariants_hold_for_the_example_cases(engine: Engine) -> None:
    """check_all runs every invariant of the case's domain; the bundled examples pass them all."""
    for path in sorted(EXAMPLES.glob("*.json")):
        invariants.check_all(engine, path.read_text(encoding="utf-8"))


class _Greedy(Engine):
    """An engine whose band and fine both exceed the law by €10.000 (as a pack that raised a statutory
    figure would, were such a pack not refused on loading)."""

    def advise(self, case: Any) -> Advice:
        advice = super().advise(case)
        m = advice.measure
        band = m.band.model_copy(update={"highest_amount": (m.band.highest_amount or 0) + 10000})
        return advice.model_copy(
            update={"measure": m.model_copy(update={"amount": (m.amount or 0) + 10000, "band": band})}
        )


def test_a_fine_above_the_national_figures_breaks_within_legal_bounds_whatever_its_band() -> None:
    """The ceiling comes from the national pack's own figures (150% of the loss, the category for the
    level), so an advice whose band was raised with it still fails."""
    case = example()
    invariants.within_legal_bounds(Engine(), case)
    with pytest.raises(
        InvariantError, match=r"within_legal_bounds: boete €11240\.00 is above what national law allows"
    ):
        invariants.within_legal_bounds(_Greedy(), case)


class _Lenient(Engine):
    """An engine that advises a warning whatever the loss (as a pack widening the warning would, were
    such a pack not refused on loading: tests/test_delegation.py)."""

    def advise(self, case: Any) -> Advice:
        advice = super().advise(case)
        return advice.model_copy(update={"measure": advice.measure.model_copy(update={"kind": "waarschuwing"})})


def test_a_warning_beyond_the_law_breaks_warning_only_where_lawful() -> None:
    """A warning for a €300 loss without a timely self-correction breaks warning_only_where_lawful
    (the law says €150, Boetebesluit art. 2aa), judged by the national pack's figures."""
    case = example()
    case["benefit_loss"] = {"net": "300.00", "gross": "350.00"}
    invariants.warning_only_where_lawful(Engine(), case)
    with pytest.raises(
        InvariantError, match="warning_only_where_lawful: a warning is advised where the law allows none"
    ):
        invariants.warning_only_where_lawful(_Lenient(), case)


def test_a_lower_percentage_for_gross_negligence_breaks_monotonic_culpability(policy_copy: Path) -> None:
    """40% for grove schuld below 50% for normal culpability: the invariant names both levels and fines."""
    edit(
        policy_copy, "nl-benefits", "values: [{from: 2013-01-01, value: 75}]", "values: [{from: 2013-01-01, value: 40}]"
    )
    with pytest.raises(InvariantError, match=r"grove_schuld gives €992\.00, less than normaal with €1240\.00"):
        invariants.monotonic_in_culpability(Engine(policy_copy), example())


def test_a_warning_for_large_amounts_breaks_monotonic_amount(policy_copy: Path) -> None:
    """A (wrong) rule giving a warning from €2.500 up makes more loss lead to a milder advice."""
    edit(
        policy_copy,
        "nl-benefits",
        "when: {fact: benefit_loss, lte: {param: waarschuwing_max_benadeling}}",
        'when: {fact: benefit_loss, gte: "2500.00"}',
    )
    case = example()
    case["benefit_loss"] = {"net": "2450.00", "gross": "3100.00"}
    with pytest.raises(InvariantError, match=r"monotonic_in_amount: €100.00 more loss turns boete €1225.00 into"):
        invariants.monotonic_in_amount(Engine(policy_copy), case)


def test_an_inverted_ladder_rule_breaks_monotonic_severity(policy_copy: Path) -> None:
    """An improvement plan for incidental rather than structural shortcomings: severity no longer climbs."""
    edit(
        policy_copy,
        "nl-wmo2015",
        "when: {any: [{fact: structural, eq: true}, {fact: harm_occurred, eq: true}]}",
        "when: {fact: structural, eq: false}",
    )
    case = example("05-wmo-structureel-kwetsbaar.json")
    case["risk"] = {"harm_occurred": False, "vulnerable_clients": False, "ongoing_danger": False}
    with pytest.raises(InvariantError, match="monotonic_in_severity: pattern = 'structureel' gives gesprek"):
        invariants.monotonic_in_severity(Engine(policy_copy), case)


class _Leaky(Engine):
    """An engine whose advice depends on a field no rule reads (to show the invariant catches that)."""

    def advise(self, case: Any) -> Advice:
        advice = super().advise(case)
        if parse_case(case).violation.kind == "overig":
            return advice.model_copy(update={"cause_category": "bewust_verzwegen"})
        return advice


def test_a_field_no_rule_reads_must_not_change_the_advice() -> None:
    """The invariant varies ``violation.kind`` (no rule reads it) and reports the field and what changed."""
    with pytest.raises(
        InvariantError,
        match=r"violation\.kind = 'overig' changes cause_category, though no rule reads fact violation_kind",
    ):
        invariants.unread_fields_change_nothing(_Leaky(), example())


class _Hesitant(Engine):
    """An engine that waits for a decision whenever financial data are supplied, as the advice did
    before a warning stopped waiting for fine facts (to show the invariant catches that)."""

    def advise(self, case: Any) -> Advice:
        advice = super().advise(case)
        if parse_case(case).finances.financial_data_supplied:  # type: ignore[union-attr]
            return advice.model_copy(update={"measure": advice.measure.model_copy(update={"kind": "beslissing_nodig"})})
        return advice


def test_supplying_facts_must_not_make_an_advice_undecided() -> None:
    """With its ability-to-pay facts given in full, a case may not need a decision that it does not
    need without them; the engine itself passes, one that hesitates on financial data fails."""
    case = json.loads((EXAMPLES / "01-inkomsten-normaal.json").read_text(encoding="utf-8"))
    invariants.more_facts_never_less_decisive(Engine(), case)
    with pytest.raises(
        InvariantError, match=r"more_facts_never_less_decisive: without the ability-to-pay facts the advice is boete"
    ):
        invariants.more_facts_never_less_decisive(_Hesitant(), case)


class _Harsh(Engine):
    """An engine that ignores lex mitior and always applies the decision-date rules."""

    def _advise(self, case: Any, policies: PolicySet) -> Advice:
        sel = self._select(case, policies)
        return self._one(case, sel.decision, sel, ())


def _two_versions(policy_copy: Path, normal_percentage: int) -> Path:
    national = policy_copy / "benefits" / "nl-benefits"
    text = (national / "2013-01-01.yaml").read_text(encoding="utf-8")
    text = text.replace("valid_from: 2013-01-01\n  covers_earlier_conduct: true", "valid_from: 2026-01-01", 1)
    text = text.replace(
        'description: {nl: "Boete bij normale verwijtbaarheid", en: "Fine for normal culpability"}, values: [{from: 2013-01-01, value: 50}]',
        f'description: {{nl: "Boete bij normale verwijtbaarheid", en: "Fine for normal culpability"}}, values: [{{from: 2013-01-01, value: {normal_percentage}}}]',
    )
    (national / "2026-01-01.yaml").write_text(text, encoding="utf-8")
    return policy_copy


def test_the_milder_law_must_win(policy_copy: Path) -> None:
    """With a harsher rule from 2026, the engine's advice passes; an engine that ignores lex mitior fails."""
    policies = _two_versions(policy_copy, 60)
    invariants.milder_law_wins(Engine(policies), example())
    with pytest.raises(InvariantError, match=r"milder_law_wins: advised boete €1488.00, not the milder"):
        invariants.milder_law_wins(_Harsh(policies), example())


def test_an_invariant_refuses_a_case_of_another_domain(engine: Engine) -> None:
    """A benefit-only invariant given a provider case says so instead of passing vacuously."""
    with pytest.raises(ValueError, match="monotonic_in_culpability applies to benefit cases, not to a providers case"):
        invariants.monotonic_in_culpability(engine, example("05-wmo-structureel-kwetsbaar.json"))
