"""Command line: disclosure template | import | check | narrative | lint | inputs | export | batch | perf | show.

Every failure the user can cause ends in one Chinese line on stderr and exit code 1; an unexpected
one in a short Chinese line and exit code 3 (set DISCLOSURE_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__, argparse_zh
from .errors import DisclosureError
from .outputs import FOLDER, check_output

if TYPE_CHECKING:
    from collections.abc import Callable

    from .model import Report

# Each command imports what it needs when it runs (`disclosure --version` and `check` stay fast):
# openpyxl only where a workbook is written, Jinja2 only where text is rendered, docx/matplotlib only in export.


def run() -> NoReturn:
    """The program's entry (`disclosure`, `python -m disclosure`, the frozen disclosure.exe): main(), then end."""
    end(main())


def end(code: int) -> NoReturn:
    """End the process once its command is done, the way a short command line tool does: output flushed and
    the atexit handlers run (a batch's pool, the LibreOffice session and its temporary folder), but no
    teardown of every module and object the command left — ~6 % of a `disclosure check` (issue 18). While
    another thread still runs (nothing of ours leaves one, but a library might), the ordinary exit, which
    waits for it."""
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()  # what the interpreter would run at exit, in the same order; then the output
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: started without a console (pythonw)
                stream.flush()
        except BrokenPipeError:  # the reader went away (`| head`): not an error, as in main()
            pass
        except (OSError, ValueError):  # a full disk, a closed stream: output lost, so not 0 (Python's own 120)
            code = code or 120
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Chinese on a Windows console that is not UTF-8
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    parser = _parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except DisclosureError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `disclosure show … | head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback in front of the officer
        if os.environ.get("DISCLOSURE_DEBUG"):
            raise
        print(f"内部错误（{type(exc).__name__}）：{exc}。请把这条信息和所用文件发给技术支持。", file=sys.stderr)
        return 3


STYLE_HELP = "文风（默认按工作簿的地区和报表类型：陕西决算 shaanxi，陕西预算 shaanxi-yusuan，其他地区用其表样指定的文风）"


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line. Every command is listed (`disclosure -h`), but only the one being run gets its
    arguments: all of them (about ninety, help texts that list every layout and region) took ~9 ms of each
    start (issue 18)."""
    argparse_zh.install()  # argparse's usage line, headings and refusals in Chinese
    # no abbreviations: “--set” would else be taken for --set-from and its value for a file
    p = argparse.ArgumentParser(prog="disclosure", description="部门决算公开助手：导入、查看部门决算公开表。",
                                allow_abbrev=False)
    p.add_argument("--version", action="version", version=f"disclosure {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(title="命令", metavar="命令", help="以下任选其一；“disclosure 命令 -h”列出该命令的参数")
    words = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")]
    for name, (help_text, arguments) in _commands().items():
        command = sub.add_parser(name, help=help_text, allow_abbrev=False)
        if words and words[0] == name:
            arguments(command)
    return p


def _commands() -> dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]]:
    """Each command: its help line, and what adds its arguments."""
    return {
        "template": ("生成空白模板工作簿（部门决算，或 --kind 预算）", _template_arguments),
        "import": ("导入部门决算（或预算）软件导出的报表，生成模板工作簿；报表类型按表名自动判断", _import_arguments),
        "narrative": ("根据表格和说明数据生成情况说明", _narrative_arguments),
        "lint": ("核对已有的情况说明（.docx/.txt/.md）与表格是否一致", _lint_arguments),
        "inputs": ("读写说明数据与原因说明", _inputs_arguments),
        "check": ("校验表内、表间关系，指出出错的单元格", _check_arguments),
        "consolidate": ("由各单位的决算工作簿汇总出部门决算工作簿（汇总）", _consolidate_arguments),
        "export": ("导出公开包：Word、PDF、公开表、校验报告、清单", _export_arguments),
        "batch": ("批量校验（并可导出）一个文件夹中的全部工作簿", _batch_arguments),
        "audit": ("审核已公开的 PDF：导入、校验表格、核对情况说明，指出问题所在的页和单元格；或审核一个文件夹中的全部 PDF", _audit_arguments),
        "perf": ("绩效自评表：在工作簿中添加（perf add）、从预算绩效目标表转入（perf from-targets）、列出（perf list）", _perf_arguments),
        "show": ("显示工作簿中各表的合计数", _show_arguments),
    }


def _template_arguments(t: argparse.ArgumentParser) -> None:
    from . import specs

    t.add_argument("--kind", choices=("决算", "预算"), default="决算", help="报表类型（默认决算）")
    t.add_argument("--year", help=f"表样年度（决算必填：{'、'.join(specs.available_layouts())}；预算可省略，用最新的表样）；"
                                  "还没有表样的年度（如 2025）按此前最新的表样生成该年度的模板")
    t.add_argument("--region", help=f"地区表样（{'、'.join(specs.regions())}；默认{specs.DEFAULT_REGION}）")
    t.add_argument("-o", "--output", required=True, type=Path, help="输出的 .xlsx 文件")
    t.add_argument("--unit", default="", help="单位名称（可选）")
    t.set_defaults(func=_cmd_template)


def _import_arguments(i: argparse.ArgumentParser) -> None:
    from . import specs

    i.add_argument("export", type=Path, help="导出的 .xlsx 或 .xls 文件，或公开的 PDF（有文字层）")
    i.add_argument("-o", "--output", type=Path, help="输出的模板工作簿 .xlsx（导出中的绩效自评表一并导入）")
    i.add_argument("--into", type=Path, metavar="WB.xlsx",
                   help="把绩效系统导出的绩效自评表加入已有的工作簿（保留备份），而不生成新工作簿")
    i.add_argument("--year", help="表样年度；不填则按行次和项目自动判断")
    i.add_argument("--region", help=f"地区（{'、'.join(specs.regions())}）；不填则按表的设置和项目自动判断")
    i.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    i.add_argument("--prior", type=Path, metavar="LAST.xlsx|.pdf",
                   help="上年已填好的工作簿（决算填上年决算数，预算填上年预算数），或上年公开的 PDF：填入全部“上年”数据")
    i.add_argument("--sheet", action="append", default=[], metavar="工作表名",
                   help="同一张表出现在几个工作表中（如旧副本、备份）时，从这个工作表导入；可重复")
    i.set_defaults(func=_cmd_import)


def _narrative_arguments(n: argparse.ArgumentParser) -> None:
    n.add_argument("workbook", type=Path, help="本工具的工作簿（.xlsx/.xlsm，由 template 或 import 生成）")
    n.add_argument("-o", "--output", required=True, type=Path, help="输出文件：.txt、.md 或 .docx")
    n.add_argument("--style", help=STYLE_HELP)
    n.add_argument("--facts", type=Path, metavar="facts.json", help="同时写出每个数字的来源（公式与单元格）")
    n.set_defaults(func=_cmd_narrative)


def _lint_arguments(lt: argparse.ArgumentParser) -> None:
    lt.add_argument("text", type=Path, help="情况说明文件（整份文档也可；从 PDF 复制、从网页粘贴的文字也能读）")
    lt.add_argument("--workbook", required=True, type=Path, help="对应的工作簿")
    lt.add_argument("--json", action="store_true", help="以 JSON 输出")
    lt.add_argument("--style", help=STYLE_HELP)
    lt.set_defaults(func=_cmd_lint)


def _inputs_arguments(d: argparse.ArgumentParser) -> None:
    d.add_argument("workbook", type=Path, help="本工具的工作簿（.xlsx/.xlsm，由 template 或 import 生成）")
    d.add_argument("--set-from", type=Path, metavar="FILE.yaml|.json", help="把文件中的说明数据写入工作簿")
    d.add_argument("--prior", type=Path, metavar="LAST.xlsx|.pdf",
                   help="从上年工作簿或上年公开的 PDF 填入“上年”数据（PDF：另取概况、单位构成、联系电话，上年的原因列在原因说明中供参考）")
    d.add_argument("--refresh", action="store_true", help="按当前表格重新生成说明数据行和原因说明清单（保留已填内容）")
    d.add_argument("--from-budget", type=Path, metavar="预算.xlsx",
                   help="从同一单位同一年度的预算工作簿填入年初预算数，逐项列出来自预算的哪个单元格")
    d.add_argument("--force", action="store_true", help="与 --from-budget 一起：已填的年初预算数也改为预算数")
    d.add_argument("--dump", action="store_true", help="以 YAML 输出全部说明数据（可再用 --set-from 写入）")
    d.add_argument("--json", action="store_true", help="与 --dump 一起：以 JSON 输出")
    d.set_defaults(func=_cmd_inputs)


def _check_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("workbook", type=Path, help="本工具的工作簿（.xlsx/.xlsm，由 template 或 import 生成）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出全部问题")
    c.add_argument("--xlsx", type=Path, metavar="REPORT.xlsx", help="同时写出 Excel 校验报告")
    one = c.add_mutually_exclusive_group()
    one.add_argument("--ack", metavar="规则@单元格",
                     help="确认一个问题（如 T05.1@公开05表!C7），须同时用 --reason 写明原因；记入工作簿，数一改即失效")
    one.add_argument("--unack", metavar="规则@单元格", help="取消对一个问题的确认")
    c.add_argument("--reason", metavar="原因", help="与 --ack 一起：确认的原因，如“已核实，财政批复数如此”")
    c.add_argument("--budget", type=Path, metavar="预算.xlsx", help="同时对照同一单位同一年度的预算工作簿（BJ 规则）")
    c.add_argument("--units", type=Path, metavar="DIR",
                   help="汇总工作簿：同时对照文件夹中各单位的工作簿（H 规则：汇总数 = 各单位之和、单位本身无错误、不重复、单位构成）")
    c.set_defaults(func=_cmd_check)


def _consolidate_arguments(h: argparse.ArgumentParser) -> None:
    h.add_argument("units", type=Path, nargs="+", metavar="UNIT.xlsx",
                   help="单位工作簿（可给文件夹：其中全部工作簿，按文件名自然顺序）；与 --explain 一起：汇总工作簿")
    h.add_argument("-o", "--output", type=Path, metavar="汇总.xlsx", help="输出的汇总工作簿")
    h.add_argument("--unit", metavar="部门名称", help="汇总的单位名称（不填则取第一个单位名称去掉“本级”）")
    h.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    h.add_argument("--no-detail", action="store_true", help="不写“支出分单位明细”工作表")
    h.add_argument("--explain", metavar="单元格", help="显示汇总工作簿中一个单元格的来源（如 公开05表!C8）")
    h.add_argument("--json", action="store_true", help="与 --explain 一起：以 JSON 输出")
    h.set_defaults(func=_cmd_consolidate)


def _export_arguments(e: argparse.ArgumentParser) -> None:
    e.add_argument("workbook", type=Path, help="本工具的工作簿（.xlsx/.xlsm，由 template 或 import 生成）")
    e.add_argument("-o", "--output", required=True, type=Path, metavar="OUTDIR", help="输出文件夹")
    e.add_argument("--zip", action="store_true", help="另把全部文件打成一个 .zip")
    e.add_argument("--no-pdf", action="store_true", help="不生成 PDF")
    e.add_argument("--force", action="store_true", help="校验有错误时仍然导出（校验报告首页会注明）")
    e.add_argument("--style", help=STYLE_HELP)
    e.set_defaults(func=_cmd_export)


def _batch_arguments(b: argparse.ArgumentParser) -> None:
    b.add_argument("folder", type=Path, help="放着各单位工作簿（.xlsx/.xlsm）的文件夹")
    b.add_argument("--export", type=Path, metavar="OUTDIR", help="同时导出无错误的工作簿，各在 OUTDIR/<工作簿名>/")
    b.add_argument("-o", "--output", type=Path, metavar="汇总.xlsx",
                   help="写出汇总表（各单位状态、问题清单、规则统计、单位统计）")
    b.add_argument("--jobs", type=int, metavar="N", help="同时处理的进程数（默认每个 CPU 一个；1 = 在本进程中逐个处理）")
    b.set_defaults(func=_cmd_batch)


def _audit_arguments(au: argparse.ArgumentParser) -> None:
    from . import specs

    au.add_argument("target", type=Path, metavar="公开.pdf|DIR", help="公开的 PDF（须有文字层），或装有 PDF 的文件夹")
    au.add_argument("--json", action="store_true", help="以 JSON 输出（单份 PDF）")
    au.add_argument("--annotate", type=Path, metavar="标注.pdf", help="另写出一份标注本：每个问题在其所在位置高亮并附说明")
    au.add_argument("-o", "--output", type=Path, metavar="汇总.xlsx", help="审核文件夹时写出汇总表")
    au.add_argument("--jobs", type=int, metavar="N", help="审核文件夹时同时处理的进程数（默认每个 CPU 一个）")
    au.add_argument("--year", help="表样；不填则自动判断")
    au.add_argument("--region", help=f"地区（{'、'.join(specs.regions())}）；不填则自动判断")
    au.add_argument("--style", help=STYLE_HELP)
    au.add_argument("--prior", type=Path, metavar="上年.pdf|.xlsx",
                    help="上年公开的 PDF 或上年的工作簿：同时核对情况说明中与上年比较的数（PDF 不印上年数）")
    from .audit_cli import cmd_audit  # light: the audit's own imports happen when it runs
    au.set_defaults(func=cmd_audit)


def _perf_arguments(pf: argparse.ArgumentParser) -> None:
    pf_sub = pf.add_subparsers(title="绩效命令", metavar="绩效命令")
    pa = pf_sub.add_parser("add", help="添加一张空白的项目支出绩效自评表（或 --overall 整体支出绩效自评表）", allow_abbrev=False)
    pa.add_argument("workbook", type=Path, help="本工具的工作簿（.xlsx/.xlsm，由 template 或 import 生成）")
    who = pa.add_mutually_exclusive_group(required=True)
    who.add_argument("--project", metavar="项目名称", help="项目名称")
    who.add_argument("--overall", action="store_true", help="添加整体支出绩效自评表（部门名称取自封面）")
    pa.set_defaults(func=_cmd_perf_add)
    pt = pf_sub.add_parser("from-targets", help="把同年部门预算的绩效目标表（表13–表15）转为决算的绩效自评表",
                           allow_abbrev=False)
    pt.add_argument("workbook", type=Path, metavar="决算.xlsx", help="同一单位同一年度的决算工作簿")
    pt.add_argument("--budget", type=Path, required=True, metavar="预算.xlsx", help="同一单位同一年度的部门预算工作簿")
    pt.set_defaults(func=_cmd_perf_from_targets)
    pl = pf_sub.add_parser("list", help="列出工作簿中的绩效自评表", allow_abbrev=False)
    pl.add_argument("workbook", type=Path, help="本工具的工作簿（.xlsx/.xlsm，由 template 或 import 生成）")
    pl.set_defaults(func=_cmd_perf_list)
    pf.set_defaults(func=lambda args: pf.print_help() or 2)


def _show_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("workbook", type=Path, help="本工具的工作簿（.xlsx/.xlsm，由 template 或 import 生成）")
    s.add_argument("--json", action="store_true", help="以 JSON 输出全部行（格式见 docs/数据格式.md）")
    s.set_defaults(func=_cmd_show)


def _cmd_template(args) -> int:
    from . import specs, workbook

    if args.kind == "预算":
        layout, year = _other_year(specs.YUSUAN, args.year, args.region, lambda: _budget_layout(args.year, args.region))
        path = workbook.write_template(layout, args.output, unit_name=args.unit, year=year)
        print(f"已生成部门预算模板（{specs.layout_words(layout)}{f'，{year} 年度' if year else ''}）：{path}")
        _say_other_year(layout, year)
        return 0
    if specs.layout_kind(args.year or "") not in (None, specs.JUESUAN):  # “--year 预算2023” without --kind 预算
        raise DisclosureError(f"“{args.year}”是部门预算的表样，请加 --kind 预算")
    layouts = specs.choose_layouts(specs.JUESUAN, None, args.region or specs.DEFAULT_REGION)
    if not args.year and not (args.region and len(layouts) == 1):  # a region with one 表样 needs no year
        raise DisclosureError(f"请用 --year 指定决算表样年度（{'、'.join(layouts) or '无'}）")
    if args.year:
        layout, year = _other_year(specs.JUESUAN, args.year, args.region,
                                   lambda: specs.choose_layouts(specs.JUESUAN, args.year, args.region)[0])
    else:
        layout, year = layouts[0], None
    path = workbook.write_template(layout, args.output, unit_name=args.unit, year=year)
    name, region = specs.layout_words(layout), specs.load(layout).region
    where = "" if name.startswith(region) else f"{region} "  # “上海2024 表样” names its region itself
    print(f"已生成{where}{name}{f'（{year} 年度）' if year else ''}的模板：{path}")
    _say_other_year(layout, year)
    return 0


def _other_year(kind: str, year: str | None, region: str | None, chosen) -> tuple[str, int | None]:
    """(layout, None) as chosen(); for a year with no 表样 of its own (a 2025 决算), (the latest earlier 表样,
    that year): the template is made as import reads such a report. chosen()'s refusal stands for a year no
    report is for (before every 表样, after next year)."""
    from . import specs

    try:
        return chosen(), None
    except DisclosureError:
        layout = specs.earlier_layout(kind, year, region)
        if layout is None:
            raise
        return layout, int(year)


def _say_other_year(layout: str, year: int | None) -> None:
    from . import specs

    if year is not None:
        print(f"提示：{specs.other_year_note(specs.load(layout), year, template=True)}", file=sys.stderr)


def _budget_layout(year: str | None, region: str | None = None) -> str:
    """The 预算 layout named by --year (its name, or the year it is for) and --region; the latest when not given."""
    from . import specs

    layouts = specs.choose_layouts(specs.YUSUAN, None, region or specs.DEFAULT_REGION)
    if not layouts:
        raise DisclosureError("没有部门预算的表样规格（templates/specs 中 kind: 部门预算 的文件）")
    if not year:
        return max(layouts, key=lambda x: specs.load(x).default_year)
    hits = [x for x in layouts if x == year or str(specs.load(x).default_year) == year]
    if not hits:
        raise DisclosureError(f"没有 {year} 年的部门预算表样（现有：{'、'.join(layouts)}）")
    return hits[0]


def _read_prior(path: Path):
    """Last year's workbook or published PDF; None (its one line printed) for a PDF that cannot be read — exit 2,
    as `import 公开.pdf` and `audit` say of a scanned or encrypted PDF."""
    from .errors import InputError
    from .prior import read_prior

    try:
        return read_prior(path)
    except InputError as exc:
        if path.suffix.lower() != ".pdf":
            raise
        print(f"错误：{exc}", file=sys.stderr)
        return None


def _cmd_import(args) -> int:
    from . import specs, workbook
    from .importers.export import import_export

    if args.into:
        return _import_perf_into(args)
    if not args.output:
        raise DisclosureError("请用 -o 指定输出的模板工作簿，或用 --into 把绩效自评表加入已有的工作簿")
    out: Path = args.output
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DisclosureError(f"输出文件应为 .xlsx：{out.name}")
    last_year = "上年公开 PDF" if args.prior and args.prior.suffix.lower() == ".pdf" else "上年工作簿"
    check_output(out, {args.export: "导入的报表", args.prior: last_year})
    if out.exists() and not args.force:
        raise DisclosureError(f"输出文件“{out}”已存在；如需覆盖请加 --force")
    if args.export.suffix.lower() == ".pdf":  # a published 公开 PDF: its tables, and its text kept for lint
        from .errors import InputError
        from .pdfin import import_pdf

        if args.sheet:
            raise DisclosureError("--sheet 只用于 Excel 报表中同一张表有几份的情形；PDF 按页读取，不能用 --sheet")
        try:
            report = import_pdf(args.export, layout=args.year, region=args.region)
        except InputError as exc:  # scanned, encrypted, damaged, not a PDF, no tables read: exit 2 as check's
            print(f"错误：{exc}", file=sys.stderr)
            return 2
    else:
        report = import_export(args.export, layout=args.year, sheets_chosen=args.sheet, region=args.region)
    if args.prior:  # last year's workbook or published PDF (prior.py)
        from .inputs import InputValue
        from .prior import prior_values

        last = _read_prior(args.prior)
        if last is None:
            return 2
        values = prior_values(last, report, this_is="导入的报表")
        report.inputs.values.update({k: InputValue(v) for k, v in values.items()})
    workbook.save_atomic(workbook.build(report.spec, report), out)
    print(f"已导入{report.kind} {report.unit_name or '（未识别单位名称）'} {report.year} 年度（{specs.layout_words(report.layout)}）→ {out}")
    if report.perf:
        print(f"绩效自评表 {len(report.perf.tables)} 张一并导入：{_perf_names(report.perf)}")
    if report.notices:  # read, but not exactly as the 表样 prints it: the officer should look
        print(f"提示 {len(report.notices)} 条（已导入，请核对）：")
        for notice in report.notices:
            print(f"  {notice}")
    return 0


def _import_perf_into(args) -> int:
    """import 绩效.xlsx --into WB: the 绩效自评表 of an export added to an existing workbook (backup kept)."""
    from .grid import read_sheets
    from .perf.read import find_in_export
    from .perf.sheets import add_to_file

    if args.output or args.prior or args.sheet or args.year:
        raise DisclosureError("--into 只导入绩效自评表，不能与 -o、--prior、--sheet、--year 一起使用")
    check_output(args.into, {args.export: "导入的绩效自评表"})
    if not args.into.exists():
        raise DisclosureError(f"找不到工作簿“{args.into}”（--into 加入已有的工作簿；新建请用 -o）")
    perf = find_in_export(read_sheets(args.export), args.export)
    if not perf:
        raise DisclosureError(f"文件“{args.export.name}”中没有找到绩效自评表（标题如“项目支出绩效自评表”“整体支出绩效自评表”）")
    tables = perf.tables
    added = add_to_file(args.into, tables, [t.kind for t in tables], [t.name for t in tables])
    print(f"已把 {len(added)} 张绩效自评表加入 {args.into}（{'、'.join(added)}；"
          f"原工作簿备份为 {args.into.stem}.备份{args.into.suffix}）：{_perf_names(perf)}")
    return 0


def _perf_names(perf) -> str:
    return "、".join(f"{t.kind}“{t.name or '（未填项目名称）'}”" for t in perf.tables)


def _cmd_check(args) -> int:
    """Exit 0: no 错误 (acknowledged ones aside); 1: 错误 found; 2: the workbook could not be read, the
    --xlsx report could not be written, or an --ack/--unack was refused (the workbook is then untouched)."""
    from . import acks, workbook
    from .checks import ERROR
    from .checks.report import as_text
    from .kinds import CHECKS, require

    if args.budget:  # the BJ rules: imported only with --budget (a few ms of every start otherwise)
        from . import budgetlink

    try:
        if args.reason is not None and not args.ack:
            raise DisclosureError("--reason 只能与 --ack 一起使用")
        if args.xlsx:  # before anything is read or acknowledged: the report must not replace the workbook
            check_output(args.xlsx, {args.workbook: "要校验的工作簿"})
        if args.ack:
            if not (args.reason or "").strip():
                raise DisclosureError("确认问题须用 --reason 写明原因，例如 --reason \"已核实，财政批复数如此\"")
            for f in acks.acknowledge(args.workbook, args.ack, args.reason):
                print(f"已确认 {f.rule} {f.cell}：{f.ack.reason}（原工作簿备份为 {args.workbook.stem}.备份{args.workbook.suffix}）",
                      file=sys.stderr)
        elif args.unack:
            for a in acks.withdraw(args.workbook, args.unack):
                print(f"已取消对 {a.rule} {a.cell} 的确认（原因曾为：{a.reason}）", file=sys.stderr)
        report = workbook.read(args.workbook)
        require(report, CHECKS)  # a 预算 workbook: refused (exit 2) until its checks land, never "0 条"
        budget = budgetlink.read_budget(args.budget, report) if args.budget else None
        units = _read_units(args.units, report) if args.units else None
    except DisclosureError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    findings = acks.checked(report)
    if budget is not None:  # cross-document findings: not in checks.RULES, so not acknowledgeable
        findings += budgetlink.cross_findings(budget, report)
    if units is not None:  # the 汇总 against its units (H rules), like --budget
        from .consolidate_check import unit_findings

        found, units_compared = unit_findings(report, units)
        findings += found
    if args.xlsx:
        from .checks.report_xlsx import write_xlsx  # openpyxl: only when a report is written

        try:
            write_xlsx(report, findings, args.xlsx)
        except DisclosureError as exc:  # the disk full or the folder read-only: not a finding, exit 2
            print(f"错误：{exc}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1))
    else:
        print(as_text(report, findings))
        if budget is not None:
            print(f"已对照预算工作簿 {args.budget.name}：核对 {budgetlink.compared(budget, report)} 个数（BJ 规则）")
        if units is not None:
            print(f"已对照 {len(units)} 个单位工作簿（{args.units}）：核对 {units_compared} 个汇总数（H 规则）")
        if args.xlsx:
            print(f"校验报告已写出：{args.xlsx}")
    return 1 if acks.open_findings(findings, ERROR) else 0


def _read_units(folder: Path, report: "Report"):
    from .consolidate_check import read_units

    return read_units(folder, report)


def _cmd_consolidate(args) -> int:
    """Exit 0: 汇总 written (or a cell explained); 1: refused (units of different layouts/years/kinds, a unit
    twice, a file unreadable)."""
    from . import specs
    from .consolidate import consolidate, read_units
    from .consolidate_write import explain, write

    if args.explain:
        if len(args.units) != 1:
            raise DisclosureError("--explain 只用于一个汇总工作簿：disclosure consolidate 汇总.xlsx --explain 公开05表!C8")
        rows = explain(args.units[0], args.explain)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        else:
            head = rows[0]
            print(f"{head['汇总单元格']}（{head['表']} {head['行']}·{head['栏']}）= {head['汇总数']:,.2f}：{head['计算']}")
            for r in rows:
                if r["单位"]:
                    amount = r["单位数"] if r["单位数"] is not None else Decimal(0)
                    print(f"  {r['单位']}\t{r['单位单元格'] or '（未列）'}\t{amount:,.2f}")
        return 0
    if not args.output:
        raise DisclosureError("请用 -o 指定输出的汇总工作簿，如 -o 汇总.xlsx")
    if args.output.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DisclosureError(f"输出文件应为 .xlsx：{args.output.name}")
    if args.output.exists() and not args.force:
        raise DisclosureError(f"输出文件“{args.output}”已存在；如需覆盖请加 --force")
    units = read_units(args.units)
    result = consolidate(units, args.unit)
    write(result, args.output, detail=not args.no_detail)
    report = result.report
    print(f"已汇总 {len(units)} 个单位 → {report.unit_name} {report.year} 年度决算（{specs.layout_words(report.layout)}）：{args.output}")
    for u in units:
        print(f"  {u.name}\t{u.path.name}")
    adjusted = result.derived.adjusted
    if adjusted:
        print(f"尾差调整 {len(adjusted)} 处（各单位分别四舍五入所致，来源表中注明）")
    if result.perf_note:
        print(result.perf_note)
    summed, left = result.summed_labels, result.left_labels
    print(f"说明数据：单位构成按单位填入；各单位都填了的 {len(summed)} 项已相加"
          f"{'（' + '、'.join(summed[:6]) + ('等' if len(summed) > 6 else '') + '）' if summed else ''}")
    if left:
        print(f"留待填写 {len(left)} 项（文字不合并；有单位未填的数不相加）：{'、'.join(left[:8])}{'等' if len(left) > 8 else ''}")
    print(f"核对：disclosure check {args.output} --units 单位文件夹；单元格来源：disclosure consolidate {args.output} --explain 公开01表!C7")
    return 0


def _cmd_narrative(args) -> int:
    from . import workbook
    from .kinds import NARRATIVE, require
    from .narrative.output import write, write_facts
    from .narrative.render import render

    sources = {args.workbook: "工作簿"}
    check_output(args.output, sources)
    if args.facts:
        check_output(args.facts, {**sources, args.output: "情况说明输出文件"})
    report = workbook.read(args.workbook)
    require(report, NARRATIVE)
    doc = render(report, style=args.style)  # no --style: the kind's own (决算 shaanxi, 预算 shaanxi-yusuan)
    write(doc, args.output, sources)
    if args.facts:
        write_facts(doc, args.facts, {**sources, args.output: "情况说明输出文件"})
    print(f"已生成情况说明：{args.output}（{len(doc.uses)} 个数字有来源记录）")
    if doc.missing:
        print(f"还有 {len(doc.missing)} 项待填写（文中以【待填写：…】标出）：")
        for m in doc.missing:
            print(f"  {m.label}{'　' + str(m.cell) if m.cell else ''}")
    return 0


def _cmd_lint(args) -> int:
    """Exit 0: no 错误; 1: 错误 found; 2: a file could not be read, or its text was not understood (too few
    section titles found) — never a "0 条" for a text that was not read."""
    from . import workbook
    from .checks import ERROR
    from .errors import InputError
    from .kinds import LINT, require
    from .lint import lint
    from .lint.text import read_text

    try:
        report = workbook.read(args.workbook)
        require(report, LINT)
        text = read_text(args.text)
        findings = lint(text, report, style=args.style)
    except InputError as exc:
        print(f"错误：{exc.located(file=args.text)}", file=sys.stderr)
        return 2
    except DisclosureError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1))
    else:
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("错误", "警告", "提示")}
        print(f"{args.text.name} 核对结果：错误 {counts['错误']} 条，警告 {counts['警告']} 条，提示 {counts['提示']} 条")
        for f in findings:
            print(f.line())
    return 1 if any(f.severity == ERROR for f in findings) else 0


def _cmd_inputs(args) -> int:
    from . import workbook
    from .kinds import PRIOR, require

    values: dict[str, object] = {}
    kind = workbook.read(args.workbook).kind  # whose 说明数据 schema the values are checked against
    if args.force and not args.from_budget:
        raise DisclosureError("--force 只能与 --from-budget 一起使用")
    if args.from_budget:
        values.update(_budget_fills(args))
    if args.prior:  # last year's workbook or published PDF (prior.py)
        from .prior import prior_values

        this = workbook.read(args.workbook)
        require(this, PRIOR)
        last = _read_prior(args.prior)
        if last is None:
            return 2
        require(last, PRIOR)
        values.update(prior_values(last, this))
    if args.set_from:  # every key known and every value valid before the workbook is touched
        values.update(_load_data(args.set_from, kind))
    if values or args.refresh:  # --from-budget with nothing to change leaves the workbook (and backup) alone
        report = workbook.update_inputs(args.workbook, values)
        print(f"已写入 {len(values)} 项说明数据；原因说明清单 {len(report.inputs.with_prefix('原因.'))} 项已填写"
              f"（原工作簿备份为 {args.workbook.stem}.备份{args.workbook.suffix}）")
    if args.dump or not (values or args.refresh or args.from_budget):
        data = workbook.read(args.workbook).inputs.to_nested(kind)
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=1))
        else:
            import yaml

            print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), end="")
    return 0


def _budget_fills(args) -> dict[str, object]:
    """The 年初预算 values --from-budget writes; prints every value the 预算 gives with its cell (the
    说明数据 sheet has no column to keep it: a rerun prints it again), and what the 预算 does not give."""
    from . import budgetlink, workbook

    juesuan = workbook.read(args.workbook)
    budget = budgetlink.read_budget(args.from_budget, juesuan)
    fills = budgetlink.fills(budget, juesuan, force=args.force)
    print(f"预算工作簿 {args.from_budget.name} 提供 {len(fills)} 项年初预算数：")
    for f in fills:
        print(f.line())
    for line in budgetlink.lacking(budget):
        print(f"未从预算填入：{line}")
    changed = {f.key: f.amount for f in fills if f.action in (budgetlink.WRITE, budgetlink.OVERWRITE)}
    kept = sum(1 for f in fills if f.action == budgetlink.KEPT)
    if kept:
        print(f"{kept} 项已填的值与预算不同，已保留（核对后要以预算为准可加 --force）。")
    elif not changed:
        print("说明数据中的年初预算数无需改动。")
    return changed


def _load_data(path: Path, kind: str | None = None) -> dict[str, object]:
    """{dotted key: value} of a --set-from file: size, encoding, nesting and aliases limited before parsing,
    every key and value checked against the kind's schema; refusals name this file and its line (datafile.py)."""
    from .datafile import read_inputs_file

    return read_inputs_file(path, kind)


def _cmd_export(args) -> int:
    """Exit 0: package written (perhaps without PDF, said on stderr); 1: refused or failed."""
    from .export import ExportRefused, export_package

    def progress(n: int, total: int, stage: str) -> None:
        print(f"[{n}/{total}] {stage}…", flush=True)

    try:
        result = export_package(args.workbook, args.output, make_zip=args.zip, make_pdf=not args.no_pdf,
                                force=args.force, style=args.style, progress=progress)
    except ExportRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        for line in exc.problems[:10]:
            print(f"  {line}", file=sys.stderr)
        if len(exc.problems) > 10:
            print(f"  ……共 {len(exc.problems)} 条", file=sys.stderr)
        return 1
    print(f"已导出到 {result.outdir}：")
    for path in result.files:
        print(f"  {path.name}（{path.stat().st_size:,} 字节）")
    if result.forced:
        print("注意：校验有错误，本次为强制导出，校验报告首页已注明。", file=sys.stderr)
    for w in result.warnings:
        print(f"提示：{w}", file=sys.stderr)
    return 0


def _cmd_batch(args) -> int:
    """Exit 0: every workbook read and free of 错误; 1: some are not; 130: stopped by Ctrl-C — what was done
    is listed and its summary written, marked 已中断."""
    from .batch import EXPORTED, OK, check_run, console_progress, prepare_summary, print_result, run, workbooks_in

    if args.folder.is_file():  # one workbook: check it, not a folder of them
        raise DisclosureError(f"“{args.folder}”是一个文件，不是文件夹：批量校验请给出放着各单位工作簿的文件夹；"
                              f"校验这一个工作簿请用 disclosure check {args.folder.name}")
    if not args.folder.is_dir():
        raise DisclosureError(f"找不到文件夹“{args.folder}”")
    files = workbooks_in(args.folder)
    check_run(args.folder, files, args.jobs, args.output, "要校验的工作簿", ".xlsx/.xlsm 工作簿")
    if args.export:
        check_output(args.export, kind=FOLDER)
    result = run(args.folder, export_to=args.export, jobs=args.jobs, progress=console_progress(sys.stderr),
                 files=files, meanwhile=prepare_summary if args.output else None)
    print_result(result, args.output)
    bad = [r for r in result.rows if r.status not in (OK, EXPORTED)]
    print(f"共 {result.done} 个工作簿，{len(bad)} 个有错误或读不了。")
    if result.interrupted:
        print(result.note)
        return 130
    return 1 if bad else 0


def _cmd_perf_add(args) -> int:
    from . import workbook
    from .perf.model import OVERALL, PROJECT
    from .perf.sheets import add_to_file

    if args.overall:
        name, kind = workbook.read(args.workbook).unit_name, OVERALL
    else:
        name, kind = args.project.strip(), PROJECT
        if not name:
            raise DisclosureError("--project 的项目名称不能为空")
    added = add_to_file(args.workbook, [None], [kind], [name])
    print(f"已添加{'整体' if args.overall else '项目'}支出绩效自评表“{name}”：工作表“{added[0]}”"
          f"（原工作簿备份为 {args.workbook.stem}.备份{args.workbook.suffix}）")
    return 0


def _cmd_perf_from_targets(args) -> int:
    from .perf.model import OVERALL
    from .perf.targets import add, carried, overall_amounts

    plan, added = add(args.workbook, args.budget)
    if added:
        print(f"已从预算工作簿“{args.budget.name}”的绩效目标表加入 {len(added)} 张绩效自评表"
              f"（原工作簿备份为 {args.workbook.stem}.备份{args.workbook.suffix}）：")
    else:
        print(f"预算工作簿“{args.budget.name}”的绩效目标表都已在工作簿中，没有加入新的绩效自评表")
    for sheet, table, source in zip(added, plan.tables, plan.sources):
        print(f"  {sheet}　{table.kind}“{table.name}”　← {source.sheet}：{carried(source, table.kind)}")
    for line in plan.skipped:
        print(f"  未加入：{line}")
    notes = [overall_amounts(s) for t, s in zip(plan.tables, plan.sources) if t.kind == OVERALL]
    for note in filter(None, notes):
        print(f"说明：{note}")
    if added:
        print("说明：实际完成值、分值、得分、偏差原因分析及改进措施留空，请填写（资金行分值按财政部模板预填 10）")
    return 0


def _cmd_perf_list(args) -> int:
    from . import workbook

    perf = workbook.read(args.workbook).perf
    if not perf:
        print("工作簿中没有绩效自评表（可用 disclosure perf add 添加，或 disclosure import 绩效.xlsx --into 导入）")
        return 0
    for t in perf.tables:
        fund = t.total_fund
        money = (f"全年预算数 {fund.budget.amount if fund.budget else '—'}，全年执行数 {fund.spent.amount if fund.spent else '—'}"
                 if fund else "无资金行")
        if fund and fund.initial:  # e.g. carried from the 预算's 绩效目标表 (perf from-targets)
            money = f"年初预算数 {fund.initial.amount}，{money}"
        total = t.total_score.amount if t.total_score else "—"
        print(f"{t.sheet}\t{t.kind}\t{t.name or '（未填项目名称）'}\t{money}\t指标 {len(t.indicators)} 行\t总分得分 {total}")
    return 0


def _cmd_show(args) -> int:
    from . import workbook

    report = workbook.read(args.workbook)
    if args.json:
        data = report.to_json()
        if report.perf:  # 绩效自评表 (docs/数据格式.md)
            from .perf.model import perf_json

            data["绩效"] = perf_json(report.perf)
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        _print_summary(report)
    return 0


def _print_summary(report: "Report") -> None:
    kind = f"类型：{report.kind}　" if report.spec.is_budget else ""
    print(f"{kind}单位：{report.unit_name}　年度：{report.year}　地区：{report.spec.region}　表样：{report.layout}"
          f"　金额单位：{report.spec.unit}")
    order = [tid for tid in report.spec.tables if tid in report.tables]  # 表1 … 表15 in their own order
    for tid in order:
        table = report.tables[tid]
        t = table.spec
        if table.is_empty:
            print(f"{t.number} {t.title}：空表")
            continue
        print(f"{t.number} {t.title}（{len(table.rows)} 行）")
        for row in table.summary_rows():
            parts = [f"{k} {v.amount:,.2f}" for k, v in row.values.items() if v.amount != 0]
            label = f"{row.side}·{row.name}" if row.side else row.name
            print(f"  {label}：{'，'.join(parts) if parts else '0.00'}")
    if report.perf:
        print(f"绩效自评表 {len(report.perf.tables)} 张：{_perf_names(report.perf)}")


if __name__ == "__main__":
    sys.exit(main())
