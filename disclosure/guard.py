"""The one gate every workbook file passes before a library opens it (python-calamine, openpyxl).

Those libraries trust the file: calamine fills the rectangle from A1 to the farthest cell (one value in
XFD1048576 asks for 512 GB), openpyxl keeps an object per cell and row, and both inflate whatever the zip
holds. So the file is looked at first, cheaply and in bounded memory, and refused with one Chinese line
naming the file, sheet and cell when it is not what a department's report can be:

- size: missing, a folder, empty, over MAX_FILE_MB; encrypted; an HTML page saved as .xls; not a workbook;
- zip (.xlsx/.xlsm/.xlsb/.ods): too many parts, parts inflating past MAX_UNZIPPED_MB in all, a part that
  compresses more than MAX_RATIO times (a "zip bomb"), a part whose real content is longer than its
  directory entry says, a broken CRC; XML nested deeper than MAX_XML_DEPTH or carrying a DTD;
- cells, read from the sheets' own records (never from the declared <dimension>, which can lie):
  a cell beyond MAX_ROWS / MAX_COLS, a sheet whose A1-to-farthest-cell rectangle exceeds MAX_SHEET_AREA
  (all sheets: MAX_TOTAL_AREA), more than MAX_ROWS row records in a sheet, more than MAX_CELLS cells
  (styled empty ones included) or shared strings in the workbook.

Every part is inflated here with its real length counted (not the length the directory claims), so the
check holds for a file crafted to lie. A worksheet part in the form every spreadsheet program writes is
measured by plainsheet.py (regular expressions at C speed); any other goes through the element-by-element
scan below, which also names the cell of any refusal. The limits are documented in docs/安装与使用.md (安全与可靠性).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import struct
import zlib
from pathlib import Path
from typing import Callable, Iterable, Iterator
from xml.parsers import expat

import msgspec

from .errors import InputError
from .plainsheet import PlainSheet, column_number, read_plain

MAX_FILE_MB = 50
MAX_UNZIPPED_MB = 100  # all parts inflated; a department's report is a few MB
MAX_PARTS = 2_000  # parts in the zip (a workbook has tens)
MAX_RATIO = 100  # real parts compress 5–35 times; a bomb ~1000
RATIO_FROM_BYTES = 1024 * 1024  # the ratio is judged once a part has inflated this far
MAX_ROWS = 100_000  # a department's report has hundreds of rows …
MAX_COLS = 1_000  # … and fewer than 50 columns
MAX_SHEET_AREA = 1_000_000  # rows × columns from A1 to a sheet's farthest cell (what calamine allocates)
MAX_TOTAL_AREA = 3_000_000  # the same, all sheets together (every sheet's grid is held at once)
MAX_CELLS = 500_000  # cells written in the file, all sheets, styled empty ones included; also shared strings
MAX_SHEETS = 255
MAX_XML_DEPTH = 100  # real OOXML/ODF nests about 15 deep
EXCEL = "Excel 文件"  # what _Book checks unless told (check_document_file: a Word document)
_PLAIN_MAX_BYTES = 4 << 20  # a worksheet part up to this size is held whole and read by plainsheet.py first

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CHUNK = 1 << 16
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_SPAN = re.compile(r"\$?([A-Za-z]{0,3})\$?([0-9]{0,7}):\$?([A-Za-z]{0,3})\$?([0-9]{0,7})")
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_SHEET_PARTS = re.compile(r"xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.(xml|bin)")
Unread = dict[str, dict[tuple[int, int], str]]  # sheet name -> {(row, col) 0-based: why it holds no value}
NO_RESULT = "公式没有计算结果"
_passed: dict[bytes, Unread] = {}  # contents already checked (a command may open a file twice)


def check_file(path: Path, max_mb: int, *, folder: str, large: str, empty: str = "") -> None:
    """Refuse a file that is missing, a folder, empty or over max_mb (the reader's own words after each)."""
    if not path.exists():
        raise InputError("找不到该文件", file=path)
    if path.is_dir():
        raise InputError(f"这是一个文件夹，{folder}", file=path)
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"文件是空的（0 字节）{empty}", file=path)
    if size > max_mb * 1024 * 1024:
        raise InputError(f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {max_mb} MB），{large}", file=path)


def check_workbook_file(path: str | Path) -> Unread:
    """Raise InputError (one Chinese line) unless the file can be opened by calamine and openpyxl within
    the limits above. Cheap for a normal report (milliseconds); bounded memory for any file.

    Returns, per sheet name, the cells whose value the file does not hold — a formula never calculated
    (files written by other programs, never opened in Excel), an error value (#DIV/0!, #REF!, #N/A) —
    as {(row, col): why}, 0-based, seen in the same pass over the sheet XML (.xlsx/.xlsm; {} otherwise).
    calamine reads both as empty cells, which a table reader would take for 0.00."""
    path = Path(path)
    check_file(path, MAX_FILE_MB, folder="请选择 Excel 文件（文件夹中的全部工作簿用“批量校验”：disclosure batch 文件夹）",
               large="请确认选择的是部门决算公开报表")
    key = _digest(path)
    if key in _passed:
        return _passed[key]
    unread = _check(path)
    if len(_passed) > 64:
        _passed.clear()
    _passed[key] = unread
    return unread


def _digest(path: Path) -> bytes:
    """What a passed file is remembered by: its content (a timestamp can miss a rewrite within a tick)."""
    h = hashlib.blake2b(digest_size=20)
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.digest()


def check_document_file(path: str | Path) -> None:
    """The same gate for a Word document (.docx, a zip like .xlsx) or a text file read by `lint`: size, and
    for a .docx the zip checks (bomb, ratio, lying directory, XML depth and DTD). InputError when refused."""
    path = Path(path)
    if not path.is_file():
        return  # the reader says "找不到该文件" itself
    size = path.stat().st_size
    if size > MAX_FILE_MB * 1024 * 1024:
        raise InputError(f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_MB} MB），不像一份情况说明", file=path)
    if path.suffix.lower() == ".docx" and size:
        with path.open("rb") as fh:
            zipped = fh.read(2) == b"PK"
        if zipped:
            _Book(path, kind="Word 文档", what="情况说明", resave="用 Word/WPS 另存为 .docx ").zip()


def _check(path: Path) -> Unread:
    with path.open("rb") as fh:
        head = fh.read(512)
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise InputError("文件设有打开密码，请在 Excel 中取消密码（文件→信息→保护工作簿）后再导入", file=path)
        _Book(path).biff()
        return {}  # programs that write BIFF store every formula's result
    if head.startswith(b"PK"):
        book = _Book(path)
        book.zip()
        return book.unread
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<", b"mime-version")):
        raise InputError("文件实际是网页（HTML）格式，只是扩展名为 .xls。请在 Excel/WPS 中打开后"
                         "“另存为” Excel 工作簿（.xlsx）再导入", file=path)
    if head.startswith(b"%PDF"):  # a published document where its workbook was meant: say what reads it
        raise InputError("这是 PDF 文件，不是 Excel 工作簿：已公开的 PDF 请用“审核公开 PDF”"
                         "（命令行 disclosure audit）核对，或用“导入报表”（disclosure import）转为工作簿", file=path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"不支持的文件类型“{path.suffix or '无扩展名'}”，请选择 .xlsx 或 .xls 文件", file=path)
    raise InputError("不是有效的 Excel 文件（文件内容既不是 .xlsx 也不是 .xls）", file=path)


def column_letters(col: int) -> str:
    """1-based column number -> 'XFD'."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_number(letters: str) -> int:
    return column_number(letters.upper().encode("ascii"))  # letters: [A-Za-z]{1,3}, as _REF and _SPAN match


class _Sheet(msgspec.Struct):
    """How far one sheet's cells reach, counted as its records stream by."""
    name: str
    rows: int = 0  # row records (openpyxl keeps one object for each styled row)
    max_row: int = 0
    max_col: int = 0


class _Book:
    """The checks of one file; raises InputError naming the file (and sheet, cell) on the first breach."""

    def __init__(self, path: Path, kind: str = EXCEL, what: str = "部门决算报表",
                 resave: str = "用 Excel/WPS 另存为 .xlsx "):
        self.path = path
        self.kind, self.what, self.resave = kind, what, resave  # for the zip checks' messages
        self.cells = 0
        self.strings = 0
        self.sheets = 0
        self.area = 0  # the rectangles of the sheets before the current one
        self.current: _Sheet | None = None
        self.inflated = 0  # bytes inflated so far, all parts
        self.unread: Unread = {}  # cells read as empty though the file has a formula or an error there

    def refuse(self, message: str, sheet: str | None = None, cell: str | None = None) -> InputError:
        return InputError(message, file=self.path, sheet=sheet, cell=cell)

    # ---------------------------------------------------------------- cells (every format)

    def new_sheet(self, name: str) -> _Sheet:
        self.sheets += 1
        if self.sheets > MAX_SHEETS:
            raise self.refuse(f"工作表过多（超过 {MAX_SHEETS} 个），不像部门决算报表，已拒绝读取")
        if self.current is not None:
            self.area += self.current.max_row * self.current.max_col
        self.current = _Sheet(name)
        return self.current

    def row(self, sheet: _Sheet) -> None:
        sheet.rows += 1
        if sheet.rows > MAX_ROWS:
            raise self.refuse(f"行数过多（超过 {MAX_ROWS:,} 行），不像部门决算报表，已拒绝读取。"
                              "请删除多余的行后另存再试", sheet=sheet.name)

    def cell(self, sheet: _Sheet, row: int, col: int, count: int = 1) -> None:
        """`count` cells ending at (row, col), 1-based."""
        self.cells += count
        if row > MAX_ROWS or col > MAX_COLS:
            raise self.refuse(f"远超报表范围（本工具最多读取 {MAX_ROWS:,} 行、{MAX_COLS:,} 列；部门决算公开表只有"
                              "几百行、几十列），已拒绝读取。这个单元格可能只是带有格式（边框、底色）而看不出内容：请在 Excel/WPS "
                              "中删除它所在的多余行列（不是清除内容）后另存再试",
                              sheet=sheet.name, cell=f"{column_letters(max(col, 1))}{max(row, 1)}")
        if row > sheet.max_row or col > sheet.max_col:
            sheet.max_row, sheet.max_col = max(sheet.max_row, row), max(sheet.max_col, col)
            area = sheet.max_row * sheet.max_col
            if area > MAX_SHEET_AREA:
                raise self.refuse(f"从 A1 到单元格 {column_letters(col)}{row} 的区域有 {area:,} 个单元格，"
                                  f"超过上限 {MAX_SHEET_AREA:,}，不像部门决算报表，已拒绝读取。"
                                  "请删除多余的行列后另存再试", sheet=sheet.name)
            if self.area + area > MAX_TOTAL_AREA:
                raise self.refuse(f"各工作表从 A1 到最远单元格的区域合计超过 {MAX_TOTAL_AREA:,} 个单元格"
                                  f"（到本表单元格 {column_letters(col)}{row} 为止），不像部门决算报表，已拒绝读取。"
                                  "请删除多余的工作表或行列后另存再试", sheet=sheet.name)
        if self.cells > MAX_CELLS:
            raise self.refuse(f"单元格过多（超过 {MAX_CELLS:,} 个，含只有格式的空单元格），不像部门决算报表，"
                              "已拒绝读取。请删除多余的行列后另存再试", sheet=sheet.name)

    def string(self) -> None:
        self.strings += 1
        if self.strings > MAX_CELLS:
            raise self.refuse(f"共享字符串过多（超过 {MAX_CELLS:,} 条），不像部门决算报表，已拒绝读取")

    # ---------------------------------------------------------------- zip: .xlsx .xlsm .xlsb .ods

    def zip(self) -> None:
        import zipfile

        with self.path.open("rb") as fh:
            entries = _zip_entries(fh)
            if entries is None:
                raise self.refuse(f"文件已损坏（压缩包结构不完整），请重新导出或{self.resave}后再试")
            if entries > MAX_PARTS:
                raise self.refuse(f"压缩包内的部件过多（{entries:,} 个），不像{self.kind}，已拒绝读取")
            try:
                with zipfile.ZipFile(fh) as zf:
                    infos = zf.infolist()
            except (zipfile.BadZipFile, OSError, ValueError) as exc:
                raise self.refuse(f"文件已损坏（压缩包结构不完整），请重新导出或{self.resave}后再试") from exc
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_MB * 1024 * 1024:
                raise self.refuse(f"文件解压后超过 {MAX_UNZIPPED_MB} MB，不像是{self.what}，已拒绝读取")
            if self.kind == EXCEL and _is_word_document({i.filename for i in infos}):
                raise self.refuse("这是 Word 文档，不是有效的 Excel 工作簿：请选择导出的报表或工作簿；"
                                  "情况说明可用 disclosure lint 情况说明.docx --workbook 工作簿.xlsx 核对")
            names = self._sheet_names(fh, infos)
            self.inflated = 0
            for info in infos:
                self._part(fh, info, names)

    def _sheet_names(self, fh, infos) -> dict[str, str]:
        """Worksheet part -> the sheet's name, from the workbook part and its relationships."""
        by_name = {i.filename: i for i in infos}
        out: dict[str, str] = {}
        for book, rels in (("xl/workbook.xml", "xl/_rels/workbook.xml.rels"),
                           ("xl/workbook.bin", "xl/_rels/workbook.bin.rels")):
            if book not in by_name or rels not in by_name:
                continue
            targets: dict[str, str] = {}

            def relationship(name, attrs):
                if name.rpartition(" ")[2] == "Relationship" and attrs.get("Id") and attrs.get("Target"):
                    target = attrs["Target"]
                    targets[attrs["Id"]] = (target.lstrip("/") if target.startswith("/")
                                            else posixpath.normpath(posixpath.join("xl", target)))

            self._xml(self._inflate(fh, by_name[rels]), rels, relationship, lenient=True)
            if book.endswith(".xml"):
                def sheet(name, attrs):
                    if name.rpartition(" ")[2] == "sheet":
                        rid = next((v for k, v in attrs.items() if k.rpartition(" ")[2] == "id"), None)
                        if rid in targets and attrs.get("name"):
                            out[targets[rid]] = attrs["name"]

                self._xml(self._inflate(fh, by_name[book]), book, sheet, lenient=True)
            else:
                for rid, name in _xlsb_bundles(b"".join(self._inflate(fh, by_name[book]))):
                    if rid in targets:
                        out[targets[rid]] = name
        return out

    def _part(self, fh, info, names: dict[str, str]) -> None:
        name = info.filename
        chunks = self._inflate(fh, info)
        if _SHEET_PARTS.fullmatch(name):
            sheet = self.new_sheet(names.get(name, posixpath.basename(name)))
            if name.endswith(".bin"):
                self._xlsb_sheet(b"".join(chunks), sheet)
            elif info.file_size <= _PLAIN_MAX_BYTES:
                self._worksheet(b"".join(chunks), name, sheet)  # bounded: _inflate stops past file_size
            else:
                self._scan_worksheet(chunks, name, sheet)
        elif name == "content.xml":
            self._xml(chunks, name, *_OdsCells(self).handlers())
        elif name.endswith("sharedStrings.xml"):
            def shared(tag, attrs):
                if tag.rpartition(" ")[2] == "si":
                    self.string()

            self._xml(chunks, name, shared, lenient=True)
        elif name.endswith((".xml", ".rels")):
            self._xml(chunks, name, None, lenient=True)
        else:
            for _ in chunks:  # inflated all the same: counted, ratio and CRC checked
                pass

    def _worksheet(self, data: bytes, part: str, sheet: _Sheet) -> None:
        """A worksheet part: expat with no Python call per element (well-formed, no DTD), then counted by
        plainsheet.read_plain; a part not in its usual form, or reaching a limit, is scanned element by element."""
        try:
            self._xml([data], part, None, sheet=sheet.name, bind=_no_element_handlers)
        except InputError:
            plain = None  # the scan refuses it with its own first reason (a limit may come before the error)
        else:
            plain = read_plain(data, MAX_XML_DEPTH)
        if plain is None or not self._plain_fits(sheet, plain):
            self._scan_worksheet([data], part, sheet)
            return
        sheet.rows += plain.rows
        self.cells += plain.cells
        sheet.max_row, sheet.max_col = max(sheet.max_row, plain.max_row), max(sheet.max_col, plain.max_col)
        for ref in plain.ranges:  # after the cells, as in the part: mergeCells and hyperlinks follow sheetData
            span = _span(ref)
            if span:
                r1, c1, r2, c2 = span
                self.cell(sheet, r2, c2, (r2 - r1 + 1) * (c2 - c1 + 1))
        if plain.unread:
            self.unread[sheet.name] = {at: NO_RESULT if code is None else f"错误值 {code}".strip()
                                       for at, code in plain.unread.items()}

    def _plain_fits(self, sheet: _Sheet, plain: PlainSheet) -> bool:
        """Whether the part's cells stay within every limit (else the scan finds the cell that crosses one)."""
        area = max(sheet.max_row, plain.max_row) * max(sheet.max_col, plain.max_col)
        return (sheet.rows + plain.rows <= MAX_ROWS and plain.max_row <= MAX_ROWS and plain.max_col <= MAX_COLS
                and area <= MAX_SHEET_AREA and self.area + area <= MAX_TOTAL_AREA
                and self.cells + plain.cells <= MAX_CELLS)

    def _scan_worksheet(self, chunks: Iterable[bytes], part: str, sheet: _Sheet) -> None:
        cells = _XlsxCells(self, sheet)
        self._xml(chunks, part, None, sheet=sheet.name, bind=cells.bind)
        if cells.unread:
            self.unread[sheet.name] = cells.unread

    def _inflate(self, fh, info) -> Iterator[bytes]:
        """The part's real content, chunk by chunk, from its raw bytes (the directory's sizes can lie)."""
        if info.flag_bits & 0x1:
            raise self.refuse(f"压缩包内的“{info.filename}”已加密，不是正常的{self.kind}，已拒绝读取")
        if info.compress_type not in (0, 8):  # stored, deflated: all Excel and LibreOffice write
            raise self.refuse(f"压缩包内的“{info.filename}”使用了不支持的压缩方式，请{self.resave}再试")
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise self.refuse(f"文件已损坏（压缩包结构不完整），请重新导出或{self.resave}后再试")
        fh.seek(info.header_offset + 30 + sum(struct.unpack("<HH", header[26:30])))
        left, out, crc = info.compress_size, 0, 0
        inflater = zlib.decompressobj(-15) if info.compress_type == 8 else None
        try:
            while left > 0 or (inflater is not None and inflater.unconsumed_tail):
                if inflater is not None and inflater.unconsumed_tail:
                    data = inflater.decompress(inflater.unconsumed_tail, _CHUNK * 4)
                else:
                    raw = fh.read(min(_CHUNK, left))
                    if not raw:
                        break
                    left -= len(raw)
                    data = inflater.decompress(raw, _CHUNK * 4) if inflater is not None else raw
                if not data:
                    continue
                out += len(data)
                self.inflated += len(data)
                crc = zlib.crc32(data, crc)
                self._bound(info, out)
                yield data
        except zlib.error as exc:
            raise self.refuse(f"文件已损坏（“{info.filename}”无法解压），请重新导出或{self.resave}后再试") from exc
        if out != info.file_size or crc != info.CRC:
            raise self.refuse(f"文件已损坏（“{info.filename}”的内容与压缩包目录不符），请重新导出或{self.resave}后再试")

    def _bound(self, info, out: int) -> None:
        if out > info.file_size:
            raise self.refuse(f"压缩包内的“{info.filename}”实际内容比目录所写的长，文件被篡改或已损坏，已拒绝读取")
        if self.inflated > MAX_UNZIPPED_MB * 1024 * 1024:
            raise self.refuse(f"文件解压后超过 {MAX_UNZIPPED_MB} MB，不像是{self.what}，已拒绝读取")
        if out >= RATIO_FROM_BYTES and out > MAX_RATIO * max(info.compress_size, 1):
            raise self.refuse(f"压缩包内的“{info.filename}”压缩比异常（超过 {MAX_RATIO} 倍，正常的{self.kind}在 "
                              "40 倍以内），可能是恶意构造的“压缩炸弹”，已拒绝读取")

    def _xml(self, chunks: Iterator[bytes], part: str, start: Callable | None, end: Callable | None = None,
             lenient: bool = False, sheet: str | None = None, bind: Callable | None = None) -> None:
        """Stream a part through expat: depth and DTD checked, `start`/`end` see (expat's "namespace local"
        name, attributes). `bind(parser, too_deep)` instead sets the element handlers itself, counting the
        depth (a worksheet's scanner: one Python call per element, not two). A malformed part the readers
        would skip over is refused unless `lenient` (parts whose content cannot allocate cells: the readers
        stop at the same error)."""
        parser = expat.ParserCreate(namespace_separator=" ")
        depth = 0

        def too_deep() -> InputError:
            return self.refuse(f"“{part}”的 XML 嵌套超过 {MAX_XML_DEPTH} 层，不是正常的{self.kind}，已拒绝读取")

        def on_start(name, attrs):
            nonlocal depth
            depth += 1
            if depth > MAX_XML_DEPTH:
                raise too_deep()
            if start is not None:
                start(name, attrs)

        def on_end(name):
            nonlocal depth
            depth -= 1
            if end is not None:
                end(name)

        def doctype(*_):
            raise self.refuse(f"“{part}”含有文档类型定义（DTD），正常的{self.kind}没有，已拒绝读取")

        if bind is not None:
            bind(parser, too_deep)
        else:
            parser.StartElementHandler, parser.EndElementHandler = on_start, on_end
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        try:
            for data in chunks:
                parser.Parse(data, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            if lenient:
                for _ in chunks:  # the rest still counts toward the size limits
                    pass
                return
            raise self.refuse(f"“{part}”不是有效的 XML（第 {exc.lineno} 行第 {exc.offset + 1} 列），文件已损坏。"
                              "请用 Excel/WPS 打开后另存为 .xlsx 再试", sheet=sheet) from None

    def _xlsb_sheet(self, data: bytes, sheet: _Sheet) -> None:
        """BIFF12 records: BrtRowHdr (0) gives the row, cell records (1–11) start with the column."""
        row = 0
        try:
            for kind, pos in _xlsb_records(data):
                if kind == 0:
                    row = struct.unpack_from("<I", data, pos)[0] + 1
                    self.row(sheet)
                elif 1 <= kind <= 11:
                    self.cell(sheet, row, struct.unpack_from("<I", data, pos)[0] + 1)
        except (IndexError, struct.error):
            raise self.refuse("文件已损坏（工作表记录不完整），请用 Excel 打开后另存为 .xlsx 再试",
                              sheet=sheet.name) from None

    # ---------------------------------------------------------------- .xls (BIFF5/8 in an OLE container)

    def biff(self) -> None:
        """Cell records of every sheet substream. Only cells with a value count: calamine skips the blank
        ones (and openpyxl does not open .xls). The DIMENSIONS record is not trusted."""
        import olefile

        try:
            with olefile.OleFileIO(str(self.path)) as ole:
                stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
                if stream is None:
                    raise self.refuse("不是有效的 Excel 文件（.xls 中没有工作簿数据），请用 Excel/WPS 另存为 .xlsx 再试")
                data = ole.openstream(stream).read()
        except InputError:
            raise
        except Exception as exc:  # olefile raises several kinds for a broken container
            raise self.refuse("文件已损坏或不是有效的 Excel 文件，无法读取。请在 Excel/WPS 中打开后另存为 .xlsx 再试") from exc
        names, sheet, pos, end = {}, None, 0, len(data)
        unpack = struct.unpack_from
        while pos + 4 <= end:
            kind, size = unpack("<HH", data, pos)
            body = pos + 4
            if kind == 0x002F and sheet is None:  # FILEPASS: the workbook is encrypted
                raise self.refuse("文件设有打开密码，请在 Excel 中取消密码（文件→信息→保护工作簿）后再导入")
            if kind == 0x0085 and size >= 8:  # BOUNDSHEET: where a sheet's substream starts, its name
                names[unpack("<I", data, body)[0]] = _biff_name(data[body + 6: body + size])
            elif kind == 0x0809 and pos > 0:  # BOF of a sheet substream
                sheet = self.new_sheet(names.get(pos, f"第 {self.sheets + 1} 个工作表"))
            elif sheet is not None and size >= 4:
                if kind in (0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6):  # cells with a value
                    row, col = unpack("<HH", data, body)
                    self.cell(sheet, row + 1, col + 1)
                elif kind == 0x00E5 and size >= 2:  # MERGEDCELLS: calamine lists each merged range
                    for i in range(min(unpack("<H", data, body)[0], (size - 2) // 8)):
                        _, last_row, _, last_col = unpack("<HHHH", data, body + 2 + 8 * i)
                        self.cell(sheet, last_row + 1, last_col + 1)
                elif kind == 0x00BD and size >= 6:  # MULRK: several numbers in a row
                    row, first = unpack("<HH", data, body)
                    last = unpack("<H", data, body + size - 2)[0]
                    if last >= first:
                        self.cell(sheet, row + 1, last + 1, last - first + 1)
            pos = body + size


# what _XlsxCells does with an element, by its local name (anything else: nothing)
_CELL, _FORMULA, _VALUE, _INLINE, _ROW, _RANGE = range(1, 7)
_KINDS = {"c": _CELL, "f": _FORMULA, "v": _VALUE, "is": _INLINE, "row": _ROW, "mergeCell": _RANGE, "hyperlink": _RANGE}
_refs: dict[str, tuple[int, int] | None] = {}  # "C7" -> (column, row); the same few hundred in every report


def _ref(text: str) -> tuple[int, int] | None:
    """(column, row), 1-based, of a cell reference such as 'C7' or '$C$7'; None for anything else."""
    found = _refs.get(text, False)
    if found is False:
        if len(text) > 12:  # longer than $XFD$1048576: no reference (and not kept)
            return None
        m = _REF.fullmatch(text)
        found = (_column_number(m[1]), int(m[2])) if m else None
        if len(_refs) > 100_000:  # bounded, whatever a file holds
            _refs.clear()
        _refs[text] = found
    return found


class _XlsxCells:
    """<row r=…> and <c r=…> of a worksheet part; a cell or row without r follows the previous one. A part
    in its usual form is read by plainsheet.py instead (regular expressions, a quarter faster); this scan is
    the reference it must agree with, and reads everything else.

    Called for every element of the sheet, so kept cheap (issue 18: this scan was a quarter of reading
    and checking a report): one call per start and end tag, the depth counted here, the kind of an element
    looked up once per name, a cell inside the sheet's extent so far only counted, and text listened to
    only inside the <v> of a formula or error cell (the only cells whose value text matters here; a report's
    inline strings are mostly character references, each of which expat would report on its own). The
    handlers are closures over local variables, and the attributes come as expat's flat [name, value, …]
    list rather than a dict per element: together half the time (~5,000 elements a report)."""

    def __init__(self, book: _Book, sheet: _Sheet):
        self.book, self.sheet = book, sheet
        self.unread: dict[tuple[int, int], str] = {}  # (row, col) 0-based -> why the cell holds no value

    def bind(self, parser, too_deep: Callable[[], InputError]) -> None:
        book, sheet, unread = self.book, self.sheet, self.unread
        refs, max_cells, max_depth = _refs, MAX_CELLS, MAX_XML_DEPTH
        kinds: dict[str, int] = {}  # expat's name ("namespace local") -> _KINDS of its local name
        depth = row = col = 0
        # the cell being read: is it an error (t="e"), has it a formula, has it a value; the text of its <v>
        error = formula = valued = False
        value = ""

        def start(name: str, attrs: list) -> None:
            nonlocal depth, row, col, error, formula, valued, value
            depth += 1
            if depth > max_depth:
                raise too_deep()
            kind = kinds.get(name)
            if kind is None:
                kind = kinds[name] = _KINDS.get(name.rpartition(" ")[2], 0)
            if not kind:
                return
            if kind == _CELL:
                r = attrs[1] if attrs and attrs[0] == "r" else _attr(attrs, "r")  # r comes first as written
                at = refs.get(r, False)
                if at is False:
                    at = _ref(r)
                if at:
                    col, row = at
                else:
                    col += 1
                if 0 < row <= sheet.max_row and col <= sheet.max_col and book.cells < max_cells:
                    book.cells += 1  # inside what the sheet already reaches: no limit can be crossed
                else:
                    book.cell(sheet, max(row, 1), col)
                error, formula, valued, value = "e" in attrs and _attr(attrs, "t") == "e", False, False, ""
            elif kind == _VALUE:
                if error or formula:  # <f> comes before <v> (CT_Cell); a plain value's text is not needed
                    parser.CharacterDataHandler = text
            elif kind == _FORMULA:
                formula = True
            elif kind == _INLINE:  # an inline string is a value
                valued = True
            elif kind == _ROW:
                r = attrs[1] if attrs and attrs[0] == "r" else _attr(attrs, "r")
                row = int(r) if r.isdecimal() else row + 1
                col = 0
                book.row(sheet)
            elif kind == _RANGE:  # mergeCell, hyperlink: openpyxl makes an object for every cell of the range
                span = _span(_attr(attrs, "ref"))
                if span:
                    r1, c1, r2, c2 = span
                    book.cell(sheet, r2, c2, (r2 - r1 + 1) * (c2 - c1 + 1))

        def text(data: str) -> None:  # set only inside the <v> of a formula or error cell
            nonlocal value
            if len(value) < 64:  # an error code is short; a long value only needs to exist
                value += data

        def end(name: str) -> None:
            nonlocal depth, valued
            depth -= 1
            kind = kinds.get(name)
            if kind == _VALUE:
                parser.CharacterDataHandler = None
                valued = valued or bool(value.strip())
            elif kind == _CELL and (error or formula):
                where = (max(row, 1) - 1, col - 1)
                if error:
                    unread[where] = f"错误值 {value.strip()}".strip()
                elif not valued:
                    unread[where] = NO_RESULT

        parser.ordered_attributes = True
        parser.StartElementHandler, parser.EndElementHandler = start, end


def _is_word_document(names: set[str]) -> bool:
    """A .docx (its main part word/document.xml) with no workbook part: a Word file chosen for a workbook."""
    return "word/document.xml" in names and not names & {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}


def _no_element_handlers(parser, too_deep) -> None:
    """_xml's bind for a worksheet only parsed for well-formedness and DTD (plainsheet counts the rest)."""


def _attr(attrs: list, name: str) -> str:
    """The value of attribute `name` in expat's ordered [name, value, name, value, …] list; "" if absent."""
    for i in range(0, len(attrs) - 1, 2):
        if attrs[i] == name:
            return attrs[i + 1]
    return ""


class _OdsCells:
    """content.xml of an .ods: rows and cells with their repeat counts. Only cells with content count
    (LibreOffice ends every sheet with a million repeated empty rows; calamine skips those)."""

    def __init__(self, book: _Book):
        self.book = book
        self.sheet: _Sheet | None = None
        self.row = 0  # rows before the current one
        self.row_repeat = 1
        self.col = 0
        self.cell_repeat = 0  # > 0 while inside a cell
        self.cell_content = False
        self.row_cells = 0  # content cells in the current row
        self.row_far = 0  # the farthest column with content in the current row

    def handlers(self):
        return self.start, self.end

    def start(self, name: str, attrs: dict) -> None:
        if self.cell_repeat:
            self.cell_content = True  # anything inside a cell (text:p …) is content
            return
        uri, _, local = name.rpartition(" ")
        if uri != _TABLE:
            return
        if local == "table":
            self.sheet = self.book.new_sheet(attrs.get(f"{_TABLE} name", f"第 {self.book.sheets + 1} 个工作表"))
            self.row = 0
        elif local == "table-row" and self.sheet is not None:
            self.row_repeat = _count(attrs.get(f"{_TABLE} number-rows-repeated"))
            self.col = self.row_cells = self.row_far = 0
        elif local in ("table-cell", "covered-table-cell") and self.sheet is not None:
            self.cell_repeat = _count(attrs.get(f"{_TABLE} number-columns-repeated"))
            self.cell_content = f"{_OFFICE} value-type" in attrs or f"{_TABLE} formula" in attrs

    def end(self, name: str) -> None:
        uri, _, local = name.rpartition(" ")
        if uri != _TABLE or self.sheet is None:
            return
        if local in ("table-cell", "covered-table-cell") and self.cell_repeat:
            self.col += self.cell_repeat
            if self.cell_content:
                self.row_cells += self.cell_repeat
                self.row_far = self.col
            self.cell_repeat, self.cell_content = 0, False
        elif local == "table-row":
            self.row += self.row_repeat
            if self.row_cells:
                self.book.row(self.sheet)
                self.book.cell(self.sheet, self.row, self.row_far, self.row_cells * self.row_repeat)
            self.row_repeat = 1


def _span(ref: str) -> tuple[int, int, int, int] | None:
    """'B2:D9' -> (2, 2, 9, 4); a whole-row range '3:7' spans column A only, a whole-column one row 1
    only (openpyxl fills them up to the cells it has); None for what is not a range."""
    m = _REF.fullmatch(ref)
    if m:
        row, col = int(m[2]), _column_number(m[1])
        return row, col, row, col
    m = _SPAN.fullmatch(ref)
    if not m or bool(m[1]) != bool(m[3]) or bool(m[2]) != bool(m[4]) or not (m[1] or m[2]):
        return None
    r1, r2 = (int(m[2]), int(m[4])) if m[2] else (1, 1)
    c1, c2 = (_column_number(m[1]), _column_number(m[3])) if m[1] else (1, 1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _count(text: str | None) -> int:
    return int(text) if text and text.isdecimal() and int(text) > 0 else 1


def _biff_name(body: bytes) -> str:
    """The name in a BOUNDSHEET record (after lbPlyPos, state, type): BIFF8 Unicode or 8-bit codepage."""
    if not body:
        return "?"
    n = body[0]
    if len(body) >= 2 + n and body[1] in (0, 1):  # BIFF8: a flags byte (bit 0: UTF-16)
        raw = body[2:2 + n * (2 if body[1] else 1)]
        return raw.decode("utf-16-le" if body[1] else "latin-1", "replace")
    return body[1:1 + n].decode("gbk", "replace")


def _xlsb_bundles(data: bytes) -> Iterator[tuple[str, str]]:
    """(relationship id, sheet name) of each BrtBundleSh (156) record of an xlsb's workbook.bin."""
    try:
        for kind, pos in _xlsb_records(data):
            if kind == 156:
                p = pos + 8
                n = struct.unpack_from("<I", data, p)[0]
                rid = data[p + 4:p + 4 + 2 * n].decode("utf-16-le", "replace") if n != 0xFFFFFFFF else ""
                p += 4 + (2 * n if n != 0xFFFFFFFF else 0)
                m = struct.unpack_from("<I", data, p)[0]
                yield rid, data[p + 4:p + 4 + 2 * m].decode("utf-16-le", "replace")
    except (IndexError, struct.error):
        return


def _xlsb_records(data: bytes) -> Iterator[tuple[int, int]]:
    """(record type, offset of its body) of each BIFF12 record: a 1–2 byte type and a 1–4 byte size, 7 bits each."""
    pos, end = 0, len(data)
    while pos < end:
        kind = data[pos]
        pos += 1
        if kind & 0x80:
            kind = (kind & 0x7F) | ((data[pos] & 0x7F) << 7)
            pos += 1
        size = shift = 0
        for _ in range(4):
            b = data[pos]
            pos += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        yield kind, pos
        pos += size


def _zip_entries(fh) -> int | None:
    """The number of parts the zip's end record announces (zip64 too), read before zipfile builds an
    object for every one of them; None when there is no end record."""
    fh.seek(0, 2)
    size = fh.tell()
    tail_at = max(0, size - 65_557)
    fh.seek(tail_at)
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    entries = struct.unpack_from("<H", tail, at + 10)[0]
    if entries != 0xFFFF:
        return entries
    locator = at - 20
    if locator < 0 or tail[locator:locator + 4] != b"PK\x06\x07":
        return entries
    fh.seek(struct.unpack_from("<Q", tail, locator + 8)[0])
    record = fh.read(56)
    return struct.unpack_from("<Q", record, 32)[0] if record[:4] == b"PK\x06\x06" else None
