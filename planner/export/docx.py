"""Document → DOCX with python-docx: real headings (so Word's navigation pane and TOC work),
tables, chart images, and Chinese that renders in Word and WPS.

A DOCX only names its fonts. `font.name` sets the Latin slot alone, and the built-in Title and
Heading styles point their East Asian slot at the theme (`w:eastAsiaTheme`), which wins over a
named font; so every style and run gets `w:eastAsia` set and the theme attributes removed, and
the East Asian language is zh-CN so Word picks Chinese line breaking and punctuation.

After the title page comes a real table of contents: a TOC field over heading levels 1–3, marked
dirty and with `updateFields` in the settings so Word fills in the page numbers on opening (it asks
first). Until then the field shows the section and sub-section titles, so a viewer that does not
update fields (a preview, WPS on a phone) still lists the contents. Tables use the built-in
"Light Grid Accent 1" style with the heading row repeated on every page.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from models.text import clean_text
from planner import i18n
from planner.export.fonts import DOCX_EAST_ASIA_FONT, DOCX_LATIN_FONT
from planner.export.model import Bullets, Document, Heading, Image, Paragraph, Table

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_ACCENT = RGBColor(0x17, 0x40, 0x5F)
_HEADER_FILL = "E6EEF5"
_USABLE_WIDTH_CM = 16.0  # A4 minus 2.5 cm margins
TABLE_STYLE = "Light Grid Accent 1"  # built into Word's default template (and python-docx's)
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'  # headings 1–3, hyperlinked, outline levels too


def _set_fonts(rpr_parent: object, lang: str) -> None:
    """East Asian + Latin font names and the language on a style's or run's run properties."""
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), DOCX_LATIN_FONT)
    fonts.set(qn("w:hAnsi"), DOCX_LATIN_FONT)
    fonts.set(qn("w:eastAsia"), DOCX_EAST_ASIA_FONT)
    fonts.set(qn("w:cs"), DOCX_LATIN_FONT)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
    lang_el.set(qn("w:eastAsia"), "zh-CN")


def _prepare_styles(docx: object, lang: str) -> None:
    styles = docx.styles  # type: ignore[attr-defined]
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Caption",
                 "TOC Heading"):
        style = styles[name]
        _set_fonts(style.element, lang)
        if name.startswith(("Heading", "Title", "TOC")):
            style.font.color.rgb = _ACCENT
    styles["Normal"].font.size = Pt(10.5)


def _run(paragraph: object, text: str, lang: str, *, bold: bool = False, italic: bool = False,
         size: float | None = None, color: RGBColor | None = None) -> None:
    # lxml refuses text that XML cannot hold (most control characters): clean at this one door.
    run = paragraph.add_run(clean_text(text))  # type: ignore[attr-defined]
    _set_fonts(run._r, lang)
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color


def _shade(cell: object, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(docx: object, table: Table, lang: str) -> None:
    grid = docx.add_table(rows=1, cols=len(table.columns))  # type: ignore[attr-defined]
    grid.style = TABLE_STYLE
    # The heading row styled as such and rows banded; the first column is data, not a heading.
    look = grid._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:val"), "0420")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = table.widths or (1,) * len(table.columns)
    total = sum(widths) or 1
    for cell, title in zip(grid.rows[0].cells, table.columns, strict=True):
        _run(cell.paragraphs[0], title, lang, bold=True, color=_ACCENT)
        _shade(cell, _HEADER_FILL)
    _repeat_header(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            lines = clean_text(value).split("\n")
            _run(cell.paragraphs[0], lines[0], lang)
            for line in lines[1:]:
                _run(cell.add_paragraph(), line, lang)
    for column, weight in zip(grid.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = Cm(_USABLE_WIDTH_CM * weight / total)
    docx.add_paragraph()  # type: ignore[attr-defined]


def _field_char(paragraph: object, kind: str, *, dirty: bool = False) -> None:
    run = paragraph.add_run()  # type: ignore[attr-defined]
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")  # Word recomputes the field (page numbers) when it opens the file
    run._r.append(char)


def _contents(docx: object, doc: Document, lang: str) -> None:
    """A table of contents field on its own page, showing the section titles until Word updates it."""
    heading = docx.add_paragraph(style="TOC Heading")  # type: ignore[attr-defined]
    _run(heading, i18n.t("export.doc.contents", lang), lang)
    entries = [b for b in doc.blocks if isinstance(b, Heading) and b.level <= 2]
    styles = docx.styles  # type: ignore[attr-defined]
    for level in (1, 2):
        if f"toc {level}" not in [s.name for s in styles]:
            style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.75 * (level - 1))
            style.paragraph_format.space_after = Pt(3)
    first = docx.add_paragraph(style="toc 1")  # type: ignore[attr-defined]
    _field_char(first, "begin", dirty=True)
    instruction = first.add_run()._r
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {TOC_INSTRUCTION} "
    instruction.append(text)
    _field_char(first, "separate")
    paragraph = first
    for index, entry in enumerate(entries):
        if index:
            paragraph = docx.add_paragraph(style=f"toc {entry.level}")  # type: ignore[attr-defined]
        _run(paragraph, entry.text, lang)
    _field_char(paragraph, "end")
    _update_fields_on_open(docx.settings.element)  # type: ignore[attr-defined]
    docx.add_page_break()  # type: ignore[attr-defined]


# Elements that follow w:updateFields in the schema's order of w:settings (Word refuses a file
# whose settings are out of order).
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
)


def _update_fields_on_open(settings: object) -> None:
    if settings.find(qn("w:updateFields")) is not None:  # type: ignore[attr-defined]
        return
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS}
    for child in settings:  # type: ignore[attr-defined]
        if child.tag in later:
            child.addprevious(update)
            return
    settings.append(update)  # type: ignore[attr-defined]


def render_docx(doc: Document) -> bytes:
    docx = new_docx()
    lang = doc.lang
    _prepare_styles(docx, lang)
    section = docx.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    docx.core_properties.title = clean_text(doc.title)
    docx.core_properties.language = "zh-CN" if lang == "zh" else "en-US"

    title = docx.add_paragraph(style="Title")
    _run(title, doc.title, lang)
    if doc.subtitle:
        _run(docx.add_paragraph(style="Subtitle"), doc.subtitle, lang)
    cover = docx.add_table(rows=0, cols=2)
    for label, value in doc.cover:
        cells = cover.add_row().cells
        _run(cells[0].paragraphs[0], label, lang, bold=True, color=_ACCENT)
        _run(cells[1].paragraphs[0], value, lang)
    for column, width in zip(cover.columns, (4.0, 12.0), strict=True):
        for cell in column.cells:
            cell.width = Cm(width)
    docx.add_page_break()
    _contents(docx, doc, lang)

    for block in doc.blocks:
        if isinstance(block, Heading):
            _run(docx.add_paragraph(style=f"Heading {min(block.level, 3)}"), block.text, lang)
        elif isinstance(block, Paragraph):
            _run(docx.add_paragraph(), block.text, lang, italic=block.muted,
                 color=RGBColor(0x82, 0x9A, 0xB1) if block.muted else None)
        elif isinstance(block, Bullets):
            for item in block.items:
                _run(docx.add_paragraph(style="List Bullet"), item, lang)
        elif isinstance(block, Table):
            _table(docx, block, lang)
        elif isinstance(block, Image):
            width = min(_USABLE_WIDTH_CM, block.width_px / 2 / 96 * 2.54)  # scale-2 PNG at 96 dpi
            docx.add_picture(io.BytesIO(block.png), width=Cm(width))
            docx.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if block.caption:  # none when the chart's own title says it
                caption = docx.add_paragraph(style="Caption")
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(caption, block.caption, lang)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, i18n.t("export.doc.generated", lang), lang, size=8, color=RGBColor(0x82, 0x9A, 0xB1))
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()
