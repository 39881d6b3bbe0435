# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Recording decisions on advice, replaying them, and the learning report (the letter: test_letters.py)."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ANY_CASE, valid_case
from hypothesis import given
from hypothesis import strategies as st

from maatwerk import Engine
from maatwerk.audit import (
    REASON_CATEGORIES,
    Actor,
    Advisor,
    AuditStore,
    DecisionError,
    DecisionInput,
    IdempotencyConflictError,
    StaleAdviceError,
    advice_sha256,
    check_decision,
    is_deviation,
    learning_report,
    render_report,
    replay,
    summarise,
)
from maatwerk.audit._cli import EXIT_AUDIT
from maatwerk.audit._decisions import DECIDABLE, above_maximum
from maatwerk.cli import main

SECRET = b"k" * 32
AUDITOR = Actor("auditor-7", "api")


def ticks() -> Iterator[dt.datetime]:
    t = dt.datetime(2026, 3, 30, 12, 0, tzinfo=dt.UTC)
    while True:
        yield t
        t += dt.timedelta(days=2)


@pytest.fixture
def advisor(tmp_path: Path, engine: Engine) -> Advisor:
    clock = ticks()
    return Advisor(engine, AuditStore(tmp_path / "audit.sqlite", secret=SECRET, clock=lambda: next(clock)))


def follow(advisor: Advisor, case: dict[str, Any] | None = None, **decision: Any) -> Any:
    case = case or valid_case()
    advice = advisor.advise(case)
    chosen = {"measure": advice.measure.kind, "amount": advice.measure.amount, "caseworker_id": "mw-042", **decision}
    return advisor.decide(case, advice.receipt, chosen)


def test_a_decision_that_follows_the_advice_needs_no_reason(advisor: Advisor) -> None:
    """Deciding the advised fine records a decision without deviation."""
    record, _ = follow(advisor)
    assert ("boete", "840.90", False) == (
        record.body["decision"]["measure"],
        record.body["decision"]["amount"],
        record.body["decision"]["deviation"],
    )


def test_a_deviation_without_a_reason_is_refused_with_every_located_problem(advisor: Advisor) -> None:
    """No fine instead of the advised fine needs a reason category and a motivation (Awb 3:46)."""
    with pytest.raises(DecisionError) as info:
        follow(advisor, measure="geen_boete", amount=None)
    assert [("reason_category", "DECISION_REASON_MISSING"), ("reason", "DECISION_REASON_MISSING")] == [
        (p.where, p.code) for p in info.value.problems
    ]


def test_another_amount_is_a_deviation_too(advisor: Advisor) -> None:
    """A lower fine than advised, with its reason, is recorded as a deviation."""
    record, _ = follow(
        advisor, amount="600.00", reason_category="draagkracht", reason="Betaalt al een andere schuld af."
    )
    assert (True, "draagkracht") == (record.body["decision"]["deviation"], record.body["decision"]["reason_category"])


def test_a_fine_needs_an_amount_and_a_warning_has_none(advisor: Advisor) -> None:
    """The amount is required for a fine and refused for no fine."""
    with pytest.raises(DecisionError) as fine:
        follow(advisor, amount=None)
    with pytest.raises(DecisionError) as warning:
        follow(advisor, measure="geen_boete", amount="10.00", reason_category="anders", reason="x" * 30)
    assert (("amount", "DECISION_AMOUNT_MISSING"), [("amount", "DECISION_AMOUNT_UNEXPECTED")]) == (
        (fine.value.problems[0].where, fine.value.problems[0].code),
        [(p.where, p.code) for p in warning.value.problems],
    )


def test_a_conditional_fine_is_refused_under_current_law(advisor: Advisor) -> None:
    """A voorwaardelijke boete has no basis before the Whsz: never recorded on current law."""
    with pytest.raises(DecisionError) as info:
        follow(advisor, measure="voorwaardelijke_boete", reason_category="anders", reason="x" * 30)
    assert "DECISION_MEASURE_NOT_LAWFUL" in [p.code for p in info.value.problems]


def test_an_unknown_measure_is_refused_naming_the_choices(advisor: Advisor) -> None:
    """A measure that is not a benefit measure is refused with the list of allowed ones."""
    with pytest.raises(DecisionError) as info:
        follow(advisor, measure="verbeterplan", amount=None, reason_category="anders", reason="x" * 30)
    assert [("measure", "DECISION_MEASURE_UNKNOWN")] == [(p.where, p.code) for p in info.value.problems]


def test_a_domain_without_its_own_list_may_decide_any_measure_kind_but_beslissing_nodig() -> None:
    """The fallback for a new case domain is every measure kind of the advice model except beslissing_nodig."""
    from maatwerk.audit._decisions import DECIDABLE, _measure_kinds

    kinds = _measure_kinds()
    assert (True, False) == (DECIDABLE["benefits"] <= kinds, "beslissing_nodig" in kinds)


def test_a_decision_on_another_receipt_is_refused(advisor: Advisor) -> None:
    """The receipt must be the advice the engine gives for this case now."""
    with pytest.raises(StaleAdviceError):
        advisor.decide(valid_case(), "0" * 64, {"measure": "boete", "amount": "840.90", "caseworker_id": "mw"})


def test_an_unknown_decision_field_is_refused(advisor: Advisor) -> None:
    """Decisions forbid unknown fields, like cases do."""
    with pytest.raises(DecisionError) as info:
        follow(advisor, remark="x")
    assert ["remark"] == [p.where for p in info.value.problems]


def test_a_decision_sent_again_with_its_idempotency_key_gives_the_first_record(advisor: Advisor) -> None:
    """A retry of the same decision with the same key records nothing new: the first record comes back."""
    first, _ = follow(advisor, idempotency_key="0b6f8e1c-retry")
    again, _ = follow(advisor, idempotency_key="0b6f8e1c-retry")
    assert (first, 1, "0b6f8e1c-retry") == (again, advisor.store.count(), first.body["idempotency_key"])


def test_the_same_idempotency_key_for_another_decision_is_refused(advisor: Advisor) -> None:
    """A key names one decision: another amount under the same key is a conflict, and nothing is recorded."""
    follow(advisor, idempotency_key="k-1")
    with pytest.raises(IdempotencyConflictError) as info:
        follow(
            advisor,
            amount="600.00",
            reason_category="draagkracht",
            reason="Betaalt al een andere schuld af.",
            idempotency_key="k-1",
        )
    assert ("DECISION_IDEMPOTENCY_CONFLICT", ["idempotency_key"], 1) == (
        info.value.code,
        [p.where for p in info.value.problems],
        advisor.store.count(),
    )


def test_without_an_idempotency_key_the_same_decision_is_recorded_each_time(advisor: Advisor) -> None:
    """The key is the client's to give: a decision sent twice without one is two records."""
    follow(advisor)
    follow(advisor)
    assert 2 == advisor.store.count()


@pytest.mark.parametrize("key", ["", "with space", "x" * 129, "-leading-dash", "sleutel/1"])
def test_an_idempotency_key_outside_its_letters_or_length_is_refused(advisor: Advisor, key: str) -> None:
    """1 to 128 letters, digits and . _ : -, starting with a letter or digit; anything else is located."""
    with pytest.raises(DecisionError) as info:
        follow(advisor, idempotency_key=key)
    assert [("idempotency_key", "DECISION_INVALID_VALUE")] == [(p.where, p.code) for p in info.value.problems]


def test_the_record_holds_the_canonical_input_packs_and_a_pseudonym(advisor: Advisor) -> None:
    """The stored input equals the canonical case; the caseworker is a keyed pseudonym, never the id."""
    record, advice = follow(advisor)
    text = sqlite3.connect(advisor.store.path).execute("SELECT body FROM records").fetchone()[0]
    assert (
        advisor.engine.advise(record.body["input"]).receipt,
        [p.id for p in advice.packs],
        advisor.store.pseudonym("mw-042"),
        False,
    ) == (
        advice.receipt,
        [p["id"] for p in record.body["packs"]],
        record.body["caseworker"],
        "mw-042" in text,
    )


def test_replay_recomputes_the_identical_advice_from_the_store(advisor: Advisor) -> None:
    """`replay` rebuilds the packs from the store and gets the same receipt and the same advice."""
    _, advice = follow(advisor)
    result = replay(advisor.store, advice.receipt, actor=AUDITOR)
    assert (True, (), advice) == (result.identical, result.differences, result.advice)


def test_replay_uses_the_stored_packs_not_the_current_folder(tmp_path: Path, policy_copy: Path) -> None:
    """After the policy folder changes, replay still reproduces the recorded advice."""
    advisor = Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    _, advice = follow(advisor)
    pack = policy_copy / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# changed later\n", encoding="utf-8")
    assert replay(advisor.store, advice.receipt, actor=AUDITOR).identical


def record_as(advisor: Advisor, *, engine: str, legacy_receipt: bool, amount: str | None = None) -> str:
    """Record a decision as an earlier release would have: its ``engine`` string in the advice (and,
    with ``legacy_receipt``, in the receipt, as maatwerk 0.1.0 did; no ``advice_logic``). With
    ``amount``, the recorded advice had another fine. Returns the recorded receipt."""
    from maatwerk._api import receipt_of
    from maatwerk.audit import advice_sha256

    case = valid_case()
    advice = advisor.advise(case)
    chosen = {"measure": advice.measure.kind, "amount": advice.measure.amount, "caseworker_id": "mw-042"}
    content, advice = advisor.prepare(case, advice.receipt, chosen)
    old = advice.model_copy(update={"engine": engine})
    if legacy_receipt:
        canonical = json.dumps(content["input"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        old = old.model_copy(update={"receipt": receipt_of(canonical, old.packs, engine=engine)})
        content.pop("advice_logic")
    if amount is not None:
        old = old.model_copy(update={"measure": old.measure.model_copy(update={"amount": Decimal(amount)})})
        content["advised"] = {**content["advised"], "amount": amount}
    advisor.record({**content, "engine": engine, "advice_sha256": advice_sha256(old)}, old, actor=AUDITOR)
    return old.receipt


def test_a_record_of_an_earlier_release_replays_as_identical_with_notes(advisor: Advisor) -> None:
    """A decision recorded by maatwerk 0.1.0 (its version in the advice and in the receipt) replays as
    identical under a newer release; the notes say what changed and that it does not decide the outcome."""
    receipt = record_as(advisor, engine="maatwerk 0.0.1; durable-rules 2.0.28", legacy_receipt=True)
    result = replay(advisor.store, receipt, actor=AUDITOR)
    assert (True, ()) == (result.identical, result.differences)
    assert ["engine", "receipt"] == [note.split(":")[0] for note in result.notes]


def test_a_replay_under_another_evaluator_or_release_is_identical(advisor: Advisor) -> None:
    """A record whose advice was made by another release or evaluator replays as identical, with a note."""
    receipt = record_as(advisor, engine="maatwerk 0.0.1; reference evaluator", legacy_receipt=False)
    result = replay(advisor.store, receipt, actor=AUDITOR)
    assert (True, (), 1) == (result.identical, result.differences, len(result.notes))


def test_a_replay_that_gives_another_fine_fails_and_says_where(advisor: Advisor) -> None:
    """A real difference fails the replay: the replayed advice has another amount than the record,
    and the difference names the field."""
    receipt = record_as(advisor, engine="maatwerk 0.0.1; durable-rules 2.0.28", legacy_receipt=True, amount="999.00")
    result = replay(advisor.store, receipt, actor=AUDITOR)
    assert (False, ["advice: the replayed advice differs from the recorded one (in amount)"]) == (
        result.identical,
        list(result.differences),
    )


def test_cli_replay_of_an_earlier_release_exits_0_and_prints_its_notes(
    advisor: Advisor, capsys: pytest.CaptureFixture[str]
) -> None:
    """`maatwerk audit replay` of a record from an earlier release exits 0, says identical and prints the notes."""
    receipt = record_as(advisor, engine="maatwerk 0.0.1; durable-rules 2.0.28", legacy_receipt=True)
    assert 0 == main(args(advisor, "audit", "replay", receipt))
    out = capsys.readouterr().out
    assert (2, True) == (out.count("NOTE  "), out.rstrip().endswith(": identical"))


def test_advice_for_a_receipt_is_read_back_with_a_replay_check(advisor: Advisor) -> None:
    """advice_for gives the recorded advice, recomputed, and says it is identical."""
    _, advice = follow(advisor)
    result = advisor.advice_for(advice.receipt, actor=AUDITOR)
    assert (True, advice.receipt) == (result.identical, result.advice.receipt)


def test_learning_report_counts_causes_role_measures_and_departures(advisor: Advisor) -> None:
    """Per pack versions and month: causes, the municipality's role, advised and decided measures, departures."""
    follow(advisor)
    own_role = valid_case()
    own_role["circumstances"] = {"municipality": {"late_processing": True}}
    follow(
        advisor,
        own_role,
        measure="geen_boete",
        amount=None,
        reason_category="rol_gemeente",
        reason="De gemeente verwerkte de melding maanden te laat.",
    )
    report = learning_report(advisor.store.records(), period="month")
    groups = [(g["period"], g["decisions"]) for g in report["groups"]]
    march, april = report["groups"]
    assert [("2026-03", 1), ("2026-04", 1)] == groups
    assert (0, 1) == (march["municipality_role"]["count"], april["municipality_role"]["count"])
    assert ({"rol_gemeente": 1}, {"boete -> geen_boete": 1}, {"gemeentelijk_proces": 1}) == (
        april["deviations"]["reasons"],
        april["deviations"]["from_to"],
        april["cause_categories"],
    )


def test_learning_report_per_year_and_period_filter(advisor: Advisor) -> None:
    """Grouping per year puts both decisions together; a date filter leaves out the later one."""
    follow(advisor)
    follow(advisor)
    whole = learning_report(advisor.store.records(), period="year")
    early = learning_report(advisor.store.records(), period="year", end=dt.date(2026, 3, 31))
    assert ([2], [1]) == ([g["decisions"] for g in whole["groups"]], [g["decisions"] for g in early["groups"]])


def test_learning_report_holds_no_reasons_text_input_or_pseudonym(advisor: Advisor) -> None:
    """The report counts categories only: no free text, no case data, no caseworker pseudonym."""
    record, _ = follow(
        advisor, measure="geen_boete", amount=None, reason_category="anders", reason="Persoonlijke toelichting X-123."
    )
    text = json.dumps(learning_report(advisor.store.records())) + render_report(
        learning_report(advisor.store.records())
    )
    assert [] == [s for s in ("X-123", record.body["caseworker"], "2480.00", "test-1") if s in text]


# --- the CLI --------------------------------------------------------------------------------------


def args(advisor: Advisor, *rest: str) -> list[str]:
    secret = advisor.store.path.parent / "secret.key"
    secret.write_bytes(SECRET)
    secret.chmod(0o600)
    return [*rest, "--db", str(advisor.store.path), "--secret-file", str(secret)]


def test_cli_verify_passes_then_exits_6_after_tampering(advisor: Advisor, capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk audit verify` exits 0 on an intact store and 6 with the located problem after an edit."""
    follow(advisor)
    assert 0 == main(args(advisor, "audit", "verify"))
    db = sqlite3.connect(advisor.store.path, isolation_level=None)
    db.execute("DROP TRIGGER records_no_update")
    db.execute("UPDATE records SET body = replace(body, '840.90', '124.00')")
    assert EXIT_AUDIT == main(args(advisor, "audit", "verify", "--format", "json"))
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{\n") :])
    assert [("record 1", "AUDIT_RECORD_ALTERED")] == [(p["where"], p["code"]) for p in report["problems"]]


def test_cli_replay_confirms_an_identical_advice(advisor: Advisor, capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk audit replay RECEIPT` prints identical and exits 0."""
    _, advice = follow(advisor)
    assert 0 == main(args(advisor, "audit", "replay", advice.receipt))
    assert f"{advice.receipt}: identical" in capsys.readouterr().out


def test_cli_replay_of_an_unknown_receipt_exits_6(advisor: Advisor, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown receipt is an error, not an empty success."""
    follow(advisor)
    assert EXIT_AUDIT == main(args(advisor, "audit", "replay", "a" * 64))
    assert "AUDIT_NOT_FOUND" in capsys.readouterr().err


def test_cli_report_prints_text_and_json(advisor: Advisor, capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk audit report` prints the learning report, in Dutch text or as JSON."""
    follow(advisor)
    assert 0 == main(args(advisor, "audit", "report"))
    assert "Leerrapport" in capsys.readouterr().out
    assert 0 == main(args(advisor, "audit", "report", "--format", "json", "--period", "quarter"))
    assert "2026-Q1" == json.loads(capsys.readouterr().out)["groups"][0]["period"]


def test_cli_report_names_measures_in_words_and_exports_csv(
    advisor: Advisor, capsys: pytest.CaptureFixture[str]
) -> None:
    """The text report names the measures as the store's packs do; --csv gives one row per decision,
    in Dutch words with a decimal comma."""
    follow(advisor)
    assert 0 == main(args(advisor, "audit", "report"))
    assert "Geadviseerd: Boete 1" in capsys.readouterr().out
    assert 0 == main(args(advisor, "audit", "report", "--csv"))
    lines = capsys.readouterr().out.splitlines()
    assert (2, "Besluitnummer", ["1", "Boete", "840,90", "Boete", "840,90", "nee"]) == (
        len(lines),
        lines[0].split(";")[0],
        [lines[1].split(";")[i] for i in (0, 3, 4, 5, 6, 7)],
    )


def test_a_report_period_that_ends_before_it_starts_is_refused_not_empty(
    advisor: Advisor, capsys: pytest.CaptureFixture[str]
) -> None:
    """--from after --to is a usage error (exit 2) naming both, and the library raises ValueError:
    never an empty report that reads as "no decisions"."""
    follow(advisor)
    assert 2 == main(args(advisor, "audit", "report", "--from", "2026-05-01", "--to", "2026-01-01"))
    assert "--from 2026-05-01 lies after --to 2026-01-01" in capsys.readouterr().err
    with pytest.raises(ValueError, match="first day 2026-05-01 lies after its last day 2026-01-01"):
        learning_report(advisor.store.records(), start=dt.date(2026, 5, 1), end=dt.date(2026, 1, 1))
    assert (
        1
        == learning_report(advisor.store.records(), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))["groups"][0][
            "decisions"
        ]
    )


def test_cli_head_prints_count_and_hash(advisor: Advisor, capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk audit head` prints what to publish outside the server."""
    record, _ = follow(advisor)
    assert 0 == main(args(advisor, "audit", "head"))
    assert f"1 {record.hash}" == capsys.readouterr().out.strip()


def test_cli_without_the_secret_refuses(advisor: Advisor, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`audit` never creates a secret: without it, it says so and exits 6."""
    follow(advisor)
    assert EXIT_AUDIT == main(
        ["audit", "verify", "--db", str(advisor.store.path), "--secret-file", str(tmp_path / "none")]
    )
    assert "no audit secret" in capsys.readouterr().err


def test_a_measure_the_advice_finds_unlawful_is_refused(advisor: Advisor) -> None:
    """Example 01's loss is above the limit without a timely self-report: a warning has no basis, even with a reason."""
    with pytest.raises(DecisionError) as info:
        follow(advisor, measure="waarschuwing", amount=None, reason_category="anders", reason="x" * 30)
    assert [("measure", "DECISION_MEASURE_NOT_LAWFUL")] == [(p.where, p.code) for p in info.value.problems]
    assert (
        "Not allowed: the loss is above the limit. And the resident did not report it in time."
        in info.value.problems[0].message
    )


def test_a_fine_above_the_statutory_maximum_or_of_nothing_is_refused(advisor: Advisor) -> None:
    """Example 01's statutory maximum is € 2480.00: one cent more, or a fine of 0, is outside the legal band."""
    reason: dict[str, Any] = {"reason_category": "anders", "reason": "x" * 30}
    with pytest.raises(DecisionError) as above:
        follow(advisor, amount="2480.01", **reason)
    with pytest.raises(DecisionError) as nothing:
        follow(advisor, amount="0.00", **reason)
    record, _ = follow(advisor, amount="2480.00", **reason)
    assert (
        [("amount", "DECISION_AMOUNT_OUTSIDE_BAND")],
        [("amount", "DECISION_AMOUNT_OUTSIDE_BAND")],
        "2480.00",
    ) == (
        [(p.where, p.code) for p in above.value.problems],
        [(p.where, p.code) for p in nothing.value.problems],
        record.body["decision"]["amount"],
    )


# --- the check runs on the outcome ----------------------------------------------------------------

MEASURE_KINDS = sorted(DECIDABLE["benefits"] | DECIDABLE["providers"] | {"beslissing_nodig", "onbekend"})
DECISIONS = st.fixed_dictionaries(
    {
        "measure": st.sampled_from(MEASURE_KINDS),
        "amount": st.none() | st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False),
        "reason_category": st.none() | st.sampled_from(REASON_CATEGORIES),
        "reason": st.none() | st.sampled_from(["kort", "Betaalt al een andere schuld af, al twee jaar."]),
        "caseworker_id": st.just("mw-042"),
    }
)


@given(case=ANY_CASE, decision=DECISIONS)
def test_a_decision_checked_on_the_outcome_meets_the_problems_of_the_whole_advice(
    engine: Engine, case: dict[str, Any], decision: dict[str, Any]
) -> None:
    """Invariant decision_check_outcome_equals_advice: for any case of either domain and any
    decision, checking it on the outcome finds the same problems, at the same places, as checking
    it on the whole advice; so do the deviation and the amount above the maximum that a record keeps."""
    chosen = DecisionInput.model_validate(decision)
    advice, outcome = engine.advise(case), engine.outcome(case)
    on_advice = [(p.where, p.code) for p in check_decision(advice, chosen)]
    assert on_advice == [(p.where, p.code) for p in check_decision(outcome, chosen)]
    assert is_deviation(advice, chosen.measure, chosen.amount) == is_deviation(outcome, chosen.measure, chosen.amount)
    assert above_maximum(advice, chosen.amount) == above_maximum(outcome, chosen.amount)


def _no_advice(_case: Any) -> Any:
    raise AssertionError("the whole advice was built to refuse a decision")


def test_a_decision_on_a_stale_receipt_is_refused_without_building_the_advice(
    advisor: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decision on an advice whose receipt no longer matches costs only the outcome."""
    monkeypatch.setattr(advisor, "advise", _no_advice)
    with pytest.raises(StaleAdviceError):
        advisor.decide(valid_case(), "0" * 64, {"measure": "boete", "amount": "840.90", "caseworker_id": "mw-042"})


def test_a_departure_without_a_reason_is_refused_without_building_the_advice(
    advisor: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decision is checked on the outcome: only a decision that will be recorded has its advice built."""
    case = valid_case()
    receipt = advisor.engine.outcome(case).receipt
    monkeypatch.setattr(advisor, "advise", _no_advice)
    with pytest.raises(DecisionError) as info:
        advisor.decide(case, receipt, {"measure": "geen_boete", "caseworker_id": "mw-042"})
    assert ["DECISION_REASON_MISSING", "DECISION_REASON_MISSING"] == [p.code for p in info.value.problems]


def test_a_recorded_decision_keeps_the_hash_of_the_whole_advice(advisor: Advisor) -> None:
    """The record of a decision checked on the outcome still holds the whole advice's hash and summary."""
    record, advice = follow(advisor)
    assert advice_sha256(advice) == record.body["advice_sha256"]
    assert summarise(advice) == record.body["advised"]
