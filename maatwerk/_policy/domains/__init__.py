# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The registry of domains at the policy layer: one :class:`DomainSpec` per domain, in :data:`SPECS`.

Each domain is one module of this package that builds its spec (:mod:`.benefits`, :mod:`.providers`).
Adding a domain is writing such a module and registering its spec here (docs/explanation/design.md,
*Adding a domain*); the tables of the policy layer read the registry, so no other module of the
policy layer changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from maatwerk._policy.domains import benefits, providers
from maatwerk._policy.domains._spec import DomainSpec, DomainTable, HistoryVocabulary, Outcome
from maatwerk._policy.facts import FactSpec

__all__ = [
    "CATALOGUES",
    "DOMAIN_LAWS",
    "SPECS",
    "DomainSpec",
    "DomainTable",
    "HistoryVocabulary",
    "Outcome",
    "catalogue",
    "register",
    "spec",
    "unregister",
]

_EMPTY: Mapping[str, FactSpec] = MappingProxyType({})

#: Every domain the policy layer knows, by name.
SPECS: dict[str, DomainSpec] = {s.name: s for s in (benefits.SPEC, providers.SPEC)}

#: The laws of each domain (the values of the ``law`` fact; a national pack's ``laws`` name some of them).
DOMAIN_LAWS: DomainTable[tuple[str, ...]] = DomainTable(SPECS, lambda s: s.laws)

#: The fact catalogue of each domain, by fact name.
CATALOGUES: DomainTable[Mapping[str, FactSpec]] = DomainTable(SPECS, lambda s: s.catalogue)


def register(new: DomainSpec) -> None:
    """Add a domain. A name already registered is refused (a domain is described once)."""
    if new.name in SPECS:
        raise ValueError(f"domain {new.name!r} is already registered")
    SPECS[new.name] = new


def unregister(name: str) -> None:
    """Remove a domain registered with :func:`register` (for tests); the built-in ones stay."""
    if name in (benefits.SPEC.name, providers.SPEC.name):
        raise ValueError(f"domain {name!r} is built in")
    del SPECS[name]


def spec(name: str) -> DomainSpec:
    """The spec of the domain called ``name``; an unknown name is a :class:`KeyError` naming the known ones."""
    try:
        return SPECS[name]
    except KeyError:
        raise KeyError(f"unknown domain {name!r}; known: {', '.join(SPECS)}") from None


def catalogue(domain: str) -> Mapping[str, FactSpec]:
    """The facts a rule of ``domain`` may read or set (empty for an unknown domain)."""
    found = SPECS.get(domain)
    return _EMPTY if found is None else found.catalogue
