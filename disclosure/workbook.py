"""The template workbook: read back into a Report (python-calamine grids, grid.py). Generating and saving
one (openpyxl) is in workbook_write.py; its names are forwarded here (workbook.build, workbook.save_atomic …)
and imported only when first used, so that reading and checking a workbook never import openpyxl.
"""

from __future__ import annotations

from pathlib import Path

from . import specs
from .acks import ACK_SHEET, read as read_acks
from .errors import DisclosureError, InputError
from .grid import Sheet, coord, read_sheets
from .inputs import INPUT_SHEET, PRIOR_REASON, REASON_SHEET, InputValue, Inputs, convert
from .labels import read_labels
from .model import CellRef, Report
from .parse import parse_tables

COVER_SHEET = "封面"
PDF_TEXT_SHEET = "_公开原文"  # hidden: the text of the published PDF a workbook was imported from
PERF_PREFIX = "绩效-"  # the 绩效自评表 sheets (disclosure/perf/read.py SHEET_PREFIX)
COVER_FIELDS = ("单位名称", "年度", "金额单位", "联系电话", "表样", "报表类型")
AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"  # count lines (辆, 台): whole numbers

_WRITING = {"BLANK_CODE_ROWS", "SPARE_CODE_ROWS", "TableSheet", "build", "write_input_sheets", "update_inputs",
            "rewrite", "save_atomic", "write_template"}


def __getattr__(name: str):
    if name in _WRITING:
        from . import workbook_write

        return getattr(workbook_write, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------- reading

def read_inputs(sheets: list[Sheet], file=None, kind: str | None = None) -> Inputs:
    """说明数据 and 原因说明 as typed Inputs (the kind's schema, inputs.py); every key remembers its value cell,
    filled or not."""
    inputs = Inputs()
    for sheet in sheets:
        if sheet.name not in (INPUT_SHEET, REASON_SHEET):
            continue
        for r in range(3, sheet.height):
            key = sheet.text(r, 0)
            if not key:
                continue
            full = key if sheet.name == INPUT_SHEET else f"原因.{key}"
            ref = CellRef(sheet.name, coord(r, 2))
            value = convert(full, sheet.value(r, 2), file=file, sheet=sheet.name, cell=coord(r, 2), kind=kind)
            inputs.cells[full] = ref
            if value is not None:
                inputs.values[full] = InputValue(value, ref)
            earlier = sheet.value(r, 3) if sheet.name == REASON_SHEET else None  # last year's, for reference
            if earlier not in (None, ""):
                inputs.values[f"{PRIOR_REASON}{key}"] = InputValue(str(earlier), CellRef(sheet.name, coord(r, 3)))
    return inputs


def read_cover(sheets) -> dict[str, str]:
    cover = next((s for s in sheets if s.name == COVER_SHEET), None)
    if cover is None:
        return {}
    out = {}
    for r in range(cover.height):
        key = cover.text(r, 0)
        if key in COVER_FIELDS:
            out[key] = cover.text(r, 1)
    return out


def read(path: str | Path) -> Report:
    """Read a filled template workbook into a Report (Decimal amounts, each knowing its cell)."""
    path = Path(path)
    return from_sheets(read_sheets(path), path)


def from_sheets(sheets: list[Sheet], path: Path) -> Report:
    """A Report from a workbook's sheets as value grids — read from a file, or from a workbook open in
    Excel (the add-in); path names the workbook in messages."""
    cover = read_cover(sheets)
    if not cover.get("表样"):
        raise InputError(f"不是本工具的模板工作簿：缺少“{COVER_SHEET}”工作表或其中的“表样”。"
                         "部门决算软件导出的报表请先用“导入”转换", file=path)
    try:
        spec = specs.load(cover["表样"])
    except DisclosureError as exc:
        raise InputError(str(exc), file=path, sheet=COVER_SHEET) from None
    year_text = cover.get("年度", "")
    if not year_text.isdecimal():
        raise InputError(f"“年度”应为四位数字，实为“{year_text}”", file=path, sheet=COVER_SHEET)
    unit = "".join(cover.get("金额单位", "").split())
    if unit and unit != spec.unit:  # the tables are read in the spec's unit whatever the cover says: never mixed
        raise InputError(f"封面“金额单位”是“{unit}”，而本工具的工作簿各表按{spec.unit}填写：请把各表金额换算为{spec.unit}后"
                         f"把金额单位改回“{spec.unit}”（部门决算软件按元导出的报表，用 disclosure import 导入时会自动换算）",
                         file=path, sheet=COVER_SHEET, cell=f"B{3 + COVER_FIELDS.index('金额单位')}")
    # the tool's own sheets may quote a table's title (a reason, an acknowledged finding): never tables
    own = {ACK_SHEET, INPUT_SHEET, REASON_SHEET, PDF_TEXT_SHEET}
    perf_sheets = [s for s in sheets if s.name.startswith(PERF_PREFIX)]  # 绩效-整体, 绩效-项目1 … (perf/)
    if perf_sheets:
        sheets = [s for s in sheets if not s.name.startswith(PERF_PREFIX)]
    tables = parse_tables([s for s in sheets if s.name not in own], spec, file=path)
    info = {k: v for k, v in cover.items() if k == "联系电话" and v}
    inputs = read_inputs(sheets, file=path, kind=spec.kind)
    if inputs.get("联系电话") is None and info.get("联系电话"):
        row = 3 + COVER_FIELDS.index("联系电话")  # _write_cover puts the fields from row 3 on
        inputs.values["联系电话"] = InputValue(info["联系电话"], CellRef(COVER_SHEET, f"B{row}"))
    perf = None
    if perf_sheets:  # only a workbook with 绩效 sheets imports their reader
        from .perf.read import read_workbook as read_perf

        perf = read_perf(perf_sheets, path)
    return Report(spec=spec, unit_name=cover.get("单位名称", ""), year=int(year_text), tables=tables,
                  info=info, source=path, inputs=inputs, acks=read_acks(sheets),
                  labels=read_labels(sheets, tables, COVER_SHEET, COVER_FIELDS), perf=perf,
                  pdf=read_published_text(sheets))


def read_published_text(sheets: list[Sheet]):
    """The published PDF's text kept in _公开原文 (a PdfSource without places), or None."""
    sheet = next((s for s in sheets if s.name == PDF_TEXT_SHEET), None)
    if sheet is None:
        return None
    from .pdfin import PdfSource, PublishedText, TextLine

    def number(r: int, c: int) -> float:
        """A line's position on its page, in points (geometry, not money): as the cell holds it; 0 where it was
        edited away (the line keeps its text)."""
        value = sheet.value(r, c)
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0

    lines = []
    for r in range(2, sheet.height):
        page = sheet.text(r, 0)
        if page.isdecimal():
            lines.append(TextLine(int(page), str(sheet.value(r, 1) or ""), tuple(number(r, c) for c in range(2, 6))))
    pages = sheet.text(0, 2)
    return PdfSource(sheet.text(0, 1), int(pages) if pages.isdecimal() else 0, text=PublishedText(lines))
