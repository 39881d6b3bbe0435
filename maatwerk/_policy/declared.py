# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Facts a pack declares from the case (``facts:``), without code: the vocabulary each domain offers
(its spec's ``history`` and ``case_dates``, :mod:`maatwerk._policy.domains`), the checks at load time, and the compiled form that :func:`maatwerk._domains.facts.declared_facts` computes.

A declared fact counts the entries of the case's history that match some tests and lie in a window
of days before a date of the case (docs/reference/policy-format.md, *Declared facts*). Only what the
known dates and flags settle is known: an entry whose deciding date or flag is unknown makes the
fact unknown, unless the other entries already settle it (``any``: one entry surely matches).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from maatwerk._policy.domains import SPECS, DomainTable, HistoryVocabulary
from maatwerk._policy.facts import FactSpec
from maatwerk._policy.schema import DeclaredFact, Parameter, ParamRef
from maatwerk.errors import Problem

__all__ = ["CASE_DATES", "HISTORY", "Compiled", "HistoryVocabulary", "check_declared", "compile_declared"]

Where = Callable[[tuple[str | int, ...]], str]
SpanUnit = Literal["years", "months", "days"]


#: What a declared fact may test on a history entry, by domain (each domain's spec says it).
HISTORY: DomainTable[HistoryVocabulary] = DomainTable(SPECS, lambda s: s.history)

#: The dates of a case a window may end at, by domain: the name in a pack and the attribute path on the
#: case model. Each is a required date of the case (never unknown).
CASE_DATES: DomainTable[Mapping[str, tuple[str, ...]]] = DomainTable(SPECS, lambda s: s.case_dates)

#: The parameter unit a span of each kind takes.
SPAN_UNITS: dict[SpanUnit, str] = {"years": "years", "months": "months", "days": "days"}
#: The largest span a window takes, in its unit, written or read from a parameter (as the schema's ``Span``).
MAX_SPAN = 100


@dataclass(frozen=True, slots=True)
class Compiled:
    """A declared fact ready to compute: the pack that declares it and its tests."""

    name: str
    pack_id: str
    form: Literal["any", "count"]
    enums: tuple[tuple[str, frozenset[str]], ...]
    flags: tuple[tuple[str, bool], ...]
    #: The window, or ``None`` for every entry: (span unit, a literal or a parameter name, or ``None``
    #: for any day before; the case date's attribute path; the entry's date field).
    window: tuple[SpanUnit | None, int | str | None, tuple[str, ...], str] | None
    spec: FactSpec


def _suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_declared(
    domain: str,
    declared: Mapping[str, DeclaredFact],
    taken: Mapping[str, str],
    param_of: Callable[[str], Parameter | None],
    where: Where,
    problems: list[Problem],
) -> None:
    """Report every problem of a pack's ``facts:`` section. ``taken`` maps the fact names already in
    use (the catalogue, the base pack's declared facts) to what declares them; ``param_of`` gives a
    parameter of the stack by name; ``where`` locates a path under ``facts``."""
    vocab = HISTORY[domain]
    dates = CASE_DATES[domain]
    for name, fact in declared.items():
        if name in taken:
            problems.append(
                Problem(
                    where((name,)),
                    "POLICY_DUPLICATE_ID",
                    f"fact {name!r} is already {taken[name]}; a declared fact has a name of its own",
                )
            )
        form = "any" if fact.any_ is not None else "count"
        query = fact.query
        at = (name, form)
        for field, test in query.where.items():
            here = where((*at, "where", field))
            if field in vocab.enums:
                values = vocab.enums[field]
                if not isinstance(test, list) or not test:
                    problems.append(
                        Problem(here, "POLICY_TYPE_MISMATCH", f"{field} is tested with a list of values of {values}")
                    )
                    continue
                for i, value in enumerate(test):
                    if value not in values:
                        problems.append(
                            Problem(
                                where((*at, "where", field, i)),
                                "POLICY_INVALID_VALUE",
                                f"{value!r} is not a {field} of a {domain} history entry{_suggest(value, values)}; "
                                f"known: {', '.join(values)}",
                            )
                        )
            elif field in vocab.flags:
                if not isinstance(test, bool):
                    problems.append(
                        Problem(here, "POLICY_TYPE_MISMATCH", f"{field} is a flag: test it with true or false")
                    )
                elif field == "final" and not test:
                    problems.append(
                        Problem(
                            here,
                            "POLICY_INVALID_VALUE",
                            "final is tested with true only: a sanction without final_on may be final on an unknown day",
                        )
                    )
            else:
                known = (*vocab.enums, *vocab.flags)
                problems.append(
                    Problem(
                        here,
                        "POLICY_UNKNOWN_FIELD",
                        f"a {domain} history entry has no field {field!r} to test{_suggest(field, known)}; "
                        f"known: {', '.join(known)}",
                    )
                )
        win = query.within
        if win is None:
            continue
        if win.before not in dates:
            problems.append(
                Problem(
                    where((*at, "within", "before")),
                    "POLICY_INVALID_VALUE",
                    f"{win.before!r} is not a date of a {domain} case{_suggest(win.before, dates)}; "
                    f"known: {', '.join(dates)}",
                )
            )
        if win.by not in vocab.dates:
            problems.append(
                Problem(
                    where((*at, "within", "by")),
                    "POLICY_INVALID_VALUE",
                    f"{win.by!r} is not a date of a {domain} history entry{_suggest(win.by, vocab.dates)}; "
                    f"known: {', '.join(vocab.dates)}",
                )
            )
        for unit, span in (("years", win.years), ("months", win.months), ("days", win.days)):
            if not isinstance(span, ParamRef):
                continue
            param = param_of(span.param)
            if param is None:
                problems.append(
                    Problem(
                        where((*at, "within", unit, "param")),
                        "POLICY_UNKNOWN_PARAMETER",
                        f"unknown parameter {span.param!r}",
                    )
                )
            elif param.unit != SPAN_UNITS[unit]:  # type: ignore[index]
                problems.append(
                    Problem(
                        where((*at, "within", unit, "param")),
                        "POLICY_TYPE_MISMATCH",
                        f"a span in {unit} takes a parameter in {unit}; {span.param} is in {param.unit}",
                    )
                )
            else:
                wrong = [
                    f"{v.value!r} from {v.from_.isoformat()}"
                    for v in param.values
                    if not (isinstance(v.value, int) and not isinstance(v.value, bool) and 0 <= v.value <= MAX_SPAN)
                ]
                if wrong:
                    problems.append(
                        Problem(
                            where((*at, "within", unit, "param")),
                            "POLICY_INVALID_VALUE",
                            f"a window's span is a whole number of {unit} from 0 to {MAX_SPAN}, written or read "
                            f"from a parameter; {span.param} is {', '.join(wrong)}: a longer span cannot be "
                            "counted back from a case's date, a negative one is no window before it",
                        )
                    )


def compile_declared(domain: str, pack_id: str, name: str, fact: DeclaredFact) -> Compiled:
    """The computable form of a checked declared fact."""
    vocab = HISTORY[domain]
    query = fact.query
    form: Literal["any", "count"] = "any" if fact.any_ is not None else "count"
    enums = tuple(
        (field, frozenset(test))
        for field, test in query.where.items()
        if field in vocab.enums and isinstance(test, list)
    )
    flags = tuple((field, test) for field, test in query.where.items() if isinstance(test, bool))
    window: tuple[SpanUnit | None, int | str | None, tuple[str, ...], str] | None = None
    win = query.within
    if win is not None:
        unit: SpanUnit | None = None
        amount: int | str | None = None
        for u, span in (("years", win.years), ("months", win.months), ("days", win.days)):
            if span is not None:
                unit = u  # type: ignore[assignment]
                amount = span.param if isinstance(span, ParamRef) else span
        window = (unit, amount, CASE_DATES[domain].get(win.before, ()), win.by)  # checked by check_declared
    description = fact.description.en
    spec = FactSpec(name, "bool" if form == "any" else "int", f"{description} (declared by {pack_id})")
    return Compiled(name, pack_id, form, enums, flags, window, spec)


def describe_taken(catalogue: Mapping[str, Any], declared: Mapping[str, str]) -> dict[str, str]:
    """What each fact name in use is, for a clash message."""
    out = dict.fromkeys(catalogue, "a fact of the catalogue")
    out.update({name: f"declared by {pack}" for name, pack in declared.items()})
    return out
