# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The caseworker service as an ASGI application (Starlette): the JSON API and the web page.

``create_app(settings, advisor)`` gives the application; `maatwerk serve` runs it on uvicorn
(:mod:`maatwerk.http._serve`), and a municipality can mount it in its own ASGI server. What it
guarantees on its own, whatever server runs it:

* every request outside the public ones (the page, health, the OpenAPI document, schemas) is
  authenticated (:mod:`maatwerk.http._auth`) and needs a role; a decision is recorded in the name of
  the authenticated person, never a name the client sends;
* the Host header is one of the allowed names; a state-changing request from a browser page comes
  from the service's own origin (Origin, else Sec-Fetch-Site); ambiguous framing (two
  Content-Length headers, Content-Length with Transfer-Encoding) is refused;
* bodies are JSON with that Content-Type (415), a Content-Length (411) within the limit (413), and
  are validated by the pydantic models the OpenAPI document is made from;
* every advice call runs on one engine worker thread (durable-rules needs serialised access; see
  docs/explanation/design.md), with a time limit (503); audit store calls run on worker threads off
  the event loop, and a decision's write is never cut off by the time limit or by a stop;
* errors are problem details (RFC 9457) with a stable code and located problems, never a trace.
  Log lines carry the route name, status and duration, and a recorded decision's number with the
  case as a keyed pseudonym: no case data, no path parameters, no person, no client address.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import json
import queue
import re
import threading
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from http import HTTPStatus
from importlib import resources
from typing import Any, TypeVar, cast
from urllib.parse import parse_qs

import structlog
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from maatwerk._intake.case import DuplicateKeyError, load_json
from maatwerk._texts import say
from maatwerk._version import __version__
from maatwerk.audit import (
    Actor,
    Advisor,
    AuditNotFoundError,
    AuditStoreFullError,
    AuditWriteError,
    IdempotencyConflictError,
    Record,
    StaleAdviceError,
    learning_report,
    report_csv,
    report_rows,
    report_svg,
    vocabulary,
)
from maatwerk.errors import CaseError, MaatwerkError, PolicySelectionError, Problem
from maatwerk.http._auth import Authenticator, AuthError, Principal, require
from maatwerk.http._openapi import (
    API_VERSION,
    BASE,
    DecisionEnvelope,
    DecisionView,
    InvalidParam,
    ProblemDetails,
    openapi,
)
from maatwerk.http._settings import ROLES, Role, Settings

__all__ = ["HttpProblemError", "ServiceState", "create_app"]

_log = structlog.get_logger("maatwerk.http")
T = TypeVar("T")


def event(level: str, name: str, **fields: Any) -> None:
    """Log an event; a failing log sink never turns into a failed request."""
    with contextlib.suppress(Exception):
        getattr(_log, level)(name, **fields)


class HttpProblemError(Exception):
    """An error answer: status, stable code, detail, located problems, extra headers."""

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


def problem_bytes(
    status: int, code: str, detail: str, instance: str = "", problems: tuple[Problem, ...] = (), hint: str = ""
) -> bytes:
    """The problem+json body, made (and so validated) by the model in the OpenAPI document."""
    body = ProblemDetails(
        type=f"urn:maatwerk:problem:{code}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        code=code,
        instance=instance or None,
        hint=hint or None,
        invalidParams=[InvalidParam(name=p.where, code=p.code, reason=p.message) for p in problems] or None,
    )
    return body.model_dump_json(exclude_none=True).encode("utf-8")


def _from_error(err: MaatwerkError) -> HttpProblemError:
    if isinstance(err, StaleAdviceError | IdempotencyConflictError):
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
ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
#: Methods that change state: their requests must come from the service's own origin.
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _static(name: str) -> bytes:
    return resources.files("maatwerk.http").joinpath("static", name).read_bytes()


def frames(err: BaseException) -> list[str]:
    """Where an error happened, as file:line:function (no values)."""
    return [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in traceback.extract_tb(err.__traceback__)]


class _Call:
    """A call queued for a worker thread, how to hand its outcome back, and whether to skip it."""

    __slots__ = ("args", "cancelled", "deliver", "fn")

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], deliver: Callable[[bool, Any], None]) -> None:
        self.fn = fn
        self.args = args
        self.deliver = deliver
        self.cancelled = False


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if not future.done():  # else the request stopped waiting (time limit, stop): the outcome is dropped
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


class Workers:
    """Daemon threads that run calls from a queue: ``Workers(1)`` is the one engine worker, which
    runs advice calls one at a time, in order; more threads serve the audit store.

    Not a ``ThreadPoolExecutor``, whose threads the interpreter joins at exit: a stopped service did
    not exit while an advice was still running (one that hangs kept the process from exiting at
    all). A stop answers the requests waiting for the engine first; then nothing waits for these.
    An outcome goes straight to the event loop's future (no ``concurrent.futures.Future`` in
    between: measured under `make load`, that was a tenth of the event loop's time)."""

    def __init__(self, count: int, name: str) -> None:
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._count = count
        for i in range(count):
            threading.Thread(target=self._run, name=f"{name}-{i}", daemon=True).start()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Queue ``fn(*args)`` from any thread; the future gives its result or its exception."""
        future: Future[T] = Future()

        def deliver(ok: bool, value: Any) -> None:
            if not future.set_running_or_notify_cancel():
                return  # cancelled by the caller
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

        self._calls.put(_Call(fn, args, deliver))
        return future

    def call(self, fn: Callable[..., T], *args: Any) -> tuple[asyncio.Future[T], _Call]:
        """Queue ``fn(*args)`` from the event loop: its future there, and the call (set
        ``cancelled`` to skip it if it has not started)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def deliver(ok: bool, value: Any) -> None:
            with contextlib.suppress(RuntimeError):  # the loop has ended: nobody waits any more
                loop.call_soon_threadsafe(_settle, future, ok, value)

        call = _Call(fn, args, deliver)
        self._calls.put(call)
        return future, call

    def shutdown(self) -> None:
        """End the threads after the calls already queued (a cancelled one is skipped)."""
        for _ in range(self._count):
            self._calls.put(None)

    def _run(self) -> None:
        while (call := self._calls.get()) is not None:
            if call.cancelled:
                continue  # its request was answered without it
            try:
                result = call.fn(*call.args)
            except BaseException as err:  # handed to the request that waits for it
                call.deliver(False, err)
            else:
                call.deliver(True, result)
            del call


class ServiceState:
    """What the application shares between requests: settings, advisor, who-is-asking, workers."""

    def __init__(self, settings: Settings, advisor: Advisor) -> None:
        self.settings = settings
        self.advisor = advisor
        self.auth = Authenticator(settings)
        #: The learning report's words (measure names in the packs' order, causes, follow-ups).
        self.report_names = vocabulary(advisor.engine)
        self.engine = Workers(1, "maatwerk-engine")
        self.io = Workers(16, "maatwerk-io")
        self._grace_over = threading.Event()
        #: Per event loop, one future that is done when the grace period is over.
        self._grace_futures: dict[asyncio.AbstractEventLoop, asyncio.Future[None]] = {}
        self._lock = threading.Lock()
        self.openapi_bytes = json.dumps(
            openapi(
                contact_name=settings.contact_name,
                contact_email=settings.contact_email,
                contact_url=settings.contact_url,
                auth=settings.auth,
            ),
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8")

    # -- the stop's grace period -----------------------------------------------------------------

    @property
    def grace_over(self) -> bool:
        return self._grace_over.is_set()

    def end_grace(self) -> None:
        """From now on a request waiting for the engine is answered 503 SERVICE_STOPPING."""
        with self._lock:
            self._grace_over.set()
            futures = list(self._grace_futures.items())
        for loop, future in futures:
            with contextlib.suppress(RuntimeError):  # that loop has ended
                loop.call_soon_threadsafe(_set_done, future)

    def _grace_future(self) -> asyncio.Future[None]:
        loop = asyncio.get_running_loop()
        with self._lock:
            future = self._grace_futures.get(loop)
            if future is None:
                future = self._grace_futures[loop] = loop.create_future()
                if self._grace_over.is_set():
                    future.set_result(None)
        return future

    def close(self) -> None:
        self.end_grace()
        self.engine.shutdown()
        self.io.shutdown()

    # -- running work off the event loop ---------------------------------------------------------

    async def run_engine(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` on the engine worker; 503 when it takes longer than the time limit, or when a
        stop's grace period ends first (then ``fn`` never runs if it had not started)."""
        if not self.grace_over:
            waiting, call = self.engine.call(fn, *args)
            await asyncio.wait(
                (waiting, self._grace_future()),
                timeout=self.settings.advise_timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if waiting.done():
                return waiting.result()
            call.cancelled = True  # skipped by the worker if it had not started
            waiting.cancel()
        if self.grace_over:
            problem = HttpProblemError(
                503, "SERVICE_STOPPING", "the service is stopping and did nothing with this request; send it again"
            )
        else:
            problem = HttpProblemError(
                503,
                "ADVICE_TIMEOUT",
                f"the advice took longer than {self.settings.advise_timeout:g} seconds; try again in a moment",
            )
        problem.headers["Retry-After"] = "5"
        raise problem

    async def run_io(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking call (the audit store, fetching keys) on a worker thread. Awaited to the
        end: a decision being written is never cut off (a cancelled request leaves it running)."""
        future, _ = self.io.call(fn, *args)
        future.add_done_callback(_retrieved)  # an outcome nobody waits for any more is not an error
        return await asyncio.shield(future)

    # -- the checks every request passes ---------------------------------------------------------

    def check_origin(self, request: Request) -> None:
        """A state-changing request from a browser page must come from the service's own origin (or
        an allowed one): Origin when the browser sends it, else Sec-Fetch-Site. A client that sends
        neither is not a browser page (curl, a municipality's system) and passes."""
        origin = _only_header(request, "origin")
        if origin is not None:
            host = (_only_header(request, "host") or "").lower()
            netloc = origin.lower().split("://", 1)[-1]
            if origin in self.settings.allowed_origins or (origin.lower() != "null" and netloc == host):
                return
            raise HttpProblemError(
                403,
                "ORIGIN_NOT_ALLOWED",
                "a page of another website may not send this request",
                problems=(Problem("header:Origin", "ORIGIN_NOT_ALLOWED", "not this service's origin"),),
            )
        site = _only_header(request, "sec-fetch-site")
        if site is not None and site.lower() not in ("same-origin", "none"):
            raise HttpProblemError(
                403,
                "ORIGIN_NOT_ALLOWED",
                "a page of another website may not send this request",
                problems=(Problem("header:Sec-Fetch-Site", "ORIGIN_NOT_ALLOWED", f"{site[:20]}, not same-origin"),),
            )

    async def principal(self, request: Request, allowed: frozenset[Role]) -> Principal:
        found = self.auth.authenticate(request.scope["headers"], self.run_io)
        principal = cast(Principal, await found if asyncio.iscoroutine(found) else found)
        require(principal, allowed, self.settings)
        return principal

    async def read_body(self, request: Request) -> bytes:
        ctype = _only_header(request, "content-type")
        media = (ctype or "").split(";")[0].strip().lower()
        if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
            raise HttpProblemError(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "send the body as application/json, with that Content-Type",
                problems=(Problem("header:Content-Type", "UNSUPPORTED_MEDIA_TYPE", f"{(ctype or '(none)')[:60]}"),),
            )
        if _only_header(request, "transfer-encoding") is not None:
            raise HttpProblemError(411, "LENGTH_REQUIRED", "send the body with a Content-Length, not chunked")
        length_text = _only_header(request, "content-length")
        if length_text is None or not length_text.isdigit():
            raise HttpProblemError(411, "LENGTH_REQUIRED", "send a Content-Length header")
        if int(length_text) > self.settings.max_body:
            # Answered before the body is read; the server drops the body as it comes (bounded by
            # the request deadline) and the connection stays usable.
            raise HttpProblemError(
                413, "BODY_TOO_LARGE", f"the request body is larger than {self.settings.max_body} bytes"
            )
        return await request.body()


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _set_done(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _only_header(request: Request, name: str) -> str | None:
    """A header the request may carry once: a second copy is refused (400), whatever it says."""
    key = name.encode("latin-1")
    found = [v for k, v in request.scope["headers"] if k == key]
    if len(found) > 1:
        raise HttpProblemError(
            400,
            "HEADER_DUPLICATE",
            f"the {name} header is sent more than once",
            problems=(Problem(f"header:{name}", "HEADER_DUPLICATE", "sent more than once"),),
        )
    return found[0].decode("latin-1") if found else None


Handler = Callable[[ServiceState, Request, Principal | None, bytes | None], Awaitable[Response]]


def endpoint(name: str, *, roles: frozenset[Role] | None = None, body: bool = False) -> Callable[[Handler], Any]:
    """A route's handler with the checks in their order (origin, who, body) and its error answers."""

    def wrap(fn: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            started = time.perf_counter()
            state: ServiceState = request.app.state.maatwerk
            try:
                try:
                    if request.method in UNSAFE:
                        state.check_origin(request)
                    principal = None if roles is None else await state.principal(request, roles)
                    raw = await state.read_body(request) if body else None
                    response = await fn(state, request, principal, raw)
                except AuthError as err:
                    problem = HttpProblemError(err.status, err.code, err.detail, problems=err.problems)
                    problem.headers.update(err.headers)
                    raise problem from None
                except MaatwerkError as err:
                    raise _from_error(err) from None
            except HttpProblemError as problem:
                response = problem_response(problem, request.url.path)
            except ClientDisconnect:  # nothing can be sent; what was done stays done
                event("info", "client_gone", route=name)
                response = Response(status_code=499)
            except Exception as err:  # never a stack trace to the client; a located one in the log
                incident = uuid.uuid4().hex[:12]
                event(
                    "error", "unexpected", route=name, incident=incident, error=type(err).__name__, frames=frames(err)
                )
                response = problem_response(
                    HttpProblemError(500, "INTERNAL_ERROR", f"unexpected failure; incident {incident}"),
                    request.url.path,
                )
                response.headers["Connection"] = "close"
            event(
                "info",
                "request",
                method=request.method,
                route=name,
                status=response.status_code,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            return response

        return handler

    return wrap


def problem_response(problem: HttpProblemError, instance: str = "") -> Response:
    body = problem_bytes(problem.status, problem.code, problem.detail, instance, problem.problems, problem.hint)
    headers = dict(problem.headers)
    if problem.status in (408, 411, 431, 500) or problem.code in ("FRAMING_AMBIGUOUS", "HOST_INVALID"):
        headers.setdefault("Connection", "close")  # what follows on the connection cannot be trusted
    return Response(body, problem.status, headers, media_type="application/problem+json")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(body, status, headers, media_type="application/json")


# -- the routes ------------------------------------------------------------------------------------

CASEWORKER: frozenset[Role] = frozenset({"caseworker"})
READERS: frozenset[Role] = frozenset({"team-lead", "auditor"})
AUDITOR: frozenset[Role] = frozenset({"auditor"})
#: Everyone who signs in: the packs in use and the form's fields are no secret of any role (the
#: caseworker's page names measures and principles in words from GET /packs).
ANYONE: frozenset[Role] = frozenset(ROLES)


@endpoint("page")
async def r_page(_s: ServiceState, _r: Request, _p: Principal | None, _b: bytes | None) -> Response:
    return Response(_static("index.html"), 200, PAGE_HEADERS, media_type="text/html; charset=utf-8")


@endpoint("asset")
async def r_asset(_s: ServiceState, request: Request, _p: Principal | None, _b: bytes | None) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:
        raise HttpProblemError(404, "NOT_FOUND", "no such asset")
    return Response(_static(name), 200, PAGE_HEADERS, media_type=ASSETS[name])


@endpoint("landing")
async def r_landing(_s: ServiceState, _r: Request, _p: Principal | None, _b: bytes | None) -> Response:
    return json_response(
        {
            "name": "maatwerk",
            "api_version": API_VERSION,
            "links": {"openapi": f"{BASE}/openapi.json", "health": f"{BASE}/health"},
        }
    )


@endpoint("health")
async def r_health(_s: ServiceState, _r: Request, _p: Principal | None, _b: bytes | None) -> Response:
    return json_response({"status": "ok", "version": __version__})


@endpoint("openapi")
async def r_openapi(state: ServiceState, _r: Request, _p: Principal | None, _b: bytes | None) -> Response:
    return json_response(state.openapi_bytes, headers={"Access-Control-Allow-Origin": "*"})


@endpoint("schema")
async def r_schema(_s: ServiceState, request: Request, _p: Principal | None, _b: bytes | None) -> Response:
    kind = request.path_params["kind"]
    if kind == "decision":
        from maatwerk.http._openapi import DecisionRequest

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
    return json_response(doc)


@endpoint("packs", roles=ANYONE)
async def r_packs(state: ServiceState, _r: Request, _p: Principal | None, _b: bytes | None) -> Response:
    engine = state.advisor.engine
    packs = [
        {
            "id": v.id,
            "version": v.version,
            "valid_from": v.valid_from.isoformat(),
            "domain": v.file.pack.domain,
            "layer": v.file.pack.layer,
            "municipality": v.file.pack.municipality,
            "sha256": v.sha256,
            # The purposes of the law (national) or the municipality's principles, by the ids the
            # advice's steps name, with their names in words.
            "principles": {k: {"nl": pr.label.nl, "en": pr.label.en} for k, pr in v.file.principles.items()},
        }
        for versions in engine.policies.packs.values()
        for v in versions
    ]
    # The measures' names in words, per domain, from the national packs' verdict (the page shows these,
    # never the identifiers).
    measures: dict[str, dict[str, dict[str, str]]] = {}
    for versions in engine.policies.packs.values():
        for v in versions:
            verdict = getattr(v.file, "verdict", None)
            if verdict is None:
                continue
            named = measures.setdefault(v.file.pack.domain, {})
            for ident, measure in verdict.measures.items():
                named[ident] = {"nl": measure.label.nl, "en": measure.label.en}
    return json_response(
        {
            "municipality": engine.municipality,
            "policy_set": state.advisor.policy_set,
            "engine": engine.engine,
            "packs": packs,
            "measures": measures,
        }
    )


FIELD_QUERY = {"domain", "law", "decisionDate", "conductDate"}


@endpoint("case_fields", roles=ANYONE)
async def r_case_fields(state: ServiceState, request: Request, _p: Principal | None, _b: bytes | None) -> Response:
    """The form of a case: a field for every fact the rules of the selected packs read (see
    :func:`maatwerk._intake.fields.case_fields`)."""
    from maatwerk._intake.fields import case_fields
    from maatwerk._policy.domains import DOMAIN_LAWS

    query = {k: v[-1] for k, v in parse_qs(request.url.query, keep_blank_values=True).items()}
    problems = [
        Problem(k[:40], "QUERY_UNKNOWN", "use domain, law, decisionDate or conductDate")
        for k in query
        if k not in FIELD_QUERY
    ]
    domain = query.get("domain", "")
    if domain not in DOMAIN_LAWS:
        problems.append(Problem("domain", "QUERY_INVALID", "benefits or providers"))
    law = query.get("law") or None
    if law is not None and domain in DOMAIN_LAWS and law not in DOMAIN_LAWS[domain]:
        problems.append(Problem("law", "QUERY_INVALID", f"one of {', '.join(DOMAIN_LAWS[domain])}"))
    days: dict[str, dt.date | None] = {"decisionDate": None, "conductDate": None}
    for key in days:
        if query.get(key):
            try:
                days[key] = dt.date.fromisoformat(query[key])
            except ValueError:
                problems.append(Problem(key, "QUERY_INVALID", "a date as YYYY-MM-DD"))
    if days["conductDate"] is not None and days["decisionDate"] is None:
        problems.append(Problem("decisionDate", "QUERY_INVALID", "give decisionDate with conductDate"))
    if problems:
        raise HttpProblemError(400, "QUERY_INVALID", "the query is not valid", problems=tuple(problems))
    engine = state.advisor.engine

    def build() -> dict[str, Any]:
        return case_fields(
            engine.policies,
            domain,
            engine.municipality,
            law=law,
            decision=days["decisionDate"],
            conduct=days["conductDate"],
        )

    return json_response(await state.run_engine(build))


@endpoint("advise", roles=CASEWORKER, body=True)
async def r_advise(state: ServiceState, _r: Request, _p: Principal | None, raw: bytes | None) -> Response:
    # The advice's JSON straight from its plain data (Engine.advise_json), byte for byte what the
    # model would write: the service builds no model that it would only serialise and throw away.
    return json_response(await state.run_engine(state.advisor.advise_json, raw))


def _receipt(receipt: str) -> str:
    if not RECEIPT.match(receipt):
        raise HttpProblemError(
            400,
            "RECEIPT_INVALID",
            "a receipt is 64 lowercase hexadecimal characters",
            problems=(Problem("receipt", "RECEIPT_INVALID", "not a SHA-256 in hex"),),
        )
    return receipt


@endpoint("advice", roles=AUDITOR)
async def r_advice(state: ServiceState, request: Request, principal: Principal | None, _b: bytes | None) -> Response:
    replay = functools.partial(state.advisor.advice_for, actor=_actor(principal))
    result = await state.run_engine(replay, _receipt(request.path_params["receipt"]))
    return json_response(
        result.advice.model_dump_json().encode("utf-8"),
        headers={"Maatwerk-Replay-Identical": str(result.identical).lower()},
    )


def _actor(principal: Principal | None) -> Actor:
    """Who reads or records, for the audit store's access log: the authenticated person."""
    assert principal is not None  # every route that reads or records case data needs a role
    return Actor(principal.subject, "http")


async def _view(
    state: ServiceState, record: Record, *, with_replay: bool, principal: Principal | None = None
) -> dict[str, Any]:
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
        replay = functools.partial(state.advisor.advice_for, actor=_actor(principal))
        result = await state.run_engine(replay, record.receipt)
        view["replay"] = result.to_dict()
        view["letter"] = await state.run_engine(
            state.advisor.letter, await _opened(state, record, principal), result.advice
        )
    # Through the model the OpenAPI document describes: what is answered is what is documented.
    return DecisionView.model_validate(view).model_dump(mode="json", exclude_none=True)


async def _opened(state: ServiceState, record: Record, principal: Principal | None) -> Record:
    """``record`` with its case data (the input and the whole decision), read for the person asking
    when the record at hand holds only the part in the clear (a retry answers the first record)."""
    if isinstance(record.body.get("input"), dict):
        return record
    by_seq = functools.partial(state.advisor.store.by_seq, actor=_actor(principal))
    opened = await state.run_io(by_seq, record.seq)
    return record if opened is None else opened


def _record_number(request: Request) -> int:
    number = request.path_params["number"]
    if not number.isdigit() or len(number) > 18 or int(number) < 1:
        raise HttpProblemError(
            400,
            "NUMBER_INVALID",
            "a record number is a positive integer",
            problems=(Problem("number", "NUMBER_INVALID", "not a positive integer"),),
        )
    return int(number)


#: The representations of a decision letter, by media type: a printable HTML document, or a PDF.
LETTER_TYPES = ("text/html", "application/pdf")


def _letter_type(request: Request) -> str:
    """The letter's media type from the Accept header (HTML when there is none or it takes anything)."""
    accept = _only_header(request, "accept")
    if accept is None:
        return "text/html"
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.strip().lower()
        for offered in LETTER_TYPES:
            if q > 0 and media in (offered, offered.split("/")[0] + "/*", "*/*"):
                ranked.append((-q, i * 2 + LETTER_TYPES.index(offered), offered))
    if not ranked:
        raise HttpProblemError(
            406,
            "NOT_ACCEPTABLE",
            "the letter is offered as text/html and application/pdf",
            problems=(Problem("header:Accept", "NOT_ACCEPTABLE", "ask for text/html or application/pdf"),),
        )
    return sorted(ranked)[0][2]


@endpoint("letter", roles=CASEWORKER | READERS)
async def r_letter(state: ServiceState, request: Request, principal: Principal | None, _b: bytes | None) -> Response:
    from maatwerk.letters import document_style_hash, render_document, render_pdf

    number = _record_number(request)
    media = _letter_type(request)
    by_seq = functools.partial(state.advisor.store.by_seq, actor=_actor(principal))
    record = await state.run_io(by_seq, number)
    if record is None or record.kind != "decision":
        raise HttpProblemError(404, "NOT_FOUND", "no such decision")
    replay = functools.partial(state.advisor.advice_for, actor=_actor(principal))
    result = await state.run_engine(replay, record.receipt)
    fragment = await state.run_engine(state.advisor.letter, record, result.advice)
    title = say("download.letter_title", "nl").format(number=number)
    headers = {
        "Content-Security-Policy": f"default-src 'none'; style-src {document_style_hash()}; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Vary": "Accept",
    }
    if media == "application/pdf":
        pdf = await state.run_io(render_pdf, fragment, title)
        headers["Content-Disposition"] = (
            f'attachment; filename="{say("download.letter_file", "nl").format(number=number)}"'
        )
        return Response(pdf, 200, headers, media_type="application/pdf")
    return Response(render_document(fragment, title), 200, headers, media_type="text/html; charset=utf-8")


@endpoint("advice_decisions", roles=READERS)
async def r_advice_decisions(
    state: ServiceState, request: Request, principal: Principal | None, _b: bytes | None
) -> Response:
    by_receipt = functools.partial(state.advisor.store.by_receipt, actor=_actor(principal))
    records = await state.run_io(by_receipt, _receipt(request.path_params["receipt"]))
    if not records:
        raise HttpProblemError(404, "NOT_FOUND", "no decision was recorded on this receipt")
    return json_response([await _view(state, r, with_replay=False) for r in records])


@endpoint("decision", roles=READERS)
async def r_decision(state: ServiceState, request: Request, principal: Principal | None, _b: bytes | None) -> Response:
    by_seq = functools.partial(state.advisor.store.by_seq, actor=_actor(principal))
    record = await state.run_io(by_seq, _record_number(request))
    if record is None or record.kind != "decision":
        raise HttpProblemError(404, "NOT_FOUND", "no such decision")
    return json_response(await _view(state, record, with_replay=True, principal=principal))


def _envelope(data: Any) -> DecisionEnvelope:
    if not isinstance(data, dict):
        raise HttpProblemError(400, "BODY_NOT_OBJECT", "send a JSON object with case, receipt and decision")
    try:
        return DecisionEnvelope.model_validate(data)
    except ValidationError as err:
        problems = []
        for e in err.errors(include_url=False):
            where = ".".join(str(x) for x in e["loc"]) or "(body)"
            code = {"missing": "FIELD_MISSING", "extra_forbidden": "FIELD_UNKNOWN"}.get(e["type"], "FIELD_INVALID")
            problems.append(
                Problem(where[:80], code, e["msg"] if code == "FIELD_INVALID" else code.lower().replace("_", " "))
            )
        raise HttpProblemError(
            400,
            "DECISION_INVALID",
            "the request needs case (object), receipt and decision (object)",
            problems=tuple(problems),
        ) from None


@endpoint("decide", roles=CASEWORKER, body=True)
async def r_decide(state: ServiceState, request: Request, principal: Principal | None, raw: bytes | None) -> Response:
    envelope = _envelope(_json_body(raw or b""))
    decision = envelope.decision.model_dump(mode="json", exclude_none=True)
    key = _only_header(request, "idempotency-key")
    if key is not None:
        if decision.get("idempotency_key", key) != key:
            raise HttpProblemError(
                400,
                "IDEMPOTENCY_KEY_MISMATCH",
                "the Idempotency-Key header and decision.idempotency_key differ",
                problems=(Problem("header:Idempotency-Key", "IDEMPOTENCY_KEY_MISMATCH", "not the body's key"),),
            )
        decision["idempotency_key"] = key
    assert principal is not None  # the route needs a role
    decision["caseworker_id"] = principal.subject  # the authenticated person, never a name the client sends
    content, advice = await state.run_engine(state.advisor.prepare, envelope.case, envelope.receipt, decision)
    # On a worker thread and awaited to the end, outside the time limit: a decision written is never
    # reported as failed, and a stop waits for it (bounded; see docs/explanation/reliability.md).
    record = await state.run_io(functools.partial(state.advisor.record, actor=_actor(principal)), content, advice)
    ref = advice.case_ref
    event("info", "decision", seq=record.seq, case=None if ref is None else state.advisor.engine.pseudonym(ref))
    view = await _view(state, record, with_replay=False)
    view["letter"] = await state.run_engine(state.advisor.letter, await _opened(state, record, principal), advice)
    return json_response(view, 201, {"Location": f"{BASE}/decisions/{record.seq}"})


def _report_query(request: Request, *, with_lang: bool) -> dict[str, Any]:
    """The learning report's query (period, from, to; and lang for words), every problem located."""
    allowed = {"period", "from", "to", "lang"} if with_lang else {"period", "from", "to"}
    query = {k: v[-1] for k, v in parse_qs(request.url.query, keep_blank_values=True).items()}
    problems = [
        Problem(k[:40], "QUERY_UNKNOWN", f"use {', '.join(sorted(allowed))}") for k in query if k not in allowed
    ]
    period = query.get("period", "month")
    if period not in {"month", "quarter", "year"}:
        problems.append(Problem("period", "QUERY_INVALID", "month, quarter or year"))
    lang = query.get("lang", "nl")
    if with_lang and lang not in {"nl", "en"}:
        problems.append(Problem("lang", "QUERY_INVALID", "nl or en"))
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
    return {"period": period, "start": first, "end": last, "lang": lang}


@endpoint("report", roles=READERS)
async def r_report(state: ServiceState, request: Request, _p: Principal | None, _b: bytes | None) -> Response:
    q = _report_query(request, with_lang=False)

    def report() -> dict[str, Any]:
        return learning_report(
            state.advisor.store.records(), period=q["period"], start=q["start"], end=q["end"], names=state.report_names
        )

    return json_response(await state.run_io(report))


def _filename(q: dict[str, Any], ext: str) -> str:
    days = "-".join(d.isoformat() for d in (q["start"], q["end"]) if d is not None)
    stem = "leerrapport" if q["lang"] == "nl" else "learning-report"
    return f"{stem}{'-' + days if days else ''}.{ext}"


@endpoint("report_export", roles=READERS)
async def r_report_export(state: ServiceState, request: Request, _p: Principal | None, _b: bytes | None) -> Response:
    q = _report_query(request, with_lang=True)

    def rows() -> str:
        found = report_rows(
            state.advisor.store.records(), period=q["period"], start=q["start"], end=q["end"], names=state.report_names
        )
        return report_csv(found, state.report_names, q["lang"])

    text = await state.run_io(rows)
    return Response(
        ("\ufeff" + text).encode("utf-8"),  # the byte order mark: a spreadsheet then reads UTF-8
        200,
        {"Content-Disposition": f'attachment; filename="{_filename(q, "csv")}"'},
        media_type="text/csv; charset=utf-8",
    )


@endpoint("report_chart", roles=READERS)
async def r_report_chart(state: ServiceState, request: Request, _p: Principal | None, _b: bytes | None) -> Response:
    q = _report_query(request, with_lang=True)

    def chart() -> str:
        report = learning_report(
            state.advisor.store.records(), period=q["period"], start=q["start"], end=q["end"], names=state.report_names
        )
        return report_svg(report, q["lang"])

    return Response(
        (await state.run_io(chart)).encode("utf-8"),
        200,
        {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
        media_type="image/svg+xml; charset=utf-8",
    )


@endpoint("verification", roles=AUDITOR)
async def r_verification(state: ServiceState, _r: Request, _p: Principal | None, _b: bytes | None) -> Response:
    report = await state.run_io(state.advisor.store.verify)
    return json_response(report.to_dict())


ROUTES = [
    Route("/", r_page, methods=["GET"]),
    Route("/assets/{name:str}", r_asset, methods=["GET"]),
    Route(BASE, r_landing, methods=["GET"]),
    Route(f"{BASE}/health", r_health, methods=["GET"]),
    Route(f"{BASE}/openapi.json", r_openapi, methods=["GET"]),
    Route(f"{BASE}/schemas/{{kind:str}}", r_schema, methods=["GET"]),
    Route(f"{BASE}/packs", r_packs, methods=["GET"]),
    Route(f"{BASE}/case-fields", r_case_fields, methods=["GET"]),
    Route(f"{BASE}/advices", r_advise, methods=["POST"]),
    Route(f"{BASE}/advices/{{receipt:str}}", r_advice, methods=["GET"]),
    Route(f"{BASE}/advices/{{receipt:str}}/decisions", r_advice_decisions, methods=["GET"]),
    Route(f"{BASE}/decisions", r_decide, methods=["POST"]),
    Route(f"{BASE}/decisions/{{number:str}}", r_decision, methods=["GET"]),
    Route(f"{BASE}/decisions/{{number:str}}/letter", r_letter, methods=["GET"]),
    Route(f"{BASE}/learning-report", r_report, methods=["GET"]),
    Route(f"{BASE}/learning-report/export", r_report_export, methods=["GET"]),
    Route(f"{BASE}/learning-report/chart", r_report_chart, methods=["GET"]),
    Route(f"{BASE}/audit-verification", r_verification, methods=["GET"]),
]


async def _http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405 as problem details (no redirect for a trailing slash)."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        problem = HttpProblemError(405, "METHOD_NOT_ALLOWED", f"{request.method[:20]} is not allowed here")
        problem.headers.update(exc.headers or {})
    elif exc.status_code == 404:
        problem = HttpProblemError(404, "NOT_FOUND", "no such resource (paths have no trailing slash)")
    else:
        problem = HttpProblemError(exc.status_code, f"HTTP_{exc.status_code}", HTTPStatus(exc.status_code).phrase)
    event("info", "request", method=request.method[:20], route="(none)", status=problem.status, ms=0.0)
    return problem_response(problem, request.url.path)


class _Hygiene:
    """Outermost layer: framing and Host checks before anything else, and the headers every
    answer carries (API-Version, Server, no-store for API answers)."""

    def __init__(self, app: ASGIApp, state: ServiceState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return  # no websockets
        refusal = self._refusal(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                headers += [(b"api-version", API_VERSION.encode()), (b"server", b"maatwerk")]
                if scope["path"].startswith(BASE):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        if refusal is not None:
            response = problem_response(refusal, scope.get("path", ""))
            event(
                "info",
                "request",
                method=str(scope.get("method", ""))[:20],
                route="(refused)",
                status=refusal.status,
                ms=0.0,
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> HttpProblemError | None:
        names = [k for k, _ in scope["headers"]]
        if names.count(b"content-length") > 1 or (b"content-length" in names and b"transfer-encoding" in names):
            return HttpProblemError(
                400,
                "FRAMING_AMBIGUOUS",
                "the request's length is ambiguous (Content-Length twice, or with Transfer-Encoding)",
                problems=(Problem("header:Content-Length", "FRAMING_AMBIGUOUS", "refused"),),
            )
        hosts = [v for k, v in scope["headers"] if k == b"host"]
        if len(hosts) != 1:
            return HttpProblemError(
                400,
                "HOST_INVALID",
                "send one Host header",
                problems=(Problem("header:Host", "HOST_INVALID", "not one"),),
            )
        host = hosts[0].decode("latin-1").lower()
        name = host[: host.rindex(":")] if host.rfind(":") > host.rfind("]") else host
        allowed = self.state.settings.hosts
        if host not in allowed and name not in allowed:
            return HttpProblemError(
                400,
                "HOST_NOT_ALLOWED",
                "this service does not answer to that host name",
                problems=(Problem("header:Host", "HOST_NOT_ALLOWED", "not an allowed host"),),
            )
        return None


def create_app(settings: Settings, advisor: Advisor | None = None) -> Starlette:
    """The service as an ASGI application.

    ``advisor`` is the engine with its audit store; without one, the application opens them from
    ``MAATWERK_AUDIT_DB``, ``MAATWERK_AUDIT_SECRET_FILE`` and the policies the package ships (as
    `maatwerk serve` does with its defaults). ``app.state.maatwerk`` holds the
    :class:`ServiceState`; ``state.close()`` ends its worker threads."""
    if advisor is None:
        import os

        from maatwerk._api import Engine
        from maatwerk.audit import default_db, open_store

        engine = Engine()
        store = open_store(os.environ.get("MAATWERK_AUDIT_DB") or default_db(), create_secret=True)
        engine.use_log_key(store.log_key)
        advisor = Advisor(engine, store)
    state = ServiceState(settings, advisor)
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(_Hygiene, state=state)],
        exception_handlers={HTTPException: _http_exception},
    )
    app.router.redirect_slashes = False
    app.state.maatwerk = state
    return app
