"""Your own profile, what is on record, export, erasure and who read your identity."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from app.auth.deps import AppSettings, CsrfFailed, CurrentSession, VaultService, session_cookie_name
from app.db import VaultDb
from app.errors import Unauthenticated, responses
from app.me.schemas import AuditTrail, Erasure, ErasureDone, MeUpdate, Record
from app.vault import EmailTaken, InvalidCredentials, Profile, ProfileUpdate, UnknownCohort

router = APIRouter(prefix="/me", tags=["me"])

WHAT_REMAINS = (
    "Your identity, sign-in and pseudonym links are gone: the key that opened them was destroyed. "
    "What you contributed under pseudonyms (team messages, submissions, reviews) stays, with no "
    "way left to connect it to you."
)


@router.get("", response_model=Profile, responses=responses(Unauthenticated))
async def get_me(session: CurrentSession, vault: VaultService, db: VaultDb) -> Profile:
    """Your profile, decrypted for you."""
    return await vault.own_profile(db, session.account_id)


@router.patch(
    "",
    response_model=Profile,
    responses=responses(Unauthenticated, CsrfFailed, InvalidCredentials, EmailTaken, UnknownCohort),
)
async def update_me(
    body: MeUpdate, session: CurrentSession, vault: VaultService, db: VaultDb
) -> Profile:
    """Change your profile; only the fields you send change. A new email needs
    `current_password` (401 `invalid_credentials` without it or if it is wrong): a session
    left open must not be enough to take the account over."""
    changes = body.model_dump(exclude_unset=True)
    password = changes.pop("current_password", None)
    new_email = changes.get("email")
    if new_email is not None:
        current = await vault.own_profile(db, session.account_id)
        if new_email.casefold() != current.email.casefold():
            if password is None:
                raise InvalidCredentials("Give your current password to change your email.")
            await vault.verify_password(db, session.account_id, password)
    return await vault.update_profile(db, session.account_id, ProfileUpdate.model_validate(changes))


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
    response: Response,
    session: CurrentSession,
    vault: VaultService,
    db: VaultDb,
    settings: AppSettings,
) -> ErasureDone:
    """Erase your account by destroying its key (crypto-shredding); needs your password."""
    await vault.verify_password(db, session.account_id, body.password)
    await vault.erase(db, session.account_id)
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
