"""planner.safe_cells.neutralise: formula-looking text gets an apostrophe, nothing else changes."""

from __future__ import annotations

from datetime import date

import pytest

from planner.safe_cells import neutralise


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-2", "@SUM(A1)", "\t=cmd", '=HYPERLINK("x")'])
def test_formula_starts_get_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_control_characters_are_dropped() -> None:
    assert neutralise("开\x00营\x1b\ufffe") == "开营"
    assert neutralise("\x00=1+1") == "'=1+1"  # the formula behind a dropped character is still seen


@pytest.mark.parametrize("text", ["", "打卡", "a=b", "1-2", " =x", "'=already"])
def test_plain_text_is_unchanged(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-3, 2.5, None, True, date(2026, 1, 1)])
def test_non_text_is_unchanged(value: object) -> None:
    assert neutralise(value) is value
