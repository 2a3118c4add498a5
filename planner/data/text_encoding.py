"""Telling a file that mixes two text encodings (say a GBK header with UTF-8 rows appended, or the
reverse) from one that is in a single encoding.

Such a file decodes "successfully" as GB18030, which accepts almost any bytes, and half of it comes out
as gibberish: headers nobody wrote, or names that are wrong. The loaders ask `mixed_encoding_row`
only for bytes that are not UTF-8 throughout (a UTF-8 file never pays for it), and refuse the file
with the row where the second encoding starts.

The evidence is Chinese written in UTF-8: a run of CJK characters as UTF-8 (3 bytes each, lead byte
E4–E9). GBK bytes can look like that by chance, so a run only counts when it decodes as UTF-8 to common
characters (GB2312) *and* the same bytes read as GBK would be mojibake (characters outside GB2312),
which ordinary GBK text is not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

import numpy as np

_BOM = b"\xef\xbb\xbf"
_CJK_RUN = re.compile(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){2,}")  # two or more CJK characters in UTF-8
_CANDIDATES = 200  # runs looked at on each side of the first non-UTF-8 byte; bounds the work
_CHUNK = 1 << 24  # bytes scanned at a time: a 200 MB file is not turned into a dozen 200 MB masks


class MixedEncoding(UnicodeError):
    """The file mixes text encodings; `row` (1-based line) is where the second one starts."""

    def __init__(self, row: int) -> None:
        super().__init__(f"mixed text encodings from line {row}")
        self.row = row


def _common(char: str) -> bool:
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _utf8_chinese(run: bytes) -> bool:
    """Whether a CJK-looking run is Chinese written in UTF-8 rather than GBK bytes that fit by chance."""
    try:
        text = run.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if sum(map(_common, text)) < 2:
        return False
    as_gbk = run.decode("gb18030", errors="replace")
    return any(ord(c) > 127 and not _common(c) for c in as_gbk)


def _runs(data: bytes, start: int, stop: int) -> Iterator[tuple[bytes, int]]:
    """The CJK-looking UTF-8 runs in data[start:stop] and where each starts, found with numpy a chunk at
    a time (Python's regex search crawls through megabytes of GBK that hold none)."""
    at = start
    while at < stop:
        end = min(stop, at + _CHUNK)
        b = np.frombuffer(data, dtype=np.uint8, count=min(stop, end + 5) - at, offset=at)
        # lead bytes E4–E9 are a few percent of GBK text: find them, then look at the five bytes after
        leads = np.flatnonzero((b[: end - at] - np.uint8(0xE4)) < 6)
        leads = leads[leads + 5 < len(b)]
        ok = np.ones(len(leads), dtype=bool)
        for k, low, width in ((1, 0x80, 64), (2, 0x80, 64), (3, 0xE4, 6), (4, 0x80, 64), (5, 0x80, 64)):
            ok &= (b[leads + k] - np.uint8(low)) < width
        skip_to = 0
        for i in leads[ok] + at:  # starts of two CJK characters in a row
            if i < skip_to:
                continue
            run = _CJK_RUN.match(data, int(i))
            if run is not None:
                skip_to = run.end()
                yield run.group(), int(i)
        at = end


def _line(data: bytes, at: int) -> tuple[int, int]:
    """Start and end of the line holding byte `at`."""
    end = data.find(b"\n", at)
    return data.rfind(b"\n", 0, at) + 1, len(data) if end < 0 else end


def mixed_encoding_row(data: bytes) -> int | None:
    """The 1-based line where a second text encoding starts, or None when the bytes read as one.

    UTF-8 first: Chinese in UTF-8 (or a UTF-8 BOM) before the first byte that is not UTF-8 — that
    byte's line. Another encoding first: a later line that is UTF-8 throughout and holds Chinese."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: decoded by its BOM, never mixed with these
        return None
    bom = data.startswith(_BOM)
    base = len(_BOM) if bom else 0
    try:
        str(memoryview(data)[base:], "utf-8")
        return None
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - base - 3 and exc.reason == "unexpected end of data":
            return None  # one character cut at the very end (a truncated file): still UTF-8
        first_bad = base + exc.start
    if bom or any(_utf8_chinese(run) for run, _ in islice(_runs(data, base, first_bad), _CANDIDATES)):
        return data.count(b"\n", 0, first_bad) + 1
    for run, at in islice(_runs(data, first_bad, len(data)), _CANDIDATES):
        if not _utf8_chinese(run):
            continue
        start, end = _line(data, at)
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return data.count(b"\n", 0, start) + 1
    return None
