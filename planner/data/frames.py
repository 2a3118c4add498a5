"""The three canonical inputs every member-data source is mapped to, and the result of loading.

Generic spreadsheets (planner/data/ingest.py) and chat exports (planner/data/chat_formats/) both produce a
`LoadResult`; analytics only ever sees these columns.

- activity log: member_id (str), nickname (str, may be empty; untrimmed: analytics trims the names it
  shows), time (datetime64, local, naive), action (str: one of ACTIONS or free text), amount (float, NaN when none);
  optionally group (str: the group or batch the row belongs to, from a group column, a chat's name or a file label)
- members table: member_id, nickname, join_date (datetime64), channel, paid (bool), tier, tag
- daily group statistics: date (datetime64), member_total, new_members, members_spoke, messages
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from models.problems import Problem
from planner import i18n

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


# --- header vocabulary -----------------------------------------------------------------------------
# The one table that maps spreadsheet headers to canonical columns, for generic files (planner/ingest)
# and the chat readers that take spreadsheets (企业微信 statistics in planner/data/chat_formats/wecom) alike.
# Spellings are compared by `header_key`; a header with a unit in brackets or a trailing counter
# (群总人数（人）, 消息数(条)) is tried once more without it.
ALIASES: dict[str, tuple[str, ...]] = {
    "member_id": ("成员id", "用户id", "会员id", "userid", "memberid", "uid", "id", "用户编号", "成员编号",
                  "微信号", "wxid", "账号", "user", "member", "成员账号", "客户id", "externaluserid"),
    "nickname": ("昵称", "成员昵称", "用户昵称", "群昵称", "姓名", "名称", "成员", "用户名", "nickname", "name",
                 "displayname", "username", "客户名称", "成员名称"),
    "time": ("时间", "发生时间", "行为时间", "事件时间", "发送时间", "消息时间", "日期时间", "time", "timestamp",
             "datetime", "eventtime", "createdat", "sendtime"),
    "action": ("行为", "动作", "事件", "类型", "行为类型", "事件类型", "消息类型", "action", "event", "type",
               "eventtype", "actiontype"),
    "amount": ("金额", "数额", "支付金额", "订单金额", "amount", "value", "price", "paid_amount", "paidamount"),
    "join_date": ("入群时间", "入群日期", "加入时间", "加入日期", "注册时间", "注册日期", "加群时间", "joindate",
                  "joinedat", "jointime", "joined", "joinedon", "signupdate"),
    "channel": ("渠道", "来源", "入群方式", "来源渠道", "channel", "source", "utmsource"),
    "paid": ("是否付费", "付费", "已付费", "付费状态", "paid", "ispaid", "paying"),
    "tier": ("等级", "会员等级", "档位", "会员类型", "tier", "level", "plan", "membership"),
    "tag": ("标签", "角色", "身份", "tag", "tags", "role", "label"),
    # which group (or batch of a repeated camp) an activity row belongs to: an optional activity column
    "group": ("群名", "群", "群名称", "群聊", "群聊名称", "社群", "所在群", "期数", "批次", "group", "groupname",
              "chatname", "chat", "batch"),
    # 企业微信 statistics: API field names (stat_time …) and the console's Chinese column names
    "date": ("日期", "统计日期", "统计时间", "date", "day", "statdate", "stat_time"),
    "member_total": ("群成员总数", "成员总数", "群成员数", "群人数", "总人数", "群总人数", "成员数", "membertotal",
                     "totalmembers", "members", "membercount", "groupmembers"),
    "new_members": ("新增成员数", "新增群成员数", "新增成员", "新成员数", "入群人数", "新增人数", "新增群人数",
                    "新入群人数", "newmembers", "newmember", "joined members", "joinedmembers", "new",
                    "new_member_cnt", "new_member_count"),
    "members_spoke": ("发言成员数", "发言群成员数", "发言人数", "活跃成员数", "有发言成员数", "发过消息的群成员数",
                      "发过消息的成员数", "membersspoke", "memberswhospoke", "activemembers", "speakers",
                      "membersspeaking", "member_has_msg"),
    "messages": ("消息总数", "群聊消息总数", "群聊消息数", "消息数", "群消息总数", "群消息数", "发言总数", "发言条数",
                 "发言次数", "messages", "messagecount", "totalmessages", "messagestotal", "msg_total",
                 "message_total"),
}
# Columns that are dropped on purpose: message text never leaves a loader.
CONTENT_HEADERS = frozenset({"内容", "消息内容", "发言内容", "content", "message", "text", "body", "msg"})

_UNIT = re.compile(r"（[^）]*）|\([^)]*\)|\[[^]]*]|【[^】]*】")


def header_key(header: object) -> str:
    """A header as compared with the aliases: lower case, without spaces, _ - brackets : # *."""
    return re.sub(r"[\s_\-()（）\[\]【】:：#*]+", "", str(header).strip().lstrip("\ufeff").lower())


_ALIAS_INDEX: dict[str, str] = {}
for _canon, _names in ALIASES.items():
    for _name in _names:
        _ALIAS_INDEX.setdefault(header_key(_name), _canon)


def canonical_column(header: object) -> str | None:
    """The canonical column a header names, or None (units in brackets and 人/个/条 are tried away)."""
    found = _ALIAS_INDEX.get(header_key(header))
    if found is None:
        bare = re.sub(r"[人个条]$", "", header_key(_UNIT.sub("", str(header))))
        found = _ALIAS_INDEX.get(bare)
    return found


def is_content_header(header: object) -> bool:
    return header_key(header) in CONTENT_HEADERS


def map_headers(headers: list[str], override: dict[str, str] | None = None) -> dict[str, str]:
    """{source header: canonical column} for the headers we recognise (override wins; each
    canonical column is taken by the first header that names it)."""
    override = override or {}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        if header in override:
            target = override[header]
            if target:
                mapping[header] = target
                taken.add(target)
    for header in headers:
        if header in override:
            continue
        canon = canonical_column(header)
        if canon and canon not in taken:
            mapping[header] = canon
            taken.add(canon)
    return mapping


@dataclass
class LoadResult:
    """What one upload (one or more files) turned into."""

    activity: pd.DataFrame | None = None
    members: pd.DataFrame | None = None
    daily: pd.DataFrame | None = None
    format: str = "generic"  # e.g. "wechat_liuhen_v1", "telegram", "generic"
    problems: list[Problem] = field(default_factory=list)  # bad rows and file-level issues
    bad_rows: int = 0
    notes: list[Problem] = field(default_factory=list)  # what loading did that the reader should know

    @property
    def ok(self) -> bool:
        return any(frame is not None for frame in (self.activity, self.members, self.daily))


def combine(kind: str, frames: Sequence[pd.DataFrame | None]) -> pd.DataFrame | None:
    """Frames of one kind ("activity", "members", "daily") from several files or readers as one:
    activity in time order; one row per member (the row with the earliest known join date, in the
    order they came); one row per day (the last file's)."""
    present = [f for f in frames if f is not None and not f.empty]
    if not present:
        return next((f for f in frames if f is not None), None)
    carried = {key: sum(f.attrs.get(key, 0) for f in present) for key in (DUPLICATES, ID_MISMATCH)}
    if kind == "activity" and len(present) > 1:
        carried[ID_MISMATCH] += id_spaces_differ(present)
        present, dropped = drop_cross_file_duplicates(present)
        carried[DUPLICATES] += dropped
    frame = present[0] if len(present) == 1 else pd.concat(present, ignore_index=True)
    if kind == "activity":
        if not is_sorted(frame["time"]):  # a sorted log is kept as it is, not copied
            frame = frame.sort_values("time", kind="stable", ignore_index=True)
    elif kind == "members":
        first = frame.sort_values("join_date", na_position="last", kind="stable").drop_duplicates("member_id")
        if len(first) < len(frame):
            frame = frame.loc[first.index.sort_values()].reset_index(drop=True)
    elif kind == "daily":
        frame = frame.drop_duplicates("date", keep="last").sort_values("date", ignore_index=True)
    if any(carried.values()):
        frame.attrs.update({k: v for k, v in carried.items() if v})
    return frame


def is_sorted(times: pd.Series) -> bool:
    """Whether a datetime column never decreases and holds no NaT, as pandas' is_monotonic_increasing says,
    compared on its integers, which takes an eighth of the time for a million times. NaT is the smallest
    integer, so in a column that never decreases it can only be first."""
    values = times.to_numpy(dtype="datetime64[ns]").view(np.int64)
    if not len(values):
        return True
    return bool(values[0] != np.iinfo(np.int64).min and (values[1:] >= values[:-1]).all())


# frame.attrs keys by which combine() tells the loader what it found across files
DUPLICATES = "cross_file_duplicates"
ID_MISMATCH = "id_space_mismatch"
EVENT_KEY = ("member_id", "time", "action", "amount", "group")  # events of two groups are never one event


def drop_cross_file_duplicates(frames: list[pd.DataFrame]) -> tuple[list[pd.DataFrame], int]:
    """Activity frames from different files without the events an earlier file already holds (same member
    id, time, action, amount and group, where tagged): the same log uploaded twice, or in two encodings,
    counts once. Repeats within one file are kept (two check-ins in the same second are two events)."""
    seen = np.zeros(0, dtype=np.uint64)
    out, dropped = [], 0
    for frame in frames:
        cols = [c for c in EVENT_KEY if c in frame]
        keys = pd.util.hash_pandas_object(frame[cols].astype({"member_id": str}), index=False).to_numpy()
        repeat = np.isin(keys, seen) if len(seen) else np.zeros(len(keys), dtype=bool)
        if repeat.any():
            dropped += int(repeat.sum())
            frame = frame[~repeat].reset_index(drop=True)
        out.append(frame)
        seen = np.union1d(seen, keys)
    return [f for f in out if not f.empty] or out[:1], dropped


def id_spaces_differ(frames: list[pd.DataFrame]) -> int:
    """1 when two activity frames share many nicknames but hardly any member ids (a WeChat export keyed
    by wxid beside a log keyed by numbers): their members would be counted twice."""
    def named(frame: pd.DataFrame) -> tuple[set[str], set[str]]:
        names = frame["nickname"].astype(str).str.strip() if "nickname" in frame else pd.Series([], dtype=str)
        return set(frame["member_id"].astype(str).unique()), set(names[names != ""].unique())

    sets = [named(f) for f in frames]
    for i, (ids_a, names_a) in enumerate(sets):
        for ids_b, names_b in sets[i + 1:]:
            smaller_ids = min(len(ids_a), len(ids_b)) or 1
            smaller_names = min(len(names_a), len(names_b))
            if (smaller_names and len(names_a & names_b) >= 0.5 * smaller_names
                    and len(ids_a & ids_b) < 0.1 * smaller_ids):
                return 1
    return 0


def match_by_nickname(result: LoadResult) -> None:
    """Member ids replaced by ids made from the nickname (same name → same member across files), for
    uploads whose files number members differently; rows without a nickname keep their id."""
    import hashlib

    def by_name(frame: pd.DataFrame) -> pd.DataFrame:
        names = frame["nickname"].astype(str).str.strip()
        keyed = names.map(lambda n: "name-" + hashlib.sha1(n.encode("utf-8")).hexdigest()[:10])
        return frame.assign(member_id=keyed.where(names != "", frame["member_id"].astype(str)))

    if result.activity is not None and "nickname" in result.activity:
        result.activity = by_name(result.activity)
    if result.members is not None and "nickname" in result.members:
        result.members = combine("members", [by_name(result.members)])


def merge(results: Sequence[LoadResult], into: LoadResult | None = None) -> LoadResult:
    """Several load results as one: `into` (default the first result) receives the combined frames,
    every problem and bad row, and a format naming each result that loaded something ("wecom+generic")."""
    target = results[0] if into is None else into
    target.activity, target.members, target.daily = (
        combine(kind, [getattr(r, kind) for r in results]) for kind in ("activity", "members", "daily")
    )
    target.problems = [p for r in results for p in r.problems]
    target.bad_rows = sum(r.bad_rows for r in results)
    target.format = "+".join(r.format for r in results if r.ok) or results[0].format
    return target


def format_label(fmt: str, lang: str) -> str:
    """The name of a recognised source for people, e.g. "wecom+generic" → "企业微信客户群数据 + 通用表格"."""
    def one(slug: str) -> str:
        for key in (f"data.format.{slug}", f"chat.format.{slug}"):
            if i18n.has(key, lang):
                return i18n.t(key, lang)
        return slug

    return i18n.t("chat.sep.formats", lang).join(one(slug) for slug in fmt.split("+"))
