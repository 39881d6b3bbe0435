# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Tools over many advices: :mod:`.impact` (``maatwerk diff`` and ``coverage``, with
:mod:`.impact_cli` and :mod:`.impact_report`) and :mod:`.generate` (the generated, valid cases they
and :mod:`maatwerk.testing` use)."""
