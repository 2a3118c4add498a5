"""QQ message manager TXT (legacy PC client): a header block (`消息记录…`, `消息分组:…`,
`消息对象:<group>`), then per message a line `YYYY-MM-DD HH:MM:SS nickname(QQ number)` (or
`nickname<email>`) followed by its text lines. Nicknames may carry a `【管理员】` prefix; joins and
removals come from `系统消息(10000)`. Encoding: UTF-8 or GB18030, detected.

The TXT does not mark the exporting account, so `keep_self` has nothing to leave out here."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

from models.problems import Problem
from planner.data.chat_formats._common import (
    INVITE,
    JOIN,
    MAX_PROBLEMS,
    REMOVE,
    ChatLoadResult,
    Membership,
    assemble,
    keyword_regex,
    matches_any,
    message_frame,
    out_of_range,
    plausible,
    unreadable,
)
from planner.data.columnar import decode_text
from planner.data.text_encoding import mixed_encoding_row

SLUG = "qq"
SYSTEM_ID = "10000"
_HEADER = re.compile(
    r"^(?P<time>\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:\d{2}) (?P<nick>.*?)"
    r"(?:[(（](?P<qq>[^()（）]+)[)）]|<(?P<mail>[^<>]+)>)\s*$"
)
_ROLE = re.compile(r"^【[^】]*】")
_ID_SUFFIX = re.compile(r"^(?P<name>.*?)[(（](?P<qq>\d{5,12})[)）]$")
_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^(?:.+?)邀请(?P<names>.+?)加入了?本群"), JOIN, INVITE),
    (re.compile(r"^(?P<names>.+?)(?:通过.+?)?加入了?本群"), JOIN, ""),
    (re.compile(r"^(?:管理员|群主)?.*?将(?P<names>.+?)移出了?本群"), REMOVE, ""),
    (re.compile(r"^(?P<names>.+?)被.*?移出了?本群"), REMOVE, ""),
    (re.compile(r"^(?P<names>.+?)退出了?本群"), REMOVE, ""),  # leaving ends membership too
)


def sniff(name: str, data: bytes) -> bool:
    try:
        text, _ = decode_text(data[:8192])
    except UnicodeError:  # no text in any encoding we know: not a QQ export
        return False
    return (
        "消息对象:" in text
        or "消息对象：" in text
        or (text.lstrip().startswith("消息记录") and any(_HEADER.match(line) for line in text.splitlines()))
    )


def _system_events(time: pd.Timestamp, text: str) -> list[Membership]:
    for pattern, action, channel in _RULES:
        found = pattern.match(text.strip())
        if not found:
            continue
        events = []
        for part in re.split(r"[、,，]", found.group("names")):
            name = part.strip().strip('"“”')
            suffix = _ID_SUFFIX.match(name)
            if suffix:
                events.append(Membership(time, action, member_id=suffix["qq"], name=suffix["name"], channel=channel))
            elif name:
                events.append(Membership(time, action, name=name, channel=channel))
        return events
    return []


def _blocks(text: str) -> Iterator[tuple[int, re.Match[str], str]]:
    """(line number, header match, message text) for each message of the TXT."""
    header: tuple[int, re.Match[str]] | None = None
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = _HEADER.match(line)
        if found is None:
            body.append(line)
            continue
        if header is not None:
            yield header[0], header[1], "\n".join(body).strip()
        header, body = (number, found), []
    if header is not None:
        yield header[0], header[1], "\n".join(body).strip()


def read(files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool) -> ChatLoadResult:
    pattern = keyword_regex(keywords)
    rows: list[tuple[str, str, pd.Timestamp, bool]] = []
    membership: list[Membership] = []
    problems: list[Problem] = []
    bad_rows = 0
    read_any = False
    for name, data in files:
        try:
            text, encoding = decode_text(data)
        except UnicodeError:  # the head decoded (sniff), the rest does not: mixed encodings, or damaged
            text, encoding = "", ""
        # Read whole as GB18030, a log with UTF-8 parts gets garbled names, or no encoding reads it at all.
        # A log that is UTF-8 throughout is not looked at again.
        mixed = mixed_encoding_row(data) if encoding not in ("utf-8", "utf-16") else None
        if mixed is not None:
            problems.append(Problem(key="data.problem.mixed_encoding", file=name, row=mixed))
            continue
        if not encoding:  # damaged or cut off
            problems.append(Problem(key="chat.problem.encoding", file=name))
            continue
        if not text.strip():
            problems.append(unreadable(name))
            continue
        read_any = True
        for number, header, content in _blocks(text):
            try:
                time = pd.Timestamp(header["time"])
            except ValueError:
                time = None
            if time is None or not plausible(time):
                bad_rows += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append(
                        Problem(key="chat.problem.bad_time", params={"value": header["time"]}, file=name, row=number)
                        if time is None else out_of_range(name, number, None, header["time"])
                    )
                continue
            member = header["qq"] or header["mail"]
            if member == SYSTEM_ID:
                membership.extend(_system_events(time, content))
            else:
                rows.append((member, _ROLE.sub("", header["nick"]).strip(), time, matches_any(content, pattern)))
    if not read_any:  # like the other readers: no file read, no frames
        return ChatLoadResult(format=SLUG, problems=problems, bad_rows=bad_rows)
    frame = pd.DataFrame(rows, columns=["member_id", "nickname", "time", "checkin"])
    frame["time"] = pd.to_datetime(frame["time"])
    messages = message_frame(
        frame["member_id"], frame["nickname"], frame["time"], frame["checkin"], frame["member_id"] != frame["member_id"]
    )
    return assemble(SLUG, messages, membership, keep_self=True, problems=problems, bad_rows=bad_rows)
