# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The audit store: an append-only, hash-chained record of decisions in embedded SQLite.

Each record is one canonical JSON document (``body``). Its ``hash`` is SHA-256 over a domain tag,
the previous record's hash and the body, so changing, removing or reordering any record breaks the
chain from that point on. SQLite triggers refuse UPDATE and DELETE, so the ordinary write path can
only append. Policy files are stored once, content-addressed by their SHA-256, and grouped into
*policy sets*; a record names its policy set, so the chain covers the exact packs an advice used and
``replay`` can recompute the advice years later without the repository.

A chain alone cannot show where it begins or ends. So a new store begins with a *genesis* record:
a random store id, with an HMAC under a key derived from the store's secret;
the first record chains from the genesis hash. An emptied store (no genesis), or one swapped for a
store made with another secret (a genesis this secret did not sign), fails ``verify``. And after
each append the store writes its *head anchor* (the "checkpoint") to a file outside the database:
the store id, the record count and the last hash, with an HMAC. ``verify`` compares the store with
it, so records cut off at the end, a store rolled back to an older copy, or a store swapped for
another one made with the same secret are named. ``open_store`` puts the anchor beside the secret,
away from the database. What remains possible (documented in docs/explanation/audit-trail.md):
someone who holds the secret can forge everything; someone who can write both the database and an
older anchor file can cut the chain back to exactly that point. Publishing the head (``maatwerk
audit head``) to a place outside the server's reach closes that gap; ``verify(expect_head=...)``
checks against it.

**Case data is encrypted at rest** (format 3). A record's personal part (the case input, the
decision's motivation) is not in its body: it is sealed with AES-256-GCM under a data key of its own
*case* (one key per case reference, or per receipt for a case without one), and stored apart, in
``case_data``. The body holds the case's id (a keyed hash of the reference) and the SHA-256 of the
sealed bytes, so the chain covers the ciphertext and verifies without any key. The data keys are
stored wrapped by a key-encryption key derived from the secret (outside the database). An erasure
(:meth:`AuditStore.erase_case`, :meth:`AuditStore.purge`) appends an *erasure record* to the chain
and, in the same transaction, destroys the case's key and its sealed bytes (``secure_delete``, then
the WAL is checkpointed and truncated): the chain still verifies, the case data is gone for good.

**Reads and records are logged** in the access log (who, through what, which record, which case),
never with case data; its entries are chained with an HMAC, and the triggers keep it append-only.

The chain and its verification need only the standard library; sealing and opening case data need
the ``cryptography`` package (``maatwerk[audit]``), imported when first used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from maatwerk.audit._errors import AuditError
from maatwerk.errors import Problem

__all__ = [
    "GENESIS",
    "AccessEntry",
    "Actor",
    "AuditConflictError",
    "AuditErasedError",
    "AuditError",
    "AuditNotFoundError",
    "AuditStore",
    "AuditStoreFullError",
    "AuditWriteError",
    "Checkpoint",
    "Erasure",
    "PolicySnapshot",
    "Record",
    "VerifyReport",
    "canonical",
    "record_hash",
]

FORMAT = 3  # 2: a genesis record, the anchor names the store, idempotency keys; 3: case data sealed per case
#: Formats this release reads (verify, replay, report). It writes only into a store of FORMAT.
READABLE = (2, 3)
GENESIS = "0" * 64  # the previous hash of the genesis record (and the head of a store without one)
_TAG = b"maatwerk-audit-v1\n"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS policy_files (sha256 TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS policy_sets (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    receipt TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS records_receipt ON records (receipt);
CREATE TABLE IF NOT EXISTS genesis (id INTEGER PRIMARY KEY CHECK (id = 0), body TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS case_keys (case_id TEXT PRIMARY KEY, wrapped BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS case_data (seq INTEGER PRIMARY KEY, case_id TEXT NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS case_data_case ON case_data (case_id);
CREATE TABLE IF NOT EXISTS erasures (case_id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS access_log (n INTEGER PRIMARY KEY, entry TEXT NOT NULL, mac TEXT NOT NULL);
"""
_APPEND_ONLY = ("meta", "policy_files", "policy_sets", "records", "genesis", "idempotency", "erasures", "access_log")
# A case's key may be deleted only once an erasure record names the case, and its sealed data only
# once its key is gone: the ordinary write path can destroy case data only by erasing it.
_GUARDED_DELETES = (
    "CREATE TRIGGER IF NOT EXISTS case_keys_no_update BEFORE UPDATE ON case_keys "
    "BEGIN SELECT RAISE(ABORT, 'the audit store is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS case_data_no_update BEFORE UPDATE ON case_data "
    "BEGIN SELECT RAISE(ABORT, 'the audit store is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS case_keys_erase_only BEFORE DELETE ON case_keys "
    "WHEN NOT EXISTS (SELECT 1 FROM erasures WHERE case_id = OLD.case_id) "
    "BEGIN SELECT RAISE(ABORT, 'a case key is destroyed only by an erasure'); END",
    "CREATE TRIGGER IF NOT EXISTS case_data_erase_only BEFORE DELETE ON case_data "
    "WHEN EXISTS (SELECT 1 FROM case_keys WHERE case_id = OLD.case_id) "
    "OR NOT EXISTS (SELECT 1 FROM erasures WHERE case_id = OLD.case_id) "
    "BEGIN SELECT RAISE(ABORT, 'case data is destroyed only by an erasure'); END",
)
#: Body fields the store sets itself; a record's content may not set them.
_RESERVED = frozenset(
    {"seq", "kind", "receipt", "recorded_at", "format", "idempotency_key", "case", "case_data", "access_log"}
)
#: The state of a record's case data (:attr:`Record.case_data`).
CaseData = Literal["none", "sealed", "open", "erased"]
#: How an actor reached the store (the access log's ``channel``).
CHANNELS = frozenset({"http", "cli", "api"})
_ACCESS_START = "0" * 64

# Events as key=value text on the stdlib logger (the library never configures logging; the CLI and
# the service show them). Never record content: only what failed and the operating system's code.
_log = logging.getLogger("maatwerk.audit")


class AuditNotFoundError(AuditError, LookupError):
    """The audit store holds no record (or policy set) with the key asked for."""

    code = "AUDIT_NOT_FOUND"
    hint = "Check the receipt or number; `maatwerk audit verify` lists how many records the store holds."


class AuditErasedError(AuditNotFoundError):
    """The case data asked for was erased (its key destroyed): the record's chain entry remains,
    its content is gone for good."""

    code = "AUDIT_CASE_ERASED"
    hint = (
        "The case data was erased under the municipality's retention rule or on request; the erasure record says when."
    )


class AuditConflictError(AuditError):
    """An append gave an idempotency key that an earlier record holds, with other content."""

    code = "AUDIT_IDEMPOTENCY_CONFLICT"
    hint = "An idempotency key names one decision: send the same request again, or use a new key for a new one."


class AuditWriteError(AuditError):
    """The store could not write a record (the database is locked for too long, or the disk refused
    the write). Nothing was appended: every earlier record is kept, and the same write can be retried."""

    code = "AUDIT_WRITE_FAILED"
    hint = (
        "Nothing was recorded; record it again when the cause is gone. Check free disk space, file size "
        "limits and the disk's health; `maatwerk audit verify` confirms the earlier records are intact."
    )


class AuditStoreFullError(AuditWriteError):
    """The disk (or the database's size limit) is full: the record was not appended."""

    code = "AUDIT_STORE_FULL"
    hint = (
        "The disk holding the audit store is full: nothing was recorded, and nothing recorded before was "
        "lost. Free disk space (or move the store to a larger disk), then record the decision again."
    )


def _write_error(err: sqlite3.Error, what: str) -> AuditWriteError:
    """The AuditError for a failed write: full (SQLITE_FULL) or otherwise refused; the message names
    SQLite's error code, never the record."""
    name = getattr(err, "sqlite_errorname", type(err).__name__)
    if name == "SQLITE_FULL":
        return AuditStoreFullError(f"the audit store is full: {what} was not recorded ({name})")
    return AuditWriteError(f"the audit store could not write {what} ({name})")


def canonical(data: Any) -> str:
    """The one JSON text of ``data`` that is hashed: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(prev_hash: str, body: str) -> str:
    """SHA-256 over the domain tag, the previous record's hash and this record's canonical body."""
    return hashlib.sha256(_TAG + prev_hash.encode("ascii") + b"\n" + body.encode("utf-8")).hexdigest()


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class PolicySnapshot:
    """The policy files an engine loaded (relative path -> text), and the engine's municipality."""

    files: Mapping[str, str]
    municipality: str | None

    @property
    def id(self) -> str:
        """SHA-256 over the municipality and every (path, file hash) pair, in path order."""
        return hashlib.sha256(canonical(self.manifest()).encode()).hexdigest()

    def manifest(self) -> dict[str, Any]:
        return {
            "municipality": self.municipality,
            "files": {
                path: hashlib.sha256(text.encode("utf-8")).hexdigest() for path, text in sorted(self.files.items())
            },
        }

    def write_to(self, root: Path) -> Path:
        """Recreate the policy folder under ``root`` (for replay)."""
        for rel, text in self.files.items():
            target = (root / rel).resolve()
            if root.resolve() not in target.parents:
                raise AuditError(f"policy path {rel!r} leaves the replay folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return root


@dataclass(frozen=True, slots=True)
class Record:
    """One stored record: its place in the chain and its canonical body."""

    seq: int
    kind: str
    receipt: str
    recorded_at: str
    body: dict[str, Any]
    prev_hash: str
    hash: str
    #: The case's id (a keyed hash of its reference), for a record with case data.
    case: str | None = None
    #: ``none`` (the record has no case data), ``sealed`` (encrypted; read without an actor, the body
    #: holds only the part in the clear), ``open`` (decrypted for a logged reader and merged into the
    #: body) or ``erased`` (its key was destroyed: the content is gone, the chain entry remains).
    case_data: CaseData = "none"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who reads or records, and through what: ``subject`` is the authenticated user (an OpenID
    Connect ``sub``, a caseworker id, an operating-system user), stored only as a keyed pseudonym;
    ``channel`` is ``http``, ``cli`` or ``api``."""

    subject: str
    channel: str = "api"

    def __post_init__(self) -> None:
        if not isinstance(self.subject, str) or not self.subject.strip() or len(self.subject) > 200:
            raise AuditError("an actor needs a subject of 1 to 200 characters (who reads or records)")
        if self.channel not in CHANNELS:
            raise AuditError(f"an actor's channel is one of {', '.join(sorted(CHANNELS))}, not {self.channel!r}")


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One entry of the access log: when, who (pseudonym), through what, which action, on which
    record and case. Never case data."""

    n: int
    at: str
    actor: str
    channel: str
    action: str
    record: int | None
    case: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "at": self.at,
            "actor": self.actor,
            "channel": self.channel,
            "action": self.action,
            "record": self.record,
            "case": self.case,
        }


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erasure or a purge did: ``cases`` newly erased, holding ``records`` records; the
    erasure ``record`` appended (None when there was nothing left to erase: erasing is idempotent);
    ``earlier`` the erasure record of a case erased before; ``wal_cleared`` False when another
    connection kept the write-ahead log from being emptied (run it again when the service is idle)."""

    cases: int
    records: int
    record: Record | None
    wal_cleared: bool
    earlier: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "records": self.records,
            "erasure_record": None if self.record is None else self.record.seq,
            "earlier_erasure_record": self.earlier,
            "wal_cleared": self.wal_cleared,
        }


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The head anchor as last written by the store: the store's id, the record count, the last
    hash, and an HMAC over the three."""

    store: str
    count: int
    hash: str
    mac: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of :meth:`AuditStore.verify`: ``ok`` when no problem was found."""

    count: int
    head: str
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())
    #: Records whose case data can still be read (its key is there), and records whose case data was
    #: erased (key destroyed; the chain entry still verifies).
    readable: int = 0
    erased: int = 0
    #: Entries in the access log (their HMAC chain is verified too).
    accesses: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "count": self.count,
            "head": self.head,
            "readable": self.readable,
            "erased": self.erased,
            "accesses": self.accesses,
            "problems": [{"where": p.where, "code": p.code, "message": p.message} for p in self.problems],
            "warnings": [{"where": p.where, "code": p.code, "message": p.message} for p in self.warnings],
        }


@dataclass(slots=True)
class _Waiting:
    """An append waiting to be written, and how it ended."""

    kind: str
    receipt: str
    content: Mapping[str, Any]
    idempotency_key: str | None = None
    personal: Mapping[str, Any] | None = None
    case_ref: str | None = None
    actor: Actor | None = None
    record: Record | None = None
    repeat: Record | None = None  # the earlier record with the same key and content
    error: AuditError | None = None

    @property
    def settled(self) -> bool:
        return self.record is not None or self.error is not None


class AuditStore:
    """An append-only, hash-chained audit store in one SQLite file.

    ``secret`` (at least 16 bytes) keys the genesis and anchor MACs and the caseworker pseudonyms;
    keep it out of the database's backups. ``checkpoint_path`` is the head anchor file (default
    ``<db>.head``; ``open_store`` puts it beside the secret). A store created by this call (the
    database has no tables yet) gets its genesis record and an anchor at it; an existing store is
    never given a new genesis, and an existing anchor is never overwritten by another store's.
    ``clock`` gives the record time (UTC); tests pass a fixed one.
    Safe to share between threads; several processes may append too (each append is one
    ``BEGIN IMMEDIATE`` transaction). Case data is sealed per case and opened only for an
    :class:`Actor`, whose reads and records go to the access log; :meth:`erase_case` and
    :meth:`purge` destroy a case's key. ``lock_timeout`` is how many seconds an append waits while
    another process holds the database's write lock before it fails with
    :class:`AuditWriteError` (nothing appended, safe to retry).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        secret: bytes,
        clock: Callable[[], dt.datetime] = _utc_now,
        checkpoint_path: str | Path | None = None,
        lock_timeout: float = 30.0,
    ) -> None:
        if isinstance(lock_timeout, bool) or not (isinstance(lock_timeout, int | float) and 0 < lock_timeout <= 3600):
            raise AuditError(f"lock_timeout must be a number of seconds above 0 and at most 3600, not {lock_timeout!r}")
        if len(secret) < 16:
            raise AuditError("the audit secret is shorter than 16 bytes", hint="Use at least 32 random bytes.")
        self.path = Path(path)
        #: Seconds an append waits for another process's write lock before it fails.
        self.lock_timeout = float(lock_timeout)
        self.checkpoint_path = Path(checkpoint_path) if checkpoint_path is not None else Path(f"{self.path}.head")
        self._pseudonym_key = hmac.new(secret, b"maatwerk caseworker pseudonym v1", hashlib.sha256).digest()
        self._checkpoint_key = hmac.new(secret, b"maatwerk audit checkpoint v2", hashlib.sha256).digest()
        self._genesis_key = hmac.new(secret, b"maatwerk audit genesis v1", hashlib.sha256).digest()
        #: The key `maatwerk serve` gives its engine for the case pseudonyms in log lines
        #: (``Engine(log_key=...)``): derived from the secret, apart from the other two keys.
        self.log_key = hmac.new(secret, b"maatwerk log pseudonym v1", hashlib.sha256).digest()
        # Case data: the key-encryption key that wraps each case's data key, the key of the case ids
        # (keyed hashes of case references) and the key of the access log's chain.
        self._kek = hmac.new(secret, b"maatwerk case key-encryption key v1", hashlib.sha256).digest()
        self._case_id_key = hmac.new(secret, b"maatwerk case id v1", hashlib.sha256).digest()
        self._access_key = hmac.new(secret, b"maatwerk access log v1", hashlib.sha256).digest()
        #: The store's format (FORMAT for a new store); a store of an earlier format is read, not written.
        self.format = FORMAT
        self._clock = clock
        self._lock = threading.Lock()  # held while writing; appends waiting for it are written as a group
        self._queue_lock = threading.Lock()  # guards ``_waiting`` only, never held while writing
        self._waiting: list[_Waiting] = []
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self.path.exists():  # personal data: readable by the service's user only
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=lock_timeout)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            # Deleted content (an erased case's key and sealed data) is overwritten with zeros, in the
            # page and in free pages, instead of lingering in the file.
            self._db.execute("PRAGMA secure_delete=ON")
            fresh = self._db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'records'").fetchone()[0] == 0
            if not fresh:
                self.format = self._stored_format()
            self._db.executescript(_SCHEMA)
            for table in _APPEND_ONLY:
                for op in ("UPDATE", "DELETE"):
                    self._db.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, 'the audit store is append-only'); END"
                    )
            for statement in _GUARDED_DELETES:
                self._db.execute(statement)
            self._db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('format', ?)", (str(FORMAT),))
        except sqlite3.Error as err:
            raise AuditError(f"cannot open the audit store {self.path}: {err}") from None
        if fresh:
            with self._lock:
                self._create_genesis()

    def _stored_format(self) -> int:
        """The format an existing store was made in; a format this release cannot read is refused."""
        has_meta = self._db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'meta'").fetchone()[0]
        row = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() if has_meta else None
        found = int(row[0]) if row is not None and str(row[0]).isdigit() else 0
        if found not in READABLE:
            self._db.close()
            raise AuditError(
                f"the audit store {self.path} has format {found or '(none)'}; this release reads formats "
                f"{', '.join(map(str, READABLE))}",
                hint="Open it with the maatwerk release that made it (see docs/explanation/audit-trail.md, Formats).",
            )
        return found

    def _require_current(self, what: str) -> None:
        """Writing is for a store of the current format only: a format-2 store holds case data in the
        clear, which could never be erased per case."""
        if self.format != FORMAT:
            raise AuditError(
                f"the audit store {self.path} has format {self.format} (case data in the clear, not erasable "
                f"per case): this release does not write {what} into it",
                hint=(
                    "Keep this store as it is for `maatwerk audit verify`, `replay` and `report` until its retention "
                    "term ends, and record new decisions in a new store (--db NEW-FILE or $MAATWERK_AUDIT_DB)."
                ),
            )

    # --- genesis ----------------------------------------------------------------------------------

    def _genesis_mac(self, store: str) -> str:
        return hmac.new(self._genesis_key, f"genesis:{store}".encode(), hashlib.sha256).hexdigest()

    def _create_genesis(self) -> None:
        """Write the genesis record of a new store, then its anchor (count 0), unless an anchor file
        is there already: that one belongs to the store this file replaced, and is evidence."""
        with self._transaction("the genesis record"):
            if self._db.execute("SELECT 1 FROM genesis UNION ALL SELECT 1 FROM records LIMIT 1").fetchone():
                return  # another process created it first
            # No time: the clock is the records' (tests give a fixed sequence), and the id is enough.
            store = secrets.token_hex(16)
            text = canonical({"format": FORMAT, "kind": "genesis", "store": store, "mac": self._genesis_mac(store)})
            self._db.execute(
                "INSERT INTO genesis (id, body, hash) VALUES (0, ?, ?)", (text, record_hash(GENESIS, text))
            )
        if not self.checkpoint_path.exists():
            self._checkpoint_head()

    def _genesis(self) -> tuple[str, str] | None:
        """The genesis record's canonical body and hash, or None. Call with ``self._lock`` held."""
        row = self._db.execute("SELECT body, hash FROM genesis WHERE id = 0").fetchone()
        return (str(row[0]), str(row[1])) if row else None

    @property
    def store_id(self) -> str | None:
        """The random id the genesis record gave this store (None when it has no readable genesis)."""
        with self._lock:
            store = self._start()[0]
        return store or None

    def _start(self) -> tuple[str, str]:
        """The store id and the hash the first record chains from. Call with ``self._lock`` held."""
        found = self._genesis()
        if found is None:
            return "", GENESIS
        try:
            store = str(json.loads(found[0])["store"])
        except (ValueError, TypeError, KeyError):
            store = ""  # verify reports it (AUDIT_GENESIS_ALTERED)
        return store, found[1]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- pseudonyms -------------------------------------------------------------------------------

    def pseudonym(self, caseworker_id: str) -> str:
        """The keyed pseudonym stored instead of a caseworker's id (HMAC-SHA-256, hex)."""
        text = caseworker_id.strip()
        if not text:
            raise AuditError("a caseworker id is empty")
        return hmac.new(self._pseudonym_key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    # --- writing ----------------------------------------------------------------------------------

    def store_policy(self, snapshot: PolicySnapshot) -> str:
        """Store the snapshot's files and manifest (once); return the policy set id."""
        set_id = snapshot.id
        self._require_current("policy files")
        with self._lock, self._transaction("the policy files"):
            for text in snapshot.files.values():
                sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
                self._db.execute("INSERT OR IGNORE INTO policy_files (sha256, text) VALUES (?, ?)", (sha, text))
            self._db.execute(
                "INSERT OR IGNORE INTO policy_sets (id, body) VALUES (?, ?)",
                (set_id, canonical(snapshot.manifest())),
            )
        return set_id

    @contextlib.contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``: the write lock, shared with other processes,
        is taken first). Any failure rolls back completely, so a record is either committed whole or
        not at all; a refused write becomes an :class:`AuditWriteError` (or
        :class:`AuditStoreFullError`). Call with ``self._lock`` held."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise _write_error(err, what) from None
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as err:
            if self._db.in_transaction:  # SQLite rolls back by itself after some I/O errors
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise _write_error(err, what) from None
            raise

    def append(
        self,
        kind: str,
        receipt: str,
        content: Mapping[str, Any],
        *,
        idempotency_key: str | None = None,
        personal: Mapping[str, Any] | None = None,
        case_ref: str | None = None,
        actor: Actor | None = None,
    ) -> Record:
        """Append one record; ``content`` becomes its body together with seq, kind, receipt and time.

        ``personal`` is the record's case data (the input, the motivation): it is sealed with the data
        key of its case (``case_ref``, the municipality's case reference; without one the receipt
        names the case) and stored apart; the body holds the case id and the SHA-256 of the sealed
        bytes. Read back for a logged reader, its top-level keys are merged over the body's. A case
        that was erased takes no new records (:class:`AuditErasedError`). ``actor``, when given, is
        written to the access log with the record, in the same transaction.

        With an ``idempotency_key`` (kept in the body), an append whose key an earlier record holds
        appends nothing: it returns that first record unchanged when kind, receipt and content are
        the same (a retry), and raises :class:`AuditConflictError` when they are not. The key is
        looked up inside the write transaction, so two retries at once still record one record.

        The record is committed (durably: WAL, ``synchronous=FULL``) before this returns, and a
        failure leaves no part of it behind (:class:`AuditWriteError`, :class:`AuditStoreFullError`).
        The checkpoint is written after the commit; if that write fails the record still stands (it
        is returned, and a warning logged): the checkpoint is then behind until the next append.

        Group commit: appends from several threads that wait while another is writing are written
        together, in one transaction with one checkpoint, by the first of them to get the lock; each
        still returns only once its own record is committed, or raises if the transaction failed."""
        if _RESERVED & (set(content) | set(personal or ())):
            raise ValueError("content may not set " + ", ".join(sorted(_RESERVED)))
        if personal is not None:
            from maatwerk.audit import _crypto

            _crypto.available()  # before the record is queued: no half-written group without the library
            self.case_id(case_ref=case_ref, receipt=receipt)  # a case it can name, or refused here, alone
        self._require_current("records")
        mine = _Waiting(kind, receipt, content, idempotency_key, personal, case_ref, actor)
        with self._queue_lock:
            self._waiting.append(mine)
        with self._lock:
            if not mine.settled:  # not written by an append that held the lock before us: write all waiting
                with self._queue_lock:
                    group, self._waiting = self._waiting, []
                self._write_group(group)
        if mine.error is not None:  # a new exception per thread: the group's error is shared
            err = mine.error
            raise type(err)(err.message, problems=err.problems, hint=err.__dict__.get("hint"))
        assert mine.record is not None
        return mine.record

    @staticmethod
    def _fail_group(group: list[_Waiting], error: AuditError) -> None:
        for waiting in group:
            if waiting.error is None:
                waiting.error = error

    def _write_group(self, group: list[_Waiting]) -> None:
        """Write the waiting appends in one transaction, then one checkpoint; settle each. A record
        whose body cannot be built (not JSON) fails alone; a failed transaction fails them all, and
        none of them is stored. Call with ``self._lock`` held."""
        written: list[tuple[_Waiting, Record]] = []
        try:
            with self._transaction("the record"):
                # Timed inside the write lock, so that record times follow the numbering across processes.
                recorded_at = self._clock().astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
                row = self._db.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (row[0] + 1, row[1]) if row else (1, self._start()[1])
                store = self._start()[0]
                for waiting in group:
                    if waiting.idempotency_key is not None and self._settle_repeat(waiting, store, recorded_at):
                        continue
                    body = {
                        **waiting.content,
                        "format": FORMAT,
                        "seq": seq,
                        "kind": waiting.kind,
                        "receipt": waiting.receipt,
                        "recorded_at": recorded_at,
                    }
                    if waiting.idempotency_key is not None:
                        body["idempotency_key"] = waiting.idempotency_key
                    body["access_log"] = self._access_head()
                    sealed: tuple[str, bytes] | None = None
                    try:
                        if waiting.personal is not None:
                            case = self.case_id(case_ref=waiting.case_ref, receipt=waiting.receipt)
                            key = self._case_key(store, case, create=True)
                            blob = self._seal(key, store, case, seq, canonical(dict(waiting.personal)))
                            body["case"], body["case_data"] = case, hashlib.sha256(blob).hexdigest()
                            sealed = (case, blob)
                        text = canonical(body)
                    except (TypeError, ValueError) as err:
                        waiting.error = AuditWriteError(f"the record is not JSON ({type(err).__name__})")
                        continue
                    except AuditErasedError as err:
                        waiting.error = err
                        continue
                    digest = record_hash(prev, text)
                    self._db.execute(
                        "INSERT INTO records (seq, kind, receipt, recorded_at, body, prev_hash, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (seq, waiting.kind, waiting.receipt, recorded_at, text, prev, digest),
                    )
                    if sealed is not None:
                        self._db.execute(
                            "INSERT INTO case_data (seq, case_id, sealed) VALUES (?, ?, ?)", (seq, *sealed)
                        )
                    if waiting.actor is not None:
                        self._log_access(waiting.actor, "record", recorded_at, seq, body.get("case"))
                    if waiting.idempotency_key is not None:
                        self._db.execute(
                            "INSERT INTO idempotency (key, seq) VALUES (?, ?)", (waiting.idempotency_key, seq)
                        )
                    stored = json.loads(text)
                    if waiting.personal is not None:
                        opened = {**stored, **json.loads(canonical(dict(waiting.personal)))}
                        record = Record(seq, waiting.kind, waiting.receipt, recorded_at, opened, prev, digest)
                        record = dataclasses.replace(record, case=stored["case"], case_data="open")
                    else:
                        record = Record(seq, waiting.kind, waiting.receipt, recorded_at, stored, prev, digest)
                    written.append((waiting, record))
                    seq, prev = seq + 1, digest
        except AuditError as err:
            self._fail_group(group, err)
            return
        except BaseException as err:  # not a write error of SQLite: still no record of the group stands
            self._fail_group(
                group, AuditWriteError(f"the audit store could not write the record ({type(err).__name__})")
            )
            if not isinstance(err, Exception):
                raise  # an interrupt goes on, once every waiting append knows its record failed
            return
        for waiting, record in written:
            waiting.record = record
        for waiting in group:  # a repeat settled in the transaction counts only once it committed
            if waiting.repeat is not None:
                waiting.record = waiting.repeat
        if written:
            self._checkpoint_head()

    def _settle_repeat(self, waiting: _Waiting, store: str, at: str) -> bool:
        """When an earlier record holds ``waiting``'s idempotency key: keep that record to return
        (the same kind, receipt, content and case data) or fail the append
        (:class:`AuditConflictError`; :class:`AuditErasedError` when the first record's case was
        erased since), and say True: nothing is to be appended. Call inside the write transaction."""
        row = self._db.execute(
            "SELECT r.seq, r.kind, r.receipt, r.recorded_at, r.body, r.prev_hash, r.hash FROM idempotency i"
            " JOIN records r ON r.seq = i.seq WHERE i.key = ?",
            (waiting.idempotency_key,),
        ).fetchone()
        if row is None:
            return False
        first = self._record(row, self._erased_cases())
        clear = json.loads(row[4])
        kept = {k: v for k, v in clear.items() if k not in _RESERVED}
        personal: dict[str, Any] | None = None
        if first.case_data == "erased":
            waiting.error = AuditErasedError(
                f"idempotency key {waiting.idempotency_key!r} names record {first.seq}, whose case was erased"
            )
            return True
        if first.case_data == "sealed":
            personal = self._open(store, first.seq, str(first.case))
        try:
            same = (first.kind, first.receipt, canonical(kept), personal) == (
                waiting.kind,
                waiting.receipt,
                canonical(dict(waiting.content)),
                None if waiting.personal is None else json.loads(canonical(dict(waiting.personal))),
            )
        except (TypeError, ValueError):
            same = False
        if (
            same
            and personal is not None
            and first.case != self.case_id(case_ref=waiting.case_ref, receipt=waiting.receipt)
        ):
            same = False
        if same:
            if personal is not None:
                first = dataclasses.replace(first, body={**first.body, **personal}, case_data="open")
            if waiting.actor is not None:
                self._log_access(waiting.actor, "record", at, first.seq, first.case)
            waiting.repeat = first
        else:
            waiting.error = AuditConflictError(
                f"idempotency key {waiting.idempotency_key!r} already names record {first.seq}, with other content",
                problems=(Problem("idempotency_key", "AUDIT_IDEMPOTENCY_CONFLICT", f"record {first.seq} holds it"),),
            )
        return True

    def _mac(self, store: str, count: int, head: str) -> str:
        return hmac.new(self._checkpoint_key, f"{store}:{count}:{head}".encode(), hashlib.sha256).hexdigest()

    def _checkpoint_head(self) -> None:
        """Write the checkpoint for the chain's current head, holding the database's write lock so
        that writers in other processes write theirs one at a time and always for the newest head
        (a checkpoint never goes back to an older record). An anchor that names another store, or
        whose MAC this secret did not make, is left as it is (evidence; ``verify`` reports it). A
        failure is logged, never raised: the record it follows is committed. Call with
        ``self._lock`` held."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                store, start = self._start()
                row = self._db.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
                count, head = (int(row[0]), str(row[1])) if row else (0, start)
                before = self.read_checkpoint()
                if before is not None and not self._anchors(before, store):
                    _log.warning("event='audit_anchor_kept' reason='another store or another secret'")
                else:
                    self._write_checkpoint(store, count, head)
            finally:
                self._db.execute("ROLLBACK")  # nothing was written in this transaction
        except (OSError, sqlite3.Error) as err:
            code = errno.errorcode.get(err.errno or 0, "") if isinstance(err, OSError) else ""
            name = code or getattr(err, "sqlite_errorname", type(err).__name__)
            _log.warning("event='audit_checkpoint_failed' error=%r", name)

    def _anchors(self, checkpoint: Checkpoint, store: str) -> bool:
        """The anchor was made with this secret, for the store ``store``."""
        mac = self._mac(checkpoint.store, checkpoint.count, checkpoint.hash)
        return hmac.compare_digest(checkpoint.mac, mac) and checkpoint.store == store

    def _write_checkpoint(self, store: str, count: int, head: str) -> None:
        data = canonical({"store": store, "count": count, "hash": head, "mac": self._mac(store, count, head)})
        tmp = self.checkpoint_path.with_name(self.checkpoint_path.name + ".tmp")
        # Its folder may be new (beside a secret that comes from the environment): this user's only.
        self.checkpoint_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as fh:
            fh.write(data + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.checkpoint_path)
        # The rename itself survives a power failure only once the folder is synced.
        folder = os.open(self.checkpoint_path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    # --- reading ----------------------------------------------------------------------------------

    def _rows(self, where: str = "", args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Record rows. Call with ``self._lock`` held."""
        return self._db.execute(
            f"SELECT seq, kind, receipt, recorded_at, body, prev_hash, hash FROM records {where} ORDER BY seq", args
        ).fetchall()

    def _erased_cases(self) -> dict[str, int]:
        """Each erased case's id and the number of the erasure record. Call with ``self._lock`` held."""
        return {str(c): int(n) for c, n in self._db.execute("SELECT case_id, seq FROM erasures").fetchall()}

    @staticmethod
    def _record(row: tuple[Any, ...], erased: Mapping[str, int] | None = None) -> Record:
        """The record of ``row`` as stored: its case data sealed (or erased), not opened."""
        body = json.loads(row[4])
        case = body.get("case") if isinstance(body, dict) and isinstance(body.get("case_data"), str) else None
        if not isinstance(case, str):
            return Record(row[0], row[1], row[2], row[3], body, row[5], row[6])
        state: CaseData = "erased" if erased is not None and case in erased else "sealed"
        return Record(row[0], row[1], row[2], row[3], body, row[5], row[6], case, state)

    def _read(self, where: str, args: tuple[Any, ...], actor: Actor | None) -> list[Record]:
        """The records found, opened for ``actor`` (logged first: a read that cannot be logged is
        refused) or, without one, as stored (the case data sealed)."""
        with self._lock:
            erased = self._erased_cases()
            found = [self._record(row, erased) for row in self._rows(where, args)]
            if actor is None:
                return found
            store = self._start()[0]
            opened = [
                dataclasses.replace(r, body={**r.body, **self._open(store, r.seq, str(r.case))}, case_data="open")
                if r.case_data == "sealed"
                else r
                for r in found
            ]
            if opened:
                at = self._clock().astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
                with self._transaction("the access log"):
                    for r in opened:
                        self._log_access(actor, "read", at, r.seq, r.case)
        return opened

    def records(self) -> Iterator[Record]:
        """Every record, oldest first, as stored: case data sealed, never opened (and so not logged).
        What the learning report and verification need is in the clear."""
        with self._lock:
            erased = self._erased_cases()
            rows = self._rows()
        for row in rows:
            yield self._record(row, erased)

    def by_receipt(self, receipt: str, *, actor: Actor | None = None) -> list[Record]:
        """The records for one advice receipt, oldest first: opened for ``actor`` (each read is
        written to the access log), sealed without one."""
        return self._read("WHERE receipt = ?", (receipt,), actor)

    def by_seq(self, seq: int, *, actor: Actor | None = None) -> Record | None:
        """Record ``seq``: opened for ``actor`` (the read is written to the access log), sealed
        without one."""
        found = self._read("WHERE seq = ?", (seq,), actor)
        return found[0] if found else None

    # --- case data --------------------------------------------------------------------------------

    def case_id(self, *, case_ref: str | None = None, receipt: str | None = None) -> str:
        """The id of a case in the store: a keyed hash of its case reference, or of the advice's
        receipt for a case without one. Neither is stored in the clear."""
        if case_ref is not None and case_ref.strip():
            text = "ref\n" + case_ref.strip()
        elif receipt:
            text = "receipt\n" + receipt
        else:
            raise AuditError("a case needs its case reference or its receipt")
        return hmac.new(self._case_id_key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    @staticmethod
    def _aad(kind: str, *parts: object) -> bytes:
        return "\n".join([f"maatwerk case {kind} v1", *map(str, parts)]).encode("utf-8")

    def _case_key(self, store: str, case: str, *, create: bool) -> bytes:
        """The data key of ``case``, unwrapped; a new one when it has none and ``create``. Call
        inside a transaction (creating) or with ``self._lock`` held."""
        from maatwerk.audit import _crypto

        row = self._db.execute("SELECT wrapped FROM case_keys WHERE case_id = ?", (case,)).fetchone()
        if row is not None:
            key = _crypto.open_sealed(self._kek, bytes(row[0]), self._aad("key", store, case))
            if key is None:
                raise AuditError(
                    f"the data key of case {case[:12]} cannot be unwrapped (altered, or another secret)",
                    hint="Use the secret this store was made with; `maatwerk audit verify` checks the rest.",
                )
            return key
        erased = self._db.execute("SELECT seq FROM erasures WHERE case_id = ?", (case,)).fetchone()
        if erased is not None:
            raise AuditErasedError(
                f"case {case[:12]} was erased (record {erased[0]}): it takes no new records",
                hint="An erased case stays erased; record the decision under a new case reference.",
            )
        if not create:
            raise AuditError(f"the data key of case {case[:12]} is missing, without an erasure record")
        key = _crypto.new_key()
        wrapped = _crypto.seal(self._kek, key, self._aad("key", store, case))
        self._db.execute("INSERT INTO case_keys (case_id, wrapped) VALUES (?, ?)", (case, wrapped))
        return key

    def _seal(self, key: bytes, store: str, case: str, seq: int, text: str) -> bytes:
        from maatwerk.audit import _crypto

        return _crypto.seal(key, text.encode("utf-8"), self._aad("data", store, case, seq))

    def _open(self, store: str, seq: int, case: str) -> dict[str, Any]:
        """The case data of record ``seq``, decrypted and checked against the record. Call with
        ``self._lock`` held."""
        from maatwerk.audit import _crypto

        row = self._db.execute("SELECT case_id, sealed FROM case_data WHERE seq = ?", (seq,)).fetchone()
        if row is None or row[0] != case:
            raise AuditError(f"record {seq}: its case data is missing (run `maatwerk audit verify`)")
        plain = _crypto.open_sealed(
            self._case_key(store, case, create=False), bytes(row[1]), self._aad("data", store, case, seq)
        )
        if plain is None:
            raise AuditError(f"record {seq}: its case data cannot be decrypted (altered, or another secret)")
        data: dict[str, Any] = json.loads(plain.decode("utf-8"))
        return data

    # --- the access log ---------------------------------------------------------------------------

    def _access_mac(self, prev: str, entry: str) -> str:
        return hmac.new(self._access_key, f"{prev}\n{entry}".encode(), hashlib.sha256).hexdigest()

    def _access_head(self) -> dict[str, Any]:
        """The access log's last entry (its number and MAC), kept in each new record so that the
        chain anchors the log up to that point. Call inside a transaction."""
        row = self._db.execute("SELECT n, mac FROM access_log ORDER BY n DESC LIMIT 1").fetchone()
        return {"n": int(row[0]), "mac": str(row[1])} if row else {"n": 0, "mac": _ACCESS_START}

    def _log_access(self, actor: Actor, action: str, at: str, record: int | None, case: str | None) -> None:
        """Append one access-log entry. Call inside a write transaction."""
        row = self._db.execute("SELECT n, mac FROM access_log ORDER BY n DESC LIMIT 1").fetchone()
        n, prev = (int(row[0]) + 1, str(row[1])) if row else (1, _ACCESS_START)
        entry = canonical(
            {
                "n": n,
                "at": at,
                "actor": self.pseudonym(actor.subject),
                "channel": actor.channel,
                "action": action,
                "record": record,
                "case": case,
            }
        )
        self._db.execute(
            "INSERT INTO access_log (n, entry, mac) VALUES (?, ?, ?)", (n, entry, self._access_mac(prev, entry))
        )

    def access_log(
        self, *, record: int | None = None, case_ref: str | None = None, subject: str | None = None
    ) -> list[AccessEntry]:
        """The access log, oldest first: every entry, or those of one record, one case (by its
        reference) or one actor (by the subject, which is pseudonymised to look it up)."""
        case = None if case_ref is None else self.case_id(case_ref=case_ref)
        actor = None if subject is None else self.pseudonym(subject)
        with self._lock:
            rows = self._db.execute("SELECT entry FROM access_log ORDER BY n").fetchall()
        found = []
        for (text,) in rows:
            e = json.loads(text)
            entry = AccessEntry(e["n"], e["at"], e["actor"], e["channel"], e["action"], e["record"], e["case"])
            wanted = (record, case, actor)
            if all(w is None or w == v for w, v in zip(wanted, (entry.record, entry.case, entry.actor), strict=True)):
                found.append(entry)
        return found

    # --- erasure ----------------------------------------------------------------------------------

    def erase_case(
        self, *, actor: Actor, basis: str, case_ref: str | None = None, receipt: str | None = None
    ) -> Erasure:
        """Erase one case's data (AVG art. 17, or a case closed early): by its case reference, or by
        the receipt of a case recorded without one. Appends an erasure record naming the case (by
        its id), ``basis`` (why, in words, never personal data) and the actor, then destroys the
        case's key and sealed data. Erasing an erased case again appends nothing (``earlier`` names
        the first erasure); a case the store never held is :class:`AuditNotFoundError`."""
        self._require_current("an erasure")
        case = self.case_id(case_ref=case_ref, receipt=None if case_ref else receipt)
        with self._lock:
            earlier = self._db.execute("SELECT seq FROM erasures WHERE case_id = ?", (case,)).fetchone()
            held = self._db.execute("SELECT 1 FROM case_data WHERE case_id = ? LIMIT 1", (case,)).fetchone()
        if earlier is None and held is None:
            raise AuditNotFoundError(
                "the audit store holds no case data for this " + ("case reference" if case_ref else "receipt")
            )
        result = self._erase([case], actor=actor, basis=basis, reason="request", before=None)
        return dataclasses.replace(result, earlier=None if earlier is None else int(earlier[0]))

    def purge_candidates(self, before: dt.date) -> tuple[list[str], int]:
        """The cases whose last record was recorded before ``before`` and are not erased yet, and how
        many records they hold."""
        if not isinstance(before, dt.date) or isinstance(before, dt.datetime):
            raise AuditError(f"purge needs a date, not {before!r}")
        with self._lock:
            rows = self._db.execute(
                "SELECT d.case_id, COUNT(*) FROM case_data d JOIN records r ON r.seq = d.seq "
                "GROUP BY d.case_id HAVING MAX(r.recorded_at) < ? ORDER BY d.case_id",
                (before.isoformat(),),
            ).fetchall()
        return [str(r[0]) for r in rows], sum(int(r[1]) for r in rows)

    def purge(self, before: dt.date, *, actor: Actor, basis: str) -> Erasure:
        """Erase every case whose **last** record was recorded before ``before`` (a case with a
        newer decision is kept whole): the retention rule. ``basis`` names the municipality's rule
        (for example its selection list's category and term); it is kept in the erasure record.
        A second purge with the same date finds nothing and appends nothing."""
        self._require_current("an erasure")
        cases, _ = self.purge_candidates(before)
        return self._erase(cases, actor=actor, basis=basis, reason="retention", before=before)

    def _erase(self, cases: list[str], *, actor: Actor, basis: str, reason: str, before: dt.date | None) -> Erasure:
        if not isinstance(basis, str) or not basis.strip() or len(basis) > 300:
            raise AuditError(
                "an erasure needs its basis: 1 to 300 characters naming the rule or the request (no personal data)"
            )
        record: Record | None = None
        count = 0
        with self._lock:
            with self._transaction("the erasure"):
                erased = self._erased_cases()
                todo = sorted(c for c in set(cases) if c not in erased)
                if todo:
                    # One case at a time: a purge may name more cases than SQLite takes parameters.
                    count = sum(
                        int(self._db.execute("SELECT COUNT(*) FROM case_data WHERE case_id = ?", (c,)).fetchone()[0])
                        for c in todo
                    )
                    recorded_at = (
                        self._clock().astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
                    )
                    row = self._db.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
                    seq, prev = (row[0] + 1, row[1]) if row else (1, self._start()[1])
                    body = {
                        "erased": todo,
                        "records": count,
                        "reason": reason,
                        "basis": basis.strip(),
                        "before": None if before is None else before.isoformat(),
                        "actor": self.pseudonym(actor.subject),
                        "channel": actor.channel,
                        "access_log": self._access_head(),
                        "format": FORMAT,
                        "seq": seq,
                        "kind": "erasure",
                        "receipt": "",
                        "recorded_at": recorded_at,
                    }
                    text = canonical(body)
                    digest = record_hash(prev, text)
                    self._db.execute(
                        "INSERT INTO records (seq, kind, receipt, recorded_at, body, prev_hash, hash)"
                        " VALUES (?, 'erasure', '', ?, ?, ?, ?)",
                        (seq, recorded_at, text, prev, digest),
                    )
                    self._db.executemany("INSERT INTO erasures (case_id, seq) VALUES (?, ?)", [(c, seq) for c in todo])
                    self._db.executemany("DELETE FROM case_keys WHERE case_id = ?", [(c,) for c in todo])
                    self._db.executemany("DELETE FROM case_data WHERE case_id = ?", [(c,) for c in todo])
                    record = Record(seq, "erasure", "", recorded_at, json.loads(text), prev, digest)
            if record is not None:
                self._checkpoint_head()
            cleared = self._clear_wal()
        return Erasure(len(todo), count, record, cleared)

    def _clear_wal(self) -> bool:
        """Copy the write-ahead log into the database and truncate it to nothing, so that no page
        image from before an erasure remains in it; False when a reader kept it from completing.
        Call with ``self._lock`` held."""
        try:
            busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as err:
            _log.warning("event='audit_wal_checkpoint_failed' error=%r", getattr(err, "sqlite_errorname", ""))
            return False
        return int(busy) == 0

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM records").fetchone()[0])

    def head(self) -> tuple[int, str]:
        """The number of records and the hash of the last one (the genesis record's when empty)."""
        with self._lock:
            row = self._db.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
            return (int(row[0]), str(row[1])) if row else (0, self._start()[1])

    def policy_snapshot(self, set_id: str) -> PolicySnapshot:
        """The policy files of a stored policy set, checked against their hashes."""
        with self._lock:
            row = self._db.execute("SELECT body FROM policy_sets WHERE id = ?", (set_id,)).fetchone()
            if row is None:
                raise AuditNotFoundError(f"no policy set {set_id[:16]} in the audit store")
            manifest = json.loads(row[0])
            files: dict[str, str] = {}
            for rel, sha in manifest["files"].items():
                found = self._db.execute("SELECT text FROM policy_files WHERE sha256 = ?", (sha,)).fetchone()
                if found is None or hashlib.sha256(found[0].encode("utf-8")).hexdigest() != sha:
                    raise AuditError(f"policy file {rel} of set {set_id[:16]} is missing or altered")
                files[rel] = found[0]
        snapshot = PolicySnapshot(files, manifest["municipality"])
        if snapshot.id != set_id:
            raise AuditError(f"policy set {set_id[:16]} does not match its manifest")
        return snapshot

    def read_checkpoint(self) -> Checkpoint | None:
        try:
            data = json.loads(self.checkpoint_path.read_text(encoding="utf-8"))
            return Checkpoint(str(data["store"]), int(data["count"]), str(data["hash"]), str(data["mac"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return Checkpoint("", -1, "", "")

    # --- verification -----------------------------------------------------------------------------

    def verify(self, *, expect_head: str | None = None) -> VerifyReport:
        """Check the genesis record, the whole chain from it, the policy sets it names, and the head
        anchor; report every problem. ``expect_head`` is a head hash published earlier (``maatwerk
        audit head``): it must be in the chain."""
        problems: list[Problem] = []
        warnings: list[Problem] = []
        store, prev = self._check_genesis(problems)
        expected_seq = 1
        hashes: dict[int, str] = {0: prev}
        sets: set[str] = set()
        with self._lock:
            rows = self._rows()
        sealed: dict[int, str] = {}  # record -> the case it holds data of
        erasures: dict[int, set[str]] = {}  # erasure record -> the cases it erased
        for row in rows:
            seq, kind, receipt, recorded_at, text, prev_hash, digest = row
            where = f"record {seq}"
            if seq != expected_seq:
                problems.append(
                    Problem(where, "AUDIT_RECORD_MISSING", f"records {expected_seq}..{seq - 1} are missing (removed)")
                )
            if prev_hash != prev:
                problems.append(
                    Problem(where, "AUDIT_CHAIN_BROKEN", "its previous hash is not the hash of the record before it")
                )
            if record_hash(prev_hash, text) != digest:
                problems.append(Problem(where, "AUDIT_RECORD_ALTERED", "its content does not match its hash"))
            try:
                body = json.loads(text)
            except ValueError:
                problems.append(Problem(where, "AUDIT_RECORD_ALTERED", "its body is not JSON"))
                body = {}
            if canonical(body) != text and body:
                problems.append(Problem(where, "AUDIT_RECORD_ALTERED", "its body is not in canonical form"))
            stated = (body.get("seq"), body.get("kind"), body.get("receipt"), body.get("recorded_at"))
            if stated != (seq, kind, receipt, recorded_at):
                problems.append(
                    Problem(where, "AUDIT_RECORD_MOVED", "its columns do not match its body (moved or edited)")
                )
            if isinstance(body.get("policy_set"), str):
                sets.add(body["policy_set"])
            if isinstance(body.get("case_data"), str):
                sealed[seq] = str(body.get("case"))
            if kind == "erasure" and isinstance(body.get("erased"), list):
                erasures[seq] = {str(c) for c in body["erased"]}
            hashes[seq] = digest
            prev = digest
            expected_seq = seq + 1
        count = expected_seq - 1
        readable, erased = self._check_case_data(rows, sealed, erasures, problems)
        seen = {
            int(row[0]): body["access_log"]
            for row in rows
            if isinstance(body := _json_or_none(row[4]), dict) and isinstance(body.get("access_log"), dict)
        }
        accesses = self._check_access_log(problems, seen)
        for set_id in sorted(sets):
            try:
                self.policy_snapshot(set_id)
            except AuditError as err:
                problems.append(Problem(f"policy set {set_id[:16]}", "AUDIT_POLICY_ALTERED", err.message))
        self._check_anchor(store, count, hashes, problems, warnings)
        if expect_head is not None and expect_head not in hashes.values():
            problems.append(
                Problem("(expected head)", "AUDIT_HEAD_NOT_FOUND", "the published head hash is not in the chain")
            )
        return VerifyReport(count, prev, tuple(problems), tuple(warnings), readable, erased, accesses)

    def _check_case_data(
        self,
        rows: list[tuple[Any, ...]],
        sealed: dict[int, str],
        erasures: dict[int, set[str]],
        problems: list[Problem],
    ) -> tuple[int, int]:
        """Check each record's sealed case data against the hash in its body, without any key: it
        is there, unchanged, with its case's key; or its case was erased by an erasure record in the
        chain. Return how many records are readable and how many erased."""
        with self._lock:
            data = {
                int(seq): (str(case), hashlib.sha256(bytes(blob)).hexdigest())
                for seq, case, blob in self._db.execute("SELECT seq, case_id, sealed FROM case_data").fetchall()
            }
            keys = {str(c) for (c,) in self._db.execute("SELECT case_id FROM case_keys").fetchall()}
            erased_by = self._erased_cases()
        stated = {int(row[0]): json.loads(row[4]).get("case_data") for row in rows if int(row[0]) in sealed}
        readable = erased = 0
        for seq, case in sorted(sealed.items()):
            where = f"record {seq}"
            if case in erased_by:
                erased += 1
                if erased_by[case] <= seq:
                    problems.append(
                        Problem(where, "AUDIT_ERASURE_INVALID", "it comes after the erasure record of its case")
                    )
                continue
            found = data.get(seq)
            if found is None:
                problems.append(
                    Problem(
                        where, "AUDIT_CASE_DATA_MISSING", "its case data is gone, and no erasure record names its case"
                    )
                )
                continue
            readable += 1
            if found[0] != case or found[1] != stated.get(seq):
                problems.append(Problem(where, "AUDIT_RECORD_ALTERED", "its case data does not match its hash"))
            if case not in keys:
                problems.append(
                    Problem(
                        where, "AUDIT_CASE_KEY_MISSING", "the key of its case is gone, and no erasure record names it"
                    )
                )
        for case, seq in sorted(erased_by.items(), key=lambda item: item[1]):
            if case not in erasures.get(seq, set()):
                problems.append(
                    Problem(
                        f"case {case[:12]}",
                        "AUDIT_ERASURE_UNRECORDED",
                        f"marked erased by record {seq}, which is not an erasure record naming it",
                    )
                )
        return readable, erased

    def _check_access_log(self, problems: list[Problem], seen: Mapping[int, Mapping[str, Any]]) -> int:
        """Check the access log's HMAC chain: no entry changed, removed or moved; and that it still
        holds the entry each record saw as the log's last when it was appended (``seen``: record ->
        ``{"n", "mac"}``), so entries cut off at the end are found up to the newest record."""
        with self._lock:
            rows = self._db.execute("SELECT n, entry, mac FROM access_log ORDER BY n").fetchall()
        prev, expected = _ACCESS_START, 1
        for n, entry, mac in rows:
            try:
                stated = json.loads(entry).get("n")
            except (ValueError, AttributeError):
                stated = None
            if n != expected or stated != n or not hmac.compare_digest(str(mac), self._access_mac(prev, str(entry))):
                problems.append(
                    Problem(
                        f"access log entry {n}",
                        "AUDIT_ACCESS_LOG_ALTERED",
                        "the entry was changed, removed or moved, or made with another secret",
                    )
                )
            prev, expected = str(mac), int(n) + 1
        macs = {int(n): str(mac) for n, _, mac in rows}
        for seq, head in sorted(seen.items()):
            n = head.get("n")
            if isinstance(n, int) and n > 0 and macs.get(n) != head.get("mac"):
                problems.append(
                    Problem(
                        f"record {seq}",
                        "AUDIT_ACCESS_LOG_ALTERED",
                        f"the access log no longer holds entry {n} as this record saw it (entries were removed or changed)",
                    )
                )
        return len(rows)

    def _check_genesis(self, problems: list[Problem]) -> tuple[str, str]:
        """Check the genesis record; return the store id and the hash the first record must chain from."""
        with self._lock:
            found = self._genesis()
        if found is None:
            problems.append(
                Problem(
                    "genesis",
                    "AUDIT_GENESIS_MISSING",
                    "the store has no genesis record: it was emptied or replaced (or made before maatwerk kept one)",
                )
            )
            return "", GENESIS
        text, digest = found
        try:
            body = json.loads(text)
            store, mac = str(body["store"]), str(body["mac"])
        except (ValueError, TypeError, KeyError):
            problems.append(Problem("genesis", "AUDIT_GENESIS_ALTERED", "the genesis record is not readable"))
            return "", digest
        if record_hash(GENESIS, text) != digest:
            problems.append(Problem("genesis", "AUDIT_GENESIS_ALTERED", "its content does not match its hash"))
        elif not hmac.compare_digest(mac, self._genesis_mac(store)):
            problems.append(
                Problem(
                    "genesis",
                    "AUDIT_GENESIS_FOREIGN",
                    "the genesis record was not made with this secret: another store, or another secret",
                )
            )
        return store, digest

    def _check_anchor(
        self, store: str, count: int, hashes: dict[int, str], problems: list[Problem], warnings: list[Problem]
    ) -> None:
        """Compare the store (its id, ``count`` records, their ``hashes``) with the head anchor."""
        where = str(self.checkpoint_path)
        checkpoint = self.read_checkpoint()
        if checkpoint is None:
            problems.append(
                Problem(
                    where, "AUDIT_CHECKPOINT_MISSING", "the head anchor is missing: a cut-off end cannot be ruled out"
                )
            )
        elif not hmac.compare_digest(checkpoint.mac, self._mac(checkpoint.store, checkpoint.count, checkpoint.hash)):
            problems.append(
                Problem(
                    where,
                    "AUDIT_CHECKPOINT_INVALID",
                    "the head anchor is unreadable or its MAC is wrong (forged, or another secret)",
                )
            )
        elif checkpoint.store != store:
            problems.append(
                Problem(
                    where,
                    "AUDIT_STORE_SWAPPED",
                    f"the head anchor belongs to store {checkpoint.store[:12] or '(none)'}, "
                    f"this store is {store[:12] or '(no genesis)'}: the store was swapped or recreated",
                )
            )
        elif checkpoint.count > count:
            missing = checkpoint.count - count
            problems.append(
                Problem(
                    where,
                    "AUDIT_RECORD_MISSING",
                    f"{missing} record(s) missing: the head anchor covers {checkpoint.count} records but the store "
                    f"holds {count} (records {count + 1}..{checkpoint.count} were cut off, or the store was rolled back)",
                )
            )
        elif hashes.get(checkpoint.count, GENESIS) != checkpoint.hash:
            problems.append(
                Problem(
                    where,
                    "AUDIT_CHAIN_BROKEN",
                    f"record {checkpoint.count} does not have the hash the head anchor recorded",
                )
            )
        elif checkpoint.count < count:
            warnings.append(
                Problem(
                    where,
                    "AUDIT_CHECKPOINT_BEHIND",
                    f"records {checkpoint.count + 1}..{count} came after the last anchor (an interrupted write?)",
                )
            )
