"""Shared pieces of the chat-export readers: decoding, keyword matching, the WeChat system-message
grammar, name → id resolution and the assembly of the canonical frames.

Every reader turns its file into two things and hands them to `assemble`:
- `messages`: one row per ordinary message (member_id, nickname, time, checkin, is_self) — the text
  itself has already been reduced to the `checkin` flag and is gone;
- `membership`: join / removal events taken from system messages, naming members by id or by name.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from models.problems import Problem
from planner import concurrency
from planner.data.columnar import WORKBOOK_ERRORS, arrow_outside_window, date_window, dictionary_codes, window_params
from planner.data.frames import ACTIVITY_COLUMNS, CHECKIN, JOIN, MEMBER_COLUMNS, REMOVE, SPEAK, LoadResult

T = TypeVar("T")
SELF_ID = "self"  # the exporting account when the export does not give its real id
YOU = "你"  # how WeChat system messages name the exporting account
WECHAT_TIMES = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")  # local times in WeChat exports
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
# A name is delimited by a matching pair of outer quotes, so quotes of another kind and commas inside
# it are part of the name: "Alexander 'Leo' Bergolth", "Bergolth, Alexander".
_QUOTED = r""""[^"]*"|“[^”"]*[”"]|「[^」]*」|'[^']*'"""
_NAMES = rf"(?:你和)?(?:{_QUOTED})(?:[、,，](?:{_QUOTED}))*|你"
_ACTOR = rf"{_QUOTED}|你"
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
    for quoted in re.finditer(_QUOTED, fragment):
        # several names inside one pair of quotes are separated by 、 (a comma may be part of a name)
        for part in quoted.group()[1:-1].split("、"):
            name = part.strip()
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
def out_of_range(file: str | None, row: int | None, column: str | None, value: object) -> Problem:
    """A time read fine but outside `columnar.date_window` (the same message as the generic loader's)."""
    return Problem(key="data.problem.date_out_of_range", params={"value": str(value)[:40], **window_params()},
                   file=file, row=row, column=column)


def plausible(time: pd.Timestamp) -> bool:
    """Whether one time read from an export lies inside `columnar.date_window`."""
    low, high = date_window()
    return bool(low <= time.to_datetime64() <= high)


def unreadable(file: str) -> Problem:
    return Problem(key="chat.problem.unreadable", file=file)


def bad_field(file: str, row: int | None, field: str) -> Problem:
    """One entry (a message, a member) whose `field` holds the wrong kind of value: that entry is skipped."""
    return Problem(key="chat.problem.bad_field", file=file, row=row, column=field)


def bad_structure(file: str, path: str) -> Problem:
    """A part of a JSON export (`path`, e.g. "messages" or "chats.list") that is not what the format has."""
    return Problem(key="chat.problem.bad_structure", file=file, column=path)


def load_json(file: str, data: bytes) -> tuple[Any, Problem | None]:
    """The parsed JSON of an export, or None and why not. Nesting deeper than Python's recursion limit
    (no real export comes near it) raises RecursionError in the parser: reported, not raised."""
    try:
        return json.loads(data.decode("utf-8-sig")), None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, unreadable(file)
    except RecursionError:
        return None, Problem(key="chat.problem.too_deep", file=file)


# --- assembly ---------------------------------------------------------------------------------------
Column = pd.Series | pa.Array | pa.ChunkedArray | np.ndarray
MESSAGE_SCHEMA = pa.schema(
    [
        ("member_id", pa.string()),
        ("nickname", pa.string()),
        ("time", pa.timestamp("ns")),
        ("checkin", pa.bool_()),
        ("is_self", pa.bool_()),
    ]
)


def _arrow(values: Column, kind: pa.DataType) -> pa.ChunkedArray:
    if isinstance(values, pd.Series):
        values = values.reset_index(drop=True)
        if kind == pa.string():
            values = values.fillna("").astype("str")
        elif kind == pa.bool_():
            values = values.fillna(False).astype(bool)
    array = values if isinstance(values, pa.ChunkedArray | pa.Array) else pa.array(values)
    if isinstance(array, pa.Array):
        array = pa.chunked_array([array])
    if array.type != kind:
        array = array.cast(kind)
    return pc.fill_null(array, "" if kind == pa.string() else False) if kind in (pa.string(), pa.bool_()) else array


def message_frame(member_id: Column, nickname: Column, time: Column, checkin: Column, is_self: Column) -> pa.Table:
    """The messages of an export as an arrow table (text already reduced to the `checkin` flag)."""
    return pa.Table.from_arrays(
        [_arrow(v, f.type) for v, f in zip((member_id, nickname, time, checkin, is_self), MESSAGE_SCHEMA, strict=True)],
        schema=MESSAGE_SCHEMA,
    )


def empty_messages() -> pa.Table:
    return MESSAGE_SCHEMA.empty_table()


def _ns(times: pa.ChunkedArray) -> np.ndarray:
    """int64 nanoseconds of a timestamp column (nulls never reach here)."""
    return np.asarray(times.cast(pa.timestamp("ns")).to_numpy(), dtype="datetime64[ns]").view(np.int64)


def _merge_order(first: np.ndarray, second: np.ndarray) -> np.ndarray | None:
    """The stable time order of `first` followed by `second` (None: already in order). Two sorted runs
    are merged by binary search; anything else is sorted."""
    if not len(second) and (len(first) < 2 or (first[1:] >= first[:-1]).all()):
        return None
    sorted_runs = all(len(x) < 2 or (x[1:] >= x[:-1]).all() for x in (first, second))
    if not sorted_runs:
        return np.argsort(np.concatenate([first, second]), kind="stable")
    slots = np.searchsorted(first, second, side="right") + np.arange(len(second))  # ties: messages first
    if (slots == np.arange(len(first), len(first) + len(second))).all():
        return None  # every event comes after every message
    order = np.empty(len(first) + len(second), dtype=np.int64)
    is_event = np.zeros(len(order), dtype=bool)
    is_event[slots] = True
    order[is_event] = len(first) + np.arange(len(second))
    order[~is_event] = np.arange(len(first))
    return order


def _name_map(messages: pa.Table, wanted: set[str]) -> dict[str, str]:
    """The names in `wanted` → the id most often seen with that name in the messages."""
    if not wanted or messages.num_rows == 0:
        return {}
    pairs = messages.select(["nickname", "member_id"])
    rows = pairs.filter(pc.is_in(pairs["nickname"], value_set=pa.array(sorted(wanted), pa.string())))
    counts = rows.group_by(["nickname", "member_id"]).aggregate([([], "count_all")])
    # most frequent pair first; equal counts: the smaller id, so that every run resolves alike
    counts = counts.sort_by([("count_all", "descending"), ("member_id", "ascending")])
    mapping: dict[str, str] = {}
    for name, member in zip(counts["nickname"].to_pylist(), counts["member_id"].to_pylist(), strict=True):
        mapping.setdefault(name, member)
    return mapping


def assemble(
    fmt: str,
    messages: pa.Table,
    membership: list[Membership],
    *,
    keep_self: bool,
    self_id: str | None = None,
    names: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    bad_rows: int = 0,
) -> ChatLoadResult:
    """The canonical activity log and members table from messages and membership events.

    Works on arrow arrays and integer codes (no per-row Python): a 500,000-message export must stay
    within a small multiple of a bare CSV read. `names` maps extra names to ids (e.g. a member sheet);
    `self_id` is the exporting account's id."""
    self_id = self_id or SELF_ID
    member = pc.if_else(messages["is_self"], self_id, messages["member_id"])
    messages = messages.set_column(0, "member_id", member)
    name_to_id = dict(names or {})
    wanted = {e.name for e in membership if not e.member_id and e.name and e.name not in name_to_id} - {YOU}
    name_to_id = {**_name_map(messages, wanted), **name_to_id, YOU: self_id}

    events = pa.table(
        {
            "member_id": pa.array(
                [e.member_id or name_to_id.get(e.name) or name_id(e.name) for e in membership], pa.string()
            ),
            "nickname": pa.array([e.name if e.name != YOU else "" for e in membership], pa.string()),
            "time": pa.array(np.array([pd.Timestamp(e.time).value for e in membership], dtype=np.int64).view("M8[ns]")),
            "action": pa.array([e.action for e in membership], pa.string()),
        }
    )
    # Messages and membership events in time order. Both are usually sorted already, so the order is a
    # merge of two runs; only integer codes and times are permuted, never the text columns.
    msg_times = _ns(messages["time"])
    ev_times = _ns(events["time"])
    order = _merge_order(msg_times, ev_times)
    times = np.concatenate([msg_times, ev_times])
    member_all = pa.chunked_array([*messages["member_id"].chunks, *events["member_id"].chunks], pa.string())
    codes, ids = dictionary_codes(member_all)
    action_codes = np.concatenate([
        np.where(messages["checkin"].to_numpy(zero_copy_only=False), 1, 0).astype(np.int8),
        np.array([2 if e.action == JOIN else 3 for e in membership], dtype=np.int8),
    ])
    keep = None if keep_self else np.flatnonzero(ids.to_numpy(zero_copy_only=False) == self_id)
    if order is not None:
        times, codes, action_codes = times[order], codes[order], action_codes[order]
    if keep is not None and len(keep):
        kept = codes != keep[0]
        times, codes, action_codes = times[kept], codes[kept], action_codes[kept]
        order = (order if order is not None else np.arange(len(kept)))[kept]

    # The latest non-empty name each member was seen with names them everywhere.
    nick_all = pa.chunked_array([*messages["nickname"].chunks, *events["nickname"].chunks], pa.string())
    row_named = pc.not_equal(nick_all, "").to_numpy(zero_copy_only=False)
    named = np.flatnonzero(row_named if order is None else row_named[order])  # positions in time order
    latest_pos = np.full(len(ids), -1, dtype=np.int64)
    np.maximum.at(latest_pos, codes[named], named)
    source_row = latest_pos if order is None else np.where(latest_pos >= 0, order[np.maximum(latest_pos, 0)], -1)
    latest = pc.fill_null(nick_all.take(pa.array(source_row, mask=source_row < 0)), "")
    latest = latest.combine_chunks() if isinstance(latest, pa.ChunkedArray) else latest

    # ids in order of first appearance in time (the members table's order), as before the merge
    first = np.full(len(ids), len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    present = np.flatnonzero(first < len(codes))
    rank = np.full(len(ids), -1, dtype=np.int64)
    rank[present[np.argsort(first[present], kind="stable")]] = np.arange(len(present))
    by_rank = np.argsort(np.where(rank >= 0, rank, len(ids)), kind="stable")[: len(present)]
    ids, latest, codes = ids.take(pa.array(by_rank)), latest.take(pa.array(by_rank)), rank[codes]

    activity = pd.DataFrame(
        {
            "member_id": pd.Categorical.from_codes(codes, categories=pd.Index(ids.to_pandas(), dtype="str")),
            "nickname": latest.take(pa.array(codes)).to_pandas(),
            "time": times.view("M8[ns]"),
            "action": pd.Categorical.from_codes(action_codes, categories=pd.Index([SPEAK, CHECKIN, JOIN, REMOVE],
                                                                                   dtype="str")),
            "amount": np.full(len(codes), np.nan),
        }
    )[list(ACTIVITY_COLUMNS)]

    member_ids = pd.Index(ids.to_pandas().astype("str"), name="member_id")
    join_events = events.to_pandas()
    channels = pd.Series([e.channel for e in membership], dtype="str")
    joins = join_events.assign(channel=channels)
    joins = joins[joins["action"] == JOIN].sort_values("time", kind="stable").drop_duplicates("member_id")
    joins = joins.set_index("member_id")
    members = pd.DataFrame(
        {
            "member_id": member_ids,
            "nickname": latest.to_pandas().astype("str").to_numpy(),
            "join_date": joins["time"].reindex(member_ids).dt.normalize().astype("datetime64[ns]").to_numpy(),
            "channel": joins["channel"].reindex(member_ids).fillna("").astype("str").to_numpy(),
            "paid": np.zeros(len(member_ids), dtype=bool),
            "tier": "",
            "tag": "",
        }
    )[list(MEMBER_COLUMNS)].reset_index(drop=True)
    return ChatLoadResult(
        activity=activity,
        members=members,
        format=fmt,
        problems=list(problems or []),
        bad_rows=bad_rows,
    )


# --- arrow helpers for the big CSV formats ----------------------------------------------------------
def read_csv_strings(data: bytes, columns: Iterable[str]) -> pa.Table:
    """A CSV read by pyarrow with every listed column as text. Message text may hold line breaks: the
    fast read splits blocks at line ends, and when a block boundary cut a quoted message the parse fails
    and the file is read again allowing breaks inside values."""
    columns = list(columns)
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(columns, pa.string()), include_columns=columns, strings_can_be_null=False
    )
    try:
        return pacsv.read_csv(pa.py_buffer(data), convert_options=convert)
    except pa.ArrowInvalid:
        return pacsv.read_csv(
            pa.py_buffer(data), parse_options=pacsv.ParseOptions(newlines_in_values=True), convert_options=convert
        )


def arrow_contains_any(texts: pa.ChunkedArray, keywords: Iterable[str]) -> pa.ChunkedArray:
    """Whether each text contains one of the keywords (case-insensitive): one RE2 pass over the column."""
    pattern = keyword_regex(keywords)
    if pattern is None:
        return pa.chunked_array([pa.array(np.zeros(len(texts), dtype=bool))])
    # Case folding costs time: only ask for it when a keyword has letters.
    caseless = pattern.lower() != pattern.upper()
    return pc.match_substring_regex(texts, ("(?i)" if caseless else "") + pattern)


def arrow_times(texts: pa.ChunkedArray, formats: Iterable[str]) -> pa.ChunkedArray:
    """Local timestamps parsed from text; null = unreadable. ISO `YYYY-MM-DD HH:MM:SS` takes the fast
    cast; otherwise the first of `formats` that parses a value wins."""
    try:
        return texts.cast(pa.timestamp("s"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    result = None
    for fmt in formats:
        parsed = pc.strptime(texts, format=fmt, unit="s", error_is_null=True)
        result = parsed if result is None else pc.coalesce(result, parsed)
    assert result is not None
    return result


def split_bad_times(
    table: pa.Table, times: pa.ChunkedArray, file: str, column: str, header_rows: int = 1
) -> tuple[pa.Table, list[Problem], int]:
    """The rows whose time parsed and is plausible (with a `time` column added), their problems, the
    number left out."""
    valid = pc.is_valid(times)
    outside = arrow_outside_window(times)  # year 2999 would not even fit the nanoseconds of assembly
    if outside is not None:
        valid = pc.and_(valid, pc.invert(outside))
    bad = len(times) - pc.sum(valid).as_py() if len(times) else 0
    problems: list[Problem] = []
    if bad:
        rows = np.flatnonzero(~valid.to_numpy(zero_copy_only=False))[:MAX_PROBLEMS]
        values = table[column].take(pa.array(rows)).to_pylist()
        far = np.zeros(len(rows), dtype=bool) if outside is None else outside.to_numpy(zero_copy_only=False)[rows]
        file_rows = rows + 1 + header_rows
        problems = [out_of_range(file, int(r), column, v) if f else
                    Problem(key="chat.problem.bad_time", params={"value": str(v)[:40]}, file=file, row=int(r),
                            column=column)
                    for r, v, f in zip(file_rows, values, far, strict=True)]
    table = table.append_column("time", times)
    return (table.filter(valid) if bad else table), problems, bad  # a clean file is not copied


def read_parts(
    files: list[tuple[str, bytes]],
    columns: Iterable[str],
    time_column: str,
    parse_times: Callable[[pa.ChunkedArray], pa.ChunkedArray],
    read: Callable[[bytes], pa.Table] | None = None,
) -> tuple[list[pa.Table], list[Problem], int]:
    """Every file of a CSV-style export as a text table (`read`, default `read_csv_strings`) with a
    parsed `time` column; unreadable files and rows whose time does not parse are reported and left
    out. Returns (tables, problems, bad rows)."""
    columns = list(columns)
    tables: list[pa.Table] = []
    problems: list[Problem] = []
    bad_rows = 0
    for name, data in files:
        try:
            table = read(data) if read is not None else read_csv_strings(data, columns)
        except (pa.ArrowInvalid, ValueError, UnicodeError, *WORKBOOK_ERRORS):  # a damaged file, not a bug
            problems.append(unreadable(name))
            continue
        table, file_problems, bad = split_bad_times(table, parse_times(table[time_column]), name, time_column)
        tables.append(table)
        problems += file_problems
        bad_rows += bad
    return tables, problems, bad_rows


BACKGROUND_MIN_ROWS = 100_000  # below this, a second thread costs more than it saves


def in_background(work: Callable[[], T], rows: int) -> Future[T]:
    """`work` started on a second thread for a large export (its result via `.result()`), else done now."""
    return concurrency.in_background(work, rows >= BACKGROUND_MIN_ROWS)


def most_common(values: pa.ChunkedArray | pa.Array) -> str | None:
    """The most frequent non-empty text (on a tie, the first seen), or None."""
    values = pc.filter(values, pc.not_equal(values, ""))
    if not len(values):
        return None
    counts = pc.value_counts(values)  # distinct values in order of first appearance
    best = int(np.argmax(counts.field("counts").to_numpy(zero_copy_only=False)))
    return str(counts.field("values")[best].as_py())
