"""The seam: cacheable GETs are answered from the cache or run, watched, and kept."""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.cache.capture import Capture, close_capture, open_capture
from app.cache.expiry import is_cached_read
from app.cache.store import ResponseCache
from app.vault import SessionInfo


def _cache_key(scope: Scope) -> bytes | None:
    # The whole Cookie header, as the app will read it (Starlette reads the first one): an
    # entry is replayed only to a request the app would have authenticated identically.
    for name, value in scope["headers"]:
        if name == b"cookie":
            digest = hashlib.sha256(bytes(value))
            digest.update(b"\0" + scope["path"].encode() + b"?" + scope["query_string"])
            return digest.digest()
    return None


def _cookie_headers(scope: Scope) -> list[str]:
    return [bytes(v).decode("latin-1") for n, v in scope["headers"] if n == b"cookie"]


def _with_length(headers: list[tuple[bytes, bytes]], body: bytes) -> list[tuple[bytes, bytes]]:
    """The kept headers for a body whose length differs from the kept one's."""
    length = str(len(body)).encode()
    return [(k, length if k.lower() == b"content-length" else v) for k, v in headers]


class ResponseCacheMiddleware:
    """Answers cacheable GETs from the cache; innermost, so that security headers, request
    ids, logs and metrics apply to cached answers exactly as to others."""

    def __init__(self, app: ASGIApp, *, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache = self.cache
        if scope["type"] != "http" or scope["method"] != "GET" or not cache.enabled:
            await self.app(scope, receive, send)
            return
        key = _cache_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        scopes = cache.scopes_of(scope["path"])
        if scopes is None:
            await self.app(scope, receive, send)
            if is_cached_read(getattr(scope.get("route"), "endpoint", None)):
                cache.learn(scope["path"], scope.get("path_params", {}))
            return
        session = cache.session_of(_cookie_headers(scope))
        # With the scopes of the kept answer's shared counts, if any (app/cache/shared.py).
        polled = frozenset(scopes.values()) | cache.scopes_wanted(key)
        versions = await cache.versions(polled, session, cache.databases_wanted(key))
        if versions is None:
            await self.app(scope, receive, send)
            return
        entry = cache.get(key, versions, polled)
        body = await cache.body_of(key, entry, versions, session) if entry is not None else None
        if entry is not None and body is not None:
            # A replay, whether or not shared counts were written into it: no request ran.
            cache.hits += 1
            cache.replayed(entry)
            scope["response_cache"] = "hit"
            scope["route"] = entry.route
            headers = entry.headers if body is entry.body else _with_length(entry.headers, body)
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self._answer_and_keep(scope, receive, send, key, versions, scopes, session, polled)

    async def _answer_and_keep(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: bytes,
        versions: dict[str, int],
        scopes: dict[str, str],
        own_session: str | None,
        polled: frozenset[str],
    ) -> None:
        capture = Capture()
        start: Message | None = None
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                # Copied now: the outer middleware adds its headers to this same message.
                start = {**message, "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        # Shared with the request, however the app copies the scope: the session it was
        # answered for is recorded there (app.auth.deps).
        state: dict[str, Any] = scope.setdefault("state", {})
        token = open_capture(capture)
        try:
            await self.app(scope, receive, keep)
        finally:
            close_capture(token)
        route = scope.get("route")
        if not is_cached_read(getattr(route, "endpoint", None)):
            return  # another route of the same shape as a cacheable one
        self.cache.misses += 1
        scope["response_cache"] = "miss"
        if start is None:
            return
        session = state.get("session")
        if isinstance(session, SessionInfo):
            capture.holds_until(session.ends_at)  # the answer ends with its session
        entry = self.cache.entry_for(
            route,
            start,
            b"".join(chunks),
            capture,
            versions,
            session_id=session.session_id if isinstance(session, SessionInfo) else None,
            scopes=scopes,
            session=own_session,
            polled=polled,
        )
        if entry is not None:
            self.cache.put(key, entry)
            if entry.shared is not None and not entry.shared.precise:
                # Its shared counts' scopes were unknown before it ran: read them now, and if
                # the counted table has not changed meanwhile, it is held by them from now on.
                wanted = polled | entry.shared.polled
                after = await self.cache.versions(wanted, own_session)
                if after is not None:
                    self.cache.get(key, after, wanted)
