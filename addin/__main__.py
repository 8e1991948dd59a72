"""Run the add-in's macros on a workbook file, as Excel would on the open workbook:

    python -m addin run {import,check,narrative,export,clear} WORKBOOK.xlsm [--from EXPORT.xls]
                        [-o OUTDIR] [--force]

Exit code 0 when the macro worked, 1 when it did not (the Chinese message is on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from disclosure.errors import DisclosureError


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    from .macros import MACROS

    p = argparse.ArgumentParser(prog="python -m addin", description="决算公开 Excel 加载项的宏（对工作簿文件运行）")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="运行一个宏")
    r.add_argument("macro", choices=sorted(MACROS))
    r.add_argument("workbook", type=Path)
    r.add_argument("--from", dest="source", type=Path, help="导入：部门决算软件导出的报表")
    r.add_argument("-o", "--output", type=Path, help="导出：输出文件夹（默认在工作簿旁边）")
    r.add_argument("--force", action="store_true", help="导出：校验有错误时仍然导出")
    args = p.parse_args(argv)

    from .book import FileBook
    from .ui import ConsoleUi

    ui = ConsoleUi()
    try:
        book = FileBook(args.workbook)
    except DisclosureError as exc:
        ui.error(str(exc))
        return 1
    options = {"import": {"source": args.source}, "export": {"outdir": args.output, "force": args.force}}
    if args.macro == "import" and not args.source:
        ui.error("导入需要 --from 指明部门决算软件导出的报表")
        return 1
    outcome = MACROS[args.macro](book=book, ui=ui, **options.get(args.macro, {}))
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
