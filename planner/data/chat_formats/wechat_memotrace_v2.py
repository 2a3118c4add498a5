"""留痕 / MemoTrace v2 (WeChat 4.x): CSV (UTF-8 with BOM) or XLSX whose extra sheet `成员信息` lists
the group's members (wxid, 微信号, 类型, 群昵称, 昵称 …) and lets names be resolved to wxids.

`类型` is a Chinese type name (文本, 图片, 系统消息, 拍一拍 …); `发送人` names the sender (a wxid, or a
name that the member sheet resolves); `我` is the exporting account."""

from __future__ import annotations

import io
import re
import zipfile

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
    read_csv_strings,
    read_parts,
    wechat_membership,
)
from planner.data.columnar import WORKBOOK_ERRORS

SLUG = "wechat_memotrace_v2"
HEADER = ("消息ID", "类型", "发送人", "时间", "内容", "备注", "昵称", "更多信息")
COLUMNS = ("类型", "发送人", "时间", "内容", "备注", "昵称")
MEMBER_SHEET = "成员信息"
SYSTEM_TYPES = ("系统消息", "拍一拍", "撤回消息")
TEXT_TYPES = ("文本", "引用消息")
SELF_NAMES = ("我",)
TIME_FORMATS = (*WECHAT_TIMES, "%Y-%m-%d %H:%M")


def _is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _xlsx_sheets(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8", errors="ignore")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return re.findall(r'<(?:\w+:)?sheet [^>]*name="([^"]*)"', workbook)


def sniff(name: str, data: bytes) -> bool:
    if _is_xlsx(data):
        sheets = _xlsx_sheets(data) or []
        if MEMBER_SHEET not in sheets:
            return False
        try:
            head = pd.read_excel(io.BytesIO(data), sheet_name=0, nrows=0, engine="openpyxl")
        except WORKBOOK_ERRORS:  # a damaged workbook is not recognised; the generic loader reports it
            return False
        return [str(c).strip() for c in head.columns][:5] == list(HEADER[:5])
    return first_line(data).replace('"', "").startswith(",".join(HEADER[:5]))


def _read_xlsx(data: bytes) -> tuple[pa.Table, pd.DataFrame | None]:
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, engine="openpyxl")
    first = next(iter(sheets.values()))
    first = first.rename(columns=lambda c: str(c).strip()).fillna("")
    for column in COLUMNS:
        if column not in first:
            first[column] = ""
    members = sheets.get(MEMBER_SHEET)
    if members is not None:
        members = members.rename(columns=lambda c: str(c).strip()).fillna("")
    return pa.Table.from_pandas(first[list(COLUMNS)].astype("str"), preserve_index=False), members


def _member_names(members: pd.DataFrame | None) -> tuple[set[str], dict[str, str], dict[str, str]]:
    """(wxids, any name → wxid, wxid → preferred nickname) from the 成员信息 sheet."""
    if members is None or "wxid" not in members:
        return set(), {}, {}
    ids = set(members["wxid"].astype("str")) - {""}
    names: dict[str, str] = {}
    preferred: dict[str, str] = {}
    for _, row in members.iterrows():  # a member sheet has at most a few hundred rows
        wxid = str(row["wxid"])
        if not wxid:
            continue
        for column in ("群昵称", "昵称", "微信号"):
            value = str(row.get(column, "") or "")
            if value:
                names.setdefault(value, wxid)
                preferred.setdefault(wxid, value)
    return ids, names, preferred


def read(files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool) -> ChatLoadResult:
    sheets: list[pd.DataFrame | None] = []

    def read_one(data: bytes) -> pa.Table:
        if not _is_xlsx(data):
            return read_csv_strings(data, COLUMNS)
        table, members = _read_xlsx(data)
        sheets.append(members)
        return table

    tables, problems, bad_rows = read_parts(
        files, COLUMNS, "时间", lambda texts: arrow_times(texts, TIME_FORMATS), read=read_one
    )
    if not tables:
        return ChatLoadResult(format=SLUG, problems=problems, bad_rows=bad_rows)
    member_sheet = pd.concat([s for s in sheets if s is not None]) if any(s is not None for s in sheets) else None
    wxids, names, preferred = _member_names(member_sheet)

    frame = pa.concat_tables(tables).to_pandas()
    is_system = frame["类型"].isin(SYSTEM_TYPES)
    system = frame.loc[is_system]
    membership = wechat_membership(zip(system["time"], system["内容"], strict=True))
    msgs = frame.loc[~is_system]
    if msgs.empty:
        return assemble(
            SLUG, empty_messages(), membership, keep_self=keep_self, names=names, problems=problems, bad_rows=bad_rows
        )
    sender = msgs["发送人"].astype("str")
    is_self = sender.isin(SELF_NAMES)
    # The sender is a wxid, or a name the member sheet resolves to one; otherwise it is used as is.
    member = sender.where(sender.isin(wxids), sender.map(names)).fillna(sender)
    nickname = msgs["昵称"].where(msgs["昵称"] != "", msgs["备注"])
    nickname = nickname.where(nickname != "", member.map(preferred)).fillna("")
    texts = pa.chunked_array([pa.array(msgs["内容"].to_numpy(dtype=object), type=pa.string())])
    checkin = msgs["类型"].isin(TEXT_TYPES).to_numpy() & arrow_contains_any(texts, keywords).to_numpy()
    messages = message_frame(member, nickname, msgs["time"], pd.Series(checkin, index=msgs.index), is_self)
    return assemble(
        SLUG,
        messages,
        membership,
        keep_self=keep_self,
        self_id=SELF_ID,
        names=names,
        problems=problems,
        bad_rows=bad_rows,
    )
