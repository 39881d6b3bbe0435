# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""A generated audit store with known decisions, for the learning report's tests (library, HTTP, page)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from maatwerk.audit import AuditStore

BENEFITS = [{"id": "nl-benefits", "version": "2013-01-01", "role": "national", "used_for": "gedrag_en_procedure"}]
PROVIDERS = [{"id": "nl-wmo2015", "version": "2015-01-01", "role": "national", "used_for": "gedrag_en_procedure"}]

# The known decisions: (day, receipt, advised measure, advised amount, decided measure, decided amount,
# reason category, cause, the municipality's role, follow-ups, measures the advice found not lawful,
# above the maximum, packs). Receipt "r1" is decided twice, differently (days 1 and 7).
DECISIONS: list[tuple[Any, ...]] = [
    ("2026-01-10", "r1", "boete", "840.00", "boete", "840.00", None, "te_late_melding", False, ["melden_makkelijker"], [], False, BENEFITS),
    ("2026-01-20", "r2", "boete", "1200.00", "boete", "900.00", "draagkracht", "persoonlijke_omstandigheden", False, [], [], False, BENEFITS),
    ("2026-02-05", "r3", "boete", "600.00", "waarschuwing", None, "rol_gemeente", "gemeentelijk_proces", True, ["procesfout_melden"], [], False, BENEFITS),
    ("2026-02-15", "r4", "waarschuwing", None, "geen_boete", None, "dringende_redenen", "persoonlijke_omstandigheden", False, [], [], False, BENEFITS),
    ("2026-04-02", "r5", "geen_boete", None, "boete", "500.00", "anders", "onduidelijk", False, ["uitleg_plicht"], ["boete"], False, BENEFITS),
    ("2026-04-03", "r6", "boete", "400.00", "boete", "3000.00", "fout_in_advies", "bewust_verzwegen", False, [], [], True, BENEFITS),
    ("2026-04-10", "r1", "boete", "840.00", "waarschuwing", None, "nieuwe_feiten", "te_late_melding", False, ["melden_makkelijker"], [], False, BENEFITS),
    ("2026-05-01", "r8", "verbeterplan", None, "aanwijzing", None, "beleid_past_niet", "gemeentelijke_inkoop", True, ["inkoop_verbeteren"], [], False, PROVIDERS),
]  # fmt: skip


def generate(path: Path, secret: bytes = b"g" * 32) -> AuditStore:
    """An audit store holding DECISIONS, each recorded at noon UTC on its day, as the service records
    them in the clear (no case data: the report never reads it)."""
    now = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    store = AuditStore(path, secret=secret, clock=lambda: now[0])
    for day, receipt, a, a_amount, d, d_amount, reason, cause, role, followups, not_lawful, above, packs in DECISIONS:
        now[0] = dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.UTC)
        store.append(
            "decision",
            receipt.ljust(64, "0"),
            {
                "packs": packs,
                "advised": {
                    "measure": a,
                    "amount": a_amount,
                    "cause_category": cause,
                    "municipality_role": role,
                    "followups": followups,
                    "not_lawful": not_lawful,
                },
                "decision": {
                    "measure": d,
                    "amount": d_amount,
                    "deviation": (a, a_amount) != (d, d_amount),
                    "reason_category": reason,
                    "above_maximum": above,
                },
                "caseworker": "pseudoniem-1",
            },
        )
    return store
