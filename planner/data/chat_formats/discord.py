"""DiscordChatExporter CSV: `AuthorID,Author,Date,Content,Attachments,Reactions`, every field quoted.

`Date` is ISO 8601 with an offset in current versions (the wall-clock part is kept as local time) and
`MM/dd/yyyy h:mm tt` in older ones. A server join is the system message `Joined the server.`."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from planner.data.chat_formats._common import (
    JOIN,
    SERVER,
    ChatLoadResult,
    Membership,
    arrow_contains_any,
    assemble,
    empty_messages,
    first_line,
    message_frame,
    read_parts,
)

SLUG = "discord"
HEADER = "AuthorID,Author,Date,Content"
COLUMNS = ("AuthorID", "Author", "Date", "Content")
JOINED = "Joined the server."
# Other system messages DiscordChatExporter writes as plain content: not activity.
SYSTEM = (
    JOINED,
    "Pinned a message.",
    "Started a thread.",
    "Left the group.",
    "Changed the channel name.",
    "Changed the channel icon.",
)


def sniff(name: str, data: bytes) -> bool:
    return first_line(data).replace('"', "").startswith(HEADER)


def _times(dates: pa.ChunkedArray) -> pa.ChunkedArray:
    iso = pc.strptime(pc.utf8_slice_codeunits(dates, 0, 19), format="%Y-%m-%dT%H:%M:%S", unit="s", error_is_null=True)
    old = pc.strptime(dates, format="%m/%d/%Y %I:%M %p", unit="s", error_is_null=True)
    return pc.coalesce(iso, old)


def read(files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool) -> ChatLoadResult:
    tables, problems, bad_rows = read_parts(files, COLUMNS, "Date", _times)
    if not tables:
        return ChatLoadResult(format=SLUG, problems=problems, bad_rows=bad_rows)
    frame = pa.concat_tables(tables).to_pandas()
    content = frame["Content"].str.strip()
    is_system = content.isin(SYSTEM)
    joined = frame.loc[content == JOINED]
    membership = [
        Membership(time, JOIN, member_id=member, name=author, channel=SERVER)
        for time, member, author in zip(joined["time"], joined["AuthorID"], joined["Author"], strict=True)
    ]
    msgs = frame.loc[~is_system]
    if msgs.empty:
        return assemble(SLUG, empty_messages(), membership, keep_self=keep_self, problems=problems, bad_rows=bad_rows)
    texts = pa.chunked_array([pa.array(msgs["Content"].to_numpy(dtype=object), type=pa.string())])
    checkin = arrow_contains_any(texts, keywords).to_pandas()
    checkin.index = msgs.index
    # Discord exports have no "exporting account" marker: nobody is the exporter.
    is_self = msgs["AuthorID"] != msgs["AuthorID"]
    messages = message_frame(msgs["AuthorID"], msgs["Author"], msgs["time"], checkin, is_self)
    return assemble(SLUG, messages, membership, keep_self=True, problems=problems, bad_rows=bad_rows)
