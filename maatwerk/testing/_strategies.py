# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Hypothesis strategies for maatwerk cases: ``cases()``, ``provider_cases()`` and ``from_policy()``.

The recipes live in :mod:`maatwerk._tools.generate` (shared with ``maatwerk diff --generate`` and the
benchmark); this module hands Hypothesis' ``draw`` to them, so Hypothesis chooses every value and
can shrink a failing case. Options are keyword-only; a bad argument raises
:class:`hypothesis.errors.InvalidArgument` at once, saying what is allowed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from maatwerk._policy.conditions import resolve
from maatwerk._policy.loader import LoadedPack
from maatwerk._policy.solve import expand_outputs, input_domains, solutions, with_axioms
from maatwerk._policy.stack import PolicySet, Stack
from maatwerk._tools.generate import (
    FIRST_DECISION,
    LAST_DECISION,
    Aim,
    Targets,
    benefit_case,
    provider_case,
    window_problem,
)
from maatwerk.errors import PolicySelectionError

__all__ = ["cases", "from_policy", "provider_cases"]

T = TypeVar("T")

Case = dict[str, Any]

#: How many ways (disjunctive branches) to reach one rule are kept per rule.
TERMS_PER_RULE = 8
#: How far after a version's first day ``from_policy`` decides cases by default (about three years).
DEFAULT_SPAN = dt.timedelta(days=1035)


class _HypothesisDraw:
    """The :class:`~maatwerk._tools.generate.Draw` of a recipe, answered by Hypothesis."""

    def __init__(self, draw: st.DrawFn) -> None:
        self._draw = draw

    def integer(self, low: int, high: int) -> int:
        return self._draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return self._draw(st.sampled_from(options))


def _check_dates(name: str, value: object) -> tuple[dt.date, dt.date]:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in value)
    ):
        raise InvalidArgument(f"{name} must be a pair of datetime.date (first, last), not {value!r}")
    first, last = value
    problem = window_problem(first, last)
    if problem is not None:
        raise InvalidArgument(f"{name}: {problem}")
    return first, last


def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name} must be True or False, not {value!r}")
    return value


def cases(
    *, fineable: bool = False, decided_between: tuple[dt.date, dt.date] = (FIRST_DECISION, LAST_DECISION)
) -> st.SearchStrategy[Case]:
    """Valid benefit cases (Participatiewet, IOAW, IOAZ, Bbz) as JSON-ready dicts.

    Every law, every culpability level (and none confirmed), amounts from €0 to €200.000, every way
    of detection with a consistent self-report, sanction history, finances and unknown facts;
    dates consistent, decisions between the two days of ``decided_between`` (default 2024-01-01 to
    2026-11-01, where the bundled Lansingerland pack applies). ``fineable=True`` draws only cases
    that pass every gate: established, recent, a confirmed level, below the prosecutor's threshold,
    no urgent reasons found. Give a case to :meth:`maatwerk.Engine.advise` as it is, or parse it
    with :func:`maatwerk.parse_case`.
    """
    fine = _check_bool("fineable", fineable)
    window = _check_dates("decided_between", decided_between)

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        return benefit_case(_HypothesisDraw(draw), fineable=fine, decisions=window)

    return build()


def provider_cases(
    *, decided_between: tuple[dt.date, dt.date] = (FIRST_DECISION, LAST_DECISION)
) -> st.SearchStrategy[Case]:
    """Valid care-provider cases (``"domain": "providers"``; Wmo 2015 and Jeugdwet) as JSON-ready dicts:
    every violation kind, every risk and response fact known or unknown, earlier measures for the
    same or another standard, any contract, decisions between the days of ``decided_between``."""
    window = _check_dates("decided_between", decided_between)

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        return provider_case(_HypothesisDraw(draw), decisions=window)

    return build()


# --- from_policy ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How ``from_policy`` reaches every rule: per rule, the fact values that make it fire."""

    domain: str
    law: str | None
    window: tuple[dt.date, dt.date]
    aim: Aim
    targets: dict[str, tuple[Targets, ...]]
    unreachable: tuple[str, ...]


class _Auto:
    def __repr__(self) -> str:
        return "AUTO"


AUTO: Any = _Auto()


def _pack_versions(policies: PolicySet, pack: str | os.PathLike[str]) -> tuple[tuple[LoadedPack, ...], LoadedPack]:
    """The versions of the pack ``pack`` names, and the version meant (a file: that one; an id: the newest)."""
    if isinstance(pack, str) and not pack.endswith(".yaml") and os.sep not in pack and "/" not in pack:
        versions = policies.packs.get(pack)
        if versions is None:
            known = ", ".join(sorted(policies.packs))
            raise InvalidArgument(f"no pack {pack!r} in this policy folder; known: {known}")
        return versions, versions[-1]
    path = Path(pack).resolve()
    for versions in policies.packs.values():
        for version in versions:
            if Path(version.path).resolve() == path:
                return versions, version
    raise InvalidArgument(
        f"{pack} is not a pack version in force in this policy folder "
        "(give a pack id, or the path of a <valid_from>.yaml file under the policies folder)"
    )


def plan_for(
    pack: str | os.PathLike[str],
    *,
    policies: str | os.PathLike[str] | None = None,
    municipality: str | None = AUTO,
    decided_between: tuple[dt.date, dt.date] | None = None,
) -> Plan:
    """The targets that reach each rule of the stack ``pack`` forms (see :func:`from_policy`)."""
    from maatwerk._api import default_policy_dir

    if not isinstance(pack, str | os.PathLike):
        raise InvalidArgument(f"pack must be a pack id or the path of a pack file, not {pack!r}")
    if policies is not None and not isinstance(policies, str | os.PathLike):
        raise InvalidArgument(f"policies must be the path of a policy folder, not {policies!r}")
    if policies is None:
        given = Path(pack)
        root = given.resolve().parents[2] if given.suffix == ".yaml" and given.is_file() else default_policy_dir()
    else:
        root = Path(policies)
    if not root.is_dir():
        raise InvalidArgument(f"policies: {root} is not a folder")
    if municipality is not AUTO and municipality is not None and not isinstance(municipality, str):
        raise InvalidArgument(
            f"municipality must be a name, None (national law only) or left out, not {municipality!r}"
        )
    key = (str(root.resolve()), _fingerprint(root), str(pack), repr(municipality), decided_between)
    found = _PLANS.get(key)
    if found is None:
        found = _PLANS[key] = _plan_for(root, pack, municipality, decided_between)
    return found


#: Plans by folder (and the state of its files), pack and options: strategies are often made per test.
_PLANS: dict[tuple[Any, ...], Plan] = {}


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """The pack files of a folder with their modification time and size (a plan is redone when one changes)."""
    out = []
    for path in sorted(root.rglob("*.yaml")):
        stat = path.stat()
        out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


def _plan_for(
    root: Path, pack: str | os.PathLike[str], municipality: str | None, decided_between: tuple[dt.date, dt.date] | None
) -> Plan:
    policy_set = PolicySet.from_directory(root)
    versions, version = _pack_versions(policy_set, pack)
    head = version.file.pack
    if municipality is AUTO:
        municipality = head.municipality if head.layer == "municipal" else None
    elif municipality is not None and not isinstance(municipality, str):
        raise InvalidArgument(
            f"municipality must be a name, None (national law only) or left out, not {municipality!r}"
        )
    index = versions.index(version)
    last = version.file.pack.valid_until
    if index + 1 < len(versions):
        following = versions[index + 1].valid_from - dt.timedelta(days=1)
        last = following if last is None else min(last, following)
    if decided_between is None:
        default_last = version.valid_from + DEFAULT_SPAN
        window = (version.valid_from, default_last if last is None else min(last, default_last))
    else:
        window = _check_dates("decided_between", decided_between)
        if window[0] < version.valid_from or (last is not None and window[1] > last):
            raise InvalidArgument(
                f"decided_between: {version.id}@{version.version} applies from {version.valid_from}"
                + (f" to {last}" if last is not None else "")
                + f"; {window[0]} .. {window[1]} is outside it"
            )
    law: str | None = head.laws[0] if head.laws else None
    if head.layer == "municipal" and head.base is not None:
        base = policy_set.packs.get(head.base)
        if base and base[0].file.pack.laws:
            law = base[0].file.pack.laws[0]
    day = window[0]
    try:
        stack = policy_set.select(head.domain, municipality, day, day, law=law).decision
    except PolicySelectionError as err:
        raise InvalidArgument(f"the packs do not apply on {day}: {err.message}") from None
    return _plan(stack, head.domain, law, window)


def _plan(stack: Stack, domain: str, law: str | None, window: tuple[dt.date, dt.date]) -> Plan:
    day = window[0]
    params = stack.resolve_params(day, day)
    key = dict(stack.condition_key(params))
    rules = [(r.condition, r.sets) for r in stack.rules]
    # A provider violation is found on or before the decision, so never after the window's last day.
    bounds = (
        {
            "decision_date": (window[0].toordinal(), window[1].toordinal()),
            "violation_found_on": (None, window[1].toordinal()),
        }
        if domain == "providers"
        else None
    )
    domains = input_domains(stack.facts, bounds=bounds)
    targets: dict[str, tuple[Targets, ...]] = {}
    unreachable = []
    for rule in stack.rules:
        cond = resolve(with_axioms(expand_outputs(rule.condition, rules, stack.facts), stack.facts, domain), key)
        found = tuple(
            {name: c for name, c in store.items() if c != domains[name] and not stack.facts[name].output}
            for store in solutions(cond, domains, limit=TERMS_PER_RULE)
        )
        if found:
            targets[rule.id] = found
        else:
            unreachable.append(rule.id)
    return Plan(domain, law, window, Aim.from_params(params, stack.declared), targets, tuple(unreachable))


def from_policy(
    pack: str | os.PathLike[str],
    *,
    policies: str | os.PathLike[str] | None = None,
    municipality: str | None = AUTO,
    decided_between: tuple[dt.date, dt.date] | None = None,
    rules: Collection[str] | None = None,
) -> st.SearchStrategy[Case]:
    """Valid cases that reach every rule of a policy pack.

    ``pack`` is a pack id (``"lansingerland-benefits"``: its newest version) or the path of a pack
    version file (``"policies/benefits/lansingerland-benefits/2024-01-01.yaml"``). ``policies`` is
    the policy folder (default: the folder the file lies in, or the bundled ``policies/``).
    ``municipality`` defaults to the pack's own (a national pack: national law only).
    ``decided_between`` (first, last) must lie within the version's validity; by default cases are
    decided in about three years from its first day.

    Each example aims at one rule of the stack the version forms (its own rules and those of the
    pack it layers on): the strategy solves the rule's condition, exceptions included, for the
    facts that make it fire and draws a case whose fields give those facts. A rule that can fire on
    no case decided in the window is left out; :func:`unreachable_rules` lists them.

    ``rules`` aims at these rule ids only (e.g. the rules a change touches); each must be a rule of
    the stack that a case decided in the window can make fire.
    """
    plan = plan_for(pack, policies=policies, municipality=municipality, decided_between=decided_between)
    rule_ids = sorted(plan.targets)
    if rules is not None:
        if isinstance(rules, str) or not all(isinstance(r, str) for r in rules):
            raise InvalidArgument(f"rules must be a collection of rule ids, not {rules!r}")
        for rule in rules:
            if rule in plan.unreachable:
                raise InvalidArgument(
                    f"rule {rule!r} can fire on no case decided in {plan.window[0]} .. {plan.window[1]}"
                )
            if rule not in plan.targets:
                raise InvalidArgument(f"no rule {rule!r} in the stack of {pack}; known: {', '.join(rule_ids)}")
        rule_ids = sorted(set(rules))
    if not rule_ids:
        raise InvalidArgument(f"no rule of {pack} can fire on a case decided in {plan.window[0]} .. {plan.window[1]}")

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        rule = draw(st.sampled_from(rule_ids))
        targets = draw(st.sampled_from(plan.targets[rule]))
        source = _HypothesisDraw(draw)
        if plan.domain == "providers":
            case = provider_case(source, decisions=plan.window, targets=targets, aim=plan.aim)
            if plan.law is not None:
                case["law"] = plan.law
            return case
        return benefit_case(source, decisions=plan.window, targets=targets, aim=plan.aim)

    return build()


def unreachable_rules(
    pack: str | os.PathLike[str],
    *,
    policies: str | os.PathLike[str] | None = None,
    municipality: str | None = AUTO,
    decided_between: tuple[dt.date, dt.date] | None = None,
) -> tuple[str, ...]:
    """The rules of the stack ``pack`` forms that no case decided in the window can make fire (the
    ones :func:`from_policy` leaves out; ``maatwerk check`` explains why)."""
    return plan_for(pack, policies=policies, municipality=municipality, decided_between=decided_between).unreachable
