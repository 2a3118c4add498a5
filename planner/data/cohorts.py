"""Cohort retention: of the members who joined in a period, the share active k periods later."""

from __future__ import annotations

from typing import Any

import numpy as np

from planner.data.day_arrays import unique


def cohort_retention(cohort: np.ndarray, member: np.ndarray, period: np.ndarray, last_period: int, horizon: int,
               label: Any) -> tuple[dict[str, dict[str, float | None]], dict[str, int]]:
    """Cohort retention from the distinct (member, period) activity pairs."""
    valid = cohort >= 0
    if not valid.any():
        return {}, {}
    cohorts, sizes = unique(cohort[valid], return_counts=True)
    size_of = dict(zip(cohorts.tolist(), sizes.tolist(), strict=True))
    own = cohort[member]
    k = period - own
    ok = (own >= 0) & (k >= 0) & (k <= horizon)
    # active members per (cohort, k) cell, cohorts numbered by their rank; the pairs are distinct already
    rank = np.searchsorted(cohorts, own[ok])
    cells = np.bincount(rank * (horizon + 1) + k[ok], minlength=len(cohorts) * (horizon + 1))
    cells = cells.reshape(len(cohorts), horizon + 1).tolist()
    table: dict[str, dict[str, float | None]] = {}
    for r, c in enumerate(cohorts.tolist()):
        row: dict[str, float | None] = {}
        for step in range(horizon + 1):
            row[str(step)] = None if c + step > last_period else cells[r][step] / size_of[c]
        table[label(c)] = row
    return table, {label(c): int(s) for c, s in size_of.items()}
