# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What a policy change does to a population of cases: ``maatwerk diff`` and ``maatwerk coverage``.

A *population* is a list of cases: read from a JSON Lines file (one case per line), or generated
with the shared recipe of :mod:`maatwerk._tools.generate` from a seed (case ``i`` is drawn from its own
``Random(f"{seed}/{i}")``, so it is the same for any population size and any number of processes).

Every case is advised by one engine per policy folder (coverage: one; diff: old and new). The work
runs in spawned worker processes, each building its own engines, the same pattern as
:meth:`maatwerk.Engine.advise_many` (durable-rules is not fork-safe; engine-notes.md), but a worker
returns a compact outcome per case (measure, amount, the rules that fired) instead of whole
advices, and the calling process only adds up. When both folders select the same pack versions
for a case, its advice cannot differ: it is advised once.

The report is data (frozen pydantic models, money as decimal strings): :mod:`maatwerk._tools.impact_report`
renders it as a terminal table, JSON and a self-contained HTML page.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import random
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from maatwerk._api import Engine, parse_case
from maatwerk._domains.benefits import RANK
from maatwerk._domains.providers import rungs as ladder_rungs
from maatwerk._policy.stack import PolicySet
from maatwerk._tools.generate import RandomDraw, benefit_case, provider_case
from maatwerk.errors import CaseError, MaatwerkError, Problem
from maatwerk.models._base import Frozen, Money

__all__ = [
    "CHANGE_KINDS",
    "CoverageReport",
    "DiffReport",
    "Population",
    "Side",
    "coverage",
    "diff",
    "read_cases",
]

START_METHOD = "spawn"
CHUNK = 250
EXAMPLES_PER_KIND = 3
CHANGE_KINDS = ("unchanged", "lighter", "heavier", "other")
#: Fine amounts are counted in these bins (upper bounds in euros, the last one open).
BINS = (Decimal(150), Decimal(500), Decimal(1000), Decimal(2500), Decimal(5000), Decimal(10000))
UNKNOWN_LEVEL = "onbekend"

ChangeKind = Literal["unchanged", "lighter", "heavier", "other"]


# --- report models ----------------------------------------------------------------------------------


class PopulationInfo(Frozen):
    source: Literal["generated", "file"]
    size: int
    seed: int | None = None
    path: str | None = None
    domains: tuple[str, ...] = ()
    decided_between: tuple[dt.date, dt.date] | None = None


class AmountStats(Frozen):
    """Amounts of one measure at one culpability level: how many, their total and spread."""

    count: int
    total: Money
    minimum: Money
    p25: Money
    median: Money
    p75: Money
    maximum: Money


class Distribution(Frozen):
    measure: str
    culpability: str
    before: AmountStats | None = None
    after: AmountStats | None = None


class Histogram(Frozen):
    """Fines per amount bin at one culpability level, before and after."""

    culpability: str
    bins: tuple[str, ...]
    before: tuple[int, ...]
    after: tuple[int, ...]


class ChangeCount(Frozen):
    kind: ChangeKind
    count: int


class Transition(Frozen):
    before: str
    after: str
    count: int


class RuleCount(Frozen):
    rule_id: str
    pack: str
    before: int
    after: int


class RuleCoverage(Frozen):
    rule_id: str
    pack: str
    fired: int
    unreachable: bool = Field(default=False, description="`maatwerk check` proves that no case can make it fire.")


class Side(Frozen):
    """One policy folder over the population."""

    label: str
    #: The evaluator that advised (``durable-rules 2.0.28``, ``reference evaluator``, ``compiled evaluator``).
    evaluator: str
    packs: tuple[str, ...]
    measures: dict[str, int]
    errors: dict[str, int]
    fines: int
    total_fines: Money
    rules: tuple[RuleCoverage, ...]

    @property
    def never_fired(self) -> tuple[RuleCoverage, ...]:
        return tuple(r for r in self.rules if r.fired == 0)


class Example(Frozen):
    change: ChangeKind
    index: int
    case_ref: str | None
    culpability: str
    before: str
    before_amount: Money | None
    after: str
    after_amount: Money | None
    rules_added: tuple[str, ...]
    rules_removed: tuple[str, ...]
    case: dict[str, Any]


class DiffReport(Frozen):
    """What changes between two policy folders over the same population."""

    report: Literal["maatwerk-diff"] = "maatwerk-diff"
    version: Literal[1] = 1
    population: PopulationInfo
    old: Side
    new: Side
    changes: tuple[ChangeCount, ...]
    transitions: tuple[Transition, ...]
    distributions: tuple[Distribution, ...]
    histograms: tuple[Histogram, ...]
    rules_changed: tuple[RuleCount, ...]
    examples: tuple[Example, ...]

    def count(self, kind: ChangeKind) -> int:
        return next(c.count for c in self.changes if c.kind == kind)


class CoverageReport(Frozen):
    """Which rules of a policy folder fire how often over a population."""

    report: Literal["maatwerk-coverage"] = "maatwerk-coverage"
    version: Literal[1] = 1
    population: PopulationInfo
    side: Side


# --- populations ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Population:
    """Where the cases come from: a file's cases, or ``size`` generated ones."""

    info: PopulationInfo
    cases: tuple[dict[str, Any], ...] = ()

    @classmethod
    def generated(
        cls, size: int, *, seed: int, domains: Sequence[str], decided_between: tuple[dt.date, dt.date]
    ) -> Population:
        return cls(
            PopulationInfo(
                source="generated", size=size, seed=seed, domains=tuple(domains), decided_between=decided_between
            )
        )

    @classmethod
    def from_file(cls, path: Path) -> Population:
        cases = read_cases(path)
        domains = tuple(sorted({str(c.get("domain", "benefits")) for c in cases}))
        return cls(PopulationInfo(source="file", size=len(cases), path=str(path), domains=domains), tuple(cases))


def generate_case(info: PopulationInfo, index: int) -> dict[str, Any]:
    """Case ``index`` of a generated population (the same for any size and any process)."""
    assert info.seed is not None
    assert info.decided_between is not None
    rng = random.Random(f"{info.seed}/{index}")
    source = RandomDraw(rng)
    domain = info.domains[0] if len(info.domains) == 1 else source.choice(info.domains)
    if domain == "providers":
        return provider_case(source, decisions=info.decided_between)
    return benefit_case(source, fineable=source.choice((False, True)), decisions=info.decided_between)


def read_cases(path: Path, *, limit: int = 20) -> list[dict[str, Any]]:
    """Every case of a JSON Lines file (blank lines skipped), each validated; raises one
    :class:`~maatwerk.errors.CaseError` with the first ``limit`` problems, located ``FILE:LINE``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CaseError(f"cannot read {path}", problems=(Problem(f"{path}", "CASE_UNREADABLE", str(err)),)) from None
    cases: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except ValueError as err:
            problems.append(Problem(where, "CASE_JSON", str(err)[:200]))
            continue
        try:
            parse_case(data)
        except CaseError as err:
            problems.extend(Problem(f"{where}: {p.where}", p.code, p.message) for p in err.problems)
            continue
        cases.append(data)
    if problems:
        shown = tuple(problems[:limit])
        more = f" (the first {limit} shown)" if len(problems) > limit else ""
        raise CaseError(f"{path} has {len(problems)} problem(s){more}", problems=shown)
    if not cases:
        raise CaseError(f"{path} holds no case", problems=(Problem(f"{path}", "CASE_MISSING", "one case per line"),))
    return cases


# --- the work in the processes ----------------------------------------------------------------------

#: (measure kind or "error:<CODE>", amount in cents or None, culpability, fired rules as (pack id, rule id))
Outcome = tuple[str, int | None, str, tuple[tuple[str, str], ...]]

_engines: list[Engine] = []  # a worker's engines, built by _start


def _start(settings: Sequence[Mapping[str, Any]]) -> None:
    global _engines  # noqa: PLW0603  (one set of engines per worker process, built by the pool initializer)
    _engines = [Engine(**s) for s in settings]


def _culpability(case: dict[str, Any]) -> str:
    if case.get("domain") == "providers":
        return str(case.get("culpability") or UNKNOWN_LEVEL)
    return str((case.get("culpability") or {}).get("confirmed") or UNKNOWN_LEVEL)


def _outcome(engine: Engine, case: Any, level: str) -> Outcome:
    """The measure, amount in cents and fired rules (with their packs) of the case: from
    :meth:`Engine.outcome`, which builds no reasoning."""
    try:
        found = engine.outcome(case)
    except MaatwerkError as err:
        return (f"error:{err.code}", None, level, ())
    amount = found.amount
    owners = [(ref.id, _rules_of(engine, ref.id, ref.version)) for ref in found.packs]
    fired = tuple((next(pid for pid, ids in owners if rid in ids), rid) for rid in found.rules)
    return (found.measure, None if amount is None else int(amount * 100), level, fired)


_RULE_IDS: weakref.WeakKeyDictionary[PolicySet, dict[tuple[str, str], frozenset[str]]] = weakref.WeakKeyDictionary()


def _rules_of(engine: Engine, pack_id: str, version: str) -> frozenset[str]:
    """The ids of the rules of one version of a pack of ``engine``'s pack set (kept per set)."""
    policies = engine._loaded.policies
    by_pack = _RULE_IDS.setdefault(policies, {})
    found = by_pack.get((pack_id, version))
    if found is None:
        versions = [*policies.packs.get(pack_id, ()), *policies.proposed.get(pack_id, {}).values()]
        found = frozenset(str(r.rule.id) for v in versions if v.version == version for r in v.rules)
        by_pack[(pack_id, version)] = found
    return found


def _stack_keys(engine: Engine, case: Any) -> tuple[str, ...] | None:
    try:
        sel = engine._select(case)
    except MaatwerkError:
        return None
    return (sel.conduct.key, sel.decision.key)


def _advise_all(engines: Sequence[Engine], data: dict[str, Any]) -> tuple[Outcome, ...]:
    """The outcome under each engine; a case whose packs are the same under two engines is advised once."""
    level = _culpability(data)
    case = parse_case(data)  # once, for every engine
    outcomes = [_outcome(engines[0], case, level)]
    if len(engines) > 1:
        first = _stack_keys(engines[0], case)
        for engine in engines[1:]:
            same = first is not None and first == _stack_keys(engine, case)
            outcomes.append(outcomes[0] if same else _outcome(engine, case, level))
    return tuple(outcomes)


Task = tuple[PopulationInfo, int, int, tuple[dict[str, Any], ...]]


def _work(task: Task, engines: Sequence[Engine] | None = None) -> _Chunk:
    """Advise on cases ``start .. stop`` (generated, or given) and add them up where they are made: the
    caller only merges one small summary per chunk (sending every case's outcome and fired rules to
    the caller, and adding them up there, took a third of a core from the two that advise)."""
    info, start, stop, given = task
    engines = _engines if engines is None else engines
    chunk = _Chunk(stop - start, [_Tally() for _ in engines])
    rungs = _rungs(engines) if len(engines) > 1 else None
    for offset, index in enumerate(range(start, stop)):
        case = given[offset] if given else generate_case(info, index)
        outcomes = _advise_all(engines, case)
        for tally, outcome in zip(chunk.sides, outcomes, strict=True):
            tally.add(outcome)
        if rungs is not None:
            chunk.compare(index, case, outcomes[0], outcomes[1], rungs)
    return chunk


def _rungs(engines: Sequence[Engine]) -> dict[str, int]:
    """The rung of each measure on the ladders of the engines' packs (to order provider measures;
    a few microseconds, made per chunk)."""
    found: dict[str, int] = {}
    for engine in engines:
        found.update(ladder_rungs(engine._loaded.policies))
    return found


def _tasks(population: Population, chunk: int) -> list[Task]:
    size = population.info.size
    tasks = []
    for start in range(0, size, chunk):
        stop = min(size, start + chunk)
        given = population.cases[start:stop] if population.cases else ()
        tasks.append((population.info, start, stop, tuple(given)))
    return tasks


def run(
    population: Population,
    settings: Sequence[Mapping[str, Any]],
    *,
    processes: int,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = CHUNK,
) -> Iterator[_Chunk]:
    """What every chunk of the population adds up to, in input order; ``progress(done, total)`` after each.

    ``processes=1`` advises in this process; more spawns that many workers (this process only adds up).
    """
    tasks = _tasks(population, chunk)
    total, done = population.info.size, 0
    if processes <= 1 or len(tasks) <= 1:
        engines = [Engine(**s) for s in settings]
        for task in tasks:
            result = _work(task, engines)
            done += result.size
            if progress is not None:
                progress(done, total)
            yield result
        return
    context = multiprocessing.get_context(START_METHOD)
    with context.Pool(min(processes, len(tasks)), initializer=_start, initargs=(list(settings),)) as pool:
        for result in pool.imap(_work, tasks):
            done += result.size
            if progress is not None:
                progress(done, total)
            yield result


# --- adding up --------------------------------------------------------------------------------------


def classify(before: Outcome, after: Outcome, rungs: Mapping[str, int] | None = None) -> ChangeKind:
    """unchanged (same measure and amount), lighter, heavier, or another measure that is neither
    (``rungs``: the rung of each measure on the packs' ladder, to order provider measures)."""
    (b_kind, b_amount, _, _), (a_kind, a_amount, _, _) = before, after
    if b_kind == a_kind and b_amount == a_amount:
        return "unchanged"
    if b_kind.startswith("error:") or a_kind.startswith("error:"):
        return "other"
    if b_kind == a_kind:
        if b_amount is None or a_amount is None:
            return "other"
        return "lighter" if a_amount < b_amount else "heavier"
    if b_kind in RANK and a_kind in RANK:
        return "lighter" if RANK[a_kind] < RANK[b_kind] else "heavier"
    ladder = rungs or {}
    b_rung, a_rung = ladder.get(b_kind), ladder.get(a_kind)
    if b_rung is not None and a_rung is not None and b_rung != a_rung:
        return "lighter" if a_rung < b_rung else "heavier"
    return "other"


def _euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _stats(cents: list[int]) -> AmountStats:
    values = sorted(cents)

    def at(share: float) -> Decimal:
        return _euros(values[min(len(values) - 1, max(0, round(share * (len(values) - 1))))])

    return AmountStats(
        count=len(values),
        total=_euros(sum(values)),
        minimum=_euros(values[0]),
        p25=at(0.25),
        median=at(0.5),
        p75=at(0.75),
        maximum=_euros(values[-1]),
    )


def _bin(cents: int) -> int:
    euros = Decimal(cents) / 100
    for i, upper in enumerate(BINS):
        if euros <= upper:
            return i
    return len(BINS)


def bin_labels() -> tuple[str, ...]:
    labels, lower = [], Decimal(0)
    for upper in BINS:
        labels.append(f"€{lower:,.0f}–{upper:,.0f}")
        lower = upper
    labels.append(f"> €{lower:,.0f}")
    return tuple(labels)


@dataclass
class _Tally:
    """Everything one side adds up while the results stream in."""

    measures: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    fired: Counter[tuple[str, str]] = field(default_factory=Counter)
    amounts: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, outcome: Outcome) -> None:
        kind, amount, level, fired = outcome
        if kind.startswith("error:"):
            self.errors[kind.removeprefix("error:")] += 1
        else:
            self.measures[kind] += 1
        if amount is not None:
            self.amounts[(kind, level)].append(amount)
        self.fired.update(fired)

    def merge(self, other: _Tally) -> None:
        """Add what another tally counted (a chunk's, made in a worker)."""
        self.measures.update(other.measures)
        self.errors.update(other.errors)
        self.fired.update(other.fired)
        for key, values in other.amounts.items():
            self.amounts[key].extend(values)

    def side(self, label: str, engine: Engine, domains: Sequence[str], unreachable: set[tuple[str, str]]) -> Side:
        fines = [a for (kind, _), values in self.amounts.items() if kind == "boete" for a in values]
        rules = []
        for pack_id, rule_id in _known_rules(engine, domains):
            rules.append(
                RuleCoverage(
                    rule_id=rule_id,
                    pack=pack_id,
                    fired=self.fired[(pack_id, rule_id)],
                    unreachable=(pack_id, rule_id) in unreachable,
                )
            )
        known = {(r.pack, r.rule_id) for r in rules}
        rules.extend(
            RuleCoverage(rule_id=r, pack=p, fired=n) for (p, r), n in sorted(self.fired.items()) if (p, r) not in known
        )
        return Side(
            label=label,
            evaluator=engine._engine_version,
            packs=_pack_refs(engine, domains),
            measures=dict(sorted(self.measures.items())),
            errors=dict(sorted(self.errors.items())),
            fines=len(fines),
            total_fines=_euros(sum(fines)),
            rules=tuple(rules),
        )


@dataclass
class _Chunk:
    """What one chunk of cases adds up to, made where the cases are advised: a tally per engine and,
    for two engines (a diff), how the advices change. Merged by the caller in input order, it gives
    the same report as adding up case by case."""

    size: int
    sides: list[_Tally]
    changes: Counter[str] = field(default_factory=Counter)
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: fine amounts per culpability level, in bins, before and after
    histograms: dict[str, list[list[int]]] = field(default_factory=dict)
    #: the first changed cases of each kind, in input order
    examples: dict[str, list[Example]] = field(default_factory=dict)

    def compare(
        self, index: int, case: dict[str, Any], before: Outcome, after: Outcome, rungs: Mapping[str, int]
    ) -> None:
        kind = classify(before, after, rungs)
        self.changes[kind] += 1
        if before[0] != after[0]:
            self.transitions[(before[0], after[0])] += 1
        for side, outcome in ((0, before), (1, after)):
            if outcome[0] == "boete" and outcome[1] is not None:
                bins = self.histograms.setdefault(outcome[2], [[0] * (len(BINS) + 1), [0] * (len(BINS) + 1)])
                bins[side][_bin(outcome[1])] += 1
        if kind != "unchanged":
            shown = self.examples.setdefault(kind, [])
            if len(shown) < EXAMPLES_PER_KIND:
                shown.append(_example(kind, index, case, before, after))


def _relevant_packs(engine: Engine, domains: Sequence[str]) -> list[Any]:
    """The in-force pack versions of ``domains`` an engine can select: national packs and its
    municipality's packs."""
    out: list[Any] = []
    for versions in engine.policies.packs.values():
        head = versions[0].file.pack
        if head.domain in domains and (head.layer == "national" or head.municipality == engine.municipality):
            out.extend(versions)
    return out


def _known_rules(engine: Engine, domains: Sequence[str]) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for pack in _relevant_packs(engine, domains):
        for rd in pack.rules:
            key = (pack.id, rd.rule.id)
            if key not in seen:
                seen.append(key)
    return seen


def _pack_refs(engine: Engine, domains: Sequence[str]) -> tuple[str, ...]:
    return tuple(f"{p.id}@{p.version} {p.sha256[:12]}" for p in _relevant_packs(engine, domains))


def unreachable_rules(policy_dir: Path) -> set[tuple[str, str]]:
    """(pack id, rule id) of the rules `maatwerk check` proves can never fire."""
    from maatwerk._policy.analysis import check_policies

    return set(check_policies(policy_dir, today=dt.date.max).unreachable)


def _settings(engine: Engine) -> dict[str, Any]:
    from maatwerk._api import engine_settings

    return engine_settings(engine)


def coverage(
    engine: Engine, population: Population, *, processes: int = 1, progress: Callable[[int, int], None] | None = None
) -> CoverageReport:
    """Which rules of ``engine``'s packs fire how often over ``population``, and which never do."""
    tally = _Tally()
    for chunk in run(population, [_settings(engine)], processes=processes, progress=progress):
        tally.merge(chunk.sides[0])
    domains = population.info.domains
    side = tally.side(str(engine.policy_dir), engine, domains, unreachable_rules(engine.policy_dir))
    return CoverageReport(population=population.info, side=side)


def diff(
    old: Engine,
    new: Engine,
    population: Population,
    *,
    labels: tuple[str, str] | None = None,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> DiffReport:
    """How the advices over ``population`` change from ``old``'s packs to ``new``'s."""
    before, after = _Tally(), _Tally()
    changes: Counter[str] = Counter()
    transitions: Counter[tuple[str, str]] = Counter()
    examples: dict[str, list[Example]] = defaultdict(list)
    histograms: dict[str, list[list[int]]] = defaultdict(lambda: [[0] * (len(BINS) + 1), [0] * (len(BINS) + 1)])
    for chunk in run(population, [_settings(old), _settings(new)], processes=processes, progress=progress):
        before.merge(chunk.sides[0])
        after.merge(chunk.sides[1])
        changes.update(chunk.changes)
        transitions.update(chunk.transitions)
        for level, counts in chunk.histograms.items():
            for side in (0, 1):
                mine = histograms[level][side]
                for i, n in enumerate(counts[side]):
                    mine[i] += n
        for kind, shown in chunk.examples.items():
            examples[kind].extend(shown[: EXAMPLES_PER_KIND - len(examples[kind])])
    label_old, label_new = labels or (str(old.policy_dir), str(new.policy_dir))
    distributions = []
    for key in sorted(set(before.amounts) | set(after.amounts), key=_level_order):
        b_values, a_values = before.amounts.get(key), after.amounts.get(key)
        distributions.append(
            Distribution(
                measure=key[0],
                culpability=key[1],
                before=_stats(b_values) if b_values else None,
                after=_stats(a_values) if a_values else None,
            )
        )
    domains = population.info.domains
    old_side = before.side(label_old, old, domains, unreachable_rules(old.policy_dir))
    new_side = after.side(label_new, new, domains, unreachable_rules(new.policy_dir))
    return DiffReport(
        population=population.info,
        old=old_side,
        new=new_side,
        changes=tuple(ChangeCount(kind=k, count=changes[k]) for k in CHANGE_KINDS),
        transitions=tuple(
            Transition(before=b, after=a, count=n)
            for (b, a), n in sorted(transitions.items(), key=lambda x: (-x[1], x[0]))
        ),
        distributions=tuple(distributions),
        histograms=tuple(
            Histogram(culpability=level, bins=bin_labels(), before=tuple(counts[0]), after=tuple(counts[1]))
            for level, counts in sorted(histograms.items(), key=lambda x: _level_order(("boete", x[0])))
        ),
        rules_changed=_rules_changed(old_side, new_side),
        examples=tuple(e for kind in CHANGE_KINDS for e in examples.get(kind, [])),
    )


LEVEL_ORDER = ("verminderd", "normaal", "grove_schuld", "opzet", "geen", UNKNOWN_LEVEL)


def _level_order(key: tuple[str, str]) -> tuple[str, int, str]:
    measure, level = key
    return (measure, LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), level)


def _rules_changed(old: Side, new: Side) -> tuple[RuleCount, ...]:
    counts: dict[tuple[str, str], list[int]] = {}
    for i, side in enumerate((old, new)):
        for rule in side.rules:
            counts.setdefault((rule.pack, rule.rule_id), [0, 0])[i] += rule.fired
    changed = [RuleCount(rule_id=r, pack=p, before=b, after=a) for (p, r), (b, a) in counts.items() if b != a]
    return tuple(sorted(changed, key=lambda c: (-abs(c.after - c.before), c.pack, c.rule_id)))


def _example(kind: str, index: int, case: dict[str, Any], before: Outcome, after: Outcome) -> Example:
    return Example(
        change=kind,
        index=index,
        case_ref=case.get("case_ref"),
        culpability=before[2],
        before=before[0],
        before_amount=None if before[1] is None else _euros(before[1]),
        after=after[0],
        after_amount=None if after[1] is None else _euros(after[1]),
        rules_added=tuple(sorted({r for _, r in after[3]} - {r for _, r in before[3]})),
        rules_removed=tuple(sorted({r for _, r in before[3]} - {r for _, r in after[3]})),
        case=case,
    )
