# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Formatting shared by the advice texts, the text rendering and the form's words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


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
