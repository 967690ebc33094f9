"""Calendar errors."""

from __future__ import annotations

from app.errors import NotFound


class FeedNotFound(NotFound, code="calendar_feed_not_found", title="Calendar link not found"): ...
