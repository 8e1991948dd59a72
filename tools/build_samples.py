"""Rebuild the bundled sample (an export-style workbook of seed 004's tables) from the seed text, and the
3-unit 汇总 example: three unit workbooks whose 汇总 is that sample (run: ./dev samples).
tests/test_sample.py checks the committed export still matches the seed; tests/test_consolidate.py that the
three units add up to it."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from seedfixtures import SEED_004, parse_seed, write_export  # noqa: E402

SAMPLE = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"
SAMPLE_INPUTS = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-说明数据.yaml"
UNITS_DIR = ROOT / "templates" / "samples" / "汇总示例"
UNITS = ["子洲县医疗保障局本级", "子洲县医疗保险经办中心", "子洲县医疗保障基金安全防控中心"]
# how each 项 of the sample is shared by the three units (本级, 经办中心, 防控中心): 行政 items with 本级,
# 事业 items with the two centres, pensions and housing funds with all three; 06 follows each unit's 基本支出
ITEM_WEIGHTS = {"2080505": [3, 5, 2], "2080506": [3, 5, 2], "2210201": [3, 5, 2], "2101102": [0, 7, 3],
                "2101550": [0, 7, 3], "2101599": [0, 1, 1]}
OWN = [1, 0, 0]
# 说明数据 per unit: staff by unit; amounts shared (unit_reports); texts left to each unit
STAFF = {"编制": [9, 20, 9], "行政编制": [7, 0, 0], "参公编制": [0, 0, 0], "事业编制": [2, 20, 9], "实有": [9, 20, 9],
         "实有行政": [7, 0, 0], "实有参公": [0, 0, 0], "实有事业": [2, 20, 9], "离退休": [3, 1, 0]}


def unit_reports():
    """The three unit reports (Decimal cents, each adding up exactly) and their 说明数据."""
    import yaml

    from disclosure.importers.export import import_export
    from disclosure.inputs import flatten
    from unitsplit import CENT, share, split

    report = import_export(SAMPLE)
    basic = {r.code: r.amount("基本支出") for r in report.table("05").code_rows() if len(r.code) == 7}
    per_unit = [sum((share(a, ITEM_WEIGHTS.get(c, OWN), CENT)[i] for c, a in basic.items()), Decimal(0))
                for i in range(3)]
    basic_weights = [int(x * 100) for x in per_unit]

    def weights(key: tuple) -> list[int]:
        tid, _side, row, _col = key
        if tid in ("02", "03", "05", "07", "08"):
            return ITEM_WEIGHTS.get(row, OWN)
        return basic_weights

    units = split(report, UNITS, weights, step=CENT, round_units=False)
    # 上年 figures in proportion to each unit's 收入总计 this year: no unit shows a change it would have to explain
    size = [int(u.table("01").row("收入总计", "收入").amount("决算数") * 100) for u in units]
    data = flatten(yaml.safe_load(SAMPLE_INPUTS.read_text(encoding="utf-8")))
    inputs: list[dict] = [{} for _ in UNITS]
    for key, value in data.items():
        if key.startswith("人员."):
            for i, n in enumerate(STAFF[key[3:]]):
                inputs[i][key] = n
        elif key.startswith("国有资产."):
            for i in range(3):
                inputs[i][key] = value  # all 0 in the sample
        elif key.startswith(("上年.", "年初预算.", "机关运行经费", "政府采购.")):
            code = key.removeprefix("年初预算.项.")
            w = ITEM_WEIGHTS.get(code, OWN) if key.startswith("年初预算.项.") else (
                size if key.startswith(("上年.", "年初预算.")) else OWN)
            for i, amount in enumerate(share(Decimal(str(value)), w, CENT)):
                if w[i] or not key.startswith("年初预算.项."):  # a unit without the 项 has no budget for it
                    inputs[i][key] = amount
        elif key in ("联系电话", "零值显示"):
            for i in range(3):
                inputs[i][key] = value
    return units, inputs


def build_units() -> list[Path]:
    from disclosure import workbook

    UNITS_DIR.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (unit, values) in enumerate(zip(*unit_reports()), start=1):
        path = UNITS_DIR / f"{i}-{unit.unit_name}-2024.xlsx"
        workbook.save_atomic(workbook.build(unit.spec, unit), path)
        workbook.update_inputs(path, values)
        path.with_name(f"{path.stem}.备份{path.suffix}").unlink()
        paths.append(path)
    return paths


def main() -> None:
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    write_export(parse_seed(SEED_004), SAMPLE)
    print(f"写入 {SAMPLE.relative_to(ROOT)}")
    for path in build_units():
        print(f"写入 {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
