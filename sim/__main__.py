"""``python -m sim`` is ``regime-sim``."""

import sys

from sim.interfaces.cli import main

sys.exit(main())
