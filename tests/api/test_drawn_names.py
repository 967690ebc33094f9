"""Handles and team names are unique inside a challenge and drawn among the free ones. Two
requests can draw the same free one at the same moment; the second must draw again, not fail.

The race is made certain here: the draw first offers the name the previous request just took
(as a concurrent request would have seen it still free), then draws as usual.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from app.challenges import service as challenges_service
from app.teams import service as teams_service
from tests.api.people import create_challenge, join, move, person


async def _open_challenge(app: FastAPI, make_client: Any) -> str:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    assert (await move(facilitator.client, challenge["id"], "enrolment")).status_code == 200
    return str(challenge["id"])


async def test_a_handle_taken_meanwhile_is_drawn_again(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = await _open_challenge(app, make_client)
    first, second = await person(app, make_client), await person(app, make_client)
    joined = await join(first.client, cid)
    assert joined.status_code == 200, joined.text
    taken = joined.json()["handle"]

    draw = challenges_service.draw_handle
    stale = iter([taken])
    monkeypatch.setattr(
        challenges_service,
        "draw_handle",
        lambda language, used: next(stale, None) or draw(language, used),
    )
    response = await join(second.client, cid)

    assert response.status_code == 200, response.text
    assert response.json()["handle"] not in {taken, None}


async def test_a_team_name_taken_meanwhile_is_drawn_again(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = await _open_challenge(app, make_client)
    first, second = await person(app, make_client), await person(app, make_client)
    for someone in (first, second):
        assert (await join(someone.client, cid)).status_code == 200
    created = await first.client.post(f"/api/v1/challenges/{cid}/teams")
    assert created.status_code == 201, created.text
    taken = created.json()["name"]

    draw = teams_service.draw_team_name
    stale = iter([taken])
    monkeypatch.setattr(
        teams_service, "draw_team_name", lambda used: next(stale, None) or draw(used)
    )
    response = await second.client.post(f"/api/v1/challenges/{cid}/teams")

    assert response.status_code == 201, response.text
    assert response.json()["name"] != taken
    assert response.json()["join_code"] != created.json()["join_code"]
