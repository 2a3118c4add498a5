"""Export a plan as DOCX, PDF, HTML, Markdown or JSON.

`build_document` turns a Plan (plus an optional member-data analysis) into a format-neutral
`Document`; one small renderer per format turns that into bytes. `export_plan` is the one call
the page, the command line and the benchmark use.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from models.plan import Plan
from planner.export.build import ProgressFn, build_document
from planner.export.model import Document
from planner.plan_core.json_io import plan_to_json


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    mime: str
    uses_document: bool  # False: JSON is the plan itself, not a rendered document


FORMATS: dict[str, Format] = {
    "docx": Format("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True),
    "pdf": Format("pdf", "pdf", "application/pdf", True),
    "html": Format("html", "html", "text/html", True),
    "md": Format("md", "md", "text/markdown", True),
    "json": Format("json", "json", "application/json", False),
}


# What a Markdown export with charts is delivered as (document.md + charts/*.png, see markdown.py).
ZIP = Format("zip", "zip", "application/zip", True)


def render(doc: Document, fmt: str) -> bytes:
    """Bytes of `doc` in a document format (docx | pdf | html | md); Markdown with charts is a ZIP."""
    if fmt == "md":
        from planner.export.markdown import render_markdown, render_markdown_zip

        return render_markdown_zip(doc) if doc.images() else render_markdown(doc).encode("utf-8")
    if fmt == "html":
        from planner.export.html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "docx":
        from planner.export.docx import render_docx

        return render_docx(doc)
    if fmt == "pdf":
        from planner.export.pdf import render_pdf

        return render_pdf(doc)
    raise ValueError(f"unknown document format {fmt!r}")


def export_plan(
    plan: Plan,
    fmt: str,
    lang: str,
    analysis: Any = None,
    *,
    progress: ProgressFn | None = None,
    document: Document | None = None,
) -> bytes:
    """`plan` as a file in `fmt`; pass `document` to reuse one already built for another format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return plan_to_json(plan).encode("utf-8")
    doc = document or build_document(plan, lang, analysis, progress=progress)
    return render(doc, fmt)


def build_key(plan: Plan, fmt: str, lang: str, with_data: str | None) -> str:
    """Identifies one built file, so the page offers a download only for what is on screen now."""
    digest = hashlib.sha256(plan.model_dump_json().encode("utf-8")).hexdigest()[:16]
    return f"{digest}:{fmt}:{lang}:{with_data or '-'}"


def delivered_as(fmt: str, data: bytes) -> Format:
    """The format of the bytes `export_plan(…, fmt, …)` returned: a Markdown export with charts is a
    ZIP; every other format is itself."""
    if fmt == "md" and data[:4] == b"PK\x03\x04":  # a Markdown text never starts with these bytes
        return ZIP
    return FORMATS[fmt]


def file_name(plan: Plan, fmt: str, data: bytes | None = None) -> str:
    """A safe download name from the plan name: letters, digits and CJK kept, the rest as '-'; with
    `data`, the extension of what was actually built (.zip for Markdown with charts)."""
    base = "".join(ch if ch.isalnum() else "-" for ch in plan.meta.name).strip("-")[:60] or "plan"
    extension = (delivered_as(fmt, data) if data is not None else FORMATS[fmt]).extension
    return f"{base}.{extension}"


__all__ = ["FORMATS", "ZIP", "Document", "Format", "build_document", "build_key", "delivered_as", "export_plan",
           "file_name", "render"]
