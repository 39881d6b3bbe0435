# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Hypothesis strategies for hostile case input: raw JSON text that the json module would never
write, and valid cases broken in one place.

``hostile_inputs()`` draws bytes to hand to the library, the CLI or the service. It mixes:

- a valid benefit or provider case with one field replaced by a hostile value (wrong JSON type, a
  huge, tiny or exponent number, NaN, Infinity, a long or odd unicode string, deep nesting), a field
  removed, an unknown or protected field added, or a key given twice;
- free-form JSON trees of hostile values;
- bulk: megabytes of padding, deep nesting, input just over the size limit, invalid UTF-8.

Every string value it places may carry :data:`CANARY`, so a test can check that no error text
repeats a value of the case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from conftest import benefit_cases, provider_cases, valid_case
from hypothesis import strategies as st

#: A marker placed in string values: it must never appear in an error text or a log line.
CANARY = "zq-canary-7731"

#: Codes a CaseError's problems may carry (stable: integrators switch on them).
CASE_PROBLEM_CODES = frozenset(
    {
        "CASE_TOO_LARGE",
        "CASE_JSON",
        "CASE_DUPLICATE_KEY",
        "CASE_NOT_OBJECT",
        "CASE_TOO_DEEP",
        "PROTECTED_CHARACTERISTIC",
        "CASE_INVALID_VALUE",
        "CASE_UNKNOWN_FIELD",
        "CASE_MISSING_FIELD",
    }
)


class Raw(str):
    """A JSON token written exactly as given (a number json.dumps would never write, NaN)."""


@dataclass(frozen=True)
class Obj:
    """A JSON object as a list of pairs, so that a key can be given twice."""

    pairs: tuple[tuple[str, Any], ...]


def render(value: Any) -> str:
    """JSON text for a tree of dicts, lists, :class:`Obj`, :class:`Raw` tokens and plain values.
    Strings keep non-ASCII characters (and lone surrogates, which become invalid UTF-8 bytes)."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, Obj):
        return "{" + ",".join(f"{render(str(k))}:{render(v)}" for k, v in value.pairs) + "}"
    if isinstance(value, dict):
        return render(Obj(tuple(value.items())))
    if isinstance(value, list | tuple):
        return "[" + ",".join(render(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


class Payload(bytes):
    """Input bytes that show only their start and length when a failing example is reported."""

    def __repr__(self) -> str:
        head = bytes(self[:200])
        return f"Payload({head!r}{'...' if len(self) > 200 else ''}, {len(self)} bytes)"


def to_bytes(text: str) -> Payload:
    return Payload(text.encode("utf-8", errors="surrogatepass"))


NUMBER_TOKENS = (
    "0",
    "-0",
    "-0.0",
    "1e400",
    "-1e400",
    "1e-400",
    "1E+20",
    "1e-05",
    "2.5e3",
    "0e0",
    "2480.005",
    "2480.000",
    "0.000000001",
    "123456789012345678901234567890",
    "9" * 4301,  # over Python's limit for converting digits to an int
    "9" * 400 + ".5",
    "NaN",
    "Infinity",
    "-Infinity",
)
STRING_VALUES = (
    "",
    " ",
    "\x00",
    "\u202e",
    "\ud800",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "2026-03-02T00:00:00",
    "2480,00",
    "1_000",
    "\uff11\uff12\uff13",
    "\u0663",
    "+5",
    "true",
    "null",
    "NaN",
    "1e5",
    CANARY,
    CANARY + "\u00e9\U0001f600",
)
#: Keys the case format knows, and some it refuses (protected characteristics).
FIELD_NAMES = (
    "domain",
    "law",
    "decision_date",
    "violation",
    "benefit_loss",
    "net",
    "gross",
    "culpability",
    "confirmed",
    "history",
    "procedure",
    "limitation_suspended_days",
    "finances",
    "monthly_norm",
    "provider",
    "risk",
    "clients_affected",
    "case_ref",
)
PROTECTED = ("nationaliteit", "gender", "Postcode", " leeftijd ", "geboortedatum", "religion")

numbers = st.one_of(
    st.sampled_from(NUMBER_TOKENS).map(Raw),
    st.integers(min_value=-(10**40), max_value=10**40).map(lambda i: Raw(str(i))),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: Raw(repr(f))),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).map(lambda d: Raw(str(d))),
)
strings = st.one_of(
    st.sampled_from(STRING_VALUES),
    st.text(max_size=40).map(lambda t: CANARY + t),
    st.integers(min_value=1, max_value=5000).map(lambda n: CANARY + "\u00e9" * n),
)
leaves = st.one_of(st.none(), st.booleans(), numbers, strings)


def objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Obj]:
    keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=12))
    return st.lists(st.tuples(keys, children), max_size=6).map(lambda pairs: Obj(tuple(pairs)))


trees = st.recursive(leaves, lambda kids: st.one_of(st.lists(kids, max_size=5), objects(kids)), max_leaves=25)
#: A value that does not belong where it is put: any JSON type, odd numbers, nesting.
hostile_values = st.one_of(
    leaves,
    trees,
    st.integers(min_value=1, max_value=3000).map(lambda n: Raw("[" * n + "]" * n)),
)


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every dict and list in a JSON tree (the root included)."""
    out = []
    if isinstance(value, dict | list):
        out.append(path)
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            out.extend(_containers(child, (*path, key)))
    return out


def _at(tree: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        tree = tree[key]
    return tree


@st.composite
def broken_cases(draw: st.DrawFn) -> Any:
    """A valid case, broken in one place (or, now and then, left whole)."""
    case: dict[str, Any] = draw(st.one_of(st.just(valid_case()), benefit_cases(), provider_cases()))
    target = _at(case, draw(st.sampled_from(_containers(case))))
    how = draw(st.sampled_from(("replace", "replace", "replace", "remove", "unknown", "protected", "twice", "whole")))
    if isinstance(target, list):
        if not target or how in ("remove", "unknown", "protected", "twice"):
            target.append(draw(hostile_values))
        else:
            target[draw(st.integers(0, len(target) - 1))] = draw(hostile_values)
        return case
    keys = sorted(target)
    if how == "replace" and keys:
        target[draw(st.sampled_from(keys))] = draw(hostile_values)
    elif how == "remove" and keys:
        del target[draw(st.sampled_from(keys))]
    elif how == "unknown":
        target[draw(st.text(min_size=1, max_size=12)) + "_x"] = draw(leaves)
    elif how == "protected":
        target[draw(st.sampled_from(PROTECTED))] = draw(leaves)
    elif how == "twice" and keys:
        key = draw(st.sampled_from(keys))
        pairs = [*target.items(), (key, draw(hostile_values))]
        target.clear()
        return _replace_twice(case, target, Obj(tuple(pairs)))
    return case


def _replace_twice(case: Any, emptied: dict[str, Any], obj: Obj) -> Any:
    """``case`` with the (emptied) dict ``emptied`` replaced by ``obj``, wherever it sits."""
    if case is emptied:
        return obj
    if isinstance(case, dict):
        return {k: _replace_twice(v, emptied, obj) for k, v in case.items()}
    if isinstance(case, list):
        return [_replace_twice(v, emptied, obj) for v in case]
    return case


@st.composite
def bulk_inputs(draw: st.DrawFn) -> Payload:
    """Large or odd input as a whole: padding up to past the size limit, deep nesting, bad bytes."""
    base = render(valid_case())
    kind = draw(st.sampled_from(("padding", "nesting", "bytes", "not_object", "many_keys")))
    if kind == "padding":
        size = draw(st.sampled_from((10_000, 500_000, 999_000, 1_000_001, 2_500_000)))
        chunk = draw(st.sampled_from(("a", "\u00e9", CANARY)))
        return to_bytes(base[:-1] + f', "padding": "{chunk * (size // len(chunk))}"' + "}")
    if kind == "nesting":
        depth = draw(st.sampled_from((100, 1_000, 100_000, 400_000)))
        opener, closer = draw(st.sampled_from((("[", "]"), ('{"a":', "}"))))
        inner = "1" if opener != "[" else ""
        return to_bytes(base[:-1] + ', "deep": ' + opener * depth + inner + closer * depth + "}")
    if kind == "bytes":
        odd = (b"\xff\xfe", b'{"law": "\xff"}', b"\xef\xbb\xbf" + base.encode(), b"", b"\x00")
        return Payload(draw(st.sampled_from(odd)))
    if kind == "not_object":
        return to_bytes(draw(st.sampled_from(("[]", "null", "1", '"x"', "true", f"[{base}]"))))
    count = draw(st.sampled_from((1_000, 50_000)))
    return to_bytes("{" + ",".join(f'"k{i}": {i}' for i in range(count)) + "}")


def hostile_inputs() -> st.SearchStrategy[Payload]:
    """Raw case input in bytes: mostly broken valid cases, some free-form trees, some bulk."""
    return st.one_of(
        broken_cases().map(lambda c: to_bytes(render(c))),
        broken_cases().map(lambda c: to_bytes(render(c))),
        trees.map(lambda t: to_bytes(render(t))),
        bulk_inputs(),
    )
