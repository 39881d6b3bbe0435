# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What the policy layer knows of one domain, in one frozen object: :class:`DomainSpec`.

A domain (benefits, providers, ...) is described once, in its own module of this package, and
registered in :data:`maatwerk._policy.domains.SPECS`. Every table of the policy layer that used to be
keyed by domain (the fact catalogue, the laws, the history vocabulary, the verdict's vocabulary, the
required parameters, the solver's axioms, the case fields of each fact) reads the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Generic, TypeVar

from pydantic import BaseModel

from maatwerk._policy.conditions import Cond
from maatwerk._policy.facts import FactSpec

__all__ = ["DomainSpec", "DomainTable", "HistoryVocabulary", "Outcome"]

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class HistoryVocabulary:
    """What a declared fact may test on one entry of a domain's ``history``."""

    #: Enum fields with their values (``kind``).
    enums: Mapping[str, tuple[str, ...]]
    #: Flags (true/false; some may be unknown on an entry).
    flags: tuple[str, ...]
    #: Date fields, each with the fields that bound it when it is unknown: (a date it is on or after,
    #: a date it is on or before). A sanction is imposed on or before the day it became final.
    dates: Mapping[str, tuple[str | None, str | None]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """An output fact the advice builder needs some rule to set whenever ``guard`` holds."""

    fact: str
    guard: Cond
    why: str


@dataclass(frozen=True, slots=True, eq=False)
class DomainSpec:
    """Everything the policy layer needs to know about one domain.

    The arithmetic, the derivation of facts from the case and the advice builder live in the domain's
    module under :mod:`maatwerk._domains`; this object is the vocabulary they share with the packs.
    """

    #: The domain's name, as packs (``pack.domain``) and cases (``domain``) spell it.
    name: str
    #: The case model (its fields are the form's fields and the paths of :attr:`fact_paths`).
    model: type[BaseModel]
    #: The laws of the domain (the values of the ``law`` fact; a national pack's ``laws`` name some).
    laws: tuple[str, ...]
    #: The facts a rule of the domain may read or set (input facts and the rules' output facts).
    facts: tuple[FactSpec, ...]
    #: What a declared fact may test on an entry of the case's ``history``.
    history: HistoryVocabulary
    #: The dates of a case a declared fact's window may end at: the name in a pack and the attribute
    #: path on the case model. Each is a required date of the case (never unknown).
    case_dates: Mapping[str, tuple[str, ...]]
    #: For each input fact (and the names the advice gives a missing amount), the case fields it is
    #: made of, the one to ask first first.
    fact_paths: Mapping[str, tuple[str, ...]]
    #: Case fields the domain's own arithmetic reads besides the rules' facts: always on the form.
    calculation_paths: tuple[str, ...] = ()
    #: Parameters, sources and follow-ups every stack of the domain must define (the arithmetic and the
    #: advice builder read them by name).
    required_parameters: tuple[str, ...] = ()
    required_sources: tuple[str, ...] = ()
    required_followups: tuple[str, ...] = ()
    #: What every stack of the domain must decide (``maatwerk check`` reports a gap).
    required_outcomes: tuple[Outcome, ...] = ()
    #: How input facts derived from the same case fields hang together (the solver conjoins them).
    axioms: Cond | None = None
    #: Facts the domain works out after the rules have fired, for the verdict's conditions only.
    verdict_facts: tuple[FactSpec, ...] = ()
    #: The verdict facts a measure may set when it is advised (``measures.NAME.sets``).
    measure_sets: tuple[str, ...] = ()
    #: The rungs of the domain's ladder (the rules ask for one with ``rung_N_needed``); 0: no ladder.
    ladder_rungs: int = 0
    #: The kinds of an earlier measure the ladder's ``earlier`` may name (``history[].kind``).
    ladder_history_kinds: tuple[str, ...] = ()
    #: Values the domain works out for the verdict's texts (``{value:NAME}``).
    template_values: tuple[str, ...] = ()
    #: The amounts the domain works out for its alternatives (``amount:``).
    alternative_amounts: tuple[str, ...] = ()
    #: The steps of the domain's calculation, each labelled by the pack.
    calculation_steps: tuple[str, ...] = ()
    #: Values only a calculation step's label can name.
    step_values: tuple[str, ...] = ()
    #: The named sentences the advice says besides the verdict's own parts, with the values each may name.
    texts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The named sentences of the decision letter a national pack gives (``letter.texts``).
    letter_texts: tuple[str, ...] = ()
    #: Whether the letter says what each measure means (``letter.measures``, one per measure of the verdict).
    letter_measures: bool = False
    #: The named sentences of the caseworker's page a national pack gives (``form.notes``).
    form_notes: tuple[str, ...] = ()
    #: Whom a follow-up of the domain can address (``followups.*.audience``; empty: anyone).
    audiences: tuple[str, ...] = ()
    #: The engine's own steps the advice can show, with the values each may name.
    engine_step_texts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The money inputs a pack's ``amounts:`` may multiply by a percentage: each with what it is and the
    #: case fields it is read from (the form asks for them when a stack's amount reads the input).
    amount_inputs: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: :attr:`facts` by name (worked out once).
    catalogue: Mapping[str, FactSpec] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "catalogue", MappingProxyType({f.name: f for f in self.facts}))


class DomainTable(Mapping[str, V], Generic[V]):
    """A read-only, live view of one attribute of every registered domain, keyed by domain name.

    The policy layer's old per-domain tables (``VERDICT_FACTS``, ``REQUIRED_PARAMETERS``...) are such
    views, so that code reading them sees a domain registered later. A domain whose attribute is
    ``None`` (no axioms, say) is left out, like a table that used to list only some domains.
    """

    def __init__(self, specs: Mapping[str, DomainSpec], get: Callable[[DomainSpec], V | None]) -> None:
        self._specs = specs
        self._get = get

    def __getitem__(self, name: str) -> V:
        value = self._get(self._specs[name])
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return (n for n, s in self._specs.items() if self._get(s) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"DomainTable({dict(self)!r})"
