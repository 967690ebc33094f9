"""Request bodies over the size limit: 413 problem+json, whether or not a length is declared.

A declared Content-Length over the limit is refused before anything is read; a streamed body
is counted as it arrives and refused as soon as it passes the limit, so no handler ever buffers
more than the limit.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem_response

TOO_LARGE = "The request body is larger than this service accepts."


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            response = problem_response(
                status=413, code="payload_too_large", title="Request too large", detail=TOO_LARGE
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the handler's body read: the error handlers answer 413.
                    raise HTTPException(status_code=413, detail=TOO_LARGE)
            return message

        await self.app(scope, counted, send)


def _declared_length(scope: Scope) -> int | None:
    # Read straight from the raw headers: this runs on every request, most of them GETs
    # without a body, and a `Headers` mapping costs more than the rest of this middleware.
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None
