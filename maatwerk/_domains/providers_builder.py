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
from decimal import Decimal

from maatwerk._advice.common import AdviceBase
from maatwerk._advice.memo import principle_texts
from maatwerk._advice.plain import (
    AdviceData,
    BandData,
    CalculationStepData,
    FollowUpData,
    MissingFactData,
    OutcomeData,
    ParameterUseData,
    ReasoningStepData,
    TextData,
    band_data,
    money,
    pack_data,
    text,
)
from maatwerk._advice.verdict import Ladder, Probe, VerdictRun, climb, resolved_ladder
from maatwerk._engine.core import Trace
from maatwerk._format import eur
from maatwerk._policy.domains.providers import PROVIDER_RUNGS
from maatwerk._policy.facts import Encoded, PyValue
from maatwerk._policy.stack import ResolvedParam, Stack
from maatwerk.models.advice import PackRef
from maatwerk.models.provider import ProviderCase

__all__ = ["ProviderBuilder", "failed_rung", "ladder_of"]


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


def failed_rung(case: ProviderCase, since_years: int, earlier: Mapping[str, int]) -> int:
    """The highest rung of an earlier measure for the same standard that was not complied with
    (``earlier``: the pack's rung of each kind of earlier measure)."""
    from maatwerk._domains.facts import years_before

    since = years_before(case.decision_date, since_years)
    rungs = [
        earlier[h.kind.value] for h in case.history if h.same_standard and h.taken_on >= since and h.complied is False
    ]
    return max(rungs, default=0)


def ladder_of(stack: Stack, key: tuple[tuple[str, Encoded], ...], fact: Mapping[str, Encoded], failed: int) -> Ladder:
    """Where the rules' facts land on the pack's ladder: the rung the rules ask for at least
    (``rung_N_needed``), climbed past an earlier measure that failed."""
    needed = max((n for n in range(2, PROVIDER_RUNGS + 1) if fact[f"rung_{n}_needed"] == 1), default=1)
    return climb(stack, key, fact, needed, failed, PROVIDER_RUNGS)


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
        key = stack.condition_key(params)
        self.ladder = ladder = resolved_ladder(stack, key)
        self.failed = failed_rung(case, self._int("historie_termijn_jaren"), ladder.earlier)
        self.ladder_result = ladder_of(stack, key, trace.fact, self.failed)
        chosen = self.ladder_result.chosen
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
                "ladder_short": self.ladder_result.short,
                "continuity_at_risk": False,
                "needed_rung": self.ladder_result.needed,
                "chosen_rung": 0 if chosen is None else chosen.rung,
                "deadline_set": False,
                "penalty_cap_known": self._penalty_cap() is not None,
            },
        )
        run = self.run
        run.fact["measure"] = self.kind
        run.set_facts(self.kind)
        term = run.deadline(self.kind)
        self.deadline = None if term is None else self._int(term)
        run.set_facts_to({"deadline_set": self.deadline is not None})
        name = self.label(self.kind)
        run.values["measure_label"] = name
        run.values["measure_name"] = text(name["nl"].lower(), name["en"].lower())
        needed_text = str(self.ladder_result.needed)
        run.values["needed_rung"] = text(needed_text, needed_text)

    def label(self, name: str) -> TextData:
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
    def outcome(self, *, packs: tuple[PackRef, ...], engine: str) -> OutcomeData:
        """The decision without its reasoning, as data: the same measure, term, band amounts and
        track statuses as :meth:`build`, without rendering a text (its receipt left empty)."""
        kind = self.kind
        low, high = self._band_amounts(kind)
        return {
            "schema_version": "1",
            "domain": "providers",
            "case_ref": self.case.case_ref,
            "measure": kind,
            "amount": money(self._penalty_cap()) if kind == "contractuele_boete" else None,
            "probation_years": None,
            "deadline_days": self.deadline,
            "lowest_amount": money(low),
            "highest_amount": money(high),
            "policy_cap_amount": None,
            "tracks": self.run.track_outcomes({}),
            "alternatives": self.run.alternative_outcomes(),
            "rules": self.trace.fired,
            "packs": packs,
            "engine": engine,
            "receipt": "",
        }

    def _band_amounts(self, kind: str) -> tuple[Decimal | None, Decimal | None]:
        """The band's lowest and highest amounts (as :meth:`_band` gives them)."""
        if kind == "last_onder_dwangsom":
            low, high, _ = self._dwangsom_range()
            return low, high
        avail = self.ladder_result.available
        if not avail:
            return None, None
        return None, self._penalty_cap() if avail[-1].name == "contractuele_boete" else None

    def build(
        self, *, packs: tuple[PackRef, ...], engine: str, extra_steps: tuple[ReasoningStepData, ...] = ()
    ) -> AdviceData:
        """The advice as plain data (its receipt left empty: the engine adds it)."""
        kind = self.kind
        deadline = self.deadline
        return {
            "schema_version": "1",
            "domain": "providers",
            "case_ref": self.case.case_ref,
            "measure": {
                "kind": kind,
                "amount": money(self._penalty_cap()) if kind == "contractuele_boete" else None,
                "probation_years": None,
                "deadline_days": deadline,
                "summary": self._summary(),
                "band": self._band(kind),
            },
            "tracks": self.run.tracks({}),
            "calculation": self._calculation(kind),
            "alternatives": self.run.alternatives({"contract_penalty": self._penalty_cap()}),
            "steps": (*extra_steps, *self.steps()),
            "decisions": self.run.decisions(self.factors, tuple(i.name for i in self.ladder_result.available)),
            "missing_facts": self._missing(kind),
            "what_would_change": self.run.what_ifs(self.values, self._probe),
            "followups": self._followups(),
            "cause_category": str(self.out("cause_category")) or "onduidelijk",
            "packs": pack_data(packs),
            "principles": principle_texts(self.stack),
            "engine": engine,
            "receipt": "",
        }

    def _dwangsom_range(self) -> tuple[Decimal, Decimal, Decimal]:
        """Per week (lowest, highest) and the maximum, in proportion to the seriousness (Awb 5:32b)."""
        grade = "ernstig" if self.flag("serious") else "beperkt"
        low = self._money(f"dwangsom_week_{grade}_min")
        high = self._money(f"dwangsom_week_{grade}_max")
        return low, high, high * self._int("dwangsom_max_weken")

    def _penalty_cap(self) -> Decimal | None:
        return self.case.contract.penalty_max

    def _summary(self) -> TextData:
        """The measure's name with what it needs said (its range or cap, its term, any urgency): the
        parts of the pack's ladder summary whose conditions hold."""
        v = self.run
        low, high, cap = self._dwangsom_range()
        for name, amount in (("low", low), ("high", high), ("cap", cap), ("penalty_cap", self._penalty_cap())):
            shown = eur(amount)
            v.values[name] = text(shown, shown)
        days = "" if self.deadline is None else str(self.deadline)
        v.values["days"] = text(days, days)
        return v.summary()

    def _band(self, kind: str) -> BandData:
        v = self.run
        if kind == "last_onder_dwangsom":
            low, high, _ = self._dwangsom_range()
            return band_data(v.text("band_dwangsom_low"), low, v.text("band_dwangsom_high"), high)
        avail = self.ladder_result.available
        if not avail:
            none = v.text("band_no_instrument")
            return band_data(none, None, none, None)
        return band_data(
            self.label(avail[0].name),
            None,
            self.label(avail[-1].name),
            self._penalty_cap() if avail[-1].name == "contractuele_boete" else None,
        )

    def _calculation(self, kind: str) -> tuple[CalculationStepData, ...]:
        if kind != "last_onder_dwangsom":
            return ()
        grade = "ernstig" if self.flag("serious") else "beperkt"
        low, high, cap = self._dwangsom_range()
        self.run.values["seriousness"] = self.run.text(
            "seriousness_serious" if grade == "ernstig" else "seriousness_limited"
        )
        return tuple(
            _calculation_step(step, self.run.step_label(step, {}), amount, (self.param_use(param),))
            for step, amount, param in (
                ("dwangsom_ondergrens", low, f"dwangsom_week_{grade}_min"),
                ("dwangsom_bovengrens", high, f"dwangsom_week_{grade}_max"),
                ("dwangsom_maximum", cap, "dwangsom_max_weken"),
            )
        )

    def _followups(self) -> tuple[FollowUpData, ...]:
        """The rules' follow-ups; and securing continuity of care whenever the measure puts it at risk."""
        out = self.followups()
        if self.run.fact["continuity_at_risk"] == 1 and CONTINUITY_FOLLOWUP not in {f["id"] for f in out}:
            fu = self.stack.followups[CONTINUITY_FOLLOWUP]
            out = (
                *out,
                {
                    "id": CONTINUITY_FOLLOWUP,
                    "text": text(fu.text.nl, fu.text.en),
                    "principles": self.stack.principles_for(tuple(fu.principles)),
                    "audience": fu.audience,
                },
            )
        return out

    def _missing(self, kind: str) -> tuple[MissingFactData, ...]:
        # The culpability is a decision for a person (above), not a missing fact.
        out = self.unknown_inputs(frozenset({"culpability"}), FIELD_OF)
        if kind == "contractuele_boete" and self._penalty_cap() is None:
            out.append(
                {
                    "fact": "contract_penalty_max",
                    "field": "contract.penalty_max",
                    "why": self.run.text("missing_penalty_max"),
                    "rules": (),
                }
            )
        return tuple(out)

    def _probe(self, changed: Mapping[str, PyValue]) -> Probe:
        """The measure the same rules give on the changed facts."""
        other = self.what_if(changed).chosen
        return Probe("geen_maatregel" if other is None else other.name, None, True)


def _calculation_step(
    sid: str, label: TextData, amount: Decimal, parameters: tuple[ParameterUseData, ...]
) -> CalculationStepData:
    cents = money(amount)
    assert cents is not None
    return {"id": sid, "label": label, "amount": cents, "parameters": parameters}
