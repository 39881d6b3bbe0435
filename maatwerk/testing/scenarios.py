# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Worked scenarios: a case and the advice it must get, in YAML, next to the pack they test.

A scenario file lives at ``<policies>/<domain>/<pack>/scenarios/<name>.yaml`` (a file whose name
starts with ``_`` is a base case, not a scenario)::

    name: "Art. 2 lid 7 bij normale verwijtbaarheid"
    # 20.000 > 100/75 x 10.300: boete = 50/75 x 10.300 = 6.866,66; afronden: 6.870.
    extends: _base.yaml                  # optional: a base case in the same folder, deep-merged
    case: {benefit_loss: {net: "20000.00", gross: "24000.00"}}   # null removes a field of the base
    municipality: null                   # optional: national law only (default: the pack's own)
    expect:
      measure: boete
      amount: "6870.00"
      fired: [some_rule]
      # or, for a case the engine must refuse (alone): refused: POLICY_NOT_VALID_ON_DATE
    xfail: "reason"                      # optional: a known disagreement, until the pack is fixed

:func:`load_scenario` reads and checks a file, its case (after merging the base) and the names in
its expectations, reporting every problem at once, each located ``file:line:col`` with a "did you
mean";
:func:`run_scenario` advises on its case and returns every expectation that does not hold, on
every evaluator (durable-rules, the reference and the compiled evaluator), whose advices must also be
byte-identical. The pytest plugin
(:mod:`maatwerk.testing.pytest_plugin`) runs them; the bundled benchmark reads them too.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from maatwerk._api import SELECTION_STEPS, Engine
from maatwerk._intake.case import PROTECTED_KEYS
from maatwerk._policy._hints import dotted, hint, suggest
from maatwerk._policy._yaml import Positions, load_located, position_of
from maatwerk.errors import CaseError, EngineError, MaatwerkError, PolicyError, PolicySelectionError, Problem
from maatwerk.models._base import MONEY_ERROR, money_message
from maatwerk.models.advice import Advice, BenefitMeasureKind, ProviderMeasureKind
from maatwerk.models.case import BenefitCase
from maatwerk.models.provider import ProviderCase

__all__ = [
    "EXPECT_KEYS",
    "TOP_KEYS",
    "Scenario",
    "ScenarioError",
    "check_advice",
    "is_scenario_file",
    "load_scenario",
    "merge",
    "run_scenario",
    "scenario_files",
]

TOP_KEYS = ("name", "municipality", "extends", "case", "expect", "xfail")
EXPECT_KEYS = (
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
    "decision_says",
    "refused",
)
_PACK_DEFAULT = object()

#: The case model of each domain (``"domain"`` in the case; none means benefits).
CASE_MODELS: dict[str, type[BaseModel]] = {"benefits": BenefitCase, "providers": ProviderCase}

#: The measures an advice of each domain can recommend (its alternatives are named more finely, e.g.
#: ``boete_opzet``; an unknown alternative fails the run, which lists the alternatives there are).
MEASURES: dict[str, tuple[str, ...]] = {
    "benefits": typing.get_args(BenefitMeasureKind),
    "providers": typing.get_args(ProviderMeasureKind),
}

#: The codes a scenario can expect with ``refused``: the engine refuses the case with this error
#: (e.g. ``POLICY_NOT_VALID_ON_DATE`` for a case decided after the last version of a pack ended).
REFUSAL_CODES: tuple[str, ...] = tuple(cls.code for cls in (CaseError, PolicyError, PolicySelectionError, EngineError))

#: Expectations that are a list, and those that are a mapping.
_LISTS = ("fired", "not_fired", "decisions", "missing", "followups", "lawful", "unlawful")
_MAPPINGS = ("tracks", "alternatives", "decision_says")


class ScenarioError(MaatwerkError, ValueError):
    """A scenario file cannot be read or has the wrong shape; ``problems`` are located ``file:line:col``."""

    code = "SCENARIO_INVALID"
    hint = (
        "Fix the scenario file (or its base case); the keys are listed in policies/README.md (Scenarios), "
        "the case format by `maatwerk schema case`."
    )


@dataclass(frozen=True)
class Scenario:
    """One worked scenario: its case (base merged in), what the advice must show, and where it lives."""

    path: Path
    name: str
    case: dict[str, Any]
    expect: dict[str, Any]
    municipality: Any = _PACK_DEFAULT  # a name, None (national law only), or the pack's own
    xfail: str | None = None
    positions: Positions = field(default_factory=dict, repr=False, compare=False)

    @property
    def policy_dir(self) -> Path:
        """The policy folder: ``<policies>/<domain>/<pack>/scenarios/<file>``."""
        return self.path.resolve().parents[3]

    @property
    def pack_id(self) -> str:
        return self.path.resolve().parents[1].name

    def where(self, *keys: str | int) -> str:
        line, col = position_of(self.positions, keys)
        return f"{self.path}:{line}:{col}"


def is_scenario_file(path: Path) -> bool:
    """Whether ``path`` is a scenario (a ``.yaml`` file in a ``scenarios`` folder, not a ``_`` base)."""
    return path.suffix == ".yaml" and path.parent.name == "scenarios" and not path.name.startswith("_")


def scenario_files(root: Path) -> list[Path]:
    """Every scenario file under a policy folder, sorted."""
    return sorted(p for p in root.glob("**/scenarios/*.yaml") if is_scenario_file(p))


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


def _jsonable(value: Any) -> Any:
    """YAML gives dates as :class:`datetime.date`; a case is JSON data, so dates become ISO text."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _read(path: Path, keys: Positions | None = None) -> tuple[Any, Positions]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(
            f"cannot read {path}", problems=(Problem(f"{path}:1:1", "SCENARIO_UNREADABLE", str(err)),)
        ) from None
    try:
        return load_located(text, str(path), keys=keys)
    except ValueError as err:
        problems = tuple(Problem(p.where, "SCENARIO_YAML", p.message) for p in err.args[0])
        raise ScenarioError(f"{path} is not valid YAML", problems=problems) from None


@dataclass(frozen=True)
class _Source:
    """Where the parts of a merged case come from: the scenario file (under ``case``) or its base."""

    path: Path
    positions: Positions
    keys: Positions
    prefix: tuple[str, ...]

    def find(self, loc: tuple[str | int, ...], *, key: bool) -> str | None:
        table = self.keys if key else self.positions
        found = table.get((*self.prefix, *loc))
        return None if found is None else f"{self.path}:{found[0]}:{found[1]}"


def _locator(sources: Sequence[_Source]) -> Callable[[tuple[str | int, ...], bool], str]:
    """Locate a path of the merged case: the scenario's own value wins over the base's (the merge's
    rule); a key is located at the key, a value at the value; a path that is not written (a missing
    field) at its nearest written ancestor."""

    def locate(loc: tuple[str | int, ...], key: bool) -> str:
        for n in range(len(loc), -1, -1):
            for source in sources:
                found = source.find(loc[:n], key=key and n == len(loc))
                if found is not None:
                    return found
        first = sources[0]
        line, col = position_of(first.positions, first.prefix)
        return f"{first.path}:{line}:{col}"

    return locate


def _case_problems(case: dict[str, Any], locate: Callable[[tuple[str | int, ...], bool], str]) -> list[Problem]:
    """Every reason the merged case is not a valid case, each located, with a did-you-mean."""
    domain = case.get("domain", "benefits")
    model = CASE_MODELS.get(domain) if isinstance(domain, str) else None
    if model is None:
        return [
            Problem(
                locate(("domain",), False),
                "CASE_INVALID_VALUE",
                f"case.domain: the domain is 'benefits' or 'providers'{suggest(str(domain), CASE_MODELS)}",
            )
        ]
    try:
        model.model_validate(case)
    except ValidationError as err:
        problems = []
        for e in err.errors(include_url=False):
            loc = tuple(e["loc"])
            kind = e["type"]
            if kind == "extra_forbidden" and loc and isinstance(loc[-1], str):
                name = loc[-1]
                parent = dotted(("case", *loc[:-1]))
                if name.strip().lower() in PROTECTED_KEYS:
                    code = "PROTECTED_CHARACTERISTIC"
                    message = f"{parent}: {name!r} is a protected characteristic (or a proxy for one); maatwerk never accepts it"
                else:
                    code, message = "CASE_UNKNOWN_FIELD", f"{parent}: unknown field {name!r}{hint(model, e)}"
                problems.append(Problem(locate(loc, True), code, message))
                continue
            code = "CASE_MISSING_FIELD" if kind == "missing" else "CASE_INVALID_VALUE"
            message = (money_message(e["input"]) if kind == MONEY_ERROR else e["msg"]).removeprefix("Value error, ")
            problems.append(Problem(locate(loc, False), code, f"{dotted(('case', *loc))}: {message}{hint(model, e)}"))
        return problems
    return []


@functools.cache
def _known_rules(root: Path, domain: str) -> frozenset[str] | None:
    """Every rule id a scenario of ``domain`` under ``root`` can name (the rules of every pack of the
    domain, in force or proposed, and the engine's own steps); ``None`` if the packs do not load (the
    scenario's run then reports why)."""
    from maatwerk._policy.stack import PolicySet

    try:
        policies = PolicySet.from_directory(root)
    except PolicyError:
        return None
    known = set(SELECTION_STEPS)
    for pack_id, versions in policies.packs.items():
        if versions and versions[0].file.pack.domain == domain:
            known |= {rd.rule.id for v in versions for rd in v.rules}
            known |= {rd.rule.id for v in policies.proposed.get(pack_id, {}).values() for rd in v.rules}
    return frozenset(known)


@functools.cache
def _known_verdict_ids(root: Path | None, domain: str, section: str) -> tuple[str, ...]:
    """Every id of ``section`` (``decisions``: the decisions the advice can ask; ``alternatives``: the
    alternatives it can list as lawful or not) in the verdicts of ``domain``'s packs under ``root``
    (the bundled packs when ``None`` or when those do not load), in force or proposed."""
    from maatwerk._policy.stack import PolicySet
    from maatwerk._resources import bundled

    try:
        policies = PolicySet.from_directory(root if root is not None else bundled("policies"))
    except PolicyError:
        if root is None:
            return ()
        return _known_verdict_ids(None, domain, section)
    found: dict[str, None] = {}
    for pack_id, versions in policies.packs.items():
        everything = (*versions, *policies.proposed.get(pack_id, {}).values())
        if versions and versions[0].file.pack.domain == domain:
            for v in everything:
                found.update((d.id, None) for d in (getattr(v.verdict, section) if v.verdict is not None else ()))
    return tuple(found)


def _known_decisions(root: Path | None, domain: str) -> tuple[str, ...]:
    """Every decision id the verdicts of ``domain``'s packs under ``root`` can ask, in force or proposed."""
    return _known_verdict_ids(root, domain, "decisions")


def _expect_problems(
    expect: dict[str, Any],
    domain: str | None,
    rules: frozenset[str] | None,
    at: Callable[..., str],
    decisions: tuple[str, ...] = (),
    alternatives: tuple[str, ...] = (),
) -> list[Problem]:
    """Every expectation key, shape and name that cannot be right, located, with a did-you-mean."""
    problems: list[Problem] = []
    for key, value in expect.items():
        if key not in EXPECT_KEYS:
            problems.append(
                Problem(
                    at("expect", key), "SCENARIO_UNKNOWN_KEY", f"unknown expectation {key!r}{suggest(key, EXPECT_KEYS)}"
                )
            )
        elif key in _LISTS and value is not None and not isinstance(value, list):
            problems.append(Problem(at("expect", key), "SCENARIO_INVALID", f"expect.{key} is a list, e.g. [a, b]"))
        elif key in _MAPPINGS and value is not None and not isinstance(value, dict):
            problems.append(Problem(at("expect", key), "SCENARIO_INVALID", f"expect.{key} is a mapping, e.g. {{a: b}}"))
        elif key in (*_LISTS, *_MAPPINGS) and value is not None and not value:
            # Each names what the advice must show at least, so an empty one passes on every advice.
            problems.append(
                Problem(
                    at("expect", key),
                    "SCENARIO_INVALID",
                    f"expect.{key} is empty, so it checks nothing: it names what the advice must show at least, "
                    f"not that there is nothing; name what must be there, or leave it out"
                    + (" (a rule that must not fire goes under not_fired)" if key == "fired" else ""),
                )
            )

    def unknown(kind: str, name: Any, known: Sequence[str] | frozenset[str], where: str, listed: str = "") -> None:
        if name not in known:
            problems.append(
                Problem(
                    where,
                    "SCENARIO_UNKNOWN_NAME",
                    f"unknown {kind} {name!r}{suggest(str(name), sorted(known))}{listed}",
                )
            )

    def items(key: str) -> list[tuple[int, Any]]:
        value = expect.get(key)
        return list(enumerate(value)) if isinstance(value, list) else []

    if "refused" in expect:
        code = expect["refused"]
        if not isinstance(code, str) or code not in REFUSAL_CODES:
            problems.append(
                Problem(
                    at("expect", "refused"),
                    "SCENARIO_UNKNOWN_NAME",
                    f"unknown refusal {code!r}{suggest(str(code), REFUSAL_CODES)}; known: {', '.join(REFUSAL_CODES)}",
                )
            )
        for key in expect:
            if key != "refused" and key in EXPECT_KEYS:
                problems.append(
                    Problem(
                        at("expect", key),
                        "SCENARIO_INVALID",
                        f"expect.{key}: a refused case gets no advice, so 'refused' stands alone",
                    )
                )
    if domain in MEASURES:
        if "measure" in expect:
            unknown("measure", expect["measure"], MEASURES[domain], at("expect", "measure"))
        for i, name in items("decisions"):
            unknown("decision", name, decisions, at("expect", "decisions", i))
        says = expect.get("decision_says")
        for name in says if isinstance(says, dict) else {}:
            unknown("decision", name, decisions, at("expect", "decision_says", name))
        if alternatives:  # lawful/unlawful/alternatives name an alternative of the advice, not a measure
            listed = f"; the advice's alternatives are {', '.join(alternatives)} (a fine by its level)"
            for key in ("lawful", "unlawful"):
                for i, name in items(key):
                    unknown("alternative", name, alternatives, at("expect", key, i), listed)
            amounts = expect.get("alternatives")
            for name in amounts if isinstance(amounts, dict) else {}:
                unknown("alternative", name, alternatives, at("expect", "alternatives", name), listed)
    if rules is not None:
        for key in ("fired", "not_fired"):
            for i, name in items(key):
                unknown("rule", name, rules, at("expect", key, i))
    return problems


def load_scenario(path: str | Path) -> Scenario:
    """Read and check one scenario file; raises :class:`ScenarioError` with every problem at once:
    its keys, its case (after merging the base, each problem located in the file it comes from), and
    its expectations (names of measures, decisions and rule ids, with a did-you-mean)."""
    path = Path(path)
    keys: Positions = {}
    data, positions = _read(path, keys)

    def at(*loc: str | int) -> str:
        line, col = position_of(positions, loc)
        return f"{path}:{line}:{col}"

    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path} is not a scenario", problems=(Problem(at(), "SCENARIO_INVALID", "a scenario is a mapping"),)
        )
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_KEYS:
            problems.append(Problem(at(key), "SCENARIO_UNKNOWN_KEY", f"unknown key {key!r}{suggest(key, TOP_KEYS)}"))
    for key in ("name", "expect"):
        if key not in data:
            problems.append(Problem(at(), "SCENARIO_MISSING_KEY", f"a scenario needs {key!r}"))
    if "case" not in data and "extends" not in data:
        problems.append(Problem(at(), "SCENARIO_MISSING_KEY", "a scenario needs 'case' (or 'extends': a base case)"))
    expect = data.get("expect")
    if "expect" in data and not isinstance(expect, dict):
        problems.append(Problem(at("expect"), "SCENARIO_INVALID", "expect is a mapping of what the advice must show"))
    elif isinstance(expect, dict) and not expect:
        # A scenario that expects nothing passes on every advice: it could never fail.
        problems.append(
            Problem(
                at("expect"),
                "SCENARIO_INVALID",
                "expect names nothing, so the scenario could never fail: name what the advice must show "
                "(measure, amount, fired, ...) or refused",
            )
        )
    case = data.get("case") or {}
    sources = [_Source(path, positions, keys, ("case",))]
    if not isinstance(case, dict):
        problems.append(Problem(at("case"), "SCENARIO_INVALID", "case is a mapping (the case, or changes to its base)"))
    municipality = data.get("municipality", _PACK_DEFAULT)
    if municipality is not _PACK_DEFAULT and municipality is not None and not isinstance(municipality, str):
        problems.append(Problem(at("municipality"), "SCENARIO_INVALID", "municipality is a name, or null"))
    if "extends" in data:
        base_path = path.parent / str(data["extends"])
        if not base_path.is_file():
            problems.append(Problem(at("extends"), "SCENARIO_INVALID", f"no base case {base_path.name} beside it"))
        else:
            base_keys: Positions = {}
            base, base_positions = _read(base_path, base_keys)
            if not isinstance(base, dict):
                problems.append(Problem(f"{base_path}:1:1", "SCENARIO_INVALID", "a base case is a mapping"))
            elif "expect" in base or ("name" in base and "case" in base):
                # another scenario: its keys would each be an unknown field of the case
                problems.append(
                    Problem(
                        at("extends"),
                        "SCENARIO_INVALID",
                        f"{base_path.name} is a scenario, not a base case: extends names a file that holds only a "
                        "case (such as _base.yaml). Put the case the two scenarios share in a base file whose name "
                        "starts with _ and extend that",
                    )
                )
                case = None  # without its base the case would only repeat missing fields
            elif isinstance(case, dict):
                case = merge(base, case)
                sources.append(_Source(base_path, base_positions, base_keys, ()))
    domain: str | None = None
    if isinstance(case, dict) and ("case" in data or "extends" in data):
        case = _jsonable(case)
        problems.extend(_case_problems(case, _locator(sources)))
        raw = case.get("domain", "benefits")
        domain = raw if isinstance(raw, str) and raw in CASE_MODELS else None
    if isinstance(expect, dict):
        wanted = expect.get("fired") or expect.get("not_fired")
        rules = _known_rules(path.resolve().parents[3], domain) if wanted and domain and _in_pack(path) else None
        root = path.resolve().parents[3] if _in_pack(path) else None
        decisions = (
            _known_decisions(root, domain)
            if domain and (expect.get("decisions") or expect.get("decision_says"))
            else ()
        )
        named = expect.get("lawful") or expect.get("unlawful") or expect.get("alternatives")
        alternatives = _known_verdict_ids(root, domain, "alternatives") if domain and named else ()
        problems.extend(_expect_problems(expect, domain, rules, at, decisions, alternatives))
    if problems:
        raise ScenarioError(f"{path} has {len(problems)} problem(s)", problems=tuple(problems))
    xfail = data.get("xfail")
    return Scenario(
        path=path,
        name=str(data["name"]),
        case=case,
        expect=dict(expect or {}),
        municipality=municipality,
        xfail=None if xfail is None else str(xfail),
        positions=positions,
    )


def _in_pack(path: Path) -> bool:
    """Whether ``path`` lies where a scenario of a pack does: ``<policies>/<domain>/<pack>/scenarios/``."""
    return path.parent.name == "scenarios" and len(path.resolve().parents) > 3


def _money(value: Any) -> str | None:
    return None if value is None else f"{value}"


def check_advice(advice: Advice, expect: Mapping[str, Any]) -> list[str]:
    """Every expectation that ``advice`` does not meet, as a readable line (empty: all met)."""
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
    for decision, said in (expect.get("decision_says") or {}).items():
        asked = next((d for d in advice.decisions if d.id == decision), None)
        if asked is None:
            errors.append(f"decision {decision} missing (have {decisions})")
            continue
        words = " ".join(t.nl for t in (asked.question, asked.consequences) if t is not None)
        if str(said) not in words:
            errors.append(f"decision {decision} does not say {said!r} (it says {words!r})")
    missing = [m.fact for m in advice.missing_facts]
    for fact in expect.get("missing") or []:
        if fact not in missing:
            errors.append(f"missing fact {fact} not listed (have {missing})")
    if "cause_category" in expect:
        want("cause category", expect["cause_category"], advice.cause_category)
    if "deadline_days" in expect:
        want("deadline days", expect["deadline_days"], advice.measure.deadline_days)
    for key, lawful in (("lawful", True), ("unlawful", False)):
        for measure in expect.get(key) or []:
            if measure not in alternatives:
                errors.append(f"alternative {measure} is not listed in this advice (it lists {sorted(alternatives)})")
            elif alternatives[measure].lawful is not lawful:
                errors.append(f"alternative {measure} must be listed as {'lawful' if lawful else 'not lawful'}")
    followups = [f.id for f in advice.followups]
    for fu in expect.get("followups") or []:
        if fu not in followups:
            errors.append(f"follow-up {fu} missing (have {followups})")
    return errors


@functools.cache
def _pack_municipality(root: Path, pack_id: str) -> str | None:
    """The municipality of the pack a scenario folder belongs to (``None``: a national pack)."""
    from maatwerk._policy.stack import PolicySet

    versions = PolicySet.from_directory(root).packs.get(pack_id)
    if not versions:
        return None
    head = versions[0].file.pack
    return head.municipality if head.layer == "municipal" else None


@functools.cache
def engine_for(root: Path, municipality: str | None, evaluator: str) -> Engine:
    """One engine per policy folder, municipality and evaluator, shared by the scenarios that use it."""
    return Engine(root, municipality=municipality, evaluator=evaluator)  # type: ignore[arg-type]


def municipality_of(scenario: Scenario) -> str | None:
    """The municipality a scenario runs with: its own ``municipality``, or its pack's."""
    if scenario.municipality is _PACK_DEFAULT:
        return _pack_municipality(scenario.policy_dir, scenario.pack_id)
    value: str | None = scenario.municipality
    return value


def _unknown_rules(scenario: Scenario, engine: Engine) -> list[str]:
    """Rule ids in ``fired``/``not_fired`` that no pack of the folder defines (a typo never passes)."""
    known = {rd.rule.id for versions in engine.policies.packs.values() for v in versions for rd in v.rules}
    known |= set(SELECTION_STEPS)
    for by_name in engine.policies.proposed.values():
        known |= {rd.rule.id for v in by_name.values() for rd in v.rules}
    out = []
    for key in ("fired", "not_fired"):
        for i, rule in enumerate(scenario.expect.get(key) or []):
            if rule not in known:
                out.append(
                    f"{scenario.where('expect', key, i)}: unknown rule {rule!r}{suggest(str(rule), sorted(known))}"
                )
    return out


def available_evaluators() -> tuple[str, ...]:
    """The evaluators this Python can run: durable-rules, the reference and the compiled evaluator,
    or the last two where durable-rules does not import (Python 3.13 and later)."""
    from maatwerk._api import durable_unavailable

    return ("durable", "reference", "compiled") if durable_unavailable() is None else ("reference", "compiled")


def same_advice(a: Advice, b: Advice) -> bool:
    """Two advices are byte-identical but for ``engine``, which names the evaluator that made each."""
    return a.model_copy(update={"engine": b.engine}).model_dump_json() == b.model_dump_json()


def run_scenario(scenario: Scenario, *, evaluators: Sequence[str] | None = None) -> list[str]:
    """Advise on the scenario's case with each evaluator (default: every available one); every unmet
    expectation as a line (empty: the scenario passes). The advices of the evaluators must be
    byte-identical, but for the ``engine`` that names each evaluator."""
    if evaluators is None:
        evaluators = available_evaluators()
    municipality = municipality_of(scenario)
    first: Advice | None = None
    for evaluator in evaluators:
        engine = engine_for(scenario.policy_dir, municipality, evaluator)
        if first is None:
            unknown = _unknown_rules(scenario, engine)
            if unknown:
                return unknown
        if "refused" in scenario.expect:
            refusal = _refusal(engine, scenario)
            if refusal:
                return refusal
            continue
        advice = engine.advise(scenario.case)
        if first is None:
            errors = check_advice(advice, scenario.expect)
            if errors:
                return errors
            first = advice
        elif not same_advice(advice, first):
            return [f"the {evaluator} evaluator gives a different advice than {evaluators[0]}"]
    return []


def _refusal(engine: Engine, scenario: Scenario) -> list[str]:
    """Whether the engine refuses the scenario's case with the code ``expect.refused`` names (empty: it does)."""
    wanted = scenario.expect["refused"]
    try:
        advice = engine.advise(scenario.case)
    except MaatwerkError as err:
        if err.code == wanted:
            return []
        return [f"refused: expected {wanted}, got {err.code}: {err.message}"]
    return [f"refused: expected {wanted}, got an advice (measure {advice.measure.kind})"]
