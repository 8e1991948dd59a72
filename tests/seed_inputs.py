"""Read the 说明数据 figures of a seed out of its own published 第二部分 and 概况 (the fixture script).

tests/test_seed_inputs.py checks that the 说明数据 fixtures (tests/fixtures/inputs/001.yaml and the bundled
sample's YAML for 004) hold exactly these figures; the words (reasons, 职责) are carried over by hand.
Amounts are in 万元. 上年 figures are not printed: they are 本年 ∓ the printed change.
"""

from __future__ import annotations

import re
from decimal import Decimal

from disclosure.lint.text import sections

N = r"([\d,]+(?:\.\d+)?)"
W = r"\s*万\s*元"


def _d(x: str) -> Decimal:
    return Decimal(x.replace(",", ""))


def _previous(current: str, word: str, change: str) -> Decimal:
    return _d(current) + (_d(change) if word == "减少" else -_d(change))


def extract(text: str, report) -> dict[str, object]:
    """{说明数据 key: value} for every figure the text states; 项 budgets are matched to codes by their 决算."""
    parts = dict(sections(text))
    whole = re.sub(r"\s*\n\s*", "", text)
    out: dict[str, object] = {}
    m = re.search(rf"均为\s*{N}{W}.*?(减少|增加)\s*{N}{W}", parts["一"])
    out["上年.收入总计"] = out["上年.支出总计"] = _previous(m.group(1), m.group(2), m.group(3))
    m = re.search(rf"均为\s*{N}{W}.*?(减少|增加)\s*{N}{W}", parts["四"])
    out["上年.财政拨款收支总计"] = _previous(m.group(1), m.group(2), m.group(3))
    m = re.search(rf"财政拨款支出(减少|增加)\s*{N}{W}", parts.get("五", "") + parts["四"])
    current = str(report.table("05").row("合计").amount("小计"))  # printed as 支出决算 in the same paragraph
    out["上年.一般公共预算财政拨款支出"] = _previous(current, m.group(1), m.group(2))
    m = re.search(rf"一般公共预算财政拨款支出年初预算\s*{N}{W}", whole)
    if m:  # lost from seed 001's extraction
        out["年初预算.一般公共预算财政拨款支出"] = _d(m.group(1))
    spent = {r.amount("小计"): r.code for r in report.table("05").code_rows() if len(r.code or "") == 7}
    for m in re.finditer(rf"年初预算为?\s*{N}{W}，支出决算为?\s*{N}{W}", parts.get("五", "") + parts["四"]):
        if _d(m.group(2)) in spent:  # the first pair of 五 is the total, not a 项
            out[f"年初预算.项.{spent[_d(m.group(2))]}"] = _d(m.group(1))
    m = re.search(rf"机关运行经费预算\s*{N}{W}，支出决算\s*{N}{W}.*?比上年(减少|增加)\s*{N}{W}", parts["十"])
    out["机关运行经费预算"], out["机关运行经费"] = _d(m.group(1)), _d(m.group(2))
    out["上年.机关运行经费"] = _previous(m.group(2), m.group(3), m.group(4))
    m = re.search(rf"支出总额共\s*{N}{W}.*?货物支出\s*{N}{W}.*?工程支出\s*{N}{W}.*?服务支出\s*{N}{W}", parts["十一"])
    for key, value in zip(("总额", "货物", "工程", "服务"), m.groups()):
        out[f"政府采购.{key}"] = _d(value)
    out["政府采购.授予中小企业"] = _d(re.search(rf"授予中小企业合同金额\s*{N}{W}", parts["十一"]).group(1))
    out["政府采购.授予小微企业"] = _d(re.search(rf"授予小微企业合同金额\s*{N}{W}", parts["十一"]).group(1))
    m = re.search(r"人员编制\s*(\d+)\s*人，其中行政编制\s*(\d+)\s*人、(?:参照公务员管理编制\s*(\d+)\s*人、)?事业编制"
                  r"\s*(\d+)\s*人；实有人员\s*(\d+)\s*人，其中行政\s*(\d+)\s*人、(?:参照公务员管理\s*(\d+)\s*人、)?事业"
                  r"\s*(\d+)\s*人。单位管理的离退休人员\s*(\d+)\s*人", whole)
    keys = ["编制", "行政编制", "参公编制", "事业编制", "实有", "实有行政", "实有参公", "实有事业", "离退休"]
    for key, value in zip(keys, m.groups()):
        out[f"人员.{key}"] = int(value or 0)
    return out
