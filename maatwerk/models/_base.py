"""Shared building blocks of the public models: the frozen base model, money and texts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

__all__ = ["MAX_MONEY", "Frozen", "Money", "Text", "to_money"]

#: Upper bound for any amount of money in a case: far above any real benadelingsbedrag, low enough
#: that arithmetic and the rules engine's integers stay exact.
MAX_MONEY = Decimal("1000000000.00")


def to_money(value: Any) -> Decimal:
    """Validate an amount in euros: a decimal string or an int, at most two decimals, never a float."""
    if isinstance(value, bool):
        raise ValueError("an amount of money must be a decimal string such as '1234.56', not a boolean")
    if isinstance(value, float):
        raise ValueError("an amount of money must be a decimal string such as '1234.56' (floats round)")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > 20:
            raise ValueError("an amount of money has at most 20 characters")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not an amount of money; write it as '1234.56'") from None
        if "e" in text.lower():
            raise ValueError("an amount of money may not use exponent notation; write it as '1234.56'")
    else:
        raise ValueError("an amount of money must be a decimal string such as '1234.56'")
    if not amount.is_finite():
        raise ValueError("an amount of money must be a finite number")
    if amount < 0:
        raise ValueError("an amount of money may not be negative")
    if amount > MAX_MONEY:
        raise ValueError(f"an amount of money may not exceed {MAX_MONEY}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("an amount of money has at most two decimals (whole cents)")
    return abs(amount).quantize(Decimal("0.01"))  # abs: -0.00 and 0.00 are one amount


Money = Annotated[
    Decimal,
    BeforeValidator(to_money),
    PlainSerializer(str, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$", "examples": ["1234.56"]}),
]
"""Euros as :class:`~decimal.Decimal`, serialised as a string with two decimals."""


class Frozen(BaseModel):
    """Base of every public model: immutable, and unknown fields are an error, never ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False, validate_default=True)


class Text(Frozen):
    """A sentence in Dutch and in English (Dutch is the language of the decision)."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``"nl"`` or ``"en"``)."""
        return self.en if lang == "en" else self.nl
