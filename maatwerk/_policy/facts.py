# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""How a fact that policy rules may read and set is described, and its engine encoding (the facts of
each domain are in its spec, :mod:`maatwerk._policy.domains`).

Input facts are flattened or derived from the case by :mod:`maatwerk._domains.facts`; output facts are
set by rules (``then.set``) and start at their default. Facts reach the rules engine encoded as
integers and strings only (durable-rules compares nothing else reliably, engine-notes.md):

- ``bool``: 1 true, 0 false, -1 unknown;
- ``money`` (whole cents), ``int``, ``date`` (proleptic ordinal): the value, with a companion
  ``<name>__known`` of 1 or 0 (an unknown value is encoded as 0 and never compared);
- ``enum``: the value, or ``""`` when unknown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

FactKind = Literal["bool", "money", "int", "date", "enum"]
PyValue = bool | int | Decimal | dt.date | str | None
Encoded = int | str

KNOWN_SUFFIX = "__known"


@dataclass(frozen=True, slots=True)
class FactSpec:
    name: str
    kind: FactKind
    description: str
    values: tuple[str, ...] = ()
    output: bool = False
    #: An input fact the case always determines (a required field, or derived without unknowns):
    #: it is never unknown. Static analysis and the case generators rely on it.
    always_known: bool = False

    @property
    def default(self) -> Encoded:
        """The encoded starting value of an output fact."""
        if self.kind == "enum":
            return ""
        return 0


def encode(spec: FactSpec, value: PyValue) -> dict[str, Encoded]:
    """The engine fields for one fact."""
    out: dict[str, Encoded] = {}
    encode_into(out, spec, value)
    return out


def encode_into(out: dict[str, Encoded], spec: FactSpec, value: PyValue) -> None:
    """Write the engine fields for one fact into ``out`` (what :func:`encode` returns, without a
    dictionary per fact: an advice encodes some forty facts)."""
    name = spec.name
    kind = spec.kind
    if kind == "bool":
        out[name] = -1 if value is None else int(bool(value))
    elif kind == "enum":
        out[name] = "" if value is None else str(value)
    elif value is None:
        out[name] = 0
        out[name + KNOWN_SUFFIX] = 0
    else:
        if kind == "money":
            assert isinstance(value, Decimal)
            out[name] = int(value * 100)
        elif kind == "date":
            assert isinstance(value, dt.date)
            out[name] = value.toordinal()
        else:
            assert isinstance(value, int)
            assert not isinstance(value, bool)
            out[name] = value
        out[name + KNOWN_SUFFIX] = 1


def fact(
    name: str,
    kind: FactKind,
    description: str,
    values: tuple[str, ...] = (),
    *,
    output: bool = False,
    always_known: bool = False,
) -> FactSpec:
    """A fact's description (positional and keyword arguments as in a catalogue)."""
    return FactSpec(name, kind, description, values, output, always_known)
