"""Single sign-on with OpenID Connect: the relying party (docs/integrations.md).

The authorisation code flow with PKCE (S256), `state` and `nonce`. Authlib's OAuth 2 client
builds the authorisation request and redeems the code; the ID token is checked with joserfc
(the JOSE library Authlib's own `authlib.jose` now hands over to): its signature against the
provider's published keys, then iss, aud (and azp when there are several audiences), exp,
iat, nonce and sub. Discovery and the key set are cached; a key id the cache does not know
sends for the key set again, which is how a provider's key rotation is followed. The code is
redeemed over a direct TLS connection to the provider, so a token reaching the check has
come from the provider, never from the browser: refetching the keys on an unknown key id
cannot be driven by a third party.

Who the checked identity is here (accounts, links, roles) is the vault's business
(app/vault/oidc.py).
"""

from __future__ import annotations

import asyncio
import secrets
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import httpx
from fastapi import Request
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from app.config import Settings
from app.errors import AppError, Forbidden
from app.vault import Language, Role, RoleGrant, SsoIdentity

with warnings.catch_warnings():
    # Authlib 1.9 warns, when imported, that it would rather use the `httpx2` fork; the app and
    # its tests speak httpx, which Authlib still supports. Its module of warnings installs an
    # "always" filter when first imported, so it goes first and ours on top.
    import authlib.deprecate  # noqa: F401

    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client
    from authlib.oauth2.rfc6749.errors import OAuth2Error

DISCOVERY_TTL_S = 3600.0
JWKS_TTL_S = 3600.0
HTTP_TIMEOUT_S = 10.0
# Clock difference tolerated between the provider and us on exp and iat.
LEEWAY_S = 60
# Signatures the provider may use: asymmetric only. `none` and the HMAC family (keyed with the
# client secret, which a leaked secret would let anyone forge) are never accepted.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
LANGUAGES: tuple[Language, ...] = ("en", "fr", "es")


class SsoError(AppError, code="sso_failed", title="Single sign-on failed", status=400):
    """A refusal of the callback: the UI shows `/sign-in#sso_error=<code>`, never a 500."""


class SsoUnavailable(SsoError, code="sso_unavailable", title="Single sign-on is not set up"): ...


class SsoStateInvalid(
    SsoError, code="sso_state_invalid", title="The sign-in took too long or was not started here"
): ...


class SsoDenied(SsoError, code="sso_denied", title="The provider did not sign you in"): ...


class SsoProviderUnreachable(
    SsoError, code="sso_provider_unreachable", title="The provider could not be reached"
): ...


class SsoTokenInvalid(
    SsoError, code="sso_token_invalid", title="The provider's answer did not pass our checks"
): ...


class SsoEmailUnverified(
    SsoError, code="sso_email_unverified", title="The provider has not verified your e-mail"
): ...


class SsoSessionChanged(
    SsoError, code="sso_session_changed", title="Sign in again, then link your account"
): ...


class SsoReauthenticationStale(
    SsoError,
    code="sso_reauthentication_stale",
    title="The provider did not ask you to sign in again",
):
    """The ID token of a re-authentication says no sign-in at the provider happened since it
    was asked for (or does not say when: `auth_time` is required once `max_age` is sent, OIDC
    Core 3.1.2.1): a session already open at the provider confirms nothing."""


class SsoReauthenticationSessionChanged(
    SsoError,
    code="sso_reauthentication_session_changed",
    title="Confirm again from your account page: the confirmation was started by another session",
):
    """A re-authentication counts for the session that started it: its state cookie brought
    back with another session (or none) confirms nothing."""


class PasswordSignInOff(
    Forbidden,
    code="password_sign_in_off",
    title="Sign-in with a password is turned off: use single sign-on",
): ...


async def require_password_sign_in(request: Request) -> None:
    """For the password sign-in and sign-up routes: 403 when the service is SSO-only."""
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    if not settings.password_sign_in:
        raise PasswordSignInOff(
            "This service signs people in through their organisation's single sign-on."
        )


def redirect_uri(settings: Settings) -> str:
    return f"{settings.public_url}/api/v1/auth/oidc/callback"


@dataclass(frozen=True, slots=True)
class Authorisation:
    """Where to send the browser, and what to keep (sealed, in its cookie) until it is back."""

    url: str
    state: str
    nonce: str
    code_verifier: str


class OidcClient:
    """The relying party of one configured provider; one per worker, with its caches."""

    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None):
        assert settings.oidc_issuer is not None
        assert settings.oidc_client_id is not None
        assert settings.oidc_client_secret is not None
        self._settings = settings
        self._issuer = settings.oidc_issuer
        self._client_id = settings.oidc_client_id
        # Tests hand in a transport to reach an in-process key server; None: the network.
        self._transport = transport
        self._metadata: tuple[float, dict[str, Any]] | None = None
        self._keys: tuple[float, KeySet] | None = None
        self._lock = asyncio.Lock()

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=HTTP_TIMEOUT_S, transport=self._transport)

    def _oauth(self) -> AsyncOAuth2Client:
        secret = self._settings.oidc_client_secret
        assert secret is not None
        return AsyncOAuth2Client(
            client_id=self._client_id,
            client_secret=secret.get_secret_value(),
            scope=self._settings.oidc_scopes,
            redirect_uri=redirect_uri(self._settings),
            code_challenge_method="S256",
            timeout=HTTP_TIMEOUT_S,
            transport=self._transport,
        )

    async def _get_json(self, url: str, **headers: str) -> dict[str, Any]:
        try:
            async with self._http() as http:
                response = await http.get(url, headers=headers)
                response.raise_for_status()
                body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise SsoProviderUnreachable() from exc
        if not isinstance(body, dict):
            raise SsoProviderUnreachable()
        return body

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, kept for DISCOVERY_TTL_S."""
        async with self._lock:
            cached = self._metadata
            if cached is None or time.monotonic() - cached[0] >= DISCOVERY_TTL_S:
                document = await self._get_json(f"{self._issuer}/.well-known/openid-configuration")
                # A discovery document naming another issuer is someone else's (OIDC Discovery
                # 4.3): its keys and endpoints must not be trusted for this one.
                if document.get("issuer") != self._issuer:
                    raise SsoProviderUnreachable()
                cached = self._metadata = (time.monotonic(), document)
            return cached[1]

    async def _key_set(self, *, refresh: bool) -> KeySet:
        metadata = await self.metadata()
        async with self._lock:
            cached = self._keys
            if refresh or cached is None or time.monotonic() - cached[0] >= JWKS_TTL_S:
                document = await self._get_json(str(metadata["jwks_uri"]))
                try:
                    key_set = KeySet.import_key_set(cast(Any, document))
                except (JoseError, ValueError, TypeError, KeyError) as exc:
                    raise SsoProviderUnreachable() from exc
                cached = self._keys = (time.monotonic(), key_set)
            return cached[1]

    async def authorisation(
        self, *, state: str | None = None, fresh_sign_in: bool = False
    ) -> Authorisation:
        """The authorisation request; `fresh_sign_in` makes the provider ask the person to sign
        in again even when they have a session there (`prompt=login`, and `max_age=0`, which
        also obliges it to say when they did in `auth_time`)."""
        metadata = await self.metadata()
        state = state or secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(32)
        code_verifier = secrets.token_urlsafe(64)
        fresh = {"prompt": "login", "max_age": "0"} if fresh_sign_in else {}
        async with self._oauth() as oauth:
            url, _ = oauth.create_authorization_url(
                str(metadata["authorization_endpoint"]),
                state=state,
                nonce=nonce,
                code_verifier=code_verifier,
                **fresh,
            )
        return Authorisation(url=url, state=state, nonce=nonce, code_verifier=code_verifier)

    async def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """The ID token's claims once its signature and claims have passed the checks."""
        try:
            header = jws.extract_compact(id_token.encode()).headers()
        except (JoseError, ValueError) as exc:
            raise SsoTokenInvalid() from exc
        if header.get("alg") not in SIGNING_ALGORITHMS:
            raise SsoTokenInvalid()
        keys = await self._key_set(refresh=False)
        kid = header.get("kid")
        if kid is not None and not any(key.kid == kid for key in keys.keys):
            # The provider has rotated its keys since we fetched them.
            keys = await self._key_set(refresh=True)
        try:
            token = jwt.decode(id_token, keys, algorithms=list(SIGNING_ALGORITHMS))
            jwt.JWTClaimsRegistry(
                leeway=LEEWAY_S,
                iss={"essential": True, "value": self._issuer},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise SsoTokenInvalid() from exc
        claims = token.claims
        audiences = claims.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else audiences
        if not isinstance(audiences, list) or self._client_id not in audiences:
            raise SsoTokenInvalid()
        if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != self._client_id:
            raise SsoTokenInvalid()
        return claims

    async def _userinfo(self, access_token: str, subject: str) -> dict[str, Any]:
        """The userinfo claims (where providers put e-mail and groups when the ID token leaves
        them out); they count only for the same subject (OIDC Core 5.3.2)."""
        metadata = await self.metadata()
        endpoint = metadata.get("userinfo_endpoint")
        if not endpoint:
            return {}
        claims = await self._get_json(str(endpoint), Authorization=f"Bearer {access_token}")
        if claims.get("sub") != subject:
            raise SsoTokenInvalid()
        return claims

    async def redeem(self, *, code: str, code_verifier: str, nonce: str) -> dict[str, Any]:
        """Redeem the code, check the ID token and return its claims completed by userinfo."""
        metadata = await self.metadata()
        try:
            async with self._oauth() as oauth:
                token = await oauth.fetch_token(
                    str(metadata["token_endpoint"]),
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                )
        except (httpx.HTTPError, OAuth2Error, ValueError) as exc:
            raise SsoProviderUnreachable() from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise SsoTokenInvalid()
        claims = await self.verify_id_token(id_token, nonce=nonce)
        access_token = token.get("access_token")
        if isinstance(access_token, str) and (
            "email" not in claims or self._wants_role_claim(claims)
        ):
            claims = {**await self._userinfo(access_token, claims["sub"]), **claims}
        return claims

    def _wants_role_claim(self, claims: Mapping[str, Any]) -> bool:
        role_claim = self._settings.oidc_role_claim
        return role_claim is not None and role_claim not in claims


def check_fresh_sign_in(claims: Mapping[str, Any], *, asked_at: float) -> None:
    """The person signed in at the provider after we asked them to (`asked_at`, a Unix time),
    give or take the clock difference tolerated on the other times."""
    auth_time = claims.get("auth_time")
    if isinstance(auth_time, bool) or not isinstance(auth_time, int | float):
        raise SsoReauthenticationStale()
    if not asked_at - LEEWAY_S <= auth_time <= time.time() + LEEWAY_S:
        raise SsoReauthenticationStale()


def identity_from(settings: Settings, claims: Mapping[str, Any]) -> SsoIdentity:
    """The person the checked claims describe; an e-mail the provider has not verified is
    refused, since accounts are matched by e-mail."""
    email = claims.get("email")
    if claims.get("email_verified") is not True or not isinstance(email, str) or "@" not in email:
        raise SsoEmailUnverified()
    name = claims.get("name")
    locale = claims.get("locale")
    language = locale[:2].lower() if isinstance(locale, str) else None
    assert settings.oidc_issuer is not None
    return SsoIdentity(
        issuer=settings.oidc_issuer,
        subject=str(claims["sub"]),
        email=email.strip(),
        display_name=(name.strip() if isinstance(name, str) and name.strip() else "")
        or email.split("@", 1)[0],
        language=next((known for known in LANGUAGES if known == language), None),
    )


def role_grant(settings: Settings, claims: Mapping[str, Any]) -> RoleGrant | None:
    """The roles the claim mapping gives now, or None when no mapping is configured. A claim
    missing from the token grants nothing: the mapped roles are taken away."""
    if not settings.oidc_role_claim or not settings.oidc_role_map:
        return None
    values = claims.get(settings.oidc_role_claim)
    if isinstance(values, str):
        values = [values]
    held = {str(value) for value in values} if isinstance(values, list) else set()
    mapping = settings.oidc_role_map
    return RoleGrant(
        managed=frozenset(cast(Role, role) for role in mapping.values()),
        granted=frozenset(cast(Role, role) for value, role in mapping.items() if value in held),
    )


async def oidc_client(request: Request) -> OidcClient:
    """This worker's client of the configured provider (made on first use, with its caches)."""
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    if not settings.sso_enabled:
        raise SsoUnavailable()
    client = getattr(request.app.state, "oidc_client", None)
    if not isinstance(client, OidcClient):
        client = request.app.state.oidc_client = OidcClient(settings)
    return client
