"""Helpers for the planning pages' AppTests: a stored plan, widgets found by plan path, and a
round trip to another page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from models.plan import Plan
from pages.ui.nav import SECTIONS
from planner import i18n
from planner.store import PlanStore
from tests.ui.helpers import app_on


def stored_plan(db: Path, plan: Plan | None = None, lang: str = "zh") -> Plan:
    """Save `plan` (a blank one by default) as the only plan, in `lang`."""
    plan = plan or Plan()
    plan.meta.name = plan.meta.name or "测试方案"
    store = PlanStore(db)
    saved = store.save(plan)
    store.set_setting("lang", lang)
    return saved


def reload(db: Path, plan_id: str) -> Plan:
    plan = PlanStore(db).get(plan_id)
    assert plan is not None
    return plan


def bound(widgets: Any, ns: str, path: str) -> Any:
    """The widget bound to `path` under namespace `ns` (its key is "<ns>.<path>@<generation>")."""
    prefix = f"{ns}.{path}@"
    found = [w for w in widgets if (w.key or "").startswith(prefix)]
    assert len(found) == 1, f"{len(found)} widgets with key {prefix}*"
    return found[0]


def editor_key(at: AppTest, ns: str, path: str) -> str:
    return bound(at.data_editor, ns, path).key


def away_and_back(at: AppTest, page: str, other: str = "pages/home.py") -> AppTest:
    at.switch_page(other)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def fresh(page: str) -> AppTest:
    """A new session (as after a browser refresh) on `page`."""
    at = app_on(page)
    assert not at.exception, at.exception
    return at


def button(at: AppTest, key: str) -> Any:
    return next(b for b in at.button if b.key == key)


def choose_tab(page: str, at: AppTest, section: str, lang: str = "zh") -> AppTest:
    """Choose one of `page`'s tabs by its section (`nav.SECTIONS`; only the open one is drawn) and run."""
    at.session_state[f"{page}.tabs.{lang}"] = i18n.t(SECTIONS[page][section], lang)
    at.run()
    assert not at.exception, at.exception
    return at
