# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The policy loader: located YAML, one broken fixture per error code, and pack selection by date.

Each folder ``tests/policy_fixtures/<CODE>/`` is a minimal pack tree with exactly one defect. The
line where the loader must point carries a YAML comment ``# <- CODE``; the test loads the folder
and expects a problem with that code located at ``<file>:<that line>:<col>``. The folders under
``policy_fixtures/stack/`` load cleanly but cannot be compiled into a stack (found by
``PolicySet.select``).
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, POLICIES, ROOT

from maatwerk import PolicyError, PolicySelectionError, Problem
from maatwerk._policy._yaml import MAX_DEPTH, MAX_POLICY_BYTES, load_located, position_of
from maatwerk._policy.loader import load_directory, load_pack_text
from maatwerk._policy.stack import PolicySet

MARK = re.compile(r"# <- ((?:POLICY_[A-Z_]+\s*)+)")

LOADER_FIXTURES = sorted(p for p in FIXTURES.glob("POLICY_*") if p.is_dir())
STACK_FIXTURES = sorted(p for p in (FIXTURES / "stack").glob("POLICY_*") if p.is_dir())

#: Codes that are not located problems of a loader (the error classes' own codes), and the one
#: code whose fixture is written at test time (a 1 MB file does not belong in the repository).
NOT_PROBLEM_CODES = {"POLICY_INVALID", "POLICY_NOT_VALID_ON_DATE"}
GENERATED = {"POLICY_TOO_LARGE"}

MINIMAL_PACK = """schema_version: 1
pack:
  id: {id}
  domain: benefits
  layer: {layer}
{extra}  valid_from: {valid_from}
  title: {{nl: Proef, en: Test}}
  publisher: tests
"""


def yaml_problems(text: str) -> list[Problem]:
    """The problems ``load_located`` reports for ``text`` (failing the test if it accepts it)."""
    try:
        load_located(text, "f.yaml")
    except ValueError as err:
        return list(err.args[0])
    pytest.fail("the YAML was accepted")


def markers(folder: Path) -> set[tuple[str, int, str]]:
    """Every ``(file, line, code)`` a fixture folder marks with ``# <- CODE``."""
    out: set[tuple[str, int, str]] = set()
    for path in sorted(folder.rglob("*.yaml")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            found = MARK.search(line)
            if found:
                out.update((str(path), number, code) for code in found.group(1).split())
    return out


def located(problem: Problem) -> tuple[str, int, int]:
    """``file:line:col`` split into its parts."""
    file, line, col = problem.where.rsplit(":", 2)
    return file, int(line), int(col)


def write_pack(root: Path, pack_id: str, valid_from: str, *, layer: str = "national", extra: str = "") -> Path:
    path = root / "benefits" / pack_id / f"{valid_from}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MINIMAL_PACK.format(id=pack_id, layer=layer, valid_from=valid_from, extra=extra), encoding="utf-8")
    return path


def emitted_codes() -> set[str]:
    """Every POLICY_ code that appears as a string literal in maatwerk's source."""
    codes: set[str] = set()
    for path in (ROOT / "maatwerk").rglob("*.py"):
        codes.update(re.findall(r'"(POLICY_[A-Z_]+)"', path.read_text(encoding="utf-8")))
    return codes


# --- one fixture per error code --------------------------------------------------------------------


def test_every_policy_error_code_has_a_fixture() -> None:
    """Each problem code the loader or the stack compiler can emit has a broken-pack fixture."""
    covered = {p.name for p in LOADER_FIXTURES} | {p.name for p in STACK_FIXTURES} | GENERATED
    assert set() == emitted_codes() - NOT_PROBLEM_CODES - covered


@pytest.mark.parametrize("folder", LOADER_FIXTURES, ids=lambda p: p.name)
def test_loader_reports_the_fixture_code_at_the_marked_line(folder: Path) -> None:
    """Loading a broken pack tree raises PolicyError with the folder's code at the marked line."""
    expected = {(file, line, code) for file, line, code in markers(folder) if code == folder.name}
    assert expected, f"{folder} marks no line with '# <- {folder.name}'"
    with pytest.raises(PolicyError) as info:
        load_directory(folder)
    actual = {(located(p)[0], located(p)[1], p.code) for p in info.value.problems}
    assert expected & actual, f"expected one of {sorted(expected)}, got {info.value}"


@pytest.mark.parametrize("folder", LOADER_FIXTURES, ids=lambda p: p.name)
def test_loader_locations_are_file_line_col_inside_the_file(folder: Path) -> None:
    """Every problem names an existing file with a 1-based line and column inside it."""
    with pytest.raises(PolicyError) as info:
        load_directory(folder)
    for problem in info.value.problems:
        file, line, col = located(problem)
        lines = Path(file).read_bytes().splitlines() or [b""]
        assert 1 <= line <= len(lines) + 1
        assert 1 <= col


@pytest.mark.parametrize("folder", STACK_FIXTURES, ids=lambda p: p.name)
def test_stack_compiler_reports_the_fixture_code_at_the_marked_line(folder: Path) -> None:
    """A pack tree that loads but cannot form a stack raises PolicyError on selection, located."""
    policies = PolicySet.from_directory(folder)
    municipal = [vs[0].file.pack.municipality for vs in policies.packs.values() if vs[0].file.pack.layer == "municipal"]
    domain = next(vs[0].file.pack.domain for vs in policies.packs.values() if vs[0].file.pack.layer == "national")
    day = dt.date(2024, 6, 1)
    with pytest.raises(PolicyError) as info:
        policies.select(domain, municipal[0] if municipal else None, day, day)
    expected = {(file, line, code) for file, line, code in markers(folder) if code == folder.name}
    actual = {(located(p)[0], located(p)[1], p.code) for p in info.value.problems}
    assert expected & actual, f"expected one of {sorted(expected)}, got {info.value}"


def test_too_large_file_is_refused_at_its_first_line(tmp_path: Path) -> None:
    """A policy file over the size limit is refused with POLICY_TOO_LARGE at line 1, column 1."""
    path = write_pack(tmp_path, "x", "2024-01-01")
    path.write_text(path.read_text() + "#" * MAX_POLICY_BYTES + "\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_directory(tmp_path)
    assert [Problem(f"{path}:1:1", "POLICY_TOO_LARGE", info.value.problems[0].message)] == list(info.value.problems)


def test_a_source_the_engines_own_step_cites_is_checked_at_load(policy_copy: Path) -> None:
    """A national pack without the source its lex-mitior step cites (sr_1_lid2) is refused when it
    loads, at the step's basis in the pack (the engine's steps cite what the pack states)."""
    national = policy_copy / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    text = national.read_text(encoding="utf-8")
    text = text.replace("    source: sr_1_lid2\n", "", 1)  # the purpose W5 (legal certainty) cites it too
    national.write_text(re.sub(r"(?m)^  sr_1_lid2:.*\n", "", text), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        PolicySet.from_directory(policy_copy)
    found = [(p.code, p.where.rsplit(":", 2)[0]) for p in info.value.problems if "sr_1_lid2" in p.message]
    assert [("POLICY_UNKNOWN_SOURCE", str(national))] == found


# --- the bundled packs ---------------------------------------------------------------------------


def test_bundled_packs_load_without_problems() -> None:
    """The packs in policies/ load: per domain the national packs, Lansingerland's, and the benefits packs of
    Leeuwarden, Grave, Heerenveen (two versions: 2017 and the 2025 delta) and Rotterdam."""
    packs = load_directory(POLICIES)
    assert {
        "nl-benefits": ("2013-01-01",),
        "lansingerland-benefits": ("2024-01-01",),
        "leeuwarden-benefits": ("2015-01-01",),
        "grave-benefits": ("2017-01-01",),
        "heerenveen-benefits": ("2017-01-01", "2025-04-03"),
        "rotterdam-benefits": ("2021-07-07",),
        "nl-wmo2015": ("2015-01-01",),
        "lansingerland-wmo2015": ("2024-01-01",),
        "nl-jeugdwet": ("2015-01-01",),
        "lansingerland-jeugdwet": ("2024-01-01",),
    } == {pid: tuple(v.version for v in versions) for pid, versions in packs.items()}


def test_pack_hash_is_the_sha256_of_the_file_text() -> None:
    """A loaded pack's sha256 is the hash of its UTF-8 text, so a receipt pins the exact file."""
    pack = load_directory(POLICIES)["nl-benefits"][0]
    assert hashlib.sha256(Path(pack.path).read_text(encoding="utf-8").encode()).hexdigest() == pack.sha256


def test_scenarios_folders_are_not_packs(tmp_path: Path) -> None:
    """YAML under a ``scenarios`` folder is a worked case, never loaded as a pack."""
    write_pack(tmp_path, "x", "2024-01-01")
    stray = tmp_path / "benefits" / "x" / "scenarios" / "case.yaml"
    stray.parent.mkdir()
    stray.write_text("this: is not a pack\n", encoding="utf-8")
    assert ["x"] == list(load_directory(tmp_path))


def test_missing_policy_directory_is_a_policy_error(tmp_path: Path) -> None:
    """A policy directory that does not exist raises PolicyError (not FileNotFoundError)."""
    with pytest.raises(PolicyError, match="does not exist"):
        load_directory(tmp_path / "nowhere")


def test_a_file_given_as_the_policy_directory_is_named_as_a_file(tmp_path: Path) -> None:
    """A pack file where the folder belongs: the error says it is a file, not that it is missing."""
    (tmp_path / "pack.yaml").write_text("pack: {}\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="is a file, not a folder"):
        load_directory(tmp_path / "pack.yaml")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    """Problems in several files come back together in one PolicyError."""
    write_pack(tmp_path, "x", "2024-01-01", extra="  colour: blue\n")
    write_pack(tmp_path, "y", "2024-01-01", extra="  size: large\n")
    with pytest.raises(PolicyError) as info:
        load_directory(tmp_path)
    assert ["POLICY_UNKNOWN_FIELD", "POLICY_UNKNOWN_FIELD"] == [p.code for p in info.value.problems]


def test_unknown_name_suggests_the_closest_known_one() -> None:
    """An unknown source is reported with a 'did you mean' suggestion."""
    folder = FIXTURES / "POLICY_UNKNOWN_SOURCE"
    with pytest.raises(PolicyError) as info:
        load_directory(folder)
    assert "did you mean 'wet'?" in info.value.problems[0].message


def test_load_pack_text_layers_a_municipal_pack_on_its_base() -> None:
    """A municipal pack may cite the sources and principles of its base pack."""
    national = load_directory(POLICIES)["nl-benefits"]
    text = (POLICIES / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml").read_text(encoding="utf-8")
    pack = load_pack_text(text, "lansingerland-benefits/2024-01-01.yaml", base=national)
    assert (
        "lansingerland_geen_waarschuwing_bij_opzet",
        "lansingerland_voorkeur_waarschuwing",
        "lansingerland_voorkeur_voorwaardelijke_boete",
    ) == tuple(r.rule.id for r in pack.rules)


def test_load_pack_text_without_its_base_reports_unknown_sources() -> None:
    """Without its base, a municipal pack's references to national sources are unknown."""
    text = (POLICIES / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml").read_text(encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_pack_text(text, "lansingerland-benefits/2024-01-01.yaml")
    assert "POLICY_UNKNOWN_SOURCE" in {p.code for p in info.value.problems}


def test_a_rule_is_named_by_its_id_not_by_its_index() -> None:
    """A problem inside a rule names the rule by its id, never by its 0-based position in the list."""
    text = (FIXTURES / "POLICY_DUPLICATE_ID" / "benefits" / "x" / "2024-01-01.yaml").read_text(encoding="utf-8")
    broken = text.replace("  - id: regel  # <- POLICY_DUPLICATE_ID", "  - id: tweede").replace(
        "    reason: {nl: Reden, en: Reason}\n", "    reasn: {nl: Reden, en: Reason}\n"
    )
    with pytest.raises(PolicyError) as info:
        load_pack_text(broken, "2024-01-01.yaml")
    assert [
        ("2024-01-01.yaml:14:5", "rule regel: reason: Field required"),
        ("2024-01-01.yaml:20:12", "rule regel: reasn: Extra inputs are not permitted"),
        ("2024-01-01.yaml:21:5", "rule tweede: reason: Field required"),
        ("2024-01-01.yaml:27:12", "rule tweede: reasn: Extra inputs are not permitted"),
    ] == [(p.where, p.message.split(" (did you mean")[0]) for p in info.value.problems]


def test_a_rule_without_an_id_is_named_by_its_number() -> None:
    """A rule that has no id is named by its 1-based number in the list."""
    text = (FIXTURES / "POLICY_DUPLICATE_ID" / "benefits" / "x" / "2024-01-01.yaml").read_text(encoding="utf-8")
    broken = text.replace("  - id: regel  # <- POLICY_DUPLICATE_ID\n    stage: track", "  - stage: track")
    with pytest.raises(PolicyError) as info:
        load_pack_text(broken, "2024-01-01.yaml")
    assert ["rule #2 (it has no id): id: Field required"] == [p.message for p in info.value.problems]


def test_a_rule_id_used_twice_in_one_file_names_the_first_line() -> None:
    """Two rules of one file with the same id: the second is reported, naming the line of the first."""
    with pytest.raises(PolicyError) as info:
        load_directory(FIXTURES / "POLICY_DUPLICATE_ID")
    assert ["rule id 'regel' is used twice in this file (first on line 14)"] == [p.message for p in info.value.problems]


def test_a_municipal_rule_with_a_national_rule_id_names_the_national_pack(policy_copy: Path) -> None:
    """A municipal rule that reuses a national rule id is told which national pack (and where) has it."""
    municipal = policy_copy / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    text = municipal.read_text(encoding="utf-8")
    municipal.write_text(
        text.replace("  - id: lansingerland_voorkeur_waarschuwing", "  - id: herziening_pw"), encoding="utf-8"
    )
    national = policy_copy / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    here = 1 + municipal.read_text(encoding="utf-8").splitlines().index("  - id: herziening_pw")
    there = 1 + national.read_text(encoding="utf-8").splitlines().index("  - id: herziening_pw")
    with pytest.raises(PolicyError) as info:
        load_directory(policy_copy)
    assert [
        (
            f"{municipal}:{here}:9",
            "POLICY_DUPLICATE_ID",
            f"rule id 'herziening_pw' is already a rule of the national pack nl-benefits ({national}:{there}:9); "
            "a municipal pack adds rules with ids of its own",
        )
    ] == [(p.where, p.code, p.message) for p in info.value.problems]


def test_load_pack_text_names_the_national_pack_of_a_clashing_rule_id() -> None:
    """Loading one municipal file on its base also names the national pack that has the rule id."""
    national = load_directory(POLICIES)["nl-benefits"]
    text = (POLICIES / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml").read_text(encoding="utf-8")
    clash = text.replace("  - id: lansingerland_voorkeur_waarschuwing", "  - id: herziening_pw")
    with pytest.raises(PolicyError) as info:
        load_pack_text(clash, "lansingerland-benefits/2024-01-01.yaml", base=national)
    assert [f"rule id 'herziening_pw' is already a rule of the national pack nl-benefits ({national[-1].path})"] == [
        p.message.split("; ")[0] for p in info.value.problems
    ]


# --- the located YAML loader ---------------------------------------------------------------------


def test_yaml_positions_are_one_based_line_and_column() -> None:
    """Every value's path maps to the 1-based line and column where the value starts."""
    _, positions = load_located("a:\n  b: 1\n  c:\n    - 1\n    - {d: 2}\n", "f.yaml")
    assert {
        (): (1, 1),
        ("a",): (2, 3),
        ("a", "b"): (2, 6),
        ("a", "c"): (4, 5),
        ("a", "c", 0): (4, 7),
        ("a", "c", 1): (5, 7),
        ("a", "c", 1, "d"): (5, 11),
    } == positions


def test_yaml_data_is_plain_python() -> None:
    """The loader returns plain dicts, lists and scalars (dates as dates)."""
    data, _ = load_located("a: [1, x, 2024-01-01, true]\n", "f.yaml")
    assert {"a": [1, "x", dt.date(2024, 1, 1), True]} == data


def test_position_of_falls_back_to_the_nearest_ancestor() -> None:
    """A path without a position of its own (a missing field) takes its parent's position."""
    _, positions = load_located("a:\n  b: 1\n", "f.yaml")
    assert (2, 3) == position_of(positions, ("a", "missing", 0))


def test_yaml_duplicate_key_is_refused_at_the_second_key() -> None:
    """A key that appears twice in one mapping is an error located at its second occurrence."""
    problems = yaml_problems("a: 1\nb: 2\na: 3\n")
    assert [
        Problem(
            "f.yaml:3:1",
            "POLICY_DUPLICATE_KEY",
            "the key 'a' appears twice in this mapping (first on line 1): keep one of them",
        )
    ] == problems


def test_yaml_duplicate_key_in_a_nested_mapping_is_refused() -> None:
    """Duplicate keys are refused at every depth, also in flow mappings."""
    problems = yaml_problems("a:\n  - {x: 1, x: 2}\n")
    assert ["f.yaml:2:12"] == [p.where for p in problems]


def test_yaml_aliases_are_refused() -> None:
    """Anchors with aliases are refused (no shared nodes, no billion laughs), located at the
    anchored node."""
    problems = yaml_problems("a: &x [1, 2]\nb: *x\n")
    assert [("f.yaml:1:4", "POLICY_YAML_SYNTAX")] == [(p.where, p.code) for p in problems]


def test_yaml_merge_keys_are_refused() -> None:
    """A merge key (<<) is refused where it appears."""
    problems = yaml_problems("a:\n  <<: {c: 1}\n")
    assert [("f.yaml:2:3", "POLICY_YAML_SYNTAX")] == [(p.where, p.code) for p in problems]


def test_yaml_python_tags_on_scalars_are_refused() -> None:
    """Only the safe schema is used: a tag that would construct a Python object is an error."""
    problems = yaml_problems("a: !!python/object:os.system echo\n")
    assert [("f.yaml:1:4", "POLICY_YAML_SYNTAX")] == [(p.where, p.code) for p in problems]


def test_yaml_python_tags_on_collections_are_refused() -> None:
    """A tag on a sequence or mapping is refused like one on a scalar, never silently dropped."""
    problems = yaml_problems("a: !!python/object/apply:os.system [echo]\n")
    assert ["POLICY_YAML_SYNTAX"] == [p.code for p in problems]


def test_yaml_several_documents_are_refused() -> None:
    """A policy file holds exactly one YAML document."""
    problems = yaml_problems("a: 1\n---\nb: 2\n")
    assert [("f.yaml:2:1", "POLICY_YAML_SYNTAX")] == [(p.where, p.code) for p in problems]


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each syntax-error test runs with both of PyYAML's parsers, which word their errors differently."""
    import maatwerk._policy._yaml as located_yaml

    if request.param == "pure-python":
        monkeypatch.setattr(located_yaml, "LOADER", yaml.SafeLoader)
    return str(request.param)


def syntax_error(text: str) -> tuple[str, str]:
    """The location and message of the one syntax error ``load_located`` reports for ``text``."""
    (problem,) = yaml_problems(text)
    assert "POLICY_YAML_SYNTAX" == problem.code
    return problem.where, problem.message


@pytest.mark.usefixtures("parser")
def test_yaml_a_list_item_out_of_line_is_explained_as_indentation() -> None:
    """A list item indented differently from the items above it is explained as such, at that line."""
    where, message = syntax_error("rules:\n  - id: a\n    stage: x\n   - id: b\n")
    assert "f.yaml:4:4" == where
    assert message.startswith(
        "this line is indented differently from the items above it (the list starting on line 2): "
        "list items start with '- ' at the same indentation (parser: "
    )


@pytest.mark.usefixtures("parser")
def test_yaml_a_key_out_of_line_is_explained_as_indentation() -> None:
    """A key that falls back to a column no mapping above uses is explained as indentation."""
    where, message = syntax_error("pack:\n    id: x\n  domain: y\n")
    assert "f.yaml:3:3" == where
    assert message.startswith("this line is indented differently from the keys above it (the mapping starting")


@pytest.mark.usefixtures("parser")
def test_yaml_a_list_item_among_keys_is_explained() -> None:
    """A '- ' item at the column of a mapping's keys is told to go under its key."""
    where, message = syntax_error("a: 1\n- b\n")
    assert "f.yaml:2:1" == where
    assert message.startswith("a list item stands among the keys of a mapping")


@pytest.mark.usefixtures("parser")
def test_yaml_a_tab_is_explained() -> None:
    """A tab in the indentation is named as a tab, at its position."""
    where, message = syntax_error("a:\n  b: 1\n\tc: 2\n")
    assert "f.yaml:3:1" == where
    assert message.startswith("a tab character is used here; YAML indents with spaces only")


@pytest.mark.usefixtures("parser")
def test_yaml_a_key_without_a_colon_is_explained_at_its_line() -> None:
    """A key with no ':' is located at the key's own line, not at the next line where the parser stopped."""
    where, message = syntax_error("pack:\n  id: x\n  domain benefits\n  layer: national\n")
    assert "f.yaml:3:3" == where
    assert message.startswith("line 3 has a key without ':' after it: write 'key: value' (parser: ")


@pytest.mark.usefixtures("parser")
def test_yaml_a_value_with_a_colon_is_told_to_be_quoted() -> None:
    """A value containing ': ' is told to be quoted."""
    where, message = syntax_error("publisher: tests: again\n")
    assert "f.yaml:1:17" == where
    assert message.startswith("this value contains ': ', which YAML reads as a new key: put the whole value in quotes")


@pytest.mark.usefixtures("parser")
def test_yaml_a_key_indented_too_far_is_explained() -> None:
    """A key indented further than the key above it (which has a value) is explained as indentation."""
    _, message = syntax_error("pack:\n  id: x\n    domain: y\n")
    assert message.startswith("this line is indented further than the line above it")


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize("quote", ['"', "'"])
def test_yaml_an_unclosed_quote_is_located_where_it_opens(quote: str) -> None:
    """An unclosed quote is located at the quote that opens it, not at the end of the file."""
    where, message = syntax_error(f"name: {quote}abc\nexpect: {{}}\n")
    assert "f.yaml:1:7" == where
    assert message.startswith(f"the quote {quote} opened on line 1 is never closed: end the text with {quote}")


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize(("opener", "closer"), [("{", "}"), ("[", "]")])
def test_yaml_an_unclosed_bracket_is_located_where_it_opens(opener: str, closer: str) -> None:
    """An unclosed '{' or '[' is located at the bracket that opens it."""
    where, message = syntax_error(f"case: {opener}a, b\nexpect: 1\n")
    assert "f.yaml:1:7" == where
    assert message.startswith(
        f"the {opener!r} opened on line 1 is not closed where it should be: end it with {closer!r}"
    )


@pytest.mark.usefixtures("parser")
def test_yaml_a_stray_closing_bracket_is_explained() -> None:
    """A closing bracket without an opening one is named."""
    where, message = syntax_error("a: [1, 2]]\n")
    assert ("f.yaml:1:10", True) == (where, message.startswith("there is a closing ']' here without an opening one"))


@pytest.mark.usefixtures("parser")
def test_yaml_text_after_a_quoted_value_is_told_to_be_quoted() -> None:
    """Text after a closing quote is told to go inside the quotes."""
    _, message = syntax_error('a: "x" y\n')
    assert message.startswith("there is more text after this value: put the whole value in quotes")


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize("char", ["@", "`", "%"])
def test_yaml_a_reserved_first_character_is_told_to_be_quoted(char: str) -> None:
    """A value starting with a character YAML reserves is told to be quoted, naming the character."""
    _, message = syntax_error(f"a: {char}x\n")
    assert message.startswith(f"a value cannot start with {char!r} in YAML: put the whole value in quotes")


@pytest.mark.usefixtures("parser")
def test_yaml_a_star_is_told_to_be_quoted() -> None:
    """A value starting with '*' (an alias in YAML) is told to be quoted."""
    _, message = syntax_error("a: *x\n")
    assert message.startswith("'*' at the start of a value refers to an anchor in YAML")


@pytest.mark.usefixtures("parser")
def test_yaml_a_second_document_is_explained() -> None:
    """A '---' that starts a second document is named."""
    _, message = syntax_error("a: 1\n---\nb: 2\n")
    assert message.startswith("a second YAML document starts here ('---')")


@pytest.mark.usefixtures("parser")
def test_yaml_a_tag_is_explained() -> None:
    """A tag ('!' before a value) is refused in plain words."""
    _, message = syntax_error("a: !foo x\n")
    assert message.startswith("a tag ('!' before a value) is not allowed here")


@pytest.mark.usefixtures("parser")
def test_yaml_an_unknown_escape_in_double_quotes_is_explained() -> None:
    """A backslash in double quotes that is no escape (a Windows path) is explained."""
    _, message = syntax_error('a: "C:\\q"\n')
    assert message.startswith("a backslash in double quotes starts an escape")


@pytest.mark.usefixtures("parser")
def test_yaml_the_parsers_own_words_are_kept() -> None:
    """The parser's original message follows the plain one, so nothing is lost."""
    _, message = syntax_error("a: [1, 2]]\n")
    assert re.search(r" \(parser: .+, while parsing a block mapping at line 1, column 10\)$", message)


def test_yaml_nesting_is_limited() -> None:
    """Nesting deeper than the limit is refused (a guard against hostile input)."""
    depth = MAX_DEPTH + 2
    problems = yaml_problems("a: " + "[" * depth + "]" * depth + "\n")
    assert ["POLICY_TOO_DEEP"] == [p.code for p in problems]


def test_yaml_empty_document_is_refused() -> None:
    """A file without a document is POLICY_EMPTY at 1:1."""
    problems = yaml_problems("\n# nothing\n")
    assert [("f.yaml:1:1", "POLICY_EMPTY")] == [(p.where, p.code) for p in problems]


def test_policy_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    """A policy file whose top level is a list is POLICY_INVALID_VALUE at 1:1."""
    path = tmp_path / "benefits" / "x" / "2024-01-01.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_directory(tmp_path)
    assert [(f"{path}:1:1", "POLICY_INVALID_VALUE")] == [(p.where, p.code) for p in info.value.problems]


# --- selection by date ---------------------------------------------------------------------------


def test_selection_uses_the_national_and_municipal_versions_valid_on_the_dates() -> None:
    """For conduct and decision in 2025, both stacks are nl-benefits 2013 with Lansingerland 2024."""
    sel = PolicySet.from_directory(POLICIES).select(
        "benefits", "lansingerland", dt.date(2025, 1, 1), dt.date(2025, 6, 1)
    )
    assert [("nl-benefits", "2013-01-01"), ("lansingerland-benefits", "2024-01-01")] == [
        (p.id, p.version) for p in sel.decision.packs
    ]
    assert (False, False) == (sel.changed, sel.earlier_conduct)


def test_conduct_before_the_first_version_uses_it_when_it_covers_earlier_conduct() -> None:
    """nl-benefits 2013 covers earlier conduct: conduct in 2010 selects it, flagged as earlier conduct."""
    sel = PolicySet.from_directory(POLICIES).select(
        "benefits", "lansingerland", dt.date(2010, 5, 1), dt.date(2025, 6, 1)
    )
    assert (True, "2013-01-01") == (sel.earlier_conduct, sel.conduct.packs[0].version)


def test_decision_before_the_municipal_pack_is_an_error() -> None:
    """A decision date before Lansingerland's first version (2024-01-01) has no valid municipal pack."""
    policies = PolicySet.from_directory(POLICIES)
    with pytest.raises(PolicySelectionError, match="lansingerland-benefits has no version valid on 2023-12-31"):
        policies.select("benefits", "lansingerland", dt.date(2023, 6, 1), dt.date(2023, 12, 31))


def test_unknown_municipality_is_an_error_naming_the_known_ones() -> None:
    """Asking for a municipality without a pack raises PolicySelectionError listing those that exist."""
    policies = PolicySet.from_directory(POLICIES)
    with pytest.raises(PolicySelectionError, match="known: grave, heerenveen, lansingerland, leeuwarden"):
        policies.select("benefits", "atlantis", dt.date(2025, 1, 1), dt.date(2025, 6, 1))


def test_expired_pack_is_never_used(tmp_path: Path) -> None:
    """A decision after a pack's valid_until raises PolicySelectionError: expired, not used silently."""
    write_pack(tmp_path, "x", "2024-01-01", extra="  valid_until: 2024-12-31\n")
    policies = PolicySet.from_directory(tmp_path)
    with pytest.raises(PolicySelectionError, match="version 2024-01-01 ended on 2024-12-31"):
        policies.select("benefits", None, dt.date(2024, 6, 1), dt.date(2025, 1, 1))


def test_a_case_decided_after_the_last_version_ended_names_the_pack_the_last_day_and_the_gap(tmp_path: Path) -> None:
    """The refusal says which pack, the last day its last version covers, and from when nothing applies."""
    write_pack(tmp_path, "x", "2024-01-01", extra="  valid_until: 2024-12-31\n")
    policies = PolicySet.from_directory(tmp_path)
    with pytest.raises(PolicySelectionError) as info:
        policies.select("benefits", None, dt.date(2024, 6, 1), dt.date(2025, 3, 1))
    expected = (
        "POLICY_NOT_VALID_ON_DATE",
        "x has no version valid on 2025-03-01 (decision date): version 2024-01-01 ended on 2024-12-31, the last day "
        "it covers, and no version covers 2025-01-01 or later",
    )
    assert expected == (info.value.code, info.value.message)


def test_a_case_decided_in_a_gap_between_versions_names_the_gap(tmp_path: Path) -> None:
    """A decision between an ended version and a later one is refused with the days no version covers."""
    write_pack(tmp_path, "x", "2024-01-01", extra="  valid_until: 2024-06-30\n")
    write_pack(tmp_path, "x", "2024-08-01")
    policies = PolicySet.from_directory(tmp_path)
    with pytest.raises(
        PolicySelectionError, match=r"no version covers 2024-07-01 to 2024-07-31 \(the next, 2024-08-01"
    ):
        policies.select("benefits", None, dt.date(2024, 6, 1), dt.date(2024, 7, 15))


def test_an_ended_version_still_serves_the_cases_decided_in_its_window(tmp_path: Path) -> None:
    """An ended version is history, not broken: a case decided on its last day is judged by it."""
    write_pack(tmp_path, "x", "2024-01-01", extra="  valid_until: 2024-12-31\n")
    policies = PolicySet.from_directory(tmp_path)
    assert "2024-01-01" == policies._valid_on(policies.packs["x"], dt.date(2024, 12, 31), "decision date").version


def test_conduct_before_the_first_version_is_an_error_without_covers_earlier_conduct(tmp_path: Path) -> None:
    """Conduct before the first version of a pack that does not cover earlier conduct has no pack."""
    write_pack(tmp_path, "x", "2024-01-01")
    policies = PolicySet.from_directory(tmp_path)
    with pytest.raises(PolicySelectionError, match="no version valid on 2023-12-31 \\(conduct date\\)"):
        policies.select("benefits", None, dt.date(2023, 12, 31), dt.date(2024, 6, 1))


def test_decision_before_the_first_version_is_an_error_even_when_it_covers_earlier_conduct(tmp_path: Path) -> None:
    """covers_earlier_conduct is about conduct only: a decision date still needs a valid version."""
    write_pack(tmp_path, "x", "2024-01-01", extra="  covers_earlier_conduct: true\n")
    policies = PolicySet.from_directory(tmp_path)
    with pytest.raises(PolicySelectionError, match="decision date"):
        policies.select("benefits", None, dt.date(2023, 1, 1), dt.date(2023, 6, 1))


def test_two_national_packs_are_ambiguous(tmp_path: Path) -> None:
    """Selection needs exactly one national pack per domain."""
    write_pack(tmp_path, "x", "2024-01-01")
    write_pack(tmp_path, "y", "2024-01-01")
    with pytest.raises(PolicySelectionError, match="exactly one national pack"):
        PolicySet.from_directory(tmp_path).select("benefits", None, dt.date(2024, 6, 1), dt.date(2024, 6, 1))


def test_a_later_version_takes_over_from_its_valid_from(policy_copy: Path) -> None:
    """With national versions 2013 and 2025, conduct in 2024 and a decision in 2025 select one each
    (the law changed in between)."""
    folder = policy_copy / "benefits" / "nl-benefits"
    text = (folder / "2013-01-01.yaml").read_text(encoding="utf-8")
    later = text.replace("valid_from: 2013-01-01", "valid_from: 2025-01-01", 1).replace(
        "  covers_earlier_conduct: true\n", ""
    )
    (folder / "2025-01-01.yaml").write_text(later, encoding="utf-8")
    sel = PolicySet.from_directory(policy_copy).select(
        "benefits", "lansingerland", dt.date(2024, 3, 1), dt.date(2025, 3, 1)
    )
    assert ("2013-01-01", "2025-01-01", True) == (
        sel.conduct.packs[0].version,
        sel.decision.packs[0].version,
        sel.changed,
    )


def test_selection_caches_compiled_stacks() -> None:
    """Selecting twice for the same versions returns the same compiled stack object."""
    policies = PolicySet.from_directory(POLICIES)
    first = policies.select("benefits", "lansingerland", dt.date(2025, 1, 1), dt.date(2025, 6, 1))
    second = policies.select("benefits", "lansingerland", dt.date(2024, 1, 1), dt.date(2026, 6, 1))
    assert first.decision is second.decision


def test_fixture_folders_are_self_contained() -> None:
    """Fixture folders hold only YAML pack trees (no stray files that would change what loads)."""
    stray = [p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".yaml"]
    assert [] == stray


def test_copying_the_bundled_packs_keeps_them_loadable(tmp_path: Path) -> None:
    """The bundled packs do not depend on their location (the tests copy them freely)."""
    shutil.copytree(POLICIES, tmp_path / "p")
    assert set(load_directory(POLICIES)) == set(load_directory(tmp_path / "p"))


@pytest.mark.parametrize("value", ['"NaN"', '"Infinity"', '"twelve"'])
def test_a_parameter_that_is_not_a_finite_number_is_refused(tmp_path: Path, value: str) -> None:
    """A money or percentage parameter must be a finite number: NaN and Infinity are refused, located."""
    parameters = (
        "sources:\n"
        '  wet: {citation: "Participatiewet", identifier: BWBR0015703, url: "https://wetten.overheid.nl/BWBR0015703"}\n'
        "parameters:\n"
        "  drempel:\n"
        "    unit: eur\n"
        "    date_basis: decision\n"
        "    source: wet\n"
        "    description: {nl: Drempel, en: Threshold}\n"
        f"    values: [{{from: 2024-01-01, value: {value}}}]\n"
    )
    path = write_pack(tmp_path, "x", "2024-01-01")
    path.write_text(path.read_text(encoding="utf-8") + parameters, encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_directory(tmp_path)
    assert [("POLICY_PARAMETER_TYPE", f"{path}:17:14")] == [(p.code, p.where) for p in info.value.problems]


@pytest.mark.parametrize(
    "path",
    sorted([*POLICIES.rglob("*.yaml"), *FIXTURES.rglob("*.yaml")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_the_fast_yaml_parser_reads_every_file_as_the_pure_python_one(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml's parser (used when PyYAML has it, for start-up speed) gives the same data and the
    same positions, or the same located problems, as the pure-Python parser, for every bundled and
    fixture file."""
    import maatwerk._policy._yaml as located_yaml

    text = path.read_bytes().decode("utf-8", errors="replace")  # one fixture is deliberately not UTF-8

    def outcome() -> object:
        try:
            return load_located(text, "f.yaml")
        except ValueError as err:
            return [(p.where, p.code) for p in err.args[0]]

    fast = outcome()
    monkeypatch.setattr(located_yaml, "LOADER", yaml.SafeLoader)
    assert outcome() == fast


@pytest.mark.parametrize(
    "path",
    sorted([*POLICIES.rglob("*.yaml"), *FIXTURES.rglob("*.yaml")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_the_located_data_of_every_file_is_what_pyyamls_safe_loader_makes(path: Path) -> None:
    """Strings are taken straight from their nodes (for start-up speed), every other scalar through
    PyYAML's safe constructor: for every bundled and fixture file that loads, the data is exactly what
    ``yaml.safe_load`` makes of it, of the same types."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    try:
        data, _ = load_located(text, "f.yaml")
    except ValueError:
        return  # a fixture that is refused on purpose: the test above compares its problems
    expected = yaml.safe_load(text)
    assert expected == data
    assert repr(expected) == repr(data)  # the same types too (1 and 1.0 and True compare equal)


# --- a section written once and included by several packs ------------------------------------------

INCLUDING = MINIMAL_PACK.format(id="nl-proef", layer="national", extra="", valid_from="2013-01-01") + (
    "sources: {include: ../_shared/sources.yaml}\n"
)
SHARED_SOURCES = (
    "awb_3_4: {citation: 'Awb art. 3:4', identifier: BWBR0005537, "
    "url: 'https://wetten.overheid.nl/BWBR0005537/2026-01-01#Artikel3:4'}\n"
)


def including_tree(tmp_path: Path, shared: str = SHARED_SOURCES, pack: str = INCLUDING) -> Path:
    """A policy folder with one national pack whose sources are written in ``benefits/_shared/sources.yaml``."""
    root = tmp_path / "policies"
    (root / "benefits" / "nl-proef").mkdir(parents=True)
    (root / "benefits" / "_shared").mkdir()
    (root / "benefits" / "nl-proef" / "2013-01-01.yaml").write_text(pack, encoding="utf-8")
    (root / "benefits" / "_shared" / "sources.yaml").write_text(shared, encoding="utf-8")
    return root


def load_problems(root: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(PolicyError) as info:
        load_directory(root)
    return [(p.where, p.code, p.message) for p in info.value.problems]


def test_a_section_in_a_shared_file_is_read_as_if_written_in_the_pack(tmp_path: Path) -> None:
    """``sources: {include: ../_shared/sources.yaml}`` gives the pack the shared file's sources; the shared
    folder (its name starts with ``_``) holds parts, not packs."""
    packs = load_directory(including_tree(tmp_path))
    source = packs["nl-proef"][0].file.sources["awb_3_4"].model_dump()
    assert (["nl-proef"], "Awb art. 3:4") == (list(packs), source["citation"])


def test_the_provider_packs_include_one_verdict_and_one_form() -> None:
    """The Wmo 2015 and the Jeugdwet state one verdict and one form: both packs include the same files."""
    packs = load_directory(POLICIES)
    wmo, jeugd = packs["nl-wmo2015"][0], packs["nl-jeugdwet"][0]
    assert (wmo.file.verdict, wmo.form) == (jeugd.file.verdict, jeugd.form)
    for name in ("nl-wmo2015", "nl-jeugdwet"):
        text = (POLICIES / "providers" / name / "2015-01-01.yaml").read_text(encoding="utf-8")
        assert "verdict: {include: ../_shared/providers-verdict.yaml}" in text
        assert "form: {include: ../_shared/providers-form.yaml}" in text


def test_an_included_file_that_does_not_exist_is_refused_at_the_include(tmp_path: Path) -> None:
    """A typo in the path is located at the include, with the file it probably means."""
    root = including_tree(tmp_path, pack=INCLUDING.replace("sources.yaml", "sourcse.yaml"))
    pack = root / "benefits" / "nl-proef" / "2013-01-01.yaml"
    [(where, code, message)] = load_problems(root)
    assert (f"{pack}:9", "POLICY_UNREADABLE") == (where.rsplit(":", 1)[0], code)
    assert "the included file ../_shared/sourcse.yaml does not exist (did you mean 'sources.yaml'?)" == message


def test_files_that_include_each_other_are_refused_as_a_loop(tmp_path: Path) -> None:
    """A shared file that includes one that includes it again is a loop, named file by file."""
    root = including_tree(tmp_path, shared="{include: other.yaml}\n")
    (root / "benefits" / "_shared" / "other.yaml").write_text("{include: sources.yaml}\n", encoding="utf-8")
    [(where, code, message)] = load_problems(root)
    assert (str(root / "benefits" / "_shared" / "other.yaml"), "POLICY_CYCLE") == (where.split(":")[0], code)
    assert "files include each other in a loop: sources.yaml -> other.yaml -> sources.yaml" == message


def test_an_include_outside_the_policy_folder_is_refused_even_through_a_symlink(tmp_path: Path) -> None:
    """Only files inside the policy folder are read: a path that climbs out of it, or a shared file that is a
    symlink to a file outside it, is refused before it is read."""
    (tmp_path / "outside.yaml").write_text(SHARED_SOURCES, encoding="utf-8")
    root = including_tree(tmp_path, pack=INCLUDING.replace("../_shared/sources.yaml", "../../../outside.yaml"))
    [(_, code, message)] = load_problems(root)
    assert (
        "POLICY_UNREADABLE",
        "../../../outside.yaml lies outside the policy folder: an include is not read there",
    ) == (
        code,
        message,
    )
    root = including_tree(tmp_path / "second")
    link = root / "benefits" / "_shared" / "sources.yaml"
    link.unlink()
    link.symlink_to(tmp_path / "outside.yaml")
    assert ["POLICY_UNREADABLE"] == [code for _, code, _ in load_problems(root)]


def test_a_problem_in_an_included_file_is_located_in_that_file(tmp_path: Path) -> None:
    """A mistake in the shared file is reported at its own line and column, not at the include."""
    root = including_tree(tmp_path, shared=SHARED_SOURCES + "awb_6_7: {citation: 'Awb 6:7', identifer: x}\n")
    shared = root / "benefits" / "_shared" / "sources.yaml"
    found = load_problems(root)
    assert all(where.startswith(f"{shared}:2:") for where, _, _ in found), found
    assert {"POLICY_UNKNOWN_FIELD", "POLICY_MISSING_FIELD"} <= {code for _, code, _ in found}


def test_the_packs_hash_covers_what_it_includes(policy_copy: Path) -> None:
    """A change to the shared verdict changes the hash of both provider packs (so every receipt that used
    them), while the hash of each pack's own file, which the audit snapshot checks, stays; the snapshot
    holds the shared file."""
    from maatwerk import Engine
    from maatwerk._policy.loader import pack_files

    case = __import__("json").loads((ROOT / "examples" / "05-wmo-structureel-kwetsbaar.json").read_text("utf-8"))
    before = load_directory(policy_copy)
    receipt = Engine(policy_copy).advise(case).receipt
    shared = policy_copy / "providers" / "_shared" / "providers-verdict.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + "# a comment changes the text, and so the hash\n")
    after = load_directory(policy_copy)
    for name in ("nl-wmo2015", "nl-jeugdwet"):
        old, new = before[name][0], after[name][0]
        assert (False, True) == (old.sha256 == new.sha256, old.file_sha256 == new.file_sha256)
        assert hashlib.sha256((policy_copy / old.path).read_bytes()).hexdigest() == new.file_sha256
    assert receipt != Engine(policy_copy).advise(case).receipt
    assert shared in pack_files(policy_copy)
