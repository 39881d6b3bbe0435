# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The decisions for a person that each domain's advice can ask for (``HumanDecision.id``), and the
ones whose question shows the factors rules give (``then.factors``).

One list for the loader (a factor for an unknown decision, or for one that shows no factors, is
refused), the scenario runner (``expect.decisions``) and the docs; a test checks it against the
decisions the advice modules make and the factors they read.
"""

from __future__ import annotations

__all__ = ["DECISIONS", "FACTOR_DECISIONS"]

DECISIONS: dict[str, tuple[str, ...]] = {
    "benefits": (
        "verwijtbaarheid_vaststellen",
        "afweging_sanctie",
        "dringende_redenen",
        "kwijtschelding",
        "afzien_terugvordering",
        "korting_redelijke_termijn",
        "deel_voor_2013",
    ),
    "providers": (
        "evenredigheid",
        "verwijtbaarheid_vaststellen",
        "continuiteit_zorg",
        "clienten_nu_beschermen",
        "instrumenten_tekort",
    ),
}

#: The decisions whose question lists the factors of the rules that fired; a factor for any other
#: decision would be dropped from the advice.
FACTOR_DECISIONS: dict[str, tuple[str, ...]] = {
    "benefits": ("afweging_sanctie", "dringende_redenen", "afzien_terugvordering"),
    "providers": ("evenredigheid", "continuiteit_zorg", "clienten_nu_beschermen"),
}
