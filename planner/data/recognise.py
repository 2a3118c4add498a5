"""Recognising what a table is from its mapped columns: an activity log, a members table or daily
group statistics."""

from __future__ import annotations

KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "activity": ("member_id", "time"),
    "members": ("member_id",),
    "daily": ("date",),
}


def detect_kind(canon_columns: set[str]) -> str | None:
    """Which of the three inputs a set of mapped columns is (None: not enough to tell)."""
    if {"member_id", "time"} <= canon_columns:
        return "activity"
    if "member_id" in canon_columns and canon_columns & {"join_date", "nickname", "channel", "paid", "tier", "tag"}:
        return "members"
    # daily statistics sometimes call their date column 时间 (time)
    if canon_columns & {"date", "time"} and canon_columns & {"member_total", "new_members", "members_spoke",
                                                                "messages"}:
        return "daily"
    if {"member_id", "date"} <= canon_columns:  # an activity log whose time column is only a date
        return "activity"
    return None
