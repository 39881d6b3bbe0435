# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Load policy packs from a directory, checking everything and reporting every problem at once.

Layout: ``<root>/<domain>/<pack-id>/<valid_from>.yaml``; anything under a ``scenarios`` folder is
a worked case, not a pack. Problems come back as ``file:line:col: CODE: message``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import itertools
import os
import re
import stat
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from maatwerk._policy._hints import dotted, hint
from maatwerk._policy._yaml import MAX_POLICY_BYTES, Positions, load_located, position_of
from maatwerk._policy.amounts import check_amounts
from maatwerk._policy.conditions import TRUE, Cond, ParseContext, normalise, parse
from maatwerk._policy.declared import check_declared, compile_declared, describe_taken
from maatwerk._policy.delta import Located, Locator, National, Written, apply_delta
from maatwerk._policy.domains import DOMAIN_LAWS, SPECS, catalogue
from maatwerk._policy.facts import FactSpec
from maatwerk._policy.form import CompiledForm, check_form
from maatwerk._policy.letter import CompiledLetter, check_letter
from maatwerk._policy.schema import (
    ENGINE_STEPS,
    DatedValue,
    LangText,
    LawSource,
    PackDelta,
    PackFile,
    Parameter,
    Rule,
    Source,
)
from maatwerk._policy.verdict import (
    CompiledVerdict,
    Placeholder,
    check_placeholder,
    check_verdict,
    merge_verdicts,
    parse_template,
)
from maatwerk.errors import PolicyError, Problem

__all__ = ["LoadedPack", "RuleDef", "load_directory", "load_pack_text", "pack_files"]

UNIT_CHECKS: dict[str, type | tuple[type, ...]] = {
    "eur": (int, str),
    "percent": (int, str),
    "factor": (int, str),
    "fraction": (str,),
    "days": int,
    "weeks": int,
    "years": int,
    "months": int,
    "count": int,
    "bool": bool,
    "text": str,
    "date": dt.date,
}


@dataclass(frozen=True, slots=True)
class RuleDef:
    rule: Rule
    condition: Cond
    where: str


@dataclass(frozen=True, slots=True)
class LoadedPack:
    file: PackFile
    path: str
    sha256: str
    rules: tuple[RuleDef, ...]
    #: For a proposed version that an Engine previews: the date of entry into force it assumes.
    assumed_from: dt.date | None = None
    #: For a version written as a delta: ``file:line:col`` of a path of the resolved pack, in the file
    #: where that part is written (the delta, or the version it extends). ``None``: the file at ``path``.
    locate: Callable[[tuple[str | int, ...]], str] | None = None
    #: For a version written as a delta: the SHA-256 of its own file's text (``sha256`` covers the
    #: chain it extends too). ``None``: the file's hash is ``sha256``.
    text_sha256: str | None = None
    #: The pack's verdict section, checked and compiled (``None``: the pack has none).
    verdict: CompiledVerdict | None = None
    #: The words of the caseworker's form, checked and compiled (``None``: the pack has none).
    form: CompiledForm | None = None
    #: The letter's sentences that state the law, checked and compiled (``None``: the pack has none).
    letter: CompiledLetter | None = None

    @property
    def file_sha256(self) -> str:
        """The SHA-256 of the text of the file at ``path`` (what an audit snapshot checks)."""
        return self.sha256 if self.text_sha256 is None else self.text_sha256

    @property
    def id(self) -> str:
        return self.file.pack.id

    @property
    def proposed(self) -> bool:
        return self.file.pack.status == "proposed"

    @property
    def valid_from(self) -> dt.date:
        """The first valid day: the file's, or the assumed one of a previewed proposal."""
        day = self.file.pack.valid_from if self.assumed_from is None else self.assumed_from
        if day is None:
            raise ValueError(f"{self.id} {self.version} is a proposal with no date; preview it with an assumed date")
        return day

    @property
    def version(self) -> str:
        head = self.file.pack
        if head.proposal is not None:
            name = f"voorstel-{head.proposal.id}"
            return name if self.assumed_from is None else f"{name}@{self.assumed_from.isoformat()}"
        assert head.valid_from is not None  # the loader refuses an in-force version without it
        return head.valid_from.isoformat()

    def previewed(self, day: dt.date) -> LoadedPack:
        """This proposed version as if it entered into force on ``day`` (for a preview only)."""
        if not self.proposed:
            raise ValueError(f"{self.id} {self.version} is in force; only a proposal can be previewed")
        return LoadedPack(
            self.file,
            self.path,
            self.sha256,
            self.rules,
            day,
            self.locate,
            self.text_sha256,
            self.verdict,
            self.form,
            self.letter,
        )


@dataclass(slots=True)
class _Parsed:
    file: PackFile
    path: str
    sha256: str
    positions: Positions
    #: A version written as a delta: where each part of the resolved pack is written, and the hash of
    #: its own text (``sha256`` then covers the chain it extends).
    locator: Locator | None = None
    text_sha256: str | None = None

    def where(self, path: Iterable[str | int]) -> str:
        if self.locator is not None:
            return self.locator.where(tuple(path))
        line, col = position_of(self.positions, tuple(path))
        return f"{self.path}:{line}:{col}"

    def has(self, path: tuple[str | int, ...]) -> bool:
        return self.locator.has(path) if self.locator is not None else path in self.positions

    def loaded(
        self,
        rules: tuple[RuleDef, ...],
        verdict: CompiledVerdict | None,
        form: CompiledForm | None,
        letter: CompiledLetter | None,
    ) -> LoadedPack:
        locate = self.where if self.locator is not None else None
        return LoadedPack(
            self.file, self.path, self.sha256, rules, None, locate, self.text_sha256, verdict, form, letter
        )


@dataclass(slots=True)
class _DeltaParsed:
    """A version written as a delta, before it is resolved against the version it extends."""

    delta: PackDelta
    path: str
    sha256: str
    positions: Positions
    #: Where its parts are written when it includes files (``None``: all in its own file).
    locator: Locator | None = None
    #: The SHA-256 of its own text when it includes files (``sha256`` then covers them too).
    text_sha256: str | None = None

    def where(self, path: Iterable[str | int]) -> str:
        if self.locator is not None:
            return self.locator.where(tuple(path))
        line, col = position_of(self.positions, tuple(path))
        return f"{self.path}:{line}:{col}"

    @property
    def located(self) -> Located:
        return self.locator if self.locator is not None else Written(self.path, self.positions)

    @property
    def key(self) -> str | None:
        return _version_key(self.delta.pack.status, self.delta.pack.proposal, self.delta.pack.valid_from)


def _version_key(status: str, proposal: Any, valid_from: dt.date | None) -> str | None:
    """How ``extends`` names a version: its first day, or ``proposed-<id>`` for a bill."""
    if status == "proposed":
        return None if proposal is None else f"proposed-{proposal.id}"
    return None if valid_from is None else valid_from.isoformat()


def _describe(loc: tuple[str | int, ...], data: Any) -> str:
    """A location in a policy file in words: a rule by its id (``rule herziening_pw: basis#1``), a
    list item by its 1-based number, never a 0-based index."""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        raw = data.get("rules") if isinstance(data, dict) else None
        item = raw[loc[1]] if isinstance(raw, list) and loc[1] < len(raw) else None
        rule_id = item.get("id") if isinstance(item, dict) else None
        head = f"rule {rule_id}" if isinstance(rule_id, str) and rule_id else f"rule #{loc[1] + 1} (it has no id)"
        rest = dotted(loc[2:])
        return f"{head}: {rest}" if rest else head
    return dotted(loc) or "(file)"


def _branch_at(loc: tuple[str | int, ...], data: Any) -> int | None:
    """The index in ``loc`` of the name of a union's branch (``sources.x.Source.url``: pydantic tries a
    source as ``Source`` and as ``LawSource``), or None. A branch is a capitalised name that is not a key
    of the data at that place (principle ids such as ``P1`` are keys)."""
    here = data
    for i, part in enumerate(loc):
        if isinstance(part, str) and part[:1].isupper() and not (isinstance(here, dict) and part in here):
            return i
        if isinstance(here, dict):
            here = here.get(part)
        elif isinstance(here, list) and isinstance(part, int) and part < len(here):
            here = here[part]
        else:
            here = None
    return None


def _closest_branch(errors: list[dict[str, Any]], data: Any) -> list[dict[str, Any]]:
    """The errors of the union branch the data was meant as, with the branch name left out of their
    location. pydantic reports every branch of a union that fails: one bad link in a source gave five
    errors (the link, and 'per_law' missing, 'citation', 'identifier' and 'url' not allowed as if it were
    a per-law source). The branch with the fewest errors at a place is the one meant."""
    branches: dict[tuple[str | int, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in errors:
        i = _branch_at(e["loc"], data)
        if i is not None:
            branches[e["loc"][:i]][str(e["loc"][i])] += 1
    chosen = {place: min(counts, key=lambda b: counts[b]) for place, counts in branches.items()}
    out = []
    for e in errors:
        i = _branch_at(e["loc"], data)
        if i is None:
            out.append(e)
        elif chosen[e["loc"][:i]] == e["loc"][i]:
            out.append({**e, "loc": (*e["loc"][:i], *e["loc"][i + 1 :])})
    return out


#: Plain words for the patterns of the pack format, by the key whose value did not match.
_PATTERN_WORDS = {
    "url": "must be a web address that starts with https:// and has no spaces (an http:// address of the "
    "CVDR or wetten.overheid.nl also exists as https://)",
    "identifier": "must be a BWB id (BWBR0015703), a CVDR id (CVDR672805), an ECLI (ECLI:NL:CRVB:2016:9) or a "
    "short reference of letters, digits, spaces and . , : / ( ) -",
}


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


#: The pattern of an id (a rule, parameter, source, fact, decision ...): see ``schema.Identifier``.
_ID_PATTERN = r"^[a-z][a-z0-9_]*$"


def _id_words(value: Any) -> str:
    """Why ``value`` is no id, in plain words: each character that may not be in one, by its Unicode
    name where it is not plain ASCII (a Cyrillic 'а' looks like a Latin 'a' but is another letter)."""
    text = str(value)
    bad: list[str] = []
    for position, char in enumerate(text, 1):
        if not (char.isascii() and (char.islower() or char.isdigit() or char == "_")):
            name = unicodedata.name(char, "unnamed character")
            shown = f"{char!r} ({name}, U+{ord(char):04X})" if not char.isascii() else repr(char)
            bad.append(f"{shown} at position {position}")
    start = "" if text[:1].isascii() and text[:1].islower() else "; it must start with a letter a-z"
    found = f": {', '.join(dict.fromkeys(bad))} may not be in one" if bad else ""
    return f"an id is written in lower-case letters a-z, digits 0-9 and _ only{start}; got {text!r}{found}" + (
        " (a letter from another alphabet that looks like a Latin one is another letter)"
        if any(not c.isascii() for c in text)
        else ""
    )


def _message(e: dict[str, Any], loc: tuple[str | int, ...]) -> str:
    if e["type"] == "string_pattern_mismatch":
        if (e.get("ctx") or {}).get("pattern") == _ID_PATTERN:
            return _id_words(e.get("input"))
        key = next((x for x in reversed(loc) if isinstance(x, str)), "")
        words = _PATTERN_WORDS.get(key)
        if words is not None:
            return f"{words}; got {e.get('input')!r}"
    return str(e["msg"])


def _pydantic_problems(
    err: ValidationError, at: Located, data: Any = None, model: type[BaseModel] = PackFile
) -> list[Problem]:
    out = []
    errors = _closest_branch([dict(e) for e in err.errors()], data)
    # A parameter missing several keys is one problem: a policy team that gives a national parameter
    # its municipal value often writes only `values`, and four "Field required" say less than one line.
    missing: dict[tuple[str | int, ...], list[str]] = defaultdict(list)
    for e in errors:
        loc = e["loc"]
        if e["type"] == "missing" and len(loc) == 3 and loc[0] == "parameters":
            missing[loc[:2]].append(str(loc[2]))
    told: set[tuple[str | int, ...]] = set()
    for e in errors:
        loc = tuple(x for x in e["loc"] if not (isinstance(x, str) and x.startswith("function-")))
        loc = tuple("from" if x == "from_" else x for x in loc)
        kind = e["type"]
        keys = missing.get(loc[:2], []) if kind == "missing" and len(loc) == 3 else []
        if len(keys) > 1:
            if loc[:2] not in told:
                told.add(loc[:2])
                out.append(
                    Problem(
                        at.where(loc[:2]),
                        "POLICY_MISSING_FIELD",
                        f"{_describe(loc[:2], data)}: {_and(keys)} missing; a parameter names its unit, "
                        "date_basis, source and description, also where a municipal pack gives a national "
                        "parameter its own value (the unit as the national pack has it, your own article as "
                        "the source)",
                    )
                )
            continue
        code = {"extra_forbidden": "POLICY_UNKNOWN_FIELD", "missing": "POLICY_MISSING_FIELD"}.get(
            kind, "POLICY_INVALID_VALUE"
        )
        suggestion = hint(model, {**e, "loc": loc})
        out.append(Problem(at.where(loc), code, f"{_describe(loc, data)}: {_message(e, loc)}{suggestion}"))
    return out


#: The key of a section written in a file of its own: ``verdict: {include: ../_shared/providers-verdict.yaml}``.
INCLUDE = "include"


@dataclass(slots=True)
class _Includer:
    """Resolves ``{include: PATH}`` in a policy file: the mapping is replaced by the content of the file at
    PATH (relative to the including file, inside the policy folder ``root``), whose own includes are
    resolved in turn. It records where each included part is written (problems in it are located in
    its own file) and the SHA-256 of every file read, so the pack's hash covers the included content."""

    root: Path | None
    problems: list[Problem]
    parts: dict[tuple[str | int, ...], list[tuple[Located, tuple[str | int, ...]]]]
    hashes: list[str]

    def resolve(
        self,
        data: Any,
        here: Located,
        file: Path | None,
        path: tuple[str | int, ...],
        trail: tuple[Path, ...],
        prefix: tuple[str | int, ...] = (),
    ) -> Any:
        """``data`` with every include replaced (``prefix``: where ``data`` sits in the including pack)."""
        if not isinstance(data, dict):
            return data
        if INCLUDE in data and len(data) == 1:
            return self._include(data[INCLUDE], here, file, path, trail, prefix)
        return {
            key: self.resolve(value, here, file, (*path, key), trail, (*prefix, key)) for key, value in data.items()
        }

    def _include(
        self,
        target: Any,
        here: Located,
        file: Path | None,
        path: tuple[str | int, ...],
        trail: tuple[Path, ...],
        prefix: tuple[str | int, ...],
    ) -> Any:
        at = here.where((*path, INCLUDE))
        if not isinstance(target, str) or not target.endswith(".yaml") or target.startswith("/"):
            self.problems.append(
                Problem(at, "POLICY_INVALID_VALUE", "include names a .yaml file by its path relative to this file")
            )
            return None
        if self.root is None or file is None:
            self.problems.append(
                Problem(at, "POLICY_UNREADABLE", "an include is read with the policy folder: load the folder")
            )
            return None
        wanted = Path(os.path.normpath(file.parent / target))  # named without ``..`` in problems
        real = wanted.resolve()
        if not real.is_relative_to(self.root.resolve()):
            self.problems.append(
                Problem(
                    at, "POLICY_UNREADABLE", f"{target} lies outside the policy folder: an include is not read there"
                )
            )
            return None
        if real in trail:
            loop = " -> ".join(p.name for p in (*trail[trail.index(real) :], real))
            self.problems.append(Problem(at, "POLICY_CYCLE", f"files include each other in a loop: {loop}"))
            return None
        if not wanted.is_file():
            known = sorted(p.name for p in wanted.parent.glob("*.yaml")) if wanted.parent.is_dir() else []
            self.problems.append(
                Problem(
                    at, "POLICY_UNREADABLE", f"the included file {target} does not exist{_suggest(wanted.name, known)}"
                )
            )
            return None
        if not _included_only(real, self.root.resolve()):
            # Every other .yaml is loaded as a pack version of its own: including one would copy a pack
            # (another municipality's, or national law's) into this one, section by section.
            self.problems.append(
                Problem(
                    at,
                    "POLICY_INVALID_VALUE",
                    f"{target} is a pack file of its own, not a part to include: an include names a file in a "
                    "folder whose name starts with _ (such as _shared/), which no pack is loaded from",
                )
            )
            return None
        display = str(wanted)
        try:
            text = read_policy_file(wanted, self.root)
            data, positions = load_located(text, display)
        except PolicyFileRefusedError as refused:
            self.problems.append(Problem(f"{display}:1:1", refused.code, refused.message))
            return None
        except ValueError as err:
            self.problems.extend(err.args[0])
            return None
        self.hashes.append(f"{Path(target).as_posix()}={hashlib.sha256(text.encode('utf-8')).hexdigest()}")
        own = Written(display, positions)
        self.parts[prefix] = [(own, ())]
        return self.resolve(data, own, wanted, (), (*trail, real), prefix)


def _parse_file(
    text: str, display: str, problems: list[Problem], *, file: Path | None = None, root: Path | None = None
) -> _Parsed | _DeltaParsed | None:
    """One policy file (``file`` under the policy folder ``root``: where its includes are read from)."""
    try:
        data, positions = load_located(text, display)
    except ValueError as err:
        problems.extend(err.args[0])
        return None
    if not isinstance(data, dict):
        problems.append(Problem(f"{display}:1:1", "POLICY_INVALID_VALUE", "a policy file is a mapping"))
        return None
    own = Written(display, positions)
    text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    includer = _Includer(root, problems, {(): [(own, ())]}, [])
    before = len(problems)
    trail = (file.resolve(),) if file is not None else ()
    data = includer.resolve(data, own, file, (), trail)
    if len(problems) > before:
        return None
    locator = Locator(includer.parts) if includer.hashes else None
    at: Located = locator if locator is not None else own
    # The hash of a pack covers the files it includes: a change there changes every receipt that used it.
    sha = (
        text_sha
        if not includer.hashes
        else hashlib.sha256("|include|".join((text_sha, *includer.hashes)).encode()).hexdigest()
    )
    if "extends" in data:
        try:
            delta = PackDelta.model_validate(data)
        except ValidationError as err:
            problems.extend(_pydantic_problems(err, at, data, PackDelta))
            return None
        return _DeltaParsed(delta, display, sha, positions, locator, text_sha)
    try:
        pack = PackFile.model_validate(data)
    except ValidationError as err:
        problems.extend(_pydantic_problems(err, at, data))
        return None
    return _Parsed(pack, display, sha, positions, locator, None if locator is None else text_sha)


def _suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _where_under(p: _Parsed, prefix: tuple[str | int, ...]) -> Callable[[tuple[str | int, ...]], str]:
    def where(sub: tuple[str | int, ...]) -> str:
        return p.where((*prefix, *sub))

    return where


def _suggester(choices: Iterable[str]) -> Callable[[str], str]:
    names = list(choices)

    def suggest(name: str) -> str:
        return _suggest(name, names)

    return suggest


def _check_parameter(p: _Parsed, name: str, param: Parameter, problems: list[Problem]) -> None:
    expected = UNIT_CHECKS.get(param.unit)
    previous = None
    for i, dated in enumerate(param.values):
        where = p.where(("parameters", name, "values", i))
        value = dated.value
        if expected is not None and (
            not isinstance(value, expected) or (param.unit != "bool" and isinstance(value, bool))
        ):
            problems.append(Problem(where, "POLICY_PARAMETER_TYPE", f"{name}: a {param.unit} value, got {value!r}"))
        elif param.unit in ("eur", "percent", "factor") and isinstance(value, str):
            try:
                finite = Decimal(value).is_finite()
            except InvalidOperation:
                finite = False
            if not finite:
                problems.append(Problem(where, "POLICY_PARAMETER_TYPE", f"{name}: {value!r} is not a finite number"))
            elif param.unit == "eur":
                _check_money(where, name, value, problems)
        elif param.unit == "eur" and isinstance(value, int) and not isinstance(value, bool):
            _check_money(where, name, value, problems)
        elif param.unit == "fraction" and isinstance(value, str):
            parts = value.split("/")
            if len(parts) != 2 or not all(x.strip().isdigit() for x in parts) or int(parts[1]) == 0:
                problems.append(Problem(where, "POLICY_PARAMETER_TYPE", f"{name}: a fraction is written as '100/75'"))
        if previous is not None and dated.from_ <= previous:
            problems.append(
                Problem(
                    where,
                    "POLICY_PARAMETER_DATES",
                    f"{name}: dated values must be in strictly increasing order of 'from'",
                )
            )
        previous = dated.from_


def _check_money(where: str, name: str, value: str | int, problems: list[Problem]) -> None:
    """An amount of a pack is an amount a case could hold: whole cents, not negative, at most the
    largest amount maatwerk computes with (a case's own limit). A ceiling of 10^28 euro loaded and then
    every advice of the municipality failed with an engine error (``InvalidOperation``)."""
    from maatwerk.models._base import to_money

    try:
        to_money(value)
    except ValueError as err:
        problems.append(Problem(where, "POLICY_PARAMETER_TYPE", f"{name}: {value!r}: {err}"))


def _check_header(p: _Parsed, problems: list[Problem]) -> None:
    """A version in force is named by its first valid day; a proposal by its id and has no date yet."""
    head = p.file.pack
    name = Path(p.path).name
    if head.status == "in_force":
        if head.valid_from is None:
            problems.append(
                Problem(
                    p.where(("pack",)),
                    "POLICY_MISSING_FIELD",
                    "pack.valid_from: a version in force names its first valid day",
                )
            )
        elif name != f"{head.valid_from.isoformat()}.yaml":
            problems.append(
                Problem(
                    p.where(("pack", "valid_from")),
                    "POLICY_FILENAME_MISMATCH",
                    f"a pack version is named by its first valid day: {head.valid_from.isoformat()}.yaml",
                )
            )
        if head.proposal is not None:
            problems.append(
                Problem(
                    p.where(("pack", "proposal")),
                    "POLICY_INVALID_VALUE",
                    "only a proposed version (status: proposed) describes a proposal",
                )
            )
        return
    if head.proposal is None:
        problems.append(
            Problem(
                p.where(("pack", "status")),
                "POLICY_MISSING_FIELD",
                "pack.proposal: a proposed version describes its bill (id, name, source, stage, checked_on)",
            )
        )
    elif name != f"proposed-{head.proposal.id}.yaml":
        problems.append(
            Problem(
                p.where(("pack", "proposal", "id")),
                "POLICY_FILENAME_MISMATCH",
                f"a proposed version is named by its proposal: proposed-{head.proposal.id}.yaml",
            )
        )
    for key, present in (
        ("valid_from", head.valid_from is not None),
        ("valid_until", head.valid_until is not None),
        ("covers_earlier_conduct", head.covers_earlier_conduct),
    ):
        if present:
            problems.append(
                Problem(
                    p.where(("pack", key)),
                    "POLICY_INVALID_VALUE",
                    f"a proposed version has no {key}: its date is unknown until it is law",
                )
            )
    if head.proposal is not None and head.proposal.source not in p.file.sources:
        problems.append(
            Problem(
                p.where(("pack", "proposal", "source")),
                "POLICY_UNKNOWN_SOURCE",
                f"unknown source {head.proposal.source!r}{_suggest(head.proposal.source, p.file.sources)}",
            )
        )


def _comparable(unit: str, value: Any) -> Any:
    """A parameter value as something ``<`` orders: a number for amounts and counts, a date as is."""
    if unit in ("eur", "percent", "factor"):
        return Decimal(str(value))
    if unit == "fraction":
        num, den = str(value).split("/")
        return Decimal(int(num)) / Decimal(int(den))
    return value


def _citation(source_id: str, sources: dict[str, Any]) -> str:
    """The citation of a source for a message: a per-law source as the citation of each law's article."""
    law = sources.get(source_id)
    if isinstance(law, Source):
        return law.citation
    if isinstance(law, LawSource):
        cited = [s.citation for s in (sources.get(sid) for sid in law.per_law.values()) if isinstance(s, Source)]
        return "; ".join(dict.fromkeys(cited)) or source_id
    return source_id


def _delegated_names(versions: Iterable[PackFile]) -> list[str]:
    """The parameters the national ``versions`` let a municipality set, sorted."""
    return sorted({n for f in versions for n, param in f.parameters.items() if param.delegated is not None})


def _check_delegated(
    p: _Parsed, name: str, param: Parameter, base: list[_Parsed], sources: dict[str, Any], problems: list[Problem]
) -> None:
    """A municipal parameter that a national pack defines must be delegated by it, and every municipal
    value must stay within the national bounds on every day it applies."""
    national_versions = [b for b in base if name in b.file.parameters]
    national = national_versions[-1].file.parameters[name]
    cited = _citation(national.source, sources)
    bounds = next(
        (b.file.parameters[name].delegated for b in reversed(national_versions) if b.file.parameters[name].delegated),
        None,
    )
    if bounds is None:
        problems.append(
            Problem(
                p.where(("parameters", name)),
                "POLICY_NOT_DELEGATED",
                f"{name} is fixed by national law ({cited}); a municipal pack may not set it. The parameters "
                f"{base[-1].file.pack.id} lets a municipality set: {', '.join(_delegated_names(b.file for b in base)) or 'none'}",
            )
        )
        return
    national_values = sorted(
        (v for b in national_versions for v in b.file.parameters[name].values), key=lambda v: v.from_
    )
    ordered = sorted(param.values, key=lambda v: v.from_)
    for i, dated in enumerate(param.values):
        nxt = next((v.from_ for v in ordered if v.from_ > dated.from_), None)
        until = nxt if nxt is not None else (p.file.pack.valid_until or dt.date.max)
        where = p.where(("parameters", name, "values", i, "value"))
        if bounds.one_of is not None and dated.value not in bounds.one_of:
            problems.append(
                Problem(
                    where,
                    "POLICY_NOT_DELEGATED",
                    f"{name} = {dated.value!r} is not one of {bounds.one_of} that national law allows ({cited})",
                )
            )
        for bound, word in ((bounds.at_most, "above"), (bounds.at_least, "below")):
            if bound is None:
                continue
            try:
                mine = _comparable(param.unit, dated.value)
                if bound != "national":
                    limits = [(_comparable(param.unit, bound), "the bound")]
                else:
                    limits = []
                    for j, nv in enumerate(national_values):
                        n_until = national_values[j + 1].from_ if j + 1 < len(national_values) else dt.date.max
                        if nv.from_ < until and n_until > dated.from_:  # in force on a day this value applies
                            limits.append((_comparable(param.unit, nv.value), f"the national value from {nv.from_}"))
                for limit, what in limits:
                    if (mine > limit) if word == "above" else (mine < limit):
                        problems.append(
                            Problem(
                                where,
                                "POLICY_NOT_DELEGATED",
                                f"{name} = {dated.value} from {dated.from_} is {word} {what} ({limit}; {cited}); "
                                f"national law lets a municipality set it no {'higher' if word == 'above' else 'lower'}",
                            )
                        )
                        break
            except (InvalidOperation, TypeError, ValueError):
                continue  # a value of the wrong unit: POLICY_PARAMETER_TYPE says so


def _check_order(p: _Parsed, base: list[_Parsed], sources: dict[str, Any], problems: list[Problem]) -> None:
    """``delegated.not_above``: a parameter that is the lower end of a range is never above its upper
    end, on any day: in the national pack, and in a municipal pack over it, whichever end the
    municipality sets (with the other end the law's)."""
    f = p.file
    municipal = f.pack.layer == "municipal"
    national = [b.file for b in base] if municipal else [f]
    pairs: dict[str, tuple[str, Parameter]] = {}
    for nf in national:
        for name, param in nf.parameters.items():
            if param.delegated is not None and param.delegated.not_above is not None:
                pairs[name] = (param.delegated.not_above, param)
    for low, (high, low_param) in pairs.items():
        if not municipal:
            other = f.parameters.get(high)
            at = p.where(("parameters", low, "delegated", "not_above"))
            if other is None:
                problems.append(
                    Problem(
                        at,
                        "POLICY_UNKNOWN_PARAMETER",
                        f"{high!r} is not a parameter of this pack{_suggest(high, f.parameters)}",
                    )
                )
                continue
            if (other.unit, other.date_basis) != (low_param.unit, low_param.date_basis):
                problems.append(
                    Problem(
                        at,
                        "POLICY_PARAMETER_TYPE",
                        f"{low} ({low_param.unit}, by {low_param.date_basis}) cannot be held below {high} "
                        f"({other.unit}, by {other.date_basis}): give both the same unit and date basis",
                    )
                )
                continue
        elif low not in f.parameters and high not in f.parameters:
            continue  # the national pack's own values are checked where it is loaded

        def timeline(name: str) -> tuple[list[DatedValue], bool]:
            if name in f.parameters:
                return sorted(f.parameters[name].values, key=lambda v: v.from_), True
            found = (v for nf in national for v in (nf.parameters[name].values if name in nf.parameters else ()))
            return sorted(found, key=lambda v: v.from_), False

        lows, low_own = timeline(low)
        highs, high_own = timeline(high)
        first = f.pack.valid_from if municipal and f.pack.valid_from is not None else dt.date.min
        end = f.pack.valid_until or dt.date.max
        days = sorted({first, *(v.from_ for v in (*lows, *highs))})
        for day in days:
            if not first <= day < end:
                continue
            lv = next((v for v in reversed(lows) if v.from_ <= day), None)
            hv = next((v for v in reversed(highs) if v.from_ <= day), None)
            if lv is None or hv is None:
                continue
            try:
                above = _comparable(low_param.unit, lv.value) > _comparable(low_param.unit, hv.value)
            except (InvalidOperation, TypeError, ValueError):
                break  # a value of the wrong unit: POLICY_PARAMETER_TYPE says so
            if not above:
                continue
            mine, mine_v = (low, lv) if low_own or not high_own else (high, hv)
            index = next(i for i, v in enumerate(f.parameters[mine].values) if v is mine_v)
            where = p.where(("parameters", mine, "values", index, "value"))
            if any(found.where == where for found in problems):
                break  # the value is refused already (outside its own bound): one error for it
            problems.append(
                Problem(
                    where,
                    "POLICY_NOT_DELEGATED" if municipal else "POLICY_INVALID_VALUE",
                    f"{low} = {lv.value} is above {high} = {hv.value} on {day} "
                    f"({_citation(low_param.source, sources)}): {low} is the lower end of a range "
                    f"whose upper end is {high}, and may never be above it",
                )
            )
            break


def _check_principles(
    p: _Parsed, base: list[_Parsed], sources: dict[str, Any], base_rule_ids: set[str], problems: list[Problem]
) -> None:
    """Principles belong to whoever states them: a national pack states the law's purposes (with their
    source and the engine steps they serve); a municipal pack states its own principles, under ids of
    its own, and says which national purposes, rules or engine steps each serves."""
    f = p.file
    national = f.pack.layer == "national"
    purposes = {pid: b.file.pack.id for b in base for pid in b.file.principles}
    targets = sorted(base_rule_ids | set(ENGINE_STEPS))
    for pid, pr in f.principles.items():
        at = ("principles", pid)
        if pr.source is not None and pr.source not in sources:
            problems.append(
                Problem(
                    p.where((*at, "source")),
                    "POLICY_UNKNOWN_SOURCE",
                    f"unknown source {pr.source!r}{_suggest(pr.source, sources)}",
                )
            )
        if national and pr.serves:
            problems.append(
                Problem(
                    p.where((*at, "serves")),
                    "POLICY_INVALID_VALUE",
                    "serves is for a municipal principle: a national pack states the law's purposes, and a "
                    "municipal principle says which of them it serves",
                )
            )
        if not national and pr.engine_steps:
            problems.append(
                Problem(
                    p.where((*at, "engine_steps")),
                    "POLICY_INVALID_VALUE",
                    "engine_steps is for a purpose of national law; a municipal principle names an engine step "
                    "in serves",
                )
            )
        if not national and pid in purposes:
            problems.append(
                Problem(
                    p.where(at),
                    "POLICY_DUPLICATE_ID",
                    f"{pid} is a purpose of national law in {purposes[pid]}; a municipal pack states its own "
                    "principles under ids of its own (and says in serves which purposes they serve)",
                )
            )
        if national:
            continue
        for j, served in enumerate(pr.serves or ()):
            if served[0].isupper():
                if served not in purposes:
                    problems.append(
                        Problem(
                            p.where((*at, "serves", j)),
                            "POLICY_UNKNOWN_PRINCIPLE",
                            f"{served!r} is no purpose of the national pack{_suggest(served, purposes)}",
                        )
                    )
            elif served not in base_rule_ids and served not in ENGINE_STEPS:
                problems.append(
                    Problem(
                        p.where((*at, "serves", j)),
                        "POLICY_UNKNOWN_RULE",
                        f"{served!r} is no rule of the national pack and no engine step{_suggest(served, targets)}",
                    )
                )


def _check_law_sources(p: _Parsed, sources: dict[str, Any], problems: list[Problem]) -> None:
    """A per-law source names an ordinary source for every law the pack covers, and no other law."""
    f = p.file
    laws = tuple(f.pack.laws) or DOMAIN_LAWS[f.pack.domain]
    for name, src in f.sources.items():
        if not isinstance(src, LawSource):
            continue
        for law, target in src.per_law.items():
            at = ("sources", name, "per_law", law)
            if law not in DOMAIN_LAWS[f.pack.domain]:
                problems.append(
                    Problem(
                        p.where(at),
                        "POLICY_INVALID_VALUE",
                        f"{law!r} is not a law of domain {f.pack.domain}; known: {', '.join(DOMAIN_LAWS[f.pack.domain])}",
                    )
                )
            elif not isinstance(sources.get(target), Source):
                problems.append(
                    Problem(
                        p.where(at),
                        "POLICY_UNKNOWN_SOURCE",
                        f"{name} names {target!r} for {law}, which is not a source with a citation"
                        f"{_suggest(target, sources)}",
                    )
                )
        missing = [law for law in laws if law not in src.per_law]
        if missing:
            problems.append(
                Problem(
                    p.where(("sources", name, "per_law")),
                    "POLICY_MISSING_FIELD",
                    f"{name} names no source for {', '.join(missing)}: a case under that law would cite nothing",
                )
            )


def _check_one_pack_per_municipality(by_id: dict[str, list[_Parsed]], problems: list[Problem]) -> None:
    """A municipality has one pack per national pack: a second pack that names the same municipality
    (a copy under another id, or a pack whose ``municipality`` was not changed) would leave every case
    of that municipality refused, so ``maatwerk check`` says so at the header of each of them."""
    groups: dict[tuple[str, str, str | None], list[str]] = defaultdict(list)
    for pack_id in sorted(by_id):
        head = by_id[pack_id][0].file.pack
        if head.layer == "municipal" and head.municipality is not None:
            groups[(head.domain, head.municipality, head.base)].append(pack_id)
    for (_, municipality, base), ids in groups.items():
        if len(ids) < 2:
            continue
        for pack_id in ids:
            others = ", ".join(i for i in ids if i != pack_id)
            version = min(by_id[pack_id], key=lambda x: x.file.pack.valid_from or dt.date.min)
            problems.append(
                Problem(
                    version.where(("pack", "municipality")),
                    "POLICY_DUPLICATE_ID",
                    f"municipality {municipality!r} has another pack on {base}: {others}; a municipality has one "
                    f"pack per national pack, so every case of {municipality!r} would be refused",
                )
            )


def _check_no_shadowing(p: _Parsed, base: list[_Parsed], problems: list[Problem]) -> None:
    """A municipal pack adds sources and follow-ups under ids of its own. One with the id of its national
    pack's would replace it in every advice: the law's rules would cite the municipality's words for the
    law, or propose the municipality's follow-up in the law's name."""
    for section, what, own in (
        ("sources", "source", "cite it by its id, or add your own article under an id of your own"),
        ("followups", "follow-up", "propose it by its id, or add your own follow-up under an id of your own"),
    ):
        for key in getattr(p.file, section):
            national = next((b for b in reversed(base) if key in getattr(b.file, section)), None)
            if national is None:
                continue
            at = p.where((section, key))
            there = national.where((section, key)) if national.positions else national.path
            problems.append(
                Problem(
                    at,
                    "POLICY_DUPLICATE_ID",
                    f"{what} {key!r} is already a {what} of the national pack {national.file.pack.id} ({there}); "
                    f"a municipal pack cannot replace what national law says: {own}",
                )
            )


def _defining(base: list[_Parsed], rule_id: str) -> _Parsed:
    """The newest version of the base pack that has a rule ``rule_id``."""
    having = [b for b in base if any(r.id == rule_id for r in b.file.rules)]
    return max(having, key=lambda b: b.file.pack.valid_from or dt.date.min)


def _rule_where(p: _Parsed, rule_id: str) -> str:
    """``file:line:col`` of the id of rule ``rule_id`` in ``p`` (just the file when its positions are unknown)."""
    index = next(i for i, r in enumerate(p.file.rules) if r.id == rule_id)
    return p.where(("rules", index, "id")) if p.positions else p.path


#: A placeholder of a template (``{param:NAME}``), in a text that is not one.
_PLACEHOLDER = re.compile(r"\{(?:param|cite|value|reason|reasons|rule):[^{}]*\}")


def _no_placeholders(
    p: _Parsed, path: tuple[str | int, ...], text: LangText, what: str, problems: list[Problem]
) -> None:
    """A follow-up's text and a principle's words are said as written (the same words for every case):
    a placeholder in them would reach the reader as it stands, so it is refused where it is written."""
    for lang in ("nl", "en"):
        found = _PLACEHOLDER.search(getattr(text, lang))
        if found is not None:
            problems.append(
                Problem(
                    p.where((*path, lang)),
                    "POLICY_BAD_TEMPLATE",
                    f"{what} is said as written, not filled in per case: {found.group(0)} would be shown as it "
                    "stands. Write the words without placeholders; a sentence that needs a figure or a "
                    "citation goes in a rule's reason, a decision's question or consequences, or a what-if "
                    "(templates, filled in for the case)",
                )
            )


def _reason_template(
    p: _Parsed,
    path: tuple[str | int, ...],
    text: LangText,
    rule_id: str,
    units: Mapping[str, str],
    sources: Mapping[str, Any],
    problems: list[Problem],
) -> None:
    """A rule's reason is said alike for every case the rule fires on: a template that may name the
    pack's parameters (``{param:NAME}``, filled in with their values on the case's dates, so that text
    and figure cannot drift apart) and one article (``{cite:SOURCE}``), nothing that depends on the case."""
    for lang in ("nl", "en"):
        parts, errors = parse_template(getattr(text, lang))
        found = list(errors)
        for ph in (part for part in parts if isinstance(part, Placeholder)):
            if ph.kind not in ("param", "cite"):
                found.append(
                    f"{{{ph.kind}:{ph.name}}}: the reason of rule {rule_id} is said alike for every case it fires "
                    "on, so it names only {param:..} (a parameter, on the case's dates) and {cite:..} (one "
                    "article); a sentence that depends on the case goes in the verdict's texts or a decision's "
                    "question"
                )
            elif ph.kind == "cite" and isinstance(sources.get(ph.name), LawSource):
                found.append(
                    f"{{cite:{ph.name}}}: this source is another article in each law; a reason cites one article "
                    "(the rule's basis already cites each law's own)"
                )
            else:
                wrong = check_placeholder(ph, "", {}, units, sources, _suggest)
                if wrong:
                    found.append(wrong)
        problems.extend(Problem(p.where((*path, lang)), "POLICY_BAD_TEMPLATE", message) for message in found)


def _unknown_principle(pr: str, principles: Mapping[str, Any]) -> str:
    """Why a principle id is unknown, with the ids the pack may name: a municipal pack names its own
    principles or the law's purposes, never another municipality's (principles are not inherited)."""
    known = ", ".join(sorted(principles)) or "none"
    return (
        f"unknown principle {pr!r}{_suggest(pr, principles)}: this pack may name {known} (its own principles and "
        "the national pack's purposes); another municipality's principles are not inherited, state your own "
        "under principles"
    )


def _check_factor(
    p: _Parsed, verdict: CompiledVerdict, decision: str, at: tuple[str | int, ...], problems: list[Problem]
) -> None:
    """A factor names a decision the packs' verdict asks for, and one whose question shows rules' factors."""
    known = [d.id for d in verdict.decisions]
    shown = [d.id for d in verdict.decisions if d.rule_factors]
    if decision not in known:
        problems.append(
            Problem(
                p.where(at),
                "POLICY_UNKNOWN_DECISION",
                f"the verdict asks no decision {decision!r}{_suggest(decision, known)}; "
                f"a factor is given to one of {', '.join(shown) or '(none: no decision shows factors)'}",
            )
        )
    elif decision not in shown:
        problems.append(
            Problem(
                p.where(at),
                "POLICY_FACTOR_DROPPED",
                f"the question {decision!r} shows no factors of rules (rule_factors), so this factor would be "
                f"dropped; a factor is given to one of {', '.join(shown)}",
            )
        )


def _semantic(
    p: _Parsed, base: list[_Parsed], problems: list[Problem]
) -> tuple[tuple[RuleDef, ...], CompiledVerdict | None, CompiledForm | None, CompiledLetter | None]:
    f = p.file
    facts = catalogue(f.pack.domain)
    _check_header(p, problems)
    if f.pack.valid_until is not None and f.pack.valid_from is not None and f.pack.valid_until < f.pack.valid_from:
        problems.append(
            Problem(p.where(("pack", "valid_until")), "POLICY_INVALID_VALUE", "valid_until lies before valid_from")
        )
    ns = f.pack.no_successor
    if ns is not None and f.pack.valid_until is None:
        problems.append(
            Problem(
                p.where(("pack", "no_successor")),
                "POLICY_INVALID_VALUE",
                "no_successor says why a version that ends has no next one: give the pack its valid_until",
            )
        )
    if ns is not None and ns.source is not None and ns.source not in f.sources:
        problems.append(
            Problem(
                p.where(("pack", "no_successor", "source")),
                "POLICY_UNKNOWN_SOURCE",
                f"unknown source {ns.source!r}{_suggest(ns.source, f.sources)}",
            )
        )
    if f.pack.layer == "municipal" and (f.pack.base is None or f.pack.municipality is None):
        problems.append(
            Problem(p.where(("pack",)), "POLICY_MISSING_FIELD", "a municipal pack names its base pack and municipality")
        )
    if f.pack.layer == "national" and f.pack.base is not None:
        problems.append(
            Problem(
                p.where(("pack", "base")),
                "POLICY_INVALID_VALUE",
                "a national pack has no base: a pack on top of national law is a municipality's policy, "
                "which says layer: municipal",
            )
        )
    if f.pack.layer == "national" and f.pack.municipality is not None:
        problems.append(
            Problem(
                p.where(("pack", "municipality")),
                "POLICY_INVALID_VALUE",
                "a national pack applies in every municipality and names none: a municipality's policy says "
                "layer: municipal and names its national pack as base",
            )
        )
    if f.pack.layer == "national" and (f.pack.base is not None or f.pack.municipality is not None):
        # A municipality's policy written as national by mistake: the rest of the file would be judged as
        # national law (its principles' `serves`, its citations of the law's sources, every figure of the
        # law it lacks), which is a list of consequences, not of mistakes. Say the one mistake.
        return (), None, None, None
    if f.pack.layer == "municipal":
        for i, name in enumerate(f.delegated_facts):
            problems.append(
                Problem(
                    p.where(("delegated_facts", i)),
                    "POLICY_NOT_DELEGATED",
                    f"delegated_facts is said by national law, for the facts a municipal rule may set; a municipal "
                    f"pack cannot widen that list ({name!r}). Its rules set the facts its national pack delegates",
                )
            )
    if f.pack.laws and f.pack.layer != "national":
        problems.append(
            Problem(p.where(("pack", "laws")), "POLICY_INVALID_VALUE", "only a national pack names the laws it covers")
        )
    for i, law in enumerate(f.pack.laws):
        if law not in DOMAIN_LAWS[f.pack.domain]:
            problems.append(
                Problem(
                    p.where(("pack", "laws", i)),
                    "POLICY_INVALID_VALUE",
                    f"{law!r} is not a law of domain {f.pack.domain}; known: {', '.join(DOMAIN_LAWS[f.pack.domain])}",
                )
            )

    def union(attr: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for b in base:
            out.update(getattr(b.file, attr))
        out.update(getattr(f, attr))
        return out

    sources, params, principles, followups = (
        union("sources"),
        union("parameters"),
        union("principles"),
        union("followups"),
    )
    _check_law_sources(p, sources, problems)
    base_rule_ids = {r.id for b in base for r in b.file.rules}
    if f.pack.source is not None and f.pack.source not in sources:
        problems.append(
            Problem(p.where(("pack", "source")), "POLICY_UNKNOWN_SOURCE", f"unknown source {f.pack.source!r}")
        )
    for name, param in f.parameters.items():
        if param.source not in sources:
            problems.append(
                Problem(
                    p.where(("parameters", name, "source")),
                    "POLICY_UNKNOWN_SOURCE",
                    f"unknown source {param.source!r}{_suggest(param.source, sources)}",
                )
            )
        if param.delegated is not None and f.pack.layer == "municipal":
            problems.append(
                Problem(
                    p.where(("parameters", name, "delegated")),
                    "POLICY_NOT_DELEGATED",
                    f"{name}: delegated is said by national law, for what a municipality may set; a municipal "
                    "pack cannot state or widen a bound",
                )
            )
        base_param = next((b.file.parameters[name] for b in base if name in b.file.parameters), None)
        if base_param is not None:
            _check_delegated(p, name, param, base, sources, problems)
        if base_param is not None and base_param.unit != param.unit:
            problems.append(
                Problem(
                    p.where(("parameters", name, "unit")),
                    "POLICY_PARAMETER_TYPE",
                    f"{name} overrides a {base_param.unit} parameter with unit {param.unit}",
                )
            )
        _check_parameter(p, name, param, problems)
    _check_order(p, base, sources, problems)
    audiences = SPECS[f.pack.domain].audiences if f.pack.domain in SPECS else ()
    for fid, fu in f.followups.items():
        _no_placeholders(p, ("followups", fid, "text"), fu.text, f"the text of follow-up {fid}", problems)
        if audiences and fu.audience not in audiences:
            problems.append(
                Problem(
                    p.where(("followups", fid, "audience")),
                    "POLICY_INVALID_VALUE",
                    f"follow-up {fid} is addressed to {fu.audience!r}, who takes no part in a {f.pack.domain} case "
                    f"(without audience: 'inwoner'); write audience: one of {', '.join(audiences)}",
                )
            )
        for j, pr in enumerate(fu.principles):
            if pr not in principles:
                problems.append(
                    Problem(
                        p.where(("followups", fid, "principles", j)),
                        "POLICY_UNKNOWN_PRINCIPLE",
                        _unknown_principle(pr, principles),
                    )
                )
    units = {name: param.unit for name, param in params.items()}
    for i, rule in enumerate(f.rules):
        _reason_template(p, ("rules", i, "reason"), rule.reason, rule.id, units, sources, problems)
    for pid, principle in f.principles.items():
        for part in ("label", "demand"):
            _no_placeholders(p, ("principles", pid, part), getattr(principle, part), f"the {part} of {pid}", problems)

    _check_principles(p, base, sources, base_rule_ids, problems)
    if base:
        _check_no_shadowing(p, base, problems)

    # Declared facts: the base pack's (any version) and this pack's own join the catalogue for its rules.
    base_declared = {name: b.file.pack.id for b in base for name in b.file.facts}
    check_declared(
        f.pack.domain,
        f.facts,
        describe_taken(facts, base_declared),
        params.get,
        _where_under(p, ("facts",)),
        problems,
    )
    facts = dict(facts)
    for b in base:
        for name, decl in b.file.facts.items():
            facts.setdefault(name, compile_declared(f.pack.domain, b.file.pack.id, name, decl).spec)
    for name, decl in f.facts.items():
        facts.setdefault(name, compile_declared(f.pack.domain, f.pack.id, name, decl).spec)
    # Amounts (``amounts:``): this pack's own, beside its base's; its verdict's texts may name either.
    base_amounts = {name: b.file.pack.id for b in base for name in b.file.amounts}
    check_amounts(
        f.amounts,
        domain=f.pack.domain,
        params=params,
        sources=sources,
        taken=base_amounts,
        where=p.where,
        suggest=_suggest,
        problems=problems,
    )
    amounts = frozenset((*base_amounts, *f.amounts))
    own_verdict, national_verdict = _verdict(p, base, facts, params, sources, problems, amounts)
    stack_verdict = merge_verdicts(national_verdict, own_verdict) if national_verdict else own_verdict
    form = check_form(
        f.form,
        domain=f.pack.domain,
        layer=f.pack.layer,
        own_facts=f.facts,
        measures={k: m.label for k, m in f.verdict.measures.items()} if f.verdict is not None else {},
        param_units={name: param.unit for name, param in params.items()},
        sources=sources,
        where=p.where,
        suggest=_suggest,
        problems=problems,
    )
    letter = check_letter(
        f.letter,
        domain=f.pack.domain,
        layer=f.pack.layer,
        laws=f.pack.laws,
        measures=f.verdict.measures if f.verdict is not None else (),
        param_units={name: param.unit for name, param in params.items()},
        sources=sources,
        where=p.where,
        suggest=_suggest,
        problems=problems,
    )

    ids: dict[str, int] = {}
    rule_defs: list[RuleDef] = []
    own_ids = {r.id for r in f.rules}
    for i, rule in enumerate(f.rules):
        at = ("rules", i)
        if rule.id in ids:
            problems.append(
                Problem(
                    p.where((*at, "id")),
                    "POLICY_DUPLICATE_ID",
                    f"rule id {rule.id!r} is used twice in this file (first on line "
                    f"{position_of(p.positions, ('rules', ids[rule.id], 'id'))[0]})",
                )
            )
        elif rule.id in base_rule_ids:
            national = _defining(base, rule.id)
            problems.append(
                Problem(
                    p.where((*at, "id")),
                    "POLICY_DUPLICATE_ID",
                    f"rule id {rule.id!r} is already a rule of the national pack {national.file.pack.id} "
                    f"({_rule_where(national, rule.id)}); a municipal pack adds rules with ids of its own",
                )
            )
        ids.setdefault(rule.id, i)
        for j, s in enumerate(rule.basis):
            if s not in sources:
                problems.append(
                    Problem(
                        p.where((*at, "basis", j)),
                        "POLICY_UNKNOWN_SOURCE",
                        f"unknown source {s!r}{_suggest(s, sources)}",
                    )
                )
        for j, pr in enumerate(rule.principles):
            if pr not in principles:
                problems.append(
                    Problem(
                        p.where((*at, "principles", j)), "POLICY_UNKNOWN_PRINCIPLE", _unknown_principle(pr, principles)
                    )
                )
        for j, fu_id in enumerate(rule.then.followups):
            if fu_id not in followups:
                problems.append(
                    Problem(
                        p.where((*at, "then", "followups", j)),
                        "POLICY_UNKNOWN_FOLLOWUP",
                        f"unknown follow-up {fu_id!r}{_suggest(fu_id, followups)}",
                    )
                )
        for j, ex in enumerate(rule.exception_to):
            if ex in base_rule_ids and ex not in own_ids:
                national = next(b for b in base if any(r.id == ex for r in b.file.rules))
                problems.append(
                    Problem(
                        p.where((*at, "exception_to", j)),
                        "POLICY_NOT_DELEGATED",
                        f"{rule.id} would set aside rule {ex} of the national pack {national.file.pack.id}: "
                        "a municipal pack cannot make an exception to national law",
                    )
                )
            if ex not in own_ids and ex not in base_rule_ids:
                problems.append(
                    Problem(
                        p.where((*at, "exception_to", j)),
                        "POLICY_UNKNOWN_RULE",
                        f"unknown rule {ex!r}{_suggest(ex, own_ids | base_rule_ids)}",
                    )
                )
            if ex == rule.id:
                problems.append(
                    Problem(
                        p.where((*at, "exception_to", j)), "POLICY_CYCLE", "a rule cannot be an exception to itself"
                    )
                )
        for j, factor in enumerate(rule.then.factors):
            _check_factor(
                p,
                stack_verdict or CompiledVerdict(),
                factor.decision,
                (*at, "then", "factors", j, "decision"),
                problems,
            )
        delegated_facts = {d for b in base for d in b.file.delegated_facts}
        for name, value in rule.then.set.items():
            spec = facts.get(name)
            where = p.where((*at, "then", "set", name))
            if base and spec is not None and spec.output and name not in delegated_facts:
                problems.append(
                    Problem(
                        where,
                        "POLICY_NOT_DELEGATED",
                        f"{name} is decided by national law ({base[0].file.pack.id}); a municipal rule may set only "
                        f"{', '.join(sorted(delegated_facts)) or 'no fact'}",
                    )
                )
            if spec is None:
                problems.append(Problem(where, "POLICY_UNKNOWN_FACT", f"unknown fact {name!r}{_suggest(name, facts)}"))
            elif not spec.output:
                problems.append(
                    Problem(where, "POLICY_NOT_SETTABLE", f"{name} is an input fact; rules set only output facts")
                )
            else:
                from maatwerk._policy.conditions import encode_literal

                try:
                    encode_literal(spec, value)
                except ValueError as err:
                    problems.append(Problem(where, "POLICY_TYPE_MISMATCH", f"{name}: {err}"))

        def unit_of(name: str) -> str | None:
            param = params.get(name)
            return param.unit if param is not None else None

        ctx = ParseContext(
            facts=facts,
            param_unit=unit_of,
            where=_where_under(p, (*at, "when")),
            suggest=_suggester(facts),
        )
        cond = TRUE if rule.when is None else normalise(parse(rule.when, (), ctx, problems))
        rule_defs.append(RuleDef(rule, cond, p.where(at)))
    return tuple(rule_defs), own_verdict, form, letter


def _verdict(
    p: _Parsed,
    base: list[_Parsed],
    facts: Mapping[str, FactSpec],
    params: Mapping[str, Parameter],
    sources: Mapping[str, Any],
    problems: list[Problem],
    amounts: frozenset[str] = frozenset(),
) -> tuple[CompiledVerdict | None, CompiledVerdict | None]:
    """The pack's verdict section, checked and compiled (a municipal pack's against its national base),
    and the national base's."""
    f = p.file
    units = {name: param.unit for name, param in params.items()}
    national = None
    for b in base:
        if b.file.verdict is not None and b.file.pack.layer == "national":
            national = check_verdict(
                b.file.verdict,
                domain=b.file.pack.domain,
                layer="national",
                pack_id=b.file.pack.id,
                facts=facts,
                param_units=units,
                sources=sources,
                base=None,
                rule_ids=frozenset(r.id for r in b.file.rules),
                where=b.where,
                suggest=_suggest,
                problems=[],
                amounts=amounts,
            )
    if f.verdict is None:
        return None, national
    own = check_verdict(
        f.verdict,
        domain=f.pack.domain,
        layer=f.pack.layer,
        pack_id=f.pack.id,
        facts=facts,
        param_units=units,
        sources=sources,
        base=national,
        rule_ids=frozenset(r.id for x in (*base, p) for r in x.file.rules),
        where=p.where,
        suggest=_suggest,
        problems=problems,
        amounts=amounts,
    )
    return own, national


def load_pack_text(text: str, display: str, base: Iterable[LoadedPack] = ()) -> LoadedPack:
    """Load one pack version from text (``display`` names it in problems)."""
    problems: list[Problem] = []
    parsed = _parse_file(text, display, problems)
    if isinstance(parsed, _DeltaParsed):
        problems.append(
            Problem(
                parsed.where(("extends",)),
                "POLICY_UNKNOWN_VERSION",
                "a version written as a delta is loaded with the folder that holds the version it extends",
            )
        )
        parsed = None
    if parsed is None:
        raise PolicyError(f"{display} is not a valid policy pack", problems=tuple(problems))
    base_parsed = [_Parsed(b.file, b.path, b.sha256, {}) for b in base]
    rules, verdict, form, letter = _semantic(parsed, base_parsed, problems)
    if problems:
        raise PolicyError(f"{display} is not a valid policy pack", problems=tuple(problems))
    return LoadedPack(parsed.file, parsed.path, parsed.sha256, rules, verdict=verdict, form=form, letter=letter)


def pack_files(root: Path) -> list[Path]:
    """The policy files under ``root`` that :func:`load_tree` reads (every ``*.yaml`` outside a
    ``scenarios`` folder, the files packs include among them), sorted. The audit trail snapshots the
    same set."""
    return sorted(p for p in root.rglob("*.yaml") if "scenarios" not in p.relative_to(root).parts)


def _included_only(path: Path, root: Path) -> bool:
    """A file in a folder whose name starts with ``_`` (``providers/_shared/``) is a part that packs
    include, not a pack version of its own."""
    return any(part.startswith("_") for part in path.relative_to(root).parts[:-1])


class PolicyFileRefusedError(Exception):
    """A policy file refused before or while it was read (``code``: POLICY_UNREADABLE or POLICY_TOO_LARGE)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def read_policy_file(path: Path, root: Path) -> str:
    """The text of the policy file ``path`` under the policy folder ``root``, read safely: a symlink
    that leads out of ``root``, and anything but a regular file (a device such as ``/dev/zero``, a
    FIFO, a socket), are refused before a byte is read; a file over :data:`MAX_POLICY_BYTES` is
    refused by its size. The file is opened without blocking (a FIFO cannot hang the load) and its
    type and size are taken from the opened file, so a swap between check and read changes nothing."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root.resolve()):
                raise PolicyFileRefusedError(
                    "POLICY_UNREADABLE", "a symlink that leads out of the policy folder is not read"
                )
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise PolicyFileRefusedError(
                    "POLICY_UNREADABLE", "not a regular file (a device, FIFO or socket is never read as a policy)"
                )
            if info.st_size > MAX_POLICY_BYTES:  # refused before it is read into memory
                raise PolicyFileRefusedError(
                    "POLICY_TOO_LARGE", f"a policy file may have at most {MAX_POLICY_BYTES} bytes"
                )
            data = fh.read(MAX_POLICY_BYTES + 1)
        if len(data) > MAX_POLICY_BYTES:  # it grew while it was read
            raise PolicyFileRefusedError("POLICY_TOO_LARGE", f"a policy file may have at most {MAX_POLICY_BYTES} bytes")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PolicyFileRefusedError("POLICY_UNREADABLE", str(err)) from None


def _reported_once(version: _Parsed, found: list[Problem], reported: set[tuple[str, str]]) -> list[Problem]:
    """The problems of one version, but a problem of a delta in a part it inherits (located in another
    file) that the version it extends already reported at the same place: that is one problem,
    reported once. (Its words may differ: an unknown principle lists the principles each version may
    name.) ``reported`` holds (where, code) of the pack's problems so far; this version's are added."""
    delta = version.locator is not None
    out = []
    for problem in found:
        key = (problem.where, problem.code)
        if delta and key in reported and not problem.where.startswith(f"{version.path}:"):
            continue
        reported.add(key)
        out.append(problem)
    return out


def _national_of(pack_id: str | None, full: list[_Parsed]) -> National | None:
    """What the national pack ``pack_id`` defines, over all its full versions (``None``: no such pack)."""
    versions = [p.file for p in full if p.file.pack.id == pack_id and p.file.pack.layer == "national"]
    if not versions:
        return None
    names = {
        section: frozenset(n for f in versions for n in getattr(f, section))
        for section in ("principles", "sources", "parameters", "followups", "facts")
    }
    names["rules"] = frozenset(r.id for f in versions for r in f.rules)
    delegated = frozenset(_delegated_names(versions))
    return National(versions[0].pack.id, names, delegated)


def _resolve_deltas(full: list[_Parsed], deltas: list[_DeltaParsed], problems: list[Problem]) -> list[_Parsed]:
    """Every delta resolved against the version it ``extends`` (itself perhaps a delta), as a full
    pack located where each part is written. The SHA-256 of a resolved delta covers the chain it
    extends, so a change to the base changes the delta's hash (and every receipt that names it)."""
    index: dict[tuple[str, str], _Parsed | _DeltaParsed] = {}
    for item in full:
        head = item.file.pack
        key = _version_key(head.status, head.proposal, head.valid_from)
        if key is not None:
            index.setdefault((head.id, key), item)
    for delta in deltas:
        if delta.key is not None:
            index.setdefault((delta.delta.pack.id, delta.key), delta)
    done: dict[int, _Parsed | None] = {}

    def resolve(delta: _DeltaParsed, trail: tuple[_DeltaParsed, ...]) -> _Parsed | None:
        if id(delta) in done:
            return done[id(delta)]
        extends = delta.delta.extends
        ref = extends.isoformat() if isinstance(extends, dt.date) else extends
        pack_id = delta.delta.pack.id
        target = index.get((pack_id, ref))
        base: _Parsed | None = None
        known = sorted(key for pid, key in index if pid == pack_id and key != delta.key)
        if target is None and not known:
            folder = Path(delta.path).parent
            beside = folder.is_dir() and any(f.name != Path(delta.path).name for f in folder.glob("*.yaml"))
            problems.append(
                Problem(
                    delta.where(("pack", "id")),
                    "POLICY_UNKNOWN_PACK",
                    f"a delta extends a version of its own pack; there is no version of {pack_id!r} to extend"
                    + (
                        " (a version beside it has errors of its own and is not loaded: fix those first)"
                        if beside
                        else _suggest(pack_id, {pid for pid, _ in index} - {pack_id})
                    ),
                )
            )
        elif target is None:
            problems.append(
                Problem(
                    delta.where(("extends",)),
                    "POLICY_UNKNOWN_VERSION",
                    f"{pack_id} has no version {ref} to extend{_suggest(ref, known)}; "
                    f"known: {', '.join(known) or 'none'}",
                )
            )
        elif isinstance(target, _DeltaParsed):
            if target in (*trail, delta):
                loop = " -> ".join(d.key or d.path for d in (*trail[trail.index(target) :], delta, target))
                problems.append(
                    Problem(delta.where(("extends",)), "POLICY_CYCLE", f"versions extend each other in a loop: {loop}")
                )
            else:
                base = resolve(target, (*trail, delta))
        else:
            base = target
        result: _Parsed | None = None
        if base is not None:
            name = f"{base.file.pack.id} {ref}"
            national = _national_of(delta.delta.pack.base, full) if delta.delta.pack.layer == "municipal" else None
            file, locator = apply_delta(delta.delta, delta.located, base.file, base, name, problems, national)
            if file is not None:
                sha = hashlib.sha256(f"{delta.sha256}|extends|{base.sha256}".encode()).hexdigest()
                own_text = delta.text_sha256 or delta.sha256
                result = _Parsed(file, delta.path, sha, delta.positions, locator, own_text)
        done[id(delta)] = result
        return result

    resolved = [resolve(delta, ()) for delta in deltas]
    return [r for r in resolved if r is not None]


def load_directory(root: Path) -> dict[str, tuple[LoadedPack, ...]]:
    """Every pack version in force under ``root``, by pack id, oldest first; raises one PolicyError for all
    problems. Proposed versions are checked too, but left out (see :func:`load_tree`)."""
    return load_tree(root)[0]


def load_tree(root: Path) -> tuple[dict[str, tuple[LoadedPack, ...]], dict[str, dict[str, LoadedPack]]]:
    """The versions in force by pack id (oldest first), and the proposed versions by pack id and proposal id."""
    problems: list[Problem] = []
    if not root.is_dir():
        state = "is a file, not a folder" if root.exists() else "does not exist"
        raise PolicyError(
            f"policy directory {root} {state}", hint="Pass the folder that holds the packs, e.g. policies/."
        )
    parsed: list[_Parsed] = []
    deltas: list[_DeltaParsed] = []
    for path in pack_files(root):
        if _included_only(path, root):
            continue  # read where a pack includes it
        display = str(path)
        try:
            text = read_policy_file(path, root)
        except PolicyFileRefusedError as refused:
            problems.append(Problem(f"{display}:1:1", refused.code, refused.message))
            continue
        item = _parse_file(text, display, problems, file=path, root=root)
        if isinstance(item, _DeltaParsed):
            deltas.append(item)
        elif item is not None:
            parsed.append(item)
    parsed.extend(_resolve_deltas(parsed, deltas, problems))
    by_id: dict[str, list[_Parsed]] = defaultdict(list)
    proposals: dict[str, list[_Parsed]] = defaultdict(list)
    for item in parsed:
        head = item.file.pack
        if head.status == "proposed":
            proposals[head.id].append(item)
        elif head.valid_from is None:
            _check_header(item, problems)  # reported here: it has no place among the dated versions
        else:
            by_id[head.id].append(item)
    result: dict[str, tuple[LoadedPack, ...]] = {}
    # (where, code) of each problem reported so far, per pack: a delta's inherited parts are its base's
    reported: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for pack_id in sorted(by_id):
        versions = sorted(by_id[pack_id], key=lambda x: x.file.pack.valid_from or dt.date.min)
        first = versions[0].file.pack
        for prev, cur in itertools.pairwise(versions):
            h = cur.file.pack
            if h.domain != first.domain or h.layer != first.layer or h.base != first.base:
                problems.append(
                    Problem(
                        cur.where(("pack",)),
                        "POLICY_VERSION_MISMATCH",
                        f"all versions of {pack_id} share domain, layer and base",
                    )
                )
            if h.valid_from == prev.file.pack.valid_from:
                problems.append(
                    Problem(
                        cur.where(("pack", "valid_from")),
                        "POLICY_VERSION_OVERLAP",
                        f"two versions of {pack_id} start on {h.valid_from}",
                    )
                )
            elif (
                prev.file.pack.valid_until is not None
                and h.valid_from is not None
                and prev.file.pack.valid_until >= h.valid_from
            ):
                problems.append(
                    Problem(
                        prev.where(("pack", "valid_until")),
                        "POLICY_VERSION_OVERLAP",
                        f"{pack_id} {prev.file.pack.valid_from} is still valid when {h.valid_from} starts",
                    )
                )
            if prev.file.pack.no_successor is not None:
                problems.append(
                    Problem(
                        prev.where(("pack", "no_successor")),
                        "POLICY_INVALID_VALUE",
                        f"{pack_id} {prev.file.pack.valid_from} says it has no successor, but {h.valid_from} follows it",
                    )
                )
            if h.covers_earlier_conduct:
                problems.append(
                    Problem(
                        cur.where(("pack", "covers_earlier_conduct")),
                        "POLICY_INVALID_VALUE",
                        "only the first version of a pack may cover earlier conduct",
                    )
                )
        base: list[_Parsed] = []
        if first.base is not None:
            base = by_id.get(first.base, [])
            if not base:
                problems.append(
                    Problem(
                        versions[0].where(("pack", "base")),
                        "POLICY_UNKNOWN_PACK",
                        f"base pack {first.base!r} not found{_suggest(first.base, by_id)}",
                    )
                )
            elif base[0].file.pack.layer != "national" or base[0].file.pack.domain != first.domain:
                problems.append(
                    Problem(
                        versions[0].where(("pack", "base")),
                        "POLICY_UNKNOWN_PACK",
                        f"{first.base!r} is not a national pack of domain {first.domain}",
                    )
                )
        loaded = []
        for v in versions:
            found: list[Problem] = []
            rules, verdict, form, letter = _semantic(v, base, found)
            problems.extend(_reported_once(v, found, reported[pack_id]))
            loaded.append(v.loaded(rules, verdict, form, letter))
        result[pack_id] = tuple(loaded)
    _check_one_pack_per_municipality(by_id, problems)
    proposed: dict[str, dict[str, LoadedPack]] = {}
    for pack_id in sorted(proposals):
        in_force = by_id.get(pack_id)
        for item in proposals[pack_id]:
            head = item.file.pack
            if not in_force:
                problems.append(
                    Problem(
                        item.where(("pack", "id")),
                        "POLICY_UNKNOWN_PACK",
                        f"a proposal is a future version of a pack in force; no version of {pack_id!r} is"
                        f"{_suggest(pack_id, by_id)}",
                    )
                )
                continue
            first = in_force[0].file.pack
            if (head.domain, head.layer, head.base) != (first.domain, first.layer, first.base):
                problems.append(
                    Problem(
                        item.where(("pack",)),
                        "POLICY_VERSION_MISMATCH",
                        f"all versions of {pack_id} share domain, layer and base",
                    )
                )
            base = by_id.get(first.base, []) if first.base is not None else []
            found = []
            rules, verdict, form, letter = _semantic(item, base, found)
            problems.extend(_reported_once(item, found, reported[pack_id]))
            if head.proposal is None:
                continue
            mine = proposed.setdefault(pack_id, {})
            if head.proposal.id in mine:
                problems.append(
                    Problem(
                        item.where(("pack", "proposal", "id")),
                        "POLICY_DUPLICATE_ID",
                        f"two proposals for {pack_id} are called {head.proposal.id!r}",
                    )
                )
            mine[head.proposal.id] = item.loaded(rules, verdict, form, letter)
    if problems:
        # A delta shares its inherited parts with the version it extends: a problem there is one problem.
        problems = list(dict.fromkeys(problems))
        raise PolicyError(f"{len(problems)} problem(s) in the policy packs under {root}", problems=tuple(problems))
    return result, proposed
