"""Formula-safe spreadsheet cells: the one definition shared by every CSV/XLSX writer.

A cell whose text starts with `=`, `+`, `-` or `@` is taken as a formula by Excel, LibreOffice and
WPS when the file is opened (CSV/formula injection). A leading apostrophe makes the program show the
text as it is. Tab and carriage return are neutralised too: some programs strip them and then read
the formula behind them (OWASP's advice).

Text is cleaned of control characters first (`planner.text_safety`): openpyxl refuses most of
them, and a carriage return becomes a line feed.
"""

from __future__ import annotations

from typing import Any

from planner.text_safety import clean_text

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """`value` cleaned, with a leading apostrophe when it is text that a spreadsheet would run as a formula.

    Anything that is not a string (numbers, dates, None) is returned unchanged: a negative number
    stored as a number is not a formula."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value
