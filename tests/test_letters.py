# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The decision letter (maatwerk.letters): built from the recorded decision, the advice's reasoning and
the packs; a default template per domain, a municipality's own template in its pack folder, checked
with its location when it is loaded; printable and as a PDF."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import copy
import datetime as dt
import html
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import valid_case

from maatwerk import Engine
from maatwerk._api import parse_case
from maatwerk._format import eur
from maatwerk.audit import Advisor, AuditStore
from maatwerk.cli import main
from maatwerk.letters import (
    TEMPLATE_NAME,
    LetterTemplateError,
    default_template,
    letter_context,
    load_templates,
    render_document,
    render_pdf,
    sample_contexts,
)
from maatwerk.models.advice import Advice

SECRET = b"k" * 32


@pytest.fixture
def advisor(tmp_path: Path, engine: Engine) -> Advisor:
    return Advisor(engine, AuditStore(tmp_path / "audit.sqlite", secret=SECRET))


def letter_for(advisor: Advisor, case: dict[str, Any], **decision: Any) -> tuple[str, Advice]:
    """Record ``decision`` (the advised measure and amount unless given) on the advice for ``case``, and
    write its letter."""
    advice = advisor.advise(case)
    chosen = {"measure": advice.measure.kind, "amount": advice.measure.amount, "caseworker_id": "mw-042", **decision}
    record, advice = advisor.decide(case, advice.receipt, chosen)
    return advisor.letter(record, advice), advice


def text_of(letter: str) -> str:
    """The letter's words, without tags, entities decoded and white space collapsed."""
    inline = re.sub(r"</?(?:a|strong|em|b|i)\b[^>]*>", "", letter)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline))).strip()


def test_a_fine_letter_states_facts_calculation_culpability_ability_urgent_reasons_report_and_objection(
    advisor: Advisor,
) -> None:
    """The fine's letter names what was not reported, over which period and which article was breached;
    the loss; every calculation step of the advice with its amount; the culpability level and why; the
    instalments ability to pay allows; the weighing of dringende redenen; the report and zienswijze of
    Awb 5:53 (the statutory maximum is above its threshold); the case reference, the date and the
    objection term."""
    case = {**valid_case(), "circumstances": {"dependent_children": True}}
    letter, advice = letter_for(advisor, case)
    text = text_of(letter)
    plan = next(a for a in advice.alternatives if a.measure == "betalingsregeling")
    expected = [
        f"U krijgt een boete van {eur(advice.measure.amount)}.",
        "Van 1 februari 2025 tot en met 31 juli 2025 heeft u uw werk of uw inkomsten niet aan ons doorgegeven.",
        "uiterlijk op 8 februari 2025",
        "Participatiewet art. 17 lid 1",
        "Daardoor kreeg u € 2.480,00 te veel uitkering.",
        *(f"{step.label.nl}: {eur(step.amount)}" for step in advice.calculation),
        "Dit heet normale verwijtbaarheid.",
        "Boetebesluit socialezekerheidswetten art. 2a",
        f"met hoogstens {eur(plan.amount)} per maand",
        "Er zijn kinderen in het huishouden die de gevolgen mee dragen.",
        "Participatiewet art. 18a lid 7",
        "Voor deze overtreding kan een boete hoger zijn dan € 340,00.",
        "Dat heet een zienswijze.",
        "Algemene wet bestuursrecht art. 5:53",
        "Datum: 2 maart 2026",
        "Ons kenmerk: test-1-",
        "binnen 6 weken een brief",
        "Algemene wet bestuursrecht art. 6:7",
    ]
    assert [] == [part for part in expected if part not in text]
    assert 3 == len(advice.calculation)  # grondslag, percentage, draagkracht: all in the letter


def test_a_letter_without_financial_data_says_the_fine_was_not_lowered_and_what_to_send(advisor: Advisor) -> None:
    """Without financial data the fine is not capped at ability to pay (ECLI:NL:CRVB:2016:11), and the
    letter says so and asks for the data."""
    case = valid_case()
    case["finances"] = {**case["finances"], "financial_data_supplied": False}
    letter, _ = letter_for(advisor, case)
    assert "U heeft ons geen gegevens gegeven over uw inkomen en uw geld." in text_of(letter)


def test_a_warning_letter_is_the_warning_with_its_grounds_and_no_calculation(
    advisor: Advisor, example_cases: dict[str, dict[str, Any]]
) -> None:
    """A self-reported small loss gets a written warning: the letter is that warning, names the reduced
    culpability and why (a disrupting event, the self-report), the municipality's own rule that chose
    the warning, and has no fine calculation and no 5:53 report."""
    letter, advice = letter_for(advisor, example_cases["02-zelfmelding-waarschuwing.json"])
    text = text_of(letter)
    assert "waarschuwing" == advice.measure.kind
    present = [
        "U krijgt een schriftelijke waarschuwing. Deze brief is die waarschuwing. U krijgt geen boete.",
        "U heeft het zelf aan ons gemeld, op 20 februari 2026.",
        "Dit heet verminderde verwijtbaarheid.",
        "U maakte iets ingrijpends mee dat u niet zag aankomen.",
        "U heeft het zelf gemeld, voordat wij het ontdekten.",
        "Onze gemeente heeft eigen regels gemaakt voor deze situaties.",
        *(s.text.nl for s in advice.steps if s.pack.startswith("lansingerland-benefits@")),
        "binnen 6 weken",
    ]
    absent = ["Hoe wij de boete hebben berekend", "zienswijze", "Wat u kunt betalen"]
    assert ([], []) == ([p for p in present if p not in text], [a for a in absent if a in text])


def test_a_provider_letter_cites_the_measures_own_basis_and_the_objection_only_for_a_besluit(
    advisor: Advisor, example_cases: dict[str, dict[str, Any]]
) -> None:
    """A last onder dwangsom is a besluit: the letter cites Gemeentewet 125 and Awb 5:32 (the pack's
    basis for it) and gives the objection term. The advised intensified supervision is no besluit: no
    objection clause. A contract measure points to the contract's dispute rules."""
    case = example_cases["05-wmo-structureel-kwetsbaar.json"]
    order, _ = letter_for(
        advisor,
        case,
        measure="last_onder_dwangsom",
        amount="2500.00",
        reason_category="beleid_past_niet",
        reason="De aanbieder heeft eerdere afspraken niet nagekomen.",
    )
    supervision, advice = letter_for(advisor, case)
    stop, _ = letter_for(
        advisor,
        case,
        measure="intake_stop",
        reason_category="anders",
        reason="Nieuwe cliënten moeten eerst veilig zijn.",
    )
    order_text, supervision_text, stop_text = text_of(order), text_of(supervision), text_of(stop)
    assert "verscherpt_toezicht" == advice.measure.kind
    assert [] == [
        p
        for p in (
            "U krijgt een last onder dwangsom",
            "Het bedrag is € 2.500,00.",
            "Gemeentewet art. 125",
            "Algemene wet bestuursrecht art. 5:32",
            "Dan kunt u bezwaar maken.",
            "binnen 6 weken een bezwaarschrift",
            "Wij kiezen zelf voor deze maatregel.",
            "De aanbieder heeft eerdere afspraken niet nagekomen.",
            "De aanbieder met kenmerk AGB-123",
        )
        if p not in order_text
    ]
    assert (False, True) == (
        "bezwaar maken." in supervision_text,
        "Wet maatschappelijke ondersteuning 2015 art. 6.1" in supervision_text,
    )
    assert "Volg dan de regeling voor geschillen in het contract." in stop_text


def test_the_letter_never_mentions_the_advice_also_when_the_decision_departs(
    advisor: Advisor, example_cases: dict[str, dict[str, Any]]
) -> None:
    """The resident's letter is the municipality's decision: no "advies" in a fine, a departure, a
    warning or a provider letter; a departure is motivated as the municipality's own choice."""
    fine, _ = letter_for(advisor, valid_case())
    lower, _ = letter_for(
        advisor,
        valid_case(),
        amount="500.00",
        reason_category="draagkracht",
        reason="Mevrouw betaalt al een andere schuld af bij de gemeente.",
    )
    warning, _ = letter_for(advisor, example_cases["02-zelfmelding-waarschuwing.json"])
    provider, _ = letter_for(advisor, example_cases["05-wmo-structureel-kwetsbaar.json"])
    letters = (fine, lower, warning, provider)
    assert [None] * 4 == [re.search(r"advie|afwijk|wijken", text_of(x), re.IGNORECASE) for x in letters]
    assert [] == [
        p
        for p in (
            "Volgens deze stappen komt de boete op € 840,90. Wij hebben de boete vastgesteld op € 500,00.",
            "Wij kiezen zelf voor dit besluit.",
            "Mevrouw betaalt al een andere schuld af bij de gemeente.",
        )
        if p not in text_of(lower)
    ]


def test_the_caseworkers_words_are_escaped_in_the_letter(advisor: Advisor) -> None:
    """The reason is the caseworker's text: autoescaping makes markup in it text, never HTML."""
    letter, _ = letter_for(
        advisor,
        valid_case(),
        measure="geen_boete",
        amount=None,
        reason_category="anders",
        reason="<script>alert(1)</script> en <b>vet</b> blijft tekst.",
    )
    assert ("<script>" in letter, "&lt;script&gt;alert(1)&lt;/script&gt;" in letter) == (False, True)


def test_a_municipal_template_replaces_the_default_for_its_domain(policy_copy: Path) -> None:
    """A letter.html.j2 in Lansingerland's benefits pack folder writes its benefit letters; its provider
    letters keep the package's default."""
    own = policy_copy / "benefits" / "lansingerland-benefits" / TEMPLATE_NAME
    own.write_text(
        '<article lang="nl"><h1>Brief van Lansingerland</h1><p>Boete: {% if amount %}{{ amount|eur }}{% endif %} op {{ date|datum }}.</p>'
        "<p>Bezwaar binnen {{ objection.weeks }} weken.</p><p>{{ letter.objection }}</p>"
        "<p>{{ letter.objection_contents }}</p>{% if reason %}<p>{{ reason }}</p>{% endif %}</article>\n",
        encoding="utf-8",
    )
    advisor = Advisor(Engine(policy_copy), AuditStore(policy_copy.parent / "a.sqlite", secret=SECRET))
    letter, _ = letter_for(advisor, valid_case())
    assert (
        "<h1>Brief van Lansingerland</h1><p>Boete: € 840,90 op 2 maart 2026.</p><p>Bezwaar binnen 6 weken.</p>"
        in letter
    )
    assert own == advisor.letters.paths["benefits"]
    assert default_template("providers") == advisor.letters.paths["providers"]


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        ("<p>{{ date|datum }}</p>\n<p>\n{% if amount %}boete{% endfor %}\n", 3, "endfor"),
        ("<p>Datum</p>\n<p>{{ datum_van_de_brief }}</p>\n", 2, "datum_van_de_brief"),
        ("<p>\n{{ amount.__class__.__mro__ }}</p>\n", 2, "unsafe"),
    ],
)
def test_a_broken_template_is_refused_at_load_with_its_file_and_line(
    policy_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, line: int, says: str
) -> None:
    """A syntax error, an unknown name or an attribute the sandbox forbids is a LetterTemplateError at
    file:line when the templates load (the service does not start) and an error of maatwerk check."""
    own = policy_copy / "benefits" / "lansingerland-benefits" / TEMPLATE_NAME
    own.write_text(source, encoding="utf-8")
    with pytest.raises(LetterTemplateError) as refused:
        Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    [problem] = refused.value.problems
    assert (f"{own}:{line}", True) == (problem.where, says in problem.message)
    assert 4 == main(["check", str(policy_copy)])
    assert f"{own}:{line}: error LETTER_TEMPLATE_INVALID" in capsys.readouterr().err


def own_template(policy_copy: Path, domain: str, objection: str, replacement: str) -> Path:
    """The package's default template for ``domain`` as a municipality's own (Lansingerland's pack
    folder), with the line that prints ``objection`` replaced by ``replacement``."""
    folder = {"benefits": "lansingerland-benefits", "providers": "lansingerland-wmo2015"}[domain]
    source = default_template(domain).read_text(encoding="utf-8")
    assert objection in source
    own = policy_copy / domain / folder / TEMPLATE_NAME
    own.write_text(source.replace(objection, replacement), encoding="utf-8")
    return own


def line_of(path: Path, text: str) -> int:
    return next(i for i, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in x)


@pytest.mark.parametrize(
    ("replacement", "missing_sentences"),
    [
        ("", ["objection"]),  # the clause dropped
        ("<!-- {{ letter.objection }} -->", ["objection"]),  # in a comment: the resident never sees it
        ("<p hidden>{{ letter.objection }}</p>", ["objection"]),
        ('<p style="display: none">{{ letter.objection }}</p>', ["objection"]),
        ("{% if amount %}<p>{{ letter.objection }}</p>{% endif %}", ["objection"]),  # not in a warning's letter
    ],
)
def test_a_municipal_benefit_letter_that_does_not_show_the_objection_clause_is_refused_at_load(
    policy_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    replacement: str,
    missing_sentences: list[str],
) -> None:
    """Every benefit decision is open to objection, and the letter must say so (Awb 3:45 lid 1): a
    municipality's template that drops the national pack's objection sentence, hides it, or shows it
    only on some letters is refused, by `maatwerk check` and when the service starts, naming the
    sentence to print."""
    own = own_template(policy_copy, "benefits", "<p>{{ letter.objection }}</p>", replacement)
    with pytest.raises(LetterTemplateError) as refused:
        Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    assert ["LETTER_OBJECTION_CLAUSE"] * len(missing_sentences) == [p.code for p in refused.value.problems]
    [problem] = refused.value.problems
    assert "print {{ letter.objection }} visibly, in every such letter (Awb 3:45 lid 1)" in problem.message
    assert 4 == main(["check", str(policy_copy)])
    err = capsys.readouterr().err
    assert f"{own}:" in err
    assert "error LETTER_OBJECTION_CLAUSE: the letter does not show letter.objection" in err
    assert "hint: A resident must be told how to object and by when, in the law's words" in err


def test_a_municipal_provider_letter_must_show_the_objection_clause_where_the_measure_is_a_besluit(
    policy_copy: Path, tmp_path: Path
) -> None:
    """A provider measure that is a besluit (letter.open_to_objection) gets the clause; a template that
    drops it is refused at the line where the clause was asked for."""
    own = own_template(policy_copy, "providers", "{{ letter.objection }} ", "")
    with pytest.raises(LetterTemplateError) as refused:
        Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    [problem] = refused.value.problems
    line = line_of(own, "{% if letter.open_to_objection %}")
    assert (f"{own}:{line}", "LETTER_OBJECTION_CLAUSE") == (problem.where, problem.code)


@pytest.mark.parametrize(
    ("replacement", "said"),
    [
        ("<p>{{ letter.objection }}</p><p>U kunt binnen 2 weken bezwaar maken.</p>", "'2 weken'"),
        ("<p>{{ letter.objection }} Bezwaar kan tot dertig dagen na de brief.</p>", "'dertig dagen'"),
        ("<p>{{ letter.objection }}</p><p>Stuur uw brief binnen zes weken.</p>", "'zes weken'"),
        # computed from the pack's term, but not the pack's term: found by rendering with another term
        (
            "<p>{{ letter.objection }}</p><p>Reageer binnen {{ objection.weeks - 4 }} weken.</p>",
            "'2 weken', '93 weken'",
        ),
    ],
)
def test_a_municipal_letter_that_states_an_objection_term_of_its_own_is_refused_at_its_line(
    policy_copy: Path, tmp_path: Path, replacement: str, said: str
) -> None:
    """The objection term is the national parameter bezwaartermijn_weken (Awb 6:7): a template that
    writes a term of its own, in figures or in words, or computes one from the pack's, is refused at
    the line that says it, also when it prints the pack's clause as well."""
    own = own_template(policy_copy, "benefits", "<p>{{ letter.objection }}</p>", replacement)
    with pytest.raises(LetterTemplateError) as refused:
        Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    [problem] = refused.value.problems
    line = line_of(own, replacement)
    assert (f"{own}:{line}", "LETTER_OBJECTION_TERM") == (problem.where, problem.code)
    assert f"the template states a term of its own ({said})" in problem.message
    assert "the term to object is the national parameter bezwaartermijn_weken (Awb 6:7)" in problem.message


def test_a_municipal_letter_may_name_the_packs_term_and_its_own_address_and_payment_months(
    policy_copy: Path, tmp_path: Path
) -> None:
    """What the check allows: the pack's term as it is ({{ objection.weeks }}), numbers that are no term
    (a postbox, a postcode) and a term that is no objection term (the months to pay)."""
    own_template(
        policy_copy,
        "benefits",
        "<p>{{ letter.objection }}</p>",
        "<p>U kunt binnen {{ objection.weeks }} weken bezwaar maken. {{ letter.objection }}</p>"
        "<p>Postbus 900, 6000 AA Weert. U betaalt in 12 maanden.</p>",
    )
    advisor = Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    letter, _ = letter_for(advisor, valid_case())
    assert "U kunt binnen 6 weken bezwaar maken." in text_of(letter)


FINE_LINE = "<p>U krijgt een boete van <strong>{{ amount|eur }}</strong>.</p>"


@pytest.mark.parametrize(
    ("replacement", "codes", "said"),
    [
        # the decided amount never said: a hidden fine
        ("<p>U krijgt een boete.</p>", ["LETTER_AMOUNT_MISSING"], None),
        ("<p hidden>U krijgt een boete van <strong>{{ amount|eur }}</strong>.</p>", ["LETTER_AMOUNT_MISSING"], None),
        # an amount the template writes itself, instead of or beside the decided one
        (
            "<p>U krijgt een boete van <strong>€ 500,00</strong>.</p>",
            ["LETTER_AMOUNT_MISSING", "LETTER_OWN_AMOUNT"],
            "'€ 500,00'",
        ),
        (FINE_LINE + "<p>Betaalt u niet op tijd, dan wordt het 750 euro.</p>", ["LETTER_OWN_AMOUNT"], "'750 euro'"),
        # computed from the decided amount: found by rendering with another amount
        (
            "<p>U krijgt een boete van <strong>{{ (amount * 2)|eur }}</strong>.</p>",
            ["LETTER_AMOUNT_MISSING", "LETTER_OWN_AMOUNT"],
            "'€ 195.062,48'",
        ),
    ],
)
def test_a_municipal_letter_that_hides_the_amount_decided_or_states_its_own_is_refused_at_load(
    policy_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    replacement: str,
    codes: list[str],
    said: str | None,
) -> None:
    """The letter is the motivation of the decision (Awb 3:46, 5:9): a resident fined must read the
    amount decided, and no other. A municipality's template that does not print {{ amount|eur }}
    visibly in a letter with an amount, or states an amount of its own (written, or computed from the
    decided one), is refused by `maatwerk check` and when the service starts: the own amount at the
    line that says it."""
    own = own_template(policy_copy, "benefits", FINE_LINE, replacement)
    with pytest.raises(LetterTemplateError) as refused:
        Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    problems = {p.code: p for p in refused.value.problems}
    assert codes == [p.code for p in refused.value.problems]
    if "LETTER_OWN_AMOUNT" in problems:
        problem = problems["LETTER_OWN_AMOUNT"]
        assert f"{own}:{line_of(own, replacement)}" == problem.where
        assert f"the template states an amount of its own ({said})" in problem.message
    if "LETTER_AMOUNT_MISSING" in problems:
        assert "print {{ amount|eur }} visibly in every letter of a measure with an amount" in (
            problems["LETTER_AMOUNT_MISSING"].message
        )
    assert 4 == main(["check", str(policy_copy)])
    err = capsys.readouterr().err
    assert all(f"error {code}:" in err for code in codes)
    assert "hint: A letter tells the addressee the amount decided and no other" in err


def test_a_municipal_letter_may_say_the_amount_decided_again_and_the_calculations_amounts(
    policy_copy: Path, tmp_path: Path
) -> None:
    """What the amount check allows: the decided amount said more than once, the amounts of the
    context (each step of the calculation) and numbers that are no amount (a bank account's digits)."""
    own_template(
        policy_copy,
        "benefits",
        FINE_LINE,
        FINE_LINE + "<p>Maak {{ amount|eur }} over op rekening 123456789 van de gemeente.</p>",
    )
    advisor = Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    letter, advice = letter_for(advisor, valid_case())
    assert f"Maak {eur(advice.measure.amount)} over op rekening" in text_of(letter)


REASON_LINE = "{% if reason %}<blockquote><p>{{ reason }}</p></blockquote>{% endif %}"


@pytest.mark.parametrize(
    "replacement",
    [
        "",  # the reason dropped
        "{% if reason %}<!-- {{ reason }} -->{% endif %}",  # in a comment: the resident never reads it
        "{% if reason and not own_choice %}<p>{{ reason }}</p>{% endif %}",  # not where the letter departs
    ],
)
def test_a_municipal_letter_that_does_not_give_the_caseworkers_reason_is_refused_at_load(
    policy_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], replacement: str
) -> None:
    """A decision rests on its motivation and the letter states it (Awb 3:46, 3:47): a municipality's
    template that leaves out the caseworker's reason, hides it, or shows it only in some letters is
    refused, by `maatwerk check` and when the service starts."""
    own = own_template(policy_copy, "benefits", REASON_LINE, replacement)
    with pytest.raises(LetterTemplateError) as refused:
        Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    [problem] = refused.value.problems
    assert ("LETTER_REASON_MISSING", True) == (problem.code, problem.where.startswith(f"{own}:"))
    assert "print {{ reason }} visibly in every letter whose decision has a reason (Awb 3:46, 3:47" in problem.message
    assert 4 == main(["check", str(policy_copy)])
    assert "hint: A letter gives the decision's motivation: print {{ reason }}" in capsys.readouterr().err


def test_a_municipal_letter_may_give_the_reason_in_its_own_words_and_place(policy_copy: Path, tmp_path: Path) -> None:
    """What the check asks is the reason, visibly, not where or how: a paragraph of its own loads, and a
    departing decision's letter says the caseworker's words."""
    own_template(policy_copy, "benefits", REASON_LINE, "{% if reason %}<p>Onze reden: {{ reason }}</p>{% endif %}")
    advisor = Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    letter, _ = letter_for(advisor, valid_case(), reason="De inwoner meldde de wijziging zelf, maar te laat.")
    assert "Onze reden: De inwoner meldde de wijziging zelf, maar te laat." in text_of(letter)


INTRO_LINE = "<p>U krijgt een uitkering volgens {{ letter.law }}."


@pytest.mark.parametrize(
    ("replacement", "said"),
    [
        ("<p>U krijgt een uitkering volgens de Participatiewet.", "'Participatiewet'"),
        ("<p>U krijgt een uitkering volgens {{ letter.law }} (artikel 18a, lid 1).", "'artikel', 'lid 1'"),
        ("<p>U krijgt een uitkering volgens {{ letter.law }}. Zie art. 17 Pw en de Awb.", "'Awb', 'art. 17'"),
        # a percentage is one of the law's figures: wrong at every culpability but intent
        ("<p>U krijgt een uitkering volgens {{ letter.law }}. De boete is altijd 100%.", "'100%'"),
        ("<p>U krijgt een uitkering volgens {{ letter.law }}. Wij nemen 10 procent van de norm.", "'10 procent'"),
    ],
)
def test_a_municipal_letter_that_names_a_law_or_cites_an_article_itself_is_refused_at_its_line(
    policy_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], replacement: str, said: str
) -> None:
    """A letter states the case's own law (an IOAW case cites the IOAW's article): the template names
    the law by {{ letter.law }} and cites through the packs' sentences and sources. One that writes a
    law's name or an article itself tells every resident the same law; it is refused at that line."""
    own = own_template(policy_copy, "benefits", INTRO_LINE, replacement)
    with pytest.raises(LetterTemplateError) as refused:
        Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    [problem] = refused.value.problems
    assert (f"{own}:{line_of(own, replacement)}", "LETTER_OWN_LAW") == (problem.where, problem.code)
    assert f"the template names a law, cites an article or states a percentage in its own words ({said})" in (
        problem.message
    )
    assert 4 == main(["check", str(policy_copy)])
    assert "hint: Name the law with {{ letter.law }}" in capsys.readouterr().err


def test_a_law_named_in_a_comment_or_by_the_pack_is_not_the_templates_own_word(
    policy_copy: Path, tmp_path: Path
) -> None:
    """What the check reads is the template's own text: a comment for its maintainers ({# #}, <!-- -->)
    may name the article it follows, and the pack's name of the law is printed as it is."""
    own_template(
        policy_copy,
        "benefits",
        INTRO_LINE,
        "{# Awb artikel 3:46 #}<!-- Participatiewet art. 17 -->" + INTRO_LINE,
    )
    advisor = Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    letter, _ = letter_for(advisor, valid_case())
    assert "U krijgt een uitkering volgens de Participatiewet." in text_of(letter)


@pytest.mark.parametrize("folder", ["nl-benefits", "_gedeeld"])
def test_a_template_where_no_municipal_pack_lies_is_reported_as_never_used(
    policy_copy: Path, capsys: pytest.CaptureFixture[str], folder: str
) -> None:
    """A template in the national pack's folder, or in a shared folder of a service that several
    municipalities run together, is never chosen for a letter: `maatwerk check` warns at the file,
    saying where a municipality's template lies; the check still passes."""
    place = policy_copy / "benefits" / folder
    place.mkdir(exist_ok=True)
    (place / TEMPLATE_NAME).write_text(default_template("benefits").read_text(encoding="utf-8"), encoding="utf-8")
    assert 0 == main(["check", str(policy_copy)])
    err = capsys.readouterr().err
    assert f"{place / TEMPLATE_NAME}:1:1: warning LETTER_TEMPLATE_UNUSED: no municipal pack lies in {folder}/" in err
    assert "hint: Put a municipality's template in its own pack folder" in err


def test_the_objection_term_is_the_dated_parameter_of_the_national_pack(policy_copy: Path, tmp_path: Path) -> None:
    """The term comes from bezwaartermijn_weken (Awb 6:7) on the decision date, not from the template:
    a new dated value changes the letter from its date on."""
    pack = policy_copy / "benefits" / "nl-benefits" / "2013-01-01.yaml"
    text = pack.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.lstrip().startswith("bezwaartermijn_weken:"))
    assert ("value: 6", True) == (re.search(r"value: \d+", line).group(0), line.endswith("}]}"))  # type: ignore[union-attr]
    pack.write_text(text.replace(line, line[: -len("]}")] + ", {from: 2026-03-01, value: 8}]}"), encoding="utf-8")
    advisor = Advisor(Engine(policy_copy), AuditStore(tmp_path / "a.sqlite", secret=SECRET))
    later, _ = letter_for(advisor, valid_case())
    earlier_case = {**valid_case(), "decision_date": "2026-02-27"}
    earlier, _ = letter_for(advisor, earlier_case)
    assert ("binnen 8 weken" in text_of(later), "binnen 6 weken" in text_of(earlier)) == (True, True)


def missing(real: Any, sample: Any, where: str = "") -> list[str]:
    """The names of ``real`` (a letter context) that ``sample`` lacks, at every depth (lists by their
    first item, where both have one)."""
    if isinstance(real, dict) and sample is not None:  # None: the sample takes the branch without it
        if not isinstance(sample, dict):
            return [where or "(top)"]
        return [
            m
            for k, v in real.items()
            for m in (missing(v, sample[k], f"{where}.{k}") if k in sample else [f"{where}.{k}"])
        ]
    if isinstance(real, list) and real and isinstance(sample, list) and sample:
        return missing(real[0], sample[0], f"{where}[0]")
    return []


@pytest.mark.parametrize("example", ["01-inkomsten-normaal.json", "05-wmo-structureel-kwetsbaar.json"])
def test_the_sample_contexts_a_template_is_checked_on_have_the_shape_of_a_real_letter(
    engine: Engine, example_cases: dict[str, dict[str, Any]], example: str
) -> None:
    """Every name a real letter context has, at every depth, is in the sample contexts a template is
    rendered on at load (so a template that loads cannot meet an unknown name when a letter is sent)."""
    case = parse_case(copy.deepcopy(example_cases[example]))
    advice = engine.advise(case)
    stack = engine._select(case).decision
    real = letter_context(stack, case, advice, {"measure": advice.measure.kind, "amount": advice.measure.amount})
    samples = sample_contexts(advice.domain)
    assert [[]] * len(samples) == [missing(real, s) for s in samples]
    assert [set(real)] * len(samples) == [set(s) for s in samples]


def test_the_letter_is_a_printable_document_and_a_pdf(advisor: Advisor) -> None:
    """The document has a print stylesheet (A4) and the letter; the PDF is a PDF with the letter's
    title, written with the embedded Unicode font (the euro sign needs it)."""
    letter, _ = letter_for(advisor, valid_case())
    document = render_document(letter, "Besluit 1")
    pdf = render_pdf(letter, "Besluit 1")
    assert (True, True, True) == ("@media print" in document, "size: A4" in document, letter in document)
    assert (b"%PDF-", True, True) == (pdf[:5], b"DejaVu" in pdf, b"Besluit 1" in pdf)


def test_importing_maatwerk_or_the_letters_module_does_not_load_jinja2_or_fpdf() -> None:
    """The template engine and the PDF writer are imported only when a letter is loaded or made."""
    code = "import sys, maatwerk, maatwerk.letters; print(sorted(m for m in ('jinja2', 'fpdf') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "[]" == out.strip()


def test_a_date_in_the_letter_is_written_the_dutch_way() -> None:
    """Dates are 'd maand jjjj' in the letter (a sample context rendered with the default template)."""
    templates = load_templates(default_template("benefits").parent, None)
    letter = templates.render({**sample_contexts("benefits")[0], "date": dt.date(2026, 12, 7)})
    assert "7 december 2026" in text_of(letter)


@pytest.mark.parametrize("domain", ["benefits", "providers"])
def test_every_branch_of_the_default_template_makes_a_pdf(domain: str) -> None:
    """fpdf2 writes a PDF of the letter on every sample context (every measure and optional part), so
    the elements the default templates use are ones the PDF knows."""
    templates = load_templates(default_template(domain).parent, None)
    pdfs = [render_pdf(templates.render(context), "Besluit")[:5] for context in sample_contexts(domain)]
    assert [b"%PDF-"] * len(pdfs) == pdfs
