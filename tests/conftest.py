"""Shared fixtures and Hypothesis strategies for the maatwerk test suite.

``benefit_cases()`` draws valid, varied benefit cases as plain JSON-ready dicts: every law, every
culpability level (and none), amounts from €0 to €200.000 as two-decimal strings, every way of
detection with a consistent ``self_reported_on``, sanction history, finances and optional
tri-state facts. Dates are consistent (start <= end <= decision_date, and every other date on or
before the decision), and decision dates lie in 2024-01-01 .. 2026-11-01, where the bundled
Lansingerland pack is valid.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from maatwerk import Advice, Engine

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "policy_fixtures"

FIRST_DECISION = dt.date(2024, 1, 1)
LAST_DECISION = dt.date(2026, 11, 1)
FIRST_CONDUCT = dt.date(2010, 1, 1)  # also conduct before the Fraudewet (1-1-2013)

LAWS = ("participatiewet", "ioaw", "ioaz")
LEVELS = ("opzet", "grove_schuld", "normaal", "verminderd", "geen")
KINDS = ("inkomsten_of_werk", "samenwoning", "vermogen", "verblijf_buitenland", "overig")
DETECTIONS = ("zelfmelding_voor_ontdekking", "zelfmelding_tijdens_onderzoek", "onderzoek", "gegevensvergelijking")
SELF_REPORTS = ("zelfmelding_voor_ontdekking", "zelfmelding_tijdens_onderzoek")

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


def money(max_cents: int = 20_000_000) -> st.SearchStrategy[str]:
    """Euros as a string with exactly two decimals, from 0.00 to ``max_cents`` / 100."""
    small = st.integers(0, min(max_cents, 40_000))  # around the €150 warning limit and small fines
    cents = st.one_of(small, st.integers(0, max_cents), st.integers(0, max_cents))
    return cents.map(lambda c: f"{c // 100}.{c % 100:02d}")


def tri() -> st.SearchStrategy[bool | None]:
    """A tri-state fact: true, false, or unknown."""
    return st.sampled_from([None, True, False])


def mostly_false() -> st.SearchStrategy[bool | None]:
    """A tri-state gate fact that is usually false, so gates do not hide every other rule."""
    return st.sampled_from([False] * 6 + [None] * 3 + [True])


def _day(draw: st.DrawFn, low: dt.date, high: dt.date) -> dt.date:
    return draw(st.dates(min_value=low, max_value=max(low, high)))


def _maybe(draw: st.DrawFn, target: dict[str, Any], key: str, value: st.SearchStrategy[Any]) -> None:
    """Set ``key`` to a drawn value, or leave it out (absent and null both mean unknown)."""
    choice = draw(st.sampled_from(("absent", "null", "value", "value")))
    if choice == "null":
        target[key] = None
    elif choice == "value":
        target[key] = draw(value)


@st.composite
def benefit_cases(draw: st.DrawFn, *, fineable: bool = False) -> dict[str, Any]:
    """A valid benefit case dict with consistent dates.

    With ``fineable=True`` the case passes every gate: established, recent (no limitation), a
    confirmed culpability level, below the prosecutor's threshold, and no urgent reasons found.
    """
    decision = _day(draw, FIRST_DECISION, LAST_DECISION)
    if fineable:
        recent_start = st.dates(min_value=max(FIRST_CONDUCT, decision - dt.timedelta(days=700)), max_value=decision)
        start = draw(recent_start)
        end = _day(draw, start, decision)
    else:
        recent = st.dates(min_value=max(FIRST_CONDUCT, decision - dt.timedelta(days=800)), max_value=decision)
        start = draw(st.one_of(recent, recent, recent, st.dates(min_value=FIRST_CONDUCT, max_value=decision)))
        end = _day(draw, start, min(decision, start + dt.timedelta(days=draw(st.integers(0, 1500)))))
    due = _day(draw, start, min(decision, start + dt.timedelta(days=60)))
    detection = draw(st.sampled_from(DETECTIONS))
    violation: dict[str, Any] = {
        "established": True if fineable else draw(st.sampled_from([True] * 9 + [False])),
        "kind": draw(st.sampled_from(KINDS)),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "information_due": due.isoformat(),
        "detection": detection,
    }
    if detection in SELF_REPORTS:
        reported = min(decision, due + dt.timedelta(days=draw(st.integers(0, 200))))
        violation["self_reported_on"] = reported.isoformat()
        if detection == "zelfmelding_voor_ontdekking":
            detected = _day(draw, reported, decision)
        else:
            detected = _day(draw, due, reported)
    else:
        detected = _day(draw, due, decision)
    violation["detected_on"] = detected.isoformat()

    loss: dict[str, Any] = {}
    which = draw(st.sampled_from(("net", "gross", "both", "both")))
    net = draw(money(4_000_000 if fineable else 20_000_000))
    if which in ("net", "both"):
        loss["net"] = net
    if which == "gross":
        loss["gross"] = draw(money(4_000_000 if fineable else 20_000_000))
    elif which == "both":
        extra = draw(st.integers(0, 900_000 if fineable else 5_000_000))
        cents = int(net.replace(".", "")) + extra
        loss["gross"] = f"{cents // 100}.{cents % 100:02d}"
    _maybe(draw, loss, "already_recovered", money(500_000))
    if draw(st.booleans()):
        loss["before_2013"] = draw(money(100_000))

    indicators: dict[str, Any] = {}
    for name in (
        "admission",
        "concealed_work_or_income",
        "concealed_household_or_assets",
        "repeated_failure_to_inform",
        "combination_pointing_to_gross_negligence",
    ):
        _maybe(draw, indicators, name, st.booleans())
    culpability: dict[str, Any] = {"indicators": indicators}
    if fineable:
        culpability["confirmed"] = draw(st.sampled_from(LEVELS[:4]))
    else:
        _maybe(draw, culpability, "confirmed", st.sampled_from(LEVELS))

    history: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(("boete", "waarschuwing", "strafrechtelijke_sanctie")))
        entry: dict[str, Any] = {
            "kind": kind,
            "final_on": _day(draw, max(dt.date(2005, 1, 1), start - dt.timedelta(days=12 * 366)), decision).isoformat(),
            "same_conduct": draw(st.booleans()),
        }
        if kind == "strafrechtelijke_sanctie":
            entry["unconditional_prison"] = draw(st.booleans())
        history.append(entry)

    municipality: dict[str, Any] = {}
    for name in ("late_processing", "unclear_communication", "ignored_signals"):
        _maybe(draw, municipality, name, st.booleans())
    circumstances: dict[str, Any] = {"municipality": municipality}
    for name in (
        "disrupting_life_events",
        "mental_state_reduces_attribution",
        "combination_of_circumstances",
        "debts",
        "debt_arrangement",
        "dependent_children",
        "health_problems",
        "cooperated",
    ):
        _maybe(draw, circumstances, name, st.booleans())

    finances: dict[str, Any] = {}
    _maybe(draw, finances, "bijstand_level_income", st.booleans())
    _maybe(draw, finances, "financial_data_supplied", st.booleans())
    _maybe(draw, finances, "joint_household", st.booleans())
    _maybe(draw, finances, "monthly_norm", money(300_000))
    _maybe(draw, finances, "household_monthly_norm", money(400_000))
    _maybe(draw, finances, "monthly_payment_capacity", money(200_000))

    procedure: dict[str, Any] = {}
    gates_open = fineable or draw(st.booleans())  # half of the cases pass every procedural gate
    for name in ("deceased", "already_fined_same_facts", "prosecuted_same_facts"):
        procedure[name] = draw(st.sampled_from([False, None]) if gates_open else mostly_false())
    urgent = ("afwezig",) if fineable else ("aanwezig", "afwezig", "afwezig", "afwezig")
    _maybe(draw, procedure, "urgent_reasons", st.sampled_from(urgent))
    _maybe(draw, procedure, "reasonable_term_exceeded", st.booleans())
    _maybe(draw, procedure, "limitation_suspended_days", st.integers(0, 2000))
    if not fineable and draw(st.integers(0, 5)) == 0:
        procedure["prosecutor_exception"] = draw(st.sampled_from(("verwijzen", "niet_verwijzen")))

    case: dict[str, Any] = {
        "law": draw(st.sampled_from(LAWS)),
        "decision_date": decision.isoformat(),
        "violation": violation,
        "benefit_loss": loss,
        "culpability": culpability,
        "history": history,
        "circumstances": circumstances,
        "finances": finances,
        "procedure": procedure,
    }
    _maybe(draw, case, "case_ref", st.from_regex(r"[A-Za-z0-9._:\-]{1,20}", fullmatch=True))
    return case


PROVIDER_LAWS = ("wmo2015", "jeugdwet")
PROVIDER_KINDS = (
    "calamiteit_niet_gemeld",
    "geweld_niet_gemeld",
    "kwaliteit_onvoldoende",
    "geen_medewerking_toezicht",
    "vermoeden_fraude",
)
EARLIER_KINDS = (
    "gesprek",
    "verbeterplan",
    "verscherpt_toezicht",
    "contractmaatregel",
    "last_onder_dwangsom",
    "contractuele_boete",
)
#: The risk facts of a provider case, from lighter to heavier: (path, lighter value, heavier value).
RISK_FACTS = (
    (("risk", "harm_occurred"), False, True),
    (("risk", "vulnerable_clients"), False, True),
    (("risk", "ongoing_danger"), False, True),
    (("pattern",), "incidenteel", "structureel"),
)


@st.composite
def provider_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Valid provider cases as JSON-ready dicts: both laws, every violation kind, every risk and
    response fact known or unknown, earlier measures, any contract, decisions 2024-01-01 .. 2026-11-01."""
    decision = _day(draw, FIRST_DECISION, LAST_DECISION)
    case: dict[str, Any] = {
        "domain": "providers",
        "law": draw(st.sampled_from(PROVIDER_LAWS)),
        "decision_date": decision.isoformat(),
        "provider": {"id": draw(st.from_regex(r"[A-Z]{3}-[0-9]{1,6}", fullmatch=True))},
        "violation": {
            "established": draw(st.booleans() | st.just(True)),
            "kind": draw(st.sampled_from(PROVIDER_KINDS)),
            "found_on": _day(draw, dt.date(2020, 1, 1), decision).isoformat(),
        },
        "risk": {},
        "response": {},
        "continuity": {},
        "contract": {},
        "municipality": {},
    }
    for key in ("harm_occurred", "vulnerable_clients", "ongoing_danger"):
        _maybe(draw, case["risk"], key, st.booleans())
    _maybe(draw, case, "pattern", st.sampled_from(("incidenteel", "structureel")))
    for key in ("cooperates", "capacity_to_improve"):
        _maybe(draw, case["response"], key, st.booleans())
    _maybe(draw, case["continuity"], "clients_can_move_in_time", st.booleans())
    for key in ("improvement_plan", "intake_stop", "payment_suspension", "penalty", "termination"):
        _maybe(draw, case["contract"], key, st.booleans())
    if case["contract"].get("penalty") is not False:
        _maybe(draw, case["contract"], "penalty_max", money(10_000_000))
    _maybe(draw, case, "culpability", st.sampled_from(LEVELS))
    for key in ("unclear_requirements", "signals_not_acted_on"):
        _maybe(draw, case["municipality"], key, st.booleans())
    case["history"] = [
        {
            "kind": draw(st.sampled_from(EARLIER_KINDS)),
            "taken_on": _day(draw, dt.date(2018, 1, 1), decision).isoformat(),
            "same_standard": draw(st.booleans()),
            "complied": draw(st.none() | st.booleans()),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    return case
