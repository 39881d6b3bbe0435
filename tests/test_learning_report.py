# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The learning report over a generated audit store with known decisions: trends, departures and how
far, fines lower than advised, flags, causes with the municipality's role and follow-ups; the CSV
export and the SVG chart; and the same over HTTP, with who may read it."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from http_support import SECRET, call, running
from report_support import generate

from maatwerk import Engine
from maatwerk.audit import (
    AuditStore,
    learning_report,
    render_report,
    report_csv,
    report_rows,
    report_svg,
    vocabulary,
)
from maatwerk.http import Service

V1 = "/api/v1"


@pytest.fixture(scope="module")
def names(engine: Engine) -> dict[str, Any]:
    return vocabulary(engine)


@pytest.fixture
def store(tmp_path: Path) -> AuditStore:
    return generate(tmp_path / "audit.sqlite")


def report(store: AuditStore, names: dict[str, Any], **query: Any) -> dict[str, Any]:
    return learning_report(store.records(), names=names, **query)


def test_the_trend_has_one_entry_per_month_with_empty_months_included(store: AuditStore, names: Any) -> None:
    """January to May: decisions, departures and euros lower than advised per month; March is empty."""
    trend = report(store, names)["trend"]
    assert [
        ("2026-01", 2, 1, "300.00"),
        ("2026-02", 2, 2, "600.00"),
        ("2026-03", 0, 0, "0.00"),
        ("2026-04", 3, 3, "840.00"),
        ("2026-05", 1, 1, "0.00"),
    ] == [(p["period"], p["decisions"], p["departures"], p["lower_total"]) for p in trend]


def test_per_quarter_the_trend_sums_the_months(store: AuditStore, names: Any) -> None:
    """Per quarter: Q1 holds four decisions (three departures), Q2 four (four)."""
    trend = report(store, names, period="quarter")["trend"]
    assert [("2026-Q1", 4, 3), ("2026-Q2", 4, 4)] == [(p["period"], p["decisions"], p["departures"]) for p in trend]


def test_totals_say_how_far_the_decisions_departed_in_measures_and_in_euros(store: AuditStore, names: Any) -> None:
    """Seven departures: three lighter (one step each), two heavier (two steps each), two the same
    measure with another amount; the decided fines were 1740 euros lower in three decisions and 3100
    euros higher in two."""
    totals = report(store, names)["totals"]
    dev = totals["deviations"]
    assert (8, 7, 3, 2, 2, {"-1": 3, "2": 2}) == (
        totals["decisions"],
        dev["count"],
        dev["lighter"],
        dev["heavier"],
        dev["same_measure"],
        dev["steps"],
    )
    assert {
        "advised_total": "3880.00",
        "decided_total": "5240.00",
        "lower": {"count": 3, "total": "1740.00"},
        "higher": {"count": 2, "total": "3100.00"},
    } == totals["amounts"]


def test_each_departure_is_listed_with_its_reason_direction_steps_and_euros(store: AuditStore, names: Any) -> None:
    """The departures by record number, oldest first."""
    rows = report(store, names)["departures"]
    assert [
        (2, "draagkracht", "same_measure", 0, "-300.00"),
        (3, "rol_gemeente", "lighter", -1, "-600.00"),
        (4, "dringende_redenen", "lighter", -1, None),
        (5, "anders", "heavier", 2, "500.00"),
        (6, "fout_in_advies", "same_measure", 0, "2600.00"),
        (7, "nieuwe_feiten", "lighter", -1, "-840.00"),
        (8, "beleid_past_niet", "heavier", 2, None),
    ] == [(r["record"], r["reason_category"], r["direction"], r["steps"], r["euro_difference"]) for r in rows]


def test_unlawful_above_maximum_and_inconsistent_decisions_are_flagged(store: AuditStore, names: Any) -> None:
    """A measure the advice found not lawful (5), an amount above the maximum (6), and the same receipt
    decided as a fine (1) and as a warning (7)."""
    flagged = report(store, names)["flagged"]
    assert [(1, ["inconsistent"]), (5, ["not_lawful"]), (6, ["above_maximum"]), (7, ["inconsistent"])] == [
        (r["record"], r["flags"]) for r in flagged
    ]


def test_a_decision_is_flagged_inconsistent_even_when_the_other_lies_outside_the_period(
    store: AuditStore, names: Any
) -> None:
    """April only: decision 7 is flagged, its twin (1, in January) is not counted."""
    april = report(store, names, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))
    assert ([5, 6, 7], [5, 6, 7], 3) == (
        [r["record"] for r in april["departures"]],
        [r["record"] for r in april["flagged"]],
        april["totals"]["decisions"],
    )


def test_the_period_filter_counts_only_its_days_and_its_trend_spans_the_chosen_days(
    store: AuditStore, names: Any
) -> None:
    """1 February to 31 March: decisions 3 and 4; the trend shows February and the empty March."""
    chosen = report(store, names, start=dt.date(2026, 2, 1), end=dt.date(2026, 3, 31))
    assert ([3, 4], [("2026-02", 2), ("2026-03", 0)], "600.00") == (
        [r["record"] for r in chosen["departures"]],
        [(p["period"], p["decisions"]) for p in chosen["trend"]],
        chosen["totals"]["amounts"]["lower"]["total"],
    )


def test_the_first_and_last_day_are_included(store: AuditStore, names: Any) -> None:
    """A period of one day holds that day's decision."""
    one = report(store, names, start=dt.date(2026, 1, 20), end=dt.date(2026, 1, 20))
    assert [2] == [r["record"] for r in one["departures"]]


def test_causes_carry_the_municipalitys_role_and_the_follow_ups_it_led_to(store: AuditStore, names: Any) -> None:
    """Per cause: decisions, how often the municipality's role played a part, and the follow-ups."""
    causes = {c["cause"]: c for c in report(store, names)["causes"]}
    assert (2, 1, {"procesfout_melden": 1}) == (
        causes["te_late_melding"]["decisions"],
        causes["gemeentelijk_proces"]["municipality_role"],
        causes["gemeentelijk_proces"]["followups_with_role"],
    )
    assert {"melden_makkelijker": 2} == causes["te_late_melding"]["followups"]


def test_the_names_come_from_the_packs_in_their_order(names: Any) -> None:
    """The benefit measures lightest first, with their labels; a cause by the reason of its rule."""
    assert (["geen_boete", "waarschuwing", "boete", "aangifte"], "Schriftelijke waarschuwing") == (
        list(names["measures"]["benefits"]),
        names["measures"]["benefits"]["waarschuwing"]["nl"],
    )
    assert "De oorzaak ligt (mede) in het proces van de gemeente." == names["causes"]["gemeentelijk_proces"]["nl"]


def test_the_csv_has_one_row_per_decision_in_dutch_words(store: AuditStore, names: Any) -> None:
    """In Dutch: ; between cells, decimal commas, measure and reason names from the packs."""
    text = report_csv(report_rows(store.records(), names=names), names, "nl")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Besluitnummer", "Datum", "Periode", "Geadviseerde maatregel", "Geadviseerd bedrag"] == rows[0][:5]
    assert [
        "3",
        "2026-02-05",
        "2026-02",
        "Boete",
        "600,00",
        "Schriftelijke waarschuwing",
        "",
        "ja",
        "rol van de gemeente",
        "lichter",
        "-1",
        "-600,00",
        "De oorzaak ligt (mede) in het proces van de gemeente.",
        "ja",
        names["followups"]["procesfout_melden"]["nl"],
        "",
        "nl-benefits@2013-01-01",
    ] == rows[3]
    assert (9, "dezelfde feiten anders besloten") == (len(rows), rows[7][15])


def test_the_csv_in_english_uses_commas_and_decimal_points(store: AuditStore, names: Any) -> None:
    """In English: , between cells, a decimal point, English names."""
    text = report_csv(report_rows(store.records(), names=names, start=dt.date(2026, 1, 20)), names, "en")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["2", "Fine", "1200.00", "Fine", "900.00", "yes", "ability to pay", "same measure, other amount"] == [
        rows[1][i] for i in (0, 3, 4, 5, 6, 7, 8, 9)
    ]


def test_a_text_cell_is_never_read_as_a_formula() -> None:
    """A name that starts like a formula is written with a leading apostrophe."""
    evil = {"measures": {"benefits": {"boete": {"nl": "=HYPERLINK(1)", "en": "x"}}}}
    line = report_csv(
        [
            {
                "record": 1,
                "day": "2026-01-01",
                "period": "2026-01",
                "packs": "p@1",
                "advised": "boete",
                "advised_amount": None,
                "decided": "boete",
                "decided_amount": None,
                "departure": False,
                "reason_category": None,
                "direction": None,
                "steps": None,
                "euro_difference": None,
                "cause": "onbekend",
                "municipality_role": False,
                "followups": [],
                "flags": [],
            }
        ],
        evil,
        "nl",
    ).splitlines()[1]
    assert "'=HYPERLINK(1)" == line.split(";")[3]


def test_the_chart_is_an_svg_with_a_title_a_description_and_labelled_bars(store: AuditStore, names: Any) -> None:
    """Parsed as XML: role img, labelled by its title and description; the description gives the
    totals in words; each month is named and each bar carries its number."""
    svg = report_svg(report(store, names), "nl")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert ("img", "chart-title chart-desc", "Besluiten en afwijkingen per periode") == (
        root.get("role"),
        root.get("aria-labelledby"),
        root.findtext(f"{ns}title"),
    )
    assert "In totaal 8 besluiten, 7 afwijkingen, € 1.740,00 lager dan geadviseerd." in (
        root.findtext(f"{ns}desc") or ""
    )
    assert (True, True, 2) == ("mrt 2026" in texts, "Afgeweken" in texts, texts.count("mei 2026"))


def test_the_chart_in_english(store: AuditStore, names: Any) -> None:
    """The English chart names the months and the series in English."""
    root = ET.fromstring(report_svg(report(store, names, period="quarter"), "en"))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert (True, True) == ("Q2 2026" in texts, "Departed" in texts)


def test_the_text_report_names_measures_in_words(store: AuditStore, names: Any) -> None:
    """`maatwerk audit report` prints measure and reason names, not ids."""
    text = render_report(report(store, names, period="year"))
    assert ("Schriftelijke waarschuwing" in text, "geen_boete" in text, "Boetes lager dan geadviseerd: 3" in text) == (
        True,
        False,
        True,
    )


# --- over HTTP ------------------------------------------------------------------------------------


@pytest.fixture
def service(engine: Engine, tmp_path: Path) -> Iterator[Service]:
    generate(tmp_path / "audit.sqlite", SECRET).close()
    with running(engine, tmp_path / "audit.sqlite") as server:
        yield server


def test_the_csv_export_over_http_is_an_attachment_in_utf8_with_a_byte_order_mark(service: Service) -> None:
    """GET /learning-report/export: text/csv, named after its days, the rows of the chosen period."""
    answer = call(service, "GET", f"{V1}/learning-report/export?from=2026-04-01&to=2026-04-30&lang=nl")
    text = answer.body.decode("utf-8")
    assert (200, "text/csv; charset=utf-8", 'attachment; filename="leerrapport-2026-04-01-2026-04-30.csv"') == (
        answer.status,
        answer.headers["content-type"],
        answer.headers["content-disposition"],
    )
    assert (True, ["5", "6", "7"]) == (
        text.startswith("\ufeffBesluitnummer;"),
        [line.split(";")[0] for line in text.splitlines()[1:]],
    )


def test_the_chart_over_http_is_svg(service: Service) -> None:
    """GET /learning-report/chart gives the SVG of the chosen period, in the language asked."""
    answer = call(service, "GET", f"{V1}/learning-report/chart?period=quarter&lang=en")
    root = ET.fromstring(answer.body)
    assert (200, "image/svg+xml; charset=utf-8", "Decisions and departures per period") == (
        answer.status,
        answer.headers["content-type"],
        root.findtext("{http://www.w3.org/2000/svg}title"),
    )


def test_the_report_over_http_carries_the_words(service: Service) -> None:
    """The JSON report names the measures from the packs, for the page."""
    answer = call(service, "GET", f"{V1}/learning-report?from=2026-01-01&to=2026-12-31")
    assert ("Schriftelijke waarschuwing", 8) == (
        answer.json["names"]["measures"]["benefits"]["waarschuwing"]["nl"],
        answer.json["totals"]["decisions"],
    )


@pytest.mark.parametrize("path", ["learning-report/export", "learning-report/chart"])
def test_a_bad_query_is_400_naming_each_parameter(service: Service, path: str) -> None:
    """An unknown language, period and date are each located; an unknown parameter too."""
    answer = call(service, "GET", f"{V1}/{path}?lang=de&period=week&from=1-1-2026&colour=red")
    assert (400, {"lang", "period", "from", "colour"}) == (
        answer.status,
        {p["name"] for p in answer.json["invalidParams"]},
    )
