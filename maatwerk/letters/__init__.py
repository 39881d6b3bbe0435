# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The decision letter: built from the recorded decision, the advice's reasoning and the packs.

The letter is the motivation of a decision (Awb 3:46; for a fine Awb 5:9), written to the resident or
the provider in Dutch, the language of the decision (Awb 2:6). Python gathers the facts into a
:class:`dict` (the *letter context*, see ``docs/how-to/write-a-letter-template.md``); a template turns
them into words. No sentence of the letter is written in Python, and no legal figure either: the
amounts, terms and articles come from the case, the advice and the dated parameters and per-law sources
of the packs.

A default template per domain ships with the package (``maatwerk/letters/templates/``); a municipality
replaces it with a file ``letter.html.j2`` in its own pack folder
(``policies/<domain>/<municipality>-<domain>/letter.html.j2``). Templates run in Jinja2's sandbox with
HTML autoescaping and strict undefined names. They are compiled, and rendered on sample contexts that
cover every branch a real letter can take, when they are loaded (:func:`load_templates`, at
``maatwerk check`` and when the service starts): a mistake is a :class:`LetterTemplateError` naming
``file:line``, never a failure while a letter is sent.

Jinja2 (and fpdf2 for the PDF) are the ``letter`` extra, imported only here and only when a letter is
loaded or made, so ``import maatwerk`` stays light.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from maatwerk._format import eur, letter_html
from maatwerk._letter_vocabulary import LETTER_VOCABULARY
from maatwerk._texts import say
from maatwerk.errors import PolicyError, Problem

__all__ = [
    "LETTER_VOCABULARY",
    "TEMPLATE_NAME",
    "LetterTemplateError",
    "LetterTemplates",
    "LetterVocabulary",
    "default_template",
    "document_style_hash",
    "letter_context",
    "load_templates",
    "render_document",
    "render_pdf",
    "sample_contexts",
    "template_findings",
]

#: The file name of a municipality's letter template, in its pack folder.
TEMPLATE_NAME = "letter.html.j2"
_HERE = Path(__file__).resolve().parent
_DEFAULTS = _HERE / "templates"
_FONTS = _HERE / "fonts"
_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


class LetterTemplateError(PolicyError):
    """A letter template cannot be used: ``problems`` locate each mistake as ``file:line``."""

    code = "LETTER_TEMPLATE_INVALID"
    hint = (
        "Correct the template at the place named; docs/how-to/write-a-letter-template.md lists every name "
        "a letter template can use."
    )


# --- the letter context -----------------------------------------------------------------------------


def _source(stack: Any, sid: str, law: str | None) -> dict[str, str]:
    src = stack.sources[stack.cite(sid, law)]
    return {"citation": src.citation, "identifier": src.identifier, "url": src.url}


def _literal(template: Any) -> str:
    """A pack text without placeholders, in Dutch."""
    return "".join(p for p in template.nl if isinstance(p, str))


def _basis(items: Iterable[Any]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for b in items:
        seen.setdefault(b.url + b.citation, {"citation": b.citation, "identifier": b.identifier, "url": b.url})
    return list(seen.values())


def _param(params: Mapping[str, Any], stack: Any, name: str, law: str | None) -> dict[str, Any]:
    found = params[name]
    return {"value": found.value, "valid_from": found.valid_from, **_source(stack, found.source, law)}


def _pack_sentences(stack: Any, law: str, kind: str, measure: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The letter's sentences that state the law, from the national pack's ``letter`` section, filled in
    for the case: its law's name, its violation in words, the decided measure's words (where the
    domain's letter says them) and every named sentence. Each is HTML (``Markup``): the pack's words
    escaped, a citation a link to its source, ``**words**`` bold."""
    from markupsafe import Markup

    national = stack.packs[0]
    letter = national.letter
    if letter is None:
        raise PolicyError(
            f"{national.id} {national.version} has no sentences for the letter",
            problems=(
                Problem(
                    f"{national.path}:1:1",
                    "POLICY_MISSING_FIELD",
                    "letter: the national pack gives the letter's sentences that state the law "
                    "(policy-format.md, Letter)",
                ),
            ),
        )

    def param(name: str) -> tuple[Any, str]:
        found = params[name]
        return found.value, found.unit

    def cite(sid: str) -> Any:
        return stack.sources[stack.cite(sid, law)]

    def fill(parts: Any) -> Markup:
        return Markup(letter_html(parts, param, cite))  # letter_html escapes the pack's words

    out: dict[str, Any] = {"law": fill(letter.laws[law]), "kind": fill(letter.kinds[kind])}
    if letter.measures:
        out["measure"] = fill(letter.measures[measure]) if measure in letter.measures else None
    out.update({name: fill(parts) for name, parts in letter.texts.items()})
    out["open_to_objection"] = measure in letter.objection_measures
    return out


def letter_context(
    stack: Any, case: Any, advice: Any, decision: Mapping[str, Any], *, record: int | None = None
) -> dict[str, Any]:
    """The facts a letter template reads, for ``decision`` (the recorded decision's ``measure``,
    ``amount``, ``deviation`` and ``reason``) on ``advice`` for ``case``, with ``stack`` the packs the
    advice was given under (on the decision date). Dates and money stay typed; the template formats
    them with the ``datum`` and ``eur`` filters."""
    law = case.law.value
    params = stack.resolve_params(case.decision_date, case.decision_date)
    municipal = next((p for p in stack.packs if p.file.pack.layer == "municipal"), None)
    measures = stack.verdict.measures
    measure = str(decision["measure"])
    amount = None if decision.get("amount") is None else Decimal(str(decision["amount"]))
    own = [s for s in advice.steps if municipal is not None and s.pack.startswith(f"{municipal.id}@")]
    common: dict[str, Any] = {
        "domain": advice.domain,
        "case_ref": advice.case_ref,
        "record": record,
        "date": case.decision_date,
        "law": law,
        "municipality": None if municipal is None else municipal.file.pack.publisher,
        "measure": measure,
        "measure_label": measures[measure].nl if measure in measures else None,
        "amount": amount,
        "own_choice": bool(decision.get("deviation")),
        "reason": (decision.get("reason") or None),
        "rules_measure": advice.measure.kind,
        "rules_amount": advice.measure.amount,
        "policy": [
            {"text": s.text.nl, "basis": _basis(b for b in s.basis if b.identifier.startswith("CVDR"))} for s in own
        ],
        "objection": {
            "weeks": params["bezwaartermijn_weken"].value,
            **_source(stack, params["bezwaartermijn_weken"].source, law),
            "start": _source(stack, "awb_6_8", law),
            "contents": _source(stack, "awb_6_5", law),
        },
        "letter": _pack_sentences(stack, law, case.violation.kind.value, measure, params),
    }
    if advice.domain == "providers":
        return {**common, **_provider_context(stack, case, advice, measure)}
    return {**common, **_benefit_context(stack, case, advice, measure, law, params)}


def _benefit_context(
    stack: Any, case: Any, advice: Any, measure: str, law: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    v, loss, fin, cul = case.violation, case.benefit_loss, case.finances, case.culpability
    from maatwerk.models.case import LOSS_BASIS_PARAMETER

    loss_basis = str(params[LOSS_BASIS_PARAMETER[law]].value)  # netto or bruto, as the law counts the loss
    level = None if cul.confirmed is None else cul.confirmed.value
    texts = stack.verdict.texts
    ind = cul.indicators
    circ = case.circumstances
    fined = measure in ("boete", "voorwaardelijke_boete")
    steps = {s.rule_id: s for s in advice.steps}
    cap_ids = ("draagkracht", "beslagvrije_voet_maximum")
    capped = [c for c in advice.calculation if c.id in cap_ids]
    plan = next((a for a in advice.alternatives if a.measure == "betalingsregeling"), None)
    # The circumstances weighed for dringende redenen: the steps of the rules that give that decision a factor.
    weighed = {r.id for r in stack.rules if any(f.decision == "dringende_redenen" for f in r.factors)}
    urgent_factors = [s.text.nl for s in advice.steps if s.rule_id in weighed]
    months = None if level is None else params.get(f"draagkracht_maanden_{level}")
    threshold = params["rapport_zienswijze_drempel"]
    highest = advice.measure.band.highest_amount
    recovery = next((t for t in advice.tracks if t.id == "terugvordering" and t.status == "verplicht"), None)
    track_id = "aangifte" if measure == "aangifte" else "boete_of_waarschuwing"
    return {
        "facts": {
            "kind": v.kind.value,
            "period_start": v.period.start,
            "period_end": v.period.end,
            "information_due": v.information_due,
            "detected_on": v.detected_on,
            "detection": v.detection.value,
            "self_reported_on": v.self_reported_on,
            "loss": loss.gross if loss_basis == "bruto" else loss.net,
            "loss_basis": loss_basis,
        },
        "duty": _source(stack, "inlichtingenplicht", law),
        "basis": _basis(b for t in advice.tracks if t.id == track_id for b in t.basis),
        "sources": {
            sid: _source(stack, sid, law)
            for sid in ("boete_wet", "waarschuwing_wet", "dringende_redenen_boete", "boete_maximum", "awb_5_53")
        },
        "calculation": [{"label": c.label.nl, "amount": c.amount} for c in advice.calculation] if fined else [],
        "culpability": {
            "level": level,
            "words": None if level is None else _literal(texts[f"level_{level}"]),
            "admission": ind.admission is True,
            "concealed_work_or_income": ind.concealed_work_or_income is True,
            "concealed_household_or_assets": ind.concealed_household_or_assets is True,
            "repeated_failure_to_inform": ind.repeated_failure_to_inform is True,
            "disrupting_life_events": circ.disrupting_life_events is True,
            "mental_state": circ.mental_state_reduces_attribution is True,
            "combination_of_circumstances": circ.combination_of_circumstances is True,
            "self_correction": v.detection.value == "zelfmelding_voor_ontdekking",
            "municipality_role": any(
                x is True
                for x in (
                    circ.municipality.late_processing,
                    circ.municipality.unclear_communication,
                    circ.municipality.ignored_signals,
                )
            ),
            "basis": _source(stack, "boetebesluit_2a", law),
        },
        "ability": {
            "data_supplied": fin.financial_data_supplied,
            "bijstand_level": fin.bijstand_level_income,
            "joint_household": fin.joint_household is True,
            "capped": bool(capped),
            "cap_label": capped[-1].label.nl if capped else None,
            "instalments": None if plan is None or plan.amount is None else plan.amount,
            "months": None if months is None else months.value,
            "basis": [b for s in advice.steps if s.stage == "ability" for b in _basis(s.basis)],
        },
        "urgent": {
            "outcome": None if case.procedure.urgent_reasons is None else case.procedure.urgent_reasons.value,
            "factors": list(dict.fromkeys(urgent_factors)),
            "basis": _source(stack, "dringende_redenen_boete", law),
        },
        "report": {
            "required": fined and highest is not None and highest > threshold.value,
            "threshold": threshold.value,
            "basis": _source(stack, threshold.source, law),
            "stated": "rapport_en_zienswijze" in steps,
        },
        "recovery": None
        if recovery is None
        else {
            "amount": recovery.amount,
            "basis": _basis(recovery.basis),
            "herziening": _source(stack, "herziening_wet", law),
        },
    }


def _provider_context(stack: Any, case: Any, advice: Any, measure: str) -> dict[str, Any]:
    fired = {s.rule_id: s for s in advice.steps}
    sets_basis = [
        r.id
        for r in stack.rules
        if r.id in fired and any(name == f"basis_{measure}" and value == 1 for name, value in r.sets)
    ]
    basis = _basis(b for rid in sets_basis for b in fired[rid].basis)
    contract = bool(basis) and all(b["identifier"] in ("overeenkomst", "BWBR0005289") for b in basis)
    continuity = next((t for t in advice.tracks if t.id == "continuiteit_zorg"), None)
    return {
        "provider": case.provider.id,
        "facts": {
            "kind": case.violation.kind.value,
            "found_on": case.violation.found_on,
            "pattern": None if case.pattern is None else case.pattern.value,
            "harm_occurred": case.risk.harm_occurred is True,
            "vulnerable_clients": case.risk.vulnerable_clients is True,
            "ongoing_danger": case.risk.ongoing_danger is True,
        },
        "duty": _basis(
            b for s in advice.steps if s.stage == "basis" and s.rule_id.startswith("basis_gesprek") for b in s.basis
        ),
        "basis": basis,
        "contract": contract,
        "deadline_days": advice.measure.deadline_days if measure == advice.measure.kind else None,
        "grounds": [s.text.nl for s in advice.steps if s.stage == "ladder"],
        "continuity": None
        if continuity is None or continuity.status == "niet_van_toepassing"
        else continuity.explanation.nl,
    }


# --- sample contexts: every branch a template can take ----------------------------------------------


def _src() -> dict[str, str]:
    """A sample source: the catalogue's sample citation (a letter's real sources are the packs')."""
    return {
        "citation": say("letters.sample.citation", "nl"),
        "identifier": "BWBR0000000",
        "url": "https://wetten.overheid.nl/BWBR0000000",
    }


def _sample_sentences(domain: str) -> dict[str, Any]:
    """The pack's letter sentences of a sample context: every name a real letter has, the law's name and
    the violation as the catalogue's sample words, each sentence as its sample sentence with a link (as a
    citation in a real one)."""
    from markupsafe import Markup, escape

    vocabulary = LETTER_VOCABULARY[domain]
    source = _src()
    sentence = Markup(f'{escape(say("letters.sample.sentence", "nl"))} (<a href="{escape(source["url"])}">')
    sentence += Markup(f"{escape(source['citation'])}</a>).")
    words = escape(say("letters.sample.words", "nl"))
    sentences = (*(("measure",) if vocabulary.measures else ()), *vocabulary.texts)
    return {"law": words, "kind": words, **dict.fromkeys(sentences, sentence), "open_to_objection": False}


def sample_contexts(domain: str) -> list[dict[str, Any]]:
    """Contexts of the shape :func:`letter_context` makes, one for each branch a letter can take
    (each measure; departing or not; with and without a report, ability data, urgent reasons, a
    policy, a recovery, a case reference). Loading a template renders it on each."""
    day = dt.date(2026, 3, 2)
    # The words are the catalogue's (maatwerk/_texts/ui.yaml), in Dutch: the letter's language.
    municipality, reason = say("letters.sample.municipality", "nl"), say("letters.sample.reason", "nl")
    common: dict[str, Any] = {
        "domain": domain,
        "case_ref": "voorbeeld",
        "record": 1,
        "date": day,
        "law": "participatiewet" if domain == "benefits" else "wmo2015",
        "municipality": municipality,
        "measure_label": say("letters.sample.measure_label", "nl"),
        "own_choice": False,
        "reason": None,
        "rules_amount": Decimal("840.00"),
        "policy": [{"text": say("letters.sample.policy", "nl"), "basis": [_src()]}],
        "objection": {
            "weeks": 6,
            **_src(),
            "start": _src(),
            "contents": _src(),
        },
        "letter": _sample_sentences(domain),
    }
    out: list[dict[str, Any]] = []
    if domain == "providers":
        from maatwerk.models.advice import ProviderMeasureKind

        for i, measure in enumerate(ProviderMeasureKind.__args__):  # type: ignore[attr-defined]
            odd = i % 2 == 1
            out.append(
                {
                    **common,
                    "measure": measure,
                    "rules_measure": "verbeterplan",
                    "amount": Decimal("2500.00") if measure in ("contractuele_boete", "last_onder_dwangsom") else None,
                    "own_choice": odd,
                    "reason": reason if odd else None,
                    "case_ref": None if odd else "voorbeeld",
                    "municipality": None if odd else municipality,
                    "policy": [] if odd else common["policy"],
                    "provider": "AGB-1",
                    # open to objection, a contract measure, neither: each with and without the rest
                    "letter": {**common["letter"], "open_to_objection": i % 3 == 0},
                    "facts": {
                        "kind": "kwaliteit_onvoldoende",
                        "found_on": day,
                        "pattern": None if odd else "structureel",
                        "harm_occurred": odd,
                        "vulnerable_clients": not odd,
                        "ongoing_danger": odd,
                    },
                    "duty": [_src()],
                    "basis": [] if odd else [_src()],
                    "contract": odd,
                    "deadline_days": None if odd else 42,
                    "grounds": [say("letters.sample.ground", "nl")],
                    "continuity": None if odd else say("letters.sample.continuity", "nl"),
                }
            )
        return out
    for i, measure in enumerate(("boete", "voorwaardelijke_boete", "waarschuwing", "geen_boete", "aangifte")):
        for variant in (False, True):
            fined = measure in ("boete", "voorwaardelijke_boete")
            flag = variant
            out.append(
                {
                    **common,
                    "measure": measure,
                    "rules_measure": "boete" if variant else measure,
                    "amount": Decimal("840.00") if fined else None,
                    "own_choice": variant,
                    "reason": reason if variant else None,
                    "case_ref": None if variant else "voorbeeld",
                    "municipality": None if variant else municipality,
                    "policy": [] if variant else common["policy"],
                    "facts": {
                        "kind": ("inkomsten_of_werk", "samenwoning", "vermogen", "verblijf_buitenland", "overig")[i],
                        "period_start": dt.date(2025, 2, 1),
                        "period_end": dt.date(2025, 7, 31),
                        "information_due": dt.date(2025, 2, 8),
                        "detected_on": dt.date(2025, 10, 15),
                        "detection": "zelfmelding_voor_ontdekking" if variant else "gegevensvergelijking",
                        "self_reported_on": dt.date(2025, 3, 1) if variant else None,
                        "loss": None if (variant and not fined) else Decimal("2480.00"),
                        "loss_basis": "bruto" if variant else "netto",
                    },
                    "duty": _src(),
                    "basis": [_src()],
                    "sources": {
                        sid: _src()
                        for sid in (
                            "boete_wet",
                            "waarschuwing_wet",
                            "dringende_redenen_boete",
                            "boete_maximum",
                            "awb_5_53",
                        )
                    },
                    "calculation": [
                        {"label": say("letters.sample.calculation_step", "nl"), "amount": Decimal("840.00")}
                    ]
                    if fined
                    else [],
                    "culpability": {
                        "level": (None, "opzet", "grove_schuld", "normaal", "verminderd", "geen")[
                            (i + 3 * variant) % 6
                        ],
                        "words": say("letters.sample.culpability", "nl"),
                        "admission": flag,
                        "concealed_work_or_income": flag,
                        "concealed_household_or_assets": flag,
                        "repeated_failure_to_inform": flag,
                        "disrupting_life_events": flag,
                        "mental_state": flag,
                        "combination_of_circumstances": flag,
                        "self_correction": flag,
                        "municipality_role": flag,
                        "basis": _src(),
                    },
                    "ability": {
                        "data_supplied": (None, True, False)[i % 3],
                        "bijstand_level": (True, False, None)[i % 3],
                        "joint_household": flag,
                        "capped": flag,
                        "cap_label": say("letters.sample.cap_label", "nl") if flag else None,
                        "instalments": Decimal("70.00") if flag else None,
                        "months": 12 if flag else None,
                        "basis": [_src()],
                    },
                    "urgent": {
                        "outcome": (None, "aanwezig", "afwezig")[(i + variant) % 3],
                        "factors": [say("letters.sample.urgent_factor", "nl")] if flag else [],
                        "basis": _src(),
                    },
                    "report": {
                        "required": fined and not variant,
                        "threshold": Decimal("340.00"),
                        "basis": _src(),
                        "stated": fined,
                    },
                    "recovery": None
                    if variant
                    else {
                        "amount": Decimal("2480.00"),
                        "basis": [_src()],
                        "herziening": _src(),
                    },
                }
            )
    return out


# --- templates --------------------------------------------------------------------------------------


def _datum(value: Any) -> str:
    """A date as a Dutch letter writes it: ``2 maart 2026``."""
    if not isinstance(value, dt.date):
        raise TypeError("datum: not a date")
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _eur(value: Any) -> str:
    if not isinstance(value, Decimal):
        raise TypeError("eur: not an amount of money")
    return eur(value)


def _environment() -> Any:
    try:
        from jinja2 import StrictUndefined
        from jinja2.sandbox import ImmutableSandboxedEnvironment
    except ImportError:  # pragma: no cover - the letter extra is part of the service extra
        raise LetterTemplateError(
            "letters need Jinja2: install maatwerk[letter]",
            problems=(Problem("letter", "LETTER_EXTRA_MISSING", "pip install 'maatwerk[letter]'"),),
        ) from None
    env = ImmutableSandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["datum"] = _datum
    env.filters["eur"] = _eur
    return env


def default_template(domain: str) -> Path:
    """The template the package ships for ``domain`` (``benefits`` or ``providers``)."""
    return _DEFAULTS / f"{domain}.html.j2"


def _located(path: Path, err: BaseException) -> Problem:
    """Where in ``path`` an error of a template lies: ``file:line`` from Jinja2's syntax error or
    from the template's frame in the traceback of an error while rendering."""
    line = getattr(err, "lineno", None)
    if line is None:
        frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == str(path)]
        line = frames[-1].lineno if frames else None
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    return Problem(f"{path}:{line or 1}", "LETTER_TEMPLATE_INVALID", re.sub(r"\s+", " ", message)[:300])


@dataclass(frozen=True)
class LetterTemplates:
    """The compiled letter templates an engine uses: one per domain, the municipality's where its
    pack folder has one, else the package's default."""

    templates: Mapping[str, Any]
    paths: Mapping[str, Path]

    def render(self, context: Mapping[str, Any]) -> str:
        """The letter's HTML (a fragment: one ``<article>``) for a context of :func:`letter_context`."""
        domain = str(context["domain"])
        try:
            return str(self.templates[domain].render(**context))
        except Exception as err:  # a template checked at load fails only on a context it never saw
            raise LetterTemplateError(
                "the letter could not be written", problems=(_located(self.paths[domain], err),)
            ) from err


def _compile(env: Any, path: Path) -> tuple[Any, list[Problem]]:
    from jinja2 import TemplateSyntaxError

    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return None, [Problem(f"{path}:1", "LETTER_TEMPLATE_UNREADABLE", f"cannot read the template: {err}")]
    try:
        code = env.compile(source, name=path.name, filename=str(path))
        template = env.template_class.from_code(env, code, env.make_globals(None))
    except TemplateSyntaxError as err:
        return None, [_located(path, err)]
    domain = path.name.split(".")[0] if path.parent == _DEFAULTS else _domain_of(path)
    contexts = sample_contexts(domain)
    problems: list[Problem] = []
    for context in contexts:
        try:
            template.render(**context)
        except Exception as err:
            problems.append(_located(path, err))
            break
    if not problems:
        problems.extend(_objection_problems(template, path, source, domain, contexts))
        problems.extend(_amount_problems(template, path, source, contexts))
        problems.extend(_reason_problems(template, path, source, contexts))
        problems.extend(_law_problems(path, source))
    return template, problems


# --- the objection clause: the law's words and term, never the template's own ----------------------


def _words(message: str) -> frozenset[str]:
    """The Dutch words of a catalogue entry (``maatwerk/_texts/ui.yaml``), one by one, lower case."""
    return frozenset(say(message, "nl").lower().split())


# The words of a sentence about objecting to the decision, and the units and number words of a term, as
# a letter's Dutch says them (single words, matched whole and case-insensitively): the catalogue's.
_OBJECTION_WORDS = _words("letters.check.objection_words")
_TERM_UNITS = _words("letters.check.term_units")
_WEEK_UNITS = _words("letters.check.week_units")
_NUMBER_WORDS = _words("letters.check.number_words")
#: The objection term the check renders in its second pass: a term the template computes from
#: ``objection.weeks`` changes with it; a term the template writes itself does not.
_PROBE_WEEKS = 97
_BLOCKS = frozenset(
    {"p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "div", "blockquote", "article", "section"}
)
_VOID = frozenset({"br", "hr", "img", "meta", "input", "link", "wbr", "col", "area", "base", "source"})


class _VisibleText:
    """The text a reader sees in a letter's HTML: no comments, scripts, styles or templates, and
    nothing inside an element that is hidden (``hidden``, ``aria-hidden``, an inline style that
    hides it). Blocks end a sentence (a newline)."""

    def __init__(self, fragment: str) -> None:
        from html.parser import HTMLParser

        parts: list[str] = []
        stack: list[bool] = []

        def hidden(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
            found = dict(attrs)
            style = re.sub(r"\s+", "", (found.get("style") or "").lower())
            return (
                tag in ("script", "style", "template", "head", "title", "noscript")
                or "hidden" in found
                or (found.get("aria-hidden") or "").lower() == "true"
                or any(v in style for v in ("display:none", "visibility:hidden", "font-size:0", "opacity:0"))
            )

        class _Parser(HTMLParser):
            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                if tag in _BLOCKS:
                    parts.append("\n")
                if tag not in _VOID:
                    stack.append(hidden(tag, attrs) or (bool(stack) and stack[-1]))

            def handle_endtag(self, tag: str) -> None:
                if tag not in _VOID and stack:
                    stack.pop()
                if tag in _BLOCKS:
                    parts.append("\n")

            def handle_data(self, data: str) -> None:
                if not (stack and stack[-1]):
                    parts.append(data)

        parser = _Parser(convert_charrefs=True)
        parser.feed(fragment)
        parser.close()
        self.text = "".join(parts)

    def has(self, sentence: str) -> bool:
        return _squeeze(sentence) in _squeeze(self.text)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _marked(context: dict[str, Any], names: Iterable[str], weeks: int) -> dict[str, Any]:
    """``context`` with each named letter sentence made unique (so the check can tell whether that one
    is printed) and the objection term set to ``weeks``."""
    from markupsafe import escape

    base = say("letters.sample.sentence", "nl")
    letter = {**context["letter"], **{n: escape(f"{base} ({n})") for n in names}}
    return {**context, "letter": letter, "objection": {**context["objection"], "weeks": weeks}}


def _line_of(source: str, *needles: str) -> int:
    """The first line of ``source`` that holds the first of ``needles`` found as a whole name or words
    (else line 1)."""
    uncommented = re.sub(r"\{#.*?#\}", lambda m: "\n" * m.group().count("\n"), source, flags=re.S)
    lines = uncommented.lower().splitlines()
    for needle in needles:
        pattern = re.compile(rf"(?<![\w.]){re.escape(needle.lower())}(?!\w)")
        for number, line in enumerate(lines, 1):
            if pattern.search(line):
                return number
    return 1


def _objection_problems(
    template: Any, path: Path, source: str, domain: str, contexts: list[dict[str, Any]]
) -> list[Problem]:
    """A letter open to objection says how to object in the law's words and with the law's term (Awb
    3:45 lid 1, 6:7): the template prints the national pack's objection sentences, visibly, on every
    sample context that is open to objection, and states no objection term of its own (a term it
    writes in words or figures, or computes other than ``objection.weeks``)."""
    vocabulary = LETTER_VOCABULARY.get(domain)
    names = vocabulary.objection if vocabulary is not None else ()
    if not names:
        return []
    problems: list[Problem] = []
    base = say("letters.sample.sentence", "nl")
    printed: dict[str, bool] = dict.fromkeys(names, True)
    terms: list[str] = []
    for context in contexts:
        if domain == "providers" and not context["letter"]["open_to_objection"]:
            continue
        for weeks in (int(context["objection"]["weeks"]), _PROBE_WEEKS):
            seen = _VisibleText(template.render(**_marked(context, names, weeks)))
            for name in names:
                printed[name] = printed[name] and seen.has(f"{base} ({name})")
            own = seen.text
            for name in names:  # the pack's sentences say the law's term; the rest is the template's
                own = own.replace(f"{base} ({name})", "\n")
            terms.extend(_own_terms(own, weeks))
    for name in names:
        if not printed[name]:
            problems.append(
                Problem(
                    f"{path}:{_line_of(source, 'letter.' + name, 'letter.open_to_objection')}",
                    "LETTER_OBJECTION_CLAUSE",
                    f"the letter does not show letter.{name} (the national pack's objection sentence) where the "
                    "decision is open to objection: print {{ letter." + name + " }} visibly, in every such letter "
                    "(Awb 3:45 lid 1)",
                )
            )
    by_line: dict[int, list[str]] = {}
    for words in dict.fromkeys(terms):
        by_line.setdefault(_line_of(source, words, "objection.weeks", words.split()[-1]), []).append(words)
    for line, found in by_line.items():
        said = "', '".join(found)
        problems.append(
            Problem(
                f"{path}:{line}",
                "LETTER_OBJECTION_TERM",
                f"the template states a term of its own ('{said}'): the term to object is the national "
                "parameter bezwaartermijn_weken (Awb 6:7), said by {{ letter.objection }}; a template that names "
                "it prints {{ objection.weeks }} as it is. A template states no other number of weeks anywhere, "
                "and no span of time in a sentence about objecting: a resident could read it as the term",
            )
        )
    return problems


def _own_terms(text: str, weeks: int) -> list[str]:
    """The terms a template's own sentences state that are not the objection term ``weeks``: a number
    of weeks other than ``weeks`` anywhere, and in a sentence about objecting any other span of time
    (in days, months or years, in words, or without a number)."""
    found: list[str] = []
    for sentence in re.split(r"[.!?:;\n]+", text):
        words = re.findall(r"\d+|[^\W\d_]+", sentence.lower())
        about_objection = any(w in _OBJECTION_WORDS for w in words)
        for i, unit in enumerate(words):
            if unit not in _TERM_UNITS:
                continue
            number = words[i - 1] if i else ""
            if unit in _WEEK_UNITS and number.isdigit() and int(number) == weeks:
                continue
            if about_objection or (unit in _WEEK_UNITS and (number.isdigit() or number in _NUMBER_WORDS)):
                found.append(f"{number} {unit}".strip())
    return found


# --- the amount: the one decided, never one of the template's own ----------------------------------

#: The amount decided the check renders in its second pass: a template that prints ``amount`` shows it;
#: one that writes an amount itself, or computes one from ``amount``, shows another.
_PROBE_AMOUNT = Decimal("97531.24")
# An amount of money as a letter's Dutch writes it: ``€ 1.234,56`` or ``500 euro`` (the catalogue's words).
_AMOUNT_WORDS = _words("letters.check.amount_words")
_EURO_SIGN = re.compile(r"€\s*(\d[\d.]*(?:,\d+)?)")
_NUMBER_BEFORE = re.compile(r"(\d[\d.]*(?:,\d+)?)\s*([^\W\d_]+)")


def _amounts_in(value: Any) -> set[Decimal]:
    """Every amount of money (a :class:`~decimal.Decimal`) anywhere in a letter context."""
    if isinstance(value, Decimal):
        return {value}
    if isinstance(value, Mapping):
        return set().union(*(_amounts_in(v) for v in value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*(_amounts_in(v) for v in value)) if value else set()
    return set()


def _stated_amounts(text: str) -> list[tuple[str, Decimal]]:
    """The amounts of money a letter's text states, as written and as a number: after a euro sign, or
    before one of the catalogue's words for the currency."""
    found: list[tuple[str, str]] = [(m.group(0), m.group(1)) for m in _EURO_SIGN.finditer(text)]
    found += [(m.group(0), m.group(1)) for m in _NUMBER_BEFORE.finditer(text) if m.group(2).lower() in _AMOUNT_WORDS]
    out: list[tuple[str, Decimal]] = []
    for said, number in found:
        digits = number.replace(".", "").replace(",", ".")
        try:
            out.append((_squeeze(said), Decimal(digits)))
        except ArithmeticError:  # pragma: no cover - the pattern holds digits only
            continue
    return out


def _amount_problems(template: Any, path: Path, source: str, contexts: list[dict[str, Any]]) -> list[Problem]:
    """A letter that decides an amount tells the addressee that amount, and no other of the template's
    own (Awb 3:46, 5:9): on every sample context with an amount the template prints ``amount`` visibly,
    and every amount of money its text states is one of the context's (the decision's, a calculation
    step's, an instalment): an amount written in the template, or computed from ``amount``, is not."""
    missing = False
    own: dict[str, None] = {}
    for context in contexts:
        if context.get("amount") is None:
            continue
        probed = {**context, "amount": _PROBE_AMOUNT}
        seen = _VisibleText(template.render(**probed))
        missing = missing or not seen.has(eur(_PROBE_AMOUNT))
        known = _amounts_in(probed)
        for said, value in _stated_amounts(seen.text):
            if value not in known:
                own[said] = None
    problems: list[Problem] = []
    if missing:
        problems.append(
            Problem(
                f"{path}:{_line_of(source, 'amount', 'measure')}",
                "LETTER_AMOUNT_MISSING",
                "the letter does not show the amount decided where there is one: print {{ amount|eur }} visibly "
                "in every letter of a measure with an amount (Awb 3:46, 5:9: the addressee must read what is "
                "decided)",
            )
        )
    by_line: dict[int, list[str]] = {}
    for said in own:
        number = said.lstrip("€ ").split()[0]
        by_line.setdefault(_line_of(source, number, "amount"), []).append(said)
    for line, found in by_line.items():
        problems.append(
            Problem(
                f"{path}:{line}",
                "LETTER_OWN_AMOUNT",
                "the template states an amount of its own ('" + "', '".join(found) + "'): an amount in a "
                "letter is the one decided ({{ amount|eur }}) or one of the context (a calculation step, the "
                "instalments, the amount to repay), printed as it is; one the template writes or computes "
                "itself tells the addressee another amount than the decision's",
            )
        )
    return problems


# --- the motivation: the caseworker's reason, in the letter --------------------------------------------


def _reason_problems(template: Any, path: Path, source: str, contexts: list[dict[str, Any]]) -> list[Problem]:
    """A decision rests on its motivation, and the letter gives it (Awb 3:46, 3:47): where the caseworker
    wrote a reason (a departure from the rules always has one), the template prints ``reason`` visibly,
    on every sample context that has one."""
    marker = say("letters.sample.reason", "nl") + " (reason)"
    for context in contexts:
        if not context.get("reason"):
            continue
        seen = _VisibleText(template.render(**{**context, "reason": marker}))
        if not seen.has(marker):
            return [
                Problem(
                    f"{path}:{_line_of(source, 'reason', 'own_choice')}",
                    "LETTER_REASON_MISSING",
                    "the letter does not show the caseworker's reason where there is one: print {{ reason }} "
                    "visibly in every letter whose decision has a reason (Awb 3:46, 3:47: the decision rests on "
                    "its motivation, and the letter says it; a departure from the rules always has one)",
                )
            ]
    return []


# --- the law: named and cited by the pack's sentences, never by the template's own words -------------

# The names of the laws a letter's Dutch may name (one word each, matched whole and case-insensitively)
# and how it cites an article: the catalogue's. A template's own words hold neither: the law of the
# case, its articles and their links come from the packs (letter.law, the sources).
_LAW_WORDS = _words("letters.check.law_words")
_ARTICLE = re.compile(say("letters.check.article_pattern", "nl"), re.IGNORECASE)
_PERCENT = re.compile(say("letters.check.percent_pattern", "nl"), re.IGNORECASE)


def _own_words(source: str) -> list[tuple[int, str]]:
    """The template's own words, line by line: without Jinja comments, expressions and statements, HTML
    comments and tags (the context's values, and markup, are not the template's words)."""
    text = re.sub(r"\{#.*?#\}|<!--.*?-->", lambda m: "\n" * m.group().count("\n"), source, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]*>", lambda m: " " + "\n" * m.group().count("\n"), text, flags=re.S)
    return list(enumerate(text.splitlines(), 1))


def _law_problems(path: Path, source: str) -> list[Problem]:
    """The law a letter names is the case's law, in the national pack's words (Awb 3:46: the decision
    states its basis): a template that names a law, cites an article or states a percentage (the law's
    figures: a fine's share of the loss, the share of the norm) in its own words tells every resident
    the same law, whatever the case's (an IOAW case read the Participatiewet's article; "de boete is
    altijd 100%" is wrong at every culpability but intent)."""
    problems: list[Problem] = []
    for number, line in _own_words(source):
        words = [w for w in re.findall(r"[^\W\d_]+", line) if w.lower() in _LAW_WORDS]
        cites = [m.group().strip() for m in (*_ARTICLE.finditer(line), *_PERCENT.finditer(line))]
        said = list(dict.fromkeys([*words, *cites]))
        if said:
            problems.append(
                Problem(
                    f"{path}:{number}",
                    "LETTER_OWN_LAW",
                    "the template names a law, cites an article or states a percentage in its own words ('"
                    + "', '".join(said)
                    + "'): the law of the case, its articles and its figures are the packs' (the name "
                    "{{ letter.law }}, the sentences letter.NAME, the sources with their links, the calculation's "
                    "steps), so that each letter states the case's own law",
                )
            )
    return problems


def _domain_of(path: Path) -> str:
    """The domain of a pack folder's template: the folder above the pack folder (``policies/<domain>/<pack>/``)."""
    return path.parent.parent.name


def template_findings(root: Path) -> list[Problem]:
    """Every problem of the letter templates in the pack folders under the policy folder ``root``
    (for ``maatwerk check``): each compiled and rendered on the sample contexts of its domain."""
    found = sorted(root.glob(f"*/*/{TEMPLATE_NAME}"))
    if not found:
        return []
    try:
        env = _environment()
    except LetterTemplateError:
        return [
            Problem(
                f"{p}:1",
                "LETTER_EXTRA_MISSING",
                "checking a letter template needs Jinja2: pip install 'maatwerk[letter]'",
            )
            for p in found
        ]
    problems: list[Problem] = []
    for path in found:
        if _domain_of(path) not in ("benefits", "providers"):
            problems.append(
                Problem(f"{path}:1", "LETTER_TEMPLATE_PLACE", "a letter template lies in a pack folder of a domain")
            )
            continue
        problems.extend(_compile(env, path)[1])
    return problems


def load_templates(policy_dir: Path | str, municipality: str | None, packs: Sequence[Any] = ()) -> LetterTemplates:
    """The letter templates for ``municipality``: for each domain, ``letter.html.j2`` in the folder of
    the municipality's pack of that domain (``packs``: the loaded packs, whose ``path`` names the
    folder), else the default. Every template is compiled and rendered on the sample contexts now;
    any problem raises :class:`LetterTemplateError` with its ``file:line``."""
    env = _environment()
    root = Path(policy_dir)
    chosen: dict[str, Path] = {d: default_template(d) for d in ("benefits", "providers")}
    for pack in packs:
        head = pack.file.pack
        if head.layer == "municipal" and municipality is not None and head.municipality == municipality:
            own = Path(pack.path).parent / TEMPLATE_NAME
            if own.is_file():
                chosen[head.domain] = own
    templates: dict[str, Any] = {}
    problems: list[Problem] = []
    for domain, path in chosen.items():
        template, found = _compile(env, path)
        problems.extend(found)
        templates[domain] = template
    if problems:
        raise LetterTemplateError(f"{len(problems)} letter template problem(s) under {root}", problems=tuple(problems))
    return LetterTemplates(templates, chosen)


# --- the printable document and the PDF -------------------------------------------------------------

_DOCUMENT_CSS = (_HERE / "letter.css").read_text(encoding="utf-8")


def document_style_hash() -> str:
    """The CSP source (``'sha256-...'``) of the document's one inline stylesheet, so a page that serves
    the letter can allow that style and nothing else."""
    import base64
    import hashlib

    digest = hashlib.sha256(f"\n{_DOCUMENT_CSS}".encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def render_document(fragment: str, title: str) -> str:
    """The letter as a whole HTML document, with its print stylesheet (A4, margins, no page chrome)."""
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_DOCUMENT_CSS}</style>\n</head>\n<body>\n"
        f"{fragment}</body>\n</html>\n"
    )


def render_pdf(fragment: str, title: str) -> bytes:
    """The letter as a PDF (fpdf2, pure Python), with an embedded Unicode font (DejaVu Sans, subset)."""
    try:
        from fpdf import FPDF
    except ImportError:  # pragma: no cover - the letter extra is part of the service extra
        raise LetterTemplateError(
            "a PDF letter needs fpdf2: install maatwerk[letter]",
            problems=(Problem("letter", "LETTER_EXTRA_MISSING", "pip install 'maatwerk[letter]'"),),
        ) from None
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_lang("nl")
    pdf.set_creator("maatwerk")
    pdf.add_font("DejaVu", "", str(_FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(_FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "BI", str(_FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("DejaVu", size=10.5)
    pdf.write_html(_for_pdf(fragment), font_family="DejaVu")
    return bytes(pdf.output())


def _for_pdf(fragment: str) -> str:
    """The letter's HTML in the tags fpdf2's ``write_html`` knows: sectioning elements become plain
    blocks (their headings and paragraphs stay), attributes that only style the page go."""
    text = re.sub(r"</?(?:article|section|header|footer|div|span|address|small)\b[^>]*>", "", fragment)
    return re.sub(r"<(h[1-6]|p|ul|ol|li|dl|dt|dd|table|tr|td|th)\s[^>]*>", r"<\1>", text)
