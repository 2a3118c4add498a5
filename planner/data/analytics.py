"""Member-data analytics with pinned definitions (the written ones live in `planner.data.metrics`).

Conventions every metric shares:
- a *day* is a calendar day of the local, naive timestamps; `as_of` (default: the last day in
  the data) is the end of the analysis, later events are ignored;
- an *activity event* is any activity-log row whose action is not 加入 / 移出;
- a member *joined* on the members table's join date, else on their first 加入 event, else on
  their first event of any kind; a member *left* on a 移出 event later than their last 加入;
- *members(d)* = joined on or before d and not left on or before d (unknown join: from the start);
- weeks start on Monday and are labelled by that Monday (YYYY-MM-DD); months are YYYY-MM;
- windows "the N days up to d" include d: [d-N+1, d].
Everything is computed on integer day numbers and member codes with numpy, so 10⁶ events take
well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from models.enums import Layer
from planner.concurrency import halves, in_background
from planner.data.columnar import dictionary_codes
from planner.data.frames import CHECKIN, JOIN, PURCHASE, REMOVE, SPEAK, LoadResult

RETENTION_MONTHS = 12
KPI_METRICS = ("members", "new_members", "active_members", "checkin_rate", "dau_mau", "retention_m1", "buyers",
               "messages")
LAYER_ORDER = tuple(Layer)


@dataclass
class AnalysisOptions:
    as_of: date | None = None
    weekly_cohorts: bool = False
    retention_weeks: int = 12
    presence: tuple[tuple[int, int], ...] = ((7, 2), (30, 7), (90, 30))  # (window days, min active days)
    inactive_prior_days: int = 90
    inactive_silent_days: int = 30
    inactive_min_events: int = 10
    event_date: date | None = None  # before/after around this day
    around_days: int = 7


@dataclass
class Analysis:
    source: str = "none"  # "activity" | "daily" | "members" | "none"
    start: date | None = None
    as_of: date | None = None
    members: int = 0
    events: int = 0
    bad_rows: int = 0  # copied from the load result, for the export's overview
    new_per_day: dict[str, int] = field(default_factory=dict)
    new_per_week: dict[str, int] = field(default_factory=dict)
    new_per_month: dict[str, int] = field(default_factory=dict)
    active_per_day: dict[str, int] = field(default_factory=dict)
    active_per_week: dict[str, int] = field(default_factory=dict)
    active_per_month: dict[str, int] = field(default_factory=dict)
    # one row per day: date, members, new, dau, wau, mau, dau_mau, checkins, checkin_rate, messages
    daily: pd.DataFrame = field(default_factory=pd.DataFrame)
    retention: dict[str, dict[str, float | None]] = field(default_factory=dict)
    cohort_sizes: dict[str, int] = field(default_factory=dict)
    retention_weekly: dict[str, dict[str, float | None]] = field(default_factory=dict)
    funnel: list[dict[str, Any]] = field(default_factory=list)
    layers: dict[str, int] = field(default_factory=dict)
    layer_window_days: int = 7
    presence: list[dict[str, Any]] = field(default_factory=list)
    concentration: dict[str, Any] = field(default_factory=dict)
    inactivity: list[dict[str, Any]] = field(default_factory=list)
    lurker_treatment: str = ""
    plan_vs_actual: list[dict[str, Any]] = field(default_factory=list)
    before_after: dict[str, Any] | None = None
    # one row per member: member_id, nickname, join_date, left, events, active_days, last_active,
    # layer, checkin_days, messages (the last two over the layer window)
    member_table: pd.DataFrame = field(default_factory=pd.DataFrame)


def _pooled(n: int, dtype: Any) -> np.ndarray:
    """An uninitialised array in arrow's memory pool. The pool keeps freed pages for reuse (the loader's
    arrow buffers have just been freed), while numpy's large allocations get fresh pages from the system,
    and faulting those in costs more than the arithmetic done on them."""
    dtype = np.dtype(dtype)
    return np.frombuffer(pa.allocate_buffer(n * dtype.itemsize), dtype=dtype)


_MASK_LIMIT = 1 << 26  # distinct keys by a mask up to 64 M possible values (a 64 MB boolean array)


def _unique(keys: np.ndarray, return_counts: bool = False, space: int | None = None) -> Any:
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
    if not return_counts and span <= min(64 * len(keys) + 65_536, _MASK_LIMIT):
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


def _column_codes(values: pd.Series, compact: bool = True) -> tuple[np.ndarray, pa.Array]:
    """Codes and distinct values of a text column. A categorical (what the generic loader hands over)
    gives them for free, less the categories no row uses (unless `compact` is off: then its small codes
    come as they are); plain text is dictionary-encoded."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        categories = pa.array(values.cat.categories.astype("str"), type=pa.string())
        if not compact:
            return codes, categories
        small, codes = codes, _pooled(len(codes), np.int64)
        codes[:] = small
        used = np.bincount(codes, minlength=len(categories)) > 0 if len(codes) else np.zeros(0, bool)
        if not used.all():
            codes = (np.cumsum(used) - 1)[codes]
            categories = categories.filter(pa.array(used))
        return codes, categories
    return dictionary_codes(pa.chunked_array(_chunks(values), type=pa.string()))


def _member_codes(mem: pd.DataFrame | None, act: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Member codes of the members table and the log, and the ids (an arrow array, indexed by code): the
    table's members first, then the log's new ones, each in order of first appearance."""
    parts = [_column_codes(f["member_id"]) if f is not None and len(f) else (np.zeros(0, np.int64), pa.array(
        [], pa.string())) for f in (mem, act)]
    (mem_codes, mem_ids), (act_codes, act_ids) = parts
    if len(mem_ids) and len(act_ids):
        joint, ids = dictionary_codes(pa.concat_arrays([mem_ids, act_ids]))
        mem_codes, act_codes = joint[: len(mem_ids)][mem_codes], joint[len(mem_ids):][act_codes]
    else:
        ids = mem_ids if len(mem_ids) else act_ids
    return mem_codes, act_codes, ids


def _chunks(values: Any) -> list[pa.Array]:
    """The arrow chunks of a string column (a pandas column backed by arrow is not copied)."""
    if isinstance(values, pd.Series) and values.dtype != "str":
        values = values.astype("str")
    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, type=pa.string())
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    chunks = [c if c.type == pa.string() else c.cast(pa.string()) for c in chunks]
    return [pc.fill_null(c, "") if c.null_count else c for c in chunks]


def _last_rows(member: np.ndarray, n: int, rows: pa.Array | None) -> np.ndarray:
    """Per member code (0 … n-1), its last event row among `rows` (a boolean per event; None: all), else -1."""
    positions = np.arange(len(member)) if rows is None else np.flatnonzero(rows.to_numpy(zero_copy_only=False))
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, member if rows is None else member[positions], positions)
    return last


def _day_numbers(times: pd.Series) -> np.ndarray:
    """Day numbers (days since 1970-01-01) of naive local timestamps."""
    ns = times.to_numpy(dtype="datetime64[ns]").view(np.int64)
    return np.floor_divide(ns, 86_400 * 10**9, out=_pooled(len(ns), np.int64))


def _day_label(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def _month_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _month_label(month: int) -> str:
    return str(np.datetime64(int(month), "M"))


def _week_of(days: np.ndarray) -> np.ndarray:
    return (days + 3) // 7  # day 0 (1970-01-01) is a Thursday; weeks start on Monday


def _week_label(week: int) -> str:
    return _day_label(week * 7 - 3)


def _to_day(value: date) -> int:
    return int(np.datetime64(value, "D").astype(np.int64))


_HALVES_FROM = 1 << 20  # below this many elements a second thread costs more than it saves


def _mark(mask: np.ndarray, keys: np.ndarray) -> None:
    """mask[keys] = True (halves of the keys side by side: both only ever write True)."""
    if len(keys) < _HALVES_FROM:
        mask[keys] = True
        return
    halves(lambda lo, hi: mask.__setitem__(keys[lo:hi], True), len(keys))


def _flatnonzero(mask: np.ndarray) -> np.ndarray:
    """np.flatnonzero of a large mask, its halves searched side by side."""
    if len(mask) < _HALVES_FROM:
        return np.flatnonzero(mask)
    first, second = halves(lambda lo, hi: np.flatnonzero(mask[lo:hi]), len(mask))
    second += len(mask) // 2
    return np.concatenate([first, second])


def _pairs(keys: np.ndarray, checkin: np.ndarray | None, space: int) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct member-day keys and, for each, whether a check-in is among its events. Dense keys
    (the usual case) are marked in boolean masks and never sorted."""
    # check-ins are a minority: gathering them by position is several times cheaper than a boolean index
    checkin_keys = keys.take(np.flatnonzero(checkin)) if checkin is not None else keys[:0]
    if space <= min(64 * len(keys) + 65_536, _MASK_LIMIT):
        mark = _pooled(space, bool)  # a bool mask: numpy finds its set entries far faster than bytes'
        mark[:] = False
        _mark(mark, keys)
        pair_keys = _flatnonzero(mark)
        if not len(checkin_keys):
            return pair_keys, np.zeros(len(pair_keys), dtype=bool)
        mark[:] = False
        mark[checkin_keys] = True
        return pair_keys, mark[pair_keys]
    pair_keys = _unique(keys)
    checked = np.zeros(len(pair_keys), dtype=bool)
    checked[np.searchsorted(pair_keys, _unique(checkin_keys))] = True
    return pair_keys, checked


def _rolling_distinct(dau: np.ndarray, pair_d: np.ndarray, next_d: np.ndarray, nd: int, window: int,
                      tmp: np.ndarray) -> np.ndarray:
    """Distinct members with ≥1 active day in [t-window+1, t], for t = 0…nd-1.

    Pairs are the distinct (member, day) sorted by member then day, `next_d` the member's next active day
    (nd after its last). A member counts on day t for its latest active day d ≤ t while t < d+window, so
    each pair covers [d, min(next_d, d+window)): these runs never overlap within a member, and counting
    run starts (the DAU) minus run ends gives the distinct members of every window in one pass."""
    end = np.add(pair_d, window, out=tmp)
    np.minimum(end, next_d, out=end)
    ends = np.bincount(end, minlength=nd + 1)[:nd]
    return np.cumsum(dau - ends)


def _member_periods(pair_m: np.ndarray, period: np.ndarray, boundary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (member, period) of the sorted (member, day) pairs, `boundary` marking pairs that start a
    new member. A member's periods never decrease with its days, so a new (member, period) starts where the
    member or the period changes: no sort, no mask."""
    if not len(pair_m):
        return pair_m, period
    new = np.empty(len(pair_m), dtype=bool)
    new[0] = True
    np.not_equal(period[1:], period[:-1], out=new[1:])
    new[1:] |= boundary
    return _where(new, pair_m, period)


def _where(mask: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """The entries of `arrays` where `mask` is set: positions then a gather, which numpy does several times
    faster than indexing with the boolean mask itself."""
    at = np.flatnonzero(mask)
    return tuple(a.take(at) for a in arrays)


def _per_period(day_period: np.ndarray, counts: np.ndarray, label: Any) -> dict[str, int]:
    """Every period from the first to the last day, zeros included."""
    first = int(day_period[0])
    return {label(first + i): int(counts[i]) for i in range(int(day_period[-1]) - first + 1)}


def _period_counts(day_period: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """How often each period from the first day's to the last day's occurs in `periods`."""
    first = int(day_period[0])
    return np.bincount(periods - first, minlength=int(day_period[-1]) - first + 1)


def _ratio(num: float, den: float) -> float | None:
    return float(num) / float(den) if den else None


class _Data:
    """The load result as integer arrays: member codes, day numbers and action codes (flags on demand)."""

    def __init__(self, result: LoadResult, as_of: date | None, checkin_words: frozenset[str]) -> None:
        act, mem = result.activity, result.members
        mem_codes, self.m, self.ids = _member_codes(mem, act)
        self.n = len(self.ids)
        names: list[str | None] = []
        nick = act["nickname"] if act is not None and len(act) else pd.Series([], dtype="str")
        if act is not None and len(act):
            self.d = _day_numbers(act["time"])
            self.a, action_uniques = _column_codes(act["action"], compact=False)
            names = [str(a) for a in action_uniques.to_pylist()]
            if int(self.a.min()) < 0:  # a missing action (a categorical's -1) carries none of the words
                self.a = np.where(self.a < 0, len(names), self.a)
                names.append(None)
        else:
            self.d = np.array([], dtype=np.int64)
            self.a = np.array([], dtype=np.int64)
        self.na = max(len(names), 1)  # action codes are 0 … na-1

        def codes(words: frozenset[str] | set[str]) -> list[int]:
            return [i for i, a in enumerate(names) if a in words]

        self.join_codes, self.remove_codes = codes({JOIN}), codes({REMOVE})
        self.speak_codes, self.purchase_codes = codes({SPEAK}), codes({PURCHASE})
        self.checkin_codes = codes({CHECKIN} | checkin_words)
        self.active_codes = [i for i in range(self.na) if i not in self.join_codes + self.remove_codes]
        # the end of the analysis
        candidates = [int(self.d.max())] if len(self.d) else []
        join_table = np.full(self.n, np.iinfo(np.int64).max, dtype=np.int64)
        if mem is not None and len(mem):
            jd = mem["join_date"].to_numpy(dtype="datetime64[ns]")
            ok = ~np.isnat(jd)
            join_table[mem_codes[ok]] = jd[ok].astype("datetime64[D]").astype(np.int64)
            if ok.any():
                candidates.append(int(join_table[mem_codes[ok]].max()))
        self.end = _to_day(as_of) if as_of else (max(candidates) if candidates else None)
        if as_of is not None and self.end is not None and len(self.d):  # without as_of, end is the last day
            keep = self.d <= self.end
            if not keep.all():
                self.m, self.d, self.a = self.m[keep], self.d[keep], self.a[keep]
                nick = nick[keep]
        # names are needed last and take a fifth of the time: on a large log they are found on another core
        self.names = pa.array([], pa.string())  # by member code, filled by resolve_names()
        self._name_sources = (mem, mem_codes, self.m, nick)
        self.names_done = in_background(self.resolve_names, len(nick) >= _BACKGROUND_ROWS)
        # One scratch buffer for every per-event key (member × action, day × action, member × day): on this
        # machine fresh memory costs more than the arithmetic, so the keys are computed in place.
        self.scratch = _pooled(len(self.d), np.int64)
        # events per member and action: every per-member count below is a sum of its columns
        key = self.key(self.m, self.na, self.a if self.na > 1 else None)
        self.counts = np.bincount(key, minlength=self.n * self.na).reshape(self.n, self.na)
        present = self.counts.any(axis=0)
        self.every_active = not present[self.join_codes + self.remove_codes].any()
        big = np.iinfo(np.int64).max
        first_event = np.full(self.n, big, dtype=np.int64)
        np.minimum.at(first_event, self.m, self.d)
        first_join = np.full(self.n, big, dtype=np.int64)
        last_join = np.full(self.n, -1, dtype=np.int64)
        if present[self.join_codes].any():
            sel = self.flag(self.join_codes)
            np.minimum.at(first_join, self.m[sel], self.d[sel])
            np.maximum.at(last_join, self.m[sel], self.d[sel])
        join = np.where(join_table < big, join_table, np.where(first_join < big, first_join, first_event))
        self.join = join  # big = unknown
        last_remove = np.full(self.n, -1, dtype=np.int64)
        if present[self.remove_codes].any():
            sel = self.flag(self.remove_codes)
            np.maximum.at(last_remove, self.m[sel], self.d[sel])
        self.left = np.where((last_remove >= 0) & (last_remove >= last_join) & (last_remove >= np.where(
            join < big, join, -1)), last_remove, big)
        known = join[join < big]
        starts = [int(self.d.min())] if len(self.d) else []
        if len(known):
            starts.append(int(known.min()))
        self.start = min(starts) if starts else None
        if self.end is not None and self.start is not None and self.start > self.end:
            self.start = self.end
        self.sorted = bool(len(self.d) < 2 or (self.d[1:] >= self.d[:-1]).all())

    def key(self, major: np.ndarray, span: int, minor: np.ndarray | None = None, offset: int = 0) -> np.ndarray:
        """major * span + minor - offset for every event, in the scratch buffer (valid until the next call)."""
        if span == 1 and minor is None and not offset:
            return major
        key = np.multiply(major, span, out=self.scratch)
        if minor is not None:
            key += minor
        if offset:
            key -= offset
        return key

    def flag(self, codes: list[int], sel: slice | np.ndarray = slice(None)) -> np.ndarray:
        """Per event (of the rows `sel`): whether its action is one of `codes` (compared on the small codes)."""
        a = self.a[sel]
        if len(codes) > 4:
            return np.isin(a, codes)
        out = np.zeros(len(a), dtype=bool)
        for i in codes:
            out |= a == i
        return out

    @cached_property
    def is_active(self) -> np.ndarray:
        return np.ones(len(self.a), dtype=bool) if self.every_active else ~self.flag(
            self.join_codes + self.remove_codes)

    @cached_property
    def is_checkin(self) -> np.ndarray:
        return self.flag(self.checkin_codes)

    @cached_property
    def is_purchase(self) -> np.ndarray:
        return self.flag(self.purchase_codes)

    def per_member(self, codes: list[int]) -> np.ndarray:
        """Events per member whose action is one of `codes`."""
        return self.counts[:, codes].sum(axis=1)

    def active_events(self, sel: slice | np.ndarray) -> np.ndarray:
        """Activity events per member among the rows `sel`."""
        m = self.m[sel]
        return np.bincount(m if self.every_active else m[self.is_active[sel]], minlength=self.n)

    def resolve_names(self) -> None:
        """The latest non-blank nickname per member, trimmed (members table first, activity log overrides),
        as an arrow array by member code. Only the chosen names are trimmed, not a million rows: a chosen name
        that is blank once trimmed (rare) sends its member back to an earlier one. Runs beside the rest of
        the analysis: it reads only what `_name_sources` captured."""
        mem, mem_codes, member, nick = self._name_sources
        # every name is `sources[index[code]]`: sources are "", the table's names, the log's chosen names
        sources: list[pa.Array] = [pa.array([""], pa.string())]
        index = np.zeros(self.n, dtype=np.int64)
        if mem is not None and len(mem):
            sources.append(pc.utf8_trim_whitespace(pa.chunked_array(_chunks(mem["nickname"]),
                                                                    type=pa.string()).combine_chunks()))
            index[mem_codes] = np.arange(1, len(mem) + 1)
        if len(nick):
            texts = pa.chunked_array(_chunks(nick), type=pa.string()).combine_chunks()
            lengths = pc.binary_length(texts)
            rows = None if pc.min(lengths).as_py() > 0 else pc.greater(lengths, 0)  # None: every row has a name
            for _ in range(2):
                last = _last_rows(member, self.n, rows)
                found = np.flatnonzero(last >= 0)
                chosen = pc.utf8_trim_whitespace(texts.take(pa.array(last[found])))
                blank = pc.equal(chosen, "").to_numpy(zero_copy_only=False)
                if not blank.any():
                    break
                rows = pc.and_(pc.greater(lengths, 0), pc.invert(pc.utf8_is_space(texts)))
            offset = sum(len(x) for x in sources)
            kept = np.flatnonzero(~blank)
            index[found[kept]] = offset + kept
            sources.append(chosen)
        self.names = pa.concat_arrays(sources).take(pa.array(index))

    def between(self, after: int, until: int | None = None) -> slice | np.ndarray:
        """The events on days in (after, until]: a slice of a log in time order (no copies), else a mask."""
        if self.sorted:
            stop = None if until is None else int(np.searchsorted(self.d, until, side="right"))
            return slice(int(np.searchsorted(self.d, after, side="right")), stop)
        return (self.d > after) if until is None else (self.d > after) & (self.d <= until)


_BACKGROUND_ROWS = 100_000


def _messages_per_day(data: _Data, d0: int, nd: int) -> np.ndarray:
    """Speak events per day. A log in time order is cut at the day boundaries and each day's flags are
    counted (no per-event keys); otherwise the days of the speak events are counted."""
    if not data.speak_codes:
        return np.zeros(nd, dtype=np.int64)
    speak = data.flag(data.speak_codes)
    if data.sorted:
        bounds = np.searchsorted(data.d, np.arange(d0, d0 + nd + 1)).tolist()
        return np.array([np.count_nonzero(speak[lo:hi]) for lo, hi in pairwise(bounds)],
                        dtype=np.int64)
    return np.bincount(data.d[speak] - d0, minlength=nd)[:nd]


def analyze(result: LoadResult, plan: Any = None, options: AnalysisOptions | None = None) -> Analysis:
    """Every metric of the metric dictionary, from one load result (and the plan, when given)."""
    options = options or AnalysisOptions()
    words = frozenset(w.strip() for w in plan.data.checkin_keywords) if plan is not None else frozenset()
    data = _Data(result, options.as_of, words)
    out = Analysis(bad_rows=result.bad_rows)
    if data.end is None or data.start is None:
        if result.daily is not None and len(result.daily):
            daily_only = _daily_only(result.daily, plan, options)
            daily_only.bad_rows = result.bad_rows
            return daily_only
        return out
    out.source = "activity" if len(data.d) else "members"
    d0, nd = data.start, data.end - data.start + 1
    out.start, out.as_of = np.datetime64(d0, "D").item(), np.datetime64(data.end, "D").item()
    big = np.iinfo(np.int64).max
    days = np.arange(d0, data.end + 1)
    out.events = len(data.d)

    # membership over time
    join_idx = np.where(data.join < big, np.clip(data.join - d0, 0, None), 0)
    joined_known = (data.join < big) & (data.join <= data.end)
    present_from = np.where(data.join < big, data.join, d0)
    in_range = present_from <= data.end
    members_on = np.cumsum(np.bincount(join_idx[in_range], minlength=nd)[:nd])
    gone = (data.left < big) & (data.left <= data.end) & in_range
    members_on = members_on - np.cumsum(np.bincount(data.left[gone] - d0, minlength=nd)[:nd])
    current = in_range & ~gone
    out.members = int(current.sum())
    new_days = data.join[joined_known]
    new_on = np.bincount(new_days - d0, minlength=nd)[:nd]

    messages = _messages_per_day(data, d0, nd)

    # activity: the distinct (member, day) pairs, sorted by member then day, and which of them hold a
    # check-in, from one pass over the events
    sel = slice(None) if data.every_active else data.is_active  # most logs hold no joins or removals
    checkin = data.is_checkin[sel] if data.checkin_codes else None
    pair_keys, pair_checked = _pairs(data.key(data.m, nd, data.d, d0)[sel], checkin, data.n * nd)
    pair_d = _pooled(len(pair_keys), np.int64)
    pair_m, _ = np.divmod(pair_keys, nd, out=(pair_keys, pair_d))  # in place: the keys are not needed again
    if set(data.checkin_codes) - set(data.active_codes) and (data.is_checkin & ~data.is_active).any():
        # a check-in word that is also a join or removal: its days count as check-ins too
        ck = _unique(data.m[data.is_checkin] * nd + (data.d[data.is_checkin] - d0))
        ck_m, ck_d = np.divmod(ck, nd)
    else:
        ck_m, ck_d = _where(pair_checked, pair_m, pair_d)
    boundary = np.not_equal(pair_m[1:], pair_m[:-1])  # pair i+1 starts a new member
    next_d = _pooled(len(pair_d), np.int64)  # the member's next active day, nd after its last
    next_d[:-1] = pair_d[1:]
    np.copyto(next_d[:-1], nd, where=boundary)
    next_d[-1:] = nd
    pair_tmp = _pooled(len(pair_d), np.int64)  # scratch for the pair-level keys below
    dau = np.bincount(pair_d, minlength=nd)[:nd]
    wau = _rolling_distinct(dau, pair_d, next_d, nd, 7, pair_tmp)
    mau = _rolling_distinct(dau, pair_d, next_d, nd, 30, pair_tmp)
    checkins = np.bincount(ck_d, minlength=nd)[:nd]
    with np.errstate(divide="ignore", invalid="ignore"):
        dau_mau = np.where(mau > 0, dau / np.maximum(mau, 1), np.nan)
        rate = np.where(members_on > 0, checkins / np.maximum(members_on, 1), np.nan)
    out.daily = pd.DataFrame({
        "date": days.astype("datetime64[D]").astype("datetime64[ns]"), "members": members_on, "new": new_on,
        "dau": dau, "wau": wau, "mau": mau, "dau_mau": dau_mau, "checkins": checkins, "checkin_rate": rate,
        "messages": messages,
    })
    labels = [_day_label(d) for d in days]
    out.new_per_day = dict(zip(labels, new_on.tolist(), strict=True))
    out.active_per_day = dict(zip(labels, dau.tolist(), strict=True))
    day_week = _week_of(days)
    day_month = _month_of(days)
    out.new_per_week = _per_period(day_week, _period_counts(day_week, _week_of(new_days)), _week_label)
    out.new_per_month = _per_period(day_month, _period_counts(day_month, _month_of(new_days)), _month_label)

    def by_period() -> None:
        """Active members per week and month, and cohort retention: on a second core on a large log."""
        week_m, week = _member_periods(pair_m, np.take(day_week, pair_d, out=_pooled(len(pair_d), np.int64)),
                                       boundary)
        month_m, month = _member_periods(pair_m, np.take(day_month, pair_d, out=_pooled(len(pair_d), np.int64)),
                                         boundary)
        out.active_per_week = _per_period(day_week, _period_counts(day_week, week), _week_label)
        out.active_per_month = _per_period(day_month, _period_counts(day_month, month), _month_label)
        # cohorts: calendar months of the join day; retention k = share active in cohort month + k
        cohort_day = np.where(data.join < big, data.join, -1)
        has_cohort = (cohort_day >= 0) & (cohort_day <= data.end)
        out.retention, out.cohort_sizes = _retention(
            cohort=np.where(has_cohort, _month_of(np.maximum(cohort_day, 0)), -1),
            member=month_m, period=month, last_period=int(day_month[-1]), horizon=RETENTION_MONTHS,
            label=_month_label)
        if options.weekly_cohorts:
            out.retention_weekly, _ = _retention(
                cohort=np.where(has_cohort, _week_of(np.maximum(cohort_day, 0)), -1),
                member=week_m, period=week, last_period=int(day_week[-1]), horizon=options.retention_weeks,
                label=_week_label)

    periods = in_background(by_period, len(pair_m) >= _BACKGROUND_ROWS)

    # per-member facts
    data.names_done.result()
    events_per = data.per_member(data.active_codes)
    active_days = np.bincount(pair_m, minlength=data.n)
    last_active = np.full(data.n, -1, dtype=np.int64)
    if len(pair_m):
        ends = np.r_[boundary, True]
        last_active[pair_m[ends]] = pair_d[ends] + d0

    # funnel: each step counts members who did it at least once, against everyone who joined
    spoke, checked, bought = (data.per_member(c) > 0 for c in (data.speak_codes, data.checkin_codes,
                                                                data.purchase_codes))
    everyone = int(in_range.sum())
    out.funnel = [
        {"step": step, "count": int(count), "share": _ratio(count, everyone)}
        for step, count in (("joined", everyone), ("spoke", (spoke & in_range).sum()),
                            ("checked_in", (checked & in_range).sum()), ("bought", (bought & in_range).sum()))
    ]

    # layers over the plan's window, for current members
    layers_cfg = plan.member_layers if plan is not None else None
    window = layers_cfg.window_days if layers_cfg is not None else 7
    out.layer_window_days = window
    lo = nd - window
    checkin_days = np.bincount(ck_m[ck_d > lo], minlength=data.n)
    win = data.between(d0 + lo)
    msgs_win = np.bincount(data.m[win][data.flag(data.speak_codes, win)], minlength=data.n)
    layer_code = np.where(current, _assign_layers(checkin_days, msgs_win, layers_cfg), -1)  # -1: not a member now
    per_layer = np.bincount(layer_code[layer_code >= 0], minlength=len(LAYER_ORDER))
    out.layers = {layer.value: int(per_layer[i]) for i, layer in enumerate(LAYER_ORDER)}

    # presence levels
    # active days in the window per member: within a member's run of pairs the days ascend, so the pairs
    # (member, day) in order are one sorted key, and a search finds where each run's window begins
    firsts = np.flatnonzero(np.r_[True, boundary]) if len(pair_m) else np.zeros(0, dtype=np.int64)
    run_member, run_end = pair_m.take(firsts), np.r_[firsts[1:], len(pair_m)]
    pair_key = np.multiply(pair_m, nd, out=pair_tmp)
    pair_key += pair_d
    for win, min_days in options.presence:
        count = np.zeros(data.n, dtype=np.int64)
        count[run_member] = run_end - np.searchsorted(pair_key, run_member * nd + (nd - 1 - win), side="right")
        who = (count >= min_days) & current
        out.presence.append({"window_days": win, "min_days": min_days, "count": int(who.sum()),
                             "members": data.ids.filter(pa.array(who)).to_pylist()})

    out.concentration = _concentration(events_per)
    out.inactivity = _inactivity(data, last_active, nd, current, options)
    if layers_cfg is not None:
        out.lurker_treatment = next((ly.treatment for ly in layers_cfg.layers if ly.layer == Layer.LURKER), "")

    member_rows = np.flatnonzero(in_range)
    out.member_table = pd.DataFrame({
        "member_id": data.ids.take(member_rows).to_pandas(),
        "nickname": data.names.take(member_rows).to_pandas(),
        "join_date": _dates(data.join[member_rows]),
        "left": _dates(data.left[member_rows]),
        "events": events_per[member_rows],
        "active_days": active_days[member_rows],
        "last_active": _dates(last_active[member_rows]),
        "layer": _LAYER_VALUES[layer_code[member_rows]],
        "checkin_days": checkin_days[member_rows],
        "messages": msgs_win[member_rows],
    })
    periods.result()
    if plan is not None:
        out.plan_vs_actual = plan_vs_actual(plan, out, data)
    if options.event_date is not None:
        out.before_after = _before_after(out.daily, _to_day(options.event_date) - d0, options.around_days, data,
                                         d0, nd)
    return out


def _dates(values: np.ndarray) -> np.ndarray:
    big = np.iinfo(np.int64).max
    ok = (values >= 0) & (values < big)
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[ok] = values[ok].astype("datetime64[D]").astype("datetime64[ns]")
    return out


def _retention(cohort: np.ndarray, member: np.ndarray, period: np.ndarray, last_period: int, horizon: int,
               label: Any) -> tuple[dict[str, dict[str, float | None]], dict[str, int]]:
    """Cohort retention from the distinct (member, period) activity pairs."""
    valid = cohort >= 0
    if not valid.any():
        return {}, {}
    cohorts, sizes = _unique(cohort[valid], return_counts=True)
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


# a layer's value by its position in LAYER_ORDER; position -1 (not a current member) is ""
_LAYER_VALUES = np.array([layer.value for layer in LAYER_ORDER] + [""], dtype=object)


def _assign_layers(checkin_days: np.ndarray, messages: np.ndarray, cfg: Any) -> np.ndarray:
    """Per member, the position in LAYER_ORDER of the first layer (activist → watcher → lurker) whose
    thresholds it meets; else of the last layer."""
    if cfg is None:
        from models.plan import MemberLayers
        cfg = MemberLayers()
    layers = sorted(cfg.layers, key=lambda ly: LAYER_ORDER.index(ly.layer))
    out = np.full(len(checkin_days), LAYER_ORDER.index(layers[-1].layer) if layers else len(LAYER_ORDER) - 1)
    done = np.zeros(len(checkin_days), dtype=bool)
    for ly in layers:
        meets = (checkin_days >= ly.min_checkin_days) & (messages >= ly.min_messages) & ~done
        out[meets] = LAYER_ORDER.index(ly.layer)
        done |= meets
    return out


def _concentration(events_per: np.ndarray) -> dict[str, Any]:
    counts = np.sort(events_per[events_per > 0])[::-1]
    total = int(counts.sum())
    if not total:
        return {"total_events": 0, "active_members": 0, "members_for_half": 0, "top1_share": None,
                "top5_share": None, "curve": []}
    cum = np.cumsum(counts)
    half = int(np.searchsorted(cum, total / 2) + 1)  # smallest n with cum[n-1] ≥ total/2
    n = len(counts)
    points = _unique(np.linspace(0, n, num=min(n, 200) + 1).astype(int))
    curve = [{"members_share": float(p / n), "events_share": float(cum[p - 1] / total if p else 0.0)} for p in points]
    return {"total_events": total, "active_members": n, "members_for_half": half,
            "members_for_half_share": half / n, "top1_share": float(cum[0] / total),
            "top5_share": float(cum[min(5, n) - 1] / total), "curve": curve}


def _inactivity(data: _Data, last_active: np.ndarray, nd: int, current: np.ndarray,
                options: AnalysisOptions) -> list[dict[str, Any]]:
    """Members with ≥ min events in the prior window who have been silent for the last `silent` days."""
    silent, prior = options.inactive_silent_days, options.inactive_prior_days
    cut = data.start + nd - 1 - silent  # the last day before the silence
    recent, window = data.between(cut), data.between(cut - prior, cut)
    recent, before = data.active_events(recent), data.active_events(window)
    who = np.flatnonzero((before >= options.inactive_min_events) & (recent == 0) & current)
    who = who[np.argsort(-before[who], kind="stable")]
    return [{"member_id": data.ids[int(m)].as_py(), "nickname": data.names[int(m)].as_py(),
             "prior_events": int(before[m]), "last_active": _day_label(last_active[m]) if last_active[m] >= 0 else None}
            for m in who]


def _before_after(daily: pd.DataFrame, center: int, span: int, data: _Data, d0: int, nd: int) -> dict[str, Any]:
    """Activity in the `span` days before the chosen day vs the `span` days from it (it included)."""
    def window(lo: int, hi: int) -> dict[str, Any]:
        lo_c, hi_c = max(lo, 0), min(hi, nd - 1)
        if lo_c > hi_c:
            return {"days": 0, "events": 0, "active_members": 0, "messages": 0, "checkins": 0, "avg_dau": None}
        rel = data.d - d0
        sel = data.is_active & (rel >= lo_c) & (rel <= hi_c)
        part = daily.iloc[lo_c:hi_c + 1]
        return {"days": hi_c - lo_c + 1, "events": int(sel.sum()), "active_members": len(_unique(data.m[sel])),
                "messages": int(part["messages"].sum()), "checkins": int(part["checkins"].sum()),
                "avg_dau": float(part["dau"].mean())}

    before, after = window(center - span, center - 1), window(center, center + span - 1)
    change = {k: (_ratio(after[k] - before[k], before[k]) if before[k] else None)
              for k in ("events", "active_members", "messages", "checkins")}
    return {"date": _day_label(center + d0), "span": span, "before": before, "after": after, "change": change}


def measure(metric: str, analysis: Analysis, day: date, plan: Any = None, data: _Data | None = None) -> float | None:
    """The measured value of a KPI metric on `day` (None: no data for that day or unknown metric)."""
    frame = analysis.daily
    if frame.empty or analysis.start is None or not (analysis.start <= day <= analysis.as_of):
        return None
    i = (day - analysis.start).days
    row = frame.iloc[i]
    if metric == "members":
        return float(row["members"])
    if metric == "new_members":
        start = plan.lifecycle.start_date if plan is not None and plan.lifecycle.start_date else analysis.start
        lo = max((start - analysis.start).days, 0)
        return float(frame["new"].iloc[lo:i + 1].sum())
    if metric == "active_members":
        return float(row["wau"])
    if metric == "checkin_rate":
        return None if pd.isna(row["checkin_rate"]) else float(row["checkin_rate"])
    if metric == "dau_mau":
        return None if pd.isna(row["dau_mau"]) else float(row["dau_mau"])
    if metric == "messages":
        return float(row["messages"])
    if metric == "buyers" and data is not None:
        sel = data.is_purchase & (data.d <= _to_day(day))
        return float(len(_unique(data.m[sel])))
    if metric == "retention_m1" and data is not None:
        return _retention_m1(analysis, data, plan, day)
    return None


def _retention_m1(analysis: Analysis, data: _Data, plan: Any, day: date) -> float | None:
    """Share of the first-month cohort (the lifecycle start's month, else the first cohort) that was
    active in the following calendar month, counting events up to `day`."""
    start = plan.lifecycle.start_date if plan is not None and plan.lifecycle.start_date else analysis.start
    month = int(np.datetime64(start, "M").astype(np.int64))
    big = np.iinfo(np.int64).max
    known = data.join < big
    cohort = known & (_month_of(np.where(known, data.join, 0)) == month)
    if not cohort.any():
        return None
    day_n = _to_day(day)
    sel = data.is_active & (data.d <= day_n) & (_month_of(data.d) == month + 1) & cohort[data.m]
    if _to_day(date.fromisoformat(_month_label(month + 1) + "-01")) > day_n:
        return None  # month 1 has not begun by the due day
    return float(len(_unique(data.m[sel])) / cohort.sum())


def due_date(plan: Any, due_day: int | None) -> date | None:
    """Lifecycle day N is `start_date + N days` (day 0 is the start date)."""
    if due_day is None or plan is None or plan.lifecycle.start_date is None:
        return None
    return plan.lifecycle.start_date + timedelta(days=due_day)


def plan_vs_actual(plan: Any, analysis: Analysis, data: _Data | None = None) -> list[dict[str, Any]]:
    """Each KPI of the plan with its measured value on its due day and a status:
    met / missed / pending (due after the data ends) / no_data / no_date / manual."""
    rows = []
    for kpi in plan.kpis:
        due = due_date(plan, kpi.due_day)
        row: dict[str, Any] = {"metric": kpi.metric, "label": kpi.label or kpi.metric, "target": kpi.target,
                               "unit": kpi.unit, "due_day": kpi.due_day,
                               "due_date": due.isoformat() if due else None, "actual": None}
        if kpi.metric not in KPI_METRICS:
            row["status"] = "manual"
        elif due is None:
            row["status"] = "no_date"
        elif analysis.as_of is not None and due > analysis.as_of:
            row["status"] = "pending"
        else:
            row["actual"] = measure(kpi.metric, analysis, due, plan, data)
            if row["actual"] is None:
                row["status"] = "no_data"
            elif kpi.target is None:
                row["status"] = "measured"
            else:
                row["status"] = "met" if row["actual"] >= kpi.target else "missed"
        rows.append(row)
    return rows


def _daily_only(daily: pd.DataFrame, plan: Any, options: AnalysisOptions) -> Analysis:
    """Group statistics without a member-level log: counts per day only."""
    out = Analysis(source="daily")
    frame = daily.copy()
    if options.as_of:
        frame = frame[frame["date"] <= pd.Timestamp(options.as_of)]
    if frame.empty:
        return out
    start, end = frame["date"].min(), frame["date"].max()
    full = pd.DataFrame({"date": pd.date_range(start, end, freq="D")}).merge(frame, on="date", how="left")
    out.start, out.as_of = start.date(), end.date()
    members = full["member_total"].ffill()
    out.members = int(members.iloc[-1]) if not pd.isna(members.iloc[-1]) else 0
    out.daily = pd.DataFrame({
        "date": full["date"], "members": members, "new": full["new_members"].fillna(0),
        "dau": full["members_spoke"], "wau": np.nan, "mau": np.nan, "dau_mau": np.nan, "checkins": np.nan,
        "checkin_rate": np.nan, "messages": full["messages"],
    })
    labels = full["date"].dt.strftime("%Y-%m-%d")
    new = full["new_members"].fillna(0)
    out.new_per_day = {lb: int(v) for lb, v in zip(labels, new, strict=True) if v}
    out.new_per_month = {k: int(v) for k, v in new.groupby(full["date"].dt.strftime("%Y-%m")).sum().items()}
    monday = full["date"] - pd.to_timedelta(full["date"].dt.day_of_week, unit="D")
    out.new_per_week = {k: int(v) for k, v in new.groupby(monday.dt.strftime("%Y-%m-%d")).sum().items()}
    out.active_per_day = {lb: int(v) for lb, v in zip(labels, full["members_spoke"], strict=True) if not pd.isna(v)}
    if plan is not None:
        out.plan_vs_actual = plan_vs_actual(plan, out)
    return out


def to_json(analysis: Analysis, result: LoadResult | None = None) -> dict[str, Any]:
    """The analysis as plain JSON types (the CLI prints this; the export can reuse it)."""
    return {
        "format": result.format if result is not None else None,
        "source": analysis.source,
        "start": analysis.start.isoformat() if analysis.start else None,
        "as_of": analysis.as_of.isoformat() if analysis.as_of else None,
        "members": analysis.members,
        "events": analysis.events,
        "bad_rows": result.bad_rows if result is not None else 0,
        "new_per_day": analysis.new_per_day,
        "new_per_week": analysis.new_per_week,
        "new_per_month": analysis.new_per_month,
        "active_per_week": analysis.active_per_week,
        "active_per_month": analysis.active_per_month,
        "dau_mau": _series(analysis.daily, "dau_mau"),
        "checkin_rate": _series(analysis.daily, "checkin_rate"),
        "retention": analysis.retention,
        "cohort_sizes": analysis.cohort_sizes,
        "retention_weekly": analysis.retention_weekly,
        "funnel": analysis.funnel,
        "layers": analysis.layers,
        "layer_window_days": analysis.layer_window_days,
        "presence": [{k: v for k, v in p.items() if k != "members"} for p in analysis.presence],
        "concentration": {k: v for k, v in analysis.concentration.items() if k != "curve"},
        "inactivity": len(analysis.inactivity),
        "plan_vs_actual": analysis.plan_vs_actual,
        "before_after": analysis.before_after,
    }


def _series(frame: pd.DataFrame, column: str) -> dict[str, float | None]:
    if frame.empty or column not in frame:
        return {}
    values = frame[column].to_numpy(dtype="float64")
    labels = frame["date"].dt.strftime("%Y-%m-%d")
    return {lb: (None if np.isnan(v) else round(float(v), 6)) for lb, v in zip(labels, values, strict=True)}
