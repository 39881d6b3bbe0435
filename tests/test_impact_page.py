# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The HTML reports of `maatwerk diff` and `maatwerk coverage`, opened in headless Chromium: they load
nothing from elsewhere, show their charts with a table of the same numbers, read well with the
keyboard and a screen reader's structure (headings, captions, labelled images), and axe-core finds
no WCAG 2.1 A/AA violation. Screenshots go to build/e2e/.

Skipped cleanly when Playwright, Chromium or axe-core is not installed (`make tools` installs them).
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_support import ARTIFACTS, chromium, passed, run_axe, violations
from conftest import POLICIES
from png import read_png

from maatwerk import Engine
from maatwerk._tools.impact import CoverageReport, DiffReport, Population, coverage, diff
from maatwerk._tools.impact_report import coverage_html, diff_html

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WINDOW = (dt.date(2024, 1, 1), dt.date(2026, 11, 1))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[DiffReport, CoverageReport]:
    """Lansingerland's payment term 6 -> 3 months and the warning preference removed, over 800 cases."""
    folder = tmp_path_factory.mktemp("new") / "policies"
    shutil.copytree(POLICIES, folder, ignore=shutil.ignore_patterns("scenarios"))
    pack = folder / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    text = pack.read_text(encoding="utf-8").replace(
        "values: [{from: 2024-01-01, value: 6}]", "values: [{from: 2024-01-01, value: 3}]"
    )
    start = text.index("  - id: lansingerland_voorkeur_waarschuwing")
    end = text.index("  - id: lansingerland_voorkeur_voorwaardelijke_boete")
    pack.write_text(text[:start] + text[end:], encoding="utf-8")
    population = Population.generated(800, seed=3, domains=("benefits",), decided_between=WINDOW)
    old = Engine(evaluator="reference")
    return diff(old, Engine(folder, evaluator="reference"), population), coverage(old, population)


def open_page(browser: Browser, path: Path, requests: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page


@pytest.fixture
def diff_page(browser: Browser, reports: tuple[DiffReport, CoverageReport], tmp_path: Path) -> Iterator[Page]:
    path = tmp_path / "diff.html"
    path.write_text(diff_html(reports[0]), encoding="utf-8")
    requests: list[str] = []
    page = open_page(browser, path, requests)
    yield page
    page.context.close()
    assert [path.as_uri()] == requests  # self-contained: the page itself, nothing else


def test_the_diff_page_states_the_change_and_has_its_sections(
    diff_page: Page, reports: tuple[DiffReport, CoverageReport]
) -> None:
    """The h1 and the lead sentence, then a real heading for each part of the report."""
    report = reports[0]
    changed = report.population.size - report.count("unchanged")
    assert "What the policy change does" == diff_page.text_content("h1")
    assert f"{changed:,} of 800 advices change" in (diff_page.text_content(".lead") or "")
    for heading in (
        "Direction of change",
        "Measures before and after",
        "Fines",
        "Rules whose firing count changed",
        "Rule coverage",
        "Examples",
    ):
        assert diff_page.get_by_role("heading", name=heading, exact=True).is_visible()


def test_every_chart_is_a_labelled_image_followed_by_its_table(diff_page: Page) -> None:
    """Each SVG is role=img with a title and description, and the next element after its figure is a
    table with a caption (the text alternative of the chart)."""
    charts = diff_page.eval_on_selector_all(
        "figure > svg",
        """els => els.map(svg => {
            const figure = svg.closest('figure');
            let next = figure.nextElementSibling;
            return {
              role: svg.getAttribute('role'),
              name: svg.querySelector('title').textContent,
              desc: svg.querySelector('desc').textContent.length,
              table: next && next.tagName === 'TABLE' ? next.querySelector('caption').textContent : null,
            };
        })""",
    )
    assert len(charts) >= 4
    for chart in charts:
        assert "img" == chart["role"]
        assert chart["name"]
        assert chart["desc"] > 0
        assert chart["table"]


def test_the_numbers_of_the_direction_table_match_the_report(
    diff_page: Page, reports: tuple[DiffReport, CoverageReport]
) -> None:
    """The table alternative of the first chart gives the report's counts."""
    rows = diff_page.eval_on_selector_all(
        "table:first-of-type tbody tr", "rows => rows.map(r => [r.cells[0].innerText, r.cells[1].innerText])"
    )
    expected = [
        ["unchanged", f"{reports[0].count('unchanged'):,}"],
        ["lighter", f"{reports[0].count('lighter'):,}"],
        ["heavier", f"{reports[0].count('heavier'):,}"],
        ["other measure", f"{reports[0].count('other'):,}"],
    ]
    assert expected == rows[:4]


def test_an_example_case_opens_with_the_keyboard(diff_page: Page) -> None:
    """An example's case JSON is in a details element that Tab and Enter open."""
    diff_page.focus("details > summary")
    diff_page.keyboard.press("Enter")
    assert diff_page.eval_on_selector("details", "d => d.open")
    assert '"decision_date"' in (diff_page.text_content("details pre") or "")


def test_the_screenshot_shows_the_page_and_the_bars(diff_page: Page) -> None:
    """A screenshot of the first chart is not blank and shows both bar colours of the measures chart."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    diff_page.screenshot(path=str(ARTIFACTS / "diff-report.png"), full_page=True)
    measures = read_png(diff_page.locator("#chart-measures").screenshot(path=str(ARTIFACTS / "diff-measures.png")))
    colours = measures.colours()
    assert (0x01, 0x68, 0x9B) in colours
    assert (0x8A, 0x3B, 0x00) in colours


@pytest.mark.parametrize("which", ["diff", "coverage"])
def test_axe_finds_no_wcag_21_aa_violation(
    browser: Browser, reports: tuple[DiffReport, CoverageReport], tmp_path: Path, which: str
) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on either report (with every example opened)."""
    path = tmp_path / f"{which}.html"
    path.write_text(diff_html(reports[0]) if which == "diff" else coverage_html(reports[1]), encoding="utf-8")
    page = open_page(browser, path, [])
    page.eval_on_selector_all("details", "ds => ds.forEach(d => d.open = true)")
    result = run_axe(page)
    found = violations(result)
    page.context.close()
    assert [] == found
    assert {"color-contrast", "html-has-lang", "document-title"} <= passed(result)
