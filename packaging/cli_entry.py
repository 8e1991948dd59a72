"""Frozen entry of the command line (disclosure.exe)."""

import multiprocessing
import sys

from disclosure.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # `batch --jobs N` workers on Windows start this program again as workers
    sys.exit(main())
