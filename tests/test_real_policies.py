# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The real municipal policies written as packs (Leeuwarden, Grave, Heerenveen) keep every national
invariant on cases aimed at their own rules, dated inside their own windows: no fine above the
statutory maximum, no warning the law does not allow, monotonic in culpability and loss, and both
evaluators agree. The invariants check against the national figures, not the municipal pack's.
"""

from __future__ import annotations

from typing import Any, Literal

import pytest
from conftest import POLICIES, advice_content
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk import Engine
from maatwerk.testing import from_policy, invariants

PACKS = {"leeuwarden": "leeuwarden-benefits", "grave": "grave-benefits", "heerenveen": "heerenveen-benefits"}
Evaluator = Literal["durable", "reference"]
ENGINES: dict[tuple[str, Evaluator], Engine] = {}


def _engine(municipality: str, evaluator: Evaluator) -> Engine:
    key = (municipality, evaluator)
    if key not in ENGINES:
        ENGINES[key] = Engine(POLICIES, municipality=municipality, evaluator=evaluator)
    return ENGINES[key]


@pytest.mark.parametrize("municipality", sorted(PACKS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_a_real_policy_keeps_the_national_invariants(municipality: str, data: st.DataObject) -> None:
    """Every benefit invariant holds on cases aimed at the municipality's pack (and the national rules under it)."""
    case: dict[str, Any] = data.draw(from_policy(PACKS[municipality], policies=POLICIES))
    invariants.check_all(_engine(municipality, "durable"), case)


@pytest.mark.parametrize("municipality", sorted(PACKS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_both_evaluators_agree_on_a_real_policy(municipality: str, data: st.DataObject) -> None:
    """durable-rules and the reference evaluator give byte-identical advice under each real policy."""
    case: dict[str, Any] = data.draw(from_policy(PACKS[municipality], policies=POLICIES))
    durable, reference = _engine(municipality, "durable"), _engine(municipality, "reference")
    assert advice_content(reference.advise(case)) == advice_content(durable.advise(case))
