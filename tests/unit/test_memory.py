"""The allocator tuning the app and the command line ask for."""

from __future__ import annotations

import gc
import platform
import sys

import pytest

from planner.memory import _mallopt, freeze_startup_heap, keep_freed_memory


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="mallopt tuning is glibc's")
def test_glibc_accepts_the_tuning_and_a_second_call() -> None:
    assert keep_freed_memory() is True
    assert keep_freed_memory(keep_mb=256, mmap_mb=32) is True


def test_elsewhere_it_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    _mallopt.cache_clear()  # looked up once per process: forget this one's
    monkeypatch.setattr(sys, "platform", "darwin")
    try:
        assert keep_freed_memory() is False
    finally:
        _mallopt.cache_clear()


def test_the_startup_heap_is_frozen_once_per_process() -> None:
    freeze_startup_heap.cache_clear()
    gc.unfreeze()
    try:
        assert freeze_startup_heap() is True
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # at least this test run's imports
        made_since = [[i] for i in range(100)]  # tracked objects made after the freeze
        assert freeze_startup_heap() is True  # a second call (every rerun of app.py) freezes nothing more
        assert gc.get_freeze_count() == frozen, len(made_since)
    finally:
        gc.unfreeze()
        freeze_startup_heap.cache_clear()
