# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""`maatwerk serve` that gets a signal while its engine loads and compiles the packs, for
tests/test_http_shutdown.py.

    python tests/signal_while_loading.py SIGNAL [maatwerk options] serve [serve options]

The process sends itself SIGNAL (``SIGINT`` or ``SIGTERM``) as the engine starts loading, so the
signal arrives during start-up every time, without timing anything. Otherwise this is
`maatwerk serve` itself (``maatwerk.cli.main``).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's maatwerk, not an installed one

from maatwerk import _api
from maatwerk.cli import main

SIGNAL = signal.Signals[sys.argv[1]]
_load = _api.Engine.__init__


def loading(self: _api.Engine, *args: Any, **kwargs: Any) -> None:
    os.kill(os.getpid(), SIGNAL)  # Python runs the handler at once, in the middle of the load below
    _load(self, *args, **kwargs)


_api.Engine.__init__ = loading  # type: ignore[method-assign]  # the signal during the load is the point

if __name__ == "__main__":
    sys.exit(main(sys.argv[2:]))
