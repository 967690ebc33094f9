"""Errors of the challenge domain."""

from app.errors import AppError, Conflict, Forbidden, NotFound


class ChallengeNotFound(NotFound, code="challenge_not_found", title="Challenge not found"): ...


class WrongPhase(
    Conflict, code="wrong_phase", title="Not possible in the challenge's current phase"
): ...


class PhaseBackwards(Conflict, code="phase_backwards", title="Phases only move forward"): ...


class PhaseNotReady(
    Conflict, code="phase_not_ready", title="The challenge is not ready for that phase"
): ...


class StaleRevision(
    Conflict, code="stale_revision", title="Someone changed this challenge since you opened it"
): ...


class LockedAfterPhase(
    Conflict, code="locked_after_phase", title="This can no longer change in the current phase"
): ...


class NotEnrolled(NotFound, code="not_enrolled", title="You have not joined this challenge"): ...


class OwnChallenge(
    Conflict,
    code="own_challenge",
    title="Facilitators do not take part in challenges they facilitate",
): ...


class CreatorStays(
    Conflict,
    code="cannot_remove_creator",
    title="A challenge's creator stays one of its facilitators",
): ...


class CannotMoveYourself(
    Forbidden, code="cannot_move_yourself", title="Nobody moves themselves between teams"
): ...


class InvalidSchedule(
    AppError, code="invalid_schedule", title="The phase dates are not consistent"
): ...
