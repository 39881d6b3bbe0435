# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The compiled evaluator: each stack's rules generated into one Python function.

The oracle is evaluator equivalence (:func:`maatwerk.testing.invariants.evaluators_agree`): on every
generated case of both domains the compiled evaluator fires the same rules in the same order as
durable-rules and gives a byte-identical advice (receipt included), or the same refusal. Generated
code is safe: hostile names and values from a pack stay data.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import ast
import json
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, advice_content, benefit_cases, provider_cases, valid_case
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk import Engine, EngineError, parse_case
from maatwerk._advice.verdict import Ladder, climb
from maatwerk._domains.facts import encode_facts, provider_facts
from maatwerk._engine.compiled import (
    CompiledEvaluator,
    Generated,
    GeneratedRule,
    _Fallback,
    first_holding,
    generate,
    holds,
)
from maatwerk._engine.reference import ReferenceEvaluator
from maatwerk._policy.conditions import All, AnyOf, Cond, Leaf, evaluate
from maatwerk._policy.facts import Encoded
from maatwerk._policy.verdict import CompiledLadder
from maatwerk.testing import from_policy, invariants

BENEFIT_CASES = st.one_of(benefit_cases(), benefit_cases(fineable=True), from_policy("lansingerland-benefits"))
PROVIDER_CASES = st.one_of(
    provider_cases(), from_policy("lansingerland-wmo2015"), from_policy("lansingerland-jeugdwet")
)


@pytest.fixture(scope="module")
def compiled_engine() -> Engine:
    return Engine(evaluator="compiled")


# --- evaluator equivalence ------------------------------------------------------------------------


@settings(max_examples=200)
@given(case=BENEFIT_CASES)
def test_compiled_and_durable_agree_on_benefit_cases(engine: Engine, compiled_engine: Engine, case: Any) -> None:
    """Evaluator equivalence on benefit cases: the same rules fire, in the same order, and the advice
    is byte-identical (receipt included); only ``engine`` names the evaluator."""
    invariants.evaluators_agree(compiled_engine, case, engine)


@settings(max_examples=200)
@given(case=PROVIDER_CASES)
def test_compiled_and_durable_agree_on_provider_cases(engine: Engine, compiled_engine: Engine, case: Any) -> None:
    """Evaluator equivalence on Wmo 2015 and Jeugdwet provider cases."""
    invariants.evaluators_agree(compiled_engine, case, engine)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_examples_give_identical_advice_compiled_and_durable(
    engine: Engine, compiled_engine: Engine, name: str
) -> None:
    case = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    assert advice_content(engine.advise(case)) == advice_content(compiled_engine.advise(case))


def test_an_advice_of_the_compiled_evaluator_names_it(compiled_engine: Engine) -> None:
    from maatwerk import __version__

    assert f"maatwerk {__version__}; compiled evaluator" == compiled_engine.advise(valid_case()).engine
    assert "compiled" == compiled_engine.evaluator


def test_the_invariant_reports_a_difference(engine: Engine) -> None:
    """The invariant can fail: engines on different packs (national only, and with Lansingerland's
    policy) fire different rules on a case Lansingerland's pack speaks to (a timely self-report)."""
    national = Engine(municipality=None, evaluator="compiled")
    case = json.loads((EXAMPLES / "02-zelfmelding-waarschuwing.json").read_text(encoding="utf-8"))
    assert "lansingerland_voorkeur_waarschuwing" in set(engine.trace(case)) - set(national.trace(case))
    with pytest.raises(invariants.InvariantError, match="evaluators_agree"):
        invariants.evaluators_agree(national, case, engine)


def _provider_fact(engine: Engine) -> tuple[Any, Any, dict[str, Encoded]]:
    case = parse_case(json.loads((EXAMPLES / "05-wmo-structureel-kwetsbaar.json").read_text(encoding="utf-8")))
    stack = engine._select(case).decision
    params = stack.resolve_params(case.decision_date, case.decision_date)
    fact = encode_facts(stack.facts, provider_facts(case, params, stack.declared))  # type: ignore[arg-type]
    return stack, stack.condition_key(params), fact


def test_a_field_missing_from_the_fact_gives_the_reference_evaluators_located_error(compiled_engine: Engine) -> None:
    """The generated function handles the ordinary case; a broken fact goes through the reference
    evaluator, so the error names the same rule, pack and place in the file."""
    stack, key, fact = _provider_fact(compiled_engine)
    first = stack.rules_by_level[0][0]
    read = sorted(first.reads)[0]
    broken = {k: v for k, v in fact.items() if k.removesuffix("__known") != read}
    errors = []
    for evaluator in (CompiledEvaluator(), ReferenceEvaluator()):
        with pytest.raises(EngineError) as info:
            evaluator.evaluate(stack, key, broken)
        errors.append((info.value.message, info.value.problems))
    assert errors[0] == errors[1]
    assert "ENGINE_RULE_FAILED" == errors[0][1][0].code


def test_a_generated_function_that_fails_where_the_reference_does_not_is_an_engine_error(
    compiled_engine: Engine,
) -> None:
    """Never a silent answer: should the generated function fail on a case the reference evaluator
    advises on, the compiled evaluator refuses with an EngineError that says so."""
    stack, key, fact = _provider_fact(compiled_engine)
    evaluator = CompiledEvaluator()
    real = evaluator.generated(stack, key)

    def failing(fact: Mapping[str, Encoded]) -> tuple[list[str], dict[str, Encoded]]:
        raise ZeroDivisionError(len(fact))

    evaluator._functions[(stack.key, key)] = Generated(real.source, failing)
    with pytest.raises(EngineError, match="compiled evaluator failed \\(ZeroDivisionError\\) where the reference"):
        evaluator.evaluate(stack, key, fact)
    assert ReferenceEvaluator().evaluate(stack, key, fact) == CompiledEvaluator().evaluate(stack, key, fact)


# --- safe code generation -------------------------------------------------------------------------

#: Names and values a hostile pack might carry: quotes, newlines, dunder names, code.
HOSTILE = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        (
            "__import__",
            "__builtins__",
            "__class__",
            "f",
            "fired",
            "b0",
            "_Fallback",
            "'",
            '"',
            "'''",
            '"""',
            "\\",
            "\n",
            "\r\n",
            "x']) or __import__('os').system('false') or f['",
            '"); import os #',
            "\n    return [], {}\n",
            "{0}",
            "\x00",
            "\ud800",
        )
    ),
)
FIELDS = st.lists(HOSTILE, min_size=1, max_size=4, unique=True)


def _conditions(fields: list[str], values: st.SearchStrategy[Encoded]) -> st.SearchStrategy[Cond]:
    leaf = st.builds(Leaf, st.sampled_from(fields), st.sampled_from(("eq", "ne", "lt", "lte", "gt", "gte")), values)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(All, st.lists(inner, max_size=3).map(tuple)),
            st.builds(AnyOf, st.lists(inner, max_size=3).map(tuple)),
        ),
        max_leaves=8,
    )


@st.composite
def hostile_stacks(draw: st.DrawFn) -> tuple[int, list[GeneratedRule], dict[str, Encoded]]:
    """Rules and a fact whose rule ids, field names and values are hostile text."""
    fields = draw(FIELDS)
    values: st.SearchStrategy[Encoded] = st.one_of(st.integers(-3, 3), HOSTILE)
    levels = draw(st.integers(1, 3))
    ids = draw(st.lists(HOSTILE, min_size=1, max_size=6, unique=True))
    rules = [
        GeneratedRule(
            draw(st.integers(0, levels - 1)),
            rid,
            draw(_conditions(fields, values)),
            tuple(draw(st.dictionaries(st.sampled_from(fields), values, max_size=2)).items()),
        )
        for rid in ids
    ]
    fact = {name: draw(values) for name in fields}
    return levels, rules, fact


def _oracle(
    levels: int, rules: list[GeneratedRule], fact: Mapping[str, Encoded]
) -> tuple[list[str], dict[str, Encoded]]:
    """Level by level with the reference semantics (conditions.evaluate); a conflict raises _Fallback."""
    f = dict(fact)
    fired: list[str] = []
    for level in range(levels):
        on_level = [r for r in rules if r.level == level and evaluate(r.condition, f)]
        fired.extend(r.id for r in on_level)
        setting: dict[str, Encoded] = {}
        for rule in on_level:
            for name, value in rule.sets:
                if name in setting and setting[name] != value:
                    raise _Fallback
                setting[name] = value
        f.update(setting)
    return fired, f


@settings(max_examples=300)
@given(stack=hostile_stacks())
def test_hostile_names_and_values_stay_data(stack: tuple[int, list[GeneratedRule], dict[str, Encoded]]) -> None:
    """Rule ids, fact names and values with quotes, newlines, dunder names or code in them cannot
    inject code: the generated function gives exactly the reference semantics, its source holds no
    string that is not a pack value or fact name, and it names nothing but what the generator binds."""
    levels, rules, fact = stack
    generated = generate(levels, rules)
    try:
        expected: Any = _oracle(levels, rules, fact)
    except _Fallback:
        expected = _Fallback
    try:
        actual: Any = generated.function(fact)
    except _Fallback:
        actual = _Fallback
    assert expected == actual
    pack_text = {r.id for r in rules} | set(fact)
    pack_text |= {leaf_value for r in rules for leaf_value in _leaf_texts(r.condition)}
    strings = {n.value for n in ast.walk(ast.parse(generated.source)) if isinstance(n, ast.Constant)}
    assert set() == {s for s in strings if isinstance(s, str)} - pack_text
    code = generated.function.__code__
    assert set() == set(code.co_names) - set(generated.function.__globals__) - {"append", "keys"}


def _leaf_texts(cond: Cond) -> set[str]:
    if isinstance(cond, Leaf):
        return {cond.field, *((cond.value,) if isinstance(cond.value, str) else ())}
    return {t for item in cond.items for t in _leaf_texts(item)}


def test_code_in_a_fact_name_is_not_run(tmp_path: Path) -> None:
    """A fact name and a value that are Python code are compared as text; the code never runs."""
    marker = tmp_path / "ran"
    payload = f"x'] or __import__('pathlib').Path({str(marker)!r}).touch() or f['x"
    rules = [GeneratedRule(0, "r\n'", Leaf(payload, "eq", payload), ((payload, "set"),))]
    generated = generate(1, rules)
    assert (["r\n'"], {payload: "set"}) == generated.function({payload: payload})
    assert ([], {payload: "other"}) == generated.function({payload: "other"})
    assert not marker.exists()


def test_generated_code_runs_without_builtins() -> None:
    generated = generate(1, [GeneratedRule(0, "a", Leaf("x", "lt", 3), ())])
    assert {} == generated.function.__globals__["__builtins__"]
    assert (["a"], {"x": 1}) == generated.function({"x": 1})
    assert ([], {"x": "1"}) == generated.function({"x": "1"})  # an ordering holds only within one type


def test_a_condition_nested_deeper_than_the_parser_allows_is_evaluated_by_the_reference_function() -> None:
    """Python's parser limits nesting; a deeper condition is not written as one expression but
    evaluated by the reference function, with the same result."""
    cond: Cond = Leaf("x", "gte", 1)
    for depth in range(100):
        cond = All((cond, Leaf("x", "ne", depth + 1000))) if depth % 2 else AnyOf((cond, Leaf("x", "eq", -depth - 5)))
    generated = generate(1, [GeneratedRule(0, "deep", cond, ())])
    assert "_evaluate(_c0, f)" in generated.source
    for x in (-5, 0, 1, 1001, "1"):
        assert (["deep"] if evaluate(cond, {"x": x}) else []) == generated.function({"x": x})[0]


@pytest.mark.parametrize(
    "source",
    [
        "def _stack(f0):\n    return __builtins__, f0\n",
        "def _stack(f0):\n    return f0.__class__, f0\n",
        "def _stack(f0):\n    import os\n    return [], f0\n",
        "def _stack(f0):\n    return [x for x in f0], f0\n",
        "def _stack(f0):\n    return open, f0\n",
    ],
    ids=["builtins", "dunder-attribute", "import", "comprehension", "unbound-name"],
)
def test_the_allow_list_refuses_code_the_generator_does_not_write(source: str) -> None:
    """The check every generated source passes before it is compiled refuses names, attributes and
    syntax the generator never writes."""
    from maatwerk._engine.compiled import _check

    with pytest.raises(EngineError, match="the compiled evaluator generated"):
        _check(ast.parse(source), {"_type", "_int", "_str", "_dict", "_Fallback", "_evaluate"})


# --- the verdict's conditions, generated ----------------------------------------------------------


def _walked(conditions: list[Cond], fact: Mapping[str, Encoded]) -> int | type[KeyError]:
    """Which condition holds first, walking each with the reference semantics (-1: none)."""
    try:
        return next((i for i, c in enumerate(conditions) if evaluate(c, fact)), -1)
    except KeyError:
        return KeyError


def _generated(conditions: list[Cond], fact: Mapping[str, Encoded]) -> int | type[KeyError]:
    try:
        return first_holding(conditions)(fact)
    except KeyError:
        return KeyError


@settings(max_examples=300)
@given(data=st.data())
def test_generated_and_walked_conditions_agree(data: st.DataObject) -> None:
    """first_holding: the first condition that holds, as walking them gives it, also where a field is
    missing from the fact (the same KeyError), for hostile names and values."""
    fields = data.draw(FIELDS)
    values: st.SearchStrategy[Encoded] = st.one_of(st.integers(-3, 3), HOSTILE)
    conditions = data.draw(st.lists(_conditions(fields, values), max_size=6))
    fact = {name: data.draw(values) for name in data.draw(st.lists(st.sampled_from(fields), unique=True))}
    assert _walked(conditions, fact) == _generated(conditions, fact)


def test_first_holding_says_none_and_which() -> None:
    first = first_holding([Leaf("x", "gt", 2), AnyOf(()), Leaf("x", "eq", "a"), All(())])
    assert 0 == first({"x": 3})
    assert 2 == first({"x": "a"})
    assert 3 == first({"x": 1})
    assert -1 == first_holding([])({"x": 1})


class _Finalized:
    """Garbage in a reference cycle whose finalizer runs Python code when the collector frees it."""

    partner: _Finalized | None = None

    def __del__(self) -> None:
        sum(range(50))


def test_threads_generate_code_at_once_while_the_collector_runs_finalizers() -> None:
    """Generating code is safe from several threads at once (a shared Engine's first advices on a
    stack do this), also when the garbage collector runs a finalizer in the middle of parsing: on
    Python 3.11 two unguarded parses then raise "SystemError: AST constructor recursion depth
    mismatch" (CPython gh-106905). Every thread gets working functions and no error."""
    conditions: list[Cond] = [
        AnyOf(
            (All((Leaf("x", "eq", i), AnyOf((Leaf("x", "gt", i), Leaf("y", "ne", str(i)))))), Leaf("y", "eq", f"v{i}"))
        )
        for i in range(40)
    ]
    rules = [GeneratedRule(0, f"r{i}", cond, ((f"o{i}", True),)) for i, cond in enumerate(conditions[:10])]
    fact: dict[str, Encoded] = {"x": 2, "y": "n", **{f"o{i}": False for i in range(10)}}
    errors: list[BaseException] = []
    wrong: list[str] = []

    def work() -> None:
        try:
            for _ in range(60):
                for _ in range(20):
                    a, b = _Finalized(), _Finalized()
                    a.partner, b.partner = b, a
                if first_holding(conditions)({"x": 7, "y": "v7"}) != 7:
                    wrong.append("first_holding")
                if not holds(conditions[3])({"x": 3, "y": "z"}):
                    wrong.append("holds")
                if generate(1, rules).function(fact)[0] != ["r2"]:
                    wrong.append("generate")
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        sys.setswitchinterval(interval)
    assert [] == [repr(e) for e in errors]
    assert [] == wrong


VERDICT_CASES = st.one_of(BENEFIT_CASES, PROVIDER_CASES)


@settings(max_examples=150)
@given(case=VERDICT_CASES, data=st.data())
def test_the_verdicts_generated_choice_and_tracks_agree_with_walking_them(
    compiled_engine: Engine, case: Any, data: st.DataObject
) -> None:
    """The bundled packs' verdicts: on the facts of generated cases of both domains (with any values
    of the verdict's own facts), the generated choice and track functions pick what walking the
    resolved conditions picks, before and after each measure is set."""
    from maatwerk._advice.verdict import _resolve, _verdict_specs
    from maatwerk._domains import domain_of
    from maatwerk._policy.facts import encode_into

    parsed = parse_case(case)
    domain = domain_of(parsed)
    sel = compiled_engine._select(parsed, compiled_engine.policies)
    for stack in {id(sel.decision): sel.decision, id(sel.conduct): sel.conduct}.values():
        trace, params, _ = domain.evaluate(ReferenceEvaluator(), parsed, stack, sel)
        resolved = _resolve(stack.verdict, stack.condition_key(params))
        fact = dict(trace.fact)
        for name, spec in _verdict_specs(domain.name).items():
            value = data.draw(st.booleans() if spec.kind == "bool" else st.integers(0, 6), label=name)
            encode_into(fact, spec, value)
        choice = [cond for _, cond in resolved.choice]
        assert _walked(choice, fact) == _generated(choice, fact)
        assert _walked(choice, fact) == resolved.first_choice(fact)
        for measure in {step.measure for step, _ in resolved.choice}:
            fact["measure"] = measure
            for (_, cases), first in zip(resolved.tracks, resolved.first_case, strict=True):
                conditions = [cond for _, cond in cases]
                assert _walked(conditions, fact) == first(fact)
            _the_rest_of_the_verdict_agrees(resolved, fact)
        if resolved.ladder is not None:
            key = stack.condition_key(params)
            needed, failed = data.draw(st.integers(1, 5), label="needed"), data.draw(st.integers(0, 5), label="failed")
            assert _walked_climb(resolved.ladder, trace.fact, needed, failed, 5) == climb(
                stack, key, trace.fact, needed, failed, 5
            )


def _the_rest_of_the_verdict_agrees(resolved: Any, fact: Mapping[str, Encoded]) -> None:
    """Every other generated condition of a resolved verdict (each choice step, the decisions and their
    factors, the what-ifs, the alternatives' show/chosen/lawful/reason, the deadlines, the facts a
    measure sets, the ladder's summary) says what walking its resolved condition says on ``fact``."""
    fns = resolved.fns

    def same(cond: Cond, fn: Any) -> None:
        assert _walked([cond], fact) == _generated_one(fn, fact)

    for (_, cond), fn in zip(resolved.choice, fns.choice, strict=True):
        same(cond, fn)
    for (_, cond, factors), (fn, factor_fns) in zip(resolved.decisions, fns.decisions, strict=True):
        same(cond, fn)
        for factor, factor_fn in zip(factors, factor_fns, strict=True):
            same(factor, factor_fn)
    for (_, cond), fn in zip(resolved.what_ifs, fns.what_ifs, strict=True):
        same(cond, fn)
    for (_, show, chosen, lawful, why), (show_fn, chosen_fn, lawful_fn, why_fn) in zip(
        resolved.alternatives, fns.alternatives, strict=True
    ):
        same(show, show_fn)
        same(lawful, lawful_fn)
        assert (chosen is None) == (chosen_fn is None)
        if chosen is not None:
            same(chosen, chosen_fn)
        assert _walked([c for c, _ in why], fact) == _generated_first(why_fn, fact)
    assert resolved.deadlines.keys() == fns.deadlines.keys()
    for measure, terms in resolved.deadlines.items():
        assert _walked([c for c, _ in terms], fact) == _generated_first(fns.deadlines[measure], fact)
    assert resolved.sets.keys() == fns.sets.keys()
    for measure, sets in resolved.sets.items():
        for (_, cond), fn in zip(sets, fns.sets[measure], strict=True):
            same(cond, fn)
    summary = () if resolved.ladder is None else resolved.ladder.summary
    assert len(summary) == len(fns.summary)
    for (cond, _), fn in zip(summary, fns.summary, strict=True):
        same(cond, fn)


def _generated_one(fn: Any, fact: Mapping[str, Encoded]) -> int | type[KeyError]:
    """A generated ``holds`` as :func:`_walked` reports one condition: 0 when it holds, -1 when not."""
    try:
        return 0 if fn(fact) else -1
    except KeyError:
        return KeyError


def _generated_first(fn: Any, fact: Mapping[str, Encoded]) -> int | type[KeyError]:
    try:
        return int(fn(fact))
    except KeyError:
        return KeyError


def _walked_climb(ladder: CompiledLadder, fact: Mapping[str, Encoded], needed: int, failed: int, top: int) -> Ladder:
    """The ladder climbed by walking its resolved conditions (the semantics the generated functions keep)."""
    if failed and evaluate(ladder.escalate, fact):
        needed = max(needed, min(failed + 1, top))
    available = [rung for rung in ladder.rungs if evaluate(rung.lawful, fact)]
    for measure, cond in ladder.drop_rung:
        rung = next(r for r in ladder.rungs if r.name == measure)
        if needed == rung.rung and evaluate(cond, fact):
            needed -= 1
    available.sort(key=lambda r: (r.rung, not evaluate(r.preferred, fact)))
    if evaluate(ladder.excluded, fact) or not available:
        return Ladder(needed, tuple(available), None, False)
    reaching = [r for r in available if r.rung >= needed]
    if reaching:
        return Ladder(needed, tuple(available), reaching[0], False)
    return Ladder(needed, tuple(available), available[-1], True)
