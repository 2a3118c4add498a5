"""Work on a second core for large inputs. numpy loops and arrow kernels release the GIL, so a second
thread runs beside the main one; for small inputs starting it costs more than it saves, and callers
decide where that line is. The one place that starts threads in `planner`."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def in_background(work: Callable[[], T], parallel: bool) -> Future[T]:
    """`work` started on a thread of its own when `parallel`, else done now; its result via `.result()`."""
    if not parallel:
        done: Future[T] = Future()
        done.set_result(work())
        return done
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(work)
    finally:
        pool.shutdown(wait=False)  # the thread ends with its one task


def halves(task: Callable[[int, int], T], n: int) -> tuple[T, T]:
    """`task(0, n // 2)` here and `task(n // 2, n)` on a second thread, side by side."""
    other = in_background(lambda: task(n // 2, n), parallel=True)
    return task(0, n // 2), other.result()
