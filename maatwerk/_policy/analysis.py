# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Static analysis of a policy folder: what ``maatwerk check`` reports beyond loading.

Loading (:mod:`maatwerk._policy.loader`) already refuses a pack that is malformed, names an
unknown fact, source, parameter or rule, or has a rule without basis, principle or reason; its
problems become findings here, every one an error. On top of that this module reasons about what
the rules *do*, with the solver of :mod:`maatwerk._policy.solve`, on every stack a case can select
(each national version alone and with each municipal version layered on it, and each proposal):

===============================  ========  ======================================================
code                             severity  meaning
===============================  ========  ======================================================
CHECK_UNREACHABLE_RULE           error     a rule can fire in no stack: its tests contradict each
                                           other, it reads an output fact at a value no rule that
                                           can fire sets, or its exceptions cover it entirely
CHECK_SET_CONFLICT               error     two rules of one level can fire on one case and set a
                                           fact to different values (the advice then fails)
CHECK_SET_OVERRIDE               warning   a rule on a higher level can overwrite what a lower
                                           rule set on the same case (say it with exception_to)
CHECK_EXCEPTION_CONFLICT         error     two rules are exceptions to each other and can hold
                                           together: then neither applies
CHECK_EXCEPTION_NEVER_APPLIES    warning   an exception can never hold where the rule it
                                           overrides does: it changes nothing
CHECK_PREFERENCE_NEVER_APPLIES   warning   a rule sets a preference for a measure (a delegated
                                           fact such as warning_preferred) only where that
                                           measure cannot be chosen (not lawful, or blocked): its
                                           reason would stand beside another measure
CHECK_GAP                        warning   for some inputs no rule sets an outcome the advice
                                           needs (e.g. the revision track for an established
                                           violation); an example input is given
CHECK_PARAMETER_GAP              error     a stack reads a parameter on a date before its first
                                           value: such cases are refused
CHECK_PARAMETER_UNUSED           warning   a dated value starts after the last day its version
                                           applies: it is never used
CHECK_VERSION_GAP                error     days between two versions of a pack that no version
                                           covers
CHECK_ENDED                      warning   a version ended before today and the next one took over
                                           the day after: it is history, kept for its cases
CHECK_EXPIRED                    error     the newest version of a pack ended before today: no
                                           version covers today, later cases are refused
CHECK_EXPIRES_SOON               warning   the newest version of a pack ends within the warning
                                           period
CHECK_RULE_WITHOUT_REASON        error     a rule's reason is blank or a placeholder
CHECK_RULE_WITHOUT_LEGAL_BASIS   warning   none of the sources a rule cites is a law, regulation,
                                           ruling or official publication
===============================  ========  ======================================================

Every finding is located (``file:line:col``), has a stable code and a hint. Input facts are
treated as independent apart from the links of :data:`~maatwerk._policy.solve.AXIOMS`, so an
unreachable rule is unreachable for every case, while a gap or a conflict is shown with an example
of the facts that produce it.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from maatwerk._policy._yaml import Positions, load_located, position_of
from maatwerk._policy.conditions import All, Cond, conjoin_not, fields, resolve
from maatwerk._policy.domains import SPECS, DomainTable, Outcome
from maatwerk._policy.facts import Encoded, FactSpec
from maatwerk._policy.loader import LoadedPack, RuleDef, load_tree
from maatwerk._policy.schema import LawSource, Source
from maatwerk._policy.solve import (
    Choice,
    Constraint,
    describe,
    expand_outputs,
    input_domains,
    satisfiable,
    with_axioms,
)
from maatwerk._policy.stack import PolicySet, Stack
from maatwerk._policy.verdict import CompiledVerdict
from maatwerk.errors import PolicyError, PolicySelectionError, Problem

__all__ = ["CHECK_CODES", "REQUIRED_OUTCOMES", "CheckReport", "Finding", "Outcome", "check_policies"]

Severity = Literal["error", "warning"]

#: Every code this module reports, with its severity and the hint that goes with it.
CHECK_CODES: dict[str, tuple[Severity, str]] = {
    "CHECK_UNREACHABLE_RULE": (
        "error",
        "Fix the condition, or remove the rule. If it waits for a fact a future version will set, say so "
        "in a proposal (proposed-<id>.yaml) that sets it.",
    ),
    "CHECK_SET_CONFLICT": (
        "error",
        "Make one rule an exception to the other (exception_to), or make their conditions exclusive.",
    ),
    "CHECK_SET_OVERRIDE": (
        "warning",
        "Say which rule wins with exception_to, so the outcome does not depend on evaluation levels.",
    ),
    "CHECK_EXCEPTION_CONFLICT": (
        "error",
        "Keep exception_to on one of the two rules only: the law says 'A, unless B', not both ways.",
    ),
    "CHECK_EXCEPTION_NEVER_APPLIES": (
        "warning",
        "Check that exception_to names the rule you mean; an exception must be able to hold together with it.",
    ),
    "CHECK_PREFERENCE_NEVER_APPLIES": (
        "warning",
        "Let the rule's condition read the law's own test for the measure (for a warning: warning_lawful: true, "
        "as Lansingerland's rule does), so that it fires where the measure it prefers can be chosen; or remove it.",
    ),
    "CHECK_GAP": (
        "warning",
        "Add a rule (or widen one) that sets the outcome for these inputs, or a fallback rule that all others "
        "are exceptions to.",
    ),
    "CHECK_PARAMETER_GAP": (
        "error",
        "Give the parameter a dated value from the first day the message names (for a conduct parameter, the "
        "first day a case's conduct can start). A municipal value of a national parameter applies to the "
        "decisions taken under your policy: give it date_basis: decision and a value from the version's first day.",
    ),
    "CHECK_PARAMETER_UNUSED": (
        "warning",
        "Move the value into the version that applies on that date, or correct its 'from' date.",
    ),
    "CHECK_VERSION_GAP": (
        "error",
        "Let the earlier version run until the day before the next one starts (adjust valid_until), or add a "
        "version for the days in between.",
    ),
    "CHECK_ENDED": (
        "warning",
        "Nothing to do: an ended version keeps judging the cases decided in its window. Remove valid_until only "
        "if the version should never have ended.",
    ),
    "CHECK_EXPIRED": (
        "error",
        "Add a new version valid from the day after valid_until (or extend valid_until if the policy still holds); "
        "if no version will ever follow (the municipality merged, the policy was withdrawn), say why with "
        "pack.no_successor.",
    ),
    "CHECK_EXPIRES_SOON": (
        "warning",
        "Prepare the next version, or extend valid_until if the policy still holds.",
    ),
    "CHECK_RULE_WITHOUT_REASON": (
        "error",
        "Write one sentence in Dutch and one in English that a caseworker can read back to the resident.",
    ),
    "CHECK_RULE_WITHOUT_LEGAL_BASIS": (
        "warning",
        "Cite the article, regulation or ruling the rule applies (a BWB, CVDR or ECLI source, or a link to "
        "its official publication).",
    ),
}

#: Hints for the problems the loader and the stack compiler report (docs/reference/policy-format.md).
LOAD_HINTS: dict[str, str] = {
    "POLICY_UNREADABLE": "Save the file as UTF-8 and check its permissions.",
    "POLICY_TOO_LARGE": "Split the pack or shorten its texts.",
    "POLICY_EMPTY": "Write the pack or delete the file.",
    "POLICY_YAML_SYNTAX": "Fix the YAML at this place; write repeated parts out in full (no anchors or merge keys).",
    "POLICY_DUPLICATE_KEY": "Remove or rename one of the two keys.",
    "POLICY_TOO_DEEP": "Flatten the condition.",
    "POLICY_UNKNOWN_FIELD": "Use the keys of docs/reference/policy-format.md (this is often a typo).",
    "POLICY_MISSING_FIELD": "Add the key the message names (docs/reference/policy-format.md lists what each part needs; "
    "every rule needs a basis, principles and a reason).",
    "POLICY_INVALID_VALUE": "Correct the value as the message says.",
    "POLICY_FILENAME_MISMATCH": "Rename the file to its valid_from date, or fix valid_from.",
    "POLICY_VERSION_MISMATCH": "Give every version of a pack the same domain, layer and base, or use a new pack id.",
    "POLICY_VERSION_OVERLAP": "Fix the dates so that versions follow each other.",
    "POLICY_UNKNOWN_PACK": "Name an existing national pack of the same domain in base.",
    "POLICY_UNKNOWN_SOURCE": "Add the source under sources, or fix the id.",
    "POLICY_UNKNOWN_PRINCIPLE": "Use a principle the pack or its national pack defines (a national purpose such as W2, or your own), or define it.",
    "POLICY_UNKNOWN_FOLLOWUP": "Add the follow-up under followups, or fix the id.",
    "POLICY_UNKNOWN_RULE": "Name a rule of this pack or its base.",
    "POLICY_DUPLICATE_ID": "Choose a new id.",
    "POLICY_UNKNOWN_FACT": "Use a fact from the catalogue in docs/reference/policy-format.md. Fact names are English "
    "(dependent_children, not minderjarige_kinderen); docs/nl/beleidsteam.md lists the common ones by their Dutch "
    "words. A condition over the earlier sanctions that no fact gives is a declared fact of your own (facts:).",
    "POLICY_NOT_SETTABLE": "Rules set output facts only.",
    "POLICY_TYPE_MISMATCH": "Use an operator and a value of the fact's kind.",
    "POLICY_BAD_CONDITION": "Use the condition forms all, any, not, or {fact: NAME, OP: VALUE}.",
    "POLICY_UNKNOWN_PARAMETER": "Define the parameter or fix its name.",
    "POLICY_PARAMETER_TYPE": "Write the value as its unit requires.",
    "POLICY_NOT_DELEGATED": "Remove it from the municipal pack: national law decides it.",
    "POLICY_BAD_TEMPLATE": "Write the placeholder as the message says; the placeholders a text may use are listed in "
    "docs/reference/policy-format.md (Texts are templates). Write {{ and }} for a literal brace.",
    "POLICY_PARAMETER_DATES": "Sort the dated values by 'from' and remove duplicates: two values may not overlap.",
    "POLICY_CYCLE": "Break the loop the message shows.",
    "POLICY_MISSING_PARAMETER": "Define the parameter in the national or the municipal pack. A municipality's "
    "pack says layer: municipal, base: nl-benefits (its national pack) and municipality: its id; with layer: "
    "national it stands alone and must state all of the law's figures itself.",
    "POLICY_MISSING_SOURCE": "Define the source in the national pack. A municipality's pack says layer: municipal "
    "and names its national pack as base; the national pack's sources then apply.",
    "POLICY_MISSING_FOLLOWUP": "Define the follow-up in the national pack.",
    "POLICY_UNKNOWN_REFERENCE": "Define what the rule names in a version it is combined with, or stop naming it.",
}

#: Reasons that only hold a place (after stripping, case-insensitive).
PLACEHOLDER = re.compile(
    r"^(|todo.*|tbd.*|fixme.*|x{2,}|\.{2,}|…|-+|\?+|n/?a|n\.?v\.?t\.?|lorem ipsum.*|tekst volgt.*)$", re.I
)

#: A source is a legal basis when its identifier is a BWB, CVDR or ECLI id, or its link goes to an
#: official publication of law, regulation, rulings or parliamentary documents.
LEGAL_IDENTIFIER = re.compile(r"^(BWBR\d{7}|CVDR\d+|ECLI:)")
OFFICIAL_HOSTS = frozenset(
    {
        "wetten.overheid.nl",
        "lokaleregelgeving.overheid.nl",
        "decentrale.regelgeving.overheid.nl",  # the CVDR's older address, still linked from its texts
        "repository.officiele-overheidspublicaties.nl",  # the CVDR's and the KOOP's repository of the texts
        "zoek.officielebekendmakingen.nl",
        "www.officielebekendmakingen.nl",
        "uitspraken.rechtspraak.nl",
        "www.rechtspraak.nl",
        "www.om.nl",
        "www.tweedekamer.nl",
        "www.eerstekamer.nl",
        "repository.overheid.nl",
    }
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One located finding of ``maatwerk check``."""

    where: str
    code: str
    severity: Severity
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.where}: {self.severity} {self.code}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {
            "where": self.where,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True, slots=True)
class PackSummary:
    id: str
    version: str
    rules: int
    sha256: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Everything ``maatwerk check`` found in one policy folder."""

    root: str
    findings: tuple[Finding, ...]
    packs: tuple[PackSummary, ...] = ()
    stacks: int = 0
    #: (pack id, rule id) of every rule that can fire in no stack (each also a CHECK_UNREACHABLE_RULE finding).
    unreachable: tuple[tuple[str, str], ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")


#: What every stack of a domain must decide (the advice builder reads these facts to build the
#: advice, domain.md §2, §6 and P4), by domain (each domain's spec says it). A gap is an input for
#: which a guard holds and no rule sets the fact.
REQUIRED_OUTCOMES: DomainTable[tuple[Outcome, ...]] = DomainTable(SPECS, lambda s: s.required_outcomes)


# --- locations --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _positions(path: str) -> Positions:
    try:
        return load_located(Path(path).read_text(encoding="utf-8"), path)[1]
    except (OSError, UnicodeDecodeError, ValueError):  # pragma: no cover  (the loader read it a moment ago)
        return {}


def _at(pack: LoadedPack, *keys: str | int) -> str:
    """``file:line:col`` of a path of ``pack``: in its file, or, for a version written as a delta,
    where that part is written (the delta, or the version it extends)."""
    if pack.locate is not None:
        return pack.locate(keys)
    line, col = position_of(_positions(pack.path), keys)
    return f"{pack.path}:{line}:{col}"


# --- stacks and their dates -------------------------------------------------------------------------


@dataclass(frozen=True)
class _StackUse:
    """A stack as a case can select it, with the first conduct and decision day it can see."""

    stack: Stack
    conduct_from: dt.date
    decision_from: dt.date
    conduct_until: dt.date | None
    decision_until: dt.date | None
    dated: bool  # False for a proposal: its days are assumed, so parameter dates are not checked

    @property
    def name(self) -> str:
        return " + ".join(f"{p.id}@{p.version}" for p in self.stack.packs)


def _last_day(versions: tuple[LoadedPack, ...], i: int) -> dt.date | None:
    """The last day version ``i`` applies: its valid_until or the day before the next one starts."""
    ends: list[dt.date] = []
    until = versions[i].file.pack.valid_until
    if until is not None:
        ends.append(until)
    if i + 1 < len(versions):
        ends.append(versions[i + 1].valid_from - dt.timedelta(days=1))
    return min(ends) if ends else None


def _stack_uses(policies: PolicySet, findings: list[Finding]) -> list[_StackUse]:
    """Every stack a case can select (compiled; a stack that does not compile becomes findings)."""
    uses: list[_StackUse] = []

    def compile_or_report(national: LoadedPack, municipal: LoadedPack | None) -> Stack | None:
        try:
            return policies.stack(national, municipal)
        except PolicyError as err:
            findings.extend(_from_problems(err.problems))
            return None

    for versions in policies.packs.values():
        head = versions[0].file.pack
        if head.layer != "national":
            continue
        for i, nat in enumerate(versions):
            stack = compile_or_report(nat, None)
            if stack is not None:
                # As the milder law, a later version also judges conduct from the first version on.
                uses.append(
                    _StackUse(stack, versions[0].valid_from, nat.valid_from, _last_day(versions, i), None, True)
                )
    for versions in policies.packs.values():
        head = versions[0].file.pack
        if head.layer != "municipal":
            continue
        national = policies.packs.get(head.base or "", ())
        for j, mun in enumerate(versions):
            mun_end = _last_day(versions, j)
            for i, nat in enumerate(national):
                if mun_end is not None and nat.valid_from > mun_end:
                    continue  # conduct under this version cannot be decided while the municipal one applies
                stack = compile_or_report(nat, mun)
                if stack is not None:
                    decision_from = max(nat.valid_from, mun.valid_from)
                    conduct_from = national[0].valid_from
                    uses.append(_StackUse(stack, conduct_from, decision_from, _last_day(national, i), mun_end, True))
    for pack_id, by_name in policies.proposed.items():
        in_force = policies.packs.get(pack_id, ())
        if not in_force:
            continue
        assumed = in_force[-1].valid_from + dt.timedelta(days=1)
        municipal = [m for vs in policies.packs.values() for m in vs if m.file.pack.base == pack_id]
        for proposal in by_name.values():
            options: list[LoadedPack | None] = [None, *municipal]
            for layered in options:
                stack = compile_or_report(proposal, layered)
                if stack is not None:
                    start = assumed if layered is None else max(assumed, layered.valid_from)
                    uses.append(_StackUse(stack, assumed, start, None, None, False))
    return uses


def _condition_keys(use: _StackUse) -> list[tuple[tuple[str, Encoded], ...]]:
    """The distinct parameter values conditions compare with, over every date the stack can see."""
    stack = use.stack
    conduct_days: set[dt.date] = {use.conduct_from}
    decision_days: set[dt.date] = {use.decision_from}
    for _, param in stack.parameters.values():
        for dated in param.values:
            if param.date_basis != "decision":
                if dated.from_ > use.conduct_from and (use.conduct_until is None or dated.from_ <= use.conduct_until):
                    conduct_days.add(dated.from_)
            elif dated.from_ > use.decision_from and (use.decision_until is None or dated.from_ <= use.decision_until):
                decision_days.add(dated.from_)
    keys: list[tuple[tuple[str, Encoded], ...]] = []
    for conduct, decision in itertools.product(sorted(conduct_days), sorted(decision_days)):
        try:
            key = stack.condition_key(stack.resolve_params(conduct, decision))
        except PolicySelectionError:
            continue  # a parameter without a value on these days: CHECK_PARAMETER_GAP says so
        if key not in keys:
            keys.append(key)
    return keys


# --- the analysis of one stack ----------------------------------------------------------------------


@dataclass
class _StackResult:
    use: _StackUse
    analysed: bool
    reachable: dict[str, bool] = field(default_factory=dict)
    why_not: dict[str, str] = field(default_factory=dict)
    overlaps: dict[tuple[str, str], bool] = field(default_factory=dict)  # (exception, rule) -> can hold together
    #: (rule, measure) -> the rule can fire where the law allows the measure it states a preference for
    preferences: dict[tuple[str, str], bool] = field(default_factory=dict)


def _own(stack: Stack) -> dict[str, tuple[LoadedPack, int, RuleDef]]:
    """Each rule's own condition (before its exceptions), with its pack and index."""
    out = {}
    for pack in stack.packs:
        for i, rd in enumerate(pack.rules):
            out[rd.rule.id] = (pack, i, rd)
    return out


def _bounds(use: _StackUse) -> dict[str, tuple[int | None, int | None]]:
    if "decision_date" not in use.stack.facts or use.stack.facts["decision_date"].output:
        return {}
    high = use.decision_until.toordinal() if use.decision_until is not None else None
    return {"decision_date": (use.decision_from.toordinal(), high)}


def _sat_any(
    cond: Cond, keys: list[tuple[tuple[str, Encoded], ...]], store: Mapping[str, Constraint], stack: Stack
) -> bool:
    return _witness(cond, keys, store, stack) is not None


def _witness(
    cond: Cond, keys: list[tuple[tuple[str, Encoded], ...]], store: Mapping[str, Constraint], stack: Stack
) -> Mapping[str, Constraint] | None:
    """A store of facts, within ``store`` and the domain's axioms, under which ``cond`` holds."""
    cond = with_axioms(cond, stack.facts, stack.domain)
    for key in keys:
        found = satisfiable(resolve(cond, dict(key)), store)
        if found is not None:
            return found
    return None


def _analyse(use: _StackUse, findings: list[Finding]) -> _StackResult:
    stack = use.stack
    keys = _condition_keys(use)
    result = _StackResult(use, analysed=bool(keys))
    if not keys:
        return result
    facts = stack.facts
    own = _own(stack)
    bounds = _bounds(use)
    full = input_domains(facts, bounds=bounds)
    possible: dict[str, set[Encoded]] = {name: {spec.default} for name, spec in facts.items() if spec.output}
    stores: dict[int, dict[str, Constraint]] = {}
    for level, rules in enumerate(stack.rules_by_level):
        store = input_domains(facts, outputs=possible, bounds=bounds)
        stores[level] = store
        for rule in rules:
            reachable = _sat_any(rule.condition, keys, store, stack)
            result.reachable[rule.id] = reachable
            if not reachable:
                result.why_not[rule.id] = _why_unreachable(stack, own, rule.id, keys, store, full, possible)
        for rule in rules:
            if result.reachable[rule.id]:
                for name, value in rule.sets:
                    possible[name].add(value)
    final = input_domains(facts, outputs=possible, bounds=bounds)
    for rule in stack.rules:
        for ex in rule.exception_to:
            if ex in own:
                both = All((own[rule.id][2].condition, own[ex][2].condition))
                result.overlaps[(rule.id, ex)] = _sat_any(both, keys, final, stack)
    _conflicts(use, own, keys, stores, findings, result)
    _gaps(use, own, keys, final, findings, result)
    _preferences(use, keys, full, result)
    return result


def _preferred_measures(verdict: CompiledVerdict) -> list[tuple[str, Cond, frozenset[str]]]:
    """Each measure a preference can choose: the law's test for it (lawful and not blocked) and the
    facts its preference reads."""
    out = [
        (c.measure, c.lawful if c.blocked is None else conjoin_not(c.lawful, (c.blocked,)), c.preferred)
        for c in verdict.choice
    ]
    if verdict.ladder is not None:
        out.extend((r.name, r.lawful, r.preferred) for r in verdict.ladder.rungs)
    return [(measure, allowed, fields(preferred)) for measure, allowed, preferred in out if fields(preferred)]


def _preferences(
    use: _StackUse, keys: list[tuple[tuple[str, Encoded], ...]], full: Mapping[str, Constraint], result: _StackResult
) -> None:
    """For each rule that sets a fact a measure's preference reads: can it fire where the law allows
    that measure? Output facts are replaced by the conditions of the rules that set them, so the
    question is asked of the case's inputs alone."""
    stack = use.stack
    facts = stack.facts
    setting = [(r.condition, r.sets) for r in stack.rules if result.reachable.get(r.id)]
    for measure, allowed, reads in _preferred_measures(stack.verdict):
        allowed_inputs = expand_outputs(allowed, setting, facts)
        for rule in stack.rules:
            if not result.reachable.get(rule.id):
                continue
            if not any(name in reads and value != facts[name].default for name, value in rule.sets):
                continue
            fires = expand_outputs(rule.condition, setting, facts)
            result.preferences[(rule.id, measure)] = _sat_any(All((fires, allowed_inputs)), keys, full, stack)


def _why_unreachable(
    stack: Stack,
    own: Mapping[str, tuple[LoadedPack, int, RuleDef]],
    rule_id: str,
    keys: list[tuple[tuple[str, Encoded], ...]],
    store: Mapping[str, Constraint],
    full: Mapping[str, Constraint],
    possible: Mapping[str, set[Encoded]],
) -> str:
    condition = own[rule_id][2].condition
    if not _sat_any(condition, keys, full, stack):
        return "its condition can never hold: its tests contradict each other"
    if not _sat_any(condition, keys, store, stack):
        needed = _witness(condition, keys, full, stack)
        culprits = []
        for name in sorted(fields(condition)):
            spec = stack.facts[name]
            if not spec.output or needed is None:
                continue
            wanted = needed[name]
            assert isinstance(wanted, Choice)
            if not wanted.values & possible[name]:
                shown = ", ".join(_value_text(spec, v) for v in sorted(wanted.values, key=str))
                culprits.append(f"{name} = {shown}")
        what = "; ".join(culprits) or "output facts"
        return f"it reads {what}, which no rule that can fire sets"
    exceptions = [r.id for r in stack.rules if rule_id in r.exception_to]
    for ex in exceptions:
        if not _sat_any(conjoin_not(condition, (own[ex][2].condition,)), keys, store, stack):
            return f"its exception {ex} holds whenever it does"
    return f"its exceptions ({', '.join(exceptions)}) together hold whenever it does"


def _value_text(spec: FactSpec, value: Encoded) -> str:
    if spec.kind == "bool":
        return {1: "true", 0: "false", -1: "unknown"}[int(value)]
    return str(value) or "''"


def _conflicts(
    use: _StackUse,
    own: Mapping[str, tuple[LoadedPack, int, RuleDef]],
    keys: list[tuple[tuple[str, Encoded], ...]],
    stores: Mapping[int, Mapping[str, Constraint]],
    findings: list[Finding],
    result: _StackResult,
) -> None:
    stack = use.stack
    setters: dict[str, list[tuple[str, Encoded]]] = defaultdict(list)
    for rule in stack.rules:
        if result.reachable.get(rule.id):
            for name, value in rule.sets:
                setters[name].append((rule.id, value))
    for name, pairs in setters.items():
        for (a_id, a_val), (b_id, b_val) in itertools.combinations(pairs, 2):
            if a_val == b_val:
                continue
            a, b = stack.rules_by_id[a_id], stack.rules_by_id[b_id]
            store = stores[max(a.level, b.level)]
            witness = _witness(All((a.condition, b.condition)), keys, store, stack)
            if witness is None:
                continue
            pack, index, _ = own[b_id]
            example = describe(witness, stack.facts, against=store)
            spec = stack.facts[name]
            if a.level == b.level:
                message = (
                    f"rules {a_id} and {b_id} can fire on the same case and set {name} to "
                    f"{_value_text(spec, a_val)} and {_value_text(spec, b_val)}: the advice then fails "
                    f"(in {use.name}; e.g. {example})"
                )
                findings.append(_finding("CHECK_SET_CONFLICT", _at(pack, "rules", index, "then", "set"), message))
            else:
                low, high = (a, b) if a.level < b.level else (b, a)
                message = (
                    f"{high.id} (level {high.level}) overwrites the {name} that {low.id} (level {low.level}) set "
                    f"on the same case (in {use.name}; e.g. {example})"
                )
                pack, index, _ = own[high.id]
                findings.append(_finding("CHECK_SET_OVERRIDE", _at(pack, "rules", index, "then", "set"), message))
    for rule in stack.rules:
        for ex in rule.exception_to:
            if ex not in own or rule.id not in stack.rules_by_id[ex].exception_to or rule.id > ex:
                continue
            both = All((own[rule.id][2].condition, own[ex][2].condition))
            witness = _witness(both, keys, stores[max(rule.level, stack.rules_by_id[ex].level)], stack)
            if witness is None:
                continue
            pack, index, rd = own[rule.id]
            j = rd.rule.exception_to.index(ex)
            message = (
                f"{rule.id} and {ex} are exceptions to each other and can both hold: then neither applies "
                f"(in {use.name}; e.g. {describe(witness, stack.facts, against=stores[0])})"
            )
            findings.append(_finding("CHECK_EXCEPTION_CONFLICT", _at(pack, "rules", index, "exception_to", j), message))


def _outcome_setters(stack: Stack, outcome: Outcome, result: _StackResult) -> list[str]:
    def matches(name: str) -> bool:
        if outcome.fact.endswith("*"):
            return name.startswith(outcome.fact[:-1])
        return name == outcome.fact

    return [
        rule.id
        for rule in stack.rules
        if result.reachable.get(rule.id)
        and any(matches(name) and value != stack.facts[name].default for name, value in rule.sets)
    ]


def _gaps(
    use: _StackUse,
    own: Mapping[str, tuple[LoadedPack, int, RuleDef]],
    keys: list[tuple[tuple[str, Encoded], ...]],
    store: Mapping[str, Constraint],
    findings: list[Finding],
    result: _StackResult,
) -> None:
    stack = use.stack
    for outcome in REQUIRED_OUTCOMES.get(stack.domain, ()):
        if not fields(outcome.guard) <= set(stack.facts):
            continue
        setters = _outcome_setters(stack, outcome, result)
        cond = conjoin_not(outcome.guard, tuple(stack.rules_by_id[s].condition for s in setters))
        witness = _witness(cond, keys, store, stack)
        if witness is None:
            continue
        if setters:
            pack, index, _ = own[setters[0]]
            where = _at(pack, "rules", index, "then", "set")
        else:
            where = _at(stack.packs[0], "rules")
        example = describe(witness, stack.facts, against=store)
        fact = outcome.fact.replace("*", "<instrument>")
        message = f"for some inputs no rule sets {fact} ({outcome.why}): e.g. {example} (in {use.name})"
        findings.append(_finding("CHECK_GAP", where, message))


# --- dates: versions, expiry, parameters -----------------------------------------------------------


def _version_findings(policies: PolicySet, today: dt.date, warn_days: int, findings: list[Finding]) -> None:
    for pack_id, versions in policies.packs.items():
        for prev, cur in itertools.pairwise(versions):
            until = prev.file.pack.valid_until
            if until is not None and until + dt.timedelta(days=1) < cur.valid_from:
                first_gap = until + dt.timedelta(days=1)
                last_gap = cur.valid_from - dt.timedelta(days=1)
                findings.append(
                    _finding(
                        "CHECK_VERSION_GAP",
                        _at(prev, "pack", "valid_until"),
                        f"no version of {pack_id} is valid from {first_gap} to {last_gap}: cases on those days are refused",
                    )
                )
        for i, version in enumerate(versions):
            # A version that ended before today is history when the next one took over the day after
            # (a gap in between is CHECK_VERSION_GAP); with no next version, later cases are refused.
            until = version.file.pack.valid_until
            if until is None or until >= today:
                continue
            if i + 1 < len(versions):
                successor = versions[i + 1]
                if successor.valid_from == until + dt.timedelta(days=1):
                    findings.append(
                        _finding(
                            "CHECK_ENDED",
                            _at(version, "pack", "valid_until"),
                            f"{pack_id} {version.version} ended on {until}: it is history, kept for the cases "
                            f"decided up to that day; {successor.version} took over the day after",
                        )
                    )
                continue
            closed = version.file.pack.no_successor
            if closed is not None:
                findings.append(
                    _finding(
                        "CHECK_ENDED",
                        _at(version, "pack", "valid_until"),
                        f"{pack_id} {version.version} ended on {until} and has no successor on purpose "
                        f"({closed.reason.en}): it is history, kept for the cases decided up to that day; "
                        "later cases are refused with that reason",
                    )
                )
                continue
            findings.append(
                _finding(
                    "CHECK_EXPIRED",
                    _at(version, "pack", "valid_until"),
                    f"{pack_id} {version.version} ended on {until} (today is {today}) and no later version covers "
                    "today: every case decided after it is refused",
                )
            )
        newest = versions[-1]
        until = newest.file.pack.valid_until
        if (
            until is not None
            and newest.file.pack.no_successor is None
            and until >= today
            and (until - today).days <= warn_days
        ):
            findings.append(
                _finding(
                    "CHECK_EXPIRES_SOON",
                    _at(newest, "pack", "valid_until"),
                    f"{pack_id} expires on {until}, in {(until - today).days} day(s); no later version exists",
                )
            )


def _parameter_gaps(use: _StackUse, findings: list[Finding]) -> None:
    if not use.dated:
        return
    stack = use.stack
    for name, (pack_id, param) in stack.parameters.items():
        day = use.conduct_from if param.date_basis != "decision" else use.decision_from
        if not param.values:
            continue  # an open term left to the municipality: the advice asks for it where it is needed
        first = param.values[0].from_
        if first <= day:
            continue
        pack = next(p for p in reversed(stack.packs) if p.id == pack_id)
        what = "conducted" if param.date_basis != "decision" else "decided"
        findings.append(
            _finding(
                "CHECK_PARAMETER_GAP",
                _at(pack, "parameters", name, "values", 0),
                f"{name} has no value before {first}, but {use.name} reads it for cases {what} from {day}: "
                f"cases {what} from {day} to {first - dt.timedelta(days=1)} are refused",
            )
        )


def _unused_values(policies: PolicySet, findings: list[Finding]) -> None:
    for versions in policies.packs.values():
        municipal = versions[0].file.pack.layer == "municipal"
        for i, version in enumerate(versions):
            last = _last_day(versions, i)
            if last is None:
                continue
            for name, param in version.file.parameters.items():
                if not municipal and param.date_basis == "decision":
                    continue  # a national version's decision values serve later decisions (lex mitior)
                for j, dated in enumerate(param.values):
                    if dated.from_ > last:
                        findings.append(
                            _finding(
                                "CHECK_PARAMETER_UNUSED",
                                _at(version, "parameters", name, "values", j),
                                f"{name}: this value starts on {dated.from_}, after {last}, the last day "
                                f"{version.id}@{version.version} applies; it is never used",
                            )
                        )


# --- texts and sources ------------------------------------------------------------------------------


def _rule_texts(policies: PolicySet, findings: list[Finding]) -> None:
    for pack in _all_versions(policies):
        base = policies.packs.get(pack.file.pack.base or "", ())
        sources = {k: v for b in base for k, v in b.file.sources.items()}
        sources.update(pack.file.sources)
        for i, rd in enumerate(pack.rules):
            rule = rd.rule
            for lang in ("nl", "en"):
                text = getattr(rule.reason, lang).strip()
                if PLACEHOLDER.match(text):
                    findings.append(
                        _finding(
                            "CHECK_RULE_WITHOUT_REASON",
                            _at(pack, "rules", i, "reason", lang),
                            f"rule {rule.id} has no reason in {lang!r} (found {text!r})",
                        )
                    )
            cited: list[Source] = []
            for sid in rule.basis:
                src = sources.get(sid)
                if isinstance(src, LawSource):
                    cited.extend(t for t in (sources.get(x) for x in src.per_law.values()) if isinstance(t, Source))
                elif isinstance(src, Source):
                    cited.append(src)
            if cited and not any(_is_legal(s.identifier, s.url) for s in cited):
                findings.append(
                    _finding(
                        "CHECK_RULE_WITHOUT_LEGAL_BASIS",
                        _at(pack, "rules", i, "basis"),
                        f"rule {rule.id} cites no law, regulation or ruling: {', '.join(rule.basis)}",
                    )
                )


def _is_legal(identifier: str, url: str) -> bool:
    return bool(LEGAL_IDENTIFIER.match(identifier)) or urlparse(url).hostname in OFFICIAL_HOSTS


def _all_versions(policies: PolicySet) -> Iterator[LoadedPack]:
    for pack_id, versions in policies.packs.items():
        yield from versions
        yield from policies.proposed.get(pack_id, {}).values()


# --- putting it together ----------------------------------------------------------------------------


def _finding(code: str, where: str, message: str) -> Finding:
    severity, hint = CHECK_CODES[code]
    return Finding(where, code, severity, message, hint)


#: A sharper hint for some messages of a code: (code, words in the message, hint). The first match wins.
MESSAGE_HINTS: tuple[tuple[str, str, str], ...] = (
    (
        "POLICY_INVALID_VALUE",
        "an id is written in lower-case letters a-z",
        "Retype the id in lower-case Latin letters a-z, digits and _ (a Dutch word loses its accents and "
        "spaces: verblijf_buitenland). A letter copied from another alphabet looks the same but is not: "
        "type it again.",
    ),
    (
        "POLICY_DUPLICATE_ID",
        "a municipality has one pack per national pack",
        "Write a new policy of the same municipality as a version of its pack (a file named by its first day "
        "in that pack's folder). A pack copied as a starting point for another municipality names that "
        "municipality in pack.municipality.",
    ),
    (
        "POLICY_UNKNOWN_FACT",
        "not a fact of the case",
        "A what-if asks what the advice would be if the case were different: set input facts (culpability, "
        "benefit_loss, self_corrected_before_detection, ...; the catalogue in docs/reference/policy-format.md "
        "marks them 'input'). What the law's rules or the choice of the measure make of them is never set by "
        "a pack.",
    ),
    (
        "POLICY_DUPLICATE_ID",
        "a municipal pack cannot replace what national law says",
        "Remove the entry from your pack and name the national one by its id (a rule's basis, then.followups). "
        "Your own article or follow-up gets an id of its own, e.g. with your municipality's name in front.",
    ),
    (
        "POLICY_DUPLICATE_ID",
        "already a fact of the catalogue",
        "Your rules can read the catalogue's fact as it is. A condition of your own gets a name of its own, "
        "e.g. with your municipality's name in front (<gemeente>_eerdere_boete).",
    ),
    (
        "POLICY_UNKNOWN_PARAMETER",
        "cannot add values to parameter",
        "add.values adds dated values to a parameter the version extended sets. A parameter of national law "
        "that your pack did not set yet goes under add.parameters, whole (unit, date_basis, source, "
        "description, values), and only if the national pack delegates it; otherwise fix the name.",
    ),
    (
        "POLICY_BAD_TEMPLATE",
        "is said as written",
        "Take the placeholder out of this text. Reasons and follow-ups are the same words for every case; "
        "decisions, what-ifs and the national verdict's texts are templates.",
    ),
    (
        "POLICY_NOT_DELEGATED",
        "national law lets a municipality set it no",
        "Keep every dated value within the bound the message names (national law sets it), or remove the "
        "parameter to follow the national value.",
    ),
    (
        "POLICY_NOT_DELEGATED",
        "is the lower end of a range",
        "Lower the lower end or raise the upper end, so that the lower end is at most the upper end on every "
        "day; where you set only one end, the other is the national value.",
    ),
    (
        "POLICY_NOT_DELEGATED",
        "that national law allows",
        "Use one of the values the message lists, or remove the parameter to follow the national value.",
    ),
    (
        "POLICY_NOT_DELEGATED",
        "is fixed by national law",
        "Remove the parameter from the municipal pack: national law fixes it. A municipal pack sets only the "
        "parameters the message lists, within their bounds (docs/how-to/write-a-municipal-pack.md, section 4). "
        "A figure the law leaves to your policy and that is not in the list gets a name of your own; it "
        "may never restate a figure the law fixes, such as this one, under another name.",
    ),
    (
        "POLICY_NOT_DELEGATED",
        "a municipal pack cannot state or widen a bound",
        "Remove delegated from the municipal parameter: the bound is national law's, and your value must stay "
        "within it.",
    ),
    (
        "POLICY_NOT_DELEGATED",
        "which a municipal pack cannot",
        "Take this entry out of the delta: a municipal pack never removes or rewrites national law. It adds "
        "rules of its own that set the delegated facts (the policy's preference, such as warning_preferred), "
        "and sets the parameters national law delegates, within their bounds.",
    ),
    (
        "POLICY_UNKNOWN_PARAMETER",
        "give your value under add.parameters",
        "Move it to add.parameters and write the whole parameter (unit, date_basis, source, description, "
        "values), as a full version does.",
    ),
    (
        "POLICY_INVALID_VALUE",
        "says it has no successor, but",
        "Remove pack.no_successor: a later version takes over. Keep valid_until only if days lie between the "
        "two versions on purpose (they are then refused); otherwise remove it too.",
    ),
    (
        "POLICY_NOT_DELEGATED",
        "a municipal rule may set only",
        "Set one of the facts the message lists (the policy's preference, which the law's choice reads), or "
        "leave the fact to national law.",
    ),
    (
        "POLICY_UNKNOWN_PACK",
        "a delta extends a version of its own pack",
        "Fix the errors of the version this delta extends (they are listed with it): until it loads, the "
        "delta has nothing to extend. Or correct pack.id to the pack whose version you meant.",
    ),
    (
        "POLICY_INVALID_VALUE",
        "a window's span is a whole number",
        "Give the parameter a whole number in the window's unit, from 0 to 100, on every day (a look-back of "
        "five years is years: 5), or write the span in the window itself.",
    ),
    (
        "POLICY_UNREADABLE",
        "lies outside the policy folder",
        "Put the shared part inside the policy folder, in a folder whose name starts with _ "
        "(benefits/_<name>/sources.yaml), and include it by its path from this file (../_<name>/sources.yaml): "
        "what a pack says must lie in the folder that is checked and reviewed.",
    ),
    (
        "POLICY_INVALID_VALUE",
        "include names a .yaml file by its path relative",
        "Write the path from this file's folder to a .yaml file in a folder whose name starts with _ inside the "
        "policy folder (../_<name>/sources.yaml), not an absolute path.",
    ),
    (
        "POLICY_UNREADABLE",
        "the included file",
        "Correct the path (it is read from this file's folder) or create the file; the message suggests a "
        "close name where there is one.",
    ),
    (
        "POLICY_UNKNOWN_FIELD",
        "change.values:",
        "A delta adds dated values under add.values (values: {NAME: [{from: ..., value: ...}]}); to replace "
        "all of a parameter's values, write change.parameters.NAME.values (docs/reference/policy-format.md, "
        "Deltas).",
    ),
    (
        "POLICY_UNKNOWN_FIELD",
        "remove.values:",
        "A delta does not remove dated values: add a value from the day the old one ends under add.values, or "
        "replace them all under change.parameters.NAME.values (docs/reference/policy-format.md, Deltas).",
    ),
    (
        "POLICY_INVALID_VALUE",
        "a what-if sets an amount a case could hold",
        'Write the amount as a case could hold it: whole cents, from 0.00 to 1000000000.00, in quotes ("2480.00").',
    ),
    (
        "POLICY_INVALID_VALUE",
        "a share of an input is at most",
        "Give the percent parameter a value from 0 to 1000 on every day (35 for 35%). A figure of the law, "
        "such as a fine's percentage, is the national parameter's, never one of your own.",
    ),
    (
        "POLICY_NOT_DELEGATED",
        "cannot make an exception to national law",
        "Remove the national rule from exception_to. A municipal rule may be an exception to the municipal "
        "pack's own rules; towards national law it states a preference through the delegated facts.",
    ),
)


def load_hint(code: str, message: str) -> str:
    """The hint for a problem of loading: by its code, sharper where the message says which case it is."""
    for hint_code, words, text in MESSAGE_HINTS:
        if code == hint_code and words in message:
            return text
    return LOAD_HINTS.get(code, "")


def _from_problems(problems: Iterable[Problem]) -> list[Finding]:
    return [Finding(p.where, p.code, "error", p.message, load_hint(p.code, p.message)) for p in problems]


def _dedupe(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Each finding once (the same rule is analysed in several stacks), in file and line order."""
    seen: dict[tuple[str, str, str], Finding] = {}
    for f in findings:
        key = (f.where, f.code, re.sub(r" \(in [^)]*\)| \(in .*\)$", "", f.message))
        seen.setdefault(key, f)

    def order(f: Finding) -> tuple[str, int, int, str]:
        file, line, col = ([*f.where.rsplit(":", 2), "0", "0"])[:3]
        return (file, int(line) if line.isdigit() else 0, int(col) if col.isdigit() else 0, f.code)

    return tuple(sorted(seen.values(), key=order))


def check_policies(root: Path, *, today: dt.date, expiry_warning_days: int = 90) -> CheckReport:
    """Load every pack under ``root``, compile every stack a case can select, and analyse them.

    ``today`` is passed in (the library never reads the clock): packs whose newest version ended
    before it are expired, and those ending within ``expiry_warning_days`` days are reported.
    """
    _positions.cache_clear()
    try:
        in_force, proposed = load_tree(root)
    except PolicyError as err:
        refused = (
            _from_problems(err.problems)
            if err.problems
            else [Finding(str(root), err.code, "error", err.message, err.hint)]
        )
        return CheckReport(str(root), _dedupe(refused))
    policies = PolicySet(in_force, proposed)
    findings: list[Finding] = []
    uses = _stack_uses(policies, findings)
    results = [_analyse(use, findings) for use in uses]
    for use in uses:
        _parameter_gaps(use, findings)
    _version_findings(policies, today, expiry_warning_days, findings)
    _unused_values(policies, findings)
    _rule_texts(policies, findings)
    _letter_templates(root, findings, policies)
    unreachable = _unreachable(results, findings)
    _exceptions_never_apply(results, findings)
    _preferences_never_apply(results, findings)
    packs = tuple(PackSummary(v.id, v.version, len(v.rules), v.sha256) for v in _all_versions(policies))
    return CheckReport(str(root), _dedupe(findings), packs, len(uses), unreachable)


def _letter_templates(root: Path, findings: list[Finding], policies: PolicySet) -> None:
    """A municipality's letter template (``letter.html.j2`` in its pack folder), compiled and rendered on
    every sample context of its domain: a mistake is an error at ``file:line`` now, not when a letter
    is sent. A template in a folder that holds no municipal pack (the national pack's, a shared ``_``
    folder) is never used: a warning, so a team does not believe its letter is the one sent."""
    from maatwerk.letters import TEMPLATE_NAME, LetterTemplateError, template_findings

    municipal = {Path(v.path).resolve().parent for v in _all_versions(policies) if v.file.pack.layer == "municipal"}
    for path in sorted(root.glob(f"*/*/{TEMPLATE_NAME}")):
        if path.parent.resolve() not in municipal and path.parent.parent.name in ("benefits", "providers"):
            findings.append(
                Finding(
                    f"{path}:1:1",
                    "LETTER_TEMPLATE_UNUSED",
                    "warning",
                    f"no municipal pack lies in {path.parent.name}/, so no letter is written with this template "
                    "(the national letter is the package's default)",
                    "Put a municipality's template in its own pack folder "
                    "(policies/<domain>/<municipality>-<domain>/letter.html.j2); for a shared service, copy it "
                    "into the folder of each member municipality's pack (docs/how-to/write-a-letter-template.md).",
                )
            )

    try:
        problems = template_findings(root)
    except LetterTemplateError as err:  # Jinja2 is not installed: say so, once, where it matters
        problems = list(err.problems)
    hint = (
        "Correct the template at the place named (docs/how-to/write-a-letter-template.md lists every name it can use)."
    )
    objection = (
        "A resident must be told how to object and by when, in the law's words: print the national pack's "
        "sentences ({{ letter.objection }}, {{ letter.objection_contents }}) as the default template does, and "
        "write no term of your own (docs/how-to/write-a-letter-template.md, The objection clause)."
    )
    amount = (
        "A letter tells the addressee the amount decided and no other: print {{ amount|eur }} as the default "
        "template does, and write no amount of your own; the steps of the calculation, the instalments and the "
        "amount to repay are in the context (docs/how-to/write-a-letter-template.md, The amount)."
    )
    reason = (
        "A letter gives the decision's motivation: print {{ reason }} where there is one, as the default template "
        "does ({% if reason %}...{% endif %}), visibly (docs/how-to/write-a-letter-template.md, The motivation)."
    )
    law = (
        "Name the law with {{ letter.law }} and cite an article through the pack's sentences (letter.NAME) or "
        "the sources in the context ({{ b.citation }} with its link), as the default template does, and leave "
        "percentages to the calculation's steps; never in the template's own words "
        "(docs/how-to/write-a-letter-template.md, The law)."
    )
    hints = {
        "LETTER_OWN_LAW": law,
        "LETTER_OBJECTION": objection,
        "LETTER_AMOUNT_MISSING": amount,
        "LETTER_OWN_AMOUNT": amount,
        "LETTER_REASON_MISSING": reason,
    }
    findings.extend(
        Finding(
            p.where,
            p.code,
            "error",
            p.message,
            next((h for code, h in hints.items() if p.code.startswith(code)), hint),
        )
        for p in problems
    )


def _unreachable(results: list[_StackResult], findings: list[Finding]) -> tuple[tuple[str, str], ...]:
    """A rule is unreachable when no analysed stack that holds it lets it fire."""
    verdicts: dict[tuple[str, str], list[tuple[bool, str]]] = defaultdict(list)
    where: dict[tuple[str, str], str] = {}
    pack_of: dict[tuple[str, str], str] = {}
    for result in results:
        if not result.analysed:
            continue
        own = _own(result.use.stack)
        for rule_id, reachable in result.reachable.items():
            pack, index, _ = own[rule_id]
            key = (pack.path, rule_id)
            where[key] = _at(pack, "rules", index)
            pack_of[key] = pack.id
            verdicts[key].append((reachable, f"{result.why_not.get(rule_id, '')} (in {result.use.name})"))
    out: list[tuple[str, str]] = []
    for key, seen in verdicts.items():
        if any(ok for ok, _ in seen):
            continue
        message = f"rule {key[1]} can never fire: {seen[0][1]}"
        findings.append(_finding("CHECK_UNREACHABLE_RULE", where[key], message))
        out.append((pack_of[key], key[1]))
    return tuple(sorted(set(out)))


_Key = tuple[str, str, str]


def _in_no_stack(
    results: list[_StackResult],
    items: Callable[[_StackResult, dict[str, tuple[LoadedPack, int, RuleDef]]], Iterable[tuple[_Key, bool, str]]],
) -> dict[_Key, str]:
    """The keys that hold in no analysed stack, each with its place: ``items`` gives, for one stack's
    result, each key with whether it holds there and where it is stated."""
    holds: dict[_Key, bool] = {}
    where: dict[_Key, str] = {}
    for result in results:
        if not result.analysed:
            continue
        for key, ok, at in items(result, _own(result.use.stack)):
            holds[key] = holds.get(key, False) or ok
            where[key] = at
    return {key: where[key] for key, ok in holds.items() if not ok}


def _exceptions_never_apply(results: list[_StackResult], findings: list[Finding]) -> None:
    def items(
        result: _StackResult, own: dict[str, tuple[LoadedPack, int, RuleDef]]
    ) -> Iterator[tuple[_Key, bool, str]]:
        for (ex_id, rule_id), can in result.overlaps.items():
            pack, index, rd = own[ex_id]
            at = _at(pack, "rules", index, "exception_to", rd.rule.exception_to.index(rule_id))
            yield (pack.path, ex_id, rule_id), can, at

    for (_, ex_id, rule_id), where in _in_no_stack(results, items).items():
        message = f"{ex_id} is an exception to {rule_id}, but the two can never hold on the same case"
        findings.append(_finding("CHECK_EXCEPTION_NEVER_APPLIES", where, message))


def _preferences_never_apply(results: list[_StackResult], findings: list[Finding]) -> None:
    """A preference whose rule, in every analysed stack that holds it, fires only where the law rules
    the preferred measure out."""

    def items(
        result: _StackResult, own: dict[str, tuple[LoadedPack, int, RuleDef]]
    ) -> Iterator[tuple[_Key, bool, str]]:
        for (rule_id, measure), lawful in result.preferences.items():
            pack, index, _ = own[rule_id]
            yield (pack.path, rule_id, measure), lawful, _at(pack, "rules", index, "then", "set")

    for (_, rule_id, measure), where in _in_no_stack(results, items).items():
        message = (
            f"{rule_id} states a preference for {measure}, but wherever it fires {measure} cannot be chosen (the "
            "law does not allow it there, or the law or the policy blocks it): the advice is another measure, with "
            "this rule's reason beside it"
        )
        findings.append(_finding("CHECK_PREFERENCE_NEVER_APPLIES", where, message))
