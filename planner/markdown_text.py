"""User text made inert for Streamlit's markdown.

Streamlit renders markdown in `st.markdown`, captions, alerts, headings and every widget label, so a
plan named `![p](http://host/x.png)` would make the browser fetch that address. Every piece of user
text on its way into such a place goes through `escape_markdown` (pages do it via `state.t` and
`state.md`), and so does the Markdown export; plain places (select options, tables, file names)
take the text as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Marks that open markup anywhere in a line (links, emphasis, code, raw HTML, entities, cells).
# `$` too: Streamlit's Markdown (the page preview) reads $…$ as math.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&$])")
# Marks that only matter at the start of a line (headings, lists, quotes, setext underlines).
_LINE_START = re.compile(r"^(\s*)([#+=-])|^(\s*\d+)([.)])")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text, and nothing more (no link, image,
    HTML, heading or list can come out of it). Dates and most prose stay readable."""
    lines = _INLINE.sub(r"\\\1", text).split("\n")
    # "1." opening an ordered list is escaped on its dot: a backslash before a digit is no escape.
    return "\n".join(_LINE_START.sub(_escape_start, line) for line in lines)


def _escape_start(match: re.Match[str]) -> str:
    lead, mark = (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(4))
    return f"{lead}\\{mark}"


def escape_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Message parameters with every string escaped; numbers and dates stay as they are."""
    return {k: escape_markdown(v) if isinstance(v, str) else v for k, v in params.items()}
