# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Formatting shared by the advice texts and the text rendering."""

from __future__ import annotations

from decimal import Decimal


def eur(amount: Decimal | None, *, unknown: str = "?") -> str:
    """An amount in the Dutch notation: ``€ 1.234,56``."""
    if amount is None:
        return unknown
    whole, _, cents = f"{amount:.2f}".partition(".")
    return f"€ {int(whole):,}".replace(",", ".") + f",{cents}"
