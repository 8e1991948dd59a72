"""帮助: the user guide shown inside the window (Markdown rendered by Qt, its file given as a link) and the
list of shortcuts, made from the window's own actions so that it always says what the keys do."""

from __future__ import annotations

import html
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout

ROOT = Path(__file__).resolve().parent.parent
GUIDE_NAMES = ("桌面程序.md", "安装与使用.md")


def guide_path() -> Path | None:
    """The desktop guide: beside the frozen program (build.spec copies it there) or in docs/ of a checkout."""
    folders = [Path(getattr(sys, "_MEIPASS", ROOT)), ROOT / "docs"]
    return next((f / n for n in GUIDE_NAMES for f in folders if (f / n).is_file()), None)


class GuideDialog(QDialog):
    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.resize(820, 640)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setMarkdown(path.read_text(encoding="utf-8"))
        layout.addWidget(self.text)
        self.link = QLabel(f'文件：<a href="{QUrl.fromLocalFile(str(path)).toString()}">{html.escape(str(path))}</a>')
        self.link.setOpenExternalLinks(True)
        layout.addWidget(self.link)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)


def shortcuts(actions) -> list[tuple[str, str]]:
    """(keys, what) for every action that has a shortcut, in menu order."""
    return [(a.shortcut().toString(QKeySequence.NativeText), a.text().rstrip("…"))
            for a in actions if not a.shortcut().isEmpty()]


def shortcuts_html(actions) -> str:
    rows = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>　{html.escape(w)}</td></tr>"
                   for k, w in shortcuts(actions))
    return (f"<table>{rows}</table><p>在“说明数据/原因”中：双击或 F2 编辑，Esc 放弃正在输入的内容，"
            "Ctrl+Z 撤销已输入的值。</p>")
