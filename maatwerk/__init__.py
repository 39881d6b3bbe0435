# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""maatwerk: proportionate, explained enforcement advice for Dutch municipalities.

>>> from maatwerk import Engine
>>> advice = Engine().advise(case_json)          # doctest: +SKIP
"""

from maatwerk._api import Engine, parse_case
from maatwerk._version import __version__
from maatwerk.errors import CaseError, EngineError, MaatwerkError, PolicyError, PolicySelectionError, Problem
from maatwerk.models import Advice, BenefitCase, Money, Outcome, ProviderCase, Text

__all__ = [
    "Advice",
    "BenefitCase",
    "CaseError",
    "Engine",
    "EngineError",
    "MaatwerkError",
    "Money",
    "Outcome",
    "PolicyError",
    "PolicySelectionError",
    "Problem",
    "ProviderCase",
    "Text",
    "__version__",
    "parse_case",
]
