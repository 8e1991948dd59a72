"""How fast `disclosure batch` checks a folder, against loading the same files with openpyxl in one process
(issue 18 target: batch ≤ 0.15 × that time, about 100 workbooks/s on 2 cores; memory flat over 10,000).

Run: .venv/bin/python bench/batch_speed.py [--count 200] [--jobs 2] [--baseline N] [--keep DIR]

It builds the bundled sample as tests/conftest.py build_sample_book does, makes variants of it (amounts ×2 and
×3, whose 尾差 grow into errors; a wrong 公开05表!C7, which `check` reports as 错误), then writes --count copies,
each with its own 单位名称 (tests/batchfixtures.py: patched in the zip, ~1 ms a copy) into a temporary folder:
mostly the clean sample, one in ten scaled, every 25th with the wrong figure, every 200th not a workbook at
all. Then, in the same run:
  1. openpyxl.load_workbook of every file in this process (the baseline; --baseline N loads only the first N
     and scales the time up, for the 10,000-file run where it alone would take a quarter of an hour), half of
     the files before step 2 and half after it, so that the machine's drift meanwhile falls on both sides;
  2. `python -m disclosure batch DIR --jobs N -o 汇总.xlsx` as a whole process, timed from start to exit,
     with its memory (this process's and its workers', sampled every 0.2 s from /proc) along the way.
Prints files/s, the ratio against the target 0.15, and the peak RSS (getrusage of the children); then where
a worker's CPU goes (--stages N: the first N workbooks read and checked in this process, ms per stage) and what
the summary costs the parent at the end (pandas frames and the .xlsx, for --count rows).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from batchfixtures import renamed_copy  # noqa: E402
from export_speed import sample_book  # noqa: E402  (the bundled sample, imported, with its 说明数据)

TARGET = 0.15
ERROR_EVERY, GARBAGE_EVERY = 25, 200  # a few with a wrong figure, fewer still not workbooks at all
SCALED = {7: "×2", 13: "×3"}  # n % 20: amounts doubled or tripled (their 尾差 grow into errors: T03.2, T05.2)


def variants(base: Path, work: Path) -> dict[str, Path]:
    """The sample with every table amount ×2 and ×3 (exact sums still hold, the printed 尾差 grow past their
    tolerance, growth against the 说明数据's 上年 changes), and with one wrong figure (公开05表!C7)."""
    from openpyxl import load_workbook

    from disclosure import workbook

    report = workbook.read(base)
    cells = {v.cell for t in report.tables.values() for row in t.rows for v in row.values.values()
             if v.cell is not None and v.amount != 0}  # a set: a cell two rows share is scaled once
    out = {"×1": base}
    for factor in (2, 3):
        wb = load_workbook(base)
        for cell in cells:
            c = wb[cell.sheet][cell.coord]
            c.value = Decimal(str(c.value)) * factor
        out[f"×{factor}"] = work / f"variant{factor}.xlsx"
        wb.save(out[f"×{factor}"])
    wb = load_workbook(base)
    wb["公开05表"]["C7"] = Decimal(str(wb["公开05表"]["C7"].value or 0)) + 1
    out["错误"] = work / "variant-error.xlsx"
    wb.save(out["错误"])
    return out


def make_copies(count: int, folder: Path, books: dict[str, Path]) -> None:
    for n in range(1, count + 1):
        path = folder / f"单位{n}.xlsx"
        if n % GARBAGE_EVERY == 0:
            path.write_bytes(b"not a workbook " * 10)
            continue
        kind = "错误" if n % ERROR_EVERY == 0 else SCALED.get(n % 20, "×1")
        renamed_copy(books[kind], path, f"第{n}号单位")


def baseline(sample: list[Path]) -> tuple[float, float]:
    """(wall, CPU) seconds to load the sample's files with openpyxl in this process."""
    from openpyxl import load_workbook

    t0, c0 = time.perf_counter(), time.process_time()
    for path in sample:
        try:
            load_workbook(path)
        except Exception:  # the garbage files: what openpyxl spends on them counts too
            pass
    return time.perf_counter() - t0, time.process_time() - c0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class MemoryWatch(threading.Thread):
    """RSS of a process and its children (the pool), sampled from /proc; Linux only."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            try:
                pids = [self.pid] + [int(c) for c in Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()]
                self.samples.append((time.perf_counter(), [self._rss(p) for p in pids]))
            except OSError:
                return

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            return int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1)) // 1024
        except (OSError, AttributeError):
            return 0


def run_batch(folder: Path, jobs: int, summary: Path) -> tuple[float, subprocess.CompletedProcess, MemoryWatch]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "disclosure", "batch", str(folder), "--jobs", str(jobs),
                             "-o", str(summary)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watch = MemoryWatch(proc.pid)
    if sys.platform.startswith("linux"):
        watch.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    watch.stop.set()
    return seconds, subprocess.CompletedProcess(proc.args, proc.returncode, out, err), watch


def stages(files: list[Path], count: int) -> None:
    """CPU ms per workbook of each stage of batch.check_one (each stage timed per file within a pass, the
    best of three passes), and what the summary of `count` such rows costs."""
    from disclosure import batch, batchpool, grid, guard, workbook
    from disclosure.acks import checked
    from disclosure.checks import engine

    batchpool.warm()
    books = [f for f in files if f.read_bytes()[:2] == b"PK"]
    tables = [r for r in engine.RULES.values() if r.id not in ("N01", "N02", "S06")]  # all but the narrative's
    names = ["guard", "calamine", "parse", "checks", "tables"]
    best = dict.fromkeys(names, float("inf"))
    for _ in range(3):
        guard._passed.clear()  # a pass must not find the files already scanned
        spent = dict.fromkeys(names, 0.0)
        for path in books:
            t = [time.process_time()]
            guard.check_workbook_file(path)
            t.append(time.process_time())
            sheets = grid.read_sheets(path)  # the guard remembers the file: calamine only
            t.append(time.process_time())
            report = workbook.from_sheets(sheets, path)
            t.append(time.process_time())
            checked(report)
            t.append(time.process_time())
            engine.run(report, tables)
            t.append(time.process_time())
            for name, a, b in zip(names, t, t[1:]):
                spent[name] += b - a
        best = {name: min(best[name], spent[name] * 1000 / len(books)) for name in names}
    whole = sum(best[n] for n in names[:4])
    print(f"每个工作簿的 CPU（本进程，前 {len(books)} 个，毫秒）：{whole:.1f} = 文件检查（guard）{best['guard']:.1f} + "
          f"calamine 读取 {best['calamine']:.1f} + 解析各表 {best['parse']:.1f} + 校验 {best['checks']:.1f}"
          f"（其中情况说明的模型与正文 N01/N02/S06 {best['checks'] - best['tables']:.1f}）")
    rows = [batch.check_one(path) for path in books]
    rows = (rows * (count // len(rows) + 1))[:count]
    t0 = time.perf_counter()
    result = batch.BatchResult(rows, len(rows))
    result.frames  # noqa: B018  (pandas imported and the frames built here)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        result.write(Path(tmp) / "汇总.xlsx")
    print(f"汇总（{count} 行，主进程，批量结束后）：pandas 导入与汇总表 {t1 - t0:.2f} 秒，写 .xlsx {time.perf_counter() - t1:.2f} 秒")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="how many workbooks (default 200)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", type=int, metavar="N", help="load only the first N with openpyxl, scale up")
    parser.add_argument("--keep", type=Path, help="make the folder here and keep it")
    parser.add_argument("--stages", type=int, default=50, metavar="N",
                        help="CPU per stage on the first N workbooks, in this process (0: not measured)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    folder = args.keep or work / "报送"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        books = variants(sample_book(work), work)
        make_copies(args.count, folder, books)
        files = sorted(folder.glob("*.xlsx"))
        print(f"{len(files)} 个文件（每 {ERROR_EVERY} 个一个有错误，每 {GARBAGE_EVERY} 个一个不是工作簿），"
              f"生成 {time.perf_counter() - t0:.1f} 秒")

        # the baseline in two halves, one before the batch and one after: the machine's speed drifts by 10 % and
        # more within minutes, and the ratio is of the two measured at the same time, on average
        sample = files[:args.baseline] if args.baseline else files
        before = baseline(sample[:len(sample) // 2])
        cpu0 = children_cpu()
        seconds, proc, watch = run_batch(folder, args.jobs, work / "汇总.xlsx")
        cpu = children_cpu() - cpu0
        after = baseline(sample[len(sample) // 2:])
        scale = len(files) / len(sample)
        base, base_cpu = (before[0] + after[0]) * scale, (before[1] + after[1]) * scale
        scaled = f"，按其中 {len(sample)} 个推算" if len(sample) < len(files) else ""
        halves = "、".join(f"{len(part) / wall:.1f}" for part, (wall, _) in
                          ((sample[:len(sample) // 2], before), (sample[len(sample) // 2:], after)))
        print(f"openpyxl.load_workbook 逐个读取（一个进程；一半在批量之前、一半在之后{scaled}）：{base:.1f} 秒，"
              f"{len(files) / base:.1f} 个/秒（前后两半各 {halves} 个/秒），CPU {base_cpu:.1f} 秒")
        lines = proc.stdout.decode("utf-8", "replace").splitlines()
        print(f"disclosure batch --jobs {args.jobs}（整个进程）：{seconds:.1f} 秒，{len(files) / seconds:.1f} 个/秒，"
              f"CPU {cpu:.1f} 秒（各进程合计），退出码 {proc.returncode}；{lines[-1] if lines else ''}")
        if "Traceback" in proc.stderr.decode("utf-8", "replace"):
            print(proc.stderr.decode("utf-8", "replace")[-2000:])
        ratio = seconds / base
        print(f"比值 batch / openpyxl = {ratio:.3f}（目标 ≤ {TARGET}）{'达到' if ratio <= TARGET else '未达到'}；"
              f"机器负载（1 分钟平均）{os.getloadavg()[0]:.1f}")
        # the same from CPU time, which other work on the machine disturbs less: batch's CPU spread over its
        # --jobs cores, against openpyxl's CPU in one process (what the wall ratio is on an idle machine)
        print(f"按 CPU 计：(batch CPU ÷ {args.jobs}) / openpyxl CPU = {cpu / args.jobs / base_cpu:.3f}；"
              f"每个工作簿 {cpu * 1000 / len(files):.1f} ms CPU（含主进程与汇总）")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # KiB on Linux
        print(f"峰值内存（单个进程最大 RSS）：{peak} MiB")
        if watch.samples:
            start = watch.samples[0][0]
            span = watch.samples[-1][0] - start or 1
            for quarter in (0.1, 0.25, 0.5, 0.75, 1.0):
                t, rss = min(watch.samples, key=lambda s: abs((s[0] - start) / span - quarter))
                print(f"  {quarter:>4.0%} 时：主进程 {rss[0]} MiB，工作进程 {'、'.join(f'{r}' for r in rss[1:]) or '—'} MiB")
        if args.stages:
            stages(files[:args.stages], len(files))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
