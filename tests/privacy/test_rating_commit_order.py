"""The commit-order attack on ratings (docs/privacy.md, "Anonymous ratings").

The operator holds the app database's write-ahead log (or PostgreSQL's WAL and its archive)
and the access log, which dates every token issuance: with copies of the files taken while the
service ran, they see every commit in order. Here the examiner looks at the app database after
every request (each request commits at most once, so this is the order of commits a WAL
replay gives; tests/privacy/test_forensics.py reads the bytes themselves for reviews) and
gives each rating to the person whose token issuance was committed last before the rating
appeared. The test knows who issued each marker (the access log would tell the operator) and
who wrote each rating (a random comment only it knows).

Against a writer that stores a rating when it arrives the attack names every rater; against
the mix it does no better than a guess among the people issued tokens before the batch.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.ratings.models import Rating, RatingIssuance
from app.redemption.mix import MixPolicy
from app.redemption.rating_mix import PendingRating, RatingMix
from app.redemption.schemas import ReceiptState
from tests.api.test_library_lessons import employee, facilitator, published_lesson
from tests.conftest import client_for
from tests.rating import rating_token, take

PEOPLE = 24
LESSONS = 4
LESSONS_EACH = 2


class NaiveRatingWriter(RatingMix):
    """What the mix replaces: each rating written in its own transaction when it arrives."""

    async def accept(self, rating: PendingRating) -> ReceiptState:
        async with self.sessions.begin() as db:
            await self._write(db, {rating.token_hash: rating})
        return "committed"


@dataclass
class Examiner:
    """The rows visible after each commit, and what became visible with it."""

    markers: set[str] = field(default_factory=set)
    ratings: set[str] = field(default_factory=set)
    # Each step: markers issued, then rating comments that appeared.
    steps: list[tuple[set[str], set[str]]] = field(default_factory=list)

    async def look(self, app: FastAPI) -> None:
        async with app.state.databases.app_sessions() as db:
            markers = set(await db.scalars(select(RatingIssuance.marker)))
            ratings = set(await db.scalars(select(Rating.comment)))
        new_markers, new_ratings = markers - self.markers, ratings - self.ratings
        if new_markers or new_ratings:
            self.steps.append((new_markers, new_ratings))
        self.markers, self.ratings = markers, ratings


@dataclass
class Outcome:
    right: int
    attributed: int
    chance: float

    @property
    def rate(self) -> float:
        return self.right / self.attributed if self.attributed else 0.0


def attack(steps: list[tuple[set[str], set[str]]], issuer: dict[str, str]) -> dict[str, str]:
    """Each rating to the person behind the marker committed last before it."""
    guesses: dict[str, str] = {}
    latest: str | None = None
    for markers, ratings in steps:
        for comment in ratings:
            if latest is not None:
                guesses[comment] = issuer[latest]
        if markers:
            latest = sorted(markers)[-1]
    return guesses


async def _play(app: FastAPI, make_client: Any) -> Outcome:
    rng = random.Random(21)
    writer = await facilitator(app, make_client)
    lessons = [await published_lesson(writer.client, title=f"L{i}") for i in range(LESSONS)]
    examiner = Examiner()
    await examiner.look(app)
    issuer: dict[str, str] = {}  # marker -> person (what the access log tells the operator)
    author: dict[str, str] = {}  # rating comment -> person (the truth)
    issued_before: list[int] = []  # for each rating, how many people had tokens before it
    people_issued: set[str] = set()
    async with client_for(app) as anonymous:
        for index in range(PEOPLE):
            reader = await employee(app, make_client)
            name = f"person-{index}"
            for lesson in rng.sample(lessons, LESSONS_EACH):
                await take(reader.client, lesson)
                await examiner.look(app)
                token = await rating_token(reader.client, lesson)
                before = set(examiner.markers)
                await examiner.look(app)
                (marker,) = examiner.markers - before
                issuer[marker] = name
                people_issued.add(name)
                # Rated the moment the token arrives: the worst case for the rater.
                comment = uuid.uuid4().hex
                author[comment] = name
                issued_before.append(len(people_issued))
                response = await anonymous.post(
                    "/api/v1/ratings", json=token.rating(rng.randint(1, 5), comment)
                )
                assert response.status_code == 202, response.text
                await examiner.look(app)
    guesses = attack(examiner.steps, issuer)
    right = sum(1 for comment, guess in guesses.items() if author[comment] == guess)
    chance = sum(1 / n for n in issued_before) / len(issued_before)
    return Outcome(right=right, attributed=len(guesses), chance=chance)


async def test_the_attack_names_every_rater_of_a_naive_writer(
    app: FastAPI, make_client: Any
) -> None:
    dbs = app.state.databases
    mix = app.state.rating_mix
    app.state.rating_mix = NaiveRatingWriter(dbs.app_sessions, dbs.app_engine, MixPolicy())
    try:
        outcome = await _play(app, make_client)
    finally:
        app.state.rating_mix = mix
    assert outcome.attributed == PEOPLE * LESSONS_EACH
    assert outcome.rate == 1.0


async def test_the_attack_does_no_better_than_chance_against_the_mix(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Production's floor (docs/privacy.md): batches of at least 4 ratings of two lessons, once
    # 10 more people have been given tokens; considered after every request here.
    monkeypatch.setattr(app.state.rating_mix, "policy", MixPolicy(4, 10, 0))
    outcome = await _play(app, make_client)
    assert outcome.attributed >= PEOPLE  # most ratings were written
    # Guessing the latest issuer is right for about one rating per batch at most.
    assert outcome.rate <= outcome.chance + 0.1, (outcome.rate, outcome.chance)
