# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Intake: what comes in. :mod:`.case` makes JSON text, a dict or a model a validated case of its
domain (every problem located, no protected characteristic, a size limit); :mod:`.fields` says
which case fields a form must ask for the facts the selected packs read.

The flow of the package, one folder a step: intake (here) → policy (:mod:`maatwerk._policy`: packs
checked and compiled) → engine (:mod:`maatwerk._engine`: the rules evaluated) → domains
(:mod:`maatwerk._domains`: each domain's facts, arithmetic and builder, behind one seam) → advice
(:mod:`maatwerk._advice`: the packs' verdict, texts and steps) → tools (:mod:`maatwerk._tools`:
impact runs and generated cases) → interfaces (:mod:`maatwerk.cli`, :mod:`maatwerk.http`,
:mod:`maatwerk.audit`, :mod:`maatwerk.letters`, :mod:`maatwerk.testing`). :class:`maatwerk.Engine`
(``maatwerk/_api.py``) is the front door that runs a case through them.
"""
