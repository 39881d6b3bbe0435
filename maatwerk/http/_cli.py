# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""`maatwerk serve`: run the caseworker service (the ASGI application on uvicorn)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

__all__ = ["register"]


def register(sub: Any, engine_opts: Any) -> None:
    """Add the `serve` command to the CLI's subparsers (``engine_opts`` adds --policies etc.).

    Every option also comes from ``MAATWERK_<OPTION>`` (``--oidc-issuer``: ``MAATWERK_OIDC_ISSUER``);
    an option given on the command line wins."""
    from maatwerk.audit import default_db

    p = sub.add_parser(
        "serve",
        help="run the caseworker service: HTTP API and web page",
        description="Every option can also be set as MAATWERK_<OPTION> (e.g. MAATWERK_OIDC_ISSUER); the flag wins.",
    )
    p.add_argument("--host", help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, help="port (0 picks a free one; default 8080)")
    p.add_argument(
        "--auth",
        help="who may use it: oidc (bearer tokens; the default), proxy (an authenticating proxy with a shared "
        "secret) or local (no log-in, loopback only)",
    )
    p.add_argument(
        "--oidc-issuer", help="the identity provider's issuer URL (iss), e.g. https://sso.gemeente.nl/realms/zaken"
    )
    p.add_argument("--oidc-audience", help="this service's client id as the tokens name it (aud)")
    p.add_argument("--oidc-jwks-url", help="where the identity provider publishes its signing keys (JWKS)")
    p.add_argument("--oidc-jwks-file", help="a file holding the JWKS instead (offline set-ups)")
    p.add_argument("--subject-claim", help="the claim naming the person (default sub)")
    p.add_argument(
        "--roles-claim",
        help="where the roles are in the token, a dotted path (default roles; Keycloak: realm_access.roles)",
    )
    p.add_argument(
        "--role-map",
        help="role=value pairs when the token's role names differ, e.g. caseworker=mw-handhaving,team-lead=tl",
    )
    p.add_argument("--proxy-secret-file", help="proxy mode: the file with the secret the proxy sends")
    p.add_argument(
        "--proxy-secret-header", help="proxy mode: the header with that secret (default X-Maatwerk-Proxy-Secret)"
    )
    p.add_argument("--proxy-user-header", help="proxy mode: the header naming the person (default X-Forwarded-User)")
    p.add_argument(
        "--proxy-roles-header",
        help="proxy mode: the header with the roles, comma-separated (default X-Forwarded-Roles)",
    )
    p.add_argument(
        "--allowed-host",
        action="append",
        dest="allowed_hosts",
        help="a host name clients use (repeat; default: the loopback names)",
    )
    p.add_argument(
        "--allowed-origin", action="append", dest="allowed_origins", help="another origin whose pages may post (repeat)"
    )
    p.add_argument("--db", default=None, help=f"the audit database (default: $MAATWERK_AUDIT_DB or {default_db()})")
    p.add_argument(
        "--secret-file",
        default=None,
        help="the audit secret; created if missing (default: $MAATWERK_AUDIT_SECRET_FILE or one for DB in ~/.config/maatwerk/audit/)",
    )
    p.add_argument("--max-body", type=int, help="largest request body in bytes (default 1100000)")
    p.add_argument("--request-timeout", type=float, help="seconds for a whole request to arrive (then 408; default 10)")
    p.add_argument("--max-header-bytes", type=int, help="largest request line and headers (then 431; default 16384)")
    p.add_argument("--advise-timeout", type=float, help="seconds an advice may take (then 503; default 20)")
    p.add_argument("--max-connections", type=int, help="connections open at once (default 256)")
    p.add_argument("--max-connections-per-client", type=int, help="connections from one address (default 64)")
    p.add_argument("--keep-alive", type=float, help="seconds an idle connection stays open (default 5)")
    p.add_argument(
        "--shutdown-grace",
        type=_seconds,
        help="seconds a stop (Ctrl-C, SIGTERM) gives requests in progress to finish (default 5)",
    )
    p.add_argument("--contact-name", help="contact in the OpenAPI document")
    p.add_argument("--contact-email")
    p.add_argument("--contact-url")
    engine_opts(p)
    p.set_defaults(func=cmd_serve)


#: The options that are Settings fields (the flag is the field with dashes).
_FIELDS = [
    "host",
    "port",
    "auth",
    "oidc_issuer",
    "oidc_audience",
    "oidc_jwks_url",
    "oidc_jwks_file",
    "subject_claim",
    "roles_claim",
    "proxy_secret_file",
    "proxy_secret_header",
    "proxy_user_header",
    "proxy_roles_header",
    "allowed_hosts",
    "allowed_origins",
    "max_body",
    "request_timeout",
    "max_header_bytes",
    "advise_timeout",
    "max_connections",
    "max_connections_per_client",
    "keep_alive",
    "shutdown_grace",
    "contact_name",
    "contact_email",
    "contact_url",
]


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
    from maatwerk.audit import default_anchor_file, default_secret_file

    key = Path(secret_file) if secret_file is not None else default_secret_file(db)
    names = [Path(db), Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal"), default_anchor_file(db, key), key]
    return [path for path in names if not path.exists()]


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _settings(args: argparse.Namespace) -> Any:
    from maatwerk.http._settings import Settings, parse_role_map

    given = {name: getattr(args, name) for name in _FIELDS}
    for name in ("allowed_hosts", "allowed_origins"):
        if given[name] is not None:
            given[name] = tuple(given[name])
    if args.role_map is not None:
        given["role_map"] = parse_role_map(args.role_map)
    return Settings.from_env(os.environ, **given)


def _log_server_warnings() -> None:
    """uvicorn's own warnings in the JSON shape of every other log line (no trace, no address)."""
    from maatwerk._cli_common import LibraryEvents

    logger = logging.getLogger("uvicorn")
    for handler in [h for h in logger.handlers if isinstance(h, LibraryEvents)]:
        logger.removeHandler(handler)
    logger.addHandler(LibraryEvents())
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True


def cmd_serve(args: argparse.Namespace) -> int:
    from maatwerk._api import Engine
    from maatwerk._cli_common import EXIT_ENGINE, EXIT_POLICY
    from maatwerk.audit import EXIT_AUDIT, Advisor, AuditError, default_db, open_store
    from maatwerk.errors import MaatwerkError, PolicyError
    from maatwerk.http._settings import ConfigValueError

    if args.preview:
        print(
            "maatwerk serve: error: --preview explores a bill and is never the basis of a decision; not served",
            file=sys.stderr,
        )
        return 2
    try:
        settings = _settings(args)
    except ConfigValueError as err:  # before anything is opened or loaded
        print(f"maatwerk serve: error: --{err.field.replace('_', '-')} must be {err.rule}", file=sys.stderr)
        return 2
    try:
        from maatwerk.http._serve import Service, listen
    except ImportError as err:
        print(
            f"maatwerk serve: error: the service needs the service extra (pip install 'maatwerk[service]'): {err}",
            file=sys.stderr,
        )
        return 2
    _log_server_warnings()
    db = args.db or default_db()
    # The signal handlers come before the store is opened and the packs load (a few hundred ms): a
    # SIGINT or SIGTERM during the start stops it the same way, with exit 0, not a trace or a kill.
    started: list[Service] = []
    signals: list[int] = []

    def on_signal(signum: int, _frame: Any) -> None:
        signals.append(signum)
        if started:
            if len(signals) > 1:
                started[0].end_grace()  # a second Ctrl-C or SIGTERM: do not wait out the grace period
            started[0].stop(wait=False)

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
            if signals:  # stopped while the packs loaded: nothing served, nothing created
                return 0
            created = _audit_files(db, args.secret_file)
            store = open_store(db, args.secret_file, create_secret=True)
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
            sock = listen(settings.host, settings.port, settings.max_connections)
        except OSError as err:  # the port is taken, the address is not this machine's, no permission
            reason = err.strerror or type(err).__name__
            print(
                f"maatwerk serve: error: cannot listen on {settings.host} port {settings.port}: {reason}",
                file=sys.stderr,
            )
            store.close()
            store = None
            _remove(created)  # a start that served nothing leaves no store or key behind
            return 2
        try:
            service = Service(settings, advisor, sock=sock)
        except ValueError as err:  # the identity provider's keys or the proxy secret cannot be read
            sock.close()
            print(f"maatwerk serve: error: {err}", file=sys.stderr)
            return 2
        started.append(service)
        if signals:  # stopped while starting: nothing was served
            sock.close()
            return 0
        mode = {
            "oidc": f"log-in: OpenID Connect tokens from {settings.oidc_issuer}",
            "proxy": "log-in: by the authenticating proxy",
            "local": "LOCAL MODE: no log-in, every role, this machine only",
        }[settings.auth]
        print(f"maatwerk serving on {service.url} (audit store {db}; {mode})", flush=True)
        # SIGINT and SIGTERM stop the service the same way (Service.stop), and the exit code is 0.
        # uvicorn's event loop runs on this thread and looks at least ten times a second.
        service.serve()
    finally:
        try:
            if store is not None:
                store.close()  # waits for an audit write still in progress; a signal now is harmless
        finally:
            for sig, handler in previous.items():
                if handler is not None:
                    signal.signal(sig, handler)
    return 0
