"""A challenge's schedule is mailed to its participants as each chose for "phases": teamwork
began, the review round opened, it closes within a day (once), results are out. Each is an
in-app notice too; the mail says only "there is news in <challenge>" with a link."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import update

from app.challenges.models import Challenge
from app.kit.orm import utcnow
from app.notifications.service import announce_reviews_closing
from tests.api.people import move
from tests.api.test_mail_fanout import TITLE, delivered, to
from tests.api.test_submission_feedback import _save, _world


async def _kinds(someone: Any) -> list[str]:
    return [n["kind"] for n in (await someone.client.get("/api/v1/me/notifications")).json()]


async def _to_review(w: dict[str, Any]) -> None:
    for member, team in (("a1", "a"), ("b1", "b")):
        await _save(w[member], w[team], 0, "Plan", "Body")
        final = await w[member].client.post(f"/api/v1/teams/{w[team]}/submission/final")
        assert final.status_code == 200, final.text
    assert (await move(w["creator"].client, w["cid"], "review")).status_code == 200


async def test_every_phase_is_news_for_each_participant(app: FastAPI, make_client: Any) -> None:
    w = await _world(app, make_client)
    people = [w["a1"], w["a2"], w["b1"]]
    # Entering teamwork (in _world) told each participant, in the app and by mail.
    messages = await delivered(app)
    for someone in people:
        [mail] = to(messages, someone)
        assert mail.kind == "challenge_news"
        assert TITLE in mail.subject
        assert f"/challenges/{w['cid']}" in mail.text
        assert "teamwork_started" in await _kinds(someone)
    # Nobody else (the facilitators take no part).
    assert {m.to for m in messages} == {someone.email for someone in people}

    await w["b1"].client.put("/api/v1/me/mail-preferences", json={"phases": "off"})
    await _to_review(w)
    messages = await delivered(app)
    assert sorted(m.to for m in messages if m.kind == "challenge_news") == sorted(
        [w["a2"].email, w["a1"].email, w["a2"].email]  # a2: a1's final, then the round
    )
    assert to(messages, w["b1"]) == []
    assert "review_round_open" in await _kinds(w["b1"])

    # A day before the close: once, however often the ticker looks.
    sessions = app.state.databases.app_sessions
    async with sessions.begin() as db:
        await db.execute(
            update(Challenge)
            .where(Challenge.id == uuid.UUID(w["cid"]))
            .values(closes_at=utcnow() + timedelta(hours=3))
        )
    assert await announce_reviews_closing(sessions, app.state.vault) == 1
    assert await announce_reviews_closing(sessions, app.state.vault) == 0
    messages = await delivered(app)
    assert sorted(m.to for m in messages) == sorted([w["a1"].email, w["a2"].email])
    assert "review_closing_soon" in await _kinds(w["a1"])

    assert (await move(w["creator"].client, w["cid"], "closed")).status_code == 200
    messages = await delivered(app)
    assert sorted(m.to for m in messages) == sorted([w["a1"].email, w["a2"].email])
    assert "results_released" in await _kinds(w["a2"])


async def test_a_round_closing_in_more_than_a_day_is_not_announced(
    app: FastAPI, make_client: Any
) -> None:
    w = await _world(app, make_client)
    await _to_review(w)
    sessions = app.state.databases.app_sessions
    async with sessions.begin() as db:
        await db.execute(
            update(Challenge)
            .where(Challenge.id == uuid.UUID(w["cid"]))
            .values(closes_at=utcnow() + timedelta(hours=30))
        )
    assert await announce_reviews_closing(sessions, app.state.vault) == 0
