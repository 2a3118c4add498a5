"""Telegram Desktop `result.json`: one chat (`{"name", "type", "id", "messages"}`) or a full export
whose chats sit under `chats.list` (and `left_chats.list`); then every chat is listed in
`ChatLoadResult.chats` and one is loaded — the one asked for, else the busiest group.

Messages: `type` "message" or "service"; `date` is local time without offset; `from_id` ("user123")
identifies the sender; `text` is a string or a list of strings and `{type, text}` pieces. Service
messages carry `action`: invite_members (+ members by name), join_group_by_link, join_group_by_request
(the actor joined), remove_members (+ members by name)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import pandas as pd

from models.problems import Problem
from planner.chat_formats._common import (
    INVITE,
    JOIN,
    LINK,
    MAX_PROBLEMS,
    REMOVE,
    REQUEST,
    SELF_ID,
    ChatInfo,
    ChatLoadResult,
    Membership,
    assemble,
    keyword_regex,
    matches_any,
    message_frame,
    unreadable,
)

SLUG = "telegram"
GROUP_TYPES = ("private_group", "private_supergroup", "public_supergroup", "public_channel", "private_channel")
_MESSAGES = re.compile(rb'"messages"\s*:\s*\[')


def sniff(name: str, data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and _MESSAGES.search(data) is not None


def text_of(value: Any) -> str:
    """The plain text of a message: a string, or a list of strings and `{type, text}` pieces."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(text_of(piece.get("text", "") if isinstance(piece, dict) else piece) for piece in value)
    return ""


def _time(message: dict[str, Any]) -> pd.Timestamp | None:
    date = message.get("date")
    try:
        if date:
            stamp = pd.Timestamp(str(date))
            return stamp.tz_localize(None) if stamp.tz else stamp
        unix = message.get("date_unixtime")
        if unix:  # no local date: the machine's local time zone is the best guess
            return pd.Timestamp(datetime.fromtimestamp(int(unix)))
    except (ValueError, TypeError, OverflowError, OSError):
        return None
    return None


def _chats(name: str, export: dict[str, Any]) -> list[tuple[ChatInfo, list[dict[str, Any]]]]:
    def info(chat: dict[str, Any]) -> tuple[ChatInfo, list[dict[str, Any]]]:
        messages = chat.get("messages") if isinstance(chat.get("messages"), list) else []
        chat_id = str(chat.get("id", name))
        return ChatInfo(
            id=chat_id, name=str(chat.get("name") or chat_id), type=str(chat.get("type", "")), messages=len(messages)
        ), messages

    if isinstance(export.get("messages"), list):
        return [info(export)]
    found = []
    for section in ("chats", "left_chats"):
        listing = export.get(section)
        if isinstance(listing, dict) and isinstance(listing.get("list"), list):
            found += [info(chat) for chat in listing["list"] if isinstance(chat, dict)]
    return found


def read(
    files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool, chat: str | None = None
) -> ChatLoadResult:
    chats: list[tuple[ChatInfo, list[dict[str, Any]]]] = []
    problems: list[Problem] = []
    self_id = SELF_ID
    for name, data in files:
        try:
            export = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            problems.append(unreadable(name))
            continue
        if not isinstance(export, dict):
            problems.append(unreadable(name))
            continue
        me = (export.get("personal_information") or {}).get("user_id")
        if me:
            self_id = f"user{me}"
        chats += _chats(name, export)
    if not chats:
        return ChatLoadResult(format=SLUG, problems=problems)
    chosen = next((c for c in chats if c[0].id == chat), None) or max(
        chats, key=lambda c: (c[0].type in GROUP_TYPES, c[0].messages)
    )
    info, raw = chosen
    pattern = keyword_regex(keywords)

    rows: list[tuple[str, str, pd.Timestamp, bool]] = []
    membership: list[Membership] = []
    bad_rows = 0
    for index, message in enumerate(raw):
        if not isinstance(message, dict):
            continue
        time = _time(message)
        if time is None:
            bad_rows += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(
                    Problem(
                        key="chat.problem.bad_time",
                        params={"value": str(message.get("date"))[:40]},
                        row=index + 1,
                        column="date",
                    )
                )
            continue
        if message.get("type") == "message":
            member = str(message.get("from_id") or "")
            if member:
                rows.append(
                    (member, str(message.get("from") or ""), time, matches_any(text_of(message.get("text")), pattern))
                )
            continue
        action = message.get("action")
        actor_id, actor = str(message.get("actor_id") or ""), str(message.get("actor") or "")
        if action == "invite_members":
            membership += [Membership(time, JOIN, name=str(n), channel=INVITE) for n in message.get("members") or []]
        elif action in ("join_group_by_link", "join_group_by_request") and actor_id:
            membership.append(
                Membership(
                    time,
                    JOIN,
                    member_id=actor_id,
                    name=actor,
                    channel=LINK if action == "join_group_by_link" else REQUEST,
                )
            )
        elif action == "remove_members":
            membership += [Membership(time, REMOVE, name=str(n)) for n in message.get("members") or []]

    frame = pd.DataFrame(rows, columns=["member_id", "nickname", "time", "checkin"])
    is_self = frame["member_id"] == self_id
    messages = message_frame(frame["member_id"], frame["nickname"], frame["time"], frame["checkin"], is_self)
    result = assemble(
        SLUG, messages, membership, keep_self=keep_self, self_id=self_id, problems=problems, bad_rows=bad_rows
    )
    result.chats = [c[0] for c in chats] if len(chats) > 1 else []
    result.chat_id, result.chat_name = info.id, info.name
    return result
