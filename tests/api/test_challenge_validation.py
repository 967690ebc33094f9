"""Bad challenge and enrolment input gets a 422 that names the field and the rule."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from tests.api.people import RUBRIC, challenge_body, create_challenge, move, person

BAD_CHALLENGES = [
    (
        {"rubric": [{**RUBRIC[0], "descriptors": {"9": "off the scale"}}]},
        "body.rubric.0",
        "outside the scale",
    ),
    ({"rubric": [RUBRIC[0], RUBRIC[0]]}, "body.rubric", "unique"),
    ({"team_size": {"min": 5, "target": 4, "max": 6}}, "body.team_size", "min <= target"),
    ({"schedule": {"enrolment_opens_at": "2026-12-01T09:00:00"}}, "body.schedule", "time zone"),
    (
        {
            "schedule": {
                "enrolment_opens_at": "2026-12-10T09:00:00Z",
                "teamwork_starts_at": "2026-12-01T09:00:00Z",
            }
        },
        "body.schedule",
        "in order",
    ),
    ({"tags": ["!!!"]}, "body.tags.0", "letter or digit"),
    ({"review_k": 2}, "body.review_k", ""),
    ({"track": "sideways"}, "body.track", ""),
]


@pytest.mark.parametrize(("change", "field", "words"), BAD_CHALLENGES)
async def test_bad_challenge_is_refused_with_the_reason(
    app: FastAPI, make_client: Any, change: dict[str, Any], field: str, words: str
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    response = await facilitator.client.post("/api/v1/challenges", json=challenge_body(**change))
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid_request"
    assert any(e["field"].startswith(field) and words in e["message"] for e in problem["errors"]), (
        problem["errors"]
    )


async def test_the_same_skill_twice_is_refused(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    await move(facilitator.client, challenge["id"], "enrolment")
    someone = await person(app, make_client, birth_year=1990)
    claim = {"skill": "Short Video", "level": 3}
    response = await someone.client.post(
        f"/api/v1/challenges/{challenge['id']}/enrolment",
        json={"teach": [claim, {**claim, "skill": "short-video"}], "learn": []},
    )
    assert response.status_code == 422
    assert "each skill once" in str(response.json()["errors"])
