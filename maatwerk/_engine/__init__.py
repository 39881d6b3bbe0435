# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Rule evaluation: a durable-rules adapter and a plain-Python reference evaluator of the same
compiled, stratified policy. Both implement :class:`Evaluator`."""

from maatwerk._engine.core import Evaluator, Trace, run_levels
from maatwerk._engine.reference import ReferenceEvaluator

__all__ = ["Evaluator", "ReferenceEvaluator", "Trace", "run_levels"]
