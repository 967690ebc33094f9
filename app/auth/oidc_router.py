"""Single sign-on routes: start a sign-in (or a link), and the provider's callback."""

from __future__ import annotations

import hmac
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from app.auth.deps import AppSettings, CsrfFailed, CurrentSession, OptionalSession, RequestVault
from app.auth.oidc import (
    OidcClient,
    SsoDenied,
    SsoProviderUnreachable,
    SsoReauthenticationSessionChanged,
    SsoSessionChanged,
    SsoStateInvalid,
    SsoUnavailable,
    check_fresh_sign_in,
    identity_from,
    oidc_client,
    role_grant,
)
from app.auth.oidc_schemas import (
    SignInMethods,
    SsoLinkState,
    SsoMethod,
    SsoReauthStart,
    SsoRedirect,
)
from app.auth.router import _set_session_cookie
from app.config import Settings
from app.errors import AppError, Unauthenticated, responses
from app.vault import SessionInfo

router = APIRouter(prefix="/auth", tags=["auth"])

# Long enough to sign in at the provider (a second factor included), short enough that a
# forgotten tab's state is useless soon.
STATE_TTL_S = 10 * 60
CALLBACK_PATH = "/api/v1/auth/oidc"
SIGN_IN_PAGE = "/sign-in"
ACCOUNT_PAGE = "/me"
# Where a re-authentication comes back to: the page of the action it confirms.
REAUTH_PAGES = {"erase": "/me/record", "email": ACCOUNT_PAGE}

OidcClientDep = Annotated[OidcClient, Depends(oidc_client)]


def _state_cookie_name(settings: Settings) -> str:
    # __Secure- (not __Host-): the cookie is scoped to the SSO routes' path.
    return "challenge_oidc" if settings.is_development else "__Secure-challenge_oidc"


def _redirect(location: str) -> RedirectResponse:
    response = RedirectResponse(location, status_code=302)
    response.headers["Cache-Control"] = "no-store"
    return response


def _set_state_cookie(response: Any, settings: Settings, sealed: str) -> None:
    # SameSite=Lax: the provider sends the browser back with a top-level GET from its own
    # site, which Lax lets the cookie ride along with (Strict would not).
    response.set_cookie(
        _state_cookie_name(settings),
        sealed,
        max_age=STATE_TTL_S,
        httponly=True,
        secure=not settings.is_development,
        samesite="lax",
        path=CALLBACK_PATH,
    )


async def _start(
    client: OidcClient,
    vault: RequestVault,
    settings: Settings,
    purpose: Literal["sign_in", "link", "reauth"],
    session: SessionInfo | None = None,
    then: str | None = None,
) -> tuple[str, str]:
    reauth = purpose == "reauth"
    asked_at = int(time.time())
    authorisation = await client.authorisation(fresh_sign_in=reauth)
    sealed = vault.seal_sso_state(
        {
            "state": authorisation.state,
            "nonce": authorisation.nonce,
            "verifier": authorisation.code_verifier,
            "purpose": purpose,
            "account": str(session.account_id) if session is not None else None,
            # A re-authentication counts for the session that asked for it, and only for it.
            "session": str(session.session_id) if reauth and session is not None else None,
            "then": then,
            "asked_at": asked_at,
        },
        ttl_s=STATE_TTL_S,
    )
    return authorisation.url, sealed


@router.get("/methods", response_model=SignInMethods)
async def sign_in_methods(settings: AppSettings) -> SignInMethods:
    """How people sign in: with a password, with single sign-on, or both."""
    return SignInMethods(
        password=settings.password_sign_in,
        sso=SsoMethod(name=settings.oidc_name) if settings.sso_enabled else None,
    )


@router.get(
    "/oidc/login",
    status_code=302,
    response_class=RedirectResponse,
    responses={
        **responses(),
        302: {"description": "To the provider, or to /sign-in#sso_error=CODE"},
    },
)
async def oidc_login(request: Request, vault: RequestVault, settings: AppSettings) -> Any:
    """Start signing in at the provider (a browser navigation, not an API call)."""
    try:
        client = await oidc_client(request)
        location, sealed = await _start(client, vault, settings, "sign_in")
    except AppError as exc:
        return _redirect(f"{SIGN_IN_PAGE}#sso_error={exc.code}")
    response = _redirect(location)
    _set_state_cookie(response, settings, sealed)
    return response


@router.get(
    "/oidc/link",
    response_model=SsoLinkState,
    responses=responses(Unauthenticated, SsoUnavailable),
)
async def oidc_link_state(
    session: CurrentSession, vault: RequestVault, _: OidcClientDep
) -> SsoLinkState:
    """Whether your account is linked to your identity at the provider."""
    return SsoLinkState(linked=await vault.sso_linked(session.account_id))


@router.post(
    "/oidc/link",
    response_model=SsoRedirect,
    responses=responses(Unauthenticated, CsrfFailed, SsoUnavailable, SsoProviderUnreachable),
)
async def oidc_link(
    session: CurrentSession,
    vault: RequestVault,
    settings: AppSettings,
    client: OidcClientDep,
) -> Any:
    """Start linking your account to your identity at the provider: open `location`; you come
    back to /me (#sso_linked, or #sso_error=CODE). A POST with the CSRF token, so that no other
    site can start a link in your name."""
    location, sealed = await _start(client, vault, settings, "link", session)
    response = JSONResponse(SsoRedirect(location=location).model_dump())
    response.headers["Cache-Control"] = "no-store"
    _set_state_cookie(response, settings, sealed)
    return response


@router.post(
    "/oidc/reauth",
    response_model=SsoRedirect,
    responses=responses(Unauthenticated, CsrfFailed, SsoUnavailable, SsoProviderUnreachable),
)
async def oidc_reauth(
    session: CurrentSession,
    vault: RequestVault,
    settings: AppSettings,
    client: OidcClientDep,
    body: SsoReauthStart | None = None,
) -> Any:
    """Start signing in again at the provider to confirm an action that needs proof it is you
    (erasing an account that has no password): open `location`; the provider asks you to sign
    in even if you are signed in there, and you come back to the action's page (`then`:
    /me/record for erase, /me for email; #sso_reauthenticated, or #reauth_error=CODE). For
    this session only, for a few minutes and one action."""
    then = (body or SsoReauthStart()).then
    location, sealed = await _start(client, vault, settings, "reauth", session, then)
    response = JSONResponse(SsoRedirect(location=location).model_dump())
    response.headers["Cache-Control"] = "no-store"
    _set_state_cookie(response, settings, sealed)
    return response


@router.get(
    "/oidc/callback",
    status_code=302,
    response_class=RedirectResponse,
    responses={
        **responses(),
        302: {"description": "Signed in: to /; refused: to /sign-in#sso_error=CODE"},
    },
)
async def oidc_callback(
    request: Request,
    vault: RequestVault,
    settings: AppSettings,
    session: OptionalSession,
    # Some providers' codes run to a few thousand characters (Entra ID's do).
    code: Annotated[str | None, Query(max_length=8192)] = None,
    state: Annotated[str | None, Query(max_length=512)] = None,
    error: Annotated[str | None, Query(max_length=256)] = None,
) -> Any:
    """Where the provider sends the browser back: the answer is checked, then you are signed
    in (or your account linked). Every refusal is a redirect with a code the UI explains."""
    sealed = request.cookies.get(_state_cookie_name(settings))
    flow = vault.open_sso_state(sealed) if sealed and len(sealed) <= 4096 else None
    purpose = flow["purpose"] if flow is not None else None
    failure = {
        "link": f"{ACCOUNT_PAGE}#sso_error=",
        # Its own key: the page says a failed confirmation next to the action it was for.
        "reauth": f"{_reauth_page(flow)}#reauth_error=",
    }.get(str(purpose), f"{SIGN_IN_PAGE}#sso_error=")
    try:
        client = await oidc_client(request)
        if (
            flow is None
            or state is None
            or not hmac.compare_digest(str(flow["state"]).encode(), state.encode())
        ):
            raise SsoStateInvalid()
        if error is not None:
            raise SsoDenied()
        if code is None:
            raise SsoStateInvalid()
        claims = await client.redeem(
            code=code, code_verifier=str(flow["verifier"]), nonce=str(flow["nonce"])
        )
        if purpose == "reauth":
            response = await _reauthenticated(flow, claims, vault, settings, session)
        elif purpose == "link":
            identity = identity_from(settings, claims)
            if session is None or str(session.account_id) != flow["account"]:
                raise SsoSessionChanged()
            await vault.link_sso(session.account_id, identity)
            response = _redirect(f"{ACCOUNT_PAGE}#sso_linked")
        else:
            identity = identity_from(settings, claims)
            signed_in = await vault.sso_sign_in(
                identity,
                create_accounts=settings.oidc_create_accounts,
                roles=role_grant(settings, claims),
            )
            response = _redirect("/")
            _set_session_cookie(response, settings, await vault.open_session(signed_in.account_id))
    except AppError as exc:
        response = _redirect(f"{failure}{exc.code}")
    # One use: whatever the outcome, the state is spent.
    response.delete_cookie(
        _state_cookie_name(settings),
        httponly=True,
        secure=not settings.is_development,
        samesite="lax",
        path=CALLBACK_PATH,
    )
    return response


async def _reauthenticated(
    flow: dict[str, Any],
    claims: dict[str, Any],
    vault: RequestVault,
    settings: Settings,
    session: SessionInfo | None,
) -> RedirectResponse:
    """The end of a re-authentication: the same session as started it, a sign-in at the
    provider since then, by the identity linked to this account."""
    if (
        session is None
        or str(session.account_id) != flow["account"]
        or str(session.session_id) != flow["session"]
    ):
        raise SsoReauthenticationSessionChanged()
    check_fresh_sign_in(claims, asked_at=float(flow["asked_at"]))
    assert settings.oidc_issuer is not None
    await vault.sso_reauthenticate(
        session_id=session.session_id,
        account_id=session.account_id,
        issuer=settings.oidc_issuer,
        subject=str(claims["sub"]),
    )
    return _redirect(f"{_reauth_page(flow)}#sso_reauthenticated")


def _reauth_page(flow: dict[str, Any] | None) -> str:
    return REAUTH_PAGES.get(str((flow or {}).get("then")), REAUTH_PAGES["erase"])
