"""Regenerate templates/workbooks/决算公开模板-<year>.xlsx from templates/specs, the macro-enabled
决算公开模板.xlsm and the Excel add-in addin/jsgk.xlam (run: ./dev templates).

tests/test_workbook.py and tests/test_addin_files.py fail when a committed file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure import specs, workbook  # noqa: E402


MACRO_TEMPLATE = ROOT / "templates" / "workbooks" / "决算公开模板.xlsm"
ADDIN = ROOT / "addin" / "jsgk.xlam"


def template_path(layout: str) -> Path:
    return ROOT / "templates" / "workbooks" / f"决算公开模板-{layout}.xlsx"


def main() -> None:
    from addin.excelfiles import build_addin, build_macro_template

    for layout in specs.available_layouts():
        path = workbook.write_template(layout, template_path(layout))
        print(f"写入 {path.relative_to(ROOT)}")
    for path in (build_macro_template(MACRO_TEMPLATE), build_addin(ADDIN)):
        print(f"写入 {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
