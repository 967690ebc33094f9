"""SCIM 2.0 provisioning (RFC 7643/7644), as Microsoft Entra ID and Okta drive it: tokens per
provider, the user flows, SCIM's error shape, and what deactivation does to a person."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from app.models import app_metadata
from tests.api.people import create_challenge, join, move, person
from tests.conftest import BACKEND, PASSWORD, Client, DatabaseUrls

SCIM = "/scim/v2"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"

NAME_GIVEN, NAME_FAMILY = "Quillon", "Vexbrook-Ardent"
EMAIL = "quillon.vexbrook@example.org"
DEPARTMENT = "Zephyrology Unit"


async def new_token(admin: Client, provider: str = "Entra ID") -> dict[str, Any]:
    response = await admin.post("/api/v1/admin/scim-tokens", json={"provider": provider})
    assert response.status_code == 201, response.text
    return dict(response.json())


def provider_client(app: FastAPI, token: str) -> httpx.AsyncClient:
    """An identity provider: no cookie, its bearer token on every request."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"},
    )


def entra_user(**overrides: Any) -> dict[str, Any]:
    """A User as Entra ID's default attribute mapping sends it on creation."""
    body: dict[str, Any] = {
        "schemas": [USER, ENTERPRISE],
        "externalId": "quillon",
        "userName": EMAIL,
        "active": True,
        "displayName": f"{NAME_GIVEN} {NAME_FAMILY}",
        "emails": [{"primary": True, "type": "work", "value": EMAIL}],
        "name": {
            "formatted": f"{NAME_GIVEN} {NAME_FAMILY}",
            "familyName": NAME_FAMILY,
            "givenName": NAME_GIVEN,
        },
        "title": "Analyst",
        "phoneNumbers": [{"type": "work", "value": "+33 1 23 45 67 89"}],
        ENTERPRISE: {"department": DEPARTMENT, "employeeNumber": "E-1"},
    }
    body.update(overrides)
    return body


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def by_user_name(email: str) -> str:
    return f'{SCIM}/Users?filter=userName eq "{email}"'


def assert_scim_error(response: httpx.Response, status: int, scim_type: str | None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body.get("scimType") == scim_type


class TestEntraIdFlow:
    async def test_create_find_patch_replace_delete(
        self, app: FastAPI, admin_client: Client
    ) -> None:
        token = await new_token(admin_client)
        assert token["token"].startswith("scim_")
        async with provider_client(app, token["token"]) as entra:
            config = await entra.get(f"{SCIM}/ServiceProviderConfig")
            assert config.status_code == 200
            assert config.json()["patch"]["supported"] is True
            types = (await entra.get(f"{SCIM}/ResourceTypes")).json()
            assert types["Resources"][0]["schemaExtensions"][0]["schema"] == ENTERPRISE
            schemas = (await entra.get(f"{SCIM}/Schemas")).json()
            assert {s["id"] for s in schemas["Resources"]} == {USER, ENTERPRISE}

            # Entra ID looks the person up first, then creates them.
            none = await entra.get(by_user_name(EMAIL))
            assert none.status_code == 200
            assert none.json()["totalResults"] == 0
            assert none.json()["Resources"] == []
            created = await entra.post(f"{SCIM}/Users", json=entra_user())
            assert created.status_code == 201, created.text
            assert created.headers["content-type"].startswith("application/scim+json")
            user = created.json()
            assert created.headers["Location"] == user["meta"]["location"]
            assert user["userName"] == EMAIL
            assert user["name"]["givenName"] == NAME_GIVEN
            assert user["name"]["familyName"] == NAME_FAMILY
            assert user["displayName"] == f"{NAME_GIVEN} {NAME_FAMILY}"
            assert user["emails"] == [{"value": EMAIL, "type": "work", "primary": True}]
            assert user["active"] is True
            assert user[ENTERPRISE] == {"department": DEPARTMENT}
            assert "title" not in user
            assert "phoneNumbers" not in user
            scim_id = user["id"]

            # The id the provider holds is not the account id any other answer names.
            accounts = (await admin_client.get("/api/v1/admin/accounts")).json()["items"]
            account = next(a for a in accounts if a["email"] == EMAIL)
            assert account["account_id"] != scim_id
            assert account["display_name"] == f"{NAME_GIVEN} {NAME_FAMILY}"

            found = (await entra.get(by_user_name(EMAIL.upper()))).json()
            assert found["totalResults"] == 1
            assert found["Resources"][0]["id"] == scim_id
            assert (await entra.get(f"{SCIM}/Users/{scim_id}")).json() == user

            # Entra ID's PATCH, booleans as strings (its default without the compliance flag).
            off = await entra.patch(
                f"{SCIM}/Users/{scim_id}",
                json=patch({"op": "Replace", "path": "active", "value": "False"}),
            )
            assert off.status_code == 200, off.text
            assert off.json()["active"] is False
            statuses = (await admin_client.get("/api/v1/admin/accounts")).json()["items"]
            assert next(a for a in statuses if a["email"] == EMAIL)["status"] == "disabled"
            on = await entra.patch(
                f"{SCIM}/Users/{scim_id}", json=patch({"op": "replace", "value": {"active": True}})
            )
            assert on.json()["active"] is True

            # Attribute changes: department by its URN path, a name part, the address.
            changed = await entra.patch(
                f"{SCIM}/Users/{scim_id}",
                json=patch(
                    {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Cartography"},
                    {"op": "Replace", "path": "name.givenName", "value": "Quill"},
                    {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "x@y.org"},
                    {"op": "Replace", "path": "title", "value": "Lead"},
                ),
            )
            assert changed.status_code == 200, changed.text
            assert changed.json()[ENTERPRISE]["department"] == "Cartography"
            assert changed.json()["name"]["givenName"] == "Quill"
            assert changed.json()["userName"] == EMAIL

            replaced = await entra.put(
                f"{SCIM}/Users/{scim_id}",
                json=entra_user(
                    userName="quillon.new@example.org",
                    displayName="Quillon V.",
                    **{ENTERPRISE: {"department": "Zephyrology"}},
                ),
            )
            assert replaced.status_code == 200, replaced.text
            assert replaced.json()["userName"] == "quillon.new@example.org"
            assert replaced.json()["displayName"] == "Quillon V."
            assert replaced.json()["id"] == scim_id

            # A PUT that does not say `active` leaves it as it is.
            await entra.patch(
                f"{SCIM}/Users/{scim_id}",
                json=patch({"op": "replace", "path": "active", "value": False}),
            )
            silent = entra_user(userName="quillon.new@example.org", displayName="Quillon V.")
            del silent["active"]
            kept = await entra.put(f"{SCIM}/Users/{scim_id}", json=silent)
            assert kept.json()["active"] is False
            await entra.patch(
                f"{SCIM}/Users/{scim_id}",
                json=patch({"op": "replace", "path": "active", "value": True}),
            )

            gone = await entra.delete(f"{SCIM}/Users/{scim_id}")
            assert gone.status_code == 204
            after = (await entra.get(f"{SCIM}/Users/{scim_id}")).json()
            assert after["active"] is False
            assert after["userName"] == "quillon.new@example.org"

            listed = (await entra.get(f"{SCIM}/Users?startIndex=1&count=1")).json()
            assert listed["totalResults"] == 2  # the administrator and Quillon
            assert listed["itemsPerPage"] == 1
            second = (await entra.get(f"{SCIM}/Users?startIndex=2&count=5")).json()
            assert second["startIndex"] == 2
            assert [u["id"] for u in second["Resources"]] == [scim_id]

        # The person can read, in their audit trail, that the provider saw their identity.
        async with app.state.databases.vault_sessions() as db:
            account_id = uuid.UUID(account["account_id"])
            trail = await app.state.vault.bind(db).audit_trail(account_id)
        by_provider = {entry.action for entry in trail if entry.actor_role == "provisioning"}
        assert by_provider == {"scim_create", "scim_read", "scim_update"}

    async def test_an_existing_account_is_matched_by_user_name(
        self, app: FastAPI, admin_client: Client, make_client: Any
    ) -> None:
        someone = await person(app, make_client, display_name="Pre Existing")
        token = await new_token(admin_client, "Okta")
        async with provider_client(app, token["token"]) as okta:
            found = (await okta.get(by_user_name(someone.email))).json()
            assert found["totalResults"] == 1
            scim_id = found["Resources"][0]["id"]
            assert found["Resources"][0]["displayName"] == "Pre Existing"
            again = (await okta.get(by_user_name(someone.email))).json()
            assert again["Resources"][0]["id"] == scim_id  # the same id every time
            duplicate = await okta.post(f"{SCIM}/Users", json=entra_user(userName=someone.email))
            assert_scim_error(duplicate, 409, "uniqueness")

    async def test_an_erased_person_is_gone_for_the_provider_too(
        self, app: FastAPI, admin_client: Client, make_client: Any
    ) -> None:
        someone = await person(app, make_client)
        token = await new_token(admin_client)
        async with provider_client(app, token["token"]) as entra:
            scim_id = (await entra.get(by_user_name(someone.email))).json()["Resources"][0]["id"]
            erased = await someone.client.request(
                "DELETE", "/api/v1/me", json={"password": PASSWORD}
            )
            assert erased.status_code == 200, erased.text
            assert_scim_error(await entra.get(f"{SCIM}/Users/{scim_id}"), 404, None)
            assert (await entra.get(by_user_name(someone.email))).json()["totalResults"] == 0
        async with app.state.databases.vault_engine.connect() as connection:
            links = await connection.execute(text("SELECT count(*) FROM scim_links"))
            assert links.scalar() == 0


class TestErrors:
    async def test_shapes(self, app: FastAPI, admin_client: Client) -> None:
        token = await new_token(admin_client)
        async with provider_client(app, token["token"]) as entra:
            for bad in (
                'displayName eq "x"',
                'userName co "x"',
                'userName eq "a" or userName eq "b"',
                "userName eq x",
            ):
                response = await entra.get(f"{SCIM}/Users", params={"filter": bad})
                assert_scim_error(response, 400, "invalidFilter")
            assert_scim_error(await entra.get(f"{SCIM}/Users/{uuid.uuid4()}"), 404, None)
            assert_scim_error(await entra.get(f"{SCIM}/Users/not-an-id"), 404, None)
            missing = await entra.post(f"{SCIM}/Users", json={"schemas": [USER]})
            assert_scim_error(missing, 400, "invalidValue")
            assert "userName" in missing.json()["detail"]
            not_an_address = await entra.post(f"{SCIM}/Users", json=entra_user(userName="nobody"))
            assert_scim_error(not_an_address, 400, "invalidValue")
            assert "nobody" not in not_an_address.text  # never the value sent
            created = (await entra.post(f"{SCIM}/Users", json=entra_user())).json()
            url = f"{SCIM}/Users/{created['id']}"
            verb = await entra.patch(url, json=patch({"op": "move", "path": "active"}))
            assert_scim_error(verb, 400, "invalidSyntax")
            path = await entra.patch(
                url, json=patch({"op": "replace", "path": 'groups[value eq "x"]', "value": 1})
            )
            assert_scim_error(path, 400, "invalidPath")
            target = await entra.patch(url, json=patch({"op": "remove"}))
            assert_scim_error(target, 400, "noTarget")
            boolean = await entra.patch(
                url, json=patch({"op": "replace", "path": "active", "value": "maybe"})
            )
            assert_scim_error(boolean, 400, "invalidValue")
            schema = await entra.patch(url, json={"schemas": [USER], "Operations": [{"op": "add"}]})
            assert_scim_error(schema, 400, "invalidSyntax")
            # Nothing of a refused PATCH is kept, even its valid first operation.
            half = await entra.patch(
                url,
                json=patch(
                    {"op": "replace", "path": "displayName", "value": "Half Done"},
                    {"op": "replace", "path": "active", "value": "maybe"},
                ),
            )
            assert half.status_code == 400
            assert (await entra.get(url)).json()["displayName"] == created["displayName"]

    async def test_the_last_administrator_is_not_deactivated(
        self, app: FastAPI, admin_client: Client
    ) -> None:
        token = await new_token(admin_client)
        async with provider_client(app, token["token"]) as entra:
            admin = (await entra.get(by_user_name("admin@example.org"))).json()["Resources"][0]
            refused = await entra.delete(f"{SCIM}/Users/{admin['id']}")
            assert_scim_error(refused, 409, "mutability")
        assert (await admin_client.get("/api/v1/me")).status_code == 200


class TestTokens:
    async def test_token_shown_once_scoped_and_revoked(
        self, app: FastAPI, admin_client: Client, make_client: Any
    ) -> None:
        entra, okta = (
            await new_token(admin_client, "Entra ID"),
            await new_token(admin_client, "Okta"),
        )
        listed = (await admin_client.get("/api/v1/admin/scim-tokens")).json()
        assert [t["provider"] for t in listed] == ["Entra ID", "Okta"]
        assert all("token" not in t for t in listed)

        async with provider_client(app, "scim_" + "x" * 43) as stranger:
            unknown = await stranger.get(f"{SCIM}/Users")
            assert_scim_error(unknown, 401, None)
            assert unknown.headers["WWW-Authenticate"].startswith("Bearer")
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as anonymous:
            assert_scim_error(await anonymous.get(f"{SCIM}/ServiceProviderConfig"), 401, None)
        # A signed-in administrator's session is not a provider's token.
        assert_scim_error(await admin_client.get(f"{SCIM}/Users"), 401, None)

        revoked = await admin_client.post(f"/api/v1/admin/scim-tokens/{entra['id']}/revoke")
        assert revoked.status_code == 200
        assert revoked.json()["revoked_at"] is not None
        async with (
            provider_client(app, entra["token"]) as old,
            provider_client(app, okta["token"]) as still,
        ):
            assert_scim_error(await old.get(f"{SCIM}/Users"), 401, None)
            assert (await still.get(f"{SCIM}/Users")).status_code == 200
        missing = await admin_client.post(f"/api/v1/admin/scim-tokens/{uuid.uuid4()}/revoke")
        assert missing.status_code == 404
        participant = await person(app, make_client)
        assert (await participant.client.get("/api/v1/admin/scim-tokens")).status_code == 403
        made = await participant.client.post("/api/v1/admin/scim-tokens", json={"provider": "Mine"})
        assert made.status_code == 403

    async def test_rate_limited_per_token(self, app: FastAPI, admin_client: Client) -> None:
        first, second = await new_token(admin_client), await new_token(admin_client, "Okta")
        usual = app.state.settings
        app.state.settings = usual.model_copy(update={"scim_requests_per_minute": 3})
        try:
            async with (
                provider_client(app, first["token"]) as busy,
                provider_client(app, second["token"]) as other,
            ):
                for _ in range(3):
                    assert (await busy.get(f"{SCIM}/ServiceProviderConfig")).status_code == 200
                limited = await busy.get(f"{SCIM}/ServiceProviderConfig")
                assert_scim_error(limited, 429, None)
                assert int(limited.headers["Retry-After"]) >= 1
                assert (await other.get(f"{SCIM}/ServiceProviderConfig")).status_code == 200
        finally:
            app.state.settings = usual


async def _app_rows(app: FastAPI) -> dict[str, list[tuple[Any, ...]]]:
    async with app.state.databases.app_engine.connect() as connection:
        return {
            table.name: sorted(
                (
                    tuple(row)
                    for row in await connection.execute(text(f'SELECT * FROM "{table.name}"'))
                ),
                key=repr,
            )
            for table in app_metadata().sorted_tables
            if table.name not in ("table_changes", "table_change_log")
        }


class TestDeactivation:
    async def test_sessions_sign_in_formations_and_what_they_did(
        self, app: FastAPI, admin_client: Client, make_client: Any
    ) -> None:
        facilitator = await person(app, make_client, roles=["facilitator"])
        people = [await person(app, make_client, display_name=f"Member {i}") for i in range(5)]
        leaver = people[0]
        challenge = await create_challenge(
            facilitator.client,
            formation_mode="optimised",
            team_size={"min": 2, "target": 2, "max": 3},
        )
        cid = challenge["id"]
        assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
        for someone in people:
            assert (await join(someone.client, cid)).status_code == 200
        second_browser = make_client()
        assert (await second_browser.sign_in(leaver.email)).status_code == 200
        before = await _app_rows(app)

        token = await new_token(admin_client)
        async with provider_client(app, token["token"]) as entra:
            scim_id = (await entra.get(by_user_name(leaver.email))).json()["Resources"][0]["id"]
            off = await entra.patch(
                f"{SCIM}/Users/{scim_id}",
                json=patch({"op": "replace", "path": "active", "value": False}),
            )
            assert off.status_code == 200

            # Every session ends at once; the right password says why it cannot sign in.
            assert (await leaver.client.get("/api/v1/me")).status_code == 401
            assert (await second_browser.get("/api/v1/me")).status_code == 401
            refused = await make_client().sign_in(leaver.email)
            assert refused.status_code == 403
            assert refused.json()["code"] == "account_deactivated"
            wrong = await make_client().sign_in(leaver.email, "not the password at all")
            assert wrong.status_code == 401
            assert wrong.json()["code"] == "invalid_credentials"

            # What they did stays: deactivation writes nothing to the app database.
            assert await _app_rows(app) == before

            # A new formation places everyone else, and not them.
            base = f"/api/v1/challenges/{cid}/formations"
            started = await facilitator.client.post(base, json={"time_limit_s": 1})
            assert started.status_code == 202, started.text
            result = await _finished(facilitator.client, f"{base}/{started.json()['id']}")
            placed = {m["pseudonym"] for t in result["proposal"]["teams"] for m in t["members"]}
            async with app.state.databases.vault_sessions() as db:
                vault = app.state.vault.bind(db)
                pseudonyms = {
                    str(await vault.find_pseudonym(p.account_id, uuid.UUID(cid))) for p in people
                }
                gone = str(await vault.find_pseudonym(leaver.account_id, uuid.UUID(cid)))
            assert placed == pseudonyms - {gone}
            published = await facilitator.client.post(f"{base}/{started.json()['id']}/publish")
            assert published.status_code == 200, published.text

            on = await entra.patch(
                f"{SCIM}/Users/{scim_id}",
                json=patch({"op": "replace", "path": "active", "value": True}),
            )
            assert on.json()["active"] is True
        back = make_client()
        assert (await back.sign_in(leaver.email, PASSWORD)).status_code == 200
        assert (await back.get("/api/v1/me")).json()["account_id"] == str(leaver.account_id)


async def _finished(client: Client, url: str) -> dict[str, Any]:
    for _ in range(600):
        body = (await client.get(url)).json()
        if body["status"] != "running":
            return dict(body)
        await asyncio.sleep(0.1)
    raise AssertionError("the formation did not finish within 60 s")


async def test_no_name_address_or_department_reaches_the_app_database(
    app: FastAPI, admin_client: Client, test_databases: DatabaseUrls
) -> None:
    token = await new_token(admin_client)
    async with provider_client(app, token["token"]) as entra:
        created = (await entra.post(f"{SCIM}/Users", json=entra_user())).json()
        await entra.get(by_user_name(EMAIL))
        await entra.patch(
            f"{SCIM}/Users/{created['id']}",
            json=patch({"op": "replace", "path": "active", "value": "False"}),
        )
        await entra.put(f"{SCIM}/Users/{created['id']}", json=entra_user())
    stored = b"\n".join(repr(rows).encode() for rows in (await _app_rows(app)).values())
    if BACKEND == "sqlite":
        app_file = test_databases.sqlite_files[0]
        for file in (app_file, app_file.with_name(app_file.name + "-wal")):
            if file.exists():
                stored += file.read_bytes()
    for needle in (NAME_GIVEN, NAME_FAMILY, EMAIL, DEPARTMENT, "Zephyrology", "Vexbrook"):
        assert needle.encode() not in stored, f"{needle!r} is in the app database"
        assert needle.encode("utf-16-le") not in stored
    # The vault keeps them sealed: not one of them in its tables in the clear either.
    async with app.state.databases.vault_engine.connect() as connection:
        for table in ("scim_links", "profiles", "scim_tokens"):
            rows = await connection.execute(text(f'SELECT * FROM "{table}"'))
            dumped = repr([tuple(row) for row in rows]).encode()
            for needle in (NAME_GIVEN, NAME_FAMILY, EMAIL, DEPARTMENT, token["token"]):
                assert needle.encode() not in dumped
