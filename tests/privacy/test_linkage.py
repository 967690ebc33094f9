"""The linkage suite (privacy.md): attacks on review anonymity, with the numbers given there.

Each test plays an attacker who holds the whole app database (and, for the log test, every
log line) after a round, and measures how well it can tie a review to a person.
"""

from __future__ import annotations

import hashlib
import logging
import random
import uuid
from typing import Any

import numpy as np
import pytest
from fastapi import FastAPI
from sqlalchemy import Date, DateTime, select, text

from app.models import app_metadata
from app.reviews.models import Review
from tests.api.people import create_challenge, join, move, person
from tests.conftest import BACKEND, client_for
from tests.reviewing import (
    ReviewWorld,
    Wallet,
    build_review_world,
    close_round,
    get_tokens,
    issue_directly,
    review_phase_over_http,
    unb64,
)

IDENTIFYING_NAME_PARTS = (
    "account",
    "pseudonym",
    "author",
    "user",
    "ip",
    "address",
    "agent",
    "session",
)


def spearman(x: list[float], y: list[float]) -> float:
    rx = np.argsort(np.argsort(x)).astype(float)
    ry = np.argsort(np.argsort(y)).astype(float)
    return float(np.corrcoef(rx, ry)[0, 1])


async def _simulated_round(app: FastAPI, *, teams: int, members: int) -> dict[str, Any]:
    """Participants receive their tokens one after another, each reviewing right after (the
    worst case for timing); returns the true order of reviews and who wrote each."""
    world = await build_review_world(app, teams=teams, members=members)
    everyone = [(team, p) for team, people in world.members.items() for p in people]
    random.Random(7).shuffle(everyone)
    true_order: list[tuple[str, uuid.UUID, uuid.UUID]] = []  # (comment marker, author, submission)
    async with client_for(app) as anonymous:
        for _, pseudonym in everyone:
            wallet = Wallet(await _manifest(app, world))
            await issue_directly(app, world, pseudonym, wallet)
            for submission_id in wallet.tokens:
                marker = uuid.uuid4().hex
                body = wallet.review(submission_id, comment=marker)
                response = await anonymous.post("/api/v1/reviews", json=body)
                assert response.status_code == 202, response.text
                true_order.append((marker, pseudonym, uuid.UUID(submission_id)))
    await close_round(app, world)
    return {"world": world, "issuance_order": [p for _, p in everyone], "true_order": true_order}


async def _manifest(app: FastAPI, world: ReviewWorld) -> dict[str, Any]:
    async with app.state.databases.app_sessions() as db:
        from app.challenges.models import Challenge

        challenge = await db.get(Challenge, world.challenge_id)
        manifest = await app.state.review_rounds.manifest(db, challenge)
    return manifest.model_dump(mode="json")


async def _storage_order(app: FastAPI) -> list[str]:
    """Comments in the order the database stores the rows (no ORDER BY; ctid on PostgreSQL)."""
    order_by = " ORDER BY ctid" if BACKEND == "postgres" else ""
    async with app.state.databases.app_engine.connect() as connection:
        rows = await connection.execute(text(f"SELECT comment FROM reviews{order_by}"))
        return [row[0] for row in rows]


@pytest.mark.slow
async def test_order_of_ids_storage_and_listing_reveals_nothing(
    app: FastAPI, make_client: Any
) -> None:
    simulated = await _simulated_round(app, teams=11, members=10)
    true_order = simulated["true_order"]
    assert len(true_order) >= 1000
    position = {marker: index for index, (marker, _, _) in enumerate(true_order)}

    async with app.state.databases.app_sessions() as db:
        by_id = [r.comment for r in await db.scalars(select(Review).order_by(Review.id))]
    storage = await _storage_order(app)
    world: ReviewWorld = simulated["world"]
    listing: list[str] = []
    from app.challenges.models import Challenge
    from app.reviews.service import team_reviews
    from app.teams.models import Team

    async with app.state.databases.app_sessions() as db:
        challenge = await db.get(Challenge, world.challenge_id)
        for team_id in world.teams:
            team = await db.get(Team, team_id)
            released = await team_reviews(db, challenge, team)
            assert released.state == "released"
            listing += [r.comment for r in released.reviews]

    for name, observed in (
        ("id order", by_id),
        ("storage order", storage),
        ("listing order", listing),
    ):
        assert len(observed) == len(true_order)
        rho = spearman([position[m] for m in observed], list(range(len(observed))))
        assert abs(rho) < 0.1, f"{name} correlates with submission order (rho={rho:.3f})"


@pytest.mark.slow
async def test_timing_attacker_does_no_better_than_chance(app: FastAPI) -> None:
    """The attacker knows exactly when each person got tokens (the worst case) and guesses,
    for each review, the most recent eligible issuance before the review's apparent time."""
    simulated = await _simulated_round(app, teams=8, members=5)
    world: ReviewWorld = simulated["world"]
    issuance_order: list[uuid.UUID] = simulated["issuance_order"]
    authors = {marker: author for marker, author, _ in simulated["true_order"]}
    submission_of = {marker: submission for marker, _, submission in simulated["true_order"]}
    team_of = {p: team for team, people in world.members.items() for p in people}
    team_of_submission = {s: t for t, s in world.submissions.items()}

    # What the attacker can see of review times: nothing stored, so the best proxy is the
    # order of rows on disk, spread over the issuance timeline.
    observed = await _storage_order(app)
    hits, chance = 0, 0.0
    for index, marker in enumerate(observed):
        apparent_time = index / len(observed) * len(issuance_order)
        eligible = [
            p for p in issuance_order if team_of[p] != team_of_submission[submission_of[marker]]
        ]
        before = [p for p in issuance_order[: int(apparent_time) + 1] if p in eligible]
        guess = before[-1] if before else eligible[0]
        hits += guess == authors[marker]
        chance += 1 / len(eligible)
    accuracy, baseline = hits / len(observed), chance / len(observed)
    assert accuracy <= baseline + 0.05, (
        f"timing attack right {accuracy:.3f} vs chance {baseline:.3f}"
    )


def test_review_tables_cannot_hold_identities_or_times() -> None:
    for name in ("reviews", "spent_tokens"):
        table = app_metadata().tables[name]
        for column in table.columns:
            lowered = column.name.lower()
            assert not any(part in lowered for part in IDENTIFYING_NAME_PARTS), (
                f"{name}.{column.name}"
            )
            assert not isinstance(column.type, (DateTime, Date)), (
                f"{name}.{column.name} holds a time"
            )
            for foreign_key in column.foreign_keys:
                assert foreign_key.column.table.name not in {"participants", "teams"}, (
                    f"{name}.{column.name} points at a person or team"
                )
    issuances = app_metadata().tables["token_issuances"]
    assert not any(isinstance(c.type, (DateTime, Date)) for c in issuances.columns)


async def test_logs_hold_no_token_and_no_pseudonym(
    app: FastAPI, make_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world = await review_phase_over_http(app, make_client, teams=2, size=2)
    cid = world["cid"]
    secrets_seen: set[str] = set()
    async with client_for(app) as anonymous:
        for members in world["groups"]:
            for member in members:
                wallet = await get_tokens(member, cid)
                for submission_id, token in wallet.tokens.items():
                    prepared = unb64(token["prepared_message"])
                    secrets_seen |= {
                        token["prepared_message"],
                        prepared.hex(),
                        hashlib.sha256(prepared).hexdigest(),
                    }
                    response = await anonymous.post(
                        "/api/v1/reviews", json=wallet.review(submission_id)
                    )
                    assert response.status_code == 202
    await move(world["facilitator"].client, cid, "closed")
    participants = (
        await world["facilitator"].client.get(f"/api/v1/challenges/{cid}/participants")
    ).json()["items"]
    pseudonyms = {p["pseudonym"] for p in participants}
    account_ids = {str(m.account_id) for g in world["groups"] for m in g}
    lines = [record.getMessage() + " " + repr(record.__dict__) for record in caplog.records]
    assert lines, "the test must see the logs it checks"
    for line in lines:
        assert not any(s in line for s in secrets_seen), (
            f"a token appears in a log line: {line[:300]}"
        )
        assert not any(p in line for p in pseudonyms), "a pseudonym appears in a log line"
        assert not any(a in line for a in account_ids), "an account id appears in a log line"
        assert "/api/v1/reviews" not in line or "route" not in line


class TestTokenMisuse:
    async def _one_token(
        self, app: FastAPI, make_client: Any
    ) -> tuple[dict[str, Any], Wallet, str]:
        world = await review_phase_over_http(app, make_client, teams=2, size=1)
        wallet = await get_tokens(world["groups"][0][0], world["cid"])
        return world, wallet, next(iter(wallet.tokens))

    async def test_reuse_is_409(self, app: FastAPI, make_client: Any) -> None:
        _, wallet, submission = await self._one_token(app, make_client)
        async with client_for(app) as anonymous:
            assert (
                await anonymous.post("/api/v1/reviews", json=wallet.review(submission))
            ).status_code == 202
            again = await anonymous.post(
                "/api/v1/reviews", json=wallet.review(submission, comment="twice")
            )
        assert again.status_code == 409
        assert again.json()["code"] == "token_spent"

    async def test_flipped_signature_bit_is_refused(self, app: FastAPI, make_client: Any) -> None:
        _, wallet, submission = await self._one_token(app, make_client)
        body = wallet.review(submission)
        signature = bytearray(unb64(body["token"]["signature"]))
        signature[10] ^= 1
        from tests.reviewing import b64

        body["token"]["signature"] = b64(bytes(signature))
        async with client_for(app) as anonymous:
            response = await anonymous.post("/api/v1/reviews", json=body)
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_token"

    async def test_token_for_another_submission_or_round(
        self, app: FastAPI, make_client: Any
    ) -> None:
        world, wallet, submission = await self._one_token(app, make_client)
        other_world = await review_phase_over_http(app, make_client, teams=2, size=1)
        foreign_submission = (
            await other_world["groups"][0][0].client.get(
                f"/api/v1/challenges/{other_world['cid']}/review-round"
            )
        ).json()["keys"][0]["submission_id"]
        own_team_submission = str(uuid.uuid4())
        async with client_for(app) as anonymous:
            for target in (foreign_submission, own_team_submission):
                body = wallet.review(submission)
                body["submission_id"] = target
                response = await anonymous.post("/api/v1/reviews", json=body)
                assert response.status_code == 400
                assert response.json()["code"] == "token_submission_mismatch"
        del world

    async def test_key_of_a_closed_round_is_refused(self, app: FastAPI, make_client: Any) -> None:
        world, wallet, submission = await self._one_token(app, make_client)
        await move(world["facilitator"].client, world["cid"], "closed")
        async with client_for(app) as anonymous:
            response = await anonymous.post("/api/v1/reviews", json=wallet.review(submission))
        assert response.status_code == 409
        assert response.json()["code"] == "round_closed"

    @pytest.mark.parametrize("header", ["Cookie", "Authorization"])
    async def test_identifying_headers_are_refused(
        self, app: FastAPI, make_client: Any, header: str
    ) -> None:
        _, wallet, submission = await self._one_token(app, make_client)
        async with client_for(app) as anonymous:
            response = await anonymous.post(
                "/api/v1/reviews", json=wallet.review(submission), headers={header: "session=abc"}
            )
            assert response.status_code == 400
            assert response.json()["code"] == "credentials_not_allowed"
            # The token was not spent: the same review sent properly is accepted.
            assert (
                await anonymous.post("/api/v1/reviews", json=wallet.review(submission))
            ).status_code == 202


async def test_pseudonyms_in_two_challenges_share_no_value(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    shared = await person(app, make_client, birth_year=1984, department="Finance")
    pseudonyms = []
    others: list[str] = []
    for _ in range(2):
        cid = (await create_challenge(facilitator.client))["id"]
        await move(facilitator.client, cid, "enrolment")
        other = await person(app, make_client)
        for someone in (shared, other):
            await join(someone.client, cid)
            team = (await someone.client.post(f"/api/v1/challenges/{cid}/teams")).json()
            someone.team = team["id"]  # type: ignore[attr-defined]
        await move(facilitator.client, cid, "teamwork")
        for someone in (shared, other):
            url = f"/api/v1/teams/{someone.team}/submission"  # type: ignore[attr-defined]
            await someone.client.put(url, json={"base_version": 0, "title": "T", "body": "B"})
            await someone.client.post(f"{url}/final")
        await move(facilitator.client, cid, "review")
        await get_tokens(shared, cid)
        items = (await facilitator.client.get(f"/api/v1/challenges/{cid}/participants")).json()[
            "items"
        ]
        mine = (await shared.client.get(f"/api/v1/challenges/{cid}/enrolment")).json()["handle"]
        pseudonyms.append(next(p["pseudonym"] for p in items if p["handle"] == mine))
        others.extend(p["pseudonym"].replace("-", "") for p in items if p["handle"] != mine)

    values: list[set[str]] = [set(), set()]
    # What rows of the other participants alone hold too (the challenge's title in a phase
    # notice, a notice's kind) is the same for everyone and singles nobody out.
    everyones: set[str] = set()
    async with app.state.databases.app_engine.connect() as connection:
        for table in app_metadata().sorted_tables:
            for row in (await connection.execute(text(f'SELECT * FROM "{table.name}"'))).all():
                cells = [str(v) for v in row]
                normalised = {c.replace("-", "") for c in cells}
                # Identifiers only: labels such as "gen_x" are shared by many people.
                long_values = {c for c in normalised if len(c) >= 16}
                for index, pseudonym in enumerate(pseudonyms):
                    if pseudonym.replace("-", "") in normalised:
                        values[index] |= long_values
                theirs = any(other in normalised for other in others)
                if theirs and not any(p.replace("-", "") in normalised for p in pseudonyms):
                    everyones |= long_values
    assert values[0]
    assert values[1]
    shared_values = (values[0] & values[1]) - everyones
    assert not shared_values, "rows of one person in two challenges share a value"
