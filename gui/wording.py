"""The window's own words for what the core says for every front end: no internal key ("上年.收入总计"),
no address of a 说明数据 cell (the window shows those sheets as lists of items, not as cells), no
command-line option (--force): the window has its own button for each."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from disclosure.inputs import INPUT_SHEET, REASON_SHEET, field_for
from disclosure.model import CellRef

if TYPE_CHECKING:
    from disclosure.export import ExportRefused

INPUT_SHEETS = (INPUT_SHEET, REASON_SHEET)
TEXT_ERRORS_SHOWN = 5  # the 情况说明's 错误 named in the refusal itself (the rest under 显示详细信息)
_QUOTED = re.compile(r"“([^”]+)”")
_INPUT_CELL = re.compile(rf"[（(]?(?:{INPUT_SHEET}|{REASON_SHEET})!\$?[A-Z]{{1,3}}\$?[0-9]+[）)]?")


def label(key: str) -> str:
    f = field_for(key)
    return f.label if f else key


def plain(text: str) -> str:
    """A core message as the window says it: “上年.收入总计” → “上年决算 收入总计（公开01表）”, and no
    "（说明数据!C35）" (formulas: tabs.readable)."""
    text = _QUOTED.sub(lambda m: f"“{label(m.group(1))}”" if field_for(m.group(1)) else m.group(0), text)
    return _INPUT_CELL.sub("", text)


# the command line's way to settle what an import could not tell, and the window's (the start page's 表样 list)
_OPTIONS = re.compile(r"请用 --year(?: 和 --region)? 指定")


def options(message: str) -> str:
    """A core message that names a command-line option, as the window says it."""
    return _OPTIONS.sub("请在首页“表样”中选定地区和年度的表样后再导入", message)


def place(ref: CellRef | None) -> str:
    """Where a finding or a number is, as the window shows it: a table cell by its address, an item of
    说明数据/原因说明 by its sheet (the message names the item; the list has no addresses)."""
    if ref is None:
        return ""
    return ref.sheet if ref.sheet in INPUT_SHEETS else str(ref)


def refusal(error: "ExportRefused") -> str:
    """The export refusal (ExportRefused), told to a window user: its first sentence (the counts), where each
    kind of 错误 is found and mended here — the tables' on the 校验 page; the 情况说明's, which no page lists,
    named here (the first few) and mended in what the text is made of — and no command-line advice."""
    counts = str(error).split("。")[0]  # "校验发现 3 条表格错误、0 条情况说明错误，未导出"
    where = []
    if error.table_errors:
        where.append("表格的错误请在“校验”页查看并改正（双击或回车跳到单元格），核实无误的可右键“确认此问题”。")
    if error.text_errors:
        shown = [f"  · {plain(line)}" for line in error.problems[error.table_errors:][:TEXT_ERRORS_SHOWN]]
        more = error.text_errors - len(shown)
        where.append("情况说明的错误出在所填的说明数据或原因（正文由它们生成），请在“说明数据/原因”页改正：\n"
                     + "\n".join(shown) + (f"\n  ……另有 {more} 条，见“显示详细信息”" if more > 0 else ""))
    return (f"{counts}。\n" + "\n".join(where) + "\n改正后重新导出。如确需先导出，点“仍然导出”"
            "（校验报告首页会注明有错误，不得作为正式公开文件）。")


def save_failure(name: str, message: str) -> str:
    """A save that did not happen (folder read-only, file open in Excel/WPS): what happened, that nothing
    is lost, and what to do."""
    return (f"未能保存到“{name}”。\n{plain(message)}\n\n屏幕上的修改还在，没有丢失，原文件也未改动。"
            "如果这个工作簿正在 Excel 或 WPS 中打开，请先关闭它再点“重试”；也可以“另存为”到其他位置。")
