"""Shares and comparisons some regions' texts state (上海: each part's share of its total …), as Facts with
provenance for the section templates. (Filled in by the regions issue.)"""

from __future__ import annotations


def build(m, ctx: dict) -> dict:
    """Context keys to add to the section model."""
    return {}
