"""Bad input of every kind gets a 4xx problem+json: never a 500, never a stack trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Client

BAD_REQUESTS = [
    ("POST", "/api/v1/auth/sign-up", {"content": b"{not json"}),
    ("POST", "/api/v1/auth/sign-up", {"content": b"\xff\xfe\x00garbage"}),
    ("POST", "/api/v1/auth/sign-up", {"json": []}),
    ("POST", "/api/v1/auth/sign-up", {"json": {"display_name": 5, "email": "x", "password": None}}),
    ("POST", "/api/v1/auth/sign-up", {"json": {"display_name": "a" * 10_000, "email": "a@b.c"}}),
    (
        "POST",
        "/api/v1/auth/sign-up",
        {"json": {"display_name": "A", "email": "a@example.org", "password": "x" * 300}},
    ),
    (
        "POST",
        "/api/v1/auth/sign-up",
        {
            "json": {
                "display_name": "A",
                "email": "a@example.org",
                "password": "p" * 12,
                "birth_year": 1e300,
            }
        },
    ),
    ("POST", "/api/v1/auth/sign-in", {"json": {"email": "\x00@example.org", "password": "x"}}),
    ("POST", "/api/v1/auth/sign-in", {"data": {"email": "form@example.org"}}),
    ("PATCH", "/api/v1/me", {"json": {"birth_year": "nineteen"}}),
    ("PATCH", "/api/v1/me", {"json": {"birth_year": 2999}}),
    ("PATCH", "/api/v1/me", {"json": {"years_experience": -1}}),
    ("PATCH", "/api/v1/me", {"json": {"language": "de"}}),
    ("PATCH", "/api/v1/me", {"json": {"email": "not-an-email"}}),
    ("DELETE", "/api/v1/me", {"json": {}}),
    ("PATCH", "/api/v1/admin/accounts/not-a-uuid", {"json": {}}),
    ("GET", "/api/v1/admin/accounts?limit=0", {}),
    ("GET", "/api/v1/admin/accounts?limit=abc", {}),
    ("PUT", "/api/v1/me", {"json": {}}),
    ("GET", "/api/v1/does-not-exist", {}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), BAD_REQUESTS)
async def test_bad_input_gets_a_clear_4xx(
    admin_client: Client, method: str, path: str, kwargs: dict[str, object]
) -> None:
    response = await admin_client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "code"} <= body.keys()
    assert body["status"] == response.status_code
    assert "Traceback" not in response.text


async def test_responses_carry_a_request_id(client: Client) -> None:
    response = await client.get("/api/v1/health", headers={"X-Request-ID": "trace-1234abcd"})
    assert response.headers["x-request-id"] == "trace-1234abcd"
    generated = await client.get("/api/v1/health", headers={"X-Request-ID": "<script>"})
    assert generated.headers["x-request-id"] != "<script>"


async def test_security_headers_on_api_and_errors(client: Client) -> None:
    for path in ("/api/v1/health", "/api/v1/nope"):
        headers = (await client.get(path)).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_every_error_code_is_documented() -> None:
    """docs/api.md lists each code a client can receive, so clients can rely on the table."""
    import app.api  # noqa: F401  (loads every router, hence every error class)
    from app.errors import _HTTP_CODES, AppError

    def subclasses(cls: type[AppError]) -> list[type[AppError]]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    codes = {c.code for c in subclasses(AppError)} | {code for code, _ in _HTTP_CODES.values()}
    codes |= {"invalid_request"}
    documented = (Path(__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    missing = sorted(code for code in codes if f"`{code}`" not in documented)
    assert missing == []
