"""The time limit and memory guard stop the guarded code, in any thread, and nothing else."""

import concurrent.futures
import os
import threading
import time

import pytest

from jiaokan.limits import LimitExceeded, limited, rss_mb


def grow_memory():
    blocks = []
    while True:
        blocks.append(bytearray(4 * 2**20))


def test_memory_guard_stops_growth():
    limit = rss_mb() + 64
    with pytest.raises(LimitExceeded, match=r"memory guard stopped it at \d+ MB \(limit"):
        with limited(None, limit):
            grow_memory()
    assert rss_mb() < limit + 64  # what was taken is released


def test_time_limit_stops_a_loop_in_a_worker_thread():
    caught = []

    def spin():
        try:
            with limited(0.2, None):
                while True:
                    pass
        except LimitExceeded as error:
            caught.append(str(error))

    thread = threading.Thread(target=spin)
    thread.start()
    thread.join(10)
    assert caught == ["the time limit of 0.2 s was reached"]


def test_a_stage_catching_exception_does_not_swallow_the_limit():
    with pytest.raises(LimitExceeded):
        with limited(0.1, None):
            while True:
                try:
                    time.sleep(0.01)
                except Exception:
                    pass


def test_finished_work_is_not_interrupted_later():
    with limited(0.15, None):
        total = sum(range(1000))
    time.sleep(0.3)  # the watchdog has stopped: nothing is raised here
    assert total == 499500


def _square_unless_in_a_worker(parent: int, n: int) -> int:
    if os.getpid() != parent:
        os._exit(1)  # as the system kills a worker that takes too much memory
    return n * n


def test_the_calls_a_dead_worker_leaves_are_made_in_this_process():
    from jiaokan.workers import in_workers

    calls = [(os.getpid(), n) for n in range(5)]
    assert list(in_workers(_square_unless_in_a_worker, calls, 2)) == [0, 1, 4, 9, 16]
    assert list(in_workers(pow, [(2, 3), (3, 2)], 2)) == [8, 9]


def test_where_no_worker_can_start_the_calls_are_made_in_this_process(monkeypatch):
    from jiaokan import workers

    def no_semaphores(**_):
        raise PermissionError(13, "Permission denied: /dev/shm")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_semaphores)
    calls = [(os.getpid(), n) for n in range(3)]
    assert list(workers.in_workers(_square_unless_in_a_worker, calls, 2)) == [0, 1, 4]
