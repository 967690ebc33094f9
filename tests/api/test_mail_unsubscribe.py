"""One-click unsubscribe (RFC 8058): every activity mail names a link a mail reader can POST to
without a session; the link turns that topic off for its person, and only a link the vault
signed, of an account that still exists, does anything."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from app.kit.mail import Message
from tests.api.people import person
from tests.api.test_mail_queue import smtp_sender
from tests.conftest import PASSWORD, client_at
from tests.smtp import SmtpServer

PREFERENCES = "/api/v1/me/mail-preferences"
UNSUBSCRIBE = re.compile(r"^<(?P<url>https?://[^>]+/api/v1/mail/unsubscribe/(?P<token>[^>]+))>$")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


async def news(app: FastAPI, account_id: uuid.UUID, topic: str = "team") -> Message | None:
    """Queue the news of a challenge for one person, as a notice does."""
    async with app.state.databases.vault_sessions.begin() as db:
        vault = app.state.vault.bind(db)
        message: Message | None = await vault.challenge_news(
            account_id,
            topic=topic,
            challenge_title="Kitchen garden",
            link="https://challenges.example.org/challenges/1",
            dedupe_key=f"notice:{uuid.uuid4()}:{account_id}",
        )
        if message is not None:
            await vault.enqueue_mail([message])
        return message


async def received_token(app: FastAPI, smtp: SmtpServer, account_id: uuid.UUID) -> str:
    """The token of the unsubscribe link in the mail the person received."""
    assert await news(app, account_id) is not None
    assert await smtp_sender(app, smtp.url).send_due() == 1
    received = smtp.received[-1].message
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = UNSUBSCRIBE.match(str(received["List-Unsubscribe"]))
    assert link is not None, received["List-Unsubscribe"]
    # The same link, as a page to confirm on, for a reader without one-click support.
    body = received.get_body(preferencelist=("plain",))
    assert body is not None
    assert f"/unsubscribe/{link['token']}" in body.get_content()
    return link["token"]


async def test_a_challenge_news_mail_carries_a_one_click_unsubscribe(
    app: FastAPI, make_client: Any, smtp: SmtpServer
) -> None:
    someone = await person(app, make_client)
    token = await received_token(app, smtp, someone.account_id)
    # The link names neither the account nor the address.
    assert str(someone.account_id) not in token
    assert someone.account_id.hex not in token
    assert someone.email not in token
    # The person's record says the code exists.
    record = (await someone.client.get("/api/v1/me/record")).json()
    (item,) = [i for i in record["items"] if i["key"] == "mail_unsubscribe_id"]
    assert item["value"] == "yes"


async def test_the_link_posted_without_a_session_turns_the_topic_off(
    app: FastAPI, make_client: Any, smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    someone = await person(app, make_client)
    token = await received_token(app, smtp, someone.account_id)
    mail_reader = make_client()  # no cookie, no CSRF token
    answer = await mail_reader.post(f"/api/v1/mail/unsubscribe/{token}")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"topic": "team", "choice": "off"}
    preferences = (await someone.client.get(PREFERENCES)).json()
    assert preferences["team"] == "off"
    assert preferences["ideas"] == "immediately"
    # Posting again (a mail reader retrying) is harmless.
    assert (await mail_reader.post(f"/api/v1/mail/unsubscribe/{token}")).status_code == 200
    # And news of that topic is no longer mailed.
    assert await news(app, someone.account_id, "team") is None
    assert await news(app, someone.account_id, "ideas") is not None
    # The token (which would unsubscribe anyone who read it) is in no log line, access log
    # included; nor is the random id alone.
    unsubscribe_id = token.split(".")[1]
    # The service's own loggers: the test's HTTP client and mail server log what they carry.
    served = [r for r in caplog.records if r.name.split(".")[0] in ("app", "uvicorn")]
    assert any(r.name == "app.access" for r in served)
    for record in served:
        line = record.getMessage() + " " + repr(record.__dict__)
        assert unsubscribe_id not in line, record.name


async def test_an_altered_or_forged_link_is_404(
    app: FastAPI, make_client: Any, smtp: SmtpServer
) -> None:
    someone = await person(app, make_client)
    token = await received_token(app, smtp, someone.account_id)
    topic, unsubscribe_id, mac = token.split(".")
    flipped = "0" if mac[-1] != "0" else "1"
    for altered in (
        f"ideas.{unsubscribe_id}.{mac}",  # another topic under the same signature
        f"{topic}.{unsubscribe_id}.{mac[:-1]}{flipped}",
        f"{topic}.{unsubscribe_id}",
        f"{topic}.AAAAAAAAAAAAAAAAAAAAAA.{mac}",
        "nonsense",
    ):
        answer = await make_client().post(f"/api/v1/mail/unsubscribe/{altered}")
        assert answer.status_code == 404, altered
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == "unsubscribe_link_not_found"
    preferences = (await someone.client.get(PREFERENCES)).json()
    assert set(preferences.values()) == {"immediately"}


async def test_an_erased_accounts_link_is_404(
    app: FastAPI, make_client: Any, smtp: SmtpServer
) -> None:
    someone = await person(app, make_client)
    token = await received_token(app, smtp, someone.account_id)
    erased = await someone.client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert erased.status_code == 200, erased.text
    answer = await make_client().post(f"/api/v1/mail/unsubscribe/{token}")
    assert answer.status_code == 404


async def test_posting_links_is_rate_limited_per_address(app: FastAPI) -> None:
    async with client_at(app, "203.0.113.9") as guesser:
        answers = [
            (await guesser.post(f"/api/v1/mail/unsubscribe/team.x{i}.y")).status_code
            for i in range(21)
        ]
    assert answers[:20] == [404] * 20
    assert answers[20] == 429
    async with client_at(app, "203.0.113.10") as someone_else:
        assert (await someone_else.post("/api/v1/mail/unsubscribe/team.x.y")).status_code == 404
