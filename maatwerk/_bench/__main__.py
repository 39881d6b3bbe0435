# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""``python -m maatwerk._bench``: see :mod:`maatwerk._bench.run`."""

from maatwerk._bench.run import main

if __name__ == "__main__":
    raise SystemExit(main())
