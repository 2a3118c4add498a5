"""Pure helpers behind the lifecycle page: even stage split, the one-goal rule, length presets and
the KPI metrics the analytics module can measure.

Days are counted from 0 (day 0 = the start date, the day of the opening ceremony, as SOP
triggers count them); a stage's range is inclusive, so a lifecycle of L days runs 0 … L-1.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.enums import LIFECYCLE_PRESETS, STAGE_ORDER, Stage
from models.plan import Goal, Lifecycle, StageSpan
from planner import i18n
from planner.data.analysis import KPI_METRICS  # the metrics the analytics measure

CUSTOM_LENGTH = "custom"
CYCLE_STAGES = tuple(s for s in STAGE_ORDER if s != Stage.LONG_TERM)



def split_evenly(length_days: int, current: Sequence[StageSpan] = ()) -> list[StageSpan]:
    """拉新→促活→留存→转化 as contiguous ranges covering days 0 … length-1, as even as whole days
    allow (earlier stages get the shorter share). Focus texts of `current` stages are kept.

    Long-term development (the fifth stage) is what comes after the cycle, so it is not split in;
    a plan adds it by hand or states a long-term goal. A lifecycle shorter than four days gets one
    day for each of its first stages."""
    if length_days < 1:
        return []
    focus = {s.stage: s.focus for s in current}
    stages = CYCLE_STAGES[:length_days]
    n = len(stages)
    bounds = [i * length_days // n for i in range(n + 1)]
    return [
        StageSpan(stage=stage, start_day=bounds[i], end_day=bounds[i + 1] - 1, focus=focus.get(stage, ""))
        for i, stage in enumerate(stages)
    ]


def length_choice(length_days: int | None) -> int | str | None:
    """The preset matching the lifecycle length, "custom" for any other length, None when unset."""
    if length_days is None:
        return None
    return length_days if length_days in LIFECYCLE_PRESETS else CUSTOM_LENGTH


def length_options() -> list[int | str]:
    return [*LIFECYCLE_PRESETS, CUSTOM_LENGTH]


def keep_one_goal(lifecycle: Lifecycle, index: int) -> list[Goal]:
    """The goals list reduced to the goal at `index` (the method asks for a single goal)."""
    if not 0 <= index < len(lifecycle.goals):
        raise IndexError(index)
    return [lifecycle.goals[index].model_copy(deep=True)]


def goal_title(goal: Goal, index: int, lang: str) -> str:
    """A one-line name for a goal when the user must choose among several."""
    return goal.statement.strip() or i18n.t("lifecycle.goal.untitled", lang, n=index + 1)


def metric_label(metric: str, lang: str) -> str:
    """Localized label of a measured KPI metric; free text (a manual KPI) is shown as written."""
    return i18n.t(f"lifecycle.metric.{metric}", lang) if metric in KPI_METRICS else metric


def next_metric(current: Sequence[str]) -> str:
    """A new KPI row's metric: the first measured one the plan does not track yet (else the first)."""
    return next((m for m in KPI_METRICS if m not in current), KPI_METRICS[0])


def next_stage(stages: Sequence[StageSpan]) -> Stage:
    """A new stage row's stage: the first, in order, the plan has no span for yet (else the last)."""
    used = {span.stage for span in stages}
    return next((s for s in STAGE_ORDER if s not in used), STAGE_ORDER[-1])


def metric_options(current: Sequence[str] = ()) -> list[str]:
    """The measured metrics, then any manual metric texts already in the plan (kept selectable)."""
    extra = [m for m in dict.fromkeys(current) if m and m not in KPI_METRICS]
    return [*KPI_METRICS, *extra]
