# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Public pydantic models: the case and the advice."""

from maatwerk.models.advice import Advice
from maatwerk.models.case import BenefitCase

__all__ = ["Advice", "BenefitCase"]
