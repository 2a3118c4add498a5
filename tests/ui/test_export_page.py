"""AppTest of the export page: format choice, preview, build with progress, download."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from models.plan import Plan
from planner import i18n
from planner.plan.examples import load_example
from tests.ui.helpers import app_on
from tests.unit.export_plans import QUIET, SCRIPT, hostile_plan, member_log, rich_plan


def _open(plan_factory: Callable[[], Plan] | None = None) -> AppTest:
    at = app_on()
    at.session_state["plan"] = plan_factory() if plan_factory else load_example("early_rise_camp")
    at.switch_page("pages/export.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _md_text(at: AppTest) -> str:
    """The formatted (Markdown) preview's text, that preview chosen first (the page opens on the web page)."""
    control = at.segmented_control(key="export.preview_kind")
    if control.value != "md":
        control.set_value("md").run()
        assert not at.exception, at.exception
    return "\n".join(m.value for m in at.markdown)


def _frame_page(at: AppTest) -> str:
    """The HTML document the preview's frame shows."""
    frames = at.get("iframe")
    assert len(frames) == 1
    src = frames[0].proto.src
    prefix = "data:text/html;charset=utf-8;base64,"
    assert src.startswith(prefix)  # a data: URL: the frame has an origin of its own, not the app's
    return base64.b64decode(src[len(prefix):]).decode("utf-8")


def test_page_opens_on_the_web_page_preview_and_offers_the_formatted_one() -> None:
    at = _open()
    plan = at.session_state["plan"]
    assert at.segmented_control(key="export.preview_kind").value == "html"
    page = _frame_page(at)
    assert plan.meta.name in page and i18n.t("export.section.lifecycle", "zh") in page
    assert len(at.radio) == 2 and at.radio[0].value == "docx"
    text = _md_text(at)
    assert plan.meta.name in text
    assert i18n.t("export.section.lifecycle", "zh") in text
    assert not at.get("iframe")  # one preview at a time


def test_build_then_download_for_each_format_choice() -> None:
    at = _open()
    for fmt in ("md", "json"):
        at.radio(key="export.format").set_value(fmt).run()
        at.button(key="export.build").click().run()
        assert not at.exception, at.exception
        built = at.session_state["scratch.export.built"]
        assert built[0].split(":")[1] == fmt and len(built[1]) > 1000
    # Changing the format after building asks for a new build instead of offering the old file.
    at.radio(key="export.format").set_value("html").run()
    assert i18n.t("export.page.stale", "zh") in [c.value for c in at.caption]


def test_html_preview_is_the_rendered_page_in_a_frame_of_its_own() -> None:
    at = _open(hostile_plan)
    assert not at.code  # no longer the source in a code block
    page = _frame_page(at)
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and SCRIPT not in page


def test_format_choice_is_remembered_across_pages_and_sessions() -> None:
    at = _open()
    at.radio(key="export.format").set_value("pdf").run()
    at.switch_page("pages/doctor.py")
    at.run()
    at.switch_page("pages/export.py")
    at.run()
    assert not at.exception, at.exception
    assert at.radio(key="export.format").value == "pdf"
    later = _open()  # a new session on the same database: the person's preference, like the language
    assert later.radio(key="export.format").value == "pdf"


def test_markdown_with_charts_downloads_as_a_zip_and_says_so() -> None:
    at = _open()
    at.radio(key="export.format").set_value("md").run()
    assert i18n.t("export.page.md_zip", "zh") in [c.value for c in at.caption]
    at.button(key="export.build").click().run()
    assert not at.exception, at.exception
    data = at.session_state["scratch.export.built"][1]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        text = archive.read("document.md").decode("utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links and all(link.startswith("charts/") and link in names for link in links)  # every link resolves
    assert at.get("download_button")[0].proto.label.endswith(".zip")


def test_hostile_text_stays_escaped_in_the_markdown_preview() -> None:
    at = _open(hostile_plan)
    assert r"\<script\>" in _md_text(at)


def test_english_document_language() -> None:
    at = _open()
    at.radio(key="export.lang").set_value("en").run()
    assert i18n.t("export.section.lifecycle", "en") in _md_text(at)


def test_built_file_names_members_only_by_alias_when_pseudonymised() -> None:
    def plan() -> Plan:
        p = rich_plan()
        p.data.pseudonymise = True
        return p

    at = app_on()
    at.session_state["plan"] = plan()
    at.session_state["scratch.data.loaded"] = ("digest-1", member_log())  # as the data page keeps an upload
    at.switch_page("pages/export.py")
    at.run()
    assert not at.exception, at.exception
    assert at.toggle(key="export.with_data").value is True
    at.radio(key="export.format").set_value("md").run()
    at.button(key="export.build").click().run()
    assert not at.exception, at.exception
    with zipfile.ZipFile(io.BytesIO(at.session_state["scratch.export.built"][1])) as archive:
        built = archive.read("document.md").decode("utf-8")  # Markdown with charts comes as a ZIP
    assert "成员-0001" in built and not [n for n in QUIET.values() if n in built]
    assert not [n for n in QUIET.values() if n in _frame_page(at)]  # the previews too
    assert not [n for n in QUIET.values() if n in _md_text(at)]
