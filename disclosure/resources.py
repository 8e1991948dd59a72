"""Where the bundled templates/ folder is: beside the package, inside a frozen app, or set by env."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def templates_dir() -> Path:
    override = os.environ.get("DISCLOSURE_TEMPLATES")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "templates"
    return Path(__file__).resolve().parent.parent / "templates"
