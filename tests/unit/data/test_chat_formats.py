"""Chat exports → canonical frames: every format on one hand-checked scenario, plus the variants."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import pandas as pd
import pytest

from planner.data.chat_formats import FORMATS, describe, detect, sniff, wecom
from planner.data.chat_formats import fixtures as fx
from planner.data.chat_formats._common import SELF_ID, parse_wechat_system
from planner.data.frames import ACTIONS, ACTIVITY_COLUMNS, CHECKIN, JOIN, MEMBER_COLUMNS, REMOVE, SPEAK
from planner.data.ingest import load_files
from planner.i18n import render_problem

KEYWORDS = ["打卡", "签到", "check-in"]
EVENTS = fx.sample_scenario()
SHEET = [
    ("wxid_a", "张三"),
    ("wxid_b", "小李"),
    ("wxid_c", "王五"),
    ("wxid_d", "赵六"),
    ("wxid_e", "孙七"),
    ("wxid_f", "周八"),
    ("wxid_g", "吴九"),
]


def files_for(kind: str) -> list[tuple[str, bytes]]:
    return {
        "liuhen_v1": lambda: [("群聊_读书会.csv", fx.liuhen_v1_csv(EVENTS))],
        "memotrace_csv": lambda: [("读书会.csv", fx.memotrace_v2_csv(EVENTS))],
        "memotrace_xlsx": lambda: [("读书会.xlsx", fx.memotrace_v2_xlsx(EVENTS, SHEET))],
        "pywxdump": lambda: fx.pywxdump_parts(EVENTS, rows_per_part=5, overlap=1),
        "telegram": lambda: [("result.json", fx.telegram_json(EVENTS, pieces=True))],
        "discord_iso": lambda: [("chat.csv", fx.discord_csv(EVENTS))],
        "discord_old": lambda: [("chat.csv", fx.discord_csv(EVENTS, old_dates=True))],
        "qq_utf8": lambda: [("读书会.txt", fx.qq_txt(EVENTS, "utf-8"))],
        "qq_gb18030": lambda: [("读书会.txt", fx.qq_txt(EVENTS, "gb18030"))],
    }[kind]()


# Hand-counted from fixtures.sample_scenario: 9 ordinary messages (2 by the exporting account, one of
# them a check-in), check-ins by 李四 (打卡), 王五 (签到), 小李 (Check-in) and the exporter (打卡);
# joins 王五, 赵六 + 孙七 (one QR message), 周八, 吴九; 周八 removed (no removal message on Discord).
# PyWxDump has no nicknames, so the five members named in join messages keep name-derived ids and
# count beside the six wxids that spoke.
EXPECTED = {
    #                  format slug            messages members joins checkins removals
    "liuhen_v1": ("wechat_liuhen_v1", 9, 8, 5, 4, 1),
    "memotrace_csv": ("wechat_memotrace_v2", 9, 8, 5, 4, 1),
    "memotrace_xlsx": ("wechat_memotrace_v2", 9, 8, 5, 4, 1),
    "pywxdump": ("pywxdump", 9, 11, 5, 4, 1),
    "telegram": ("telegram", 9, 8, 5, 4, 1),
    "discord_iso": ("discord", 9, 8, 5, 4, 0),
    "discord_old": ("discord", 9, 8, 5, 4, 0),
    "qq_utf8": ("qq", 9, 8, 5, 4, 1),
    "qq_gb18030": ("qq", 9, 8, 5, 4, 1),
}


def load(kind: str, **options: object):
    result = detect(files_for(kind), checkin_keywords=KEYWORDS, **options)
    assert result is not None
    return result


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_hand_checked_figures(kind: str) -> None:
    slug, messages, members, joins, checkins, removals = EXPECTED[kind]
    result = load(kind)
    actions = result.activity["action"]
    assert result.format == slug
    assert int(actions.isin([SPEAK, CHECKIN]).sum()) == messages
    assert int((actions == CHECKIN).sum()) == checkins
    assert int((actions == JOIN).sum()) == joins
    assert int((actions == REMOVE).sum()) == removals
    assert len(result.members) == members == result.members["member_id"].nunique()
    assert set(result.activity["member_id"]) == set(result.members["member_id"])
    assert result.problems == [] and result.bad_rows == 0


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_canonical_columns_and_types(kind: str) -> None:
    result = load(kind)
    assert tuple(result.activity.columns) == ACTIVITY_COLUMNS
    assert tuple(result.members.columns) == MEMBER_COLUMNS
    assert str(result.activity["time"].dtype) == "datetime64[ns]"
    assert str(result.members["join_date"].dtype) == "datetime64[ns]"
    assert set(result.activity["action"]) <= set(ACTIONS)
    assert result.activity["amount"].isna().all()
    assert result.activity["time"].is_monotonic_increasing


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_no_message_text_anywhere_in_the_result(kind: str) -> None:
    result = load(kind)
    texts = {e.text for e in EVENTS if isinstance(e, fx.Say) and e.text} | {
        e.text for e in EVENTS if isinstance(e, fx.Notice)
    }
    cells = []
    for frame in (result.activity, result.members, result.daily):
        if frame is not None:
            cells += [str(v) for column in frame.columns for v in frame[column].tolist()]
    assert cells
    assert [(t, c) for t in texts for c in cells if t in c] == []


@pytest.mark.parametrize("kind", ["liuhen_v1", "memotrace_csv", "telegram", "discord_iso", "qq_utf8"])
def test_changed_nickname_names_the_member_by_the_latest(kind: str) -> None:
    result = load(kind)
    rows = result.activity[result.activity["nickname"].isin(["李四", "小李"])]
    assert set(rows["nickname"]) == {"小李"}
    assert rows["member_id"].nunique() == 1
    assert len(rows) == 2  # 打卡第1天 as 李四, Check-in day 2 as 小李: one member


def test_system_messages_are_not_activity() -> None:
    result = load("liuhen_v1")
    notice = next(e for e in EVENTS if isinstance(e, fx.Notice))
    assert not (result.activity["time"] == pd.Timestamp(notice.time)).any()


@pytest.mark.parametrize(
    ("kind", "self_id"), [("liuhen_v1", fx.SELF_WXID), ("memotrace_csv", SELF_ID), ("pywxdump", SELF_ID)]
)
def test_exporting_account_kept_or_left_out(kind: str, self_id: str) -> None:
    kept = load(kind)
    assert (kept.activity["member_id"] == self_id).sum() == 2  # 欢迎新朋友, 今天打卡的同学很棒
    left = load(kind, keep_self=False)
    assert self_id not in set(left.activity["member_id"]) | set(left.members["member_id"])
    assert int((left.activity["action"] == CHECKIN).sum()) == 3
    assert int(left.activity["action"].isin([SPEAK, CHECKIN]).sum()) == 7


# --- WeChat join / removal texts ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"张三"邀请"李四"加入了群聊', ("加入", ["李四"], "invite")),
        ('"张三"邀请"李四、王五"加入了群聊', ("加入", ["李四", "王五"], "invite")),
        ('"张三"邀请"李四"、"王五"加入了群聊', ("加入", ["李四", "王五"], "invite")),
        ('你邀请"李四"加入了群聊', ("加入", ["李四"], "invite")),
        ('"张三"邀请你加入了群聊', ("加入", ["你"], "invite")),
        ('"张三"邀请你和"李四"加入了群聊', ("加入", ["你", "李四"], "invite")),
        ("“张三”邀请“李四”加入了群聊", ("加入", ["李四"], "invite")),
        ('"李四"通过扫描"张三"分享的二维码加入群聊', ("加入", ["李四"], "qr_code")),
        ('"李四、王五"通过扫描"张三"分享的二维码加入群聊', ("加入", ["李四", "王五"], "qr_code")),
        ('"李四"通过扫描你分享的二维码加入群聊', ("加入", ["李四"], "qr_code")),
        ("你通过扫描二维码加入群聊，群聊参与人还有：张三", ("加入", ["你"], "qr_code")),
        ('"李四"通过"张三"分享的链接加入群聊', ("加入", ["李四"], "link")),
        ('"李四"通过"张三"的邀请链接加入群聊', ("加入", ["李四"], "link")),
        ('你将"李四"移出了群聊', ("移出", ["李四"], "")),
        ('"张三"将"李四、王五"移出了群聊', ("移出", ["李四", "王五"], "")),
        ("""\"群主"邀请"Alexander 'Leo' Bergolth"加入了群聊""", ("加入", ["Alexander 'Leo' Bergolth"], "invite")),
        ('"群主"邀请"Bergolth, Alexander"、"李四"加入了群聊', ("加入", ["Bergolth, Alexander", "李四"], "invite")),
        ("""\"O'Brien"通过扫描"群主"分享的二维码加入群聊""", ("加入", ["O'Brien"], "qr_code")),
        ('你将"Smith, J"移出了群聊', ("移出", ["Smith, J"], "")),
        ('"张三"撤回了一条消息', None),
        ('"张三"修改群名为"读书会"', None),
        ("打卡第3天", None),
    ],
)
def test_wechat_system_texts(text: str, expected: tuple[str, list[str], str] | None) -> None:
    assert parse_wechat_system(text) == expected


def test_join_names_resolve_to_ids_where_the_export_allows() -> None:
    result = load("liuhen_v1")
    members = result.members.set_index("member_id")
    assert members.loc["wxid_c", "join_date"] == pd.Timestamp("2026-03-01")  # 王五 spoke: resolved
    assert members.loc["wxid_c", "channel"] == "invite"
    assert members.loc["wxid_d", "channel"] == "qr_code"
    assert members.loc["wxid_f", "channel"] == "link"
    only_named = members[members.index.str.startswith("name-")]
    assert sorted(only_named["nickname"]) == ["吴九", "孙七"]  # never spoke: a name-derived id
    again = load("liuhen_v1").members
    assert sorted(again["member_id"]) == sorted(result.members["member_id"])  # stable across runs


def test_member_sheet_resolves_names_of_silent_members() -> None:
    result = load("memotrace_xlsx")
    assert set(result.members["member_id"]) == {
        "wxid_a",
        "wxid_b",
        "wxid_c",
        "wxid_d",
        "wxid_e",
        "wxid_f",
        "wxid_g",
        SELF_ID,
    }


# --- PyWxDump parts ----------------------------------------------------------------------------------
def test_pywxdump_parts_are_read_together_and_deduplicated() -> None:
    parts = fx.pywxdump_parts(EVENTS, rows_per_part=5, overlap=1)
    assert len(parts) == 3
    whole = detect(fx.pywxdump_parts(EVENTS, rows_per_part=5000), checkin_keywords=KEYWORDS)
    split = detect(parts, checkin_keywords=KEYWORDS)
    pd.testing.assert_frame_equal(whole.activity, split.activity)
    assert all(sniff(name, data) == "pywxdump" for name, data in parts)
    assert not parts[0][1].startswith(b"\xef\xbb\xbf")  # without BOM, as PyWxDump writes it


# --- Telegram ----------------------------------------------------------------------------------------
def test_telegram_text_pieces_are_joined_before_matching() -> None:
    plain = detect([("result.json", fx.telegram_json(EVENTS))], checkin_keywords=KEYWORDS)
    pieces = load("telegram")
    assert json.loads(fx.telegram_json(EVENTS, pieces=True))["messages"][1]["text"][1]["type"] == "bold"
    pd.testing.assert_frame_equal(plain.activity, pieces.activity)


def test_telegram_full_export_lists_chats_and_loads_the_chosen_one() -> None:
    small = fx.telegram_chat(EVENTS[:3], name="闲聊", chat_id=7)
    small["type"] = "private_group"
    big = fx.telegram_chat(EVENTS, name="读书会", chat_id=42)
    data = fx.telegram_full_json([small, big], self_member="user107")
    result = detect([("result.json", data)], checkin_keywords=KEYWORDS)
    assert [(c.id, c.name, c.messages) for c in result.chats] == [
        ("7", "闲聊", 3),
        ("42", "读书会", len(big["messages"])),
    ]
    assert (result.chat_id, result.chat_name) == ("42", "读书会")  # the busiest group by default
    picked = detect([("result.json", data)], checkin_keywords=KEYWORDS, chat="7")
    assert picked.chat_id == "7" and int(picked.activity["action"].isin([SPEAK, CHECKIN]).sum()) == 2
    mine = detect([("result.json", data)], checkin_keywords=KEYWORDS, keep_self=False)
    assert "user107" not in set(mine.activity["member_id"])  # personal_information names the exporter
    assert int(mine.activity["action"].isin([SPEAK, CHECKIN]).sum()) == 7


def test_telegram_join_actions() -> None:
    result = load("telegram")
    joins = result.activity[result.activity["action"] == JOIN]
    ids = fx.telegram_ids(EVENTS)
    assert ids["wxid_e"] in set(joins["member_id"])  # join_group_by_request: the actor joined
    assert ids["wxid_f"] in set(joins["member_id"])  # join_group_by_link
    assert ids["wxid_c"] in set(joins["member_id"])  # invite_members by name, resolved via `from`
    channels = result.members.set_index("member_id")["channel"]
    assert (channels[ids["wxid_f"]], channels[ids["wxid_e"]], channels[ids["wxid_c"]]) == ("link", "request", "invite")


# --- Discord -----------------------------------------------------------------------------------------
def test_discord_both_date_forms_give_the_same_local_times() -> None:
    iso, old = load("discord_iso"), load("discord_old")
    assert b"+08:00" in files_for("discord_iso")[0][1] and b" AM" in files_for("discord_old")[0][1]
    pd.testing.assert_series_equal(iso.activity["time"], old.activity["time"])
    assert iso.activity["time"].iloc[0] == pd.Timestamp("2026-03-01 08:00")


def test_discord_pinned_notice_is_not_activity() -> None:
    result = load("discord_iso")
    notice = next(e for e in EVENTS if isinstance(e, fx.Notice))
    assert not (result.activity["time"] == pd.Timestamp(notice.time)).any()


# --- QQ ----------------------------------------------------------------------------------------------
def test_qq_encodings_are_detected() -> None:
    raw = files_for("qq_gb18030")[0][1]
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    pd.testing.assert_frame_equal(load("qq_utf8").activity, load("qq_gb18030").activity)


def test_qq_admin_prefix_is_not_part_of_the_nickname() -> None:
    result = load("qq_utf8")
    assert "群主" in set(result.members["nickname"])
    assert not any(n.startswith("【") for n in result.members["nickname"])


@pytest.mark.parametrize(
    ("text", "action", "member"),
    [
        ("李四(10000002)加入本群。", JOIN, "10000002"),
        ("张三邀请李四加入了本群。", JOIN, "10000002"),
        ("李四被管理员移出本群。", REMOVE, "10000002"),
        ("群主将李四移出了本群。", REMOVE, "10000002"),
        ("李四退出了本群。", REMOVE, "10000002"),
    ],
)
def test_qq_membership_texts(text: str, action: str, member: str) -> None:
    txt = "\r\n".join(
        [
            "消息记录",
            "消息对象:读书会",
            "",
            "2026-03-01 08:00:00 李四(10000002)",
            "你好",
            "",
            "2026-03-01 09:00:00 系统消息(10000)",
            text,
            "",
        ]
    ).encode("utf-8")
    result = detect([("q.txt", txt)], checkin_keywords=KEYWORDS)
    events = result.activity[result.activity["action"] == action]
    assert list(events["member_id"]) == [member]


# --- 企业微信 ----------------------------------------------------------------------------------------
def test_wecom_daily_api_json_and_member_list() -> None:
    result = detect(
        [("stat.json", fx.wecom_daily_api(3)), ("group.json", fx.wecom_member_list())], checkin_keywords=KEYWORDS
    )
    assert result.format == "wecom" and result.activity is None
    assert list(result.daily.columns) == ["date", "member_total", "new_members", "members_spoke", "messages"]
    assert list(result.daily["date"].dt.strftime("%Y-%m-%d")) == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert list(result.daily["member_total"]) == [100, 103, 106]
    assert list(result.daily["members_spoke"]) == [20, 21, 22]
    members = result.members.set_index("member_id")
    assert list(members["join_date"].dt.strftime("%Y-%m-%d")) == ["2026-03-01", "2026-03-02", "2026-03-04"]
    assert list(members["channel"]) == ["invite", "qr_code", "link"]
    assert list(members["nickname"]) == ["管理员张三", "李四", "小王"]
    assert list(members["tag"]) == ["staff", "external", "external"]


@pytest.mark.parametrize(
    "header",
    [
        ["日期", "群总人数", "新增群人数", "发过消息的群成员数", "群消息总数"],
        ["stat_time", "member_total", "new_member_cnt", "member_has_msg", "msg_total"],
        ["统计日期", "群总人数（人）", "新增人数", "发言人数", "消息数"],
        ["Date", "Member total", "New members", "Members who spoke", "Messages"],
        ["时间", "群成员总数", "新增成员数", "发言成员数", "消息总数"],
    ],
)
@pytest.mark.parametrize("as_xlsx", [False, True])
def test_wecom_daily_spreadsheets(header: list[str], as_xlsx: bool) -> None:
    dates = (
        ["2026-03-01", "2026/3/2", "2026年3月3日"]
        if header[0] != "stat_time"
        else ["1772294400", "1772380800", "1772467200"]
    )
    frame = pd.DataFrame([[d, 100 + i, 3, 20 + i, 150] for i, d in enumerate(dates)], columns=header)
    if as_xlsx:
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False)
        data, name = buffer.getvalue(), "stats.xlsx"
    else:
        data, name = frame.to_csv(index=False).encode("utf-8-sig"), "stats.csv"
    result = detect([(name, data)], checkin_keywords=KEYWORDS)
    assert result is not None and result.format == "wecom"
    assert list(result.daily["date"].dt.strftime("%Y-%m-%d")) == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert list(result.daily["member_total"]) == [100, 101, 102]
    assert list(result.daily["new_members"]) == [3, 3, 3]
    assert list(result.daily["members_spoke"]) == [20, 21, 22]
    assert list(result.daily["messages"]) == [150, 150, 150]


# --- detection, problems, summary --------------------------------------------------------------------
def test_generic_files_are_not_chat_exports() -> None:
    generic = "成员ID,时间,行为\nu1,2026-03-01 08:00,发言\n".encode()
    assert detect([("log.csv", generic)], checkin_keywords=KEYWORDS) is None
    assert detect([("empty.csv", b"")], checkin_keywords=KEYWORDS) is None
    assert detect([("x.bin", bytes(range(256)) * 4)], checkin_keywords=KEYWORDS) is None
    mixed = detect([("log.csv", generic), *files_for("liuhen_v1")], checkin_keywords=KEYWORDS)
    assert mixed.unrecognised == ["log.csv"]
    assert [p.key for p in mixed.problems] == ["chat.problem.not_chat_export"]


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_every_file_is_sniffed_as_its_format(kind: str) -> None:
    assert {sniff(name, data) for name, data in files_for(kind)} == {EXPECTED[kind][0]}
    assert EXPECTED[kind][0] in FORMATS


def test_bad_time_rows_are_reported_and_left_out() -> None:
    data = fx.liuhen_v1_csv(EVENTS).replace(b"2026-03-01 08:07:00", b"yesterday morning")
    result = detect([("a.csv", data)], checkin_keywords=KEYWORDS)
    assert result.bad_rows == 1
    problem = result.problems[0]
    assert (problem.key, problem.row, problem.column, problem.file) == ("chat.problem.bad_time", 3, "StrTime", "a.csv")
    assert int((result.activity["action"] == CHECKIN).sum()) == 3


def test_truncated_telegram_json_is_a_problem_not_a_crash() -> None:
    data = fx.telegram_json(EVENTS)[:300]
    result = detect([("result.json", data)], checkin_keywords=KEYWORDS)
    assert not result.ok and [p.key for p in result.problems] == ["chat.problem.unreadable"]


def test_keywords_come_from_the_plan() -> None:
    result = detect(files_for("liuhen_v1"), checkin_keywords=["收到"])
    assert int((result.activity["action"] == CHECKIN).sum()) == 1
    none = detect(files_for("liuhen_v1"), checkin_keywords=[])
    assert int((none.activity["action"] == CHECKIN).sum()) == 0


def test_describe_in_both_languages() -> None:
    result = load("liuhen_v1")
    assert describe(result, "en") == ("WeChat export (MemoTrace v1): 9 messages, 8 members, 5 joins, "
                                      "2026-03-01 – 2026-03-03")
    assert describe(result, "zh") == "微信导出（留痕 v1）：9 条消息，8 位成员，5 次入群，2026-03-01 – 2026-03-03"
    telegram = describe(load("telegram"), "en")
    assert telegram.startswith("Telegram export “读书会”: 9 messages")
    wecom = detect([("stat.json", fx.wecom_daily_api(3))], checkin_keywords=KEYWORDS)
    assert (
        describe(wecom, "en") == "WeCom customer-group data: daily group statistics for 3 days, 2026-03-01 – 2026-03-03"
    )


def test_big_generator_round_trip() -> None:
    result = detect([("big.csv", fx.liuhen_v1_big(3000, n_members=50))], checkin_keywords=KEYWORDS)
    assert len(result.activity) >= 3000 - 50  # every row but the few unresolvable is kept
    assert (
        int(result.activity["action"].isin([SPEAK, CHECKIN]).sum()) + int((result.activity["action"] == JOIN).sum())
        == 3000
    )


# --- the fast paths of the big CSV formats -----------------------------------------------------------
def test_merge_order_of_messages_and_membership_events() -> None:
    import numpy as np

    from planner.data.chat_formats._common import _merge_order

    messages, events = np.array([1, 3, 3, 7]), np.array([0, 3, 9])
    order = _merge_order(messages, events)
    assert order.tolist() == np.argsort(np.r_[messages, events], kind="stable").tolist()  # ties: messages first
    assert _merge_order(messages, np.array([8, 9])) is None  # events after every message: nothing to move
    assert _merge_order(np.array([1, 2]), np.array([], dtype=np.int64)) is None
    shuffled = np.array([5, 1, 4])
    assert _merge_order(shuffled, events).tolist() == np.argsort(np.r_[shuffled, events], kind="stable").tolist()


def test_multi_line_messages_across_parser_blocks() -> None:
    """Quoted line breaks that a block boundary cuts send the file through the multi-line read."""
    plain = fx.liuhen_v1_big(40_000)
    text = "这是一条普通的聊天消息，内容无关紧要"
    multi = plain.replace(f",{text},".encode(), f',"{text[:7]}\n{text[7:]}",'.encode())
    assert len(multi) > 2 << 20 and multi.count(b"\n") > plain.count(b"\n")
    one = detect([("a.csv", plain)], checkin_keywords=KEYWORDS)
    other = detect([("b.csv", multi)], checkin_keywords=KEYWORDS)
    assert other.bad_rows == 0 and not other.problems
    assert one.activity.astype(str).equals(other.activity.astype(str))


def test_background_keyword_search_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.data.chat_formats import _common

    files = [("chat.csv", fx.liuhen_v1_csv(fx.sample_scenario()))]
    inline = detect(files, checkin_keywords=KEYWORDS)
    monkeypatch.setattr(_common, "BACKGROUND_MIN_ROWS", 0)
    threaded = detect(files, checkin_keywords=KEYWORDS)
    assert threaded.activity.equals(inline.activity) and CHECKIN in set(threaded.activity["action"])


# --- damaged input: a Problem from the reader, never an exception ------------------------------------
def _cut_workbook_part(data: bytes, part: str) -> bytes:
    """The workbook with one XML part cut in half (a download that broke off inside the zip entry)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, body[: len(body) // 2] if info.filename == part else body)
    return out.getvalue()


def _qq_utf16_cut() -> bytes:
    """A UTF-16 QQ log whose head (what sniff reads) is fine but whose last character is cut in half."""
    text = fx.qq_txt(EVENTS).decode("utf-8") + "\r\n" * 6000
    return text.encode("utf-16")[:-1]


def _csv_with_broken_rows(data: bytes) -> bytes:
    return data + b'"1","2"\n"3"\n'


DAMAGED = {
    # reader: (file name, bytes, format the file is recognised as)
    "memotrace_xlsx_sheet": (
        "读书会.xlsx", _cut_workbook_part(fx.memotrace_v2_xlsx(EVENTS, SHEET), "xl/worksheets/sheet1.xml"),
        "wechat_memotrace_v2",
    ),
    "memotrace_xlsx_members": (
        "读书会.xlsx", _cut_workbook_part(fx.memotrace_v2_xlsx(EVENTS, SHEET), "xl/worksheets/sheet2.xml"),
        "wechat_memotrace_v2",
    ),
    "qq": ("读书会.txt", _qq_utf16_cut(), "qq"),
    "telegram": ("result.json", b'{"name": "x", "messages": [{"id": 1, garbage', "telegram"),
    "wecom_json": ("stat.json", b'{"items": [{"stat_time": 1772294400, garbage', "wecom"),
    "wecom_csv": (
        "stats.csv", "日期,新增成员数,发言成员数,消息总数\n2026-03-01,1,2,3\n2026-03-02,\"4,5\n".encode(), "wecom"
    ),
    "liuhen_v1": ("a.csv", _csv_with_broken_rows(fx.liuhen_v1_csv(EVENTS)), "wechat_liuhen_v1"),
    "memotrace_csv": ("a.csv", _csv_with_broken_rows(fx.memotrace_v2_csv(EVENTS)), "wechat_memotrace_v2"),
    "pywxdump": ("a.csv", _csv_with_broken_rows(fx.pywxdump_parts(EVENTS)[0][1]), "pywxdump"),
    "discord": ("a.csv", _csv_with_broken_rows(fx.discord_csv(EVENTS)), "discord"),
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_damaged_export_is_a_problem_from_its_reader(case: str) -> None:
    name, data, slug = DAMAGED[case]
    assert sniff(name, data) == slug
    result = detect([(name, data)], checkin_keywords=KEYWORDS)
    assert result is not None and result.format == slug and not result.ok
    assert [(p.key, p.file) for p in result.problems] in (
        [("chat.problem.unreadable", name)],
        [("chat.problem.encoding", name)],
    )
    for lang in ("zh", "en"):
        assert render_problem(result.problems[0], lang) != result.problems[0].key  # a catalog message
    loaded = load_files([(name, data)])
    assert loaded.format == slug and [p.key for p in loaded.problems] == [p.key for p in result.problems]


def test_undecodable_qq_tail_is_an_encoding_problem() -> None:
    result = detect([("读书会.txt", _qq_utf16_cut())], checkin_keywords=KEYWORDS)
    assert [(p.key, p.file) for p in result.problems] == [("chat.problem.encoding", "读书会.txt")]


def test_a_damaged_file_leaves_the_other_files_of_the_upload_readable() -> None:
    name, data, _ = DAMAGED["memotrace_xlsx_sheet"]
    result = load_files([(name, data), ("good.xlsx", fx.memotrace_v2_xlsx(EVENTS, SHEET))])
    assert [(p.key, p.file) for p in result.problems] == [("chat.problem.unreadable", name)]
    assert int((result.activity["action"] == CHECKIN).sum()) == EXPECTED["memotrace_xlsx"][4]


def test_undecodable_bytes_are_no_qq_export() -> None:
    assert sniff("x.txt", b"\xff\xfe\x00\xd8") is None  # a UTF-16 BOM then a lone surrogate


def test_wecom_sheet_with_a_member_column_is_not_daily_statistics() -> None:
    data = "日期,成员ID,新增成员数,发言成员数,消息总数\n2026-03-01,u1,1,2,3\n".encode()
    assert sniff("log.csv", data) is None
    # the reader applies the same rule to the headers as found (not to those already mapped to daily columns)
    result = wecom.read([("log.csv", data)], keywords=KEYWORDS, keep_self=True)
    assert result.daily is None and [p.key for p in result.problems] == ["chat.problem.unreadable"]


# --- times outside any plausible range ----------------------------------------------------------------
def _files_with(kind: str, events: list) -> list[tuple[str, bytes]]:
    return {
        "liuhen_v1": lambda: [("群聊_读书会.csv", fx.liuhen_v1_csv(events))],
        "memotrace_csv": lambda: [("读书会.csv", fx.memotrace_v2_csv(events))],
        "memotrace_xlsx": lambda: [("读书会.xlsx", fx.memotrace_v2_xlsx(events, SHEET))],
        "pywxdump": lambda: fx.pywxdump_parts(events, rows_per_part=5, overlap=1),
        "telegram": lambda: [("result.json", fx.telegram_json(events, pieces=True))],
        "discord_iso": lambda: [("chat.csv", fx.discord_csv(events))],
        "discord_old": lambda: [("chat.csv", fx.discord_csv(events, old_dates=True))],
        "qq_utf8": lambda: [("读书会.txt", fx.qq_txt(events, "utf-8"))],
        "qq_gb18030": lambda: [("读书会.txt", fx.qq_txt(events, "gb18030"))],
    }[kind]()


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_a_message_in_year_2999_is_a_bad_row_not_a_crash(kind: str) -> None:
    """李四's check-in dated 2999: it overflowed nanoseconds (an exception, or a range ending in 1830)."""
    events = list(EVENTS)
    events[1] = dataclasses.replace(events[1], time=events[1].time.replace(year=2999))
    files = _files_with(kind, events)
    result = detect(files, checkin_keywords=KEYWORDS)
    assert result.bad_rows == 1
    assert [p.key for p in result.problems] == ["data.problem.date_out_of_range"]
    problem = result.problems[0]
    assert problem.file in {name for name, _ in files} and problem.row is not None
    assert "2999" in problem.params["value"] or kind == "discord_old"  # 01/01/2999 shown as written
    assert result.activity["time"].max() < pd.Timestamp("2026-04-01")
    assert int((result.activity["action"] == CHECKIN).sum()) == EXPECTED[kind][4] - 1
    assert describe(result, "en").endswith("2026-03-01 – 2026-03-03")


@pytest.mark.parametrize("stamp", [32472172800, 99999999999, 315532800])  # 2999, year 5138, 1980
def test_wecom_unix_times_outside_the_window_are_bad_rows(stamp: int) -> None:
    daily = json.loads(fx.wecom_daily_api(3))
    daily["items"][1]["stat_time"] = stamp
    result = detect([("stat.json", json.dumps(daily).encode())], checkin_keywords=KEYWORDS)
    assert result.bad_rows == 1 and len(result.daily) == 2
    assert [(p.key, p.row, p.column) for p in result.problems] == [("data.problem.date_out_of_range", 2, "date")]
    members = json.loads(fx.wecom_member_list())
    members["group_chat"]["member_list"][0]["join_time"] = stamp
    result = detect([("members.json", json.dumps(members).encode())], checkin_keywords=KEYWORDS)
    assert [(p.key, p.row, p.column) for p in result.problems] == [("data.problem.date_out_of_range", 1, "join_time")]
    assert result.bad_rows == 1 and result.members["join_date"].min() >= pd.Timestamp("2026-01-01")


def test_wecom_daily_sheet_in_year_2999_is_a_bad_row() -> None:
    data = "日期,群总人数,新增成员数,发言成员数,消息总数\n2026-03-01,1,2,3,4\n2999-03-02,1,2,3,4\n".encode()
    result = detect([("stats.csv", data)], checkin_keywords=KEYWORDS)
    assert list(result.daily["date"]) == [pd.Timestamp("2026-03-01")]
    assert [(p.key, p.row, p.column) for p in result.problems] == [("data.problem.date_out_of_range", 3, "date")]


# --- malformed JSON exports: a located problem, never an exception ------------------------------------
def _telegram(change) -> bytes:
    export = json.loads(fx.telegram_json(EVENTS, pieces=True))
    change(export)
    return json.dumps(export, ensure_ascii=False).encode()


def _set_message(index: int, field: str, value: object):
    return lambda export: export["messages"][index].__setitem__(field, value)


def _invite(field: str, value: object):
    def change(export: dict) -> None:
        for message in export["messages"]:
            if message.get("action") == "invite_members":
                message[field] = value
                return
    return change


DEEP = b'{"name": "x", "messages": [' + b"[" * 50_000 + b"]" * 50_000 + b"]}"
MALFORMED_TELEGRAM = {
    # case: (bytes, problems as (key, row, column), rows read)
    "messages_a_string": (b'{"name": "x", "type": "private_group", "messages": "x"}',
                          [("chat.problem.bad_structure", None, "messages")], None),
    "chats_list_a_string": (b'{"chats": {"list": "x"}, "left_chats": {"list": [{"messages": 3}]}}',
                            [("chat.problem.bad_structure", None, "chats.list"),
                             ("chat.problem.bad_structure", None, "left_chats.list.1")], None),
    "chat_a_string": (b'{"chats": {"list": ["x", {"id": 1, "messages": "y"}]}}',
                      [("chat.problem.bad_structure", None, "chats.list.1"),
                       ("chat.problem.bad_structure", None, "chats.list.2")], None),
    "deep_nesting": (DEEP, [("chat.problem.too_deep", None, None)], None),
    "message_a_string": (_telegram(lambda e: e["messages"].__setitem__(0, "hello")),
                         [("chat.problem.bad_field", 1, "messages")], 14),
    "from_a_number": (_telegram(_set_message(0, "from", 5)), [("chat.problem.bad_field", 1, "from")], 14),
    "from_id_an_object": (_telegram(_set_message(0, "from_id", {"a": 1})), [("chat.problem.bad_field", 1, "from_id")],
                          14),
    "text_an_object": (_telegram(_set_message(0, "text", {"a": 1})), [("chat.problem.bad_field", 1, "text")], 14),
    "text_nested_lists": (_telegram(_set_message(0, "text", [[["打卡"]]])), [("chat.problem.bad_field", 1, "text")],
                          14),
    "date_an_object": (_telegram(_set_message(0, "date", {"a": 1})), [("chat.problem.bad_field", 1, "date")], 14),
    "members_a_number": (_telegram(_invite("members", 5)), [("chat.problem.bad_field", 4, "members")], 14),
    "members_objects": (_telegram(_invite("members", [{"x": 1}])), [("chat.problem.bad_field", 4, "members")], 14),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_TELEGRAM))
def test_malformed_telegram_export_gives_a_located_problem(case: str) -> None:
    data, expected, rows = MALFORMED_TELEGRAM[case]
    assert sniff("result.json", data) == "telegram"
    result = load_files([("result.json", data)])
    assert result.format == "telegram"
    assert [(p.key, p.row, p.column) for p in result.problems] == expected
    assert all(p.file == "result.json" for p in result.problems)
    for lang in ("zh", "en"):
        assert render_problem(result.problems[0], lang) != result.problems[0].key
    if rows is None:
        assert not result.ok
    else:
        assert len(result.activity) == rows and result.bad_rows == 1


def test_deleted_accounts_in_a_telegram_invite_are_no_member_named_none() -> None:
    result = detect([("result.json", _telegram(_invite("members", [None, "王五"])))], checkin_keywords=KEYWORDS)
    assert not result.problems and "None" not in set(result.members["nickname"])


def _wecom(payload: bytes, change) -> bytes:
    data = json.loads(payload)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode()


MALFORMED_WECOM = {
    # case: (bytes, problems as (key, row, column), days or members read)
    "join_scene_a_list": (_wecom(fx.wecom_member_list(),
                                 lambda d: d["group_chat"]["member_list"][0].__setitem__("join_scene", [1])), [], 3),
    "type_an_object": (_wecom(fx.wecom_member_list(),
                              lambda d: d["group_chat"]["member_list"][0].__setitem__("type", {"a": 1})), [], 3),
    "userid_an_object": (_wecom(fx.wecom_member_list(),
                                lambda d: d["group_chat"]["member_list"][0].__setitem__("userid", {"a": 1})),
                         [("chat.problem.bad_field", 1, "userid")], 2),
    "member_a_string": (_wecom(fx.wecom_member_list(), lambda d: d["group_chat"]["member_list"].__setitem__(1, "x")),
                        [("chat.problem.bad_field", 2, "member_list")], 2),
    "item_a_string": (_wecom(fx.wecom_daily_api(3), lambda d: d["items"].__setitem__(0, "x")),
                      [("chat.problem.bad_field", 1, "items")], 2),
    "data_a_string": (_wecom(fx.wecom_daily_api(3), lambda d: d["items"][2].__setitem__("data", "x")),
                      [("chat.problem.bad_field", 3, "data")], 2),
    "count_an_object": (_wecom(fx.wecom_daily_api(3), lambda d: d["items"][0]["data"].__setitem__("msg_total", {})),
                        [], 3),
    "deep_nesting": (b'{"items": [' + b"[" * 50_000 + b"]" * 50_000 + b'], "stat_time": 1}',
                     [("chat.problem.too_deep", None, None)], None),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_WECOM))
def test_malformed_wecom_json_gives_a_located_problem(case: str) -> None:
    data, expected, read = MALFORMED_WECOM[case]
    assert sniff("wecom.json", data) == "wecom"
    result = load_files([("wecom.json", data)])
    assert result.format == "wecom"
    assert [(p.key, p.row, p.column) for p in result.problems] == expected
    assert all(p.file == "wecom.json" for p in result.problems)
    frame = result.members if result.members is not None else result.daily
    assert (frame is None) if read is None else len(frame) == read


def test_analyze_command_reports_a_malformed_export_without_a_traceback(tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    broken, deep = tmp_path / "result.json", tmp_path / "deep.json"
    broken.write_bytes(MALFORMED_TELEGRAM["messages_a_string"][0])
    deep.write_bytes(DEEP)
    root = Path(__file__).resolve().parents[3]
    run = subprocess.run([sys.executable, "-m", "planner", "analyze", str(broken), str(deep), "--json", "--lang", "en"],
                         capture_output=True, text=True, cwd=root, timeout=120)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "result.json" in run.stderr and "deep.json" in run.stderr and "nested" in run.stderr


@pytest.mark.parametrize("first, then", [("gb18030", "utf-8"), ("utf-8", "gb18030")])
def test_qq_log_mixing_encodings_is_named_with_its_line(first: str, then: str) -> None:
    """A GB18030 log with UTF-8 messages appended read as garbled names, or as no encoding at all."""
    head = fx.qq_txt(EVENTS * 40, first)  # past the 8 KB that sniff decodes
    tail = fx.qq_txt(EVENTS, then).split(b"\r\n", 8)[-1]  # messages without the header block
    data = head + b"\r\n" + tail
    result = detect([("读书会.txt", data)], checkin_keywords=KEYWORDS)
    assert result.format == "qq" and not result.ok
    assert [(p.key, p.file, p.row) for p in result.problems] == [
        ("data.problem.mixed_encoding", "读书会.txt", head.count(b"\n") + 2)]
