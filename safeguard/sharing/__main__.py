"""``python -m safeguard.sharing``: see ``safeguard.sharing.cli``."""

import sys

from safeguard.sharing.cli import main

sys.exit(main())
