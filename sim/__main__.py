"""``python -m sim`` is ``regime-sim``."""

import sys

from .cli import main

sys.exit(main())
