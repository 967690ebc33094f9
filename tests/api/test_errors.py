"""Bad input of every kind gets a 4xx problem+json: never a 500, never a stack trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Client, DatabaseUrls

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


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"title": "\xff"}', "application/json"),  # not UTF-8: FastAPI's own 400 before
        (b"--x\r\nbroken", "multipart/form-data"),  # no boundary: Starlette's 400 before
    ],
)
async def test_an_unreadable_body_is_a_documented_422(
    admin_client: Client, content: bytes, content_type: str
) -> None:
    """Found by the fuzzer: these answered 400 `http_error`, a status the routes do not
    declare and a code the docs do not list."""
    response = await admin_client.post(
        "/api/v1/admin/invitations/import"
        if content_type.startswith("multipart")
        else "/api/v1/challenges",
        content=content,
        headers={"Content-Type": content_type},
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_request"
    assert response.json()["errors"][0]["field"] == "body"


def test_errors_are_documented_as_problem_json() -> None:
    """Found by the fuzzer: errors were documented as application/json, served as
    application/problem+json; a generated client would look for the wrong media type."""
    from app.main import create_app
    from tests.conftest import DatabaseUrls, make_settings

    unused = DatabaseUrls("sqlite+aiosqlite:///a.db", "sqlite+aiosqlite:///v.db", ())
    schema = create_app(make_settings(unused, {})).openapi()
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                schemas = [media["schema"] for media in response.get("content", {}).values()]
                if int(status) >= 400 and problem in schemas:
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        status,
                    )


async def test_a_database_lost_during_a_request_is_a_503(
    tmp_path: Path, test_databases: DatabaseUrls, key_document: dict[str, object]
) -> None:
    """Found by the fault tests: a database error raised inside a handler escaped the session
    dependency's mapping and answered 500 (only failed commits became 503)."""
    import base64
    import uuid

    from app.main import create_app
    from tests.conftest import client_for, make_settings

    unreachable = tmp_path / "app.db"
    unreachable.mkdir()  # a path SQLite cannot open as a database
    dbs = DatabaseUrls(f"sqlite+aiosqlite:///{unreachable}", test_databases.vault_url, ())
    app = create_app(make_settings(dbs, key_document))

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    review = {
        "token": {
            "key_id": "0" * 64,
            "prepared_message": b64(bytes(32)),
            "signature": b64(bytes(256)),
        },
        "submission_id": str(uuid.uuid4()),
        "scores": {"clarity": 3},
        "comment": "fine",
    }
    async with app.router.lifespan_context(app), client_for(app) as c:
        response = await c.post("/api/v1/reviews", json=review)
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "service_unavailable"
