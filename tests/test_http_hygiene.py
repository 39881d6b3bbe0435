# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Browser and HTTP hygiene, over real HTTP against the service on uvicorn: JSON only with its
Content-Type, the Origin check on every state-changing request (also from a page of another origin
in Chromium), the Host allow-list, the deadline for a whole request, the head limits, connection
limits that a slow client cannot use to starve the others, and ambiguous framing refused. Raw
sockets send what an ordinary client never would."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import structlog
from browser_support import chromium
from conftest import valid_case
from http_support import Answer, call, running

from maatwerk import Engine
from maatwerk.http import Service

if TYPE_CHECKING:
    from playwright.sync_api import Browser

V1 = "/api/v1"


@pytest.fixture(scope="module")
def service(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running(
        engine,
        tmp_path_factory.mktemp("hygiene") / "audit.sqlite",
        request_timeout=1.5,
        allowed_origins=("https://zaken.gemeente.invalid",),
    ) as server:
        yield server


def code(answer: Answer) -> tuple[int, str]:
    return answer.status, json.loads(answer.body).get("code", "") if answer.body else ""


def exchange(server: Service, data: bytes, *, timeout: float = 10) -> bytes:
    """Send ``data`` on one connection and read until the server closes it."""
    with socket.create_connection(server.server_address, timeout=timeout) as sock:
        sock.sendall(data)
        return read_all(sock)


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def decision_body(server: Service) -> bytes:
    case = valid_case()
    advice = call(server, "POST", f"{V1}/advices", case).json
    decision = {"measure": advice["measure"]["kind"], "amount": advice["measure"]["amount"]}
    return json.dumps({"case": case, "receipt": advice["receipt"], "decision": decision}).encode()


def decisions(server: Service) -> int:
    return sum(r.kind == "decision" for r in server.advisor.store.records())


# --- JSON only --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ctype",
    [None, "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
    ids=["none", "text-plain", "form", "multipart"],
)
def test_a_body_is_read_only_as_json_with_its_content_type(service: Service, ctype: str | None) -> None:
    """A JSON body without Content-Type, or with one a form or a no-cors fetch can send, is 415:
    never taken as JSON."""
    if ctype is None:  # http.client adds no Content-Type of its own: send the request by hand
        body = json.dumps(valid_case()).encode()
        head = (
            f"POST {V1}/advices HTTP/1.1\r\nHost: localhost\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        data = exchange(service, head.encode() + body)
        assert data.startswith(b"HTTP/1.1 415 ")
        assert b'"code":"UNSUPPORTED_MEDIA_TYPE"' in data
    else:
        headers = {"Content-Type": ctype}
        answer = call(service, "POST", f"{V1}/advices", raw=json.dumps(valid_case()).encode(), headers=headers)
        assert (415, "UNSUPPORTED_MEDIA_TYPE") == code(answer)


def test_json_with_a_charset_parameter_is_json(service: Service) -> None:
    answer = call(
        service,
        "POST",
        f"{V1}/advices",
        raw=json.dumps(valid_case()).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert 200 == answer.status


# --- Origin, Sec-Fetch-Site, Host ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"Origin": "http://evil.invalid"}, False),
        ({"Origin": "null"}, False),
        ({"Origin": "http://127.0.0.1:1"}, False),  # the same host on another port is another origin
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({"Sec-Fetch-Site": "same-site"}, False),
        ({"Origin": "https://zaken.gemeente.invalid"}, True),  # --allowed-origin
        ({"Sec-Fetch-Site": "same-origin"}, True),
        ({}, True),  # not a browser page: curl, a municipality's system
    ],
)
def test_every_state_changing_request_comes_from_the_service_s_own_origin(
    service: Service, headers: dict[str, str], allowed: bool
) -> None:
    """POST from another origin (Origin, or Sec-Fetch-Site when a browser sends no Origin) is 403
    ORIGIN_NOT_ALLOWED before anything is done; the service's own origin and allowed ones pass."""
    answer = call(service, "POST", f"{V1}/advices", valid_case(), headers=headers)
    assert (200 if allowed else 403) == answer.status
    if not allowed:
        assert (403, "ORIGIN_NOT_ALLOWED") == code(answer)


def test_the_service_s_own_origin_may_post(service: Service) -> None:
    host, port = service.server_address
    answer = call(service, "POST", f"{V1}/advices", valid_case(), headers={"Origin": f"http://{host}:{port}"})
    assert 200 == answer.status


@pytest.mark.parametrize("host", ["evil.invalid", "evil.invalid:8080", "127.0.0.2", "localhost.evil.invalid"])
def test_a_host_name_outside_the_allow_list_is_refused(service: Service, host: str) -> None:
    """A request addressed to another name (a DNS-rebinding page, a misrouted proxy) is 400
    HOST_NOT_ALLOWED, on reading routes too."""
    answer = call(service, "GET", f"{V1}/health", headers={"Host": host})
    assert (400, "HOST_NOT_ALLOWED") == code(answer)


def test_the_loopback_names_are_allowed_with_any_port(service: Service) -> None:
    assert [200, 200, 200] == [
        call(service, "GET", f"{V1}/health", headers={"Host": h}).status for h in ("localhost", "127.0.0.1:9", "[::1]")
    ]


def test_two_host_headers_are_refused(service: Service) -> None:
    data = exchange(service, f"GET {V1}/health HTTP/1.1\r\nHost: localhost\r\nHost: evil.invalid\r\n\r\n".encode())
    assert data.startswith(b"HTTP/1.1 400 ")


class _EvilSite(http.server.BaseHTTPRequestHandler):
    """A page of another origin that tries to record a decision in the service through the browser."""

    target = ""
    body = b""

    def do_GET(self) -> None:
        decision = json.dumps(json.loads(self.body)).replace("'", "&#39;")
        page = f"""<!doctype html><html><body>
<form id="f" method="post" enctype="text/plain" action="{self.target}/api/v1/decisions">
<input type="hidden" name='{decision[:-1]}, "x": "' value='"}}'></form>
<script>
fetch("{self.target}/api/v1/decisions", {{method: "POST", mode: "no-cors", body: JSON.stringify({decision})}})
  .then(() => {{ document.title = "fetched"; }}, () => {{ document.title = "fetched"; }});
</script></body></html>""".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def test_a_page_of_another_origin_cannot_record_a_decision_through_the_browser(
    browser: Browser, engine: Engine, tmp_path: Path
) -> None:
    """A page on another origin (localhost on another port) posts a decision to the service in local
    mode, where no log-in stops it: once with fetch in no-cors mode, once with a form (text/plain, the
    body made to look like JSON). Both reach the service and are refused 403 ORIGIN_NOT_ALLOWED, and
    no decision is recorded; a decision from the service's own page is (tests/test_http_page.py)."""
    with running(engine, tmp_path / "a.sqlite") as server:
        _EvilSite.target = server.url
        _EvilSite.body = decision_body(server)
        site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EvilSite)
        threading.Thread(target=site.serve_forever, daemon=True).start()
        context = browser.new_context()
        try:
            page = context.new_page()
            with structlog.testing.capture_logs() as logged:
                page.goto(f"http://localhost:{site.server_address[1]}/")
                page.wait_for_function("document.title === 'fetched'")
                with page.expect_navigation():
                    page.evaluate("document.getElementById('f').submit()")
                answered = page.text_content("body") or ""
        finally:
            context.close()
            site.shutdown()
            site.server_close()
        refused = [e["status"] for e in logged if e["event"] == "request" and e.get("route") == "decide"]
        assert ([403, 403], 0) == (refused, decisions(server))
        assert "ORIGIN_NOT_ALLOWED" in answered


# --- framing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "framing",
    [
        "Content-Length: 2\r\nContent-Length: 60",
        "Content-Length: 60\r\nContent-Length: 2",
        "Content-Length: 2\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding: chunked\r\nContent-Length: 2",
        "Content-Length: 2, 60",
        "Content-Length: +2",
    ],
)
def test_ambiguous_framing_is_refused_and_no_hidden_request_is_answered(service: Service, framing: str) -> None:
    """Two different Content-Length headers, Content-Length with Transfer-Encoding, a list or a sign:
    400 with Connection: close, and the request hidden in the body is never answered."""
    hidden = f"GET {V1}/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
    body = "{}" + hidden
    head = f"POST {V1}/advices HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"
    data = exchange(service, (head + body).encode())
    assert (True, 1, b"connection: close" in data.lower()) == (
        data.startswith(b"HTTP/1.1 400 "),
        data.count(b"HTTP/1.1"),
        True,
    )
    assert b'"status": "ok"' not in data
    assert b'"status":"ok"' not in data


def test_a_chunked_body_is_refused_with_411(service: Service) -> None:
    body = json.dumps(valid_case()).encode()
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    head = f"POST {V1}/advices HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    data = exchange(service, head.encode() + chunked)
    assert data.startswith(b"HTTP/1.1 411 ")


# --- the request deadline and the head limits ----------------------------------------------------------


def _trickle(sock: socket.socket, data: bytes, stop: threading.Event, every: float = 0.1) -> None:
    for byte in data:
        if stop.is_set():
            return
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            return
        stop.wait(every)


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_request_that_trickles_in_is_cut_off_at_the_deadline_for_the_whole_request(
    service: Service, part: str
) -> None:
    """A byte every 0.1 s keeps a per-read timeout from ever firing; the deadline is for the whole
    request (1.5 s here): a body still coming gets 408, headers still coming get the connection
    closed; either way well before the trickle would end."""
    body = json.dumps(valid_case()).encode()
    head = f"POST {V1}/advices HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    stop = threading.Event()
    with socket.create_connection(service.server_address, timeout=20) as sock:
        started = time.monotonic()
        if part == "body":
            sock.sendall(head)
            sender = threading.Thread(target=_trickle, args=(sock, body, stop))
        else:
            sender = threading.Thread(target=_trickle, args=(sock, head, stop))
        sender.start()
        data = read_all(sock)
        took = time.monotonic() - started
        stop.set()
        sender.join()
    assert took < 1.5 + 3.0, took  # the trickle would take ~{len/10} s
    if part == "body":
        assert data.startswith(b"HTTP/1.1 408 ")
        assert b"REQUEST_TIMEOUT" in data
    else:
        assert b"" == data


def test_a_connection_that_sends_nothing_is_closed_at_the_deadline(service: Service) -> None:
    with socket.create_connection(service.server_address, timeout=20) as sock:
        started = time.monotonic()
        data = read_all(sock)
    assert (b"", True) == (data, time.monotonic() - started < 1.5 + 3.0)


@pytest.mark.parametrize(
    "head",
    [
        f"GET {V1}/health HTTP/1.1\r\nHost: localhost\r\nX-Big: {'a' * 20_000}\r\n\r\n",
        f"GET {V1}/health?{'q' * 20_000} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        f"GET {V1}/health HTTP/1.1\r\nHost: localhost\r\n" + "".join(f"X-H{i}: v\r\n" for i in range(100)) + "\r\n",
    ],
    ids=["large-header", "long-url", "many-headers"],
)
def test_a_request_head_over_the_limits_is_431(service: Service, head: str) -> None:
    data = exchange(service, head.encode())
    assert (True, True) == (data.startswith(b"HTTP/1.1 431 "), b"HEADERS_TOO_LARGE" in data)


# --- connection limits --------------------------------------------------------------------------------


def test_a_slow_client_holding_many_connections_does_not_starve_the_others(engine: Engine, tmp_path: Path) -> None:
    """One client opens 3x the connection limit and keeps each sending its headers a byte at a time.
    Another client's requests in the meantime are all answered 200, none 503: a new connection takes
    the place of the oldest connection still sending its request, and the slow client loses its own."""
    with running(engine, tmp_path / "a.sqlite", max_connections=12, max_connections_per_client=8) as server:
        stop = threading.Event()
        head = f"GET {V1}/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: {'s' * 200}\r\n\r\n".encode()
        slow = [socket.create_connection(server.server_address, timeout=30) for _ in range(36)]
        tricklers = [threading.Thread(target=_trickle, args=(s, head, stop, 0.2)) for s in slow]
        for t in tricklers:
            t.start()
        time.sleep(0.5)
        try:
            statuses = [call(server, "POST", f"{V1}/advices", valid_case()).status for _ in range(10)]
            statuses += [call(server, "GET", f"{V1}/health").status for _ in range(10)]
        finally:
            stop.set()
            for t in tricklers:
                t.join()
            for s in slow:
                s.close()
        evicted = server.limits.evicted
    assert ([200] * 20, True) == (statuses, evicted >= 36 - 8)
