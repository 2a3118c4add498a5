"""Document → PDF with fpdf2, Chinese in the packaged Noto Sans SC (embedded as a subset).

Only a regular face is registered, so nothing asks for bold: headings are set by size and
colour, and table headings use a FontFace without emphasis (fpdf2's default bold heading would
fail). Characters the font lacks (emoji) are dropped here rather than warned about per glyph.
"""

from __future__ import annotations

import io
import logging

from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableCellFillMode, XPos, YPos

from models.text import clean_text
from planner import i18n
from planner.export.fonts import covered_codepoints, font_path
from planner.export.model import Bullets, Document, Heading, Image, Paragraph, Table

FONT = "cjk"
_ACCENT = (23, 64, 95)
_MUTED = (130, 154, 177)
_TEXT = (31, 41, 51)
_HEADER_FILL = (230, 238, 245)
_HEADING_SIZES = {1: 16, 2: 13, 3: 11.5}


def printable(text: str) -> str:
    """`text` without control characters (models.text) and without the characters the
    font cannot draw (line breaks kept)."""
    covered = covered_codepoints()
    return "".join(ch for ch in clean_text(text) if ch == "\n" or ord(ch) in covered)


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
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(pdf, block)
        elif isinstance(block, Paragraph):
            pdf.set_font(FONT, size=10)
            pdf.set_text_color(*(_MUTED if block.muted else _TEXT))
            pdf.multi_cell(0, 5.5, printable(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        elif isinstance(block, Bullets):
            pdf.set_font(FONT, size=10)
            pdf.set_text_color(*_TEXT)
            for item in block.items:
                pdf.set_x(pdf.l_margin + 3)
                pdf.cell(4, 5.5, "•")
                pdf.multi_cell(0, 5.5, printable(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Image):
            _image(pdf, block)
    return bytes(pdf.output())


def _cover(pdf: _Pdf, doc: Document) -> None:
    pdf.add_page()
    pdf.ln(40)
    pdf.set_font(FONT, size=26)
    pdf.set_text_color(*_ACCENT)
    pdf.multi_cell(0, 12, printable(doc.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.subtitle:
        pdf.ln(2)
        pdf.set_font(FONT, size=14)
        pdf.set_text_color(47, 111, 159)
        pdf.multi_cell(0, 8, printable(doc.subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
        pdf.multi_cell(0, 7, printable(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: _Pdf, heading: Heading) -> None:
    size = _HEADING_SIZES.get(heading.level, 11)
    text = printable(heading.text)
    if heading.level == 1:
        pdf.add_page()  # each section starts on its own page, as in a printed plan
    elif pdf.will_page_break(30):
        pdf.add_page()  # keep a sub-heading with what follows it
    pdf.start_section(text, level=heading.level - 1)  # the PDF outline (bookmarks)
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*_ACCENT if heading.level < 3 else (51, 78, 104))
    pdf.ln(2 if heading.level > 1 else 0)
    pdf.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if heading.level == 1:
        pdf.set_draw_color(217, 226, 236)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
        pdf.ln(4)
    else:
        pdf.ln(1)


def _table(pdf: _Pdf, table: Table) -> None:
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(*_TEXT)
    pdf.set_draw_color(217, 226, 236)
    pdf.set_line_width(0.2)
    heading = FontFace(emphasis="", color=_ACCENT, fill_color=_HEADER_FILL)  # no bold face registered
    with pdf.table(
        col_widths=table.widths or None,
        headings_style=heading,
        line_height=5,
        text_align="LEFT",
        cell_fill_color=(250, 251, 252),
        cell_fill_mode=TableCellFillMode.EVEN_ROWS,
        padding=1.5,
    ) as grid:
        head = grid.row()
        for title in table.columns:
            head.cell(printable(title))
        for values in table.rows:
            row = grid.row()
            for value in values:
                row.cell(printable(value))
    pdf.ln(3)


def _image(pdf: _Pdf, image: Image) -> None:
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    width = min(usable, image.width_px / 2 * 25.4 / 96)  # a scale-2 PNG shown at 96 dpi
    height = width * image.height_px / image.width_px
    if pdf.will_page_break(height + 8):
        pdf.add_page()
    pdf.image(io.BytesIO(image.png), x=pdf.l_margin + (usable - width) / 2, w=width)
    pdf.set_font(FONT, size=8.5)
    pdf.set_text_color(*_MUTED)
    pdf.multi_cell(0, 5, printable(image.caption), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
