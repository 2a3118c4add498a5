"""The one helper that starts threads in planner: results in order, errors passed on, small work inline."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from planner.concurrency import WORKERS, halves, in_background, in_sequence


def test_halves_cover_the_range_in_order_on_two_threads() -> None:
    threads: list[str] = []
    second_started = threading.Event()

    def part(lo: int, hi: int) -> list[int]:
        threads.append(threading.current_thread().name)
        if lo:
            second_started.set()
        else:  # the first half takes long enough for a pool thread to take up the second
            second_started.wait(5)
        return list(range(lo, hi))

    first, second = halves(part, 7)
    assert (first, second) == ([0, 1, 2], [3, 4, 5, 6])
    assert len(set(threads)) == 2


def test_halves_do_the_second_half_here_when_no_pool_thread_has_taken_it() -> None:
    here = threading.current_thread().name
    release = threading.Event()
    for _ in range(WORKERS):  # every pool thread busy
        in_background(lambda: release.wait(5), parallel=True)
    try:
        assert halves(lambda lo, hi: threading.current_thread().name, 8) == (here, here)
    finally:
        release.set()


def test_in_background_runs_inline_unless_asked_and_passes_errors_on() -> None:
    here = threading.current_thread().name
    assert in_background(lambda: threading.current_thread().name, parallel=False).result() == here
    assert in_background(lambda: threading.current_thread().name, parallel=True).result() != here

    def broken() -> None:
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        in_background(broken, parallel=True).result()
    with pytest.raises(ValueError, match="bad input"):
        in_background(broken, parallel=False)


def test_in_sequence_runs_in_order_each_with_its_own_result_and_errors_passed_on() -> None:
    order: list[str] = []

    def step(name: str) -> Callable[[], str]:
        def work() -> str:
            order.append(name)
            if name == "broken":
                raise ValueError("bad input")
            return threading.current_thread().name
        return work

    here = threading.current_thread().name
    a, b, c = in_sequence([step("first"), step("broken"), step("last")], parallel=False)
    assert order == ["first", "broken", "last"] and a.result() == c.result() == here
    with pytest.raises(ValueError, match="bad input"):
        b.result()


def test_in_sequence_work_not_started_yet_is_done_by_the_thread_asking_for_it() -> None:
    """The pool thread is held in the first piece: the second, asked for meanwhile, runs in the asking
    thread instead of waiting; the first still finishes on the pool thread."""
    release, started = threading.Event(), threading.Event()

    def first() -> str:
        started.set()
        release.wait(5)
        return threading.current_thread().name

    here = threading.current_thread().name
    a, b = in_sequence([first, lambda: threading.current_thread().name], parallel=True)
    assert started.wait(5)
    assert b.result() == here  # taken back: the pool thread is still busy with the first
    release.set()
    assert a.result() != here


def test_in_sequence_lets_go_of_work_once_done() -> None:
    """A pending piece keeps its result, not its work: an owner that holds its own pending method (as the
    analysis' events do) is freed at once, not left in a cycle for the garbage collector with its arrays."""
    import gc
    import weakref

    class Owner:
        def __init__(self) -> None:
            (self.pending,) = in_sequence([self.work], parallel=False)

        def work(self) -> int:
            return 42

    owner = Owner()
    assert owner.pending.result() == 42
    gone = weakref.ref(owner)
    gc.disable()
    try:
        del owner
        assert gone() is None
    finally:
        gc.enable()
