"""Table specs: the layout of the nine 公开表 of one layout year, loaded from templates/specs/*.yaml.

A new year or region is a new YAML file, not new code. Three kinds of table:
- fixed:    rows with a label (and usually a 行次), one or two sides side by side (01, 04, 09);
- coded:    one row per 功能分类科目 code plus a 合计 row (02, 03, 05, 07, 08);
- economic: 经济分类 classes and items laid out in blocks side by side, with 人员/公用经费合计 (06).
The format is documented in docs/表样规格.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import DisclosureError
from .resources import templates_dir

_ORDINAL = re.compile(r"^(（?[一二三四五六七八九十]+[）、.．]|\(?\d+[)、.．]|[（(][一二三四五六七八九十\d]+[）)])")


def normalize_label(text: object) -> str:
    """'　一、一般公共预算财政拨款收入 ' -> '一般公共预算财政拨款收入' (no spaces, no ordinal prefix)."""
    if text is None:
        return ""
    s = re.sub(r"\s+", "", str(text).replace("\u3000", "").replace("\xa0", ""))
    s = s.replace("(", "（").replace(")", "）")
    return _ORDINAL.sub("", s)


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    lanci: int  # 栏次
    header: tuple[str, ...]


@dataclass(frozen=True)
class RowSpec:
    line: int | None  # 行次
    label: str  # printed label; "" for a blank row
    key: str  # stable key used by checks and JSON
    code: str | None = None  # 功能分类 类 code for expenditure rows
    aliases: tuple[str, ...] = ()

    @property
    def blank(self) -> bool:
        return not self.label

    def matches(self, text: object) -> bool:
        norm = normalize_label(text)
        return bool(norm) and norm in {normalize_label(self.label), *map(normalize_label, self.aliases)}


@dataclass(frozen=True)
class SideSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]

    @property
    def has_lines(self) -> bool:
        return any(r.line is not None for r in self.rows)

    def by_line(self, line: int) -> RowSpec | None:
        return next((r for r in self.rows if r.line == line), None)


@dataclass(frozen=True)
class EconomicClass:
    code: str
    name: str
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class EconomicTotal:
    label: str
    block: int  # 1-based block the total is printed under
    classes: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    id: str  # "01" … "09"
    title: str
    number: str  # 公开01表
    kind: str  # fixed | coded | economic
    note: str = ""
    columns: tuple[ColumnSpec, ...] = ()  # coded
    sides: tuple[SideSpec, ...] = ()  # fixed
    classes: tuple[EconomicClass, ...] = ()  # economic
    blocks: tuple[tuple[str, ...], ...] = ()
    totals: tuple[EconomicTotal, ...] = ()
    value_name: str = "决算数"

    @property
    def sheet_name(self) -> str:
        return self.number

    @property
    def value_columns(self) -> tuple[ColumnSpec, ...]:
        if self.kind == "fixed":
            return tuple(c for s in self.sides for c in s.columns)
        if self.kind == "economic":
            return (ColumnSpec(self.value_name, 1, (self.value_name,)),)
        return self.columns

    def economic_codes(self) -> dict[str, str]:
        """code -> name for every class and item of a 06-like table."""
        out: dict[str, str] = {}
        for cls in self.classes:
            out[cls.code] = cls.name
            out.update(dict(cls.items))
        return out


@dataclass(frozen=True)
class LayoutSpec:
    kind: str  # 部门决算
    layout: str  # "2024"
    unit: str  # 万元
    tables: dict[str, TableSpec] = field(default_factory=dict)
    path: Path | None = None

    def table(self, table_id: str) -> TableSpec:
        return self.tables[table_id]


def specs_dir() -> Path:
    return templates_dir() / "specs"


def available_layouts() -> list[str]:
    return sorted(_spec_files())


def _spec_files() -> dict[str, Path]:
    out = {}
    for path in sorted(specs_dir().glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        out[str(data["layout"])] = path
    return out


@lru_cache(maxsize=None)
def load(layout: str | int) -> LayoutSpec:
    """The spec of one layout year ('2023', '2024')."""
    files = _spec_files()
    key = str(layout)
    if key not in files:
        raise DisclosureError(f"没有 {key} 年的表样规格（现有：{'、'.join(sorted(files))}）")
    return load_file(files[key])


def load_file(path: Path) -> LayoutSpec:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    try:
        tables = {str(tid): _table(str(tid), t) for tid, t in data["tables"].items()}
        spec = LayoutSpec(kind=data["kind"], layout=str(data["layout"]), unit=data.get("unit", "万元"),
                          tables=tables, path=path)
    except (KeyError, TypeError, ValueError) as exc:
        raise DisclosureError(f"表样规格文件 {path.name} 格式有误：{exc}") from exc
    _validate(spec)
    return spec


def _column(c: dict) -> ColumnSpec:
    header = tuple(c.get("header") or [c["name"]])
    return ColumnSpec(name=c["name"], lanci=int(c["栏次"]), header=header)


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
        ))
    return tuple(rows)


def _table(tid: str, t: dict) -> TableSpec:
    kind = t["kind"]
    common = dict(id=tid, title=t["title"], number=t["number"], kind=kind, note=t.get("note", ""))
    if kind == "fixed":
        sides = tuple(SideSpec(name=s["name"], columns=tuple(map(_column, s["columns"])), rows=_rows(s["rows"]))
                      for s in t["sides"])
        return TableSpec(**common, sides=sides)
    if kind == "coded":
        return TableSpec(**common, columns=tuple(map(_column, t["columns"])))
    if kind == "economic":
        classes = tuple(EconomicClass(code=str(c["code"]), name=c["name"],
                                      items=tuple((str(i[0]), str(i[1])) for i in c["items"]))
                        for c in t["classes"])
        totals = tuple(EconomicTotal(label=x["label"], block=int(x["block"]), classes=tuple(map(str, x["classes"])))
                       for x in t["totals"])
        return TableSpec(**common, classes=classes, blocks=tuple(tuple(map(str, b)) for b in t["blocks"]),
                         totals=totals, value_name=t.get("value_name", "决算数"))
    raise ValueError(f"表 {tid} 的 kind “{kind}” 不认识（应为 fixed、coded 或 economic）")


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
        if t.kind == "economic":
            known = {c.code for c in t.classes}
            placed = [c for b in t.blocks for c in b]
            if sorted(placed) != sorted(known):
                raise DisclosureError(f"{where}：blocks 应恰好列出每个类一次")
