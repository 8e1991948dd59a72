"""说明数据 of a 汇总: what adds up across units is summed, the rest is left for the officer.

- counts (人员 编制/实有/离退休, 三公 团组/人次/车辆, 国有资产 车辆/设备 and 车辆明细) and amounts (上年.*, 年初预算.*,
  机关运行经费(预算), 政府采购.*): summed when every unit has filled them — a sum over some units would be a
  wrong number, so a key some unit lacks is left blank (listed). 年初预算.项.<代码>: every unit whose 公开05表
  prints that 项 must have it (a unit without the 项 had none);
- 单位构成: the units' names, in the order given;
- texts (主要职责, 内设机构, 原因 …) are never merged: left for the officer; 零值显示 is kept when every unit says
  the same.
"""

from __future__ import annotations

from decimal import Decimal

from .inputs import AMOUNT, COUNT, InputValue, Inputs, field_for
from .specs import JUESUAN

ITEM_PREFIX = "年初预算.项."
KEPT_WHEN_SAME = ("零值显示",)


def consolidate_inputs(units) -> tuple[Inputs, list[str], list[str]]:
    """(说明数据 of the 汇总, keys summed, keys left for the officer)."""
    inputs = Inputs()
    keys = sorted({k for u in units if u.report.inputs for k in u.report.inputs.values})
    summed, left = [], []
    for key in keys:
        f = field_for(key, JUESUAN)
        values = [u.report.inputs.get(key) if u.report.inputs else None for u in units]
        if f is None or key == "单位构成":
            continue
        if f.kind in (AMOUNT, COUNT):
            needed = [v for u, v in zip(units, values) if _needs(u, key)]
            if needed and all(v is not None for v in needed):
                total = sum(needed, Decimal(0) if f.kind == AMOUNT else 0)
                inputs.values[key] = InputValue(total)
                summed.append(key)
            else:
                left.append(key)
        elif key in KEPT_WHEN_SAME and len({str(v) for v in values}) == 1 and values[0] is not None:
            inputs.values[key] = InputValue(values[0])
        else:
            left.append(key)
    inputs.values["单位构成"] = InputValue([u.name for u in units])
    return inputs, summed, left


def _needs(unit, key: str) -> bool:
    """Whether the unit must have the key for a sum to be right."""
    if not key.startswith(ITEM_PREFIX):
        return True
    code = key[len(ITEM_PREFIX):]
    t05 = unit.report.tables.get("05")
    return bool(t05 and t05.row(code))
