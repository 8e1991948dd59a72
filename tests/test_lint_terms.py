"""L20: a fixed term with a character left out or two neighbours swapped ("一般共预算"), in any published text,
and never a real word of the disclosure."""

from __future__ import annotations

import pytest

from disclosure.lint import wording
from disclosure.lint.text import Document, Sentence
from seed002 import SEED_002


def _findings(*sentences: str) -> list:
    doc = Document(text="", head="", parts={}, narrative="", sections=[], expected=[],
                   sentences=[Sentence("五", s) for s in sentences])
    return list(wording.misspelt_terms(wording.Context(doc, None, [])))


@pytest.mark.parametrize("term", wording.TERMS)
def test_every_slip_of_every_term_is_caught_and_the_term_itself_is_not(term):
    assert _findings(f"本部门当年{term}安排100万元。") == []
    slips = wording._slips(term)
    assert slips or len(term) <= 4
    for slip in slips:
        found = _findings(f"本部门当年{slip}安排100万元。")
        assert [(f.rule, f.severity, f.says, f.should) for f in found] == [("L20", "警告", f"“{slip}”", f"应为“{term}”")]


def test_real_phrases_are_not_slips():
    text = ("公务用车购置及运行维护费、履职专项业务费、政府性基金拨款收入、国有资本经营预算拨款、一般公共预算财政拨款基本支出、"
            "因公出国（境）费用、机关运行经费预算、部门决算公开、上年结转结余、年初预算数、绩效目标表。")
    assert _findings(text) == []


def test_the_seeds_slip_is_found_in_its_text():
    text = SEED_002.read_text(encoding="utf-8")
    assert [m.group(0) for m in wording._SLIP.finditer(text)] == ["一般共预算"]
