"""The array plumbing every member metric shares: integer day numbers (days since 1970-01-01),
week and month numbers and their labels, member and action codes, distinct keys without sorting,
and arrays in arrow's memory pool. Plain numpy/pyarrow, no metric definitions."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planner.concurrency import halves
from planner.data.columnar import dictionary_codes


def pooled(n: int, dtype: Any) -> np.ndarray:
    """An uninitialised array in arrow's memory pool. The pool keeps freed pages for reuse (the loader's
    arrow buffers have just been freed), while numpy's large allocations get fresh pages from the system,
    and faulting those in costs more than the arithmetic done on them."""
    dtype = np.dtype(dtype)
    return np.frombuffer(pa.allocate_buffer(n * dtype.itemsize), dtype=dtype)


MASK_LIMIT = 1 << 26  # distinct keys by a mask up to 64 M possible values (a 64 MB boolean array)


def unique(keys: np.ndarray, return_counts: bool = False, space: int | None = None) -> Any:
    """Sorted distinct keys (and their counts). Keys here are dense (member × day, period …), so a mask or
    a bincount over their range does in one pass what sorting 10⁶ keys would take several times as long for."""
    if not len(keys):
        empty = np.array([], dtype=np.int64)
        return (empty, empty) if return_counts else empty
    # `space`: keys are known to lie in [0, space), which saves finding their range
    lo = 0 if space is not None else int(keys.min())
    span = space if space is not None else int(keys.max()) - lo + 1
    offset = keys - lo if lo else keys
    if return_counts and span <= 2 * len(keys) + 65_536:
        counts = np.bincount(offset, minlength=span)
        present = np.flatnonzero(counts)
        return present + lo, counts[present]
    if not return_counts and span <= min(64 * len(keys) + 65_536, MASK_LIMIT):
        mask = np.zeros(span, dtype=bool)
        mask[offset] = True
        return np.flatnonzero(mask) + lo if lo else np.flatnonzero(mask)
    keys = np.sort(keys)
    first = np.r_[True, keys[1:] != keys[:-1]]
    uniq = keys[first]
    if not return_counts:
        return uniq
    starts = np.flatnonzero(first)
    return uniq, np.diff(np.r_[starts, len(keys)])


def column_codes(values: pd.Series, compact: bool = True) -> tuple[np.ndarray, pa.Array]:
    """Codes and distinct values of a text column. A categorical (what the generic loader hands over)
    gives them for free, less the categories no row uses (unless `compact` is off: then its small codes
    come as they are); plain text is dictionary-encoded."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        categories = pa.array(values.cat.categories.astype("str"), type=pa.string())
        if not compact:
            return codes, categories
        codes = wide_codes(codes)
        used = np.bincount(codes, minlength=len(categories)) > 0 if len(codes) else np.zeros(0, bool)
        if not used.all():
            codes = (np.cumsum(used) - 1)[codes]
            categories = categories.filter(pa.array(used))
        return codes, categories
    return dictionary_codes(pa.chunked_array(string_chunks(values), type=pa.string()))


def wide_codes(codes: np.ndarray) -> np.ndarray:
    """Codes as int64 (a categorical's are as small as its categories allow): keys made from them
    (code × span + …) need the room."""
    if codes.dtype == np.int64:
        return codes
    wide = pooled(len(codes), np.int64)
    wide[:] = codes
    return wide


def member_codes(mem: pd.DataFrame | None, act: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Member codes of the members table and the log, and the ids (an arrow array, indexed by code): the
    table's members first, then the log's new ones, each in order of first appearance. A categorical log's
    ids come with its categories no row uses (a pass over a million codes to find them is left to the
    caller, who counts per member anyway)."""
    def codes(frame: pd.DataFrame | None, compact: bool) -> tuple[np.ndarray, pa.Array]:
        if frame is None or not len(frame):
            return np.zeros(0, np.int64), pa.array([], pa.string())
        return column_codes(frame["member_id"], compact)

    mem_codes, mem_ids = codes(mem, compact=True)
    act_codes, act_ids = codes(act, compact=False)
    act_codes = wide_codes(act_codes)
    if len(mem_ids) and len(act_ids):
        joint, ids = dictionary_codes(pa.concat_arrays([mem_ids, act_ids]))
        mem_codes, act_codes = joint[: len(mem_ids)][mem_codes], joint[len(mem_ids):][act_codes]
    else:
        ids = mem_ids if len(mem_ids) else act_ids
    return mem_codes, act_codes, ids


def string_chunks(values: Any) -> list[pa.Array]:
    """The arrow chunks of a string column (a pandas column backed by arrow is not copied)."""
    if isinstance(values, pd.Series) and values.dtype != "str":
        values = values.astype("str")
    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, type=pa.string())
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    chunks = [c if c.type == pa.string() else c.cast(pa.string()) for c in chunks]
    return [pc.fill_null(c, "") if c.null_count else c for c in chunks]


def last_rows(member: np.ndarray, n: int, rows: pa.Array | None) -> np.ndarray:
    """Per member code (0 … n-1), its last event row among `rows` (a boolean per event; None: all), else -1."""
    positions = np.arange(len(member)) if rows is None else np.flatnonzero(rows.to_numpy(zero_copy_only=False))
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, member if rows is None else member[positions], positions)
    return last


def day_numbers(times: pd.Series) -> np.ndarray:
    """Day numbers (days since 1970-01-01) of naive local timestamps."""
    ns = times.to_numpy(dtype="datetime64[ns]").view(np.int64)
    return np.floor_divide(ns, 86_400 * 10**9, out=pooled(len(ns), np.int64))


def day_label(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def month_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_label(month: int) -> str:
    return str(np.datetime64(int(month), "M"))


def week_of(days: np.ndarray) -> np.ndarray:
    return (days + 3) // 7  # day 0 (1970-01-01) is a Thursday; weeks start on Monday


def week_label(week: int) -> str:
    return day_label(week * 7 - 3)


# The labels of many days, weeks or months at once, as the functions above write them (one numpy call
# instead of one conversion each)
def day_labels(days: np.ndarray) -> list[str]:
    return np.datetime_as_string(np.asarray(days).astype("datetime64[D]")).tolist()


def week_labels(weeks: np.ndarray) -> list[str]:
    return day_labels(np.asarray(weeks) * 7 - 3)


def month_labels(months: np.ndarray) -> list[str]:
    return np.datetime_as_string(np.asarray(months).astype("datetime64[M]")).tolist()


def to_day(value: date) -> int:
    return int(np.datetime64(value, "D").astype(np.int64))


HALVES_FROM = 1 << 20  # below this many elements a second thread costs more than it saves


def mark_keys(mask: np.ndarray, keys: np.ndarray) -> None:
    """mask[keys] = True (halves of the keys side by side: both only ever write True)."""
    if len(keys) < HALVES_FROM:
        mask[keys] = True
        return
    halves(lambda lo, hi: mask.__setitem__(keys[lo:hi], True), len(keys))


def flatnonzero(mask: np.ndarray) -> np.ndarray:
    """np.flatnonzero of a large mask, its halves searched side by side."""
    if len(mask) < HALVES_FROM:
        return np.flatnonzero(mask)
    first, second = halves(lambda lo, hi: np.flatnonzero(mask[lo:hi]), len(mask))
    second += len(mask) // 2
    return np.concatenate([first, second])


def take_where(mask: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """The entries of `arrays` where `mask` is set: positions then a gather, which numpy does several times
    faster than indexing with the boolean mask itself."""
    at = np.flatnonzero(mask)
    return tuple(a.take(at) for a in arrays)


def per_period(day_period: np.ndarray, counts: np.ndarray, labels: Any) -> dict[str, int]:
    """Every period from the first to the last day, zeros included; `labels` writes the periods' labels."""
    first = int(day_period[0])
    periods = np.arange(first, int(day_period[-1]) + 1)
    return dict(zip(labels(periods), counts[:len(periods)].tolist(), strict=True))


def period_counts(day_period: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """How often each period from the first day's to the last day's occurs in `periods`."""
    first = int(day_period[0])
    return np.bincount(periods - first, minlength=int(day_period[-1]) - first + 1)


def ratio(num: float, den: float) -> float | None:
    return float(num) / float(den) if den else None


def day_dates(values: np.ndarray) -> np.ndarray:
    big = np.iinfo(np.int64).max
    ok = (values >= 0) & (values < big)
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[ok] = values[ok].astype("datetime64[D]").astype("datetime64[ns]")
    return out
