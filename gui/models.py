"""Qt item models over the session: one sheet in its official layout, the findings (with a filter
proxy), and the editable 说明数据/原因说明 rows. Models answer only what a view asks for, so showing a
table never costs more than the rows on screen."""

from __future__ import annotations

from functools import lru_cache

import msgspec
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from disclosure.acks import ACKNOWLEDGED, acknowledged
from disclosure.amounts import AmountError, parse_amount
from disclosure.checks.engine import ERROR, WARNING, Finding
from disclosure.checks.report import ACK_FILL, SEVERITY_FILL, ack_note
from disclosure.checks.rules.prior import PRIOR_INCOME, PRIOR_SPENDING, unequal_prior_totals
from disclosure.errors import DisclosureError
from disclosure.grid import Sheet, coord
from disclosure.inputs import AMOUNT, INPUT_SHEET, NAMES, REASON_SHEET, convert, field_for

from .wording import place

SEVERITY_BRUSH = {s: QBrush(QColor("#" + c)) for s, c in SEVERITY_FILL.items()}
ACK_BRUSH = QBrush(QColor("#" + ACK_FILL))
DONE_TEXT = QBrush(QColor("#808080"))  # an acknowledged finding reads greyed out
HIGHLIGHT = QBrush(QColor("#9BC2E6"))  # the cells behind a number of the 情况说明
RANK = {"错误": 3, "警告": 2, "提示": 1}


# Qt.DisplayRole and the like cost microseconds per lookup in PySide6, and data() is called for every cell
# and role a view paints: looked up once here
DISPLAY, EDIT, BACKGROUND, FOREGROUND = Qt.DisplayRole, Qt.EditRole, Qt.BackgroundRole, Qt.ForegroundRole
TOOLTIP, ALIGN, USER, HORIZONTAL = Qt.ToolTipRole, Qt.TextAlignmentRole, Qt.UserRole, Qt.Horizontal
SHEET_ROLES = {DISPLAY, BACKGROUND, TOOLTIP, ALIGN}
RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)


@lru_cache(maxsize=None)
def _letters(col: int) -> str:
    return coord(0, col)[:-1]


def money(value) -> str:
    try:
        return f"{parse_amount(value):,.2f}"
    except AmountError:
        return str(value)


class SheetModel(QAbstractTableModel):
    """A sheet as the file holds it, read-only: amounts as #,##0.00, finding cells coloured by their worst
    open severity (green when every finding there is acknowledged) with the messages as tooltip, and the
    cells of a chosen Fact highlighted."""

    def __init__(self, sheet: Sheet, amounts: set[str], findings: dict[str, list[Finding]]):
        super().__init__()
        self.sheet, self.amounts, self.findings = sheet, amounts, findings
        self.width = max((len(r) for r in sheet.rows), default=0)
        self.highlighted: set[str] = set()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self.sheet.height

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self.width

    def data(self, index, role=Qt.DisplayRole):
        if role not in SHEET_ROLES:  # a view asks for a dozen roles per cell as it paints: most have no answer
            return None
        r, c = index.row(), index.column()
        where = coord(r, c)
        if role == DISPLAY:
            value = self.sheet.value(r, c)
            if value is None:
                return None
            return money(value) if where in self.amounts else self.sheet.text(r, c)
        if role == BACKGROUND:
            if where in self.highlighted:
                return HIGHLIGHT
            found = self.findings.get(where)
            if not found:
                return None
            still = [f for f in found if not acknowledged(f)]
            return SEVERITY_BRUSH[max(still, key=lambda f: RANK[f.severity]).severity] if still else ACK_BRUSH
        if role == TOOLTIP:
            found = self.findings.get(where)
            return "\n".join(f"{f.severity} {f.rule}：{f.message}" + (f"（{ack_note(f)}）" if f.ack else "")
                             for f in found) if found else None
        if role == ALIGN and where in self.amounts:
            return RIGHT
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != DISPLAY:  # asked often (each layout of a view): kept cheap
            return None
        return _letters(section) if orientation == HORIZONTAL else str(section + 1)

    def highlight(self, cells: set[str]) -> None:
        if cells or self.highlighted:
            self.highlighted = cells
            self._repaint()

    def mark(self, findings: dict[str, list[Finding]]) -> None:
        """The findings by cell (the checks ran after the sheet was shown)."""
        if findings or self.findings:
            self.findings = findings
            self._repaint()

    def _repaint(self) -> None:
        # not a model reset: that would drop the view's current cell and lay it out again; the views repaint
        # only the cells on screen
        if self.sheet.height and self.width:
            self.dataChanged.emit(self.index(0, 0), self.index(self.sheet.height - 1, self.width - 1),
                                  [BACKGROUND, TOOLTIP])


class _ListModel(QAbstractTableModel):
    """A list of items, one per row, under fixed column titles."""

    COLUMNS: list[str] = []

    def _items(self) -> list:
        raise NotImplementedError

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items())

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == DISPLAY and orientation == HORIZONTAL:
            return self.COLUMNS[section]
        return None


class FindingsModel(_ListModel):
    COLUMNS = ["级别", "规则", "表", "单元格", "说明", "确认"]

    def __init__(self, findings: list[Finding]):
        super().__init__()
        self.findings = findings

    def _items(self) -> list:
        return self.findings

    def data(self, index, role=Qt.DisplayRole):
        f = self.findings[index.row()]
        if role == DISPLAY:
            return [f.severity, f.rule, f.table, place(f.cell), f.message, ack_note(f)][index.column()]
        if role == BACKGROUND and index.column() == 0:
            return SEVERITY_BRUSH[f.severity]
        if role == BACKGROUND and index.column() == 5 and f.ack:
            return ACK_BRUSH if acknowledged(f) else SEVERITY_BRUSH["警告"]
        if role == FOREGROUND and acknowledged(f) and index.column() in (1, 2, 3, 4):
            return DONE_TEXT
        if role == TOOLTIP:
            if f.ack:
                return ack_note(f)
            return f.hint if f.severity == ERROR else f.message
        if role == USER:
            return f
        return None


class FindingsFilter(QSortFilterProxyModel):
    """By severity (open findings of it, or "已确认" for the acknowledged), by table, and by words in the
    rule, cell or message."""

    def __init__(self):
        super().__init__()
        self.severity = self.table = self.words = ""

    def set(self, severity: str | None = None, table: str | None = None, words: str | None = None) -> None:
        new_api = hasattr(self, "beginFilterChange")  # Qt 6.10+; invalidateRowsFilter is deprecated there
        if new_api:
            self.beginFilterChange()
        if severity is not None:
            self.severity = severity
        if table is not None:
            self.table = table
        if words is not None:
            self.words = words.strip()
        if new_api:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row, parent) -> bool:
        f: Finding = self.sourceModel().findings[row]
        if self.severity == ACKNOWLEDGED:
            if not acknowledged(f):
                return False
        elif self.severity and (f.severity != self.severity or acknowledged(f)):
            return False
        if self.table and self.table not in f.table.split("/"):
            return False
        text = f"{f.rule} {f.cell or ''} {f.message} {f.title}"
        return not self.words or self.words in text


class InputRow(msgspec.Struct):
    key: str  # the inputs key: 人员.编制, 原因.收支总计 … (never shown: the label is)
    label: str
    text: str  # as typed / as in the workbook
    original: str
    error: str = ""
    cell: str = ""  # where the value is typed in its sheet: "C8"
    note: str = ""  # a 警告 across items (上年收入总计 ≠ 上年支出总计), shown while typing
    earlier: str = ""  # 原因说明: last year's published reason for the same change (--prior 上年公开.pdf), a reference

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def line(self) -> int:
        """The sheet row of the item (1-based), as a finding or a link names it."""
        return int("".join(ch for ch in self.cell if ch.isdigit()) or 0)


def input_rows(sheets: dict[str, Sheet]) -> tuple[list[InputRow], list[InputRow]]:
    """The rows of 说明数据 (键, 项目, 值) and 原因说明 (键, 事项, 原因) from row 4 on, as the sheets hold them."""
    def rows(name: str, prefix: str) -> list[InputRow]:
        sheet = sheets.get(name)
        out = []
        for r in range(3, sheet.height if sheet else 0):
            key = sheet.text(r, 0)
            if key:
                raw = sheet.value(r, 2)
                text = "" if raw is None else (money(raw) if _is_amount(prefix + key) and not isinstance(raw, str)
                                               else sheet.text(r, 2))
                earlier = sheet.text(r, 3) if name == REASON_SHEET else ""  # the sheet's reference column
                out.append(InputRow(prefix + key, sheet.text(r, 1), text, text, cell=coord(r, 2), earlier=earlier))
        return out

    return rows(INPUT_SHEET, ""), rows(REASON_SHEET, "原因.")


def _is_amount(key: str) -> bool:
    f = field_for(key)
    return bool(f and f.kind == AMOUNT)


# texts typed on several lines: a list of names, or whole paragraphs of the 情况说明
LONG_TEXTS = {"主要职责", "内设机构", "机构改革", "绩效", "其他说明"}


def multiline(key: str) -> bool:
    f = field_for(key)
    return bool(f and (f.kind == NAMES or key in LONG_TEXTS))


def validate(key: str, text: str) -> str:
    """'' when the text is a valid value for the key (or blank), else why not, in Chinese — without the
    internal key the core's message starts with (the window shows the item's label next to it)."""
    try:
        convert(key, text.replace(",", "") if _is_amount(key) else text)
    except DisclosureError as exc:
        return str(exc).replace(f"“{key}”", "", 1)
    return ""


def _amount_or_none(key: str, text: str):
    try:
        return convert(key, text.replace(",", ""))
    except DisclosureError:
        return None


NOTE_BRUSH = SEVERITY_BRUSH[WARNING]
CHANGED_BRUSH = QBrush(QColor("#E2EFDA"))


class InputsModel(_ListModel):
    """The items of 说明数据 or 原因说明: label and value, the value editable and checked as typed (red with
    the reason when invalid, yellow with a note when it disagrees with another item, green once changed)."""

    COLUMNS = ["项目", "值"]

    def __init__(self, rows: list[InputRow], balanced: bool = True, columns: list[str] | None = None):
        super().__init__()
        self.rows = rows
        self.COLUMNS = columns or self.COLUMNS  # 原因说明: 事项, 原因
        self.balanced = balanced  # this year's 01 balances: the 上年 totals must too (rule S07)

    def _items(self) -> list:
        return self.rows

    def reset(self, rows: list[InputRow], balanced: bool = True) -> None:
        self.beginResetModel()
        self.rows, self.balanced = rows, balanced
        self._cross_check()
        self.endResetModel()

    def data(self, index, role=Qt.DisplayRole):
        row = self.rows[index.row()]
        if role in (DISPLAY, EDIT):
            return [row.label, row.text][index.column()]
        if role == BACKGROUND and index.column() == 1:
            if row.error:
                return SEVERITY_BRUSH[ERROR]
            if row.note:
                return NOTE_BRUSH
            if row.changed:
                return CHANGED_BRUSH
        if role == TOOLTIP:
            if row.error or row.note:
                return row.error or row.note
            if row.earlier:  # last year's words for the same change: to copy from, never filled in by itself
                return f"{row.label}\n上年的写法（参考，不会自动采用）：{row.earlier}"
            return row.text if index.column() == 1 and multiline(row.key) and row.text else row.label
        if role == USER:
            return row
        return None

    def flags(self, index):
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return base | Qt.ItemIsEditable if index.column() == 1 else base

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        if role != EDIT or index.column() != 1:
            return False
        row = self.rows[index.row()]
        text = ("" if value is None else str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()  # Excel's and Windows' line ends
        if text == row.text:
            return True
        row.text = text
        row.error = validate(row.key, row.text)
        self.dataChanged.emit(index, index)
        self._cross_check()
        return True

    # ------------------------------------------------------------ across items

    def cross_note(self, key: str, text: str) -> str:
        """The note the item would get if it held `text` (for the editor, before the text is committed)."""
        if key not in (PRIOR_INCOME, PRIOR_SPENDING) or not self.balanced:
            return ""
        texts = {r.key: r.text for r in self.rows if r.key in (PRIOR_INCOME, PRIOR_SPENDING)}
        texts[key] = text
        return unequal_prior_totals(*(_amount_or_none(k, texts.get(k, "")) for k in (PRIOR_INCOME, PRIOR_SPENDING))) or ""

    def _cross_check(self) -> None:
        for i, row in enumerate(self.rows):
            note = self.cross_note(row.key, row.text)
            if note != row.note:
                row.note = note
                self.dataChanged.emit(self.index(i, 0), self.index(i, 1))

    # ------------------------------------------------------------ lookups and results

    def row_at(self, line: int) -> int | None:
        """The model row of the item on that sheet row (1-based), or None."""
        return next((i for i, r in enumerate(self.rows) if r.line == line), None)

    def changes(self) -> dict[str, object]:
        """key → new text (None when cleared), for workbook.update_inputs."""
        return {r.key: (r.text.replace(",", "") if _is_amount(r.key) else r.text) or None
                for r in self.rows if r.changed}

    def errors(self) -> list[InputRow]:
        return [r for r in self.rows if r.error]

    def notes(self) -> list[InputRow]:
        return [r for r in self.rows if r.note]
