# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""How `maatwerk serve` stops. On SIGINT (Ctrl-C) or SIGTERM it accepts no new connection, closes
idle kept-alive connections at once, lets the requests in progress finish within
``--shutdown-grace`` seconds (each answered with ``Connection: close``), then answers 503
``SERVICE_STOPPING`` to a request still waiting for the engine and closes a connection still
sending its request; it loses no decision it answered 201, records none it did not answer, and
exits 0.

Each test runs the real service in a child process. Requests are held in progress by a gate in
front of the engine (tests/gated_serve.py), not by timing, and every wait has a generous bound (30 s
for the exit, against a stop that takes milliseconds plus the grace period the test sets): the tests
check that the service stops, and what it answers, never how fast.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import ctypes
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import structlog
from conftest import valid_case
from http_support import ServeProcess, call

from maatwerk import Engine
from maatwerk.audit import Advisor, AuditStore
from maatwerk.audit._config import read_secret
from maatwerk.http import Service, Settings

V1 = "/api/v1"
GATED = Path(__file__).resolve().parent / "gated_serve.py"
WAIT = 30.0  # the bound on every wait: generous, so that a slow machine passes and a hang fails
SIGNALS = [pytest.param(signal.SIGINT, id="SIGINT"), pytest.param(signal.SIGTERM, id="SIGTERM")]


# --- helpers ---------------------------------------------------------------------------------------

_started: list[ServeProcess] = []


def start(tmp: Path, **options: Any) -> ServeProcess:
    service = ServeProcess(tmp, **options)
    _started.append(service)
    return service


@pytest.fixture(autouse=True)
def _no_service_left_behind() -> Iterator[None]:
    """A test that fails before its service exited kills it, instead of leaving it running."""
    yield
    while _started:
        service = _started.pop()
        if service.proc.poll() is None:
            service.kill()


@dataclass
class Gate:
    """While closed, every engine call of the service waits; ``entered`` counts the requests that
    started waiting for the engine since it was closed."""

    folder: Path
    before: int = 0

    @property
    def file(self) -> Path:
        return self.folder / "gate"

    @property
    def log(self) -> Path:
        return self.folder / "entered"

    def close(self) -> None:
        self.before = self._lines()
        self.file.touch()

    def open(self) -> None:
        self.file.unlink()

    def wait_for_entered(self, count: int) -> None:
        """Until ``count`` requests are waiting for the engine (at most WAIT seconds)."""
        deadline = time.monotonic() + WAIT
        while self.entered() < count:
            assert time.monotonic() < deadline, f"only {self.entered()} of {count} requests reached the engine"
            time.sleep(0.01)

    def entered(self) -> int:
        return self._lines() - self.before

    def _lines(self) -> int:
        return len(self.log.read_text().splitlines()) if self.log.exists() else 0


def gated_service(tmp: Path, *options: str) -> tuple[ServeProcess, Gate]:
    gate = Gate(tmp)
    service = start(tmp, verbose=True, entry=(str(GATED), str(gate.file), str(gate.log)), extra=options)
    return service, gate


def decision_request(service: ServeProcess) -> bytes:
    """A decision that follows the advice on the test case (asked for now, with the gate open)."""
    case = valid_case()
    advice = service.call("POST", f"{V1}/advices", case).json
    decision = {"measure": advice["measure"]["kind"], "amount": advice["measure"]["amount"]}
    return json.dumps({"case": case, "receipt": advice["receipt"], "decision": decision}).encode()


@dataclass
class Answered:
    """What one client got: a status with its headers and body, or the error that ended it."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    error: str | None = None


def post_decision(service: ServeProcess, body: bytes, into: Answered) -> None:
    conn = http.client.HTTPConnection(service.host, service.port, timeout=WAIT * 2)
    try:
        conn.request("POST", f"{V1}/decisions", body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        into.status, into.headers = response.status, {k.lower(): v for k, v in response.getheaders()}
        into.body = json.loads(response.read())
    except (OSError, http.client.HTTPException) as err:
        into.error = type(err).__name__
    finally:
        conn.close()


@contextmanager
def in_flight(service: ServeProcess, body: bytes, count: int) -> Iterator[list[Answered]]:
    """``count`` decisions posted at once, each on its own connection; joined when the block ends."""
    answers = [Answered() for _ in range(count)]
    threads = [threading.Thread(target=post_decision, args=(service, body, a)) for a in answers]
    for t in threads:
        t.start()
    try:
        yield answers
    finally:
        for t in threads:
            t.join(timeout=WAIT * 2)


def kept_alive(service: ServeProcess) -> socket.socket:
    """A connection that got one answer and stays open, idle, as a browser's or a client pool's does."""
    sock = socket.create_connection((service.host, service.port), timeout=WAIT)
    sock.sendall(f"GET {V1}/health HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(65536)
    headers, _, body = head.partition(b"\r\n\r\n")
    length = int(next(h for h in headers.split(b"\r\n") if h.lower().startswith(b"content-length:")).split(b":")[1])
    while len(body) < length:
        body += sock.recv(65536)
    assert b"HTTP/1.1 200" == headers[:12]
    return sock


def raw(service: ServeProcess, data: bytes) -> socket.socket:
    sock = socket.create_connection((service.host, service.port), timeout=WAIT)
    sock.sendall(data)
    return sock


def closed_without_answer(sock: socket.socket) -> bool:
    """The service closed the connection (waits for it, at most WAIT seconds) without sending a byte."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    finally:
        sock.close()
    return b"" == received


def refuses_connections(service: ServeProcess) -> bool:
    try:
        socket.create_connection((service.host, service.port), timeout=WAIT).close()
    except ConnectionRefusedError:
        return True
    return False


def stored_decisions(service: ServeProcess) -> dict[int, str]:
    """Number -> hash of every decision in the service's audit store; the chain must verify."""
    store = AuditStore(service.db, secret=read_secret(service.secret_file, create=False))
    try:
        assert store.verify().ok
        return {r.seq: r.hash for r in store.records() if r.kind == "decision"}
    finally:
        store.close()


def events(service: ServeProcess, name: str) -> list[dict[str, Any]]:
    """The service's log lines (JSON, with --verbose) for one event."""
    lines = [json.loads(line) for line in service.log().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == name]


# --- the tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", SIGNALS)
def test_a_stop_finishes_the_requests_in_progress_and_closes_idle_connections(tmp_path: Path, sig: int) -> None:
    """Thirty idle kept-alive connections and eight decisions in progress (one on the engine, seven
    queued for it) when the signal comes. While the decisions still wait, the idle connections are
    closed without a byte and new connections are refused; once the engine goes on, every decision
    is answered 201 with ``Connection: close``, each is in the store with the hash it was answered
    with, and the service exits 0."""
    service, gate = gated_service(tmp_path, "--shutdown-grace", "600", "--keep-alive", "600")  # never reached here
    body = decision_request(service)
    idle = [kept_alive(service) for _ in range(30)]
    gate.close()
    with in_flight(service, body, 8) as answers:
        gate.wait_for_entered(8)
        service.proc.send_signal(sig)
        idle_closed = [closed_without_answer(sock) for sock in idle]
        draining = (service.proc.poll() is None, refuses_connections(service))
        gate.open()
    status = service.exit_status(within=WAIT)
    assert ([True] * 30, (True, True)) == (idle_closed, draining)
    assert [(201, "close", None)] * 8 == [(a.status, a.headers.get("connection"), a.error) for a in answers]
    assert 0 == status
    assert {a.body["number"]: a.body["hash"] for a in answers} == stored_decisions(service)


@pytest.mark.parametrize("sig", SIGNALS)
def test_after_the_grace_period_a_request_waiting_for_the_engine_gets_503_and_the_service_exits(
    tmp_path: Path, sig: int
) -> None:
    """With an engine that never finishes and a grace period of 1 s: three decisions waiting for the
    engine, and connections still sending their request (headers half sent; a body announced but
    not sent; headers trickling in a byte at a time, slower than nothing but faster than the read
    timeout). After the signal every decision is answered 503 SERVICE_STOPPING with Retry-After and
    ``Connection: close`` and none is recorded, every unfinished request's connection is closed
    without an answer, and the service exits 0: the engine thread does not keep it running. The log
    says what was cut off, with no trace and no client address."""
    service, gate = gated_service(tmp_path, "--shutdown-grace", "1")
    body = decision_request(service)
    gate.close()  # and never opened again
    post = f"POST {V1}/decisions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    unfinished = [raw(service, post[:-20].encode()) for _ in range(2)]
    unfinished += [raw(service, f"{post}Content-Length: {len(body)}\r\n\r\n".encode() + body[:10]) for _ in range(2)]
    trickling = [raw(service, post.encode()) for _ in range(2)]
    stop = threading.Event()

    def trickle(sock: socket.socket) -> None:
        while not stop.is_set():
            try:
                sock.sendall(b"X")  # one byte of a header line that never ends
            except OSError:
                return
            stop.wait(0.2)

    tricklers = [threading.Thread(target=trickle, args=(sock,)) for sock in trickling]
    for t in tricklers:
        t.start()
    with in_flight(service, body, 3) as answers:
        gate.wait_for_entered(3)
        service.proc.send_signal(sig)
        status = service.exit_status(within=WAIT)
    stop.set()
    for t in tricklers:
        t.join(timeout=WAIT)
    unfinished += trickling
    assert 0 == status
    assert [(503, "SERVICE_STOPPING", "5", "close")] * 3 == [
        (a.status, a.body["code"], a.headers.get("retry-after"), a.headers.get("connection")) for a in answers
    ]
    assert [True] * 6 == [closed_without_answer(sock) for sock in unfinished]
    assert {} == stored_decisions(service)
    log = service.log()
    assert (False, False) == ("Traceback" in log, "127.0.0.1" in log)
    [stopped] = events(service, "stopped")
    assert (3, 0) == (stopped["working_after_grace"], stopped["unfinished"])


def test_a_second_signal_ends_the_grace_period_at_once(tmp_path: Path) -> None:
    """Ctrl-C twice: with a grace period of an hour and a decision waiting for an engine that never
    finishes, the second Ctrl-C (sent once the first has closed an idle connection, so that the two
    are not taken for one) ends the grace period: the decision gets 503 SERVICE_STOPPING, and the
    service exits 0."""
    service, gate = gated_service(tmp_path, "--shutdown-grace", "3600", "--keep-alive", "600")
    body = decision_request(service)
    idle = kept_alive(service)
    gate.close()
    with in_flight(service, body, 1) as answers:
        gate.wait_for_entered(1)
        service.proc.send_signal(signal.SIGINT)
        assert closed_without_answer(idle)  # the stop has begun
        service.proc.send_signal(signal.SIGINT)
        status = service.exit_status(within=WAIT)
    assert (0, 503, "SERVICE_STOPPING") == (status, answers[0].status, answers[0].body["code"])


@pytest.mark.parametrize("sig", SIGNALS)
def test_clients_that_keep_their_connections_busy_do_not_keep_the_service_running(tmp_path: Path, sig: int) -> None:
    """Sixteen clients record decisions back to back on kept-alive connections, as `make load` does,
    and go on through the signal. The service exits 0; each client's last answer closes its
    connection (or the connection is closed between two requests); every answer is a 201, and the
    store holds exactly the decisions answered 201: none lost, none recorded unanswered."""
    service = start(tmp_path, extra=("--shutdown-grace", "600"))  # never reached here
    body = decision_request(service)
    lock = threading.Lock()
    confirmed: dict[int, str] = {}
    statuses: list[int] = []
    endings: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection(service.host, service.port, timeout=WAIT * 2)
        try:
            while True:
                conn.request("POST", f"{V1}/decisions", body=body, headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                answer = json.loads(response.read())
                with lock:
                    statuses.append(response.status)
                    if response.status == 201:
                        confirmed[answer["number"]] = answer["hash"]
                if response.getheader("Connection", "").lower() == "close":
                    ending = "closed by the answer"
                    break
        except (OSError, http.client.HTTPException) as err:  # the connection closed between requests
            ending = type(err).__name__
        finally:
            conn.close()
        with lock:
            endings.append(ending)

    clients = [threading.Thread(target=client) for _ in range(16)]
    for t in clients:
        t.start()
    deadline = time.monotonic() + WAIT
    while len(confirmed) < 32 and time.monotonic() < deadline:  # the clients are under way
        time.sleep(0.01)
    service.proc.send_signal(sig)
    status = service.exit_status(within=WAIT)
    for t in clients:
        t.join(timeout=WAIT)
    assert (0, 16) == (status, len(endings))
    assert set() == set(endings) - {
        "closed by the answer",
        "RemoteDisconnected",
        "ConnectionResetError",
        "BrokenPipeError",
    }
    assert ({201}, True) == (set(statuses), len(confirmed) >= 32)
    assert confirmed == stored_decisions(service)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tgkill, and /proc for the thread ids, are Linux's")
@pytest.mark.parametrize("sig", SIGNALS)
def test_a_signal_the_kernel_hands_to_another_thread_still_stops_the_service(tmp_path: Path, sig: int) -> None:
    """A signal sent to the process goes to any of its threads that does not block it; the kernel
    passes the main thread over when that thread is held (by a profiler such as py-spy, say) or
    already has a signal pending. Python runs the handler only on the main thread, once that thread
    runs Python code again. Sent to one of the other threads directly (tgkill), SIGINT and SIGTERM
    still stop the service, and it exits 0."""
    service = start(tmp_path)
    assert 200 == service.call("POST", f"{V1}/advices", valid_case()).status  # the engine thread is up
    others = [int(tid) for tid in os.listdir(f"/proc/{service.proc.pid}/task") if int(tid) != service.proc.pid]
    libc = ctypes.CDLL(None, use_errno=True)
    # To the first that is still there (the engine and the accept thread always are).
    assert any(0 == libc.tgkill(service.proc.pid, tid, int(sig)) for tid in sorted(others))
    assert 0 == service.exit_status(within=WAIT)


def test_a_negative_grace_period_is_refused_as_a_usage_error(tmp_path: Path) -> None:
    """`--shutdown-grace -1` is a usage error (exit 2), not a service that never waits."""
    command = [sys.executable, "-m", "maatwerk", "serve", "--auth", "local", "--port", "0"]
    command += ["--db", str(tmp_path / "a.sqlite")]
    done = subprocess.run(
        [*command, "--shutdown-grace", "-1"], capture_output=True, text=True, timeout=WAIT, check=False
    )
    assert (2, True) == (done.returncode, "not a number of seconds (0 or more)" in done.stderr)


def test_a_stop_waits_for_a_decision_being_written_no_longer_than_the_store_s_lock_wait_and_the_read_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decision whose audit write hangs (a disk that stopped answering) past the grace period: a
    stop waits for it at most the store's ``lock_timeout`` plus the read timeout (here 0.5 + 0.5 s;
    a write that waits out its lock and then sends its answer takes no longer), then returns and
    logs the request as unfinished, and nothing was recorded. The bound follows the store: a store
    that may wait two minutes for its lock is waited for that long."""

    def server_with(lock_timeout: float, db: str) -> Service:
        store = AuditStore(tmp_path / db, secret=b"s" * 32, lock_timeout=lock_timeout)
        settings = Settings(auth="local", port=0, request_timeout=0.5, shutdown_grace=0.1)
        return Service(settings, Advisor(Engine(), store))

    slow = server_with(120, "slow.sqlite")
    slow.sock.close()
    assert 120.5 == slow.finish_seconds
    server = server_with(0.5, "a.sqlite")
    writing, disk = threading.Event(), threading.Event()

    def hung(*_: Any, **__: Any) -> Any:
        writing.set()
        disk.wait()  # until the test ends
        raise OSError("the disk stopped answering")

    monkeypatch.setattr(server.advisor, "record", hung)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    assert server.started.wait(WAIT)
    case = valid_case()
    advice = call(server, "POST", f"{V1}/advices", case).json
    decision = {"measure": advice["measure"]["kind"], "amount": advice["measure"]["amount"]}
    body = {"case": case, "receipt": advice["receipt"], "decision": decision}
    client = threading.Thread(target=lambda: call(server, "POST", f"{V1}/decisions", body), daemon=True)
    stopped = threading.Event()

    def stop() -> None:
        server.stop()
        stopped.set()

    try:
        with structlog.testing.capture_logs() as logged:
            client.start()
            assert writing.wait(WAIT)
            threading.Thread(target=stop, daemon=True).start()
            assert stopped.wait(WAIT)  # without a bound, the stop would wait for the hung write for ever
        assert [] == list(server.advisor.store.records())
    finally:
        disk.set()
        client.join(timeout=WAIT)
    [event] = [e for e in logged if e["event"] == "stopped"]
    assert (1, 1) == (event["working_after_grace"], event["unfinished"])


@pytest.mark.parametrize("sig", SIGNALS)
def test_a_signal_while_the_packs_load_ends_the_start_with_exit_0_and_serves_nothing(tmp_path: Path, sig: int) -> None:
    """Ctrl-C or SIGTERM while the engine loads its packs (a few hundred milliseconds at start-up):
    the start ends cleanly with exit 0: no trace, never a 'serving' line, and no audit store or key
    is created for a service that never served."""
    name = signal.Signals(sig).name
    command = [sys.executable, str(Path(__file__).resolve().parent / "signal_while_loading.py"), name]
    command += ["serve", "--auth", "local", "--port", "0", "--db", str(tmp_path / "a.sqlite")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=WAIT, check=False)
    assert (0, "", False) == (done.returncode, done.stdout, "Traceback" in done.stderr)
    assert [] == sorted(p.name for p in tmp_path.iterdir())


def test_a_start_with_a_broken_policy_folder_creates_no_audit_files(tmp_path: Path) -> None:
    """``maatwerk serve`` loads its packs before it opens the audit store: when they do not load (exit
    4), no database and no key file is left behind."""
    from maatwerk.cli import EXIT_POLICY, main

    pack = tmp_path / "policies" / "benefits" / "broken"
    pack.mkdir(parents=True)
    (pack / "2024-01-01.yaml").write_text("pack: [not, a, pack\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    code = main(
        [
            "serve",
            "--auth",
            "local",
            "--port",
            "0",
            "--db",
            str(work / "a.sqlite"),
            "--policies",
            str(tmp_path / "policies"),
        ]
    )
    assert (EXIT_POLICY, []) == (code, sorted(p.name for p in work.iterdir()))


def test_a_start_on_a_taken_port_removes_the_audit_files_it_created(tmp_path: Path) -> None:
    """A port already in use ends the start with exit 2; the store, key and anchor it had just created
    are removed again (the key and anchor from the user's config folder), so a refused start leaves
    nothing behind."""
    from maatwerk.audit._config import default_anchor_file, default_secret_file
    from maatwerk.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(
            [
                "serve",
                "--auth",
                "local",
                "--port",
                str(port),
                "--db",
                str(tmp_path / "a.sqlite"),
                "--evaluator",
                "reference",
            ]
        )
    key = default_secret_file(tmp_path / "a.sqlite")
    assert (2, [], False, False) == (
        code,
        sorted(p.name for p in tmp_path.iterdir()),
        key.exists(),
        default_anchor_file(tmp_path / "a.sqlite", key).exists(),
    )


def test_a_refused_start_keeps_an_audit_store_that_existed(tmp_path: Path) -> None:
    """Only the files a start created are removed: an existing store and its key stay as they were."""
    from maatwerk.audit._config import default_secret_file, open_store
    from maatwerk.cli import main

    open_store(tmp_path / "a.sqlite", create_secret=True).close()
    before = sorted(p.name for p in tmp_path.iterdir())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(
            [
                "serve",
                "--auth",
                "local",
                "--port",
                str(port),
                "--db",
                str(tmp_path / "a.sqlite"),
                "--evaluator",
                "reference",
            ]
        )
    assert (2, True) == (code, default_secret_file(tmp_path / "a.sqlite").exists())
    assert {"a.sqlite"} <= set(before)
    assert set(before) <= {p.name for p in tmp_path.iterdir()}
