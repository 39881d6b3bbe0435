"""Worked scenarios: every ``policies/**/scenarios/*.yaml`` is a case with its expected advice.

A scenario names the municipality (or ``null`` for national law only), gives the case (optionally
``extends`` a base case file in the same folder, deep-merged), and states what the advice must
show. Each expected figure is computed by hand in the scenario's comments. Every scenario also runs
through the reference evaluator, and both advices must be byte-identical.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from maatwerk import Advice, Engine

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(p for p in (ROOT / "policies").glob("**/scenarios/*.yaml") if not p.name.startswith("_"))
TOP_KEYS = {"name", "municipality", "extends", "case", "expect", "xfail"}
EXPECT_KEYS = {
    "measure",
    "amount",
    "tracks",
    "fired",
    "not_fired",
    "band_highest",
    "band_lowest",
    "alternatives",
    "decisions",
    "missing",
    "cause_category",
    "followups",
    "deadline_days",
    "lawful",
    "unlawful",
}


@functools.cache
def engine(municipality: str | None, evaluator: str) -> Engine:
    return Engine(municipality=municipality, evaluator=evaluator)  # type: ignore[arg-type]


def merge(base: Any, override: Any) -> Any:
    """Deep merge: mappings merge key by key; ``null`` in the override removes a key."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(base.get(key), value)
        return out
    return override


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: a scenario is a mapping"
    assert set(data) <= TOP_KEYS, f"{path}: unknown keys {sorted(set(data) - TOP_KEYS)}"
    assert set(data["expect"]) <= EXPECT_KEYS, (
        f"{path}: unknown expect keys {sorted(set(data['expect']) - EXPECT_KEYS)}"
    )
    case = data.get("case") or {}
    if "extends" in data:
        case = merge(load_base(path.parent / data["extends"]), case)
    data["case"] = case
    return data


def load_base(path: Path) -> dict[str, Any]:
    base = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(base, dict), f"{path}: a base case is a mapping"
    return base


def _money(value: Any) -> str | None:
    return None if value is None else f"{value}"


def check(advice: Advice, expect: dict[str, Any]) -> list[str]:
    """Every expectation that does not hold, as a readable line."""
    errors: list[str] = []
    fired = [s.rule_id for s in advice.steps]

    def want(label: str, expected: Any, actual: Any) -> None:
        if expected != actual:
            errors.append(f"{label}: expected {expected!r}, got {actual!r}")

    if "measure" in expect:
        want("measure", expect["measure"], advice.measure.kind)
    if "amount" in expect:
        want("amount", _money(expect["amount"]), _money(advice.measure.amount))
    for track, status in (expect.get("tracks") or {}).items():
        found = {t.id: t.status for t in advice.tracks}
        want(f"track {track}", status, found.get(track))
    for rule in expect.get("fired") or []:
        if rule not in fired:
            errors.append(f"rule {rule} did not fire (fired: {fired})")
    for rule in expect.get("not_fired") or []:
        if rule in fired:
            errors.append(f"rule {rule} fired but must not")
    if "band_highest" in expect:
        want("band highest", _money(expect["band_highest"]), _money(advice.measure.band.highest_amount))
    if "band_lowest" in expect:
        want("band lowest", _money(expect["band_lowest"]), _money(advice.measure.band.lowest_amount))
    alternatives = {a.measure: a for a in advice.alternatives}
    for measure, amount in (expect.get("alternatives") or {}).items():
        if measure not in alternatives:
            errors.append(f"alternative {measure} missing (have {sorted(alternatives)})")
        else:
            want(f"alternative {measure}", _money(amount), _money(alternatives[measure].amount))
    decisions = [d.id for d in advice.decisions]
    for decision in expect.get("decisions") or []:
        if decision not in decisions:
            errors.append(f"decision {decision} missing (have {decisions})")
    missing = [m.fact for m in advice.missing_facts]
    for fact in expect.get("missing") or []:
        if fact not in missing:
            errors.append(f"missing fact {fact} not listed (have {missing})")
    if "cause_category" in expect:
        want("cause category", expect["cause_category"], advice.cause_category)
    if "deadline_days" in expect:
        want("deadline days", expect["deadline_days"], advice.measure.deadline_days)
    for measure in expect.get("lawful") or []:
        if measure not in alternatives or not alternatives[measure].lawful:
            errors.append(f"alternative {measure} must be lawful (have {sorted(alternatives)})")
    for measure in expect.get("unlawful") or []:
        if measure not in alternatives or alternatives[measure].lawful:
            errors.append(f"alternative {measure} must be listed as not lawful")
    followups = [f.id for f in advice.followups]
    for fu in expect.get("followups") or []:
        if fu not in followups:
            errors.append(f"follow-up {fu} missing (have {followups})")
    return errors


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_scenario(path: Path) -> None:
    """The advice for the scenario's case shows what the scenario expects, on both evaluators."""
    data = load(path)
    if "xfail" in data:
        pytest.xfail(str(data["xfail"]))
    municipality = data.get("municipality", "lansingerland")
    advice = engine(municipality, "durable").advise(data["case"])
    errors = check(advice, data["expect"])
    assert not errors, f"{path.name} ({data['name']}):\n  " + "\n  ".join(errors)
    reference = engine(municipality, "reference").advise(data["case"])
    assert advice.model_dump_json() == reference.model_dump_json()


def test_there_are_at_least_forty_scenarios() -> None:
    """The bundled benefit packs come with at least 40 worked scenarios."""
    assert len([p for p in SCENARIOS if "benefits" in p.parts]) >= 40


def test_there_are_at_least_twenty_provider_scenarios() -> None:
    """The bundled provider packs come with at least 20 worked scenarios, for both laws."""
    providers = [p for p in SCENARIOS if "providers" in p.parts]
    assert len(providers) >= 20
    assert {p.parent.parent.name for p in providers} == {"lansingerland-wmo2015", "lansingerland-jeugdwet"}
