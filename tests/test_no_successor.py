# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""`pack.no_successor`: a version that is its pack's last on purpose (a municipality merged, a policy
was withdrawn). It is history, not a broken build: `check` reports its end as CHECK_ENDED with the
reason, never CHECK_EXPIRED or CHECK_EXPIRES_SOON; a case decided after it is refused with the reason;
and the loader refuses a `no_successor` without `valid_until`, with an unknown source, or followed by a
later version.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, POLICIES

from maatwerk import Engine, PolicyError, PolicySelectionError
from maatwerk._policy.analysis import check_policies
from maatwerk._policy.loader import load_directory

TODAY = dt.date(2025, 1, 1)
REASON = "  no_successor: {reason: {nl: Opgegaan in Y., en: Merged into Y.}, source: wmo}\n"


def _ended_pack(tmp_path: Path, extra: str = REASON, until: str = "  valid_until: 2024-12-31\n") -> Path:
    """The CHECK_EXPIRED fixture (one version, ended 2024-12-31), with `extra` added to its header."""
    shutil.copytree(FIXTURES / "CHECK_EXPIRED", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "providers" / "x" / "2024-01-01.yaml"
    text = path.read_text(encoding="utf-8").replace("  valid_until: 2024-12-31  # <- CHECK_EXPIRED\n", until + extra)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_version_without_a_successor_on_purpose_is_history_with_its_reason(tmp_path: Path) -> None:
    """The same ended pack that is CHECK_EXPIRED (an error) is CHECK_ENDED (a warning) once it says why."""
    path = _ended_pack(tmp_path)
    report = check_policies(tmp_path, today=TODAY)
    (finding,) = report.findings
    assert ("CHECK_ENDED", "warning") == (finding.code, finding.severity)
    assert f"{path}:8:" in finding.where  # the valid_until line
    assert "has no successor on purpose (Merged into Y.)" in finding.message


def test_no_expiry_warning_for_a_version_that_ends_on_purpose(tmp_path: Path) -> None:
    """Before its end, a version without a successor is not 'expiring soon': nothing is to be prepared."""
    _ended_pack(tmp_path)
    assert () == check_policies(tmp_path, today=dt.date(2024, 12, 1)).findings


def test_a_case_decided_after_it_is_refused_with_the_reason() -> None:
    """Grave's 2017 rules lapsed on 2022-01-01: a later decision is refused and the message says why."""
    engine = Engine(POLICIES, municipality="grave", evaluator="reference")
    case = {
        "law": "participatiewet",
        "decision_date": "2022-03-01",
        "violation": {
            "established": True,
            "kind": "inkomsten_of_werk",
            "period": {"start": "2021-02-01", "end": "2021-07-31"},
            "information_due": "2021-02-08",
            "detected_on": "2021-10-15",
            "detection": "gegevensvergelijking",
        },
        "benefit_loss": {"net": "400.00", "gross": "500.00"},
        "culpability": {"confirmed": "normaal"},
    }
    with pytest.raises(PolicySelectionError) as refused:
        engine.advise(case)
    message = str(refused.value)
    assert "grave-benefits has no version valid on 2022-03-01 (decision date)" in message
    assert "ended on 2021-12-31, the last day it covers, and no version follows: The policy lapsed" in message
    # the hint, like the message, is English; the pack's Dutch reason is not mixed into it
    assert "Cases up to 2021-12-31 are still judged by grave-benefits 2017-01-01." in refused.value.hint
    assert "vervallen" not in refused.value.hint
    case["decision_date"] = "2021-12-31"
    assert "boete" == engine.advise(case).measure.kind


def test_no_successor_needs_an_end(tmp_path: Path) -> None:
    """Without valid_until there is nothing to explain: a located POLICY_INVALID_VALUE."""
    path = _ended_pack(tmp_path, until="")
    with pytest.raises(PolicyError) as refused:
        load_directory(tmp_path)
    assert f"{path}:8:17: POLICY_INVALID_VALUE: no_successor says why a version that ends" in str(refused.value)


def test_no_successor_names_a_known_source(tmp_path: Path) -> None:
    """The source that records the end must be a source of the pack (with a did-you-mean)."""
    path = _ended_pack(tmp_path, extra=REASON.replace("source: wmo", "source: wm"))
    with pytest.raises(PolicyError) as refused:
        load_directory(tmp_path)
    assert f"{path}:9:" in str(refused.value)
    assert "POLICY_UNKNOWN_SOURCE: unknown source 'wm' (did you mean 'wmo'?)" in str(refused.value)


def test_a_version_that_says_it_has_no_successor_cannot_have_one(tmp_path: Path) -> None:
    """A later version contradicts `no_successor`: the earlier version's header is located."""
    path = _ended_pack(tmp_path)
    later = path.with_name("2025-01-01.yaml")
    later.write_text(
        path.read_text(encoding="utf-8")
        .replace("  valid_from: 2024-01-01\n", "  valid_from: 2025-01-01\n")
        .replace("  valid_until: 2024-12-31\n", "")
        .replace(REASON, "")
        .replace("from: 2024-01-01", "from: 2025-01-01"),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as refused:
        load_directory(tmp_path)
    assert f"{path}:9:17: POLICY_INVALID_VALUE: x 2024-01-01 says it has no successor, but 2025-01-01 follows" in str(
        refused.value
    )
