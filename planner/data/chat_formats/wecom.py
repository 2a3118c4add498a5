"""企业微信 (WeCom) customer groups.

- Daily group statistics (客户群统计; API JSON `items: [{stat_time, data: {...}}]`, or a CSV / XLSX
  with English field names or their Chinese meanings as headers, mapped by the header table in
  planner/data/frames.py) → `LoadResult.daily`. `stat_time` is Unix seconds at 00:00 China time
  (UTC+8, no daylight saving).
- Group member list (`groupchat/get`: `group_chat.member_list`) → `LoadResult.members`, with the join
  date from `join_time` and the channel from `join_scene`. Member lists of two or more groups named in
  `group_chat.name` also give their joins as activity tagged with the group, for the group comparison.
- A daily sheet with a group column (群名 …) holding several groups is added up per day."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import numpy as np
import pandas as pd

from models.problems import Problem
from planner.data.chat_formats._common import (
    INVITE,
    LINK,
    MAX_PROBLEMS,
    QR_CODE,
    ChatLoadResult,
    bad_field,
    load_json,
    out_of_range,
    unreadable,
)
from planner.data.columnar import WORKBOOK_ERRORS, decode_text, outside_window, parse_dates
from planner.data.frames import DAILY_COLUMNS, JOIN, MEMBER_COLUMNS, combine, map_headers

SLUG = "wecom"
CHINA = pd.Timedelta(hours=8)
SCENES = {1: INVITE, 2: LINK, 3: QR_CODE}
MEMBER_TYPES = {1: "staff", 2: "external"}

API_FIELDS = {
    "member_total": "member_total",
    "new_members": "new_member_cnt",
    "members_spoke": "member_has_msg",
    "messages": "msg_total",
}


def daily_mapping(headers: list[object]) -> dict[str, str] | None:
    """Header as found → canonical daily column, by the header table every loader shares
    (`member_data.map_headers`); a 时间 / time column stands for the date when there is no date column.
    None when the headers are no daily statistics sheet: that needs a date and at least two of the
    counts, and no member column (that would be a member-level log) among all the headers."""
    mapping = map_headers([str(h) for h in headers])
    if "member_id" in mapping.values():
        return None
    if "date" not in mapping.values():
        mapping = {h: ("date" if c == "time" else c) for h, c in mapping.items()}
    daily = {h: c for h, c in mapping.items() if c in DAILY_COLUMNS}
    found = set(daily.values())
    return daily if "date" in found and len(found - {"date"}) >= 2 else None


def _table(data: bytes) -> pd.DataFrame | None:
    """A CSV or XLSX as text cells (None when it is neither)."""
    try:
        if data[:4] == b"PK\x03\x04":
            return pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        text, _ = decode_text(data)
        return pd.read_csv(io.StringIO(text), dtype=str, sep=None, engine="python", keep_default_na=False)
    except (*WORKBOOK_ERRORS, UnicodeError, csv.Error, ValueError):  # damaged (pandas' parse errors are ValueErrors)
        return None


def sniff(name: str, data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return b'"stat_time"' in data or (b'"member_list"' in data and b'"join_time"' in data)
    if data[:4] == b"PK\x03\x04":
        try:
            headers = list(pd.read_excel(io.BytesIO(data), nrows=0, engine="openpyxl").columns)
        except WORKBOOK_ERRORS:  # a damaged workbook is not recognised; the generic loader reports it
            return False
    elif b"\x00" not in data[:1024]:
        try:
            lines = decode_text(data[:4096])[0].splitlines()
        except UnicodeError:  # no text in any encoding we know
            return False
        if not lines:
            return False
        headers = re.split(r"[,;\t]", lines[0])
    else:
        return False
    return daily_mapping([h.strip().strip('"') if isinstance(h, str) else h for h in headers]) is not None


def _unix_days(seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days (datetime64[ns], China time) of Unix seconds (float, NaN where none), and which of them lie
    outside the plausible window (then NaT). Counted in seconds: nanoseconds overflow past 2262."""
    fits = np.isfinite(seconds) & (np.abs(seconds) < 1e12)  # 1e12 s is year 33658: far outside anyway
    stamps = np.full(len(seconds), np.datetime64("NaT"), dtype="datetime64[s]")
    stamps[fits] = seconds[fits].astype(np.int64).astype("datetime64[s]") + np.timedelta64(8, "h")
    outside = outside_window(stamps) | (np.isfinite(seconds) & ~fits)
    days = np.where(outside, np.datetime64("NaT"), stamps.astype("datetime64[D]"))
    return days.astype("datetime64[ns]"), outside


def _dates(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Unix seconds (China time), ISO / slashed / Chinese dates, or Excel date cells → dates (NaT where
    unreadable or implausible), and which were read but lie outside the plausible window."""
    text = values.astype("str").str.strip()
    numeric = pd.to_numeric(text, errors="coerce")
    seconds = numeric.where(numeric > 10**8).to_numpy(dtype="float64")
    from_unix, unix_outside = _unix_days(seconds)
    parsed = parse_dates(text.where(np.isnan(seconds), "").to_numpy(dtype=object))
    from_text = parsed.times.astype("datetime64[D]").astype("datetime64[ns]")
    dates = np.where(np.isnan(seconds), from_text, from_unix)
    return pd.Series(dates, index=values.index), unix_outside | parsed.outside


def _daily_frame(raw: pd.DataFrame, mapping: dict[str, str], file: str, first_row: int = 2
                 ) -> tuple[pd.DataFrame, list[Problem], int]:
    """`first_row`: what a problem calls the row at index 0 (a sheet's first row under its header is 2)."""
    frame = raw.rename(columns=mapping)
    dates, outside = _dates(frame["date"])
    out = pd.DataFrame({"date": dates})
    for column in DAILY_COLUMNS[1:]:
        out[column] = pd.to_numeric(frame[column], errors="coerce") if column in frame else float("nan")
    bad = out["date"].isna().to_numpy()
    problems = [
        out_of_range(file, int(i) + first_row, "date", v) if far else
        Problem(key="chat.problem.bad_date", params={"value": str(v)[:40]}, file=file, row=int(i) + first_row,
                column="date")
        for i, v, far in zip(out.index[bad][:MAX_PROBLEMS], frame["date"][bad][:MAX_PROBLEMS],
                             outside[bad][:MAX_PROBLEMS], strict=True)
    ]
    return out.loc[~bad], problems, int(bad.sum())


def _number(value: Any) -> float:
    """A count or Unix time from JSON: a number or numeric text, else NaN (never a list or an object)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return float("nan")
    try:
        return float(value)
    except ValueError:
        return float("nan")


def _api_daily(payload: Any, file: str, problems: list[Problem]) -> tuple[pd.DataFrame | None, int]:
    """Daily statistics from the API JSON, and how many items were left out (reported in `problems`)."""
    items = payload.get("items") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        return None, 0
    rows, numbers, skipped = [], [], 0
    for number, item in enumerate(items):
        if isinstance(item, dict) and "stat_time" not in item:
            continue
        data = item.get("data", item) if isinstance(item, dict) else None
        if not isinstance(data, dict):  # an item that is no object, or whose data is none
            skipped += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(bad_field(file, number + 1, "items" if not isinstance(item, dict) else "data"))
            continue
        stat_time = item["stat_time"]
        numbers.append(number)
        rows.append({"date": stat_time if isinstance(stat_time, int | float | str) else "",
                     **{c: _number(data.get(f)) for c, f in API_FIELDS.items()}})
    # indexed by item (0-based): a problem names the item's place in the list
    return (pd.DataFrame(rows, columns=list(DAILY_COLUMNS), index=numbers) if rows else None), skipped


def _members(payload: Any, file: str, problems: list[Problem]) -> tuple[pd.DataFrame | None, int]:
    """The group member list, and how many members were left out (reported in `problems`)."""
    chat = payload.get("group_chat", payload) if isinstance(payload, dict) else None
    listing = chat.get("member_list") if isinstance(chat, dict) else None
    if not isinstance(listing, list):
        return None, 0
    rows: list[tuple[int, dict[str, Any]]] = []
    bad: list[Problem] = []
    for number, member in enumerate(listing, start=1):
        if not isinstance(member, dict):
            bad.append(bad_field(file, number, "member_list"))
        elif not isinstance(member.get("userid"), str | int) or isinstance(member.get("userid"), bool):
            if member.get("userid") not in (None, ""):
                bad.append(bad_field(file, number, "userid"))
        elif member["userid"] != "":
            rows.append((number, member))
    join_days, outside = _unix_days(np.array([_number(m.get("join_time")) for _, m in rows], dtype="float64"))
    for (number, member), far in zip(rows, outside, strict=True):
        if far:
            bad.append(out_of_range(file, number, "join_time", member.get("join_time")))
    rows = [row for row, far in zip(rows, outside, strict=True) if not far]
    join_days = join_days[~outside]
    problems += bad[: max(0, MAX_PROBLEMS - len(problems))]
    members = [m for _, m in rows]

    def text(value: Any) -> str:
        return value if isinstance(value, str) else ""

    return pd.DataFrame(
        {
            "member_id": [str(m["userid"]) for m in members],
            "nickname": [text(m.get("group_nickname")) or text(m.get("name")) for m in members],
            "join_date": join_days,
            # .get on these tables takes only hashable keys: a list or an object here is no known scene
            "channel": [SCENES.get(m.get("join_scene"), "") if isinstance(m.get("join_scene"), int) else ""
                        for m in members],
            "paid": False,
            "tier": "",
            "tag": [MEMBER_TYPES.get(m.get("type"), "") if isinstance(m.get("type"), int) else "" for m in members],
        },
        columns=list(MEMBER_COLUMNS),
    ), len(bad)


def _group_name(payload: Any) -> str:
    """The group's name in a member list (`group_chat.name`), else ""."""
    chat = payload.get("group_chat") if isinstance(payload, dict) else None
    name = chat.get("name") if isinstance(chat, dict) else None
    return name.strip() if isinstance(name, str) else ""


def _joins_by_group(named: list[tuple[pd.DataFrame, str]]) -> pd.DataFrame | None:
    """Member lists of two or more named groups as join events tagged with their group (the group comparison
    needs events; a member list's only events are the joins), else None."""
    if len({name for _, name in named if name}) < 2:
        return None
    parts = [pd.DataFrame({"member_id": members["member_id"], "nickname": members["nickname"],
                           "time": members["join_date"], "action": JOIN, "amount": np.nan, "group": name})
             for members, name in named if name]
    joins = pd.concat(parts, ignore_index=True)
    joins = joins[joins["time"].notna()].sort_values("time", kind="stable", ignore_index=True)
    return joins.astype({"member_id": "category", "action": "category", "group": "category"})


def _sum_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Daily statistics of several groups in one sheet (a group column) as one row per day: the counts of
    the groups added up (keeping one group's row per day would silently drop the others)."""
    return frame.groupby("date", as_index=False, sort=True).sum(min_count=1)


def read(files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool) -> ChatLoadResult:
    daily_parts, member_parts, problems, bad_rows = [], [], [], 0
    named: list[tuple[pd.DataFrame, str]] = []  # each member list with its group's name
    notes: list[Problem] = []
    for name, data in files:
        if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
            payload, problem = load_json(name, data)
            if problem is not None:
                problems.append(problem)
                continue
            members, skipped = _members(payload, name, problems)
            if members is not None:
                member_parts.append(members)
                named.append((members, _group_name(payload)))
                bad_rows += skipped
                continue
            daily, skipped = _api_daily(payload, name, problems)
            bad_rows += skipped
            if daily is not None:
                frame, found, bad = _daily_frame(daily, {}, name, first_row=1)
                daily_parts.append(frame)
                problems += found
                bad_rows += bad
                continue
            if not skipped:
                problems.append(unreadable(name))
            continue
        raw = _table(data)
        mapping = daily_mapping(list(raw.columns)) if raw is not None else None
        if raw is None or mapping is None:
            problems.append(unreadable(name))
            continue
        frame, found, bad = _daily_frame(raw, mapping, name)
        group = next((h for h, c in map_headers([str(h) for h in raw.columns]).items() if c == "group"), None)
        if group is not None:
            groups = raw.loc[frame.index, group].astype("str").str.strip()
            if groups.nunique() > 1:
                frame = _sum_groups(frame)
                notes.append(Problem(key="chat.note.daily_groups_summed", params={"count": int(groups.nunique())},
                                     file=name))
        daily_parts.append(frame)
        problems += found
        bad_rows += bad
    return ChatLoadResult(daily=combine("daily", daily_parts), members=combine("members", member_parts), format=SLUG,
                          activity=_joins_by_group(named), problems=problems, bad_rows=bad_rows, notes=notes)
