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

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.challenges import repository as challenges_repo
from app.challenges.errors import WrongPhase
from app.challenges.models import Challenge, Participant
from app.challenges.names import draw_team_name
from app.db import AppDbSession
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
    Weights,
)
from app.kit.orm import utcnow
from app.notifications.models import Notification
from app.teams import repository as teams_repo
from app.teams.formation import FormationInstance, check_move, evaluate, parse_instance
from app.teams.models import Team

# A running job writes a heartbeat at least every PROGRESS_WRITE_EVERY_S; one silent for this
# long belonged to a worker that stopped (restart, crash) and is marked failed.
STALE_AFTER = timedelta(seconds=60)
FORMATION_PHASES = ("enrolment",)
# Declared teaching levels that count as "can teach" (product.md: 3 exploit, 4 mentor).
TEACHING_LEVEL = 3


@dataclass
class Roster:
    """The enrolled participants as the optimiser sees them, plus what the views need."""

    participants: dict[str, Participant]
    teaches: dict[str, list[str]]
    wants: dict[str, list[str]]

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
    stale = await db.scalars(
        select(Formation).where(
            Formation.challenge_id == challenge_id,
            Formation.status == "running",
            Formation.heartbeat_at < utcnow() - STALE_AFTER,
        )
    )
    for formation in stale:
        formation.status = "failed"
        formation.error = "The run was interrupted (the server restarted). Run it again."
    await db.flush()


@dataclass
class PreparedRun:
    formation: Formation
    instance: dict[str, Any]


async def start(
    db: AppDbSession,
    challenge: Challenge,
    body: FormationStart,
    separate: list[tuple[uuid.UUID, uuid.UUID]],
) -> PreparedRun:
    """Record a new run; the caller starts the job once this transaction has committed."""
    _check_phase(challenge)
    roster = await _roster(db, challenge.id)
    if not roster.participants:
        raise NobodyEnrolled()
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
    try:
        async with db.begin_nested():
            db.add(formation)
    except IntegrityError:
        raise FormationRunning() from None
    return PreparedRun(formation, _instance(challenge, roster, separate, body.weights))


async def participant_pseudonyms(db: AppDbSession, challenge_id: uuid.UUID) -> list[uuid.UUID]:
    return [p.pseudonym for p in await challenges_repo.all_participants(db, challenge_id)]


async def get(db: AppDbSession, challenge_id: uuid.UUID, formation_id: uuid.UUID) -> Formation:
    await _expire_stale(db, challenge_id)
    formation = await db.get(Formation, formation_id)
    if formation is None or formation.challenge_id != challenge_id:
        raise FormationNotFound()
    return formation


async def list_for(db: AppDbSession, challenge_id: uuid.UUID) -> list[Formation]:
    await _expire_stale(db, challenge_id)
    return list(
        await db.scalars(
            select(Formation)
            .where(Formation.challenge_id == challenge_id)
            .order_by(Formation.created_at.desc(), Formation.id)
        )
    )


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


async def view(db: AppDbSession, formation: Formation) -> FormationOut:
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


async def change(
    db: AppDbSession,
    challenge: Challenge,
    formation: Formation,
    body: FormationChange,
    separate: list[tuple[uuid.UUID, uuid.UUID]],
) -> None:
    """Apply the moves in order (each checked against the hard rules), then re-score.

    Two passes over the whole request. First the rules the facilitator can check on the
    proposal itself (who takes part, team numbers, team sizes): a refusal says which move and
    why, and depends on nothing else. Then, only if they all hold, the pairs kept apart
    (reporting lines): a refusal is `PAIR_RULE_REFUSED`, the same for every pair and every
    move. So a request refused by a public rule answers the same whether or not it also breaks
    a pair rule, and no two refusals differ by who is in a team.
    """
    _check_phase(challenge)
    result = _ready_proposal(formation)
    roster = await _roster(db, challenge.id)
    _same_people(result, roster)
    weights = Weights.model_validate(formation.weights)
    public = parse_instance(_instance(challenge, roster, [], weights))
    _play(public, result["teams"], body.moves, roster, detailed=True)
    instance = parse_instance(_instance(challenge, roster, separate, weights))
    teams = _play(instance, result["teams"], body.moves, roster, detailed=False)
    rescored = evaluate(instance, teams).to_dict()
    formation.result = rescored
    formation.best_objective = float(rescored["objective"])
    await db.flush()


async def publish(db: AppDbSession, challenge: Challenge, formation: Formation) -> list[Team]:
    """Create the proposed teams, put everyone in theirs and tell them, in one transaction."""
    _check_phase(challenge)
    result = _ready_proposal(formation)
    roster = await _roster(db, challenge.id)
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
        db.add(team)
        created.append(team)
    await db.flush()
    for team, members in zip(created, result["teams"], strict=True):
        for pid in members:
            roster.participants[pid].team_id = team.id
            db.add(
                Notification(
                    recipient=roster.participants[pid].pseudonym,
                    challenge_id=challenge.id,
                    kind="team_assigned",
                    params={"team_id": str(team.id), "team_name": team.name},
                )
            )
    formation.status = "published"
    await db.flush()
    return created
