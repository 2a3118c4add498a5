"""The allocator tuning the app and the command line ask for."""

from __future__ import annotations

import platform
import sys

import pytest

from planner.memory import _mallopt, keep_freed_memory


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
