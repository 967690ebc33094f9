"""Every route x every kind of viewer x a resource: the status code each one gets.

Viewers: anonymous, member of team A, member of team B (the other team), a participant of
another challenge only, a facilitator, an admin without the facilitator role. Resources someone
may not see answer 404, not 403, so that their existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from tests.api.people import challenge_body, create_challenge, join, move, person
from tests.conftest import Client, client_for

ANON, MEMBER_A, MEMBER_B, OUTSIDER, FACILITATOR, ADMIN = (
    "anonymous",
    "member_a",
    "member_b",
    "outsider",
    "facilitator",
    "admin",
)
VIEWERS = (ANON, MEMBER_A, MEMBER_B, OUTSIDER, FACILITATOR, ADMIN)


@dataclass
class Case:
    method: str
    path: str
    expected: dict[str, int]
    json: Any = None
    files: Any = None


def cases(w: dict[str, str]) -> list[Case]:
    c, d, a = w["challenge"], w["draft"], w["team_a"]
    everyone_signed_in = {MEMBER_A: 200, MEMBER_B: 200, OUTSIDER: 200, FACILITATOR: 200, ADMIN: 200}
    facilitator_only = {MEMBER_A: 403, MEMBER_B: 403, OUTSIDER: 403, FACILITATOR: 200, ADMIN: 403}
    team_a_only = {MEMBER_A: 200, MEMBER_B: 404, OUTSIDER: 404, FACILITATOR: 404, ADMIN: 404}
    return [
        Case("GET", "/api/v1/challenges", everyone_signed_in),
        Case("GET", f"/api/v1/challenges/{c}", everyone_signed_in),
        Case(
            "GET",
            f"/api/v1/challenges/{d}",
            {MEMBER_A: 404, MEMBER_B: 404, OUTSIDER: 404, FACILITATOR: 200, ADMIN: 404},
        ),
        Case("PATCH", f"/api/v1/challenges/{c}", facilitator_only, {"title": "Renamed challenge"}),
        Case("POST", f"/api/v1/challenges/{c}/phase", facilitator_only, {"phase": "teamwork"}),
        Case("GET", f"/api/v1/challenges/{c}/participants", facilitator_only),
        Case(
            "GET",
            f"/api/v1/challenges/{c}/teams",
            {MEMBER_A: 200, MEMBER_B: 200, OUTSIDER: 404, FACILITATOR: 200, ADMIN: 404},
        ),
        Case(
            "GET",
            f"/api/v1/challenges/{c}/enrolment",
            {MEMBER_A: 200, MEMBER_B: 200, OUTSIDER: 404, FACILITATOR: 404, ADMIN: 404},
        ),
        Case(
            "GET",
            f"/api/v1/challenges/{c}/submissions",
            {MEMBER_A: 409, MEMBER_B: 409, OUTSIDER: 409, FACILITATOR: 409, ADMIN: 409},
        ),
        Case(
            "GET",
            f"/api/v1/teams/{a}",
            {MEMBER_A: 200, MEMBER_B: 404, OUTSIDER: 404, FACILITATOR: 200, ADMIN: 404},
        ),
        Case("GET", f"/api/v1/teams/{a}/messages", team_a_only),
        Case(
            "POST", f"/api/v1/teams/{a}/messages", {**team_a_only, MEMBER_A: 201}, {"body": "hello"}
        ),
        Case("GET", f"/api/v1/teams/{a}/submission", team_a_only),
        Case(
            "PUT",
            f"/api/v1/teams/{a}/submission",
            team_a_only,
            {"base_version": 0, "title": "Plan"},
        ),
        Case(
            "PUT",
            f"/api/v1/challenges/{c}/participants/{w['member_b_pseudonym']}/team",
            {MEMBER_A: 403, MEMBER_B: 403, OUTSIDER: 403, FACILITATOR: 204, ADMIN: 403},
            {"team_id": w["team_b"]},
        ),
        Case(
            "GET",
            "/api/v1/challenges/00000000-0000-4000-8000-000000000000",
            {v: 404 for v in VIEWERS if v != ANON},
        ),
        Case(
            "GET",
            "/api/v1/teams/00000000-0000-4000-8000-000000000000/messages",
            {v: 404 for v in VIEWERS if v != ANON},
        ),
        Case(
            "GET",
            "/api/v1/admin/accounts",
            {MEMBER_A: 403, MEMBER_B: 403, OUTSIDER: 403, FACILITATOR: 403, ADMIN: 200},
        ),
        Case("GET", "/api/v1/me", everyone_signed_in),
        *more_cases(w),
    ]


NOBODY_FOUND = {MEMBER_A: 404, MEMBER_B: 404, OUTSIDER: 404, FACILITATOR: 404, ADMIN: 404}
UNKNOWN = "00000000-0000-4000-8000-000000000001"
CSV = "display_name,email\nNew Person,new.person@example.org\n"


def more_cases(w: dict[str, str]) -> list[Case]:
    """The rest of the API, with the challenge in teamwork: what each viewer may do now."""
    c, a = w["challenge"], w["team_a"]
    signed_in = {MEMBER_A: 200, MEMBER_B: 200, OUTSIDER: 200, FACILITATOR: 200, ADMIN: 200}
    facilitator_only = {MEMBER_A: 403, MEMBER_B: 403, OUTSIDER: 403, FACILITATOR: 200, ADMIN: 403}
    admin_only = {MEMBER_A: 403, MEMBER_B: 403, OUTSIDER: 403, FACILITATOR: 403, ADMIN: 200}
    team_a_only = {MEMBER_A: 200, MEMBER_B: 404, OUTSIDER: 404, FACILITATOR: 404, ADMIN: 404}
    members_only = {MEMBER_A: 200, MEMBER_B: 200, OUTSIDER: 404, FACILITATOR: 404, ADMIN: 404}
    formations = f"/api/v1/challenges/{c}/formations"
    return [
        Case(
            "POST", "/api/v1/challenges", {**facilitator_only, FACILITATOR: 201}, challenge_body()
        ),
        # Enrolment and self-formed teams are closed once teamwork starts.
        Case(
            "POST",
            f"/api/v1/challenges/{c}/enrolment",
            {
                **signed_in,
                MEMBER_A: 409,
                MEMBER_B: 409,
                OUTSIDER: 409,
                FACILITATOR: 409,
                ADMIN: 409,
            },
            {"teach": [], "learn": []},
        ),
        Case(
            "DELETE",
            f"/api/v1/challenges/{c}/enrolment",
            {**NOBODY_FOUND, MEMBER_A: 409, MEMBER_B: 409},
        ),
        Case(
            "POST",
            f"/api/v1/challenges/{c}/teams",
            {MEMBER_A: 409, MEMBER_B: 409, OUTSIDER: 404, FACILITATOR: 201, ADMIN: 404},
        ),
        Case(
            "POST",
            "/api/v1/teams/join",
            {MEMBER_A: 409, MEMBER_B: 409, OUTSIDER: 404, FACILITATOR: 404, ADMIN: 404},
            {"code": w["team_a_code"]},
        ),
        Case("DELETE", f"/api/v1/teams/{a}/membership", {**NOBODY_FOUND, MEMBER_A: 409}),
        Case(
            "PATCH", f"/api/v1/teams/{a}/messages/{w['message_a']}", team_a_only, {"body": "edited"}
        ),
        Case("GET", f"/api/v1/teams/{a}/submission/versions/1", team_a_only),
        # Formations: facilitators only, and closed in teamwork.
        Case("POST", formations, {**facilitator_only, FACILITATOR: 409}, {}),
        Case("GET", formations, facilitator_only),
        Case("GET", f"{formations}/{UNKNOWN}", {**facilitator_only, FACILITATOR: 404}),
        Case(
            "PATCH",
            f"{formations}/{UNKNOWN}",
            {**facilitator_only, FACILITATOR: 404},
            {"moves": [{"pseudonym": UNKNOWN, "to_team": 0}]},
        ),
        Case("POST", f"{formations}/{UNKNOWN}/publish", {**facilitator_only, FACILITATOR: 404}),
        # Review rounds and results do not exist before review and closing.
        Case(
            "GET",
            f"/api/v1/challenges/{c}/review-round",
            {**members_only, MEMBER_A: 404, MEMBER_B: 404, FACILITATOR: 404},
        ),
        Case(
            "GET",
            f"/api/v1/challenges/{c}/review-round/tokens",
            {**members_only, MEMBER_A: 404, MEMBER_B: 404},
        ),
        Case(
            "POST",
            f"/api/v1/challenges/{c}/review-round/tokens",
            {**members_only, MEMBER_A: 404, MEMBER_B: 404},
            {"blinded": [{"submission_id": UNKNOWN, "blinded_message": "AAAA"}]},
        ),
        Case(
            "GET",
            f"/api/v1/challenges/{c}/review-round/wallet",
            {**members_only, MEMBER_A: 404, MEMBER_B: 404},
        ),
        Case(
            "PUT",
            f"/api/v1/challenges/{c}/review-round/wallet",
            {**members_only, MEMBER_A: 404, MEMBER_B: 404},
            {"blob": "AAAA"},
        ),
        Case("GET", f"/api/v1/teams/{a}/reviews", team_a_only),  # "not yet", to its members only
        Case("GET", f"/api/v1/challenges/{c}/results", {**members_only, FACILITATOR: 200}),
        # Your own things.
        Case("GET", "/api/v1/me/record", signed_in),
        Case("GET", "/api/v1/me/export", signed_in),
        Case("GET", "/api/v1/me/audit", signed_in),
        Case("PATCH", "/api/v1/me", signed_in, {"language": "fr"}),
        Case("GET", "/api/v1/me/notifications", signed_in),
        Case("POST", f"/api/v1/me/notifications/{UNKNOWN}/read", NOBODY_FOUND),
        # Administration.
        Case(
            "POST",
            "/api/v1/admin/invitations",
            {**admin_only, ADMIN: 201},
            {"display_name": "Invited Person", "email": "invited@example.org"},
        ),
        Case(
            "POST",
            "/api/v1/admin/invitations/import?dry_run=true",
            admin_only,
            files={"file": ("people.csv", CSV, "text/csv")},
        ),
        Case(
            "PATCH",
            f"/api/v1/admin/accounts/{w['member_a_account']}",
            admin_only,
            {"roles": ["participant"]},
        ),
        Case("GET", "/api/v1/admin/keys", admin_only),
        # Last: locks team A's submission.
        Case("POST", f"/api/v1/teams/{a}/submission/final", team_a_only),
    ]


async def _world(app: FastAPI, make_client: Any) -> tuple[dict[str, Client], dict[str, str]]:
    facilitator = await person(app, make_client, roles=["facilitator"])
    admin = await person(app, make_client, roles=["admin"])
    member_a = await person(app, make_client, birth_year=1970)
    member_b = await person(app, make_client, birth_year=1995)
    outsider = await person(app, make_client, birth_year=1985)
    challenge = await create_challenge(facilitator.client)
    other = await create_challenge(facilitator.client)
    draft = await create_challenge(facilitator.client)
    for item in (challenge, other):
        await move(facilitator.client, item["id"], "enrolment")
    await join(member_a.client, challenge["id"])
    await join(member_b.client, challenge["id"])
    await join(outsider.client, other["id"])
    team_a = (await member_a.client.post(f"/api/v1/challenges/{challenge['id']}/teams")).json()
    team_b = (await member_b.client.post(f"/api/v1/challenges/{challenge['id']}/teams")).json()
    assert (await move(facilitator.client, challenge["id"], "teamwork")).status_code == 200
    participants = (
        await facilitator.client.get(f"/api/v1/challenges/{challenge['id']}/participants")
    ).json()["items"]
    message_a = await member_a.client.post(
        f"/api/v1/teams/{team_a['id']}/messages", json={"body": "first"}
    )
    member_b_pseudonym = next(p["pseudonym"] for p in participants if p["team_id"] == team_b["id"])
    anonymous = make_client()
    await anonymous.csrf()
    viewers = {
        ANON: anonymous,
        MEMBER_A: member_a.client,
        MEMBER_B: member_b.client,
        OUTSIDER: outsider.client,
        FACILITATOR: facilitator.client,
        ADMIN: admin.client,
    }
    ids = {
        "challenge": challenge["id"],
        "draft": draft["id"],
        "team_a": team_a["id"],
        "team_b": team_b["id"],
        "member_b_pseudonym": member_b_pseudonym,
        "member_a_account": str(member_a.account_id),
        "message_a": message_a.json()["id"],
        "team_a_code": team_a["join_code"],
    }
    return viewers, ids


async def test_every_route_for_every_viewer(app: FastAPI, make_client: Any) -> None:
    viewers, ids = await _world(app, make_client)
    mismatches = []
    checked = 0
    for case in cases(ids):
        expected = {ANON: 401, **case.expected}
        for viewer in VIEWERS:
            response = await viewers[viewer].request(
                case.method, case.path, json=case.json, files=case.files
            )
            checked += 1
            if response.status_code != expected[viewer]:
                mismatches.append(
                    f"{case.method} {case.path} as {viewer}: {response.status_code} "
                    f"(expected {expected[viewer]}) {response.text[:120]}"
                )
            if response.status_code >= 400:
                assert response.headers["content-type"] == "application/problem+json"
    assert not mismatches, "\n".join(mismatches)
    assert checked == len(cases(ids)) * len(VIEWERS)


async def test_anonymous_client_without_any_cookie_gets_401(app: FastAPI) -> None:
    async with client_for(app) as bare:
        response = await bare.get("/api/v1/challenges")
    assert response.status_code == 401


def test_the_matrix_covers_every_route() -> None:
    """A new route must join the matrix (or be listed here with the reason it is elsewhere)."""
    from app.main import create_app

    elsewhere = {
        "GET /api/v1/health",
        "GET /api/v1/ready",  # public by design (tests/api/test_system.py)
        "GET /api/v1/auth/csrf",
        "POST /api/v1/auth/sign-up",
        "POST /api/v1/auth/sign-in",
        "POST /api/v1/auth/sign-out",
        "POST /api/v1/auth/sign-out-everywhere",  # test_auth.py
        "DELETE /api/v1/me",  # erasure would end the viewer's account: tests/api/test_me.py
        "POST /api/v1/reviews",
        "POST /api/v1/reviews/receipts",
        "POST /api/v1/reviews/comment-check",  # anonymous by design
    }
    ids = {k: "{" + k + "}" for k in ("challenge", "draft", "team_a", "team_b")}
    ids |= {"member_b_pseudonym": "{pseudonym}", "member_a_account": "{account_id}"}
    ids |= {"message_a": "{message_id}", "team_a_code": "x"}
    covered = set()
    for case in cases(ids):
        path = case.path.split("?")[0]
        path = path.replace(UNKNOWN, "{id}").replace("00000000-0000-4000-8000-000000000000", "{id}")
        covered.add(f"{case.method} {_normalise(path)}")
    schema = create_app().openapi()
    routes = {f"{m.upper()} {_normalise(p)}" for p, ops in schema["paths"].items() for m in ops}
    assert sorted(routes - covered - elsewhere) == []


def _normalise(path: str) -> str:
    """Every path parameter reads {}: the matrix's ids and the schema's names compare equal."""
    import re

    return re.sub(r"\{[^}]*\}|/1$", lambda m: "{}" if m.group(0).startswith("{") else "/{}", path)
