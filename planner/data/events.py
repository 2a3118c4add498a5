"""A load result as integer arrays (`Events`): member codes, day numbers and action codes, with each
member's join and leave days and latest name. Every metric is computed from this."""

from __future__ import annotations

from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planner.concurrency import in_sequence
from planner.data.day_arrays import column_codes, day_numbers, last_rows, member_codes, pooled, string_chunks, to_day
from planner.data.frames import CHECKIN, JOIN, PURCHASE, REMOVE, SPEAK, LoadResult

BACKGROUND_ROWS = 100_000  # from this many events, parts of the work go to another core
BIG = np.iinfo(np.int64).max  # a day number that stands for none


class Events:
    """The load result as integer arrays: member codes, day numbers and action codes (flags on demand)."""

    def __init__(self, result: LoadResult, as_of: date | None, checkin_words: frozenset[str]) -> None:
        act, mem = result.activity, result.members
        # the log's ids come as they are: a categorical may hold ids no row uses (or none up to the end), which
        # are no members (`member` below), instead of a pass over a million codes to find and drop them here
        mem_codes, self.m, self.ids = member_codes(mem, act)
        names: list[str | None] = []
        nick = act["nickname"] if act is not None and len(act) else pd.Series([], dtype="str")
        if act is not None and len(act):
            self.d = day_numbers(act["time"])
            self.a, action_uniques = column_codes(act["action"], compact=False)
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
        joined = np.zeros(0, dtype=np.int64)  # the members table's join days, for its rows that have one
        ok = np.zeros(len(mem_codes), dtype=bool)
        if mem is not None and len(mem):
            jd = mem["join_date"].to_numpy(dtype="datetime64[ns]")
            ok = ~np.isnat(jd)
            joined = jd[ok].astype("datetime64[D]").astype(np.int64)
            if ok.any():
                candidates.append(int(joined.max()))
        self.end = to_day(as_of) if as_of else (max(candidates) if candidates else None)
        if as_of is not None and self.end is not None and len(self.d):  # without as_of, end is the last day
            keep = self.d <= self.end
            if not keep.all():
                self.m, self.d, self.a = self.m[keep], self.d[keep], self.a[keep]
                nick = nick[keep]
        # One scratch buffer for the per-event keys (member × day, day × action …) of this thread: on this
        # machine fresh memory costs more than the arithmetic, so the keys are computed in place.
        self.scratch = pooled(len(self.d), np.int64)
        self.n = len(self.ids)
        self.in_table = np.zeros(self.n, dtype=bool)
        self.in_table[mem_codes] = True
        joins_removals = self.join_codes + self.remove_codes
        # which events are joins or removals (most logs hold none): found once, for every_active and is_active
        self._joins_removals = self.flag(joins_removals) if joins_removals else None
        self.every_active = self._joins_removals is None or not self._joins_removals.any()
        self.names = pa.array([], pa.string())  # by member code, filled by resolve_names()
        self._name_sources = (mem, mem_codes, self.m, nick)
        # The counts per member, join and leave days are needed only once the member-day pairs are found, and
        # the names last: on a large log both are worked out on another core meanwhile, in that order. The first
        # day is known without them: a join day from the log is never before its first event.
        join_table = np.full(self.n, BIG, dtype=np.int64)
        join_table[mem_codes[ok]] = joined
        self._per_member, self.names_done = in_sequence(
            [lambda: self._count_join_leave(join_table), self.resolve_names], len(self.d) >= BACKGROUND_ROWS)
        starts = [int(self.d.min())] if len(self.d) else []
        if len(joined):
            starts.append(int(joined.min()))
        self.start = min(starts) if starts else None
        if self.end is not None and self.start is not None and self.start > self.end:
            self.start = self.end
        self.sorted = bool(len(self.d) < 2 or (self.d[1:] >= self.d[:-1]).all())

    def _count_join_leave(self, join_table: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per member: the events per action (n × na), the join day (the members table's, else the first 加入,
        else the first event) and the leave day (a 移出 after the last 加入 and the join), BIG where there is
        none. Its own key buffer: the scratch one is in use on the main thread meanwhile."""
        key = self.key(self.m, self.na, self.a if self.na > 1 else None, out=pooled(len(self.m), np.int64))
        counts = np.bincount(key, minlength=self.n * self.na).reshape(self.n, self.na)
        present = counts.any(axis=0)
        first_event = np.full(self.n, BIG, dtype=np.int64)
        np.minimum.at(first_event, self.m, self.d)
        first_join = np.full(self.n, BIG, dtype=np.int64)
        last_join = np.full(self.n, -1, dtype=np.int64)
        if present[self.join_codes].any():
            sel = self.flag(self.join_codes)
            np.minimum.at(first_join, self.m[sel], self.d[sel])
            np.maximum.at(last_join, self.m[sel], self.d[sel])
        join = np.where(join_table < BIG, join_table, np.where(first_join < BIG, first_join, first_event))
        last_remove = np.full(self.n, -1, dtype=np.int64)
        if present[self.remove_codes].any():
            sel = self.flag(self.remove_codes)
            np.maximum.at(last_remove, self.m[sel], self.d[sel])
        left = np.where((last_remove >= 0) & (last_remove >= last_join) & (last_remove >= np.where(
            join < BIG, join, -1)), last_remove, BIG)
        return counts, join, left

    @cached_property
    def counts(self) -> np.ndarray:
        """Events per member and action (n × na): every per-member count is a sum of its columns."""
        return self._per_member.result()[0]

    @cached_property
    def join(self) -> np.ndarray:
        """Per member, the join day (BIG: unknown)."""
        return self._per_member.result()[1]

    @cached_property
    def left(self) -> np.ndarray:
        """Per member, the day they left (BIG: still in, or never joined)."""
        return self._per_member.result()[2]

    @cached_property
    def member(self) -> np.ndarray:
        """Per id: a member at all (a row in the members table, or an event up to the end)."""
        return self.in_table | self.counts.any(axis=1)

    def key(self, major: np.ndarray, span: int, minor: np.ndarray | None = None, offset: int = 0,
            out: np.ndarray | None = None) -> np.ndarray:
        """major * span + minor - offset for every event, in `out` (default: the scratch buffer, valid until the
        next call; work on another thread brings its own)."""
        if span == 1 and minor is None and not offset:
            return major
        key = np.multiply(major, span, out=self.scratch if out is None else out)
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
        return np.ones(len(self.a), dtype=bool) if self._joins_removals is None or self.every_active else \
            ~self._joins_removals

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
            sources.append(pc.utf8_trim_whitespace(pa.chunked_array(string_chunks(mem["nickname"]),
                                                                    type=pa.string()).combine_chunks()))
            index[mem_codes] = np.arange(1, len(mem) + 1)
        if len(nick):
            texts = pa.chunked_array(string_chunks(nick), type=pa.string())  # only the chosen names are taken
            lengths = pc.binary_length(texts)
            rows = None if pc.min(lengths).as_py() > 0 else pc.greater(lengths, 0)  # None: every row has a name
            for _ in range(2):
                last = last_rows(member, self.n, rows)
                found = np.flatnonzero(last >= 0)
                chosen = pc.utf8_trim_whitespace(texts.take(pa.array(last[found])).combine_chunks())
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
