# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Did-you-mean hints for validation errors of pydantic models (policy files, cases in scenarios).

Every model maatwerk reads forbids unknown keys, so a typo in a key is an ``extra_forbidden`` error
at the key; the names it could have meant are the fields of the model at the key's parent. A typo in
an enum value is an ``enum`` or ``literal_error`` at the value; the values it could have meant are
the members of the field's type. Both are found by walking the model's fields along the error's
location (``("finances", "financial_data_suplied")``).
"""

from __future__ import annotations

import difflib
import enum
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

__all__ = ["choices_at", "dotted", "hint", "sort_named", "suggest"]


def suggest(name: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or ``""`` when none is close."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def sort_named(given: Iterable[str], wanted: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """The names of a section of named texts against the names it should have: those given and
    wanted, those given but unknown, and those wanted but not given, each in order."""
    known = tuple(wanted)
    names = tuple(given)
    return (
        [n for n in names if n in known],
        [n for n in names if n not in known],
        [n for n in known if n not in names],
    )


def _options(annotation: Any) -> list[Any]:
    """The types an annotation may hold: ``X | None`` and ``Annotated[X, ...]`` unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _options(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return [t for arg in typing.get_args(annotation) if arg is not type(None) for t in _options(arg)]
    return [annotation]


def _field(model: type[BaseModel], name: str) -> Any:
    for field_name, info in model.model_fields.items():
        if name in (field_name, info.alias):
            return info.annotation
    return None


def _step(annotation: Any, part: str | int) -> list[Any]:
    """The annotations one location step below ``annotation``."""
    out: list[Any] = []
    for option in _options(annotation):
        origin = typing.get_origin(option)
        if isinstance(part, int) and origin in (list, tuple):
            args = [a for a in typing.get_args(option) if a is not Ellipsis]
            out.extend(args[:1] if origin is list or len(args) == 1 else args[part : part + 1])
        elif isinstance(part, str) and origin is dict:
            out.append(typing.get_args(option)[1])
        elif isinstance(part, str) and isinstance(option, type) and issubclass(option, BaseModel):
            found = _field(option, part)
            if found is not None:
                out.append(found)
    return out


def _names(annotation: Any) -> list[str]:
    """The keys a mapping of this type may have, and the values a scalar of this type may take."""
    names: list[str] = []
    for option in _options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            names.extend(info.alias or name for name, info in option.model_fields.items())
        elif isinstance(option, type) and issubclass(option, enum.Enum):
            names.extend(str(member.value) for member in option)
        elif typing.get_origin(option) is typing.Literal:
            names.extend(str(arg) for arg in typing.get_args(option))
    return names


def choices_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names (of a model) or allowed values (of an enum or literal) at ``loc`` in ``model``."""
    current: list[Any] = [model]
    for part in loc:
        current = [a for annotation in current for a in _step(annotation, part)]
    return [name for annotation in current for name in _names(annotation)]


def hint(model: type[BaseModel], error: Any) -> str:
    """A did-you-mean for one pydantic error (an item of ``ValidationError.errors()``), or ``""``."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
        return suggest(loc[-1], choices_at(model, loc[:-1]))
    if error["type"] in ("enum", "literal_error") and isinstance(error.get("input"), str):
        return suggest(error["input"], choices_at(model, loc))
    return ""


def dotted(loc: Iterable[str | int]) -> str:
    """A location in words: keys joined by dots, a list item by its 1-based number (``history#1.kind``)."""
    out = ""
    for part in loc:
        out += f"#{part + 1}" if isinstance(part, int) else (f".{part}" if out else part)
    return out
