# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The parts of an advice that depend on the stack alone, built once per stack and shared.

An advice is plain data (:mod:`maatwerk._advice.plain`). Many of its parts (a rule's citations and
reason, a follow-up, the principles, a parameter's provenance) are the same for every case that
selects the same stack, yet building them anew for every advice was most of the cost of an advice.
They are built here once and kept in :attr:`Stack.memo <maatwerk._policy.stack.Stack.memo>`, so
they live exactly as long as the stack. Sharing is safe because nothing mutates them (the model of an
advice is made from them, never into them); the advice's JSON is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from maatwerk._advice.plain import (
    DecisionFactorData,
    FollowUpData,
    LegalBasisData,
    ParameterUseData,
    TextData,
    text,
)
from maatwerk._format import show_param
from maatwerk._policy.schema import Factor
from maatwerk._policy.stack import CompiledRule, ResolvedParam, ResolvedParams, Stack
from maatwerk._policy.verdict import Part, Placeholder, Template, parse_template

__all__ = [
    "bounded",
    "case_free_text",
    "decision_factor",
    "fixed_text",
    "followup",
    "legal_basis",
    "memo",
    "parameter_use",
    "principle_texts",
    "readers",
    "reason",
    "reason_params",
    "reason_template",
]

T = TypeVar("T")
_MISSING: Any = object()


def memo(stack: Stack, key: Hashable, make: Callable[[], T]) -> T:
    """``make()``, computed once per ``stack`` and ``key``."""
    found = stack.memo.get(key, _MISSING)
    if found is _MISSING:
        found = stack.memo[key] = make()
    return found  # type: ignore[no-any-return]


def bounded(stack: Stack, namespace: str, key: Hashable, make: Callable[[], T], *, limit: int = 4096) -> T:
    """``make()``, kept per ``stack`` in a table of at most ``limit`` entries for values that depend
    on the case too (the table is emptied when full: memory stays bounded, and a race between two
    threads at worst computes a value twice)."""
    table: dict[Hashable, Any] = stack.memo.get(namespace) or stack.memo.setdefault(namespace, {})
    found = table.get(key, _MISSING)
    if found is _MISSING:
        if len(table) >= limit:
            table.clear()
        found = table[key] = make()
    return found  # type: ignore[no-any-return]


_FIXED_TEXTS: dict[tuple[str, str], TextData] = {}


def fixed_text(*, nl: str, en: str) -> TextData:
    """The text of a sentence written as literals in a builder, made once and shared by every advice
    that says it (never mutated). For sentences with a value in them, use
    :func:`~maatwerk._advice.plain.text`: this table is meant for the few dozen fixed ones, and is emptied should it ever
    pass 1,024 entries."""
    key = (nl, en)
    found = _FIXED_TEXTS.get(key)
    if found is None:
        if len(_FIXED_TEXTS) >= 1024:
            _FIXED_TEXTS.clear()
        found = _FIXED_TEXTS[key] = text(nl, en)
    return found


def legal_basis(stack: Stack, ids: Sequence[str], law: str | None = None) -> tuple[LegalBasisData, ...]:
    """The citations of the sources ``ids``, in that order; a per-law source cites the article of
    ``law`` (the case's law), and a source cited twice that way is cited once."""

    def make() -> tuple[LegalBasisData, ...]:
        out: list[LegalBasisData] = []
        seen = set()
        for cited in ids:
            sid = stack.cite(cited, law)
            if sid in seen:
                continue
            seen.add(sid)
            s = stack.sources[sid]
            out.append({"id": sid, "citation": s.citation, "identifier": s.identifier, "url": s.url})
        return tuple(out)

    return memo(stack, ("basis", tuple(ids), law if stack.law_sources else None), make)


def parameter_use(stack: Stack, resolved: ResolvedParam, law: str | None = None) -> ParameterUseData:
    """Which value of a parameter was used, from when, and its source (the case's law's article)."""
    value = resolved.value
    key_law = law if resolved.source in stack.law_sources else None

    def make() -> ParameterUseData:
        return {
            "name": resolved.name,
            "value": value.isoformat() if hasattr(value, "isoformat") else str(value),
            "valid_from": resolved.valid_from.isoformat(),
            "basis": legal_basis(stack, (resolved.source,), key_law)[0],
            "verify": resolved.verify,
        }

    return memo(stack, ("parameter_use", resolved, key_law), make)


def reason_template(stack: Stack, rule: CompiledRule) -> Template:
    """A rule's reason as a template: literal words, and the pack's parameters (``{param:NAME}``) and
    one-article citations (``{cite:SOURCE}``) it names (the loader allows only those)."""
    return memo(
        stack,
        ("reason_template", rule.id),
        lambda: Template(parse_template(rule.reason.nl)[0], parse_template(rule.reason.en)[0]),
    )


def reason_params(stack: Stack, rule: CompiledRule) -> tuple[str, ...]:
    """The parameters a rule's reason names (none for most): what else its words depend on."""
    return memo(
        stack,
        ("reason_params", rule.id),
        lambda: tuple(sorted({ph.name for ph in reason_template(stack, rule).placeholders if ph.kind == "param"})),
    )


def reason(stack: Stack, rule: CompiledRule, params: Mapping[str, ResolvedParam]) -> TextData:
    """The sentence a caseworker can read back to the resident, of a rule of this stack, with the
    parameters it names as they are on the case's dates (``params``)."""
    template = reason_template(stack, rule)
    if not template.placeholders:  # (its literal parts: a written {{ is one brace)
        return memo(
            stack,
            ("reason", rule.id),
            lambda: text(_filled(stack, params, template.nl, "nl"), _filled(stack, params, template.en, "en")),
        )
    # Kept with the parameter set (shared by every case whose dates fall in the same intervals).
    kept: dict[tuple[str, str], TextData] | None = (
        params.memo.setdefault("reasons", {}) if isinstance(params, ResolvedParams) else None
    )
    key = (stack.key, rule.id)
    found = None if kept is None else kept.get(key)
    if found is None:
        found = text(_filled(stack, params, template.nl, "nl"), _filled(stack, params, template.en, "en"))
        if kept is not None:
            kept[key] = found
    return found


def _filled(stack: Stack, params: Mapping[str, ResolvedParam], parts: tuple[Part, ...], lang: str) -> str:
    # A reason names only parameters and one-article citations (the same for every law).
    return "".join(part if isinstance(part, str) else case_free_text(stack, params, part, lang, None) for part in parts)


def case_free_text(
    stack: Stack, params: Mapping[str, ResolvedParam], ph: Placeholder, lang: str, law: str | None
) -> str:
    """A placeholder's text that depends only on the stack, its parameters and the law: a parameter's
    value (``param``), a citation (``cite``) or a named rule's reason (``rule``)."""
    if ph.kind == "param":
        param = params[ph.name]
        return show_param(param.value, param.unit, ph.fmt, lang)
    if ph.kind == "cite":
        return legal_basis(stack, (ph.name,), law)[0]["citation"]
    return reason(stack, stack.rules_by_id[ph.name], params)["nl" if lang == "nl" else "en"]


def decision_factor(
    stack: Stack, rule: CompiledRule, factor: Factor, params: Mapping[str, ResolvedParam]
) -> DecisionFactorData:
    """What a fired rule contributes to a decision for a person (its reason on the case's dates)."""

    def make() -> DecisionFactorData:
        return {"text": reason(stack, rule, params), "direction": factor.direction, "rule_id": rule.id}

    if reason_params(stack, rule):
        return make()  # its words depend on the parameters: made per case (a dict and a kept text)
    return memo(stack, ("factor", rule.id, factor.decision, factor.direction), make)


def followup(stack: Stack, fid: str) -> FollowUpData:
    """A follow-up of this stack."""

    def make() -> FollowUpData:
        f = stack.followups[fid]
        return {
            "id": fid,
            "text": text(f.text.nl, f.text.en),
            "principles": stack.principles_for(tuple(f.principles)),
            "audience": f.audience,
        }

    return memo(stack, ("followup", fid), make)


def principle_texts(stack: Stack) -> dict[str, TextData]:
    """The labels of the stack's principles, by id in sorted order (a fresh dict; the texts are shared)."""

    def make() -> tuple[tuple[str, TextData], ...]:
        return tuple((pid, text(p.label.nl, p.label.en)) for pid, p in sorted(stack.principles.items()))

    return dict(memo(stack, "principles", make))


def readers(stack: Stack) -> dict[str, tuple[str, ...]]:
    """For every fact some rule reads, the ids of those rules in evaluation order (shared: do not mutate)."""

    def make() -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for rule in stack.rules:
            for name in rule.reads:
                out.setdefault(name, []).append(rule.id)
        return {name: tuple(ids) for name, ids in out.items()}

    return memo(stack, "readers", make)
