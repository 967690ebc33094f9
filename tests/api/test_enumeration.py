"""No account enumeration (issue 17, finding 5): a new email and an open sign-up answer the same
whether the address has an account or not; a code mailed to the address decides.

Before: `PATCH /me {"email"}` and `POST /auth/sign-up` answered 409 `email_taken` for an address
in use, and changed the address (or created and signed in the account) at once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from app.cache.changes import ChangeCounts
from app.kit.mail import Message
from app.kit.orm import utcnow
from app.main import create_app
from app.vault import passwords
from app.vault.models import Account, EmailConfirmation
from tests.api.people import person
from tests.conftest import PASSWORD, Client, DatabaseUrls, code_in, make_settings

# Same length, so that the answers' lengths cannot differ either.
TAKEN = "alice@example.org"
FREE = "bobby@example.org"
OTHER_PASSWORD = "marigold trombone sunrise"
VARYING_HEADERS = {"date", "x-request-id"}


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in VARYING_HEADERS}


async def _count(app: FastAPI, model: Any, *where: Any) -> int:
    async with app.state.databases.vault_sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def _email_of(client: Client) -> str:
    return str((await client.get("/api/v1/me")).json()["email"])


async def _ask_for(client: Client, email: str) -> httpx.Response:
    return await client.patch("/api/v1/me", json={"email": email, "current_password": PASSWORD})


@pytest.fixture
async def owner(app: FastAPI, make_client: Any) -> Client:
    """The account that holds TAKEN, writing in French."""
    return (await person(app, make_client, email=TAKEN, language="fr")).client


class TestANewEmail:
    async def test_a_taken_and_a_free_address_get_the_same_answer(
        self, app: FastAPI, client: Client, owner: Client, make_client: Any
    ) -> None:
        await client.sign_up(email="me@example.org")
        taken = await _ask_for(client, TAKEN)
        free = await _ask_for(client, FREE)
        assert taken.status_code == free.status_code == 200
        body_taken, body_free = taken.json(), free.json()
        assert body_taken.pop("pending_email") == TAKEN  # what was asked, as it was asked
        assert body_free.pop("pending_email") == FREE
        assert body_taken == body_free
        assert _headers(taken) == _headers(free)
        # Nothing changed yet, for anyone.
        assert await _email_of(client) == "me@example.org"
        assert await _email_of(owner) == TAKEN
        assert (await make_client().sign_in(FREE)).status_code == 401
        assert (await make_client().sign_in("me@example.org")).status_code == 200

    async def test_the_owner_of_a_taken_address_is_told_and_gets_no_code(
        self, client: Client, owner: Client
    ) -> None:
        await client.sign_up(email="me@example.org")
        assert (await _ask_for(client, TAKEN)).status_code == 200
        [notice] = await client.mailbox(TAKEN)
        assert notice["kind"] == "email_change_attempt"
        assert "#code=" not in notice["text"]
        assert "adresse" in notice["subject"]  # in the owner's language
        # The requester learns nothing (their own mailbox holds only their sign-up's link).
        assert [m["kind"] for m in await client.mailbox("me@example.org")] == [
            "sign_up_confirmation"
        ]
        # The request waits like any other, but can never be confirmed.
        assert (await client.get("/api/v1/me")).json()["pending_email"] == TAKEN

    async def test_the_link_changes_the_address_and_tells_the_old_one(
        self, client: Client, make_client: Any
    ) -> None:
        await client.sign_up(email="me@example.org", language="es")
        await _ask_for(client, FREE)
        [link] = await client.mailbox(FREE)
        assert link["kind"] == "email_change_confirmation"
        assert "Confirme" in link["subject"]
        confirmed = await client.post(
            "/api/v1/me/email-confirmations", json={"code": code_in(link["text"])}
        )
        assert confirmed.status_code == 200, confirmed.text
        assert (confirmed.json()["email"], confirmed.json()["pending_email"]) == (FREE, None)
        assert (await make_client().sign_in(FREE)).status_code == 200
        assert (await make_client().sign_in("me@example.org")).status_code == 401
        changed = (await client.mailbox("me@example.org"))[0]
        assert changed["kind"] == "email_changed"
        assert "cambió" in changed["subject"]

    async def test_a_code_works_once(self, client: Client) -> None:
        await client.sign_up(email="me@example.org")
        await _ask_for(client, FREE)
        code = await client.mailed_code(FREE, "email_change_confirmation")
        first = await client.post("/api/v1/me/email-confirmations", json={"code": code})
        again = await client.post("/api/v1/me/email-confirmations", json={"code": code})
        assert first.status_code == 200
        assert again.status_code == 400
        assert again.json()["code"] == "invalid_confirmation"

    async def test_a_code_expires(self, app: FastAPI, client: Client) -> None:
        await client.sign_up(email="me@example.org")
        await _ask_for(client, FREE)
        code = await client.mailed_code(FREE, "email_change_confirmation")
        async with app.state.databases.vault_sessions.begin() as db:
            await db.execute(
                update(EmailConfirmation).values(expires_at=utcnow() - timedelta(seconds=1))
            )
        expired = await client.post("/api/v1/me/email-confirmations", json={"code": code})
        assert expired.status_code == 400
        assert expired.json()["code"] == "invalid_confirmation"
        assert await _email_of(client) == "me@example.org"
        assert (await client.get("/api/v1/me")).json()["pending_email"] is None

    async def test_a_newer_request_replaces_the_older(self, client: Client) -> None:
        await client.sign_up(email="me@example.org")
        await _ask_for(client, "first@example.org")
        older = await client.mailed_code("first@example.org", "email_change_confirmation")
        await _ask_for(client, FREE)
        newer = await client.mailed_code(FREE, "email_change_confirmation")
        refused = await client.post("/api/v1/me/email-confirmations", json={"code": older})
        assert refused.status_code == 400
        assert (await client.get("/api/v1/me")).json()["pending_email"] == FREE
        accepted = await client.post("/api/v1/me/email-confirmations", json={"code": newer})
        assert accepted.json()["email"] == FREE

    async def test_concurrent_requests_leave_one_pending_change(
        self, app: FastAPI, client: Client
    ) -> None:
        await client.sign_up(email="me@example.org")
        answers = await asyncio.gather(*(_ask_for(client, f"c{i}@example.org") for i in range(3)))
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert await _count(app, EmailConfirmation) == 1

    async def test_only_the_account_that_asked_can_confirm(
        self, client: Client, make_client: Any
    ) -> None:
        await client.sign_up(email="me@example.org")
        await _ask_for(client, FREE)
        code = await client.mailed_code(FREE, "email_change_confirmation")
        stranger = make_client()
        await stranger.sign_up(email="stranger@example.org")
        refused = await stranger.post("/api/v1/me/email-confirmations", json={"code": code})
        assert refused.status_code == 400
        assert await _email_of(stranger) == "stranger@example.org"
        anonymous = make_client()
        await anonymous.csrf()
        response = await anonymous.post("/api/v1/me/email-confirmations", json={"code": code})
        assert response.status_code == 401

    async def test_an_address_taken_meanwhile_is_a_clear_conflict(
        self, client: Client, make_client: Any
    ) -> None:
        await client.sign_up(email="me@example.org")
        await _ask_for(client, FREE)
        code = await client.mailed_code(FREE, "email_change_confirmation")
        await make_client().sign_up(email=FREE)  # someone else signs up with it first
        conflict = await client.post("/api/v1/me/email-confirmations", json={"code": code})
        assert conflict.status_code == 409
        assert conflict.headers["content-type"] == "application/problem+json"
        assert conflict.json()["code"] == "email_taken"
        assert "not changed" in conflict.json()["detail"]
        assert await _email_of(client) == "me@example.org"

    async def test_requests_are_limited_per_account(self, app: FastAPI, client: Client) -> None:
        await client.sign_up(email="me@example.org")
        for i in range(app.state.settings.email_changes_per_hour):
            assert (await _ask_for(client, f"n{i}@example.org")).status_code == 200
        refused = await _ask_for(client, FREE)
        assert refused.status_code == 429
        assert "retry-after" in refused.headers

    async def test_erasure_removes_a_pending_change(self, app: FastAPI, client: Client) -> None:
        await client.sign_up(email="me@example.org")
        await _ask_for(client, FREE)
        assert await _count(app, EmailConfirmation) == 1
        erased = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
        assert erased.status_code == 200, erased.text
        assert await _count(app, EmailConfirmation) == 0


async def _open_sign_up(client: Client, email: str, password: str = PASSWORD) -> httpx.Response:
    await client.csrf()
    return await client.post(
        "/api/v1/auth/sign-up",
        json={"display_name": "Pat Newcomer", "email": email, "password": password},
    )


class TestOpenSignUp:
    async def test_a_taken_and_a_free_address_get_the_same_answer(
        self, app: FastAPI, owner: Client, make_client: Any
    ) -> None:
        taken = await _open_sign_up(make_client(), TAKEN)
        free = await _open_sign_up(make_client(), FREE)
        assert taken.status_code == free.status_code == 202
        assert taken.json() == free.json() == {"state": "check_your_email"}
        assert _headers(taken) == _headers(free)
        assert "set-cookie" not in free.headers
        # The owner is told, in their language; the free address gets its link.
        [notice] = await owner.mailbox(TAKEN)
        assert notice["kind"] == "sign_up_attempt"
        assert "#code=" not in notice["text"]
        assert "/sign-in" in notice["text"]
        assert "compte" in notice["subject"]
        [link] = await owner.mailbox(FREE)
        assert link["kind"] == "sign_up_confirmation"
        # Nobody can sign in yet with the new account, and the taken one is untouched.
        assert (await make_client().sign_in(FREE)).status_code == 401
        assert (await make_client().sign_in(TAKEN)).status_code == 200

    async def test_both_cost_one_password_hash(
        self, owner: Client, make_client: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        hashed: list[str] = []
        real = passwords.hash_password

        def counting(password: str) -> str:
            hashed.append(password)
            return real(password)

        monkeypatch.setattr(passwords, "hash_password", counting)
        await _open_sign_up(make_client(), TAKEN)
        assert len(hashed) == 1
        await _open_sign_up(make_client(), FREE)
        assert len(hashed) == 2

    async def test_both_change_the_same_counted_tables(
        self, app: FastAPI, owner: Client, make_client: Any
    ) -> None:
        """The response cache drops what a change to a counted table may have changed: a
        table counted for a new account only would tell, through hits and misses, that the
        address was free (app/cache/changes.py)."""
        async with ChangeCounts(app.state.databases.vault_engine) as counts:

            async def changed_by(email: str) -> set[str]:
                before = await counts.read()
                assert (await _open_sign_up(make_client(), email)).status_code == 202
                after = await counts.read()
                return {table for table, count in after.items() if count != before.get(table)}

            taken, free = await changed_by(TAKEN), await changed_by(FREE)
        assert taken == free
        assert "accounts" in free

    async def test_the_link_and_the_password_activate_and_sign_in(
        self, app: FastAPI, client: Client, make_client: Any
    ) -> None:
        assert (await _open_sign_up(client, FREE)).status_code == 202
        assert await _count(app, Account, Account.status == "invited") == 1
        assert (await make_client().sign_in(FREE)).status_code == 401
        code = await client.mailed_code(FREE, "sign_up_confirmation")
        browser = make_client()  # the link may be opened anywhere
        await browser.csrf()
        confirmed = await browser.post(
            "/api/v1/auth/sign-up/confirmations", json={"code": code, "password": PASSWORD}
        )
        assert confirmed.status_code == 200, confirmed.text
        assert "httponly" in confirmed.headers["set-cookie"].lower()
        browser.headers["X-CSRF-Token"] = confirmed.json()["csrf_token"]
        me = (await browser.get("/api/v1/me")).json()
        assert (me["email"], me["status"]) == (FREE, "active")
        again = await browser.post(
            "/api/v1/auth/sign-up/confirmations", json={"code": code, "password": PASSWORD}
        )
        assert again.status_code == 400  # once only
        assert (await make_client().sign_in(FREE)).status_code == 200

    async def test_the_link_needs_the_password_chosen_with_it(
        self, app: FastAPI, client: Client
    ) -> None:
        """A link someone else asked for must not sign the mailbox's owner into an account
        whose password that someone knows."""
        await _open_sign_up(client, FREE)
        code = await client.mailed_code(FREE, "sign_up_confirmation")
        wrong = await client.post(
            "/api/v1/auth/sign-up/confirmations",
            json={"code": code, "password": OTHER_PASSWORD},
        )
        assert wrong.status_code == 401
        assert "set-cookie" not in wrong.headers
        assert await _count(app, Account, Account.status == "invited") == 1

    async def test_a_newer_sign_up_replaces_an_unconfirmed_one(
        self, app: FastAPI, make_client: Any
    ) -> None:
        first, second = make_client(), make_client()
        assert (await _open_sign_up(first, FREE)).status_code == 202
        older = await first.mailed_code(FREE, "sign_up_confirmation")
        assert (await _open_sign_up(second, FREE, OTHER_PASSWORD)).status_code == 202
        newer = await second.mailed_code(FREE, "sign_up_confirmation")
        assert await _count(app, Account) == 1
        stale = await first.post(
            "/api/v1/auth/sign-up/confirmations", json={"code": older, "password": PASSWORD}
        )
        assert stale.status_code == 400
        old_password = await second.post(
            "/api/v1/auth/sign-up/confirmations", json={"code": newer, "password": PASSWORD}
        )
        assert old_password.status_code == 401
        accepted = await second.post(
            "/api/v1/auth/sign-up/confirmations",
            json={"code": newer, "password": OTHER_PASSWORD},
        )
        assert accepted.status_code == 200, accepted.text

    async def test_an_expired_link_is_refused_and_a_new_sign_up_starts_again(
        self, app: FastAPI, client: Client
    ) -> None:
        await _open_sign_up(client, FREE)
        code = await client.mailed_code(FREE, "sign_up_confirmation")
        async with app.state.databases.vault_sessions.begin() as db:
            await db.execute(
                update(EmailConfirmation).values(expires_at=utcnow() - timedelta(seconds=1))
            )
        expired = await client.post(
            "/api/v1/auth/sign-up/confirmations", json={"code": code, "password": PASSWORD}
        )
        assert expired.status_code == 400
        assert expired.json()["code"] == "invalid_confirmation"
        session = await client.sign_up(email=FREE)  # the address is not blocked
        assert session["roles"] == ["participant"]

    async def test_an_invited_address_gets_its_way_in_and_its_invitation_still_works(
        self, admin_client: Client, make_client: Any
    ) -> None:
        """Issue 19: the invited person who signs up openly gets a link that lets them in (a
        notice that leads nowhere was a dead end: tests/api/test_admin_ways_in.py)."""
        invited = await admin_client.post(
            "/api/v1/admin/invitations", json={"display_name": "Ivy", "email": "ivy@example.org"}
        )
        invitation_code = invited.json()["invitation_code"]
        assert (await _open_sign_up(make_client(), "ivy@example.org")).status_code == 202
        # Newest first: the sign-up's link, then the invitation's own (mailed when invited).
        [link, invitation] = await admin_client.mailbox("ivy@example.org")
        assert invitation["kind"] == "invitation"
        assert link["kind"] == "sign_up_confirmation"
        assert "#code=" in link["text"]
        ivy = make_client()
        await ivy.csrf()
        accepted = await ivy.post(
            "/api/v1/auth/sign-up",
            json={
                "display_name": "Ivy",
                "email": "ivy@example.org",
                "password": PASSWORD,
                "invitation_code": invitation_code,
            },
        )
        assert accepted.status_code == 201, accepted.text  # the code proves the mailbox

    async def test_a_failed_send_is_logged_without_the_address_and_fails_nothing(
        self,
        app: FastAPI,
        client: Client,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        class Refusing:
            async def send(self, message: Message) -> None:
                raise ConnectionRefusedError(f"cannot reach the server for {message.to}")

        mailer, app.state.mailer = app.state.mailer, Refusing()
        caplog.set_level(logging.INFO)
        try:
            assert (await _open_sign_up(client, FREE)).status_code == 202
        finally:
            app.state.mailer = mailer
        [failure] = [r for r in caplog.records if r.getMessage() == "mail not sent"]
        assert failure.__dict__["mail_kind"] == "sign_up_confirmation"
        logged = "\n".join(r.getMessage() + repr(r.__dict__) for r in caplog.records)
        assert "bobby" not in logged
        assert await _count(app, Account) == 1  # the request itself committed


@pytest.mark.parametrize("env", ["production", "development-with-smtp"])
async def test_the_development_mailbox_exists_only_in_development(
    env: str, test_databases: DatabaseUrls, key_document: dict[str, object]
) -> None:
    overrides: dict[str, Any] = (
        {"env": "production", "review_mix_min_new_reviewers": 10}
        if env == "production"
        else {"smtp_url": "smtp+insecure://127.0.0.1:2525"}
    )
    other = create_app(make_settings(test_databases, key_document, **overrides))
    async with (
        other.router.lifespan_context(other),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=other), base_url="http://testserver"
        ) as client,
    ):
        response = await client.get("/api/v1/dev/mailbox")
    assert response.status_code == 404


def test_links_carry_the_code_after_a_hash() -> None:
    """The code never reaches a server log or a Referer header: the page reads it."""
    from app.vault.messages import compose

    message = compose(
        "sign_up_confirmation",
        "en",
        to="x@example.org",
        public_url="https://challenges.example.org",
        link="https://challenges.example.org/sign-up/confirm#code=" + uuid.uuid4().hex,
        hours=24,
    )
    assert "/sign-up/confirm#code=" in message.text
    assert "?" not in message.text.split("#code=")[0].split()[-1]
