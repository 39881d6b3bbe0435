# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The plain-Python reference evaluator: the test oracle for the durable-rules path."""

from __future__ import annotations

from collections.abc import Mapping

from maatwerk._engine.core import ConditionKey, RuleFault, Trace, run_levels
from maatwerk._policy.conditions import Cond, evaluate, resolve
from maatwerk._policy.facts import Encoded
from maatwerk._policy.stack import Stack


class ReferenceEvaluator:
    """Evaluates each rule's condition directly, level by level."""

    name = "reference"

    def __init__(self) -> None:
        self._resolved: dict[tuple[str, ConditionKey], tuple[tuple[int, str, Cond], ...]] = {}

    def _rules(self, stack: Stack, key: ConditionKey) -> tuple[tuple[int, str, Cond], ...]:
        cache_key = (stack.key, key)
        found = self._resolved.get(cache_key)
        if found is None:
            values = dict(key)
            found = tuple((r.level, r.id, resolve(r.condition, values)) for r in stack.rules)
            self._resolved[cache_key] = found
        return found

    def evaluate(self, stack: Stack, key: ConditionKey, fact: Mapping[str, Encoded]) -> Trace:
        rules = self._rules(stack, key)

        def fire(level: int, current: Mapping[str, Encoded]) -> set[str]:
            fired = set()
            for lvl, rid, cond in rules:
                if lvl != level:
                    continue
                try:
                    matched = evaluate(cond, current)
                except Exception as err:
                    raise RuleFault(rid) from err
                if matched:
                    fired.add(rid)
            return fired

        return run_levels(stack, fact, fire)
