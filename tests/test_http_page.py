# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The caseworker web page, end to end in headless Chromium: fill a case, read the advice, try a what-if,
record a decision, print its letter, read the learning report; in Dutch and English, by keyboard,
and without WCAG 2.1 AA violations (axe-core). Screenshots go to build/e2e/ and are checked.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import ARTIFACTS, chromium, passed, run_axe, violations
from conftest import EXAMPLES, ROOT
from http_support import running
from png import read_png

from maatwerk import Engine
from maatwerk.audit import Actor
from maatwerk.http import Service

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

BRAND = (0x01, 0x68, 0x9B)
ROOT_STATIC = ROOT / "maatwerk" / "http" / "static"
SOFT = (0xEE, 0xF4, 0xF8)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture
def service(engine: Engine, tmp_path: Path) -> Iterator[Service]:
    with running(engine, tmp_path / "audit.sqlite") as server:
        yield server


@pytest.fixture
def page(browser: Browser, service: Service) -> Iterator[Page]:
    """A fresh page on the service; it fails the test on any script error or failed request."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", bypass_csp=True)
    context.add_init_script(
        "window.print = () => { window.__printed = document.getElementById('print-area').textContent; };"
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(str(err)))
    expected_4xx = (
        "Failed to load resource: the server responded with a status of 4"  # refused input, shown on the page
    )
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text) if msg.type == "error" and not msg.text.startswith(expected_4xx) else None
        ),
    )
    page.goto(service.url + "/")
    yield page
    context.close()
    assert [] == problems


def shot(page: Page, name: str, **kwargs: Any) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


def fill_example_case(page: Page) -> None:
    """Type example 01 into the form, field by field, by its visible Dutch labels."""
    page.get_by_label("Wet", exact=True).select_option("participatiewet")
    page.get_by_label("Datum van het besluit").fill("2026-03-02")
    page.get_by_label("Eigen kenmerk (niet verplicht)").fill("e2e-1")
    page.get_by_label("Overtreding vastgesteld door een medewerker").select_option("true")
    page.get_by_label("Wat is niet gemeld").select_option("inkomsten_of_werk")
    page.get_by_label("Begin van de periode").fill("2025-02-01")
    page.get_by_label("Einde van de periode").fill("2025-07-31")
    page.get_by_label("Uiterste datum om het te melden").fill("2025-02-08")
    page.get_by_label("Datum waarop de gemeente het ontdekte").fill("2025-10-15")
    page.get_by_label("Hoe het aan het licht kwam").select_option("gegevensvergelijking")
    page.get_by_label("Netto benadelingsbedrag (€)").fill("2480,00")
    page.get_by_label("Bruto benadelingsbedrag (€)").fill("3100.00")
    page.get_by_label("Verwijtbaarheid, door u vastgesteld").select_option("normaal")
    page.get_by_label("Kinderen in het huishouden").select_option("true")
    page.get_by_label("Schulden", exact=True).select_option("false")
    page.get_by_label("In een schuldregeling").select_option("false")
    page.get_by_label("Inkomen op bijstandsniveau").select_option("true")
    page.get_by_label("Bijstandsnorm per maand (€)").fill("1401.50")
    page.get_by_label("Financiële gegevens aangeleverd").select_option("true")
    page.get_by_label("Gezamenlijke huishouding").select_option("false")
    page.get_by_label("Betrokkene is overleden").select_option("false")
    page.get_by_label("Al beboet voor dezelfde feiten").select_option("false")
    page.get_by_label("Al vervolgd voor dezelfde feiten").select_option("false")


def ask_advice(page: Page) -> str:
    page.get_by_role("button", name="Advies vragen").click()
    page.wait_for_selector("#advice-measure")
    return page.text_content("#advice-measure") or ""


def test_a_caseworker_fills_a_case_and_reads_the_full_advice(page: Page, engine: Engine) -> None:
    """Typed into the form, example 01 gives the library's advice: €840.90 fine, tracks, alternatives, steps with article links."""
    fill_example_case(page)
    assert "Boete € 840,90" == ask_advice(page).replace("\xa0", " ")
    receipt = (page.text_content("#advice-receipt") or "").split(": ")[1]
    expected = json.loads((EXAMPLES / "01-inkomsten-normaal.json").read_text())
    expected["case_ref"] = "e2e-1"
    advice = engine.advise(expected)
    assert advice.receipt == receipt
    links = page.eval_on_selector_all("ol.steps a", "els => els.map(e => e.getAttribute('href'))")
    assert [b.url for step in advice.steps for b in step.basis] == links  # every step links to its articles and rulings
    for heading in (
        "Sporen",
        "Overwogen alternatieven",
        "Redenering",
        "Beslissingen voor u",
        "Ontbrekende feiten",
        "Wat het advies verandert",
    ):
        assert page.get_by_role("heading", name=heading).is_visible()


def test_the_screenshot_of_the_advice_shows_the_header_and_the_measure(page: Page) -> None:
    """Screenshots are the viewport's size, not blank, and show the brand header and the tinted measure box."""
    fill_example_case(page)
    ask_advice(page)
    page.locator("#measure-box").scroll_into_view_if_needed()
    full = read_png(shot(page, "advice-viewport").read_bytes())
    box = read_png(page.locator("#measure-box").screenshot(path=str(ARTIFACTS / "measure-box.png")))
    header = read_png(page.locator("header.top").screenshot(path=str(ARTIFACTS / "header.png")))
    assert (1280, 900) == (full.width, full.height)
    assert len(full.colours(step=4)) > 20  # text, borders and fills: not a blank page
    assert SOFT == box.colours().most_common(1)[0][0]
    assert BRAND == header.colours().most_common(1)[0][0]


def test_invalid_fields_are_listed_linked_and_marked(page: Page) -> None:
    """Asking advice on an empty form lists each problem, links it to its field and marks the field invalid."""
    page.get_by_role("button", name="Advies vragen").click()
    summary = page.locator("#case-errors")
    summary.wait_for(state="visible")
    links = page.eval_on_selector_all("#case-errors a", "els => els.map(e => e.getAttribute('href'))")
    assert "#f-law" in links
    assert ("true", "f-law-error") == (
        page.get_attribute("#f-law", "aria-invalid"),
        page.get_attribute("#f-law", "aria-describedby"),
    )
    assert page.locator("#f-law-error").is_visible()
    assert "case-errors" == page.evaluate("document.activeElement.id")
    shot(page, "errors", full_page=True)


def test_a_what_if_change_shows_the_difference(page: Page) -> None:
    """Changing the culpability to verminderd in the what-if shows the fine dropping to €620, marked as changed."""
    fill_example_case(page)
    ask_advice(page)
    page.get_by_label("Gegeven", exact=True).select_option("culpability.confirmed")
    page.get_by_label("Nieuwe waarde").select_option("verminderd")
    page.get_by_role("button", name="Probeer deze wijziging").click()
    page.wait_for_selector("#whatif-table")
    changed = page.eval_on_selector_all(
        "#whatif-table tr.changed", "rows => rows.map(r => r.innerText.replace(/\\u00a0/g, ' '))"
    )
    assert any("€ 840,90" in row and "€ 420,45 (gewijzigd)" in row for row in changed)
    assert "2025-02-01" == page.input_value("#f-violation\\.period\\.start")  # the case itself did not change
    shot(page, "what-if", full_page=True)


def test_a_departing_decision_needs_a_reason_and_is_recorded_with_its_letter(page: Page, service: Service) -> None:
    """Deciding no fine instead of the fine asks for the reason, in the national pack's sentence that cites
    Awb 3:46 (served with the form); with it, the decision is recorded and printable."""
    fill_example_case(page)
    ask_advice(page)
    page.get_by_label("Besloten maatregel").select_option("geen_boete")
    assert page.locator("#deviation-note").is_visible()
    cites = "(Algemene wet bestuursrecht art. 3:46)."
    assert f"U wijkt af van het advies. Geef de reden {cites}" == page.text_content("#deviation-note")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-errors").wait_for(state="visible")
    assert ("true", "true") == (
        page.get_attribute("#d-reason", "aria-invalid"),
        page.get_attribute("#d-reason_category", "aria-invalid"),
    )
    summary = page.text_content("#decision-errors") or ""
    assert f"U wijkt af van het advies; de wet vraagt dan een reden {cites}" in summary
    page.get_by_label("Soort reden").select_option("draagkracht")
    page.get_by_label("Motivering in uw woorden").fill(
        "Mevrouw betaalt al een andere schuld af en kan dit niet dragen."
    )
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-result").wait_for(state="visible")
    assert (page.text_content("#decision-saved") or "").startswith("Besluit vastgelegd als nummer 1.")
    letter = page.text_content("#letter") or ""
    assert "U krijgt geen boete." in letter
    assert "Mevrouw betaalt al een andere schuld af" in letter
    shot(page, "decision", full_page=True)
    page.get_by_role("button", name="Brief afdrukken").click()
    assert letter == page.evaluate("window.__printed")
    first = next(service.advisor.store.records())  # the decision is case data: opened for a named reader
    record = service.advisor.store.by_seq(first.seq, actor=Actor("e2e-auditor"))
    assert record is not None
    decider = service.advisor.store.pseudonym(service.state.auth.local_subject)  # who started the local service
    assert (True, "geen_boete", True, decider) == (
        service.advisor.store.verify().ok,
        record.body["decision"]["measure"],
        record.body["decision"]["deviation"],
        record.body["caseworker"],
    )


def test_a_decision_is_refused_when_the_case_changed_after_the_advice(page: Page, service: Service) -> None:
    """Editing the case after the advice blocks recording until the caseworker asks for advice again."""
    fill_example_case(page)
    ask_advice(page)
    page.get_by_label("Netto benadelingsbedrag (€)").fill("3000.00")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-errors").wait_for(state="visible")
    assert "De zaak is veranderd na het advies" in page.inner_text("#decision-errors")
    assert 0 == service.advisor.store.count()


def test_the_print_view_shows_only_the_letter(page: Page) -> None:
    """When printing the letter, the print stylesheet hides everything else."""
    page.evaluate(
        "document.getElementById('print-area').textContent = 'Ons besluit'; document.body.classList.add('print-letter')"
    )
    page.emulate_media(media="print")
    visible = page.evaluate(
        "[...document.body.children].filter(e => getComputedStyle(e).display !== 'none').map(e => e.id || e.tagName)"
    )
    assert ["print-area"] == visible


def test_the_learning_report_appears_on_the_page(page: Page) -> None:
    """After a decision that follows the advice, the report shows one decision and no departure."""
    fill_example_case(page)
    ask_advice(page)
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-result").wait_for(state="visible")
    page.get_by_role("button", name="Rapport tonen").click()
    page.wait_for_selector("#report-body table")
    text = page.inner_text("#report-body")
    assert (
        "Alle vastgelegde besluiten: 1." in text,
        "Afgeweken van het advies: 0 van de 1 (0%)." in text,
    ) == (
        True,
        True,
    )


def test_uploading_a_case_file_fills_the_form(page: Page) -> None:
    """A case file chosen in the upload field fills the form; the advice follows (example 02: a warning)."""
    page.get_by_text("Zaak uploaden of plakken (JSON)").click()
    page.get_by_label("Bestand met de zaak").set_input_files(str(EXAMPLES / "02-zelfmelding-waarschuwing.json"))
    page.wait_for_function("document.getElementById('f-law').value !== ''")
    assert "Schriftelijke waarschuwing" == ask_advice(page)


def test_a_provider_case_file_switches_the_form_and_gets_the_librarys_advice(page: Page, engine: Engine) -> None:
    """Uploading a Wmo provider case (example 05) shows the provider form filled in; the advice is the
    library's, receipt included, and the decision offers the ladder's instruments."""
    page.get_by_text("Zaak uploaden of plakken (JSON)").click()
    page.get_by_label("Bestand met de zaak").set_input_files(str(EXAMPLES / "05-wmo-structureel-kwetsbaar.json"))
    page.wait_for_function("document.getElementById('f-provider.id') && document.getElementById('f-law').value !== ''")
    assert ("providers", "wmo2015", "AGB-123", "true") == (
        page.input_value("#f-domain"),
        page.input_value("#f-law"),
        page.input_value("#f-provider\\.id"),
        page.input_value("#f-risk\\.vulnerable_clients"),
    )
    assert "Verscherpt toezicht" == ask_advice(page)
    advice = engine.advise(json.loads((EXAMPLES / "05-wmo-structureel-kwetsbaar.json").read_text()))
    assert f"Ontvangstbewijs: {advice.receipt}" == page.text_content("#advice-receipt")
    offered = page.eval_on_selector_all("#d-measure option", "els => els.map(e => e.value).filter(Boolean)")
    assert {"gesprek", "verbeterplan", "verscherpt_toezicht", "ontbinding"} <= set(offered)
    assert "boete" not in offered
    shot(page, "provider-advice", full_page=True)


def test_advice_asked_while_an_uploaded_case_is_still_being_put_in_the_form_waits_for_it(
    page: Page, engine: Engine
) -> None:
    """A caseworker who asks for advice right after putting an uploaded provider case in the form, while
    the provider form is still on its way (held back here until after the click), gets that case's advice: the
    page waits for the form instead of sending the half-built one (which the service refused)."""
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    page.route(re.compile(r".*/case-fields\?domain=providers$"), hold)
    upload_case(page, "06-jeugdwet-gevaar.json")
    page.wait_for_function("document.getElementById('load-json')")  # a round trip: the request is held by now
    assert 1 == len(held)
    page.get_by_role("button", name="Advies vragen").click()  # before the provider form is there
    held[0].continue_()
    page.wait_for_selector("#advice-measure", timeout=10_000)
    case = json.loads((EXAMPLES / "06-jeugdwet-gevaar.json").read_text())
    receipt = engine.advise(case).receipt
    assert ("providers", f"Ontvangstbewijs: {receipt}") == (
        page.input_value("#f-domain"),
        page.text_content("#advice-receipt"),
    )


def test_a_caseworker_switches_to_a_provider_case_and_records_a_departing_decision(
    page: Page, service: Service
) -> None:
    """Choosing the kind of case rebuilds the form; a Jeugdwet case typed in gets an advice, and deciding
    no measure instead of the advised conversation needs a reason before it is recorded (an improvement
    plan has no basis in this case: the page refuses it)."""
    page.get_by_label("Soort zaak").select_option("providers")
    page.wait_for_selector("#f-provider\\.id")
    assert 0 == page.locator("#f-benefit_loss\\.net").count()
    page.get_by_label("Wet", exact=True).select_option("jeugdwet")
    page.get_by_label("Datum van het besluit").fill("2026-03-02")
    page.get_by_label("Code van de aanbieder (bijvoorbeeld AGB-code)").fill("AGB-9")
    page.get_by_label("Tekortkoming vastgesteld").select_option("true")
    page.get_by_label("Soort tekortkoming").select_option("kwaliteit_onvoldoende")
    page.get_by_label("Datum waarop het werd vastgesteld").fill("2026-02-01")
    page.get_by_label("Incidenteel of structureel").select_option("incidenteel")
    page.get_by_label("Werkt mee met gemeente en toezichthouder").select_option("true")
    page.get_by_label("Kan zelf verbeteren").select_option("true")
    assert "Gesprek en advies" == ask_advice(page)  # incidental, cooperative, able to improve: the lightest rung
    page.get_by_label("Besloten maatregel").select_option("geen_maatregel")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-errors").wait_for(state="visible")
    page.get_by_label("Soort reden").select_option("nieuwe_feiten")
    page.get_by_label("Motivering in uw woorden").fill("Bij het bezoek bleek de tekortkoming al verholpen.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-result").wait_for(state="visible")
    first = next(service.advisor.store.records())  # the input is case data: opened for a named reader
    record = service.advisor.store.by_seq(first.seq, actor=Actor("e2e-auditor"))
    assert record is not None
    assert (True, "geen_maatregel", True, "providers") == (
        service.advisor.store.verify().ok,
        record.body["decision"]["measure"],
        record.body["decision"]["deviation"],
        record.body["input"]["domain"],
    )


def test_the_page_switches_between_dutch_and_english(page: Page) -> None:
    """Dutch by default (lang="nl"); the switch turns labels, headings and the advice into English."""
    fill_example_case(page)
    ask_advice(page)
    assert ("nl", "Advies bij een overtreding of tekortkoming") == (
        page.get_attribute("html", "lang"),
        page.text_content("h1"),
    )
    page.get_by_role("button", name="English").click()
    assert ("en", "Advice on a violation or shortcoming") == (
        page.get_attribute("html", "lang"),
        page.text_content("h1"),
    )
    assert page.get_by_role("heading", name="Alternatives considered").is_visible()
    assert "2480,00" == page.get_by_label("Net loss (€)").input_value()  # typed values survive the switch
    shot(page, "english", full_page=True)


def test_the_page_works_with_the_keyboard(page: Page) -> None:
    """Tab reaches the skip link first; Enter on it moves focus to the main content; Enter submits the form."""
    page.keyboard.press("Tab")
    assert "skip" == page.evaluate("document.activeElement.className")
    page.keyboard.press("Enter")
    assert "main" == page.evaluate("document.activeElement.id")
    fill_example_case(page)
    page.focus("#f-case_ref")
    page.keyboard.press("Enter")
    page.wait_for_selector("#advice-measure")
    assert "advice-h" == page.evaluate("document.activeElement.id")


@pytest.mark.parametrize("lang", ["nl", "en", "nl-provider"])
def test_axe_finds_no_wcag_21_aa_violation(page: Page, lang: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page with an advice, a what-if and the decision form
    (a benefit case in Dutch and English, a provider case in Dutch)."""
    if lang == "nl-provider":
        page.get_by_text("Zaak uploaden of plakken (JSON)").click()
        page.get_by_label("Zaak als JSON").fill((EXAMPLES / "06-jeugdwet-gevaar.json").read_text())
        page.get_by_role("button", name="In het formulier zetten").click()
        page.get_by_role("button", name="Advies vragen").click()
    elif lang == "nl":
        fill_example_case(page)
        page.get_by_role("button", name="Advies vragen").click()
    else:
        page.get_by_role("button", name="English").click()
        page.get_by_text("Upload or paste a case (JSON)").click()
        page.get_by_label("Case as JSON").fill((EXAMPLES / "01-inkomsten-normaal.json").read_text())
        page.get_by_role("button", name="Put it in the form").click()
        page.get_by_role("button", name="Get advice").click()
    page.wait_for_selector("#advice-measure")
    result = run_axe(page)
    found = violations(result)
    assert [] == found
    assert {"label", "color-contrast", "html-has-lang"} <= passed(result)  # the checks did run


# --- Dutch first: amounts, dates and errors as a Dutch caseworker meets them (issue 21 item 1) ---------


def example_01_as_typed() -> dict[str, Any]:
    case = dict(json.loads((EXAMPLES / "01-inkomsten-normaal.json").read_text()))
    case["case_ref"] = "e2e-1"
    return case


def requests_to(page: Page, path: str) -> list[str]:
    """The methods of the requests the page sends to ``path`` from now on."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.method) if r.url.endswith(path) else None)
    return seen


def test_dutch_amounts_and_dates_are_read_as_a_caseworker_types_them(page: Page, engine: Engine) -> None:
    """ "€ 2.480,00", "3.100" and "1401,5" are amounts, 01-02-2025 is a date: the advice is the library's
    advice on example 01, receipt and all."""
    fill_example_case(page)
    page.get_by_label("Netto benadelingsbedrag (€)").fill("€ 2.480,00")
    page.get_by_label("Bruto benadelingsbedrag (€)").fill("3.100")
    page.get_by_label("Bijstandsnorm per maand (€)").fill("1401,5")
    page.get_by_label("Begin van de periode").fill("01-02-2025")
    page.get_by_label("Einde van de periode").fill("31-07-2025")
    page.get_by_label("Datum van het besluit").fill("2-3-2026")
    assert "Boete € 840,90" == ask_advice(page).replace("\xa0", " ")
    receipt = (page.text_content("#advice-receipt") or "").split(": ")[1]
    assert engine.advise(example_01_as_typed()).receipt == receipt


def test_an_impossible_amount_or_date_is_an_error_at_its_field_never_changed(page: Page) -> None:
    """ "1.60,0" and 31-02-2025 are not read as something else: each is a Dutch error with the field's own
    label, at the field and in the summary at the top, which has the focus and links to the field; nothing
    is sent; axe-core finds no violation with the errors shown."""
    fill_example_case(page)
    page.get_by_label("Netto benadelingsbedrag (€)").fill("1.60,0")
    page.get_by_label("Begin van de periode").fill("31-02-2025")
    advices = requests_to(page, "/api/v1/advices")
    page.get_by_role("button", name="Advies vragen").click()
    page.locator("#case-errors").wait_for(state="visible")
    assert "case-errors" == page.evaluate("document.activeElement.id")
    items = page.eval_on_selector_all(
        "#case-errors li a", "els => els.map(e => [e.getAttribute('href'), e.textContent])"
    )
    assert [
        ("#f-violation.period.start", "Begin van de periode: vul een datum in die bestaat"),
        ("#f-benefit_loss.net", "Netto benadelingsbedrag (€): vul een bedrag in euro in"),
    ] == [(href, text.split(",")[0]) for href, text in items]
    assert ("true", "true", "1.60,0") == (
        page.get_attribute("#f-benefit_loss\\.net", "aria-invalid"),
        page.get_attribute("#f-violation\\.period\\.start", "aria-invalid"),
        page.input_value("#f-benefit_loss\\.net"),
    )
    assert "vul een bedrag in euro in" in (page.text_content("#f-benefit_loss\\.net-error") or "")
    described = (page.get_attribute("#f-benefit_loss\\.net", "aria-describedby") or "").split()
    assert "f-benefit_loss.net-error" in described
    assert [] == advices
    page.locator("#case-errors a").first.click()
    assert "f-violation.period.start" == page.evaluate("document.activeElement.id")
    shot(page, "errors-dutch", full_page=True)
    result = run_axe(page)
    assert [] == violations(result)


def test_a_bijstandsnorm_of_nothing_is_a_dutch_error_at_its_field(page: Page) -> None:
    """A norm of "0" is an amount, so the page sends it; the service refuses it, and the page says so in
    Dutch at the field (not that the amount cannot be read), with no advice shown."""
    fill_example_case(page)
    page.get_by_label("Bijstandsnorm per maand (€)").fill("0")
    page.get_by_role("button", name="Advies vragen").click()
    page.locator("#case-errors").wait_for(state="visible")
    items = page.eval_on_selector_all(
        "#case-errors li a", "els => els.map(e => [e.getAttribute('href'), e.textContent])"
    )
    assert [("#f-finances.monthly_norm", "Bijstandsnorm per maand (€): vul een bedrag in dat hoger is dan € 0.")] == [
        tuple(item) for item in items
    ]
    assert "true" == page.get_attribute("#f-finances\\.monthly_norm", "aria-invalid")


def test_an_invalid_uploaded_value_is_an_error_at_its_field_never_dropped(page: Page) -> None:
    """An uploaded culpability "grove schuld" (not grove_schuld) is shown at the culpability field, in Dutch,
    and the advice waits until the caseworker chooses; then it is given."""
    case = example_01_as_typed()
    case["culpability"] = {"confirmed": "grove schuld"}
    page.get_by_text("Zaak uploaden of plakken (JSON)").click()
    page.get_by_label("Zaak als JSON").fill(json.dumps(case))
    page.get_by_role("button", name="In het formulier zetten").click()
    error = page.locator("#f-culpability\\.confirmed-error")
    error.wait_for(state="visible")
    assert (
        "Verwijtbaarheid, door u vastgesteld: de geüploade zaak zegt \u201cgrove schuld\u201d."
        " Dat is geen keuze die hier kan. Kies een van de keuzes."
    ) == error.text_content()
    assert "true" == page.get_attribute("#f-culpability\\.confirmed", "aria-invalid")
    advices = requests_to(page, "/api/v1/advices")
    page.get_by_role("button", name="Advies vragen").click()
    assert "grove schuld" in page.inner_text("#case-errors")
    assert [] == advices
    page.get_by_label("Verwijtbaarheid, door u vastgesteld").select_option("grove_schuld")
    assert "Boete € 1.261,35" == ask_advice(page).replace("\xa0", " ")


def test_the_apis_errors_show_in_dutch_with_the_fields_labels(page: Page) -> None:
    """The API's located problems (English, by JSON path) are shown with the form's own Dutch labels: no
    field path, no code, no English."""
    fill_example_case(page)
    page.get_by_label("Wet", exact=True).select_option("")
    page.get_by_label("Wat is niet gemeld").select_option("")
    page.get_by_role("button", name="Advies vragen").click()
    page.locator("#case-errors").wait_for(state="visible")
    texts = page.eval_on_selector_all("#case-errors li", "els => els.map(e => e.textContent)")
    assert ["Vul Wet in.", "Vul Wat is niet gemeld in."] == texts
    assert "Vul Wet in." == page.text_content("#f-law-error")
    summary = page.inner_text("#case-errors")
    assert [] == [w for w in ("required", "Field", "law", "violation", "CASE_") if w in summary]


# --- a safe decision step (issue 21 item 3) ---------------------------------------------------------


def test_a_measure_the_advice_finds_unlawful_is_refused_by_the_page_and_by_the_api(
    page: Page, service: Service
) -> None:
    """Example 01 allows no warning. The page marks it "niet toegestaan", refuses it with the advice's reason
    and sends nothing; when the page is bypassed, the API refuses it and the page shows why, in Dutch."""
    fill_example_case(page)
    ask_advice(page)
    option = page.locator("#d-measure option[value='waarschuwing']").text_content()
    assert "Schriftelijke waarschuwing (niet toegestaan)" == option
    page.get_by_label("Besloten maatregel").select_option("waarschuwing")
    page.get_by_label("Soort reden").select_option("draagkracht")
    page.get_by_label("Motivering in uw woorden").fill("Mevrouw kan een boete nu echt niet dragen, zegt zij.")
    decisions = requests_to(page, "/api/v1/decisions")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-errors").wait_for(state="visible")
    expected = (
        "Besloten maatregel: Schriftelijke waarschuwing is in deze zaak niet toegestaan."
        " Niet toegestaan: het benadelingsbedrag is hoger dan de grens. En de inwoner meldde het niet zelf op tijd."
    )
    assert (expected, "true", [], 0) == (
        page.text_content("#d-measure-error"),
        page.get_attribute("#d-measure", "aria-invalid"),
        decisions,
        service.advisor.store.count(),
    )
    assert [] == violations(run_axe(page))
    # The page's own check bypassed: the API refuses, and the page still says why in Dutch.
    page.evaluate("lastAdvice.alternatives.forEach((a) => { a.lawful = true; })")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.wait_for_function(
        "document.querySelector('#decision-errors li') !== null && document.getElementById('record').disabled === false"
    )
    assert (expected, ["POST"], 0) == (
        page.text_content("#d-measure-error"),
        decisions,
        service.advisor.store.count(),
    )


def test_an_amount_above_the_statutory_maximum_is_refused(page: Page, service: Service) -> None:
    """A fine of € 2.480,01 in example 01 (maximum € 2.480,00) is refused at the amount, saying the maximum."""
    fill_example_case(page)
    ask_advice(page)
    page.get_by_label("Bedrag van de boete (€)").fill("2.480,01")
    page.get_by_label("Soort reden").select_option("anders")
    page.get_by_label("Motivering in uw woorden").fill("Een hogere boete past beter bij wat er gebeurde.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-errors").wait_for(state="visible")
    message = (page.text_content("#d-amount-error") or "").replace("\xa0", " ")
    assert (
        "Bedrag van de boete (€): het bedrag is hoger dan het wettelijk maximum van € 2.480,00."
        " Dit maximum mag u niet overschrijden.",
        0,
    ) == (message, service.advisor.store.count())


def test_a_double_click_records_one_decision(page: Page, service: Service) -> None:
    """A double click on "Besluit vastleggen" sends once (the button is disabled while sending); clicking
    again on the same decision gives back the same record (its idempotency key), so one decision is stored."""
    fill_example_case(page)
    ask_advice(page)
    decisions = requests_to(page, "/api/v1/decisions")
    page.get_by_role("button", name="Besluit vastleggen").dblclick()
    page.locator("#decision-result").wait_for(state="visible")
    first = page.text_content("#decision-saved")
    page.wait_for_function("document.getElementById('record').disabled === false")
    sent_by_the_double_click = len(decisions)
    page.get_by_role("button", name="Besluit vastleggen").click()  # disables the button until answered
    page.wait_for_function("document.getElementById('record').disabled === false")
    assert (True, first, 1) == (
        len(decisions) == sent_by_the_double_click + 1,
        page.text_content("#decision-saved"),
        sum(1 for r in service.advisor.store.records() if r.kind == "decision"),
    )


def test_enter_in_a_text_field_does_not_record_a_decision(page: Page) -> None:
    """Enter in the amount field records nothing; the button does."""
    fill_example_case(page)
    ask_advice(page)
    decisions = requests_to(page, "/api/v1/decisions")
    page.get_by_label("Bedrag van de boete (€)").press("Enter")
    page.wait_for_timeout(300)
    assert ([], True) == (decisions, page.locator("#decision-result").is_hidden())
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-result").wait_for(state="visible")
    assert ["POST"] == decisions


def test_the_advice_names_principles_tracks_and_missing_facts_in_words(page: Page, engine: Engine) -> None:
    """The steps name the purposes and principles by their pack names, not their ids; a missing fact is
    a plain question linked to its field, never a field path."""
    fill_example_case(page)
    ask_advice(page)
    metas = page.eval_on_selector_all("ol.steps .meta", "els => els.map(e => e.textContent)")
    codes = [m for m in metas if any(f"{c}{n}" in m.split("Beginselen: ")[1] for c in "PW" for n in "12345")]
    assert ([], True) == (codes, any("Herstel en handhaving" in m for m in metas))
    rows = page.eval_on_selector_all("#advice-body table th[scope=row]", "els => els.map(e => e.textContent)")
    assert [] == [r for r in rows if "_" in r]
    missing = page.eval_on_selector_all(
        "#advice-body h3:text('Ontbrekende feiten') + ul > li > :first-child", "els => els.map(e => e.textContent)"
    )
    advice = engine.advise(example_01_as_typed())
    assert (len(advice.missing_facts), []) == (len(missing), [m for m in missing if "." in m or "_" in m])
    assert "Heeft de persoon problemen met de gezondheid?" in missing
    assert all(m.endswith("?") for m in missing)
    policy = page.locator("#advice-body p.meta", has_text="Beleid:").text_content() or ""
    assert ("landelijk beleid (geldt vanaf 01-01-2013)" in policy, "@" in policy) == (True, False)


def test_a_decided_amount_is_read_as_a_dutch_caseworker_types_it(page: Page, service: Service) -> None:
    """The advised fine is shown as 840,90 and, unchanged, is no departure; "€ 600" is recorded as 600.00."""
    fill_example_case(page)
    ask_advice(page)
    assert "840,90" == page.input_value("#d-amount")
    assert page.locator("#deviation-note").is_hidden()
    page.get_by_label("Bedrag van de boete (€)").fill("€ 600")
    assert page.locator("#deviation-note").is_visible()
    page.get_by_label("Soort reden").select_option("draagkracht")
    page.get_by_label("Motivering in uw woorden").fill(
        "Mevrouw betaalt al een andere schuld af en kan dit niet dragen."
    )
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-result").wait_for(state="visible")
    first = next(r for r in service.advisor.store.records() if r.kind == "decision")
    record = service.advisor.store.by_seq(first.seq, actor=Actor("e2e-auditor"))
    assert record is not None
    assert ("600.00", True) == (record.body["decision"]["amount"], record.body["decision"]["deviation"])


# --- small screens (issue 21 item 7) ----------------------------------------------------------------

# What scrolls sideways: the page itself, and each table's container; and which tables are not stacked.
OVERFLOW = """() => ({
  page: [document.documentElement.scrollWidth, window.innerWidth],
  tables: [...document.querySelectorAll('table')].map((t) => [
    t.id || t.closest('section').id, t.parentElement.className, t.parentElement.scrollWidth,
    t.parentElement.clientWidth, getComputedStyle(t.querySelector('tbody tr')).display]),
})"""


def no_sideways_scrolling(page: Page, tables: int) -> dict[str, Any]:
    """Asserts the page and every table's container fit the viewport, and every table is reflowed into
    cards; returns what was measured."""
    seen: dict[str, Any] = page.evaluate(OVERFLOW)
    width, viewport = seen["page"]
    assert (tables, True) == (len(seen["tables"]), width <= viewport), seen
    assert [] == [t for t in seen["tables"] if t[1] != "table-wrap" or t[2] > t[3] or t[4] != "block"], seen
    return seen


def upload_case(page: Page, example: str) -> None:
    page.get_by_text("Zaak uploaden of plakken (JSON)").click()
    page.get_by_label("Zaak als JSON").fill((EXAMPLES / example).read_text())
    page.get_by_role("button", name="In het formulier zetten").click()


def walk_a_benefit_case(page: Page) -> None:
    """Example 01 typed in, its advice, a what-if, the advised decision recorded, and the learning report."""
    fill_example_case(page)
    ask_advice(page)
    page.get_by_label("Gegeven", exact=True).select_option("culpability.confirmed")
    page.get_by_label("Nieuwe waarde").select_option("verminderd")
    page.get_by_role("button", name="Probeer deze wijziging").click()
    page.wait_for_selector("#whatif-table")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-result").wait_for(state="visible")
    page.get_by_role("button", name="Rapport tonen").click()
    page.wait_for_selector("#report-body table")


@pytest.mark.parametrize(
    ("width", "lang", "headers"),
    [
        (390, "nl", ["Spoor", "Status", "Bedrag", "Toelichting", "Grondslag"]),
        (320, "nl", ["Spoor", "Status", "Bedrag", "Toelichting", "Grondslag"]),
        (390, "en", ["Track", "Status", "Amount", "Explanation", "Legal basis"]),
    ],
)
def test_a_benefit_advice_what_if_decision_and_report_fit_a_phone(
    page: Page, width: int, lang: str, headers: list[str]
) -> None:
    """At 390x844 (and 320 px wide; and in English) example 01's advice, a what-if, a recorded decision and
    the learning report fit the screen: nothing scrolls sideways, every table is stacked into cards with
    each cell labelled (and shown labelled) by its column header, the table roles stay, and axe-core finds
    no WCAG 2.1 AA violation."""
    page.set_viewport_size({"width": width, "height": 844})
    walk_a_benefit_case(page)
    if lang == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_function("document.documentElement.lang === 'en'")
    no_sideways_scrolling(page, tables=5)  # tracks, calculation, what-if, the report's trend and causes
    tracks = "document.querySelector('#advice-body table')"  # the first table: the tracks
    labels = page.evaluate(f"[...{tracks}.querySelector('tbody tr').children].map(e => e.dataset.label)")
    assert headers == labels
    shown = page.evaluate(f"getComputedStyle({tracks}.querySelector('tbody td'), '::before').content")
    assert f'"{headers[1]}: " / ""' == shown  # shown on the card, not read twice by a screen reader
    roles = page.evaluate(
        f"[...new Set([{tracks}, ...{tracks}.querySelectorAll('th, td')].map(e => e.getAttribute('role')))]"
    )
    assert ["table", "columnheader", "rowheader", "cell"] == roles  # the semantics survive the reflow
    shot(page, f"phone-{width}-{lang}", full_page=True)
    page.locator("#advice-body .table-wrap").first.screenshot(path=str(ARTIFACTS / f"phone-{width}-{lang}-tracks.png"))
    page.locator("#report-body").screenshot(path=str(ARTIFACTS / f"phone-{width}-{lang}-report.png"))
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"phone-{width}-{lang}-top")
    result = run_axe(page)
    assert [] == violations(result)
    assert {"color-contrast", "th-has-data-cells"} <= passed(result)  # the checks did run, on the tables too


def test_a_provider_advice_fits_a_phone(page: Page) -> None:
    """A Jeugdwet provider case (example 06) at 390x844, its advised decision recorded and the learning
    report shown: no sideways scrolling, its tables (tracks, report) are stacked, and axe-core finds no
    violation."""
    page.set_viewport_size({"width": 390, "height": 844})
    upload_case(page, "06-jeugdwet-gevaar.json")
    page.get_by_role("button", name="Advies vragen").click()
    page.wait_for_selector("#advice-measure")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.locator("#decision-result").wait_for(state="visible")
    page.get_by_role("button", name="Rapport tonen").click()
    page.wait_for_selector("#report-body table")
    seen = no_sideways_scrolling(page, tables=3)
    assert ["advice", "report-trend", "report-causes"] == [t[0] for t in seen["tables"]]
    shot(page, "phone-provider", full_page=True)
    assert [] == violations(run_axe(page))


def test_the_page_fits_at_200_percent_zoom(page: Page) -> None:
    """At 200% zoom on a 1366x768 screen (683x384 CSS pixels) the advice, what-if, decision and report of
    example 01 do not scroll sideways, and axe-core finds no violation."""
    page.set_viewport_size({"width": 683, "height": 384})
    walk_a_benefit_case(page)
    seen: dict[str, Any] = page.evaluate(OVERFLOW)
    assert (5, True, []) == (
        len(seen["tables"]),
        seen["page"][0] <= seen["page"][1],
        [t for t in seen["tables"] if t[2] > t[3]],
    ), seen
    assert [] == violations(run_axe(page))


# --- every fact and decision has a place (issue 21 item 2) --------------------------------------------


def add_sanction(page: Page, kind: str, imposed: str, final: str, same: str = "true") -> int:
    """Adds a row of earlier sanctions by keyboard (Enter on the button) and fills it; returns its index."""
    page.locator("#add-row").focus()
    page.keyboard.press("Enter")
    row = page.locator("fieldset.row").count() - 1
    assert f"f-history.{row}.kind" == page.evaluate("document.activeElement.id")  # focus on the new row
    page.locator(f"#f-history\\.{row}\\.kind").select_option(kind)
    page.locator(f"#f-history\\.{row}\\.imposed_on").fill(imposed)
    page.locator(f"#f-history\\.{row}\\.final_on").fill(final)
    page.locator(f"#f-history\\.{row}\\.same_conduct").select_option(same)
    return row


def test_earlier_sanctions_are_rows_a_caseworker_adds_and_removes_by_keyboard(page: Page, engine: Engine) -> None:
    """Rows of earlier sanctions are added and removed with the keyboard, take Dutch dates, carry their number
    in their labels, and reach the advice: a final fine of 2022 for the same conduct makes example 01 a
    repeat, and the advice is the library's on that history, receipt and all."""
    fill_example_case(page)
    assert "Geen eerdere sanctie ingevuld." == page.text_content("#rows-none")
    add_sanction(page, "boete", "01-03-2022", "15-04-2022")
    add_sanction(page, "waarschuwing", "01-06-2024", "")
    assert page.get_by_label("Datum opgelegd of gegeven").count() == 2
    assert "Eerdere sanctie 2" == page.locator("#row-1 legend").text_content()
    page.get_by_role("button", name="Verwijder eerdere sanctie 2").focus()
    page.keyboard.press("Enter")
    assert (1, "Verwijder eerdere sanctie 1") == (
        page.locator("fieldset.row").count(),
        page.evaluate("document.activeElement.textContent"),  # focus stays in the list
    )
    assert "Eerdere sanctie 2 verwijderd." == page.text_content("#status")
    ask_advice(page)
    case = example_01_as_typed()
    case["history"] = [{"kind": "boete", "imposed_on": "2022-03-01", "final_on": "2022-04-15", "same_conduct": True}]
    advice = engine.advise(case)
    receipt = (page.text_content("#advice-receipt") or "").split(": ")[1]
    assert (advice.receipt, True) == (receipt, any(s.rule_id == "recidive" for s in advice.steps))


def test_an_error_in_a_row_is_shown_at_that_rows_field(page: Page) -> None:
    """An impossible date in row 1 and a row without its kind are each shown at the row's own field, with the
    row's number in the label, in the summary at the top; nothing is guessed."""
    fill_example_case(page)
    page.locator("#add-row").click()
    page.locator("#f-history\\.0\\.imposed_on").fill("31-02-2024")
    page.get_by_role("button", name="Advies vragen").click()
    page.locator("#case-errors").wait_for(state="visible")
    assert (
        "Eerdere sanctie 1: Datum opgelegd of gegeven: vul een datum in die bestaat, als dag-maand-jaar, "
        "bijvoorbeeld 31-01-2025.",
        "true",
    ) == (
        page.text_content("#f-history\\.0\\.imposed_on-error"),
        page.get_attribute("#f-history\\.0\\.imposed_on", "aria-invalid"),
    )
    page.locator("#f-history\\.0\\.imposed_on").fill("01-02-2024")
    page.get_by_role("button", name="Advies vragen").click()
    page.wait_for_function("document.querySelector('#case-errors li a[href=\"#f-history.0.kind\"]') !== null")
    texts = page.eval_on_selector_all("#case-errors li", "els => els.map(e => e.textContent)")
    assert "Vul Eerdere sanctie 1: Soort sanctie in." in texts
    assert page.locator("#f-history\\.0\\.kind-error").is_visible()


def test_a_case_that_needed_payment_capacity_goes_on_from_the_missing_facts_link(page: Page) -> None:
    """With an income above bijstand level the fine cannot be capped until the payment capacity is known: the
    advice asks it as a question whose link puts the focus on its field; filled in ("100,00"), the advice is a
    fine again (12 months of it)."""
    fill_example_case(page)
    page.get_by_label("Inkomen op bijstandsniveau").select_option("false")
    assert "Eerst een beslissing nodig" == ask_advice(page)
    link = page.locator("#advice-missing a", has_text="Hoeveel kan de persoon per maand betalen?")
    assert "#f-finances.monthly_payment_capacity" == link.get_attribute("href")
    link.click()
    assert "f-finances.monthly_payment_capacity" == page.evaluate("document.activeElement.id")
    page.keyboard.type("100,00")
    page.get_by_role("button", name="Advies vragen").click()
    page.wait_for_function("document.getElementById('advice-measure').textContent.startsWith('Boete')")
    assert "Boete € 1.200,00" == (page.text_content("#advice-measure") or "").replace("\xa0", " ")
    assert 0 == page.locator("#advice-missing a", has_text="Hoeveel kan de persoon").count()


def test_every_missing_fact_and_decision_is_a_question_linked_to_its_field(page: Page) -> None:
    """Without a confirmed culpability and with an earlier warning whose date is missing, each missing fact and
    each decision for the caseworker is a Dutch question; each links to a field on the page (the culpability
    to its field on the form, a missing date to the row's own field), never to a path or a code."""
    fill_example_case(page)
    page.get_by_label("Verwijtbaarheid, door u vastgesteld").select_option("")
    page.locator("#add-row").click()
    page.locator("#f-history\\.0\\.kind").select_option("waarschuwing")
    page.locator("#f-history\\.0\\.final_on").fill("01-03-2024")
    page.locator("#f-history\\.0\\.same_conduct").select_option("true")
    ask_advice(page)
    links = page.eval_on_selector_all(
        "#advice-missing li > a, #advice-decisions li a",
        "els => els.map(e => [e.textContent, e.getAttribute('href'), !!document.getElementById(e.getAttribute('href').slice(1))])",
    )
    assert [] == [link for link in links if not link[2] or "_" in link[0]]  # every link reaches a field
    found = {text: href for text, href, _ in links}
    assert (
        "#f-history.0.imposed_on"
        == found["Eerdere sanctie 1: Op welke dag is de sanctie opgelegd of de waarschuwing gegeven?"]
    )
    question = next(t for t in found if t.startswith("Hoeveel valt de inwoner te verwijten?"))
    assert "#f-culpability.confirmed" == found[question]
    options = page.locator("#advice-decisions li", has_text="Hoeveel valt de inwoner te verwijten?").locator("p").first
    assert "Keuzes: Opzet, Grove schuld, Normaal verwijtbaar, Verminderd verwijtbaar, Niet verwijtbaar" == (
        options.text_content()
    )
    page.locator("#advice-decisions a", has_text="Hoeveel valt de inwoner te verwijten?").click()
    assert "f-culpability.confirmed" == page.evaluate("document.activeElement.id")
    not_on_form = page.locator("#advice-missing li > span:first-child").count()
    assert (0, len(links) >= 3) == (not_on_form, True)


@pytest.fixture
def testdorp(tmp_path: Path) -> Engine:
    from test_fields import declaring_pack

    return Engine(policy_dir=declaring_pack(tmp_path), municipality="testdorp")


def test_a_fact_declared_only_in_a_pack_gets_a_field_without_page_code(
    browser: Browser, testdorp: Engine, tmp_path: Path
) -> None:
    """A municipal pack (made up here) declares a fact over earlier warnings without a loss: the history rows
    get the field that fact tests, and when it is unknown the advice asks it as a question that links to the
    row's field, with the pack's own words; the page's code names neither."""
    source = (ROOT_STATIC / "app.js").read_text(encoding="utf-8")
    assert ("testdorp" in source, "without_loss" in source) == (False, False)
    with running(testdorp, tmp_path / "audit.sqlite") as server:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL", bypass_csp=True)
        page = context.new_page()
        page.goto(server.url + "/")
        fill_example_case(page)
        add_sanction(page, "waarschuwing", "01-06-2019", "01-07-2019")
        field = page.get_by_label("Eerdere overtreding zonder benadelingsbedrag")
        assert ("f-history.0.without_loss", "") == (field.get_attribute("id"), field.input_value())
        ask_advice(page)
        item = page.locator("#advice-missing li", has_text="Eerdere sanctie 1: Was er bij de eerdere overtreding")
        assert "Testdorp: eerder een waarschuwing gekregen" in (item.text_content() or "")
        item.locator("a").click()
        assert "f-history.0.without_loss" == page.evaluate("document.activeElement.id")
        assert [] == violations(run_axe(page))
        context.close()


@pytest.mark.parametrize(("width", "height", "lang"), [(1366, 768, "nl"), (390, 844, "nl"), (390, 844, "en")])
def test_axe_finds_no_violation_with_history_rows_and_linked_questions(
    page: Page, width: int, height: int, lang: str
) -> None:
    """With two rows of earlier sanctions, an error at a row's field and the advice's questions shown, axe-core
    finds no WCAG 2.1 AA violation at 1366x768 and at 390x844 (also in English), and nothing scrolls sideways
    on the phone; the Dutch form shows no identifier."""
    page.set_viewport_size({"width": width, "height": height})
    fill_example_case(page)
    page.get_by_label("Verwijtbaarheid, door u vastgesteld").select_option("")
    add_sanction(page, "boete", "01-03-2022", "")
    add_sanction(page, "strafrechtelijke_sanctie", "01-03-2021", "01-09-2021")
    ask_advice(page)
    if lang == "en":
        page.get_by_role("button", name="English").click()
        assert page.get_by_label("Date it became final").count() == 2
    else:
        form_text = page.inner_text("#case-fields") + " ".join(
            page.eval_on_selector_all("#case-fields option", "els => els.map(e => e.textContent)")
        )
        assert [] == [w for w in form_text.split() if "_" in w]
    page.locator("#f-history\\.1\\.final_on").fill("31-02-2021")
    page.get_by_role("button", name="Advies vragen" if lang == "nl" else "Get advice").click()
    page.locator("#case-errors").wait_for(state="visible")
    width_seen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width_seen[0] <= width_seen[1]
    shot(page, f"history-{width}-{lang}", full_page=True)
    result = run_axe(page)
    assert [] == violations(result)
    assert {"label", "color-contrast"} <= passed(result)


@pytest.mark.parametrize("example", ["04-ioaw-schuld-onbekend.json", "06-jeugdwet-gevaar.json"])
def test_an_uploaded_history_fills_the_rows_and_reaches_the_advice_unchanged(
    page: Page, engine: Engine, example: str
) -> None:
    """An uploaded case's earlier sanctions (an IOAW warning) or earlier measures (a Jeugdwet improvement plan)
    fill one row each, with Dutch dates; the advice on the form is the library's advice on the file."""
    upload_case(page, example)
    page.wait_for_selector("#f-history\\.0\\.kind")
    data = json.loads((EXAMPLES / example).read_text())
    entry = data["history"][0]
    day = entry.get("final_on") or entry["taken_on"]
    shown = [
        page.input_value(f"#f-history\\.0\\.{name}")
        for name in ("kind", "final_on" if "final_on" in entry else "taken_on")
    ]
    assert (1, [entry["kind"], "-".join(reversed(day.split("-")))]) == (page.locator("fieldset.row").count(), shown)
    ask_advice(page)
    receipt = (page.text_content("#advice-receipt") or "").split(": ")[1]
    assert engine.advise(data).receipt == receipt


def test_an_uploaded_history_that_is_no_list_is_an_error_never_dropped(page: Page) -> None:
    """An uploaded case whose history is not a list of entries is sent as it is: the API's refusal is shown
    in Dutch at the earlier sanctions, and no advice is given on a case without them."""
    case = example_01_as_typed()
    case["history"] = {"kind": "boete"}
    page.get_by_text("Zaak uploaden of plakken (JSON)").click()
    page.get_by_label("Zaak als JSON").fill(json.dumps(case))
    page.get_by_role("button", name="In het formulier zetten").click()
    page.wait_for_function("document.getElementById('f-law').value !== ''")
    page.get_by_role("button", name="Advies vragen").click()
    page.locator("#case-errors").wait_for(state="visible")
    items = page.eval_on_selector_all(
        "#case-errors li a", "els => els.map(e => [e.getAttribute('href'), e.textContent])"
    )
    assert [("#add-row", "Eerdere sancties: deze waarde klopt niet. Controleer wat u hebt ingevuld.")] == [
        tuple(i) for i in items
    ]
    assert page.locator("#advice-measure").count() == 0
