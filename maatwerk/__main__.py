# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
import sys

from maatwerk.cli import main

# Guarded: `maatwerk diff` starts worker processes with "spawn", which import this module again.
if __name__ == "__main__":
    sys.exit(main())
