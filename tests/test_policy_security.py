# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Policy files are data, never code: one test per attack on a real pack folder, with both YAML
parsers (libyaml's and the pure-Python one), showing the attack is refused with a located problem
and nothing it asked for happened."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from conftest import valid_case

from maatwerk import Engine, PolicyError
from maatwerk._policy import _yaml
from maatwerk.audit import AuditError, PolicySnapshot
from maatwerk.cli import main

MUNICIPAL = Path("benefits/lansingerland-benefits/2024-01-01.yaml")


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each attack is tried with libyaml's parser and with PyYAML's pure-Python one."""
    if request.param == "python":
        monkeypatch.setattr(_yaml, "LOADER", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    return str(request.param)


def attack(folder: Path, text: str) -> tuple[Path, int]:
    """Append ``text`` at the top level of the municipal pack; returns the file and the line it starts on."""
    path = folder / MUNICIPAL
    original = path.read_text(encoding="utf-8")
    line = original.count("\n") + 1
    path.write_text(original + text, encoding="utf-8")
    return path, line


def refused(folder: Path) -> list[tuple[str, str]]:
    """The located problems (file:line, code) of loading ``folder`` as an engine would."""
    with pytest.raises(PolicyError) as info:
        Engine(folder)
    return [(p.where.rsplit(":", 1)[0], p.code) for p in info.value.problems]


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize(
    "payload",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        "!!python/object/apply:subprocess.check_call [[touch, {marker}]]",
        '!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
        "!!python/object:builtins.dict {{a: 1}}",
        '!!python/name:os.system ""',
        '!!python/module:os ""',
        "!local_tag {{cmd: touch {marker}}}",
        '!local_tag "touch {marker}"',
    ],
    ids=["apply-os.system", "apply-check_call", "new-Popen", "object", "name", "module", "local-map", "local-scalar"],
)
def test_a_tag_that_would_build_a_python_object_is_refused_and_runs_nothing(
    policy_copy: Path, tmp_path: Path, payload: str
) -> None:
    """Only YAML's safe schema is used: a python/* or local tag in a pack is refused where it
    stands, and the command it names never runs."""
    marker = tmp_path / "pwned"
    path, line = attack(policy_copy, "x_attack: " + payload.format(marker=marker) + "\n")
    assert [(f"{path}:{line}", "POLICY_YAML_SYNTAX")] == refused(policy_copy)
    assert not marker.exists()


@pytest.mark.usefixtures("parser")
def test_a_billion_laughs_is_refused_at_its_first_alias_without_expanding(policy_copy: Path) -> None:
    """Anchors and aliases are refused outright, so an exponential expansion never starts."""
    lines = ['x_lol0: &l0 ["lol"]']
    lines += [f"x_lol{i}: &l{i} [{', '.join(f'*l{i - 1}' for _ in range(10))}]" for i in range(1, 12)]
    path, line = attack(policy_copy, "\n".join(lines) + "\n")
    assert [(f"{path}:{line}", "POLICY_YAML_SYNTAX")] == refused(policy_copy)


@pytest.mark.usefixtures("parser")
def test_a_second_rules_key_cannot_silently_replace_the_first(policy_copy: Path) -> None:
    """A top-level key given twice (here: a second ``rules`` that would drop every rule before it) is
    refused at its second occurrence, never resolved to the last value."""
    path, line = attack(policy_copy, "rules: []\n")
    assert [(f"{path}:{line}", "POLICY_DUPLICATE_KEY")] == refused(policy_copy)


@pytest.mark.usefixtures("parser")
def test_a_merge_key_cannot_pull_in_values_from_elsewhere(policy_copy: Path) -> None:
    """``<<`` merge keys are refused."""
    path, line = attack(policy_copy, "x_merge:\n  <<: {a: 1}\n")
    assert [(f"{path}:{line + 1}", "POLICY_YAML_SYNTAX")] == refused(policy_copy)


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize("depth", [60, 200_000])
def test_deep_nesting_is_refused_by_either_parser_without_a_recursion_error(policy_copy: Path, depth: int) -> None:
    """Nesting far past the limit is a located refusal (POLICY_TOO_DEEP, or libyaml's own depth
    limit), never a RecursionError or a crash."""
    path, _ = attack(policy_copy, "x_deep: " + "[" * depth + "]" * depth + "\n")
    [(where, code)] = refused(policy_copy)
    assert (True, True) == (where.startswith(f"{path}:"), code in {"POLICY_TOO_DEEP", "POLICY_YAML_SYNTAX"})


def test_an_oversized_file_is_refused_before_it_is_read(policy_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack file over the size limit (here a sparse file of 64 MB) is refused by its size alone:
    its content is never read into memory."""
    path = policy_copy / MUNICIPAL
    with path.open("r+b") as fh:
        fh.truncate(64 * 1024 * 1024)
    read = Path.read_text

    def guarded(self: Path, *args: object, **kwargs: object) -> str:
        assert self != path, "the oversized file was read"
        return read(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", guarded)
    assert [(f"{path}:1", "POLICY_TOO_LARGE")] == refused(policy_copy)


def test_a_file_that_is_not_utf8_is_refused_as_unreadable(policy_copy: Path) -> None:
    """Bytes that are not UTF-8 are a located POLICY_UNREADABLE, not a decoding crash."""
    path = policy_copy / MUNICIPAL
    path.write_bytes(path.read_bytes() + b"\nx: \xff\xfe\n")
    assert [(f"{path}:1", "POLICY_UNREADABLE")] == refused(policy_copy)


def test_maatwerk_check_reports_an_attack_with_exit_4(policy_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk check` refuses the same pack with exit code 4 and the located problem."""
    path, line = attack(policy_copy, 'x_attack: !!python/object/apply:os.system ["true"]\n')
    assert 4 == main(["check", str(policy_copy)])
    assert f"{path}:{line}:" in capsys.readouterr().err


def test_a_rejected_reload_leaves_the_engine_on_its_safe_packs(policy_copy: Path) -> None:
    """An attack dropped into a live engine's folder is refused by reload(); advice goes on as before."""
    engine = Engine(policy_copy)
    before = engine.advise(valid_case())
    attack(policy_copy, 'x_attack: !!python/object/apply:os.system ["true"]\n')
    with pytest.raises(PolicyError):
        engine.reload()
    assert before == engine.advise(valid_case())


@pytest.mark.parametrize("name", ["../escaped.yaml", "benefits/../../escaped.yaml", "/tmp/escaped-maatwerk.yaml"])
def test_replay_never_writes_a_stored_policy_file_outside_its_folder(tmp_path: Path, name: str) -> None:
    """A policy set in the audit store whose file names climb out of the replay folder is refused
    before any file is written there."""
    root = tmp_path / "replay"
    root.mkdir()
    snapshot = PolicySnapshot({name: "pack: {}\n"}, None)
    with pytest.raises(AuditError):
        snapshot.write_to(root)
    assert (False, False) == ((tmp_path / "escaped.yaml").exists(), os.path.exists("/tmp/escaped-maatwerk.yaml"))


def test_a_pack_that_is_a_symlink_to_dev_zero_is_refused_before_it_is_read(policy_copy: Path) -> None:
    """A pack file that is a link to ``/dev/zero`` (size 0, endless content) is a located
    POLICY_UNREADABLE at once; it never exhausts memory."""
    path = policy_copy / MUNICIPAL
    path.unlink()
    path.symlink_to("/dev/zero")
    assert [(f"{path}:1", "POLICY_UNREADABLE")] == refused(policy_copy)


def test_a_pack_that_is_a_fifo_is_refused_without_hanging(policy_copy: Path) -> None:
    """A FIFO named like a pack file is refused as POLICY_UNREADABLE; opening it does not wait for a writer."""
    path = policy_copy / MUNICIPAL
    path.unlink()
    os.mkfifo(path)
    assert [(f"{path}:1", "POLICY_UNREADABLE")] == refused(policy_copy)


def test_a_symlink_out_of_the_policy_folder_is_refused(policy_copy: Path, tmp_path: Path) -> None:
    """A pack file that links to a file outside the policy folder (here a valid copy of the same
    pack) is refused: the folder is what a policy team reviews, and only its own files are read."""
    path = policy_copy / MUNICIPAL
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    problems = refused(policy_copy)
    assert [(f"{path}:1", "POLICY_UNREADABLE")] == problems


def test_a_symlink_inside_the_policy_folder_is_read(policy_copy: Path) -> None:
    """A link to a file inside the policy folder is an ordinary pack file: the engine loads it."""
    path = policy_copy / MUNICIPAL
    kept = policy_copy / "benefits" / "lansingerland-benefits" / "shared.txt"
    kept.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(kept)
    assert "lansingerland-benefits" in Engine(policy_copy).policies.packs
