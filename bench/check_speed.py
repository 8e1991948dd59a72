"""How long the checks take on one department, after reading (issue target: ≤ 50 ms).

Run: .venv/bin/python bench/check_speed.py [WORKBOOK]   (default: the bundled sample, imported)
Prints the median and the slowest of 50 runs, and the time to read the workbook for comparison.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure import workbook  # noqa: E402
from disclosure.checks import run  # noqa: E402
from disclosure.importers.export import import_export  # noqa: E402

SAMPLE = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"


def main() -> None:
    if len(sys.argv) > 1:
        book = Path(sys.argv[1])
    else:
        book = Path(tempfile.mkdtemp()) / "sample.xlsx"
        report = import_export(SAMPLE)
        workbook.save_atomic(workbook.build(report.spec, report), book)
    t0 = time.perf_counter()
    report = workbook.read(book)
    read_ms = (time.perf_counter() - t0) * 1000
    run(report)  # first run imports the rule modules
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        findings = run(report)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"workbook: {book.name}  findings: {len(findings)}")
    print(f"read: {read_ms:.1f} ms")
    print(f"check: median {statistics.median(times):.2f} ms, max {max(times):.2f} ms over {len(times)} runs "
          f"(target ≤ 50 ms)")


if __name__ == "__main__":
    main()
