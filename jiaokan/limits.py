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
    KeyboardInterrupt, so that a stage's ``except Exception`` for one bad page lets it pass).
    Only a class can be raised in another thread, so each limit passed raises a subclass
    whose ``reason`` says which."""

    reason = "a limit was reached"

    def __str__(self) -> str:
        return super().__str__() or self.reason


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
    lock, finished, raised = threading.Lock(), threading.Event(), []

    def passed() -> str | None:
        if time.monotonic() > deadline:
            return f"the time limit of {seconds:g} s was reached"
        if memory_mb is not None and (now := rss_mb()) > memory_mb:
            return f"the memory guard stopped it at {now:.0f} MB (limit {memory_mb:g} MB)"
        return None

    def watch() -> None:
        while (why := passed()) is None:
            if finished.wait(POLL_SECONDS):
                return
        with lock:
            if not finished.is_set():
                raised.append(why)
                _raise_in(target, _limit(why))

    watcher = threading.Thread(target=watch, name="jiaokan-limits", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        with lock:
            finished.set()
            if raised:
                _raise_in(target, None)  # withdraw an exception not yet delivered
        watcher.join()
    if raised:  # a limit was passed but its exception was lost on the way (raised in a finaliser, say)
        raise _limit(raised[0])()


def _limit(why: str) -> type[LimitExceeded]:
    """The ``LimitExceeded`` subclass whose reason is ``why`` (only a class can be raised in
    another thread)."""
    return type("LimitExceeded", (LimitExceeded,), {"reason": why})


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    pending = ctypes.py_object(exception) if exception else None  # None: NULL, which withdraws
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), pending)
