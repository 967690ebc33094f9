"""The development outbox, where there is one."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Request

from app.auth.deps import client_address
from app.errors import TooManyRequests
from app.kit.mail import DevMailbox
from app.kit.ratelimit import PerWorkerWindow
from app.mail.errors import OutboxOff

# Unsubscribe links are posted without a session: a few tries a minute per address, counted
# in this worker's memory only (an address is never written down for this).
UNSUBSCRIBES_PER_MINUTE = 20


async def get_outbox(request: Request) -> DevMailbox:
    """The development mailer; 404 `outbox_off` where messages go to a mail server or
    nowhere (production)."""
    mailer = request.app.state.mailer
    if not isinstance(mailer, DevMailbox):
        raise OutboxOff()
    return mailer


DevOutbox = Annotated[DevMailbox, Depends(get_outbox)]


async def limit_unsubscribes(request: Request) -> None:
    """429 past a few unsubscribe posts a minute from one address (guessing tokens is
    pointless, being HMAC-signed, but each try is a vault read)."""
    window: PerWorkerWindow | None = getattr(request.app.state, "unsubscribe_window", None)
    if window is None:
        window = PerWorkerWindow(limit=UNSUBSCRIBES_PER_MINUTE, window_s=60.0, remember=10_000)
        request.app.state.unsubscribe_window = window
    wait = window.count(client_address(request))
    if wait is not None:
        raise TooManyRequests(retry_after_s=math.ceil(wait))
