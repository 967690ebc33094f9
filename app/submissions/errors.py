"""Errors of the submissions domain."""

from app.errors import Conflict, NotFound


class VersionConflict(
    Conflict, code="version_conflict", title="A teammate saved a newer version"
): ...


class SubmissionLocked(
    Conflict, code="submission_locked", title="The submission is final or the deadline has passed"
): ...


class NothingToSubmit(
    Conflict, code="nothing_to_submit", title="Save a draft before submitting it"
): ...


class VersionNotFound(NotFound, code="version_not_found", title="No such version"): ...


class NotFinal(Conflict, code="not_final", title="The submission is not final"): ...
