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
from maatwerk._memo import principle_texts
from maatwerk._policy.facts import PROVIDER_RUNGS, Encoded, PyValue
from maatwerk._policy.stack import ResolvedParam, Stack
from maatwerk._verdict import Probe, VerdictRun
from maatwerk.models._base import Text
from maatwerk.models.advice import (
    Advice,
    Band,
    CalculationStep,
    FollowUp,
    Measure,
    MissingFact,
    PackRef,
    ReasoningStep,
)
from maatwerk.models.provider import EarlierMeasureKind, ProviderCase

__all__ = ["INSTRUMENTS", "Ladder", "ProviderBuilder", "climb"]


@dataclass(frozen=True, slots=True)
class Instrument:
    """A rung of the ladder (its name, in both languages, is the pack's: ``verdict.measures``)."""

    name: str
    rung: int
    ends_care: bool = False
    """Could leave clients without care (the provider stops or cannot go on)."""


#: The instruments, lightest first; within a rung, the earlier one is lighter.
INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument("gesprek", 1),
    Instrument("verbeterplan", 2),
    Instrument("verscherpt_toezicht", 3),
    Instrument("aanwijzing", 3),
    Instrument("intake_stop", 4),
    Instrument("last_onder_dwangsom", 4),
    Instrument("betalingsopschorting", 4, ends_care=True),
    Instrument("contractuele_boete", 5),
    Instrument("ontbinding", 6, ends_care=True),
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
        chosen = self.ladder.chosen
        self.kind = "geen_maatregel" if chosen is None else chosen.name
        self.run = VerdictRun(
            stack,
            params,
            stack.condition_key(params),
            trace.fact,
            trace.fired,
            self.law,
            {
                "measure_chosen": chosen is not None,
                "ladder_short": self.ladder.short,
                "continuity_at_risk": self._continuity_at_risk(self.kind),
                "needed_rung": self.ladder.needed,
                "chosen_rung": 0 if chosen is None else chosen.rung,
            },
        )
        self.run.fact["measure"] = self.kind
        name = self.label(self.kind)
        self.run.values["measure_name"] = Text(nl=name.nl.lower(), en=name.en.lower())
        needed = str(self.ladder.needed)
        self.run.values["needed_rung"] = Text(nl=needed, en=needed)

    def label(self, name: str) -> Text:
        """The measure's name, from the pack."""
        return self.run.label(name)

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
        kind = self.kind
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
            tracks=self.run.tracks({}),
            calculation=self._calculation(kind),
            alternatives=self.run.alternatives({"contract_penalty": self._penalty_cap()}),
            steps=(*extra_steps, *self.steps()),
            decisions=self.run.decisions(self.factors, tuple(i.name for i in self.ladder.available)),
            missing_facts=self._missing(kind),
            what_would_change=self.run.what_ifs(self.values, self._probe),
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
        """The measure's name with what it needs said: its range or cap, its term, and any urgency."""
        v = self.run
        if kind == "geen_maatregel":
            return v.text("summary_none")
        parts = [self.label(kind)]
        if kind == "last_onder_dwangsom":
            low, high, cap = self._dwangsom_range()
            parts.append(v.text("summary_dwangsom", low=eur(low), high=eur(high), cap=eur(cap)))
        if kind == "contractuele_boete":
            cap_ = self._penalty_cap()
            parts.append(
                v.text("summary_penalty_cap", cap=eur(cap_))
                if cap_ is not None
                else v.text("summary_penalty_cap_unknown")
            )
        if deadline is not None:
            parts.append(v.text("summary_deadline", days=str(deadline)))
        if self.flag("immediate_action"):
            parts.append(v.text("summary_immediate"))
        if self.flag("protect_current_clients"):
            parts.append(v.text("summary_protect"))
        if self.ladder.short:
            parts.append(v.text("summary_short"))
        return Text(nl="".join(p.nl for p in parts) + ".", en="".join(p.en for p in parts) + ".")

    def _band(self, kind: str) -> Band:
        v = self.run
        if kind == "last_onder_dwangsom":
            low, high, _ = self._dwangsom_range()
            return Band(
                lowest=v.text("band_dwangsom_low"),
                lowest_amount=low,
                highest=v.text("band_dwangsom_high"),
                highest_amount=high,
            )
        avail = self.ladder.available
        if not avail:
            none = v.text("band_no_instrument")
            return Band(lowest=none, lowest_amount=None, highest=none, highest_amount=None)
        return Band(
            lowest=self.label(avail[0].name),
            lowest_amount=None,
            highest=self.label(avail[-1].name),
            highest_amount=self._penalty_cap() if avail[-1].name == "contractuele_boete" else None,
        )

    def _calculation(self, kind: str) -> tuple[CalculationStep, ...]:
        if kind != "last_onder_dwangsom":
            return ()
        grade = "ernstig" if self.flag("serious") else "beperkt"
        low, high, cap = self._dwangsom_range()
        self.run.values["seriousness"] = self.run.text(
            "seriousness_serious" if grade == "ernstig" else "seriousness_limited"
        )
        return tuple(
            CalculationStep(
                id=step,
                label=self.run.step_label(step, {}),
                amount=amount,
                parameters=(self.param_use(param),),
            )
            for step, amount, param in (
                ("dwangsom_ondergrens", low, f"dwangsom_week_{grade}_min"),
                ("dwangsom_bovengrens", high, f"dwangsom_week_{grade}_max"),
                ("dwangsom_maximum", cap, "dwangsom_max_weken"),
            )
        )

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

    def _missing(self, kind: str) -> tuple[MissingFact, ...]:
        # The culpability is a decision for a person (above), not a missing fact.
        out = self.unknown_inputs(frozenset({"culpability"}), FIELD_OF)
        if kind == "contractuele_boete" and self._penalty_cap() is None:
            out.append(
                MissingFact(
                    fact="contract_penalty_max",
                    field="contract.penalty_max",
                    why=self.run.text("missing_penalty_max"),
                )
            )
        return tuple(out)

    def _probe(self, changed: Mapping[str, PyValue]) -> Probe:
        """The measure the same rules give on the changed facts."""
        other = self.what_if(changed).chosen
        return Probe("geen_maatregel" if other is None else other.name, None, True)
