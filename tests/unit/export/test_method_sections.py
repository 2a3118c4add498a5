"""The method's newer parts (issue 18) in every document format: the operator's self-check, the
community type explained, standard behaviours, the measured and the long-term goal, retention
drivers and partners, admin training, the group set-up, the review cadence and the revision notes.
Each is written by the shared document builder once; these tests read them back from the written
DOCX, PDF, HTML and Markdown files, for a Chinese and the English example."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from models.enums import Ability
from models.plan import Plan, RevisionNote
from planner import i18n
from planner.export import build_document, export_plan
from planner.export.markdown import escape
from planner.plan.examples import load_example

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
HOSTILE = "<script>alert('x')</script> & <b>粗</b>"
NEW_HEADINGS = (
    "export.research.self_check", "export.structure.standard_behaviours", "export.lifecycle.long_term_goal",
    "export.lifecycle.retention", "export.retention.partners", "export.roles.admin_training", "export.sop.setup",
    "export.setup.settings", "export.sop.review", "export.kpis.review_notes",
)
CASES = [("early_rise_camp", "zh"), ("first_5k_club", "en")]


def _plan(slug: str) -> Plan:
    """The example with what an example leaves to its user: a self-check and a review's note; hostile
    text in a few of the new fields."""
    plan = load_example(slug)
    plan.operator.ratings = {Ability.CONTENT: 3, Ability.DATA: 1}
    plan.operator.cover_plan = "Ask Mei (data) · 请小美看数据"
    plan.setup.welcome_card = plan.setup.welcome_card + "\n" + HOSTILE
    plan.review.notes = [RevisionNote(on=date(2027, 3, 8), kpi=plan.kpis[0].label, cause="提醒发得太晚 too late",
                                      change=f"提醒提前到 6:00 {HOSTILE}", target="sop.rules")]
    return plan


def _expected(plan: Plan, lang: str) -> list[str]:
    """Every piece of the new sections, taken from the plan (each must show in every format)."""
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    s, life, ret = plan.elements.structure, plan.lifecycle, plan.lifecycle.retention
    goal_kpis = [k.label for k in plan.kpis if k.measures_goal]
    assert goal_kpis and life.long_term_goal and ret.partners and s.standard_behaviours  # the examples fill these
    out = [t(k) for k in NEW_HEADINGS]
    out += [t(f"elements.type_explain.{plan.meta.community_type.value}"), i18n.enum_label(Ability.CONTENT, lang),
            t("research.self_check.level.3"), t("research.self_check.level.1"), plan.operator.cover_plan]
    out += [*s.standard_behaviours, *s.interaction_mechanisms, life.long_term_goal, *goal_kpis,
            ret.referral, ret.service, *(p.name for p in ret.partners), *(p.we_bring for p in ret.partners)]
    out += [plan.admin_training.who, plan.admin_training.when, plan.admin_training.how]
    out += [getattr(plan.setup, f) for f in type(plan.setup).model_fields]
    out += [t(f"sop.weekday.{plan.review.weekday}")]
    note = plan.review.notes[0]
    out += [note.kpi, note.cause, note.change, "2027-03-08"]
    return [line.strip() for value in out if value for line in value.split("\n") if line.strip()]


def _flat(text: str) -> str:
    """Letters and digits only: line breaks, spacing and glyphs a font lacks differ between formats."""
    return "".join(ch for ch in text if ch.isalnum())


def _missing(wanted: list[str], text: str) -> list[str]:
    flat = _flat(text)
    return [w for w in wanted if _flat(w) not in flat]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize(("slug", "lang"), CASES)
def test_new_sections_come_in_the_methods_order(slug: str, lang: str) -> None:
    doc = build_document(_plan(slug), lang, charts=False)
    headings = doc.headings()
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    order = ["export.section.research", "export.research.self_check", "export.section.elements",
             "export.structure.standard_behaviours", "export.section.lifecycle", "export.lifecycle.goal",
             "export.lifecycle.long_term_goal", "export.lifecycle.retention", "export.section.roles",
             "export.roles.admin_training", "export.section.sop", "export.sop.setup", "export.sop.rules",
             "export.sop.review", "export.section.kpis", "export.kpis.review_notes", "export.section.findings"]
    positions = [headings.index(t(k)) for k in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize(("slug", "lang"), CASES)
def test_markdown_carries_the_new_sections(slug: str, lang: str) -> None:
    plan = _plan(slug)
    written = export_plan(plan, "md", lang)  # with charts: a ZIP holding document.md
    md = zipfile.ZipFile(io.BytesIO(written)).read("document.md").decode("utf-8") if written[:2] == b"PK" \
        else written.decode("utf-8")
    missing = [w for w in _expected(plan, lang) if escape(" ".join(w.split())) not in md]
    assert missing == []
    assert "<script>" not in md


@pytest.mark.parametrize(("slug", "lang"), CASES)
def test_html_carries_the_new_sections_escaped(slug: str, lang: str) -> None:
    plan = _plan(slug)
    page = _Text()
    page.feed(export_plan(plan, "html", lang).decode("utf-8"))
    text = "\n".join(page.text)
    assert [w for w in _expected(plan, lang) if " ".join(w.split()) not in " ".join(text.split())] == []
    assert "script" not in page.tags and "b" not in page.tags
    assert HOSTILE in text  # shown as the member typed it


@pytest.mark.parametrize(("slug", "lang"), CASES)
def test_docx_carries_the_new_sections(slug: str, lang: str) -> None:
    plan = _plan(slug)
    opened = docx.Document(io.BytesIO(export_plan(plan, "docx", lang)))
    text = "\n".join([p.text for p in opened.paragraphs]
                     + [c.text for t in opened.tables for row in t.rows for c in row.cells])
    assert [w for w in _expected(plan, lang) if w not in text] == []
    headings = [p.text for p in opened.paragraphs if p.style.name.startswith("Heading")]
    assert i18n.t("export.kpis.review_notes", lang) in headings


@needs_poppler
@pytest.mark.parametrize(("slug", "lang"), CASES)
def test_pdf_carries_the_new_sections(slug: str, lang: str, tmp_path: Path) -> None:
    plan = _plan(slug)
    path = tmp_path / "plan.pdf"
    path.write_bytes(export_plan(plan, "pdf", lang))
    # -raw: in content order, so a table cell wrapped beside a short one is read in one piece
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert _missing(_expected(plan, lang), text) == []


def test_empty_new_sections_are_left_out() -> None:
    """A plan that has none of them (an older plan, a blank one) shows none of their headings."""
    for lang in i18n.LANGS:
        headings = build_document(Plan(), lang, charts=False).headings()
        assert [h for h in headings if h in {i18n.t(k, lang) for k in NEW_HEADINGS}] == []


def test_a_partly_filled_section_shows_only_what_is_written() -> None:
    plan = Plan()
    plan.lifecycle.retention.service = "48 小时内回复每个问题"
    plan.admin_training.when = "第 7 天"
    plan.review.before_events = True
    doc = build_document(plan, "zh", charts=False)
    md = export_plan(plan, "md", "zh", document=doc).decode("utf-8")
    headings = doc.headings()
    assert i18n.t("export.lifecycle.retention", "zh") in headings
    assert i18n.t("export.retention.partners", "zh") not in headings
    assert escape("48 小时内回复每个问题") in md and escape(i18n.t("export.retention.service", "zh")) in md
    assert escape(i18n.t("export.retention.referral", "zh")) not in md
    assert escape(i18n.t("export.admin_training.when", "zh")) in md
    assert escape(i18n.t("export.admin_training.who", "zh")) not in md
    assert escape(i18n.t("export.review.before_events", "zh")) in md
    assert not re.search(re.escape(i18n.t("export.review.weekly", "zh").split("{")[0]), md)


def test_the_measured_goal_and_the_long_term_goal_stay_apart() -> None:
    plan = load_example("early_rise_camp")
    doc = build_document(plan, "zh", charts=False)
    headings = doc.headings()
    goal, long_term = headings.index(i18n.t("export.lifecycle.goal", "zh")), headings.index(
        i18n.t("export.lifecycle.long_term_goal", "zh"))
    assert long_term > goal
    goal_table = next(b for b in doc.blocks[doc.blocks.index(next(
        b for b in doc.blocks if getattr(b, "text", None) == i18n.t("export.lifecycle.goal", "zh"))):]
        if hasattr(b, "rows"))
    cells = " ".join(c for row in goal_table.rows for c in row)
    assert plan.lifecycle.long_term_goal not in cells  # not a second measured goal
    plan.kpis = [k.model_copy(update={"measures_goal": False}) for k in plan.kpis]
    no_kpi = build_document(plan, "zh", charts=False)
    prefix = i18n.t("export.lifecycle.goal_kpi", "zh", kpis="")
    assert not any(getattr(b, "text", "").startswith(prefix) for b in no_kpi.blocks)
    assert any(getattr(b, "text", "").startswith(prefix) for b in doc.blocks)
