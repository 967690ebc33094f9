"""Typed errors rendered as RFC 9457 problem+json with a stable `code`.

Services raise `AppError` subclasses; one set of handlers turns them (and FastAPI's own
validation and HTTP errors) into problem documents. Nothing here ever echoes request input or
a stack trace: a validation error names the field and the rule, never the value (it could be a
password or an email).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.security import security_headers

PROBLEM_MEDIA_TYPE = "application/problem+json"
logger = logging.getLogger("app.errors")


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. body.email")
    message: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(description="URI reference identifying the problem type")
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable machine-readable code, e.g. challenge_not_open")
    errors: list[FieldError] | None = None


class AppError(Exception):
    """An error a client can act on. A subclass names itself in its class line, e.g.
    `class TeamFull(Conflict, code="team_full", title="The team is full"): ...`."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init_subclass__(
        cls, *, code: str | None = None, title: str | None = None, status: int | None = None
    ) -> None:
        super().__init_subclass__()
        if code is not None:
            cls.code = code
        if title is not None:
            cls.title = title
        if status is not None:
            cls.status = status

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        errors: list[FieldError] | None = None,
    ):
        self.detail = detail or self.title
        self.headers = headers
        self.errors = errors  # per-field reasons, as in a validation error
        super().__init__(self.detail)


class BadRequest(AppError): ...


class Unauthenticated(AppError, code="unauthenticated", title="Sign in required", status=401): ...


class Forbidden(AppError, code="forbidden", title="Not allowed", status=403): ...


class NotFound(AppError, code="not_found", title="Not found", status=404): ...


class Conflict(AppError, code="conflict", title="Conflict", status=409): ...


class TooManyRequests(AppError, code="too_many_requests", title="Too many attempts", status=429):
    def __init__(self, detail: str | None = None, *, retry_after_s: int):
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after_s))})


class ServiceUnavailable(
    AppError, code="service_unavailable", title="Service temporarily unavailable", status=503
): ...


def problem_type(code: str) -> str:
    return f"/problems/{code}"


def problem_response(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    problem = Problem(
        type=problem_type(code), title=title, status=status, detail=detail, code=code, errors=errors
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the errors a route can return (plus validation errors)."""
    documented: dict[int | str, dict[str, Any]] = {
        422: {"model": Problem, "description": "The request is malformed (code: invalid_request)"}
    }
    for error in errors:
        entry = documented.setdefault(error.status, {"model": Problem, "description": ""})
        codes = entry["description"]
        entry["description"] = f"{codes}, {error.code}" if codes else f"{error.title}: {error.code}"
    return documented


def _field_path(location: Iterable[Any]) -> str:
    return ".".join(str(part) for part in location)


async def _handle_app_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
    )


async def _handle_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(field=_field_path(err.get("loc", ())), message=err["msg"], type=err["type"])
        for err in exc.errors()
    ]
    return problem_response(
        status=422,
        code="invalid_request",
        title="Invalid request",
        detail="Some fields are missing or not valid; see errors.",
        errors=errors,
    )


_HTTP_CODES = {
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    413: ("payload_too_large", "Request too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
}


async def _handle_http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # The only 400s Starlette and FastAPI raise come from reading the body (bytes that are
        # not UTF-8 JSON, a broken multipart form): a malformed body, answered like any other.
        return problem_response(
            status=422,
            code="invalid_request",
            title="Invalid request",
            detail="The body could not be read as the content type it declares.",
            errors=[
                FieldError(
                    field="body",
                    message="not readable as the declared content type",
                    type="body_unreadable",
                )
            ],
        )
    code, title = _HTTP_CODES.get(exc.status_code, ("http_error", "Request failed"))
    detail = exc.detail if isinstance(exc.detail, str) else title
    return problem_response(
        status=exc.status_code,
        code=code,
        title=title,
        detail=detail,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Only the exception's type goes to the log: its message may carry data from the request.
    logger.error("unhandled error", extra={"error_type": type(exc).__name__})
    settings = getattr(request.app.state, "settings", None)
    hsts = settings is not None and not settings.is_development
    # Starlette answers this one outside the middleware stack: the security headers are added
    # here, or the 500 page would be the one response without them.
    headers = {
        name.decode(): value.decode()
        for name, value in security_headers(request.url.path, hsts=hsts)
    }
    return problem_response(
        status=500,
        code="internal_error",
        title="Internal error",
        detail="Something went wrong on our side. Nothing you sent was shown to anyone.",
        headers=headers,
    )


def _document_problem_media_type(app: FastAPI) -> None:
    """Error responses are served as application/problem+json; FastAPI documents every model
    response as application/json, so the schema is corrected once, where it is built."""
    build = app.openapi
    problem_ref = "#/components/schemas/Problem"

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    documented = content.get("application/json", {}).get("schema", {})
                    if (
                        status.isdigit()
                        and int(status) >= 400
                        and documented.get("$ref") == (problem_ref)
                    ):
                        content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    _document_problem_media_type(app)
    app.add_exception_handler(AppError, _handle_app_error)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, _handle_http_error)
    app.add_exception_handler(Exception, _handle_unexpected)
