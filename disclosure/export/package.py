"""One click from a filled workbook to the disclosure package in a folder:

    <单位><年度>年度部门决算.docx / .pdf   the document (word.py, pdf.py); a 预算: <单位>2023年部门综合预算.docx
    公开表.xlsx                           the tables, print-ready (sheets.py): a 决算's nine, a 预算's fifteen
    校验报告.xlsx, 校验报告.txt            check and 情况说明 findings
    manifest.json                         names, sizes, sha256, tool version, time, workbook hash
    <…>公开包.zip                          with --zip: all of the above

The same pipeline for both document kinds: the style (and so the 情况说明, the package's fixed texts and its
charts) follows the workbook's region and kind (kinds.default_style, narrative.render.style_for) unless the caller
names one.

Everything is written to a temporary folder beside OUTDIR and moved in at the end, so a failure leaves
OUTDIR as it was. The export refuses while the check finds 错误, unless forced — then the report says so
on its first line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import msgspec
from msgspec import field

from .. import __version__, workbook
from ..acks import acknowledged, checked, open_findings
from ..checks import ERROR
from ..checks.engine import Finding, one_run
from ..checks.report import as_text, counts, write_xlsx
from ..errors import DisclosureError
from ..files import umask
from ..kinds import EXPORT, LINT, require, supports
from ..outputs import FOLDER, NO_ROOM, check_output, safe_stem, same_file, writing
from ..lint import lint
from ..narrative.render import render, style_config, style_for
from ..narrative.style import NumberStyle
from . import charts as chart_module
from .pdf import PdfSession, PdfUnavailable, convert
from .sheets import write_tables_xlsx
from .packagestyle import package_settings
from .word import WordBuilder, document_name, zero_print

TABLES_XLSX, REPORT_XLSX, REPORT_TXT, MANIFEST = "公开表.xlsx", "校验报告.xlsx", "校验报告.txt", "manifest.json"
STAGES = ("读取工作簿", "校验", "情况说明", "图表", "Word", "PDF", "公开表", "校验报告", "清单", "打包")


class ExportRefused(DisclosureError):
    """The check of the tables or of the 情况说明 found 错误 and the export was not forced;
    problems: one line per 错误, for the officer — the tables' first, then `text_errors` lines of the 情况说明's
    (its lint: found nowhere else, as no check lists them)."""

    def __init__(self, message: str, problems: list[str], text_errors: int = 0):
        super().__init__(message)
        self.problems = problems
        self.text_errors = text_errors

    @property
    def table_errors(self) -> int:
        return len(self.problems) - self.text_errors


class ExportResult(msgspec.Struct):
    outdir: Path
    files: list[Path]
    findings: list[Finding]
    lint_findings: list | None = field(default_factory=list)  # None: the 情况说明 was not checked (kind not supported)
    forced: bool = False
    pdf: str | None = None  # how the PDF was made; None when there is none
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


SUFFIXES = (".docx", ".pdf", "公开包.zip")  # what follows the base name in the package's file names


def base_name(unit_name: str, year: int, accounts: str = "部门决算", document: str | None = None) -> str:
    """'子洲县医疗保障局2024年度部门决算' (单位决算 for one unit; with `document` the unit and that, e.g.
    '绥德县医疗保障局2023年部门综合预算'), safe as a file name on Windows; a unit name too long for a file
    name is shortened, keeping its start, with a hash (outputs.safe_stem) — the documents keep it whole."""
    tail = re.sub(r'[\\/:*?"<>|\r\n\t]', "", document or f"{year}年度{accounts}")
    unit = re.sub(r'[\\/:*?"<>|\r\n\t]', "", unit_name).strip(" .")
    short = safe_stem(unit, ["-" + tail + s for s in SUFFIXES])
    return (short + ("-" if short != unit else "") + tail).strip(" .") or "部门决算"


def export_package(source: str | Path, outdir: str | Path, *, make_zip: bool = False, make_pdf: bool = True,
                   force: bool = False, style: str | None = None, day: date | None = None,
                   progress: Callable[[int, int, str], None] | None = None,
                   converter: PdfSession | None = None) -> ExportResult:
    """style: the 情况说明 style (templates/narrative/<style>); None: the workbook's region's (kinds.default_style).
    converter: a pdf.PdfSession that keeps one LibreOffice running across many exports (batch);
    without it the PDF is made by a LibreOffice started and stopped for this package."""
    source, outdir = Path(source), Path(outdir)
    sources = {source: "要导出的工作簿"}
    check_output(outdir, sources, kind=FOLDER)  # before any work: a file there, read-only, too long
    timings: dict[str, float] = {}
    step = _Stepper(progress, timings)

    with step("读取工作簿"):
        report = workbook.read(source)
        require(report, EXPORT)  # a kind whose package has not landed is refused (kinds.py)
        workbook_hash = _sha256(source)
    style = style_for(report, style)  # the region's style unless told; a style of the other kind is not used
    config = style_config(style)
    package = package_settings(report.kind, config)
    with one_run(report):  # the text is rendered once for the check (N01/N02), the package and the lint
        with step("校验"):
            findings = checked(report)
        with step("情况说明"):
            narrative = render(report, style=style)
            # the generated text checked against the tables — only where the lint knows the kind: never "0
            # findings" for a text it could not read (None: not checked, and the report and manifest say so)
            lint_findings = (lint(narrative.text(), report, style=style, draft_ok=True)  # a draft: 草稿 and a warning
                             if supports(report, LINT) else None)
    # the generated text prints the officer's reasons as written: a slip there ("2022年" in a 2024
    # report, a reason for the opposite change) is as much an error as a wrong total
    errors = open_findings(findings, ERROR)  # an 错误 the officer acknowledged with a reason does not block
    text_errors = [f for f in lint_findings or () if f.severity == ERROR]
    if (errors or text_errors) and not force:
        problems = [f"{f.rule} {f.cell or ''}  {f.message}" for f in errors]
        problems += [f"{f.rule} 情况说明{f.place}：{f.says}；{f.should}" for f in text_errors]
        raise ExportRefused(f"校验发现 {len(errors)} 条表格错误、{len(text_errors)} 条情况说明错误，未导出。"
                            "请先按提示改正（disclosure check 查看表格），"
                            "或加 --force 强制导出（校验报告首页会注明）。",
                            problems, len(text_errors))
    forced = bool(errors or text_errors)
    banner = (f"注意：本公开包在校验存在错误（表格 {len(errors)} 条、情况说明 {len(text_errors)} 条）的情况下"
              "强制导出（--force），错误未改正前不得作为正式公开文件。") if forced else None

    document = document_name(report, config, narrative)
    base = base_name(report.unit_name, report.year, narrative.wording.accounts, document)
    names = [f"{base}.docx", TABLES_XLSX, REPORT_XLSX, REPORT_TXT, MANIFEST]
    for n in names + [f"{base}.pdf", f"{base}公开包.zip"]:
        check_output(outdir / n, sources)

    warnings: list[str] = []
    if lint_findings is None:
        warnings.append(f"情况说明核对尚不支持{report.kind}：生成的情况说明未与表格核对。")
    if narrative.missing:
        warnings.append(f"情况说明还有 {len(narrative.missing)} 项待填写（Word 中以黄色标出的【待填写：…】）。")
    if report.inputs is not None and report.inputs.get("公开日期") is None:  # the cover says the day it was made
        warnings.append(f"封面日期用的是导出当天（{narrative.cover_date.year}年{narrative.cover_date.month}月）："
                        "说明数据“公开日期”未填写，正式公开前请填写公开日期后重新导出。")
    with step("图表"):
        try:
            pictures = chart_module.draw(report, NumberStyle.from_config(config), list(package["charts"].values()))
        except chart_module.NoChineseFont as exc:
            pictures = {}
            warnings.append(str(exc) + "。")

    with writing(outdir):  # a failure names OUTDIR, never the temporary folder
        outdir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".~导出中.", dir=outdir.parent))  # short: OUTDIR's name may be long
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes it private; it becomes OUTDIR when that is new
    try:
        with writing(outdir, only=NO_ROOM, staged_in=tmp):  # the disk full or read-only while the files are made
            with step("Word"):
                docx = tmp / f"{base}.docx"
                builder = WordBuilder(report, narrative, config, pictures, day,
                                      draft=forced)  # and 草稿 on every page while placeholders are left
                builder.build()
                builder.save(docx)
                for name in sorted(set(pictures) - builder.placed):
                    place = next(k for k, v in package["charts"].items() if v == name)
                    warnings.append(f"图表“{name}”未放入 Word：情况说明中没有“{place}”这一节。")
            pdf_how = None
            with step("PDF"):
                if make_pdf:
                    try:
                        target = tmp / f"{base}.pdf"
                        pdf_how = converter.convert(docx, target) if converter else convert(docx, target)
                        names.insert(1, f"{base}.pdf")
                    except PdfUnavailable as exc:
                        warnings.append(str(exc))
            with step("公开表"):
                write_tables_xlsx(report, config, tmp / TABLES_XLSX, narrative.wording.accounts,
                                  zero_print(config, narrative), document=document)
            with step("校验报告"):
                write_xlsx(report, findings, tmp / REPORT_XLSX, banner=banner, lint=lint_findings)
                text = as_text(report, findings, banner) + _lint_text(lint_findings)
                (tmp / REPORT_TXT).write_text(text + "\n", encoding="utf-8")
            with step("清单"):
                manifest = _manifest(report, source, workbook_hash, findings, lint_findings, forced, pdf_how,
                                     warnings, tmp, [n for n in names if n != MANIFEST], style)
                (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            with step("打包"):
                if make_zip:
                    zip_name = f"{base}公开包.zip"
                    _zip(tmp, names, tmp / zip_name)
                    names.append(zip_name)
        with writing(outdir):
            _publish(tmp, outdir, names, source)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ExportResult(outdir=outdir, files=[outdir / n for n in names], findings=findings,
                        lint_findings=lint_findings, forced=forced,
                        pdf=pdf_how, warnings=warnings, timings=timings)


class _Stepper:
    """Reports each stage as it starts and records how long it took."""

    def __init__(self, progress, timings: dict[str, float]):
        self.progress, self.timings = progress, timings

    def __call__(self, stage: str):
        self.stage = stage
        return self

    def __enter__(self):
        if self.progress:
            self.progress(STAGES.index(self.stage) + 1, len(STAGES), self.stage)
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.timings[self.stage] = time.perf_counter() - self.start
        return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _lint_text(findings: list | None) -> str:
    if findings is None:
        return "\n\n【情况说明核对】未核对：情况说明核对尚不支持这类工作簿。"
    lines = ["", "", f"【情况说明核对】{counts(findings)}"]
    if not findings:
        lines.append("  情况说明中的数字、比例与增减方向均与表格一致。")
    lines += ["  " + f.line() for f in findings]
    return "\n".join(lines)


def _manifest(report, source: Path, workbook_hash: str, findings, lint_findings, forced: bool, pdf_how,
              warnings: list[str], folder: Path, names: list[str], style: str) -> dict:
    def tally(items) -> dict[str, int]:  # open findings by severity, as the 校验报告 counts them
        return {s: len(open_findings(items, s)) for s in ("错误", "警告", "提示")}

    return {
        "tool": "disclosure", "version": __version__,
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "unit": report.unit_name, "year": report.year, "kind": report.kind, "layout": report.layout,
        "region": report.spec.region, "style": style,
        "workbook": {"name": source.name, "size": source.stat().st_size, "sha256": workbook_hash},
        "check": {**tally(findings), "acknowledged": sum(map(acknowledged, findings)), "forced": forced},
        "narrative_check": tally(lint_findings) if lint_findings is not None else None,  # None: not checked
        "pdf": pdf_how, "warnings": warnings,
        "files": [{"name": n, "size": (folder / n).stat().st_size, "sha256": _sha256(folder / n)} for n in names],
    }


def _zip(folder: Path, names: list[str], target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in names:
            zf.write(folder / n, n)


def _publish(tmp: Path, outdir: Path, names: list[str], source: Path) -> None:
    """Move the finished files into outdir. A new outdir is one rename; an existing one gets each file
    replaced, after checking none is locked (open in Excel/Word on Windows), and loses the files of the
    previous package (listed in its manifest) that this one does not have, e.g. an old PDF."""
    if not outdir.exists():
        for stray in set(p.name for p in tmp.iterdir()) - set(names):
            (tmp / stray).unlink()
        os.replace(tmp, outdir)
        return
    old = _previous_files(outdir)
    for n in names:
        target = outdir / n
        if target.exists():
            try:
                with target.open("r+b"):
                    pass
            except OSError:
                raise DisclosureError(f"“{target}”正被其他程序打开或不可写，"
                                      "请关闭后重新导出（输出文件夹未改动）") from None
    for n in names:
        os.replace(tmp / n, outdir / n)
    for stale in old - set(names):
        if not same_file(outdir / stale, source):  # a manifest that lists the workbook must not delete it
            (outdir / stale).unlink(missing_ok=True)


def _previous_files(outdir: Path) -> set[str]:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
        listed = {f["name"] for f in data.get("files", [])} | {MANIFEST}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    zips = {p.name for p in outdir.glob("*公开包.zip")}
    return {n for n in listed | zips if "/" not in n and "\\" not in n}
