"""Pairing published sentences with the generator's (lint/pairing.py) is an exhaustive search made fast: the
indexed, bounded search must choose exactly what the plain search — every reference scored with difflib —
chooses, on long generated texts, texts linted against another unit's workbook, and random reports. And it
must stay fast: difflib compares a handful of references per sentence, not all of them."""

from __future__ import annotations

import random
import re
from collections import Counter
from decimal import Decimal
from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_sample_book
from disclosure import workbook
from disclosure.lint import _claims, lint, pairing
from disclosure.lint.pairing import (NEXT_SENTENCE, OTHER_SECTION_AGREEMENT, PAIRING_THRESHOLD, SAME_SECTION,
                                     Pairer, _Characters, mask, references)
from disclosure.lint.text import read_document
from disclosure.narrative.render import render
from lintvariants import long_narrative, pdf_copied
from test_narrative_property import reports_with_inputs

FREE_TEXT = ("十三", "十四")
FLIP = {"增加": "减少", "减少": "增加", "大于": "小于", "小于": "大于"}


def exhaustive_pair(refs, text: str, section: str, claims: list[Decimal], after: int):
    """The pairing as specified: every reference scored (difflib likeness of the masked texts + the share of
    figures it prints + the section and next-sentence bonuses), the best — the earliest of equals — if it
    reaches the threshold."""
    masked = mask(text)
    best, score = None, 0.0
    for ref in refs:
        if ref.size == 2 and ref.order == after >= 0:
            continue
        agree = sum(1 for c in claims if ref.agrees(c)) / len(claims) if claims else 0
        agree *= 1 if ref.section == section else OTHER_SECTION_AGREEMENT
        r = (SequenceMatcher(None, masked, ref.masked, autojunk=False).ratio() + agree
             + (SAME_SECTION if ref.section == section else 0) + (NEXT_SENTENCE if ref.order == after + 1 else 0))
        if r > score:
            best, score = ref, r
    return best if score >= PAIRING_THRESHOLD else None


def assert_pairs_as_exhaustive(text: str, report, rng: random.Random) -> int:
    """Every sentence of 一–十二, after the sentence lint would have paired before it and after a random one."""
    refs = references(render(report))
    pairer = Pairer(refs)
    last, checked = -1, 0
    for s in read_document(text).sentences:
        if s.section in FREE_TEXT:
            continue
        claims = [c for c in _claims(s.text) if c not in (0, 100)]
        for after in (rng.randint(-1, refs[-1].order + 1), last) if checked % 3 == 0 else (last,):
            want = exhaustive_pair(refs, s.text, s.section, claims, after)
            got = pairer.pair(s.text, s.section, claims, after)
            assert got is want, (s.section, s.text, after, want and want.text, got and got.text)
        checked += 1
        if want is not None:  # the pairing after `last`, tried last
            last = want.order + want.text.count("。") - 1
    return checked


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return workbook.read(build_sample_book(tmp_path_factory.mktemp("pairing") / "样例.xlsx"))


@pytest.mark.parametrize("seed,form", [(1, "as printed"), (2, "pdf-copied"), (3, "on seed 001's workbook")])
def test_pairing_is_the_exhaustive_search(sample, seed_books, seed, form):
    text = long_narrative(sample, 220, seed=seed)
    report = sample
    if form == "pdf-copied":
        text = pdf_copied(text, seed=seed)
    elif form == "on seed 001's workbook":  # another unit's figures: hardly any agree, the search goes wide
        report = workbook.read(seed_books["001"])
    assert assert_pairs_as_exhaustive(text, report, random.Random(seed)) > 50


@settings(max_examples=6, deadline=None)
@given(report=reports_with_inputs(), seed=st.integers(0, 10_000))
def test_pairing_is_the_exhaustive_search_on_random_reports(report, seed):
    """The generator's own text for a random report, with some figures changed and some words flipped."""
    rng = random.Random(seed)
    text = render(report).text()
    spots = list(re.finditer(r"(?<![\d.,])\d[\d,]*\.\d\d(?=万元|%)|增加|减少|大于|小于", text))
    for m in sorted(rng.sample(spots, min(4, len(spots))), key=lambda m: -m.start()):  # from the end: spots stay
        new = FLIP.get(m.group(0)) or f"{Decimal(m.group(0).replace(',', '')) + rng.randint(1, 999) / Decimal(100)}"
        text = text[:m.start()] + new + text[m.end():]
    assert_pairs_as_exhaustive(text, report, rng)


def test_long_text_is_paired_with_few_difflib_comparisons(sample, monkeypatch):
    """On a 1,700-line 第二部分 the plain search compares every sentence with every reference (645 × 112 here);
    the bounded one compares fewer than one reference per sentence, and every wrong figure is still found."""
    made = []
    monkeypatch.setattr(pairing.Pairer, "__init__", lambda self, refs, _init=Pairer.__init__: (
        _init(self, refs), made.append(self))[0])
    slips: list = []
    text = long_narrative(sample, 1700, seed=0, slips=slips)
    findings = lint(text, sample)
    sentences = [s for s in read_document(text).sentences if s.section not in FREE_TEXT]
    assert len(text[text.index("第二部分"):].splitlines()) >= 1700 and len(sentences) > 500
    assert len(made[0].likeness) < len(sentences) / 2
    assert len(slips) == 5
    for section, wrong, right in slips:  # each is an L01 that gives the figure the tables hold
        hit = [f for f in findings if f.rule == "L01" and f.section == section
               and f.says == f"{Decimal(wrong.replace(',', ''))}万元"]
        assert hit and f"应为 {Decimal(right.replace(',', '')):,.2f}万元" in hit[0].should, (section, wrong)


@pytest.mark.parametrize("longest", [40, 70_000])  # fields of 2 bytes; of 8 once a reference is too long for 2
def test_characters_in_common_are_counted_for_every_reference_at_once(longest):
    rng = random.Random(longest)
    alphabet = "支出决算年初预算#万元，。的增加减少"
    refs = ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(30)] + ["算" * longest]
    characters = _Characters(refs)
    for _ in range(50):
        text = "".join(rng.choices(alphabet + "xyz", k=rng.randint(1, 60)))
        assert list(characters.common(text)) == [sum((Counter(text) & Counter(r)).values()) for r in refs]
