"""The evaluation loop shared by both evaluators: one stratum (level) at a time.

Rules of one level read only facts that lower levels can set, so the set of rules that fire on a
level does not depend on the order in which they run. After a level, the outputs of the rules that
fired are applied, and the next level sees them. Two rules of one level that set the same output
to different values are a defect in the policy: an :class:`~maatwerk.errors.EngineError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from maatwerk._policy.facts import Encoded
from maatwerk._policy.stack import Stack
from maatwerk.errors import EngineError

ConditionKey = tuple[tuple[str, Encoded], ...]


@dataclass(frozen=True, slots=True)
class Trace:
    """Which rules fired, in (level, definition) order, and the final fact they produced."""

    fired: tuple[str, ...]
    fact: Mapping[str, Encoded]


class Evaluator(Protocol):
    name: str

    def evaluate(self, stack: Stack, key: ConditionKey, fact: Mapping[str, Encoded]) -> Trace: ...


def run_levels(
    stack: Stack, fact0: Mapping[str, Encoded], fire: Callable[[int, Mapping[str, Encoded]], set[str]]
) -> Trace:
    fact = dict(fact0)
    fired_all: list[str] = []
    for level, on_level in enumerate(stack.rules_by_level):
        names = fire(level, fact)
        rules = [r for r in on_level if r.id in names]
        unknown = names - {r.id for r in rules}
        if unknown:
            raise EngineError(f"the engine reported rules that are not on level {level}: {', '.join(sorted(unknown))}")
        setters: dict[str, tuple[str, Encoded]] = {}
        for rule in rules:
            for name, value in rule.sets:
                prev = setters.get(name)
                if prev is not None and prev[1] != value:
                    raise EngineError(
                        f"rules {prev[0]} and {rule.id} ({rule.pack_id} {rule.pack_version}) set {name} to "
                        f"different values on the same case",
                        hint="Make one rule an exception_to the other in the policy pack.",
                    )
                setters[name] = (rule.id, value)
        for name, (_, value) in setters.items():
            fact[name] = value
        fired_all.extend(r.id for r in rules)
    return Trace(tuple(fired_all), fact)
