"""Document → Markdown (CommonMark + GFM tables). User text is backslash-escaped so it can never
become a link, an image, raw HTML or a heading; the page previews this text with st.markdown, which
does not render HTML anyway.

Charts are PNG files beside the text, not data URIs (a year's charts were 500 KB of base64 in the
middle of the text, which editors and diff tools choke on): a document with charts is a ZIP of
`document.md` and `charts/chart-01.png` …, linked relatively, so it opens as it is once unpacked.
A document without charts stays a single .md file.
"""

from __future__ import annotations

import io
import zipfile

from models.text import clean_text
from planner import i18n
from planner.export.model import Bullets, Document, Heading, Image, Paragraph, Table
from planner.markdown_text import escape_markdown


def escape(text: str) -> str:
    """User text as inert Markdown (planner.markdown_text) without control characters."""
    return escape_markdown(clean_text(text))


def _cell(text: str) -> str:
    return escape(" ".join(text.split())) or " "


DOCUMENT_NAME = "document.md"
CHARTS_DIR = "charts"


def chart_paths(doc: Document) -> list[str]:
    """The relative path of each chart image in the ZIP, in the document's order."""
    return [f"{CHARTS_DIR}/chart-{number:02d}.png" for number in range(1, len(doc.images()) + 1)]


def render_markdown(doc: Document, images: bool = True) -> str:
    """The document as Markdown with charts linked as `charts/chart-NN.png` (see `render_markdown_zip`);
    `images=False` leaves the charts out (for a light preview)."""
    paths = iter(chart_paths(doc))
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
            out += [f"![{escape(block.alt_text)}]({next(paths)})", ""]
            if block.caption:
                out += [f"*{escape(block.caption)}*", ""]
    out += ["---", "", f"*{escape(i18n.t('export.doc.generated', doc.lang))}*", ""]
    return "\n".join(out)


def render_markdown_zip(doc: Document) -> bytes:
    """`document.md` and its chart images in one ZIP (the PNGs stored as they are: already compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCUMENT_NAME, render_markdown(doc))
        for path, image in zip(chart_paths(doc), doc.images(), strict=True):
            archive.writestr(path, image.png, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()
