"""Checks: recalculate every total and cross-table relation (勾稽关系) and point at the cell."""

from .engine import ERROR, INFO, RULES, WARNING, Finding, Rule, run

__all__ = ["ERROR", "INFO", "RULES", "WARNING", "Finding", "Rule", "run"]
