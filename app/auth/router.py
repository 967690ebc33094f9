"""Sign-up, sign-in, sign-out, CSRF token."""

from __future__ import annotations

import secrets
import uuid

from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response, status

from app.auth.deps import (
    AppSettings,
    CsrfFailed,
    CurrentSession,
    MailService,
    OptionalSession,
    RequestVault,
    client_address,
    csrf_cookie_name,
    require_pre_session_csrf,
    session_cookie_name,
)
from app.auth.oidc import PasswordSignInOff, require_password_sign_in
from app.auth.schemas import (
    CsrfOut,
    InvitationLookup,
    SessionOut,
    SignIn,
    SignUp,
    SignUpConfirmation,
    SignUpPending,
)
from app.config import Settings
from app.errors import TooManyRequests, Unauthenticated, responses
from app.kit.mail import send_after_commit
from app.vault import (
    AccountDeactivated,
    EmailTaken,
    InvalidConfirmation,
    InvalidCredentials,
    InvalidInvitation,
    InvitationPrefill,
    NewProfile,
    ProfileRules,
    SignUpClosed,
    UnknownCohort,
    profile_rules,
)

router = APIRouter(prefix="/auth", tags=["auth"])


def _set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        session_cookie_name(settings),
        token,
        max_age=settings.session_absolute_hours * 3600,
        httponly=True,
        secure=not settings.is_development,
        samesite="lax",
        path="/",
    )


def _clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        session_cookie_name(settings),
        httponly=True,
        secure=not settings.is_development,
        samesite="lax",
        path="/",
    )


async def _start_session(
    vault: RequestVault, settings: Settings, response: Response, account_id: uuid.UUID
) -> SessionOut:
    token = await vault.open_session(account_id)
    _set_session_cookie(response, settings, token)
    session = await vault.resolve_session(token)
    assert session is not None
    return SessionOut(roles=session.roles, language=session.language, csrf_token=session.csrf_token)


@router.get("/profile-rules", response_model=ProfileRules)
async def get_profile_rules() -> ProfileRules:
    """The bounds the server applies to a profile's numbers (birth year, years of experience),
    for sign-up and profile forms to offer the same ones; a value outside them is refused
    with the field error code `out_of_range` or `too_small`/`too_large`."""
    return profile_rules()


@router.get("/csrf", response_model=CsrfOut)
async def csrf_token(
    request: Request,
    response: Response,
    session: OptionalSession,
    vault: RequestVault,
    settings: AppSettings,
) -> CsrfOut:
    """The token to send back in X-CSRF-Token (bound to your session, or to a seed cookie)."""
    if session is not None:
        return CsrfOut(csrf_token=session.csrf_token)
    seed = request.cookies.get(csrf_cookie_name(settings))
    if not seed or len(seed) > 100:
        seed = secrets.token_urlsafe(24)
        response.set_cookie(
            csrf_cookie_name(settings),
            seed,
            httponly=True,
            secure=not settings.is_development,
            samesite="strict",
            path="/",
        )
    return CsrfOut(csrf_token=vault.csrf_token_for_seed(seed))


@router.post(
    "/sign-up",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    dependencies=[Depends(require_password_sign_in), Depends(require_pre_session_csrf)],
    responses={
        201: {"model": SessionOut, "description": "Invitation accepted: you are signed in"},
        202: {
            "model": SignUpPending,
            "description": "Open sign-up, or an invitation accepted with another address "
            "than the invited one: a message went to the address (the same answer whether it "
            "has an account or not); follow its link to finish",
        },
        **responses(
            EmailTaken,
            SignUpClosed,
            InvalidInvitation,
            UnknownCohort,
            CsrfFailed,
            TooManyRequests,
            PasswordSignInOff,
        ),
    },
)
async def sign_up(
    body: SignUp,
    request: Request,
    response: Response,
    background: BackgroundTasks,
    vault: RequestVault,
    mailer: MailService,
    settings: AppSettings,
) -> SessionOut | SignUpPending:
    """Accept an invitation (with its code and the invited address: 201, signed in), or sign
    up openly or with another address (202: the address receives a link to confirm, or its
    owner a notice; nothing else tells which)."""
    profile = NewProfile.model_validate(
        body.model_dump(exclude_unset=True, exclude={"password", "invitation_code"})
    )
    if body.invitation_code is None:
        messages = await vault.request_sign_up(
            profile, password=body.password, client_address=client_address(request)
        )
        await send_after_commit(background, mailer, messages)
        response.status_code = status.HTTP_202_ACCEPTED
        return SignUpPending()
    answer = await vault.accept_invitation(
        profile,
        password=body.password,
        invitation_code=body.invitation_code,
        client_address=client_address(request),
    )
    if answer.account_id is None:
        # Another address than the invited one: it waits for its own link, like open sign-up.
        await send_after_commit(background, mailer, answer.messages)
        response.status_code = status.HTTP_202_ACCEPTED
        return SignUpPending()
    return await _start_session(vault, settings, response, answer.account_id)


@router.post(
    "/sign-up/invitation",
    response_model=InvitationPrefill,
    dependencies=[Depends(require_pre_session_csrf)],
    responses=responses(InvalidInvitation, CsrfFailed, TooManyRequests),
)
async def invitation_prefill(
    body: InvitationLookup, request: Request, vault: RequestVault
) -> InvitationPrefill:
    """The name and email an administrator invited, for the sign-up form to fill in. The code
    travels in the body, not the address, so that no log keeps it; lookups count against the
    per-address limit of the other code checks."""
    return await vault.invitation_prefill(
        invitation_code=body.invitation_code, client_address=client_address(request)
    )


@router.post(
    "/sign-up/confirmations",
    response_model=SessionOut,
    dependencies=[Depends(require_password_sign_in), Depends(require_pre_session_csrf)],
    responses=responses(
        InvalidConfirmation, InvalidCredentials, CsrfFailed, TooManyRequests, PasswordSignInOff
    ),
)
async def confirm_sign_up(
    body: SignUpConfirmation,
    request: Request,
    response: Response,
    vault: RequestVault,
    settings: AppSettings,
) -> SessionOut:
    """Finish an open sign-up with the code from the link and the password chosen then;
    activates the account and signs in (sets the session cookie)."""
    account_id = await vault.confirm_sign_up(
        code=body.code, password=body.password, client_address=client_address(request)
    )
    return await _start_session(vault, settings, response, account_id)


@router.post(
    "/sign-in",
    response_model=SessionOut,
    dependencies=[Depends(require_password_sign_in), Depends(require_pre_session_csrf)],
    responses=responses(
        InvalidCredentials, AccountDeactivated, TooManyRequests, CsrfFailed, PasswordSignInOff
    ),
)
async def sign_in(
    body: SignIn,
    request: Request,
    response: Response,
    vault: RequestVault,
    settings: AppSettings,
) -> SessionOut:
    """Sign in with email and password; sets the session cookie."""
    account_id = await vault.authenticate(
        email=body.email, password=body.password, client_address=client_address(request)
    )
    return await _start_session(vault, settings, response, account_id)


@router.post(
    "/sign-out",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(Unauthenticated, CsrfFailed),
)
async def sign_out(session: CurrentSession, vault: RequestVault, settings: AppSettings) -> Response:
    """End this session."""
    await vault.close_session(session.session_id)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    _clear_session_cookie(response, settings)
    return response


@router.post(
    "/sign-out-everywhere",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(Unauthenticated, CsrfFailed),
)
async def sign_out_everywhere(
    session: CurrentSession, vault: RequestVault, settings: AppSettings
) -> Response:
    """End every session of this account, on every device."""
    await vault.close_all_sessions(session.account_id)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    _clear_session_cookie(response, settings)
    return response
