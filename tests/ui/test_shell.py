"""Every page renders, with no plan (an explanatory empty state) and with a plan, in both languages."""

from __future__ import annotations

import pytest

from models import Plan
from pages.ui.nav import PAGES
from planner.store import PlanStore
from tests.ui.helpers import app_on

PAGE_PATHS = [spec.path for spec in PAGES if not spec.server_only]  # solo mode: what these tests run


@pytest.mark.parametrize("page", PAGE_PATHS)
def test_page_renders_without_a_plan(page: str) -> None:
    at = app_on(page)
    assert not at.exception, at.exception
    assert at.title or at.info


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGE_PATHS)
def test_page_renders_with_a_plan(page: str, lang: str, isolated_db) -> None:
    store = PlanStore(isolated_db)
    plan = Plan()
    plan.meta.name = "壳测试"
    store.save(plan)
    store.set_setting("lang", lang)
    at = app_on(page)
    assert not at.exception, at.exception
    assert at.session_state["plan"].id == plan.id


def test_team_page_only_in_server_navigation() -> None:
    from pages.ui.nav import pages_for

    assert "pages/team.py" not in {p.path for p in pages_for(server=False)}
    assert "pages/team.py" in {p.path for p in pages_for(server=True)}


def test_every_page_file_is_in_the_navigation() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = {f"pages/{p.name}" for p in (root / "pages").glob("*.py") if p.name != "__init__.py"}
    assert files == {spec.path for spec in PAGES}


def _shown_texts(at) -> list[str]:
    """The text a person sees: headings, paragraphs, notices, tab, expander, metric and widget labels."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("tabs", "expander", "metric", "button", "text_input", "text_area", "number_input", "selectbox",
                 "multiselect", "radio", "checkbox", "toggle", "date_input", "slider"):
        texts += [str(getattr(e, "label", "")) for e in getattr(at, kind)]
    return texts


def _raw_keys(texts: list[str]) -> list[str]:
    """Tokens that are catalog keys, or the path of one ("positioning.persona"), shown as they are."""
    import re

    from planner import i18n
    keys = set(i18n.catalog("zh"))
    paths = {k.rsplit(".", n)[0] for k in keys for n in range(1, k.count(".") + 1)}
    tokens = {t for text in texts for t in re.findall(r"(?<![\w./@])[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+", text)}
    return sorted(t for t in tokens if t in keys or t in paths)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGE_PATHS)
def test_no_page_shows_a_raw_catalog_key(page: str, lang: str, isolated_db) -> None:
    from planner.plan.examples import example_slugs, load_example

    store = PlanStore(isolated_db)
    store.save(load_example(example_slugs()[0]))
    store.set_setting("lang", lang)
    at = app_on(page)
    assert not at.exception, at.exception
    assert _raw_keys(_shown_texts(at)) == []
