"""Two instances of the service (two uvicorn processes) on one pair of fresh databases.

What the deployment of docs/operations.md relies on, checked with real processes rather than
two apps in one: the phase ticker enters a phase once, a formation run is claimed by one
instance, a rate limit counts the requests made to both, each queued message is sent once
while both senders run, and a read cached by one instance sees a write made through the other.

Runs on both backends: on PostgreSQL the instances share advisory locks and `SKIP LOCKED`; on
SQLite (one host) they share file locks and the single writer. Setting up goes through an app
in the test process on the same databases (accounts, rows to start from); everything checked
goes over HTTP to the two servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI
from sqlalchemy import func, select, update

from app.challenges.models import Challenge
from app.kit.mail import Message
from app.kit.orm import utcnow
from app.mail.deps import UNSUBSCRIBES_PER_MINUTE
from app.main import create_app
from app.vault import NewProfile
from app.vault.models import KeyEpochRequest, QueuedMail
from tests.api.people import challenge_body
from tests.api.test_formations import _join, _organisation
from tests.conftest import (
    PASSWORD,
    Client,
    DatabaseUrls,
    client_for,
    create_test_databases,
    drop_test_databases,
    make_settings,
)
from tests.reviewing import build_review_world
from tests.smtp import Inbox, SmtpServer, free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCIM_PER_MINUTE = 5
METRICS_TOKEN = "two-instances-metrics"


class SlowInbox(Inbox):
    """A mail server that takes its time, so that one sender cannot drain the queue before the
    other one's next tick: both are sending at once."""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


@dataclass
class Instances:
    urls: tuple[str, str]
    setup: FastAPI  # in the test process, on the same databases: rows to start from
    smtp: SmtpServer
    logs: tuple[Path, Path]

    def client(self, n: int, **kwargs: Any) -> Client:
        return Client(base_url=self.urls[n], timeout=30, **kwargs)

    def log(self) -> str:
        return "\n".join(
            f"--- instance {n + 1}\n{p.read_text()[-3000:]}" for n, p in enumerate(self.logs)
        )


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--port",
                str(port),
                "--no-access-log",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def _ready(url: str, process: subprocess.Popen[bytes]) -> None:
    # Generous: two interpreters importing the app at once on a loaded two-core machine.
    deadline = time.monotonic() + 180
    async with httpx.AsyncClient() as probe:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if (await probe.get(f"{url}/api/v1/ready", timeout=1)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(f"the instance at {url} did not become ready")


@pytest.fixture(scope="module")
def fresh_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseUrls]:
    dbs = create_test_databases(tmp_path_factory.mktemp("two-instances"))
    yield dbs
    drop_test_databases(dbs)


@pytest.fixture(scope="module")
async def instances(
    fresh_databases: DatabaseUrls,
    key_document: dict[str, object],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Instances]:
    folder = tmp_path_factory.mktemp("instances")
    smtp = SmtpServer()
    smtp.inbox = SlowInbox()
    smtp.start()
    setup = create_app(make_settings(fresh_databases, key_document))
    ports = (free_port(), free_port())
    urls = (f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CHALLENGE_")},
        "CHALLENGE_ENV": "development",
        "CHALLENGE_APP_DATABASE_URL": fresh_databases.app_url,
        "CHALLENGE_VAULT_DATABASE_URL": fresh_databases.vault_url,
        "CHALLENGE_KEYS": json.dumps(key_document),
        "CHALLENGE_PASSWORD_HASH_COST": "test",
        "CHALLENGE_SERVE_UI": "false",
        "CHALLENGE_LOG_LEVEL": "WARNING",
        "CHALLENGE_PUBLIC_URL": urls[0],
        "CHALLENGE_SMTP_URL": smtp.url,
        # Both instances tick every second: the ticker and the mail sender run in each.
        "CHALLENGE_PHASE_TICK_SECONDS": "1",
        "CHALLENGE_MAIL_TICK_SECONDS": "1",
        "CHALLENGE_KEY_EPOCH_TICK_SECONDS": "0",
        "CHALLENGE_SCIM_REQUESTS_PER_MINUTE": str(SCIM_PER_MINUTE),
        "CHALLENGE_METRICS_TOKEN": METRICS_TOKEN,
    }
    logs = (folder / "instance-1.log", folder / "instance-2.log")
    processes = [
        # Each instance signs its mail with its own address: the test sees who sent what.
        _start({**env, "CHALLENGE_MAIL_FROM": f"Instance {n} <instance{n}@example.org>"}, port, log)
        for n, (port, log) in enumerate(zip(ports, logs, strict=True), start=1)
    ]
    running = Instances(urls, setup, smtp, logs)
    try:
        async with setup.router.lifespan_context(setup):
            for url, process in zip(urls, processes, strict=True):
                await _ready(url, process)
            yield running
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        smtp.stop()


@contextlib.asynccontextmanager
async def _signed_in(instances: Instances, email: str) -> AsyncIterator[tuple[Client, Client]]:
    """One browser session, used on either instance (sessions live in the shared vault)."""
    async with instances.client(0) as first:
        assert (await first.sign_in(email, PASSWORD)).status_code == 200
        async with instances.client(
            1, cookies=first.cookies, headers=dict(first.headers)
        ) as second:
            yield first, second


async def _eventually(check: Any, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not await check():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.2)


async def test_the_ticker_closes_a_round_once(instances: Instances) -> None:
    """Both instances tick every second; the round closes once: one revision, one request for
    the erasure epoch that a close asks for (two closes would ask twice)."""
    setup = instances.setup
    world = await build_review_world(setup, teams=2, members=2)
    sessions = setup.state.databases.app_sessions
    vault_sessions = setup.state.databases.vault_sessions

    async def epoch_requests() -> int:
        async with vault_sessions() as db:
            return int(
                await db.scalar(
                    select(func.count())
                    .select_from(KeyEpochRequest)
                    .where(KeyEpochRequest.reason == "round_closed")
                )
                or 0
            )

    async def stored() -> tuple[str, int]:
        async with sessions() as db:
            row = (
                await db.execute(
                    select(Challenge.phase, Challenge.revision).where(
                        Challenge.id == world.challenge_id
                    )
                )
            ).one()
            return str(row[0]), int(row[1])

    phase, revision = await stored()
    assert phase == "review"
    requests_before = await epoch_requests()
    async with sessions.begin() as db:
        await db.execute(
            update(Challenge)
            .where(Challenge.id == world.challenge_id)
            .values(
                review_starts_at=utcnow() - timedelta(hours=2),
                closes_at=utcnow() - timedelta(hours=1),
            )
        )

    async def closed() -> bool:
        return (await stored())[0] == "closed"

    await _eventually(closed)
    await asyncio.sleep(3)  # several more ticks of both instances
    await _eventually(lambda: _at_least(epoch_requests, requests_before + 1))
    assert await stored() == ("closed", revision + 1), instances.log()
    assert await epoch_requests() == requests_before + 1


async def _at_least(count: Any, wanted: int) -> bool:
    return bool(await count() >= wanted)


async def test_a_formation_run_is_claimed_by_one_instance(instances: Instances) -> None:
    """The facilitator starts a run through both instances at once: one takes it, the other
    answers 409, and either one reports the run's progress and result."""
    setup = instances.setup
    facilitator_email = f"fac-{uuid.uuid4().hex[:8]}@example.org"
    await _account(setup, facilitator_email, ["participant", "facilitator"])
    people = await _organisation(setup, lambda: client_for(setup), 8)
    async with _signed_in(instances, facilitator_email) as (first, second):
        made = await first.post(
            "/api/v1/challenges",
            json=challenge_body(
                formation_mode="optimised", team_size={"min": 2, "target": 4, "max": 4}
            ),
        )
        assert made.status_code == 201, made.text
        cid = made.json()["id"]
        moved = await second.post(f"/api/v1/challenges/{cid}/phase", json={"phase": "enrolment"})
        assert moved.status_code == 200, moved.text
        for i, someone in enumerate(people):
            await _join(someone.client, cid, i)
        url = f"/api/v1/challenges/{cid}/formations"
        answers = await asyncio.gather(
            first.post(url, json={"time_limit_s": 1}), second.post(url, json={"time_limit_s": 1})
        )
        assert sorted(a.status_code for a in answers) == [202, 409], [a.text for a in answers]
        [refused] = [a for a in answers if a.status_code == 409]
        assert refused.json()["code"] == "formation_running"
        [started] = [a for a in answers if a.status_code == 202]
        run = f"{url}/{started.json()['id']}"

        async def done() -> bool:
            bodies = [(await c.get(run)).json() for c in (first, second)]
            return all(b["status"] == "done" for b in bodies)

        await _eventually(done, timeout_s=60)
    for someone in people:
        await someone.client.aclose()


async def test_rate_limits_count_requests_to_both_instances(instances: Instances) -> None:
    async with instances.setup.state.databases.vault_sessions.begin() as db:
        created = await instances.setup.state.vault.bind(db).new_scim_token("Two instances")
    headers = {"Authorization": f"Bearer {created.token}"}
    async with (
        instances.client(0, headers=headers) as one,
        instances.client(1, headers=headers) as two,
    ):
        answers = [
            (await (one if n % 2 else two).get("/scim/v2/ServiceProviderConfig")).status_code
            for n in range(SCIM_PER_MINUTE + 1)
        ]
    assert answers == [200] * SCIM_PER_MINUTE + [429]

    async with instances.client(0) as one, instances.client(1) as two:
        posted = [
            (
                await (one if n % 2 else two).post(f"/api/v1/mail/unsubscribe/news.x{n}.y")
            ).status_code
            for n in range(UNSUBSCRIBES_PER_MINUTE + 1)
        ]
    assert posted == [404] * UNSUBSCRIBES_PER_MINUTE + [429]


async def test_the_mail_queue_sends_each_message_once(instances: Instances) -> None:
    """Both instances' senders tick every second on one queue, the mail server slow enough that
    both are at it; every message arrives once."""
    vault = instances.setup.state.vault
    sessions = instances.setup.state.databases.vault_sessions
    count = 60
    addresses = [f"queue-{uuid.uuid4().hex[:8]}-{n}@example.org" for n in range(count)]
    received_before = len(instances.smtp.received)
    async with sessions.begin() as db:
        await vault.bind(db).enqueue_mail(
            [Message(to=a, subject="News", text="A line.\n", kind="test") for a in addresses]
        )

    async def sent() -> bool:
        async with sessions() as db:
            left = await db.scalar(select(func.count()).select_from(QueuedMail))
        return bool(left == 0)

    await _eventually(sent, timeout_s=60)
    await asyncio.sleep(1.5)  # a message sent twice would arrive by now
    received = instances.smtp.received[received_before:]
    recipients = sorted(r for message in received for r in message.recipients)
    assert recipients == sorted(addresses), instances.log()
    assert len({message.message["Message-ID"] for message in received}) == count
    senders = {message.sender for message in received}
    assert senders == {"instance1@example.org", "instance2@example.org"}, "both were sending"


async def test_a_cached_read_sees_a_write_made_through_the_other_instance(
    instances: Instances,
) -> None:
    setup = instances.setup
    facilitator_email = f"fac-{uuid.uuid4().hex[:8]}@example.org"
    reader_email = f"reader-{uuid.uuid4().hex[:8]}@example.org"
    await _account(setup, facilitator_email, ["participant", "facilitator"])
    await _account(setup, reader_email, ["participant"])
    async with (
        _signed_in(instances, facilitator_email) as (writer, _),
        _signed_in(instances, reader_email) as (_, reader),
        instances.client(1) as metrics,
    ):
        metrics.headers["Authorization"] = f"Bearer {METRICS_TOKEN}"

        async def hits() -> float:
            text = (await metrics.get("/metrics")).text
            found = re.search(r'response_cache_requests_total\{[^}]*"hit"\} ([0-9.e+]+)', text)
            assert found is not None, text[:2000]
            return float(found.group(1))

        made = await writer.post(
            "/api/v1/challenges", json=challenge_body(title="Before the change")
        )
        assert made.status_code == 201, made.text
        cid = made.json()["id"]
        assert (
            await writer.post(f"/api/v1/challenges/{cid}/phase", json={"phase": "enrolment"})
        ).status_code == 200

        def titles(answer: httpx.Response) -> list[str]:
            assert answer.status_code == 200, answer.text
            return [c["title"] for c in answer.json()["items"] if c["id"] == cid]

        # The first read teaches instance 2 the route, the second is kept, the third replayed.
        for _ in range(2):
            assert titles(await reader.get("/api/v1/challenges")) == ["Before the change"]
        before = await hits()
        assert titles(await reader.get("/api/v1/challenges")) == ["Before the change"]
        assert await hits() == before + 1, "instance 2 answered the second read from its cache"

        changed = await writer.patch(
            f"/api/v1/challenges/{cid}", json={"title": "After the change"}
        )
        assert changed.status_code == 200, changed.text
        assert titles(await reader.get("/api/v1/challenges")) == ["After the change"]


# -- setting up ----------------------------------------------------------------------------


async def _account(setup: FastAPI, email: str, roles: list[Any]) -> uuid.UUID:
    async with setup.state.databases.vault_sessions.begin() as db:
        account_id: uuid.UUID = await setup.state.vault.bind(db).create_account(
            NewProfile(display_name="Someone", email=email),
            password=PASSWORD,
            roles=roles,
        )
    return account_id
