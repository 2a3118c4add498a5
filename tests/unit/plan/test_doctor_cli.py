"""`python -m planner doctor`: text and JSON output, exit status 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.plan import Plan
from planner.commands.cli import main
from planner.plan.examples import example_slugs, load_example
from planner.plan_core.json_io import plan_to_json
from tests.sample_plans import complete_plan


def _write(tmp_path: Path, plan: Plan, name: str = "plan.json") -> str:
    path = tmp_path / name
    path.write_text(plan_to_json(plan), encoding="utf-8")
    return str(path)


def test_blank_plan_from_new_has_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "blank.json"
    assert main(["new", "--out", str(out)]) == 0
    assert main(["doctor", str(out), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["has_errors"] is True
    assert len(report["findings"]) >= 10
    assert report["completeness"]["score"] == 0
    first = report["findings"][0]
    assert first["severity"] == "error" and first["message"] and first["fix"]


def test_text_output_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", _write(tmp_path, Plan()), "--lang", "en"]) == 1
    text = capsys.readouterr().out
    assert "[Error] Lifecycle & goal · The community has no lifecycle length yet." in text
    assert "Completeness 0%" in text
    assert "6 errors" in text


def test_complete_plan_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", _write(tmp_path, complete_plan())]) == 0
    text = capsys.readouterr().out
    assert "完整度 100%" in text and "没有发现问题" in text


def test_warnings_only_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = complete_plan()
    plan.compliance.privacy_note = ""
    assert main(["doctor", _write(tmp_path, plan), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [f["rule_id"] for f in report["findings"]] == ["compliance.no_privacy"]
    assert report["counts"] == {"error": 0, "warning": 1, "tip": 0}


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", str(tmp_path / "nope.json"), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "file nope.json: Cannot read the file" in captured.err


def test_invalid_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"meta": ', encoding="utf-8")
    assert main(["doctor", str(bad), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "Not valid JSON" in err and "Traceback" not in err


def test_not_a_plan_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "typo.json"
    bad.write_text('{"meta": {"nmae": "x"}}', encoding="utf-8")
    assert main(["doctor", str(bad)]) == 2
    assert "typo.json" in capsys.readouterr().err


@pytest.mark.parametrize("slug", example_slugs())
def test_every_example_has_no_error(slug: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, load_example(slug), f"{slug}.json")
    assert main(["doctor", path, "--json"]) == 0, capsys.readouterr().out
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["error"] == 0


def test_examples_are_shipped() -> None:
    # Guards the parametrized check above against silently running over nothing.
    assert len(example_slugs()) >= 3
