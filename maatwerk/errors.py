# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Errors raised by maatwerk.

Every error derives from :class:`MaatwerkError`, carries a stable ``code`` that integrators can
switch on, a ``hint`` that says what to do, and, where the problem sits somewhere specific, a list
of :class:`Problem` entries with a location. Each class also derives from the closest standard
library exception, so ``except ValueError`` keeps working for callers that do not know maatwerk.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CaseError",
    "EngineError",
    "MaatwerkError",
    "PolicyError",
    "PolicySelectionError",
    "Problem",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem: ``where`` is ``file:line:col`` or a dotted path into the input."""

    where: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.code}: {self.message}"


class MaatwerkError(Exception):
    """Root of every error maatwerk raises on purpose."""

    code: str = "MAATWERK_ERROR"
    hint: str = ""

    def __init__(self, message: str, *, problems: tuple[Problem, ...] = (), hint: str | None = None) -> None:
        self.message = message
        self.problems = problems
        if hint is not None:
            self.hint = hint
        super().__init__(self.__str__())

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled with its problems and hint, so an error raised in a worker process
        # (Engine.advise_many with processes) reaches the caller whole.
        return (_rebuild, (type(self), self.message, self.problems, self.__dict__.get("hint")))

    def __str__(self) -> str:
        lines = [f"{self.code}: {self.message}"]
        lines.extend(f"  {p}" for p in self.problems)
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description of the error (used by the CLI and the HTTP layer)."""
        return {
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "problems": [{"where": p.where, "code": p.code, "message": p.message} for p in self.problems],
        }


def _rebuild(cls: type[MaatwerkError], message: str, problems: tuple[Problem, ...], hint: str | None) -> MaatwerkError:
    return cls(message, problems=problems, hint=hint)


class CaseError(MaatwerkError, ValueError):
    """The case given to the engine is not valid; ``problems`` lists every located field error."""

    code = "CASE_INVALID"
    hint = "Correct the fields listed above; `maatwerk schema case` prints the full case format."


class PolicyError(MaatwerkError, ValueError):
    """A policy pack could not be loaded; ``problems`` lists every problem as file:line:col."""

    code = "POLICY_INVALID"
    hint = "Fix the policy files listed above; `maatwerk check policies/` re-checks them all at once."


class PolicySelectionError(MaatwerkError, LookupError):
    """No policy pack version is valid on the dates of the case (not yet valid, or expired)."""

    code = "POLICY_NOT_VALID_ON_DATE"
    hint = "Add a pack version valid on the case's dates; an expired pack is never used silently."


class EngineError(MaatwerkError, RuntimeError):
    """The rules engine failed while evaluating a case; never returned as a partial advice."""

    code = "ENGINE_ERROR"
    hint = "This is a defect in a policy pack or in maatwerk; report it with the receipt of the input."
