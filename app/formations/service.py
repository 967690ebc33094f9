"""The facilitator's formation flow: run the optimiser, read and adjust its proposal, publish.

The instance handed to the optimiser holds pseudonyms and coarse labels only. Reporting-line
pairs come from the vault for each run (and each move check) and are never stored: the
formation row keeps the teams and metrics, not the pairs that shaped them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from app.challenges import repository as challenges_repo
from app.challenges.errors import CannotMoveYourself, WrongPhase
from app.challenges.models import Challenge, Participant
from app.challenges.names import draw_team_name
from app.challenges.service import ChallengeAccess
from app.db import AppDbSession
from app.formations import jobs
from app.formations import repository as repo
from app.formations.errors import (
    FormationNotFound,
    FormationNotReady,
    FormationRunning,
    MoveRefused,
    NobodyEnrolled,
    ParticipantsChanged,
    TeamsExist,
)
from app.formations.models import Formation
from app.formations.schemas import Formation as FormationOut
from app.formations.schemas import (
    FormationChange,
    FormationStart,
    Move,
    Proposal,
    ProposedMember,
    ProposedTeam,
    PublishedTeam,
    Weights,
)
from app.kit import ratelimit
from app.kit.orm import utcnow
from app.mail.service import mail_notices
from app.notifications.models import Notification
from app.optimiser import FormationInstance, check_move, evaluate, parse_instance
from app.teams import repository as teams_repo
from app.teams.models import Team

# A running job writes a heartbeat at least every PROGRESS_WRITE_EVERY_S; one silent for this
# long belonged to a worker that stopped (restart, crash) and is marked failed.
STALE_AFTER = timedelta(seconds=60)
FORMATION_PHASES = ("enrolment",)
# Declared teaching levels that count as "can teach" (product.md: 3 exploit, 4 mentor).
TEACHING_LEVEL = 3
REFUSED_MOVES_WINDOW = timedelta(minutes=10)


@dataclass
class Roster:
    """The enrolled participants as the optimiser sees them, plus what the views need."""

    participants: dict[str, Participant]
    teaches: dict[str, list[str]]
    wants: dict[str, list[str]]

    def pseudonyms(self) -> list[uuid.UUID]:
        return [p.pseudonym for p in self.participants.values()]

    def people(self) -> list[dict[str, Any]]:
        return [
            {
                "id": pid,
                # Someone who declared no generation is a cohort of their own kind, "unknown".
                "cohort": p.cohort or "unknown",
                "seniority": p.seniority_band,
                "department": p.department_tag,
                "teaches": self.teaches.get(pid, []),
                "wants": self.wants.get(pid, []),
            }
            for pid, p in sorted(self.participants.items())
        ]


async def _roster(db: AppDbSession, challenge_id: uuid.UUID) -> Roster:
    participants = {
        str(p.pseudonym): p for p in await challenges_repo.all_participants(db, challenge_id)
    }
    teaches: dict[str, list[str]] = {}
    wants: dict[str, list[str]] = {}
    for skill in await challenges_repo.all_skills(db, challenge_id):
        pid = str(skill.participant)
        if skill.direction == "learn":
            wants.setdefault(pid, []).append(skill.skill)
        elif skill.level >= TEACHING_LEVEL:
            teaches.setdefault(pid, []).append(skill.skill)
    return Roster(participants, teaches, wants)


async def _pool(db: AppDbSession, access: ChallengeAccess) -> Roster:
    """The people a new formation places: everyone enrolled but those whose account is
    deactivated (an administrator's or the identity provider's doing). They keep their
    enrolment and everything they did; the vault names only which pseudonyms to leave out."""
    roster = await _roster(db, access.challenge.id)
    left_out = await access.identity.vault.deactivated_pseudonyms(
        access.challenge.id, roster.pseudonyms()
    )
    for pseudonym in left_out:
        roster.participants.pop(str(pseudonym), None)
    return roster


def _instance(
    challenge: Challenge,
    roster: Roster,
    separate: list[tuple[uuid.UUID, uuid.UUID]],
    weights: Weights,
) -> dict[str, Any]:
    return {
        "team_size": {
            "min": challenge.team_size_min,
            "target": challenge.team_size_target,
            "max": challenge.team_size_max,
        },
        "people": roster.people(),
        "separate": [[str(a), str(b)] for a, b in separate],
        "weights": weights.model_dump(),
    }


def _check_phase(challenge: Challenge) -> None:
    if challenge.phase not in FORMATION_PHASES:
        raise WrongPhase("Teams are formed while enrolment is open, before teamwork starts.")


async def _expire_stale(db: AppDbSession, challenge_id: uuid.UUID) -> None:
    for formation in await repo.running_silent_since(db, challenge_id, utcnow() - STALE_AFTER):
        formation.status = "failed"
        formation.error = "The run was interrupted (the server restarted). Run it again."
    await db.flush()


@dataclass(frozen=True)
class StartedRun:
    """The new run as answered, and the job to start once its transaction has committed."""

    formation: FormationOut
    job: jobs.Job


async def start(db: AppDbSession, access: ChallengeAccess, body: FormationStart) -> StartedRun:
    """Record a new run on everyone enrolled; the caller starts `job` after the commit."""
    challenge = access.challenge
    _check_phase(challenge)
    roster = await _pool(db, access)
    if not roster.participants:
        raise NobodyEnrolled()
    separate = await access.identity.vault.reporting_pairs(
        challenge.id, roster.pseudonyms(), levels=body.reporting_levels
    )
    await _expire_stale(db, challenge.id)
    formation = Formation(
        id=uuid.uuid4(),
        challenge_id=challenge.id,
        status="running",
        weights=body.weights.model_dump(),
        time_limit_s=body.time_limit_s,
        seed=body.seed,
        reporting_levels=body.reporting_levels,
        progress=0.0,
    )
    if not await repo.add_running(db, formation):
        raise FormationRunning()
    job = jobs.Job(
        formation_id=formation.id,
        instance=_instance(challenge, roster, separate, body.weights),
        time_limit_s=body.time_limit_s,
        seed=body.seed,
    )
    return StartedRun(formation=await _view(db, formation), job=job)


async def _get(db: AppDbSession, challenge_id: uuid.UUID, formation_id: uuid.UUID) -> Formation:
    await _expire_stale(db, challenge_id)
    formation = await repo.get_formation(db, formation_id)
    if formation is None or formation.challenge_id != challenge_id:
        raise FormationNotFound()
    return formation


async def show(db: AppDbSession, access: ChallengeAccess, formation_id: uuid.UUID) -> FormationOut:
    """Status, progress and current best score; once done, the proposed teams and metrics."""
    return await _view(db, await _get(db, access.challenge.id, formation_id))


async def list_formations(db: AppDbSession, access: ChallengeAccess) -> list[FormationOut]:
    """Every run of the challenge, newest first."""
    await _expire_stale(db, access.challenge.id)
    return [await _view(db, f) for f in await repo.formations_of(db, access.challenge.id)]


def _proposal(result: dict[str, Any], roster: Roster) -> Proposal:
    metrics = dict(result["metrics"])
    team_metrics = metrics.pop("teams")
    teams: list[ProposedTeam] = []
    for index, (members, team) in enumerate(zip(result["teams"], team_metrics, strict=True)):
        shown: list[ProposedMember] = []
        for pid in members:
            participant = roster.participants.get(pid)
            shown.append(
                ProposedMember(
                    pseudonym=uuid.UUID(pid),
                    # Someone who withdrew after the run keeps their place, without a handle.
                    handle=participant.handle if participant else "(withdrew)",
                    cohort=participant.cohort if participant else None,
                    seniority_band=participant.seniority_band if participant else None,
                    teaches=roster.teaches.get(pid, []),
                    wants=roster.wants.get(pid, []),
                )
            )
        team_view = {k: v for k, v in team.items() if k != "members"}
        teams.append(ProposedTeam(index=index, members=shown, metrics=team_view))
    return Proposal(
        objective=result["objective"],
        upper_bound=result["upper_bound"],
        violations=result["violations"],
        overall=metrics,
        teams=teams,
    )


async def _view(db: AppDbSession, formation: Formation) -> FormationOut:
    proposal = None
    if formation.result is not None:
        proposal = _proposal(formation.result, await _roster(db, formation.challenge_id))
    return FormationOut(
        id=formation.id,
        challenge_id=formation.challenge_id,
        status=formation.status,
        progress=formation.progress,
        best_objective=formation.best_objective,
        weights=Weights.model_validate(formation.weights),
        time_limit_s=formation.time_limit_s,
        seed=formation.seed,
        reporting_levels=formation.reporting_levels,
        created_at=formation.created_at,
        error=formation.error,
        proposal=proposal,
    )


def _ready_proposal(formation: Formation) -> dict[str, Any]:
    if formation.status != "done" or formation.result is None:
        raise FormationNotReady(
            f"This run is {formation.status}; only a finished, unpublished run can change."
        )
    return formation.result


def _same_people(result: dict[str, Any], roster: Roster) -> None:
    proposed = {pid for team in result["teams"] for pid in team}
    if proposed != set(roster.participants):
        joined = len(set(roster.participants) - proposed)
        left = len(proposed - set(roster.participants))
        raise ParticipantsChanged(
            f"Since this run, {joined} people joined and {left} withdrew. Run it again."
        )


# The one answer to moves refused by a rule about people pairs (reporting lines), whatever the
# pair and whichever move: naming the move, the team or the other person, or answering
# differently whether one or several rules are broken, told a facilitator who manages whom.
PAIR_RULE_REFUSED = (
    "These moves break a rule the optimiser keeps: some people are never placed in the same "
    "team. Nothing was changed."
)


def _play(
    instance: FormationInstance,
    start: list[list[str]],
    moves: list[Move],
    roster: Roster,
    *,
    detailed: bool,
) -> list[list[str]]:
    """Apply the moves in order to a copy of `start`, each checked by the engine's rules.

    `detailed`: the engine's reason (in the facilitator's words, naming only the person moved)
    is the refusal; otherwise the refusal is `PAIR_RULE_REFUSED`.
    """
    teams = [list(t) for t in start]
    for move in moves:
        pid = str(move.pseudonym)
        person = roster.participants.get(pid)
        if person is None:
            raise MoveRefused(f"{pid} is not a participant of this challenge.")
        reason = check_move(instance, teams, pid, move.to_team)
        if reason is not None:
            raise MoveRefused(reason.replace(pid, person.handle) if detailed else PAIR_RULE_REFUSED)
        for team in teams:
            if pid in team:
                team.remove(pid)
        teams[move.to_team].append(pid)
    return teams


@dataclass(frozen=True)
class RefusedMoves:
    """Where refused moves are counted (in transactions of their own: the request's rolls back
    with the refusal) and how many a facilitator may have per window before every move of
    theirs is answered 429."""

    sessions: async_sessionmaker[AppDbSession]
    per_window: int


async def change(
    db: AppDbSession,
    access: ChallengeAccess,
    formation_id: uuid.UUID,
    body: FormationChange,
    refused: RefusedMoves,
) -> FormationOut:
    """Apply the facilitator's moves to a finished run, or refuse them all (and count it)."""
    key = f"refused-moves:{access.pseudonym}"
    await ratelimit.refuse_when_spent(
        db, ratelimit.RateBucket, key, refused.per_window, REFUSED_MOVES_WINDOW, "refused moves"
    )
    if any(move.pseudonym == access.pseudonym for move in body.moves):
        raise CannotMoveYourself("You cannot move yourself; another facilitator can.")
    formation = await _get(db, access.challenge.id, formation_id)
    try:
        await _apply_moves(db, access, formation, body)
    except MoveRefused:
        # Counted in a transaction of its own, since the request's rolls back with the refusal.
        # That one ends first: on SQLite it may hold the write lock (a stale run marked failed).
        await db.rollback()
        async with refused.sessions.begin() as counting:
            await ratelimit.count(counting, ratelimit.RateBucket, key, REFUSED_MOVES_WINDOW)
        raise
    return await _view(db, formation)


async def _apply_moves(
    db: AppDbSession, access: ChallengeAccess, formation: Formation, body: FormationChange
) -> None:
    """Apply the moves in order (each checked against the hard rules), then re-score.

    Two passes over the whole request. First the rules the facilitator can check on the
    proposal itself (who takes part, team numbers, team sizes): a refusal says which move and
    why, and depends on nothing else. Then, only if they all hold, the pairs kept apart
    (reporting lines, from the vault): a refusal is `PAIR_RULE_REFUSED`, the same for every
    pair and every move. So a request refused by a public rule answers the same whether or not
    it also breaks a pair rule, and no two refusals differ by who is in a team.
    """
    challenge = access.challenge
    _check_phase(challenge)
    result = _ready_proposal(formation)
    roster = await _pool(db, access)
    _same_people(result, roster)
    weights = Weights.model_validate(formation.weights)
    public = parse_instance(_instance(challenge, roster, [], weights))
    _play(public, result["teams"], body.moves, roster, detailed=True)
    separate = await access.identity.vault.reporting_pairs(
        challenge.id, roster.pseudonyms(), levels=formation.reporting_levels
    )
    instance = parse_instance(_instance(challenge, roster, separate, weights))
    teams = _play(instance, result["teams"], body.moves, roster, detailed=False)
    rescored = evaluate(instance, teams).to_dict()
    formation.result = rescored
    formation.best_objective = float(rescored["objective"])
    await db.flush()


async def publish(
    db: AppDbSession, access: ChallengeAccess, formation_id: uuid.UUID
) -> list[PublishedTeam]:
    """Create the proposed teams, put everyone in theirs and tell them, in one transaction."""
    challenge = access.challenge
    formation = await _get(db, challenge.id, formation_id)
    _check_phase(challenge)
    result = _ready_proposal(formation)
    roster = await _pool(db, access)
    _same_people(result, roster)
    existing = await teams_repo.names_in(db, challenge.id)
    if existing:
        raise TeamsExist(
            f"This challenge already has {len(existing)} teams. Move people by hand instead."
        )
    taken: set[str] = set()
    created: list[Team] = []
    for _ in result["teams"]:
        team = Team(id=uuid.uuid4(), challenge_id=challenge.id, name=draw_team_name(taken))
        taken.add(team.name)
        created.append(team)
    await repo.add_teams(db, created)
    notices: list[Notification] = []
    for team, members in zip(created, result["teams"], strict=True):
        for pid in members:
            roster.participants[pid].team_id = team.id
            notices.append(
                Notification(
                    recipient=roster.participants[pid].pseudonym,
                    challenge_id=challenge.id,
                    kind="team_assigned",
                    params={"team_id": str(team.id), "team_name": team.name},
                )
            )
    await repo.add_notifications(db, notices)
    await mail_notices(
        db, access.identity.vault, notices, topic="team", challenge_title=challenge.title
    )
    formation.status = "published"
    await db.flush()
    return [PublishedTeam(id=team.id, name=team.name) for team in created]
