"""Errors the vault raises (rendered as problem+json)."""

from app.errors import AppError, Conflict, FieldError, Forbidden, NotFound, Unauthenticated


class InvalidCredentials(
    Unauthenticated, code="invalid_credentials", title="Email or password not recognised"
): ...


class AccountDeactivated(
    Forbidden, code="account_deactivated", title="This account is deactivated"
):
    """The right password for an account an administrator or the identity provider
    deactivated: said plainly, since only someone who knows the password learns it."""


class SignUpClosed(Forbidden, code="sign_up_closed", title="Sign-up needs an invitation"): ...


class InvalidInvitation(
    AppError,
    code="invalid_invitation",
    title="The invitation code is not valid or has expired",
    status=400,
): ...


class InvalidConfirmation(
    AppError,
    code="invalid_confirmation",
    title="The confirmation link is not valid or has expired",
    status=400,
):
    """A confirmation code that is unknown, used already, replaced by a newer one, expired,
    or another account's: one answer for all."""


class EmailTaken(
    Conflict, code="email_taken", title="An account with this email already exists"
): ...


class AccountNotFound(NotFound, code="account_not_found", title="Account not found"): ...


class UnknownCohort(AppError, code="unknown_cohort", title="Unknown generation", status=400): ...


class LastAdmin(Conflict, code="last_admin", title="At least one active admin must remain"): ...


class WeakPassword(AppError):
    """A new password the rules refuse; `errors[0].code` (and `.type`) says which rule
    (too_short, with its `min_length`; too_common; contains_personal_info) and the detail says
    why, never echoing the password."""

    status = 422
    code = "weak_password"
    title = "Choose a stronger password"

    def __init__(self, reason: str, detail: str, params: dict[str, int] | None = None):
        super().__init__(
            detail, errors=[FieldError.of("body.password", reason, detail, dict(params or {}))]
        )
