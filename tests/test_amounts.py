# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Amounts as pack data (``amounts:``): a pack computes a monthly amount from the case's amounts and
its own percentage parameters, and its texts say it as ``{amount:NAME}``.

The packs here are a test-only municipality, Proefstad, layered on a copy of the bundled national
benefits pack; Rotterdam's real amount (art. 9 lid 7) is tested through its scenarios (r13-r16) and
the property test at the end.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import POLICIES, advice_without, benefit_cases, valid_case
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk import Engine, PolicyError, Problem
from maatwerk._domains.benefits_builder import amount_inputs
from maatwerk._intake.fields import case_fields
from maatwerk._policy.amounts import AMOUNT_INPUTS
from maatwerk._policy.domains import SPECS

PROEFSTAD = """schema_version: 1
pack:
  id: proefstad-benefits
  domain: benefits
  layer: municipal
  base: nl-benefits
  municipality: proefstad
  valid_from: 2024-01-01
  title: {nl: Proefstad, en: Proefstad}
  publisher: tests
sources:
  proef_art9:
    citation: "Beleidsregels terugvordering Proefstad, art. 9"
    identifier: CVDR000001
    url: "https://lokaleregelgeving.overheid.nl/CVDR000001/1"
parameters:
  proef_percentage_norm:
    unit: percent
    date_basis: decision
    source: proef_art9
    description: {nl: "Deel van de norm", en: "Share of the norm"}
    values: [{from: 2024-01-01, value: 5}]
  proef_percentage_boven_norm:
    unit: percent
    date_basis: decision
    source: proef_art9
    description: {nl: "Deel van het inkomen boven de norm", en: "Share of the income above the norm"}
    values: [{from: 2024-01-01, value: 35}]
  proef_vast_bedrag:
    unit: eur
    date_basis: decision
    source: proef_art9
    description: {nl: "Vast bedrag", en: "Fixed amount"}
    values: [{from: 2024-01-01, value: "10.00"}]
  proef_jaren:
    unit: years
    date_basis: decision
    source: proef_art9
    description: {nl: "Termijn", en: "Term"}
    values: [{from: 2024-01-01, value: 2}]
amounts:
  proef_aflossing:
    description: {nl: "Aflossing per maand (art. 9)", en: "Monthly repayment (art. 9)"}
    unknown: {nl: "nog niet bekend ({cite:proef_art9})", en: "not known yet ({cite:proef_art9})"}
    sum:
      - {input: applicable_monthly_norm, percent: proef_percentage_norm}
      - {input: finances.monthly_income_above_norm, percent: proef_percentage_boven_norm}
verdict:
  decisions:
    - id: proef_terugbetalen
      question: {nl: "Hoe betaalt de inwoner terug?", en: "How does the resident repay?"}
      options: [ja, nee]
      consequences: {nl: "Per maand: {amount:proef_aflossing}.", en: "Per month: {amount:proef_aflossing}."}
"""


def _tree(tmp_path: Path, pack: str = PROEFSTAD, *, national_extra: str = "") -> Path:
    """A policy folder with the bundled national benefits pack (``national_extra`` appended to it) and
    ``pack`` as Proefstad's version of 2024-01-01."""
    root = tmp_path / "policies"
    national = root / "benefits" / "nl-benefits"
    shutil.copytree(POLICIES / "benefits" / "nl-benefits", national)
    if national_extra:
        path = national / "2013-01-01.yaml"
        path.write_text(path.read_text(encoding="utf-8") + national_extra, encoding="utf-8")
    own = root / "benefits" / "proefstad-benefits" / "2024-01-01.yaml"
    own.parent.mkdir(parents=True)
    own.write_text(pack, encoding="utf-8")
    return root


def _said(root: Path, case: dict[str, Any], decision: str = "proef_terugbetalen") -> tuple[str, str]:
    """The Dutch and English consequences of ``decision`` in Proefstad's advice on ``case``."""
    advice = Engine(root, municipality="proefstad", evaluator="reference").advise(case)
    [asked] = [d for d in advice.decisions if d.id == decision]
    assert asked.consequences is not None
    return asked.consequences.nl, asked.consequences.en


def _case(**finances: Any) -> dict[str, Any]:
    case = valid_case()
    case["finances"].update(finances)
    return case


def _problems(root: Path) -> list[Problem]:
    """Every problem loading ``root`` reports (failing the test if it loads)."""
    with pytest.raises(PolicyError) as info:
        Engine(root, municipality="proefstad")
    return list(info.value.problems)


def _at(text: str, snippet: str) -> str:
    """``line:col`` (1-based) where ``snippet`` starts in ``text``."""
    start = text.index(snippet)
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return f"{line}:{col}"


def _one(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert 1 == len(found), problems
    return found[0]


# --- the arithmetic ------------------------------------------------------------------------------


def test_the_amount_is_the_sum_of_its_terms_in_the_dutch_notation(tmp_path: Path) -> None:
    """5% of a norm of €1.401,50 is €70,075, rounded half up to €70,08; 35% of €200 above it is €70,00:
    the text says € 140,08, in both languages."""
    nl, en = _said(_tree(tmp_path), _case(monthly_norm="1401.50", monthly_income_above_norm="200.00"))
    assert "Per maand: € 140,08." == nl
    assert "Per month: € 140,08." == en


def test_each_term_is_rounded_to_the_cent_half_up_before_they_are_added(tmp_path: Path) -> None:
    """5% of €1.000,10 is €50,005 and 35% of €100,10 is €35,035: each goes half up (€50,01 and €35,04),
    so the amount is € 85,05, not the € 85,04 of rounding only the sum (nor the € 85,04 of rounding half
    to even)."""
    nl, _ = _said(_tree(tmp_path), _case(monthly_norm="1000.10", monthly_income_above_norm="100.10"))
    assert "Per maand: € 85,05." == nl


def test_below_half_a_cent_a_term_rounds_down(tmp_path: Path) -> None:
    """35% of €0,01 is €0,0035: below half a cent it goes down, so only 5% of €100,00 is left (€ 5,00)."""
    nl, _ = _said(_tree(tmp_path), _case(monthly_norm="100.00", monthly_income_above_norm="0.01"))
    assert "Per maand: € 5,00." == nl


def test_with_a_joint_household_the_applicable_norm_is_the_households(tmp_path: Path) -> None:
    """applicable_monthly_norm reads the household's norm when there is a joint household: 5% of €2.000,00
    is €100,00 (not 5% of the person's €1.401,50)."""
    case = _case(joint_household=True, household_monthly_norm="2000.00", monthly_income_above_norm="0.00")
    nl, _ = _said(_tree(tmp_path), case)
    assert "Per maand: € 100,00." == nl


def test_a_money_parameter_alone_is_added_as_it_is(tmp_path: Path) -> None:
    """A term ``{param: NAME}`` in euros adds the parameter's value: €70,08 + €10,00 = € 80,08."""
    pack = PROEFSTAD.replace(
        "      - {input: finances.monthly_income_above_norm, percent: proef_percentage_boven_norm}\n",
        "      - {param: proef_vast_bedrag}\n",
    )
    nl, _ = _said(_tree(tmp_path, pack), _case(monthly_norm="1401.50"))
    assert "Per maand: € 80,08." == nl


# --- unknown inputs --------------------------------------------------------------------------------


def test_an_unknown_input_says_the_amounts_unknown_text_never_a_number(tmp_path: Path) -> None:
    """Without the income above the norm the amount cannot be computed: the text says the pack's words for
    that (with its citation filled in), never € 0,00 or '?'."""
    nl, en = _said(_tree(tmp_path), _case(monthly_norm="1401.50"))
    assert "Per maand: nog niet bekend (Beleidsregels terugvordering Proefstad, art. 9)." == nl
    assert "Per month: not known yet (Beleidsregels terugvordering Proefstad, art. 9)." == en


def test_a_missing_household_norm_is_unknown_even_with_the_persons_norm(tmp_path: Path) -> None:
    """With a joint household the household's norm applies: the person's norm does not stand in for it."""
    case = _case(monthly_norm="1401.50", joint_household=True, monthly_income_above_norm="0.00")
    nl, _ = _said(_tree(tmp_path), case)
    assert nl.startswith("Per maand: nog niet bekend")


def _missing(root: Path, case: dict[str, Any]) -> dict[str, str]:
    """The missing facts of Proefstad's advice on ``case``: field -> why (in Dutch)."""
    advice = Engine(root, municipality="proefstad", evaluator="reference").advise(case)
    return {m.field: m.why.nl for m in advice.missing_facts}


def test_an_amount_that_cannot_be_computed_lists_what_it_lacks_as_missing(tmp_path: Path) -> None:
    """The advice asks for the field the amount lacks, with the amount's description as the reason."""
    missing = _missing(_tree(tmp_path), _case(monthly_norm="1401.50"))
    assert "Aflossing per maand (art. 9)" == missing.get("finances.monthly_income_above_norm")


def test_with_a_joint_household_the_missing_norm_is_the_households(tmp_path: Path) -> None:
    """Without financial data the fine needs no norm; the amount still does: the household's."""
    case = _case(
        monthly_norm="1401.50", joint_household=True, monthly_income_above_norm="0.00", financial_data_supplied=False
    )
    missing = _missing(_tree(tmp_path), case)
    assert "Aflossing per maand (art. 9)" == missing.get("finances.household_monthly_norm")
    assert "finances.monthly_income_above_norm" not in missing


def test_a_field_the_fine_and_an_amount_both_lack_is_listed_once(tmp_path: Path) -> None:
    """With financial data the ability-to-pay cap needs the household's norm too: it is asked once, for the cap."""
    case = _case(monthly_norm="1401.50", joint_household=True, monthly_income_above_norm="0.00")
    advice = Engine(_tree(tmp_path), municipality="proefstad", evaluator="reference").advise(case)
    fields = [m.field for m in advice.missing_facts]
    assert 1 == fields.count("finances.household_monthly_norm")


def test_an_amount_that_is_computed_asks_for_nothing(tmp_path: Path) -> None:
    missing = _missing(_tree(tmp_path), _case(monthly_norm="1401.50", monthly_income_above_norm="200.00"))
    assert not {"finances.monthly_income_above_norm", "finances.monthly_norm"} & set(missing)


def test_an_open_term_without_a_value_makes_the_amount_unknown(tmp_path: Path) -> None:
    """A national open term (values: []) that the municipality leaves open has no value: the amount that
    reads it is unknown, not computed with a guess."""
    pack = PROEFSTAD.replace("percent: proef_percentage_boven_norm}", "percent: proef_open_percentage}")
    root = _tree(tmp_path, pack)
    national = root / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    open_term = (
        "\nparameters:\n"
        "  proef_open_percentage:\n"
        "    unit: percent\n"
        "    date_basis: decision\n"
        "    source: boetebesluit_2\n"
        '    delegated: {at_most: 100, why: {nl: "Gemeente", en: "Municipality"}}\n'
        '    description: {nl: "Open", en: "Open"}\n'
        "    values: []\n"
    )
    national.write_text(national.read_text(encoding="utf-8").replace("\nparameters:\n", open_term, 1), encoding="utf-8")
    nl, _ = _said(root, _case(monthly_norm="1401.50", monthly_income_above_norm="200.00"))
    assert nl.startswith("Per maand: nog niet bekend")


# --- load errors, each at its place -----------------------------------------------------------------


def test_an_unknown_input_is_refused_at_the_input_with_a_suggestion(tmp_path: Path) -> None:
    """An input the benefits case does not have is POLICY_UNKNOWN_FIELD at the input, naming the closest."""
    pack = PROEFSTAD.replace("finances.monthly_income_above_norm,", "finances.monthly_income_above_nrom,")
    problem = _one(_problems(_tree(tmp_path, pack)), "POLICY_UNKNOWN_FIELD")
    assert problem.where.endswith("2024-01-01.yaml:" + _at(pack, "finances.monthly_income_above_nrom"))
    assert "(did you mean 'finances.monthly_income_above_norm'?)" in problem.message


def test_an_unknown_parameter_is_refused_at_the_term_with_a_suggestion(tmp_path: Path) -> None:
    pack = PROEFSTAD.replace("percent: proef_percentage_norm}", "percent: proef_percentage_nrom}")
    problem = _one(_problems(_tree(tmp_path, pack)), "POLICY_UNKNOWN_PARAMETER")
    assert problem.where.endswith("2024-01-01.yaml:" + _at(pack, "proef_percentage_nrom"))
    assert "(did you mean 'proef_percentage_norm'?)" in problem.message


def test_a_share_of_an_input_needs_a_parameter_in_percent(tmp_path: Path) -> None:
    """A term's percent in years (or in euros) is POLICY_TYPE_MISMATCH at the term."""
    pack = PROEFSTAD.replace("percent: proef_percentage_norm}", "percent: proef_jaren}")
    problem = _one(_problems(_tree(tmp_path, pack)), "POLICY_TYPE_MISMATCH")
    assert problem.where.endswith("2024-01-01.yaml:" + _at(pack, "proef_jaren}"))
    assert "percent: proef_jaren is in years; a share of an input is a parameter in percent" == problem.message


def test_an_amount_alone_needs_a_parameter_in_euros(tmp_path: Path) -> None:
    pack = PROEFSTAD.replace(
        "      - {input: finances.monthly_income_above_norm, percent: proef_percentage_boven_norm}\n",
        "      - {param: proef_percentage_boven_norm}\n",
    )
    problem = _one(_problems(_tree(tmp_path, pack)), "POLICY_TYPE_MISMATCH")
    assert "param: proef_percentage_boven_norm is in percent; an amount alone is in eur" == problem.message


def test_a_negative_percentage_is_refused_an_amount_is_never_negative(tmp_path: Path) -> None:
    pack = PROEFSTAD.replace("value: 35}", "value: -35}")
    problem = _one(_problems(_tree(tmp_path, pack)), "POLICY_INVALID_VALUE")
    assert "proef_percentage_boven_norm is below 0 from 2024-01-01; an amount is never negative" == problem.message


def test_an_empty_sum_is_refused(tmp_path: Path) -> None:
    pack = re.sub(r"    sum:\n(      - .*\n)+", "    sum: []\n", PROEFSTAD)
    problem = _one(_problems(_tree(tmp_path, pack)), "POLICY_INVALID_VALUE")
    assert problem.where.endswith("2024-01-01.yaml:" + _at(pack, "[]"))
    assert "sum" in problem.message


def test_a_term_is_one_form_or_the_other(tmp_path: Path) -> None:
    """``{input, percent}`` or ``{param}``: a term with both, or an input without its percent, is refused."""
    both = PROEFSTAD.replace(
        "percent: proef_percentage_norm}", "percent: proef_percentage_norm, param: proef_vast_bedrag}"
    )
    half = PROEFSTAD.replace(", percent: proef_percentage_norm}", "}")
    for pack in (both, half):
        problem = _one(_problems(_tree(tmp_path / str(len(pack)), pack)), "POLICY_INVALID_VALUE")
        assert "a term" in problem.message


def test_a_municipal_amount_cannot_take_the_name_of_a_national_one(tmp_path: Path) -> None:
    """An amount name the national pack already has is POLICY_DUPLICATE_ID at the municipal amount."""
    national = (
        "amounts:\n"
        "  proef_aflossing:\n"
        '    description: {nl: "Nationaal", en: "National"}\n'
        '    unknown: {nl: "onbekend", en: "unknown"}\n'
        "    sum: [{input: finances.monthly_norm, percent: draagkracht_percentage_norm}]\n"
    )
    problem = _one(_problems(_tree(tmp_path, national_extra=national)), "POLICY_DUPLICATE_ID")
    # A named item is located where its content starts.
    assert problem.where.endswith(
        "proefstad-benefits/2024-01-01.yaml:" + _at(PROEFSTAD, 'description: {nl: "Aflossing')
    )
    assert "amount 'proef_aflossing' is already an amount of nl-benefits" in problem.message


def test_a_text_that_names_an_unknown_amount_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    pack = PROEFSTAD.replace("Per maand: {amount:proef_aflossing}.", "Per maand: {amount:proef_aflosing}.")
    problem = _one(_problems(_tree(tmp_path, pack)), "POLICY_BAD_TEMPLATE")
    assert problem.where.endswith("2024-01-01.yaml:" + _at(pack, '"Per maand: {amount:proef_aflosing}.'))
    assert "{amount:proef_aflosing}: unknown amount (did you mean 'proef_aflossing'?)" == problem.message


def test_a_text_said_without_a_case_cannot_name_an_amount(tmp_path: Path) -> None:
    """A rule's reason is said alike for every case: ``{amount:..}`` in it is POLICY_BAD_TEMPLATE."""
    pack = PROEFSTAD.replace(
        "verdict:\n",
        "rules:\n"
        "  - id: proef_regel\n"
        "    stage: decision\n"
        "    when: {fact: terugvordering_required, eq: true}\n"
        "    then: {factors: [{decision: afzien_terugvordering, direction: tegen}]}\n"
        "    basis: [proef_art9]\n"
        "    principles: [W1]\n"
        '    reason: {nl: "Aflossing {amount:proef_aflossing}.", en: "Repayment {amount:proef_aflossing}."}\n'
        "verdict:\n",
    )
    problems = [p for p in _problems(_tree(tmp_path, pack)) if p.code == "POLICY_BAD_TEMPLATE"]
    assert 2 == len(problems)
    assert all("the reason of rule proef_regel is said alike for every case" in p.message for p in problems)


def test_the_unknown_text_names_only_parameters_and_citations(tmp_path: Path) -> None:
    pack = PROEFSTAD.replace('unknown: {nl: "nog niet bekend', 'unknown: {nl: "nog niet bekend {value:amount}')
    problem = _one(_problems(_tree(tmp_path, pack)), "POLICY_BAD_TEMPLATE")
    assert "{value:amount}: the text for an unknown amount names only {param:..} and {cite:..}" == problem.message


def test_an_unknown_key_in_an_amount_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    pack = PROEFSTAD.replace("    unknown: {nl:", "    unkown: {nl:")
    problems = _problems(_tree(tmp_path, pack))
    unknown_field = _one(problems, "POLICY_UNKNOWN_FIELD")
    assert "unknown" in unknown_field.message


# --- deltas ----------------------------------------------------------------------------------------

DELTA = """schema_version: 1
extends: 2024-01-01
pack:
  id: proefstad-benefits
  domain: benefits
  layer: municipal
  base: nl-benefits
  municipality: proefstad
  valid_from: 2025-01-01
  title: {nl: Proefstad, en: Proefstad}
  publisher: tests
"""


def _with_delta(root: Path, body: str) -> Path:
    (root / "benefits" / "proefstad-benefits" / "2025-01-01.yaml").write_text(DELTA + body, encoding="utf-8")
    return root


def test_a_later_version_changes_an_amount_as_a_delta(tmp_path: Path) -> None:
    """From 2025 Proefstad asks 5% of the norm plus a fixed €10,00: cases decided then get € 80,08;
    the version of 2024 keeps its own amount for the cases it decides."""
    root = _with_delta(
        _tree(tmp_path),
        "change:\n"
        "  amounts:\n"
        "    proef_aflossing:\n"
        "      sum: [{input: applicable_monthly_norm, percent: proef_percentage_norm}, {param: proef_vast_bedrag}]\n",
    )
    case = _case(monthly_norm="1401.50", monthly_income_above_norm="200.00")
    assert "Per maand: € 80,08." == _said(root, case)[0]
    earlier = {**case, "decision_date": "2024-06-03"}
    earlier["violation"] = {
        **case["violation"],
        "period": {"start": "2024-02-01", "end": "2024-03-31"},
        "information_due": "2024-02-08",
        "detected_on": "2024-04-15",
    }
    assert "Per maand: € 140,08." == _said(root, earlier)[0]


def test_a_delta_adds_an_amount_and_a_decision_that_says_it(tmp_path: Path) -> None:
    root = _with_delta(
        _tree(tmp_path),
        "add:\n"
        "  amounts:\n"
        "    proef_vast:\n"
        '      description: {nl: "Vast", en: "Fixed"}\n'
        '      unknown: {nl: "onbekend", en: "unknown"}\n'
        "      sum: [{param: proef_vast_bedrag}]\n"
        "  verdict:\n"
        "    decisions:\n"
        "      - id: proef_vast_vraag\n"
        '        question: {nl: "Vast bedrag?", en: "Fixed amount?"}\n'
        "        options: [ja, nee]\n"
        '        consequences: {nl: "Vast: {amount:proef_vast}.", en: "Fixed: {amount:proef_vast}."}\n',
    )
    assert "Vast: € 10,00." == _said(root, _case(), "proef_vast_vraag")[0]


def test_a_delta_that_changes_an_amount_its_version_lacks_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    body = "change:\n  amounts:\n    proef_aflosing:\n      sum: [{param: proef_vast_bedrag}]\n"
    root = _with_delta(_tree(tmp_path), body)
    problem = _one(_problems(root), "POLICY_UNKNOWN_FIELD")
    assert problem.where.endswith("2025-01-01.yaml:" + _at(DELTA + body, "sum: [{param"))
    assert "cannot change amount 'proef_aflosing'" in problem.message
    assert "(did you mean 'proef_aflossing'?)" in problem.message


def test_a_delta_that_removes_an_amount_a_text_still_says_is_refused(tmp_path: Path) -> None:
    """The inherited decision still says {amount:proef_aflossing}: removing the amount breaks that text."""
    root = _with_delta(_tree(tmp_path), "remove:\n  amounts: [proef_aflossing]\n")
    problems = [p for p in _problems(root) if p.code == "POLICY_BAD_TEMPLATE"]
    # Located at the text, in the version that writes it (the delta inherits the decision).
    expected = [
        "proefstad-benefits/2024-01-01.yaml:" + _at(PROEFSTAD, text)
        for text in ('"Per maand: {amount', '"Per month: {amount')
    ]
    assert expected == [p.where[-len(expected[0]) :] for p in problems]
    assert all(p.message.startswith("{amount:proef_aflossing}: unknown amount") for p in problems)


# --- the rest of the advice, the form and the other packs ---------------------------------------------


def test_every_input_the_benefits_domain_declares_is_given_by_its_builder() -> None:
    """The inputs a pack may name are exactly the ones the benefits advice computes from the case, and
    each reads fields of the case model."""
    from maatwerk._intake.fields import catalogue_paths
    from maatwerk.models.case import BenefitCase

    case = BenefitCase.model_validate(valid_case())
    assert set(AMOUNT_INPUTS["benefits"]) == set(amount_inputs(case, Decimal("2480.00")))
    fields = catalogue_paths("benefits")
    for _, paths in SPECS["benefits"].amount_inputs.values():
        assert set(paths) <= set(fields)


def test_the_form_asks_for_the_income_above_the_norm_only_where_an_amount_reads_it() -> None:
    """Rotterdam's pack computes art. 9 lid 7 from the income above the norm: its form asks for it;
    Lansingerland's pack reads it nowhere, so its form does not."""
    wanted = "finances.monthly_income_above_norm"

    def paths(municipality: str) -> set[str]:
        engine = Engine(POLICIES, municipality=municipality)
        doc = case_fields(engine.policies, "benefits", municipality)
        return {f["path"] for g in doc["groups"] for f in g["fields"]}

    assert wanted in paths("rotterdam")
    assert wanted not in paths("lansingerland")


def test_the_income_above_the_norm_changes_no_other_packs_advice() -> None:
    """No rule and no amount of Lansingerland's packs reads the new field: the advice is the same apart
    from the receipt, whatever its value."""
    engine = Engine(POLICIES, municipality="lansingerland")
    without = advice_without(engine.advise(valid_case()), "receipt")
    for value in ("0.00", "250.00", None):
        assert without == advice_without(engine.advise(_case(monthly_income_above_norm=value)), "receipt")


# --- a property over generated cases ---------------------------------------------------------------


def _half_up_cents(amount: str | None, percent: int) -> int | None:
    """``percent`` of ``amount`` in whole cents, half up, in integer arithmetic (the oracle)."""
    if amount is None:
        return None
    cents = round(Decimal(amount) * 100)
    return (cents * percent + 50) // 100


ROTTERDAM = Engine(POLICIES, municipality="rotterdam", evaluator="reference")


@settings(max_examples=100)
@given(case=st.one_of(benefit_cases(), benefit_cases(fineable=True)))
def test_rotterdams_monthly_repayment_is_never_negative_and_is_its_terms_each_rounded_half_up(
    case: dict[str, Any],
) -> None:
    """Invariant (art. 9 lid 7): on every generated case where Rotterdam asks how the claim is repaid,
    the decision says either the pack's unknown text (when the applicable norm or the income above it is
    unknown) or exactly 5% of the applicable norm plus 35% of the income above it, each rounded to the
    cent half up: a sum of non-negative terms, so never negative."""
    advice = ROTTERDAM.advise(case)
    asked = [d for d in advice.decisions if d.id == "rotterdam_terugbetalen"]
    if not asked or asked[0].consequences is None:
        return
    words = asked[0].consequences.nl
    f = case.get("finances", {})
    norm = f.get("household_monthly_norm") if f.get("joint_household") else f.get("monthly_norm")
    terms = (_half_up_cents(norm, 5), _half_up_cents(f.get("monthly_income_above_norm"), 35))
    if None in terms:
        assert "per maand: nog niet bekend." in words
        return
    total = sum(t for t in terms if t is not None)
    assert 0 <= total
    euros, cents = divmod(total, 100)
    assert f"per maand: € {euros:,}".replace(",", ".") + f",{cents:02d}." in words
