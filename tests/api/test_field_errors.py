"""Field errors people can understand (issue 19, "Errors people understand").

Every refused field comes with a stable `code` and the `params` its sentence needs, so that the
UI says it in the reader's language and marks the field; never pydantic's English, never the
value sent. The birth year follows one rule, the same for sign-up, the profile, an invitation
and a CSV import, and the forms read its bounds from the server.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI

from tests.api.people import challenge_body, create_challenge, person
from tests.conftest import PASSWORD, Client

THIS_YEAR = date.today().year
EARLIEST, LATEST = THIS_YEAR - 100, THIS_YEAR - 14


def _errors(response: Any, status: int = 422) -> list[dict[str, Any]]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors: list[dict[str, Any]] = response.json()["errors"]
    for error in errors:
        assert {"field", "code", "params", "message", "type"} <= error.keys()
    return errors


def _only(errors: list[dict[str, Any]], field: str) -> dict[str, Any]:
    matching = [e for e in errors if e["field"] == field]
    assert len(matching) == 1, errors
    return matching[0]


async def _sign_up(client: Client, **fields: Any) -> Any:
    await client.csrf()
    body = {"display_name": "Ada Field", "email": "ada.field@example.org", "password": PASSWORD}
    return await client.post("/api/v1/auth/sign-up", json=body | fields)


async def test_a_too_long_name_says_too_long_with_the_limit(client: Client) -> None:
    sent = "Zebulon" * 20
    response = await _sign_up(client, display_name=sent)
    error = _only(_errors(response), "body.display_name")
    assert (error["code"], error["params"]) == ("too_long", {"max_length": 100})
    assert sent not in response.text


async def test_missing_empty_and_malformed_fields_have_codes(client: Client) -> None:
    await client.csrf()
    missing = _errors(await client.post("/api/v1/auth/sign-up", json={"password": PASSWORD}))
    assert _only(missing, "body.email")["code"] == "required"
    assert _only(missing, "body.display_name")["code"] == "required"
    empty = _errors(await _sign_up(client, display_name=""))
    assert _only(empty, "body.display_name")["code"] == "required"
    response = await _sign_up(client, email="no-at-sign.example.org")
    email = _only(_errors(response), "body.email")
    assert (email["code"], email["params"]) == ("not_an_email", {})
    assert "no-at-sign" not in response.text
    words = _only(_errors(await _sign_up(client, birth_year="nineteen")), "body.birth_year")
    assert words["code"] == "not_a_number"


@pytest.mark.parametrize("year", [EARLIEST - 1, LATEST + 1, 1800, 2999])
async def test_a_birth_year_out_of_bounds_says_the_bounds(client: Client, year: int) -> None:
    response = await _sign_up(client, birth_year=year)
    error = _only(_errors(response), "body.birth_year")
    assert error["code"] == "out_of_range"
    assert error["params"] == {"min": EARLIEST, "max": LATEST}
    assert str(year) not in error["message"]


@pytest.mark.parametrize("year", [EARLIEST, LATEST])
async def test_the_bounds_themselves_are_accepted(client: Client, year: int) -> None:
    response = await _sign_up(client, birth_year=year, email=f"edge{year}@example.org")
    assert response.status_code == 202, response.text


async def test_the_forms_read_the_same_bounds_from_the_server(client: Client) -> None:
    rules = (await client.get("/api/v1/auth/profile-rules")).json()
    assert rules == {
        "birth_year": {"min": EARLIEST, "max": LATEST},
        "years_experience": {"min": 0, "max": 70},
    }


async def test_profile_and_csv_import_apply_the_same_birth_year_rule(
    app: FastAPI, make_client: Any, admin_client: Client
) -> None:
    """The CSV import accepted birth years back to 1906 while the sign-up form stopped at
    1930: one rule now, with one code and the same bounds wherever a birth year arrives."""
    someone = await person(app, make_client)
    profile = _errors(await someone.client.patch("/api/v1/me", json={"birth_year": EARLIEST - 1}))
    invitation = _errors(
        await admin_client.post(
            "/api/v1/admin/invitations",
            json={"display_name": "Old Timer", "email": "old@example.org", "birth_year": 1906},
        )
    )
    csv = "name,email,birth_year\nOld Timer,old@example.org,1906\nYoung,y@example.org,1990\n"
    preview = await admin_client.post(
        "/api/v1/admin/invitations/import?dry_run=true",
        files={"file": ("people.csv", csv.encode(), "text/csv")},
    )
    rows = [e for e in preview.json()["errors"] if e["field"] == "birth_year"]
    assert [row["row"] for row in rows] == [2]
    expected = ("out_of_range", {"min": EARLIEST, "max": LATEST})
    assert (_only(profile, "body.birth_year")["code"], profile[0]["params"]) == expected
    assert (_only(invitation, "body.birth_year")["code"], invitation[0]["params"]) == expected
    assert (rows[0]["code"], rows[0]["params"]) == expected


async def test_team_sizes_out_of_order_say_so(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    body = challenge_body(team_size={"min": 5, "target": 4, "max": 6})
    errors = _errors(await facilitator.client.post("/api/v1/challenges", json=body))
    error = _only(errors, "body.team_size")
    assert error["code"] == "team_sizes_order"
    too_big = challenge_body(team_size={"min": 3, "target": 5, "max": 21})
    big = _only(
        _errors(await facilitator.client.post("/api/v1/challenges", json=too_big)),
        "body.team_size.max",
    )
    assert (big["code"], big["params"]) == ("too_large", {"max": 20})


async def test_schedule_out_of_order_says_so_on_create_and_edit(
    app: FastAPI, make_client: Any
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    backwards = {
        "enrolment_opens_at": "2030-12-10T09:00:00Z",
        "teamwork_starts_at": "2030-12-01T09:00:00Z",
    }
    created = _errors(
        await facilitator.client.post("/api/v1/challenges", json=challenge_body(schedule=backwards))
    )
    assert _only(created, "body.schedule")["code"] == "schedule_order"
    challenge = await create_challenge(
        facilitator.client, schedule={"enrolment_opens_at": "2030-12-10T09:00:00Z"}
    )
    # Only the later date is sent: it is out of order with the stored one (InvalidSchedule).
    edited = await facilitator.client.patch(
        f"/api/v1/challenges/{challenge['id']}",
        json={
            "revision": challenge["revision"],
            "schedule": {"teamwork_starts_at": "2030-12-01T09:00:00Z"},
        },
    )
    assert edited.json()["code"] == "invalid_schedule"
    assert _only(_errors(edited, 400), "body.schedule")["code"] == "schedule_order"


async def test_a_weak_password_says_the_rule_and_its_number(client: Client) -> None:
    response = await _sign_up(client, password="short pass")
    error = _only(_errors(response), "body.password")
    assert (error["code"], error["params"]) == ("too_short", {"min_length": 12})
    assert response.json()["code"] == "weak_password"
    common = _only(_errors(await _sign_up(client, password="password1234")), "body.password")
    assert (common["code"], common["params"]) == ("too_common", {})


def test_every_code_the_server_sends_has_a_sentence_in_the_ui() -> None:
    """A code the UI does not know would read as the generic sentence: each one the server
    can send is listed in frontend/src/api/fieldErrors.ts (whose Vitest test checks that each
    has its sentence in en, fr and es)."""
    import re
    from pathlib import Path

    from app.errors import _PYDANTIC_CODES, CUSTOM_CODES
    from app.vault import passwords

    source = Path(__file__).parents[2] / "frontend" / "src" / "api" / "fieldErrors.ts"
    table = source.read_text(encoding="utf-8").split("FIELD_ERROR_CODES = {", 1)[1]
    table = table.split("} as const", 1)[0]
    known = set(re.findall(r"^\s+(\w+):", table, flags=re.MULTILINE))
    sent = {code for code, _ in _PYDANTIC_CODES.values()} | CUSTOM_CODES
    sent |= {"required", "body_unreadable", *passwords.REASONS}
    assert sorted(sent - known) == []
