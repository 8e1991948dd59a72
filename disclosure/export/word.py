"""The disclosure document in Word: 封面, 目录, 第一部分 部门概况, 第二部分 情况说明 (with charts),
第三部分 the nine tables in the official layout, 第四部分 名词解释, 第五部分 附件.

Formatting follows GB/T 9704 (党政机关公文格式): A4, title in 小标宋 二号, headings 黑体 (一、) and 楷体
(（一）) 三号, body 仿宋 三号 at a fixed 28 pt line, page numbers centred in the footer: the cover has none,
the 目录 counts in roman numerals and the body starts at page 1. Font names come from the style's
style.yaml with a fallback each (written to the font table as altName). Tables that are wider than
six columns get a landscape section of their own; a table's label columns are widened (or its font made
smaller, within the style's limits) so that no label wraps leaving one character alone on a line.
A draft — placeholders left in the text, or an export forced past 错误 — says "草稿" on the cover and in
the header of every page.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timezone
from io import BytesIO
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import (WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING, WD_TAB_ALIGNMENT,
                             WD_TAB_LEADER)
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
import msgspec

from .. import __version__, tablegrid
from ..errors import DisclosureError
from ..model import Report, Table
from ..narrative.render import Document
from ..tablegrid import text_em
from . import perfgrid, wordxml
from .packagestyle import package_settings

LANDSCAPE_FROM_COLUMNS = 7  # a table with this many columns or more is printed landscape
SIZE = {"二号": 22, "小二": 18, "三号": 16, "四号": 14, "五号": 10.5, "小五": 9}
BODY_LINE = Pt(28)  # 22 lines a page in 三号, as GB/T 9704 asks
TABLE_LINE = Pt(11)
PLACEHOLDER = re.compile(r"(【待填写：[^】]*】)")
DRAFT = "草稿"
DRAFT_HEADER = "草稿　未定稿，不得作为正式公开文件"
CELL_PADDING_PT = 10.8  # the default table style's 108 twips left and right in every cell
# a table of many narrow columns (the 整体支出绩效自评表's thirteen) keeps 57 twips a side: its figures fit unbroken
DENSE_COLUMNS, DENSE_MARGIN_TWIPS = 12, 57
DENSE_PADDING_PT = 2 * DENSE_MARGIN_TWIPS / 20
TABLE_SIZE, TABLE_MIN_SIZE = SIZE["小五"], 7.5  # table text, and how small it may get to fit labels
COVER_REVIEWS = ("保密审查情况", "主要负责人审签情况")  # 说明数据 printed on the cover when filled (陕西)
SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。；，]{1,30}$")  # （一）主要职责


class Fonts(msgspec.Struct):
    title: str
    heading1: str
    heading2: str
    heading3: str
    body: str
    table: str
    fallbacks: dict[str, str]

    @classmethod
    def from_style(cls, config: dict) -> "Fonts":
        pairs = config.get("fonts") or {}
        default = {"title": ["宋体", "宋体"], "heading1": ["黑体", "黑体"], "heading2": ["黑体", "黑体"],
                   "heading3": ["楷体", "楷体"], "body": ["仿宋", "仿宋"], "table": ["宋体", "宋体"]}
        chosen = {k: list(pairs.get(k) or v) for k, v in default.items()}
        return cls(**{k: v[0] for k, v in chosen.items()}, fallbacks={v[0]: v[-1] for v in chosen.values()})


def empty_note(report: Report, table: Table, config: dict, words=lambda text: text) -> str:
    """'说明：X2024年度没有政府性基金预算财政拨款收入支出，故本表无数据。' (决算), '本部门无政府性基金预算收支，
    此表为空表。' (预算 表9): the style's note for this table, else its note for any table (packagestyle.py)."""
    package = package_settings(report.kind, config)
    template = (package.get("empty_notes") or {}).get(table.spec.id) or package["empty_note"]
    return words(template).format(unit=report.unit_name, year=report.year, subject=_subject(table.spec.title))


def _subject(title: str) -> str:
    """What a table is about, from its title: '政府性基金预算财政拨款收入支出' (…决算表), '政府性基金收支'
    (部门综合预算…表)."""
    if title.endswith("决算表"):
        return title[:-3]
    for prefix in ("部门综合预算", "部门预算"):
        title = title.removeprefix(prefix)
    return title.removesuffix("预算表").removesuffix("表")


def in_order(report: Report) -> list[tuple[str, Table]]:
    """The report's tables in the order of its layout (表2 before 表10), as they are printed."""
    order = {tid: i for i, tid in enumerate(report.spec.tables)}
    return sorted(report.tables.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def is_landscape(grid: tablegrid.Grid) -> bool:
    return grid.ncols >= LANDSCAPE_FROM_COLUMNS


def is_draft(narrative: Document) -> bool:
    """Text still holding a 【待填写：…】 placeholder is a draft."""
    return any(PLACEHOLDER.search(p) for part in narrative.parts for s in part.sections for p in s.paragraphs)


# ------------------------------------------------------------ table column widths

def title_lines(title: str, width_pt: float, size: float) -> tuple[list[str], float]:
    """A table's title as it prints over the table: one line when it fits; else broken before its “（按…）” when
    both parts fit, else set smaller on one line (down to 四号), else broken after a “、”/“及” near the middle —
    never mid-word as the line would wrap (“…（按支出功能分” / “类科目）”). One line where possible: a reader of
    the PDF finds a table by its title."""
    if text_em(title) * size <= width_pt:
        return [title], size
    at = title.rfind("（")
    if at > 0 and all(text_em(x) * size <= width_pt for x in (title[:at], title[at:])):
        return [title[:at], title[at:]], size
    if width_pt / text_em(title) >= SIZE["四号"]:
        return [title], width_pt / text_em(title)
    middle = len(title) / 2
    places = [i + 1 for i, ch in enumerate(title) if ch in "、及和" and 0 < i < len(title) - 2]
    if not places:
        return [title], SIZE["四号"]
    at = min(places, key=lambda i: abs(i - middle))
    lines = [title[:at], title[at:]]
    return lines, min(size, max(SIZE["四号"], width_pt / max(text_em(x) for x in lines)))


def leaves_one_alone(text: str, width_pt: float, size_pt: float, padding: float = CELL_PADDING_PT) -> bool:
    """Whether text wraps in a cell of width_pt leaving a single character on its last line. A width
    within a few points of a whole number of characters is judged both ways (the estimate is not exact)."""
    room = (width_pt - padding) / size_pt
    em = text_em(text)
    for per_line in {math.floor(room - 0.15), math.floor(room + 0.15)}:
        if per_line < 1:
            return len(text) > 1
        if em <= per_line:
            continue
        lines = math.ceil(em / per_line)
        if em - (lines - 1) * per_line < 1.5:
            return True
    return False


Texts = dict[int, list[str]]


# a text cell that is one figure, which must not break over two lines either: a 科目代码, “2024年”, a 绩效 indicator's
# “≥95%”, “≤2485.52万元”, “25人”
FIGURE_TEXT = re.compile(r"[≥≤＞＜><=]*\s*-?[\d,.]+\s*(?:%|％|万元|元|人次|人|次|个|天|年|分|项)?")


def figure_em(text: str) -> float:
    """A figure's width in em: a Chinese font sets “≤”, “≥” full width (text_em counts them as a digit)."""
    return text_em(text) + 0.45 * sum(text.count(sign) for sign in "≤≥")


def _column_texts(grid: tablegrid.Grid) -> tuple[Texts, Texts, list[tuple[int, int, str]]]:
    """Per column: the texts of its one-column cells that may wrap (headers, labels) and its amounts (with the
    text cells that are one figure); and the merged cells as (first column, last column, text)."""
    labels: dict[int, list[str]] = {c: [] for c in range(grid.ncols)}
    amounts: dict[int, list[str]] = {c: [] for c in range(grid.ncols)}
    spans: list[tuple[int, int, str]] = []
    for g in grid.cells:
        text = _cell_text(g, "")
        if not text:
            continue
        if g.cols != 1:
            spans.append((g.col, g.col + g.cols - 1, text))
        elif g.kind == tablegrid.AMOUNT or FIGURE_TEXT.fullmatch(text.strip()):
            amounts[g.col].append(text)
        else:
            labels[g.col].append(text)
    return labels, amounts, spans


TABLE_HEADING_PT = 48  # a table's heading paragraph: its number, a line break, the 小二 title
ROW_EXTRA_PT = 0.5  # a table row over its line: its borders (11.5 pt a row as LibreOffice prints 11-pt lines)
CLOSEST_LINE_PT = 8.5  # how close the rows of a long table may be set (TABLE_LINE is 11; 7.5-pt text still clear)


def closer_lines(grid: tablegrid.Grid, room: float) -> float | None:
    """The exact line height (pt) that keeps a table a few rows too long for `room` on its page, or None: the
    table fits as it is, or is too long to fit at CLOSEST_LINE_PT and goes on over pages (its header repeated)."""
    line = TABLE_LINE.pt
    lines = grid.nrows + grid.header_depth  # a header row often wraps to two lines
    if lines * (line + ROW_EXTRA_PT) <= room:
        return None
    fitted = room / lines - ROW_EXTRA_PT
    return round(fitted, 1) if fitted >= CLOSEST_LINE_PT else None


PERF_KEEP_ROWS = 1  # a 绩效自评表's 指标 header kept with the first indicator (the head keeps with both)
FIGURE_MIN_SIZE = 7.5  # pt: how small a table's font may get so that no figure breaks over two lines


def fit_columns(grid: tablegrid.Grid, widths: list[float], size: float = TABLE_SIZE,
                min_size: float = TABLE_MIN_SIZE, zero: str = "", padding: float = CELL_PADDING_PT
                ) -> tuple[list[float], float]:
    """Column widths (pt, same total) and a font size at which no label or header leaves one character
    alone on its last line and every amount fits on one line: columns that need it get wider, the others
    give what they can spare; if that is not enough, the font gets half a point smaller, down to
    min_size. Returns the best found (the given widths at min_size when nothing fits)."""
    labels, amounts, spans = _column_texts(grid)
    amounts = {c: v + ([zero] if zero and v else []) for c, v in amounts.items()}

    def figures_fit(col: int, w: float, sz: float) -> bool:
        room = w - padding
        if room < 2 * sz:  # two characters a line at least: a column giving way is never squeezed to nothing
            return False
        if any(figure_em(a) * sz > room - sz * 0.3 for a in amounts[col]):
            return False
        # a merged cell holding one figure is judged on its last column, the others at their given widths
        return not any(figure_em(t) * sz > room + sum(widths[first:col]) - sz * 0.3
                       for first, last, t in spans if last == col and FIGURE_TEXT.fullmatch(t.strip()))

    def labels_fit(col: int, w: float, sz: float) -> bool:
        return figures_fit(col, w, sz) and not any(leaves_one_alone(t, w, sz, padding) for t in labels[col])

    def fine(col: int, w: float, sz: float) -> bool:
        # a merged cell is judged on its last column, the others at their given widths
        return labels_fit(col, w, sz) and not any(leaves_one_alone(t, w + sum(widths[first:col]), sz, padding)
                                                  for first, last, t in spans if last == col)

    # every label unbroken if it can be; else those of one column; else at least no figure broken over two lines,
    # in a font down to FIGURE_MIN_SIZE if need be (a 绩效自评表's thirteen columns on a portrait page: “9.8|4”,
    # “97.9|5%”, “≤2485|.52|万元” in its score, rate and target columns at the style's smallest size)
    for check, smallest in ((fine, min_size), (labels_fit, min_size), (figures_fit, min(min_size, FIGURE_MIN_SIZE))):
        sz = size
        while sz >= smallest - 1e-9:
            fitted = _fit(widths, sz, check)
            if fitted is not None:
                return fitted, sz
            sz -= 0.5
    return list(widths), min_size


def _fit(widths: list[float], size: float, fine) -> list[float] | None:
    step = 0.5
    out = list(widths)
    need = 0.0
    grown = set()
    for col, w in enumerate(widths):
        if fine(col, w, size):
            continue
        wider = next((w + k * step for k in range(1, 400) if fine(col, w + k * step, size)), None)
        if wider is None:
            return None
        out[col] = wider
        need += wider - w
        grown.add(col)
    if not need:
        return out
    donors = sorted((c for c in range(len(widths)) if c not in grown), key=lambda c: -widths[c])
    for col in donors:
        w = widths[col]
        give = next((d * step for d in range(int(need / step), 0, -1) if fine(col, w - d * step, size)), 0.0)
        out[col] = w - give
        need -= give
        if need <= 1e-6:
            return out
    return None


# ------------------------------------------------------------ the document


class WordBuilder:
    def __init__(self, report: Report | None, narrative: Document, config: dict, charts: dict[str, bytes],
                 day: date | None = None, draft: bool = False):
        self.report, self.narrative, self.config = report, narrative, config
        self.package = package_settings(report.kind if report is not None else None, config)
        self.charts = charts
        self.day = day or getattr(narrative, "cover_date", None) or date.today()
        self.fonts = Fonts.from_style(config)
        self.draft = draft or is_draft(narrative)
        self.zero = zero_print(config, narrative)
        self.doc = new_document()
        self.style_ids: dict[str, str | None] = {}
        self.default_styles: dict = {}
        wording = getattr(narrative, "wording", None)
        self.words = wording.words if wording is not None else (lambda text: text)
        accounts = getattr(wording, "accounts", "部门决算")
        self.placed: set[str] = set()  # the charts put into the text (a chart without its section is not)
        if report is not None:
            self.names = {"year": report.year, "unit": report.unit_name}
            self.document = document_name(report, config, narrative)
            self.grids = {tid: tablegrid.layout(t.spec, t.rows) for tid, t in in_order(report)}
        else:
            self.names, self.grids, self.document = {}, {}, accounts
        # 绩效自评表: inside 十三 after the paragraph each belongs to (inline), or in 第五部分 附件 (appendix)
        self.perf = perfgrid.tables_by_sheet(report)
        self.perf_place = perf_place(self.package)

    # ------------------------------------------------------------ whole document

    def build(self) -> None:
        self._styles()
        self._cover()
        contents = self.doc.add_section(WD_SECTION.NEW_PAGE)
        wordxml.page_setup(contents, landscape=False)
        wordxml.restart_page_numbers(contents)
        wordxml.page_number_format(contents, "upperRoman")
        self._footer(contents)
        self._toc()
        body = self.doc.add_section(WD_SECTION.NEW_PAGE)  # the body starts at page 1
        wordxml.page_setup(body, landscape=False)
        wordxml.restart_page_numbers(body)
        wordxml.page_number_format(body, "decimal")
        before, after = self._parts_around_tables()
        self._narrative(first_on_new_page=False, parts=before)
        self._tables(more_text=bool(after))
        self._narrative(first_on_new_page=False, parts=after)
        self._glossary_and_attachments()
        self._finish(self.narrative.title, self.report.unit_name)

    def _parts_around_tables(self) -> tuple[list, list]:
        """The text parts printed before the tables and after them: style.yaml `package.tables_after` = how many
        text parts come first (上海: 第一部分 概况, then 第二部分 the tables, then 第三部分 情况说明); by default all."""
        parts = list(self.narrative.parts)
        after = self.package.get("tables_after")
        if after is None:
            return parts, []
        if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= len(parts):
            style = getattr(self.narrative, "style", "")
            raise DisclosureError(f"文风“{style}”的 style.yaml：package.tables_after 应为 0 到 {len(parts)} 之间的整数"
                                  f"（表格前的文字部分数），实为“{after}”")
        return parts[:after], parts[after:]

    def build_narrative(self) -> None:
        """Only the narrative parts, typeset as in the package (`disclosure narrative -o x.docx`)."""
        self._styles()
        section = self.doc.sections[0]
        wordxml.page_setup(section, landscape=False)
        wordxml.restart_page_numbers(section)
        self._footer(section)
        if self.draft:
            self._draft_header(section)
        title = self._para(self.narrative.title, font=self.fonts.title, size=SIZE["二号"],
                           align=WD_ALIGN_PARAGRAPH.CENTER)
        title.paragraph_format.first_line_indent = Pt(0)
        title.paragraph_format.line_spacing = Pt(40)
        title.paragraph_format.space_after = Pt(12)
        self._narrative(first_on_new_page=False)
        self._finish(self.narrative.title, "")

    def _finish(self, title: str, author: str) -> None:
        if self.report is not None:  # the TOC: Word fills it in when it opens the file
            wordxml.update_fields_on_open(self.doc)
        wordxml.set_language_settings(self.doc)
        wordxml.remove_unused_styles(self.doc)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        wordxml.set_package_properties(self.doc, title=title, author=author, created=now,
                                       application=f"决算公开助手 {__version__}")

    def save(self, path: str | Path) -> None:
        self.doc.save(str(path))

    # ------------------------------------------------------------ styles

    def _styles(self) -> None:
        f, doc = self.fonts, self.doc
        wordxml.set_doc_defaults(doc, f.body)
        wordxml.add_font_fallbacks(doc, f.fallbacks)
        normal = doc.styles["Normal"]
        wordxml.set_fonts(normal.element, f.body)
        normal.font.size = Pt(SIZE["三号"])
        pf = normal.paragraph_format
        pf.first_line_indent = Pt(SIZE["三号"] * 2)
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, BODY_LINE
        pf.space_before = pf.space_after = Pt(0)
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for level, font in ((1, f.heading1), (2, f.heading2), (3, f.heading3)):
            style = doc.styles[f"Heading {level}"]
            wordxml.set_fonts(style.element, font)
            style.font.size = Pt(SIZE["三号"])
            style.font.bold = False
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            hf = style.paragraph_format
            hf.line_spacing_rule, hf.line_spacing = WD_LINE_SPACING.EXACTLY, BODY_LINE
            hf.space_before, hf.space_after = Pt(12 if level == 1 else 0), Pt(12 if level == 1 else 0)
            hf.keep_with_next = True
            hf.first_line_indent = Pt(0) if level == 1 else Pt(SIZE["三号"] * 2)
            hf.alignment = WD_ALIGN_PARAGRAPH.CENTER if level == 1 else WD_ALIGN_PARAGRAPH.LEFT
        # tables and pictures need their own style: the body's indent and exact line spacing would wrap
        # numbers inside cells and clip images
        for name, font, size in (("表格文字", f.table, SIZE["小五"]), ("图表", f.body, SIZE["五号"]),
                                 ("表注", f.table, SIZE["小五"])):
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            wordxml.set_fonts(style.element, font)
            style.font.size = Pt(size)
            sf = style.paragraph_format
            sf.first_line_indent = Pt(0)
            sf.line_spacing_rule = WD_LINE_SPACING.SINGLE
            sf.alignment = WD_ALIGN_PARAGRAPH.LEFT
        self.table_style = doc.styles["表格文字"].style_id
        # a fixed line keeps 04 and 06 (33 rows and more) on one landscape page
        table_text = doc.styles["表格文字"].paragraph_format
        table_text.line_spacing_rule, table_text.line_spacing = WD_LINE_SPACING.EXACTLY, TABLE_LINE
        doc.styles["图表"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._toc_styles()

    def _toc_styles(self) -> None:
        """TOC 1 (parts, 黑体) and TOC 2 (sections and tables, 仿宋), 三号 like the text they list, with the
        dotted right tab for the page number. Word and LibreOffice apply them when they fill the TOC."""
        doc, f = self.doc, self.fonts
        margins = wordxml.TEXT_MARGINS
        width = Mm(210) - margins["left"] - margins["right"]  # the portrait A4 text width
        for level, font in ((1, f.heading1), (2, f.body)):
            style = doc.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.element.get_or_add_name().set(qn("w:val"), f"toc {level}")  # Word's built-in name
            style.element.set(qn("w:styleId"), f"TOC{level}")
            style.element.attrib.pop(qn("w:customStyle"), None)  # built in, not a style of our own
            style.base_style = doc.styles["Normal"]
            style.element.get_or_add_uiPriority().set(qn("w:val"), "39")
            wordxml.set_fonts(style.element, font)
            style.font.size = Pt(SIZE["三号"])
            tf = style.paragraph_format
            tf.first_line_indent = Pt(0)
            tf.left_indent = Pt(SIZE["三号"] * 2 * (level - 1))
            tf.alignment = WD_ALIGN_PARAGRAPH.LEFT
            tf.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        self.toc_styles = {1: "TOC1", 2: "TOC2"}

    def _style_id(self, name: str) -> str | None:
        """What Paragraph.style = name writes, looked up once: python-docx scans all the styles of the
        document for the default one on every assignment (it was half of the Word stage)."""
        if name not in self.style_ids:
            style = self.doc.styles[name]
            if style.type not in self.default_styles:  # another scan of all the styles: once per type
                self.default_styles[style.type] = self.doc.styles.default(style.type)
            self.style_ids[name] = None if style == self.default_styles[style.type] else style.style_id
        return self.style_ids[name]

    def _paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """doc.add_paragraph(text, style), with the style id from _style_id."""
        p = self.doc.add_paragraph(text)
        if style is not None:
            p._p.style = self._style_id(style)
        return p

    def _heading(self, text: str, level: int) -> Paragraph:
        return self._paragraph(text, f"Heading {level}")

    def _para(self, text: str = "", style: str | None = None, *, font: str | None = None, size: float | None = None,
              align=None, bold: bool = False) -> Paragraph:
        p = self._paragraph(style=style)
        if text:
            run = p.add_run(text)
            run.bold = bold or None
            if font:
                wordxml.set_fonts(run._r, font)
            if size:
                run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        return p

    # ------------------------------------------------------------ 封面, 目录, 页码, 草稿

    def _cover(self) -> None:
        section = self.doc.sections[0]
        wordxml.page_setup(section, landscape=False)
        r = self.report
        first = self._para(r.unit_name, font=self.fonts.title, size=SIZE["二号"], align=WD_ALIGN_PARAGRAPH.CENTER)
        first.paragraph_format.space_before = Pt(160)
        first.paragraph_format.first_line_indent = Pt(0)
        first.paragraph_format.line_spacing = Pt(40)
        second = self._para(self.document, font=self.fonts.title, size=SIZE["二号"],
                            align=WD_ALIGN_PARAGRAPH.CENTER)
        second.paragraph_format.first_line_indent = Pt(0)
        second.paragraph_format.line_spacing = Pt(40)
        if self.draft:
            self._draft_header(section)  # later sections inherit the header
            mark = self._para(f"（{DRAFT}）", font=self.fonts.heading1, size=SIZE["二号"],
                              align=WD_ALIGN_PARAGRAPH.CENTER)
            mark.paragraph_format.first_line_indent = Pt(0)
            mark.paragraph_format.space_before = Pt(24)
            mark.runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)
        reviews = [f"{key}：{str(value).strip()}" for key in COVER_REVIEWS
                   if r.inputs is not None and (value := r.inputs.get(key)) not in (None, "")]
        for i, text in enumerate(reviews):  # 陕西: 保密审查情况：已审查 / 主要负责人审签情况：已审签
            line = self._para(text, font=self.fonts.body, size=SIZE["三号"], align=WD_ALIGN_PARAGRAPH.CENTER)
            line.paragraph_format.first_line_indent = Pt(0)
            line.paragraph_format.space_before = Pt(36 if i == 0 else 6)
        when = self._para(f"{self.day.year}年{self.day.month}月", align=WD_ALIGN_PARAGRAPH.CENTER)
        when.paragraph_format.space_before = Pt((200 if self.draft else 260) - 40 * len(reviews))
        when.paragraph_format.first_line_indent = Pt(0)

    def _draft_header(self, section) -> None:
        """'草稿　未定稿，不得作为正式公开文件' in red at the top of every page."""
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        run = p.add_run(DRAFT_HEADER)
        wordxml.set_fonts(run._r, self.fonts.heading1)
        run.font.size = Pt(SIZE["四号"])
        run.font.color.rgb = RGBColor(0xC0, 0, 0)

    def _footer(self, section) -> None:
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        p.add_run("— ")
        wordxml.add_field(p, "PAGE", "1")
        p.add_run(" —")
        for run in p.runs:
            wordxml.set_fonts(run._r, self.fonts.table)
            run.font.size = Pt(SIZE["四号"])

    def _headings(self) -> list[tuple[int, str]]:
        """Level-1 and level-2 headings in document order: the TOC shown before Word updates it, as
        Word and LibreOffice write the entries (a table's number, a space, its title)."""
        def text(parts) -> list[tuple[int, str]]:
            return [entry for part in parts
                    for entry in [(1, part.title), *((2, s.title) for s in part.sections if s.title)]]

        before, after = self._parts_around_tables()
        out = text(before)
        if self._part_title("tables_title"):
            out.append((1, self._part_title("tables_title")))
        out += [(2, g.spec.printed_heading) for g in self.grids.values()]
        out += text(after)
        out += [(1, self._part_title(key)) for key in ("glossary_title", "attachments_title") if self._part_title(key)]
        return out

    def _part_title(self, key: str) -> str:
        """A heading of the package's own parts ("" when the style has none: the 预算 has no 第四部分)."""
        return self.words(self.package.get(key) or "").format(**self.names)

    def _toc(self) -> None:
        title = self._para("目　　录", font=self.fonts.heading1, size=SIZE["二号"], align=WD_ALIGN_PARAGRAPH.CENTER)
        title.paragraph_format.first_line_indent = Pt(0)
        title.paragraph_format.space_after = Pt(12)
        entries = self._headings()
        for i, (level, text) in enumerate(entries):
            p = self._paragraph(style=f"toc {level}")
            if i == 0:  # the field's result spans the entries; Word and LibreOffice replace it
                wordxml.begin_field(p, r'TOC \o "1-2" \h \z \u')
            p.add_run(text)
            if i == len(entries) - 1:
                wordxml.end_field(p)

    # ------------------------------------------------------------ 第一、二部分

    def _narrative(self, first_on_new_page: bool = True, parts: list | None = None) -> None:
        places = self.package.get("charts") or {}
        figures = len(self.placed)  # the text may come in two runs (tables_after): numbering goes on
        ids = {s.id for p in self.narrative.parts for s in p.sections}

        def place(heading: str, section_id: str | None = None) -> None:
            """The charts placed after a section (by its id, or its title's start) or a sub-heading (its start).
            A key that is a section's id names that section only: “二” is not 第一部分's “二、部门机构设置…”."""
            nonlocal figures
            for key, name in places.items():
                at = key == section_id if key in ids else bool(heading and heading.startswith(key))
                if name in self.charts and name not in self.placed and at:
                    figures += 1
                    self.placed.add(name)
                    self._figure(self.charts[name], f"图{figures}　{name}")

        for i, part in enumerate(self.narrative.parts if parts is None else parts):
            h = self._heading(part.title, level=1)
            h.paragraph_format.page_break_before = first_on_new_page or i > 0
            for section in part.sections:
                if section.title:  # a part of one untitled section (上海 第四部分 名词解释) prints no heading
                    self._heading(section.title, level=2)
                sub = ""
                tables = getattr(section, "tables", {}) if self.perf_place == "inline" else {}
                for k, text in enumerate(section.paragraphs):
                    if SUBHEADING.match(text):
                        place(sub)  # the charts of the sub-section just ended
                        sub = text
                        self._heading(text, level=3)
                    else:
                        self._body(text)
                    for sheet in tables.get(k, ()):
                        self._perf_table(sheet)
                place(sub)
                place(section.title, section.id)

    def _body(self, text: str) -> None:
        p = self.doc.add_paragraph()
        for piece in PLACEHOLDER.split(text):
            if piece:
                run = p.add_run(piece)
                if PLACEHOLDER.fullmatch(piece):  # to fill before publishing: make it impossible to miss
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _figure(self, png: bytes, caption: str) -> None:
        p = self._paragraph(style="图表")
        p.add_run().add_picture(BytesIO(png), width=Mm(140))
        p.paragraph_format.keep_with_next = True
        self._para(caption, style="图表")

    # ------------------------------------------------------------ 第三部分

    def _tables(self, more_text: bool = False) -> None:
        title = self._part_title("tables_title")
        index = self.package.get("table_index", True)
        if title and index:  # the heading and the list of tables on a page of their own
            h = self._heading(title, level=1)
            h.paragraph_format.page_break_before = True
        if index:
            self._table_index()
        for i, (tid, grid) in enumerate(self.grids.items()):
            section = self._new_section(landscape=is_landscape(grid), table=True)
            if title and not index and i == 0:  # without the list: the heading above the first table, not alone
                h = self._heading(title, level=1)
                h.paragraph_format.space_before = h.paragraph_format.space_after = Pt(0)
            self._table(self.report.tables[tid], grid, section)
        if more_text or self._part_title("glossary_title") or self._part_title("attachments_title"):
            self._new_section(landscape=False)  # else the document would end on an empty page

    def _new_section(self, landscape: bool, table: bool = False):
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        wordxml.page_setup(section, landscape=landscape, table=table)
        wordxml.continue_page_numbers(section)
        return section

    def _table_index(self) -> None:
        """The list of the nine tables with 是否空表 and the reason, as the seeds print it."""
        reason = self.words(self.package["empty_reason"])
        rows = [("序号", "内容", "是否空表", "表格为空的理由")]
        for i, (_, t) in enumerate(in_order(self.report), start=1):
            # 陕西's seeds number the list 表1 … 表9 (their tables are 公开01表 …); a region that numbers its tables
            # itself (内蒙古 表一 … 表十一) is listed by those numbers, as the tables are headed
            number = f"表{i}" if t.spec.number.startswith("公开") else t.spec.number
            rows.append((number, t.spec.title, "是" if t.is_empty else "否", reason if t.is_empty else ""))
        table = self.doc.add_table(rows=len(rows), cols=4)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        wordxml.grid_borders(table)
        widths = [Mm(16), Mm(82), Mm(18), Mm(40)]
        for col, w in zip(table.columns, widths):
            col.width = w
        for r, (tr, values) in enumerate(zip(table._tbl.tr_lst, rows)):
            for c, (tc, value) in enumerate(zip(tr.tc_lst, values)):
                tc.width = widths[c]
                p = Paragraph(tc.p_lst[0], table)
                p._p.style = self.table_style
                run = p.add_run(value)
                run.bold = r == 0 or None
                if c != 1:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _table(self, table: Table, grid: tablegrid.Grid, section) -> None:
        t = table.spec
        text_width = section.page_width - section.left_margin - section.right_margin
        if t.heading:  # a region that prints "一、收入支出决算总表": one centred line (two where it is long)
            lines, size = title_lines(t.heading, text_width / EMU_PER_PT, SIZE["小二"])
            h = self._para("\n".join(lines), "Heading 2", font=self.fonts.title, size=size,
                           align=WD_ALIGN_PARAGRAPH.CENTER)
            h.paragraph_format.first_line_indent = Pt(0)
        else:
            self._table_heading(t.number, t.title, text_width)
        line = self._para(f"编制单位：{self.report.unit_name}\t单位：{self.report.spec.unit}", style="表格文字")
        line.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
        notes = [t.note] if t.note else []
        if table.is_empty:
            notes.insert(0, empty_note(self.report, table, self.config, self.words))
        text_pt = text_width / EMU_PER_PT
        note_lines = sum(math.ceil(len(n) * SIZE["小五"] / text_pt) for n in notes)
        room = (section.page_height - section.top_margin - section.bottom_margin) / EMU_PER_PT
        self._grid_table(grid, text_width, room - TABLE_HEADING_PT - TABLE_LINE.pt * (1 + note_lines))
        for note in notes:
            self._para(note, style="表注")

    def _table_heading(self, number: str, title: str, text_width: int) -> None:
        """One Heading 2 paragraph: '公开01表' at the right, a line break, the title centred — by tab stops,
        so that the TOC entry Word and LibreOffice make from it reads '公开01表 收入支出决算总表' (both turn
        tabs and line breaks into spaces unless told otherwise)."""
        h = self._heading("", level=2)
        pf = h.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.tab_stops.add_tab_stop(text_width // 2, WD_TAB_ALIGNMENT.CENTER)
        pf.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
        small = h.add_run(f"\t\t{number}")
        wordxml.set_fonts(small._r, self.fonts.table)
        small.font.size = Pt(SIZE["小五"])
        lines, size = title_lines(title, text_width / EMU_PER_PT, SIZE["小二"])
        run = small
        for line in lines:
            run.add_break(WD_BREAK.LINE)
            run = h.add_run(f"\t{line}")
            wordxml.set_fonts(run._r, self.fonts.title)
            run.font.size = Pt(size)

    def _table_min_size(self) -> int | float:
        """style.yaml `package.table_min_size`: a font size in pt (a layout measure, not an amount)."""
        size = self.package.get("table_min_size", TABLE_MIN_SIZE)
        if isinstance(size, bool) or not isinstance(size, (int, float)) or not 5 <= size <= TABLE_SIZE:
            raise DisclosureError(f"版式设置 package.table_min_size 应为 5 到 {TABLE_SIZE} 之间的字号（磅），实为“{size}”")
        return size

    def _grid_table(self, grid: tablegrid.Grid, text_width: int, room: float | None = None, keep_rows: int = 0) -> None:
        """The grid as a Word table at the text width; room: the height (pt) the page leaves it, where a table a few
        rows too long is set closer to stay on its page (内蒙古 表七 ran four rows and its 合计 onto a page of their
        own, without the title)."""
        widths, size, dense = self._fitted(grid, text_width)
        line = closer_lines(grid, room) if room is not None else None
        if line is not None:
            size = max(self._table_min_size(), min(size, line - 1.5))
        self._write_grid(grid, widths, size, dense, line=line, keep_rows=keep_rows)

    def _fitted(self, grid: tablegrid.Grid, text_width: int) -> tuple[list[int], float, bool]:
        """(column widths in EMU, text size in pt, dense) of the grid at the text width: fit_columns' widths."""
        dense = grid.ncols >= DENSE_COLUMNS
        total = sum(grid.widths)
        text_pt = text_width / EMU_PER_PT
        fitted, size = fit_columns(grid, [text_pt * w / total for w in grid.widths], zero=self.zero,
                                   min_size=self._table_min_size(),
                                   padding=DENSE_PADDING_PT if dense else CELL_PADDING_PT)
        return [int(w * EMU_PER_PT) for w in fitted], size, dense

    def _write_grid(self, grid: tablegrid.Grid, widths: list[int], size: float, dense: bool,
                    line: float | None = None, keep_rows: int = 0) -> None:
        table = self.doc.add_table(rows=0, cols=grid.ncols)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        wordxml.grid_borders(table)
        if dense:
            wordxml.cell_margins(table, DENSE_MARGIN_TWIPS)
        for col, w in zip(table.columns, widths):
            col.width = w  # the grid; every cell gets its width too (Word reads both)
        cells = []
        for g in grid.cells:
            text = _cell_text(g, self.zero)
            align = ("right" if g.kind == tablegrid.AMOUNT
                     else "center" if g.kind == tablegrid.HEADER or g.center else None)
            cells.append(wordxml.GridCell(g.row, g.col, g.rows, g.cols, text,
                                          bold=g.kind == tablegrid.HEADER or g.bold, align=align))
        wordxml.add_grid_rows(table, widths, grid.nrows, grid.header_rows, cells, self.table_style,
                              size=None if size == TABLE_SIZE else size, line=line, keep_rows=keep_rows)

    def _perf_table(self, sheet: str) -> None:
        """A 绩效自评表 as the seed prints it: its title, the year, the table at the text width — written as two
        tables that print as one (the same column widths, one point apart): its head, and the 指标 block whose
        header row repeats on every page the block runs on to (a long one filled a page with indicators no
        header named)."""
        t = self.perf.get(sheet)
        if t is None:
            return
        head = self._para(perfgrid.title(t), font=self.fonts.heading2, size=SIZE["四号"],
                          align=WD_ALIGN_PARAGRAPH.CENTER)
        head.paragraph_format.first_line_indent = Pt(0)
        head.paragraph_format.keep_with_next = True
        year = self._para(f"（{self.report.year}年度）", style="表格文字", align=WD_ALIGN_PARAGRAPH.CENTER)
        year.paragraph_format.keep_with_next = True
        section = self.doc.sections[-1]
        text_width = section.page_width - section.left_margin - section.right_margin
        widths, size, dense = self._fitted(perfgrid.perf_grid(t, plain_amounts=True), text_width)
        top, block = perfgrid.printed_parts(t)
        # its head (名称, 部门, the funds, the goal) never alone at the foot of a page: kept with the block's header
        # and first indicator, or all on the next page
        self._write_grid(top, widths, size, dense, keep_rows=top.nrows)
        # a paragraph one point high between the two: tables with nothing between them are read as one table, and
        # the block's header would no longer be a first row to repeat
        seam = self._para(style="表格文字")
        seam.paragraph_format.first_line_indent = Pt(0)
        seam.paragraph_format.space_before = seam.paragraph_format.space_after = Pt(0)
        seam.paragraph_format.line_spacing = Pt(1)
        seam.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        seam.paragraph_format.keep_with_next = True
        self._write_grid(block, widths, size, dense, keep_rows=PERF_KEEP_ROWS)
        self._para("", style="表格文字")  # a line between the table and the text that follows

    # ------------------------------------------------------------ 第四、五部分

    def _glossary_and_attachments(self) -> None:
        if self._part_title("glossary_title"):
            self._heading(self._part_title("glossary_title"), level=1)
            for i, (term, meaning) in enumerate(self.package.get("glossary", []), start=1):
                self._body(f"{i}.{term}：{meaning}")
        if self._part_title("attachments_title"):
            h = self._heading(self._part_title("attachments_title"), level=1)
            h.paragraph_format.page_break_before = True
            if self.perf and self.perf_place == "appendix":
                for sheet in self.perf:
                    self._perf_table(sheet)
            else:
                self._body(self.package["attachments_empty"])


EMU_PER_PT = 12700


def document_name(report: Report, config: dict, narrative) -> str:
    """What the document is, after the unit's name: '2024年度部门决算', '2024年度单位决算', '2023年部门综合预算'
    (the cover's second line, the file names and the 公开表 page header)."""
    wording = getattr(narrative, "wording", None)
    words = wording.words if wording is not None else (lambda text: text)
    template = package_settings(report.kind, config)["document"]
    return words(template).format(year=report.year, unit=report.unit_name,
                                  accounts=getattr(wording, "accounts", "部门决算"))


PERF_PLACES = ("inline", "appendix")


def perf_place(package: dict) -> str:
    """style.yaml `package.perf_tables`: where the 绩效自评表 print — inline (in 十三) or appendix (附件)."""
    place = package.get("perf_tables", "inline")
    if place not in PERF_PLACES:
        raise DisclosureError(f"版式设置 package.perf_tables 应为 inline（印在第十三部分）或 appendix（印在附件），"
                              f"实为“{place}”")
    return place


def zero_print(config: dict, narrative) -> str:
    """What a zero amount prints: the style's package.zero when it sets one, else the workbook's own
    convention (说明数据 “零值显示”, filled on import from the export), else blank."""
    package = config.get("package", {}) or {}
    if package.get("zero") is not None:
        return str(package["zero"])
    return str(getattr(narrative, "zero", "") or "")


_cell_text = tablegrid.cell_text  # what a grid cell prints (tablegrid.py: the window's review prints the same)


def write_docx(report: Report, narrative: Document, config: dict, charts: dict[str, bytes], path: str | Path,
               day: date | None = None, draft: bool = False) -> Path:
    """The whole document. draft: mark it 草稿 (an export forced past 错误); text with placeholders is
    marked in any case."""
    builder = WordBuilder(report, narrative, config, charts, day, draft=draft)
    builder.build()
    builder.save(path)
    return Path(path)


def write_narrative_docx(narrative: Document, config: dict, path: str | Path) -> Path:
    """Only the 情况说明 parts, with the package's styles, headings and fonts."""
    builder = WordBuilder(None, narrative, config, {})
    builder.build_narrative()
    builder.save(path)
    return Path(path)
