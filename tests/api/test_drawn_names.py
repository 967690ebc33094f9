"""Handles and team names are unique inside a challenge and drawn among the free ones. Two
requests can draw the same free one at the same moment; the second must draw again, not fail.

The race is made certain here: the draw first offers the name the previous request just took
(as a concurrent request would have seen it still free), then draws as usual.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from app.challenges import names
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


def _languages_of(handle: str) -> set[str]:
    """Which word lists a handle could come from (French and Spanish put the animal first and
    share a few words: "Jaguar Jade" is both)."""
    first, second = handle.split(" ")[:2]
    lists = {
        "en": (names._EN_ADJECTIVES, names._EN_ANIMALS),
        "fr": (names._FR_ANIMALS, names._FR_ADJECTIVES),
        "es": (names._ES_ANIMALS, names._ES_ADJECTIVES),
    }
    return {language for language, (a, b) in lists.items() if first in a and second in b}


@pytest.mark.parametrize("handle_language", ["es", "fr"])
async def test_every_handle_is_drawn_in_the_challenge_language(
    app: FastAPI, make_client: Any, handle_language: str
) -> None:
    """Handles in each person's own language would tell teammates who chose which."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client, handle_language=handle_language)
    assert challenge["handle_language"] == handle_language
    cid = challenge["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    handles = []
    for language in ("en", "fr", "es", "en", "fr", "es"):
        someone = await person(app, make_client, language=language)
        joined = await join(someone.client, cid)
        assert joined.status_code == 200, joined.text
        handles.append(joined.json()["handle"])
    assert all(handle_language in _languages_of(handle) for handle in handles), handles


async def test_the_handle_language_defaults_to_the_creator_and_locks_with_enrolment(
    app: FastAPI, make_client: Any
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"], language="fr")
    challenge = await create_challenge(facilitator.client)
    assert challenge["handle_language"] == "fr"
    url = f"/api/v1/challenges/{challenge['id']}"
    changed = await facilitator.client.patch(url, json={"handle_language": "es"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["handle_language"] == "es"
    assert (await facilitator.client.patch(url, json={"handle_language": "de"})).status_code == 422
    assert (await facilitator.client.patch(url, json={"handle_language": None})).status_code == 422

    assert (await move(facilitator.client, challenge["id"], "enrolment")).status_code == 200
    locked = await facilitator.client.patch(url, json={"handle_language": "en"})
    assert locked.status_code == 409
    assert locked.json()["code"] == "locked_after_phase"
    # Sending the same value again (an edit form sends every field) changes nothing: allowed.
    same = await facilitator.client.patch(url, json={"handle_language": "es", "title": "Renamed"})
    assert same.status_code == 200, same.text
    participant = await person(app, make_client)
    public = (await participant.client.get(url)).json()
    assert "handle_language" not in public
