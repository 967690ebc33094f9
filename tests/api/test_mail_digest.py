"""The daily digest: a person who chose "once a day" for a topic gets no mail at once, and one
message a day after the digest hour with the day's news (titles, counts, links; never what a
notice says). "Off" gets nothing; "at once" is unchanged; a run that fails takes nothing, and
running the day's digest again sends nothing twice. The clock is the `now` handed to the run."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app import main
from app.kit.orm import utcnow
from app.vault import mail_digest
from app.vault.models import MailDigestItem
from tests.api.people import PASSWORD, person
from tests.api.test_key_rotation import rotate
from tests.api.test_mail_fanout import TITLE, delivered, to
from tests.api.test_submission_feedback import _save, _world


async def _feedback_twice(w: dict[str, Any]) -> None:
    for body in ("Nice", "Even better"):
        given = await w["creator"].client.post(
            f"/api/v1/challenges/{w['cid']}/teams/{w['a']}/feedback", json={"body": body}
        )
        assert given.status_code == 201, given.text


async def _choose(someone: Any, choice: str) -> None:
    changed = await someone.client.put("/api/v1/me/mail-preferences", json={"submissions": choice})
    assert changed.status_code == 200, changed.text


async def test_once_a_day_is_one_digest_with_the_days_news(app: FastAPI, make_client: Any) -> None:
    w = await _world(app, make_client)
    await _save(w["a1"], w["a"], 0, "Plan", "Body")
    await delivered(app)
    await _choose(w["a1"], "daily_digest")
    before = utcnow()
    await _feedback_twice(w)

    # At once: only who wants it at once (twice), nothing to the digest's reader.
    assert sorted(m.to for m in await delivered(app)) == [w["a2"].email] * 2
    # Before the digest hour: nothing.
    moment = mail_digest.digest_moment(before, app.state.vault._ctx.settings.mail_digest_hour)
    assert await app.state.vault.send_digests(now=moment - timedelta(seconds=1)) == 0
    assert await delivered(app) == []

    # At the hour: one message with both pieces of news.
    assert await app.state.vault.send_digests(now=moment) == 1
    [digest] = await delivered(app)
    assert digest.to == w["a1"].email
    assert digest.kind == "daily_digest"
    assert f"{TITLE}: 2 pieces of news" in digest.text
    assert digest.text.count(f"/challenges/{w['cid']}") == 1
    assert "/me#mail-preferences" in digest.text
    team = (await w["a1"].client.get(f"/api/v1/teams/{w['a']}")).json()
    for marker in [team["name"], *(m["handle"] for m in team["members"]), "Nice", "Even better"]:
        for part in (digest.subject, digest.text, digest.html or ""):
            assert marker not in part

    # The same day again, and the next day with nothing new: nothing.
    assert await app.state.vault.send_digests(now=moment + timedelta(minutes=5)) == 0
    assert await app.state.vault.send_digests(now=moment + timedelta(days=1)) == 0
    assert await delivered(app) == []


async def test_off_is_nothing_and_at_once_is_unchanged(app: FastAPI, make_client: Any) -> None:
    w = await _world(app, make_client)
    await _save(w["a1"], w["a"], 0, "Plan", "Body")
    await delivered(app)
    await _choose(w["a1"], "off")
    await _feedback_twice(w)
    messages = await delivered(app)
    assert to(messages, w["a1"]) == []
    assert len(to(messages, w["a2"])) == 2
    assert all(m.kind == "challenge_news" for m in messages)
    assert await app.state.vault.send_digests(now=utcnow() + timedelta(days=2)) == 0
    assert await delivered(app) == []


async def test_a_topic_turned_off_before_the_digest_is_not_sent(
    app: FastAPI, make_client: Any
) -> None:
    w = await _world(app, make_client)
    await _save(w["a1"], w["a"], 0, "Plan", "Body")
    await _choose(w["a1"], "daily_digest")
    await _feedback_twice(w)
    await _choose(w["a1"], "off")
    await delivered(app)
    assert await app.state.vault.send_digests(now=utcnow() + timedelta(days=2)) == 0
    assert to(await delivered(app), w["a1"]) == []


async def test_a_failed_run_takes_nothing_and_the_rerun_sends_one(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await _world(app, make_client)
    await _save(w["a1"], w["a"], 0, "Plan", "Body")
    await _choose(w["a1"], "daily_digest")
    await _feedback_twice(w)
    await delivered(app)
    later = utcnow() + timedelta(days=2)

    async def crash(*_: Any) -> None:
        raise RuntimeError("the worker died while queueing")

    with monkeypatch.context() as patched:
        patched.setattr(mail_digest, "enqueue", crash)
        with pytest.raises(RuntimeError):
            await app.state.vault.send_digests(now=later)
    # The news was not taken: the next run sends it, once, however often it runs.
    assert await app.state.vault.send_digests(now=later) == 1
    assert await app.state.vault.send_digests(now=later) == 0
    [digest] = await delivered(app)
    assert digest.to == w["a1"].email
    assert "2 pieces of news" in digest.text


async def test_an_erased_person_gets_no_digest(app: FastAPI, make_client: Any) -> None:
    w = await _world(app, make_client)
    await _save(w["a1"], w["a"], 0, "Plan", "Body")
    await _choose(w["a1"], "daily_digest")
    await _feedback_twice(w)
    erased = await w["a1"].client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert erased.status_code in (200, 204), erased.text
    await delivered(app)
    assert await app.state.vault.send_digests(now=utcnow() + timedelta(days=2)) == 0
    assert await delivered(app) == []


def test_the_digest_moment_is_the_next_hour_with_a_minute_to_spare() -> None:
    at = utcnow().replace(hour=6, minute=30, second=0, microsecond=0)
    assert mail_digest.digest_moment(at, 7) == at.replace(hour=7, minute=0)
    # Within the last minute before the hour: tomorrow's digest (that day's may be gone).
    late = at.replace(minute=59, second=30)
    assert mail_digest.digest_moment(late, 7) == at.replace(hour=7, minute=0) + timedelta(days=1)
    assert mail_digest.digest_moment(at.replace(hour=8), 7) == at.replace(
        hour=7, minute=0
    ) + timedelta(days=1)


async def test_news_waiting_for_the_digest_survives_a_key_rotation(
    file_app: FastAPI, browsers: Any
) -> None:
    """A rotation re-seals the waiting news under the new KEK (as it does the queue), so the
    digest still opens once the old KEK is gone."""
    member = await person(file_app, browsers)
    vault = file_app.state.vault
    ctx = vault._ctx
    async with file_app.state.databases.vault_sessions.begin() as db:
        cipher = await ctx.cipher(db, uuid.UUID(str(member.account_id)))
        assert cipher is not None
        await mail_digest.hold(
            ctx,
            db,
            cipher.owner_tag,
            topic="phases",
            title=TITLE,
            link="https://example.org/challenges/1",
            dedupe_key="notice:1",
        )
    await rotate(file_app)
    async with file_app.state.databases.vault_sessions() as db:
        [row] = (await db.scalars(select(MailDigestItem))).all()
    assert row.kek_version == ctx.keys.current_kek_version() == 2
    assert await vault.send_digests(now=utcnow() + timedelta(days=2)) == 1
    [digest] = await delivered(file_app)
    assert digest.to == member.email
    assert f"{TITLE}: 1 piece of news" in digest.text


async def test_the_digest_job_on_the_tickers_clock_sends_one_across_workers(
    app: FastAPI, make_client: Any
) -> None:
    """Two workers tick the digest job (app/main.py, held by one at a time): news due since
    yesterday goes out in exactly one digest."""
    member = await person(app, make_client)
    vault = app.state.vault
    ctx = vault._ctx
    async with app.state.databases.vault_sessions.begin() as db:
        cipher = await ctx.cipher(db, member.account_id)
        assert cipher is not None
        for n in range(2):
            await mail_digest.hold(
                ctx,
                db,
                cipher.owner_tag,
                topic="team",
                title=TITLE,
                link="https://example.org/challenges/1",
                dedupe_key=f"notice:{n}",
                now=utcnow() - timedelta(days=2),
            )
    workers = [
        asyncio.create_task(main._digest_ticker(app.state.databases, vault, 0.02)) for _ in range(2)
    ]
    await asyncio.sleep(0.5)
    for worker in workers:
        worker.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    [digest] = await delivered(app)
    assert digest.to == member.email
    assert f"{TITLE}: 2 pieces of news" in digest.text
