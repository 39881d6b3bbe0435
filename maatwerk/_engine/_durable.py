# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The one module that imports durable-rules.

How it is driven, and why (engine-notes.md):

- The package's C module is called directly: the public ``Host`` starts timer threads that
  segfault under concurrent use, and its Python wrapper doubles the cost per case.
- Each case is asserted as a *fact* (not an event) in a fresh session, one fact per level with a
  ``level`` field, so rules of a level see only that level's fact and negation needs no timing.
- Actions carry no Python code: the engine only reports which rules matched, and the shared loop
  (:mod:`maatwerk._engine.core`) applies their outputs. Nothing can be swallowed in an action;
  any error from the engine becomes an :class:`~maatwerk.errors.EngineError`.
- The session is deleted in ``finally`` (at most 1024 live sessions per ruleset).
- One lock per ruleset: the C core is not safe for concurrent calls on one ruleset.
- Each compiled stack and parameter context gets its own uniquely named ruleset, created once.
- A level's fact carries only the fields that level's conditions compare (plus ``sid`` and
  ``level``): the same rules match, and the engine parses, and copies into every action it
  reports, a few dozen fields instead of the whole case. The fired rule's name is read from the
  action text without decoding the fact in it.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import threading
from collections.abc import Mapping
from typing import Any

import durable_rules_engine as _dre
import orjson

from maatwerk._engine.core import ConditionKey, RuleFault, Trace, run_levels
from maatwerk._policy.conditions import FALSE, TRUE, Cond, Leaf, resolve, to_durable
from maatwerk._policy.facts import Encoded
from maatwerk._policy.stack import Stack
from maatwerk.errors import EngineError

__all__ = ["DurableEvaluator", "engine_version"]

_counter = itertools.count()
SENTINEL = "sentinel_level_"
_registry_lock = threading.Lock()


def engine_version() -> str:
    from importlib.metadata import version

    return f"durable-rules {version('durable-rules')}"


class _Ruleset:
    def __init__(
        self, name: str, definition: dict[str, Any], names: dict[str, str], reads: tuple[tuple[str, ...], ...]
    ) -> None:
        self.name = name
        self.names = names  # engine rule name -> rule id
        self.reads = reads  # per level: the fact fields that the level's conditions compare
        self.lock = threading.Lock()
        try:
            self.handle = _dre.create_ruleset(name, json.dumps(definition, ensure_ascii=False))
        except Exception as err:  # the C module raises plain Exception
            raise EngineError(f"durable-rules refused ruleset {name}: {err}") from err


def _leaves(cond: Cond) -> set[str]:
    """The encoded fields a resolved condition compares (``__known`` companions included)."""
    if isinstance(cond, Leaf):
        return {cond.field}
    out: set[str] = set()
    for item in cond.items:
        out |= _leaves(item)
    return out


def _definition(stack: Stack, key: ConditionKey) -> tuple[dict[str, Any], dict[str, str], tuple[tuple[str, ...], ...]]:
    values = dict(key)
    definition: dict[str, Any] = {}
    names: dict[str, str] = {}
    reads: list[set[str]] = [set() for _ in range(stack.levels)]
    for i, rule in enumerate(stack.rules):
        cond = resolve(rule.condition, values)
        if cond == FALSE:
            continue
        reads[rule.level] |= _leaves(cond)
        level_test: dict[str, Any] = {"level": rule.level}
        pattern = level_test if cond == TRUE else {"$and": [level_test, to_durable(cond)]}
        engine_name = f"r{i}"
        names[engine_name] = rule.id
        definition[engine_name] = {"all": [{"m": pattern}], "pri": rule.level}
    # One always-matching sentinel per level. A session in which nothing ever matched crashes
    # durable-rules in delete_state (a segfault, measured); with the sentinel every session takes
    # the same matched-action path. Sentinels are reported by the engine and then dropped.
    for level in range(stack.levels):
        definition[f"{SENTINEL}{level}"] = {"all": [{"m": {"level": level}}], "pri": level}
    return definition, names, tuple(tuple(sorted(r)) for r in reads)


class DurableEvaluator:
    """Evaluates a compiled stack with durable-rules."""

    name = "durable-rules"

    def __init__(self) -> None:
        self._rulesets: dict[tuple[str, ConditionKey], _Ruleset] = {}

    def _ruleset(self, stack: Stack, key: ConditionKey) -> _Ruleset:
        cache_key = (stack.key, key)
        found = self._rulesets.get(cache_key)
        if found is not None:
            return found
        with _registry_lock:
            found = self._rulesets.get(cache_key)
            if found is None:
                definition, names, reads = _definition(stack, key)
                digest = hashlib.sha256(repr(cache_key).encode()).hexdigest()[:16]
                name = f"maatwerk_{digest}_{os.getpid()}_{next(_counter)}"
                found = _Ruleset(name, definition, names, reads)
                self._rulesets[cache_key] = found
        return found

    def evaluate(self, stack: Stack, key: ConditionKey, fact: Mapping[str, Encoded]) -> Trace:
        rs = self._ruleset(stack, key)
        sid = f"s{next(_counter)}"
        with rs.lock:
            try:

                def fire(level: int, current: Mapping[str, Encoded]) -> set[str]:
                    return self._fire(rs, sid, level, current)

                return run_levels(stack, fact, fire)
            finally:
                with contextlib.suppress(Exception):
                    _dre.delete_state(rs.handle, sid)

    @staticmethod
    def _fire(rs: _Ruleset, sid: str, level: int, current: Mapping[str, Encoded]) -> set[str]:
        # Only the fields this level's conditions compare: the engine matches the same rules on
        # them, and parses (and copies into every action) a few dozen fields instead of them all.
        message: dict[str, Encoded] = {name: current[name] for name in rs.reads[level]}
        message["sid"] = sid
        message["level"] = level
        fired: set[str] = set()
        rule_id: str | None = None  # the rule whose action the engine reported last
        unstarted: Any = None  # the engine's state for this session while its actions are not yet started
        try:
            result = _dre.assert_fact(rs.handle, _dumps(message))
            unstarted = state_handle = result[1]
            if result[0] == 2:
                raise EngineError(f"durable-rules saw this fact before in session {sid} (level {level})")
            if result[0] not in (0, 1, 3):
                raise EngineError(f"durable-rules returned status {result[0]} on level {level}")
            started = _dre.start_action_for_state(rs.handle, state_handle)
            unstarted = None
            pending = None if not started else started[1]
            while pending:
                engine_name = _rule_name(pending)
                rule_id = rs.names.get(engine_name)  # None for a sentinel
                if rule_id is not None:
                    fired.add(rule_id)
                elif not engine_name.startswith(SENTINEL):
                    raise EngineError(f"durable-rules reported an unknown rule {engine_name!r}")
                pending = _dre.complete_and_start_action(rs.handle, state_handle)
        except EngineError:
            _settle(rs, unstarted)
            raise
        except Exception as err:
            _settle(rs, unstarted)
            if rule_id is not None:  # failed while completing this rule's action
                raise RuleFault(rule_id) from err
            raise EngineError(f"durable-rules failed on level {level} of ruleset {rs.name}: {err}") from err
        return fired


def _dumps(message: Mapping[str, Encoded]) -> str:
    """The fact as JSON text for the engine: orjson (compact, UTF-8 as is), or the standard library
    for what orjson refuses (a whole number beyond 64 bits), so the engine gets the same values."""
    try:
        return orjson.dumps(message).decode()
    except orjson.JSONEncodeError:
        return json.dumps(message, ensure_ascii=False, check_circular=False)


def _settle(rs: _Ruleset, state_handle: Any) -> None:
    """Start the actions of a session that failed before it started them, so that ``delete_state``
    can remove it: deleting a session whose matched actions were never started segfaults when no
    action has yet been started on its ruleset (measured: an error on the first case of a new
    ruleset took the process down)."""
    if state_handle is not None:
        with contextlib.suppress(Exception):
            _dre.start_action_for_state(rs.handle, state_handle)


def _rule_name(action: str) -> str:
    """The rule of a pending action, ``{"<rule>": {"m": <the matched fact>}}``, without decoding it.

    An action names exactly one rule (durable's own host reads only the first key, too), and the
    rule names are ours (``r<n>``, ``sentinel_level_<n>``: no quotes or escapes). Decoding the
    whole action would parse the full fact back for every rule that fires, about a third of the
    engine's time per case, only to read this name.
    """
    end = action.find('"', 2)
    if not action.startswith('{"') or end < 0:
        raise EngineError(f"durable-rules returned an action in an unknown form: {action[:60]!r}")
    return action[2:end]
