# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Running the application on uvicorn, with the limits a service on a network needs.

uvicorn parses HTTP with llhttp (httptools), which refuses ambiguous framing (two Content-Length
headers, Content-Length with Transfer-Encoding) itself. What uvicorn does not do, its protocol
class here adds:

* **a deadline for a whole request**: from the connection (or the first byte of a next request on a
  kept-alive connection) to the last byte of the body, ``request_timeout`` seconds; a request whose
  headers are in gets 408, one still sending them is closed. A trickle of bytes does not extend it.
* **a limit on the request head**: ``max_header_bytes`` and ``max_headers`` (431).
* **connection limits that one client cannot use to starve the others**: at ``max_connections``
  in all, or ``max_connections_per_client`` from one address, a new connection makes room by closing
  the oldest connection (of the address with the most) that is idle or still sending its request;
  only when every connection is being answered is the new one refused with 503.
* **a bounded stop** (:meth:`_Uvicorn.shutdown`): no new connection, idle connections closed at
  once, ``shutdown_grace`` seconds for the requests in progress (each answered with
  ``Connection: close``), then 503 SERVICE_STOPPING for a request still waiting for the engine and
  the connections still sending a request closed; a request being acted on (an audit write) is
  waited for at most the store's ``lock_timeout`` plus ``request_timeout`` more.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any, ClassVar

import httptools
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from maatwerk.audit import Advisor
from maatwerk.errors import Problem
from maatwerk.http._app import ServiceState, create_app, event, problem_bytes
from maatwerk.http._openapi import API_VERSION
from maatwerk.http._settings import Settings

__all__ = ["Service"]

#: What a connection is doing: waiting for its first request, idle between requests, receiving a
#: request, or acting on one (computing, writing to the audit store, answering).
NEW, IDLE, READING, WORKING = "new", "idle", "reading", "working"


def _raw_problem(status: int, code: str, detail: str, extra: tuple[tuple[str, str], ...] = ()) -> bytes:
    body = problem_bytes(status, code, detail, "", (Problem("(request)", code, detail),))
    head = [
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
        "content-type: application/problem+json",
        f"api-version: {API_VERSION}",
        "server: maatwerk",
        *(f"{k}: {v}" for k, v in extra),
        "connection: close",
        f"content-length: {len(body)}",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


class _HeadTooLargeError(Exception):
    pass


class _Limits:
    """The open connections, by client address and in order of arrival, and who makes room."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.connections: dict[_Protocol, str] = {}  # insertion order is arrival order
        self.by_client: dict[str, int] = {}
        self.stopping = False
        self.evicted = 0

    def admit(self, conn: _Protocol, client: str) -> bool:
        s = self.settings
        if self.by_client.get(client, 0) >= s.max_connections_per_client and not self._evict(client):
            return False
        if len(self.connections) >= s.max_connections:
            crowded = sorted(self.by_client, key=lambda c: -self.by_client[c])
            if not any(self._evict(c) for c in crowded):
                return False
        self.connections[conn] = client
        self.by_client[client] = self.by_client.get(client, 0) + 1
        return True

    def _evict(self, client: str) -> bool:
        for conn, owner in self.connections.items():
            if owner == client and conn.state != WORKING:
                self.evicted += 1
                conn.close_now()
                self.forget(conn)
                return True
        return False

    def forget(self, conn: _Protocol) -> None:
        client = self.connections.pop(conn, None)
        if client is not None:
            self.by_client[client] -= 1
            if not self.by_client[client]:
                del self.by_client[client]


class _Protocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol with a request deadline, head limits and fair connection limits."""

    limits: ClassVar[_Limits]
    state = NEW

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:  # headers and body go out in two writes: never wait for a delayed ACK
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._deadline: asyncio.TimerHandle | None = None
        self._head = 0
        self._headers = 0
        self._headers_done = False
        self._message_done = False
        s = self.limits.settings
        if not self.limits.admit(self, self.client[0] if self.client else ""):
            event("warning", "request", route="(refused)", status=503)
            self.transport.write(
                _raw_problem(
                    503, "SERVICE_BUSY", "too many connections; try again in a moment", (("retry-after", "1"),)
                )
            )
            self.transport.close()
            return
        self._deadline = self.loop.call_later(s.request_timeout, self._on_deadline)

    def connection_lost(self, exc: Exception | None) -> None:
        self.limits.forget(self)
        self._cancel_deadline()
        super().connection_lost(exc)

    def close_now(self) -> None:
        """Close the connection without an answer (made room for another, or a stop)."""
        self._cancel_deadline()
        if not self.transport.is_closing():
            self.transport.close()

    def _cancel_deadline(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._deadline = None

    def _on_deadline(self) -> None:
        """The request did not arrive in full in time: 408 once its headers are in (and nothing was
        answered yet), else the connection is closed without an answer."""
        self._deadline = None
        if self.transport.is_closing() or self.state not in (NEW, READING):
            return
        answered = self.cycle is not None and self.cycle.response_started
        if self._headers_done and not answered:
            self.transport.write(_raw_problem(408, "REQUEST_TIMEOUT", "the request did not arrive in time"))
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True  # the application's late answer is not sent
            self.cycle.message_event.set()
        event("info", "request", route="(deadline)", status=408 if self._headers_done and not answered else 0)
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if not self._headers_done:
            self._head += len(data)
        try:
            self.parser.feed_data(data)
        except _HeadTooLargeError:
            self._refuse(431, "HEADERS_TOO_LARGE", "the request line and headers are larger than the limit")
            return
        except httptools.HttpParserUpgrade:
            self._refuse(400, "UPGRADE_REFUSED", "this service does not switch protocols")
            return
        except httptools.HttpParserError as err:
            if isinstance(err.__context__, _HeadTooLargeError):
                self._refuse(431, "HEADERS_TOO_LARGE", "the request line and headers are larger than the limit")
                return
            text = str(err).lower()
            if "content-length" in text or "transfer-encoding" in text:
                self._refuse(400, "FRAMING_AMBIGUOUS", "the request's length is ambiguous or malformed")
            else:
                self._refuse(400, "HTTP_400", "the request is not valid HTTP/1.1")
            return
        if not self._headers_done and self._head > self.limits.settings.max_header_bytes + 4:
            self._refuse(431, "HEADERS_TOO_LARGE", "the request line and headers are larger than the limit")

    def _refuse(self, status: int, code: str, detail: str) -> None:
        event("info", "request", route="(refused)", status=status, code=code)
        if not self.transport.is_closing():
            if self.cycle is None or not self.cycle.response_started or self.cycle.response_complete:
                self.transport.write(_raw_problem(status, code, detail))
            self.transport.close()

    def send_400_response(self, msg: str) -> None:  # noqa: ARG002 (uvicorn's signature; the text is not repeated)
        self._refuse(400, "HTTP_400", "the request is not valid HTTP/1.1")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.state = READING
        self._headers_done = self._message_done = False
        self._headers = 0
        if self._deadline is None:  # a next request on a kept-alive connection: its own deadline
            self._head = 0
            self._deadline = self.loop.call_later(self.limits.settings.request_timeout, self._on_deadline)

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.limits.settings.max_header_bytes:
            raise _HeadTooLargeError

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers += 1
        s = self.limits.settings
        used = len(self.url) + sum(len(k) + len(v) + 4 for k, v in self.headers) + len(name) + len(value)
        if self._headers > s.max_headers or used > s.max_header_bytes:
            raise _HeadTooLargeError
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._headers_done = True
        super().on_headers_complete()
        if self.limits.stopping and self.cycle is not None:
            self.cycle.keep_alive = False

    def on_message_complete(self) -> None:
        self._message_done = True
        self._cancel_deadline()
        if self.state == READING:
            self.state = WORKING
        super().on_message_complete()
        if self.cycle is not None and self.cycle.response_complete:
            self.state = IDLE  # answered before its body was in (413, 404 ...): the body is dropped

    def on_response_complete(self) -> None:
        if self._message_done:
            self.state = IDLE
        super().on_response_complete()

    def shutdown(self) -> None:
        """A stop begins: close the connection if nothing is in progress on it (idle, or the
        headers of a request still arriving); else its answer closes it."""
        if self.state in (NEW, IDLE) or (self.state == READING and not self._headers_done):
            self.close_now()
        elif self.cycle is not None:
            self.cycle.keep_alive = False


class _Uvicorn(uvicorn.Server):
    """uvicorn's server, stopped by :class:`Service` (its own signal handling is left out: `maatwerk
    serve` handles SIGINT and SIGTERM) and with the bounded stop described above."""

    def __init__(self, config: uvicorn.Config, service: Service) -> None:
        super().__init__(config)
        self.service = service

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def on_tick(self, counter: int) -> bool:
        if self.service.stop_requested.is_set():
            self.should_exit = True
        return await super().on_tick(counter)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.service.started.set()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        service = self.service
        limits = service.limits
        limits.stopping = True
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()  # from now on connection attempts are refused
        connections = list(limits.connections)
        states = [c.state for c in connections]
        for conn in connections:
            conn.shutdown()
        event(
            "info",
            "stopping",
            grace_s=service.settings.shutdown_grace,
            **{name: states.count(name) for name in (IDLE, READING, WORKING)},
            new=states.count(NEW),
        )

        def busy() -> list[_Protocol]:
            return [c for c in limits.connections if not c.transport.is_closing()]

        await self._until(lambda: not busy() and not self.server_state.tasks, service.settings.shutdown_grace)
        service.state.end_grace()  # requests waiting for the engine answer 503 now
        unread = [c for c in busy() if c.state in (NEW, IDLE, READING)]
        for conn in unread:
            conn.close_now()
        working = sum(c.state == WORKING for c in busy())
        await self._until(lambda: not self.server_state.tasks, service.finish_seconds, hurry=False)
        unfinished = len(self.server_state.tasks)
        event(
            "warning" if unread or working else "info",  # the grace period did not suffice for everything
            "stopped",
            closed_unanswered=len(unread),
            working_after_grace=working,
            unfinished=unfinished,
        )

    async def _until(self, done: Any, seconds: float, *, hurry: bool = True) -> None:
        deadline = time.monotonic() + seconds
        while not done() and time.monotonic() < deadline and not (hurry and self.service.hurry.is_set()):
            await asyncio.sleep(0.02)


class Service:
    """The application on uvicorn, listening on its socket; ``serve()`` runs it until ``stop()``.

    ``stop()`` (from another thread, or a signal handler) stops it as `maatwerk serve` does on
    SIGINT or SIGTERM; ``end_grace()`` (a second signal) cuts the grace period short."""

    def __init__(self, settings: Settings, advisor: Advisor, *, sock: socket.socket | None = None) -> None:
        self.settings = settings
        self.app = create_app(settings, advisor)
        self.state: ServiceState = self.app.state.maatwerk
        self.advisor = advisor
        self.stop_requested = threading.Event()
        self.hurry = threading.Event()
        self.started = threading.Event()
        self.finished = threading.Event()
        if sock is None:
            sock = listen(settings.host, settings.port, settings.max_connections)
        self.sock = sock
        self.limits = _Limits(settings)
        protocol = type("Protocol", (_Protocol,), {"limits": self.limits})
        config = uvicorn.Config(
            self.app,
            http=protocol,
            loop="asyncio",
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            proxy_headers=False,  # X-Forwarded-For from a client is not believed (nor needed)
            timeout_keep_alive=int(max(1, round(settings.keep_alive))),
            backlog=settings.max_connections,
        )
        self.server = _Uvicorn(config, self)

    @property
    def server_address(self) -> tuple[str, int]:
        host, port = self.sock.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    @property
    def finish_seconds(self) -> float:
        """After the grace period, how long a stop still waits for requests being acted on: a
        decision being written waits at most the audit store's ``lock_timeout`` for the database's
        lock, and its answer is then sent within the request deadline. Whatever still runs after
        that ends with the process, as in a crash: a decision is recorded whole or not at all."""
        return self.advisor.store.lock_timeout + self.settings.request_timeout

    def serve(self) -> None:
        """Serve until :meth:`stop`; the socket is closed after."""
        try:
            if not self.stop_requested.is_set():
                self.server.run(sockets=[self.sock])
        finally:
            self.sock.close()
            self.state.close()
            self.finished.set()

    def stop(self, *, wait: bool = True) -> None:
        """Stop serving (bounded; see the module's text); with ``wait``, return once it has."""
        self.stop_requested.set()
        if wait and self.started.is_set():
            self.finished.wait()

    def end_grace(self) -> None:
        self.hurry.set()


def listen(host: str, port: int, backlog: int) -> socket.socket:
    """A listening TCP socket (``OSError`` when the address is taken or not this machine's)."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE)[0]
    # With its protocol named (IPPROTO_TCP), asyncio sets TCP_NODELAY on every connection: without it
    # each answer's body waited for the client's delayed ACK (40 ms; found by `make load`).
    sock = socket.socket(info[0], socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock
