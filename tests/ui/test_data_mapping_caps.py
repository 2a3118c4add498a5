"""成员数据 page, column mapping: a sheet 16,384 columns wide offers a capped number of select boxes (it
built one per column and stalled the browser tab), and a refused workbook gets a sentence, not a crash."""

from __future__ import annotations

import pytest

from models.plan import Plan
from planner.data import xlsx_guard
from planner.store import PlanStore
from tests.ui.helpers import app_on
from tests.unit import xlsx_bombs as xb


@pytest.fixture
def stored_plan(isolated_db) -> Plan:
    plan = Plan()
    plan.meta.name = "测试群"
    return PlanStore(isolated_db).save(plan)


def _mapping_boxes(at) -> list:
    """The select boxes of the mapping expander (unfolded: it draws them only then)."""
    at.session_state["data.mapping.open"] = True
    at.run()
    return [box for box in at.selectbox if box.key and box.key.startswith("data.map.")]


def test_a_16k_column_sheet_offers_at_most_the_capped_mapping_boxes(stored_plan) -> None:
    at = app_on("pages/data.py", timeout=60)
    at.session_state["scratch.data.files"] = [("wide.xlsx", xb.wide(16_384))]
    at.run()
    assert not at.exception
    boxes = _mapping_boxes(at)
    assert 2 <= len(boxes) <= xlsx_guard.MAPPING_COLUMNS
    # the recognised columns are among them, and the caption says how many were left out
    assert {"成员ID", "时间"} <= {box.label for box in boxes}
    hidden = 16_384 - len(boxes)
    assert any(f"{hidden:,}" in str(c.value) and "16,384" in str(c.value) for c in at.caption)


def test_a_narrow_sheet_still_offers_every_column(stored_plan) -> None:
    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("plain.xlsx", xb.plain())]
    at.run()
    assert not at.exception
    assert not [box for box in at.selectbox if box.key and box.key.startswith("data.map.")]  # folded: none drawn
    assert [box.label for box in _mapping_boxes(at)] == ["成员ID", "时间"]


def test_a_workbook_bomb_is_a_sentence_on_the_page(stored_plan) -> None:
    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("bomb.xlsx", xb.long_string(300)), ("xxe.xlsx", xb.with_dtd())]
    at.run()
    assert not at.exception
    errors = "\n".join(str(e.value) for e in at.error)
    assert "bomb.xlsx" in errors and "xxe.xlsx" in errors and "DTD" in errors
    assert "内部出错" not in errors
    assert not _mapping_boxes(at)
