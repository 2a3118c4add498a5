"""Synthetic but realistic member data: the three inputs, from a seeded RNG, in Chinese or English.

Members come in three behaviours (积极分子 ~10 %, 观望者 ~30 %, 潜水者 ~60 %); about a third join
on launch day and the rest trickle in; each member stays active for a random span (lurkers drop
out soonest), and some of those who drop out leave the group (移出). The daily group statistics
are derived from the same events, so all three files agree.

The language is decided here, once (`VOCABULARY`): it picks the headers, file names, nicknames,
channels, tiers and action words. The random draws do not depend on it, so both languages hold the
same figures (the same members join, speak and leave on the same days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from planner.data.frames import CHECKIN, JOIN, PURCHASE, REMOVE, SHARE, SPEAK


@dataclass(frozen=True)
class Vocabulary:
    """Everything in the sample files that is words, for one language."""

    members: dict[str, str]  # canonical column -> header
    activity: dict[str, str]
    daily: dict[str, str]
    file_names: dict[str, str]  # members / activity / daily -> file name
    actions: dict[str, str]  # canonical action -> the word written in the log
    yes_no: tuple[str, str]
    tiers: tuple[str, str, str]  # monthly, yearly, free
    channels: tuple[str, ...]
    first_names: tuple[str, ...]  # zh: surnames
    last_names: tuple[str, ...]  # zh: given names


_ZH = Vocabulary(
    members={"member_id": "成员ID", "nickname": "昵称", "join_date": "入群时间", "channel": "渠道",
             "paid": "是否付费", "tier": "等级", "tag": "标签"},
    activity={"member_id": "成员ID", "nickname": "昵称", "time": "时间", "action": "行为", "amount": "金额"},
    daily={"date": "日期", "member_total": "群成员总数", "new_members": "新增成员数",
           "members_spoke": "发言成员数", "messages": "消息总数"},
    file_names={"members": "成员表.csv", "activity": "行为日志.csv", "daily": "群统计.csv"},
    actions={a: a for a in (SPEAK, CHECKIN, SHARE, PURCHASE, JOIN, REMOVE)},  # the canonical words are Chinese
    yes_no=("是", "否"),
    tiers=("月卡", "年卡", "免费"),
    channels=("朋友邀请", "公众号", "海报二维码", "直播间", "老带新"),
    first_names=tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"),
    last_names=tuple("明华伟芳娜敏静丽强磊军洋勇艳杰娟涛超秀霞平刚桂英"),
)
# English headers and action words are ones the reader already knows (planner/data/frames.ALIASES,
# planner/data/canonical.ACTION_SYNONYMS). Some nicknames carry an apostrophe or a comma on purpose:
# real exports have them, and a CSV must quote them.
_EN = Vocabulary(
    members={"member_id": "Member ID", "nickname": "Nickname", "join_date": "Join date", "channel": "Channel",
             "paid": "Paid", "tier": "Tier", "tag": "Tag"},
    activity={"member_id": "Member ID", "nickname": "Nickname", "time": "Time", "action": "Action",
              "amount": "Amount"},
    daily={"date": "Date", "member_total": "Members", "new_members": "New members",
           "members_spoke": "Members who spoke", "messages": "Messages"},
    file_names={"members": "members.csv", "activity": "activity-log.csv", "daily": "daily-stats.csv"},
    actions={SPEAK: "message", CHECKIN: "check-in", SHARE: "share", PURCHASE: "purchase", JOIN: "join",
             REMOVE: "removed"},
    yes_no=("yes", "no"),
    tiers=("Monthly", "Annual", "Free"),
    channels=("Friend invite", "Newsletter", "Poster QR code", "Live stream", "Member referral"),
    first_names=("Conor", "Priya", "Jo", "Marcus", "Aisha", "Tom", "Sofia", "Liam", "Grace", "Mateo",
                 "Hannah", "Kwame", "Emma", "Ravi", "Chloe", "Ben", "Zoe", "Diego", "Maya", "Owen"),
    last_names=("O'Brien", "Patel", "Brown", "Nguyen", "Okafor", "Walsh", "Garcia", "Reid", "D'Souza", "Kim",
                "Murphy", "Jones", "Silva", "Taylor", "Smith", "Evans", "Hughes", "Cohen", "Lopez", "Ali",
                "Clarke", "Fox", "Moore", "Shaw", "Ward"),
)
VOCABULARY: dict[str, Vocabulary] = {"zh": _ZH, "en": _EN}
LANGUAGES = tuple(VOCABULARY)


def vocabulary(lang: str) -> Vocabulary:
    """The sample's words in `lang`; any other language gets the Chinese sample (the default interface)."""
    return VOCABULARY.get(lang, _ZH)


def _nickname(i: int, words: Vocabulary) -> str:
    """Member i's nickname: deterministic, repeating (as real nicknames do), unique enough to tell apart."""
    first = words.first_names[i % len(words.first_names)]
    last = words.last_names[(i * 7) % len(words.last_names)]
    suffix = str(i // 400) if i >= 400 else ""
    if words is _ZH:
        return first + last + suffix
    # every 9th from the third, as a sheet exported "Last, First" would write it: "Smith, Jo"
    return (f"{last}, {first}" if i % 9 == 2 else f"{first} {last}") + (f" {suffix}" if suffix else "")


# per behaviour: share of members, P(active on a day), mean messages when active, P(check-in | active),
# mean days before dropping out
_BEHAVIOURS = (
    ("activist", 0.10, 0.85, 4.0, 0.92, 400.0),
    ("watcher", 0.30, 0.30, 0.6, 0.7, 90.0),
    ("lurker", 0.60, 0.05, 0.3, 0.3, 25.0),
)


@dataclass
class Sample:
    members: pd.DataFrame  # canonical member columns
    activity: pd.DataFrame  # canonical activity columns
    daily: pd.DataFrame  # canonical daily columns
    lang: str = "zh"  # the language of its words (nicknames, channels, tiers; headers when written)


def generate(members: int = 200, days: int = 90, seed: int = 7, start: date = date(2026, 1, 5),
             lang: str = "zh") -> Sample:
    words = vocabulary(lang)
    rng = np.random.default_rng(seed)
    n, nd = max(members, 1), max(days, 1)
    kinds = rng.choice(len(_BEHAVIOURS), size=n, p=[b[1] for b in _BEHAVIOURS])
    p_active = np.array([b[2] for b in _BEHAVIOURS])[kinds]
    msg_mean = np.array([b[3] for b in _BEHAVIOURS])[kinds]
    p_checkin = np.array([b[4] for b in _BEHAVIOURS])[kinds]
    stay = rng.exponential(np.array([b[5] for b in _BEHAVIOURS])[kinds]).astype(np.int64) + 1
    launch = rng.random(n) < 0.35
    join_day = np.where(launch, 0, np.minimum((rng.random(n) ** 1.6 * nd).astype(np.int64), nd - 1))
    last_day = join_day + stay  # exclusive; beyond the data range means still active
    leaves = (last_day < nd) & (rng.random(n) < 0.3)
    ids = np.array([f"U{10000 + i}" for i in range(n)])
    names = np.array([_nickname(i, words) for i in range(n)])
    base = np.datetime64(start, "D")

    # member × day activity, one row per active member-day
    day_grid = np.arange(nd)
    alive = (day_grid[None, :] >= join_day[:, None]) & (day_grid[None, :] < last_day[:, None])
    weekend = ((base + day_grid).astype("datetime64[D]").view("int64") + 3) % 7 >= 5
    active = alive & (rng.random((n, nd)) < p_active[:, None] * np.where(weekend, 0.8, 1.0)[None, :])
    am, ad = np.nonzero(active)
    msgs = rng.poisson(msg_mean[am])
    checks = rng.random(len(am)) < p_checkin[am]
    shares = rng.random(len(am)) < 0.05
    buys = rng.random(len(am)) < 0.01
    # every active member-day produces at least one event
    msgs = np.where((msgs == 0) & ~checks & ~shares & ~buys, 1, msgs)
    parts = [
        (np.repeat(am, msgs), np.repeat(ad, msgs), SPEAK),
        (am[checks], ad[checks], CHECKIN),
        (am[shares], ad[shares], SHARE),
        (am[buys], ad[buys], PURCHASE),
        (np.arange(n), join_day, JOIN),
        (np.flatnonzero(leaves), last_day[leaves], REMOVE),
    ]
    m = np.concatenate([p[0] for p in parts])
    d = np.concatenate([p[1] for p in parts])
    action = np.concatenate([np.full(len(p[0]), p[2], dtype=object) for p in parts])
    hour = np.where(action == CHECKIN, rng.integers(6, 9, len(m)), rng.integers(8, 24, len(m)))
    seconds = hour * 3600 + rng.integers(0, 3600, len(m))
    time = (base + d).astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    amount = np.where(action == PURCHASE, rng.choice([9.9, 49.0, 99.0, 199.0], len(m)), np.nan)
    activity = pd.DataFrame({"member_id": ids[m], "nickname": names[m], "time": time.astype("datetime64[ns]"),
                             "action": action.astype(str), "amount": amount})
    activity = activity.sort_values("time", kind="stable", ignore_index=True)

    paid = rng.random(n) < np.array([0.6, 0.25, 0.05])[kinds]
    members_df = pd.DataFrame({
        "member_id": ids, "nickname": names,
        "join_date": ((base + join_day).astype("datetime64[s]")
                      + rng.integers(9 * 3600, 22 * 3600, n).astype("timedelta64[s]")).astype("datetime64[ns]"),
        "channel": rng.choice(np.array(words.channels, dtype=object), n), "paid": paid,
        "tier": np.where(paid, rng.choice(np.array(words.tiers[:2], dtype=object), n), words.tiers[2]),
        "tag": np.where(rng.random(n) < 0.02, "KOL", ""),
    })
    joined = np.bincount(join_day, minlength=nd)
    left = np.bincount(last_day[leaves], minlength=nd)[:nd]
    spoke = action == SPEAK
    speakers = pd.Series(m[spoke]).groupby(d[spoke]).nunique().reindex(range(nd), fill_value=0).to_numpy()
    daily = pd.DataFrame({"date": (base + day_grid).astype("datetime64[ns]"),
                          "member_total": np.cumsum(joined) - np.cumsum(left),
                          "new_members": joined, "members_spoke": speakers,
                          "messages": np.bincount(d[spoke], minlength=nd)[:nd]})
    return Sample(members_df, activity, daily, lang if lang in VOCABULARY else "zh")


def to_files(sample: Sample) -> dict[str, bytes]:
    """The three CSV files (UTF-8 with BOM, as Excel likes them) with the headers and names of the
    sample's language."""
    words = vocabulary(sample.lang)
    members = sample.members.copy()
    members["join_date"] = sample.members["join_date"].dt.strftime("%Y-%m-%d %H:%M")
    members["paid"] = np.where(sample.members["paid"], *words.yes_no)
    activity = sample.activity.copy()
    activity["time"] = sample.activity["time"].dt.strftime("%Y-%m-%d %H:%M:%S")
    activity["action"] = sample.activity["action"].map(words.actions).fillna(sample.activity["action"])
    daily = sample.daily.copy()
    daily["date"] = sample.daily["date"].dt.strftime("%Y-%m-%d")
    frames = {"members": members.rename(columns=words.members), "activity": activity.rename(columns=words.activity),
              "daily": daily.rename(columns=words.daily)}
    return {words.file_names[k]: frame.to_csv(index=False).encode("utf-8-sig") for k, frame in frames.items()}


def write(sample: Sample, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in to_files(sample).items():
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths


# The shipped samples are generate(**SHIPPED, lang=...), written by
# `python -m planner sample --members 150 --days 100 --lang en --out assets/sample/en` (a test checks they match).
SHIPPED = {"members": 150, "days": 100, "seed": 7}


def shipped_dir(lang: str) -> Path:
    """Where the shipped sample of `lang` lives: the Chinese one in assets/sample/, others in a folder
    named by the language (assets/sample/en/)."""
    from planner.paths import SAMPLE_DATA

    return SAMPLE_DATA if vocabulary(lang) is _ZH else SAMPLE_DATA / lang


def shipped_files(lang: str = "zh") -> list[tuple[str, bytes]]:
    """The small sample in the interface language `lang` as (name, bytes), ready for `ingest.load_files`."""
    return [(p.name, p.read_bytes()) for p in sorted(shipped_dir(lang).glob("*.csv"))]
