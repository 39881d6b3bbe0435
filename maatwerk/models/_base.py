# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Shared building blocks of the public models: the frozen base model, money and texts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    PlainSerializer,
    Strict,
    WithJsonSchema,
)
from pydantic_core import core_schema as cs

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_MONEY",
    "MONEY_ERROR",
    "CaseMoney",
    "Count",
    "Day",
    "Flag",
    "Frozen",
    "Money",
    "Text",
    "money_message",
    "to_day",
    "to_money",
]

#: Upper bound for any amount of money in a case: far above any real benadelingsbedrag, low enough
#: that arithmetic and the rules engine's integers stay exact.
MAX_MONEY = Decimal("1000000000.00")

#: An amount as text: ASCII digits with an optional point and decimals (an optional leading minus
#: only so that a negative amount gets its own message). ``Decimal`` alone would also take "1_000",
#: "１２３" or "٣" and read a number the writer may not have meant.
_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)

# Messages never repeat the value they refuse: an error's text ends up in the logs of the systems
# that call maatwerk, and a case's values are personal data. The location names the field.


class JsonFloat(Decimal):
    """A number JSON text wrote with a fraction or an exponent (``2480.5``, not ``"2480.5"``), read
    exactly (as :func:`maatwerk._intake.case.load_json` reads it) but marked: where a float is refused, such as
    an amount of money, it is refused from JSON text as it is from a dict."""

    __slots__ = ()


def to_money(value: Any) -> Decimal:
    """Validate an amount in euros: a decimal string or an int, at most two decimals, never a float
    (neither a Python float nor a JSON number with a fraction)."""
    if isinstance(value, bool):
        raise ValueError("an amount of money must be a decimal string such as '1234.56', not a boolean")
    if isinstance(value, float | JsonFloat):
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
            raise ValueError("this is not an amount of money; write it as '1234.56'") from None
        if "e" in text.lower():
            raise ValueError("an amount of money may not use exponent notation; write it as '1234.56'")
        if not _AMOUNT.fullmatch(text):
            raise ValueError("an amount of money is written with the digits 0-9 and a decimal point, as '1234.56'")
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


#: The type of the one error every refused amount gets inside pydantic-core (:data:`Money`);
#: :func:`money_message` words it as :func:`to_money` does.
MONEY_ERROR = "money"
#: Its message where no caller words it more precisely.
MONEY_FORMAT = (
    f"an amount of money is a decimal string such as '1234.56': not negative, at most two decimals, at most {MAX_MONEY}"
)


def money_message(value: Any) -> str:
    """The message :func:`to_money` gives for a refused ``value``, as pydantic words a validator's
    ``ValueError`` (``"Value error, ..."``): what :func:`maatwerk.parse_case` reports for a
    :data:`MONEY_ERROR`, so that every refused amount says precisely what is wrong with it."""
    try:
        to_money(value)
    except ValueError as err:
        return f"Value error, {err}"
    return f"Value error, {MONEY_FORMAT}"  # not reached: pydantic-core refuses only what to_money refuses


class _MoneySchema:
    """The validation of :data:`Money` in pydantic-core: an amount written as most amounts are
    (``"1234.56"``: ASCII digits, a point and two decimals, at most :data:`MAX_MONEY`) becomes its
    ``Decimal`` without a Python call; anything else (an int, ``"12.5"``, surrounding spaces, a
    ``Decimal``, and every refused value) goes through :func:`to_money`. The result is the same
    value either way. A refused amount is one :data:`MONEY_ERROR` at its location; its message
    names what is wrong (:func:`money_message`, which :func:`maatwerk.parse_case` uses)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> cs.CoreSchema:
        plain = cs.chain_schema(
            [
                cs.str_schema(strict=True, pattern=r"^[0-9]{1,10}\.[0-9]{2}$"),
                cs.decimal_schema(le=MAX_MONEY),
            ]
        )
        return cs.custom_error_schema(
            cs.union_schema([plain, cs.no_info_plain_validator_function(to_money)], mode="left_to_right"),
            custom_error_type=MONEY_ERROR,
            custom_error_message=MONEY_FORMAT,
        )


Money = Annotated[
    Decimal,
    BeforeValidator(to_money),
    PlainSerializer(str, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$", "examples": ["1234.56"]}),
]
"""Euros as :class:`~decimal.Decimal`, serialised as a string with two decimals."""

CaseMoney = Annotated[
    Decimal,
    _MoneySchema,
    PlainSerializer(str, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$", "examples": ["1234.56"]}),
]
""":data:`Money` in a case: the same values, the same serialisation and schema, validated inside
pydantic-core where the amount is written ``"1234.56"`` (a case carries several amounts, and a
Python call for each was a sixth of reading a case). A refused amount is one :data:`MONEY_ERROR`;
:func:`maatwerk.parse_case` words it as :func:`to_money` does (:func:`money_message`)."""

#: The dates a case may carry. Wide enough for any real case (conduct from long ago, decisions far
#: ahead), narrow enough that the date arithmetic of the rules (terms of up to 100 years) stays
#: inside the calendar Python can represent.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
#: What a date in a case looks like (the message for anything else: another type, a date-time, a timestamp).
DAY_FORMAT = "a date is a string 'YYYY-MM-DD', without a time of day"
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def to_day(value: Any) -> dt.date:
    """Validate a date in a case: a ``datetime.date`` or the text ``YYYY-MM-DD``, nothing else (no
    time of day, no timestamp number), between :data:`FIRST_DAY` and :data:`LAST_DAY`.

    The specification of :data:`Day`, which does the same inside pydantic-core (the tests check
    that the two agree on every kind of value, message for message)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("this day does not exist in the calendar; give a date as 'YYYY-MM-DD'") from None
    else:
        raise ValueError(DAY_FORMAT)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"a date lies between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return day


class _DaySchema:
    """The validation of :data:`Day` in pydantic-core, without a Python call per date (a case may
    carry a hundred earlier sanctions, each with two dates). It accepts exactly what :func:`to_day`
    accepts, with the same messages: a ``datetime.date`` (not a ``datetime``) or text matching
    ``YYYY-MM-DD`` (ASCII digits, nothing before or after), then a real calendar day, then one
    between :data:`FIRST_DAY` and :data:`LAST_DAY`. Each step names what is wrong in its own words;
    none repeats the value."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> cs.CoreSchema:
        return cs.chain_schema(
            [
                cs.custom_error_schema(
                    cs.union_schema(
                        [
                            cs.date_schema(strict=True),
                            cs.str_schema(strict=True, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
                        ]
                    ),
                    custom_error_type="date_format",
                    custom_error_message=DAY_FORMAT,
                ),
                cs.custom_error_schema(
                    cs.date_schema(),
                    custom_error_type="date_not_in_calendar",
                    custom_error_message="this day does not exist in the calendar; give a date as 'YYYY-MM-DD'",
                ),
                cs.custom_error_schema(
                    cs.date_schema(strict=True, ge=FIRST_DAY, le=LAST_DAY),
                    custom_error_type="date_out_of_range",
                    custom_error_message=f"a date lies between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}",
                ),
            ]
        )


Day = Annotated[dt.date, _DaySchema, WithJsonSchema({"type": "string", "format": "date"})]
"""A calendar date in a case: ``YYYY-MM-DD`` text (or a ``datetime.date``), 1900-01-01 .. 2999-12-31;
validated as :func:`to_day` validates it, inside pydantic-core."""

Flag = Annotated[bool, Strict()]
"""A yes/no fact: JSON ``true`` or ``false`` only (no 1, "yes" or "true" read as a boolean)."""

Count = Annotated[int, Strict()]
"""A whole number: a JSON integer only (no "3", 3.0 or true read as a number)."""


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
