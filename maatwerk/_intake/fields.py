# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The case fields a caseworker's form needs: one for every fact the rules of the selected packs read.

Generated, never written per field by hand in the page: the case models give each field's path, type,
choices and whether it is required; the fact catalogue (:mod:`maatwerk._policy.facts`) with
:data:`FACT_PATHS` says which case fields an input fact is made of; the stacks of the packs say which
facts their rules and verdict read, and which facts they declare from the history (a declared fact asks
for the history fields its query tests). :data:`LABELS` gives each case field its name and question in
Dutch and English, and :data:`CHOICE_LABELS` each choice its words, so that no identifier reaches the
page. A new case field needs its label here (``tests/test_fields.py`` fails without it); a new fact a
pack declares needs nothing at all.

:func:`case_fields` is what ``GET /api/v1/case-fields`` serves.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from maatwerk._policy.conditions import fields as condition_fields
from maatwerk._policy.declared import HISTORY, Compiled
from maatwerk.models.case import BenefitCase
from maatwerk.models.provider import ProviderCase

if typing.TYPE_CHECKING:
    from maatwerk._policy.stack import PolicySet, Stack

__all__ = ["CHOICE_LABELS", "FACT_PATHS", "LABELS", "Leaf", "case_fields", "leaves", "stack_reads"]

MODELS: dict[str, type[BaseModel]] = {"benefits": BenefitCase, "providers": ProviderCase}

#: The list of a case whose entries get rows of fields (add and remove), with the name of one entry.
LIST = "history"
LIST_ITEM: dict[str, tuple[str, str]] = {
    "benefits": ("Eerdere sanctie", "Earlier sanction"),
    "providers": ("Eerdere maatregel", "Earlier measure"),
}

Kind = Literal["select", "bool", "tri", "date", "money", "count", "text"]


@dataclass(frozen=True, slots=True)
class Leaf:
    """One field of a case model: its path (``history[].kind`` inside the list), its form and choices."""

    path: str
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _kind(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None`` and ``Annotated``, and whether ``None`` (unknown) is allowed."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [_strip(a) for a in typing.get_args(annotation)]
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0], len(rest) != len(args)
    return annotation, False


def leaves(model: type[BaseModel], prefix: str = "") -> Iterator[Leaf]:
    """Every field a person fills in on a case of ``model``, in the model's order (constants left out)."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        base, nullable = _kind(info.annotation)
        required = info.is_required()
        origin = typing.get_origin(base)
        if isinstance(base, type) and issubclass(base, BaseModel):
            yield from leaves(base, f"{path}.")
        elif origin is tuple:
            item = _strip(typing.get_args(base)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                yield from leaves(item, f"{path}[].")
        elif origin is Literal:
            values = tuple(str(v) for v in typing.get_args(base))
            if len(values) > 1:
                yield Leaf(path, "select", required, values)
        elif isinstance(base, type) and issubclass(base, Enum):
            yield Leaf(path, "select", required, tuple(str(m.value) for m in base))
        elif base is bool:
            yield Leaf(path, "tri" if nullable else "bool", required)
        elif base is dt.date:
            yield Leaf(path, "date", required)
        elif base is Decimal:
            yield Leaf(path, "money", required)
        elif base is int:
            low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
            high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
            yield Leaf(path, "count", required, (), low, high)
        elif base is str:
            yield Leaf(path, "text", required)
        else:  # pragma: no cover - a new kind of field needs a form here first
            raise TypeError(f"{model.__name__}.{name}: no form for {base!r}")


# --- which case fields make each input fact ------------------------------------------------------

_LOSS = ("benefit_loss.net", "benefit_loss.gross", "benefit_loss.before_2013")
_RECIDIVE = (
    "history[].kind",
    "history[].same_conduct",
    "history[].imposed_on",
    "history[].final_on",
    "history[].unconditional_prison",
)

#: For each input fact of a domain's catalogue (and the names the advice gives a missing amount), the
#: case fields it is made of, the one to ask first first. ``tests/test_fields.py`` checks it covers the
#: catalogue and names only fields of the case model.
FACT_PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    "benefits": {
        "law": ("law",),
        "violation_established": ("violation.established",),
        "violation_kind": ("violation.kind",),
        "detection": ("violation.detection",),
        "benefit_loss": ("benefit_loss.net", "benefit_loss.gross"),
        "benefit_loss_net": ("benefit_loss.net",),
        "benefit_loss_gross": ("benefit_loss.gross",),
        "conduct_before_fraudewet": ("violation.period.start",),
        "culpability": ("culpability.confirmed",),
        "ind_admission": ("culpability.indicators.admission",),
        "ind_concealed_work_or_income": ("culpability.indicators.concealed_work_or_income",),
        "ind_concealed_household_or_assets": ("culpability.indicators.concealed_household_or_assets",),
        "ind_repeated_failure_to_inform": ("culpability.indicators.repeated_failure_to_inform",),
        "ind_combination_gross_negligence": ("culpability.indicators.combination_pointing_to_gross_negligence",),
        "life_events": ("circumstances.disrupting_life_events",),
        "mental_state": ("circumstances.mental_state_reduces_attribution",),
        "combination_of_circumstances": ("circumstances.combination_of_circumstances",),
        "municipality_share": (
            "circumstances.municipality.late_processing",
            "circumstances.municipality.unclear_communication",
            "circumstances.municipality.ignored_signals",
        ),
        "self_corrected_before_detection": ("violation.detection",),
        "self_correction_days": ("violation.self_reported_on", "violation.information_due"),
        "recidive_same_conduct": _RECIDIVE,
        "warning_within_block": ("history[].kind", "history[].imposed_on", "history[].final_on"),
        "report_and_hearing_required": (*_LOSS, *_RECIDIVE),
        "limitation_lapsed": (
            *_LOSS,
            "violation.period.end",
            "procedure.limitation_suspended_days",
            *_RECIDIVE,
        ),
        "deceased": ("procedure.deceased",),
        "already_fined_same_facts": ("procedure.already_fined_same_facts",),
        "prosecuted_same_facts": ("procedure.prosecuted_same_facts",),
        "urgent_reasons": ("procedure.urgent_reasons",),
        "reasonable_term_exceeded": ("procedure.reasonable_term_exceeded", "procedure.reasonable_term_exceeded_months"),
        "prosecutor_exception": ("procedure.prosecutor_exception",),
        "debts": ("circumstances.debts",),
        "debt_arrangement": ("circumstances.debt_arrangement",),
        "dependent_children": ("circumstances.dependent_children",),
        "health_problems": ("circumstances.health_problems",),
        "cooperated": ("circumstances.cooperated",),
        "bijstand_level_income": ("finances.bijstand_level_income",),
        "financial_data_supplied": ("finances.financial_data_supplied",),
        "joint_household": ("finances.joint_household",),
        # Not facts of the rules: what the advice names when the fine cannot be computed without them.
        "fine_base": _LOSS,
    },
    "providers": {
        "law": ("law",),
        "violation_established": ("violation.established",),
        "violation_kind": ("violation.kind",),
        "decision_date": ("decision_date",),
        "violation_found_on": ("violation.found_on",),
        "harm_occurred": ("risk.harm_occurred",),
        "vulnerable_clients": ("risk.vulnerable_clients",),
        "ongoing_danger": ("risk.ongoing_danger",),
        "structural": ("pattern",),
        "cooperates": ("response.cooperates",),
        "capacity_to_improve": ("response.capacity_to_improve",),
        "earlier_measure_same_standard": ("history[].same_standard", "history[].taken_on"),
        "earlier_measure_not_complied": ("history[].complied", "history[].same_standard", "history[].taken_on"),
        "earlier_coercive_same_standard": ("history[].kind", "history[].same_standard", "history[].taken_on"),
        "culpability": ("culpability",),
        "clients_can_move": ("continuity.clients_can_move_in_time",),
        "contract_improvement_plan": ("contract.improvement_plan",),
        "contract_intake_stop": ("contract.intake_stop",),
        "contract_payment_suspension": ("contract.payment_suspension",),
        "contract_penalty": ("contract.penalty",),
        "contract_termination": ("contract.termination",),
        "municipality_share": ("municipality.unclear_requirements", "municipality.signals_not_acted_on"),
        "contract_penalty_max": ("contract.penalty_max",),
    },
}

#: Case fields the domain's own arithmetic reads besides the rules' facts (the ability-to-pay cap, the
#: part before 2013, the reduction for the reasonable term, the limitation term, the ladder's earlier
#: measures, the contract's penalty cap): always on the form.
CALCULATION_PATHS: dict[str, tuple[str, ...]] = {
    "benefits": (
        "benefit_loss.before_2013",
        "benefit_loss.already_recovered",
        "finances.bijstand_level_income",
        "finances.monthly_norm",
        "finances.household_monthly_norm",
        "finances.monthly_payment_capacity",
        "finances.monthly_amount_above_beslagvrije_voet",
        "procedure.reasonable_term_exceeded_months",
        "procedure.limitation_suspended_days",
        "violation.self_reported_on",
    ),
    "providers": ("history[].kind", "history[].complied", "contract.penalty_max"),
}


# --- words -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Label:
    """A field's name on the form, the question the advice asks for it, and (for some) a short help."""

    nl: str
    en: str
    q_nl: str
    q_en: str
    help_nl: str | None = None
    help_en: str | None = None
    #: The form's group, for a field directly on the case (default: ``general``); a nested field is in
    #: the group of its section.
    group: str | None = None


_ = Label
#: Each case field's words, per domain (a path inside the history list as ``history[].<name>``).
LABELS: dict[str, dict[str, Label]] = {
    "benefits": {
        "case_ref": _(
            "Eigen kenmerk (niet verplicht)",
            "Your reference (optional)",
            "Wat is uw eigen kenmerk van de zaak?",
            "What is your own reference for the case?",
        ),
        "law": _("Wet", "Law", "Onder welke wet valt de uitkering?", "Under which law is the benefit paid?"),
        "decision_date": _(
            "Datum van het besluit",
            "Date of the decision",
            "Op welke datum neemt u het besluit?",
            "On which date do you decide?",
        ),
        "violation.established": _(
            "Overtreding vastgesteld door een medewerker",
            "Violation established by a caseworker",
            "Heeft een medewerker de overtreding vastgesteld?",
            "Did a caseworker establish the violation?",
        ),
        "violation.kind": _(
            "Wat is niet gemeld",
            "What was not reported",
            "Wat heeft de persoon niet gemeld?",
            "What did the person not report?",
        ),
        "violation.period.start": _(
            "Begin van de periode",
            "Start of the period",
            "Wanneer begon de periode van de overtreding?",
            "When did the period of the violation start?",
        ),
        "violation.period.end": _(
            "Einde van de periode",
            "End of the period",
            "Wanneer eindigde de periode van de overtreding?",
            "When did the period of the violation end?",
        ),
        "violation.information_due": _(
            "Uiterste datum om het te melden",
            "Date the information was due",
            "Wanneer had de persoon het uiterlijk moeten melden?",
            "By when should the person have reported it?",
        ),
        "violation.detected_on": _(
            "Datum waarop de gemeente het ontdekte",
            "Date the municipality found out",
            "Wanneer ontdekte de gemeente de overtreding?",
            "When did the municipality find out?",
        ),
        "violation.detection": _(
            "Hoe het aan het licht kwam",
            "How it came to light",
            "Hoe kwam de overtreding aan het licht?",
            "How did the violation come to light?",
        ),
        "violation.self_reported_on": _(
            "Datum van de zelfmelding (alleen bij zelfmelding)",
            "Date of the self-report (only if self-reported)",
            "Op welke dag meldde de persoon het zelf?",
            "On which day did the person report it?",
        ),
        "benefit_loss.net": _(
            "Netto benadelingsbedrag (€)",
            "Net loss (€)",
            "Hoe hoog is het netto benadelingsbedrag?",
            "What is the net loss?",
        ),
        "benefit_loss.gross": _(
            "Bruto benadelingsbedrag (€)",
            "Gross loss (€)",
            "Hoe hoog is het bruto benadelingsbedrag?",
            "What is the gross loss?",
        ),
        "benefit_loss.before_2013": _(
            "Deel van het benadelingsbedrag van vóór 2013 (€)",
            "Part of the loss from before 2013 (€)",
            "Welk deel van het benadelingsbedrag komt van vóór 1 januari 2013?",
            "Which part of the loss comes from before 1 January 2013?",
            "Alleen als de overtreding vóór 1 januari 2013 begon.",
            "Only if the violation began before 1 January 2013.",
        ),
        "benefit_loss.already_recovered": _(
            "Al teruggevorderd (€)",
            "Already recovered (€)",
            "Hoeveel is al teruggevorderd?",
            "How much has already been recovered?",
        ),
        "culpability.confirmed": _(
            "Verwijtbaarheid, door u vastgesteld",
            "Culpability, as you established it",
            "Welke mate van verwijtbaarheid stelt u vast?",
            "Which degree of culpability do you establish?",
        ),
        "culpability.indicators.admission": _(
            "Persoon gaf toe dat hij het wist",
            "The person admitted knowing",
            "Gaf de persoon toe dat hij of zij het wist?",
            "Did the person admit knowing it?",
        ),
        "culpability.indicators.concealed_work_or_income": _(
            "Werk of inkomen verzwegen",
            "Work or income concealed",
            "Heeft de persoon werk of inkomen verzwegen?",
            "Did the person conceal work or income?",
        ),
        "culpability.indicators.concealed_household_or_assets": _(
            "Huishouden, gezinsinkomen of vermogen verzwegen",
            "Household, family income or assets concealed",
            "Heeft de persoon het huishouden, het gezinsinkomen of vermogen verzwegen?",
            "Did the person conceal the household, the family income or assets?",
        ),
        "culpability.indicators.repeated_failure_to_inform": _(
            "Vaker niet gemeld",
            "Repeatedly failed to inform",
            "Heeft de persoon vaker iets niet gemeld?",
            "Did the person fail to inform more than once?",
        ),
        "culpability.indicators.combination_pointing_to_gross_negligence": _(
            "Omstandigheden wijzen samen op grove schuld",
            "Circumstances together point to gross negligence",
            "Wijzen de omstandigheden samen op grove schuld?",
            "Do the circumstances together point to gross negligence?",
        ),
        "history[].kind": _(
            "Soort sanctie", "Kind of sanction", "Wat voor sanctie was het?", "What kind of sanction was it?"
        ),
        "history[].imposed_on": _(
            "Datum opgelegd of gegeven",
            "Date imposed or given",
            "Op welke dag is de sanctie opgelegd of de waarschuwing gegeven?",
            "On which day was the sanction imposed or the warning given?",
            "De datum van het besluit. Bij een strafzaak: de dag van het vonnis of de strafbeschikking.",
            "The date of the decision. For a criminal case: the day of the judgment or penalty order.",
        ),
        "history[].final_on": _(
            "Datum onherroepelijk",
            "Date it became final",
            "Op welke dag werd de sanctie onherroepelijk?",
            "On which day did the sanction become final?",
            "Leeg laten als de sanctie nog niet onherroepelijk is of als u de dag niet weet.",
            "Leave empty when it is not final yet or the day is not known.",
        ),
        "history[].same_conduct": _(
            "Voor dezelfde gedraging",
            "For the same conduct",
            "Was de sanctie voor dezelfde gedraging (dezelfde plicht geschonden)?",
            "Was the sanction for the same conduct (the same duty breached)?",
        ),
        "history[].unconditional_prison": _(
            "Met onvoorwaardelijke gevangenisstraf",
            "With an unconditional prison sentence",
            "Hoorde er een onvoorwaardelijke gevangenisstraf bij de sanctie?",
            "Did the sanction include an unconditional prison sentence?",
            "Alleen bij een strafrechtelijke sanctie.",
            "Only for a criminal sanction.",
        ),
        "history[].without_loss": _(
            "Eerdere overtreding zonder benadelingsbedrag",
            "Earlier violation without a loss",
            "Was er bij de eerdere overtreding geen benadelingsbedrag (niets te veel betaald)?",
            "Was there no loss with the earlier violation (nothing paid too much)?",
        ),
        "circumstances.disrupting_life_events": _(
            "Ingrijpende gebeurtenissen in het leven",
            "Disrupting life events",
            "Waren er ingrijpende gebeurtenissen in het leven van de persoon?",
            "Were there disrupting events in the person's life?",
        ),
        "circumstances.mental_state_reduces_attribution": _(
            "Psychische toestand maakt het minder verwijtbaar",
            "Mental state reduces culpability",
            "Maakt de psychische toestand van de persoon de overtreding minder verwijtbaar?",
            "Does the person's mental state make the violation less culpable?",
        ),
        "circumstances.combination_of_circumstances": _(
            "Samenloop van omstandigheden",
            "Combination of circumstances",
            "Maakt een samenloop van omstandigheden de overtreding minder verwijtbaar?",
            "Does a combination of circumstances make the violation less culpable?",
        ),
        "circumstances.municipality.late_processing": _(
            "De gemeente verwerkte een melding te laat",
            "The municipality processed a report late",
            "Verwerkte de gemeente een melding te laat?",
            "Did the municipality process a report late?",
        ),
        "circumstances.municipality.unclear_communication": _(
            "De gemeente communiceerde onduidelijk",
            "The municipality communicated unclearly",
            "Communiceerde de gemeente onduidelijk?",
            "Did the municipality communicate unclearly?",
        ),
        "circumstances.municipality.ignored_signals": _(
            "De gemeente deed niets met signalen",
            "The municipality ignored signals",
            "Deed de gemeente niets met signalen?",
            "Did the municipality ignore signals?",
        ),
        "circumstances.debts": _("Schulden", "Debts", "Heeft de persoon schulden?", "Does the person have debts?"),
        "circumstances.debt_arrangement": _(
            "In een schuldregeling",
            "In a debt arrangement",
            "Zit de persoon in een schuldregeling?",
            "Is the person in a debt arrangement?",
        ),
        "circumstances.dependent_children": _(
            "Kinderen in het huishouden",
            "Children in the household",
            "Zijn er kinderen in het huishouden?",
            "Are there children in the household?",
        ),
        "circumstances.health_problems": _(
            "Problemen met de gezondheid",
            "Health problems",
            "Heeft de persoon problemen met de gezondheid?",
            "Does the person have health problems?",
        ),
        "circumstances.cooperated": _(
            "Werkte mee aan het onderzoek",
            "Cooperated with the investigation",
            "Werkte de persoon mee aan het onderzoek?",
            "Did the person cooperate with the investigation?",
        ),
        "finances.bijstand_level_income": _(
            "Inkomen op bijstandsniveau",
            "Income at bijstand level",
            "Leeft de persoon van een inkomen op bijstandsniveau?",
            "Does the person live on an income at bijstand level?",
        ),
        "finances.monthly_norm": _(
            "Bijstandsnorm per maand (€)",
            "Monthly bijstand norm (€)",
            "Wat is de bijstandsnorm per maand, met vakantiegeld?",
            "What is the monthly bijstand norm, holiday pay included?",
        ),
        "finances.financial_data_supplied": _(
            "Financiële gegevens aangeleverd",
            "Financial data supplied",
            "Heeft de persoon financiële gegevens aangeleverd?",
            "Did the person supply financial data?",
        ),
        "finances.joint_household": _(
            "Gezamenlijke huishouding",
            "Joint household",
            "Is er een gezamenlijke huishouding?",
            "Is there a joint household?",
        ),
        "finances.household_monthly_norm": _(
            "Norm van het huishouden per maand (€)",
            "Monthly norm of the household (€)",
            "Wat is de norm per maand van het huishouden?",
            "What is the household's monthly norm?",
            "Alleen bij een gezamenlijke huishouding.",
            "Only for a joint household.",
        ),
        "finances.monthly_payment_capacity": _(
            "Betalingscapaciteit per maand (€)",
            "Payment capacity per month (€)",
            "Hoeveel kan de persoon per maand betalen?",
            "How much can the person pay per month?",
            "Bij een inkomen boven bijstandsniveau: wat de persoon volgens uw beoordeling per maand kan betalen.",
            "For an income above bijstand level: what the person can pay per month, as you assess it.",
        ),
        "finances.monthly_amount_above_beslagvrije_voet": _(
            "Bedrag boven de beslagvrije voet per maand (€)",
            "Monthly amount above the beslagvrije voet (€)",
            "Hoeveel ligt het inkomen per maand boven de beslagvrije voet?",
            "By how much does the monthly income exceed the beslagvrije voet?",
            "Het deel van het inkomen waarop beslag kan worden gelegd.",
            "The part of the income that can be seized.",
        ),
        "procedure.deceased": _(
            "Betrokkene is overleden", "The person has died", "Is de persoon overleden?", "Has the person died?"
        ),
        "procedure.already_fined_same_facts": _(
            "Al beboet voor dezelfde feiten",
            "Already fined for the same facts",
            "Heeft de persoon al een boete gekregen voor dezelfde feiten?",
            "Was the person already fined for the same facts?",
        ),
        "procedure.prosecuted_same_facts": _(
            "Al vervolgd voor dezelfde feiten",
            "Already prosecuted for the same facts",
            "Is de persoon al strafrechtelijk vervolgd voor dezelfde feiten?",
            "Was the person already prosecuted for the same facts?",
        ),
        "procedure.urgent_reasons": _(
            "Dringende redenen (uw afweging)",
            "Urgent reasons (your weighing)",
            "Zijn er dringende redenen om van de boete af te zien?",
            "Are there urgent reasons to refrain from the fine?",
        ),
        "procedure.reasonable_term_exceeded": _(
            "Redelijke termijn overschreden",
            "Reasonable term exceeded",
            "Duurt de procedure langer dan de redelijke termijn?",
            "Have the proceedings exceeded the reasonable term?",
        ),
        "procedure.reasonable_term_exceeded_months": _(
            "Aantal maanden over de redelijke termijn",
            "Months over the reasonable term",
            "Met hoeveel maanden is de redelijke termijn overschreden?",
            "By how many months was the reasonable term exceeded?",
            "Een begonnen maand telt als een hele maand.",
            "A month begun counts as a whole month.",
        ),
        "procedure.limitation_suspended_days": _(
            "Dagen dat bezwaar en beroep de termijn stilzetten",
            "Days objection and appeal suspended the term",
            "Hoeveel dagen zetten bezwaar en beroep de termijn voor de boete stil?",
            "For how many days did objection and appeal suspend the term for the fine?",
        ),
        "procedure.prosecutor_exception": _(
            "Uitzondering van het OM (uw afweging)",
            "Prosecutor's exception (your weighing)",
            "Past u een uitzondering van het OM toe?",
            "Do you apply an exception of the prosecutor's guideline?",
        ),
    },
    "providers": {
        "case_ref": _(
            "Eigen kenmerk (niet verplicht)",
            "Your reference (optional)",
            "Wat is uw eigen kenmerk van de zaak?",
            "What is your own reference for the case?",
        ),
        "law": _("Wet", "Law", "Onder welke wet wordt de zorg geleverd?", "Under which law is the care delivered?"),
        "decision_date": _(
            "Datum van het besluit",
            "Date of the decision",
            "Op welke datum neemt u het besluit?",
            "On which date do you decide?",
        ),
        "provider.id": _(
            "Code van de aanbieder (bijvoorbeeld AGB-code)",
            "Provider code (for example the AGB code)",
            "Wat is de code van de aanbieder?",
            "What is the provider's code?",
            group="general",
        ),
        "violation.established": _(
            "Tekortkoming vastgesteld",
            "Shortcoming established",
            "Is de tekortkoming vastgesteld?",
            "Is the shortcoming established?",
        ),
        "violation.kind": _(
            "Soort tekortkoming",
            "Kind of shortcoming",
            "Wat voor tekortkoming is het?",
            "What kind of shortcoming is it?",
        ),
        "violation.found_on": _(
            "Datum waarop het werd vastgesteld",
            "Date it was found",
            "Wanneer is de tekortkoming vastgesteld?",
            "When was the shortcoming found?",
        ),
        "risk.harm_occurred": _(
            "Cliënten hebben schade geleden",
            "Clients came to harm",
            "Hebben cliënten schade geleden?",
            "Did clients come to harm?",
        ),
        "risk.vulnerable_clients": _(
            "Kwetsbare cliënten", "Vulnerable clients", "Gaat het om kwetsbare cliënten?", "Are the clients vulnerable?"
        ),
        "risk.ongoing_danger": _(
            "Cliënten zijn nu in gevaar",
            "Clients are in danger now",
            "Zijn cliënten nu in gevaar?",
            "Are clients in danger now?",
        ),
        "pattern": _(
            "Incidenteel of structureel",
            "Incidental or structural",
            "Is de tekortkoming incidenteel of structureel?",
            "Is the shortcoming incidental or structural?",
            group="violation",
        ),
        "response.cooperates": _(
            "Werkt mee met gemeente en toezichthouder",
            "Cooperates with the municipality and the supervisor",
            "Werkt de aanbieder mee met de gemeente en de toezichthouder?",
            "Does the provider cooperate with the municipality and the supervisor?",
        ),
        "response.capacity_to_improve": _(
            "Kan zelf verbeteren",
            "Able to improve",
            "Kan de aanbieder binnen een redelijke tijd zelf verbeteren?",
            "Can the provider improve within a reasonable time?",
        ),
        "history[].kind": _(
            "Soort maatregel", "Kind of measure", "Wat voor maatregel was het?", "What kind of measure was it?"
        ),
        "history[].taken_on": _(
            "Datum van de maatregel",
            "Date of the measure",
            "Op welke dag is de maatregel genomen?",
            "On which day was the measure taken?",
        ),
        "history[].same_standard": _(
            "Voor dezelfde norm",
            "For the same standard",
            "Was de maatregel voor dezelfde kwaliteitsnorm of plicht?",
            "Was the measure for the same quality standard or duty?",
        ),
        "history[].complied": _(
            "Aanbieder deed op tijd wat gevraagd werd",
            "The provider complied in time",
            "Deed de aanbieder op tijd wat de maatregel vroeg?",
            "Did the provider do in time what the measure asked?",
        ),
        "culpability": _(
            "Verwijtbaarheid, door u vastgesteld",
            "Culpability, as you established it",
            "Welke mate van verwijtbaarheid stelt u vast?",
            "Which degree of culpability do you establish?",
            group="violation",
        ),
        "continuity.clients_can_move_in_time": _(
            "Cliënten kunnen op tijd naar een andere aanbieder",
            "Clients can move to another provider in time",
            "Kunnen de cliënten op tijd naar een andere aanbieder?",
            "Can clients move to another provider in time?",
        ),
        "continuity.clients_affected": _(
            "Aantal cliënten onder dit contract",
            "Clients under this contract",
            "Hoeveel cliënten heeft de aanbieder onder dit contract?",
            "How many clients does the provider serve under this contract?",
        ),
        "contract.improvement_plan": _(
            "Contract: verbeterplan eisen",
            "Contract: require an improvement plan",
            "Mag de gemeente volgens het contract een verbeterplan eisen?",
            "May the municipality require an improvement plan under the contract?",
        ),
        "contract.intake_stop": _(
            "Contract: cliëntenstop",
            "Contract: intake stop",
            "Mag de gemeente volgens het contract een cliëntenstop opleggen?",
            "May the municipality stop new referrals under the contract?",
        ),
        "contract.payment_suspension": _(
            "Contract: betalingen opschorten",
            "Contract: suspend payments",
            "Mag de gemeente volgens het contract betalingen opschorten?",
            "May the municipality suspend payments under the contract?",
        ),
        "contract.penalty": _(
            "Contract: boetebeding",
            "Contract: penalty clause",
            "Heeft het contract een boetebeding?",
            "Does the contract have a penalty clause?",
        ),
        "contract.penalty_max": _(
            "Contract: hoogste boete per tekortkoming (€)",
            "Contract: maximum penalty per breach (€)",
            "Wat is de hoogste boete per tekortkoming volgens het contract?",
            "What is the contract's maximum penalty per breach?",
        ),
        "contract.termination": _(
            "Contract: ontbinding mogelijk",
            "Contract: termination possible",
            "Mag de gemeente het contract ontbinden bij tekortkomingen?",
            "May the municipality terminate the contract for shortcomings?",
        ),
        "municipality.unclear_requirements": _(
            "De gemeente stelde onduidelijke eisen",
            "The municipality set unclear requirements",
            "Waren het contract of de eisen van de gemeente onduidelijk?",
            "Were the contract or the municipality's requirements unclear?",
        ),
        "municipality.signals_not_acted_on": _(
            "De gemeente deed niets met signalen",
            "The municipality did not act on signals",
            "Deed de gemeente niets met eerdere signalen?",
            "Did the municipality not act on earlier signals?",
        ),
    },
}
del _

#: The form's groups, by id, with their headings.
GROUP_LABELS: dict[str, tuple[str, str]] = {
    "general": ("Algemeen", "General"),
    "violation": ("Overtreding", "Violation"),
    "benefit_loss": ("Benadelingsbedrag", "Loss to the municipality"),
    "culpability": ("Verwijtbaarheid", "Culpability"),
    "history": ("Eerdere sancties", "Earlier sanctions"),
    "circumstances": ("Omstandigheden", "Circumstances"),
    "finances": ("Financiën", "Finances"),
    "procedure": ("Procedure", "Procedure"),
    "risk": ("Risico voor cliënten", "Risk to clients"),
    "response": ("Reactie van de aanbieder", "The provider's response"),
    "continuity": ("Continuïteit van zorg", "Continuity of care"),
    "contract": ("Contract", "Contract"),
    "municipality": ("Rol van de gemeente", "The municipality's role"),
}
#: A domain's own heading for a group where the words differ.
DOMAIN_GROUP_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "providers": {"violation": ("Tekortkoming", "Shortcoming"), "history": ("Eerdere maatregelen", "Earlier measures")},
}

#: Every choice of a case field in words (the values are the Dutch legal terms, or laws' names).
CHOICE_LABELS: dict[str, tuple[str, str]] = {
    "participatiewet": ("Participatiewet", "Participatiewet"),
    "ioaw": ("IOAW", "IOAW"),
    "ioaz": ("IOAZ", "IOAZ"),
    "bbz": ("Bbz", "Bbz"),
    "wmo2015": ("Wmo 2015", "Wmo 2015"),
    "jeugdwet": ("Jeugdwet", "Jeugdwet"),
    "inkomsten_of_werk": ("Inkomsten of werk", "Income or work"),
    "samenwoning": ("Samenwonen", "Living together"),
    "vermogen": ("Vermogen", "Assets"),
    "verblijf_buitenland": ("Verblijf in het buitenland", "Stay abroad"),
    "overig": ("Iets anders", "Something else"),
    "zelfmelding_voor_ontdekking": (
        "Zelf gemeld, vóór de gemeente het ontdekte",
        "Self-reported, before the municipality found out",
    ),
    "zelfmelding_tijdens_onderzoek": ("Zelf gemeld, tijdens een onderzoek", "Self-reported, during an investigation"),
    "onderzoek": ("Onderzoek van de gemeente", "The municipality's investigation"),
    "gegevensvergelijking": ("Vergelijking van gegevens", "Data matching"),
    "opzet": ("Opzet", "Intent"),
    "grove_schuld": ("Grove schuld", "Gross negligence"),
    "normaal": ("Normaal verwijtbaar", "Normal culpability"),
    "verminderd": ("Verminderd verwijtbaar", "Reduced culpability"),
    "geen": ("Niet verwijtbaar", "Not culpable"),
    "boete": ("Boete", "Fine"),
    "waarschuwing": ("Waarschuwing", "Warning"),
    "strafrechtelijke_sanctie": ("Straf (strafrechtelijke sanctie)", "Criminal sanction"),
    "aanwezig": ("Ja, er zijn dringende redenen", "Yes, there are urgent reasons"),
    "afwezig": ("Nee, er zijn geen dringende redenen", "No, there are no urgent reasons"),
    "verwijzen": ("Toch naar het OM verwijzen", "Refer to the prosecutor after all"),
    "niet_verwijzen": ("Niet naar het OM verwijzen", "Do not refer to the prosecutor"),
    "calamiteit_niet_gemeld": ("Calamiteit niet gemeld", "Calamity not reported"),
    "geweld_niet_gemeld": ("Geweld niet gemeld", "Violence not reported"),
    "kwaliteit_onvoldoende": ("Kwaliteit onvoldoende", "Quality not sufficient"),
    "geen_medewerking_toezicht": ("Geen medewerking aan toezicht", "No cooperation with supervision"),
    "vermoeden_fraude": ("Vermoeden van fraude", "Suspected fraud"),
    "incidenteel": ("Incidenteel", "Incidental"),
    "structureel": ("Structureel", "Structural"),
    "gesprek": ("Gesprek", "Conversation"),
    "verbeterplan": ("Verbeterplan", "Improvement plan"),
    "verscherpt_toezicht": ("Verscherpt toezicht", "Intensified supervision"),
    "contractmaatregel": ("Maatregel uit het contract", "Contract measure"),
    "last_onder_dwangsom": ("Last onder dwangsom", "Order subject to a penalty"),
    "contractuele_boete": ("Contractuele boete", "Contractual penalty"),
}


# --- what the packs read --------------------------------------------------------------------------


def _declared_paths(domain: str, fact: Compiled) -> tuple[str, ...]:
    """The history fields a declared fact's query tests (``final``: the day it became final)."""
    vocab = HISTORY[domain]
    names: list[str] = [name for name, _ in fact.enums]
    names += ["final_on" if name == "final" else name for name, _ in fact.flags]
    if fact.window is not None:
        by = fact.window[3]
        names += [by, *(b for b in vocab.dates.get(by, ()) if b is not None)]
    return tuple(dict.fromkeys(f"{LIST}[].{n}" for n in names))


def stack_reads(stack: Stack) -> frozenset[str]:
    """The input facts the rules and the verdict of ``stack`` read."""
    found: set[str] = set()
    for rule in stack.rules:
        found |= rule.reads
    for cond in stack.verdict.conditions():
        found |= condition_fields(cond)
    return frozenset(name for name in found if name in stack.facts and not stack.facts[name].output)


def _stacks(
    policies: PolicySet,
    domain: str,
    municipality: str | None,
    law: str | None,
    decision: dt.date | None,
    conduct: dt.date | None,
) -> list[Stack]:
    """The stacks a case of ``domain`` selects on these dates; without a date, every stack it could."""
    from maatwerk.errors import PolicySelectionError

    if decision is not None:
        sel = policies.select(domain, municipality, conduct or decision, decision, law=law)
        return [sel.conduct, sel.decision]
    out: list[Stack] = []
    laws: Iterable[str | None] = (law,) if law is not None else _laws(policies, domain)
    for one in laws:
        for national in policies.national(domain, one):
            municipal: tuple[Any, ...] = (None,)
            if municipality is not None:
                try:
                    municipal = policies.municipal(domain, municipality, national.id)
                except PolicySelectionError:
                    municipal = (None,)
            out.extend(policies.stack(national, mun) for mun in municipal)
    return out


def _laws(policies: PolicySet, domain: str) -> tuple[str | None, ...]:
    """One law per national pack of ``domain`` (a pack without ``laws`` covers all: ``None``)."""
    found: list[str | None] = []
    for versions in policies.packs.values():
        head = versions[0].file.pack
        if head.domain == domain and head.layer == "national":
            found.append(head.laws[0] if head.laws else None)
    return tuple(found)


def _lang(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _field_doc(domain: str, leaf: Leaf) -> dict[str, Any]:
    label = LABELS[domain][leaf.path]
    doc: dict[str, Any] = {
        "path": leaf.path,
        "kind": leaf.kind,
        "required": leaf.required,
        "label": _lang(label.nl, label.en),
        "question": _lang(label.q_nl, label.q_en),
        "help": None if label.help_nl is None else _lang(label.help_nl, label.help_en or label.help_nl),
        "choices": [{"value": v, "label": _lang(*CHOICE_LABELS[v])} for v in leaf.choices],
    }
    if leaf.kind == "count":
        doc["min"], doc["max"] = leaf.minimum, leaf.maximum
    return doc


def _group(domain: str, path: str) -> str:
    own = LABELS[domain][path].group
    if own is not None:
        return own
    head, dot, _rest = path.partition(".")
    if head.endswith("[]"):
        return head[:-2]
    return head if dot else "general"


def case_fields(
    policies: PolicySet,
    domain: str,
    municipality: str | None,
    *,
    law: str | None = None,
    decision: dt.date | None = None,
    conduct: dt.date | None = None,
) -> dict[str, Any]:
    """The form for a case of ``domain`` under ``municipality``'s packs: every case field a rule, the
    verdict or the arithmetic of the selected packs reads (on these dates; without a date, of every
    version), grouped as the case model groups them, with words in Dutch and English; which fields each
    input fact asks for; and which field answers each decision for a person. Raises
    :class:`~maatwerk.errors.PolicySelectionError` when no pack covers the domain, law or dates."""
    stacks = _stacks(policies, domain, municipality, law, decision, conduct)
    facts_paths = FACT_PATHS[domain]
    wanted: set[str] = set(CALCULATION_PATHS[domain])
    facts: dict[str, dict[str, Any]] = {}
    decisions: dict[str, dict[str, Any]] = {}
    leaf_list = list(leaves(MODELS[domain]))
    by_path = {leaf.path: leaf for leaf in leaf_list}
    for stack in stacks:
        declared = {d.name: d for d in stack.declared}
        for name in sorted(stack_reads(stack)):
            if name in declared:
                paths = _declared_paths(domain, declared[name])
                d = declared[name].spec
                about = next(
                    (
                        _lang(f.description.nl, f.description.en)
                        for p in stack.packs
                        for n, f in p.file.facts.items()
                        if n == name
                    ),
                    _lang(d.description, d.description),
                )
            else:
                paths = facts_paths[name]
                about = None
            wanted.update(paths)
            facts[name] = {"fields": list(paths), "about": about}
        for decision_def in stack.verdict.decisions:
            answered: list[str] = []
            options = decision_def.options
            if options != "available_measures" and options:
                for name in sorted(stack_reads(stack)):
                    leaf = by_path.get((facts_paths.get(name) or ("",))[0])
                    if leaf is not None and leaf.kind == "select" and set(leaf.choices) == set(options):
                        answered = [leaf.path]
                        break
            decisions[decision_def.id] = {"fields": answered}
    for name, paths in facts_paths.items():
        if name not in facts and any(p in CALCULATION_PATHS[domain] for p in paths):
            facts[name] = {"fields": list(paths), "about": None}
    listed = [leaf for leaf in leaf_list if leaf.required or leaf.path in wanted or leaf.path == "case_ref"]
    # A list's row needs its required fields as soon as one of its fields is read.
    if not any(leaf.path.startswith(f"{LIST}[].") for leaf in listed if not leaf.required):
        listed = [leaf for leaf in listed if not leaf.path.startswith(f"{LIST}[].")]
    groups: dict[str, list[Leaf]] = {}
    for leaf in listed:
        groups.setdefault(_group(domain, leaf.path), []).append(leaf)
    general = groups.get("general", [])
    general.sort(key=lambda leaf: not leaf.required)  # the optional reference last
    out_groups = []
    for gid, members in groups.items():
        words = DOMAIN_GROUP_LABELS.get(domain, {}).get(gid, GROUP_LABELS[gid])
        group: dict[str, Any] = {
            "id": gid,
            "label": _lang(*words),
            "fields": [_field_doc(domain, leaf) for leaf in members],
        }
        if gid == LIST:
            group["item"] = _lang(*LIST_ITEM[domain])
        out_groups.append(group)
    packs = sorted({f"{p.id}@{p.version}" for stack in stacks for p in stack.packs})
    return {
        "domain": domain,
        "municipality": municipality,
        "packs": packs,
        "groups": out_groups,
        "facts": dict(sorted(facts.items())),
        "decisions": dict(sorted(decisions.items())),
    }


def catalogue_paths(domain: str) -> Mapping[str, Leaf]:
    """Every field of the case model of ``domain``, by path."""
    return {leaf.path: leaf for leaf in leaves(MODELS[domain])}
