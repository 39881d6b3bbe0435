# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The message catalogue (maatwerk/_texts/ui.yaml): the interface words, in Dutch and English.

Python names a message by its id; the words are in the catalogue. A message id is used by writing it
out as a string literal (``say("advice.title", lang)``, or in a table of ids such as the report's
CSV columns), so this file can find every id the code uses: each must be in the catalogue in both
languages, and each id in the catalogue must be used. A missing message fails here, never at run time.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from maatwerk import Advice, Engine
from maatwerk._advice.explain import render_text
from maatwerk._texts import LANGUAGES, MESSAGE_ID, catalogue, namespace, parse, say

# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "maatwerk"
CATALOGUE = PACKAGE / "_texts" / "ui.yaml"


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that are docstrings: a module's, class's or function's first
    statement, and the string right after an assignment (an attribute's docstring)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for i, statement in enumerate(body):
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
                and (i == 0 or isinstance(body[i - 1], ast.Assign | ast.AnnAssign))
            ):
                found.add(id(statement.value))
    return found


def string_literals(path: Path) -> Iterator[tuple[int, str]]:
    """Every string literal of a Python file but its docstrings, with its line (the fixed parts of an
    f-string are literals too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def used_ids() -> dict[str, str]:
    """Every message id the package's code writes out, with where (the first place)."""
    namespaces = set(catalogue().readers)
    used: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, value in string_literals(path):
            if MESSAGE_ID.match(value) and namespace(value) in namespaces:
                used.setdefault(value, f"{path.relative_to(ROOT)}:{line}")
    return used


# --- the catalogue and the code agree -------------------------------------------------------------


def test_every_message_id_the_code_uses_is_in_the_catalogue() -> None:
    missing = {i: where for i, where in used_ids().items() if i not in catalogue().messages}
    assert {} == missing


def test_every_message_in_the_catalogue_is_used_by_the_code() -> None:
    """A message no code names is dead weight a translator would still keep up to date."""
    assert [] == sorted(set(catalogue().messages) - set(used_ids()))


def test_every_message_is_given_in_dutch_and_in_english() -> None:
    """Read as plain YAML (not through the loader, which refuses such a file): each message has
    exactly the two languages, each a text."""
    raw = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["messages"]
    incomplete = {
        message: words
        for message, words in raw.items()
        if not isinstance(words, dict)
        or set(words) != set(LANGUAGES)
        or not all(isinstance(words[lang], str) and words[lang].strip() for lang in LANGUAGES)
    }
    assert {} == incomplete


def test_every_namespace_names_its_reader() -> None:
    """Who reads a namespace decides how plain its Dutch must be (tests/test_plain_language.py)."""
    assert {
        "advice": "caseworker",
        "report": "policy team",
        "openapi": "integrator",
        "letters": "nobody",
        "download": "caseworker",
    } == dict(catalogue().readers)


def test_a_placeholder_is_the_same_in_both_languages() -> None:
    """``{summary}`` in the Dutch is ``{summary}`` in the English: str.format fills both alike."""
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

    differ = {m: dict(w) for m, w in catalogue().messages.items() if fields(w["nl"]) != fields(w["en"])}
    assert {} == differ


# --- the loader -----------------------------------------------------------------------------------


def test_say_gives_the_words_in_the_language_asked() -> None:
    assert ("Advies", "Advice") == (say("advice.title", "nl"), say("advice.title", "en"))


def test_say_names_an_id_the_catalogue_lacks() -> None:
    with pytest.raises(LookupError, match=r"'advice\.titel' is not in maatwerk/_texts/ui\.yaml"):
        say("advice.titel", "nl")


def test_say_refuses_a_language_it_has_no_words_in() -> None:
    with pytest.raises(ValueError, match="no words in 'de': the languages are nl, en"):
        say("advice.title", "de")  # type: ignore[arg-type]


def test_a_catalogue_with_an_id_given_twice_is_refused_with_its_line() -> None:
    """PyYAML would silently keep the second; the loader refuses the file."""
    text = "readers: {advice: caseworker}\nmessages:\n  advice.a: {nl: x, en: y}\n  advice.a: {nl: z, en: w}\n"
    with pytest.raises(ValueError, match=r"ui\.yaml:4: 'advice\.a' is given twice"):
        parse(text)


def test_a_catalogue_reports_every_problem_at_once() -> None:
    text = (
        "readers: {advice: caseworker}\n"
        "messages:\n"
        "  advice.only_dutch: {nl: x}\n"
        "  advice.unquoted_yes: {nl: ja, en: yes}\n"
        "  report.title: {nl: x, en: y}\n"
        "  Advice: {nl: x, en: y}\n"
    )
    with pytest.raises(ValueError, match=r"^ui\.yaml: ") as raised:
        parse(text)
    assert [
        "advice.only_dutch: needs exactly nl and en, has ['nl']",
        "advice.unquoted_yes: en is not a text (quote yes, no, on and off)",
        "report.title: the namespace 'report' is not under readers",
        "'Advice': an id is lowercase and dotted, a namespace first (advice.title)",
    ] == str(raised.value).removeprefix("ui.yaml: ").split("; ")


def test_importing_maatwerk_does_not_read_the_catalogue() -> None:
    """``import maatwerk`` stays light: the catalogue is read on the first word asked for."""
    code = (
        "import sys, maatwerk, maatwerk.cli; from maatwerk._texts import catalogue; "
        "before = catalogue.cache_info().currsize; "
        "from maatwerk._texts import say; say('advice.title', 'nl'); "
        "print(before, catalogue.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "0 1" == out.strip()


# --- the words where they are used ----------------------------------------------------------------


@pytest.fixture(scope="module")
def advice_01() -> Advice:
    case = json.loads((ROOT / "examples" / "01-inkomsten-normaal.json").read_text(encoding="utf-8"))
    return Engine().advise(case)


def test_the_advice_text_ends_with_the_catalogues_note_in_each_language(advice_01: Advice) -> None:
    assert (say("advice.note", "nl"), say("advice.note", "en")) == (
        render_text(advice_01, "nl").splitlines()[-1],
        render_text(advice_01, "en").splitlines()[-1],
    )


def test_the_openapi_summaries_are_the_catalogues_dutch() -> None:
    from maatwerk.http._openapi import openapi

    document = openapi()
    summaries = {op["operationId"]: op["summary"] for item in document["paths"].values() for op in item.values()}
    assert (say("openapi.info", "nl"), say("openapi.summary.create_advice", "nl")) == (
        document["info"]["description"],
        summaries["createAdvice"],
    )
