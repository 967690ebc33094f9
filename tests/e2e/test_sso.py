"""Single sign-on in the browser: the sign-in page's button, the provider's own login and
consent pages (the test OpenID provider, tests/oidc/provider), and back in, signed in; a
refusal reads as a sentence on the sign-in page; an account made by single sign-on (no
password) deletes itself after signing in again at the provider."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    DIST,
    ROOT,
    Console,
    _free_port,
    expected_console_errors,
    new_context,
)
from tests.e2e.test_challenge_pages import fits_and_passes_axe
from tests.oidc.harness import CLIENT_ID, CLIENT_SECRET, running_provider

USERS = {
    "eve": {"email": "eve.sso@example.org", "email_verified": True, "name": "Eve Browser"},
    "uma": {"email": "uma.sso@example.org", "email_verified": False, "name": "Uma Browser"},
    "ned": {"email": "ned.sso@example.org", "email_verified": True, "name": "Ned Browser"},
}


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (DIST / "index.html").is_file():
        pytest.fail("frontend/dist is missing: ./scripts/test builds it (npm run build)")
    tmp = tmp_path_factory.mktemp("e2e-sso")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with running_provider(USERS, redirect_uri=f"{base}/api/v1/auth/oidc/callback") as provider:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CHALLENGE_")},
            "CHALLENGE_APP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/app.db",
            "CHALLENGE_VAULT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/vault.db",
            "CHALLENGE_KEY_FILE": str(tmp / "keys.json"),
            "CHALLENGE_UI_DIST": str(DIST),
            "CHALLENGE_LOG_LEVEL": "WARNING",
            "CHALLENGE_PUBLIC_URL": base,
            "CHALLENGE_OIDC_ISSUER": provider.issuer,
            "CHALLENGE_OIDC_CLIENT_ID": CLIENT_ID,
            "CHALLENGE_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "CHALLENGE_OIDC_NAME": "Example Corp",
        }
        subprocess.run(
            [sys.executable, "-m", "app", "migrate"],
            env=env,
            cwd=tmp,
            check=True,
            timeout=300,
            capture_output=True,
        )
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--port",
                str(port),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/api/v1/ready", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            else:
                pytest.fail("the server did not become ready")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
async def sso_context(browser: Browser, sso_server: str) -> AsyncIterator[BrowserContext]:
    context = await new_context(browser, sso_server)
    yield context
    await context.close()


async def _through_provider(page: Page, login: str) -> None:
    await page.get_by_role("link", name="Sign in with Example Corp").click()
    await _provider_sign_in(page, login)
    await page.get_by_role("button", name="Continue").click()


async def _provider_sign_in(page: Page, login: str) -> None:
    await page.locator("input[name=login]").fill(login)
    await page.locator("input[name=password]").fill("any password")
    await page.get_by_role("button", name="Sign-in").click()


async def test_a_person_signs_in_with_the_provider(sso_context: BrowserContext) -> None:
    page = await sso_context.new_page()
    console = Console()
    console.watch(page)
    await page.goto("/sign-in")
    await _through_provider(page, "eve")
    await page.get_by_role("heading", name="Challenges", level=1).wait_for()
    await page.goto("/me")
    await expect(page.get_by_label("Name")).to_have_value("Eve Browser")
    await expect(
        page.get_by_text("This account is linked to your Example Corp account")
    ).to_be_visible()


async def test_a_refusal_is_explained_on_the_sign_in_page(sso_context: BrowserContext) -> None:
    page = await sso_context.new_page()
    await page.goto("/sign-in")
    await _through_provider(page, "uma")
    await expect(page.get_by_role("alert")).to_contain_text("has not verified your e-mail")
    assert page.url.endswith("/sign-in")


async def test_an_sso_only_person_deletes_their_account(browser: Browser, sso_server: str) -> None:
    # On a phone, checked by axe-core (injected: this context lets it past the CSP).
    context = await new_context(browser, sso_server, width=375, bypass_csp=True)
    page = await context.new_page()
    console = Console()
    console.watch(page)
    await page.goto("/sign-in")
    await _through_provider(page, "ned")
    await page.get_by_role("heading", name="Challenges", level=1).wait_for()

    await page.goto("/me/record")
    link = page.get_by_role("row").filter(has_text="Your link to your organisation's account")
    await expect(link).to_contain_text("Example Corp (http://127.0.0.1:")
    await page.get_by_role("button", name="Delete my account…").click()
    # No password to give: the provider confirms it is them.
    await expect(page.get_by_label("Your password, to confirm")).to_have_count(0)
    await expect(page.get_by_text("Your account has no password")).to_be_visible()
    await fits_and_passes_axe(page)
    await page.get_by_role("button", name="Confirm with Example Corp").click()

    # The provider asks for the sign-in again although its own session is still open.
    await _provider_sign_in(page, "ned")
    await expect(page.get_by_role("status").filter(has_text="You signed in again")).to_be_visible()
    assert page.url.endswith("/me/record")
    await fits_and_passes_axe(page)
    await page.get_by_role("button", name="Delete my account for good").click()
    await expect(
        page.get_by_text("Your identity, sign-in and pseudonym links are gone")
    ).to_be_visible()
    # The provider's pages ask for resources off the network, and the signed-out page's /me
    # answers 401: failed loads, not faults of the page.
    assert expected_console_errors(console.errors) == []
    await context.close()
