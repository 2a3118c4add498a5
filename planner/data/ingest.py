"""Generic member-data loading: CSV / XLSX spreadsheets → the canonical frames of `member_data`.

`load_files` never raises on bad input. Every file-level issue and every bad row becomes a
`Problem` (key `data.problem.*`, row / column / value as the spreadsheet shows them); bad rows are
counted and left out. Chat exports are recognised first by `planner.data.chat_formats.detect`; everything
else goes through the generic header mapping below.

Options (a plain dict, all optional):
- "mapping":    {source header: canonical column or "" to ignore} — the user's override;
- "date_order": "dmy" | "mdy" — answer to the day-first / month-first question;
- "max_bytes":  size limit per file (default `MAX_BYTES`, for every format: spreadsheets and chat exports);
- "keep_self":  False leaves the exporting account of a chat export out (default True);
- "chat":       the chat to load from an export that holds several (Telegram full export).
Message text, when a source has it, is never kept: only canonical columns leave this module.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from models.problems import Problem
from planner.concurrency import halves
from planner.data import chat_formats, xlsx_guard
from planner.data.columnar import WORKBOOK_ERRORS, arrow_outside_window, parse_dates, to_utf8, window_params
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
    LoadResult,
    canonical_column,
    combine,
    is_content_header,
    map_headers,
    merge,
)
from planner.data.text_encoding import MixedEncoding, mixed_encoding_row

# The one size limit per uploaded file, whatever its format (the app, `analyze` and `export --data`).
# .streamlit/config.toml's maxUploadSize says the same in MB (a test keeps them equal).
MAX_BYTES = 200 * 1024 * 1024
MAX_ROW_PROBLEMS = 200  # per upload; the rest are only counted
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

_KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "activity": ("member_id", "time"),
    "members": ("member_id",),
    "daily": ("date",),
}


@dataclass
class _Table:
    """One parsed sheet: string or typed arrow columns, and where its header sat."""

    table: pa.Table
    header_row: int  # 1-based row of the header in the file
    skipped: np.ndarray  # 1-based file rows dropped by the parser (wrong number of fields)


def detect_kind(canon_columns: set[str]) -> str | None:
    """Which of the three inputs a set of mapped columns is (None: not enough to tell)."""
    if {"member_id", "time"} <= canon_columns:
        return "activity"
    if "member_id" in canon_columns and canon_columns & {"join_date", "nickname", "channel", "paid", "tier", "tag"}:
        return "members"
    # daily statistics sometimes call their date column 时间 (time)
    if canon_columns & {"date", "time"} and canon_columns & {"member_total", "new_members", "members_spoke",
                                                                "messages"}:
        return "daily"
    if {"member_id", "date"} <= canon_columns:  # an activity log whose time column is only a date
        return "activity"
    return None


# --- bytes → table ----------------------------------------------------------------------------
def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def _sniff(text: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", -1.0
    for delim in (",", ";", "\t"):
        counts = [len(next(csv.reader([line], delimiter=delim))) for line in lines]
        if not counts or max(counts) <= 1:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) / len(counts) * 100 + common
        if score > best_score:
            best, best_score = delim, score
    return best


def _header_index(rows: list[list[str]]) -> int:
    """The row (0-based) among the first few that looks most like a header (title lines above it)."""
    best, best_hits = 0, 0
    for i, row in enumerate(rows[:10]):
        hits = sum(1 for cell in row if canonical_column(cell))
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _head(text: str) -> tuple[str, list[str] | None, int]:
    """From the first 64 KB of a CSV: its delimiter, its header row (None: no rows) and that row's index."""
    delim = _sniff(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    if not rows:
        return delim, None, 0
    skip = _header_index(rows)
    return delim, rows[skip], skip


def _whole_to_utf8(data: bytes) -> bytes:
    """UTF-8 bytes of a file that is not UTF-8 throughout. MixedEncoding when it mixes two encodings:
    read whole as GB18030 it would come out half garbled (headers nobody wrote, wrong names)."""
    row = mixed_encoding_row(data)
    if row is not None:
        raise MixedEncoding(row)
    return to_utf8(data)[0]


def _utf8_guess(data: bytes) -> tuple[bytes, bool]:
    """UTF-8 bytes for arrow, and whether the whole file was decoded to get them. Only the first 64 KB
    are checked when they are UTF-8 (arrow validates the rest while parsing, and a failure there sends
    the file through the full `to_utf8`), so a large UTF-8 file is never copied."""
    if data.startswith(b"\xef\xbb\xbf"):
        return memoryview(data)[3:], False
    head = data[:65536]
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head.decode("utf-8")
            return data, False
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 3 and len(data) > len(head):  # the 64 KB cut a character
                return data, False
    return _whole_to_utf8(data), True


_DATE_COLUMNS = frozenset({"time", "join_date", "date"})
_NUMBER_COLUMNS = frozenset({"amount", "member_total", "new_members", "members_spoke", "messages"})
_TYPED_COLUMNS = _DATE_COLUMNS | _NUMBER_COLUMNS


def _text_columns(header: list[str], mapping: dict[str, str] | None) -> dict[str, pa.DataType]:
    """Arrow column types for a header: every column that is not a date or a number is read as text.
    Left to inference, ids that look numeric lose their leading zeros ("00123" → 123)."""
    mapped = map_headers([h for h in header if not is_content_header(h)], mapping)
    return {h: pa.string() for h in header if mapped.get(h) not in _TYPED_COLUMNS}


def _read_csv(data: bytes, mapping: dict[str, str] | None = None) -> _Table:
    utf8, decoded = _utf8_guess(data)
    head_text = bytes(utf8[:65536]).decode("utf-8", errors="ignore")
    delim, header, skip = _head(head_text)
    column_types = _text_columns(header, mapping) if header is not None else {}

    def read(source: Any, multiline: bool, threads: bool, strict: bool = False) -> tuple[pa.Table, list[int]]:
        """`strict`: a row with the wrong number of fields raises instead of being skipped and counted."""
        skipped: list[int] = []

        def on_invalid(row: Any) -> str:
            skipped.append(row.number if row.number is not None else -1)
            return "skip"

        table = pacsv.read_csv(
            pa.py_buffer(source),
            read_options=pacsv.ReadOptions(skip_rows=skip, use_threads=threads),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=multiline,
                                             invalid_row_handler=None if strict else on_invalid),
            convert_options=pacsv.ConvertOptions(column_types=column_types, strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False),
        )
        return table, skipped

    # Fast first: blocks split at line ends, and no per-row handler (a Python callback costs the reader
    # a tenth of its time even when it is never called). A quoted value holding a line break can be cut
    # at a block boundary, and a row can have too many or too few fields: both raise, and the file is
    # read again allowing line breaks in quotes and skipping (and counting) bad rows.
    multiline, quoted = False, b'"' in data
    try:
        table, skipped = read(utf8, multiline, True, strict=True)
    except pa.ArrowInvalid as exc:
        if not decoded and "utf8" in str(exc).lower():  # not UTF-8 after all (GBK past the first 64 KB …)
            utf8, decoded = _whole_to_utf8(data), True
        multiline = quoted
        table, skipped = read(utf8, multiline, True)
    if not decoded and any(pa.types.is_binary(t) for t in table.schema.types):
        # arrow keeps text that is not UTF-8 as bytes: GBK past the first 64 KB …
        utf8, decoded = _whole_to_utf8(data), True
        table, skipped = read(utf8, multiline, True)
    if skipped and not multiline and quoted:
        multiline = True
        table, skipped = read(utf8, multiline, True)
    if -1 in skipped:  # only a single-threaded read knows the file rows of dropped lines
        table, skipped = read(utf8, multiline, False)
    return _Table(table, skip + 1, np.array(sorted(skipped), dtype=np.int64))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


_ZERO_PADDED = re.compile(r"^0{2,}$")  # Excel's number format for ids typed as numbers: 0000 shows 7 as 0007
_FORMAT_SAMPLE_ROWS = 200


def _zero_padded_columns(sheet: Any) -> dict[int, int]:
    """{column index: digits} for the columns whose numbers Excel shows zero-padded, from the cells of the
    first rows (a read-only sheet gives formats only cell by cell, which costs a third more on every cell)."""
    digits: dict[int, int] = {}
    for row in sheet.iter_rows(max_row=_FORMAT_SAMPLE_ROWS):
        for i, cell in enumerate(row):
            fmt = getattr(cell, "number_format", None)
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool) and fmt and \
                    _ZERO_PADDED.match(fmt):
                digits[i] = max(digits.get(i, 0), len(fmt))
    return digits


def _padded_text(value: Any, digits: int) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value)).zfill(digits)
    return _cell_text(value)


def _sheet_rows(data: bytes, checked: bool = False,
                limit: int | None = None) -> tuple[list[list[str]], xlsx_guard.RowBudget]:
    """The text of the first sheet's non-blank rows (the first `limit` of them, else all), and the budget
    they were read within. The workbook is checked first (planner.data.xlsx_guard) unless the caller did; rows
    and cells are capped while reading (WorkbookRefused)."""
    import openpyxl  # only needed for spreadsheets

    if not checked:
        xlsx_guard.check_workbook(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows: list[list[str]] = []
    try:
        sheet = book.worksheets[0]
        # Never trust the declared size: openpyxl pads every row to its width and adds empty rows up to
        # its height. Without it, each row is as wide as its last cell.
        sheet.reset_dimensions()
        budget = xlsx_guard.RowBudget(sheet.title)
        padded = _zero_padded_columns(sheet)
        for values in sheet.iter_rows(values_only=True):
            budget.take(len(values))
            if padded:  # ids kept as numbers but shown with their leading zeros: read as Excel shows them
                row = [_padded_text(v, padded[i]) if i in padded else _cell_text(v) for i, v in enumerate(values)]
            else:
                row = [_cell_text(v) for v in values]
            if any(c.strip() for c in row):
                rows.append(row)
                if limit is not None and len(rows) >= limit:
                    break
    finally:
        book.close()
    return rows, budget


def _read_xlsx(data: bytes, checked: bool = False) -> _Table:
    rows, budget = _sheet_rows(data, checked)
    if not rows:
        return _Table(pa.table({}), 1, np.array([], dtype=np.int64))
    h = _header_index(rows)
    width = max(map(len, rows))  # a column with data but no header is kept, as before under a made-up name
    header = [c.strip() or f"column{i + 1}" for i, c in enumerate(rows[h] + [""] * (width - len(rows[h])))]
    budget.check_table(len(rows), width)
    body = [(r + [""] * width)[:width] for r in rows[h + 1:]]
    columns = {name: pa.array([r[i] for r in body], pa.string()) for i, name in enumerate(_dedupe(header))}
    return _Table(pa.table(columns), h + 1, np.array([], dtype=np.int64))


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}.{seen[name]}")
    return out


# --- columns → canonical values ---------------------------------------------------------------
class _Rows:
    """Collects bad rows of one file: their problems (capped) and the mask of rows to keep."""

    def __init__(self, name: str, n: int, table: _Table, budget: list[int]) -> None:
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
        # one buffer in arrow's pool, handed to numpy without a copy (a chunked to_numpy concatenates into
        # fresh memory, and astype copied it once more)
        arr = pc.cast(column, pa.timestamp("ns")).combine_chunks().to_numpy(zero_copy_only=False)
        return arr, arr, None if outside is None else outside.to_numpy(zero_copy_only=False)
    return None, _strings(column), None


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
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type) or pa.types.is_null(column.type):
        return pc.fill_null(pc.cast(column, pa.float64()), np.nan).to_numpy()
    return None


def _plain_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column as text, missing cells as empty text."""
    if not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    return pc.fill_null(column, "") if column.null_count else column


def _text(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """A text column, trimmed, as one dictionary array: the few distinct values (ids, actions, channels)
    are trimmed and mapped once instead of a million times, and pandas gets a categorical."""
    encoded = _dictionary_encode(_plain_text(column).combine_chunks())  # chunk by chunk costs a quarter more
    if not len(encoded):
        return pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
    return _redictionary(encoded.indices, pc.utf8_trim_whitespace(encoded.dictionary))


_SPLIT_ROWS = 200_000


def _dictionary_encode(values: pa.Array) -> pa.DictionaryArray:
    """`pc.dictionary_encode`; a long array as two halves side by side (the kernel releases the GIL), joined
    with one dictionary in order of first appearance, as encoding it whole would give."""
    if len(values) < _SPLIT_ROWS:
        return pc.dictionary_encode(values)
    parts = halves(lambda lo, hi: pc.dictionary_encode(values.slice(lo, hi - lo)), len(values))
    return pa.chunked_array(parts).combine_chunks()


def _redictionary(indices: pa.Array, values: pa.Array) -> pa.DictionaryArray:
    """`values[indices]` as a dictionary array whose dictionary has no repeats (after trimming or
    mapping, " u1" and "u1", or 签到 and 打卡, become one entry)."""
    encoded = pc.dictionary_encode(values)
    if len(encoded.dictionary) < len(values):
        indices, values = encoded.indices.take(indices), encoded.dictionary
    return pa.DictionaryArray.from_arrays(indices, values)


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


def _build(kind: str, name: str, tbl: _Table, mapping: dict[str, str], options: dict[str, Any],
           checkin_keywords: list[str] | None, budget: list[int],
           questions: list[Problem]) -> tuple[pd.DataFrame, list[Problem], int]:
    table = tbl.table
    by_canon = {canon: header for header, canon in mapping.items()}
    rows = _Rows(name, table.num_rows, tbl, budget)
    out: dict[str, Any] = {}
    columns = {"activity": ACTIVITY_COLUMNS, "members": MEMBER_COLUMNS, "daily": DAILY_COLUMNS}[kind]
    required = set(_KIND_REQUIRED[kind])
    if kind == "activity" and "time" not in by_canon:
        by_canon["time"] = by_canon.pop("date")  # a date-only activity column
    if kind == "daily" and "date" not in by_canon:
        by_canon["date"] = by_canon.pop("time")  # statistics whose date column says 时间

    def convert(canon: str) -> Any:
        column = table.column(by_canon[canon])
        if canon in _DATE_COLUMNS:
            return _time_column(column)
        if canon == "nickname":  # names are nearly as many as rows: kept as they are, trimmed where shown
            return _plain_text(column)
        if canon in _NUMBER_COLUMNS:  # numbers arrow parsed; text numbers are cleaned below
            return _typed_numbers(column)
        return _text(column)

    # one after the other: the costly one, encoding ids, splits itself over two cores (_dictionary_encode)
    converted = {canon: convert(canon) for canon in columns if canon in by_canon}
    for canon in columns:
        header = by_canon.get(canon)
        if header is None:
            out[canon] = None
            continue
        column = table.column(header)
        if canon in _DATE_COLUMNS:
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
        elif canon in _NUMBER_COLUMNS:
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
    mask = None if keep.all() else pa.array(keep)
    arrays: dict[str, Any] = {}
    for canon in columns:
        values = out[canon]
        if values is None:
            if canon in _NUMBER_COLUMNS:
                values = np.full(n, np.nan)
            elif canon in _DATE_COLUMNS:
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
    for canon in _DATE_COLUMNS & set(df.columns):
        if df[canon].dtype != "datetime64[ns]":
            df[canon] = df[canon].astype("datetime64[ns]")
    if kind == "daily":
        df["date"] = df["date"].dt.normalize()
    return df, rows.problems, int((~keep).sum())


def _to_pandas(values: Any) -> Any:
    """A built column for the frame: numpy as it is, a dictionary array as a categorical (its codes are
    reused, not looked up again), text as pandas text."""
    if isinstance(values, pa.DictionaryArray):
        categories = pd.Index(values.dictionary.to_pandas(), dtype="str")
        return pd.Categorical.from_codes(values.indices.to_numpy(zero_copy_only=False), categories=categories,
                                         validate=False)
    return values.to_pandas() if isinstance(values, (pa.Array, pa.ChunkedArray)) else values


# What reading a damaged or unexpected file raises (any other exception is a bug of ours); a damaged
# workbook: see columnar.WORKBOOK_ERRORS.
_TRUNCATED = WORKBOOK_ERRORS
_UNREADABLE = (pa.ArrowInvalid, ValueError, csv.Error)


def too_large(name: str, size: int, limit: int | None = None) -> Problem | None:
    """The problem of a file of `size` bytes over the limit (default `MAX_BYTES`), None when it is within."""
    limit = MAX_BYTES if limit is None else int(limit)
    if size <= limit:
        return None
    return Problem(key="data.problem.too_large", params={"mb": round(size / 2**20, 1), "limit": round(limit / 2**20)},
                   file=name)


def _load_one(name: str, data: bytes, options: dict[str, Any], checkin_keywords: list[str] | None,
              budget: list[int], checked: bool = False) -> tuple[str | None, pd.DataFrame | None, list[Problem], int]:
    refused = too_large(name, len(data), options.get("max_bytes"))
    if refused is not None:
        return None, None, [refused], 0
    if not data or data.isspace():
        return None, None, [Problem(key="data.problem.empty", file=name)], 0
    try:
        if data.startswith(b"PK\x03\x04"):
            tbl = _read_xlsx(data, checked)
        elif data.startswith(b"\xd0\xcf\x11\xe0"):
            return None, None, [Problem(key="data.problem.old_xls", file=name)], 0
        elif _looks_binary(data):
            return None, None, [Problem(key="data.problem.binary", file=name)], 0
        else:
            tbl = _read_csv(data, options.get("mapping"))
    except xlsx_guard.WorkbookRefused as exc:
        return None, None, [_refusal(name, exc)], 0
    except _TRUNCATED:
        return None, None, [Problem(key="data.problem.truncated", file=name)], 0
    except MixedEncoding as exc:
        return None, None, [Problem(key="data.problem.mixed_encoding", file=name, row=exc.row)], 0
    except UnicodeError:
        return None, None, [Problem(key="data.problem.encoding", file=name)], 0
    except _UNREADABLE as exc:
        key = "data.problem.truncated" if "quote" in str(exc).lower() else "data.problem.unreadable"
        return None, None, [Problem(key=key, file=name)], 0
    if tbl.table.num_columns == 0 or tbl.table.num_rows == 0:
        return None, None, [Problem(key="data.problem.no_rows", file=name)], 0
    headers = [h for h in tbl.table.column_names if not is_content_header(h)]
    mapping = map_headers(headers, options.get("mapping"))
    kind = detect_kind(set(mapping.values()))
    if kind is None:
        return None, None, [Problem(key="data.problem.unknown_kind", params={"headers": "、".join(headers[:12])},
                                    file=name)], 0
    problems: list[Problem] = []
    if len(tbl.skipped):
        problems.append(Problem(key="data.problem.wrong_field_count", params={"count": len(tbl.skipped)}, file=name))
    frame, row_problems, bad = _build(kind, name, tbl, mapping, options, checkin_keywords, budget, problems)
    return kind, frame, problems + row_problems, bad + len(tbl.skipped)


def _refusal(name: str, exc: xlsx_guard.WorkbookRefused) -> Problem:
    return Problem(key=exc.key, params=exc.params, file=name)


def _workbook_refusal(name: str, data: bytes) -> Problem | None:
    """Why an XLSX must not be opened at all (planner.data.xlsx_guard), else None (also for other files, and
    for a damaged zip, which its reader reports)."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        xlsx_guard.check_workbook(data)
    except xlsx_guard.WorkbookRefused as exc:
        return _refusal(name, exc)
    except _TRUNCATED:
        return None
    return None


def load_generic(files: list[tuple[str, bytes]], *, plan: Any = None,
                 options: dict[str, Any] | None = None, _checked: bool = False) -> LoadResult:
    """The generic spreadsheet path alone (no chat-format detection). `_checked`: load_files has already
    run planner.data.xlsx_guard over these files."""
    options = options or {}
    keywords = list(plan.data.checkin_keywords) if plan is not None else None
    budget = [MAX_ROW_PROBLEMS]
    frames: dict[str, list[pd.DataFrame]] = {"activity": [], "members": [], "daily": []}
    result = LoadResult()
    for name, data in files:
        kind, frame, problems, bad = _load_one(name, data, options, keywords, budget, _checked)
        result.problems.extend(problems)
        result.bad_rows += bad
        if kind and frame is not None:
            frames[kind].append(frame)
    if result.bad_rows > MAX_ROW_PROBLEMS and budget[0] <= 0:
        result.problems.append(Problem(key="data.problem.more_bad_rows",
                                       params={"shown": MAX_ROW_PROBLEMS, "count": result.bad_rows}))
    result.activity, result.members, result.daily = (combine(kind, frames[kind])
                                                       for kind in ("activity", "members", "daily"))
    return result


def load_files(files: list[tuple[str, bytes]], *, plan: Any = None,
               options: dict[str, Any] | None = None) -> LoadResult:
    """Chat exports first (`planner.data.chat_formats.detect`), then generic spreadsheets.

    Contract with chat_formats: `detect(files, checkin_keywords=…, keep_self=…, chat=…)` returns
    None when no file is a chat export, else a ChatLoadResult whose `unrecognised` names the files it
    left alone; those go through the generic mapping and both results are merged (format
    "wecom+generic"). The options "keep_self" (default True) and "chat" are the page's choices.
    A file over the size limit, or a workbook over planner.data.xlsx_guard's caps, is refused here, before
    any reader (the chat sniffers open every XLSX) sees it."""
    opts = options or {}
    checked = [(name, data, too_large(name, len(data), opts.get("max_bytes")) or _workbook_refusal(name, data))
               for name, data in files]
    if any(refused is not None for *_, refused in checked):
        result = load_files([(name, data) for name, data, refused in checked if refused is None], plan=plan,
                            options=options)
        result.problems[:0] = [refused for *_, refused in checked if refused is not None]
        return result
    keywords = list(plan.data.checkin_keywords) if plan is not None else None
    # No guard here: the chat readers report damaged input as problems themselves, and an exception
    # from them is a bug that must show, not a silent switch to the generic loader.
    detected = chat_formats.detect(files, checkin_keywords=keywords, keep_self=bool(opts.get("keep_self", True)),
                                   chat=opts.get("chat"))
    if detected is None:
        return load_generic(files, plan=plan, options=options, _checked=True)
    left = set(detected.unrecognised)
    rest = [(name, data) for name, data in files if name in left]
    if not rest:
        return detected
    generic = load_generic(rest, plan=plan, options=options, _checked=True)
    detected.problems = [p for p in detected.problems if not (p.file in left and p.key.endswith("not_chat_export"))]
    return merge([detected, generic])


def preview_headers(name: str, data: bytes) -> list[str]:
    """The header row of a spreadsheet file (a CSV's first 64 KB, a workbook's first rows), for the mapping
    override. Blank headers get the names the full load gives them."""
    try:
        if data.startswith(b"PK\x03\x04"):
            rows, _ = _sheet_rows(data, limit=10)  # _header_index looks at the first ten rows
            if not rows:
                return []
            header = rows[_header_index(rows)]
            return _dedupe([c.strip() or f"column{i + 1}" for i, c in enumerate(header)])
        if not data.strip() or _looks_binary(data) or data.startswith(b"\xd0\xcf\x11\xe0"):
            return []
        head = data[:65536]
        if mixed_encoding_row(head) is not None:  # garbled headers to map: the full load says why
            return []
        utf8, _ = to_utf8(head)
        _, header, _ = _head(utf8.decode("utf-8", errors="ignore"))
        return [h.strip() for h in header] if header is not None else []
    except (*_TRUNCATED, UnicodeError, *_UNREADABLE, xlsx_guard.WorkbookRefused):  # the full load says why
        return []


def files_digest(files: list[tuple[str, bytes]], options: dict[str, Any] | None = None) -> str:
    """A stable hash of the uploaded bytes (and load options): the page's cache key."""
    import hashlib
    import json

    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode("utf-8", "replace") + b"\0" + len(data).to_bytes(8, "big"))
        digest.update(data)
    digest.update(json.dumps(options or {}, sort_keys=True, default=str).encode())
    return digest.hexdigest()
