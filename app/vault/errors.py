"""Errors the vault raises (rendered as problem+json)."""

from app.errors import AppError, Conflict, Forbidden, NotFound, Unauthenticated


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"
    title = "Email or password not recognised"


class SignUpClosed(Forbidden):
    code = "sign_up_closed"
    title = "Sign-up needs an invitation"


class InvalidInvitation(AppError):
    status = 400
    code = "invalid_invitation"
    title = "The invitation code is not valid or has expired"


class EmailTaken(Conflict):
    code = "email_taken"
    title = "An account with this email already exists"


class AccountNotFound(NotFound):
    code = "account_not_found"
    title = "Account not found"


class UnknownCohort(AppError):
    status = 400
    code = "unknown_cohort"
    title = "Unknown generation"


class LastAdmin(Conflict):
    code = "last_admin"
    title = "At least one active admin must remain"
