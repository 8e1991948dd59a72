"""Seed 003 (乌海市医疗保障局 2023, Inner Mongolia) as the export an officer there would import: the eleven tables of
the 内蒙古2023 表样 (templates/specs/juesuan-neimenggu-2023.yaml), one sheet each, laid out as the 部门决算软件
prints them (title — here the printed heading “一、收入支出决算总表” —, 表号, 编制单位, 金额单位, header, 栏次, rows, note).

Every figure the seed's 情况说明 states comes from tests/fixtures/seeds/003_figures.yaml (tests/seed003figures.py),
as printed, its 尾差 included (208 类 85.88 against its 项 85.89, 06 人员 + 公用 734.11 against 基本支出 734.12,
表七 302 类 224.50 against its 款 224.49): the checks must call those 尾差 (警告), never 错误. The text does not give
every cell; those are filled so that every table adds up, on these assumptions:
- all money is 一般公共预算财政拨款 (the text: 收入 100% 一般公共预算财政拨款, no 政府性基金 or 国有资本经营, no 年初
  or 年末 结转和结余), so 02's 财政拨款收入, 03 and 04's 一般公共预算 column repeat 05's figures, 07 and 08 are empty;
- 05's 基本/项目 split by 项: 2101199 (980), 2101506 and 2101599 are 项目支出 (the text says so); every other 项 is
  基本支出 except 2101501 行政运行, which takes the rest of each: 基本 734.12 − 182.28 = 551.84 and 项目
  1,517.15 − 1,369.35 = 147.80 (together its 699.64);
- 类 rows are the text's figures; a 类's only 款 (20129, 20805, 22102) prints the 类's 小计, 21011 and 21015 (under
  210) are the sums of their 项; 基本支出 and 项目支出 of 类 and 款 rows are the sums of their 项;
- 01 and 04 expenditure by 类 = 05's 类;
- 表十一: 机构运行经费 54.75, 政府采购 all 0, 车辆 4 (其他用车 4, every other use 0), 设备 0 — all from the text.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from disclosure import specs
from disclosure.catalog import lookup
from seed003figures import load
from seedfixtures import SeedReport, Variant, table_grid, write_grids

LAYOUT = "内蒙古2023"
ZERO = Decimal(0)
# 项 the text names with (项) only, not yet in disclosure/catalog/功能分类.csv
NAMES = {"20129": "群众团体事务", "2012999": "其他群众团体事务支出", "2101199": "其他行政事业单位医疗支出"}
PROJECT_ITEMS = {"2101199", "2101506", "2101599"}  # all 项目支出 (the text)
SPLIT_ITEM = "2101501"  # 行政运行: 基本 and 项目 both (the rest of each)
CLASSES = ("201", "208", "210", "221")


def _figures() -> dict[str, Decimal]:
    return {k: f["value"] for k, f in load()["figures"].items()}


def _money(x: Decimal) -> str:
    return f"{x:,.2f}" if x else ""


def _name(code: str) -> str:
    entry = lookup(code, 2023)
    return entry.name if entry else NAMES[code]


class Seed003:
    """The eleven tables' figures by table id and row (spec key, 科目 code), from which the export is laid out;
    `change(tid, row, column, value)` sets one cell for an error variant."""

    def __init__(self):
        self.spec = specs.load(LAYOUT)
        fig = _figures()
        self.fig = fig
        items = {k[len("s5.i"):]: v for k, v in fig.items() if k.startswith("s5.i") and k[len("s5.i"):].isdigit()}
        self.items = items  # 项 code -> 05 小计
        self.basic, self.project = fig["s3.basic"], fig["s3.project"]
        split = self._split(items)
        self.coded = self._coded(items, split)
        self.fixed = self._fixed()
        self.economic = self._economic()

    # -------------------------------------------------------------- figures

    def _split(self, items: dict[str, Decimal]) -> dict[str, tuple[Decimal, Decimal]]:
        """项 -> (基本支出, 项目支出), the assumption of the module docstring."""
        out = {c: ((ZERO, v) if c in PROJECT_ITEMS else (v, ZERO)) for c, v in items.items() if c != SPLIT_ITEM}
        basic = self.basic - sum(b for b, _ in out.values())
        out[SPLIT_ITEM] = (basic, self.project - sum(p for _, p in out.values()))
        assert sum(out[SPLIT_ITEM]) == items[SPLIT_ITEM], "行政运行 基本 + 项目 ≠ its 小计"
        return out

    def _coded(self, items: dict[str, Decimal], split: dict) -> dict[str, dict[str, dict[str, Decimal]]]:
        """05/03/02 rows: code -> column -> amount (类 as printed, 款 summed, 项 as printed)."""
        fig = self.fig
        rows05: dict[str, dict[str, Decimal]] = {}
        for code in sorted(items):
            b, p = split[code]
            rows05[code] = {"小计": items[code], "基本支出": b, "项目支出": p}
            kuan = rows05.setdefault(code[:5], {"小计": ZERO, "基本支出": ZERO, "项目支出": ZERO})
            for col, x in (("小计", items[code]), ("基本支出", b), ("项目支出", p)):
                kuan[col] += x
        for cls in CLASSES:
            under = [v for c, v in rows05.items() if len(c) == 7 and c.startswith(cls)]
            b = sum(v["基本支出"] for v in under)
            p = sum(v["项目支出"] for v in under)
            rows05[cls] = {"小计": fig[f"s5.c{cls}"], "基本支出": b, "项目支出": p}
            kuan = [c for c in rows05 if len(c) == 5 and c.startswith(cls)]
            if len(kuan) == 1:  # a 类's only 款 is the 类 (208: 85.88, though its 项 add up to 85.89)
                rows05[kuan[0]]["小计"] = fig[f"s5.c{cls}"]
        rows05["合计"] = {"小计": fig["s5.total"], "基本支出": self.basic, "项目支出": self.project}
        rows03 = {c: {"本年支出合计": v["小计"], "基本支出": v["基本支出"], "项目支出": v["项目支出"]}
                  for c, v in rows05.items()}
        rows03["合计"]["本年支出合计"] = fig["s3.expense"]
        rows02 = {c: {"本年收入合计": v["小计"], "财政拨款收入": v["小计"]} for c, v in rows05.items()}
        rows02["合计"] = {"本年收入合计": fig["s2.income"], "财政拨款收入": fig["s2.gpb"]}
        return {"05": rows05, "03": rows03, "02": rows02, "07": {"合计": {}}, "08": {"合计": {}}}

    def _fixed(self) -> dict[str, dict[tuple[str, str], dict[str, Decimal]]]:
        """Fixed tables: (side, key) -> column -> amount."""
        fig = self.fig
        by_class = {cls: fig[f"s5.c{cls}"] for cls in CLASSES}
        t01 = {("收入", "一般公共预算财政拨款收入"): fig["s2.gpb"], ("收入", "本年收入合计"): fig["s1.income"],
               ("收入", "收入总计"): fig["s1.income_total"], ("支出", "本年支出合计"): fig["s1.expense"],
               ("支出", "支出总计"): fig["s1.expense_total"]}
        out01 = {k: {"决算数": v} for k, v in t01.items()}
        out04: dict[tuple[str, str], dict[str, Decimal]] = {
            ("收入", "一般公共预算财政拨款收入"): {"金额": fig["s4.total"]}, ("收入", "本年收入合计"): {"金额": fig["s4.total"]},
            ("收入", "收入总计"): {"金额": fig["s4.total"]},
            ("支出", "本年支出合计"): {"合计": fig["s5.total"], "一般公共预算财政拨款": fig["s5.total"]},
            ("支出", "支出总计"): {"合计": fig["s4.total"], "一般公共预算财政拨款": fig["s4.total"]}}
        for side in self.spec.table("01").sides[1:]:
            for rs in side.rows:
                if rs.code in by_class:
                    out01[("支出", rs.key)] = {"决算数": by_class[rs.code]}
        for rs in self.spec.table("04").sides[1].rows:
            if rs.code in by_class:
                out04[("支出", rs.key)] = {"合计": by_class[rs.code], "一般公共预算财政拨款": by_class[rs.code]}
        sangong = {("项目", "预算数"): {"合计": fig["s8.budget"], "公务接待费": fig["s8.recv_budget"]},
                   ("项目", "决算数"): {"合计": fig["s8.actual"], "公务接待费": fig["s8.recv_actual"]}}
        running = {("项目", "机构运行经费"): fig["s11.cost"], ("项目", "政府采购总额"): fig["s12.total"],
                   ("项目", "政府采购货物"): fig["s12.goods"], ("项目", "政府采购工程"): fig["s12.works"],
                   ("项目", "政府采购服务"): fig["s12.services"], ("项目", "授予中小企业"): fig["s12.sme"],
                   ("项目", "授予小微企业"): fig["s12.small"], ("项目", "车辆合计"): fig["s13.vehicles"],
                   ("项目", "单价100万元以上设备"): fig["s13.equipment"]}
        uses = {"副部（省）级及以上领导用车": "v_ministerial", "主要负责人用车": "v_head", "机要通信用车": "v_confidential",
                "应急保障用车": "v_emergency", "执法执勤用车": "v_enforcement", "特种专业技术用车": "v_special",
                "离退休干部服务用车": "v_retired", "其他用车": "v_other"}
        running.update({("项目", use): fig[f"s13.{fid}"] for use, fid in uses.items()})
        return {"01": out01, "04": out04, "09": sangong,
                "运行资产采购": {k: {"决算数": v} for k, v in running.items()}}

    def _economic(self) -> dict[str, dict[str, Decimal]]:
        """06 and 表七: code or total label -> 决算数 (classes summed from the text's 款 where it gives none)."""
        fig = self.fig
        out: dict[str, dict[str, Decimal]] = {"06": {}, "项目经济分类": {}}
        for prefix, tid in (("s6.e", "06"), ("s7.e", "项目经济分类")):
            for k, v in fig.items():
                if k.startswith(prefix):
                    out[tid][k[len(prefix):]] = v
        for cls in self.spec.table("06").classes:
            total = sum((out["06"].get(c, ZERO) for c, _ in cls.items), ZERO)
            if total:
                out["06"][cls.code] = total
        out["06"]["人员经费合计"], out["06"]["公用经费合计"] = fig["s6.personnel"], fig["s6.public"]
        for k, v in fig.items():  # 表七's 类 as the text prints them
            if k.startswith("s7.c"):
                out["项目经济分类"][k[len("s7.c"):]] = v
        out["项目经济分类"]["合计"] = fig["s7.project"]
        return out

    def change(self, tid: str, row: str, column: str, value: Decimal) -> None:
        """One cell set to another figure (an error variant): row is a fixed line's key, a code or 合计."""
        if tid in self.fixed:
            side = next(sd.name for sd in self.spec.table(tid).sides if any(rs.key == row for rs in sd.rows))
            self.fixed[tid].setdefault((side, row), {})[column] = value
        elif tid in self.economic:
            self.economic[tid][row] = value
        else:
            self.coded[tid].setdefault(row, {})[column] = value

    # -------------------------------------------------------------- the export

    def seed_report(self) -> SeedReport:
        rep = SeedReport("003", "乌海市医疗保障局", 2023, self.spec)
        for t in self.spec.tables.values():
            if t.kind == "fixed":
                rep.printed[t.id] = self._fixed_lines(t)
            elif t.kind == "coded":
                rows = self.coded[t.id]
                order = ["合计"] + sorted(c for c in rows if c != "合计")
                rep.printed[t.id] = [[c, "" if c == "合计" else _name(c),
                                      *(self._cell(rows[c].get(col.name, ZERO)) for col in t.columns)] for c in order]
            else:
                rep.printed[t.id] = []
                rep.expected[t.id] = {k: {t.value_name: v} for k, v in self.economic[t.id].items() if v}
        return rep

    @staticmethod
    def _cell(x: Decimal, count: bool = False) -> str:
        if count:
            return "" if not x else (str(int(x)) if x == x.to_integral_value() else str(x))
        return _money(x)

    def _fixed_lines(self, t) -> list[list[str]]:
        """Printed rows: each side's lines side by side (01, 04: 收入 left, 支出 right), blank lines kept."""
        values = self.fixed.get(t.id, {})
        per_side = []
        for side in t.sides:
            side_name = side.name
            lines = []
            for rs in side.rows:
                cells = [rs.label, str(rs.line) if rs.line is not None else ""]
                if not side.has_lines:
                    cells = cells[:1]
                got = values.get((side_name, rs.key), {}) if not rs.blank else {}
                cells += [self._cell(got.get(c.name, ZERO), count=bool(rs.unit)) for c in side.columns]
                lines.append(cells)
            per_side.append(lines)
        height = max(len(x) for x in per_side)
        widths = [len(x[0]) for x in per_side]
        return [sum(((x[i] if i < len(x) else [""] * w) for x, w in zip(per_side, widths)), []) for i in range(height)]


def write(path: Path, seed: Seed003 | None = None, yuan: bool = False) -> Path:
    """The export of `seed` (the seed's own figures by default), one sheet per table named by its 表号; `yuan`:
    amounts printed in 元 (金额单位：元), as some exports are — the counts of 表十一 stay counts."""
    seed = seed or Seed003()
    rep = seed.seed_report()
    rng = random.Random(3)
    sheets = []
    for t in seed.spec.tables.values():
        g = table_grid(rep, t, Variant(), rng)
        g.set(0, 0, t.printed_heading)  # the heading as 内蒙古 prints it: “七、一般公共预算财政拨款项目支出决算明细表”
        if yuan:
            g.set(*g.unit, "金额单位：元")
            for row in g.cells:  # amounts are Decimals in the grid; 行次, codes and counts are ints
                row[:] = [x * 10000 if isinstance(x, Decimal) else x for x in row]
        sheets.append((t.number, [g]))
    return write_grids(path, sheets)
