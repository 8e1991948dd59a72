"""The bundled sample and the seed copies stay true to the published documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure.importers.export import import_export
from seedfixtures import SEEDS, canonical, expected

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLE = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"


@pytest.mark.parametrize("path", [SAMPLE, ROOT / "tests" / "fixtures" / "子洲县医疗保障局-2024-导出.xls"],
                         ids=["xlsx", "xls"])
def test_bundled_sample_holds_seed_004(path, seed004):
    """The .xls is the sample saved by LibreOffice as Excel 97–2003 (BIFF8), as 久其 exports often are."""
    report = import_export(path)
    assert (report.unit_name, report.year, report.layout) == ("子洲县医疗保障局", 2024, "2024")
    assert canonical(report) == expected(seed004)


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is only beside a development checkout")
@pytest.mark.parametrize("copy", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_copies_match_shared(copy):
    assert copy.read_bytes() == (SHARED_SEEDS / copy.name).read_bytes()
