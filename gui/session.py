"""What the window shows about one workbook, loaded in one go off the UI thread: the sheets as the
file holds them, the Report, the check findings and the generated 情况说明. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from disclosure import workbook
from disclosure.acks import acknowledged, checked, open_findings
from disclosure.checks.engine import Finding
from disclosure.grid import Sheet, read_sheets
from disclosure.model import Report
from disclosure.narrative.render import Document, render


@dataclass
class Session:
    path: Path
    sheets: dict[str, Sheet]
    report: Report
    findings: list[Finding]
    narrative: Document
    by_cell: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> "Session":
        path = Path(path)
        sheets = read_sheets(path)
        report = workbook.from_sheets(sheets, path)
        findings = checked(report)  # with the acknowledgements of the workbook's _已确认 sheet
        session = cls(path, {s.name: s for s in sheets}, report, findings, render(report))
        for f in findings:
            for ref in f.cells or ([f.cell] if f.cell else []):
                session.by_cell.setdefault((ref.sheet, ref.coord), []).append(f)
        return session

    def amount_cells(self) -> set[tuple[str, str]]:
        """Where the tables' amounts are (printed as #,##0.00)."""
        return {(v.cell.sheet, v.cell.coord) for t in self.report.tables.values() for r in t.rows
                for v in r.values.values() if v.cell}

    def count(self, severity: str) -> int:
        """Findings of that severity still open (not acknowledged)."""
        return len(open_findings(self.findings, severity))

    def acknowledged(self) -> int:
        return sum(map(acknowledged, self.findings))
