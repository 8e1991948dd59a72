"""Hostile and broken workbook files through every entry point (issue 15: resource limits).

Each case is made here, in code, from a real workbook of the suite (seed 004 as a template workbook, as a
部门决算软件 export, the .xls fixture), with one thing made hostile: a value in XFD1048576, a zip bomb just
under the old 400 MB guard, a million styled rows, a merge over the whole sheet, … Every case runs as the
officer would run it — `disclosure check|show|inputs|narrative|lint|export|import|batch`, `python -m addin run`,
the desktop window's open — in a process with 1 GiB of address space (tests/hostile.py), and must end in one
Chinese line naming the file (sheet and cell where there is one), exit ≠ 0 and ≠ 3, inputs unchanged, no
temporary file left, within 20 s. The limits themselves are disclosure/guard.py's.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pytest

from disclosure import guard
from hostile import ROOT, Run, assert_refused, leftovers, run, snapshot

XLS = ROOT / "tests" / "fixtures" / "子洲县医疗保障局-2024-导出.xls"
SECONDS = 20
MB = 1024 * 1024


# ---------------------------------------------------------------- making files

def rezip(src: Path, dst: Path, replace: dict[str, Callable[[bytes], bytes | Iterable[bytes]]] | None = None,
          add: dict[str, bytes | Callable[[], Iterable[bytes]]] | None = None) -> Path:
    """A copy of a zip with some parts rewritten or added; big parts are streamed (never held whole)."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in replace:
                _write(zout, info.filename, replace[info.filename](data))
            else:
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, content in add.items():
            _write(zout, name, content() if callable(content) else content)
    return dst


def _write(zout: zipfile.ZipFile, name: str, content: bytes | Iterable[bytes]) -> None:
    info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zout.open(info, "w") as fh:
        for chunk in [content] if isinstance(content, bytes) else content:
            fh.write(chunk)


def sheet_part(path: Path, sheet: str) -> str:
    """The zip part of a worksheet, by the sheet's name."""
    import re

    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book)[1]
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return target[1].lstrip("/") if target[1].startswith("/") else "xl/" + target[1]


def first_sheet(path: Path) -> str:
    import re

    with zipfile.ZipFile(path) as z:
        return re.search(r'<sheet [^>]*name="([^"]+)"', z.read("xl/workbook.xml").decode())[1]


def before_end(tag: bytes, insert: bytes | Callable[[], Iterable[bytes]]) -> Callable[[bytes], Iterable[bytes]]:
    """Edit a part: put `insert` just before its closing `tag` (e.g. b"</sheetData>")."""
    def edit(data: bytes) -> Iterable[bytes]:
        at = data.rindex(tag)
        yield data[:at]
        yield from [insert] if isinstance(insert, bytes) else insert()
        yield data[at:]
    return edit


def after_start(tag: bytes, insert: bytes) -> Callable[[bytes], bytes]:
    """Edit a part: put `insert` just after the element that starts with `tag` (e.g. b"<worksheet")."""
    def edit(data: bytes) -> bytes:
        at = data.index(b">", data.index(tag)) + 1
        return data[:at] + insert + data[at:]
    return edit


def zeros(mb: int) -> Callable[[], Iterable[bytes]]:
    chunk = b"0" * MB
    return lambda: (chunk for _ in range(mb))


def patch_entry(path: Path, name: str, **fields: int) -> Path:
    """Overwrite fields of a part's local header and central directory entry (flag, crc, file_size)."""
    local = {"flag": (6, "<H"), "crc": (14, "<I"), "file_size": (22, "<I")}
    central = {"flag": (8, "<H"), "crc": (16, "<I"), "file_size": (24, "<I")}
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
        infos = z.infolist()
    data = bytearray(path.read_bytes())
    cd = data.rindex(b"PK\x05\x06")
    pos = struct.unpack_from("<I", data, cd + 16)[0]
    for i in infos:  # the central directory lists the parts in order
        assert data[pos:pos + 4] == b"PK\x01\x02"
        if i.filename == name:
            for key, value in fields.items():
                struct.pack_into(central[key][1], data, pos + central[key][0], value)
                struct.pack_into(local[key][1], data, info.header_offset + local[key][0], value)
        pos += 46 + sum(struct.unpack_from("<HHH", data, pos + 28))
    path.write_bytes(data)
    return path


def far_cell(src: Path, dst: Path, ref: str = "XFD1048576", dimension: str | None = None, sheet: str = "公开01表",
             cell: bytes | None = None) -> Path:
    part = sheet_part(src, sheet)
    row = int("".join(ch for ch in ref if ch.isdigit()))
    edit = before_end(b"</sheetData>", f'<row r="{row}">'.encode() + (cell or f'<c r="{ref}"><v>1</v></c>'.encode())
                      + b"</row>")
    if dimension is not None:
        def edit(data, inner=edit):  # noqa: F811 (a lying <dimension>, or none, then the cell)
            import re

            lie = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
            return inner(re.sub(rb'<dimension ref="[^"]*"/>', lie, data))
    return rezip(src, dst, {part: edit})


def styled_rows(first: int, last: int) -> Callable[[], Iterable[bytes]]:
    def rows():
        for start in range(first, last + 1, 10_000):
            yield "".join(f'<row r="{r}"><c r="A{r}" s="1"/></row>'
                          for r in range(start, min(start + 10_000, last + 1))).encode()
    return rows


def tall_rows(first: int, last: int) -> Callable[[], Iterable[bytes]]:
    def rows():
        for start in range(first, last + 1, 10_000):
            yield "".join(f'<row r="{r}" ht="30" customHeight="1"/>'
                          for r in range(start, min(start + 10_000, last + 1))).encode()
    return rows


def dense_cells(rows: range, cols: int) -> Callable[[], Iterable[bytes]]:
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, cols + 1)]

    def cells():
        for r in rows:
            yield (f'<row r="{r}">' + "".join(f'<c r="{L}{r}"><v>{r * 7 + i}</v></c>'
                                              for i, L in enumerate(letters)) + "</row>").encode()
    return cells


def shared_strings(count: int) -> Callable[[], Iterable[bytes]]:
    def strings():
        for start in range(0, count, 10_000):
            yield "".join(f"<si><t>项目{i}</t></si>" for i in range(start, min(start + 10_000, count))).encode()
    return strings


def ods(dst: Path, rows_xml: str) -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="公开01表">{rows_xml}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return dst


ODS_VALUE = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


def xlsb(dst: Path, cells: list[tuple[int, int, float]]) -> Path:
    """A minimal .xlsb (BIFF12 records) with numbers at 0-based (row, col): what calamine needs to read it."""
    def rec(kind: int, payload: bytes = b"") -> bytes:
        head = bytes([kind]) if kind < 128 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
        n, size = len(payload), b""
        while True:
            n, low = n >> 7, n & 0x7F
            size += bytes([low | (0x80 if n else 0)])
            if not n:
                return head + size + payload

    def wide(text: str) -> bytes:
        return struct.pack("<I", len(text)) + text.encode("utf-16-le")

    book = rec(131) + rec(143) + rec(156, struct.pack("<II", 0, 1) + wide("rId1") + wide("公开01表")) + rec(144) + rec(132)
    sheet = rec(129) + rec(148, struct.pack("<IIII", 0, max(r for r, _, _ in cells), 0, max(c for _, c, _ in cells)))
    sheet += rec(145)
    for r, c, v in cells:
        sheet += rec(0, struct.pack("<IIH", r, 0, 300) + b"\0\0\0" + struct.pack("<I", 0))
        sheet += rec(5, struct.pack("<II", c, 0) + struct.pack("<d", v))
    sheet += rec(146) + rec(130)
    rel = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}" '
           'Target="{}"/></Relationships>')
    types = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
             '<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
             '</Types>')
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rel.format("officeDocument", "xl/workbook.bin"))
        z.writestr("xl/workbook.bin", book)
        z.writestr("xl/_rels/workbook.bin.rels", rel.format("worksheet", "worksheets/sheet1.bin"))
        z.writestr("xl/worksheets/sheet1.bin", sheet)
    return dst


def xls_far_cell(dst: Path, honest_dimensions: bool) -> Path:
    """The .xls fixture (BIFF8) with its last text cell moved to IV65536, the last cell BIFF8 has."""
    import olefile

    shutil.copy(XLS, dst)
    with olefile.OleFileIO(str(dst), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        pos, label, dims = 0, None, None
        while pos + 4 <= len(data):
            kind, size = struct.unpack_from("<HH", data, pos)
            label = pos if kind == 0x00FD else label  # LABELSST
            dims = pos if kind == 0x0200 else dims  # DIMENSIONS
            pos += 4 + size
        struct.pack_into("<HH", data, label + 4, 65535, 255)
        if honest_dimensions:
            struct.pack_into("<IIHH", data, dims + 4, 0, 65536, 0, 256)
        ole.write_stream("Workbook", bytes(data))
    return dst


# ---------------------------------------------------------------- the corpus

BOOK, EXPORT, XLSM = "book", "export", "xlsm"  # what a case starts from


@dataclass
class Case:
    make: Callable[[Path, Path], Path]  # (source, destination) -> the hostile file
    base: str
    names: tuple[str, ...]  # besides the file name: sheet, cell the line must name
    words: tuple[str, ...]  # what the line must say
    entries: tuple[str, ...]  # the commands it goes through
    suffix: str = ".xlsx"


SST = "xl/sharedStrings.xml"


def with_strings(src: Path, dst: Path, body: Callable[[], Iterable[bytes]], dtd: bytes = b"") -> Path:
    """The workbook with `body` (<si> elements) added to its shared strings — a part every reader reads;
    made and registered when the workbook keeps its strings inline."""
    with zipfile.ZipFile(src) as z:
        if SST in z.namelist():
            def edit(data: bytes) -> Iterable[bytes]:
                at = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
                yield from before_end(b"</sst>", body)(data[:at] + dtd + data[at:])
            return rezip(src, dst, {SST: edit})
    rel = (b'<Relationship Id="rIdHostile" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
           b'officeDocument/2006/relationships/sharedStrings"/>')
    kind = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/>')
    head = b'<?xml version="1.0" encoding="UTF-8"?>' + dtd + b'<sst xmlns="http://schemas.openxmlformats.org/' \
        b'spreadsheetml/2006/main">'
    return rezip(src, dst, {"xl/_rels/workbook.xml.rels": before_end(b"</Relationships>", rel),
                            "[Content_Types].xml": before_end(b"</Types>", kind)},
                 add={SST: lambda: [head, *body(), b"</sst>"]})


def _sst_bomb(src, dst):
    """A shared string of 395 MB of "0": the zip stays under the old 400 MB guard (and the file at 400 KB)."""
    return with_strings(src, dst, lambda: [b"<si><t>", *zeros(395)(), b"</t></si>"])


def _lying_directory(src, dst):
    """A part of 60 MB whose directory entry says it has 60 bytes."""
    with_strings(src, dst, lambda: [b"<si><t>", *zeros(60)(), b"</t></si>"])
    return patch_entry(dst, SST, file_size=60)


def _bad_crc(src, dst):
    rezip(src, dst)
    part = sheet_part(dst, "公开02表")
    with zipfile.ZipFile(dst) as z:
        crc = z.getinfo(part).CRC
    return patch_entry(dst, part, crc=crc ^ 0xFFFF)


def _encrypted_part(src, dst):
    rezip(src, dst)
    return patch_entry(dst, sheet_part(dst, "公开03表"), flag=1)


def _deep(src, dst):
    return with_strings(src, dst, lambda: [b"<si>" + b"<r>" * 5000 + b"</r>" * 5000 + b"</si>"])


def _laughs(src, dst):
    """The "billion laughs": ten entities each of ten of the one before; &i; is 10⁹ characters."""
    dtd = (b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)) + b"]>")
    return with_strings(src, dst, lambda: [b"<si><t>&i;</t></si>"], dtd=dtd)


def _many_sheets(src, dst):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for i in range(guard.MAX_SHEETS + 1):
        wb.create_sheet(f"表{i}").append([i])
    wb.save(dst)
    return dst


def _vba(mb_zeros: int = 0, mb_mixed: int = 0):
    def make(src, dst):
        import os

        def mixed():
            for _ in range(mb_mixed):
                yield os.urandom(256 * 1024) + bytes(768 * 1024)  # compresses about 4 times, like real binaries
        return rezip(src, dst, {"xl/vbaProject.bin": lambda data: zeros(mb_zeros)() if mb_zeros else mixed()})
    return make


def _ods_far(src, dst):
    return ods(dst, f'<table:table-row>{ODS_VALUE}</table:table-row><table:table-row table:number-rows-repeated='
                    f'"1048574"><table:table-cell/></table:table-row><table:table-row><table:table-cell '
                    f'table:number-columns-repeated="16383"/>{ODS_VALUE}</table:table-row>')


def _docx(dst: Path) -> Path:
    from docx import Document

    doc = Document()
    for line in ("第二部分 情况说明", "一、收入支出决算总体情况说明"):
        doc.add_paragraph(line)
    doc.save(dst)
    return dst


def _sparse(dst: Path, mb: int) -> Path:
    with dst.open("wb") as fh:  # 100 MB on paper, nothing on disk
        fh.write("第二部分 情况说明\n".encode())
        fh.truncate(mb * MB)
    return dst


ALL = ("check", "show", "inputs", "inputs-set", "narrative", "lint", "export", "batch", "addin", "gui")
CASES = {
    # a value far outside the sheet: calamine allocates the rectangle from A1 (512 GB), openpyxl iterates it
    "far-cell": Case(lambda s, d: far_cell(s, d), BOOK, ("公开01表", "单元格 XFD1048576"), ("远超报表范围",), ALL),
    "far-cell-small-dimension": Case(lambda s, d: far_cell(s, d, dimension="A1:H40"), BOOK,
                                     ("公开01表", "单元格 XFD1048576"), ("远超报表范围",), ("check", "addin", "gui")),
    "far-cell-no-dimension": Case(lambda s, d: far_cell(s, d, dimension=""), BOOK,
                                  ("公开01表", "XFD1048576"), ("远超报表范围",), ("show", "inputs")),
    "far-cell-without-address": Case(  # cells without r= follow each other: the 1001st is in column ALM
        lambda s, d: far_cell(s, d, "A900", cell=b"<c><v>1</v></c>" * 1001), BOOK, ("公开01表", "单元格 ALM900"),
        ("远超报表范围",), ("check", "addin")),
    "far-styled-empty-cell": Case(lambda s, d: far_cell(s, d, cell=b'<c r="XFD1048576" s="1"/>'), BOOK,
                                  ("公开01表", "XFD1048576"), ("远超报表范围",), ("check", "addin", "inputs-set")),
    "far-row": Case(lambda s, d: far_cell(s, d, "B2000000"), BOOK, ("公开01表", "单元格 B2000000"), ("远超报表范围",),
                    ("narrative", "addin")),
    "million-styled-rows": Case(
        lambda s, d: rezip(s, d, {sheet_part(s, "公开09表"): before_end(b"</sheetData>", styled_rows(100, 1_000_100))}),
        BOOK, ("公开09表", "单元格 A100001"), ("远超报表范围", "100,000 行"), ("check", "addin", "batch", "gui")),
    "million-tall-rows": Case(  # rows with a height and no cell: openpyxl keeps an object for each
        lambda s, d: rezip(s, d, {sheet_part(s, "公开07表"): before_end(b"</sheetData>", tall_rows(100, 1_000_100))}),
        BOOK, ("公开07表",), ("行数过多", "100,000"), ("check", "addin", "inputs-set")),
    "area-over-budget": Case(lambda s, d: far_cell(s, d, "ALL1001"), BOOK, ("公开01表", "ALL1001"),
                             ("1,001,000 个单元格", "上限 1,000,000"), ("check", "lint", "gui")),
    "far-cells-on-four-sheets": Case(  # each sheet within its limit, together past what is held at once
        lambda s, d: rezip(s, d, {sheet_part(s, f"公开0{i}表"): before_end(b"</sheetData>", b'<row r="999"><c r="ALL999">'
                                                                         b'<v>1</v></c></row>') for i in range(1, 5)}),
        BOOK, (), ("合计超过 3,000,000 个单元格", "ALL999"), ("check", "gui")),
    "too-many-cells": Case(
        lambda s, d: rezip(s, d, {sheet_part(s, "公开08表"): before_end(b"</sheetData>",
                                                                     dense_cells(range(100, 700), 850))}),
        BOOK, ("公开08表",), ("单元格过多", "500,000"), ("check", "addin", "export")),
    "merge-over-the-whole-sheet": Case(
        lambda s, d: rezip(s, d, {sheet_part(s, "公开04表"): before_end(
            b"</mergeCells>", b'<mergeCell ref="A1:XFD1048576"/>')}),
        BOOK, ("公开04表", "XFD1048576"), ("远超报表范围",), ("check", "addin", "inputs-set")),
    "hyperlink-over-a-million-rows": Case(
        lambda s, d: rezip(s, d, {sheet_part(s, "公开06表"): before_end(
            b"</worksheet>", b'<hyperlinks><hyperlink ref="1:1048576" location="A1"/></hyperlinks>')}),
        BOOK, ("公开06表", "A1048576"), ("远超报表范围",), ("addin", "inputs-set")),
    # zip bombs and lying zips
    "zip-bomb-under-old-guard": Case(_sst_bomb, BOOK, (), ("解压后超过 100 MB",), ALL),
    "zip-part-longer-than-directory": Case(_lying_directory, BOOK, ("xl/sharedStrings.xml",), ("比目录所写的长",),
                                           ("check", "addin", "gui")),
    "zip-ratio-bomb": Case(lambda s, d: rezip(s, d, add={"xl/media/image1.png": zeros(60)}), BOOK,
                           ("xl/media/image1.png",), ("压缩比异常", "压缩炸弹"), ("show", "addin", "batch")),
    "zip-bad-crc": Case(_bad_crc, BOOK, (), ("内容与压缩包目录不符",), ("check", "addin")),
    "zip-encrypted-part": Case(_encrypted_part, BOOK, (), ("已加密",), ("show", "addin")),
    "zip-too-many-parts": Case(lambda s, d: rezip(s, d, add={f"customXml/item{i}.xml": b"<a/>"
                                                            for i in range(guard.MAX_PARTS + 1)}),
                               BOOK, (), ("部件过多",), ("check", "batch")),
    "too-many-sheets": Case(_many_sheets, BOOK, (), ("工作表过多",), ("check", "addin")),
    # XML that costs more than it says
    "deep-shared-strings": Case(_deep, BOOK, ("xl/sharedStrings.xml",), ("嵌套超过 100 层",), ("check", "addin")),
    "billion-laughs": Case(_laughs, BOOK, ("xl/sharedStrings.xml",), ("DTD",), ("check", "addin", "inputs")),
    "too-many-shared-strings": Case(
        lambda s, d: with_strings(s, d, shared_strings(guard.MAX_CELLS + 1)),
        BOOK, (), ("共享字符串过多",), ("check", "addin")),
    "malformed-sheet-xml": Case(
        lambda s, d: rezip(s, d, {sheet_part(s, "公开05表"): before_end(b"</sheetData>", b'<row r="99"><c r="A99">'
                                                                       b'<v>1</v></row></c>')}),
        BOOK, ("xl/worksheets/",), ("不是有效的 XML",), ("check", "addin")),
    # macro workbooks
    "xlsm-vba-bomb": Case(_vba(mb_zeros=60), XLSM, ("xl/vbaProject.bin",), ("压缩比异常",), ("addin", "check"),
                          ".xlsm"),
    "xlsm-oversized-vba": Case(_vba(mb_mixed=110), XLSM, (), ("解压后超过 100 MB",), ("addin", "inputs-set"), ".xlsm"),
    # the 情况说明 that `lint` reads: a .docx is a zip too
    "docx-zip-bomb-under-old-guard": Case(
        lambda s, d: rezip(_docx(d.with_name("plain.docx")), d, {"word/document.xml": before_end(
            b"</w:body>", lambda: [b"<w:p><w:r><w:t>", *zeros(395)(), b"</w:t></w:r></w:p>"])}),
        BOOK, (), ("解压后超过 100 MB",), ("lint-text",), ".docx"),
    "docx-ratio-bomb": Case(lambda s, d: rezip(_docx(d.with_name("plain.docx")), d,
                                               add={"word/media/image1.png": zeros(60)}),
                            BOOK, ("word/media/image1.png",), ("压缩比异常", "Word 文档"), ("lint-text",), ".docx"),
    "text-file-of-100-mb": Case(lambda s, d: _sparse(d, 100), BOOK, (), ("文件过大", "100.0 MB"), ("lint-text",), ".txt"),
    # exports for `import`
    "export-far-cell": Case(lambda s, d: far_cell(s, d, sheet=first_sheet(s)), EXPORT, ("单元格 XFD1048576",),
                            ("远超报表范围",), ("import", "addin-import")),
    "export-zip-bomb-under-old-guard": Case(_sst_bomb, EXPORT, (), ("解压后超过 100 MB",), ("import", "addin-import")),
    "export-million-styled-rows": Case(
        lambda s, d: rezip(s, d, {sheet_part(s, first_sheet(s)): before_end(b"</sheetData>",
                                                                           styled_rows(60, 1_000_060))}),
        EXPORT, ("单元格 A100001",), ("远超报表范围",), ("import",)),
    "xls-far-cell": Case(lambda s, d: xls_far_cell(d, True), EXPORT, ("09财政拨款", "IV65536"),
                         ("16,777,216 个单元格",), ("import", "addin-import"), ".xls"),
    "xls-far-cell-small-dimensions": Case(lambda s, d: xls_far_cell(d, False), EXPORT, ("09财政拨款", "IV65536"),
                                          ("16,777,216 个单元格",), ("import",), ".xls"),
    "ods-far-cell": Case(_ods_far, EXPORT, ("公开01表", "单元格 XFD1048576"), ("远超报表范围",), ("import",), ".ods"),
    "ods-million-repeated-rows": Case(
        lambda s, d: ods(d, f'<table:table-row table:number-rows-repeated="1048576">{ODS_VALUE}</table:table-row>'),
        EXPORT, ("公开01表", "单元格 A1048576"), ("远超报表范围",), ("import",), ".ods"),
    "xlsb-far-cell": Case(lambda s, d: xlsb(d, [(0, 0, 1.5), (1048575, 16383, 2.5)]), EXPORT,
                          ("公开01表", "单元格 XFD1048576"), ("远超报表范围",), ("import",), ".xlsb"),
}


@pytest.fixture(scope="session")
def hostile_files(tmp_path_factory, _book004, export004):
    """case name -> the hostile file, made on first use (the corpus lives in code; nothing binary is kept)."""
    folder = tmp_path_factory.mktemp("hostile")
    bases = {BOOK: _book004, EXPORT: export004}
    made: dict[str, Path] = {}

    def base(kind: str) -> Path:
        if kind == XLSM and XLSM not in bases:
            from conftest import build_sample_book

            from addin.excelfiles import xlwings_file

            bases[XLSM] = build_sample_book(folder / "样例.xlsm", vba_from=xlwings_file("quickstart.xlsm"))
        return bases[kind]

    def get(name: str) -> Path:
        if name not in made:
            case = CASES[name]
            made[name] = case.make(base(case.base), folder / f"{name}{case.suffix}")
        return made[name]

    get.base = base
    return get


def _refused(entry: str, bad: Path, book: Path, tmp: Path) -> tuple[Run, list[Path]]:
    """Run one entry point on the bad file; returns the run and every file it must leave untouched."""
    out = tmp / "输出"
    if entry == "import":
        return run("import", bad, "-o", out / "工作簿.xlsx"), [bad]
    if entry == "addin-import":
        target = Path(shutil.copy(book, tmp / "工作簿.xlsx"))
        return run("run", "import", target, "--from", bad, module="addin"), [bad, target]
    if entry == "addin":
        return run("run", "check", bad, module="addin"), [bad]
    if entry == "gui":
        return run(bad, module="gui_open", cwd=ROOT / "tests"), [bad]
    if entry == "inputs-set":
        data = tmp / "数据.yaml"
        data.write_text("联系电话: 0912-1234567\n", encoding="utf-8")
        return run("inputs", bad, "--set-from", data), [bad, data]
    if entry == "lint-text":  # the bad file is the 情况说明, the workbook is fine
        target = Path(shutil.copy(book, tmp / "工作簿.xlsx"))
        return run("lint", bad, "--workbook", target), [bad, target]
    if entry == "lint":
        text = tmp / "情况说明.txt"
        text.write_text("第二部分 情况说明\n一、收入支出决算总体情况说明\n", encoding="utf-8")
        return run("lint", text, "--workbook", bad), [bad, text]
    args = {"check": ("check", bad), "show": ("show", bad), "inputs": ("inputs", bad, "--dump"),
            "narrative": ("narrative", bad, "-o", out / "情况说明.docx"),
            "export": ("export", bad, "-o", out / "公开包", "--no-pdf")}[entry]
    return run(*args), [bad]


PAIRS = [(name, entry) for name, case in CASES.items() for entry in case.entries]


@pytest.mark.parametrize("name,entry", PAIRS, ids=[f"{n}-{e}" for n, e in PAIRS])
def test_hostile_file_is_refused_in_one_line(name, entry, hostile_files, tmp_path):
    case = CASES[name]
    bad = Path(shutil.copy(hostile_files(name), tmp_path / f"坏-{name}{case.suffix}"))
    book = hostile_files.base(BOOK)
    if entry == "batch":
        return _batch(case, bad, book, tmp_path)
    result, untouched = _refused(entry, bad, book, tmp_path)
    line = assert_refused(result, names=[bad.name, *case.names], before=snapshot(*untouched), folder=tmp_path)
    for word in case.words:
        assert word in line, line
    assert result.seconds < SECONDS, f"{result.seconds:.1f} s"
    assert not (tmp_path / "输出").exists() or not any((tmp_path / "输出").rglob("*")), "an output was written"
    assert not list(tmp_path.glob("*.备份.*")), "a refused write left a backup"


def _batch(case: Case, bad: Path, book: Path, tmp: Path) -> None:
    """Batch goes on past a bad workbook: it is one row, 读取失败 with the same message; the others are read."""
    folder = tmp / "各单位"
    folder.mkdir()
    bad = Path(shutil.move(bad, folder / bad.name))
    good = Path(shutil.copy(book, folder / "好.xlsx"))
    before = snapshot(bad, good)
    result = run("batch", folder)
    assert result.code == 1, (result.code, result.err[-1500:])
    assert "Traceback" not in result.err and "内部错误" not in result.out + result.err, result.err[-1500:]
    rows = {line.split("\t")[0]: line for line in result.out.splitlines() if "\t" in line}
    assert "读取失败" in rows[bad.name], rows
    for word in (*case.names, *case.words):
        assert word in rows[bad.name], rows[bad.name]
    assert "读取失败" not in rows["好.xlsx"], rows["好.xlsx"]
    assert snapshot(bad, good) == before and leftovers(tmp) == []
    assert result.seconds < SECONDS, f"{result.seconds:.1f} s"


# ---------------------------------------------------------------- what the guard must let through

def test_a_report_with_stray_cells_and_styles_inside_the_limits_is_read(hostile_files, tmp_path):
    """A note in Z500 and styled empty rows down to 20,000: what real workbooks carry is not refused."""
    book = hostile_files.base(BOOK)
    part = sheet_part(book, "公开01表")
    extra = styled_rows(1000, 20_000)
    note = '<row r="500"><c r="Z500" t="inlineStr"><is><t>备注</t></is></c></row>'.encode()
    path = rezip(book, tmp_path / "正常.xlsx", {part: before_end(b"</sheetData>", lambda: [note, *extra()])})
    guard.check_workbook_file(path)
    result = run("check", path)
    assert result.code in (0, 1), result.err  # read and checked: findings or none, never "unreadable"
    assert "公开01表" in result.out


@pytest.mark.parametrize("name", ["ok.ods", "trailing-empty-rows.ods"])
def test_libreoffice_trailing_empty_rows_are_not_counted(name, tmp_path):
    """LibreOffice ends a sheet with a million repeated empty rows and 1,024 empty columns: not cells."""
    tail = ('<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
            'table:number-columns-repeated="1024"/></table:table-row>') if "trailing" in name else ""
    path = ods(tmp_path / name, f"<table:table-row>{ODS_VALUE}</table:table-row>{tail}")
    guard.check_workbook_file(path)  # no error


def test_the_largest_workbook_the_guard_accepts_stays_within_budget(hostile_files, tmp_path):
    """Just under the cell limit (450,000 numbers in a 450 × 1,000 sheet besides the tables): the add-in's
    check (openpyxl and calamine in one process) finishes in 1 GiB of address space."""
    book = hostile_files.base(BOOK)
    part = sheet_part(book, "公开08表")
    path = rezip(book, tmp_path / "大.xlsx", {part: before_end(b"</sheetData>", dense_cells(range(100, 550), 1000))})
    guard.check_workbook_file(path)
    for result in (run("check", path), run("run", "check", path, module="addin")):
        assert result.code in (0, 1), (result.code, result.err[-1500:])  # read and checked, in 1 GiB
        assert result.seconds < 2 * SECONDS, f"{result.seconds:.1f} s"


def test_a_checked_file_is_not_scanned_twice_but_a_changed_one_is(hostile_files, tmp_path, monkeypatch):
    """An opener may call the guard again on the same file (the add-in: FileBook, then its sheets): a
    content already passed is not scanned again; the same file rewritten hostile is, at once."""
    path = Path(shutil.copy(hostile_files.base(BOOK), tmp_path / "b.xlsx"))
    guard.check_workbook_file(path)
    with monkeypatch.context() as m:
        m.setattr(guard, "_check", lambda *a: pytest.fail("scanned again"))
        guard.check_workbook_file(path)
    path.write_bytes(hostile_files("far-cell").read_bytes())  # same name, same moment: new content
    with pytest.raises(guard.InputError, match="XFD1048576"):
        guard.check_workbook_file(path)


def test_far_cell_in_the_window_is_a_message(qtbot, hostile_files, tmp_path):
    """The desktop window itself (in-process): the open fails with the guard's line, the window stays."""
    from PySide6.QtCore import QSettings

    from gui.window import MainWindow

    bad = Path(shutil.copy(hostile_files("far-cell"), tmp_path / "远.xlsx"))
    window = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    window.open_path(bad)
    qtbot.waitUntil(lambda: hasattr(window, "last_error"), timeout=30_000)
    assert window.last_error.startswith("打开“远.xlsx”未完成：文件“远.xlsx”，工作表“公开01表”，单元格 XFD1048576：")
    assert window.session is None


def test_the_limits_are_documented():
    doc = (ROOT / "docs" / "安装与使用.md").read_text(encoding="utf-8")
    section = doc[doc.index("安全与可靠性"):]
    for number in (guard.MAX_FILE_MB, guard.MAX_UNZIPPED_MB, guard.MAX_RATIO, f"{guard.MAX_ROWS:,}",
                   f"{guard.MAX_COLS:,}", f"{guard.MAX_SHEET_AREA:,}", f"{guard.MAX_TOTAL_AREA:,}",
                   f"{guard.MAX_CELLS:,}", guard.MAX_SHEETS, f"{guard.MAX_PARTS:,}", guard.MAX_XML_DEPTH):
        assert str(number) in section, number

