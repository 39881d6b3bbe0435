# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Bounds the law sets on what a municipality chooses, where a value alone is not enough.

For care providers (Wmo 2015, Jeugdwet) a municipality chooses the terms and amounts of a last onder
dwangsom, but the Awb still binds it: a last to end a violation sets a period to comply (art. 5:32a
lid 2), a dwangsom has a maximum (art. 5:32b lid 2), and a range of amounts per week has a lower end
that is not above its upper end. Without these bounds a municipal pack loaded with a period of 0
days, a maximum of 0 weeks, or a range of €20.000 to €10.000, and the advice showed them. In the
benefits pack a longer delay of the proceedings never gets a smaller reduction of the fine. Each is
refused at its line, naming the bound and its source."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_policy_national_items import line_of, problems_of

from maatwerk._policy.analysis import load_hint
from maatwerk._policy.loader import load_directory

WMO = Path("providers") / "lansingerland-wmo2015" / "2024-01-01.yaml"
NATIONAL = Path("providers") / "nl-wmo2015" / "2015-01-01.yaml"


def set_parameters(root: Path, **values: str) -> Path:
    """Give the Lansingerland Wmo pack parameters of the national pack's names, from 2024."""
    file = root / WMO
    text = file.read_text(encoding="utf-8")
    lines = ["parameters:"]
    for name, value in values.items():
        unit = "eur" if name.startswith("dwangsom_week") else "count" if name == "dwangsom_max_weken" else "days"
        lines += [
            f"  {name}:",
            f"    unit: {unit}",
            "    date_basis: decision",
            "    source: lansingerland_beleid",
            '    description: {nl: "Onze keuze", en: "Our choice"}',
            f"    values: [{{from: 2024-01-01, value: {value}}}]",
        ]
    assert "\nfollowups:\n" in text
    file.write_text(text.replace("\nfollowups:\n", "\n" + "\n".join(lines) + "\n\nfollowups:\n", 1), encoding="utf-8")
    return file


@pytest.mark.parametrize(
    ("name", "bound", "source"),
    [
        ("begunstigingstermijn_dagen", "1", "art. 5:32 en 5:32a"),
        ("begunstigingstermijn_spoed_dagen", "1", "art. 5:31"),
        ("dwangsom_max_weken", "1", "art. 5:32b"),
        ("verbeterplan_termijn_dagen", "1", "maatwerk"),
    ],
)
def test_a_term_or_maximum_of_nothing_is_refused(policy_copy: Path, name: str, bound: str, source: str) -> None:
    """A period of 0 days to comply, to submit a plan, or a maximum of 0 weeks: below the bound of 1."""
    file = set_parameters(policy_copy, **{name: "0"})
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, f'{name}:') + 5}", "POLICY_NOT_DELEGATED") == (where, code)
    assert message.startswith(f"{name} = 0 from 2024-01-01 is below the bound ({bound}; ")
    assert source in message


@pytest.mark.parametrize("name", ["dwangsom_week_beperkt_min", "dwangsom_week_ernstig_max"])
def test_a_penalty_of_nothing_a_week_is_refused(policy_copy: Path, name: str) -> None:
    """A dwangsom of €0 a week is no dwangsom."""
    set_parameters(policy_copy, **{name: '"0.00"'})
    messages = [m for _, code, m in problems_of(policy_copy) if code == "POLICY_NOT_DELEGATED"]
    assert any(m.startswith(f"{name} = 0.00 from 2024-01-01 is below the bound (0.01; ") for m in messages)


def test_a_lower_end_above_the_laws_upper_end_is_refused_at_the_lower_end(policy_copy: Path) -> None:
    """A municipality that sets only the lower end of the serious range above the national upper
    end (€10.000) is refused at its own value, with both figures and a hint that says what to do."""
    file = set_parameters(policy_copy, dwangsom_week_ernstig_min='"20000.00"')
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'dwangsom_week_ernstig_min:') + 5}", "POLICY_NOT_DELEGATED") == (where, code)
    assert message.startswith(
        "dwangsom_week_ernstig_min = 20000.00 is above dwangsom_week_ernstig_max = 10000.00 on 2024-01-01 ("
    )
    assert message.endswith(
        "is the lower end of a range whose upper end is dwangsom_week_ernstig_max, and may never be above it"
    )
    assert load_hint(code, message).startswith("Lower the lower end or raise the upper end")


def test_an_upper_end_below_the_laws_lower_end_is_refused_at_the_upper_end(policy_copy: Path) -> None:
    """Setting only the upper end below the national lower end (€500) is refused at the upper end."""
    file = set_parameters(policy_copy, dwangsom_week_beperkt_max='"100.00"')
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'dwangsom_week_beperkt_max:') + 5}", "POLICY_NOT_DELEGATED") == (where, code)
    assert message.startswith("dwangsom_week_beperkt_min = 500.00 is above dwangsom_week_beperkt_max = 100.00")


def test_both_ends_set_in_order_load(policy_copy: Path) -> None:
    """A range of the municipality's own, in order and within the bounds, is its choice."""
    set_parameters(
        policy_copy,
        dwangsom_week_ernstig_min='"12000.00"',
        dwangsom_week_ernstig_max='"15000.00"',
        begunstigingstermijn_dagen="28",
    )
    load_directory(policy_copy)


def test_a_national_range_out_of_order_is_refused_in_the_national_pack(policy_copy: Path) -> None:
    """The national pack is held to its own ranges too."""
    file = policy_copy / NATIONAL
    text = file.read_text(encoding="utf-8")
    old = 'values: [{from: 2015-01-01, value: "2500.00", note: "beleidskeuze; geen wettelijk bedrag"}]}'
    assert text.count(old) == 2  # the upper end of the limited range, the lower end of the serious one
    file.write_text(text.replace(old, old.replace("2500.00", "99.00"), 1), encoding="utf-8")
    found = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, '  dwangsom_week_beperkt_min:')}", "POLICY_INVALID_VALUE") in {
        (w, c) for w, c, _ in found
    }


def test_an_upper_end_that_is_no_parameter_is_refused_with_a_suggestion(policy_copy: Path) -> None:
    """not_above names a parameter of the same pack; a typo is told, with the name it was close to."""
    file = policy_copy / NATIONAL
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text.replace("not_above: dwangsom_week_ernstig_max", "not_above: dwangsom_week_ernstig_maxx", 1),
        encoding="utf-8",
    )
    found = problems_of(policy_copy)
    assert (
        f"{file}:{line_of(file, '  dwangsom_week_ernstig_min:')}",
        "POLICY_UNKNOWN_PARAMETER",
        "'dwangsom_week_ernstig_maxx' is not a parameter of this pack (did you mean 'dwangsom_week_ernstig_max'?)",
    ) in found


def test_a_longer_delay_never_gets_a_smaller_reduction(policy_copy: Path) -> None:
    """The same fence in the benefits pack: a municipality may reduce a fine more than the courts do
    for overly long proceedings, but a reduction of 50% up to half a year and 10% up to a year
    (the national value) would treat the longer delay worse. Refused at the municipality's value."""
    file = policy_copy / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    text = file.read_text(encoding="utf-8")
    assert "\nparameters:\n" in text
    file.write_text(
        text.replace(
            "\nparameters:\n",
            "\nparameters:\n  termijnoverschrijding_korting_halfjaar:\n    unit: percent\n    date_basis: decision\n"
            "    source: lansingerland_beleid\n    description: {nl: Korting, en: Reduction}\n"
            "    values: [{from: 2024-01-01, value: 50}]\n",
            1,
        ),
        encoding="utf-8",
    )
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'termijnoverschrijding_korting_halfjaar:') + 5}", "POLICY_NOT_DELEGATED") == (
        where,
        code,
    )
    assert message.startswith(
        "termijnoverschrijding_korting_halfjaar = 50 is above termijnoverschrijding_korting_jaar = 10 on 2024-01-01"
    )
