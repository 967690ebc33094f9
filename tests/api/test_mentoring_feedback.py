"""Anonymous feedback on a mentoring programme (issue 20, item 10): a mid-point and an end
survey, one blind token per member of an accepted pair and survey, answers released to the
leads as aggregates per question only from 5 answers on."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from app.ratings.models import Rating, RatingKey
from app.vault.models import KeyEpochRequest
from tests.api.people import Person, person
from tests.api.test_library_lessons import employee, facilitator, published_lesson
from tests.api.test_mentoring_pairs_journal import app_database_bytes
from tests.api.test_mentoring_pairs_names import Running, running_programme
from tests.api.test_mentoring_programmes import BASE, move
from tests.conftest import Client, DatabaseUrls, client_for
from tests.rating import RatingToken, rating_token, take, token_for

ANSWER = {"sessions_useful": 4, "pairing_fit": 5, "recommend": 3}


def feedback_url(pid: str) -> str:
    return f"{BASE}/{pid}/feedback"


async def survey(client: Client, pid: str, point: str = "midpoint") -> dict[str, Any]:
    response = await client.get(feedback_url(pid))
    assert response.status_code == 200, response.text
    (found,) = [s for s in response.json() if s["point"] == point]
    return dict(found)


async def open_survey(lead: Person, pid: str, point: str = "midpoint") -> Any:
    return await lead.client.post(f"{feedback_url(pid)}/{point}/open")


async def survey_token(client: Client, pid: str, point: str = "midpoint") -> RatingToken:
    manifest = await survey(client, pid, point)
    return await token_for(client, manifest, f"{feedback_url(pid)}/{point}/token")


async def write_held(app: FastAPI) -> None:
    """Write whatever the mix holds in one batch (its batching rules are tested in
    tests/api/test_ratings.py and tests/privacy/test_rating_commit_order.py)."""
    mix = app.state.rating_mix
    async with app.state.databases.app_sessions.begin() as db:
        await mix._write(db, dict(mix._held))
    mix._held.clear()


def members(running: Running) -> list[Person]:
    return [someone for pair in running.pairs for someone in (pair.mentor, pair.mentee)]


async def test_only_members_of_accepted_pairs_get_one_token_per_survey(
    app: FastAPI, make_client: Any
) -> None:
    running = await running_programme(app, make_client, count=1)
    pid, lead = running.pid, running.lead
    (pair,) = running.pairs
    outsider = await person(app, make_client)

    closed = await survey(pair.mentee.client, pid)
    assert (closed["open"], closed["key"], closed["member"]) == (False, None, True)
    blinded = {"key_id": "a" * 64, "blinded_message": "AAAA"}
    early = await pair.mentee.client.post(f"{feedback_url(pid)}/midpoint/token", json=blinded)
    assert (early.status_code, early.json()["code"]) == (409, "survey_not_open")

    # Members cannot open a survey; the end survey waits for the programme's close.
    assert (await open_survey(pair.mentor, pid)).status_code == 403
    too_soon = await open_survey(lead, pid, "end")
    assert (too_soon.status_code, too_soon.json()["code"]) == (409, "survey_cannot_open")
    opened = await open_survey(lead, pid)
    assert opened.status_code == 200, opened.text

    for member in (pair.mentor, pair.mentee):
        await survey_token(member.client, pid)
        again = await survey(member.client, pid)
        assert (again["open"], again["member"], again["issued"]) == (True, True, True)
        second = await member.client.post(
            f"{feedback_url(pid)}/midpoint/token",
            json=RatingToken.blinded_for(again).request(),
        )
        assert (second.status_code, second.json()["code"]) == (409, "rating_token_already_issued")

    # Someone who never applied, and the lead who is in no pair, answer nothing.
    for stranger in (outsider, lead):
        manifest = await survey(stranger.client, pid)
        assert (manifest["member"], manifest["issued"]) == (False, False)
        refused = await stranger.client.post(
            f"{feedback_url(pid)}/midpoint/token",
            json=RatingToken.blinded_for(manifest).request(),
        )
        assert (refused.status_code, refused.json()["code"]) == (403, "survey_not_member")

    # The end survey: once the programme closed, a token of its own for the same member.
    assert (await move(lead.client, pid, "closed")).status_code == 200
    assert (await open_survey(lead, pid, "end")).status_code == 200
    assert (await open_survey(lead, pid, "end")).status_code == 200  # opening twice: the same
    late = await open_survey(lead, pid, "midpoint")
    assert (late.status_code, late.json()["code"]) == (409, "survey_cannot_open")
    end = await survey_token(pair.mentee.client, pid, "end")
    assert end.key_id != (await survey(pair.mentee.client, pid))["key"]["key_id"]


async def test_answers_are_released_to_leads_from_five_as_aggregates_only(
    app: FastAPI, make_client: Any
) -> None:
    running = await running_programme(app, make_client, count=3)
    pid, lead = running.pid, running.lead
    assert (await open_survey(lead, pid)).status_code == 200
    people = members(running)
    tokens = [await survey_token(member.client, pid) for member in people]
    answers = [
        {"sessions_useful": 5, "pairing_fit": 4, "recommend": 5},
        {"sessions_useful": 4, "pairing_fit": 4, "recommend": 5},
        {"sessions_useful": 4, "pairing_fit": 2, "recommend": 4},
        {"sessions_useful": 3, "pairing_fit": 4, "recommend": 5},
        {"sessions_useful": 4, "pairing_fit": 4, "recommend": 4},
        {"sessions_useful": 2, "pairing_fit": 1, "recommend": 1},
    ]
    comments = ["More time together.", "", "Good match.", "", "", ""]
    results_url = f"{feedback_url(pid)}/results"

    async with client_for(app) as anonymous:
        # A survey token answers every question, never stars alone.
        wrong = await anonymous.post("/api/v1/ratings", json=tokens[0].rating(4))
        assert (wrong.status_code, wrong.json()["code"]) == (422, "rating_answers_mismatch")
        partial = await anonymous.post(
            "/api/v1/ratings", json=tokens[0].answers({"sessions_useful": 4, "pairing_fit": 4})
        )
        assert (partial.status_code, partial.json()["code"]) == (422, "rating_answers_mismatch")

        for token, answer, comment in list(zip(tokens, answers, comments, strict=True))[:4]:
            sent = await anonymous.post("/api/v1/ratings", json=token.answers(answer, comment))
            assert sent.status_code == 202, sent.text
        await write_held(app)
        # Four answers: nothing, not even how many.
        (midpoint, end) = (await lead.client.get(results_url)).json()
        assert midpoint == {
            "point": "midpoint",
            "open": True,
            "closed": False,
            "release": {
                "state": "fewer_than_minimum",
                "minimum": 5,
                "count": None,
                "questions": [],
                "comments": [],
            },
        }
        assert (end["point"], end["open"]) == ("end", False)

        sent = await anonymous.post("/api/v1/ratings", json=tokens[4].answers(answers[4]))
        assert sent.status_code == 202
        await write_held(app)

    released = (await lead.client.get(results_url)).json()[0]["release"]
    assert (released["state"], released["count"]) == ("released", 5)
    by_question = {q["question"]: q for q in released["questions"]}
    assert list(by_question) == ["sessions_useful", "pairing_fit", "recommend"]
    assert by_question["sessions_useful"]["mean"] == 4.0
    assert by_question["recommend"]["mean"] == 4.6
    # Small cells (and what they would give away) are hidden.
    assert by_question["pairing_fit"]["distribution"] == {
        "1": 0,
        "2": None,
        "3": 0,
        "4": None,
        "5": 0,
    }
    assert sorted(released["comments"]) == ["Good match.", "More time together."]
    # The aggregate has no per-answer shape: nothing joins one person's stars to each other.
    assert set(released) == {"state", "minimum", "count", "questions", "comments"}
    assert set(by_question["recommend"]) == {"question", "count", "mean", "distribution"}

    # Stored, each answer is one row per question under unrelated random ids.
    async with app.state.databases.app_sessions() as db:
        rows = list(await db.scalars(select(Rating).where(Rating.subject_kind == "survey")))
    assert sorted(r.question for r in rows) == sorted(
        ["sessions_useful", "pairing_fit", "recommend"] * 5
    )
    assert {r.question for r in rows if r.comment} == {"sessions_useful"}

    # Members, admins and other facilitators read no results.
    admin = await person(app, make_client, roles=["participant", "admin"])
    other_lead = await person(app, make_client, roles=["facilitator"])
    for reader, status in ((people[0], 403), (admin, 403), (other_lead, 404)):
        response = await reader.client.get(results_url)
        assert response.status_code == status, response.text
        assert "Good match." not in response.text


async def close_survey(lead: Person, pid: str, point: str = "midpoint") -> Any:
    return await lead.client.post(f"{feedback_url(pid)}/{point}/close")


async def test_a_closed_survey_writes_every_answer_held_and_takes_no_more(
    app: FastAPI, make_client: Any
) -> None:
    # One survey answered and nothing else rated: the mix's batches never come (they want two
    # subjects), so without the close the lead would never see these answers.
    running = await running_programme(app, make_client, count=3)
    pid, lead = running.pid, running.lead
    results_url = f"{feedback_url(pid)}/results"
    never_opened = await close_survey(lead, pid)
    assert (never_opened.status_code, never_opened.json()["code"]) == (409, "survey_not_open")
    assert (await open_survey(lead, pid)).status_code == 200
    people = members(running)
    tokens = [await survey_token(member.client, pid) for member in people]
    async with client_for(app) as anonymous:
        receipts = []
        for token in tokens[:5]:
            sent = await anonymous.post("/api/v1/ratings", json=token.answers(ANSWER, "Useful."))
            assert sent.status_code == 202, sent.text
            receipts.append(sent.json()["receipt"])
        assert all(app.state.rating_mix.holds(receipt) for receipt in receipts)
        waiting = (await lead.client.get(results_url)).json()[0]
        assert (waiting["closed"], waiting["release"]["state"]) == (False, "fewer_than_minimum")

        # Members cannot close it.
        assert (await close_survey(people[0], pid)).status_code == 403
        closed = await close_survey(lead, pid)
        assert closed.status_code == 200, closed.text
        midpoint = closed.json()[0]
        assert (midpoint["open"], midpoint["closed"]) == (True, True)
        assert (midpoint["release"]["state"], midpoint["release"]["count"]) == ("released", 5)
        assert midpoint["release"]["comments"] == ["Useful."] * 5
        assert not any(app.state.rating_mix.holds(receipt) for receipt in receipts)
        assert (await close_survey(lead, pid)).status_code == 200  # closing twice: the same

        # After the close: the last member's answer, and any new token, are refused.
        late = await anonymous.post("/api/v1/ratings", json=tokens[5].answers(ANSWER))
        assert (late.status_code, late.json()["code"]) == (409, "rating_closed")
    seen = await survey(people[5].client, pid)
    assert (seen["open"], seen["closed"]) == (True, True)

    async with app.state.databases.app_sessions() as db:
        rows = list(await db.scalars(select(Rating).where(Rating.subject_kind == "survey")))
    assert len(rows) == 5 * 3
    assert (await lead.client.get(results_url)).json()[0]["release"]["count"] == 5


async def test_no_token_is_signed_for_a_closed_survey(app: FastAPI, make_client: Any) -> None:
    running = await running_programme(app, make_client, count=1)
    pid, lead = running.pid, running.lead
    (pair,) = running.pairs
    assert (await open_survey(lead, pid)).status_code == 200
    assert (await close_survey(lead, pid)).status_code == 200
    manifest = await survey(pair.mentee.client, pid)
    refused = await pair.mentee.client.post(
        f"{feedback_url(pid)}/midpoint/token", json=RatingToken.blinded_for(manifest).request()
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "survey_closed")


async def test_a_closed_surveys_signing_key_is_destroyed(
    app: FastAPI, make_client: Any, test_databases: DatabaseUrls
) -> None:
    # As a review round's keys are at its close: after it, nothing can sign for the survey,
    # and what the database files hold (rows, SQLite's file and write-ahead log) no longer
    # has the sealed private key.
    running = await running_programme(app, make_client, count=2)
    pid, lead = running.pid, running.lead
    first, second = running.pairs
    assert (await open_survey(lead, pid)).status_code == 200
    early = await survey_token(first.mentee.client, pid)  # issued before the close
    async with app.state.databases.app_sessions() as db:
        key = await db.scalar(select(RatingKey).where(RatingKey.subject_kind == "survey"))
    assert key is not None
    assert key.private_key is not None
    # In pieces: a long value spans a SQLite page and its overflow page.
    sealed = bytes(key.private_key)
    pieces = [sealed[k : k + 32] for k in range(0, len(sealed) - 32, 32)]

    def held(stored: bytes) -> list[bool]:  # raw (SQLite's files) or as a row's repr
        return [piece in stored or repr(piece)[2:-1].encode() in stored for piece in pieces]

    assert sum(held(await app_database_bytes(app, test_databases))) > len(pieces) // 2

    assert (await close_survey(lead, pid)).status_code == 200
    await app.state.rating_mix.settled()
    async with app.state.databases.app_sessions() as db:
        after = await db.scalar(select(RatingKey).where(RatingKey.key_id == key.key_id))
    assert after is not None
    assert after.private_key is None
    assert after.public_key == key.public_key  # the manifest still names the key
    assert not any(held(await app_database_bytes(app, test_databases)))
    # And an erasure epoch is requested: copies taken before (backups) were sealed under the
    # KEK of the time, which the epoch destroys.
    async with app.state.databases.vault_sessions() as vault_db:
        requested = list(await vault_db.scalars(select(KeyEpochRequest.reason)))
    assert requested == ["survey_closed"]

    # No token is issued: a problem, not a 500.
    manifest = await survey(second.mentor.client, pid)
    refused = await second.mentor.client.post(
        f"{feedback_url(pid)}/midpoint/token", json=RatingToken.blinded_for(manifest).request()
    )
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "survey_closed"
    # And none is redeemed, not even one issued before the close.
    async with client_for(app) as anonymous:
        late = await anonymous.post("/api/v1/ratings", json=early.answers(ANSWER))
    assert (late.status_code, late.json()["code"]) == (409, "rating_closed")


async def test_a_lesson_token_takes_stars_not_survey_answers(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    await take(reader.client, lesson)
    token = await rating_token(reader.client, lesson)
    async with client_for(app) as anonymous:
        refused = await anonymous.post("/api/v1/ratings", json=token.answers(ANSWER))
        assert (refused.status_code, refused.json()["code"]) == (422, "rating_answers_mismatch")
        both = await anonymous.post("/api/v1/ratings", json=token.rating(4) | {"answers": ANSWER})
        assert (both.status_code, both.json()["code"]) == (422, "rating_answers_mismatch")
