"""Regenerate docs/rules.md from the rule registry (run: ./dev docs)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure.checks.docs import render  # noqa: E402

RULES_DOC = ROOT / "docs" / "rules.md"

if __name__ == "__main__":
    RULES_DOC.write_text(render(), encoding="utf-8")
    print(f"写入 {RULES_DOC.relative_to(ROOT)}")
