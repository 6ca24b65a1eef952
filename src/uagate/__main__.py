"""``python -m uagate``: the ``uagate`` command."""

import sys

from uagate.cli import main

sys.exit(main())
