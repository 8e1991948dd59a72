"""The Excel-side files, checked without Excel: the add-in jsgk.xlam (zip + olevba: the ribbon is valid,
each button's onAction is a VBA procedure that exists, each RunPython names Python that exists), the
macro-enabled template, and the RunPython calls the docs tell officers to put behind sheet buttons."""

from __future__ import annotations

import importlib
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser
from openpyxl import load_workbook

from addin import excelfiles, macros
from disclosure import specs
from test_workbook import fingerprint

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from build_templates import ADDIN, BUDGET_MACRO_TEMPLATE, MACRO_TEMPLATE  # noqa: E402

CUSTOM_UI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"


def _vba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _procedures(code: str) -> set[str]:
    return set(re.findall(r"^\s*(?:Public |Private )?(?:Sub|Function) (\w+)", code, re.MULTILINE))


def _run_python_commands(code: str, file_name: str) -> list[str]:
    """Every RunPython argument of the code, with the add-in's module-name idiom
    (Left(ThisWorkbook.Name, …) → the file name without extension) worked out."""
    stem = Path(file_name).stem
    out = []
    for expr in re.findall(r'^\s*RunPython\s+(?!=)(.+)$', code, re.MULTILINE):  # a call, not 'RunPython = …'
        if "mymodule" in expr:
            assert re.search(r"mymodule = Left\(ThisWorkbook\.Name", code), "unexpected module-name idiom"
        parts = [p.strip() for p in expr.split("&")]
        out.append("".join(stem if p == "mymodule" else p.strip('"') for p in parts))
    return out


def _assert_python_exists(command: str) -> None:
    """'import jsgk;jsgk.main()' / 'import addin.macros as m; m.check()': the module imports and has it."""
    match = re.fullmatch(r"\s*import ([\w.]+)(?: as (\w+))?\s*;\s*(\w+)\.(\w+)\(\)\s*", command)
    assert match, f"RunPython command not understood: {command}"
    module, alias, name, function = match.groups()
    assert name == (alias or module), command
    assert callable(getattr(importlib.import_module(module), function)), command


def test_committed_addin_and_macro_template_are_up_to_date(tmp_path):
    fresh_addin = excelfiles.build_addin(tmp_path / "jsgk.xlam")
    with zipfile.ZipFile(ADDIN) as a, zipfile.ZipFile(fresh_addin) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}, "run ./dev templates"
    fresh = excelfiles.build_macro_template(tmp_path / "t.xlsm")
    assert fingerprint(MACRO_TEMPLATE) == fingerprint(fresh), "run ./dev templates"
    fresh = excelfiles.build_macro_template(tmp_path / "b.xlsm", specs.available_layouts(specs.YUSUAN)[-1])
    assert fingerprint(BUDGET_MACRO_TEMPLATE) == fingerprint(fresh), "run ./dev templates"
    cover = {row[0]: row[1] for row in load_workbook(BUDGET_MACRO_TEMPLATE)["封面"].iter_rows(values_only=True, max_col=2)}
    assert cover["报表类型"] == "部门预算" and cover["表样"] == specs.available_layouts(specs.YUSUAN)[-1]
    # the add-in's refusal of a 预算 export into a 决算 book names these files
    assert {k: (MACRO_TEMPLATE.parent / name).is_file() for k, name in macros.MACRO_TEMPLATES.items()} == \
        {specs.JUESUAN: True, specs.YUSUAN: True}


def test_the_ribbon_is_valid_and_every_button_runs_a_procedure_that_exists():
    with zipfile.ZipFile(ADDIN) as z:
        ui = ET.fromstring(z.read(excelfiles.CUSTOM_UI))
        rels = z.read("_rels/.rels").decode()
    assert "customUI/customUI.xml" in rels  # Excel finds the ribbon through the package relationship
    tabs = ui.findall(f".//{CUSTOM_UI_NS}tab")
    assert [t.get("label") for t in tabs] == ["决算公开"]
    buttons = ui.findall(f".//{CUSTOM_UI_NS}button")
    assert [b.get("label") for b in buttons] == ["助手"]
    modules = _vba_modules(ADDIN)
    for b in buttons:
        module, procedure = b.get("onAction").split(".")
        assert procedure in _procedures(modules[module]), b.get("onAction")
        assert re.search(rf"Sub {procedure}\(control As IRibbonControl\)", modules[module])


def test_every_run_python_of_the_addin_names_python_that_exists():
    modules = _vba_modules(ADDIN)
    commands = [c for code in modules.values() for c in _run_python_commands(code, ADDIN.name)]
    assert "import jsgk;jsgk.main()" in commands
    for command in commands:
        _assert_python_exists(command)


def test_the_macro_template_is_a_macro_enabled_workbook_with_an_xlwings_conf_sheet():
    with zipfile.ZipFile(MACRO_TEMPLATE) as z:
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in z.read("[Content_Types].xml").decode()
    wb = load_workbook(MACRO_TEMPLATE, keep_vba=True)
    assert wb.sheetnames[:3] == ["封面", "说明数据", "原因说明"] and wb.sheetnames[-1] == "xlwings.conf"
    conf = {wb["xlwings.conf"].cell(r, 1).value: wb["xlwings.conf"].cell(r, 2).value for r in range(1, 6)}
    assert conf["UDF Modules"] == "addin.udfs"
    udfs = importlib.import_module(conf["UDF Modules"])
    assert all(callable(getattr(udfs, n)) for n in ("JSGK_CHANGE", "JSGK_DELTA", "JSGK_GROWTH", "JSGK_COMPLETION"))


def test_the_sheet_button_calls_in_the_docs_name_macros_that_exist():
    doc = (ROOT / "docs" / "Excel加载项.md").read_text(encoding="utf-8")
    commands = re.findall(r'RunPython "([^"]+)"', doc)
    assert len(commands) >= 5
    for command in commands:
        _assert_python_exists(command)
    documented = {re.search(r"m\.(\w+)\(\)", c).group(1) for c in commands if "addin.macros" in c}
    assert documented >= {"import_", "check", "narrative", "export", "clear"}
    assert set(macros.MACROS.values()) == {getattr(macros, n) for n in documented}


def test_olevba_reads_the_addins_vba_as_xlwings_ships_it():
    """The add-in's VBA project is xlwings' own, untouched (we write no VBA)."""
    source = excelfiles.xlwings_file("quickstart_addin_ribbon.xlam")
    with zipfile.ZipFile(ADDIN) as a, zipfile.ZipFile(source) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
    assert "RibbonMyAddin" in _vba_modules(ADDIN) and "xlwings" in _vba_modules(ADDIN)


@pytest.mark.parametrize("command", ["import jsgk;jsgk.nothing()", "import addin.macros as m; m.nothing()",
                                     "import no_such_module;no_such_module.main()"])
def test_the_python_check_itself_fails_on_names_that_do_not_exist(command):
    with pytest.raises((AssertionError, ModuleNotFoundError, AttributeError)):
        _assert_python_exists(command)


def test_build_addin_only_replaces_the_ribbon(tmp_path):
    built = excelfiles.build_addin(tmp_path / "a.xlam")
    source = excelfiles.xlwings_file("quickstart_addin_ribbon.xlam")
    with zipfile.ZipFile(built) as a, zipfile.ZipFile(source) as b:
        assert a.namelist() == b.namelist()
        different = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert different == [excelfiles.CUSTOM_UI]
    assert excelfiles.RIBBON.count("onAction") == 1
