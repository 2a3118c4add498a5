"""5W+1H page: answers and the persona are kept across pages and saved."""

from __future__ import annotations

from tests.ui.planning_helpers import away_and_back, bound, fresh, reload, stored_plan

PAGE = "pages/positioning.py"
NS = "positioning"


def test_answers_and_persona_saved(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    bound(at.text_area, NS, "positioning.why").input("养成早起习惯")
    bound(at.text_area, NS, "positioning.how").input("进阶营收费")
    bound(at.text_input, NS, "positioning.persona.age").input("25-35")
    bound(at.text_area, NS, "positioning.persona.pain_points").input("晚睡晚起")
    at.run()
    away_and_back(at, PAGE, other="pages/research.py")
    assert bound(at.text_area, NS, "positioning.why").value == "养成早起习惯"
    assert bound(at.text_input, NS, "positioning.persona.age").value == "25-35"
    saved = reload(isolated_db, plan.id)
    assert saved.positioning.how == "进阶营收费"
    assert saved.positioning.persona.pain_points == "晚睡晚起"
    assert bound(fresh(PAGE).text_area, NS, "positioning.how").value == "进阶营收费"


def test_six_questions_and_five_persona_fields(isolated_db) -> None:
    stored_plan(isolated_db)
    at = fresh(PAGE)
    persona = "positioning.positioning.persona."
    assert len([w for w in at.text_area if w.key.startswith("positioning.") and not w.key.startswith(persona)]) == 6
    # the short facts on one row, interests and pain points as wrapping boxes on a second
    assert sorted(w.key.split("@")[0].rsplit(".", 1)[1] for w in at.text_input if w.key.startswith(persona)) == [
        "age", "gender", "region"]
    assert sorted(w.key.split("@")[0].rsplit(".", 1)[1] for w in at.text_area if w.key.startswith(persona)) == [
        "interests", "pain_points"]
    assert all(w.proto.placeholder.startswith("例：") for w in at.text_area if w.key.startswith(persona))
