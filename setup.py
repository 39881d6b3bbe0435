# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The build step that puts the bundled packs and example cases in the wheel.

The repository keeps ``policies/`` and ``examples/`` at the top level, where policy teams edit them.
A wheel must carry them as package data (``maatwerk/_bundled/policies`` and
``maatwerk/_bundled/examples``, read through :mod:`importlib.resources`). This step copies every
file of both folders into the build, so a new pack, scenario or example needs no list to be kept.
An editable install copies nothing: it reads the live folders (see ``maatwerk/_resources.py``).
It also gives the package index the README with its relative links made absolute. Everything else
about the package is declared in pyproject.toml.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("policies", "examples")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", ".*.swp", "*~")


HERE = Path(__file__).resolve().parent
#: A relative Markdown link target (not a URL, not an anchor, not an absolute path).
RELATIVE_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|#|/)([^)\s]+)\)")


def readme_for_the_index() -> str:
    """README.md with every relative link made absolute (to the repository's main branch, from the
    project URL ``Source``), so that the links work on the package index too."""
    project = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = project["urls"]["Source"].rstrip("/")
    text = (HERE / "README.md").read_text(encoding="utf-8")

    def absolute(match: re.Match[str]) -> str:
        target = match.group(1)
        kind = "tree" if target.endswith("/") else "blob"
        return f"]({base}/{kind}/main/{target})"

    return RELATIVE_LINK.sub(absolute, text)


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for name in BUNDLED:
            source = HERE / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; a wheel without the bundled {name} would not work")
            target = Path(self.build_lib) / "maatwerk" / "_bundled" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=IGNORED, symlinks=False)


setup(
    cmdclass={"build_py": BuildWithBundledData},
    long_description=readme_for_the_index(),
    long_description_content_type="text/markdown",
)
