"""The commit-order attack on a programme's survey answers (docs/privacy.md, "Anonymous
ratings"): the same examiner and attack as tests/privacy/test_rating_commit_order.py, on
answers given with survey tokens, which take the same anonymous path and mix as lesson ratings
but are written as one row per question.

Against a writer that stores an answer when it arrives the attack names every member who
answered; against the mix it does no better than a guess among those given tokens before.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from fastapi import FastAPI

from app.redemption import rating_repository
from app.redemption.mix import MixPolicy
from tests.api.people import Person
from tests.api.test_mentoring_feedback import feedback_url, members, open_survey, survey_token
from tests.api.test_mentoring_pairs_names import running_programme
from tests.conftest import client_for
from tests.privacy.test_rating_commit_order import Examiner, NaiveRatingWriter, Outcome, attack

PROGRAMMES = 2
PAIRS_EACH = 6


async def _play(app: FastAPI, make_client: Any) -> Outcome:
    rng = random.Random(20)
    people: list[tuple[str, Person]] = []
    for _ in range(PROGRAMMES):
        running = await running_programme(app, make_client, count=PAIRS_EACH)
        assert (await open_survey(running.lead, running.pid)).status_code == 200
        people += [(running.pid, member) for member in members(running)]
    rng.shuffle(people)
    examiner = Examiner()
    await examiner.look(app)
    issuer: dict[str, str] = {}  # marker -> person (what the access log tells the operator)
    author: dict[str, str] = {}  # comment -> person (the truth)
    issued_before: list[int] = []
    async with client_for(app) as anonymous:
        for index, (pid, member) in enumerate(people):
            name = f"member-{index}"
            before = set(examiner.markers)
            token = await survey_token(member.client, pid)
            await examiner.look(app)
            (marker,) = examiner.markers - before
            issuer[marker] = name
            # Answered the moment the token arrives: the worst case for the member.
            comment = uuid.uuid4().hex
            author[comment] = name
            issued_before.append(index + 1)
            answers = {
                q: rng.randint(1, 5) for q in ("sessions_useful", "pairing_fit", "recommend")
            }
            response = await anonymous.post("/api/v1/ratings", json=token.answers(answers, comment))
            assert response.status_code == 202, response.text
            await examiner.look(app)
    # The rows of the questions without the comment carry none: only comments are attributed.
    steps = [(markers, comments - {""}) for markers, comments in examiner.steps]
    guesses = attack(steps, issuer)
    right = sum(1 for comment, guess in guesses.items() if author[comment] == guess)
    chance = sum(1 / n for n in issued_before) / len(issued_before)
    return Outcome(right=right, attributed=len(guesses), chance=chance)


async def test_the_attack_names_every_member_against_a_naive_writer(
    app: FastAPI, make_client: Any
) -> None:
    dbs = app.state.databases
    mix = app.state.rating_mix
    app.state.rating_mix = NaiveRatingWriter(dbs.app_sessions, dbs.app_engine, MixPolicy())
    try:
        outcome = await _play(app, make_client)
    finally:
        app.state.rating_mix = mix
    assert outcome.attributed == PROGRAMMES * PAIRS_EACH * 2
    assert outcome.rate == 1.0


async def test_the_attack_does_no_better_than_chance_against_the_mix(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.rating_mix, "policy", MixPolicy(4, 10, 0))
    outcome = await _play(app, make_client)
    assert outcome.attributed >= PROGRAMMES * PAIRS_EACH  # most answers were written
    assert outcome.rate <= outcome.chance + 0.1, (outcome.rate, outcome.chance)


async def test_the_close_writes_every_answer_in_one_shuffled_transaction(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One survey answered, nothing else rated: no batch comes, and the lead's close writes
    every answer at once, in an order unrelated to their arrival, as a review round's close."""
    monkeypatch.setattr(app.state.rating_mix, "policy", MixPolicy(4, 10, 0))
    inserted: list[list[dict[str, Any]]] = []
    insert_ratings = rating_repository.insert_ratings

    async def recording(db: Any, rows: list[dict[str, Any]]) -> None:
        inserted.append(list(rows))
        await insert_ratings(db, rows)

    monkeypatch.setattr(rating_repository, "insert_ratings", recording)
    running = await running_programme(app, make_client, count=PAIRS_EACH)
    assert (await open_survey(running.lead, running.pid)).status_code == 200
    examiner = Examiner()
    await examiner.look(app)
    issuer: dict[str, str] = {}
    arrived: list[str] = []
    async with client_for(app) as anonymous:
        for index, member in enumerate(members(running)):
            before = set(examiner.markers)
            token = await survey_token(member.client, running.pid)
            await examiner.look(app)
            (marker,) = examiner.markers - before
            issuer[marker] = f"member-{index}"
            comment = f"member-{index}"
            arrived.append(comment)
            answers = {"sessions_useful": 4, "pairing_fit": 3, "recommend": 5}
            response = await anonymous.post("/api/v1/ratings", json=token.answers(answers, comment))
            assert response.status_code == 202, response.text
            await examiner.look(app)
    assert not examiner.ratings  # nothing written before the close
    closed = await running.lead.client.post(f"{feedback_url(running.pid)}/midpoint/close")
    assert closed.status_code == 200, closed.text
    await examiner.look(app)

    (close_step,) = [comments for _, comments in examiner.steps if comments - {""}]
    assert close_step - {""} == set(arrived)  # every answer in the one closing commit
    (batch,) = inserted
    in_batch = [row["comment"] for row in batch if row["comment"]]
    assert sorted(in_batch) == sorted(arrived)
    assert in_batch != arrived  # shuffled, not in the order of arrival
    guesses = attack([(m, c - {""}) for m, c in examiner.steps], issuer)
    right = sum(1 for comment, guess in guesses.items() if comment == guess)
    assert right <= 1  # the last one given a token, as a guess among all of them would be
