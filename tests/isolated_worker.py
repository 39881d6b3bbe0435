# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The child side of :mod:`isolation`: one long-lived process that advises on the inputs it is sent.

Run as ``python tests/isolated_worker.py``. It reads requests from stdin and writes one answer per
request to stdout, each a frame (8-byte big-endian length, then the bytes). A request is a JSON
header frame followed by a payload frame (the raw input, as bytes). The answer describes the
outcome without interpreting it: the parent's tests decide what is acceptable. Anything this
process cannot survive (a segfault in durable-rules' C core, an abort) ends it; the parent sees
the closed pipe and the signal, and reports the input that did it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import struct
import sys
import tempfile
import traceback
from typing import Any, BinaryIO

FRAME = struct.Struct(">Q")


def read_frame(stream: BinaryIO) -> bytes | None:
    head = stream.read(FRAME.size)
    if len(head) < FRAME.size:
        return None
    (size,) = FRAME.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return data


def write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(FRAME.pack(len(data)) + data)
    stream.flush()


def _error(err: BaseException) -> dict[str, Any]:
    from maatwerk import MaatwerkError

    if isinstance(err, MaatwerkError):
        return {
            "outcome": "error",
            "type": type(err).__name__,
            "code": err.code,
            "problems": [[p.where, p.code, p.message] for p in err.problems],
            "text": str(err),
        }
    frames = traceback.format_exception(type(err), err, err.__traceback__)
    return {"outcome": "unexpected", "type": type(err).__name__, "text": "".join(frames)[-4000:]}


def advise(engine: Any, header: dict[str, Any], payload: bytes) -> dict[str, Any]:
    given: Any = payload
    if header.get("as") == "text":  # any bytes as text: undecodable ones as lone surrogates
        given = payload.decode("utf-8", errors="surrogateescape")
    try:
        advice = engine.advise(given)
    except Exception as err:
        return _error(err)
    return {"outcome": "advice", "measure": advice.measure.kind, "receipt": advice.receipt}


def cli(header: dict[str, Any], payload: bytes) -> dict[str, Any]:
    """``maatwerk advise FILE --format json`` through the CLI's own entry point."""
    from maatwerk.cli import main

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        fh.write(payload)
        path = fh.name
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["advise", path, "--format", header.get("format", "json")])
    except BaseException as exc:  # the CLI must return an exit code, never raise
        return _error(exc) | {"outcome": "unexpected"}
    finally:
        os.unlink(path)
    return {"outcome": "exit", "code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main() -> int:
    import faulthandler

    faulthandler.enable()  # a segfault prints the Python stack to stderr, which the parent reports
    from maatwerk import Engine

    engine = Engine()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    write_frame(stdout, b'{"ready": true}')
    while True:
        raw_header = read_frame(stdin)
        payload = read_frame(stdin)
        if raw_header is None or payload is None:
            return 0
        header = json.loads(raw_header)
        op = header["op"]
        if op == "advise":
            answer = advise(engine, header, payload)
        elif op == "cli":
            answer = cli(header, payload)
        elif op == "segfault":  # only for the test that shows a crash is caught and reported
            import ctypes

            ctypes.string_at(0)
            answer = {}
        elif op == "sleep":  # only for the test that shows a hang is caught and reported
            import time

            time.sleep(float(header["seconds"]))
            answer = {}
        else:
            answer = {"outcome": "unexpected", "type": "UnknownOp", "text": op}
        write_frame(stdout, json.dumps(answer).encode())


if __name__ == "__main__":
    sys.exit(main())
