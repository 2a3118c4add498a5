"""Trainer page: the example gallery, two plans compared side by side, the way into the presenter view."""

from __future__ import annotations

from pathlib import Path

from planner import i18n
from planner.plan.diff import diff_plans
from planner.plan.examples import example_slugs, load_example
from planner.plan.slides import slides
from planner.store import PlanStore
from tests.sample_plans import complete_plan
from tests.ui.helpers import app_on


def _open_current(db: Path, tab: str = "gallery"):
    plan = complete_plan()
    PlanStore(db).save(plan)
    return plan, _on_tab(app_on("pages/trainer.py"), tab)


def _on_tab(at, tab: str):
    """Only the open tab is drawn: open `tab` (gallery, compare, present) as a click on it would."""
    at.session_state["trainer.tab"] = i18n.t(f"trainer.tab.{tab}", "zh")
    at.run()
    return at


def test_only_the_open_tab_is_drawn(isolated_db: Path) -> None:
    _, at = _open_current(isolated_db)
    assert f"trainer.use.{example_slugs()[0]}" in [b.key for b in at.button]
    assert not at.dataframe and "trainer.compare.left" not in [b.key for b in at.selectbox]
    _on_tab(at, "compare")
    assert not at.exception and at.dataframe
    assert f"trainer.use.{example_slugs()[0]}" not in [b.key for b in at.button]


def test_gallery_lists_every_example_and_starts_a_plan(isolated_db: Path) -> None:
    _, at = _open_current(isolated_db)
    assert not at.exception
    names = [m.value for m in at.markdown]
    for slug in example_slugs():
        assert f"**{load_example(slug).meta.name}**" in names
    slug = example_slugs()[0]
    at.button(key=f"trainer.use.{slug}").click().run()
    assert not at.exception
    stored = [p.name for p in PlanStore(isolated_db).list()]
    assert load_example(slug).meta.name in stored and len(stored) == 2


def test_compare_current_plan_with_an_example(isolated_db: Path) -> None:
    plan, at = _open_current(isolated_db, "compare")
    left, right = at.selectbox(key="trainer.compare.left"), at.selectbox(key="trainer.compare.right")
    assert left.value == "current" and right.value == example_slugs()[0]
    expected = diff_plans(plan, load_example(example_slugs()[0], fresh_id=False), "zh")
    table = at.dataframe[0].value
    assert len(table) == len(expected) > 0
    assert list(table.columns[:1]) == ["字段"]
    assert table.iloc[0]["字段"] == expected[0].label
    assert f"{len(expected)} 处不同" in [c.value for c in at.caption]


def test_compare_a_plan_with_itself_says_same(isolated_db: Path) -> None:
    _, at = _open_current(isolated_db, "compare")
    at.selectbox(key="trainer.compare.right").set_value("current").run()
    assert not at.exception
    assert any(s.value == "两份方案在这些字段上完全相同。" for s in at.success)
    at.toggle(key="trainer.compare.only").set_value(False).run()
    assert len(at.dataframe[0].value) > 100  # every field, all "相同"
    assert set(at.dataframe[0].value["差异"]) == {"相同"}


def test_presentation_tab_links_to_the_presenter_view(isolated_db: Path) -> None:
    plan, at = _open_current(isolated_db, "present")
    assert at.selectbox(key="trainer.present.plan").value == "current"
    count = len(slides(plan, "zh"))
    assert f"“{plan.meta.name}”的一页纸摘要，共 {count} 页幻灯片。" in [c.value for c in at.caption]
    link = _present_link(at)
    assert f"plan={plan.id}" in link.query_string and "slide=1" in link.query_string
    slug = example_slugs()[1]
    at.selectbox(key="trainer.present.plan").set_value(slug).run()
    link = _present_link(at)
    assert f"example={slug}" in link.query_string and "plan=" not in link.query_string
    assert f"“{load_example(slug).meta.name}”" in " ".join(c.value for c in at.caption)
    _on_tab(at, "gallery")
    _on_tab(at, "present")  # the plan picked is kept while another tab is open
    assert at.selectbox(key="trainer.present.plan").value == slug


def _present_link(at):
    links = [e.proto for e in at.get("page_link") if e.proto.page.endswith("present")]
    assert len(links) == 1, [e.proto.page for e in at.get("page_link")]
    return links[0]


def test_without_a_plan_examples_still_compare() -> None:
    at = _on_tab(app_on("pages/trainer.py"), "compare")
    assert not at.exception
    assert at.selectbox(key="trainer.compare.left").value == example_slugs()[0]


def test_the_comparison_is_kept_while_another_tab_is_open(isolated_db: Path) -> None:
    """Only the open tab is drawn, and Streamlit forgets an undrawn widget's value: the picks come back."""
    _, at = _open_current(isolated_db, "compare")
    at.selectbox(key="trainer.compare.right").set_value("current").run()
    at.toggle(key="trainer.compare.only").set_value(False).run()
    _on_tab(at, "gallery")
    _on_tab(at, "compare")
    assert not at.exception, at.exception
    assert at.selectbox(key="trainer.compare.right").value == "current"
    assert at.toggle(key="trainer.compare.only").value is False
    assert set(at.dataframe[0].value["差异"]) == {"相同"}
