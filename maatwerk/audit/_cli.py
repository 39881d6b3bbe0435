# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""`maatwerk audit verify | replay | report | head | pseudonym | access-log | erase | purge`: the audit
store from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

__all__ = ["EXIT_AUDIT", "register"]

#: The audit store is damaged, or a replay differs from the record.
EXIT_AUDIT = 6


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, not {text!r}") from None


def register(sub: Any) -> None:
    """Add the `audit` command group to the CLI's subparsers."""
    from maatwerk.audit._config import default_db

    audit = sub.add_parser("audit", help="verify, replay and report on the recorded decisions")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)

    def store_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db", default=default_db(), help="the audit database (default: $MAATWERK_AUDIT_DB or %(default)s)"
        )
        p.add_argument(
            "--secret-file",
            default=None,
            help="the audit secret (default: $MAATWERK_AUDIT_SECRET_FILE or one for DB in ~/.config/maatwerk/audit/)",
        )
        p.add_argument(
            "--anchor-file",
            default=None,
            help="the head anchor (default: $MAATWERK_AUDIT_ANCHOR_FILE or DB-NAME.head beside the secret file)",
        )
        p.add_argument("--format", choices=("text", "json"), default="text")

    p = audit_sub.add_parser("verify", help="check the genesis record, the hash chain, the stored packs and the anchor")
    store_opts(p)
    p.add_argument(
        "--expect-head", default=None, metavar="HASH", help="a head hash published earlier; it must be in the chain"
    )
    p.set_defaults(func=cmd_verify)

    def actor_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--actor",
            default=None,
            help="who you are, for the access log and erasure records (default: your login name)",
        )

    p = audit_sub.add_parser("replay", help="recompute a recorded advice from the stored input and packs")
    p.add_argument("receipt")
    store_opts(p)
    actor_opt(p)
    p.set_defaults(func=cmd_replay)

    p = audit_sub.add_parser("access-log", help="who read or recorded which record, when, through what (no case data)")
    store_opts(p)
    p.add_argument("--record", type=int, default=None, metavar="N", help="only the entries of record N")
    p.add_argument("--case", dest="case_ref", default=None, metavar="REF", help="only the entries of this case")
    p.add_argument("--subject", default=None, metavar="ID", help="only the entries of this user (id, as authenticated)")
    p.set_defaults(func=cmd_access_log)

    p = audit_sub.add_parser(
        "erase", help="erase one case's data on request (its key is destroyed; the chain stays valid)"
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", dest="case_ref", default=None, metavar="REF", help="the case reference")
    which.add_argument("--receipt", default=None, metavar="HASH", help="the receipt, for a case recorded without one")
    p.add_argument("--basis", required=True, help="why, e.g. 'AVG art. 17, request 2026-0412' (no personal data)")
    store_opts(p)
    actor_opt(p)
    p.set_defaults(func=cmd_erase)

    p = audit_sub.add_parser(
        "purge", help="erase every case whose last record is older than DATE (the municipality's retention rule)"
    )
    p.add_argument(
        "--before", required=True, type=_date, metavar="YYYY-MM-DD", help="erase cases last recorded before this day"
    )
    p.add_argument(
        "--basis", required=True, help="the retention rule applied, e.g. 'Selectielijst 2020, 1.1.2: 5 jaar'"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="say how many cases and records would be erased; erase nothing"
    )
    store_opts(p)
    actor_opt(p)
    p.set_defaults(func=cmd_purge)

    p = audit_sub.add_parser("report", help="the learning report over the recorded decisions (P4)")
    store_opts(p)
    p.add_argument("--period", choices=("month", "quarter", "year"), default="month")
    p.add_argument("--from", dest="start", type=_date, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--lang", choices=("nl", "en"), default="nl")
    p.add_argument(
        "--csv", action="store_true", help="one row per decision as CSV, for a spreadsheet (in the --lang language)"
    )
    p.set_defaults(func=cmd_report)

    p = audit_sub.add_parser("head", help="print the record count and the last hash, to publish elsewhere")
    store_opts(p)
    p.set_defaults(func=cmd_head)

    p = audit_sub.add_parser("pseudonym", help="the pseudonym stored for a caseworker id (needs the secret)")
    p.add_argument("caseworker_id")
    store_opts(p)
    p.set_defaults(func=cmd_pseudonym)


def _open(args: argparse.Namespace) -> Any:
    from pathlib import Path

    from maatwerk.audit._config import open_store

    if not Path(args.db).exists():
        from maatwerk.audit._store import AuditError

        raise AuditError(f"no audit store at {args.db}")
    # Not verified on opening: `verify` shows the problems, and the other commands read as they are.
    return open_store(args.db, args.secret_file, anchor_file=args.anchor_file, verify=False)


def _actor(args: argparse.Namespace) -> Any:
    """The actor of a CLI command: ``--actor``, or the login name, through the ``cli`` channel."""
    import getpass

    from maatwerk.audit._store import Actor, AuditError

    subject = args.actor
    if subject is None:
        try:
            subject = getpass.getuser()
        except (KeyError, OSError):
            raise AuditError("cannot tell who you are for the access log", hint="Pass --actor YOUR-ID.") from None
    return Actor(subject, "cli")


def _guard(args: argparse.Namespace, run: Any) -> int:
    from maatwerk.errors import MaatwerkError

    try:
        result: int = run()
    except MaatwerkError as err:
        if args.format == "json":
            print(json.dumps({"error": err.to_dict()}, ensure_ascii=False, indent=2))
        else:
            print(str(err), file=sys.stderr)
        return EXIT_AUDIT
    return result


def cmd_verify(args: argparse.Namespace) -> int:
    def run() -> int:
        report = _open(args).verify(expect_head=args.expect_head)
        if args.format == "json":
            print(json.dumps(report.to_dict(), indent=2))
        else:
            for p in report.problems:
                print(f"FAIL  {p}")
            for p in report.warnings:
                print(f"WARN  {p}")
            state = "ok" if report.ok else f"{len(report.problems)} problem(s)"
            print(f"{report.count} record(s), head {report.head}: {state}")
            print(
                f"case data: {report.readable} record(s) readable, {report.erased} erased (key destroyed); "
                f"access log: {report.accesses} entr{'y' if report.accesses == 1 else 'ies'}"
            )
        return 0 if report.ok else EXIT_AUDIT

    return _guard(args, run)


def cmd_replay(args: argparse.Namespace) -> int:
    from maatwerk.audit._decisions import replay
    from maatwerk.audit._store import AuditErasedError

    def run() -> int:
        try:
            result = replay(_open(args), args.receipt, actor=_actor(args))
        except AuditErasedError as err:  # an erased case is the retention rule at work, not a failure
            if args.format == "json":
                print(json.dumps({"receipt": args.receipt, "erased": True, "message": err.message}, indent=2))
            else:
                print(f"{args.receipt}: erased ({err.message})")
            return 0
        if args.format == "json":
            print(json.dumps(result.to_dict(), indent=2))
        else:
            for d in result.differences:
                print(f"DIFF  {d}")
            for n in result.notes:
                print(f"NOTE  {n}")
            print(f"{result.receipt}: " + ("identical" if result.identical else "NOT identical"))
        return 0 if result.identical else EXIT_AUDIT

    return _guard(args, run)


def cmd_report(args: argparse.Namespace) -> int:
    from maatwerk.audit._decisions import _engine_for
    from maatwerk.audit._report import learning_report, render_report, report_csv, report_rows, vocabulary

    if args.start is not None and args.end is not None and args.start > args.end:
        print(f"maatwerk audit report: error: --from {args.start} lies after --to {args.end}", file=sys.stderr)
        return 2

    def run() -> int:
        store = _open(args)
        records = list(store.records())
        # The words (measure names in their order, causes, follow-ups) of the packs the newest decision
        # was taken under, as the store keeps them.
        latest = next(
            (r.body.get("policy_set") for r in reversed(records) if r.kind == "decision" and r.body.get("policy_set")),
            None,
        )
        names = vocabulary(_engine_for(store.policy_snapshot(latest))) if latest else None
        if args.csv:
            rows = report_rows(records, period=args.period, start=args.start, end=args.end, names=names)
            sys.stdout.write(report_csv(rows, names or {}, args.lang))
            return 0
        report = learning_report(records, period=args.period, start=args.start, end=args.end, names=names)
        if args.format == "json":
            print(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            sys.stdout.write(render_report(report, args.lang))
        return 0

    return _guard(args, run)


def cmd_head(args: argparse.Namespace) -> int:
    def run() -> int:
        count, head = _open(args).head()
        print(json.dumps({"count": count, "head": head}) if args.format == "json" else f"{count} {head}")
        return 0

    return _guard(args, run)


def cmd_pseudonym(args: argparse.Namespace) -> int:
    def run() -> int:
        print(_open(args).pseudonym(args.caseworker_id))
        return 0

    return _guard(args, run)


def cmd_access_log(args: argparse.Namespace) -> int:
    def run() -> int:
        entries = _open(args).access_log(record=args.record, case_ref=args.case_ref, subject=args.subject)
        if args.format == "json":
            print(json.dumps([e.to_dict() for e in entries], indent=2))
        else:
            for e in entries:
                where = "-" if e.record is None else f"record {e.record}"
                print(f"{e.n:>6}  {e.at}  {e.action:<6}  {where:<12}  {e.channel:<4}  actor {e.actor[:16]}")
            print(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
        return 0

    return _guard(args, run)


def _erasure_done(args: argparse.Namespace, result: Any, what: str) -> int:
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2))
    elif result.record is not None:
        print(f"{what}: {result.cases} case(s), {result.records} record(s) erased; erasure record {result.record.seq}")
    elif result.earlier is not None:
        print(f"{what}: already erased by record {result.earlier}; nothing to do")
    else:
        print(f"{what}: nothing to erase")
    if not result.wal_cleared:
        print(
            "WARN  another process holds the store open: its write-ahead log could not be emptied, so older page "
            "images remain in it until the next checkpoint. Run the command again when the service is stopped.",
            file=sys.stderr,
        )
        return EXIT_AUDIT
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    def run() -> int:
        store = _open(args)
        result = store.erase_case(actor=_actor(args), basis=args.basis, case_ref=args.case_ref, receipt=args.receipt)
        return _erasure_done(args, result, "erase")

    return _guard(args, run)


def cmd_purge(args: argparse.Namespace) -> int:
    today = dt.date.today()
    if args.before > today:
        print(f"maatwerk audit purge: error: --before {args.before} lies after today ({today})", file=sys.stderr)
        return 2

    def run() -> int:
        store = _open(args)
        if args.dry_run:
            cases, records = store.purge_candidates(args.before)
            if args.format == "json":
                print(json.dumps({"cases": len(cases), "records": records, "dry_run": True}, indent=2))
            else:
                print(f"purge --dry-run: {len(cases)} case(s), {records} record(s) would be erased")
            return 0
        result = store.purge(args.before, actor=_actor(args), basis=args.basis)
        return _erasure_done(args, result, f"purge before {args.before}")

    return _guard(args, run)
