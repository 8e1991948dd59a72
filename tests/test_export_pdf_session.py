"""One LibreOffice kept running for a batch (pdf.PdfSession): several packages on one soffice, each PDF
complete (TOC with page numbers, the tables); a document that fails, hangs or loses its soffice costs only
that document; and no soffice is ever left running — after the block, after an exception in it, after
the process dies without closing, after a process pool's workers end."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure import workbook
from disclosure.export import export_package, pdf
from conftest import build_sample_book

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find soffice")


def office_processes(folder: Path | str) -> dict[int, str]:
    """{pid: name} of the live processes whose command line names the session's folder: the helper,
    soffice's launcher and soffice.bin all carry its profile path."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(folder).encode() in (entry / "cmdline").read_bytes():  # a zombie's is empty
                    found[int(entry.name)] = (entry / "comm").read_text().strip()
            except OSError:
                continue
    return found


def soffice_bins(folder: Path) -> set[int]:
    return {pid for pid, name in office_processes(folder).items() if name == "soffice.bin"}


def wait_until(condition, what: str, seconds: float = 60) -> None:
    """Poll for an outcome (a process to end); never asserts how long it took."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory) -> Path:
    assert shutil.which("soffice") and shutil.which("pdftotext"), "LibreOffice and poppler: ./dev test installs them"
    return build_sample_book(tmp_path_factory.mktemp("sample") / "样例.xlsx")


@pytest.fixture(scope="module")
def docx(sample_book, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "包"
    result = export_package(sample_book, out, make_pdf=False)
    return next(p for p in result.files if p.suffix == ".docx")


def test_one_warm_libreoffice_makes_the_pdf_of_several_packages(sample_book, seed_books, tmp_path):
    books = {"sample": sample_book, "001": seed_books["001"], "004": seed_books["004"]}  # 004: forced, a draft
    offices = []
    with pdf.converter() as conv:
        for name, book in books.items():
            result = export_package(book, tmp_path / name, force=True, converter=conv)
            assert result.pdf == "LibreOffice（已更新目录页码）", result.warnings
            offices.append(soffice_bins(conv.folder))
            assert list((conv.folder / "tmp").glob("lu*"))  # its temporary files go with the session's folder
            report = workbook.read(book)
            text = pdf_text(next(p for p in result.files if p.suffix == ".pdf"))
            assert re.search(r"目\s*录", text), name
            # the TOC got its page numbers, and the tables are there with the workbook's 总计
            assert re.search(rf"第三部分 {report.year} ?年度部门决算表\s*\.{{5,}}\s*\d+", text), name
            assert re.search(r"公开 ?01 ?表 ?收入支出决算总表\s*\.{5,}\s*\d+", text), name
            total = max(v.amount for row in report.tables["01"].rows for v in row.values.values())
            assert total > Decimal(0) and f"{total:,.2f}" in text, name
            assert report.unit_name in text and "\ufffd" not in text
        folder = conv.folder
    assert len(offices[0]) == 1 and offices[0] == offices[1] == offices[2]  # the same soffice for all three
    wait_until(lambda: not office_processes(folder), "soffice still running after the block")
    assert not folder.exists()


def next_office(conv: pdf.PdfSession, old: set[int], docx: Path, target: Path) -> set[int]:
    """The old soffice is gone (stopped by the session, or dead) and the next document converts on a
    new one: its soffice.bin pids."""
    wait_until(lambda: not soffice_bins(conv.folder) & old, "the old soffice is still running")
    conv.convert(docx, target)
    new = soffice_bins(conv.folder)
    assert new and not new & old
    return new


def test_a_failing_hanging_or_crashed_soffice_costs_only_its_document(docx, tmp_path):
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 not really a document" * 50)
    with pdf.converter() as conv:
        conv.convert(docx, tmp_path / "1.pdf")
        first = soffice_bins(conv.folder)

        # LibreOffice cannot open a document: that one gets the message, the next a fresh soffice
        with pytest.raises(pdf.PdfUnavailable, match="LibreOffice 转换“坏.docx”为 PDF 失败（无法打开该文档）；未生成 PDF。"):
            conv.convert(broken, tmp_path / "2.pdf")
        assert not (tmp_path / "2.pdf").exists()
        second = next_office(conv, first, docx, tmp_path / "3.pdf")

        # soffice hangs (stopped): the wait ends at the timeout, the hung soffice is killed
        for pid in second:
            os.kill(pid, signal.SIGSTOP)
        conv.timeout = 5
        with pytest.raises(pdf.PdfUnavailable, match=r"LibreOffice 转换“.*\.docx”超过 5 秒未完成，已停止；未生成 PDF。"):
            conv.convert(docx, tmp_path / "4.pdf")
        conv.timeout = pdf.TIMEOUT_S
        third = next_office(conv, second, docx, tmp_path / "5.pdf")

        # soffice dies between two documents (killed, crashed): the next document starts it again
        for pid in third:
            os.kill(pid, signal.SIGKILL)
        next_office(conv, third, docx, tmp_path / "6.pdf")
        folder = conv.folder
    for n in (1, 3, 5, 6):
        assert "收入支出决算总表" in pdf_text(tmp_path / f"{n}.pdf")
    wait_until(lambda: not office_processes(folder), "soffice still running after the block")


def test_an_exception_in_the_block_leaves_no_soffice(docx, tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with pdf.converter() as conv:
            conv.convert(docx, tmp_path / "a.pdf")
            folder = conv.folder
            assert soffice_bins(folder)
            raise KeyboardInterrupt  # Ctrl+C between two documents of a batch
    assert not office_processes(folder) and not folder.exists()
    with pytest.raises(pdf.PdfUnavailable, match="会话已关闭"):
        conv.convert(docx, tmp_path / "b.pdf")
    assert not office_processes(folder)


def test_a_process_that_dies_without_closing_leaves_no_soffice(docx, tmp_path):
    script = (f"import os, signal, sys; sys.path.insert(0, {str(Path(__file__).parents[1])!r})\n"
              "from pathlib import Path\nfrom disclosure.export import pdf\n"
              "conv = pdf.PdfSession()\n"
              f"conv.convert(Path({str(docx)!r}), Path({str(tmp_path / 'a.pdf')!r}))\n"
              "print(conv.folder, flush=True)\nos.kill(os.getpid(), signal.SIGKILL)\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == -signal.SIGKILL, run.stderr
    folder = Path(run.stdout.strip())
    assert folder.name.startswith("disclosure-lo-") and (tmp_path / "a.pdf").exists()
    # the helper reads the end of its input and quits soffice itself
    wait_until(lambda: not office_processes(folder), "soffice outlived the process that started it")
    shutil.rmtree(folder, ignore_errors=True)  # SIGKILL left no one to remove it


def _pool_worker(args: tuple[str, str]) -> tuple[int, int, str, str]:
    docx, target = args
    conv = pdf.process_converter()
    assert pdf.process_converter() is conv  # one per process
    how = conv.convert(Path(docx), Path(target))
    return os.getpid(), os.getppid(), how, str(conv.folder)


def test_pool_workers_each_keep_one_soffice_and_stop_it_when_they_end(docx, tmp_path):
    jobs = [(str(docx), str(tmp_path / f"{i}.pdf")) for i in range(4)]
    with ProcessPoolExecutor(2) as pool:
        done = list(pool.map(_pool_worker, jobs))
    assert {how for _, _, how, _ in done} == {"LibreOffice（已更新目录页码）"}
    assert all(parent == os.getpid() for _, parent, _, _ in done)
    folders = {pid: folder for pid, _, _, folder in done}
    assert len(set(folders.values())) == len(folders)  # each worker its own LibreOffice
    for folder in folders.values():
        wait_until(lambda: not office_processes(folder), "a pool worker left its soffice running")
        assert not Path(folder).exists()
    assert all((tmp_path / f"{i}.pdf").stat().st_size > 10_000 for i in range(4))
