"""Every page renders, with no plan (an explanatory empty state) and with a plan, in both languages."""

from __future__ import annotations

import pytest

from models import Plan
from pages.ui.nav import PAGES
from planner.storage import PlanStore
from tests.ui.helpers import app_on

PAGE_PATHS = [spec.path for spec in PAGES]


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


def test_every_page_file_is_in_the_navigation() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = {f"pages/{p.name}" for p in (root / "pages").glob("*.py") if p.name != "__init__.py"}
    assert files == set(PAGE_PATHS)
