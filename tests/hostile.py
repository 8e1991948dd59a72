"""The harness every hostile/broken-input case uses (tests/test_hostile_*.py).

A case is a command run as the officer would (a real process), on files a generator made in a temp folder.
`assert_refused` checks what every refusal must be: exit ≠ 0 and never 3 (内部错误), exactly one line on
stderr, in Chinese, naming the file (and sheet/cell where given), no traceback; every input byte-identical
(unless the command documents a write — then `backups` must exist); no temporary file left behind.
Bombs run with an address-space rlimit and a timeout, so a regression is a failed test, not a dead machine.
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB of address space: the budget is "well under 1 GB" resident
CJK = re.compile(r"[\u4e00-\u9fff]")
TEMP_NAMES = re.compile(r"^\.~|\.tmp$|^tmp")


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float


def run(*args: str | Path, module: str = "disclosure", cwd: Path | None = None, timeout: float = 120,
        memory: int | None = MEMORY_LIMIT, stdin: str | None = None) -> Run:
    """`python -m <module> args…` in a subprocess, its memory capped (RLIMIT_AS) when `memory` is given."""
    import time

    def limit():  # runs in the child before exec
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISCLOSURE_DEBUG", None)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", module, *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", cwd=cwd or ROOT, timeout=timeout,
                          preexec_fn=limit, env=env, input=stdin)
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<none>"


def snapshot(*paths: Path) -> dict[Path, str]:
    return {p: digest(p) for p in paths}


def leftovers(folder: Path) -> list[str]:
    """Temporary files a writer left (ours start with .~ or end with .tmp)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if TEMP_NAMES.search(p.name))


def assert_refused(result: Run, *, names: list[str] = (), before: dict[Path, str] | None = None,
                   folder: Path | None = None, backups: list[Path] = ()) -> str:
    """The one Chinese line of a refusal; every name in `names` (file, sheet, cell) must be in it."""
    assert result.code not in (0, 3), f"exit {result.code}\nstdout: {result.out[-800:]}\nstderr: {result.err[-1500:]}"
    assert result.code > 0, f"killed by signal {-result.code}: {result.err[-1500:]}"
    assert "Traceback" not in result.err, result.err[-2000:]
    lines = [x for x in result.err.splitlines() if x.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{result.err[-2000:]}"
    line = lines[0]
    assert CJK.search(line), line
    assert "内部错误" not in line, line
    for name in names:
        assert name in line, f"{name!r} not named in: {line}"
    for path, sha in (before or {}).items():
        assert digest(path) == sha, f"{path.name} was changed by a refused command"
    for b in backups:
        assert b.exists(), f"backup {b.name} missing"
    if folder is not None:
        assert leftovers(folder) == [], leftovers(folder)
    return line
