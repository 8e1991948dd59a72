"""Frozen entry of the command line (disclosure.exe)."""

import multiprocessing

from disclosure.cli import run

if __name__ == "__main__":
    multiprocessing.freeze_support()  # `batch --jobs N` workers on Windows start this program again as workers
    run()
