"""Work on a second core for large inputs. numpy loops and arrow kernels release the GIL, so a second
thread runs beside the main one; for small inputs handing work over costs more than it saves, and callers
decide where that line is. The one place that starts threads in `planner`.

The threads are kept in one pool for the life of the process: starting a thread for each piece of work
cost 0.1-0.2 ms, six times per analysis of a large log. Work handed over from a pool thread runs where
it is, so no pool thread ever waits for a place in the pool (however many sessions analyse at once)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

_PREFIX = "planner-worker"
WORKERS = 4  # pool threads for the whole process, every session's analyses share them


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix=_PREFIX)


def in_background(work: Callable[[], T], parallel: bool) -> Future[T]:
    """`work` started on a pool thread when `parallel`, else done now; its result via `.result()`."""
    if not parallel or threading.current_thread().name.startswith(_PREFIX):
        done: Future[T] = Future()
        done.set_result(work())
        return done
    return _pool().submit(work)


class Pending:
    """One piece of work in an `in_sequence` list: done by whichever thread gets to it first. Asking for its
    result before the pool thread has started it does it here instead of waiting, so when the thread that
    handed work over finishes its own first, it takes the rest back rather than idling."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._work: Callable[[], Any] | None = work
        self._claim, self._done = threading.Lock(), Future[Any]()

    def run_if_unclaimed(self) -> None:
        if not self._claim.acquire(blocking=False):
            return  # another thread has it
        # the work is let go of once claimed: it often holds its owner (a bound method, a closure), and kept
        # here it would make a cycle that only the garbage collector frees, with every array the owner holds
        work, self._work = self._work, None
        try:
            self._done.set_result(work())  # type: ignore[misc]
        except BaseException as exc:  # passed on to whoever asks for the result
            self._done.set_exception(exc)

    def result(self) -> Any:
        self.run_if_unclaimed()
        return self._done.result()


def in_sequence(works: list[Callable[[], Any]], parallel: bool) -> list[Pending]:
    """`works` one after the other on one pool thread when `parallel` (else now), each with its own result:
    the first is ready without waiting for the rest, they never compete with each other for the second core,
    and any the pool thread has not started yet when its result is asked for is done by the asking thread."""
    pending = [Pending(work) for work in works]

    def run() -> None:
        for item in pending:
            item.run_if_unclaimed()

    in_background(run, parallel)
    return pending


def halves(task: Callable[[int, int], T], n: int) -> tuple[T, T]:
    """`task(0, n // 2)` here and `task(n // 2, n)` on a second thread, side by side (here as well when no
    pool thread has taken it up by the time the first half is done)."""
    (other,) = in_sequence([lambda: task(n // 2, n)], parallel=True)
    return task(0, n // 2), other.result()
