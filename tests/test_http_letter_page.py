# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The decision letter on the caseworker's page, end to end in headless Chromium: after a decision the
letter is shown (in Dutch, on the Dutch and the English page), printed alone, and downloaded as a PDF;
without WCAG 2.1 AA violations (axe-core), without horizontal scrolling at 390 px. The screenshot of the
letter in the docs (docs/images/besluitbrief.png) is taken here (build/e2e/besluitbrief.png)."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import ARTIFACTS, chromium, passed, run_axe, violations
from conftest import EXAMPLES
from http_support import running
from png import read_png

from maatwerk import Engine
from maatwerk.http import Service

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture
def service(engine: Engine, tmp_path: Path) -> Iterator[Service]:
    with running(engine, tmp_path / "audit.sqlite") as server:
        yield server


def open_page(browser: Browser, service: Service, width: int = 1280, height: int = 900) -> tuple[Page, list[str]]:
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="nl-NL", bypass_csp=True, accept_downloads=True
    )
    context.add_init_script(
        "window.print = () => { window.__printed = document.getElementById('print-area').innerHTML; };"
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(service.url + "/")
    return page, problems


@pytest.fixture
def page(browser: Browser, service: Service) -> Iterator[Page]:
    """The page at 1280 × 900; it fails the test on any script error or failed request."""
    opened, problems = open_page(browser, service)
    yield opened
    opened.context.close()
    assert [] == problems


def decide_example(page: Page, example: str, **changes: Any) -> str:
    """Paste an example case into the page, ask for advice and record the advised measure; the letter's text."""
    case = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
    case.update(changes)
    page.locator("details:has(#case-json) > summary").click()
    page.fill("#case-json", json.dumps(case))
    page.click("#load-json")
    page.click("#advise")
    page.wait_for_selector("#advice-measure")
    page.click("#record")
    page.locator("#letter article").wait_for(state="visible")
    return page.inner_text("#letter")


def test_the_letter_of_a_fine_is_shown_printed_and_downloaded_as_a_pdf(page: Page) -> None:
    """After recording the advised fine the page shows the letter: the decision, the facts, the
    calculation, the culpability, ability to pay, the 5:53 report and the objection term; never "the
    advice". Printing prints the letter alone; the PDF is downloaded as besluit-<number>.pdf."""
    text = decide_example(page, "01-inkomsten-normaal.json")
    for part in (
        "U krijgt een boete van € 840,90.",
        "Van 1 februari 2025 tot en met 31 juli 2025",
        "Hoe wij de boete hebben berekend",
        "Dit heet normale verwijtbaarheid.",
        "Wat u kunt betalen",
        "Dat heet een zienswijze.",
        "Bent u het niet eens met dit besluit?",
        "binnen 6 weken",
    ):
        assert part in text
    assert None is re.search("advies", text, re.IGNORECASE)
    assert ("nl", ["Besluit: boete"]) == (
        page.get_attribute("#letter", "lang"),
        page.locator("#letter h4").all_inner_texts(),
    )
    page.get_by_role("button", name="Brief afdrukken").click()
    printed = page.evaluate("window.__printed") or ""
    assert ("U krijgt een boete van" in printed, "Besluit vastleggen" in printed) == (True, False)
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Brief downloaden (PDF)").click()
    download = waiting.value
    number = re.search(r"nummer (\d+)", page.inner_text("#decision-saved"))
    assert number is not None
    assert (f"besluit-{number.group(1)}.pdf", b"%PDF-") == (
        download.suggested_filename,
        Path(download.path()).read_bytes()[:5],
    )
    assert "De PDF is gedownload." == page.inner_text("#letter-status")


def test_the_letter_of_a_warning_is_the_warning_itself(page: Page) -> None:
    """Recording the advised written warning on the page shows a letter that is the warning: no fine,
    no calculation, the self-report and the reduced culpability named, the objection term; never "the
    advice"; no accessibility violations."""
    text = decide_example(page, "02-zelfmelding-waarschuwing.json")
    for part in (
        "U krijgt een schriftelijke waarschuwing. Deze brief is die waarschuwing. U krijgt geen boete.",
        "Dit heet verminderde verwijtbaarheid.",
        "U heeft het zelf gemeld, voordat wij het ontdekten.",
        "binnen 6 weken",
    ):
        assert part in text
    assert ("Hoe wij de boete hebben berekend" in text, re.search("advies", text, re.IGNORECASE)) == (False, None)
    assert ["Besluit: waarschuwing"] == page.locator("#letter h4").all_inner_texts()
    assert [] == violations(run_axe(page))


def test_the_page_with_the_letter_has_no_accessibility_violations_and_its_screenshot_is_taken(page: Page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation with the letter on the page; the letter's screenshot
    (for the docs) is a real picture of it."""
    decide_example(page, "01-inkomsten-normaal.json")
    result = run_axe(page)
    assert [] == violations(result)
    assert {"color-contrast", "html-has-lang", "valid-lang"} <= passed(result)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image = read_png(page.locator("#letter").screenshot(path=str(ARTIFACTS / "besluitbrief.png")))
    colours = image.colours(step=3)
    dark = sum(n for (r, g, b), n in colours.items() if max(r, g, b) < 80)  # text, not a blank box
    assert (True, True, True) == (image.width > 400, image.height > 1000, dark > 1000)


def test_a_provider_letter_on_the_english_page_stays_dutch_and_cites_its_own_basis(page: Page) -> None:
    """On the English page the letter is the Dutch decision (marked lang="nl"), under English controls;
    a provider letter cites the Wmo 2015, never the Participatiewet; no accessibility violations."""
    page.get_by_role("button", name="English").click()
    text = decide_example(page, "05-wmo-structureel-kwetsbaar.json")
    assert (True, True, False) == (
        "Wij houden vaker toezicht op uw organisatie." in text,
        "Wet maatschappelijke ondersteuning 2015 art. 6.1" in text,
        "Participatiewet" in text,
    )
    assert ("nl", "Decision letter", "Download the letter (PDF)") == (
        page.get_attribute("#letter", "lang"),
        page.inner_text("#letter-h"),
        page.inner_text("#download-letter"),
    )
    assert [] == violations(run_axe(page))


def test_the_letter_fits_a_phone_screen(browser: Browser, service: Service) -> None:
    """At 390 × 844 the page with the letter does not scroll sideways."""
    phone, problems = open_page(browser, service, 390, 844)
    decide_example(phone, "01-inkomsten-normaal.json")
    widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    phone.locator("#letter").screenshot(path=str(ARTIFACTS / "besluitbrief-390.png"))
    phone.context.close()
    assert ([], True) == (problems, widths[0] <= widths[1])
