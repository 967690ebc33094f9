"""Key rotation while the service runs (issue 17, finding 4).

The app here reads its keys from a key FILE (as a deployment with `CHALLENGE_KEY_FILE` does), and
the rotation runs through the same code as `python -m app rotate-keys` / `retire-key`, between
requests, without restarting the app.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from typing import Any

import pytest
from fastapi import FastAPI

from app import cli
from app.config import Settings
from app.vault import Vault, add_kek_version, load_key_provider
from tests.api.people import person
from tests.api.test_library_lessons import published_lesson
from tests.reviewing import build_review_world, get_tokens, review_phase_over_http


def _settings(app: FastAPI) -> Settings:
    return app.state.vault._ctx.settings  # type: ignore[no-any-return]


async def rotate(app: FastAPI, *, new_key: bool = True) -> None:
    """`python -m app rotate-keys [--no-new-key]`, as its own process would run it."""
    args = argparse.Namespace(command="rotate-keys", new_key=new_key)
    assert await asyncio.to_thread(cli.rotate_keys, _settings(app), args) == 0


async def retire(app: FastAPI, version: int) -> int:
    """`python -m app retire-key VERSION`."""
    args = argparse.Namespace(command="retire-key", version=version)
    return await asyncio.to_thread(cli.retire_key, _settings(app), args)  # type: ignore[attr-defined,no-any-return]


async def rewrap_data_keys_only(app: FastAPI) -> None:
    """A new KEK and the data keys re-wrapped, but nothing else re-sealed (the state that made
    `GET /admin/keys` say no rotation was needed)."""
    settings = _settings(app)
    add_kek_version(settings.key_file)
    vault = Vault(settings, load_key_provider(settings), app.state.databases.vault_sessions)
    await vault.rewrap_data_keys()


def versions(status: dict[str, Any]) -> dict[int, dict[str, int]]:
    return {item["kek_version"]: item["sealed"] for item in status["kek_versions"]}


class TestRunningWorkersPickUpANewKeyDocument:
    async def test_identity_reads_keep_working_after_rotation(
        self, file_app: FastAPI, browsers: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        admin = await person(file_app, browsers, roles=["participant", "admin"])
        member = await person(file_app, browsers)
        assert (await member.client.get("/api/v1/me")).status_code == 200

        with caplog.at_level(logging.INFO, logger="app.vault"):
            await rotate(file_app)
            me = await member.client.get("/api/v1/me")
            accounts = await admin.client.get("/api/v1/admin/accounts")
        assert me.status_code == 200, me.text
        assert accounts.status_code == 200, accounts.text
        reloads = [r for r in caplog.records if "key document reloaded" in r.getMessage()]
        assert len(reloads) == 1
        assert "versions 1, 2" in reloads[0].getMessage()
        document = json.loads(_settings(file_app).key_file.read_text())
        for secret in [*document["keks"].values(), document["root_secret"]]:
            assert secret not in caplog.text

        # A data key wrapped after the rotation is wrapped under the new KEK.
        await person(file_app, browsers)
        status = (await admin.client.get("/api/v1/admin/keys")).json()
        assert status["current_kek_version"] == 2
        assert status["kek_versions_in_use"] == [2]

    async def test_token_issuance_keeps_working_through_rotation_and_retirement(
        self, file_app: FastAPI, browsers: Any
    ) -> None:
        review = await review_phase_over_http(file_app, browsers)
        first, second, third = (group[0] for group in review["groups"])
        await get_tokens(first, review["cid"])
        await rotate(file_app)
        await get_tokens(second, review["cid"])
        assert await retire(file_app, 1) == 0
        file_app.state.review_rounds.signers.forget(
            list(file_app.state.review_rounds.signers._signers)
        )
        await get_tokens(third, review["cid"])
        assert (await first.client.get("/api/v1/me")).status_code == 200


class TestKeyStatusListsEverySealedKind:
    async def test_signing_keys_sealed_under_the_old_kek_are_listed(
        self, file_app: FastAPI, browsers: Any
    ) -> None:
        admin = await person(file_app, browsers, roles=["participant", "admin"])
        await build_review_world(file_app, teams=3, members=2)
        # A published lesson's rating key (app/ratings) is sealed material too.
        writer = await person(file_app, browsers, roles=["participant", "facilitator"])
        await published_lesson(writer.client)
        await rewrap_data_keys_only(file_app)

        status = (await admin.client.get("/api/v1/admin/keys")).json()
        assert status["current_kek_version"] == 2
        assert versions(status) == {
            1: {"account_data_key": 0, "review_round_signing_key": 3, "rating_signing_key": 1},
            2: {"account_data_key": 2, "review_round_signing_key": 0, "rating_signing_key": 0},
        }
        assert status["kek_versions_in_use"] == [1, 2]
        assert status["rotation_needed"] is True

        await rotate(file_app, new_key=False)
        status = (await admin.client.get("/api/v1/admin/keys")).json()
        assert versions(status) == {
            1: {"account_data_key": 0, "review_round_signing_key": 0, "rating_signing_key": 0},
            2: {"account_data_key": 2, "review_round_signing_key": 3, "rating_signing_key": 1},
        }
        assert status["kek_versions_in_use"] == [2]
        assert status["rotation_needed"] is False


class TestRetiringAKek:
    async def test_refused_while_anything_is_sealed_under_it(
        self, file_app: FastAPI, browsers: Any, capfd: pytest.CaptureFixture[str]
    ) -> None:
        admin = await person(file_app, browsers, roles=["participant", "admin"])
        await build_review_world(file_app, teams=2, members=2)
        await rewrap_data_keys_only(file_app)
        key_file = _settings(file_app).key_file

        assert await retire(file_app, 1) == 2
        error = capfd.readouterr().err
        assert "KEK version 1 still seals 2 review-round signing keys" in error
        assert sorted(json.loads(key_file.read_text())["keks"]) == ["1", "2"]
        assert await retire(file_app, 2) == 2  # the current version is never retired
        assert "current" in capfd.readouterr().err

        await rotate(file_app, new_key=False)
        assert await retire(file_app, 1) == 0
        assert sorted(json.loads(key_file.read_text())["keks"]) == ["2"]
        status = (await admin.client.get("/api/v1/admin/keys")).json()
        assert versions(status) == {
            2: {"account_data_key": 1, "review_round_signing_key": 2, "rating_signing_key": 0}
        }
        assert (await admin.client.get("/api/v1/me")).status_code == 200
