"""Limits on what an uploaded XLSX may unpack into, checked on the zip's bytes before any XML parser runs.

A 300 KB workbook can unpack into a 300 MB string or three million rows, and openpyxl builds whatever
the XML says. `check_workbook` reads the zip directory (sizes, compression ratios) and streams each XML
part once through a byte scanner (numpy over 1 MiB pieces, no parser) that refuses a DTD and anything
Excel would not write, counts rows and measures every cell, shared string and row. The readers cap rows
and cells again while reading (`RowBudget`), since a row number can skip a million empty rows in a tiny
file. A refusal is a `WorkbookRefused` (a Problem key and its parameters); nothing is cut short silently.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from typing import IO, Any

import numpy as np

# The caps, decided once here (README, "Member data accepted"). An upload is at most 200 MB
# (ingest.MAX_BYTES); Excel itself stops at 1,048,576 rows and 32,767 characters a cell.
MAX_UNPACKED = 1024 * 2**20       # all parts together, unpacked (about five times the upload limit)
MAX_STRINGS_PART = 256 * 2**20    # the shared strings, which openpyxl holds in memory whole
MAX_OTHER_PART = 64 * 2**20       # styles, workbook, relationships…: parsed whole, a few MB in real files
MAX_RATIO = 100                   # unpacked ÷ packed size of a part, as Apache POI allows
RATIO_FROM = 2**20                # …for parts larger than this (tiny parts have wild ratios)
MAX_ROWS = 1_048_576              # rows of a sheet: Excel's own limit
MAX_CELLS = 20_000_000            # rows × columns a sheet is read into (a million events × 20 columns)
MAX_CELL_BYTES = 256 * 1024       # XML of one cell or shared string: 32,767 characters of 4 bytes, and markup
MAX_ROW_BYTES = 16 * 2**20        # XML of one row
MAPPING_COLUMNS = 40              # columns the data page offers for the column mapping

_MAIN_NS = b'="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_PIECE = 2**20
_ENDS_NAME = np.zeros(256, dtype=bool)  # bytes that end a tag name
_ENDS_NAME[list(b" \t\r\n>/")] = True


class WorkbookRefused(Exception):
    """A workbook over a cap or not a plain spreadsheet: `key` (data.problem.*) and its `params`."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def _mb(size: int) -> float:
    return round(size / 2**20, 1)


class _Element:
    """Open/close bookkeeping of one element name across pieces: nesting, span, count."""

    def __init__(self, name: bytes, cap: int, key: str) -> None:
        self.name, self.cap, self.key = name, cap, key
        self.open_at = -1  # absolute offset of the unclosed start tag, -1 when none
        self.count = 0


class _Scanner:
    """Streams one XML part: no DTD, comment, CDATA or processing instruction (Excel writes none, and
    they could hide markup from a byte scan), no run without '<' or '>' longer than a cell, and for
    `elements` balanced, unnested spans within their caps."""

    def __init__(self, prefix: bytes, elements: list[_Element], where: dict[str, Any], long_key: str) -> None:
        self.prefix, self.elements, self.where, self.long_key = prefix, elements, where, long_key
        self.base = 0  # absolute offset of the current piece
        self.last_lt = 0

    def refuse(self, key: str, **params: Any) -> None:
        raise WorkbookRefused(key, **self.where, **params)

    def piece(self, body: bytes, first: bool) -> None:
        declaration = first and body.find(b"<?") == body.find(b"<") >= 0  # <?xml …?> heads the part
        if b"<!" in body or body.count(b"<?") > declaration:
            self.refuse("data.problem.xlsx_not_plain")
        n = len(body)
        arr = np.frombuffer(body, np.uint8)
        lt = np.flatnonzero(arr == 60)
        gaps = np.diff(lt, prepend=self.last_lt - self.base) if len(lt) else np.array([n + self.base - self.last_lt])
        if gaps.max(initial=0) > MAX_CELL_BYTES:
            self.refuse(self.long_key, kb=MAX_CELL_BYTES // 1024)
        if len(lt):
            self.last_lt = self.base + int(lt[-1])
        if not self.elements or not len(lt):
            return
        last = n - 1  # a piece ends with '>', so a real tag name never reaches past it: clip, not pad
        closing = arr[lt + 1] == 47  # '<' is never the last byte
        name_at = lt + 1 + closing
        ours = np.ones(len(lt), dtype=bool)
        for k, byte in enumerate(self.prefix):
            ours &= arr[np.minimum(name_at + k, last)] == byte
        name_at = name_at + len(self.prefix)
        gt: np.ndarray | None = None
        for element in self.elements:
            hit = ours & _ENDS_NAME[arr[np.minimum(name_at + len(element.name), last)]]
            for k, byte in enumerate(element.name):
                hit &= arr[np.minimum(name_at + k, last)] == byte
            if hit.any():
                gt = np.flatnonzero(arr == 62) if gt is None else gt
                self._element(element, arr, lt[hit], closing[hit], gt)
        for element in self.elements:
            if element.open_at >= 0 and self.base + n - element.open_at > element.cap:
                self.refuse(element.key, kb=element.cap // 1024)

    def _element(self, element: _Element, arr: np.ndarray, starts: np.ndarray, closing: np.ndarray,
                 gt: np.ndarray) -> None:
        at = np.searchsorted(gt, starts)
        if at.max() >= len(gt):  # a tag cut off at the end of the part
            raise SyntaxError("unclosed tag")
        ends = gt[at] + 1
        self_closing = (arr[ends - 2] == 47) & ~closing
        step = np.where(closing, -1, np.where(self_closing, 0, 1))
        depth = (1 if element.open_at >= 0 else 0) + np.cumsum(step) - step  # depth before each tag
        if np.any(depth != np.where(closing, 1, 0)):  # nested, or a close without an open
            self.refuse("data.problem.xlsx_not_plain")
        opened = starts[step == 1] + self.base
        closed = ends[closing] + self.base
        if element.open_at >= 0:
            opened = np.concatenate(([element.open_at], opened))
        spans = closed - opened[: len(closed)]
        if spans.max(initial=0) > element.cap:
            self.refuse(element.key, kb=element.cap // 1024)
        element.open_at = int(opened[-1]) if len(opened) > len(closed) else -1
        element.count += int(np.count_nonzero(step >= 0))
        if element.name == b"row" and element.count > MAX_ROWS:
            self.refuse("data.problem.xlsx_too_many_rows", limit=f"{MAX_ROWS:,}")


def _prefix(head: bytes) -> bytes:
    """The prefix the main spreadsheet namespace is bound to ("" when it is the default one)."""
    at = head.find(_MAIN_NS)
    if at < 0:
        return b""
    declared = head[head.rfind(b"xmlns", 0, at):at]
    return declared[6:] + b":" if declared.startswith(b"xmlns:") else b""


_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s+ref="(?:[A-Za-z]+\d+:)?[A-Za-z]+(\d+)"')


def _scan(part: IO[bytes], elements: list[_Element], where: dict[str, Any], long_key: str) -> None:
    carry, first, scanner = b"", True, None
    while True:
        chunk = part.read(_PIECE)
        buf = carry + chunk if carry else chunk
        cut = buf.rfind(b">") + 1 if chunk else len(buf)
        body, carry = buf[:cut], buf[cut:]
        if len(carry) > MAX_CELL_BYTES:
            raise WorkbookRefused(long_key, **where, kb=MAX_CELL_BYTES // 1024)
        if scanner is None and body:
            if body.count(_MAIN_NS) > 1:  # one binding at the root, as Excel writes it
                raise WorkbookRefused("data.problem.xlsx_not_plain", **where)
            scanner = _Scanner(_prefix(body), elements, where, long_key)
            declared = _DIMENSION.search(body)
            if declared and int(declared.group(1)) > MAX_ROWS:  # a size Excel cannot have: no need to read on
                raise WorkbookRefused("data.problem.xlsx_too_many_rows", **where, limit=f"{MAX_ROWS:,}")
        elif _MAIN_NS in body:
            raise WorkbookRefused("data.problem.xlsx_not_plain", **where)
        if scanner is not None and body:
            scanner.piece(body, first)
            scanner.base += len(body)
            first = False
        if not chunk:
            break


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """{zip path of a worksheet: its name as Excel shows it}, best effort (for messages only)."""
    try:
        infos = {i.filename: i for i in archive.infolist()}
        book, rels = infos.get("xl/workbook.xml"), infos.get("xl/_rels/workbook.xml.rels")
        if book is None or rels is None or book.file_size + rels.file_size > MAX_OTHER_PART:
            return {}
        book_xml = archive.read(book).decode("utf-8", "replace")
        rels_xml = archive.read(rels).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return {}
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\s[^>]*>", rels_xml):
        rid, target = re.search(r'\bId="([^"]*)"', tag), re.search(r'\bTarget="([^"]*)"', tag)
        if rid and target:
            path = target.group(1).lstrip("/") if target.group(1).startswith("/") else \
                posixpath.normpath(posixpath.join("xl", target.group(1)))
            targets[rid.group(1)] = path
    names = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\s[^>]*>", book_xml):
        name, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\b\w+:id="([^"]*)"', tag)
        if name and rid and rid.group(1) in targets:
            names[targets[rid.group(1)]] = html.unescape(name.group(1))
    return names


def check_workbook(data: bytes) -> None:
    """Refuse (`WorkbookRefused`) a workbook over a cap or not a plain spreadsheet, before it is parsed.
    A damaged zip raises what `columnar.WORKBOOK_ERRORS` lists, as opening it would."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)  # zipfile never inflates a part past its declared size
        if total > MAX_UNPACKED:
            raise WorkbookRefused("data.problem.xlsx_unpacked_too_large", mb=_mb(total), limit=_mb(MAX_UNPACKED))
        names = sheet_names(archive)
        for info in infos:
            path = info.filename
            sheet = names.get(path) or (posixpath.basename(path) if path.startswith("xl/worksheets/") and
                                        path.endswith(".xml") and "/_rels/" not in path else None)
            where: dict[str, Any] = {"part": sheet or path}
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
                raise WorkbookRefused("data.problem.xlsx_ratio", **where, ratio=f"{ratio:,}", limit=MAX_RATIO)
            if not path.endswith((".xml", ".rels")):
                continue
            strings = posixpath.basename(path) == "sharedStrings.xml"
            cap = None if sheet else MAX_STRINGS_PART if strings else MAX_OTHER_PART
            if cap is not None and info.file_size > cap:
                raise WorkbookRefused("data.problem.xlsx_part_too_large", **where, mb=_mb(info.file_size),
                                      limit=_mb(cap))
            if strings:
                elements = [_Element(b"si", MAX_CELL_BYTES, "data.problem.xlsx_string_too_long")]
                long_key = "data.problem.xlsx_string_too_long"
            else:  # every other part as if it were a sheet: one whose name we missed is still measured
                elements = [_Element(b"row", MAX_ROW_BYTES, "data.problem.xlsx_row_too_long"),
                            _Element(b"c", MAX_CELL_BYTES, "data.problem.xlsx_cell_too_long")]
                long_key = "data.problem.xlsx_cell_too_long" if sheet else "data.problem.xlsx_not_plain"
            with archive.open(info) as part:
                _scan(part, elements, where, long_key)


class RowBudget:
    """Caps rows and cells while a sheet is read (row numbers can skip ahead; columns can be 16,384 wide)."""

    def __init__(self, sheet: str) -> None:
        self.sheet, self.rows, self.cells = sheet, 0, 0

    def take(self, width: int) -> None:
        self.rows += 1
        self.cells += width
        if self.rows > MAX_ROWS:
            raise WorkbookRefused("data.problem.xlsx_too_many_rows", part=self.sheet, limit=f"{MAX_ROWS:,}")
        if self.cells > MAX_CELLS:
            raise WorkbookRefused("data.problem.xlsx_too_many_cells", part=self.sheet, row=f"{self.rows:,}",
                                  limit=f"{MAX_CELLS:,}")

    def check_table(self, rows: int, width: int) -> None:
        """The sheet's rows as a table `width` columns wide must fit the cell cap too."""
        if rows * width > MAX_CELLS:
            raise WorkbookRefused("data.problem.xlsx_too_many_cells", part=self.sheet, row=f"{rows:,}",
                                  limit=f"{MAX_CELLS:,}")
