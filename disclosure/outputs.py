"""Where a command may write: one check every writer shares, and one way to say why a write failed.

`check_output(target, inputs)` refuses, before any work, an output that would overwrite an input (any
spelling of the same file: ./, ../, a symlink, a hard link, case on Windows), a parent that is a file, a
folder we may not write in, a name too long for the file system. `writing(target)` turns an OSError of
the actual write into the same kind of message, naming the target — never our temporary file.
`safe_stem` shortens a file name made from data (a 100-character 单位名称) so it fits, keeping its start
and adding a short hash, so two long names never collide; the full name stays inside the documents.
"""

from __future__ import annotations

import errno
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .errors import DisclosureError

FILE, FOLDER = "file", "folder"
WINDOWS = os.name == "nt"
NAME_MAX = 255  # bytes of UTF-8 on Linux/macOS, UTF-16 units on Windows (NTFS)
WINDOWS_PATH_MAX = 259  # MAX_PATH 260 less the terminating NUL, unless long paths are switched on
HASH_CHARS = 8
_WINDOWS_LOCKED = (32, 33)  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: open in Excel or Word

Inputs = Iterable[str | Path | None] | Mapping[str | Path | None, str]


class OutputError(DisclosureError):
    """An output that cannot or must not be written; the message names the target and says why."""

    def __init__(self, message: str, target: Path | None = None, reason: str = ""):
        super().__init__(message)
        self.target, self.reason = target, reason


def _cannot(target: Path, reason: str, what: str = "") -> OutputError:
    return OutputError(f"无法写出{what}“{target}”：{reason}", target, reason)


# ---------------------------------------------------------------- the check before any work

def check_output(target: str | Path, inputs: Inputs = (), kind: str = FILE) -> Path:
    """Refuse an output path, in one Chinese line naming it, unless a write there can work and
    overwrites no input. inputs: the files the command reads ({path: what it is} for a better message)."""
    target = Path(target)
    too_long = _too_long(target)  # first: stat() of such a name fails, it cannot be an input anyway
    if too_long:
        raise _cannot(target, too_long)
    roles = dict(inputs) if isinstance(inputs, Mapping) else {p: "输入文件" for p in inputs}
    noun = "输出文件夹" if kind == FOLDER else "输出文件"
    for source, role in roles.items():
        if source is not None and same_file(target, source):
            also = "" if _spelled_alike(target, source) else f"（同一个文件：“{source}”）"
            raise OutputError(f"{noun}“{target}”就是{role}本身{also}，写出会覆盖它；请另选输出位置")
    # os.path's exists/isdir, not pathlib's: they say False for any path the system cannot stat
    if kind == FOLDER and os.path.exists(target) and not os.path.isdir(target):
        raise OutputError(f"输出位置“{target}”是一个文件，不是文件夹")
    if kind == FILE and os.path.isdir(target):
        raise OutputError(f"输出文件“{target}”是一个已有的文件夹；请写出文件名，如“{target / '输出.xlsx'}”")
    # a new file goes in beside the target (temporary file, then rename); a folder's temporary folder too
    folder = _existing_ancestor(target.parent)
    if not os.path.isdir(folder):
        raise _cannot(target, f"“{folder}”是一个文件，不是文件夹")
    writable = [folder] + ([target] if kind == FOLDER and os.path.isdir(target) else [])
    for place in writable:
        if not os.access(place, os.W_OK | os.X_OK):
            raise _cannot(target, f"文件夹“{place}”只读或没有写入权限")
    return target


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: by inode when both exist (hard links, symlinks, case on a
    case-insensitive disk), else by the normalised real path (normcase folds case on Windows)."""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return _normal(a) == _normal(b)


def _normal(path: str | Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _spelled_alike(a: Path, b: str | Path) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _existing_ancestor(folder: Path) -> Path:
    """The nearest existing folder (or file, the caller's error) on the way up from `folder`."""
    folder = Path(os.path.abspath(folder))
    while not os.path.exists(folder) and folder != folder.parent:
        folder = folder.parent
    return folder


def name_length(name: str) -> int:
    """A file name's length as the file system counts it."""
    if WINDOWS:
        return len(name.encode("utf-16-le")) // 2
    return len(os.fsencode(name))


def _too_long(target: Path) -> str:
    """Why the path is too long for the file system, or ''."""
    for part in target.parts:
        if name_length(part) > NAME_MAX:
            unit = "个字符" if WINDOWS else " 字节"
            return f"名称“{part[:12]}…”太长（{name_length(part)}{unit}，最多 {NAME_MAX}），请换一个短些的名字"
    if WINDOWS:
        full = os.path.abspath(target)
        if len(full) > WINDOWS_PATH_MAX and not full.startswith("\\\\?\\"):
            return f"路径太长（{len(full)} 个字符，Windows 最多 {WINDOWS_PATH_MAX}），请换一个短些的文件夹或文件名"
    return ""


# ---------------------------------------------------------------- names made from data

def safe_stem(stem: str, suffixes: Iterable[str] = ("",)) -> str:
    """`stem`, or its start plus '~' and a short hash of all of it, so that stem + every suffix fits
    in a file name. Two long names differing only at the end get different hashes."""
    room = NAME_MAX - max(name_length(s) for s in suffixes)
    if name_length(stem) <= room:
        return stem
    tag = "~" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:HASH_CHARS]
    head = stem[:room]  # a character is at least one byte or unit: no longer than this
    while head and name_length(head) + len(tag) > room:
        head = head[:-1]
    return head.rstrip(" .") + tag


def safe_file_name(stem: str, suffix: str = "") -> str:
    return safe_stem(stem, [suffix]) + suffix


# ---------------------------------------------------------------- the write itself

# what can only mean the output: work that also reads files (templates, fonts) maps only these
NO_ROOM = (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)


@contextmanager
def writing(target: str | Path, what: str = "", only: Iterable[int] | None = None,
            staged_in: Path | None = None) -> Iterator[Path]:
    """Run a write to `target` (through temporary files or not); an OSError becomes one Chinese line
    naming the target and why. what: '备份' and the like, when the target is not the output itself;
    only: map just these errnos (e.g. NO_ROOM), let any other OSError through; staged_in: a temporary
    folder the work writes in — a refusal naming a file there is said of `target` instead."""
    target = Path(target)
    try:
        yield target
    except OSError as exc:
        if only is not None and exc.errno not in only:
            raise
        raise _cannot(target, why(exc), what) from None
    except OutputError as exc:
        if staged_in is None or exc.target is None or not _inside(exc.target, staged_in):
            raise
        raise _cannot(target, exc.reason, what) from None


def _inside(path: Path, folder: Path) -> bool:
    return _normal(path).startswith(_normal(folder) + os.sep)


def why(exc: OSError) -> str:
    """What an OSError of a write means for the officer."""
    code = exc.errno
    if getattr(exc, "winerror", None) in _WINDOWS_LOCKED or code in (errno.EBUSY, errno.ETXTBSY):
        return "文件正被其他程序打开，请关闭后重试（原有文件未改动）"
    if code == errno.EROFS:
        return "所在磁盘或文件夹只读"
    if code in (errno.EACCES, errno.EPERM):
        return "只读、没有写入权限，或正被其他程序打开（原有文件未改动）"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return "磁盘空间不足（原有文件未改动）"
    if code == errno.ENAMETOOLONG:
        return "文件名或路径太长，请换一个短些的名字"
    if code in (errno.ENOTDIR, errno.EEXIST):
        return "路径中有一个文件挡在文件夹的位置上"
    if code == errno.EISDIR:
        return "已有同名的文件夹"
    if code == errno.ENOENT:
        return "所在文件夹不存在或无法创建"
    return f"写入失败（{exc.strerror or exc}）"
