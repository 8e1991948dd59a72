"""How long each stage of `disclosure export` takes on one department (issue target: the Word file
alone ≤ 0.5 s).

Run: .venv/bin/python bench/export_speed.py [WORKBOOK] [--no-pdf]
     (default: the bundled sample with its 说明数据, as ./dev demo builds it)
Exports 5 times into a temporary folder and prints, per stage, the median and the slowest time;
the first run is reported apart (it imports matplotlib and starts LibreOffice with a new profile).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure import workbook  # noqa: E402
from disclosure.export import STAGES, export_package  # noqa: E402
from disclosure.importers.export import import_export  # noqa: E402
from disclosure.inputs import flatten  # noqa: E402

SAMPLE = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"
SAMPLE_INPUTS = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-说明数据.yaml"
RUNS = 5


def sample_book(folder: Path) -> Path:
    report = import_export(SAMPLE)
    book = workbook.save_atomic(workbook.build(report.spec, report), folder / "sample.xlsx")
    workbook.update_inputs(book, flatten(yaml.safe_load(SAMPLE_INPUTS.read_text(encoding="utf-8"))))
    return book


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    make_pdf = "--no-pdf" not in sys.argv
    folder = Path(tempfile.mkdtemp(prefix="export-bench-"))
    book = Path(args[0]) if args else sample_book(folder)
    runs = []
    for i in range(RUNS):
        t0 = time.perf_counter()
        result = export_package(book, folder / f"out{i}", make_pdf=make_pdf, make_zip=True, force=True)
        runs.append((result.timings, time.perf_counter() - t0))
    first, rest = runs[0], runs[1:]
    print(f"{book.name}：{RUNS} 次导出（PDF：{result.pdf or '无'}）")
    print(f"{'阶段':<8}{'首次':>10}{'中位数':>10}{'最慢':>10}   (毫秒)")
    for stage in STAGES:
        times = [t[stage] * 1000 for t, _ in rest if stage in t]
        if not times:
            continue
        print(f"{stage:<8}{first[0][stage] * 1000:>10.1f}{statistics.median(times):>10.1f}{max(times):>10.1f}")
    totals = [total * 1000 for _, total in rest]
    print(f"{'合计':<8}{first[1] * 1000:>10.1f}{statistics.median(totals):>10.1f}{max(totals):>10.1f}")
    word = statistics.median(t["Word"] for t, _ in rest)
    print(f"Word 文档：中位数 {word:.3f} 秒（目标 ≤ 0.5 秒）")


if __name__ == "__main__":
    main()
