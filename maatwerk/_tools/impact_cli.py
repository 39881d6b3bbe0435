# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""`maatwerk diff OLD NEW` and `maatwerk coverage [POLICIES]`: a policy change over a population.

OLD and NEW are each a policy folder, or a pack file. A pack file is placed into a copy of the base
policy folder (``--base``, default the bundled ``policies/``) as
``<domain>/<pack id>/<valid_from>.yaml`` (a proposal as ``proposed-<id>.yaml``): it replaces the
version with the same first day, or adds a version. So ``maatwerk diff
policies/benefits/lansingerland-benefits/2024-01-01.yaml my-2024-01-01.yaml`` compares the bundled
pack with an edited copy of it, everything else equal. A problem in a pack file is reported at
its own path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TextIO

from maatwerk._cli_common import EXIT_OK, EXIT_USAGE, at_least, fail
from maatwerk._tools.generate import GENERATED_DECISIONS, window_problem
from maatwerk.errors import MaatwerkError, PolicyError, PolicySelectionError, Problem

__all__ = ["register"]

DIFF_DESCRIPTION = """\
Advise the same population under two policy versions and report what changes: how many advices
are lighter, heavier or another measure, the fines per measure and culpability level before and
after, the total of the fines, the rules whose firing count changed, rule coverage and examples.

OLD and NEW are each a policy folder, or a pack file. A pack file is placed into a copy of --base
(default: the bundled policies/) as <domain>/<pack id>/<valid_from>.yaml: it replaces the version
with the same first day, or adds a version. Example:
  maatwerk diff policies/ my-policies/ --generate 20000 --out report/
  maatwerk diff policies/benefits/lansingerland-benefits/2024-01-01.yaml edited.yaml --cases cases.jsonl
  maatwerk diff policies/ policies/ --old-municipality lansingerland --new-municipality leeuwarden

Exit codes: 0 ok, 2 usage, 3 bad population file, 4 policy error, 5 engine error."""
DEFAULT_SPAN = dt.timedelta(days=1035)  # about three years of decisions, from the newest version


class Progress:
    """A progress bar on a stream (stderr), redrawn at most five times a second."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.shown < 0.2:
            return
        self.shown = now
        share = done / total if total else 1.0
        filled = int(30 * share)
        elapsed = now - self.started
        left = "" if done == 0 or done >= total else f", about {elapsed * (total - done) / done:.0f} s left"
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} {done:,}/{total:,} cases, {elapsed:.0f} s{left}"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _window(text: str) -> tuple[dt.date, dt.date]:
    first, sep, last = text.partition(":")
    try:
        if not sep:
            raise ValueError
        window = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected FROM:TO as YYYY-MM-DD:YYYY-MM-DD, not {text!r}") from None
    problem = window_problem(*window)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{text}: {problem}")
    return window


def register(sub: Any) -> None:
    """Add `diff` and `coverage` to the CLI's subparsers."""
    from maatwerk._api import default_policy_dir

    def population_opts(p: argparse.ArgumentParser) -> None:
        source = p.add_mutually_exclusive_group()
        source.add_argument("--cases", metavar="FILE.jsonl", help="the population: one case (JSON) per line")
        source.add_argument(
            "--generate", type=at_least(1), metavar="N", help="the population: N generated cases (default 10000)"
        )
        p.add_argument("--seed", type=int, default=1, help="seed of the generated population (default 1)")
        p.add_argument(
            "--domain",
            choices=("auto", "benefits", "providers", "all"),
            default="auto",
            help="which cases to generate (auto: the domains whose packs differ; coverage: all)",
        )
        p.add_argument(
            "--decided-between",
            type=_window,
            metavar="FROM:TO",
            help="decision dates of generated cases (default: about three years from the newest pack version)",
        )
        p.add_argument("--municipality", default="lansingerland", help="municipal pack to layer on national law")
        p.add_argument("--national-only", action="store_true", help="national law only, no municipal pack")
        p.add_argument(
            "--evaluator",
            choices=("compiled", "durable", "reference"),
            default="compiled",
            help="the compiled evaluator (the default: each stack's rules as one Python function), durable-rules, "
            "or the plain-Python reference evaluator; all give identical advice, and the report names the one used",
        )
        p.add_argument(
            "--processes",
            type=at_least(1),
            default=os.cpu_count() or 1,
            metavar="N",
            help="processes that advise (default: the number of CPUs; 1: in this process)",
        )
        p.add_argument(
            "--progress", action="store_true", help="show a progress bar on stderr even when it is not a terminal"
        )
        p.add_argument("--out", metavar="DIR", help="also write the JSON and the HTML report into DIR")
        p.add_argument("--format", choices=("text", "json"), default="text", help="what to print on stdout")

    p = sub.add_parser(
        "diff",
        help="what a policy change does: advise a population under two pack versions and compare",
        description=DIFF_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("old", metavar="OLD", help="the policy folder, or a pack file, before the change")
    p.add_argument("new", metavar="NEW", help="the policy folder, or a pack file, after the change")
    p.add_argument(
        "--base",
        default=str(default_policy_dir()),
        metavar="DIR",
        help="where a pack file is placed (default: bundled)",
    )
    population_opts(p)
    for side, before_after in (("old", "before"), ("new", "after")):
        p.add_argument(
            f"--{side}-municipality",
            metavar="NAME",
            help=f"the municipal pack {before_after} the change (default: --municipality); with "
            "--old-municipality and --new-municipality, two municipalities' policies are compared on the same cases",
        )
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser(
        "coverage",
        help="which rules fire how often over a population, and which never",
        description="Advise a population and count, per rule, the cases it fired for; list the rules that never fired "
        "and say which of them `maatwerk check` proves unreachable.",
    )
    p.add_argument("policies", nargs="?", default=str(default_policy_dir()), metavar="POLICIES")
    population_opts(p)
    p.set_defaults(func=cmd_coverage)


# --- folders and pack files -------------------------------------------------------------------------


@contextmanager
def policy_folder(spec: str, base: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """The policy folder ``spec`` names: itself, or a temporary copy of ``base`` holding the pack
    file ``spec``. Also: temporary path -> the user's path, to report problems where they are."""
    path = Path(spec)
    if path.is_dir():
        yield path, {}
        return
    if not path.is_file():
        raise PolicyError(
            f"{spec} is neither a policy folder nor a pack file",
            hint="Give a folder such as policies/ or a .yaml pack file.",
        )
    from maatwerk._policy._yaml import load_located
    from maatwerk._policy.loader import PolicyFileRefusedError, read_policy_file

    try:
        real = path.resolve()  # the file given is read wherever it lives: no policy folder to stay in
        data, _ = load_located(read_policy_file(real, real.parent), str(path))
    except PolicyFileRefusedError as err:
        raise PolicyError(f"cannot read {path}", problems=(Problem(f"{path}:1:1", err.code, err.message),)) from None
    except ValueError as err:
        raise PolicyError(f"{path} is not a valid policy pack", problems=tuple(err.args[0])) from None
    head = data.get("pack") if isinstance(data, dict) else None
    if not isinstance(head, dict) or not all(isinstance(head.get(k), str) for k in ("id", "domain")):
        raise PolicyError(
            f"{path} is not a valid policy pack",
            problems=(Problem(f"{path}:1:1", "POLICY_MISSING_FIELD", "a pack names pack.id and pack.domain"),),
        )
    proposal = head.get("proposal")
    if head.get("status") == "proposed" and isinstance(proposal, dict):
        name = f"proposed-{proposal.get('id')}.yaml"
    elif isinstance(head.get("valid_from"), dt.date):
        name = f"{head['valid_from'].isoformat()}.yaml"
    else:
        raise PolicyError(
            f"{path} is not a valid policy pack",
            problems=(
                Problem(f"{path}:1:1", "POLICY_MISSING_FIELD", "pack.valid_from: a version names its first day"),
            ),
        )
    with tempfile.TemporaryDirectory(prefix="maatwerk-diff-") as tmp:
        root = Path(tmp) / "policies"
        shutil.copytree(base, root, ignore=shutil.ignore_patterns("scenarios"))
        target = root / head["domain"] / head["id"] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        yield root, {str(target): str(path), str(root): str(base)}


def _relocated(err: MaatwerkError, mapping: dict[str, str]) -> MaatwerkError:
    """The error with temporary paths replaced by the paths the user gave."""
    if not mapping:
        return err

    def fix(text: str) -> str:
        for tmp, real in sorted(mapping.items(), key=lambda x: -len(x[0])):
            text = text.replace(tmp, real)
        return text

    problems = tuple(Problem(fix(p.where), p.code, fix(p.message)) for p in err.problems)
    return type(err)(fix(err.message), problems=problems, hint=err.hint)


# --- populations ------------------------------------------------------------------------------------


def _differing_domains(old: Any, new: Any) -> list[str]:
    def shas(engine: Any) -> dict[str, set[str]]:
        """The hashes of the versions an advice of ``engine`` can use, by domain (the national packs
        and its own municipality's)."""
        out: dict[str, set[str]] = {}
        for versions in engine.policies.packs.values():
            for v in versions:
                head = v.file.pack
                if head.layer == "municipal" and head.municipality != engine.municipality:
                    continue
                out.setdefault(head.domain, set()).add(v.sha256)
        for by_name in engine.policies.proposed.values():
            for v in by_name.values():
                out.setdefault(v.file.pack.domain, set()).add(v.sha256)
        return out

    a, b = shas(old), shas(new)
    return sorted(d for d in set(a) | set(b) if a.get(d) != b.get(d))


def _default_window(engine: Any, domains: list[str], *others: Any) -> tuple[dt.date, dt.date] | None:
    """From the newest first day among the versions a case of these domains can select (under each
    engine given: each its own municipality), about three years; ``None`` when they share no day."""
    starts, ends = [], []
    for one in (engine, *others):
        for versions in one.policies.packs.values():
            head = versions[0].file.pack
            if head.domain not in domains or (head.layer == "municipal" and head.municipality != one.municipality):
                continue
            newest = versions[-1]
            starts.append(newest.valid_from)
            if newest.file.pack.valid_until is not None:
                ends.append(newest.file.pack.valid_until)
    first = max(starts) if starts else dt.date(2024, 1, 1)
    last = min([first + DEFAULT_SPAN, *ends, GENERATED_DECISIONS[1]])
    if others and last < first:
        return None
    return first, max(first, last)


def _valid_text(engine: Any, domains: list[str]) -> str:
    """When the municipal versions ``engine`` advises with apply, per domain: "valid 2017-01-01 to
    2021-06-30" (the first day of the first version to the last day of the last, or "onwards")."""
    out = []
    for versions in engine.policies.packs.values():
        head = versions[0].file.pack
        if head.domain not in domains or head.layer != "municipal" or head.municipality != engine.municipality:
            continue
        until = versions[-1].file.pack.valid_until
        last = "onwards" if until is None else f"to {until.isoformat()}"
        out.append(f"{head.id} valid {versions[0].valid_from.isoformat()} {last}")
    return "; ".join(out) or "national law only"


def _population(args: argparse.Namespace, engine: Any, domains: list[str], other: Any = None) -> Any:
    from maatwerk._tools.impact import Population

    if args.cases:
        return Population.from_file(Path(args.cases))
    window = args.decided_between
    if window is None:
        # Two municipalities: the decision dates both policies cover.
        both = () if other is None or other.municipality == engine.municipality else (other,)
        window = _default_window(engine, domains, *both)
        if window is None:
            raise PolicySelectionError(
                f"the packs of {other.municipality or 'national law'} ({_valid_text(other, domains)}) and "
                f"{engine.municipality or 'national law'} ({_valid_text(engine, domains)}) are valid on no common "
                "decision date",
                hint="The two policies never apply on the same day, so no case can be compared. To see what one "
                "would do to the other's cases, copy its pack under a first day the other covers and compare that "
                "what-if (docs/how-to/write-a-municipal-pack.md, section 7); or give --cases.",
            )
    return Population.generated(args.generate or 10_000, seed=args.seed, domains=domains, decided_between=window)


def _progress(args: argparse.Namespace, label: str) -> Progress | None:
    return Progress(sys.stderr, label) if args.progress or sys.stderr.isatty() else None


def _out_refused(args: argparse.Namespace, name: str) -> bool:
    """Whether ``--out`` names a folder the reports cannot be written to (said on stderr). Checked
    before the run, so that a run of minutes is not lost to a folder that cannot be written."""
    if args.out is None:
        return False
    folder = Path(args.out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        print(f"maatwerk {name}: error: --out {folder}: {err.strerror or type(err).__name__}", file=sys.stderr)
        return True
    return False


def _report_out(args: argparse.Namespace, name: str, json_text: str, text: str, html_text: str) -> int:
    """Print the report (JSON or text), then write ``<name>.json`` and ``<name>.html`` to ``--out``
    (if given) and, with text, name the files written. A file that cannot be written after all is
    an error (exit 2), but the report has been printed: nothing of the run is lost."""
    sys.stdout.write(json_text + "\n" if args.format == "json" else text)
    sys.stdout.flush()
    if args.out is None:
        return EXIT_OK
    folder = Path(args.out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, content in ((folder / f"{name}.json", json_text + "\n"), (folder / f"{name}.html", html_text)):
            path.write_text(content, encoding="utf-8")
            if args.format != "json":
                print(f"written: {path}")
    except OSError as err:
        print(f"maatwerk {name}: error: --out {folder}: {err.strerror or type(err).__name__}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _engine(folder: Path, args: argparse.Namespace, side: str | None = None) -> Any:
    from maatwerk._api import Engine

    municipality = None if args.national_only else args.municipality
    own = getattr(args, f"{side}_municipality", None) if side else None
    if own is not None:
        municipality = own
    return Engine(folder, municipality=municipality, evaluator=args.evaluator)


# --- the commands -----------------------------------------------------------------------------------


def cmd_diff(args: argparse.Namespace) -> int:
    from maatwerk._tools.impact import diff
    from maatwerk._tools.impact_report import diff_html, diff_text

    if _out_refused(args, "diff"):
        return EXIT_USAGE

    mapping: dict[str, str] = {}
    try:
        with ExitStack() as stack:
            base = Path(args.base)
            old_dir, old_map = stack.enter_context(policy_folder(args.old, base))
            new_dir, new_map = stack.enter_context(policy_folder(args.new, base))
            mapping = {**old_map, **new_map}
            old, new = _engine(old_dir, args, "old"), _engine(new_dir, args, "new")
            domains = _domains(args, old, new)
            population = _population(args, new, domains, old)
            labels = (args.old, args.new)
            if old.municipality != new.municipality:
                labels = tuple(  # type: ignore[assignment]
                    f"{label} ({engine.municipality or 'national law only'})"
                    for label, engine in ((args.old, old), (args.new, new))
                )
            report = diff(
                old,
                new,
                population,
                labels=labels,
                processes=args.processes,
                progress=_progress(args, "diff"),
            )
    except MaatwerkError as err:
        return fail(_relocated(err, mapping), args.format)
    return _report_out(args, "diff", report.model_dump_json(indent=2), diff_text(report), diff_html(report))


def _domains(args: argparse.Namespace, old: Any, new: Any) -> list[str]:
    every = sorted({v[0].file.pack.domain for v in new.policies.packs.values()})
    if args.domain == "all":
        return every
    if args.domain != "auto":
        return [args.domain]
    if old.municipality != new.municipality and old.municipality and new.municipality:
        # Two municipalities: the domains both have a policy for.
        def own(engine: Any) -> set[str]:
            return {
                v[0].file.pack.domain
                for v in engine.policies.packs.values()
                if v[0].file.pack.layer == "municipal" and v[0].file.pack.municipality == engine.municipality
            }

        shared = own(old) & own(new)
        every = sorted(shared) or every
        return [d for d in _differing_domains(old, new) if d in shared] or every
    return _differing_domains(old, new) or every


def cmd_coverage(args: argparse.Namespace) -> int:
    from maatwerk._tools.impact import coverage
    from maatwerk._tools.impact_report import coverage_html, coverage_text

    if _out_refused(args, "coverage"):
        return EXIT_USAGE

    try:
        folder = Path(args.policies)
        if not folder.is_dir():
            raise PolicyError(
                f"{folder} is not a policy folder", hint="Give the folder that holds the packs, e.g. policies/."
            )
        engine = _engine(folder, args)
        every = sorted({v[0].file.pack.domain for v in engine.policies.packs.values()})
        domains = every if args.domain in ("auto", "all") else [args.domain]
        population = _population(args, engine, domains)
        report = coverage(engine, population, processes=args.processes, progress=_progress(args, "coverage"))
    except MaatwerkError as err:
        return fail(err, args.format)
    return _report_out(args, "coverage", report.model_dump_json(indent=2), coverage_text(report), coverage_html(report))
