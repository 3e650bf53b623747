"""One job split over worker processes: the blocks of a large text, the pages of a long PDF.
The process machinery (multiprocessing) is loaded only where work is spread."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

R = TypeVar("R")
# Work over this many pages or more is spread over worker processes when more than one job may
# run, in at most CHUNKS_PER_JOB ranges of pages per worker, each at least half this long.
PARALLEL_PAGES = 16
CHUNKS_PER_JOB = 3


def page_ranges(count: int, jobs: int) -> list[tuple[int, int]]:
    """``count`` pages split into ranges (first, last excluded) for ``jobs`` workers: one range
    where they are too few to be worth spreading."""
    if jobs < 2 or count < PARALLEL_PAGES:
        return [(0, count)]
    chunks = min(count // (PARALLEL_PAGES // 2), CHUNKS_PER_JOB * jobs)
    bounds = [count * k // chunks for k in range(chunks + 1)]
    return list(zip(bounds, bounds[1:]))


def in_workers(function: Callable[..., R], calls: Sequence[tuple[Any, ...]], jobs: int) -> Iterator[R]:
    """``function(*call)`` for each of ``calls``, in order, in up to ``jobs`` worker processes;
    the calls left when a worker dies (killed by the system, most likely for memory), or all
    of them where no worker can be started, are made in this process, as with one job."""
    done = 0
    pool = _pool(min(jobs, len(calls))) if jobs > 1 and len(calls) > 1 else None
    if pool is not None:
        from concurrent.futures.process import BrokenProcessPool

        with pool:
            try:
                for result in pool.map(function, *zip(*calls)):
                    done += 1
                    yield result
            except BrokenProcessPool:
                pass
            except BaseException:  # interrupted, or the caller stopped: no call waiting is made
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    for call in calls[done:]:
        yield function(*call)


def _pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` processes, or None where the system gives none (a sandbox
    without the shared memory that the pool's locks need)."""
    from concurrent.futures import ProcessPoolExecutor

    try:
        return ProcessPoolExecutor(max_workers=workers)
    except (OSError, NotImplementedError):
        return None
