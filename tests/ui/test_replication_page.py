"""Replication page: planned toggle, culture markers (with a warning while missing), law and privacy."""

from __future__ import annotations

from planner.plan.view import CULTURE_MARKERS
from tests.ui.planning_helpers import away_and_back, bound, fresh, reload, stored_plan

PAGE = "pages/replication.py"
NS = "replication"


def test_planned_without_culture_warns_until_markers_are_filled(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    assert not at.warning
    bound(at.toggle, NS, "replication.planned").set_value(True)
    at.run()
    assert at.warning and "语言" in at.warning[0].value
    for marker in CULTURE_MARKERS:
        bound(at.text_area, NS, f"replication.culture.{marker}").input(f"{marker} ok")
    at.run()
    assert not at.warning
    saved = reload(isolated_db, plan.id)
    assert saved.replication.planned
    assert saved.replication.culture.timing == "timing ok"


def test_fields_kept_across_pages_and_saved(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    bound(at.text_area, NS, "replication.rhythm").input("每季度开一个新群")
    bound(at.text_area, NS, "replication.traps").input("骨干被摊薄\n新群没有种子")
    bound(at.text_area, NS, "compliance.privacy_note").input("手机号只给管理员看")
    bound(at.text_area, NS, "compliance.legal_notes").input("不做诱导分享")
    at.run()
    away_and_back(at, PAGE)
    assert bound(at.text_area, NS, "replication.traps").value == "骨干被摊薄\n新群没有种子"
    saved = reload(isolated_db, plan.id)
    assert saved.replication.rhythm == "每季度开一个新群"
    assert saved.replication.traps == ["骨干被摊薄", "新群没有种子"]
    assert saved.compliance.privacy_note == "手机号只给管理员看"
    assert saved.compliance.legal_notes == ["不做诱导分享"]
    assert bound(fresh(PAGE).text_area, NS, "compliance.privacy_note").value == "手机号只给管理员看"


def test_missing_markers_listed_with_the_language_separator(isolated_db) -> None:
    stored_plan(isolated_db, lang="en")
    at = fresh(PAGE)
    bound(at.toggle, NS, "replication.planned").set_value(True)
    at.run()
    assert at.warning
    assert "Language, Visuals" in at.warning[0].value
    assert "、" not in at.warning[0].value


def test_examples_in_the_culture_boxes_read_as_examples(isolated_db) -> None:
    # the warning says the markers are empty: the boxes must not look filled
    stored_plan(isolated_db)
    at = fresh(PAGE)
    bound(at.toggle, NS, "replication.planned").set_value(True)
    at.run()
    assert at.warning
    for marker in CULTURE_MARKERS:
        box = bound(at.text_area, NS, f"replication.culture.{marker}")
        assert box.value == "" and box.proto.placeholder.startswith("例：")
