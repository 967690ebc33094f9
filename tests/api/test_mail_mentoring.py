"""A mentoring programme's news is mailed as each member chose for "mentoring": a partner
proposed (the matching published), a session proposed (to the partner only), a quiet pair's
reminder (the ticker). The mail names the programme and links to it, nothing more: no handle,
no name, no session's place or time."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from app.kit.orm import utcnow
from app.mentoring import service as mentoring_service
from app.mentoring.models import Pair
from tests.api.test_mail_fanout import delivered, to
from tests.api.test_mentoring_pairs_names import running_programme
from tests.api.test_mentoring_pairs_sessions import session_body
from tests.api.test_mentoring_programmes import BASE


async def test_match_session_and_reminder_are_mailed_to_the_pair(
    app: FastAPI, make_client: Any
) -> None:
    running = await running_programme(app, make_client, count=2)
    pid = running.pid
    pair, other = running.pairs
    programme = (await pair.mentor.client.get(f"{BASE}/{pid}")).json()
    title = programme["title"]

    # The published matching told every member, once each, by mail too.
    messages = await delivered(app)
    members = [pair.mentor, pair.mentee, other.mentor, other.mentee]
    for someone in members:
        [mail] = to(messages, someone)
        assert mail.kind == "challenge_news"
        assert title in mail.subject
        assert f"/programmes/{pid}" in mail.text
    handles = [
        (await someone.client.get(f"{BASE}/{pid}/application")).json()["handle"]
        for someone in members
    ]
    names = [pair.mentor_name, pair.mentee_name, other.mentor_name, other.mentee_name]

    # A session proposed: its partner only, without its place.
    body = session_body(place="Room Cassiopeia")
    proposed = await pair.mentor.client.post(f"{BASE}/{pid}/pair/sessions", json=body)
    assert proposed.status_code == 201, proposed.text
    messages = await delivered(app)
    assert [m.to for m in messages] == [pair.mentee.email]
    notices = (await pair.mentee.client.get("/api/v1/me/notifications")).json()
    assert "mentoring_session_proposed" in [n["kind"] for n in notices]

    # Once a day for one member: the reminder waits for the digest.
    await other.mentee.client.put("/api/v1/me/mail-preferences", json={"mentoring": "daily_digest"})
    sessions = app.state.databases.app_sessions
    async with sessions.begin() as db:
        row = await db.get(Pair, uuid.UUID(other.pair_id))
        assert row is not None
        row.created_at = utcnow() - timedelta(weeks=6)
    await mentoring_service.advance_all_due(sessions, app.state.vault)
    messages = await delivered(app)
    assert [m.to for m in messages] == [other.mentor.email]
    assert await app.state.vault.send_digests(now=utcnow() + timedelta(days=2)) == 1
    [digest] = await delivered(app)
    assert digest.to == other.mentee.email
    assert f"{title}: 1 piece of news" in digest.text

    for mail in [*messages, digest]:
        for marker in [*handles, *names, "Room Cassiopeia"]:
            for part in (mail.subject, mail.text, mail.html or ""):
                assert marker not in part


async def test_an_accepted_session_is_reminded_the_day_before_once_per_start(
    app: FastAPI, make_client: Any
) -> None:
    running = await running_programme(app, make_client, count=2)
    pid = running.pid
    pair, other = running.pairs
    title = (await pair.mentor.client.get(f"{BASE}/{pid}")).json()["title"]
    mentor, mentee = pair.mentor.client, pair.mentee.client
    sessions_url = f"{BASE}/{pid}/pair/sessions"
    ticker = app.state.databases.app_sessions

    async def tick() -> list[Any]:
        await mentoring_service.advance_all_due(ticker, app.state.vault)
        return await delivered(app)

    async def soon(someone: Any) -> list[dict[str, Any]]:
        notices = (await someone.client.get("/api/v1/me/notifications")).json()
        return [n for n in notices if n["kind"] == "mentoring_session_soon"]

    def starting_in(hours: int, **overrides: Any) -> dict[str, Any]:
        starts = (utcnow() + timedelta(hours=hours)).isoformat()
        return session_body(starts_at=starts, **overrides)

    async def accepted(proposer: Any, answerer: Any, body: dict[str, Any]) -> str:
        proposed = await proposer.post(sessions_url, json=body)
        assert proposed.status_code == 201, proposed.text
        sid: str = proposed.json()["id"]
        answer = {"answer": "accepted"}
        assert (await answerer.post(f"{sessions_url}/{sid}/answer", json=answer)).status_code == 200
        return sid

    # Accepted for tomorrow (in 20 hours), another in three days, a third cancelled.
    tomorrow = await accepted(mentor, mentee, starting_in(20, place="Room Cassiopeia"))
    await accepted(mentee, mentor, session_body(days=3))
    dropped = await accepted(mentor, mentee, starting_in(10))
    assert (await mentee.post(f"{sessions_url}/{dropped}/cancel")).status_code == 200
    await delivered(app)  # the proposals' mails are another test's business

    # One tick: one notice and one mail for each member, for tomorrow's session only.
    messages = await tick()
    assert sorted(m.to for m in messages) == sorted([pair.mentor.email, pair.mentee.email])
    for someone in (pair.mentor, pair.mentee):
        [notice] = await soon(someone)
        assert notice["programme_id"] == pid
        assert notice["params"] == {"programme_title": title}
    for outsider in (other.mentor, other.mentee, running.lead):
        assert await soon(outsider) == []

    # The mails name the programme and link to it: no place, link, handle or name.
    handles = [
        (await someone.client.get(f"{BASE}/{pid}/application")).json()["handle"]
        for someone in (pair.mentor, pair.mentee)
    ]
    for mail in messages:
        assert title in mail.subject
        assert f"/programmes/{pid}" in mail.text
        for marker in [*handles, pair.mentor_name, pair.mentee_name, "Room Cassiopeia"]:
            for part in (mail.subject, mail.text, mail.html or ""):
                assert marker not in part

    # Ticking again (every minute): nothing more.
    assert await tick() == []
    assert len(await soon(pair.mentee)) == 1

    # Moved to another time within the day and accepted again: reminded once more.
    link = "https://meet.example.org/secret-room"
    moved = await mentee.put(
        f"{sessions_url}/{tomorrow}", json=starting_in(5, place=None, video_url=link)
    )
    assert moved.status_code == 200, moved.text
    assert await tick() == []  # proposed, not yet accepted
    answer = {"answer": "accepted"}
    assert (await mentor.post(f"{sessions_url}/{tomorrow}/answer", json=answer)).status_code == 200
    messages = await tick()
    assert sorted(m.to for m in messages) == sorted([pair.mentor.email, pair.mentee.email])
    for mail in messages:
        for part in (mail.subject, mail.text, mail.html or ""):
            assert link not in part
    assert len(await soon(pair.mentor)) == 2
    assert await tick() == []
