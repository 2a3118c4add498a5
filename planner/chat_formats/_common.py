"""Shared pieces of the chat-export readers: decoding, keyword matching, the WeChat system-message
grammar, name → id resolution and the assembly of the canonical frames.

Every reader turns its file into two things and hands them to `assemble`:
- `messages`: one row per ordinary message (member_id, nickname, time, checkin, is_self) — the text
  itself has already been reduced to the `checkin` flag and is gone;
- `membership`: join / removal events taken from system messages, naming members by id or by name.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from models.problems import Problem
from planner.member_data import ACTIVITY_COLUMNS, CHECKIN, JOIN, MEMBER_COLUMNS, REMOVE, SPEAK, LoadResult

SELF_ID = "self"  # the exporting account when the export does not give its real id
YOU = "你"  # how WeChat system messages name the exporting account
MAX_PROBLEMS = 20  # bad rows beyond this are only counted

# Join channels (LoadResult.members.channel); stable slugs, labelled by the page.
INVITE, QR_CODE, LINK, REQUEST, SERVER = "invite", "qr_code", "link", "request", "server"


@dataclass(frozen=True)
class ChatInfo:
    """One chat of a multi-chat export (Telegram full export): what the page lists for picking."""

    id: str
    name: str
    type: str
    messages: int


@dataclass
class ChatLoadResult(LoadResult):
    """A LoadResult plus what only chat exports know."""

    chats: list[ChatInfo] = field(default_factory=list)  # several chats in the upload: pick one
    chat_id: str | None = None  # the chat that was loaded (when the export holds several)
    chat_name: str = ""
    unrecognised: list[str] = field(default_factory=list)  # uploaded files that are no chat export


@dataclass
class Membership:
    """A join or removal read from a system message; `name` is resolved to an id at assembly."""

    time: pd.Timestamp
    action: str  # JOIN or REMOVE
    member_id: str | None = None
    name: str = ""
    channel: str = ""


# --- bytes and text ---------------------------------------------------------------------------------
def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was read with: UTF-8 (with or without BOM), UTF-16 with a
    BOM, else GB18030 (which accepts GBK and GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace"), "gb18030"


def first_line(data: bytes, limit: int = 4096) -> str:
    head = data[:limit].decode("utf-8-sig", errors="ignore")
    return head.splitlines()[0].strip() if head else ""


def keyword_regex(keywords: Iterable[str]) -> str | None:
    """One case-insensitive alternation of the plan's check-in keywords, or None when there are none."""
    words = sorted({k.strip() for k in keywords if k and k.strip()}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words) or None


def matches_any(text: str, pattern: str | None) -> bool:
    return bool(pattern) and re.search(pattern, text or "", flags=re.IGNORECASE) is not None


def name_id(name: str) -> str:
    """A stable id for a member known only by name (same name → same id, in every run)."""
    return "name-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


# --- WeChat system messages -------------------------------------------------------------------------
_Q = "\"“”「」'"  # the quotes WeChat (and copy-pasted variants) put around names
_NAMES = rf"(?:你和)?[{_Q}][^{_Q}]*[{_Q}](?:[、,，][{_Q}][^{_Q}]*[{_Q}])*|你"
_ACTOR = rf"[{_Q}][^{_Q}]*[{_Q}]|你"
_WECHAT_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    # "A"邀请"B、C"加入了群聊 / 你邀请"B"加入了群聊 / "A"邀请你和"B"加入了群聊
    (re.compile(rf"^(?:{_ACTOR})邀请(?P<names>{_NAMES})加入了?群聊"), JOIN, INVITE),
    # "B"通过扫描"A"分享的二维码加入群聊 / 你通过扫描二维码加入群聊
    (re.compile(rf"^(?P<names>{_NAMES})通过扫描(?:{_ACTOR})?分享的二维码加入了?群聊"), JOIN, QR_CODE),
    (re.compile(rf"^(?P<names>{_NAMES})通过扫描二维码加入了?群聊"), JOIN, QR_CODE),
    # "B"通过"A"分享的链接加入群聊 / "B"通过"A"的邀请链接加入群聊 / "B"通过链接加入群聊
    (re.compile(rf"^(?P<names>{_NAMES})通过(?:(?:{_ACTOR})(?:分享)?的)?(?:邀请)?链接加入了?群聊"), JOIN, LINK),
    # 你将"B"移出了群聊 / "A"将"B、C"移出了群聊
    (re.compile(rf"^(?:{_ACTOR})将(?P<names>{_NAMES})移出了?群聊"), REMOVE, ""),
)


def split_names(fragment: str) -> list[str]:
    """`"B、C"`, `"B"、"C"` or `你和"B"` → ["B", "C"] / ["你", "B"]."""
    names: list[str] = []
    if fragment.startswith("你"):
        names.append(YOU)
        fragment = fragment[1:].removeprefix("和")
    for part in re.split(r"[、,，]", fragment):
        name = part.strip().strip(_Q).strip()
        if name:
            names.append(name)
    return names


def parse_wechat_system(text: str) -> tuple[str, list[str], str] | None:
    """(action, names, channel) for a join or removal message, None for any other system message."""
    text = (text or "").strip()
    for pattern, action, channel in _WECHAT_RULES:
        found = pattern.match(text)
        if found:
            return action, split_names(found.group("names")), channel
    return None


def wechat_membership(rows: Iterable[tuple[pd.Timestamp, str]]) -> list[Membership]:
    """Membership events from (time, text) of WeChat system messages."""
    events: list[Membership] = []
    for time, text in rows:
        parsed = parse_wechat_system(text)
        if parsed is None or pd.isna(time):
            continue
        action, names, channel = parsed
        events.extend(Membership(time=time, action=action, name=name, channel=channel) for name in names)
    return events


# --- problems ---------------------------------------------------------------------------------------
def bad_time_problems(file: str, rows: np.ndarray, column: str, values: Iterable[str]) -> list[Problem]:
    return [
        Problem(key="chat.problem.bad_time", params={"value": str(v)[:40]}, file=file, row=int(r), column=column)
        for r, v in list(zip(rows, values, strict=False))[:MAX_PROBLEMS]
    ]


def unreadable(file: str) -> Problem:
    return Problem(key="chat.problem.unreadable", file=file)


# --- assembly ---------------------------------------------------------------------------------------
def message_frame(
    member_id: pd.Series, nickname: pd.Series, time: pd.Series, checkin: pd.Series, is_self: pd.Series
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "member_id": member_id.astype("str").to_numpy(),
            "nickname": nickname.fillna("").astype("str").to_numpy(),
            "time": pd.to_datetime(time).astype("datetime64[ns]").to_numpy(),
            "checkin": checkin.fillna(False).astype(bool).to_numpy(),
            "is_self": is_self.fillna(False).astype(bool).to_numpy(),
        }
    )


def empty_messages() -> pd.DataFrame:
    return message_frame(*(pd.Series([], dtype=t) for t in ("str", "str", "datetime64[ns]", bool, bool)))


def _name_map(messages: pd.DataFrame, extra: dict[str, str]) -> dict[str, str]:
    """Every name a member was seen with → that member's id (the most frequent id per name)."""
    named = messages.loc[messages["nickname"] != "", ["nickname", "member_id"]]
    counts = named.value_counts().reset_index()  # sorted by count, most frequent first
    mapping = dict(extra)
    for name, member in zip(counts["nickname"], counts["member_id"], strict=True):
        mapping.setdefault(name, member)
    return mapping


def assemble(
    fmt: str,
    messages: pd.DataFrame,
    membership: list[Membership],
    *,
    keep_self: bool,
    self_id: str | None = None,
    names: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    bad_rows: int = 0,
) -> ChatLoadResult:
    """The canonical activity log and members table from messages and membership events.

    `names` maps extra names to ids (e.g. a member sheet); `self_id` is the exporting account's id."""
    self_id = self_id or SELF_ID
    messages = messages.copy()
    messages.loc[messages["is_self"], "member_id"] = self_id
    name_to_id = _name_map(messages, names or {})
    name_to_id[YOU] = self_id

    events = pd.DataFrame(
        {
            "member_id": [e.member_id or name_to_id.get(e.name) or name_id(e.name) for e in membership],
            "nickname": [e.name if e.name != YOU else "" for e in membership],
            "time": pd.to_datetime(pd.Series([e.time for e in membership], dtype="object")).astype("datetime64[ns]"),
            "action": [e.action for e in membership],
            "channel": [e.channel for e in membership],
        }
    )
    acts = pd.DataFrame(
        {
            "member_id": messages["member_id"],
            "nickname": messages["nickname"],
            "time": messages["time"],
            "action": np.where(messages["checkin"].to_numpy(), CHECKIN, SPEAK),
        }
    )
    activity = pd.concat([acts, events[["member_id", "nickname", "time", "action"]]], ignore_index=True)
    activity = activity.sort_values("time", kind="stable", ignore_index=True)
    if not keep_self:
        activity = activity[activity["member_id"] != self_id].reset_index(drop=True)

    # The latest non-empty name each member was seen with names them everywhere.
    named = activity.loc[activity["nickname"] != "", ["member_id", "nickname"]]
    latest = named.drop_duplicates("member_id", keep="last").set_index("member_id")["nickname"]
    activity["nickname"] = activity["member_id"].map(latest).fillna("").astype("str")
    activity["amount"] = np.nan
    activity = activity[list(ACTIVITY_COLUMNS)]

    ids = pd.Index(activity["member_id"].unique(), name="member_id")
    joins = events[events["action"] == JOIN].sort_values("time", kind="stable").drop_duplicates("member_id")
    joins = joins.set_index("member_id")
    members = pd.DataFrame(
        {
            "member_id": ids.astype("str"),
            "nickname": latest.reindex(ids).fillna("").astype("str").to_numpy(),
            "join_date": joins["time"].reindex(ids).dt.normalize().astype("datetime64[ns]").to_numpy(),
            "channel": joins["channel"].reindex(ids).fillna("").astype("str").to_numpy(),
            "paid": np.zeros(len(ids), dtype=bool),
            "tier": "",
            "tag": "",
        }
    )[list(MEMBER_COLUMNS)]
    return ChatLoadResult(
        activity=activity,
        members=members,
        format=fmt,
        problems=list(problems or []),
        bad_rows=bad_rows,
    )


# --- arrow helpers for the big CSV formats ----------------------------------------------------------
def read_csv_strings(data: bytes, columns: Iterable[str]) -> pa.Table:
    """A CSV read by pyarrow with every listed column as text (message text may hold newlines)."""
    columns = list(columns)
    return pacsv.read_csv(
        io.BytesIO(data),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(columns, pa.string()), include_columns=columns, strings_can_be_null=False
        ),
    )


def arrow_contains_any(texts: pa.ChunkedArray, keywords: Iterable[str]) -> pa.ChunkedArray:
    """Whether each text contains one of the keywords (case-insensitive, no regex)."""
    hit = pa.chunked_array([pa.array(np.zeros(len(texts), dtype=bool))])
    for word in {k.strip() for k in keywords if k and k.strip()}:
        hit = pc.or_(hit, pc.match_substring(texts, word, ignore_case=True))
    return hit


def arrow_times(texts: pa.ChunkedArray, formats: Iterable[str]) -> pa.ChunkedArray:
    """Local timestamps parsed from text; the first format that parses a value wins; null = bad."""
    result = None
    for fmt in formats:
        parsed = pc.strptime(texts, format=fmt, unit="s", error_is_null=True)
        result = parsed if result is None else pc.coalesce(result, parsed)
    assert result is not None
    return result


def split_bad_times(
    table: pa.Table, times: pa.ChunkedArray, file: str, column: str, header_rows: int = 1
) -> tuple[pa.Table, list[Problem], int]:
    """The rows whose time parsed (with a `time` column added), their problems, the number left out."""
    valid = pc.is_valid(times)
    bad = len(times) - pc.sum(valid).as_py() if len(times) else 0
    problems: list[Problem] = []
    if bad:
        rows = np.flatnonzero(~valid.to_numpy(zero_copy_only=False))
        values = table[column].take(pa.array(rows[:MAX_PROBLEMS])).to_pylist()
        problems = bad_time_problems(file, rows[:MAX_PROBLEMS] + 1 + header_rows, column, values)
    return table.append_column("time", times).filter(valid), problems, bad


def most_common(values: pa.ChunkedArray | pd.Series) -> str | None:
    series = values.to_pandas() if isinstance(values, pa.ChunkedArray) else values
    series = series[series.astype("str") != ""]
    return None if series.empty else str(series.value_counts().index[0])
