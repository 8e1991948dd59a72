"""Which 表样 row a printed row of a fixed table (01, 04, 09) is: 行次 decide, labels are evidence.

- With a 行次: the row at that 行次, when the label agrees with it exactly (after normalize_label) or
  within the spec's label tolerance (then a 提示 names both spellings). Refused when the label is the
  exact name of another 行次 (a shifted row), or agrees with nothing (行次 and label both disagree).
- Without a 行次 (the export dropped the column): the label alone, exact names first; two rows printed
  alike (04's 一般公共预算财政拨款 at 行次 1 and 29) are taken in the 表样's order.
"""

from __future__ import annotations

import msgspec
from msgspec import field

from .errors import InputError
from .model import Value
from .notices import Notice
from .specs import LabelMatch, LabelRules, RowSpec, SideSpec, TableSpec, normalize_label


class Printed(msgspec.Struct):
    """One printed row of one side (a label wrapped over two rows already joined)."""

    row: int  # 0-based sheet row of the label
    label: str
    line: int | None
    values: dict[str, Value] = field(default_factory=dict)

    @property
    def has_values(self) -> bool:
        return any(v.amount != 0 for v in self.values.values())

    @property
    def bare(self) -> bool:
        """A label alone: no 行次, no amount (half of a wrapped label, or a stray heading)."""
        return self.line is None and not self.has_values


def join_wrapped(rows: list[Printed], side: SideSpec, rules: LabelRules) -> list[Printed]:
    """'二十二、灾害防治及应急管理支' + '出' on the next row is one label, when one of the halves carries
    neither 行次 nor amounts and the joined text names the line (the one at the 行次, if printed) while the
    half alone does not."""
    out: list[Printed] = []
    i = 0
    while i < len(rows):
        p = rows[i]
        q = rows[i + 1] if i + 1 < len(rows) else None
        if q is not None and p.label and q.label and (p.bare or q.bare):
            carrier, half = (q, p) if p.bare else (p, q)
            if _names_better(side, rules, carrier, half, p.label + q.label):
                out.append(Printed(carrier.row, p.label + q.label, carrier.line, carrier.values))
                i += 2
                continue
        out.append(p)
        i += 1
    return out


def _names_better(side: SideSpec, rules: LabelRules, carrier: Printed, half: Printed, joined: str) -> bool:
    """Whether the joined text names the line better than the carrier's own label (at its 行次, if printed);
    as well, when the other half alone is a fragment naming nothing."""
    def best(text: str) -> int:
        if any(rs.is_named(text) for rs in side.rows):  # the highest score: no need to try every likeness
            return 3
        return max(_score(rules, rs, text) for rs in side.rows)

    if carrier.line is not None:
        rs = side.by_line(carrier.line)
        if rs is None:
            return False
        whole, alone = _score(rules, rs, joined), _score(rules, rs, carrier.label)
    elif carrier.bare:  # two lines without amounts or 行次: join only into a real name
        return best(joined) >= 2 and max(best(half.label), best(carrier.label)) < 2
    else:
        whole, alone = best(joined), best(carrier.label)
    return whole > alone or whole == alone > 0 and best(half.label) == 0


def _score(rules: LabelRules, rs: RowSpec, text: str) -> int:
    """3: this layout's name of the line; 2: another year's; 1: a tolerated likeness; 0: none."""
    match = rules.match(rs, text)
    if match is None:
        return 0
    return 3 if match.exact else 2 if rs.matches(text) else 1


class SideReader(msgspec.Struct):
    """Resolves the printed rows of one side of table t, collecting 提示 for tolerated labels."""

    table: TableSpec
    side: SideSpec
    rules: LabelRules
    sheet: str
    file: object
    notices: list[Notice] | None

    def resolve(self, p: Printed, taken: set[str]) -> RowSpec | None:
        """The spec row of p; None for a bare label that names nothing (a heading without amounts)."""
        where = dict(file=self.file, sheet=self.sheet, row=p.row + 1)
        if p.line is not None:
            return self._by_line(p, where)
        if not normalize_label(p.label):
            raise InputError(f"{self.table.number}这一行有金额，但没有项目名称和行次", **where)
        # names (any year's) before likenesses; the likenesses are tried only when no line is so named
        named = [m for m in (self.rules.match(rs, p.label) for rs in self.side.rows if rs.matches(p.label)) if m]
        matches = named or [m for m in (self.rules.match(rs, p.label) for rs in self.side.rows) if m]
        pool = named or matches
        if not pool:
            if p.bare:
                return None
            raise InputError(f"{self.table.number}{self._side()}有表样中没有的项目“{p.label}”", **where)
        free = [m for m in pool if m.row.key not in taken] or pool[:1]  # all taken: reported as a duplicate
        # lines the 表样 itself names alike (04: 一般公共预算财政拨款 at 行次 1 and 29) are taken in its order
        if len({self.rules.core(m.row.label) for m in free}) > 1:
            names = "”“".join(m.row.label for m in free)
            raise InputError(f"{self.table.number}{self._side()}的“{p.label}”与表样中“{names}”都相近，"
                             "又没有行次，无法判断是哪一行", **where)
        self._note(p, free[0], "按名称导入")
        return free[0].row

    def _by_line(self, p: Printed, where: dict) -> RowSpec:
        t, line = self.table, p.line
        rs = self.side.by_line(line)
        if not normalize_label(p.label):
            if rs is None:
                raise InputError(f"{t.number}{self._side()}没有行次 {line}（表样行次见表样规格）", **where)
            return rs
        match = self.rules.match(rs, p.label) if rs is not None else None
        # a name of this very line (another year's included) stays with its 行次; only a looser likeness
        # loses to another line's exact name
        if match is None or not (match.exact or rs.matches(p.label)):
            other = next((m.row for m in (self.rules.match(x, p.label) for x in self.side.rows if x is not rs)
                          if m and m.exact), None)
            if other is not None:
                raise InputError(f"{t.number}行次 {line} 写作“{p.label}”，这是表样行次 {other.line}“{other.label}”"
                                 f"的名称，而{self._at_line(rs, line)}：行次与项目错开了，请核对导出文件"
                                 "（或用 --year 指定表样年度）", **where)
        if match is None:
            raise InputError(f"{t.number}行次 {line} 写作“{p.label}”，{self._at_line(rs, line)}，名称也不是表样中"
                             "其他行的名称（表样中没有的项目）：请核对项目名称或表样年度", **where)
        self._note(p, match, "按行次导入")
        return match.row

    def _note(self, p: Printed, match: LabelMatch, how: str) -> None:
        if match.exact or self.notices is None:
            return
        at = f" 行次 {p.line}" if p.line is not None else self._side()
        self.notices.append(Notice(
            f"{self.table.number}{at}：导出文件写作“{p.label}”，表样为“{match.row.label}”，{how}（{match.how}）",
            sheet=self.sheet, row=p.row + 1, table=self.table.id, printed=p.label, expected=match.row.label,
            side=self.side.name, key=match.row.key))

    def _at_line(self, rs: RowSpec | None, line: int) -> str:
        if rs is None:
            return f"表样{self._side()}没有行次 {line}"
        return f"表样行次 {line} 是空行" if rs.blank else f"表样行次 {line} 为“{rs.label}”"

    def _side(self) -> str:
        return f"“{self.side.name}”一侧" if len(self.table.sides) > 1 else ""
