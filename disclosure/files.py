"""Writing files safely: to a temporary file beside the target, then one rename. The target is either
the old file or the complete new one, never half written. Every write goes through outputs.py: the
target is checked first (not an input, a folder we may write in, a name that fits) and a failure is one
Chinese line naming the target, the temporary files removed."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .outputs import Inputs, check_output, writing


def backup_path(path: str | Path) -> Path:
    """Where the copy of a workbook is kept before it is written in place: <name>.备份<suffix>."""
    path = Path(path)
    return path.with_name(f"{path.stem}.备份{path.suffix}")


def atomic_write(path: str | Path, write: Callable[[Path], None], inputs: Inputs = (),
                 backup: bool = False) -> Path:
    """Call write(temporary path), then move the result onto `path`, keeping the target's file mode.

    inputs: the files the command read, which `path` must not be. backup: first keep a copy of the
    old file as <name>.备份<suffix>, with a normal file mode (a read-only workbook's backup must not
    block the next write). Order: new file and backup copy made aside → backup replaced → file replaced.
    A failure before the last step leaves the file and its previous backup as they were; a failure of
    the last step (rare: the file locked between the two renames) leaves the file unchanged and the
    backup equal to it."""
    path = Path(path)
    check_output(path, inputs)
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        made: list[Path] = []
        try:
            tmp = _temp_beside(path, made)
            write(tmp)
            # mkstemp makes the file private (0600); give it the mode a normally created file would have
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else normal_mode())
            if backup and path.exists():
                _keep_backup(path, made)
            os.replace(tmp, path)
        finally:
            for leftover in made:
                leftover.unlink(missing_ok=True)
    return path


def _keep_backup(path: Path, made: list[Path]) -> None:
    """Copy the file's content (not its mode: a read-only copy would block the next run) aside, then
    rename the copy onto the backup, so an old backup is replaced whole or kept."""
    target = backup_path(path)
    if os.name == "nt":  # a workbook open in Excel cannot be replaced: find out before the backup moves
        with writing(path), path.open("r+b"):
            pass
    with writing(target, "备份"):
        copy = _temp_beside(target, made)
        shutil.copyfile(path, copy)
        os.chmod(copy, normal_mode())
        os.replace(copy, target)


def _temp_beside(path: Path, made: list[Path]) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    made.append(Path(tmp))
    return Path(tmp)


def normal_mode() -> int:
    """The mode a file created by this process gets (0666 less the umask)."""
    return 0o666 & ~umask()


def umask() -> int:
    """The process's file-creation mask (reading it means setting it, so set it back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
