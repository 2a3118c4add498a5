"""How a lifecycle day is shown: stored counted from 0, read counted from 1 (the opening day is 第 1 天).

Decided here, once, for every part of the planner (the SOP schedule, the plan pages, the member-data
charts and the documents), which all import it from here.
"""

from __future__ import annotations


def display_day(day: int) -> int:
    """The day a person reads for stored lifecycle day `day` (0-based): the opening day is day 1."""
    return day + 1


def stored_day(shown: int) -> int:
    """The stored (0-based) lifecycle day for the day a person typed (counted from 1)."""
    return shown - 1
