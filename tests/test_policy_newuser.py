# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""What a new user meets when writing another municipality's pack from the docs alone.

A policy advisor wrote a real published policy (Houten's verrekening of a recidive fine) as a pack,
and tried to exceed the law on purpose. Each test is a step where the first attempt went wrong: the
pack must be refused (or accepted) with one located message that says what to do.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import POLICIES

from maatwerk import PolicyError
from maatwerk._policy.analysis import check_policies
from maatwerk._policy.loader import load_directory, load_pack_text

TODAY = dt.date(2026, 3, 1)

#: The first version of a municipality with no rules yet (Heerenveen 2017 reads no articles).
HEERENVEEN = Path("benefits") / "heerenveen-benefits" / "2017-01-01.yaml"

SOURCE = """
  houten_art2:
    citation: "Verordening verrekening bestuurlijke boete bij recidive (Houten), art. 2"
    identifier: {identifier}
    url: "{url}"
"""

RULE = """
rules:
  - id: eigen_regel
    stage: followup
    when: {{fact: debts, eq: true}}
    then: {{followups: []}}
    basis: [{basis}]
    principles: [{principle}]
    reason:
      nl: "{reason}"
      en: "The executive sets the fine off against the benefit."
"""


def municipal(
    root: Path,
    *,
    url: str = "https://lokaleregelgeving.overheid.nl/CVDR282950/1",
    identifier: str = "CVDR282950",
    principle: str = "W2",
    reason: str = "Het college verrekent de boete met de uitkering.",
    extra: str = "",
) -> tuple[Path, str]:
    """Heerenveen's first version with one source and one rule of a new user's own; its text."""
    path = root / HEERENVEEN
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nsources:\n", "\nsources:\n" + SOURCE.format(identifier=identifier, url=url).lstrip("\n"))
    text = text.replace("\nrules: []\n", RULE.format(basis="houten_art2", principle=principle, reason=reason))
    text += extra
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    return 1 + next(i for i, line in enumerate(text.splitlines()) if needle in line)


def problems(root: Path) -> list[tuple[str, str, str]]:
    """The problems of loading ``root``, but those of Heerenveen's 2025 version, a delta on the 2017
    version the tests edit (it repeats an inherited problem, or cannot extend a version that failed)."""
    with pytest.raises(PolicyError) as info:
        load_directory(root)
    return [(p.where, p.code, p.message) for p in info.value.problems if "2025-04-03.yaml" not in p.where]


def test_the_new_users_pack_loads_as_written(policy_copy: Path) -> None:
    """The baseline: the source and rule the tests below break load cleanly."""
    municipal(policy_copy)
    assert "eigen_regel" in {r.id for r in load_directory(policy_copy)["heerenveen-benefits"][0].file.rules}


def test_an_http_link_is_one_error_at_the_link_in_plain_words(policy_copy: Path) -> None:
    """A CVDR address copied as http:// was five errors at the source's key, four of them about a
    per-law source nobody wrote ('per_law: Field required', 'citation: Extra inputs are not permitted').
    Now it is one, at the link, saying what a link must look like."""
    path, text = municipal(policy_copy, url="http://decentrale.regelgeving.overheid.nl/cvdr/Houten/282950.html")
    ((where, code, message),) = problems(policy_copy)
    line = line_of(text, 'url: "http://')
    assert f"{path}:{line}:10" == where
    assert "POLICY_INVALID_VALUE" == code
    assert message.startswith("sources.houten_art2.url: must be a web address that starts with https://")
    assert "per_law" not in message


def test_a_typo_in_a_source_key_is_reported_as_a_source_not_as_a_per_law_source(policy_copy: Path) -> None:
    """A misspelt key of an ordinary source names the key it meant, and nothing about per_law."""
    path = policy_copy / HEERENVEEN
    municipal(policy_copy)
    text = path.read_text(encoding="utf-8").replace(
        '    citation: "Verordening verrekening', '    citaton: "Verordening verrekening'
    )
    path.write_text(text, encoding="utf-8")
    found = problems(policy_copy)
    assert [
        ("POLICY_MISSING_FIELD", "sources.houten_art2.citation: Field required"),
        (
            "POLICY_UNKNOWN_FIELD",
            "sources.houten_art2.citaton: Extra inputs are not permitted (did you mean 'citation'?)",
        ),
    ] == [(code, message) for _, code, message in found]


def test_a_per_law_source_with_a_typo_is_reported_as_a_per_law_source(policy_copy: Path) -> None:
    """The other branch of the union: a source meant as per-law is checked as one."""
    path = policy_copy / HEERENVEEN
    text = path.read_text(encoding="utf-8").replace(
        "\nsources:\n", "\nsources:\n  boete_eigen: {per_lw: {participatiewet: pw_18a}}\n"
    )
    path.write_text(text, encoding="utf-8")
    assert [
        ("POLICY_MISSING_FIELD", "sources.boete_eigen.per_law: Field required"),
        (
            "POLICY_UNKNOWN_FIELD",
            "sources.boete_eigen.per_lw: Extra inputs are not permitted (did you mean 'per_law'?)",
        ),
    ] == [(code, message) for _, code, message in problems(policy_copy)]


def test_a_rule_reason_may_name_a_parameter_and_one_article(policy_copy: Path) -> None:
    """A reason is a template over the pack's parameters and its one-article sources: it loads, and its
    words are filled in for each case (tests/test_reason_templates.py)."""
    municipal(policy_copy, reason="Het college verrekent {param:recidive_factor|percent}% ({cite:houten_art2}).")
    assert "eigen_regel" in {r.id for r in load_directory(policy_copy)["heerenveen-benefits"][0].file.rules}


@pytest.mark.parametrize(
    ("placeholder", "says"),
    [
        ("{value:amount}", "names only {param:..} (a parameter, on the case's dates) and {cite:..}"),
        ("{reason:recidive}", "names only {param:..} (a parameter, on the case's dates) and {cite:..}"),
        ("{param:recidive_factr}", "{param:recidive_factr}: unknown parameter (did you mean 'recidive_factor'?)"),
        ("{cite:houten_art3}", "{cite:houten_art3}: unknown source (did you mean 'houten_art2'?)"),
        ("{cite:boete_wet}", "{cite:boete_wet}: this source is another article in each law"),
        ("{param recidive_factor}", "{param recidive_factor} is not a placeholder"),
    ],
)
def test_a_reason_that_would_depend_on_the_case_or_names_nothing_known_is_refused_where_it_is_written(
    policy_copy: Path, placeholder: str, says: str
) -> None:
    """A reason is said alike for every case its rule fires on: a placeholder of the case, an unknown
    parameter or source, a per-law source or a malformed placeholder is refused at the reason, located,
    with what to write instead."""
    path, text = municipal(policy_copy, reason=f"Het college verrekent {placeholder} met de uitkering.")
    ((where, code, message),) = problems(policy_copy)
    assert (f"{path}:{line_of(text, placeholder)}:11", "POLICY_BAD_TEMPLATE") == (where, code)
    assert says in message


def test_a_placeholder_in_a_follow_up_text_is_refused(policy_copy: Path) -> None:
    """A follow-up's text is the same for every case, so '{param:..}' in it is refused, in each language."""
    extra = """followups:
  verrekenen:
    text:
      nl: "Verreken {param:recidive_factor} in drie maanden."
      en: "Set off in three months."
    principles: [W2]
    audience: gemeente
"""
    path, text = municipal(policy_copy, extra=extra)
    line = line_of(text, 'nl: "Verreken {param')
    assert [(f"{path}:{line}:11", "POLICY_BAD_TEMPLATE")] == [(where, code) for where, code, _ in problems(policy_copy)]


def test_a_followup_without_placeholders_and_literal_braces_elsewhere_still_load() -> None:
    """Every bundled pack keeps loading: no reason or follow-up of theirs holds a placeholder."""
    assert load_directory(POLICIES)


def test_another_municipalitys_principle_is_unknown_and_the_message_lists_what_the_pack_may_name(
    policy_copy: Path,
) -> None:
    """A new user copying Lansingerland's rules names its P2; principles are not inherited, and the
    message says which ids this pack may name instead."""
    municipal(policy_copy, principle="P2")
    ((_, code, message),) = problems(policy_copy)
    assert "POLICY_UNKNOWN_PRINCIPLE" == code
    assert message.startswith("unknown principle 'P2': this pack may name W1, W2, W3, W4, W5")
    assert "another municipality's principles are not inherited" in message


def test_a_problem_in_a_rule_a_delta_inherits_is_reported_once(policy_copy: Path) -> None:
    """Heerenveen's 2025 version is a delta on 2017 and inherits its rules. A wrong principle in a 2017
    rule was reported twice at the same line: once for 2017 and once for 2025, whose message listed its
    own principle P30 too. It is one problem, at the place it is written, in the words of the version
    that has it."""
    path, text = municipal(policy_copy, principle="P2")
    with pytest.raises(PolicyError) as info:
        load_directory(policy_copy)
    assert [(f"{path}:{line_of(text, 'principles: [P2]')}:18", "POLICY_UNKNOWN_PRINCIPLE")] == [
        (p.where, p.code) for p in info.value.problems
    ]
    assert "P30" not in info.value.problems[0].message


def test_a_problem_a_delta_makes_in_what_it_inherits_is_still_reported(policy_copy: Path) -> None:
    """Where the base is fine and the delta breaks an inherited part (here: it removes the source a 2017
    rule cites), the problem is the delta's, reported at the rule."""
    path, text = municipal(policy_copy)
    delta = policy_copy / HEERENVEEN.with_name("2025-04-03.yaml")
    delta.write_text(delta.read_text(encoding="utf-8") + "remove:\n  sources: [houten_art2]\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_directory(policy_copy)
    assert [(f"{path}:{line_of(text, 'basis: [houten_art2]')}:13", "POLICY_UNKNOWN_SOURCE")] == [
        (p.where, p.code) for p in info.value.problems
    ]


def test_a_fraction_written_as_a_bare_number_is_one_error_that_says_to_quote_it(policy_copy: Path) -> None:
    """`value: 1.5` is a YAML float: it was four errors, one per kind of value it is not (a yes/no, a
    whole number, a date, a text, the date one about 'zero time'). It is one, saying how to write it."""
    path, text = municipal(
        policy_copy,
        extra=(
            "\nparameters:\n  houten_factor:\n    unit: factor\n    date_basis: decision\n"
            "    source: houten_art2\n    description: {nl: Factor, en: Factor}\n"
            "    values: [{from: 2017-01-01, value: 1.5}]\n"
        ),
    )
    ((where, code, message),) = problems(policy_copy)
    assert (f"{path}:{line_of(text, 'value: 1.5')}:40", "POLICY_INVALID_VALUE") == (where, code)
    assert (
        'parameters.houten_factor.values#1.value: a number with a fraction is written in quotes, "1.5", so that '
        "it is kept exactly"
    ) == message


def test_a_national_parameter_given_only_values_is_one_error_naming_what_it_lacks(policy_copy: Path) -> None:
    """A policy team giving a delegated national parameter its own value writes only `values`: that was four
    'Field required'. It is one problem at the parameter, naming the four keys and where each comes from."""
    path, text = municipal(
        policy_copy,
        extra="\nparameters:\n  draagkracht_maanden_verminderd:\n    values: [{from: 2017-01-01, value: 6}]\n",
    )
    ((where, code, message),) = problems(policy_copy)
    assert (f"{path}:{line_of(text, 'draagkracht_maanden_verminderd:') + 1}:5", "POLICY_MISSING_FIELD") == (
        where,
        code,
    )
    assert message.startswith(
        "parameters.draagkracht_maanden_verminderd: unit, date_basis, source and description missing; "
    )
    assert "the unit as the national pack has it, your own article as the source" in message


def test_a_link_to_the_cvdr_under_its_older_address_is_a_legal_basis(policy_copy: Path) -> None:
    """The CVDR's texts are still linked at decentrale.regelgeving.overheid.nl and at the KOOP repository:
    a rule citing them has a legal basis, whatever the identifier says."""
    for url in (
        "https://decentrale.regelgeving.overheid.nl/cvdr/XHTMLoutput/Actueel/Houten/282950.html",
        "https://repository.officiele-overheidspublicaties.nl/cvdr/CVDR282950/1/html/CVDR282950_1.html",
    ):
        municipal(policy_copy, url=url, identifier="Houten 282950")
        report = check_policies(policy_copy, today=TODAY)
        assert [] == [f for f in report.findings if f.code == "CHECK_RULE_WITHOUT_LEGAL_BASIS"], url
        (policy_copy / HEERENVEEN).write_text((POLICIES / HEERENVEEN).read_text(encoding="utf-8"), encoding="utf-8")


def test_a_link_elsewhere_is_still_no_legal_basis(policy_copy: Path) -> None:
    """The warning still holds for a source that is no official publication."""
    municipal(policy_copy, url="https://www.example.org/beleid.pdf", identifier="Houten 282950")
    report = check_policies(policy_copy, today=TODAY)
    assert ["CHECK_RULE_WITHOUT_LEGAL_BASIS"] == [
        f.code for f in report.findings if f.code == "CHECK_RULE_WITHOUT_LEGAL_BASIS"
    ]


PARAMETER = """
parameters:
  {name}:
    unit: {unit}
    date_basis: decision
    source: houten_art2
    description: {{nl: "Eigen waarde", en: "Own value"}}
    values: [{{from: 2017-01-01, value: {value}}}]
"""


@pytest.mark.parametrize(
    ("name", "unit", "value", "message", "hint"),
    [
        (
            "geldboete_categorie_3",
            "eur",
            '"20000.00"',
            "geldboete_categorie_3 is fixed by national law",
            "Remove the parameter from the municipal pack: national law fixes it.",
        ),
        (
            "waarschuwing_max_benadeling",
            "eur",
            '"500.00"',
            "waarschuwing_max_benadeling = 500.00 from 2017-01-01 is above the national value",
            "Keep every dated value within the bound the message names",
        ),
        (
            "boete_maximum_maanden_beslagvrije_voet",
            "months",
            "30",
            "boete_maximum_maanden_beslagvrije_voet = 30 from 2017-01-01 is above the bound (24;",
            "Keep every dated value within the bound the message names",
        ),
    ],
)
def test_exceeding_the_law_is_refused_with_a_hint_that_fits(
    policy_copy: Path, name: str, unit: str, value: str, message: str, hint: str
) -> None:
    """A statutory figure, a warning limit of €500 and a delegated term out of its bounds are each refused
    by `maatwerk check` at the value; the hint says what to do for that case (keeping a delegated value
    within its bound is not 'remove it: national law fixes it')."""
    municipal(policy_copy, extra=PARAMETER.format(name=name, unit=unit, value=value))
    report = check_policies(policy_copy, today=TODAY)
    (finding,) = [f for f in report.findings if f.severity == "error"]
    assert "POLICY_NOT_DELEGATED" == finding.code
    assert message in finding.message
    assert finding.hint.startswith(hint)


def test_a_municipal_exception_to_a_national_rule_gets_a_hint_about_exception_to(policy_copy: Path) -> None:
    """The hint for an exception to national law names exception_to, not parameters."""
    path, text = municipal(policy_copy)
    path.write_text(
        text.replace("    then: {followups: []}\n", "    exception_to: [recidive]\n    then: {followups: []}\n")
    )
    (finding,) = [f for f in check_policies(policy_copy, today=TODAY).findings if f.severity == "error"]
    assert "POLICY_NOT_DELEGATED" == finding.code
    assert finding.hint.startswith("Remove the national rule from exception_to.")


def test_a_municipal_rule_setting_a_national_output_gets_a_hint_about_the_delegated_facts(policy_copy: Path) -> None:
    """The hint for setting a fact national law decides points at the facts the message lists."""
    path, text = municipal(policy_copy)
    path.write_text(text.replace("    then: {followups: []}\n", "    then: {set: {fine_excluded: true}}\n"))
    (finding,) = [f for f in check_policies(policy_copy, today=TODAY).findings if f.severity == "error"]
    assert "POLICY_NOT_DELEGATED" == finding.code
    assert "a municipal rule may set only conditional_fine_preferred" in finding.message
    assert finding.hint.startswith("Set one of the facts the message lists")


def test_load_pack_text_checks_a_reasons_placeholders_too() -> None:
    """The same check when one file is loaded on its base (`maatwerk diff` of a pack file): a national
    parameter may be named, a misspelt one is refused."""
    national = load_directory(POLICIES)["nl-benefits"]
    text = (POLICIES / "benefits" / "lansingerland-benefits" / "2024-01-01.yaml").read_text(encoding="utf-8")
    named = text.replace('reason: {nl: "', 'reason: {nl: "{param:recidive_factor|percent}% ', 1)
    assert load_pack_text(named, "lansingerland-benefits/2024-01-01.yaml", base=national)
    broken = text.replace('reason: {nl: "', 'reason: {nl: "{param:recidive_factr} ', 1)
    with pytest.raises(PolicyError) as info:
        load_pack_text(broken, "lansingerland-benefits/2024-01-01.yaml", base=national)
    assert ["POLICY_BAD_TEMPLATE"] == [p.code for p in info.value.problems]


def test_a_placeholder_in_a_principle_is_refused(policy_copy: Path) -> None:
    """A principle's words are said as written too."""
    extra = """principles:
  P40:
    key: eigen
    label: {nl: "Verrekenen tot {param:recidive_factor}", en: "Setting off"}
    demand: {nl: "Snel verrekenen.", en: "Set off quickly."}
"""
    path, text = municipal(policy_copy, principle="P40", extra=extra)
    assert [(f"{path}:{line_of(text, 'Verrekenen tot')}:17", "POLICY_BAD_TEMPLATE")] == [
        (where, code) for where, code, _ in problems(policy_copy)
    ]


def test_a_delta_on_a_version_that_did_not_load_says_to_fix_that_one_first(policy_copy: Path) -> None:
    """Heerenveen's 2025 delta on a broken 2017 version said 'no version of heerenveen-benefits to extend
    (did you mean heerenveen-benefits?)'; it now says the version in the folder has errors of its own."""
    municipal(policy_copy, url="http://lokaleregelgeving.overheid.nl/CVDR282950/1")
    with pytest.raises(PolicyError) as info:
        load_directory(policy_copy)
    (delta,) = [p for p in info.value.problems if "2025-04-03.yaml" in p.where]
    assert "POLICY_UNKNOWN_PACK" == delta.code
    assert "did you mean" not in delta.message
    assert delta.message.endswith("(a version beside it has errors of its own and is not loaded: fix those first)")
    [finding] = [f for f in check_policies(policy_copy, today=TODAY).findings if "2025-04-03.yaml" in f.where]
    assert finding.hint.startswith("Fix the errors of the version this delta extends")
