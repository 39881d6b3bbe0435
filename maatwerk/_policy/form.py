# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The words of the caseworker's form as pack data: a pack's ``form`` section, checked and compiled.

The case models say which fields a case has (:func:`leaves`: each field's path, kind, choices and
whether it is required); a national pack's ``form`` says them in words: each group's heading, the
name of one history row, each field's label, question and optional help, and each choice's words,
in Dutch and English. The texts are templates in the language of the verdict's texts
(:func:`maatwerk._policy.verdict.parse_template`), limited to what needs no case: ``{param:NAME}``
(read on the form's date) and ``{cite:SOURCE}``. A choice that is a measure of the verdict takes the
measure's label (one source for the word). A municipal pack gives words only to the facts it
declares itself. Every problem is located, with a did-you-mean, like the rest of a pack.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from maatwerk._format import show_param
from maatwerk._policy._hints import sort_named
from maatwerk._policy.domains import SPECS, DomainTable
from maatwerk._policy.schema import FormDef, LangText, LawSource
from maatwerk._policy.verdict import Placeholder, Template, check_placeholder, parse_template
from maatwerk.errors import Problem

__all__ = ["LIST", "MODELS", "CompiledForm", "FieldText", "Leaf", "check_form", "group_of", "leaves", "render"]

#: The case model of each domain (each domain's spec names it).
MODELS: DomainTable[type[BaseModel]] = DomainTable(SPECS, lambda s: s.model)

#: The list of a case whose entries get rows of fields (add and remove); ``form.item`` names one entry.
LIST = "history"

Kind = Literal["select", "bool", "tri", "date", "money", "count", "text"]


@dataclass(frozen=True, slots=True)
class Leaf:
    """One field of a case model: its path (``history[].kind`` inside the list), its form and choices."""

    path: str
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _kind(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None`` and ``Annotated``, and whether ``None`` (unknown) is allowed."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [_strip(a) for a in typing.get_args(annotation)]
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0], len(rest) != len(args)
    return annotation, False


def leaves(model: type[BaseModel], prefix: str = "") -> Iterator[Leaf]:
    """Every field a person fills in on a case of ``model``, in the model's order (constants left out)."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        base, nullable = _kind(info.annotation)
        required = info.is_required()
        origin = typing.get_origin(base)
        if isinstance(base, type) and issubclass(base, BaseModel):
            yield from leaves(base, f"{path}.")
        elif origin is tuple:
            item = _strip(typing.get_args(base)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                yield from leaves(item, f"{path}[].")
        elif origin is Literal:
            values = tuple(str(v) for v in typing.get_args(base))
            if len(values) > 1:
                yield Leaf(path, "select", required, values)
        elif isinstance(base, type) and issubclass(base, Enum):
            yield Leaf(path, "select", required, tuple(str(m.value) for m in base))
        elif base is bool:
            yield Leaf(path, "tri" if nullable else "bool", required)
        elif base is dt.date:
            yield Leaf(path, "date", required)
        elif base is Decimal:
            yield Leaf(path, "money", required)
        elif base is int:
            low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
            high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
            yield Leaf(path, "count", required, (), low, high)
        elif base is str:
            yield Leaf(path, "text", required)
        else:  # pragma: no cover - a new kind of field needs a form here first
            raise TypeError(f"{model.__name__}.{name}: no form for {base!r}")


def group_of(path: str, own: str | None) -> str:
    """The form's group of a field: its own (``group:``), else its section (``history`` for
    ``history[].kind``), else ``general`` for a field directly on the case."""
    if own is not None:
        return own
    head, dot, _rest = path.partition(".")
    if head.endswith("[]"):
        return head[:-2]
    return head if dot else "general"


@dataclass(frozen=True, slots=True)
class FieldText:
    """A field's words, as templates, and its group."""

    label: Template
    question: Template
    help: Template | None
    group: str


@dataclass(frozen=True, slots=True)
class CompiledForm:
    """The words of a pack's form, checked: a national pack's every part; a municipal pack's ``facts``."""

    groups: Mapping[str, Template]
    item: Template | None
    fields: Mapping[str, FieldText]
    #: Every choice's words, the measures' labels among them.
    choices: Mapping[str, Template]
    facts: Mapping[str, Template]
    #: The page's sentences that state the law around a decision, by name (the domain's ``form_notes``).
    notes: Mapping[str, Template] = field(default_factory=dict)


_PARTS = ("groups", "item", "fields", "choices", "notes")


def _fixed(text: LangText) -> Template:
    return Template((text.nl,), (text.en,))


def check_form(
    form: FormDef | None,
    *,
    domain: str,
    layer: str,
    own_facts: Iterable[str],
    measures: Mapping[str, LangText],
    param_units: Mapping[str, str],
    sources: Mapping[str, Any],
    where: Callable[[tuple[str | int, ...]], str],
    suggest: Callable[[str, Any], str],
    problems: list[Problem],
) -> CompiledForm | None:
    """Check one pack's ``form`` section and compile it (``None``: the pack has none). ``own_facts``: the
    facts the pack declares itself; ``measures``: the labels of its verdict's measures."""
    if form is None:
        return None
    at: tuple[str | int, ...] = ("form",)

    def problem(path: tuple[str | int, ...], code: str, message: str) -> None:
        problems.append(Problem(where((*at, *path)), code, message))

    def template(text: LangText, path: tuple[str | int, ...]) -> Template:
        out: dict[str, tuple[str | Placeholder, ...]] = {}
        for lang in ("nl", "en"):
            parts, errors = parse_template(getattr(text, lang))
            for err in errors:
                problem((*path, lang), "POLICY_BAD_TEMPLATE", err)
            for ph in (p for p in parts if isinstance(p, Placeholder)):
                if ph.kind not in ("param", "cite"):
                    problem(
                        (*path, lang),
                        "POLICY_BAD_TEMPLATE",
                        f"{{{ph.kind}:{ph.name}}}: the form is shown before there is a case; its texts name only "
                        "{param:..} and {cite:..}",
                    )
                    continue
                if ph.kind == "cite" and isinstance(sources.get(ph.name), LawSource):
                    problem(
                        (*path, lang),
                        "POLICY_BAD_TEMPLATE",
                        f"{{cite:{ph.name}}}: this source is another article in each law, and the form is the same "
                        "for every law: cite one article",
                    )
                    continue
                found = check_placeholder(ph, domain, {}, param_units, sources, suggest)
                if found:
                    problem((*path, lang), "POLICY_BAD_TEMPLATE", found)
            out[lang] = parts
        return Template(out["nl"], out["en"])

    own = set(own_facts)
    facts = {}
    for name, text in form.facts.items():
        if name not in own:
            problem(
                ("facts", name),
                "POLICY_NOT_DELEGATED" if layer == "municipal" else "POLICY_UNKNOWN_FACT",
                f"{name!r}: a pack gives the form's words only to the facts it declares itself (facts:)"
                f"{suggest(name, sorted(own))}",
            )
            continue
        facts[name] = template(text, ("facts", name))
    if layer == "municipal":
        for part in _PARTS:
            if getattr(form, part):
                problem(
                    (part,),
                    "POLICY_NOT_DELEGATED",
                    f"the form's {part} are national: a municipal pack gives words only to the facts it declares "
                    "itself (form.facts)",
                )
        return CompiledForm({}, None, {}, {}, facts)

    model = list(leaves(MODELS[domain]))
    paths = [leaf.path for leaf in model]
    fields: dict[str, FieldText] = {}
    for path, words in form.fields.items():
        if path not in paths:
            problem(
                ("fields", path),
                "POLICY_UNKNOWN_FIELD",
                f"{path!r} is not a field of the {domain} case{suggest(path, paths)}",
            )
            continue
        here = ("fields", path)
        fields[path] = FieldText(
            template(words.label, (*here, "label")),
            template(words.question, (*here, "question")),
            None if words.help is None else template(words.help, (*here, "help")),
            group_of(path, words.group),
        )
    lacking = [p for p in paths if p not in form.fields]
    if lacking:
        problem(("fields",), "POLICY_MISSING_FIELD", f"the case fields without words: {', '.join(lacking)}")

    used = list(dict.fromkeys(f.group for f in fields.values()))
    groups = {}
    for gid, heading in form.groups.items():
        if gid not in used:
            problem(("groups", gid), "POLICY_INVALID_VALUE", f"no field is in group {gid!r}{suggest(gid, used)}")
        groups[gid] = template(heading, ("groups", gid))
    missing_groups = [g for g in used if g not in form.groups]
    if missing_groups:
        problem(("groups",), "POLICY_MISSING_FIELD", f"the groups without a heading: {', '.join(missing_groups)}")

    item = None
    if form.item is not None:
        item = template(form.item, ("item",))
    elif any(p.startswith(f"{LIST}[].") for p in paths):
        problem((), "POLICY_MISSING_FIELD", f"item: the name of one row of the {LIST} (e.g. one earlier sanction)")

    values = list(dict.fromkeys(v for leaf in model for v in leaf.choices))
    choices: dict[str, Template] = {}
    for value, text in form.choices.items():
        if value in measures:
            problem(
                ("choices", value),
                "POLICY_INVALID_VALUE",
                f"{value!r} is a measure: the form says the measure's label of verdict.measures (one source); "
                "remove it here",
            )
        elif value not in values:
            problem(
                ("choices", value),
                "POLICY_INVALID_VALUE",
                f"{value!r} is not a choice of any field of the {domain} case{suggest(value, values)}",
            )
        else:
            choices[value] = template(text, ("choices", value))
    for value in values:
        if value in measures:
            choices[value] = _fixed(measures[value])
    lacking = [v for v in values if v not in choices and v not in form.choices]
    if lacking:
        problem(("choices",), "POLICY_MISSING_FIELD", f"the choices without words: {', '.join(lacking)}")
    wanted = SPECS[domain].form_notes
    named, unknown, lacking = sort_named(form.notes, wanted)
    for name in unknown:
        problem(
            ("notes", name),
            "POLICY_INVALID_VALUE",
            f"{name!r} is not a sentence of the {domain} page{suggest(name, wanted)}",
        )
    notes = {name: template(form.notes[name], ("notes", name)) for name in named}
    if lacking:
        problem(("notes",), "POLICY_MISSING_FIELD", f"the page's sentences without words: {', '.join(lacking)}")
    return CompiledForm(groups, item, fields, {v: choices[v] for v in values if v in choices}, facts, notes)


def render(template: Template, param: Callable[[str], tuple[Any, str]], cite: Callable[[str], str]) -> dict[str, str]:
    """A form text in both languages: ``param(name)`` gives a parameter's value and unit on the form's
    date, ``cite(source)`` a source's citation."""
    out = {}
    for lang, parts in (("nl", template.nl), ("en", template.en)):
        shown = []
        for part in parts:
            if isinstance(part, str):
                shown.append(part)
            elif part.kind == "param":
                value, unit = param(part.name)
                shown.append(show_param(value, unit, part.fmt, lang))
            else:
                shown.append(cite(part.name))
        out[lang] = "".join(shown)
    return out
