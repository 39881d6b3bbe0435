# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The audit store: append-only, hash-chained, and every alteration, removal or reordering is detected."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from maatwerk.audit import AuditConflictError, AuditError, AuditStore, PolicySnapshot, canonical, record_hash
from maatwerk.audit._config import AuditVerifyError, default_secret_file, open_store
from maatwerk.audit._store import GENESIS

SECRET = b"s" * 32


def clock() -> Iterator[dt.datetime]:
    t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    while True:
        yield t
        t += dt.timedelta(minutes=7)


@pytest.fixture
def store(tmp_path: Path) -> AuditStore:
    """A store with three records."""
    ticks = clock()
    s = AuditStore(tmp_path / "audit.sqlite", secret=SECRET, clock=lambda: next(ticks))
    for i in range(1, 4):
        s.append("decision", f"{i:064x}", {"decision": {"measure": "boete"}, "n": i})
    return s


def raw(store: AuditStore) -> sqlite3.Connection:
    """A plain connection with the append-only triggers dropped: what someone with file access can do."""
    db = sqlite3.connect(store.path, isolation_level=None)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")
    return db


def codes(store: AuditStore, **kwargs: str) -> list[str]:
    return [p.code for p in store.verify(**kwargs).problems]


def test_records_are_numbered_and_each_hash_covers_the_previous_one(store: AuditStore) -> None:
    """Record n's hash is SHA-256 over the previous hash and its canonical body; the first follows the
    genesis record, whose own previous hash is GENESIS."""
    records = list(store.records())
    genesis_body, genesis_hash = sqlite3.connect(store.path).execute("SELECT body, hash FROM genesis").fetchone()
    assert [1, 2, 3] == [r.seq for r in records]
    assert (genesis_hash, genesis_hash) == (records[0].prev_hash, record_hash(GENESIS, genesis_body))
    assert [records[0].hash, records[1].hash] == [records[1].prev_hash, records[2].prev_hash]
    assert records[2].hash == record_hash(records[2].prev_hash, canonical(records[2].body))


def test_record_time_is_utc_with_a_time_zone(store: AuditStore) -> None:
    """recorded_at is an ISO date-time in UTC, marked with Z."""
    assert "2026-03-02T09:00:00.000000Z" == next(store.records()).recorded_at


def test_an_untouched_store_verifies(store: AuditStore) -> None:
    """verify finds no problem in a store only the store wrote to."""
    report = store.verify()
    assert (True, 3, list(store.records())[-1].hash) == (report.ok, report.count, report.head)


def test_an_empty_store_verifies(tmp_path: Path) -> None:
    """A new store has no records, no checkpoint, and nothing wrong."""
    assert AuditStore(tmp_path / "a.sqlite", secret=SECRET).verify().ok


def test_update_is_refused(store: AuditStore) -> None:
    """SQLite triggers refuse to change a record."""
    db = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE records SET body = '{}' WHERE seq = 2")


def test_delete_is_refused(store: AuditStore) -> None:
    """SQLite triggers refuse to remove a record."""
    db = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM records WHERE seq = 3")


def test_an_altered_record_is_detected(store: AuditStore) -> None:
    """Changing a stored decision (even keeping valid JSON) breaks that record's hash."""
    db = raw(store)
    body = db.execute("SELECT body FROM records WHERE seq = 2").fetchone()[0]
    db.execute("UPDATE records SET body = ? WHERE seq = 2", (body.replace("boete", "waarschuwing"),))
    assert [("record 2", "AUDIT_RECORD_ALTERED")] == [(p.where, p.code) for p in store.verify().problems]


def test_a_removed_record_in_the_middle_is_detected(store: AuditStore) -> None:
    """Removing record 2 leaves a gap in the numbering and a broken link from record 3."""
    raw(store).execute("DELETE FROM records WHERE seq = 2")
    assert ["AUDIT_RECORD_MISSING", "AUDIT_CHAIN_BROKEN"] == codes(store)


def test_removing_the_last_record_is_detected_by_the_checkpoint(store: AuditStore) -> None:
    """The chain itself cannot show a cut-off end; the checkpoint's count can."""
    raw(store).execute("DELETE FROM records WHERE seq = 3")
    assert ["AUDIT_RECORD_MISSING"] == codes(store)


def test_reordered_records_are_detected(store: AuditStore) -> None:
    """Swapping the contents of records 2 and 3 breaks the chain and the numbering inside the bodies."""
    db = raw(store)
    rows = {
        r[0]: r[1:] for r in db.execute("SELECT seq, kind, receipt, recorded_at, body, prev_hash, hash FROM records")
    }
    db.execute("DELETE FROM records WHERE seq IN (2, 3)")
    for seq, source in ((2, 3), (3, 2)):
        db.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", (seq, *rows[source]))
    found = set(codes(store))
    assert {"AUDIT_CHAIN_BROKEN", "AUDIT_RECORD_MOVED"} <= found


def test_a_rewritten_chain_is_detected_by_the_keyed_checkpoint(store: AuditStore) -> None:
    """Someone who alters record 2 and recomputes every later hash still fails: the checkpoint is keyed."""
    db = raw(store)
    prev = db.execute("SELECT hash FROM records WHERE seq = 1").fetchone()[0]
    for seq in (2, 3):
        body = json.loads(db.execute("SELECT body FROM records WHERE seq = ?", (seq,)).fetchone()[0])
        body["decision"]["measure"] = "geen_boete"
        text = canonical(body)
        digest = record_hash(prev, text)
        db.execute("UPDATE records SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?", (text, prev, digest, seq))
        prev = digest
    assert ["AUDIT_CHAIN_BROKEN"] == codes(store)


def test_a_forged_checkpoint_is_detected(store: AuditStore) -> None:
    """A checkpoint whose MAC was not made with the store's secret is refused."""
    count, head = store.head()
    store.checkpoint_path.write_text(json.dumps({"count": count, "hash": head, "mac": "0" * 64}))
    assert ["AUDIT_CHECKPOINT_INVALID"] == codes(store)


def test_a_missing_checkpoint_is_a_problem(store: AuditStore) -> None:
    """Without its checkpoint a non-empty store cannot show that nothing was cut off."""
    store.checkpoint_path.unlink()
    assert ["AUDIT_CHECKPOINT_MISSING"] == codes(store)


def test_another_secret_cannot_verify_the_checkpoint(store: AuditStore) -> None:
    """Verifying with the wrong secret fails instead of passing silently: neither the genesis record
    nor the head anchor was made with it."""
    other = AuditStore(store.path, secret=b"t" * 32)
    assert ["AUDIT_GENESIS_FOREIGN", "AUDIT_CHECKPOINT_INVALID"] == codes(other)


def test_a_published_head_catches_a_rollback_to_an_old_checkpoint(store: AuditStore, tmp_path: Path) -> None:
    """The documented limit: restoring an older checkpoint hides a cut-off end, unless the head was published."""
    kept = tmp_path / "old.head"
    shutil.copy(store.checkpoint_path, kept)
    store.append("decision", "f" * 64, {"n": 4})
    published = store.head()[1]
    raw(store).execute("DELETE FROM records WHERE seq = 4")
    shutil.copy(kept, store.checkpoint_path)
    assert ([], ["AUDIT_HEAD_NOT_FOUND"]) == (codes(store), codes(store, expect_head=published))


def test_records_after_the_checkpoint_are_a_warning(store: AuditStore, tmp_path: Path) -> None:
    """A write interrupted between commit and checkpoint shows as a warning, not as tampering."""
    kept = tmp_path / "old.head"
    shutil.copy(store.checkpoint_path, kept)
    store.append("decision", "e" * 64, {"n": 4})
    shutil.copy(kept, store.checkpoint_path)
    report = store.verify()
    assert (True, ["AUDIT_CHECKPOINT_BEHIND"]) == (report.ok, [w.code for w in report.warnings])


# --- the genesis record and the head anchor: an emptied, cut-off or swapped store fails ------------


def copy_of(store: AuditStore, target: Path) -> Path:
    """A consistent copy of the store's database (what a backup, or an attacker's copy, holds)."""
    src, dst = sqlite3.connect(store.path), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def put_in_place(copy: Path, store: AuditStore) -> None:
    """Replace the store's database file by ``copy`` (the anchor, outside the database, stays)."""
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    shutil.copy(copy, store.path)


def test_a_new_store_is_anchored_at_its_genesis_record(tmp_path: Path) -> None:
    """A new store's anchor names the store's id, no records, and the genesis record's hash."""
    store = AuditStore(tmp_path / "a.sqlite", secret=SECRET)
    anchor = store.read_checkpoint()
    assert (store.store_id, 0, store.head()[1]) == (anchor and (anchor.store, anchor.count, anchor.hash))


def test_an_emptied_store_fails_naming_how_many_records_are_missing(store: AuditStore) -> None:
    """Every record removed: the anchor still covers three."""
    raw(store).execute("DELETE FROM records")
    problems = store.verify().problems
    assert [("AUDIT_RECORD_MISSING", True)] == [(p.code, "3 record(s) missing" in p.message) for p in problems]


def test_a_store_without_its_genesis_record_fails(store: AuditStore) -> None:
    """Removing the genesis record is named, and the first record no longer chains from anything."""
    raw(store).execute("DELETE FROM genesis")
    assert ["AUDIT_GENESIS_MISSING", "AUDIT_CHAIN_BROKEN", "AUDIT_STORE_SWAPPED"] == codes(store)


def test_an_altered_genesis_record_is_detected(store: AuditStore) -> None:
    """Changing the genesis record (here its store id) breaks its hash."""
    db = raw(store)
    body = json.loads(db.execute("SELECT body FROM genesis").fetchone()[0])
    db.execute("UPDATE genesis SET body = ?", (canonical({**body, "store": "0" * 32}),))
    assert "AUDIT_GENESIS_ALTERED" == codes(store)[0]


def test_a_database_file_replaced_by_a_new_one_fails(store: AuditStore) -> None:
    """A deleted database is created afresh on open, with a new genesis; the anchor names the old store."""
    store.close()
    for path in (store.path, Path(f"{store.path}-wal"), Path(f"{store.path}-shm")):
        path.unlink(missing_ok=True)
    assert ["AUDIT_STORE_SWAPPED"] == codes(AuditStore(store.path, secret=SECRET))


def test_a_store_swapped_for_one_made_with_another_secret_fails(store: AuditStore, tmp_path: Path) -> None:
    """Another secret's store has a genesis record this secret did not sign, and another id."""
    other = AuditStore(tmp_path / "other.sqlite", secret=b"t" * 32)
    other.append("decision", "a" * 64, {"n": 1})
    put_in_place(copy_of(other, tmp_path / "copy.sqlite"), store)
    assert ["AUDIT_GENESIS_FOREIGN", "AUDIT_STORE_SWAPPED"] == codes(AuditStore(store.path, secret=SECRET))


def test_a_store_swapped_for_one_made_with_the_same_secret_fails(store: AuditStore, tmp_path: Path) -> None:
    """A second store under the same secret chains and signs correctly, but is not the anchored store."""
    other = AuditStore(tmp_path / "other.sqlite", secret=SECRET)
    for i in range(4):
        other.append("decision", f"{i:064x}", {"n": i})
    put_in_place(copy_of(other, tmp_path / "copy.sqlite"), store)
    assert ["AUDIT_STORE_SWAPPED"] == codes(AuditStore(store.path, secret=SECRET))


def test_a_rolled_back_copy_fails_naming_how_many_records_are_missing(store: AuditStore, tmp_path: Path) -> None:
    """A backup from three records ago, put back after two more appends: two records are missing."""
    backup = copy_of(store, tmp_path / "backup.sqlite")
    store.append("decision", "d" * 64, {"n": 4})
    store.append("decision", "e" * 64, {"n": 5})
    put_in_place(backup, store)
    problems = AuditStore(store.path, secret=SECRET).verify().problems
    assert [("AUDIT_RECORD_MISSING", True)] == [(p.code, "2 record(s) missing" in p.message) for p in problems]


def test_an_append_to_a_swapped_store_keeps_the_anchor_of_the_first(store: AuditStore, tmp_path: Path) -> None:
    """The anchor is evidence: a write to another store (same secret) does not overwrite it."""
    anchor = store.checkpoint_path.read_text()
    put_in_place(copy_of(AuditStore(tmp_path / "other.sqlite", secret=SECRET), tmp_path / "c.sqlite"), store)
    AuditStore(store.path, secret=SECRET).append("decision", "f" * 64, {"n": 1})
    assert anchor == store.checkpoint_path.read_text()


# --- idempotency keys: a retry returns the first record -----------------------------------------------


def test_a_repeated_idempotency_key_returns_the_first_record_and_appends_nothing(store: AuditStore) -> None:
    """The same kind, receipt, content and key again: the first record, unchanged; still four records."""
    first = store.append("decision", "d" * 64, {"n": 4}, idempotency_key="req-1")
    again = store.append("decision", "d" * 64, {"n": 4}, idempotency_key="req-1")
    assert (first, 4, "req-1") == (again, store.count(), first.body["idempotency_key"])


def test_a_repeated_idempotency_key_with_other_content_is_refused(store: AuditStore) -> None:
    """The same key for another decision is a conflict, and nothing is appended."""
    store.append("decision", "d" * 64, {"n": 4}, idempotency_key="req-1")
    with pytest.raises(AuditConflictError) as conflict:
        store.append("decision", "d" * 64, {"n": 5}, idempotency_key="req-1")
    assert ("AUDIT_IDEMPOTENCY_CONFLICT", 4) == (conflict.value.code, store.count())


def test_retries_at_once_from_many_threads_record_one_record(store: AuditStore) -> None:
    """Eight threads send the same keyed append at once (a group commit): one record, returned to all."""
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: store.append("decision", "d" * 64, {"n": 4}, idempotency_key="k"), range(8)))
    assert ({4}, 4, True) == ({r.seq for r in got}, store.count(), store.verify().ok)


def test_an_idempotency_key_is_set_by_the_store_only(store: AuditStore) -> None:
    """Content that sets idempotency_key itself is refused: the key is an argument."""
    with pytest.raises(ValueError, match="idempotency_key"):
        store.append("decision", "d" * 64, {"idempotency_key": "x"})


def test_stored_policy_files_are_checked(store: AuditStore) -> None:
    """A policy file altered in the store is reported for the policy set a record names."""
    snapshot = PolicySnapshot({"benefits/x/2024-01-01.yaml": "pack: x\n"}, "lansingerland")
    set_id = store.store_policy(snapshot)
    store.append("decision", "d" * 64, {"policy_set": set_id})
    raw(store).execute("UPDATE policy_files SET text = 'pack: y\n'")
    assert ["AUDIT_POLICY_ALTERED"] == codes(store)


def test_a_policy_snapshot_round_trips(store: AuditStore) -> None:
    """A stored policy set gives back the same files and municipality."""
    snapshot = PolicySnapshot({"benefits/x/2024-01-01.yaml": "pack: x\n"}, None)
    assert snapshot == store.policy_snapshot(store.store_policy(snapshot))


def test_pseudonyms_are_stable_keyed_and_not_the_id(tmp_path: Path) -> None:
    """The same id gives the same pseudonym under one secret, another under another; never the id itself."""
    a = AuditStore(tmp_path / "a.sqlite", secret=SECRET)
    b = AuditStore(tmp_path / "b.sqlite", secret=b"t" * 32)
    assert (True, False, False) == (
        a.pseudonym("mw-042") == a.pseudonym(" mw-042 "),
        a.pseudonym("mw-042") == b.pseudonym("mw-042"),
        "mw-042" in a.pseudonym("mw-042"),
    )


def test_the_database_and_checkpoint_are_readable_by_their_owner_only(store: AuditStore) -> None:
    """The store holds personal data: mode 0600."""
    modes = [stat.S_IMODE(p.stat().st_mode) for p in (store.path, store.checkpoint_path)]
    assert [0o600, 0o600] == modes


def test_two_writers_on_one_file_keep_one_chain(store: AuditStore) -> None:
    """Two store objects on the same file (as two processes would be) append into one valid chain."""
    other = AuditStore(store.path, secret=SECRET)
    for i in range(4):
        (store if i % 2 else other).append("decision", f"{i:064x}", {"n": i})
    report = store.verify()
    assert (True, 7) == (report.ok, report.count)


def test_content_may_not_set_the_chain_fields(store: AuditStore) -> None:
    """A caller cannot choose a record's number, kind, receipt or time through its content."""
    with pytest.raises(ValueError, match="seq"):
        store.append("decision", "c" * 64, {"seq": 1})


def test_a_short_secret_is_refused(tmp_path: Path) -> None:
    """The secret keys pseudonyms and checkpoints: fewer than 16 bytes is refused."""
    from maatwerk.audit import AuditError

    with pytest.raises(AuditError, match="shorter"):
        AuditStore(tmp_path / "a.sqlite", secret=b"short")


def _appends_waiting_for_the_writer(
    store: AuditStore, contents: list[dict[str, object]]
) -> tuple[list[object], list[str]]:
    """Start one append per content while the store's write lock is held, wait until all of them
    wait for it, then let them go. Returns, per content, its Record or its exception, and the SQL
    statements the store ran after the lock was released."""
    import threading
    import time

    statements: list[str] = []
    results: list[object] = [None] * len(contents)

    def append(i: int) -> None:
        try:
            results[i] = store.append("decision", f"{i:064x}", contents[i])
        except Exception as err:
            results[i] = err

    threads = [threading.Thread(target=append, args=(i,)) for i in range(len(contents))]
    with store._lock:
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60  # a guard against a hang, not a speed assertion
        while len(store._waiting) < len(contents) and time.monotonic() < deadline:
            time.sleep(0.001)
        assert len(contents) == len(store._waiting)
        store._db.set_trace_callback(statements.append)
    for t in threads:
        t.join(timeout=60)
    store._db.set_trace_callback(None)
    return results, statements


def test_appends_that_wait_for_the_writer_are_committed_together_each_with_its_own_record(
    store: AuditStore,
) -> None:
    """Group commit: five appends waiting while another writes go into one transaction (one COMMIT,
    one checkpoint) in the order they arrived; each caller gets its own record, and the chain
    verifies."""
    from maatwerk.audit._store import Record

    results, statements = _appends_waiting_for_the_writer(store, [{"n": 10 + i} for i in range(5)])
    assert all(isinstance(r, Record) for r in results), results
    records = [r for r in results if isinstance(r, Record)]
    assert [(r.seq, r.body["n"]) for r in records] == [(4 + i, 10 + i) for i in range(5)]
    assert 1 == sum(s.strip().upper() == "COMMIT" for s in statements)
    report = store.verify()
    assert (True, 8, ()) == (report.ok, report.count, report.problems)


def test_in_a_group_a_record_that_is_not_json_fails_alone(store: AuditStore) -> None:
    """One append in a group whose content cannot be written as JSON gets an AuditWriteError; the
    others are recorded, numbered without a gap."""
    from maatwerk.audit import AuditWriteError
    from maatwerk.audit._store import Record

    contents: list[dict[str, object]] = [{"n": 1}, {"n": object()}, {"n": 3}]
    results, _ = _appends_waiting_for_the_writer(store, contents)
    assert isinstance(results[1], AuditWriteError)
    assert [4, 5] == [r.seq for r in results if isinstance(r, Record)]
    assert (True, 5) == (store.verify().ok, store.count())


def test_a_group_whose_transaction_fails_records_none_and_tells_every_caller(store: AuditStore) -> None:
    """A full database during a group commit: every waiting append gets its own AuditStoreFullError
    and none of them is stored; the earlier records are intact."""
    from maatwerk.audit import AuditStoreFullError

    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    results, _ = _appends_waiting_for_the_writer(store, [{"n": i, "pad": "x" * 20_000} for i in range(4)])
    assert all(isinstance(r, AuditStoreFullError) for r in results), results
    assert 4 == len({id(r) for r in results})  # each caller raised its own exception
    assert (True, 3) == (store.verify().ok, store.count())


def test_an_append_that_waits_too_long_for_another_process_s_write_lock_fails_and_records_nothing(
    store: AuditStore,
) -> None:
    """Another process holds the database's write lock past ``lock_timeout``: the append fails with
    AUDIT_WRITE_FAILED naming SQLite's busy error, nothing of it is stored, and the same append
    succeeds once the lock is released."""
    from maatwerk.audit import AuditWriteError

    waiting = AuditStore(store.path, secret=SECRET, lock_timeout=0.2)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # what a writer in another process holds during its transaction
    try:
        with pytest.raises(AuditWriteError) as caught:
            waiting.append("decision", "d" * 64, {"n": 4})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "AUDIT_WRITE_FAILED" == caught.value.code
    assert "SQLITE_BUSY" in caught.value.message
    assert (True, 3) == (store.verify().ok, store.count())
    assert 4 == waiting.append("decision", "d" * 64, {"n": 4}).seq
    assert (True, 4) == (store.verify().ok, store.count())


@pytest.mark.parametrize("bad", [0, -1, 3601, float("nan"), float("inf"), True, "30"])
def test_a_lock_timeout_that_is_not_a_positive_number_of_seconds_is_refused(tmp_path: Path, bad: object) -> None:
    """lock_timeout must be seconds in (0, 3600]: no silent default for a wrong value."""
    from maatwerk.audit import AuditError

    with pytest.raises(AuditError, match="lock_timeout"):
        AuditStore(tmp_path / "a.sqlite", secret=SECRET, lock_timeout=bad)  # type: ignore[arg-type]


# --- opening a store for use: the anchor beside the secret, verified before use -----------------------


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A data folder for the database and a config folder for the secret; no MAATWERK_AUDIT_* set."""
    for name in ("MAATWERK_AUDIT_SECRET", "MAATWERK_AUDIT_SECRET_FILE", "MAATWERK_AUDIT_ANCHOR_FILE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "data", tmp_path / "config"


def test_open_store_keeps_the_anchor_beside_the_secret_not_beside_the_database(folders: tuple[Path, Path]) -> None:
    """The anchor of data/a.sqlite with the secret config/a.key is config/a.sqlite.head."""
    data, config = folders
    open_store(data / "a.sqlite", config / "a.key", create_secret=True).close()
    assert ([], ["a.key", "a.sqlite.head"]) == (
        sorted(p.name for p in data.iterdir() if p.name.endswith((".head", ".key"))),
        sorted(p.name for p in config.iterdir()),
    )


def test_open_store_creates_a_new_store_that_verifies(folders: tuple[Path, Path]) -> None:
    """A new store opened for use has its genesis record and its anchor, and nothing wrong."""
    data, config = folders
    store = open_store(data / "a.sqlite", config / "a.key", create_secret=True)
    assert (True, 0, ()) == (store.verify().ok, store.count(), store.verify().warnings)


def test_open_store_refuses_a_cut_off_store_naming_the_problem(folders: tuple[Path, Path]) -> None:
    """Opening for use verifies first: a store whose last record was removed is refused, with the count."""
    data, config = folders
    store = open_store(data / "a.sqlite", config / "a.key", create_secret=True)
    store.append("decision", "a" * 64, {"n": 1})
    store.append("decision", "b" * 64, {"n": 2})
    raw(store).execute("DELETE FROM records WHERE seq = 2")
    store.close()
    with pytest.raises(AuditVerifyError) as refused:
        open_store(data / "a.sqlite", config / "a.key")
    assert ("AUDIT_STORE_DAMAGED", True, ["AUDIT_RECORD_MISSING"]) == (
        refused.value.code,
        "1 record(s) missing" in refused.value.message,
        [p.code for p in refused.value.problems],
    )


def test_open_store_accepts_a_store_whose_anchor_is_one_write_behind(folders: tuple[Path, Path]) -> None:
    """A write cut off between its commit and its anchor is a warning, not a reason to refuse the store."""
    data, config = folders
    store = open_store(data / "a.sqlite", config / "a.key", create_secret=True)
    store.append("decision", "a" * 64, {"n": 1})
    kept = store.checkpoint_path.read_text()
    store.append("decision", "b" * 64, {"n": 2})
    store.checkpoint_path.write_text(kept)
    store.close()
    assert 2 == open_store(data / "a.sqlite", config / "a.key").count()


def test_audit_verify_fails_on_an_emptied_store(folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk audit verify` on a store whose records were all removed: exit 6, naming the count."""
    from maatwerk.cli import main

    data, config = folders
    store = open_store(data / "a.sqlite", config / "a.key", create_secret=True)
    store.append("decision", "a" * 64, {"n": 1})
    raw(store).execute("DELETE FROM records")
    store.close()
    code = main(["audit", "verify", "--db", str(data / "a.sqlite"), "--secret-file", str(config / "a.key")])
    assert (6, True) == (code, "AUDIT_RECORD_MISSING: 1 record(s) missing" in capsys.readouterr().out)


def test_serve_refuses_a_damaged_store_with_the_audit_exit_code(folders: tuple[Path, Path]) -> None:
    """`maatwerk serve` on a store swapped for another: exit 6, one line naming the problem, no trace."""
    data, config = folders
    open_store(data / "a.sqlite", config / "a.key", create_secret=True).close()
    for path in data.iterdir():
        path.unlink()
    AuditStore(data / "a.sqlite", secret=(config / "a.key").read_bytes().strip()).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
    command = [sys.executable, "-m", "maatwerk", "serve", "--auth", "local", "--port", "0", "--evaluator", "reference"]
    command += ["--db", str(data / "a.sqlite"), "--secret-file", str(config / "a.key")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert (6, "", False, True) == (
        done.returncode,
        done.stdout,
        "Traceback" in done.stderr,
        "AUDIT_STORE_DAMAGED" in done.stderr and "AUDIT_STORE_SWAPPED" in done.stderr,
    )


# --- the secret away from the database: the user's config folder, mode 0600 --------------------------


def test_the_default_secret_and_anchor_are_in_the_users_config_folder(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --secret-file the secret (mode 0600) and the anchor go to $XDG_CONFIG_HOME/maatwerk,
    and only the database to its own folder."""
    data, config = folders
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    open_store(data / "a.sqlite", create_secret=True).close()
    key = default_secret_file(data / "a.sqlite")
    assert (True, 0o600, True, []) == (
        key.is_relative_to(config / "maatwerk"),
        stat.S_IMODE(key.stat().st_mode),
        (key.parent / "a.sqlite.head").exists(),
        sorted(p.name for p in data.iterdir() if p.name.endswith((".key", ".head"))),
    )


def test_two_databases_of_one_name_get_a_secret_each(tmp_path: Path) -> None:
    """The default secret is named by the database's whole path, so stores never share an anchor."""
    assert default_secret_file(tmp_path / "x" / "a.sqlite") != default_secret_file(tmp_path / "y" / "a.sqlite")


def test_a_secret_file_other_users_may_read_is_refused(folders: tuple[Path, Path]) -> None:
    """A secret with mode 0644 is refused, and the hint says how to fix it."""
    data, config = folders
    config.mkdir()
    (config / "a.key").write_text("k" * 64)
    (config / "a.key").chmod(0o644)
    with pytest.raises(AuditError) as refused:
        open_store(data / "a.sqlite", config / "a.key")
    assert (True, True) == (
        "(mode 644)" in refused.value.message,
        f"chmod 600 {config / 'a.key'}" in refused.value.hint,
    )


def test_a_secret_left_beside_the_database_is_named_not_replaced_by_a_new_one(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store set up when the secret lay beside it (<db>.key): refused, saying where it goes; no new secret."""
    data, config = folders
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    data.mkdir()
    (data / "a.sqlite.key").write_text("k" * 64)
    with pytest.raises(AuditError, match="lies beside the database") as refused:
        open_store(data / "a.sqlite", create_secret=True)
    key = default_secret_file(data / "a.sqlite")
    assert (False, True) == (key.exists(), f"Move {data / 'a.sqlite.key'} to {key}" in refused.value.hint)


def test_a_secret_from_the_environment_still_anchors_a_new_store_in_the_config_folder(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With MAATWERK_AUDIT_SECRET and no secret file, the anchor's folder is created; the new store verifies."""
    data, config = folders
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("MAATWERK_AUDIT_SECRET", "e" * 40)
    store = open_store(data / "a.sqlite")
    assert (True, True) == (store.verify().ok, store.checkpoint_path.is_relative_to(config / "maatwerk"))
