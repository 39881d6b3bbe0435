# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The build step that puts the bundled packs and example cases in the wheel.

The repository keeps ``policies/`` and ``examples/`` at the top level, where policy teams edit them.
A wheel must carry them as package data (``maatwerk/_bundled/policies`` and
``maatwerk/_bundled/examples``, read through :mod:`importlib.resources`). This step copies every
file of both folders into the build, so a new pack, scenario or example needs no list to be kept.
An editable install copies nothing: it reads the live folders (see ``maatwerk/_resources.py``).
Everything else about the package is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("policies", "examples")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", ".*.swp", "*~")


class BuildWithBundledData(build_py):  # type: ignore[misc]
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        here = Path(__file__).resolve().parent
        for name in BUNDLED:
            source = here / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; a wheel without the bundled {name} would not work")
            target = Path(self.build_lib) / "maatwerk" / "_bundled" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=IGNORED, symlinks=False)


setup(cmdclass={"build_py": BuildWithBundledData})
