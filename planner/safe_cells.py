"""Formula-safe spreadsheet cells: the one definition shared by every CSV/XLSX writer.

A cell whose text starts with `=`, `+`, `-` or `@` is taken as a formula by Excel, LibreOffice and
WPS when the file is opened (CSV/formula injection). A leading apostrophe makes the program show the
text as it is. Tab and carriage return are neutralised too: some programs strip them and then read
the formula behind them (OWASP's advice).

The same holds for every line of a multi-line cell: a reader that breaks rows at line breaks inside
a quoted field (or a CSV whose quoting went wrong) starts a new row with that line. Text is also
cleaned of control characters first (`models.text`): openpyxl refuses most of them, and a
lone carriage return is a row break to some readers, so it becomes a line feed.
"""

from __future__ import annotations

import re
from typing import Any

from models.text import clean_text

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
# The start of the text or of any line, followed by a formula start (clean text has no CR left:
# "\r=1+1" is "\n=1+1" by then, and its second line gets the apostrophe).
_FORMULA_LINE = re.compile("(?m)^(?=[" + re.escape("".join(FORMULA_STARTS)) + "])")


def neutralise(value: Any) -> Any:
    """`value` cleaned, with an apostrophe before each line that a spreadsheet would run as a formula.

    Anything that is not a string (numbers, dates, None) is returned unchanged: a negative number
    stored as a number is not a formula."""
    if not isinstance(value, str):
        return value
    return _FORMULA_LINE.sub("'", clean_text(value))
