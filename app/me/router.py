"""Your own profile, what is on record, export, erasure and who read your identity."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, Response
from fastapi.responses import JSONResponse

from app.auth.deps import (
    AppSettings,
    CsrfFailed,
    CurrentIdentity,
    MailService,
    session_cookie_name,
)
from app.db import AppDb
from app.errors import TooManyRequests, Unauthenticated, responses
from app.kit.mail import send_after_commit
from app.me import service
from app.me.errors import ReauthenticationRequired
from app.me.schemas import (
    AuditTrail,
    EmailConfirmationCode,
    Erasure,
    ErasureDone,
    Me,
    MeUpdate,
    Record,
)
from app.vault import (
    EmailTaken,
    InvalidConfirmation,
    InvalidCredentials,
    UnknownCohort,
)

router = APIRouter(prefix="/me", tags=["me"])

WHAT_REMAINS = (
    "Your identity, sign-in and pseudonym links are gone: the key that opened them was destroyed. "
    "What you contributed under pseudonyms (team messages, submissions, reviews) stays, with no "
    "way left to connect it to you."
)


@router.get("", response_model=Me, responses=responses(Unauthenticated))
async def get_me(identity: CurrentIdentity) -> Me:
    """Your profile, decrypted for you, with a new email waiting for your confirmation."""
    return await service.me(identity)


@router.patch(
    "",
    response_model=Me,
    responses=responses(
        Unauthenticated,
        CsrfFailed,
        InvalidCredentials,
        ReauthenticationRequired,
        UnknownCohort,
        TooManyRequests,
    ),
)
async def update_me(
    body: MeUpdate, identity: CurrentIdentity, background: BackgroundTasks, mailer: MailService
) -> Me:
    """Change your profile; only the fields you send change. A new email needs
    `current_password` (401 `invalid_credentials` without it or if it is wrong), or for an
    account without a password a re-authentication at the provider just before (403
    `reauthentication_required` without it): a session left open must not be enough to take
    the account over. It does not change at once: a link
    goes to the new address (`pending_email`), and the answer is the same whether another
    account has that address or not (its owner is told instead); open the link to confirm."""
    me, messages = await service.update_me(identity, body)
    await send_after_commit(background, mailer, messages)
    return me


@router.post(
    "/email-confirmations",
    response_model=Me,
    responses=responses(Unauthenticated, CsrfFailed, InvalidConfirmation, EmailTaken),
)
async def confirm_email(
    body: EmailConfirmationCode,
    identity: CurrentIdentity,
    background: BackgroundTasks,
    mailer: MailService,
) -> Me:
    """Confirm a new email with the code from the link sent to it (signed in as the account
    that asked): the address changes if no other account took it meanwhile (409
    `email_taken`), and the old address is told."""
    me, messages = await service.confirm_email(identity, body.code)
    await send_after_commit(background, mailer, messages)
    return me


@router.get("/record", response_model=Record, responses=responses(Unauthenticated))
async def get_record(identity: CurrentIdentity, app_db: AppDb) -> Record:
    """Everything stored about you, where, whether encrypted, and who can see it; and your
    mentoring programmes and pairs as you see them."""
    return await service.record(identity, app_db)


@router.get(
    "/export",
    responses={200: {"content": {"application/json": {}}}, **responses(Unauthenticated)},
)
async def export_me(identity: CurrentIdentity, app_db: AppDb) -> JSONResponse:
    """A machine-readable export of everything on record about you (JSON file), with your
    mentoring applications and pairs: the plan and sessions you share, your own check-ins and
    journal entries, your partner's name only once you both agreed."""
    data: dict[str, Any] = await service.export(identity, app_db)
    return JSONResponse(
        data, headers={"Content-Disposition": 'attachment; filename="my-data.json"'}
    )


@router.delete(
    "",
    response_model=ErasureDone,
    responses=responses(Unauthenticated, CsrfFailed, InvalidCredentials, ReauthenticationRequired),
)
async def erase_me(
    body: Erasure,
    request: Request,
    response: Response,
    identity: CurrentIdentity,
    app_db: AppDb,
    settings: AppSettings,
) -> ErasureDone:
    """Erase your account by destroying its key (crypto-shredding); needs your password, or
    for an account without one (made by single sign-on) a re-authentication at the provider
    from this session in the last minutes (`POST /auth/oidc/reauth`; 403
    `reauthentication_required` without it).

    You leave every challenge that is not closed (your team is told a member left). Copies of
    the databases taken before stop opening anything of yours once the erasure epoch that
    follows destroys the key-encryption key of the time (docs/privacy.md, "Erasure").
    """
    epochs = request.app.state.erasure_epochs
    await service.erase(identity, app_db, body.password, then=epochs.wake)
    # The same attributes as when it was set: a browser keeps a `__Host-` cookie otherwise.
    response.delete_cookie(
        session_cookie_name(settings),
        path="/",
        secure=not settings.is_development,
        httponly=True,
        samesite="lax",
    )
    return ErasureDone(erased=True, what_remains=WHAT_REMAINS)


@router.get("/audit", response_model=AuditTrail, responses=responses(Unauthenticated))
async def get_audit(identity: CurrentIdentity) -> AuditTrail:
    """Who read your identity, when and why (newest first)."""
    return AuditTrail(entries=await identity.vault.audit_trail(identity.account_id))
