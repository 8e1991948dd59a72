"""A new region is data only (docs/地区.md): a 表样 spec file and a 情况说明 style folder, added to a copy of
templates/, give a region that imports, checks, writes its text and exports — with no code changed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document as WordDocument

from disclosure import specs

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"
INPUTS = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-说明数据.yaml"
NUMERALS = "一二三四五六七八九"
# the fourth region prints 三公 (09) before 基金 (07) and 国资 (08), numbers its tables 表一…表九 and puts
# them between its 概况 and its 情况说明
ORDER = ["01", "02", "03", "04", "05", "06", "09", "07", "08"]


def _fourth_region(root: Path) -> None:
    spec = yaml.safe_load((root / "specs" / "juesuan-2024.yaml").read_text(encoding="utf-8"))
    tables = {tid: spec["tables"][tid] for tid in ORDER}
    for n, (tid, table) in enumerate(tables.items()):
        table["number"] = f"表{NUMERALS[n]}"
        table["heading"] = f"{NUMERALS[n]}、{table['title']}"
    spec.update(layout="海南2024", year=2024, region="海南省", style="hainan", tables=tables)
    (root / "specs" / "juesuan-hainan-2024.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                                                           encoding="utf-8")
    style_dir = root / "narrative" / "hainan"
    shutil.copytree(root / "narrative" / "shaanxi", style_dir)
    style = yaml.safe_load((style_dir / "style.yaml").read_text(encoding="utf-8"))
    style["title"] = "{unit}{year}年度部门决算公开"
    first, second = style["parts"]
    second["title"] = "第三部分 {year}年度部门决算情况说明"
    style["package"].update(tables_title="第二部分 {year}年度部门决算表", tables_after=1,
                            glossary_title="第四部分 名词解释", attachments_title="")
    (style_dir / "style.yaml").write_text(yaml.safe_dump(style, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _renamed(cell: str | None, sheets: dict[str, str]) -> str | None:
    if not cell:
        return cell
    sheet, _, coord = cell.partition("!")
    return f"{sheets.get(sheet, sheet)}!{coord}"


@pytest.fixture
def region_templates(tmp_path, monkeypatch):
    root = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", root, ignore=shutil.ignore_patterns("samples"))
    _fourth_region(root)
    monkeypatch.setenv("DISCLOSURE_TEMPLATES", str(root))
    return root


def test_a_fourth_region_runs_end_to_end_from_data_alone(region_templates, tmp_path, cli):
    assert "海南" in specs.regions() and specs.available_layouts(region="海南省") == ["海南2024"]
    # the sample's tables fit the national layout and the new region's alike: the import asks which
    tied = cli("import", SAMPLE, "-o", tmp_path / "wb.xlsx")
    assert tied.code != 0 and "--region" in tied.err and "海南2024" in tied.err and "Traceback" not in tied.err
    done = cli("import", SAMPLE, "-o", tmp_path / "wb.xlsx", "--region", "海南省")
    assert done.code == 0, done.err
    assert "海南2024 表样" in done.out
    shown = json.loads(cli("show", tmp_path / "wb.xlsx", "--json").out)
    assert shown["region"] == "海南" and shown["layout"] == "海南2024"
    assert list(shown["tables"]) == ORDER  # the region's own order
    assert [t["number"] for t in shown["tables"].values()] == [f"表{n}" for n in NUMERALS]

    assert cli("inputs", tmp_path / "wb.xlsx", "--set-from", INPUTS).code == 0
    # the checks run unchanged: the same findings as the sample in the national layout
    national = tmp_path / "national.xlsx"
    assert cli("import", SAMPLE, "-o", national, "--year", "2024").code == 0
    assert cli("inputs", national, "--set-from", INPUTS).code == 0
    ours = json.loads(cli("check", tmp_path / "wb.xlsx", "--json").out)
    theirs = json.loads(cli("check", national, "--json").out)
    # the same findings at the same cells, on the region's sheets (表一 … for 公开01表 …)
    sheets = {f"公开{tid}表": f"表{NUMERALS[n]}" for n, tid in enumerate(ORDER)}
    assert [(f["rule"], f["cell"]) for f in ours] == [(f["rule"], _renamed(f["cell"], sheets)) for f in theirs]
    assert ours and all(f["cell"] is None or f["cell"].split("!")[0] in sheets.values() for f in ours)

    made = cli("narrative", tmp_path / "wb.xlsx", "-o", tmp_path / "说明.txt")
    assert made.code == 0, made.err
    text = (tmp_path / "说明.txt").read_text(encoding="utf-8")
    assert text.startswith("子洲县医疗保障局2024年度部门决算公开") and "第三部分 2024年度部门决算情况说明" in text

    out = tmp_path / "包"
    exported = cli("export", tmp_path / "wb.xlsx", "-o", out, "--no-pdf", "--force")
    assert exported.code == 0, exported.err
    docx = next(out.glob("*.docx"))
    headings = [p.text for p in WordDocument(docx).paragraphs if p.style.name.startswith("Heading") and p.text]
    flat = [re.sub(r"\s+", "", h) for h in headings]
    first = flat.index("第一部分部门概况")
    tables = flat.index("第二部分2024年度部门决算表")
    text_part = flat.index("第三部分2024年度部门决算情况说明")
    assert first < tables < text_part < flat.index("第四部分名词解释")
    printed = [h for h in flat[tables + 1:text_part] if "、" in h]
    assert printed[:3] == ["一、收入支出决算总表", "二、收入决算表", "三、支出决算表"]
    assert printed[6].startswith("七、财政拨款“三公”经费")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["region"] == "海南" and manifest["style"] == "hainan" and manifest["layout"] == "海南2024"


def test_an_unknown_region_is_named_with_the_ones_there_are(tmp_path, cli):
    result = cli("import", SAMPLE, "-o", tmp_path / "wb.xlsx", "--region", "火星")
    assert result.code != 0 and "没有“火星”的" in result.err and "陕西" in result.err and "Traceback" not in result.err


def test_a_style_naming_figures_the_model_lacks_is_told_in_chinese(region_templates, tmp_path, cli):
    style_file = region_templates / "narrative" / "hainan" / "style.yaml"
    style = yaml.safe_load(style_file.read_text(encoding="utf-8"))
    style["parts"][1]["sections"][0]["data"] = "不存在"
    style_file.write_text(yaml.safe_dump(style, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert cli("import", SAMPLE, "-o", tmp_path / "wb.xlsx", "--region", "海南").code == 0
    result = cli("narrative", tmp_path / "wb.xlsx", "-o", tmp_path / "说明.txt")
    assert result.code != 0 and "Traceback" not in result.err and "内部错误" not in result.err
    assert "文风“hainan”的 style.yaml：小节“一”的 data “不存在”" in result.err
