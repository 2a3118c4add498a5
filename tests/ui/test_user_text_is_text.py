"""User text never becomes markdown: a plan or role named like an image or a link is shown as
typed, so the browser fetches nothing and no link appears (every markdown place on the pages that
show plan names, role names and rule names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import i18n
from planner.store import PlanStore
from tests.sample_plans import complete_plan
from tests.ui.helpers import app_on

HOSTILE = "![p](http://127.0.0.1:9/x.png) [link](http://127.0.0.1:9/) :red[红] $x$ **粗**"
RAW_MARKUP = ("![p](", "[link](", ":red[", "$x$", "**粗**")


def _markdown_texts(at) -> list[str]:
    """Everything Streamlit renders as markdown on the page as it stands."""
    texts = [e.value for kind in ("markdown", "caption", "success", "info", "warning", "error", "title",
                                  "subheader", "header") for e in getattr(at, kind)]
    texts += [e.label for kind in ("button", "expander", "selectbox", "text_input", "text_area", "toggle")
              for e in getattr(at, kind)]
    return [str(text) for text in texts]


def _seed(db: Path) -> None:
    plan = complete_plan()
    plan.meta.name = HOSTILE
    plan.roles[0].name = HOSTILE
    plan.sop.rules[0].name = HOSTILE
    PlanStore(db).save(plan)


@pytest.mark.parametrize("page", ["pages/home.py", "pages/plans.py", "pages/trainer.py", "pages/sop.py",
                                  "pages/doctor.py", "pages/roles.py"])
def test_hostile_names_stay_plain_text(isolated_db: Path, page: str) -> None:
    _seed(isolated_db)
    at = app_on(page)
    assert not at.exception
    if page == "pages/trainer.py":  # the presentation view renders the chosen plan in large type
        at.session_state["trainer.tab"] = i18n.t("trainer.tab.present", "zh")  # only the open tab is drawn
        at.run()
        at.selectbox(key="trainer.present.plan").set_value("current").run()
    texts = _markdown_texts(at)
    shown = [text for text in texts if "127.0.0.1:9" in text]
    if page in ("pages/home.py", "pages/plans.py", "pages/trainer.py"):
        assert shown, "the plan name should appear on this page"
    for text in shown:
        for markup in RAW_MARKUP:
            assert markup not in text, f"{page}: {text!r}"


def test_page_titles_in_the_sidebar_switcher_are_plain(isolated_db: Path) -> None:
    # Select options are plain text in Streamlit: the name shows as typed, without backslashes.
    _seed(isolated_db)
    at = app_on()
    assert HOSTILE in at.sidebar.selectbox[0].options
