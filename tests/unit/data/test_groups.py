"""Issue 17: several groups side by side, with hand-checked figures."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from planner.data.analysis import to_json
from planner.data.analytics import analyze
from planner.data.groups import batch_number
from planner.data.ingest import load_files


def _rows(group: str, start: date, plan: dict[str, tuple[str, range]]) -> list[str]:
    rows = []
    for member, (action, days) in plan.items():
        rows += [f"{member},{(start + timedelta(days=d)).isoformat()} 08:00,{action},{group}" for d in days]
    return rows


def two_groups() -> bytes:
    # 一群 spans 20 days, 二群 14: both are compared over their first 14 days
    a = _rows("一群", date(2026, 3, 1), {"a1": ("发言", range(20)), "a2": ("打卡", range(14)),
                                       "a3": ("发言", range(1)), "a4": ("发言", range(15, 16))})
    b = _rows("二群", date(2026, 4, 1), {"b1": ("发言", range(14)), "b2": ("发言", range(2)),
                                       "b3": ("发言", range(1)), "b4": ("打卡", range(13, 14))})
    return ("成员ID,时间,行为,群名\n" + "\n".join(sorted(a + b, key=lambda r: r.split(",")[1])) + "\n").encode()


@pytest.fixture(scope="module")
def comparison() -> dict:
    return analyze(load_files([("groups.csv", two_groups())])).comparison


def test_two_groups_over_the_same_number_of_days_from_their_own_start(comparison: dict) -> None:
    assert comparison["horizon_days"] == 14 and not comparison["batches"]
    assert comparison["order"] == ["一群", "二群"]
    one, two = comparison["groups"]["一群"], comparison["groups"]["二群"]
    # 一群: a4 first speaks on day 15, after the horizon; a2's 14 check-ins over 3 members × 14 days
    assert (one["start"], one["members"], one["new"], one["active"], one["events"], one["messages"]) == (
        "2026-03-01", 3, 3, 3, 29, 15)
    assert one["retention"] == pytest.approx(2 / 3, abs=1e-6)  # a1, a2 of a1–a3 active on days 7–13
    assert one["checkin_rate"] == pytest.approx(14 / 42, abs=1e-6)
    assert one["concentration"] == pytest.approx(2 / 3, abs=1e-6)  # a1 + a2 carry half of 29 events
    # 二群: b4 joins on day 13 (1 member-day) and checks in once
    assert (two["members"], two["new"], two["active"], two["events"], two["messages"]) == (4, 4, 4, 18, 17)
    assert two["retention"] == pytest.approx(1 / 3, abs=1e-6)
    assert two["checkin_rate"] == pytest.approx(1 / 43, abs=1e-6)
    assert two["concentration"] == pytest.approx(1 / 4, abs=1e-6)
    # the median of two groups is their mean: 二群 is below 80 % of it on retention and check-ins
    assert one["lagging"] == [] and two["lagging"] == ["retention", "checkin_rate"]
    days = [r for r in comparison["daily"] if r["group"] == "二群"]
    assert [r["day"] for r in days] == list(range(14)) and days[0]["dau"] == 3 and days[13]["dau"] == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_aligned_chart_reads_a_groups_first_day_as_day_1(comparison: dict, lang: str) -> None:
    # the comparison keeps days from 0 (offsets); the chart a person reads starts at day 1, ends at the horizon
    from planner.data.charts import groups_aligned
    from planner.i18n import t

    spec = groups_aligned(comparison, lang).to_dict()
    rows = next(iter(spec["datasets"].values()))
    two = [r for r in rows if r["group"] == "二群"]
    assert [r["day"] for r in two] == list(range(1, comparison["horizon_days"] + 1))
    assert two[0]["dau"] == 3 and two[-1]["dau"] == 2  # the same days as stored, only numbered from 1
    assert spec["encoding"]["x"]["title"] == t("data.chart.axis.days_since_start", lang)
    assert "1" in spec["encoding"]["x"]["title"]  # the axis says which day is day 1


def test_analyze_json_has_the_same_keys_per_group() -> None:
    out = to_json(analyze(load_files([("groups.csv", two_groups())])))
    json.dumps(out)
    assert set(out["groups"]) == {"一群", "二群"} and out["group_horizon_days"] == 14
    assert out["groups"]["一群"].keys() == out["groups"]["二群"].keys()


def test_three_batches_are_compared_batch_by_batch() -> None:
    rows = _rows("第1期", date(2026, 1, 1), {"p": ("打卡", range(14)), "q": ("打卡", range(14))})
    rows += _rows("第2期", date(2026, 2, 1), {"r": ("打卡", range(14)), "s": ("发言", range(14))})
    rows += _rows("第3期", date(2026, 3, 1), {m: ("打卡", range(20)) for m in ("t", "u", "v", "w")})
    log = ("成员ID,时间,行为,期数\n" + "\n".join(rows) + "\n").encode()
    comparison = analyze(load_files([("camp.csv", log)])).comparison
    assert comparison["batches"] and comparison["order"] == ["第1期", "第2期", "第3期"]
    assert comparison["horizon_days"] == 14
    figures = comparison["groups"]
    assert [figures[b]["checkin_rate"] for b in comparison["order"]] == [1.0, 0.5, 1.0]
    assert [figures[b]["retention"] for b in comparison["order"]] == [1.0, 1.0, 1.0]
    assert figures["第1期"]["change"] == {}
    assert figures["第2期"]["change"]["checkin_rate"] == -0.5
    assert figures["第3期"]["change"] == {"members": 2, "active_share": 0.0, "retention": 0.0, "checkin_rate": 0.5}
    assert [b for b in comparison["order"] if figures[b]["lagging"]] == ["第2期"]


def test_files_labelled_as_groups() -> None:
    one = "成员ID,时间,行为\na,2026-03-01 08:00,发言\nb,2026-03-02 08:00,打卡\n".encode()
    two = "成员ID,时间,行为\nc,2026-04-01 08:00,发言\nd,2026-04-02 08:00,发言\n".encode()
    files = [("北京群.csv", one), ("上海群.csv", two)]
    assert analyze(load_files(files)).comparison == {}
    labelled = load_files(files, options={"group_by_file": True, "group_labels": {"上海群.csv": "上海 1 群"}})
    assert set(analyze(labelled).comparison["groups"]) == {"北京群", "上海 1 群"}


@pytest.mark.parametrize(("name", "number"), [("第2期", 2), ("早起营 第 12 期", 12), ("Batch 3", 3), ("一群", None)])
def test_batch_numbers(name: str, number: int | None) -> None:
    assert batch_number(name) == number


def test_analyze_command_prints_groups(tmp_path, capsys) -> None:
    from planner.commands.cli import main

    (tmp_path / "groups.csv").write_bytes(two_groups())
    assert main(["analyze", str(tmp_path / "groups.csv"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["groups"]["二群"]["lagging"] == ["retention", "checkin_rate"]
    (tmp_path / "北京群.csv").write_bytes("成员ID,时间,行为\na,2026-03-01 08:00,发言\n".encode())
    (tmp_path / "上海群.csv").write_bytes("成员ID,时间,行为\nc,2026-04-01 08:00,发言\n".encode())
    assert main(["analyze", str(tmp_path / "北京群.csv"), str(tmp_path / "上海群.csv"), "--group-by-file"]) == 0
    assert set(json.loads(capsys.readouterr().out)["groups"]) == {"北京群", "上海群"}


def test_documents_carry_the_group_comparison_and_the_headline_period() -> None:
    from planner.export import build_document, render
    from planner.plan.examples import load_example

    plan = load_example("early_rise_camp")
    analysis = analyze(load_files([("groups.csv", two_groups())], plan=plan), plan)
    text = render(build_document(plan, "zh", analysis, charts=False), "md").decode("utf-8")
    assert "多群对比" in text and "留存、打卡率" in text  # the laggard's row
    assert "以下数字统计数据的最后 30 天：2026-03-16" in text and "| 成员数（期末） | 8 |" in text
