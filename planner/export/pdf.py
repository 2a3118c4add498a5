"""Document → PDF with fpdf2, Chinese in the packaged Noto Sans SC (embedded as a subset).

Only a regular face is registered, so nothing asks for bold: headings are set by size and
colour, and table headings use a FontFace without emphasis (fpdf2's default bold heading would
fail). Characters the font lacks (emoji) are dropped here rather than warned about per glyph.

Layout rules a printed plan needs and fpdf2 does not apply by itself:
- every text goes through `linebreak.wrap`, so no line starts with "，" or a closing bracket;
- a sub-heading stays with the start of what follows it, and a table that fits on one page is
  not split when that would leave a sliver of it (or of the page before) on its own; see `_keep`.
"""

from __future__ import annotations

import io
import logging
from dataclasses import replace

from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableCellFillMode, XPos, YPos

from models.text import clean_text
from planner import i18n
from planner.export import linebreak
from planner.export.fonts import covered_codepoints, font_path
from planner.export.model import Block, Bullets, Document, Heading, Image, Paragraph, Table

FONT = "cjk"
_ACCENT = (23, 64, 95)
_MUTED = (130, 154, 177)
_TEXT = (31, 41, 51)
_HEADER_FILL = (230, 238, 245)
_HEADING_SIZES = {1: 16, 2: 13, 3: 11.5}
_TEXT_LINE = 5.5  # line height of paragraphs and bullets (mm)
_CELL_LINE, _CELL_PADDING, _CELL_SIZE = 5, 1.5, 9  # table line height and cell padding (mm), font size (pt)
_BULLET_INDENT = 7  # 3 mm in, 4 mm for the bullet
# A block is split over two pages only when each page keeps at least this share of a page of it;
# otherwise it moves whole to the next page (if it fits there).
_SLIVER = 1 / 5


def printable(text: str) -> str:
    """`text` without control characters (models.text) and without the characters the
    font cannot draw (line breaks kept)."""
    covered = covered_codepoints()
    return "".join(ch for ch in clean_text(text) if ch == "\n" or ord(ch) in covered)


def fitted(pdf: FPDF, text: str, width: float, padding: float = 0) -> str:
    """`text` (already printable) with the explicit line breaks that keep Chinese punctuation off
    the start of a line, measured in the current font for a cell of `width` mm (0: to the right
    margin) the way `multi_cell` will draw it."""
    if not linebreak.needs_care(text):
        return text
    room = (width or pdf.w - pdf.r_margin - pdf.get_x()) - 2 * padding - 2 * pdf.c_margin
    if max((pdf.get_string_width(line) for line in text.split("\n")), default=0) <= room:
        return text  # one line per paragraph: nothing to move

    # The same text in the same column comes back often (a daily task in the dated schedule): measure once.
    key = (text, width, padding, pdf.font_size_pt, pdf.get_x() if not width else 0.0)
    cache: dict[tuple[str, float, float, float, float], str] = pdf.__dict__.setdefault("_fitted", {})
    if key not in cache:
        def measure(candidate: str) -> list[str]:
            return pdf.multi_cell(width, 5, candidate, dry_run=True, output="LINES", padding=padding)

        cache[key] = linebreak.wrap(text, measure)
    return cache[key]


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*_MUTED)
        self.cell(0, 6, f"{self.footer_text}  ·  {self.page_no()}", align=Align.C)


def render_pdf(doc: Document) -> bytes:
    # fpdf2 logs a line per font table it skips while subsetting; that is noise for our users.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = _Pdf(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FONT, "", str(font_path()))
    # Saving the subset would recompute every CFF glyph's bounds (a quarter of the PDF's time);
    # the full font's bounding box still covers the subset, so keep it.
    pdf.fonts[FONT].ttfont.recalcBBoxes = False
    pdf.footer_text = printable(i18n.t("export.doc.generated", doc.lang))
    pdf.set_title(printable(doc.title))
    pdf.set_lang("zh-CN" if doc.lang == "zh" else "en")
    pdf.set_creator("Community Ops Planner")

    _cover(pdf, doc)
    blocks = doc.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            if block.level == 1:
                pdf.add_page()  # each section starts on its own page, as in a printed plan
            else:
                _keep(pdf, *_group_height(pdf, blocks, index))
            _heading(pdf, block)
        elif isinstance(block, Paragraph):
            pdf.set_font(FONT, size=10)
            pdf.set_text_color(*(_MUTED if block.muted else _TEXT))
            # Left-aligned: fpdf2 justifies by widening spaces only, which tears "前 60 条" apart.
            pdf.multi_cell(0, _TEXT_LINE, fitted(pdf, printable(block.text), 0), align=Align.L, new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
            pdf.ln(1.5)
        elif isinstance(block, Bullets):
            if not (index > 0 and isinstance(blocks[index - 1], Heading)):
                _keep(pdf, _bullets_height(pdf, block), 2 * _TEXT_LINE)
            pdf.set_font(FONT, size=10)
            pdf.set_text_color(*_TEXT)
            for item in block.items:
                pdf.set_x(pdf.l_margin + 3)
                pdf.cell(4, _TEXT_LINE, "•")
                pdf.multi_cell(0, _TEXT_LINE, fitted(pdf, printable(item), 0), align=Align.L, new_x=XPos.LMARGIN,
                               new_y=YPos.NEXT)
            pdf.ln(1.5)
        elif isinstance(block, Table):
            after_heading = index > 0 and isinstance(blocks[index - 1], Heading)
            if not after_heading:  # after a heading, the heading's group already decided
                _keep(pdf, _table_height(pdf, block), _table_height(pdf, block, rows=2))
            _table(pdf, block)
        elif isinstance(block, Image):
            _image(pdf, block)
    return bytes(pdf.output())


# --- keeping things together ---------------------------------------------------------------------
def _keep(pdf: FPDF, whole: float, least: float) -> None:
    """Start a new page before a block `whole` mm high whose first `least` mm must stay together.

    It moves when its start does not fit, or when it fits on one page but a split would leave less
    than `_SLIVER` of a page of it on either side (a lone row on a page of its own, or a heading
    and one row at the foot of a page)."""
    room = pdf.page_break_trigger - pdf.y
    page = pdf.page_break_trigger - pdf.t_margin
    if whole <= room or room >= page - 1:  # fits, or already at the top of a page
        return
    if least > room or (whole <= page and (whole - room < page * _SLIVER or room < page * _SLIVER)):
        pdf.add_page()


def _group_height(pdf: FPDF, blocks: list[Block], index: int) -> tuple[float, float]:
    """(whole, least) height of the sub-heading at `index` with what belongs under it: the
    sub-headings right below it and the first block after them."""
    whole = 0.0
    while index < len(blocks) and isinstance(blocks[index], Heading) and blocks[index].level > 1:
        whole += _heading_height(pdf, blocks[index])  # type: ignore[arg-type]
        index += 1
    least = whole
    if index < len(blocks):
        block = blocks[index]
        if isinstance(block, Table):
            return whole + _table_height(pdf, block), least + _table_height(pdf, block, rows=2)
        if isinstance(block, Image):
            height = _image_size(pdf, block)[1] + 12
            return whole + height, least + height
        if isinstance(block, Bullets):
            return whole + _bullets_height(pdf, block), least + 2 * _TEXT_LINE
        if isinstance(block, Paragraph):
            lines = 3 * _TEXT_LINE
            return whole + lines, least + lines
    return whole, least


def _heading_height(pdf: FPDF, heading: Heading) -> float:
    size = _HEADING_SIZES.get(heading.level, 11)
    pdf.set_font(FONT, size=size)
    lines = _line_count(pdf, printable(heading.text), pdf.epw)
    return 3 + lines * size * 0.55


def _bullets_height(pdf: FPDF, bullets: Bullets) -> float:
    pdf.set_font(FONT, size=10)
    width = pdf.epw - _BULLET_INDENT
    return 1.5 + sum(_line_count(pdf, printable(item), width) for item in bullets.items) * _TEXT_LINE


def _line_count(pdf: FPDF, text: str, width: float) -> int:
    """Lines `text` takes in the current font in a column `width` mm wide (an estimate from the
    string width: cheap, and close enough to decide on a page break)."""
    return sum(max(1, -(-int(pdf.get_string_width(line) * 1.05) // max(int(width), 1))) for line in text.split("\n"))


def _col_widths(pdf: FPDF, table: Table) -> list[float]:
    weights = table.widths or (1,) * len(table.columns)
    total = sum(weights) or 1
    return [pdf.epw * w / total for w in weights]


def _table_height(pdf: FPDF, table: Table, rows: int | None = None) -> float:
    """Height of the table's heading row and its first `rows` rows (all when None), estimated."""
    heights = _row_estimates(pdf, table)
    return 3.0 + sum(heights[: None if rows is None else rows + 1])  # 3 mm: the space after the table


def _row_estimates(pdf: FPDF, table: Table) -> list[float]:
    """Estimated height of each row, heading row first (kept for the render: asked several times)."""
    cache: dict[int, tuple[Table, list[float]]] = pdf.__dict__.setdefault("_row_estimates", {})
    if id(table) not in cache:
        pdf.set_font(FONT, size=_CELL_SIZE)
        room = [w - 2 * _CELL_PADDING - 2 * pdf.c_margin for w in _col_widths(pdf, table)]
        cache[id(table)] = (table, [
            max(_line_count(pdf, printable(v), r) for v, r in zip(values, room, strict=True)) * _CELL_LINE
            + 2 * _CELL_PADDING
            for values in [table.columns, *table.rows]
        ])
    return cache[id(table)][1]


def _cover(pdf: _Pdf, doc: Document) -> None:
    pdf.add_page()
    pdf.ln(40)
    pdf.set_font(FONT, size=26)
    pdf.set_text_color(*_ACCENT)
    pdf.multi_cell(0, 12, fitted(pdf, printable(doc.title), 0), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.subtitle:
        pdf.ln(2)
        pdf.set_font(FONT, size=14)
        pdf.set_text_color(47, 111, 159)
        pdf.multi_cell(0, 8, fitted(pdf, printable(doc.subtitle), 0), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_draw_color(47, 111, 159)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(8)
    pdf.set_font(FONT, size=11)
    for label, value in doc.cover:
        pdf.set_text_color(82, 96, 109)
        pdf.cell(36, 7, printable(label))
        pdf.set_text_color(*_TEXT)
        pdf.multi_cell(0, 7, fitted(pdf, printable(value), 0), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: _Pdf, heading: Heading) -> None:
    size = _HEADING_SIZES.get(heading.level, 11)
    text = printable(heading.text)
    pdf.start_section(text, level=heading.level - 1)  # the PDF outline (bookmarks)
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*_ACCENT if heading.level < 3 else (51, 78, 104))
    pdf.ln(2 if heading.level > 1 else 0)
    pdf.multi_cell(0, size * 0.55, fitted(pdf, text, 0), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if heading.level == 1:
        pdf.set_draw_color(217, 226, 236)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
        pdf.ln(4)
    else:
        pdf.ln(1)


def _table(pdf: _Pdf, table: Table) -> None:
    pdf.set_font(FONT, size=_CELL_SIZE)
    pdf.set_text_color(*_TEXT)
    pdf.set_draw_color(217, 226, 236)
    pdf.set_line_width(0.2)
    widths = _col_widths(pdf, table)
    cells = [[fitted(pdf, printable(v), w, _CELL_PADDING) for v, w in zip(values, widths, strict=True)]
             for values in [table.columns, *table.rows]]
    # Only a table that runs onto another page can leave a sliver of itself there.
    long = _table_height(pdf, table) > pdf.page_break_trigger - pdf.y - 10
    split = _widow_split(pdf, cells, widths) if long else None
    if split is None:
        _grid(pdf, table, cells)
    else:  # the last page gets enough rows to not look forgotten; the heading row repeats
        _grid(pdf, table, cells[:split])
        pdf.add_page()
        _grid(pdf, table, [cells[0], *cells[split:]])
    pdf.ln(3)


def _grid(pdf: _Pdf, table: Table, cells: list[list[str]]) -> None:
    """One fpdf2 table: `cells[0]` is the heading row, repeated on every page the table spans."""
    heading = FontFace(emphasis="", color=_ACCENT, fill_color=_HEADER_FILL)  # no bold face registered
    with pdf.table(
        col_widths=table.widths or None,
        headings_style=heading,
        line_height=_CELL_LINE,
        text_align="LEFT",
        cell_fill_color=(250, 251, 252),
        cell_fill_mode=TableCellFillMode.EVEN_ROWS,
        padding=_CELL_PADDING,
    ) as grid:
        sizes = _heading_sizes(pdf, cells[0], _col_widths(pdf, table))
        for index, values in enumerate(cells):
            row = grid.row()
            for value, size in zip(values, sizes, strict=True):
                if index == 0 and size < _CELL_SIZE:
                    row.cell(value, style=replace(heading, size_pt=size))
                else:
                    row.cell(value)


def _heading_sizes(pdf: FPDF, titles: list[str], widths: list[float]) -> list[float]:
    """A font size per column heading: smaller (down to 7 pt) where a word of it would not fit the
    column and be split ("Headcou / nt")."""
    sizes = []
    for title, width in zip(titles, widths, strict=True):
        room = width - 2 * _CELL_PADDING - 2 * pdf.c_margin
        size = _CELL_SIZE
        widest = max((pdf.get_string_width(word) for word in title.split()), default=0)
        while widest > room and size > 7:
            size -= 0.5
            widest = widest * size / (size + 0.5)
        sizes.append(size)
    return sizes


def _cell_lines(pdf: FPDF, text: str, width: float) -> int:
    """Lines of a table cell exactly as fpdf2 breaks them (measured only when it may wrap)."""
    room = width - 2 * _CELL_PADDING - 2 * pdf.c_margin
    lines = text.split("\n")
    if max(pdf.get_string_width(line) for line in lines) <= room:
        return len(lines)
    return len(pdf.multi_cell(width, _CELL_LINE, text, dry_run=True, output="LINES", padding=_CELL_PADDING)) or 1


def _widow_split(pdf: FPDF, cells: list[list[str]], widths: list[float]) -> int | None:
    """Where to end a long table's page early (an index into `cells`) so that its last page holds
    at least `_SLIVER` of a page of rows rather than one or two; None when it needs no help.

    Rows are measured exactly (fpdf2's own line breaking), pages are laid out as fpdf2 will: a row
    that does not fit goes to the next page, under the repeated heading row."""
    heights = [
        max(_cell_lines(pdf, v, w) for v, w in zip(values, widths, strict=True)) * _CELL_LINE + 2 * _CELL_PADDING
        for values in cells
    ]
    page = pdf.page_break_trigger - pdf.t_margin
    y, first_on_page, pages = pdf.y + heights[0], 1, 1
    for index, height in enumerate(heights[1:], 1):
        if y + height > pdf.page_break_trigger:
            y, first_on_page, pages = pdf.t_margin + heights[0], index, pages + 1
        y += height
    last_part = sum(heights[first_on_page:])
    if pages == 1 or last_part >= page * _SLIVER:
        return None
    split = first_on_page
    while split > 2 and last_part < page * _SLIVER and last_part + heights[split - 1] + heights[0] < page:
        split -= 1
        last_part += heights[split]
    return split


def _image_size(pdf: FPDF, image: Image) -> tuple[float, float]:
    """(width, height) in mm: a scale-2 PNG shown at 96 dpi, at most as wide as the text column."""
    width = min(pdf.epw, image.width_px / 2 * 25.4 / 96)
    return width, width * image.height_px / image.width_px


def _image(pdf: _Pdf, image: Image) -> None:
    width, height = _image_size(pdf, image)
    if pdf.will_page_break(height + (8 if image.caption else 3)):
        pdf.add_page()
    pdf.image(io.BytesIO(image.png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)
    if image.caption:  # none when the chart's own title says it (see images.chart_image)
        pdf.set_font(FONT, size=8.5)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(0, 5, fitted(pdf, printable(image.caption), 0), align=Align.C, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
    pdf.ln(3)
