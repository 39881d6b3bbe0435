# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Where the bundled packs and example cases are: package data, found through :mod:`importlib.resources`.

A wheel carries ``policies/`` and ``examples/`` as ``maatwerk/_bundled/policies`` and
``maatwerk/_bundled/examples`` (copied there by ``setup.py``'s build step, so every file of the
repository's folders is in the wheel without a list to keep). In a source checkout (an editable
install) they are not copied: the live ``policies/`` and ``examples/`` next to the package are
used, so that a policy team's edit is what the engine reads.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
from importlib import resources
from pathlib import Path
from typing import Literal

__all__ = ["bundled"]

Bundle = Literal["policies", "examples"]

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


@functools.cache
def bundled(name: Bundle) -> Path:
    """The folder of the bundled ``policies`` or ``examples``: the source checkout's own folder when
    maatwerk runs from one, else the package data of the installed wheel."""
    package = Path(__file__).resolve().parent
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    data = resources.files("maatwerk").joinpath("_bundled", name)
    if isinstance(data, Path):
        return data
    # Installed in a zip file: the folder is extracted once, for the life of the process.
    return _extracted.enter_context(resources.as_file(data))
