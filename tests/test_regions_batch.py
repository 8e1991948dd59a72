"""A 财政局's folder holding workbooks of three regions: `disclosure batch` checks each in its own layout (the
rules unchanged, the region's tables found by what they are) and exports each in its region's style."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import build_sample_book
from disclosure import workbook
from disclosure.importers.export import import_export


def _book(export: Path, path: Path) -> Path:
    report = import_export(export)
    return workbook.save_atomic(workbook.build(report.spec, report), path)


def test_a_folder_of_three_regions_is_checked_and_exported_each_in_its_own_way(tmp_path, cli):
    from putuo_workbook import build
    from seed003_workbook import write

    folder = tmp_path / "报送"
    folder.mkdir()
    build_sample_book(folder / "1陕西.xlsx")
    _book(write(tmp_path / "内蒙古导出.xlsx"), folder / "2内蒙古.xlsx")
    _book(build(tmp_path / "上海导出.xlsx"), folder / "3上海.xlsx")
    result = cli("batch", folder, "-o", tmp_path / "汇总.xlsx", "--jobs", "2", "--export", tmp_path / "包")
    assert "Traceback" not in result.err and "内部错误" not in result.err, result.err
    lines = result.out.splitlines()
    assert [line.split("\t")[:3] for line in lines[:3]] == [
        ["1陕西.xlsx", "子洲县医疗保障局", "错误 0"], ["2内蒙古.xlsx", "乌海市医疗保障局", "错误 0"],
        ["3上海.xlsx", "上海市普陀区财政局", "错误 0"]]
    manifests = {json.loads(p.read_text(encoding="utf-8"))["region"]: json.loads(p.read_text(encoding="utf-8"))
                 for p in (tmp_path / "包").rglob("manifest.json")}
    assert {r: m["style"] for r, m in manifests.items()} == {"陕西": "shaanxi", "内蒙古": "neimenggu", "上海": "shanghai"}
