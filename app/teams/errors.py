"""Errors of the teams domain."""

from app.errors import Conflict, NotFound


class TeamNotFound(NotFound, code="team_not_found", title="Team not found"): ...


class AlreadyInTeam(
    Conflict, code="already_in_team", title="You are already in a team in this challenge"
): ...


class TeamFull(Conflict, code="team_full", title="The team is full"): ...


class NotSelfFormed(
    Conflict, code="not_self_formed", title="Teams in this challenge are formed by the facilitator"
): ...


class MessageNotFound(NotFound, code="message_not_found", title="Message not found"): ...


class EditWindowOver(
    Conflict, code="edit_window_over", title="Messages can be edited only shortly after posting"
): ...
