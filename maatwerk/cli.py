# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The ``maatwerk`` command: a thin layer over the library.

Exit codes: 0 ok, 2 usage, 3 invalid case, 4 policy error, 5 engine error (or no pack valid),
6 audit store damaged or a replay differs (``maatwerk audit``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path

import structlog

from maatwerk._advice.explain import render_text
from maatwerk._api import Engine, default_policy_dir
from maatwerk._cli_common import (
    EXIT_BROKEN_PIPE,
    EXIT_CASE,
    EXIT_ENGINE,
    EXIT_OK,
    EXIT_POLICY,
    EXIT_USAGE,
    LibraryEvents,
    at_least,
    fail,
    schema,
)
from maatwerk._intake.case import MAX_CASE_BYTES
from maatwerk._version import __version__
from maatwerk.errors import CaseError, MaatwerkError, Problem

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_CASE",
    "EXIT_ENGINE",
    "EXIT_OK",
    "EXIT_POLICY",
    "EXIT_USAGE",
    "LOG_KEY_ENV",
    "main",
    "schema",
]

#: The environment variable that keys the pseudonym under which log lines name a case (at least
#: 32 characters; see docs/explanation/reliability.md, *Privacy*). Without it, `advise` and `demo`
#: use a random key per run and `serve` derives one from its audit secret.
LOG_KEY_ENV = "MAATWERK_LOG_KEY"


def configured_log_key() -> bytes | None:
    """The log key from :data:`LOG_KEY_ENV`, or ``None`` when it is not set; :class:`ValueError`
    when it is too short to be a secret."""
    text = os.environ.get(LOG_KEY_ENV)
    if text is None:
        return None
    if len(text) < 32:
        raise ValueError(f"{LOG_KEY_ENV} is shorter than 32 characters")
    return text.encode("utf-8")


def _configure_logging(verbose: bool) -> None:
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(sort_keys=True),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO if verbose else logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    library = logging.getLogger("maatwerk")
    for handler in [h for h in library.handlers if isinstance(h, LibraryEvents)]:
        library.removeHandler(handler)  # main() may run more than once in one process
    library.addHandler(LibraryEvents())
    library.setLevel(logging.INFO if verbose else logging.WARNING)  # warnings always, as structlog's


def _preview(text: str) -> tuple[str, dt.date]:
    """``--preview NAME=YYYY-MM-DD``: a proposal and the date it is assumed to take effect."""
    name, sep, day = text.partition("=")
    try:
        if not sep or not name:
            raise ValueError
        return name, dt.date.fromisoformat(day)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected PROPOSAL=YYYY-MM-DD (e.g. whsz=2027-01-01), not {text!r}") from None


def _engine(args: argparse.Namespace) -> Engine:
    municipality = None if args.national_only else args.municipality
    return Engine(
        args.policies,
        municipality=municipality,
        evaluator=args.evaluator,
        preview=dict(args.preview),
        log_key=args.log_key,
    )


def _read_case(name: str) -> bytes:
    """The case's bytes from a file or stdin (``-``), at most one byte over the size limit: the
    library refuses what is larger, and a huge file is never read into memory whole."""
    limit = MAX_CASE_BYTES + 1
    try:
        if name == "-":
            return sys.stdin.buffer.read(limit)
        with Path(name).open("rb") as fh:
            return fh.read(limit)
    except OSError as err:
        raise CaseError(
            f"cannot read the case file {name}",
            problems=(Problem("(input)", "CASE_UNREADABLE", err.strerror or type(err).__name__),),
            hint="Check the path and its permissions.",
        ) from None


def cmd_advise(args: argparse.Namespace) -> int:
    try:
        data = _read_case(args.case)
        if args.format == "json":  # straight from the advice's plain data, no model built
            written = _engine(args).advise_json(data, indent=True).decode("utf-8")
        else:
            written = render_text(_engine(args).advise(data), args.lang)
    except MaatwerkError as err:
        return fail(err, args.format)
    sys.stdout.write(written + "\n" if args.format == "json" else written)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(schema(args.kind), indent=2, ensure_ascii=False))
    return EXIT_OK


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, not {text!r}") from None


def _policy_root(path: Path) -> Path:
    """A policy folder, or the policy folder a pack file belongs to (``<root>/<domain>/<pack>/<file>``)."""
    return path.parents[2] if path.is_file() and len(path.parents) > 2 else path


def cmd_check(args: argparse.Namespace) -> int:
    from maatwerk._policy.analysis import check_policies

    roots: list[Path] = []
    for given in args.paths or [str(default_policy_dir())]:
        root = _policy_root(Path(given))
        if root not in roots:
            roots.append(root)
    reports = [check_policies(root, today=args.today, expiry_warning_days=args.expiry_warning_days) for root in roots]
    findings = [f for r in reports for f in r.findings]
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    failed = errors > 0 or (args.strict and warnings > 0)
    if args.format == "json":
        doc = {
            "checked": [r.root for r in reports],
            "today": args.today.isoformat(),
            "errors": errors,
            "warnings": warnings,
            "findings": [f.to_dict() for f in findings],
            "packs": [
                {"id": p.id, "version": p.version, "rules": p.rules, "sha256": p.sha256}
                for r in reports
                for p in r.packs
            ],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return EXIT_POLICY if failed else EXIT_OK
    for finding in findings:
        print(f"{finding}\n  hint: {finding.hint}", file=sys.stderr)
    for report in reports:
        for pack in report.packs:
            print(f"ok  {pack.id}@{pack.version}  {pack.rules} rules  {pack.sha256[:12]}")
    versions = sum(len(r.packs) for r in reports)
    stacks = sum(r.stacks for r in reports)
    summary = (
        "no problems"
        if not findings
        else f"{errors} error(s), {warnings} warning(s)"
        + (" (warnings count as errors: --strict)" if args.strict else "")
    )
    print(f"{versions} pack version(s), {stacks} stack(s) analysed on {args.today.isoformat()}: {summary}")
    return EXIT_POLICY if failed else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from maatwerk._resources import bundled

    root = Path(args.examples) if args.examples is not None else bundled("examples")
    files = sorted(root.glob("*.json"))
    if not files:
        print(f"no example cases in {root}", file=sys.stderr)
        return EXIT_USAGE
    engine = _engine(args)
    for path in files:
        print(f"\n##### {path.name}\n")
        try:
            sys.stdout.write(render_text(engine.advise(path.read_text(encoding="utf-8")), args.lang))
        except MaatwerkError as err:
            print(str(err))
            return fail(err, "text")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="maatwerk", description="Proportionate, explained enforcement advice.")
    parser.add_argument("--verbose", action="store_true", help="log events (never personal data) to stderr")
    parser.add_argument("--version", action="version", version=f"maatwerk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def engine_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--policies", default=str(default_policy_dir()), help="policy folder (default: the bundled policies/)"
        )
        p.add_argument("--municipality", default="lansingerland", help="municipal pack to layer on national law")
        p.add_argument("--national-only", action="store_true", help="national law only, no municipal pack")
        p.add_argument(
            "--evaluator",
            choices=("durable", "reference", "compiled"),
            default=None,
            help="durable-rules, the plain-Python reference evaluator, or the compiled evaluator (rules as one "
            "Python function); all give identical advice (default: durable-rules where it imports)",
        )
        p.add_argument(
            "--preview",
            type=_preview,
            action="append",
            default=[],
            metavar="PROPOSAL=DATE",
            help="explore a proposed law (e.g. whsz=2027-01-01) as if it took effect on DATE; never current law",
        )
        p.add_argument("--lang", choices=("nl", "en"), default="nl")

    p = sub.add_parser("advise", help="advise on one case (JSON file, or - for stdin)")
    p.add_argument("case")
    p.add_argument("--format", choices=("text", "json"), default="text")
    engine_opts(p)
    p.set_defaults(func=cmd_advise)

    p = sub.add_parser("schema", help="print the JSON Schema of the case, the advice or a policy file")
    p.add_argument("kind", choices=("case", "advice", "policy"))
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser(
        "check",
        help="check and analyse every pack under policy folders; report every problem at once, located",
        description="Load every pack, compile every stack a case can select, and analyse the rules: unknown "
        "names, unreachable rules, conflicting rules and exceptions, gaps, parameter and version dates, expired "
        "packs, rules without reason or legal basis. Exit code 4 when there is an error.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PACKS",
        help="policy folders, or pack files (their policy folder is checked); default: the bundled policies/",
    )
    p.add_argument(
        "--today",
        type=_day,
        default=dt.date.today(),
        metavar="DATE",
        help="the date packs must still be valid on (default: today)",
    )
    p.add_argument(
        "--expiry-warning-days",
        type=at_least(0),
        default=90,
        metavar="N",
        help="warn when the newest version of a pack ends within N days (default 90)",
    )
    p.add_argument("--strict", action="store_true", help="warnings count as errors (exit code 4)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("demo", help="advise on the bundled example cases")
    p.add_argument("--examples", default=None, help="folder of example cases (default: the bundled examples/)")
    engine_opts(p)
    p.set_defaults(func=cmd_demo)

    from maatwerk._tools.impact_cli import register as register_impact
    from maatwerk.audit._cli import register as register_audit
    from maatwerk.http._cli import register as register_serve

    register_impact(sub)
    register_serve(sub, engine_opts)
    register_audit(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    try:
        args.log_key = configured_log_key()
    except ValueError as err:
        print(f"maatwerk: {err}", file=sys.stderr)
        return EXIT_USAGE
    _configure_logging(args.verbose)
    try:
        result: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    return result


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null, so that Python's final flush of what is still
    buffered raises nothing either (the recipe of the ``signal`` module's documentation)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout is not a file (a test's capture): nothing to flush
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
