# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The learning report (principle P4, "learn from what goes wrong") over recorded decisions.

Per pack version and period it counts the cause categories, how often the municipality's own role
played a part, the measures advised and decided, and how often and why caseworkers departed from
the advice. It counts categories only: the free-text reasons, the inputs and the caseworkers'
pseudonyms never appear in it, so the report holds no personal data and can go to a policy team.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

from maatwerk.audit._store import Record

__all__ = ["Period", "learning_report", "render_report"]

Period = Literal["month", "quarter", "year"]


def _period_of(recorded_at: str, period: Period) -> str:
    day = dt.datetime.fromisoformat(recorded_at.replace("Z", "+00:00")).date()
    if period == "year":
        return f"{day.year}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _packs_of(record: Record) -> str:
    return " + ".join(f"{p['id']}@{p['version']}" for p in record.body.get("packs", []))


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def learning_report(
    records: Iterable[Record],
    *,
    period: Period = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[str, Any]:
    """The report as JSON-ready data: one group per (pack versions, period), in order, over the
    decisions recorded from ``start`` to ``end`` (both included). A ``start`` after ``end`` is a
    :class:`ValueError`, not an empty report."""
    if start is not None and end is not None and start > end:
        raise ValueError(f"the report's first day {start} lies after its last day {end}")
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        if record.kind != "decision":
            continue
        day = dt.datetime.fromisoformat(record.recorded_at.replace("Z", "+00:00")).date()
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        key = (_packs_of(record), _period_of(record.recorded_at, period))
        g = groups.setdefault(
            key,
            {
                "decisions": 0,
                "causes": Counter(),
                "municipality_role": 0,
                "advised": Counter(),
                "decided": Counter(),
                "deviations": 0,
                "deviation_reasons": Counter(),
                "deviation_paths": Counter(),
            },
        )
        advised = record.body.get("advised", {})
        decision = record.body.get("decision", {})
        g["decisions"] += 1
        g["causes"][advised.get("cause_category") or "onbekend"] += 1
        g["municipality_role"] += bool(advised.get("municipality_role"))
        g["advised"][advised.get("measure", "onbekend")] += 1
        g["decided"][decision.get("measure", "onbekend")] += 1
        if decision.get("deviation"):
            g["deviations"] += 1
            g["deviation_reasons"][decision.get("reason_category") or "onbekend"] += 1
            g["deviation_paths"][f"{advised.get('measure')} -> {decision.get('measure')}"] += 1
    out = []
    for (packs, label), g in sorted(groups.items()):
        n = g["decisions"]
        out.append(
            {
                "packs": packs,
                "period": label,
                "decisions": n,
                "cause_categories": _sorted(g["causes"]),
                "municipality_role": {"count": g["municipality_role"], "share": round(g["municipality_role"] / n, 3)},
                "measures_advised": _sorted(g["advised"]),
                "measures_decided": _sorted(g["decided"]),
                "deviations": {
                    "count": g["deviations"],
                    "share": round(g["deviations"] / n, 3),
                    "reasons": _sorted(g["deviation_reasons"]),
                    "from_to": _sorted(g["deviation_paths"]),
                },
            }
        )
    return {
        "period": period,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "groups": out,
    }


_T = {
    "nl": {
        "title": "Leerrapport (P4: leren van wat misgaat)",
        "none": "Nog geen vastgelegde besluiten in deze periode.",
        "decisions": "besluiten",
        "causes": "Oorzaken",
        "role": "Rol van de gemeente speelde mee",
        "advised": "Geadviseerd",
        "decided": "Besloten",
        "deviations": "Afgeweken van het advies",
        "reasons": "Redenen",
        "paths": "Van advies naar besluit",
    },
    "en": {
        "title": "Learning report (P4: learn from what goes wrong)",
        "none": "No recorded decisions in this period yet.",
        "decisions": "decisions",
        "causes": "Causes",
        "role": "The municipality's own role played a part",
        "advised": "Advised",
        "decided": "Decided",
        "deviations": "Departed from the advice",
        "reasons": "Reasons",
        "paths": "From advice to decision",
    },
}


def render_report(report: dict[str, Any], lang: str = "nl") -> str:
    """The report as plain text."""
    t = _T["en" if lang == "en" else "nl"]
    lines = [t["title"], "=" * 60]
    if not report["groups"]:
        lines.append(t["none"])
    for g in report["groups"]:

        def counts(title: str, data: dict[str, int]) -> None:
            lines.append(f"  {title}: " + (", ".join(f"{k} {v}" for k, v in data.items()) or "-"))

        lines.extend(["", f"{g['period']}  {g['packs']}  ({g['decisions']} {t['decisions']})"])
        counts(t["causes"], g["cause_categories"])
        role = g["municipality_role"]
        lines.append(f"  {t['role']}: {role['count']} ({role['share']:.0%})")
        counts(t["advised"], g["measures_advised"])
        counts(t["decided"], g["measures_decided"])
        dev = g["deviations"]
        lines.append(f"  {t['deviations']}: {dev['count']} ({dev['share']:.0%})")
        if dev["count"]:
            counts("  " + t["reasons"], dev["reasons"])
            counts("  " + t["paths"], dev["from_to"])
    return "\n".join(lines) + "\n"
