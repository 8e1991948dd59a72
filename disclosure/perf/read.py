"""Read 绩效自评表 out of sheet grids — the workbook's own 绩效 sheets and the tables found in an export — into
the model, every figure with its cell.

One reader for both, by structure, never by position: a table starts at its title (…绩效自评表); its 资金 block
is found by its header (全年预算数 · 全年执行数, with 年初预算数 · 分值 · 执行率 · 得分), the 年度总体目标 by
预期目标 / 实际完成情况, the 指标 block by its header (一级 · 二级 · 三级指标 …), the end by 总分. Header text
broken over two or three rows (“年初预 / 算数”) is joined; whitespace inside a cell is ignored; merged 一级 /
二级 cells are filled down. A text where a number belongs stops the reading with the sheet and cell.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import msgspec
from msgspec import field

from ..amounts import AmountError, parse_amount
from ..errors import InputError
from ..grid import Sheet, coord
from ..model import CellRef, Value
from .model import OVERALL, PROJECT, FundRow, Indicator, Performance, PerfTable

from ..workbook import PERF_PREFIX as SHEET_PREFIX  # the workbook's 绩效 sheets: 绩效-整体, 绩效-项目1 …
_DASHES = {"", "—", "——", "-", "--", "－", "/", "―"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_MAX_HEADER_ROWS = 4  # a header row and up to three rows its broken text continues on

# 资金 header roles (tested in this order on a cell's text, whitespace removed, NFKC)
INITIAL, BUDGET, SPENT, WEIGHT, RATE, SCORE = "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"
TASK, CONTENT, DONE = "任务名称", "主要内容", "完成情况"
PART_NAMES = ("财政拨款", "其他资金")  # the 整体 table's split beside 总额
_TOTAL_SUBS = ("总额", "合计", "小计")
# 指标 header roles
LEVEL1, LEVEL2, LEVEL3, TARGET, ACTUAL, DEVIATION = "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", \
    "偏差原因分析及改进措施"


def norm(text: object) -> str:
    """A cell's text for matching: NFKC (full-width brackets and digits), no whitespace at all."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def is_title(text: str) -> bool:
    t = norm(text)
    return t.endswith("自评表") and "绩效" in t and len(t) <= 60


def _fund_role(t: str) -> str | None:
    if not t:
        return None
    if "年度主要任务" in t or "项目资金" in t:
        return None  # the block's own title
    for key in (INITIAL, BUDGET, SPENT, RATE, TASK, CONTENT):
        if key in t:
            return key
    if t.startswith(DONE) or t == DONE:
        return DONE
    if "分值" in t:
        return WEIGHT
    if "得分" in t:
        return SCORE
    if t in _TOTAL_SUBS or t in PART_NAMES:
        return t
    return None


def _indicator_role(t: str) -> str | None:
    if not t:
        return None
    if t.startswith("偏差原因"):
        return DEVIATION
    if "一级指标" in t:
        return LEVEL1
    if "二级指标" in t:
        return LEVEL2
    if "三级指标" in t or "指标内容" in t or t == "指标名称":
        return LEVEL3
    if "指标值" in t:
        return TARGET
    if "完成值" in t or "实际值" in t:
        return ACTUAL
    if "分值" in t:
        return WEIGHT
    if "得分" in t:
        return SCORE
    return None


class _Header(msgspec.Struct):
    row: int  # first header row
    end: int  # first row after the header
    cols: dict[str, int] = field(default_factory=dict)  # role -> column
    parts: dict[str, int] = field(default_factory=dict)  # "全年预算数.财政拨款" -> column (整体)

    @property
    def first_value_col(self) -> int:
        cols = [self.cols[k] for k in (INITIAL, BUDGET, SPENT) if k in self.cols]
        return min(cols) if cols else min(self.cols.values())


class _Region:
    """One table's rows on a sheet: from its title down to the next title (or the sheet's end)."""

    def __init__(self, sheet: Sheet, top: int, bottom: int, title: str, file, fractions: bool):
        self.sheet, self.top, self.bottom, self.title, self.file = sheet, top, bottom, title, file
        self.fractions = fractions  # our own sheets hold 执行率 as a fraction (0.8602, shown 86.02%)
        self.width = max((len(sheet.rows[r]) for r in range(top, bottom)), default=0)
        self.merged_right = {(r1, c1): c2 for r1, c1, r2, c2 in sheet.merged}

    # -- cells
    def text(self, r: int, c: int) -> str:
        return self.sheet.text(r, c)

    def n(self, r: int, c: int) -> str:
        return norm(self.sheet.value(r, c))

    def ref(self, r: int, c: int) -> CellRef:
        return CellRef(self.sheet.name, coord(r, c))

    def error(self, message: str, r: int | None = None, c: int | None = None) -> InputError:
        return InputError(message, file=self.file, sheet=self.sheet.name,
                          cell=coord(r, c) if c is not None and r is not None else None,
                          row=r + 1 if r is not None and c is None else None)

    def number(self, r: int, c: int | None, what: str) -> Value | None:
        """A 分值 / 得分 / amount: None when blank or “—”; a text that is no number is an error with its cell."""
        if c is None:
            return None
        raw = self.sheet.value(r, c)
        if raw is None:
            return None
        if isinstance(raw, str):
            t = norm(raw).replace(",", "")
            if t in _DASHES:
                return None
            if t.endswith("分") and _NUMBER.match(t[:-1]):
                t = t[:-1]
            raw = t
        try:
            return Value(_plain(parse_amount(raw)), self.ref(r, c))
        except AmountError:
            raise self.error(f"{what}应为数字，实为“{self.text(r, c)}”（{self.title}）", r, c) from None

    def rate(self, r: int, c: int | None, budget: Value | None, spent: Value | None) -> Value | None:
        """执行率 in percent (86.02 for “86.02%”). A number cell of an export may hold a fraction (0.8602, shown as a
        percentage) or the percentage (86.02, the % left out): B ÷ A tells which when both are there; else a
        value up to 1 is read as a fraction. Our own sheets always hold the fraction."""
        if c is None:
            return None
        raw = self.sheet.value(r, c)
        if isinstance(raw, str):
            t = norm(raw).replace(",", "")
            if t in _DASHES:
                return None
            t = t.rstrip("%")  # a text is the percentage as printed, “%” or not (“90.38”)
            if not _NUMBER.match(t):
                raise self.error(f"执行率应为百分数，实为“{self.text(r, c)}”（{self.title}）", r, c)
            # as typed: “86.10%” keeps its two places, which P01 judges the rate at (not 86.1 at one)
            return Value(Decimal(t), self.ref(r, c))
        v = self.number(r, c, "执行率")
        if v is None:
            return None
        as_percent = _plain(v.amount * 100)
        if self.fractions:
            return Value(as_percent, v.cell)
        if budget is not None and spent is not None and budget.amount:
            expected = spent.amount / budget.amount * 100
            pick = min((as_percent, v.amount), key=lambda x: abs(x - expected))
            return Value(pick, v.cell)
        return Value(as_percent if v.amount <= 1 else v.amount, v.cell)

    def row_texts(self, r: int) -> list[tuple[int, str]]:
        return [(c, self.text(r, c)) for c in range(self.width) if self.text(r, c)]

    def has_number(self, r: int) -> bool:
        for c in range(self.width):
            raw = self.sheet.value(r, c)
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                return True
            if isinstance(raw, str) and _NUMBER.match(norm(raw).replace(",", "").rstrip("%")):
                return True
        return False

    def number_or_none(self, r: int, c: int) -> Value | None:
        try:
            return self.number(r, c, "")
        except InputError:
            return None

    def find_row_with(self, first: str, second: str, start: int) -> int | None:
        """The first row with a cell containing `first` and one containing `second` (a header)."""
        for r in range(start, self.bottom):
            texts = [norm(t) for _, t in self.row_texts(r)]
            if any(first in t for t in texts) and any(second in t for t in texts):
                return r
        return None

    def find_row(self, test, start: int, end: int | None = None) -> int | None:
        for r in range(start, self.bottom if end is None else end):
            if any(test(norm(t)) for _, t in self.row_texts(r)):
                return r
        return None

    # -- headers
    def header(self, r: int, role) -> _Header:
        """The header starting on row r: its text joined with the rows it continues on (a continuation row has
        no number and makes more columns name a role than before)."""
        texts = {c: self.n(r, c) for c in range(self.width)}
        end = r + 1
        while end < min(self.bottom, r + _MAX_HEADER_ROWS) and not self.has_number(end):
            joined = {c: texts[c] + self.n(end, c) for c in range(self.width)}
            if not any(self.n(end, c) for c in range(self.width)):
                break
            if _count(joined, role) <= _count(texts, role) and not self._subs_below(texts, end):
                break
            texts, end = joined, end + 1
        head = _Header(r, end)
        group = None  # the 全年预算数 / 全年执行数 group a column of subs belongs to (整体)
        for c in range(self.width):
            top, whole = self.n(r, c), texts[c]
            kind = role(whole)
            if role is _fund_role and kind in (BUDGET, SPENT):
                group = kind
                sub = whole[len(top):] if whole.startswith(top) else ""
                sub_role = role(sub)
                if sub_role in PART_NAMES:
                    head.parts[f"{kind}.{sub_role}"] = c
                else:
                    head.cols.setdefault(kind, c)
                continue
            if role is _fund_role and not top and kind in PART_NAMES + _TOTAL_SUBS and group:
                if kind in PART_NAMES:
                    head.parts[f"{group}.{kind}"] = c
                continue
            if top:
                group = None
            if kind and kind not in PART_NAMES + _TOTAL_SUBS:
                head.cols.setdefault(kind, c)
        return head

    def _subs_below(self, texts: dict[int, str], r: int) -> bool:
        """Row r holds the 总额 / 财政拨款 / 其他资金 subs under a 全年预算数 group (整体)."""
        return any(self.n(r, c) in PART_NAMES for c in range(self.width)) and any(
            BUDGET in t or SPENT in t for t in texts.values())

    def labelled(self, r: int, c: int) -> tuple[str, CellRef]:
        """The value beside a label cell (项目名称 → its name): the next text to the right that is no label
        itself, or the cell right after the label when none is printed."""
        after = self.merged_right.get((r, c), c) + 1
        for cc in range(after, self.width):
            t = self.text(r, cc)
            if t:
                if _is_field_label(norm(t)):
                    break
                return t, self.ref(r, cc)
        return "", self.ref(r, after)


def _count(texts: dict[int, str], role) -> int:
    return sum(1 for t in texts.values() if role(t))


_FIELD_LABELS = {"项目名称": "name", "主管部门": "department", "实施单位": "implementer",
                 "部门(单位)名称": "name", "部门名称": "name", "单位名称": "name"}


def _is_field_label(t: str) -> bool:
    return t.rstrip(":") in _FIELD_LABELS


def _plain(d: Decimal) -> Decimal:
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


# ---------------------------------------------------------------- one table

def read_table(region: _Region) -> PerfTable:
    kind = OVERALL if "整体" in norm(region.title) else PROJECT
    table = PerfTable(kind=kind, name="", sheet=region.sheet.name, title=region.title)
    fund_row = region.find_row_with("全年预算", "全年执行", region.top)
    ind_row = region.find_row_with("一级", "二级", region.top if fund_row is None else fund_row)
    if fund_row is None or ind_row is None:
        missing = "资金表头（全年预算数、全年执行数）" if fund_row is None else "指标表头（一级指标、二级指标）"
        raise region.error(f"“{region.title}”中没有找到{missing}，无法读取这张绩效自评表", region.top)
    _read_fields(region, table, fund_row)
    goal_row = region.find_row(lambda t: "预期目标" in t, fund_row, ind_row)
    fund_head = region.header(fund_row, _fund_role)
    for need in (BUDGET, SPENT):
        if need not in fund_head.cols:
            raise region.error(f"“{region.title}”的资金表头中没有“{need}”列", fund_row)
    table.funds = _read_funds(region, fund_head, goal_row if goal_row is not None else ind_row)
    if goal_row is not None:
        table.goal, table.goal_done = _read_goal(region, goal_row, ind_row)
    ind_head = region.header(ind_row, _indicator_role)
    for need in (LEVEL1, LEVEL2, LEVEL3, WEIGHT, SCORE):
        if need not in ind_head.cols:
            raise region.error(f"“{region.title}”的指标表头中没有“{need}”列", ind_row)
    total_row = region.find_row(lambda t: t.startswith("总分"), ind_head.end)
    table.indicators = _read_indicators(region, ind_head, region.bottom if total_row is None else total_row)
    if total_row is not None:
        table.total_weight, table.total_score = _read_total(region, ind_head, total_row)
    return table


def _read_fields(region: _Region, table: PerfTable, end: int) -> None:
    for r in range(region.top + 1, end):
        for c, text in region.row_texts(r):
            t = norm(text)
            inline = re.match(r"^(项目名称|主管部门|实施单位|部门\(单位\)名称|部门名称|单位名称)[:：](.+)$", t)
            key = _FIELD_LABELS.get(t.rstrip(":：")) or (_FIELD_LABELS[inline.group(1)] if inline else None)
            if key is None:
                continue
            if inline:
                value, cell = text.split("：" if "：" in text else ":", 1)[1].strip(), region.ref(r, c)
            else:
                value, cell = region.labelled(r, c)
            if key == "name":
                table.name, table.name_cell = value, cell
            else:
                setattr(table, key, value)


def _read_funds(region: _Region, head: _Header, end: int) -> list[FundRow]:
    cols = head.cols
    first_value = head.first_value_col
    own = {cols.get(CONTENT), cols.get(DONE)}
    value_cols = [cols.get(k) for k in (INITIAL, BUDGET, SPENT, WEIGHT, RATE, SCORE)] + list(head.parts.values())
    funds: list[FundRow] = []
    for r in range(head.end, end):
        if TASK in cols and region.text(r, cols[TASK]):
            label_col = cols[TASK]
        else:  # the label wherever it stands left of the amounts, the block's own title aside
            label_col = next((c for c in range(first_value) if c not in own and region.text(r, c)
                              and not _block_title(norm(region.text(r, c)))), None)
        if label_col is None and not any(c is not None and region.text(r, c) for c in value_cols):
            continue  # a blank row between the rows
        budget = region.number(r, cols.get(BUDGET), BUDGET)
        spent = region.number(r, cols.get(SPENT), SPENT)
        row = FundRow(label=region.text(r, label_col) if label_col is not None else "",
                      initial=region.number(r, cols.get(INITIAL), INITIAL), budget=budget, spent=spent,
                      weight=region.number(r, cols.get(WEIGHT), WEIGHT),
                      rate=region.rate(r, cols.get(RATE), budget, spent),
                      score=region.number(r, cols.get(SCORE), SCORE),
                      content=region.text(r, cols[CONTENT]) if CONTENT in cols else "",
                      done=region.text(r, cols[DONE]) if DONE in cols else "",
                      cell=region.ref(r, label_col if label_col is not None else cols.get(TASK, max(first_value - 1, 0))))
        for key, c in head.parts.items():
            v = region.number(r, c, key.replace(".", "·"))
            if v is not None:
                row.parts[key] = v
        funds.append(row)
    return funds


def _block_title(t: str) -> bool:
    """A fragment of the 资金 block's title in its first column (项目资金（万元）, 年度主要任务完成情况)."""
    return any(k in t for k in ("项目资金", "万元", "年度主要任务", "主要任务")) or t in ("项目", "资金")


def _read_goal(region: _Region, head_row: int, end: int) -> tuple[str, str]:
    goal_col = done_col = None
    for c, text in region.row_texts(head_row):
        t = norm(text)
        if "预期目标" in t and goal_col is None:
            goal_col = c
        elif "完成情况" in t and goal_col is not None and done_col is None:
            done_col = c
    goal, done = [], []
    for r in range(head_row + 1, end):
        for c, text in region.row_texts(r):
            if c >= (done_col if done_col is not None else region.width):
                done.append(text)
            elif goal_col is not None and c >= goal_col:
                goal.append(text)
    return "\n".join(goal), "\n".join(done)


def _read_indicators(region: _Region, head: _Header, end: int) -> list[Indicator]:
    cols = head.cols
    level1 = level2 = ""
    out: list[Indicator] = []
    for r in range(head.end, end):
        if _repeats_header(region, head, r):
            continue  # the header printed again atop the next page: a long block runs on over pages
        t1, t2 = (region.text(r, cols[k]) for k in (LEVEL1, LEVEL2))
        t3, c3 = _under(region, head, r, LEVEL3)
        if t1 and norm(t1) != norm(level1):
            level1, level2 = t1, ""
        if t2:
            level2 = t2
        weight = region.number(r, cols[WEIGHT], f"指标“{t3 or t2}”的分值")
        score = region.number(r, cols[SCORE], f"指标“{t3 or t2}”的得分")
        found = {k: _under(region, head, r, k) for k in (TARGET, ACTUAL, DEVIATION) if k in cols}
        texts = {k: found[k][0] if k in found else "" for k in (TARGET, ACTUAL, DEVIATION)}
        if not (t2 or t3 or weight or score or any(texts.values())):
            continue  # a blank row, or a row printing only the merged 一级 label
        out.append(Indicator(level1=level1, level2=level2, level3=t3, target=texts[TARGET],
                             actual=texts[ACTUAL], weight=weight, score=score, deviation=texts[DEVIATION],
                             cell=region.ref(r, c3), text_cells={k: region.ref(r, c) for k, (_, c) in found.items()}))
    return out


def _repeats_header(region: _Region, head: _Header, r: int) -> bool:
    """A row that is the 指标 header again (分值 and 得分 under their own titles): no indicator's figures."""
    return all(_indicator_role(region.text(r, head.cols[k])) == k for k in (WEIGHT, SCORE))


def _under(region: _Region, head: _Header, r: int, role: str) -> tuple[str, int]:
    """The text under a header that spans several columns (指标内容 merged over three), and its column: the first
    text from the header's column up to the next header's. A sheet keeps it in the first column of the span; a PDF
    where it is printed, in the middle."""
    c = head.cols[role]
    stop = min((x for x in head.cols.values() if x > c), default=region.width)
    return next(((t, x) for x in range(c, stop) if (t := region.text(r, x))), ("", c))


def _read_total(region: _Region, head: _Header, r: int) -> tuple[Value | None, Value | None]:
    weight = region.number(r, head.cols[WEIGHT], "总分的分值")
    score = region.number(r, head.cols[SCORE], "总分的得分")
    if weight is None and score is None:  # printed off the columns: the row's last two numbers
        found = [v for c in range(region.width) if (v := region.number_or_none(r, c)) is not None]
        if len(found) >= 2:
            weight, score = found[-2], found[-1]
    return weight, score


# ---------------------------------------------------------------- sheets

def read_sheet(sheet: Sheet, file=None, fractions: bool = False) -> list[PerfTable]:
    """Every 绩效自评表 on a sheet, in order."""
    titles = [(r, text) for r in range(sheet.height) for c in range(len(sheet.rows[r]))
              if (text := sheet.text(r, c)) and is_title(text)]
    tables = []
    for i, (top, title) in enumerate(titles):
        bottom = titles[i + 1][0] if i + 1 < len(titles) else sheet.height
        tables.append(read_table(_Region(sheet, top, bottom, norm(title), file, fractions)))
    return tables


def collect(tables: list[PerfTable], file=None) -> Performance | None:
    perf = Performance()
    for t in tables:
        if t.kind == OVERALL:
            if perf.overall is not None:
                raise InputError(f"有两张整体支出绩效自评表（工作表“{perf.overall.sheet}”和“{t.sheet}”），请只保留一张",
                                 file=file)
            perf.overall = t
        else:
            perf.projects.append(t)
    return perf or None


def is_perf_sheet(name: str) -> bool:
    return name.startswith(SHEET_PREFIX)


def read_workbook(sheets: list[Sheet], file: Path | None = None) -> Performance | None:
    """The workbook's own 绩效 sheets (绩效-整体, 绩效-项目1 …); None when it has none."""
    tables: list[PerfTable] = []
    for sheet in sheets:
        if not is_perf_sheet(sheet.name):
            continue
        found = read_sheet(sheet, file, fractions=True)
        if not found:
            raise InputError("绩效工作表中没有找到“…绩效自评表”标题（第 1 行），无法读取", file=file, sheet=sheet.name)
        tables += found
    return collect(tables, file)


def is_perf_only(sheet: Sheet) -> bool:
    """A sheet that opens with a 绩效自评表 title (in its first rows): a 绩效 sheet of an export, which the 公开表
    reader and the unit/year guess must not look at (its “（2023年度）” is the 绩效 year, not the 决算's)."""
    for r in range(min(sheet.height, 4)):
        for c in range(len(sheet.rows[r])):
            text = sheet.text(r, c)
            if text and is_title(text):
                return True
    return False


def find_in_export(sheets: list[Sheet], file: Path | None = None) -> Performance | None:
    """The 绩效自评表 anywhere in an export (one per sheet or several on one), by their titles."""
    return collect([t for sheet in sheets for t in read_sheet(sheet, file)], file)
