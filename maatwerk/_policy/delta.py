# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Pack versions as deltas: a version (or a bill) that ``extends`` an earlier version of its pack and
lists only what it adds, changes or removes (docs/reference/policy-format.md, *Deltas*).

:func:`apply_delta` resolves one delta against the full pack it extends into a full
:class:`~maatwerk._policy.schema.PackFile`, so everything downstream (cross-checks, compilation,
selection, the advice) is unchanged. It reports every problem at once, located in the delta
(changing or removing what the extended version does not have, adding what it has), and returns a
:class:`Locator` that places every part of the resolved pack where it is written: in the delta for
what it added or changed, in the file it extends (or further down the chain) for the rest.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, TypeAdapter, ValidationError

from maatwerk._policy._hints import dotted
from maatwerk._policy._yaml import Path as YamlPath
from maatwerk._policy._yaml import Positions, position_of
from maatwerk._policy.schema import (
    AmountDef,
    DatedValue,
    DeclaredFact,
    Followup,
    LawSource,
    PackDelta,
    PackFile,
    Parameter,
    Principle,
    Rule,
    Source,
    Verdict,
)
from maatwerk.errors import Problem

__all__ = ["Located", "Locator", "National", "Written", "apply_delta"]

#: The problem code for naming something the extended version does not have, by section.
UNKNOWN_CODES = {
    "principles": "POLICY_UNKNOWN_PRINCIPLE",
    "sources": "POLICY_UNKNOWN_SOURCE",
    "parameters": "POLICY_UNKNOWN_PARAMETER",
    "followups": "POLICY_UNKNOWN_FOLLOWUP",
    "facts": "POLICY_UNKNOWN_FACT",
    "rules": "POLICY_UNKNOWN_RULE",
    "delegated_facts": "POLICY_UNKNOWN_FACT",
    "amounts": "POLICY_UNKNOWN_FIELD",
}
_SINGULAR = {
    "principles": "principle",
    "sources": "source",
    "parameters": "parameter",
    "followups": "follow-up",
    "facts": "declared fact",
    "rules": "rule",
    "delegated_facts": "delegated fact",
    "amounts": "amount",
}
_MODELS: dict[str, TypeAdapter[Any]] = {
    "principles": TypeAdapter(Principle),
    "sources": TypeAdapter(Source | LawSource),
    "parameters": TypeAdapter(Parameter),
    "followups": TypeAdapter(Followup),
    "facts": TypeAdapter(DeclaredFact),
    "rules": TypeAdapter(Rule),
    "amounts": TypeAdapter(AmountDef),
}


@dataclass(frozen=True, slots=True)
class National:
    """What the national pack a municipal delta layers on defines, so that a delta that changes or
    removes national law is told so (``POLICY_NOT_DELEGATED``) instead of "the version it extends has
    none". ``names`` holds the names of each section (rules by id); ``delegated`` the parameters the
    national pack lets a municipality set."""

    pack_id: str
    names: Mapping[str, frozenset[str]]
    delegated: frozenset[str] = frozenset()


class Located(Protocol):
    """Something whose parts have a place in a file: ``where`` gives ``file:line:col`` for a path (its
    nearest written ancestor when the path itself is not written), ``has`` whether it is written."""

    def where(self, path: YamlPath) -> str: ...

    def has(self, path: YamlPath) -> bool: ...


@dataclass(frozen=True, slots=True)
class Written:
    """One file as written: its positions."""

    path: str
    positions: Positions

    def where(self, path: YamlPath) -> str:
        line, col = position_of(self.positions, path)
        return f"{self.path}:{line}:{col}"

    def has(self, path: YamlPath) -> bool:
        return path in self.positions


@dataclass(frozen=True, slots=True)
class Locator:
    """Where each part of a resolved pack is written. ``parts`` maps a path of the resolved pack
    (``("rules", 3)``) to the places it comes from, first the one that wins (a change in the delta
    before the version it changes); a path is found under its longest mapped prefix."""

    parts: Mapping[YamlPath, Sequence[tuple[Located, YamlPath]]]

    def _candidates(self, path: YamlPath) -> list[tuple[Located, YamlPath]]:
        for n in range(len(path), -1, -1):
            found = self.parts.get(path[:n])
            if found:
                return [(src, (*prefix, *path[n:])) for src, prefix in found]
        return []

    def where(self, path: YamlPath) -> str:
        candidates = self._candidates(path)
        for src, inner in candidates:
            if src.has(inner):
                return src.where(inner)
        src, inner = candidates[0]
        return src.where(inner)

    def has(self, path: YamlPath) -> bool:
        return any(src.has(inner) for src, inner in self._candidates(path))


def _suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass
class _Resolver:
    """Applies one delta's sections to the pack it extends, recording where each resolved part is written."""

    delta: PackDelta
    base: PackFile
    own: Located
    base_at: Located
    base_name: str
    problems: list[Problem]
    parts: dict[YamlPath, list[tuple[Located, YamlPath]]]
    national: National | None = None

    def national_law(self, at: YamlPath, section: str, name: str, verb: str) -> bool:
        """Report a delta that changes or removes what the national pack defines (``True``: reported).
        A parameter the national pack delegates is not yet set by this pack: it is added, not changed."""
        if self.national is None or name not in self.national.names.get(section, frozenset()):
            return False
        what = _SINGULAR[section]
        if section == "parameters" and name in self.national.delegated:
            if verb == "remove":
                message = (
                    f"cannot remove parameter {name!r}: {self.base_name} does not set it, so the national value "
                    f"of {self.national.pack_id} applies already"
                )
            else:
                message = (
                    f"cannot change parameter {name!r}: {self.base_name} does not set it yet; it is a parameter of "
                    f"national law ({self.national.pack_id}) that a municipality may set: give your value under "
                    "add.parameters, with the national name and unit, within the bound national law gives"
                )
            self.problem(at, UNKNOWN_CODES[section], message)
            return True
        self.problem(
            at,
            "POLICY_NOT_DELEGATED",
            f"cannot {verb} {what} {name!r}: it is national law ({self.national.pack_id}), which a municipal "
            f"pack cannot {verb}",
        )
        return True

    def problem(self, at: YamlPath, code: str, message: str) -> None:
        self.problems.append(Problem(self.own.where(at), code, message))

    def merged(self, section: str, name: str, old: BaseModel, patch: BaseModel) -> Any:
        """``old`` with the keys ``patch`` writes replaced, validated as a whole (problems located at the patch)."""
        data = {
            **old.model_dump(by_alias=True, exclude_unset=True),
            **patch.model_dump(by_alias=True, exclude_unset=True),
        }
        try:
            return _MODELS[section].validate_python(data)
        except ValidationError as err:
            for e in err.errors(include_url=False):
                loc = tuple("from" if x == "from_" else x for x in e["loc"] if not str(x).startswith("function-"))
                if section == "sources" and loc and loc[0] in ("Source", "LawSource"):
                    loc = loc[1:]
                self.problem(
                    ("change", section, name, *loc),
                    "POLICY_INVALID_VALUE",
                    f"change.{section}.{name}: {dotted(loc) or 'the result'}: {e['msg']}",
                )
            return None

    def named(self, section: str) -> dict[str, Any]:
        """A mapping section (principles, sources, parameters, follow-ups) with the delta applied."""
        items: dict[str, Any] = dict(getattr(self.base, section))
        origin: dict[str, list[tuple[Located, YamlPath]]] = {n: [(self.base_at, (section, n))] for n in items}
        what = _SINGULAR[section]
        for i, name in enumerate(getattr(self.delta.remove, section)):
            if name not in items and self.national_law(("remove", section, i), section, name, "remove"):
                continue
            if name not in items:
                self.problem(
                    ("remove", section, i),
                    UNKNOWN_CODES[section],
                    f"cannot remove {what} {name!r}: {self.base_name} has none{_suggest(name, items)}",
                )
                continue
            del items[name], origin[name]
        for name, patch in getattr(self.delta.change, section).items():
            if name not in items and self.national_law(("change", section, name), section, name, "change"):
                continue
            if name not in items:
                self.problem(
                    ("change", section, name),
                    UNKNOWN_CODES[section],
                    f"cannot change {what} {name!r}: {self.base_name} has none{_suggest(name, items)} "
                    f"(add it under add.{section})",
                )
                continue
            new = self.merged(section, name, items[name], patch)
            if new is not None:
                items[name] = new
                origin[name] = [(self.own, ("change", section, name)), *origin[name]]
        for name, new in getattr(self.delta.add, section).items():
            if name in items:
                self.problem(
                    ("add", section, name),
                    "POLICY_DUPLICATE_ID",
                    f"cannot add {what} {name!r}: {self.base_name} already has it (change it under change.{section})",
                )
                continue
            items[name] = new
            origin[name] = [(self.own, ("add", section, name))]
        for name, places in origin.items():
            self.parts[(section, name)] = places
        return items

    def values(self, params: dict[str, Parameter]) -> None:
        """New dated values of parameters the extended version has (``add.values``)."""
        for name, added in self.delta.add.values.items():
            param = params.get(name)
            if param is None:
                self.problem(
                    ("add", "values", name),
                    "POLICY_UNKNOWN_PARAMETER",
                    f"cannot add values to parameter {name!r}: {self.base_name} has none{_suggest(name, params)}",
                )
                continue
            taken = {v.from_ for v in param.values}
            dated: list[tuple[DatedValue, tuple[Located, YamlPath]]] = [
                (v, (self.base_at, ("parameters", name, "values", k))) for k, v in enumerate(param.values)
            ]
            for j, value in enumerate(added):
                if value.from_ in taken:
                    self.problem(
                        ("add", "values", name, j, "from"),
                        "POLICY_PARAMETER_DATES",
                        f"{name} already has a value from {value.from_} in {self.base_name} "
                        "(change its values under change.parameters)",
                    )
                    continue
                taken.add(value.from_)
                dated.append((value, (self.own, ("add", "values", name, j))))
            dated.sort(key=lambda pair: pair[0].from_)
            params[name] = param.model_copy(update={"values": [v for v, _ in dated]})
            for k, (_, place) in enumerate(dated):
                self.parts[("parameters", name, "values", k)] = [place]

    def rules(self) -> list[Rule]:
        rules = list(self.base.rules)
        origin: list[list[tuple[Located, YamlPath]]] = [[(self.base_at, ("rules", i))] for i in range(len(rules))]

        def ids() -> list[str]:
            return [r.id for r in rules]

        for i, rule_id in enumerate(self.delta.remove.rules):
            if rule_id not in ids() and self.national_law(("remove", "rules", i), "rules", rule_id, "remove"):
                continue
            if rule_id not in ids():
                self.problem(
                    ("remove", "rules", i),
                    "POLICY_UNKNOWN_RULE",
                    f"cannot remove rule {rule_id!r}: {self.base_name} has none{_suggest(rule_id, ids())}",
                )
                continue
            k = ids().index(rule_id)
            del rules[k], origin[k]
        for rule_id, patch in self.delta.change.rules.items():
            if rule_id not in ids() and self.national_law(("change", "rules", rule_id), "rules", rule_id, "change"):
                continue
            if rule_id not in ids():
                self.problem(
                    ("change", "rules", rule_id),
                    "POLICY_UNKNOWN_RULE",
                    f"cannot change rule {rule_id!r}: {self.base_name} has none{_suggest(rule_id, ids())} "
                    "(add it under add.rules)",
                )
                continue
            k = ids().index(rule_id)
            new = self.merged("rules", rule_id, rules[k], patch)
            if new is not None:
                rules[k] = new
                origin[k] = [(self.own, ("change", "rules", rule_id)), *origin[k]]
        last: int | None = None
        for j, added in enumerate(self.delta.add.rules):
            if added.id in ids():
                self.problem(
                    ("add", "rules", j, "id"),
                    "POLICY_DUPLICATE_ID",
                    f"cannot add rule {added.id!r}: {self.base_name} already has it (change it under change.rules)",
                )
                continue
            if added.after is not None and added.after not in ids():
                self.problem(
                    ("add", "rules", j, "after"),
                    "POLICY_UNKNOWN_RULE",
                    f"rule {added.id} comes after {added.after!r}, which is not a rule here{_suggest(added.after, ids())}",
                )
                position = len(rules)
            elif added.after is not None:
                position = ids().index(added.after) + 1
            else:
                position = len(rules) if last is None else last + 1
            rule = Rule.model_validate(added.model_dump(by_alias=True, exclude_unset=True, exclude={"after"}))
            rules.insert(position, rule)
            origin.insert(position, [(self.own, ("add", "rules", j))])
            last = position
        for k, places in enumerate(origin):
            self.parts[("rules", k)] = places
        return rules

    def delegated_facts(self) -> list[str]:
        facts = list(self.base.delegated_facts)
        origin: list[list[tuple[Located, YamlPath]]] = [
            [(self.base_at, ("delegated_facts", i))] for i in range(len(facts))
        ]
        for i, name in enumerate(self.delta.remove.delegated_facts):
            if name not in facts:
                self.problem(
                    ("remove", "delegated_facts", i),
                    "POLICY_UNKNOWN_FACT",
                    f"cannot remove delegated fact {name!r}: {self.base_name} does not delegate it"
                    f"{_suggest(name, facts)}",
                )
                continue
            k = facts.index(name)
            del facts[k], origin[k]
        for i, name in enumerate(self.delta.add.delegated_facts):
            if name in facts:
                self.problem(
                    ("add", "delegated_facts", i),
                    "POLICY_DUPLICATE_ID",
                    f"cannot add delegated fact {name!r}: {self.base_name} already delegates it",
                )
                continue
            facts.append(name)
            origin.append([(self.own, ("add", "delegated_facts", i))])
        for k, places in enumerate(origin):
            self.parts[("delegated_facts", k)] = places
        return facts


def apply_delta(
    delta: PackDelta,
    own: Located,
    base: PackFile,
    base_at: Located,
    base_name: str,
    problems: list[Problem],
    national: National | None = None,
) -> tuple[PackFile | None, Locator]:
    """The full pack ``delta`` describes on ``base`` (``None`` when it cannot be resolved; the reasons
    are added to ``problems``), and where each of its parts is written. ``own`` locates the delta's
    file, ``base_at`` the pack it extends, ``base_name`` names that pack in messages. ``national``
    (a municipal delta's national pack): changing or removing what it defines is national law."""
    before = len(problems)
    parts: dict[YamlPath, list[tuple[Located, YamlPath]]] = {
        (): [(own, ())],
        ("pack",): [(own, ("pack",))],
        ("schema_version",): [(own, ("schema_version",))],
    }
    resolver = _Resolver(delta, base, own, base_at, base_name, problems, parts, national)
    principles = resolver.named("principles")
    sources = resolver.named("sources")
    parameters = resolver.named("parameters")
    resolver.values(parameters)
    followups = resolver.named("followups")
    facts = resolver.named("facts")
    amounts = resolver.named("amounts")
    rules = resolver.rules()
    delegated_facts = resolver.delegated_facts()
    # The verdict (measures, choice, decisions, what-ifs): the version extended's, with what the delta adds.
    verdict = _verdict(delta, own, base, base_at, parts, problems)
    # The form's words: the version extended's (a delta changes no words yet).
    if base.form is not None:
        parts[("form",)] = [(base_at, ("form",))]
    # The letter's sentences: the version extended's too (a delta changes no words yet).
    if base.letter is not None:
        parts[("letter",)] = [(base_at, ("letter",))]
    locator = Locator(parts)
    if len(problems) > before:
        return None, locator
    resolved = PackFile(
        schema_version=delta.schema_version,
        pack=delta.pack,
        principles=principles,
        sources=sources,
        parameters=parameters,
        followups=followups,
        facts=facts,
        amounts=amounts,
        rules=rules,
        delegated_facts=delegated_facts,
        verdict=verdict,
        form=base.form,
        letter=base.letter,
    )
    return resolved, locator


def _verdict(
    delta: PackDelta,
    own: Located,
    base: PackFile,
    base_at: Located,
    parts: dict[YamlPath, list[tuple[Located, YamlPath]]],
    problems: list[Problem],
) -> Verdict | None:
    added = delta.add.verdict
    if base.verdict is None and added is None:
        return None
    old = base.verdict or Verdict()
    parts[("verdict",)] = [(base_at, ("verdict",))]
    if added is None:
        return old
    out: dict[str, Any] = {}
    for section in ("choice", "decisions", "what_ifs", "alternatives"):
        items: list[Any] = list(getattr(old, section))
        origin: list[YamlPath] = [("verdict", section, i) for i in range(len(items))]
        from_base = [True] * len(items)
        for j, item in enumerate(getattr(added, section)):
            at: YamlPath = ("add", "verdict", section, j)
            ids = [x.id for x in items]
            if item.id in ids:
                problems.append(
                    Problem(own.where((*at, "id")), "POLICY_DUPLICATE_ID", f"{item.id!r} is already in the {section}")
                )
                continue
            k = len(items)
            if item.before is not None:
                if item.before not in ids:
                    problems.append(
                        Problem(
                            own.where((*at, "before")),
                            "POLICY_UNKNOWN_RULE",
                            f"before names {item.before!r}, which is not in the {section}{_suggest(item.before, ids)}",
                        )
                    )
                    continue
                k = ids.index(item.before)
            plain = item.model_dump(by_alias=True, exclude_unset=True)
            plain.pop("before", None)
            items.insert(k, plain)
            origin.insert(k, at)
            from_base.insert(k, False)
        out[section] = items
        for k, (path, b) in enumerate(zip(origin, from_base, strict=True)):
            parts[("verdict", section, k)] = [(base_at if b else own, path)]
    measures: dict[str, Any] = {k: v.model_dump(by_alias=True, exclude_unset=True) for k, v in old.measures.items()}
    for name, m in added.measures.items():
        at = ("add", "verdict", "measures", name)
        if name in measures:
            problems.append(Problem(own.where(at), "POLICY_DUPLICATE_ID", f"measure {name!r} already exists"))
            continue
        keys = list(measures)
        plain = m.model_dump(by_alias=True, exclude_unset=True)
        after = plain.pop("after", None)
        if after is not None and after not in measures:
            problems.append(
                Problem(
                    own.where((*at, "after")),
                    "POLICY_UNKNOWN_MEASURE",
                    f"after names {after!r}, which is not a measure{_suggest(after, keys)}",
                )
            )
            continue
        k = keys.index(after) + 1 if after is not None else len(keys)
        keys.insert(k, name)
        measures = {key: (plain if key == name else measures[key]) for key in keys}
        parts[("verdict", "measures", name)] = [(own, at)]
    data = {
        "measures": measures,
        "tracks": [t.model_dump(by_alias=True, exclude_unset=True) for t in old.tracks],
        "calculation": {k: v.model_dump(by_alias=True, exclude_unset=True) for k, v in old.calculation.items()},
        "texts": {k: v.model_dump(by_alias=True, exclude_unset=True) for k, v in old.texts.items()},
        "engine_steps": {k: v.model_dump(by_alias=True, exclude_unset=True) for k, v in old.engine_steps.items()},
        **{
            section: [x if isinstance(x, dict) else x.model_dump(by_alias=True, exclude_unset=True) for x in items]
            for section, items in out.items()
        },
    }
    return Verdict.model_validate(data)
