"""The review mix: reviews are accepted into memory and written in shuffled batches, never one
at a time; receipts say where each one is; the token wallet is written once."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.config import Settings
from app.main import create_app
from app.reviews.models import Review, ReviewRound, SpentToken
from tests.conftest import DatabaseUrls, client_for, make_settings
from tests.reviewing import (
    ReviewWorld,
    Wallet,
    build_review_world,
    close_round,
    issue_directly,
    unb64,
)
from tests.scraped import sample


@pytest.fixture
async def mixed(
    app: FastAPI, test_databases: DatabaseUrls, key_document: dict[str, object]
) -> AsyncIterator[FastAPI]:
    """Batches of at least 3 reviews, after at least 2 more people received tokens (`app` is
    requested so that the tables are emptied after the test)."""
    application = create_app(
        make_settings(
            test_databases,
            key_document,
            review_mix_min_reviews=3,
            review_mix_min_new_reviewers=2,
        )
    )
    async with application.router.lifespan_context(application):
        yield application


async def _manifest(app: FastAPI, world: ReviewWorld) -> dict[str, Any]:
    async with app.state.databases.app_sessions() as db:
        round_id = await db.scalar(
            select(ReviewRound.id).where(ReviewRound.challenge_id == world.challenge_id)
        )
    from tests.privacy.test_linkage import _manifest as linkage_manifest

    manifest = await linkage_manifest(app, world)
    assert manifest["round_id"] == str(round_id)
    return manifest


async def _wallet_of(app: FastAPI, world: ReviewWorld, team: int, member: int) -> Wallet:
    wallet = Wallet(await _manifest(app, world))
    await issue_directly(app, world, world.members[world.teams[team]][member], wallet)
    return wallet


def _receipt(wallet: Wallet, submission_id: str) -> str:
    return hashlib.sha256(unb64(wallet.tokens[submission_id]["prepared_message"])).hexdigest()


async def _stored_reviews(app: FastAPI) -> int:
    async with app.state.databases.app_sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(Review)) or 0)


async def _states(app: FastAPI, receipts: list[str]) -> list[str]:
    async with client_for(app) as anonymous:
        answer = await anonymous.post("/api/v1/reviews/receipts", json={"receipts": receipts})
    assert answer.status_code == 200, answer.text
    assert [r["receipt"] for r in answer.json()["receipts"]] == receipts
    return [r["state"] for r in answer.json()["receipts"]]


async def test_nothing_is_written_until_a_batch_is_due(mixed: FastAPI) -> None:
    world = await build_review_world(mixed, teams=3, members=2)
    first = await _wallet_of(mixed, world, 0, 0)
    receipts = []
    async with client_for(mixed) as anonymous:
        for submission_id in first.tokens:
            answer = await anonymous.post("/api/v1/reviews", json=first.review(submission_id))
            assert answer.status_code == 202
            assert answer.json() == {"state": "pending", "receipt": _receipt(first, submission_id)}
            receipts.append(answer.json()["receipt"])
        # Two reviews of two submissions, one person given tokens: no batch (3 reviews and 2
        # new people are needed), nothing in the database.
        assert await _stored_reviews(mixed) == 0
        assert await _states(mixed, receipts) == ["pending", "pending"]
        second = await _wallet_of(mixed, world, 1, 0)
        submission_id = next(iter(second.tokens))
        answer = await anonymous.post("/api/v1/reviews", json=second.review(submission_id))
        receipts.append(answer.json()["receipt"])
    # Three reviews, two people given tokens since the last batch: written, all at once.
    assert await _stored_reviews(mixed) == 3
    assert await _states(mixed, receipts) == ["committed"] * 3
    async with mixed.state.databases.app_sessions() as db:
        round_ = await db.scalar(
            select(ReviewRound).where(ReviewRound.challenge_id == world.challenge_id)
        )
        assert round_ is not None
        assert round_.issuances_at_last_batch == 2
        assert round_.redeemed_total is None, "no live count of redemptions"
    assert mixed.state.review_mix.counters.batches == 1


async def test_a_batch_needs_new_people_given_tokens_since_the_last(mixed: FastAPI) -> None:
    world = await build_review_world(mixed, teams=3, members=2)
    wallets = [await _wallet_of(mixed, world, 0, 0), await _wallet_of(mixed, world, 1, 0)]
    async with client_for(mixed) as anonymous:
        for wallet in wallets:
            for submission_id in wallet.tokens:
                await anonymous.post("/api/v1/reviews", json=wallet.review(submission_id))
    # The third review made a batch (two people given tokens); the fourth waits.
    assert await _stored_reviews(mixed) == 3
    # One more person given tokens is not enough for a second batch, whatever the number of
    # reviews held: the batch would hide them among one person.
    late = await _wallet_of(mixed, world, 2, 0)
    async with client_for(mixed) as anonymous:
        for submission_id in late.tokens:
            await anonymous.post("/api/v1/reviews", json=late.review(submission_id))
    assert await _stored_reviews(mixed) == 3
    assert mixed.state.review_mix.pending_in(uuid.UUID(late.manifest["round_id"])) == 3
    # The close writes what is left.
    await close_round(mixed, world)
    assert await _stored_reviews(mixed) == 6
    assert await _states(mixed, [_receipt(late, s) for s in late.tokens]) == ["unknown"] * 2


async def test_one_submission_alone_never_makes_a_batch(
    app: FastAPI, test_databases: DatabaseUrls, key_document: dict[str, object]
) -> None:
    eager = create_app(
        make_settings(
            test_databases, key_document, review_mix_min_reviews=1, review_mix_min_new_reviewers=0
        )
    )
    async with eager.router.lifespan_context(eager):
        world = await build_review_world(eager, teams=3, members=2)
        wallet = await _wallet_of(eager, world, 0, 0)
        target = next(iter(wallet.tokens))
        async with client_for(eager) as anonymous:
            await anonymous.post("/api/v1/reviews", json=wallet.review(target))
            assert await _stored_reviews(eager) == 0
            other = next(s for s in wallet.tokens if s != target)
            await anonymous.post("/api/v1/reviews", json=wallet.review(other))
        assert await _stored_reviews(eager) == 2


async def test_resends_are_idempotent_and_double_spends_refused_once(app: FastAPI) -> None:
    world = await build_review_world(app, teams=2, members=2)
    wallet = await _wallet_of(app, world, 0, 0)
    target = next(iter(wallet.tokens))
    async with client_for(app) as anonymous:
        first = await anonymous.post("/api/v1/reviews", json=wallet.review(target))
        again = await anonymous.post("/api/v1/reviews", json=wallet.review(target))
        assert (first.status_code, again.status_code) == (202, 202)
        assert first.json() == again.json()
        other = await anonymous.post("/api/v1/reviews", json=wallet.review(target, score=1))
        assert other.status_code == 409
        assert other.json()["code"] == "token_spent"
        async with app.state.databases.app_sessions.begin() as db:
            round_id = uuid.UUID(wallet.manifest["round_id"])
            assert await app.state.review_mix.write_all_for_round(db, round_id) == 1
        after = await anonymous.post("/api/v1/reviews", json=wallet.review(target))
        assert after.status_code == 409
        assert after.json()["code"] == "token_spent"
    assert await _stored_reviews(app) == 1


async def test_two_workers_holding_the_same_token_write_it_once(
    app: FastAPI, settings: Settings
) -> None:
    world = await build_review_world(app, teams=3, members=2)
    wallet = await _wallet_of(app, world, 0, 0)
    other_worker = create_app(settings)
    async with other_worker.router.lifespan_context(other_worker):
        for worker in (app, other_worker):
            async with client_for(worker) as anonymous:
                for submission_id in wallet.tokens:
                    answer = await anonymous.post(
                        "/api/v1/reviews", json=wallet.review(submission_id)
                    )
                    assert answer.status_code == 202, answer.text
        round_id = uuid.UUID(wallet.manifest["round_id"])
        for worker in (app, other_worker):
            async with worker.state.databases.app_sessions.begin() as db:
                await worker.state.review_mix.write_all_for_round(db, round_id)
    assert await _stored_reviews(app) == 2
    async with app.state.databases.app_sessions() as db:
        assert await db.scalar(select(func.count()).select_from(SpentToken)) == 2


async def test_the_ticker_writes_batches_on_its_own(
    app: FastAPI, test_databases: DatabaseUrls, key_document: dict[str, object]
) -> None:
    application = create_app(
        make_settings(
            test_databases,
            key_document,
            review_mix_min_reviews=2,
            review_mix_min_new_reviewers=1,
            review_mix_tick_seconds=0.05,
        )
    )
    async with application.router.lifespan_context(application):
        world = await build_review_world(application, teams=3, members=2)
        wallet = await _wallet_of(application, world, 0, 0)
        async with client_for(application) as anonymous:
            for submission_id in wallet.tokens:
                await anonymous.post("/api/v1/reviews", json=wallet.review(submission_id))
        for _ in range(100):
            if await _stored_reviews(application) == 2:
                break
            await asyncio.sleep(0.02)
        assert await _stored_reviews(application) == 2
        await application.state.review_mix.settled()


async def test_counters_and_logs_move_only_with_a_batch(
    app: FastAPI, test_databases: DatabaseUrls, key_document: dict[str, object], caplog: Any
) -> None:
    token = "metrics-test-token-0123456789"
    application = create_app(
        make_settings(
            test_databases,
            key_document,
            metrics_token=token,
            review_mix_min_reviews=3,
            review_mix_min_new_reviewers=1,
        )
    )
    auth = {"Authorization": f"Bearer {token}"}
    async with application.router.lifespan_context(application):
        world = await build_review_world(application, teams=3, members=2)
        wallet = await _wallet_of(application, world, 0, 0)
        async with client_for(application) as anonymous:
            before = (await anonymous.get("/metrics", headers=auth)).text
            # create_app set the root logger's handlers: put the capturing one back.
            logging.getLogger().addHandler(caplog.handler)
            caplog.set_level(logging.INFO)
            caplog.clear()
            for submission_id in wallet.tokens:
                await anonymous.post("/api/v1/reviews", json=wallet.review(submission_id))
                await anonymous.post(
                    "/api/v1/reviews/receipts", json={"receipts": [_receipt(wallet, submission_id)]}
                )
            ours = [r for r in caplog.records if r.name.startswith("app")]
            assert not ours, "an accepted review leaves no line in any log"
            held = (await anonymous.get("/metrics", headers=auth)).text
            assert _steady(held) == _steady(before), "no metric moves when a review is accepted"
            more = await _wallet_of(application, world, 1, 0)
            await anonymous.post("/api/v1/reviews", json=more.review(next(iter(more.tokens))))
            after = (await anonymous.get("/metrics", headers=auth)).text
    assert sample(after, "reviews_committed_total") == 3
    assert sample(after, "review_batches_total") == 1
    assert [r.getMessage() for r in caplog.records if r.name == "app.redemption.mix"] == [
        "review batch written"
    ]


def _steady(text: str) -> list[str]:
    """The metrics but the scrapes of /metrics itself and the worker's memory."""
    return [
        line
        for line in text.splitlines()
        if 'route="/metrics"' not in line and not line.startswith("process_resident")
    ]


async def test_receipts_refuse_credentials_and_malformed_hashes(app: FastAPI) -> None:
    async with client_for(app) as anonymous:
        with_cookie = await anonymous.post(
            "/api/v1/reviews/receipts",
            json={"receipts": ["0" * 64]},
            headers={"Cookie": "session=x"},
        )
        assert with_cookie.status_code == 400
        assert with_cookie.json()["code"] == "credentials_not_allowed"
        for bad in ([], ["xyz"], ["0" * 64] * 101):
            answer = await anonymous.post("/api/v1/reviews/receipts", json={"receipts": bad})
            assert answer.status_code == 422, bad
        assert await _states(app, ["0" * 64]) == ["unknown"]


def test_production_refuses_a_mix_of_one() -> None:
    base = {
        "env": "production",
        "app_database_url": "postgresql+asyncpg://app@db/app",
        "vault_database_url": "postgresql+asyncpg://vault@db/vault",
        "keys": "{}",
    }
    with pytest.raises(ValueError, match="REVIEW_MIX"):
        Settings(_env_file=None, **base, review_mix_min_reviews=1)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="REVIEW_MIX"):
        Settings(_env_file=None, **base, review_mix_min_new_reviewers=0)  # type: ignore[call-arg]


class TestWallet:
    async def test_stored_once_read_by_its_owner_only(self, app: FastAPI, make_client: Any) -> None:
        from tests.reviewing import get_tokens, review_phase_over_http

        world = await review_phase_over_http(app, make_client, teams=2, size=2)
        cid = world["cid"]
        member, teammate = world["groups"][0]
        url = f"/api/v1/challenges/{cid}/review-round/wallet"
        blob = base64.b64encode(b"\x01opaque ciphertext").decode()
        early = await member.client.put(url, json={"blob": blob})
        assert (early.status_code, early.json()["code"]) == (409, "tokens_not_issued")
        await get_tokens(member, cid)
        status_url = f"/api/v1/challenges/{cid}/review-round/tokens"
        assert (await member.client.get(status_url)).json()["wallet_stored"] is False
        stored = await member.client.put(url, json={"blob": blob})
        assert (stored.status_code, stored.json()) == (201, {"stored": True})
        assert (await member.client.get(status_url)).json()["wallet_stored"] is True
        replaced = await member.client.put(url, json={"blob": blob[::-1]})
        assert (replaced.status_code, replaced.json()["code"]) == (409, "wallet_exists")
        assert (await member.client.get(url)).json() == {"blob": blob}
        missing = await teammate.client.get(url)
        assert (missing.status_code, missing.json()["code"]) == (404, "wallet_not_found")
        not_base64 = await member.client.put(url, json={"blob": "not base64!"})
        assert not_base64.status_code == 422


async def test_a_round_closing_by_date_waits_for_every_workers_mix(
    app: FastAPI, test_databases: DatabaseUrls, key_document: dict[str, object]
) -> None:
    """Two workers hold reviews when the round's date passes: each writes what it holds on its
    next tick, and the close waits for them (three ticks), so none is lost."""
    from datetime import timedelta

    from app.challenges.models import Challenge
    from app.challenges.service import advance_all_due
    from app.kit.orm import utcnow

    settings = make_settings(test_databases, key_document, review_mix_tick_seconds=0.1)
    workers = [create_app(settings), create_app(settings)]
    async with (
        workers[0].router.lifespan_context(workers[0]),
        workers[1].router.lifespan_context(workers[1]),
    ):
        world = await build_review_world(workers[0], teams=3, members=2)
        wallets = [await _wallet_of(workers[0], world, t, 0) for t in range(3)]
        for n, wallet in enumerate(wallets):
            async with client_for(workers[n % 2]) as anonymous:
                for submission_id in wallet.tokens:
                    answer = await anonymous.post(
                        "/api/v1/reviews", json=wallet.review(submission_id)
                    )
                    assert answer.status_code == 202
        assert await _stored_reviews(app) == 0, "below both thresholds: held"
        async with app.state.databases.app_sessions.begin() as db:
            challenge = await db.get(Challenge, world.challenge_id)
            assert challenge is not None
            challenge.closes_at = utcnow()
        sessions = workers[0].state.databases.app_sessions
        rounds = workers[0].state.review_rounds
        assert rounds.close_grace == timedelta(seconds=0.3)
        # At the date, the close waits; the workers' ticks write what they hold.
        assert await advance_all_due(sessions, rounds) == 0
        for _ in range(100):
            if await _stored_reviews(app) == 6:
                break
            await asyncio.sleep(0.02)
        assert await _stored_reviews(app) == 6
        await asyncio.sleep(0.3)
        assert await advance_all_due(sessions, rounds) == 1
        for worker in workers:
            await worker.state.review_mix.settled()
    async with app.state.databases.app_sessions() as db:
        round_ = await db.scalar(
            select(ReviewRound).where(ReviewRound.challenge_id == world.challenge_id)
        )
        assert round_ is not None
        assert (round_.state, round_.redeemed_total) == ("closed", 6)


async def test_reviews_are_held_again_when_their_batch_is_not_committed(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await build_review_world(app, teams=3, members=2)
    wallet = await _wallet_of(app, world, 0, 0)
    async with client_for(app) as anonymous:
        for submission_id in wallet.tokens:
            await anonymous.post("/api/v1/reviews", json=wallet.review(submission_id))
    mix = app.state.review_mix
    round_id = uuid.UUID(wallet.manifest["round_id"])

    # The closing transaction fails after the mix wrote into it.
    async def failing_close() -> None:
        async with app.state.databases.app_sessions.begin() as db:
            assert await mix.write_all_for_round(db, round_id) == 2
            raise RuntimeError("the close failed after the batch")

    with pytest.raises(RuntimeError):
        await failing_close()
    assert mix.pending_in(round_id) == 2
    assert await _stored_reviews(app) == 0
    # A batch of the ticker fails in the database.
    from app.redemption import repository as redemption_repository

    async def broken(*_: object) -> set[str]:
        raise RuntimeError("database gone")

    monkeypatch.setattr(redemption_repository, "spend", broken)
    monkeypatch.setattr(mix, "policy", type(mix.policy)(1, 0, 0))
    with pytest.raises(RuntimeError):
        await mix.write_due()
    assert mix.pending_in(round_id) == 2
    monkeypatch.undo()
    await close_round(app, world)
    assert await _stored_reviews(app) == 2


async def test_background_work_after_a_batch_that_fails_is_logged(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """Nothing awaits what a batch or a close starts after its commit (a checkpoint, an
    erasure epoch's request): a failure there must still show in the log."""

    async def refused() -> None:
        raise ValueError("refused by a check")

    with caplog.at_level(logging.ERROR, logger="app.redemption.mix"):
        app.state.review_mix.spawn(refused())
        await app.state.review_mix.settled()
    [record] = [r for r in caplog.records if r.name == "app.redemption.mix"]
    assert record.getMessage() == "background work after a batch failed"
    assert record.exc_info is not None
    assert record.exc_info[0] is ValueError
    assert record.__dict__["work"].endswith("refused")
