# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Personal data in the audit store: case data sealed per case, erasure and purge that keep the
chain valid and leave nothing readable in the files, the access log, and file permissions.

Every test works on real files; "gone" is checked on the raw bytes of the database, its
write-ahead log and its shared-memory file."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import valid_case
from http_support import SECRET as SERVICE_SECRET
from http_support import call, running

from maatwerk import Engine
from maatwerk.audit import (
    Actor,
    Advisor,
    AuditErasedError,
    AuditError,
    AuditNotFoundError,
    AuditPermissionError,
    AuditStore,
    DecisionError,
    open_store,
    replay,
)
from maatwerk.audit._cli import EXIT_AUDIT
from maatwerk.cli import main

SECRET = b"p" * 32
#: Text that exists only in the case data: it must never be in the files in the clear.
MARKER = "Zij betaalt al een schuld af bij de kredietbank-QX7Z"
AUDITOR = Actor("auditor-7", "cli")
CASEWORKER = Actor("mw-042", "http")


def ticks() -> Iterator[dt.datetime]:
    """Record times two days apart, from 30 March 2026."""
    t = dt.datetime(2026, 3, 30, 12, 0, tzinfo=dt.UTC)
    while True:
        yield t
        t += dt.timedelta(days=2)


@pytest.fixture
def advisor(tmp_path: Path, engine: Engine) -> Advisor:
    clock = ticks()
    return Advisor(engine, AuditStore(tmp_path / "audit.sqlite", secret=SECRET, clock=lambda: next(clock)))


def decide(advisor: Advisor, ref: str, *, reason: str = MARKER) -> Any:
    case = {**valid_case(), "case_ref": ref}
    advice = advisor.advise(case)
    chosen = {
        "measure": advice.measure.kind,
        "amount": advice.measure.amount,
        "caseworker_id": "mw-042",
        "reason": reason,
    }
    return advisor.decide(case, advice.receipt, chosen, actor=CASEWORKER)


def raw_bytes(db: Path) -> bytes:
    """Everything SQLite keeps of the store on disk: the database, its WAL and its -shm file."""
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def secrets_of(db: Path, ref_seqs: list[int]) -> list[bytes]:
    """The sealed case data of records ``ref_seqs`` and the wrapped keys of their cases, as stored."""
    conn = sqlite3.connect(db)
    try:
        found = []
        for seq in ref_seqs:
            case, sealed = conn.execute("SELECT case_id, sealed FROM case_data WHERE seq = ?", (seq,)).fetchone()
            (wrapped,) = conn.execute("SELECT wrapped FROM case_keys WHERE case_id = ?", (case,)).fetchone()
            found += [bytes(sealed)[12:44], bytes(wrapped)[12:44]]  # 32 bytes of ciphertext past the nonce
        return found
    finally:
        conn.close()


# --- sealed at rest -------------------------------------------------------------------------------


def test_case_data_is_never_in_the_files_in_the_clear(advisor: Advisor) -> None:
    """The input and the motivation are sealed: neither the motivation, the case reference nor the
    case's amounts appear in the database, its WAL or its -shm file; a logged reader gets them back."""
    record, _ = decide(advisor, "zaak-2026-0412")
    data = raw_bytes(advisor.store.path)
    opened = advisor.store.by_seq(record.seq, actor=AUDITOR)
    assert opened is not None
    assert [] == [m for m in (MARKER, "zaak-2026-0412", "2480.00", "1401.50") if m.encode() in data]
    assert ("open", MARKER, "zaak-2026-0412") == (
        opened.case_data,
        opened.body["decision"]["reason"],
        opened.body["input"]["case_ref"],
    )


def test_a_read_without_an_actor_gets_only_the_part_in_the_clear(advisor: Advisor) -> None:
    """Without an actor nothing is decrypted: the learning report's fields are there, the input and
    the motivation are not."""
    record, _ = decide(advisor, "zaak-1")
    sealed = advisor.store.by_seq(record.seq)
    assert sealed is not None
    assert ("sealed", "boete", False, False) == (
        sealed.case_data,
        sealed.body["decision"]["measure"],
        "input" in sealed.body,
        "reason" in sealed.body["decision"],
    )


def test_each_case_has_its_own_key(advisor: Advisor) -> None:
    """Two decisions on one case share its key; another case has another key."""
    decide(advisor, "zaak-1")
    decide(advisor, "zaak-1", reason="Een tweede besluit op dezelfde zaak, na bezwaar.")
    decide(advisor, "zaak-2")
    conn = sqlite3.connect(advisor.store.path)
    per_case = conn.execute("SELECT case_id, COUNT(*) FROM case_data GROUP BY case_id ORDER BY 2").fetchall()
    keys = conn.execute("SELECT COUNT(*) FROM case_keys").fetchone()[0]
    assert ([1, 2], 2) == ([n for _, n in per_case], keys)


# --- erasure --------------------------------------------------------------------------------------


def test_erasing_a_case_destroys_its_key_and_data_and_the_chain_still_verifies(advisor: Advisor) -> None:
    """After erasing one case, its key and sealed bytes are in none of the files (they were before),
    verification passes and counts the erased record apart, and the other case is still readable."""
    gone, _ = decide(advisor, "zaak-1")
    kept, _ = decide(advisor, "zaak-2")
    db = advisor.store.path
    traces = secrets_of(db, [gone.seq])
    before = raw_bytes(db)
    assert all(t in before for t in traces)

    result = advisor.store.erase_case(actor=AUDITOR, basis="AVG art. 17, verzoek 2026-17", case_ref="zaak-1")
    report = advisor.store.verify()
    after = raw_bytes(db)
    assert (1, 1, True, True) == (result.cases, result.records, result.wal_cleared, report.ok), report.problems
    assert (1, 1) == (report.readable, report.erased)
    assert [] == [t for t in traces if t in after]
    assert 0 == (Path(f"{db}-wal").stat().st_size if Path(f"{db}-wal").exists() else 0)
    erased, readable = advisor.store.by_seq(gone.seq, actor=AUDITOR), advisor.store.by_seq(kept.seq, actor=AUDITOR)
    assert erased is not None
    assert readable is not None
    assert ("erased", False, "open", MARKER) == (
        erased.case_data,
        "input" in erased.body,
        readable.case_data,
        readable.body["decision"]["reason"],
    )


def test_an_erasure_is_recorded_in_the_chain_without_case_data(advisor: Advisor) -> None:
    """The erasure record names the case by its id, the basis, the reason and the actor's
    pseudonym: not the reference, not the data."""
    record, _ = decide(advisor, "zaak-1")
    result = advisor.store.erase_case(actor=AUDITOR, basis="AVG art. 17, verzoek 2026-17", case_ref="zaak-1")
    assert result.record is not None
    body = result.record.body
    assert (
        "erasure",
        [record.case],
        "request",
        "AVG art. 17, verzoek 2026-17",
        advisor.store.pseudonym("auditor-7"),
        "cli",
    ) == (result.record.kind, body["erased"], body["reason"], body["basis"], body["actor"], body["channel"])
    assert [] == [m for m in ("zaak-1", MARKER, "auditor-7") if m in json.dumps(body)]


def test_erasing_twice_appends_nothing_and_names_the_first_erasure(advisor: Advisor) -> None:
    """Erasure is idempotent: the second one appends no record and says which record erased it."""
    decide(advisor, "zaak-1")
    first = advisor.store.erase_case(actor=AUDITOR, basis="verzoek 17", case_ref="zaak-1")
    again = advisor.store.erase_case(actor=AUDITOR, basis="verzoek 17", case_ref="zaak-1")
    assert first.record is not None
    assert (None, first.record.seq, 0, 2) == (again.record, again.earlier, again.cases, advisor.store.count())


def test_erasing_a_case_the_store_never_held_is_not_found(advisor: Advisor) -> None:
    decide(advisor, "zaak-1")
    with pytest.raises(AuditNotFoundError):
        advisor.store.erase_case(actor=AUDITOR, basis="verzoek 17", case_ref="zaak-999")


def test_a_case_without_a_reference_is_erased_by_its_receipt(advisor: Advisor) -> None:
    """A case recorded without case_ref is its own case, named by the receipt."""
    case = {k: v for k, v in valid_case().items() if k != "case_ref"}
    advice = advisor.advise(case)
    _record, _ = advisor.decide(
        case, advice.receipt, {"measure": "boete", "amount": advice.measure.amount, "caseworker_id": "mw-1"}
    )
    result = advisor.store.erase_case(actor=AUDITOR, basis="verzoek 18", receipt=advice.receipt)
    assert (1, True) == (result.cases, advisor.store.verify().ok)


def test_an_erased_case_takes_no_new_decision(advisor: Advisor) -> None:
    """A decision on an erased case reference is refused, located at the case reference."""
    decide(advisor, "zaak-1")
    advisor.store.erase_case(actor=AUDITOR, basis="verzoek 17", case_ref="zaak-1")
    with pytest.raises(DecisionError) as refused:
        decide(advisor, "zaak-1")
    assert [("case.case_ref", "AUDIT_CASE_ERASED")] == [(p.where, p.code) for p in refused.value.problems]


def test_replay_of_an_erased_case_says_erased(advisor: Advisor) -> None:
    """Replaying an erased case is not a difference: it is refused as erased (a not-found kind)."""
    _, advice = decide(advisor, "zaak-1")
    advisor.store.erase_case(actor=AUDITOR, basis="verzoek 17", case_ref="zaak-1")
    with pytest.raises(AuditErasedError) as erased:
        replay(advisor.store, advice.receipt, actor=AUDITOR)
    assert isinstance(erased.value, AuditNotFoundError)


def test_an_erasure_needs_its_basis(advisor: Advisor) -> None:
    decide(advisor, "zaak-1")
    with pytest.raises(AuditError, match="basis"):
        advisor.store.erase_case(actor=AUDITOR, basis="  ", case_ref="zaak-1")


# --- purge by retention ---------------------------------------------------------------------------


def test_purge_erases_the_cases_last_recorded_before_the_date_and_keeps_newer_ones_whole(advisor: Advisor) -> None:
    """Records fall on 30 March, 1, 3 and 5 April. Purging before 4 April erases the case whose
    only record is from 1 April, keeps the case with a record on 5 April whole (also its record of
    30 March), and the chain verifies with 2 records erased."""
    old_and_new_1, _ = decide(advisor, "zaak-lang")  # 30 March
    old, _ = decide(advisor, "zaak-kort")  # 1 April
    other_old, _ = decide(advisor, "zaak-ander")  # 3 April
    decide(advisor, "zaak-lang", reason="Een tweede besluit op dezelfde zaak, na bezwaar.")  # 5 April
    traces = secrets_of(advisor.store.path, [old.seq, other_old.seq])

    result = advisor.store.purge(dt.date(2026, 4, 4), actor=AUDITOR, basis="Selectielijst 2020, 7.1: 1 jaar")
    report = advisor.store.verify()
    assert result.record is not None
    assert (2, 2, "2026-04-04", "retention") == (
        result.cases,
        result.records,
        result.record.body["before"],
        result.record.body["reason"],
    )
    assert (True, 2, 2) == (report.ok, report.readable, report.erased), report.problems
    assert [] == [t for t in traces if t in raw_bytes(advisor.store.path)]
    kept = advisor.store.by_seq(old_and_new_1.seq, actor=AUDITOR)
    assert kept is not None
    assert "open" == kept.case_data


def test_a_second_purge_with_the_same_date_appends_nothing(advisor: Advisor) -> None:
    decide(advisor, "zaak-1")
    first = advisor.store.purge(dt.date(2026, 5, 1), actor=AUDITOR, basis="Selectielijst 2020, 7.1")
    again = advisor.store.purge(dt.date(2026, 5, 1), actor=AUDITOR, basis="Selectielijst 2020, 7.1")
    assert (1, None, 0, 2) == (first.cases, again.record, again.cases, advisor.store.count())


def test_the_learning_report_still_counts_purged_decisions(advisor: Advisor) -> None:
    """The report's categories are in the clear: a purge does not change it."""
    from maatwerk.audit import learning_report

    decide(advisor, "zaak-1")
    before = learning_report(advisor.store.records(), period="year")
    advisor.store.purge(dt.date(2026, 5, 1), actor=AUDITOR, basis="Selectielijst 2020, 7.1")
    assert before == learning_report(advisor.store.records(), period="year")


# --- tampering with the sealed part ----------------------------------------------------------------


def test_the_triggers_refuse_destroying_a_key_without_an_erasure(advisor: Advisor) -> None:
    decide(advisor, "zaak-1")
    conn = sqlite3.connect(advisor.store.path)
    with pytest.raises(sqlite3.DatabaseError, match="erasure"):
        conn.execute("DELETE FROM case_keys")
    with pytest.raises(sqlite3.DatabaseError, match="erasure"):
        conn.execute("DELETE FROM case_data")


def test_verify_names_a_key_or_data_destroyed_without_an_erasure_and_changed_data(advisor: Advisor) -> None:
    """Removing a key or sealed data behind the store's back, or changing sealed data, is found
    without any key: the chain holds the hash of the sealed bytes."""
    one, _ = decide(advisor, "zaak-1")
    two, _ = decide(advisor, "zaak-2")
    three, _ = decide(advisor, "zaak-3")
    conn = sqlite3.connect(advisor.store.path, isolation_level=None)
    for trigger in ("case_keys_erase_only", "case_data_erase_only", "case_data_no_update"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DELETE FROM case_keys WHERE case_id = ?", (one.case,))
    conn.execute("DELETE FROM case_data WHERE seq = ?", (two.seq,))
    conn.execute("UPDATE case_data SET sealed = zeroblob(length(sealed)) WHERE seq = ?", (three.seq,))
    report = advisor.store.verify()
    assert [
        (f"record {one.seq}", "AUDIT_CASE_KEY_MISSING"),
        (f"record {two.seq}", "AUDIT_CASE_DATA_MISSING"),
        (f"record {three.seq}", "AUDIT_RECORD_ALTERED"),
    ] == [(p.where, p.code) for p in report.problems]


# --- the access log -------------------------------------------------------------------------------


def test_the_access_log_names_who_recorded_and_read_which_record_without_case_data(advisor: Advisor) -> None:
    """Recording and each read for an actor are logged with the actor's pseudonym, the channel, the
    record and the case id; a read without an actor opens nothing and is not logged."""
    record, _ = decide(advisor, "zaak-1")
    advisor.store.by_seq(record.seq, actor=AUDITOR)
    advisor.store.by_seq(record.seq)
    entries = advisor.store.access_log()
    assert [
        ("record", advisor.store.pseudonym("mw-042"), "http", record.seq, record.case),
        ("read", advisor.store.pseudonym("auditor-7"), "cli", record.seq, record.case),
    ] == [(e.action, e.actor, e.channel, e.record, e.case) for e in entries]
    text = "".join(row[0] for row in sqlite3.connect(advisor.store.path).execute("SELECT entry FROM access_log"))
    assert [] == [m for m in (MARKER, "zaak-1", "mw-042", "auditor-7", "2480.00") if m in text]


def test_the_access_log_is_filtered_by_case_record_and_subject(advisor: Advisor) -> None:
    one, _ = decide(advisor, "zaak-1")
    two, _ = decide(advisor, "zaak-2")
    advisor.store.by_seq(two.seq, actor=AUDITOR)
    assert (
        [one.seq],
        [two.seq, two.seq],
        [two.seq],
    ) == (
        [e.record for e in advisor.store.access_log(case_ref="zaak-1")],
        [e.record for e in advisor.store.access_log(record=two.seq)],
        [e.record for e in advisor.store.access_log(subject="auditor-7")],
    )


def test_a_changed_or_removed_access_log_entry_fails_verification(advisor: Advisor) -> None:
    """The access log is append-only (triggers) and its entries are chained with an HMAC."""
    record, _ = decide(advisor, "zaak-1")
    advisor.store.by_seq(record.seq, actor=AUDITOR)
    advisor.store.by_seq(record.seq, actor=AUDITOR)
    conn = sqlite3.connect(advisor.store.path, isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM access_log WHERE n = 2")
    conn.execute("DROP TRIGGER access_log_no_delete")
    conn.execute("DELETE FROM access_log WHERE n = 2")
    assert [("access log entry 3", "AUDIT_ACCESS_LOG_ALTERED")] == [
        (p.where, p.code) for p in advisor.store.verify().problems
    ]


def test_access_log_entries_cut_off_at_the_end_are_found_up_to_the_newest_record(advisor: Advisor) -> None:
    """Each record keeps the access log's last entry as it saw it, so the chain anchors the log:
    cutting off its last entries (a valid prefix of the HMAC chain) is found by the newest record
    that saw them; entries after the newest record are the limit."""
    first, _ = decide(advisor, "zaak-1")  # entry 1: recorded
    advisor.store.by_seq(first.seq, actor=AUDITOR)  # entry 2
    advisor.store.by_seq(first.seq, actor=AUDITOR)  # entry 3
    second, _ = decide(advisor, "zaak-2")  # saw entry 3; entry 4: recorded
    conn = sqlite3.connect(advisor.store.path, isolation_level=None)
    conn.execute("DROP TRIGGER access_log_no_delete")
    conn.execute("DELETE FROM access_log WHERE n = 4")
    assert advisor.store.verify().ok  # after the newest record: not detectable
    conn.execute("DELETE FROM access_log WHERE n = 3")
    assert [(f"record {second.seq}", "AUDIT_ACCESS_LOG_ALTERED")] == [
        (p.where, p.code) for p in advisor.store.verify().problems
    ]


def test_an_actor_needs_a_subject_and_a_known_channel() -> None:
    with pytest.raises(AuditError, match="subject"):
        Actor(" ", "http")
    with pytest.raises(AuditError, match="channel"):
        Actor("mw-1", "email")


# --- the command line -------------------------------------------------------------------------------


def cli(advisor: Advisor, *rest: str) -> list[str]:
    """A command on the advisor's store, with its secret in a file (mode 0600)."""
    secret = advisor.store.path.parent / "secret.key"
    secret.write_bytes(SECRET)
    secret.chmod(0o600)
    return [
        *rest,
        "--db",
        str(advisor.store.path),
        "--secret-file",
        str(secret),
        "--anchor-file",
        f"{advisor.store.path}.head",
    ]


def test_cli_purge_then_verify_passes_and_replay_says_erased(
    advisor: Advisor, capsys: pytest.CaptureFixture[str]
) -> None:
    """`maatwerk audit purge --before DATE --basis ...` erases, `verify` passes and counts the
    erased records, `replay` of the purged receipt says erased with exit 0."""
    _, advice = decide(advisor, "zaak-1")
    decide(advisor, "zaak-2")
    advisor.store.close()
    basis = "Selectielijst 2020, 7.1: 5 jaar"
    assert 0 == main(cli(advisor, "audit", "purge", "--before", "2026-04-01", "--basis", basis, "--dry-run"))
    assert "1 case(s), 1 record(s) would be erased" in capsys.readouterr().out
    assert 0 == main(cli(advisor, "audit", "purge", "--before", "2026-04-01", "--basis", basis, "--actor", "ab"))
    assert "1 case(s), 1 record(s) erased; erasure record 3" in capsys.readouterr().out
    assert 0 == main(cli(advisor, "audit", "verify"))
    assert "case data: 1 record(s) readable, 1 erased (key destroyed)" in capsys.readouterr().out
    assert 0 == main(cli(advisor, "audit", "replay", advice.receipt, "--actor", "ab"))
    assert f"{advice.receipt}: erased" in capsys.readouterr().out


def test_cli_erase_is_idempotent_and_the_access_log_lists_no_case_data(
    advisor: Advisor, capsys: pytest.CaptureFixture[str]
) -> None:
    record, _ = decide(advisor, "zaak-1")
    decide(advisor, "zaak-2")
    advisor.store.by_seq(record.seq, actor=AUDITOR)
    advisor.store.close()
    assert 0 == main(cli(advisor, "audit", "erase", "--case", "zaak-1", "--basis", "AVG art. 17", "--actor", "ab"))
    assert 0 == main(cli(advisor, "audit", "erase", "--case", "zaak-1", "--basis", "AVG art. 17", "--actor", "ab"))
    out = capsys.readouterr().out
    assert "already erased by record 3" in out
    assert 0 == main(cli(advisor, "audit", "access-log", "--case", "zaak-1", "--format", "json"))
    listed = json.loads(capsys.readouterr().out)
    assert [("record", 1), ("read", 1)] == [(e["action"], e["record"]) for e in listed]
    assert [] == [m for m in (MARKER, "zaak-1", "mw-042") if m in json.dumps(listed)]


def test_cli_purge_refuses_a_date_after_today(advisor: Advisor, capsys: pytest.CaptureFixture[str]) -> None:
    decide(advisor, "zaak-1")
    later = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert 2 == main(cli(advisor, "audit", "purge", "--before", later, "--basis", "x"))
    assert "lies after today" in capsys.readouterr().err


# --- permissions ----------------------------------------------------------------------------------


@pytest.fixture
def private(tmp_path: Path) -> tuple[Path, Path]:
    """A store made through open_store, in a private folder, with its secret file."""
    folder = tmp_path / "store"
    folder.mkdir(mode=0o700)
    secret = tmp_path / "config" / "secret.key"
    secret.parent.mkdir(mode=0o700)
    secret.write_bytes(SECRET)
    secret.chmod(0o600)
    open_store(folder / "audit.sqlite", secret).close()
    return folder / "audit.sqlite", secret


@pytest.mark.parametrize(
    ("which", "mode", "fix"),
    [
        ("db", 0o644, "chmod 600"),
        ("wal", 0o640, "chmod 600"),
        ("folder", 0o777, "chmod go-w"),
        ("secret", 0o640, "chmod 600"),
        ("anchor", 0o604, "chmod 600"),
        ("secret folder", 0o770, "chmod go-w"),
    ],
)
def test_files_others_may_read_or_change_are_refused_at_opening(
    private: tuple[Path, Path], which: str, mode: int, fix: str
) -> None:
    """The database, its WAL, its folder, the secret, the anchor and the secret's folder are checked
    before the store is opened; the refusal names the file and the chmod that fixes it."""
    db, secret = private
    target = {
        "db": db,
        "wal": Path(f"{db}-wal"),
        "folder": db.parent,
        "secret": secret,
        "anchor": secret.parent / f"{db.name}.head",
        "secret folder": secret.parent,
    }[which]
    if not target.exists():
        target.touch(mode=0o600)
    target.chmod(mode)
    with pytest.raises(AuditPermissionError) as refused:
        open_store(db, secret)
    assert (str(target), f"{fix} {target}") == (
        refused.value.message.split(" may be ")[0],
        refused.value.hint.split(" (or")[0].removeprefix("Make it this user's only: "),
    )


def test_maatwerk_serve_refuses_to_start_on_a_store_others_may_read(private: tuple[Path, Path]) -> None:
    """The check runs at the service's start: exit 6, the file named, nothing served."""
    import os
    import subprocess
    import sys

    db, secret = private
    db.chmod(0o644)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "maatwerk",
            "serve",
            "--auth",
            "local",
            "--port",
            "0",
            "--db",
            str(db),
            "--secret-file",
            str(secret),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert (EXIT_AUDIT, True, "") == (
        done.returncode,
        f"AUDIT_PERMISSIONS: {db} may be read or changed by other users (mode 644)" in done.stderr,
        done.stdout,
    )


def test_a_private_store_opens(private: tuple[Path, Path]) -> None:
    db, secret = private
    store = open_store(db, secret)
    assert (True, 0o600) == (store.verify().ok, db.stat().st_mode & 0o777)


def test_cli_verify_refuses_a_store_others_may_read_with_exit_6(
    private: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, secret = private
    db.chmod(0o644)
    assert EXIT_AUDIT == main(["audit", "verify", "--db", str(db), "--secret-file", str(secret)])
    assert f"AUDIT_PERMISSIONS: {db} may be read or changed by other users (mode 644)" in capsys.readouterr().err


# --- formats --------------------------------------------------------------------------------------


def test_a_format_2_store_is_read_but_never_written(advisor: Advisor) -> None:
    """A store of the earlier format (case data in the clear) still verifies; recording into it is
    refused with what to do instead."""
    path = advisor.store.path
    advisor.store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER meta_no_update")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'format'")
    conn.close()
    store = AuditStore(path, secret=SECRET)
    with pytest.raises(AuditError) as refused:
        store.append("decision", "r" * 64, {"x": 1})
    assert (2, True, "format 2") == (store.format, store.verify().ok, refused.value.message.split(" (")[0][-8:])
    assert "new store" in refused.value.hint


def test_a_store_of_an_unknown_format_is_refused(advisor: Advisor) -> None:
    path = advisor.store.path
    advisor.store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER meta_no_update")
    conn.execute("UPDATE meta SET value = '9' WHERE key = 'format'")
    conn.close()
    with pytest.raises(AuditError, match="has format 9; this release reads formats 2, 3"):
        AuditStore(path, secret=SECRET)


# --- over real HTTP --------------------------------------------------------------------------------


def test_over_http_a_purge_keeps_the_chain_valid_and_the_service_answers_erased(engine: Engine, tmp_path: Path) -> None:
    """Decisions recorded through the running service; a purge from a second connection (as the CLI
    in another process does) while the service runs; then the chain verifies, the purged decision
    answers 404 AUDIT_CASE_ERASED, the kept one is served with its motivation, and the reads were
    logged."""
    db = tmp_path / "audit.sqlite"
    proxy_key = tmp_path / "proxy.key"
    proxy_key.write_text("p" * 48)
    proxy_key.chmod(0o600)

    def as_user(user: str, roles: str) -> dict[str, str]:
        return {"X-Maatwerk-Proxy-Secret": "p" * 48, "X-Forwarded-User": user, "X-Forwarded-Roles": roles}

    with running(engine, db, auth="proxy", proxy_secret_file=str(proxy_key)) as server:
        for ref in ("zaak-http-1", "zaak-http-2"):
            case = {**valid_case(), "case_ref": ref}
            advice = call(server, "POST", "/api/v1/advices", case, headers=as_user("mw-9", "caseworker")).json
            chosen = {"measure": advice["measure"]["kind"], "amount": advice["measure"]["amount"], "reason": MARKER}
            answer = call(
                server,
                "POST",
                "/api/v1/decisions",
                {"case": case, "receipt": advice["receipt"], "decision": chosen},
                headers=as_user("mw-9", "caseworker"),
            )
            assert 201 == answer.status, answer.body
        traces = secrets_of(db, [1])
        other = AuditStore(db, secret=SERVICE_SECRET)
        result = other.erase_case(actor=Actor("privacy-officer", "cli"), basis="AVG art. 17", case_ref="zaak-http-1")
        report = other.verify()
        gone = call(server, "GET", "/api/v1/decisions/1", headers=as_user("auditor-3", "auditor"))
        kept = call(server, "GET", "/api/v1/decisions/2", headers=as_user("auditor-3", "auditor"))
        log = other.access_log(subject="auditor-3")
        other.close()
    assert (1, True, True, 1, 1) == (
        result.cases,
        result.wal_cleared,
        report.ok,
        report.readable,
        report.erased,
    ), report.problems
    assert [] == [t for t in traces if t in raw_bytes(db)]
    assert (404, "AUDIT_CASE_ERASED") == (gone.status, gone.json["code"])
    assert (200, MARKER) == (kept.status, kept.json["decision"]["reason"])
    # Each GET reads the record, then its receipt's input for the replay check: two reads each, and
    # the read of the erased record is logged too (it was asked for, even though nothing was opened).
    assert [1, 1, 2, 2] == [e.record for e in log]
    assert {("read", "http")} == {(e.action, e.channel) for e in log}
    assert MARKER.encode() not in raw_bytes(db)


def test_verification_and_the_clear_part_need_no_crypto_library(advisor: Advisor) -> None:
    """With `cryptography` made unimportable, a store with sealed and erased records still verifies
    and its records are listed (the chain covers the ciphertext); only opening needs the library,
    and says how to install it."""
    import subprocess
    import sys

    decide(advisor, "zaak-1")
    decide(advisor, "zaak-2")
    advisor.store.erase_case(actor=AUDITOR, basis="verzoek 17", case_ref="zaak-1")
    advisor.store.close()
    code = (
        "import sys; sys.modules['cryptography'] = None\n"
        "from maatwerk.audit import Actor, AuditError, AuditStore\n"
        f"store = AuditStore({str(advisor.store.path)!r}, secret={SECRET!r})\n"
        "report = store.verify()\n"
        "print(report.ok, report.readable, report.erased, len(list(store.records())))\n"
        "try:\n"
        "    store.by_seq(2, actor=Actor('a'))\n"
        "except AuditError as err:\n"
        "    print(err.hint)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert [
        "True 1 1 3",
        "Install the audit extra: pip install 'maatwerk[audit]' (the service extra includes it).",
    ] == (out.splitlines())
