"""Checking and exporting a folder of workbooks (disclosure.batch), as a finance bureau would: the process pool,
natural name order, the pandas summary and its sheets, unreadable files, Ctrl-C."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from batchfixtures import renamed_copy
from conftest import ROOT, build_sample_book
from disclosure import batch, batchpool
from disclosure.batch import (EXPORTED, FAILED, HAS_ERRORS, OK, REFUSED, BatchRow, check_folder, natural_key, run,
                              workbooks_in)

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SHEETS = ["批量校验汇总", "问题清单", "规则统计", "单位统计"]
HEADERS = {"批量校验汇总": ["文件", "单位", "年度", "错误", "警告", "提示", "状态", "说明"],
           "问题清单": ["单位", "文件", "规则", "级别", "单元格", "说明"],
           "规则统计": ["规则", "级别", "标题", "单位数", "次数"],
           "单位统计": ["文件", "单位", "错误", "警告", "提示"]}
WRONG_CELL = "公开05表!C7"  # a wrong 公开05表 figure: T05.1, T05.2 and X06 report it


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample_book(tmp_path_factory.mktemp("sample") / "样例.xlsx")


@pytest.fixture(scope="module")
def wrong(sample, tmp_path_factory) -> Path:
    """The sample with 1 more in 公开05表!C7."""
    path = tmp_path_factory.mktemp("wrong") / "错.xlsx"
    shutil.copy(sample, path)
    wb = load_workbook(path)
    wb["公开05表"]["C7"] = Decimal(str(wb["公开05表"]["C7"].value or 0)) + 1
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def folder(sample, wrong, tmp_path_factory) -> Path:
    """单位1 … 单位12 (full-width digits in one name), 单位7 and 单位11 with the wrong figure, 单位4 not a workbook."""
    out = tmp_path_factory.mktemp("报送")
    for n in range(1, 13):
        name = f"单位{n}".translate(FULL_WIDTH) if n == 10 else f"单位{n}"
        if n == 4:
            (out / f"{name}.xlsx").write_bytes(b"PK not really a zip")
            continue
        renamed_copy(wrong if n in (7, 11) else sample, out / f"{name}.xlsx", f"第{n}号单位")
    return out


# ---------------------------------------------------------------- natural order

def test_natural_order_compares_numbers_as_numbers():
    names = ["单位10.xlsx", "单位2.xlsx", "单位1.xlsx", "单位１１.xlsx", "单位３.xlsx", "单位.xlsx", "单位02.xlsx",
             "A单位9.xlsx", "a单位10.xlsx", "县2-单位10.xlsx", "县2-单位9.xlsx", "县10-单位1.xlsx"]
    assert sorted(names, key=natural_key) == [
        "A单位9.xlsx", "a单位10.xlsx", "单位.xlsx", "单位1.xlsx", "单位02.xlsx", "单位2.xlsx", "单位３.xlsx",
        "单位10.xlsx", "单位１１.xlsx", "县2-单位9.xlsx", "县2-单位10.xlsx", "县10-单位1.xlsx"]


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=30, unique=True), st.randoms())
def test_natural_order_of_generated_names(numbers, rnd):
    """Any numbers, written in ASCII or full-width digits, in any prefix: the order of the numbers."""
    prefix = rnd.choice(["单位", "第", "Unit_", "单位-"])
    names = {n: prefix + (str(n).translate(FULL_WIDTH) if rnd.random() < 0.5 else str(n)) + ".xlsx" for n in numbers}
    shuffled = list(names.values())
    rnd.shuffle(shuffled)
    assert sorted(shuffled, key=natural_key) == [names[n] for n in sorted(numbers)]


def test_a_folder_is_listed_in_natural_order(folder):
    assert [p.stem for p in workbooks_in(folder)] == [f"单位{n}" if n != 10 else "单位１０" for n in range(1, 13)]


# ---------------------------------------------------------------- results and DataFrames

@pytest.fixture(scope="module")
def serial(folder):
    return run(folder, jobs=1)


@pytest.fixture(scope="module")
def pooled(folder):
    return run(folder, jobs=2)


def test_two_processes_give_what_one_gives(serial, pooled, tmp_path):
    import pandas as pd

    assert not serial.interrupted and not pooled.interrupted and pooled.done == serial.done == 12
    assert pooled.rows == serial.rows  # same order (the folder's), counts, statuses, findings
    for name in ("departments", "findings", "by_rule", "by_department"):
        pd.testing.assert_frame_equal(getattr(pooled, name), getattr(serial, name))
    one, two = serial.write(tmp_path / "一.xlsx"), pooled.write(tmp_path / "二.xlsx")
    assert _sheet_values(one) == _sheet_values(two)


def test_the_dataframes_say_which_department_has_which_error(pooled):
    departments, findings = pooled.departments, pooled.findings
    assert list(departments.columns) == HEADERS["批量校验汇总"] and list(findings.columns) == HEADERS["问题清单"]
    assert departments["文件"].tolist()[:4] == ["单位1.xlsx", "单位2.xlsx", "单位3.xlsx", "单位4.xlsx"]
    by_file = departments.set_index("文件")
    assert by_file.loc["单位7.xlsx", "单位"] == "第7号单位" and by_file.loc["单位7.xlsx", "错误"] == 3
    assert by_file.loc["单位7.xlsx", "状态"] == HAS_ERRORS and by_file.loc["单位8.xlsx", "状态"] == OK
    assert by_file.loc["单位8.xlsx", "错误"] == 0 and by_file.loc["单位8.xlsx", "警告"] == 12
    errors = findings[findings["级别"] == "错误"]
    assert sorted(set(errors["单位"])) == ["第11号单位", "第7号单位"]
    t051 = errors[(errors["文件"] == "单位7.xlsx") & (errors["规则"] == "T05.1")]
    assert t051["单元格"].tolist() == [WRONG_CELL] and "公开05表" in t051["说明"].iloc[0]
    assert len(findings) == 9 * 12 + 2 * 15  # 12 warnings in each clean sample, 3 errors more in the wrong ones
    rules = pooled.by_rule.set_index(["规则", "级别"])
    assert rules.loc[("T05.1", "错误"), "单位数"] == 2 and rules.loc[("T05.1", "错误"), "次数"] == 2
    assert rules.loc[("T05.1", "错误"), "标题"]  # the rule's title from the registry
    assert pooled.by_rule["单位数"].iloc[0] == 11  # the sample's own 尾差 warnings: in every department read
    per_department = pooled.by_department
    assert per_department["文件"].tolist()[:2] == ["单位7.xlsx", "单位11.xlsx"]  # most errors first
    assert per_department[["错误", "警告"]].iloc[0].tolist() == [3, 12] and len(per_department) == 11


def test_an_unreadable_workbook_is_a_row_and_the_batch_goes_on(pooled):
    row = pooled.rows[3]
    assert row.file.name == "单位4.xlsx" and row.status == FAILED and "单位4.xlsx" in row.detail
    assert row.findings == () and all(r.status != FAILED for r in pooled.rows[4:])
    counts = pooled.departments.iloc[3][["错误", "警告", "提示"]]
    assert counts.isna().all()  # not read: no count, not 0
    assert "单位4.xlsx" not in set(pooled.findings["文件"]) | set(pooled.by_department["文件"])


def test_the_summary_has_one_sheet_each_with_chinese_headers(pooled, tmp_path):
    path = pooled.write(tmp_path / "汇总.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS and wb.properties.title == "批量校验汇总"
    assert batch.is_summary(path)  # a later run over the same folder leaves it out
    for name in SHEETS:
        ws = wb[name]
        assert [c.value for c in ws[1]] == HEADERS[name] and ws.freeze_panes == "A2"
        assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1])
    long = wb["问题清单"]
    hits = [[c.value for c in r] for r in long.iter_rows(min_row=2) if r[4].value == WRONG_CELL]
    assert ["第7号单位", "单位7.xlsx", "T05.1", "错误"] in [h[:4] for h in hits]
    failed = next(r for r in wb["批量校验汇总"].iter_rows(min_row=2) if r[0].value == "单位4.xlsx")
    assert [c.value for c in failed[3:7]] == [None, None, None, FAILED]
    assert wb["单位统计"]["A2"].value == "单位7.xlsx" and wb["单位统计"]["C2"].value == 3


def test_cancel_from_the_progress_callback_stops_the_pool(folder):
    """The desktop window cancels by raising from progress(): no worker is left behind."""
    class Stop(Exception):
        pass

    def progress(n, total, name):
        if n == 3:
            raise Stop

    with pytest.raises(Stop):
        run(folder, jobs=2, progress=progress)
    assert multiprocessing.active_children() == []
    asked = []
    result = run(folder, jobs=2, cancelled=lambda: bool(asked.append(1)) or len(asked) > 2)
    assert result.interrupted and 0 < result.done < 12 and result.note == f"已中断：完成 {result.done} / 共 12 个"
    assert [r.file.name for r in result.rows] == sorted((r.file.name for r in result.rows), key=natural_key)


_check_one = batch.check_one


def crash_on_unit5(path: Path, export_to=None, converter=None):
    """A worker dying on one file (a crash in a reader): the pool breaks."""
    if path.name == "单位5.xlsx":
        os._exit(3)
    return _check_one(path, export_to, converter)


def test_a_worker_that_dies_costs_only_its_own_workbook(folder, monkeypatch):
    monkeypatch.setattr(batch, "check_one", crash_on_unit5)  # forked workers inherit it
    result = run(folder, jobs=2)
    by_name = {r.file.name: r for r in result.rows}
    assert result.done == 12 and by_name["单位5.xlsx"].status == FAILED
    assert "意外退出" in by_name["单位5.xlsx"].detail
    assert [n for n, r in by_name.items() if r.status == FAILED] == ["单位4.xlsx", "单位5.xlsx"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_meanwhile_runs_once_before_the_first_workbook_is_reported(folder, jobs):
    """The summary's import waits for the workers' first workbooks instead of following the last one."""
    reported, calls = [], []
    result = run(folder, jobs=jobs, progress=lambda n, total, name: reported.append(n),
                 meanwhile=lambda: calls.append(len(reported)))
    assert calls == [0] and result.done == 12 and sorted(reported) == list(range(1, 13))


def test_a_ctrl_c_during_meanwhile_stops_the_run_like_any_other(folder):
    def interrupted():
        raise KeyboardInterrupt

    files = workbooks_in(folder)
    result = run(folder, jobs=2, files=files, meanwhile=interrupted)
    assert result.interrupted and multiprocessing.active_children() == []
    assert [r.file for r in result.rows] == files[:result.done]  # the tasks already handed out are finished


def test_a_pool_broken_after_the_summary_import_still_finishes(folder, monkeypatch):
    """The replacement pool is forked from a process that has imported pandas (and numpy's BLAS threads,
    which shut down around a fork): it checks what was left, and the summary is written."""
    monkeypatch.setattr(batch, "check_one", crash_on_unit5)
    result = run(folder, jobs=2, meanwhile=batch.prepare_summary)
    assert result.done == 12 and [r.file.name for r in result.rows if r.status == FAILED] == ["单位4.xlsx", "单位5.xlsx"]
    assert "pandas" in sys.modules and len(result.findings) > 0


def named_row(path: Path) -> BatchRow:
    """A quick stand-in for check_one (a module-level function: it goes to the pool's workers)."""
    return BatchRow(path, unit=path.stem, status=OK)


def test_a_ctrl_c_while_a_task_is_recorded_keeps_the_whole_task(folder, monkeypatch):
    """Python raises KeyboardInterrupt wherever the parent is when it notices the signal — here in the middle
    of recording a finished task of four workbooks: the stop still keeps all four, and what is done stays
    the folder's first workbooks, with no gap."""
    files = workbooks_in(folder) * 6  # 66: tasks of four workbooks
    compact, calls = batchpool._compact, []

    def interrupted_once(row):
        calls.append(row)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return compact(row)

    monkeypatch.setattr(batchpool, "_compact", interrupted_once)
    result = run(folder, jobs=2, files=files, check=named_row)
    assert result.interrupted and 4 <= result.done < len(files)
    assert [r.file for r in result.rows] == files[:result.done]


def test_spawned_workers_load_what_they_need(folder, monkeypatch):
    """Windows and macOS start workers fresh (spawn), not as copies of this process: the initializer loads
    the specs and the rules."""
    monkeypatch.setattr(batchpool, "_context", lambda: multiprocessing.get_context("spawn"))
    files = workbooks_in(folder)[5:8]
    assert run(folder, jobs=2, files=files).rows == run(folder, jobs=1, files=files).rows


# ---------------------------------------------------------------- export and the older API the window uses

def test_a_folder_is_checked_and_only_clean_workbooks_are_exported(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    clean = build_sample_book(folder / "甲单位.xlsx")
    broken = folder / "乙单位.xlsx"
    shutil.copy(clean, broken)
    wb = load_workbook(broken)
    wb["公开05表"]["C7"] = Decimal("1")
    wb.save(broken)
    (folder / "丙单位.xlsm").write_bytes(b"")
    (folder / "~$甲单位.xlsx").write_bytes(b"Excel lock file")
    (folder / "说明.txt").write_text("not a workbook", encoding="utf-8")
    assert [p.name for p in workbooks_in(folder)] == ["丙单位.xlsm", "乙单位.xlsx", "甲单位.xlsx"]
    seen = []
    rows = check_folder(folder, export_to=tmp_path / "公开包", progress=lambda n, total, name: seen.append((n, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    by_name = {r.file.name: r for r in rows}
    assert by_name["甲单位.xlsx"].status == EXPORTED and (tmp_path / "公开包" / "甲单位" / "manifest.json").exists()
    assert by_name["乙单位.xlsx"].status == REFUSED and by_name["乙单位.xlsx"].errors == 3
    assert "公开05表!C7" in by_name["乙单位.xlsx"].detail and not (tmp_path / "公开包" / "乙单位").exists()
    assert by_name["丙单位.xlsm"].status == FAILED and "丙单位.xlsm" in by_name["丙单位.xlsm"].detail
    assert by_name["甲单位.xlsx"].unit == "子洲县医疗保障局" and by_name["甲单位.xlsx"].year == 2024


def test_pool_export_keeps_one_libreoffice_per_worker(tmp_path, monkeypatch):
    """Batch export with a pool: every clean workbook gets its PDF (TOC updated), made on its worker's own
    warm LibreOffice — two soffice starts for five packages, not five — and none is left running."""
    from disclosure.export import pdf

    folder = tmp_path / "报送"
    folder.mkdir()
    first = build_sample_book(folder / "单位1.xlsx")
    for n in range(2, 6):
        shutil.copy(first, folder / f"单位{n}.xlsx")
    starts = tmp_path / "starts.txt"
    real_start = pdf._Helper.start.__func__

    def counted_start(cls, python, soffice, work, *args, **kwargs):
        with starts.open("a") as fh:
            fh.write(f"{os.getpid()} {work}\n")
        return real_start(cls, python, soffice, work, *args, **kwargs)

    monkeypatch.setattr(pdf._Helper, "start", classmethod(counted_start))  # forked workers inherit it
    result = run(folder, export_to=tmp_path / "公开包", jobs=2)
    assert [r.status for r in result.rows] == [EXPORTED] * 5
    for n in range(1, 6):
        manifest = json.loads((tmp_path / "公开包" / f"单位{n}" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["pdf"] == "LibreOffice（已更新目录页码）", manifest["pdf"]
    started = [line.split(" ", 1) for line in starts.read_text(encoding="utf-8").splitlines()]
    pids = [pid for pid, _ in started]
    assert len(pids) == len(set(pids)) <= 2, pids  # one start per worker process
    assert multiprocessing.active_children() == []
    deadline = time.monotonic() + 60  # the helpers quit their soffice once their worker has gone
    while any(_running_in(folder) for _, folder in started):
        assert time.monotonic() < deadline, "a pool worker left its LibreOffice running"
        time.sleep(0.1)
    assert not any(Path(folder).exists() for _, folder in started)


def _running_in(folder: str) -> bool:
    """Whether a live process names the folder on its command line (soffice and its helper do)."""
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and folder.encode() in (proc / "cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def test_a_cancelled_batch_stops_before_the_next_workbook(tmp_path):
    for name in ("a.xlsx", "b.xlsx"):
        (tmp_path / name).write_bytes(b"")
    asked = []
    rows = check_folder(tmp_path, cancelled=lambda: bool(asked.append(1)) or len(asked) > 1)
    assert [r.file.name for r in rows] == ["a.xlsx"]


# ---------------------------------------------------------------- the command line

def test_command_line_batch(tmp_path, cli):
    folder = tmp_path / "报送"
    folder.mkdir()
    build_sample_book(folder / "甲单位.xlsx")
    (folder / "乙单位.xlsx").write_bytes(b"not a workbook")
    result = cli("batch", folder, "-o", tmp_path / "汇总.xlsx", "--jobs", "2")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("乙单位.xlsx\t\t错误 0\t警告 0\t读取失败\t文件“乙单位.xlsx”")
    assert lines[1] == "甲单位.xlsx\t子洲县医疗保障局\t错误 0\t警告 12\t通过"
    assert lines[-1] == "共 2 个工作簿，1 个有错误或读不了。" and (tmp_path / "汇总.xlsx").exists()
    assert "[2/2] " in result.err and "Traceback" not in result.err
    empty = tmp_path / "空"
    empty.mkdir()
    none = cli("batch", empty)
    assert none.code == 1 and none.err == f"错误：文件夹“{empty}”中没有 .xlsx/.xlsm 工作簿\n"
    (empty / "公开.pdf").write_bytes(b"%PDF-1.4")  # published PDFs are audited: said where to go
    pdfs = cli("batch", empty)
    assert pdfs.code == 1 and pdfs.err == (f"错误：文件夹“{empty}”中没有 .xlsx/.xlsm 工作簿（有 PDF 文件：已公开的 PDF 请用 "
                                           "disclosure audit 文件夹 -o 汇总.xlsx 逐个审核）\n")
    zero = cli("batch", folder, "--jobs", "0")
    assert zero.code == 1 and zero.err == "错误：--jobs 应为 1 或更大的整数，实为 0\n"
    one = cli("batch", folder / "甲单位.xlsx")  # a workbook where its folder was meant
    assert one.code == 1 and one.err == (f"错误：“{folder / '甲单位.xlsx'}”是一个文件，不是文件夹：批量校验请给出放着各单位"
                                         "工作簿的文件夹；校验这一个工作簿请用 disclosure check 甲单位.xlsx\n")
    whole = cli("check", folder)  # the other way round: a folder where one workbook was meant
    assert whole.code == 2 and whole.err == ("错误：文件“报送”：这是一个文件夹，请选择 Excel 文件（文件夹中的全部工作簿用"
                                             "“批量校验”：disclosure batch 文件夹）\n")
    missing = cli("batch", tmp_path / "没有")
    assert missing.code == 1 and missing.err == f"错误：找不到文件夹“{tmp_path / '没有'}”\n"


def test_check_does_not_import_pandas(sample):
    code = ("import sys; from disclosure.cli import main; main(['check', sys.argv[1]]); "
            "print('pandas' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=120)
    assert proc.stderr.strip().splitlines()[-1] == "False"


def test_batch_with_its_summary_does_not_import_openpyxl(sample, tmp_path):
    """openpyxl's import (~70 ms) was a tenth of a small batch's fixed cost; the summary is written without it."""
    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copy(sample, folder / "单位1.xlsx")
    summary = tmp_path / "汇总.xlsx"
    code = ("import sys; from disclosure.cli import main\n"
            "try: main(['batch', sys.argv[1], '--jobs', '1', '-o', sys.argv[2]])\n"
            "except SystemExit: pass\n"
            "print('openpyxl' in sys.modules, 'pandas' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, str(folder), str(summary)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=120)
    assert proc.stderr.strip().splitlines()[-1] == "False True"  # the summary's frames: pandas; openpyxl not at all
    assert summary.exists() and batch.is_summary(summary)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group is POSIX")
def test_ctrl_c_stops_cleanly_and_writes_what_was_done(sample, tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    for n in range(1, 81):
        shutil.copy(sample, folder / f"单位{n}.xlsx")
    summary = tmp_path / "汇总.xlsx"
    # its own session, as a terminal's foreground job: Ctrl-C reaches the parent and the workers alike
    proc = subprocess.Popen([sys.executable, "-m", "disclosure", "batch", str(folder), "--jobs", "2", "-o", str(summary)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    seen = b""
    while b"[5/80]" not in seen:  # progress: a line per workbook on a pipe (80 ≤ 100)
        line = proc.stderr.readline()
        assert line, f"batch ended before it was interrupted: {seen.decode()}"
        seen += line
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    out, err = out.decode("utf-8"), (seen + err).decode("utf-8")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "已中断：完成" in err
    done = int(out.splitlines()[-1].removeprefix("已中断：完成 ").split(" / ")[0])
    assert 5 <= done < 80 and out.splitlines()[-1] == f"已中断：完成 {done} / 共 80 个"
    ws = load_workbook(summary)["批量校验汇总"]
    assert ws["A1"].value == f"已中断：完成 {done} / 共 80 个" and ws["A2"].value == "文件"
    assert [ws.cell(r, 1).value for r in range(3, 3 + done)] == [f"单位{n}.xlsx" for n in range(1, done + 1)]
    assert ws.cell(3 + done, 1).value is None
    time.sleep(0.2)
    assert _processes_mentioning(str(folder)) == []  # no worker left behind


def _processes_mentioning(text: str) -> list[int]:
    """Processes whose command line holds text (forked workers keep the parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _sheet_values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb}

