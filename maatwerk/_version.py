# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
__version__ = "0.1.0"

#: What, besides the input and the packs, decides an advice: the version of maatwerk's advice logic
#: (the arithmetic, the reasoning around the rules, the advice's format). A receipt covers it, not
#: the release version: a release that leaves every advice as it was keeps it, so that recorded
#: advices replay as identical after an upgrade. Raise it with a change that alters any advice for
#: the same input and packs (the scenarios and `maatwerk audit replay` show such a change).
ADVICE_LOGIC = "1"
