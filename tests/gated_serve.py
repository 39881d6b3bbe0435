# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""`maatwerk serve` with a gate in front of its engine, for tests/test_http_shutdown.py.

    python tests/gated_serve.py GATE ENTERED [maatwerk options] serve [serve options]

While the file GATE exists, every call on the engine thread waits for it to be removed: an advice
that takes as long as the test wants, or for ever. Each request that starts waiting for the engine
adds a line to the file ENTERED, so that a test knows how many requests are in progress without
timing anything. Otherwise this is `maatwerk serve` itself (``maatwerk.cli.main``).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's maatwerk, not an installed one

from maatwerk.cli import main
from maatwerk.http._app import ServiceState

T = TypeVar("T")
GATE, ENTERED = Path(sys.argv[1]), Path(sys.argv[2])
_entered = threading.Lock()
_run_engine = ServiceState.run_engine


def _behind_the_gate(fn: Callable[..., T]) -> Callable[..., T]:
    def gated(*args: Any) -> T:
        while GATE.exists():
            time.sleep(0.01)
        return fn(*args)

    return gated


async def run_engine(self: ServiceState, fn: Callable[..., T], *args: Any) -> T:
    with _entered, ENTERED.open("a", encoding="utf-8") as out:
        out.write(f"{getattr(fn, '__name__', 'call')}\n")
    return await _run_engine(self, _behind_the_gate(fn), *args)


ServiceState.run_engine = run_engine  # type: ignore[method-assign]  # the gate is the point of this file

if __name__ == "__main__":
    sys.exit(main(sys.argv[3:]))
