"""Shared fixtures: parsed seeds, export files built from them, and a runner for the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from seedfixtures import SEED_001, SEED_004, parse_seed, write_export

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the panel's tests need no screen

SAMPLE = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"
SAMPLE_INPUTS = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-说明数据.yaml"


def set_cover_year(path: Path, year: int) -> Path:
    """The workbook's 封面 年度 changed (a “last year's” workbook made from this year's sample)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    ws = wb["封面"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "年度")
    ws.cell(cell.row, cell.column + 1).value = year
    wb.save(path)
    return path


def build_sample_book(path: Path, vba_from: Path | None = None) -> Path:
    """The bundled sample as ./dev demo builds it (tables imported, 说明数据 set). vba_from: an .xlsm
    whose VBA project the book gets (it is then saved as a macro-enabled workbook)."""
    import zipfile

    import yaml

    from disclosure import workbook
    from disclosure.importers.export import import_export
    from disclosure.inputs import flatten

    report = import_export(SAMPLE)
    wb = workbook.build(report.spec, report)
    if vba_from is not None:
        wb.vba_archive = zipfile.ZipFile(vba_from)
    workbook.save_atomic(wb, path)
    workbook.update_inputs(path, flatten(yaml.safe_load(SAMPLE_INPUTS.read_text(encoding="utf-8"))))
    path.with_name(f"{path.stem}.备份{path.suffix}").unlink()
    return path


@pytest.fixture(scope="session")
def seed001():
    return parse_seed(SEED_001)


@pytest.fixture(scope="session")
def seed004():
    return parse_seed(SEED_004)


@pytest.fixture(scope="session")
def export004(seed004, tmp_path_factory) -> Path:
    """Seed 004's tables as a plain 部门决算软件-style export (numeric cells)."""
    return write_export(seed004, tmp_path_factory.mktemp("exports") / "子洲县-2024-导出.xlsx")


@pytest.fixture(scope="session")
def export001(seed001, tmp_path_factory) -> Path:
    return write_export(seed001, tmp_path_factory.mktemp("exports") / "咸阳市-2023-导出.xlsx")


@pytest.fixture(scope="session")
def _book004(export004, tmp_path_factory) -> Path:
    from disclosure import workbook
    from disclosure.importers.export import import_export

    report = import_export(export004)
    return workbook.save_atomic(workbook.build(report.spec, report), tmp_path_factory.mktemp("books") / "b.xlsx")


@pytest.fixture
def book004(_book004, tmp_path) -> Path:
    """A fresh copy of seed 004 imported into a template workbook (empty 说明数据), for a test to change."""
    path = tmp_path / "b.xlsx"
    shutil.copy(_book004, path)
    return path


# 说明数据 taken from each seed's own published text (slips included); the bundled sample is 004's, corrected
SEED_INPUTS = {"001": ROOT / "tests" / "fixtures" / "inputs" / "001.yaml",
               "004": ROOT / "tests" / "fixtures" / "inputs" / "004.yaml"}


@pytest.fixture(scope="session")
def seed_books(export001, export004, tmp_path_factory) -> dict[str, Path]:
    """Seeds 001 and 004 as filled workbooks: tables imported, 说明数据 set from their published text.
    Shared by several tests: read them, never change them."""
    import yaml

    from disclosure import workbook
    from disclosure.importers.export import import_export
    from disclosure.inputs import flatten

    books = {}
    for name, export in (("001", export001), ("004", export004)):
        report = import_export(export)
        path = workbook.save_atomic(workbook.build(report.spec, report), tmp_path_factory.mktemp(name) / "b.xlsx")
        workbook.update_inputs(path, flatten(yaml.safe_load(SEED_INPUTS[name].read_text(encoding="utf-8"))))
        books[name] = path
    return books


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path, cwd: Path | None = None, python: bool = False) -> Result:
    """Run `python -m disclosure …` (or, with python=True, `python …`) as the officer would: a real
    process, real exit code."""
    prefix = [sys.executable] if python else [sys.executable, "-m", "disclosure"]
    proc = subprocess.run([*prefix, *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd or ROOT, timeout=120)
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="module")
def cli_module():
    return run_cli
