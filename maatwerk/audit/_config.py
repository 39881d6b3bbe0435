# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Where the audit store lives and where its secret comes from (shared by `serve` and `audit`).

The secret keys the caseworker pseudonyms, the genesis record and the head anchor. It comes from, in
order: the environment variable ``MAATWERK_AUDIT_SECRET`` (text, at least 32 characters), or a
secret file (``--secret-file``, ``MAATWERK_AUDIT_SECRET_FILE``, default: in the user's config folder,
``$XDG_CONFIG_HOME/maatwerk/audit/<db name>-<hash of its path>/secret.key``, not beside the
database). ``serve`` creates a missing secret file with 32 random bytes and mode 0600 (its folder
0700); ``audit`` never creates one. A secret file that other users may read or change is refused.

The head anchor (the store's id, record count and last hash, with an HMAC) is kept outside the
database: ``MAATWERK_AUDIT_ANCHOR_FILE``, or beside the secret file as ``<database name>.head``. So
whoever can replace the database's folder cannot also roll the anchor back, unless the secret's
folder is theirs too. :func:`open_store` verifies the store before it is used, and refuses a
damaged one (:class:`AuditVerifyError`).

Before anything is opened, :func:`check_permissions` refuses a database (or its ``-wal`` and
``-shm`` files), secret or anchor that other users may read or change, and a folder holding them
that other users may write (:class:`AuditPermissionError`, with the ``chmod`` that fixes it).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
from pathlib import Path

from maatwerk.audit._store import AuditError, AuditStore

__all__ = [
    "DEFAULT_DB",
    "AuditPermissionError",
    "AuditVerifyError",
    "check_permissions",
    "config_home",
    "default_anchor_file",
    "default_db",
    "default_secret_file",
    "open_store",
    "read_secret",
]

DEFAULT_DB = "maatwerk-audit.sqlite"


def default_db() -> str:
    return os.environ.get("MAATWERK_AUDIT_DB", DEFAULT_DB)


def config_home() -> Path:
    """The user's configuration folder for maatwerk: ``$XDG_CONFIG_HOME/maatwerk`` (an absolute
    path), else ``~/.config/maatwerk``."""
    base = os.environ.get("XDG_CONFIG_HOME")
    return (Path(base) if base and Path(base).is_absolute() else Path.home() / ".config") / "maatwerk"


def default_secret_file(db: str | Path) -> Path:
    """``$MAATWERK_AUDIT_SECRET_FILE``, else a secret of its own for the database at ``db`` in the
    user's config folder (named by the database's name and a hash of its absolute path), away from
    the database and its backups."""
    env = os.environ.get("MAATWERK_AUDIT_SECRET_FILE")
    if env:
        return Path(env)
    path = Path(db)
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:12]
    return config_home() / "audit" / f"{path.name}-{digest}" / "secret.key"


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


class AuditPermissionError(AuditError):
    """A file of the audit store may be read or changed by other users: it is not opened."""

    code = "AUDIT_PERMISSIONS"


def check_permissions(db: str | Path, secret_file: str | Path | None, anchor_file: str | Path) -> None:
    """Refuse audit files that other users may read or change: the database and its ``-wal`` and
    ``-shm`` files (case data, even sealed, and the wrapped case keys), the secret (it unwraps every
    case key) and the anchor; and the folders holding them when other users may write there (they
    could swap or delete the files). Files that do not exist yet are created 0600 in 0700 folders.
    The database's folder may be listed by others (a service's state folder often is): a listing
    shows names, never contents."""
    files = [Path(db), Path(f"{db}-wal"), Path(f"{db}-shm"), Path(anchor_file)]
    if secret_file is not None:
        files.append(Path(secret_file))
    checked: set[Path] = set()
    for path in files:
        for target, mask, allowed in ((path, 0o077, "600"), (path.parent, 0o022, "go-w")):
            if target in checked:
                continue
            checked.add(target)
            try:
                mode = stat.S_IMODE(target.stat().st_mode)
            except FileNotFoundError:
                continue
            except OSError as err:
                raise AuditPermissionError(f"cannot check the permissions of {target}: {err.strerror}") from None
            if mode & mask:
                what = "read or changed by" if target is path else "written by"
                raise AuditPermissionError(
                    f"{target} may be {what} other users (mode {mode:o}): the audit store holds personal data",
                    hint=f"Make it this user's only: chmod {allowed} {target}"
                    + ("" if target is path else " (or move the audit files to a folder of the service's own)"),
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
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise AuditError(
                f"the audit secret {path} may be read or changed by other users (mode {mode:o})",
                hint=f"Make it readable by the service's user only: chmod 600 {path}",
            )
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
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
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


def _refuse_a_secret_beside_the_database(db: str | Path, key: Path, *, given: bool) -> None:
    """A store set up before the secret moved has it as ``<db>.key``: say where it goes now, rather
    than create a second secret that cannot verify the store."""
    legacy = Path(f"{db}.key")
    chosen = given or "MAATWERK_AUDIT_SECRET" in os.environ or "MAATWERK_AUDIT_SECRET_FILE" in os.environ
    if not chosen and legacy.exists() and not key.exists():
        raise AuditError(
            f"the audit secret lies beside the database ({legacy}); it belongs in {key}",
            hint=(
                f"Move {legacy} to {key} (mode 0600) and {db}.head, if there, to {key.parent}; or pass "
                f"--secret-file {legacy} to keep it where it is."
            ),
        )


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
    opens with ``verify=False``: it is how the problems are shown. Files with loose permissions are
    refused first, always (:func:`check_permissions`)."""
    key = Path(secret_file) if secret_file is not None else default_secret_file(db)
    _refuse_a_secret_beside_the_database(db, key, given=secret_file is not None)
    anchor = Path(anchor_file) if anchor_file is not None else default_anchor_file(db, key)
    check_permissions(db, None if "MAATWERK_AUDIT_SECRET" in os.environ else key, anchor)
    secret = read_secret(key, create=create_secret)
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
