"""The sample member data: one generator, Chinese or English words, the same figures in both."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from planner.data import frames
from planner.data.analytics import analyze
from planner.data.ingest import load_files, preview_headers
from planner.data.recognise import detect_kind
from planner.data.sample import LANGUAGES, SHIPPED, VOCABULARY, generate, shipped_dir, shipped_files, to_files

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_same_seed_gives_the_same_files(lang: str) -> None:
    assert to_files(generate(80, 30, seed=5, lang=lang)) == to_files(generate(80, 30, seed=5, lang=lang))
    assert to_files(generate(80, 30, seed=5, lang=lang)) != to_files(generate(80, 30, seed=6, lang=lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_shipped_files_are_the_generators(lang: str) -> None:
    # the files in assets/sample/ (assets/sample/en/) are exactly what the generator writes
    written = to_files(generate(**SHIPPED, lang=lang))
    assert sorted(written) == sorted(VOCABULARY[lang].file_names.values())
    assert dict(shipped_files(lang)) == written
    assert all((shipped_dir(lang) / name).is_file() for name in written)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_header_is_recognised_and_each_file_is_its_kind(lang: str) -> None:
    words = VOCABULARY[lang]
    for kind, name in words.file_names.items():
        data = dict(shipped_files(lang))[name]
        headers = preview_headers(name, data)
        mapping = frames.map_headers(headers)
        assert set(mapping) == set(headers), f"{name}: not recognised {set(headers) - set(mapping)}"
        assert sorted(mapping.values()) == sorted(getattr(words, kind))  # each to its own column
        assert detect_kind(set(mapping.values())) == kind


def test_english_files_hold_no_chinese_and_keep_awkward_nicknames() -> None:
    files = shipped_files("en")
    assert [name for name, _ in files] == sorted(VOCABULARY["en"].file_names.values())
    for name, data in files:
        assert not _CJK.search(data.decode("utf-8-sig")), name
    members = load_files(files).members
    names = set(members["nickname"])
    assert {"Conor O'Brien", "Smith, Jo"} <= names  # the comma survives the CSV quoting
    assert set(members["channel"]) <= set(VOCABULARY["en"].channels)


def test_both_languages_hold_the_same_figures() -> None:
    zh, en = (load_files(shipped_files(lang)) for lang in ("zh", "en"))
    assert zh.ok and en.ok and not zh.problems and not en.problems and zh.bad_rows == en.bad_rows == 0
    # the English action words are read as the same actions, "yes"/"no" as the same paid flags
    for kind in ("activity", "members", "daily"):
        left, right = getattr(zh, kind), getattr(en, kind)
        same = [c for c in left.columns if c not in ("nickname", "channel", "tier")]
        pd.testing.assert_frame_equal(left[same], right[same], check_dtype=False)
    a, b = analyze(zh), analyze(en)
    assert a.layers == b.layers and a.funnel == b.funnel and a.retention == b.retention


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_three_files_agree(lang: str) -> None:
    sample = generate(120, 40, seed=11, lang=lang)
    loaded = load_files(list(to_files(sample).items()))
    act, members, daily = loaded.activity, loaded.members, loaded.daily
    day = act["time"].dt.normalize()
    joins = act[act["action"] == frames.JOIN]
    removes = act[act["action"] == frames.REMOVE]
    speak = act[act["action"] == frames.SPEAK]
    dates = daily["date"]
    # every member has one join event on the day of their join date; daily new members count them
    assert len(joins) == len(members) == joins["member_id"].nunique()
    by_member = joins.set_index("member_id")["time"].dt.normalize()
    assert (members["join_date"].dt.normalize() == members["member_id"].map(by_member)).all()
    assert list(daily["new_members"]) == [int((joins["time"].dt.normalize() == d).sum()) for d in dates]
    # members in the group = joined so far − removed so far
    total = [int((joins["time"].dt.normalize() <= d).sum() - (removes["time"].dt.normalize() <= d).sum())
             for d in dates]
    assert list(daily["member_total"]) == total
    # who spoke and how much, from the log
    assert list(daily["members_spoke"]) == [speak.loc[day[speak.index] == d, "member_id"].nunique() for d in dates]
    assert list(daily["messages"]) == [int((day[speak.index] == d).sum()) for d in dates]
    assert daily["messages"].sum() > 0 and len(removes) > 0


def test_the_sample_command_writes_english_files(tmp_path: Path) -> None:
    from planner.commands.cli import main

    assert main(["sample", "--members", "20", "--days", "10", "--lang", "en", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(VOCABULARY["en"].file_names.values())
    assert (tmp_path / "activity-log.csv").read_text(encoding="utf-8-sig").startswith(
        "Member ID,Nickname,Time,Action,Amount")
