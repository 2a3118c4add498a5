"""A plan's one-page summary as slides for a projector (the presenter view).

`slides(plan, lang)` turns each section of `planner.plan.summary.one_page` into one slide, or into
several when it would not fit: every (label, value) line lands on exactly one slide, in order, and
no slide holds more than `LINE_BUDGET` lines, so nothing is cut at 1280×720.

The budget comes from the slide's geometry, stated here once (the page's CSS reads the same
numbers). Sizes are in `u`, 1/100 of the height of the largest 16:9 box that fits the window: 7.2 px
at 1280×720 and 10.8 px at 1920×1080, so both sizes show the same slide, only larger.

- a value is set in VALUE_FONT_U type, LINE_HEIGHT apart, in a column VALUE_WIDTH_U wide;
- its label sits beside it in smaller type (LABEL_FONT_U) in a column LABEL_WIDTH_U wide;
- the body between the section title and the control bar is BODY_HEIGHT_U high, and rows are
  ROW_GAP_LINES of a value line apart.

How many lines a text takes is estimated from its display width: a CJK character counts as two
units, any other character as one (about half an em), words wrap whole. The columns' capacity in
units is taken 15 % below the measured one, so the estimate errs towards more lines.
"""

from __future__ import annotations

import math
import re
import unicodedata

from pydantic import BaseModel, Field

from models.plan import Plan
from planner import i18n
from planner.plan.summary import SummarySection, one_page

# Geometry (see the module doc); the presenter page builds its CSS from these numbers.
VALUE_FONT_U = 4.0  # 28.8 px at 720p: 4 % of the screen height, legible from the back of a room
LABEL_FONT_U = 3.0
TITLE_FONT_U = 6.5
LINE_HEIGHT = 1.3
CONTENT_WIDTH_U = 160.0  # of the 177.8 u a 16:9 box is wide
LABEL_WIDTH_U = 48.0
COLUMN_GAP_U = 4.0
VALUE_WIDTH_U = CONTENT_WIDTH_U - LABEL_WIDTH_U - COLUMN_GAP_U  # 108 u
ROW_GAP_LINES = 0.3  # space between two rows (a thin rule in the middle), in value lines
BODY_HEIGHT_U = 66.0  # 100 u minus margins, plan name, section title and the control bar
SAFETY = 0.85  # a text is assumed to fill 15 % more than its estimated width

VALUE_UNITS_PER_LINE = int(VALUE_WIDTH_U / VALUE_FONT_U * 2 * SAFETY)  # 45
LABEL_UNITS_PER_LINE = int(LABEL_WIDTH_U / LABEL_FONT_U * 2 * SAFETY)  # 27
VALUE_LINE_U = VALUE_FONT_U * LINE_HEIGHT  # 5.2 u
# Lines of value text a slide's body holds, row gaps included: 66 / 5.2 = 12.7, rounded down to a
# quarter line with room to spare.
LINE_BUDGET = 12.5

_TOKEN = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+[ \t]*|\n|.", re.DOTALL)


class Slide(BaseModel):
    key: str  # the summary section it shows (positioning, goal, …)
    title: str
    items: list[tuple[str, str]] = Field(default_factory=list)  # (label, value), localized
    n: int  # 1-based position in the deck
    total: int
    part: int = 1  # a section split over several slides: which one of `parts`
    parts: int = 1


def text_units(text: str) -> int:
    """Display width of `text`: two units per wide (CJK, full-width) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, units_per_line: int) -> int:
    """How many lines `text` takes in a column `units_per_line` wide: each paragraph starts a line,
    words wrap whole, a word longer than a line is broken (the page sets overflow-wrap: anywhere)."""
    lines, used = 1, 0
    for token in _TOKEN.findall(text):
        if token == "\n":
            lines, used = lines + 1, 0
            continue
        width, visible = text_units(token), text_units(token.rstrip())
        if used and used + visible > units_per_line:
            lines, used = lines + 1, 0
        while visible > units_per_line:  # a word longer than a line fills whole lines first
            lines, visible, width = lines + 1, visible - units_per_line, width - units_per_line
        used += width
    return lines


def item_lines(label: str, value: str) -> float:
    """The height of one row, in value lines: the taller of its value and its (smaller) label."""
    label_height = wrapped_lines(label, LABEL_UNITS_PER_LINE) * LABEL_FONT_U / VALUE_FONT_U
    return max(float(wrapped_lines(value, VALUE_UNITS_PER_LINE)), label_height)


def slide_lines(items: list[tuple[str, str]]) -> float:
    """The height of a slide's body, in value lines: its rows and the gaps between them."""
    return sum(item_lines(label, value) for label, value in items) + ROW_GAP_LINES * max(len(items) - 1, 0)


def _split_value(label: str, value: str, lang: str) -> list[tuple[str, str]]:
    """A row too tall for one slide as several rows, each fitting on a slide; the value's pieces
    joined give the value back, the later pieces' labels say they continue."""
    pieces: list[str] = []
    current = ""
    for token in _TOKEN.findall(value):
        if current and item_lines(label, current + token) > LINE_BUDGET:
            pieces.append(current)
            current = ""
        current += token
    pieces.append(current)
    more = i18n.t("present.continued", lang, label=label)
    return [(label if i == 0 else more, piece) for i, piece in enumerate(pieces)]


def _fits(items: list[tuple[str, str]], cap: float) -> list[list[tuple[str, str]]]:
    """Rows in order onto as few slides as `cap` lines each allows."""
    groups: list[list[tuple[str, str]]] = [[]]
    for item in items:
        if groups[-1] and slide_lines([*groups[-1], item]) > cap:
            groups.append([])
        groups[-1].append(item)
    return groups


def split_section(section: SummarySection, lang: str = i18n.DEFAULT_LANG) -> list[list[tuple[str, str]]]:
    """The section's rows in as few slides as the budget allows, balanced: a section that needs two
    slides gets two half-full ones rather than a full one and a lone row."""
    items: list[tuple[str, str]] = []
    for label, value in section.lines:
        if item_lines(label, value) > LINE_BUDGET:
            items += _split_value(label, value, lang)
        else:
            items.append((label, value))
    if not items:
        return [[]]
    count = len(_fits(items, LINE_BUDGET))
    cap = max(slide_lines(items) / count, max(item_lines(*item) for item in items))
    while True:  # the smallest cap (in quarter lines) that still needs no more slides
        groups = _fits(items, math.ceil(cap * 4) / 4)
        if len(groups) <= count:
            return groups
        cap += 0.25


def slides(plan: Plan, lang: str = i18n.DEFAULT_LANG) -> list[Slide]:
    """The presenter's deck: the one-page summary, a section per slide (or more, when long)."""
    parts: list[tuple[SummarySection, int, int, list[tuple[str, str]]]] = []
    for section in one_page(plan, lang):
        groups = split_section(section, lang)
        parts += [(section, i, len(groups), group) for i, group in enumerate(groups, start=1)]
    return [
        Slide(key=section.key, title=section.title, items=group, n=n, total=len(parts), part=part, parts=count)
        for n, (section, part, count, group) in enumerate(parts, start=1)
    ]
