"""The durable mail queue: what a request queues is sent once, after its commit, by any worker,
through a real SMTP server; a server that is down is tried again later, with growing delays."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.kit.mail import Message, SmtpMailer
from app.kit.orm import utcnow
from app.vault import MailPolicy, MailSender, mail_queue
from app.vault.models import QueuedMail
from tests.conftest import BACKEND, PASSWORD, Client, DatabaseUrls
from tests.smtp import SmtpServer

SENDER = "Challenges <no-reply@example.org>"
POLICY = MailPolicy(
    lease=timedelta(minutes=2),
    first_retry=timedelta(seconds=30),
    max_attempts=4,
    tick_seconds=0,
)


def message(to: str, *, kind: str = "test", key: str | None = None) -> Message:
    return Message(to=to, subject="Hello", text="A line.\n", kind=kind, dedupe_key=key)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def smtp_sender(app: FastAPI, url: str, policy: MailPolicy = POLICY) -> MailSender:
    mailer = SmtpMailer(url, SENDER, timeout_s=5)
    sender: MailSender = app.state.vault.mail_sender(lambda: mailer, policy)
    return sender


async def enqueue(app: FastAPI, *messages: Message) -> None:
    async with app.state.databases.vault_sessions.begin() as db:
        await app.state.vault.bind(db).enqueue_mail(list(messages))


async def queued(app: FastAPI) -> int:
    async with app.state.databases.vault_sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(QueuedMail)) or 0)


async def test_a_queued_message_is_sent_once_then_forgotten(app: FastAPI, smtp: SmtpServer) -> None:
    await enqueue(app, message("ada@example.org"))
    sender = smtp_sender(app, smtp.url)
    assert await sender.send_due() == 1
    assert await sender.send_due() == 0
    [received] = smtp.received
    assert received.recipients == ["ada@example.org"]
    assert received.message["Subject"] == "Hello"
    assert await queued(app) == 0


async def test_queueing_the_same_notice_twice_sends_it_once(app: FastAPI, smtp: SmtpServer) -> None:
    await enqueue(app, message("ada@example.org", key="phase-opened:c1:a1"))
    await enqueue(app, message("ada@example.org", key="phase-opened:c1:a1"))
    await enqueue(app, message("ada@example.org", key="phase-opened:c2:a1"))
    assert await smtp_sender(app, smtp.url).send_due() == 2


async def test_a_rolled_back_transaction_queues_nothing(app: FastAPI) -> None:
    async with app.state.databases.vault_sessions() as db:
        await app.state.vault.bind(db).enqueue_mail([message("ada@example.org")])
        await db.rollback()
    assert await queued(app) == 0


async def test_a_server_that_is_down_is_tried_again_later_then_delivered(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    down = SmtpServer()  # its port, nobody listening yet
    sender = smtp_sender(app, down.url)
    await enqueue(app, message("ada@example.org", kind="sign_up_confirmation"))
    start = utcnow()
    assert await sender.send_due(now=start) == 0
    # Not again before the first retry's delay, then after a delay twice as long.
    assert await sender.send_due(now=start + timedelta(seconds=29)) == 0
    assert await sender.send_due(now=start + timedelta(seconds=31)) == 0
    assert await sender.send_due(now=start + timedelta(seconds=31 + 59)) == 0
    [failure, *_] = [r for r in caplog.records if r.getMessage() == "mail not sent"]
    assert failure.__dict__["mail_kind"] == "sign_up_confirmation"
    assert failure.__dict__["error_type"]
    logged = "\n".join(r.getMessage() + repr(r.__dict__) for r in caplog.records)
    assert "ada@example.org" not in logged
    with down:
        assert await sender.send_due(now=start + timedelta(seconds=31 + 61)) == 1
        [received] = down.received
        assert received.recipients == ["ada@example.org"]
    assert await queued(app) == 0


async def test_a_message_is_given_up_after_the_last_attempt(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sender = smtp_sender(app, SmtpServer().url, POLICY)
    await enqueue(app, message("ada@example.org"))
    now = utcnow()
    for _ in range(POLICY.max_attempts):
        await sender.send_due(now=now)
        now += timedelta(hours=7)  # past the longest retry delay
    assert await queued(app) == 0
    assert [r.getMessage() for r in caplog.records].count("mail given up") == 1


async def test_two_workers_never_send_one_message_twice(app: FastAPI, smtp: SmtpServer) -> None:
    count = 60
    await enqueue(app, *(message(f"person{i}@example.org") for i in range(count)))
    workers = [smtp_sender(app, smtp.url) for _ in range(3)]
    sent = await asyncio.gather(*(worker.send_due() for worker in workers))
    assert sum(sent) == count
    recipients = [r.recipients[0] for r in smtp.received]
    assert sorted(recipients) == sorted(f"person{i}@example.org" for i in range(count))
    if BACKEND == "postgres":  # SKIP LOCKED: the workers shared the work
        assert sum(1 for n in sent if n) >= 2
    assert await queued(app) == 0


async def test_a_sign_up_link_goes_through_the_queue_to_the_server(
    app: FastAPI, client: Client, smtp: SmtpServer
) -> None:
    mailer, app.state.mailer = app.state.mailer, SmtpMailer(smtp.url, SENDER, timeout_s=5)
    try:
        await client.csrf()
        response = await client.post(
            "/api/v1/auth/sign-up",
            json={"display_name": "Ivy Newcomer", "email": "ivy@example.org", "password": PASSWORD},
        )
    finally:
        app.state.mailer = mailer
    assert response.status_code == 202, response.text
    [received] = smtp.received
    assert received.recipients == ["ivy@example.org"]
    plain = received.message.get_body(preferencelist=("plain",))
    assert plain is not None
    assert "/sign-up/confirm#code=" in plain.get_content()
    assert await queued(app) == 0


@pytest.mark.skipif(BACKEND != "sqlite", reason="the files of a SQLite database")
async def test_the_queue_keeps_no_address_in_the_vault_files(
    app: FastAPI, test_databases: DatabaseUrls
) -> None:
    """Queued, a message is sealed: neither the vault database nor its log holds the address
    or the text in plain; the app database never sees either."""
    await enqueue(app, message("zelda.marker@example.org"))
    marker = b"zelda.marker"
    for path in test_databases.sqlite_files:
        for file in (path, path.with_name(path.name + "-wal")):
            if file.exists():
                assert marker not in file.read_bytes(), file.name


async def test_a_message_waiting_through_an_erasure_epoch_is_still_sent(
    file_app: FastAPI, smtp: SmtpServer
) -> None:
    """The epoch destroys the KEK the message was sealed under: it is re-sealed first, so a
    mail server that was down meanwhile loses nothing."""
    await enqueue(file_app, message("ada@example.org"))
    await file_app.state.vault.request_key_epoch("erasure")
    report = await file_app.state.erasure_epochs.run_once()
    assert report is not None
    assert await smtp_sender(file_app, smtp.url).send_due() == 1
    [received] = smtp.received
    assert received.recipients == ["ada@example.org"]


@pytest.mark.skipif(BACKEND != "sqlite", reason="PostgreSQL's re-seal locks the rows it read")
async def test_a_message_sent_while_the_queue_is_resealed_is_no_error(
    file_app: FastAPI, test_databases: DatabaseUrls
) -> None:
    """A key rotation re-seals the queue while the workers send from it: on SQLite the
    re-seal's read takes no lock, so a message can be sent, and its row deleted, before the
    re-seal writes it. The rotation must go on (it failed, in a rotation under load)."""
    await enqueue(file_app, message("ada@example.org"), message("bob@example.org"))
    ctx = file_app.state.vault._ctx
    ctx.keys.add_version()
    _, vault_file = test_databases.sqlite_files
    sent_meanwhile: list[int] = []

    def seal_context(row_id: uuid.UUID) -> bytes:
        if not sent_meanwhile:  # a worker sends the first message while the re-seal runs
            with contextlib.closing(sqlite3.connect(vault_file)) as worker, worker:
                sent_meanwhile.append(
                    worker.execute("DELETE FROM mail_queue WHERE id = ?", (row_id.hex,)).rowcount
                )
        return mail_queue._seal_context(row_id)

    assert await mail_queue.reseal_rows(ctx, QueuedMail, seal_context) == 1
    assert sent_meanwhile == [1]
    async with file_app.state.databases.vault_sessions() as db:
        versions = list(await db.scalars(select(QueuedMail.kek_version)))
    assert versions == [ctx.keys.current_kek_version()]
