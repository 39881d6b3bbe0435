"""Helpers for the service tests: a real server on loopback, and a small HTTP client."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maatwerk import Engine
from maatwerk.audit import Advisor, AuditStore
from maatwerk.http import Server, ServiceConfig, make_server

SECRET = b"h" * 32


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@contextmanager
def running(engine: Engine, db: Path, **config: Any) -> Iterator[Server]:
    """A service on 127.0.0.1 with a free port, serving on a background thread until the block ends."""
    server = make_server(Advisor(engine, AuditStore(db, secret=SECRET)), ServiceConfig(port=0, **config))
    thread = threading.Thread(target=server.serve_forever, name="maatwerk-test-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def call(
    server: Server,
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> Answer:
    """One request over a fresh connection; ``body`` is sent as JSON, ``raw`` as it is."""
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=30)
    try:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        sent = {"Content-Type": "application/json"} if data is not None else {}
        sent.update(headers or {})
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()
