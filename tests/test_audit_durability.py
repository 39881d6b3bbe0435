# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The audit store loses no recorded decision: not when its writer is killed mid-write, not with
concurrent writers, and not when the disk is full; and the chain still verifies afterwards.

"Acknowledged" is what the writer's caller was told: ``AuditStore.append`` returned (the child
writer, tests/audit_writer.py, then reports the record with an fsync before its next append), or
the service answered 201. Killing uses SIGKILL, which gives the process no chance to clean up.

A full disk is real where the tests may mount a file system (as root: a 1 MB tmpfs, ENOSPC; the
test is skipped elsewhere), and simulated two ways that need no root: SQLite's own ``max_page_count`` (the database
cannot grow: SQLite reports SQLITE_FULL, exactly as on ENOSPC), and RLIMIT_FSIZE in a child process
(every write past the limit fails with EFBIG, the way a write to a full disk fails with ENOSPC;
SIGXFSZ is ignored). The first tests the store's and the service's handling of SQLITE_FULL, the
second the operating system refusing writes to the WAL and the checkpoint file.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import os
import random
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import valid_case
from http_support import SECRET, Answer, ServeProcess, call, running

from maatwerk import Engine
from maatwerk.audit import AuditError, AuditStore
from maatwerk.audit._store import AuditStoreFullError

WRITER = Path(__file__).resolve().parent / "audit_writer.py"
WRITER_SECRET = b"w" * 32
V1 = "/api/v1"


# --- helpers ---------------------------------------------------------------------------------------


def start_writer(db: Path, report: Path, *args: str) -> subprocess.Popen[str]:
    """The child writer, once its store is open (it printed ``ready``)."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(report), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert "ready" == proc.stdout.readline().strip(), proc.stderr.read() if proc.stderr else ""
    return proc


def acknowledged(report: Path) -> dict[int, str]:
    """seq -> hash of every record a writer reported as appended."""
    out: dict[int, str] = {}
    if report.exists():
        for line in report.read_text().splitlines():
            seq, digest, *_ = line.split()
            if seq != "error":
                out[int(seq)] = digest
    return out


def errors(report: Path) -> list[str]:
    return [line.split()[1] for line in report.read_text().splitlines() if line.startswith("error ")]


def assert_all_present_and_verified(store: AuditStore, acked: dict[int, str]) -> None:
    """Every acknowledged record is in the store with its hash, and the whole chain verifies (a
    checkpoint one write behind, after a kill, is the only warning allowed)."""
    stored = {r.seq: r.hash for r in store.records()}
    missing = {seq: digest for seq, digest in acked.items() if stored.get(seq) != digest}
    assert {} == missing
    report = store.verify()
    assert (True, []) == (report.ok, [p.code for p in report.problems])
    assert set() >= {w.code for w in report.warnings} - {"AUDIT_CHECKPOINT_BEHIND"}


# --- kill -9 during writes ---------------------------------------------------------------------------


def test_no_acknowledged_record_is_lost_when_the_writer_is_killed_at_random_moments(tmp_path: Path) -> None:
    """Eight times, a writer appending records (of 0.5 to 64 kB, so that a kill often lands inside
    a commit or a checkpoint write) is killed with SIGKILL after a random delay; after each kill the
    store is reopened, and the next writer continues the same chain. Every record a writer was told
    was appended is there with its hash, at most the one record in flight at the kill is there
    without being acknowledged, and the chain verifies."""
    db, report = tmp_path / "audit.sqlite", tmp_path / "acked.txt"
    rng = random.Random(20260302)
    for round_ in range(8):
        size = rng.choice([500, 8_000, 64_000])
        writer = start_writer(db, report, "--label", f"r{round_}", "--body-bytes", str(size))
        time.sleep(rng.uniform(0.05, 0.6))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        assert -signal.SIGKILL == writer.returncode
        acked = acknowledged(report)
        store = AuditStore(db, secret=WRITER_SECRET)
        try:
            assert_all_present_and_verified(store, acked)
            assert store.count() - len(acked) <= round_ + 1  # at most one unacknowledged per kill
        finally:
            store.close()
    assert len(acknowledged(report)) > 8  # the writers did write between the kills


_confirmed_lock = threading.Lock()


def record_decisions(
    service: ServeProcess, body: dict[str, Any], stop: threading.Event, confirmed: dict[int, str]
) -> None:
    """Post the decision until told to stop or the service is gone; note each 201 (number -> hash)."""
    while not stop.is_set():
        try:
            answer = service.call("POST", f"{V1}/decisions", body, timeout=10)
        except (OSError, http.client.HTTPException):
            return  # the service is gone (maybe mid-answer): this request was not confirmed
        if answer.status == 201:
            with _confirmed_lock:
                confirmed[answer.json["number"]] = answer.json["hash"]


def test_no_decision_the_service_confirmed_is_lost_when_it_is_killed(tmp_path: Path) -> None:
    """Three times, `maatwerk serve` is killed with SIGKILL while four clients record decisions as
    fast as it takes them, and started again on the same store. Every decision that got a 201 is in
    the store with the number and hash the service gave, and `maatwerk audit verify` passes."""
    secret_file = tmp_path / "audit.key"
    secret_file.write_text("k" * 64)
    secret_file.chmod(0o600)
    case = valid_case()
    confirmed: dict[int, str] = {}
    rng = random.Random(7)
    for _ in range(3):
        service = ServeProcess(tmp_path)
        advice = service.call("POST", f"{V1}/advices", case).json
        body = {
            "case": case,
            "receipt": advice["receipt"],
            "decision": {"measure": "boete", "amount": advice["measure"]["amount"]},
        }
        stop = threading.Event()
        clients = [threading.Thread(target=record_decisions, args=(service, body, stop, confirmed)) for _ in range(4)]
        for t in clients:
            t.start()
        time.sleep(rng.uniform(0.5, 1.5))
        service.kill()
        stop.set()
        for t in clients:
            t.join(timeout=30)
    verify = subprocess.run(
        [
            *(sys.executable, "-m", "maatwerk", "audit", "verify", "--db", str(tmp_path / "audit.sqlite")),
            *("--secret-file", str(secret_file), "--format", "json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (0, True) == (verify.returncode, json.loads(verify.stdout)["ok"]), verify.stdout + verify.stderr
    store = AuditStore(tmp_path / "audit.sqlite", secret=b"k" * 64)
    assert len(confirmed) > 3
    assert_all_present_and_verified(store, confirmed)


# --- concurrent writers ------------------------------------------------------------------------------


def test_concurrent_writers_in_processes_and_threads_lose_nothing_and_keep_one_chain(tmp_path: Path) -> None:
    """Three processes with four threads each (one process with a store per thread, two sharing
    one) append 25 records per thread to one store at the same time. All 300 are there, each with
    the hash its writer was told, numbered 1..300 without a gap, the chain verifies, and the
    checkpoint ends at the head (no checkpoint is overwritten by an older one)."""
    db = tmp_path / "audit.sqlite"
    AuditStore(db, secret=WRITER_SECRET).close()  # created once, before the writers race
    reports = [tmp_path / f"acked-{i}.txt" for i in range(3)]
    writers = [
        start_writer(
            db,
            report,
            *("--label", f"p{i}", "--threads", "4", "--records", "25", "--body-bytes", "300"),
            *(["--separate-stores"] if i == 0 else []),
        )
        for i, report in enumerate(reports)
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert (0, "done") == (writer.returncode, out.strip()), err
    acked: dict[int, str] = {}
    for report in reports:
        assert [] == errors(report)
        acked.update(acknowledged(report))
    store = AuditStore(db, secret=WRITER_SECRET)
    assert list(range(1, 301)) == sorted(acked)
    assert_all_present_and_verified(store, acked)
    assert (True, ()) == (store.verify().ok, store.verify().warnings)
    checkpoint = store.read_checkpoint()
    assert checkpoint is not None
    assert (300, acked[300]) == (checkpoint.count, checkpoint.hash)


# --- a full disk ---------------------------------------------------------------------------------------


def big(n: int) -> dict[str, Any]:
    return {"n": n, "filler": "x" * 20_000}


def fill_up(store: AuditStore) -> None:
    """Let the database grow no further than it is now (SQLite then answers SQLITE_FULL)."""
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_database_is_a_clear_error_and_loses_no_record(tmp_path: Path) -> None:
    """When the database cannot grow, append raises AuditStoreFullError (code AUDIT_STORE_FULL, a
    hint on what to do), appends nothing, and keeps every earlier record; once there is room
    again, the next append continues the chain and it verifies."""
    store = AuditStore(tmp_path / "audit.sqlite", secret=SECRET)
    earlier = {r.seq: r.hash for r in (store.append("decision", f"{i:064x}", big(i)) for i in range(1, 4))}
    fill_up(store)
    for attempt in range(3):
        with pytest.raises(AuditStoreFullError) as full:
            store.append("decision", "f" * 64, big(100 + attempt))
        assert ("AUDIT_STORE_FULL", 3) == (full.value.code, store.count())
        assert "disk" in full.value.hint
    assert_all_present_and_verified(store, earlier)
    store._db.execute("PRAGMA max_page_count = 1073741823")
    after = store.append("decision", "e" * 64, big(4))
    assert (4, earlier[3]) == (after.seq, after.prev_hash)
    assert_all_present_and_verified(store, {**earlier, 4: after.hash})


def test_writes_the_operating_system_refuses_are_a_clear_error_and_lose_no_record(tmp_path: Path) -> None:
    """A writer whose files may not grow past a limit (RLIMIT_FSIZE: EFBIG, as ENOSPC on a full
    disk) gets an AuditError with a stable code, AUDIT_STORE_FULL or AUDIT_WRITE_FAILED, instead of
    a crash or a raw sqlite3 error; every record it appended before is kept and the chain verifies."""
    db, report = tmp_path / "audit.sqlite", tmp_path / "acked.txt"
    seed = AuditStore(db, secret=WRITER_SECRET)
    seed.append("decision", "0" * 64, {"n": 0})
    seed.close()
    limit = max(db.stat().st_size, 64_000) + 400_000
    writer = start_writer(db, report, "--body-bytes", "30000", "--fsize-limit", str(limit))
    out, err = writer.communicate(timeout=300)
    assert (0, "done") == (writer.returncode, out.strip()), err
    assert 1 == len(errors(report)), report.read_text()
    assert errors(report)[0] in {"AUDIT_STORE_FULL", "AUDIT_WRITE_FAILED"}
    acked = acknowledged(report)
    assert len(acked) > 3
    store = AuditStore(db, secret=WRITER_SECRET)
    assert_all_present_and_verified(store, acked)
    assert len(acked) + 1 == store.count()  # the seed, then exactly the acknowledged ones


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (a real file system that runs out of space: ENOSPC);
    the test is skipped where mounting is not allowed (it needs root with CAP_SYS_ADMIN)."""
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here (needs root): {mounted.stderr.strip()[:200]}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_real_full_disk_is_a_clear_error_loses_no_record_and_heals_when_there_is_room(tmp_path: Path) -> None:
    """On a file system that is really full (a 1 MB tmpfs: every write past it fails with ENOSPC),
    append raises an AuditError with a stable code (AUDIT_STORE_FULL or AUDIT_WRITE_FAILED), never
    a raw sqlite3 or OS error; every acknowledged record is kept and the chain verifies, also when
    the store is opened again; once the file system has room, the chain simply continues."""
    with small_disk(tmp_path / "disk", "1m") as disk:
        db = disk / "audit.sqlite"
        store = AuditStore(db, secret=SECRET)
        acked: dict[int, str] = {}
        refused: list[str] = []
        try:
            for n in range(1, 400):
                try:
                    record = store.append("decision", f"{n:064x}", big(n))
                except AuditError as err:
                    refused.append(err.code)
                    if len(refused) == 3:
                        break
                    continue
                acked[record.seq] = record.hash
            assert 3 == len(refused), "the disk never filled up"
            assert set(refused) <= {"AUDIT_STORE_FULL", "AUDIT_WRITE_FAILED"}, refused
            assert len(acked) > 3
            assert len(acked) == store.count()
            assert_all_present_and_verified(store, acked)
            store.close()
            store = AuditStore(db, secret=SECRET)  # what is on the disk, not what the connection held
            assert_all_present_and_verified(store, acked)
            subprocess.run(["mount", "-o", "remount,size=16m", str(disk)], check=True)
            after = store.append("decision", "e" * 64, big(1000))
            assert (len(acked) + 1, acked[len(acked)]) == (after.seq, after.prev_hash)
            assert_all_present_and_verified(store, {**acked, after.seq: after.hash})
        finally:
            store.close()


def test_a_full_database_is_a_507_problem_from_the_service(engine: Engine, tmp_path: Path) -> None:
    """POST /decisions on a full store answers 507 application/problem+json with code
    AUDIT_STORE_FULL (no 500, no trace); the decisions recorded before stay; after room is made,
    the same request is recorded (201) and the chain verifies."""
    with running(engine, tmp_path / "audit.sqlite") as server:
        case = valid_case()
        advice = call(server, "POST", f"{V1}/advices", case).json
        body = {
            "case": case,
            "receipt": advice["receipt"],
            "decision": {"measure": "boete", "amount": advice["measure"]["amount"]},
        }
        first = call(server, "POST", f"{V1}/decisions", body)
        assert 201 == first.status
        store = server.advisor.store
        fill_up(store)
        answers: list[Answer] = []
        for _ in range(3):
            body["decision"]["reason"] = "x" * 4000  # a record that needs a new page
            answers.append(call(server, "POST", f"{V1}/decisions", body))
        assert [(507, "application/problem+json", "AUDIT_STORE_FULL")] * 3 == [
            (a.status, a.headers["content-type"], a.json["code"]) for a in answers
        ]
        assert "Traceback" not in answers[0].body.decode()
        assert 1 == store.count()
        store._db.execute("PRAGMA max_page_count = 1073741823")
        again = call(server, "POST", f"{V1}/decisions", body)
        assert (201, 2) == (again.status, again.json["number"])
        assert_all_present_and_verified(
            store, {first.json["number"]: first.json["hash"], again.json["number"]: again.json["hash"]}
        )


def _limit_files(limit: int) -> Any:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # ignored signals stay ignored across exec
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return apply


def test_the_service_on_a_disk_that_refuses_writes_answers_a_problem_and_loses_nothing(tmp_path: Path) -> None:
    """`maatwerk serve` whose files may not grow past a limit: decisions are recorded (201) until
    the store cannot grow, then answered with 507 or 503 problem+json (AUDIT_STORE_FULL or
    AUDIT_WRITE_FAILED); the service keeps running (health is 200), and after it is killed every
    confirmed decision is in the store and the chain verifies."""
    secret_file = tmp_path / "audit.key"
    secret_file.write_text("k" * 64)
    secret_file.chmod(0o600)
    starter = ServeProcess(tmp_path)  # creates the store and stores the policy files, without a limit
    starter.stop()
    db = tmp_path / "audit.sqlite"
    wal = tmp_path / "audit.sqlite-wal"
    limit = max(db.stat().st_size, wal.stat().st_size if wal.exists() else 0)
    service = ServeProcess(tmp_path, preexec=_limit_files(limit + 600_000))
    try:
        case = valid_case()
        advice = service.call("POST", f"{V1}/advices", case).json
        body = {
            "case": case,
            "receipt": advice["receipt"],
            "decision": {
                "measure": "geen_boete",
                "reason_category": "draagkracht",
                "reason": "y" * 4000,
            },
        }
        confirmed: dict[int, str] = {}
        refused: list[Answer] = []
        for _ in range(2000):
            answer = service.call("POST", f"{V1}/decisions", body)
            if answer.status == 201:
                confirmed[answer.json["number"]] = answer.json["hash"]
                continue
            refused.append(answer)
            if len(refused) == 3:
                break
        assert 200 == service.call("GET", f"{V1}/health").status
    finally:
        service.kill()
    assert len(confirmed) > 3
    assert 3 == len(refused), "the store never filled up"
    assert all(
        (a.status, a.headers["content-type"]) in {(507, "application/problem+json"), (503, "application/problem+json")}
        and a.json["code"] in {"AUDIT_STORE_FULL", "AUDIT_WRITE_FAILED"}
        for a in refused
    ), [a.body[:300] for a in refused]
    store = AuditStore(db, secret=b"k" * 64)
    assert_all_present_and_verified(store, confirmed)
    assert len(confirmed) == store.count()


# --- the checkpoint write fails after the commit -------------------------------------------------------


def test_a_failed_checkpoint_write_keeps_the_committed_record_and_heals_on_the_next_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The record is committed before its checkpoint is written. When writing the checkpoint fails
    (ENOSPC, injected), append still returns the record (it *is* recorded: reporting a failure would
    invite a duplicate), logs a warning without record content, and verify warns that the
    checkpoint is behind; the next append writes a checkpoint at the head again."""
    store = AuditStore(tmp_path / "audit.sqlite", secret=SECRET)
    store.append("decision", "1" * 64, {"n": 1, "secret_note": "KANARIE-inhoud"})

    def no_space(*_: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", no_space)  # the store's rename of its new checkpoint
    with caplog.at_level("WARNING", logger="maatwerk"):
        second = store.append("decision", "2" * 64, {"n": 2, "secret_note": "KANARIE-inhoud"})
    assert (2, 2) == (second.seq, store.count())
    assert ["AUDIT_CHECKPOINT_BEHIND"] == [w.code for w in store.verify().warnings]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert ("audit_checkpoint_failed", "ENOSPC") == tuple(
        w for w in ("audit_checkpoint_failed", "ENOSPC") if w in logged
    )
    assert "KANARIE" not in logged
    monkeypatch.undo()
    store.append("decision", "3" * 64, {"n": 3})
    assert (True, ()) == (store.verify().ok, store.verify().warnings)


@pytest.fixture(autouse=True)
def _no_stray_limit() -> Iterator[None]:
    """The limits are set in child processes only: this process keeps writing freely."""
    yield
    assert resource.RLIM_INFINITY == resource.getrlimit(resource.RLIMIT_FSIZE)[0]
