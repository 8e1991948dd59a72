"""The YAML/JSON file of `disclosure inputs --set-from`: a file that may come from anywhere, so it is limited
before any Python value is built from it.

- size: at most 1 MB, checked before reading;
- encoding: UTF-8 (with or without BOM), UTF-16 with a BOM (Windows Notepad's "Unicode"), GB18030/GBK;
- YAML: a pass over the parser's events (iterative, no recursion) refuses nesting deeper than 20, more than
  100 aliases, a self-referencing alias, duplicate keys, and more than 100,000 values once aliases are
  expanded (an alias bomb is cheap as a node graph and explodes only when values are walked) — all before
  anything is composed or constructed; then the safe loader (libyaml's when there) builds plain values only:
  a `!!python/...` tag is refused;
- every refusal is one Chinese line naming the file, and the line and column where there is one.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import yaml

from .errors import InputError
from .inputs import convert, flatten

MAX_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_ALIASES = 100
MAX_VALUES = 100_000  # scalars and collections, aliases expanded
ENCODINGS = "UTF-8（可带 BOM）、带 BOM 的 UTF-16、GB18030/GBK"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# PyYAML's problems (English) as the officer reads them; the first one contained in the problem wins
_YAML_PROBLEMS = [
    ("could not determine a constructor", "不允许的类型标记{tag}（只接受文字、数字、列表和键值对）"),
    ("exceeded maximum nesting depth", f"嵌套超过 {MAX_DEPTH} 层"),  # libyaml's own limit, met while scanning ahead
    ("mapping values are not allowed", "此处不能有冒号（值中有“: ”时请给整个值加引号）"),
    ("could not find expected ':'", "缺少冒号，或上一行的引号没有闭合"),
    ("found character '\\t'", "不能用 Tab 缩进，请改用空格"),  # libyaml does not say which character: see _yaml_error
    ("cannot start any token", "此处的字符不能开始一个值（请给值加引号）"),
    ("found undefined alias", "引用了没有定义的锚点（*别名）"),
    ("found duplicate anchor", "锚点（&名称）重复"),
    ("found another document", "文件中只能有一个 YAML 文档（不要用 ---/... 分成多份）"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有闭合）"),
    ("found unknown escape character", "双引号中的反斜杠转义无效（Windows 路径请用单引号）"),
    ("special characters are not allowed", "含有不允许的控制字符"),
    ("unacceptable character", "含有不允许的控制字符"),
    ("expected <block end>", "缩进不一致"),
    ("while parsing a block mapping", "缩进不一致"),
    ("did not find expected key", "缩进不一致，或列表项“- ”与键混在同一层"),
    ("did not find expected node content", "此处缺少值"),
    ("found unhashable key", "键不能是列表或键值对"),
]
_JSON_PROBLEMS = [
    ("Expecting property name", "键应以双引号括起，或多了一个逗号"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    ("Expecting value", "此处缺少值"),
    ("Unterminated string", "字符串缺少结尾的双引号"),
    ("Invalid control character", "字符串中有控制字符"),
    ("Invalid \\escape", "反斜杠转义无效（Windows 路径请写成 \\\\）"),
    ("Extra data", "数据之后还有多余的内容"),
]


def read_inputs_file(path: Path, kind: str | None = None) -> dict[str, object]:
    """{dotted key: raw value} from a YAML/JSON file, every key known (in the kind's schema) and every value
    valid for its key (inputs.convert), or an InputError naming this file (and the line)."""
    data, lines = read_data(path)
    flat = flatten(data, file=path, lines=lines, kind=kind)
    for key, raw in flat.items():
        convert(key, raw, file=path, row=lines.get(key), kind=kind)
    return flat


def read_data(path: Path) -> tuple[dict, dict[str, int]]:
    """The mapping a YAML/JSON file holds, and the line of each dotted key (YAML only)."""
    text = decode_text(_read_bytes(path), path)
    if path.suffix.lower() == ".json":
        data, lines = _json(text, path), {}
    else:
        data, lines = _yaml(text, path)
    if not isinstance(data, dict):
        raise InputError("应为“键: 值”的键值对（格式见 docs/inputs.md）", file=path)
    return data, lines


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"文件有 {path.stat().st_size:,} 字节，超过说明数据文件的上限 {MAX_BYTES:,} 字节", file=path)
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)  # a device or a growing file: never more than the limit
    except FileNotFoundError:
        raise InputError("找不到这个文件", file=path) from None
    except IsADirectoryError:
        raise InputError("这是一个文件夹，应为 .yaml 或 .json 文件", file=path) from None
    except OSError as exc:
        raise InputError(f"读不了这个文件（{exc.strerror or exc}）", file=path) from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"文件超过说明数据文件的上限 {MAX_BYTES:,} 字节", file=path)
    return raw


def decode_text(raw: bytes, path: Path) -> str:
    """A text file as people save it on Windows (Notepad, WPS, Excel's CSV): the encodings in ENCODINGS;
    anything else one Chinese line naming the file. Shared by 说明数据 files and `lint`'s .txt/.md."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"文件以 UTF-16 的 BOM 开头，但内容不是 UTF-16；能读的编码：{ENCODINGS}", file=path) from None
    if b"\x00" in raw:
        raise InputError(f"文件中有空字节：不是文本文件，或是没有 BOM 的 UTF-16/UTF-32；能读的编码：{ENCODINGS}，"
                         "请用记事本另存为 UTF-8", file=path)
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads GBK and GB2312 too
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"文件的编码无法识别；能读的编码：{ENCODINGS}，请用记事本另存为 UTF-8", file=path)


# ---------------------------------------------------------------- JSON

def _json(text: str, path: Path):
    def no_duplicates(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen:
                raise InputError(f"键“{k}”在同一层出现了两次", file=path)
            seen.add(k)
        return dict(pairs)

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        problem = next((cn for en, cn in _JSON_PROBLEMS if exc.msg.startswith(en)), "格式错误")
        raise InputError(f"JSON {problem}（第 {exc.colno} 列）", file=path, row=exc.lineno) from None
    except RecursionError:
        raise InputError(f"嵌套超过 {MAX_DEPTH} 层", file=path) from None
    stack = [(data, 0)]
    while stack:  # depth of the built value (no recursion: the value may be deep)
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                raise InputError(f"嵌套超过 {MAX_DEPTH} 层", file=path)
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return data


# ---------------------------------------------------------------- YAML

def _yaml(text: str, path: Path) -> tuple[object, dict[str, int]]:
    try:
        _scan(text, path)
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            lines = _key_lines(node)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, path, text) from None
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        raise InputError(f"YAML {_problem(str(exc))}", file=path) from None
    return data, lines


def _scan(text: str, path: Path) -> None:
    """Refuse, from the parser's events alone, what would be too deep, too many aliases, self-referencing,
    a duplicate key, or too many values once aliases are expanded."""
    stack: list[_Open] = []
    anchors: dict[str, int | None] = {}  # anchor -> expanded size (None while its node is still open)
    aliases = total = 0

    def refuse(message: str, event) -> None:
        raise InputError(message, file=path, row=event.start_mark.line + 1)

    def done(size: int, event, key: str | None = None) -> None:
        """A node of `size` values is complete: count it into its parent (or the document)."""
        nonlocal total
        if not stack:
            total += size
            return
        parent = stack[-1]
        parent.size += size
        if parent.size > MAX_VALUES:
            refuse(f"展开别名后超过 {MAX_VALUES:,} 个值（疑为“别名炸弹”），已拒绝", event)
        if parent.keys is not None:
            if parent.expect_key and key is not None and key != "<<":
                if key in parent.keys:
                    refuse(f"键“{key[:60]}”在同一层出现了两次", event)
                parent.keys.add(key)
            parent.expect_key = not parent.expect_key

    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                refuse(f"嵌套超过 {MAX_DEPTH} 层", event)
            if event.anchor:
                anchors[event.anchor] = None
            stack.append(_Open(event.anchor, isinstance(event, yaml.MappingStartEvent)))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node = stack.pop()
            if node.anchor:
                anchors[node.anchor] = node.size
            done(node.size, event)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                anchors[event.anchor] = 1
            done(1, event, event.value)
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                refuse(f"别名（*引用）超过 {MAX_ALIASES} 个，已拒绝", event)
            if event.anchor in anchors and anchors[event.anchor] is None:
                refuse(f"别名“*{event.anchor}”引用了包含它自己的内容", event)
            done(anchors.get(event.anchor) or 1, event)  # an undefined alias: the loader says so


class _Open:
    """A collection whose end event has not come yet."""

    def __init__(self, anchor: str | None, mapping: bool):
        self.anchor, self.size = anchor, 1
        self.keys: set[str] | None = set() if mapping else None
        self.expect_key = True


def _key_lines(node, prefix: str = "", out: dict[str, int] | None = None) -> dict[str, int]:
    """dotted key -> 1-based line of the key, through nested mappings (depth already limited)."""
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = f"{prefix}{key_node.value}"
                out.setdefault(key, key_node.start_mark.line + 1)
                _key_lines(value_node, key + ".", out)
    return out


def _yaml_error(exc: yaml.MarkedYAMLError, path: Path, text: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or ""
    if mark and "cannot start any token" in problem and text[mark.index:mark.index + 1] == "\t":
        problem = "found character '\\t' that cannot start any token"
    column = f"（第 {mark.column + 1} 列）" if mark else ""
    return InputError(f"YAML {_problem(problem)}{column}", file=path, row=mark.line + 1 if mark else None)


def _problem(english: str) -> str:
    for en, cn in _YAML_PROBLEMS:
        if en in english:
            tag = english.split("tag", 1)[1].strip(" '\"").replace("tag:yaml.org,2002:", "!!") if "tag" in english else ""
            return "格式错误：" + cn.format(tag=f"“{tag[:60]}”" if tag else "")
    return "格式错误，请检查此处的缩进、冒号和引号"
