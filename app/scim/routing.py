"""The route class of /scim/v2: every refusal, whoever raises it, leaves in SCIM's error shape.

FastAPI's own validation errors and the app's typed errors are raised inside the route's
handler (after the request's transactions were rolled back), so catching them here keeps the
problem+json handlers for every other route untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from app.errors import AppError
from app.scim.errors import ScimError, render, scim_error_response

# The app's own error codes that SCIM names (RFC 7644 §3.12); the others keep their status
# and carry no scimType.
SCIM_TYPES = {
    "email_taken": "uniqueness",
    "last_admin": "mutability",
    "invalid_request": "invalidValue",
    "unknown_cohort": "invalidValue",
}


def _where(location: tuple[Any, ...] | list[Any]) -> str:
    # Names the attribute, never the value sent (it could be an address).
    return ".".join(str(part) for part in location if part not in ("body", "query", "path"))


class ScimRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def scim_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except ScimError as error:
                return render(error)
            except RequestValidationError as error:
                fields = sorted({_where(item.get("loc", ())) for item in error.errors()})
                return scim_error_response(
                    status=400,
                    detail=f"Invalid or missing: {', '.join(f for f in fields if f) or 'body'}.",
                    scim_type="invalidValue",
                )
            except AppError as error:
                return scim_error_response(
                    status=error.status,
                    detail=error.detail,
                    scim_type=SCIM_TYPES.get(error.code),
                    headers=error.headers,
                )

        return scim_handler
