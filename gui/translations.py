"""Qt's own words in Chinese: the buttons of message boxes (确定、取消、保存、显示详情…), the file dialogs
(文件名称、打开), the right-click menus of text boxes. PySide6 ships Qt's catalogue (qtbase_zh_CN.qm);
the few words it lacks that an officer sees (the file dialog's "Look in:" and "Files of type:") are
filled in here. Install once, before the first dialog: `install(app)`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

# qt_zh_CN.qm only lists the module catalogues (qtbase, qtmultimedia …) and does not load without all of
# them; qtbase_zh_CN.qm is the one holding QtWidgets' words.
CATALOGUES = ("qtbase_zh_CN",)
MISSING = {  # (context, source) → Chinese, for the strings qtbase_zh_CN.qm has no translation of
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "Unknown"): "未知",
}


class _FillIn(QTranslator):
    """Asked only after the real catalogue had no answer (translators are asked newest first)."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return MISSING.get((context, source), "")

    def isEmpty(self) -> bool:
        return False


def folders() -> list[Path]:
    """Where Qt's .qm files are: Qt's own idea, then beside the PySide6 package (the frozen app)."""
    import PySide6

    return [Path(QLibraryInfo.path(QLibraryInfo.TranslationsPath)),
            Path(PySide6.__file__).parent / "Qt" / "translations"]


def install(app: QCoreApplication | None = None) -> list[str]:
    """Load the Chinese catalogues into the application (once); returns the files loaded."""
    app = app or QCoreApplication.instance()
    if app is None:
        return []
    kept = getattr(app, "_disclosure_translators", None)
    if kept is not None:  # already installed on this application
        return [t.filePath() for t in kept if t.filePath()]
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))  # dates in file dialogs as 2025/8/20, not "20 8 2025"
    kept = [_FillIn(app)]
    app.installTranslator(kept[0])
    for name in CATALOGUES:
        for folder in folders():
            translator = QTranslator(app)
            if translator.load(name, str(folder)):
                app.installTranslator(translator)
                kept.append(translator)
                break
    app._disclosure_translators = kept  # Qt does not own them: keep them alive with the application
    return [t.filePath() for t in kept if t.filePath()]
