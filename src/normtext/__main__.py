"""``python -m normtext``: the same command as the ``normtext`` console script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
