"""The review comments appendix of an exported plan (off by default; server mode).

Comments come from the store (planner.store.access) but export may not import the store, so the
page hands them in as `ReviewNote`s. Their text is user text: every renderer escapes it as it does
all plan text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from planner import i18n
from planner.export.model import Block, Document, Heading, Paragraph, Table


@dataclass(frozen=True)
class ReviewNote:
    step: str
    author: str
    when: datetime
    text: str
    resolved: bool


def with_review(doc: Document, notes: Sequence[ReviewNote]) -> Document:
    """`doc` with an appendix listing the review comments, by step, open ones first."""
    doc.blocks.extend(review_blocks(notes, doc.lang))
    return doc


def review_blocks(notes: Sequence[ReviewNote], lang: str) -> list[Block]:
    blocks: list[Block] = [Heading(i18n.t("export.review.title", lang), level=1)]
    if not notes:
        return [*blocks, Paragraph(i18n.t("export.review.none", lang), muted=True)]
    columns = tuple(i18n.t(f"export.review.{c}", lang) for c in ("step", "author", "when", "text", "status"))
    ordered = sorted(notes, key=lambda n: (n.resolved, n.step, n.when))
    rows = tuple(
        (i18n.t(f"page.{n.step}", lang), n.author, n.when.strftime("%Y-%m-%d %H:%M"), n.text,
         i18n.t("export.review.resolved" if n.resolved else "export.review.open", lang))
        for n in ordered
    )
    return [*blocks, Table(columns, rows)]
