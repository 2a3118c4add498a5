"""Columns -> canonical values: a recognised table becomes the canonical frame of its kind
(planner.data.frames). Dates, numbers, ids and actions are converted column at a time; every bad
row is left out and reported with its file row, column and value."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from models.problems import Problem
from planner.concurrency import halves, in_background
from planner.data.columnar import arrow_outside_window, parse_dates, window_params
from planner.data.day_arrays import pooled
from planner.data.frames import (
    ACTIVITY_COLUMNS,
    CHECKIN,
    DAILY_COLUMNS,
    JOIN,
    MEMBER_COLUMNS,
    PURCHASE,
    REMOVE,
    SHARE,
    SPEAK,
)
from planner.data.recognise import KIND_REQUIRED
from planner.data.sheets import DATE_COLUMNS, NUMBER_COLUMNS, Table

DATE_ORDER_QUESTION = "data.question.date_order"


ACTION_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("发言", "消息", "聊天", "说话", "message", "speak", "spoke", "chat", "msg", "post", "text"),
                    SPEAK),
    **dict.fromkeys(("打卡", "签到", "checkin", "check-in", "check in", "clockin"), CHECKIN),
    **dict.fromkeys(("分享", "转发", "share", "shared", "forward"), SHARE),
    **dict.fromkeys(("购买", "下单", "付款", "支付", "purchase", "buy", "bought", "order", "pay", "paid"), PURCHASE),
    **dict.fromkeys(("加入", "入群", "加群", "进群", "join", "joined"), JOIN),
    **dict.fromkeys(("移出", "退群", "离开", "被移出", "踢出", "leave", "left", "removed", "quit", "remove"), REMOVE),
}


_TRUE = frozenset({"1", "true", "yes", "y", "是", "已付费", "付费", "paid", "t", "√", "✓"})


class _Rows:
    """Collects bad rows of one file: their problems (capped) and the mask of rows to keep."""

    def __init__(self, name: str, n: int, table: Table, budget: list[int]) -> None:
        self.name, self.keep, self.table, self.budget = name, np.ones(n, dtype=bool), table, budget
        self.problems: list[Problem] = []

    def file_row(self, i: np.ndarray) -> np.ndarray:
        """1-based spreadsheet rows of table rows `i` (header and parser-dropped rows counted)."""
        rows = i + self.table.header_row + 1
        skipped = self.table.skipped[self.table.skipped > 0]
        if len(skipped):
            # each dropped row before a kept row shifts it down by one
            for s in skipped:
                rows = rows + (rows >= s)
        return rows

    def bad(self, mask: np.ndarray, key: str, column: str, values: Any, extra: dict[str, Any] | None = None) -> None:
        """`values`: the cells as read (indexed by row), shown in the message; `extra`: more parameters."""
        idx = np.flatnonzero(mask & self.keep)
        if not len(idx):
            return
        self.keep[idx] = False
        room = max(0, self.budget[0])
        shown = idx[:room]
        self.budget[0] -= len(shown)
        for i, row in zip(shown, self.file_row(shown), strict=True):
            value = "" if values is None else str(values[i])[:60]
            self.problems.append(Problem(key=key, params={"value": value, **(extra or {})}, file=self.name,
                                         row=int(row), column=column))


def _strings(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.utf8_trim_whitespace(_plain_text(column)).to_numpy(zero_copy_only=False), dtype=object)


def _time_column(column: pa.ChunkedArray) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """Typed fast path: arrow already parsed ISO timestamps / dates → (datetime64, values, outside the
    plausible window or None when none is)."""
    if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
        if pa.types.is_timestamp(column.type) and column.type.tz is not None:
            column = pc.local_timestamp(column)
        outside = arrow_outside_window(column)
        if outside is not None:  # blanked before the cast: year 2999 does not fit in nanoseconds
            column = pc.if_else(outside, pa.scalar(None, column.type), column)
        arr = _nanoseconds(column)
        return arr, arr, None if outside is None else outside.to_numpy(zero_copy_only=False)
    return None, _strings(column), None


_NS_PER_UNIT = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def _nanoseconds(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """datetime64[ns] of a date or timestamp column (NaT where empty). A timestamp's chunks are scaled
    straight into one buffer in arrow's pool: a cast then a join wrote every value twice, and a chunked
    to_numpy concatenates into fresh memory."""
    if not pa.types.is_timestamp(column.type):  # dates: arrow's cast, as one array handed over without a copy
        joined = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        return pc.cast(joined, pa.timestamp("ns")).to_numpy(zero_copy_only=False)
    factor = _NS_PER_UNIT[column.type.unit]
    out = pooled(len(column), np.int64)
    at = 0
    for chunk in column.chunks if isinstance(column, pa.ChunkedArray) else [column]:
        n = len(chunk)
        if n:
            values = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=n, offset=chunk.offset * 8)
            np.multiply(values, factor, out=out[at:at + n])
            if chunk.null_count:  # NaT is the smallest int64
                out[at:at + n][chunk.is_null().to_numpy(zero_copy_only=False)] = np.iinfo(np.int64).min
        at += n
    return out.view("datetime64[ns]")


class _Cells:
    """The cells of a typed column as text, looked up only for the rows a problem shows."""

    def __init__(self, column: pa.ChunkedArray) -> None:
        self.column = column

    def __getitem__(self, i: int) -> str:
        return str(self.column[int(i)])


def _numbers(values: np.ndarray) -> np.ndarray:
    cleaned = pd.Series(values, dtype="str").str.replace(r"[¥￥$,，\s元%]", "", regex=True)
    return pd.to_numeric(cleaned.replace("", np.nan), errors="coerce").to_numpy(dtype="float64")


def _typed_numbers(column: pa.ChunkedArray) -> np.ndarray | None:
    """float64 (NaN where empty) of a column arrow already read as numbers, else None."""
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        # arrow hands numbers with gaps to numpy as float64 with NaN in them, in one pass: a cast then a
        # fill_null took 5-40 ms for a million mostly empty amounts
        return np.asarray(column.to_numpy(), dtype=np.float64)
    if pa.types.is_null(column.type):
        return np.full(len(column), np.nan)
    return None


def _plain_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column as text, missing cells as empty text."""
    if not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    return pc.fill_null(column, "") if column.null_count else column


def _text(column: pa.ChunkedArray, split: bool = True) -> pa.DictionaryArray:
    """A text column, trimmed, as one dictionary array: the few distinct values (ids, actions, channels)
    are trimmed and mapped once instead of a million times, and pandas gets a categorical. `split`: a long
    column is encoded in halves side by side (see _dictionary_encode)."""
    if pa.types.is_dictionary(column.type):  # read as a dictionary (sheets.FEW_VALUES), one per block: made one
        encoded = column.unify_dictionaries().combine_chunks()
    else:
        encoded = _dictionary_encode(_plain_text(column), split)
    if not len(encoded):
        return pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
    trimmed = pc.utf8_trim_whitespace(encoded.dictionary)
    if pc.all(pc.equal(trimmed, encoded.dictionary)).as_py():  # nothing to trim: the entries stay distinct
        return encoded
    return _redictionary(encoded.indices, trimmed)


_SPLIT_ROWS = 200_000


def _dictionary_encode(values: pa.ChunkedArray, split: bool = True) -> pa.DictionaryArray:
    """`pc.dictionary_encode` as one array; a long column (`split`) as two halves of its chunks side by side
    (the kernel releases the GIL), joined with one dictionary in order of first appearance, as encoding it
    whole would give. A chunked column is encoded with one dictionary for all its chunks, so it is never
    copied into one array first."""
    if not split or len(values) < _SPLIT_ROWS or values.num_chunks < 2:
        return pc.dictionary_encode(values).combine_chunks()
    parts = halves(lambda lo, hi: pc.dictionary_encode(pa.chunked_array(values.chunks[lo:hi], values.type))
                   .combine_chunks(), values.num_chunks)  # a half's chunks share one dictionary: joined for free
    return pa.chunked_array(parts).combine_chunks()


def _redictionary(indices: pa.Array, values: pa.Array) -> pa.DictionaryArray:
    """`values[indices]` as a dictionary array whose dictionary has no repeats (after trimming or
    mapping, " u1" and "u1", or 签到 and 打卡, become one entry). `indices` come from an encoding of ours, so
    they are not checked against the dictionary again (a pass over a million rows)."""
    encoded = pc.dictionary_encode(values)
    if len(encoded.dictionary) < len(values):
        indices, values = encoded.indices.take(indices), encoded.dictionary
    return pa.DictionaryArray.from_arrays(indices, values, safe=False)


def _dictionary_mask(values: pa.DictionaryArray, entries: pa.Array) -> np.ndarray:
    """Per row: whether its dictionary entry is true in the boolean `entries` (one per entry)."""
    lut = np.asarray(entries.to_numpy(zero_copy_only=False), dtype=bool)
    return lut[values.indices.to_numpy(zero_copy_only=False)]


def normalise_actions(values: pa.DictionaryArray, checkin_keywords: list[str] | None = None) -> pa.DictionaryArray:
    """Synonyms (签到, check-in, 下单 …) become the canonical actions, other text stays as it is: only
    the few distinct values are mapped."""
    table = dict(ACTION_SYNONYMS)
    for word in checkin_keywords or []:
        table[word.strip().lower()] = CHECKIN
    mapped = pa.array([table.get(str(u).strip().lower(), str(u).strip()) for u in values.dictionary.to_pylist()],
                      pa.string())
    return _redictionary(values.indices, mapped)


def build_frame(kind: str, name: str, tbl: Table, mapping: dict[str, str], options: dict[str, Any],
           checkin_keywords: list[str] | None, budget: list[int],
           questions: list[Problem]) -> tuple[pd.DataFrame, list[Problem], int]:
    table = tbl.table
    by_canon = {canon: header for header, canon in mapping.items()}
    rows = _Rows(name, table.num_rows, tbl, budget)
    out: dict[str, Any] = {}
    columns = {"activity": ACTIVITY_COLUMNS, "members": MEMBER_COLUMNS, "daily": DAILY_COLUMNS}[kind]
    if kind == "activity" and "group" in by_canon:
        columns = (*columns, "group")  # the optional group column is kept only where a file has one
    required = set(KIND_REQUIRED[kind])
    if kind == "activity" and "time" not in by_canon:
        by_canon["time"] = by_canon.pop("date")  # a date-only activity column
    if kind == "daily" and "date" not in by_canon:
        by_canon["date"] = by_canon.pop("time")  # statistics whose date column says 时间

    def convert(canon: str, split: bool = True) -> Any:
        column = table.column(by_canon[canon])
        if canon in DATE_COLUMNS:
            return _time_column(column)
        if canon == "nickname":  # names are nearly as many as rows: kept as they are, trimmed where shown
            return _plain_text(column)
        if canon in NUMBER_COLUMNS:  # numbers arrow parsed; text numbers are cleaned below
            return _typed_numbers(column)
        return _text(column, split)

    wanted = [canon for canon in columns if canon in by_canon]
    if table.num_rows >= _SPLIT_ROWS and "member_id" in wanted:
        # a long file: the ids (the costly column, many distinct values) in halves on both cores; then the other
        # text columns (actions, groups: few values) and the numbers on the second core while dates are
        # converted here, each whole: splitting those in halves too cost a merge of their halves' dictionaries
        converted = {"member_id": convert("member_id")}
        text = [c for c in wanted if c not in DATE_COLUMNS | {"member_id", "nickname"}]
        rest = in_background(lambda: {canon: convert(canon, False) for canon in text}, parallel=bool(text))
        converted |= {canon: convert(canon) for canon in wanted if canon not in converted and canon not in text}
        converted |= rest.result()
    else:  # one after the other: encoding a long column splits itself over two cores (_dictionary_encode)
        converted = {canon: convert(canon) for canon in wanted}
    for canon in columns:
        header = by_canon.get(canon)
        if header is None:
            out[canon] = None
            continue
        column = table.column(header)
        if canon in DATE_COLUMNS:
            typed, raw, outside = converted[canon]
            if typed is None:
                typed, order, outside = parse_dates(raw, options.get("date_order"))
                if order == "ambiguous" and not options.get("date_order"):
                    sample = next((v for v in raw if re.match(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}", str(v))), "")
                    questions.append(Problem(key=DATE_ORDER_QUESTION, params={"example": str(sample)[:20]},
                                             file=name, column=header))
            if outside is not None:  # first: these are NaT now, and not for want of a readable date
                rows.bad(outside, "data.problem.date_out_of_range", header, raw if raw is not typed else
                         _Cells(column), extra=window_params())
            if raw is not typed:
                bad = np.isnat(typed) & (raw != "")
                rows.bad(bad, "data.problem.bad_date", header, raw)
            if canon in required and (raw is not typed or column.null_count):  # parsed by arrow: nulls are NaT
                rows.bad(np.isnat(typed), "data.problem.missing_value", header, None)
            out[canon] = typed
        elif canon in NUMBER_COLUMNS:
            if converted[canon] is not None:
                out[canon] = converted[canon]
                continue
            raw = _strings(column)
            numbers = _numbers(raw)
            rows.bad(np.isnan(numbers) & (raw != ""), "data.problem.bad_number", header, raw)
            out[canon] = numbers
        elif canon == "nickname":
            out[canon] = converted[canon]
        else:
            text = converted[canon]
            empty = pc.equal(text.dictionary, "")
            if canon in required and pc.any(empty).as_py():  # only then a pass over the rows
                rows.bad(_dictionary_mask(text, empty), "data.problem.missing_value", header, None)
            out[canon] = text
    keep = rows.keep
    n = int(keep.sum())
    mask = None if n == len(keep) else pa.array(keep)
    arrays: dict[str, Any] = {}
    for canon in columns:
        values = out[canon]
        if values is None:
            if canon in NUMBER_COLUMNS:
                values = np.full(n, np.nan)
            elif canon in DATE_COLUMNS:
                values = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
            elif canon == "paid":
                values = np.zeros(n, dtype=bool)
            elif canon == "nickname":
                values = pa.array(np.full(n, "", dtype=object), pa.string())
            else:  # a log without actions is a message log
                values = pa.DictionaryArray.from_arrays(np.zeros(n, dtype=np.int32),
                                                        pa.array([SPEAK if canon == "action" else ""]))
        elif isinstance(values, np.ndarray):
            values = values if mask is None else values[keep]
        else:
            values = values if mask is None else values.filter(mask)
            if canon == "paid":
                values = _dictionary_mask(values, pc.is_in(pc.utf8_lower(values.dictionary),
                                                           value_set=pa.array(sorted(_TRUE))))
            elif canon == "action":
                values = normalise_actions(values, checkin_keywords)
        arrays[canon] = values
    # numpy columns go in as they are; dictionary columns become categoricals (no string copies)
    df = pd.DataFrame({k: _to_pandas(v) for k, v in arrays.items()}, copy=False)
    for canon in DATE_COLUMNS & set(df.columns):
        if df[canon].dtype != "datetime64[ns]":
            df[canon] = df[canon].astype("datetime64[ns]")
    if kind == "daily":
        df["date"] = df["date"].dt.normalize()
    return df, rows.problems, len(keep) - n


def _to_pandas(values: Any) -> Any:
    """A built column for the frame: numpy as it is, a dictionary array as a categorical (its codes are
    reused, not looked up again), text as pandas text."""
    if isinstance(values, pa.DictionaryArray):
        categories = pd.Index(values.dictionary.to_pandas(), dtype="str")
        # an arrow dictionary holds each value once: pandas' own check of that hashes every category again
        # (2.4 ms for 19,000 member ids), so the dtype is made without it
        dtype = pd.CategoricalDtype._from_fastpath(categories, ordered=False)
        return pd.Categorical.from_codes(values.indices.to_numpy(zero_copy_only=False), dtype=dtype, validate=False)
    return values.to_pandas() if isinstance(values, (pa.Array, pa.ChunkedArray)) else values
