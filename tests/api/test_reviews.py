"""Anonymous reviews end to end through the HTTP API, with signed-in people and blind tokens."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from app.reviews.models import RoundKey, SpentToken
from tests.api.people import move, person
from tests.conftest import client_for
from tests.reviewing import Wallet, get_tokens, review_phase_over_http


async def test_a_whole_round(app: FastAPI, make_client: Any) -> None:
    world = await review_phase_over_http(app, make_client)
    cid, groups, team_ids = world["cid"], world["groups"], world["team_ids"]
    manifests = {
        (await m.client.get(f"/api/v1/challenges/{cid}/review-round")).text
        for g in groups
        for m in g
    }
    assert len(manifests) == 1, "every client must see the same manifest"
    manifest = (await groups[0][0].client.get(f"/api/v1/challenges/{cid}/review-round")).json()
    assert len(manifest["keys"]) == 3
    assert manifest["redeemed_total"] is None

    wallets = [[await get_tokens(m, cid) for m in g] for g in groups]
    async with client_for(app) as anonymous:
        for members in wallets:
            for wallet in members:
                for submission_id in wallet.tokens:
                    response = await anonymous.post(
                        "/api/v1/reviews", json=wallet.review(submission_id)
                    )
                    assert response.status_code == 202, response.text
                    assert response.json()["state"] == "pending"
        assert "set-cookie" not in response.headers

    # Nothing before the round closes.
    early = (await groups[0][0].client.get(f"/api/v1/teams/{team_ids[0]}/reviews")).json()
    assert early["state"] == "not_yet"
    assert (await move(world["facilitator"].client, cid, "closed")).status_code == 200

    released = (await groups[0][1].client.get(f"/api/v1/teams/{team_ids[0]}/reviews")).json()
    assert released["state"] == "released"
    assert released["count"] == 6
    assert {c["criterion_id"]: c["median"] for c in released["criteria"]} == {
        "clarity": 4.0,
        "usefulness": 4.0,
    }
    assert all(set(r) == {"scores", "comment"} for r in released["reviews"])
    closed_manifest = (
        await groups[0][0].client.get(f"/api/v1/challenges/{cid}/review-round")
    ).json()
    assert closed_manifest["state"] == "closed"
    assert closed_manifest["issued_total"] == closed_manifest["redeemed_total"] == 18
    results = (await world["facilitator"].client.get(f"/api/v1/challenges/{cid}/results")).json()
    assert [t["review_count"] for t in results["teams"]] == [6, 6, 6]
    async with app.state.databases.app_sessions() as db:
        assert await db.scalar(select(func.count()).select_from(SpentToken)) == 0
        assert set(await db.scalars(select(RoundKey.private_key))) == {None}


async def test_issuance_rules(app: FastAPI, make_client: Any) -> None:
    world = await review_phase_over_http(app, make_client, teams=3, size=1)
    cid, member = world["cid"], world["groups"][0][0]
    manifest = (await member.client.get(f"/api/v1/challenges/{cid}/review-round")).json()
    own = next(k["submission_id"] for k in manifest["keys"] if k["team_id"] == world["team_ids"][0])
    others = [k["submission_id"] for k in manifest["keys"] if k["submission_id"] != own]
    url = f"/api/v1/challenges/{cid}/review-round/tokens"
    with_own = await member.client.post(url, json=Wallet(manifest).request([*others, own]))
    assert with_own.status_code == 403
    assert with_own.json()["code"] == "own_submission"
    partial = await member.client.post(url, json=Wallet(manifest).request(others[:1]))
    assert partial.json()["code"] == "wrong_batch"
    assert (await member.client.post(url, json=Wallet(manifest).request(others))).status_code == 200
    again = await member.client.post(url, json=Wallet(manifest).request(others))
    assert again.status_code == 409
    assert again.json()["code"] == "tokens_already_issued"
    status = (await member.client.get(url)).json()
    assert status["issued"] is True
    outsider = await person(app, make_client)
    assert (await outsider.client.get(f"/api/v1/challenges/{cid}/review-round")).status_code == 404


async def test_team_below_k_sees_only_the_count(app: FastAPI, make_client: Any) -> None:
    world = await review_phase_over_http(app, make_client, teams=3, size=1)
    cid, groups, team_ids = world["cid"], world["groups"], world["team_ids"]
    wallet = await get_tokens(groups[1][0], cid)
    async with client_for(app) as anonymous:
        target = next(iter(wallet.tokens))
        await anonymous.post("/api/v1/reviews", json=wallet.review(target))
    await move(world["facilitator"].client, cid, "closed")
    for members, team_id in zip(groups, team_ids, strict=True):
        view = (await members[0].client.get(f"/api/v1/teams/{team_id}/reviews")).json()
        assert view["state"] == "not_enough"
        assert view["reviews"] == []
        assert "not enough reviews" in view["message"].lower()
    results = (await world["facilitator"].client.get(f"/api/v1/challenges/{cid}/results")).json()
    assert all(t["review_count"] is None and t["medians"] is None for t in results["teams"])


async def test_comment_check_is_anonymous_and_knows_the_handles(
    app: FastAPI, make_client: Any
) -> None:
    world = await review_phase_over_http(app, make_client, teams=2, size=1)
    member, cid = world["groups"][0][0], world["cid"]
    handle = (await member.client.get(f"/api/v1/challenges/{cid}/enrolment")).json()["handle"]
    wallet = await get_tokens(member, cid)
    target = next(iter(wallet.tokens))
    manifest = (await member.client.get(f"/api/v1/challenges/{cid}/review-round")).json()
    reviewed = next(k["team_name"] for k in manifest["keys"] if k["submission_id"] == target)
    own_team = next(k["team_name"] for k in manifest["keys"] if k["submission_id"] != target)
    await person(app, make_client, department="Logistics")
    body = {
        "token": wallet.tokens[target],
        "submission_id": target,
        "comment": f"Great work, {handle}! In {own_team} and Logistics we do it like "
        f"{reviewed} does. Call 0612345678.",
    }
    refused = await member.client.post("/api/v1/reviews/comment-check", json=body)
    assert refused.status_code == 400
    assert refused.json()["code"] == "credentials_not_allowed"
    async with client_for(app) as anonymous:
        warnings = (await anonymous.post("/api/v1/reviews/comment-check", json=body)).json()[
            "warnings"
        ]
        assert {(w["kind"], w["text"]) for w in warnings} == {
            ("handle", handle),
            ("team_name", own_team),  # the reviewer's own team; the reviewed one is expected
            ("department", "Logistics"),
            ("phone", "0612345678"),
        }
        # Without a token of the round, nothing is checked: the handles of a challenge are not
        # for anyone who asks (they were listed ten at a time before).
        tokenless = await anonymous.post(
            "/api/v1/reviews/comment-check", json={"challenge_id": cid, "comment": handle}
        )
        assert tokenless.status_code == 422
        forged = {**body, "token": {**body["token"], "signature": body["token"]["signature"][::-1]}}
        assert (await anonymous.post("/api/v1/reviews/comment-check", json=forged)).status_code in (
            401,
            422,
        )


async def test_comment_checks_are_limited_per_token(app: FastAPI, make_client: Any) -> None:
    world = await review_phase_over_http(app, make_client, teams=2, size=1)
    wallet = await get_tokens(world["groups"][0][0], world["cid"])
    target = next(iter(wallet.tokens))
    body = {"token": wallet.tokens[target], "submission_id": target, "comment": "Nice."}
    async with client_for(app) as anonymous:
        statuses = [
            (await anonymous.post("/api/v1/reviews/comment-check", json=body)).status_code
            for _ in range(31)
        ]
        assert statuses[:30] == [200] * 30
        assert statuses[30] == 429
        # A spent token checks nothing more.
        await anonymous.post("/api/v1/reviews", json=wallet.review(target))
        async with app.state.databases.app_sessions.begin() as db:
            round_id = uuid.UUID(
                (
                    await world["groups"][0][0].client.get(
                        f"/api/v1/challenges/{world['cid']}/review-round"
                    )
                ).json()["round_id"]
            )
            await app.state.review_mix.write_all_for_round(db, round_id)
        spent = await anonymous.post("/api/v1/reviews/comment-check", json=body)
        assert spent.status_code == 409
        assert spent.json()["code"] == "token_spent"
