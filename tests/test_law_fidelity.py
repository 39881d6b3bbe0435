# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What an independent legal review found wrong, as properties over generated cases.

Each property names the legal rule it guards; the worked figures are scenarios under
``policies/benefits/lansingerland-benefits/scenarios/`` (s54-s63), each computed from its source.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk import Engine
from maatwerk.testing import cases

PARTICIPATIEWET, IOAW, IOAZ, BBZ = "BWBR0015703", "BWBR0004044", "BWBR0004163", "BWBR0015711"
#: The instruments a case of each law cites as its own. Bbz bijstand is bijstand under the
#: Participatiewet (Pw art. 78f): its duty, fine and revision are the Participatiewet's, its recovery the Bbz's.
OWN_LAW = {
    "participatiewet": {PARTICIPATIEWET},
    "ioaw": {IOAW},
    "ioaz": {IOAZ},
    "bbz": {PARTICIPATIEWET, BBZ},
}
LAW_NAMES = {
    PARTICIPATIEWET: ("Participatiewet", "Pw "),
    IOAW: ("IOAW",),
    IOAZ: ("IOAZ",),
    BBZ: ("Bbz", "Besluit bijstandverlening zelfstandigen"),
}


def cited(node: Any) -> Iterator[dict[str, Any]]:
    """Every legal basis anywhere in an advice's JSON (steps, tracks, calculation parameters)."""
    if isinstance(node, dict):
        if {"citation", "identifier", "url"} <= node.keys():
            yield node
        for value in node.values():
            yield from cited(value)
    elif isinstance(node, list):
        for value in node:
            yield from cited(value)


def texts(node: Any) -> Iterator[str]:
    """Every string of an advice's JSON."""
    if isinstance(node, dict):
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from texts(value)
    elif isinstance(node, str):
        yield node


@settings(max_examples=200, deadline=None)
@given(case=cases(), law=st.sampled_from(sorted(OWN_LAW)))
def test_an_advice_cites_only_its_own_law_and_shared_instruments(
    engine: Engine, case: dict[str, Any], law: str
) -> None:
    """An IOAW or IOAZ advice never cites the Participatiewet, the Bbz or the other law; a Participatiewet
    advice never cites IOAW, IOAZ or the Bbz; a Bbz advice cites the Participatiewet and the Bbz, never
    IOAW or IOAZ: every citation is of the case's own law or of an instrument all share (Awb,
    Boetebesluit, Wetboek van Strafrecht, OM-aanwijzing, rulings, municipal policy)."""
    case = {**case, "law": law}
    advice = engine.advise(case).model_dump(mode="json")
    foreign = set(LAW_NAMES) - OWN_LAW[law]
    wrong = [b["citation"] for b in cited(advice) if b["identifier"] in foreign]
    assert wrong == []
    other_names = [name for other in foreign for name in LAW_NAMES[other]]
    named = [t for t in texts(advice) if any(name in t for name in other_names)]
    assert named == []


@pytest.mark.parametrize(
    ("law", "fine", "warning"),
    [
        ("participatiewet", "Participatiewet art. 18a", "Participatiewet art. 18a lid 4 (waarschuwing)"),
        ("ioaw", "IOAW art. 20a", "IOAW art. 20a lid 4 (waarschuwing)"),
        ("ioaz", "IOAZ art. 20a", "IOAZ art. 20a lid 4 (waarschuwing)"),
        ("bbz", "Participatiewet art. 18a", "Participatiewet art. 18a lid 4 (waarschuwing)"),
    ],
)
def test_the_fine_track_and_the_band_name_the_cases_own_law(
    engine: Engine, example_cases: dict[str, Any], law: str, fine: str, warning: str
) -> None:
    """The fine track cites the case's own fine article and the band's maximum is labelled with it;
    a warning rule cites the warning paragraph of that law."""
    case = copy.deepcopy(example_cases["01-inkomsten-normaal.json"])
    case["law"] = law
    advice = engine.advise(case)
    track = next(t for t in advice.tracks if t.id == "boete_of_waarschuwing")
    assert fine in [b.citation for b in track.basis]
    assert advice.measure.band.highest.nl.startswith(f"Wettelijk maximum ({fine} lid 1, 3 en 5)")
    case["benefit_loss"] = {"net": "100.00", "gross": "120.00"}
    steps = {s.rule_id: s for s in engine.advise(case).steps}
    assert warning in [b.citation for b in steps["waarschuwing_klein_bedrag"].basis]


def test_the_ioaz_is_cited_by_its_own_bwb_id(engine: Engine, example_cases: dict[str, Any]) -> None:
    """The IOAZ is BWBR0004163 (wetten.overheid.nl), with deep links into its own text."""
    case = copy.deepcopy(example_cases["01-inkomsten-normaal.json"])
    case["law"] = "ioaz"
    bases = list(cited(engine.advise(case).model_dump(mode="json")))
    ioaz = [b for b in bases if b["citation"].startswith("IOAZ")]
    assert ioaz
    assert all(b["identifier"] == IOAZ and b["url"].startswith(f"https://wetten.overheid.nl/{IOAZ}/") for b in ioaz)


def test_a_bbz_case_is_recovered_and_fined_under_the_participatiewet_with_the_bbz_boekjaar(
    engine: Engine, example_cases: dict[str, Any]
) -> None:
    """A zelfstandige's bijstand is recovered under Pw art. 58 (lid 1 and 7; waiving for urgent reasons
    lid 8): the Bbz 2004 has no art. 44-47 in its texts from 2020-01-01 on, and before that its art. 44
    lid 1 applied Pw art. 58 too. The duty to inform, the fine and the revision are the Participatiewet's
    (Pw art. 78f allows the Bbz no departure from art. 17, 18a or 54); the Bbz itself is cited for the
    boekjaar (art. 11 and 12) and for a loan (art. 41 and 43), never for a recovery article it no
    longer has."""
    case = copy.deepcopy(example_cases["01-inkomsten-normaal.json"])
    case["law"] = "bbz"
    advice = engine.advise(case)
    tracks = {t.id: [(b.citation, b.identifier) for b in t.basis] for t in advice.tracks}
    recovery = tracks["terugvordering"]
    assert [identifier for _, identifier in recovery] == [PARTICIPATIEWET]
    assert recovery[0][0].startswith("Participatiewet art. 58 lid 1 en 7")
    assert ("Participatiewet art. 54 lid 3", PARTICIPATIEWET) in tracks["herziening"]
    assert "Participatiewet art. 18a" in [c for c, _ in tracks["boete_of_waarschuwing"]]
    assert "bbz_boekjaar" in [s.rule_id for s in advice.steps]
    bbz = [b for b in cited(advice.model_dump(mode="json")) if b["identifier"] == BBZ]
    assert bbz
    assert all(b["url"].startswith(f"https://wetten.overheid.nl/{BBZ}/") for b in bbz)
    repealed = ("art. 44", "art. 45", "art. 46", "art. 47")
    assert [
        b["citation"]
        for b in bbz
        if b["citation"].removeprefix("Besluit bijstandverlening zelfstandigen 2004 ").startswith(repealed)
    ] == []


# --- more facts never make the advice less decisive ------------------------------------------------


def _finance_variants(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The case with its ability-to-pay facts supplied in full, in part, or not at all."""
    finances = dict(case.get("finances") or {})
    for supplied in (None, False, True):
        for norm in (None, "1401.50"):
            variant = copy.deepcopy(case)
            variant["finances"] = {**finances, "financial_data_supplied": supplied, "monthly_norm": norm}
            yield variant


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_a_lawful_preferred_warning_never_waits_for_fine_facts(engine: Engine, case: dict[str, Any]) -> None:
    """Whether ability-to-pay facts are known, partly known or unknown, and whether the part of the loss
    before 2013 is known, never changes an advised warning: a warning needs no fine amount."""
    measures = {engine.advise(v).measure.kind for v in _finance_variants(case)}
    if "waarschuwing" in measures:
        assert {"waarschuwing"} == measures
    loss = case["benefit_loss"]
    if loss.get("before_2013") is not None and engine.advise(case).measure.kind == "waarschuwing":
        unknown = copy.deepcopy(case)
        unknown["benefit_loss"] = {k: v for k, v in loss.items() if k != "before_2013"}
        assert engine.advise(unknown).measure.kind == "waarschuwing"


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_more_facts_never_make_the_advice_less_decisive(engine: Engine, case: dict[str, Any]) -> None:
    """Supplying the ability-to-pay facts in full (financial data and the norm) never turns a decided
    advice into "beslissing nodig": a decided advice stays decided when a person adds facts."""
    without = copy.deepcopy(case)
    without["finances"] = {**(case.get("finances") or {}), "financial_data_supplied": None}
    full = copy.deepcopy(case)
    full["finances"] = {
        **(case.get("finances") or {}),
        "financial_data_supplied": True,
        "bijstand_level_income": True,
        "monthly_norm": "1401.50",
        "joint_household": False,
    }
    if engine.advise(without).measure.kind != "beslissing_nodig":
        assert engine.advise(full).measure.kind != "beslissing_nodig"


# --- dated figures ---


def _opzet_case(decided: str, *, start: str, end: str, due: str, detected: str) -> dict[str, Any]:
    """A Participatiewet case with intent, found by investigation, on these days."""
    return {
        "law": "participatiewet",
        "decision_date": decided,
        "violation": {
            "established": True,
            "kind": "inkomsten_of_werk",
            "period": {"start": start, "end": end},
            "information_due": due,
            "detected_on": detected,
            "detection": "onderzoek",
        },
        "culpability": {"confirmed": "opzet"},
    }


@pytest.mark.parametrize(("decided", "expected"), [("2020-08-03", "2340.00"), ("2020-08-04", "1170.00")])
def test_ability_to_pay_is_10_then_5_percent_of_the_norm(decided: str, expected: str) -> None:
    """Opzet on €4.626,85 with a norm of €975: 24 × 10% = €2.340 (ECLI:NL:CRVB:2016:9) for a decision
    before 4 August 2020, 24 × 5% = €1.170 from that day (beslagvrije voet 95%, CRvB 4-8-2020)."""
    case = _opzet_case(decided, start="2019-03-01", end="2019-08-31", due="2019-03-08", detected="2020-01-15")
    case["benefit_loss"] = {"net": "4626.85"}
    case["finances"] = {"bijstand_level_income": True, "monthly_norm": "975.00", "financial_data_supplied": True}
    national = Engine(municipality=None)
    assert expected == str(national.advise(case).measure.amount)


@pytest.mark.parametrize(
    ("decided", "expected"), [("2016-12-30", "1540.00"), ("2017-01-01", "1535.42"), ("2020-06-01", "1535.42")]
)
def test_the_fine_is_rounded_up_to_a_multiple_of_ten_euro_only_when_decided_before_2017(
    decided: str, expected: str
) -> None:
    """Boetebesluit socialezekerheidswetten art. 2 lid 2 as it read until 2017 (text of 2015-01-01):
    "De bestuurlijke boete wordt naar boven afgerond op een veelvoud van € 10". The texts of art. 2
    from 2017-01-01 have no such rule: the fine is the percentage of the loss (lid 2-5), in cents;
    ECLI:NL:CRVB:2023:916 upheld a fine of €1.535,42. Normal culpability on a net loss of €3.070,84
    with income above bijstand level (no ability-to-pay cap): 50% is €1.535,42, which a decision
    taken before 2017 rounds up to €1.540. For conduct before 2017 decided later, the later rule is
    the milder one and applies (Awb 5:46 lid 4)."""
    case = _opzet_case(decided, start="2015-03-01", end="2015-08-31", due="2015-03-08", detected="2016-01-15")
    case["culpability"] = {"confirmed": "normaal"}
    case["benefit_loss"] = {"net": "3070.84"}
    case["finances"] = {"bijstand_level_income": False}
    advice = Engine(municipality=None).advise(case)
    assert ("boete", expected) == (advice.measure.kind, str(advice.measure.amount))


def test_the_category_in_force_when_the_conduct_began_applies() -> None:
    """ECLI:NL:CRVB:2023:173: for a continuing violation the maximum of its start applies, also before
    2013: conduct from 2016-05-01 has category 3 of 2016 (€8.200) as its maximum, not today's."""
    case = _opzet_case("2021-03-01", start="2016-05-01", end="2020-06-30", due="2016-05-08", detected="2020-11-01")
    case["benefit_loss"] = {"net": "40000.00"}
    case["culpability"] = {"confirmed": "normaal"}
    advice = Engine(municipality=None).advise(case)
    assert str(advice.measure.band.highest_amount) == "8200.00"


def test_the_power_to_fine_has_lapsed_when_it_has_under_both_terms() -> None:
    """Awb 5:45: the term is five years above the threshold and three below it. With recidive unknown the
    maximum, and so the term, is unknown; but a violation that ended more than five years before the
    decision has lapsed under both terms, so the fine is excluded, whatever the amount (found by the
    property that more loss never gives a milder advice)."""
    from maatwerk import Engine

    case = {
        "law": "ioaw",
        "decision_date": "2024-01-01",
        "violation": {
            "established": True,
            "kind": "inkomsten_of_werk",
            "period": {"start": "2010-01-01", "end": "2010-01-01"},
            "information_due": "2010-01-01",
            "detection": "onderzoek",
            "detected_on": "2010-01-01",
        },
        "benefit_loss": {"gross": "240.01", "before_2013": "0.00"},
        "culpability": {"indicators": {}},
        # A prison sentence without its final day: whether it counts as recidive is unknown.
        "history": [
            {
                "kind": "strafrechtelijke_sanctie",
                "imposed_on": "2000-01-01",
                "same_conduct": True,
                "unconditional_prison": True,
            }
        ],
        "procedure": {"prosecutor_exception": "verwijzen"},
    }
    engine = Engine()
    for gross in ("240.01", "340.01"):
        case["benefit_loss"] = {"gross": gross, "before_2013": "0.00"}
        advice = engine.advise(case)
        assert advice.measure.kind == "geen_boete"
        assert "gate_verval" in [s.rule_id for s in advice.steps]
