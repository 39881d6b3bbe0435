# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The case fields a caseworker's form needs: one for every fact the rules of the selected packs read.

Generated, never written per field by hand in the page: the case models give each field's path, type,
choices and whether it is required (:func:`maatwerk._policy.form.leaves`); the fact catalogue
(:mod:`maatwerk._policy.facts`) with :data:`FACT_PATHS` says which case fields an input fact is made of;
the stacks of the packs say which facts their rules and verdict read, and which facts they declare from
the history (a declared fact asks for the history fields its query tests). The words are pack data: the
national pack's ``form`` section gives each group's heading, each case field's label, question and help
and each choice's words, in Dutch and English, as templates over its parameters (checked at load, see
:mod:`maatwerk._policy.form`), so that no identifier reaches the page and no legal figure is typed here.
This module is mechanism only.

:func:`case_fields` is what ``GET /api/v1/case-fields`` serves.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from maatwerk._policy.amounts import amount_paths
from maatwerk._policy.conditions import fields as condition_fields
from maatwerk._policy.declared import HISTORY, Compiled
from maatwerk._policy.domains import SPECS, DomainTable
from maatwerk._policy.form import LIST, MODELS, CompiledForm, Leaf, group_of, leaves, render
from maatwerk._policy.verdict import Template

if typing.TYPE_CHECKING:
    from maatwerk._policy.stack import PolicySet, Stack

__all__ = ["FACT_PATHS", "MODELS", "Leaf", "case_fields", "leaves", "stack_reads"]

# --- which case fields make each input fact ------------------------------------------------------

#: For each input fact of a domain's catalogue (and the names the advice gives a missing amount), the
#: case fields it is made of, the one to ask first first (each domain's spec says it).
#: ``tests/test_fields.py`` checks it covers the catalogue and names only fields of the case model.
FACT_PATHS: DomainTable[Mapping[str, tuple[str, ...]]] = DomainTable(SPECS, lambda s: s.fact_paths)

#: Case fields the domain's own arithmetic reads besides the rules' facts (the ability-to-pay cap, the
#: part before 2013, the reduction for the reasonable term, the limitation term, the ladder's earlier
#: measures, the contract's penalty cap): always on the form.
CALCULATION_PATHS: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.calculation_paths)


# --- what the packs read --------------------------------------------------------------------------


def _declared_paths(domain: str, fact: Compiled) -> tuple[str, ...]:
    """The history fields a declared fact's query tests (``final``: the day it became final)."""
    vocab = HISTORY[domain]
    names: list[str] = [name for name, _ in fact.enums]
    names += ["final_on" if name == "final" else name for name, _ in fact.flags]
    if fact.window is not None:
        by = fact.window[3]
        names += [by, *(b for b in vocab.dates.get(by, ()) if b is not None)]
    return tuple(dict.fromkeys(f"{LIST}[].{n}" for n in names))


def stack_reads(stack: Stack) -> frozenset[str]:
    """The input facts the rules and the verdict of ``stack`` read."""
    found: set[str] = set()
    for rule in stack.rules:
        found |= rule.reads
    for cond in stack.verdict.conditions():
        found |= condition_fields(cond)
    return frozenset(name for name in found if name in stack.facts and not stack.facts[name].output)


def _stacks(
    policies: PolicySet,
    domain: str,
    municipality: str | None,
    law: str | None,
    decision: dt.date | None,
    conduct: dt.date | None,
) -> list[Stack]:
    """The stacks a case of ``domain`` selects on these dates; without a date, every stack it could."""
    from maatwerk.errors import PolicySelectionError

    if decision is not None:
        sel = policies.select(domain, municipality, conduct or decision, decision, law=law)
        return [sel.conduct, sel.decision]
    out: list[Stack] = []
    laws: Iterable[str | None] = (law,) if law is not None else _laws(policies, domain)
    for one in laws:
        for national in policies.national(domain, one):
            municipal: tuple[Any, ...] = (None,)
            if municipality is not None:
                try:
                    municipal = policies.municipal(domain, municipality, national.id)
                except PolicySelectionError:
                    municipal = (None,)
            out.extend(policies.stack(national, mun) for mun in municipal)
    return out


def _laws(policies: PolicySet, domain: str) -> tuple[str | None, ...]:
    """One law per national pack of ``domain`` (a pack without ``laws`` covers all: ``None``)."""
    found: list[str | None] = []
    for versions in policies.packs.values():
        head = versions[0].file.pack
        if head.domain == domain and head.layer == "national":
            found.append(head.laws[0] if head.laws else None)
    return tuple(found)


def _lang(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _national_form(stack: Stack) -> CompiledForm:
    """The form's words of the stack's national pack; a pack without them cannot serve the form."""
    from maatwerk.errors import PolicyError, Problem

    national = stack.packs[0]
    if national.form is None:
        raise PolicyError(
            f"{national.id} {national.version} has no words for the form",
            problems=(
                Problem(
                    f"{national.path}:1:1",
                    "POLICY_MISSING_FIELD",
                    "form: the national pack gives the words of the caseworker's form (policy-format.md, Form)",
                ),
            ),
        )
    return national.form


class _Words:
    """Renders the form's templates of one stack on one date (its parameters' values on that date)."""

    def __init__(self, stack: Stack, conduct: dt.date, decision: dt.date) -> None:
        self.stack = stack
        self.form = _national_form(stack)
        self.params = stack.resolve_params(conduct, decision)

    def _param(self, name: str) -> tuple[Any, str]:
        from maatwerk.errors import PolicySelectionError

        found = self.params.get(name)
        if found is None:
            raise PolicySelectionError(f"parameter {name}, which the form's words name, has no value in this stack")
        return found.value, found.unit

    def _cite(self, sid: str) -> str:
        return self.stack.sources[sid].citation

    def say(self, template: Template) -> dict[str, str]:
        return render(template, self._param, self._cite)

    def field(self, leaf: Leaf) -> dict[str, Any]:
        words = self.form.fields[leaf.path]
        doc: dict[str, Any] = {
            "path": leaf.path,
            "kind": leaf.kind,
            "required": leaf.required,
            "label": self.say(words.label),
            "question": self.say(words.question),
            "help": None if words.help is None else self.say(words.help),
            "choices": [{"value": v, "label": self.say(self.form.choices[v])} for v in leaf.choices],
        }
        if leaf.kind == "count":
            doc["min"], doc["max"] = leaf.minimum, leaf.maximum
        return doc

    def group(self, path: str) -> str:
        words = self.form.fields.get(path)
        return words.group if words is not None else group_of(path, None)

    def about(self, stack: Stack, name: str) -> dict[str, str] | None:
        """What the form says about a fact a pack of ``stack`` declares: the pack's own words (rendered on
        this date), else its description (``None``: no pack declares it)."""
        for pack in stack.packs:
            if pack.form is not None and name in pack.form.facts:
                return self.say(pack.form.facts[name])
            declared = pack.file.facts.get(name)
            if declared is not None:
                return _lang(declared.description.nl, declared.description.en)
        return None


def _words(stacks: list[Stack], conduct: dt.date | None, decision: dt.date | None) -> _Words:
    """The words of the form: on a decision date, the deciding stack's, rendered on that date; without
    one, the newest stack's, rendered on its first day."""
    if decision is not None:
        return _Words(stacks[-1], conduct or decision, decision)

    def first_day(stack: Stack) -> dt.date:
        return max(p.valid_from for p in stack.packs)

    newest = max(stacks, key=first_day)
    day = first_day(newest)
    return _Words(newest, day, day)


def case_fields(
    policies: PolicySet,
    domain: str,
    municipality: str | None,
    *,
    law: str | None = None,
    decision: dt.date | None = None,
    conduct: dt.date | None = None,
) -> dict[str, Any]:
    """The form for a case of ``domain`` under ``municipality``'s packs: every case field a rule, the
    verdict or the arithmetic of the selected packs reads (on these dates; without a date, of every
    version), grouped as the case model groups them, with the national pack's words in Dutch and English
    (rendered on the decision date; without one, the newest version's on its first day); which fields each
    input fact asks for; which field answers each decision for a person; and the page's sentences that
    state the law around a decision (``notes``: why a departure needs a reason). Raises
    :class:`~maatwerk.errors.PolicySelectionError` when no pack covers the domain, law or dates."""
    stacks = _stacks(policies, domain, municipality, law, decision, conduct)
    words = _words(stacks, conduct, decision)
    facts_paths = FACT_PATHS[domain]
    wanted: set[str] = set(CALCULATION_PATHS[domain])
    facts: dict[str, dict[str, Any]] = {}
    decisions: dict[str, dict[str, Any]] = {}
    leaf_list = list(leaves(MODELS[domain]))
    by_path = {leaf.path: leaf for leaf in leaf_list}
    for stack in stacks:
        # The case fields the packs' amounts (``amounts:``) read: asked whenever such a stack applies.
        wanted.update(amount_paths(domain, tuple(stack.amounts.values())))
        declared = {d.name: d for d in stack.declared}
        for name in sorted(stack_reads(stack)):
            if name in declared:
                paths = _declared_paths(domain, declared[name])
                d = declared[name].spec
                about = words.about(stack, name) or _lang(d.description, d.description)
            else:
                paths = facts_paths[name]
                about = None
            wanted.update(paths)
            facts[name] = {"fields": list(paths), "about": about}
        for decision_def in stack.verdict.decisions:
            answered: list[str] = []
            options = decision_def.options
            if options != "available_measures" and options:
                for name in sorted(stack_reads(stack)):
                    leaf = by_path.get((facts_paths.get(name) or ("",))[0])
                    if leaf is not None and leaf.kind == "select" and set(leaf.choices) == set(options):
                        answered = [leaf.path]
                        break
            decisions[decision_def.id] = {"fields": answered}
    for name, paths in facts_paths.items():
        if name not in facts and any(p in CALCULATION_PATHS[domain] for p in paths):
            facts[name] = {"fields": list(paths), "about": None}
    listed = [leaf for leaf in leaf_list if leaf.required or leaf.path in wanted or leaf.path == "case_ref"]
    # A list's row needs its required fields as soon as one of its fields is read.
    if not any(leaf.path.startswith(f"{LIST}[].") for leaf in listed if not leaf.required):
        listed = [leaf for leaf in listed if not leaf.path.startswith(f"{LIST}[].")]
    groups: dict[str, list[Leaf]] = {}
    for leaf in listed:
        groups.setdefault(words.group(leaf.path), []).append(leaf)
    general = groups.get("general", [])
    general.sort(key=lambda leaf: not leaf.required)  # the optional reference last
    out_groups = []
    for gid, members in groups.items():
        group: dict[str, Any] = {
            "id": gid,
            "label": words.say(words.form.groups[gid]),
            "fields": [words.field(leaf) for leaf in members],
        }
        if gid == LIST and words.form.item is not None:
            group["item"] = words.say(words.form.item)
        out_groups.append(group)
    packs = sorted({f"{p.id}@{p.version}" for stack in stacks for p in stack.packs})
    return {
        "domain": domain,
        "municipality": municipality,
        "packs": packs,
        "groups": out_groups,
        "facts": dict(sorted(facts.items())),
        "decisions": dict(sorted(decisions.items())),
        "notes": {name: words.say(text) for name, text in words.form.notes.items()},
    }


def catalogue_paths(domain: str) -> Mapping[str, Leaf]:
    """Every field of the case model of ``domain``, by path."""
    return {leaf.path: leaf for leaf in leaves(MODELS[domain])}
