"""Frozen entry of the desktop window (决算公开助手.exe)."""

import sys

from gui.app import main

if __name__ == "__main__":
    sys.exit(main())
