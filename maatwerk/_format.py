# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Formatting shared by the advice texts, the text rendering, the form's words and the letter's sentences."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

#: The mark around words a letter sentence of a pack shows in bold (``<strong>``).
BOLD = "**"


def eur(amount: Decimal | None, *, unknown: str = "?") -> str:
    """An amount in the Dutch notation: ``€ 1.234,56``."""
    if amount is None:
        return unknown
    whole, _, cents = f"{amount:.2f}".partition(".")
    return f"€ {int(whole):,}".replace(",", ".") + f",{cents}"


def show_param(value: Any, unit: str, fmt: str, lang: str) -> str:
    """A parameter's value as a text template shows it (``{param:NAME}``, ``|percent`` for a factor)."""
    if fmt == "percent":
        return _number(Decimal(value) * 100)
    if unit == "eur":
        return eur(Decimal(value))
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y") if lang == "nl" else value.isoformat()
    if isinstance(value, bool):
        from maatwerk._texts import say

        return say("advice.yes" if value else "advice.no", "en" if lang == "en" else "nl")
    if isinstance(value, Decimal | int):
        return _number(value)
    return str(value)


def _number(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            return str(int(value))
        return format(value, "f")
    return str(value)


def _attribute(text: str) -> str:
    """Escaped as the letter template escapes a value it prints (quotes too)."""
    return html.escape(text, quote=False).replace('"', "&#34;").replace("'", "&#39;")


def letter_html(parts: Sequence[Any], param: Callable[[str], tuple[Any, str]], cite: Callable[[str], Any]) -> str:
    """One letter sentence of a pack (the parts of its template: text, or a placeholder with ``kind``,
    ``name`` and ``fmt``) as HTML: its words escaped, a ``{cite:..}`` a link to the source (``cite(name)``
    gives it, with ``citation`` and ``url``), ``**words**`` in ``<strong>``."""
    out: list[str] = []
    bold = False
    for part in parts:
        if isinstance(part, str):
            pieces = part.split(BOLD)
            for i, piece in enumerate(pieces):
                if i:
                    out.append("</strong>" if bold else "<strong>")
                    bold = not bold
                out.append(html.escape(piece, quote=False))
        elif part.kind == "param":
            value, unit = param(part.name)
            out.append(html.escape(show_param(value, unit, part.fmt, "nl"), quote=False))
        else:
            source = cite(part.name)
            out.append(f'<a href="{_attribute(source.url)}">{_attribute(source.citation)}</a>')
    return "".join(out)
