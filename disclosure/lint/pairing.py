"""Pairing each published sentence with the sentence the generator writes that says the same thing.

The score of a generated sentence (a reference) for a published one is the sum of
- its word likeness: difflib's ratio of the two texts with numbers masked (the costly part);
- the share of the sentence's figures the reference prints ("agree"): so each 项 pairs with its own 项;
- 0.1 when both stand in the same section, and 0.05 when the reference follows the last one paired.
The best score wins (a tie goes to the earlier reference) if it reaches PAIRING_THRESHOLD.

That is an exhaustive search; here it is computed exactly but without trying every reference: the references
are indexed by the numbers they print (a claim finds the few that agree with it), and an upper bound of every
reference's score — difflib's quick_ratio (characters in common, whatever their order) plus the bonuses — is
computed for all references at once (_Characters; pure Python: numpy would cost more to import than lint
takes). Only references whose bound can still beat the best so far are compared with difflib, best bound
first; each word likeness is computed once per masked text, since many sentences are the same once their
numbers are masked. tests/test_lint_pairing.py keeps the exhaustive search and compares.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher
from functools import cached_property

import msgspec

from ..narrative.facts import Fact
from ..narrative.render import Document

PAIRING_THRESHOLD = 0.45
SAME_SECTION, NEXT_SENTENCE = 0.1, 0.05  # bonuses: the same section; right after the last one paired
OTHER_SECTION_AGREEMENT = 0.5  # the weight of figures in common with a sentence of another section
_SLACK = 1e-9  # scores are float sums: "cannot beat" leaves this much room
_NUMBER = re.compile(r"\d[\d,.]*")
_SPACE = re.compile(r"\s+")
_PLACEHOLDER = re.compile(r"【待填写：[^】]*】")
_SENTENCE_END = re.compile(r"(?<=。)")
_PLACES = {places: Decimal(1).scaleb(-places) for places in (0, 1, 2)}


class Percent(Decimal):
    """A claim printed with “%”: it agrees with a percentage of ours only, never with an amount (“3%” is not the
    3.1 万元 of another section's sentence)."""


def _keys(claim: Decimal, places: int) -> tuple[bool, int]:
    return isinstance(claim, Percent), places


def mask(text: str) -> str:
    """The words of a sentence: whitespace out, each number as "#"."""
    return _NUMBER.sub("#", _SPACE.sub("", text))


class Reference(msgspec.Struct, dict=True):
    """A sentence the generator writes, with the facts printed in it."""

    section: str
    text: str
    facts: list[tuple[str, Fact]]  # (printed text, fact)
    order: int = 0  # position of its (first) sentence in the generated text
    size: int = 1  # how many generated sentences: 2 for two offered as one

    @cached_property
    def masked(self) -> str:
        return mask(_PLACEHOLDER.sub("", self.text))  # a placeholder is not wording

    @cached_property
    def printed(self) -> dict[tuple[bool, int], set[Decimal]]:
        """Each fact's value as printed with 0, 1 or 2 decimals, percentages apart: a claim agrees when its own
        form is here."""
        return {(pct, places): {f.value.quantize(unit, rounding=ROUND_HALF_UP) for _, f in self.facts
                                if f.value is not None and (f.kind == "percent") == pct}
                for pct in (False, True) for places, unit in _PLACES.items()}

    def agrees(self, claim: Decimal) -> bool:
        key = _keys(claim, max(0, -claim.as_tuple().exponent))  # type: ignore[operator]
        if key in self.printed:
            return claim in self.printed[key]
        return any(same(claim, f.value) for _, f in self.facts if (f.kind == "percent") == key[0])

    @cached_property
    def matcher(self) -> SequenceMatcher:
        """difflib indexes its second sequence: one matcher per reference, reused for every sentence."""
        m = SequenceMatcher(None, autojunk=False)
        m.set_seq2(self.masked)
        return m


def same(claim: Decimal, value: Decimal) -> bool:
    """A printed number equals a fact when the fact, rounded to the printed decimals, gives it."""
    places = -claim.as_tuple().exponent if claim.as_tuple().exponent < 0 else 0  # type: ignore[operator]
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == claim


def references(doc: Document) -> list[Reference]:
    """The generated 第二部分 as sentences, each with the facts it prints (in order), and each two adjacent
    sentences of a section as one more: an officer often writes two of ours as one."""
    refs: list[Reference] = []
    count = 0  # singles so far, for each sentence's position in the generated text
    uses: dict[str, list] = {}
    for u in doc.uses:
        uses.setdefault(u.section, []).append(u)
    # every part after 第一部分 (the 概况, the officer's own words): the 决算's 第二部分, the 预算's 第二、三部分
    for sec in [s for part in (doc.parts[1:] or doc.parts[-1:]) for s in part.sections]:
        body = "".join(sec.paragraphs)
        pieces = [p for p in _SENTENCE_END.split(body) if p.strip()]
        pos, starts = 0, []
        for p in pieces:
            starts.append(pos)
            pos += len(p)
        cursor = 0
        assigned: list[list[tuple[str, Fact]]] = [[] for _ in pieces]
        for u in uses.get(sec.id, []):
            # a whole number as a style prints it ("20", "0") is not the "20" of "2023年度", nor the "1" of a
            # list number "1.因公出国（境）费…"
            found = re.compile(rf"(?<![\d.,]){re.escape(u.text)}(?!\.?\d)(?![.．、])").search(body, cursor)
            if found is None:
                continue
            at = found.start()
            cursor = at + len(u.text)
            idx = max(i for i, s in enumerate(starts) if s <= at)
            assigned[idx].append((u.text, u.fact))
        singles = [Reference(sec.id, p.strip(), a, count + i) for i, (p, a) in enumerate(zip(pieces, assigned))]
        count += len(singles)
        pairs = [Reference(sec.id, a.text + b.text, a.facts + b.facts, a.order, 2)
                 for a, b in zip(singles, singles[1:])]
        refs += singles + pairs
    return refs


class Pairer:
    """The references of one generated text, indexed for pairing many sentences with them."""

    def __init__(self, refs: list[Reference]):
        self.refs = refs
        self.characters = _Characters([r.masked for r in refs])
        self.lengths = [len(r.masked) for r in refs]
        self.by_number: dict[tuple[bool, int], dict[Decimal, list[int]]] = {
            (pct, p): {} for pct in (False, True) for p in _PLACES}
        self.by_order: dict[int, list[int]] = {}
        self.pairs_from: dict[int, list[int]] = {}  # order → the two-sentence references starting there
        for i, r in enumerate(refs):
            for places, values in r.printed.items():
                for v in values:
                    self.by_number[places].setdefault(v, []).append(i)
            self.by_order.setdefault(r.order, []).append(i)
            if r.size == 2:
                self.pairs_from.setdefault(r.order, []).append(i)
        self.likeness: dict[tuple[str, int], float] = {}  # (masked sentence, reference) → difflib ratio
        self.bounds: dict[tuple[str, str], list[float]] = {}  # (masked sentence, section) → _bounds()
        self.bonus = {sid: [SAME_SECTION if r.section == sid else 0.0 for r in refs]  # section → bonus of each
                      for sid in {r.section for r in refs}}

    def pair(self, text: str, section: str, claims: list[Decimal], after: int = -1) -> Reference | None:
        """The reference this sentence says the same thing as, or None. claims: its figures, 0 and 100 left
        out. after: the order of the last generated sentence paired with the sentence before."""
        masked = mask(text)
        agree = self._agreement(claims)
        position = {i: NEXT_SENTENCE for i in self.by_order.get(after + 1, ())}
        bound = list(self._bounds(masked, section))
        for i, a in agree.items():
            bound[i] += a
        for i, p in position.items():
            bound[i] += p
        if after >= 0:  # two sentences whose first was just paired with the sentence before: not this one's
            for i in self.pairs_from.get(after, ()):
                bound[i] = -1.0
        low = PAIRING_THRESHOLD - _SLACK
        order = sorted((-b, i) for i, b in enumerate(bound) if b >= low)  # best bound first, then the earlier
        best = _Best(self.refs, masked, section, agree, position, self.likeness)
        best.search((-b, i) for b, i in order)
        return best.ref if best.score >= PAIRING_THRESHOLD else None

    def refs_at(self, order: int) -> list[Reference]:
        """The references starting at the given generated sentence (itself, and it with the next)."""
        return [self.refs[i] for i in self.by_order.get(order, ())]

    def _agreement(self, claims: list[Decimal]) -> dict[int, float]:
        """For each reference that prints one of the claims: the share of the claims it prints."""
        if not claims:
            return {}
        hits: dict[int, int] = {}
        for c in claims:
            key = _keys(c, max(0, -c.as_tuple().exponent))  # type: ignore[operator]
            if key in self.by_number:
                found = self.by_number[key].get(c, ())
            else:
                found = [i for i, r in enumerate(self.refs) if r.agrees(c)]
            for i in found:
                hits[i] = hits.get(i, 0) + 1
        return {i: n / len(claims) for i, n in hits.items()}

    def _bounds(self, masked: str, section: str) -> list[float]:
        """For every reference: difflib's quick_ratio with the sentence (characters in common ÷ both lengths)
        plus the same-section bonus. Many sentences are alike once their numbers are masked: kept."""
        key = (masked, section)
        found = self.bounds.get(key)
        if found is None:
            size = len(masked)
            bonus = self.bonus.get(section) or [0.0] * len(self.refs)
            found = self.bounds[key] = [2.0 * common / (size + length) + extra for common, length, extra
                                        in zip(self.characters.common(masked), self.lengths, bonus)]
        return found


class _Characters:
    """How many characters a text has in common with each reference, whatever their order (difflib's
    quick_ratio counts the same), for all references at once.

    For a character and a count n, one integer holds min(n, the character's count in reference i) in its
    field i (2 bytes each; 8 if a reference is longer than 65,535 characters): adding the integers of a text's
    characters adds those counts for every reference in one operation, and no field overflows into the next,
    as none can exceed its reference's length. A Python loop over the references would be many times slower,
    and numpy costs more to import than lint takes."""

    def __init__(self, texts: list[str]):
        self.size = len(texts)
        self.code = "H" if max(map(len, texts), default=0) < 1 << 16 else "Q"  # 2 bytes a field, else 8
        self.per_reference: dict[str, list[tuple[int, int]]] = {}  # character → (reference, count) where it is
        for i, text in enumerate(texts):
            for ch, n in Counter(text).items():
                self.per_reference.setdefault(ch, []).append((i, n))
        self.packed: dict[tuple[str, int], int] = {}
        self.bytes = self.size * array(self.code).itemsize

    def common(self, text: str) -> array:
        """For each reference, how many of the text's characters it has (each at most as often as it has it)."""
        total = 0
        for ch, n in Counter(text).items():
            if ch in self.per_reference:
                total += self._packed(ch, n)
        return array(self.code, total.to_bytes(self.bytes, sys.byteorder))

    def _packed(self, ch: str, n: int) -> int:
        key = (ch, n)
        found = self.packed.get(key)
        if found is None:
            fields = array(self.code, bytes(self.bytes))
            for i, count in self.per_reference[ch]:
                fields[i] = min(n, count)
            found = self.packed[key] = int.from_bytes(fields.tobytes(), sys.byteorder)
        return found


class _Best:
    """The best reference so far for one sentence, while references are tried best bound first."""

    def __init__(self, refs: list[Reference], masked: str, section: str, agree: dict[int, float],
                 position: dict[int, float], likeness: dict[tuple[str, int], float]):
        self.refs, self.masked, self.section = refs, masked, section
        self.agree, self.position, self.likeness = agree, position, likeness
        self.ref: Reference | None = None
        self.score, self.first = 0.0, len(refs)

    def bound(self, i: int, quick: float) -> float:
        same = self.refs[i].section == self.section
        # figures in common count half from another section: a sentence whose words are all but the same as one
        # of its own section's (收入总计、支出总计均为0.01万元 / 均为0万元) is that one, whatever figure of a
        # sentence elsewhere its changed number happens to equal
        agree = self.agree.get(i, 0) * (1 if same else OTHER_SECTION_AGREEMENT)
        return quick + agree + (SAME_SECTION if same else 0) + self.position.get(i, 0)

    def search(self, bounds) -> None:
        """Try (bound, index) pairs, highest bound first, until none can beat the best score."""
        for bound, i in bounds:
            if bound < max(self.score, PAIRING_THRESHOLD) - _SLACK:
                break
            key = (self.masked, i)
            likeness = self.likeness.get(key)
            if likeness is None:
                matcher = self.refs[i].matcher
                matcher.set_seq1(self.masked)
                likeness = self.likeness[key] = matcher.ratio()
            r = self.bound(i, likeness)  # summed in the order ties were always compared in
            if r > self.score or (r == self.score and i < self.first):  # a tie goes to the earlier reference
                self.ref, self.score, self.first = self.refs[i], r, i
