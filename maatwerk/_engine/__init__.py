# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Rule evaluation: a durable-rules adapter, a plain-Python reference evaluator and a compiled
evaluator (:mod:`maatwerk._engine.compiled`: each stack's rules as one generated Python function) of
the same compiled, stratified policy. All implement :class:`Evaluator`."""

from maatwerk._engine.core import Evaluator, Trace, run_levels
from maatwerk._engine.reference import ReferenceEvaluator

__all__ = ["Evaluator", "ReferenceEvaluator", "Trace", "run_levels"]
