"""The Excel-side files, generated here without Excel (run: ./dev templates):

- addin/jsgk.xlam: xlwings' own ribbon add-in template (quickstart_addin_ribbon.xlam, shipped inside
  the xlwings package) with our customUI: a tab 决算公开 whose button runs the template's VBA
  RibbonMyAddin.RunMain — `RunPython "import jsgk; jsgk.main()"` (the module is named after the add-in
  file), which opens the 助手 panel. The VBA project is xlwings' own, byte for byte: we never write VBA.
- templates/workbooks/决算公开模板.xlsm: the template workbook as a macro-enabled file, with an
  xlwings.conf sheet (read by RunPython from sheet buttons through the xlwings add-in).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl.styles import Font

from disclosure import specs, workbook

XLAM_NAME = "jsgk.xlam"
ADDIN_MODULE = "jsgk"  # RunMain imports the add-in's file name without extension
CUSTOM_UI = "customUI/customUI.xml"
RIBBON = """<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">
    <ribbon>
        <tabs>
            <tab id="jsgkTab" label="决算公开">
                <group id="jsgkGroup" label="部门决算公开助手">
                    <button id="jsgkPanel" label="助手" size="large" onAction="RibbonMyAddin.RunMain"
                            imageMso="TableOfContentsGallery"
                            screentip="打开决算公开助手"
                            supertip="导入、校验、生成情况说明、导出公开包、清除标记。"/>
                </group>
            </tab>
        </tabs>
    </ribbon>
</customUI>
"""
# xlwings.conf: key in column A, value in column B; an empty value falls back to the add-in's settings
CONF_SHEET = "xlwings.conf"
CONF_ROWS = [("Interpreter_Win", ""), ("Interpreter_Mac", ""), ("PYTHONPATH", ""), ("UDF Modules", "addin.udfs"),
             ("Show Console", "False")]
CONF_NOTE = ("Interpreter_Win：python.exe 或 pythonw.exe 的完整路径（留空则用加载项设置）；"
             "UDF Modules：addin.udfs 提供 JSGK_CHANGE 等公式。见 docs/Excel加载项.md。")


def xlwings_file(name: str) -> Path:
    import xlwings

    return Path(xlwings.__file__).resolve().parent / name


def build_addin(target: Path) -> Path:
    """jsgk.xlam from xlwings' ribbon add-in template: every part copied as is but the ribbon."""
    source = xlwings_file("quickstart_addin_ribbon.xlam")
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = RIBBON.encode("utf-8") if item.filename == CUSTOM_UI else src.read(item.filename)
            dst.writestr(item, data)
    target.write_bytes(buffer.getvalue())
    return target


def _macro_enabled_stub() -> zipfile.ZipFile:
    """A package with no VBA in it: given to openpyxl as the 'VBA archive' it makes the saved file a
    macro-enabled workbook (the content type Excel checks against the .xlsm extension)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def build_macro_template(target: Path, layout: str | None = None) -> Path:
    spec = specs.load(layout or specs.available_layouts()[-1])
    wb = workbook.build(spec)
    conf = wb.create_sheet(CONF_SHEET)
    for r, (key, value) in enumerate(CONF_ROWS, start=1):
        conf.cell(r, 1, key)
        conf.cell(r, 2, value or None)
    conf.cell(len(CONF_ROWS) + 2, 1, CONF_NOTE).font = Font(color="808080")
    conf.column_dimensions["A"].width = 18
    conf.column_dimensions["B"].width = 60
    wb.vba_archive = _macro_enabled_stub()
    return workbook.save_atomic(wb, target)
