"""The export package's fixed texts and layout choices per document kind, under the style's `package:` section.

A style's style.yaml `package:` wins key by key; what it leaves out comes from the defaults of the report's kind
here, so a 预算 exported with a style that says nothing about the package still gets a 预算 cover, 预算 table
notes and its own chart — never the 决算's. The 部门决算 defaults are those the 决算 export always had.

Keys: document (the cover's second line and the file names: {year} {unit} {accounts}), tables_title (the
heading over the tables; "" for none), glossary_title / attachments_title ("" when the 情况说明 has its own,
as the 预算's 十一、专业名词解释), table_index (the list of tables with 是否空表 before them), empty_note (the
note under an empty table: {unit} {year} {subject}), empty_notes (per table id, the same for one table),
charts (where each chart goes: a section id, a section title, or a sub-heading such as “（二）财政拨款收支情况”),
perf_tables (where the 绩效自评表 print: inline, after their paragraphs in 十三, or appendix, in 第五部分 附件).
"""

from __future__ import annotations

from ..specs import JUESUAN, YUSUAN

DEFAULTS: dict[str, dict] = {
    JUESUAN: {
        "document": "{year}年度{accounts}",
        "tables_title": "第三部分 {year}年度部门决算表",
        "glossary_title": "第四部分 专业名词解释",
        "attachments_title": "第五部分 附件",
        "attachments_empty": "无。",
        "table_index": True,
        "empty_note": "说明：{unit}{year}年度没有{subject}，故本表无数据。",
        "empty_reason": "本部门不涉及故公开空表",
        "charts": {},
        "perf_tables": "inline",  # the 绩效自评表: inline (inside 十三, as seed 001) or appendix (第五部分 附件)
    },
    # as seed 002 (绥德县医疗保障局 2023 年部门综合预算) prints it: three parts of text, 十一、专业名词解释 in the
    # third, then 表1–表15 without a list of tables; the notes of its empty tables say what its text says
    YUSUAN: {
        "document": "{year}年部门综合预算",
        "tables_title": "{year}年部门综合预算公开表",
        "glossary_title": "",
        "attachments_title": "",
        "attachments_empty": "无。",
        "table_index": False,
        "empty_note": "本部门无{subject}预算，此表为空表。",
        "empty_reason": "本部门不涉及故公开空表",
        "empty_notes": {
            "表9": "本部门无政府性基金预算收支，此表为空表。",
            "表11": "本部门无政府采购预算，此表为空表。",
            "表12": "本部门一般公共预算未安排“三公”经费及会议费、培训费支出，此表为空表。",
        },
        "charts": {"（二）财政拨款收支情况": "财政拨款收入预算图"},
    },
}


def package_settings(kind: str | None, config: dict) -> dict:
    """The style's package section over the defaults of `kind` (部门决算's when None or unknown)."""
    return {**DEFAULTS.get(kind or JUESUAN, DEFAULTS[JUESUAN]), **(config.get("package") or {})}
