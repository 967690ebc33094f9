"""A notice to a team is mailed too, to each recipient who wants its topic at once: a mail that
says only "there is news in <challenge>" with a link, queued with the notice (a rollback takes
both), once per notice and recipient, never to who chose otherwise, and never carrying what
the notice says (a handle, a team's name)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from app.kit.mail import DevMailbox, Message
from app.vault import MailPolicy
from tests.api.people import Person
from tests.api.test_submission_feedback import _save, _world
from tests.conftest import BACKEND, PASSWORD, DatabaseUrls

TITLE = "Reach Gen Z candidates with short videos"
POLICY = MailPolicy(
    lease=timedelta(minutes=2), first_retry=timedelta(seconds=30), max_attempts=4, tick_seconds=0
)


async def delivered(app: FastAPI) -> list[Message]:
    """What the queue holds now, sent to a mailbox of the test's own."""
    mailbox = DevMailbox()
    await app.state.vault.mail_sender(lambda: mailbox, POLICY).send_due()
    return [item.message for item in mailbox.messages()]


def to(messages: list[Message], someone: Person) -> list[Message]:
    return [m for m in messages if m.to == someone.email]


async def test_a_final_is_mailed_to_the_teammates_who_want_it(
    app: FastAPI, make_client: Any
) -> None:
    w = await _world(app, make_client)
    url = f"/api/v1/teams/{w['a']}/submission"
    await _save(w["a1"], w["a"], 0, "Plan", "Body")
    await delivered(app)  # nothing so far is the test's business
    team = (await w["a1"].client.get(f"/api/v1/teams/{w['a']}")).json()
    handles = [m["handle"] for m in team["members"]]

    assert (await w["a1"].client.post(f"{url}/final")).status_code == 200
    messages = await delivered(app)
    # The teammate, not the one who acted, nor anyone of the other team.
    [mail] = to(messages, w["a2"])
    assert [m.to for m in messages] == [w["a2"].email]
    assert mail.kind == "challenge_news"
    assert TITLE in mail.subject
    assert f"/challenges/{w['cid']}" in mail.text
    assert dict(mail.headers)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # What the notice says stays in the app.
    for marker in [team["name"], *handles]:
        for part in (mail.subject, mail.text, mail.html or ""):
            assert marker not in part

    # Turned off: the next notice of the topic is not mailed; another topic still is.
    assert (
        await w["a2"].client.put("/api/v1/me/mail-preferences", json={"submissions": "off"})
    ).status_code == 200
    assert (await w["a1"].client.delete(f"{url}/final")).status_code == 200
    assert to(await delivered(app), w["a2"]) == []
    assert (
        await w["a1"].client.put("/api/v1/me/mail-preferences", json={"submissions": "off"})
    ).status_code == 200
    assert (await w["a2"].client.post(f"{url}/final")).status_code == 200
    assert [m.to for m in await delivered(app)] == []


async def test_facilitator_feedback_is_mailed_once_to_each_member(
    app: FastAPI, make_client: Any
) -> None:
    w = await _world(app, make_client)
    await _save(w["a1"], w["a"], 0, "Plan", "Body")
    await delivered(app)
    given = await w["creator"].client.post(
        f"/api/v1/challenges/{w['cid']}/teams/{w['a']}/feedback", json={"body": "Nice"}
    )
    assert given.status_code == 201, given.text
    messages = await delivered(app)
    assert sorted(m.to for m in messages) == sorted([w["a1"].email, w["a2"].email])
    # Sent: nothing is left to send again.
    assert await delivered(app) == []


async def test_a_daily_digest_choice_is_not_mailed_at_once(app: FastAPI, make_client: Any) -> None:
    w = await _world(app, make_client)
    await _save(w["a1"], w["a"], 0, "Plan", "Body")
    await delivered(app)
    await w["a1"].client.put("/api/v1/me/mail-preferences", json={"submissions": "daily_digest"})
    given = await w["creator"].client.post(
        f"/api/v1/challenges/{w['cid']}/teams/{w['a']}/feedback", json={"body": "Nice"}
    )
    assert given.status_code == 201, given.text
    assert [m.to for m in await delivered(app)] == [w["a2"].email]


@pytest.mark.skipif(BACKEND != "sqlite", reason="the files of a SQLite database")
async def test_the_app_database_files_hold_no_address(
    app: FastAPI, make_client: Any, test_databases: DatabaseUrls
) -> None:
    """The mail is queued in the vault, sealed: no address reaches the app database (or its
    log), nor the vault's in plain."""
    w = await _world(app, make_client)
    await _save(w["a1"], w["a"], 0, "Plan", "Body")
    assert (
        await w["a1"].client.post(f"/api/v1/teams/{w['a']}/submission/final")
    ).status_code == 200
    markers = [w[name].email.encode() for name in ("a1", "a2", "b1")]
    for path in test_databases.sqlite_files:
        for file in (path, path.with_name(path.name + "-wal")):
            if file.exists():
                data = file.read_bytes()
                for marker in markers:
                    assert marker not in data, file.name
    assert to(await delivered(app), w["a2"])


async def test_a_member_leaving_is_mailed_to_the_team(app: FastAPI, make_client: Any) -> None:
    """An erased member's team is told (`member_left`), by mail as each chose for "team"."""
    w = await _world(app, make_client)
    team = (await w["a2"].client.get(f"/api/v1/teams/{w['a']}")).json()
    await delivered(app)
    erased = await w["a1"].client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert erased.status_code in (200, 204), erased.text
    [mail] = await delivered(app)
    assert mail.to == w["a2"].email
    assert TITLE in mail.subject
    for marker in [team["name"], *(m["handle"] for m in team["members"])]:
        for part in (mail.subject, mail.text, mail.html or ""):
            assert marker not in part
