# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Hostile input into the library, the CLI and the service: every input gets an advice or a located
validation error with a stable code; nothing crashes, hangs or takes the process down.

The library and the CLI run in a long-lived child process (tests/isolation.py), so a segfault in
durable-rules' C core fails the test with the signal and the input instead of killing pytest; the
service runs as ``maatwerk serve`` in a child process. Inputs come from tests/hostile.py.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import valid_case
from hostile import CANARY, CASE_PROBLEM_CODES, hostile_inputs, render, to_bytes
from http_support import ServeProcess
from hypothesis import given, settings
from isolation import ChildDied, ChildHung, Isolated

#: Errors a hostile case may get besides an advice: invalid (located), or outside every pack's dates.
VALIDATION_ERRORS = {"CaseError": "CASE_INVALID", "PolicySelectionError": "POLICY_NOT_VALID_ON_DATE"}


@pytest.fixture(scope="module")
def child() -> Iterator[Isolated]:
    isolated = Isolated()
    yield isolated
    isolated.close()


def assert_advice_or_located_error(answer: dict[str, Any]) -> None:
    """The outcome every input must have: an advice, or a validation error with a stable code whose
    problems are each located and coded, and whose text repeats no value of the case."""
    if answer["outcome"] == "advice":
        return
    assert "error" == answer["outcome"], answer.get("text", answer)
    assert answer["type"] in VALIDATION_ERRORS, answer["text"]
    assert VALIDATION_ERRORS[answer["type"]] == answer["code"]
    if answer["type"] == "CaseError":
        assert answer["problems"], answer["text"]
        for where, code, message in answer["problems"]:
            assert (True, True, True) == (bool(where), code in CASE_PROBLEM_CODES, bool(message)), answer["problems"]
    assert CANARY not in answer["text"]


# --- the harness itself ----------------------------------------------------------------------------


def test_a_crash_in_the_child_is_reported_with_its_signal_and_the_child_restarts() -> None:
    """The isolation catches a segfault: the test sees ChildDied naming SIGSEGV, and the next input
    is handled by a fresh child."""
    isolated = Isolated()
    try:
        with pytest.raises(ChildDied, match="SIGSEGV"):
            isolated.ask({"op": "segfault"}, b"")
        answer = isolated.ask({"op": "advise"}, to_bytes(render(valid_case())))
    finally:
        isolated.close()
    assert (1, "advice") == (isolated.deaths, answer["outcome"])


def test_a_hang_in_the_child_is_reported_and_the_child_replaced() -> None:
    """An input the child does not answer within the hang guard fails with ChildHung."""
    isolated = Isolated(hang_guard=1.0)
    try:
        with pytest.raises(ChildHung):
            isolated.ask({"op": "sleep", "seconds": 30}, b"")
        answer = isolated.ask({"op": "advise"}, to_bytes(render(valid_case())))
    finally:
        isolated.close()
    assert "advice" == answer["outcome"]


# --- the library -----------------------------------------------------------------------------------


@settings(max_examples=250)
@given(data=hostile_inputs())
def test_library_gives_an_advice_or_a_located_error_for_any_bytes(child: Isolated, data: bytes) -> None:
    """Engine.advise on raw bytes: an advice or a located CaseError, never a crash or a hang."""
    assert_advice_or_located_error(child.ask({"op": "advise", "as": "bytes"}, data))


@settings(max_examples=100)
@given(data=hostile_inputs())
def test_library_gives_an_advice_or_a_located_error_for_any_text(child: Isolated, data: bytes) -> None:
    """Engine.advise on the same input as text (lone surrogates kept): the same guarantee."""
    assert_advice_or_located_error(child.ask({"op": "advise", "as": "text"}, data))


@pytest.mark.parametrize(
    ("replace", "by", "code"),
    [
        ('"2480.00"', "1E+20", "CASE_INVALID_VALUE"),
        ('"2480.00"', "NaN", "CASE_JSON"),
        ('"2480.00"', '"1_000"', "CASE_INVALID_VALUE"),
        ('"2480.00"', '"\uff11\uff12\uff13"', "CASE_INVALID_VALUE"),
        ('"established": true', '"established": "yes"', "CASE_INVALID_VALUE"),
        ('"established": true', '"established": 1', "CASE_INVALID_VALUE"),
        ('"decision_date": "2026-03-02"', '"decision_date": 1772409600', "CASE_INVALID_VALUE"),
        ('"decision_date": "2026-03-02"', '"decision_date": "2026-03-02T00:00:00"', "CASE_INVALID_VALUE"),
        ('"2025-07-31"', '"9999-12-31"', "CASE_INVALID_VALUE"),
        ('"law": "participatiewet"', '"law": "participatiewet", "law": "ioaw"', "CASE_DUPLICATE_KEY"),
    ],
)
def test_values_json_would_coerce_are_refused_not_guessed(child: Isolated, replace: str, by: str, code: str) -> None:
    """A value of the wrong JSON type or form is a located error, never read as something else: no
    "yes" or 1 as true, no timestamp or date-time as a date, no "1_000" or full-width digits as an
    amount, no exponent, no date past the calendar's arithmetic, no key silently given twice."""
    text = json.dumps(valid_case())
    assert replace in text
    answer = child.ask({"op": "advise", "as": "bytes"}, text.replace(replace, by, 1).encode())
    assert ("error", code) == (answer["outcome"], answer["problems"][0][1] if answer.get("problems") else None)


# --- the CLI ---------------------------------------------------------------------------------------


@settings(max_examples=60)
@given(data=hostile_inputs())
def test_cli_exits_with_a_code_and_a_json_answer_for_any_file(child: Isolated, data: bytes) -> None:
    """`maatwerk advise FILE --format json` on any file: exit 0 with an advice, or 3 / 5 with the
    error as JSON on stdout; never an exception out of the CLI."""
    answer = child.ask({"op": "cli"}, data)
    assert "exit" == answer["outcome"], answer.get("text")
    out = json.loads(answer["stdout"])
    if answer["code"] == 0:
        assert {"measure", "receipt"} <= set(out)
    else:
        assert (answer["code"], out["error"]["code"]) in {(3, "CASE_INVALID"), (5, "POLICY_NOT_VALID_ON_DATE")}
        assert all(p["where"] and p["code"] in CASE_PROBLEM_CODES for p in out["error"]["problems"])
        assert CANARY not in answer["stdout"] + answer["stderr"]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe not utf-8",
        b'{"law": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
        b"[" + b"1," * 600_000 + b"1]",
        json.dumps(valid_case()).replace('"2480.00"', "1e400").encode(),
    ],
    ids=["invalid-utf8", "deep-nesting", "over-the-size-limit", "exponent-number"],
)
def test_the_cli_process_refuses_hostile_input_on_stdin_with_exit_3(data: bytes) -> None:
    """The real `maatwerk advise -` process, fed from stdin: exit 3 and a JSON error, no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "maatwerk", "advise", "-", "--format", "json"],
        input=data,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert (3, "CASE_INVALID", b"") == (
        result.returncode,
        json.loads(result.stdout)["error"]["code"],
        result.stderr,
    )


# --- the service -----------------------------------------------------------------------------------

V1 = "/api/v1"
#: The answers the service may give to a case, by status: the stable codes of its problems.
SERVICE_STATUSES = {
    200: set(),
    400: {"CASE_INVALID"},
    413: {"CASE_TOO_LARGE", "BODY_TOO_LARGE"},
    422: {"POLICY_NOT_VALID_ON_DATE"},
}


def post(service: ServeProcess, path: str, body: bytes) -> tuple[int, str, bytes]:
    """POST ``body`` as it is; a service that has ended is reported as a death, with its log."""
    if service.proc.poll() is not None:
        raise ChildDied(f"maatwerk serve ended ({service.proc.returncode}):\n{service.log()[-3000:]!r}")
    answer = service.call("POST", path, raw=body)
    return answer.status, answer.headers.get("content-type", ""), answer.body


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    service = ServeProcess(tmp_path_factory.mktemp("hostile-service"))
    yield service
    service.stop()


def assert_service_answer(status: int, ctype: str, body: bytes) -> None:
    assert status in SERVICE_STATUSES, (status, body[:500])
    if status == 200:
        assert "receipt" in json.loads(body)
        return
    problem = json.loads(body)
    assert ("application/problem+json", True) == (ctype, problem["code"] in SERVICE_STATUSES[status])
    assert all(p["name"] and p["code"] in CASE_PROBLEM_CODES for p in problem.get("invalidParams", []))
    assert CANARY not in body.decode("utf-8", errors="replace")


@settings(max_examples=120)
@given(data=hostile_inputs())
def test_service_answers_any_advice_body_with_an_advice_or_a_problem(served: ServeProcess, data: bytes) -> None:
    """POST /api/v1/advices with any body: 200 with an advice, or a problem (400, 413, 422) with a
    stable code and located problems; the service keeps running."""
    assert_service_answer(*post(served, f"{V1}/advices", data))


@settings(max_examples=40)
@given(data=hostile_inputs())
def test_service_answers_any_case_inside_a_decision_with_a_problem(served: ServeProcess, data: bytes) -> None:
    """A hostile case inside POST /api/v1/decisions is refused with a problem and never recorded."""
    body = b'{"case": ' + data + b', "receipt": "' + b"0" * 64 + b'", "decision": {"measure": "boete"}}'
    status, ctype, answer = post(served, f"{V1}/decisions", body)
    assert status in {400, 409, 413, 422}, (status, answer[:500])
    assert "application/problem+json" == ctype
