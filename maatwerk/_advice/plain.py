# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The advice as plain data: what the builders make, before anyone asks for a model.

An advice is built as nested dicts and tuples, each dict with exactly the fields of its model in the
model's order (defaults included) and money as a :class:`~decimal.Decimal` of whole cents. From that
data, :func:`to_json` writes the advice's JSON with orjson, byte for byte what
``Advice.model_dump_json()`` writes, and :func:`advice_model` makes the public
:class:`~maatwerk.models.advice.Advice` without validating it again (``model_construct``, level by
level). The data is not validated per advice: the tests validate it against the models on generated
cases of both domains (invariant ``plain_advice_is_valid``) and compare the two JSON texts
(``json_path_identical``).

The shapes are :class:`~typing.TypedDict`\\ s, so mypy checks every field a builder fills in. Parts
that are the same for every case of a stack (citations, reasons, follow-ups) are built once and
shared between advices (:mod:`maatwerk._advice.memo`): never mutate a dict you did not make.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, TypedDict, TypeVar, get_args, get_origin, get_type_hints

from pydantic import BaseModel

from maatwerk.models.advice import Advice, AlternativeOutcome, Outcome, PackRef, TrackOutcome

__all__ = [
    "AdviceData",
    "AlternativeData",
    "AlternativeOutcomeData",
    "BandData",
    "CalculationStepData",
    "CounterfactualData",
    "DecisionFactorData",
    "FollowUpData",
    "HumanDecisionData",
    "LegalBasisData",
    "MeasureData",
    "MissingFactData",
    "OutcomeData",
    "PackRefData",
    "ParameterUseData",
    "ReasoningStepData",
    "TextData",
    "TrackData",
    "TrackOutcomeData",
    "advice_model",
    "band_data",
    "money",
    "outcome_model",
    "pack_data",
    "pack_models",
    "text",
    "to_json",
]

_CENT = Decimal("0.01")
_M = TypeVar("_M", bound=BaseModel)


class TextData(TypedDict):
    nl: str
    en: str


class LegalBasisData(TypedDict):
    id: str
    citation: str
    identifier: str
    url: str


class ParameterUseData(TypedDict):
    name: str
    value: str
    valid_from: str
    basis: LegalBasisData
    verify: bool


class TrackData(TypedDict):
    id: str
    status: str
    amount: Decimal | None
    basis: tuple[LegalBasisData, ...]
    explanation: TextData


class CalculationStepData(TypedDict):
    id: str
    label: TextData
    amount: Decimal
    parameters: tuple[ParameterUseData, ...]


class BandData(TypedDict):
    lowest: TextData
    lowest_amount: Decimal | None
    highest: TextData
    highest_amount: Decimal | None
    policy_cap: TextData | None
    policy_cap_amount: Decimal | None


class AlternativeData(TypedDict):
    measure: str
    amount: Decimal | None
    chosen: bool
    lawful: bool
    why: TextData


class ReasoningStepData(TypedDict):
    rule_id: str
    pack: str
    stage: str
    basis: tuple[LegalBasisData, ...]
    principles: tuple[str, ...]
    text: TextData
    inputs: dict[str, str]


class DecisionFactorData(TypedDict):
    text: TextData
    direction: str
    rule_id: str


class HumanDecisionData(TypedDict):
    id: str
    question: TextData
    factors: tuple[DecisionFactorData, ...]
    options: tuple[str, ...]
    consequences: TextData | None


class MissingFactData(TypedDict):
    fact: str
    field: str
    why: TextData
    rules: tuple[str, ...]


class CounterfactualData(TypedDict):
    change: TextData
    effect: TextData


class FollowUpData(TypedDict):
    id: str
    text: TextData
    principles: tuple[str, ...]
    audience: str


class PackRefData(TypedDict):
    id: str
    version: str
    sha256: str
    role: Literal["national", "municipal"]
    used_for: Literal["gedrag_en_procedure", "gedrag", "procedure"]
    in_force: bool


class MeasureData(TypedDict):
    kind: str
    amount: Decimal | None
    probation_years: int | None
    deadline_days: int | None
    summary: TextData
    band: BandData


class AdviceData(TypedDict):
    schema_version: str
    domain: str
    case_ref: str | None
    measure: MeasureData
    tracks: tuple[TrackData, ...]
    calculation: tuple[CalculationStepData, ...]
    alternatives: tuple[AlternativeData, ...]
    steps: tuple[ReasoningStepData, ...]
    decisions: tuple[HumanDecisionData, ...]
    missing_facts: tuple[MissingFactData, ...]
    what_would_change: tuple[CounterfactualData, ...]
    followups: tuple[FollowUpData, ...]
    cause_category: str
    packs: tuple[PackRefData, ...]
    principles: dict[str, TextData]
    engine: str
    receipt: str


class TrackOutcomeData(TypedDict):
    id: str
    status: str
    amount: Decimal | None


class AlternativeOutcomeData(TypedDict):
    measure: str
    chosen: bool
    lawful: bool


class OutcomeData(TypedDict):
    """An :class:`~maatwerk.models.advice.Outcome` as data; its packs are the stack's shared models."""

    schema_version: str
    domain: str
    case_ref: str | None
    measure: str
    amount: Decimal | None
    probation_years: int | None
    deadline_days: int | None
    lowest_amount: Decimal | None
    highest_amount: Decimal | None
    policy_cap_amount: Decimal | None
    tracks: tuple[TrackOutcomeData, ...]
    alternatives: tuple[AlternativeOutcomeData, ...]
    rules: tuple[str, ...]
    packs: tuple[PackRef, ...]
    engine: str
    receipt: str


def text(nl: str, en: str) -> TextData:
    """A sentence in Dutch and English, as data."""
    return {"nl": nl, "en": en}


def money(amount: Decimal | None) -> Decimal | None:
    """An amount as the advice holds it: whole cents, never ``-0.00`` (what the model's ``Money``
    makes of it). An amount with fractions of a cent is a defect in the arithmetic, never rounded away."""
    if amount is None:
        return None
    cents = abs(amount).quantize(_CENT)
    if cents != amount:
        raise ValueError("an amount in the advice has fractions of a cent")
    return cents


def band_data(
    lowest: TextData,
    lowest_amount: Decimal | None,
    highest: TextData,
    highest_amount: Decimal | None,
    policy_cap: TextData | None = None,
    policy_cap_amount: Decimal | None = None,
) -> BandData:
    """A measure's band as data (a municipality's cap only where its policy sets one)."""
    return {
        "lowest": lowest,
        "lowest_amount": money(lowest_amount),
        "highest": highest,
        "highest_amount": money(highest_amount),
        "policy_cap": policy_cap,
        "policy_cap_amount": money(policy_cap_amount),
    }


def pack_data(packs: tuple[PackRef, ...]) -> tuple[PackRefData, ...]:
    """The packs of an advice, as data."""
    return tuple(
        {
            "id": p.id,
            "version": p.version,
            "sha256": p.sha256,
            "role": p.role,
            "used_for": p.used_for,
            "in_force": p.in_force,
        }
        for p in packs
    )


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"an advice holds no {type(value).__name__}")


def to_json(data: AdviceData, *, indent: bool = False) -> bytes:
    """The advice's JSON: byte for byte ``advice_model(data).model_dump_json()`` (``indent``:
    ``model_dump_json(indent=2)``), without a model."""
    import orjson

    return orjson.dumps(data, default=_default, option=orjson.OPT_INDENT_2 if indent else 0)


# -- the model, made from the data ----------------------------------------------------------------

#: How to make each field's value a model value: ``None`` (as it is), or the model class and whether
#: the field holds one (``"one"``), a tuple of them (``"many"``) or a dict of them (``"map"``).
_Plan = tuple[tuple[str, type[BaseModel] | None, str], ...]
_PLANS: dict[type[BaseModel], _Plan] = {}


def _plan(cls: type[BaseModel]) -> _Plan:
    found = _PLANS.get(cls)
    if found is None:
        # What _construct sets is what model_construct sets for a model with every field given,
        # no private attributes and no extra fields (the advice's models, frozen, extra="forbid").
        assert not cls.__private_attributes__, cls
        assert cls.model_config.get("extra") != "allow", cls
        hints = get_type_hints(cls)
        rows = []
        for name in cls.model_fields:
            rows.append((name, *_kind(hints[name])))
        found = _PLANS[cls] = tuple(rows)
    return found


def _kind(hint: Any) -> tuple[type[BaseModel] | None, str]:
    """The model a field holds and how (one, a tuple, a dict's values), or ``(None, "")``."""
    origin = get_origin(hint)
    args = [a for a in get_args(hint) if a is not type(None)]
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return hint, "one"
    if origin is tuple and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], "many"
    if origin is dict and len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
        return args[1], "map"
    if len(args) == 1 and origin is not tuple and origin is not dict:  # X | None
        return _kind(args[0])
    return None, ""


def _construct(cls: type[BaseModel], data: Any) -> Any:
    """``cls.model_construct(**data)`` with its models made level by level, without model_construct's
    general path (aliases, defaults, extras), which cost more than the advice's JSON."""
    values = {}
    for name, model, how in _plan(cls):
        value = data[name]
        if model is not None and value is not None:
            if how == "one":
                value = _construct(model, value)
            elif how == "many":
                value = tuple([_construct(model, v) for v in value])
            else:
                value = {k: _construct(model, v) for k, v in value.items()}
        values[name] = value
    return _made(cls, values)


def _made(cls: type[_M], values: dict[str, Any]) -> _M:
    """What ``model_construct`` makes of ``values`` (every field given, in the model's order)."""
    made = cls.__new__(cls)
    _set(made, "__dict__", values)
    _set(made, "__pydantic_fields_set__", set(values))
    _set(made, "__pydantic_extra__", None)
    _set(made, "__pydantic_private__", None)
    return made


_set = object.__setattr__


def pack_models(data: AdviceData) -> tuple[PackRef, ...]:
    """The advice's packs as models (for its receipt)."""
    return tuple(_construct(PackRef, p) for p in data["packs"])


def advice_model(data: AdviceData) -> Advice:
    """The public :class:`Advice` of the data (not validated again: the tests hold the data to the model)."""
    found: Advice = _construct(Advice, data)
    return found


def outcome_model(data: OutcomeData) -> Outcome:
    """The public :class:`Outcome` of the data, made once and not validated again (the tests hold the
    data to the model: ``Outcome.of(advise(case)) == outcome(case)`` over generated cases of both
    domains and every evaluator). Its packs are the stack's shared, already valid models."""
    values: dict[str, Any] = {name: data[name] for name in _OUTCOME_FIELDS}  # type: ignore[literal-required]
    # Each track's dict is the builder's own, fresh and in the model's field order: it becomes the
    # model's __dict__ as it is.
    values["tracks"] = tuple([_made(TrackOutcome, t) for t in data["tracks"]])  # type: ignore[arg-type]
    values["alternatives"] = tuple([_made(AlternativeOutcome, a) for a in data["alternatives"]])  # type: ignore[arg-type]
    return _made(Outcome, values)


_OUTCOME_FIELDS = tuple(Outcome.model_fields)
