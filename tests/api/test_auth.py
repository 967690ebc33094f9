"""Sign-up, sign-in, sessions, CSRF, throttling, as a browser or a script sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import select, update

from app.config import Settings
from app.kit import ratelimit
from app.kit.orm import utcnow
from app.kit.ratelimit import RateBucket
from app.main import create_app
from app.vault import throttle
from app.vault.models import Account, Session, ThrottleBucket
from tests.conftest import PASSWORD, Client, client_at, client_for, make_settings


class TestSignUp:
    async def test_sign_up_signs_in_and_shows_the_profile(self, client: Client) -> None:
        session = await client.sign_up(display_name="Grace Hopper", email="grace@example.org")
        assert session["roles"] == ["participant"]
        me = (await client.get("/api/v1/me")).json()
        assert me["display_name"] == "Grace Hopper"
        assert me["email"] == "grace@example.org"

    async def test_session_cookie_is_httponly_and_lax(self, client: Client) -> None:
        await client.csrf()
        response = await client.post(
            "/api/v1/auth/sign-up",
            json={"display_name": "A", "email": "a@example.org", "password": PASSWORD},
        )
        assert "set-cookie" not in response.headers  # nobody is signed in before the link
        code = await client.mailed_code("a@example.org", "sign_up_confirmation")
        response = await client.post(
            "/api/v1/auth/sign-up/confirmations", json={"code": code, "password": PASSWORD}
        )
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=lax" in cookie

    async def test_email_is_unique_whatever_its_case(
        self, app: FastAPI, client: Client, make_client
    ) -> None:  # type: ignore[no-untyped-def]
        await client.sign_up(email="Same@Example.org")
        other = make_client()
        await other.csrf()
        response = await other.post(
            "/api/v1/auth/sign-up",
            json={"display_name": "B", "email": "same@example.ORG", "password": PASSWORD},
        )
        # The same answer as for a free address (tests/api/test_enumeration.py); no account.
        assert response.status_code == 202
        async with app.state.databases.vault_sessions() as db:
            assert len((await db.scalars(select(Account))).all()) == 1
        notices = await other.mailbox("same@example.org")
        assert notices[0]["kind"] == "sign_up_attempt"

    async def test_short_password_is_refused_without_echoing_it(self, client: Client) -> None:
        await client.csrf()
        response = await client.post(
            "/api/v1/auth/sign-up",
            json={"display_name": "A", "email": "a@example.org", "password": "short-pw"},
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert "short-pw" not in response.text
        assert any(err["field"] == "body.password" for err in response.json()["errors"])

    async def test_birth_year_and_declared_cohort_are_exclusive(self, client: Client) -> None:
        await client.csrf()
        response = await client.post(
            "/api/v1/auth/sign-up",
            json={
                "display_name": "A",
                "email": "a@example.org",
                "password": PASSWORD,
                "birth_year": 1980,
                "declared_cohort": "gen_x",
            },
        )
        assert response.status_code == 422

    async def test_unknown_declared_cohort_is_refused(self, client: Client) -> None:
        await client.csrf()
        response = await client.post(
            "/api/v1/auth/sign-up",
            json={
                "display_name": "A",
                "email": "a@example.org",
                "password": PASSWORD,
                "declared_cohort": "lost_generation",
            },
        )
        assert response.status_code == 400
        assert response.json()["code"] == "unknown_cohort"

    async def test_closed_sign_up_needs_an_invitation(
        self,
        settings: Settings,
        test_databases,
        key_document,  # type: ignore[no-untyped-def]
    ) -> None:
        closed = create_app(make_settings(test_databases, key_document, open_sign_up=False))
        async with closed.router.lifespan_context(closed), client_for(closed) as c:
            await c.csrf()
            response = await c.post(
                "/api/v1/auth/sign-up",
                json={"display_name": "A", "email": "a@example.org", "password": PASSWORD},
            )
        assert response.status_code == 403
        assert response.json()["code"] == "sign_up_closed"


class TestSignIn:
    async def test_sign_in_with_the_right_password(self, client: Client, make_client) -> None:  # type: ignore[no-untyped-def]
        await client.sign_up(email="lin@example.org")
        browser = make_client()
        response = await browser.sign_in("lin@example.org")
        assert response.status_code == 200
        assert (await browser.get("/api/v1/me")).json()["email"] == "lin@example.org"

    async def test_unknown_email_and_wrong_password_look_the_same(
        self,
        client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        await client.sign_up(email="known@example.org")
        wrong_password = await make_client().sign_in("known@example.org", "not the password")
        unknown_email = await make_client().sign_in("nobody@example.org", "not the password")
        assert wrong_password.status_code == unknown_email.status_code == 401
        assert wrong_password.json() == unknown_email.json()
        assert wrong_password.json()["code"] == "invalid_credentials"

    async def test_sign_in_needs_the_csrf_token(self, client: Client) -> None:
        await client.sign_up(email="c@example.org")
        fresh = client_for(client._transport.app)  # type: ignore[attr-defined]
        async with fresh:
            response = await fresh.post(
                "/api/v1/auth/sign-in", json={"email": "c@example.org", "password": PASSWORD}
            )
        assert response.status_code == 403
        assert response.json()["code"] == "csrf_failed"

    async def test_too_many_failures_for_one_email_get_429(
        self,
        client: Client,
        make_client,
        settings: Settings,  # type: ignore[no-untyped-def]
    ) -> None:
        await client.sign_up(email="target@example.org")
        browser = make_client()
        for _ in range(settings.sign_in_failures_before_delay):
            assert (await browser.sign_in("target@example.org", "guess guess")).status_code == 401
        blocked = await browser.sign_in("target@example.org", PASSWORD)
        assert blocked.status_code == 429
        assert int(blocked.headers["Retry-After"]) > 0
        assert blocked.json()["code"] == "too_many_requests"

    async def test_success_resets_the_email_counter(
        self,
        client: Client,
        make_client,
        settings: Settings,  # type: ignore[no-untyped-def]
    ) -> None:
        await client.sign_up(email="forgetful@example.org")
        browser = make_client()
        for _ in range(settings.sign_in_failures_before_delay - 1):
            await browser.sign_in("forgetful@example.org", "guess guess")
        assert (await browser.sign_in("forgetful@example.org")).status_code == 200
        for _ in range(settings.sign_in_failures_before_delay - 1):
            assert (
                await browser.sign_in("forgetful@example.org", "wrong again")
            ).status_code == 401

    async def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(
        self,
        app: FastAPI,
        client: Client,
        make_client,
        settings: Settings,  # type: ignore[no-untyped-def]
    ) -> None:
        await client.sign_up(email="owner@example.org")
        attacker = make_client()
        for _ in range(8):  # more than the free failures
            await attacker.sign_in("owner@example.org", "guess guess")
        assert (await attacker.sign_in("owner@example.org")).status_code == 429
        async with client_at(app, "198.51.100.7") as owner:
            assert (await owner.sign_in("owner@example.org")).status_code == 200

    async def test_each_further_failure_doubles_the_wait(
        self,
        app: FastAPI,
        client: Client,
        make_client,
        settings: Settings,  # type: ignore[no-untyped-def]
    ) -> None:
        await client.sign_up(email="target@example.org")
        browser = make_client()
        for _ in range(settings.sign_in_failures_before_delay):
            assert (await browser.sign_in("target@example.org", "guess guess")).status_code == 401
        waits = []
        for _ in range(3):
            blocked = await browser.sign_in("target@example.org", "guess guess")
            assert blocked.status_code == 429
            wait = int(blocked.headers["Retry-After"])
            waits.append(wait)
            # A refused attempt is not counted: asking again does not lengthen the wait.
            again = await browser.sign_in("target@example.org", "guess guess")
            assert int(again.headers["Retry-After"]) <= wait
            async with app.state.databases.vault_sessions.begin() as db:  # the wait passes
                for bucket in await db.scalars(select(ThrottleBucket)):
                    bucket.window_started_at -= timedelta(seconds=wait)
            assert (await browser.sign_in("target@example.org", "guess guess")).status_code == 401
        base = settings.sign_in_delay_seconds
        assert [round(w / base) for w in waits] == [1, 2, 4]

    async def test_the_wait_is_capped(self) -> None:
        delay = throttle.Delay(
            free=5,
            base=timedelta(seconds=30),
            cap=timedelta(minutes=15),
            forget_after=timedelta(minutes=15),
        )
        assert delay.wait_after(4) == timedelta(0)
        assert delay.wait_after(5) == timedelta(seconds=30)
        assert delay.wait_after(6) == timedelta(seconds=60)
        assert delay.wait_after(50) == timedelta(minutes=15)
        assert delay.wait_after(10**6) == timedelta(minutes=15)

    async def test_counters_that_ended_long_ago_are_deleted(
        self,
        app: FastAPI,
        client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        # A counter's row tells when its address or e-mail last tried to sign in: once its
        # window and wait are long over it counts nothing, and the periodic job deletes it.
        await client.sign_up(email="ended@example.org")
        guesser = make_client()
        await guesser.sign_in("ended@example.org", "guess guess")
        await guesser.sign_in("other@example.org", "guess guess")
        vault_sessions = app.state.databases.vault_sessions
        async with vault_sessions.begin() as db:
            buckets = list(await db.scalars(select(ThrottleBucket)))
            assert len(buckets) >= 3
            old = buckets[: len(buckets) - 1]
            for bucket in old:
                bucket.window_started_at -= timedelta(days=2)
        app_sessions = app.state.databases.app_sessions
        async with app_sessions.begin() as db:
            long_ago = utcnow() - timedelta(days=2)
            db.add(RateBucket(key="old", window_started_at=long_ago, attempts=9))
            db.add(RateBucket(key="new", window_started_at=utcnow(), attempts=1))

        assert await app.state.vault.forget_ended_throttles() == len(old)
        async with app_sessions.begin() as db:
            assert await ratelimit.forget_ended(db, RateBucket) == 1
        async with vault_sessions() as db:
            assert list(await db.scalars(select(ThrottleBucket.key))) == [buckets[-1].key]
        async with app_sessions() as db:
            assert list(await db.scalars(select(RateBucket.key))) == ["new"]

    async def test_throttle_keys_name_no_email_or_address(
        self,
        app: FastAPI,
        client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        await client.sign_up(email="private@example.org")
        await make_client().sign_in("private@example.org", "guess guess")
        async with app.state.databases.vault_sessions() as db:
            keys = list(await db.scalars(select(ThrottleBucket.key)))
        assert keys
        for key in keys:
            assert len(key) == 64
            assert set(key) <= set("0123456789abcdef")

    async def test_one_address_trying_many_emails_is_throttled(
        self,
        app: FastAPI,
        make_client,
        settings: Settings,  # type: ignore[no-untyped-def]
    ) -> None:
        browser = make_client()
        statuses = [
            (await browser.sign_in(f"n{i}@example.org", "guess guess")).status_code
            for i in range(settings.sign_in_attempts_per_address + 1)
        ]
        assert statuses[:-1] == [401] * settings.sign_in_attempts_per_address
        assert statuses[-1] == 429

    @pytest.mark.usefixtures("production_password_hashing")
    async def test_outdated_password_hash_is_upgraded_on_sign_in(
        self,
        app: FastAPI,
        client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        await client.sign_up(email="old@example.org")
        weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
        async with app.state.databases.vault_sessions.begin() as db:
            await db.execute(update(Account).values(password_hash=weak))
        assert (await make_client().sign_in("old@example.org")).status_code == 200
        async with app.state.databases.vault_sessions() as db:
            stored = await db.scalar(select(Account.password_hash))
        assert stored != weak
        assert "m=19456,t=2,p=1" in str(stored)


class TestSessions:
    async def test_sign_out_ends_the_session(self, client: Client) -> None:
        await client.sign_up()
        assert (await client.post("/api/v1/auth/sign-out")).status_code == 204
        assert (await client.get("/api/v1/me")).status_code == 401

    async def test_a_stolen_cookie_stops_working_after_sign_out(
        self, client: Client, make_client
    ) -> None:  # type: ignore[no-untyped-def]
        await client.sign_up()
        thief = make_client()
        thief.cookies.update(client.cookies)
        assert (await thief.get("/api/v1/me")).status_code == 200
        await client.post("/api/v1/auth/sign-out")
        assert (await thief.get("/api/v1/me")).status_code == 401

    async def test_sign_out_everywhere_ends_other_devices(
        self, client: Client, make_client
    ) -> None:  # type: ignore[no-untyped-def]
        await client.sign_up(email="two@example.org")
        laptop = make_client()
        await laptop.sign_in("two@example.org")
        assert (await client.post("/api/v1/auth/sign-out-everywhere")).status_code == 204
        assert (await laptop.get("/api/v1/me")).status_code == 401

    async def test_state_change_without_csrf_header_is_refused(self, client: Client) -> None:
        await client.sign_up()
        del client.headers["X-CSRF-Token"]
        response = await client.patch("/api/v1/me", json={"department": "Sales"})
        assert response.status_code == 403
        assert response.json()["code"] == "csrf_failed"

    async def test_csrf_token_of_another_session_is_refused(
        self, client: Client, make_client
    ) -> None:  # type: ignore[no-untyped-def]
        await client.sign_up()
        other = make_client()
        await other.sign_up()
        client.headers["X-CSRF-Token"] = other.headers["X-CSRF-Token"]
        assert (await client.patch("/api/v1/me", json={"department": "x"})).status_code == 403

    @pytest.mark.parametrize("field", ["last_seen_at", "expires_at"])
    async def test_idle_and_absolute_expiry(
        self, app: FastAPI, client: Client, settings: Settings, field: str
    ) -> None:
        await client.sign_up()
        assert (await client.get("/api/v1/me")).status_code == 200
        async with app.state.databases.vault_sessions.begin() as db:
            row = await db.scalar(select(Session))
            assert row is not None
            if field == "last_seen_at":
                moved = row.last_seen_at - timedelta(minutes=settings.session_idle_minutes + 1)
            else:
                moved = row.created_at
            await db.execute(update(Session).values({field: moved}))
        assert (await client.get("/api/v1/me")).status_code == 401

    async def test_a_session_in_use_does_not_go_idle(
        self, app: FastAPI, client: Client, settings: Settings
    ) -> None:
        await client.sign_up()
        almost_idle = timedelta(minutes=settings.session_idle_minutes - 1)
        async with app.state.databases.vault_sessions.begin() as db:
            row = await db.scalar(select(Session))
            assert row is not None
            await db.execute(update(Session).values(last_seen_at=row.last_seen_at - almost_idle))
        # Used a minute before it would go idle: the request counts as activity ...
        assert (await client.get("/api/v1/me")).status_code == 200
        async with app.state.databases.vault_sessions.begin() as db:
            row = await db.scalar(select(Session))
            assert row is not None
            # ... so the session would now survive another two minutes of silence.
            await db.execute(
                update(Session).values(last_seen_at=row.last_seen_at - timedelta(minutes=2))
            )
        assert (await client.get("/api/v1/me")).status_code == 200

    async def test_disabled_account_loses_its_session(
        self,
        admin_client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        person = make_client()
        await person.sign_up(email="leaver@example.org")
        accounts = (await admin_client.get("/api/v1/admin/accounts")).json()["items"]
        target = next(a for a in accounts if a["email"] == "leaver@example.org")
        response = await admin_client.patch(
            f"/api/v1/admin/accounts/{target['account_id']}", json={"disabled": True}
        )
        assert response.status_code == 200
        assert (await person.get("/api/v1/me")).status_code == 401
        refused = await make_client().sign_in("leaver@example.org")
        assert refused.status_code == 403
        assert refused.json()["code"] == "account_deactivated"
        wrong = await make_client().sign_in("leaver@example.org", "not the password at all")
        assert wrong.json()["code"] == "invalid_credentials"  # the password says nothing else
