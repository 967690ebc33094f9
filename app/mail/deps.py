"""The development outbox, where there is one."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from app.auth.deps import VaultService, client_address
from app.errors import TooManyRequests
from app.kit.mail import DevMailbox
from app.mail.errors import OutboxOff

# Unsubscribe links are posted without a session: a few tries a minute per address, counted
# in the vault's shared throttle table (every worker and instance together) under an HMAC of
# the address, as sign-in counts: the address itself is never written down.
UNSUBSCRIBES_PER_MINUTE = 20


async def get_outbox(request: Request) -> DevMailbox:
    """The development mailer; 404 `outbox_off` where messages go to a mail server or
    nowhere (production)."""
    mailer = request.app.state.mailer
    if not isinstance(mailer, DevMailbox):
        raise OutboxOff()
    return mailer


DevOutbox = Annotated[DevMailbox, Depends(get_outbox)]


async def limit_unsubscribes(request: Request, vault: VaultService) -> None:
    """429 past a few unsubscribe posts a minute from one address (guessing tokens is
    pointless, being HMAC-signed, but each try is a vault read)."""
    wait = await vault.count_request(
        "unsubscribe",
        client_address(request),
        per_window=UNSUBSCRIBES_PER_MINUTE,
        window=timedelta(minutes=1),
    )
    if wait:
        raise TooManyRequests(retry_after_s=math.ceil(wait))
