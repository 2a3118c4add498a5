"""Shared fixtures: every test gets its own database file, never the user's."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def isolated_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "plans.sqlite3"
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", str(path))
    return path


# --- a throwaway PostgreSQL server for the store tests ------------------------------------------
# Started once per test session in a temp folder (unix socket only, no TCP), stopped at the end.
# Without PostgreSQL's binaries the tests that need it are skipped locally and fail in CI.


def _pg_bindir() -> Path | None:
    """Where initdb and pg_ctl are: PATH, else Debian's /usr/lib/postgresql/<major>/bin."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    return next((d for d in candidates if (d / "initdb").exists() and (d / "pg_ctl").exists()), None)


class PgCluster:
    """A PostgreSQL cluster owned by the tests; `stop()` / `start()` let a test take it away."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="planner-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        with socket.socket() as probe:  # a free port: it also names the unix socket file
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        # initdb refuses to run as root: as root, the cluster belongs to Debian's `postgres` user.
        self._prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._prefix:
            shutil.chown(self.root, "postgres", "postgres")
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        subprocess.run([*self._prefix, *args], check=True, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        status = subprocess.run([*self._prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"],
                                capture_output=True, timeout=30)  # fmt: skip
        return status.returncode == 0

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.root}&port={self.port}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        name = f"t{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE template0")
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def remove(self) -> None:
        with suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def _pg_unavailable(reason: str) -> None:
    message = f"PostgreSQL tests need {reason}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI: .ci/run installs it)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _pg_unavailable("psycopg (pip install -r requirements-dev.txt)")
    bindir = _pg_bindir()
    if bindir is None:
        _pg_unavailable("initdb and pg_ctl (apt-get install postgresql)")
    assert bindir is not None
    cluster = PgCluster(bindir)
    try:
        cluster.init()
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = cluster.log.read_text(errors="replace") if cluster.log.exists() else ""
        cluster.remove()
        pytest.fail(f"could not start PostgreSQL: {exc.stderr or exc}\n{log[-2000:]}")
    yield cluster
    cluster.remove()


@pytest.fixture(scope="session")
def pg_url(pg_cluster: PgCluster) -> str:
    """The throwaway server's maintenance database (create and drop databases through it)."""
    return pg_cluster.url()


@pytest.fixture
def pg_db(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh, empty database for one test: its URL."""
    name = pg_cluster.new_database()
    yield pg_cluster.url(name)
    with suppress(Exception):  # a test that stopped the server: the cluster goes at the end anyway
        pg_cluster.drop_database(name)
