"""A print-only .xlsx written as XML strings: the same cells, styles, merged ranges and page setup openpyxl
writes for them, at a tenth of the cost (openpyxl hashes a style object on every assignment and rebuilds
the cells of every merged range; the 公开表.xlsx was the slowest Python stage of a batch export).

Only what a printed table needs (SpreadsheetML, ECMA-376 Part 1 §18): text and number cells, fonts, a solid
fill, thin black borders, alignment, number formats, merged ranges, column widths, row heights, frozen
header rows, landscape A4 fitted to the page width, print titles, page header and footer. No formulas:
text is always an inline string, whatever it starts with ("=", "+", "@" …), as cells.put_text writes it.
"""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import msgspec
from openpyxl.utils import get_column_letter
from openpyxl.writer.theme import theme_xml

from ..cells import text_problem
from ..errors import InputError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}
SIDES = ("left", "right", "top", "bottom")  # the order of CT_Border
DEFAULT_FONT = '<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/><scheme val="minor"/></font>'


class Style(msgspec.Struct, frozen=True):
    """One cell format. font: (name, size, bold), or None for the workbook's default (Calibri 11);
    fill: a solid colour (RRGGBB); border: the sides with a thin black line."""
    font: tuple[str, float, bool] | None = None
    fill: str | None = None
    border: frozenset[str] = frozenset()
    number_format: str = "General"
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False


PLAIN = Style()
ALL_SIDES = frozenset(SIDES)


class Sheet:
    """The cells of one worksheet, by (row, column), 1-based like Excel, and its print settings."""

    def __init__(self, name: str):
        self.name = name
        self.cells: dict[tuple[int, int], tuple[object, Style]] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.widths: dict[int, float] = {}
        self.heights: dict[int, float] = {}
        self.frozen_rows = 0  # rows above the scrolling area
        self.print_rows: tuple[int, int] | None = None  # rows repeated at the top of every printed page
        self.header = ""  # page header, centre: text and its size in pt
        self.header_size: float | None = None
        self.footer = ""  # page footer, centre (&P page, &N pages)
        self.landscape = False
        self.fit_width = False  # fit to one page wide, as many pages tall as it takes …
        self.fit_height = False  # … or one page tall as well
        self.centered = False
        self.margins = (0.75, 0.75, 1.0, 1.0)  # left, right, top, bottom in inches (openpyxl's defaults)

    def put(self, row: int, col: int, value: object = None, style: Style = PLAIN) -> None:
        """A str is text; int and Decimal are numbers; None leaves the cell empty (its format still shows)."""
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                raise InputError(f"要写入的文字{problem}，未写入", sheet=self.name, cell=f"{get_column_letter(col)}{row}")
        elif value is not None and (isinstance(value, bool) or not isinstance(value, (int, Decimal))):
            raise TypeError(f"{type(value).__name__} in a cell: only text, int and Decimal are written")
        self.cells[row, col] = (value, style)

    def style_of(self, row: int, col: int) -> Style:
        return self.cells.get((row, col), (None, PLAIN))[1]

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge a range as Excel and openpyxl do: the first cell keeps value and format; each other cell is
        emptied and keeps only the first cell's borders on the edges of the range it lies on."""
        if (r1, c1) == (r2, c2):
            return
        border = self.style_of(r1, c1).border
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) == (r1, c1):
                    continue
                edges = {"top": r == r1, "bottom": r == r2, "left": c == c1, "right": c == c2}
                sides = frozenset(s for s in border if edges[s])
                if sides:
                    self.cells[r, c] = (None, Style(border=sides))
                else:
                    self.cells.pop((r, c), None)
        self.merges.append((r1, c1, r2, c2))


class _Styles:
    """styles.xml: each distinct Style one cellXfs entry (its index is the cell's s=)."""

    def __init__(self):
        self.fonts, self.fills, self.borders, self.formats = [DEFAULT_FONT], ["none", "gray125"], [frozenset()], {}
        self.xfs: dict[Style, int] = {PLAIN: 0}

    def index(self, style: Style) -> int:
        if style not in self.xfs:
            self.xfs[style] = len(self.xfs)
        return self.xfs[style]

    def _id(self, items: list, item) -> int:
        if item not in items:
            items.append(item)
        return items.index(item)

    def _xf(self, s: Style) -> str:
        font = 0 if s.font is None else self._id(self.fonts, _font(*s.font))
        fill = 0 if s.fill is None else self._id(self.fills, s.fill)
        border = self._id(self.borders, s.border)
        if s.number_format in BUILTIN_FORMATS:
            fmt = BUILTIN_FORMATS[s.number_format]
        else:
            fmt = self.formats.setdefault(s.number_format, 164 + len(self.formats))
        align = "".join(f' {k}="{v}"' for k, v in (("horizontal", s.horizontal), ("vertical", s.vertical),
                                                    ("wrapText", "1" if s.wrap else None)) if v)
        return (f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}"'
                + (' applyAlignment="1"' if align else "") + ' xfId="0"'
                + (f"><alignment{align}/></xf>" if align else "/>"))

    def xml(self) -> str:
        xfs = [self._xf(s) for s in self.xfs]  # first: it fills the font, fill and border lists
        fmts = "".join(f"<numFmt numFmtId={quoteattr(str(i))} formatCode={quoteattr(f)}/>" for f, i in self.formats.items())
        fills = "".join(f'<fill><patternFill patternType="{f}"/></fill>' if f in ("none", "gray125") else
                        f'<fill><patternFill patternType="solid"><fgColor rgb="00{f}"/></patternFill></fill>'
                        for f in self.fills)
        borders = "".join("<border>" + "".join(f'<{s} style="thin"><color rgb="00000000"/></{s}>' if s in b
                                                else f"<{s}/>" for s in SIDES) + "<diagonal/></border>"
                          for b in self.borders)
        numfmts = f'<numFmts count="{len(self.formats)}">{fmts}</numFmts>' if fmts else ""
        return (f'<styleSheet xmlns="{MAIN}">{numfmts}'
                f'<fonts count="{len(self.fonts)}">{"".join(self.fonts)}</fonts>'
                f'<fills count="{len(self.fills)}">{fills}</fills><borders count="{len(self.borders)}">{borders}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
                "</styleSheet>")


def _font(name: str, size: float, bold: bool) -> str:
    return f"<font><name val={quoteattr(name)}/>" + ('<b val="1"/>' if bold else "") + f'<sz val="{size:g}"/></font>'


def _text(value: str) -> str:
    # a CR would come back as LF from any XML parser: written as a character reference, as lxml does
    return escape(value).replace("\r", "&#13;")


def _cell(ref: str, value: object, s: int) -> str:
    style = f' s="{s}"' if s else ""
    if value is None or value == "":
        return f'<c r="{ref}"{style}/>'
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    number = format(value, "f") if isinstance(value, Decimal) else str(value)  # Decimal: exact, never a float
    return f'<c r="{ref}"{style}><v>{number}</v></c>'


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # a lone & starts a header code (&P, &N …)


def _sheet_xml(sheet: Sheet, styles: _Styles) -> str:
    rows: dict[int, list[tuple[int, object, Style]]] = {}
    for (r, c), (value, style) in sheet.cells.items():
        if value is None and style == PLAIN:
            continue
        rows.setdefault(r, []).append((c, value, style))
    last_row = max([*rows, *sheet.heights, 1])
    last_col = max([c for cells in rows.values() for c, _, _ in cells] + [1])
    out = [f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
           + ('<pageSetUpPr fitToPage="1"/>' if sheet.fit_width else "") + "</sheetPr>"
           + f'<dimension ref="A1:{get_column_letter(last_col)}{last_row}"/><sheetViews><sheetView workbookViewId="0">']
    if sheet.frozen_rows:
        top = f"A{sheet.frozen_rows + 1}"
        out.append(f'<pane ySplit="{sheet.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                   '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/>')
    out.append('</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
    if sheet.widths:
        out.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'
                                      for c, w in sorted(sheet.widths.items())) + "</cols>")
    out.append("<sheetData>")
    for r in sorted(set(rows) | set(sheet.heights)):
        height = f' ht="{sheet.heights[r]:g}" customHeight="1"' if r in sheet.heights else ""
        out.append(f'<row r="{r}"{height}>')
        out += [_cell(f"{get_column_letter(c)}{r}", value, styles.index(style))
                for c, value, style in sorted(rows.get(r, []), key=lambda x: x[0])]
        out.append("</row>")
    out.append("</sheetData>")
    if sheet.merges:
        out.append(f'<mergeCells count="{len(sheet.merges)}">'
                   + "".join(f'<mergeCell ref="{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"/>'
                             for r1, c1, r2, c2 in sheet.merges) + "</mergeCells>")
    if sheet.centered:
        out.append('<printOptions horizontalCentered="1"/>')
    left, right, top, bottom = sheet.margins
    out.append(f'<pageMargins left="{left:g}" right="{right:g}" top="{top:g}" bottom="{bottom:g}" header="0.5" footer="0.5"/>'
               f'<pageSetup orientation="{"landscape" if sheet.landscape else "portrait"}" paperSize="9"'
               + (f' fitToHeight="{int(sheet.fit_height)}" fitToWidth="1"' if sheet.fit_width else "") + "/>")
    if sheet.header or sheet.footer:
        size = f"&{sheet.header_size:g} " if sheet.header_size else ""
        out.append("<headerFooter>"
                   + (f"<oddHeader>{escape('&C' + size + _header_text(sheet.header))}</oddHeader>" if sheet.header else "")
                   + (f"<oddFooter>{escape('&C' + sheet.footer)}</oddFooter>" if sheet.footer else "")
                   + "</headerFooter>")
    out.append("</worksheet>")
    return "".join(out)


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def save(sheets: list[Sheet], path: str | Path, author: str = "", application: str = "") -> Path:
    """Write the workbook (sheets in this order, the first one active); author and application go to the
    file's properties."""
    styles = _Styles()
    parts = {f"xl/worksheets/sheet{i}.xml": _sheet_xml(s, styles) for i, s in enumerate(sheets, start=1)}
    names = "".join(f"<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">"
                    f"{escape(_quoted(s.name))}!${s.print_rows[0]}:${s.print_rows[1]}</definedName>"
                    for i, s in enumerate(sheets) if s.print_rows)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    n = len(sheets)
    parts.update({
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT}.worksheet+xml"/>'
                      for i in range(1, n + 1))
            + f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>'
            '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'),
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'),
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape(author)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>'),
        "docProps/app.xml": ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                             f"<Application>{escape(application)}</Application></Properties>"),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>'
            "<sheets>" + "".join(f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
                                 for i, s in enumerate(sheets, start=1)) + "</sheets>"
            + (f"<definedNames>{names}</definedNames>" if names else "") + '<calcPr calcId="124519"/></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG_REL}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, n + 1))
            + f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{REL}/theme" Target="theme/theme1.xml"/></Relationships>'),
        "xl/styles.xml": styles.xml(),
        "xl/theme/theme1.xml": theme_xml,
    })
    order = ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "xl/workbook.xml",
             "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/theme/theme1.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in order + [p for p in parts if p not in order]:
            text = parts[name]
            zf.writestr(name, text if text.startswith("<?xml") else
                        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return Path(path)
