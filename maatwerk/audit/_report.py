# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The learning report (principle P4, "learn from what goes wrong") over recorded decisions.

Over a chosen period it gives, per period (month, quarter or year) and pack versions: the cause
categories, how often the municipality's own role played a part and the follow-ups that led to, the
measures advised and decided, and how often, why and how far caseworkers departed from the advice
(in euros, and in steps of the pack's measure order, lightest first). It flags decisions that should
not stand: a measure the advice found not lawful, a fine above the statutory maximum, and the same
facts (the same receipt: the same input under the same packs) decided differently.

It reads only what a record keeps in the clear: the free-text reasons, the inputs and the
caseworkers' pseudonyms never appear in it, so the report holds no personal data and can go to a
policy team. A decision is named by its record number only (a team lead may open it).

Words: the report carries ids; :func:`vocabulary` gives their names from the packs (measures in the
pack's order, causes by the reason of the rule that sets them, follow-ups by their text), and the
page, the CSV (:func:`report_csv`) and the chart (:func:`report_svg`) show the names. The report's
own words (its headings, the names of the flags and of the reasons to depart, the CSV's columns, the
chart's title and description, the months) are the message catalogue's (``maatwerk/_texts/ui.yaml``,
namespace ``report``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal
from xml.sax.saxutils import escape

from maatwerk._format import eur
from maatwerk._texts import LANGUAGES, say
from maatwerk.audit._store import Record

__all__ = [
    "Period",
    "learning_report",
    "period_name",
    "render_report",
    "report_csv",
    "report_rows",
    "report_svg",
    "vocabulary",
]

Period = Literal["month", "quarter", "year"]
Lang = Literal["nl", "en"]
#: At most this many periods are shown in a trend (a longer range is cut at its start).
MAX_PERIODS = 240

#: The reason categories of a departure (the decision model's), each with its message id.
_REASONS = {
    "dringende_redenen": "report.reason.dringende_redenen",
    "draagkracht": "report.reason.draagkracht",
    "rol_gemeente": "report.reason.rol_gemeente",
    "nieuwe_feiten": "report.reason.nieuwe_feiten",
    "beleid_past_niet": "report.reason.beleid_past_niet",
    "fout_in_advies": "report.reason.fout_in_advies",
    "anders": "report.reason.anders",
}
#: The id of a measure, cause or reason a record does not name (shown as the catalogue's report.unknown).
UNKNOWN = "onbekend"
#: The kinds of flags, each with its message id.
_FLAGS = {
    "not_lawful": "report.flag.not_lawful",
    "above_maximum": "report.flag.above_maximum",
    "inconsistent": "report.flag.inconsistent",
}


def _in_words(ids: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Each key with its message in both languages."""
    return {key: {lang: say(message, lang) for lang in LANGUAGES} for key, message in ids.items()}


# --- words from the packs -------------------------------------------------------------------------


def _reason_words(policies: Any, version: Any, rule_id: str) -> dict[str, str]:
    """A rule's reason as an advice says it, with the parameters it names (if any) as they are on the
    first day of the pack version that has the rule."""
    from maatwerk._advice.memo import reason

    pack = version.file.pack
    written = next(r for r in version.file.rules if r.id == rule_id).reason
    if "{" not in written.nl + written.en:
        return {"nl": written.nl, "en": written.en}
    national_id = pack.base if pack.layer == "municipal" else version.id
    laws = policies.packs[national_id][0].file.pack.laws
    day = version.valid_from
    stack = policies.select(pack.domain, pack.municipality, day, day, laws[0] if laws else None).decision
    words = reason(stack, stack.rules_by_id[rule_id], stack.resolve_params(day, day, day))
    return {"nl": words["nl"], "en": words["en"]}


def vocabulary(engine: Any) -> dict[str, Any]:
    """The names the report shows, from the packs ``engine`` loaded: per domain the measures in the
    national pack's order (lightest first) with their labels; the cause categories by the reason of
    the rule that sets them; the follow-ups by their text; the reason categories and flags."""
    measures: dict[str, dict[str, dict[str, str]]] = {}
    causes: dict[str, dict[str, str]] = {}
    followups: dict[str, dict[str, str]] = {}
    for versions in engine.policies.packs.values():
        for version in sorted(versions, key=lambda v: v.valid_from, reverse=True):  # the newest names win
            file = version.file
            verdict = getattr(file, "verdict", None)
            if verdict is not None and verdict.measures:
                named = measures.setdefault(file.pack.domain, {})
                for ident, measure in verdict.measures.items():
                    named.setdefault(ident, {"nl": measure.label.nl, "en": measure.label.en})
            for ident, followup in file.followups.items():
                followups.setdefault(ident, {"nl": followup.text.nl, "en": followup.text.en})
            for rule in file.rules:
                cause = rule.then.set.get("cause_category") if rule.then is not None else None
                if isinstance(cause, str) and rule.reason is not None and cause not in causes:
                    causes[cause] = _reason_words(engine.policies, version, rule.id)
    return {
        "measures": {d: {k: v for k, v in m.items() if k != "beslissing_nodig"} for d, m in sorted(measures.items())},
        "decision_needed": next(
            (
                {"nl": m["beslissing_nodig"]["nl"], "en": m["beslissing_nodig"]["en"]}
                for m in measures.values()
                if "beslissing_nodig" in m
            ),
            {lang: say("report.decision_needed", lang) for lang in LANGUAGES},
        ),
        "causes": dict(sorted(causes.items())),
        "followups": dict(sorted(followups.items())),
        "reasons": _in_words(_REASONS),
        "flags": _in_words(_FLAGS),
    }


# --- one decision as a row ------------------------------------------------------------------------


def _day(recorded_at: str) -> dt.date:
    return dt.datetime.fromisoformat(recorded_at.replace("Z", "+00:00")).date()


def _period_of(day: dt.date, period: Period) -> str:
    if period == "year":
        return f"{day.year}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _next_period(label: str, period: Period) -> str:
    if period == "year":
        return str(int(label) + 1)
    year, part = label.split("-")
    n, last = (int(part[1:]), 4) if period == "quarter" else (int(part), 12)
    y, n = (int(year) + 1, 1) if n == last else (int(year), n + 1)
    return f"{y}-Q{n}" if period == "quarter" else f"{y}-{n:02d}"


def _packs_of(record: Record) -> str:
    return " + ".join(f"{p['id']}@{p['version']}" for p in record.body.get("packs", []))


def _money(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _scale_of(measures: Mapping[str, Mapping[str, Any]], *kinds: str) -> list[str] | None:
    """The measure order (lightest first) of the domain whose measures hold all of ``kinds``."""
    for named in measures.values():
        order = list(named)
        if all(k in order for k in kinds):
            return order
    return None


def _row(record: Record, period: Period, measures: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """What the report reads from one decision record."""
    advised = record.body.get("advised") or {}
    decision = record.body.get("decision") or {}
    day = _day(record.recorded_at)
    a_measure, d_measure = str(advised.get("measure", UNKNOWN)), str(decision.get("measure", UNKNOWN))
    a_amount, d_amount = _money(advised.get("amount")), _money(decision.get("amount"))
    departed = bool(decision.get("deviation"))
    steps: int | None = None
    direction: str | None = None
    euros: Decimal | None = None
    if departed:
        scale = _scale_of(measures, a_measure, d_measure)
        if a_measure == d_measure:
            steps, direction = 0, "same_measure"
        elif scale is not None:
            steps = scale.index(d_measure) - scale.index(a_measure)
            direction = "lighter" if steps < 0 else "heavier"
        if a_amount is not None or d_amount is not None:
            euros = (d_amount or Decimal(0)) - (a_amount or Decimal(0))
    flags = []
    if d_measure in (advised.get("not_lawful") or ()):
        flags.append("not_lawful")
    if decision.get("above_maximum"):
        flags.append("above_maximum")
    return {
        "record": record.seq,
        "receipt": record.receipt,
        "day": day.isoformat(),
        "period": _period_of(day, period),
        "packs": _packs_of(record),
        "advised": a_measure,
        "advised_amount": _text(a_amount),
        "decided": d_measure,
        "decided_amount": _text(d_amount),
        "departure": departed,
        "reason_category": decision.get("reason_category") if departed else None,
        "direction": direction,
        "steps": steps,
        "euro_difference": _text(euros),
        "cause": advised.get("cause_category") or UNKNOWN,
        "municipality_role": bool(advised.get("municipality_role")),
        "followups": list(advised.get("followups") or ()),
        "flags": flags,
    }


def _flag_inconsistent(rows: list[dict[str, Any]]) -> None:
    """Flag each decision whose receipt (the same input under the same packs) was decided otherwise too."""
    outcomes: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for row in rows:
        outcomes[row["receipt"]].add((row["decided"], row["decided_amount"]))
    for row in rows:
        if len(outcomes[row["receipt"]]) > 1:
            row["flags"].append("inconsistent")


# --- the report -----------------------------------------------------------------------------------


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _money_sums(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The fines advised and decided, and how much lower (and higher) the decided amounts were."""
    advised = sum((Decimal(r["advised_amount"]) for r in rows if r["advised_amount"]), Decimal(0))
    decided = sum((Decimal(r["decided_amount"]) for r in rows if r["decided_amount"]), Decimal(0))
    lower = [Decimal(r["euro_difference"]) for r in rows if r["euro_difference"] and Decimal(r["euro_difference"]) < 0]
    higher = [Decimal(r["euro_difference"]) for r in rows if r["euro_difference"] and Decimal(r["euro_difference"]) > 0]
    return {
        "advised_total": f"{advised:.2f}",
        "decided_total": f"{decided:.2f}",
        "lower": {"count": len(lower), "total": f"{-sum(lower, Decimal(0)):.2f}"},
        "higher": {"count": len(higher), "total": f"{sum(higher, Decimal(0)):.2f}"},
    }


def _group(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    departures = [r for r in rows if r["departure"]]
    role = sum(r["municipality_role"] for r in rows)
    return {
        "decisions": n,
        "cause_categories": _sorted(Counter(r["cause"] for r in rows)),
        "municipality_role": {"count": role, "share": _share(role, n)},
        "measures_advised": _sorted(Counter(r["advised"] for r in rows)),
        "measures_decided": _sorted(Counter(r["decided"] for r in rows)),
        "deviations": {
            "count": len(departures),
            "share": _share(len(departures), n),
            "reasons": _sorted(Counter(r["reason_category"] or UNKNOWN for r in departures)),
            "from_to": _sorted(Counter(f"{r['advised']} -> {r['decided']}" for r in departures)),
            "lighter": sum(r["direction"] == "lighter" for r in departures),
            "heavier": sum(r["direction"] == "heavier" for r in departures),
            "same_measure": sum(r["direction"] == "same_measure" for r in departures),
            "steps": {str(k): v for k, v in sorted(Counter(r["steps"] for r in departures if r["steps"]).items())},
        },
        "amounts": _money_sums(rows),
        "flagged": sum(bool(r["flags"]) for r in rows),
    }


def _causes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per cause: how many decisions, in how many the municipality's own role played a part, and the
    follow-ups the advice proposed (overall and where the municipality's role played a part)."""
    out = []
    for cause, n in _sorted(Counter(r["cause"] for r in rows)).items():
        mine = [r for r in rows if r["cause"] == cause]
        out.append(
            {
                "cause": cause,
                "decisions": n,
                "municipality_role": sum(r["municipality_role"] for r in mine),
                "followups": _sorted(Counter(f for r in mine for f in r["followups"])),
                "followups_with_role": _sorted(
                    Counter(f for r in mine if r["municipality_role"] for f in r["followups"])
                ),
            }
        )
    return out


def _trend(rows: list[dict[str, Any]], period: Period, start: dt.date | None, end: dt.date | None) -> list[Any]:
    """One entry per period from the first to the last (or the chosen days), empty periods included."""
    by_period: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_period[row["period"]].append(row)
    first = _period_of(start, period) if start is not None else min(by_period, default=None)
    last = _period_of(end, period) if end is not None else max(by_period, default=None)
    if first is None or last is None:
        return []
    labels = [first]
    while labels[-1] < last:
        labels.append(_next_period(labels[-1], period))
    labels = labels[-MAX_PERIODS:]
    out = []
    for label in labels:
        mine = by_period.get(label, [])
        sums = _money_sums(mine)
        out.append(
            {
                "period": label,
                "decisions": len(mine),
                "departures": sum(r["departure"] for r in mine),
                "lighter": sum(r["direction"] == "lighter" for r in mine),
                "heavier": sum(r["direction"] == "heavier" for r in mine),
                "municipality_role": sum(r["municipality_role"] for r in mine),
                "flagged": sum(bool(r["flags"]) for r in mine),
                "advised_total": sums["advised_total"],
                "decided_total": sums["decided_total"],
                "lower_total": sums["lower"]["total"],
            }
        )
    return out


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("receipt",)}


def _rows_in(
    records: Iterable[Record],
    period: Period,
    start: dt.date | None,
    end: dt.date | None,
    names: Mapping[str, Any] | None,
) -> list[dict[str, Any]]:
    """The decisions recorded from ``start`` to ``end`` as rows, flagged against every decision."""
    if start is not None and end is not None and start > end:
        raise ValueError(f"the report's first day {start} lies after its last day {end}")
    measures: Mapping[str, Mapping[str, Any]] = (names or {}).get("measures", {})
    every = [_row(r, period, measures) for r in records if r.kind == "decision"]
    _flag_inconsistent(every)  # against every decision: the other one may lie outside the period
    first, last = (None if d is None else d.isoformat() for d in (start, end))
    return [r for r in every if (first is None or r["day"] >= first) and (last is None or r["day"] <= last)]


def learning_report(
    records: Iterable[Record],
    *,
    period: Period = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
    names: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The report as JSON-ready data over the decisions recorded from ``start`` to ``end`` (both
    included; days in UTC): ``groups`` per (pack versions, period), ``trend`` per period (empty
    periods included), ``totals``, ``causes`` with the municipality's role and follow-ups,
    ``departures`` and ``flagged`` decisions (by record number), and ``names`` (``vocabulary``, when
    ``names`` is given: the measure order for the steps comes from it). A ``start`` after ``end`` is
    a :class:`ValueError`, not an empty report."""
    rows = _rows_in(records, period, start, end, names)
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[(row["packs"], row["period"])].append(row)
    groups = [{"packs": packs, "period": label, **_group(mine)} for (packs, label), mine in sorted(grouped.items())]
    report: dict[str, Any] = {
        "period": period,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "totals": _group(rows),
        "trend": _trend(rows, period, start, end),
        "causes": _causes(rows),
        "departures": [_public(r) for r in rows if r["departure"]],
        "flagged": [_public(r) for r in rows if r["flags"]],
        "groups": groups,
    }
    if names is not None:
        report["names"] = dict(names)
    return report


def report_rows(
    records: Iterable[Record],
    *,
    period: Period = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
    names: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Every decision of the report's period as a row (what the CSV export holds), oldest first."""
    return [_public(r) for r in _rows_in(records, period, start, end, names)]


# --- words ----------------------------------------------------------------------------------------


def _name(names: Mapping[str, Any], kind: str, ident: str | None, lang: Lang) -> str:
    """An id in words: a measure (any domain), a cause, a follow-up, a reason or a flag."""
    if ident is None:
        return ""
    if kind == "measures":
        if ident == "beslissing_nodig":
            return str(names.get("decision_needed", {}).get(lang, ident))
        for named in names.get("measures", {}).values():
            if ident in named:
                return str(named[ident][lang])
    else:
        found = names.get(kind, {}).get(ident)
        if found is not None:
            return str(found[lang])
    return say("report.unknown", lang) if ident == UNKNOWN else ident.replace("_", " ")


def _csv_head(lang: Lang) -> dict[str, str]:
    """The CSV's columns (the row's keys, in order) with their headings."""
    return {
        "record": say("report.csv.record", lang),
        "day": say("report.csv.day", lang),
        "period": say("report.csv.period", lang),
        "advised": say("report.csv.advised", lang),
        "advised_amount": say("report.csv.advised_amount", lang),
        "decided": say("report.csv.decided", lang),
        "decided_amount": say("report.csv.decided_amount", lang),
        "departure": say("report.csv.departure", lang),
        "reason_category": say("report.csv.reason_category", lang),
        "direction": say("report.csv.direction", lang),
        "steps": say("report.csv.steps", lang),
        "euro_difference": say("report.csv.euro_difference", lang),
        "cause": say("report.csv.cause", lang),
        "municipality_role": say("report.csv.municipality_role", lang),
        "followups": say("report.csv.followups", lang),
        "flags": say("report.csv.flags", lang),
        "packs": say("report.csv.packs", lang),
    }


def _cell(value: str) -> str:
    """A text cell a spreadsheet never reads as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def report_csv(rows: Sequence[Mapping[str, Any]], names: Mapping[str, Any], lang: Lang = "nl") -> str:
    """The rows as CSV for a spreadsheet: in Dutch with ``;`` between cells and a decimal comma (as a
    Dutch spreadsheet reads it), in English with ``,`` and a decimal point; words, not codes."""
    head = _csv_head(lang)
    yes, no = say("report.word.yes", lang), say("report.word.no", lang)
    directions = {
        "lighter": say("report.word.lighter", lang),
        "heavier": say("report.word.heavier", lang),
        "same_measure": say("report.word.same_measure", lang),
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "nl" else ",", lineterminator="\r\n")
    writer.writerow(list(head.values()))

    def amount(value: str | None) -> str:
        return "" if value is None else (value.replace(".", ",") if lang == "nl" else value)

    for r in rows:
        cells = {
            "record": str(r["record"]),
            "day": r["day"],
            "period": r["period"],
            "advised": _cell(_name(names, "measures", r["advised"], lang)),
            "advised_amount": amount(r["advised_amount"]),
            "decided": _cell(_name(names, "measures", r["decided"], lang)),
            "decided_amount": amount(r["decided_amount"]),
            "departure": yes if r["departure"] else no,
            "reason_category": _cell(_name(names, "reasons", r["reason_category"], lang)),
            "direction": directions.get(r["direction"] or "", ""),
            "steps": "" if r["steps"] is None else str(r["steps"]),
            "euro_difference": amount(r["euro_difference"]),
            "cause": _cell(_name(names, "causes", r["cause"], lang)),
            "municipality_role": yes if r["municipality_role"] else no,
            "followups": _cell(" | ".join(_name(names, "followups", f, lang) for f in r["followups"])),
            "flags": _cell(" | ".join(_name(names, "flags", f, lang) for f in r["flags"])),
            "packs": _cell(r["packs"]),
        }
        writer.writerow([cells[k] for k in head])
    return out.getvalue()


# --- the chart ------------------------------------------------------------------------------------

#: The months' message ids, January first.
_MONTHS = (
    "report.month.01",
    "report.month.02",
    "report.month.03",
    "report.month.04",
    "report.month.05",
    "report.month.06",
    "report.month.07",
    "report.month.08",
    "report.month.09",
    "report.month.10",
    "report.month.11",
    "report.month.12",
)


def period_name(label: str, lang: Lang = "nl") -> str:
    """A period label in words: ``2026-03`` is "mrt 2026", ``2026-Q1`` is "K1 2026" (Q1 in English)."""
    if "-Q" in label:
        year, q = label.split("-Q")
        return f"{say('report.quarter', lang)}{q} {year}"
    if "-" in label:
        year, month = label.split("-")
        return f"{say(_MONTHS[int(month) - 1], lang)} {year}"
    return label


def _euros(amount: Decimal, lang: Lang) -> str:
    text = eur(amount)
    return text if lang == "nl" else "€ " + f"{amount:,.2f}"


def report_svg(report: Mapping[str, Any], lang: Lang = "nl") -> str:
    """The report's trend as an accessible SVG: a title and a description (with the totals), text in
    the language asked, each bar labelled with its number and told apart by pattern as well as colour
    (decisions solid, departures hatched, euros lower dotted). The page puts the same figures in a
    table beside it."""
    lower_name = say("report.chart.lower", lang)
    trend = list(report.get("trend") or [])
    totals = report.get("totals") or {}
    lower_total = Decimal(str((totals.get("amounts") or {}).get("lower", {}).get("total", "0")))
    summary = say("report.chart.summary", lang).format(
        n=totals.get("decisions", 0),
        d=(totals.get("deviations") or {}).get("count", 0),
        lower=_euros(lower_total, lang),
    )
    slot = 76
    left, top, panel, gap = 16, 96, 150, 70
    width = max(360, left + 16 + slot * len(trend))
    height = top + panel + gap + panel + 64
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title chart-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="report-chart">',
        f'<title id="chart-title">{escape(say("report.chart.title", lang))}</title>',
        f'<desc id="chart-desc">{escape(say("report.chart.desc", lang).format(summary=summary))}</desc>',
        "<defs>"
        '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="#a4001d"/></pattern>'
        '<pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="2" fill="#1d5b2a"/></pattern>'
        "</defs>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    # The legend, one line per series: a swatch with its pattern and its name in words.
    legend = [
        ("#01689b", say("report.chart.decisions", lang)),
        ("url(#hatch)", say("report.chart.departures", lang)),
        ("url(#dots)", lower_name),
    ]
    for i, (fill, name) in enumerate(legend):
        y = 8 + 22 * i
        parts.append(f'<rect x="{left}" y="{y}" width="14" height="14" fill="{fill}" stroke="#1a1a1a"/>')
        parts.append(f'<text x="{left + 20}" y="{y + 12}" font-size="13" fill="#1a1a1a">{escape(name)}</text>')
    if not trend:
        parts.append(
            f'<text x="{left}" y="{top + 40}" font-size="14" fill="#1a1a1a">{escape(say("report.chart.none", lang))}</text>'
        )
        parts.append("</svg>")
        return "\n".join(parts)
    most = max([p["decisions"] for p in trend] + [1])
    lowest = max([Decimal(p["lower_total"]) for p in trend] + [Decimal(1)])
    base1, base2 = top + panel, top + panel + gap + panel
    for y in (base1, base2):
        parts.append(f'<line x1="{left - 4}" y1="{y}" x2="{width - 8}" y2="{y}" stroke="#4a4a4a"/>')
    parts.append(f'<text x="{left}" y="{base1 + gap - 22}" font-size="13" fill="#1a1a1a">{escape(lower_name)}</text>')
    for i, p in enumerate(trend):
        x0 = left + i * slot
        for j, (value, fill) in enumerate(((p["decisions"], "#01689b"), (p["departures"], "url(#hatch)"))):
            h = round(panel * value / most)
            bx = x0 + 14 + j * 24
            parts.append(
                f'<rect x="{bx}" y="{base1 - h}" width="22" height="{h}" fill="{fill}" stroke="#1a1a1a" stroke-width="0.5"/>'
            )
            parts.append(
                f'<text x="{bx + 11}" y="{base1 - h - 4}" font-size="12" text-anchor="middle" fill="#1a1a1a">{value}</text>'
            )
        amount = Decimal(p["lower_total"])
        h = round(panel * float(amount / lowest))
        parts.append(
            f'<rect x="{x0 + 21}" y="{base2 - h}" width="34" height="{h}" fill="url(#dots)" stroke="#1a1a1a" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{x0 + 38}" y="{base2 - h - 4}" font-size="11" text-anchor="middle" fill="#1a1a1a">'
            f"{escape(f'{amount:.0f}')}</text>"
        )
        parts.append(
            f'<text x="{x0 + 38}" y="{base2 + 18}" font-size="12" text-anchor="middle" fill="#1a1a1a">'
            f"{escape(period_name(p['period'], lang))}</text>"
        )
        parts.append(
            f'<text x="{x0 + 38}" y="{base1 + 16}" font-size="12" text-anchor="middle" fill="#1a1a1a">'
            f"{escape(period_name(p['period'], lang))}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


# --- plain text (the CLI) -------------------------------------------------------------------------

#: The plain text's headings and labels, each with its message id.
_TEXT = {
    "title": "report.text.title",
    "none": "report.text.none",
    "decisions": "report.text.decisions",
    "causes": "report.text.causes",
    "role": "report.text.role",
    "advised": "report.text.advised",
    "decided": "report.text.decided",
    "deviations": "report.text.deviations",
    "reasons": "report.text.reasons",
    "paths": "report.text.paths",
    "lower": "report.text.lower",
    "flagged": "report.text.flagged",
}


def render_report(report: dict[str, Any], lang: str = "nl") -> str:
    """The report as plain text (names in words where the report carries them)."""
    code: Lang = "en" if lang == "en" else "nl"

    def t(key: str) -> str:
        return say(_TEXT[key], code)

    names = report.get("names") or {}
    lines = [t("title"), "=" * 60]
    if not report["groups"]:
        lines.append(t("none"))
    for g in report["groups"]:

        def counts(title: str, data: dict[str, int], kind: str) -> None:
            def word(key: str) -> str:
                if kind == "paths":
                    return " -> ".join(_name(names, "measures", k, code) for k in key.split(" -> "))
                return _name(names, kind, key, code)

            lines.append(f"  {title}: " + (", ".join(f"{word(k)} {v}" for k, v in data.items()) or "-"))

        lines.extend(["", f"{g['period']}  {g['packs']}  ({g['decisions']} {t('decisions')})"])
        counts(t("causes"), g["cause_categories"], "causes")
        role = g["municipality_role"]
        lines.append(f"  {t('role')}: {role['count']} ({role['share']:.0%})")
        counts(t("advised"), g["measures_advised"], "measures")
        counts(t("decided"), g["measures_decided"], "measures")
        dev = g["deviations"]
        lines.append(f"  {t('deviations')}: {dev['count']} ({dev['share']:.0%})")
        if dev["count"]:
            counts("  " + t("reasons"), dev["reasons"], "reasons")
            counts("  " + t("paths"), dev["from_to"], "paths")
        lower = g["amounts"]["lower"]
        lines.append(f"  {t('lower')}: {lower['count']} ({eur(Decimal(lower['total']))})")
        lines.append(f"  {t('flagged')}: {g['flagged']}")
    return "\n".join(lines) + "\n"
