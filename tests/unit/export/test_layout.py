"""How the documents look, read back from the files: Chinese line breaking and page breaks in the PDF
(pdftotext's lines and pages), the DOCX table of contents and table style (python-docx), chart
captions that do not repeat the chart's title, and the Gantt's colours and date labels."""

from __future__ import annotations

import colorsys
import io
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from planner import i18n
from planner.export import build_document, render
from planner.export.docx import TABLE_STYLE, TOC_INSTRUCTION
from planner.export.linebreak import NBSP, NO_LINE_END, NO_LINE_START, first_bad_line, wrap
from planner.export.model import Document, Heading, Paragraph, Table
from planner.plan.examples import load_example
from planner.sop import charts as charts_sop
from planner.sop.schedule import expand
from tests.unit.export_plans import rich_plan

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

# Text whose natural breaks land on punctuation somewhere in a range of column widths.
PUNCTUATED = ("开营第一周，每天早上六点半之前在群里打卡，并写下今天最想完成的一件事；助教在七点统计结果、"
              "点名表扬坚持的人。周末复盘时，大家轮流分享（每人三分钟）：这一周学到了什么？哪里卡住了！"
              "“别怕慢”，组长说，“只要不停”。")


# --- line breaking ------------------------------------------------------------------------------
def _by_chars(width: int):  # type: ignore[no-untyped-def]
    """A stand-in for fpdf2: `width` characters a line, explicit newlines kept."""
    def measure(text: str) -> list[str]:
        lines: list[str] = []
        for part in text.split("\n"):
            lines += [part[i:i + width] for i in range(0, len(part), width)] or [""]
        return lines
    return measure


@pytest.mark.parametrize("width", range(5, 30))
def test_wrap_moves_punctuation_off_the_start_of_a_line(width: int) -> None:
    measure = _by_chars(width)
    fixed = wrap(PUNCTUATED, measure)
    lines = measure(fixed)
    assert first_bad_line(lines) is None, lines
    assert not [line for line in lines[:-1] if line and line[-1] in NO_LINE_END], lines
    assert fixed.replace("\n", "").replace(NBSP, " ") == PUNCTUATED  # only breaks were added


def test_the_stand_in_breaks_badly_without_wrap() -> None:
    """The check above can fail: unfixed, a character-count break starts lines with punctuation."""
    assert any(first_bad_line(_by_chars(w)(PUNCTUATED)) for w in range(5, 30))


def test_space_before_closing_punctuation_is_not_a_break() -> None:
    text = "今天最早起床的是 __ ！还没打卡的伙伴没关系"
    assert NBSP + "！" in wrap(text, _by_chars(10))


class _Lines(HTMLParser):
    """Lines and pages of `pdftotext -bbox-layout`: (page, top y, bottom y, text) per line."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[int, float, float, str]] = []
        self.page, self.height = 0, 0.0
        self._words: list[str] | None = None
        self._box = (0.0, 0.0)
        self._in_word = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "page":
            self.page += 1
            self.height = float(a["height"] or 0)
        elif tag == "line":
            self._words, self._box = [], (float(a["ymin"] or 0), float(a["ymax"] or 0))
        elif tag == "word":
            self._in_word = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "line" and self._words is not None:
            self.lines.append((self.page, *self._box, "".join(self._words)))
            self._words = None
        elif tag == "word":
            self._in_word = False

    def handle_data(self, data: str) -> None:
        if self._in_word and self._words is not None:
            self._words.append(data)


def pdf_lines(pdf: bytes, tmp_path: Path) -> _Lines:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True,
                         text=True).stdout
    parsed = _Lines()
    parsed.feed(out)
    return parsed


def _doc(*blocks: object) -> Document:
    return Document(lang="zh", title="排版", subtitle="", cover=[], blocks=list(blocks))  # type: ignore[arg-type]


@needs_poppler
def test_pdf_lines_never_start_with_closing_punctuation(tmp_path: Path) -> None:
    # The text shifted one character at a time, so breaks fall on every kind of character.
    texts = [PUNCTUATED[i:] + PUNCTUATED[:i] for i in range(0, 60, 3)]
    doc = _doc(Heading("段落", 1), *(Paragraph(t) for t in texts), Heading("表格", 1),
               Table(("一", "二", "三"), tuple((t, t, t) for t in texts), widths=(1, 2, 3)))
    lines = [text for _, _, _, text in pdf_lines(render(doc, "pdf"), tmp_path).lines]
    assert len(lines) > 150
    starts = [line for line in lines if line and line[0] in NO_LINE_START]
    assert starts == []


@needs_poppler
def test_pdf_column_headings_are_not_split_inside_a_word(tmp_path: Path) -> None:
    table = Table(("Role", "Responsibility", "Headcount", "Hours/week"), (("主理人", "开会期与年终仪式", "1", "16"),),
                  widths=(2, 6, 1, 1))
    lines = [text for _, _, _, text in pdf_lines(render(_doc(Heading("Roles", 1), table), "pdf"), tmp_path).lines]
    assert "Headcount" in lines and "Hours/week" in lines  # a smaller size instead of "Headcou" / "nt"


@needs_poppler
def test_pdf_keeps_a_small_table_with_its_heading(tmp_path: Path) -> None:
    # 16 paragraphs leave room for the heading and a few rows at the foot of the page (measured:
    # fpdf2 alone splits the table there, 15 to 17 paragraphs).
    filler = [Paragraph(f"第{i}段：" + "铺满这一页。" * 8) for i in range(16)]
    rows = tuple((f"第{i}行", "内容") for i in range(1, 7))
    doc = _doc(Heading("章", 1), *filler, Heading("小节标题", 2), Table(("项目", "内容"), rows))
    parsed = pdf_lines(render(doc, "pdf"), tmp_path)
    page_of = {text: page for page, _, _, text in parsed.lines}
    last_filler = max(page for page, _, _, text in parsed.lines if text.startswith("第15段"))
    assert page_of["小节标题"] == page_of["第1行"] == page_of["第6行"]  # heading and table together
    assert page_of["小节标题"] == last_filler + 1  # ...on the next page: the table did not fit


@needs_poppler
def test_pdf_long_table_leaves_more_than_a_row_on_its_last_page(tmp_path: Path) -> None:
    for count in range(31, 36):  # a page holds 30 rows: fpdf2 alone carries 1 to 5 onto the next
        rows = tuple((f"R{i:03d}", "一行内容") for i in range(count))
        parsed = pdf_lines(render(_doc(Heading("章", 1), Table(("编号", "内容"), rows)), "pdf"), tmp_path)
        pages = [page for page, _, _, text in parsed.lines if re.fullmatch(r"R\d{3}", text)]
        last = max(pages)
        assert pages.count(last) >= 5 or last == min(pages), (count, pages.count(last))


@needs_poppler
@pytest.mark.parametrize("slug", ["baoma_seed_group", "paid_reading_club"])
def test_pdf_has_no_near_empty_page_of_leftovers(slug: str, tmp_path: Path) -> None:
    """A page filled less than a fifth is allowed only when it starts with a heading (a short
    section or sub-section of its own), never with rows carried over from the page before."""
    plan = load_example(slug)
    doc = build_document(plan, "zh", charts=False)
    parsed = pdf_lines(render(doc, "pdf"), tmp_path)
    headings = {re.sub(r"\s", "", h) for h in doc.headings()}  # pdftotext joins words without spaces
    for page in range(2, parsed.page + 1):
        lines = [(top, bottom, text) for p, top, bottom, text in parsed.lines if p == page]
        body = [line for line in lines if "·" not in line[2]]  # the footer is "… · N"
        used = max(bottom for _, bottom, _ in body) / parsed.height
        if used < 0.2:
            first = min(body)[2]
            assert first in headings, (page, first)


# --- DOCX ---------------------------------------------------------------------------------------
def test_docx_has_a_table_of_contents_field_word_updates(tmp_path: Path) -> None:
    doc = build_document(rich_plan(), "zh", charts=False)
    opened = docx.Document(io.BytesIO(render(doc, "docx")))
    body = opened.element.body
    instructions = [el.text.strip() for el in body.iter(qn("w:instrText"))]
    assert instructions == [TOC_INSTRUCTION]
    begin = next(el for el in body.iter(qn("w:fldChar")) if el.get(qn("w:fldCharType")) == "begin")
    assert begin.get(qn("w:dirty")) == "true"
    kinds = [el.get(qn("w:fldCharType")) for el in body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    update = opened.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    # Until Word updates it, the field lists the sections (and their sub-sections) in order.
    shown = [p.text for p in opened.paragraphs if p.style.name == "toc 1"]
    assert shown == doc.headings(1)
    assert i18n.t("export.doc.contents", "zh") in [p.text for p in opened.paragraphs
                                                    if p.style.name == "TOC Heading"]


def test_docx_tables_have_a_style_and_repeat_their_heading_row() -> None:
    doc = build_document(rich_plan(), "zh", charts=False)
    opened = docx.Document(io.BytesIO(render(doc, "docx")))
    tables = opened.tables[1:]  # the first is the title page's label/value list
    assert len(tables) == len([b for b in doc.blocks if isinstance(b, Table)])
    for table in tables:
        assert table.style.name == TABLE_STYLE
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        assert look.get(qn("w:firstRow")) == "1" and look.get(qn("w:firstColumn")) == "0"


# --- captions -----------------------------------------------------------------------------------
class _Figures(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.alts: list[str] = []
        self.captions: list[str] = []
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.alts.append(dict(attrs).get("alt") or "")
        self._in_caption = tag == "figcaption"

    def handle_endtag(self, tag: str) -> None:
        self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.captions.append(data)


def test_no_caption_repeats_the_chart_title() -> None:
    doc = build_document(rich_plan(), "zh")
    images = doc.images()
    assert images
    gantt_title = i18n.t("sop.chart.gantt_title", "zh")
    gantt = [img for img in images if img.alt_text == i18n.t("export.caption.gantt", "zh")]
    assert gantt and gantt[0].caption == "" and i18n.t("export.caption.gantt", "zh") in gantt_title
    figures = _Figures()
    figures.feed(render(doc, "html").decode("utf-8"))
    assert len(figures.alts) == len(images) and all(figures.alts)  # every chart still described
    assert gantt_title not in figures.captions
    assert len(figures.captions) == len([img for img in images if img.caption])


def test_a_caption_that_adds_something_is_kept() -> None:
    from planner.export.images import chart_image

    chart = {"mark": "bar", "title": "阶段", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}}
    assert chart_image(chart, "阶段").caption == ""  # type: ignore[union-attr]
    kept = chart_image(chart, "图 1：三个阶段的天数")
    assert kept is not None and kept.caption == kept.alt_text == "图 1：三个阶段的天数"


# --- the Gantt ----------------------------------------------------------------------------------
def test_gantt_role_colours_are_calm_and_shared() -> None:
    plan = load_example("baoma_seed_group")
    spec = charts_sop.gantt(plan, expand(plan), "zh").to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["range"] == list(charts_sop.ROLE_COLOURS[:len(scale["domain"])])
    for colour in charts_sop.ROLE_COLOURS:
        r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        hue, _, saturation = colorsys.rgb_to_hls(r, g, b)
        # No alarm red or orange (Vega's default has both: #e45756, #f58518).
        assert not ((hue < 35 / 360 or hue > 330 / 360) and saturation > 0.6), colour
    assert len(set(charts_sop.ROLE_COLOURS)) == len(charts_sop.ROLE_COLOURS)


@pytest.mark.parametrize(("days", "interval"), [(7, "day"), (21, "day"), (60, "day"), (100, "week"),
                                                 (180, "week"), (365, "month"), (1000, "month")])
def test_gantt_date_labels_are_few_enough_not_to_collide(days: int, interval: str) -> None:
    first = date(2026, 3, 1)
    axis = charts_sop.date_axis(first, date.fromordinal(first.toordinal() + days - 1)).to_dict()
    assert axis["tickCount"]["interval"] == interval
    unit = {"day": 1, "week": 7, "month": 30}[interval]
    assert days / (unit * axis["tickCount"]["step"]) <= charts_sop.TICK_LABELS + 1
    assert axis["labelOverlap"] and axis["labelAngle"] == 0
    assert ("%Y" in axis["format"]) == (days > 306)  # the year is shown once the span crosses one


def test_member_data_charts_carry_their_titles_themselves() -> None:
    from planner.data.analytics import analyze
    from tests.unit.export_plans import member_log

    plan = rich_plan()
    images = build_document(plan, "zh", analyze(member_log(), plan)).images()
    assert len(images) > 4
    # Every chart draws its own title (a layered one on a layer): no caption repeats it under it.
    assert [img.alt_text for img in images if img.caption] == []
    assert all(img.alt_text for img in images)
