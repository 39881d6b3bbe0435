# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Cases for the benchmark: fast seeded generators, the bundled scenarios, and the domain registry.

The Hypothesis strategies of :mod:`maatwerk.testing` explore; this module only needs *many valid,
varied* cases quickly and reproducibly, so it draws from :class:`random.Random` with a seed. Both
use the one recipe of :mod:`maatwerk._tools.generate` (consistent dates, every law, culpability level,
way of detection, history, tri-state facts), and ``tests/test_bench.py`` checks that every case it
makes is valid.

A domain is one entry of :data:`DOMAINS`: its folder under ``policies/`` and, when there is one, a
dedicated generator. A domain without a generator gets cases by recombining the sections of its
bundled scenario cases (see :func:`recombined_cases`), so a new domain is benchmarked as soon as
its policy folder and scenarios exist.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maatwerk._tools.generate import RandomDraw
from maatwerk._tools.generate import benefit_case as recipe
from maatwerk.testing.scenarios import load_scenario, municipality_of, scenario_files

__all__ = [
    "DOMAINS",
    "Domain",
    "Scenario",
    "benefit_case",
    "benefit_cases",
    "recombined_cases",
    "scenarios",
]


def benefit_case(rng: random.Random, *, fineable: bool | None = None) -> dict[str, Any]:
    """One valid benefit case as a JSON-ready dict, with consistent dates (the shared recipe of
    :mod:`maatwerk._tools.generate`, drawing from ``rng``).

    ``fineable=True`` makes a case that passes every gate (established, recent, a confirmed level,
    no urgent reasons); ``None`` picks fineable for half of the cases, like the test suite does.
    """
    if fineable is None:
        fineable = rng.random() < 0.5
    return recipe(RandomDraw(rng), fineable=fineable)


def benefit_cases(n: int, *, seed: int = 2026) -> list[dict[str, Any]]:
    """``n`` valid benefit cases, the same list for the same seed."""
    rng = random.Random(seed)
    return [benefit_case(rng) for _ in range(n)]


# --- scenarios ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenario:
    """A bundled worked scenario: its name, the municipality it names, and its case."""

    name: str
    municipality: str | None
    case: dict[str, Any]


def scenarios(policy_dir: Path, domain: str) -> list[Scenario]:
    """The worked scenarios of ``domain`` under ``policy_dir`` that give an advice, read as the pytest
    plugin reads them (a scenario that expects a refusal, e.g. a case decided after a pack ended, has
    no advice to time or compare)."""
    out = []
    for path in scenario_files(policy_dir / domain):
        loaded = load_scenario(path)
        if "refused" in loaded.expect:
            continue
        name = f"{path.parent.parent.name}/{path.stem}"
        out.append(Scenario(name, municipality_of(loaded), loaded.case))
    return out


def recombined_cases(
    pool: Sequence[Mapping[str, Any]], n: int, *, seed: int, valid: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """``n`` cases made by recombining top-level sections of the cases in ``pool``.

    Each new case starts as a copy of one case and takes every section from a second case with
    probability one half; only cases for which ``valid`` holds are kept (sections of two cases may
    not fit together, for instance their dates). Raises :class:`ValueError` if fewer than one in
    fifty attempts gives a valid case.
    """
    if not pool:
        raise ValueError("recombination needs at least one case")
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    attempts = 0
    while len(out) < n:
        attempts += 1
        if attempts > 50 * n + 100:
            raise ValueError(f"only {len(out)} of {attempts} recombined cases were valid")
        case = copy.deepcopy(dict(rng.choice(pool)))
        donor = rng.choice(pool)
        for key in sorted(donor):
            if rng.random() < 0.5:
                case[key] = copy.deepcopy(donor[key])
        if valid(case):
            out.append(case)
    return out


# --- domains --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Domain:
    """A domain to benchmark: its folder under ``policies/`` and, if it has one, a case generator."""

    name: str
    generator: Callable[[random.Random], dict[str, Any]] | None

    def present(self, policy_dir: Path) -> bool:
        """Whether the policy folder of this domain exists (a domain that does not is reported as such)."""
        return (policy_dir / self.name).is_dir()


#: The domains ``make bench`` measures, in report order. The provider domain (Wmo 2015, Jeugdwet)
#: switches on when ``policies/providers/`` exists; its cases are recombined from its scenarios.
DOMAINS: tuple[Domain, ...] = (
    Domain("benefits", benefit_case),
    Domain("providers", None),
)
