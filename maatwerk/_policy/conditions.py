# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Rule conditions: parsing from a pack, normalisation, and the two ways to evaluate them.

A condition in a pack is a small tree::

    all: [...] | any: [...] | not: {...} | {fact: NAME, OP: VALUE}

with OP one of ``eq ne lt lte gt gte in known`` and VALUE a literal or ``{param: NAME}``. It is
compiled into negation normal form over encoded leaves (see :mod:`maatwerk._policy.facts`), so
that durable-rules and the plain-Python reference evaluator see exactly the same tree. Negation
is classical: a comparison with an unknown value is false, and ``not`` of it is true.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from maatwerk._policy.facts import KNOWN_SUFFIX, Encoded, FactSpec
from maatwerk.errors import Problem

Op = Literal["eq", "ne", "lt", "lte", "gt", "gte"]
NEGATE: dict[Op, Op] = {"eq": "ne", "ne": "eq", "lt": "gte", "gte": "lt", "lte": "gt", "gt": "lte"}
COMPARISONS = ("eq", "ne", "lt", "lte", "gt", "gte")
PARAM_UNITS_FOR: dict[str, tuple[str, ...]] = {
    "money": ("eur",),
    "int": ("days", "weeks", "count", "years", "months"),
    "date": ("date",),
    "bool": ("bool",),
    "enum": ("text",),
}


@dataclass(frozen=True, slots=True)
class ParamRef:
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Leaf:
    field: str
    op: Op
    value: Encoded | ParamRef


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Cond, ...]


Cond = Leaf | All | AnyOf
TRUE: Cond = All(())
FALSE: Cond = AnyOf(())


# --- parsing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParseContext:
    facts: Mapping[str, FactSpec]
    param_unit: Callable[[str], str | None]
    where: Callable[[tuple[str | int, ...]], str]
    suggest: Callable[[str], str]


def parse(raw: Any, path: tuple[str | int, ...], ctx: ParseContext, problems: list[Problem]) -> Cond:
    """Parse a pack condition into a positive tree (not yet in negation normal form)."""
    if not isinstance(raw, dict):
        problems.append(Problem(ctx.where(path), "POLICY_BAD_CONDITION", "a condition is a mapping"))
        return FALSE
    keys = set(raw)
    for combinator in ("all", "any"):
        if keys == {combinator}:
            items = raw[combinator]
            if not isinstance(items, list) or not items:
                problems.append(
                    Problem(
                        ctx.where((*path, combinator)), "POLICY_BAD_CONDITION", f"'{combinator}' takes a non-empty list"
                    )
                )
                return FALSE
            parsed = tuple(parse(item, (*path, combinator, i), ctx, problems) for i, item in enumerate(items))
            return All(parsed) if combinator == "all" else AnyOf(parsed)
    if keys == {"not"}:
        return _Not(parse(raw["not"], (*path, "not"), ctx, problems))  # type: ignore[return-value]
    if "fact" not in raw:
        problems.append(
            Problem(
                ctx.where(path),
                "POLICY_BAD_CONDITION",
                "a condition is one of all, any, not, or {fact: NAME, OP: VALUE}",
            )
        )
        return FALSE
    ops = keys - {"fact"}
    if len(ops) != 1:
        problems.append(Problem(ctx.where(path), "POLICY_BAD_CONDITION", "a fact test has exactly one operator"))
        return FALSE
    (op,) = ops
    name = raw["fact"]
    spec = ctx.facts.get(name) if isinstance(name, str) else None
    if spec is None:
        problems.append(
            Problem(ctx.where((*path, "fact")), "POLICY_UNKNOWN_FACT", f"unknown fact {name!r}{ctx.suggest(str(name))}")
        )
        return FALSE
    return _leaf(spec, op, raw[op], (*path, op), ctx, problems)


@dataclass(frozen=True, slots=True)
class _Not:
    item: Cond | _Not


def _leaf(
    spec: FactSpec, op: str, value: Any, path: tuple[str | int, ...], ctx: ParseContext, problems: list[Problem]
) -> Cond:
    where = ctx.where(path)
    if op == "known":
        if not isinstance(value, bool):
            problems.append(Problem(where, "POLICY_TYPE_MISMATCH", "'known' takes true or false"))
            return FALSE
        if spec.output:
            problems.append(Problem(where, "POLICY_TYPE_MISMATCH", f"{spec.name} is set by rules and is always known"))
            return FALSE
        if spec.kind == "bool":
            return Leaf(spec.name, "ne" if value else "eq", -1)
        if spec.kind == "enum":
            return Leaf(spec.name, "ne" if value else "eq", "")
        return Leaf(spec.name + KNOWN_SUFFIX, "eq", 1 if value else 0)
    if op == "in":
        if spec.kind != "enum" or not isinstance(value, list) or not value:
            problems.append(
                Problem(where, "POLICY_TYPE_MISMATCH", "'in' takes a non-empty list of values of an enum fact")
            )
            return FALSE
        return AnyOf(tuple(_leaf(spec, "eq", v, (*path, i), ctx, problems) for i, v in enumerate(value)))
    if op not in COMPARISONS:
        problems.append(
            Problem(
                where,
                "POLICY_BAD_CONDITION",
                f"unknown operator {op!r}; use one of {', '.join((*COMPARISONS, 'in', 'known'))}",
            )
        )
        return FALSE
    cmp: Op = op  # type: ignore[assignment]
    if spec.kind in ("bool", "enum") and cmp not in ("eq", "ne"):
        problems.append(
            Problem(where, "POLICY_TYPE_MISMATCH", f"{spec.name} is a {spec.kind} fact: only eq and ne apply")
        )
        return FALSE
    encoded = _value(spec, value, where, ctx, problems)
    if encoded is None:
        return FALSE
    if spec.kind in ("money", "int", "date"):
        return All((Leaf(spec.name + KNOWN_SUFFIX, "eq", 1), Leaf(spec.name, cmp, encoded)))
    return Leaf(spec.name, cmp, encoded)


def _value(
    spec: FactSpec, value: Any, where: str, ctx: ParseContext, problems: list[Problem]
) -> Encoded | ParamRef | None:
    if isinstance(value, dict):
        if set(value) != {"param"} or not isinstance(value["param"], str):
            problems.append(Problem(where, "POLICY_BAD_CONDITION", "a value is a literal or {param: NAME}"))
            return None
        unit = ctx.param_unit(value["param"])
        if unit is None:
            problems.append(Problem(where, "POLICY_UNKNOWN_PARAMETER", f"unknown parameter {value['param']!r}"))
            return None
        if unit not in PARAM_UNITS_FOR[spec.kind]:
            problems.append(
                Problem(
                    where,
                    "POLICY_TYPE_MISMATCH",
                    f"parameter {value['param']!r} ({unit}) cannot be compared with {spec.kind} fact {spec.name}",
                )
            )
            return None
        return ParamRef(value["param"], spec.kind)
    try:
        return encode_literal(spec, value)
    except ValueError as err:
        problems.append(Problem(where, "POLICY_TYPE_MISMATCH", f"{spec.name}: {err}"))
        return None


def encode_literal(spec: FactSpec, value: Any) -> Encoded:
    """Encode a literal (or a parameter's value) for comparison with fact ``spec``."""
    kind = spec.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return int(value)
    if kind == "enum":
        if not isinstance(value, str) or value not in spec.values:
            raise ValueError(f"expected one of {', '.join(spec.values)}, got {value!r}")
        return value
    if kind == "money":
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise ValueError(f"expected an amount in euros, got {value!r}")
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"expected an amount in euros, got {value!r}") from None
        try:
            whole_cents = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
        except InvalidOperation:  # beyond the arithmetic's precision (10^29 euro): no amount a case holds
            raise ValueError(
                f"expected an amount in euros, got {value!r}: far larger than any amount a case can hold"
            ) from None
        if not whole_cents:
            raise ValueError(f"expected an amount in whole cents, got {value!r}")
        return int(amount * 100)
    if kind == "date":
        if not isinstance(value, dt.date):
            raise ValueError(f"expected a date (YYYY-MM-DD), got {value!r}")
        return value.toordinal()
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


# --- normal form -------------------------------------------------------------------------------


def normalise(cond: Cond | _Not, *, negated: bool = False) -> Cond:
    """Negation normal form, flattened, with constant true/false folded away."""
    if isinstance(cond, _Not):
        return normalise(cond.item, negated=not negated)
    if isinstance(cond, Leaf):
        return Leaf(cond.field, NEGATE[cond.op], cond.value) if negated else cond
    conj = isinstance(cond, All) != negated
    parts: list[Cond] = []
    for item in cond.items:
        n = normalise(item, negated=negated)
        if conj:
            if n == FALSE:
                return FALSE
            if n == TRUE:
                continue
            parts.extend(n.items if isinstance(n, All) else (n,))
        else:
            if n == TRUE:
                return TRUE
            if n == FALSE:
                continue
            parts.extend(n.items if isinstance(n, AnyOf) else (n,))
    if len(parts) == 1:
        return parts[0]
    return All(tuple(parts)) if conj else AnyOf(tuple(parts))


def conjoin_not(base: Cond, exceptions: tuple[Cond, ...]) -> Cond:
    """``base and not e1 and not e2 ...``, normalised (the law's 'tenzij')."""
    return normalise(All((base, *(_Not(e) for e in exceptions))))  # type: ignore[arg-type]


def fields(cond: Cond) -> frozenset[str]:
    """The fact names a condition reads (companions mapped to their fact)."""
    if isinstance(cond, Leaf):
        return frozenset({cond.field.removesuffix(KNOWN_SUFFIX)})
    out: set[str] = set()
    for item in cond.items:
        out |= fields(item)
    return frozenset(out)


def params(cond: Cond) -> dict[str, str]:
    """The parameters a condition compares with, each with the kind of fact it is compared to."""
    if isinstance(cond, Leaf):
        return {cond.value.name: cond.value.kind} if isinstance(cond.value, ParamRef) else {}
    out: dict[str, str] = {}
    for item in cond.items:
        out.update(params(item))
    return out


def resolve(cond: Cond, values: Mapping[str, Encoded]) -> Cond:
    """Substitute parameter references with their encoded values."""
    if isinstance(cond, Leaf):
        if isinstance(cond.value, ParamRef):
            return Leaf(cond.field, cond.op, values[cond.value.name])
        return cond
    items = tuple(resolve(i, values) for i in cond.items)
    return All(items) if isinstance(cond, All) else AnyOf(items)


# --- evaluation --------------------------------------------------------------------------------


def evaluate(cond: Cond, fact: Mapping[str, Encoded]) -> bool:
    """Plain-Python evaluation of a resolved condition (the reference semantics)."""
    if isinstance(cond, Leaf):
        left = fact[cond.field]
        right = cond.value
        assert not isinstance(right, ParamRef), "resolve() the condition first"
        if cond.op == "eq":
            return left == right
        if cond.op == "ne":
            return left != right
        if type(left) is not type(right):
            return False
        if cond.op == "lt":
            return left < right  # type: ignore[operator]
        if cond.op == "lte":
            return left <= right  # type: ignore[operator]
        if cond.op == "gt":
            return left > right  # type: ignore[operator]
        return left >= right  # type: ignore[operator]
    if isinstance(cond, All):
        return all(evaluate(i, fact) for i in cond.items)
    return any(evaluate(i, fact) for i in cond.items)


def to_durable(cond: Cond) -> dict[str, Any]:
    """The durable-rules JSON expression of a resolved condition."""
    if isinstance(cond, Leaf):
        assert not isinstance(cond.value, ParamRef), "resolve() the condition first"
        if cond.op == "eq":
            return {cond.field: cond.value}
        return {"$" + ("neq" if cond.op == "ne" else cond.op): {cond.field: cond.value}}
    key = "$and" if isinstance(cond, All) else "$or"
    return {key: [to_durable(i) for i in cond.items]}
