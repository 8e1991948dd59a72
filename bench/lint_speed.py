"""How long `disclosure lint` takes on a 1,700-line published 第二部分 (issue 18 target: lint ≤ 0.15 s).

Run: .venv/bin/python bench/lint_speed.py [--profile]
Builds the bundled sample workbook (tables imported, 说明数据 set, as ./dev demo does) and generates the text
from it (tests/lintvariants.py long_narrative, seed 0: the generator's own text reworded, each 科目 of 五
explained at length, 六 itemised, stale 科目, a few wrong numbers, a long 十三 of 项目绩效自评, wrapped like
PDF text), then prints
- the whole `disclosure lint` process on the 1,700-line text (median of 5; imports and reading the workbook
  included: process start is measured and tuned apart),
- the lint function in process (median of 15), on the 1,700-line text and on a 170-line one: their ratio
  shows how lint grows with the text,
- with --profile, the top entries of cProfile for one lint of the 1,700-line text.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import build_sample_book  # noqa: E402  (the sample as ./dev demo builds it)
from disclosure import workbook  # noqa: E402
from disclosure.lint import lint  # noqa: E402
from lintvariants import long_narrative  # noqa: E402

TARGET = 0.15
PROCESS_RUNS, RUNS = 5, 15


def part_two_lines(text: str) -> int:
    return len(text[text.index("第二部分"):].splitlines())


def times(func, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="lint-bench-"))
    book = build_sample_book(folder / "sample.xlsx")
    report = workbook.read(book)
    texts = {}
    for lines in (1700, 170):
        text = long_narrative(report, lines, seed=0)
        path = folder / f"情况说明-{lines}.txt"
        path.write_text(text, encoding="utf-8")
        texts[lines] = (path, text)
    big_path, big = texts[1700]

    command = [str(Path(sys.executable).with_name("disclosure")), "lint", str(big_path), "--workbook", str(book)]
    if not Path(command[0]).exists():
        command[:1] = [sys.executable, "-m", "disclosure"]
    process = []
    for _ in range(PROCESS_RUNS):
        t0 = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
        process.append(time.perf_counter() - t0)
    summary = done.stdout.splitlines()[0] if done.stdout else done.stderr.strip()

    lint(big, report)  # the first call imports numpy's pieces and the narrative templates
    inside = {lines: times(lambda t=text: lint(t, report), RUNS) for lines, (_, text) in texts.items()}
    findings = lint(big, report)

    print(f"workbook: {book.name} (bundled sample)   text: {part_two_lines(big)} lines of 第二部分, "
          f"{len(big):,} characters, {len(findings)} findings")
    print(f"  {summary}")
    print(f"whole process `disclosure lint` (1,700 lines): median {statistics.median(process):.3f} s, "
          f"min {min(process):.3f} s over {PROCESS_RUNS} runs (imports and workbook read included)")
    for lines, seconds in inside.items():
        target = f"   (target ≤ {TARGET:.2f} s)" if lines == 1700 else ""
        print(f"lint() in process, {part_two_lines(texts[lines][1]):>5} lines: median {statistics.median(seconds):.3f} "
              f"s, min {min(seconds):.3f} s over {RUNS} runs{target}")
    ratio = statistics.median(inside[1700]) / statistics.median(inside[170])
    print(f"ratio 1,700 / 170 lines: {ratio:.1f}× time for {part_two_lines(big) / part_two_lines(texts[170][1]):.1f}× "
          "lines (the 170-line text pays the same fixed costs: rendering our own text, the table checks it runs)")
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.runcall(lint, big, report)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())


if __name__ == "__main__":
    main()
