"""Mentoring programmes: phases and their guards, who may lead, applications and selection."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from app.kit.orm import utcnow
from app.mentoring import service as mentoring_service
from app.mentoring.models import Programme
from tests.api import test_library_lessons as library_lessons
from tests.api.people import Person, person
from tests.conftest import Client

BASE = "/api/v1/programmes"


def programme_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Reverse mentoring: AI assistants",
        "purpose": "Younger colleagues show AI assistants to experienced ones.",
        "topics": ["AI Assistants", "short_video"],
        "guidance_levels": ["discover", "deepen"],
        "schedule": {"applications_close_at": (utcnow() + timedelta(days=10)).isoformat()},
    }
    body.update(overrides)
    return body


async def create_programme(lead: Client, **overrides: Any) -> dict[str, Any]:
    response = await lead.post(BASE, json=programme_body(**overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def move(lead: Client, pid: str, phase: str) -> Any:
    return await lead.post(f"{BASE}/{pid}/phase", json={"phase": phase})


def application_body(role: str = "mentor", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "role": role,
        "languages": ["en"],
        "availability": ["mon-am", "tue-pm"],
        "note": "Happy to help.",
    }
    if role != "mentee":
        body |= {"teaches": [{"skill": "ai_assistants", "level": 4}], "capacity": 2}
    if role != "mentor":
        body |= {"wants": [{"skill": "ai_assistants", "level": 1, "guidance": "discover"}]}
    body.update(overrides)
    return body


async def apply(client: Client, pid: str, role: str = "mentor", **overrides: Any) -> Any:
    return await client.put(f"{BASE}/{pid}/application", json=application_body(role, **overrides))


def field_errors(response: Any, status: int = 422) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {e["field"]: e["code"] for e in response.json()["errors"]}


async def lead(app: FastAPI, make_client: Any, **profile: Any) -> Person:
    return await person(app, make_client, roles=["facilitator"], **profile)


async def open_programme(app: FastAPI, make_client: Any, **overrides: Any) -> tuple[Person, str]:
    someone = await lead(app, make_client)
    pid = (await create_programme(someone.client, **overrides))["id"]
    assert (await move(someone.client, pid, "applications")).status_code == 200
    return someone, pid


async def test_phases_move_forward_only_when_their_guards_hold(
    app: FastAPI, make_client: Any
) -> None:
    boss = await lead(app, make_client)
    created = await create_programme(
        boss.client, training_required=True, schedule={}, session_count=8, cadence="fortnightly"
    )
    pid = created["id"]
    assert (created["phase"], created["session_count"], created["cadence"]) == (
        "draft",
        8,
        "fortnightly",
    )
    assert created["topics"] == ["ai_assistants", "short_video"]

    refused = await move(boss.client, pid, "applications")
    assert refused.status_code == 409
    assert refused.json()["code"] == "programme_not_ready"
    assert "training" in refused.json()["detail"]
    patched = await boss.client.patch(
        f"{BASE}/{pid}", json={"training_collection_id": str(uuid.uuid4())}
    )
    assert patched.status_code == 200, patched.text
    assert "close" in (await move(boss.client, pid, "applications")).json()["detail"]
    closes = (utcnow() + timedelta(days=3)).isoformat()
    await boss.client.patch(f"{BASE}/{pid}", json={"schedule": {"applications_close_at": closes}})
    opened = await move(boss.client, pid, "applications")
    assert opened.status_code == 200, opened.text
    assert opened.json()["phase"] == "applications"
    # The pair mode is fixed once people apply under it.
    fixed = await boss.client.patch(f"{BASE}/{pid}", json={"pair_mode": "mutual"})
    assert fixed.json()["code"] == "programme_wrong_phase"

    assert (await move(boss.client, pid, "matching")).json()["code"] == "programme_not_ready"
    mentor = await person(app, make_client, birth_year=2000)
    assert (await apply(mentor.client, pid, "mentor")).status_code == 200
    assert (await move(boss.client, pid, "matching")).json()["code"] == "programme_not_ready"
    mentee = await person(app, make_client, birth_year=1965)
    assert (await apply(mentee.client, pid, "mentee")).status_code == 200
    matching = await move(boss.client, pid, "matching")
    assert matching.status_code == 200, matching.text
    assert matching.json()["phase"] == "matching"

    back = await move(boss.client, pid, "applications")
    assert (back.status_code, back.json()["code"]) == (409, "programme_phase_backwards")
    running = await move(boss.client, pid, "running")
    assert running.json()["code"] == "programme_not_ready"
    assert "published" in running.json()["detail"]
    # Applications are closed: nobody applies, edits or withdraws any more.
    late = await person(app, make_client)
    assert (await apply(late.client, pid, "mentee")).json()["code"] == "programme_wrong_phase"
    assert (await mentee.client.delete(f"{BASE}/{pid}/application")).status_code == 409

    # A programme ends whatever phase it reached; then nothing changes any more.
    ended = await move(boss.client, pid, "closed")
    assert ended.status_code == 200, ended.text
    assert ended.json()["phase"] == "closed"
    frozen = await boss.client.patch(f"{BASE}/{pid}", json={"title": "Too late to rename"})
    assert frozen.json()["code"] == "programme_wrong_phase"


async def test_a_read_shows_the_date_reached_and_only_the_ticker_enters_it(
    app: FastAPI, make_client: Any
) -> None:
    boss = await lead(app, make_client)
    now = utcnow()
    schedule = {
        "applications_open_at": (now + timedelta(seconds=1)).isoformat(),
        "applications_close_at": (now + timedelta(days=5)).isoformat(),
    }
    pid = (await create_programme(boss.client, schedule=schedule))["id"]
    async with app.state.databases.app_sessions.begin() as db:
        stored = await db.get(Programme, uuid.UUID(pid))
        assert stored is not None
        stored.applications_open_at = now - timedelta(minutes=1)
    someone = await person(app, make_client)
    shown = await someone.client.get(f"{BASE}/{pid}")
    assert shown.status_code == 200, shown.text
    assert shown.json()["phase"] == "applications"
    async with app.state.databases.app_sessions() as db:
        assert (await db.get(Programme, uuid.UUID(pid))).phase == "draft"  # type: ignore[union-attr]
    sessions = app.state.databases.app_sessions
    assert await mentoring_service.advance_all_due(sessions, app.state.vault) == 1
    async with app.state.databases.app_sessions() as db:
        entered = await db.get(Programme, uuid.UUID(pid))
        assert entered is not None
        assert entered.phase == "applications"


async def test_drafts_are_seen_by_their_leads_only(app: FastAPI, make_client: Any) -> None:
    boss = await lead(app, make_client)
    pid = (await create_programme(boss.client))["id"]
    other = await lead(app, make_client)
    someone = await person(app, make_client)
    for client in (other.client, someone.client):
        assert (await client.get(f"{BASE}/{pid}")).json()["code"] == "programme_not_found"
        assert pid not in [p["id"] for p in (await client.get(BASE)).json()]
    assert pid in [p["id"] for p in (await boss.client.get(BASE)).json()]
    assert (await someone.client.post(BASE, json=programme_body())).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 403),
        ("other_facilitator", 404),
        ("admin", 403),
        ("admin_facilitator", 404),
        ("co_lead", 200),
        ("lead", 200),
    ],
)
async def test_only_leads_see_applications_and_run_matching(
    app: FastAPI, make_client: Any, who: str, status: int
) -> None:
    """Admins lead nothing by their role alone (docs/mentoring.md)."""
    boss, pid = await open_programme(app, make_client)
    roles: dict[str, list[Any]] = {
        "participant": ["participant"],
        "other_facilitator": ["facilitator"],
        "admin": ["participant", "admin"],
        "admin_facilitator": ["facilitator", "admin"],
        "co_lead": ["facilitator"],
    }
    viewer = boss if who == "lead" else await person(app, make_client, roles=roles[who])
    if who == "co_lead":
        added = await boss.client.post(f"{BASE}/{pid}/leads", json={"email": viewer.email})
        assert added.status_code == 201, added.text
    client = viewer.client
    checks = [
        await client.get(f"{BASE}/{pid}/mentors"),
        await client.get(f"{BASE}/{pid}/runs"),
        await client.get(f"{BASE}/{pid}/pool"),
        await client.get(f"{BASE}/{pid}/leads"),
        await client.patch(f"{BASE}/{pid}", json={"title": "Renamed programme"}),
    ]
    assert [c.status_code for c in checks] == [status] * len(checks), [c.text for c in checks]
    start = await client.post(f"{BASE}/{pid}/runs", json={})
    # A lead reaches the phase rule (applications are still open); nobody else gets that far.
    assert start.status_code == (409 if status == 200 else status)


async def test_leads_do_not_apply_and_applicants_do_not_lead(
    app: FastAPI, make_client: Any
) -> None:
    boss, pid = await open_programme(app, make_client)
    assert (await apply(boss.client, pid)).json()["code"] == "own_programme"
    applicant = await person(app, make_client, roles=["facilitator"])
    assert (await apply(applicant.client, pid)).status_code == 200
    refused = await boss.client.post(f"{BASE}/{pid}/leads", json={"email": applicant.email})
    assert refused.json()["code"] == "account_not_found"


async def test_programme_settings_are_refused_with_field_codes(
    app: FastAPI, make_client: Any
) -> None:
    boss = await lead(app, make_client)
    now = utcnow()
    disorder = {
        "applications_open_at": (now + timedelta(days=5)).isoformat(),
        "applications_close_at": (now + timedelta(days=1)).isoformat(),
    }
    errors = field_errors(await boss.client.post(BASE, json=programme_body(schedule=disorder)))
    assert errors == {"body.schedule": "schedule_order"}
    errors = field_errors(
        await boss.client.post(
            BASE,
            json=programme_body(
                topics=[], guidance_levels=["expert"], session_count=0, cadence="daily"
            ),
        )
    )
    assert errors == {
        "body.topics": "too_few_items",
        "body.guidance_levels.0": "invalid_choice",
        "body.session_count": "too_small",
        "body.cadence": "invalid_choice",
    }
    errors = field_errors(
        await boss.client.post(BASE, json=programme_body(training_collection_id=str(uuid.uuid4())))
    )
    assert errors == {"body.training_collection_id": "training_not_required"}


async def test_applications_are_refused_with_field_codes(app: FastAPI, make_client: Any) -> None:
    _, pid = await open_programme(app, make_client)
    someone = await person(app, make_client)
    checks = [
        (apply(someone.client, pid, "both"), {"body.role": "both_needs_mutual"}),
        (apply(someone.client, pid, "mentor", capacity=None), {"body.capacity": "required"}),
        (apply(someone.client, pid, "mentee", capacity=2), {"body.capacity": "mentors_only"}),
        (apply(someone.client, pid, "mentor", capacity=4), {"body.capacity": "too_large"}),
        (
            apply(someone.client, pid, "mentor", teaches=[{"skill": "negotiation", "level": 4}]),
            {"body.teaches.0.skill": "not_a_topic"},
        ),
        (
            apply(
                someone.client,
                pid,
                "mentee",
                wants=[{"skill": "ai_assistants", "level": 2, "guidance": "exploit"}],
            ),
            {"body.wants.0.guidance": "guidance_not_offered"},
        ),
        (apply(someone.client, pid, "mentee", wants=[]), {"body.wants": "too_few_items"}),
        (
            apply(someone.client, pid, "mentor", teaches=[{"skill": "ai_assistants", "level": 5}]),
            {"body.teaches.0.level": "too_large"},
        ),
        (
            apply(
                someone.client,
                pid,
                "mentee",
                wants=[{"skill": "ai_assistants", "level": 4, "guidance": "discover"}],
            ),
            {"body.wants.0.level": "too_large"},
        ),
        (
            apply(
                someone.client,
                pid,
                "mentor",
                teaches=[
                    {"skill": "ai_assistants", "level": 4},
                    {"skill": "AI assistants", "level": 3},
                ],
            ),
            {"body.teaches": "duplicate_skill"},
        ),
        (
            apply(someone.client, pid, availability=["sun-am"]),
            {"body.availability.0": "invalid_choice"},
        ),
        (apply(someone.client, pid, availability=[]), {"body.availability": "too_few_items"}),
        (apply(someone.client, pid, languages=["de"]), {"body.languages.0": "invalid_choice"}),
        (apply(someone.client, pid, note="x" * 501), {"body.note": "too_long"}),
    ]
    for call, expected in checks:
        response = await call
        assert field_errors(response) == expected, response.text
    assert (await someone.client.get(f"{BASE}/{pid}/application")).json()[
        "code"
    ] == "no_application"


async def test_an_applicant_edits_withdraws_and_sees_only_their_own(
    app: FastAPI, make_client: Any
) -> None:
    boss, pid = await open_programme(app, make_client, pair_mode="mutual")
    mentor = await person(app, make_client, display_name="Zelda Quill", birth_year=1999)
    applied = await apply(mentor.client, pid, "both", capacity=1)
    assert applied.status_code == 200, applied.text
    mine = applied.json()
    assert (mine["role"], mine["selection"], mine["capacity"]) == ("both", "pending", 1)
    assert mine["wants"] == [{"skill": "ai_assistants", "level": 1, "guidance": "discover"}]

    rows = (await boss.client.get(f"{BASE}/{pid}/mentors")).json()
    assert [r["handle"] for r in rows] == [mine["handle"]]
    assert rows[0]["cohort"] == "gen_z"
    assert rows[0]["training_passed"] is None
    assert "Zelda" not in str(rows)
    assert mentor.email not in str(rows)
    selected = await boss.client.put(
        f"{BASE}/{pid}/mentors/{rows[0]['pseudonym']}/selection", json={"selection": "accepted"}
    )
    assert selected.json()["selection"] == "accepted"

    # An edit sends the application back to the lead; the handle stays.
    edited = await apply(mentor.client, pid, "both", capacity=3, availability=["fri-pm"])
    assert (edited.json()["selection"], edited.json()["capacity"]) == ("pending", 3)
    assert edited.json()["handle"] == mine["handle"]
    other = await person(app, make_client)
    assert (await other.client.get(f"{BASE}/{pid}/application")).status_code == 404
    unknown = await boss.client.put(
        f"{BASE}/{pid}/mentors/{uuid.uuid4()}/selection", json={"selection": "accepted"}
    )
    assert unknown.json()["code"] == "application_not_found"

    assert (await mentor.client.delete(f"{BASE}/{pid}/application")).status_code == 204
    assert (await mentor.client.get(f"{BASE}/{pid}/application")).status_code == 404
    assert (await boss.client.get(f"{BASE}/{pid}/mentors")).json() == []


async def test_training_shows_unknown_when_the_library_cannot_answer(
    app: FastAPI, make_client: Any
) -> None:
    boss, pid = await open_programme(
        app, make_client, training_required=True, training_collection_id=str(uuid.uuid4())
    )
    mentor = await person(app, make_client, birth_year=2001)
    assert (await apply(mentor.client, pid)).json()["training_passed"] is None
    mentee = await person(app, make_client, birth_year=1960)
    assert (await apply(mentee.client, pid, "mentee")).json()["training_passed"] is None
    rows = (await boss.client.get(f"{BASE}/{pid}/mentors")).json()
    assert [r["training_passed"] for r in rows] == [None]
    checked = await mentor.client.post(f"{BASE}/{pid}/application/training-check")
    assert checked.status_code == 200


async def test_training_passed_comes_from_the_mentors_own_library_record(
    app: FastAPI, make_client: Any
) -> None:
    writer = await library_lessons.facilitator(app, make_client)
    lesson = await library_lessons.published_lesson(writer.client, title="The right posture")
    collection = await writer.client.post(
        "/api/v1/library/collections",
        json={"title": "Mentor training", "lessons": [lesson["translation_group"]]},
    )
    assert collection.status_code == 201, collection.text
    boss, pid = await open_programme(
        app, make_client, training_required=True, training_collection_id=collection.json()["id"]
    )
    mentor = await person(app, make_client, birth_year=2001)
    assert (await apply(mentor.client, pid)).json()["training_passed"] is False
    rows = (await boss.client.get(f"{BASE}/{pid}/mentors")).json()
    assert [r["training_passed"] for r in rows] == [False]

    passed = await mentor.client.post(
        f"{library_lessons.LESSONS}/{lesson['id']}/attempts",
        json={"version": 1, "answers": [[1], [0, 2]]},
    )
    assert passed.status_code == 201, passed.text
    # The lead's row shows what the mentor's own request last computed...
    assert (await boss.client.get(f"{BASE}/{pid}/mentors")).json()[0]["training_passed"] is False
    checked = await mentor.client.post(f"{BASE}/{pid}/application/training-check")
    assert checked.json()["training_passed"] is True
    # ...and nobody else's request can ask the library about them.
    assert (await boss.client.get(f"{BASE}/{pid}/mentors")).json()[0]["training_passed"] is True

    # A mentor without the training waits outside the match, with the reason.
    untrained = await person(app, make_client, birth_year=2002)
    late_handle = (await apply(untrained.client, pid)).json()["handle"]
    mentee = await person(app, make_client, birth_year=1962)
    await apply(mentee.client, pid, "mentee")
    for row in (await boss.client.get(f"{BASE}/{pid}/mentors")).json():
        await boss.client.put(
            f"{BASE}/{pid}/mentors/{row['pseudonym']}/selection", json={"selection": "accepted"}
        )
    assert (await move(boss.client, pid, "matching")).status_code == 200
    started = await boss.client.post(f"{BASE}/{pid}/runs", json={"time_limit_s": 5})
    assert started.status_code == 202, started.text
    for _ in range(600):
        run = (await boss.client.get(f"{BASE}/{pid}/runs/{started.json()['id']}")).json()
        if run["status"] != "running":
            break
        await asyncio.sleep(0.1)
    assert run["status"] == "done", run
    assert [p["mentor"]["handle"] for p in run["proposal"]["pairs"]] == [checked.json()["handle"]]
    assert [(u["handle"], u["reason"]) for u in run["proposal"]["unmatched"]] == [
        (late_handle, "training_not_passed")
    ]


async def test_every_mentoring_route_needs_a_session(app: FastAPI, make_client: Any) -> None:
    """The part of tests/api/test_authorisation_matrix.py left to this file: nobody signed out
    gets anything, whatever the route."""
    _, pid = await open_programme(app, make_client)
    anonymous = make_client()
    await anonymous.csrf()
    ids = {
        "programme_id": pid,
        "run_id": str(uuid.uuid4()),
        "pseudonym": str(uuid.uuid4()),
        "account_id": str(uuid.uuid4()),
        "session_id": str(uuid.uuid4()),
        "point": "midpoint",
    }
    routes = [
        (method.upper(), path.format(**ids))
        for path, operations in app.openapi()["paths"].items()
        if path.startswith(BASE)
        for method in operations
    ]
    assert len(routes) >= 22
    for method, path in routes:
        response = await anonymous.request(method, path, json={})
        assert response.status_code == 401, (method, path, response.status_code)
