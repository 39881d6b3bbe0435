# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What the engine computes once and shares between cases gives exactly what computing it anew gives.

Not timed: these tests check that caches are correct, never that they are fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable, Iterable, Mapping

import pytest
from conftest import valid_case

from maatwerk import Engine, PolicySelectionError, parse_case
from maatwerk._advice.memo import legal_basis, principle_texts
from maatwerk._advice.plain import AdviceData
from maatwerk._engine._durable import _definition, _leaves
from maatwerk._policy.conditions import resolve
from maatwerk._policy.stack import ResolvedParam, Stack


def _stacks(engine: Engine) -> list[Stack]:
    national = engine.policies.national("benefits")
    municipal = engine.policies.municipal("benefits", "lansingerland")
    return [engine.policies.stack(n, m) for n in national for m in (None, *municipal)]


def _all_stacks(engines: Iterable[Engine]) -> list[Stack]:
    return [s for e in engines for s in e.policies._stacks.values()]


def _day(rng: random.Random) -> dt.date:
    return dt.date(2008, 1, 1) + dt.timedelta(days=rng.randint(0, 20 * 365))


def _outcome(
    resolve_params: Callable[[dt.date, dt.date], Mapping[str, ResolvedParam]], conduct: dt.date, decision: dt.date
) -> object:
    """The resolved parameters as a plain dict, or the message of the error that refuses the dates."""
    try:
        return dict(resolve_params(conduct, decision))
    except PolicySelectionError as err:
        return str(err)


def _fresh(stack: Stack, conduct: dt.date, decision: dt.date) -> Mapping[str, ResolvedParam]:
    return stack._resolve_params({"conduct": conduct, "decision": decision, "conduct_start": conduct})


def test_resolved_parameters_equal_a_fresh_resolution_on_any_dates(engine: Engine) -> None:
    """For any conduct and decision date, the cached resolution holds the same values as resolving
    every parameter anew, and refuses the same dates."""
    rng = random.Random(1)
    for stack in _stacks(engine):
        for _ in range(400):
            conduct, decision = sorted((_day(rng), _day(rng)))
            fresh = functools.partial(_fresh, stack)
            expected = _outcome(fresh, conduct, decision)
            assert expected == _outcome(stack.resolve_params, conduct, decision)


def test_cases_between_two_change_days_share_one_resolution(engine: Engine) -> None:
    """Two cases whose dates lie between the same parameter changes share one resolved mapping
    (and so its condition key and fine parameters); the condition key equals a fresh one."""
    stack = _stacks(engine)[-1]
    first = stack.resolve_params(dt.date(2025, 2, 1), dt.date(2026, 3, 2))
    second = stack.resolve_params(dt.date(2025, 2, 3), dt.date(2026, 3, 9))
    assert first is second
    assert stack.condition_key(dict(first)) == stack.condition_key(first)


def _data(engine: Engine) -> AdviceData:
    """The advice on the valid case as the builders make it (plain data, before any model)."""
    return engine._advise_data(parse_case(valid_case()), engine.policies)


def test_shared_advice_parts_are_the_same_objects_in_every_advice(engine: Engine) -> None:
    """Citations and principle texts are built once per stack: two advices hold the same objects,
    and their JSON is what fresh objects give."""
    stack = engine._select(parse_case(valid_case())).decision
    first, second = _data(engine), _data(engine)
    assert first["steps"][0]["basis"][0] is second["steps"][0]["basis"][0]
    assert first["principles"]["P1"] is second["principles"]["P1"]
    assert legal_basis(stack, ["pw_18a"]) is legal_basis(stack, ["pw_18a"])
    assert principle_texts(stack) is not principle_texts(stack)  # a fresh dict each time; the texts are shared


def test_fixed_sentences_are_shared_between_advices_and_sentences_with_values_are_not(engine: Engine) -> None:
    """A sentence the builder writes as literals is one object in every advice that says it; a
    sentence with an amount in it is made for its advice."""
    first, second = _data(engine), _data(engine)
    prosecutor = [a["why"] for a in (first["alternatives"][-1], second["alternatives"][-1])]
    assert prosecutor[0] is prosecutor[1]
    assert first["measure"]["kind"] == "boete"
    assert "€" in first["measure"]["summary"]["nl"]
    assert first["measure"]["summary"] == second["measure"]["summary"]
    assert first["measure"]["summary"] is not second["measure"]["summary"]


def test_each_level_sends_the_engine_exactly_the_fields_its_rules_compare(engine: Engine) -> None:
    """The fact asserted on a level carries every field that a condition of that level compares
    (so the engine matches the same rules) and no other field."""
    for stack in _stacks(engine):
        key = stack.condition_key(stack.resolve_params(dt.date(2025, 1, 1), dt.date(2026, 1, 1)))
        _, _, reads = _definition(stack, key)
        expected: list[set[str]] = [set() for _ in range(stack.levels)]
        for rule in stack.rules:
            expected[rule.level] |= _leaves(resolve(rule.condition, dict(key)))
        assert [sorted(e) for e in expected] == [list(r) for r in reads]


@pytest.mark.parametrize("domain", ["benefits", "providers"])
def test_advice_is_the_same_whether_its_steps_and_what_ifs_were_kept_or_computed_anew(domain: str) -> None:
    """The reasoning steps and what-if ladders kept per stack give exactly the advice a fresh engine
    gives, for every bundled scenario advised after all the others (so every kept part is reused)."""
    from maatwerk._api import default_policy_dir
    from maatwerk._bench.cases import scenarios

    found = scenarios(default_policy_dir(), domain)
    warm = {m: Engine(municipality=m) for m in {s.municipality for s in found}}
    for s in found:
        warm[s.municipality].advise(s.case)
    kept = [warm[s.municipality].advise(s.case).model_dump_json() for s in found]
    fresh = [Engine(municipality=s.municipality).advise(s.case).model_dump_json() for s in found]
    assert len(found) >= 30
    assert any(stack.memo.get("steps") for stack in _all_stacks(warm.values()))
    assert fresh == kept


def test_a_bounded_table_is_emptied_when_full_and_computes_again() -> None:
    """``bounded`` keeps at most ``limit`` values per stack and namespace; a value dropped is made again."""
    from maatwerk._advice.memo import bounded

    stack = _stacks(Engine())[0]
    made: list[int] = []

    def make(n: int) -> Callable[[], int]:
        def square() -> int:
            made.append(n)
            return n * n

        return square

    values = [bounded(stack, "test-table", n, make(n), limit=3) for n in (1, 2, 3, 1, 4, 1)]
    assert (values, made) == ([1, 4, 9, 1, 16, 1], [1, 2, 3, 4, 1])
    assert len(stack.memo["test-table"]) <= 3


def test_the_table_of_fixed_sentences_stays_bounded_whatever_is_put_in_it() -> None:
    """``fixed_text`` misused with sentences that vary still keeps at most 1,024 of them, and each
    call gives the sentence it was asked for."""
    from maatwerk._advice.memo import _FIXED_TEXTS, fixed_text

    for n in range(1500):
        text = fixed_text(nl=f"zin {n}", en=f"sentence {n}")
        assert (text["nl"], text["en"]) == (f"zin {n}", f"sentence {n}")
        assert len(_FIXED_TEXTS) <= 1024


def test_a_what_if_gives_the_same_fine_whether_it_shares_the_case_s_fines_or_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A what-if's builder shares the fines its case's builder worked out (the same case, stack and
    parameters), keyed on the level and the rules' flags the fine reads: its answer equals that of a
    builder that shares nothing, also where the changed facts change a flag the fine reads (in the
    bundled packs: supplying financial data switches the ability-to-pay cap on)."""
    from maatwerk._advice.verdict import Probe
    from maatwerk._bench.cases import benefit_cases
    from maatwerk._domains.benefits_builder import Builder
    from maatwerk._policy.facts import PyValue

    seen: list[tuple[Builder, str | None, dict[str, PyValue], Probe]] = []
    real = Builder.probe

    def probe(self: Builder, level: str | None, changed: Mapping[str, PyValue]) -> Probe:
        found = real(self, level, changed)
        seen.append((self, level, dict(changed), found))
        return found

    monkeypatch.setattr(Builder, "probe", probe)
    engine = Engine(evaluator="compiled")
    for data in benefit_cases(600, seed=7):
        try:
            engine.advise(data)
        except PolicySelectionError:
            continue
    monkeypatch.undo()  # the checks below call the real probe
    assert len(seen) >= 300
    differing = 0
    for builder, level, changed, found in seen:
        alone = Builder(builder.case, builder.stack, builder.params, builder.values, builder.trace, builder.rerun)
        assert alone.probe(level, changed) == found
        assert builder.rerun is not None
        other = builder.rerun(changed)
        flags = ("recidive", "ability_to_pay_applies", "undue_delay_reduction")
        differing += any(other.fact[f] != builder.trace.fact[f] for f in flags)
    assert differing >= 10  # the shared table was asked for fines under other flags, too


def test_a_kept_selection_equals_a_fresh_one_and_a_refusal_is_raised_every_time(engine: Engine) -> None:
    """``PolicySet.select`` keeps what it selected for the same domain, municipality, dates and law:
    on any dates it gives the stacks selecting anew gives, refuses the same dates with the same message
    (a refusal is never kept), and its table stays bounded."""
    from maatwerk._policy import stack as stack_module

    policies = engine.policies
    rng = random.Random(3)
    asked = refusals = 0
    for _ in range(600):
        conduct, decision = sorted((_day(rng), _day(rng)))
        for municipality in ("lansingerland", None):
            args = ("benefits", municipality, conduct, decision, None)
            refused: str | None
            try:
                fresh = policies._select(*args)
            except PolicySelectionError as err:
                refused = str(err)
            else:
                refused = None
            if refused is not None:
                for _ in range(2):
                    with pytest.raises(PolicySelectionError) as again:
                        policies.select(*args)
                    assert str(again.value) == refused
                refusals += 1
                continue
            first = policies.select(*args)
            assert policies.select(*args) is first
            assert (first.conduct, first.decision, first.earlier_conduct) == (
                fresh.conduct,
                fresh.decision,
                fresh.earlier_conduct,
            )
            asked += 1
    assert asked >= 300
    assert refusals >= 10
    assert len(policies._selections) <= stack_module.SELECTIONS_KEPT
    before = stack_module.SELECTIONS_KEPT
    try:
        stack_module.SELECTIONS_KEPT = 5
        for day in range(20):
            when = dt.date(2024, 1, 1) + dt.timedelta(days=day)
            policies.select("benefits", "lansingerland", when, when)
            assert len(policies._selections) <= 5
    finally:
        stack_module.SELECTIONS_KEPT = before
