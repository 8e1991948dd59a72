"""What the window shows about one workbook, loaded off the UI thread in two steps: read() gives the sheets
as the file holds them and the Report (enough to paint the 表格 tab), checked() adds the check findings and
the generated 情况说明 (the slow part, run while the tables are already on screen). No Qt here."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import msgspec
from msgspec import field
from msgspec.structs import replace

from disclosure import files, workbook
from disclosure.acks import acknowledged, checked, open_findings
from disclosure.checks.engine import Finding, one_run
from disclosure.grid import Sheet, read_sheets
from disclosure.model import Report
from disclosure.narrative.render import Document, render
from disclosure.outputs import check_output


class Session(msgspec.Struct):
    path: Path
    sheets: dict[str, Sheet]
    report: Report
    findings: list[Finding] | None = None  # None: not checked yet (never shown as "no findings")
    narrative: Document | None = None
    by_cell: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> "Session":
        return cls.read(path).checked()

    @classmethod
    def read(cls, path: str | Path) -> "Session":
        """The file read once: its sheets and the Report built from them; not checked yet."""
        path = Path(path)
        sheets = read_sheets(path)
        return cls(path, {s.name: s for s in sheets}, workbook.from_sheets(sheets, path))

    def checked(self) -> "Session":
        """A new Session with the findings (and the acknowledgements of the workbook's _已确认 sheet) and the
        情况说明; this one stays as it is (the window may be showing it while this runs on another thread)."""
        if self.ready:
            return self
        with one_run(self.report):  # the text is rendered once, for N01/N02 and for the 情况说明 tab
            findings = checked(self.report)
            narrative = render(self.report)
        by_cell: dict[tuple[str, str], list[Finding]] = {}
        for f in findings:
            for ref in f.cells or ([f.cell] if f.cell else []):
                by_cell.setdefault((ref.sheet, ref.coord), []).append(f)
        return replace(self, findings=findings, narrative=narrative, by_cell=by_cell)

    @property
    def ready(self) -> bool:
        return self.findings is not None and self.narrative is not None

    def amount_cells(self) -> set[tuple[str, str]]:
        """Where the tables' amounts are (printed as #,##0.00), the 绩效 tables' figures too; not the lines of
        a count (辆, 台: RowSpec.unit, 内蒙古 表十一), which show as the whole numbers they are."""
        cells = {(v.cell.sheet, v.cell.coord) for t in self.report.tables.values() for r in t.rows
                 if r.key not in _count_keys(t) for v in r.values.values() if v.cell}
        for v in self.report.perf.values() if self.report.perf else []:
            cells.add((v.cell.sheet, v.cell.coord))
        return cells

    def count(self, severity: str) -> int:
        """Findings of that severity still open (not acknowledged)."""
        return len(open_findings(self.findings, severity))

    def acknowledged(self) -> int:
        return sum(map(acknowledged, self.findings))


def _count_keys(table) -> set[str]:
    return {rs.key for side in table.spec.sides for rs in side.rows if rs.unit}


def save_copy(source: Path, target: Path, changes: dict[str, object]) -> Path:
    """另存为: the workbook with the edits on screen written to `target`; `source` stays as it is. The edits
    go into a copy in a temporary folder first (update_inputs keeps a 备份 beside the file it writes,
    which beside `target` would be a copy of a file that never was there), then the copy is moved in."""
    source, target = Path(source), Path(target)
    roles = {source: "正在编辑的工作簿"}
    check_output(target, roles)  # before any work: not the workbook itself, a folder we may write in
    with tempfile.TemporaryDirectory(prefix="另存为-") as folder:
        copy = Path(folder) / source.name
        shutil.copyfile(source, copy)
        if changes:
            workbook.update_inputs(copy, changes)
        return files.atomic_write(target, lambda tmp: shutil.copyfile(copy, tmp), roles)
