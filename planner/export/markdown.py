"""Document → Markdown (CommonMark + GFM tables). Images are embedded as data URIs so the file
stands alone. User text is backslash-escaped so it can never become a link, an image, raw HTML
or a heading; the page previews this text with st.markdown, which does not render HTML anyway."""

from __future__ import annotations

from models.text import clean_text
from planner import i18n
from planner.export.model import Bullets, Document, Heading, Image, Paragraph, Table
from planner.markdown_text import escape_markdown


def escape(text: str) -> str:
    """User text as inert Markdown (planner.markdown_text) without control characters."""
    return escape_markdown(clean_text(text))


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
