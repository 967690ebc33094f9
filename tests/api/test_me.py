"""Own profile, record, export, audit trail and erasure."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.vault.models import Account, DataKey, Pseudonym
from app.vault.models import Profile as ProfileRow
from tests.conftest import PASSWORD, Client


class TestProfile:
    async def test_profile_derives_cohort_and_seniority(self, client: Client) -> None:
        await client.sign_up(birth_year=1999, years_experience=2)
        me = (await client.get("/api/v1/me")).json()
        assert (me["cohort"], me["seniority_band"]) == ("gen_z", "lt3")

    async def test_declared_generation_replaces_a_birth_year(self, client: Client) -> None:
        await client.sign_up(birth_year=1975, years_experience=25)
        response = await client.patch("/api/v1/me", json={"declared_cohort": "millennial"})
        me = response.json()
        assert response.status_code == 200
        assert me["birth_year"] is None
        assert me["cohort"] == "millennial"
        assert me["seniority_band"] == "20plus"

    async def test_only_sent_fields_change(self, client: Client) -> None:
        await client.sign_up(display_name="Before", department="Finance")
        await client.patch("/api/v1/me", json={"display_name": "After", "language": "fr"})
        me = (await client.get("/api/v1/me")).json()
        assert (me["display_name"], me["department"], me["language"]) == ("After", "Finance", "fr")

    async def test_changing_email_moves_the_sign_in(self, client: Client, make_client) -> None:  # type: ignore[no-untyped-def]
        await client.sign_up(email="old@example.org")
        changed = await client.patch(
            "/api/v1/me", json={"email": "new@example.org", "current_password": PASSWORD}
        )
        assert changed.status_code == 200, changed.text
        # Not at once: once the link sent to the new address is opened.
        assert changed.json()["email"] == "old@example.org"
        assert changed.json()["pending_email"] == "new@example.org"
        code = await client.mailed_code("new@example.org", "email_change_confirmation")
        confirmed = await client.post("/api/v1/me/email-confirmations", json={"code": code})
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["email"] == "new@example.org"
        assert (await make_client().sign_in("new@example.org")).status_code == 200
        assert (await make_client().sign_in("old@example.org")).status_code == 401

    @pytest.mark.parametrize("password", [None, "not my password"])
    async def test_changing_email_needs_the_current_password(
        self,
        client: Client,
        make_client,  # type: ignore[no-untyped-def]
        password: str | None,
    ) -> None:
        """Issue 17: a session left open was enough to move the account to another email."""
        await client.sign_up(email="mine@example.org")
        body = {"email": "thief@example.org"}
        if password is not None:
            body["current_password"] = password
        refused = await client.patch("/api/v1/me", json=body)
        assert refused.status_code == 401
        assert refused.json()["code"] == "invalid_credentials"
        assert (await client.get("/api/v1/me")).json()["email"] == "mine@example.org"
        assert (await client.get("/api/v1/me")).json()["pending_email"] is None
        assert await client.mailbox("thief@example.org") == []
        assert (await make_client().sign_in("thief@example.org")).status_code == 401

    async def test_resending_the_same_email_needs_no_password(self, client: Client) -> None:
        # The profile form sends every field; an unchanged email is not a change.
        await client.sign_up(email="Same@example.org")
        same = await client.patch("/api/v1/me", json={"email": "same@example.org"})
        assert same.status_code == 200, same.text

    async def test_unknown_fields_are_refused(self, client: Client) -> None:
        await client.sign_up()
        response = await client.patch("/api/v1/me", json={"roles": ["admin"]})
        assert response.status_code == 422
        assert (await client.get("/api/v1/me")).json()["roles"] == ["participant"]

    async def test_anonymous_gets_401_problem(self, client: Client) -> None:
        response = await client.get("/api/v1/me")
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"


class TestRecordAndExport:
    async def test_record_says_where_and_whether_encrypted(self, client: Client) -> None:
        await client.sign_up(display_name="Rita Record", department="Legal")
        items = (await client.get("/api/v1/me/record")).json()["items"]
        by_name = {item["item"]: item for item in items}
        assert by_name["Display name"]["value"] == "Rita Record"
        assert by_name["Display name"]["encrypted"] is True
        assert by_name["Display name"]["stored_in"] == "vault database"
        assert by_name["Department"]["value"] == "Legal"
        assert any(item["stored_in"] == "app database" for item in items)
        assert all(item["visible_to"] for item in items)

    async def test_export_is_a_json_download_with_the_profile(self, client: Client) -> None:
        await client.sign_up(email="export@example.org")
        response = await client.get("/api/v1/me/export")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        data = response.json()
        assert data["profile"]["email"] == "export@example.org"
        assert data["sessions"]

    async def test_admin_reads_show_up_in_the_subjects_audit(
        self,
        admin_client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        person = make_client()
        await person.sign_up(email="watched@example.org")
        assert (await person.get("/api/v1/me/audit")).json()["entries"] == []
        await admin_client.get("/api/v1/admin/accounts")
        entries = (await person.get("/api/v1/me/audit")).json()["entries"]
        assert [(e["actor_role"], e["action"], e["actor_is_you"]) for e in entries] == [
            ("admin", "list_accounts", False)
        ]

    async def test_own_export_is_logged_as_yours(self, client: Client) -> None:
        await client.sign_up()
        await client.get("/api/v1/me/export")
        entries = (await client.get("/api/v1/me/audit")).json()["entries"]
        assert [(e["action"], e["actor_is_you"]) for e in entries] == [("export", True)]


class TestErasure:
    async def test_wrong_password_erases_nothing(self, client: Client) -> None:
        await client.sign_up()
        response = await client.request(
            "DELETE", "/api/v1/me", json={"password": "not mine at all"}
        )
        assert response.status_code == 401
        assert (await client.get("/api/v1/me")).status_code == 200

    async def test_erasure_shreds_the_key_and_keeps_pseudonymous_data_unlinkable(
        self,
        app: FastAPI,
        client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        await client.sign_up(email="gone@example.org")
        me = (await client.get("/api/v1/me")).json()
        account_id = uuid.UUID(me["account_id"])
        vault = app.state.vault
        async with app.state.databases.vault_sessions.begin() as db:
            pseudonym = await vault.bind(db).pseudonym_for(account_id, uuid.uuid4())
            profile_before = await db.get(ProfileRow, account_id)
            assert profile_before is not None
            sealed_name = profile_before.display_name

        response = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
        assert response.status_code == 200
        assert "stays" in response.json()["what_remains"]
        assert (await client.get("/api/v1/me")).status_code == 401
        assert (await make_client().sign_in("gone@example.org")).status_code == 401
        async with app.state.databases.vault_sessions() as db:
            for model in (Account, DataKey, ProfileRow):
                assert await db.scalar(select(func.count()).select_from(model)) == 0
            assert (
                await db.scalar(select(Pseudonym).where(Pseudonym.pseudonym == pseudonym)) is None
            )
        # A copy of the old ciphertext (say, in a backup) no longer has a key to open it.
        assert sealed_name
        assert b"gone" not in sealed_name

    async def test_the_email_can_sign_up_again_as_a_new_person(
        self,
        client: Client,
        make_client,  # type: ignore[no-untyped-def]
    ) -> None:
        await client.sign_up(email="again@example.org")
        first_id = (await client.get("/api/v1/me")).json()["account_id"]
        await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
        fresh = make_client()
        await fresh.sign_up(email="again@example.org")
        assert (await fresh.get("/api/v1/me")).json()["account_id"] != first_id
