"""Issue 19, "A product people enjoy": the administration's dead ends.

Before: a CSV import answered "3 people invited" and showed no code, so an imported person
could never get in (their open sign-up only mailed a notice that leads nowhere); the check
showed a count, not the people; the account list had no search.
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from app.cache.changes import ChangeCounts
from app.vault.models import AuditEvent
from tests.api.people import person
from tests.api.test_admin import GOOD_CSV, csv_file
from tests.conftest import PASSWORD, Client

IMPORT = "/api/v1/admin/invitations/import"
VARYING_HEADERS = {"date", "x-request-id"}


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in VARYING_HEADERS}


async def _open_sign_up(client: Client, email: str, **profile: Any) -> httpx.Response:
    await client.csrf()
    return await client.post(
        "/api/v1/auth/sign-up",
        json={"display_name": "Pat Newcomer", "email": email, "password": PASSWORD, **profile},
    )


class TestImportShowsPeopleAndCodes:
    async def test_the_check_previews_every_row_with_its_problems(
        self, admin_client: Client
    ) -> None:
        bad = GOOD_CSV + "Twin,ines@example.org,,,,\nBad Year,b@example.org,1800,,,\n"
        result = (await admin_client.post(f"{IMPORT}?dry_run=true", files=csv_file(bad))).json()
        assert [(r["row"], r["display_name"], r["email"], r["role"]) for r in result["rows"]] == [
            (2, "Ines Import", "ines@example.org", "participant"),
            (3, "Oscar Import", "oscar@example.org", "facilitator"),
            (4, "Twin", "ines@example.org", "participant"),
            (5, "Bad Year", "b@example.org", "participant"),
        ]
        ines, oscar = result["rows"][:2]
        assert ines["cohort"]
        assert oscar["cohort"]
        assert ines["cohort"] != oscar["cohort"]
        assert ines["department"] == "Sales"
        # Each problem has a stable code (translated by the page), with what it refers to.
        assert [(e["row"], e["field"], e["code"], e["params"]) for e in result["errors"]] == [
            (4, "email", "duplicate_email", {"row": 2}),
            (5, "birth_year", "out_of_range", result["errors"][1]["params"]),
        ]
        assert set(result["errors"][1]["params"]) == {"min", "max"}

    async def test_a_bad_header_has_a_code_too(self, admin_client: Client) -> None:
        result = await admin_client.post(
            f"{IMPORT}?dry_run=true", files=csv_file("name,phone\nA,1\n")
        )
        [error] = result.json()["errors"]
        assert (error["code"], error["params"]) == ("missing_columns", {"columns": "email"})

    async def test_the_import_shows_each_persons_code_and_it_lets_them_in(
        self, admin_client: Client, make_client: Any
    ) -> None:
        result = (await admin_client.post(IMPORT, files=csv_file(GOOD_CSV))).json()
        codes = {i["email"]: i for i in result["invitations"]}
        assert set(codes) == {"ines@example.org", "oscar@example.org"}
        oscar = codes["oscar@example.org"]
        assert (oscar["row"], oscar["display_name"]) == (3, "Oscar Import")
        newcomer = make_client()
        # As the sign-up form sends it: the fields left empty are null, which clears nothing.
        session = await newcomer.sign_up(
            display_name="Oscar Import",
            email="oscar@example.org",
            invitation_code=oscar["invitation_code"],
            department=None,
            manager_email=None,
            birth_year=None,
        )
        assert "facilitator" in session["roles"]
        me = (await newcomer.get("/api/v1/me")).json()
        assert (me["email"], me["department"], me["status"]) == (
            "oscar@example.org",
            "Sales",
            "active",
        )


class TestAnInvitedPersonWhoSignsUpOpenly:
    async def test_gets_a_link_that_lets_them_in_keeping_what_the_admin_set(
        self, admin_client: Client, make_client: Any
    ) -> None:
        imported = (await admin_client.post(IMPORT, files=csv_file(GOOD_CSV))).json()
        code = next(i for i in imported["invitations"] if i["email"] == "ines@example.org")
        newcomer = make_client()
        # The person never saw their code and signs up like anyone would.
        answer = await _open_sign_up(
            newcomer, "ines@example.org", display_name="Inès", department=None, manager_email=None
        )
        assert answer.status_code == 202
        assert answer.json() == {"state": "check_your_email"}
        session = await newcomer.confirm_sign_up("ines@example.org")
        assert session["roles"] == ["participant"]
        me = (await newcomer.get("/api/v1/me")).json()
        assert (me["display_name"], me["department"], me["manager_email"]) == (
            "Inès",
            "Sales",
            "boss@example.org",
        )
        # The administrator's code for the same account is used up with it.
        other = make_client()
        await other.csrf()
        reuse = await other.post(
            "/api/v1/auth/sign-up",
            json={
                "display_name": "X",
                "email": "x@example.org",
                "password": PASSWORD,
                "invitation_code": code["invitation_code"],
            },
        )
        assert reuse.json()["code"] == "invalid_invitation"

    async def test_the_answer_says_nothing_about_the_address(
        self, app: FastAPI, admin_client: Client, make_client: Any
    ) -> None:
        """Invited, taken and free addresses get the same answer and change the same counted
        tables (docs/security.md, "Accounts: no enumeration")."""
        await admin_client.post(
            "/api/v1/admin/invitations",
            json={"display_name": "Ivy", "email": "ivy01@example.org"},
        )
        await person(app, make_client, email="tom01@example.org")
        async with ChangeCounts(app.state.databases.vault_engine) as counts:

            async def ask(email: str) -> tuple[httpx.Response, set[str]]:
                before = await counts.read()
                answer = await _open_sign_up(make_client(), email)
                after = await counts.read()
                return answer, {t for t, n in after.items() if n != before.get(t)}

            invited, taken, free = (
                await ask("ivy01@example.org"),
                await ask("tom01@example.org"),
                await ask("fay01@example.org"),
            )
        assert invited[0].status_code == taken[0].status_code == free[0].status_code == 202
        assert invited[0].json() == taken[0].json() == free[0].json()
        assert _headers(invited[0]) == _headers(taken[0]) == _headers(free[0])
        assert invited[1] == taken[1] == free[1]


class TestAccountSearch:
    async def test_finds_by_name_or_email_page_by_page_and_audits_only_who_is_shown(
        self, app: FastAPI, admin_client: Client, make_client: Any
    ) -> None:
        people = {}
        for name, email in [
            ("Maria Lopez", "maria@example.org"),
            ("Jon Marsh", "jon@example.org"),
            ("Zoe Quinn", "zq@marigold.example"),
            ("Karl Berg", "karl@example.org"),
        ]:
            people[name] = await person(app, make_client, display_name=name, email=email)

        async def search(q: str, **params: Any) -> dict[str, Any]:
            response = await admin_client.get("/api/v1/admin/accounts", params={"q": q, **params})
            assert response.status_code == 200, response.text
            return dict(response.json())

        assert [a["display_name"] for a in (await search("LOPEZ"))["items"]] == ["Maria Lopez"]
        # "mar": Maria (name), Jon Marsh (name), Zoe (email), two per page.
        first = await search("mar", limit=2)
        second = await search("mar", limit=2, cursor=first["next_cursor"])
        assert [a["display_name"] for a in first["items"] + second["items"]] == [
            "Maria Lopez",
            "Jon Marsh",
            "Zoe Quinn",
        ]
        assert second["next_cursor"] is None
        assert (await search("nobody-at-all"))["items"] == []
        async with app.state.databases.vault_sessions() as db:
            audited = set(
                await db.scalars(
                    select(AuditEvent.subject_account_id).where(
                        AuditEvent.action == "search_accounts"
                    )
                )
            )
        assert people["Karl Berg"].account_id not in audited
        assert people["Maria Lopez"].account_id in audited

    async def test_a_search_too_long_is_a_422_not_a_500(self, admin_client: Client) -> None:
        response = await admin_client.get("/api/v1/admin/accounts", params={"q": "x" * 101})
        assert response.status_code == 422


class TestDeactivation:
    async def test_a_deactivated_person_is_signed_out_and_kept_out_until_reactivated(
        self, app: FastAPI, admin_client: Client, make_client: Any
    ) -> None:
        someone = await person(app, make_client, email="leaver@example.org")
        url = f"/api/v1/admin/accounts/{someone.account_id}"
        disabled = await admin_client.patch(url, json={"disabled": True})
        assert disabled.json()["status"] == "disabled"
        assert (await someone.client.get("/api/v1/me")).status_code == 401
        refused = await make_client().sign_in("leaver@example.org")
        assert refused.status_code == 403
        assert refused.json()["code"] == "account_deactivated"
        enabled = await admin_client.patch(url, json={"disabled": False})
        assert enabled.json()["status"] == "active"
        assert (await make_client().sign_in("leaver@example.org")).status_code == 200
