"""An account made by single sign-on has no password: it confirms its erasure (and a new
e-mail) by signing in again at the provider, end to end against the real test provider
(tests/oidc/provider).

What matters to people: erasure is everyone's right, so an SSO-only person can erase their
account; but a session left open is not enough (a confirmation at the provider is), the
provider must really have asked for the sign-in again, it must be this account's person who
did, and the confirmation counts for the session that asked for it and for one action only.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.kit.orm import utcnow
from tests.api.test_oidc import me, sso_app, sso_sign_in
from tests.conftest import PASSWORD, Client, DatabaseUrls, client_for
from tests.oidc.harness import PUBLIC_URL, OidcTestProvider, running_provider, through_provider

USERS: dict[str, dict[str, Any]] = {
    name: {"email": f"{name}.reauth@example.org", "email_verified": True, "name": name.title()}
    for name in ("sam", "tess", "uri", "vic", "wes", "xan", "yan", "zoe")
}


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcTestProvider]:
    with running_provider(USERS) as running:
        yield running


@pytest.fixture
async def app_sso(
    test_databases: DatabaseUrls, key_document: dict[str, object], provider: OidcTestProvider
) -> AsyncIterator[FastAPI]:
    async with sso_app(test_databases, key_document, provider) as application:
        yield application


async def signed_in(browser: Client, login: str) -> dict[str, Any]:
    """Sign in with the provider (making the account the first time); the profile."""
    assert (await sso_sign_in(browser, login)).headers["location"] == "/"
    await browser.csrf()
    return await me(browser)


async def start_reauth(browser: Client, **body: str) -> str:
    """Ask to sign in again: where the browser goes at the provider."""
    start = await browser.post("/api/v1/auth/oidc/reauth", json=body or None)
    assert start.status_code == 200, start.text
    return str(start.json()["location"])


async def reauthenticate(browser: Client, login: str, **body: str) -> str:
    """The whole confirmation: start, sign in at the provider as `login`, come back; the
    page the app sends the browser to."""
    back = await through_provider(await start_reauth(browser, **body), login)
    answer = await browser.get(back.removeprefix(PUBLIC_URL))
    assert answer.status_code == 302, answer.text
    return str(answer.headers["location"])


async def erase(browser: Client, **body: str) -> httpx.Response:
    return await browser.request("DELETE", "/api/v1/me", json=body)


async def links(app: FastAPI) -> int:
    async with app.state.databases.vault_engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM oidc_links"))).scalar())


async def test_an_sso_only_account_erases_itself_after_signing_in_again(
    app_sso: FastAPI,
) -> None:
    async with client_for(app_sso) as browser:
        profile = await signed_in(browser, "sam")
        assert profile["has_password"] is False

        location = await start_reauth(browser)
        query = parse_qs(urlsplit(location).query)
        # The provider is asked to sign the person in again, whatever session it has.
        assert query["prompt"] == ["login"]
        assert query["max_age"] == ["0"]
        back = await through_provider(location, "sam")
        answer = await browser.get(back.removeprefix(PUBLIC_URL))
        assert answer.headers["location"] == "/me/record#sso_reauthenticated"

        erased = await erase(browser)
        assert erased.status_code == 200, erased.text
        assert erased.json()["erased"] is True
        assert (await browser.get("/api/v1/me")).status_code == 401
    assert await links(app_sso) == 0
    # Signing in again makes a new account: nothing leads back to the erased one.
    async with client_for(app_sso) as browser:
        assert (await signed_in(browser, "sam"))["account_id"] != profile["account_id"]


async def test_without_signing_in_again_a_session_cannot_erase_the_account(
    app_sso: FastAPI,
) -> None:
    async with client_for(app_sso) as browser:
        await signed_in(browser, "tess")
        refused = await erase(browser)
        assert refused.status_code == 403
        assert refused.json()["code"] == "reauthentication_required"
        # A password it does not have is no way round either.
        wrong = await erase(browser, password=PASSWORD)
        assert wrong.status_code == 401
        assert wrong.json()["code"] == "invalid_credentials"

        # A confirmation older than a few minutes has lapsed.
        assert await reauthenticate(browser, "tess") == "/me/record#sso_reauthenticated"
        async with app_sso.state.databases.vault_engine.begin() as connection:
            await connection.execute(
                text("UPDATE sessions SET reauthenticated_at = :then"),
                {"then": utcnow() - timedelta(minutes=6)},
            )
        lapsed = await erase(browser)
        assert lapsed.status_code == 403
        assert lapsed.json()["code"] == "reauthentication_required"
        assert (await browser.get("/api/v1/me")).status_code == 200


async def test_a_token_saying_no_fresh_sign_in_is_refused(
    app_sso: FastAPI, provider: OidcTestProvider
) -> None:
    """A provider that reuses its session (an old auth_time) or does not say when the person
    signed in (no auth_time, though max_age was sent) confirms nothing."""
    async with client_for(app_sso) as browser:
        await signed_in(browser, "uri")
        try:
            await provider.set_auth_time(shift_s=-600)
            stale = await reauthenticate(browser, "uri")
            await provider.set_auth_time(omit=True)
            missing = await reauthenticate(browser, "uri")
        finally:
            await provider.set_auth_time()
        assert stale == "/me/record#reauth_error=sso_reauthentication_stale"
        assert missing == "/me/record#reauth_error=sso_reauthentication_stale"
        refused = await erase(browser)
        assert refused.status_code == 403
        assert refused.json()["code"] == "reauthentication_required"


async def test_signing_in_again_as_someone_else_confirms_nothing(app_sso: FastAPI) -> None:
    async with client_for(app_sso) as other:
        await signed_in(other, "wes")
    async with client_for(app_sso) as browser:
        await signed_in(browser, "vic")
        # Another person with an account here, then someone with none.
        assert await reauthenticate(browser, "wes") == (
            "/me/record#reauth_error=sso_reauthentication_mismatch"
        )
        assert await reauthenticate(browser, "zoe") == (
            "/me/record#reauth_error=sso_reauthentication_mismatch"
        )
        refused = await erase(browser)
        assert refused.status_code == 403
        assert refused.json()["code"] == "reauthentication_required"
    assert await links(app_sso) == 2


async def test_a_confirmation_brought_back_to_another_session_is_refused(
    app_sso: FastAPI,
) -> None:
    """Someone who gets hold of a confirmation in flight (its state cookie and the provider's
    answer) cannot spend it in another session, even one of the same account."""
    async with client_for(app_sso) as first, client_for(app_sso) as second:
        await signed_in(first, "xan")
        await signed_in(second, "xan")
        back = await through_provider(await start_reauth(first), "xan")
        for cookie in first.cookies.jar:
            if "challenge_oidc" in cookie.name:
                second.cookies.jar.set_cookie(cookie)
        answer = await second.get(back.removeprefix(PUBLIC_URL))
        assert answer.headers["location"] == (
            "/me/record#reauth_error=sso_reauthentication_session_changed"
        )
        for browser in (first, second):
            refused = await erase(browser)
            assert refused.status_code == 403
            assert refused.json()["code"] == "reauthentication_required"


async def test_one_confirmation_confirms_one_action(app_sso: FastAPI) -> None:
    """A new e-mail is confirmed the same way, and spends the confirmation."""
    async with client_for(app_sso) as browser:
        await signed_in(browser, "yan")
        refused = await browser.patch("/api/v1/me", json={"email": "yan.new@example.org"})
        assert refused.status_code == 403
        assert refused.json()["code"] == "reauthentication_required"

        # Back to the profile, where the e-mail is changed.
        assert await reauthenticate(browser, "yan", then="email") == "/me#sso_reauthenticated"
        changed = await browser.patch("/api/v1/me", json={"email": "yan.new@example.org"})
        assert changed.status_code == 200, changed.text
        assert changed.json()["pending_email"] == "yan.new@example.org"
        spent = await erase(browser)
        assert spent.status_code == 403
        assert spent.json()["code"] == "reauthentication_required"


async def test_an_account_with_a_password_still_needs_it(app_sso: FastAPI) -> None:
    async with client_for(app_sso) as browser:
        await browser.sign_up(email=USERS["zoe"]["email"], display_name="Zoe")
        account_id = (await me(browser))["account_id"]
        assert (await me(browser))["has_password"] is True
    # Linked by her first sign-in with the provider (found by her verified address).
    async with client_for(app_sso) as browser:
        assert (await signed_in(browser, "zoe"))["account_id"] == account_id
        assert await reauthenticate(browser, "zoe") == "/me/record#sso_reauthenticated"
        refused = await erase(browser)
        assert refused.status_code == 401
        assert refused.json()["code"] == "invalid_credentials"
        assert (await erase(browser, password=PASSWORD)).status_code == 200


async def test_the_link_is_on_record_and_in_the_export(
    app_sso: FastAPI, provider: OidcTestProvider
) -> None:
    async with client_for(app_sso) as browser:
        await signed_in(browser, "sam")
        items = {
            item["key"]: item for item in (await browser.get("/api/v1/me/record")).json()["items"]
        }
        link = items["sso_link"]
        assert link["value"] == provider.issuer
        assert link["stored_in"] == "vault database"
        assert link["encrypted"] is True
        assert link["audience"] == ["you"]
        exported = (await browser.get("/api/v1/me/export")).json()
        assert exported["sso_link"]["issuer"] == provider.issuer
        assert exported["sso_link"]["subject"] == "sam"
        assert exported["sso_link"]["linked_at"]

    async with client_for(app_sso) as browser:
        await browser.sign_up(email=f"nobody-{uuid.uuid4().hex[:6]}@example.org")
        items = (await browser.get("/api/v1/me/record")).json()["items"]
        assert "sso_link" not in {item["key"] for item in items}
        assert (await browser.get("/api/v1/me/export")).json()["sso_link"] is None
