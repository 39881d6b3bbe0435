# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""A case comes in: JSON text, a dict or a model becomes a validated case of its domain's model
(:data:`maatwerk.models.CASE_MODELS`), with every problem located at once, a size limit, no
duplicate keys, and no protected characteristic anywhere in it (domain.md §7)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from maatwerk.errors import CaseError, Problem
from maatwerk.models import CASE_MODELS
from maatwerk.models._base import MONEY_ERROR, JsonFloat, money_message
from maatwerk.models.case import BenefitCase
from maatwerk.models.provider import ProviderCase

__all__ = ["MAX_CASE_BYTES", "PROTECTED_KEYS", "Case", "CaseInput", "DuplicateKeyError", "load_json", "parse_case"]

Case = BenefitCase | ProviderCase
CaseInput = BenefitCase | ProviderCase | Mapping[str, Any] | str | bytes

MAX_CASE_BYTES = 1_000_000

#: Keys that name a protected characteristic or a proxy for one (domain.md §7). A case carrying
#: one is refused outright, wherever in the input it appears.
PROTECTED_KEYS = frozenset(
    {
        "nationality",
        "nationaliteit",
        "ethnicity",
        "etniciteit",
        "afkomst",
        "origin",
        "country_of_birth",
        "geboorteland",
        "language",
        "taal",
        "taalvaardigheid",
        "language_skills",
        "gender",
        "geslacht",
        "sex",
        "religion",
        "religie",
        "geloof",
        "postcode",
        "postal_code",
        "zipcode",
        "zip",
        "neighbourhood",
        "neighborhood",
        "wijk",
        "buurt",
        "age",
        "leeftijd",
        "date_of_birth",
        "birth_date",
        "geboortedatum",
        "appearance",
        "uiterlijk",
        "race",
    }
)


def _has_protected(data: Any) -> bool:
    """Whether any key, at any depth, names a protected characteristic: the quick check every case
    gets (no paths are built); :func:`_find_protected` then locates each one."""
    if isinstance(data, dict | Mapping):
        for key in data:
            if isinstance(key, str) and key.strip().lower() in PROTECTED_KEYS:
                return True
        values: Any = data.values()
    elif isinstance(data, list):
        values = data
    else:
        return False
    for value in values:
        if value is None or isinstance(value, str | int | float | Decimal):
            continue  # a scalar holds no keys
        if _has_protected(value):
            return True
    return False


def _find_protected(data: Any, path: str = "") -> list[Problem]:
    if not path and not _has_protected(data):
        return []
    out: list[Problem] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            here = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and key.strip().lower() in PROTECTED_KEYS:
                out.append(
                    Problem(
                        here,
                        "PROTECTED_CHARACTERISTIC",
                        f"{key!r} is a protected characteristic (or a proxy for one); maatwerk never accepts it",
                    )
                )
            else:
                out.extend(_find_protected(value, here))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_find_protected(value, f"{path}.{i}"))
    return out


def parse_case(data: CaseInput) -> Case:
    """A validated case from a model, a dict, or JSON text; raises :class:`CaseError` with every
    located problem at once. ``"domain": "providers"`` makes it a :class:`ProviderCase`; without a
    domain (or with ``"benefits"``) it is a :class:`BenefitCase`."""
    if isinstance(data, BenefitCase | ProviderCase):
        return data
    if isinstance(data, str | bytes):
        if len(data) > MAX_CASE_BYTES or (
            isinstance(data, str)
            and len(data) > MAX_CASE_BYTES // 4  # only then can its UTF-8 be over the limit
            and len(data.encode("utf-8", errors="surrogatepass")) > MAX_CASE_BYTES
        ):
            raise CaseError(
                f"the case is larger than {MAX_CASE_BYTES} bytes",
                problems=(Problem("(input)", "CASE_TOO_LARGE", "shorten the input"),),
            )
        try:
            data = load_json(data)
        except DuplicateKeyError as err:
            raise CaseError(
                "the case names a field twice", problems=(Problem("(input)", "CASE_DUPLICATE_KEY", str(err)),)
            ) from None
        except (ValueError, RecursionError) as err:
            raise CaseError(
                "the case is not valid JSON", problems=(Problem("(input)", "CASE_JSON", str(err)[:300]),)
            ) from None
    if not isinstance(data, Mapping):
        raise CaseError(
            "a case is a JSON object", problems=(Problem("(input)", "CASE_NOT_OBJECT", "give a JSON object"),)
        )
    domain = data.get("domain", "benefits")
    if not isinstance(domain, str) or domain not in CASE_MODELS:
        _refuse_protected(data)
        raise CaseError(
            "unknown domain",
            problems=(
                Problem("domain", "CASE_INVALID_VALUE", f"domain is {' or '.join(repr(d) for d in CASE_MODELS)}"),
            ),
        )
    model = CASE_MODELS[domain]
    try:
        return model.model_validate(dict(data))
    except ValidationError as err:
        # Every case model forbids unknown fields, so a protected key can only be in a case that
        # fails validation: it is looked for (and named before anything else) only then.
        _refuse_protected(data)
        problems = []
        for e in err.errors(include_url=False):
            loc = ".".join(str(x) for x in e["loc"]) or "(case)"
            code = {"extra_forbidden": "CASE_UNKNOWN_FIELD", "missing": "CASE_MISSING_FIELD"}.get(
                e["type"], "CASE_INVALID_VALUE"
            )
            # pydantic-core refuses an amount of money with one error type; its message says precisely why.
            message = money_message(e["input"]) if e["type"] == MONEY_ERROR else e["msg"]
            problems.append(Problem(loc, code, message))
        raise CaseError(f"the case has {len(problems)} problem(s)", problems=tuple(problems)) from None
    except RecursionError:
        raise CaseError(
            "the case is nested too deeply", problems=(Problem("(input)", "CASE_TOO_DEEP", "flatten the input"),)
        ) from None


def _refuse_protected(data: Mapping[str, Any]) -> None:
    """Raise the error naming every protected characteristic in ``data``, if it holds any."""
    try:
        protected = _find_protected(data)
    except RecursionError:
        raise CaseError(
            "the case is nested too deeply", problems=(Problem("(input)", "CASE_TOO_DEEP", "flatten the input"),)
        ) from None
    if protected:
        raise CaseError("the case contains protected characteristics", problems=tuple(protected))


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number maatwerk accepts")


class DuplicateKeyError(ValueError):
    """A JSON object names one key twice (``json`` would silently keep the last value)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKeyError(f"the key {key[:60]!r} appears twice in one object")
            seen.add(key)
    return out


def load_json(text: str | bytes) -> Any:
    """JSON as maatwerk reads it: numbers with a fraction as exact ``Decimal`` (marked as
    :class:`~maatwerk.models._base.JsonFloat`, so that an amount of money refuses them); NaN and Infinity
    refused; a key given twice in one object refused (:class:`DuplicateKeyError`), never silently
    resolved to its last value. Raises :class:`ValueError` (or :class:`RecursionError` for input
    nested too deeply) on anything else that is not JSON."""
    return json.loads(text, parse_float=JsonFloat, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
