"""Limits on one conversion: a time limit and a memory guard that stop a runaway input.

A watchdog thread checks the clock and the process's resident memory and, when a limit is
passed, raises ``LimitExceeded`` in the guarded thread (through ``PyThreadState_SetAsyncExc``,
so it works in the main thread of a worker process and in a Dask worker's task thread alike).
The exception arrives at the next Python bytecode: a single long call into C (one OCR
inference, one page render) finishes first.
"""

from __future__ import annotations

import ctypes
import resource
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

POLL_SECONDS = 0.05


class LimitExceeded(BaseException):
    """A conversion passed its time limit or its memory guard (a BaseException, like
    KeyboardInterrupt, so that a stage's ``except Exception`` for one bad page lets it pass)."""


def rss_mb() -> float:
    """The resident memory of this process now, in MB (the peak so far where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return peak_rss_mb()


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


@contextmanager
def limited(seconds: float | None, memory_mb: float | None) -> Iterator[None]:
    """Run the body under a time limit and a memory guard (None: no such limit)."""
    if seconds is None and memory_mb is None:
        yield
        return
    target = threading.get_ident()
    deadline = time.monotonic() + seconds if seconds is not None else float("inf")
    lock, finished, reason = threading.Lock(), threading.Event(), []

    def watch() -> None:
        while not finished.wait(POLL_SECONDS):
            if time.monotonic() > deadline:
                why = f"the time limit of {seconds:g} s was reached"
            elif memory_mb is not None and (now := rss_mb()) > memory_mb:
                why = f"the memory guard stopped it at {now:.0f} MB (limit {memory_mb:g} MB)"
            else:
                continue
            with lock:
                if not finished.is_set():
                    reason.append(why)
                    _raise_in(target, LimitExceeded)
            return

    watcher = threading.Thread(target=watch, name="jiaokan-limits", daemon=True)
    watcher.start()
    try:
        yield
    except LimitExceeded:
        raise LimitExceeded(reason[0] if reason else "a limit was reached") from None
    finally:
        with lock:
            finished.set()
            if reason:
                _raise_in(target, None)  # withdraw an exception not yet delivered
        watcher.join()


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    pending = ctypes.py_object(exception) if exception else None  # None: NULL, which withdraws
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), pending)
