"""The one helper that starts threads in planner: results in order, errors passed on, small work inline."""

from __future__ import annotations

import threading

import pytest

from planner.concurrency import halves, in_background, in_sequence


def test_halves_cover_the_range_in_order_on_two_threads() -> None:
    threads: list[str] = []

    def part(lo: int, hi: int) -> list[int]:
        threads.append(threading.current_thread().name)
        return list(range(lo, hi))

    first, second = halves(part, 7)
    assert (first, second) == ([0, 1, 2], [3, 4, 5, 6])
    assert len(set(threads)) == 2


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


def test_in_sequence_runs_in_order_on_one_thread_each_with_its_own_result() -> None:
    order: list[str] = []

    def first() -> str:
        order.append("first")
        return threading.current_thread().name

    def broken() -> None:
        order.append("broken")
        raise ValueError("bad input")

    def last() -> str:
        order.append("last")
        return threading.current_thread().name

    for parallel in (True, False):
        order.clear()
        a, b, c = in_sequence([first, broken, last], parallel=parallel)
        assert a.result() == c.result()  # one thread for all three
        assert (a.result() != threading.current_thread().name) == parallel
        with pytest.raises(ValueError, match="bad input"):
            b.result()
        assert order == ["first", "broken", "last"]  # an error does not stop the ones after it
