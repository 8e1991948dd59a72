"""A published 情况说明 as people really get it, generated from a seed's text: copied out of a PDF, pasted
from a web page, typed into Word. Lint must read every form as it reads the published text.

- pdf_copied: lines wrapped at a page width (mid-sentence and mid-number), blank lines, a page number
  ("— 5 —" or "- 5 -") and a running header every page, letters spaced apart in some lines, spaces inside
  numbers and words ("4 85.52", "（项 ）"), full-width digits and "％" in some lines;
- web_pasted: every paragraph of a section run into one line, the heading into its body;
- docx: one Word paragraph per paragraph of the text, table rows as Word tables.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from pathlib import Path

FULL = str.maketrans({**{str(i): chr(0xFF10 + i) for i in range(10)}, "%": "％"})
HEADING = re.compile(r"^\s*(十[一二三四]?|[一二三四五六七八九])、")


def _lines(text: str) -> list[str]:
    return [l.strip() for l in text.splitlines() if l.strip()]


def pdf_copied(text: str, seed: int = 0, header: str = "部门决算公开") -> str:
    """The text as a PDF viewer's "copy" gives it back."""
    rng = random.Random(seed)
    width = rng.randint(22, 38)
    lines_per_page = rng.randint(25, 40)
    page_style = rng.choice(["— {} —", "- {} -", "第 {} 页"])
    out: list[str] = []
    page = 1
    for line in _lines(text):
        if "\t" in line:  # a table row stays a row
            pieces = [line]
        else:
            pieces = [line[i:i + width] for i in range(0, len(line), width)]
        for piece in pieces:
            roll = rng.random()
            if roll < 0.08:
                piece = piece.translate(FULL)
            elif roll < 0.14:
                piece = " ".join(piece)  # letters spaced apart
            elif roll < 0.22:
                piece = re.sub(r"(\d)(\d)", r"\1 \2", piece, count=1)  # "4 85.52"
            elif roll < 0.26:
                piece = piece.replace("）", " ）", 1)
            out.append(piece)
            if rng.random() < 0.3:
                out.append("")
            if len(out) % lines_per_page == 0:
                out += ["", page_style.format(page), "", "\f" + header, ""]
                page += 1
    return "\n".join(out)


def web_pasted(text: str) -> str:
    """Each section of the 情况说明 on one line, its heading run into the body (no line break after it). A web
    page has no page numbers: a seed's own ("- 14 -") are left out."""
    out: list[str] = []
    for line in _lines(text):
        if re.fullmatch(r"[-—]\s*\d+\s*[-—]", line):
            continue
        if HEADING.match(line) or not out or re.match(r"^第[一二三四五]部分", line) \
                or re.match(r"^第[一二三四五]部分", out[-1]) or "\t" in line or "\t" in out[-1]:
            out.append(line)
        else:
            out[-1] += line
    return "\n".join(out)


def write_docx(text: str, path: Path) -> Path:
    """A Word document of the text: a paragraph per line, runs of table rows as a Word table."""
    from docx import Document

    doc = Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            rows.clear()

    for line in _lines(text):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        doc.add_paragraph(line)
    flush()
    doc.save(str(path))
    return path


# ---------------------------------------------------------------- a long published 第二部分

_REWORDINGS = [("与上年相比，", "较上年"), ("主要原因是：", "原因主要是："), ("支出决算", "决算支出"),
               ("年初预算", "年初预算数"), ("完成年初预算的", "为年初预算的"), ("其中：", "其中，"),
               ("包括人员经费和公用经费", "由人员经费和公用经费构成")]
_USES = ["保障机关正常运转", "落实干部职工工资福利待遇", "开展医保政策宣传和业务培训", "支付信息系统运维服务费",
         "推进医保经办服务下沉", "开展定点医药机构监督检查", "支付城乡居民医疗救助配套资金", "购置办公设备和耗材",
         "开展药品耗材追溯码采集应用", "推进DRG支付方式改革"]
_PROJECTS = ["城乡居民参加医疗保险县级配套", "大病保险倾斜政策资金", "城乡居民医疗救助县级财政配套资金",
             "医疗保障服务能力提升补助", "医保信息化建设", "药品耗材追溯码采集应用", "定点医药机构监督检查",
             "医保经办服务体系建设", "异地就医直接结算", "DRG支付方式改革", "医保基金监管专项行动",
             "医保政策宣传", "参保扩面征缴", "门诊共济保障", "医疗救助一站式结算", "长期护理保险试点准备"]
_INDICATORS = [("参保人数", "人"), ("结算人次", "人次"), ("检查定点医药机构", "家"), ("培训人员", "人次"),
               ("宣传活动", "场"), ("追回违规基金", "笔"), ("救助人数", "人")]
# 科目 of last year's text the officer forgot to take out (names as the catalog has them)
_STALE_ITEMS = [("社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休"),
                ("社会保障和就业支出", "行政事业单位养老支出", "事业单位离退休"),
                ("卫生健康支出", "医疗保障管理事务", "医疗保障政策管理"),
                ("卫生健康支出", "其他卫生健康支出", "其他卫生健康支出")]


def long_narrative(report, lines: int = 1700, seed: int = 0, width: int = 34, style: str = "shaanxi",
                   slips: list | None = None) -> str:
    """A published document whose 第二部分 runs to about `lines` lines, as a big department's PDF text reads:
    the generator's own text for the workbook, sentences reworded and amounts printed with thousands separators
    here and there, each 科目 of 五 explained at length (what the money did, its 基本/项目 split), 六 listing the
    经济分类 items, stale 科目 left from last year's text, a few wrong numbers, and a long 十三 of 项目绩效自评
    paragraphs — wrapped at `width` characters with page numbers, as pdftotext gives it back. slips, if given,
    gets (section, figure as printed, figure as it should be) for each number made wrong."""
    from disclosure.narrative.render import render

    rng = random.Random(seed)
    doc = render(report, style=style)
    part = doc.parts[-1]
    # each paragraph with the ones added under it (a 科目 of 五 with its explanation)
    body = {s.id: [[_reword(p, rng)] for p in s.paragraphs] for s in part.sections}
    extras = _extras(report, rng)
    target = lines * 40 // 43  # three lines of page number every 40
    broken: set = set()
    wrong, count = 0, sum(len(_wrap(p, width)) for blocks in body.values() for b in blocks for p in b) + len(body)
    while count < target:
        section, paragraph, under = next(extras)
        blocks = body[section]
        at = next((b for b in blocks if under and under in b[0]), blocks[-1])
        at.append(paragraph)
        count += len(_wrap(paragraph, width))
        if count // 300 > wrong:  # a few wrong numbers: one every 300 lines or so
            wrong += 1
            slip = _break_a_number(body, rng, broken)
            if slips is not None:
                slips.append(slip)
    out = [doc.title, ""]
    for p in doc.parts[:-1]:
        out += [p.title] + [f"{s.title}\n" + "\n".join(f"　　{x}" for x in s.paragraphs) for s in p.sections]
    out.append(part.title)
    page, on_page = 1, 0
    for s in part.sections:
        for line in [s.title] + [w for b in body[s.id] for p in b for w in _wrap(p, width)]:
            out.append(line)
            on_page += 1
            if on_page == 40:
                out += ["", f"- {page} -", ""]
                page, on_page = page + 1, 0
    return "\n".join(out) + "\n"


def _wrap(paragraph: str, width: int) -> list[str]:
    text = "　　" + paragraph
    return [text[i:i + width] for i in range(0, len(text), width)]


def _reword(paragraph: str, rng: random.Random) -> str:
    if rng.random() < 0.4:
        old, new = rng.choice(_REWORDINGS)
        paragraph = paragraph.replace(old, new, 1)
    if rng.random() < 0.5:  # 2444.56 → 2,444.56 as many published texts print it
        paragraph = re.sub(r"(?<![\d.,])(\d)(\d{3}(?:\.\d+)?)(?=万元)", r"\1,\2", paragraph)
    return paragraph


def _break_a_number(body: dict[str, list[list[str]]], rng: random.Random, broken: set) -> tuple[str, str, str]:
    """One amount the generator printed in 一–十二 (in the first paragraph of a block: ours), not changed before,
    off by a few cents — the slip a checker is for: (section, wrong, right)."""
    spots = [(sid, b, m) for sid, blocks in body.items() if sid not in ("十三", "十四") for b in blocks
             for m in re.finditer(r"(?<![\d,.])\d[\d,]*\.(\d\d)(?=万元)", b[0]) if (id(b), m.start()) not in broken]
    sid, b, m = rng.choice(spots)
    broken.add((id(b), m.start()))  # the same length after: positions stay
    cents = (int(m.group(1)) + rng.randint(1, 9)) % 100
    wrong = m.group(0)[:-2] + f"{cents:02d}"
    b[0] = b[0][:m.start()] + wrong + b[0][m.end():]
    return sid, wrong, m.group(0)


def _extras(report, rng: random.Random):
    """Endless (section, paragraph, words of the paragraph to put it under or ""): about half in 五/六 (checked
    against the tables), half in 十三 (free text)."""
    items = [r for r in report.table("05").code_rows() if len(r.code or "") == 7]
    details = [r for r in report.table("06").rows if len(r.code or "") == 5 and r.values["决算数"].amount]
    project = 0
    while True:
        for r in items:
            under = f"{r.name}（项）"
            yield "五", _explanation(rng), under
            if rng.random() < 0.15:
                b, p = r.amount("基本支出"), r.amount("项目支出")
                yield "五", f"该科目全年支出{r.amount('小计'):.2f}万元，其中：基本支出{b:.2f}万元，项目支出{p:.2f}万元。", under
        for r in rng.sample(details, 4):
            under = "人员经费" if r.code.startswith("301") else "公用经费"
            yield "六", f"{r.name}{r.values['决算数'].amount:.2f}万元，主要用于{rng.choice(_USES)}。", under
        if rng.random() < 0.5:
            cls, kuan, xiang = rng.choice(_STALE_ITEMS)
            budget = Decimal(rng.randint(100, 99999)) / 100
            spent = budget * Decimal(rng.randint(80, 100)) / 100
            yield "五", (f"{cls}（类）{kuan}（款）{xiang}（项）。年初预算{budget:.2f}万元，支出决算{spent:.2f}万元，"
                        f"完成年初预算的{spent / budget * 100:.2f}%。"), ""
        for _ in range(3):
            project += 1
            yield "十三", _project(project, rng), ""
        yield "十", f"本年度机关运行经费主要用于{rng.choice(_USES)}，严格执行公务支出标准。", ""


_EFFECTS = ["保障了各项工作顺利开展", "参保群众满意度进一步提升", "医保基金运行安全平稳", "经办效率明显提高",
            "有效减轻了群众就医负担", "基层服务能力持续增强", "资金使用效益进一步提高"]
_WORKS = [("开展业务培训", "场"), ("走访定点医药机构", "家"), ("办理异地就医备案", "人次"), ("受理群众咨询", "件"),
          ("开展政策宣传", "次"), ("核查疑点数据", "条")]


def _explanation(rng: random.Random) -> str:
    """A sentence an officer writes under a 科目: what the money did, without a table figure."""
    roll = rng.random()
    if roll < 0.35:
        return f"该科目支出主要用于{'、'.join(rng.sample(_USES, rng.randint(2, 4)))}等方面。"
    if roll < 0.6:
        return f"资金主要用于{rng.choice(_USES)}，{rng.choice(_EFFECTS)}。"
    if roll < 0.85:
        work, unit = rng.choice(_WORKS)
        return f"全年共{work}{rng.randint(3, 900)}{unit}，{rng.choice(_EFFECTS)}。"
    return f"下一步，我们将{rng.choice(_USES)}，{rng.choice(_EFFECTS)}。"


def _project(n: int, rng: random.Random) -> str:
    name = _PROJECTS[(n - 1) % len(_PROJECTS)]
    budget = Decimal(rng.randint(500, 200000)) / 100
    spent = (budget * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal("0.01"))
    rate = (spent / budget * 100).quantize(Decimal("0.01"))
    if rng.random() < 0.1:
        rate += Decimal("1.50")  # a completion rate that is not the quotient of its two figures
    indicators = []
    for label, unit in rng.sample(_INDICATORS, 3):
        target = rng.randint(10, 5000)
        indicators.append(f"{label}目标值{target}{unit}，实际完成{target + rng.randint(-5, 50)}{unit}")
    return (f"（{n}）{name}项目。全年预算数{budget}万元，全年执行数{spent}万元，完成率为{rate}%。"
            f"产出指标：{'；'.join(indicators)}。效益指标：群众就医负担进一步减轻，服务对象满意度达{rng.randint(90, 99)}%。"
            f"存在问题：部分指标设置不够细化，资金支付进度前慢后快。改进措施：{rng.choice(_USES)}，加强绩效运行监控。")
