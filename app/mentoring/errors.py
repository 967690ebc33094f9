"""Errors of the mentoring domain."""

from app.errors import AppError, Conflict, NotFound


class ProgrammeNotFound(NotFound, code="programme_not_found", title="Programme not found"): ...


class ProgrammeWrongPhase(
    Conflict, code="programme_wrong_phase", title="Not possible in the programme's current phase"
): ...


class ProgrammePhaseBackwards(
    Conflict, code="programme_phase_backwards", title="A programme's phases only move forward"
): ...


class ProgrammeNotReady(
    Conflict, code="programme_not_ready", title="The programme is not ready for that phase"
): ...


class StaleProgramme(
    Conflict, code="stale_programme", title="Someone changed this programme since you opened it"
): ...


class InvalidProgramme(
    AppError,
    code="invalid_programme",
    title="The programme's settings are not consistent",
    status=422,
): ...


class InvalidApplication(
    AppError,
    code="invalid_application",
    title="The application does not fit this programme",
    status=422,
): ...


class NoApplication(
    NotFound, code="no_application", title="You have not applied to this programme"
): ...


class ApplicationNotFound(
    NotFound, code="application_not_found", title="No such application in this programme"
): ...


class OwnProgramme(
    Conflict, code="own_programme", title="A programme's leads do not apply to it"
): ...


class LeadStays(
    Conflict, code="cannot_remove_programme_creator", title="A programme's creator stays its lead"
): ...


class NothingToMatch(
    Conflict, code="nothing_to_match", title="No accepted mentor and mentee are waiting for a pair"
): ...


class RunNotFound(NotFound, code="match_run_not_found", title="Matching run not found"): ...


class RunInProgress(
    Conflict, code="match_run_in_progress", title="A matching run is already in progress"
): ...


class RunNotReady(
    Conflict, code="match_run_not_ready", title="Only a finished, unpublished run can change"
): ...


class ApplicantsChanged(
    Conflict, code="applicants_changed", title="Applications changed since this run"
): ...


class SwapRefused(AppError, code="swap_refused", title="This pair is not allowed", status=422): ...


class NoPair(NotFound, code="no_pair", title="You have no pair in this programme"): ...


class AnswerFinal(Conflict, code="answer_final", title="You have answered already"): ...


class PairNotAgreed(
    Conflict, code="pair_not_agreed", title="Both members must accept the pair first"
): ...


class NamesNotRevealed(
    Conflict, code="names_not_revealed", title="Names are shown once both members agreed"
): ...


class StalePlan(
    Conflict, code="stale_plan", title="Your partner changed the plan since you opened it"
): ...


class InvalidSession(
    AppError, code="invalid_session", title="The session cannot be planned so", status=422
): ...


class SessionNotFound(NotFound, code="session_not_found", title="No such session in your pair"): ...


class SessionWrongState(
    Conflict, code="session_wrong_state", title="Not possible for this session now"
): ...


class InvalidCheckIn(
    AppError, code="invalid_check_in", title="The check-in does not fit the plan", status=422
): ...


class CheckInDone(
    Conflict, code="check_in_done", title="You have checked in for this session already"
): ...


class JournalShredded(
    Conflict, code="journal_shredded", title="This journal was deleted at the programme's end"
): ...
