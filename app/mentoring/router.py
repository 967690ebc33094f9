"""Mentoring programmes: leads create and run them, employees apply and answer their match."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Response, status

from app.auth.deps import AppSettings, CsrfFailed, CurrentIdentity, FacilitatorIdentity
from app.calendars.ics import MEDIA_TYPE
from app.db import AppDb
from app.errors import Forbidden, TooManyRequests, Unauthenticated, responses
from app.mentoring import journal, leads, matching, pairs, plans, progress, service, sessions
from app.mentoring.deps import Access, Cohorts, LeadAccess, RefusedSwapCounting, Runner
from app.mentoring.errors import (
    AnswerFinal,
    ApplicantsChanged,
    ApplicationNotFound,
    CheckInDone,
    InvalidApplication,
    InvalidCheckIn,
    InvalidProgramme,
    InvalidSession,
    JournalShredded,
    LeadStays,
    NamesNotRevealed,
    NoApplication,
    NoPair,
    NothingToMatch,
    OwnProgramme,
    PairNotAgreed,
    ProgrammeNotFound,
    ProgrammeNotReady,
    ProgrammePhaseBackwards,
    ProgrammeWrongPhase,
    RunInProgress,
    RunNotFound,
    RunNotReady,
    SessionNotFound,
    SessionWrongState,
    StalePlan,
    StaleProgramme,
    SwapRefused,
)
from app.mentoring.schemas import (
    AnswerIn,
    ApplicationIn,
    CheckInIn,
    CheckInOut,
    Journal,
    JournalEntryIn,
    JournalEntryOut,
    JournalExport,
    Lead,
    LeadAdd,
    MatchRunOut,
    MentorApplicationRow,
    MyApplication,
    MyPair,
    PairSessionOut,
    PartnerName,
    PlanIn,
    PlanOut,
    PoolState,
    Programme,
    ProgrammeCreate,
    ProgrammePhaseChange,
    ProgrammeProgress,
    ProgrammePublic,
    ProgrammeSummary,
    ProgrammeUpdate,
    RevealIn,
    RunStart,
    SelectionIn,
    SessionAnswerIn,
    SessionIn,
    Swap,
)
from app.vault import AccountNotFound

router = APIRouter(prefix="/programmes", tags=["mentoring"])
SEEN = (Unauthenticated, ProgrammeNotFound)
LED = (Unauthenticated, Forbidden, ProgrammeNotFound)
LED_WRITE = (*LED, CsrfFailed)
# A pair at work, as one of its members.
PAIRED = (*SEEN, NoApplication, NoPair, PairNotAgreed)
PAIRED_WRITE = (*PAIRED, CsrfFailed, ProgrammeWrongPhase)
ICS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/calendar": {"schema": {"type": "string", "format": "binary"}}},
        "description": "An iCalendar file",
    }
}


@router.get("", response_model=list[ProgrammeSummary], responses=responses(Unauthenticated))
async def list_programmes(identity: CurrentIdentity, db: AppDb) -> list[ProgrammeSummary]:
    """Programmes past their draft, and the drafts you lead, newest first."""
    return await service.list_for(db, identity)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Programme,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed, InvalidProgramme),
)
async def create_programme(
    body: ProgrammeCreate, identity: FacilitatorIdentity, db: AppDb
) -> Programme:
    """Create a programme as a draft; you lead it."""
    return await service.create_programme(db, identity, body)


@router.get(
    "/{programme_id}", response_model=Programme | ProgrammePublic, responses=responses(*SEEN)
)
async def get_programme(access: Access, db: AppDb) -> Programme | ProgrammePublic:
    """One programme: the leads' view (with revision and counts) or everyone else's."""
    if access.is_lead:
        return await service.lead_view(db, access)
    return service.public_view(access)


@router.patch(
    "/{programme_id}",
    response_model=Programme,
    responses=responses(*LED_WRITE, StaleProgramme, ProgrammeWrongPhase, InvalidProgramme),
)
async def update_programme(body: ProgrammeUpdate, access: LeadAccess, db: AppDb) -> Programme:
    """Edit a programme; what may change depends on the phase."""
    await service.update_programme(db, access.programme, body)
    access.waiting_reason = await service.advance_if_due(db, access.programme)
    return await service.lead_view(db, access)


@router.post(
    "/{programme_id}/phase",
    response_model=Programme,
    responses=responses(*LED_WRITE, ProgrammePhaseBackwards, ProgrammeNotReady),
)
async def change_phase(body: ProgrammePhaseChange, access: LeadAccess, db: AppDb) -> Programme:
    """Move the programme forward to a phase now (its guards apply)."""
    await service.move_phase(db, access.programme, body.phase)
    access.waiting_reason = None
    return await service.lead_view(db, access)


@router.get("/{programme_id}/leads", response_model=list[Lead], responses=responses(*LED))
async def list_leads(access: LeadAccess, db: AppDb) -> list[Lead]:
    """The creator, then the co-leads (each an audited read of their name and e-mail)."""
    return await leads.list_leads(db, access)


@router.post(
    "/{programme_id}/leads",
    status_code=status.HTTP_201_CREATED,
    response_model=Lead,
    responses=responses(*LED_WRITE, AccountNotFound),
)
async def add_lead(body: LeadAdd, access: LeadAccess, db: AppDb) -> Lead:
    """Add a co-lead by e-mail or account id: someone with the facilitator role who has not
    applied to the programme (one 404 `account_not_found` for every refusal)."""
    return await leads.add_lead(db, access, body)


@router.delete(
    "/{programme_id}/leads/{account_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(*LED_WRITE, AccountNotFound, LeadStays),
)
async def remove_lead(account_id: uuid.UUID, access: LeadAccess, db: AppDb) -> Response:
    """Remove a co-lead (yourself included); the creator stays (409)."""
    await leads.remove_lead(db, access, account_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/{programme_id}/application",
    response_model=MyApplication,
    responses=responses(*SEEN, CsrfFailed, ProgrammeWrongPhase, OwnProgramme, InvalidApplication),
)
async def apply(body: ApplicationIn, access: Access, db: AppDb) -> MyApplication:
    """Apply, or edit your application, while applications are open (an edit sends a mentor
    application back to the lead). 422 `invalid_application` names each field that does not
    fit the programme (a topic it does not offer, a guidance level it does not offer...)."""
    return await service.apply(db, access, body)


@router.get(
    "/{programme_id}/application",
    response_model=MyApplication,
    responses=responses(*SEEN, NoApplication),
)
async def get_application(access: Access) -> MyApplication:
    """Your own application: handle, skills, availability, the lead's decision."""
    return service.my_application(access)


@router.delete(
    "/{programme_id}/application",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(*SEEN, CsrfFailed, NoApplication, ProgrammeWrongPhase),
)
async def withdraw(access: Access, db: AppDb) -> Response:
    """Withdraw while applications are open; your pseudonym for the programme is forgotten."""
    await service.withdraw(db, access)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{programme_id}/application/training-check",
    response_model=MyApplication,
    responses=responses(*SEEN, CsrfFailed, NoApplication),
)
async def check_training(access: Access, db: AppDb) -> MyApplication:
    """Ask the learning library again whether you completed the programme's training."""
    return await service.check_my_training(db, access)


@router.get(
    "/{programme_id}/mentors",
    response_model=list[MentorApplicationRow],
    responses=responses(*LED),
)
async def mentor_applications(access: LeadAccess, db: AppDb) -> list[MentorApplicationRow]:
    """Mentor applications: handles and coarse attributes, never a name."""
    return await service.mentor_applications(db, access)


@router.put(
    "/{programme_id}/mentors/{pseudonym}/selection",
    response_model=MentorApplicationRow,
    responses=responses(*LED_WRITE, ApplicationNotFound, ProgrammeWrongPhase),
)
async def select_mentor(
    pseudonym: uuid.UUID, body: SelectionIn, access: LeadAccess, db: AppDb
) -> MentorApplicationRow:
    """Accept or decline a mentor application (only accepted mentors are matched)."""
    return await service.select_mentor(db, access, pseudonym, body.selection)


@router.post(
    "/{programme_id}/runs",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=MatchRunOut,
    responses=responses(*LED_WRITE, ProgrammeWrongPhase, NothingToMatch, RunInProgress),
)
async def start_run(
    body: RunStart,
    access: LeadAccess,
    db: AppDb,
    cohorts: Cohorts,
    runner: Runner,
    background: BackgroundTasks,
) -> MatchRunOut:
    """Match everyone waiting for a pair; poll the returned run for progress and proposal."""
    started = await matching.start(db, access, body, cohorts)
    # Runs after the response, hence after the commit: the job always finds its row.
    background.add_task(runner.start, started.job)
    return started.run


@router.get("/{programme_id}/runs", response_model=list[MatchRunOut], responses=responses(*LED))
async def list_runs(access: LeadAccess, db: AppDb) -> list[MatchRunOut]:
    """Every matching run of the programme, newest first."""
    return await matching.list_runs(db, access)


@router.get(
    "/{programme_id}/runs/{run_id}",
    response_model=MatchRunOut,
    responses=responses(*LED, RunNotFound),
)
async def get_run(run_id: uuid.UUID, access: LeadAccess, db: AppDb) -> MatchRunOut:
    """Status and progress; once done, the proposed pairs and who is left unmatched, why."""
    return await matching.show(db, access, run_id)


@router.post(
    "/{programme_id}/runs/{run_id}/swaps",
    response_model=MatchRunOut,
    responses=responses(
        *LED_WRITE,
        RunNotFound,
        RunNotReady,
        ApplicantsChanged,
        ProgrammeWrongPhase,
        SwapRefused,
        TooManyRequests,
    ),
)
async def swap(
    run_id: uuid.UUID,
    body: Swap,
    access: LeadAccess,
    db: AppDb,
    refused: RefusedSwapCounting,
) -> MatchRunOut:
    """Move a mentee to another mentor (or out of any pair). A disallowed pair is refused
    (422 `swap_refused`) with the rule as the field code on `body.mentor`; refusals are
    counted, and too many in ten minutes answer 429."""
    return await matching.swap(db, access, run_id, body, refused)


@router.post(
    "/{programme_id}/runs/{run_id}/publish",
    response_model=MatchRunOut,
    responses=responses(
        *LED_WRITE, RunNotFound, RunNotReady, ApplicantsChanged, ProgrammeWrongPhase, NothingToMatch
    ),
)
async def publish(run_id: uuid.UUID, access: LeadAccess, db: AppDb) -> MatchRunOut:
    """Publish the proposal as pairs; the programme starts running."""
    return await matching.publish(db, access, run_id)


@router.get("/{programme_id}/pool", response_model=PoolState, responses=responses(*LED))
async def pool(access: LeadAccess, db: AppDb, cohorts: Cohorts) -> PoolState:
    """Pairs counted by their members' answers, and who waits for a pair (handles only)."""
    return await matching.pool_state(db, access, cohorts)


@router.get(
    "/{programme_id}/pair",
    response_model=MyPair,
    responses=responses(*SEEN, NoApplication, NoPair),
)
async def my_pair(access: Access, db: AppDb) -> MyPair:
    """Your match: your partner's handle and generation, the skills you teach each other."""
    return await pairs.my_pair(db, access)


@router.post(
    "/{programme_id}/pair/answer",
    response_model=MyPair,
    responses=responses(*SEEN, CsrfFailed, NoApplication, NoPair, AnswerFinal, ProgrammeWrongPhase),
)
async def answer(body: AnswerIn, access: Access, db: AppDb) -> MyPair:
    """Accept or decline your match, once; a decline sends you both back to the pool."""
    return await pairs.answer(db, access, body.answer)


@router.put(
    "/{programme_id}/pair/reveal",
    response_model=MyPair,
    responses=responses(*SEEN, CsrfFailed, NoApplication, NoPair, AnswerFinal, ProgrammeWrongPhase),
)
async def reveal(body: RevealIn, access: Access, db: AppDb) -> MyPair:
    """Agree, or no longer agree, to show your name to your partner (shown only when both
    agree; never to the lead)."""
    return await pairs.reveal(db, access, body.reveal)


@router.get(
    "/{programme_id}/pair/partner",
    response_model=PartnerName,
    responses=responses(*SEEN, NoApplication, NoPair, NamesNotRevealed),
)
async def partner_name(access: Access, db: AppDb) -> PartnerName:
    """Your partner's name and e-mail, once you both agreed to reveal them (logged in your
    partner's access log); 409 `names_not_revealed` before."""
    return await pairs.partner_name(db, access)


@router.get("/{programme_id}/pair/plan", response_model=PlanOut, responses=responses(*PAIRED))
async def get_plan(access: Access, db: AppDb) -> PlanOut:
    """The pair's plan (revision 0 and empty parts until someone writes it)."""
    return await plans.show(db, access)


@router.put(
    "/{programme_id}/pair/plan",
    response_model=PlanOut,
    responses=responses(*PAIRED_WRITE, StalePlan),
)
async def save_plan(body: PlanIn, access: Access, db: AppDb) -> PlanOut:
    """Write the plan for both of you; send the revision you edited (409 `stale_plan` if your
    partner saved since)."""
    return await plans.save(db, access, body)


@router.get(
    "/{programme_id}/pair/sessions",
    response_model=list[PairSessionOut],
    responses=responses(*PAIRED),
)
async def list_sessions(access: Access, db: AppDb) -> list[PairSessionOut]:
    """The pair's sessions, in time order."""
    return await sessions.list_sessions(db, access)


@router.post(
    "/{programme_id}/pair/sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=PairSessionOut,
    responses=responses(*PAIRED_WRITE, InvalidSession),
)
async def propose_session(body: SessionIn, access: Access, db: AppDb) -> PairSessionOut:
    """Propose a session: a time, a length, and a place or a video link."""
    return await sessions.propose(db, access, body)


@router.put(
    "/{programme_id}/pair/sessions/{session_id}",
    response_model=PairSessionOut,
    responses=responses(*PAIRED_WRITE, InvalidSession, SessionNotFound, SessionWrongState),
)
async def reschedule_session(
    session_id: uuid.UUID, body: SessionIn, access: Access, db: AppDb
) -> PairSessionOut:
    """Move a session still to come; your partner accepts the new time."""
    return await sessions.reschedule(db, access, session_id, body)


@router.post(
    "/{programme_id}/pair/sessions/{session_id}/answer",
    response_model=PairSessionOut,
    responses=responses(*PAIRED_WRITE, SessionNotFound, SessionWrongState),
)
async def answer_session(
    session_id: uuid.UUID, body: SessionAnswerIn, access: Access, db: AppDb
) -> PairSessionOut:
    """Accept or decline a session your partner proposed."""
    return await sessions.answer(db, access, session_id, body.answer)


@router.post(
    "/{programme_id}/pair/sessions/{session_id}/cancel",
    response_model=PairSessionOut,
    responses=responses(*PAIRED_WRITE, SessionNotFound, SessionWrongState),
)
async def cancel_session(session_id: uuid.UUID, access: Access, db: AppDb) -> PairSessionOut:
    """Cancel a session still to come (calendars show it cancelled)."""
    return await sessions.cancel(db, access, session_id)


@router.get(
    "/{programme_id}/pair/sessions/{session_id}.ics",
    response_class=Response,
    responses=ICS | responses(*PAIRED, SessionNotFound),
)
async def session_calendar(
    session_id: uuid.UUID, access: Access, db: AppDb, settings: AppSettings
) -> Response:
    """The session as an iCalendar event: the same UID across changes, SEQUENCE rising,
    STATUS:CANCELLED once cancelled or declined. It names the programme, never a person."""
    host = settings.public_url.split("://", 1)[-1].split("/", 1)[0]
    body = await sessions.session_calendar(db, access, session_id, host)
    return Response(
        body,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": 'attachment; filename="mentoring-session.ics"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/{programme_id}/pair/check-ins",
    response_model=list[CheckInOut],
    responses=responses(*PAIRED),
)
async def list_check_ins(access: Access, db: AppDb) -> list[CheckInOut]:
    """Both members' check-ins on the pair's sessions."""
    return await sessions.check_ins(db, access)


@router.post(
    "/{programme_id}/pair/sessions/{session_id}/check-in",
    status_code=status.HTTP_201_CREATED,
    response_model=CheckInOut,
    responses=responses(
        *PAIRED_WRITE, SessionNotFound, SessionWrongState, InvalidCheckIn, CheckInDone
    ),
)
async def check_in(session_id: uuid.UUID, body: CheckInIn, access: Access, db: AppDb) -> CheckInOut:
    """Your check-in after a held session: what you covered, progress on each goal (1-5), the
    next step, how it went (1-5). Once per session."""
    return await sessions.check_in(db, access, session_id, body)


@router.get("/{programme_id}/pair/journal", response_model=Journal, responses=responses(*PAIRED))
async def read_journal(access: Access, db: AppDb) -> Journal:
    """The pair's confidential journal: readable by its two members only."""
    return await journal.read(db, access)


@router.post(
    "/{programme_id}/pair/journal",
    status_code=status.HTTP_201_CREATED,
    response_model=JournalEntryOut,
    responses=responses(*PAIRED_WRITE),
)
async def write_journal(body: JournalEntryIn, access: Access, db: AppDb) -> JournalEntryOut:
    """Add a note to the journal (sealed by the vault under the pair's own key)."""
    return await journal.write(db, access, body)


@router.get(
    "/{programme_id}/pair/journal/export",
    response_model=JournalExport,
    responses=responses(*PAIRED, JournalShredded),
)
async def export_journal(access: Access, db: AppDb) -> JournalExport:
    """Every entry of the journal as JSON, to keep before it is deleted."""
    return await journal.export(db, access)


@router.delete(
    "/{programme_id}/pair/journal",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(*PAIRED_WRITE, JournalShredded),
)
async def shred_journal(access: Access, db: AppDb) -> Response:
    """Delete the journal for good, once the programme has closed: its key is destroyed."""
    await journal.shred(db, access)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{programme_id}/progress",
    response_model=ProgrammeProgress,
    responses=responses(*LED),
)
async def programme_progress(access: LeadAccess, db: AppDb) -> ProgrammeProgress:
    """Monthly progress over ended months: counts only, small cells hidden, nothing about a
    person or a pair."""
    return await progress.progress(db, access)
