"""Who is calling /scim/v2: an identity provider, by its bearer token."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from app.auth.deps import AppSettings, RequestVault, VaultService
from app.scim.errors import ScimTooManyRequests, ScimUnauthorized
from app.vault import ScimTokenSummary

MINUTE = timedelta(minutes=1)


async def scim_provider(
    request: Request, vault: RequestVault, service: VaultService, settings: AppSettings
) -> ScimTokenSummary:
    """The provider whose token the request carries; 401 without a valid, unrevoked one, 429
    past the token's rate."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    provider = (
        await vault.scim_provider(token.strip()) if scheme.lower() == "bearer" and token else None
    )
    if provider is None:
        raise ScimUnauthorized()
    # Counted in the vault's shared throttle table, so that N workers and instances allow the
    # provider its rate once, not N times (a write per request: a provider's sync is steady).
    wait = await service.count_request(
        "scim", str(provider.id), per_window=settings.scim_requests_per_minute, window=MINUTE
    )
    if wait:
        raise ScimTooManyRequests(headers={"Retry-After": str(max(1, math.ceil(wait)))})
    return provider


ScimProvider = Annotated[ScimTokenSummary, Depends(scim_provider)]


def base_url(settings: AppSettings) -> str:
    """Where the service's SCIM endpoint is, for `meta.location` (the configured public
    address, never the request's Host header, which a client chooses)."""
    return settings.public_url.rstrip("/") + "/scim/v2"


ScimBaseUrl = Annotated[str, Depends(base_url)]
