"""Server mode in a real browser (issue 15): people sign in through an OpenID Connect provider (a
local test provider, oidc-provider-mock, started on a free port), each sees only the plans of their
workspaces, and sharing works: a viewer reads and exports but cannot change, an editor's edit
reaches the owner's open page."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from models import Plan
from planner.store import open_store
from planner.store.access import Role, TeamStore
from tests.e2e.conftest import _free_port, require_chromium, streamlit_server, wait_idle

pytestmark = pytest.mark.e2e

ALICE, BOB = "alice@example.com", "bob@example.com"
WHY = "WHY 为什么建群"


@pytest.fixture(scope="module")
def oidc() -> Iterator[str]:
    """A local OpenID Connect provider with two people to pick; yields its issuer URL."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--user", ALICE,
                             "--user", BOB], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the test OpenID Connect provider did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(oidc: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app with sign-in configured: its URL and its database."""
    folder = tmp_path_factory.mktemp("signin")
    db, port = folder / "plans.sqlite3", _free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "community-planner"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{oidc}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    require_chromium()
    with streamlit_server(db, port, args=["--secrets.files", str(secrets_file)]) as url:
        yield url, db


def _person(browser, url: str, email: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(url)
    wait_idle(page)
    expect(page.get_by_text("登录后才能看到")).to_be_visible()  # nobody sees a plan before signing in
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name=email).click()  # the test provider's "predefined user"
    page.wait_for_url(f"{url}/**")
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text(email).first).to_be_visible()
    return context, page


def test_sharing_between_two_people(browser, server) -> None:
    url, db = server
    alice_ctx, alice = _person(browser, url, ALICE)
    bob_ctx, bob = _person(browser, url, BOB)
    try:
        # Alice's private plan (stored as Alice would, through the store's own rules)
        as_alice = TeamStore(open_store(str(db)), ALICE)
        plan = Plan()
        plan.meta.name = "爱丽丝的读书会"
        plan = as_alice.save(plan)

        # Bob cannot reach it by its address
        bob.goto(f"{url}/positioning?plan={plan.id}")
        wait_idle(bob)
        expect(bob.get_by_text("爱丽丝的读书会")).to_have_count(0)

        # shared as viewer: Bob reads it, every field disabled, and can export it
        team = as_alice.create_workspace("读书会小组")
        as_alice.move(plan.id, team.id)
        as_alice.invite(team.id, BOB, Role.VIEWER)
        bob.goto(f"{url}/positioning?plan={plan.id}")
        wait_idle(bob)
        expect(bob.get_by_role("textbox", name=WHY)).to_be_disabled()
        expect(bob.get_by_text("只读：你是这个空间的查看者")).to_be_visible()
        # a viewer reviews: a comment on the step, which Alice finds on the doctor page
        bob.get_by_text("评审意见", exact=True).click()  # the expander (the read-only notice also names it)
        bob.get_by_role("textbox", name="写一条意见").fill("目标人群再具体一点？")
        bob.get_by_role("button", name="提交意见").click()
        wait_idle(bob)
        alice.goto(f"{url}/doctor?plan={plan.id}")
        wait_idle(alice)
        expect(alice.get_by_text("目标人群再具体一点？")).to_be_visible()
        expect(alice.get_by_text(BOB).first).to_be_visible()
        bob.goto(f"{url}/export?plan={plan.id}")
        wait_idle(bob)
        bob.get_by_role("button", name="生成文件").click()
        wait_idle(bob)
        with bob.expect_download() as download:
            bob.get_by_role("button", name="下载").first.click()
        assert download.value.suggested_filename

        # as editor, Bob's edit reaches Alice's open page without a reload
        as_alice.invite(team.id, BOB, Role.EDITOR)
        alice.goto(f"{url}/positioning?plan={plan.id}")
        wait_idle(alice)
        bob.goto(f"{url}/positioning?plan={plan.id}")
        wait_idle(bob)
        box = bob.get_by_role("textbox", name=WHY)
        expect(box).to_be_enabled()
        box.fill("鲍勃补上的：读完一本书")
        bob.get_by_role("heading").first.click()
        wait_idle(bob)
        expect(alice.get_by_role("textbox", name=WHY)).to_have_value("鲍勃补上的：读完一本书", timeout=15_000)
        assert as_alice.get(plan.id).positioning.why == "鲍勃补上的：读完一本书"
    finally:
        alice_ctx.close()
        bob_ctx.close()
