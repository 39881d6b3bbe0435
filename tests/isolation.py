# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Run maatwerk in a child process, so that a crash or a hang fails a test with a report instead of
taking pytest down with it.

:class:`Isolated` keeps one long-lived child (``tests/isolated_worker.py``) and feeds it many inputs
over a pipe, so a property test pays the start-up (import, packs, rulesets) once, not per example.
When the child dies (a segfault in durable-rules' C core, an abort), the next :meth:`Isolated.ask`
raises :class:`ChildDied` naming the signal and the input; when it does not answer within the hang
guard, it is killed and :class:`ChildHung` is raised. Either way the next call starts a fresh child.

The hang guard is not a performance assertion: it is set far above any real advice (milliseconds)
and only turns "waits forever" into a failing test.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from isolated_worker import FRAME

WORKER = Path(__file__).resolve().parent / "isolated_worker.py"
#: Seconds a child may take to answer one input before it counts as hung (an advice takes ms).
HANG_GUARD = 60.0


class ChildDied(AssertionError):  # noqa: N818  (a test failure, reported by pytest as such)
    """The child process ended while handling an input."""


class ChildHung(AssertionError):  # noqa: N818
    """The child process did not answer within the hang guard."""


def _describe(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exited with status {returncode}"


class Isolated:
    """One child process advising on inputs sent to it; restarted after it dies."""

    def __init__(self, hang_guard: float = HANG_GUARD) -> None:
        self.hang_guard = hang_guard
        self.proc: subprocess.Popen[bytes] | None = None
        self.deaths = 0
        # The child's stderr goes to a file: a pipe nobody reads could fill up and stall the child.
        self._stderr_file = tempfile.TemporaryFile()  # noqa: SIM115  (open as long as the harness; closed in close())

    def _start(self) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr_file,
            cwd=WORKER.parent,
        )
        self.proc = proc
        ready = self._read(proc, deadline=time.monotonic() + 120)
        if ready is None:
            raise ChildDied(f"the worker did not start: {_describe(proc.wait())}\n{self._stderr()}")
        return proc

    def _stderr(self) -> str:
        """The end of what the child wrote to stderr (its Python traceback, or a fault report)."""
        self._stderr_file.seek(0)
        text = self._stderr_file.read().decode(errors="replace")[-3000:]
        self._stderr_file.seek(0)
        self._stderr_file.truncate()
        return text

    @staticmethod
    def _read_exact(stream: IO[bytes], size: int, deadline: float) -> bytes | None:
        chunks = []
        left = size
        fd = stream.fileno()
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                raise TimeoutError
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _read(self, proc: subprocess.Popen[bytes], deadline: float) -> bytes | None:
        assert proc.stdout is not None
        head = self._read_exact(proc.stdout, FRAME.size, deadline)
        if head is None:
            return None
        return self._read_exact(proc.stdout, FRAME.unpack(head)[0], deadline)

    def ask(self, header: dict[str, Any], payload: bytes) -> dict[str, Any]:
        """The child's answer to one request; :class:`ChildDied` or :class:`ChildHung` otherwise."""
        proc = self.proc if self.proc is not None and self.proc.poll() is None else self._start()
        assert proc.stdin is not None
        shown = payload[:300]
        try:
            raw = json.dumps(header).encode()
            proc.stdin.write(FRAME.pack(len(raw)) + raw + FRAME.pack(len(payload)) + payload)
            proc.stdin.flush()
            answer = self._read(proc, deadline=time.monotonic() + self.hang_guard)
        except TimeoutError:
            proc.kill()
            proc.wait()
            self.proc = None
            raise ChildHung(
                f"no answer within {self.hang_guard:g} s to {header} on input {shown!r} ({len(payload)} bytes)"
            ) from None
        except BrokenPipeError:
            answer = None
        if answer is None:
            code = proc.wait()
            self.proc = None
            self.deaths += 1
            raise ChildDied(
                f"the worker {_describe(code)} on {header} with input {shown!r} ({len(payload)} bytes)\n"
                f"{self._stderr()}"
            )
        result: dict[str, Any] = json.loads(answer)
        return result

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        self._stderr_file.close()
