"""The analyze / sample commands, pseudonyms, chart point limits, the metric dictionary, page views."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner import i18n
from planner.commands.cli import main
from planner.data import charts as charts_data
from planner.data import metrics
from planner.data import view as data_view
from planner.data.analysis import KPI_METRICS
from planner.data.analytics import analyze
from planner.data.frames import format_label
from planner.data.ingest import load_files
from planner.data.pseudonym import alias_map, pseudonymise
from planner.data.sample import generate, shipped_files, to_files

REQUIRED = ("members", "events", "new_per_month", "active_per_month", "retention", "layers", "concentration",
            "bad_rows", "format")


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    assert main(["sample", "--members", "60", "--days", "70", "--out", str(out)]) == 0
    return out


def test_sample_command_writes_three_files_with_chinese_headers(sample_dir: Path) -> None:
    names = sorted(p.name for p in sample_dir.iterdir())
    assert names == sorted(["成员表.csv", "行为日志.csv", "群统计.csv"])
    assert (sample_dir / "行为日志.csv").read_text(encoding="utf-8-sig").startswith("成员ID,昵称,时间,行为,金额")


def test_sample_is_seeded_and_has_layers_and_churn() -> None:
    one, two = generate(300, 120, seed=3), generate(300, 120, seed=3)
    pd.testing.assert_frame_equal(one.activity, two.activity)
    actions = set(one.activity["action"])
    assert {"发言", "打卡", "加入", "移出", "购买"} <= actions
    analysis = analyze(load_files(list(to_files(one).items())))
    assert analysis.layers["lurker"] > analysis.layers["activist"] > 0
    assert analysis.retention[min(analysis.retention)]["1"] < 1.0


def test_analyze_command_prints_the_required_json_keys(sample_dir: Path, capsys) -> None:
    code = main(["analyze", str(sample_dir / "行为日志.csv"), "--members", str(sample_dir / "成员表.csv"), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    for key in REQUIRED:
        assert key in data
    cohort = next(iter(data["retention"].values()))
    assert list(cohort) == [str(k) for k in range(13)]
    assert all(len(k) == 7 for k in data["new_per_month"])


def test_analyze_command_with_plan_reports_plan_vs_actual(sample_dir: Path, tmp_path: Path, capsys) -> None:
    plan_path = tmp_path / "plan.json"
    assert main(["new", "--example", "early_rise_camp", "--out", str(plan_path)]) == 0
    assert main(["analyze", str(sample_dir / "行为日志.csv"), "--plan", str(plan_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plan_vs_actual"] and {r["status"] for r in data["plan_vs_actual"]} <= {
        "met", "missed", "pending", "no_data", "no_date", "manual", "measured"}


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00" * 50])
def test_analyze_command_unreadable_input_exits_2(tmp_path: Path, capsys, content: bytes) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    assert main(["analyze", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "bad.csv" in captured.err


def test_analyze_command_missing_file_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["analyze", str(tmp_path / "nope.csv")]) == 2
    assert capsys.readouterr().err


def test_pseudonymise_is_stable_and_hides_names() -> None:
    frame = pd.DataFrame({"member_id": ["b", "a", "b"], "nickname": ["Bob", "Ann", "Bob"], "n": [1, 2, 3]})
    aliases = alias_map(["a", "b"])
    out = pseudonymise(frame, aliases)
    assert list(out["member_id"]) == ["成员-0002", "成员-0001", "成员-0002"]
    assert "Bob" not in out.to_csv() and list(out["n"]) == [1, 2, 3]
    assert list(pseudonymise(frame)["member_id"]) == ["成员-0001", "成员-0002", "成员-0001"]
    assert pseudonymise(frame, {"a": "成员-0001"})["member_id"].iloc[0] == "成员-0002"


def test_charts_have_data_and_respect_the_point_limit() -> None:
    analysis = analyze(load_files(shipped_files()))
    charts = charts_data.export_charts(analysis, "en")
    assert len(charts) == 8
    for _, chart in charts:
        assert 0 < charts_data.point_count(chart) <= charts_data.MAX_POINTS
    long = pd.DataFrame({"date": pd.date_range("2000-01-01", periods=12_000), "v": range(12_000)})
    assert len(charts_data.limit_points(long)) <= charts_data.MAX_POINTS


def test_metric_dictionary_defines_every_kpi_metric_in_both_languages() -> None:
    for lang in i18n.LANGS:
        entries = metrics.dictionary(lang)
        keys = [e["key"] for e in entries]
        assert keys[: len(KPI_METRICS)] == list(KPI_METRICS)
        for entry in entries:
            assert entry["definition"] and not entry["definition"].startswith("data.metric.")
    assert metrics.is_measured("dau_mau") and not metrics.is_measured("口碑")


def test_page_views_are_localised() -> None:
    result = load_files([("log.csv", "成员ID,时间\nu1,2026-03-01\nu2,坏日期\n".encode())])
    table = data_view.bad_row_table(result.problems, "en")
    assert list(table.columns) == ["File", "Row", "Column", "Value", "Reason"]
    assert table.iloc[0]["Row"] == 3 and "坏日期" in table.iloc[0]["Reason"]
    analysis = analyze(result)
    for lang in ("zh", "en"):
        tiles = data_view.headline(analysis, lang)
        assert not any("{" in text for tile in tiles for text in tile)  # no unfilled placeholders
        for label, value, help_text in tiles:
            assert label and value and not help_text.startswith("data.")
            assert len(label) <= 20  # a tile is narrow: longer labels are cut off
    assert dict((label, value) for label, value, _ in data_view.headline(analysis, "zh"))["成员数（期末）"] == "1"
    big = analysis.__class__(window={"start": "2026-01-01", "end": "2026-01-30", "days": 30, "basis": "all",
                                     "members": 12345, "events": 1234567})
    tiles = {label: value for label, value, _ in data_view.headline(big, "en")}
    assert (tiles["Members at end"], tiles["Events (all)"]) == ("12,345", "1,234,567")  # grouped digits
    assert format_label("generic", "en").startswith("generic spreadsheet")
    assert format_label("wecom+generic", "zh") == "企业微信客户群数据 + 通用表格（按列名自动映射）"
    assert format_label("unknown_source", "en") == "unknown_source"


def test_analysis_options_follow_the_data_page_settings() -> None:
    options = data_view.analysis_options({**data_view.DEFAULT_SETTINGS, "silent": 14, "event_date": "2026-02-01"})
    assert options.inactive_silent_days == 14
    assert options.inactive_prior_days == data_view.DEFAULT_SETTINGS["prior"]
    assert str(options.event_date) == "2026-02-01"
    assert data_view.analysis_options(data_view.DEFAULT_SETTINGS).event_date is None


def test_layer_member_list_shows_days_not_midnight_timestamps() -> None:
    log = "成员ID,昵称,时间,行为\nu1,阿明,2026-03-01 08:00,打卡\nu2,小红,2026-03-02 21:30,发言\n"
    analysis = analyze(load_files([("log.csv", log.encode())]))
    layer = analysis.member_table["layer"].iloc[0]
    shown = data_view.members_in_layer(analysis, layer, None, "zh")
    last = shown.iloc[:, -1].tolist()
    assert last and all(len(day) == 10 and day.startswith("2026-03-0") for day in last), last
