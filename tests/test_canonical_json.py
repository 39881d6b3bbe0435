# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The receipt's canonical JSON: written by orjson, byte for byte what ``json.dumps`` wrote, so that
every receipt made before stays reproducible (an audit replay recomputes it)."""

from __future__ import annotations

import json
from typing import Any

from conftest import EXAMPLES, benefit_cases, provider_cases
from hypothesis import given
from hypothesis import strategies as st

from maatwerk import parse_case
from maatwerk._api import canonical_json
from maatwerk.testing import from_policy


def _as_json_dumps_wrote_it(case: Any) -> str:
    """The canonical JSON as maatwerk 0.1 wrote it, with the standard library."""
    return json.dumps(case.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@given(
    case=st.one_of(
        benefit_cases(),
        provider_cases(),
        from_policy("lansingerland-benefits"),
        from_policy("lansingerland-wmo2015"),
    )
)
def test_the_canonical_json_is_what_json_dumps_wrote(case: dict[str, Any]) -> None:
    """For any case of either domain, the canonical JSON is the standard library's, byte for byte."""
    parsed = parse_case(case)
    assert canonical_json(parsed) == _as_json_dumps_wrote_it(parsed)


def test_the_canonical_json_sorts_keys_at_every_depth_without_spaces() -> None:
    """A bundled example: keys sorted in every object, no spaces, amounts as strings with their cents."""
    case = parse_case((EXAMPLES / "01-inkomsten-normaal.json").read_text(encoding="utf-8"))
    text = canonical_json(case)
    assert text == _as_json_dumps_wrote_it(case)
    assert " " not in text
    assert '"net":"2480.00"' in text
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert list(data["violation"]) == sorted(data["violation"])
    assert list(data["violation"]["period"]) == sorted(data["violation"]["period"])
