"""Figures of the tables only some regions print (内蒙古: 七 项目支出 by 经济分类, 十一 机构运行经费/资产/采购)
and the comparisons their texts make, for the section templates. (Filled in by the regions issue.)"""

from __future__ import annotations


def build(m, ctx: dict) -> dict:
    """Context keys to add to the section model (none when the report has none of these tables)."""
    return {}
