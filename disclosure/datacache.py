"""YAML data files of the tool (table specs, a style's settings): parsed once per process, and kept parsed
between runs so a command starts without parsing YAML at all.

Parsing uses libyaml's CSafeLoader when PyYAML has it (about eight times faster than the pure-Python
SafeLoader, same result). The parsed data — plain dicts, lists, strings, numbers, never code — is kept in
the user's cache folder (XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows; …/disclosure/data) as a
marshal file named by the sha256 of the YAML file's bytes, this package's version and the Python version.
An edited file has a new name, so nothing stale is ever read; each entry carries the sha256 of its own
payload, so a truncated or damaged entry is ignored (and rewritten) before it is unmarshalled. Entries are
written to a temporary file and renamed. Without a writable cache folder everything works, parsed each start.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path

from . import __version__
from .errors import DisclosureError

MAGIC = b"DSCYAML1"
KEEP = 64  # entries kept in the cache folder; the oldest go when a new one is written
_parsed: dict[str, bytes] = {}  # key -> marshalled data: this process parses or reads each file once


def yaml_loader():
    """libyaml's loader when the installed PyYAML was built with it, else the pure-Python one."""
    import yaml  # only when something must be parsed: a warm cache never imports PyYAML

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str | bytes, path: Path | None = None):
    """Parsed YAML; a syntax error is a DisclosureError naming the file and line."""
    import yaml

    try:
        return yaml.load(text, Loader=yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        name = f"文件 {path}" if path else "YAML 文字"
        raise DisclosureError(f"{name}{where}不是有效的 YAML：{getattr(exc, 'problem', None) or exc}") from None


def user_cache_dir() -> Path | None:
    """…/disclosure in the user's cache folder (export/cjkfonts.py keeps its fonts there too); None without
    a home folder (never a shared temporary folder, where another user could plant entries)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base and os.name == "nt":
        base = os.environ.get("LOCALAPPDATA")
    try:
        return Path(base or Path.home() / ".cache") / "disclosure"
    except RuntimeError:  # no HOME and no account entry
        return None


def cache_dir() -> Path | None:
    base = user_cache_dir()
    return base / "data" if base else None


def load_yaml(path: str | Path):
    """The parsed content of a YAML file (a fresh copy on every call: callers may change it)."""
    raw = Path(path).read_bytes()
    key = _key(raw)
    blob = _parsed.get(key) or _read_entry(key)
    if blob is not None:
        try:
            data = marshal.loads(blob)
            _parsed[key] = blob
            return data
        except (EOFError, ValueError, TypeError):  # an entry that passed its checksum yet is no marshal data
            pass
    data = parse_yaml(raw, Path(path))
    try:
        blob = marshal.dumps(data)
    except ValueError:  # a type marshal cannot keep (a YAML date): used as parsed, not kept
        return data
    _parsed[key] = blob
    _write_entry(key, blob)
    return data


def _key(raw: bytes) -> str:
    h = hashlib.sha256(raw)
    h.update(f"\0{__version__}\0{sys.version_info[0]}.{sys.version_info[1]}\0{marshal.version}".encode())
    return h.hexdigest()


def _read_entry(key: str) -> bytes | None:
    """The marshalled data kept for this key, or None when absent, unreadable or damaged."""
    folder = cache_dir()
    try:
        data = (folder / f"{key}.marshal").read_bytes() if folder else b""
    except OSError:
        return None
    head, digest, blob = data[:len(MAGIC)], data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
    if head != MAGIC or hashlib.sha256(blob).digest() != digest:
        return None
    return blob


def _write_entry(key: str, blob: bytes) -> None:
    """Keep the entry for the next run; a cache that cannot be written is no error."""
    import tempfile  # only when writing: a warm start does not need it

    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".marshal", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + hashlib.sha256(blob).digest() + blob)
            os.replace(tmp, folder / f"{key}.marshal")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-KEEP]:
        old.unlink(missing_ok=True)


# Environment settings that change the code a template compiles to; Jinja keys its cache by template name,
# file and source only, so these go into the key too (a changed setting must never run old code)
_JINJA_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                   "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                   "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape",
                   "optimized")


def template_cache():
    """Jinja2's own bytecode cache in the user cache folder (…/disclosure/jinja): a template compiles once,
    not on every start. An entry is keyed by the template's name, file, source checksum, the settings above,
    and Jinja's and Python's versions; an entry that cannot be read is compiled again. None when the folder
    cannot be made: templates then compile on every start."""
    from jinja2 import FileSystemBytecodeCache

    class _Cache(FileSystemBytecodeCache):
        def get_bucket(self, environment, name, filename, source):
            settings = repr([getattr(environment, k, None) for k in _JINJA_SETTINGS]
                            + sorted(environment.extensions))
            return super().get_bucket(environment, f"{name}\0{settings}", filename, source)

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry (Jinja lets a truncated one raise): compiled again
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:  # a full disk or a folder gone read-only: the cache is only a shortcut
                pass

    base = user_cache_dir()
    if base is None:
        return None
    folder = base / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _Cache(str(folder), "%s.jinja")
