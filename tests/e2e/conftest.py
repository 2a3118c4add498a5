"""Real-browser fixtures: `streamlit run app.py` on a free local port, driven by Debian's chromium.

On a machine without /usr/bin/chromium the browser tests are skipped with a reason, except in CI
(CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e") / "plans.sqlite3"


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run should have installed it")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")


SERVERS: dict[str, subprocess.Popen] = {}  # url -> the server process, for a test that kills it


@contextmanager
def streamlit_server(db: Path, port: int | None = None, address: str | None = "127.0.0.1",
                     env: dict[str, str] | None = None, args: list[str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` on `port` (default: a free one) with its own plan database; yields its URL.
    `address=None` leaves the listening address to the project's .streamlit/config.toml; `env` adds
    environment variables."""
    port = port or _free_port()
    env = {**os.environ, "COMMUNITY_PLANNER_DB": str(db), **(env or {})}
    where = ["--server.address", address] if address else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), *where,
         "--server.headless", "true", "--browser.gatherUsageStats", "false", *(args or [])],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    SERVERS[url] = proc
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(e2e_db: Path) -> Iterator[str]:
    require_chromium()
    with streamlit_server(e2e_db) as url:
        yield url


@pytest.fixture(scope="session")
def browser(app_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    context.close()


def wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script and drawn the page.

    The short pause first lets a rerun that a click or key press starts get under way; then the
    app root reports `notRunning` and no skeleton placeholders are left."""
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=30_000)
    page.wait_for_timeout(200)


def start_from_example(page, url: str, slug: str) -> None:
    """On the home page, start a plan from the example `slug` (keyed widgets get a class to find them by)."""
    page.goto(url)
    wait_idle(page)
    page.get_by_role("tab", name="从示例开始").click()
    page.locator(f".st-key-home-example-use-{slug} button").click()
    wait_idle(page)
