# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""National law as a fence around municipal policy: a municipal pack sets only what the national pack
delegates, within its bounds on every day, and never sets aside a national rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import valid_case

from maatwerk import Engine, PolicyError
from maatwerk._policy.loader import load_tree

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

LANSINGERLAND = Path("benefits") / "lansingerland-benefits" / "2024-01-01.yaml"


def _with_parameter(policy_copy: Path, block: str) -> Path:
    """Lansingerland's benefit pack with ``block`` added under ``parameters:``."""
    path = policy_copy / LANSINGERLAND
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("parameters:\n", "parameters:\n" + block, 1), encoding="utf-8")
    return policy_copy


def _with_rule(policy_copy: Path, rule: str) -> Path:
    path = policy_copy / LANSINGERLAND
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("rules:\n", "rules:\n" + rule, 1), encoding="utf-8")
    return policy_copy


def _refusals(root: Path) -> list[tuple[str, str, str]]:
    """(file name, line, message) of every POLICY_NOT_DELEGATED problem loading ``root`` gives."""
    with pytest.raises(PolicyError) as info:
        load_tree(root)
    return [
        (Path(p.where.rsplit(":", 2)[0]).name, p.where.rsplit(":", 2)[1], p.message)
        for p in info.value.problems
        if p.code == "POLICY_NOT_DELEGATED"
    ]


def test_a_warning_limit_above_the_law_is_refused_with_the_national_bound(policy_copy: Path) -> None:
    """Raising the warning limit to €500 exceeds Boetebesluit art. 2aa (€150): refused at the value's
    line, naming the national value and its source."""
    root = _with_parameter(
        policy_copy,
        "  waarschuwing_max_benadeling:\n"
        "    unit: eur\n    date_basis: conduct\n    source: lansingerland_beleid\n"
        '    description: {nl: "Grens", en: "Limit"}\n'
        '    values: [{from: 2024-01-01, value: "500.00"}]\n',
    )
    [(file, _, message)] = _refusals(root)
    assert "2024-01-01.yaml" == file
    assert (
        "is above the national value from 2013-01-01 (150.00; Boetebesluit socialezekerheidswetten art. 2aa)" in message
    )


def test_a_lower_warning_limit_loads_and_applies(policy_copy: Path) -> None:
    """A warning limit of €100 is at most the national €150: it loads, and a €120 loss gets a fine."""
    root = _with_parameter(
        policy_copy,
        "  waarschuwing_max_benadeling:\n"
        "    unit: eur\n    date_basis: conduct\n    source: lansingerland_beleid\n"
        '    description: {nl: "Grens", en: "Limit"}\n'
        '    values: [{from: 2024-01-01, value: "100.00"}]\n',
    )
    case = valid_case()
    case["benefit_loss"] = {"net": "120.00", "gross": "150.00"}
    assert "boete" == Engine(root).advise(case).measure.kind


def test_a_statutory_figure_cannot_be_set_by_a_municipality(policy_copy: Path) -> None:
    """The fine categories are national law (Sr art. 23): a municipal value is refused, however low."""
    root = _with_parameter(
        policy_copy,
        "  geldboete_categorie_3:\n"
        "    unit: eur\n    date_basis: conduct_start\n    source: lansingerland_beleid\n"
        '    description: {nl: "Categorie 3", en: "Category 3"}\n'
        '    values: [{from: 2024-01-01, value: "5000.00"}]\n',
    )
    [(_, _, message)] = _refusals(root)
    assert message.startswith("geldboete_categorie_3 is fixed by national law (Wetboek van Strafrecht art. 23 lid 4")


def test_the_net_basis_of_the_participatiewet_cannot_be_switched(policy_copy: Path) -> None:
    """ECLI:NL:CRVB:2017:2436: the Participatiewet fine starts from the net amount; gross is refused."""
    root = _with_parameter(
        policy_copy,
        "  benadeling_grondslag_participatiewet:\n"
        "    unit: text\n    date_basis: decision\n    source: lansingerland_beleid\n"
        '    description: {nl: "Grondslag", en: "Basis"}\n'
        "    values: [{from: 2024-01-01, value: bruto}]\n",
    )
    [(_, _, message)] = _refusals(root)
    assert "is fixed by national law (CRvB 13-06-2017" in message


def test_a_bound_holds_on_every_day_the_value_applies(policy_copy: Path) -> None:
    """8% of the norm is below the 10% of 2013 but above the 5% in force since 2020-08-04: refused."""
    root = _with_parameter(
        policy_copy,
        "  draagkracht_percentage_norm:\n"
        "    unit: percent\n    date_basis: decision\n    source: lansingerland_beleid\n"
        '    description: {nl: "Percentage", en: "Percentage"}\n'
        "    values: [{from: 2024-01-01, value: 8}]\n",
    )
    [(_, _, message)] = _refusals(root)
    assert "is above the national value from 2020-08-04 (5;" in message


@pytest.mark.parametrize(
    ("name", "unit", "value", "says"),
    [
        # A share of the norm of 0% or a policy cap of €0 would drop every fine; the law prescribes one.
        ("draagkracht_percentage_norm", "percent", "0", "is below the bound (0.01;"),
        ("gemeentelijk_maximum_boete", "eur", '"0.00"', "is below the bound (0.01;"),
        # A payment term of 0 months (or fewer) left no fine, and every case with financial data
        # failed with an engine error (found by the fourth rehearsal).
        ("draagkracht_maanden_opzet", "months", "0", "is below the bound (1;"),
        ("draagkracht_maanden_grove_schuld", "months", "0", "is below the bound (1;"),
        ("draagkracht_maanden_normaal", "months", "-3", "is below the bound (1;"),
        # A reduction for undue delay of more than 100% is no reduction (every such case failed).
        ("termijnoverschrijding_korting_halfjaar", "percent", "150", "is above the bound (100;"),
        ("termijnoverschrijding_korting_jaar", "percent", "101", "is above the bound (100;"),
        # Asking for the gross amount later than national law's €25.000 net can miss a referral.
        (
            "aangifte_bruto_controle_vanaf",
            "eur",
            '"1000000.00"',
            "is above the national value from 2013-01-01 (25000.00;",
        ),
    ],
)
def test_a_delegated_parameter_cannot_drop_every_fine_or_hide_a_referral(
    policy_copy: Path, name: str, unit: str, value: str, says: str
) -> None:
    """Found by the third policy advisor's rehearsal: these values loaded, and then every fine became
    a decision for a person, every case with undue delay failed, or a €45.000 loss stopped being
    checked for a referral. Each is refused at its line with the national bound."""
    root = _with_parameter(
        policy_copy,
        f"  {name}:\n"
        f"    unit: {unit}\n    date_basis: decision\n    source: lansingerland_beleid\n"
        '    description: {nl: "Keuze", en: "Choice"}\n'
        f"    values: [{{from: 2024-01-01, value: {value}}}]\n",
    )
    [(file, _, message)] = _refusals(root)
    assert ("2024-01-01.yaml", True) == (file, says in message), message


def test_a_payment_term_for_reduced_culpability_of_zero_months_is_refused(policy_copy: Path) -> None:
    """The open term Lansingerland fills with 6 months: 0 months loaded, and then every case of reduced
    culpability with financial data failed with an engine error. It is refused at its line."""
    pack = policy_copy / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    text = pack.read_text(encoding="utf-8")
    assert "values: [{from: 2024-01-01, value: 6}]" in text
    pack.write_text(text.replace("values: [{from: 2024-01-01, value: 6}]", "values: [{from: 2024-01-01, value: 0}]"))
    [(file, _, message)] = _refusals(policy_copy)
    assert ("2024-01-01.yaml", True) == (
        file,
        "draagkracht_maanden_verminderd = 0 from 2024-01-01 is below the bound (1;" in message,
    )


def test_a_smaller_share_of_the_norm_and_a_positive_cap_still_load(policy_copy: Path) -> None:
    """The bounds refuse only what would drop every fine: 2% of the norm and a cap of €500 load, and the
    fine follows them (12 × 2% × €1.401,50 = €336,36, under the cap)."""
    root = _with_parameter(
        policy_copy,
        "  draagkracht_percentage_norm:\n"
        "    unit: percent\n    date_basis: decision\n    source: lansingerland_beleid\n"
        '    description: {nl: "Keuze", en: "Choice"}\n'
        "    values: [{from: 2024-01-01, value: 2}]\n"
        "  gemeentelijk_maximum_boete:\n"
        "    unit: eur\n    date_basis: decision\n    source: lansingerland_beleid\n"
        '    description: {nl: "Keuze", en: "Choice"}\n'
        '    values: [{from: 2024-01-01, value: "500.00"}]\n',
    )
    assert "336.36" == str(Engine(root).advise(valid_case()).measure.amount)


def test_an_open_term_beyond_its_bound_is_refused(policy_copy: Path) -> None:
    """The payment term for reduced culpability is the municipality's choice, up to 12 months: 18 is refused."""
    path = policy_copy / LANSINGERLAND
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("values: [{from: 2024-01-01, value: 6}]", "values: [{from: 2024-01-01, value: 18}]"))
    [(_, _, message)] = _refusals(policy_copy)
    assert "draagkracht_maanden_verminderd = 18 from 2024-01-01 is above the bound (12;" in message


def test_a_municipal_rule_cannot_make_a_warning_lawful(policy_copy: Path) -> None:
    """Whether a warning is lawful is national law (Pw 18a lid 4, Boetebesluit 2aa): a municipal rule
    that sets it is refused; preferring a lawful warning is the municipality's to decide."""
    root = _with_rule(
        policy_copy,
        "  - id: ruimer_waarschuwen\n    stage: warning\n    then: {set: {warning_lawful: true}}\n"
        "    basis: [lansingerland_beleid]\n    principles: [P3]\n"
        '    reason: {nl: "Altijd een waarschuwing.", en: "Always a warning."}\n',
    )
    [(_, _, message)] = _refusals(root)
    assert message.startswith("warning_lawful is decided by national law (nl-benefits); a municipal rule may set only")


def test_a_municipal_rule_cannot_set_aside_a_national_rule(policy_copy: Path) -> None:
    """A municipal exception to the national limitation gate would fine what the law no longer allows: refused."""
    root = _with_rule(
        policy_copy,
        "  - id: geen_verval\n    stage: gate\n    exception_to: [gate_verval]\n"
        "    basis: [lansingerland_beleid]\n    principles: [P1]\n"
        '    reason: {nl: "Geen verval.", en: "No limitation."}\n',
    )
    [(_, _, message)] = _refusals(root)
    assert "geen_verval would set aside rule gate_verval of the national pack nl-benefits" in message


def test_a_municipal_cap_stands_beside_the_statutory_maximum(policy_copy: Path) -> None:
    """A municipal maximum of €500 caps the fine (€1.240 → €500, a step citing the municipal policy),
    while the band keeps the statutory maximum of €2.480 and shows the cap beside it, labelled."""
    root = _with_parameter(
        policy_copy,
        "  gemeentelijk_maximum_boete:\n"
        "    unit: eur\n    date_basis: decision\n    source: lansingerland_beleid\n"
        '    description: {nl: "Maximum", en: "Maximum"}\n'
        '    values: [{from: 2024-01-01, value: "500.00"}]\n',
    )
    case = valid_case()
    case["finances"]["financial_data_supplied"] = False
    advice = Engine(root).advise(case)
    band = advice.measure.band
    step = next(s for s in advice.calculation if s.id == "gemeentelijk_maximum")
    assert ("500.00", "2480.00", "500.00") == (
        str(advice.measure.amount),
        str(band.highest_amount),
        str(band.policy_cap_amount),
    )
    assert band.policy_cap is not None
    assert band.policy_cap.nl.startswith("Maximum volgens het beleid van de gemeente (Handhavingsbeleid")
    assert ["Handhavingsbeleid"] == [p.basis.citation.split()[0] for p in step.parameters]


def test_without_a_municipal_cap_the_band_has_none(engine: Engine) -> None:
    """The national pack leaves the cap open: without a municipal value no cap is shown or applied."""
    band = engine.advise(valid_case()).measure.band
    assert (None, None) == (band.policy_cap, band.policy_cap_amount)
