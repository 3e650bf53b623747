"""Whole-process measurements for the benchmarks: the wall time and peak RSS of one command.

Linux keeps a process's high-water mark of resident memory across fork and exec, so a child
started by a benchmark that holds generated PDFs and texts reports the benchmark's peak as
its own (a one-line `convert` showed 190 MB, `/bin/true` started beside 500 MB shows 500 MB).
Each command therefore runs under a small launcher process, which times it and reads the
peak of its own child (at least the launcher's 10 MB).
"""

from __future__ import annotations

import os
import subprocess
import sys

LAUNCHER = (
    "import os, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "print(time.perf_counter() - start, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status))\n"
)


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time (seconds) and peak RSS (bytes) of ``command``, its output discarded; exits
    naming the command where it fails."""
    report = subprocess.run([sys.executable, "-c", LAUNCHER, *command], capture_output=True, text=True,
                            env=env if env is not None else os.environ.copy())
    try:
        seconds, peak, code = report.stdout.split()
    except ValueError:
        raise SystemExit(f"could not run: {' '.join(command)}\n{report.stderr}") from None
    if int(code) != 0:
        raise SystemExit(f"failed ({code}): {' '.join(command)}")
    return float(seconds), int(peak)
