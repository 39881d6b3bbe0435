# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The learning report on the page, end to end in headless Chromium, over a generated audit store with
known decisions: a period typed as a Dutch team lead types it, the totals, the chart with its table, the
decisions to look at again, the departures and the causes, all in words; the CSV download; in Dutch and
English; at 1366x768 and 390x844 without WCAG 2.1 AA violations (axe-core). Screenshots go to
build/e2e/ (docs/images/ holds a copy for the manuals)."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import ARTIFACTS, chromium, passed, run_axe, violations
from conftest import ROOT
from http_support import SECRET, running
from png import read_png
from report_support import generate

from maatwerk import Engine
from maatwerk.http import Service

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture
def service(engine: Engine, tmp_path: Path) -> Iterator[Service]:
    generate(tmp_path / "audit.sqlite", SECRET).close()
    with running(engine, tmp_path / "audit.sqlite") as server:
        yield server


@pytest.fixture(params=[(1366, 768), (390, 844)], ids=["1366x768", "390x844"])
def page(request: pytest.FixtureRequest, browser: Browser, service: Service) -> Iterator[Page]:
    """A fresh page on the service at each screen size; it fails the test on any script error."""
    width, height = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="nl-NL", bypass_csp=True, accept_downloads=True
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(service.url + "/")
    yield page
    context.close()
    assert [] == problems


def show_report(page: Page, first: str = "", last: str = "", per: str = "month") -> None:
    page.get_by_label("Van", exact=True).fill(first)
    page.get_by_label("Tot en met", exact=True).fill(last)
    page.get_by_label("Verloop per", exact=True).select_option(per)
    page.get_by_role("button", name="Rapport tonen").click()
    page.wait_for_selector("#report-summary")


def rows(page: Page, table: str) -> list[list[str]]:
    found: list[list[str]] = page.eval_on_selector_all(
        f"#{table} tbody tr", "trs => trs.map(tr => [...tr.children].map(c => c.textContent))"
    )
    return [[cell.replace("\xa0", " ") for cell in row] for row in found]


def summary(page: Page) -> list[str]:
    items: list[str] = page.eval_on_selector_all("#report-summary li", "lis => lis.map(li => li.textContent)")
    return [item.replace("\xa0", " ") for item in items]


def test_a_team_lead_reads_the_report_of_a_chosen_period_in_words(page: Page) -> None:
    """January to May 2026 (typed dd-mm-jjjj): the totals, the trend per month in a table beside the
    chart, the decisions to look at again, each departure with its reason and how far, and the causes
    with the municipality's role and follow-ups; measure names from the packs, no codes; axe-core
    finds no violation."""
    show_report(page, "01-01-2026", "31-05-2026")
    assert [
        "Besluiten van 01-01-2026 tot en met 31-05-2026: 8.",
        "Afgeweken van het advies: 7 van de 8 (88%). Lichter dan het advies: 3. Zwaarder: 2. "
        "Zelfde maatregel met een ander bedrag: 2.",
        "Boetes lager dan geadviseerd: 3 keer, samen € 1.740,00 lager.",
        "Boetes hoger dan geadviseerd: 2 keer, samen € 3.100,00 hoger.",
        "Geadviseerde boetes samen: € 3.880,00. Besloten boetes samen: € 5.240,00.",
        "De rol van de gemeente speelde mee: 2 keer.",
        "Besluiten om na te kijken: 4.",
    ] == summary(page)
    assert [
        ["januari 2026", "2", "1", "0", "0", "€ 300,00", "1"],
        ["februari 2026", "2", "2", "2", "0", "€ 600,00", "0"],
        ["maart 2026", "0", "0", "0", "0", "€ 0,00", "0"],
        ["april 2026", "3", "3", "1", "1", "€ 840,00", "3"],
        ["mei 2026", "1", "1", "0", "1", "€ 0,00", "0"],
    ] == rows(page, "report-trend")
    assert [
        "dezelfde feiten anders besloten",
        "maatregel die het advies niet toegestaan vond",
        "bedrag boven het wettelijk maximum",
        "dezelfde feiten anders besloten",
    ] == [r[4] for r in rows(page, "report-flags")]
    assert [
        "3",
        "05-02-2026",
        "Boete € 600,00",
        "Schriftelijke waarschuwing",
        "rol van de gemeente",
        "lichter: 1 stap in de volgorde van maatregelen",
        "− € 600,00",
    ] == rows(page, "report-departures")[1]
    assert ["Aanwijzing", "zwaarder: 2 stappen in de volgorde van maatregelen"] == [
        rows(page, "report-departures")[-1][i] for i in (3, 5)
    ]
    causes = {r[0]: r for r in rows(page, "report-causes")}
    role = causes["De oorzaak ligt (mede) in het proces van de gemeente."]
    assert ("1", "1") == (role[1], role[2])
    assert role[3].startswith("Meld de rol van de gemeente")
    text = page.inner_text("#report-body")
    assert [] == [code for code in ("_", "nl-benefits", "boete ->", "Q1", "null", "undefined") if code in text]
    chart = page.locator("#report-body figure svg")
    assert ("img", "Besluiten en afwijkingen per periode") == (
        chart.get_attribute("role"),
        chart.locator("title").text_content(),
    )
    result = run_axe(page)
    assert [] == violations(result)
    assert {"color-contrast", "th-has-data-cells", "svg-img-alt"} <= passed(result)
    width = page.viewport_size["width"] if page.viewport_size else 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"report-{width}.png"
    page.locator("#report").screenshot(path=str(path))
    image = read_png(path.read_bytes())
    assert (True, True) == (image.width <= width, image.height > 600)


def test_nothing_scrolls_sideways_and_every_table_reflows_on_a_phone(page: Page) -> None:
    """At 390 px the report does not widen the page, the chart scales to the column and its tables
    become cards; at 1366 px they stay tables."""
    show_report(page, "01-01-2026", "31-05-2026")
    seen: dict[str, Any] = page.evaluate(
        """() => ({
          page: [document.documentElement.scrollWidth, window.innerWidth],
          chart: document.querySelector('#report-body svg').getBoundingClientRect().right,
          stacked: [...document.querySelectorAll('#report-body table')].map(
            t => getComputedStyle(t.querySelector('tbody tr')).display),
        })"""
    )
    width, viewport = seen["page"]
    phone = viewport < 600
    assert (True, True, ["block" if phone else "table-row"] * 4) == (
        width <= viewport,
        seen["chart"] <= viewport,
        seen["stacked"],
    )


def test_a_period_typed_the_dutch_way_filters_the_report(page: Page) -> None:
    """April 2026 only: three decisions; the one flagged for its twin in January is still flagged."""
    show_report(page, "1-4-2026", "30-04-2026")
    assert "Besluiten van 01-04-2026 tot en met 30-04-2026: 3." == summary(page)[0]
    assert ["5", "6", "7"] == [r[0] for r in rows(page, "report-flags")]


def test_per_quarter_the_periods_are_named_in_words(page: Page) -> None:
    """The trend per quarter names "1e kwartaal 2026"."""
    show_report(page, per="quarter")
    assert [["1e kwartaal 2026", "4", "3"], ["2e kwartaal 2026", "4", "4"]] == [
        r[:3] for r in rows(page, "report-trend")
    ]


def test_a_wrong_date_is_shown_at_its_field_and_in_the_summary_in_dutch(page: Page) -> None:
    """31-02-2026 does not exist; a last day before the first is refused at "Tot en met"."""
    page.get_by_label("Van", exact=True).fill("31-02-2026")
    page.get_by_role("button", name="Rapport tonen").click()
    assert (
        "Van: vul een datum in die bestaat, als dag-maand-jaar, bijvoorbeeld 01-01-2026.",
        "true",
    ) == (page.text_content("#report-from-error"), page.get_attribute("#report-from", "aria-invalid"))
    page.get_by_label("Van", exact=True).fill("01-05-2026")
    page.get_by_label("Tot en met", exact=True).fill("01-04-2026")
    page.get_by_role("button", name="Rapport tonen").click()
    assert ["Tot en met: deze datum ligt voor de datum bij Van. Kies een latere datum."] == page.eval_on_selector_all(
        "#report-errors li", "lis => lis.map(li => li.textContent)"
    )
    assert [] == violations(run_axe(page))


def test_the_csv_download_holds_the_periods_decisions_in_dutch(page: Page) -> None:
    """The link downloads the CSV of the chosen period, in Dutch, named after its days."""
    show_report(page, "01-04-2026", "30-04-2026")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download de besluiten van deze periode als CSV (voor Excel)").click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    assert ("leerrapport-2026-04-01-2026-04-30.csv", True, ["5", "6", "7"]) == (
        download.suggested_filename,
        text.startswith("\ufeffBesluitnummer;Datum;Periode;Geadviseerde maatregel"),
        [line.split(";")[0] for line in text.splitlines()[1:]],
    )


def test_the_report_follows_the_page_into_english(page: Page) -> None:
    """Switching to English redraws the report, its chart and its CSV link in English."""
    show_report(page, "01-01-2026", "31-05-2026")
    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.querySelector('#report-body h3 + ul li')?.textContent.startsWith('Decisions')")
    assert (
        "Decisions from 01-01-2026 to 31-05-2026: 8.",
        "Written warning",
        "Decisions and departures per period",
    ) == (
        summary(page)[0],
        rows(page, "report-departures")[1][3],
        page.locator("#report-body figure svg title").text_content(),
    )
    assert "lang=en" in (page.get_attribute("#report-csv", "href") or "")
    assert [] == violations(run_axe(page))


def test_the_chart_is_drawn_under_the_pages_content_security_policy(browser: Browser, service: Service) -> None:
    """With the page's CSP enforced (no inline script, images from the service only), the chart is
    shown inline and nothing is blocked."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(service.url + "/")
    show_report(page)
    count = page.locator("#report-body figure svg rect").count()
    context.close()
    assert (True, []) == (count > 10, problems)


def test_the_screenshots_in_the_docs_are_of_the_report() -> None:
    """The manuals show the report: docs/images holds it at 1366 and 390 px wide."""
    sizes = [read_png((ROOT / "docs" / "images" / f"leerrapport-{w}.png").read_bytes()).width for w in (1366, 390)]
    assert [True, True] == [sizes[0] > 900, sizes[1] <= 390]
