"""One's skills after joining: read back, and changed by joining again while enrolment is open
(the challenge page shows them and offers to change them)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from tests.api.people import create_challenge, join, move, person


async def test_skills_are_read_back_and_changed_while_enrolment_is_open(
    app: FastAPI, make_client: Any
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    participant = await person(app, make_client, birth_year=1990)
    cid = (await create_challenge(facilitator.client))["id"]
    await move(facilitator.client, cid, "enrolment")
    url = f"/api/v1/challenges/{cid}/enrolment"

    joined = await participant.client.post(
        url, json={"teach": [{"skill": "Excel pivot tables", "level": 3}], "learn": []}
    )
    assert joined.status_code == 200, joined.text
    handle = joined.json()["handle"]
    read = (await participant.client.get(url)).json()
    assert read["teach"] == [{"skill": "excel_pivot_tables", "level": 3}]
    assert read["learn"] == []

    # Joining again replaces the skills and keeps the handle.
    changed = await participant.client.post(
        url,
        json={
            "teach": [{"skill": "Excel pivot tables", "level": 4}],
            "learn": [{"skill": "Negotiation", "level": 1}],
        },
    )
    assert changed.status_code == 200, changed.text
    read = (await participant.client.get(url)).json()
    assert read["handle"] == handle
    assert read["teach"] == [{"skill": "excel_pivot_tables", "level": 4}]
    assert read["learn"] == [{"skill": "negotiation", "level": 1}]

    # Once teamwork starts, the skills stay as they are.
    founder = await person(app, make_client)
    await join(founder.client, cid)
    await founder.client.post(f"/api/v1/challenges/{cid}/teams")
    await move(facilitator.client, cid, "teamwork")
    late = await participant.client.post(url, json={"teach": [], "learn": []})
    assert late.status_code == 409
    assert late.json()["code"] == "wrong_phase"
    assert (await participant.client.get(url)).json()["teach"][0]["level"] == 4
