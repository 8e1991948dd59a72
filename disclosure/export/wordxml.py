"""Small WordprocessingML helpers python-docx has no API for: East Asian fonts, languages and line-break
rules, font fallbacks, fields, page setup and numbering, table row flags, and a package without the
python-docx template's leftovers (its 160 unused styles, Mac thumbnail, 2013 dates).

Why by hand: python-docx's font.name sets only the Latin font, and it has no fields (TOC, PAGE), no
w:tblHeader / w:cantSplit and no font table. Each helper is a few lines of OOXML, documented in
ECMA-376 Part 1 (17.3.2.26 rFonts, 17.8.3.1 altName, 17.16 fields, 17.4.49 tblHeader).
"""

from __future__ import annotations

import re
from typing import NamedTuple
from xml.sax.saxutils import escape

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.shared import Length, Mm, Pt

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Characters a line may not begin with in Chinese text: the zh-CN list Word and LibreOffice use by
# default, plus the units that must stay with the number before them ("2,444.56⏎万元", "19.86⏎%").
NO_BREAK_BEFORE = ("!%),.:;?]}¢°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠"
                   "万元亿")
NO_BREAK_AFTER = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"

# GB/T 9704: A4, 天头 37 mm, 订口 28 mm for text; table pages get narrower margins so a table fits its page
TEXT_MARGINS = dict(top=Mm(37), bottom=Mm(35), left=Mm(28), right=Mm(26))
TABLE_MARGINS = dict(top=Mm(15), bottom=Mm(18), left=Mm(20), right=Mm(20))


def set_fonts(element, name: str) -> None:
    """Latin and East Asian font of a run, style or rPrDefault (anything with get_or_add_rPr or an rPr)."""
    rpr = element if element.tag == qn("w:rPr") else element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:  # a theme attribute wins over the named font in Word
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def set_doc_defaults(document, name: str) -> None:
    """docDefaults: the font and languages every paragraph starts from. The Western language is en-US,
    the East Asian zh-CN: with zh-CN as the Western language LibreOffice breaks lines inside numbers
    ("3⏎64.00", "97.⏎48%"), as Chinese rules allow between any two characters."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def set_language_settings(document) -> None:
    """settings.xml: theme language zh-CN (the template says ja-JP) and Word's own list of characters that
    may not begin or end a line (LibreOffice gets the same list through UNO, uno_pdf.py)."""
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        settings.append(theme)
    theme.set(qn("w:val"), "en-US")
    theme.set(qn("w:eastAsia"), "zh-CN")
    anchor = settings.find(qn("w:characterSpacingControl"))
    for tag, chars in (("w:noLineBreaksBefore", NO_BREAK_BEFORE), ("w:noLineBreaksAfter", NO_BREAK_AFTER)):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
        el = OxmlElement(tag)
        el.set(qn("w:lang"), "zh-CN")
        el.set(qn("w:val"), chars)
        if anchor is not None:  # schema order: characterSpacingControl, …, noLineBreaksAfter, noLineBreaksBefore
            anchor.addnext(el)
        else:
            settings.append(el)


def add_font_fallbacks(document, fonts: dict[str, str]) -> None:
    """fontTable entries: preferred name → altName fallback, which Word tries when the preferred font is
    not installed (仿宋_GB2312 → 仿宋). charset 86 = GB2312."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = document.part.part_related_by(RT.FONT_TABLE)  # a plain XML part: edit its bytes
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, fallback in fonts.items():
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        if fallback and fallback != name:
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), fallback)
            font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")
        font.append(charset)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE …) in one paragraph: begin, instruction, separate, result, end."""
    begin_field(paragraph, instruction, dirty=False)
    if placeholder:
        paragraph.add_run(placeholder)
    end_field(paragraph)


def begin_field(paragraph, instruction: str, dirty: bool = True) -> None:
    """Begin, instruction and separate of a field; its result may span several paragraphs (a TOC) until
    end_field. A dirty field is recomputed by Word when it opens the file."""
    _field_char(paragraph, "begin", dirty=dirty)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    _field_char(paragraph, "separate")


def end_field(paragraph) -> None:
    _field_char(paragraph, "end")


def _field_char(paragraph, kind: str, dirty: bool = False) -> None:
    run = paragraph.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    if dirty:
        fld.set(qn("w:dirty"), "true")
    run._r.append(fld)


def update_fields_on_open(document) -> None:
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        el = OxmlElement("w:updateFields")
        el.set(qn("w:val"), "true")
        settings.append(el)


def page_setup(section, landscape: bool, table: bool = False) -> None:
    """A4 in either orientation (python-docx's default template is US Letter); table pages have
    narrower margins."""
    short, long_ = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    margins = TABLE_MARGINS if table else TEXT_MARGINS
    section.top_margin, section.bottom_margin = margins["top"], margins["bottom"]
    section.left_margin, section.right_margin = margins["left"], margins["right"]
    section.footer_distance = Mm(8) if table else Mm(18)


def restart_page_numbers(section, start: int = 1) -> None:
    sect = section._sectPr
    pg = sect.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        sect.append(pg)
    pg.set(qn("w:start"), str(start))


def page_number_format(section, fmt: str) -> None:
    """decimal, upperRoman …: how the PAGE field prints in this section."""
    sect = section._sectPr
    pg = sect.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        sect.append(pg)
    pg.set(qn("w:fmt"), fmt)


def continue_page_numbers(section) -> None:
    """A new section copies its predecessor's settings, a restart of the page numbers included."""
    pg = section._sectPr.find(qn("w:pgNumType"))
    if pg is not None:
        pg.attrib.pop(qn("w:start"), None)


def row_flags(row, header: bool = False) -> None:
    """Rows never split across pages; header rows repeat on every page of a long table."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


GRID_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def grid_borders(table) -> None:
    """The thin single lines of Word's "Table Grid" style, set on the table itself instead of through the
    style: the same lines in Word and LibreOffice (cell margins are the default table style's, 0.08 inch
    like Table Grid's), and LibreOffice opens the document a third faster — it resolves a table style
    (with its conditional first-row and first-column formats) cell by cell."""
    tbl_pr = table._tbl.tblPr
    tbl_pr.style = None
    lines = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>' for side in GRID_SIDES)
    tbl_pr.insert_element_before(parse_xml(f"<w:tblBorders {nsdecls('w')}>{lines}</w:tblBorders>"),
                                 "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                 "w:tblDescription", "w:tblPrChange")


def cell_margins(table, side_twips: int) -> None:
    """Left and right cell margins of the whole table (twips), narrower than the default table style's 108."""
    sides = "".join(f'<w:{side} w:w="{side_twips}" w:type="dxa"/>' for side in ("left", "right"))
    table._tbl.tblPr.insert_element_before(parse_xml(f"<w:tblCellMar {nsdecls('w')}>{sides}</w:tblCellMar>"),
                                           "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def used_style_ids(document) -> set[str]:
    """Styles referenced by the body, headers and footers, with what they are based on or linked to,
    the defaults, and the TOC styles LibreOffice and Word apply when they fill the table of contents."""
    styles = document.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    parts = [document.element] + [rel.target_part.element for rel in document.part.rels.values()
                                  if rel.reltype.endswith(("/header", "/footer"))]
    wanted = {el.get(qn("w:val")) for part in parts
              for tag in ("w:pStyle", "w:rStyle", "w:tblStyle") for el in part.iter(qn(tag))}
    wanted |= {sid for sid, s in by_id.items() if s.get(qn("w:default")) in ("1", "true")}
    wanted |= {"TOC1", "TOC2", "Header", "Footer", "Hyperlink"}
    todo, keep = list(wanted), set()
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = by_id[sid].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    return keep


def remove_unused_styles(document) -> None:
    """Drop the template's styles nothing uses (Light Shading Accent 1 …) and its stylesWithEffects copy."""
    keep = used_style_ids(document)
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in keep:
            styles.remove(style)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rid)


def set_package_properties(document, *, title: str, author: str, created, application: str) -> None:
    """core.xml and app.xml: the unit as author and company, the export's time (not the python-docx
    template's 2013 values), and no Mac thumbnail of an empty page."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    core = document.core_properties
    core.title, core.author, core.last_modified_by, core.comments = title, author, author, ""
    core.created = core.modified = created
    core.revision = 1
    core.language = "zh-CN"
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            part = rel.target_part
            root = parse_xml(part.blob)
            ns = root.nsmap[None]
            for tag, value in (("Company", author), ("Application", application), ("Template", "")):
                el = root.find(f"{{{ns}}}{tag}")
                if el is None:
                    el = etree.SubElement(root, f"{{{ns}}}{tag}")
                el.text = value
            for tag in ("AppVersion",):  # Word 2010's version number of the template
                el = root.find(f"{{{ns}}}{tag}")
                if el is not None:
                    root.remove(el)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class GridCell(NamedTuple):
    """One cell of a table on a grid: where it starts, how far it spans, and what it prints."""
    row: int
    col: int
    rows: int
    cols: int
    text: str
    bold: bool = False
    align: str | None = None  # "right", "center" or None (the style's)


def add_grid_rows(table, widths: list[int], nrows: int, header_rows: int, cells: list[GridCell], style_id: str,
                  size: float | None = None, line: float | None = None, keep_rows: int = 0) -> None:
    """Append the rows of a table laid out on a grid (widths in EMU), written as one XML string: the same
    XML python-docx makes with add_run, Table.cell(…).merge(…) and row_flags — every row cantSplit, header
    rows tblHeader; a merged cell keeps the first cell's tcPr with the width of the columns it spans,
    gridSpan and vMerge — at a fraction of the cost (python-docx searches the successors of every
    element it inserts). size: the text size in pt when it is not the style's; line: the exact line height in pt
    when it is not the style's (a table a few rows too long for its page, set closer); keep_rows: the first rows
    whose paragraphs keep with the next, so that a table never begins with just those at the foot of a page."""
    twips = [Length(w).twips for w in widths]
    owner: dict[tuple[int, int], GridCell] = {}
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rows):
            for c in range(cell.col, cell.col + cell.cols):
                if (r, c) in owner or r >= nrows or c >= len(widths):
                    raise ValueError(f"cell at row {cell.row}, column {cell.col} overlaps another or the edge")
                owner[r, c] = cell
    sz = f'<w:sz w:val="{ST_HpsMeasure.convert_to_xml(Pt(size))}"/>' if size is not None else ""
    spacing = f'<w:spacing w:line="{round(line * 20)}" w:lineRule="exact"/>' if line is not None else ""
    out = [f"<w:tbl {nsdecls('w')}>"]
    for r in range(nrows):
        keep = "<w:keepNext/>" if r < keep_rows else ""
        empty_p = f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id)}"/>{keep}{spacing}</w:pPr></w:p>'
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < header_rows else "") + "</w:trPr>")
        c = 0
        while c < len(widths):
            cell = owner.get((r, c))
            span = cell.cols if cell else 1
            width = twips[c]
            for w in twips[c + 1:c + span]:  # python-docx adds a swallowed cell's width when both have one
                width = width + w if width and w else width
            merge = ""
            if cell and cell.rows > 1:
                merge = '<w:vMerge w:val="restart"/>' if r == cell.row else "<w:vMerge/>"
            first = cell is not None and r == cell.row
            out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>'
                       + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + merge
                       + ('<w:vAlign w:val="center"/>' if first else "") + "</w:tcPr>")
            out.append(_cell_paragraph(cell, style_id, sz, keep + spacing) if first and cell.text else empty_p)
            out.append("</w:tc>")
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    table._tbl.extend(list(parse_xml("".join(out))))


def _cell_paragraph(cell: GridCell, style_id: str, sz: str, spacing: str = "") -> str:
    jc = f'<w:jc w:val="{cell.align}"/>' if cell.align else ""
    rpr = ("<w:b/>" if cell.bold else "") + sz
    return (f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id)}"/>{spacing}{jc}</w:pPr><w:r>'
            + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + run_content(cell.text) + "</w:r></w:p>")


def run_content(text: str) -> str:
    """A run's text as python-docx's Run.text writes it: a tab is w:tab, a line break w:br, the rest w:t
    (keeping its spaces when it starts or ends with one)."""
    out = []
    for piece in re.split(r"([\t\r\n])", text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(out)
