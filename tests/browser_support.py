# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What the browser tests share: Playwright and Chromium (the importing test module is skipped cleanly
when either is missing), a Chromium per test module, and an axe-core run for WCAG 2.1 A/AA.

`make tools` installs Chromium (Debian) and axe-core (npm); `make` installs Playwright (the e2e extra).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (`make` installs the e2e extra)"
)
CHROMIUM = os.environ.get("MAATWERK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Chromium is not installed (`make tools` installs Debian's chromium)", allow_module_level=True)

ARTIFACTS = ROOT / "build" / "e2e"
AXE = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed when the generator ends: ``yield from chromium()`` in a fixture."""
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


def run_axe(page: Page) -> dict[str, Any]:
    """axe-core's result for ``page`` as it is now, limited to the WCAG 2.1 A and AA rules. Skips the
    test when axe-core is not installed."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (`make tools` installs it with npm)")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return result


def violations(result: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """Each violation's rule id with (up to three of) the elements it was found on."""
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def passed(result: dict[str, Any]) -> set[str]:
    """The ids of the rules that passed: proof that the checks did run."""
    return {p["id"] for p in result["passes"]}
