"""Chinese line breaking for the PDF (kinsoku): no line starts with a comma, a full stop or a
closing bracket, and none ends with an opening bracket.

fpdf2 breaks Chinese text (which has no spaces) at whatever character overflows, so a line can
start with "，". Word, WPS and browsers apply these rules themselves; for the PDF the text is
measured by fpdf2 (so the widths are exactly the ones it will draw with), each bad break is moved
one character or more earlier, and the result goes back to fpdf2 with explicit line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Characters that may not begin a line: closing punctuation, Chinese and Western.
NO_LINE_START = frozenset(
    "，。、；：？！…‥）」』》〉】〕｝〗〙〛’”·・ー～％‰℃"
    ",.;:?!)]}%"
)
# Characters that may not end a line: opening brackets and quotes.
NO_LINE_END = frozenset("（「『《〈【〔｛〖〘〚‘“([{")

NBSP = "\u00a0"  # fpdf2 draws it as a space and never breaks a line there
Measure = Callable[[str], list[str]]  # text -> the lines fpdf2 would draw


def needs_care(text: str) -> bool:
    """Whether `text` holds any character the rules are about (most cells do not: skip them)."""
    return any(ch in NO_LINE_START or ch in NO_LINE_END for ch in text)


def _line_starts(text: str, lines: list[str]) -> list[int] | None:
    """Offset in `text` where each line begins (fpdf2 drops the newline or space it broke at);
    None when the lines cannot be found in the text (then the text is left as it is)."""
    starts, pos = [], 0
    for line in lines:
        if not line:
            # An empty line is a blank line of the text (two newlines); step over one newline.
            starts.append(pos)
            pos = pos + 1 if text.startswith("\n", pos) else pos
            continue
        found = text.find(line, pos)
        if found < 0 or text[pos:found].strip(" \n"):
            return None
        starts.append(found)
        pos = found + len(line)
    return starts


def _wide(ch: str) -> bool:
    """A CJK character or full-width punctuation: a line may break on either side of it."""
    return ord(ch) >= 0x2E80


def _bad_break(text: str, at: int) -> bool:
    """A line beginning at `at` would start with closing punctuation or leave an opener behind
    (also after a space: "是 __ ！" must not put "！" on a line of its own)."""
    if at <= 0 or at >= len(text) or text[at - 1] == "\n":
        return False  # the writer's own line break
    return text[at] in NO_LINE_START or text[at - 1] in NO_LINE_END


def _can_break(text: str, at: int) -> bool:
    """A line may begin at `at`: after a space, or beside a CJK character (not inside a word)."""
    before, after = text[at - 1], text[at]
    if after in " \n" or before == "\n":
        return False
    return before == " " or _wide(before) or _wide(after)


def _earlier_break(text: str, line_start: int, at: int) -> int | None:
    """The latest good break before `at` inside the line that starts at `line_start`."""
    for b in range(at - 1, line_start, -1):
        if _can_break(text, b) and not _bad_break(text, b):
            return b
    return None


def wrap(text: str, measure: Measure) -> str:
    """`text` with a newline wherever a line has to break earlier than fpdf2 would break it.

    Each pass fixes the first bad break and measures again (the lines after it move); a line that
    has no good break (a run of punctuation as wide as the column) is left as fpdf2 breaks it."""
    if not needs_care(text):
        return text
    # A space before closing punctuation (or after an opener) is no place to break: fpdf2 prefers
    # spaces to any other break, and "是 __ ！" would leave "！" to start the next line.
    text = re.sub(f" (?=[{re.escape(''.join(NO_LINE_START))}])", NBSP, text)
    text = re.sub(f"(?<=[{re.escape(''.join(NO_LINE_END))}]) ", NBSP, text)
    skip_before = 0
    for _ in range(len(text)):
        lines = measure(text)
        starts = _line_starts(text.replace(NBSP, " "), lines)  # fpdf2 hands NBSP back as a space
        if starts is None:
            return text
        for index in range(1, len(starts)):
            at = starts[index]
            if at <= skip_before or not _bad_break(text, at):
                continue
            earlier = _earlier_break(text, starts[index - 1], at)
            if earlier is None:
                skip_before = at  # nothing better in this line: leave it and look further on
                continue
            text = text[:earlier] + "\n" + text[earlier:]
            skip_before = earlier + 1
            break
        else:
            return text
    return text


def first_bad_line(lines: list[str]) -> str | None:
    """The first line that starts with a character no line may start with (for tests and checks)."""
    for line in lines[1:]:
        stripped = line.lstrip()
        if stripped and stripped[0] in NO_LINE_START:
            return line
    return None
