"""Whole-process speed of `disclosure check` against a bare openpyxl load of the same workbook (issue 18 target:
check ≤ 0.5 × openpyxl), and of `disclosure --version`.

Run: .venv/bin/python bench/startup_speed.py [WORKBOOK] [-n RUNS] [--instructions]
     (default: the bundled sample, imported and its 说明数据 set, in a temporary folder; 9 runs each)
Prints the median of RUNS whole-process runs of each command (run in turn, so all see the same load on the
machine; one warm-up run first: .pyc files — written even where PYTHONDONTWRITEBYTECODE is set, as an
installed or frozen app has them — and the user cache of parsed YAML and compiled templates), the
same for check with an empty cache folder (first start after an install or a spec change), the ratio
check/openpyxl beside the target, and the ten slowest imports (cumulative) of the check process (-X importtime).
--instructions: also the instructions each process executes, counted by valgrind (callgrind), and their ratio —
the same count on every run whatever else the machine does, so a change of a few per cent shows, where the
times above move by ±20 % on a shared machine (about 30 s more; needs valgrind).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import resource  # CPU time of the child processes (not on Windows: wall time only)
except ImportError:
    resource = None

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"
SAMPLE_INPUTS = ROOT / "templates" / "samples" / "子洲县医疗保障局-2024-说明数据.yaml"
TARGET = 0.5


def sample_book(folder: Path) -> Path:
    book = folder / "sample.xlsx"
    cli = [sys.executable, "-m", "disclosure"]
    subprocess.run([*cli, "import", str(SAMPLE), "-o", str(book)], check=True, capture_output=True)
    subprocess.run([*cli, "inputs", str(book), "--set-from", str(SAMPLE_INPUTS)], check=True, capture_output=True)
    return book


def commands(book: Path) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "openpyxl.load_workbook": [py, "-c", "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])", str(book)],
        "disclosure check --json": [py, "-m", "disclosure", "check", str(book), "--json"],
        "disclosure --version": [py, "-m", "disclosure", "--version"],
    }


def child_env(pycache: Path, **extra: str) -> dict[str, str]:
    """The environment of every measured process: .pyc files written and used (as in an installed or frozen
    app; this machine sets PYTHONDONTWRITEBYTECODE), kept in a temporary folder, not beside the sources."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(pycache), **extra}


def _children_cpu() -> float:
    if resource is None:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process; CPU (user + system) varies less on a busy machine."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=env)
    elapsed, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    if done.returncode not in (0, 1):  # check exits 1 when it finds 错误: still a full run
        raise SystemExit(f"{' '.join(cmd)} 失败（退出码 {done.returncode}）：{done.stderr.decode(errors='replace')}")
    return elapsed, cpu


def import_top(cmd: list[str], env: dict, n: int = 10) -> list[tuple[int, int, str]]:
    """(cumulative µs, self µs, module) of the n slowest imports, by cumulative time."""
    err = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True, env=env).stderr
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            own, cumulative, name = line.removeprefix("import time:").split("|")
            rows.append((int(cumulative), int(own), name.rstrip()))
    return sorted(rows, reverse=True)[:n]


def instructions(cmd: list[str], env: dict) -> int:
    """Instructions one whole process executes (all its threads), counted by valgrind's callgrind."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          capture_output=True, text=True, env=env)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind 没有给出指令数：{done.stderr[-500:]}")
    return int(found[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workbook", nargs="?", type=Path)
    ap.add_argument("-n", "--runs", type=int, default=9)
    ap.add_argument("--instructions", action="store_true", help="also count instructions with valgrind")
    args = ap.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions 需要 valgrind（Debian：apt-get install valgrind）")
    with tempfile.TemporaryDirectory() as tmp:
        book = args.workbook or sample_book(Path(tmp))
        cmds = commands(book)
        env = child_env(Path(tmp) / "pycache")
        for cmd in cmds.values():  # warm-up: .pyc written, user cache filled
            timed(cmd, env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
        cold: list[tuple[float, float]] = []
        for i in range(args.runs):
            for name, cmd in cmds.items():
                times[name].append(timed(cmd, env))
            empty = Path(tmp) / f"cache{i}"  # a fresh cache folder: specs parsed, templates compiled
            cold.append(timed(cmds["disclosure check --json"], child_env(Path(tmp) / "pycache", XDG_CACHE_HOME=str(empty))))
        wall = {name: statistics.median(w for w, _ in t) for name, t in times.items()}
        cpu = {name: statistics.median(c for _, c in t) for name, t in times.items()}
        print(f"工作簿：{book}（每项 {args.runs} 次整进程运行的中位数；墙钟 / CPU）")
        for name in cmds:
            print(f"  {wall[name] * 1000:6.0f} ms / {cpu[name] * 1000:4.0f} ms  {name}")
        print(f"  {statistics.median(w for w, _ in cold) * 1000:6.0f} ms / {statistics.median(c for _, c in cold) * 1000:4.0f} ms"
              "  disclosure check --json（缓存为空：首次启动）")
        for label, m in (("墙钟", wall), ("CPU", cpu)):
            if m["openpyxl.load_workbook"]:
                ratio = m["disclosure check --json"] / m["openpyxl.load_workbook"]
                print(f"check / openpyxl（{label}）= {ratio:.2f}（目标 ≤ {TARGET}）{'  达标' if ratio <= TARGET else '  未达标'}")
        if args.instructions:
            counts = {name: instructions(cmds[name], env) for name in ("openpyxl.load_workbook", "disclosure check --json")}
            for name, n in counts.items():
                print(f"  {n / 1e6:8.1f} M 条指令  {name}")
            ratio = counts["disclosure check --json"] / counts["openpyxl.load_workbook"]
            print(f"check / openpyxl（指令数，valgrind，不受机器负载影响）= {ratio:.3f}")
        print("check 进程导入耗时前十（-X importtime，累计）：")
        for cumulative, own, name in import_top(cmds["disclosure check --json"], env):
            print(f"  {cumulative / 1000:7.1f} ms（自身 {own / 1000:5.1f} ms）{name}")


if __name__ == "__main__":
    main()
