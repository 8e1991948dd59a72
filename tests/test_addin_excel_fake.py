"""The xlwings side (ExcelBook, ExcelUi, jsgk.main) against fakes: only the SHAPE of the calls is tested
here — which xlwings properties and COM methods are used, with what arguments, in which order around
sheet protection. Live Excel behaviour is untested on Linux (see docs/Excel加载项.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from addin import macros
from addin.book import ExcelBook
from addin.ui import ExcelUi


class FakeApi:
    def __init__(self, log, protected=False):
        self.log, self.ProtectContents = log, protected

    def Unprotect(self):
        self.log.append("Unprotect")
        self.ProtectContents = False

    def Protect(self, **options):
        self.log.append(("Protect", tuple(sorted(options))))
        self.ProtectContents = True

    def AddComment(self, text):
        self.log.append(("AddComment", text))


class FakeNote:
    def __init__(self, log, text):
        self.log, self.text = log, text

    def delete(self):
        self.log.append("note.delete")


class FakeFont:
    def __init__(self, log, where):
        self.log, self.where = log, where

    def __setattr__(self, name, value):
        if name == "bold":
            self.log.append(("bold", self.where))
        object.__setattr__(self, name, value)


class FakeRange:
    def __init__(self, sheet, address):
        self.sheet, self.address, self.log = sheet, address, sheet.log
        self.api = FakeApi(self.log)
        self.note = sheet.notes.get(address)
        self.font = FakeFont(self.log, address)

    @property
    def color(self):
        return self.sheet.colors.get(self.address)

    @color.setter
    def color(self, value):
        self.log.append(("color", self.sheet.name, self.address, value))
        self.sheet.colors[self.address] = value

    @property
    def value(self):
        return None

    @value.setter
    def value(self, rows):
        self.log.append(("value", self.sheet.name, self.address, rows))

    def add_hyperlink(self, address, text):
        self.log.append(("hyperlink", self.address, address, text))


class FakeSheet:
    def __init__(self, name, log, protected=False, grid=None):
        self.name, self.log = name, log
        self.api = FakeApi(log, protected)
        self.colors, self.notes = {}, {}
        self.grid = grid or [[None]]
        self.visible = True

    def range(self, address, last=None):
        if last is not None:  # range((1, 1), (row, column)).options(ndim=2).value
            self.log.append(("read", self.name, address, last))
            return type("R", (), {"options": lambda _self, ndim: type("V", (), {"value": self.grid})()})()
        return FakeRange(self, address)

    @property
    def used_range(self):
        last = type("Cell", (), {"row": len(self.grid), "column": len(self.grid[0])})()
        return type("Used", (), {"last_cell": last})()

    def delete(self):
        self.log.append(("delete", self.name))
        self.book_sheets.remove(self)


class FakeSheets(list):
    def __init__(self, sheets):
        super().__init__(sheets)
        for s in sheets:
            s.book_sheets = self

    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return list.__getitem__(self, key)

    def add(self, name, before=None, after=None):
        sheet = FakeSheet(name, self[0].log)
        sheet.book_sheets = self
        self.insert(self.index(before) if before is not None else self.index(after) + 1, sheet)
        sheet.log.append(("add", name, before.name if before else None, after.name if after else None))
        return sheet


class FakeApp:
    def __init__(self, log):
        self.log, self.api = log, self

    def __setattr__(self, name, value):
        if name == "status_bar":
            self.log.append(("status_bar", value))
        object.__setattr__(self, name, value)

    def alert(self, text, title, mode):
        self.log.append(("alert", mode, title, text))

    def GetOpenFilename(self, file_filter, index, title):
        self.log.append(("GetOpenFilename", title))
        return False  # cancelled


class FakeBook:
    def __init__(self, log, fullname=r"C:\决算\子洲县.xlsm"):
        self.log, self.fullname = log, fullname
        self.sheets = FakeSheets([FakeSheet("封面", log, grid=[["单位名称", "子洲县医疗保障局"], ["年度", 2024.0]]),
                                  FakeSheet("公开05表", log, protected=True), FakeSheet("校验结果", log)])
        self.app = FakeApp(log)

    def save(self):
        self.log.append("save")


@pytest.fixture
def log():
    return []


def test_marking_a_protected_sheet_unprotects_and_protects_it_again(log):
    book = ExcelBook(FakeBook(log))
    book.set_fill("公开05表", "C7", "FFC7CE")
    assert log == ["Unprotect", ("color", "公开05表", "C7", "#FFC7CE"),
                   ("Protect", ("AllowFormattingColumns", "AllowFormattingRows", "Contents", "DrawingObjects",
                                "Scenarios"))]
    log.clear()
    book.set_fill("校验结果", "B2", "FFEB9C")  # not protected: no dance
    assert log == [("color", "校验结果", "B2", "#FFEB9C")]


def test_fill_and_comment_tokens_round_trip(log):
    fake = FakeBook(log)
    fake.sheets["公开05表"].colors["C7"] = (0, 176, 80)
    fake.sheets["公开05表"].notes["C7"] = FakeNote(log, "核对过")
    book = ExcelBook(fake)
    fill, comment = book.fill("公开05表", "C7"), book.comment("公开05表", "C7")
    assert json.loads(fill) == [0, 176, 80] and json.loads(comment) == "核对过"
    log.clear()
    book.restore_fill("公开05表", "C7", fill)
    book.restore_comment("公开05表", "C7", comment)
    assert ("color", "公开05表", "C7", (0, 176, 80)) in log
    assert log[-3:] == ["note.delete", ("AddComment", "核对过"), log[-1]] and log[-1][0] == "Protect"
    log.clear()
    book.restore_fill("公开05表", "C7", json.dumps(None))
    assert ("color", "公开05表", "C7", None) in log


def test_writes_links_and_export_saving(log):
    fake = FakeBook(log)
    book = ExcelBook(fake)
    book.write("校验结果", "A1", [["序号", "级别"]])
    book.link("校验结果", "E2", "公开05表", "C7", "公开05表!C7")
    assert log == [("value", "校验结果", "A1", [["序号", "级别"]]),
                   ("hyperlink", "E2", "#'公开05表'!C7", "公开05表!C7")]
    assert book.on_disk() == Path(r"C:\决算\子洲县.xlsm") and log[-1] == "save"
    unsaved = ExcelBook(FakeBook(log, fullname="工作簿1"))
    with pytest.raises(Exception, match="请先保存工作簿"):
        unsaved.on_disk()


def test_sheets_are_read_from_a1_and_a_replaced_sheet_keeps_its_place(log):
    fake = FakeBook(log)
    book = ExcelBook(fake)
    cover = book.sheets()[0]
    assert (cover.name, cover.text(0, 1), cover.value(1, 1)) == ("封面", "子洲县医疗保障局", 2024.0)
    assert ("read", "封面", (1, 1), (2, 2)) in log
    book.add_sheet("公开05表")
    assert [s.name for s in fake.sheets] == ["封面", "公开05表", "校验结果"]
    assert log[-2:] == [("delete", "公开05表"), ("add", "公开05表", "校验结果", None)]
    book.add_sheet("_校验标记", hidden=True)
    assert fake.sheets[-1].name == "_校验标记" and fake.sheets[-1].visible is False
    assert log[-1] == ("add", "_校验标记", None, "校验结果")


def test_excel_ui_uses_the_status_bar_and_message_boxes(log):
    ui = ExcelUi(FakeApp(log))
    ui.status("校验…")
    ui.done("完成")
    ui.error("出错了")
    assert ui.ask_open("选择报表") is None
    assert log == [("status_bar", "校验…"), ("status_bar", None), ("alert", "info", "决算公开助手", "完成"),
                   ("status_bar", None), ("alert", "critical", "决算公开助手", "出错了"),
                   ("GetOpenFilename", "选择报表")]


def test_a_cancelled_import_from_excel_changes_nothing(log):
    outcome = macros.import_(book=ExcelBook(FakeBook(log)), ui=ExcelUi(FakeApp(log)))
    assert outcome.ok and outcome.message == "已取消导入。"
    assert not [x for x in log if x[0] in ("value", "color")]


def test_the_ribbon_entry_starts_the_panel_detached(monkeypatch):
    import subprocess

    import xlwings as xw

    import jsgk

    started = {}

    class FakeCaller:
        name = "子洲县.xlsm"

    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: FakeCaller()), raising=False)
    monkeypatch.setattr(subprocess, "Popen", lambda cmd, **kw: started.update(cmd=cmd, **kw))
    jsgk.main()
    assert started["cmd"] == [sys.executable, "-m", "gui.panel", "--excel", "子洲县.xlsm"]
    assert started["start_new_session"] is True and started["stdin"] == subprocess.DEVNULL
    assert Path(started["cwd"]) == Path(jsgk.__file__).resolve().parent  # where gui/ and addin/ are
