"""`python -m planner sop`: schedule files from a plan JSON, and clear errors."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar

from models.plan import Plan, Role
from models.sop import SopRule, Trigger, TriggerKind
from planner.commands.cli import main
from planner.plan_core.json_io import plan_to_json

ROOT = Path(__file__).resolve().parents[3]


def write_plan(tmp_path: Path, start: date | None = date(2026, 3, 2)) -> Path:
    plan = Plan()
    plan.lifecycle.length_days = 14
    plan.lifecycle.start_date = start
    plan.roles = [Role(id="ta", name="助教", hours_per_week=7)]
    plan.sop.rules = [SopRule(name="打卡提醒", owner_role="ta",
                              trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[0, 3], at_time=time(9, 0)))]
    path = tmp_path / "plan.json"
    path.write_text(plan_to_json(plan), encoding="utf-8")
    return path


def test_csv_with_the_plan_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.csv"
    assert main(["sop", str(write_plan(tmp_path)), "--format", "csv", "--out", str(out)]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert list(frame["日期"]) == ["2026-03-02", "2026-03-05", "2026-03-09", "2026-03-12"]
    assert "4" in capsys.readouterr().err


def test_start_option_moves_the_schedule_and_format_follows_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "s.ics"
    assert main(["sop", str(write_plan(tmp_path, start=None)), "--start", "2026-03-04", "--out", str(out)]) == 0
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert [e.decoded("DTSTART").date().isoformat() for e in events] == ["2026-03-05", "2026-03-09", "2026-03-12",
                                                                          "2026-03-16"]


def test_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    assert main(["sop", str(write_plan(tmp_path)), "--format", "xlsx", "--out", str(out), "--lang", "en"]) == 0
    assert len(pd.read_excel(io.BytesIO(out.read_bytes()))) == 4


def test_no_start_date_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sop", str(write_plan(tmp_path, start=None)), "--out", str(tmp_path / "x.csv")]) == 2
    assert "--start" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("args", [["--start", "2026-13-01"], ["--start", "tomorrow"]])
def test_bad_start_date(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert main(["sop", str(write_plan(tmp_path)), *args, "--lang", "en"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_missing_and_invalid_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sop", str(tmp_path / "nope.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["sop", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "nope.json" in err and "bad.json" in err and "Traceback" not in err


def test_runs_as_a_module_to_stdout(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "planner", "sop", str(write_plan(tmp_path))], cwd=ROOT,
                            capture_output=True)
    assert result.returncode == 0
    assert result.stdout.decode("utf-8-sig").count("打卡提醒") == 4
