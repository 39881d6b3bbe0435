# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The audit store's base error, apart from the store so that its helpers (encryption) can raise it
without importing the store."""

from __future__ import annotations

from maatwerk.errors import MaatwerkError

__all__ = ["AuditError"]


class AuditError(MaatwerkError, RuntimeError):
    """The audit store cannot be opened or written, or a lookup found nothing."""

    code = "AUDIT_ERROR"
    hint = "Check the audit database path and its permissions; `maatwerk audit verify` checks its integrity."
