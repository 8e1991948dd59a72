"""Audit a published PDF (issue 22): read it (pdfin.import_pdf), run every table check on its tables and lint its
情况说明 against them, and put each finding back where it is printed — the page and the box of the figure (table
findings, from the PDF's provenance) or of the sentence (text findings).

A text the lint cannot read (too few section titles: a scanned 情况说明, a document without one) is said in the
result (`text_checked` False and why), never counted as "0 findings". Used by `disclosure audit` (audit_cli.py),
folder by folder through the batch machinery (audit_one → a BatchRow), and by --annotate (pdfin/annotate.py).
"""

from __future__ import annotations

from pathlib import Path

import msgspec
from msgspec import field

from .checks.engine import ERROR, INFO, SEVERITY_ORDER, WARNING
from .errors import DisclosureError, InputError
from .model import Report

TABLE, TEXT = "表格", "情况说明"
TEXT_UNCHECKED = "情况说明未核对"  # a folder audit's status of a PDF whose tables passed but whose text was not read
# findings about the officer's 说明数据 / 原因说明 sheets (N01, N02: "尚未填写"): a PDF has no such sheets, and
# the reviewer has nothing to fill — the published text itself is what the lint checks
WORKBOOK_ONLY = ("说明数据", "原因说明")
PDF_SUFFIXES = (".pdf",)
ANNOTATED = "-标注"  # the name our annotated copies are offered under (X-标注.pdf): not audited as another unit


class AuditFinding(msgspec.Struct):
    """One finding of a published PDF: what a check or the lint says, and where it is printed."""

    rule: str
    severity: str
    source: str  # TABLE or TEXT
    detail: dict  # the check's or the lint's own JSON (message or says/should, cells, expected/actual …)
    page: int | None = None  # 1-based; None where the PDF does not show the place (a cell not printed)
    bbox: tuple[float, float, float, float] | None = None  # top-left points, as pdfplumber gives them

    @property
    def message(self) -> str:
        """One line for people and for the note on the page."""
        if self.source == TABLE:
            return self.detail["message"]
        return f"{self.detail['says']}；{self.detail['should']}"

    @property
    def where(self) -> str:
        """"第3页 公开05表!C7" / "第12页" / "" — where to look."""
        page = f"第{self.page}页" if self.page else "页码不详"
        cell = self.detail.get("cell") if self.source == TABLE else None
        if cell and cell.startswith(page):  # a PDF's own grid names its cells by page: 第18页!C18
            return cell
        return f"{page} {cell}" if cell else page

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "source": self.source, "page": self.page,
                "bbox": list(self.bbox) if self.bbox else None, **self.detail}


class Audit(msgspec.Struct):
    path: Path
    report: Report
    findings: list[AuditFinding] = field(default_factory=list)
    text_checked: bool = True
    text_problem: str = ""  # why the 情况说明 was not checked
    notes: list[str] = field(default_factory=list)  # what else the PDF prints that was not checked
    prior: Path | None = None  # last year's PDF or workbook whose figures checked the text's 上年 comparisons

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def document(self) -> dict:
        r = self.report
        return {"file": self.path.name, "unit": r.unit_name, "year": r.year, "kind": r.kind,
                "region": r.spec.region, "layout": r.layout, "pages": r.pdf.pages if r.pdf else None}

    def to_json(self) -> dict:
        return {"document": self.document, "text_checked": self.text_checked,
                "text_problem": self.text_problem or None, "not_checked": self.notes,
                "counts": {s: self.count(s) for s in (ERROR, WARNING, INFO)},
                "findings": [f.to_json() for f in self.findings]}

    def exit_code(self) -> int:
        """As `check`: 1 when an 错误 is found; else 2 when the 情况说明 could not be read (the audit is not
        complete: never a clean 0 for it); else 0."""
        if self.count(ERROR):
            return 1
        return 0 if self.text_checked else 2


def audit(path: str | Path, layout: str | None = None, region: str | None = None,
          style: str | None = None, prior: str | Path | None = None) -> Audit:
    """Import the PDF and audit it; with `prior` (last year's published PDF or workbook) its 上年 figures too,
    which a PDF does not print. InputError (exit 2) for a PDF that cannot be read (scanned, encrypted, no tables
    found), naming the file."""
    from .pdfin import import_pdf

    path = Path(path)
    if not path.is_file():
        raise InputError("找不到该文件", file=path)
    report = import_pdf(path, layout=layout, region=region)
    if prior is not None:
        with_prior(report, Path(prior))
    result = audit_report(report, path, style)
    result.prior = Path(prior) if prior is not None else None
    return result


def with_prior(report: Report, prior: Path) -> None:
    """Last year's figures (收入总计, 支出总计, 财政拨款, 三公 …: prior.prior_values) as this report's 上年 说明数据,
    so that the text's “与上年相比…” are checked instead of left “未能核对”. Only figures: last year's texts and
    reasons say nothing about this year's."""
    from .inputs import InputValue
    from .prior import prior_values, read_prior

    if not prior.is_file():
        raise InputError("找不到该文件（--prior：上年公开的 PDF 或上年的工作簿）", file=prior)
    values = prior_values(read_prior(prior), report, this_is="审核的 PDF")
    report.inputs.values.update({k: InputValue(v) for k, v in values.items() if k.startswith("上年.")})


def audit_report(report: Report, path: str | Path | None = None, style: str | None = None) -> Audit:
    """The audit of a Report read from a PDF (report.pdf its PdfSource): checks, then lint of its text."""
    from .checks import run
    from .kinds import CHECKS, LINT, require, supports
    from .lint import lint

    require(report, CHECKS)
    path = Path(path or (report.pdf.path if report.pdf else report.source or ""))
    result = Audit(path, report)
    places = report.pdf.places if report.pdf else {}
    for f in run(report):  # every finding: a published PDF carries no acknowledgements (acks.py)
        if f.table in WORKBOOK_ONLY:
            continue
        page, bbox = _table_place(f, places)
        result.findings.append(AuditFinding(f.rule, f.severity, TABLE, f.to_json(), page, bbox))
    text = report.pdf.text.text() if report.pdf else ""
    if not supports(report, LINT):
        result.text_checked, result.text_problem = False, f"{report.kind}的情况说明核对尚未提供"
    elif not text.strip():
        result.text_checked, result.text_problem = False, "PDF 中表格以外没有读到文字（可能是扫描件或只有表格）"
    else:
        try:
            for f in lint(text, report, style=style):
                place = report.pdf.text.place_of(f.sentence) if f.sentence else None
                result.findings.append(AuditFinding(f.rule, f.severity, TEXT, f.to_json(),
                                                    place.page if place else None, place.bbox if place else None))
        except InputError as exc:  # the text is not a 情况说明 the lint understands: said, not "0 条"
            result.text_checked, result.text_problem = False, exc.message
    if report.pdf and report.pdf.perf_pages and not report.perf:
        why = f"（{report.pdf.perf_problem}）" if report.pdf.perf_problem else ""
        result.notes.append(f"第 {page_ranges(report.pdf.perf_pages)} 页印有绩效自评表，未能从 PDF 读取{why}：其中的数未核对"
                            "（绩效 P 规则未运行），请对照绩效系统导出的自评表另行核对")
    # by page (unknown last), then most severe first: the order a reviewer turns the pages in
    result.findings.sort(key=lambda f: (f.page or 10**6, SEVERITY_ORDER.get(f.severity, 9)))
    return result


def page_ranges(pages) -> str:
    """(15, 16, 17, 21) -> '15–17、21'."""
    runs: list[list[int]] = []
    for p in sorted(set(pages)):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _table_place(f, places) -> tuple[int | None, tuple | None]:
    """The page and box of a table finding: its cell's, else the first of the cells it reads that is printed."""
    for cell in ([f.cell] if f.cell else []) + list(f.cells):
        place = places.get(cell)
        if place is not None:
            return place.page, tuple(place.bbox)
    return None, None


def as_text(result: Audit) -> str:
    """The audit for a console: a heading with the counts, then one finding a line (where, rule, message)."""
    d = result.document
    head = (f"{d['file']}：{d['unit'] or '（未识别单位名称）'} {d['year']} 年度{d['kind']}（{d['region']}，"
            f"{d['pages']} 页）核对结果：错误 {result.count(ERROR)} 条，警告 {result.count(WARNING)} 条，"
            f"提示 {result.count(INFO)} 条")
    lines = [head]
    if not result.text_checked:
        lines.append(f"注意：情况说明未核对（{result.text_problem}），以上只是表格的结果")
    lines += [f"注意：{note}" for note in result.notes]
    if unchecked := unchecked_note(result):
        lines.append(f"注意：{unchecked}")
    for f in result.findings:
        lines.append(f"{f.where}\t{f.severity} {f.rule}（{f.source}）：{f.message}")
        if f.source == TEXT and f.detail.get("sentence"):
            lines.append(f"    原文：{f.detail['sentence']}")
    return "\n".join(lines)


def unchecked_note(result: Audit, how: str = "--prior 上年公开.pdf") -> str:
    """How many 提示 are 未能核对 (L09) and why a PDF leaves them so — its tables print no 上年 or 年初预算 figures
    for the text's comparisons — and, while no last year's document was given, that one checks the comparisons
    with 上年 (`how` it is given: the option, the window's button); "" when there are none."""
    unchecked = [f for f in result.findings if f.rule == "L09"]
    if not unchecked:
        return ""
    prior = (f"；与上年比较的数，给出上年公开的 PDF 或上年的工作簿即可核对（{how}）"
             if result.prior is None and any("上年" in f.message for f in unchecked) else "")
    return f"{len(unchecked)} 条提示为“未能核对”（L09）：所需的数这份 PDF 的表格中没有（各条写明缺哪些）{prior}"


# ---------------------------------------------------------------- a folder of PDFs (the batch machinery)

def pdfs_in(folder: Path) -> list[Path]:
    """The PDFs of a folder in natural name order (单位2 before 单位10), not our own annotated copies."""
    from .batch import natural_key

    found = [p for p in Path(folder).iterdir() if p.suffix.lower() in PDF_SUFFIXES and p.is_file()
             and not p.name.startswith((".~", "~$")) and not p.stem.endswith(ANNOTATED)]
    return sorted(found, key=lambda p: natural_key(p.name))


def audit_one(path: Path):
    """One PDF of a batch as a BatchRow (runs in a pool worker): never raises for a bad PDF — the row says
    why in Chinese, as batch.check_one does for a workbook."""
    from .batch import FAILED, HAS_ERRORS, OK, BatchRow

    try:
        result = audit(path)
    except DisclosureError as exc:
        return BatchRow(path, status=FAILED, detail=str(exc))
    except Exception as exc:  # a bug met on one odd PDF must not stop the rest of the folder
        return BatchRow(path, status=FAILED, detail=f"文件“{path.name}”：内部错误（{type(exc).__name__}）：{exc}。"
                                                    "请把这个文件发给技术支持")
    report = result.report
    row = BatchRow(path, report.unit_name, report.year, kind=report.kind)
    # the summary's 单元格 column: the page first, then the cell — where a reviewer of the PDF looks
    row.findings = tuple((f.rule, f.severity, f.where, f.message) for f in result.findings)
    row.errors, row.warnings, row.infos = (result.count(s) for s in (ERROR, WARNING, INFO))
    row.status = HAS_ERRORS if row.errors else OK
    if not result.text_checked:  # never 通过 for a document half read
        row.status = row.status if row.errors else TEXT_UNCHECKED
        row.detail = f"情况说明未核对：{result.text_problem}"
    row.detail = "；".join(x for x in (row.detail, *result.notes) if x)
    return row
