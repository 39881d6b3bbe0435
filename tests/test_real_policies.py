# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The real municipal policies written as packs (Leeuwarden, Grave, Heerenveen, Rotterdam) keep every national
invariant on cases aimed at their own rules, dated inside their own windows: no fine above the
statutory maximum, no warning the law does not allow, monotonic in culpability and loss, and both
evaluators agree. The invariants check against the national figures, not the municipal pack's.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
from conftest import POLICIES, advice_content, valid_case
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk import Engine, PolicyError
from maatwerk._policy.loader import load_tree
from maatwerk.testing import from_policy, invariants

PACKS = {
    "leeuwarden": "leeuwarden-benefits",
    "grave": "grave-benefits",
    "heerenveen": "heerenveen-benefits",
    "rotterdam": "rotterdam-benefits",
}
Evaluator = Literal["durable", "reference", "compiled"]
ENGINES: dict[tuple[str, Evaluator], Engine] = {}


def _engine(municipality: str, evaluator: Evaluator) -> Engine:
    key = (municipality, evaluator)
    if key not in ENGINES:
        ENGINES[key] = Engine(POLICIES, municipality=municipality, evaluator=evaluator)
    return ENGINES[key]


@pytest.mark.parametrize("municipality", sorted(PACKS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_a_real_policy_keeps_the_national_invariants(municipality: str, data: st.DataObject) -> None:
    """Every benefit invariant holds on cases aimed at the municipality's pack (and the national rules under it)."""
    case: dict[str, Any] = data.draw(from_policy(PACKS[municipality], policies=POLICIES))
    invariants.check_all(_engine(municipality, "durable"), case)


@pytest.mark.parametrize("municipality", sorted(PACKS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_evaluator_agrees_on_a_real_policy(municipality: str, data: st.DataObject) -> None:
    """durable-rules, the reference and the compiled evaluator give byte-identical advice under each
    real policy."""
    case: dict[str, Any] = data.draw(from_policy(PACKS[municipality], policies=POLICIES))
    durable, reference = _engine(municipality, "durable"), _engine(municipality, "reference")
    assert advice_content(reference.advise(case)) == advice_content(durable.advise(case))
    invariants.evaluators_agree(_engine(municipality, "compiled"), case, durable)


def test_an_open_term_of_the_policy_is_not_held_against_the_facts() -> None:
    """Found by the property test above: Leeuwarden's read text sets no payment term at reduced
    culpability (an open term of the law). With the financial data the fine cannot be capped, so the
    advice asks for that term (a decision); without them it is a fine. That waits for the policy, not
    for the facts, so ``more_facts_never_less_decisive`` holds; for Lansingerland (6 months) the same
    case is decided."""
    case = valid_case()
    case["culpability"] = {"confirmed": "verminderd"}
    case["finances"] = {
        "bijstand_level_income": False,
        "financial_data_supplied": True,
        "monthly_payment_capacity": "50.00",
    }
    leeuwarden = _engine("leeuwarden", "reference")
    advice = leeuwarden.advise(case)
    assert "beslissing_nodig" == advice.measure.kind
    assert "draagkracht_maanden_verminderd" in [m.fact for m in advice.missing_facts]
    invariants.more_facts_never_less_decisive(leeuwarden, case)
    assert "boete" == Engine(POLICIES, municipality="lansingerland").advise(case).measure.kind


def test_the_national_ceiling_reads_a_zero_net_loss_as_no_loss() -> None:
    """Found by the property test above: a Participatiewet case with net €0.00 (no loss: the basis is
    net) and gross €0.01, after a fine without loss within 2 years, gets Leeuwarden's fine of €150 (art.
    3.1.3-3.1.4). The national ceiling allows it: category 2 for no loss, not 150% of the gross cent."""
    case = valid_case()
    case["benefit_loss"] = {"net": "0.00", "gross": "0.01"}
    case["history"] = [
        {
            "kind": "boete",
            "imposed_on": "2024-05-01",
            "final_on": "2024-06-15",
            "same_conduct": True,
            "without_loss": True,
        }
    ]
    leeuwarden = _engine("leeuwarden", "reference")
    advice = leeuwarden.advise(case)
    assert ("boete", "150.00") == (advice.measure.kind, str(advice.measure.amount))
    invariants.within_legal_bounds(leeuwarden, case)


def test_more_loss_after_a_loss_wholly_before_2013_is_not_a_milder_advice() -> None:
    """Found by the property test above (Grave, decided 2017): a loss of €0.01 wholly before 2013 leaves no
    part to fine, so the law's no-loss starting point applies (€150, maximum category 2 of 2010: €3,800)
    and the limitation term is 5 years (not lapsed); €100 more outside the part before 2013 has a maximum of €150 and a
    term of 3 years (lapsed: no fine). That is the law's own step at zero, not a milder advice for more
    loss."""
    case = valid_case()
    case["decision_date"] = "2017-01-01"
    case["violation"]["period"] = {"start": "2010-01-01", "end": "2011-04-02"}
    case["violation"].update(information_due="2010-01-01", detected_on="2010-01-01")
    case["benefit_loss"] = {"net": "0.01", "before_2013": "0.01"}
    case["procedure"]["limitation_suspended_days"] = 274
    grave = _engine("grave", "reference")
    more = {**case, "benefit_loss": {"net": "100.01", "before_2013": "0.01"}}
    assert ("boete", "geen_boete") == (grave.advise(case).measure.kind, grave.advise(more).measure.kind)
    invariants.monotonic_in_amount(grave, case)


# --- the fence holds for the real packs ------------------------------------------------------------

GRAVE = Path("benefits") / "grave-benefits" / "2017-01-01.yaml"
LEEUWARDEN = Path("benefits") / "leeuwarden-benefits" / "2015-01-01.yaml"
ROTTERDAM = Path("benefits") / "rotterdam-benefits" / "2021-07-07.yaml"


def _add_parameter(path: Path, name: str, unit: str, basis: str, source: str, value: str) -> str:
    """Write a parameter with one dated value first under the pack's ``parameters:``; the block written."""
    block = (
        f"parameters:\n  {name}:\n    unit: {unit}\n    date_basis: {basis}\n"
        f"    source: {source}\n    description: {{nl: x, en: x}}\n    values: [{value}]\n"
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("parameters:\n", block, 1), encoding="utf-8")
    return block


def _not_delegated(root: Path) -> list[tuple[str, str]]:
    """(file:line, message) of every POLICY_NOT_DELEGATED problem loading ``root`` gives."""
    with pytest.raises(PolicyError) as info:
        load_tree(root)
    return [(p.where.rsplit(":", 1)[0], p.message) for p in info.value.problems if p.code == "POLICY_NOT_DELEGATED"]


def test_a_longer_payment_term_than_the_law_is_refused_for_grave(policy_copy: Path) -> None:
    """Had Grave's art. 2 lid 2 onder a said 36 months for opzet, the pack would exceed the CRvB's 24
    (a higher fine): refused at the value, naming the national value and its source."""
    path = policy_copy / GRAVE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("[{from: 2017-01-01, value: 24}]", "[{from: 2017-01-01, value: 36}]"), encoding="utf-8"
    )
    line = 1 + text.splitlines().index("    values: [{from: 2017-01-01, value: 24}]")
    [(where, message)] = _not_delegated(policy_copy)
    assert f"{path}:{line}" == where
    assert "is above the national value from 2013-01-01 (24" in message
    assert "CRvB 11-01-2016 (opzet: draagkracht over 24 maanden)" in message


def test_a_payment_term_for_reduced_culpability_longer_than_for_normal_culpability_is_refused(
    policy_copy: Path,
) -> None:
    """No ruling sets a term for reduced culpability; the national pack bounds a municipality's choice by
    the 12 months the CRvB takes for normal culpability, and a longer one is refused citing that ruling
    (not the 24 months for intent)."""
    path = policy_copy / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("values: [{from: 2024-01-01, value: 6}]", "values: [{from: 2024-01-01, value: 13}]", 1),
        encoding="utf-8",
    )
    [(_, message)] = _not_delegated(policy_copy)
    assert (
        "CRvB 11-01-2016 (normale verwijtbaarheid: draagkracht over 12 maanden, 12 maal 10% van de toepasselijke bijstandsnorm)"
        in message
    )
    assert "opzet" not in message


def test_leeuwarden_cannot_restate_a_statutory_figure_as_its_own(policy_copy: Path) -> None:
    """Art. 3.1.3's €150 is the law's starting point (Boetebesluit art. 2 lid 11), not a municipal choice:
    a pack that writes it as its own parameter is refused, even at the same value."""
    path = policy_copy / LEEUWARDEN
    _add_parameter(
        path, "boete_geen_benadeling", "eur", "conduct", "leeuwarden_beleid", '{from: 2015-01-01, value: "150.00"}'
    )
    [(where, message)] = _not_delegated(policy_copy)
    assert str(path) in where
    assert "boete_geen_benadeling" in message


def test_leeuwarden_cannot_make_a_warning_lawful_beyond_the_law(policy_copy: Path) -> None:
    """A reading of art. 3.1.1 that also gave a warning for a loss of €500 would exceed Boetebesluit
    art. 2aa (€150): a municipal rule cannot set warning_lawful."""
    path = policy_copy / LEEUWARDEN
    text = path.read_text(encoding="utf-8")
    rule = (
        "  - id: leeuwarden_te_ruim\n    stage: warning\n"
        "    when: {fact: benefit_loss, lte: 500}\n    then: {set: {warning_lawful: true}}\n"
        "    basis: [leeuwarden_3_1_1]\n    principles: [P10]\n"
        "    reason: {nl: Een zin., en: A sentence.}\n"
    )
    path.write_text(text.replace("rules:\n", "rules:\n" + rule, 1), encoding="utf-8")
    [(where, message)] = _not_delegated(policy_copy)
    assert str(path) in where
    assert "warning_lawful" in message


def test_rotterdams_repayment_term_is_not_the_fines_payment_term(policy_copy: Path) -> None:
    """Art. 9 lid 6 (everything repaid within 2 years) is about paying a claim back, not about the fine's
    height. Read as the fine's payment term at normal culpability (24 months), it would exceed the
    CRvB's 12 months (a higher fine): refused at the value, naming the national value."""
    path = policy_copy / ROTTERDAM
    text = path.read_text(encoding="utf-8")
    block = _add_parameter(
        path, "draagkracht_maanden_normaal", "months", "decision", "rotterdam_art9", "{from: 2021-07-07, value: 24}"
    )
    [(where, message)] = _not_delegated(policy_copy)
    values_line = text.splitlines().index("parameters:") + block.count("\n")  # the block's last line, 1-based
    assert f"{path}:{values_line}" == where
    assert "is above the national value from 2013-01-01 (12" in message


# --- Rotterdam: what the policy asks beside the fine, and where it stops --------------------------


def _rotterdam_case(**changes: Any) -> dict[str, Any]:
    """valid_case() decided in 2022 (Rotterdam's version of 2021-07-07), without financial data."""
    case = valid_case()
    case["decision_date"] = "2022-03-01"
    case["violation"].update(
        period={"start": "2021-02-01", "end": "2021-07-31"}, information_due="2021-02-08", detected_on="2021-10-15"
    )
    case["finances"]["financial_data_supplied"] = False
    for key, value in changes.items():
        case[key] = value
    return case


def _decisions(case: dict[str, Any]) -> list[str]:
    return [d.id for d in _engine("rotterdam", "reference").advise(case).decisions]


@pytest.mark.parametrize(("net", "asked"), [("749.99", False), ("750.00", True)])
def test_rotterdam_asks_about_wage_tax_from_a_claim_of_750(net: str, asked: bool) -> None:
    """Art. 8 lid 1 onder c: the wage tax and contributions are recovered too when the original claim is
    €750 or more (the parameter rotterdam_loonbelasting_terugvordering_vanaf)."""
    case = _rotterdam_case(benefit_loss={"net": net})
    assert asked == ("rotterdam_loonbelasting_terugvorderen" in _decisions(case))


@pytest.mark.parametrize(("day", "asked"), [("2021-12-31", True), ("2022-01-01", False)])
def test_rotterdams_transitional_repayment_rule_ends_on_31_december_2021(day: str, asked: bool) -> None:
    """Art. 11 lid 2: a repayment room of 0% up to and including 2021-12-31, read through the benefits
    fact decision_date against the date parameter rotterdam_aflossingsruimte_overgang_tot."""
    case = _rotterdam_case(decision_date=day)
    assert asked == ("rotterdam_aflossingsruimte_overgang" in _decisions(case))


@pytest.mark.parametrize(
    ("level", "asked"), [("opzet", False), ("grove_schuld", False), ("normaal", True), ("verminderd", True)]
)
def test_rotterdam_offers_later_remission_of_a_fine_only_without_intent_or_gross_negligence(
    level: str, asked: bool
) -> None:
    """Art. 6 onder e and art. 7 lid 1 onder b: no remission of a fine for intent or gross negligence."""
    advice = _engine("rotterdam", "reference").advise(_rotterdam_case(culpability={"confirmed": level}))
    assert "boete" == advice.measure.kind
    assert asked == ("rotterdam_boete_kwijtschelden" in [d.id for d in advice.decisions])


@pytest.mark.parametrize(("level", "asked"), [("geen", True), ("normaal", False)])
def test_rotterdam_waives_recovery_in_a_debt_arrangement_only_where_no_fine_is_imposed(level: str, asked: bool) -> None:
    """Art. 10 lid 1: in a debt arrangement, further recovery can be waived on request unless a fine was
    imposed for the breach of the duty to inform."""
    case = _rotterdam_case(culpability={"confirmed": level})
    case["circumstances"] = {"debts": True, "debt_arrangement": True}
    assert asked == ("rotterdam_schuldregeling_afzien" in _decisions(case))


def test_rotterdams_policy_changes_no_fine() -> None:
    """The policy is about recovery and collection: on the same case Rotterdam's fine is the national one."""
    for level in ("opzet", "grove_schuld", "normaal", "verminderd"):
        case = _rotterdam_case(culpability={"confirmed": level})
        national = Engine(POLICIES, municipality=None, evaluator="reference").advise(case)
        rotterdam = _engine("rotterdam", "reference").advise(case)
        assert (national.measure.kind, national.measure.amount) == (rotterdam.measure.kind, rotterdam.measure.amount)


@pytest.mark.parametrize(
    ("existing", "level", "against"),
    [
        (True, "normaal", True),
        (True, "verminderd", True),
        (False, "normaal", False),
        (None, "normaal", False),
        (True, "geen", False),
    ],
)
def test_rotterdam_weighs_against_waiving_a_culpable_claim_beside_an_open_one(
    existing: bool | None, level: str, against: bool
) -> None:
    """Art. 6 onder b: no waiving of recovery where a new culpable claim arises beside an existing one. With
    an open claim at the municipality and a culpable new one, the decision on waiving recovery gets a factor
    against it from Rotterdam's rule; not without an open claim (or when that is unknown), and not when the
    new claim is not culpable."""
    case = _rotterdam_case(culpability={"confirmed": level})
    case["circumstances"] = {"existing_claim": existing}
    advice = _engine("rotterdam", "reference").advise(case)
    [waive] = [d for d in advice.decisions if d.id == "afzien_terugvordering"]
    factors = {(f.rule_id, f.direction) for f in waive.factors}
    assert against == (("rotterdam_geen_afzien_naast_bestaande_vordering", "tegen") in factors)
    assert against == ("rotterdam_geen_afzien_naast_bestaande_vordering" in [s.rule_id for s in advice.steps])
