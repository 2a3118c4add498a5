"""Lifecycle helpers: even stage split, length presets, one goal, KPI metric options."""

from __future__ import annotations

from itertools import pairwise

import pytest

from models.enums import STAGE_ORDER, Stage
from models.plan import Goal, Lifecycle, StageSpan
from planner.plan.lifecycle import (
    CUSTOM_LENGTH,
    CYCLE_STAGES,
    KPI_METRICS,
    goal_title,
    keep_one_goal,
    length_choice,
    length_options,
    metric_label,
    metric_options,
    next_metric,
    next_stage,
    split_evenly,
)


@pytest.mark.parametrize("length", [4, 5, 7, 21, 30, 70, 100, 365, 1000])
def test_split_covers_the_lifecycle_without_gaps_or_overlaps(length: int) -> None:
    spans = split_evenly(length)
    assert [s.stage for s in spans] == list(CYCLE_STAGES)  # long-term development comes after the cycle
    assert spans[0].start_day == 0
    assert spans[-1].end_day == length - 1
    for before, after in pairwise(spans):
        assert after.start_day == before.end_day + 1
    sizes = [s.end_day - s.start_day + 1 for s in spans]
    assert max(sizes) - min(sizes) <= 1
    assert sum(sizes) == length


def test_split_of_21_days() -> None:
    assert [(s.start_day, s.end_day) for s in split_evenly(21)] == [(0, 4), (5, 9), (10, 14), (15, 20)]


@pytest.mark.parametrize("length", [1, 2, 3])
def test_short_lifecycle_gets_one_day_per_stage(length: int) -> None:
    spans = split_evenly(length)
    assert [(s.start_day, s.end_day) for s in spans] == [(d, d) for d in range(length)]


def test_split_of_nothing_is_empty() -> None:
    assert split_evenly(0) == []


def test_split_keeps_focus_texts() -> None:
    current = [StageSpan(stage=Stage.RETENTION, start_day=0, end_day=3, focus="daily check-in")]
    spans = split_evenly(30, current)
    assert {s.stage: s.focus for s in spans}[Stage.RETENTION] == "daily check-in"
    assert {s.stage: s.focus for s in spans}[Stage.ACQUISITION] == ""


@pytest.mark.parametrize(("length", "choice"), [(None, None), (21, 21), (365, 365), (45, CUSTOM_LENGTH)])
def test_length_choice(length: int | None, choice: object) -> None:
    assert length_choice(length) == choice
    assert choice is None or choice in length_options()


def test_keep_one_goal() -> None:
    lifecycle = Lifecycle(goals=[Goal(statement="a"), Goal(statement="b"), Goal(statement="c")])
    assert [g.statement for g in keep_one_goal(lifecycle, 1)] == ["b"]
    assert len(lifecycle.goals) == 3  # untouched
    with pytest.raises(IndexError):
        keep_one_goal(lifecycle, 3)


def test_goal_title_falls_back_to_its_number() -> None:
    assert goal_title(Goal(statement=" Early rise "), 0, "en") == "Early rise"
    assert "2" in goal_title(Goal(), 1, "en")


def test_metric_labels_and_options() -> None:
    assert metric_label("checkin_rate", "zh") == "打卡率"
    assert metric_label("checkin_rate", "en") == "Check-in rate"
    assert metric_label("my own count", "en") == "my own count"
    assert metric_options(["members", "manual one", "", "manual one"]) == [*KPI_METRICS, "manual one"]


def test_a_new_row_starts_with_what_the_plan_lacks() -> None:
    assert next_metric([]) == KPI_METRICS[0]
    assert next_metric([KPI_METRICS[0]]) == KPI_METRICS[1]
    assert next_metric(list(KPI_METRICS)) == KPI_METRICS[0]
    assert next_stage([]) == STAGE_ORDER[0]
    assert next_stage([StageSpan(stage=STAGE_ORDER[0], start_day=0, end_day=3)]) == STAGE_ORDER[1]
    assert next_stage([StageSpan(stage=s, start_day=0, end_day=3) for s in STAGE_ORDER]) == STAGE_ORDER[-1]
