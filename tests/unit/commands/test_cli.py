"""`python -m planner`: help, new, list-examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.plan import SCHEMA_VERSION
from planner.commands.cli import main
from planner.plan.examples import example_slugs
from planner.plan_core.json_io import plan_from_json

ROOT = Path(__file__).resolve().parents[3]


def test_help_runs_as_a_module() -> None:
    result = subprocess.run([sys.executable, "-m", "planner", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "new" in result.stdout and "list-examples" in result.stdout


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_new_blank_plan_to_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    assert main(["new", "--name", "测试群", "--lang", "en", "--out", str(out)]) == 0
    plan, problems = plan_from_json(out.read_bytes())
    assert problems == [] and plan.meta.name == "测试群" and plan.meta.language == "en"


def test_new_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new"]) == 0
    assert json.loads(capsys.readouterr().out)["schema_version"] == SCHEMA_VERSION


def test_unknown_example_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--example", "no_such_example"]) == 2
    assert "no_such_example" in capsys.readouterr().err


@pytest.mark.parametrize("slug", example_slugs())
def test_new_from_each_example(slug: str, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    assert main(["new", "--example", slug, "--out", str(out)]) == 0
    plan, problems = plan_from_json(out.read_bytes())
    assert problems == [] and plan.meta.name


def test_list_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list-examples"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == example_slugs()
