"""Reading a 情况说明 to lint: the text of .txt/.md/.docx, its 第二部分 split into sections 一–十四 and
sentences. Hard line breaks inside sentences (PDF extractions) are joined."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]
_HEADING = re.compile(r"^\s*#*\s*(十[一二三四]?|[一二三四五六七八九])、")


@dataclass
class Sentence:
    section: str
    text: str


def read_text(path: str | Path) -> str:
    path = Path(path)
    if not path.exists():
        raise InputError("找不到该文件", file=path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from docx import Document

        try:
            return "\n".join(p.text for p in Document(str(path)).paragraphs)
        except Exception as exc:  # python-docx raises several kinds for a broken file
            raise InputError("不是有效的 Word 文档（.docx），无法读取", file=path) from exc
    if suffix not in (".txt", ".md"):
        raise InputError(f"不支持的文件类型“{path.suffix}”：请用 .docx、.txt 或 .md", file=path)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return path.read_text(encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("文本编码无法识别（应为 UTF-8 或 GBK）", file=path)


def part_two(text: str) -> str:
    """The 第二部分 (情况说明) of a whole document: from its last heading before 第三部分; else everything."""
    lines = text.splitlines()
    starts = [i for i, l in enumerate(lines) if re.match(r"^\s*#*\s*第二部分", l)]
    ends = [i for i, l in enumerate(lines) if re.match(r"^\s*#*\s*第三部分", l)]
    if not starts:
        return text
    end = max(ends) if ends and max(ends) > max(starts) else len(lines)
    start = max(s for s in starts if s < end)
    return "\n".join(lines[start + 1:end])


def sections(text: str) -> list[tuple[str, str]]:
    """[(section numeral, its text joined into one line)] in document order."""
    out: list[tuple[str, list[str]]] = []
    for line in part_two(text).splitlines():
        m = _HEADING.match(line)
        if m and m.group(1) in NUMERALS and (not out or NUMERALS.index(m.group(1)) > NUMERALS.index(out[-1][0])):
            out.append((m.group(1), []))  # the heading's own words are a title, not claims
        elif out:
            out[-1][1].append(line)
    return [(sid, re.sub(r"\s*\n\s*", "", "\n".join(body)).strip()) for sid, body in out]


def sentences(text: str) -> list[Sentence]:
    out = []
    for sid, body in sections(text):
        for piece in re.split(r"(?<=。)", body):
            piece = piece.strip()
            if piece:
                out.append(Sentence(sid, piece))
    return out
