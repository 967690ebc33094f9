"""What the notices' requests can refuse."""

from __future__ import annotations

from app.errors import NotFound


class NotificationNotFound(
    NotFound, code="notification_not_found", title="Notification not found"
): ...
