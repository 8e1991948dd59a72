"""Hostile output paths (issue 15: one output-path helper, writers that fail in plain Chinese naming the target).

A corpus generated here — nothing binary is committed — of output paths an officer can type by mistake: the
workbook itself under every spelling (same name, ./, a ../ detour, the absolute path, a symlink, a hard link),
the export being imported, the 情况说明 as its own facts file, a file where a folder should be, a folder under
a file, a name of 300 bytes, a read-only place, one of the batch folder's workbooks; and texts `lint` must not
pass silently (empty, whitespace only, an empty .docx). Each runs as the officer would (a real process, 1 GiB of
address space, tests/hostile.py) and must be refused in one Chinese line naming the target and why, exit ≠ 0
and never 3, every file in the folder byte-identical, nothing new in it (no report, no backup, no temporary
file), within seconds. Then what must work: a 100-character 单位名称 exported (file names shortened, the full
name inside the documents), a read-only workbook written twice (its backup stays writable), an old manifest
that lists the workbook (never deleted); and the helper's pieces in process (case folding, errno → message,
a failed write names the target, never the temporary file).

Read-only place: tests run as root here, which ignores mode bits, so a folder of mode 0555 is writable; sysfs
refuses to create files even for root (EACCES), so under root the read-only place is /sys and the refusal comes
from the write itself (outputs.writing); as another user it is a 0555 folder and the check before the work
(os.access) refuses it. Both must give the same kind of line.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
import yaml
from docx import Document as WordDocument
from openpyxl import load_workbook

from conftest import SAMPLE, build_sample_book
from disclosure import outputs
from disclosure.export.package import base_name
from disclosure.files import atomic_write, backup_path
from disclosure.outputs import FOLDER, OutputError, check_output, name_length, safe_stem, same_file, writing
from hostile import assert_refused, leftovers, run, snapshot

SECONDS = 20
LONG = "长" * 99  # 297 bytes of UTF-8: with any suffix, over the 255 a file name may have
ROOT_USER = os.geteuid() == 0


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample_book(tmp_path_factory.mktemp("sample") / "样例.xlsx")


@pytest.fixture(scope="module")
def readonly_place(tmp_path_factory) -> Path:
    """A folder nobody may create files in (see the module's docstring)."""
    if ROOT_USER:
        return Path("/sys")
    folder = tmp_path_factory.mktemp("readonly")
    folder.chmod(0o555)
    return folder


@dataclass
class Ctx:
    """A folder of the files a case works on: wb.xlsx (a filled workbook), export.xlsx (a 部门决算软件 export),
    links to the workbook, a plain file, a subfolder, books/ with one workbook, texts lint cannot read."""
    folder: Path
    readonly: Path
    wb: Path = field(init=False)

    def __post_init__(self):
        self.wb = self.folder / "wb.xlsx"


@pytest.fixture
def ctx(sample, readonly_place, tmp_path) -> Ctx:
    c = Ctx(tmp_path, readonly_place)
    shutil.copy(sample, c.wb)
    shutil.copy(SAMPLE, tmp_path / "export.xlsx")
    (tmp_path / "link.xlsx").symlink_to("wb.xlsx")
    (tmp_path / "link.docx").symlink_to("wb.xlsx")
    os.link(c.wb, tmp_path / "hard.xlsx")
    (tmp_path / "afile").write_text("一个文件，不是文件夹", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "books").mkdir()
    shutil.copy(sample, tmp_path / "books" / "甲.xlsx")
    (tmp_path / "空.txt").write_bytes(b"")
    (tmp_path / "空白.txt").write_text(" \n\t\n\u3000\u3000\n\r\n", encoding="utf-8")
    WordDocument().save(str(tmp_path / "空.docx"))
    return c


@dataclass
class Case:
    args: Callable[[Ctx], list]  # the command line, from the case's folder
    names: Callable[[Ctx], list[str]]  # each must be in the one line of the refusal
    module: str = "disclosure"


def _ack(c: Ctx) -> list:
    return ["check", "wb.xlsx", "--ack", "T05.2@公开05表!E20", "--reason", "已核实", "--xlsx", "wb.xlsx"]


SAME = "就是要校验的工作簿本身"
CASES = {
    # the overwrite: check --xlsx WB replaced the workbook with the report
    "check --xlsx onto the workbook": Case(lambda c: ["check", "wb.xlsx", "--xlsx", "wb.xlsx"],
                                           lambda c: ["“wb.xlsx”", SAME]),
    "check --xlsx ./workbook": Case(lambda c: ["check", "wb.xlsx", "--xlsx", "./wb.xlsx"], lambda c: ["wb.xlsx", SAME]),
    "check --xlsx a ../ detour": Case(lambda c: ["check", "wb.xlsx", "--xlsx", "sub/../wb.xlsx"],
                                      lambda c: ["“sub/../wb.xlsx”", SAME]),
    "check --xlsx the absolute path": Case(lambda c: ["check", "wb.xlsx", "--xlsx", c.wb], lambda c: [f"“{c.wb}”", SAME]),
    "check --xlsx a symlink to it": Case(lambda c: ["check", "wb.xlsx", "--xlsx", "link.xlsx"],
                                         lambda c: ["“link.xlsx”", "“wb.xlsx”", SAME]),
    "check --xlsx a hard link to it": Case(lambda c: ["check", "wb.xlsx", "--xlsx", "hard.xlsx"],
                                           lambda c: ["“hard.xlsx”", "“wb.xlsx”", SAME]),
    "check --ack with --xlsx onto the workbook": Case(_ack, lambda c: ["“wb.xlsx”", SAME]),
    "import -o onto the export": Case(lambda c: ["import", "export.xlsx", "-o", "export.xlsx", "--force"],
                                      lambda c: ["“export.xlsx”", "就是导入的报表本身"]),
    "import -o onto its --prior": Case(lambda c: ["import", "export.xlsx", "-o", "wb.xlsx", "--force", "--prior", "wb.xlsx"],
                                       lambda c: ["“wb.xlsx”", "就是上年工作簿本身"]),
    "narrative --facts onto the workbook": Case(lambda c: ["narrative", "wb.xlsx", "-o", "说明.txt", "--facts", "wb.xlsx"],
                                                lambda c: ["“wb.xlsx”", "就是工作簿本身"]),
    "narrative -o a symlink to the workbook": Case(lambda c: ["narrative", "wb.xlsx", "-o", "link.docx"],
                                                   lambda c: ["“link.docx”", "“wb.xlsx”"]),
    "narrative --facts onto its own -o": Case(lambda c: ["narrative", "wb.xlsx", "-o", "说明.txt", "--facts", "说明.txt"],
                                              lambda c: ["“说明.txt”", "就是情况说明输出文件本身"]),
    "export -o where a file stands": Case(lambda c: ["export", "wb.xlsx", "-o", "afile", "--no-pdf"],
                                          lambda c: ["“afile”", "是一个文件，不是文件夹"]),
    "export -o the workbook itself": Case(lambda c: ["export", "wb.xlsx", "-o", "wb.xlsx", "--no-pdf"],
                                          lambda c: ["“wb.xlsx”", "就是要导出的工作簿本身"]),
    "export -o a folder under a file": Case(lambda c: ["export", "wb.xlsx", "-o", "afile/包", "--no-pdf"],
                                            lambda c: ["“afile/包”", "是一个文件，不是文件夹"]),
    "check --xlsx under a file": Case(lambda c: ["check", "wb.xlsx", "--xlsx", "afile/报告.xlsx"],
                                      lambda c: ["“afile/报告.xlsx”", "是一个文件，不是文件夹"]),
    "template -o under a file": Case(lambda c: ["template", "--year", "2024", "-o", "afile/模板.xlsx"],
                                     lambda c: ["“afile/模板.xlsx”", "是一个文件，不是文件夹"]),
    "template -o onto a folder": Case(lambda c: ["template", "--year", "2024", "-o", "sub"],
                                      lambda c: ["“sub”", "已有的文件夹"]),
    "check --xlsx a 300-byte name": Case(lambda c: ["check", "wb.xlsx", "--xlsx", f"{LONG}.xlsx"],
                                         lambda c: [f"“{LONG}.xlsx”", "太长", "302 字节"]),
    "narrative -o a 300-byte name": Case(lambda c: ["narrative", "wb.xlsx", "-o", f"{LONG}.docx"],
                                         lambda c: [f"“{LONG}.docx”", "太长"]),
    "export -o a 300-byte folder name": Case(lambda c: ["export", "wb.xlsx", "-o", f"{LONG}包", "--no-pdf"],
                                             lambda c: [f"“{LONG}包”", "太长"]),
    "export into a read-only place": Case(lambda c: ["export", "wb.xlsx", "-o", c.readonly / "公开包", "--no-pdf"],
                                          lambda c: [f"“{c.readonly / '公开包'}”", "只读"]),
    "check --xlsx into a read-only place": Case(lambda c: ["check", "wb.xlsx", "--xlsx", c.readonly / "报告.xlsx"],
                                                lambda c: [f"“{c.readonly / '报告.xlsx'}”", "只读"]),
    "batch -o onto one of the folder's workbooks": Case(lambda c: ["batch", "books", "-o", "books/甲.xlsx"],
                                                        lambda c: ["“books/甲.xlsx”", SAME]),
    "batch --export where a file stands": Case(lambda c: ["batch", "books", "--export", "afile"],
                                               lambda c: ["“afile”", "是一个文件，不是文件夹"]),
    "lint an empty text": Case(lambda c: ["lint", "空.txt", "--workbook", "wb.xlsx"], lambda c: ["“空.txt”", "没有核对"]),
    "lint a whitespace-only text": Case(lambda c: ["lint", "空白.txt", "--workbook", "wb.xlsx"],
                                        lambda c: ["“空白.txt”", "没有核对"]),
    "lint an empty .docx": Case(lambda c: ["lint", "空.docx", "--workbook", "wb.xlsx"], lambda c: ["“空.docx”"]),
    "add-in export -o where a file stands": Case(lambda c: ["run", "export", "wb.xlsx", "-o", "afile"],
                                                 lambda c: ["“afile”", "是一个文件，不是文件夹"], module="addin"),
}


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_output_is_refused_and_changes_nothing(name, ctx):
    case = CASES[name]
    files = _files(ctx.folder)
    before = snapshot(*files)
    stray = sorted(p.name for p in ctx.readonly.iterdir() if p.name.startswith(".~")) if ROOT_USER else []
    result = run(*case.args(ctx), module=case.module, cwd=ctx.folder, timeout=60)
    assert_refused(result, names=case.names(ctx), before=before, folder=ctx.folder)
    assert _files(ctx.folder) == files, "a refused command left a file behind"
    assert result.seconds < SECONDS
    if ROOT_USER:  # nothing left in the read-only place either
        assert sorted(p.name for p in ctx.readonly.iterdir() if p.name.startswith(".~")) == stray


# ---------------------------------------------------------------- what must work

def _long_named(sample: Path, folder: Path, unit: str) -> Path:
    book = Path(shutil.copy(sample, folder / f"{len(unit)}.xlsx"))
    wb = load_workbook(book)
    assert wb["封面"]["A3"].value == "单位名称"
    wb["封面"]["B3"] = unit
    wb.save(book)
    return book


def test_a_100_character_unit_name_exports_with_short_file_names_and_the_full_name_inside(sample, tmp_path):
    unit = "陕西省榆林市子洲县医疗保障局" * 7 + "机关"  # 100 characters, 300 bytes of UTF-8
    assert len(unit) == 100
    book = _long_named(sample, tmp_path, unit)
    result = run("export", book, "-o", tmp_path / "包", "--no-pdf", "--zip", cwd=tmp_path)
    assert result.code == 0, result.err
    names = sorted(p.name for p in (tmp_path / "包").iterdir())
    docx = next(n for n in names if n.endswith(".docx"))
    zipped = next(n for n in names if n.endswith("公开包.zip"))
    assert all(name_length(n) <= 255 for n in names), names
    assert docx.startswith(unit[:40]) and docx.endswith("-2024年度部门决算.docx") and "~" in docx
    assert zipped == docx.removesuffix(".docx") + "公开包.zip"
    text = "\n".join(p.text for p in WordDocument(str(tmp_path / "包" / docx)).paragraphs)
    assert unit in text  # the document keeps the whole name
    manifest = json.loads((tmp_path / "包" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["unit"] == unit and docx in [f["name"] for f in manifest["files"]]
    assert leftovers(tmp_path) == []


def test_two_long_unit_names_that_differ_only_at_the_end_get_different_file_names():
    a, b = base_name("长" * 120 + "甲", 2024), base_name("长" * 120 + "乙", 2024)
    assert a != b and a[:40] == b[:40]
    assert max(name_length(n + "公开包.zip") for n in (a, b)) <= 255
    assert base_name("子洲县医疗保障局", 2024) == "子洲县医疗保障局2024年度部门决算"  # short names untouched


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_read_only_workbook_is_written_twice_and_its_backup_stays_writable(sample, tmp_path):
    """The old backup was shutil.copy2: it copied the read-only mode, and the next write failed on the
    backup. Now the backup gets a normal mode, and is replaced whole by the next run."""
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    book.chmod(0o444)
    for i, phone in enumerate(["0912-1111111", "0912-2222222"]):
        data = tmp_path / f"{i}.yaml"
        data.write_text(yaml.safe_dump({"联系电话": phone}, allow_unicode=True), encoding="utf-8")
        before = book.read_bytes()
        result = run("inputs", book, "--set-from", data, cwd=tmp_path)
        assert result.code == 0, result.err
        assert backup_path(book).read_bytes() == before  # the backup is the workbook as it was
        assert _mode(backup_path(book)) & 0o200, oct(_mode(backup_path(book)))
        assert _mode(book) == 0o444  # the officer's choice of mode is kept
        assert run("inputs", book, "--dump", "--json", cwd=tmp_path).out.count(phone) == 1
    assert leftovers(tmp_path) == []


def test_the_add_in_writes_a_read_only_workbook_twice(sample, tmp_path):
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    book.chmod(0o444)
    for _ in range(2):
        result = run("run", "check", book, module="addin", cwd=tmp_path)
        assert result.code == 0, result.err
        assert "校验结果" in load_workbook(book, read_only=True).sheetnames
        assert _mode(backup_path(book)) & 0o200
    assert leftovers(tmp_path) == []


def test_an_old_manifest_that_lists_the_workbook_never_gets_it_deleted(sample, tmp_path):
    """Export removes the files of the previous package that this one does not have, as its manifest lists
    them; a manifest naming the workbook itself (hand-edited, or copied) must not cost the officer it."""
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    content = book.read_bytes()
    (tmp_path / "manifest.json").write_text(json.dumps({"files": [{"name": "wb.xlsx"}]}), encoding="utf-8")
    result = run("export", book, "-o", tmp_path, "--no-pdf", cwd=tmp_path)
    assert result.code == 0, result.err
    assert book.read_bytes() == content and (tmp_path / "公开表.xlsx").exists()


# ---------------------------------------------------------------- the helper's pieces, in process

def test_case_is_folded_where_the_file_system_folds_it(tmp_path, monkeypatch):
    """On Windows WB.XLSX and wb.xlsx are one file, also before either exists; normcase says so."""
    wb = tmp_path / "wb.xlsx"
    assert not same_file(tmp_path / "WB.XLSX", wb)  # Linux: two names
    monkeypatch.setattr(outputs.os.path, "normcase", lambda p: os.fspath(p).lower())
    assert same_file(tmp_path / "WB.XLSX", wb)
    with pytest.raises(OutputError, match="输出文件“.*WB.XLSX”就是输入文件本身"):
        check_output(tmp_path / "WB.XLSX", [wb])


def test_windows_counts_name_length_in_utf16_units(monkeypatch):
    name = "长" * 200  # 600 bytes of UTF-8, 200 UTF-16 units
    assert name_length(name) == 600 and safe_stem(name) != name
    monkeypatch.setattr(outputs, "WINDOWS", True)
    assert name_length(name) == 200 and safe_stem(name) == name
    assert name_length("长" * 300) == 300 and name_length(safe_stem("长" * 300, [".docx"]) + ".docx") <= 255


@pytest.mark.parametrize("code, words", [
    (errno.EACCES, "只读、没有写入权限"), (errno.EPERM, "只读、没有写入权限"), (errno.EROFS, "只读"),
    (errno.ENOSPC, "磁盘空间不足"), (errno.ENAMETOOLONG, "太长"), (errno.ENOTDIR, "文件挡在文件夹的位置上"),
    (errno.EBUSY, "正被其他程序打开"), (errno.EIO, "写入失败"),
])
def test_a_failed_write_names_the_target_never_the_temporary_file(code, words, tmp_path):
    target = tmp_path / "报告.xlsx"
    target.write_bytes(b"old")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(code, os.strerror(code), str(tmp))

    with pytest.raises(OutputError) as caught:
        atomic_write(target, broken)
    message = str(caught.value)
    assert message.startswith(f"无法写出“{target}”：") and words in message and ".~" not in message
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["报告.xlsx"]


def test_a_sharing_violation_on_windows_says_the_file_is_open():
    exc = OSError(errno.EACCES, "Permission denied")
    exc.winerror = 32
    assert outputs.why(exc).startswith("文件正被其他程序打开")


def test_a_backup_that_cannot_be_replaced_leaves_workbook_and_old_backup_as_they_were(tmp_path, monkeypatch):
    book = tmp_path / "wb.xlsx"
    book.write_bytes(b"current")
    backup_path(book).write_bytes(b"previous")
    real = os.replace

    def replace(src, dst):
        if Path(dst) == backup_path(book):
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError, match="无法写出备份“.*wb.备份.xlsx”"):
        atomic_write(book, lambda tmp: tmp.write_bytes(b"new"), backup=True)
    assert book.read_bytes() == b"current" and backup_path(book).read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wb.xlsx", "wb.备份.xlsx"]


def test_an_error_of_a_file_made_in_the_staging_folder_is_said_of_the_output(tmp_path):
    staging, outdir = tmp_path / ".~导出中.x", tmp_path / "公开包"
    staging.mkdir()
    with pytest.raises(OutputError) as caught, writing(outdir, staged_in=staging):
        raise OutputError(f"无法写出“{staging / '公开表.xlsx'}”：磁盘空间不足", staging / "公开表.xlsx", "磁盘空间不足")
    assert str(caught.value) == f"无法写出“{outdir}”：磁盘空间不足"


def test_a_folder_output_may_not_be_an_input_and_a_new_one_may_be_deep(tmp_path):
    wb = tmp_path / "wb.xlsx"
    wb.write_bytes(b"x")
    with pytest.raises(OutputError, match="输出文件夹“.*wb.xlsx”就是工作簿本身"):
        check_output(wb, {wb: "工作簿"}, kind=FOLDER)
    assert check_output(tmp_path / "新" / "更深" / "包", {wb: "工作簿"}, kind=FOLDER) == tmp_path / "新" / "更深" / "包"


# ---------------------------------------------------------------- the desktop window (pytest-qt, offscreen)

@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from gui.window import MainWindow

    w = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.IniFormat))
    qtbot.addWidget(w)
    return w


def test_the_window_will_not_save_an_import_over_the_export(qtbot, window, tmp_path):
    export = Path(shutil.copy(SAMPLE, tmp_path / "export.xlsx"))
    before = snapshot(export)
    window.import_export(export, export)
    qtbot.waitUntil(lambda: hasattr(window, "last_error"), timeout=30_000)
    assert window.last_error == f"导入“export.xlsx”未完成：输出文件“{export}”就是导入的报表本身，写出会覆盖它；请另选输出位置"
    assert snapshot(export) == before and window.session is None


def test_the_window_names_the_output_folder_that_is_a_file(qtbot, window, sample, tmp_path):
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    (tmp_path / "afile").write_bytes(b"x")
    window.open_path(book)
    qtbot.waitUntil(lambda: window.session is not None, timeout=30_000)
    window.exporter.pdf.setChecked(False)
    window.exporter.folder.setText(str(tmp_path / "afile"))
    window.exporter.start_button.click()
    qtbot.waitUntil(lambda: hasattr(window, "last_error"), timeout=30_000)
    assert window.last_error == f"导出公开包未完成：输出位置“{tmp_path / 'afile'}”是一个文件，不是文件夹"
    assert (tmp_path / "afile").read_bytes() == b"x"
    assert {p.name for p in tmp_path.iterdir()} - {"gui.ini"} == {"afile", "wb.xlsx"}  # no temporary folder left
