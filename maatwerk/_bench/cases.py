"""Cases for the benchmark: fast seeded generators, the bundled scenarios, and the domain registry.

The Hypothesis strategy in ``tests/conftest.py`` explores; this module only needs *many valid,
varied* cases quickly and reproducibly, so it draws from :class:`random.Random` with a seed. It
follows the same recipe (consistent dates, every law, culpability level, way of detection,
history, tri-state facts), and ``tests/test_bench.py`` checks that every case it makes is valid.

A domain is one entry of :data:`DOMAINS`: its folder under ``policies/`` and, when there is one, a
dedicated generator. A domain without a generator gets cases by recombining the sections of its
bundled scenario cases (see :func:`recombined_cases`), so a new domain is benchmarked as soon as
its policy folder and scenarios exist.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DOMAINS",
    "Domain",
    "Scenario",
    "benefit_case",
    "benefit_cases",
    "recombined_cases",
    "scenarios",
]

FIRST_DECISION = dt.date(2024, 1, 1)
LAST_DECISION = dt.date(2026, 11, 1)
FIRST_CONDUCT = dt.date(2010, 1, 1)  # also conduct before the Fraudewet (1-1-2013)

LAWS = ("participatiewet", "ioaw", "ioaz")
LEVELS = ("opzet", "grove_schuld", "normaal", "verminderd", "geen")
KINDS = ("inkomsten_of_werk", "samenwoning", "vermogen", "verblijf_buitenland", "overig")
DETECTIONS = ("zelfmelding_voor_ontdekking", "zelfmelding_tijdens_onderzoek", "onderzoek", "gegevensvergelijking")
SELF_REPORTS = ("zelfmelding_voor_ontdekking", "zelfmelding_tijdens_onderzoek")
INDICATORS = (
    "admission",
    "concealed_work_or_income",
    "concealed_household_or_assets",
    "repeated_failure_to_inform",
    "combination_pointing_to_gross_negligence",
)
CIRCUMSTANCES = (
    "disrupting_life_events",
    "mental_state_reduces_attribution",
    "combination_of_circumstances",
    "debts",
    "debt_arrangement",
    "dependent_children",
    "health_problems",
    "cooperated",
)
REF_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-"


def _day(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    """A day in ``low .. max(low, high)``, uniformly."""
    span = max(0, (high - low).days)
    return low + dt.timedelta(days=rng.randint(0, span))


def _money(rng: random.Random, max_cents: int) -> str:
    """Euros with exactly two decimals; a third of the draws stay small (around the €150 warning limit)."""
    cents = rng.randint(0, min(max_cents, 40_000)) if rng.random() < 1 / 3 else rng.randint(0, max_cents)
    return f"{cents // 100}.{cents % 100:02d}"


def _maybe(rng: random.Random, target: dict[str, Any], key: str, make: Callable[[], Any]) -> None:
    """Set ``key`` to ``make()``, to null, or leave it out (absent and null both mean unknown)."""
    choice = rng.randrange(4)
    if choice == 1:
        target[key] = None
    elif choice >= 2:
        target[key] = make()


def _tri(rng: random.Random) -> bool:
    return rng.random() < 0.5


def benefit_case(rng: random.Random, *, fineable: bool | None = None) -> dict[str, Any]:
    """One valid benefit case as a JSON-ready dict, with consistent dates.

    ``fineable=True`` makes a case that passes every gate (established, recent, a confirmed level,
    no urgent reasons); ``None`` picks fineable for half of the cases, like the test suite does.
    """
    if fineable is None:
        fineable = rng.random() < 0.5
    decision = _day(rng, FIRST_DECISION, LAST_DECISION)
    if fineable:
        start = _day(rng, max(FIRST_CONDUCT, decision - dt.timedelta(days=700)), decision)
        end = _day(rng, start, decision)
    else:
        if rng.random() < 0.75:
            start = _day(rng, max(FIRST_CONDUCT, decision - dt.timedelta(days=800)), decision)
        else:
            start = _day(rng, FIRST_CONDUCT, decision)
        end = _day(rng, start, min(decision, start + dt.timedelta(days=rng.randint(0, 1500))))
    due = _day(rng, start, min(decision, start + dt.timedelta(days=60)))
    detection = rng.choice(DETECTIONS)
    violation: dict[str, Any] = {
        "established": True if fineable else rng.random() < 0.9,
        "kind": rng.choice(KINDS),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "information_due": due.isoformat(),
        "detection": detection,
    }
    if detection in SELF_REPORTS:
        reported = min(decision, due + dt.timedelta(days=rng.randint(0, 200)))
        violation["self_reported_on"] = reported.isoformat()
        if detection == "zelfmelding_voor_ontdekking":
            detected = _day(rng, reported, decision)
        else:
            detected = _day(rng, due, reported)
    else:
        detected = _day(rng, due, decision)
    violation["detected_on"] = detected.isoformat()

    max_loss = 4_000_000 if fineable else 20_000_000
    loss: dict[str, Any] = {}
    which = rng.choice(("net", "gross", "both", "both"))
    net = _money(rng, max_loss)
    if which in ("net", "both"):
        loss["net"] = net
    if which == "gross":
        loss["gross"] = _money(rng, max_loss)
    elif which == "both":
        cents = int(net.replace(".", "")) + rng.randint(0, 900_000 if fineable else 5_000_000)
        loss["gross"] = f"{cents // 100}.{cents % 100:02d}"
    _maybe(rng, loss, "already_recovered", lambda: _money(rng, 500_000))
    if rng.random() < 0.5:
        loss["before_2013"] = _money(rng, 100_000)

    indicators: dict[str, Any] = {}
    for name in INDICATORS:
        _maybe(rng, indicators, name, lambda: _tri(rng))
    culpability: dict[str, Any] = {"indicators": indicators}
    if fineable:
        culpability["confirmed"] = rng.choice(LEVELS[:4])
    else:
        _maybe(rng, culpability, "confirmed", lambda: rng.choice(LEVELS))

    history: list[dict[str, Any]] = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice(("boete", "waarschuwing", "strafrechtelijke_sanctie"))
        earliest = max(dt.date(2005, 1, 1), start - dt.timedelta(days=12 * 366))
        entry: dict[str, Any] = {
            "kind": kind,
            "final_on": _day(rng, earliest, decision).isoformat(),
            "same_conduct": _tri(rng),
        }
        if kind == "strafrechtelijke_sanctie":
            entry["unconditional_prison"] = _tri(rng)
        history.append(entry)

    municipality: dict[str, Any] = {}
    for name in ("late_processing", "unclear_communication", "ignored_signals"):
        _maybe(rng, municipality, name, lambda: _tri(rng))
    circumstances: dict[str, Any] = {"municipality": municipality}
    for name in CIRCUMSTANCES:
        _maybe(rng, circumstances, name, lambda: _tri(rng))

    finances: dict[str, Any] = {}
    for name in ("bijstand_level_income", "financial_data_supplied", "joint_household"):
        _maybe(rng, finances, name, lambda: _tri(rng))
    _maybe(rng, finances, "monthly_norm", lambda: _money(rng, 300_000))
    _maybe(rng, finances, "household_monthly_norm", lambda: _money(rng, 400_000))
    _maybe(rng, finances, "monthly_payment_capacity", lambda: _money(rng, 200_000))

    procedure: dict[str, Any] = {}
    gates_open = fineable or rng.random() < 0.5  # half of the cases pass every procedural gate
    for name in ("deceased", "already_fined_same_facts", "prosecuted_same_facts"):
        procedure[name] = rng.choice((False, None)) if gates_open else rng.choice((False,) * 6 + (None,) * 3 + (True,))
    urgent = ("afwezig",) if fineable else ("aanwezig", "afwezig", "afwezig", "afwezig")
    _maybe(rng, procedure, "urgent_reasons", lambda: rng.choice(urgent))
    _maybe(rng, procedure, "reasonable_term_exceeded", lambda: _tri(rng))
    _maybe(rng, procedure, "limitation_suspended_days", lambda: rng.randint(0, 2000))
    if not fineable and rng.randrange(6) == 0:
        procedure["prosecutor_exception"] = rng.choice(("verwijzen", "niet_verwijzen"))

    case: dict[str, Any] = {
        "law": rng.choice(LAWS),
        "decision_date": decision.isoformat(),
        "violation": violation,
        "benefit_loss": loss,
        "culpability": culpability,
        "history": history,
        "circumstances": circumstances,
        "finances": finances,
        "procedure": procedure,
    }
    _maybe(rng, case, "case_ref", lambda: "".join(rng.choice(REF_CHARS) for _ in range(rng.randint(1, 20))))
    return case


def benefit_cases(n: int, *, seed: int = 2026) -> list[dict[str, Any]]:
    """``n`` valid benefit cases, the same list for the same seed."""
    rng = random.Random(seed)
    return [benefit_case(rng) for _ in range(n)]


# --- scenarios ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenario:
    """A bundled worked scenario: its name, the municipality it names, and its case."""

    name: str
    municipality: str | None
    case: dict[str, Any]


def _merge(base: Any, override: Any) -> Any:
    """Deep merge as the scenario runner does: mappings merge; ``null`` in the override removes a key."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = _merge(base.get(key), value)
        return out
    return override


def _jsonable(value: Any) -> Any:
    """YAML gives dates as :class:`datetime.date`; a case given to the engine is JSON data."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def scenarios(policy_dir: Path, domain: str) -> list[Scenario]:
    """The worked scenarios of ``domain`` under ``policy_dir`` (files starting with ``_`` are bases)."""
    out = []
    for path in sorted((policy_dir / domain).glob("**/scenarios/*.yaml")):
        if path.name.startswith("_"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        case = data.get("case") or {}
        if "extends" in data:
            case = _merge(yaml.safe_load((path.parent / data["extends"]).read_text(encoding="utf-8")), case)
        municipality = data.get("municipality", "lansingerland")
        out.append(Scenario(f"{path.parent.parent.name}/{path.stem}", municipality, _jsonable(case)))
    return out


def recombined_cases(
    pool: Sequence[Mapping[str, Any]], n: int, *, seed: int, valid: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """``n`` cases made by recombining top-level sections of the cases in ``pool``.

    Each new case starts as a copy of one case and takes every section from a second case with
    probability one half; only cases for which ``valid`` holds are kept (sections of two cases may
    not fit together, for instance their dates). Raises :class:`ValueError` if fewer than one in
    fifty attempts gives a valid case.
    """
    if not pool:
        raise ValueError("recombination needs at least one case")
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    attempts = 0
    while len(out) < n:
        attempts += 1
        if attempts > 50 * n + 100:
            raise ValueError(f"only {len(out)} of {attempts} recombined cases were valid")
        case = copy.deepcopy(dict(rng.choice(pool)))
        donor = rng.choice(pool)
        for key in sorted(donor):
            if rng.random() < 0.5:
                case[key] = copy.deepcopy(donor[key])
        if valid(case):
            out.append(case)
    return out


# --- domains --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Domain:
    """A domain to benchmark: its folder under ``policies/`` and, if it has one, a case generator."""

    name: str
    generator: Callable[[random.Random], dict[str, Any]] | None

    def present(self, policy_dir: Path) -> bool:
        """Whether the policy folder of this domain exists (a domain that does not is reported as such)."""
        return (policy_dir / self.name).is_dir()


#: The domains ``make bench`` measures, in report order. The provider domain (Wmo 2015, Jeugdwet)
#: switches on when ``policies/providers/`` exists; its cases are recombined from its scenarios.
DOMAINS: tuple[Domain, ...] = (
    Domain("benefits", benefit_case),
    Domain("providers", None),
)
