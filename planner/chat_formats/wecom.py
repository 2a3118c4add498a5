"""企业微信 (WeCom) customer groups.

- Daily group statistics (客户群统计; API JSON `items: [{stat_time, data: {...}}]`, or a CSV / XLSX
  with English field names or their Chinese meanings as headers, mapped by the header table in
  planner/member_data.py) → `LoadResult.daily`. `stat_time` is Unix seconds at 00:00 China time
  (UTC+8, no daylight saving).
- Group member list (`groupchat/get`: `group_chat.member_list`) → `LoadResult.members`, with the join
  date from `join_time` and the channel from `join_scene`."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pandas as pd

from models.problems import Problem
from planner.chat_formats._common import INVITE, LINK, QR_CODE, ChatLoadResult, unreadable
from planner.columnar import WORKBOOK_ERRORS, decode_text, parse_dates
from planner.member_data import DAILY_COLUMNS, MEMBER_COLUMNS, combine, map_headers

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


def _json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


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


def _dates(values: pd.Series) -> pd.Series:
    """Unix seconds (China time), ISO / slashed / Chinese dates, or Excel date cells → dates."""
    text = values.astype("str").str.strip()
    numeric = pd.to_numeric(text, errors="coerce")
    seconds = numeric.where(numeric > 10**8)
    from_unix = (pd.to_datetime(seconds, unit="s") + CHINA).dt.normalize()
    parsed = parse_dates(text.where(seconds.isna(), "").to_numpy(dtype=object)).times
    from_text = pd.Series(parsed, index=values.index).dt.normalize()
    return from_unix.fillna(from_text).astype("datetime64[ns]")


def _daily_frame(raw: pd.DataFrame, mapping: dict[str, str], file: str) -> tuple[pd.DataFrame, list[Problem], int]:
    frame = raw.rename(columns=mapping)
    out = pd.DataFrame({"date": _dates(frame["date"])})
    for column in DAILY_COLUMNS[1:]:
        out[column] = pd.to_numeric(frame[column], errors="coerce") if column in frame else float("nan")
    bad = out["date"].isna()
    problems = [
        Problem(key="chat.problem.bad_date", params={"value": str(v)[:40]}, file=file, row=int(i) + 2, column="date")
        for i, v in zip(out.index[bad][:20], frame["date"][bad][:20], strict=True)
    ]
    return out.loc[~bad], problems, int(bad.sum())


def _api_daily(payload: Any) -> pd.DataFrame | None:
    items = payload.get("items") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        return None
    rows = []
    for item in items:
        if not isinstance(item, dict) or "stat_time" not in item:
            continue
        data = item.get("data") if isinstance(item.get("data"), dict) else item
        rows.append({"date": item["stat_time"], **{c: data.get(f) for c, f in API_FIELDS.items()}})
    return pd.DataFrame(rows, columns=list(DAILY_COLUMNS)) if rows else None


def _members(payload: Any) -> pd.DataFrame | None:
    chat = payload.get("group_chat", payload) if isinstance(payload, dict) else None
    listing = chat.get("member_list") if isinstance(chat, dict) else None
    if not isinstance(listing, list):
        return None
    rows = [m for m in listing if isinstance(m, dict) and m.get("userid")]
    join = pd.to_numeric(pd.Series([m.get("join_time") for m in rows], dtype="object"), errors="coerce")
    return pd.DataFrame(
        {
            "member_id": [str(m["userid"]) for m in rows],
            "nickname": [str(m.get("group_nickname") or m.get("name") or "") for m in rows],
            "join_date": ((pd.to_datetime(join, unit="s") + CHINA).dt.normalize()).astype("datetime64[ns]"),
            "channel": [SCENES.get(m.get("join_scene"), "") for m in rows],
            "paid": False,
            "tier": "",
            "tag": [MEMBER_TYPES.get(m.get("type"), "") for m in rows],
        },
        columns=list(MEMBER_COLUMNS),
    )


def read(files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool) -> ChatLoadResult:
    daily_parts, member_parts, problems, bad_rows = [], [], [], 0
    for name, data in files:
        payload = _json(data) if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[") else None
        if payload is not None:
            members = _members(payload)
            if members is not None:
                member_parts.append(members)
                continue
            daily = _api_daily(payload)
            if daily is not None:
                frame, found, bad = _daily_frame(daily, {}, name)
                daily_parts.append(frame)
                problems += found
                bad_rows += bad
                continue
            problems.append(unreadable(name))
            continue
        raw = _table(data)
        mapping = daily_mapping(list(raw.columns)) if raw is not None else None
        if raw is None or mapping is None:
            problems.append(unreadable(name))
            continue
        frame, found, bad = _daily_frame(raw, mapping, name)
        daily_parts.append(frame)
        problems += found
        bad_rows += bad
    return ChatLoadResult(daily=combine("daily", daily_parts), members=combine("members", member_parts), format=SLUG,
                          problems=problems, bad_rows=bad_rows)
