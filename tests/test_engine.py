# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The engine end to end: worked examples, the evaluators, errors, dates and threads."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
import threading
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, POLICIES, ROOT, advice_content, advice_json, advice_without, valid_case

from maatwerk import CaseError, Engine, EngineError, MaatwerkError, PolicyError, PolicySelectionError

# --- worked examples -----------------------------------------------------------------------------


def test_example_normal_culpability_is_capped_at_ability_to_pay(engine: Engine, example_cases: dict[str, Any]) -> None:
    """€2.480 net, normal culpability: 50% = €1.240, above the 12-month ability cap of 12 × 5% × €1.401,50
    = €840,90 (a beslagvrije voet of 95% since CRvB 4-8-2020), not rounded (the Boetebesluit has not
    rounded since 2017); the statutory maximum is €2.480."""
    measure = engine.advise(example_cases["01-inkomsten-normaal.json"]).measure
    assert ("boete", Decimal("840.90"), Decimal("2480.00")) == (
        measure.kind,
        measure.amount,
        measure.band.highest_amount,
    )


def test_example_timely_self_report_gives_a_warning(engine: Engine, example_cases: dict[str, Any]) -> None:
    """A self-report before detection within 60 days: Lansingerland prefers the lawful warning."""
    assert "waarschuwing" == engine.advise(example_cases["02-zelfmelding-waarschuwing.json"]).measure.kind


def test_example_above_the_prosecutor_threshold_is_referred(engine: Engine, example_cases: dict[str, Any]) -> None:
    """A gross loss of €50.000 or more is referred to the prosecutor; the fine waits."""
    advice = engine.advise(example_cases["03-samenwoning-aangifte.json"])
    assert ("aangifte", "aangehouden") == (
        advice.measure.kind,
        {t.id: t.status for t in advice.tracks}["boete_of_waarschuwing"],
    )


def test_example_without_confirmed_culpability_asks_for_a_decision(
    engine: Engine, example_cases: dict[str, Any]
) -> None:
    """Without a confirmed culpability level the engine asks a person to decide, never infers it."""
    advice = engine.advise(example_cases["04-ioaw-schuld-onbekend.json"])
    assert ("beslissing_nodig", "verwijtbaarheid_vaststellen") == (advice.measure.kind, advice.decisions[0].id)


def test_example_fires_the_expected_rules(engine: Engine, example_cases: dict[str, Any]) -> None:
    """The trace lists the fired rules in evaluation order."""
    assert (
        "herziening_pw",
        "terugvordering_pw",
        "geen_maatregel",
        "draagkracht_bijstandsniveau",
        "dringende_redenen_afwegen",
        "factor_kinderen",
        "terugvordering_factor_kinderen",
        "rapport_en_zienswijze",
        "oorzaak_onduidelijk",
    ) == engine.trace(example_cases["01-inkomsten-normaal.json"])


@pytest.mark.parametrize(
    "name",
    [
        "01-inkomsten-normaal.json",
        "02-zelfmelding-waarschuwing.json",
        "03-samenwoning-aangifte.json",
        "04-ioaw-schuld-onbekend.json",
    ],
)
def test_examples_give_identical_advice_in_both_evaluators(
    engine: Engine, reference_engine: Engine, example_cases: dict[str, Any], name: str
) -> None:
    """The durable-rules evaluator and the reference evaluator agree byte for byte on each example."""
    assert advice_content(reference_engine.advise(example_cases[name])) == advice_content(
        engine.advise(example_cases[name])
    )


def test_tracks_are_listed_separately_in_legal_order(engine: Engine) -> None:
    """Revision, recovery, fine or warning, prosecution and maatregel are five separate tracks."""
    advice = engine.advise(valid_case())
    assert ["herziening", "terugvordering", "boete_of_waarschuwing", "aangifte", "maatregel"] == [
        t.id for t in advice.tracks
    ]


def test_recovery_is_the_loss_minus_what_was_already_recovered(engine: Engine) -> None:
    """The recovery track shows the remaining amount, separate from the fine."""
    case = valid_case()
    case["benefit_loss"]["already_recovered"] = "480.00"
    tracks = {t.id: t for t in engine.advise(case).tracks}
    assert ("verplicht", Decimal("2000.00")) == (tracks["terugvordering"].status, tracks["terugvordering"].amount)


def test_ability_to_pay_caps_the_fine(engine: Engine) -> None:
    """Opzet on €10.000 with norm €1.401,50: 24 × 5% = 24 × €70,075 = €1.681,80."""
    case = valid_case()
    case["benefit_loss"] = {"net": "10000.00"}
    case["culpability"] = {"confirmed": "opzet"}
    assert Decimal("1681.80") == engine.advise(case).measure.amount


def test_joint_household_uses_the_household_norm(engine: Engine) -> None:
    """With a gezamenlijke huishouding the household norm counts: 24 × 5% × €2.002,13 = €2.402,55."""
    case = valid_case()
    case["benefit_loss"] = {"net": "10000.00"}
    case["culpability"] = {"confirmed": "opzet"}
    case["finances"].update(joint_household=True, household_monthly_norm="2002.13")
    assert Decimal("2402.55") == engine.advise(case).measure.amount


def test_no_financial_data_means_no_ability_reduction(engine: Engine) -> None:
    """Without financial data, no ability-to-pay reduction (CRvB 2016:11): opzet on €10.000 is €10.000."""
    case = valid_case()
    case["benefit_loss"] = {"net": "10000.00"}
    case["culpability"] = {"confirmed": "opzet"}
    case["finances"] = {"financial_data_supplied": False}
    assert Decimal("10000.00") == engine.advise(case).measure.amount


def test_missing_norm_asks_for_it(engine: Engine) -> None:
    """Financial data supplied on a bijstand income but no norm: the fine needs that fact first."""
    case = valid_case()
    del case["finances"]["monthly_norm"]
    advice = engine.advise(case)
    assert ("beslissing_nodig", True) == (
        advice.measure.kind,
        "finances.monthly_norm" in {m.field for m in advice.missing_facts},
    )


def test_no_culpability_at_all_excludes_the_fine(engine: Engine) -> None:
    """Afwezigheid van alle schuld: no fine (Awb 5:41)."""
    case = valid_case()
    case["culpability"] = {"confirmed": "geen"}
    assert ("geen_boete", None) == (engine.advise(case).measure.kind, engine.advise(case).measure.amount)


def test_recovery_remains_when_the_fine_is_excluded(engine: Engine) -> None:
    """A gate that excludes the fine never stops recovery: recovery is repair, not punishment."""
    case = valid_case()
    case["procedure"]["deceased"] = True
    tracks = {t.id: t.status for t in engine.advise(case).tracks}
    assert ("uitgesloten", "verplicht") == (tracks["boete_of_waarschuwing"], tracks["terugvordering"])


def test_limitation_lapses_five_years_after_the_violation_ended(engine: Engine) -> None:
    """A violation that ended more than five years before the decision can no longer be fined."""
    case = valid_case()
    case["violation"].update(
        period={"start": "2019-01-01", "end": "2021-03-01"},
        information_due="2019-01-08",
        detected_on="2025-10-15",
    )
    assert "gate_verval" in engine.trace(case)


def test_urgent_reasons_found_by_a_person_refrain_from_the_fine(engine: Engine) -> None:
    """Dringende redenen, as weighed by a caseworker, mean no fine (Pw 18a lid 7)."""
    case = valid_case()
    case["procedure"]["urgent_reasons"] = "aanwezig"
    assert "geen_boete" == engine.advise(case).measure.kind


def test_every_step_cites_a_legal_basis_and_a_principle(engine: Engine) -> None:
    """Each reasoning step names at least one source and at least one principle."""
    steps = engine.advise(valid_case()).steps
    assert [] == [s.rule_id for s in steps if not s.basis or not s.principles]


def test_unknown_facts_are_listed_as_missing(engine: Engine) -> None:
    """An input a rule reads that the case leaves unknown is listed, with the case field to fill in."""
    fields = {m.fact: m.field for m in engine.advise(valid_case()).missing_facts}
    assert "circumstances.dependent_children" == fields["dependent_children"]


# --- receipt, input forms, determinism -------------------------------------------------------------


def test_receipt_changes_with_the_input(engine: Engine) -> None:
    """Two cases that differ only in case_ref have different receipts but otherwise the same advice."""
    other = valid_case()
    other["case_ref"] = "test-2"
    first, second = engine.advise(valid_case()), engine.advise(other)
    assert first.receipt != second.receipt
    assert advice_without(first, "receipt", "case_ref") == advice_without(second, "receipt", "case_ref")


def test_the_receipt_is_sha256_over_the_canonical_case_each_pack_and_the_advice_logic(engine: Engine) -> None:
    """The receipt's recipe, fed to SHA-256 piece by piece as the docs state it: the case's canonical
    JSON (sorted keys, no spaces), then ``|id@version:sha256`` per pack, then
    ``|advice logic <ADVICE_LOGIC>``; advise, advise_json and outcome give that same receipt."""
    import hashlib

    from maatwerk import parse_case
    from maatwerk._version import ADVICE_LOGIC

    other = valid_case()
    other["case_ref"] = "test-2"
    for data in (valid_case(), other):
        case = parse_case(data)
        h = hashlib.sha256()
        h.update(
            json.dumps(case.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        )
        advice = engine.advise(data)
        for p in advice.packs:
            h.update(f"|{p.id}@{p.version}:{p.sha256}".encode())
        h.update(f"|advice logic {ADVICE_LOGIC}".encode())
        assert advice.receipt == h.hexdigest()
        assert json.loads(engine.advise_json(data))["receipt"] == h.hexdigest()
        assert engine.outcome(data).receipt == h.hexdigest()


def test_receipt_is_the_same_for_both_evaluators(engine: Engine, reference_engine: Engine) -> None:
    """The receipt covers the input, the packs and the advice logic, not the evaluator."""
    assert reference_engine.advise(valid_case()).receipt == engine.advise(valid_case()).receipt


def test_advise_accepts_a_dict_json_text_bytes_or_a_model(engine: Engine) -> None:
    """The four input forms give the same advice."""
    from maatwerk import BenefitCase, ProviderCase, parse_case

    data = valid_case()
    text = json.dumps(data)
    forms: list[BenefitCase | ProviderCase | dict[str, Any] | str | bytes] = [
        data,
        text,
        text.encode(),
        parse_case(data),
    ]
    assert 1 == len({advice_json(engine.advise(f)) for f in forms})


def test_advise_many_keeps_the_order(engine: Engine) -> None:
    """advise_many returns one advice per case, in order."""
    first, second = valid_case(), valid_case()
    second["case_ref"] = "second"
    assert ["test-1", "second"] == [a.case_ref for a in engine.advise_many([first, second])]


def test_advice_json_round_trips(engine: Engine) -> None:
    """The advice JSON parses back into an equal Advice."""
    from maatwerk import Advice

    advice = engine.advise(valid_case())
    assert advice == Advice.model_validate_json(advice.model_dump_json())


def test_engine_names_the_versions(engine: Engine) -> None:
    """The advice records maatwerk's and durable-rules' versions and the packs with their hashes."""
    advice = engine.advise(valid_case())
    assert re.fullmatch(r"maatwerk \S+; durable-rules \S+", advice.engine)
    assert "durable" == engine.evaluator
    assert [("nl-benefits", "national"), ("lansingerland-benefits", "municipal")] == [
        (p.id, p.role) for p in advice.packs
    ]


def test_invalid_case_is_refused_before_evaluation(engine: Engine) -> None:
    """advise raises CaseError for an invalid case; no partial advice."""
    case = valid_case()
    case["law"] = "wajong"
    with pytest.raises(CaseError):
        engine.advise(case)


def test_an_advice_of_the_reference_evaluator_names_it(reference_engine: Engine) -> None:
    """The advice names the evaluator that made it: the reference evaluator, with maatwerk's version."""
    from maatwerk import __version__

    assert f"maatwerk {__version__}; reference evaluator" == reference_engine.advise(valid_case()).engine


def test_the_receipt_does_not_change_with_the_release(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new release of maatwerk that leaves the advice logic as it was keeps every receipt."""
    import maatwerk._api

    before = engine.advise(valid_case())
    monkeypatch.setattr(maatwerk._api, "__version__", "99.0.0")
    after = engine.advise(valid_case())
    assert (before.receipt, "maatwerk 99.0.0;") == (after.receipt, after.engine[: len("maatwerk 99.0.0;")])


def test_the_receipt_changes_with_the_advice_logic(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A release that changes how advice is computed (a new ADVICE_LOGIC) gives new receipts."""
    import maatwerk._api

    before = engine.advise(valid_case())
    monkeypatch.setattr(maatwerk._api, "ADVICE_LOGIC", "2")
    assert before.receipt != engine.advise(valid_case()).receipt


def test_unknown_evaluator_is_refused() -> None:
    """Only 'durable', 'reference' and 'compiled' are evaluators."""
    with pytest.raises(ValueError, match="evaluator must be"):
        Engine(evaluator="fast")  # type: ignore[arg-type]


def test_unknown_municipality_is_a_selection_error() -> None:
    """An engine for a municipality without a pack refuses to advise."""
    with pytest.raises(PolicySelectionError):
        Engine(municipality="atlantis", evaluator="reference").advise(valid_case())


def test_decision_before_the_municipal_pack_is_a_selection_error(engine: Engine) -> None:
    """A decision in 2023 predates the Lansingerland pack (2024-01-01): no advice."""
    case = valid_case()
    case.update(decision_date="2023-12-01")
    case["violation"].update(
        period={"start": "2023-01-01", "end": "2023-02-01"}, information_due="2023-01-08", detected_on="2023-06-01"
    )
    with pytest.raises(PolicySelectionError):
        engine.advise(case)


# --- engine errors -------------------------------------------------------------------------------


def conflict_policies(tmp_path: Path) -> Path:
    """The bundled national pack with the conflicting municipal fixture pack next to it."""
    root = tmp_path / "policies"
    shutil.copytree(POLICIES / "benefits" / "nl-benefits", root / "benefits" / "nl-benefits")
    shutil.copytree(FIXTURES / "engine" / "conflict-benefits", root / "benefits" / "conflict-benefits")
    return root


@pytest.mark.parametrize("evaluator", ["durable", "reference", "compiled"])
def test_two_rules_on_one_level_setting_one_output_differently_is_an_engine_error(
    tmp_path: Path, evaluator: str
) -> None:
    """Conflicting outputs on one level are a policy defect: EngineError naming both rules."""
    engine = Engine(conflict_policies(tmp_path), municipality="conflict", evaluator=evaluator)  # type: ignore[arg-type]
    with pytest.raises(EngineError) as info:
        engine.advise(valid_case())
    assert ("conflict_korting", "conflict_geen_korting", "warning_excluded_by_policy") == tuple(
        name
        for name in ("conflict_korting", "conflict_geen_korting", "warning_excluded_by_policy")
        if name in str(info.value)
    )


def test_conflicting_rules_that_do_not_fire_together_are_fine(tmp_path: Path) -> None:
    """The conflict is only an error on a case where both rules fire (here: not for the IOAW)."""
    engine = Engine(conflict_policies(tmp_path), municipality="conflict")
    case = valid_case()
    case["law"] = "ioaw"
    assert "boete" == engine.advise(case).measure.kind


def test_engine_errors_are_maatwerk_errors_with_a_hint() -> None:
    """EngineError is a MaatwerkError and a RuntimeError, with a stable code and a hint."""
    err = EngineError("boom")
    assert (True, True, "ENGINE_ERROR", True) == (
        isinstance(err, MaatwerkError),
        isinstance(err, RuntimeError),
        err.code,
        bool(err.hint),
    )


# --- dates and pack versions ---------------------------------------------------------------------


def test_lex_mitior_follows_the_milder_version(policy_copy: Path) -> None:
    """When a national version of 2025 raises normal culpability to 60%, conduct in 2024 decided in
    2025 is fined under the milder 50% of the 2013 version, and the advice says why."""
    folder = policy_copy / "benefits" / "nl-benefits"
    text = (folder / "2013-01-01.yaml").read_text(encoding="utf-8")
    later = (
        text.replace("valid_from: 2013-01-01", "valid_from: 2025-01-01", 1)
        .replace("  covers_earlier_conduct: true\n", "")
        .replace(
            'description: {nl: "Boete bij normale verwijtbaarheid", en: "Fine for normal culpability"}, values: [{from: 2013-01-01, value: 50}]',
            'description: {nl: "Boete bij normale verwijtbaarheid", en: "Fine for normal culpability"}, values: [{from: 2013-01-01, value: 60}]',
        )
    )
    assert later != text
    (folder / "2025-01-01.yaml").write_text(later, encoding="utf-8")
    case = valid_case()
    case["violation"].update(
        period={"start": "2024-06-01", "end": "2024-08-31"}, information_due="2024-06-08", detected_on="2025-02-01"
    )
    case.update(decision_date="2025-06-02")
    case["benefit_loss"] = {"net": "1000.00"}
    advice = Engine(policy_copy).advise(case)
    assert ("boete", Decimal("500.00"), "lex_mitior") == (
        advice.measure.kind,
        advice.measure.amount,
        advice.steps[0].rule_id,
    )


def test_conduct_before_2013_is_fined_only_for_the_part_after_the_fraudewet(engine: Engine) -> None:
    """Conduct from 2012 into 2013: only the loss after 1-1-2013 counts for the fine (RBROT 2014:2157)."""
    case = valid_case()
    case["violation"].update(
        period={"start": "2012-06-01", "end": "2013-06-30"}, information_due="2012-06-08", detected_on="2013-09-01"
    )
    case.update(decision_date="2024-03-01")
    case["benefit_loss"] = {"net": "2000.00", "before_2013": "1000.00"}
    advice = engine.advise(case)
    assert ("eerder_gedrag", True) == (
        advice.steps[0].rule_id,
        "gedrag_voor_fraudewet" in {s.rule_id for s in advice.steps},
    )


def test_national_law_only_engine_advises() -> None:
    """An engine without a municipality advises under the national pack alone."""
    advice = Engine(municipality=None, evaluator="reference").advise(valid_case())
    assert ["nl-benefits"] == [p.id for p in advice.packs]


def test_reference_to_another_base_version_is_caught_before_advising(policy_copy: Path) -> None:
    """A municipal follow-up that only an older national version defines is a PolicyError, not a crash."""
    folder = policy_copy / "benefits" / "nl-benefits"
    text = (folder / "2013-01-01.yaml").read_text(encoding="utf-8")
    later = (
        text.replace("valid_from: 2013-01-01", "valid_from: 2025-01-01", 1)
        .replace("  covers_earlier_conduct: true\n", "")
        .replace("  steun_levensgebeurtenis:", "  steun_bij_gebeurtenis:")
        .replace("followups: [steun_levensgebeurtenis]", "followups: [steun_bij_gebeurtenis]")
    )
    (folder / "2025-01-01.yaml").write_text(later, encoding="utf-8")
    municipal = policy_copy / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    municipal.write_text(
        municipal.read_text(encoding="utf-8").replace(
            "followups: [gesprek_na_waarschuwing]", "followups: [gesprek_na_waarschuwing, steun_levensgebeurtenis]"
        ),
        encoding="utf-8",
    )
    case = valid_case()
    case["benefit_loss"] = {"net": "100.00"}
    with pytest.raises(PolicyError):
        Engine(policy_copy, evaluator="reference").advise(case)


NO_RULE_FIRES = """
import json, re, shutil, sys
from pathlib import Path
root = Path(sys.argv[1])
nl = root / "benefits" / "nl-benefits" / "2013-01-01.yaml"
head, rules = nl.read_text(encoding="utf-8").split("\\nrules:\\n", 1)
keep = [b for b in re.split(r"(?m)^(?=  - id: )", rules) if b.startswith("  - id: gate_overleden")]
nl.write_text(head + "\\nrules:\\n" + "".join(keep), encoding="utf-8")
(nl.parent / "proposed-whsz.yaml").unlink()  # the bill is a delta on rules this copy no longer has
from maatwerk import Engine
print(Engine(root).advise(json.loads(sys.argv[2])).measure.kind)
"""


def test_evaluation_where_no_rule_fires_does_not_crash(policy_copy: Path) -> None:
    """A stack where no rule fires for the case still gives an advice (run in a fresh process)."""
    result = subprocess.run(
        [sys.executable, "-c", NO_RULE_FIRES, str(policy_copy), json.dumps(valid_case())],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert (0, "boete") == (result.returncode, result.stdout.strip().splitlines()[-1] if result.stdout else "")


# --- threads -------------------------------------------------------------------------------------


def thread_cases() -> list[dict[str, Any]]:
    """Varied cases: each culpability level, each law, small and large amounts."""
    cases = []
    for i, (level, law, net) in enumerate(
        [
            ("normaal", "participatiewet", "2480.00"),
            ("opzet", "participatiewet", "10000.00"),
            ("verminderd", "ioaw", "120.00"),
            ("grove_schuld", "ioaz", "30000.00"),
            (None, "participatiewet", "60000.00"),
            ("geen", "ioaw", "500.00"),
        ]
    ):
        case = copy.deepcopy(valid_case())
        case["case_ref"] = f"t{i}"
        case["law"] = law
        case["benefit_loss"] = {"net": net, "gross": str(Decimal(net) * 2)}
        case["culpability"] = {"confirmed": level} if level else {}
        cases.append(case)
    return cases


@pytest.mark.parametrize("evaluator", ["durable", "reference", "compiled"])
def test_eight_threads_sharing_one_engine_give_the_serial_results(evaluator: str) -> None:
    """An Engine is safe to share: 8 threads advising concurrently produce exactly the advice a
    single thread produces, for every case."""
    cases = thread_cases()
    shared = Engine(evaluator=evaluator)  # type: ignore[arg-type]
    expected = [advice_json(Engine(evaluator=evaluator).advise(c)) for c in cases]  # type: ignore[arg-type]
    barrier = threading.Barrier(8)
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            barrier.wait()
            out = []
            for _ in range(15):
                for case in cases[worker % len(cases) :] + cases[: worker % len(cases)]:
                    out.append(advice_json(shared.advise(case)))
            results[worker] = out
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    # Each error with the whole chain of its causes, so that a failure says where it came from
    # (in full: an assertion's diff would cut the text short).
    if errors:
        pytest.fail("\n\n".join("".join(traceback.format_exception(err)) for err in errors), pytrace=False)
    for worker, out in results.items():
        rotated = expected[worker % len(cases) :] + expected[: worker % len(cases)]
        assert rotated * 15 == out
    assert 8 == len(results)


def test_an_engine_for_a_municipality_without_any_pack_is_refused_at_once(tmp_path: Path) -> None:
    """Every advice of such an engine would be refused, so the engine itself is: a
    PolicySelectionError naming the municipality and the ones that have packs. A reload to packs
    without the engine's municipality is refused the same way, and the engine keeps its packs."""
    with pytest.raises(
        PolicySelectionError,
        match=r"no pack for municipality 'nowhere' under .*; known: grave, heerenveen, lansingerland, leeuwarden",
    ):
        Engine(municipality="nowhere")
    national_only = tmp_path / "national"
    shutil.copytree(POLICIES, national_only)
    for municipal in national_only.glob("*/*-*"):
        if not municipal.name.startswith("nl-"):
            shutil.rmtree(municipal)
    assert Engine(national_only, municipality=None).advise(valid_case()).measure.kind
    engine = Engine()
    before = engine.policies
    with pytest.raises(PolicySelectionError, match=r"'lansingerland' under .*; known: none"):
        engine.reload(national_only)
    assert engine.policies is before
    assert "lansingerland-benefits" == engine.advise(valid_case()).packs[-1].id


@pytest.mark.parametrize(
    "fact",
    [
        {"sid": "s1", "level": 0, "amount": 123456, "law": "participatiewet", "known": -1},
        {"sid": "s2", "level": 1, "text": 'é ü ‘quoted’ "x"', "big": 2**70, "negative": -(2**70)},
    ],
    ids=["usual", "beyond-64-bits"],
)
def test_the_fact_durable_rules_reads_holds_the_same_values_however_it_is_written(fact: dict[str, Any]) -> None:
    """Each level's fact is written for durable-rules by orjson, or by the standard library where
    orjson refuses (a whole number beyond 64 bits): either way the engine reads the same values."""
    from maatwerk._engine._durable import _dumps

    assert fact == json.loads(_dumps(fact))
