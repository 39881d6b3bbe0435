# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The audit store: recorded decisions in an append-only, hash-chained SQLite file.

The chain and its verification need the standard library only (sqlite3); the case data in it is
sealed with AES-GCM from the ``cryptography`` package (``maatwerk[audit]``, part of
``maatwerk[service]``), imported when first sealed or opened. ``import maatwerk`` imports none of
it. See docs/explanation/audit-trail.md for what is stored, why, and the limits.

For a service: open the store with :func:`open_store`, record and read through :class:`Advisor`,
and name who does it with an :class:`Actor` (the authenticated subject and the channel): each read
of case data and each record is written to the access log (:meth:`AuditStore.access_log`).
"""

from maatwerk.audit._cli import EXIT_AUDIT
from maatwerk.audit._config import (
    AuditPermissionError,
    AuditVerifyError,
    check_permissions,
    default_anchor_file,
    default_db,
    default_secret_file,
    open_store,
    read_secret,
)
from maatwerk.audit._decisions import (
    REASON_CATEGORIES,
    Advisor,
    DecisionError,
    DecisionInput,
    IdempotencyConflictError,
    ReplayResult,
    StaleAdviceError,
    advice_sha256,
    check_decision,
    is_deviation,
    replay,
    snapshot_of,
    split_personal,
    summarise,
)
from maatwerk.audit._report import (
    Period,
    learning_report,
    period_name,
    render_report,
    report_csv,
    report_rows,
    report_svg,
    vocabulary,
)
from maatwerk.audit._store import (
    AccessEntry,
    Actor,
    AuditConflictError,
    AuditErasedError,
    AuditError,
    AuditNotFoundError,
    AuditStore,
    AuditStoreFullError,
    AuditWriteError,
    Erasure,
    PolicySnapshot,
    Record,
    VerifyReport,
    canonical,
    record_hash,
)

__all__ = [
    "EXIT_AUDIT",
    "REASON_CATEGORIES",
    "AccessEntry",
    "Actor",
    "Advisor",
    "AuditConflictError",
    "AuditErasedError",
    "AuditError",
    "AuditNotFoundError",
    "AuditPermissionError",
    "AuditStore",
    "AuditStoreFullError",
    "AuditVerifyError",
    "AuditWriteError",
    "DecisionError",
    "DecisionInput",
    "Erasure",
    "IdempotencyConflictError",
    "Period",
    "PolicySnapshot",
    "Record",
    "ReplayResult",
    "StaleAdviceError",
    "VerifyReport",
    "advice_sha256",
    "canonical",
    "check_decision",
    "check_permissions",
    "default_anchor_file",
    "default_db",
    "default_secret_file",
    "is_deviation",
    "learning_report",
    "open_store",
    "period_name",
    "read_secret",
    "record_hash",
    "render_report",
    "replay",
    "report_csv",
    "report_rows",
    "report_svg",
    "snapshot_of",
    "split_personal",
    "summarise",
    "vocabulary",
]
