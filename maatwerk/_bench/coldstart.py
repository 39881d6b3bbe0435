# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Compile every bundled pack combination ahead of the first case (cold-start measurement).

An :class:`~maatwerk.Engine` compiles lazily: a stack (national version + municipal version) when a
case first selects it, and an engine ruleset per set of parameter values the conditions compare
with. :func:`compile_all` does all of that up front, for every valid combination of pack versions
and every date on which a compared parameter changes, so the cold-start figure includes it.
"""

from __future__ import annotations

import datetime as dt

from maatwerk._api import Engine
from maatwerk._domains.facts import encode_facts
from maatwerk._policy.loader import LoadedPack
from maatwerk._policy.stack import Stack

__all__ = ["compile_all"]


def _combinations(engine: Engine) -> list[tuple[LoadedPack, LoadedPack | None]]:
    packs = engine.policies.packs
    nationals = [v for vs in packs.values() for v in vs if v.file.pack.layer == "national"]
    municipals = [v for vs in packs.values() for v in vs if v.file.pack.layer == "municipal"]
    out: list[tuple[LoadedPack, LoadedPack | None]] = []
    for national in nationals:
        out.append((national, None))
        for municipal in municipals:
            same_domain = municipal.file.pack.domain == national.file.pack.domain
            base = getattr(municipal.file.pack, "base", None)  # a municipal pack may name its national pack
            if same_domain and base in (None, national.id):
                out.append((national, municipal))
    return out


def _change_days(stack: Stack) -> list[dt.date]:
    """Every day on which a parameter that a condition compares with takes a new value."""
    start = max(p.valid_from for p in stack.packs)
    days = {start}
    for name in stack.condition_params:
        _, param = stack.parameters[name]
        days.update(v.from_ for v in param.values if v.from_ > start)
    return sorted(days)


def compile_all(engine: Engine) -> int:
    """Compile every pack combination and every engine ruleset the bundled packs can need; returns
    the number of distinct (stack, parameter values) rulesets compiled."""
    compiled: set[tuple[str, object]] = set()
    for national, municipal in _combinations(engine):
        stack = engine.policies.stack(national, municipal)
        inputs = {name: None for name, spec in stack.facts.items() if not spec.output}
        fact = encode_facts(stack.facts, inputs)
        days = _change_days(stack)
        for conduct in days:
            for decision in days:
                if decision < conduct:
                    continue
                key = stack.condition_key(stack.resolve_params(conduct, decision))
                if (stack.key, key) not in compiled:
                    engine._evaluator.evaluate(stack, key, fact)  # builds and caches the ruleset
                    compiled.add((stack.key, key))
    return len(compiled)
