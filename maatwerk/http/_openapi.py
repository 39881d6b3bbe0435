# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The OpenAPI 3.1 description of the service, built from the same pydantic models it validates with.

It follows the NL GOV API Design Rules: major version in the server URL, an ``API-Version`` header
on every success response, problem details (RFC 9457) for every error, kebab-case paths, no
trailing slashes, camelCase query keys, contact information. ``tests/test_http_openapi.py`` lints
it with the Logius Spectral ruleset.

The document's Dutch (the API's summary, the tags and each operation's summary) is interface words
from the message catalogue (``maatwerk/_texts/ui.yaml``, namespace ``openapi``); the descriptions
for integrators are English, beside the schema they describe.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema, models_json_schema

from maatwerk._texts import say
from maatwerk.audit import DecisionInput
from maatwerk.models import Frozen
from maatwerk.models.advice import Advice, PackRef
from maatwerk.models.case import BenefitCase
from maatwerk.models.provider import ProviderCase

__all__ = ["API_VERSION", "DecisionEnvelope", "DecisionRequest", "DecisionView", "ProblemDetails", "openapi"]

#: The full version of the HTTP API (semver); the path carries only the major version.
API_VERSION = "1.0.0"
BASE = "/api/v1"


class DecisionChoice(DecisionInput):
    """The decision a caseworker took on an advice. The decider is the person who logged in: a
    ``caseworker_id`` in the request is refused."""

    caseworker_id: SkipJsonSchema[None] = Field(  # type: ignore[assignment]
        default=None, description="Not sent: the decider is the authenticated person."
    )


class DecisionRequest(Frozen):
    """A decision on an advice: the case as advised, the advice's receipt, and the decision."""

    case: BenefitCase | ProviderCase = Field(
        description='The case as advised: a benefit case, or a provider case (`"domain": "providers"`).'
    )
    receipt: str = Field(pattern=r"^[0-9a-f]{64}$", description="The receipt of the advice the decision is about.")
    decision: DecisionChoice


class DecisionEnvelope(Frozen):
    """:class:`DecisionRequest` as the service validates it: the case is validated by the engine
    (``parse_case``, with its located problems), the rest by the same fields."""

    case: dict[str, Any]
    receipt: str = DecisionRequest.model_fields["receipt"]  # type: ignore[assignment]
    decision: DecisionChoice


class InvalidParam(Frozen):
    name: str = Field(description="Dotted location in the input, e.g. benefit_loss.net.")
    code: str = Field(examples=["CASE_INVALID_VALUE"])
    reason: str


class ProblemDetails(Frozen):
    """Problem details (RFC 9457) with maatwerk's stable code and the located problems."""

    type: str = Field(json_schema_extra={"format": "uri-reference", "examples": ["urn:maatwerk:problem:CASE_INVALID"]})
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str | None = None
    code: str = Field(description="Stable error code to switch on.", examples=["CASE_INVALID"])
    hint: str | None = None
    invalidParams: list[InvalidParam] | None = Field(  # noqa: N815 (the NL API Design Rules' name)
        default=None, description="Every located problem with the input."
    )


class Replay(Frozen):
    """Recomputing the advice from the stored input and packs gave the identical advice."""

    receipt: str
    identical: bool
    differences: list[str]
    notes: list[str]


class DecisionView(Frozen):
    """A recorded decision as the service answers it."""

    number: int = Field(ge=1, description="The record's place in the audit chain.")
    receipt: str
    recorded_at: str = Field(description="UTC, with time zone.", json_schema_extra={"format": "date-time"})
    hash: str
    previous_hash: str
    caseworker: str = Field(description="Keyed pseudonym of the decider, never the id itself.")
    packs: list[PackRef] = Field(default_factory=list)
    advised: dict[str, Any]
    decision: dict[str, Any]
    letter: str | None = Field(
        default=None,
        description="The decision letter to the resident or provider (Awb 3:46, 5:9), in Dutch, as an HTML "
        "fragment (one article element). GET /decisions/{number}/letter gives it as a printable document or a PDF.",
    )
    replay: Replay | None = None


def _components() -> dict[str, Any]:
    models: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [
        (BenefitCase, "validation"),
        (ProviderCase, "validation"),
        (Advice, "serialization"),
        (DecisionRequest, "validation"),
        (DecisionView, "serialization"),
        (ProblemDetails, "serialization"),
    ]
    _, top = models_json_schema(models, ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = dict(top.get("$defs", {}))
    schemas["Problem"] = schemas.pop("ProblemDetails")
    words = {
        "type": "object",
        "required": ["nl", "en"],
        "properties": {"nl": {"type": "string"}, "en": {"type": "string"}},
    }
    schemas["Words"] = words
    schemas["CaseField"] = {
        "type": "object",
        "description": "One field of a case on the caseworker's form.",
        "required": ["path", "kind", "required", "label", "question", "choices"],
        "properties": {
            "path": {
                "type": "string",
                "description": "The field's path in the case, with dots; history[].<name> inside an entry of the "
                "history.",
            },
            "kind": {"type": "string", "enum": ["select", "bool", "tri", "date", "money", "count", "text"]},
            "required": {"type": "boolean"},
            "label": {"$ref": "#/components/schemas/Words"},
            "question": {"$ref": "#/components/schemas/Words"},
            "help": {"anyOf": [{"$ref": "#/components/schemas/Words"}, {"type": "null"}]},
            "choices": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["value", "label"],
                    "properties": {"value": {"type": "string"}, "label": {"$ref": "#/components/schemas/Words"}},
                },
            },
            "min": {"type": ["integer", "null"]},
            "max": {"type": ["integer", "null"]},
        },
    }
    schemas["FieldGroup"] = {
        "type": "object",
        "description": "A group of the form; the group history is a list of entries (item names one).",
        "required": ["id", "label", "fields"],
        "properties": {
            "id": {"type": "string"},
            "label": {"$ref": "#/components/schemas/Words"},
            "item": {"$ref": "#/components/schemas/Words"},
            "fields": {"type": "array", "items": {"$ref": "#/components/schemas/CaseField"}},
        },
    }
    return schemas


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _ok(description: str, schema: dict[str, Any], *, media: str = "application/json") -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
        "content": {media: {"schema": schema}},
    }


_ERRORS = {
    "401": "Not logged in, or the token is not valid (WWW-Authenticate says why)",
    "403": "The person lacks the role this needs, or a page of another origin sent the request",
    "406": "Not acceptable",
    "413": "The request body is larger than the limit",
    "408": "The request body did not arrive in time",
    "411": "The body came without a Content-Length",
    "415": "The request body is not JSON (with Content-Type application/json)",
    "500": "Unexpected failure (never a stack trace)",
    "503": "Busy, the advice took longer than the time limit, or the service is stopping; try again",
}


def _errors(*codes: str, secured: bool = True, **described: str) -> dict[str, Any]:
    out = {code: _problem(_ERRORS[code]) for code in codes}
    if secured:
        out["401"] = _problem(_ERRORS["401"])
        out["403"] = _problem(_ERRORS["403"])
    out.update({code.removeprefix("e"): _problem(text) for code, text in described.items()})
    out["500"] = _problem(_ERRORS["500"])
    out["503"] = _problem(_ERRORS["503"])
    if "e507" in described:  # only where the audit store is written
        out["503"] = _problem(_ERRORS["503"] + "; or the audit store cannot write now (AUDIT_WRITE_FAILED)")
    return out


_REPORT_QUERY: list[dict[str, Any]] = [
    {
        "name": "period",
        "in": "query",
        "description": "Group the trend per month, quarter or year.",
        "schema": {"type": "string", "enum": ["month", "quarter", "year"], "default": "month"},
    },
    {
        "name": "from",
        "in": "query",
        "description": "The first day (UTC) of the decisions counted.",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "to",
        "in": "query",
        "description": "The last day (UTC) of the decisions counted.",
        "schema": {"type": "string", "format": "date"},
    },
]
_LANG: dict[str, Any] = {
    "name": "lang",
    "in": "query",
    "description": "The language of the words: nl (Dutch) or en (English).",
    "schema": {"type": "string", "enum": ["nl", "en"], "default": "nl"},
}


def openapi(
    *,
    contact_name: str | None = None,
    contact_email: str = "maatwerk@gemeente.invalid",
    contact_url: str = "https://gemeente.invalid/maatwerk",
    auth: str = "oidc",
) -> dict[str, Any]:
    """The OpenAPI document served at ``/api/v1/openapi.json``. ``auth`` is the service's mode: its
    security scheme is bearer tokens (``oidc``), an authenticating proxy (``proxy``) or none
    (``local``, loopback only)."""
    schemas = _components()
    json_body = {
        "application/json": {
            "schema": {
                "anyOf": [
                    {"$ref": "#/components/schemas/BenefitCase"},
                    {"$ref": "#/components/schemas/ProviderCase"},
                ]
            }
        }
    }
    receipt = {
        "name": "receipt",
        "in": "path",
        "required": True,
        "description": "The receipt (SHA-256) of an advice.",
        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    }
    paths: dict[str, Any] = {
        "/health": {
            "get": {
                "operationId": "getHealth",
                "tags": ["service"],
                "summary": say("openapi.summary.get_health", "nl"),
                "responses": {
                    "200": _ok(
                        "The service is up",
                        {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}}},
                    ),
                    **_errors(secured=False),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenapi",
                "tags": ["service"],
                "summary": say("openapi.summary.get_openapi", "nl"),
                "responses": {"200": _ok("This document", {"type": "object"}), **_errors(secured=False)},
            }
        },
        "/schemas/{kind}": {
            "get": {
                "operationId": "getSchema",
                "tags": ["service"],
                "summary": say("openapi.summary.get_schema", "nl"),
                "parameters": [
                    {
                        "name": "kind",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": ["case", "advice", "policy", "decision"]},
                    }
                ],
                "responses": {
                    "200": _ok("The JSON Schema", {"type": "object"}),
                    **_errors(secured=False, e400="Unknown kind", e404="Not found"),
                },
            }
        },
        "/packs": {
            "get": {
                "operationId": "listPacks",
                "tags": ["advice"],
                "summary": say("openapi.summary.list_packs", "nl"),
                "responses": {
                    "200": _ok(
                        "Packs, versions and hashes; the measures' names in Dutch and English per domain",
                        {
                            "type": "object",
                            "properties": {
                                "packs": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "principles": {
                                                "type": "object",
                                                "description": "The pack's purposes of the law or principles, "
                                                "by the ids the advice's steps name, with their names.",
                                                "additionalProperties": {
                                                    "type": "object",
                                                    "required": ["nl", "en"],
                                                    "properties": {
                                                        "nl": {"type": "string"},
                                                        "en": {"type": "string"},
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                                "measures": {
                                    "type": "object",
                                    "description": "Per domain: each measure's identifier with its name in words "
                                    "(the national packs' verdict.measures labels).",
                                    "additionalProperties": {
                                        "type": "object",
                                        "additionalProperties": {
                                            "type": "object",
                                            "required": ["nl", "en"],
                                            "properties": {"nl": {"type": "string"}, "en": {"type": "string"}},
                                        },
                                    },
                                },
                            },
                        },
                    ),
                    **_errors(),
                },
            }
        },
        "/case-fields": {
            "get": {
                "operationId": "listCaseFields",
                "tags": ["advice"],
                "summary": say("openapi.summary.list_case_fields", "nl"),
                "description": "Generated from the case model, the fact catalogue and the packs the service selects "
                "for this municipality: every case field a rule, the verdict or the domain's arithmetic reads, in "
                "groups, with its kind, choices, label, question and help in Dutch and English; which fields each "
                "input fact (also a fact a pack declares) asks for; and which field answers each decision for a "
                "person. Without a date: the fields of every version of the packs.",
                "parameters": [
                    {
                        "name": "domain",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "enum": ["benefits", "providers"]},
                    },
                    {
                        "name": "law",
                        "in": "query",
                        "description": "The case's law (selects the national pack that covers it).",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "decisionDate",
                        "in": "query",
                        "description": "The decision date: the packs valid on it.",
                        "schema": {"type": "string", "format": "date"},
                    },
                    {
                        "name": "conductDate",
                        "in": "query",
                        "description": "The start of the violation (benefits): the national pack valid on it too.",
                        "schema": {"type": "string", "format": "date"},
                    },
                ],
                "responses": {
                    "200": _ok(
                        "The fields, the facts and the decisions",
                        {
                            "type": "object",
                            "required": ["domain", "packs", "groups", "facts", "decisions", "notes"],
                            "properties": {
                                "domain": {"type": "string"},
                                "municipality": {"type": ["string", "null"]},
                                "packs": {"type": "array", "items": {"type": "string"}},
                                "groups": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/FieldGroup"},
                                },
                                "facts": {
                                    "type": "object",
                                    "description": "Per input fact: the fields it is made of (the first to ask "
                                    "first) and, for a fact a pack declares, the pack's description.",
                                    "additionalProperties": {"type": "object"},
                                },
                                "decisions": {
                                    "type": "object",
                                    "description": "Per decision for a person: the case field that records the "
                                    "answer (none: the answer is the decision itself).",
                                    "additionalProperties": {"type": "object"},
                                },
                                "notes": {
                                    "type": "object",
                                    "description": "The national pack's sentences that state the law around a "
                                    "decision, by name (deviation, decide, reason_missing: why a departure from "
                                    "the advice needs a reason), in Dutch and English.",
                                    "additionalProperties": {"$ref": "#/components/schemas/Words"},
                                },
                            },
                        },
                    ),
                    **_errors(e400="A query parameter is not valid", e422="No pack covers the domain, law or dates"),
                },
            }
        },
        "/advices": {
            "post": {
                "operationId": "createAdvice",
                "tags": ["advice"],
                "summary": say("openapi.summary.create_advice", "nl"),
                "description": "Computes the advice; stores nothing. Record a decision to keep it in the audit trail.",
                "requestBody": {"required": True, "content": json_body},
                "responses": {
                    "200": _ok("The advice", {"$ref": "#/components/schemas/Advice"}),
                    **_errors(
                        "408",
                        "413",
                        "415",
                        e400="The case is not valid; invalidParams locates each problem",
                        e422="No policy pack version is valid on the case's dates",
                    ),
                },
            }
        },
        "/advices/{receipt}": {
            "get": {
                "operationId": "getAdvice",
                "tags": ["audit"],
                "summary": say("openapi.summary.get_advice", "nl"),
                "parameters": [receipt],
                "responses": {
                    "200": _ok("The advice", {"$ref": "#/components/schemas/Advice"}),
                    **_errors(e400="Not a receipt", e404="No decision was recorded on this receipt"),
                },
            }
        },
        "/advices/{receipt}/decisions": {
            "get": {
                "operationId": "listAdviceDecisions",
                "tags": ["audit"],
                "summary": say("openapi.summary.list_advice_decisions", "nl"),
                "parameters": [receipt],
                "responses": {
                    "200": _ok(
                        "The decisions, oldest first",
                        {"type": "array", "items": {"$ref": "#/components/schemas/DecisionView"}},
                    ),
                    **_errors(e400="Not a receipt", e404="No decision was recorded on this receipt"),
                },
            }
        },
        "/decisions": {
            "post": {
                "operationId": "createDecision",
                "tags": ["audit"],
                "summary": say("openapi.summary.create_decision", "nl"),
                "description": (
                    "A decision that departs from the advice needs reason_category and reason (Awb 3:46). "
                    "The decider recorded is the authenticated person. With an Idempotency-Key (header, or "
                    "decision.idempotency_key) a retry records nothing new and answers the first record."
                ),
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "description": "A key the client chooses for this one decision (a UUID, say).",
                        "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecisionRequest"}}},
                },
                "responses": {
                    "201": {
                        **_ok("Recorded", {"$ref": "#/components/schemas/DecisionView"}),
                        "headers": {
                            "API-Version": {"$ref": "#/components/headers/API-Version"},
                            "Location": {"description": "The recorded decision", "schema": {"type": "string"}},
                        },
                    },
                    **_errors(
                        "408",
                        "413",
                        "415",
                        e400="The case or the decision is not valid; invalidParams locates each problem",
                        e409="The advice for this case no longer has this receipt (ADVICE_CHANGED), or the idempotency key names another decision (DECISION_IDEMPOTENCY_CONFLICT)",
                        e422="No policy pack version is valid on the case's dates",
                        e507="The disk holding the audit store is full (AUDIT_STORE_FULL): nothing was recorded",
                    ),
                },
            }
        },
        "/decisions/{number}": {
            "get": {
                "operationId": "getDecision",
                "tags": ["audit"],
                "summary": say("openapi.summary.get_decision", "nl"),
                "parameters": [
                    {
                        "name": "number",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    }
                ],
                "responses": {
                    "200": _ok("The decision", {"$ref": "#/components/schemas/DecisionView"}),
                    **_errors(e400="Not a record number", e404="No such record"),
                },
            }
        },
        "/decisions/{number}/letter": {
            "get": {
                "operationId": "getDecisionLetter",
                "tags": ["audit"],
                "summary": say("openapi.summary.get_decision_letter", "nl"),
                "description": (
                    "The letter is built from the recorded decision, the advice recomputed from the store, "
                    "and the packs of the record's policy set, with the municipality's letter template. "
                    "Choose the format with the Accept header: text/html (a document with a print "
                    "stylesheet; the default) or application/pdf (an attachment)."
                ),
                "parameters": [
                    {
                        "name": "number",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The letter",
                        "headers": {
                            "API-Version": {"$ref": "#/components/headers/API-Version"},
                            "Content-Disposition": {
                                "description": "For a PDF: an attachment named besluit-{number}.pdf",
                                "schema": {"type": "string"},
                            },
                        },
                        "content": {
                            "text/html": {"schema": {"type": "string"}},
                            "application/pdf": {"schema": {"type": "string", "contentMediaType": "application/pdf"}},
                        },
                    },
                    **_errors(
                        "406",
                        e400="Not a record number",
                        e404="No such record, or its case data was erased",
                    ),
                },
            }
        },
        "/audit-verification": {
            "get": {
                "operationId": "getAuditVerification",
                "tags": ["audit"],
                "summary": say("openapi.summary.get_audit_verification", "nl"),
                "responses": {
                    "200": _ok("The verification report: ok, count, head, problems", {"type": "object"}),
                    **_errors(),
                },
            }
        },
        "/learning-report": {
            "get": {
                "operationId": "getLearningReport",
                "tags": ["audit"],
                "summary": say("openapi.summary.get_learning_report", "nl"),
                "description": (
                    "For a team lead or an auditor. Over the decisions recorded from `from` to `to` (UTC days): "
                    "the trend per period, the totals, each departure from the advice with its reason and how "
                    "far (in euros, and in steps of the pack's order of measures, lightest first), how much "
                    "lower the decided fines were than advised, decisions flagged (a measure the advice found "
                    "not lawful, an amount above the statutory maximum, the same facts decided differently), "
                    "the causes with the municipality's own role and the follow-ups, and `names`: the words "
                    "for every id, from the packs. No personal data: no input, no free text, no pseudonym."
                ),
                "parameters": _REPORT_QUERY,
                "responses": {
                    "200": _ok("The report: categories, counts and amounts, no personal data", {"type": "object"}),
                    **_errors(e400="A query parameter is not valid"),
                },
            }
        },
        "/learning-report/export": {
            "get": {
                "operationId": "getLearningReportExport",
                "tags": ["audit"],
                "summary": say("openapi.summary.get_learning_report_export", "nl"),
                "description": (
                    "One row per decision of the period, in words, for a spreadsheet: in Dutch (`lang=nl`) "
                    "with `;` between cells and a decimal comma, in English with `,` and a decimal point. "
                    "UTF-8 with a byte order mark. The same content as the report, no personal data."
                ),
                "parameters": [*_REPORT_QUERY, _LANG],
                "responses": {
                    "200": _ok("The decisions of the period as CSV", {"type": "string"}, media="text/csv"),
                    **_errors(e400="A query parameter is not valid"),
                },
            }
        },
        "/learning-report/chart": {
            "get": {
                "operationId": "getLearningReportChart",
                "tags": ["audit"],
                "summary": say("openapi.summary.get_learning_report_chart", "nl"),
                "description": (
                    "An SVG image with a title and a description (the totals in words); bars carry their "
                    "numbers and differ by pattern as well as colour. The report's `trend` holds the same "
                    "figures, for a table beside the chart."
                ),
                "parameters": [*_REPORT_QUERY, _LANG],
                "responses": {
                    "200": _ok("The chart", {"type": "string"}, media="image/svg+xml"),
                    **_errors(e400="A query parameter is not valid"),
                },
            }
        },
    }
    public = {"/health", "/openapi.json", "/schemas/{kind}"}
    schemes: dict[str, Any] = {
        "oidc": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An OpenID Connect access token of the municipality's identity provider.",
        },
        "proxy": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Maatwerk-Proxy-Secret",
            "description": "Set by the authenticating proxy, with the person and roles in its headers.",
        },
    }
    security: list[dict[str, list[str]]] = [{auth: []}] if auth in schemes else []
    for path, item in paths.items():
        for operation in item.values():
            operation["security"] = [] if path in public else security
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "maatwerk",
            "version": API_VERSION,
            "description": say("openapi.info", "nl"),
            "contact": {
                "name": contact_name or say("openapi.contact_name", "nl"),
                "email": contact_email,
                "url": contact_url,
            },
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": BASE, "description": "This service"}],
        "tags": [
            {"name": "advice", "description": say("openapi.tag.advice", "nl")},
            {"name": "audit", "description": say("openapi.tag.audit", "nl")},
            {"name": "service", "description": say("openapi.tag.service", "nl")},
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            **({"securitySchemes": {auth: schemes[auth]}} if auth in schemes else {}),
            "headers": {
                "API-Version": {
                    "description": "The full version of the API (semver).",
                    "schema": {"type": "string", "examples": [API_VERSION]},
                }
            },
        },
    }
