"""Issue 17: several files in one upload — the list, events counted once, ids that cannot match."""

from __future__ import annotations

from planner.data import sample
from planner.data.analytics import analyze
from planner.data.chat_formats.fixtures import liuhen_v1_csv, sample_scenario
from planner.data.ingest import load_files
from planner.data.upload_set import summaries

LOG = sample.to_files(sample.generate(members=50, days=30))["行为日志.csv"]
NUMBERED = ("成员ID,昵称,时间,行为\n1001,张三,2026-03-05 09:00,发言\n1002,李四,2026-03-05 09:10,打卡\n"
            "1003,王五,2026-03-06 09:00,发言\n1004,赵六,2026-03-06 09:00,发言\n").encode()


def test_the_same_log_again_in_gbk_counts_once_with_a_note() -> None:
    once = load_files([("log.csv", LOG)])
    twice = load_files([("log.csv", LOG), ("log-gbk.csv", LOG.decode("utf-8-sig").encode("gb18030"))])
    assert len(twice.activity) == len(once.activity)
    assert [(n.key, n.params["count"]) for n in twice.notes] == [("data.note.duplicates", f"{len(once.activity):,}")]
    assert analyze(twice).events == analyze(once).events


def test_repeats_inside_one_file_are_kept() -> None:
    log = "成员ID,时间,行为\na,2026-03-01 07:00,打卡\na,2026-03-01 07:00,打卡\n".encode()
    result = load_files([("log.csv", log)])
    assert len(result.activity) == 2 and not result.notes


def test_an_overlapping_second_log_adds_only_its_new_events() -> None:
    first = "成员ID,时间,行为\na,2026-03-01 07:00,打卡\nb,2026-03-01 08:00,发言\n".encode()
    second = "成员ID,时间,行为\nb,2026-03-01 08:00,发言\nc,2026-03-02 08:00,发言\n".encode()
    result = load_files([("1.csv", first), ("2.csv", second)])
    assert list(result.activity["member_id"]) == ["a", "b", "c"]
    assert result.notes[0].params["count"] == "1"


def test_ids_that_cannot_match_are_warned_and_can_be_matched_by_nickname() -> None:
    files = [("chat.csv", liuhen_v1_csv(sample_scenario())), ("log.csv", NUMBERED)]
    apart = load_files(files)
    assert [n.key for n in apart.notes] == ["data.note.id_mismatch"]
    matched = load_files(files, options={"match_by": "nickname"})
    assert [n.key for n in matched.notes] == ["data.note.matched_by_nickname"]
    # 张三 (wxid_a and 1001) is one member now; the log adds no one new
    assert matched.activity.groupby("nickname")["member_id"].nunique().max() == 1
    assert analyze(matched).members < analyze(apart).members
    # files keyed the same way are not warned about
    assert not load_files([("log.csv", LOG), ("more.csv", NUMBERED)]).notes


def test_each_file_is_listed_with_kind_rows_members_and_days() -> None:
    files = [("chat.csv", liuhen_v1_csv(sample_scenario())), ("log.csv", NUMBERED), ("photo.png", b"\x89PNG\r\n")]
    rows = summaries(files, load_files)
    chat, log, photo = rows
    assert chat.format == "wechat_liuhen_v1" and "activity" in chat.kinds and chat.first == "2026-03-01"
    assert (log.format, log.kinds, log.rows, log.members, log.first, log.last) == (
        "generic", ("activity",), 4, 4, "2026-03-05", "2026-03-06")
    assert not photo.ok and photo.rows == 0
