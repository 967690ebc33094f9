"""Errors of your own account's routes (rendered as problem+json)."""

from app.errors import Forbidden


class ReauthenticationRequired(
    Forbidden,
    code="reauthentication_required",
    title="Confirm it is you: sign in again at your single sign-on provider",
):
    """An account without a password confirms a sensitive action (its erasure, a new e-mail)
    by signing in again at the provider (`POST /auth/oidc/reauth`) within the last minutes,
    from this session; each re-authentication confirms one action."""
