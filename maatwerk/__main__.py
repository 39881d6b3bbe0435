import sys

from maatwerk.cli import main

sys.exit(main())
