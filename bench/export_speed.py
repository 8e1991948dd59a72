"""How long each stage of `disclosure export` takes on one department, and how many packages with PDF a
batch makes per second with LibreOffice kept running (issue 18 targets: the Word file ≤ 0.3 s for the
sample; ≥ 2 packages with PDF per second on 2 cores).

Run: .venv/bin/python bench/export_speed.py [WORKBOOK] [--no-pdf] [--packages N]
     (default: the bundled sample with its 说明数据, as ./dev demo builds it; N = 10)

1. Five exports as `disclosure export` makes them (a LibreOffice started and stopped for each): per stage
   the median and the slowest; the first run is reported apart (it imports matplotlib and starts
   LibreOffice with a new profile).
2. N exports in a row with one warm LibreOffice (pdf.converter()): the PDF stage split into start, load,
   TOC/field update, export and close; the CPU seconds one package costs once LibreOffice runs (Python
   by stage, and LibreOffice), which bounds what 2 cores can do.
3. N exports on a pool of 1 and of 2 worker processes, each with its own warm LibreOffice
   (pdf.process_converter()): packages per second. Other work on the machine takes cores from the pool
   (the load average is printed first): compare runs made at the same load, or the CPU of step 2.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure import workbook  # noqa: E402
from disclosure.export import STAGES, export_package, pdf  # noqa: E402
from disclosure.importers.export import import_export  # noqa: E402
from disclosure.inputs import flatten  # noqa: E402

SAMPLE = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"
SAMPLE_INPUTS = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-说明数据.yaml"
RUNS = 5
WORD_TARGET_S, RATE_TARGET = 0.3, 2.0


def sample_book(folder: Path) -> Path:
    report = import_export(SAMPLE)
    book = workbook.save_atomic(workbook.build(report.spec, report), folder / "sample.xlsx")
    workbook.update_inputs(book, flatten(yaml.safe_load(SAMPLE_INPUTS.read_text(encoding="utf-8"))))
    return book


def own_cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def office_cpu(folder: Path | None) -> float:
    """CPU seconds of the live processes of a PdfSession (helper, soffice), read from /proc (Linux): a
    session stops soffice by a kill, so its time never reaches this process's RUSAGE_CHILDREN."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir() if folder and Path("/proc").is_dir() else []:
        try:
            if entry.name.isdigit() and str(folder).encode() in (entry / "cmdline").read_bytes():
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        except OSError:
            continue
    return total


def one_shot(book: Path, folder: Path, make_pdf: bool) -> None:
    runs = []
    for i in range(RUNS):
        t0 = time.perf_counter()
        result = export_package(book, folder / f"out{i}", make_pdf=make_pdf, make_zip=True, force=True)
        runs.append((result.timings, time.perf_counter() - t0))
    first, rest = runs[0], runs[1:]
    print(f"{book.name}：{RUNS} 次导出，每次单独启动 LibreOffice（PDF：{result.pdf or '无'}）")
    print(f"{'阶段':<8}{'首次':>10}{'中位数':>10}{'最慢':>10}   (毫秒)")
    for stage in STAGES:
        times = [t[stage] * 1000 for t, _ in rest if stage in t]
        if times:
            print(f"{stage:<8}{first[0][stage] * 1000:>10.1f}{statistics.median(times):>10.1f}{max(times):>10.1f}")
    totals = [total * 1000 for _, total in rest]
    print(f"{'合计':<8}{first[1] * 1000:>10.1f}{statistics.median(totals):>10.1f}{max(totals):>10.1f}")
    word = statistics.median(t["Word"] for t, _ in rest)
    charts = statistics.median(t["图表"] for t, _ in rest)
    print(f"Word 文档：中位数 {word:.3f} 秒（目标 ≤ {WORD_TARGET_S} 秒；图表另计，中位数 {charts:.3f} 秒）")
    if make_pdf:
        print(f"PDF（单独启动）：中位数 {statistics.median(t['PDF'] for t, _ in rest):.2f} 秒/个")


def warm(book: Path, folder: Path, n: int) -> None:
    """Also the CPU one package costs once LibreOffice runs (the pool's steady state: packages after the
    first), split into the Python stages and LibreOffice: where each CPU-millisecond goes."""
    stages: dict[str, list[float]] = {}
    python_stages: dict[str, list[float]] = {}
    pdf_times = []
    t0, cpu0 = time.perf_counter(), own_cpu()
    with pdf.converter() as conv:
        for i in range(n):
            result = export_package(book, folder / f"warm{i}", force=True, converter=conv)
            assert result.pdf, result.warnings
            pdf_times.append(result.timings["PDF"])
            for k, v in conv.times.items():
                stages.setdefault(k, []).append(v)
            if i == 0:  # LibreOffice started: the steady state begins
                cpu1, office1 = own_cpu(), office_cpu(conv.folder)
            else:
                for k, v in result.timings.items():
                    python_stages.setdefault(k, []).append(v)
        office, cpu_end = office_cpu(conv.folder), own_cpu()
    wall, python = time.perf_counter() - t0, cpu_end - cpu0
    print(f"\n一个 LibreOffice 连续导出 {n} 个公开包：共 {wall:.1f} 秒，{n / wall:.2f} 个/秒")
    if office and n > 1:
        cpu = (python + office) / n
        print(f"每个公开包耗 CPU {cpu:.2f} 秒（Python {python / n:.2f}，LibreOffice {office / n:.2f}，含启动的分摊）")
        steady_python, steady_office = (cpu_end - cpu1) / (n - 1), (office - office1) / (n - 1)
        steady = steady_python + steady_office
        print(f"LibreOffice 已启动后每个 CPU {steady:.2f} 秒（Python {steady_python:.2f}，LibreOffice {steady_office:.2f}）："
              f"2 核最多约 {2 / steady:.2f} 个/秒")
        print("  Python 各阶段（中位数，毫秒）：" + "，".join(
            f"{k} {statistics.median(v) * 1000:.0f}" for k, v in python_stages.items() if k != "PDF"))
    print(f"PDF 阶段：首个 {pdf_times[0]:.2f} 秒（含启动），其后中位数 {statistics.median(pdf_times[1:]):.2f} 秒/个")
    names = {"start": "启动", "load": "打开", "toc": "更新目录与域", "export": "导出", "close": "关闭"}
    print("  其中（中位数，秒）：" + "，".join(f"{names.get(k, k)} {statistics.median(v):.2f}"
                                       for k, v in stages.items() if k != "start")
          + f"；LibreOffice 启动 {stages['start'][0] if stages.get('start') else 0:.2f}")


def _worker_export(args: tuple[str, str]) -> float:
    book, out = args
    result = export_package(book, out, force=True, converter=pdf.process_converter())
    assert result.pdf, result.warnings
    return result.timings["PDF"]


def pooled(book: Path, folder: Path, n: int, jobs: int) -> float:
    """Packages per second on a pool of jobs workers, each with its warm LibreOffice (started while the
    pool warms up: one package per worker first, not counted)."""
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_worker_export, [(str(book), str(folder / f"pool{jobs}-warmup{i}")) for i in range(jobs)]))
        t0 = time.perf_counter()
        list(pool.map(_worker_export, [(str(book), str(folder / f"pool{jobs}-{i}")) for i in range(n)]))
        wall = time.perf_counter() - t0
    rate = n / wall
    print(f"{jobs} 个进程（各一个 LibreOffice）导出 {n} 个：{wall:.1f} 秒，{rate:.2f} 个/秒")
    return rate


def main() -> None:
    args = sys.argv[1:]
    make_pdf = "--no-pdf" not in args
    n = int(args[args.index("--packages") + 1]) if "--packages" in args else 10
    paths = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or args[i - 1] != "--packages")]
    folder = Path(tempfile.mkdtemp(prefix="export-bench-"))
    if hasattr(os, "getloadavg"):  # other work on the machine takes cores from the pool: fewer packages/s
        print(f"开始时系统负载（1 分钟平均）：{os.getloadavg()[0]:.2f}（{os.cpu_count()} 核）")
    book = Path(paths[0]) if paths else sample_book(folder)
    one_shot(book, folder, make_pdf)
    if not make_pdf or pdf.find_soffice() is None:
        return
    warm(book, folder, n)
    print(f"\n进程池（{os.cpu_count()} 核）：")
    rates = [pooled(book, folder, n, jobs) for jobs in (1, 2)]
    print(f"每秒导出含 PDF 的公开包：{max(rates):.2f} 个（目标 ≥ {RATE_TARGET:g} 个）")


if __name__ == "__main__":
    main()
