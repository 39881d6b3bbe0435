# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The caseworker service: a JSON API and a web page over one Engine and one audit store.

Built on the standard library's ``ThreadingHTTPServer``, so the service adds no dependency (see
docs/how-to/run-the-service.md for why). Every advice call runs on one engine worker thread:
durable-rules needs serialised access, and the request thread can stop waiting after the time limit
and answer 503 while the engine finishes. Each connection has a read timeout (408 for a body that
does not arrive), bodies have a size limit (413), and the number of connections is capped (503).
Errors are problem details (RFC 9457) with a stable code and located problems, never a trace.
Log lines carry the route name, status and duration, and a recorded decision's number with the case
as a keyed pseudonym (``Engine.pseudonym``): no case data, no path parameters, no caseworker ids.

A stop (``Server.stop``; `maatwerk serve` on SIGINT or SIGTERM) is bounded: no new connection,
idle kept-alive connections closed at once, a grace period for requests in progress, then a 503 for
a request still waiting for its advice; a decision being written is never cut off by it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import math
import queue
import re
import socket
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, TypeVar, cast
from urllib.parse import parse_qs, urlsplit

import structlog

from maatwerk._api import DuplicateKeyError, load_json
from maatwerk._version import __version__
from maatwerk.audit import Actor, AuditNotFoundError, AuditStoreFullError, AuditWriteError, Record
from maatwerk.audit._decisions import Advisor, StaleAdviceError, record_motivation
from maatwerk.audit._report import Period, learning_report
from maatwerk.errors import CaseError, MaatwerkError, PolicySelectionError, Problem
from maatwerk.http._openapi import API_VERSION, BASE, DecisionRequest, openapi

__all__ = ["Server", "ServiceConfig", "make_server"]

_log = structlog.get_logger("maatwerk.http")
T = TypeVar("T")


def _event(level: str, event: str, **fields: Any) -> None:
    """Log an event; a failing log sink never turns into a failed request."""
    with contextlib.suppress(Exception):
        getattr(_log, level)(event, **fields)


class ConfigValueError(ValueError):
    """A :class:`ServiceConfig` field with a value the service cannot run with (``field`` names it)."""

    def __init__(self, field: str, rule: str, value: object) -> None:
        super().__init__(f"ServiceConfig.{field} must be {rule}, not {value!r}")
        self.field = field
        self.rule = rule


#: A header name as HTTP defines it (RFC 9110 5.1, ``token``).
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", re.ASCII)
_DAY_S = 86_400.0


def _check_int(field: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigValueError(field, f"a whole number from {low:,} to {high:,}", value)


def _check_seconds(field: str, value: object, *, zero: bool) -> None:
    number = value if not isinstance(value, bool) and isinstance(value, int | float) else math.nan
    if not (number >= 0 if zero else number > 0) or not number <= _DAY_S:  # NaN fails both
        low = "0" if zero else "above 0"
        raise ConfigValueError(field, f"a number of seconds, {low} and at most {_DAY_S:,.0f}", value)


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """Limits and settings of the service. Every field is checked when the config is made: a value
    the service cannot run with (a negative timeout, no connections, a port beyond 65535) raises
    :class:`ValueError` naming the field, never a service that fails on its first request."""

    host: str = "127.0.0.1"
    port: int = 8080
    #: Largest request body in bytes (a case is at most 1 MB; a decision wraps one).
    max_body: int = 1_100_000
    #: Seconds a client may take to send its request line, headers or body (then 408).
    read_timeout: float = 10.0
    #: Seconds an advice (or a decision's advice) may take (then 503).
    advise_timeout: float = 20.0
    #: Connections served at once; more are refused with 503.
    max_connections: int = 128
    #: Seconds a stop gives the requests in progress to finish (see ``Server.stop``).
    shutdown_grace: float = 5.0
    #: When set, the caseworker id is taken from this request header (set by an authenticating
    #: proxy) and the body's caseworker_id is ignored.
    caseworker_header: str | None = None
    contact_name: str = "Beheerder maatwerk"
    contact_email: str = "maatwerk@gemeente.invalid"
    contact_url: str = "https://gemeente.invalid/maatwerk"

    def __post_init__(self) -> None:
        if not isinstance(self.host, str) or not self.host.strip():
            raise ConfigValueError("host", "a host name or address (0.0.0.0 for every interface)", self.host)
        _check_int("port", self.port, 0, 65_535)
        _check_int("max_body", self.max_body, 1, 1 << 30)
        _check_seconds("read_timeout", self.read_timeout, zero=False)
        _check_seconds("advise_timeout", self.advise_timeout, zero=False)
        _check_int("max_connections", self.max_connections, 1, 65_535)
        _check_seconds("shutdown_grace", self.shutdown_grace, zero=True)
        header = self.caseworker_header
        if header is not None and not (isinstance(header, str) and _HEADER_NAME.fullmatch(header)):
            raise ConfigValueError("caseworker_header", "an HTTP header name such as X-Caseworker", header)
        for field in ("contact_name", "contact_email", "contact_url"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ConfigValueError(field, "a text that is not empty", value)


class HttpProblemError(Exception):
    """An error answer: status, stable code, title, detail, located problems."""

    def __init__(
        self, status: int, code: str, detail: str, *, problems: tuple[Problem, ...] = (), hint: str = ""
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.problems = problems
        self.hint = hint
        self.headers: dict[str, str] = {}


def _from_error(err: MaatwerkError) -> HttpProblemError:
    if isinstance(err, StaleAdviceError):
        status = 409
    elif isinstance(err, CaseError):  # also DecisionError
        status = 400
    elif isinstance(err, PolicySelectionError):
        status = 422
    elif isinstance(err, AuditNotFoundError):
        status = 404
    elif isinstance(err, AuditStoreFullError):
        status = 507  # Insufficient Storage: nothing was recorded
    elif isinstance(err, AuditWriteError):
        status = 503  # the store cannot write now; the same request can be sent again
    else:
        status = 500
    code = err.code
    if isinstance(err, CaseError) and err.problems and err.problems[0].code == "CASE_TOO_LARGE":
        status, code = 413, "CASE_TOO_LARGE"
    problem = HttpProblemError(status, code, err.message, problems=err.problems, hint=err.hint)
    if status == 503:
        problem.headers["Retry-After"] = "30"
    return problem


def _json_body(raw: bytes) -> Any:
    try:
        return load_json(raw)
    except DuplicateKeyError as err:
        raise HttpProblemError(
            400,
            "BODY_DUPLICATE_KEY",
            "the request body names a field twice",
            problems=(Problem("(body)", "BODY_DUPLICATE_KEY", str(err)),),
        ) from None
    except (ValueError, RecursionError) as err:
        raise HttpProblemError(
            400,
            "BODY_NOT_JSON",
            "the request body is not valid JSON",
            problems=(Problem("(body)", "BODY_NOT_JSON", str(err)[:200]),),
        ) from None


RECEIPT = re.compile(r"^[0-9a-f]{64}$")
ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("GET", re.compile(r"^/$"), "page"),
    ("GET", re.compile(r"^/assets/(?P<name>[a-z]+\.(?:js|css))$"), "asset"),
    ("GET", re.compile(rf"^{BASE}$"), "landing"),
    ("GET", re.compile(rf"^{BASE}/health$"), "health"),
    ("GET", re.compile(rf"^{BASE}/openapi\.json$"), "openapi"),
    ("GET", re.compile(rf"^{BASE}/schemas/(?P<kind>[^/]+)$"), "schema"),
    ("GET", re.compile(rf"^{BASE}/packs$"), "packs"),
    ("POST", re.compile(rf"^{BASE}/advices$"), "advise"),
    ("GET", re.compile(rf"^{BASE}/advices/(?P<receipt>[^/]+)$"), "advice"),
    ("GET", re.compile(rf"^{BASE}/advices/(?P<receipt>[^/]+)/decisions$"), "advice_decisions"),
    ("POST", re.compile(rf"^{BASE}/decisions$"), "decide"),
    ("GET", re.compile(rf"^{BASE}/decisions/(?P<number>[^/]+)$"), "decision"),
    ("GET", re.compile(rf"^{BASE}/learning-report$"), "report"),
]
#: The routes that read a request body (their work begins once it is in; see Handler._begin_work).
BODY_ROUTES = frozenset({"advise", "decide"})
ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _static(name: str) -> bytes:
    return resources.files("maatwerk.http").joinpath("static", name).read_bytes()


def _frames(err: BaseException) -> list[str]:
    """Where an error happened, as file:line:function (no values)."""
    return [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in traceback.extract_tb(err.__traceback__)]


class _EngineThread:
    """The one engine worker: a daemon thread that runs engine calls one at a time, in order.

    Not a ``ThreadPoolExecutor``, whose thread the interpreter joins at exit: a stopped service did
    not exit while an advice was still running, however long it ran (an advice past the time limit
    keeps running; one that hangs kept the process from exiting at all). A stop answers the requests
    waiting for the engine first (``Server.stop``); then nothing waits for this thread."""

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None]
        self._calls = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="maatwerk-engine", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Queue ``fn(*args)``; the future gives its result or its exception."""
        future: Future[T] = Future()
        self._calls.put((future, fn, args))
        return future

    def shutdown(self) -> None:
        """End the thread after the calls already queued (a cancelled one is skipped)."""
        self._calls.put(None)

    def _run(self) -> None:
        while (call := self._calls.get()) is not None:
            future, fn, args = call
            if not future.set_running_or_notify_cancel():
                continue  # cancelled while queued: its request was answered without it
            try:
                result = fn(*args)
            except BaseException as err:  # handed to the request thread that waits for it
                future.set_exception(err)
            else:
                future.set_result(result)
            del call, future, fn, args


#: What a connection's thread is doing: waiting for the next request, receiving one, or acting on it
#: (computing, writing to the audit store, answering).
_IDLE, _READING, _WORKING = "idle", "reading", "working"


@dataclass(slots=True)
class _Connection:
    """An open connection and what its thread is doing; ``closed`` once a stop has closed it."""

    sock: socket.socket
    state: str = _IDLE
    closed: bool = False

    def close(self) -> None:
        """Close it under its thread: a read or write that thread is blocked in returns at once."""
        self.closed = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)


class _ClientGoneError(Exception):
    """The connection is gone (the client went away, or a stop closed it): nothing is sent on it."""


class Server(ThreadingHTTPServer):
    """The HTTP server: one Advisor, one engine worker, a cap on connections, a bounded stop."""

    daemon_threads = True
    # server_close() does not wait for the connection threads: a kept-alive connection lasts as long
    # as its client keeps using it. stop() ends them, within a bounded time, instead.
    block_on_close = False
    allow_reuse_address = True
    #: The longest a stop waits without running Python code. The kernel hands a signal for the
    #: process to any thread that does not block it, and passes the main thread over when that is
    #: held (py-spy holds each thread while it samples it) or already has a signal pending; Python
    #: then runs the handler on the main thread only once that thread runs Python code again. So the
    #: main thread never blocks for longer than this (socketserver's accept loop looks up as often).
    POLL_SECONDS = 0.5

    def __init__(self, advisor: Advisor, config: ServiceConfig) -> None:
        self.advisor = advisor
        self.config = config
        # The listen backlog (socketserver's default is 5): a burst of clients connecting at once
        # (32 in `make load`) overflowed it, and some connections were reset or waited a second
        # for a SYN retransmission. Connections past the cap are answered 503 instead.
        self.request_queue_size = config.max_connections
        self.worker = _EngineThread()
        self._slots = threading.BoundedSemaphore(config.max_connections)
        self._stopping = False  # set when a stop begins: every answer from then on closes its connection
        self._connections: dict[Any, _Connection] = {}  # by socket; guarded by _changed
        self._changed = threading.Condition()  # notified when a connection ends or the grace is cut short
        self._hurry = False
        self._grace_over: Future[None] = Future()  # done when a stop's grace period has ended
        self.openapi_bytes = json.dumps(
            openapi(
                contact_name=config.contact_name, contact_email=config.contact_email, contact_url=config.contact_url
            ),
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8")
        super().__init__((config.host, config.port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def run_engine(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` on the engine worker; 503 when it takes longer than the time limit, or when a
        stop's grace period ends first (then ``fn`` never runs if it had not started)."""
        if not self._grace_over.done():
            future = self.worker.submit(fn, *args)
            pending: tuple[Future[Any], ...] = (future, self._grace_over)
            wait(pending, timeout=self.config.advise_timeout, return_when=FIRST_COMPLETED)
            if future.done():
                return future.result()
            future.cancel()
        if self._grace_over.done():
            problem = HttpProblemError(
                503, "SERVICE_STOPPING", "the service is stopping and did nothing with this request; send it again"
            )
        else:
            problem = HttpProblemError(
                503,
                "ADVICE_TIMEOUT",
                f"the advice took longer than {self.config.advise_timeout:g} seconds; try again in a moment",
            )
        problem.headers["Retry-After"] = "5"
        raise problem

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            body = _problem_bytes(503, "SERVICE_BUSY", "too many connections; try again in a moment", "", ())
            head = (
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
                f"API-Version: {API_VERSION}\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            with contextlib.suppress(OSError):
                request.sendall(head.encode("ascii") + body)
            self.shutdown_request(request)
            _event("warning", "request", route="(refused)", status=503)
            return
        with self._changed:
            self._connections[request] = _Connection(request)
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._forget(request)
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._forget(request)
            self._slots.release()

    def _forget(self, request: Any) -> None:
        with self._changed:
            self._connections.pop(request, None)
            self._changed.notify_all()

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ARG002 (socketserver's signature)
        """A connection's thread failed outside a request's own error handling. Mostly the client
        went away (or a stop closed the connection) while a request was read: one log line, never
        the client's address (the standard library prints it, with a trace, to stderr)."""
        err = sys.exc_info()[1]
        if isinstance(err, OSError | _ClientGoneError):
            _event("info", "client_gone", error=type(err).__name__)
        elif err is not None:
            _event("error", "unexpected", route="(connection)", error=type(err).__name__, frames=_frames(err))

    def _enter(self, request: Any, state: str) -> bool:
        """Note that a connection's thread starts to wait for a request, to receive one, or to act on
        one. False when it may not: a stop closed the connection, or (for a next request) is under way."""
        with self._changed:
            conn = self._connections.get(request)
            if conn is None or conn.closed or (state == _IDLE and self._stopping):
                return False
            conn.state = state
            return True

    def _closed_by_stop(self, request: Any) -> bool:
        with self._changed:
            conn = self._connections.get(request)
            return conn is not None and conn.closed

    def end_grace(self) -> None:
        """End a stop's grace period now (`maatwerk serve` does on a second SIGINT or SIGTERM)."""
        with self._changed:
            self._hurry = True
            self._changed.notify_all()

    def stop(self) -> None:
        """Stop serving, as `maatwerk serve` does on SIGINT or SIGTERM, and close the server.

        Call it from another thread than ``serve_forever``'s, once that has been started. No new
        connection is accepted (attempts are refused) and idle kept-alive connections are closed at
        once. Requests in progress get ``config.shutdown_grace`` seconds (or until :meth:`end_grace`)
        to finish; each is answered with ``Connection: close``. Then a request still waiting for the
        engine is answered 503 ``SERVICE_STOPPING`` (nothing was done with it), and a connection
        still sending its request is closed without an answer (the request was never acted on).
        Requests being acted on past that point (a decision being written to the audit store, an
        answer being sent) are waited for, at most :attr:`finish_seconds` more."""
        self.shutdown()  # the accept loop ends
        self.socket.close()  # from now on connection attempts are refused
        with self._changed:
            self._stopping = True
            states = [conn.state for conn in self._connections.values()]
            for conn in self._connections.values():
                if conn.state == _IDLE:
                    conn.close()
        _event(
            "info",
            "stopping",
            grace_s=self.config.shutdown_grace,
            **{state: states.count(state) for state in (_IDLE, _READING, _WORKING)},
        )
        with self._changed:
            self._wait_for(lambda: not self._connections or self._hurry, self.config.shutdown_grace)
            self._end_grace_period()
            unread = [conn for conn in self._connections.values() if conn.state != _WORKING and not conn.closed]
            for conn in unread:
                conn.close()
            working = sum(conn.state == _WORKING for conn in self._connections.values())
            self._wait_for(lambda: not self._connections, self.finish_seconds)
            unfinished = len(self._connections)
        _event(
            "warning" if unread or working else "info",  # the grace period did not suffice for everything
            "stopped",
            closed_unanswered=len(unread),
            working_after_grace=working,
            unfinished=unfinished,
        )
        self.server_close()

    @property
    def finish_seconds(self) -> float:
        """After the grace period, how long a stop still waits for requests being acted on: a
        decision being written waits at most the audit store's ``lock_timeout`` for the database's
        lock, and its answer is then sent within the read timeout (the socket's timeout). Whatever
        still runs after that ends with the process, as in a crash: a decision is recorded whole or
        not at all."""
        return self.advisor.store.lock_timeout + self.config.read_timeout

    def _wait_for(self, done: Callable[[], bool], seconds: float) -> None:
        """Until ``done()`` or ``seconds`` have passed; call with ``_changed`` held. In slices of
        :attr:`POLL_SECONDS`, so that a second signal is acted on even when another thread got it."""
        deadline = time.monotonic() + seconds
        while not done() and (left := deadline - time.monotonic()) > 0:
            self._changed.wait(min(left, self.POLL_SECONDS))

    def _end_grace_period(self) -> None:
        with self._changed:
            if not self._grace_over.done():
                self._grace_over.set_result(None)  # requests waiting for the engine answer 503 now

    def server_close(self) -> None:
        super().server_close()
        self._end_grace_period()
        self.worker.shutdown()


def _problem_bytes(
    status: int, code: str, detail: str, instance: str, problems: tuple[Problem, ...], hint: str = ""
) -> bytes:
    body: dict[str, Any] = {
        "type": f"urn:maatwerk:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if hint:
        body["hint"] = hint
    if problems:
        body["invalidParams"] = [{"name": p.where, "code": p.code, "reason": p.message} for p in problems]
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    _body_unread = False  # set when a request is refused before its body is read

    # -- plumbing --------------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.config.read_timeout)
        # Headers and body go out in two writes; with Nagle's algorithm the body then waits for the
        # client's delayed ACK (about 40 ms on Linux) on a kept-alive connection. Found by `make load`.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    #: A refused body still on its way is read and dropped after the answer, for at most this long
    #: and this many bytes, so that the client can finish sending and read the answer; closing at
    #: once would reset the connection under a client that is still sending ("lingering close").
    LINGER_SECONDS = 2.0
    LINGER_BYTES = 64 * 1024 * 1024

    def version_string(self) -> str:
        return "maatwerk"

    def finish(self) -> None:
        super().finish()
        if self._body_unread:
            self._linger()

    # A connection's thread tells the server what it is doing, so that a stop knows what it may close
    # (see Server.stop): between requests it is idle, from the request line on it receives a request,
    # and once the request is in full it acts on it. A connection the stop closed does nothing more.

    def handle_one_request(self) -> None:
        if not self.server._enter(self.request, _IDLE):
            self.close_connection = True
            return
        super().handle_one_request()

    def parse_request(self) -> bool:
        if not self.server._enter(self.request, _READING):
            self.close_connection = True
            return False
        return super().parse_request()

    def _begin_work(self) -> None:
        if not self.server._enter(self.request, _WORKING):
            raise _ClientGoneError("closed by the stop before the request was acted on")

    def _linger(self) -> None:
        """Half-close (the answer is sent), then drop what the client still sends, bounded."""
        sock = self.connection
        deadline = time.monotonic() + self.LINGER_SECONDS
        dropped = 0
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)
            while dropped < self.LINGER_BYTES:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                sock.settimeout(left)
                chunk = sock.recv(65536)
                if not chunk:
                    break
                dropped += len(chunk)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stdlib's access log: it prints the path, and paths hold receipts."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:  # noqa: ARG002 (the stdlib's signature)
        """Errors the stdlib raises itself (bad request line, unsupported method) as problem details.
        The stdlib's message repeats what it could not parse ("Bad request syntax ('...')"); the
        detail keeps only its first words, never the client's bytes."""
        status = 405 if code == 501 else code
        if message is not None:
            message = message.split(" (", 1)[0].split(":", 1)[0]
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":  # unparsed request line: answer HTTP/1.1
            self.request_version = "HTTP/1.1"
        self._send(
            status,
            _problem_bytes(status, f"HTTP_{status}", message or HTTPStatus(status).phrase, "", ()),
            "application/problem+json",
        )

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        if self.server._closed_by_stop(self.request):
            raise _ClientGoneError("closed by the stop")
        if self.server._stopping:
            self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("API-Version", API_VERSION)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        try:
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError as err:  # the client went away (or timed out reading): not a defect of ours
            raise _ClientGoneError(type(err).__name__) from None
        self._status = status

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json", headers)

    def _problem(self, problem: HttpProblemError) -> None:
        path = urlsplit(self.path).path
        self._send(
            problem.status,
            _problem_bytes(problem.status, problem.code, problem.detail, path, problem.problems, problem.hint),
            "application/problem+json",
            problem.headers,
        )

    def _leave_body_unread(self) -> None:
        """The request is answered without reading its body (a route that takes none, 404, 405). A
        body it came with must not be read as the next request on a kept-alive connection (that
        request would be refused with the body's first bytes in its error): answer, drop the body
        (bounded, as for a refused body) and close the connection."""
        length = (self.headers.get("Content-Length") or "").strip()
        if self.headers.get("Transfer-Encoding") or length not in ("", "0"):
            self.close_connection = self._body_unread = True

    def _read_body(self) -> bytes:
        ctype = (self.headers.get("Content-Type") or "application/json").split(";")[0].strip().lower()
        if ctype != "application/json" and not ctype.endswith("+json"):
            self.close_connection = self._body_unread = True
            raise HttpProblemError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json")
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = self._body_unread = True
            raise HttpProblemError(411, "LENGTH_REQUIRED", "send the body with a Content-Length, not chunked")
        length_text = self.headers.get("Content-Length")
        if length_text is None or not length_text.isdigit():
            self.close_connection = self._body_unread = True
            raise HttpProblemError(411, "LENGTH_REQUIRED", "send a Content-Length header")
        length = int(length_text)
        if length > self.server.config.max_body:
            # The body is never read (only dropped after the answer): close, do not reuse the connection.
            self.close_connection = self._body_unread = True
            raise HttpProblemError(
                413, "BODY_TOO_LARGE", f"the request body is larger than {self.server.config.max_body} bytes"
            )
        try:
            data = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise HttpProblemError(408, "REQUEST_TIMEOUT", "the request body did not arrive in time") from None
        if len(data) < length:
            self.close_connection = True
            raise HttpProblemError(400, "BODY_INCOMPLETE", "the connection closed before the whole body arrived")
        self._begin_work()
        return data

    # -- dispatch ----------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        started = time.perf_counter()
        self._status = 0
        path = urlsplit(self.path).path
        route = "(none)"
        try:
            try:
                matched = [(m, rx.match(path), name) for m, rx, name in ROUTES]
                hits = [(m, match, name) for m, match, name in matched if match]
                if not hits:
                    self._leave_body_unread()
                    raise HttpProblemError(404, "NOT_FOUND", "no such resource (paths have no trailing slash)")
                for m, match, name in hits:
                    if m == method:
                        route = name
                        if name not in BODY_ROUTES:  # those begin their work once the body is in
                            self._leave_body_unread()
                            self._begin_work()
                        getattr(self, f"r_{name}")(**match.groupdict())
                        break
                else:
                    self._leave_body_unread()
                    problem = HttpProblemError(405, "METHOD_NOT_ALLOWED", f"{method} is not allowed here")
                    problem.headers["Allow"] = ", ".join(sorted({m for m, _, _ in hits}))
                    raise problem
            except _ClientGoneError:
                raise
            except HttpProblemError as problem:
                self._problem(problem)
            except MaatwerkError as err:
                self._problem(_from_error(err))
            except Exception as err:  # never a stack trace to the client; a located one in the log
                incident = uuid.uuid4().hex[:12]
                _event(
                    "error", "unexpected", route=route, incident=incident, error=type(err).__name__, frames=_frames(err)
                )
                self.close_connection = True
                self._problem(HttpProblemError(500, "INTERNAL_ERROR", f"unexpected failure; incident {incident}"))
        except _ClientGoneError as gone:  # nothing can be sent; what was done stays done (a recorded decision)
            self.close_connection = True
            _event("info", "client_gone", route=route, reason=str(gone))
        _event(
            "info",
            "request",
            method=method,
            route=route,
            status=self._status,
            ms=round((time.perf_counter() - started) * 1000, 1),
        )

    def _query(self) -> dict[str, str]:
        query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        return {k: v[-1] for k, v in query.items()}

    # -- routes ------------------------------------------------------------------------------------

    def r_page(self) -> None:
        self._send(200, _static("index.html"), "text/html; charset=utf-8", PAGE_HEADERS)

    def r_asset(self, name: str) -> None:
        if name not in ASSETS:
            raise HttpProblemError(404, "NOT_FOUND", "no such asset")
        self._send(200, _static(name), ASSETS[name], PAGE_HEADERS)

    def r_landing(self) -> None:
        self._json(
            200,
            {
                "name": "maatwerk",
                "api_version": API_VERSION,
                "links": {"openapi": f"{BASE}/openapi.json", "health": f"{BASE}/health"},
            },
        )

    def r_health(self) -> None:
        self._json(200, {"status": "ok", "version": __version__})

    def r_openapi(self) -> None:
        self._json(200, self.server.openapi_bytes, {"Access-Control-Allow-Origin": "*"})

    def r_schema(self, kind: str) -> None:
        if kind == "decision":
            doc: dict[str, Any] = DecisionRequest.model_json_schema()
            doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        elif kind in {"case", "advice", "policy"}:
            from maatwerk._cli_common import schema

            doc = schema(kind)
        else:
            raise HttpProblemError(
                400,
                "SCHEMA_UNKNOWN",
                "kind is one of case, advice, policy, decision",
                problems=(Problem("kind", "SCHEMA_UNKNOWN", f"unknown kind {kind[:40]!r}"),),
            )
        self._json(200, doc)

    def r_packs(self) -> None:
        engine = self.server.advisor.engine
        packs = []
        for versions in engine.policies.packs.values():
            for v in versions:
                head = v.file.pack
                packs.append(
                    {
                        "id": v.id,
                        "version": v.version,
                        "valid_from": v.valid_from.isoformat(),
                        "domain": head.domain,
                        "layer": head.layer,
                        "municipality": head.municipality,
                        "sha256": v.sha256,
                    }
                )
        self._json(
            200,
            {
                "municipality": engine.municipality,
                "policy_set": self.server.advisor.policy_set,
                "engine": engine.engine,
                "packs": packs,
            },
        )

    def r_advise(self) -> None:
        raw = self._read_body()
        advice = self.server.run_engine(self.server.advisor.advise, raw)
        self._json(200, advice.model_dump_json().encode("utf-8"))

    def _receipt(self, receipt: str) -> str:
        if not RECEIPT.match(receipt):
            raise HttpProblemError(
                400,
                "RECEIPT_INVALID",
                "a receipt is 64 lowercase hexadecimal characters",
                problems=(Problem("receipt", "RECEIPT_INVALID", "not a SHA-256 in hex"),),
            )
        return receipt

    def _actor(self) -> Actor:
        """Who reads, for the access log: the caseworker header when the service has one (set by the
        authenticating proxy), else an unauthenticated reader."""
        header = self.server.config.caseworker_header
        who = self.headers.get(header) if header else None
        return Actor(who or "(unauthenticated)", "http")

    def r_advice(self, receipt: str) -> None:
        result = self.server.run_engine(
            functools.partial(self.server.advisor.advice_for, actor=self._actor()), self._receipt(receipt)
        )
        self._json(
            200,
            result.advice.model_dump_json().encode("utf-8"),
            {"Maatwerk-Replay-Identical": str(result.identical).lower()},
        )

    def _view(self, record: Record, *, with_replay: bool) -> dict[str, Any]:
        body = record.body
        view: dict[str, Any] = {
            "number": record.seq,
            "receipt": record.receipt,
            "recorded_at": record.recorded_at,
            "hash": record.hash,
            "previous_hash": record.prev_hash,
            "caseworker": body.get("caseworker"),
            "packs": body.get("packs", []),
            "advised": body.get("advised", {}),
            "decision": body.get("decision", {}),
        }
        if with_replay:
            result = self.server.run_engine(
                functools.partial(self.server.advisor.advice_for, actor=self._actor()), record.receipt
            )
            view["replay"] = result.to_dict()
            view["motivation"] = {lang: record_motivation(record, result.advice, lang) for lang in ("nl", "en")}
        return view

    def r_advice_decisions(self, receipt: str) -> None:
        records = self.server.advisor.store.by_receipt(self._receipt(receipt), actor=self._actor())
        if not records:
            raise HttpProblemError(404, "NOT_FOUND", "no decision was recorded on this receipt")
        self._json(200, [self._view(r, with_replay=False) for r in records])

    def r_decision(self, number: str) -> None:
        if not number.isdigit() or len(number) > 18 or int(number) < 1:
            raise HttpProblemError(
                400,
                "NUMBER_INVALID",
                "a record number is a positive integer",
                problems=(Problem("number", "NUMBER_INVALID", "not a positive integer"),),
            )
        record = self.server.advisor.store.by_seq(int(number), actor=self._actor())
        if record is None or record.kind != "decision":
            raise HttpProblemError(404, "NOT_FOUND", "no such decision")
        self._json(200, self._view(record, with_replay=True))

    def r_decide(self) -> None:
        data = _json_body(self._read_body())
        if not isinstance(data, dict):
            raise HttpProblemError(400, "BODY_NOT_OBJECT", "send a JSON object with case, receipt and decision")
        missing = [k for k in ("case", "receipt", "decision") if k not in data]
        unknown = [k for k in data if k not in {"case", "receipt", "decision"}]
        problems = tuple(Problem(k, "FIELD_MISSING", "required") for k in missing) + tuple(
            Problem(str(k)[:60], "FIELD_UNKNOWN", "not a field of a decision request") for k in unknown
        )
        if problems or not isinstance(data["decision"], dict) or not isinstance(data["case"], dict):
            raise HttpProblemError(
                400,
                "DECISION_INVALID",
                "the request needs case (object), receipt and decision (object)",
                problems=problems or (Problem("decision", "FIELD_NOT_OBJECT", "case and decision are objects"),),
            )
        decision = dict(data["decision"])
        header = self.server.config.caseworker_header
        if header:
            who = self.headers.get(header)
            if not who:
                raise HttpProblemError(
                    400,
                    "CASEWORKER_MISSING",
                    f"the {header} header is missing",
                    problems=(Problem(f"header:{header}", "CASEWORKER_MISSING", "set by the authenticating proxy"),),
                )
            decision["caseworker_id"] = who
        receipt = str(data["receipt"])
        content, advice = self.server.run_engine(self.server.advisor.prepare, data["case"], receipt, decision)
        # Appended on this thread, outside the time limit: a recorded decision is never reported as failed.
        actor = Actor(str(decision.get("caseworker_id", "")), "http")  # checked by prepare
        record = self.server.advisor.record(content, advice, actor=actor)
        ref = advice.case_ref
        _event(
            "info", "decision", seq=record.seq, case=None if ref is None else self.server.advisor.engine.pseudonym(ref)
        )
        view = self._view(record, with_replay=False)
        view["motivation"] = {lang: record_motivation(record, advice, lang) for lang in ("nl", "en")}
        self._json(201, view, {"Location": f"{BASE}/decisions/{record.seq}"})

    def r_report(self) -> None:
        query = self._query()
        problems = [
            Problem(k[:40], "QUERY_UNKNOWN", "use period, from or to")
            for k in query
            if k not in {"period", "from", "to"}
        ]
        period = query.get("period", "month")
        if period not in {"month", "quarter", "year"}:
            problems.append(Problem("period", "QUERY_INVALID", "month, quarter or year"))
        days: dict[str, dt.date | None] = {"from": None, "to": None}
        for key in days:
            if query.get(key):
                try:
                    days[key] = dt.date.fromisoformat(query[key])
                except ValueError:
                    problems.append(Problem(key, "QUERY_INVALID", "a date as YYYY-MM-DD"))
        first, last = days["from"], days["to"]
        if first is not None and last is not None and first > last:
            problems.append(Problem("to", "QUERY_INVALID", "a day on or after from"))
        if problems:
            raise HttpProblemError(400, "QUERY_INVALID", "the query is not valid", problems=tuple(problems))
        report = learning_report(
            self.server.advisor.store.records(),
            period=cast(Period, period),  # checked above
            start=days["from"],
            end=days["to"],
        )
        self._json(200, report)


def make_server(advisor: Advisor, config: ServiceConfig | None = None) -> Server:
    """A bound server (``port=0`` picks a free port); call ``serve_forever()`` to run it."""
    return Server(advisor, config or ServiceConfig())
