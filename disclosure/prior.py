"""Last year's document as this year's start (`import --prior`, `inputs --prior`): last year's filled workbook, or
— the one document every officer has — last year's published PDF (issue 22).

From a workbook: its figures and the texts that carry over (inputs.prior_values / budgetfigures.prior_values).
From a PDF: the figures of its tables (read as `import` reads a PDF), the 概况 texts, 单位构成 and 联系电话 found in its
text (priortext.py), and last year's reasons — offered in the 原因说明 sheet beside this year's reasons to explain
(上年原因.<key>), never filled in as this year's.
"""

from __future__ import annotations

from pathlib import Path

from .errors import DisclosureError
from .inputs import PRIOR_REASON
from .model import Report


def read_prior(path: str | Path) -> Report:
    """Last year's Report: a workbook of ours, or a published PDF."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        from .pdfin import import_pdf

        return import_pdf(path)
    from . import workbook

    return workbook.read(path)


def prior_values(last: Report, this: Report | None = None, this_is: str = "本工作簿") -> dict[str, object]:
    """The 上年 inputs of this year's workbook from last year's Report (same kind). With `this` (this year's
    report) and a PDF, also last year's reason for each change this year's text must explain."""
    # a published PDF, not a workbook once imported from one (which keeps that PDF's text in _公开原文, while its
    # 说明数据 hold what the officer typed since: those are taken, not the old PDF's words)
    from_pdf = last.pdf is not None and last.source is not None and Path(last.source).suffix.lower() == ".pdf"
    if this is not None and last.kind != this.kind:
        what = "PDF" if from_pdf else "工作簿"
        raise DisclosureError(f"--prior 的{what}是{last.kind}，{this_is}是{this.kind}：上年数据应取自同一类报表")
    if this is not None and last.year and last.year == this.year:  # this year's own document taken for last year's
        what = " PDF " if from_pdf else "工作簿"
        gap = " " if this_is[-1].isascii() else ""  # “审核的 PDF 同是”
        raise DisclosureError(f"所给的上年{what}与{this_is}{gap}同是 {this.year} 年度的：请选择 {this.year - 1} 年度的"
                              "公开 PDF 或工作簿（用本年的数作上年数，“与上年相比”的增减会都算成 0）")
    if last.spec.is_budget:
        from .budgetfigures import prior_values as budget_prior

        out = budget_prior(last)
    else:
        from .inputs import prior_values as decision_prior

        out = decision_prior(last)
    if from_pdf:
        out.update(_from_text(last, this, out))
    return out


def _from_text(last: Report, this: Report | None, figures: dict[str, object]) -> dict[str, object]:
    """The texts of last year's PDF, and its reasons for the changes this year's text will state once last
    year's `figures` are in."""
    from .kinds import default_style
    from .priortext import read_prior_text, suggestions

    text = read_prior_text(last.pdf.text.text(), default_style(last))
    out: dict[str, object] = dict(text.inputs())
    if this is not None and text.reasons and not this.spec.is_budget:
        from .inputs import InputValue, Inputs
        from .narrative.model import build

        given = Inputs(dict((this.inputs.values if this.inputs else {})))
        given.values.update({k: InputValue(v) for k, v in {**figures, **out}.items()})
        # what each reason is about: its line up to the figures ("会议费比上年：本年 21.72 万元…" → 会议费比上年)
        needed = [(r.key, "", r.what.split("：")[0]) for r in build(this, given)["model"].reasons]
        out.update({f"{PRIOR_REASON}{key}": said for key, said in suggestions(text, needed).items()})
    return out
