# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The public surface of ``maatwerk``: names, error classes and their contracts."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import importlib.metadata
import json

import pytest
from conftest import valid_case

import maatwerk
from maatwerk import (
    Advice,
    BenefitCase,
    CaseError,
    Engine,
    EngineError,
    MaatwerkError,
    PolicyError,
    PolicySelectionError,
    Problem,
    parse_case,
)

DOCUMENTED = [
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


def test_all_is_exactly_the_documented_list() -> None:
    """``maatwerk.__all__`` names exactly the documented public API."""
    assert DOCUMENTED == maatwerk.__all__


def test_all_is_sorted() -> None:
    """``__all__`` is kept in sorted order."""
    assert sorted(maatwerk.__all__) == maatwerk.__all__


def test_every_public_name_exists() -> None:
    """Every name in ``__all__`` can be imported from the package."""
    assert [] == [name for name in maatwerk.__all__ if not hasattr(maatwerk, name)]


def test_version_matches_the_installed_distribution() -> None:
    """``maatwerk.__version__`` is the version of the installed package."""
    assert importlib.metadata.version("maatwerk") == maatwerk.__version__


def test_importing_maatwerk_does_not_load_the_rules_engine() -> None:
    """``import maatwerk`` stays light: durable-rules is imported only when an Engine needs it."""
    import subprocess
    import sys

    code = "import sys, maatwerk; print('durable_rules_engine' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "False" == out.strip()


@pytest.mark.parametrize(
    ("error", "base", "code"),
    [
        (CaseError, ValueError, "CASE_INVALID"),
        (PolicyError, ValueError, "POLICY_INVALID"),
        (PolicySelectionError, LookupError, "POLICY_NOT_VALID_ON_DATE"),
        (EngineError, RuntimeError, "ENGINE_ERROR"),
    ],
)
def test_errors_derive_from_maatwerk_error_and_a_standard_exception(
    error: type[MaatwerkError], base: type[Exception], code: str
) -> None:
    """Each error is a MaatwerkError and the closest standard exception, with a stable code and a hint."""
    instance = error("message")
    assert (True, True, code, True) == (
        isinstance(instance, MaatwerkError),
        isinstance(instance, base),
        instance.code,
        bool(instance.hint),
    )


def test_error_text_lists_every_problem_and_the_hint() -> None:
    """str(error) gives the code and message, one line per located problem, then the hint."""
    err = CaseError("bad case", problems=(Problem("law", "CASE_INVALID_VALUE", "unknown law"),), hint="fix it")
    assert "CASE_INVALID: bad case\n  law: CASE_INVALID_VALUE: unknown law\n  hint: fix it" == str(err)


def test_error_to_dict_is_json_ready() -> None:
    """to_dict gives code, message, hint and problems, serialisable as JSON."""
    err = PolicyError("bad pack", problems=(Problem("p.yaml:3:5", "POLICY_UNKNOWN_FACT", "unknown fact"),))
    data = err.to_dict()
    assert {
        "code": "POLICY_INVALID",
        "message": "bad pack",
        "hint": PolicyError.hint,
        "problems": [{"where": "p.yaml:3:5", "code": "POLICY_UNKNOWN_FACT", "message": "unknown fact"}],
    } == json.loads(json.dumps(data))


def test_problem_is_immutable() -> None:
    """A Problem is a frozen value."""
    problem = Problem("law", "CASE_INVALID_VALUE", "x")
    with pytest.raises(AttributeError):
        problem.code = "OTHER"  # type: ignore[misc]


def test_parse_case_gives_a_benefit_case() -> None:
    """parse_case returns the public BenefitCase model."""
    assert isinstance(parse_case(valid_case()), BenefitCase)


def test_advise_gives_an_advice(engine: Engine) -> None:
    """Engine.advise returns the public Advice model, schema version 1."""
    advice = engine.advise(valid_case())
    assert (True, "1") == (isinstance(advice, Advice), advice.schema_version)


def test_case_errors_are_catchable_as_value_error() -> None:
    """Callers that do not know maatwerk can catch ValueError."""
    with pytest.raises(ValueError, match="CASE_INVALID"):
        parse_case("{}")


def test_protected_characteristic_error_names_the_path() -> None:
    """A protected characteristic is refused with its dotted path."""
    case = valid_case()
    case["finances"]["Postcode"] = "2651"
    with pytest.raises(CaseError) as info:
        parse_case(case)
    assert [("finances.Postcode", "PROTECTED_CHARACTERISTIC")] == [(p.where, p.code) for p in info.value.problems]


def test_protected_characteristic_is_refused_in_a_list() -> None:
    """Protected characteristics inside list entries are found too."""
    case = valid_case()
    case["history"] = [{"kind": "boete", "final_on": "2020-01-01", "same_conduct": True, "nationality": "x"}]
    with pytest.raises(CaseError) as info:
        parse_case(case)
    assert [("history.0.nationality", "PROTECTED_CHARACTERISTIC")] == [(p.where, p.code) for p in info.value.problems]


def test_protected_characteristic_is_refused_in_json_text() -> None:
    """JSON text with a protected characteristic at top level is refused before validation."""
    case = valid_case()
    case["leeftijd"] = 34
    with pytest.raises(CaseError) as info:
        parse_case(json.dumps(case))
    assert ["PROTECTED_CHARACTERISTIC"] == [p.code for p in info.value.problems]


def test_models_publish_a_json_schema() -> None:
    """BenefitCase and Advice publish JSON Schemas (for `maatwerk schema`)."""
    assert ("object", "object") == (
        BenefitCase.model_json_schema()["type"],
        Advice.model_json_schema()["type"],
    )


TESTING = ["cases", "from_policy", "invariants", "provider_cases", "unreachable_rules"]
INVARIANTS = [
    "CULPABILITY_ORDER",
    "RISK_FACTS",
    "InvariantError",
    "check_all",
    "evaluators_agree",
    "milder_law_wins",
    "monotonic_in_amount",
    "monotonic_in_culpability",
    "monotonic_in_severity",
    "more_facts_never_less_decisive",
    "unread_fields_change_nothing",
    "warning_only_where_lawful",
    "within_legal_bounds",
]


def test_the_testing_toolkit_exposes_exactly_its_documented_names() -> None:
    """``maatwerk.testing`` and ``maatwerk.testing.invariants`` name exactly the documented API, sorted,
    and every name resolves (the strategies lazily, through Hypothesis)."""
    import maatwerk.testing
    from maatwerk.testing import invariants

    assert (TESTING, INVARIANTS) == (maatwerk.testing.__all__, invariants.__all__)
    assert [] == [n for n in TESTING if not hasattr(maatwerk.testing, n)]
    assert [] == [n for n in INVARIANTS if not hasattr(invariants, n)]
    with pytest.raises(AttributeError, match="has no attribute 'strategies'"):
        maatwerk.testing.strategies  # noqa: B018  (the attribute access is the test)


def test_the_shared_value_types_are_where_users_look_for_them() -> None:
    """Text (every bilingual sentence) and Money (every amount) are importable from maatwerk and from
    maatwerk.models, next to the case and advice models that use them."""
    import maatwerk
    import maatwerk.models

    assert (maatwerk.Text, maatwerk.Money, maatwerk.ProviderCase) == (
        maatwerk.models.Text,
        maatwerk.models.Money,
        maatwerk.models.ProviderCase,
    )
