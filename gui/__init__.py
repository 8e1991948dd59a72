"""PySide6 front ends over the same core: the desktop window (app.py, window.py, tabs.py, batch.py)
and the small 助手 panel the Excel add-in opens (panel.py)."""
