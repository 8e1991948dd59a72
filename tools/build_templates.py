"""Regenerate templates/workbooks/决算公开模板-<year>.xlsx and 预算公开模板-<year>.xlsx from templates/specs, the
macro-enabled 决算公开模板.xlsm and 预算公开模板.xlsm, and the Excel add-in addin/jsgk.xlam (run: ./dev templates).

tests/test_workbook.py and tests/test_addin_files.py fail when a committed file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure import specs, workbook  # noqa: E402


WORKBOOKS = ROOT / "templates" / "workbooks"
MACRO_TEMPLATE = WORKBOOKS / "决算公开模板.xlsm"
BUDGET_MACRO_TEMPLATE = WORKBOOKS / "预算公开模板.xlsm"
ADDIN = ROOT / "addin" / "jsgk.xlam"


def template_path(layout: str) -> Path:
    """决算公开模板-2024.xlsx for the 决算 layout 2024, 决算公开模板-上海2024.xlsx for 上海2024, 预算公开模板-2023.xlsx
    for the 预算 layout 预算2023."""
    spec = specs.load(layout)
    prefix = "预算" if spec.kind == specs.YUSUAN else "决算"
    return WORKBOOKS / f"{prefix}公开模板-{layout.removeprefix(prefix)}.xlsx"


def main() -> None:
    from addin.excelfiles import build_addin, build_macro_template

    for layout in specs.available_layouts(None, specs.ALL_REGIONS):
        path = workbook.write_template(layout, template_path(layout))
        print(f"写入 {path.relative_to(ROOT)}")
    budget_layout = specs.available_layouts(specs.YUSUAN)[-1]
    for path in (build_macro_template(MACRO_TEMPLATE), build_macro_template(BUDGET_MACRO_TEMPLATE, budget_layout),
                 build_addin(ADDIN)):
        print(f"写入 {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
