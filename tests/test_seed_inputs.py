"""The 说明数据 fixtures of seeds 001 and 004 hold exactly the figures their published text states."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from conftest import SEED_INPUTS
from disclosure import workbook
from disclosure.inputs import flatten
from seed_inputs import extract
from seedfixtures import SEED_001, SEED_004


@pytest.mark.parametrize("seed,path", [("001", SEED_001), ("004", SEED_004)])
def test_fixture_figures_come_from_the_published_text(seed, path, seed_books):
    report = workbook.read(seed_books[seed])
    found = extract(path.read_text(encoding="utf-8"), report)
    fixture = flatten(yaml.safe_load(SEED_INPUTS[seed].read_text(encoding="utf-8")))
    numbers = {k: (Decimal(str(v)) if not isinstance(v, int) else v) for k, v in fixture.items()
               if isinstance(v, (int, float, str)) and str(v).replace(".", "").replace(",", "").isdigit()
               and not k.startswith("国有资产")}  # 十二 states its counts in words (“无…”, “0辆”)
    assert {k: Decimal(str(v)) for k, v in found.items()} == {k: Decimal(str(v)) for k, v in numbers.items()}
