"""The upload set as a list: per file, what it was recognised as, how many rows and members it holds and
which days it covers, so a user sees at once when a file is the wrong one or is there twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from planner.data.frames import LoadResult

KINDS = ("activity", "members", "daily")


@dataclass(frozen=True)
class FileSummary:
    name: str
    format: str  # the recognised source, e.g. "wechat_liuhen_v1", "generic"
    kinds: tuple[str, ...]  # which of KINDS it gave
    rows: int
    members: int
    first: str | None  # ISO day
    last: str | None
    ok: bool


def summarise(name: str, result: LoadResult) -> FileSummary:
    """One file's load result in a line."""
    kinds = tuple(k for k in KINDS if getattr(result, k) is not None)
    rows = sum(len(getattr(result, k)) for k in kinds)
    ids: set[str] = set()
    days: list[pd.Series] = []
    for kind, column in (("activity", "time"), ("members", "join_date"), ("daily", "date")):
        frame = getattr(result, kind)
        if frame is None or frame.empty:
            continue
        if "member_id" in frame:
            ids.update(frame["member_id"].astype(str).unique())
        if column in frame:
            days.append(frame[column].dropna())
    stamps = pd.concat(days) if days else pd.Series([], dtype="datetime64[ns]")
    first = None if stamps.empty else stamps.min().date().isoformat()
    last = None if stamps.empty else stamps.max().date().isoformat()
    return FileSummary(name, result.format, kinds, rows, len(ids), first, last, result.ok)


def summaries(files: list[tuple[str, bytes]], load: Any) -> list[FileSummary]:
    """Each file loaded on its own with `load([(name, data)])` and summarised."""
    return [summarise(name, load([(name, data)])) for name, data in files]


def day_range(result: LoadResult) -> tuple[date, date] | None:
    """The first and last day the loaded data covers (as the analysis will find them, in the usual case)."""
    lows, highs = [], []
    for kind, column in (("activity", "time"), ("members", "join_date"), ("daily", "date")):
        frame = getattr(result, kind)
        if frame is not None and column in frame and len(frame):
            values = frame[column]
            low, high = values.min(), values.max()
            if pd.notna(low):
                lows.append(low)
                highs.append(high)
    if not lows:
        return None
    return min(lows).date(), max(highs).date()
