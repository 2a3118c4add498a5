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
