# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Recording a caseworker's decision on an advice, and replaying an advice from the audit store.

The case kind is opaque here: a record holds the canonical input JSON, the advice receipt, the
packs and the policy set; replay is ``Engine(snapshot).advise(stored_input)``. Only
:func:`summarise` reads the advice's content, for the learning report.

The input and the full decision (with its motivation) are the record's case data: sealed with the
key of the case (its case reference) and readable only by a named :class:`Actor`, whose read is
logged. The rest (packs, policy set, the advised and decided measure and amount, the reason
category, the caseworker's pseudonym) stays in the clear, so the learning report, verification and
the chain need no key, and survive an erasure.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import Field, ValidationError

from maatwerk._advice.common import show
from maatwerk._version import ADVICE_LOGIC
from maatwerk.audit._store import (
    Actor,
    AuditConflictError,
    AuditErasedError,
    AuditError,
    AuditNotFoundError,
    AuditStore,
    PolicySnapshot,
    Record,
)
from maatwerk.errors import CaseError, Problem
from maatwerk.models import Frozen, Money
from maatwerk.models.advice import Advice, Outcome, ProviderMeasureKind

__all__ = [
    "DECIDABLE",
    "REASON_CATEGORIES",
    "Advisor",
    "DecisionError",
    "DecisionInput",
    "IdempotencyConflictError",
    "ReplayResult",
    "advice_sha256",
    "check_decision",
    "is_deviation",
    "replay",
    "snapshot_of",
    "split_personal",
    "summarise",
]

#: The measures a caseworker can decide, per case domain. A domain not listed here (added later)
#: may decide any measure kind of the advice model but ``beslissing_nodig``.
DECIDABLE: dict[str, frozenset[str]] = {
    "benefits": frozenset({"boete", "voorwaardelijke_boete", "waarschuwing", "geen_boete", "aangifte"}),
    # Every instrument of the provider ladder; the advice says which have a basis under the law that
    # applies, and a decision outside the advice needs its reason like any other departure.
    "providers": frozenset(get_args(ProviderMeasureKind)) - {"beslissing_nodig"},
}
#: Measures that are an amount of money: the amount is required for them (and refused for the other
#: measures of the benefits domain).
FINES = frozenset({"boete", "voorwaardelijke_boete"})


def _measure_kinds() -> frozenset[str]:
    """Every measure kind the advice model knows (from its JSON Schema, so new domains count)."""
    from maatwerk.models.advice import Measure

    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.update(v for v in node.get("enum", ()) if isinstance(v, str))
            if isinstance(node.get("const"), str):
                found.add(node["const"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(Measure.model_json_schema()["properties"]["kind"])
    return frozenset(found - {"beslissing_nodig"})


ReasonCategory = Literal[
    "dringende_redenen",
    "draagkracht",
    "rol_gemeente",
    "nieuwe_feiten",
    "beleid_past_niet",
    "fout_in_advies",
    "anders",
]
#: Why a caseworker departed from the advice, as categories the learning report can count; the free
#: text (the motivation for the resident) is stored but never aggregated or shown in the report.
REASON_CATEGORIES: tuple[str, ...] = ReasonCategory.__args__  # type: ignore[attr-defined]

MIN_REASON = 20


class DecisionError(CaseError):
    """The decision cannot be recorded as given; ``problems`` locates each field."""

    code = "DECISION_INVALID"
    hint = "Correct the fields listed; a decision that departs from the advice needs a reason (Awb 3:46)."


class DecisionInput(Frozen):
    """The decision a caseworker took on an advice."""

    measure: str = Field(
        pattern=r"^[a-z_]{1,40}$",
        description="The measure decided: a measure kind of the advice's domain (not beslissing_nodig).",
    )
    amount: Money | None = Field(default=None, description="The fine in euros, for boete and voorwaardelijke_boete.")
    reason_category: ReasonCategory | None = Field(
        default=None, description="Why the decision departs from the advice (required when it does)."
    )
    reason: str | None = Field(
        default=None,
        max_length=4000,
        description="The motivation in words, for the letter to the resident (required when departing; Awb 3:46).",
    )
    caseworker_id: str = Field(
        min_length=1, max_length=200, description="Stored only as a keyed pseudonym, never as given."
    )
    idempotency_key: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$",
        description=(
            "A key the client chooses for this one decision (1 to 128 letters, digits and . _ : -, for "
            "example a UUID). Sending the same decision with the same key again records nothing new and "
            "gives the first record; the same key with another decision is refused."
        ),
    )


class IdempotencyConflictError(DecisionError):
    """The decision's idempotency key already names another recorded decision."""

    code = "DECISION_IDEMPOTENCY_CONFLICT"
    hint = "An idempotency key names one decision: send the same decision again, or choose a new key."


def advice_sha256(advice: Advice) -> str:
    """SHA-256 of the advice's JSON: replay compares it to show the advice is byte-identical."""
    return hashlib.sha256(advice.model_dump_json().encode("utf-8")).hexdigest()


def _outcome(advised: Advice | Outcome) -> Outcome:
    return advised if isinstance(advised, Outcome) else Outcome.of(advised)


def _conditional_offered(advised: Outcome) -> bool:
    return advised.measure == "voorwaardelijke_boete" or any(
        a.lawful and a.measure.startswith("voorwaardelijke") for a in advised.alternatives
    )


def is_deviation(advised: Advice | Outcome, measure: str, amount: Decimal | None) -> bool:
    """A decision departs from the advice (or its :class:`~maatwerk.Outcome`): another measure, or
    another amount."""
    found = _outcome(advised)
    if found.measure == "beslissing_nodig":
        return False
    return measure != found.measure or amount != found.amount


def above_maximum(advised: Advice | Outcome, amount: Decimal | None) -> bool:
    """An amount above the statutory maximum of the advice's band."""
    highest = _outcome(advised).highest_amount
    return amount is not None and highest is not None and amount > highest


#: The problems whose message quotes the whole advice (an alternative's reason, the maximum's name).
_TOLD_BY_THE_ADVICE = frozenset({"DECISION_MEASURE_NOT_LAWFUL", "DECISION_AMOUNT_OUTSIDE_BAND"})


def check_decision(advised: Advice | Outcome, decision: DecisionInput) -> tuple[Problem, ...]:
    """Every problem with recording ``decision`` on an advice, located by field name. The outcome
    of the advice (:meth:`~maatwerk.Engine.outcome`) is enough to check; given the whole advice, a
    measure it finds not lawful is refused with its reason, and an amount above the maximum with the
    maximum's name."""
    found = _outcome(advised)
    advice = advised if isinstance(advised, Advice) else None
    problems: list[Problem] = []
    allowed = DECIDABLE.get(found.domain) or _measure_kinds()
    if decision.measure not in allowed:
        problems.append(Problem("measure", "DECISION_MEASURE_UNKNOWN", f"choose one of: {', '.join(sorted(allowed))}"))
    fined = decision.measure in FINES
    if fined and decision.amount is None:
        problems.append(Problem("amount", "DECISION_AMOUNT_MISSING", "give the amount of the fine"))
    if found.domain == "benefits" and not fined and decision.amount is not None:
        problems.append(Problem("amount", "DECISION_AMOUNT_UNEXPECTED", f"{decision.measure} has no amount"))
    if decision.measure == "voorwaardelijke_boete" and not _conditional_offered(found):
        problems.append(
            Problem("measure", "DECISION_MEASURE_NOT_LAWFUL", "a conditional fine has no basis in the law that applies")
        )
    if any(a.measure == decision.measure and not a.lawful for a in found.alternatives):
        why = "see the advice's alternatives for the reason"
        if advice is not None:
            why = next(a.why.en for a in advice.alternatives if a.measure == decision.measure and not a.lawful)
        problems.append(
            Problem(
                "measure",
                "DECISION_MEASURE_NOT_LAWFUL",
                f"the advice finds {decision.measure} not lawful in this case: {why}",
            )
        )
    if fined and decision.amount is not None:
        highest = found.highest_amount
        if decision.amount <= 0:
            problems.append(Problem("amount", "DECISION_AMOUNT_OUTSIDE_BAND", "a fine is more than 0"))
        elif highest is not None and decision.amount > highest:
            named = "" if advice is None else f" ({advice.measure.band.highest.en})"
            problems.append(
                Problem(
                    "amount",
                    "DECISION_AMOUNT_OUTSIDE_BAND",
                    f"the fine is above the statutory maximum of {highest}{named}",
                )
            )
    if not all(p.in_force for p in found.packs):
        problems.append(
            Problem(
                "receipt", "DECISION_ON_EXPLORATION", "an advice that previews a bill is never the basis of a decision"
            )
        )
    needs_reason = is_deviation(found, decision.measure, decision.amount) or found.measure == "beslissing_nodig"
    if needs_reason:
        if decision.reason_category is None:
            problems.append(
                Problem("reason_category", "DECISION_REASON_MISSING", "choose why the decision departs from the advice")
            )
        if decision.reason is None or len(decision.reason.strip()) < MIN_REASON:
            problems.append(
                Problem(
                    "reason",
                    "DECISION_REASON_MISSING",
                    f"explain the decision in at least {MIN_REASON} characters (Awb 3:46: a decision needs a sound motivation)",
                )
            )
    return tuple(problems)


def summarise(advice: Advice) -> dict[str, Any]:
    """What the learning report counts from an advice (no personal data: categories and amounts)."""
    said_yes = show(True)  # how a reasoning step shows a yes
    own_role = any(step.inputs.get("municipality_share") == said_yes for step in advice.steps)
    return {
        "measure": advice.measure.kind,
        "amount": None if advice.measure.amount is None else str(advice.measure.amount),
        "cause_category": advice.cause_category,
        "municipality_role": own_role,
        "followups": [f.id for f in advice.followups],
        # What the report checks a decision's measure against. (The statutory maximum is not kept:
        # it can be the case's own benefit loss, which is case data; see above_maximum.)
        "not_lawful": sorted({a.measure for a in advice.alternatives if not a.lawful}),
    }


# --- advising and recording -----------------------------------------------------------------------


def snapshot_of(engine: Any) -> PolicySnapshot:
    """The policy files ``engine`` loaded, read again and checked against the hashes it loaded."""
    from maatwerk._policy.loader import pack_files

    root = Path(engine.policy_dir)
    files = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in pack_files(root)}
    loaded = [v for vs in engine.policies.packs.values() for v in vs]
    loaded += [v for by_name in engine.policies.proposed.values() for v in by_name.values()]
    for pack in loaded:
        rel = Path(pack.path).resolve().relative_to(root.resolve()).as_posix()
        text = files.get(rel)
        if text is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != pack.file_sha256:
            raise AuditError(f"policy file {rel} changed after the engine loaded it; restart the service")
    return PolicySnapshot(files, engine.municipality)


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """Replaying a stored advice: ``identical`` when the receipt (input, packs, advice logic) and the
    advice's content match the record. ``differences`` say what differs and why (each one fails the
    replay); ``notes`` say what changed without changing the outcome (another maatwerk release or
    evaluator in the advice's ``engine``, a receipt made by maatwerk 0.1.0)."""

    receipt: str
    identical: bool
    differences: tuple[str, ...]
    advice: Advice
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "receipt": self.receipt,
            "identical": self.identical,
            "differences": list(self.differences),
            "notes": list(self.notes),
        }


def _engine_for(snapshot: PolicySnapshot) -> Any:
    from maatwerk._api import Engine

    with tempfile.TemporaryDirectory(prefix="maatwerk-replay-") as tmp:
        return Engine(snapshot.write_to(Path(tmp)), municipality=snapshot.municipality)


def _compare(record: Record, advice: Advice) -> ReplayResult:
    """Compare a replayed advice with its record. The release and the evaluator (the advice's
    ``engine``) do not decide the outcome: a change there is a note. A different receipt (another
    input, other packs, another advice logic) or a different advice is a difference, named."""
    from maatwerk._api import receipt_of
    from maatwerk._version import ADVICE_LOGIC

    body = record.body
    recorded_engine = str(body.get("engine"))
    differences: list[str] = []
    notes: list[str] = []
    if advice.engine != recorded_engine:
        notes.append(
            f"engine: recorded {recorded_engine!r}, now {advice.engine!r} (the release or the evaluator "
            "changed; neither decides the outcome)"
        )
    recorded_logic = body.get("advice_logic")
    if recorded_logic is not None and recorded_logic != ADVICE_LOGIC:
        differences.append(
            f"advice logic: recorded {recorded_logic}, now {ADVICE_LOGIC} (this release computes advice differently)"
        )
    if advice.receipt != record.receipt:
        legacy = receipt_of(
            json.dumps(body["input"], sort_keys=True, separators=(",", ":"), ensure_ascii=False),
            advice.packs,
            engine=recorded_engine,
        )
        if legacy == record.receipt:
            notes.append(
                "receipt: made by maatwerk 0.1.0 (over its engine string); the input and the packs are the same"
            )
        else:
            differences.append(
                f"receipt: recorded {record.receipt}, replayed {advice.receipt} (the input, the packs or the advice logic differ)"
            )
    as_recorded = advice.model_copy(update={"engine": recorded_engine, "receipt": record.receipt})
    if advice_sha256(as_recorded) != body.get("advice_sha256"):
        now = summarise(advice)
        was = body.get("advised")
        fields = (
            sorted(k for k in set(now) | set(was or {}) if (was or {}).get(k) != now.get(k))
            if isinstance(was, dict)
            else []
        )
        differences.append(
            "advice: the replayed advice differs from the recorded one"
            + (
                f" (in {', '.join(fields)})"
                if fields
                else " (in its reasoning, texts or format; measure and amount are the same)"
            )
        )
    return ReplayResult(record.receipt, not differences, tuple(differences), advice, tuple(notes))


#: The top-level fields of a decision's content that are case data (sealed per case).
PERSONAL = ("input", "decision")


def split_personal(content: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A decision's content as (the part in the clear, the case data). The clear part keeps the
    decision without its motivation in words, for the learning report; the case data holds the
    input and the whole decision, and is merged over the clear part when a record is opened."""
    personal = {k: content[k] for k in PERSONAL if k in content}
    clear = {k: v for k, v in content.items() if k not in PERSONAL}
    if isinstance(content.get("decision"), Mapping):
        clear["decision"] = {k: v for k, v in content["decision"].items() if k != "reason"}
    return clear, personal


def _latest_readable(store: AuditStore, receipt: str, actor: Actor) -> Record:
    """The newest record of ``receipt``, opened for ``actor``; :class:`AuditErasedError` when its
    case data was erased."""
    records = [r for r in store.by_receipt(receipt, actor=actor) if r.kind == "decision"]
    if not records:
        raise AuditNotFoundError(f"no record with receipt {receipt[:16]}")
    record = records[-1]
    if record.case_data == "erased":
        raise AuditErasedError(
            f"the case data of receipt {receipt[:16]} was erased: record {record.seq} remains in the chain, "
            "its input is gone, so the advice cannot be recomputed"
        )
    return record


def replay(store: AuditStore, receipt: str, *, actor: Actor) -> ReplayResult:
    """Recompute the advice of ``receipt`` from the stored input and stored policy files; compare.
    Reading the input is logged for ``actor``; an erased case raises :class:`AuditErasedError`."""
    record = _latest_readable(store, receipt, actor)
    engine = _engine_for(store.policy_snapshot(record.body["policy_set"]))
    return _compare(record, engine.advise(record.body["input"]))


class Advisor:
    """One engine, its policy snapshot and an audit store: what the HTTP service needs.

    Advice calls are serialised by the engine's lock; replay engines for older policy sets are
    built once and kept (durable-rules cannot unload a ruleset).
    """

    def __init__(self, engine: Any, store: AuditStore) -> None:
        if engine.preview:
            raise AuditError("an engine that previews a bill cannot record decisions")
        self.engine = engine
        self.store = store
        self.snapshot = snapshot_of(engine)
        from maatwerk.audit import _crypto

        _crypto.available()  # decisions hold case data, sealed: refuse to start where it cannot be
        self.policy_set = store.store_policy(self.snapshot)
        self.letters = _letter_templates(engine)  # a template's mistake stops the start, located
        self._replay_engines: dict[str, Any] = {self.policy_set: engine}
        self._lock = threading.Lock()

    def advise(self, case: Any) -> Advice:
        advice: Advice = self.engine.advise(case)
        return advice

    def advise_json(self, case: Any) -> bytes:
        """The advice as JSON, byte for byte ``advise(case).model_dump_json()`` (the engine's
        :meth:`~maatwerk.Engine.advise_json`: no model built only to be serialised)."""
        found: bytes = self.engine.advise_json(case)
        return found

    def prepare(
        self, case: Mapping[str, Any], receipt: str, decision: Mapping[str, Any]
    ) -> tuple[dict[str, Any], Advice]:
        """Check ``decision`` on the advice for ``case`` (whose receipt must be ``receipt``) and build
        the record's content; nothing is stored yet (see :meth:`record`)."""
        from maatwerk._api import canonical_json, parse_case

        parsed = parse_case(case)
        try:
            chosen = DecisionInput.model_validate(dict(decision))
        except ValidationError as err:
            raise DecisionError(
                "the decision has problems",
                problems=tuple(
                    Problem(".".join(str(x) for x in e["loc"]) or "(decision)", "DECISION_INVALID_VALUE", e["msg"])
                    for e in err.errors(include_url=False)
                ),
            ) from None
        # The decision is checked on the advice's outcome, which has no reasoning and costs a fraction
        # of the advice; the whole advice is made only for a decision that will be recorded (the
        # record keeps its hash and summary, and the letter reads its reasoning).
        outcome: Outcome = self.engine.outcome(parsed)
        if outcome.receipt != receipt:
            raise StaleAdviceError(
                "the advice for this case is not the one with this receipt",
                problems=(Problem("receipt", "ADVICE_CHANGED", "advise again and decide on the new advice"),),
            )
        problems = check_decision(outcome, chosen)
        if any(p.code in _TOLD_BY_THE_ADVICE for p in problems):
            problems = check_decision(self.advise(parsed), chosen)  # the same problems, with the advice's reasons
        if problems:
            raise DecisionError("the decision cannot be recorded", problems=problems)
        advice = self.advise(parsed)
        content = {
            "engine": advice.engine,
            "advice_logic": ADVICE_LOGIC,
            "packs": [p.model_dump(mode="json") for p in advice.packs],
            "policy_set": self.policy_set,
            "input": json.loads(canonical_json(parsed)),
            "advice_sha256": advice_sha256(advice),
            "advised": summarise(advice),
            "decision": {
                "measure": chosen.measure,
                "amount": None if chosen.amount is None else str(chosen.amount),
                "deviation": is_deviation(outcome, chosen.measure, chosen.amount),
                # Kept as a yes/no for the learning report (the maximum itself can be case data).
                "above_maximum": above_maximum(outcome, chosen.amount),
                "reason_category": chosen.reason_category,
                "reason": chosen.reason.strip() if chosen.reason else None,
            },
            "caseworker": self.store.pseudonym(chosen.caseworker_id),
        }
        if chosen.idempotency_key is not None:  # taken out again by record(): the store keeps it
            content["idempotency_key"] = chosen.idempotency_key
        return content, advice

    def record(self, content: dict[str, Any], advice: Advice, *, actor: Actor) -> Record:
        """Append a prepared decision to the audit store, its input and motivation sealed with the
        key of the case (``advice.case_ref``), and ``actor`` (who records it, through what) in the
        access log. A decision with an idempotency key that a record holds already is not appended
        again: the first record is returned when it is the same decision (a retry), and
        :class:`IdempotencyConflictError` is raised when it is not. A case that was erased takes no
        new decision (:class:`DecisionError`)."""
        key = content.get("idempotency_key")
        clear, personal = split_personal({k: v for k, v in content.items() if k != "idempotency_key"})
        try:
            return self.store.append(
                "decision",
                advice.receipt,
                clear,
                idempotency_key=key,
                personal=personal,
                case_ref=advice.case_ref,
                actor=actor,
            )
        except AuditConflictError as err:
            raise IdempotencyConflictError(
                "this idempotency key was used for another decision: nothing was recorded",
                problems=(Problem("idempotency_key", IdempotencyConflictError.code, err.message),),
            ) from None
        except AuditErasedError as err:
            raise DecisionError(
                "this case was erased from the audit store: nothing was recorded",
                problems=(Problem("case.case_ref", err.code, err.message),),
                hint=err.hint,
            ) from None

    def decide(
        self, case: Mapping[str, Any], receipt: str, decision: Mapping[str, Any], *, actor: Actor | None = None
    ) -> tuple[Record, Advice]:
        """Check and record ``decision`` on the advice for ``case``; ``actor`` defaults to the
        decision's caseworker, through the library (``api``)."""
        content, advice = self.prepare(case, receipt, decision)
        who = actor if actor is not None else Actor(str(decision.get("caseworker_id", "")), "api")
        return self.record(content, advice, actor=who), advice

    def advice_for(self, receipt: str, *, actor: Actor) -> ReplayResult:
        """The advice of a recorded receipt, recomputed from the store (an engine per policy set);
        reading the stored input is logged for ``actor``. An erased case raises
        :class:`AuditErasedError` (a :class:`AuditNotFoundError`)."""
        record = _latest_readable(self.store, receipt, actor)
        engine = self._engine_of(record.body["policy_set"])
        return _compare(record, engine.advise(record.body["input"]))

    def _engine_of(self, set_id: str) -> Any:
        """The engine for a stored policy set: built once from the store's snapshot, then kept."""
        with self._lock:
            engine = self._replay_engines.get(set_id)
            if engine is None:
                engine = _engine_for(self.store.policy_snapshot(set_id))
                self._replay_engines[set_id] = engine
        return engine

    def letter(self, record: Record, advice: Advice) -> str:
        """The decision letter of ``record`` (opened with its case data) on ``advice``, as HTML: built
        from the recorded decision, the advice's reasoning and the packs of the record's policy set,
        with this advisor's letter templates (the municipality's own, else the package's)."""
        from maatwerk._api import parse_case
        from maatwerk.letters import letter_context

        body = record.body
        if not isinstance(body.get("input"), Mapping) or not isinstance(body.get("decision"), Mapping):
            raise AuditErasedError(f"the case data of record {record.seq} is not readable: no letter can be made")
        engine = self._engine_of(str(body["policy_set"]))  # the packs the decision was taken under
        case = parse_case(body["input"])
        stack = engine._select(case).decision
        context = letter_context(stack, case, advice, body["decision"], record=record.seq)
        html: str = self.letters.render(context)
        return html


def _letter_templates(engine: Any) -> Any:
    from maatwerk.letters import load_templates

    packs = [v for vs in engine.policies.packs.values() for v in vs]
    return load_templates(engine.policy_dir, engine.municipality, packs)


class StaleAdviceError(DecisionError):
    """The receipt the caseworker decided on is not the advice the engine gives now."""

    code = "ADVICE_CHANGED"
    hint = "Ask for the advice again and decide on that one."
