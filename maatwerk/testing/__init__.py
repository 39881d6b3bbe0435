# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Testing tools for policy teams: generated cases, ready-made invariants and YAML scenarios.

Strategies (`Hypothesis <https://hypothesis.readthedocs.io>`_; install the ``testing`` extra):

- :func:`cases` draws valid benefit cases, :func:`provider_cases` valid care-provider cases;
- :func:`from_policy` draws cases that reach every rule of a policy pack;
- :func:`unreachable_rules` lists the rules of a pack no case can make fire.

Invariants (:mod:`maatwerk.testing.invariants`, no Hypothesis needed): the advice within legal
bounds; monotonic in culpability, amount and severity; unchanged by fields no rule reads; the
milder law wins; a warning only where lawful.

Scenarios (:mod:`maatwerk.testing.scenarios`): worked cases in ``policies/**/scenarios/*.yaml``
with their expected advice. The pytest plugin :mod:`maatwerk.testing.pytest_plugin` (registered
through the ``pytest11`` entry point) collects them as tests, ``pytest policies/``, in a project
that opts in (``maatwerk_scenarios = true`` in its pytest configuration, or a
``.maatwerk-scenarios`` file in the policy folder).

The strategies import Hypothesis when first used, so this package and the pytest plugin work
without it; ``import maatwerk`` never imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from maatwerk.testing import invariants

if TYPE_CHECKING:
    from maatwerk.testing._strategies import cases, from_policy, provider_cases, unreachable_rules

__all__ = ["cases", "from_policy", "invariants", "provider_cases", "unreachable_rules"]

_STRATEGIES = frozenset({"cases", "from_policy", "provider_cases", "unreachable_rules"})


def __getattr__(name: str) -> Any:
    if name in _STRATEGIES:
        try:
            from maatwerk.testing import _strategies
        except ModuleNotFoundError as err:
            if err.name == "hypothesis":
                raise ImportError(f"maatwerk.testing.{name} needs Hypothesis: pip install 'maatwerk[testing]'") from err
            raise
        return getattr(_strategies, name)
    raise AttributeError(f"module 'maatwerk.testing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_STRATEGIES})
