# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
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
from maatwerk.errors import EngineError, MaatwerkError, Problem

ConditionKey = tuple[tuple[str, Encoded], ...]


class RuleFault(Exception):  # noqa: N818  (not an error of its own: always turned into an EngineError)
    """An evaluator failed while it handled one rule (matching it, or reporting it as fired); the
    loop turns it into an :class:`EngineError` naming the rule, its pack and its place in the file."""

    def __init__(self, rule_id: str) -> None:
        super().__init__(rule_id)
        self.rule_id = rule_id


def _packs(stack: Stack) -> str:
    return ", ".join(f"{p.id}@{p.version}" for p in stack.packs)


def rule_failed(stack: Stack, rule_id: str, level: int, cause: BaseException) -> EngineError:
    """The error for a failure while evaluating one rule: names the rule, its pack and where it is
    written. The cause's type is named, not its text (which may quote the case); it stays chained."""
    rule = next((r for r in stack.rules if r.id == rule_id), None)
    pack = f"{rule.pack_id}@{rule.pack_version}" if rule is not None else _packs(stack)
    where = rule.where if rule is not None else pack
    return EngineError(
        f"rule {rule_id} of {pack} failed on level {level}: {type(cause).__name__}; no advice was given",
        problems=(Problem(where, "ENGINE_RULE_FAILED", f"rule {rule_id} ({pack})"),),
    )


def engine_failed(stack: Stack, level: int, cause: BaseException) -> EngineError:
    """The error for a failure of the rules engine itself on a level (no one rule to blame)."""
    detail = cause.message if isinstance(cause, MaatwerkError) else type(cause).__name__
    return EngineError(
        f"the rules engine failed on level {level} with {_packs(stack)}: {detail}; no advice was given",
        problems=tuple(
            Problem(f"{p.id}@{p.version}", "ENGINE_LEVEL_FAILED", f"level {level} of this stack") for p in stack.packs
        ),
    )


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
        try:
            names = fire(level, fact)
        except RuleFault as fault:
            raise rule_failed(stack, fault.rule_id, level, fault.__cause__ or fault) from fault.__cause__
        except Exception as err:
            raise engine_failed(stack, level, err) from err
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
