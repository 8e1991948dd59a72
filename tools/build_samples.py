"""Rebuild the bundled sample (an export-style workbook of seed 004's tables) from the seed text
(run: ./dev samples). tests/test_sample.py checks the committed file still matches the seed."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from seedfixtures import SEED_004, parse_seed, write_export  # noqa: E402

SAMPLE = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"


def main() -> None:
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    write_export(parse_seed(SEED_004), SAMPLE)
    print(f"写入 {SAMPLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
