"""Command line: disclosure template | import | check | show.

Every failure the user can cause ends in one Chinese line on stderr and exit code 1; an unexpected
one in a short Chinese line and exit code 3 (set DISCLOSURE_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__, specs, workbook
from .errors import DisclosureError
from .model import Report


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Chinese on a Windows console that is not UTF-8
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    parser = _parser()
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


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="disclosure", description="部门决算公开助手：导入、查看部门决算公开表。")
    p.add_argument("--version", action="version", version=f"disclosure {__version__}")
    sub = p.add_subparsers(title="命令")

    t = sub.add_parser("template", help="生成空白模板工作簿")
    t.add_argument("--year", required=True, help=f"表样年度（{'、'.join(specs.available_layouts())}）")
    t.add_argument("-o", "--output", required=True, type=Path, help="输出的 .xlsx 文件")
    t.add_argument("--unit", default="", help="单位名称（可选）")
    t.set_defaults(func=_cmd_template)

    i = sub.add_parser("import", help="导入部门决算软件导出的报表，生成模板工作簿")
    i.add_argument("export", type=Path, help="导出的 .xlsx 或 .xls 文件")
    i.add_argument("-o", "--output", required=True, type=Path, help="输出的模板工作簿 .xlsx")
    i.add_argument("--year", help="表样年度；不填则按行次和项目自动判断")
    i.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    i.set_defaults(func=_cmd_import)

    c = sub.add_parser("check", help="校验表内、表间关系，指出出错的单元格")
    c.add_argument("workbook", type=Path)
    c.add_argument("--json", action="store_true", help="以 JSON 输出全部问题")
    c.add_argument("--xlsx", type=Path, metavar="REPORT.xlsx", help="同时写出 Excel 校验报告")
    c.set_defaults(func=_cmd_check)

    s = sub.add_parser("show", help="显示工作簿中各表的合计数")
    s.add_argument("workbook", type=Path)
    s.add_argument("--json", action="store_true", help="以 JSON 输出全部行（格式见 docs/数据格式.md）")
    s.set_defaults(func=_cmd_show)
    return p


def _cmd_template(args) -> int:
    path = workbook.write_template(args.year, args.output, unit_name=args.unit)
    print(f"已生成 {args.year} 年表样的模板：{path}")
    return 0


def _cmd_import(args) -> int:
    from .importers.export import import_export

    out: Path = args.output
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DisclosureError(f"输出文件应为 .xlsx：{out.name}")
    if out.exists() and not args.force:
        raise DisclosureError(f"输出文件“{out}”已存在；如需覆盖请加 --force")
    if out.resolve() == args.export.resolve():
        raise DisclosureError("输出文件不能与导入的文件相同")
    report = import_export(args.export, layout=args.year)
    workbook.save_atomic(workbook.build(report.spec, report), out)
    print(f"已导入 {report.unit_name or '（未识别单位名称）'} {report.year} 年度（{report.layout} 年表样）→ {out}")
    return 0


def _cmd_check(args) -> int:
    """Exit 0: no 错误; 1: 错误 found; 2: the workbook could not be read."""
    from .checks import ERROR, run
    from .checks.report import as_text, write_xlsx

    try:
        report = workbook.read(args.workbook)
    except DisclosureError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    findings = run(report)
    if args.xlsx:
        write_xlsx(report, findings, args.xlsx)
    if args.json:
        print(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1))
    else:
        print(as_text(report, findings))
        if args.xlsx:
            print(f"校验报告已写出：{args.xlsx}")
    return 1 if any(f.severity == ERROR for f in findings) else 0


def _cmd_show(args) -> int:
    report = workbook.read(args.workbook)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        _print_summary(report)
    return 0


def _print_summary(report: Report) -> None:
    print(f"单位：{report.unit_name}　年度：{report.year}　表样：{report.layout}　金额单位：{report.spec.unit}")
    for tid, table in sorted(report.tables.items()):
        t = table.spec
        if table.is_empty:
            print(f"{t.number} {t.title}：空表")
            continue
        print(f"{t.number} {t.title}（{len(table.rows)} 行）")
        for row in table.summary_rows():
            parts = [f"{k} {v.amount:,.2f}" for k, v in row.values.items() if v.amount != 0]
            label = f"{row.side}·{row.name}" if row.side else row.name
            print(f"  {label}：{'，'.join(parts) if parts else '0.00'}")


if __name__ == "__main__":
    sys.exit(main())
