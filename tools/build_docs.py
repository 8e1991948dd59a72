"""Regenerate docs/rules.md from the rule registry, and the two page images of the exported document
shown in the README (docs/images/, from the bundled sample's PDF; needs LibreOffice and poppler).
Run: ./dev docs"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from disclosure.checks.docs import render  # noqa: E402

RULES_DOC = ROOT / "docs" / "rules.md"
IMAGES = ROOT / "docs" / "images"
# (file, text that identifies the page): the 情况说明 page with the 收入决算图, and the landscape 公开02表
PAGES = [("导出-情况说明页.png", ["图1"]), ("导出-公开02表页.png", ["科目代码", "本年收入合计"])]


def page_images() -> None:
    from export_speed import sample_book

    from disclosure.export import export_package

    work = Path(tempfile.mkdtemp(prefix="docs-images-"))
    result = export_package(sample_book(work), work / "out")
    pdf = next(p for p in result.files if p.suffix == ".pdf")
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, markers in PAGES:
        page = _page_with(pdf, markers)
        stem = work / "page"
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                        str(stem)], check=True)
        (IMAGES / name).write_bytes(stem.with_suffix(".png").read_bytes())
        print(f"写入 docs/images/{name}（第 {page} 页）")


def _page_with(pdf: Path, markers: list[str]) -> int:
    """The first page after the table of contents (whose entries name charts and tables too)
    that holds every marker."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return next(i for i, page in enumerate(pages, start=1) if i > 3 and all(m in page for m in markers))


if __name__ == "__main__":
    RULES_DOC.write_text(render(), encoding="utf-8")
    print(f"写入 {RULES_DOC.relative_to(ROOT)}")
    page_images()
