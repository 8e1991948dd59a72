"""Table specs: the layout of one document kind's tables (决算 公开01–09表, 预算 表1–表15) for one layout,
loaded from templates/specs/*.yaml.

A new year or region is a new YAML file, not new code. Kinds of table:
- fixed:    rows with a label (and usually a 行次), one or more sides side by side (决算 01, 04, 09; 预算 表1,
            表4, 表9 — four sides without 行次, each found by the header of its 项目 column);
- coded:    one row per 科目 code plus a 合计 row (决算 02, 03, 05, 07, 08; 预算 表5–表8, whose 经济分类 tables
            also carry the 政府经济分类 code of each row);
- economic: 经济分类 classes and items laid out in blocks side by side, with 人员/公用经费合计 (06);
- units:    one row per 单位 (单位编码 + 单位名称), the first being the 部门; 表10 also has project rows;
- text:     a form of fields and small lists (预算 表11 政府采购, 表13–表15 绩效目标), kept as text.
The format is documented in docs/表样规格.md.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import msgspec
from msgspec import field

from .datacache import load_yaml
from .errors import DisclosureError
from .resources import templates_dir

# [0-9], not \d: the text is NFKC-folded first (全角 digits are ASCII by then), and a Unicode \d inside a
# character class costs ~10 ms to compile, on every start
_ORDINAL = re.compile(r"^(（?[一二三四五六七八九十]+[）、.．]|\(?[0-9]+[)、.．]|[（(][一二三四五六七八九十0-9]+[）)])")


def normalize_label(text: object) -> str:
    """'　一、一般公共 预算财政拨款收入 ' -> '一般公共预算财政拨款收入': no spaces (also inside words),
    full-width letters and digits folded (NFKC), brackets full-width, no ordinal prefix (一、 1. （一） 1、)."""
    if text is None:
        return ""
    return _normalized(str(text))


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def _normalized(text: str) -> str:
    """normalize_label of a text, kept: matching labels without 行次 (预算) compares each printed label with
    every line of its side, so the same few hundred texts are normalised over and over."""
    s = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    s = s.replace("(", "（").replace(")", "）")
    return _ORDINAL.sub("", s)


class LabelMatch(msgspec.Struct, frozen=True):
    """How a printed label agrees with a spec row: exactly (after normalize_label), or tolerated (the
    import takes it and says so in a 提示, `how` naming the kind of difference)."""

    row: "RowSpec"
    exact: bool
    how: str = ""


class LabelRules(msgspec.Struct, frozen=True):
    """What may differ between a printed label and the 表样 and still be the same line (data in the spec:
    `label_tolerance`). Used only as evidence next to 行次: the 行次 decides, the label confirms."""

    optional_words: tuple[str, ...] = ()  # 预算, 财政, 收入, 支出: inserted or dropped
    suffixes: tuple[str, ...] = ()  # （类） （款） （项）
    max_missing: int = 4  # "a word missing": at most this many characters left out in one place

    def core(self, text: object) -> str:
        """The label without the spec's optional words and suffixes (kept per rules and text: _core)."""
        return _core(self, normalize_label(text))

    def _core_of(self, s: str) -> str:
        for suffix in self.suffixes:
            s = s.removesuffix(normalize_label(suffix))
        bare = s
        for word in self.optional_words:
            bare = bare.replace(word, "")
        return bare if len(bare) >= 2 else s  # 预算数 stays 预算数: “数” alone names nothing

    def match(self, row: "RowSpec", text: object) -> LabelMatch | None:
        if row.blank:
            return None
        if row.is_named(text):
            return LabelMatch(row, True)
        if not normalize_label(text):
            return None
        year = row.other_year_of(text)
        if year:
            return LabelMatch(row, False, f"{year} 年表样的写法")
        core = self.core(text)
        names = (row.label, *row.aliases, *(name for _, name in row.other_years))
        if any(core == self.core(n) for n in names):
            return LabelMatch(row, False, self._words_differ())
        if any(self._one_gap(core, self.core(n)) for n in names):
            return LabelMatch(row, False, "多或少几个字")
        return None

    def _words_differ(self) -> str:
        words = f"只差{'、'.join(self.optional_words)}等字" if self.optional_words else "只差个别字"
        return words + (f"或{self.suffixes[0]}等后缀" if self.suffixes else "")

    def _one_gap(self, a: str, b: str) -> bool:
        """b is a with one piece of at most max_missing characters left out (or the other way round)."""
        short, long = sorted((a, b), key=len)
        gap = len(long) - len(short)
        if len(short) < 3 or not 0 < gap <= self.max_missing:
            return False
        return any(long.startswith(short[:i]) and long.endswith(short[i:]) for i in range(len(short) + 1))


_core = lru_cache(maxsize=16384)(LabelRules._core_of)


class ColumnSpec(msgspec.Struct, frozen=True):
    """One amount (or text) column of a table, by its 栏次 and printed header."""

    name: str
    lanci: int  # 栏次 (numbered in order when the table prints none)
    header: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other header names of this column (used when a table has no 栏次 row)
    amount: bool = True  # text tables: False for a column of text
    fill_down: bool = False  # text tables: an empty cell repeats the one above (一级/二级指标 merged cells)

    def names(self) -> set[str]:
        """Leaf header names that identify the column."""
        return {normalize_label(x) for x in (self.header[-1], self.name, *self.aliases)}


class RowSpec(msgspec.Struct, frozen=True):
    """One printed line of a fixed table side: 行次, label and the key checks use."""

    line: int | None  # 行次
    label: str  # printed label; "" for a blank row
    key: str  # stable key used by checks and JSON
    code: str | None = None  # 功能分类 类 code for expenditure rows
    aliases: tuple[str, ...] = ()  # other spellings of this layout: the same line, no 提示
    other_years: tuple[tuple[str, str], ...] = ()  # (layout, label): this line's name in another 表样
    unit: str = ""  # a count's unit (辆, 台（套）): the line holds a number of things, not an amount (never scaled)

    @property
    def blank(self) -> bool:
        return not self.label

    def matches(self, text: object) -> bool:
        """The text is one of this line's names: this layout's (label, aliases) or another year's."""
        return self.is_named(text) or self.other_year_of(text) is not None

    def is_named(self, text: object) -> bool:
        """The text is this layout's name of the line (label or an alias), after normalize_label."""
        norm = normalize_label(text)
        return bool(norm) and norm in {normalize_label(self.label), *map(normalize_label, self.aliases)}

    def other_year_of(self, text: object) -> str | None:
        """The layout year whose 表样 names this line so, if another year's."""
        norm = normalize_label(text)
        return next((year for year, name in self.other_years if norm and norm == normalize_label(name)), None)


class SideSpec(msgspec.Struct, frozen=True):
    """One side (block) of a fixed table: its columns and lines."""

    name: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]
    group: str = ""  # the header printed above the side (预算: 收入 / 支出 over three sides)
    label_header: tuple[str, ...] = ()  # names of the side's 项目 column header, which locates the side

    def label_names(self) -> set[str]:
        return {normalize_label(x) for x in self.label_header}

    @property
    def has_lines(self) -> bool:
        return any(r.line is not None for r in self.rows)

    def by_line(self, line: int) -> RowSpec | None:
        return next((r for r in self.rows if r.line == line), None)


class EconomicClass(msgspec.Struct, frozen=True):
    """A 经济分类 class (类) of a 06-like table and its items (款)."""

    code: str
    name: str
    items: tuple[tuple[str, str], ...]


class EconomicTotal(msgspec.Struct, frozen=True):
    """人员经费合计 / 公用经费合计: the classes it adds up, and the block it is printed under."""

    label: str
    block: int  # 1-based block the total is printed under
    classes: tuple[str, ...]


class PartSpec(msgspec.Struct, frozen=True):
    """One part of a text table, top down: a field (“项目名称 → …”) or a list (a small table)."""

    kind: str  # field | list
    name: str  # the field's key, or the list's name (rows of a list carry it as their `side`)
    label: str = ""  # field: the printed name
    aliases: tuple[str, ...] = ()
    amount: bool = False  # field: the content is an amount (万元)
    beside: bool = False  # field: printed on the line of the field before it, in its right half (表15's 年度资金总额)
    columns: tuple[ColumnSpec, ...] = ()  # list
    total: str = ""  # list: the name printed in the first column of its total row (金额合计)
    name_column: str = ""  # list: the column that names a row (default: the first not carried down)

    def names(self) -> set[str]:
        return {normalize_label(x) for x in (self.label or self.name, *self.aliases)}


# 科目代码 lengths by classification: 功能分类 类/款/项, 经济分类 类/款
CODE_LENGTHS = {"功能分类": (3, 5, 7), "经济分类": (3, 5)}


class TableSpec(msgspec.Struct, frozen=True):
    """The layout of one table; which fields apply depends on `kind`."""

    id: str  # "01" … "09", "表1" … "表15"
    title: str
    number: str  # 公开01表, 表1
    kind: str  # fixed | coded | economic | units | text
    note: str = ""
    columns: tuple[ColumnSpec, ...] = ()  # coded, units
    sides: tuple[SideSpec, ...] = ()  # fixed
    classes: tuple[EconomicClass, ...] = ()  # economic
    blocks: tuple[tuple[str, ...], ...] = ()
    totals: tuple[EconomicTotal, ...] = ()
    value_name: str = "决算数"
    aliases: tuple[str, ...] = ()  # other titles of the table (found on import as well)
    lanci_row: bool = True  # the table prints a 栏次 row (预算 tables do not: columns by header names)
    code_scheme: str = "功能分类"  # coded: 功能分类 (3/5/7 digits) or 经济分类 (3/5)
    code_header: tuple[str, ...] = ()  # coded/units: names of the code column's header (default 科目编码 …)
    name_header: tuple[str, ...] = ()  # coded/units: names of the name column's header
    gov_code_header: tuple[str, ...] = ()  # coded: the 政府经济分类 code column (预算 表6/表8)
    gov_name_header: tuple[str, ...] = ()
    text_columns: tuple[ColumnSpec, ...] = ()  # coded/units: columns of text (备注, 项目简介)
    projects: bool = False  # units: rows without 单位编码 are projects of the unit above (表10)
    total_row: bool = False  # units: a 合计 row is printed above the units (表10)
    parts: tuple[PartSpec, ...] = ()  # text
    heading: str = ""  # how the package prints the table's heading ("一、收入支出决算总表"); default number + title
    # fixed, one side: printed the other way round — its rows (预算数, 决算数) as the lowest header level under
    # every column, one line of amounts beneath (上海 表七); read either way (crossheader.py)
    crosswise: bool = False

    @property
    def sheet_name(self) -> str:
        return self.number

    @property
    def printed_heading(self) -> str:
        return self.heading or f"{self.number} {self.title}"

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    @property
    def code_lengths(self) -> tuple[int, ...]:
        return CODE_LENGTHS[self.code_scheme]

    @property
    def has_gov_codes(self) -> bool:
        return bool(self.gov_code_header)

    @property
    def lists(self) -> tuple[PartSpec, ...]:
        return tuple(p for p in self.parts if p.kind == "list")

    @property
    def value_columns(self) -> tuple[ColumnSpec, ...]:
        if self.kind == "fixed":
            return tuple(c for s in self.sides for c in s.columns)
        if self.kind == "economic":
            return (ColumnSpec(self.value_name, 1, (self.value_name,)),)
        if self.kind == "text":
            return tuple(c for p in self.lists for c in p.columns if c.amount)
        return self.columns

    def economic_codes(self) -> dict[str, str]:
        """code -> name for every class and item of a 06-like table."""
        out: dict[str, str] = {}
        for cls in self.classes:
            out[cls.code] = cls.name
            out.update(dict(cls.items))
        return out


JUESUAN, YUSUAN = "部门决算", "部门预算"  # the document kinds (a spec's `kind`)
DEFAULT_REGION = "陕西"  # a spec that names no region: the first one the product spoke (财政部 national layout)


class LayoutSpec(msgspec.Struct, frozen=True):
    """Every table of one document kind's layout (one spec file)."""

    kind: str  # 部门决算 | 部门预算
    layout: str  # "2024", "预算2023"
    unit: str  # 万元
    tables: dict[str, TableSpec] = field(default_factory=dict)
    path: Path | None = None
    labels: LabelRules = LabelRules()
    year: int | None = None  # the year a layout named otherwise than by its year is for (预算2023 -> 2023)
    region: str = DEFAULT_REGION  # the province whose 表样 this is (陕西, 内蒙古, 上海): shown, and `--region`
    style: str = ""  # the 情况说明 style (templates/narrative/<style>) of this region's documents; "" = the kind's

    def table(self, table_id: str) -> TableSpec:
        return self.tables[table_id]

    @property
    def default_year(self) -> int:
        """The year a new workbook of this layout is for, unless told."""
        return self.year if self.year is not None else int(self.layout)

    @property
    def is_budget(self) -> bool:
        return self.kind == YUSUAN


def specs_dir() -> Path:
    return templates_dir() / "specs"


ALL_REGIONS = None  # available_layouts(region=ALL_REGIONS): the layouts of every region


def available_layouts(kind: str | None = JUESUAN, region: str | None = DEFAULT_REGION) -> list[str]:
    """The layouts of one document kind and region — by default the 决算's of the default region: every caller
    that lists years means those; kind=None lists every kind's, region=ALL_REGIONS every region's (a region is
    named as the user writes it: region_name folds 上海市 → 上海)."""
    wanted = region_name(region) if region else None
    return sorted(layout for layout, (k, _, r) in _spec_files().items()
                  if (kind is None or k == kind) and (wanted is None or r == wanted))


def layout_kind(layout: str | int) -> str | None:
    """The document kind of a layout (部门决算 / 部门预算), None if there is no such layout."""
    found = _spec_files().get(str(layout))
    return found[0] if found else None


def regions(kind: str | None = None) -> list[str]:
    """The regions whose 表样 the product has (of one kind, or of any), the default region first."""
    found = {r for k, _, r in _spec_files().values() if kind is None or k == kind}
    return sorted(found, key=lambda r: (r != DEFAULT_REGION, r))


_REGION_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")


def region_name(text: str) -> str:
    """'上海市' / '内蒙古自治区' / ' 陕西省 ' -> the region as specs name it (上海, 内蒙古, 陕西)."""
    name = normalize_label(text)
    for suffix in _REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name


def read_with_other_year(spec: "LayoutSpec", year: int) -> bool:
    """A report of `year` read with `spec`, another year's 表样, because the product has none of that year for the
    kind and region (a 2025 决算 with the 2024 表样): its rows fit, but its checks are that 表样's."""
    return year != spec.default_year and not any(
        load(x).default_year == year for x in available_layouts(spec.kind, spec.region))


def earlier_layout(kind: str, year: str | int | None, region: str | None = None) -> str | None:
    """For a year with no 表样 of its own (a 2025 决算, a 2027 预算): the latest 表样 of an earlier year, of the
    region (the default region when none is given) — what import reads such a report with (read_with_other_year).
    None when `year` is not a year a report can be for now (before every 表样, or after next year)."""
    import datetime

    text = str(year or "")
    if not (text.isdigit() and len(text) == 4) or int(text) > datetime.date.today().year + 1:
        return None
    earlier = [x for x in available_layouts(kind, region or DEFAULT_REGION) if load(x).default_year < int(text)]
    return max(earlier, key=lambda x: load(x).default_year, default=None)


def layout_words(layout: str) -> str:
    """A 表样 as a sentence names it: “2024 年表样”, “上海2024 表样”, “预算2023 表样”."""
    return f"{layout} 年表样" if str(layout).isdigit() else f"{layout} 表样"


def other_year_note(spec: "LayoutSpec", year: int, template: bool = False) -> str:
    """What an import and a check report say of such a report (read_with_other_year); template: what `template`
    says of the blank workbook it made so."""
    shown = f" {layout_words(spec.layout)}"
    if template:
        return (f"本工具还没有{spec.region} {year} 年的{spec.kind}表样，已按{shown}生成 {year} 年度的模板，校验按它的"
                f"勾稽关系进行；如 {year} 年的表样增删或改动了行、栏，请对照财政部门下发的表样逐表核对")
    return (f"报表是 {year} 年度的，本工具还没有{spec.region} {year} 年的{spec.kind}表样，已按{shown}读取"
            f"（各表的行次、项目与它相符）。校验按{shown}的勾稽关系进行；如 {year} 年的表样增删或改动了行、栏，"
            "请对照报表逐表核对")


def choose_layouts(kind: str, year: str | int | None = None, region: str | None = None) -> list[str]:
    """The layouts `--year` and `--region` leave (every layout of the kind when neither is given). A year
    names a layout ("上海2024", "2024") or the year it is for; with no region, a year that is a layout's name
    is that layout, else the default region's layouts of that year are preferred."""
    layouts = available_layouts(kind, region or ALL_REGIONS)
    if region and not layouts:
        raise DisclosureError(f"没有“{region}”的{kind}表样（现有地区：{'、'.join(regions(kind))}）")
    if year is None or str(year) == "":
        return layouts
    year = str(year)
    if year in layouts:
        return [year]
    hits = [x for x in layouts if str(load(x).default_year) == year]
    if not hits and layout_kind(year) is not None:  # the name of a layout of another region or kind, not a year
        found = load(year)
        raise DisclosureError(f"表样“{year}”是{found.region}的{found.kind}表样，不是"
                              f"{region_name(region) + '的' if region else ''}{kind}表样（可用：{'、'.join(layouts) or '无'}）")
    if not region:
        hits = [x for x in hits if load(x).region == DEFAULT_REGION] or hits
    if not hits:
        where = f"{region_name(region)}的" if region else ""
        raise DisclosureError(f"没有{where} {year} 年的{kind}表样（现有：{'、'.join(layouts)}）")
    return hits


# spec folder -> (its files' names, sizes and mtimes, what _spec_files found there): a batch worker asks for
# every workbook, and reading the layout out of each file again (marshal) cost ~1.5 ms a workbook (issue 18)
_listings: dict[Path, tuple[tuple, dict[str, tuple[str, Path, str]]]] = {}


def _spec_files() -> dict[str, tuple[str, Path, str]]:
    """layout -> (kind, spec file, region), for the spec folder as it is now: listed again when a file is added,
    removed or rewritten (each file is parsed once per process all the same, datacache.py)."""
    folder = specs_dir()
    paths = sorted(folder.glob("*.yaml"))
    stamp = tuple((p.name, st.st_size, st.st_mtime_ns) for p in paths for st in (p.stat(),))
    kept = _listings.get(folder)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    out = _read_layouts(paths)
    _listings[folder] = (stamp, out)
    return out


def _read_layouts(paths: list[Path]) -> dict[str, tuple[str, Path, str]]:
    out: dict[str, tuple[str, Path, str]] = {}
    for path in paths:
        data = load_yaml(path)
        if not isinstance(data, dict) or "layout" not in data:
            raise DisclosureError(f"表样规格文件 {path.name} 格式有误：缺少 layout（表样年度）")
        layout = str(data["layout"])
        if layout in out:
            raise DisclosureError(f"表样规格文件 {path.name} 与 {out[layout][1].name} 的 layout 都是“{layout}”")
        out[layout] = (str(data.get("kind", JUESUAN)), path, region_name(str(data.get("region") or DEFAULT_REGION)))
    return out


def load(layout: str | int) -> LayoutSpec:
    """The spec of one layout year ('2023', '2024'); the same object while its file is unchanged."""
    files = _spec_files()
    key = str(layout)
    if key not in files:
        raise DisclosureError(f"没有 {key} 年的表样规格（现有：{'、'.join(sorted(files))}）")
    path = files[key][1]
    return _load_unchanged(path, hashlib.sha256(path.read_bytes()).digest())


@lru_cache(maxsize=None)
def _load_unchanged(path: Path, content: bytes) -> LayoutSpec:
    return load_file(path)


def load_file(path: Path) -> LayoutSpec:
    data = load_yaml(path)
    try:
        tables = {str(tid): _table(str(tid), t) for tid, t in data["tables"].items()}
        spec = LayoutSpec(kind=data["kind"], layout=str(data["layout"]), unit=data.get("unit", "万元"),
                          tables=tables, path=path, labels=_label_rules(data.get("label_tolerance") or {}),
                          year=int(data["year"]) if data.get("year") is not None else None,
                          region=region_name(str(data.get("region") or DEFAULT_REGION)),
                          style=str(data.get("style") or ""))
        spec.default_year  # a layout that is no year needs `year`
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DisclosureError(f"表样规格文件 {path.name} 格式有误：{exc}") from exc
    _validate(spec)
    return spec


def _label_rules(data: dict) -> LabelRules:
    return LabelRules(optional_words=tuple(data.get("optional_words", ())), suffixes=tuple(data.get("suffixes", ())),
                      max_missing=int(data.get("max_missing", 4)))


def _column(c: dict, lanci: int | None = None) -> ColumnSpec:
    """A column; `lanci` numbers it when the table prints no 栏次 (the spec then gives none)."""
    header = tuple(c.get("header") or [c["name"]])
    return ColumnSpec(name=c["name"], lanci=int(c["栏次"]) if "栏次" in c else int(lanci or 0), header=header,
                      aliases=tuple(c.get("aliases", ())), amount=bool(c.get("amount", True)),
                      fill_down=bool(c.get("fill_down", False)))


def _columns(items: list, start: int = 1, amounts: bool = True) -> tuple[ColumnSpec, ...]:
    """Columns numbered from `start` where the spec gives no 栏次; text-list columns are text unless `amount`."""
    out = []
    for i, c in enumerate(items):
        col = _column(c, start + i)
        if not amounts and "amount" not in c:
            col = ColumnSpec(col.name, col.lanci, col.header, col.aliases, amount=False, fill_down=col.fill_down)
        out.append(col)
    return tuple(out)


def _part(p: dict, start: int) -> PartSpec:
    if "field" in p:
        return PartSpec("field", str(p["field"]), label=str(p.get("label", "")), aliases=tuple(p.get("aliases", ())),
                        amount=bool(p.get("amount", False)), beside=bool(p.get("beside", False)))
    return PartSpec("list", str(p["list"]), columns=_columns(p["columns"], start, amounts=False),
                    total=str(p.get("total", "")), name_column=str(p.get("name_column", "")))


def _rows(items: list) -> tuple[RowSpec, ...]:
    rows: list[RowSpec] = []
    for item in items:
        if "blank" in item:
            first, _, last = str(item["blank"]).partition("-")
            for line in range(int(first), int(last or first) + 1):
                rows.append(RowSpec(line=line, label="", key=""))
            continue
        label = item["label"]
        rows.append(RowSpec(
            line=item.get("行次"), label=label, key=item.get("key") or normalize_label(label),
            code=str(item["code"]) if item.get("code") else None,
            aliases=tuple(item.get("aliases", ())),
            other_years=tuple((str(y), str(name)) for y, name in (item.get("other_years") or {}).items()),
            unit=str(item.get("unit") or ""),
        ))
    return tuple(rows)


def _names(t: dict, key: str) -> tuple[str, ...]:
    return tuple(str(x) for x in t.get(key) or ())


def _table(tid: str, t: dict) -> TableSpec:
    kind = t["kind"]
    common = dict(id=tid, title=t["title"], number=t["number"], kind=kind, note=t.get("note", ""),
                  aliases=_names(t, "aliases"), lanci_row=bool(t.get("lanci_row", True)),
                  heading=str(t.get("heading") or ""))
    if kind == "fixed":
        sides, n = [], 1
        for s in t["sides"]:
            sides.append(SideSpec(name=s["name"], columns=_columns(s["columns"], n), rows=_rows(s["rows"]),
                                  group=str(s.get("group", "")), label_header=_names(s, "label_header")))
            n += len(s["columns"])
        crosswise = bool(t.get("crosswise", False))
        if crosswise and (len(sides) != 1 or sides[0].has_lines or t.get("lanci_row", True)):
            raise ValueError(f"表 {tid} 的 crosswise 只用于一侧、无行次、无栏次（lanci_row: false）的表")
        return TableSpec(**common, sides=tuple(sides), crosswise=crosswise)
    if kind in ("coded", "units"):
        columns = _columns(t["columns"])
        scheme = str(t.get("code_scheme", "功能分类"))
        if scheme not in CODE_LENGTHS:
            raise ValueError(f"表 {tid} 的 code_scheme “{scheme}” 不认识（应为 功能分类 或 经济分类）")
        return TableSpec(**common, columns=columns, code_scheme=scheme, code_header=_names(t, "code_header"),
                         name_header=_names(t, "name_header"), gov_code_header=_names(t, "gov_code_header"),
                         gov_name_header=_names(t, "gov_name_header"),
                         text_columns=_columns(t.get("text_columns") or [], len(columns) + 1, amounts=False),
                         projects=bool(t.get("projects", False)), total_row=bool(t.get("total_row", False)))
    if kind == "text":
        parts, n = [], 1
        for p in t["parts"]:
            parts.append(_part(p, n))
            n += len(parts[-1].columns)
        return TableSpec(**common, parts=tuple(parts))
    if kind == "economic":
        classes = tuple(EconomicClass(code=str(c["code"]), name=c["name"],
                                      items=tuple((str(i[0]), str(i[1])) for i in c["items"]))
                        for c in t["classes"])
        totals = tuple(EconomicTotal(label=x["label"], block=int(x["block"]), classes=tuple(map(str, x["classes"])))
                       for x in t["totals"])
        return TableSpec(**common, classes=classes, blocks=tuple(tuple(map(str, b)) for b in t["blocks"]),
                         totals=totals, value_name=t.get("value_name", "决算数"))
    raise ValueError(f"表 {tid} 的 kind “{kind}” 不认识（应为 fixed、coded、economic、units 或 text）")


def _validate(spec: LayoutSpec) -> None:
    """Catch spec typos early: duplicate 行次/keys/栏次, blocks naming unknown classes."""
    for t in spec.tables.values():
        where = f"表样 {spec.layout} 的 {t.number}"
        lanci = [c.lanci for c in t.value_columns]
        groups = [s.columns for s in t.sides] or [t.value_columns]  # names are unique within a side
        if len(set(lanci)) != len(lanci) or any(len({c.name for c in g}) != len(g) for g in groups):
            raise DisclosureError(f"{where}：栏次或栏目名称重复")
        for side in t.sides:
            lines = [r.line for r in side.rows if r.line is not None]
            keys = [r.key for r in side.rows if not r.blank]
            if len(set(lines)) != len(lines) or len(set(keys)) != len(keys):
                raise DisclosureError(f"{where}（{side.name}）：行次或项目键重复")
        if t.kind == "text":
            names = [p.name for p in t.parts]
            if len(set(names)) != len(names) or any(len({c.name for c in p.columns}) != len(p.columns)
                                                    for p in t.lists):
                raise DisclosureError(f"{where}：表单的栏目名称重复")
        if t.kind == "economic":
            known = {c.code for c in t.classes}
            placed = [c for b in t.blocks for c in b]
            if sorted(placed) != sorted(known):
                raise DisclosureError(f"{where}：blocks 应恰好列出每个类一次")
