# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""`maatwerk serve`: run the caseworker service."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path
from typing import Any

__all__ = ["register"]


def register(sub: Any, engine_opts: Any) -> None:
    """Add the `serve` command to the CLI's subparsers (``engine_opts`` adds --policies etc.)."""
    from maatwerk.audit._config import default_db

    p = sub.add_parser("serve", help="run the caseworker service: HTTP API and web page")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=8080, help="port (0 picks a free one; default: %(default)s)")
    p.add_argument("--db", default=default_db(), help="the audit database (default: $MAATWERK_AUDIT_DB or %(default)s)")
    p.add_argument(
        "--secret-file",
        default=None,
        help="the audit secret; created if missing (default: $MAATWERK_AUDIT_SECRET_FILE or one for DB in ~/.config/maatwerk/audit/)",
    )
    p.add_argument("--max-body", type=int, default=1_100_000, help="largest request body in bytes")
    p.add_argument("--read-timeout", type=float, default=10.0, help="seconds to receive a request (then 408)")
    p.add_argument("--advise-timeout", type=float, default=20.0, help="seconds an advice may take (then 503)")
    p.add_argument("--max-connections", type=int, default=128, help="connections served at once (more: 503)")
    p.add_argument(
        "--shutdown-grace",
        type=_seconds,
        default=5.0,
        help="seconds a stop (Ctrl-C, SIGTERM) gives requests in progress to finish (default: %(default)s)",
    )
    p.add_argument(
        "--caseworker-header", default=None, help="take the caseworker id from this header (set by your proxy)"
    )
    p.add_argument("--contact-name", default="Beheerder maatwerk", help="contact in the OpenAPI document")
    p.add_argument("--contact-email", default="maatwerk@gemeente.invalid")
    p.add_argument("--contact-url", default="https://gemeente.invalid/maatwerk")
    engine_opts(p)
    p.set_defaults(func=cmd_serve)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds (0 or more): {text!r}")
    return value


def _audit_files(db: str, secret_file: str | None) -> list[Path]:
    """The files an audit store at ``db`` consists of that do not exist yet (``open_store`` may
    create them): the database, its journal files, its checkpoint and its secret file."""
    from maatwerk.audit._config import default_anchor_file, default_secret_file

    key = Path(secret_file) if secret_file is not None else default_secret_file(db)
    names = [Path(db), Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal"), default_anchor_file(db, key), key]
    return [path for path in names if not path.exists()]


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def cmd_serve(args: argparse.Namespace) -> int:
    from maatwerk._api import Engine
    from maatwerk._cli_common import EXIT_ENGINE, EXIT_POLICY
    from maatwerk.audit._cli import EXIT_AUDIT
    from maatwerk.audit._config import open_store
    from maatwerk.audit._decisions import Advisor
    from maatwerk.audit._store import AuditError
    from maatwerk.errors import MaatwerkError, PolicyError
    from maatwerk.http._server import ConfigValueError, Server, ServiceConfig, make_server

    if args.preview:
        print(
            "maatwerk serve: error: --preview explores a bill and is never the basis of a decision; not served",
            file=sys.stderr,
        )
        return 2
    try:
        config = ServiceConfig(
            host=args.host,
            port=args.port,
            max_body=args.max_body,
            read_timeout=args.read_timeout,
            advise_timeout=args.advise_timeout,
            max_connections=args.max_connections,
            shutdown_grace=args.shutdown_grace,
            caseworker_header=args.caseworker_header,
            contact_name=args.contact_name,
            contact_email=args.contact_email,
            contact_url=args.contact_url,
        )
    except ConfigValueError as err:  # before anything is opened or loaded
        print(f"maatwerk serve: error: --{err.field.replace('_', '-')} must be {err.rule}", file=sys.stderr)
        return 2
    # The signal handlers come before the store is opened and the packs load (a few hundred ms): a
    # SIGINT or SIGTERM during the start stops it the same way, with exit 0, not a trace or a kill.
    stop = threading.Event()
    started: list[Server] = []

    def on_signal(_signum: int, _frame: Any) -> None:
        if stop.is_set() and started:
            started[0].end_grace()  # a second Ctrl-C or SIGTERM: do not wait out the grace period
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    store = None
    created: list[Path] = []
    try:
        try:
            # The packs load first: a service that cannot advise creates no audit store and no key.
            engine = Engine(
                args.policies,
                municipality=None if args.national_only else args.municipality,
                evaluator=args.evaluator,
                log_key=args.log_key,
            )
            if stop.is_set():  # stopped while the packs loaded: nothing served, nothing created
                return 0
            created = _audit_files(args.db, args.secret_file)
            store = open_store(args.db, args.secret_file, create_secret=True)
            created = [path for path in created if path.exists()]  # the files this start created
            if args.log_key is None:
                # Log lines name a case by a pseudonym keyed with $MAATWERK_LOG_KEY, or else with a key
                # derived from the audit secret: stable across restarts, and computable only by who
                # holds it. Set before the first advice, so every log line uses it.
                engine.use_log_key(store.log_key)
            advisor = Advisor(engine, store)
        except MaatwerkError as err:  # the exit codes every command shares (docs/reference/cli.md)
            print(str(err), file=sys.stderr)
            if isinstance(err, AuditError):
                return EXIT_AUDIT
            return EXIT_POLICY if isinstance(err, PolicyError) else EXIT_ENGINE
        try:
            server = make_server(advisor, config)
        except OSError as err:  # the port is taken, the address is not this machine's, no permission
            reason = err.strerror or type(err).__name__
            print(f"maatwerk serve: error: cannot listen on {args.host} port {args.port}: {reason}", file=sys.stderr)
            store.close()
            store = None
            _remove(created)  # a start that served nothing leaves no store or key behind
            return 2
        started.append(server)
        if stop.is_set():  # stopped while starting: nothing was served
            server.server_close()
            return 0

        def accept() -> None:
            try:
                server.serve_forever()
            finally:
                stop.set()  # the accept loop ended by itself: stop rather than serve nobody

        # SIGINT and SIGTERM stop the service the same way (Server.stop), and the exit code is 0. The
        # accept loop runs on its own thread, so that this one only waits for a signal and then stops.
        threading.Thread(target=accept, name="maatwerk-accept", daemon=True).start()
        print(f"maatwerk serving on {server.url} (audit store {args.db})", flush=True)
        while not stop.wait(server.POLL_SECONDS):  # never a wait without end: see Server.POLL_SECONDS
            pass
        server.stop()
    finally:
        try:
            if store is not None:
                store.close()  # waits for an audit write still in progress; a signal now is harmless
        finally:
            for sig, handler in previous.items():
                if handler is not None:
                    signal.signal(sig, handler)
    return 0
