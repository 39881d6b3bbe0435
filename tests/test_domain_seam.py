# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""One domain seam: everything the policy layer knows of a domain is one :class:`DomainSpec`.

A made-up third domain (childcare, ``kinderopvang``), described by a small spec and a tiny case model
and registered in the test, gets its packs loaded and checked like the built-in ones: its facts and
laws are known, anything else is refused where it is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from maatwerk import PolicyError
from maatwerk._intake.fields import CALCULATION_PATHS, FACT_PATHS
from maatwerk._policy import domains
from maatwerk._policy.analysis import REQUIRED_OUTCOMES, check_policies
from maatwerk._policy.declared import CASE_DATES, HISTORY
from maatwerk._policy.domains import SPECS, DomainSpec, HistoryVocabulary, catalogue
from maatwerk._policy.facts import fact
from maatwerk._policy.form import MODELS, leaves
from maatwerk._policy.loader import load_directory
from maatwerk._policy.solve import AXIOMS
from maatwerk._policy.stack import REQUIRED_PARAMETERS
from maatwerk._policy.verdict import LADDER_RUNGS, VERDICT_FACTS


class Violation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    established: bool
    unsafe_sleeping: bool | None = None


class ChildcareCase(BaseModel):
    """The tiny case model of the made-up domain."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    domain: str = "kinderopvang"
    law: str
    decision_date: dt.date
    violation: Violation


CHILDCARE = DomainSpec(
    name="kinderopvang",
    model=ChildcareCase,
    laws=("wko",),
    facts=(
        fact("law", "enum", "The law.", ("wko",), always_known=True),
        fact("violation_established", "bool", "The violation is established.", always_known=True),
        fact("unsafe_sleeping", "bool", "Children slept unsafely."),
        fact("measure_excluded", "bool", "No measure follows.", output=True),
        fact("warning_advised", "bool", "A warning is advised.", output=True),
    ),
    history=HistoryVocabulary(enums={"kind": ("waarschuwing", "aanwijzing")}, flags=(), dates={}),
    case_dates={"decision_date": ("decision_date",)},
    fact_paths={
        "law": ("law",),
        "violation_established": ("violation.established",),
        "unsafe_sleeping": ("violation.unsafe_sleeping",),
    },
    required_parameters=("waarschuwing_termijn_dagen",),
)

PACK = """schema_version: 1
pack:
  id: nl-kinderopvang
  domain: {domain}
  layer: national
{extra}  valid_from: 2024-01-01
  title: {{nl: Kinderopvang, en: Childcare}}
  publisher: tests
principles:
  P1: {{key: veilig, label: {{nl: Veilig, en: Safe}}, demand: {{nl: Eis, en: Demand}}}}
sources:
  wko: {{citation: "Wet kinderopvang", identifier: BWBR0017017, url: "https://wetten.overheid.nl/BWBR0017017"}}
parameters:
  waarschuwing_termijn_dagen:
    unit: days
    date_basis: decision
    source: wko
    description: {{nl: Termijn, en: Term}}
    values: [{{from: 2024-01-01, value: 14}}]
rules:
  - id: geen_maatregel
    stage: track
    when: {{fact: violation_established, eq: false}}
    then: {{set: {{measure_excluded: true}}}}
    basis: [wko]
    principles: [P1]
    reason: {{nl: Niet vastgesteld, en: Not established}}
  - id: onveilig_slapen
    stage: track
    when: {{fact: {fact}, eq: true}}
    then: {{set: {{warning_advised: true}}}}
    basis: [wko]
    principles: [P1]
    reason: {{nl: Onveilig, en: Unsafe}}
"""


@pytest.fixture
def childcare() -> Iterator[DomainSpec]:
    """The made-up domain, registered for one test."""
    domains.register(CHILDCARE)
    try:
        yield CHILDCARE
    finally:
        domains.unregister(CHILDCARE.name)


def write(root: Path, *, domain: str = "kinderopvang", fact_name: str = "unsafe_sleeping", extra: str = "") -> Path:
    path = root / "kinderopvang" / "nl-kinderopvang" / "2024-01-01.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PACK.format(domain=domain, fact=fact_name, extra=extra), encoding="utf-8")
    return path


def problems(root: Path) -> list[tuple[str, str, str]]:
    """(code, file:line, message) of every problem loading ``root`` reports (failing if it loads)."""
    with pytest.raises(PolicyError) as info:
        load_directory(root)
    return [(p.code, p.where.rsplit(":", 1)[0], p.message) for p in info.value.problems]


@pytest.mark.usefixtures("childcare")
def test_a_pack_of_a_registered_domain_loads_with_its_rules(tmp_path: Path) -> None:
    write(tmp_path)
    packs = load_directory(tmp_path)
    assert tuple(r.rule.id for r in packs["nl-kinderopvang"][0].rules) == ("geen_maatregel", "onveilig_slapen")


@pytest.mark.usefixtures("childcare")
def test_a_pack_of_a_registered_domain_passes_the_check(tmp_path: Path) -> None:
    """Every stack of the domain compiles and is analysed; the pack gives what the spec requires."""
    write(tmp_path)
    report = check_policies(tmp_path, today=dt.date(2024, 6, 1))
    assert report.errors == ()
    assert report.stacks == 1


@pytest.mark.usefixtures("childcare")
def test_a_fact_of_another_domain_is_unknown_in_this_one(tmp_path: Path) -> None:
    path = write(tmp_path, fact_name="harm_occurred")  # a providers fact
    found = problems(tmp_path)
    assert [("POLICY_UNKNOWN_FACT", f"{path}:30")] == [(code, where) for code, where, _ in found]


@pytest.mark.usefixtures("childcare")
def test_a_typo_in_a_fact_gets_a_did_you_mean(tmp_path: Path) -> None:
    write(tmp_path, fact_name="unsafe_sleping")
    [(code, _, message)] = problems(tmp_path)
    assert code == "POLICY_UNKNOWN_FACT"
    assert "did you mean 'unsafe_sleeping'?" in message


@pytest.mark.usefixtures("childcare")
def test_a_law_of_another_domain_is_refused(tmp_path: Path) -> None:
    write(tmp_path, extra="  laws: [wmo2015]\n")
    [(code, _, message)] = problems(tmp_path)
    assert code == "POLICY_INVALID_VALUE"
    assert "not a law of domain kinderopvang; known: wko" in message


@pytest.mark.usefixtures("childcare")
def test_a_missing_required_parameter_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("waarschuwing_termijn_dagen", "andere_termijn_dagen"), encoding="utf-8")
    report = check_policies(tmp_path, today=dt.date(2024, 6, 1))
    assert [(f.code, f.message) for f in report.errors] == [
        (
            "POLICY_MISSING_PARAMETER",
            "the kinderopvang stack needs parameter 'waarschuwing_termijn_dagen'; no selected pack defines it",
        )
    ]


@pytest.mark.usefixtures("childcare")
def test_an_unregistered_domain_is_refused_with_a_did_you_mean(tmp_path: Path) -> None:
    write(tmp_path, domain="kinderopvnag")
    [(code, _, message)] = problems(tmp_path)
    assert code == "POLICY_INVALID_VALUE"
    assert "'benefits' or 'providers' or 'kinderopvang'" in message
    assert "did you mean 'kinderopvang'?" in message


def test_without_registration_the_domain_is_unknown(tmp_path: Path) -> None:
    write(tmp_path)
    [(code, _, message)] = problems(tmp_path)
    assert code == "POLICY_INVALID_VALUE"
    assert "Input should be 'benefits' or 'providers'" in message


def test_every_table_of_the_policy_layer_reads_the_registered_spec(childcare: DomainSpec) -> None:
    name = childcare.name
    assert {"law", "violation_established", "unsafe_sleeping", "measure_excluded", "warning_advised"} == set(
        catalogue(name)
    )
    assert ChildcareCase is MODELS[name]
    assert {"domain", "law", "decision_date", "violation.established", "violation.unsafe_sleeping"} == {
        leaf.path for leaf in leaves(MODELS[name])
    }
    assert childcare.history is HISTORY[name]
    assert dict(CASE_DATES[name]) == {"decision_date": ("decision_date",)}
    assert childcare.fact_paths is FACT_PATHS[name]
    assert CALCULATION_PATHS[name] == ()
    assert REQUIRED_PARAMETERS[name] == ("waarschuwing_termijn_dagen",)
    assert REQUIRED_OUTCOMES[name] == ()
    assert VERDICT_FACTS[name] == ()
    assert LADDER_RUNGS[name] == 0
    assert name not in AXIOMS  # a domain without axioms is left out, as before


def test_a_domain_is_registered_once_and_the_built_in_ones_stay() -> None:
    with pytest.raises(ValueError, match="already registered"):
        domains.register(SPECS["benefits"])
    with pytest.raises(ValueError, match="built in"):
        domains.unregister("providers")
    assert tuple(SPECS) == ("benefits", "providers")


def test_an_unknown_domain_is_named_with_the_known_ones() -> None:
    with pytest.raises(KeyError, match="unknown domain 'kinderopvang'; known: benefits, providers"):
        domains.spec("kinderopvang")
    assert dict(catalogue("kinderopvang")) == {}
