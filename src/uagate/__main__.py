"""``python -m uagate``: the ``uagate`` command."""

import sys

from uagate.cli import main

if __name__ == "__main__":
    sys.exit(main())
