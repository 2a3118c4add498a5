"""planner.safe_cells.neutralise: formula-looking text gets an apostrophe, nothing else changes."""

from __future__ import annotations

from datetime import date

import pytest

from planner.safe_cells import neutralise


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-2", "@SUM(A1)", "\t=cmd", '=HYPERLINK("x")'])
def test_formula_starts_get_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("\r=1+1", "\n'=1+1"),  # a lone CR is a row break to some readers: a line feed, then neutralised
        ("备注\n=1+1", "备注\n'=1+1"),
        ("a\r\n+1\n@x\n-2", "a\n'+1\n'@x\n'-2"),
        ("=a\n\n=b", "'=a\n\n'=b"),
    ],
)
def test_every_line_that_looks_like_a_formula_gets_an_apostrophe(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_control_characters_are_dropped() -> None:
    assert neutralise("开\x00营\x1b\ufffe") == "开营"
    assert neutralise("\x00=1+1") == "'=1+1"  # the formula behind a dropped character is still seen


@pytest.mark.parametrize("text", ["", "打卡", "a=b", "1-2", " =x", "'=already", "第一行\n第二行 =x"])
def test_plain_text_is_unchanged(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-3, 2.5, None, True, date(2026, 1, 1)])
def test_non_text_is_unchanged(value: object) -> None:
    assert neutralise(value) is value
