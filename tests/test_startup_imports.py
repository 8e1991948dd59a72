"""Issue 18, startup: `disclosure check` and `disclosure --version` import only what they use (never the
writer, export, GUI or Excel libraries), and the parsed YAML kept between runs (datacache.py) is rebuilt
when a file changes and ignored when damaged — results always equal to a fresh parse. No timings here:
bench/startup_speed.py measures them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build_sample_book
from disclosure import __version__, acks, datacache, specs, workbook
from disclosure.errors import DisclosureError

GUI_AND_EXPORT = ("matplotlib", "docx", "PySide6", "xlwings")
NOT_FOR_CHECK = (*GUI_AND_EXPORT, "openpyxl", "numpy", "pandas", "lxml")
STYLE = ROOT / "templates" / "narrative" / "shaanxi" / "style.yaml"


def run_traced(*args: str, cache: Path) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `python -X importtime -m disclosure …` with its own user cache folder; the names of every
    module the process imported (importtime lists each on its first import)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "disclosure", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=120)
    modules = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:") and "cumulative" not in line}  # not the header line
    assert "disclosure.cli" in modules, proc.stderr[-2000:]
    return proc, modules


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The bundled sample with its 说明数据: the check renders the 情况说明 for N01/N02."""
    return build_sample_book(tmp_path_factory.mktemp("startup") / "样例.xlsx")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty user cache folder for this process, and no parsed file remembered from earlier tests."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setattr(datacache, "_parsed", {})
    return folder / "disclosure" / "data"


def test_check_json_imports_no_writer_export_or_gui_library(sample, tmp_path):
    expected = [f.to_json() for f in acks.checked(workbook.read(sample))]
    assert any(f["rule"] == "T02.2" for f in expected)  # the sample's 尾差 warnings: the check really ran
    for run in ("cold", "warm"):  # first start parses the YAML, the second reads it from the cache
        proc, modules = run_traced("check", str(sample), "--json", cache=tmp_path / "cache")
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert json.loads(proc.stdout) == expected
        assert top_level(modules).isdisjoint(NOT_FOR_CHECK), sorted(top_level(modules) & set(NOT_FOR_CHECK))
        assert "disclosure.workbook_write" not in modules and "disclosure.checks.report_xlsx" not in modules
        assert "disclosure.export" not in modules and "disclosure.lint" not in modules
        assert "disclosure.budgetlink" not in modules and "disclosure.audit_cli" not in modules  # --budget, audit
        assert "jinja2" in modules  # the 情况说明 is rendered: N01/N02 list what it still lacks
    assert "yaml" not in top_level(modules)  # warm: specs and style.yaml came parsed from the cache


def test_check_xlsx_report_still_written(sample, tmp_path):
    """openpyxl is imported where the report is written (checks/report_xlsx.py), and the report is complete."""
    report = tmp_path / "校验报告.xlsx"
    proc, modules = run_traced("check", str(sample), "--xlsx", str(report), cache=tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "openpyxl" in modules and top_level(modules).isdisjoint(GUI_AND_EXPORT)
    from openpyxl import load_workbook

    ws = load_workbook(report)["校验结果"]
    rules = [ws.cell(r, 3).value for r in range(5, ws.max_row + 1)]
    assert rules == [f.rule for f in acks.checked(workbook.read(sample))]


def test_version_imports_nothing_heavy(tmp_path):
    for run in ("cold", "warm"):
        proc, modules = run_traced("--version", cache=tmp_path / "cache")
        assert proc.returncode == 0 and proc.stdout.strip() == f"disclosure {__version__}"
        names = top_level(modules)
        assert names.isdisjoint((*NOT_FOR_CHECK, "jinja2", "python_calamine")), sorted(names & set(NOT_FOR_CHECK))
        assert "disclosure.workbook" not in modules and "disclosure.checks" not in modules
        # only the command being run gets its arguments: no 表样 list for `template --year`'s help is made
        assert "disclosure.specs" not in modules and "yaml" not in names


def test_yaml_is_parsed_with_libyaml_and_the_same_as_pure_python():
    assert yaml.__with_libyaml__, "PyYAML 没有 libyaml：表样规格将以纯 Python 解析（慢约 8 倍）"
    assert datacache.yaml_loader() is yaml.CSafeLoader
    for path in [*sorted(specs.specs_dir().glob("*.yaml")), STYLE]:
        text = path.read_text(encoding="utf-8")
        assert datacache.parse_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader), path.name


def _spec_copy(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "templates"
    shutil.copytree(specs.specs_dir(), root / "specs")
    monkeypatch.setenv("DISCLOSURE_TEMPLATES", str(root))
    return root / "specs" / "juesuan-2024.yaml"


def test_each_file_is_parsed_once_then_read_from_the_cache(cache, tmp_path, monkeypatch):
    path = _spec_copy(tmp_path, monkeypatch)
    parsed = []
    real_parse = datacache.parse_yaml
    monkeypatch.setattr(datacache, "parse_yaml", lambda text, p=None: parsed.append(p) or real_parse(text, p))
    assert specs.available_layouts() == ["2023", "2024"]
    spec = specs.load("2024")
    files = sorted(p.name for p in path.parent.glob("*.yaml"))  # 决算 2023, 2024 and the 预算 spec
    assert sorted(p.name for p in parsed) == files and len(files) >= 3  # each once
    assert len(list(cache.glob("*.marshal"))) == len(files)
    monkeypatch.setattr(datacache, "_parsed", {})  # as a new process: from the cache folder, nothing parsed
    parsed.clear()
    assert datacache.load_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")) and parsed == []
    assert specs.load("2024") is spec  # the same object while the file is unchanged


def test_a_changed_spec_file_is_parsed_again_never_served_stale(cache, tmp_path, monkeypatch):
    path = _spec_copy(tmp_path, monkeypatch)
    before = specs.load("2024")
    assert before.table("01").title == "收入支出决算总表"
    text = path.read_text(encoding="utf-8")
    assert text.count("title: 收入支出决算总表") == 1
    path.write_text(text.replace("title: 收入支出决算总表", "title: 收入支出决算总表（改）"), encoding="utf-8")
    after = specs.load("2024")
    assert after.table("01").title == "收入支出决算总表（改）" and after is not before
    files = len(list(path.parent.glob("*.yaml")))
    assert len(list(cache.glob("*.marshal"))) == files + 1  # the old entry stays for the old content; a new one beside it
    monkeypatch.setattr(datacache, "_parsed", {})
    assert datacache.load_yaml(path)["tables"]["01"]["title"] == "收入支出决算总表（改）"
    path.write_text(text, encoding="utf-8")  # back to the first content: its entry is still right
    assert specs.load("2024").table("01").title == "收入支出决算总表"


@pytest.mark.parametrize("damage", ["truncated", "bit flipped", "garbage", "empty", "payload not marshal"])
def test_a_damaged_cache_entry_is_ignored_and_rewritten(cache, damage, monkeypatch):
    fresh = yaml.load(STYLE.read_bytes(), Loader=yaml.SafeLoader)
    assert datacache.load_yaml(STYLE) == fresh
    [entry] = cache.glob("*.marshal")
    data = entry.read_bytes()
    bad = {"truncated": data[:len(data) // 2],
           "bit flipped": data[:-10] + bytes([data[-10] ^ 0x40]) + data[-9:],
           "garbage": os.urandom(len(data)),
           "empty": b"",
           # a right checksum over bytes that are no marshal data: only a forged entry looks like this
           "payload not marshal": datacache.MAGIC + hashlib.sha256(b"\xff\xff").digest() + b"\xff\xff",
           }[damage]
    entry.write_bytes(bad)
    monkeypatch.setattr(datacache, "_parsed", {})
    assert datacache.load_yaml(STYLE) == fresh
    assert entry.read_bytes() == data  # rewritten whole
    monkeypatch.setattr(datacache, "_parsed", {})
    monkeypatch.setattr(datacache, "parse_yaml", lambda *a: pytest.fail("parsed again"))
    assert datacache.load_yaml(STYLE) == fresh


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(datacache, "_parsed", {})
    assert datacache.load_yaml(STYLE) == yaml.safe_load(STYLE.read_text(encoding="utf-8"))
    assert datacache.template_cache() is None


def test_each_call_returns_its_own_copy(cache):
    first = datacache.load_yaml(STYLE)
    first["parts"].clear()
    assert datacache.load_yaml(STYLE)["parts"]


def test_a_yaml_syntax_error_names_the_file_and_line(cache, tmp_path, monkeypatch):
    path = _spec_copy(tmp_path, monkeypatch)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[5] == "unit: 万元"
    lines[5] = "unit: [万元"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DisclosureError, match=r"juesuan-2024\.yaml第 \d+ 行不是有效的 YAML"):
        specs.available_layouts()
    assert len(list(cache.glob("*.marshal"))) == 1  # 2023's; nothing kept for the broken file


def _fresh_render(report) -> str:
    from disclosure.narrative import render

    render._environment.cache_clear()  # as a new process: a new Environment, templates loaded again
    return render.render(report).text()


def test_templates_compile_once_and_a_damaged_entry_is_compiled_again(sample, cache, monkeypatch):
    from jinja2 import Environment

    report = workbook.read(sample)
    text = _fresh_render(report)
    entries = sorted((cache.parent / "jinja").glob("*.jinja"))
    assert len(entries) == len(list((ROOT / "templates" / "narrative" / "shaanxi").glob("*.j2")))
    real_compile = Environment.compile
    compiled = []
    monkeypatch.setattr(Environment, "compile", lambda self, *a, **k: compiled.append(a) or real_compile(self, *a, **k))
    assert _fresh_render(report) == text and compiled == []  # every template from the cache
    for entry in entries[:3]:
        entry.write_bytes(entry.read_bytes()[:40])  # truncated inside the compiled code
    entries[3].write_bytes(b"not jinja at all")
    assert _fresh_render(report) == text and len(compiled) == 4  # the four damaged ones compiled again


def test_a_jinja_setting_that_changes_the_code_is_part_of_the_key(cache):
    from jinja2 import DictLoader, Environment

    loader = DictLoader({"t.j2": "{% if true %}\n  a\n{% endif %}\n"})
    out = [Environment(loader=loader, bytecode_cache=datacache.template_cache(), trim_blocks=trim,
                       lstrip_blocks=trim).get_template("t.j2").render() for trim in (False, True, False)]
    assert out == ["\n  a\n", "  a\n", "\n  a\n"]  # the second not served the first one's code, nor the third the second's
    assert len(list((cache.parent / "jinja").glob("*.jinja"))) == 2


def test_reading_keeps_openpyxls_refusals_and_the_writer_names():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from disclosure import cells, workbook_write

    assert cells.ILLEGAL_CHARACTERS_RE.pattern == ILLEGAL_CHARACTERS_RE.pattern
    assert workbook.build is workbook_write.build and workbook.TableSheet is workbook_write.TableSheet
    with pytest.raises(AttributeError):
        workbook.no_such_name  # noqa: B018
