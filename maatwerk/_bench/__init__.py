# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The performance benchmark behind ``make bench`` (private; not part of the public API).

- :mod:`maatwerk._bench.cases`: fast seeded case generators and the bundled scenarios, per domain;
- :mod:`maatwerk._bench.run`: the measurements and the command line (``python -m maatwerk._bench``);
- :mod:`maatwerk._bench.report`: the Markdown table written into ``docs/performance.md``.

The library itself never reads the clock; the benchmark does (it stamps its report with the date).
"""
