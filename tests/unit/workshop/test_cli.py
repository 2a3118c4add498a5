"""`python -m planner workshop …`, on SQLite and PostgreSQL: create --json and a refused action as
processes; show --json, export, archive and delete in process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from planner.commands.cli import main
from planner.store import ParticipantStore, StorageError, WorkshopStore, open_store
from planner.store.workshops import CODE_ALPHABET

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = str(tmp_path / "cli.sqlite3") if request.param == "sqlite" else request.getfixturevalue("pg_db")
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", url)
    return url


def _run(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMMUNITY_PLANNER_DB": db}
    return subprocess.run([sys.executable, "-m", "planner", "workshop", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_create_json_and_a_refused_action_as_processes(db: str) -> None:
    made = _run(db, "create", "--name", "周末工作坊", "--from-example", "early_rise_camp", "--json",
                "--base-url", "https://planner.example.com/")  # fmt: skip
    assert made.returncode == 0, made.stderr
    out = json.loads(made.stdout)
    assert set(out) == {"code", "link", "trainer_key"}
    code = out["code"]
    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    assert out["link"] == f"https://planner.example.com/?workshop={code}"
    store = open_store(db)
    try:
        shops = WorkshopStore(store)
        assert shops.is_trainer(code, key=out["trainer_key"])
        assert shops.get(code).start_slug == "early_rise_camp"
    finally:
        store.close()
    refused = _run(db, "show", "NOPE22", "--lang", "en")
    assert refused.returncode == 2 and refused.stdout == "" and "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines() == ["No workshop has the code NOPE22."]
    unknown = _run(db, "create", "--name", "x", "--from-example", "no_such_example")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1 and "no_such_example" in unknown.stderr


def test_show_export_archive_delete(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workshop", "create", "--name", "练习", "--steps", "positioning,sop", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    code = lines[0].rsplit(" ", 1)[-1]
    assert lines[1] == f"Join link: http://localhost:8501/?workshop={code}" and lines[2].startswith("Trainer key")
    store = open_store(db)
    try:
        shops = WorkshopStore(store)
        person, token = shops.join(code, "小明")
        mine = ParticipantStore(store, token)
        plan, version = mine.get_versioned(person.plan_id)
        plan.positioning.why = "让早起的人更从容"
        mine.save_if(plan, version)
    finally:
        store.close()

    assert main(["workshop", "show", code.lower(), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["code"] == code and shown["steps"] == ["positioning", "sop"] and not shown["archived"]
    [row] = shown["participants"]
    assert row["name"] == "小明" and row["plan_id"] == person.plan_id
    assert isinstance(row["completeness"], int) and row["errors"] > 0 and row["warnings"] > 0
    assert row["steps"]["positioning"] == 14  # 1 of 7

    out = tmp_path / "out"
    assert main(["workshop", "export", code, "--out", str(out), "--workers", "1"]) == 0
    assert capsys.readouterr().out.startswith("已写出")
    names = zipfile.ZipFile(out / f"workshop-{code}.zip").namelist()
    assert sorted(names) == sorted(["小明.pdf", "小明.docx", f"汇总-{code}.xlsx"])

    assert main(["workshop", "archive", code]) == 0
    capsys.readouterr()
    assert main(["workshop", "show", code, "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"Workshop “练习” ({code}): 1 participant, archived"
    assert main(["workshop", "delete", code]) == 0
    assert capsys.readouterr().out.strip() == f"已删除工作坊 {code} 以及 1 位学员的方案和历史。"
    assert main(["workshop", "delete", code]) == 2
    assert capsys.readouterr().err.strip() == f"没有代码为 {code} 的工作坊。"
    store = open_store(db)
    try:
        assert not store.exists(person.plan_id)
        with pytest.raises(StorageError):
            WorkshopStore(store).resume(token)
    finally:
        store.close()
    assert main(["workshop", "create", "--name", "x", "--steps", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
    assert main(["workshop", "create", "--name", "x", "--ends", "tomorrow"]) == 2
    assert "tomorrow" in capsys.readouterr().err
    assert main(["workshop", "create", "--name", "  "]) == 2
    assert capsys.readouterr().err.strip() == "请给工作坊起个名字。"
