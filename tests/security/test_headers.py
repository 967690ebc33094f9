"""Security headers and transport, as a browser receives them: on the UI, the API and errors.

Development and production differ only where they must: HSTS, Secure cookies and the
`__Host-` prefix exist outside development only (a developer's http://127.0.0.1 would refuse
them). Everything else is the same in both.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.config import Settings
from app.main import create_app
from app.vault import NewProfile
from tests.conftest import PASSWORD, Client, DatabaseUrls, _empty_all_tables, make_settings

INDEX = b'<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head>'
ENVIRONMENTS = ("development", "production")


@pytest.fixture(scope="module")
def ui_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    (dist / "assets").mkdir()
    (dist / "index.html").write_bytes(INDEX + b"<body><div id=root></div></body></html>")
    (dist / "assets" / "app.js").write_text("console.log('ui')", encoding="utf-8")
    return dist


def _boom() -> None:
    raise RuntimeError("an unexpected failure with a secret in its message")


@pytest.fixture(params=ENVIRONMENTS)
async def site(
    request: pytest.FixtureRequest,
    test_databases: DatabaseUrls,
    key_document: dict[str, object],
    ui_dist: Path,
) -> AsyncIterator[FastAPI]:
    """The whole site (UI and API) in one environment, with a route that fails unexpectedly."""
    settings: Settings = make_settings(
        test_databases, key_document, env=request.param, serve_ui=True, ui_dist=ui_dist
    )
    app = create_app(settings)
    app.add_api_route("/api/v1/test-only/boom", _boom)
    # Ahead of the UI's catch-all route.
    app.router.routes.insert(0, app.router.routes.pop())
    async with app.router.lifespan_context(app):
        yield app
        await _empty_all_tables(app)


def browser(app: FastAPI) -> Client:
    # https: a browser sends Secure cookies back only over TLS.
    return Client(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="https://testserver",
    )


def is_production(app: FastAPI) -> bool:
    return not app.state.settings.is_development


def csp(response: httpx.Response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secure_headers(app: FastAPI, response: httpx.Response) -> None:
    """What every response carries, whatever the route and whatever went wrong."""
    where = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    policy = csp(response)
    assert policy["default-src"] == ["'self'"], where
    assert policy["script-src"] == ["'self'"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["base-uri"] == ["'none'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    for values in policy.values():
        assert "'unsafe-eval'" not in values, where
        assert "*" not in values, where
    assert response.headers["x-content-type-options"] == "nosniff", where
    assert response.headers["referrer-policy"] == "no-referrer", where
    assert response.headers["x-frame-options"] == "DENY", where
    assert "access-control-allow-origin" not in response.headers, where
    hsts = response.headers.get("strict-transport-security")
    if is_production(app):
        assert hsts is not None, where
        max_age = int(hsts.split(";")[0].removeprefix("max-age="))
        assert max_age >= 365 * 24 * 3600, where
    else:
        assert hsts is None, where


async def test_ui_root_and_deep_links(site: FastAPI) -> None:
    async with browser(site) as c:
        for path in ("/", "/challenges/3f1c/teams/9", "/assets/app.js"):
            response = await c.get(path)
            assert response.status_code == 200, path
            assert_secure_headers(site, response)
        page = await c.get("/challenges/3f1c/teams/9")
    # The index has no inline script for the policy to allow: the UI works under it.
    assert page.content.startswith(INDEX)
    assert b"<script>" not in page.content


async def test_api_responses(site: FastAPI) -> None:
    async with browser(site) as c:
        for path in ("/api/v1/health", "/api/v1/auth/csrf", "/api/v1/openapi.json"):
            response = await c.get(path)
            assert response.status_code == 200, path
            assert_secure_headers(site, response)
            assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/api/v1/no-such-route", {}, 404),
        # A fixed id: parallel workers (./scripts/test --quick) must collect the same names.
        ("GET", f"/api/v1/challenges/{uuid.uuid5(uuid.NAMESPACE_URL, 'no such')}", {}, 401),
        ("GET", "/api/v1/me", {}, 401),
        ("DELETE", "/api/v1/health", {}, 405),
        ("POST", "/api/v1/reviews/comment-check", {"json": {"comment": 5}}, 422),
        ("POST", "/api/v1/reviews/comment-check", {"content": b"\xff\xfe"}, 422),
        ("POST", "/api/v1/auth/sign-in", {"json": {"email": "a@b.org", "password": "x"}}, 403),
        ("GET", "/api/v1/test-only/boom", {}, 500),
    ],
)
async def test_error_responses(
    site: FastAPI, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    async with browser(site) as c:
        response = await c.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert_secure_headers(site, response)
    assert "secret" not in response.text


async def test_oversized_body_is_refused_with_the_headers(site: FastAPI) -> None:
    async with browser(site) as c:
        response = await c.post(
            "/api/v1/reviews/comment-check",
            content=b'{"comment": "' + b"x" * (8 * 1024 * 1024) + b'"}',
            headers={"Content-Type": "application/json"},
        )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"
    assert_secure_headers(site, response)


def cookies_set(response: httpx.Response) -> dict[str, dict[str, Any]]:
    """Each Set-Cookie as the browser reads it: name -> attributes."""
    found: dict[str, dict[str, Any]] = {}
    for header in response.headers.get_list("set-cookie"):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            found[name] = {key: morsel[key] for key in morsel if morsel[key] != ""}
    return found


def assert_cookie_flags(app: FastAPI, name: str, attributes: dict[str, Any]) -> None:
    assert attributes.get("httponly") is True, (name, attributes)
    assert str(attributes.get("samesite", "")).lower() in {"lax", "strict"}, (name, attributes)
    assert attributes.get("path") == "/", (name, attributes)
    if is_production(app):
        assert attributes.get("secure") is True, (name, attributes)
        # __Host-: the browser refuses it unless Secure, on path /, without a Domain.
        assert name.startswith("__Host-"), name
        assert "domain" not in attributes, (name, attributes)
    else:
        assert "secure" not in attributes, (name, attributes)


async def test_every_cookie_is_httponly_samesite_and_secure_outside_development(
    site: FastAPI,
) -> None:
    email = f"cookie-{uuid.uuid4().hex[:8]}@example.org"
    async with site.state.databases.vault_sessions.begin() as db:
        await site.state.vault.bind(db).create_account(
            NewProfile(display_name="Cookie Person", email=email),
            password=PASSWORD,
            roles=["participant"],
        )
    seen: list[tuple[str, dict[str, Any]]] = []
    async with browser(site) as c:
        csrf = await c.get("/api/v1/auth/csrf")
        seen += cookies_set(csrf).items()
        c.headers["X-CSRF-Token"] = csrf.json()["csrf_token"]
        signed_in = await c.post(
            "/api/v1/auth/sign-in", json={"email": email, "password": PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        seen += cookies_set(signed_in).items()
        c.headers["X-CSRF-Token"] = signed_in.json()["csrf_token"]
        signed_out = await c.post("/api/v1/auth/sign-out")
        assert signed_out.status_code == 204
        seen += cookies_set(signed_out).items()

        assert (await c.sign_in(email)).status_code == 200
        erased = await c.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
        assert erased.status_code == 200, erased.text
        seen += cookies_set(erased).items()
    names = {name for name, _ in seen}
    assert len(names) == 2, names  # the CSRF seed and the session
    for name, attributes in seen:
        assert_cookie_flags(site, name, attributes)


@pytest.mark.parametrize("path", ["/api/v1/challenges", "/api/v1/auth/sign-in", "/"])
async def test_cors_is_closed(site: FastAPI, path: str) -> None:
    """Another origin gets no permission: no preflight approval, no readable response."""
    origin = "https://attacker.example"
    async with browser(site) as c:
        preflight = await c.options(
            path,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, x-csrf-token",
            },
        )
        simple = await c.get(path, headers={"Origin": origin})
    for response in (preflight, simple):
        assert "access-control-allow-origin" not in response.headers
        assert "access-control-allow-credentials" not in response.headers
        assert "access-control-allow-methods" not in response.headers
    assert not preflight.is_success
    assert_secure_headers(site, preflight)
