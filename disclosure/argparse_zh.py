"""The command line's own words in Chinese: argparse's usage line, help headings and refusals ("缺少参数：
workbook" instead of "the following arguments are required: workbook"), so that a mistyped command also ends
in one Chinese line (cli.py's promise).

argparse looks each of its strings up through the module's `_` (gettext, whose catalogs are chosen by the
process's locale, not by us): `install()` puts a lookup in this table in its place, for argparse only. A string
not in the table (argparse's own programming errors, a newer Python's new words) stays as it is.
"""

from __future__ import annotations

import argparse

WORDS = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s（用 -h 查看可用的参数）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有 %(value)r 这一项（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值",
    "expected one argument": "后面应跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少跟一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "ambiguous option: %(option)s could match %(matches)s": "参数 %(option)s 不明确，可能是 %(matches)s",
    "ignored explicit argument %r": "多余的值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有 %(parser_name)r 这个命令（可用：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
PLURALS = {"expected %s argument": "后面应跟 %s 个值"}


def _words(text: str) -> str:
    return WORDS.get(text, text)


def _plural(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


def install() -> None:
    argparse._ = _words  # type: ignore[attr-defined]
    argparse.ngettext = _plural  # type: ignore[attr-defined]
