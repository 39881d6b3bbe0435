# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What every command of the CLI shares: exit codes, how an error is printed, argument types and
the JSON Schemas. A floor below the commands (``cli``, ``_impact_cli``, ``http``), so that none of
them imports another to reach these."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from maatwerk.errors import CaseError, MaatwerkError, PolicyError

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_CASE",
    "EXIT_ENGINE",
    "EXIT_OK",
    "EXIT_POLICY",
    "EXIT_USAGE",
    "at_least",
    "fail",
    "schema",
]

EXIT_OK, EXIT_USAGE, EXIT_CASE, EXIT_POLICY, EXIT_ENGINE = 0, 2, 3, 4, 5
#: The reader of the output went away (``maatwerk advise ... | head``): the status a shell reports
#: for a command ended by SIGPIPE, 128 + 13, and no traceback.
EXIT_BROKEN_PIPE = 128 + 13


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of the case, the advice or a policy file."""
    from pydantic import TypeAdapter

    from maatwerk._policy.schema import PackDelta, PackFile
    from maatwerk.models.advice import Advice
    from maatwerk.models.case import BenefitCase
    from maatwerk.models.provider import ProviderCase

    doc: dict[str, Any]
    if kind == "case":
        # A case is a benefit case or (with "domain": "providers") a provider case.
        doc = TypeAdapter(BenefitCase | ProviderCase).json_schema(mode="validation")
        doc["title"] = "Case"
    elif kind == "policy":
        # A pack file is a full version, or (with "extends") a delta on an earlier version of its pack.
        doc = TypeAdapter(PackFile | PackDelta).json_schema(mode="validation")
        doc["title"] = "Policy pack file"
    else:
        models: dict[str, type[BaseModel]] = {"advice": Advice, "policy": PackFile}
        doc = models[kind].model_json_schema(mode="validation" if kind != "advice" else "serialization")
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["$id"] = f"https://maatwerk.invalid/schema/{kind}/v1.json"
    return doc


def fail(err: MaatwerkError, fmt: str) -> int:
    if fmt == "json":
        print(json.dumps({"error": err.to_dict()}, ensure_ascii=False, indent=2))
    else:
        print(str(err), file=sys.stderr)
    if isinstance(err, CaseError):
        return EXIT_CASE
    if isinstance(err, PolicyError):
        return EXIT_POLICY
    return EXIT_ENGINE  # EngineError, PolicySelectionError and any other MaatwerkError


def at_least(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``low`` (a usage error otherwise)."""

    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected at least {low}, not {value}")
        return value

    return whole


class LibraryEvents(logging.Handler):
    """The library's events (stdlib logger "maatwerk") as JSON lines on the current ``sys.stderr``
    (looked up per line, so that a host that swaps stderr, such as a test, gets them)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = {
                "event": record.getMessage(),
                "level": record.levelname.lower(),
                "logger": record.name,
                "timestamp": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat().replace("+00:00", "Z"),
            }
            sys.stderr.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        except Exception:
            self.handleError(record)
