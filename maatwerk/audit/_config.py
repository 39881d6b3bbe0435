# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Where the audit store lives and where its secret comes from (shared by `serve` and `audit`).

The secret keys the caseworker pseudonyms and the checkpoint MAC. It comes from, in order:
the environment variable ``MAATWERK_AUDIT_SECRET`` (text, at least 32 characters), or a secret
file (``--secret-file``, ``MAATWERK_AUDIT_SECRET_FILE``, default ``<database>.key``). ``serve``
creates a missing secret file with 32 random bytes and mode 0600; ``audit`` never creates one.

The head anchor (the store's id, record count and last hash, with an HMAC) is kept outside the
database: ``MAATWERK_AUDIT_ANCHOR_FILE``, or beside the secret file as ``<database name>.head``. So
whoever can replace the database's folder cannot also roll the anchor back, unless the secret's
folder is theirs too. :func:`open_store` verifies the store before it is used, and refuses a
damaged one (:class:`AuditVerifyError`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from maatwerk.audit._store import AuditError, AuditStore

__all__ = [
    "DEFAULT_DB",
    "AuditVerifyError",
    "default_anchor_file",
    "default_db",
    "default_secret_file",
    "open_store",
    "read_secret",
]

DEFAULT_DB = "maatwerk-audit.sqlite"


def default_db() -> str:
    return os.environ.get("MAATWERK_AUDIT_DB", DEFAULT_DB)


def default_secret_file(db: str | Path) -> Path:
    return Path(os.environ.get("MAATWERK_AUDIT_SECRET_FILE") or f"{db}.key")


def default_anchor_file(db: str | Path, secret_file: str | Path) -> Path:
    """Where the head anchor of the store at ``db`` is kept: ``$MAATWERK_AUDIT_ANCHOR_FILE``, or
    beside the secret file (``<secret folder>/<database name>.head``), not beside the database."""
    env = os.environ.get("MAATWERK_AUDIT_ANCHOR_FILE")
    return Path(env) if env else Path(secret_file).parent / f"{Path(db).name}.head"


class AuditVerifyError(AuditError):
    """The audit store failed verification when it was opened: it is not used."""

    code = "AUDIT_STORE_DAMAGED"
    hint = (
        "Run `maatwerk audit verify` for every problem. Restore the store from a backup that verifies; "
        "never write to a store that does not (docs/explanation/audit-trail.md)."
    )


def read_secret(secret_file: str | Path, *, create: bool) -> bytes:
    """The audit secret from the environment or ``secret_file`` (created when ``create``)."""
    env = os.environ.get("MAATWERK_AUDIT_SECRET")
    if env is not None:
        if len(env) < 32:
            raise AuditError("MAATWERK_AUDIT_SECRET is shorter than 32 characters")
        return env.encode("utf-8")
    path = Path(secret_file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise AuditError(
                f"no audit secret: {path} does not exist",
                hint="Pass --secret-file with the secret the service used, or set MAATWERK_AUDIT_SECRET.",
            ) from None
        data = _create_secret(path)
    except OSError as err:
        raise AuditError(f"cannot read the audit secret {path}: {err}") from None
    data = data.strip()
    if len(data) < 32:
        raise AuditError(f"the audit secret in {path} is shorter than 32 bytes")
    return data


def _create_secret(path: Path) -> bytes:
    """A new random secret, written to ``path`` (readable by this user only, never overwritten)."""
    data = secrets.token_hex(32).encode("ascii")
    opened = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        opened = True
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as err:
        if opened:  # no half-written secret left behind, to be read later as a short one
            with contextlib.suppress(OSError):
                path.unlink()
        raise AuditError(
            f"cannot create the audit secret {path}: {err.strerror or type(err).__name__}",
            hint="Pass --secret-file with a path this user may write, or set MAATWERK_AUDIT_SECRET.",
        ) from None
    return data


def open_store(
    db: str | Path,
    secret_file: str | Path | None = None,
    *,
    create_secret: bool = False,
    anchor_file: str | Path | None = None,
    verify: bool = True,
) -> AuditStore:
    """Open (or create) the store at ``db`` with its secret and its head anchor (``anchor_file``,
    default :func:`default_anchor_file`). A new store gets its genesis record and its anchor.

    With ``verify`` (the default) the whole store is verified first, against its genesis record and
    its anchor: a store with a problem is closed and refused with :class:`AuditVerifyError`, whose
    message names the first problem and whose ``problems`` list them all. A warning (records after
    the anchor, from a write cut off between commit and anchor) does not refuse it. ``maatwerk audit``
    opens with ``verify=False``: it is how the problems are shown."""
    key = Path(secret_file) if secret_file is not None else default_secret_file(db)
    secret = read_secret(key, create=create_secret)
    anchor = Path(anchor_file) if anchor_file is not None else default_anchor_file(db, key)
    store = AuditStore(db, secret=secret, checkpoint_path=anchor)
    if verify:
        report = store.verify()
        if not report.ok:
            store.close()
            first = report.problems[0]
            more = f" (and {len(report.problems) - 1} more problem(s))" if len(report.problems) > 1 else ""
            raise AuditVerifyError(
                f"the audit store {db} failed verification and is not used: {first.where}: {first.code}: "
                f"{first.message}{more}",
                problems=report.problems,
            )
    return store
