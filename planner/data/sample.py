"""Synthetic but realistic member data: the three inputs with Chinese headers, from a seeded RNG.

Members come in three behaviours (积极分子 ~10 %, 观望者 ~30 %, 潜水者 ~60 %); about a third join
on launch day and the rest trickle in; each member stays active for a random span (lurkers drop
out soonest), and some of those who drop out leave the group (移出). The daily group statistics
are derived from the same events, so all three files agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from planner.data.frames import CHECKIN, JOIN, PURCHASE, REMOVE, SHARE, SPEAK

MEMBER_HEADERS = {"member_id": "成员ID", "nickname": "昵称", "join_date": "入群时间", "channel": "渠道",
                  "paid": "是否付费", "tier": "等级", "tag": "标签"}
ACTIVITY_HEADERS = {"member_id": "成员ID", "nickname": "昵称", "time": "时间", "action": "行为", "amount": "金额"}
DAILY_HEADERS = {"date": "日期", "member_total": "群成员总数", "new_members": "新增成员数",
                 "members_spoke": "发言成员数", "messages": "消息总数"}
FILE_NAMES = {"members": "成员表.csv", "activity": "行为日志.csv", "daily": "群统计.csv"}

# per behaviour: share of members, P(active on a day), mean messages when active, P(check-in | active),
# mean days before dropping out
_BEHAVIOURS = (
    ("activist", 0.10, 0.85, 4.0, 0.92, 400.0),
    ("watcher", 0.30, 0.30, 0.6, 0.7, 90.0),
    ("lurker", 0.60, 0.05, 0.3, 0.3, 25.0),
)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "明华伟芳娜敏静丽强磊军洋勇艳杰娟涛超秀霞平刚桂英"
_CHANNELS = ("朋友邀请", "公众号", "海报二维码", "直播间", "老带新")


@dataclass
class Sample:
    members: pd.DataFrame  # canonical member columns
    activity: pd.DataFrame  # canonical activity columns
    daily: pd.DataFrame  # canonical daily columns


def generate(members: int = 200, days: int = 90, seed: int = 7, start: date = date(2026, 1, 5)) -> Sample:
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
    names = np.array([_SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)]
                      + (str(i // 400) if i >= 400 else "") for i in range(n)])
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
        "channel": rng.choice(_CHANNELS, n), "paid": paid,
        "tier": np.where(paid, rng.choice(["月卡", "年卡"], n), "免费"),
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
    return Sample(members_df, activity, daily)


def to_files(sample: Sample) -> dict[str, bytes]:
    """The three CSV files (UTF-8 with BOM, as Excel likes them) under their Chinese names."""
    members = sample.members.rename(columns=MEMBER_HEADERS).copy()
    members["入群时间"] = sample.members["join_date"].dt.strftime("%Y-%m-%d %H:%M")
    members["是否付费"] = np.where(sample.members["paid"], "是", "否")
    activity = sample.activity.rename(columns=ACTIVITY_HEADERS).copy()
    activity["时间"] = sample.activity["time"].dt.strftime("%Y-%m-%d %H:%M:%S")
    daily = sample.daily.rename(columns=DAILY_HEADERS).copy()
    daily["日期"] = sample.daily["date"].dt.strftime("%Y-%m-%d")
    return {FILE_NAMES[k]: frame.to_csv(index=False).encode("utf-8-sig")
            for k, frame in (("members", members), ("activity", activity), ("daily", daily))}


def write(sample: Sample, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in to_files(sample).items():
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def shipped_files() -> list[tuple[str, bytes]]:
    """The small sample in assets/sample/ as (name, bytes), ready for `ingest.load_files`."""
    from planner.paths import SAMPLE_DATA

    return [(p.name, p.read_bytes()) for p in sorted(SAMPLE_DATA.glob("*.csv"))]
