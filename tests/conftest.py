"""Shared fixtures: every test gets its own database file, never the user's."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.pg_cluster import PgCluster, pg_bindir  # noqa: E402  (after the path above)


@pytest.fixture(autouse=True)
def fresh_bare_session_state() -> Iterator[None]:
    """Test code that calls a page helper outside a script run writes into Streamlit's one
    process-wide stand-in session state; a language one test leaves there must not label the next."""
    yield
    streamlit = sys.modules.get("streamlit")  # only once some test has imported it
    if streamlit is not None:
        streamlit.session_state.clear()


@pytest.fixture(autouse=True)
def isolated_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "plans.sqlite3"
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", str(path))
    return path


# --- a throwaway PostgreSQL server for the store tests ------------------------------------------
# Started once per test session in a temp folder (unix socket only, no TCP), stopped at the end.
# Without PostgreSQL's binaries the tests that need it are skipped locally and fail in CI.


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
    bindir = pg_bindir()
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
