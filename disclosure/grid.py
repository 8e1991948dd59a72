"""Raw grids of every sheet of a spreadsheet file (python-calamine: fast, values only).

Also the gatekeeper for bad files: missing, empty, too large, encrypted, HTML saved as .xls,
corrupt zip — each gets one Chinese line instead of a library traceback.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from .errors import InputError

MAX_FILE_MB = 50
MAX_UNZIPPED_MB = 400  # an .xlsx whose parts inflate beyond this is not a department's report
SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


@dataclass
class Sheet:
    name: str
    rows: list[list]  # 0-based rows of cell values ('' for empty)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), 0-based

    @property
    def height(self) -> int:
        return len(self.rows)

    def value(self, row: int, col: int) -> object:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            v = self.rows[row][col]
            return None if v == "" else v
        return None

    def text(self, row: int, col: int) -> str:
        v = self.value(row, col)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).replace("\u3000", " ").replace("\xa0", " ").strip()


def coord(row: int, col: int) -> str:
    """0-based (row, col) -> 'C7'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def read_sheets(path: str | Path) -> list[Sheet]:
    path = Path(path)
    _check_file(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            merged = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []]
            sheets.append(Sheet(name=name, rows=sheet.to_python(skip_empty_area=False), merged=merged))
        return sheets
    except InputError:
        raise
    except Exception as exc:  # calamine raises several types for broken files; all mean the same to the user
        raise InputError("文件已损坏或不是有效的 Excel 文件，无法读取。请在 Excel/WPS 中打开后另存为 .xlsx 再试",
                         file=path) from exc


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputError("找不到该文件", file=path)
    if path.is_dir():
        raise InputError("这是一个文件夹，请选择 Excel 文件", file=path)
    size = path.stat().st_size
    if size == 0:
        raise InputError("文件是空的（0 字节）", file=path)
    if size > MAX_FILE_MB * 1024 * 1024:
        raise InputError(f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_MB} MB），"
                         "请确认选择的是部门决算公开报表", file=path)
    with path.open("rb") as fh:
        head = fh.read(512)
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise InputError("文件设有打开密码，请在 Excel 中取消密码（文件→信息→保护工作簿）后再导入", file=path)
        return  # a real .xls (BIFF); calamine reads it
    if head.startswith(b"PK"):
        _check_zip(path)
        return
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<", b"mime-version")):
        raise InputError("文件实际是网页（HTML）格式，只是扩展名为 .xls。请在 Excel/WPS 中打开后"
                         "“另存为” Excel 工作簿（.xlsx）再导入", file=path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"不支持的文件类型“{path.suffix or '无扩展名'}”，请选择 .xlsx 或 .xls 文件", file=path)
    raise InputError("不是有效的 Excel 文件（文件内容既不是 .xlsx 也不是 .xls）", file=path)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError("文件已损坏（压缩包结构不完整），请重新导出或另存为 .xlsx 后再试", file=path) from exc
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_MB * 1024 * 1024:
        raise InputError(f"文件解压后超过 {MAX_UNZIPPED_MB} MB，不像是部门决算报表，已拒绝读取", file=path)
