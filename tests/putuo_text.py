"""The Shanghai reference (上海市普陀区财政局 2024) as a Report with its 说明数据, for the 情况说明 and lint tests.

`report()` holds the nine tables of tests/fixtures/reference/putuo_2024_tables.yaml (amounts exactly as printed,
errors included) in memory, laid out by the national 2024 spec under the 上海 style: the narrative reads tables by
what they are (01 … 09), so the Shanghai numbering does not matter to it. `inputs()` is the 说明数据 an officer
would have typed for that text: every amount comes from the fixture's figures and relations (上年 = 本年 ∓ the
change the text states; a total the text states as a sum of parts is that sum), and the words (reasons, what each
项 was for, the 绩效 section) are read out of the reference text itself by the linter's reader.
"""

from __future__ import annotations

import msgspec
import re
from decimal import Decimal

from disclosure import specs
from disclosure.inputs import InputValue, Inputs
from disclosure.model import Report, Row, Table, Value

import putuo2024

# fixture label -> the national spec's key, where they differ
_KEYS = {("01", "收入", "总计"): "收入总计", ("01", "支出", "总计"): "支出总计",
         ("01", "收入", "使用非财政拨款结余（含专用结余）"): "使用非财政拨款结余",
         ("04", "收入", "总计"): "收入总计", ("04", "支出", "总计"): "支出总计",
         ("04", "收入", "年初财政拨款结转和结余"): "年初结转和结余",
         ("04", "支出", "年末财政拨款结转和结余"): "年末结转和结余"}
# Shanghai table (as the fixture names it) -> what it is
IDS = {"一": "01", "二": "02", "三": "03", "四": "04", "五": "05", "六": "06", "七": "09", "八": "07", "九": "08"}


def _values(values: dict, rename: dict | None = None) -> dict[str, Value]:
    return {(rename or {}).get(k, k): Value(v) for k, v in values.items() if v is not None}


def _fixed(tid: str, table: dict, spec) -> list[Row]:
    """Every line of the spec's sides (the checks read them all), with the fixture's amounts where printed."""
    rows = []
    for side in spec.sides:
        column = side.columns[0].name
        printed = {}
        carried = False  # 04 收入 repeats its three labels under 年初财政拨款结转和结余
        for r in table["sides"].get(side.name, []):
            key = _KEYS.get((tid, side.name, r["label"]))
            carried = carried or key == "年初结转和结余"
            if carried and r["label"][:2] in ("一、", "二、", "三、"):
                key = f"年初{r['label'][2:]}结转和结余"
            names = {key, r["label"], r["label"] + "收入"} - {None}  # 04 prints 一、一般公共预算财政拨款 without 收入
            found = next(x for x in side.rows if x.label and names & {x.key, x.label})
            printed[found.key] = {column: Value(r["amount"])} if r.get("amount") is not None else \
                _values(r.get("values", {}))
        zeros = {c.name: Value(Decimal(0)) for c in side.columns}  # a cell printed empty reads as 0
        rows += [Row(x.label, {**zeros, **printed.get(x.key, {})}, key=x.key, code=x.code, line=x.line,
                     side=side.name) for x in side.rows if x.label]
    return rows


def _economic(table: dict, spec) -> list[Row]:
    amounts = {r["code"]: r["amount"] for r in table["left"] + table["right"] if r["amount"] is not None}
    rows = []
    for cls in spec.classes:
        for code, name in ((cls.code, cls.name), *cls.items):
            rows.append(Row(name, {"决算数": Value(amounts[code])} if code in amounts else {}, code=code))
    return rows + [Row(r["label"], {"决算数": Value(r["amount"])}, key=r["label"]) for r in table["totals"]]


def report() -> Report:
    data = putuo2024.load()
    spec = msgspec.structs.replace(specs.load("2024"), region="上海", style="shanghai")
    tables = {}
    for name, table in data["tables"].items():
        tid = IDS[name]
        t = spec.table(tid)
        if t.kind == "fixed" and tid != "09":
            rows = _fixed(tid, table, t)
        elif tid == "09":
            rename = {"公务用车购置及运行费 小计": "公务用车购置及运行维护费", "公务用车运行费": "公务用车运行维护费"}
            zeros = {c.name: Value(Decimal(0)) for c in t.sides[0].columns}
            rows = [Row(label, {**zeros, **_values(table[block], rename)}, key=label, side=t.sides[0].name)
                    for label, block in (("预算数", "budget"), ("决算数", "actual"))]
        elif tid == "06":
            rows = _economic(table, t)
        else:  # coded; 05 prints its first column as 合计, the national spec calls it 小计
            rename = {"合计": "小计"} if tid == "05" else {}
            rows = [Row(r["name"], _values(r["values"], rename), key="合计" if r["code"] is None else None,
                        code=r["code"]) for r in table["rows"]]
        tables[tid] = Table(t, rows)
    return Report(spec, data["unit"], data["year"], tables)


def _section(sections: dict, sid: str) -> str:
    return next(body for s, body in sections if s == sid)


def inputs(rep: Report) -> Inputs:
    """The 说明数据 behind the reference text (see the module's docstring)."""
    from disclosure.lint.text import read_document

    data = putuo2024.load()
    fig = putuo2024.figures(data)
    text = putuo2024.SOURCE.read_text(encoding="utf-8")
    doc = read_document(text, "shanghai")
    sections = [(s.id, s.body) for s in doc.sections]

    def value(fid: str) -> Decimal:
        return fig[fid]["value"]

    def before(current: str, change: str) -> Decimal:
        """Last year's figure from this year's and the change the text states."""
        sign = -1 if fig[change]["direction"] == "增加" else 1
        return value(current) + sign * value(change)

    def total(fid: str) -> Decimal:
        return sum((value(p) for p in fig[fid]["sum"]), Decimal(0))

    v: dict[str, object] = {
        "上年.收入总计": before("total", "total_change"), "上年.支出总计": before("total", "total_change"),
        # 四 says 持平 (its printed total 0.3 is the slip): last year's is this year's 四 总计
        "上年.财政拨款收支总计": rep.table("04").row("收入总计", "收入").amount("金额"),
        "上年.一般公共预算财政拨款支出": before("gp", "gp_change"),
        "年初预算.一般公共预算财政拨款支出": total("gp_budget"),
        "机关运行经费": value("op"), "上年.机关运行经费": before("op", "op_change"),
        # 七: 三公 持平 with 2023, every item nil
        **{f"上年.三公经费.{k}": Decimal(0) for k in ("合计", "因公出国", "公务用车购置", "公务用车运行维护", "公务接待")},
        "政府采购.总额": total("pp"), "政府采购.货物": value("pp_goods"), "政府采购.工程": value("pp_works"),
        "政府采购.服务": value("pp_services"), "政府采购.预留中小企业": value("pp_sme_reserved"),
        "政府采购.预留小微企业": value("pp_micro_reserved"), "政府采购.预留中小企业中标": value("pp_sme_won"),
        "政府采购.预留小微企业中标": value("pp_micro_won"), "政府采购.其他中小企业中标": value("pp_other_sme_won"),
        "国有资产.车辆": int(value("cars")), "国有资产.单价100万元以上设备": int(value("equipment")),
        "单位构成": ["上海市普陀区财政局（本级）", "上海市普陀区财政局财政所", "上海市普陀区国库收付中心"],
    }
    for f in fig.values():
        if f["id"].startswith("b_"):
            v[f"年初预算.项.{f['id'][2:]}"] = f["value"]
    # the words, as the reference has them
    five = _section(sections, "五")
    for n, code in enumerate(sorted(k[2:] for k in fig if k.startswith("b_")), start=1):
        item = re.search(rf"(?:^|[。：]){n}、[^。]*（项）。主要用于：(.*?)。年初预算[^。]*。(?:决算数[^。]*?的主要原因：(.*?)。)?",
                         five)
        v[f"主要用于.项.{code}"] = item.group(1)
        if item.group(2):
            v[f"原因.项.{code}"] = item.group(2)
    reason = re.compile(r"主要原因(?:是|：)(.*?)。")
    v["原因.收支总计"] = reason.search(_section(sections, "一")).group(1)
    v["原因.一般公共预算财政拨款支出"] = reason.search(five).group(1)
    v["原因.一般公共预算财政拨款支出预算执行"] = reason.findall(five)[1]
    v["原因.机关运行经费"] = reason.search(_section(sections, "十一")).group(1)
    v["原因.“三公”经费预算执行"] = reason.search(_section(sections, "七")).group(1)
    performance = _section(sections, "十")
    v["绩效"] = performance
    return Inputs({k: InputValue(x) for k, x in v.items()})
