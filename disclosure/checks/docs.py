"""docs/rules.md, generated from the rule registry (run: ./dev docs; a test keeps it up to date)."""

from __future__ import annotations

from ..specs import JUESUAN, YUSUAN
from .engine import RULES, run  # noqa: F401  (run imports the rule families)

TABLE_HEAD = ["| 规则 | 名称 | 级别 | 关系 | 依据 |", "|---|---|---|---|---|"]


def _of_kind(kind: str) -> list:
    return sorted((r for r in RULES.values() if kind in r.kinds), key=lambda r: (r.id[0] != "T", r.id[0] != "X", r.id))


def render() -> str:
    from . import rules  # noqa: F401  (registers every rule)

    lines = [
        "# 校验规则目录",
        "",
        "本页由 `disclosure/checks` 的规则注册表生成（`./dev docs`），请勿手改。",
        "",
        "部门决算（公开01–09表）：T、X、K 规则核对“合计 = 各组成数之和”“两表同一数相等”“部分不大于整体”的关系；",
        "S 规则核对负数、超预算、占位符、单位名称等表格常识；N 规则列出情况说明还缺的说明数据和原因。",
        "P 规则核对绩效自评表（整体支出、项目支出）：执行率、执行率得分、分值与总分、偏差原因，及其与决算支出的关系。",
        "R 规则核对只有部分地区公开的表（内蒙古 表七 项目支出经济分类、表十一 机构运行经费/国有资产/政府采购），"
        "本地区的表样没有这些表时不运行。规则按“这是什么表”找表，不按各地的编号，所以在每个地区的表样上都一样运行"
        "（见 [地区.md](地区.md)）。",
        "部门预算（表1–表15）：B 规则，见下文“部门预算”一节。每条规则只校验它所属类型的工作簿。",
        "",
        "**尾差。** 公开表每一格由“元”各自四舍五入到 0.01 万元：",
        "",
        "- 表内：n 个非空组成数相加与合计最多相差 n × 0.005；",
        "- 表间（及表与说明数据）：同一个数在两处各自舍入，最多相差 0.01；某一处若是下级各行舍入后相加得到的"
        "（类 = 各项之和），最多相差 n × 0.005，n 取两边相加的项数中较大者，至少为 2；",
        "- 类、合计行的各栏之间：该行每一栏都是下级各行之和时，容差再乘以下级行数；",
        "- 一张表的合计（由本表各行舍入后相加）= 另一张表几个数之和（如 05表 合计·基本支出 = 06表 人员经费 + 公用经费）："
        "两边的舍入都算，n = 合计下的行数 + 另一边的项数。",
        "",
        "在此范围内报“警告（尾差）”，写明两个数、差额和容差；超出范围按规则本身的级别报告（多为“错误”）。",
        "经办人核实过的单条问题可以“确认”（`disclosure check 工作簿 --ack 规则@单元格 --reason 原因`），",
        "已确认的错误不再阻止导出，单元格的数一变确认即失效。",
        "`disclosure check` 退出码：0 无错误（已确认的除外），1 有错误，2 文件无法读取或参数有误。",
        "",
        "## 部门决算",
        "",
        *TABLE_HEAD,
    ]
    lines += [f"| {r.id} | {r.title} | {r.severity} | {r.formula} | {r.reference} |" for r in _of_kind(JUESUAN)]
    lines += [
        "",
        "## 部门预算",
        "",
        "表1、表4 是汇总表，其数应由明细表（表2、表3、表5–表10）汇总而来：两者不符时，问题指向表1/表4 的单元格，",
        "信息中写明明细表的数。部门只有财政拨款时表1、表4 逐行相同；另有其他资金（事业收入、上级补助等）时，",
        "“表4 = 表1”“表1 = 明细表”变为“不大于”。尾差的判断与部门决算相同。",
        "",
        *TABLE_HEAD,
    ]
    lines += [f"| {r.id} | {r.title} | {r.severity} | {r.formula} | {r.reference} |" for r in _of_kind(YUSUAN)]
    lines += ["", "## 处理建议", ""]
    hinted = list(dict.fromkeys(r for kind in (JUESUAN, YUSUAN) for r in _of_kind(kind)))  # N01/N02: both kinds
    lines += [f"- **{r.id}** {r.hint}" for r in hinted]
    return "\n".join(lines) + "\n"
