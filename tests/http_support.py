# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Helpers for the service tests: a real server on loopback, and a small HTTP client."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maatwerk import Engine
from maatwerk.audit import Advisor, AuditStore
from maatwerk.http import Service, Settings

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
def serving(service: Service) -> Iterator[Service]:
    """``service`` on a background thread (uvicorn, as `maatwerk serve` runs it) until the block ends."""
    thread = threading.Thread(target=service.serve, name="maatwerk-test-server", daemon=True)
    thread.start()
    try:
        assert service.started.wait(30), "the service did not start"
        yield service
    finally:
        service.stop()
        thread.join(timeout=30)


@contextmanager
def running(engine: Engine, db: Path, **settings: Any) -> Iterator[Service]:
    """A service on 127.0.0.1 with a free port (local mode unless ``auth`` says otherwise), serving on
    a background thread until the block ends."""
    settings.setdefault("auth", "local")
    with serving(Service(Settings(port=0, **settings), Advisor(engine, AuditStore(db, secret=SECRET)))) as service:
        yield service


def call(
    server: Service,
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


class ServeProcess:
    """``maatwerk serve`` in a child process on a free loopback port, its stderr (the log) in a file.

    ``kill()`` ends it with SIGKILL, as a crash or an out-of-memory kill would; ``stop()`` with
    SIGTERM. The environment holds no ``MAATWERK_*`` variable but those given in ``env``;
    ``preexec`` runs in the child before it starts (to set resource limits); ``entry`` is what
    Python runs instead of ``-m maatwerk`` (a script that ends in ``maatwerk.cli.main``).
    """

    def __init__(
        self,
        tmp: Path,
        *,
        db: Path | None = None,
        secret_file: Path | None = None,
        verbose: bool = False,
        env: dict[str, str] | None = None,
        extra: tuple[str, ...] = (),
        preexec: Callable[[], None] | None = None,
        entry: tuple[str, ...] = ("-m", "maatwerk"),
    ) -> None:
        self.db = db or tmp / "audit.sqlite"
        self.secret_file = secret_file or tmp / "audit.key"
        self.log_path = tmp / f"serve-{len(list(tmp.glob('serve-*.log')))}.log"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
        clean.update(env or {})
        command = [
            sys.executable,
            *entry,
            *(["--verbose"] if verbose else []),
            "serve",
            "--auth",
            "local",
            "--port",
            "0",
        ]
        command += ["--db", str(self.db), "--secret-file", str(self.secret_file), *extra]
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=clean,
            preexec_fn=preexec,  # noqa: PLW1509  (sets limits of the child only)
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        if " on http://" not in line:
            self.proc.wait(timeout=30)
            raise RuntimeError(f"maatwerk serve did not start: {self.log()[-3000:]}")
        host, port = line.split(" on http://", 1)[1].split(" ", 1)[0].split(":")
        self.host, self.port = host, int(port)
        #: Headers sent with every call (a proxy's, say).
        self.headers: dict[str, str] = {}

    def call(
        self, method: str, path: str, body: Any = None, *, raw: bytes | None = None, timeout: float = 60
    ) -> Answer:
        """One request over a fresh connection (``body`` as JSON, ``raw`` as it is)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
            headers = {"Content-Type": "application/json"} if data is not None else {}
            conn.request(method, path, body=data, headers={**headers, **self.headers})
            response = conn.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            conn.close()

    def log(self) -> str:
        """Everything the service wrote to stderr so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self._finish()

    def exit_status(self, *, within: float = 30) -> int | None:
        """The exit status once the process has ended, or ``None`` when it still runs ``within``
        seconds from now (it is then killed, so that no test leaves a service behind)."""
        try:
            status: int | None = self.proc.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = None
        self._finish()
        return status

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self._finish()

    def _finish(self) -> None:
        self.proc.wait(timeout=60)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        self._log.close()
