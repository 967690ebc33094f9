"""The lead's matching flow: build the engine's input, run it, read and adjust the proposal
(swaps), publish it as pairs, and see the pool afterwards.

The input holds pseudonyms and coarse labels only. Reporting lines (`separate`) come from the
vault for each run and each swap check and are never stored: a run's row keeps the pairs and
the reasons, not the pairs kept apart that shaped them.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from app.db import AppDbSession
from app.errors import FieldError
from app.kit import ratelimit
from app.kit.orm import utcnow
from app.mentoring import repository as repo
from app.mentoring import rules
from app.mentoring.errors import (
    ApplicantsChanged,
    NothingToMatch,
    ProgrammeWrongPhase,
    RunInProgress,
    RunNotFound,
    RunNotReady,
    SwapRefused,
)
from app.mentoring.jobs import MatchJob
from app.mentoring.models import Application, MatchRun, Pair, Programme
from app.mentoring.schemas import (
    MatchRunOut,
    MatchWeights,
    Member,
    PoolState,
    Proposal,
    ProposedPair,
    RunStart,
    ScoreParts,
    SharedSkill,
    Swap,
    Unmatched,
)
from app.mentoring.service import ProgrammeAccess, move_phase
from app.notifications.service import tell_programme_members

# Runs are started before the first publication and again, for those a decline sent back to
# the pool, while the programme runs.
MATCHING_PHASES = ("matching", "running")
# A running job writes a heartbeat at least every half second; one silent for this long
# belonged to a worker that stopped and is marked failed.
STALE_AFTER = timedelta(seconds=60)
REFUSED_SWAPS_WINDOW = timedelta(minutes=10)
# Why someone waits outside the engine's input (the engine's own reasons are in app/pairing).
TRAINING_NOT_PASSED = "training_not_passed"
NO_GENERATION = "generation_not_given"
MOVED_BY_LEAD = "moved_by_lead"


def active(pair: Pair) -> bool:
    """A pair nobody declined (a decline sends both back to the pool)."""
    return "declined" not in (pair.mentor_answer, pair.mentee_answer)


def side_of(application: Application) -> rules.Side:
    return rules.Side(
        cohort=application.cohort or "",
        department=application.department_tag,
        languages=frozenset(application.languages),
        teaches=application.teaches,
        wants={skill: want["level"] for skill, want in application.wants.items()},
        availability=frozenset(application.availability),
    )


@dataclass
class Pool:
    """Who waits for a pair now: accepted mentors with room left, mentees without an active
    pair, and who cannot be matched and why (not in the engine's input)."""

    everyone: dict[str, Application]
    mentors: dict[str, int] = field(default_factory=dict)  # id -> capacity left
    mentees: list[str] = field(default_factory=list)
    excluded: list[tuple[str, str, str]] = field(default_factory=list)  # (id, side, reason)
    declined_together: list[tuple[str, str]] = field(default_factory=list)

    def ids(self) -> set[str]:
        return set(self.mentors) | set(self.mentees)


def matched_as_mentor(application: Application) -> bool:
    """Mentors, and people who applied as both whom the lead accepted as a mentor: the engine
    takes each applicant once, on one side."""
    return application.role == "mentor" or (
        application.role == "both" and application.selection == "accepted"
    )


async def pool_of(
    db: AppDbSession,
    programme: Programme,
    cohorts: list[str],
    deactivated: Collection[uuid.UUID] = (),
) -> Pool:
    """Who waits for a pair. The `deactivated` (accounts an administrator or the identity
    provider deactivated, `pool_for` asks the vault) are left out of it; they stay in
    `everyone` so that the pairs they are already in still show their handles."""
    applications = await repo.applications(db, programme.id)
    pool = Pool(everyone={str(a.pseudonym): a for a in applications})
    left_out = {str(pseudonym) for pseudonym in deactivated}
    load: dict[str, int] = {}
    paired: set[str] = set()
    for pair in await repo.pairs_of(db, programme.id):
        if active(pair):
            load[str(pair.mentor)] = load.get(str(pair.mentor), 0) + 1
            paired.add(str(pair.mentee))
        else:
            # The two who declined each other are not proposed to each other again.
            pool.declined_together.append((str(pair.mentor), str(pair.mentee)))
    for pid, application in pool.everyone.items():
        if pid in left_out:
            continue
        mentor = matched_as_mentor(application)
        side = "mentor" if mentor else "mentee"
        if mentor and application.selection != "accepted":
            continue
        if mentor and (application.capacity or 0) - load.get(pid, 0) <= 0:
            continue
        if not mentor and pid in paired:
            continue
        if application.cohort not in cohorts:
            pool.excluded.append((pid, side, NO_GENERATION))
        elif mentor and programme.training_required and application.training_passed is not True:
            pool.excluded.append((pid, side, TRAINING_NOT_PASSED))
        elif mentor:
            pool.mentors[pid] = (application.capacity or 0) - load.get(pid, 0)
        else:
            pool.mentees.append(pid)
    return pool


async def pool_for(db: AppDbSession, access: ProgrammeAccess, cohorts: list[str]) -> Pool:
    """`pool_of` without the deactivated accounts, which only the vault can name."""
    applications = await repo.applications(db, access.programme.id)
    deactivated = await access.identity.vault.deactivated_pseudonyms(
        access.programme.id, [a.pseudonym for a in applications]
    )
    return await pool_of(db, access.programme, cohorts, deactivated)


def _person(application: Application, capacity: int | None) -> dict[str, Any]:
    person: dict[str, Any] = {
        "id": str(application.pseudonym),
        "cohort": application.cohort,
        "department": application.department_tag,
        "languages": application.languages,
        "teaches": application.teaches,
        "wants": {skill: want["level"] for skill, want in application.wants.items()},
        "availability": application.availability,
    }
    if capacity is not None:
        person["capacity"] = capacity
    return person


def instance_of(
    programme: Programme,
    pool: Pool,
    cohorts: list[str],
    separate: list[tuple[uuid.UUID, uuid.UUID]],
    body: RunStart,
) -> dict[str, Any]:
    """The engine's input, exactly the `pairs match` command's contract (docs/mentoring.md)."""
    known = pool.ids()
    kept_apart = [[str(a), str(b)] for a, b in separate]
    kept_apart += [[a, b] for a, b in pool.declined_together if a in known and b in known]
    return {
        "mode": programme.pair_mode,
        "cohorts": cohorts,
        "mentors": [_person(pool.everyone[pid], left) for pid, left in pool.mentors.items()],
        "mentees": [_person(pool.everyone[pid], None) for pid in pool.mentees],
        "separate": kept_apart,
        "weights": body.weights.model_dump(),
        "time_limit_s": body.time_limit_s,
        "seed": body.seed,
    }


def _check_phase(programme: Programme) -> None:
    if programme.phase not in MATCHING_PHASES:
        raise ProgrammeWrongPhase("Matching runs once applications have closed.")


async def _separate(access: ProgrammeAccess, pids: list[str]) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Reporting lines (manager and skip-level) among these applicants, from the vault."""
    return await access.identity.vault.reporting_pairs(
        access.programme.id, [uuid.UUID(pid) for pid in pids], levels=2
    )


async def _expire_stale(db: AppDbSession, programme_id: uuid.UUID) -> None:
    for run in await repo.running_silent_since(db, programme_id, utcnow() - STALE_AFTER):
        run.status = "failed"
        run.error = "The run was interrupted (the server restarted). Run it again."
    await db.flush()


@dataclass(frozen=True)
class StartedRun:
    run: MatchRunOut
    job: MatchJob


async def start(
    db: AppDbSession, access: ProgrammeAccess, body: RunStart, cohorts: list[str]
) -> StartedRun:
    """Record a run on everyone waiting for a pair; the caller starts `job` after the commit."""
    programme = access.programme
    _check_phase(programme)
    pool = await pool_for(db, access, cohorts)
    if not pool.mentors or not pool.mentees:
        raise NothingToMatch()
    separate = await _separate(access, sorted(pool.ids()))
    await _expire_stale(db, programme.id)
    run = MatchRun(
        id=uuid.uuid4(),
        programme_id=programme.id,
        status="running",
        weights=body.weights.model_dump(),
        time_limit_s=body.time_limit_s,
        seed=body.seed,
        cohorts=cohorts,
        progress=0.0,
    )
    if not await repo.add_running(db, run):
        raise RunInProgress()
    job = MatchJob(run_id=run.id, instance=instance_of(programme, pool, cohorts, separate, body))
    return StartedRun(run=await _view(db, access, run), job=job)


async def _get(db: AppDbSession, programme_id: uuid.UUID, run_id: uuid.UUID) -> MatchRun:
    await _expire_stale(db, programme_id)
    run = await repo.get_run(db, run_id)
    if run is None or run.programme_id != programme_id:
        raise RunNotFound()
    return run


async def show(db: AppDbSession, access: ProgrammeAccess, run_id: uuid.UUID) -> MatchRunOut:
    return await _view(db, access, await _get(db, access.programme.id, run_id))


async def list_runs(db: AppDbSession, access: ProgrammeAccess) -> list[MatchRunOut]:
    await _expire_stale(db, access.programme.id)
    programme = access.programme
    return [await _view(db, access, run) for run in await repo.runs_of(db, programme.id)]


def _scoring(programme: Programme, run: MatchRun) -> rules.Scoring:
    return rules.Scoring(mode=programme.pair_mode, cohorts=tuple(run.cohorts), weights=run.weights)


def shared_skills(mode: str, mentor: Application, mentee: Application) -> list[SharedSkill]:
    """What the two teach each other, with the guidance level the learner asked for."""
    scoring = rules.Scoring(mode=mode, cohorts=(), weights={})
    shown = []
    for taught in rules.taught_across(scoring, side_of(mentor), side_of(mentee)):
        learner = mentee if taught.taught_by == "mentor" else mentor
        shown.append(
            SharedSkill(
                skill=taught.skill,
                taught_by=taught.taught_by,
                teacher_level=taught.teacher_level,
                learner_level=taught.learner_level,
                guidance=learner.wants[taught.skill]["guidance"],
            )
        )
    return shown


def _member(pid: str, everyone: dict[str, Application]) -> Member:
    application = everyone.get(pid)
    return Member(
        pseudonym=uuid.UUID(pid),
        # Someone who left after the run keeps their place, without a handle.
        handle=application.handle if application else "(withdrew)",
        cohort=application.cohort if application else None,
    )


def _side(pid: str, everyone: dict[str, Application]) -> str:
    application = everyone.get(pid)
    return "mentor" if application is not None and matched_as_mentor(application) else "mentee"


def _proposal(programme: Programme, run: MatchRun, result: dict[str, Any], pool: Pool) -> Proposal:
    scoring = _scoring(programme, run)
    everyone = pool.everyone
    pairs = []
    for pair in result["pairs"]:
        mentor, mentee = everyone.get(pair["mentor"]), everyone.get(pair["mentee"])
        if mentor is None or mentee is None:
            continue
        parts = rules.score_parts(scoring, side_of(mentor), side_of(mentee))
        pairs.append(
            ProposedPair(
                mentor=_member(pair["mentor"], everyone),
                mentee=_member(pair["mentee"], everyone),
                skills=shared_skills(programme.pair_mode, mentor, mentee),
                parts=ScoreParts(
                    skills=parts.skills,
                    gap=parts.gap,
                    departments_differ=parts.departments_differ,
                    shared_slots=parts.shared_slots,
                    score=parts.score,
                ),
            )
        )
    unmatched = [
        Unmatched(
            pseudonym=uuid.UUID(item["id"]),
            handle=_member(item["id"], everyone).handle,
            side=_side(item["id"], everyone),
            reason=item["reason"],
        )
        for item in result["unmatched"]
    ]
    unmatched += [
        Unmatched(pseudonym=uuid.UUID(pid), handle=everyone[pid].handle, side=side, reason=reason)
        for pid, side, reason in pool.excluded
    ]
    return Proposal(
        objective=result["objective"],
        upper_bound=result["upper_bound"],
        pairs=pairs,
        unmatched=unmatched,
    )


async def _view(db: AppDbSession, access: ProgrammeAccess, run: MatchRun) -> MatchRunOut:
    programme = access.programme
    proposal = None
    if run.result is not None:
        pool = await pool_for(db, access, run.cohorts)
        proposal = _proposal(programme, run, run.result, pool)
    return MatchRunOut(
        id=run.id,
        programme_id=run.programme_id,
        status=run.status,
        progress=run.progress,
        best_objective=run.best_objective,
        weights=MatchWeights.model_validate(run.weights),
        time_limit_s=run.time_limit_s,
        seed=run.seed,
        created_at=run.created_at,
        error=run.error,
        proposal=proposal,
    )


def _ready(run: MatchRun) -> dict[str, Any]:
    if run.status != "done" or run.result is None:
        raise RunNotReady(f"This run is {run.status}; only a finished, unpublished run can change.")
    return run.result


def _proposed_ids(result: dict[str, Any]) -> set[str]:
    ids = {item["id"] for item in result["unmatched"]}
    for pair in result["pairs"]:
        ids |= {pair["mentor"], pair["mentee"]}
    return ids


def _same_pool(result: dict[str, Any], pool: Pool) -> None:
    proposed, now = _proposed_ids(result), pool.ids()
    if proposed != now:
        raise ApplicantsChanged(
            f"Since this run, {len(now - proposed)} people joined the pool and "
            f"{len(proposed - now)} left it (a selection or an answer changed). Run it again."
        )


@dataclass(frozen=True)
class RefusedSwaps:
    """Where refused swaps are counted (in transactions of their own: the request's rolls back
    with the refusal) and how many a lead may have per window before every swap is answered
    429. Each refusal for a pair kept apart tells a little about a reporting line: the limit
    keeps a lead from asking about every pair."""

    sessions: async_sessionmaker[AppDbSession]
    per_window: int


def _refuse(code: str, message: str) -> SwapRefused:
    return SwapRefused(message, errors=[FieldError.of("body.mentor", code, message)])


# One answer for a pair kept apart, whichever reason keeps it so (a reporting line, or the two
# declined each other): the lead learns that the pair is not allowed, not why.
KEPT_APART_MESSAGE = "These two are never paired (a rule the matcher keeps). Nothing was changed."
_PUBLIC_MESSAGES = {
    rules.NO_COMMON_LANGUAGE: "They share no language.",
    rules.NO_COMMON_SLOT: "They share no availability slot.",
    rules.MENTOR_NOT_YOUNGER: "In reverse mentoring the mentor is of a younger generation.",
    rules.NO_SKILL_TO_TEACH: "The mentor teaches none of the skills the mentee wants.",
    rules.MENTOR_FULL: "The mentor has no room left (capacity).",
}


async def swap(
    db: AppDbSession,
    access: ProgrammeAccess,
    run_id: uuid.UUID,
    body: Swap,
    refused: RefusedSwaps,
) -> MatchRunOut:
    """Move a mentee to another mentor (or out of any pair), or refuse it (and count it)."""
    key = f"refused-swaps:{access.pseudonym}"
    await ratelimit.refuse_when_spent(
        db, ratelimit.RateBucket, key, refused.per_window, REFUSED_SWAPS_WINDOW, "refused swaps"
    )
    programme = access.programme
    run = await _get(db, programme.id, run_id)
    try:
        await _apply_swap(db, access, run, body)
    except SwapRefused:
        await db.rollback()
        async with refused.sessions.begin() as counting:
            await ratelimit.count(counting, ratelimit.RateBucket, key, REFUSED_SWAPS_WINDOW)
        raise
    return await _view(db, access, run)


async def _apply_swap(db: AppDbSession, access: ProgrammeAccess, run: MatchRun, body: Swap) -> None:
    """Two passes, as formation moves: first the rules the lead can check on the applications
    (each refusal names its rule), then, only if they hold, the pairs kept apart (one answer
    for every such pair), so that no refusal differs by who manages whom."""
    programme = access.programme
    _check_phase(programme)
    result = _ready(run)
    pool = await pool_for(db, access, run.cohorts)
    _same_pool(result, pool)
    mentee, mentor = str(body.mentee), str(body.mentor) if body.mentor else None
    if mentee not in pool.mentees:
        raise SwapRefused(
            "Not a mentee waiting for a pair in this run.",
            errors=[FieldError.of("body.mentee", "not_in_run", "not a mentee of this run")],
        )
    pairs = [p for p in result["pairs"] if p["mentee"] != mentee]
    scoring = _scoring(programme, run)
    if mentor is not None:
        if mentor not in pool.mentors:
            raise _refuse("not_in_run", "Not a mentor of this run.")
        reason = rules.public_refusal(
            scoring, side_of(pool.everyone[mentor]), side_of(pool.everyone[mentee])
        )
        if reason is None and sum(p["mentor"] == mentor for p in pairs) >= pool.mentors[mentor]:
            reason = rules.MENTOR_FULL
        if reason is not None:
            raise _refuse(reason, _PUBLIC_MESSAGES[reason])
        apart = {tuple(sorted(p)) for p in pool.declined_together}
        apart |= {
            tuple(sorted((str(a), str(b)))) for a, b in await _separate(access, [mentor, mentee])
        }
        if tuple(sorted((mentor, mentee))) in apart:
            raise _refuse(rules.KEPT_APART, KEPT_APART_MESSAGE)
        parts = rules.score_parts(
            scoring, side_of(pool.everyone[mentor]), side_of(pool.everyone[mentee])
        )
        pairs.append({"mentor": mentor, "mentee": mentee, "score": parts.score})
    run.result = _rescored(result, pairs, pool)
    run.best_objective = float(run.result["objective"])
    await db.flush()


def _rescored(result: dict[str, Any], pairs: list[dict[str, Any]], pool: Pool) -> dict[str, Any]:
    """The proposal after a swap: the engine's reasons kept for whom it did not concern."""
    paired = {p["mentor"] for p in pairs} | {p["mentee"] for p in pairs}
    reasons = {item["id"]: item["reason"] for item in result["unmatched"]}
    unmatched = [
        {"id": pid, "reason": reasons.get(pid, MOVED_BY_LEAD)}
        for pid in [*pool.mentors, *pool.mentees]
        if pid not in paired
    ]
    return {
        "pairs": pairs,
        "unmatched": unmatched,
        "objective": sum(1000 + p["score"] for p in pairs),
        # Still a bound on the optimum: swaps change the proposal, not the instance.
        "upper_bound": result["upper_bound"],
    }


async def publish(db: AppDbSession, access: ProgrammeAccess, run_id: uuid.UUID) -> MatchRunOut:
    """Create the proposed pairs (each member then answers) and start the programme."""
    programme = access.programme
    run = await _get(db, programme.id, run_id)
    _check_phase(programme)
    result = _ready(run)
    pool = await pool_for(db, access, run.cohorts)
    _same_pool(result, pool)
    if not result["pairs"]:
        raise NothingToMatch("This run proposes no pair.")
    pairs = [
        Pair(
            id=uuid.uuid4(),
            programme_id=programme.id,
            mentor=uuid.UUID(p["mentor"]),
            mentee=uuid.UUID(p["mentee"]),
        )
        for p in result["pairs"]
    ]
    await repo.add_pairs(db, pairs)
    # Each member is told a partner is proposed (in the app, and by mail as they chose).
    await tell_programme_members(
        db,
        access.identity.vault,
        programme.id,
        programme.title,
        [member for pair in pairs for member in (pair.mentor, pair.mentee)],
        "mentoring_match",
        {"programme_title": programme.title},
    )
    run.status = "published"
    if programme.phase == "matching":
        await move_phase(db, programme, "running")
    await db.flush()
    return await _view(db, access, run)


async def pool_state(db: AppDbSession, access: ProgrammeAccess, cohorts: list[str]) -> PoolState:
    """Counts of pairs by their members' answers, and who waits for a pair (handles only)."""
    programme = access.programme
    pairs = await repo.pairs_of(db, programme.id)
    pool = await pool_for(db, access, cohorts)
    waiting_mentors = sorted(pool.everyone[pid].handle for pid in pool.mentors)
    waiting_mentees = sorted(pool.everyone[pid].handle for pid in pool.mentees)
    for pid, side, _ in pool.excluded:
        (waiting_mentors if side == "mentor" else waiting_mentees).append(pool.everyone[pid].handle)
    accepted = sum(p.mentor_answer == p.mentee_answer == "accepted" for p in pairs)
    declined = sum(not active(p) for p in pairs)
    return PoolState(
        pairs_waiting_for_answers=len(pairs) - accepted - declined,
        pairs_accepted=accepted,
        pairs_declined=declined,
        waiting_mentors=sorted(waiting_mentors),
        waiting_mentees=sorted(waiting_mentees),
    )
