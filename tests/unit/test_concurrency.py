"""The one helper that starts threads in planner: results in order, errors passed on, small work inline."""

from __future__ import annotations

import threading

import pytest

from planner.concurrency import halves, in_background


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
