"""Writing template workbooks (openpyxl): a blank or filled template generated from a spec, the 说明数据
and 原因说明 sheets rewritten in a workbook file, every save atomic. Split from workbook.py so that reading
and checking a workbook never import openpyxl; workbook.py forwards these names (workbook.build …).

Layout of a workbook: a 封面 sheet (基本信息: 单位名称, 年度, 金额单位, 联系电话, 表样) and one sheet per
table named by its 公开编号, in the official layout: title, 编号, 编制单位/单位 line, merged multi-level
headers, 栏次 row, rows, note. Amount cells are unlocked input cells; everything else is protected
without a password, so an officer cannot overwrite a label by accident but can lift protection.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Callable

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import printfit, specs, tablegrid
from .cells import put
from .errors import InputError
from .files import atomic_write
from .guard import check_workbook_file
from .inputs import (AMOUNT, FIELDS, INPUT_SHEET, NAMES, PRIOR_REASON, REASON_SHEET, TEXT, InputValue,
                     Inputs, convert, field_for, vehicle_uses)
from .specs import JUESUAN, YUSUAN
from .model import Report, Row
from .outputs import Inputs as OutputInputs
from .specs import LayoutSpec, TableSpec
from .workbook import AMOUNT_FORMAT, COUNT_FORMAT, COVER_FIELDS, COVER_SHEET, PDF_TEXT_SHEET, read

BLANK_CODE_ROWS = 30  # input rows a blank template offers in code-row tables
SPARE_CODE_ROWS = 3  # and a filled one, for 科目 the officer adds by hand
_GROWING = ("coded", "units", "text")  # tables whose rows the officer adds: spare input rows, rows insertable

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_FONT = "宋体"
_UNLOCKED = Protection(locked=False)


# ---------------------------------------------------------------- building

def build(spec: LayoutSpec, report: Report | None = None, unit_name: str = "", year: int | None = None,
          info: dict[str, str] | None = None) -> Workbook:
    """A template workbook for the layout; filled with the report's amounts when one is given."""
    wb = Workbook()
    wb.calculation.fullCalcOnLoad = True
    if report is not None:
        unit_name, year, info = report.unit_name, report.year, report.info
    cover = wb.active
    _write_cover(cover, spec, unit_name, year, info or {})
    inputs = (report.inputs if report else None) or Inputs()
    write_input_sheets(wb, report, inputs, budget=spec.is_budget, region=spec.region)
    for t in spec.tables.values():
        ws = wb.create_sheet(t.sheet_name)
        table = report.tables.get(t.id) if report else None
        TableSheet(ws, t, spec.unit, unit_name).write(table.rows if table else None)
    if report is not None and report.perf:  # 绩效自评表 imported with the tables
        from .perf.sheets import write_all

        write_all(wb, report.perf, year)
    if report is not None and report.pdf is not None:  # imported from a published PDF: its text, for lint
        _write_published_text(wb, report.pdf)
    return wb


def _write_published_text(wb: Workbook, pdf) -> None:
    """The hidden sheet _公开原文: the PDF's name and pages, then one row per line of its text outside the
    tables (页码 | 文字 | x0 | top | x1 | bottom), read back by workbook.read into report.pdf.text."""
    ws = wb.create_sheet(PDF_TEXT_SHEET)
    ws.sheet_state = "hidden"
    put(ws, 1, 1, "公开PDF")
    put(ws, 1, 2, Path(pdf.path).name)
    put(ws, 1, 3, pdf.pages)
    for c, head in enumerate(("页码", "文字", "x0", "top", "x1", "bottom"), start=1):
        put(ws, 2, c, head)
    for r, line in enumerate(pdf.text.lines, start=3):
        put(ws, r, 1, line.page)
        put(ws, r, 2, line.text)  # put(): a line starting with "=" stays text
        for c, v in enumerate(line.bbox, start=3):
            ws.cell(r, c, v)


def _write_cover(ws: Worksheet, spec: LayoutSpec, unit_name: str, year: int | None, info: dict) -> None:
    ws.title = COVER_SHEET
    ws["A1"] = f"{spec.kind}公开 基本信息"
    ws["A1"].font = Font(name=_FONT, size=16, bold=True)
    ws.merge_cells("A1:B1")
    values = {"单位名称": unit_name, "年度": year or spec.default_year, "金额单位": spec.unit,
              "联系电话": info.get("联系电话", ""), "表样": spec.layout, "报表类型": spec.kind}
    for i, key in enumerate(COVER_FIELDS, start=3):
        label, cell = ws.cell(i, 1, key), put(ws, i, 2, values[key] or None)  # 单位名称 comes from the import
        for c in (label, cell):
            c.border = _BORDER
            c.font = Font(name=_FONT, size=12, bold=c is label)
        label.fill = _HEADER_FILL
        if key in ("单位名称", "年度", "联系电话"):
            cell.protection = _UNLOCKED
    ws.cell(10, 1, "说明：白色单元格可填写；灰色为表头与项目，已保护（无密码，可在“审阅→撤销工作表保护”解除）。"
                   "金额单位为万元，保留两位小数，无金额请留空。“表样”决定各表的行次与栏次，请勿修改。")
    ws.cell(10, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A10:B12")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 48
    ws.protection.sheet = True


class TableSheet:
    """Writes one table sheet: title block, then the table's grid (tablegrid.py), note; styles and page setup.

    As a template (spare_rows > 0 for coded tables) amounts and 科目 cells are unlocked input cells and the
    sheet is protected; as a print copy (protect=False) nothing is protected or validated."""

    def __init__(self, ws: Worksheet, t: TableSpec, unit: str, unit_name: str):
        self.ws, self.t, self.unit, self.unit_name = ws, t, unit, unit_name
        self.amount_cells: list[str] = []

    def write(self, rows: list[Row] | None, spare_rows: int | None = None, protect: bool = True,
              note: str | None = None) -> None:
        ws, t = self.ws, self.t
        if spare_rows is None:
            spare_rows = SPARE_CODE_ROWS if rows else BLANK_CODE_ROWS
        grid = tablegrid.layout(t, rows, spare_rows if t.kind in _GROWING else 0)
        ncols = grid.ncols
        last = get_column_letter(ncols)
        ws["A1"] = t.title
        ws["A1"].font = Font(name=_FONT, size=16, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(f"A1:{last}1")
        text = t.note if note is None else note
        fit = printfit.printing(grid, t.title, text or "")
        ws.row_dimensions[1].height = fit.title
        number = put(ws, 2, ncols, t.number)
        number.alignment = Alignment(horizontal="right")
        put(ws, 3, 1, f"编制单位：{self.unit_name}")
        unit = put(ws, 3, ncols, f"单位：{self.unit}")
        unit.alignment = Alignment(horizontal="right")
        top = 4
        for cell in grid.cells:
            self._cell(top, cell, protect)
        for r in range(top, top + grid.header_depth):
            ws.row_dimensions[r].height = 30
        for r, h in fit.rows.items():
            ws.row_dimensions[top + r].height = h
        body = top + grid.header_rows
        end = top + grid.nrows + 1  # one empty row before the note
        note_cell = put(ws, end, 1, text)
        note_cell.alignment = Alignment(wrap_text=True, vertical="top")
        note_cell.font = Font(name=_FONT, size=9)
        ws.merge_cells(start_row=end, start_column=1, end_row=end, end_column=ncols)
        ws.row_dimensions[end].height = fit.note
        for i, w in enumerate(grid.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = ws.cell(body, 1)
        self._page_setup(top, body - 1 if grid.header_rows else None, fit.landscape, fit.one_page)
        if protect:
            self._protect()

    def _cell(self, top: int, g: tablegrid.GridCell, protect: bool) -> None:
        r1, c1 = top + g.row, g.col + 1
        r2, c2 = r1 + g.rows - 1, c1 + g.cols - 1
        if g.kind == tablegrid.HEADER:
            self._header_cell(r1, c1, r2, c2, g.value)
            return
        for r in range(r1, r2 + 1):  # style every cell of a merge, or borders vanish
            for c in range(c1, c2 + 1):
                first = (r, c) == (r1, c1)
                if g.kind == tablegrid.AMOUNT:
                    self._amount(r, c, g.value, protect, count=g.count)
                else:
                    self._label(r, c, g.value if first else None, bold=g.bold and first, center=g.center and first,
                                locked=not (g.editable and protect), as_text=g.as_text)
        if (r1, c1) != (r2, c2):
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def _header_cell(self, r1: int, c1: int, r2: int, c2: int, text) -> None:
        ws = self.ws
        put(ws, r1, c1, text)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):  # style every cell of a merge, or borders vanish
                cell = ws.cell(r, c)
                cell.border, cell.fill = _BORDER, _HEADER_FILL
                cell.font = Font(name=_FONT, size=10, bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def _label(self, r: int, c: int, text, *, bold=False, center=False, locked=True, as_text=False) -> None:
        cell = put(self.ws, r, c, text if text not in ("", None) else None)  # imported 科目名称: text, never a formula
        cell.border = _BORDER
        cell.font = Font(name=_FONT, size=10, bold=bold)
        cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True)
        if as_text:
            cell.number_format = "@"
        if not locked:
            cell.protection = _UNLOCKED

    def _amount(self, r: int, c: int, value: Decimal | None, editable: bool = True, count: bool = False) -> None:
        cell = self.ws.cell(r, c, value)
        cell.border = _BORDER
        cell.number_format = COUNT_FORMAT if count else AMOUNT_FORMAT
        cell.font = Font(name=_FONT, size=10)
        cell.alignment = Alignment(horizontal="right", vertical="center")
        if editable:
            cell.protection = _UNLOCKED
            self.amount_cells.append(cell.coordinate)

    def _page_setup(self, header_top: int, header_bottom: int | None, landscape: bool, one_page: bool) -> None:
        landscape_a4(self.ws)
        self.ws.page_setup.orientation = "landscape" if landscape else "portrait"  # printfit.page
        self.ws.page_setup.fitToHeight = 1 if one_page else 0
        if header_bottom is not None:  # a form (预算 绩效目标) has no header to repeat
            self.ws.print_title_rows = f"{header_top}:{header_bottom}"

    def _protect(self) -> None:
        ws = self.ws
        number_validation(ws, self.amount_cells)
        ws.protection.sheet = True  # no password: protects labels from slips, not from the officer
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        if self.t.kind in _GROWING:
            ws.protection.insertRows = False
            ws.protection.deleteRows = False


def landscape_a4(ws: Worksheet) -> None:
    """The print setup of every table sheet: A4 landscape, one page wide, centred, page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def number_validation(ws: Worksheet, cells: list[str], title: str = "金额格式",
                      error: str = "请填写数字（单位：万元），无金额请留空。") -> None:
    """Excel refuses text typed into these input cells (a blank stays allowed)."""
    if not cells:
        return
    dv = DataValidation(type="decimal", operator="between", formula1="-999999999999", formula2="999999999999",
                        allow_blank=True, showErrorMessage=True, errorTitle=title, error=error)
    for coordinate in cells:
        dv.add(coordinate)
    ws.add_data_validation(dv)


# ---------------------------------------------------------------- 说明数据 and 原因说明

_KIND_NOTE = {AMOUNT: "金额（万元）", "数量": "整数", TEXT: "文字", NAMES: "名单，每行一个"}


def _input_keys(report: Report | None, inputs: Inputs, budget: bool = False, region: str | None = None) -> list[str]:
    """Every row of 说明数据: the fixed fields the region's text asks for (Field.regions), a 年初预算 row per 项 of
    05, a row per vehicle use, and any other key the inputs already hold (so nothing typed is ever dropped). A 预算
    workbook: its own fields, a 上年预算 row per 项 and 经济分类 类, a 编制/实有 row per 单位 (budgetfigures.input_rows)."""
    if budget:
        from .budgetfigures import input_rows

        return [k for k, _ in input_rows(report, inputs)]
    region = report.spec.region if report is not None else region
    keys = [f.key for f in FIELDS if f.asked_in(region)]
    codes = {r.code for r in report.table("05").code_rows() if len(r.code or "") == 7} if report else set()
    codes |= set(inputs.with_prefix("年初预算.项."))
    keys += [f"年初预算.项.{c}" for c in sorted(codes)]
    listed = vehicle_uses(region)
    uses = listed + [u for u in inputs.with_prefix("国有资产.车辆明细.") if u not in listed]
    keys += [f"国有资产.车辆明细.{u}" for u in uses]
    held = set(keys)  # and every other key typed (主要用于.项.…, 项目支出说明.…): never dropped
    keys += sorted(k for k in inputs.values if k not in held and not k.startswith(("原因.", PRIOR_REASON)))
    return keys


def write_input_sheets(wb: Workbook, report: Report | None, inputs: Inputs, budget: bool = False,
                       region: str | None = None) -> None:
    """(Re)write the 说明数据 and 原因说明 sheets after 封面, keeping every value and reason in `inputs`.
    `budget`: a 预算 workbook (also when `report` is a 预算 one), whose 说明数据 fields are its own; `region`:
    a blank template's (a report's own region otherwise), whose text decides which fields are asked."""
    from .narrative.model import build as build_model  # the reasons the text needs, with their direction

    budget = budget or bool(report and report.spec.is_budget)
    for name, index in ((INPUT_SHEET, 1), (REASON_SHEET, 2)):
        if name in wb.sheetnames:
            del wb[name]
        wb.create_sheet(name, index)
    _write_inputs(wb[INPUT_SHEET], report, inputs, budget, region)
    if budget:
        from .narrative.budget import build as build_budget  # its reasons: the changes on 上年预算 to explain

        needed = build_budget(report, inputs)["model"].reasons if report else []
    else:
        needed = build_model(report, inputs)["model"].reasons if report else []
    _write_reasons(wb[REASON_SHEET], needed, inputs)


def _sheet_head(ws: Worksheet, title: str, note: str, headers: list[tuple[str, int]]) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(name=_FONT, size=14, bold=True)
    ws["A2"] = note
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    ws.row_dimensions[2].height = 45
    for c, (text, width) in enumerate(headers, start=1):
        cell = ws.cell(3, c, text)
        cell.font, cell.fill, cell.border = Font(name=_FONT, bold=True), _HEADER_FILL, _BORDER
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A4"
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False


def _write_inputs(ws: Worksheet, report: Report | None, inputs: Inputs, budget: bool = False,
                  region: str | None = None) -> None:
    _sheet_head(ws, "说明数据", "生成情况说明所需、公开表中没有的数据。在“值”列填写；留空表示未填（说明中显示【待填写】），"
                "确实为零请填 0。金额单位万元。也可用 disclosure inputs 工作簿 --set-from 数据.yaml 批量写入，见 docs/inputs.md。",
                [("键", 34), ("项目", 44), ("值", 40), ("填写说明", 16)])
    names = {r.code: r.name for r in report.table("05").code_rows()} if report and not budget else {}
    if budget:
        from .budgetfigures import input_rows

        extra = dict(input_rows(report, inputs))
    for i, key in enumerate(_input_keys(report, inputs, budget, region), start=4):
        f = field_for(key, YUSUAN if budget else JUESUAN)
        if budget:
            label = f.label + (f" {extra[key]}" if extra.get(key) else "")
        else:
            label = f.label + (f" {names[key[-7:]]}" if key.startswith("年初预算.项.") and key[-7:] in names else "")
        value = inputs.get(key)
        if isinstance(value, list):
            value = "\n".join(value)
        cells = [put(ws, i, 1, key), put(ws, i, 2, label), put(ws, i, 3, value), put(ws, i, 4, _KIND_NOTE[f.kind])]
        for c in cells:
            c.border, c.font = _BORDER, Font(name=_FONT, size=10)
            c.alignment = Alignment(vertical="top", wrap_text=c.column in (2, 3))
        cells[2].protection = _UNLOCKED
        if f.kind == AMOUNT:
            cells[2].number_format = AMOUNT_FORMAT


def _write_reasons(ws: Worksheet, needed, inputs: Inputs) -> None:
    earlier = inputs.with_prefix(PRIOR_REASON)  # last year's published reasons (--prior 上年公开.pdf)
    headers = [("键", 30), ("事项", 60), ("原因", 60)] + ([("上年的写法（参考，不会自动采用）", 60)] if earlier else [])
    _sheet_head(ws, "原因说明", "情况说明中需要说明原因的事项，方向（增加/减少、大于/小于）已写明，只需在“原因”列填写原因。"
                "重新生成时按“键”保留已填写的原因。", headers)
    rows = [(r.key, r.what) for r in needed]
    known = {k for k, _ in rows}
    rows += [(k, "（按现有数据已不需要说明，保留备查）") for k in inputs.with_prefix("原因.") if k not in known]
    for i, (key, what) in enumerate(rows, start=4):
        cells = [put(ws, i, 1, key), put(ws, i, 2, what), put(ws, i, 3, inputs.get(f"原因.{key}"))]
        if earlier:
            cells.append(put(ws, i, 4, inputs.get(f"{PRIOR_REASON}{key}")))
        for c in cells:
            c.border, c.font = _BORDER, Font(name=_FONT, size=10)
            c.alignment = Alignment(vertical="top", wrap_text=True)
        cells[2].protection = _UNLOCKED
        if earlier:
            cells[3].protection = _UNLOCKED  # a reference the officer may copy from, or clear


def update_inputs(path: str | Path, values: dict[str, object]) -> Report:
    """Write inputs into a workbook's 说明数据/原因说明 (regenerating the reason list), keeping a backup
    (<name>.备份.xlsx) and replacing the file atomically. Other sheets are not touched."""
    path = Path(path)
    report = read(path)
    inputs = report.inputs or Inputs()
    for key, raw in values.items():
        value = convert(key, raw, file=path, kind=report.kind)
        if value is None:
            inputs.values.pop(key, None)
        else:
            inputs.values[key] = InputValue(value, inputs.cell(key))
    report.inputs = inputs
    rewrite(path, lambda wb: write_input_sheets(wb, report, inputs))
    return read(path)


def rewrite(path: Path, change: Callable[[Workbook], None]) -> None:
    """Open a workbook file (keeping the VBA of an .xlsm), let `change` replace some of its sheets, keep
    a backup (<name>.备份.xlsx) and replace the file atomically."""
    check_workbook_file(path)  # before openpyxl, which would build an object for every far cell
    try:
        wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    except Exception as exc:
        raise InputError("无法打开工作簿进行写入（文件损坏或被占用）", file=path) from exc
    change(wb)
    atomic_write(path, lambda tmp: wb.save(tmp), backup=True)  # a failure names the workbook or its backup


# ---------------------------------------------------------------- saving

def save_atomic(wb: Workbook, path: str | Path, inputs: OutputInputs = ()) -> Path:
    """Save a workbook without ever leaving a half-written file, never over one of `inputs`
    (see files.atomic_write)."""
    return atomic_write(path, lambda tmp: wb.save(tmp), inputs)


def write_template(layout: str, path: str | Path, unit_name: str = "", year: int | None = None) -> Path:
    """A blank template workbook of a layout (决算 "2024", 预算 "预算2023")."""
    spec = specs.load(layout)
    return save_atomic(build(spec, unit_name=unit_name, year=year), path)
