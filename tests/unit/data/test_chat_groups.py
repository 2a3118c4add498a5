"""Several groups inside one chat export: a Telegram full export's group chats, each its own group.

The figures below are worked out by hand from the two chats (definitions: planner.data.groups)."""

from __future__ import annotations

import json

import pandas as pd

from planner.data.analysis import to_json
from planner.data.analytics import analyze
from planner.data.chat_formats import telegram
from planner.data.ingest import load_files


def _say(number: int, when: str, user: int, text: str) -> dict:
    return {"id": number, "type": "message", "date": when, "from": f"成员{user}", "from_id": f"user{user}",
            "text": text}


def _chat(chat_id: int, name: str, messages: list[dict], kind: str = "private_supergroup") -> dict:
    return {"id": chat_id, "name": name, "type": kind, "messages": messages}


# 读书会, 2026-03-01 … 03: user1 speaks on day 1 and 2, user2 checks in on day 1, user3 joins by link on
# day 3 and speaks. Members per day 2, 2, 3 (sum 7); one check-in day → 1/7; events by member 2, 1, 1.
BOOKS = _chat(1, "读书会", [
    _say(1, "2026-03-01T08:00:00", 1, "早"),
    _say(2, "2026-03-01T09:00:00", 2, "打卡第1天"),
    _say(3, "2026-03-02T08:00:00", 1, "读完了"),
    {"id": 4, "type": "service", "date": "2026-03-03T08:00:00", "actor": "成员3", "actor_id": "user3",
     "action": "join_group_by_link", "text": ""},
    _say(5, "2026-03-03T09:00:00", 3, "大家好"),
])
# 跑步群, the same days: user1 speaks at the very same second as in 读书会 (another group: not a duplicate),
# user4 checks in on day 1 and 2, user5 speaks on day 3. Members per day 2, 2, 3; two check-in days → 2/7.
RUNS = _chat(2, "跑步群", [
    _say(1, "2026-03-01T08:00:00", 1, "早"),
    _say(2, "2026-03-01T10:00:00", 4, "打卡 5km"),
    _say(3, "2026-03-02T10:00:00", 4, "打卡 3km"),
    _say(4, "2026-03-03T07:00:00", 5, "加油"),
])
PRIVATE = _chat(3, "张三", [_say(1, "2026-03-02T12:00:00", 6, "私聊")], kind="personal_chat")


def _export(*chats: dict) -> list[tuple[str, bytes]]:
    payload = {"about": "", "chats": {"about": "", "list": list(chats)}}
    return [("result.json", json.dumps(payload, ensure_ascii=False).encode("utf-8"))]


def test_every_group_chat_is_a_group_of_its_own() -> None:
    result = load_files(_export(BOOKS, RUNS, PRIVATE), options={"chat": telegram.ALL_CHATS})
    assert result.format == "telegram" and result.chat_id == telegram.ALL_CHATS
    assert [c.id for c in result.chats] == ["1", "2", "3"]  # the picker still lists every chat
    groups = result.activity.groupby(result.activity["group"].astype(str)).size().to_dict()
    assert groups == {"读书会": 5, "跑步群": 4}  # the private chat is no group; nothing counted twice
    assert not result.notes  # user1's two messages in the same second are in two groups, not duplicates

    figures = analyze(result).comparison["groups"]
    books, runs = figures["读书会"], figures["跑步群"]
    assert (books["members"], books["new"], books["active"], books["horizon_days"]) == (3, 3, 3, 3)
    assert (runs["members"], runs["new"], runs["active"]) == (3, 3, 3)
    assert books["checkin_rate"] == round(1 / 7, 6) and runs["checkin_rate"] == round(2 / 7, 6)
    assert books["messages"] == 3 and runs["messages"] == 2  # check-ins are not counted as messages
    assert books["concentration"] == round(1 / 3, 6) == runs["concentration"]
    # median check-in rate 3/14; 读书会's 1/7 is below 0.8 × 3/14 = 0.171: it lags
    assert books["lagging"] == ["checkin_rate"] and runs["lagging"] == []
    assert set(to_json(analyze(result), result)["groups"]) == {"读书会", "跑步群"}


def test_the_busiest_group_is_still_loaded_alone_by_default() -> None:
    result = load_files(_export(BOOKS, RUNS, PRIVATE))
    assert result.chat_id == "1" and "group" not in result.activity
    assert analyze(result).comparison == {}


def test_chats_sharing_a_name_are_told_apart_by_id() -> None:
    twin = {**RUNS, "name": "读书会"}
    result = load_files(_export(BOOKS, twin), options={"chat": telegram.ALL_CHATS})
    assert set(result.activity["group"].astype(str)) == {"读书会 (1)", "读书会 (2)"}


def test_without_group_chats_every_chat_is_compared() -> None:
    one = {**PRIVATE, "id": 4, "name": "李四"}
    chats = telegram.compared_chats([telegram.ChatInfo(id="3", name="张三", type="personal_chat", messages=1),
                                     telegram.ChatInfo(id="4", name="李四", type="personal_chat", messages=1)])
    assert [c.id for c in chats] == ["3", "4"]
    result = load_files(_export(PRIVATE, one), options={"chat": telegram.ALL_CHATS})
    assert set(result.activity["group"].astype(str)) == {"张三", "李四"}


# --- 企业微信: member lists of several groups, daily statistics of several groups in one sheet --------------
def _member_list(name: str, members: list[tuple[str, str]]) -> bytes:
    """`groupchat/get` for one group: (userid, join day) pairs, joined at 10:00 China time."""
    def unix(day: str) -> int:
        return int((pd.Timestamp(f"{day} 10:00") - pd.Timedelta(hours=8)).timestamp())

    return json.dumps({"errcode": 0, "group_chat": {"chat_id": f"wr{name}", "name": name, "member_list": [
        {"userid": uid, "type": 2, "join_time": unix(day), "join_scene": 3, "name": uid} for uid, day in members
    ]}}, ensure_ascii=False).encode("utf-8")


def test_wecom_member_lists_of_two_groups_are_compared_by_their_joins() -> None:
    # 一群: 3 joins over 2026-03-01 … 03; 二群: 2 joins over 2026-03-05 … 07, one of them also in 一群
    first = _member_list("一群", [("a", "2026-03-01"), ("b", "2026-03-01"), ("c", "2026-03-03")])
    second = _member_list("二群", [("c", "2026-03-05"), ("d", "2026-03-07")])
    result = load_files([("g1.json", first), ("g2.json", second)])
    assert result.format == "wecom" and len(result.members) == 4  # c is one member of the upload
    joins = result.activity.groupby(result.activity["group"].astype(str)).size().to_dict()
    assert joins == {"一群": 3, "二群": 2}
    comparison = analyze(result).comparison
    assert comparison["horizon_days"] == 3  # both span three days from their first join
    one, two = comparison["groups"]["一群"], comparison["groups"]["二群"]
    assert (one["members"], one["new"], two["members"], two["new"]) == (3, 3, 2, 2)
    assert one["active"] == two["active"] == 0  # a member list holds no messages


def test_wecom_single_member_list_stays_members_only() -> None:
    result = load_files([("g1.json", _member_list("一群", [("a", "2026-03-01")]))])
    assert result.activity is None and len(result.members) == 1


def test_wecom_daily_sheet_of_two_groups_adds_them_up_per_day() -> None:
    sheet = ("日期,群名,群总人数,新增人数,发言人数,消息总数\n"
             "2026-03-01,一群,100,3,20,150\n2026-03-01,二群,50,1,5,40\n"
             "2026-03-02,一群,102,2,18,120\n2026-03-02,二群,51,1,6,60\n").encode()
    result = load_files([("stats.csv", sheet)])
    daily = result.daily.set_index(result.daily["date"].dt.strftime("%Y-%m-%d"))
    assert daily["member_total"].to_dict() == {"2026-03-01": 150, "2026-03-02": 153}
    assert daily["new_members"].to_dict() == {"2026-03-01": 4, "2026-03-02": 3}
    assert daily["messages"].to_dict() == {"2026-03-01": 190, "2026-03-02": 180}
    assert [(n.key, n.params["count"]) for n in result.notes] == [("chat.note.daily_groups_summed", 2)]


def test_analyze_command_compares_every_group_chat(tmp_path, capsys) -> None:
    from planner.commands.cli import main

    (tmp_path / "result.json").write_bytes(_export(BOOKS, RUNS, PRIVATE)[0][1])
    assert main(["analyze", str(tmp_path / "result.json"), "--json", "--every-chat"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert set(groups) == {"读书会", "跑步群"} and groups["读书会"]["lagging"] == ["checkin_rate"]
    assert main(["analyze", str(tmp_path / "result.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["groups"] == {}
