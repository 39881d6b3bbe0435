# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Amounts as pack data: ``amounts:``, named sums a pack's texts say as ``{amount:NAME}``.

A policy often states a figure of the case as arithmetic over the case's amounts and its own
percentages ("5% of the norm plus 35% of the income above it, per month"). Such an amount is pack
data: a sum of terms, each a money input of the case times a parameter in percent, or a money
parameter alone. This module checks a pack's ``amounts`` section (every problem located, with a
did-you-mean), compiles it, and computes an amount for a case.

**Rounding.** Each term is rounded to the cent, half up (``ROUND_HALF_UP``: €70.075 is €70.08), and
the rounded terms are added. Half up is how an amount in euros is ordinarily rounded to the cent, and
no policy read so far says otherwise; rounding each term (not only the sum) keeps every part a letter
can show in whole cents, so that the parts always add up to the total said.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from maatwerk._policy.domains import SPECS, DomainTable
from maatwerk._policy.schema import AmountDef, LangText, Parameter
from maatwerk._policy.verdict import Template, parse_template, static_template_problems
from maatwerk.errors import Problem

__all__ = [
    "AMOUNT_INPUTS",
    "CompiledAmount",
    "Term",
    "amount_paths",
    "check_amounts",
    "compile_amount",
    "compute",
    "term_value",
]

#: The largest share of an input a term of an amount takes, in percent: ten times the input. No policy
#: read computes more; a share of 10^32 percent made the arithmetic fail on every case (InvalidOperation).
MAX_SHARE_PERCENT = 1000

#: The money inputs each domain offers an amount (its spec's ``amount_inputs``): what each is, and
#: the case fields it is read from.
AMOUNT_INPUTS: DomainTable[Mapping[str, tuple[str, tuple[str, ...]]]] = DomainTable(SPECS, lambda s: s.amount_inputs)

#: The unit of the parameter a term names: a share of an input is in percent, an amount alone in euros.
_UNIT = {"percent": "percent", "param": "eur"}
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Term:
    """One term: ``input`` times the percentage ``param``, or (``input`` is ``None``) the money ``param``."""

    input: str | None
    param: str


@dataclass(frozen=True, slots=True)
class CompiledAmount:
    name: str
    pack_id: str
    description: LangText
    #: Said instead of the amount when an input (or a parameter's value) is unknown.
    unknown: Template
    terms: tuple[Term, ...]

    @property
    def inputs(self) -> tuple[str, ...]:
        """The inputs it reads, each once, in order."""
        return tuple(dict.fromkeys(t.input for t in self.terms if t.input is not None))

    @property
    def params(self) -> tuple[str, ...]:
        """The parameters it reads, each once, in order."""
        return tuple(dict.fromkeys(t.param for t in self.terms))


def compile_amount(pack_id: str, name: str, amount: AmountDef) -> CompiledAmount:
    """One amount as the advice computes it (checked by :func:`check_amounts` when its pack loaded)."""
    unknown = Template(parse_template(amount.unknown.nl)[0], parse_template(amount.unknown.en)[0])
    terms = tuple(
        Term(t.input, t.percent) if t.param is None else Term(None, t.param)  # type: ignore[arg-type]
        for t in amount.sum
    )
    return CompiledAmount(name, pack_id, amount.description, unknown, terms)


def term_value(term: Term, inputs: Mapping[str, Decimal | None], params: Mapping[str, Any]) -> Decimal | None:
    """One term on the case, rounded to the cent (half up); ``None`` when its input or its parameter's
    value is unknown. ``params`` maps a name to a resolved parameter (its ``value`` a ``Decimal``)."""
    found = params.get(term.param)
    if found is None:
        return None
    value = Decimal(found.value)
    if term.input is None:
        return value.quantize(_CENT, rounding=ROUND_HALF_UP)
    base = inputs.get(term.input)
    if base is None:
        return None
    return (base * value / 100).quantize(_CENT, rounding=ROUND_HALF_UP)


def compute(amount: CompiledAmount, inputs: Mapping[str, Decimal | None], params: Mapping[str, Any]) -> Decimal | None:
    """The amount on the case: the sum of its terms, each rounded to the cent; ``None`` when any term
    is unknown (the text then says the amount's ``unknown``, never a guess)."""
    total = Decimal("0.00")
    for term in amount.terms:
        value = term_value(term, inputs, params)
        if value is None:
            return None
        total += value
    return total


def check_amounts(
    amounts: Mapping[str, AmountDef],
    *,
    domain: str,
    params: Mapping[str, Parameter],
    sources: Mapping[str, Any],
    taken: Mapping[str, str],
    where: Callable[[tuple[str | int, ...]], str],
    suggest: Callable[[str, Any], str],
    problems: list[Problem],
) -> None:
    """Check one pack's ``amounts`` section against the parameters and sources it may name (its own and
    its base's) and the amounts its base already has (``taken``: name -> pack id). Every problem is
    added to ``problems``, located by ``where``."""
    inputs = AMOUNT_INPUTS.get(domain, {})
    units = {name: p.unit for name, p in params.items()}
    for name, amount in amounts.items():
        at: tuple[str | int, ...] = ("amounts", name)
        if name in taken:
            problems.append(
                Problem(
                    where(at),
                    "POLICY_DUPLICATE_ID",
                    f"amount {name!r} is already an amount of {taken[name]}; a pack adds amounts with names of its own",
                )
            )
        for j, term in enumerate(amount.sum):
            tat: tuple[str | int, ...] = (*at, "sum", j)
            if term.input is not None and term.input not in inputs:
                known = ", ".join(inputs) or "none"
                problems.append(
                    Problem(
                        where((*tat, "input")),
                        "POLICY_UNKNOWN_FIELD",
                        f"{term.input!r} is not a money input of a {domain} case{suggest(term.input, inputs)}; "
                        f"known: {known}",
                    )
                )
            key = "param" if term.param is not None else "percent"
            pname = term.param if term.param is not None else term.percent
            assert pname is not None  # the schema requires one of the two
            _check_param(params.get(pname), pname, key, (*tat, key), where, suggest, units, problems)
        for lang in ("nl", "en"):
            _check_unknown_text(
                getattr(amount.unknown, lang), domain, units, sources, suggest, where, at, lang, problems
            )


def _check_param(
    param: Parameter | None,
    name: str,
    key: str,
    path: tuple[str | int, ...],
    where: Callable[[tuple[str | int, ...]], str],
    suggest: Callable[[str, Any], str],
    units: Mapping[str, str],
    problems: list[Problem],
) -> None:
    unit = _UNIT[key]
    if param is None:
        problems.append(
            Problem(where(path), "POLICY_UNKNOWN_PARAMETER", f"unknown parameter {name!r}{suggest(name, units)}")
        )
        return
    if param.unit != unit:
        shape = "a share of an input is a parameter in percent" if key == "percent" else "an amount alone is in eur"
        problems.append(Problem(where(path), "POLICY_TYPE_MISMATCH", f"{key}: {name} is in {param.unit}; {shape}"))
        return
    for dated in param.values:
        try:
            value = Decimal(str(dated.value))
            negative = value < 0
        except InvalidOperation:
            continue  # the parameter's own check reports a value that is no number
        if negative:
            problems.append(
                Problem(
                    where(path),
                    "POLICY_INVALID_VALUE",
                    f"{name} is below 0 from {dated.from_.isoformat()}; an amount is never negative",
                )
            )
        elif key == "percent" and value > MAX_SHARE_PERCENT:
            problems.append(
                Problem(
                    where(path),
                    "POLICY_INVALID_VALUE",
                    f"{name} is {dated.value} from {dated.from_.isoformat()}; a share of an input is at most "
                    f"{MAX_SHARE_PERCENT} percent (ten times the input): a larger share is no amount a policy "
                    "computes, and past the precision of the arithmetic it made every advice fail",
                )
            )


def _check_unknown_text(
    said: str,
    domain: str,
    units: Mapping[str, str],
    sources: Mapping[str, Any],
    suggest: Callable[[str, Any], str],
    where: Callable[[tuple[str | int, ...]], str],
    at: tuple[str | int, ...],
    lang: str,
    problems: list[Problem],
) -> None:
    """The text said when the amount is unknown names only parameters and citations."""
    loc = where((*at, "unknown", lang))
    _, wrong = static_template_problems(said, "the text for an unknown amount", domain, units, sources, suggest)
    problems.extend(Problem(loc, "POLICY_BAD_TEMPLATE", message) for message in wrong)


def amount_paths(domain: str, amounts: Collection[CompiledAmount]) -> tuple[str, ...]:
    """The case fields the amounts read (for the form), each once."""
    inputs = AMOUNT_INPUTS.get(domain, {})
    return tuple(dict.fromkeys(path for a in amounts for i in a.inputs for path in inputs.get(i, ("", ()))[1]))
