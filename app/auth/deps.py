"""Authentication and authorisation dependencies: compose them per route, never inline checks."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings
from app.db import VaultDb
from app.errors import Forbidden, Unauthenticated
from app.kit.mail import Message
from app.vault import BoundVault, Identity, MailSender, Role, SessionInfo, Vault

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"


class CsrfFailed(Forbidden, code="csrf_failed", title="Missing or wrong CSRF token"): ...


# Trivial dependencies are `async def`: FastAPI runs plain `def` ones in a worker thread, a
# thread hop per dependency per request (docs/benchmarks.md, "What changed to get here").
async def get_vault(request: Request) -> Vault:
    vault = request.app.state.vault
    assert isinstance(vault, Vault)
    return vault


async def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


VaultService = Annotated[Vault, Depends(get_vault)]
AppSettings = Annotated[Settings, Depends(get_settings)]


async def request_vault(db: VaultDb, vault: VaultService) -> BoundVault:
    """The vault bound to this request's vault session (FastAPI resolves it once per request)."""
    return vault.bind(db)


RequestVault = Annotated[BoundVault, Depends(request_vault)]


@dataclass(frozen=True)
class RequestMail:
    """A request's way to mail: queued in its vault transaction, sent by this worker's sender
    after the response (`app.kit.mail.send_after_commit`)."""

    vault: BoundVault
    sender: MailSender

    async def enqueue(self, messages: Sequence[Message]) -> None:
        await self.vault.enqueue_mail(messages)

    async def send_due(self) -> int:
        return await self.sender.send_due()


async def request_mail(request: Request, vault: RequestVault) -> RequestMail:
    sender = request.app.state.mail_sender
    assert isinstance(sender, MailSender)
    return RequestMail(vault, sender)


MailService = Annotated[RequestMail, Depends(request_mail)]


def session_cookie_name(settings: Settings) -> str:
    # __Host- cookies must be Secure, so the prefix is used only outside development.
    return "challenge_session" if settings.is_development else "__Host-challenge_session"


def csrf_cookie_name(settings: Settings) -> str:
    return "challenge_csrf" if settings.is_development else "__Host-challenge_csrf"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _same(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


async def optional_session(
    request: Request, vault: RequestVault, settings: AppSettings
) -> SessionInfo | None:
    token = request.cookies.get(session_cookie_name(settings))
    if not token or len(token) > 200:
        return None
    session = await vault.resolve_session(token)
    if (
        session is not None
        and request.method not in SAFE_METHODS
        and not _same(session.csrf_token, request.headers.get(CSRF_HEADER))
    ):
        raise CsrfFailed("Send the token from GET /api/v1/auth/csrf in X-CSRF-Token.")
    # The session this request is answered for: a kept answer ends with it (app.cache).
    request.state.session = session
    return session


async def current_session(
    session: Annotated[SessionInfo | None, Depends(optional_session)],
) -> SessionInfo:
    if session is None:
        raise Unauthenticated("Sign in to continue.")
    return session


CurrentSession = Annotated[SessionInfo, Depends(current_session)]
OptionalSession = Annotated[SessionInfo | None, Depends(optional_session)]


async def current_identity(session: CurrentSession, vault: RequestVault) -> Identity:
    return Identity(session=session, vault=vault)


# The signed-in person, with the vault bound to the request: what services take.
CurrentIdentity = Annotated[Identity, Depends(current_identity)]


def require_role(role: Role) -> Callable[[SessionInfo], Awaitable[SessionInfo]]:
    async def dependency(session: CurrentSession) -> SessionInfo:
        if role not in session.roles:
            raise Forbidden(f"This needs the {role} role.")
        return session

    dependency.__name__ = f"require_{role}"
    return dependency


AdminSession = Annotated[SessionInfo, Depends(require_role("admin"))]
FacilitatorSession = Annotated[SessionInfo, Depends(require_role("facilitator"))]


async def facilitator_identity(session: FacilitatorSession, vault: RequestVault) -> Identity:
    return Identity(session=session, vault=vault)


FacilitatorIdentity = Annotated[Identity, Depends(facilitator_identity)]


async def require_pre_session_csrf(
    request: Request, vault: RequestVault, settings: AppSettings
) -> None:
    """Sign-in and sign-up: the token is bound to a CSRF seed cookie, or to the session the
    browser already has (someone switching accounts)."""
    given = request.headers.get(CSRF_HEADER)
    seed = request.cookies.get(csrf_cookie_name(settings))
    if seed and len(seed) <= 100 and _same(vault.csrf_token_for_seed(seed), given):
        return
    token = request.cookies.get(session_cookie_name(settings))
    session = await vault.resolve_session(token) if token and len(token) <= 200 else None
    if session is None or not _same(session.csrf_token, given):
        raise CsrfFailed("Fetch GET /api/v1/auth/csrf first and send its token in X-CSRF-Token.")
