# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The audit store: recorded decisions in an append-only, hash-chained SQLite file.

Standard library only (sqlite3), so it is part of the core install; ``import maatwerk`` does not
import it. See docs/explanation/audit-trail.md for what is stored, why, and the limits.
"""

from maatwerk.audit._cli import EXIT_AUDIT
from maatwerk.audit._config import default_anchor_file, default_db, default_secret_file, open_store, read_secret
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
    motivation,
    record_motivation,
    replay,
    snapshot_of,
    summarise,
)
from maatwerk.audit._report import learning_report, render_report
from maatwerk.audit._store import (
    AuditConflictError,
    AuditError,
    AuditNotFoundError,
    AuditStore,
    AuditStoreFullError,
    AuditWriteError,
    PolicySnapshot,
    Record,
    VerifyReport,
    canonical,
    record_hash,
)

__all__ = [
    "EXIT_AUDIT",
    "REASON_CATEGORIES",
    "Advisor",
    "AuditConflictError",
    "AuditError",
    "AuditNotFoundError",
    "AuditStore",
    "AuditStoreFullError",
    "AuditWriteError",
    "DecisionError",
    "DecisionInput",
    "IdempotencyConflictError",
    "PolicySnapshot",
    "Record",
    "ReplayResult",
    "StaleAdviceError",
    "VerifyReport",
    "advice_sha256",
    "canonical",
    "check_decision",
    "default_anchor_file",
    "default_db",
    "default_secret_file",
    "is_deviation",
    "learning_report",
    "motivation",
    "open_store",
    "read_secret",
    "record_hash",
    "record_motivation",
    "render_report",
    "replay",
    "snapshot_of",
    "summarise",
]
