# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The service's JSON API over real HTTP on loopback: advice, decisions, read-back, errors and limits."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import structlog
from conftest import valid_case
from http_support import Answer, call, running

from maatwerk import Engine
from maatwerk.cli import schema
from maatwerk.http import API_VERSION, Service, Settings

V1 = "/api/v1"


@pytest.fixture(scope="module")
def service(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running(engine, tmp_path_factory.mktemp("service") / "audit.sqlite", request_timeout=1.0) as server:
        yield server


def is_problem(answer: Answer, status: int, code: str) -> bool:
    """An RFC 9457 problem with the status, a stable code, the version header and no trace."""
    body = answer.json
    return (
        answer.status == status
        and answer.headers["content-type"] == "application/problem+json"
        and answer.headers["api-version"] == API_VERSION
        and body["status"] == status
        and body["code"] == code
        and {"type", "title", "detail"} <= set(body)
        and "Traceback" not in answer.body.decode()
    )


def decide(server: Service, case: dict[str, Any], **decision: Any) -> tuple[Answer, dict[str, Any]]:
    advice = call(server, "POST", f"{V1}/advices", case).json
    chosen = {"measure": advice["measure"]["kind"], "amount": advice["measure"]["amount"]}
    chosen.update(decision)
    return call(
        server, "POST", f"{V1}/decisions", {"case": case, "receipt": advice["receipt"], "decision": chosen}
    ), advice


# --- the service -----------------------------------------------------------------------------------


DEPARTURE = {
    "measure": "geen_boete",
    "amount": None,
    "reason_category": "draagkracht",
    "reason": "Zij kan een boete nu niet dragen.",
}


def test_a_decision_posted_again_with_its_idempotency_key_is_recorded_once(service: Service) -> None:
    """The idempotency key travels in the decision: the retry answers 201 with the first record's
    number; the same key with another decision is a conflict (409) and records nothing."""
    key = f"http-retry-{id(service)}"
    first, _ = decide(service, valid_case(), idempotency_key=key)
    again, _ = decide(service, valid_case(), idempotency_key=key)
    other, _ = decide(service, valid_case(), idempotency_key=key, **DEPARTURE)
    assert (201, 201, (first.json["number"], first.json["hash"])) == (
        first.status,
        again.status,
        (again.json["number"], again.json["hash"]),
    )
    assert is_problem(other, 409, "DECISION_IDEMPOTENCY_CONFLICT")


def decide_with_header(server: Service, key: str, **decision: Any) -> Answer:
    case = valid_case()
    advice = call(server, "POST", f"{V1}/advices", case).json
    chosen = {"measure": advice["measure"]["kind"], "amount": advice["measure"]["amount"], **decision}
    body = {"case": case, "receipt": advice["receipt"], "decision": chosen}
    return call(server, "POST", f"{V1}/decisions", body, headers={"Idempotency-Key": key})


def test_the_idempotency_key_may_come_in_the_idempotency_key_header(service: Service) -> None:
    """``Idempotency-Key: K`` works as decision.idempotency_key K: a retry gives the first record, another
    decision under K is 409, and a body key that differs from the header is a located 400."""
    key = f"header-{id(service)}"
    first = decide_with_header(service, key)
    again = decide_with_header(service, key)
    other = decide_with_header(service, key, **DEPARTURE)
    mismatch = decide_with_header(service, key, idempotency_key="another-key")
    assert (201, 201, first.json["number"]) == (first.status, again.status, again.json["number"])
    assert is_problem(other, 409, "DECISION_IDEMPOTENCY_CONFLICT")
    assert is_problem(mismatch, 400, "IDEMPOTENCY_KEY_MISMATCH")
    assert ["header:Idempotency-Key"] == [p["name"] for p in mismatch.json["invalidParams"]]


def test_health_answers_ok_with_the_full_version_in_a_header(service: Service) -> None:
    """GET /api/v1/health is 200 with status ok and the API-Version header (NL API Design Rules)."""
    answer = call(service, "GET", f"{V1}/health")
    assert (200, "ok", API_VERSION) == (answer.status, answer.json["status"], answer.headers["api-version"])


def test_the_base_path_answers_with_the_version(service: Service) -> None:
    """A request to the base URL gives a response with the API-Version header."""
    answer = call(service, "GET", V1)
    assert (200, API_VERSION) == (answer.status, answer.headers["api-version"])


def test_openapi_is_public_json_readable_from_any_origin(service: Service) -> None:
    """The OpenAPI document is served at /api/v1/openapi.json with CORS open to all origins."""
    answer = call(service, "GET", f"{V1}/openapi.json")
    assert (200, "3.1.0", "*") == (answer.status, answer.json["openapi"], answer.headers["access-control-allow-origin"])


def test_the_server_does_not_name_its_implementation(service: Service) -> None:
    """The Service header names maatwerk, not the Python version (hide implementation details)."""
    assert "maatwerk" == call(service, "GET", f"{V1}/health").headers["server"]


def test_schemas_are_the_ones_the_cli_prints(service: Service) -> None:
    """GET /schemas/case gives the same JSON Schema as `maatwerk schema case`."""
    assert schema("case") == call(service, "GET", f"{V1}/schemas/case").json


def test_an_unknown_schema_kind_is_a_located_400(service: Service) -> None:
    """An unknown kind is a 400 problem naming the parameter."""
    answer = call(service, "GET", f"{V1}/schemas/person")
    assert is_problem(answer, 400, "SCHEMA_UNKNOWN")
    assert ["kind"] == [p["name"] for p in answer.json["invalidParams"]]


def test_packs_lists_the_versions_and_hashes_in_use(service: Service, engine: Engine) -> None:
    """GET /packs lists every pack version with its SHA-256, and the municipality."""
    data = call(service, "GET", f"{V1}/packs").json
    expected = sorted((v.id, v.version, v.sha256) for vs in engine.policies.packs.values() for v in vs)
    assert ("lansingerland", expected) == (
        data["municipality"],
        sorted((p["id"], p["version"], p["sha256"]) for p in data["packs"]),
    )


def test_packs_names_each_measure_in_words_per_domain(service: Service) -> None:
    """GET /packs gives the national packs' names of the measures, so a page never shows an identifier."""
    measures = call(service, "GET", f"{V1}/packs").json["measures"]
    assert (
        {"nl": "Schriftelijke waarschuwing", "en": "Written warning"},
        {"nl": "Aanwijzing", "en": "Instruction (aanwijzing)"},
    ) == (measures["benefits"]["waarschuwing"], measures["providers"]["aanwijzing"])


def test_packs_names_each_purpose_and_principle_of_a_pack(service: Service, engine: Engine) -> None:
    """Each pack version in GET /packs carries its purposes or principles with their names in words."""
    packs = call(service, "GET", f"{V1}/packs").json["packs"]
    national = next(p for p in packs if p["id"] == "nl-benefits")
    expected = engine.policies.packs["nl-benefits"][-1].file.principles["W1"].label.nl
    assert expected == national["principles"]["W1"]["nl"]


# --- advice ----------------------------------------------------------------------------------------


def test_advice_over_http_is_the_library_advice(service: Service, engine: Engine) -> None:
    """POST /advices returns exactly the advice the library gives, receipt included, byte for byte
    the JSON of the model (the service writes it from the advice's plain data)."""
    answer = call(service, "POST", f"{V1}/advices", valid_case())
    expected = engine.advise(valid_case()).model_dump_json().encode("utf-8")
    assert (200, expected) == (answer.status, answer.body)


def test_an_invalid_case_is_a_400_problem_locating_every_field(service: Service) -> None:
    """A fraction of a cent and an unknown field give one problem each, with location and code."""
    case = valid_case()
    case["benefit_loss"]["net"] = "12.555"
    case["hobby"] = "x"
    answer = call(service, "POST", f"{V1}/advices", case)
    assert is_problem(answer, 400, "CASE_INVALID")
    assert {("benefit_loss.net", "CASE_INVALID_VALUE"), ("hobby", "CASE_UNKNOWN_FIELD")} == {
        (p["name"], p["code"]) for p in answer.json["invalidParams"]
    }


def test_a_json_float_amount_is_refused_over_http(service: Service) -> None:
    """``"net": 2480.5`` (a JSON number, not a string) is a located 400, as it is from a dict: floats round."""
    body = json.dumps(valid_case()).replace('"net": "2480.00"', '"net": 2480.5')
    assert '"net": 2480.5' in body
    answer = call(service, "POST", f"{V1}/advices", raw=body.encode())
    assert is_problem(answer, 400, "CASE_INVALID")
    assert [("benefit_loss.net", "CASE_INVALID_VALUE")] == [
        (p["name"], p["code"]) for p in answer.json["invalidParams"]
    ]


def test_a_protected_characteristic_is_refused_over_http(service: Service) -> None:
    """A postcode anywhere in the case is a 400 PROTECTED_CHARACTERISTIC with its path."""
    case = valid_case()
    case["finances"]["postcode"] = "2651"
    answer = call(service, "POST", f"{V1}/advices", case)
    assert [("finances.postcode", "PROTECTED_CHARACTERISTIC")] == [
        (p["name"], p["code"]) for p in answer.json["invalidParams"]
    ]


def test_a_case_outside_every_pack_version_is_422(service: Service) -> None:
    """A valid case that no pack version covers is 422, never a silent fallback."""
    case = valid_case()
    case["decision_date"] = "2023-06-01"
    case["violation"].update(
        period={"start": "2022-01-01", "end": "2022-02-01"}, information_due="2022-01-08", detected_on="2023-01-01"
    )
    assert is_problem(call(service, "POST", f"{V1}/advices", case), 422, "POLICY_NOT_VALID_ON_DATE")


def test_a_body_that_is_not_json_is_400(service: Service) -> None:
    """Broken JSON is a 400 problem, not a crash."""
    assert is_problem(call(service, "POST", f"{V1}/advices", raw=b"{not json"), 400, "CASE_INVALID")


def test_a_body_of_another_media_type_is_415(service: Service) -> None:
    """Only JSON bodies are accepted."""
    answer = call(
        service, "POST", f"{V1}/advices", raw=b"a=b", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert is_problem(answer, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_a_body_over_the_size_limit_is_413_before_it_is_read(service: Service) -> None:
    """A Content-Length above the limit is refused at once, without waiting for the body."""
    host, port = service.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=5) as sock:
        sock.sendall(
            f"POST {V1}/advices HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Content-Length: {service.settings.max_body + 1}\r\n\r\n".encode()
        )
        started = time.monotonic()
        head = sock.recv(65536).decode()
    assert (True, True) == (
        head.startswith("HTTP/1.1 413"),
        time.monotonic() - started < service.settings.request_timeout,
    )


@pytest.mark.parametrize("size", [2_000_000, 6_000_000])
def test_a_client_that_sends_a_body_over_the_limit_in_full_still_reads_the_413(service: Service, size: int) -> None:
    """The server answers 413 without reading the body, then drops what the client still sends
    (bounded) before it closes: an ordinary client sending the whole body gets the answer, not a
    reset connection or a broken pipe in the middle of its upload."""
    for _ in range(3):
        answer = call(service, "POST", f"{V1}/advices", raw=b" " * size)
        assert is_problem(answer, 413, "BODY_TOO_LARGE")


def test_a_case_over_the_librarys_limit_is_413_too(service: Service) -> None:
    """A body under the server's limit but over the 1 MB case limit is refused as too large, not as invalid."""
    raw = json.dumps(valid_case()).encode() + b" " * 1_050_000
    assert is_problem(call(service, "POST", f"{V1}/advices", raw=raw), 413, "CASE_TOO_LARGE")


def test_concurrent_requests_all_get_the_same_advice(service: Service) -> None:
    """Sixteen advice requests from eight threads at once: all answered, all with the same receipt (the engine is serialised)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: call(service, "POST", f"{V1}/advices", valid_case()), range(16)))
    assert ({200}, 1) == ({a.status for a in answers}, len({a.json["receipt"] for a in answers}))


def test_every_engine_call_runs_on_the_one_engine_thread(engine: Engine, tmp_path: Path) -> None:
    """durable-rules must be used from one thread at a time (docs/explanation/design.md): sixteen
    advices and four decisions sent at once are each advised on the same engine thread, never on the
    event loop or a store worker."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    with running(engine, tmp_path / "a.sqlite") as server:
        seen: list[str] = []
        advise, advise_json = server.advisor.advise, server.advisor.advise_json

        def noting(case: Any) -> Any:
            seen.append(threading.current_thread().name)
            return advise(case)

        def noting_json(case: Any) -> bytes:
            seen.append(threading.current_thread().name)
            return advise_json(case)

        server.advisor.advise = noting  # type: ignore[method-assign]  # prepare() advises through it
        server.advisor.advise_json = noting_json  # type: ignore[method-assign]  # POST /advices through this
        with ThreadPoolExecutor(max_workers=8) as pool:
            advices = list(pool.map(lambda _: call(server, "POST", f"{V1}/advices", valid_case()), range(16)))
            decisions = [a for a, _ in pool.map(lambda _: decide(server, valid_case()), range(4))]
    assert ({200}, {201}) == ({a.status for a in advices}, {d.status for d in decisions})
    assert (24, {"maatwerk-engine-0"}) == (len(seen), set(seen))


def test_concurrent_decisions_keep_one_valid_chain(engine: Engine, tmp_path: Path) -> None:
    """Eight decisions recorded at once all land in one unbroken chain."""
    from concurrent.futures import ThreadPoolExecutor

    with running(engine, tmp_path / "a.sqlite") as server:
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = [a.status for a, _ in pool.map(lambda _: decide(server, valid_case()), range(8))]
        report = server.advisor.store.verify()
    assert ([201] * 8, True, 8) == (statuses, report.ok, report.count)


def test_a_body_that_does_not_arrive_in_time_is_408(service: Service) -> None:
    """A client that announces 100 bytes and sends 10 gets 408 after the read timeout."""
    host, port = service.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=10) as sock:
        sock.sendall(
            f"POST {V1}/advices HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{".encode()
            + b" " * 9
        )
        chunks = []
        while chunk := sock.recv(65536):  # the server closes the connection after a 408
            chunks.append(chunk)
        data = b"".join(chunks).decode()
    status, _, rest = data.partition("\r\n")
    body = json.loads(rest.split("\r\n\r\n", 1)[1])
    assert ("HTTP/1.1 408 Request Timeout", "REQUEST_TIMEOUT") == (status, body["code"])


def test_an_advice_slower_than_the_time_limit_is_503(engine: Engine, tmp_path: Path) -> None:
    """When the engine does not finish within advise_timeout, the client gets 503 with Retry-After."""
    with running(engine, tmp_path / "a.sqlite", advise_timeout=0.3) as server:
        server.state.engine.submit(time.sleep, 1.5)  # the one engine worker is busy with a long job
        answer = call(server, "POST", f"{V1}/advices", valid_case())
    assert (True, "5") == (is_problem(answer, 503, "ADVICE_TIMEOUT"), answer.headers["retry-after"])


def test_when_every_connection_is_being_answered_a_new_one_gets_503(engine: Engine, tmp_path: Path) -> None:
    """With max_connections=1 and that connection's request waiting for the engine, a second
    connection is refused with 503 SERVICE_BUSY at once (nothing idle or half-sent to make room)."""
    from concurrent.futures import ThreadPoolExecutor

    with running(engine, tmp_path / "a.sqlite", max_connections=1) as server:
        server.state.engine.submit(time.sleep, 2.0)  # the engine is busy: the first request waits
        with ThreadPoolExecutor(max_workers=1) as pool:
            first = pool.submit(call, server, "POST", f"{V1}/advices", valid_case())
            time.sleep(0.5)  # the first request is in, waiting for the engine
            answer = call(server, "GET", f"{V1}/health")
            assert (True, "1") == (is_problem(answer, 503, "SERVICE_BUSY"), answer.headers["retry-after"])
            assert 200 == first.result(timeout=30).status


def test_a_trailing_slash_is_404_not_a_redirect(service: Service) -> None:
    """/api/v1/health/ is not /api/v1/health (NL API Design Rules: no trailing slash, no redirect)."""
    assert is_problem(call(service, "GET", f"{V1}/health/"), 404, "NOT_FOUND")


def test_a_method_the_resource_lacks_is_405_with_allow(service: Service) -> None:
    """DELETE on /advices is 405 and the Allow header lists POST."""
    answer = call(service, "DELETE", f"{V1}/advices")
    assert (True, "POST") == (is_problem(answer, 405, "METHOD_NOT_ALLOWED"), answer.headers["allow"])


def test_a_method_http_server_does_not_know_is_a_problem_too(service: Service) -> None:
    """An unsupported method (TRACE) answers with problem details, not the stdlib's HTML page."""
    answer = call(service, "TRACE", f"{V1}/health")
    assert (405, "application/problem+json") == (answer.status, answer.headers["content-type"])


def test_a_malformed_request_line_gets_a_problem_over_http_1_1(service: Service) -> None:
    """Even a request the standard library cannot parse gets a proper status line and problem details."""
    host, port = service.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=5) as sock:
        sock.sendall(b"GARBAGE\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).decode().partition("\r\n\r\n")
    assert ("HTTP/1.1 400 Bad Request", "HTTP_400") == (head.split("\r\n")[0], json.loads(body)["code"])


def _exchange(server: Service, data: bytes) -> bytes:
    """Send ``data`` on one connection and read until the server closes it."""
    host, port = server.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("POST", f"{V1}/nothing-here", 404), ("DELETE", f"{V1}/advices", 405), ("GET", f"{V1}/health", 200)],
)
def test_a_body_the_request_does_not_take_is_never_read_as_the_next_request(
    service: Service, method: str, path: str, status: int
) -> None:
    """A request answered without reading its body (404, 405, a resource that takes none): the body is
    dropped by its Content-Length, never parsed as a request (the canary's request line inside it is
    not answered, its bytes never come back), and the request sent after it is answered."""
    body = json.dumps({"reference": "CANARY-5e1d", "note": "GET /x HTTP/1.1"}).encode()
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    data = _exchange(
        service, request + body + f"GET {V1}/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
    )
    answers = data.split(b"HTTP/1.1 ")[1:]
    assert [status, 200] == [int(a[:3]) for a in answers], data[:400]
    assert (False, False) == (b"CANARY" in data, b"/x" in data)


@pytest.mark.parametrize(
    "line",
    [b"GARBAGE CANARY-5e1d MORE WORDS", b"GET /x CANARY-5e1d", b"POST CANARY-5e1d", b"CANARY-5e1d /x HTTP/1.1"],
)
def test_a_request_line_the_server_cannot_take_is_never_repeated_in_its_problem(service: Service, line: bytes) -> None:
    """The standard library's own errors (bad syntax, bad version, unknown method) repeat the request
    line; the problem keeps only their first words."""
    data = _exchange(service, line + b"\r\nHost: localhost\r\n\r\n")
    problem = json.loads(data.partition(b"\r\n\r\n")[2])
    assert (True, False) == (problem["status"] in (400, 405), b"CANARY" in data)


def test_head_gives_the_headers_without_a_body(service: Service) -> None:
    """HEAD on a GET resource answers 200 with the version header and no body."""
    answer = call(service, "HEAD", f"{V1}/health")
    assert (200, API_VERSION, b"") == (answer.status, answer.headers["api-version"], answer.body)


def test_an_unexpected_failure_is_a_500_problem_without_a_trace(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A defect inside the service gives 500 INTERNAL_ERROR with an incident id; the client never sees a trace."""

    def broken(_case: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service.advisor, "advise_json", broken)
    answer = call(service, "POST", f"{V1}/advices", valid_case())
    assert (True, False) == (
        is_problem(answer, 500, "INTERNAL_ERROR"),
        "secret internal detail" in answer.body.decode(),
    )


# --- decisions and read-back -------------------------------------------------------------------------


def test_a_decision_is_recorded_and_read_back_by_number_and_by_receipt(service: Service) -> None:
    """POST /decisions is 201 with Location; the decision and its advice can be read back and replay identically."""
    created, advice = decide(service, valid_case())
    assert (201, f"{V1}/decisions/{created.json['number']}") == (created.status, created.headers["location"])
    by_number = call(service, "GET", created.headers["location"]).json
    by_receipt = call(service, "GET", f"{V1}/advices/{advice['receipt']}/decisions").json
    read_advice = call(service, "GET", f"{V1}/advices/{advice['receipt']}")
    assert (True, created.json["hash"], [created.json["number"]], advice) == (
        by_number["replay"]["identical"],
        by_number["hash"],
        [d["number"] for d in by_receipt if d["number"] == created.json["number"]],
        read_advice.json,
    )
    assert "true" == read_advice.headers["maatwerk-replay-identical"]


def test_a_recorded_decision_gives_its_letter_without_naming_the_advice(service: Service) -> None:
    """The 201 answer carries the decision letter (Dutch, HTML): the municipality's own motivation of
    a departure, never "the advice"."""
    created, _ = decide(
        service,
        valid_case(),
        measure="geen_boete",
        amount=None,
        reason_category="draagkracht",
        reason="Zij kan een boete niet dragen.",
    )
    letter = created.json["letter"]
    assert (True, True, True, None) == (
        letter.startswith('<article class="letter" lang="nl"'),
        "Wij kiezen zelf voor dit besluit." in letter,
        "Zij kan een boete niet dragen." in letter,
        re.search("advies", letter, re.IGNORECASE),
    )


def test_the_letter_of_a_decision_is_a_printable_document_or_a_pdf(service: Service) -> None:
    """GET /decisions/{number}/letter answers the letter as an HTML document with a print stylesheet,
    or, asked for with Accept, as a PDF attachment; another media type is 406."""
    created, _ = decide(service, valid_case())
    path = f"{V1}/decisions/{created.json['number']}/letter"
    page = call(service, "GET", path)
    pdf = call(service, "GET", path, headers={"Accept": "application/pdf"})
    other = call(service, "GET", path, headers={"Accept": "application/json"})
    assert ("text/html; charset=utf-8", True, True) == (
        page.headers["content-type"],
        created.json["letter"] in page.body.decode(),
        "@media print" in page.body.decode(),
    )
    assert ("application/pdf", b"%PDF-", f'attachment; filename="besluit-{created.json["number"]}.pdf"') == (
        pdf.headers["content-type"],
        pdf.body[:5],
        pdf.headers["content-disposition"],
    )
    assert is_problem(other, 406, "NOT_ACCEPTABLE")


def test_the_letter_of_an_unknown_record_is_404_and_of_a_bad_number_400(service: Service) -> None:
    """No such record: 404; not a record number: a located 400."""
    assert (True, True) == (
        is_problem(call(service, "GET", f"{V1}/decisions/999999/letter"), 404, "NOT_FOUND"),
        is_problem(call(service, "GET", f"{V1}/decisions/x1/letter"), 400, "NUMBER_INVALID"),
    )


def test_a_departure_without_a_reason_is_400_locating_the_fields(service: Service) -> None:
    """Deciding no fine instead of the advised fine, without a reason, names reason_category and reason."""
    answer, _ = decide(service, valid_case(), measure="geen_boete", amount=None)
    assert is_problem(answer, 400, "DECISION_INVALID")
    assert ["reason_category", "reason"] == [p["name"] for p in answer.json["invalidParams"]]


def test_a_measure_the_advice_finds_unlawful_is_refused_with_its_reason(service: Service) -> None:
    """A warning where the advice says the law allows none is a located 400, with the advice's reason,
    even with a motivation; nothing is recorded."""
    answer, advice = decide(service, valid_case(), **{**DEPARTURE, "measure": "waarschuwing"})
    assert is_problem(answer, 400, "DECISION_INVALID")
    [refusal] = answer.json["invalidParams"]
    assert ("measure", "DECISION_MEASURE_NOT_LAWFUL") == (refusal["name"], refusal["code"])
    why = next(a["why"]["en"] for a in advice["alternatives"] if a["measure"] == "waarschuwing")
    assert why in refusal["reason"]
    recorded = call(service, "GET", f"{V1}/advices/{advice['receipt']}/decisions")
    decided = [d["decision"]["measure"] for d in (recorded.json if recorded.status == 200 else [])]
    assert "waarschuwing" not in decided


def test_a_fine_above_the_statutory_maximum_is_refused(service: Service) -> None:
    """One cent above the band's statutory maximum is a located 400 naming the maximum."""
    probe = call(service, "POST", f"{V1}/advices", valid_case()).json
    highest = Decimal(probe["measure"]["band"]["highest_amount"])
    answer, _ = decide(
        service, valid_case(), **{**DEPARTURE, "measure": "boete", "amount": str(highest + Decimal("0.01"))}
    )
    assert is_problem(answer, 400, "DECISION_INVALID")
    [refusal] = answer.json["invalidParams"]
    assert ("amount", "DECISION_AMOUNT_OUTSIDE_BAND", True) == (
        refusal["name"],
        refusal["code"],
        str(highest) in refusal["reason"],
    )


def provider_example() -> dict[str, Any]:
    return dict(json.loads((Path(__file__).parents[1] / "examples" / "05-wmo-structureel-kwetsbaar.json").read_text()))


def test_a_provider_case_is_advised_and_its_decision_recorded(service: Service, engine: Engine) -> None:
    """A Wmo provider case gets the library's advice over HTTP and the advised instrument is recorded as decided."""
    case = provider_example()
    created, advice = decide(service, case)
    assert (advice, 201, False) == (
        engine.advise(case).model_dump(mode="json"),
        created.status,
        created.json["decision"]["deviation"],
    )


def test_a_departure_from_a_provider_advice_needs_a_reason(service: Service) -> None:
    """Deciding a lighter instrument than the ladder advises is a departure: without a reason it is refused."""
    answer, advice = decide(service, provider_example(), measure="gesprek", amount=None)
    assert "gesprek" != advice["measure"]["kind"]
    assert is_problem(answer, 400, "DECISION_INVALID")
    assert ["reason_category", "reason"] == [p["name"] for p in answer.json["invalidParams"]]


def test_the_openapi_request_body_takes_both_kinds_of_case(service: Service) -> None:
    """POST /advices documents a benefit case or a provider case, and both schemas are components."""
    doc = call(service, "GET", f"{V1}/openapi.json").json
    body = doc["paths"]["/advices"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert (["BenefitCase", "ProviderCase"], True) == (
        [ref["$ref"].rsplit("/", 1)[1] for ref in body["anyOf"]],
        {"BenefitCase", "ProviderCase"} <= set(doc["components"]["schemas"]),
    )


def test_a_decision_on_a_receipt_that_is_not_this_advice_is_409(service: Service) -> None:
    """If the advice for the case no longer has the receipt, the decision is refused with 409."""
    body = {
        "case": valid_case(),
        "receipt": "0" * 64,
        "decision": {"measure": "boete", "amount": "840.90"},
    }
    assert is_problem(call(service, "POST", f"{V1}/decisions", body), 409, "ADVICE_CHANGED")


def test_a_decision_request_without_its_parts_is_400(service: Service) -> None:
    """A request missing case, receipt and decision names all three."""
    answer = call(service, "POST", f"{V1}/decisions", {"note": 1})
    assert ["case", "receipt", "decision", "note"] == [p["name"] for p in answer.json["invalidParams"]]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        (f"{V1}/advices/{'a' * 64}", 404, "AUDIT_NOT_FOUND"),
        (f"{V1}/advices/not-a-receipt", 400, "RECEIPT_INVALID"),
        (f"{V1}/advices/{'a' * 64}/decisions", 404, "NOT_FOUND"),
        (f"{V1}/decisions/0", 400, "NUMBER_INVALID"),
        (f"{V1}/decisions/99999", 404, "NOT_FOUND"),
    ],
)
def test_read_back_of_what_was_never_recorded_is_a_problem(service: Service, path: str, status: int, code: str) -> None:
    """Unknown receipts and numbers are 404; malformed ones are 400."""
    assert is_problem(call(service, "GET", path), status, code)


def test_the_learning_report_over_http_is_the_librarys(service: Service) -> None:
    """GET /learning-report gives the same report as the library over the same store, with the
    words of the service's packs."""
    from maatwerk.audit import learning_report, vocabulary

    decide(service, valid_case())
    answer = call(service, "GET", f"{V1}/learning-report?period=quarter")
    names = vocabulary(service.advisor.engine)
    assert learning_report(service.advisor.store.records(), period="quarter", names=names) == answer.json


def test_a_bad_report_query_is_400_naming_each_parameter(service: Service) -> None:
    """An unknown period and a malformed date are both located."""
    answer = call(service, "GET", f"{V1}/learning-report?period=week&from=1-1-2026")
    assert {"period", "from"} == {p["name"] for p in answer.json["invalidParams"]}


def test_a_report_period_that_ends_before_it_starts_is_400_on_to(service: Service) -> None:
    """from after to is located on ``to``; not an empty report."""
    answer = call(service, "GET", f"{V1}/learning-report?from=2026-05-01&to=2026-01-01")
    assert (400, ["to"]) == (answer.status, [p["name"] for p in answer.json["invalidParams"]])


@pytest.fixture
def info_logging() -> Iterator[None]:
    """structlog at its defaults (INFO and up), whatever an earlier CLI test configured."""
    structlog.reset_defaults()
    yield
    structlog.reset_defaults()


@pytest.mark.usefixtures("info_logging")
def test_log_lines_hold_no_case_data(service: Service, engine: Engine) -> None:
    """The service logs route, status and duration, and a recorded decision's number with the case's
    pseudonym: no case values, reference, receipt or the decider."""
    case = valid_case()
    case["case_ref"] = "zaak-778899"
    with structlog.testing.capture_logs() as events:
        created, advice = decide(service, case)
        call(service, "GET", f"{V1}/advices/{advice['receipt']}")
    text = json.dumps(events, default=str)
    assert (201, []) == (
        created.status,
        [s for s in ("zaak-778899", "2480.00", advice["receipt"], service.state.auth.local_subject) if s in text],
    )
    assert {"request", "decision"} == {e["event"] for e in events}
    [recorded] = [e for e in events if e["event"] == "decision"]
    assert (created.json["number"], engine.pseudonym("zaak-778899")) == (recorded["seq"], recorded["case"])


# --- packaging -------------------------------------------------------------------------------------


def test_importing_maatwerk_does_not_import_the_service() -> None:
    """`import maatwerk` loads neither maatwerk.http nor its framework, server or JWT library."""
    names = ("maatwerk.http", "maatwerk.audit", "starlette", "uvicorn", "jwt", "httptools", "http.server")
    code = f"import sys, maatwerk; print(sorted(m for m in {names!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "[]" == out.strip()


def test_maatwerk_serve_runs_the_service_on_loopback(tmp_path: Path) -> None:
    """`maatwerk serve --auth local --port 0` prints its URL and that it runs without log-in, answers
    health checks, and creates a private secret file (in the user's config folder)."""
    from maatwerk.audit._config import default_secret_file

    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_AUDIT")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "maatwerk",
            "serve",
            "--auth",
            "local",
            "--port",
            "0",
            "--db",
            str(tmp_path / "a.sqlite"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        host, port = url.removeprefix("http://").split(":")
        import http.client

        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", f"{V1}/health")
        status = conn.getresponse().status
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert (200, 0o600) == (status, default_secret_file(tmp_path / "a.sqlite").stat().st_mode & 0o777)
    assert "LOCAL MODE: no log-in, every role, this machine only" in line  # said at start


# --- refused at start-up ---------------------------------------------------------------------------


def serve_once(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """`maatwerk serve` with ``options``, expected to refuse to start (at most 60 s)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_AUDIT")}
    command = [sys.executable, "-m", "maatwerk", "serve", "--port", "0", "--db", str(tmp_path / "a.sqlite")]
    if "--auth" not in options:
        command += ["--auth", "local"]
    command += options
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (("--port", "99999"), "--port must be a whole number from 0 to 65,535"),
        (("--port", "-1"), "--port must be a whole number from 0 to 65,535"),
        (("--request-timeout", "-1"), "--request-timeout must be a number of seconds, above 0"),
        (("--request-timeout", "0"), "--request-timeout must be a number of seconds, above 0"),
        (("--request-timeout", "nan"), "--request-timeout must be a number of seconds, above 0"),
        (("--advise-timeout", "inf"), "--advise-timeout must be a number of seconds, above 0 and at most 86,400"),
        (("--max-connections", "0"), "--max-connections must be a whole number from 1 to 65,535"),
        (("--max-connections", "-3"), "--max-connections must be a whole number from 1 to 65,535"),
        (("--max-body", "-5"), "--max-body must be a whole number from 1 to"),
        (("--auth", "proxy", "--proxy-user-header", "X User"), "--proxy-secret-file must be set with --auth proxy"),
        (("--host", ""), "--host must be a host name or address"),
        (("--host", "0.0.0.0"), "--host must be a loopback address (127.0.0.1, ::1, localhost) with --auth local"),
        (("--auth", "oidc"), "--oidc-issuer must be set with --auth oidc"),
        (("--auth", "none"), "--auth must be oidc, proxy or local"),
        (("--allowed-origin", "evil.example"), "--allowed-origins must be origins such as https://"),
        (("--max-connections-per-client", "0"), "--max-connections-per-client must be a whole number from 1"),
    ],
)
def test_a_setting_the_service_cannot_run_with_is_a_usage_error_before_anything_is_opened(
    tmp_path: Path, options: tuple[str, ...], says: str
) -> None:
    """A negative or NaN timeout, no connections, a port beyond 65535, no way to log in, the local
    mode on a network address: exit 2 with one line naming the option, before the audit store is
    created (before, some of these gave a trace, and others a service that failed every request or
    refused every connection)."""
    done = serve_once(tmp_path, *options)
    assert (2, "", False) == (done.returncode, done.stdout, "Traceback" in done.stderr)
    assert done.stderr.startswith("maatwerk serve: error: " + says), done.stderr
    assert not (tmp_path / "a.sqlite").exists()


@pytest.mark.parametrize(
    ("options", "code", "says"),
    [
        (("--policies", "no-such-folder"), 4, "POLICY_INVALID"),
        (("--municipality", "lansingeland"), 5, "no pack for municipality 'lansingeland'"),
    ],
)
def test_a_start_that_fails_on_its_packs_exits_with_the_code_every_command_uses(
    tmp_path: Path, options: tuple[str, ...], code: int, says: str
) -> None:
    """Packs that do not load: 4; a municipality without packs: 5; as `advise` and `diff` exit."""
    done = serve_once(tmp_path, *options)
    assert (code, "", False) == (done.returncode, done.stdout, "Traceback" in done.stderr)
    assert says in done.stderr


def test_a_preview_of_a_bill_is_never_served(tmp_path: Path) -> None:
    """`serve --preview whsz=...` is refused (exit 2): an exploration is never the basis of a decision."""
    done = serve_once(tmp_path, "--preview", "whsz=2027-01-01")
    assert (2, "") == (done.returncode, done.stdout)
    assert done.stderr.startswith("maatwerk serve: error: --preview explores a bill")
    assert not (tmp_path / "a.sqlite").exists()


def test_a_port_another_program_listens_on_is_a_clear_error_not_a_trace(tmp_path: Path) -> None:
    """`maatwerk serve --port N` while another program listens on N: exit 2 with one line that
    names the address and the reason."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = serve_once(tmp_path, "--port", str(port))
    assert (2, "") == (done.returncode, done.stdout)
    assert f"maatwerk serve: error: cannot listen on 127.0.0.1 port {port}: Address already in use\n" == done.stderr


def test_an_audit_secret_that_cannot_be_created_is_an_audit_error_not_a_trace(tmp_path: Path) -> None:
    """The secret file does not exist and cannot be made (a dangling link is in its place, which a
    secret is never written through): exit 6 (an audit error) with the path and the reason, and
    nothing is written."""
    secret = tmp_path / "audit.key"
    secret.symlink_to(tmp_path / "elsewhere" / "audit.key")
    done = serve_once(tmp_path, "--secret-file", str(secret))
    assert (6, "", False) == (done.returncode, done.stdout, "Traceback" in done.stderr)
    assert f"cannot create the audit secret {secret}: File exists" in done.stderr
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("port", 70000),
        ("port", True),
        ("port", 80.0),
        ("max_body", 0),
        ("request_timeout", -0.5),
        ("request_timeout", float("nan")),
        ("advise_timeout", 0),
        ("advise_timeout", 86_401),
        ("max_connections", 0),
        ("shutdown_grace", -1),
        ("shutdown_grace", "5"),
        ("proxy_user_header", ""),
        ("proxy_user_header", "X-Caseworker\r\nX-Other"),
        ("allowed_hosts", ("evil example",)),
        ("oidc_jwks_url", "http://localhost.evil.invalid/certs"),
        ("oidc_jwks_url", "ftp://sso.gemeente.invalid/certs"),
        ("role_map", {"boss": "x"}),
        ("host", " "),
        ("contact_email", ""),
    ],
)
def test_service_config_refuses_a_value_the_service_cannot_run_with(field: str, value: object) -> None:
    """Made from Python, Settings checks every field at once: ValueError naming the field."""
    settings: dict[str, Any] = {"auth": "local", field: value}
    if field.startswith("oidc_"):
        settings.update(auth="oidc", oidc_issuer="https://sso.gemeente.invalid", oidc_audience="maatwerk")
    with pytest.raises(ValueError, match=f"^Settings.{field} must be "):
        Settings(**settings)


def test_service_config_takes_the_edges_of_each_range() -> None:
    """The limits themselves are allowed: port 0 (any free port) and 65535, one connection, no grace."""
    edges = Settings(auth="local", port=65_535, max_body=1, request_timeout=0.001, max_connections=1, shutdown_grace=0)
    assert (0, 86_400.0) == (
        Settings(auth="local", port=0).port,
        Settings(auth="local", advise_timeout=86_400.0).advise_timeout,
    )
    assert (65_535, 0) == (edges.port, edges.shutdown_grace)


# --- settings from the environment, and the log's one shape ------------------------------------------


def test_settings_come_from_maatwerk_variables_and_a_flag_wins() -> None:
    """Each field from MAATWERK_<FIELD> (lists comma-separated, the role map as role=value pairs);
    a value given as a flag (a keyword) wins; a variable that is not a number is named."""
    env = {
        "MAATWERK_AUTH": "local",
        "MAATWERK_PORT": "9090",
        "MAATWERK_ALLOWED_HOSTS": "localhost, maatwerk.gemeente.invalid",
        "MAATWERK_ROLE_MAP": "caseworker=mw-handhaving,team-lead=teamleider",
        "MAATWERK_REQUEST_TIMEOUT": "2.5",
        "OTHER": "ignored",
    }
    settings = Settings.from_env(env, port=9191, shutdown_grace=None)
    assert (
        "local",
        9191,
        ("localhost", "maatwerk.gemeente.invalid"),
        {"caseworker": "mw-handhaving", "team-lead": "teamleider"},
        2.5,
        5.0,
    ) == (
        settings.auth,
        settings.port,
        settings.allowed_hosts,
        dict(settings.role_map),
        settings.request_timeout,
        settings.shutdown_grace,
    )
    with pytest.raises(ValueError, match=r"^Settings\.max_body must be a whole number"):
        Settings.from_env({"MAATWERK_AUTH": "local", "MAATWERK_MAX_BODY": "lots"})


def test_maatwerk_serve_reads_its_settings_from_the_environment(tmp_path: Path) -> None:
    """MAATWERK_HOST=0.0.0.0 with the local mode is refused as --host would be: the variables are read."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
    env.update(MAATWERK_AUTH="local", MAATWERK_HOST="0.0.0.0")
    command = [sys.executable, "-m", "maatwerk", "serve", "--port", "0", "--db", str(tmp_path / "a.sqlite")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert (2, True) == (done.returncode, done.stderr.startswith("maatwerk serve: error: --host must be a loopback"))


def test_the_log_is_json_lines_of_one_shape_with_a_utc_timestamp(tmp_path: Path) -> None:
    """`maatwerk --verbose serve`: every line on stderr is a JSON object with event, level and an
    ISO 8601 UTC timestamp, the service's own events and the engine's alike."""
    from http_support import ServeProcess

    service = ServeProcess(tmp_path, verbose=True)
    try:
        assert 200 == service.call("POST", f"{V1}/advices", valid_case()).status
    finally:
        service.stop()
    lines = [json.loads(line) for line in service.log().splitlines()]
    shapes = {(isinstance(x.get("event"), str), x.get("level") in {"info", "warning", "error"}) for x in lines}
    stamps = {x["timestamp"][:2] + x["timestamp"][-1] for x in lines}
    assert ({(True, True)}, {"20Z"}) == (shapes, stamps)
    assert {"request", "stopping", "stopped"} <= {x["event"] for x in lines}
    assert any(x.get("logger") == "maatwerk" for x in lines)  # the engine's events, in the same shape


def test_create_app_without_an_advisor_opens_the_store_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``create_app(settings)`` for embedding: the engine with the bundled packs and the audit store at
    MAATWERK_AUDIT_DB with its secret from MAATWERK_AUDIT_SECRET_FILE (created), served as usual."""
    from http_support import serving

    from maatwerk.http import create_app

    monkeypatch.setenv("MAATWERK_AUDIT_DB", str(tmp_path / "embedded.sqlite"))
    monkeypatch.setenv("MAATWERK_AUDIT_SECRET_FILE", str(tmp_path / "config" / "audit.key"))
    app = create_app(Settings(auth="local"))
    advisor = app.state.maatwerk.advisor
    app.state.maatwerk.close()
    with serving(Service(Settings(auth="local", port=0), advisor)) as server:
        answer = call(server, "POST", f"{V1}/advices", valid_case())
    assert (200, True, True) == (
        answer.status,
        (tmp_path / "embedded.sqlite").exists(),
        (tmp_path / "config" / "audit.key").exists(),
    )
