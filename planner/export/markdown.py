"""Document → Markdown (CommonMark + GFM tables). Images are embedded as data URIs so the file
stands alone. User text is backslash-escaped so it can never become a link, an image, raw HTML
or a heading; the page previews this text with st.markdown, which does not render HTML anyway."""

from __future__ import annotations

import re

from planner import i18n
from planner.export.model import Bullets, Document, Heading, Image, Paragraph, Table

# Marks that open markup anywhere in a line (links, emphasis, code, raw HTML, entities, cells).
# `$` too: Streamlit's Markdown (the page preview) reads $…$ as math.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&$])")
# Marks that only matter at the start of a line (headings, lists, quotes, setext underlines).
_LINE_START = re.compile(r"^(\s*)([#+=-])|^(\s*\d+)([.)])")


def escape(text: str) -> str:
    """Plain text as Markdown that shows exactly that text, and nothing more (no link, image,
    HTML, heading or list can come out of it). Dates and most prose stay readable."""
    lines = _INLINE.sub(r"\\\1", text).split("\n")
    # "1." opening an ordered list is escaped on its dot: a backslash before a digit is no escape.
    return "\n".join(_LINE_START.sub(_escape_start, line) for line in lines)


def _escape_start(match: re.Match[str]) -> str:
    lead, mark = (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(4))
    return f"{lead}\\{mark}"


def _cell(text: str) -> str:
    return escape(" ".join(text.split())) or " "


def render_markdown(doc: Document, images: bool = True) -> str:
    """The document as Markdown; `images=False` leaves the charts out (for a light preview)."""
    out = [f"# {escape(doc.title)}", ""]
    if doc.subtitle:
        out += [f"*{escape(doc.subtitle)}*", ""]
    out += [f"- **{escape(label)}**: {escape(value)}" for label, value in doc.cover]
    out.append("")
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * (block.level + 1)} {escape(block.text)}", ""]
        elif isinstance(block, Paragraph):
            body = escape(block.text).replace("\n", "  \n")
            out += [f"*{body}*" if block.muted else body, ""]
        elif isinstance(block, Bullets):
            out += [f"- {escape(item).replace(chr(10), ' ')}" for item in block.items]
            out.append("")
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_cell(c) for c in block.columns) + " |")
            out.append("|" + "|".join(" --- " for _ in block.columns) + "|")
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Image) and images:
            out += [f"![{escape(block.caption)}]({block.data_uri})", ""]
    out += ["---", "", f"*{escape(i18n.t('export.doc.generated', doc.lang))}*", ""]
    return "\n".join(out)
