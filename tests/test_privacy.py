# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Privacy: no personal data in any log line, a case only as a keyed pseudonym, and protected
characteristics refused, through the library, the CLI and the service.

Each test fills every identifying or free-text field a case and a decision can have (the case
reference, the provider's id, the caseworker's id, the motivation) and the distinctive amounts and
dates with *canary* values, captures every log line the layer writes (the library: every stdlib
logger at DEBUG and structlog's output; the CLI and the service: their whole stderr, with
``--verbose``), and asserts that no canary appears in any of them, that the log is not empty, and
that the case reference appears only as its keyed pseudonym.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from conftest import POLICIES, valid_case
from http_support import SECRET, Answer, ServeProcess, call, running

from maatwerk import CaseError, Engine
from maatwerk.audit import Actor, Advisor, AuditStore
from maatwerk.cli import EXIT_CASE, main

V1 = "/api/v1"

# --- the canaries ----------------------------------------------------------------------------------

REF = "KANARIE-zaak-4Q7XW2"
PROVIDER_REF = "KANARIE-zorg-8M3KD5"
PROVIDER_ID = "KANARIE-agb-5J8RT3"
CASEWORKER = "KANARIE-mdevries@gemeente.example"
REASON = "KANARIE-motivatie: mevrouw woont sinds kort op de Kerkstraat en had hoge zorgkosten"
#: Amounts and dates no log line would hold by chance.
AMOUNTS = ("4821.37", "6139.71", "1387.43", "123.71", "31415.92")
DATES = ("2025-02-13", "2025-07-29", "2025-02-19", "2025-10-17", "2025-11-27", "2025-09-23")
#: Values that are not valid, each carrying the marker: an error text must not repeat them either.
MARKER = "KANARIE"
CANARIES = (REF, PROVIDER_REF, PROVIDER_ID, CASEWORKER, MARKER, *AMOUNTS, *DATES)

LOG_KEY = "een-sleutel-voor-de-logregels-van-deze-test"


def benefit_case() -> dict[str, Any]:
    """A valid benefit case carrying a canary in every field that could identify the person."""
    case = valid_case()
    case["case_ref"] = REF
    case["decision_date"] = "2025-11-27"
    case["violation"].update(
        period={"start": "2025-02-13", "end": "2025-07-29"}, information_due="2025-02-19", detected_on="2025-10-17"
    )
    case["benefit_loss"] = {"net": "4821.37", "gross": "6139.71", "already_recovered": "123.71"}
    case["finances"]["monthly_norm"] = "1387.43"
    return case


def provider_case() -> dict[str, Any]:
    """A valid provider case with canaries in its reference, the provider's id, an amount and a date."""
    return {
        "domain": "providers",
        "case_ref": PROVIDER_REF,
        "law": "wmo2015",
        "decision_date": "2025-11-27",
        "provider": {"id": PROVIDER_ID},
        "violation": {"established": True, "kind": "kwaliteit_onvoldoende", "found_on": "2025-09-23"},
        "risk": {"harm_occurred": False, "vulnerable_clients": True, "ongoing_danger": False},
        "pattern": "structureel",
        "contract": {"improvement_plan": True, "penalty": True, "penalty_max": "31415.92"},
    }


def invalid_cases() -> list[dict[str, Any]]:
    """Cases refused for a value that carries the marker, and one with a protected characteristic."""
    out = []
    for path, value in (
        (("case_ref",), f"{MARKER} met spaties"),
        (("law",), f"{MARKER}-wet"),
        (("decision_date",), f"{MARKER}-2025"),
        (("benefit_loss", "net"), f"{MARKER}12.50"),
        (("violation", "kind"), f"{MARKER}-soort"),
        (("domain",), f"{MARKER}-domein"),
    ):
        case = benefit_case()
        target = case
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        out.append(case)
    protected = benefit_case()
    protected.setdefault("circumstances", {})["nationaliteit"] = f"{MARKER}-land"
    out.append(protected)
    provider = provider_case()
    provider["provider"]["id"] = f"{MARKER} Zorg B.V., Kerkstraat 1"
    out.append(provider)
    return out


def assert_no_canary(log: str) -> None:
    """No canary anywhere in the log, and the log is not empty (so the capture works)."""
    assert log.strip(), "nothing was logged: the capture is broken"
    found = [c for c in CANARIES if c in log]
    assert [] == found, log[-4000:]


# --- library ---------------------------------------------------------------------------------------


@pytest.fixture
def every_log_line() -> Iterator[io.StringIO]:
    """Every stdlib log record at DEBUG (root handler) and every structlog event, into one buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root, library = logging.getLogger(), logging.getLogger("maatwerk")
    saved_level, saved_library_level, saved_config = root.level, library.level, structlog.get_config()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    library.setLevel(logging.DEBUG)  # a CLI test in this process may have set it, as a host would
    structlog.configure(
        processors=[structlog.processors.add_log_level, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        logger_factory=structlog.PrintLoggerFactory(file=buffer),
        cache_logger_on_first_use=False,
    )
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(saved_level)
        library.setLevel(saved_library_level)
        structlog.configure(**saved_config)


def test_the_library_logs_no_personal_data_and_names_a_case_only_by_its_pseudonym(
    every_log_line: io.StringIO, tmp_path: Path
) -> None:
    """Advising (as a dict, JSON text and bytes, one by one and in a batch), refusing invalid cases,
    and recording and replaying decisions through the audit store log nothing of the case or the
    decision; the case appears in log lines only as ``Engine.pseudonym`` of its reference."""
    engine = Engine(POLICIES, log_key=LOG_KEY.encode())
    benefit, provider = benefit_case(), provider_case()
    for case in (benefit, json.dumps(benefit), json.dumps(provider).encode(), provider):
        engine.advise(case)
    engine.advise_many([benefit, provider])
    engine.trace(benefit)
    for case in invalid_cases():
        with pytest.raises(CaseError) as refused:
            engine.advise(case)
        assert MARKER not in str(refused.value)
    advisor = Advisor(engine, AuditStore(tmp_path / "audit.sqlite", secret=SECRET))
    advice = advisor.advise(benefit)
    decision = {"measure": "geen_boete", "reason_category": "draagkracht", "reason": REASON}
    advisor.decide(benefit, advice.receipt, {**decision, "caseworker_id": CASEWORKER})
    advisor.advice_for(advice.receipt, actor=Actor("auditor-7"))
    log = every_log_line.getvalue()
    assert_no_canary(log)
    assert REASON[:20] not in log
    assert f"case='{engine.pseudonym(REF)}'" in log
    assert f"case='{engine.pseudonym(PROVIDER_REF)}'" in log
    assert advice.receipt[:16] not in log


# --- CLI -------------------------------------------------------------------------------------------


def run_cli(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "maatwerk", *args],
        input=None if stdin is None else stdin.decode(),
        capture_output=True,
        text=True,
        env=clean,
        timeout=300,
        check=False,
    )


def test_the_cli_logs_no_personal_data_and_names_a_case_only_by_its_pseudonym(tmp_path: Path) -> None:
    """`maatwerk --verbose advise` on canary cases (from a file and from stdin) logs the advice
    event with the case's pseudonym under $MAATWERK_LOG_KEY, and no canary; refused cases print
    their located errors, as text on stderr and as JSON on stdout, without repeating a value."""
    env = {"MAATWERK_LOG_KEY": LOG_KEY}
    benefit = tmp_path / "benefit.json"
    benefit.write_text(json.dumps(benefit_case()), encoding="utf-8")
    ok = run_cli("--verbose", "advise", str(benefit), "--format", "json", env=env)
    assert 0 == ok.returncode, ok.stderr
    from_stdin = run_cli("--verbose", "advise", "-", stdin=json.dumps(provider_case()).encode(), env=env)
    assert 0 == from_stdin.returncode, from_stdin.stderr
    pseudonyms = Engine(POLICIES, log_key=LOG_KEY.encode(), evaluator="reference")
    assert f"case='{pseudonyms.pseudonym(REF)}'" in ok.stderr
    assert f"case='{pseudonyms.pseudonym(PROVIDER_REF)}'" in from_stdin.stderr
    logs = [ok.stderr, from_stdin.stderr]
    for i, case in enumerate(invalid_cases()):
        path = tmp_path / f"invalid-{i}.json"
        path.write_text(json.dumps(case), encoding="utf-8")
        as_text = run_cli("--verbose", "advise", str(path), env=env)
        as_json = run_cli("--verbose", "advise", str(path), "--format", "json", env=env)
        assert (EXIT_CASE, EXIT_CASE) == (as_text.returncode, as_json.returncode)
        assert MARKER not in as_json.stdout
        logs += [as_text.stderr, as_json.stderr]
    assert_no_canary("\n".join(logs))


def test_the_cli_refuses_a_log_key_too_short_to_be_secret(tmp_path: Path) -> None:
    """A $MAATWERK_LOG_KEY under 32 characters is a usage error (exit 2), never silently used."""
    case = tmp_path / "case.json"
    case.write_text(json.dumps(benefit_case()), encoding="utf-8")
    result = run_cli("advise", str(case), env={"MAATWERK_LOG_KEY": "kort"})
    assert (2, "maatwerk: MAATWERK_LOG_KEY is shorter than 32 characters\n") == (result.returncode, result.stderr)


# --- service ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bytes, list[Answer]]:
    """The whole stderr of `maatwerk --verbose serve` after a session with canaries everywhere: its
    secret, and every response body it sent."""
    tmp = tmp_path_factory.mktemp("privacy-service")
    secret = b"s3cr3t-" * 6
    (tmp / "audit.key").write_bytes(secret)
    (tmp / "audit.key").chmod(0o600)
    # Through an authenticating proxy that names the caseworker: the decider stored is the person
    # the proxy names (a canary), never a name in the request.
    (tmp / "proxy.key").write_text("p" * 48)
    proxy = ("--auth", "proxy", "--proxy-secret-file", str(tmp / "proxy.key"))
    service = ServeProcess(tmp, verbose=True, extra=proxy)
    service.headers = {
        "X-Maatwerk-Proxy-Secret": "p" * 48,
        "X-Forwarded-User": CASEWORKER,
        "X-Forwarded-Roles": "caseworker,team-lead,auditor",
    }
    answers: list[Answer] = []
    try:
        for case in (benefit_case(), provider_case()):
            advised = service.call("POST", f"{V1}/advices", case)
            assert 200 == advised.status, advised.body
            receipt = advised.json["receipt"]
            measure = advised.json["measure"]
            follow = {"measure": measure["kind"], "amount": measure["amount"]}
            decided = service.call("POST", f"{V1}/decisions", {"case": case, "receipt": receipt, "decision": follow})
            assert 201 == decided.status, decided.body
            # A lawful departure: another measure the advice does not mark unlawful.
            unlawful = {a["measure"] for a in advised.json["alternatives"] if not a["lawful"]}
            candidates = (
                ("geen_maatregel", "gesprek") if case.get("domain") == "providers" else ("geen_boete", "waarschuwing")
            )
            other = next(m for m in candidates if m != measure["kind"] and m not in unlawful)
            depart = {"measure": other, "reason_category": "draagkracht", "reason": REASON}
            departed = service.call("POST", f"{V1}/decisions", {"case": case, "receipt": receipt, "decision": depart})
            assert 201 == departed.status, departed.body
            for path in (
                f"{V1}/advices/{receipt}",
                f"{V1}/advices/{receipt}/decisions",
                f"{V1}/decisions/{decided.json['number']}",
                f"{V1}/learning-report",
            ):
                answers.append(service.call("GET", path))
        for case in invalid_cases():
            refused = service.call("POST", f"{V1}/advices", case)
            assert 400 == refused.status, refused.body
            answers.append(refused)
            wrapped = {"case": case, "receipt": "0" * 64, "decision": {"measure": "boete", "caseworker_id": CASEWORKER}}
            answers.append(service.call("POST", f"{V1}/decisions", wrapped))
        bad_decision = {"measure": f"{MARKER}", "amount": f"{MARKER}", "caseworker_id": CASEWORKER, "reason": REASON}
        answers.append(
            service.call("POST", f"{V1}/decisions", {"case": benefit_case(), "receipt": "x", "decision": bad_decision})
        )
        for path in (f"/{REF}", f"{V1}/advices/{REF}", f"{V1}/decisions/{REF}", f"{V1}/advices?case_ref={REF}"):
            answers.append(service.call("GET", path))
        answers.append(service.call("POST", f"{V1}/advices", raw=f'{{"case_ref": "{REF}", '.encode()))
    finally:
        service.stop()
    return service.log(), secret, answers


def test_the_service_logs_no_personal_data(service_log: tuple[str, bytes, list[Answer]]) -> None:
    """Advice, decisions (with a caseworker id and a motivation), lookups by receipt and number,
    refused cases and decisions, and paths and queries holding a case reference: the service's whole
    log (request lines, the engine's events, decision events) holds no canary and no motivation."""
    log, _, _ = service_log
    assert_no_canary(log)
    assert REASON[:20] not in log
    assert '"event": "request"' in log


def test_the_service_names_a_case_by_a_pseudonym_keyed_from_its_audit_secret(
    service_log: tuple[str, bytes, list[Answer]], tmp_path: Path
) -> None:
    """The engine's advice events and the decision events name the case by ``Engine.pseudonym``
    under the key the audit store derives from the service's secret (so the pseudonyms stay the
    same across restarts and only the holder of the secret can compute one)."""
    log, secret, _ = service_log
    store = AuditStore(tmp_path / "other.sqlite", secret=secret)
    pseudonyms = Engine(POLICIES, log_key=store.log_key, evaluator="reference")
    for ref in (REF, PROVIDER_REF):
        assert f"case='{pseudonyms.pseudonym(ref)}'" in log  # the engine's advice event
        assert f'"case": "{pseudonyms.pseudonym(ref)}"' in log  # the service's decision event
    assert store.log_key != secret
    assert pseudonyms.pseudonym(CASEWORKER) != store.pseudonym(CASEWORKER)[:16]


def test_the_service_never_echoes_an_invalid_value_in_a_problem(service_log: tuple[str, bytes, list[Answer]]) -> None:
    """Problem details locate what is wrong without repeating the refused value (they end up in
    the logs of the systems that call the service). Only ``instance`` repeats what the client sent:
    the request's own path (RFC 9457)."""
    _, _, answers = service_log
    problems = [a.json for a in answers if a.headers.get("content-type") == "application/problem+json"]
    assert len(problems) > 10
    echoed = [p for p in problems if MARKER in json.dumps({k: v for k, v in p.items() if k != "instance"})]
    assert [] == echoed


# --- protected characteristics: one behaviour, three layers ----------------------------------------

PROTECTED = [
    ("nationaliteit", ("nationaliteit",)),
    ("circumstances.postcode", ("circumstances", "postcode")),
    ("finances.Geslacht", ("finances", "Geslacht")),
    ("history.0.religion", ("history", 0, "religion")),
]


def with_protected(path: tuple[str | int, ...]) -> dict[str, Any]:
    case = benefit_case()
    if path[0] == "history":
        case["history"] = [{"kind": "bestuurlijke_boete", "final_on": "2020-01-01", "same_conduct": False}]
    target: Any = case
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    target[path[-1]] = f"{MARKER}-waarde"
    return case


@pytest.mark.parametrize(("where", "path"), PROTECTED, ids=[w for w, _ in PROTECTED])
def test_the_library_refuses_a_protected_characteristic_by_its_place(
    engine: Engine, where: str, path: tuple[str | int, ...]
) -> None:
    """A protected characteristic anywhere in a case is a CaseError with code
    PROTECTED_CHARACTERISTIC at its place, saying what it is, without its value."""
    with pytest.raises(CaseError) as refused:
        engine.advise(with_protected(path))
    assert [(where, "PROTECTED_CHARACTERISTIC")] == [(p.where, p.code) for p in refused.value.problems]
    assert "protected characteristic" in refused.value.problems[0].message
    assert MARKER not in str(refused.value)


@pytest.mark.parametrize(("where", "path"), PROTECTED, ids=[w for w, _ in PROTECTED])
def test_the_cli_refuses_a_protected_characteristic_by_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, path: tuple[str | int, ...]
) -> None:
    """`maatwerk advise --format json` exits 3 and names the place and PROTECTED_CHARACTERISTIC."""
    case = tmp_path / "case.json"
    case.write_text(json.dumps(with_protected(path)), encoding="utf-8")
    assert EXIT_CASE == main(["advise", str(case), "--format", "json"])
    out = capsys.readouterr().out
    assert [(where, "PROTECTED_CHARACTERISTIC")] == [
        (p["where"], p["code"]) for p in json.loads(out)["error"]["problems"]
    ]
    assert MARKER not in out


@pytest.fixture(scope="module")
def service(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with running(engine, tmp_path_factory.mktemp("privacy-http") / "audit.sqlite") as server:
        yield server


@pytest.mark.parametrize(("where", "path"), PROTECTED, ids=[w for w, _ in PROTECTED])
def test_the_service_refuses_a_protected_characteristic_by_its_place(
    service: Any, where: str, path: tuple[str | int, ...]
) -> None:
    """POST /advices answers 400 problem+json with PROTECTED_CHARACTERISTIC at the place."""
    answer = call(service, "POST", f"{V1}/advices", with_protected(path))
    assert (400, "application/problem+json") == (answer.status, answer.headers["content-type"])
    assert [(where, "PROTECTED_CHARACTERISTIC")] == [(p["name"], p["code"]) for p in answer.json["invalidParams"]]
    assert MARKER not in answer.body.decode()
