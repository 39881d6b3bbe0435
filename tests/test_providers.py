# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The provider domain (Wmo 2015, Jeugdwet): the ladder, lightest effective first, only with a basis.

Examples first, then invariants on generated provider cases (``maatwerk.testing``).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from conftest import EXAMPLES, advice_content, advice_json, provider_cases
from hypothesis import given
from hypothesis import strategies as st

from maatwerk import Advice, CaseError, Engine, ProviderCase, parse_case
from maatwerk._domains.providers import rungs
from maatwerk.cli import main
from maatwerk.testing import from_policy, invariants

#: Provider cases of every kind, and cases aimed at each rule of Lansingerland's Wmo and Jeugdwet packs.
CASES = st.one_of(provider_cases(), from_policy("lansingerland-wmo2015"), from_policy("lansingerland-jeugdwet"))

ENDS_CARE = {"ontbinding", "betalingsopschorting"}


#: The rung of each measure on the national packs' ladder (0: no measure).
RUNGS = rungs(Engine()._loaded.policies)


def rung(advice: Advice) -> int:
    """The rung of the advised measure (0: no measure)."""
    return RUNGS[advice.measure.kind]


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def with_value(case: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(case)
    target = out
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return out


# --- examples -------------------------------------------------------------------------------------


def test_a_provider_case_is_recognised_by_its_domain() -> None:
    """ "domain": "providers" makes the input a ProviderCase; the advice says its domain."""
    case = parse_case(example("05-wmo-structureel-kwetsbaar.json"))
    assert isinstance(case, ProviderCase)


def test_wmo_example_structural_with_vulnerable_clients(engine: Engine) -> None:
    """Structural shortfall, vulnerable clients, a cooperative provider: intensified supervision (rung 3)."""
    advice = engine.advise(example("05-wmo-structureel-kwetsbaar.json"))
    assert (advice.domain, advice.measure.kind) == ("providers", "verscherpt_toezicht")
    assert [p.id for p in advice.packs] == ["nl-wmo2015", "lansingerland-wmo2015"]
    assert {a.measure: a.lawful for a in advice.alternatives}["aanwijzing"] is False
    assert any(s.rule_id == "kwetsbaar_en_ernstig" for s in advice.steps)


def test_jeugdwet_example_with_danger_and_no_place_to_go(engine: Engine) -> None:
    """Danger now, clients cannot move: a coercive contract measure at once, the IGJ, and continuity first."""
    advice = engine.advise(example("06-jeugdwet-gevaar.json"))
    assert advice.measure.kind == "betalingsopschorting"
    assert advice.measure.deadline_days == 2
    tracks = {t.id: t.status for t in advice.tracks}
    assert tracks["melding_toezichthouder"] == "geadviseerd"
    assert tracks["continuiteit_zorg"] == "geadviseerd"
    assert "continuiteit_zorg" in {d.id for d in advice.decisions}
    assert "continuiteit_borgen" in {f.id for f in advice.followups}


def test_danger_now_addresses_the_clients_in_care_now_not_only_new_ones(engine: Engine) -> None:
    """An intake stop keeps new clients away; with danger now the advice also protects the clients in
    care now, citing Awb 5:31 (Wmo) or the IGJ's order of Jeugdwet 9.3 (Jeugdwet)."""
    wmo = with_value(example("05-wmo-structureel-kwetsbaar.json"), ("risk", "ongoing_danger"), True)
    advice = engine.advise(wmo)
    assert advice.measure.kind == "intake_stop"
    track = next(t for t in advice.tracks if t.id == "continuiteit_zorg")
    assert track.status == "geadviseerd"
    assert "nu zorg krijgen" in track.explanation.nl
    assert "Algemene wet bestuursrecht art. 5:31" in " ".join(b.citation for b in track.basis)
    assert "clienten_nu_beschermen" in {f.id for f in advice.followups}
    youth = engine.advise(example("06-jeugdwet-gevaar.json"))
    track = next(t for t in youth.tracks if t.id == "continuiteit_zorg")
    assert "bevel" in track.explanation.nl
    assert "Jeugdwet art. 9.3" in " ".join(b.citation for b in track.basis)


def test_an_unreported_calamity_is_a_fineable_offence_under_the_jeugdwet_not_under_the_wmo(engine: Engine) -> None:
    """Jeugdwet 9.6: not reporting under 4.1.8 can be fined by the minister and is a criminal offence, so
    the advice names the route through the IGJ; the Wmo 2015 has no such fine, and says so."""
    youth = with_value(example("06-jeugdwet-gevaar.json"), ("violation", "kind"), "calamiteit_niet_gemeld")
    aangifte = next(t for t in engine.advise(youth).tracks if t.id == "aangifte")
    assert aangifte.status == "mogelijk"
    assert "Geen aanwijzing" not in aangifte.explanation.nl
    assert "IGJ" in aangifte.explanation.nl
    assert "boete" in aangifte.explanation.nl
    wmo = with_value(example("05-wmo-structureel-kwetsbaar.json"), ("violation", "kind"), "calamiteit_niet_gemeld")
    advice = engine.advise(wmo)
    assert next(t for t in advice.tracks if t.id == "aangifte").status == "niet_van_toepassing"
    step = next(s for s in advice.steps if s.rule_id == "melding_niet_gedaan")
    assert "geen boete" in step.text.nl


@pytest.mark.parametrize("name", ["05-wmo-structureel-kwetsbaar.json", "06-jeugdwet-gevaar.json"])
def test_a_conversation_cites_the_law_not_a_contract_a_pgb_provider_does_not_have(engine: Engine, name: str) -> None:
    """A provider paid from a personal budget has no contract with the municipality: the conversation,
    always possible, rests on the law alone and its reason says it needs no contract."""
    case = with_value(example(name), ("pattern",), "incidenteel")
    case = with_value(case, ("risk",), {"harm_occurred": False, "vulnerable_clients": False, "ongoing_danger": False})
    case = with_value(case, ("response",), {"cooperates": True, "capacity_to_improve": True})
    case = with_value(case, ("history",), [])
    none = dict.fromkeys(("improvement_plan", "intake_stop", "payment_suspension", "penalty", "termination"), False)
    advice = engine.advise(with_value(case, ("contract",), none))
    assert advice.measure.kind == "gesprek"
    step = next(s for s in advice.steps if s.rule_id.startswith("basis_gesprek"))
    assert "overeenkomst" not in {b.identifier for b in step.basis}
    assert "geen contract nodig" in step.text.nl


def test_a_dwangsom_states_a_range_a_maximum_and_a_deadline(engine: Engine) -> None:
    """Awb 5:32b: per week in proportion to the seriousness, with a maximum; Awb 5:32a: a term to comply."""
    case = with_value(example("05-wmo-structureel-kwetsbaar.json"), ("violation", "kind"), "geen_medewerking_toezicht")
    advice = engine.advise(case)
    assert advice.measure.kind == "last_onder_dwangsom"
    assert (str(advice.measure.band.lowest_amount), str(advice.measure.band.highest_amount)) == ("2500.00", "10000.00")
    assert advice.measure.deadline_days == 42
    assert {c.id: str(c.amount) for c in advice.calculation}["dwangsom_maximum"] == "100000.00"
    assert "€ 100.000" in advice.measure.summary.nl


def test_a_refusal_before_july_2021_never_gives_a_dwangsom_however_late_the_decision(engine: Engine) -> None:
    """Awb 5:20 lid 3 (from 1-7-2021) counts from the day of the refusal, not from the decision: a
    refusal on 30-6-2021 decided in 2026 gets no last onder dwangsom; one on 1-7-2021 does."""
    case = with_value(example("05-wmo-structureel-kwetsbaar.json"), ("violation", "kind"), "geen_medewerking_toezicht")
    case = with_value(
        case, ("contract",), {"improvement_plan": True, "intake_stop": False, "payment_suspension": False}
    )
    before = engine.advise(with_value(case, ("violation", "found_on"), "2021-06-30"))
    assert before.measure.kind != "last_onder_dwangsom"
    assert {a.measure: a.lawful for a in before.alternatives}["last_onder_dwangsom"] is False
    on_the_day = engine.advise(with_value(case, ("violation", "found_on"), "2021-07-01"))
    assert on_the_day.measure.kind == "last_onder_dwangsom"


def test_what_would_change_is_found_by_the_rules(engine: Engine) -> None:
    """A counterfactual names a fact whose change gives a different measure under the same rules."""
    advice = engine.advise(example("05-wmo-structureel-kwetsbaar.json"))
    changes = {c.change.en: c.effect.en for c in advice.what_would_change}
    assert changes["If the shortcoming is incidental"] == "The advice then becomes: conversation and advice."
    danger = engine.advise(with_value(example("05-wmo-structureel-kwetsbaar.json"), ("risk", "ongoing_danger"), True))
    assert danger.measure.kind == "intake_stop"
    assert changes["If clients are in danger now"] == "The advice then becomes: intake stop."


def test_a_provider_case_rejects_a_protected_characteristic() -> None:
    """No nationality (or any proxy) in a provider case either."""
    case = example("05-wmo-structureel-kwetsbaar.json")
    case["provider"]["nationaliteit"] = "x"
    with pytest.raises(CaseError) as info:
        parse_case(case)
    assert [(p.where, p.code) for p in info.value.problems] == [("provider.nationaliteit", "PROTECTED_CHARACTERISTIC")]


def test_an_unknown_domain_is_a_located_error() -> None:
    """A domain other than benefits or providers is refused, never guessed."""
    case = example("05-wmo-structureel-kwetsbaar.json")
    case["domain"] = "zorg"
    with pytest.raises(CaseError) as info:
        parse_case(case)
    assert [(p.where, p.code) for p in info.value.problems] == [("domain", "CASE_INVALID_VALUE")]


def test_an_earlier_measure_after_the_decision_is_refused() -> None:
    """Dates are consistent: an earlier measure cannot lie after the decision."""
    case = example("06-jeugdwet-gevaar.json")
    case["history"][0]["taken_on"] = "2027-01-01"
    with pytest.raises(CaseError, match=r"history\.0\.taken_on"):
        parse_case(case)


def test_the_cli_advises_both_domains_and_the_demo_shows_a_provider(capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk advise` takes a provider case as it takes a benefit case; `demo` shows both."""
    assert main(["advise", str(EXAMPLES / "06-jeugdwet-gevaar.json"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["domain"] == "providers"
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "nl-benefits@2013-01-01" in out
    assert "nl-wmo2015@2015-01-01" in out
    assert "nl-jeugdwet@2015-01-01" in out


# --- invariants -----------------------------------------------------------------------------------


@given(case=provider_cases())
def test_durable_and_reference_agree_on_provider_cases(
    case: dict[str, Any], engine: Engine, reference_engine: Engine
) -> None:
    """Invariant: the rules engine and the plain-Python oracle give byte-identical provider advice."""
    assert advice_content(engine.advise(case)) == advice_content(reference_engine.advise(case))


@given(case=provider_cases())
def test_the_same_input_gives_byte_identical_output(case: dict[str, Any], engine: Engine) -> None:
    """Invariant: a dict, its JSON text and a second call give the same bytes, receipt included."""
    first = advice_json(engine.advise(case))
    assert first == advice_json(engine.advise(json.dumps(case)))
    assert first == advice_json(engine.advise(case))


@given(case=provider_cases())
def test_an_instrument_is_only_advised_where_a_basis_exists(case: dict[str, Any], engine: Engine) -> None:
    """Invariant: the advised instrument is lawful, a rule citing its basis fired, and no aanwijzing ever."""
    advice = engine.advise(case)
    kind = advice.measure.kind
    assert kind != "aanwijzing"
    assert all(not a.lawful for a in advice.alternatives if a.measure == "aanwijzing")
    if kind == "geen_maatregel":
        return
    assert next(a for a in advice.alternatives if a.measure == kind).lawful
    stack = engine.policies.select(
        "providers", "lansingerland", advice_day(case), advice_day(case), case["law"]
    ).decision
    gives_basis = {r.id for r in stack.rules if (f"basis_{kind}", 1) in r.sets}
    assert gives_basis & set(engine.trace(case)), f"no rule giving a basis for {kind} fired"


def advice_day(case: dict[str, Any]) -> Any:
    parsed = parse_case(case)
    return parsed.decision_date


@given(case=CASES)
def test_more_risk_never_yields_a_lighter_measure(case: dict[str, Any], engine: Engine) -> None:
    """Invariant: harm, vulnerable clients, danger now, a structural shortcoming, no cooperation and no
    capacity to improve each give, all else equal, at least the rung of their lighter value."""
    invariants.monotonic_in_severity(engine, case)


@given(case=CASES)
def test_a_provider_advice_stays_within_legal_bounds(case: dict[str, Any], engine: Engine) -> None:
    """Invariant: no amount above the band's highest; the advised instrument is listed as lawful."""
    invariants.within_legal_bounds(engine, case)


@given(case=CASES)
def test_fields_no_rule_reads_never_change_a_provider_advice(case: dict[str, Any], engine: Engine) -> None:
    """Invariant: the provider's id, the number of clients, the case reference (and any risk or response
    fact no rule reads) never change the advice."""
    invariants.unread_fields_change_nothing(engine, case)


@given(case=provider_cases())
def test_ongoing_danger_escalates_at_once(case: dict[str, Any], engine: Engine) -> None:
    """Invariant: danger now means the supervisor at once and, where an instrument exists, rung 4 or more
    with the short deadline."""
    advice = engine.advise(with_value(case, ("risk", "ongoing_danger"), True))
    if advice.measure.kind == "geen_maatregel":
        return
    assert {t.id: t.status for t in advice.tracks}["melding_toezichthouder"] == "geadviseerd"
    reachable = [a for a in advice.alternatives if a.lawful and RUNGS[a.measure] >= 4]
    if reachable:
        assert rung(advice) >= 4
        if advice.measure.deadline_days is not None:
            assert advice.measure.deadline_days == 2


@given(case=provider_cases())
def test_a_measure_that_could_end_care_says_so_and_secures_continuity(case: dict[str, Any], engine: Engine) -> None:
    """Invariant: termination or suspended payments without certainty that clients can move carry the
    continuity track, a decision for a person and the follow-up that secures care; danger now carries
    the continuity track and a decision for the clients in care now."""
    advice = engine.advise(case)
    at_risk = advice.measure.kind in ENDS_CARE and case["continuity"].get("clients_can_move_in_time") is not True
    danger = case["risk"].get("ongoing_danger") is True
    tracks = {t.id: t.status for t in advice.tracks}
    decisions = {d.id for d in advice.decisions}
    assert (tracks["continuiteit_zorg"] == "geadviseerd") == (at_risk or danger)
    assert ("continuiteit_zorg" in decisions) == at_risk
    assert ("clienten_nu_beschermen" in decisions) == danger
    if at_risk:
        assert "continuiteit_borgen" in {f.id for f in advice.followups}


def test_the_instrument_lists_agree() -> None:
    """The fact catalogue, the ladder and the advice's measure kinds name the same instruments, in order."""
    from typing import get_args

    from maatwerk._policy.domains.providers import PROVIDER_INSTRUMENTS
    from maatwerk.models.advice import ProviderMeasureKind

    assert tuple(name for name in RUNGS if name != "geen_maatregel") == PROVIDER_INSTRUMENTS
    assert get_args(ProviderMeasureKind) == ("geen_maatregel", *PROVIDER_INSTRUMENTS)
