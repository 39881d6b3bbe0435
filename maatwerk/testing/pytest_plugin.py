# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The pytest plugin: every ``policies/**/scenarios/*.yaml`` is a test, in a project that asks for it.

Registered through the ``pytest11`` entry point, so it is loaded wherever maatwerk is installed, but
it collects nothing until a project opts in: ``maatwerk_scenarios = true`` in its pytest
configuration, ``--maatwerk-scenarios`` on the command line, or an (empty) file
``.maatwerk-scenarios`` in the policy folder (the folder that holds ``<domain>/<pack>/``). Installing
maatwerk therefore never changes another project's test run. Then ``pytest policies/`` runs every
scenario (or add ``policies`` to ``testpaths``). A policy team adds
a case by adding a YAML file; no Python is needed. A scenario fails with the expectations it did
not meet; a malformed file fails with its located problems (``file:line:col``); ``xfail: reason``
marks a known disagreement (strict: it fails once the pack is fixed, so the mark is removed).

Option: ``--maatwerk-evaluators durable,reference,compiled`` (the default runs all three and
requires byte-identical advice; where durable-rules does not import, as on Python 3.13, the default
is the reference and the compiled evaluator).

This module imports neither Hypothesis nor durable-rules until a scenario runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from maatwerk.errors import MaatwerkError
from maatwerk.testing.scenarios import (
    Scenario,
    ScenarioError,
    available_evaluators,
    is_scenario_file,
    load_scenario,
    run_scenario,
)

EVALUATORS = ("durable", "reference", "compiled")


#: The file that marks a policy folder whose scenarios are tests (the other way to opt in).
MARKER_FILE = ".maatwerk-scenarios"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("maatwerk", "maatwerk policy scenarios")
    parser.addini(
        "maatwerk_scenarios",
        type="bool",
        default=False,
        help="collect policies/**/scenarios/*.yaml as maatwerk scenario tests (default: off)",
    )
    group.addoption(
        "--maatwerk-scenarios",
        action="store_true",
        default=False,
        help="collect policies/**/scenarios/*.yaml as maatwerk scenario tests in this run",
    )
    group.addoption(
        "--maatwerk-evaluators",
        default=None,
        help="evaluators to run each scenario with, comma-separated (default: durable,reference,compiled; "
        "reference,compiled where durable-rules does not import)",
    )


def scenarios_wanted(config: pytest.Config, file_path: Path) -> bool:
    """Whether the project asked for ``file_path`` (a scenario file) to be collected."""
    if config.getini("maatwerk_scenarios") or config.getoption("--maatwerk-scenarios"):
        return True
    parents = file_path.parents
    return len(parents) > 3 and (parents[3] / MARKER_FILE).is_file()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_scenario_file(file_path) and scenarios_wanted(parent.config, file_path):
        collector: pytest.Collector = ScenarioFile.from_parent(parent, path=file_path)
        return collector
    return None


class ScenarioFailedError(Exception):
    """The advice did not show what the scenario expects."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            scenario: Scenario | None = load_scenario(self.path)
            error: ScenarioError | None = None
        except ScenarioError as err:
            scenario, error = None, err
        yield ScenarioItem.from_parent(self, name=self.path.stem, scenario=scenario, error=error)


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario | None, error: ScenarioError | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.error = error
        if scenario is not None and scenario.xfail is not None:
            self.add_marker(pytest.mark.xfail(reason=scenario.xfail, strict=True))

    def runtest(self) -> None:
        if self.error is not None:
            raise self.error
        assert self.scenario is not None
        given = self.config.getoption("--maatwerk-evaluators")
        option = str(given) if given is not None else ",".join(available_evaluators())
        evaluators = tuple(e.strip() for e in option.split(",") if e.strip())
        unknown = [e for e in evaluators if e not in EVALUATORS]
        if unknown or not evaluators:
            raise pytest.UsageError(f"--maatwerk-evaluators takes {', '.join(EVALUATORS)}, not {option!r}")
        errors = run_scenario(self.scenario, evaluators=evaluators)
        if errors:
            raise ScenarioFailedError(errors)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,  # noqa: ARG002  (pytest's signature)
    ) -> str:
        err = excinfo.value
        title = self.scenario.name if self.scenario is not None else self.path.name
        if isinstance(err, ScenarioFailedError):
            return f"{self.path}: scenario {title!r} does not hold:\n  " + "\n  ".join(err.errors)
        if isinstance(err, MaatwerkError):
            return f"{self.path}: {err}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.scenario.name if self.scenario else self.path.name}"
