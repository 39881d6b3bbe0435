# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The Standard for Public Code basics: the licence, its SPDX form in the metadata, publiccode.yml."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

from maatwerk import __version__

ROOT = Path(__file__).resolve().parent.parent
PUBLICCODE = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: The licence line of a Python file's header (split, so that REUSE does not read this line as one).
HEADER = "SPDX-" + "License-Identifier: EUPL-1.2"

#: Files of the legal-content work in progress on another branch: they get their SPDX header when
#: that work has landed (REUSE.toml covers them meanwhile).


def test_the_licence_file_is_the_eupl_1_2_and_the_reuse_copy_is_the_same() -> None:
    """LICENSE holds the EUPL-1.2 text, identical to LICENSES/EUPL-1.2.txt (where REUSE looks for it)."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert ("EUROPEAN UNION PUBLIC LICENCE v. 1.2", text) == (
        text.splitlines()[0],
        (ROOT / "LICENSES" / "EUPL-1.2.txt").read_text(encoding="utf-8"),
    )


def test_the_package_metadata_names_the_licence_as_an_spdx_expression_with_its_file() -> None:
    """pyproject.toml: ``license = "EUPL-1.2"`` (PEP 639, not the table setuptools stops accepting) and the LICENSE file."""
    assert ("EUPL-1.2", ["LICENSE"]) == (PYPROJECT["project"]["license"], PYPROJECT["project"]["license-files"])


def test_every_python_file_has_an_spdx_header() -> None:
    """Each Python file of the package and the tests starts with its SPDX licence header."""
    files = sorted(
        p for folder in ("maatwerk", "tests") for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts
    )
    missing = [p.relative_to(ROOT).as_posix() for p in files if HEADER not in p.read_text(encoding="utf-8")[:300]]
    assert [] == missing


def test_publiccode_yml_has_the_required_keys_of_version_0_4() -> None:
    """publiccode.yml (Standard for Public Code, version 0.4) has every key the standard requires."""
    required = {
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    }
    assert ("0.4", set()) == (PUBLICCODE["publiccodeYmlVersion"], required - set(PUBLICCODE))
    assert PUBLICCODE["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}
    assert PUBLICCODE["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    assert {"localisationReady", "availableLanguages"} <= set(PUBLICCODE["localisation"])


def test_publiccode_yml_descriptions_fit_the_standard() -> None:
    """Each language has a short description of at most 150 characters, a long one of 150 to 10,000
    characters, and features."""
    sizes = {
        lang: (len(d["shortDescription"]) <= 150, 150 <= len(d["longDescription"]) <= 10_000, bool(d["features"]))
        for lang, d in PUBLICCODE["description"].items()
    }
    assert {"en": (True, True, True), "nl": (True, True, True)} == sizes


def test_publiccode_yml_agrees_with_the_package() -> None:
    """Its licence, version and address are the package's own."""
    assert (PYPROJECT["project"]["license"], __version__, PYPROJECT["project"]["urls"]["Source"]) == (
        PUBLICCODE["legal"]["license"],
        PUBLICCODE["softwareVersion"],
        PUBLICCODE["url"],
    )
