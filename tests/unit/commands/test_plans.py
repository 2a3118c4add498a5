"""`python -m planner plans …` against the configured database, SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models import Plan
from planner.commands.cli import main
from planner.plan_core.json_io import plan_to_json
from planner.store import open_store

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = str(tmp_path / "cli.sqlite3") if request.param == "sqlite" else request.getfixturevalue("pg_db")
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", url)
    return url


def plan_file(tmp_path: Path, name: str = "读书会 📚") -> tuple[Plan, Path]:
    plan = Plan()
    plan.meta.name = name
    path = tmp_path / f"{plan.id}.json"
    path.write_text(plan_to_json(plan), encoding="utf-8")
    return plan, path


def test_import_list_show_export(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plans", "list"]) == 0
    assert "还没有方案" in capsys.readouterr().err
    plan, path = plan_file(tmp_path)
    assert main(["plans", "import", str(path)]) == 0
    assert f"已导入方案 {plan.id}" in capsys.readouterr().out

    assert main(["plans", "list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["id"], row["name"], row["version"]) == (plan.id, "读书会 📚", 1) and row["updated"]
    assert main(["plans", "list"]) == 0
    assert capsys.readouterr().out.split("\t")[:2] == [plan.id, "v1"]

    assert main(["plans", "show", plan.id, "--json"]) == 0
    shown = capsys.readouterr().out
    store = open_store(db)
    assert shown == plan_to_json(store.get(plan.id))
    assert main(["plans", "show", plan.id]) == 0
    assert "命令行 CLI" in capsys.readouterr().out  # the revision's author

    out = tmp_path / "out.json"
    assert main(["plans", "export", plan.id, "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == shown
    store.close()


def test_import_never_overwrites_unless_asked(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan, path = plan_file(tmp_path, "first")
    assert main(["plans", "import", str(path)]) == 0
    plan.meta.name = "second"
    path.write_text(plan_to_json(plan), encoding="utf-8")
    capsys.readouterr()
    assert main(["plans", "import", str(path), "--lang", "en"]) == 2
    assert f"Plan {plan.id} already exists (version 1)" in capsys.readouterr().err
    assert main(["plans", "import", str(path), "--replace"]) == 0
    store = open_store(db)
    assert store.get_versioned(plan.id)[0].meta.name == "second" and store.version(plan.id) == 2
    store.close()


@pytest.mark.parametrize(
    "action", [["show", "nope"], ["show", "nope", "--json"], ["export", "nope", "--out", "x.json"]]
)
def test_unknown_id(db: str, action: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plans", *action]) == 2
    assert capsys.readouterr().err.strip() == "找不到方案 nope。用 python -m planner plans list 查看已有方案。"
    assert main(["plans", *action, "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("No plan nope.")


def test_unreadable_and_invalid_files(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plans", "import", str(tmp_path / "missing.json")]) == 2
    assert "无法读取" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["plans", "import", str(bad), "--lang", "en"]) == 2
    assert (
        capsys.readouterr().err.strip()
        == "row 1, column/field 2: Not valid JSON: a field name in double quotes is expected here (perhaps an extra "
        "comma, or single quotes)."
    )
    assert main(["plans", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_unwritable_output(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan, path = plan_file(tmp_path)
    main(["plans", "import", str(path)])
    assert main(["plans", "export", plan.id, "--out", str(tmp_path / "no" / "such" / "dir.json")]) == 2
    assert "无法写入" in capsys.readouterr().err


def _run(env_db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMMUNITY_PLANNER_DB": env_db}
    return subprocess.run([sys.executable, "-m", "planner", "plans", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_postgres_down_is_one_line_without_traceback(pg_cluster) -> None:  # type: ignore[no-untyped-def]
    down = pg_cluster.url().replace(f"port={pg_cluster.port}", f"port={pg_cluster.port + 1}")
    result = _run(down, "list", "--lang", "en")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "The database operation failed: The database server cannot be reached (it is stopped, refused the "
        "connection or did not answer). Your edit is kept on this page and saved again automatically once the "
        "server is back."
    ]


def test_sqlite_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    result = _run(str(tmp_path), "list")  # a folder, not a file
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "打不开数据库文件" in result.stderr


def test_secrets_file_names_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMUNITY_PLANNER_DB")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / ".streamlit").mkdir()
    target = tmp_path / "from-secrets.sqlite3"
    (tmp_path / ".streamlit" / "secrets.toml").write_text(f'[database]\nurl = "sqlite:///{target}"\n')
    monkeypatch.chdir(tmp_path)
    _, path = plan_file(tmp_path)
    assert main(["plans", "import", str(path)]) == 0
    assert len(open_store(str(target)).list()) == 1
