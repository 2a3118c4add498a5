"""Low-level helpers that the generic loader (planner/data/ingest.py), the chat readers
(planner/data/chat_formats/) and the analytics (planner/data/analytics.py) share: uploaded bytes → text, dates
as people write them → datetime64, and arrow dictionary codes. Pure, no knowledge of canonical columns."""

from __future__ import annotations

import re
import zipfile
import zlib
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from charset_normalizer import from_bytes

try:  # openpyxl parses with defusedxml when it is there (fpdf2 brings it)
    from defusedxml import DefusedXmlException
except ImportError:  # pragma: no cover
    class DefusedXmlException(ValueError):  # type: ignore[no-redef]
        """Stands in for defusedxml's refusal, which then never happens."""

# What opening a damaged or cut-off XLSX raises (anything else is a bug of ours): a broken zip
# (BadZipFile, EOFError, OSError), a missing part (KeyError), corrupt deflate data (zlib.error), and
# XML cut off or garbled, which fails in ElementTree or lxml (both parse errors derive from SyntaxError).
# A DTD is refused by planner.data.xlsx_guard before anything parses; defusedxml's own refusal (a ValueError that
# openpyxl raises) stays here as a backstop, so a reader that skips the guard sees a damaged file, not a bug.
WORKBOOK_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, KeyError, EOFError, OSError, SyntaxError, zlib.error, DefusedXmlException
)


def _cut_tail(data: bytes, encoding: str, width: int) -> bytes | None:
    """`data` without a character cut at its very end (a truncated file or a head slice), else None."""
    try:
        data.decode(encoding)
        return data
    except UnicodeDecodeError as exc:
        return data[: exc.start] if exc.start >= len(data) - width else None


def to_utf8(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes of an uploaded text file and the encoding found: UTF-8 (with or without BOM), UTF-16
    with a BOM, GB18030 (which reads GBK and GB2312), else what charset_normalizer guesses. A multi-byte
    character cut at the very end (truncated file, first-KB slice) is dropped. UnicodeError: undecodable."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").encode("utf-8"), "utf-16"
    utf8 = _cut_tail(data, "utf-8", 3)
    if utf8 is not None:
        return utf8, "utf-8"
    gb = _cut_tail(data, "gb18030", 4)
    if gb is not None:
        return gb.decode("gb18030").encode("utf-8"), "gb18030"
    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise UnicodeError("undecodable")
    return data.decode(best.encoding, errors="replace").encode("utf-8"), best.encoding


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of an uploaded file and its encoding (see `to_utf8`)."""
    utf8, encoding = to_utf8(data)
    return utf8.decode("utf-8", errors="replace"), encoding


def dictionary_codes(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """int64 codes (in order of first appearance) and the distinct values, by arrow's dictionary
    encoding: the fast way to turn ids and actions into integers."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                  r"(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?秒?)?)?$")
_XYY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
EXCEL_EPOCH = np.datetime64("1899-12-30")


def _iso(y: str, mo: str, d: str, h: str | None, mi: str | None, s: str | None) -> str:
    return f"{y}-{int(mo):02d}-{int(d):02d} {int(h or 0):02d}:{int(mi or 0):02d}:{int(s or 0):02d}"


# Member data is dated from when group chats existed up to a little ahead (a scheduled post, a clock off by
# a day). Anything outside is a typo or a damaged export (year 2999, 1899 from an empty Excel cell), and
# past 2262 it no longer fits datetime64[ns] at all: such rows are reported and left out, never wrapped.
EARLIEST_DATE = date(1990, 1, 1)
FUTURE_DAYS = 366


def date_window(today: date | None = None) -> tuple[np.datetime64, np.datetime64]:
    """The plausible times of member data, both ends included: EARLIEST_DATE to the end of the day
    FUTURE_DAYS after `today` (default: today), as datetime64[s]."""
    last = (today or date.today()) + timedelta(days=FUTURE_DAYS + 1)
    return np.datetime64(EARLIEST_DATE, "s"), np.datetime64(last, "s") - np.timedelta64(1, "s")


def window_params() -> dict[str, str]:
    """The window as the parameters of a problem message: {"earliest": …, "latest": …} (days)."""
    low, high = date_window()
    return {"earliest": str(low.astype("datetime64[D]")), "latest": str(high.astype("datetime64[D]"))}


def outside_window(times: np.ndarray) -> np.ndarray:
    """Per value of a datetime64 array (any unit): outside `date_window` (NaT is not)."""
    low, high = date_window()
    return (times < low) | (times > high)


def arrow_outside_window(column: pa.Array | pa.ChunkedArray) -> pa.Array | None:
    """Per row of an arrow date / timestamp column: outside `date_window` (null is not); None when no row
    is, which one min/max pass decides (the mask is only built for a file that has such rows)."""
    if not len(column):
        return None
    low, high = (pa.scalar(bound).cast(column.type) for bound in date_window())
    extremes = pc.min_max(column)
    if not extremes["min"].is_valid or not (pc.less(extremes["min"], low).as_py() or
                                            pc.greater(extremes["max"], high).as_py()):
        return None
    outside = pc.fill_null(pc.or_(pc.less(column, low), pc.greater(column, high)), False)
    return outside.combine_chunks() if isinstance(outside, pa.ChunkedArray) else outside


class ParsedDates(NamedTuple):
    times: np.ndarray  # datetime64[ns]; NaT where unreadable or outside the window
    order: str | None  # see parse_dates
    outside: np.ndarray  # bool: read as a date, but outside `date_window`


def parse_dates(values: np.ndarray, date_order: str | None = None) -> ParsedDates:
    """datetime64[ns] (NaT where unreadable or implausible, `outside` marks the latter) and, for d/m/y
    vs m/d/y text, the order found.

    The order is "dmy" or "mdy" when the values decide it, "ambiguous" when every value fits both
    (then `date_order`, default month-first, is used), None when no such values exist."""
    out = pd.to_datetime(pd.Series(values, dtype="str"), format="ISO8601", errors="coerce")
    # parsed in microseconds (pandas' own unit for such text): asking for ns here wrapped 2999 to 1830
    result = out.to_numpy().astype("datetime64[us]")
    todo = np.flatnonzero(np.isnat(result) & (values != ""))
    order_found: str | None = None
    if not len(todo):
        return _plausible(result, None)
    fixed: dict[int, str] = {}
    xyy: list[tuple[int, re.Match[str]]] = []
    for i in todo:
        text = str(values[i])
        if m := _YMD.match(text):
            fixed[i] = _iso(*m.groups())
        elif m := _XYY.match(text):
            xyy.append((i, m))
        elif _SERIAL.match(text):
            serial = float(text)
            if 20000 <= serial <= 80000:  # 1954 … 2119
                result[i] = EXCEL_EPOCH + np.timedelta64(round(serial * 86400), "s")
    if xyy:
        first_big = any(int(m.group(1)) > 12 for _, m in xyy)
        second_big = any(int(m.group(2)) > 12 for _, m in xyy)
        if first_big and not second_big:
            order_found = "dmy"
        elif second_big and not first_big:
            order_found = "mdy"
        else:
            order_found = "ambiguous"
        use = order_found if order_found in ("dmy", "mdy") else (date_order or "mdy")
        for i, m in xyy:
            a, b, y, h, mi, s = m.groups()
            day, month = (a, b) if use == "dmy" else (b, a)
            fixed[i] = _iso(y, month, day, h, mi, s)
    if fixed:
        keys = np.fromiter(fixed.keys(), dtype=np.int64, count=len(fixed))
        parsed = pd.to_datetime(pd.Series(list(fixed.values())), format="%Y-%m-%d %H:%M:%S", errors="coerce")
        result[keys] = parsed.to_numpy().astype("datetime64[us]")
    return _plausible(result, order_found)


def _plausible(times: np.ndarray, order: str | None) -> ParsedDates:
    outside = outside_window(times)
    if outside.any():
        times = np.where(outside, np.datetime64("NaT"), times)
    return ParsedDates(times.astype("datetime64[ns]"), order, outside)
