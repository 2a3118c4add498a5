"""The review comments appendix (issue 15): in every document format, user text escaped, open
comments before resolved ones; read back from the written files."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime

import docx
import pypdf

from planner.export import build_document, export_plan
from planner.export.review import ReviewNote, review_blocks, with_review
from tests.sample_plans import complete_plan

NOTES = [
    ReviewNote("sop", "bob@example.com", datetime(2027, 3, 2, 9, 30), "周五的提醒太晚了", resolved=True),
    ReviewNote("positioning", "carol@example.com", datetime(2027, 3, 1, 20, 5),
               "<script>alert(1)</script> 目标人群再具体一点", resolved=False),
]


def _document(lang: str = "zh"):
    plan = complete_plan()
    return plan, with_review(build_document(plan, lang, charts=False), NOTES)


def test_open_comments_come_first_with_their_step_and_author() -> None:
    table = review_blocks(NOTES, "zh")[1]
    assert [row[1] for row in table.rows] == ["carol@example.com", "bob@example.com"]
    assert table.rows[0][-1] == "未处理" and table.rows[1][-1] == "已处理"
    assert table.rows[0][0] == "5W+1H 定位"


def test_no_comments_says_so() -> None:
    assert "还没有评审意见" in review_blocks([], "zh")[1].text
    assert "Nobody has commented" in review_blocks([], "en")[1].text


def test_every_format_carries_the_appendix_escaped() -> None:
    plan, doc = _document()
    html = export_plan(plan, "html", "zh", document=doc).decode("utf-8")
    assert "附录：评审意见" in html and "&lt;script&gt;" in html and "<script>alert" not in html
    md = export_plan(plan, "md", "zh", document=doc).decode("utf-8")
    assert "附录：评审意见" in md and "周五的提醒太晚了" in md
    text = "\n".join(c.text for t in docx.Document(io.BytesIO(export_plan(plan, "docx", "zh", document=doc))).tables
                     for row in t.rows for c in row.cells)
    assert "carol@example.com" in text and "周五的提醒太晚了" in text
    pdf = export_plan(plan, "pdf", "zh", document=doc)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 2
    if shutil.which("pdftotext"):  # poppler reads the CJK text back as a person would see it
        shown = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                               check=True).stdout.decode("utf-8")
        assert "附录：评审意见" in shown and "carol@example.com" in shown
