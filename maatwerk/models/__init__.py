# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Public pydantic models: the cases (benefits and providers), the advice, and the value types they
share (``Text`` for every bilingual sentence, ``Money`` for every amount in euros); ``Frozen`` is the
strict, immutable base every model derives from (unknown fields refused), for models of your own."""

from maatwerk.models._base import Frozen, Money, Text
from maatwerk.models.advice import Advice, Outcome
from maatwerk.models.case import BenefitCase
from maatwerk.models.provider import ProviderCase

__all__ = ["CASE_MODELS", "Advice", "BenefitCase", "Frozen", "Money", "Outcome", "ProviderCase", "Text"]

#: The case model of each domain, by the ``domain`` a case names (a new domain adds its model here).
CASE_MODELS: dict[str, type[BenefitCase] | type[ProviderCase]] = {"benefits": BenefitCase, "providers": ProviderCase}
