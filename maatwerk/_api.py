# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The front door: :class:`Engine` and :func:`parse_case`."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import orjson

from maatwerk._advice.plain import advice_model, outcome_model, to_json
from maatwerk._domains import domain_of
from maatwerk._engine import Evaluator, ReferenceEvaluator
from maatwerk._intake.case import (
    Case,
    CaseInput,
    parse_case,
)
from maatwerk._policy.schema import ENGINE_STEPS
from maatwerk._policy.stack import PolicySet, Selection, Stack
from maatwerk._version import ADVICE_LOGIC, __version__
from maatwerk.errors import EngineError, MaatwerkError, Problem
from maatwerk.models._base import Text
from maatwerk.models.advice import Advice, Outcome, PackRef
from maatwerk.models.case import BenefitCase

if TYPE_CHECKING:
    from maatwerk._advice.plain import AdviceData, ReasoningStepData

T = TypeVar("T")

__all__ = ["Engine", "parse_case"]


# The library never configures logging: events go to the stdlib logger "maatwerk" as key=value
# pairs, silent unless the host adds a handler. No personal data: the measure, the packs, and the
# case only as a keyed pseudonym of its reference (never its values, its reference or its receipt).
_stdlib_log = logging.getLogger("maatwerk")
_stdlib_log.addHandler(logging.NullHandler())


class _FirstEvent:
    """Stands in for the structlog logger until the first event: importing structlog costs about a
    fifth of ``import maatwerk`` (it pulls in asyncio), and most processes never log an event."""

    def info(self, event: str, **values: Any) -> None:
        import structlog

        global log  # noqa: PLW0603  (replaced once, by the real logger)
        log = structlog.wrap_logger(
            _stdlib_log, processors=[structlog.processors.KeyValueRenderer(key_order=["event"], sort_keys=True)]
        )
        log.info(event, **values)


log: Any = _FirstEvent()

#: The reasoning steps the engine itself adds (stage ``selectie``) when it chooses pack versions:
#: conduct before the first version, the milder law, a previewed bill.
SELECTION_STEPS = ENGINE_STEPS


_durable_checked: list[str | None] = []
_durable_warned = threading.Event()


def durable_unavailable() -> str | None:
    """Why the durable-rules evaluator cannot be used in this process (``None``: it can). Importing
    the adapter is the test, done once: durable-rules 2.0.28 is not installed from Python 3.13 on,
    and where it is built anyway, it does not import (``PyEval_CallObject`` left the C API)."""
    if not _durable_checked:
        try:
            import maatwerk._engine._durable  # noqa: F401  (the import is the test)
        except ImportError as err:
            _durable_checked.append(
                f"durable-rules does not import on Python {sys.version_info[0]}.{sys.version_info[1]} ({err})"
            )
        else:
            _durable_checked.append(None)
    return _durable_checked[0]


def _warn_durable_unavailable() -> None:
    """Log once per process why the reference evaluator advises instead of durable-rules."""
    if not _durable_warned.is_set():
        _durable_warned.set()
        _stdlib_log.warning(
            "evaluator=reference reason=%r note='the reference evaluator gives the same advice, byte for byte'",
            durable_unavailable(),
        )


def default_policy_dir() -> Path:
    """The bundled ``policies/`` folder: package data of the installed wheel, or the live folder of
    a source checkout (see :mod:`maatwerk._resources`)."""
    from maatwerk._resources import bundled

    return bundled("policies")


def receipt_of(canonical_input: str, packs: Iterable[PackRef], *, engine: str | None = None) -> str:
    """The receipt of an advice: SHA-256 over the canonical input, each pack (id, version, hash) and
    the advice logic (:data:`~maatwerk._version.ADVICE_LOGIC`): what decides the outcome. Neither
    maatwerk's release nor the evaluator is in it, so an upgrade keeps the receipts of the advices
    it leaves unchanged. ``engine`` gives the receipt as maatwerk 0.1.0 made it (over the engine
    string instead of the advice logic), so that a replay recognises a record from then."""
    return _receipt_over(canonical_input, [(p.id, p.version, p.sha256) for p in packs], engine)


def _receipt_over(canonical_input: str, packs: Iterable[tuple[str, str, str]], engine: str | None = None) -> str:
    """:func:`receipt_of` over each pack's id, version and hash: the same bytes hashed in one piece
    (SHA-256 of a text is the same whether it is fed at once or in parts)."""
    tail = "".join([f"|{pid}@{version}:{sha256}" for pid, version, sha256 in packs])
    logic = f"|{engine}" if engine is not None else f"|advice logic {ADVICE_LOGIC}"
    return hashlib.sha256(f"{canonical_input}{tail}{logic}".encode()).hexdigest()


def canonical_json(case: Case) -> str:
    """The case as the receipt hashes it: its JSON data with sorted keys, no spaces, non-ASCII as
    is. Written by orjson (about 2.4 times faster), byte for byte what ``json.dumps(data,
    sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` writes for a case (a property test
    checks it), so that every receipt made before stays reproducible: a case holds only strings of
    closed vocabularies or patterns, bounded whole numbers, booleans and nulls, where the two agree."""
    data = type(case).__pydantic_serializer__.to_python(case, mode="json")  # model_dump(mode="json"), directly
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What an Engine advises with: one policy folder and the pack set loaded from it. Replaced as a
    whole by :meth:`Engine.reload`, never changed in place."""

    policy_dir: Path
    policies: PolicySet


#: The evaluators an Engine can be asked for.
EvaluatorName = Literal["durable", "reference", "compiled"]

#: The names under which each evaluator is asked for, by the name it reports.
_EVALUATORS = {"durable-rules": "durable", "reference": "reference", "compiled": "compiled"}


def engine_settings(engine: Engine) -> dict[str, Any]:
    """The keyword arguments that rebuild ``engine`` (in a worker process, or for a report)."""
    return {
        "policy_dir": Path(engine.policy_dir),
        "municipality": engine.municipality,
        "evaluator": _EVALUATORS[engine._evaluator.name],
        "preview": dict(engine.preview),
        "log_key": engine._log_key,  # the same pseudonyms in every process
    }


class Engine:
    """Advises on cases with the packs under ``policy_dir``.

    ``municipality`` selects the municipal pack layered on the national one (``None``: national
    law only). ``evaluator`` is ``"durable"`` (the rules engine), ``"reference"`` (the
    plain-Python oracle) or ``"compiled"`` (each stack's rules generated into one Python function,
    several times faster than durable-rules); all give identical advice, and the advice's ``engine``
    names the one that made it. Left out (``None``), it is durable-rules wherever that imports, else (Python 3.13 and
    later: docs/explanation/design.md, *Python versions*) the reference evaluator, with one logged
    warning that says why. An Engine is safe to share between threads;
    :meth:`reload` switches it to new packs while it advises.

    ``preview`` maps a proposal (a bill held as ``proposed-<id>.yaml``, such as ``"whsz"``) to an
    assumed date of entry into force, to explore what the bill would change. Such an advice says
    so in its packs (``in_force: false``) and its first step; it is never an advice under current law.

    ``log_key`` keys the pseudonym under which log lines name a case (:meth:`pseudonym`); without
    it, a random key per engine, so that log lines of one engine can be linked but no one can
    compute a case's pseudonym from its reference. ``maatwerk serve`` derives it from the audit secret.
    """

    def __init__(
        self,
        policy_dir: str | Path | None = None,
        *,
        municipality: str | None = "lansingerland",
        evaluator: EvaluatorName | None = None,
        preview: Mapping[str, dt.date] | None = None,
        log_key: bytes | None = None,
    ) -> None:
        folder = Path(policy_dir) if policy_dir is not None else default_policy_dir()
        if log_key is None:
            log_key = secrets.token_bytes(32)  # pseudonyms that link this engine's log lines only
        elif not isinstance(log_key, bytes) or len(log_key) < 16:
            raise ValueError("log_key must be at least 16 bytes (e.g. secrets.token_bytes(32))")
        self._log_key = log_key
        for name, day in (preview or {}).items():
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise TypeError(f"preview[{name!r}] must be a datetime.date, not {type(day).__name__}")
        self.preview = dict(preview or {})
        if municipality is not None and not isinstance(municipality, str):
            raise TypeError(f"municipality must be a str or None, not {type(municipality).__name__}")
        policies = PolicySet.from_directory(folder, preview=self.preview)
        policies.check_municipality(municipality, str(folder))
        self._loaded = _Loaded(folder, policies)
        self.municipality = municipality
        self._evaluator: Evaluator
        if evaluator is None:
            evaluator = "durable" if durable_unavailable() is None else "reference"
            if evaluator == "reference":
                _warn_durable_unavailable()
        if evaluator == "durable":
            reason = durable_unavailable()
            if reason is not None:
                raise EngineError(
                    f"the durable-rules evaluator cannot be used here: {reason}",
                    hint="Leave the evaluator out (the reference evaluator gives identical advice), or "
                    "use Python 3.11 or 3.12 with durable-rules installed.",
                )
            from maatwerk._engine._durable import DurableEvaluator, engine_version

            self._evaluator = DurableEvaluator()
            self._engine_version = engine_version()
        elif evaluator == "reference":
            self._evaluator = ReferenceEvaluator()
            self._engine_version = "reference evaluator"
        elif evaluator == "compiled":
            from maatwerk._engine.compiled import CompiledEvaluator

            self._evaluator = CompiledEvaluator()
            self._engine_version = "compiled evaluator"
        else:
            raise ValueError(f"evaluator must be 'durable', 'reference' or 'compiled', not {evaluator!r}")
        self.evaluator: EvaluatorName = evaluator
        self._reload_lock = threading.Lock()

    @property
    def policy_dir(self) -> Path:
        """The folder the current packs were loaded from."""
        return self._loaded.policy_dir

    @property
    def policies(self) -> PolicySet:
        """The pack set every new advice uses (replaced as a whole by :meth:`reload`)."""
        return self._loaded.policies

    @property
    def engine(self) -> str:
        return f"maatwerk {__version__}; {self._engine_version}"

    def reload(self, policy_dir: str | Path | None = None) -> bool:
        """Load the packs again (from ``policy_dir`` when given, else from the current folder) and
        switch to them in one step; returns whether any pack version changed.

        The new set is loaded, checked and compiled completely (every stack a case could select)
        before anything changes, so a broken pack raises its :class:`PolicyError` and the engine
        keeps advising with the packs it had. The switch replaces one reference: an advice that is
        under way finishes with the set it started with, every later advice uses the new one, and
        no advice ever mixes the two (its ``packs`` and ``receipt`` name the set it used).
        Concurrent reloads are applied one at a time, in the order they were called.

        Files are read while loading, so change them atomically (write a new file and rename it
        over the old one), or prepare a new folder and pass it as ``policy_dir``. durable-rules
        cannot unload a ruleset: each reload that changes a pack compiles new rulesets and keeps
        the old ones in memory (a few hundred kB per changed stack).
        """
        with self._reload_lock:
            folder = Path(policy_dir) if policy_dir is not None else self._loaded.policy_dir
            policies = PolicySet.from_directory(folder, preview=self.preview)
            policies.compile_all()  # a broken pack set is a PolicyError before anything else
            policies.check_municipality(self.municipality, str(folder))
            changed = policies.fingerprint() != self._loaded.policies.fingerprint()
            self._loaded = _Loaded(folder, policies)  # the one switch
        return changed

    def use_log_key(self, log_key: bytes) -> None:
        """Key the pseudonyms of later log lines with ``log_key`` (at least 16 bytes): for a host
        that learns its key only after the packs have loaded, as ``maatwerk serve`` does."""
        if not isinstance(log_key, bytes) or len(log_key) < 16:
            raise ValueError("log_key must be at least 16 bytes (e.g. secrets.token_bytes(32))")
        self._log_key = log_key

    def pseudonym(self, case_ref: str) -> str:
        """The keyed pseudonym (16 hex digits of an HMAC-SHA-256 under ``log_key``) that stands for
        the case reference ``case_ref`` in every log line; the reference itself is never logged."""
        if not isinstance(case_ref, str):
            raise TypeError(f"case_ref must be a str, not {type(case_ref).__name__}")
        return hmac.new(self._log_key, b"maatwerk case v1\n" + case_ref.encode("utf-8"), hashlib.sha256).hexdigest()[
            :16
        ]

    def advise(self, case: CaseInput) -> Advice:
        """The advice for one case (a model, a dict or JSON text)."""
        advice = self._advise(parse_case(case), self._loaded.policies)
        if _stdlib_log.isEnabledFor(logging.INFO):  # render nothing when no one listens
            self._log_advice(advice.case_ref, advice.measure.kind, [(p.id, p.version) for p in advice.packs])
        return advice

    def advise_json(self, case: CaseInput, *, indent: bool = False) -> bytes:
        """The advice for one case as JSON (UTF-8 bytes): byte for byte
        ``advise(case).model_dump_json().encode()`` (with ``indent=True``:
        ``model_dump_json(indent=2)``), made without building the :class:`Advice` model (the advice
        is built as plain data and written by orjson). For a service or a file that passes the
        advice on as JSON; it raises what :meth:`advise` raises."""
        return to_json(self._advise_plain(case), indent=indent)

    def _advise_plain(self, case: CaseInput) -> AdviceData:
        """The advice for one case as plain data, logged as :meth:`advise` logs it: what
        :meth:`advise_json` writes, and what a worker of :meth:`advise_many` sends back."""
        data = self._advise_data(parse_case(case), self._loaded.policies)
        if _stdlib_log.isEnabledFor(logging.INFO):
            self._log_advice(
                data["case_ref"], data["measure"]["kind"], [(p["id"], p["version"]) for p in data["packs"]]
            )
        return data

    def _log_advice(self, case_ref: str | None, measure: str, packs: list[tuple[str, str]]) -> None:
        log.info(
            "advice",
            case=None if case_ref is None else self.pseudonym(case_ref),
            measure=measure,
            packs=[f"{pid}@{version}" for pid, version in packs],
        )

    def outcome(self, case: CaseInput) -> Outcome:
        """The decision for one case without its reasoning: the measure, its amount, term and band
        amounts, each track's status, the rules that fired, the packs and the receipt; field for
        field what :meth:`advise` gives for those parts (``Outcome.of(engine.advise(case)) ==
        engine.outcome(case)``), at a fraction of the cost. No what-ifs, texts or citations are made."""
        parsed = parse_case(case)
        policies = self._loaded.policies
        sel = self._select(parsed, policies)
        try:
            found = domain_of(parsed).outcome(self._evaluator, parsed, sel, self.engine)
        except MaatwerkError:
            raise
        except Exception as err:
            raise self._failed(sel, err) from err
        found["receipt"] = receipt_of(canonical_json(parsed), found["packs"])
        return outcome_model(found)

    @overload
    def advise_many(
        self, cases: Iterable[CaseInput], *, processes: int | None = None, chunksize: int = 128, each: None = None
    ) -> list[Advice]: ...

    @overload
    def advise_many(
        self,
        cases: Iterable[CaseInput],
        *,
        processes: int | None = None,
        chunksize: int = 128,
        each: Callable[[Advice], T],
    ) -> list[T]: ...

    def advise_many(
        self,
        cases: Iterable[CaseInput],
        *,
        processes: int | None = None,
        chunksize: int = 128,
        each: Callable[[Advice], Any] | None = None,
    ) -> list[Any]:
        """Advice for several cases, in order: exactly what :meth:`advise` gives for each case.

        ``processes=None`` (the default) advises in this process. ``processes=N`` (N >= 1, e.g.
        ``os.cpu_count()``) has N spawned worker processes advise while this one hands out the
        cases and collects the results; each worker has its own engine built from this engine's settings (each first imports maatwerk and loads
        the packs, so it pays off for batches, not for a few cases). ``chunksize`` cases are handed
        out at a time. The first invalid case, in input order, raises its :class:`CaseError` either
        way. A script that uses processes must guard its entry point with
        ``if __name__ == "__main__":``.

        ``each=f`` returns ``[f(advice) for each advice]`` instead, calling ``f`` in the process
        that made the advice, so that only its result travels back. A worker sends a whole advice
        as plain data, and making the model from it here costs about a third of advising, so for
        JSON out (``each=Advice.model_dump_json``) or an impact run that keeps a summary, ``each`` is
        what makes processes pay. ``f`` must be
        picklable (a module-level function, not a lambda) when ``processes`` is given.
        Where only the decisions are needed, :meth:`outcomes` makes them without the reasoning.
        """
        from maatwerk._batch import advise_in_processes, advise_serially, check_pool_arguments

        workers, chunk = check_pool_arguments(processes, chunksize)
        if each is not None and not callable(each):
            raise TypeError(f"each must be a function of an advice, not {type(each).__name__}")
        if workers is None:
            return advise_serially(self, cases, each)
        return advise_in_processes(self, cases, processes=workers, chunksize=chunk, each=each)

    def outcomes(
        self, cases: Iterable[CaseInput], *, processes: int | None = None, chunksize: int = 128
    ) -> list[Outcome]:
        """The :meth:`outcome` of several cases, in order: ``[engine.outcome(c) for c in cases]``,
        made in this process (``processes=None``) or in ``N`` spawned worker processes
        (``processes=N``), exactly as :meth:`advise_many` hands out ``chunksize`` cases at a time.
        No reasoning is built, and only the outcomes (a few hundred bytes each) travel back from
        the workers, so with processes this is what scales with the cores. The first invalid case,
        in input order, raises its :class:`CaseError`. A script that uses processes must guard its
        entry point with ``if __name__ == "__main__":``."""
        from maatwerk._batch import advise_in_processes, advise_serially, check_pool_arguments

        workers, chunk = check_pool_arguments(processes, chunksize)
        if workers is None:
            return advise_serially(self, cases, outcomes=True)
        return advise_in_processes(self, cases, processes=workers, chunksize=chunk, outcomes=True)

    def _worker_start(self) -> tuple[type[Engine], dict[str, Any], str]:
        """How a worker process rebuilds this engine: the class, the settings with the folder of the
        loaded pack set, and that set's fingerprint (read once: a concurrent :meth:`reload` cannot
        pair the folder of one set with the fingerprint of another)."""
        loaded = self._loaded
        settings = {**engine_settings(self), "policy_dir": Path(loaded.policy_dir)}
        return Engine, settings, loaded.policies.fingerprint()

    def trace(self, case: CaseInput) -> tuple[str, ...]:
        """The ids of the rules that fire for a case, in evaluation order (for tests and coverage)."""
        parsed = parse_case(case)
        sel = self._select(parsed, self._loaded.policies)
        return domain_of(parsed).evaluate(self._evaluator, parsed, sel.decision, sel)[0].fired

    def _select(self, case: Case, policies: PolicySet | None = None) -> Selection:
        if policies is None:
            policies = self._loaded.policies
        return domain_of(case).select(policies, self.municipality, case)

    def _advise(self, case: Case, policies: PolicySet) -> Advice:
        """The advice on ``case`` from ``policies``, as the public model (see :meth:`_advise_data`)."""
        return advice_model(self._advise_data(case, policies))

    def _advise_data(self, case: Case, policies: PolicySet) -> AdviceData:
        """The advice on ``case`` from ``policies`` as plain data (one pack set for the whole advice). A failure
        after the packs are selected that is not already a :class:`MaatwerkError` (a defect in a
        policy or in maatwerk) becomes an :class:`EngineError` naming the packs: never a partial
        advice, never an exception type the caller cannot expect."""
        sel = self._select(case, policies)
        try:
            return self._advise_selected(case, sel)
        except MaatwerkError:
            raise
        except Exception as err:
            raise self._failed(sel, err) from err

    @staticmethod
    def _failed(sel: Selection, err: Exception) -> EngineError:
        """A failure after the packs were selected (a defect in a policy or in maatwerk), naming the packs."""
        stacks = [sel.decision] if not sel.changed else [sel.decision, sel.conduct]
        packs = sorted({f"{p.id}@{p.version}" for stack in stacks for p in stack.packs})
        return EngineError(
            f"the advice could not be built with {', '.join(packs)}: {type(err).__name__}",
            problems=tuple(Problem(pack, "ENGINE_ADVICE_FAILED", "no advice was given") for pack in packs),
        )

    def _one(self, case: BenefitCase, stack: Stack, sel: Selection, extra: tuple[ReasoningStepData, ...]) -> Advice:
        """The benefit advice under one stack, before the milder law is chosen (for the invariants)."""
        from maatwerk._domains.benefits import BENEFITS

        return advice_model(BENEFITS.under(self._evaluator, case, stack, sel, self.engine, extra))

    def _advise_selected(self, case: Case, sel: Selection) -> AdviceData:
        advice = domain_of(case).advise(self._evaluator, case, sel, self.engine, self._note)
        notes = self._proposal_notes(sel)
        if notes:
            advice = {**advice, "steps": (*notes, *advice["steps"])}
        advice["receipt"] = _receipt_over(
            canonical_json(case), [(p["id"], p["version"], p["sha256"]) for p in advice["packs"]]
        )
        return advice

    def _proposal_notes(self, sel: Selection) -> list[ReasoningStepData]:
        """A first step saying that a previewed bill, not current law, shaped (or was weighed for) this advice."""
        notes = []
        stacks = [sel.decision] if not sel.changed else [sel.decision, sel.conduct]
        for stack in stacks:
            for pack in stack.packs:
                proposal = pack.file.pack.proposal
                if proposal is None:
                    continue
                notes.append(
                    self._note(
                        stack,
                        "voorstel_verkenning",
                        extra_basis=(proposal.source,),
                        values={
                            "proposal_name": proposal.name,
                            "proposal_day": pack.valid_from.isoformat(),
                            "proposal_checked_on": proposal.checked_on.isoformat(),
                        },
                        stage=Text(nl=proposal.stage.nl, en=proposal.stage.en),
                    )
                )
        return notes

    @staticmethod
    def _note(
        stack: Stack,
        rid: str,
        *,
        extra_basis: tuple[str, ...] = (),
        values: Mapping[str, str] | None = None,
        stage: Text | None = None,
    ) -> ReasoningStepData:
        """A step of the engine itself, citing and saying what the national pack states for it (a
        bill's stage is shown in each language)."""
        from maatwerk._advice.common import basis_of
        from maatwerk._advice.plain import text
        from maatwerk._advice.verdict import engine_step

        nl_values = dict(values or {})
        en_values = dict(values or {})
        if stage is not None:
            nl_values["proposal_stage"], en_values["proposal_stage"] = stage.nl, stage.en
        basis, nl_text = engine_step(stack, rid, None, nl_values)
        _, en_text = engine_step(stack, rid, None, en_values)
        return {
            "rule_id": rid,
            "pack": f"{stack.packs[0].id}@{stack.packs[0].version}",
            "stage": "selectie",
            "basis": basis_of(stack, [*basis, *extra_basis]),
            "principles": stack.engine_step_principles(rid),
            "text": text(nl_text["nl"], en_text["en"]),
            "inputs": {},
        }

    def _receipt(self, case: Case, packs: Iterable[PackRef]) -> str:
        return receipt_of(canonical_json(case), packs)
