"""Regenerate templates/workbooks/决算公开模板-<year>.xlsx from templates/specs (run: ./dev templates).

tests/test_workbook.py fails when a committed template no longer matches its spec.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure import specs, workbook  # noqa: E402


def template_path(layout: str) -> Path:
    return ROOT / "templates" / "workbooks" / f"决算公开模板-{layout}.xlsx"


def main() -> None:
    for layout in specs.available_layouts():
        path = workbook.write_template(layout, template_path(layout))
        print(f"写入 {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
