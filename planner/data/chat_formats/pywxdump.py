"""PyWxDump CSV: UTF-8 without BOM, split into parts of 5,000 rows (all parts are read together and
de-duplicated on MsgSvrID). `talker` is the sender's wxid in groups and `我` for the exporting account;
there are no nicknames, so members named in join messages keep a name-derived id."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from planner.data.chat_formats._common import (
    SELF_ID,
    WECHAT_TIMES,
    ChatLoadResult,
    arrow_contains_any,
    arrow_times,
    assemble,
    empty_messages,
    first_line,
    message_frame,
    read_parts,
    wechat_membership,
)

SLUG = "pywxdump"
HEADER = "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime"
COLUMNS = ("id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "CreateTime")
SYSTEM_TYPES = ("系统通知", "邀请加群", "拍一拍", "撤回消息", "系统消息")
TEXT_TYPES = ("文本", "引用回复", "引用消息")
SELF_TALKER = "我"


def sniff(name: str, data: bytes) -> bool:
    return first_line(data).replace('"', "").startswith(HEADER[:40])


def read(files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool) -> ChatLoadResult:
    # parts in name order, so duplicates resolve the same way each time
    tables, problems, bad_rows = read_parts(
        sorted(files), COLUMNS, "CreateTime", lambda texts: arrow_times(texts, WECHAT_TIMES)
    )
    if not tables:
        return ChatLoadResult(format=SLUG, problems=problems, bad_rows=bad_rows)
    frame = pa.concat_tables(tables).to_pandas()
    # Parts can overlap when exported twice: one row per server message id (or per local row).
    key = frame["MsgSvrID"].where(frame["MsgSvrID"] != "", "local:" + frame["id"] + "@" + frame["CreateTime"])
    frame = frame.loc[~key.duplicated()].sort_values("time", kind="stable")

    is_system = frame["type_name"].isin(SYSTEM_TYPES)
    system = frame.loc[is_system]
    membership = wechat_membership(zip(system["time"], system["msg"], strict=True))
    msgs = frame.loc[~is_system]
    if msgs.empty:
        return assemble(SLUG, empty_messages(), membership, keep_self=keep_self, problems=problems, bad_rows=bad_rows)
    is_self = (msgs["is_sender"] == "1") | (msgs["talker"] == SELF_TALKER)
    texts = pa.chunked_array([pa.array(msgs["msg"].to_numpy(dtype=object), type=pa.string())])
    checkin = msgs["type_name"].isin(TEXT_TYPES).to_numpy() & arrow_contains_any(texts, keywords).to_numpy()
    blank = pd.Series("", index=msgs.index)
    messages = message_frame(msgs["talker"], blank, msgs["time"], pd.Series(checkin, index=msgs.index), is_self)
    return assemble(
        SLUG, messages, membership, keep_self=keep_self, self_id=SELF_ID, problems=problems, bad_rows=bad_rows
    )
