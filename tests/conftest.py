# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Shared fixtures for the maatwerk test suite.

The Hypothesis strategies are maatwerk's public ones (:mod:`maatwerk.testing`): ``benefit_cases()``
(``maatwerk.testing.cases``) draws valid, varied benefit cases as plain JSON-ready dicts, decided in
2024-01-01 .. 2026-11-01 where the bundled Lansingerland pack is valid; ``provider_cases()`` does
the same for care-provider cases.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from maatwerk import Advice, Engine
from maatwerk.models.case import BENEFIT_LAWS
from maatwerk.testing import cases, from_policy, provider_cases
from maatwerk.testing.invariants import RISK_FACTS

pytest_plugins = ["pytester"]

# Fixture packs are data for the tests, not tests: their scenario files need the bundled national pack
# beside them (test_beslagvrije_voet.py copies them there), so pytest does not collect them where they lie.
collect_ignore = ["policy_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "policy_fixtures"

LAWS = BENEFIT_LAWS

settings.register_profile(
    "maatwerk",
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# CI replays a fixed set of examples, so a run cannot turn red on a newly drawn one; local runs
# keep exploring (and Hypothesis' database replays any failure found there).
settings.register_profile("maatwerk-ci", parent=settings.get_profile("maatwerk"), derandomize=True)
settings.load_profile("maatwerk-ci" if os.environ.get("CI") else "maatwerk")


# --- the user's config folder ------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def own_config_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The audit secret lies by default in the user's config folder: the tests (and the services
    they start, which inherit the environment) get one of their own, never the real one."""
    before = os.environ.get("XDG_CONFIG_HOME")
    home = tmp_path_factory.mktemp("config-home")
    os.environ["XDG_CONFIG_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = before


# --- engines ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The default engine: durable-rules, national pack with the Lansingerland pack."""
    return Engine()


@pytest.fixture(scope="session")
def reference_engine() -> Engine:
    """The plain-Python oracle engine on the same packs."""
    return Engine(evaluator="reference")


@pytest.fixture(scope="session")
def example_cases() -> dict[str, dict[str, Any]]:
    """The bundled example cases, by file name."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))}


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled ``policies/`` folder."""
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target)
    return target


# --- helpers ------------------------------------------------------------------------------------


def advice_json(advice: Advice) -> str:
    """The advice as canonical JSON text (what integrators store and compare)."""
    return advice.model_dump_json()


def advice_content(advice: Advice) -> str:
    """The advice as canonical JSON text without ``engine`` (which names the evaluator that made it):
    what the two evaluators must agree on byte for byte."""
    return advice.model_copy(update={"engine": ""}).model_dump_json()


def advice_without(advice: Advice, *fields: str) -> dict[str, Any]:
    """The advice as JSON data without the named top-level fields."""
    data: dict[str, Any] = json.loads(advice.model_dump_json())
    for name in fields:
        data.pop(name, None)
    return data


def valid_case() -> dict[str, Any]:
    """One small valid case: normal culpability, €2.480 net loss, ability to pay known."""
    return {
        "case_ref": "test-1",
        "law": "participatiewet",
        "decision_date": "2026-03-02",
        "violation": {
            "established": True,
            "kind": "inkomsten_of_werk",
            "period": {"start": "2025-02-01", "end": "2025-07-31"},
            "information_due": "2025-02-08",
            "detected_on": "2025-10-15",
            "detection": "gegevensvergelijking",
        },
        "benefit_loss": {"net": "2480.00", "gross": "3100.00"},
        "culpability": {"confirmed": "normaal"},
        "finances": {
            "bijstand_level_income": True,
            "monthly_norm": "1401.50",
            "financial_data_supplied": True,
            "joint_household": False,
        },
        "procedure": {"deceased": False, "already_fined_same_facts": False, "prosecuted_same_facts": False},
    }


# --- strategies ---------------------------------------------------------------------------------
# The generators are the public ones of maatwerk.testing (one recipe, shared with `maatwerk diff`).

benefit_cases = cases

#: Any case of both domains, national or under a municipality's pack (the outcome and JSON paths' properties).
ANY_CASE = st.one_of(
    benefit_cases(),
    provider_cases(),
    from_policy("lansingerland-benefits"),
    from_policy("lansingerland-wmo2015"),
    from_policy("lansingerland-jeugdwet"),
)


# --- engines -----------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["durable", "reference", "compiled"])
def each_engine(request: pytest.FixtureRequest) -> Engine:
    from maatwerk._api import durable_unavailable

    if request.param == "durable" and durable_unavailable() is not None:
        pytest.skip("durable-rules does not import on this Python")
    return Engine(evaluator=request.param)


__all__ = ["ANY_CASE", "RISK_FACTS", "benefit_cases", "provider_cases"]
