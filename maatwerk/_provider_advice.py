# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Build the advice for a provider case: the ladder of domain.md §6, lightest effective first.

The rules of the packs say which rung the case needs at least (``rung_N_needed``), whether an
earlier measure failed (``escalate_one_rung``), and which instruments have a legal or contractual
basis (``basis_*``). This module only walks the ladder: the lightest instrument with a basis at
or above the needed rung. An instrument without a basis is never advised; when none reaches the
needed rung, the advice takes the heaviest one that exists and asks the supervisor to act.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from maatwerk._advice_common import AdviceBase
from maatwerk._engine.core import Trace
from maatwerk._format import eur
from maatwerk._memo import fixed_text, principle_texts, reason
from maatwerk._policy.facts import PROVIDER_RUNGS, Encoded, PyValue
from maatwerk._policy.stack import ResolvedParam, Stack
from maatwerk.models._base import Text
from maatwerk.models.advice import (
    Advice,
    Alternative,
    Band,
    CalculationStep,
    Counterfactual,
    FollowUp,
    HumanDecision,
    Measure,
    MissingFact,
    PackRef,
    ReasoningStep,
    Track,
)
from maatwerk.models.case import CULPABILITY_LEVELS
from maatwerk.models.provider import EarlierMeasureKind, ProviderCase

__all__ = ["INSTRUMENTS", "Ladder", "ProviderBuilder", "climb"]


@dataclass(frozen=True, slots=True)
class Instrument:
    name: str
    rung: int
    nl: str
    en: str
    ends_care: bool = False
    """Could leave clients without care (the provider stops or cannot go on)."""


#: The instruments, lightest first; within a rung, the earlier one is lighter.
INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument("gesprek", 1, "Gesprek en advies", "Conversation and advice"),
    Instrument("verbeterplan", 2, "Verbeterplan met termijn", "Improvement plan with a deadline"),
    Instrument("verscherpt_toezicht", 3, "Verscherpt toezicht", "Intensified supervision"),
    Instrument("aanwijzing", 3, "Aanwijzing", "Instruction (aanwijzing)"),
    Instrument("intake_stop", 4, "Cliëntenstop", "Intake stop"),
    Instrument("last_onder_dwangsom", 4, "Last onder dwangsom", "Order subject to a penalty"),
    Instrument("betalingsopschorting", 4, "Opschorting van betalingen", "Suspension of payments", ends_care=True),
    Instrument("contractuele_boete", 5, "Contractuele boete", "Contractual penalty"),
    Instrument("ontbinding", 6, "Ontbinding van het contract", "Termination of the contract", ends_care=True),
)
BY_NAME = {i.name: i for i in INSTRUMENTS}

#: The rung an earlier measure stood on, to climb past it when it did not work.
EARLIER_RUNG: dict[EarlierMeasureKind, int] = {
    EarlierMeasureKind.gesprek: 1,
    EarlierMeasureKind.verbeterplan: 2,
    EarlierMeasureKind.verscherpt_toezicht: 3,
    EarlierMeasureKind.contractmaatregel: 4,
    EarlierMeasureKind.last_onder_dwangsom: 4,
    EarlierMeasureKind.contractuele_boete: 5,
}

#: The follow-up (defined by every provider pack stack) that secures care before a measure that could end it.
CONTINUITY_FOLLOWUP = "continuiteit_borgen"

FIELD_OF: dict[str, str] = {
    "harm_occurred": "risk.harm_occurred",
    "vulnerable_clients": "risk.vulnerable_clients",
    "ongoing_danger": "risk.ongoing_danger",
    "structural": "pattern",
    "cooperates": "response.cooperates",
    "capacity_to_improve": "response.capacity_to_improve",
    "earlier_measure_not_complied": "history.complied",
    "culpability": "culpability",
    "clients_can_move": "continuity.clients_can_move_in_time",
    "contract_improvement_plan": "contract.improvement_plan",
    "contract_intake_stop": "contract.intake_stop",
    "contract_payment_suspension": "contract.payment_suspension",
    "contract_penalty": "contract.penalty",
    "contract_termination": "contract.termination",
    "municipality_share": "municipality",
}


@dataclass(frozen=True, slots=True)
class Ladder:
    """Where the case lands on the ladder."""

    needed: int
    available: tuple[Instrument, ...]
    chosen: Instrument | None
    short: bool
    """No instrument with a basis reaches the needed rung."""


def failed_rung(case: ProviderCase, since_years: int) -> int:
    """The highest rung of an earlier measure for the same standard that was not complied with."""
    from maatwerk._derive import years_before

    since = years_before(case.decision_date, since_years)
    rungs = [
        EARLIER_RUNG[h.kind] for h in case.history if h.same_standard and h.taken_on >= since and h.complied is False
    ]
    return max(rungs, default=0)


def climb(fact: Mapping[str, Encoded], failed: int) -> Ladder:
    """The lightest instrument with a basis at or above the needed rung (a pure function of the trace)."""
    needed = max((n for n in range(2, PROVIDER_RUNGS + 1) if fact[f"rung_{n}_needed"] == 1), default=1)
    if fact["escalate_one_rung"] == 1 and failed:
        needed = max(needed, min(failed + 1, PROVIDER_RUNGS))
    available = tuple(
        i
        for i in INSTRUMENTS
        if fact[f"basis_{i.name}"] == 1 and not (i.name == "contractuele_boete" and fact["punitive_excluded"] == 1)
    )
    if fact["punitive_excluded"] == 1 and needed == BY_NAME["contractuele_boete"].rung:
        # The rung was needed for a penalty that is not proportionate here: no heavier rung instead.
        needed -= 1
    available = tuple(sorted(available, key=lambda i: (i.rung, fact[f"prefer_{i.name}"] != 1)))
    if fact["measure_excluded"] == 1 or not available:
        return Ladder(needed, available, None, False)
    reaching = [i for i in available if i.rung >= needed]
    if reaching:
        return Ladder(needed, available, reaching[0], False)
    return Ladder(needed, available, available[-1], True)


class ProviderBuilder(AdviceBase):
    """Builds one provider advice; create one per evaluation."""

    def __init__(
        self,
        case: ProviderCase,
        stack: Stack,
        params: Mapping[str, ResolvedParam],
        values: Mapping[str, PyValue],
        trace: Trace,
        what_if: Callable[[Mapping[str, PyValue]], Ladder],
    ) -> None:
        super().__init__(stack, params, values, trace)
        self.case = case
        self.what_if = what_if
        self.failed = failed_rung(case, self._int("historie_termijn_jaren"))
        self.ladder = climb(trace.fact, self.failed)

    def _int(self, name: str) -> int:
        value = self.params[name].value
        assert isinstance(value, int)
        return value

    def _money(self, name: str) -> Decimal:
        value = self.params[name].value
        assert isinstance(value, Decimal)
        return value

    # -- the measure -------------------------------------------------------------------------
    def build(self, *, packs: tuple[PackRef, ...], engine: str, extra_steps: tuple[ReasoningStep, ...] = ()) -> Advice:
        chosen = self.ladder.chosen
        kind = "geen_maatregel" if chosen is None else chosen.name
        deadline = self._deadline(kind)
        return Advice(
            domain="providers",
            case_ref=self.case.case_ref,
            measure=Measure(
                kind=kind,
                amount=self._penalty_cap() if kind == "contractuele_boete" else None,
                deadline_days=deadline,
                summary=self._summary(kind, deadline),
                band=self._band(kind),
            ),
            tracks=self._tracks(kind),
            calculation=self._calculation(kind),
            alternatives=self._alternatives(kind),
            steps=(*extra_steps, *self.steps()),
            decisions=self._decisions(kind),
            missing_facts=self._missing(kind),
            what_would_change=self._counterfactuals(kind),
            followups=self._followups(kind),
            cause_category=str(self.out("cause_category")) or "onduidelijk",
            packs=packs,
            principles=principle_texts(self.stack),
            engine=engine,
            receipt="",
        )

    def _deadline(self, kind: str) -> int | None:
        if kind == "verbeterplan":
            return self._int("verbeterplan_termijn_dagen")
        if kind in ("last_onder_dwangsom", "intake_stop", "betalingsopschorting", "verscherpt_toezicht"):
            if self.flag("immediate_action"):
                return self._int("begunstigingstermijn_spoed_dagen")
            return self._int("begunstigingstermijn_dagen") if kind == "last_onder_dwangsom" else None
        return None

    def _dwangsom_range(self) -> tuple[Decimal, Decimal, Decimal]:
        """Per week (lowest, highest) and the maximum, in proportion to the seriousness (Awb 5:32b)."""
        grade = "ernstig" if self.flag("serious") else "beperkt"
        low = self._money(f"dwangsom_week_{grade}_min")
        high = self._money(f"dwangsom_week_{grade}_max")
        return low, high, high * self._int("dwangsom_max_weken")

    def _penalty_cap(self) -> Decimal | None:
        return self.case.contract.penalty_max

    def _summary(self, kind: str, deadline: int | None) -> Text:
        if kind == "geen_maatregel":
            return fixed_text(
                nl="Geen maatregel: de tekortkoming is niet vastgesteld. Eerst onderzoek.",
                en="No measure: the shortcoming is not established. Investigate first.",
            )
        inst = BY_NAME[kind]
        nl, en = inst.nl, inst.en
        if kind == "last_onder_dwangsom":
            low, high, cap = self._dwangsom_range()
            nl += f" van {eur(low)} tot {eur(high)} per week dat de overtreding voortduurt, met een maximum van {eur(cap)}"
            en += f" of {eur(low)} to {eur(high)} per week the breach continues, up to a maximum of {eur(cap)}"
        if kind == "contractuele_boete":
            cap_ = self._penalty_cap()
            nl += (
                f" tot het contractuele maximum van {eur(cap_)}"
                if cap_ is not None
                else " (het contractuele maximum is onbekend)"
            )
            en += (
                f" up to the contractual maximum of {eur(cap_)}"
                if cap_ is not None
                else " (the contractual maximum is unknown)"
            )
        if deadline is not None:
            nl += f"; termijn {deadline} dagen"
            en += f"; deadline {deadline} days"
        if self.flag("immediate_action"):
            nl += ". Cliënten zijn in gevaar: direct handelen"
            en += ". Clients are in danger: act at once"
        if self.flag("protect_current_clients"):
            nl += ". Bescherm ook vandaag de cliënten die nu zorg krijgen (zie het spoor continuïteit van zorg)"
            en += ". Also protect today the clients in care now (see the continuity of care track)"
        if self.ladder.short:
            nl += f". Geen instrument met grondslag reikt tot trede {self.ladder.needed}: vraag de toezichthouder om op te treden"
            en += f". No instrument with a basis reaches rung {self.ladder.needed}: ask the supervisor to act"
        return Text(nl=nl + ".", en=en + ".")

    def _band(self, kind: str) -> Band:
        if kind == "last_onder_dwangsom":
            low, high, _ = self._dwangsom_range()
            return Band(
                lowest=fixed_text(nl="Dwangsom per week: ondergrens", en="Penalty per week: lower end"),
                lowest_amount=low,
                highest=fixed_text(nl="Dwangsom per week: bovengrens", en="Penalty per week: upper end"),
                highest_amount=high,
            )
        avail = self.ladder.available
        if not avail:
            none = fixed_text(nl="Geen instrument met grondslag", en="No instrument with a basis")
            return Band(lowest=none, lowest_amount=None, highest=none, highest_amount=None)
        return Band(
            lowest=Text(nl=avail[0].nl, en=avail[0].en),
            lowest_amount=None,
            highest=Text(nl=avail[-1].nl, en=avail[-1].en),
            highest_amount=self._penalty_cap() if avail[-1].name == "contractuele_boete" else None,
        )

    def _calculation(self, kind: str) -> tuple[CalculationStep, ...]:
        if kind != "last_onder_dwangsom":
            return ()
        grade = "ernstig" if self.flag("serious") else "beperkt"
        low, high, cap = self._dwangsom_range()
        label = "ernstige" if grade == "ernstig" else "beperkte"
        return (
            CalculationStep(
                id="dwangsom_ondergrens",
                label=Text(nl=f"Per week, {label} ernst: ondergrens", en=f"Per week, {grade} seriousness: lower end"),
                amount=low,
                parameters=(self.param_use(f"dwangsom_week_{grade}_min"),),
            ),
            CalculationStep(
                id="dwangsom_bovengrens",
                label=Text(nl=f"Per week, {label} ernst: bovengrens", en=f"Per week, {grade} seriousness: upper end"),
                amount=high,
                parameters=(self.param_use(f"dwangsom_week_{grade}_max"),),
            ),
            CalculationStep(
                id="dwangsom_maximum",
                label=fixed_text(
                    nl="Maximum: bovengrens maal het aantal weken", en="Maximum: upper end times the weeks"
                ),
                amount=cap,
                parameters=(self.param_use("dwangsom_max_weken"),),
            ),
        )

    # -- tracks ------------------------------------------------------------------------------
    def _tracks(self, kind: str) -> tuple[Track, ...]:
        chosen = self.ladder.chosen
        herstel = Track(
            id="herstel_kwaliteit",
            status="niet_van_toepassing" if chosen is None else "geadviseerd",
            basis=self.rule_basis(f"basis_{kind}", *(r.id for r in self.stack.rules if r.stage == "ladder"))
            if chosen is not None
            else self.rule_basis("niet_vastgesteld"),
            explanation=fixed_text(
                nl="Geen maatregel zolang de tekortkoming niet is vastgesteld.",
                en="No measure while the shortcoming is not established.",
            )
            if chosen is None
            else Text(
                nl=f"De tekortkoming vraagt ten minste trede {self.ladder.needed} van de ladder; {chosen.nl.lower()} is de lichtste maatregel met grondslag die daar reikt.",
                en=f"The shortcoming needs at least rung {self.ladder.needed} of the ladder; {chosen.en.lower()} is the lightest measure with a basis that reaches it.",
            )
            if not self.ladder.short
            else Text(
                nl=f"De tekortkoming vraagt trede {self.ladder.needed}, maar de gemeente heeft daar geen instrument met grondslag: {chosen.nl.lower()} is het zwaarste dat zij heeft.",
                en=f"The shortcoming needs rung {self.ladder.needed}, but the municipality has no instrument with a basis there: {chosen.en.lower()} is the heaviest it has.",
            ),
        )
        report = self.flag("report_supervisor") or self.ladder.short
        melding = Track(
            id="melding_toezichthouder",
            status="geadviseerd" if report else "mogelijk",
            basis=self.rule_basis(*(r.id for r in self.stack.rules if ("report_supervisor", 1) in r.sets)),
            explanation=Text(
                nl="Meld het bij de toezichthouder en vraag om onderzoek of om de instrumenten die alleen de toezichthouder heeft."
                + (" Direct, want cliënten zijn in gevaar." if self.flag("immediate_action") else ""),
                en="Report it to the supervisor and ask for an investigation or for the instruments only the supervisor has."
                + (" At once, because clients are in danger." if self.flag("immediate_action") else ""),
            )
            if report
            else fixed_text(
                nl="Niet nodig voor dit advies; de toezichthouder blijft altijd bereikbaar.",
                en="Not needed for this advice; the supervisor can always be contacted.",
            ),
        )
        # An offence another authority fines or prosecutes (e.g. Jeugdwet 9.6): the rules' reasons
        # name the route; the municipality itself has no fine.
        offence = self._fired_setting("offence_indicated")
        aangifte = Track(
            id="aangifte",
            status="geadviseerd"
            if self.flag("aangifte_advised")
            else "beslissing_nodig"
            if self.flag("culpability_to_confirm")
            else "mogelijk"
            if offence
            else "niet_van_toepassing",
            basis=self.rule_basis("fraude_opzet", "fraude_verwijtbaarheid_vaststellen", *offence),
            explanation=Text(
                nl="Doe aangifte van fraude bij politie of OM."
                if self.flag("aangifte_advised")
                else "Of aangifte past, hangt af van de verwijtbaarheid die een medewerker vaststelt."
                if self.flag("culpability_to_confirm")
                else self._reasons(offence).nl
                if offence
                else "Geen aanwijzing voor een strafbaar feit.",
                en="Report the fraud to the police or the prosecutor."
                if self.flag("aangifte_advised")
                else "Whether a police report fits depends on the culpability a person establishes."
                if self.flag("culpability_to_confirm")
                else self._reasons(offence).en
                if offence
                else "No indication of a criminal offence.",
            ),
        )
        return (herstel, melding, aangifte, self._continuity_track(kind))

    def _continuity_track(self, kind: str) -> Track:
        """Care for the clients: before a measure that could end it, and at once for the clients in
        care now when they are in danger (an intake stop protects only new clients)."""
        at_risk = self._continuity_at_risk(kind)
        protect = self._fired_setting("protect_current_clients")
        ends_care = fixed_text(
            nl="Deze maatregel kan cliënten zonder zorg laten en het is niet zeker dat zij op tijd kunnen overstappen: borg de zorg vóór de maatregel ingaat (zie vervolgacties).",
            en="This measure could leave clients without care and it is not certain they can move in time: secure the care before the measure takes effect (see follow-up).",
        )
        if protect:
            now = self._reasons(protect)
            explanation = Text(nl=f"{now.nl} {ends_care.nl}", en=f"{now.en} {ends_care.en}") if at_risk else now
        elif at_risk:
            explanation = ends_care
        else:
            explanation = fixed_text(
                nl="De maatregel laat cliënten niet zonder zorg, of zij kunnen op tijd overstappen.",
                en="The measure does not leave clients without care, or they can move in time.",
            )
        return Track(
            id="continuiteit_zorg",
            status="geadviseerd" if at_risk or protect else "niet_van_toepassing",
            basis=self.rule_basis("continuiteit_onzeker", *protect),
            explanation=explanation,
        )

    def _fired_setting(self, fact: str) -> tuple[str, ...]:
        """The fired rules that set ``fact`` to true, in evaluation order."""
        return tuple(rid for rid in self.trace.fired if (fact, 1) in self.stack.rules_by_id[rid].sets)

    def _reasons(self, rule_ids: tuple[str, ...]) -> Text:
        """The reasons of these rules (pack text), one after the other."""
        texts = [reason(self.stack, self.stack.rules_by_id[rid]) for rid in rule_ids]
        return Text(nl=" ".join(t.nl for t in texts), en=" ".join(t.en for t in texts))

    def _followups(self, kind: str) -> tuple[FollowUp, ...]:
        """The rules' follow-ups; and securing continuity of care whenever the measure puts it at risk."""
        out = self.followups()
        if self._continuity_at_risk(kind) and CONTINUITY_FOLLOWUP not in {f.id for f in out}:
            fu = self.stack.followups[CONTINUITY_FOLLOWUP]
            out = (
                *out,
                FollowUp(
                    id=CONTINUITY_FOLLOWUP,
                    text=Text(nl=fu.text.nl, en=fu.text.en),
                    principles=self.stack.principles_for(tuple(fu.principles)),
                    audience=fu.audience,
                ),
            )
        return out

    def _continuity_at_risk(self, kind: str) -> bool:
        inst = BY_NAME.get(kind)
        return inst is not None and inst.ends_care and self.flag("continuity_uncertain")

    # -- alternatives ------------------------------------------------------------------------
    def _alternatives(self, kind: str) -> tuple[Alternative, ...]:
        out = []
        chosen = self.ladder.chosen
        for inst in INSTRUMENTS:
            has_basis = self.flag(f"basis_{inst.name}")
            excluded = inst.name == "contractuele_boete" and self.flag("punitive_excluded")
            lawful = has_basis and not excluded
            if inst.name == kind:
                why = fixed_text(
                    nl="Gekozen: de lichtste maatregel met grondslag die de nodige trede haalt.",
                    en="Chosen: the lightest measure with a basis that reaches the needed rung.",
                )
            elif not has_basis:
                why = self._no_basis(inst)
            elif excluded:
                why = fixed_text(
                    nl="Niet evenredig: de aanbieder valt weinig of niets te verwijten.",
                    en="Not proportionate: the provider is hardly or not at all to blame.",
                )
            elif chosen is None:
                why = fixed_text(
                    nl="Niet gekozen: eerst moet de tekortkoming worden vastgesteld.",
                    en="Not chosen: the shortcoming must be established first.",
                )
            elif inst.rung < self.ladder.needed:
                why = Text(
                    nl=f"Te licht: de tekortkoming vraagt ten minste trede {self.ladder.needed} (zie de stappen).",
                    en=f"Too light: the shortcoming needs at least rung {self.ladder.needed} (see the steps).",
                )
            elif inst.rung == chosen.rung:
                why = Text(
                    nl=f"Op dezelfde trede; {chosen.nl.lower()} gaat voor omdat het lichter is of beter bij het doel past.",
                    en=f"On the same rung; {chosen.en.lower()} comes first because it is lighter or fits the aim better.",
                )
            else:
                why = fixed_text(
                    nl="Zwaarder dan nodig: een lichtere maatregel met grondslag volstaat.",
                    en="Heavier than needed: a lighter measure with a basis suffices.",
                )
            out.append(
                Alternative(
                    measure=inst.name,
                    amount=self._penalty_cap() if inst.name == "contractuele_boete" else None,
                    chosen=inst.name == kind,
                    lawful=lawful,
                    why=why,
                )
            )
        return tuple(out)

    def _no_basis(self, inst: Instrument) -> Text:
        contract_field = {
            "verbeterplan": "improvement_plan",
            "intake_stop": "intake_stop",
            "betalingsopschorting": "payment_suspension",
            "contractuele_boete": "penalty",
            "ontbinding": "termination",
        }.get(inst.name)
        if contract_field is not None and getattr(self.case.contract, contract_field) is None:
            return Text(
                nl=f"Onbekend of een contract van de gemeente met de aanbieder dit toelaat (contract.{contract_field}); bij een pgb is er geen contract. Zonder grondslag nooit.",
                en=f"Unknown whether a contract of the municipality with the provider allows this (contract.{contract_field}); with a personal budget (pgb) there is none. Never without a basis.",
            )
        return fixed_text(
            nl="Niet mogelijk: geen grondslag in de wet voor de gemeente of in het contract.",
            en="Not possible: no basis in the law for the municipality or in the contract.",
        )

    # -- decisions, missing facts, what would change ------------------------------------------
    def _decisions(self, kind: str) -> tuple[HumanDecision, ...]:
        out = []
        if self.ladder.chosen is not None:
            out.append(
                HumanDecision(
                    id="evenredigheid",
                    question=fixed_text(
                        nl="Is de maatregel geschikt, noodzakelijk en evenwichtig voor deze aanbieder en zijn cliënten?",
                        en="Is the measure suitable, necessary and balanced for this provider and its clients?",
                    ),
                    factors=self.factors("evenredigheid"),
                    options=tuple(i.name for i in self.ladder.available),
                )
            )
        if self.flag("culpability_to_confirm"):
            out.append(
                HumanDecision(
                    id="verwijtbaarheid_vaststellen",
                    question=fixed_text(
                        nl="Handelde de aanbieder opzettelijk, grof nalatig, normaal verwijtbaar, verminderd of niet verwijtbaar?",
                        en="Did the provider act intentionally, with gross negligence, normally, reduced or not culpably?",
                    ),
                    options=CULPABILITY_LEVELS,
                    consequences=fixed_text(
                        nl="Opzet leidt tot ontbinding en aangifte; grove schuld tot een contractuele boete; geen of verminderde verwijtbaarheid sluit een boete uit.",
                        en="Intent leads to termination and a police report; gross negligence to a contractual penalty; no or reduced culpability rules a penalty out.",
                    ),
                )
            )
        if self._continuity_at_risk(kind):
            out.append(
                HumanDecision(
                    id="continuiteit_zorg",
                    question=fixed_text(
                        nl="Hoe houden de cliënten zorg als deze maatregel ingaat, en wanneer mag hij ingaan?",
                        en="How do clients keep their care once this measure takes effect, and when may it take effect?",
                    ),
                    factors=self.factors("continuiteit_zorg"),
                )
            )
        if self.flag("protect_current_clients"):
            out.append(
                HumanDecision(
                    id="clienten_nu_beschermen",
                    question=fixed_text(
                        nl="Wat gebeurt er vandaag om de cliënten te beschermen die nu zorg krijgen, en wie doet het?",
                        en="What is done today to protect the clients in care now, and who does it?",
                    ),
                    factors=self.factors("clienten_nu_beschermen"),
                )
            )
        if self.ladder.short:
            out.append(
                HumanDecision(
                    id="instrumenten_tekort",
                    question=fixed_text(
                        nl="Geen instrument met grondslag is zwaar genoeg. Vraagt u de toezichthouder om op te treden? En koopt de gemeente deze zorg in, neemt u het instrument dan bij de volgende inkoop op in het contract?",
                        en="No instrument with a basis is heavy enough. Do you ask the supervisor to act? And if the municipality commissions this care, do you add the instrument to the contract at the next procurement?",
                    ),
                )
            )
        return tuple(out)

    def _missing(self, kind: str) -> tuple[MissingFact, ...]:
        # The culpability is a decision for a person (above), not a missing fact.
        out = self.unknown_inputs(frozenset({"culpability"}), FIELD_OF)
        if kind == "contractuele_boete" and self._penalty_cap() is None:
            out.append(
                MissingFact(
                    fact="contract_penalty_max",
                    field="contract.penalty_max",
                    why=fixed_text(
                        nl="Het maximum van het boetebeding is nodig om de boete te begrenzen.",
                        en="The maximum of the penalty clause is needed to cap the penalty.",
                    ),
                )
            )
        return tuple(out)

    def _counterfactuals(self, kind: str) -> tuple[Counterfactual, ...]:
        """Facts that would change the measure, found by evaluating the same rules on the changed facts."""
        out = []
        for name, value, nl, en in WHAT_IFS:
            if self.values.get(name) == value or name not in self.stack.facts:
                continue
            other = self.what_if({**self.values, name: value}).chosen
            other_kind = "geen_maatregel" if other is None else other.name
            if other_kind == kind:
                continue
            target = (
                fixed_text(nl="geen maatregel", en="no measure") if other is None else Text(nl=other.nl, en=other.en)
            )
            out.append(
                Counterfactual(
                    change=Text(nl=nl, en=en),
                    effect=Text(
                        nl=f"Dan wordt het advies: {target.nl.lower()}.",
                        en=f"The advice then becomes: {target.en.lower()}.",
                    ),
                )
            )
        return tuple(out)


#: The facts whose change a caseworker or the provider can bring in, with how to say it.
WHAT_IFS: tuple[tuple[str, bool, str, str], ...] = (
    ("ongoing_danger", True, "Als cliënten nu in gevaar zijn", "If clients are in danger now"),
    ("ongoing_danger", False, "Als het gevaar voor cliënten voorbij is", "If the danger to clients has passed"),
    ("harm_occurred", True, "Als cliënten schade hebben geleden", "If clients came to harm"),
    ("vulnerable_clients", True, "Als het om kwetsbare cliënten gaat", "If the clients are vulnerable"),
    ("structural", True, "Als de tekortkoming structureel is", "If the shortcoming is structural"),
    ("structural", False, "Als de tekortkoming incidenteel is", "If the shortcoming is incidental"),
    ("cooperates", True, "Als de aanbieder meewerkt", "If the provider cooperates"),
    ("cooperates", False, "Als de aanbieder niet meewerkt", "If the provider does not cooperate"),
    ("capacity_to_improve", True, "Als de aanbieder kan verbeteren", "If the provider can improve"),
    ("capacity_to_improve", False, "Als de aanbieder niet kan verbeteren", "If the provider cannot improve"),
    (
        "contract_improvement_plan",
        True,
        "Als het contract een verbeterplan toelaat",
        "If the contract allows an improvement plan",
    ),
    (
        "contract_intake_stop",
        True,
        "Als het contract een cliëntenstop toelaat",
        "If the contract allows an intake stop",
    ),
    ("contract_penalty", True, "Als het contract een boetebeding heeft", "If the contract has a penalty clause"),
    ("contract_termination", True, "Als het contract ontbinding toelaat", "If the contract allows termination"),
)
