# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What a fourth policy advisor met writing two real policies from the docs alone (Fijnder's fine
rules of 2022, CVDR672846; Weert's of 2018, CVDR610908) and trying to exceed the law on purpose: an
id written with a letter of another alphabet that looks like a Latin one (``recіdive`` with a
Cyrillic ``і`` beside the national rule ``recidive``, or a parameter that reads like the national
``waarschuwing_max_benadeling``) was refused with only a regular expression; the message now names
the letter, its Unicode name and its place, so the writer sees why two names that look the same
differ. And a money parameter far above anything a case can hold (a ceiling of 10^28 euro) loaded and
made every advice of the municipality fail; an amount of a pack is now held to a case's bounds."""

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import valid_case
from test_policy_national_items import edit, line_of, problems_of

from maatwerk import Engine
from maatwerk._policy.analysis import load_hint

RULE = """  - id: {id}
    stage: warning
    when: {{fact: warning_lawful, eq: true}}
    then: {{set: {{warning_preferred: true}}}}
    basis: [lansingerland_beleid]
    principles: [P3]
    reason: {{nl: "Waar de wet een waarschuwing toestaat, kiezen wij die.", en: "Where the law allows a warning, we choose it."}}
"""


def test_a_rule_id_with_a_cyrillic_look_alike_letter_is_refused_naming_the_letter(policy_copy: Path) -> None:
    """``recіdive`` (U+0456) looks like the national rule ``recidive`` but is another id; it is refused
    at its line, and the message names the letter that is not a-z and where it is."""
    look_alike = "rec\u0456dive"
    file = edit(policy_copy, "rules:\n", "rules:\n" + RULE.format(id=look_alike))
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, look_alike)}", "POLICY_INVALID_VALUE") == (where, code)
    assert message == (
        "rule rec\u0456dive: id: an id is written in lower-case letters a-z, digits 0-9 and _ only; got "
        "'rec\u0456dive': '\u0456' (CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I, U+0456) at position 4 "
        "may not be in one (a letter from another alphabet that looks like a Latin one is another letter)"
    )
    assert "A letter copied from another alphabet looks the same but is not: type it again." in load_hint(code, message)


def test_a_parameter_that_looks_like_a_national_one_is_refused_at_its_key(policy_copy: Path) -> None:
    """A parameter ``wаarschuwing_max_benadeling`` with a Cyrillic ``а`` would read like the national
    warning limit in a reason's text while the fence only knows the national name: refused at the key."""
    look_alike = "w\u0430arschuwing_max_benadeling"
    file = edit(
        policy_copy,
        "parameters:\n",
        "parameters:\n  w\u0430arschuwing_max_benadeling: {unit: eur, date_basis: decision, source: "
        'lansingerland_beleid, description: {nl: "Grens", en: "Limit"}, values: [{from: 2024-01-01, '
        'value: "500.00"}]}\n',
    )
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, look_alike)}", "POLICY_INVALID_VALUE") == (where, code)
    assert "'\u0430' (CYRILLIC SMALL LETTER A, U+0430) at position 2 may not be in one" in message


def test_an_id_in_capitals_or_with_a_hyphen_says_which_characters_and_how_an_id_starts(policy_copy: Path) -> None:
    """The common mistake, a name written as a title: each character that may not be in an id, by
    position, and that an id starts with a letter a-z."""
    edit(policy_copy, "rules:\n", "rules:\n" + RULE.format(id="Weert-Voorkeur"))
    [(_, code, message)] = problems_of(policy_copy)
    assert ("POLICY_INVALID_VALUE", True) == (code, message.startswith("rule Weert-Voorkeur: id: "))
    assert message.endswith(
        "an id is written in lower-case letters a-z, digits 0-9 and _ only; it must start with a letter a-z; "
        "got 'Weert-Voorkeur': 'W' at position 1, '-' at position 6, 'V' at position 7 may not be in one"
    )


@pytest.mark.parametrize(
    ("value", "says"),
    [
        # A ceiling "above the statutory maximum" was documented as changing nothing; at this size it
        # made every advice of the municipality fail with an engine error (InvalidOperation).
        ('"99999999999999999999999999999.00"', "an amount of money has at most 20 characters"),
        ('"2000000000.00"', "an amount of money may not exceed 1000000000.00"),
        ('"500.005"', "an amount of money has at most two decimals (whole cents)"),
    ],
)
def test_an_amount_of_a_pack_is_an_amount_a_case_could_hold(policy_copy: Path, value: str, says: str) -> None:
    """A money parameter is whole cents, not negative and at most the largest amount maatwerk computes
    with; else it is refused at the value, in the words a case's amount gets."""
    file = edit(
        policy_copy,
        "parameters:\n",
        "parameters:\n  gemeentelijk_maximum_boete: {unit: eur, date_basis: decision, source: lansingerland_beleid, "
        f'description: {{nl: "Grens", en: "Limit"}}, values: [{{from: 2024-01-01, value: {value}}}]}}\n',
    )
    [(where, code, message)] = problems_of(policy_copy)
    assert (f"{file}:{line_of(file, 'gemeentelijk_maximum_boete')}", "POLICY_PARAMETER_TYPE") == (where, code)
    assert f"gemeentelijk_maximum_boete: {value.strip(chr(34))!r}: {says}" == message


def test_a_high_ceiling_within_the_largest_amount_still_loads_and_changes_nothing(policy_copy: Path) -> None:
    """What the docs promise: a municipal ceiling above the statutory maximum loads and the fine is the
    law's (the example case: 50% of €1.681,80, capped at 12 × 5% of €1.401,50 = €840,90)."""
    edit(
        policy_copy,
        "parameters:\n",
        "parameters:\n  gemeentelijk_maximum_boete: {unit: eur, date_basis: decision, source: lansingerland_beleid, "
        'description: {nl: "Grens", en: "Limit"}, values: [{from: 2024-01-01, value: "1000000000.00"}]}\n',
    )
    advice = Engine(policy_copy).advise(valid_case())
    assert ("boete", "840.90") == (advice.measure.kind, str(advice.measure.amount))
