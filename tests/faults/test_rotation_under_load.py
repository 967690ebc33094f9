"""Rotate and retire a key-encryption key under load, with two workers (issue 17, finding 4).

Two uvicorn servers on the same databases and key file stand in for two workers. While they
answer identity reads (`GET /me`, the admin's account list) and token issuance, `rotate-keys`
adds a KEK and re-wraps and re-seals everything, and `retire-key` removes the old one. No request
may fail; the workers reload the key file without a restart, and a worker started after the
retirement (without the old KEK) still issues tokens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import cli
from app.config import Settings
from app.main import create_app
from app.vault.keys import new_key_document
from tests.api.people import Person, person
from tests.conftest import (
    Client,
    DatabaseUrls,
    client_for,
    create_test_databases,
    drop_test_databases,
    make_settings,
)
from tests.faults.server import Server, write_key_file
from tests.reviewing import Wallet, review_phase_over_http

TEAMS, SIZE = 4, 3


@dataclass
class Browser:
    headers: dict[str, str]
    issuance: tuple[str, dict[str, Any]] | None = None  # (url, body) of its token request


@dataclass
class Prepared:
    dbs: DatabaseUrls
    key_file: Path
    admin: Browser
    members: list[Browser] = field(default_factory=list)


def _headers(someone: Person) -> dict[str, str]:
    cookie = "; ".join(f"{k}={v}" for k, v in someone.client.cookies.items())
    return {"Cookie": cookie, "X-CSRF-Token": someone.client.headers["X-CSRF-Token"]}


async def _prepare(tmp: Path) -> Prepared:
    """A challenge in review, its members signed in but holding no tokens yet, and an admin."""
    dbs = await asyncio.to_thread(create_test_databases, tmp)
    keys = new_key_document()
    app = create_app(make_settings(dbs, keys))
    browsers: list[Client] = []

    def make_client() -> Client:
        browsers.append(client_for(app))
        return browsers[-1]

    async with app.router.lifespan_context(app):
        admin = await person(app, make_client, roles=["participant", "admin"])
        world = await review_phase_over_http(app, make_client, teams=TEAMS, size=SIZE)
        prepared = Prepared(dbs, write_key_file(tmp, keys), Browser(_headers(admin)))
        cid = world["cid"]
        for group in world["groups"]:
            for member in group:
                client = member.client
                manifest = (await client.get(f"/api/v1/challenges/{cid}/review-round")).json()
                status = (await client.get(f"/api/v1/challenges/{cid}/review-round/tokens")).json()
                body = Wallet(manifest).request(status["eligible_submission_ids"])
                url = f"/api/v1/challenges/{cid}/review-round/tokens"
                prepared.members.append(Browser(_headers(member), (url, body)))
        for browser in browsers:
            await browser.aclose()
    return prepared


@pytest.fixture
async def prepared(tmp_path: Path) -> AsyncIterator[Prepared]:
    ready = await _prepare(tmp_path)
    yield ready
    await asyncio.to_thread(drop_test_databases, ready.dbs)


def _cli_settings(ready: Prepared) -> Settings:
    return make_settings(ready.dbs, {}, key_file=ready.key_file).model_copy(update={"keys": None})


RELOADED_WITH_BOTH = "key document reloaded: versions 1, 2 (current 2)"


async def _until_logged(workers: list[Server], line: str, within_s: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
    while not all(line in worker.log.read_text() for worker in workers):
        assert asyncio.get_running_loop().time() < deadline, f"not logged by every worker: {line}"
        await asyncio.sleep(0.1)


async def test_rotate_and_retire_under_load_with_two_workers(
    prepared: Prepared, tmp_path: Path
) -> None:
    workers = [
        Server(
            prepared.dbs,
            prepared.key_file,
            tmp_path / f"worker-{n}.log",
            settings={"CHALLENGE_LOG_LEVEL": "INFO"},  # to see the reload
        )
        for n in (1, 2)
    ]
    answers: list[tuple[str, str, int]] = []
    stop = asyncio.Event()
    pending = list(prepared.members)  # each member asks for its tokens once

    async def load(worker: Server) -> None:
        async with httpx.AsyncClient(base_url=worker.url, timeout=20) as client:
            turn = 0
            while not stop.is_set():
                member = prepared.members[turn % len(prepared.members)]
                me = await client.get("/api/v1/me", headers=member.headers)
                answers.append((worker.url, "GET /me", me.status_code))
                listing = await client.get("/api/v1/admin/accounts", headers=prepared.admin.headers)
                answers.append((worker.url, "GET /admin/accounts", listing.status_code))
                if turn % 3 == 0 and len(pending) > 4:
                    await issue(client, pending.pop())
                turn += 1

    async def issue(client: httpx.AsyncClient, member: Browser) -> None:
        assert member.issuance is not None
        url, body = member.issuance
        response = await client.post(url, json=body, headers=member.headers)
        answers.append((str(client.base_url), "POST tokens", response.status_code))

    settings = _cli_settings(prepared)
    for worker in workers:
        await worker.start()
    try:
        running = [asyncio.create_task(load(worker)) for worker in workers]
        await asyncio.sleep(0.5)
        rotated = argparse.Namespace(command="rotate-keys", new_key=True)
        assert await asyncio.to_thread(cli.rotate_keys, settings, rotated) == 0
        # Each worker, under load, takes up the new key before the old one goes (on a loaded
        # machine one request can outlast any fixed pause, and a worker then met only the end).
        await _until_logged(workers, RELOADED_WITH_BOTH)
        retired = argparse.Namespace(command="retire-key", version=1)
        assert await asyncio.to_thread(cli.retire_key, settings, retired) == 0
        assert sorted(json.loads(prepared.key_file.read_text())["keks"]) == ["2"]
        await asyncio.sleep(0.5)
        stop.set()
        await asyncio.gather(*running)

        # A worker started now holds only the new KEK: the rest get their tokens from it.
        late = Server(prepared.dbs, prepared.key_file, tmp_path / "worker-3.log")
        workers.append(late)
        await late.start()
        async with httpx.AsyncClient(base_url=late.url, timeout=20) as client:
            while pending:
                await issue(client, pending.pop())
            for member in prepared.members:
                me = await client.get("/api/v1/me", headers=member.headers)
                answers.append((late.url, "GET /me", me.status_code))
    finally:
        for worker in workers:
            worker.stop()

    failures = [answer for answer in answers if answer[2] != 200]
    assert not failures, failures
    kinds = {kind for _, kind, _ in answers}
    assert kinds == {"GET /me", "GET /admin/accounts", "POST tokens"}
    assert sum(1 for _, kind, _ in answers if kind == "POST tokens") == len(prepared.members)
    for worker in workers[:2]:
        log = worker.log.read_text()
        assert RELOADED_WITH_BOTH in log, log[-2000:]
        assert "KeyMaterialError" not in log
