"""Ratings of idea entries (issue 21): anyone signed in rates a published entry once, except
the team that proposed it; the answer says nothing about anyone else's membership."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import delete

from app.ratings.models import RatingKey
from tests.api.people import person
from tests.api.test_ideas import _close, _publish, _world
from tests.conftest import client_for
from tests.rating import RatingToken, token_for

API = "/api/v1"


async def test_outsiders_rate_an_idea_once_and_its_team_not_at_all(
    app: FastAPI, make_client: Any
) -> None:
    world = await _world(app, make_client, teams=2, size=2)
    await _close(world)
    proposing, other_team = world.teams
    entry_id = await _publish(proposing)
    url = f"{API}/ideas/{entry_id}/rating"
    outsider = await person(app, make_client)

    manifest = (await outsider.client.get(url)).json()
    assert (manifest["may_rate"], manifest["issued"]) == (True, False)
    assert manifest["key"]["key_id"]  # made when the entry was published
    assert manifest["release"]["state"] == "fewer_than_minimum"
    await token_for(outsider.client, manifest, f"{url}/token")
    again = await outsider.client.post(
        f"{url}/token", json=RatingToken.blinded_for(manifest).request()
    )
    assert (again.status_code, again.json()["code"]) == (409, "rating_token_already_issued")

    # The proposing team's members may not; a member of another team of the same challenge,
    # and the challenge's facilitator, may.
    for member in proposing.members:
        theirs = (await member.client.get(url)).json()
        assert theirs["may_rate"] is False
        refused = await member.client.post(
            f"{url}/token", json=RatingToken.blinded_for(theirs).request()
        )
        assert (refused.status_code, refused.json()["code"]) == (403, "idea_rating_not_allowed")
    for rater in (other_team.members[0], world.facilitator):
        theirs = (await rater.client.get(url)).json()
        assert theirs["may_rate"] is True
        await token_for(rater.client, theirs, f"{url}/token")

    async with client_for(app) as anonymous:
        assert (await anonymous.get(url)).status_code == 401
    unknown = await outsider.client.get(f"{API}/ideas/00000000-0000-4000-8000-000000000000/rating")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "idea_not_found")


async def test_an_idea_rating_is_released_from_five(app: FastAPI, make_client: Any) -> None:
    world = await _world(app, make_client, teams=2, size=2)
    await _close(world)
    entry_id = await _publish(world.teams[0])
    url = f"{API}/ideas/{entry_id}/rating"
    raters = [await person(app, make_client) for _ in range(5)]
    tokens = []
    for rater in raters:
        manifest = (await rater.client.get(url)).json()
        tokens.append(await token_for(rater.client, manifest, f"{url}/token"))
    mix = app.state.rating_mix
    async with client_for(app) as anonymous:
        for index, token in enumerate(tokens):
            sent = await anonymous.post("/api/v1/ratings", json=token.rating(4, f"Idea {index}."))
            assert sent.status_code == 202, sent.text
            async with app.state.databases.app_sessions.begin() as db:
                await mix._write(db, dict(mix._held))
            mix._held.clear()
            release = (await raters[0].client.get(url)).json()["release"]
            assert release["state"] == ("released" if index == 4 else "fewer_than_minimum")
    assert (release["count"], release["mean"]) == (5, 4.0)
    assert sorted(release["comments"]) == [f"Idea {i}." for i in range(5)]


async def test_an_idea_published_before_ratings_gets_its_key_at_start_up(
    app: FastAPI, make_client: Any
) -> None:
    world = await _world(app, make_client, teams=2, size=2)
    await _close(world)
    entry_id = await _publish(world.teams[0])
    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(delete(RatingKey))
    outsider = await person(app, make_client)
    url = f"{API}/ideas/{entry_id}/rating"
    assert (await outsider.client.get(url)).json()["key"] is None
    refused = await outsider.client.post(
        f"{url}/token", json={"key_id": "a" * 64, "blinded_message": "AAAA"}
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "rating_not_open")
    assert await app.state.ratings.ensure_missing_keys(app.state.databases.app_sessions) == 1
    manifest = (await outsider.client.get(url)).json()
    await token_for(outsider.client, manifest, f"{url}/token")
