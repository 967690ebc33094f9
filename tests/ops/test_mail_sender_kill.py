"""A worker killed (SIGKILL) after claiming a message: nothing is lost, nothing is sent twice.

The killed worker's lease keeps the message from the others while it lasts (the worker may
still be sending it); once it has expired, another worker sends the message, once.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import func, select

from app.kit.mail import Message, SmtpMailer
from app.kit.orm import utcnow
from app.vault import MailPolicy
from app.vault.models import QueuedMail
from tests.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
LEASE = timedelta(minutes=2)

# The child claims what is due and stalls in the middle of sending it, until it is killed.
CHILD = textwrap.dedent(
    """
    import asyncio, os, sys
    from datetime import timedelta
    from app.config import Settings
    from app.db import Databases
    from app.vault import MailPolicy, Vault, load_key_provider

    class Stalling:
        async def send(self, message):
            print("claimed", flush=True)
            await asyncio.sleep(3600)

    async def main():
        settings = Settings(
            _env_file=None, env="development", keys=os.environ["TEST_KEYS"],
            app_database_url=os.environ["TEST_APP_URL"],
            vault_database_url=os.environ["TEST_VAULT_URL"], password_hash_cost="test",
        )
        dbs = Databases.connect(settings.app_database_url, settings.vault_database_url)
        vault = Vault(settings, load_key_provider(settings), dbs.vault_sessions)
        policy = MailPolicy(
            lease=timedelta(seconds=float(os.environ["TEST_LEASE_S"])),
            first_retry=timedelta(seconds=30), max_attempts=5, tick_seconds=0,
        )
        await vault.mail_sender(lambda: Stalling(), policy).send_due()

    asyncio.run(main())
    """
)


async def _queued(app: FastAPI) -> int:
    async with app.state.databases.vault_sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(QueuedMail)) or 0)


async def test_a_killed_sender_s_message_is_sent_once_after_its_lease(
    app: FastAPI, key_document: dict[str, object]
) -> None:
    settings = app.state.settings
    async with app.state.databases.vault_sessions.begin() as db:
        await app.state.vault.bind(db).enqueue_mail(
            [Message(to="ada@example.org", subject="News", text="A line.\n", kind="test")]
        )
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        env={
            **os.environ,
            "TEST_KEYS": json.dumps(key_document),
            "TEST_APP_URL": settings.app_database_url,
            "TEST_VAULT_URL": settings.vault_database_url,
            "TEST_LEASE_S": str(LEASE.total_seconds()),
        },
    )
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(child.stdout.readline(), timeout=60)
        assert line.strip() == b"claimed"
    finally:
        child.send_signal(signal.SIGKILL)
        await asyncio.wait_for(child.wait(), timeout=30)
    assert child.returncode == -signal.SIGKILL

    with SmtpServer() as smtp:
        mailer = SmtpMailer(smtp.url, "Challenges <no-reply@example.org>", timeout_s=5)
        sender = app.state.vault.mail_sender(
            lambda: mailer,
            MailPolicy(
                lease=LEASE, first_retry=timedelta(seconds=30), max_attempts=5, tick_seconds=0
            ),
        )
        # While the dead worker's lease lasts, the message is still its own.
        assert await sender.send_due() == 0
        assert await _queued(app) == 1
        after_lease = utcnow() + LEASE + timedelta(seconds=1)
        assert await sender.send_due(now=after_lease) == 1
        assert await sender.send_due(now=after_lease + LEASE * 2) == 0
        [received] = smtp.received
        assert received.recipients == ["ada@example.org"]
    assert await _queued(app) == 0
