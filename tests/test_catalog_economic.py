"""The two 支出经济分类 schemes as data (disclosure/catalog/经济分类.csv, 经济分类对照.csv): complete enough for
the codes real 预算 documents print, consistent with each other, and with the 决算 表样's 公开06表."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from disclosure.catalog import economic
from seed002 import load as load_seed002

ROOT = Path(__file__).resolve().parents[1]


def rows(name: str) -> list[dict]:
    with (ROOT / "disclosure" / "catalog" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_item_has_its_class_and_every_mapping_target_exists():
    entries = rows("经济分类.csv")
    keys = {(r["scheme"], r["code"]) for r in entries}
    assert len(keys) == len(entries)  # no code twice in a scheme and year
    for r in entries:
        assert len(r["code"]) == {"类": 3, "款": 5}[r["level"]], r
        assert (r["scheme"], r["code"][:3]) in keys, r
    for m in rows("经济分类对照.csv"):
        assert ("部门", m["部门类"]) in keys
        assert m["政府类"].split() and all(("政府", g) in keys for g in m["政府类"].split()), m
    classes = {r["code"] for r in entries if r["scheme"] == "部门" and r["level"] == "类"}
    assert classes == {m["部门类"] for m in rows("经济分类对照.csv")}  # every 部门 类 has its 政府 类


def test_the_decision_tables_economic_items_are_in_the_catalog_under_the_same_names():
    spec = yaml.safe_load((ROOT / "templates" / "specs" / "juesuan-2023.yaml").read_text(encoding="utf-8"))
    for cls in spec["tables"]["06"]["classes"]:
        assert economic.lookup("部门", cls["code"], 2023).name == cls["name"]
        for code, name in cls["items"]:
            assert economic.lookup("部门", code, 2023).name == name


def test_seed_002_codes_names_and_pairs_agree_with_the_catalog():
    """Every 部门/政府 code seed 002 prints in 表6/表8 is known, under the printed name, and booked to an
    allowed 政府 类 (its 30103 → 50101 in 表6 but 50501 in 表8 is allowed either way: the two tables disagreeing
    is a check's business, not the catalog's)."""
    tables = load_seed002()["tables"]
    seen = 0
    for tid in ("表6", "表8"):
        for r in tables[tid]["rows"]:
            if r["code"]:
                assert economic.lookup("部门", r["code"], 2023).name == r["name"]
            if r.get("gov_code"):
                seen += 1
                assert economic.lookup("政府", r["gov_code"], 2023).name == r["gov_name"]
                assert r["gov_code"][:3] in economic.government_classes(r["code"], 2023)
    assert seen >= 30


def test_lookups_by_year_and_unknown_codes():
    assert economic.lookup("政府", "505", 2023).name == "对事业单位经常性补助"
    assert economic.lookup("政府", "505", 2030).year == 2023  # the latest edition not after the year
    assert economic.lookup("政府", "505", 2020).year == 2023  # else the earliest known
    assert economic.lookup("部门", "506", 2023) is None  # a 政府 code is not a 部门 code
    assert economic.government_classes("30103", 2023) == ("501", "505")
    assert economic.government_classes("303", 2023) == ("509",)
    assert economic.government_classes("398", 2023) == ()
