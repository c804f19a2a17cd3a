"""``python -m labkit up``: see labkit/cli.py."""
import sys

from labkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
