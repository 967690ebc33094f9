"""Helpers to populate a challenge through the API, as real people would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from app.vault import NewProfile, Role
from tests.conftest import PASSWORD, Client

RUBRIC = [
    {"id": "clarity", "title": "Clarity", "scale_min": 1, "scale_max": 5},
    {"id": "usefulness", "title": "Usefulness", "scale_min": 1, "scale_max": 5},
]
COHORT_YEARS = [1960, 1972, 1985, 1992, 2000]


@dataclass
class Person:
    client: Client
    email: str
    account_id: uuid.UUID


async def person(
    app: FastAPI, make_client: Any, *, roles: list[Role] | None = None, **profile: Any
) -> Person:
    """An active account created through the vault, signed in in its own browser."""
    email = profile.pop("email", f"p-{uuid.uuid4().hex[:10]}@example.org")
    async with app.state.databases.vault_sessions.begin() as db:
        account_id = await app.state.vault.bind(db).create_account(
            NewProfile(display_name=profile.pop("display_name", "Someone"), email=email, **profile),
            password=PASSWORD,
            roles=roles or ["participant"],
        )
    client = make_client()
    response = await client.sign_in(email)
    assert response.status_code == 200, response.text
    return Person(client=client, email=email, account_id=account_id)


def challenge_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Reach Gen Z candidates with short videos",
        "brief": "Plan a **30-second** video campaign.\n\n<script>alert(1)</script>",
        "tags": ["Short Video", "recruiting"],
        "track": "discover",
        "team_size": {"min": 3, "target": 4, "max": 5},
        "formation_mode": "self_formed",
        "rubric": RUBRIC,
        "review_k": 3,
    }
    body.update(overrides)
    return body


async def create_challenge(facilitator: Client, **overrides: Any) -> dict[str, Any]:
    response = await facilitator.post("/api/v1/challenges", json=challenge_body(**overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def move(facilitator: Client, challenge_id: str, phase: str) -> Any:
    return await facilitator.post(f"/api/v1/challenges/{challenge_id}/phase", json={"phase": phase})


async def join(
    client: Client, challenge_id: str, teach: str = "short_video", learn: str = "negotiation"
) -> Any:
    return await client.post(
        f"/api/v1/challenges/{challenge_id}/enrolment",
        json={"teach": [{"skill": teach, "level": 4}], "learn": [{"skill": learn, "level": 1}]},
    )
