"""Structured JSON logs with request ids, and an access log that never holds identities.

Access lines carry the method, the route *template* (never the concrete path, which could hold
an id worth correlating), the status and the duration. No client address, no user agent, no
query string. The anonymous review route is not access-logged at all (privacy.md).
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
access_logger = logging.getLogger("app.access")
# The anonymous review and rating routes: their times, next to those of issuances, would date
# reviews and ratings.
NOT_ACCESS_LOGGED = frozenset(
    {
        "/api/v1/reviews",
        "/api/v1/reviews/comment-check",
        "/api/v1/reviews/receipts",
        "/api/v1/ratings",
        "/api/v1/ratings/comment-check",
        "/api/v1/ratings/receipts",
    }
)
DRIVER_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool", "alembic")
_STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    # Made once: json.dumps with any option builds a new encoder on every call.
    _encoder = json.JSONEncoder(default=str)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in _STANDARD_ATTRS and key[0] != "_"
        )
        if record.exc_info and record.exc_info[0] is not None:
            # The type only: tracebacks can quote local values (an email, a password).
            entry["error_type"] = record.exc_info[0].__name__
        return self._encoder.encode(entry)


def configure_logging(level: str) -> None:
    # Where each call came from, and which thread and process made it: none of them is in our
    # lines, and finding them costs every access line a few microseconds (the logging HOWTO's
    # "Optimization").
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).disabled = True
    # Database drivers log statements *with their parameters* at DEBUG: pseudonyms, token
    # hashes. Whatever level the operator picks, they stay at WARNING.
    for driver in DRIVER_LOGGERS:
        logging.getLogger(driver).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class RequestContextMiddleware:
    """Gives every request an id (kept if the client sent a well-formed one) and logs it."""

    def __init__(
        self, app: ASGIApp, on_request: Callable[[str, str, int, float], None] | None = None
    ):
        self.app = app
        # Called with (method, route template, status, seconds) after every request (metrics).
        self.on_request = on_request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            if self.on_request is not None:
                self.on_request(scope["method"], route_template(scope), status, elapsed)
            if scope["path"] not in NOT_ACCESS_LOGGED:
                fields = {
                    "method": scope["method"],
                    "route": route_template(scope),
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                }
                if "response_cache" in scope:  # "hit" or "miss", on cacheable reads
                    fields["cache"] = scope["response_cache"]
                access_logger.info("request", extra=fields)
            request_id_var.reset(token)


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = bytes(value).decode("latin-1")
            if 8 <= len(text) <= 64 and all(c.isalnum() or c in "-_" for c in text):
                return text
    return None
