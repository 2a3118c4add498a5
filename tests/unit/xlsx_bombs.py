"""Hostile workbooks written by hand (zipfile + XML), small on disk: shared by the loader and page tests.

Each builder streams its parts into the zip so that even a 300 MB part never sits in memory whole."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>
</Types>"""
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{_PKG_REL}">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{_REL}"><sheets><sheet name="成员" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{_PKG_REL}">
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""

Parts = Iterable[bytes]


_NO_STRINGS = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}" count="0" uniqueCount="0"/>'.encode(),)


def workbook(sheet: Parts, strings: Parts = _NO_STRINGS, *, workbook_xml: str = _WORKBOOK) -> bytes:
    """An XLSX whose first sheet's XML is the bytes of `sheet` and shared strings those of `strings`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                           ("xl/workbook.xml", workbook_xml), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)):
            archive.writestr(name, text)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", strings)):
            with archive.open(name, "w") as part:
                for chunk in chunks:
                    part.write(chunk)
    return out.getvalue()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = f'<row r="1">{_inline("A1", "成员ID")}{_inline("B1", "时间")}</row>'
GOOD_ROW = f'<row r="2">{_inline("A2", "u1")}{_inline("B2", "2026-03-01 08:00")}</row>'


def sheet_xml(rows: Iterable[str | bytes], dimension: str | None = None) -> Iterator[bytes]:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}">{dim}<sheetData>'.encode()
    for row in rows:
        yield row.encode() if isinstance(row, str) else row
    yield b"</sheetData></worksheet>"


def plain() -> bytes:
    """A harmless two-column activity log (what every bomb below starts from)."""
    return workbook(sheet_xml([HEADER_ROW, GOOD_ROW]))


def long_string(megabytes: int = 300) -> bytes:
    """One shared string of `megabytes` MB of 'A' in the second row: ~300 KB on disk."""
    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
        block = b"A" * 2**20
        for _ in range(megabytes):
            yield block
        yield b"</t></si></sst>"
    row = f'<row r="2"><c r="A2" t="s"><v>0</v></c>{_inline("B2", "2026-03-01 08:00")}</row>'
    return workbook(sheet_xml([HEADER_ROW, row]), strings())


def long_rich_string(megabytes: int = 300) -> bytes:
    """The same long string cut into 30 KB rich-text runs (each text node looks harmless alone)."""
    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si>'.encode()
        run = b"<r><t>" + b"A" * 30_000 + b"</t></r>"
        block = run * 35  # ~1 MB
        for _ in range(megabytes):
            yield block
        yield b"</si></sst>"
    row = f'<row r="2"><c r="A2" t="s"><v>0</v></c>{_inline("B2", "2026-03-01 08:00")}</row>'
    return workbook(sheet_xml([HEADER_ROW, row]), strings())


def many_rows(rows: int = 3_000_000, dimension: str | None = None) -> bytes:
    """`rows` rows after the header, each one cell holding a space (empty-ish), no row numbers."""
    body = b'<row><c t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>' * 10_000
    return workbook(sheet_xml([HEADER_ROW, *([body] * (rows // 10_000))], dimension))


def far_row(row: int = 3_000_000) -> bytes:
    """A header and one cell at row `row`: a tiny file whose reader would walk every row before it."""
    return workbook(sheet_xml([HEADER_ROW, GOOD_ROW, f'<row r="{row}">{_inline(f"A{row}", "u9")}</row>']))


def lying_dimension() -> bytes:
    """Two real rows, but a declared size of the whole Excel grid (A1:XFD1048576)."""
    return workbook(sheet_xml([HEADER_ROW, GOOD_ROW], dimension="A1:XFD1048576"))


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA … 16383 → XFD."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def wide(columns: int = 16_384, rows: int = 3) -> bytes:
    """`columns` headers (成员ID, 时间 and then 列3 …) and `rows` rows under them."""
    headers = ["成员ID", "时间", *(f"列{i + 1}" for i in range(2, columns))]
    head = "".join(_inline(f"{column_name(i)}1", h) for i, h in enumerate(headers))
    body = [f'<row r="{r}">{_inline(f"A{r}", f"u{r}")}{_inline(f"B{r}", "2026-03-01 08:00")}'
            f'{_inline(f"{column_name(columns - 1)}{r}", "x")}</row>' for r in range(2, rows + 2)]
    return workbook(sheet_xml([f'<row r="1">{head}</row>', *body]))


def with_dtd(entity: str = '<!ENTITY xxe SYSTEM "file:///etc/passwd">', part: str = "sheet") -> bytes:
    """A DTD with an (external) entity in the sheet XML or in the workbook XML."""
    prolog = f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [{entity}]>\n'
    if part == "workbook":
        workbook_xml = _WORKBOOK.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                                         prolog.replace("worksheet", "workbook"))
        return workbook(sheet_xml([HEADER_ROW, GOOD_ROW]), workbook_xml=workbook_xml)
    row = f'<row r="2">{_inline("A2", "&xxe;")}{_inline("B2", "2026-03-01 08:00")}</row>'
    chunks = list(sheet_xml([HEADER_ROW, row]))
    chunks[0] = chunks[0].replace(b'<?xml version="1.0" encoding="UTF-8"?>\n', prolog.encode())
    return workbook(chunks)
