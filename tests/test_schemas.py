# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The published JSON Schemas match the models, and the bundled examples validate against them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maatwerk import Engine, parse_case
from maatwerk.cli import schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "reference" / "schema"


@pytest.mark.parametrize("kind", ["case", "advice", "policy"])
def test_published_schema_is_current(kind: str) -> None:
    """docs/reference/schema/<kind>.v1.json equals `maatwerk schema <kind>` (regenerate it if this fails)."""
    published = json.loads((SCHEMAS / f"{kind}.v1.json").read_text(encoding="utf-8"))
    assert schema(kind) == published


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.json")), ids=lambda p: p.stem)
def test_every_example_is_a_valid_case(path: Path) -> None:
    """Each bundled example parses as a case and round-trips through JSON unchanged."""
    case = parse_case(path.read_text(encoding="utf-8"))
    assert parse_case(case.model_dump_json()) == case


def test_advice_json_validates_against_the_advice_schema_shape() -> None:
    """Every top-level key of a real advice is a property of the advice schema, and every required one is present."""
    advice = json.loads(
        Engine().advise((ROOT / "examples" / "01-inkomsten-normaal.json").read_text()).model_dump_json()
    )
    doc = schema("advice")
    assert set(advice) <= set(doc["properties"])
    assert set(doc.get("required", [])) <= set(advice)
