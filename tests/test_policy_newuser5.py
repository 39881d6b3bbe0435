# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What a fifth policy advisor met writing two real policies from the docs alone (Peel en Maas's fine
rules of 2017 and 2019, CVDR422979 and CVDR624239; Raalte's of 2015, CVDR392074) and trying to exceed
the law on purpose: a declared fact's window read from a parameter of 100000 years loaded and made
every advice of the municipality fail with an engine error (a window written as a number is held to
0-100, one read from a parameter was not), and so did an amount's share of 10^32 percent and a what-if
that set any amount (read as text, not as money); an amount of 10^29 euro in a condition made `maatwerk check` itself
fail with a traceback; and an include outside the policy folder, or of a file
that is not there, got the hint to save the file as UTF-8; a dated value under a delta's change.values
got the hint that it is often a typo."""

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import valid_case
from test_policy_national_items import edit, line_of, problems_of

from maatwerk import Engine
from maatwerk._policy.analysis import load_hint
from maatwerk._policy.loader import load_directory

LEEUWARDEN = Path("benefits") / "leeuwarden-benefits" / "2015-01-01.yaml"
TERM = "values: [{from: 2015-01-01, value: 2}]"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("100000", "100000 from 2015-01-01"),  # loaded, and every advice failed (ValueError)
        ("-3", "-3 from 2015-01-01"),  # loaded: a window after the date, which no entry can lie in
        ("101", "101 from 2015-01-01"),  # one more than a window written as a number may span
    ],
)
def test_a_declared_facts_window_read_from_a_parameter_is_held_to_the_written_bound(
    policy_copy: Path, value: str, said: str
) -> None:
    """Leeuwarden counts back ``{param: leeuwarden_herhaling_termijn_jaren}`` years (art. 3.1.4). A
    window written as a number spans 0-100 of its unit; read from a parameter it is held to the same,
    on every day, and refused at the window's reference to the parameter, naming the value and its day."""
    file = edit(policy_copy, TERM, f"values: [{{from: 2015-01-01, value: {value}}}]", path=LEEUWARDEN)
    [(where, code, message)] = problems_of(policy_copy)
    assert (
        f"{file}:{line_of(file, 'years: {param: leeuwarden_herhaling_termijn_jaren}')}",
        "POLICY_INVALID_VALUE",
    ) == (
        where,
        code,
    )
    assert message == (
        "a window's span is a whole number of years from 0 to 100, written or read from a parameter; "
        f"leeuwarden_herhaling_termijn_jaren is {said}: a longer span cannot be counted back from a case's "
        "date, a negative one is no window before it"
    )
    assert load_hint(code, message).startswith("Give the parameter a whole number in the window's unit, from 0 to 100")


def test_a_later_value_of_the_windows_parameter_is_held_to_the_bound_too(policy_copy: Path) -> None:
    """A value from a later day is checked like the first: every day's span must be countable."""
    edit(
        policy_copy,
        TERM,
        "values: [{from: 2015-01-01, value: 2}, {from: 2020-01-01, value: 100000}]",
        path=LEEUWARDEN,
    )
    [(_, code, message)] = problems_of(policy_copy)
    assert ("POLICY_INVALID_VALUE", True) == (
        code,
        "leeuwarden_herhaling_termijn_jaren is 100000 from 2020-01-01" in message,
    )


def test_a_window_of_a_hundred_years_from_a_parameter_still_loads_and_advises(policy_copy: Path) -> None:
    """The bound is the written one: 100 years loads, and the municipality's cases are advised."""
    edit(policy_copy, TERM, "values: [{from: 2015-01-01, value: 100}]", path=LEEUWARDEN)
    advice = Engine(policy_copy, municipality="leeuwarden").advise(valid_case())
    assert "boete" == advice.measure.kind


SOURCES = "sources:\n"


@pytest.mark.parametrize(
    ("target", "code", "says", "hint"),
    [
        (
            "../../../elders/_gedeeld/sources.yaml",
            "POLICY_UNREADABLE",
            "lies outside the policy folder: an include is not read there",
            "Put the shared part inside the policy folder, in a folder whose name starts with _",
        ),
        (
            "/etc/_gedeeld/sources.yaml",
            "POLICY_INVALID_VALUE",
            "include names a .yaml file by its path relative to this file",
            "Write the path from this file's folder to a .yaml file in a folder whose name starts with _",
        ),
        (
            "../_gedeeld/bronnen.yaml",
            "POLICY_UNREADABLE",
            "the included file ../_gedeeld/bronnen.yaml does not exist",
            "Correct the path (it is read from this file's folder) or create the file",
        ),
    ],
)
def test_an_include_that_cannot_be_read_says_where_a_shared_part_goes(
    policy_copy: Path, target: str, code: str, says: str, hint: str
) -> None:
    """A shared part outside the policy folder is never read (a reviewer of the folder would not see
    it); the hint says where a shared part goes, not to save the file as UTF-8."""
    file = policy_copy / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index(SOURCES)
    end = text.index("\n\n", start)
    file.write_text(text[:start] + f"sources: {{include: {target}}}" + text[end:], encoding="utf-8")
    problems = problems_of(policy_copy)
    assert (code, True) == (problems[0][1], says in problems[0][2])
    assert problems[0][0] == f"{file}:{line_of(file, 'sources: {include:')}"
    assert load_hint(code, problems[0][2]).startswith(hint)
    assert "UTF-8" not in load_hint(code, problems[0][2])


ROTTERDAM = Path("benefits") / "rotterdam-benefits" / "2021-07-07.yaml"
SHARE = "values: [{from: 2021-07-07, value: 35}]"


def test_an_amounts_share_of_an_input_is_at_most_ten_times_the_input(policy_copy: Path) -> None:
    """Rotterdam's repayment per month is 5% of the norm plus 35% of the income above it (art. 9 lid 7).
    A share of 10^32 percent loaded and made every such advice fail (InvalidOperation); a share above
    1000 percent is refused at the amount's reference to the parameter, naming the value and its day."""
    file = edit(policy_copy, SHARE, "values: [{from: 2021-07-07, value: 99999999999999999999999999999999}]", ROTTERDAM)
    [(where, code, message)] = problems_of(policy_copy)
    reference = "percent: rotterdam_aflossing_percentage_boven_norm}"
    assert (f"{file}:{line_of(file, reference)}", "POLICY_INVALID_VALUE") == (where, code)
    assert message.startswith(
        "rotterdam_aflossing_percentage_boven_norm is 99999999999999999999999999999999 from 2021-07-07; a share "
        "of an input is at most 1000 percent (ten times the input)"
    )
    assert load_hint(code, message).startswith("Give the percent parameter a value from 0 to 1000 on every day")


def test_a_share_of_a_thousand_percent_loads(policy_copy: Path) -> None:
    """The bound itself loads: 1000% of the income above the norm is ten times it."""
    edit(policy_copy, SHARE, "values: [{from: 2021-07-07, value: 1000}]", ROTTERDAM)
    assert any("rotterdam-benefits" in str(key) for key in load_directory(policy_copy))


WHAT_IF = """verdict:
  what_ifs:
    - id: lansingerland_ander_bedrag
      set: {{benefit_loss: "{amount}"}}
      change: {{nl: "Bij een ander benadelingsbedrag", en: "With another loss"}}
      effect: {{nl: "wordt het advies: {{value:probe_measure}}", en: "the advice becomes: {{value:probe_measure}}"}}
"""


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("-500.00", "benefit_loss: an amount of money may not be negative"),  # every advice failed (TypeError)
        ("5000000000.00", "benefit_loss: an amount of money may not exceed 1000000000.00"),  # likewise
    ],
)
def test_a_what_if_sets_an_amount_a_case_could_hold(policy_copy: Path, amount: str, says: str) -> None:
    """A what-if changes a fact of the case and works the rules out again: its amount is one a case
    could hold, else it is refused at the value (it loaded, and then every advice of the municipality
    failed with an engine error)."""
    file = edit(policy_copy, "followups:\n", WHAT_IF.format(amount=amount) + "\nfollowups:\n")
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'set: {benefit_loss:')}", "POLICY_INVALID_VALUE") == (where, code)
    assert f"{says}: a what-if sets an amount a case could hold" == message
    assert load_hint(code, message).startswith("Write the amount as a case could hold it")


def test_a_what_if_with_an_amount_a_case_holds_is_worked_out(policy_copy: Path) -> None:
    """A what-if of €0.00 loads and is worked out on the example case (a fine of €840.90): without a
    loss the law allows a warning, which Lansingerland prefers. (Any amount a what-if set was read as
    text, and every advice failed with a TypeError.)"""
    edit(policy_copy, "followups:\n", WHAT_IF.format(amount="0.00") + "\nfollowups:\n")
    advice = Engine(policy_copy).advise(valid_case())
    changes = {c.change.nl: c.effect.nl for c in advice.what_would_change}
    assert ("boete", True) == (advice.measure.kind, "Bij een ander benadelingsbedrag" in changes)
    assert "wordt het advies: schriftelijke waarschuwing" == changes["Bij een ander benadelingsbedrag"]


@pytest.mark.parametrize("place", ["condition", "what-if"])
def test_an_amount_beyond_any_case_in_a_pack_is_refused_not_a_traceback(policy_copy: Path, place: str) -> None:
    """`{fact: benefit_loss, gt: "99999999999999999999999999999.00"}` in a rule, or that amount in a
    what-if, made loading (and `maatwerk check`) fail with decimal.InvalidOperation; it is refused at the
    value, located, like any amount that is not one."""
    huge = "99999999999999999999999999999.00"
    if place == "condition":
        file = edit(policy_copy, "when: {fact: culpability, eq: opzet}", f'when: {{fact: benefit_loss, gt: "{huge}"}}')
        needle = "when: {fact: benefit_loss"
    else:
        file = edit(policy_copy, "followups:\n", WHAT_IF.format(amount=huge) + "\nfollowups:\n")
        needle = "set: {benefit_loss:"
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, needle)}", "POLICY_TYPE_MISMATCH") == (where, code)
    assert f"benefit_loss: expected an amount in euros, got '{huge}': far larger than any amount a case can hold" == (
        message
    )


DELTA = """schema_version: 1
extends: 2015-01-01
pack:
  id: leeuwarden-benefits
  domain: benefits
  layer: municipal
  base: nl-benefits
  municipality: leeuwarden
  valid_from: 2027-01-01
  title: {{nl: "Leeuwarden 2027", en: "Leeuwarden 2027"}}
  publisher: Gemeente Leeuwarden
  source: leeuwarden_3_1_4
{section}:
  values:
    leeuwarden_herhaling_termijn_jaren: [{{from: 2027-01-01, value: 3}}]
"""


@pytest.mark.parametrize(
    ("section", "hint"),
    [("change", "A delta adds dated values under add.values"), ("remove", "A delta does not remove dated values")],
)
def test_dated_values_under_change_or_remove_in_a_delta_get_a_hint_to_add_them(
    policy_copy: Path, section: str, hint: str
) -> None:
    """A new user wrote a new dated value of a parameter under change.values (as the delta's other
    sections read); the hint said it is often a typo. It now says where dated values go."""
    file = policy_copy / "benefits" / "leeuwarden-benefits" / "2027-01-01.yaml"
    file.write_text(DELTA.format(section=section), encoding="utf-8")
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'leeuwarden_herhaling_termijn_jaren:')}", "POLICY_UNKNOWN_FIELD") == (where, code)
    assert f"{section}.values: Extra inputs are not permitted" == message
    assert load_hint(code, message).startswith(hint)


def test_a_follow_up_for_someone_outside_the_case_is_refused_at_its_audience(policy_copy: Path) -> None:
    """A benefits follow-up addressed to a care provider loaded (found by the fifth rehearsal): a
    follow-up of a benefits case is for the resident or the municipality, of a provider's case for the
    provider or the municipality. Refused at the audience, saying whom the domain's follow-ups address."""
    file = edit(
        policy_copy,
        "    principles: [P3, P4]\n\n",
        "    principles: [P3, P4]\n    audience: zorgaanbieder\n\n",
        path=Path("benefits") / "lansingerland-benefits" / "2024-01-01.yaml",
    )
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'audience: zorgaanbieder')}", "POLICY_INVALID_VALUE") == (where, code)
    assert message == (
        "follow-up gesprek_na_waarschuwing is addressed to 'zorgaanbieder', who takes no part in a benefits "
        "case (without audience: 'inwoner'); write audience: one of inwoner, gemeente"
    )


def test_a_provider_follow_up_without_an_audience_is_refused_as_one_for_a_resident(policy_copy: Path) -> None:
    """Without ``audience`` a follow-up is for the resident ('inwoner'), who takes no part in a
    provider's case: refused at the follow-up, which says to name the provider or the municipality."""
    file = edit(
        policy_copy,
        "    principles: [P4]\n    audience: gemeente\n",
        "    principles: [P4]\n",
        path=Path("providers") / "lansingerland-wmo2015" / "2024-01-01.yaml",
    )
    [(where, code, message)] = problems_of(policy_copy)
    # located at the follow-up's first line (it has no audience line to point at)
    assert (f"{file}:{line_of(file, 'casusoverleg_ggd:') + 1}", "POLICY_INVALID_VALUE") == (where, code)
    assert message.endswith("write audience: one of zorgaanbieder, gemeente")
