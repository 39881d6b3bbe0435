# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Pack versions as deltas: a version or a bill that ``extends`` an earlier version and lists only
what it adds, changes or removes is resolved by the loader into the full pack, located where each
part is written, with every problem reported at once.

``tests/policy_fixtures/deltas/proposed-whsz.full-copy.yaml`` is the Whsz bill as it was written
before it became a delta (a full copy of 2013-01-01 with the bill's changes): the delta must
resolve to exactly that pack, and advise exactly alike.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, FIXTURES, POLICIES

from maatwerk import Engine, PolicyError
from maatwerk._policy._yaml import load_located
from maatwerk._policy.analysis import check_policies
from maatwerk._policy.loader import load_directory, load_pack_text, load_tree
from maatwerk._policy.schema import PackFile
from maatwerk._policy.stack import PolicySet

FULL_COPY = FIXTURES / "deltas" / "proposed-whsz.full-copy.yaml"
BASE = FIXTURES / "POLICY_UNKNOWN_VERSION" / "benefits" / "x" / "2024-01-01.yaml"
PREVIEW = {"whsz": dt.date(2026, 1, 1)}

HEADER = """schema_version: 1
extends: {extends}
pack:
  id: x
  domain: benefits
  layer: national
  valid_from: {valid_from}
  title: {{nl: Proef, en: Test}}
  publisher: tests
"""


def tree(tmp_path: Path, *deltas: tuple[str, str]) -> Path:
    """A policy folder with pack x 2024-01-01 and the given ``(file name, text)`` versions beside it."""
    folder = tmp_path / "benefits" / "x"
    folder.mkdir(parents=True)
    shutil.copyfile(BASE, folder / "2024-01-01.yaml")
    for name, text in deltas:
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def delta(valid_from: str, body: str, extends: str = "2024-01-01") -> tuple[str, str]:
    return f"{valid_from}.yaml", HEADER.format(extends=extends, valid_from=valid_from) + body


def problems(root: Path) -> list[tuple[str, int, str]]:
    """``(file name, line, code)`` of every problem loading ``root`` reports."""
    with pytest.raises(PolicyError) as info:
        load_directory(root)
    out = []
    for p in info.value.problems:
        file, line, _ = p.where.rsplit(":", 2)
        out.append((Path(file).name, int(line), p.code))
    return out


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


def without_pack_hashes(advice_json: str) -> dict[str, object]:
    """An advice as data, without what names the pack files (their hashes and the receipt over them)."""
    data: dict[str, Any] = json.loads(advice_json)
    data.pop("receipt")
    for pack in data["packs"]:
        pack.pop("sha256")
    return data


# --- the Whsz bill as a delta ------------------------------------------------------------------------


def test_the_whsz_delta_resolves_to_the_full_copy_it_replaces() -> None:
    """Every rule (in order), parameter, source, principle and follow-up of the resolved bill equals the old full copy
    (the copy predates the form's words and the letter's sentences in the packs; the bill inherits them, see
    test_fields and test_pack_sentences)."""
    _, proposed = load_tree(POLICIES)
    resolved = proposed["nl-benefits"]["whsz"].file
    full = PackFile.model_validate(load_located(FULL_COPY.read_text(encoding="utf-8"), str(FULL_COPY))[0])
    assert full.model_dump(exclude={"form", "letter"}) == resolved.model_dump(exclude={"form", "letter"})
    assert [r.id for r in full.rules] == [r.id for r in resolved.rules]


def test_the_previewed_whsz_delta_advises_exactly_as_the_full_copy(policy_copy: Path) -> None:
    """With the bill previewed, every benefit example gets the same advice from the delta as from the full copy."""
    shutil.copyfile(FULL_COPY, policy_copy / "benefits" / "nl-benefits" / "proposed-whsz.yaml")
    as_delta = Engine(POLICIES, preview=PREVIEW, evaluator="reference")
    as_copy = Engine(policy_copy, preview=PREVIEW, evaluator="reference")
    for path in sorted(EXAMPLES.glob("0[1-4]-*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        case["decision_date"] = "2026-03-02"
        expected = without_pack_hashes(as_copy.advise(case).model_dump_json())
        assert expected == without_pack_hashes(as_delta.advise(case).model_dump_json()), path.name


def test_the_hash_of_a_delta_covers_the_version_it_extends(policy_copy: Path) -> None:
    """A change to 2013-01-01 changes the bill's SHA-256 too, so receipts that name the bill change with it."""
    before = load_tree(policy_copy)[1]["nl-benefits"]["whsz"].sha256
    base = policy_copy / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    base.write_text(base.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    after = load_tree(policy_copy)[1]["nl-benefits"]["whsz"].sha256
    assert before != after


def test_a_fix_in_the_version_extended_reaches_the_bill(policy_copy: Path) -> None:
    """A new dated value in 2013-01-01 is also the bill's: the bill is no copy that can drift."""
    base = policy_copy / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    text = base.read_text(encoding="utf-8")
    old = '      - {from: 2024-01-01, value: "10300.00"}'
    assert old in text
    base.write_text(text.replace(old, old + '\n      - {from: 2026-01-01, value: "10500.00"}', 1), encoding="utf-8")
    _, proposed = load_tree(policy_copy)
    values = proposed["nl-benefits"]["whsz"].file.parameters["geldboete_categorie_3"].values
    assert (dt.date(2026, 1, 1), "10500.00") == (values[-1].from_, values[-1].value)


def test_an_inherited_rule_is_located_in_the_version_extended_and_an_added_one_in_the_delta() -> None:
    """A rule of the resolved bill names the file and line where it is written."""
    _, proposed = load_tree(POLICIES)
    where = {rd.rule.id: rd.where for rd in proposed["nl-benefits"]["whsz"].rules}
    base = POLICIES / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    bill = POLICIES / "benefits" / "nl-benefits" / "proposed-whsz.yaml"
    expected = (
        f"{base}:{line_of(base, '- id: herziening_pw')}:5",
        f"{bill}:{line_of(bill, '- id: verplichte_afweging')}:7",
    )
    assert expected == (where["herziening_pw"], where["verplichte_afweging"])


# --- the delta form ----------------------------------------------------------------------------------


def test_a_delta_adds_changes_and_removes(tmp_path: Path) -> None:
    """add, change and remove each take effect, and an added rule goes after the rule it names."""
    body = """remove:
  rules: [regel]
add:
  sources:
    wet2: {citation: "IOAW", identifier: BWBR0004044, url: "https://wetten.overheid.nl/BWBR0004044"}
  rules:
    - id: nieuw
      stage: track
      when: {fact: law, eq: ioaw}
      then: {set: {herziening_required: true}}
      basis: [wet2]
      principles: [P1]
      reason: {nl: Reden, en: Reason}
change:
  sources:
    wet: {citation: "Participatiewet (gewijzigd)"}
"""
    root = tree(tmp_path, delta("2025-01-01", body))
    v2025 = load_directory(root)["x"][1].file
    expected = (["nieuw"], ["wet", "wet2"], "Participatiewet (gewijzigd)")
    assert expected == (
        [r.id for r in v2025.rules],
        sorted(v2025.sources),
        v2025.sources["wet"].model_dump()["citation"],
    )


def test_added_rules_follow_the_rule_named_in_after_and_each_other(tmp_path: Path) -> None:
    """The first added rule follows ``after``; the next ones follow it, in the order written."""
    rule = """    - id: {id}
      stage: track
      basis: [wet]
      principles: [P1]
      reason: {{nl: Reden, en: Reason}}
"""
    body = "add:\n  rules:\n" + rule.format(id="a") + "      after: regel\n" + rule.format(id="b")
    body += "remove:\n  rules: []\n"
    root = tree(tmp_path, delta("2025-01-01", body))
    assert ["regel", "a", "b"] == [r.id for r in load_directory(root)["x"][1].file.rules]


def test_a_delta_can_extend_a_delta_and_add_dated_values(tmp_path: Path) -> None:
    """A chain of deltas resolves in order; add.values adds a dated value to a parameter of the chain."""
    first = """add:
  parameters:
    termijn: {unit: days, date_basis: decision, source: wet, description: {nl: t, en: t}, values: [{from: 2025-01-01, value: 14}]}
"""
    second = """add:
  values:
    termijn: [{from: 2026-01-01, value: 21}]
"""
    root = tree(tmp_path, delta("2025-01-01", first), delta("2026-01-01", second, extends="2025-01-01"))
    values = load_directory(root)["x"][2].file.parameters["termijn"].values
    assert [(dt.date(2025, 1, 1), 14), (dt.date(2026, 1, 1), 21)] == [(v.from_, v.value) for v in values]


def test_every_problem_of_a_delta_is_reported_at_once_where_it_is_written(tmp_path: Path) -> None:
    """Changing or removing what the version extended lacks, and adding what it has, are each located."""
    body = """remove:
  sources: [wett]
change:
  rules:
    regle: {reason: {nl: R, en: R}}
add:
  principles:
    P1: {key: dubbel, label: {nl: L, en: L}, demand: {nl: D, en: D}}
  values:
    onbekend: [{from: 2025-01-01, value: 1}]
"""
    name, text = delta("2025-01-01", body)
    root = tree(tmp_path, (name, text))
    path = root / "benefits" / "x" / name
    expected = [
        (name, line_of(path, "wett"), "POLICY_UNKNOWN_SOURCE"),
        (name, line_of(path, "regle:"), "POLICY_UNKNOWN_RULE"),
        (name, line_of(path, "P1: {key: dubbel"), "POLICY_DUPLICATE_ID"),
        (name, line_of(path, "onbekend:"), "POLICY_UNKNOWN_PARAMETER"),
    ]
    assert expected == sorted(problems(root), key=lambda p: p[1])


def test_a_problem_in_a_changed_rule_is_located_at_the_change(tmp_path: Path) -> None:
    """A change that makes a rule cite an unknown source is reported in the delta, at the changed key."""
    name, text = delta("2025-01-01", "change:\n  rules:\n    regel: {basis: [onbekend]}\n")
    root = tree(tmp_path, (name, text))
    assert [(name, line_of(root / "benefits" / "x" / name, "[onbekend]"), "POLICY_UNKNOWN_SOURCE")] == problems(root)


def test_a_cycle_of_extends_is_refused(tmp_path: Path) -> None:
    """Two versions that extend each other are POLICY_CYCLE, never resolved."""
    root = tree(tmp_path, delta("2025-01-01", "", extends="2026-01-01"), delta("2026-01-01", "", extends="2025-01-01"))
    assert [("2026-01-01.yaml", 2, "POLICY_CYCLE")] == problems(root)


def test_a_delta_extends_a_version_of_its_own_pack(tmp_path: Path) -> None:
    """extends names a version the pack has; otherwise POLICY_UNKNOWN_VERSION, naming the versions there are."""
    root = tree(tmp_path, delta("2025-01-01", "", extends="2023-01-01"))
    with pytest.raises(PolicyError, match=r"x has no version 2023-01-01 to extend.*known: 2024-01-01"):
        load_directory(root)


def test_a_delta_alone_cannot_be_loaded_from_text() -> None:
    """load_pack_text has no folder to find the version a delta extends in, and says so."""
    _, text = delta("2025-01-01", "")
    with pytest.raises(PolicyError) as info:
        load_pack_text(text, "x.yaml")
    assert ["POLICY_UNKNOWN_VERSION"] == [p.code for p in info.value.problems]


def test_the_whsz_delta_compiles_as_the_full_copy_did(policy_copy: Path) -> None:
    """The compiled stack of the previewed bill has the same rules, levels and parameters as the full copy's."""
    shutil.copyfile(FULL_COPY, policy_copy / "benefits" / "nl-benefits" / "proposed-whsz.yaml")

    def compiled(root: Path) -> tuple[object, ...]:
        stack = (
            PolicySet.from_directory(root, preview=PREVIEW)
            .select("benefits", "lansingerland", dt.date(2026, 2, 1), dt.date(2026, 3, 1))
            .decision
        )
        rules = [(r.id, r.level, r.order, r.condition, r.sets, r.factors, r.basis) for r in stack.rules]
        return (rules, dict(stack.parameters), dict(stack.sources))

    assert compiled(policy_copy) == compiled(POLICIES)


def test_a_check_finding_in_what_a_delta_changes_is_located_in_the_delta(policy_copy: Path) -> None:
    """`maatwerk check` places a finding about a changed parameter value at that value in the delta."""
    path = policy_copy / "benefits" / "lansingerland-benefits" / "2026-07-01.yaml"
    path.write_text(
        """schema_version: 1
extends: 2024-01-01
pack:
  id: lansingerland-benefits
  domain: benefits
  layer: municipal
  base: nl-benefits
  municipality: lansingerland
  valid_from: 2026-07-01
  title: {nl: Lansingerland vanaf 1 juli 2026, en: Lansingerland from 1 July 2026}
  publisher: Gemeente Lansingerland
change:
  parameters:
    draagkracht_maanden_verminderd:
      values: [{from: 2026-08-01, value: 3}]
""",
        encoding="utf-8",
    )
    report = check_policies(policy_copy, today=dt.date(2026, 3, 1))
    # Grave's lapsed policy is always reported as history (CHECK_ENDED); the delta's finding is the other one.
    found = [(f.where, f.code) for f in report.findings if f.code != "CHECK_ENDED"]
    assert [(f"{path}:15:16", "CHECK_PARAMETER_GAP")] == found


def test_a_delta_keeps_the_hash_of_its_own_text_for_the_audit_snapshot() -> None:
    """``file_sha256`` is the hash of the delta file's text, which an audit snapshot checks; ``sha256`` covers the chain."""
    bill = load_tree(POLICIES)[1]["nl-benefits"]["whsz"]
    text = (POLICIES / "benefits" / "nl-benefits" / "proposed-whsz.yaml").read_text(encoding="utf-8")
    assert (hashlib.sha256(text.encode("utf-8")).hexdigest(), True) == (
        bill.file_sha256,
        bill.sha256 != bill.file_sha256,
    )
