"""说明数据 and 原因说明: the facts the tables cannot hold (上年数, 年初预算, 三公 details, 政府采购, 资产, 人员,
texts) and the officer's reasons. One schema, stated once, drives the sheets, the YAML/JSON form of
`disclosure inputs --set-from/--dump`, and validation.

Keys are dotted paths ("上年.收入总计"); three families take a free last part: 年初预算.项.<7-digit code>,
国有资产.车辆明细.<用途>, 原因.<item key from 原因说明>. A blank cell means "not filled" (a placeholder in
the text), never zero: an officer who means zero types 0.

The schema is per document kind: FIELDS/FAMILIES for the 部门决算, BUDGET_FIELDS/BUDGET_FAMILIES for the 部门预算
(上年预算 figures — growth in a 预算 text is on last year's budget —, 人员 per unit, 购置, 政府采购, 机关运行经费,
texts). A function given `kind` uses that kind's schema; without one (the GUI's label lookups) a key is looked up
in the 决算 schema, then the 预算 one. Reading and writing workbooks and YAML always pass the kind.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

import msgspec
from msgspec import field

from .amounts import AmountError, parse_amount
from .cells import text_problem
from .errors import InputError
from .model import CellRef
from .specs import JUESUAN, YUSUAN

INPUT_SHEET = "说明数据"
REASON_SHEET = "原因说明"
PRIOR_REASON = "上年原因."  # + a 原因说明 key: last year's reason, a reference in the sheet's 4th column
AMOUNT, COUNT, TEXT, NAMES = "金额", "数量", "文字", "名单"


class Field(msgspec.Struct, frozen=True):
    """One 说明数据 item: its key, what kind of value it takes and the label it is typed under."""

    key: str
    kind: str
    label: str
    regions: tuple[str, ...] = ()  # the regions whose text asks for it (a row of their 说明数据 only); () = every region

    def asked_in(self, region: str | None) -> bool:
        return not self.regions or region is None or region in self.regions


def _f(key: str, kind: str, label: str, regions: tuple[str, ...] = ()) -> Field:
    return Field(key, kind, label, regions)


FIELDS: list[Field] = [
    _f("上年.收入总计", AMOUNT, "上年决算 收入总计（公开01表）"),
    _f("上年.支出总计", AMOUNT, "上年决算 支出总计（公开01表）"),
    _f("上年.财政拨款收支总计", AMOUNT, "上年决算 财政拨款收入支出总计（公开04表）"),
    _f("上年.一般公共预算财政拨款支出", AMOUNT, "上年决算 一般公共预算财政拨款支出（公开05表合计）"),
    _f("上年.机关运行经费", AMOUNT, "上年决算 机关运行经费"),
    _f("上年.三公经费.合计", AMOUNT, "上年决算 “三公”经费合计"),
    _f("上年.三公经费.因公出国", AMOUNT, "上年决算 因公出国（境）费"),
    _f("上年.三公经费.公务用车购置", AMOUNT, "上年决算 公务用车购置费"),
    _f("上年.三公经费.公务用车运行维护", AMOUNT, "上年决算 公务用车运行维护费"),
    _f("上年.三公经费.公务接待", AMOUNT, "上年决算 公务接待费"),
    _f("上年.会议费", AMOUNT, "上年决算 会议费"),
    _f("上年.培训费", AMOUNT, "上年决算 培训费"),
    _f("年初预算.一般公共预算财政拨款支出", AMOUNT, "本年 一般公共预算财政拨款支出 年初预算"),
    _f("机关运行经费预算", AMOUNT, "本年 机关运行经费 预算"),
    _f("机关运行经费", AMOUNT, "本年 机关运行经费 决算"),
    _f("三公.因公出国团组", COUNT, "因公出国（境）团组数（个）"),
    _f("三公.因公出国人次", COUNT, "因公出国（境）人次"),
    _f("三公.购置车辆", COUNT, "公务用车购置数（辆）"),
    _f("三公.公务用车保有量", COUNT, "公务用车保有量（辆）"),
    _f("三公.公务接待批次", COUNT, "国内公务接待批次"),
    _f("三公.公务接待人次", COUNT, "国内公务接待人次"),
    _f("政府采购.总额", AMOUNT, "政府采购支出总额"),
    _f("政府采购.货物", AMOUNT, "政府采购货物支出"),
    _f("政府采购.工程", AMOUNT, "政府采购工程支出"),
    _f("政府采购.服务", AMOUNT, "政府采购服务支出"),
    _f("政府采购.授予中小企业", AMOUNT, "授予中小企业合同金额"),
    _f("政府采购.授予小微企业", AMOUNT, "其中授予小微企业合同金额"),
    _f("政府采购.货物授予中小企业", AMOUNT, "货物采购授予中小企业合同金额"),
    _f("政府采购.工程授予中小企业", AMOUNT, "工程采购授予中小企业合同金额"),
    _f("政府采购.服务授予中小企业", AMOUNT, "服务采购授予中小企业合同金额"),
    _f("主要用于.公务用车运行维护费", TEXT, "公务用车运行维护费主要用于（如：燃油费、维修费、保险费等）"),
    _f("主要用于.公务接待费", TEXT, "公务接待费主要用于（如：接待上级检查调研等）"),
    _f("主要用于.会议费", TEXT, "会议费主要用于（召开了哪些会议）"),
    _f("主要用于.培训费", TEXT, "培训费主要用于（举办了哪些培训）"),
    _f("国有资产.车辆", COUNT, "年末车辆总数（辆）"),
    _f("国有资产.单价100万元以上设备", COUNT, "单价100万元以上设备（台/套，不含车辆）"),
    _f("国有资产.当年购置车辆", COUNT, "当年购置车辆（辆）"),
    _f("国有资产.当年购置设备", COUNT, "当年购置单价100万元以上设备（台/套）"),
    _f("人员.编制", COUNT, "人员编制总数"),
    _f("人员.行政编制", COUNT, "其中行政编制"),
    _f("人员.参公编制", COUNT, "其中参照公务员法管理编制"),
    _f("人员.事业编制", COUNT, "其中事业编制"),
    _f("人员.实有", COUNT, "实有人员总数"),
    _f("人员.实有行政", COUNT, "实有行政人员"),
    _f("人员.实有参公", COUNT, "实有参照公务员法管理人员"),
    _f("人员.实有事业", COUNT, "实有事业人员"),
    _f("人员.离退休", COUNT, "单位管理的离退休人员"),
    _f("单位构成", NAMES, "纳入决算的单位（每行一个）"),
    _f("主要职责", TEXT, "部门主要职责"),
    _f("内设机构", TEXT, "内设机构"),
    _f("部门或单位", TEXT, "全文称“部门”还是“单位”（不填则按单位构成：一个单位称单位，多个称部门）"),
    _f("联系电话", TEXT, "联系电话"),
    _f("机构改革", TEXT, "机构改革、预算单位调整情况（没有则填“无”）"),
    _f("公开日期", TEXT, "公开日期，印在封面（如 2025年8月、2025-08-20；不填为导出当天）"),
    # 陕西's published texts state both under the title on the cover (seed 001); printed there when filled
    _f("保密审查情况", TEXT, "封面：保密审查情况（如“已审查”；不填则封面不印）", ("陕西",)),
    _f("主要负责人审签情况", TEXT, "封面：主要负责人审签情况（如“已审签”；不填则封面不印）", ("陕西",)),
    _f("零值显示", TEXT, "表中金额为 0 时印作“0.00”还是留空（填 0.00 或 空白；导入时按报表自身的写法填好）"),
    # labels every region's workbook shows: no 陕西 section number (上海 prints its 绩效 as 十、, 内蒙古 as 十四、)
    _f("绩效", TEXT, "预算绩效情况说明（全文；填写后印在情况说明的绩效一节）"),
    _f("其他说明", TEXT, "其他需要说明的情况（列在标准说明之后；不填则只列标准说明）"),
    # 上海文本另写的（templates/narrative/shanghai）：三公的开支内容，面向中小企业、小微企业预留的采购
    _f("主要用于.因公出国（境）费", TEXT, "因公出国（境）费开支内容（上海）", ("上海",)),
    _f("主要用于.公务用车购置费", TEXT, "公务用车购置费主要用于（列明购置数量）", ("上海", "内蒙古")),
    _f("政府采购.预留中小企业", AMOUNT, "面向中小企业预留政府采购项目预算金额（上海）", ("上海",)),
    _f("政府采购.预留小微企业", AMOUNT, "面向小微企业预留政府采购项目预算金额（上海）", ("上海",)),
    _f("政府采购.预留中小企业中标", AMOUNT, "中小企业预留项目中由中小企业中标或成交的采购金额（上海）", ("上海",)),
    _f("政府采购.预留小微企业中标", AMOUNT, "小微企业预留项目中由小微企业中标或成交的采购金额（上海）", ("上海",)),
    _f("政府采购.其他中小企业中标", AMOUNT, "其他采购项目中由中小企业中标或成交的采购金额（上海）", ("上海",)),
    # 内蒙古文本另写的（templates/narrative/neimenggu，seed 003）：总计比年初预算，01表各行比上年，三公的外宾接待，绩效自评
    _f("年初预算.收支总计", AMOUNT, "本年 收入支出总计 年初预算（内蒙古）", ("内蒙古",)),
    _f("年初预算.财政拨款收支总计", AMOUNT, "本年 财政拨款收入支出总计 年初预算（内蒙古）", ("内蒙古",)),
    _f("上年.本年收入合计", AMOUNT, "上年决算 本年收入合计（公开01表；内蒙古）", ("内蒙古",)),
    _f("上年.使用非财政拨款结余", AMOUNT, "上年决算 使用非财政拨款结余（含专用结余）（公开01表；内蒙古）", ("内蒙古",)),
    _f("上年.年初结转和结余", AMOUNT, "上年决算 年初结转和结余（公开01表；内蒙古）", ("内蒙古",)),
    _f("上年.本年支出合计", AMOUNT, "上年决算 本年支出合计（公开01表；内蒙古）", ("内蒙古",)),
    _f("上年.结余分配", AMOUNT, "上年决算 结余分配（公开01表；内蒙古）", ("内蒙古",)),
    _f("上年.年末结转和结余", AMOUNT, "上年决算 年末结转和结余（公开01表；内蒙古）", ("内蒙古",)),
    _f("上年.政府性基金预算财政拨款支出", AMOUNT, "上年决算 政府性基金预算财政拨款支出（公开07表合计；内蒙古）", ("内蒙古",)),
    _f("上年.国有资本经营预算财政拨款支出", AMOUNT, "上年决算 国有资本经营预算财政拨款支出（公开08表合计；内蒙古）", ("内蒙古",)),
    _f("三公.国外公务接待费", AMOUNT, "国（境）外公务接待费（没有填 0；内蒙古）", ("内蒙古",)),
    _f("三公.国外接待批次", COUNT, "国（境）外公务接待批次（内蒙古）", ("内蒙古",)),
    _f("三公.国外接待人次", COUNT, "国（境）外公务接待人次（内蒙古）", ("内蒙古",)),
    _f("绩效自评.一级项目", COUNT, "开展绩效自评的一般公共预算一级项目（个；内蒙古）", ("内蒙古",)),
    _f("绩效自评.二级项目", COUNT, "开展绩效自评的一般公共预算二级项目（个；内蒙古）", ("内蒙古",)),
    _f("绩效自评.项目资金", AMOUNT, "开展绩效自评的一般公共预算项目共涉及资金（内蒙古）", ("内蒙古",)),
    _f("绩效自评.基金一级项目", COUNT, "开展绩效自评的政府性基金预算一级项目（个；内蒙古）", ("内蒙古",)),
    _f("绩效自评.基金二级项目", COUNT, "开展绩效自评的政府性基金预算二级项目（个；内蒙古）", ("内蒙古",)),
    _f("绩效自评.基金项目资金", AMOUNT, "开展绩效自评的政府性基金预算项目共涉及资金（内蒙古）", ("内蒙古",)),
    _f("重点绩效评价", TEXT, "部门重点项目绩效评价结果（没有开展则填“无”；内蒙古）", ("内蒙古",)),
    _f("主要工作", TEXT, "本年度主要工作完成情况（内蒙古 第一部分 三）", ("内蒙古",)),
    _f("联系人", TEXT, "决算公开联系人（内蒙古 第四部分）", ("内蒙古",)),
]
BY_KEY = {f.key: f for f in FIELDS}
# families with a free last part: (prefix, kind, label, pattern of the free part)
FAMILIES = [
    ("年初预算.项.", AMOUNT, "年初预算（项）", re.compile(r"^\d{7}$")),
    ("国有资产.车辆明细.", COUNT, "车辆明细（辆）", re.compile(r"^\S+$")),
    ("主要用于.项.", TEXT, "主要用于（项）", re.compile(r"^\d{7}$")),  # 上海 五（三）、八、九: what each 项 was for
    ("项目支出说明.", TEXT, "项目支出此类（经济分类）的用途", re.compile(r"^\d{3}$")),  # 内蒙古 七
    ("原因.", TEXT, "原因", re.compile(r"^.+$")),
    # last year's published reason for the same change (--prior 上年公开.pdf): shown beside 原因 as a reference,
    # never used in the text (the 原因说明 sheet's 4th column)
    (PRIOR_REASON, TEXT, "上年的原因（参考）", re.compile(r"^.+$")),
]
VEHICLE_USES = ["机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部服务用车", "其他用车"]
# the uses a region's text lists the vehicles by (its 说明数据 rows 国有资产.车辆明细.<use>, in its order)
REGION_VEHICLE_USES = {
    "内蒙古": ["副部（省）级及以上领导用车", "主要负责人用车", *VEHICLE_USES],  # seed 003's 表十一 lines
    "上海": ["部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车",
             "离退休干部用车", "其他用车"],  # the 上海 2024 template, 十一（三）, as it words them
}


def vehicle_uses(region: str | None) -> list[str]:
    return REGION_VEHICLE_USES.get(region or "", VEHICLE_USES)

# 部门预算: what the 预算 情况说明 needs besides 表1–表15 (the 三公 上年预算 is printed in 表12 itself)
STAFF = [("人员.编制", "人员编制总数"), ("人员.行政编制", "其中行政编制"), ("人员.参公编制", "其中参照公务员法管理编制"),
         ("人员.事业编制", "其中事业编制"), ("人员.实有", "实有人员总数"), ("人员.实有行政", "实有行政人员"),
         ("人员.实有参公", "实有参照公务员法管理人员"), ("人员.实有事业", "实有事业人员"),
         ("人员.离退休", "单位管理的离退休人员")]
BUDGET_FIELDS: list[Field] = [
    _f("上年.收入总计", AMOUNT, "上年预算 收入总计（表1）"),
    _f("上年.支出总计", AMOUNT, "上年预算 支出总计（表1）"),
    _f("上年.财政拨款收入", AMOUNT, "上年预算 财政拨款收入总计（表4）"),
    _f("上年.财政拨款支出", AMOUNT, "上年预算 财政拨款支出总计（表4）"),
    _f("上年.一般公共预算拨款支出", AMOUNT, "上年预算 一般公共预算拨款支出（表5合计）"),
    _f("机关运行经费", AMOUNT, "本年 机关运行经费 预算安排"),
    _f("上年.机关运行经费", AMOUNT, "上年预算 机关运行经费"),
    _f("国有资产.购置车辆", COUNT, "本年预算安排购置车辆（辆）"),
    _f("国有资产.购置设备", COUNT, "本年预算安排购置单价20万元以上的设备（台/套）"),
    _f("政府采购.货物", AMOUNT, "政府采购预算中货物类（表11有采购时填写）"),
    _f("政府采购.工程", AMOUNT, "政府采购预算中工程类"),
    _f("政府采购.服务", AMOUNT, "政府采购预算中服务类"),
    *(_f(key, COUNT, f"上年底{label}") for key, label in STAFF),
    _f("单位构成", NAMES, "纳入预算编制范围的单位（每行一个；不填则按表2的单位）"),
    _f("主要职责", TEXT, "部门主要职责"),
    _f("机构设置", TEXT, "机构设置（内设机构、下属单位；不填则不写）"),
    _f("工作任务", TEXT, "本年工作任务"),
    _f("部门或单位", TEXT, "全文称“部门”还是“单位”（不填则按单位构成：一个单位称单位，多个称部门）"),
    _f("联系电话", TEXT, "联系电话"),
    _f("公开日期", TEXT, "公开日期，印在封面（如 2023年2月、2023-02-20；不填为导出当天）"),
    _f("零值显示", TEXT, "表中金额为 0 时印作“0.00”还是留空（填 0.00 或 空白；导入时按报表自身的写法填好）"),
]
BUDGET_FAMILIES = [
    ("上年.功能.", AMOUNT, "上年预算 功能分类科目（项）", re.compile(r"^\d{7}$")),
    ("上年.部门经济.", AMOUNT, "上年预算 部门预算支出经济分类（类）", re.compile(r"^\d{3}$")),
    ("上年.政府经济.", AMOUNT, "上年预算 政府预算支出经济分类（类）", re.compile(r"^\d{3}$")),
    ("人员.单位编制.", COUNT, "编制人数", re.compile(r"^\S+$")),
    ("人员.单位实有.", COUNT, "实有人数", re.compile(r"^\S+$")),
    ("原因.", TEXT, "原因", re.compile(r"^.+$")),
    (PRIOR_REASON, TEXT, "上年的原因（参考）", re.compile(r"^.+$")),
]


class Schema(msgspec.Struct, frozen=True):
    """Every 说明数据 item of a kind, the families they are grouped in and the hints shown beside them."""

    fields: list[Field]
    families: list[tuple]
    hints: dict[str, str]

    @property
    def by_key(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}


SCHEMAS = {
    JUESUAN: Schema(FIELDS, FAMILIES, {"年初预算.项.": "7 位项级科目代码", "国有资产.车辆明细.": "用途",
                                       "主要用于.项.": "7 位项级科目代码", "项目支出说明.": "3 位经济分类类级代码",
                                       "原因.": "原因说明中的键", PRIOR_REASON: "原因说明中的键"}),
    YUSUAN: Schema(BUDGET_FIELDS, BUDGET_FAMILIES, {"上年.功能.": "7 位项级科目代码", "上年.部门经济.": "3 位类级科目代码",
                                                    "上年.政府经济.": "3 位类级科目代码", "人员.单位编制.": "单位名称",
                                                    "人员.单位实有.": "单位名称", "原因.": "原因说明中的键",
                                                    PRIOR_REASON: "原因说明中的键"}),
}
_BY_KEY = {kind: schema.by_key for kind, schema in SCHEMAS.items()}


def schema(kind: str | None) -> Schema:
    return SCHEMAS.get(kind or JUESUAN, SCHEMAS[JUESUAN])


def field_for(key: str, kind: str | None = None) -> Field | None:
    """The field of a key in the kind's schema; kind None: the 决算 schema, then the 预算 one."""
    if len(key) > MAX_KEY:
        return None
    if kind is None:
        return field_for(key, JUESUAN) or field_for(key, YUSUAN)
    if key in _BY_KEY.get(kind, BY_KEY):
        return _BY_KEY.get(kind, BY_KEY)[key]
    for prefix, ftype, label, pattern in schema(kind).families:
        if key.startswith(prefix) and pattern.match(key[len(prefix):]):
            return Field(key, ftype, f"{label} {key[len(prefix):]}")
    return None


class InputValue(msgspec.Struct, frozen=True):
    """A 说明数据 value as typed, with the cell it was read from."""

    value: object  # Decimal, int, str or list[str]
    cell: CellRef | None = None


class Inputs(msgspec.Struct):
    """The 说明数据 of one workbook: each filled value, and where every item is typed (filled or not)."""

    values: dict[str, InputValue] = field(default_factory=dict)
    cells: dict[str, CellRef] = field(default_factory=dict)  # where each key is typed, filled or not

    def get(self, key: str):
        v = self.values.get(key)
        return None if v is None else v.value

    def cell(self, key: str) -> CellRef | None:
        return self.cells.get(key)

    def with_prefix(self, prefix: str) -> dict[str, InputValue]:
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}

    def to_nested(self, kind: str | None = None) -> dict:
        """The YAML/JSON form: {"上年": {"收入总计": "3427.44", ...}, "原因": {...}, ...}, in the kind's order."""
        out: dict = {}
        for key, iv in sorted(self.values.items(), key=lambda kv: _order(kv[0], kind)):
            node = out
            parts = _split_key(key, kind)
            for p in parts[:-1]:
                node = node.setdefault(p, {})
            v = iv.value
            node[parts[-1]] = format(v, "f") if isinstance(v, Decimal) else v
        return out


def _order(key: str, kind: str | None = None) -> tuple:
    sch = schema(kind)
    keys = [f.key for f in sch.fields]
    if key in keys:
        return (keys.index(key), "")
    for i, (prefix, *_rest) in enumerate(sch.families):
        if key.startswith(prefix):
            return (len(keys) + i, key)
    return (len(keys) + len(sch.families), key)


def _families(kind: str | None) -> list[tuple]:
    return schema(kind).families if kind else FAMILIES + BUDGET_FAMILIES


def _split_key(key: str, kind: str | None = None) -> list[str]:
    for prefix, *_rest in _families(kind):
        if key.startswith(prefix):  # the free part may itself contain dots
            return prefix.rstrip(".").split(".") + [key[len(prefix):]]
    return key.split(".")


MAX_COUNT = 999_999_999
MAX_AMOUNT = Decimal("999999999999")  # 万元: the bound the template's amount cells validate against
MAX_DIGITS = 15  # significant digits Excel keeps of a number
MAX_KEY = 200  # characters of a key (the free part of 原因.<键> is written into a cell too)
FAMILY_HINTS = {"年初预算.项.": "7 位项级科目代码", "国有资产.车辆明细.": "用途", "原因.": "原因说明中的键"}


def convert(key: str, raw: object, *, file=None, sheet=None, cell=None, row=None, kind: str | None = None) -> object | None:
    """A typed value for the key from a cell or a YAML/JSON value; None when blank. What the key's type or
    range does not allow, or Excel cannot hold, is refused (InputError naming the key, the allowed range and
    where: file, sheet and cell, or the line of a YAML file) — never cut or coerced."""
    f = field_for(key, kind)
    where = dict(file=file, sheet=sheet, cell=cell, row=row)
    if f is None:
        raise InputError(unknown_key(key, kind), **where)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if f.kind == AMOUNT:
        return _amount(key, raw, where)
    if f.kind == COUNT:
        return _count(key, f, raw, where)
    if f.kind == NAMES:
        return _names(key, raw, where)
    if isinstance(raw, (dict, list, bool)):
        hint = "（YAML 中 yes/no/true/false/on/off 是真假值，文字请加引号）" if isinstance(raw, bool) else ""
        raise InputError(f"“{key}”应为文字，实为{_show(raw)}{hint}", **where)
    return _text(key, str(raw).strip(), where)


def _amount(key: str, raw: object, where: dict) -> Decimal:
    if isinstance(raw, (dict, list)) or (isinstance(raw, str) and len(raw) > 60):
        raise InputError(f"“{key}”应为金额（万元），实为{_show(raw)}", **where)
    try:
        value = parse_amount(raw)
    except AmountError as exc:
        raise InputError(f"“{key}”应为金额（万元）：{exc}", **where) from None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise InputError(f"“{key}”应为 0 到 {MAX_AMOUNT:,} 的金额（万元），实为{_show(raw)}", **where)
    if len(value.normalize().as_tuple().digits) > MAX_DIGITS:
        raise InputError(f"“{key}”的有效数字超过 {MAX_DIGITS} 位，Excel 不能精确保存：{_show(raw)}", **where)
    return value


def _count(key: str, f: Field, raw: object, where: dict) -> int:
    n = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        n = raw
    elif isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        n = int(raw)
    elif isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value():
        n = int(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()  # full-width digits typed with a Chinese IME
        if re.fullmatch(r"[+-]?[0-9]{1,15}", text):
            n = int(text)
    if n is None or not 0 <= n <= MAX_COUNT:
        raise InputError(f"“{key}”应为整数（{f.label}，0 到 {MAX_COUNT:,}），实为{_show(raw)}", **where)
    return n


def _names(key: str, raw: object, where: dict) -> list[str] | None:
    if isinstance(raw, list) and all(isinstance(x, (str, int, float)) or x is None for x in raw):
        names = [str(x).strip() for x in raw if x is not None and str(x).strip()]
    elif isinstance(raw, str):
        names = [x.strip() for x in re.split(r"[\n；;]", raw) if x.strip()]
    else:
        raise InputError(f"“{key}”应为名单（每行一个，或 YAML 的文字列表），实为{_show(raw)}", **where)
    _text(key, "\n".join(names), where)  # the list is written into one cell, a name a line
    return names or None


def _text(key: str, text: str, where: dict) -> str:
    problem = text_problem(text)
    if problem:
        raise InputError(f"“{key}”{problem}，请删改后再写入（不会截断）", **where)
    return text


def _show(raw: object) -> str:
    """A value as a message quotes it: short, one line, its kind said when it is not a text."""
    if isinstance(raw, dict):
        return f"键值对（{len(raw)} 项）"
    if isinstance(raw, list):
        return f"列表（{len(raw)} 项）"
    if isinstance(raw, bool):
        return f"真假值 {str(raw).lower()}"
    text = " ".join(str(raw).split())
    return f"“{text[:40]}…”（共 {len(text):,} 个字符）" if len(text) > 40 else f"“{text}”"


def unknown_key(key: str, kind: str | None = None) -> str:
    """Why a key is not known, with the nearest known key (or the form a family's key takes)."""
    shown = key if len(key) <= 60 else key[:60] + "…"
    hints = schema(kind).hints if kind else {**FAMILY_HINTS, **SCHEMAS[YUSUAN].hints}
    fields = schema(kind).fields if kind else FIELDS + BUDGET_FIELDS
    for prefix, hint in hints.items():
        if key.startswith(prefix):
            return f"未知的说明数据项“{shown}”（应为 {prefix}<{hint}>，见 docs/inputs.md）"
    import difflib  # only on this error path

    guess = difflib.get_close_matches(key, [f.key for f in fields] + [p.rstrip(".") for p in hints], n=1,
                                      cutoff=0.5)
    maybe = f"是不是“{guess[0]}”？" if guess else ""
    return f"未知的说明数据项“{shown}”（{maybe}可用的项见 docs/inputs.md）"


def flatten(data: dict, prefix: str = "", *, file=None, lines: dict[str, int] | None = None,
            kind: str | None = None) -> dict[str, object]:
    """Nested YAML/JSON -> {dotted key: raw value}; unknown keys and misplaced groups are errors, naming the
    file and (lines: dotted key -> line of a YAML file) the line."""
    out: dict[str, object] = {}
    lines = lines or {}
    if not isinstance(data, dict):
        where = prefix.rstrip(".")
        raise InputError(f"“{where or '根'}”应为键值对（分组），实为{_show(data)}", file=file, row=lines.get(where))
    for k, v in data.items():
        key = f"{prefix}{k}"
        fields = schema(kind).fields if kind else FIELDS + BUDGET_FIELDS
        is_group = any(f.key.startswith(key + ".") for f in fields) or any(p == key + "." for p, *_ in _families(kind))
        if field_for(key, kind) is not None:
            out[key] = v
        elif is_group:
            out.update(flatten(v, key + ".", file=file, lines=lines, kind=kind))  # says so when v is not a mapping
        else:
            raise InputError(unknown_key(key, kind), file=file, row=lines.get(key))
    return out


def prior_values(last) -> dict[str, object]:
    """上年 values (and the texts that carry over) from last year's filled workbook (a Report)."""
    t01, t04, t05, t09 = (last.table(t) for t in ("01", "04", "05", "09"))
    actual = t09.row("决算数")
    out: dict[str, object] = {
        "上年.收入总计": t01.row("收入总计", "收入").amount("决算数"),
        "上年.支出总计": t01.row("支出总计", "支出").amount("决算数"),
        "上年.财政拨款收支总计": t04.row("收入总计", "收入").amount("金额"),
        "上年.一般公共预算财政拨款支出": t05.row("合计").amount("小计"),
        "上年.三公经费.合计": actual.amount("合计"),
        "上年.三公经费.因公出国": actual.amount("因公出国（境）费"),
        "上年.三公经费.公务用车购置": actual.amount("公务用车购置费"),
        "上年.三公经费.公务用车运行维护": actual.amount("公务用车运行维护费"),
        "上年.三公经费.公务接待": actual.amount("公务接待费"),
        "上年.会议费": actual.amount("会议费"),
        "上年.培训费": actual.amount("培训费"),
    }
    if last.inputs is not None:
        for this_year, last_year in [("上年.机关运行经费", "机关运行经费"), ("主要职责", "主要职责"),
                                     ("内设机构", "内设机构"), ("单位构成", "单位构成"), ("联系电话", "联系电话")]:
            value = last.inputs.get(last_year)
            if value is not None:
                out[this_year] = value
    return out
