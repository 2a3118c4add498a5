"""Text that every output format can carry: the one cleaning function shared by the plan model and
every writer (documents, charts, spreadsheets, calendars, the command line).

Control characters, lone surrogates and Unicode noncharacters have no meaning in a plan's text, yet
each breaks some format: XML (DOCX, the chart engine's SVG text) forbids most C0 controls and
U+FFFE/U+FFFF, openpyxl refuses them, UTF-8 cannot encode a lone surrogate, and ESC or BEL printed
to a terminal drives it. Tab and line feed are kept; CR LF and a lone CR become a line feed.

Pure standard library, so that `models` can use it without pulling in the rest of `planner`.
"""

from __future__ import annotations

import re
from typing import Any

# The 66 Unicode noncharacters: U+FDD0..U+FDEF and the last two code points of each plane.
NONCHARACTERS: str = "".join(map(chr, range(0xFDD0, 0xFDF0))) + "".join(
    chr((plane << 16) | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
)
# C0 controls except tab and line feed, DEL and the C1 block, surrogates, noncharacters.
_DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + re.escape(NONCHARACTERS) + "]")
# The same, plus CR (which is rewritten rather than dropped): the quick test for clean text.
_UNSAFE = re.compile("[\r" + _DROPPED.pattern[1:])


def clean_text(text: str) -> str:
    """`text` without the characters no output format can carry; line breaks become `\\n`.

    Clean text is returned as the same object (cheap to call on every string)."""
    if _UNSAFE.search(text) is None:
        return text
    return _DROPPED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def is_clean(text: str) -> bool:
    return _UNSAFE.search(text) is None


def clean_value(value: Any) -> Any:
    """`value` with every string in it cleaned: strings, and lists, tuples and dicts of them at any
    depth (a chart spec, a Problem's parameters). Other values, and containers with nothing to
    clean, are returned as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (list, tuple)):
        items = [clean_value(v) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items) if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        pairs = [(clean_value(k), clean_value(v)) for k, v in value.items()]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(pairs, value.items(), strict=True)):
            return value
        return dict(pairs)
    return value
