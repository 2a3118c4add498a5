"""Reading a spreadsheet: CSV or XLSX bytes -> one table of columns (`Table`) and where its header
sat. Decoding (UTF-8, GBK/GB18030, BOMs; mixed encodings refused), the delimiter, title rows above
the header, ids Excel shows zero-padded, and workbooks checked by planner.data.xlsx_guard first."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from planner.data import xlsx_guard
from planner.data.columnar import to_utf8
from planner.data.frames import (
    canonical_column,
    is_content_header,
    map_headers,
)
from planner.data.text_encoding import MixedEncoding, mixed_encoding_row


@dataclass
class Table:
    """One parsed sheet: string or typed arrow columns, and where its header sat."""

    table: pa.Table
    header_row: int  # 1-based row of the header in the file
    skipped: np.ndarray  # 1-based file rows dropped by the parser (wrong number of fields)


_CONTROLS = bytes(b for b in range(256) if b < 9 or 13 < b < 32)


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))  # counted in C, not byte by byte in Python
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


HEADER_ROWS = 10  # the header is looked for among the first rows


def header_index(rows: list[list[str]]) -> int:
    """The row (0-based) among the first few that looks most like a header (title lines above it)."""
    best, best_hits = 0, 0
    for i, row in enumerate(rows[:HEADER_ROWS]):
        hits = sum(1 for cell in row if canonical_column(cell))
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def csv_head(text: str) -> tuple[str, list[str] | None, int]:
    """From the first 64 KB of a CSV: its delimiter, its header row (None: no rows) and that row's index."""
    delim = _sniff(text)
    rows = list(islice(csv.reader(io.StringIO(text), delimiter=delim), HEADER_ROWS))  # the header is among these
    if not rows:
        return delim, None, 0
    skip = header_index(rows)
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


DATE_COLUMNS = frozenset({"time", "join_date", "date"})


NUMBER_COLUMNS = frozenset({"amount", "member_total", "new_members", "members_spoke", "messages"})


_TYPED_COLUMNS = DATE_COLUMNS | NUMBER_COLUMNS


# Text with few distinct values (actions, groups, channels …) is read as a dictionary: the reader encodes it
# block by block on every core as it parses, which costs less than reading the text and encoding it after.
FEW_VALUES = frozenset({"action", "group", "channel", "paid", "tier"})
_FEW_VALUES_TYPE = pa.dictionary(pa.int32(), pa.string())


def _text_columns(header: list[str], mapping: dict[str, str] | None) -> dict[str, pa.DataType]:
    """Arrow column types for a header: every column that is not a date or a number is read as text.
    Left to inference, ids that look numeric lose their leading zeros ("00123" → 123)."""
    mapped = map_headers([h for h in header if not is_content_header(h)], mapping)
    return {h: _FEW_VALUES_TYPE if mapped.get(h) in FEW_VALUES else pa.string()
            for h in header if mapped.get(h) not in _TYPED_COLUMNS}


def read_csv(data: bytes, mapping: dict[str, str] | None = None) -> Table:
    utf8, decoded = _utf8_guess(data)
    head_text = bytes(utf8[:65536]).decode("utf-8", errors="ignore")
    delim, header, skip = csv_head(head_text)
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
    return Table(table, skip + 1, np.array(sorted(skipped), dtype=np.int64))


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


def sheet_rows(data: bytes, checked: bool = False,
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


def read_xlsx(data: bytes, checked: bool = False) -> Table:
    rows, budget = sheet_rows(data, checked)
    if not rows:
        return Table(pa.table({}), 1, np.array([], dtype=np.int64))
    h = header_index(rows)
    width = max(map(len, rows))  # a column with data but no header is kept, as before under a made-up name
    header = [c.strip() or f"column{i + 1}" for i, c in enumerate(rows[h] + [""] * (width - len(rows[h])))]
    budget.check_table(len(rows), width)
    body = [(r + [""] * width)[:width] for r in rows[h + 1:]]
    columns = {name: pa.array([r[i] for r in body], pa.string()) for i, name in enumerate(dedupe(header))}
    return Table(pa.table(columns), h + 1, np.array([], dtype=np.int64))


def dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}.{seen[name]}")
    return out
