"""Join and resume links, and their QR code."""

from __future__ import annotations

import struct
import zlib

import segno

from planner.links import QR_BORDER, QR_SCALE, qr_png, resume_link, workshop_link


def test_links_point_at_the_app_root_whatever_page_they_came_from() -> None:
    assert workshop_link("https://planner.example.com/trainer?plan=x", "K7MQ2D") == \
        "https://planner.example.com/?workshop=K7MQ2D"
    assert resume_link("http://127.0.0.1:8501/sop", "abc-_1") == "http://127.0.0.1:8501/?resume=abc-_1"


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_qr_code_is_a_large_png_of_exactly_the_link() -> None:
    link = "https://planner.example.com/?workshop=K7MQ2D"
    png = qr_png(link)
    width, height = _png_size(png)
    symbol = segno.make(link, error="m", micro=False)
    modules = symbol.symbol_size(scale=1, border=QR_BORDER)[0]
    assert width == height == modules * QR_SCALE
    assert width >= 400  # scannable from the back of a room when projected
    # the PNG's pixels are the symbol's modules: decode the image and compare module by module
    assert _modules(png, QR_SCALE) == [[bool(v) for v in row] for row in
                                       _with_border(symbol.matrix, QR_BORDER)]


def _with_border(matrix, border: int) -> list[list[int]]:
    size = len(matrix) + 2 * border
    rows = [[0] * size for _ in range(border)]
    rows += [[0] * border + list(row) + [0] * border for row in matrix]
    return rows + [[0] * size for _ in range(border)]


def _modules(png: bytes, scale: int) -> list[list[bool]]:
    """Dark (True) / light per module, read from the PNG's first pixel of each module."""
    width, height = _png_size(png)
    chunks, pos = [], 8
    bit_depth, colour = png[24], png[25]
    while pos < len(png):
        length = struct.unpack(">I", png[pos:pos + 4])[0]
        kind = png[pos + 4:pos + 8]
        if kind == b"IDAT":
            chunks.append(png[pos + 8:pos + 8 + length])
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    assert colour in (0, 3) and bit_depth in (1, 2, 4, 8)  # greyscale or palette
    stride = (width * bit_depth + 7) // 8
    rows = []
    for y in range(0, height, scale):
        line = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]  # filter byte 0 (none) for segno's output
        assert raw[y * (stride + 1)] == 0
        row = []
        for x in range(0, width, scale):
            bit = (line[(x * bit_depth) // 8] >> (8 - bit_depth - (x * bit_depth) % 8)) & ((1 << bit_depth) - 1)
            row.append(bit == 0)  # index/grey 0 is dark in segno's 1-bit output
        rows.append(row)
    return rows
