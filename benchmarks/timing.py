"""Shared timing helpers for the benchmark scripts (they print ratios, never assert)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The fastest of `repeat` runs of `fn` (seconds) and the last result: the least noisy figure."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def rounds(fns: dict[str, Callable[[], Any]], repeat: int) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Every function once per round, `repeat` rounds: the per-round times (seconds) and the last results.
    Taking turns puts a baseline and the code measured against it under the same passing load, which on
    a shared machine moves both by far more than the difference being measured."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - start)
    return times, results


def ratio_summary(ours: list[float], baseline: list[float]) -> tuple[float, float, float]:
    """(best / best, median of the per-round ratios, worst per-round ratio) of two `rounds` series."""
    per_round = [o / b for o, b in zip(ours, baseline, strict=True)]
    return min(ours) / min(baseline), statistics.median(per_round), max(per_round)
