"""Simplified-Chinese faces for LibreOffice on Linux, without the Japanese names.

Debian's fonts-noto-cjk ships OpenType collections (.ttc): the SC, TC, JP, KR and HK faces of one
weight share a single CFF table whose font names read "NotoSerifCJKjp-Regular…". The SC face draws
Simplified glyphs (its own cmap), but a PDF that embeds it names the font "NotoSerifCJKjp" — a
reviewer running pdffonts sees a Japanese font in a Chinese document. So, once per machine, each SC face
is copied out of its collection into a standalone .otf whose CFF names say "sc" (the same length, so
the bytes are swapped in place: no table is recompiled, ~1 s a face), kept in the user's cache folder;
the LibreOffice run then reads these files and not the collections (pdf.py's fonts.conf).
Anything unexpected (no fontTools, a font laid out differently, a read-only cache) leaves the
collections in use: the PDF is still right, only the embedded names say jp.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
COLLECTION = re.compile(r"^Noto(Sans|Serif)CJK-\w+\.ttc$")
LANG = re.compile(rb"(CJK ?)(jp|JP)")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "disclosure" / "fonts"


def collections() -> list[Path]:
    found: list[Path] = []
    for folder in FONT_DIRS:
        root = Path(folder).expanduser()
        if root.is_dir():
            found += sorted(p for p in root.rglob("*.ttc") if COLLECTION.match(p.name))
    return found


def simplified_faces(cache: Path | None = None) -> tuple[Path, list[Path]] | None:
    """(folder of the SC .otf files, the collections they replace), or None when nothing could be made."""
    if not sys.platform.startswith("linux"):
        return None
    cache = cache or cache_dir()
    replaced: list[Path] = []
    for source in collections():
        try:
            if _extract(source, cache):
                replaced.append(source)
        except Exception:  # a cache that cannot be written, a font laid out otherwise: keep the collection
            continue
    return (cache, replaced) if replaced else None


def _extract(source: Path, cache: Path) -> bool:
    from fontTools.ttLib import TTCollection, TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    stat = source.stat()
    stamp = f"{source.stem}-{stat.st_size}-{int(stat.st_mtime)}"
    target = cache / f"{stamp}.otf"
    if target.exists():
        return True
    with TTCollection(str(source), lazy=True) as collection:
        count = len(collection.fonts)
    for index in range(count):
        font = TTFont(str(source), fontNumber=index, lazy=True)
        postscript = font["name"].getDebugName(6) or ""
        if "CJKsc" not in postscript or "CFF " not in font.reader:
            continue
        shared = font["CFF "].cff.fontNames[0]  # e.g. NotoSerifCJKjp-Regular
        if len(shared) != len(postscript) or not LANG.search(shared.encode()):
            return False
        raw = LANG.sub(lambda m: m.group(1) + (b"sc" if m.group(2) == b"jp" else b"SC"), font.reader["CFF "])
        out = TTFont(sfntVersion=font.sfntVersion)
        for tag in font.reader.keys():
            table = DefaultTable(tag)
            table.data = raw if tag == "CFF " else font.reader[tag]
            out[tag] = table
        cache.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.stem}.{os.getpid()}.tmp")  # two exports at once write their own
        out.save(str(tmp), reorderTables=False)
        for old in cache.glob(f"{source.stem}-*.otf"):  # an earlier version of the same collection
            if old != target:
                old.unlink(missing_ok=True)
        os.replace(tmp, target)
        return True
    return False


def fontconfig(cache: Path, replaced: list[Path]) -> str:
    """fonts.conf lines: read the SC files, ignore the collections they come from."""
    rejects = "".join(f"<glob>{escape(str(p))}</glob>" for p in replaced)
    return f"  <dir>{escape(str(cache))}</dir>\n  <selectfont><rejectfont>{rejects}</rejectfont></selectfont>\n"
