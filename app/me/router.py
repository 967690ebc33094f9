"""Your own profile, what is on record, export, erasure and who read your identity."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import event

from app.auth.deps import (
    AppSettings,
    CsrfFailed,
    CurrentSession,
    MailService,
    VaultService,
    session_cookie_name,
)
from app.db import AppDb, VaultDb
from app.errors import TooManyRequests, Unauthenticated, responses
from app.kit.mail import send_after_commit
from app.me.erasure import leave_running_challenges
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
    ProfileUpdate,
    UnknownCohort,
)

router = APIRouter(prefix="/me", tags=["me"])

WHAT_REMAINS = (
    "Your identity, sign-in and pseudonym links are gone: the key that opened them was destroyed. "
    "What you contributed under pseudonyms (team messages, submissions, reviews) stays, with no "
    "way left to connect it to you."
)


@router.get("", response_model=Me, responses=responses(Unauthenticated))
async def get_me(session: CurrentSession, vault: VaultService, db: VaultDb) -> Me:
    """Your profile, decrypted for you, with a new email waiting for your confirmation."""
    profile = await vault.own_profile(db, session.account_id)
    pending = await vault.pending_email(db, session.account_id)
    return Me(**profile.model_dump(), pending_email=pending)


@router.patch(
    "",
    response_model=Me,
    responses=responses(
        Unauthenticated, CsrfFailed, InvalidCredentials, UnknownCohort, TooManyRequests
    ),
)
async def update_me(
    body: MeUpdate,
    session: CurrentSession,
    background: BackgroundTasks,
    vault: VaultService,
    mailer: MailService,
    db: VaultDb,
) -> Me:
    """Change your profile; only the fields you send change. A new email needs
    `current_password` (401 `invalid_credentials` without it or if it is wrong): a session
    left open must not be enough to take the account over. It does not change at once: a link
    goes to the new address (`pending_email`), and the answer is the same whether another
    account has that address or not (its owner is told instead); open the link to confirm."""
    changes = body.model_dump(exclude_unset=True)
    password = changes.pop("current_password", None)
    new_email = changes.get("email")
    asked_for = None
    if new_email is not None:
        del changes["email"]
        current = await vault.own_profile(db, session.account_id)
        if new_email.casefold() != current.email.casefold():
            if password is None:
                raise InvalidCredentials("Give your current password to change your email.")
            await vault.verify_password(db, session.account_id, password)
            asked_for = new_email
    profile = await vault.update_profile(
        db, session.account_id, ProfileUpdate.model_validate(changes)
    )
    if asked_for is not None:  # after the rest, which may change the language to write in
        messages = await vault.request_email_change(db, session.account_id, asked_for)
        send_after_commit(background, mailer, messages)
    pending = await vault.pending_email(db, session.account_id)
    return Me(**profile.model_dump(), pending_email=pending)


@router.post(
    "/email-confirmations",
    response_model=Me,
    responses=responses(Unauthenticated, CsrfFailed, InvalidConfirmation, EmailTaken),
)
async def confirm_email(
    body: EmailConfirmationCode,
    session: CurrentSession,
    background: BackgroundTasks,
    vault: VaultService,
    mailer: MailService,
    db: VaultDb,
) -> Me:
    """Confirm a new email with the code from the link sent to it (signed in as the account
    that asked): the address changes if no other account took it meanwhile (409
    `email_taken`), and the old address is told."""
    messages = await vault.confirm_email_change(db, session.account_id, body.code)
    send_after_commit(background, mailer, messages)
    profile = await vault.own_profile(db, session.account_id)
    return Me(**profile.model_dump(), pending_email=None)


@router.get("/record", response_model=Record, responses=responses(Unauthenticated))
async def get_record(session: CurrentSession, vault: VaultService, db: VaultDb) -> Record:
    """Everything stored about you, where, whether encrypted, and who can see it."""
    return Record(items=await vault.record(db, session.account_id))


@router.get(
    "/export",
    responses={200: {"content": {"application/json": {}}}, **responses(Unauthenticated)},
)
async def export_me(session: CurrentSession, vault: VaultService, db: VaultDb) -> JSONResponse:
    """A machine-readable export of everything on record about you (JSON file)."""
    data: dict[str, Any] = await vault.export(db, session.account_id)
    return JSONResponse(
        data, headers={"Content-Disposition": 'attachment; filename="my-data.json"'}
    )


@router.delete(
    "",
    response_model=ErasureDone,
    responses=responses(Unauthenticated, CsrfFailed, InvalidCredentials),
)
async def erase_me(
    body: Erasure,
    request: Request,
    response: Response,
    session: CurrentSession,
    vault: VaultService,
    db: VaultDb,
    app_db: AppDb,
    settings: AppSettings,
) -> ErasureDone:
    """Erase your account by destroying its key (crypto-shredding); needs your password.

    You leave every challenge that is not closed (your team is told a member left). Copies of
    the databases taken before stop opening anything of yours once the erasure epoch that
    follows destroys the key-encryption key of the time (docs/privacy.md, "Erasure").
    """
    await vault.verify_password(db, session.account_id, body.password)
    mine = await vault.challenges_of(db, session.account_id)
    await leave_running_challenges(app_db, mine.values())
    await vault.erase(db, session.account_id)
    epochs = request.app.state.erasure_epochs
    event.listen(db.sync_session, "after_commit", lambda _: epochs.wake(), once=True)
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
async def get_audit(session: CurrentSession, vault: VaultService, db: VaultDb) -> AuditTrail:
    """Who read your identity, when and why (newest first)."""
    return AuditTrail(entries=await vault.audit_trail(db, session.account_id))
