"""Every route x every kind of viewer x a resource: the status code each one gets.

Viewers: anonymous, member of team A, member of team B (the other team), a participant of
another challenge only, the facilitator who created the challenge, a co-facilitator it added, a
facilitator of other challenges only, an admin without the facilitator role. Resources someone
may not see answer 404, not 403, so that their existence is not revealed: a facilitator manages
only the challenges it facilitates, and gets 404 from the management routes of the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from tests.api.people import challenge_body, create_challenge, join, move, person
from tests.conftest import Client, client_for

ANON, MEMBER_A, MEMBER_B, OUTSIDER, FACILITATOR, CO_FACILITATOR, OTHER_FACILITATOR, ADMIN = (
    "anonymous",
    "member_a",
    "member_b",
    "outsider",
    "facilitator",
    "co_facilitator",
    "other_facilitator",
    "admin",
)
VIEWERS = (
    ANON,
    MEMBER_A,
    MEMBER_B,
    OUTSIDER,
    FACILITATOR,
    CO_FACILITATOR,
    OTHER_FACILITATOR,
    ADMIN,
)


@dataclass
class Case:
    method: str
    path: str
    expected: dict[str, int]
    json: Any = None
    files: Any = None


# The challenge's own facilitators (its creator and a co-facilitator it added) and the others.
MANAGERS = {FACILITATOR: 200, CO_FACILITATOR: 200}


def _fac(creator: int, *, other: int = 404, co: int | None = None, **rest: int) -> dict[str, int]:
    """A management route: the creator and co-facilitator get `creator` (or `co`), facilitators
    of other challenges `other` (404: not theirs), everyone else 403 (no facilitator role)."""
    return {
        MEMBER_A: 403,
        MEMBER_B: 403,
        OUTSIDER: 403,
        ADMIN: 403,
        FACILITATOR: creator,
        CO_FACILITATOR: creator if co is None else co,
        OTHER_FACILITATOR: other,
        **rest,
    }


def _not_managers(status: int, **rest: int) -> dict[str, int]:
    """Every signed-in viewer gets `status` unless named."""
    return dict.fromkeys(VIEWERS[1:], status) | rest


def cases(w: dict[str, str]) -> list[Case]:
    c, d, a = w["challenge"], w["draft"], w["team_a"]
    everyone_signed_in = _not_managers(200)
    facilitator_only = _fac(200)
    team_a_only = _not_managers(404, **{MEMBER_A: 200})
    return [
        Case("GET", "/api/v1/challenges", everyone_signed_in),
        Case("GET", f"/api/v1/challenges/{c}", everyone_signed_in),
        # A draft: its creator's alone (the co-facilitator was added to the other challenge).
        Case("GET", f"/api/v1/challenges/{d}", _not_managers(404, **{FACILITATOR: 200})),
        Case("PATCH", f"/api/v1/challenges/{c}", facilitator_only, {"title": "Renamed challenge"}),
        Case("POST", f"/api/v1/challenges/{c}/phase", facilitator_only, {"phase": "teamwork"}),
        Case("GET", f"/api/v1/challenges/{c}/participants", facilitator_only),
        Case(
            "GET",
            f"/api/v1/challenges/{c}/teams",
            _not_managers(404, **{MEMBER_A: 200, MEMBER_B: 200}, **MANAGERS),
        ),
        Case(
            "GET",
            f"/api/v1/challenges/{c}/enrolment",
            _not_managers(404, **{MEMBER_A: 200, MEMBER_B: 200}),
        ),
        Case("GET", f"/api/v1/challenges/{c}/submissions", _not_managers(409)),
        Case("GET", f"/api/v1/teams/{a}", _not_managers(404, **{MEMBER_A: 200}, **MANAGERS)),
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
            _fac(204),
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
        Case("GET", "/api/v1/admin/accounts", _not_managers(403, **{ADMIN: 200})),
        Case("GET", "/api/v1/mail/outbox", _not_managers(403, **{ADMIN: 200})),
        # Aggregates for facilitators (their own challenges) and admins (the organisation).
        Case(
            "GET",
            "/api/v1/insights",
            _not_managers(
                403, **dict.fromkeys((FACILITATOR, CO_FACILITATOR, OTHER_FACILITATOR, ADMIN), 200)
            ),
        ),
        Case("GET", "/api/v1/me", everyone_signed_in),
        *facilitator_cases(w),
        *more_cases(w),
    ]


def facilitator_cases(w: dict[str, str]) -> list[Case]:
    """A challenge's facilitators: only they list, add and remove them."""
    url = f"/api/v1/challenges/{w['challenge']}/facilitators"
    return [
        Case("GET", url, _fac(200)),
        # Adding the same person again changes nothing: 201 for each of the challenge's own.
        Case("POST", url, _fac(201), {"email": w["spare_facilitator_email"]}),
        Case("DELETE", f"{url}/{w['creator_account']}", _fac(409)),  # the creator stays
        Case("DELETE", f"{url}/{UNKNOWN}", _fac(404)),
    ]


NOBODY_FOUND = _not_managers(404)
UNKNOWN = "00000000-0000-4000-8000-000000000001"
CSV = "display_name,email\nNew Person,new.person@example.org\n"


def more_cases(w: dict[str, str]) -> list[Case]:
    """The rest of the API, with the challenge in teamwork: what each viewer may do now."""
    c, a = w["challenge"], w["team_a"]
    signed_in = _not_managers(200)
    facilitator_only = _fac(200)
    admin_only = _not_managers(403, **{ADMIN: 200})
    team_a_only = _not_managers(404, **{MEMBER_A: 200})
    members_only = _not_managers(404, **{MEMBER_A: 200, MEMBER_B: 200})
    formations = f"/api/v1/challenges/{c}/formations"
    return [
        # Anyone with the facilitator role creates challenges.
        Case(
            "POST",
            "/api/v1/challenges",
            _fac(201, other=201),
            challenge_body(),
        ),
        # Enrolment and self-formed teams are closed once teamwork starts.
        Case(
            "POST",
            f"/api/v1/challenges/{c}/enrolment",
            _not_managers(409),
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
            _not_managers(
                404, **{MEMBER_A: 409, MEMBER_B: 409, FACILITATOR: 201, CO_FACILITATOR: 201}
            ),
        ),
        Case(
            "POST",
            "/api/v1/teams/join",
            _not_managers(404, **{MEMBER_A: 409, MEMBER_B: 409}),
            {"code": w["team_a_code"]},
        ),
        Case("DELETE", f"/api/v1/teams/{a}/membership", {**NOBODY_FOUND, MEMBER_A: 409}),
        Case(
            "PATCH", f"/api/v1/teams/{a}/messages/{w['message_a']}", team_a_only, {"body": "edited"}
        ),
        Case("GET", f"/api/v1/teams/{a}/submission/versions/1", team_a_only),
        Case(
            "POST",
            f"/api/v1/teams/{a}/submission/restore",
            team_a_only,
            {"version": 1, "base_version": 1},
        ),
        # A team's submission and feedback: its challenge's facilitators only; the team reads
        # the feedback it was given.
        Case("GET", f"/api/v1/challenges/{c}/teams/{a}/submission", facilitator_only),
        Case("GET", f"/api/v1/challenges/{c}/teams/{a}/submission/versions/1", facilitator_only),
        Case(
            "POST", f"/api/v1/challenges/{c}/teams/{a}/feedback", _fac(201), {"body": "Well done"}
        ),
        Case("GET", f"/api/v1/challenges/{c}/teams/{a}/feedback", facilitator_only),
        Case("GET", f"/api/v1/teams/{a}/feedback", team_a_only),
        # Formations: the challenge's facilitators only, and closed in teamwork.
        Case("POST", formations, _fac(409), {}),
        Case("GET", formations, facilitator_only),
        Case("GET", f"{formations}/{UNKNOWN}", _fac(404)),
        Case(
            "PATCH",
            f"{formations}/{UNKNOWN}",
            _fac(404),
            {"moves": [{"pseudonym": UNKNOWN, "to_team": 0}]},
        ),
        Case("POST", f"{formations}/{UNKNOWN}/publish", _fac(404)),
        # Review rounds and results do not exist before review and closing.
        Case("GET", f"/api/v1/challenges/{c}/review-round", NOBODY_FOUND),
        Case("GET", f"/api/v1/challenges/{c}/review-round/tokens", NOBODY_FOUND),
        Case(
            "POST",
            f"/api/v1/challenges/{c}/review-round/tokens",
            NOBODY_FOUND,
            {"blinded": [{"submission_id": UNKNOWN, "blinded_message": "AAAA"}]},
        ),
        Case("GET", f"/api/v1/challenges/{c}/review-round/wallet", NOBODY_FOUND),
        Case(
            "PUT",
            f"/api/v1/challenges/{c}/review-round/wallet",
            NOBODY_FOUND,
            {"blob": "AAAA"},
        ),
        Case("GET", f"/api/v1/teams/{a}/reviews", team_a_only),  # "not yet", to its members only
        Case("GET", f"/api/v1/challenges/{c}/results", {**members_only, **MANAGERS}),
        # Your own things.
        Case("GET", "/api/v1/me/record", signed_in),
        Case("GET", "/api/v1/me/export", signed_in),
        Case("GET", "/api/v1/me/audit", signed_in),
        Case("PATCH", "/api/v1/me", signed_in, {"language": "fr"}),
        Case("GET", "/api/v1/me/notifications", signed_in),
        Case("GET", "/api/v1/me/mail-preferences", signed_in),
        Case("PUT", "/api/v1/me/mail-preferences", signed_in, {"ideas": "off"}),
        Case("GET", "/api/v1/me/next", signed_in),  # what's next: one's own actions only
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
        Case("GET", "/api/v1/admin/scim-tokens", admin_only),
        Case(
            "POST",
            "/api/v1/admin/scim-tokens",
            _not_managers(403, **{ADMIN: 201}),
            {"provider": "Entra ID"},
        ),
        Case(
            "POST",
            "/api/v1/admin/scim-tokens/00000000-0000-4000-8000-000000000000/revoke",
            _not_managers(403, **{ADMIN: 404}),
        ),
        # Last: team A's final, withdrawn by a member, then final again.
        Case("POST", f"/api/v1/teams/{a}/submission/final", team_a_only),
        Case("DELETE", f"/api/v1/teams/{a}/submission/final", team_a_only),
        Case("POST", f"/api/v1/teams/{a}/submission/final", team_a_only),
    ]


async def _world(app: FastAPI, make_client: Any) -> tuple[dict[str, Client], dict[str, str]]:
    facilitator = await person(app, make_client, roles=["facilitator"])
    co_facilitator = await person(app, make_client, roles=["facilitator"])
    other_facilitator = await person(app, make_client, roles=["facilitator"])
    spare_facilitator = await person(app, make_client, roles=["facilitator"])
    admin = await person(app, make_client, roles=["admin"])
    member_a = await person(app, make_client, birth_year=1970)
    member_b = await person(app, make_client, birth_year=1995)
    outsider = await person(app, make_client, birth_year=1985)
    challenge = await create_challenge(facilitator.client)
    other = await create_challenge(facilitator.client)
    draft = await create_challenge(facilitator.client)
    added = await facilitator.client.post(
        f"/api/v1/challenges/{challenge['id']}/facilitators", json={"email": co_facilitator.email}
    )
    assert added.status_code == 201, added.text
    # The other facilitator facilitates a challenge of its own, and only that one.
    await create_challenge(other_facilitator.client)
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
        CO_FACILITATOR: co_facilitator.client,
        OTHER_FACILITATOR: other_facilitator.client,
        ADMIN: admin.client,
    }
    ids = {
        "challenge": challenge["id"],
        "draft": draft["id"],
        "team_a": team_a["id"],
        "team_b": team_b["id"],
        "member_b_pseudonym": member_b_pseudonym,
        "member_a_account": str(member_a.account_id),
        "creator_account": str(facilitator.account_id),
        "spare_facilitator_email": spare_facilitator.email,
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
        "GET /api/v1/auth/profile-rules",  # public bounds for the sign-up form: test_field_errors
        "POST /api/v1/auth/sign-up",
        "POST /api/v1/auth/sign-up/confirmations",  # anonymous by design: test_enumeration.py
        "POST /api/v1/auth/sign-up/invitation",  # the code's holder: test_invitation_sign_up
        "POST /api/v1/me/email-confirmations",  # a code its own account only: test_enumeration
        "POST /api/v1/auth/sign-in",
        "POST /api/v1/auth/sign-out",
        "POST /api/v1/auth/sign-out-everywhere",  # test_auth.py
        "DELETE /api/v1/me",  # erasure would end the viewer's account: tests/api/test_me.py
        "POST /api/v1/reviews",
        "POST /api/v1/reviews/receipts",
        "POST /api/v1/reviews/comment-check",  # anonymous by design
        "POST /api/v1/ratings",
        "POST /api/v1/ratings/receipts",
        "POST /api/v1/ratings/comment-check",  # anonymous by design: tests/api/test_ratings.py
        # Posted by a mail reader with its signed link alone (RFC 8058), by design:
        # tests/api/test_mail_unsubscribe.py.
        "POST /api/v1/mail/unsubscribe/{}",
    }
    ids = {k: "{" + k + "}" for k in ("challenge", "draft", "team_a", "team_b")}
    ids |= {"member_b_pseudonym": "{pseudonym}", "member_a_account": "{account_id}"}
    ids |= {"creator_account": "{account_id}", "spare_facilitator_email": "x"}
    ids |= {"message_a": "{message_id}", "team_a_code": "x"}
    covered = set()
    for case in cases(ids):
        path = case.path.split("?")[0]
        path = path.replace(UNKNOWN, "{id}").replace("00000000-0000-4000-8000-000000000000", "{id}")
        covered.add(f"{case.method} {_normalise(path)}")
    schema = create_app().openapi()
    routes = {f"{m.upper()} {_normalise(p)}" for p, ops in schema["paths"].items() for m in ops}
    # The learning library has a matrix of its own (tests/api/test_library_*.py): anonymous
    # 401 on every route, employees 403 on writes and 404 on drafts, notes and attempts read
    # by their author alone.
    elsewhere |= {route for route in routes if " /api/v1/library/" in route}
    # Mentoring programmes too (tests/api/test_mentoring_programmes.py): anonymous 401 on
    # every route; participants, other facilitators and admins against the leads.
    elsewhere |= {route for route in routes if " /api/v1/programmes" in route}
    # Single sign-on (tests/api/test_oidc.py): sign-in methods and the provider's redirects are
    # public by design; linking needs a session (401 there without one).
    elsewhere |= {route for route in routes if " /api/v1/auth/oidc/" in route}
    elsewhere |= {"GET /api/v1/auth/methods"}
    # The idea library, search and calendars (tests/api/test_ideas.py: anonymous 401 on every
    # route; members only on a team's proposal, facilitators and admins on curation;
    # tests/api/test_calendars.py: a private feed is read with its link alone, by design).
    elsewhere |= {
        route
        for route in routes
        if any(
            part in route for part in (" /api/v1/ideas", "/idea", " /api/v1/search", "/calendar")
        )
    }
    assert sorted(routes - covered - elsewhere) == []


def _normalise(path: str) -> str:
    """Every path parameter reads {}: the matrix's ids and the schema's names compare equal."""
    import re

    return re.sub(r"\{[^}]*\}|/1$", lambda m: "{}" if m.group(0).startswith("{") else "/{}", path)
