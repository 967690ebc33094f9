"""The review rounds' errors (the anonymous path's are in app/redemption/errors.py)."""

from __future__ import annotations

from app.errors import AppError, Conflict, NotFound


class RoundNotOpen(Conflict, code="round_not_open", title="The review round is not open"): ...


class RoundNotFound(
    NotFound, code="round_not_found", title="This challenge has no review round yet"
): ...


class AlreadyIssued(
    Conflict,
    code="tokens_already_issued",
    title="You already received your review tokens for this round",
): ...


class NoTeam(Conflict, code="no_team", title="Only members of a team take part in reviews"): ...


class WrongBatch(
    AppError,
    code="wrong_batch",
    title="Send one blinded message for every submission you may review, and only those",
): ...


class OwnSubmission(
    AppError,
    code="own_submission",
    title="You cannot review your own team's submission",
    status=403,
): ...


class InvalidBlindedMessage(
    AppError, code="invalid_blinded_message", title="A blinded message is not valid for its key"
): ...


class WalletExists(
    Conflict,
    code="wallet_exists",
    title="Your token wallet is already stored; it is written once and never replaced",
): ...


class TokensNotIssued(
    Conflict,
    code="tokens_not_issued",
    title="You have not received review tokens in this round yet",
): ...


class WalletNotFound(
    NotFound, code="wallet_not_found", title="No token wallet is stored for you in this round"
): ...
