"""The vault's list of the organisation's departments, for the reviewers' comment check."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

import app.vault as vault_module
from app.vault import NewProfile
from app.vault.models import AuditEvent
from tests.api.people import person


async def _account(app: FastAPI, department: str | None) -> None:
    async with app.state.databases.vault_sessions.begin() as db:
        await app.state.vault.bind(db).create_account(
            NewProfile(
                display_name="Someone",
                email=f"d-{uuid.uuid4().hex[:10]}@example.org",
                department=department,
            ),
            password="correct horse battery",
            roles=[],
        )


async def test_distinct_names_cached_for_a_few_minutes(app: FastAPI, make_client: Any) -> None:
    vault = app.state.vault
    vault._departments = None  # the app outlives each test's tables; its memory too
    for department in ("Finance", "  finance ", "Ressources   Humaines", None, "IT"):
        await _account(app, department)
    await person(app, make_client, department="Comptabilité")

    assert await vault.department_names() == [
        "Comptabilité",
        "Finance",
        "IT",
        "Ressources Humaines",
    ]

    await _account(app, "Legal")
    assert "Legal" not in await vault.department_names(), "read again before the time is up"
    read_at, names = vault._departments
    vault._departments = (read_at - vault_module.DEPARTMENT_NAMES_TTL_S, names)  # time is up
    assert "Legal" in await vault.department_names()

    async with app.state.databases.vault_sessions() as db:
        assert await db.scalar(select(func.count()).select_from(AuditEvent)) == 0
    vault._departments = None
