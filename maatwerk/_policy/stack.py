# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""A pack stack: one national pack version with, optionally, a municipal version layered on it,
compiled into stratified rules, and the selection of the versions valid on a case's dates."""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

from maatwerk._policy.amounts import CompiledAmount, compile_amount
from maatwerk._policy.conditions import Cond, conjoin_not, encode_literal, fields, params
from maatwerk._policy.declared import Compiled, compile_declared
from maatwerk._policy.domains import SPECS, DomainTable, catalogue
from maatwerk._policy.facts import Encoded, FactSpec
from maatwerk._policy.loader import LoadedPack, load_tree
from maatwerk._policy.schema import Factor, Followup, LangText, LawSource, Parameter, Principle, Source
from maatwerk._policy.verdict import CompiledVerdict, merge_verdicts
from maatwerk.errors import PolicyError, PolicySelectionError, Problem

__all__ = ["CompiledRule", "PolicySet", "ResolvedParam", "ResolvedParams", "Selection", "Stack", "compile_stack"]

ParamValue = Decimal | Fraction | int | bool | str | dt.date


@dataclass(frozen=True, slots=True)
class CompiledRule:
    id: str
    pack_id: str
    pack_version: str
    stage: str
    level: int
    order: int
    condition: Cond
    reads: frozenset[str]
    sets: tuple[tuple[str, Encoded], ...]
    factors: tuple[Factor, ...]
    followups: tuple[str, ...]
    basis: tuple[str, ...]
    principles: tuple[str, ...]
    reason: LangText
    exception_to: tuple[str, ...]
    where: str


@dataclass(frozen=True, slots=True)
class ResolvedParam:
    name: str
    value: ParamValue
    unit: str
    valid_from: dt.date
    source: str
    verify: bool
    pack_id: str


class ResolvedParams(dict[str, ResolvedParam]):
    """A stack's parameters resolved for a case's dates.

    :meth:`Stack.resolve_params` caches one per interval of dates in which no parameter changes
    value, and every case in that interval shares it: never mutate one. ``memo`` keeps what is
    computed from it once (the engine's condition key, the fine arithmetic's parameters).
    """

    __slots__ = ("memo",)

    def __init__(self, values: Mapping[str, ResolvedParam]) -> None:
        super().__init__(values)
        self.memo: dict[str, Any] = {}


@dataclass(frozen=True)
class Stack:
    domain: str
    packs: tuple[LoadedPack, ...]
    rules: tuple[CompiledRule, ...]
    levels: int
    sources: Mapping[str, Source]
    parameters: Mapping[str, tuple[str, Parameter]]
    principles: Mapping[str, Principle]
    followups: Mapping[str, Followup]
    facts: Mapping[str, FactSpec]
    condition_params: Mapping[str, str]
    key: str
    rules_by_id: Mapping[str, CompiledRule] = field(default_factory=dict)
    #: Sources that are a different article in each law (``LawSource``): id -> law -> source id.
    law_sources: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: The facts the packs declare (``facts:``), national first; their specs are in ``facts`` too.
    declared: tuple[Compiled, ...] = ()
    #: The verdict: the measures and how one is chosen, decisions for a person, what-ifs.
    verdict: CompiledVerdict = field(default_factory=CompiledVerdict)
    #: Municipal principles by what they serve (a national purpose, rule or engine step id).
    serving: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The amounts the packs compute (``amounts:``), national first, by name.
    amounts: Mapping[str, CompiledAmount] = field(default_factory=dict)
    #: Values derived from this stack alone, computed once and shared by every case that selects it
    #: (resolved parameters per date interval; the advice builder's citations and texts).
    memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def principles_for(self, own: tuple[str, ...], step: str | None = None) -> tuple[str, ...]:
        """The principles a step shows: its own (the law's purposes, or a municipal rule's principles),
        then every municipal principle that serves one of them or the step itself, each once."""
        return _principles_for(self.serving, own, step)

    def engine_step_principles(self, step: str) -> tuple[str, ...]:
        """The principles of one of the engine's own steps (lex mitior, earlier conduct, a previewed
        bill): the national purposes that name it, and the municipal principles that serve those or it."""
        own = tuple(pid for pid, pr in self.principles.items() if step in (pr.engine_steps or ()))
        return self.principles_for(own, step)

    def cite(self, sid: str, law: str | None) -> str:
        """The id of the source to cite for ``sid`` in a case under ``law``: a per-law source
        resolves to the case's own law's article; an ordinary source is itself."""
        per_law = self.law_sources.get(sid)
        if per_law is None:
            return sid
        if law is None or law not in per_law:
            raise KeyError(f"source {sid} is cited per law and the case's law {law!r} has none")
        return per_law[law]

    @cached_property
    def rules_by_level(self) -> tuple[tuple[CompiledRule, ...], ...]:
        """The rules of each level, in evaluation order."""
        return tuple(tuple(r for r in self.rules if r.level == level) for level in range(self.levels))

    @cached_property
    def _change_days(self) -> dict[str, tuple[dt.date, ...]]:
        """The days on which some parameter takes a value, by date basis."""
        days: dict[str, set[dt.date]] = {"conduct": set(), "conduct_start": set(), "decision": set()}
        for _, param in self.parameters.values():
            days[param.date_basis].update(v.from_ for v in param.values)
        return {basis: tuple(sorted(found)) for basis, found in days.items()}

    def resolve_params(self, conduct: dt.date, decision: dt.date, started: dt.date | None = None) -> ResolvedParams:
        """Every parameter's value on the date its ``date_basis`` names (shared; never mutate it):
        ``conduct`` (the conduct's date from the pack's first day on), ``decision``, and ``started``
        (the day the conduct began, before the pack's first day too; ``conduct`` when not given).

        Between two change days every parameter keeps its value, so the result is computed once
        per combination of intervals and cached.
        """
        started = conduct if started is None else started
        days = self._change_days
        key = (
            "params",
            bisect_right(days["conduct"], conduct),
            bisect_right(days["decision"], decision),
            bisect_right(days["conduct_start"], started),
        )
        found: ResolvedParams | None = self.memo.get(key)
        if found is None:
            found = ResolvedParams(
                self._resolve_params({"conduct": conduct, "decision": decision, "conduct_start": started})
            )
            self.memo[key] = found
        return found

    def _resolve_params(self, on: Mapping[str, dt.date]) -> dict[str, ResolvedParam]:
        out: dict[str, ResolvedParam] = {}
        for name, (pack_id, param) in self.parameters.items():
            if not param.values:
                continue  # an open term no pack of the stack has filled in: it has no value at all
            day = on[param.date_basis]
            chosen = None
            for dated in param.values:
                if dated.from_ <= day:
                    chosen = dated
            if chosen is None:
                raise PolicySelectionError(
                    f"parameter {name} of {pack_id} has no value on {day.isoformat()} "
                    f"(its first value starts {param.values[0].from_.isoformat()})",
                    hint="Add a dated value to the parameter that covers the case's dates.",
                )
            out[name] = ResolvedParam(
                name, _typed(param.unit, chosen.value), param.unit, chosen.from_, param.source, param.verify, pack_id
            )
        return out

    def condition_key(self, resolved: Mapping[str, ResolvedParam]) -> tuple[tuple[str, Encoded], ...]:
        """The encoded values of the parameters that conditions compare with (memoised on a
        :class:`ResolvedParams` from :meth:`resolve_params`)."""
        memo = resolved.memo if isinstance(resolved, ResolvedParams) else None
        if memo is not None:
            found: tuple[tuple[str, Encoded], ...] | None = memo.get(f"condition_key:{self.key}")
            if found is not None:
                return found
        out: list[tuple[str, Encoded]] = []
        for name, kind in sorted(self.condition_params.items()):
            value = resolved[name].value
            spec = FactSpec(name, kind, "", ())  # type: ignore[arg-type]
            if kind == "money":
                out.append((name, int(Decimal(value) * 100)))  # type: ignore[arg-type]
            elif kind == "enum":
                out.append((name, str(value)))
            else:
                out.append((name, encode_literal(spec, value)))
        key = tuple(out)
        if memo is not None:
            memo[f"condition_key:{self.key}"] = key
        return key


def _typed(unit: str, value: Any) -> ParamValue:
    if unit in ("eur", "percent", "factor"):
        return Decimal(str(value))
    if unit == "fraction":
        num, den = str(value).split("/")
        return Fraction(int(num), int(den))
    return value  # type: ignore[no-any-return]


def compile_stack(national: LoadedPack, municipal: LoadedPack | None) -> Stack:
    """Merge a national version with a municipal one and stratify the rules by dependency."""
    packs = (national,) if municipal is None else (national, municipal)
    domain = national.file.pack.domain
    declared = tuple(
        compile_declared(domain, pack.id, name, decl) for pack in packs for name, decl in pack.file.facts.items()
    )
    facts = {**catalogue(domain), **{d.name: d.spec for d in declared}}
    sources: dict[str, Source] = {}
    law_sources: dict[str, Mapping[str, str]] = {}
    parameters: dict[str, tuple[str, Parameter]] = {}
    principles: dict[str, Principle] = {}
    followups: dict[str, Followup] = {}
    serving: dict[str, list[str]] = {}
    amounts: dict[str, CompiledAmount] = {}
    for pack in packs:
        for pid, pr in pack.file.principles.items():
            for served in pr.serves or ():
                serving.setdefault(served, []).append(pid)
        for sid, src in pack.file.sources.items():
            if isinstance(src, LawSource):
                law_sources[sid] = dict(src.per_law)
                sources.pop(sid, None)
            else:
                sources[sid] = src
                law_sources.pop(sid, None)
        parameters.update({k: (pack.id, v) for k, v in pack.file.parameters.items()})
        principles.update(pack.file.principles)
        followups.update(pack.file.followups)
        amounts.update({k: compile_amount(pack.id, k, v) for k, v in pack.file.amounts.items()})
    defs = [(pack, rd) for pack in packs for rd in pack.rules]
    by_id = {rd.rule.id: rd for _, rd in defs}
    problems: list[Problem] = []
    # ``exception_to: [B]`` on rule E means "E is an exception to B" (the law's "tenzij"): B
    # applies only when E's own condition does not hold.
    overridden_by: dict[str, list[str]] = {}
    for _, rd in defs:
        missing = [e for e in rd.rule.exception_to if e not in by_id]
        if missing:
            problems.append(
                Problem(
                    rd.where,
                    "POLICY_UNKNOWN_RULE",
                    f"rule {rd.rule.id}: exception_to names rules not in this stack: {', '.join(missing)}",
                )
            )
        for base in rd.rule.exception_to:
            overridden_by.setdefault(base, []).append(rd.rule.id)
    conditions: dict[str, Cond] = {}
    for _, rd in defs:
        exceptions = tuple(by_id[e].condition for e in overridden_by.get(rd.rule.id, ()))
        conditions[rd.rule.id] = conjoin_not(rd.condition, exceptions)
    writers: dict[str, set[str]] = {}
    for _, rd in defs:
        for name in rd.rule.then.set:
            writers.setdefault(name, set()).add(rd.rule.id)
    deps = {rid: {w for f in fields(c) for w in writers.get(f, ())} for rid, c in conditions.items()}
    levels: dict[str, int] = {}
    visiting: set[str] = set()

    def level_of(rid: str, chain: tuple[str, ...]) -> int:
        if rid in levels:
            return levels[rid]
        if rid in visiting:
            loop = " -> ".join((*chain[chain.index(rid) :], rid))
            raise _CycleError(loop)
        visiting.add(rid)
        lvl = 0 if not deps[rid] else 1 + max(level_of(d, (*chain, rid)) for d in sorted(deps[rid]))
        visiting.discard(rid)
        levels[rid] = lvl
        return lvl

    for rid in conditions:
        try:
            level_of(rid, ())
        except _CycleError as cyc:
            problems.append(
                Problem(by_id[rid].where, "POLICY_CYCLE", f"rules depend on each other in a loop: {cyc.args[0]}")
            )
            break
    # What the domain needs and no selected pack gives: one problem per kind, naming every one, so that a
    # pack written as national by mistake (or a new national pack) gets one list, not a hundred lines.
    needs = (
        ("parameter", "POLICY_MISSING_PARAMETER", REQUIRED_PARAMETERS, set(parameters), municipal or national),
        ("follow-up", "POLICY_MISSING_FOLLOWUP", REQUIRED_FOLLOWUPS, set(followups), national),
        ("source", "POLICY_MISSING_SOURCE", REQUIRED_SOURCES, {*sources, *law_sources}, national),
    )
    for what, code, required, present, pack in needs:
        missing = [name for name in required.get(domain, ()) if name not in present]
        if missing:
            them = "it" if len(missing) == 1 else "them"
            message = f"the {domain} stack needs {_names(what, missing)}; no selected pack defines {them}"
            problems.append(Problem(f"{pack.path}:1:1", code, message))
    for sid, per_law in law_sources.items():
        for law, target in per_law.items():
            if target not in sources:
                problems.append(
                    Problem(
                        f"{national.path}:1:1",
                        "POLICY_UNKNOWN_REFERENCE",
                        f"source {sid} names {target!r} for {law}, which the selected pack versions do not define",
                    )
                )
    for _, rd in defs:
        rule = rd.rule
        refs: tuple[tuple[str, list[str], Mapping[str, object]], ...] = (
            ("source", rule.basis, {**sources, **law_sources}),
            ("principle", rule.principles, principles),
            ("follow-up", rule.then.followups, followups),
        )
        for kind, names, known in refs:
            for name in names:
                if name not in known:
                    problems.append(
                        Problem(
                            rd.where,
                            "POLICY_UNKNOWN_REFERENCE",
                            f"{rule.id} names {kind} {name!r}, which the selected pack versions do not define",
                        )
                    )
        for name in sorted(fields(rd.condition) - set(facts)):
            problems.append(
                Problem(
                    rd.where,
                    "POLICY_UNKNOWN_REFERENCE",
                    f"{rule.id} reads fact {name!r}, which the selected pack versions do not declare",
                )
            )
        for name in params(rd.condition):
            if name not in parameters:
                problems.append(
                    Problem(
                        rd.where,
                        "POLICY_UNKNOWN_REFERENCE",
                        f"{rule.id} compares with parameter {name!r}, which the selected pack versions do not define",
                    )
                )
    for d in declared:
        span = d.window[1] if d.window is not None else None
        if isinstance(span, str) and span not in parameters:
            problems.append(
                Problem(
                    f"{(municipal or national).path}:1:1",
                    "POLICY_UNKNOWN_REFERENCE",
                    f"declared fact {d.name} of {d.pack_id} spans parameter {span!r}, which the selected pack "
                    "versions do not define",
                )
            )
    for name, (pack_id, param) in parameters.items():
        if param.source not in sources and param.source not in law_sources:
            problems.append(
                Problem(
                    f"{(municipal or national).path}:1:1",
                    "POLICY_UNKNOWN_REFERENCE",
                    f"parameter {name} of {pack_id} cites source {param.source!r}, which the selected pack versions do not define",
                )
            )
    verdict = merge_verdicts(national.verdict, municipal.verdict if municipal is not None else None)
    problems.extend(_amount_references(amounts, parameters, verdict, (municipal or national).path))
    if problems:
        raise PolicyError("the selected packs do not form a valid stack", problems=tuple(problems))
    cond_params: dict[str, str] = dict(verdict.condition_params())
    compiled = []
    for order, (pack, rd) in enumerate(defs):
        rule = rd.rule
        cond = conditions[rule.id]
        cond_params.update(params(cond))
        compiled.append(
            CompiledRule(
                id=rule.id,
                pack_id=pack.id,
                pack_version=pack.version,
                stage=rule.stage,
                level=levels[rule.id],
                order=order,
                condition=cond,
                reads=fields(cond),
                sets=tuple((k, encode_literal(facts[k], v)) for k, v in rule.then.set.items()),
                factors=tuple(rule.then.factors),
                followups=tuple(rule.then.followups),
                basis=tuple(rule.basis),
                principles=_principles_for(serving, tuple(rule.principles), rule.id),
                reason=rule.reason,
                exception_to=tuple(rule.exception_to),
                where=rd.where,
            )
        )
    compiled.sort(key=lambda r: (r.level, r.order))
    key = hashlib.sha256("|".join(p.sha256 for p in packs).encode()).hexdigest()
    n_levels = 1 + max((r.level for r in compiled), default=0)
    return Stack(
        domain,
        packs,
        tuple(compiled),
        n_levels,
        sources,
        parameters,
        principles,
        followups,
        facts,
        cond_params,
        key,
        {r.id: r for r in compiled},
        law_sources,
        declared,
        verdict,
        {k: tuple(v) for k, v in serving.items()},
        amounts,
    )


def _amount_references(
    amounts: Mapping[str, CompiledAmount],
    parameters: Mapping[str, tuple[str, Parameter]],
    verdict: CompiledVerdict,
    path: str,
) -> list[Problem]:
    """The parameters each amount reads, and the amounts the verdict's texts name, in the selected versions
    (the loader checked them against every version of the base pack)."""
    out = [
        Problem(
            f"{path}:1:1",
            "POLICY_UNKNOWN_REFERENCE",
            f"amount {a.name} of {a.pack_id} reads parameter {name!r}, which the selected pack versions do not define",
        )
        for a in amounts.values()
        for name in a.params
        if name not in parameters
    ]
    named = {ph.name for t in verdict.templates() for ph in t.placeholders if ph.kind == "amount"}
    out.extend(
        Problem(
            f"{path}:1:1",
            "POLICY_UNKNOWN_REFERENCE",
            f"a text of the verdict names amount {name!r}, which the selected pack versions do not define",
        )
        for name in sorted(named - set(amounts))
    )
    return out


def _principles_for(serving: Mapping[str, Sequence[str]], own: tuple[str, ...], step: str | None) -> tuple[str, ...]:
    """The principles a step shows: see :meth:`Stack.principles_for` (also used before the stack exists)."""
    out = list(own)
    for key in (*(() if step is None else (step,)), *own):
        for pid in serving.get(key, ()):
            if pid not in out:
                out.append(pid)
    return tuple(out)


class _CycleError(Exception):
    pass


#: What every stack of a domain must define, by domain (live views of each domain's spec).
REQUIRED_PARAMETERS: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.required_parameters)
#: Follow-ups the advice builder adds itself (not through a rule), so every stack must define them.
REQUIRED_FOLLOWUPS: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.required_followups)
REQUIRED_SOURCES: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.required_sources)


@dataclass(frozen=True, slots=True)
class Selection:
    """The stacks valid for one case: usually one; two when the law changed between conduct and decision."""

    conduct: Stack
    decision: Stack
    earlier_conduct: bool
    #: The first version of each pack in the set the stacks came from: an advice reads it from
    #: here, never from the engine's current set, which a reload may have replaced meanwhile.
    first_versions: Mapping[str, LoadedPack] = field(compare=False, repr=False)

    @property
    def changed(self) -> bool:
        return self.conduct.key != self.decision.key


#: At most this many selections are kept per pack set (:meth:`PolicySet.select`); a selection holds
#: only references to the set's stacks and packs, so the table stays well below a megabyte.
SELECTIONS_KEPT = 4096


class PolicySet:
    """All packs under a policy directory, with date-based selection and compiled-stack caching.

    ``preview`` maps a proposal id to an assumed date of entry into force: that proposed version then
    joins its pack's versions from that date (an impact preview; never an advice under current law).
    """

    def __init__(
        self,
        packs: Mapping[str, tuple[LoadedPack, ...]],
        proposed: Mapping[str, Mapping[str, LoadedPack]] | None = None,
        *,
        preview: Mapping[str, dt.date] | None = None,
    ) -> None:
        self.proposed = {pid: dict(by_name) for pid, by_name in (proposed or {}).items()}
        self.packs = {pid: self._with_previews(pid, vs, preview or {}) for pid, vs in packs.items()}
        unknown = sorted(set(preview or {}) - {name for by_name in self.proposed.values() for name in by_name})
        if unknown:
            known = sorted(name for by_name in self.proposed.values() for name in by_name)
            raise PolicySelectionError(
                "cannot preview an unknown proposal",
                problems=tuple(
                    Problem(
                        f"preview.{name}",
                        "PREVIEW_UNKNOWN_PROPOSAL",
                        f"no proposal called {name!r}; known: {', '.join(known) or 'none'}",
                    )
                    for name in unknown
                ),
                hint="A proposal is a file proposed-<id>.yaml beside the versions of its pack.",
            )
        self._stacks: dict[tuple[str, str], Stack] = {}
        # What selection looks up for every case, found once: the set never changes after this.
        self._first_versions: Mapping[str, LoadedPack] = {pid: versions[0] for pid, versions in self.packs.items()}
        self._national: dict[tuple[str, str | None], tuple[LoadedPack, ...]] = {}
        self._municipal: dict[tuple[str, str, str | None], tuple[LoadedPack, ...]] = {}
        #: Each selection made, by what it was made from (dates and names: immutable keys); emptied
        #: when full, so memory stays bounded whatever dates come in (a race at worst selects twice).
        self._selections: dict[tuple[str, str | None, dt.date, dt.date, str | None], Selection] = {}

    def _with_previews(
        self, pack_id: str, versions: tuple[LoadedPack, ...], preview: Mapping[str, dt.date]
    ) -> tuple[LoadedPack, ...]:
        added = [
            pack.previewed(preview[name]) for name, pack in self.proposed.get(pack_id, {}).items() if name in preview
        ]
        if len(added) > 1:
            raise PolicySelectionError(
                "cannot preview two proposals of one pack at once",
                problems=tuple(
                    Problem(f"preview.{name}", "PREVIEW_CONFLICT", f"one of {len(added)} proposals for {pack_id}")
                    for name in self.proposed.get(pack_id, {})
                    if name in preview
                ),
            )
        for pack in added:
            last = versions[-1]
            until = last.file.pack.valid_until
            if pack.valid_from <= last.valid_from or (until is not None and pack.valid_from > until + dt.timedelta(1)):
                name = pack.file.pack.proposal.id if pack.file.pack.proposal is not None else pack_id
                raise PolicySelectionError(
                    "cannot preview a proposal on that date",
                    problems=(
                        Problem(
                            f"preview.{name}",
                            "PREVIEW_DATE",
                            f"{pack_id} {pack.version} must start after the newest version in force "
                            f"({last.version}) and leave no gap",
                        ),
                    ),
                    hint="Assume a date of entry into force after the newest version's first day.",
                )
        return (*versions, *added)

    @classmethod
    def from_directory(cls, root: Path, *, preview: Mapping[str, dt.date] | None = None) -> PolicySet:
        in_force, proposed = load_tree(root)
        return cls(in_force, proposed, preview=preview)

    def municipalities(self, domain: str | None = None) -> tuple[str, ...]:
        """The municipalities that have a pack in this set (of ``domain``, or of any), sorted."""
        return tuple(
            sorted(
                {
                    vs[0].file.pack.municipality or ""
                    for vs in self.packs.values()
                    if vs[0].file.pack.layer == "municipal" and domain in (None, vs[0].file.pack.domain)
                }
            )
        )

    def check_municipality(self, municipality: str | None, where: str) -> None:
        """Raise :class:`PolicySelectionError` when ``municipality`` has no pack at all here: every
        advice would be refused, so an engine for it is refused at once."""
        known = self.municipalities()
        if municipality is None or municipality in known:
            return
        raise PolicySelectionError(
            f"no pack for municipality {municipality!r} under {where}; known: {', '.join(known) or 'none'}",
            hint="Pass a municipality that has a pack there, or None (--national-only) for national law only.",
        )

    def national(self, domain: str, law: str | None = None) -> tuple[LoadedPack, ...]:
        """The versions of the national pack of ``domain`` that covers ``law`` (a pack without
        ``laws`` covers every law of its domain)."""
        found = self._national.get((domain, law))
        if found is None:
            found = self._national[(domain, law)] = self._find_national(domain, law)
        return found

    def _find_national(self, domain: str, law: str | None) -> tuple[LoadedPack, ...]:
        ids = [
            pid
            for pid, vs in self.packs.items()
            if vs[0].file.pack.domain == domain
            and vs[0].file.pack.layer == "national"
            and (law is None or not vs[0].file.pack.laws or law in vs[0].file.pack.laws)
        ]
        if len(ids) != 1:
            scope = domain if law is None else f"{domain} ({law})"
            raise PolicySelectionError(
                f"expected exactly one national pack for {scope}, found {len(ids)}: {', '.join(ids) or 'none'}"
            )
        return self.packs[ids[0]]

    def municipal(self, domain: str, municipality: str, base: str | None = None) -> tuple[LoadedPack, ...]:
        """The versions of ``municipality``'s pack of ``domain`` (layered on ``base``, when given)."""
        found = self._municipal.get((domain, municipality, base))
        if found is None:
            found = self._municipal[(domain, municipality, base)] = self._find_municipal(domain, municipality, base)
        return found

    def _find_municipal(self, domain: str, municipality: str, base: str | None) -> tuple[LoadedPack, ...]:
        ids = [
            pid
            for pid, vs in self.packs.items()
            if vs[0].file.pack.domain == domain
            and vs[0].file.pack.layer == "municipal"
            and vs[0].file.pack.municipality == municipality
            and (base is None or vs[0].file.pack.base == base)
        ]
        if not ids:
            known = self.municipalities(domain)
            on = "" if base is None else f" on {base}"
            raise PolicySelectionError(
                f"no {domain} pack{on} for municipality {municipality!r}; known: {', '.join(known) or 'none'}"
            )
        if len(ids) > 1:
            raise PolicySelectionError(
                f"{len(ids)} {domain} packs for municipality {municipality!r}: {', '.join(sorted(ids))}",
                hint="A municipality has one pack per national pack; merge them.",
            )
        return self.packs[ids[0]]

    @staticmethod
    def _valid_on(versions: tuple[LoadedPack, ...], day: dt.date, what: str) -> LoadedPack:
        """The version of a pack that covers ``day``. A version that has ended (its ``valid_until``)
        is history: it still serves the days up to its end, and a day after it that no later version
        covers is refused with a message that names the pack, the last day covered and the gap."""
        for i, v in enumerate(versions):
            start = v.valid_from
            nxt = versions[i + 1] if i + 1 < len(versions) else None
            end = v.file.pack.valid_until
            if start <= day and (nxt is None or day < nxt.valid_from):
                if end is not None and day > end:
                    after = end + dt.timedelta(days=1)
                    closed = v.file.pack.no_successor
                    if nxt is None and closed is not None:
                        gap = f"no version follows: {closed.reason.en}"
                        hint = (
                            f"Cases up to {end.isoformat()} are still judged by {v.id} {v.version}. No version "
                            "follows on purpose (the message gives the pack's reason). Advise a later case under the policy that "
                            "took over once it is a pack, or under national law alone (--national-only; "
                            "Engine(municipality=None))."
                        )
                    elif nxt is None:
                        gap = f"no version covers {after.isoformat()} or later"
                        hint = (
                            f"Cases up to {end.isoformat()} are still judged by {v.id} {v.version}; add the next "
                            f"version (valid_from {after.isoformat()}) for later ones. An ended version is never "
                            "stretched."
                        )
                    else:
                        last = nxt.valid_from - dt.timedelta(days=1)
                        gap = (
                            f"no version covers {after.isoformat()} to {last.isoformat()} "
                            f"(the next, {nxt.version}, starts on {nxt.valid_from.isoformat()})"
                        )
                        hint = "Let a version cover the days between (adjust valid_until, or add a version)."
                    raise PolicySelectionError(
                        f"{v.id} has no version valid on {day.isoformat()} ({what}): version {v.version} ended "
                        f"on {end.isoformat()}, the last day it covers, and {gap}",
                        hint=hint,
                    )
                return v
        first = versions[0]
        if first.file.pack.layer == "municipal":
            raise PolicySelectionError(
                f"{first.id} has no version valid on {day.isoformat()} ({what}); the first starts {first.version}",
                hint=(
                    f"A case decided before {first.version} falls under the policy {first.id} {first.version} "
                    "replaced: write that policy as an earlier version of the pack, or advise the case under "
                    "national law alone (--national-only; Engine(municipality=None))."
                ),
            )
        raise PolicySelectionError(
            f"{first.id} has no version valid on {day.isoformat()} ({what}); the first starts {first.version}"
        )

    def fingerprint(self) -> str:
        """SHA-256 over every loaded pack version (in force, proposed and previewed) by path and hash:
        two sets with the same fingerprint advise alike."""
        items = sorted(
            (p.path, p.version, p.sha256)
            for versions in (
                *self.packs.values(),
                *(tuple(by_name.values()) for by_name in self.proposed.values()),
            )
            for p in versions
        )
        return hashlib.sha256(repr(items).encode()).hexdigest()

    def compile_all(self) -> int:
        """Compile every stack a case could select (each municipal version on each national version
        of its base, each national version alone, each proposal alone and under each municipal pack
        on it); returns how many. Raises the first :class:`PolicyError` a stack gives."""
        count = 0
        for versions in self.packs.values():
            head = versions[0].file.pack
            if head.layer != "municipal":
                continue
            national = self.packs.get(head.base or "") or self.national(head.domain)
            for mun in versions:
                for nat in national:
                    self.stack(nat, mun)
                    count += 1
        for versions in self.packs.values():
            if versions[0].file.pack.layer == "national":
                for nat in versions:
                    self.stack(nat, None)
                    count += 1
        for pid, by_name in self.proposed.items():
            municipal = [m for vs in self.packs.values() for m in vs if m.file.pack.base == pid]
            for proposal in by_name.values():
                self.stack(proposal, None)
                count += 1
                for mun in municipal:
                    self.stack(proposal, mun)
                    count += 1
        return count

    def stack(self, national: LoadedPack, municipal: LoadedPack | None) -> Stack:
        key = (national.sha256, municipal.sha256 if municipal else "")
        found = self._stacks.get(key)
        if found is None:
            found = compile_stack(national, municipal)
            self._stacks[key] = found
        return found

    def select(
        self, domain: str, municipality: str | None, conduct: dt.date, decision: dt.date, law: str | None = None
    ) -> Selection:
        """The stacks for a case of ``domain`` under ``municipality``'s pack (``None``: national law
        alone) with these conduct and decision dates (and ``law``, where a domain has a national pack
        per law). The same arguments give the same (frozen) selection: it is made once and kept, up
        to :data:`SELECTIONS_KEPT` of them; a refusal is raised each time and never kept."""
        key = (domain, municipality, conduct, decision, law)
        found = self._selections.get(key)
        if found is None:
            found = self._select(domain, municipality, conduct, decision, law)
            if len(self._selections) >= SELECTIONS_KEPT:
                self._selections.clear()
            self._selections[key] = found
        return found

    def _select(
        self, domain: str, municipality: str | None, conduct: dt.date, decision: dt.date, law: str | None
    ) -> Selection:
        national = self.national(domain, law)
        earlier = False
        if conduct < national[0].valid_from and national[0].file.pack.covers_earlier_conduct:
            nat_conduct = national[0]
            earlier = True
        else:
            nat_conduct = self._valid_on(national, conduct, "conduct date")
        nat_decision = self._valid_on(national, decision, "decision date")
        mun = (
            None
            if municipality is None
            else self._valid_on(self.municipal(domain, municipality, national[0].id), decision, "decision date")
        )
        return Selection(
            self.stack(nat_conduct, mun),
            self.stack(nat_decision, mun),
            earlier,
            self._first_versions,
        )


def _names(what: str, names: list[str]) -> str:
    """``parameter 'a'``, or ``3 parameters: 'a', 'b', 'c'``: every name, in the domain's order."""
    if len(names) == 1:
        return f"{what} {names[0]!r}"
    return f"{len(names)} {what}s: {', '.join(repr(n) for n in names)}"
