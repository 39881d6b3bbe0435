# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Advice: what every domain's advice is made of, after the rules have fired. :mod:`.verdict`
evaluates the packs' verdict (the measure, tracks, alternatives, decisions, what-ifs, every text a
pack template); :mod:`.common` makes the reasoning steps, factors, follow-ups and missing facts of
the fired rules; :mod:`.memo` keeps what is the same across advices per compiled stack;
:mod:`.explain` renders an advice as Dutch or English text."""
