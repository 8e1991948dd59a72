"""The disclosure package: Word, PDF, print-ready tables, check report and manifest (package.py)."""

from .package import STAGES, ExportRefused, ExportResult, export_package

__all__ = ["STAGES", "ExportRefused", "ExportResult", "export_package"]
