"""Presenter view: slides of a plan's one-page summary, next/previous (disabled at the ends), the
slide kept in the address, the exercise timer (the way in is tested with the trainer page)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.plan.examples import example_slugs, load_example
from planner.plan.slides import slides
from planner.store import PlanStore
from tests.sample_plans import complete_plan
from tests.ui.helpers import APP

PAGE = "pages/present.py"
TIMER_KEY = "scratch.present.timer_end"


def _present(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page(PAGE)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def _counter(at: AppTest) -> str:
    return next(text for text in _texts(at) if " / " in text and text.replace(" / ", "").isdigit())


def test_next_and_previous_change_the_slide_and_stop_at_the_ends() -> None:
    slug = example_slugs()[0]
    deck = slides(load_example(slug, fresh_id=False), "zh")
    at = _present(example=slug)
    assert _counter(at) == f"1 / {len(deck)}"
    assert at.button(key="present.prev").disabled and not at.button(key="present.next").disabled
    first_label, first_value = deck[0].items[0]
    assert first_label in _texts(at) and first_value in _texts(at)

    at.button(key="present.next").click().run()
    assert _counter(at) == f"2 / {len(deck)}"
    assert at.query_params["slide"] in ("2", ["2"])  # a reload stays on this slide
    assert deck[1].items[0][1] in _texts(at) and deck[0].items[-1][1] not in _texts(at)
    assert not at.button(key="present.prev").disabled

    at.button(key="present.prev").click().run()
    assert _counter(at) == f"1 / {len(deck)}"
    at.button(key="present.next_page").click().run()  # a remote's Page Down (a hidden button)
    assert _counter(at) == f"2 / {len(deck)}"
    at.button(key="present.prev_page").click().run()
    assert _counter(at) == f"1 / {len(deck)}"
    assert at.button(key="present.prev_page").disabled

    for _ in range(len(deck) - 1):
        at.button(key="present.next").click().run()
    assert _counter(at) == f"{len(deck)} / {len(deck)}"
    assert at.button(key="present.next").disabled and not at.button(key="present.prev").disabled
    assert at.button(key="present.next_page").disabled
    assert deck[-1].items[-1][1] in _texts(at)


def test_the_address_chooses_the_slide_and_out_of_range_is_clamped() -> None:
    slug = example_slugs()[1]
    deck = slides(load_example(slug, fresh_id=False), "zh")
    at = _present(example=slug, slide="3")
    assert _counter(at) == f"3 / {len(deck)}"
    assert deck[2].title.split("（")[0] in " ".join(_texts(at))
    assert _counter(_present(example=slug, slide="99")) == f"{len(deck)} / {len(deck)}"
    assert _counter(_present(example=slug, slide="x")) == f"1 / {len(deck)}"


def test_a_stored_plan_by_its_address(isolated_db: Path) -> None:
    plan = complete_plan()
    PlanStore(isolated_db).save(plan)
    at = _present(plan=plan.id)
    texts = _texts(at)
    assert plan.meta.name in texts  # the plan's name above the section title
    assert "定位" in " ".join(texts)


def test_long_sections_say_which_part() -> None:
    slug = example_slugs()[0]
    deck = slides(load_example(slug, fresh_id=False), "zh")
    split = next(s for s in deck if s.parts > 1)
    at = _present(example=slug, slide=str(split.n))
    assert f"{split.title}（{split.part}/{split.parts}）" in _texts(at)


def test_the_timer_starts_counts_and_stops() -> None:
    at = _present(example=example_slugs()[0])
    assert "练习计时：" in _texts(at)
    at.button(key="present.timer.10").click().run()
    face = next(text for text in _texts(at) if text.startswith(":material/timer:"))
    assert face.endswith(("10:00", "09:59"))
    assert at.session_state[TIMER_KEY] == pytest.approx(time.time() + 600, abs=5)
    # Changing slides does not touch the timer.
    at.button(key="present.next").click().run()
    assert at.session_state[TIMER_KEY] is not None
    at.button(key="present.timer.stop").click().run()
    assert at.session_state[TIMER_KEY] is None
    assert at.button(key="present.timer.5") is not None


def test_a_finished_timer_says_so() -> None:
    at = _present(example=example_slugs()[0])
    at.session_state[TIMER_KEY] = time.time() - 1
    at.run()
    assert ":material/timer: 00:00 · 时间到" in _texts(at)
    assert not at.button(key="present.timer.stop").disabled


def test_without_a_plan_it_says_where_to_choose_one() -> None:
    at = _present()
    assert at.info and "没有可展示的方案" in at.info[0].value


def test_hostile_plan_text_stays_text(isolated_db: Path) -> None:
    hostile = "![p](http://127.0.0.1:9/x.png) [link](http://127.0.0.1:9/) <b>粗</b>"
    plan = complete_plan()
    plan.meta.name = hostile
    plan.positioning.why = hostile
    PlanStore(isolated_db).save(plan)
    at = _present(plan=plan.id)
    shown = [text for text in _texts(at) if "127.0.0.1:9" in text]
    assert len(shown) >= 2  # the name above the title, the WHY row
    for text in shown:
        for markup in ("![p](", "[link](", "<b>"):
            assert markup not in text
