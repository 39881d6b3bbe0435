# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""``make load``: a bounded load test of the caseworker service on loopback.

    python -m maatwerk._bench.load                     # 30 s, 32 clients (what ``make load`` does)
    python -m maatwerk._bench.load --seconds 60 --clients 64 --decision-share 0.3
    python -m maatwerk._bench.load --quick             # 3 s, 4 clients (also LOAD_QUICK=1)

It starts ``maatwerk serve`` in a child process on a free loopback port with a fresh audit store,
and runs ``--clients`` client threads in this process for ``--seconds``. Each client keeps one
HTTP/1.1 connection open and repeats: ask the advice on a case drawn from a seeded mix of benefit
and provider cases (``POST /api/v1/advices``), and with probability ``--decision-share`` record the
caseworker's decision on it (``POST /api/v1/decisions``, following the advice). Every client
completes at least one advice and one decision, however short the run.

Reported per kind of request and overall: count, throughput, latency p50 / p90 / p99 / max as the
client measured it (so including waiting for a connection slot and for the engine thread, which
serves one advice at a time), and every error: any status but 200 / 201, or a failed connection. At
the end the service is stopped and its audit store verified: the chain must hold exactly the
decisions that were answered 201. The client threads share the machine (and its cores) with the
service, as a caseworker's browser does not; on a 2-core machine the figures are a floor.

A full run writes ``docs/load.json`` and the table between the ``load`` markers in
``docs/performance.md``; a quick run writes ``bench-results/load-quick.json`` and leaves the docs
alone. Not part of ``make test``: ``tests/test_load.py`` runs a short one for correctness only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maatwerk._bench import report
from maatwerk._bench.run import ROOT, load_average, machine, percentile
from maatwerk._tools.generate import RandomDraw, benefit_case, provider_case

__all__ = ["BEGIN", "END", "Settings", "main", "rewrite", "run", "table"]

BEGIN = "<!-- load:begin (written by `make load`; edit the text around it, not inside) -->"
END = "<!-- load:end -->"
V1 = "/api/v1"
KINDS = ("advice", "decision")


@dataclass(frozen=True, slots=True)
class Settings:
    seconds: float = 30.0
    clients: int = 32
    decision_share: float = 0.2
    cases: int = 400
    provider_share: float = 0.25
    seed: int = 2026
    quick: bool = False


def mixed_cases(n: int, *, seed: int, provider_share: float) -> list[dict[str, Any]]:
    """``n`` valid cases, benefit and provider cases mixed, the same list for the same seed."""
    rng = random.Random(seed)
    draw = RandomDraw(rng)
    return [provider_case(draw) if rng.random() < provider_share else benefit_case(draw) for _ in range(n)]


class Service:
    """``maatwerk serve`` in a child process on a free loopback port, with its own audit store."""

    def __init__(self, folder: Path, connections: int) -> None:
        self.db = folder / "audit.sqlite"
        self.secret = secrets.token_hex(32)
        (folder / "audit.key").write_text(self.secret)
        (folder / "audit.key").chmod(0o600)  # a secret others may read is refused
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
        self.log = (folder / "serve.log").open("wb")
        self.proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "maatwerk", "serve", "--auth", "local", "--port", "0", "--db", str(self.db)),
                *("--secret-file", str(folder / "audit.key"), "--max-connections", str(connections)),
            ],
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        if " on http://" not in line:
            self.proc.wait(timeout=30)
            raise RuntimeError(f"maatwerk serve did not start: {(folder / 'serve.log').read_text()[-2000:]}")
        host, port = line.split(" on http://", 1)[1].split(" ", 1)[0].split(":")
        self.host, self.port = host, int(port)

    def stop(self) -> int:
        """Stop the service as Ctrl-C does (it closes its store); returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            status = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # never leave a service behind; the run then fails on it
            self.proc.wait(timeout=60)
            raise RuntimeError("maatwerk serve did not stop within 60 s of Ctrl-C and was killed") from None
        finally:
            assert self.proc.stdout is not None
            self.proc.stdout.close()
            self.log.close()
        return status


@dataclass
class Tally:
    """What one client measured: latencies in seconds per kind, and its errors."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: list[dict[str, Any]] = field(default_factory=list)
    confirmed: list[tuple[int, str]] = field(default_factory=list)


class Client:
    """One caseworker's client: a kept-alive connection, reopened after an error."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, body: Any) -> tuple[int, Any]:
        """One request; a failed connection raises (never retried: a decision must not be sent twice)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            self.conn.request(
                "POST", path, body=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
            )
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, json.loads(raw) if raw else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _client(
    service: Service, cases: Sequence[dict[str, Any]], settings: Settings, index: int, deadline: float, tally: Tally
) -> None:
    rng = random.Random(settings.seed * 1000 + index)
    client = Client(service.host, service.port)
    decided = False
    try:
        # Past the deadline only to record this client's first decision (and never a minute longer).
        while time.perf_counter() < deadline or (not decided and time.perf_counter() < deadline + 60):
            case = rng.choice(cases)
            started = time.perf_counter()
            try:
                status, advice = client.post(f"{V1}/advices", case)
            except (OSError, http.client.HTTPException) as err:
                tally.errors.append({"kind": "advice", "status": None, "error": type(err).__name__})
                continue
            tally.latencies["advice"].append(time.perf_counter() - started)
            if status != 200:
                tally.errors.append({"kind": "advice", "status": status, "code": (advice or {}).get("code")})
                continue
            measure = advice["measure"]
            if measure["kind"] == "beslissing_nodig" or (decided and rng.random() >= settings.decision_share):
                continue
            decision = {"measure": measure["kind"], "amount": measure["amount"]}  # the decider: who logged in
            started = time.perf_counter()
            try:
                status, view = client.post(
                    f"{V1}/decisions", {"case": case, "receipt": advice["receipt"], "decision": decision}
                )
            except (OSError, http.client.HTTPException) as err:
                tally.errors.append({"kind": "decision", "status": None, "error": type(err).__name__})
                continue
            tally.latencies["decision"].append(time.perf_counter() - started)
            if status != 201:
                tally.errors.append({"kind": "decision", "status": status, "code": (view or {}).get("code")})
                continue
            tally.confirmed.append((view["number"], view["hash"]))
            decided = True
    finally:
        client.close()


def _summary(latencies: Sequence[float], seconds: float) -> dict[str, Any]:
    ms = sorted(x * 1000 for x in latencies)
    if not ms:
        return {"count": 0, "per_s": 0.0, "p50_ms": None, "p90_ms": None, "p99_ms": None, "max_ms": None}
    return {
        "count": len(ms),
        "per_s": round(len(ms) / seconds, 1),
        "p50_ms": round(percentile(ms, 0.50), 1),
        "p90_ms": round(percentile(ms, 0.90), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "max_ms": round(ms[-1], 1),
    }


def _verify(db: Path, secret: str, confirmed: list[tuple[int, str]]) -> dict[str, Any]:
    """The audit store after the run: it verifies, and holds exactly the decisions answered 201."""
    from maatwerk.audit import AuditStore

    store = AuditStore(db, secret=secret.encode())
    try:
        report = store.verify()
        stored = {r.seq: r.hash for r in store.records()}
    finally:
        store.close()
    lost = [seq for seq, digest in confirmed if stored.get(seq) != digest]
    return {
        "records": len(stored),
        "confirmed": len(confirmed),
        "lost": len(lost),
        "unconfirmed": len(stored) - len(confirmed),
        "chain_ok": report.ok,
        "problems": [p.code for p in report.problems],
        "warnings": [w.code for w in report.warnings],
    }


def run(settings: Settings, say: Any = print) -> dict[str, Any]:
    """Start the service, load it for ``settings.seconds`` with ``settings.clients`` clients, stop it,
    verify its audit store, and return the report."""
    cases = mixed_cases(settings.cases, seed=settings.seed, provider_share=settings.provider_share)
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="maatwerk-load-") as tmp:
        service = Service(Path(tmp), connections=max(128, 2 * settings.clients + 8))
        try:
            warm = Client(service.host, service.port)
            for case in cases[:20]:  # compile the stacks the cases select before the clock runs
                warm.post(f"{V1}/advices", case)
            warm.close()
            say(f"load: {settings.clients} clients for {settings.seconds:g} s on {service.host}:{service.port}")
            tallies = [Tally() for _ in range(settings.clients)]
            started = time.perf_counter()
            deadline = started + settings.seconds
            threads = [
                threading.Thread(target=_client, args=(service, cases, settings, i, deadline, tallies[i]), daemon=True)
                for i in range(settings.clients)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
        finally:
            exit_status = service.stop()
        confirmed = [c for t in tallies for c in t.confirmed]
        audit = _verify(service.db, service.secret, confirmed)
    errors = [e for t in tallies for e in t.errors]
    every = [x for t in tallies for k in KINDS for x in t.latencies[k]]
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "seconds": settings.seconds,
            "clients": settings.clients,
            "decision_share": settings.decision_share,
            "cases": settings.cases,
            "provider_share": settings.provider_share,
            "seed": settings.seed,
            "quick": settings.quick,
        },
        "duration_s": round(elapsed, 2),
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "requests": {
            "all": _summary(every, elapsed),
            **{kind: _summary([x for t in tallies for x in t.latencies[kind]], elapsed) for kind in KINDS},
        },
        "errors": {"count": len(errors), "first": errors[:20]},
        "audit": audit,
        "service_exit": exit_status,
    }


def table(result: dict[str, Any]) -> str:
    """The result as Markdown: the machine and settings, then one row per kind of request."""
    m, s, a = result["machine"], result["settings"], result["audit"]
    quick = " (quick run, not the reference figures)" if s["quick"] else ""
    lines = [
        f"Run of {result['date']}{quick}: {s['clients']} clients for {result['duration_s']:g} s on loopback, "
        f"{s['cases']} seeded cases ({s['provider_share']:.0%} provider cases), a decision after "
        f"{s['decision_share']:.0%} of the advices (and at least one per client). Machine: {m['cpu']}, "
        f"{m['cores']} cores, shared with the clients; Python {m['python']}; maatwerk {m['maatwerk']} "
        f"({m['commit'] or 'no git'}). Load average (1, 5, 15 min) at the start {result['load_average_start']}, "
        f"at the end {result['load_average_end']}.",
        "",
        "| requests | count | throughput | p50 | p90 | p99 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, label in (("advice", "`POST /advices`"), ("decision", "`POST /decisions`"), ("all", "all")):
        r = result["requests"][name]
        if not r["count"]:
            lines.append(f"| {label} | 0 | | | | | |")
            continue
        lines.append(
            f"| {label} | {r['count']:,} | {r['per_s']:,.1f} /s | {r['p50_ms']:,.1f} ms | {r['p90_ms']:,.1f} ms | "
            f"{r['p99_ms']:,.1f} ms | {r['max_ms']:,.1f} ms |"
        )
    verdict = "verifies" if a["chain_ok"] else f"**does not verify** ({', '.join(a['problems'])})"
    lines += [
        "",
        f"Errors: **{result['errors']['count']}**. Audit store after the run: {a['records']:,} records for "
        f"{a['confirmed']:,} decisions answered 201, {a['lost']} lost; the chain {verdict}.",
    ]
    return "\n".join(lines)


def rewrite(path: Path, table_text: str) -> None:
    """Replace the text between :data:`BEGIN` and :data:`END` in ``path`` with ``table_text``."""
    report.rewrite(path, table_text, begin=BEGIN, end=END)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maatwerk._bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", default=os.environ.get("LOAD_QUICK", "") not in ("", "0"))
    parser.add_argument("--seconds", type=float, help="how long the clients run (30; quick 3)")
    parser.add_argument("--clients", type=int, help="concurrent clients (32; quick 4)")
    parser.add_argument("--decision-share", type=float, default=0.2, help="share of advices followed by a decision")
    parser.add_argument("--cases", type=int, default=400, help="distinct seeded cases the clients draw from")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="where to write the JSON report")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/performance.md")
    args = parser.parse_args(argv)
    if not 0 <= args.decision_share <= 1:
        parser.error("--decision-share is between 0 and 1")
    settings = Settings(
        seconds=args.seconds or (3.0 if args.quick else 30.0),
        clients=args.clients or (4 if args.quick else 32),
        decision_share=args.decision_share,
        cases=args.cases,
        seed=args.seed,
        quick=args.quick,
    )
    if settings.seconds <= 0 or settings.clients < 1 or settings.cases < 1:
        parser.error("--seconds, --clients and --cases must be positive")
    result = run(settings)
    target = args.json or (
        ROOT / "bench-results" / "load-quick.json" if settings.quick else ROOT / "docs" / "load.json"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = table(result)
    print(text)
    if not settings.quick and not args.no_docs:
        rewrite(ROOT / "docs" / "performance.md", text)
        print(f"wrote {target} and the load table in docs/performance.md", file=sys.stderr)
    else:
        print(f"wrote {target}", file=sys.stderr)
    failed = result["errors"]["count"] or result["audit"]["lost"] or not result["audit"]["chain_ok"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
