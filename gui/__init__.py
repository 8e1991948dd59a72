"""PySide6 desktop window. Filled in by the GUI issue."""
