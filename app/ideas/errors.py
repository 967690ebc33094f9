"""Errors of the idea library."""

from app.errors import AppError, Conflict, NotFound


class IdeaNotFound(NotFound, code="idea_not_found", title="No such entry in the idea library"): ...


class NoFinalSubmission(
    Conflict, code="no_final_submission", title="Only a team's final submission can be published"
): ...


class IdeaVersionConflict(
    Conflict,
    code="idea_version_conflict",
    title="A teammate saved a newer version of the text to publish",
): ...


class ProposalOpen(
    Conflict,
    code="proposal_open",
    title="The team is answering a proposal to publish; a veto ends it",
): ...


class NoOpenProposal(
    Conflict, code="no_open_proposal", title="This proposal to publish is no longer open"
): ...


class AlreadyPublished(
    Conflict, code="idea_already_published", title="The entry is already published"
): ...


class IdentifyingText(
    AppError,
    code="identifying_text",
    title="The text could identify someone: edit it before proposing it",
    status=422,
): ...
