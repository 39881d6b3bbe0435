# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Public pydantic models: the cases (benefits and providers), the advice, and the value types they
share (``Text`` for every bilingual sentence, ``Money`` for every amount in euros)."""

from maatwerk.models._base import Money, Text
from maatwerk.models.advice import Advice
from maatwerk.models.case import BenefitCase
from maatwerk.models.provider import ProviderCase

__all__ = ["Advice", "BenefitCase", "Money", "ProviderCase", "Text"]
