"""Typed errors rendered as RFC 9457 problem+json with a stable `code`.

Services raise `AppError` subclasses; one set of handlers turns them (and FastAPI's own
validation and HTTP errors) into problem documents. Nothing here ever echoes request input or
a stack trace: a validation error names the field and the rule, never the value (it could be a
password or an email).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from pydantic_core import PydanticCustomError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.security import security_headers

PROBLEM_MEDIA_TYPE = "application/problem+json"
logger = logging.getLogger("app.errors")


ParamValue = int | float | str


class FieldError(BaseModel):
    """What is wrong with one field: `code` and `params` are for programs (a client turns them
    into a sentence in its reader's language); `message` is the same in English, for logs."""

    field: str = Field(description="Dotted path of the offending field, e.g. body.email")
    code: str = Field(
        description="Stable snake_case code of the rule broken, e.g. too_long, required, "
        "out_of_range, team_sizes_order (docs/api.md lists them)"
    )
    params: dict[str, ParamValue] = Field(
        default_factory=dict,
        description="The numbers the rule needs to be explained, e.g. {max_length: 100} or "
        "{min: 1906, max: 2026}; never the submitted value",
    )
    message: str = Field(description="The rule in English (for developers, not to be shown)")
    type: str = Field(description="The validator's own name for the rule (pydantic's type)")

    @classmethod
    def of(
        cls, field: str, code: str, message: str, params: dict[str, ParamValue] | None = None
    ) -> FieldError:
        return cls(field=field, code=code, params=params or {}, message=message, type=code)


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


# Pydantic's error types -> the stable codes clients translate, with the context keys each
# code's sentence needs (renamed). Custom validators raise `PydanticCustomError(code, ...)`
# with their code as the type, so they pass through unchanged. Anything else is `invalid`.
_PYDANTIC_CODES: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("required", {}),
    "string_too_short": ("too_short", {"min_length": "min_length"}),
    "string_too_long": ("too_long", {"max_length": "max_length"}),
    "too_short": ("too_few_items", {"min_length": "min_length"}),
    "too_long": ("too_many_items", {"max_length": "max_length"}),
    "greater_than_equal": ("too_small", {"ge": "min"}),
    "greater_than": ("too_small", {"gt": "above"}),
    "less_than_equal": ("too_large", {"le": "max"}),
    "less_than": ("too_large", {"lt": "below"}),
    "int_parsing": ("not_a_number", {}),
    "int_type": ("not_a_number", {}),
    "int_from_float": ("not_a_whole_number", {}),
    "float_parsing": ("not_a_number", {}),
    "float_type": ("not_a_number", {}),
    "finite_number": ("not_a_number", {}),
    "bool_parsing": ("invalid_choice", {}),
    "bool_type": ("invalid_choice", {}),
    "literal_error": ("invalid_choice", {}),
    "enum": ("invalid_choice", {}),
    "uuid_parsing": ("invalid_id", {}),
    "uuid_type": ("invalid_id", {}),
    "datetime_parsing": ("not_a_date", {}),
    "datetime_from_date_parsing": ("not_a_date", {}),
    "datetime_type": ("not_a_date", {}),
    "date_parsing": ("not_a_date", {}),
    "date_from_datetime_parsing": ("not_a_date", {}),
    "timezone_aware": ("needs_time_zone", {}),
    "string_type": ("invalid_type", {}),
    "list_type": ("invalid_type", {}),
    "dict_type": ("invalid_type", {}),
    "model_type": ("invalid_type", {}),
    "model_attributes_type": ("invalid_type", {}),
    "string_pattern_mismatch": ("invalid_format", {}),
    "extra_forbidden": ("unknown_field", {}),
    "json_invalid": ("malformed", {}),
    "value_error": ("invalid", {}),
}
# Codes the app's own validators raise (PydanticCustomError) and the context keys they carry.
CUSTOM_CODES: frozenset[str] = frozenset(
    {
        "not_an_email",
        "out_of_range",
        "birth_year_or_cohort",
        "team_sizes_order",
        "schedule_order",
        "needs_time_zone",
        "needs_letter_or_digit",
        "descriptor_outside_scale",
        "duplicate_criterion",
        "duplicate_skill",
        "cannot_be_null",
        "email_or_account",
        "no_correct_choice",
        "single_choice_one_correct",
        "duplicate_lesson",
    }
)
_SAFE_PARAM = (int, float, str)


def rule_error(code: str, message: str, **params: ParamValue) -> PydanticCustomError:
    """What a custom validator raises: a stable code, an English message (may use the params
    as {name}) and the params a client needs to say it in its reader's language."""
    assert code in CUSTOM_CODES, f"add {code!r} to CUSTOM_CODES (and the UI's sentences)"
    return PydanticCustomError(code, message, params)


def field_error_from_pydantic(
    err: Mapping[str, Any], *, prefix: tuple[str, ...] = ()
) -> FieldError:
    """One pydantic error as a FieldError with a stable code; never the submitted value (only
    the rule's own bounds from its context, which the schema sets, not the client)."""
    kind = str(err.get("type", ""))
    context = err.get("ctx") or {}
    if kind in CUSTOM_CODES:
        code, params = (
            kind,
            {
                key: value
                for key, value in context.items()
                if isinstance(value, _SAFE_PARAM) and not isinstance(value, bool)
            },
        )
    else:
        code, renames = _PYDANTIC_CODES.get(kind, ("invalid", {}))
        params = {
            renames[key]: value
            for key, value in context.items()
            if key in renames and isinstance(value, _SAFE_PARAM) and not isinstance(value, bool)
        }
        if code == "too_short" and params.get("min_length") == 1:
            code, params = "required", {}  # an empty text is a missing one, to a person
    location = (*prefix, *err.get("loc", ()))
    return FieldError(
        field=_field_path(location), code=code, params=params, message=str(err["msg"]), type=kind
    )


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
    errors = [field_error_from_pydantic(err) for err in exc.errors()]
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
                FieldError.of(
                    "body", "body_unreadable", "not readable as the declared content type"
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
