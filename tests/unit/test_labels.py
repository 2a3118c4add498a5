"""distinct_labels: choices chosen by label (Streamlit's select widgets) never share one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planner.labels import distinct_labels


def test_unique_labels_stay_as_they_are() -> None:
    assert distinct_labels([("a", "甲"), ("b", "乙")]) == {"a": "甲", "b": "乙"}


def test_repeated_labels_get_a_number_in_order() -> None:
    assert distinct_labels([("a", "营"), ("b", "营"), ("c", "营")]) == {"a": "营", "b": "营 (2)", "c": "营 (3)"}


def test_a_suffix_never_takes_another_items_own_label() -> None:
    labels = distinct_labels([("a", "营"), ("b", "营"), ("c", "营 (2)")])
    assert labels["c"] == "营 (2)"
    assert len(set(labels.values())) == 3


@given(st.lists(st.sampled_from(["", "营", "营 (2)", "营 (3)", "x"]), max_size=12))
def test_labels_are_always_distinct(names: list[str]) -> None:
    labels = distinct_labels([(str(i), n) for i, n in enumerate(names)])
    assert len(set(labels.values())) == len(names)


def test_plans_of_one_name_are_told_apart_by_date_and_short_id() -> None:
    from datetime import UTC, datetime

    from planner.labels import plan_labels
    monday, tuesday = datetime(2026, 11, 23, 3, tzinfo=UTC), datetime(2026, 11, 24, 3, tzinfo=UTC)
    labels = plan_labels([("3f9a1c77", "早起营", monday), ("b20e4400", "早起营", tuesday), ("c0", "读书会", monday)])
    assert labels["c0"] == "读书会"  # a name of its own stays as it is
    day = monday.astimezone().strftime("%Y-%m-%d")
    assert labels["3f9a1c77"] == f"早起营 · {day} · #3f9a1c"
    assert labels["b20e4400"].endswith("· #b20e44") and labels["b20e4400"] != labels["3f9a1c77"]


def test_plans_alike_in_name_date_and_short_id_still_differ() -> None:
    from datetime import UTC, datetime

    from planner.labels import plan_labels
    when = datetime(2026, 11, 23, tzinfo=UTC)
    labels = plan_labels([("abcdef1", "营", when), ("abcdef2", "营", when)])
    assert len(set(labels.values())) == 2
