"""Invitations (one and CSV), accounts and roles, key status."""

from __future__ import annotations

from fastapi import FastAPI

from tests.conftest import PASSWORD, Client

GOOD_CSV = (
    "name,email,birth_year,department,manager_email,role\n"
    "Ines Import,ines@example.org,1990,Sales,boss@example.org,participant\n"
    "Oscar Import,oscar@example.org,1962,Sales,,facilitator\n"
)


def csv_file(text: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("people.csv", text.encode(), "text/csv")}


class TestInvitations:
    async def test_invited_person_signs_up_with_the_code(
        self,
        admin_client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        response = await admin_client.post(
            "/api/v1/admin/invitations",
            json={
                "display_name": "Ivy Invited",
                "email": "ivy@example.org",
                "department": "R&D",
                "role": "facilitator",
            },
        )
        assert response.status_code == 201
        code = response.json()["invitation_code"]
        person = make_client()
        session = await person.sign_up(
            display_name="Ivy Invited", email="ivy@example.org", invitation_code=code
        )
        assert "facilitator" in session["roles"]
        assert (await person.get("/api/v1/me")).json()["department"] == "R&D"
        reuse = make_client()
        await reuse.csrf()
        again = await reuse.post(
            "/api/v1/auth/sign-up",
            json={
                "display_name": "X",
                "email": "x@example.org",
                "password": PASSWORD,
                "invitation_code": code,
            },
        )
        assert again.status_code == 400
        assert again.json()["code"] == "invalid_invitation"

    async def test_invited_account_cannot_sign_in_before_accepting(
        self,
        admin_client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        await admin_client.post(
            "/api/v1/admin/invitations", json={"display_name": "P", "email": "p@example.org"}
        )
        assert (await make_client().sign_in("p@example.org", "anything at all")).status_code == 401

    async def test_participants_cannot_invite(self, client: Client) -> None:
        await client.sign_up()
        response = await client.post(
            "/api/v1/admin/invitations", json={"display_name": "P", "email": "p@example.org"}
        )
        assert response.status_code == 403


class TestCsvImport:
    async def test_dry_run_previews_without_importing(self, admin_client: Client) -> None:
        response = await admin_client.post(
            "/api/v1/admin/invitations/import?dry_run=true", files=csv_file(GOOD_CSV)
        )
        assert response.status_code == 200
        assert response.json() == {
            "dry_run": True,
            "valid_rows": 2,
            "errors": [],
            # The check shows the people it would invite (tests/api/test_admin_ways_in.py).
            "rows": response.json()["rows"],
            "invitations": [],
        }
        assert [row["email"] for row in response.json()["rows"]] == [
            "ines@example.org",
            "oscar@example.org",
        ]
        accounts = (await admin_client.get("/api/v1/admin/accounts")).json()["items"]
        assert len(accounts) == 1  # the admin only

    async def test_import_creates_invitations(self, admin_client: Client) -> None:
        response = await admin_client.post(
            "/api/v1/admin/invitations/import", files=csv_file(GOOD_CSV)
        )
        assert response.status_code == 200
        assert len(response.json()["invitations"]) == 2
        accounts = (await admin_client.get("/api/v1/admin/accounts")).json()["items"]
        oscar = next(a for a in accounts if a["email"] == "oscar@example.org")
        assert oscar["status"] == "invited"
        assert "facilitator" in oscar["roles"]

    async def test_any_bad_row_rejects_the_whole_file_with_every_error(
        self, admin_client: Client
    ) -> None:
        bad = (
            GOOD_CSV
            + "No Email,,1990,,,\nTwin,ines@example.org,,,,\nBad Year,b@example.org,1800,,,\n"
        )
        preview = await admin_client.post(
            "/api/v1/admin/invitations/import?dry_run=true", files=csv_file(bad)
        )
        errors = preview.json()["errors"]
        assert {(e["row"], e["field"]) for e in errors} == {
            (4, "email"),
            (5, "email"),
            (6, "birth_year"),
        }
        response = await admin_client.post("/api/v1/admin/invitations/import", files=csv_file(bad))
        assert response.status_code == 422
        assert response.json()["code"] == "csv_rejected"
        accounts = (await admin_client.get("/api/v1/admin/accounts")).json()["items"]
        assert len(accounts) == 1

    async def test_missing_column_and_non_utf8_are_explained(self, admin_client: Client) -> None:
        missing = await admin_client.post(
            "/api/v1/admin/invitations/import?dry_run=true",
            files=csv_file("name,birth_year\nA,1990\n"),
        )
        assert "email" in missing.json()["errors"][0]["message"]
        latin = {
            "file": ("p.csv", "name,email\nJosé,\xe9@example.org\n".encode("latin-1"), "text/csv")
        }
        response = await admin_client.post("/api/v1/admin/invitations/import", files=latin)
        assert response.status_code == 400
        assert response.json()["code"] == "csv_not_readable"


class TestAccounts:
    async def test_pagination_walks_every_account_once(
        self,
        admin_client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        for i in range(4):
            await make_client().sign_up(email=f"p{i}@example.org")
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await admin_client.get("/api/v1/admin/accounts", params=params)).json()
            seen += [a["email"] for a in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(
            ["admin@example.org"] + [f"p{i}@example.org" for i in range(4)]
        )

    async def test_bad_cursor_is_a_400(self, admin_client: Client) -> None:
        response = await admin_client.get("/api/v1/admin/accounts", params={"cursor": "%%%"})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_cursor"

    async def test_grant_facilitator_role(self, admin_client: Client, make_client) -> None:  # type: ignore[no-untyped-def]
        person = make_client()
        await person.sign_up(email="promote@example.org")
        account_id = (await person.get("/api/v1/me")).json()["account_id"]
        response = await admin_client.patch(
            f"/api/v1/admin/accounts/{account_id}", json={"roles": ["facilitator"]}
        )
        assert response.json()["roles"] == ["facilitator", "participant"]
        assert (await person.get("/api/v1/me")).json()["roles"] == ["facilitator", "participant"]

    async def test_the_last_admin_cannot_be_removed(self, admin_client: Client) -> None:
        me = (await admin_client.get("/api/v1/me")).json()
        response = await admin_client.patch(
            f"/api/v1/admin/accounts/{me['account_id']}", json={"roles": ["participant"]}
        )
        assert response.status_code == 409
        assert response.json()["code"] == "last_admin"

    async def test_unknown_account_is_404(self, admin_client: Client) -> None:
        response = await admin_client.patch(
            "/api/v1/admin/accounts/00000000-0000-4000-8000-000000000000", json={"disabled": True}
        )
        assert response.status_code == 404

    async def test_key_status(self, app: FastAPI, admin_client: Client) -> None:
        status = (await admin_client.get("/api/v1/admin/keys")).json()
        assert status == {
            "current_kek_version": 1,
            "kek_versions": [
                {
                    "kek_version": 1,
                    "current": True,
                    "available": True,
                    "sealed": {
                        "account_data_key": 1,
                        "review_round_signing_key": 0,
                        "rating_signing_key": 0,
                    },
                }
            ],
            "kek_versions_in_use": [1],
            "rotation_needed": False,
            # The keys come from CHALLENGE_KEYS here: an epoch would wait for their holder.
            "erasure_epoch": {"waiting": 0, "waiting_since": None, "automatic": False},
        }
