# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The reports of ``maatwerk diff`` and ``maatwerk coverage``: a terminal table and a self-contained
HTML page (the JSON report is the model itself, :mod:`maatwerk._tools.impact`).

The HTML page loads nothing: no script, no font, no stylesheet from elsewhere. Its charts are inline
SVG, each with a title and a description for screen readers and, right below it, a table with the
same numbers. Headings are real headings, tables have captions and header cells, colours meet WCAG
2.1 AA contrast (text 4.5:1, graphics 3:1) and bars are also told apart by their label and value,
never by colour alone.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from decimal import Decimal

from maatwerk._tools.impact import CHANGE_KINDS, AmountStats, CoverageReport, DiffReport, PopulationInfo, Side
from maatwerk._version import __version__

__all__ = ["coverage_html", "coverage_text", "diff_html", "diff_text"]

OLD_COLOUR = "#01689B"  # 5.9:1 on white
NEW_COLOUR = "#8A3B00"  # 8.7:1 on white
AXIS_COLOUR = "#595959"  # 7:1 on white
CHANGE_LABELS = {
    "unchanged": "unchanged",
    "lighter": "lighter",
    "heavier": "heavier",
    "other": "other measure",
}


# --- formatting -------------------------------------------------------------------------------------


def _n(value: int) -> str:
    return f"{value:,}"


def _eur(value: Decimal | None) -> str:
    return "–" if value is None else f"€ {value:,.2f}"


def _share(part: int, whole: int) -> str:
    return "–" if whole == 0 else f"{100 * part / whole:.1f}%"


def _population(info: PopulationInfo) -> str:
    if info.source == "file":
        return f"{_n(info.size)} cases from {info.path}"
    assert info.decided_between is not None
    first, last = info.decided_between
    domains = " and ".join(info.domains)
    return f"{_n(info.size)} generated {domains} cases (seed {info.seed}), decided {first} to {last}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, indent: str = "  ") -> list[str]:
    """A plain text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(cells)]
        return indent + "  ".join(parts).rstrip()

    return [line(headers), indent + "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


# --- text -------------------------------------------------------------------------------------------


def diff_text(report: DiffReport) -> str:
    """The diff as a readable terminal report."""
    total = report.population.size
    changed = total - report.count("unchanged")
    out = [
        f"maatwerk diff: {_population(report.population)}",
        f"  old: {report.old.label} ({report.old.evaluator})",
        f"  new: {report.new.label} ({report.new.evaluator})",
        "",
        f"{_n(changed)} of {_n(total)} advices change ({_share(changed, total)}).",
        "",
        "Direction of change",
        *_table(
            ("change", "cases", "share"),
            [(CHANGE_LABELS[c.kind], _n(c.count), _share(c.count, total)) for c in report.changes],
        ),
    ]
    if report.transitions:
        out += ["", "Measure changes (before -> after)"]
        out += _table(
            ("before -> after", "cases"), [(f"{t.before} -> {t.after}", _n(t.count)) for t in report.transitions]
        )
    out += ["", "Measures"]
    kinds = sorted(set(report.old.measures) | set(report.new.measures))
    out += _table(
        ("measure", "before", "after", "change"),
        [
            (
                k,
                _n(report.old.measures.get(k, 0)),
                _n(report.new.measures.get(k, 0)),
                _signed(report.new.measures.get(k, 0) - report.old.measures.get(k, 0)),
            )
            for k in kinds
        ],
    )
    out += ["", "Fines"]
    out += _table(
        ("", "before", "after"),
        [
            ("number of fines", _n(report.old.fines), _n(report.new.fines)),
            ("total of the fines", _eur(report.old.total_fines), _eur(report.new.total_fines)),
        ],
    )
    if report.distributions:
        out += ["", "Amounts per measure and culpability level"]
        rows = []
        for d in report.distributions:
            for when, stats in (("before", d.before), ("after", d.after)):
                rows.append((f"{d.measure}, {d.culpability}, {when}", *_stats_cells(stats)))
        out += _table(("measure, level, when", "count", "lowest", "25%", "median", "75%", "highest", "total"), rows)
    out += ["", "Rules whose firing count changed"]
    if report.rules_changed:
        out += _table(
            ("rule", "pack", "before", "after", "change"),
            [(r.rule_id, r.pack, _n(r.before), _n(r.after), _signed(r.after - r.before)) for r in report.rules_changed],
        )
    else:
        out.append("  none")
    for side_name, side in (("old", report.old), ("new", report.new)):
        never = side.never_fired
        out += ["", f"Rules that never fired ({side_name}): {len(never)} of {len(side.rules)}"]
        out += [
            f"  {r.pack}: {r.rule_id}" + ("  (unreachable: see maatwerk check)" if r.unreachable else "") for r in never
        ]
    errors = {*report.old.errors, *report.new.errors}
    if errors:
        out += ["", "Cases refused"]
        out += _table(
            ("error", "before", "after"),
            [(e, _n(report.old.errors.get(e, 0)), _n(report.new.errors.get(e, 0))) for e in sorted(errors)],
        )
    if report.examples:
        out += ["", "Examples"]
        for e in report.examples:
            ref = f" ({e.case_ref})" if e.case_ref else ""
            out.append(
                f"  {CHANGE_LABELS[e.change]}: case {e.index}{ref}, culpability {e.culpability}: "
                f"{e.before} {_eur(e.before_amount)} -> {e.after} {_eur(e.after_amount)}"
            )
            if e.rules_added:
                out.append(f"      now fires: {', '.join(e.rules_added)}")
            if e.rules_removed:
                out.append(f"      no longer fires: {', '.join(e.rules_removed)}")
    return "\n".join(out) + "\n"


def _signed(value: int) -> str:
    return f"+{value:,}" if value > 0 else f"{value:,}"


def _stats_cells(stats: AmountStats | None) -> tuple[str, ...]:
    if stats is None:
        return ("0", "–", "–", "–", "–", "–", "–")
    return (
        _n(stats.count),
        _eur(stats.minimum),
        _eur(stats.p25),
        _eur(stats.median),
        _eur(stats.p75),
        _eur(stats.maximum),
        _eur(stats.total),
    )


def coverage_text(report: CoverageReport) -> str:
    """Rule coverage as a readable terminal report."""
    side = report.side
    fired = [r for r in side.rules if r.fired]
    out = [
        f"maatwerk coverage: {_population(report.population)}",
        f"  policies: {side.label}",
        f"  evaluator: {side.evaluator}",
        "",
        f"{len(fired)} of {len(side.rules)} rules fired at least once.",
        "",
        *_table(
            ("rule", "pack", "fired", "share"),
            [(r.rule_id, r.pack, _n(r.fired), _share(r.fired, report.population.size)) for r in side.rules],
        ),
        "",
        f"Never fired: {len(side.never_fired)}",
        *(
            f"  {r.pack}: {r.rule_id}"
            + ("  (unreachable: see maatwerk check)" if r.unreachable else "  (not reached by this population)")
            for r in side.never_fired
        ),
    ]
    return "\n".join(out) + "\n"


# --- HTML -------------------------------------------------------------------------------------------

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: #1a1a1a;
       background: #ffffff; margin: 0; line-height: 1.5; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header { border-bottom: 4px solid #01689B; padding-top: 1rem; }
h1 { font-size: 1.7rem; margin: 0.5rem 0; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid #bfbfbf; }
h3 { font-size: 1.1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #bfbfbf; padding: 0.25rem 0.5rem; vertical-align: top; }
th { background: #eef4f8; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; }
figcaption { font-size: 0.95rem; }
svg { max-width: 100%; height: auto; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; vertical-align: middle; margin-right: 0.3rem;
          border: 1px solid #1a1a1a; }
pre { background: #f4f4f4; padding: 0.5rem; overflow-x: auto; font-size: 0.85rem; }
details { margin: 0.25rem 0 1rem; }
summary { cursor: pointer; }
a { color: #01689B; }
.lead { font-size: 1.15rem; }
footer { margin-top: 2rem; padding-bottom: 2rem; font-size: 0.9rem; border-top: 1px solid #bfbfbf; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *, numeric_from: int = 1) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{_e(row[0])}</th>']
        cells += [
            f'<td class="num">{_e(c)}</td>' if i >= numeric_from else f"<td>{_e(c)}</td>"
            for i, c in enumerate(row[1:], 1)
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
) -> str:
    """Horizontal bars per category, one bar per series (label, values, colour), each with its value."""
    label_w, bar_w, bar_h, gap = 320, 400, 18, 10
    group_h = bar_h * len(series) + gap
    height = 20 + group_h * len(categories)
    width = label_w + bar_w + 130
    top = max([1, *(v for _, values, _ in series for v in values)])
    parts = [
        f'<svg id="{chart_id}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{_e(title)}</title><desc id="{chart_id}-d">{_e(description)}</desc>',
        f'<line x1="{label_w}" y1="10" x2="{label_w}" y2="{height - 5}" stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    for i, category in enumerate(categories):
        y0 = 15 + i * group_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y0 + group_h / 2 - gap / 2 + 4}" text-anchor="end" font-size="13" fill="#1a1a1a">{_e(_short(category))}</text>'
        )
        for j, (name, values, colour) in enumerate(series):
            value = values[i]
            w = 0 if value == 0 else max(1.0, bar_w * value / top)
            y = y0 + j * bar_h
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 3}" fill="{colour}"><title>{_e(name)}: {_n(value)}</title></rect>'
            )
            parts.append(
                f'<text x="{label_w + w + 5:.1f}" y="{y + bar_h - 6}" font-size="12" fill="#1a1a1a">{_e(name)}: {_n(value)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _diverging_chart(chart_id: str, title: str, description: str, rows: Sequence[tuple[str, int]]) -> str:
    """Bars left (fewer firings) and right (more) of a centre line; the signed value in a column on the right."""
    label_w, half, bar_h = 320, 180, 20
    height = 20 + bar_h * len(rows)
    centre = label_w + 10 + half
    value_x = centre + half + 15
    width = value_x + 70
    top = max([1, *(abs(v) for _, v in rows)])
    parts = [
        f'<svg id="{chart_id}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{_e(title)}</title><desc id="{chart_id}-d">{_e(description)}</desc>',
        f'<line x1="{centre}" y1="5" x2="{centre}" y2="{height - 5}" stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    for i, (name, value) in enumerate(rows):
        y = 10 + i * bar_h
        w = max(1.0, half * abs(value) / top)
        x = centre if value >= 0 else centre - w
        colour = NEW_COLOUR if value > 0 else OLD_COLOUR
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" font-size="12" fill="#1a1a1a">{_e(_short(name))}</text>'
        )
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h - 5}" fill="{colour}"/>')
        parts.append(
            f'<text x="{value_x}" y="{y + 14}" text-anchor="start" font-size="12" fill="#1a1a1a">{_e(_signed(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, limit: int = 44) -> str:
    """A chart label that fits its column (the table below the chart has it in full)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{_e(caption)} The table below gives the same numbers.</figcaption></figure>"


def _legend() -> str:
    return (
        '<p class="legend"><span><span class="swatch" style="background:#01689B"></span>before (old policy)</span>'
        '<span><span class="swatch" style="background:#8A3B00"></span>after (new policy)</span></p>'
    )


def _page(title: str, header: str, sections: Sequence[str]) -> str:
    stamp = f"Made by maatwerk {__version__}. This page is self-contained: it loads nothing from elsewhere."
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>{header}</header>\n<main>\n{''.join(sections)}\n</main>\n"
        f"<footer><p>{_e(stamp)}</p></footer>\n</body>\n</html>\n"
    )


def _side_list(side: Side) -> str:
    packs = "".join(f"<li><code>{_e(p)}</code></li>" for p in side.packs)
    return f"<p><strong>{_e(side.label)}</strong>, advised by the {_e(side.evaluator)}</p><ul>{packs}</ul>"


def diff_html(report: DiffReport) -> str:
    """The diff as a self-contained, accessible HTML page."""
    total = report.population.size
    changed = total - report.count("unchanged")
    header = (
        "<h1>What the policy change does</h1>"
        f'<p class="lead">{_e(_n(changed))} of {_e(_n(total))} advices change ({_e(_share(changed, total))}). '
        f"Population: {_e(_population(report.population))}.</p>"
        f"<p>Old: <code>{_e(report.old.label)}</code> ({_e(report.old.evaluator)}). "
        f"New: <code>{_e(report.new.label)}</code> ({_e(report.new.evaluator)}).</p>"
    )
    sections = []

    counts = [c.count for c in report.changes]
    labels = [CHANGE_LABELS[c.kind] for c in report.changes]
    summary = ", ".join(f"{_n(c.count)} {CHANGE_LABELS[c.kind]}" for c in report.changes)
    sections.append(
        '<section aria-labelledby="h-changes"><h2 id="h-changes">Direction of change</h2>'
        "<p>An advice is <em>lighter</em> when its measure is milder (no fine, then a warning, a conditional "
        "fine, a fine, a decision for a person, referral to the prosecutor; for providers a lower rung of the "
        "ladder) or the same measure has a lower amount; <em>heavier</em> the other way round; <em>other "
        "measure</em> when the two cannot be ordered (another instrument on the same rung, or a refused case).</p>"
        + _figure(
            _bar_chart(
                "chart-changes",
                "Advices by direction of change",
                f"Of {_n(total)} cases: {summary}.",
                labels,
                [("cases", counts, OLD_COLOUR)],
            ),
            "Chart: the number of cases per direction of change.",
        )
        + _html_table(
            "Advices by direction of change",
            ("change", "cases", "share"),
            [(CHANGE_LABELS[c.kind], _n(c.count), _share(c.count, total)) for c in report.changes],
        )
        + "</section>"
    )

    kinds = sorted(set(report.old.measures) | set(report.new.measures))
    before = [report.old.measures.get(k, 0) for k in kinds]
    after = [report.new.measures.get(k, 0) for k in kinds]
    measures = (
        '<section aria-labelledby="h-measures"><h2 id="h-measures">Measures before and after</h2>'
        + _legend()
        + _figure(
            _bar_chart(
                "chart-measures",
                "Advised measures before and after",
                "; ".join(f"{k}: {_n(b)} before, {_n(a)} after" for k, b, a in zip(kinds, before, after, strict=True)),
                kinds,
                [("before", before, OLD_COLOUR), ("after", after, NEW_COLOUR)],
            ),
            "Chart: how many cases get each measure, before and after.",
        )
        + _html_table(
            "Advised measures before and after",
            ("measure", "before", "after", "change"),
            [(k, _n(b), _n(a), _signed(a - b)) for k, b, a in zip(kinds, before, after, strict=True)],
        )
    )
    if report.transitions:
        measures += _html_table(
            "Cases whose measure changed, by measure before and after",
            ("before → after", "cases"),
            [(f"{t.before} → {t.after}", _n(t.count)) for t in report.transitions],
        )
    sections.append(measures + "</section>")

    fines = '<section aria-labelledby="h-fines"><h2 id="h-fines">Fines</h2>' + _html_table(
        "Fines before and after",
        ("", "before", "after"),
        [
            ("number of fines", _n(report.old.fines), _n(report.new.fines)),
            ("total of the fines", _eur(report.old.total_fines), _eur(report.new.total_fines)),
        ],
    )
    for i, hist in enumerate(report.histograms):
        fines += f"<h3>Fines at culpability level {_e(hist.culpability)}</h3>" + _legend()
        fines += _figure(
            _bar_chart(
                f"chart-fines-{i}",
                f"Fines by amount, culpability level {hist.culpability}",
                "; ".join(
                    f"{b}: {_n(x)} before, {_n(y)} after"
                    for b, x, y in zip(hist.bins, hist.before, hist.after, strict=True)
                ),
                hist.bins,
                [("before", hist.before, OLD_COLOUR), ("after", hist.after, NEW_COLOUR)],
            ),
            f"Chart: the number of fines per amount band at level {hist.culpability}, before and after.",
        )
        fines += _html_table(
            f"Fines by amount at culpability level {hist.culpability}",
            ("amount", "before", "after"),
            [(b, _n(x), _n(y)) for b, x, y in zip(hist.bins, hist.before, hist.after, strict=True)],
        )
    if report.distributions:
        rows = [
            (f"{d.measure}, {d.culpability}, {when}", *_stats_cells(stats))
            for d in report.distributions
            for when, stats in (("before", d.before), ("after", d.after))
        ]
        fines += "<h3>Amounts per measure and culpability level</h3>" + _html_table(
            "Distribution of amounts per measure and culpability level, before and after",
            ("measure, level, when", "count", "lowest", "25%", "median", "75%", "highest", "total"),
            rows,
        )
    sections.append(fines + "</section>")

    rules = '<section aria-labelledby="h-rules"><h2 id="h-rules">Rules whose firing count changed</h2>'
    if report.rules_changed:
        shown = report.rules_changed[:25]
        rules += _figure(
            _diverging_chart(
                "chart-rules",
                "Change in how often each rule fires",
                "; ".join(f"{r.rule_id}: {_signed(r.after - r.before)}" for r in shown),
                [(r.rule_id, r.after - r.before) for r in shown],
            ),
            "Chart: how many more (to the right) or fewer (to the left) cases each rule fires for.",
        )
        rules += _html_table(
            "Rules whose firing count changed",
            ("rule", "pack", "before", "after", "change"),
            [(r.rule_id, r.pack, _n(r.before), _n(r.after), _signed(r.after - r.before)) for r in report.rules_changed],
            numeric_from=2,
        )
    else:
        rules += "<p>No rule fires for more or fewer cases.</p>"
    sections.append(rules + "</section>")

    cover = '<section aria-labelledby="h-coverage"><h2 id="h-coverage">Rule coverage</h2>'
    for name, side in (("old", report.old), ("new", report.new)):
        cover += f"<h3>{_e(name.capitalize())} policy</h3>" + _side_list(side) + _coverage_tables(side, total, name)
    sections.append(cover + "</section>")

    errors = sorted({*report.old.errors, *report.new.errors})
    if errors:
        sections.append(
            '<section aria-labelledby="h-errors"><h2 id="h-errors">Cases refused</h2>'
            + _html_table(
                "Cases the engine refused, by error code",
                ("error", "before", "after"),
                [(e, _n(report.old.errors.get(e, 0)), _n(report.new.errors.get(e, 0))) for e in errors],
            )
            + "</section>"
        )

    examples = '<section aria-labelledby="h-examples"><h2 id="h-examples">Examples</h2>'
    if not report.examples:
        examples += "<p>No advice changed.</p>"
    for kind in CHANGE_KINDS:
        chosen = [e for e in report.examples if e.change == kind]
        if not chosen:
            continue
        examples += f"<h3>{_e(CHANGE_LABELS[kind].capitalize())}</h3>"
        for e in chosen:
            ref = f" ({e.case_ref})" if e.case_ref else ""
            examples += (
                f"<h4>Case {_e(e.index)}{_e(ref)}</h4>"
                + _html_table(
                    f"Case {e.index}: the advice before and after",
                    ("", "before", "after"),
                    [
                        ("measure", e.before, e.after),
                        ("amount", _eur(e.before_amount), _eur(e.after_amount)),
                        ("culpability", e.culpability, e.culpability),
                    ],
                )
                + (f"<p>Now fires: {_e(', '.join(e.rules_added))}.</p>" if e.rules_added else "")
                + (f"<p>No longer fires: {_e(', '.join(e.rules_removed))}.</p>" if e.rules_removed else "")
                + f"<details><summary>The case {_e(e.index)} as JSON</summary><pre>{_e(json.dumps(e.case, indent=2, ensure_ascii=False))}</pre></details>"
            )
    sections.append(examples + "</section>")
    return _page(f"maatwerk diff: {report.old.label} → {report.new.label}", header, sections)


def _coverage_tables(side: Side, total: int, name: str) -> str:
    never = side.never_fired
    out = f"<p>{_e(_n(len(side.rules) - len(never)))} of {_e(_n(len(side.rules)))} rules fired at least once.</p>"
    if never:
        out += _html_table(
            f"Rules that never fired ({name} policy)",
            ("rule", "pack", "why"),
            [
                (
                    r.rule_id,
                    r.pack,
                    "no case can make it fire (maatwerk check)" if r.unreachable else "not reached by this population",
                )
                for r in never
            ],
            numeric_from=3,
        )
    out += (
        f"<details><summary>How often every rule fired ({_e(name)} policy)</summary>"
        + _html_table(
            f"How often each rule fired ({name} policy)",
            ("rule", "pack", "cases", "share"),
            [(r.rule_id, r.pack, _n(r.fired), _share(r.fired, total)) for r in side.rules],
            numeric_from=2,
        )
        + "</details>"
    )
    return out


def coverage_html(report: CoverageReport) -> str:
    """Rule coverage as a self-contained, accessible HTML page."""
    side = report.side
    total = report.population.size
    fired = [r for r in side.rules if r.fired]
    header = (
        "<h1>Rule coverage</h1>"
        f'<p class="lead">{_e(_n(len(fired)))} of {_e(_n(len(side.rules)))} rules fired at least once. '
        f"Population: {_e(_population(report.population))}.</p>"
    )
    top = sorted(side.rules, key=lambda r: -r.fired)[:30]
    chart = _figure(
        _bar_chart(
            "chart-coverage",
            "How often the most frequent rules fired",
            "; ".join(f"{r.rule_id}: {_n(r.fired)}" for r in top),
            [r.rule_id for r in top],
            [("cases", [r.fired for r in top], OLD_COLOUR)],
        ),
        "Chart: the 30 rules that fired most often.",
    )
    body = (
        '<section aria-labelledby="h-packs"><h2 id="h-packs">Policies</h2>'
        + _side_list(side)
        + '</section><section aria-labelledby="h-cov"><h2 id="h-cov">Rules</h2>'
        + chart
        + _coverage_tables(side, total, "this")
        + "</section>"
    )
    return _page(f"maatwerk coverage: {side.label}", header, [body])
