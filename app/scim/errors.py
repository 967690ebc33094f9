"""SCIM's own errors (RFC 7644 §3.12): on /scim/v2 they replace problem+json, because identity
providers read `scimType` and `status` from this shape and nothing else.

Each error a provider can act on is a class naming its status and `scimType` in its class line
(as app/errors.py's do); the route class (`app/scim/routing.py`) renders them, and the app's
own typed errors raised below it (a taken address, the last administrator, a rate limit) in
the same shape.
"""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi.responses import JSONResponse

SCIM_MEDIA_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimJSONResponse(JSONResponse):
    media_type = SCIM_MEDIA_TYPE


class ScimError(Exception):
    """An error a provider can act on. A subclass names itself in its class line, as the app's
    own errors do (app/errors.py): `class Uniqueness(ScimError, status=409,
    scim_type="uniqueness", title="..."): ...`."""

    status: ClassVar[int] = 400
    scim_type: ClassVar[str | None] = None
    title: ClassVar[str] = "The request cannot be processed"

    def __init_subclass__(
        cls, *, status: int | None = None, scim_type: str | None = None, title: str | None = None
    ) -> None:
        super().__init_subclass__()
        if status is not None:
            cls.status = status
        if scim_type is not None:
            cls.scim_type = scim_type
        if title is not None:
            cls.title = title

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers


class InvalidFilter(
    ScimError,
    scim_type="invalidFilter",
    title='Only the filter userName eq "<address>" is supported',
): ...


class InvalidSyntax(
    ScimError,
    scim_type="invalidSyntax",
    title="The request body is not a SCIM message this service reads",
): ...


class InvalidPath(
    ScimError, scim_type="invalidPath", title="The PATCH path is not one this service supports"
): ...


class NoTarget(
    ScimError, scim_type="noTarget", title="The operation names no attribute to act on"
): ...


class InvalidValue(
    ScimError,
    scim_type="invalidValue",
    title="An attribute is missing or its value is not allowed",
): ...


class Mutability(
    ScimError,
    scim_type="mutability",
    title="This change is not possible in the account's current state",
): ...


class Uniqueness(
    ScimError,
    status=409,
    scim_type="uniqueness",
    title="Another account already has this userName",
): ...


class ScimNotFound(ScimError, status=404, title="No such resource"): ...


class ScimUnauthorized(
    ScimError,
    status=401,
    title="Send a valid, unrevoked SCIM bearer token in the Authorization header",
): ...


class ScimTooManyRequests(
    ScimError, status=429, title="Too many SCIM requests with this token"
): ...


def scim_error_response(
    *, status: int, detail: str, scim_type: str | None, headers: dict[str, str] | None = None
) -> ScimJSONResponse:
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type is not None:
        body["scimType"] = scim_type
    return ScimJSONResponse(body, status_code=status, headers=headers)


def render(error: ScimError) -> ScimJSONResponse:
    headers = dict(error.headers or {})
    if isinstance(error, ScimUnauthorized):
        headers.setdefault("WWW-Authenticate", 'Bearer realm="scim"')
    return scim_error_response(
        status=error.status, detail=error.detail, scim_type=error.scim_type, headers=headers
    )
