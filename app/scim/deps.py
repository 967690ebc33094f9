"""Who is calling /scim/v2: an identity provider, by its bearer token."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Request

from app.auth.deps import AppSettings, RequestVault
from app.kit.ratelimit import PerWorkerWindow
from app.scim.errors import ScimTooManyRequests, ScimUnauthorized
from app.vault import ScimTokenSummary


def _window(request: Request, per_minute: int) -> PerWorkerWindow:
    # Counted in each worker's memory: a provider's sync is steady and a database count would
    # add a write to every request it makes (docs/integrations.md says the limit is per worker).
    window: PerWorkerWindow | None = getattr(request.app.state, "scim_window", None)
    if window is None or window.limit != per_minute:
        window = PerWorkerWindow(limit=per_minute, window_s=60.0, remember=1_000)
        request.app.state.scim_window = window
    return window


async def scim_provider(
    request: Request, vault: RequestVault, settings: AppSettings
) -> ScimTokenSummary:
    """The provider whose token the request carries; 401 without a valid, unrevoked one, 429
    past the token's rate."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    provider = (
        await vault.scim_provider(token.strip()) if scheme.lower() == "bearer" and token else None
    )
    if provider is None:
        raise ScimUnauthorized()
    wait = _window(request, settings.scim_requests_per_minute).count(str(provider.id))
    if wait is not None:
        raise ScimTooManyRequests(headers={"Retry-After": str(max(1, math.ceil(wait)))})
    return provider


ScimProvider = Annotated[ScimTokenSummary, Depends(scim_provider)]


def base_url(settings: AppSettings) -> str:
    """Where the service's SCIM endpoint is, for `meta.location` (the configured public
    address, never the request's Host header, which a client chooses)."""
    return settings.public_url.rstrip("/") + "/scim/v2"


ScimBaseUrl = Annotated[str, Depends(base_url)]
