# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Where the audit store lives and where its secret comes from (shared by `serve` and `audit`).

The secret keys the caseworker pseudonyms and the checkpoint MAC. It comes from, in order:
the environment variable ``MAATWERK_AUDIT_SECRET`` (text, at least 32 characters), or a secret
file (``--secret-file``, ``MAATWERK_AUDIT_SECRET_FILE``, default ``<database>.key``). ``serve``
creates a missing secret file with 32 random bytes and mode 0600; ``audit`` never creates one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from maatwerk.audit._store import AuditError, AuditStore

__all__ = ["DEFAULT_DB", "default_db", "default_secret_file", "open_store", "read_secret"]

DEFAULT_DB = "maatwerk-audit.sqlite"


def default_db() -> str:
    return os.environ.get("MAATWERK_AUDIT_DB", DEFAULT_DB)


def default_secret_file(db: str | Path) -> Path:
    return Path(os.environ.get("MAATWERK_AUDIT_SECRET_FILE") or f"{db}.key")


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


def open_store(db: str | Path, secret_file: str | Path | None = None, *, create_secret: bool = False) -> AuditStore:
    """Open (or create) the store at ``db`` with its secret."""
    secret = read_secret(secret_file if secret_file is not None else default_secret_file(db), create=create_secret)
    return AuditStore(db, secret=secret)
