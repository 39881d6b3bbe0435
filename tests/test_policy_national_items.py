# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""A municipal pack adds to national law and never rewrites it, also by the back doors a policy
advisor found when writing a real municipality's policy from the docs alone: a source or follow-up
under a national id (which would replace what the law's rules cite or propose in every advice), a
``delegated_facts`` list of its own (which would seem to widen the fence), an ``include`` of a pack
file (which would copy another pack in), and a what-if that sets what the rules work out.
Each is refused at its line, with a message and a hint that say what to do instead."""

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from maatwerk import PolicyError
from maatwerk._policy.analysis import check_policies, load_hint
from maatwerk._policy.loader import load_directory

MUNICIPAL = Path("benefits") / "lansingerland-benefits" / "2024-01-01.yaml"


def problems_of(root: Path) -> list[tuple[str, str, str]]:
    """(file:line, code, message) of every problem loading ``root`` reports."""
    with pytest.raises(PolicyError) as info:
        load_directory(root)
    return [(p.where.rsplit(":", 1)[0], p.code, p.message) for p in info.value.problems]


def edit(root: Path, old: str, new: str, path: Path = MUNICIPAL) -> Path:
    """Replace ``old`` (once, and it must be there) by ``new`` in the file ``path`` under ``root``."""
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return file


def line_of(file: Path, words: str) -> int:
    return next(i for i, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if words in line)


def test_a_municipal_source_under_a_national_id_is_refused(policy_copy: Path) -> None:
    """Else the law's rules would cite the municipality's words for Pw art. 18a in every advice."""
    file = edit(
        policy_copy,
        "sources:\n",
        'sources:\n  pw_18a: {citation: "Pw art. 18a, zoals wij het lezen", identifier: BWBR0015703, '
        'url: "https://wetten.overheid.nl/BWBR0015703"}\n',
    )
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'pw_18a:')}", "POLICY_DUPLICATE_ID") == (where, code)
    assert message.startswith("source 'pw_18a' is already a source of the national pack nl-benefits (")
    assert message.endswith(
        "a municipal pack cannot replace what national law says: cite it by its id, or add your own article "
        "under an id of your own"
    )
    assert "name the national one by its id" in load_hint(code, message)


def test_a_municipal_follow_up_under_a_national_id_is_refused(policy_copy: Path) -> None:
    """Else a national rule would propose the municipality's words in the law's name."""
    file = edit(
        policy_copy,
        "followups:\n",
        'followups:\n  uitleg_plicht: {text: {nl: "Zeg dat wij altijd beboeten.", en: "Say we always fine."}, '
        "principles: [P1]}\n",
    )
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'uitleg_plicht:')}", "POLICY_DUPLICATE_ID") == (where, code)
    assert "follow-up 'uitleg_plicht' is already a follow-up of the national pack nl-benefits" in message


def test_a_municipal_pack_that_names_delegated_facts_is_refused(policy_copy: Path) -> None:
    """Only national law says which facts a municipal rule may set; a list in a municipal pack would
    be read by no one, and look as if the municipality widened the fence."""
    file = edit(policy_copy, "rules:\n", "delegated_facts: [fine_excluded]\nrules:\n")
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'delegated_facts:')}", "POLICY_NOT_DELEGATED") == (where, code)
    assert "a municipal pack cannot widen that list ('fine_excluded')" in message


def test_a_municipal_delta_that_adds_delegated_facts_is_refused_at_the_delta(policy_copy: Path) -> None:
    delta = policy_copy / "benefits" / "lansingerland-benefits" / "2025-01-01.yaml"
    delta.write_text(
        "schema_version: 1\nextends: 2024-01-01\npack:\n  id: lansingerland-benefits\n  domain: benefits\n"
        "  layer: municipal\n  base: nl-benefits\n  municipality: lansingerland\n  valid_from: 2025-01-01\n"
        "  title: {nl: L, en: L}\n  publisher: L\nadd:\n  delegated_facts: [fine_excluded]\n",
        encoding="utf-8",
    )
    [(where, code, _)] = problems_of(policy_copy)
    assert (f"{delta}:{line_of(delta, 'delegated_facts:')}", "POLICY_NOT_DELEGATED") == (where, code)


def test_an_include_of_a_pack_file_is_refused_at_the_include(policy_copy: Path) -> None:
    """Including national law's own file would read a whole pack as one section (dozens of
    bewildering shape errors in the national file); the include itself is the mistake."""
    file = edit(policy_copy, "followups:\n", "followups: {include: ../nl-benefits/2013-01-01.yaml}\nold_followups:\n")
    found = problems_of(policy_copy)
    assert (
        f"{file}:{line_of(file, 'followups: {include')}",
        "POLICY_INVALID_VALUE",
        "../nl-benefits/2013-01-01.yaml is a pack file of its own, not a part to include: an include names a "
        "file in a folder whose name starts with _ (such as _shared/), which no pack is loaded from",
    ) == found[0]
    assert all("nl-benefits" not in where for where, _, _ in found)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "warning_lawful",
            "'warning_lawful' is an outcome the rules work out (an output fact), not a fact of the case",
        ),
        ("measure", "'measure' is what the advice works out, not a fact of the case"),
        (
            "culpabilty",
            "a what-if changes an input fact of the case; 'culpabilty' is not one (did you mean 'culpability'?)",
        ),
    ],
)
def test_a_what_if_that_sets_what_the_rules_work_out_says_why(policy_copy: Path, name: str, words: str) -> None:
    """A what-if changes the case; a pack never sets the law's outcome or the measure. The message says
    which of the two it is (no "did you mean" of the same name), and the hint which facts to set."""
    file = policy_copy / MUNICIPAL
    text = file.read_text(encoding="utf-8")
    what_if = (
        "  what_ifs:\n    - id: als_anders\n"
        f"      set: {{{name}: true}}\n"
        '      change: {nl: "Anders", en: "Otherwise"}\n'
        '      effect: {nl: "dan {value:probe_measure}", en: "then {value:probe_measure}"}\n'
    )
    assert "verdict:" not in text
    file.write_text(text + "verdict:\n" + what_if, encoding="utf-8")
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, f'set: {{{name}')}", "POLICY_UNKNOWN_FACT") == (where, code)
    assert message.startswith(words)
    assert "set input facts" in load_hint(code, message) or name == "culpabilty"


def test_two_packs_for_one_municipality_are_refused_at_both_headers(policy_copy: Path) -> None:
    """A pack copied from Lansingerland's whose ``municipality`` was not changed loaded cleanly, and then
    every Lansingerland case was refused ("2 benefits packs for municipality"); check now says so."""
    copy = policy_copy / "benefits" / "achtkarspelen-benefits"
    copy.mkdir()
    text = (policy_copy / MUNICIPAL).read_text(encoding="utf-8")
    (copy / "2024-01-01.yaml").write_text(
        text.replace("id: lansingerland-benefits", "id: achtkarspelen-benefits", 1), encoding="utf-8"
    )
    found = problems_of(policy_copy)
    assert [
        (f"{copy / '2024-01-01.yaml'}:{line_of(copy / '2024-01-01.yaml', 'municipality:')}", "POLICY_DUPLICATE_ID"),
        (f"{policy_copy / MUNICIPAL}:{line_of(policy_copy / MUNICIPAL, 'municipality:')}", "POLICY_DUPLICATE_ID"),
    ] == [(where, code) for where, code, _ in found]
    assert (
        "municipality 'lansingerland' has another pack on nl-benefits: lansingerland-benefits; a municipality "
        "has one pack per national pack, so every case of 'lansingerland' would be refused"
    ) == found[0][2]


def test_a_municipal_what_if_under_a_national_id_is_refused(policy_copy: Path) -> None:
    """Like a decision: the advice would list two what-ifs of one id, the municipality's words under the
    law's name (here a false "always 100%")."""
    file = policy_copy / MUNICIPAL
    text = file.read_text(encoding="utf-8")
    what_if = (
        "verdict:\n  what_ifs:\n    - id: verwijtbaarheid_normaal_na_grove_schuld\n"
        "      set: {culpability: normaal}\n"
        '      change: {nl: "Als het normaal is", en: "If normal"}\n'
        '      effect: {nl: "is de boete altijd 100%", en: "the fine is always 100%"}\n'
    )
    file.write_text(text + what_if, encoding="utf-8")
    assert [
        (
            f"{file}:{line_of(file, '- id: verwijtbaarheid_normaal_na_grove_schuld')}",
            "POLICY_DUPLICATE_ID",
            "what-if 'verwijtbaarheid_normaal_na_grove_schuld' is already a what-if of the national pack; a "
            "municipal pack adds its own",
        )
    ] == problems_of(policy_copy)


def test_a_municipal_pack_written_as_national_gets_one_error_at_its_municipality(policy_copy: Path) -> None:
    """A policy advisor who writes ``layer: national`` and drops ``base`` by mistake hears it once, at the
    line that gives the mistake away, and not as a list of every figure of the law the pack lacks."""
    file = edit(policy_copy, "  layer: municipal\n  base: nl-benefits\n", "  layer: national\n")
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'municipality: lansingerland')}", "POLICY_INVALID_VALUE") == (where, code)
    assert "a municipality's policy says layer: municipal and names its national pack as base" in message


def test_a_municipal_pack_written_as_national_with_its_base_is_told_to_say_municipal(policy_copy: Path) -> None:
    file = edit(policy_copy, "  layer: municipal\n", "  layer: national\n")
    found = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'base: nl-benefits')}", "POLICY_INVALID_VALUE") in [(w, c) for w, c, _ in found]
    assert any("which says layer: municipal" in m for _, _, m in found)


def test_a_national_pack_without_the_laws_figures_gets_one_list_of_them_per_kind(policy_copy: Path) -> None:
    """Heerenveen's policy as a national pack of its own (no base, no municipality): its stack lacks
    the 40 figures and 8 sources of the fine. Each version hears it once per kind, every name listed
    (nothing is lost), instead of one line per parameter."""
    for version in ("2017-01-01", "2025-04-03"):
        path = Path("benefits") / "heerenveen-benefits" / f"{version}.yaml"
        edit(policy_copy, "  layer: municipal\n  base: nl-benefits\n", "  layer: national\n", path)
        edit(policy_copy, "  municipality: heerenveen\n", "", path)
    findings = check_policies(policy_copy, today=dt.date(2026, 12, 7)).findings
    mine = [f for f in findings if "heerenveen-benefits" in f.where and f.severity == "error"]
    codes = sorted(f.code for f in mine)
    assert ["POLICY_MISSING_PARAMETER"] * 2 + ["POLICY_MISSING_SOURCE"] * 2 == codes
    parameters = next(f.message for f in mine if f.code == "POLICY_MISSING_PARAMETER")
    assert parameters.startswith("the benefits stack needs 40 parameters: 'boete_percentage_opzet', ")
    assert "'recidive_factor'" in parameters
    assert "layer: municipal" in next(f.hint for f in mine if f.code == "POLICY_MISSING_PARAMETER")
