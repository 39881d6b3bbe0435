# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The compiled evaluator: each stack's rules generated into one Python function.

The function is generated from the same resolved condition trees that the reference evaluator walks
(:func:`maatwerk._policy.conditions.evaluate`) and that durable-rules is given
(:func:`~maatwerk._policy.conditions.to_durable`), with the same semantics leaf for leaf: ``eq`` and
``ne`` compare with ``==`` and ``!=``; an ordering holds only between values of the same type;
``all`` and ``any`` short-circuit left to right. Level by level it decides which rules fire, records
them in definition order, and applies their outputs before the next level, as
:func:`~maatwerk._engine.core.run_levels` does.

The fast function handles the ordinary case only. Anything else (a field missing from the fact, two
rules of one level setting one output differently, any exception) sends the case through the
reference evaluator, which raises the located error the other evaluators raise. Should the reference
evaluator *not* fail there, the two disagree: an :class:`~maatwerk.errors.EngineError`, never a
silent answer.

Generated code is safe by construction: no text from a pack becomes code. Every literal (rule ids,
fact names, values) enters the source through :func:`repr` of an exact ``str`` or ``int``, which
Python reads back as that same constant; every identifier is one this module makes (``b0``, ``f``,
...). A value of any other type is not written into the source at all: that rule is evaluated by the
reference function. The generated source is parsed and checked against an allow-list of syntax and
names before it is compiled, and runs without builtins.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from maatwerk._engine.core import ConditionKey, Trace
from maatwerk._engine.reference import ReferenceEvaluator
from maatwerk._policy.conditions import All, Cond, Leaf, evaluate, resolve
from maatwerk._policy.facts import Encoded
from maatwerk._policy.stack import Stack
from maatwerk.errors import EngineError

__all__ = ["CompiledEvaluator", "GeneratedRule", "first_holding", "generate", "holds"]

#: Conditions nested deeper than this are not written out as one expression (Python's parser has a
#: nesting limit); such a rule calls the reference evaluation of its condition instead.
MAX_DEPTH = 24

_ORDER = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


class _Fallback(Exception):  # noqa: N818  (a signal, not an error: the case goes to the reference evaluator)
    """Raised by generated code where the case needs the reference evaluator's located error."""


@dataclass(frozen=True, slots=True)
class GeneratedRule:
    """What the generator needs of one rule: its level, id, resolved condition and outputs."""

    level: int
    id: str
    condition: Cond
    sets: tuple[tuple[str, Encoded], ...]


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated stack function and its source (for tests and for reading)."""

    source: str
    function: Callable[[Mapping[str, Encoded]], tuple[list[str], dict[str, Encoded]]]


def _literal(value: object) -> str | None:
    """The source text of a str or int constant (``None`` for any other type: not written)."""
    if type(value) is str or type(value) is int:
        return repr(value)
    return None


def _depth(cond: Cond) -> int:
    if isinstance(cond, Leaf):
        return 1
    return 1 + max((_depth(i) for i in cond.items), default=0)


def _expr(cond: Cond) -> str | None:
    """The Python expression of a resolved condition over the fact ``f``; ``None`` where a value
    cannot be written as a constant."""
    if isinstance(cond, Leaf):
        field, value = _literal(cond.field), _literal(cond.value)
        if field is None or value is None:
            return None
        left = f"f[{field}]"
        if cond.op == "eq":
            return f"({left} == {value})"
        if cond.op == "ne":
            return f"({left} != {value})"
        kind = "_int" if type(cond.value) is int else "_str"
        return f"(_type({left}) is {kind} and {left} {_ORDER[cond.op]} {value})"
    parts = [_expr(i) for i in cond.items]
    if any(p is None for p in parts):
        return None
    if isinstance(cond, All):
        return "(" + " and ".join(parts) + ")" if parts else "True"  # type: ignore[arg-type]
    return "(" + " or ".join(parts) + ")" if parts else "False"  # type: ignore[arg-type]


def generate(levels: int, rules: Sequence[GeneratedRule]) -> Generated:
    """One Python function for ``rules`` on ``levels`` strata.

    It takes the level-0 fact and returns the fired rule ids (in level, then definition order) and
    the final fact. It raises :class:`_Fallback` where two rules of a level set one output to
    different values, or where an output is missing from the fact (its order would then depend on
    which rule fired first); a missing field raises ``KeyError`` as in the reference evaluator.
    """
    namespace: dict[str, Any] = {
        "__builtins__": {},
        "_type": type,
        "_int": int,
        "_str": str,
        "_dict": dict,
        "_Fallback": _Fallback,
        "_evaluate": evaluate,
    }
    outputs: set[str] = set()
    lines = ["def _stack(f0):", "    f = _dict(f0)"]
    body: list[str] = ["    fired = []"]
    for level in range(levels):
        on_level = [(i, r) for i, r in enumerate(rules) if r.level == level]
        body.append(f"    # level {level}")
        for i, rule in on_level:
            expr = _expr(rule.condition) if _depth(rule.condition) <= MAX_DEPTH else None
            if expr is None:  # not written as code: the reference evaluation of this condition
                namespace[f"_c{i}"] = rule.condition
                expr = f"_evaluate(_c{i}, f)"
            body.append(f"    b{i} = {expr}")
        for i, rule in on_level:
            namespace[f"_id{i}"] = rule.id  # a name, not a literal: any value, never code
            body.append(f"    if b{i}:")
            body.append(f"        fired.append(_id{i})")
        # Outputs of this level: per output, the rules that set it, grouped by value.
        setters: dict[str, dict[Encoded, list[int]]] = {}
        for i, rule in on_level:
            for name, value in rule.sets:
                setters.setdefault(name, {}).setdefault(value, []).append(i)
        for n, (name, by_value) in enumerate(setters.items()):
            outputs.add(name)
            namespace[f"_o{level}_{n}"] = name
            groups = [(v, " or ".join(f"b{i}" for i in idx)) for v, idx in by_value.items()]
            for g, (value, _) in enumerate(groups):
                namespace[f"_v{level}_{n}_{g}"] = value
            if len(groups) > 1:
                count = " + ".join(f"({test})" for _, test in groups)
                body.append(f"    if {count} > 1:")
                body.append("        raise _Fallback")
            for g, (_, test) in enumerate(groups):
                body.append(f"    {'if' if g == 0 else 'elif'} {test}:")
                body.append(f"        f[_o{level}_{n}] = _v{level}_{n}_{g}")
    namespace["_outputs"] = frozenset(outputs)
    lines.append("    if not _outputs <= f.keys():")
    lines.append("        raise _Fallback")
    lines.extend(body)
    lines.append("    return fired, f")
    source = "\n".join(lines) + "\n"
    _build(source, namespace, function="_stack", filename="<maatwerk compiled stack>")
    return Generated(source, namespace["_stack"])


#: Which of a list of conditions holds first (its index; -1 where none does).
FirstHolding = Callable[[Mapping[str, Encoded]], int]


def first_holding(conditions: Sequence[Cond]) -> FirstHolding:
    """One Python function that tells which of ``conditions`` (resolved) holds first on a fact: what
    ``next((i for i, c in enumerate(conditions) if evaluate(c, fact)), -1)`` gives, leaf for leaf
    the same expression as the generated rules (the same short-circuits, so the same ``KeyError``
    for a field missing from the fact). Generated and checked as :func:`generate`'s code is; a
    condition with a value that is not a ``str`` or ``int`` constant is evaluated by the reference
    function. The verdict's choice and tracks are asked this once per case."""
    namespace: dict[str, Any] = {"__builtins__": {}, "_type": type, "_int": int, "_str": str, "_evaluate": evaluate}
    lines = ["def _first(f):"]
    for i, cond in enumerate(conditions):
        expr = _expr(cond) if _depth(cond) <= MAX_DEPTH else None
        if expr is None:
            namespace[f"_c{i}"] = cond
            expr = f"_evaluate(_c{i}, f)"
        lines.append(f"    if {expr}:")
        lines.append(f"        return {i}")
    lines.append("    return -1")
    _build("\n".join(lines) + "\n", namespace, function="_first")
    found: FirstHolding = namespace["_first"]
    return found


#: Whether a condition holds on a fact.
Holds = Callable[[Mapping[str, Encoded]], bool]


def holds(cond: Cond) -> Holds:
    """One Python function that tells whether ``cond`` (resolved) holds on a fact: what
    ``evaluate(cond, fact)`` gives, generated and checked as :func:`first_holding`'s code is."""
    namespace: dict[str, Any] = {"__builtins__": {}, "_type": type, "_int": int, "_str": str, "_evaluate": evaluate}
    expr = _expr(cond) if _depth(cond) <= MAX_DEPTH else None
    if expr is None:
        namespace["_c0"] = cond
        expr = "_evaluate(_c0, f)"
    _build(f"def _holds(f):\n    return {expr}\n", namespace, function="_holds")
    found: Holds = namespace["_holds"]
    return found


_ALLOWED_NODES = (
    ast.Module,
    ast.FunctionDef,
    ast.arguments,
    ast.arg,
    ast.Assign,
    ast.If,
    ast.Raise,
    ast.Return,
    ast.Expr,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Store,
    ast.Subscript,
    ast.Attribute,
    ast.Constant,
    ast.Compare,
    ast.BoolOp,
    ast.BinOp,
    ast.And,
    ast.Or,
    ast.Add,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.Is,
    ast.Tuple,
    ast.List,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
)


#: Held while generated source is parsed, checked and compiled. Python 3.11's AST conversion keeps
#: its recursion depth in state shared by all threads: when the garbage collector runs a finalizer
#: during ``ast.parse`` and another thread parses meanwhile, the first raises "SystemError: AST
#: constructor recursion depth mismatch" (CPython gh-106905, fixed in later versions). Two threads
#: asking a shared Engine for its first advices on a stack generate code at the same time.
_CODEGEN_LOCK = threading.Lock()


def _build(
    source: str, namespace: dict[str, Any], *, function: str, filename: str = "<maatwerk compiled verdict>"
) -> None:
    """Parse ``source``, check it (:func:`_check`) and run it in ``namespace``, which then holds
    ``function``; one thread at a time (see :data:`_CODEGEN_LOCK`)."""
    with _CODEGEN_LOCK:
        tree = ast.parse(source)
        _check(tree, set(namespace) - {"__builtins__"}, function=function)
        code = compile(tree, filename, "exec")
    exec(code, namespace)  # the source is checked above


def _check(tree: ast.AST, bound: set[str], *, function: str = "_stack") -> None:
    """Refuse generated code that has any syntax, name or constant this generator does not write."""
    locals_ = {"f", "f0", "fired"}
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise EngineError(f"the compiled evaluator generated unexpected code ({type(node).__name__})")
        if isinstance(node, ast.Name) and not (
            node.id in bound or node.id in locals_ or (node.id[:1] == "b" and node.id[1:].isdigit())
        ):
            raise EngineError(f"the compiled evaluator generated an unexpected name {node.id!r}")
        if isinstance(node, ast.FunctionDef) and node.name != function:
            raise EngineError("the compiled evaluator generated an unexpected function")
        if isinstance(node, ast.Attribute) and node.attr not in ("append", "keys"):
            raise EngineError(f"the compiled evaluator generated an unexpected attribute {node.attr!r}")
        if isinstance(node, ast.Constant) and type(node.value) not in (str, int, bool):
            raise EngineError("the compiled evaluator generated an unexpected constant")


class CompiledEvaluator:
    """Evaluates a stack with one generated Python function per stack and parameter context."""

    name = "compiled"

    def __init__(self) -> None:
        self._functions: dict[tuple[str, ConditionKey], Generated] = {}
        self._lock = threading.Lock()
        self._reference = ReferenceEvaluator()

    def generated(self, stack: Stack, key: ConditionKey) -> Generated:
        """The generated function of ``stack`` with the parameter values ``key`` (made once)."""
        cache_key = (stack.key, key)
        found = self._functions.get(cache_key)
        if found is None:
            with self._lock:
                found = self._functions.get(cache_key)
                if found is None:
                    values = dict(key)
                    rules = []
                    for rule in stack.rules:
                        cond = resolve(rule.condition, values)
                        rules.append(GeneratedRule(rule.level, rule.id, cond, rule.sets))
                    found = generate(stack.levels, rules)
                    self._functions[cache_key] = found
        return found

    def evaluate(self, stack: Stack, key: ConditionKey, fact: Mapping[str, Encoded]) -> Trace:
        function = self.generated(stack, key).function
        try:
            fired, final = function(fact)
        except Exception as err:
            # The reference evaluator raises the located error every evaluator gives for this case.
            self._reference.evaluate(stack, key, fact)
            raise EngineError(
                f"the compiled evaluator failed ({type(err).__name__}) where the reference evaluator did not; "
                "no advice was given",
                hint="This is a defect in maatwerk's compiled evaluator: use evaluator='durable' and report it.",
            ) from err
        return Trace(tuple(fired), final)
