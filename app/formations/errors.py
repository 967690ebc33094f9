"""Errors of the formation flow."""

from app.errors import Conflict, NotFound


class FormationNotFound(NotFound, code="formation_not_found", title="Formation run not found"): ...


class FormationRunning(
    Conflict, code="formation_running", title="A formation is already running for this challenge"
): ...


class FormationNotReady(
    Conflict, code="formation_not_ready", title="This formation run cannot change now"
): ...


class NobodyEnrolled(
    Conflict, code="nobody_enrolled", title="Nobody has joined this challenge yet"
): ...


class MoveRefused(Conflict, code="move_refused", title="That move would break a team rule"): ...


class ParticipantsChanged(
    Conflict, code="participants_changed", title="People joined or withdrew since this run"
): ...


class TeamsExist(Conflict, code="teams_exist", title="This challenge already has teams"): ...
