"""Frozen entry of the command line (disclosure.exe)."""

import sys

from disclosure.cli import main

if __name__ == "__main__":
    sys.exit(main())
