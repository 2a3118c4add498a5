"""The three canonical inputs every member-data source is mapped to, and the result of loading.

Generic spreadsheets (planner/ingest.py) and chat exports (planner/chat_formats/) both produce a
`LoadResult`; analytics only ever sees these columns.

- activity log: member_id (str), nickname (str, may be empty), time (datetime64, local, naive),
  action (str: one of ACTIONS or free text), amount (float, NaN when none)
- members table: member_id, nickname, join_date (datetime64), channel, paid (bool), tier, tag
- daily group statistics: date (datetime64), member_total, new_members, members_spoke, messages
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from models.problems import Problem

ACTIVITY_COLUMNS = ("member_id", "nickname", "time", "action", "amount")
MEMBER_COLUMNS = ("member_id", "nickname", "join_date", "channel", "paid", "tier", "tag")
DAILY_COLUMNS = ("date", "member_total", "new_members", "members_spoke", "messages")

SPEAK = "发言"
CHECKIN = "打卡"
SHARE = "分享"
PURCHASE = "购买"
JOIN = "加入"
REMOVE = "移出"
ACTIONS = (SPEAK, CHECKIN, SHARE, PURCHASE, JOIN, REMOVE)
# Joins and removals are membership changes, not activity: they never count as "active".
NON_ACTIVITY = frozenset({JOIN, REMOVE})


@dataclass
class LoadResult:
    """What one upload (one or more files) turned into."""

    activity: pd.DataFrame | None = None
    members: pd.DataFrame | None = None
    daily: pd.DataFrame | None = None
    format: str = "generic"  # e.g. "wechat_liuhen_v1", "telegram", "generic"
    problems: list[Problem] = field(default_factory=list)  # bad rows and file-level issues
    bad_rows: int = 0

    @property
    def ok(self) -> bool:
        return any(frame is not None for frame in (self.activity, self.members, self.daily))
