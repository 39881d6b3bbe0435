# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""A child process that appends records to an audit store and reports each acknowledged one.

Run by tests/test_audit_durability.py::

    python tests/audit_writer.py DB REPORT --label L --threads T --records N --body-bytes B
        [--separate-stores] [--fsize-limit BYTES]

Each thread appends ``N`` records (``N = 0``: until killed) through ``AuditStore.append``, with a
body of about ``B`` bytes. When an append *returns*, the thread writes ``seq hash label`` to REPORT
and fsyncs it before the next append: the report is the list of acknowledged records, exactly what a
caller of the store was told was recorded, and it survives the process being killed. An append that
raises writes ``error CODE`` (and the thread stops). ``--separate-stores`` gives each thread its own
``AuditStore`` on the same file (as two services would have); otherwise the threads share one.

``--fsize-limit`` caps the size of any file this process writes (RLIMIT_FSIZE) and ignores SIGXFSZ,
so that a write past the limit fails with EFBIG, as a write to a full disk fails with ENOSPC.
Prints ``ready`` on stdout once the store is open, ``done`` when every thread finished.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from maatwerk.audit import AuditStore
from maatwerk.errors import MaatwerkError

SECRET = b"w" * 32


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("report")
    parser.add_argument("--label", default="w")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument("--body-bytes", type=int, default=2000)
    parser.add_argument("--separate-stores", action="store_true")
    parser.add_argument("--fsize-limit", type=int, default=0)
    args = parser.parse_args()

    shared = AuditStore(args.db, secret=SECRET)
    if args.fsize_limit:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (args.fsize_limit, resource.RLIM_INFINITY))
    report_fd = os.open(args.report, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    report_lock = threading.Lock()

    def report(line: str) -> None:
        with report_lock:
            os.write(report_fd, (line + "\n").encode())
            os.fsync(report_fd)

    def work(thread: int) -> None:
        store = AuditStore(args.db, secret=SECRET) if args.separate_stores else shared
        label = f"{args.label}.{thread}"
        i = 0
        while args.records == 0 or i < args.records:
            i += 1
            content = {"writer": label, "n": i, "filler": "x" * args.body_bytes}
            try:
                record = store.append("decision", f"{thread:032x}{i:032x}", content)
            except MaatwerkError as err:
                report(f"error {err.code}")
                return
            report(f"{record.seq} {record.hash} {label}")

    print("ready", flush=True)
    threads = [threading.Thread(target=work, args=(t,)) for t in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
