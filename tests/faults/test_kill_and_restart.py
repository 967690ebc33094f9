"""SIGKILL the server in the middle of a burst of review redemptions and team messages.

What a person relies on: a message answered 201 is stored, once; a review answered 202 waits in
the server's memory (the mix) and is lost with the process, so the browser keeps it and asks the
anonymous receipt check until it is committed, sending it again when the server does not know it.
A request that got no answer may or may not have been stored, and sending it again tells which,
never storing it twice; a token is spent exactly when its review exists.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import create_async_engine

from app.challenges.models import Challenge
from app.kit.orm import utcnow
from app.main import create_app
from app.vault.keys import new_key_document
from tests.api.people import Person
from tests.conftest import (
    Client,
    DatabaseUrls,
    client_for,
    create_test_databases,
    drop_test_databases,
    make_settings,
)
from tests.faults.server import Server, write_key_file
from tests.reviewing import get_tokens, review_phase_over_http, unb64

TEAMS, SIZE, MESSAGES_EACH, CONCURRENCY = 4, 3, 3, 12


@dataclass
class Attempt:
    kind: str  # "review" or "message"
    marker: str
    url: str
    body: dict[str, Any]
    headers: dict[str, str]
    status: int | None = None  # None: no answer (the server died first)
    code: str = ""


@dataclass
class Prepared:
    dbs: DatabaseUrls
    key_file: Path
    attempts: list[Attempt]


def _browser_headers(member: Person) -> dict[str, str]:
    cookie = "; ".join(f"{k}={v}" for k, v in member.client.cookies.items())
    return {"Cookie": cookie, "X-CSRF-Token": member.client.headers["X-CSRF-Token"]}


async def _prepare(tmp: Path) -> Prepared:
    """A challenge in review with signed-in members holding their tokens, built in-process on
    the databases the server will then use."""
    # Migrations run their own event loop: in a thread, not inside this one.
    dbs = await asyncio.to_thread(create_test_databases, tmp)
    keys = new_key_document()
    app = create_app(make_settings(dbs, keys))
    browsers: list[Client] = []

    def make_client() -> Client:
        browsers.append(client_for(app))
        return browsers[-1]

    attempts: list[Attempt] = []
    async with app.router.lifespan_context(app):
        world = await review_phase_over_http(app, make_client, teams=TEAMS, size=SIZE)
        for group, team_id in zip(world["groups"], world["team_ids"], strict=True):
            for member in group:
                wallet = await get_tokens(member, world["cid"])
                for submission_id in wallet.tokens:
                    marker = uuid.uuid4().hex
                    attempts.append(
                        Attempt(
                            "review",
                            marker,
                            "/api/v1/reviews",
                            wallet.review(submission_id, comment=f"review {marker}"),
                            {},
                        )
                    )
                for _ in range(MESSAGES_EACH):
                    marker = uuid.uuid4().hex
                    attempts.append(
                        Attempt(
                            "message",
                            marker,
                            f"/api/v1/teams/{team_id}/messages",
                            {"body": f"message {marker}"},
                            _browser_headers(member),
                        )
                    )
        for browser in browsers:
            await browser.aclose()
    random.Random(6).shuffle(attempts)
    return Prepared(dbs, write_key_file(tmp, keys), attempts)


@pytest.fixture
async def prepared(tmp_path: Path) -> AsyncIterator[Prepared]:
    ready = await _prepare(tmp_path)
    yield ready
    await asyncio.to_thread(drop_test_databases, ready.dbs)


async def _send(client: httpx.AsyncClient, attempt: Attempt) -> None:
    try:
        response = await client.post(attempt.url, json=attempt.body, headers=attempt.headers)
    except httpx.TransportError:
        attempt.status = None
        return
    attempt.status = response.status_code
    if response.headers.get("content-type") == "application/problem+json":
        attempt.code = response.json()["code"]


async def _burst_then_kill(server: Server, attempts: list[Attempt], kill_after: int) -> None:
    done = 0
    killed = asyncio.Event()
    gate = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:

        async def one(attempt: Attempt) -> None:
            nonlocal done
            async with gate:
                if killed.is_set():
                    return  # never sent: the server is gone
                await _send(client, attempt)
            done += 1
            if done == kill_after:
                server.kill()
                killed.set()

        await asyncio.gather(*(one(a) for a in attempts))


async def _stored(dbs: DatabaseUrls) -> tuple[Counter[str], Counter[str], int, int]:
    """Markers as stored (reviews, messages), and the review and spent-token totals."""
    engine = create_async_engine(dbs.app_url)
    async with engine.connect() as db:
        comments = (await db.execute(text("SELECT comment FROM reviews"))).scalars().all()
        bodies = (await db.execute(text("SELECT body FROM messages"))).scalars().all()
        reviews = (await db.execute(text("SELECT count(*) FROM reviews"))).scalar_one()
        spent = (await db.execute(text("SELECT count(*) FROM spent_tokens"))).scalar_one()
    await engine.dispose()

    def markers(texts: Any, prefix: str) -> Counter[str]:
        return Counter(t.removeprefix(prefix) for t in texts if t.startswith(prefix))

    return markers(comments, "review "), markers(bodies, "message "), reviews, spent


async def _bring_the_close_date_to_now(dbs: DatabaseUrls) -> None:
    engine = create_async_engine(dbs.app_url)
    async with engine.begin() as db:
        await db.execute(update(Challenge).values(closes_at=utcnow()))
    await engine.dispose()


async def _receipts(client: httpx.AsyncClient, attempts: list[Attempt]) -> dict[str, str]:
    """What the browser asks: the state of each of its reviews, by the hash of its token."""
    states: dict[str, str] = {}
    for attempt in attempts:
        receipt = hashlib.sha256(unb64(attempt.body["token"]["prepared_message"])).hexdigest()
        answer = await client.post("/api/v1/reviews/receipts", json={"receipts": [receipt]})
        states[attempt.marker] = answer.json()["receipts"][0]["state"]
    return states


async def test_sigkill_mid_burst_and_mid_mix_loses_nothing_and_stores_nothing_twice(
    prepared: Prepared, tmp_path: Path
) -> None:
    attempts = prepared.attempts
    reviews_sent = [a for a in attempts if a.kind == "review"]
    # First life: the mix holds every review (no tick before the kill), so the kill loses them
    # all from the server's memory.
    server = Server(
        prepared.dbs,
        prepared.key_file,
        tmp_path / "server.log",
        settings={
            "CHALLENGE_REVIEW_MIX_MIN_REVIEWS": "2",
            "CHALLENGE_REVIEW_MIX_MIN_NEW_REVIEWERS": "0",
            "CHALLENGE_REVIEW_MIX_TICK_SECONDS": "3600",
        },
    )
    await server.start()
    try:
        await _burst_then_kill(server, attempts, kill_after=len(attempts) // 3)
        answered = [a for a in attempts if a.status is not None]
        unanswered = [a for a in attempts if a.status is None]
        # The kill really happened mid-burst, with reviews accepted into the mix.
        assert any(a.status == 202 for a in answered)
        assert unanswered
        assert {(a.kind, a.status) for a in answered} <= {("review", 202), ("message", 201)}, (
            Counter((a.status, a.code) for a in answered)
        )

        # Second life, with batches written every fraction of a second.
        server.settings["CHALLENGE_REVIEW_MIX_TICK_SECONDS"] = "0.2"
        await server.start()  # same databases, same keys
        reviews, messages, review_total, spent_total = await _stored(prepared.dbs)
        assert review_total == spent_total == 0, "the mix was in memory only"
        for attempt in answered:
            if attempt.kind == "message":
                assert messages[attempt.marker] == 1, attempt.marker
        assert max(messages.values(), default=1) == 1

        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            # Messages that got no answer: the person sees in the thread whether they are there.
            for attempt in unanswered:
                if attempt.kind == "message" and messages[attempt.marker] == 0:
                    await _send(client, attempt)
                    assert attempt.status == 201, attempt.code
            # Reviews: the browser kept every one it sent. It asks, and sends again what the
            # server does not know; twice, as two open tabs would.
            states = await _receipts(client, reviews_sent)
            assert set(states.values()) == {"unknown"}
            for _ in range(2):
                for attempt in reviews_sent:
                    await _send(client, attempt)
                    assert (attempt.status, attempt.code) in ((202, ""), (409, "token_spent"))
            # Batches take a random half of what is held, so the last few reviews wait for the
            # round's date; bring it to now: every worker then writes all it holds.
            await asyncio.sleep(1)
            await _bring_the_close_date_to_now(prepared.dbs)
            for _ in range(100):
                states = await _receipts(client, reviews_sent)
                if set(states.values()) == {"committed"}:
                    break
                await asyncio.sleep(0.1)
            assert set(states.values()) == {"committed"}, Counter(states.values())
            # A committed review sent once more is refused, and nothing is stored twice.
            await _send(client, reviews_sent[0])
            assert (reviews_sent[0].status, reviews_sent[0].code) == (409, "token_spent")

        reviews, messages, review_total, spent_total = await _stored(prepared.dbs)
        expected_reviews = {a.marker for a in reviews_sent}
        expected_messages = {a.marker for a in attempts if a.kind == "message"}
        assert set(reviews) == expected_reviews
        assert set(reviews.values()) == {1}
        assert set(messages) == expected_messages
        assert set(messages.values()) == {1}
        assert review_total == spent_total == len(expected_reviews)
    finally:
        server.stop()
