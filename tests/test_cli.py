# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The command line: a thin layer with distinct exit codes and clear, located errors."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from maatwerk.cli import EXIT_CASE, EXIT_ENGINE, EXIT_OK, EXIT_POLICY, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "01-inkomsten-normaal.json"


def test_advise_prints_the_advice_as_json_with_the_recommended_fine(capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk advise --format json` prints the advice; 50% of €2.480 is €1.240, capped at what the
    person can pay: 12 × 5% of the norm of €1.401,50 = €840,90."""
    assert main(["advise", str(EXAMPLE), "--format", "json"]) == EXIT_OK
    advice = json.loads(capsys.readouterr().out)
    assert advice["measure"]["kind"] == "boete"
    assert advice["measure"]["amount"] == "840.90"


def test_advise_text_is_dutch_by_default_and_english_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    """The text rendering follows --lang."""
    assert main(["advise", str(EXAMPLE)]) == EXIT_OK
    assert "Geadviseerde maatregel: boete € 840,90" in capsys.readouterr().out
    assert main(["advise", str(EXAMPLE), "--lang", "en"]) == EXIT_OK
    assert "Recommended measure: boete € 840,90" in capsys.readouterr().out


def test_an_invalid_case_exits_3_with_every_located_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A case with a fraction of a cent and an unknown field gives exit code 3 and names both fields."""
    case = json.loads(EXAMPLE.read_text())
    case["benefit_loss"]["net"] = "12.555"
    case["hobby"] = "x"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    assert main(["advise", str(path), "--format", "json"]) == EXIT_CASE
    error = json.loads(capsys.readouterr().out)["error"]
    where = {p["where"]: p["code"] for p in error["problems"]}
    assert where["hobby"] == "CASE_UNKNOWN_FIELD"
    assert where["benefit_loss.net"] == "CASE_INVALID_VALUE"


def test_a_protected_characteristic_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A nested postcode is refused with PROTECTED_CHARACTERISTIC, not silently ignored."""
    case = json.loads(EXAMPLE.read_text())
    case["circumstances"]["postcode"] = "2651 AB"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    assert main(["advise", str(path)]) == EXIT_CASE
    assert "circumstances.postcode: PROTECTED_CHARACTERISTIC" in capsys.readouterr().err


def test_unreadable_json_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Text that is not JSON is a case error, not a crash."""
    path = tmp_path / "case.json"
    path.write_text("{not json")
    assert main(["advise", str(path)]) == EXIT_CASE
    assert "CASE_JSON" in capsys.readouterr().err


def test_a_broken_policy_folder_exits_4_with_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`maatwerk check` reports a broken pack as file:line:col: CODE and exits 4."""
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target, ignore=shutil.ignore_patterns("scenarios"))
    pack = target / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    pack.write_text(pack.read_text().replace("stage: warning", "stage: warnign", 1))
    assert main(["check", str(target)]) == EXIT_POLICY
    err = capsys.readouterr().err
    assert f"{pack}:" in err
    assert "POLICY_INVALID_VALUE" in err


def test_check_passes_on_the_bundled_packs(capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled packs compile into valid stacks; the one warning is Grave's lapsed policy (history)."""
    assert main(["check", str(ROOT / "policies")]) == EXIT_OK
    assert "0 error(s), 1 warning(s)" in capsys.readouterr().out


def test_a_case_outside_every_pack_version_exits_5(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A decision date before the municipal pack starts is an error, never a silent fallback."""
    case = json.loads(EXAMPLE.read_text())
    case["decision_date"] = "2023-06-01"
    case["violation"]["period"] = {"start": "2022-01-01", "end": "2022-02-01"}
    case["violation"]["information_due"] = "2022-01-08"
    case["violation"]["detected_on"] = "2023-01-01"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    assert main(["advise", str(path)]) == EXIT_ENGINE
    assert "POLICY_NOT_VALID_ON_DATE" in capsys.readouterr().err


def test_schema_prints_the_case_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk schema case` prints a JSON Schema of both kinds of case, each forbidding unknown fields."""
    assert main(["schema", "case"]) == EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["anyOf"] == [{"$ref": "#/$defs/BenefitCase"}, {"$ref": "#/$defs/ProviderCase"}]
    benefit, provider = doc["$defs"]["BenefitCase"], doc["$defs"]["ProviderCase"]
    assert (benefit["additionalProperties"], provider["additionalProperties"]) == (False, False)
    assert "benefit_loss" in benefit["properties"]
    assert provider["properties"]["domain"] == {"const": "providers", "title": "Domain", "type": "string"}


def test_usage_errors_exit_2() -> None:
    """An unknown command is a usage error."""
    assert main(["frobnicate"]) == EXIT_USAGE


def test_demo_advises_on_every_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    """`maatwerk demo` prints an advice per example case."""
    assert main(["demo"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.count("##### ") == len(list((ROOT / "examples").glob("*.json")))


@pytest.mark.parametrize(
    "command", [["advise", str(EXAMPLE)], ["diff", str(ROOT / "policies"), str(ROOT / "policies"), "--generate", "5"]]
)
def test_a_municipality_without_a_pack_exits_5_before_any_advice(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`--municipality` with a name no pack has (a typo) is refused at once, naming the ones that have
    packs, instead of a run in which every case is refused."""
    assert main([*command, "--municipality", "lansingeland"]) == EXIT_ENGINE
    assert "no pack for municipality 'lansingeland'" in capsys.readouterr().err


def test_version_prints_the_release_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """``maatwerk --version`` prints ``maatwerk`` and the package's version."""
    from maatwerk import __version__

    assert EXIT_OK == main(["--version"])
    assert f"maatwerk {__version__}\n" == capsys.readouterr().out


def test_a_closed_pipe_ends_quietly_with_the_sigpipe_status() -> None:
    """``maatwerk advise ... | head``: when the reader has gone, the command ends without a traceback,
    with the status a shell reports for SIGPIPE (141)."""
    import subprocess
    import sys

    from maatwerk.cli import EXIT_BROKEN_PIPE

    case = ROOT / "examples" / "01-inkomsten-normaal.json"
    command = [sys.executable, "-m", "maatwerk", "advise", str(case), "--evaluator", "reference"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()  # the reader is gone before the first line is written
        stderr = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    assert (141, "") == (code, stderr)
    assert 141 == EXIT_BROKEN_PIPE


def test_a_json_float_amount_is_refused_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``maatwerk advise -`` refuses ``"net": 2480.5`` with exit 3 and the located problem, as the library does."""
    import io
    import sys

    text = (ROOT / "examples" / "01-inkomsten-normaal.json").read_text(encoding="utf-8")
    case = json.loads(text)
    case["benefit_loss"]["net"] = "@"
    body = json.dumps(case).replace('"@"', "2480.5")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body.encode())))
    assert EXIT_CASE == main(["advise", "-", "--format", "json", "--evaluator", "reference"])
    problems = json.loads(capsys.readouterr().out)["error"]["problems"]
    assert [("benefit_loss.net", "CASE_INVALID_VALUE")] == [(p["where"], p["code"]) for p in problems]
