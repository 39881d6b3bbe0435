# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Render an advice as readable text in Dutch or English."""

from __future__ import annotations

from functools import partial

from maatwerk._format import eur
from maatwerk.models.advice import Advice

__all__ = ["render_text"]

H = {
    "nl": {
        "title": "Advies",
        "measure": "Geadviseerde maatregel",
        "band": "Bandbreedte",
        "tracks": "Sporen",
        "calc": "Berekening",
        "alts": "Overwogen alternatieven",
        "steps": "Redenering",
        "decisions": "Beslissingen voor een medewerker",
        "missing": "Ontbrekende feiten",
        "change": "Wat het advies verandert",
        "followups": "Vervolgacties (leren en voorkomen)",
        "cause": "Oorzaak",
        "packs": "Beleid",
        "receipt": "Ontvangstbewijs",
        "chosen": "gekozen",
        "not_lawful": "niet toegestaan",
        "factors": "Factoren",
        "options": "Keuzes",
        "note": "Dit is een advies. Een medewerker beslist.",
        "for": "pleit voor",
        "against": "pleit tegen",
        "from": "van",
        "to": "tot",
    },
    "en": {
        "title": "Advice",
        "measure": "Recommended measure",
        "band": "Legal band",
        "tracks": "Tracks",
        "calc": "Computation",
        "alts": "Alternatives considered",
        "steps": "Reasoning",
        "decisions": "Decisions for a caseworker",
        "missing": "Missing facts",
        "change": "What would change the advice",
        "followups": "Follow-up (learn and prevent)",
        "cause": "Cause",
        "packs": "Policy",
        "receipt": "Receipt",
        "chosen": "chosen",
        "not_lawful": "not allowed",
        "factors": "Factors",
        "options": "Options",
        "note": "This is advice. A caseworker decides.",
        "for": "for",
        "against": "against",
        "from": "from",
        "to": "to",
    },
}


_eur = partial(eur, unknown="-")


def render_text(advice: Advice, lang: str = "nl") -> str:
    """The advice as plain text, every section in ``lang`` ("nl" or "en")."""
    h = H["en" if lang == "en" else "nl"]
    m = advice.measure
    lines = [f"{h['title']}" + (f" ({advice.case_ref})" if advice.case_ref else ""), "=" * 60]
    for step in advice.steps:
        if step.rule_id == "voorstel_verkenning":  # a previewed bill: say so before anything else
            lines.extend(["!" * 60, step.text.get(lang), "!" * 60])
    lines.append(f"{h['measure']}: {m.kind}" + (f" {_eur(m.amount)}" if m.amount is not None else ""))
    lines.append(f"  {m.summary.get(lang)}")
    lines.append(
        f"{h['band']}: {m.band.lowest.get(lang)} {_eur(m.band.lowest_amount) if m.band.lowest_amount is not None else ''}"
        f" .. {m.band.highest.get(lang)} {_eur(m.band.highest_amount) if m.band.highest_amount is not None else ''}".rstrip()
    )

    def section(key: str) -> None:
        lines.append("")
        lines.append(f"{h[key]}:")

    section("tracks")
    for t in advice.tracks:
        amount = f" {_eur(t.amount)}" if t.amount is not None else ""
        cites = "; ".join(b.citation for b in t.basis)
        lines.append(f"  - {t.id}: {t.status}{amount} [{cites}]")
        lines.append(f"      {t.explanation.get(lang)}")
    if advice.calculation:
        section("calc")
        for c in advice.calculation:
            lines.append(f"  {c.label.get(lang):<58} {_eur(c.amount):>14}")
    section("alts")
    for a in advice.alternatives:
        mark = f" ({h['chosen']})" if a.chosen else ("" if a.lawful else f" ({h['not_lawful']})")
        amount = f" {_eur(a.amount)}" if a.amount is not None else ""
        lines.append(f"  - {a.measure}{amount}{mark}: {a.why.get(lang)}")
    section("steps")
    for i, s in enumerate(advice.steps, 1):
        cites = "; ".join(b.citation for b in s.basis)
        lines.append(f"  {i:>2}. [{s.rule_id}] {s.text.get(lang)}")
        lines.append(f"      {cites} | {', '.join(s.principles)}")
    if advice.decisions:
        section("decisions")
        for d in advice.decisions:
            lines.append(f"  - {d.question.get(lang)}")
            if d.options:
                lines.append(f"      {h['options']}: {', '.join(d.options)}")
            for f in d.factors:
                lines.append(f"      {h['for'] if f.direction == 'voor' else h['against']}: {f.text.get(lang)}")
            if d.consequences is not None:
                lines.append(f"      {d.consequences.get(lang)}")
    if advice.missing_facts:
        section("missing")
        for mf in advice.missing_facts:
            lines.append(f"  - {mf.field}")
    if advice.what_would_change:
        section("change")
        for cf in advice.what_would_change:
            lines.append(f"  - {cf.change.get(lang)}: {cf.effect.get(lang)}")
    if advice.followups:
        section("followups")
        for fu in advice.followups:
            lines.append(f"  - ({fu.audience}) {fu.text.get(lang)}")
    lines.append("")
    lines.append(f"{h['cause']}: {advice.cause_category}")
    lines.append(f"{h['packs']}: " + ", ".join(f"{p.id}@{p.version} ({p.sha256[:12]})" for p in advice.packs))
    lines.append(f"{h['receipt']}: {advice.receipt}")
    lines.append(h["note"])
    return "\n".join(lines) + "\n"
