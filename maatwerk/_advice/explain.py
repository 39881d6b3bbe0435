# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Render an advice as readable text in Dutch or English.

The texts of the advice come from the packs; the headings and labels around them are interface
words from the message catalogue (``maatwerk/_texts/ui.yaml``, namespace ``advice``)."""

from __future__ import annotations

from functools import partial

from maatwerk._format import eur
from maatwerk._texts import Language, say
from maatwerk.models.advice import Advice

__all__ = ["render_text"]

_eur = partial(eur, unknown="-")


def render_text(advice: Advice, lang: str = "nl") -> str:
    """The advice as plain text, every section in ``lang`` ("nl" or "en")."""
    code: Language = "en" if lang == "en" else "nl"
    m = advice.measure
    lines = [say("advice.title", code) + (f" ({advice.case_ref})" if advice.case_ref else ""), "=" * 60]
    for step in advice.steps:
        if step.rule_id == "voorstel_verkenning":  # a previewed bill: say so before anything else
            lines.extend(["!" * 60, step.text.get(lang), "!" * 60])
    lines.append(f"{say('advice.measure', code)}: {m.kind}" + (f" {_eur(m.amount)}" if m.amount is not None else ""))
    lines.append(f"  {m.summary.get(lang)}")
    lines.append(
        f"{say('advice.band', code)}: {m.band.lowest.get(lang)} {_eur(m.band.lowest_amount) if m.band.lowest_amount is not None else ''}"
        f" .. {m.band.highest.get(lang)} {_eur(m.band.highest_amount) if m.band.highest_amount is not None else ''}".rstrip()
    )

    def section(heading: str) -> None:
        lines.append("")
        lines.append(f"{heading}:")

    section(say("advice.tracks", code))
    for t in advice.tracks:
        amount = f" {_eur(t.amount)}" if t.amount is not None else ""
        cites = "; ".join(b.citation for b in t.basis)
        lines.append(f"  - {t.id}: {t.status}{amount} [{cites}]")
        lines.append(f"      {t.explanation.get(lang)}")
    if advice.calculation:
        section(say("advice.calc", code))
        for c in advice.calculation:
            lines.append(f"  {c.label.get(lang):<58} {_eur(c.amount):>14}")
    section(say("advice.alts", code))
    chosen, not_lawful = say("advice.chosen", code), say("advice.not_lawful", code)
    for a in advice.alternatives:
        mark = f" ({chosen})" if a.chosen else ("" if a.lawful else f" ({not_lawful})")
        amount = f" {_eur(a.amount)}" if a.amount is not None else ""
        lines.append(f"  - {a.measure}{amount}{mark}: {a.why.get(lang)}")
    section(say("advice.steps", code))
    for i, s in enumerate(advice.steps, 1):
        cites = "; ".join(b.citation for b in s.basis)
        lines.append(f"  {i:>2}. [{s.rule_id}] {s.text.get(lang)}")
        lines.append(f"      {cites} | {', '.join(s.principles)}")
    if advice.decisions:
        section(say("advice.decisions", code))
        options, pro, contra = say("advice.options", code), say("advice.for", code), say("advice.against", code)
        for d in advice.decisions:
            lines.append(f"  - {d.question.get(lang)}")
            if d.options:
                lines.append(f"      {options}: {', '.join(d.options)}")
            for f in d.factors:
                lines.append(f"      {pro if f.direction == 'voor' else contra}: {f.text.get(lang)}")
            if d.consequences is not None:
                lines.append(f"      {d.consequences.get(lang)}")
    if advice.missing_facts:
        section(say("advice.missing", code))
        for mf in advice.missing_facts:
            lines.append(f"  - {mf.field}")
    if advice.what_would_change:
        section(say("advice.change", code))
        for cf in advice.what_would_change:
            lines.append(f"  - {cf.change.get(lang)}: {cf.effect.get(lang)}")
    if advice.followups:
        section(say("advice.followups", code))
        for fu in advice.followups:
            lines.append(f"  - ({fu.audience}) {fu.text.get(lang)}")
    lines.append("")
    lines.append(f"{say('advice.cause', code)}: {advice.cause_category}")
    lines.append(
        f"{say('advice.packs', code)}: " + ", ".join(f"{p.id}@{p.version} ({p.sha256[:12]})" for p in advice.packs)
    )
    lines.append(f"{say('advice.receipt', code)}: {advice.receipt}")
    lines.append(say("advice.note", code))
    return "\n".join(lines) + "\n"
