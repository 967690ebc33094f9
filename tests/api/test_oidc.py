"""Single sign-on with OpenID Connect, end to end against a real provider (panva's
oidc-provider, started by the tests: tests/oidc/provider), and the ID-token checks against
tokens signed by a test key.

What matters to people: signing in at their organisation's provider gets them into their own
account (found again after the provider changed their e-mail, or their password account
found by its verified e-mail), or a new one; never someone else's; roles follow the
provider's groups without ever leaving the service with no administrator; a disabled account
stays out; every refusal lands on the sign-in page with a code, never an error page.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import text

from app.auth.oidc import OidcClient, SsoTokenInvalid
from app.main import create_app
from app.vault import AccountAdminUpdate
from tests.conftest import (
    PASSWORD,
    Client,
    DatabaseUrls,
    _empty_all_tables,
    client_for,
    make_settings,
)
from tests.oidc.harness import (
    CLIENT_ID,
    CLIENT_SECRET,
    PUBLIC_URL,
    OidcTestProvider,
    running_provider,
    through_provider,
)

USERS: dict[str, dict[str, Any]] = {
    "ana": {
        "email": "ana.sso@example.org",
        "email_verified": True,
        "name": "Ana Test",
        "locale": "es-ES",
    },
    "dana": {"email": "dana.sso@example.org", "email_verified": True, "name": "Dana Test"},
    "carl": {"email": "carl.sso@example.org", "email_verified": False, "name": "Carl Test"},
    "rita": {
        "email": "rita.sso@example.org",
        "email_verified": True,
        "name": "Rita Test",
        "groups": ["facilitators"],
    },
    "ada": {
        "email": "ada.sso@example.org",
        "email_verified": True,
        "name": "Ada Test",
        "groups": ["challenge-admins"],
    },
    "dora": {"email": "dora.sso@example.org", "email_verified": True, "name": "Dora Test"},
    "kim": {"email": "kim.sso@example.org", "email_verified": True, "name": "Kim Test"},
    "lee": {"email": "lee.at.work@example.org", "email_verified": True, "name": "Lee Test"},
    "nora": {"email": "nora.sso@example.org", "email_verified": True, "name": "Nora Test"},
    "ivy": {"email": "ivy.sso@example.org", "email_verified": True, "name": "Ivy Test"},
    "erin": {"email": "erin.sso@example.org", "email_verified": True, "name": "Erin Test"},
}
ROLE_MAP = {"facilitators": "facilitator", "challenge-admins": "admin"}


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcTestProvider]:
    with running_provider(USERS) as running:
        yield running


@asynccontextmanager
async def sso_app(
    test_databases: DatabaseUrls,
    key_document: dict[str, object],
    provider: OidcTestProvider,
    **overrides: Any,
) -> AsyncIterator[FastAPI]:
    settings = make_settings(
        test_databases,
        key_document,
        public_url=PUBLIC_URL,
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_scopes="openid email profile",
        oidc_name="Example Corp",
        **overrides,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        await _empty_all_tables(application)
        try:
            yield application
        finally:
            await _empty_all_tables(application)


@pytest.fixture
async def app_sso(
    test_databases: DatabaseUrls, key_document: dict[str, object], provider: OidcTestProvider
) -> AsyncIterator[FastAPI]:
    async with sso_app(
        test_databases,
        key_document,
        provider,
        oidc_role_claim="groups",
        oidc_role_map=json.dumps(ROLE_MAP),
    ) as application:
        yield application


async def sso_sign_in(client: Client, login: str) -> httpx.Response:
    """A browser signing in with the provider: the app's redirect, the provider's forms, and
    the app's callback; the callback's answer."""
    start = await client.get("/api/v1/auth/oidc/login")
    assert start.status_code == 302, start.text
    back = await through_provider(start.headers["location"], login)
    return await client.get(back.removeprefix(PUBLIC_URL))


async def me(client: Client) -> dict[str, Any]:
    response = await client.get("/api/v1/me")
    assert response.status_code == 200, response.text
    return dict(response.json())


def sso_error(response: httpx.Response) -> str:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.split("#")[0] in ("/sign-in", "/me"), location
    return location.split("#sso_error=")[1]


async def test_a_first_sign_in_creates_the_account_and_a_second_finds_it_by_subject(
    app_sso: FastAPI, provider: OidcTestProvider
) -> None:
    async with client_for(app_sso) as browser:
        methods = (await browser.get("/api/v1/auth/methods")).json()
        assert methods == {"password": True, "sso": {"name": "Example Corp"}}

        answer = await sso_sign_in(browser, "ana")
        assert answer.status_code == 302, answer.text
        assert answer.headers["location"] == "/"
        profile = await me(browser)
        assert profile["email"] == "ana.sso@example.org"
        assert profile["display_name"] == "Ana Test"
        assert profile["language"] == "es"
        assert profile["roles"] == ["participant"]

    # The provider changes her address: the next sign-in still finds her account by subject.
    await provider.update_user("ana", email="ana.new@example.org")
    async with client_for(app_sso) as browser:
        answer = await sso_sign_in(browser, "ana")
        assert answer.headers["location"] == "/"
        again = await me(browser)
        assert again["account_id"] == profile["account_id"]
        audit = (await browser.get("/api/v1/me/audit")).json()["entries"]
    actions = {entry["action"] for entry in audit}
    assert {"sso_link", "sso_sign_in"} <= actions


async def test_a_password_account_is_linked_by_its_verified_email(
    app_sso: FastAPI, make_client: Any
) -> None:
    async with client_for(app_sso) as owner:
        await owner.sign_up(email="dana.sso@example.org", display_name="Dana Test")
        account_id = (await me(owner))["account_id"]
    async with client_for(app_sso) as browser:
        answer = await sso_sign_in(browser, "dana")
        assert answer.headers["location"] == "/"
        assert (await me(browser))["account_id"] == account_id
        # The password still works too.
        assert (await browser.sign_in("dana.sso@example.org")).status_code == 200


async def test_an_unverified_email_is_refused(app_sso: FastAPI) -> None:
    async with client_for(app_sso) as browser:
        answer = await sso_sign_in(browser, "carl")
        assert sso_error(answer) == "sso_email_unverified"
        assert (await browser.get("/api/v1/me")).status_code == 401


async def test_a_wrong_or_missing_state_is_refused(app_sso: FastAPI) -> None:
    async with client_for(app_sso) as browser:
        start = await browser.get("/api/v1/auth/oidc/login")
        back = await through_provider(start.headers["location"], "dora")
        query = parse_qs(urlsplit(back).query)
        forged = f"/api/v1/auth/oidc/callback?code={query['code'][0]}&state=not-the-state"
        assert sso_error(await browser.get(forged)) == "sso_state_invalid"
        # Another browser (no state cookie) bringing a real code and state back.
        async with client_for(app_sso) as stranger:
            answer = await stranger.get(back.removeprefix(PUBLIC_URL))
            assert sso_error(answer) == "sso_state_invalid"
            assert (await stranger.get("/api/v1/me")).status_code == 401


async def test_the_providers_key_rotation_is_followed(
    app_sso: FastAPI, provider: OidcTestProvider
) -> None:
    async with client_for(app_sso) as browser:
        assert (await sso_sign_in(browser, "kim")).headers["location"] == "/"
    before = await provider.published_kids()
    await provider.rotate_keys()
    assert not set(before) & set(await provider.published_kids())
    async with client_for(app_sso) as browser:
        answer = await sso_sign_in(browser, "kim")
        assert answer.headers["location"] == "/", answer.headers["location"]
        assert (await me(browser))["email"] == "kim.sso@example.org"


async def test_roles_follow_the_group_claim_but_the_last_admin_stays(
    app_sso: FastAPI, provider: OidcTestProvider
) -> None:
    async with client_for(app_sso) as browser:
        await sso_sign_in(browser, "rita")
        assert (await me(browser))["roles"] == ["facilitator", "participant"]
        await sso_sign_in(browser, "ada")
        assert (await me(browser))["roles"] == ["admin", "participant"]

    await provider.update_user("rita", groups=[])
    await provider.update_user("ada", groups=[])
    async with client_for(app_sso) as browser:
        await sso_sign_in(browser, "rita")
        assert (await me(browser))["roles"] == ["participant"]
        # Ada is the only administrator: leaving the group does not leave nobody in charge.
        await sso_sign_in(browser, "ada")
        assert (await me(browser))["roles"] == ["admin", "participant"]


async def test_a_disabled_account_cannot_sign_in(app_sso: FastAPI) -> None:
    async with client_for(app_sso) as browser:
        await sso_sign_in(browser, "dora")
        account_id = (await me(browser))["account_id"]
    async with app_sso.state.databases.vault_sessions.begin() as db:
        await app_sso.state.vault.bind(db).update_account(
            admin_id=uuid.uuid4(),
            account_id=uuid.UUID(account_id),
            update=AccountAdminUpdate(disabled=True),
        )
    async with client_for(app_sso) as browser:
        assert sso_error(await sso_sign_in(browser, "dora")) == "sso_account_disabled"
        assert (await browser.get("/api/v1/me")).status_code == 401


async def test_a_signed_in_person_links_their_provider_account(app_sso: FastAPI) -> None:
    async with client_for(app_sso) as browser:
        await browser.sign_up(email="lee.private@example.org", display_name="Lee Test")
        account_id = (await me(browser))["account_id"]
        assert (await browser.get("/api/v1/auth/oidc/link")).json() == {"linked": False}
        start = await browser.post("/api/v1/auth/oidc/link")
        assert start.status_code == 200, start.text
        back = await through_provider(start.json()["location"], "lee")
        answer = await browser.get(back.removeprefix(PUBLIC_URL))
        assert answer.headers["location"] == "/me#sso_linked"
        assert (await browser.get("/api/v1/auth/oidc/link")).json() == {"linked": True}
    # Signing in with the provider now finds this account, whose e-mail is another one.
    async with client_for(app_sso) as browser:
        await sso_sign_in(browser, "lee")
        assert (await me(browser))["account_id"] == account_id


async def test_an_erased_account_leaves_no_link_behind(app_sso: FastAPI) -> None:
    async with client_for(app_sso) as browser:
        await sso_sign_in(browser, "erin")
        erased = (await me(browser))["account_id"]
    async with app_sso.state.databases.vault_sessions.begin() as db:
        await app_sso.state.vault.bind(db).erase(uuid.UUID(erased))
    async with app_sso.state.databases.vault_engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM oidc_links"))).scalar() == 0
    # Signing in again makes a new account: nothing leads back to the erased one.
    async with client_for(app_sso) as browser:
        await sso_sign_in(browser, "erin")
        assert (await me(browser))["account_id"] != erased


async def test_linking_needs_a_session_and_the_csrf_token(app_sso: FastAPI) -> None:
    async with client_for(app_sso) as anonymous:
        assert (await anonymous.get("/api/v1/auth/oidc/link")).status_code == 401
        await anonymous.csrf()
        assert (await anonymous.post("/api/v1/auth/oidc/link")).status_code == 401
    async with client_for(app_sso) as browser:
        await browser.sign_up(email="lee.csrf@example.org")
        del browser.headers["X-CSRF-Token"]
        refused = await browser.post("/api/v1/auth/oidc/link")
        assert refused.status_code == 403
        assert refused.json()["code"] == "csrf_failed"
        assert "set-cookie" not in refused.headers


async def test_a_pending_open_sign_up_password_does_not_survive_sso(app_sso: FastAPI) -> None:
    """Someone signs up openly with a colleague's address and a password of their choosing,
    never confirmed; the colleague then signs in with the provider. The stranger's password
    must not open the account."""
    async with client_for(app_sso) as stranger:
        await stranger.csrf()
        body = {"display_name": "Not Ivy", "email": "ivy.sso@example.org", "password": PASSWORD}
        assert (await stranger.post("/api/v1/auth/sign-up", json=body)).status_code == 202
    async with client_for(app_sso) as ivy:
        assert (await sso_sign_in(ivy, "ivy")).headers["location"] == "/"
    async with client_for(app_sso) as stranger:
        assert (await stranger.sign_in("ivy.sso@example.org")).status_code == 401


async def test_without_account_creation_an_unknown_person_is_refused(
    test_databases: DatabaseUrls, key_document: dict[str, object], provider: OidcTestProvider
) -> None:
    async with (
        sso_app(test_databases, key_document, provider, oidc_create_accounts=False) as app,
        client_for(app) as browser,
    ):
        assert sso_error(await sso_sign_in(browser, "nora")) == "sso_no_account"


async def test_password_sign_in_can_be_turned_off(
    test_databases: DatabaseUrls, key_document: dict[str, object], provider: OidcTestProvider
) -> None:
    async with (
        sso_app(test_databases, key_document, provider, password_sign_in=False) as app,
        client_for(app) as browser,
    ):
        methods = (await browser.get("/api/v1/auth/methods")).json()
        assert methods == {"password": False, "sso": {"name": "Example Corp"}}
        await browser.csrf()
        for path, body in (
            ("/api/v1/auth/sign-in", {"email": "a@example.org", "password": PASSWORD}),
            (
                "/api/v1/auth/sign-up",
                {"display_name": "A", "email": "a@example.org", "password": PASSWORD},
            ),
        ):
            response = await browser.post(path, json=body)
            assert response.status_code == 403, response.text
            assert response.json()["code"] == "password_sign_in_off"
        assert (await sso_sign_in(browser, "nora")).headers["location"] == "/"


async def test_without_an_issuer_sso_is_off(client: Client) -> None:
    assert (await client.get("/api/v1/auth/methods")).json() == {"password": True, "sso": None}
    answer = await client.get("/api/v1/auth/oidc/login")
    assert sso_error(answer) == "sso_unavailable"


# The ID-token checks, against tokens signed by a test key served by a key server in process.
ISSUER = "https://login.example.test"
NONCE = "the-nonce"


class KeyServer:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "alg": "RS256"})
        self.jwks_requests = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/auth",
                    "token_endpoint": f"{ISSUER}/token",
                    "jwks_uri": f"{ISSUER}/jwks",
                },
            )
        if request.url.path == "/jwks":
            self.jwks_requests += 1
            return httpx.Response(200, json=KeySet([self.key]).as_dict(private=False))
        return httpx.Response(404)


@pytest.fixture
def key_server() -> KeyServer:
    return KeyServer()


@pytest.fixture
def checker(settings: Any, key_server: KeyServer) -> OidcClient:
    configured = settings.model_copy(
        update={
            "oidc_issuer": ISSUER,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
        }
    )
    return OidcClient(configured, transport=httpx.MockTransport(key_server.handle))


def id_token(key: RSAKey, alg: str = "RS256", kid: str | None = None, **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "subject-1",
        "aud": CLIENT_ID,
        "exp": now + 300,
        "iat": now,
        "nonce": NONCE,
        **changes,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    header = {"alg": alg, "kid": kid or str(key.kid)}
    return jwt.encode(header, claims, key)


async def test_a_well_formed_id_token_passes(checker: OidcClient, key_server: KeyServer) -> None:
    claims = await checker.verify_id_token(id_token(key_server.key), nonce=NONCE)
    assert claims["sub"] == "subject-1"


@pytest.mark.parametrize(
    "changes",
    [
        {"nonce": "another-nonce"},
        {"nonce": None},
        {"exp": int(time.time()) - 3600},
        {"iat": int(time.time()) + 3600},
        {"iss": "https://elsewhere.example.test"},
        {"aud": "another-client"},
        {"aud": [CLIENT_ID, "another-client"]},
        {"aud": [CLIENT_ID, "another-client"], "azp": "another-client"},
        {"sub": None},
    ],
    ids=[
        "wrong-nonce",
        "no-nonce",
        "expired",
        "issued-in-future",
        "wrong-issuer",
        "wrong-audience",
        "several-audiences-no-azp",
        "wrong-azp",
        "no-subject",
    ],
)
async def test_an_id_token_with_wrong_claims_is_refused(
    checker: OidcClient, key_server: KeyServer, changes: dict[str, Any]
) -> None:
    with pytest.raises(SsoTokenInvalid):
        await checker.verify_id_token(id_token(key_server.key, **changes), nonce=NONCE)


async def test_several_audiences_pass_with_our_azp(
    checker: OidcClient, key_server: KeyServer
) -> None:
    token = id_token(key_server.key, aud=[CLIENT_ID, "another-client"], azp=CLIENT_ID)
    assert (await checker.verify_id_token(token, nonce=NONCE))["azp"] == CLIENT_ID


async def test_a_tampered_id_token_is_refused(checker: OidcClient, key_server: KeyServer) -> None:
    header, _, signature = id_token(key_server.key).split(".")
    forged = jwt.encode(
        {"alg": "RS256", "kid": "key-1"},
        {"iss": ISSUER, "sub": "someone-else", "aud": CLIENT_ID, "exp": 2**31, "iat": 0},
        key_server.key,
    ).split(".")[1]
    with pytest.raises(SsoTokenInvalid):
        await checker.verify_id_token(f"{header}.{forged}.{signature}", nonce=NONCE)


async def test_a_token_signed_by_an_unpublished_key_is_refused_after_one_refetch(
    checker: OidcClient, key_server: KeyServer
) -> None:
    await checker.verify_id_token(id_token(key_server.key), nonce=NONCE)
    assert key_server.jwks_requests == 1
    stranger = RSAKey.generate_key(2048, parameters={"kid": "not-published"})
    with pytest.raises(SsoTokenInvalid):
        await checker.verify_id_token(id_token(stranger), nonce=NONCE)
    assert key_server.jwks_requests == 2
    # Same key id as the published key, but another key: the signature does not verify.
    impostor = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
    with pytest.raises(SsoTokenInvalid):
        await checker.verify_id_token(id_token(impostor), nonce=NONCE)


async def test_unsigned_and_secret_keyed_tokens_are_refused(
    checker: OidcClient, key_server: KeyServer
) -> None:
    from joserfc.jwk import OctKey

    secret_keyed = jwt.encode(
        {"alg": "HS256", "kid": "key-1"},
        {"iss": ISSUER, "sub": "s", "aud": CLIENT_ID, "exp": 2**31, "iat": 0, "nonce": NONCE},
        OctKey.import_key(CLIENT_SECRET),
    )
    _, payload, _ = id_token(key_server.key).split(".")
    unsigned = f"eyJhbGciOiJub25lIn0.{payload}."
    for token in (secret_keyed, unsigned):
        with pytest.raises(SsoTokenInvalid):
            await checker.verify_id_token(token, nonce=NONCE)
