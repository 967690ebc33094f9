"""Mail errors."""

from __future__ import annotations

from app.errors import NotFound


class OutboxOff(
    NotFound, code="outbox_off", title="There is no outbox: messages go to a mail server"
): ...


class UnsubscribeLinkNotFound(
    NotFound, code="unsubscribe_link_not_found", title="This unsubscribe link does not work"
): ...
