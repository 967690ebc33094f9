"""Withheld reviews stay withheld: no published figure lets anyone subtract them back out.

A team with fewer than k reviews sees only their count, to protect its few reviewers. The
attacker here holds every view released after the round closes: each released team's own
reviews (one member of every released team, pooling what they see), the challenge results
(per-team medians, challenge-wide medians and distributions, totals) and the round manifest.
Whatever the challenge-wide figures hold beyond the released reviews belongs to the withheld
team, so it must be nothing at all.
"""

from __future__ import annotations

import statistics
import uuid
from collections import Counter
from typing import Any

from fastapi import FastAPI

from app.challenges.models import Challenge
from app.reviews.service import challenge_results, team_reviews
from app.teams.models import Team
from tests.conftest import client_for
from tests.reviewing import (
    ReviewWorld,
    Wallet,
    build_review_world,
    close_round,
    issue_directly,
)

CRITERIA = ("clarity", "usefulness")
# Scores no released review uses: if any of them shows up anywhere, it came from the withheld team.
WITHHELD_SCORES = [{"clarity": 1, "usefulness": 2}, {"clarity": 2, "usefulness": 1}]
RELEASED_SCORES = [
    {"clarity": 4, "usefulness": 5},
    {"clarity": 5, "usefulness": 4},
    {"clarity": 4, "usefulness": 4},
]


async def _manifest(app: FastAPI, world: ReviewWorld) -> dict[str, Any]:
    async with app.state.databases.app_sessions() as db:
        challenge = await db.get(Challenge, world.challenge_id)
        manifest = await app.state.review_rounds.manifest(db, challenge)
    return dict(manifest.model_dump(mode="json"))


async def _round_with_one_team_below_k(app: FastAPI) -> ReviewWorld:
    """Four teams of three, k = 3: team 0 receives two reviews with distinctive scores, the
    three others three ordinary reviews each."""
    world = await build_review_world(app, teams=4, members=3, k=3)
    manifest = await _manifest(app, world)
    wallets: dict[uuid.UUID, Wallet] = {}
    for people in world.members.values():
        for pseudonym in people:
            wallets[pseudonym] = Wallet(manifest)
            await issue_directly(app, world, pseudonym, wallets[pseudonym])
    withheld, *released = world.teams
    plan: list[tuple[uuid.UUID, uuid.UUID, dict[str, int]]] = [
        (reviewer, withheld, scores)
        for reviewer, scores in zip(world.members[released[0]], WITHHELD_SCORES, strict=False)
    ]
    for index, team in enumerate(released):
        reviewers = world.members[released[(index + 1) % len(released)]]
        plan += [
            (reviewer, team, scores)
            for reviewer, scores in zip(reviewers, RELEASED_SCORES, strict=True)
        ]
    async with client_for(app) as anonymous:
        for reviewer, team, scores in plan:
            body = wallets[reviewer].review(str(world.submissions[team]))
            body["scores"] = scores
            response = await anonymous.post("/api/v1/reviews", json=body)
            # 201 when written at once, 202 when held for a batch that the close writes.
            assert response.status_code in (201, 202), response.text
    await close_round(app, world)
    return world


async def test_withheld_scores_cannot_be_subtracted_from_the_results(app: FastAPI) -> None:
    world = await _round_with_one_team_below_k(app)
    withheld = world.teams[0]
    manifest = await _manifest(app, world)

    # Everything released, as the routes return it (GET /teams/{id}/reviews for every team,
    # GET /challenges/{id}/results).
    async with app.state.databases.app_sessions() as db:
        challenge = await db.get(Challenge, world.challenge_id)
        assert challenge is not None
        views = {}
        for team_id in world.teams:
            team = await db.get(Team, team_id)
            assert team is not None
            views[team_id] = await team_reviews(db, challenge, team)
        results = await challenge_results(db, challenge)

    assert views[withheld].state == "not_enough"
    assert views[withheld].reviews == []
    assert all(views[t].state == "released" for t in world.teams[1:])
    pooled = [review for view in views.values() for review in view.reviews]

    # The subtraction: challenge-wide distributions minus every released review.
    published = {c.criterion_id: c for c in results.criteria}
    for criterion in CRITERIA:
        known = Counter(review.scores[criterion] for review in pooled)
        residue = Counter(published[criterion].distribution) if criterion in published else {}
        residue = {score: n - known[score] for score, n in residue.items() if n - known[score]}
        assert residue == {}, f"{criterion}: the withheld team's scores {residue} are derivable"
        # A median over more than the released reviews would narrow the withheld scores down.
        if criterion in published:
            assert published[criterion].median == statistics.median(known.elements())

    # No withheld score appears in any published figure.
    withheld_values = {s for scores in WITHHELD_SCORES for s in scores.values()}
    for summary in results.criteria:
        assert not withheld_values & set(summary.distribution)
    for team in results.teams:
        assert not withheld_values & set((team.medians or {}).values())

    # Counts: the totals tell how many reviews were withheld (the withheld team sees its own
    # count anyway), never what they said.
    by_name = {t.team_name: t for t in results.teams}
    assert by_name["Team 000"].review_count is None
    assert by_name["Team 000"].medians is None
    released_count = sum(t.review_count or 0 for t in results.teams)
    assert released_count == len(pooled)
    assert manifest["redeemed_total"] == results.redeemed_total == len(pooled) + 2


async def test_challenge_figures_need_k_released_reviews(app: FastAPI) -> None:
    """When no team reaches k, nothing challenge-wide is published either."""
    world = await build_review_world(app, teams=3, members=2, k=3)
    manifest = await _manifest(app, world)
    # Both members of team 1 review teams 0 and 2: four reviews, two per team, none released.
    async with client_for(app) as anonymous:
        for pseudonym in world.members[world.teams[1]]:
            wallet = Wallet(manifest)
            await issue_directly(app, world, pseudonym, wallet)
            for submission_id in wallet.tokens:
                body = wallet.review(submission_id, score=1)
                response = await anonymous.post("/api/v1/reviews", json=body)
                assert response.status_code in (201, 202), response.text
    await close_round(app, world)
    async with app.state.databases.app_sessions() as db:
        challenge = await db.get(Challenge, world.challenge_id)
        assert challenge is not None
        results = await challenge_results(db, challenge)
    assert results.state == "released"
    assert results.criteria == []
    assert all(t.review_count is None and t.medians is None for t in results.teams)
