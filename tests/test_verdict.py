# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The verdict is pack data: the measures and how one is chosen, the decisions for a person and the
what-ifs are declared in the packs, their texts are templates over the packs' own figures, and a
municipality adds decisions and what-ifs of its own without Python, but never its own measures."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import valid_case

from maatwerk import Engine, PolicyError
from maatwerk._policy.loader import load_tree
from maatwerk._policy.verdict import parse_template

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

NATIONAL = Path("benefits") / "nl-benefits" / "2013-01-01.yaml"
LANSINGERLAND = Path("benefits") / "lansingerland-benefits" / "2024-01-01.yaml"


def _edit(root: Path, pack: Path, old: str, new: str) -> Path:
    path = root / pack
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {pack}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def _with_municipal_verdict(root: Path, block: str) -> Path:
    """Lansingerland's benefit pack with a ``verdict:`` section appended."""
    path = root / LANSINGERLAND
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\nverdict:\n" + block, encoding="utf-8")
    return root


def _problems(root: Path) -> list[tuple[str, str, str]]:
    """(file:line, code, message) of every problem loading ``root`` gives."""
    with pytest.raises(PolicyError) as info:
        load_tree(root)
    return [(p.where.rsplit(":", 1)[0], p.code, p.message) for p in info.value.problems]


def _fine_case() -> dict[str, object]:
    case = valid_case()
    case["culpability"] = {"confirmed": "normaal"}
    return case


# --- the measure -----------------------------------------------------------------------------------


def test_the_measure_and_its_reason_come_from_the_packs_choice(policy_copy: Path) -> None:
    """The summary of the chosen measure is the pack's text: editing it in YAML changes the advice."""
    root = _edit(
        policy_copy,
        NATIONAL,
        'summary: {nl: "Boete van {value:amount} bij {value:level}, na alle',
        'summary: {nl: "Een boete van {value:amount} ({value:level}), na alle',
    )
    advice = Engine(root).advise(_fine_case())
    assert "boete" == advice.measure.kind
    assert (
        "Een boete van € 840,90 (normale verwijtbaarheid), na alle verlagingen die de wet en de omstandigheden vragen."
        == advice.measure.summary.nl
    )


def test_a_step_of_the_choice_that_does_not_hold_is_passed_over() -> None:
    """A lawful warning is advised only when the policy prefers it: without Lansingerland's preference
    the same small case gets the fine (the choice's ``preferred`` condition)."""
    case = _fine_case()
    case["benefit_loss"] = {"net": "100.00", "gross": "120.00"}
    assert "waarschuwing" == Engine().advise(case).measure.kind
    assert "boete" == Engine(municipality=None).advise(case).measure.kind


def test_a_municipal_pack_cannot_declare_measures_or_change_the_choice(policy_copy: Path) -> None:
    """Which measures exist and how one is chosen is national law: a municipal pack that tries is refused,
    located, and told how it can state its preference instead."""
    root = _with_municipal_verdict(
        policy_copy,
        "  measures:\n    taakstraf: {label: {nl: Taakstraf, en: Community service}}\n"
        "  choice:\n    - {id: altijd_boete, measure: boete, summary: {nl: Boete, en: Fine}}\n",
    )
    found = [(code, msg) for _, code, msg in _problems(root)]
    assert [code for code, _ in found] == ["POLICY_NOT_DELEGATED", "POLICY_NOT_DELEGATED"]
    assert all("warning_preferred" in msg for _, msg in found)


def test_the_last_step_of_the_national_choice_always_applies(policy_copy: Path) -> None:
    """Every case gets a measure: a national choice whose last step has a condition is refused."""
    root = _edit(
        policy_copy,
        NATIONAL,
        "    - id: boete\n      measure: boete\n",
        "    - id: boete\n      measure: boete\n      when: {fact: recidive, eq: true}\n",
    )
    [(where, code, _)] = _problems(root)
    assert ("POLICY_BAD_CONDITION", "2013-01-01.yaml") == (code, Path(where.rsplit(":", 1)[0]).name)


# --- texts are templates over the packs' figures ---------------------------------------------------


def test_a_text_reads_the_figure_it_names_so_they_cannot_drift(policy_copy: Path) -> None:
    """The what-if on the warning limit names the limit in force: Lansingerland's lower limit (a delegated
    parameter) shows in the text, not the national figure."""
    root = _edit(
        policy_copy,
        LANSINGERLAND,
        "parameters:\n",
        "parameters:\n  waarschuwing_max_benadeling:\n    unit: eur\n    date_basis: conduct\n"
        '    source: lansingerland_beleid\n    description: {nl: "Grens", en: "Limit"}\n'
        '    values: [{from: 2024-01-01, value: "100.00"}]\n',
    )
    changes = [c.change.nl for c in Engine(root).advise(_fine_case()).what_would_change]
    assert "Als het benadelingsbedrag niet hoger is dan € 100,00" in changes
    national = [c.change.nl for c in Engine(municipality=None).advise(_fine_case()).what_would_change]
    assert "Als het benadelingsbedrag niet hoger is dan € 150,00" in national


def test_the_recidive_what_if_reads_the_recidive_factor() -> None:
    """ "150%" is not typed anywhere: it is the recidive factor of the pack, shown as a percentage."""
    case = _fine_case()
    case["history"] = [
        {"kind": "boete", "same_conduct": True, "imposed_on": "2023-01-10", "final_on": "2023-03-01"},
    ]
    effects = [c.effect.nl for c in Engine().advise(case).what_would_change]
    assert "vervalt de verhoging naar 150%" in effects


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("een {open", "a lone '{'"),
        ("{param:}", "is not a placeholder"),
        ("{bedrag}", "is not a placeholder"),
        ("{cite:x|percent}", "a format applies to parameters only"),
        ("{param:x|euro}", "unknown format 'euro'"),
    ],
)
def test_a_malformed_template_is_explained(text: str, error: str) -> None:
    _, errors = parse_template(text)
    assert any(error in e for e in errors), errors


def test_braces_are_written_double() -> None:
    parts, errors = parse_template("{{letterlijk}} {value:amount}")
    assert ([], "{letterlijk} ") == (errors, parts[0])


def test_every_placeholder_is_checked_at_load_with_a_did_you_mean(policy_copy: Path) -> None:
    """A template that names an unknown parameter, source, fact or value is refused at its line."""
    root = _edit(
        policy_copy,
        NATIONAL,
        'niet hoger is dan {param:waarschuwing_max_benadeling}"',
        'niet hoger is dan {param:waarschuwing_max_benadling} ({cite:boete_wett}, {reason:recidve}, {value:bedrag})"',
    )
    found = [msg for _, code, msg in _problems(root) if code == "POLICY_BAD_TEMPLATE"]
    assert [
        "{param:waarschuwing_max_benadling}: unknown parameter (did you mean 'waarschuwing_max_benadeling'?)",
        "{cite:boete_wett}: unknown source (did you mean 'boete_wet'?)",
        "{reason:recidve}: not a fact that rules set (did you mean 'recidive'?)",
        "{value:bedrag}: unknown value; known: amount, level, undue_delay_percent, before_2013, probe_amount, "
        "probe_measure, instalment, instalment_months, measure_instead",
    ] == found


def test_a_step_without_an_amount_cannot_name_the_amount(policy_copy: Path) -> None:
    """A step of the choice that gives no amount (here the warning) would render {value:amount} as "?":
    refused at load, in the language it was written in; a step with an amount may name it."""
    root = _edit(
        policy_copy,
        NATIONAL,
        '"De wet staat een schriftelijke waarschuwing toe. Dat is de lichtste maatregel die werkt."',
        '"Een waarschuwing in plaats van een boete van {value:amount}."',
    )
    found = [(where.rsplit(":", 2)[0], msg) for where, code, msg in _problems(root) if code == "POLICY_BAD_TEMPLATE"]
    assert [
        (
            str(root / NATIONAL),
            "{value:amount}: this step gives no amount (no `amount:`), so the text would read '?'; "
            "give the step an amount or leave the amount out of its text",
        )
    ] == found


# --- a municipality's own decisions and what-ifs ----------------------------------------------------


def test_a_municipality_adds_a_decision_of_its_own_with_factors(policy_copy: Path) -> None:
    """A municipal policy that asks the caseworker to offer debt counselling is a YAML edit: its question,
    options and factors appear in the advice, after the national decisions."""
    root = _with_municipal_verdict(
        policy_copy,
        "  decisions:\n"
        "    - id: schuldhulp_aanbieden\n"
        "      when: {fact: debts, eq: true}\n"
        '      question: {nl: "Biedt u schuldhulp aan ({cite:lansingerland_beleid})?", en: "Do you offer debt help?"}\n'
        "      options: [ja, nee]\n"
        "      factors:\n"
        "        - {id: kinderen, when: {fact: dependent_children, eq: true}, direction: voor,"
        ' text: {nl: "Er zijn kinderen.", en: "There are children."}}\n',
    )
    case = _fine_case()
    case["circumstances"] = {**case.get("circumstances", {}), "debts": True, "dependent_children": True}  # type: ignore[dict-item]
    advice = Engine(root).advise(case)
    mine = advice.decisions[-1]
    assert ("schuldhulp_aanbieden", ("ja", "nee"), ["kinderen"]) == (
        mine.id,
        mine.options,
        [f.rule_id for f in mine.factors],
    )
    assert mine.question.nl.startswith(
        "Biedt u schuldhulp aan (Handhavingsbeleid sociaal domein gemeente Lansingerland"
    )
    case["circumstances"] = {**case["circumstances"], "debts": False}  # type: ignore[dict-item]
    assert "schuldhulp_aanbieden" not in [d.id for d in Engine(root).advise(case).decisions]


def test_a_municipal_decision_cannot_take_a_national_id(policy_copy: Path) -> None:
    root = _with_municipal_verdict(
        policy_copy,
        "  decisions:\n    - {id: kwijtschelding, question: {nl: Vraag, en: Question}}\n",
    )
    [(_, code, message)] = _problems(root)
    assert ("POLICY_DUPLICATE_ID", True) == (code, "already a decision of the national pack" in message)


def test_a_municipal_what_if_is_worked_out_by_the_same_rules(policy_copy: Path) -> None:
    """A what-if that changes a fact is computed by re-running the rules: with intent instead of normal
    culpability, Lansingerland's rule rules out the warning, so the advice on a small loss changes."""
    root = _with_municipal_verdict(
        policy_copy,
        "  what_ifs:\n"
        "    - id: bij_opzet\n"
        "      when: {fact: measure, eq: waarschuwing}\n"
        "      set: {culpability: opzet}\n"
        "      only_if_measure_changes: true\n"
        '      change: {nl: "Bij opzet", en: "With intent"}\n'
        '      effect: {nl: "wordt het advies: {value:probe_measure}", en: "the advice becomes: {value:probe_measure}"}\n',
    )
    case = _fine_case()
    case["benefit_loss"] = {"net": "100.00", "gross": "120.00"}
    advice = Engine(root).advise(case)
    assert "waarschuwing" == advice.measure.kind
    assert ("Bij opzet", "wordt het advies: boete") in [(c.change.nl, c.effect.nl) for c in advice.what_would_change]


def test_a_what_if_changes_only_input_facts(policy_copy: Path) -> None:
    root = _with_municipal_verdict(
        policy_copy,
        "  what_ifs:\n    - {id: x, set: {recidive: true}, change: {nl: a, en: a}, effect: {nl: b, en: b}}\n",
    )
    [(_, code, message)] = _problems(root)
    assert ("POLICY_UNKNOWN_FACT", True) == (code, "input fact" in message)


# --- decisions and the factors rules give -----------------------------------------------------------


def test_a_factor_for_a_decision_the_verdict_does_not_ask_is_refused(policy_copy: Path) -> None:
    root = _edit(
        policy_copy,
        NATIONAL,
        "then: {factors: [{decision: dringende_redenen, direction: voor}]}",
        "then: {factors: [{decision: dringende_reden, direction: voor}]}",
    )
    [(_, code, message)] = _problems(root)
    assert ("POLICY_UNKNOWN_DECISION", True) == (code, "did you mean 'dringende_redenen'?" in message)


def test_a_factor_for_a_decision_that_shows_no_factors_would_be_dropped(policy_copy: Path) -> None:
    root = _edit(
        policy_copy,
        NATIONAL,
        "then: {factors: [{decision: dringende_redenen, direction: voor}]}",
        "then: {factors: [{decision: kwijtschelding, direction: voor}]}",
    )
    [(_, code, _)] = _problems(root)
    assert "POLICY_FACTOR_DROPPED" == code


# --- a bill adds a measure ---------------------------------------------------------------------------


def test_a_bill_adds_a_measure_as_a_delta(policy_copy: Path) -> None:
    """The Whsz bill adds the conditional fine to the verdict (measure, step of the choice, what-if) in
    its delta; previewed, a preferred conditional fine is advised with the bill's probation period."""
    import datetime as dt

    root = _with_municipal_verdict(policy_copy, "  decisions: []\n")
    root = _edit(
        root,
        LANSINGERLAND,
        "rules:\n",
        "rules:\n  - id: voorwaardelijk_bij_normaal\n    stage: decision\n"
        "    when: {fact: culpability, eq: normaal}\n    then: {set: {conditional_fine_preferred: true}}\n"
        "    basis: [lansingerland_beleid]\n    principles: [P3]\n"
        '    reason: {nl: "Voorkeur voor voorwaardelijk.", en: "Prefer conditional."}\n',
    )
    case = _fine_case()
    case["decision_date"] = "2026-03-02"
    engine = Engine(root, preview={"whsz": dt.date(2026, 1, 1)})
    advice = engine.advise(case)
    assert ("voorwaardelijke_boete", 2) == (advice.measure.kind, advice.measure.probation_years)
    assert "binnen 2 jaar" in " ".join(c.change.nl for c in advice.what_would_change)
    assert "boete" == Engine(root).advise(case).measure.kind


def test_a_measure_the_advice_schema_does_not_know_is_refused(policy_copy: Path) -> None:
    """The advice schema's measures are a closed list in version 1: a national pack that declares another
    measure is told it needs a new schema version (not left to fail when a case selects it)."""
    root = _edit(
        policy_copy,
        NATIONAL,
        '    boete:\n      label: {nl: "Boete", en: "Fine"}\n',
        '    taakstraf: {label: {nl: Taakstraf, en: Community service}}\n    boete:\n      label: {nl: "Boete", en: "Fine"}\n',
    )
    [message] = [m for _, code, m in _problems(root) if code == "POLICY_UNKNOWN_MEASURE"]
    assert "a new measure needs a new version of the advice schema" in message


# --- tracks, alternatives and calculation labels ------------------------------------------------------


def test_a_track_is_the_packs_first_case_that_holds(policy_copy: Path) -> None:
    """The explanation of a track is the pack's text: editing it in YAML changes the advice."""
    root = _edit(
        policy_copy,
        NATIONAL,
        '"Het besluit over de uitkering wordt herzien of ingetrokken."',
        '"Wij herzien het besluit over uw uitkering."',
    )
    [track] = [t for t in Engine(root).advise(_fine_case()).tracks if t.id == "herziening"]
    assert ("verplicht", "Wij herzien het besluit over uw uitkering.") == (track.status, track.explanation.nl)


def test_the_measure_track_takes_the_advised_measures_own_text() -> None:
    """``status: measure``: the fine track shows the status and text of the measure advised."""
    small = _fine_case()
    small["benefit_loss"] = {"net": "100.00", "gross": "120.00"}
    tracks = {a.measure.kind: a.tracks for a in (Engine().advise(_fine_case()), Engine().advise(small))}
    shown = {kind: next(t for t in ts if t.id == "boete_of_waarschuwing") for kind, ts in tracks.items()}
    assert ("geadviseerd", "Een boete, berekend hieronder.") == (shown["boete"].status, shown["boete"].explanation.nl)
    assert "Een schriftelijke waarschuwing in plaats van een boete." == shown["waarschuwing"].explanation.nl


def test_the_warning_passed_over_by_policy_says_the_municipalitys_own_reason() -> None:
    """The alternative names the municipal rule's reason, not a sentence about one municipality typed in code."""
    case = _fine_case()
    case["culpability"] = {"confirmed": "opzet"}
    case["benefit_loss"] = {"net": "100.00", "gross": "120.00"}
    [warning] = [a for a in Engine().advise(case).alternatives if a.measure == "waarschuwing"]
    assert (False, True) == (warning.lawful, "Bij opzet geeft Lansingerland geen waarschuwing" in warning.why.nl)


def test_a_calculation_label_reads_its_parameter() -> None:
    """The rounding step names the rounding multiple of the pack, not a typed '€10' (a case decided in
    2016, when the Boetebesluit still rounded the fine up to a multiple of €10)."""
    case = _fine_case()
    case["decision_date"] = "2016-06-01"
    case["benefit_loss"] = {"net": "2481.00", "gross": "3100.00"}  # 50%: €1.240,50, rounded up to €1.250
    dates = {
        "period": {"start": "2015-01-01", "end": "2015-06-30"},
        "information_due": "2015-01-08",
        "detected_on": "2015-10-15",
    }
    case["violation"] = {**case["violation"], **dates}  # type: ignore[dict-item]
    labels = [c.label.nl for c in Engine(municipality=None).advise(case).calculation]
    assert any(label.startswith("Afgerond op een veelvoud van € 10,00") for label in labels), labels


@pytest.mark.parametrize(
    "block",
    [
        "  tracks:\n    - {id: herziening, cases: [{status: verplicht, explanation: {nl: a, en: a}}]}\n",
        "  alternatives:\n    - {id: boete, why: [{text: {nl: a, en: a}}]}\n",
        "  calculation:\n    afronding: {nl: a, en: a}\n",
    ],
)
def test_tracks_alternatives_and_calculation_labels_are_national(policy_copy: Path, block: str) -> None:
    root = _with_municipal_verdict(policy_copy, block)
    assert ["POLICY_NOT_DELEGATED"] == [code for _, code, _ in _problems(root)]


def test_a_national_pack_labels_every_step_of_the_calculation(policy_copy: Path) -> None:
    root = _edit(policy_copy, NATIONAL, "    afronding_lid7: {nl:", "    afronding_lid7_x: {nl:")
    messages = [m for _, code, m in _problems(root) if code in ("POLICY_MISSING_FIELD", "POLICY_INVALID_VALUE")]
    assert any("missing: afronding_lid7" in m for m in messages)
    assert any("afronding_lid7_x" in m for m in messages)


def test_the_band_says_the_packs_own_words(policy_copy: Path) -> None:
    """The band's labels are named sentences of the pack (``texts:``), the statutory maximum citing the
    case's own law."""
    root = _edit(
        policy_copy,
        NATIONAL,
        'band_lowest_fine: {nl: "Laagste boete na verlagingen"',
        'band_lowest_fine: {nl: "Laagste boete"',
    )
    band = Engine(root).advise(_fine_case()).measure.band
    assert ("Laagste boete", "Wettelijk maximum (Participatiewet art. 18a lid 1, 3 en 5)") == (
        band.lowest.nl,
        band.highest.nl,
    )


def test_a_national_pack_states_every_sentence_of_its_domain(policy_copy: Path) -> None:
    root = _edit(policy_copy, NATIONAL, "    band_lowest_fine: {nl:", "    band_laagste_boete: {nl:")
    messages = [m for _, code, m in _problems(root) if code in ("POLICY_MISSING_FIELD", "POLICY_INVALID_VALUE")]
    assert any("missing texts: band_lowest_fine" in m for m in messages), messages
    assert any("'band_laagste_boete' is not a sentence of the benefits advice" in m for m in messages), messages


def test_the_engines_own_steps_cite_and_say_what_the_pack_states(policy_copy: Path) -> None:
    """The note of the milder-law step is the pack's text and cites the pack's source, not Python's."""
    import datetime as dt

    root = _edit(
        policy_copy,
        NATIONAL,
        '"De regels zijn veranderd tussen het gedrag en de beslissing. Het advies volgt de regel die voor de inwoner het gunstigst is."',
        '"De regels zijn gewijzigd; wij volgen de gunstigste regel ({cite:sr_1_lid2})."',
    )
    case = _fine_case()
    case["decision_date"] = "2026-03-02"
    advice = Engine(root, preview={"whsz": dt.date(2026, 1, 1)}).advise(case)
    [note] = [s for s in advice.steps if s.rule_id == "lex_mitior"]
    assert note.text.nl.startswith("De regels zijn gewijzigd; wij volgen de gunstigste regel (")
    assert ["sr_1_lid2"] == [b.id for b in note.basis]


def test_an_engine_step_names_only_citations_and_its_own_values(policy_copy: Path) -> None:
    root = _edit(policy_copy, NATIONAL, 'voor de inwoner het gunstigst is."', 'volgt {param:recidive_factor}."')
    [message] = [m for _, code, m in _problems(root) if code == "POLICY_BAD_TEMPLATE"]
    assert "an engine step's text names only {cite:..} and its own {value:..}" in message


# --- the provider ladder is pack data ---------------------------------------------------------------

#: The providers' verdict, which the Wmo 2015 and the Jeugdwet packs both include.
WMO = Path("providers") / "_shared" / "providers-verdict.yaml"


def _wmo_example() -> dict[str, object]:
    import json

    from conftest import EXAMPLES

    data: dict[str, object] = json.loads((EXAMPLES / "05-wmo-structureel-kwetsbaar.json").read_text(encoding="utf-8"))
    return data


def test_the_ladder_climbs_the_rungs_the_pack_gives(policy_copy: Path) -> None:
    """The Wmo example needs rung 3, where intensified supervision is the measure with a basis; moved
    to rung 5 in YAML, the lightest measure with a basis at rung 4 is advised instead: the ladder is
    the pack's, not Python's."""
    assert Engine().advise(_wmo_example()).measure.kind == "verscherpt_toezicht"
    root = _edit(
        policy_copy,
        WMO,
        'verscherpt_toezicht: {label: {nl: "Verscherpt toezicht", en: "Intensified supervision"}, rung: 3,',
        'verscherpt_toezicht: {label: {nl: "Verscherpt toezicht", en: "Intensified supervision"}, rung: 5,',
    )
    advice = Engine(root).advise(_wmo_example())
    assert advice.measure.kind == "intake_stop"
    assert "verscherpt_toezicht" in {a.measure for a in advice.alternatives if a.lawful}


def test_the_summary_of_a_ladder_measure_is_the_packs_parts(policy_copy: Path) -> None:
    """The summary says every part of the pack's ladder summary whose condition holds, in order."""
    root = _edit(
        policy_copy,
        WMO,
        '- {when: {fact: measure_chosen, eq: true}, text: {nl: "{value:measure_label}", en: "{value:measure_label}"}}',
        '- {when: {fact: measure_chosen, eq: true}, text: {nl: "Trede {value:needed_rung}: {value:measure_label}", '
        'en: "Rung {value:needed_rung}: {value:measure_label}"}}',
    )
    advice = Engine(root).advise(_wmo_example())
    assert advice.measure.summary.nl == "Trede 3: Verscherpt toezicht."
    assert advice.measure.summary.en == "Rung 3: Intensified supervision."


def test_a_measures_term_is_the_parameter_its_pack_names(policy_copy: Path) -> None:
    """An improvement plan's term is the parameter its measure names (``deadline``), checked to be in days."""
    root = _edit(
        policy_copy,
        WMO,
        "deadline: [{days: verbeterplan_termijn_dagen}]",
        "deadline: [{days: dwangsom_max_weken}]",
    )
    found = _problems(root)
    assert any(
        code == "POLICY_UNKNOWN_PARAMETER" and "'dwangsom_max_weken', which is not a parameter in days" in message
        for _, code, message in found
    ), found
    assert all(where.startswith(str(root / WMO) + ":") for where, _, _ in found)


@pytest.mark.parametrize(
    ("old", "new", "code", "message"),
    [
        ("rung: 6,", "rung: 7,", "POLICY_INVALID_VALUE", "rung 7 is above the ladder's top (6"),
        ("contractmaatregel: 4, ", "", "POLICY_MISSING_FIELD", "missing: contractmaatregel"),
        (
            "drop_rung: [{measure: contractuele_boete,",
            "drop_rung: [{measure: contractuele_boet,",
            "POLICY_UNKNOWN_MEASURE",
            "'contractuele_boet' is not a measure with a rung (did you mean 'contractuele_boete'?)",
        ),
        (
            "sets: {continuity_at_risk: {fact: continuity_uncertain, eq: true}}}",
            "sets: {ladder_short: {fact: continuity_uncertain, eq: true}}}",
            "POLICY_UNKNOWN_FACT",
            "sets only continuity_at_risk; not 'ladder_short'",
        ),
        (
            "escalate: {fact: escalate_one_rung, eq: true}",
            "escalate: {fact: ladder_short, eq: true}",
            "POLICY_UNKNOWN_FACT",
            "ladder_short",
        ),
    ],
)
def test_a_broken_ladder_is_refused_where_it_is_written(
    policy_copy: Path, old: str, new: str, code: str, message: str
) -> None:
    """Each mistake in the ladder is an error of loading, located in the pack, that says what is wrong
    (the ladder's own conditions read only the rules' facts: they are decided before the verdict's)."""
    found = _problems(_edit(policy_copy, WMO, old, new))
    assert any(c == code and message in m and w.startswith(str(policy_copy / WMO)) for w, c, m in found), found


def test_a_municipal_pack_cannot_change_the_ladder(policy_copy: Path) -> None:
    """The ladder is national law: a municipal pack states its preference through delegated facts."""
    path = policy_copy / "providers" / "lansingerland-wmo2015" / "2024-01-01.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(
        text + "\n\nverdict:\n  ladder:\n    earlier: {gesprek: 1}\n    escalate: {fact: escalate_one_rung, eq: true}\n"
        '    summary: [{text: {nl: "x", en: "x"}}]\n',
        encoding="utf-8",
    )
    found = _problems(policy_copy)
    assert any(c == "POLICY_NOT_DELEGATED" and "the ladder of the advice are national law" in m for _, c, m in found), (
        found
    )


def test_a_text_prepared_once_per_parameter_set_still_reads_each_cases_own_value(policy_copy: Path) -> None:
    """A label's parameter is filled in once per set of parameter values (and shared by the cases
    that use that set), never carried over to a case whose dates give the parameter another value:
    one engine, cases decided before and after the parameter changes, in turns."""
    _edit(
        policy_copy, NATIONAL, '{from: 2017-01-01, value: "0.01", note: "', '{from: 2017-01-01, value: "5.00", note: "'
    )
    root = _edit(
        policy_copy,
        NATIONAL,
        '"}]}\n  afronding_lid7_veelvoud',
        '"}, {from: 2026-06-01, value: "20.00"}]}\n  afronding_lid7_veelvoud',
    )
    engine = Engine(root)
    later = _fine_case()
    later["decision_date"] = "2026-07-01"

    def rounding(case: dict[str, object]) -> list[str]:
        return [c.label.nl for c in engine.advise(case).calculation if c.id == "afronding"]

    for _ in range(2):
        assert ["Afgerond op een veelvoud van € 5,00 (nooit boven een grens)"] == rounding(_fine_case())
        assert ["Afgerond op een veelvoud van € 20,00 (nooit boven een grens)"] == rounding(later)
