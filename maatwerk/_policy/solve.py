# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Which fact values make a compiled condition true: a small exact solver over the fact domains.

A compiled condition (negation normal form over encoded leaves, see :mod:`maatwerk._policy.conditions`)
is a conjunction and disjunction of comparisons of one fact with a constant. Each fact has a finite
or interval domain, so whether a condition *can* hold is decided by walking its disjunctions and
narrowing one domain per fact (:class:`Choice` for bool and enum facts, :class:`Range` for money,
int and date facts). The result of a search is a :data:`Store`: for every fact, the values it may
still take. The walk is depth first and visits every comparison before it branches, so a
contradiction is found early.

Two users:

- ``maatwerk check`` (:mod:`maatwerk._policy.analysis`) asks whether a rule can ever fire, whether
  two rules can fire on the same case, and whether some input leaves a required outcome unset.
- the case generators of :mod:`maatwerk.testing` ask for the stores under which a rule fires and draw
  a case inside one of them.

The solver reasons about facts, not cases: it treats input facts as independent of each other,
apart from the links of :data:`AXIOMS` that callers add, which over-approximates the inputs (two
facts derived from one case field may be correlated in ways the axioms do not say). A condition it
finds impossible is therefore impossible for every case; a solution it finds is possible for the
facts and, in all but such correlated corners, for a case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from maatwerk._policy.conditions import FALSE, TRUE, All, AnyOf, Cond, Leaf, ParamRef, conjoin_not, normalise
from maatwerk._policy.domains import SPECS, DomainTable
from maatwerk._policy.facts import KNOWN_SUFFIX, Encoded, FactSpec

__all__ = [
    "AXIOMS",
    "Choice",
    "Constraint",
    "Range",
    "Store",
    "describe",
    "expand_outputs",
    "input_domains",
    "negate",
    "satisfiable",
    "solutions",
    "with_axioms",
]


@dataclass(frozen=True, slots=True)
class Choice:
    """The encoded values a bool or enum fact may still take (bool: 1, 0 and -1 for unknown;
    enum: its values and ``""`` for unknown)."""

    values: frozenset[Encoded]

    def narrow(self, op: str, value: Encoded) -> Choice | None:
        if op == "eq":
            kept = self.values & {value}
        elif op == "ne":
            kept = self.values - {value}
        else:  # the parser allows only eq and ne on bool and enum facts
            raise ValueError(f"{op} does not apply to a bool or enum fact")
        return Choice(frozenset(kept)) if kept else None


def _holds(left: int, op: str, right: int) -> bool:
    return {
        "eq": left == right,
        "ne": left != right,
        "lt": left < right,
        "lte": left <= right,
        "gt": left > right,
        "gte": left >= right,
    }[op]


@dataclass(frozen=True, slots=True)
class Range:
    """What a money, int or date fact may still be: unknown (``unknown``) and/or a known value in
    ``low .. high`` (``None``: unbounded) other than the ``excluded`` ones.

    An unknown numeric fact is encoded as 0 with its ``__known`` companion 0, and compared as 0
    (exactly what both evaluators do), so a comparison keeps the unknown state when 0 satisfies it.
    """

    unknown: bool
    known: bool
    low: int | None = None
    high: int | None = None
    excluded: frozenset[int] = field(default_factory=frozenset)

    def has_known_value(self) -> bool:
        if not self.known:
            return False
        if self.low is not None and self.high is not None:
            if self.low > self.high:
                return False
            if self.high - self.low < len(self.excluded):
                return any(v not in self.excluded for v in range(self.low, self.high + 1))
        return True

    def _with(
        self, *, unknown: bool, known: bool, low: int | None, high: int | None, excluded: frozenset[int]
    ) -> Range | None:
        out = Range(unknown, known, low, high, excluded)
        if not out.has_known_value():
            out = Range(unknown, False, low, high, excluded)
        return out if out.unknown or out.known else None

    def compare(self, op: str, value: int) -> Range | None:
        """Narrowed by ``fact op value``."""
        low, high, excluded = self.low, self.high, self.excluded
        if op == "eq":
            low = value if low is None else max(low, value)
            high = value if high is None else min(high, value)
        elif op == "ne":
            excluded = excluded | {value}
        elif op in ("lt", "lte"):
            bound = value - 1 if op == "lt" else value
            high = bound if high is None else min(high, bound)
        else:
            bound = value + 1 if op == "gt" else value
            low = bound if low is None else max(low, bound)
        return self._with(
            unknown=self.unknown and _holds(0, op, value), known=self.known, low=low, high=high, excluded=excluded
        )

    def known_test(self, op: str, value: int) -> Range | None:
        """Narrowed by a test of the ``__known`` companion (1 known, 0 unknown)."""
        wants_known = (op == "eq") == (value == 1)
        return self._with(
            unknown=self.unknown and not wants_known,
            known=self.known and wants_known,
            low=self.low,
            high=self.high,
            excluded=self.excluded,
        )

    def example(self) -> int | None:
        """A known value in the range (``None`` when only unknown is left)."""
        if not self.has_known_value():
            return None
        start = self.low if self.low is not None else (min(0, self.high) if self.high is not None else 0)
        for candidate in range(start, start + len(self.excluded) + 1):
            if candidate not in self.excluded and (self.high is None or candidate <= self.high):
                return candidate
        return None  # pragma: no cover  (has_known_value() guarantees a value)


Constraint = Choice | Range
Store = Mapping[str, Constraint]

#: Facts whose known values have a lower bound the case model enforces (money is never negative;
#: a self-report never lies before the due date).
LOWER_BOUNDS: dict[str, int] = {"self_correction_days": 0}


def input_domains(
    facts: Mapping[str, FactSpec],
    *,
    outputs: Mapping[str, Iterable[Encoded]] | None = None,
    bounds: Mapping[str, tuple[int | None, int | None]] | None = None,
) -> dict[str, Constraint]:
    """Every value each fact of a catalogue can take.

    ``outputs`` narrows output facts to the values they can have (default: their default value and
    every value of their kind); ``bounds`` narrows numeric facts to ``(low, high)`` encoded values
    (e.g. the decision dates a stack can see).
    """
    out: dict[str, Constraint] = {}
    for name, spec in facts.items():
        if spec.kind in ("bool", "enum"):
            if spec.output:
                every: set[Encoded] = {0, 1} if spec.kind == "bool" else {"", *spec.values}
                values = set(outputs[name]) if outputs is not None and name in outputs else every
                out[name] = Choice(frozenset(values | {spec.default}))
            elif spec.kind == "bool":
                out[name] = Choice(frozenset({1, 0} if spec.always_known else {1, 0, -1}))
            else:
                out[name] = Choice(frozenset(spec.values if spec.always_known else (*spec.values, "")))
            continue
        low: int | None = 0 if spec.kind == "money" else LOWER_BOUNDS.get(name)
        high: int | None = None
        if bounds is not None and name in bounds:
            b_low, b_high = bounds[name]
            low = b_low if low is None else (low if b_low is None else max(low, b_low))
            high = b_high
        out[name] = Range(unknown=not spec.always_known, known=True, low=low, high=high)
    return out


def _narrow(store: Mapping[str, Constraint], leaf: Leaf) -> Mapping[str, Constraint] | None:
    if isinstance(leaf.value, ParamRef):
        raise ValueError("resolve() the condition's parameters before solving it")
    name = leaf.field.removesuffix(KNOWN_SUFFIX)
    current = store[name]
    narrowed: Constraint | None
    if isinstance(current, Choice):
        narrowed = current.narrow(leaf.op, leaf.value)
    elif leaf.field.endswith(KNOWN_SUFFIX):
        assert isinstance(leaf.value, int)
        narrowed = current.known_test(leaf.op, leaf.value)
    else:
        assert isinstance(leaf.value, int)
        narrowed = current.compare(leaf.op, leaf.value)
    if narrowed is None:
        return None
    if narrowed == current:
        return store
    out = dict(store)
    out[name] = narrowed
    return out


def solutions(cond: Cond, store: Mapping[str, Constraint], *, limit: int = 1) -> Iterator[Store]:
    """Up to ``limit`` stores, each a narrowing of ``store`` under which ``cond`` holds (for every
    combination of the values left). None: the condition can never hold within ``store``."""
    found = 0

    def walk(pending: tuple[Cond, ...], current: Mapping[str, Constraint]) -> Iterator[Store]:
        nonlocal found
        # Comparisons first (they only narrow), then conjunctions, and only then branch.
        leaves = [c for c in pending if isinstance(c, Leaf)]
        for leaf in leaves:
            narrowed = _narrow(current, leaf)
            if narrowed is None:
                return
            current = narrowed
        rest = [c for c in pending if not isinstance(c, Leaf)]
        conj = [c for c in rest if isinstance(c, All)]
        if conj:
            flat = [item for c in conj for item in c.items]
            yield from walk((*flat, *(c for c in rest if not isinstance(c, All))), current)
            return
        if not rest:
            found += 1
            yield current
            return
        first, others = rest[0], tuple(rest[1:])
        assert isinstance(first, AnyOf)
        for option in first.items:
            if found >= limit:
                return
            yield from walk((option, *others), current)

    if cond == FALSE:
        return
    for solution in walk((cond,), store):
        yield solution
        if found >= limit:
            return


def satisfiable(cond: Cond, store: Mapping[str, Constraint]) -> Store | None:
    """One store under which ``cond`` holds, or ``None`` if it can never hold within ``store``."""
    return next(solutions(cond, store, limit=1), None)


def negate(cond: Cond) -> Cond:
    """``not cond``, in negation normal form."""
    if cond == TRUE:
        return FALSE
    if cond == FALSE:
        return TRUE
    return conjoin_not(TRUE, (cond,))


def _show(spec: FactSpec, value: int) -> str:
    if spec.kind == "money":
        return f"{Decimal(value) / 100:.2f}"
    if spec.kind == "date":
        return dt.date.fromordinal(value).isoformat()
    return str(value)


def describe(store: Store, facts: Mapping[str, FactSpec], *, against: Store, limit: int = 8) -> str:
    """The facts ``store`` narrows compared with ``against`` (the full domains), readably:
    ``law = ioaz, violation_established = true, benefit_loss unknown``."""
    parts: list[str] = []
    for name, constraint in store.items():
        if constraint == against.get(name):
            continue
        spec = facts[name]
        if isinstance(constraint, Choice):
            shown = sorted(_choice_text(spec, v) for v in constraint.values)
            parts.append(f"{name} = {shown[0]}" if len(shown) == 1 else f"{name} in {{{', '.join(shown)}}}")
        else:
            if constraint.unknown and not constraint.known:
                parts.append(f"{name} unknown")
                continue
            bits = []
            if constraint.low is not None and constraint.low == constraint.high:
                bits.append(f"{name} = {_show(spec, constraint.low)}")
            else:
                if constraint.low is not None and constraint.low != _bound(against, name, "low"):
                    bits.append(f"{name} >= {_show(spec, constraint.low)}")
                if constraint.high is not None and constraint.high != _bound(against, name, "high"):
                    bits.append(f"{name} <= {_show(spec, constraint.high)}")
                bits.extend(f"{name} != {_show(spec, v)}" for v in sorted(constraint.excluded))
            if not bits:
                bits.append(f"{name} known" if not constraint.unknown else f"{name} any")
            parts.extend(bits)
    if len(parts) > limit:
        parts = [*parts[:limit], f"... ({len(parts) - limit} more)"]
    return ", ".join(parts) or "any input"


def _bound(store: Store, name: str, which: str) -> int | None:
    constraint = store.get(name)
    if not isinstance(constraint, Range):
        return None
    return constraint.low if which == "low" else constraint.high


def _choice_text(spec: FactSpec, value: Encoded) -> str:
    if spec.kind == "bool":
        return {1: "true", 0: "false", -1: "unknown"}[int(value)]
    return "unknown" if value == "" and not spec.output else (repr("") if value == "" else str(value))


def expand_outputs(
    cond: Cond, rules: Iterable[tuple[Cond, tuple[tuple[str, Encoded], ...]]], facts: Mapping[str, FactSpec]
) -> Cond:
    """``cond`` with every comparison of an output fact replaced by the conditions of the rules that
    set it (``rules``: each rule's compiled condition and its ``sets``), recursively: the result
    reads input facts only.

    ``F == v`` becomes "some rule that sets F to v fires"; ``F == default`` becomes "no rule that sets
    F to another value fires". Rules on a higher level that overwrite a value are not modelled
    (``maatwerk check`` reports them as ``CHECK_SET_OVERRIDE``).
    """
    setters: dict[str, dict[Encoded, list[Cond]]] = {}
    for rule_cond, sets in rules:
        for name, value in sets:
            setters.setdefault(name, {}).setdefault(value, []).append(rule_cond)
    memo: dict[tuple[str, Encoded], Cond] = {}

    def has_value(name: str, value: Encoded) -> Cond:
        found = memo.get((name, value))
        if found is None:
            by_value = setters.get(name, {})
            if value != facts[name].default:
                found = normalise(AnyOf(tuple(walk(c) for c in by_value.get(value, ()))))
            else:
                others = [walk(c) for v, conds in by_value.items() if v != value for c in conds]
                found = normalise(All(tuple(negate(c) for c in others)))
            memo[(name, value)] = found
        return found

    def walk(c: Cond) -> Cond:
        if isinstance(c, Leaf):
            spec = facts.get(c.field)
            if spec is None or not spec.output:
                return c
            if isinstance(c.value, ParamRef):
                return c  # compared with a parameter: left to the solver's domains
            same = has_value(c.field, c.value)
            return same if c.op == "eq" else negate(same)
        items = tuple(walk(i) for i in c.items)
        return normalise(All(items) if isinstance(c, All) else AnyOf(items))

    return walk(cond)


#: How input facts derived from the same case fields hang together (:mod:`maatwerk._domains.facts`), per
#: domain (each domain's spec says it). The solver conjoins them with every question, so that an example
#: it gives, or a conflict it reports, is one a real case can have.
AXIOMS: DomainTable[Cond] = DomainTable(SPECS, lambda s: s.axioms)


def with_axioms(cond: Cond, facts: Mapping[str, FactSpec], domain: str) -> Cond:
    """``cond`` and the axioms of ``domain`` whose facts are in the catalogue ``facts``."""
    axiom = AXIOMS.get(domain)
    if axiom is None or not {f.removesuffix(KNOWN_SUFFIX) for f in _fields(axiom)} <= set(facts):
        return cond
    return normalise(All((cond, axiom)))


def _fields(cond: Cond) -> set[str]:
    if isinstance(cond, Leaf):
        return {cond.field}
    return {f for item in cond.items for f in _fields(item)}
