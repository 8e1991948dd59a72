"""Small WordprocessingML helpers python-docx has no API for: East Asian fonts, font fallbacks, fields,
page setup and table row flags.

Why by hand: python-docx's font.name sets only the Latin font, and it has no fields (TOC, PAGE), no
w:tblHeader / w:cantSplit and no font table. Each helper is a few lines of OOXML, documented in
ECMA-376 Part 1 (17.3.2.26 rFonts, 17.8.3.1 altName, 17.16 fields, 17.4.49 tblHeader).
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

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
    """docDefaults: the font and zh-CN language every paragraph starts from."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def add_font_fallbacks(document, fonts: dict[str, str]) -> None:
    """fontTable entries: preferred name → altName fallback, which Word tries when the preferred font is
    not installed (仿宋_GB2312 → 仿宋). charset 86 = GB2312."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
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
