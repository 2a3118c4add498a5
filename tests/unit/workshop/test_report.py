"""workshop_report's figures for hand-made plans, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from models.problems import Severity
from planner.plan.doctor import count_by_severity, diagnose
from planner.plan.examples import new_blank_plan
from planner.plan.progress import STEPS
from planner.store import ParticipantStore, PlanStore, StorageError, WorkshopStore, open_store
from planner.workshop import workshop_report


@pytest.fixture(params=["sqlite", "postgres"])
def plain(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PlanStore]:
    url = str(tmp_path / "report.sqlite3") if request.param == "sqlite" else request.getfixturevalue("pg_db")
    store = open_store(url)
    yield store
    store.close()


def test_report_figures(plain: PlanStore) -> None:
    shops = WorkshopStore(plain)
    made, _ = shops.create("定位练习", new_blank_plan("空白方案", "zh"), steps=["positioning"])
    blank, _ = shops.join(made.code, "小明")
    filled, token = shops.join(made.code, "小红")
    gone, _ = shops.join(made.code, "小刚")
    # 小红 answers every positioning question: 6 texts and the persona.
    mine = ParticipantStore(plain, token)
    plan, version = mine.get_versioned(filled.plan_id)
    for name, text in zip(("why", "what", "where", "who", "when", "how"), "甲乙丙丁戊己", strict=True):
        setattr(plan.positioning, name, text)
    plan.positioning.persona.age = "25-35"
    mine.save_if(plan, version)
    shops.touch(filled.id, "positioning")
    plain.delete(gone.plan_id)  # (the participant goes with the plan: the reference cascades)

    rows = workshop_report(plain, made.code.lower(), "en")
    assert [r["name"] for r in rows] == ["小明", "小红"]
    a, b = rows
    # Hand-checked: a blank plan with a name fills 1 of the 2 meta fields and nothing else, so the
    # overall score is round(100 * (1/2) / 8 steps) = 6; 小红 also fills positioning (7 of 7):
    # round(100 * (1/2 + 1) / 8) = 19.
    assert a["completeness"] == 6 and b["completeness"] == 19
    assert a["steps"]["meta"] == b["steps"]["meta"] == 50
    assert (a["steps"]["positioning"], b["steps"]["positioning"]) == (0, 100)
    assert set(a["steps"]) == set(STEPS) and all(b["steps"][s] == 0 for s in STEPS if s not in ("meta", "positioning"))
    assert a["step_labels"]["positioning"] and a["plan_name"] == "小明 · 空白方案"
    # The doctor's counts, and answering positioning removes its findings.
    for row, pid in ((a, blank.plan_id), (b, filled.plan_id)):
        counts = count_by_severity(diagnose(plain.get(pid)))
        assert (row["errors"], row["warnings"], row["tips"]) == (
            counts[Severity.ERROR],
            counts[Severity.WARNING],
            counts[Severity.TIP],
        )
        assert len(row["findings"]) == row["errors"] + row["warnings"]
    assert a["errors"] == 6 and a["warnings"] == 16
    assert b["errors"] + b["warnings"] < a["errors"] + a["warnings"]
    why = "why"
    assert any(why in f.lower() for f in a["findings"]) and not any(why in f.lower() for f in b["findings"])
    assert (a["last_step"], a["last_seen"]) == ("", None)
    assert b["last_step"] == "positioning" and b["last_seen"] <= datetime.now(UTC)
    assert not a["missing"] and not b["missing"]
    with pytest.raises(StorageError) as info:
        workshop_report(plain, "ZZZZZZ" if made.code != "ZZZZZZ" else "YYYYYY", "zh")
    assert info.value.key == "storage.not_found"


def test_a_plan_is_read_again_only_once_it_changed(plain: PlanStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboard asks every few seconds: an unchanged plan's figures come from its stored version."""
    shops = WorkshopStore(plain)
    made, _ = shops.create("定位练习", new_blank_plan("空白方案", "zh"), steps=["positioning"])
    joined, token = shops.join(made.code, "小明")
    assert shops.plan_versions(made.code) == {joined.plan_id: plain.version(joined.plan_id)}
    assert shops.plan_versions("NOSUCH") == {}
    reads: list[str] = []
    read = plain.get_versioned
    monkeypatch.setattr(plain, "get_versioned", lambda plan_id: reads.append(plan_id) or read(plan_id))
    first = workshop_report(plain, made.code, "zh")
    again = workshop_report(plain, made.code, "zh")
    assert reads == [joined.plan_id] and again == first
    again[0]["findings"].clear()  # a caller's change to its rows stays in its rows
    assert workshop_report(plain, made.code, "zh")[0]["findings"] == first[0]["findings"]

    mine = ParticipantStore(plain, token)
    plan, version = mine.get_versioned(joined.plan_id)
    plan.positioning.why = "早起的人互相监督"
    mine.save_if(plan, version)
    changed = workshop_report(plain, made.code, "zh")
    assert reads == [joined.plan_id, joined.plan_id]
    assert changed[0]["steps"]["positioning"] > first[0]["steps"]["positioning"]
    assert len(changed[0]["findings"]) < len(first[0]["findings"])
    workshop_report(plain, made.code, "en")  # another language: its own messages
    assert len(reads) == 3
