# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The served OpenAPI document: linted clean by the NL API Design Rules, and true to the routes."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from http_support import call, running

from maatwerk import Engine
from maatwerk.http import Service, openapi
from maatwerk.http._app import ROUTES
from maatwerk.http._openapi import BASE

RULESET = Path(__file__).resolve().parent / "nl-api-design-rules" / "linter.yaml"


def spectral() -> str:
    """The Spectral CLI: $MAATWERK_SPECTRAL, the one `make` installs under .venv/node, or one on PATH."""
    for candidate in (
        os.environ.get("MAATWERK_SPECTRAL"),
        str(ROOT / ".venv" / "node" / "node_modules" / ".bin" / "spectral"),
        shutil.which("spectral"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("the Spectral CLI is not installed (`make tools` installs it with npm; node and npm are needed)")


def lint(doc: dict[str, Any], tmp_path: Path) -> list[tuple[str, int, str]]:
    """Spectral's findings as (rule, severity, path); severity 0 is an error, 1 a warning."""
    source, out = tmp_path / "openapi.json", tmp_path / "lint.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    subprocess.run(
        [spectral(), "lint", "-r", str(RULESET), "-f", "json", "-o", str(out), "--fail-severity", "error", str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return [(r["code"], r["severity"], ".".join(map(str, r["path"]))) for r in json.loads(out.read_text())]


@pytest.fixture(scope="module")
def service(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running(engine, tmp_path_factory.mktemp("oas") / "audit.sqlite") as server:
        yield server


def test_the_served_openapi_has_no_finding_under_the_nl_api_design_rules(service: Service, tmp_path: Path) -> None:
    """The document at /api/v1/openapi.json lints with zero errors and zero warnings (Logius ruleset)."""
    doc = call(service, "GET", f"{BASE}/openapi.json").json
    assert [] == lint(doc, tmp_path)


@pytest.mark.parametrize("auth", ["oidc", "proxy"])
def test_the_document_of_a_service_with_log_in_lints_clean_and_secures_every_private_operation(
    auth: str, tmp_path: Path
) -> None:
    """With bearer tokens or a proxy, the document names the security scheme on every operation but
    health, the document itself and the schemas, and still has no finding."""
    doc = openapi(auth=auth)
    public = {path for path, item in doc["paths"].items() for op in item.values() if op["security"] == []}
    assert ({"/health", "/openapi.json", "/schemas/{kind}"}, [auth]) == (
        public,
        list(doc["components"]["securitySchemes"]),
    )
    assert [] == lint(doc, tmp_path)


def test_the_linter_does_catch_a_trailing_slash_and_a_missing_contact(tmp_path: Path) -> None:
    """The lint above can fail: the same ruleset flags a trailing slash and a missing contact."""
    doc = openapi()
    doc["paths"]["/health/"] = doc["paths"].pop("/health")
    del doc["info"]["contact"]
    assert {"path-keys-no-trailing-slash", "info-contact"} <= {
        code for code, severity, _ in lint(doc, tmp_path) if severity == 0
    }


def _template(path: str) -> str:
    """/api/v1/advices/{receipt:str} -> /advices/{receipt}"""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path.removeprefix(BASE))


def test_every_api_route_is_documented_and_every_documented_operation_is_served() -> None:
    """The routes under /api/v1 (but the base path itself) and the OpenAPI paths are the same set."""
    served = {
        (_template(route.path), method.lower())
        for route in ROUTES
        if route.path.startswith(f"{BASE}/")
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = {(path, method) for path, item in openapi()["paths"].items() for method in item}
    assert documented == served


def test_every_success_response_documents_the_api_version_header() -> None:
    """Each 2xx response in the document declares API-Version (the server always sends it)."""
    missing = [
        (path, method, status)
        for path, item in openapi()["paths"].items()
        for method, op in item.items()
        for status, response in op["responses"].items()
        if status.startswith("2") and "API-Version" not in response.get("headers", {})
    ]
    assert [] == missing
