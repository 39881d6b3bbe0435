# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The domains of maatwerk: one module each, behind one seam.

A domain (benefits, providers) names its case model, how a case selects its packs (which dates
decide), how its facts are derived from the case and the resolved parameters, and how the advice
is built from the rules' trace and the packs' verdict (its own arithmetic, such as the
Boetebesluit's, stays pure and typed in Python). The :class:`~maatwerk.Engine` knows only this
seam: adding a third domain is one module here, its case model and its packs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from maatwerk._advice.plain import AdviceData, OutcomeData, ReasoningStepData
    from maatwerk._engine import Evaluator, Trace
    from maatwerk._policy.stack import PolicySet, ResolvedParams, Selection, Stack
    from maatwerk.models._base import Frozen

__all__ = ["Domain", "Note", "domain_named", "domain_of"]

#: A reasoning step of the engine itself (stack, step id) -> step, as the national pack states it.
Note = Callable[["Stack", str], "ReasoningStepData"]


class Domain(Protocol):
    """What the engine needs of a domain."""

    name: str

    @property
    def case_model(self) -> type[Frozen]:
        """The validated case of this domain (``"domain": name`` in a case's JSON)."""
        ...

    def select(self, policies: PolicySet, municipality: str | None, case: Any) -> Selection:
        """The packs that judge the case: which stack for the conduct and which for the decision."""
        ...

    def evaluate(
        self, evaluator: Evaluator, case: Any, stack: Stack, sel: Selection
    ) -> tuple[Trace, ResolvedParams, Mapping[str, Any]]:
        """The rules of ``stack`` on the case: the trace, the resolved parameters and the facts."""
        ...

    def advise(self, evaluator: Evaluator, case: Any, sel: Selection, engine: str, note: Note) -> AdviceData:
        """The advice as plain data (without receipt and without the notes of a previewed bill)."""
        ...

    def outcome(self, evaluator: Evaluator, case: Any, sel: Selection, engine: str) -> OutcomeData:
        """The same decision as :meth:`advise`, without its reasoning, as data (without receipt)."""
        ...


#: The domains imported so far, by name (an import statement is not free: it runs on every call).
_LOADED: dict[str, Domain] = {}


def domain_named(name: str) -> Domain:
    """The domain called ``name`` (a key of :data:`maatwerk.models.CASE_MODELS`), imported when first asked for."""
    found = _LOADED.get(name)
    if found is None:
        found = _LOADED[name] = _load(name)
    return found


def _load(name: str) -> Domain:
    if name == "benefits":
        from maatwerk._domains.benefits import BENEFITS

        return BENEFITS
    if name == "providers":
        from maatwerk._domains.providers import PROVIDERS

        return PROVIDERS
    raise KeyError(name)


def domain_of(case: Any) -> Domain:
    """The domain of a validated case (its ``domain`` field)."""
    return domain_named(case.domain)
