"""Presenter slides: every line of the one-page summary on exactly one slide, in order, no slide over
the line budget, n / total right, long sections and long values split."""

from __future__ import annotations

import pytest

from models.plan import Plan
from planner import i18n
from planner.plan import slides as geometry
from planner.plan.examples import example_slugs, load_example
from planner.plan.slides import (
    LINE_BUDGET,
    Slide,
    item_lines,
    slide_lines,
    slides,
    split_section,
    text_units,
    wrapped_lines,
)
from planner.plan.summary import SummarySection, one_page
from tests.sample_plans import complete_plan

EXAMPLES = example_slugs()


def _check_deck(plan: Plan, lang: str) -> list[Slide]:
    deck = slides(plan, lang)
    sections = one_page(plan, lang)
    # Every line on exactly one slide, in the summary's order, and nothing else on them.
    assert [line for slide in deck for line in slide.items] == [line for s in sections for line in s.lines]
    # n / total
    assert [s.n for s in deck] == list(range(1, len(deck) + 1))
    assert {s.total for s in deck} == {len(deck)}
    # One section per slide, its parts numbered, every section present in order.
    assert list(dict.fromkeys(s.key for s in deck)) == [s.key for s in sections]
    for section in sections:
        parts = [s for s in deck if s.key == section.key]
        assert [s.part for s in parts] == list(range(1, len(parts) + 1))
        assert {s.parts for s in parts} == {len(parts)}
        assert {s.title for s in parts} == {section.title}
    for slide in deck:
        assert slide.items and slide_lines(slide.items) <= LINE_BUDGET, (slide.key, slide.part)
    return deck


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("slug", EXAMPLES)
def test_every_example_fits_its_slides(slug: str, lang: str) -> None:
    deck = _check_deck(load_example(slug), lang)
    assert 6 <= len(deck) <= 12  # six sections; a long one takes two slides


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_blank_and_sample_plans(lang: str) -> None:
    blank = _check_deck(Plan(), lang)
    assert len(blank) == 6  # one slide per section, gaps shown as "—"
    _check_deck(complete_plan(), lang)


def test_a_long_section_is_split_in_balanced_parts() -> None:
    lines = [(f"标签{i}", "值" * 40) for i in range(12)]  # 2 lines each
    parts = split_section(SummarySection(key="roles", title="角色", lines=lines))
    assert [line for part in parts for line in part] == lines
    assert len(parts) == 3
    sizes = [len(part) for part in parts]
    assert max(sizes) - min(sizes) <= 1  # not 5 + 5 + 2
    assert all(slide_lines(part) <= LINE_BUDGET for part in parts)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_value_longer_than_a_slide_is_continued_on_the_next(lang: str) -> None:
    plan = complete_plan()
    plan.positioning.why = "为了让更多人早起，" * 80 + "\n" + "and keep going " * 60
    deck = _check_deck_pieces(plan, lang)
    why = i18n.t("summary.why", lang)
    pieces = [(label, value) for s in deck for label, value in s.items
              if label == why or label == i18n.t("present.continued", lang, label=why)]
    assert len(pieces) >= 3 and pieces[0][0] == why
    assert all(label != why for label, _ in pieces[1:])
    assert "".join(value for _, value in pieces) == plan.positioning.why.strip()


def _check_deck_pieces(plan: Plan, lang: str) -> list[Slide]:
    """As _check_deck, for a plan with a value split across slides: the rest is unchanged."""
    deck = slides(plan, lang)
    assert [s.n for s in deck] == list(range(1, len(deck) + 1)) and {s.total for s in deck} == {len(deck)}
    for slide in deck:
        assert slide_lines(slide.items) <= LINE_BUDGET
    return deck


def test_line_estimates() -> None:
    assert text_units("ab") == 2 and text_units("早起") == 4 and text_units("（）") == 4
    width = geometry.VALUE_UNITS_PER_LINE
    assert wrapped_lines("", width) == 1
    assert wrapped_lines("早" * (width // 2), width) == 1
    assert wrapped_lines("早" * (width // 2 + 1), width) == 2
    assert wrapped_lines("一\n二\n三", width) == 3
    words = "word " * 40  # 200 units of five-letter words: wrapped whole, never split
    assert wrapped_lines(words, width) == -(-40 // ((width + 1) // 5))
    assert wrapped_lines("x" * (width * 2 + 1), width) == 3  # a word longer than a line is broken
    assert item_lines("短", "值") == 1
    long_label = "标" * (geometry.LABEL_UNITS_PER_LINE // 2 * 3)  # three label lines, in smaller type
    assert item_lines(long_label, "值") == pytest.approx(3 * geometry.LABEL_FONT_U / geometry.VALUE_FONT_U)


def test_the_budget_fits_the_slide_body() -> None:
    # LINE_BUDGET lines of value text fit the body, which the page lays out from the same numbers.
    assert LINE_BUDGET * geometry.VALUE_LINE_U <= geometry.BODY_HEIGHT_U
    assert geometry.LABEL_WIDTH_U + geometry.COLUMN_GAP_U + geometry.VALUE_WIDTH_U == geometry.CONTENT_WIDTH_U
