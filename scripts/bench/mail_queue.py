"""How fast one worker empties the mail queue (app/vault/mail_queue.py) into an SMTP server.

Usage::

    .venv/bin/python scripts/bench/mail_queue.py [--messages 300]
    CHALLENGE_TEST_DATABASE=postgres .venv/bin/python scripts/bench/mail_queue.py

On fresh migrated databases (the tests' helpers: SQLite files in a temporary folder, or
PostgreSQL on 127.0.0.1:5432): that many messages queued in one vault transaction (each sealed
under the KEK), then sent by one worker's `send_due` to an aiosmtpd server in the same process
(one SMTP connection per message, as in production). Prints both times.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.kit.mail import Message, SmtpMailer
from app.main import create_app
from app.vault import MailPolicy
from app.vault.keys import new_key_document
from tests.conftest import (
    DatabaseUrls,
    create_test_databases,
    drop_test_databases,
    make_settings,
)
from tests.smtp import SmtpServer

POLICY = MailPolicy(
    lease=timedelta(minutes=2), first_retry=timedelta(seconds=30), max_attempts=8, tick_seconds=0
)


async def measure(dbs: DatabaseUrls, count: int) -> None:
    app = create_app(make_settings(dbs, new_key_document(), log_level="WARNING"))
    async with app.router.lifespan_context(app):
        messages = [
            Message(to=f"p{i}@example.org", subject="Hi", text="A line.\n", kind="bench")
            for i in range(count)
        ]
        started = time.perf_counter()
        async with app.state.databases.vault_sessions.begin() as db:
            await app.state.vault.bind(db).enqueue_mail(messages)
        queued = time.perf_counter() - started
        with SmtpServer() as smtp:
            mailer = SmtpMailer(smtp.url, "Bench <bench@example.org>")
            sender = app.state.vault.mail_sender(lambda: mailer, POLICY)
            started = time.perf_counter()
            sent = await sender.send_due()
            took = time.perf_counter() - started
    print(
        f"queued {count} in {queued * 1000:.0f} ms; sent {sent} in {took:.2f} s "
        f"({sent / took:.0f} messages/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    dbs = create_test_databases(Path(tempfile.mkdtemp()))
    try:
        asyncio.run(measure(dbs, args.messages))
    finally:
        drop_test_databases(dbs)


if __name__ == "__main__":
    main()
