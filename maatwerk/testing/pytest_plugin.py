"""The pytest plugin: every ``policies/**/scenarios/*.yaml`` is a test.

Registered through the ``pytest11`` entry point, so it is active wherever maatwerk is installed:
``pytest policies/`` runs every scenario (or add ``policies`` to ``testpaths``). A policy team adds
a case by adding a YAML file; no Python is needed. A scenario fails with the expectations it did
not meet; a malformed file fails with its located problems (``file:line:col``); ``xfail: reason``
marks a known disagreement (strict: it fails once the pack is fixed, so the mark is removed).

Option: ``--maatwerk-evaluators durable,reference`` (the default runs both and requires
byte-identical advice).

This module imports neither Hypothesis nor durable-rules until a scenario runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from maatwerk.errors import MaatwerkError
from maatwerk.testing.scenarios import Scenario, ScenarioError, is_scenario_file, load_scenario, run_scenario

EVALUATORS = ("durable", "reference")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("maatwerk", "maatwerk policy scenarios")
    group.addoption(
        "--maatwerk-evaluators",
        default=",".join(EVALUATORS),
        help="evaluators to run each scenario with, comma-separated (default: durable,reference)",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_scenario_file(file_path):
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
        option = str(self.config.getoption("--maatwerk-evaluators"))
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
