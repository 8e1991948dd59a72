"""Issue 18: the command line ends with os._exit once its command is done (cli.end) — output flushed and the
atexit handlers run first, and the ordinary exit kept while another thread still runs. Each case runs in
its own process (end() would end pytest's)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from conftest import ROOT, build_sample_book


# output to a pipe buffered, as for a user's process (this machine's shell sets PYTHONUNBUFFERED)
BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=BUFFERED, timeout=120)


def test_end_flushes_output_and_runs_atexit_handlers_in_their_order():
    proc = run_python("""
        import atexit, sys
        from disclosure.cli import end
        atexit.register(print, "第一个登记的最后运行")
        atexit.register(print, "最后登记的先运行")
        print("输出" * 50_000, end="")   # more than any buffer holds: must reach the pipe whole
        print("错误输出", end="", file=sys.stderr)
        end(7)
        print("不应运行")
    """)
    assert proc.returncode == 7
    assert proc.stdout == "输出" * 50_000 + "最后登记的先运行\n第一个登记的最后运行\n"
    assert proc.stderr == "错误输出"


def test_end_waits_for_a_thread_still_running():
    proc = run_python("""
        import threading, time
        from disclosure.cli import end
        def late():
            time.sleep(0.3)
            print("线程写完", flush=True)
        threading.Thread(target=late).start()
        end(4)
    """)
    assert (proc.returncode, proc.stdout) == (4, "线程写完\n")


def test_end_with_a_closed_pipe_is_no_error():
    # the reader (`true`) is gone before end() flushes the buffered line: no message, the command's code kept
    script = "import time; from disclosure.cli import end; print('行'); time.sleep(0.5); end(5)"
    proc = subprocess.run(f'{sys.executable} -c "{script}" | true; echo "${{PIPESTATUS[0]}}"', shell=True,
                          executable="/bin/bash", capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                          env=BUFFERED, timeout=120)
    assert (proc.stdout, proc.stderr) == ("5\n", "")


def test_python_m_disclosure_check_prints_every_finding_and_its_exit_code(tmp_path):
    book = build_sample_book(tmp_path / "sample.xlsx")
    in_process = subprocess.run([sys.executable, "-c", "import sys; from disclosure.cli import main; "
                                 "sys.exit(main(sys.argv[1:]))", "check", str(book), "--json"],
                                capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=BUFFERED, timeout=120)
    ended = subprocess.run([sys.executable, "-m", "disclosure", "check", str(book), "--json"],
                           capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=BUFFERED, timeout=120)
    assert ended.stdout == in_process.stdout and '"rule": "T02.2"' in ended.stdout
    assert ended.returncode == in_process.returncode


def test_end_on_a_full_disk_does_not_say_success(tmp_path):
    # /dev/full: every write fails with ENOSPC — the output is lost, so the exit code must not be 0
    script = "from disclosure.cli import end; print('结果'); end(0)"
    proc = subprocess.run(f'{sys.executable} -c "{script}" > /dev/full', shell=True, capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, env=BUFFERED, timeout=120)
    assert proc.returncode == 120
