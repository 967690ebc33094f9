"""Outgoing mail: the development outbox (administrators only), and how each person wants to
hear of activity by e-mail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from app.auth.deps import AdminSession, CsrfFailed, CurrentIdentity, RequestVault
from app.errors import Forbidden, TooManyRequests, Unauthenticated, responses
from app.mail import service
from app.mail.deps import DevOutbox, limit_unsubscribes
from app.mail.errors import OutboxOff, UnsubscribeLinkNotFound
from app.mail.schemas import MailPreferences, MailPreferencesUpdate, Outbox, Unsubscribed

router = APIRouter(tags=["mail"])


@router.get(
    "/mail/outbox",
    response_model=Outbox,
    responses=responses(Unauthenticated, Forbidden, OutboxOff),
)
async def get_outbox(_: AdminSession, outbox: DevOutbox) -> Outbox:
    """Development without a mail server: the messages the service wrote instead of sending
    them (var/outbox/*.eml), newest first. 404 `outbox_off` where mail goes to a server."""
    return await service.list_outbox(outbox)


@router.get(
    "/me/mail-preferences", response_model=MailPreferences, responses=responses(Unauthenticated)
)
async def my_mail_preferences(identity: CurrentIdentity) -> MailPreferences:
    """How you want to hear of each topic of activity by e-mail: at once, in one daily digest,
    or not at all (at once until you choose)."""
    return await service.preferences_of(identity)


@router.put(
    "/me/mail-preferences",
    response_model=MailPreferences,
    responses=responses(Unauthenticated, CsrfFailed),
)
async def change_my_mail_preferences(
    identity: CurrentIdentity, update: MailPreferencesUpdate
) -> MailPreferences:
    """Change the topics given; the others keep their choice. Account mail (confirmation
    links, invitations) is always sent."""
    return await service.change_preferences(identity, update)


@router.post(
    "/mail/unsubscribe/{token}",
    response_model=Unsubscribed,
    dependencies=[Depends(limit_unsubscribes)],
    responses=responses(UnsubscribeLinkNotFound, TooManyRequests),
)
async def unsubscribe(
    token: Annotated[str, Path(max_length=200)], vault: RequestVault
) -> Unsubscribed:
    """One-click unsubscribe (RFC 8058): the link of an activity mail turns its topic off. No
    session and no CSRF token: a mail reader posts it, and the signed token is the proof.
    404 for a forged or altered link, or one of an erased account."""
    return await service.unsubscribe(vault, token)
