"""`disclosure audit 公开.pdf [--json] [--annotate 标注.pdf]` and `disclosure audit DIR -o 汇总.xlsx [--jobs N]`.

Exit codes as `check`: 0 no 错误 (and the 情况说明 read); 1 错误 found; 2 the PDF could not be read (scanned,
encrypted, no tables: one Chinese line) or its 情况说明 was not understood (the audit is incomplete, and says so),
or an option does not fit (--jobs for one PDF, --json for a folder …: nothing audited);
a folder: 1 when any PDF has 错误 or could not be read, else 2 when a 情况说明 was not understood; 130 when stopped
by Ctrl-C (the summary of what was done is still written).
"""

from __future__ import annotations

import json
import sys

from .errors import DisclosureError
from .outputs import check_output


def cmd_audit(args) -> int:
    try:
        return _audit(args)
    except DisclosureError as exc:  # an option that does not fit, a summary that cannot be written: nothing was
        print(f"错误：{exc}", file=sys.stderr)  # audited (or not all of it), which is 2 here — 1 means 错误 found
        return 2


def _audit(args) -> int:
    if not args.target.exists():  # before the options meant for a folder or a file are judged; exit 2 as unreadable
        print(f"错误：文件“{args.target.name}”：找不到该文件（或文件夹）", file=sys.stderr)
        return 2
    if args.target.is_dir():
        return _folder(args)
    if args.annotate and args.annotate.suffix.lower() != ".pdf":
        raise DisclosureError(f"标注本应为 .pdf 文件，如 --annotate {args.target.stem}-标注.pdf")
    if args.output:
        raise DisclosureError("-o 汇总.xlsx 用于审核一个文件夹；审核一份 PDF 可用 --json 或 --annotate 标注.pdf")
    if args.jobs is not None:
        raise DisclosureError("--jobs 只用于审核一个文件夹")
    from .audit import as_text, audit

    if args.annotate:  # before the long read: the copy must not replace the PDF itself
        check_output(args.annotate, {args.target: "要审核的 PDF"})
    result = audit(args.target, layout=args.year, region=args.region, style=args.style, prior=args.prior)
    if args.annotate:
        from .pdfin.annotate import annotate

        annotate(result, args.annotate)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        print(as_text(result))
        if args.annotate:
            print(f"标注本已写出：{args.annotate}（{sum(1 for f in result.findings if f.page)} 处标注）")
    if not result.text_checked:
        print(f"注意：情况说明未核对：{result.text_problem}", file=sys.stderr)
    return result.exit_code()


def _folder(args) -> int:
    from .audit import TEXT_UNCHECKED, audit_one, pdfs_in
    from .batch import OK, check_run, console_progress, prepare_summary, print_result, run

    if args.annotate or args.json:
        raise DisclosureError("审核文件夹时不能用 --annotate 或 --json：请用 -o 汇总.xlsx 写出汇总表")
    if args.prior:
        raise DisclosureError("--prior 用于审核一份 PDF（给出它上年公开的 PDF 或上年的工作簿），不能用于文件夹")
    files = pdfs_in(args.target)
    check_run(args.target, files, args.jobs, args.output, "要审核的 PDF", ".pdf 文件")
    result = run(args.target, jobs=args.jobs, progress=console_progress(sys.stderr), files=files, check=audit_one,
                 meanwhile=prepare_summary if args.output else None)
    print_result(result, args.output)
    bad = [r for r in result.rows if r.status not in (OK, TEXT_UNCHECKED)]
    unchecked = [r for r in result.rows if r.status == TEXT_UNCHECKED]
    print(f"共 {result.done} 份 PDF，{len(bad)} 份有错误或读不了"
          + (f"，{len(unchecked)} 份情况说明未核对" if unchecked else "") + "。")
    if result.interrupted:
        print(result.note)
        return 130
    return 1 if bad else 2 if unchecked else 0
