"""What's next for the person who asks: per challenge, the one thing to do now and by when.

Built from what the server already knows about this person: their pseudonyms (the vault), their
participant rows, their team's submission, whether they received review tokens. How many
reviews they have written is not among it, and must not be: reviews are anonymous, so the
server can only say how many submissions they may review; the browser's token wallet counts
what it has done (frontend/src/features/reviews/wallet.ts).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from app.challenges import phases
from app.challenges import repository as challenges_repo
from app.challenges.service import PhaseEffects
from app.db import AppDbSession
from app.home import repository as repo
from app.home.schemas import NextAction, NextActions, NextKind
from app.kit.orm import utcnow
from app.vault import Identity

# A closed challenge's results stay on the home page this long after it closed.
RESULTS_SHOWN_FOR = timedelta(days=30)
Role = Literal["participant", "facilitator"]


def _dates(row: Any) -> dict[str, datetime | None]:
    return {column: getattr(row, column) for column in phases.PHASE_DATE.values()}


def shown_phase(
    row: Any, teams_with_members: int, finals: int, now: datetime, close_grace: timedelta
) -> str:
    """The phase a read shows (as `challenges.service.show_due_phase`, from counts at hand):
    the dates that passed, as far as the guards allow."""
    readiness = phases.Readiness(
        published=row.published, teams_with_members=teams_with_members, final_submissions=finals
    )
    phase = str(row.phase)
    for step in phases.due_steps(phase, _dates(row), now):
        if step == "closed" and row.closes_at and now < row.closes_at + close_grace:
            break
        if phases.guard(step, readiness) is not None:
            break
        phase = step
    return phase


def _action(
    row: Any, phase: str, kind: NextKind, role: Role, deadline: datetime | None, **more: Any
) -> NextAction:
    return NextAction(
        kind=kind,
        role=role,
        challenge_id=row.id,
        challenge_title=row.title,
        phase=phase,
        formation_mode=row.formation_mode,
        deadline=deadline,
        **more,
    )


@dataclass(frozen=True)
class _Facts:
    """What the few batched statements found, for every challenge of the page."""

    now: datetime
    phase_of: dict[uuid.UUID, str]
    teams: dict[uuid.UUID, uuid.UUID | None]  # challenge -> your team (joined ones only)
    with_members: dict[uuid.UUID, int]
    finals: dict[uuid.UUID, int]
    statuses: dict[uuid.UUID, str]  # your team -> its submission's status
    rounds: dict[uuid.UUID, tuple[uuid.UUID, str]]
    others: dict[uuid.UUID, int]  # round -> the submissions that are not your team's
    issued: set[uuid.UUID]
    enrolled: dict[uuid.UUID, int]
    formations: dict[uuid.UUID, set[str]]


def _facilitator_action(row: Any, facts: _Facts) -> NextAction | None:
    """What a challenge needs of its facilitators now, if anything."""
    phase = facts.phase_of[row.id]
    if phase == "draft" and not row.published:
        return _action(row, phase, "publish_draft", "facilitator", row.enrolment_opens_at)
    if phase == "enrolment" and not facts.with_members.get(row.id, 0):
        people = facts.enrolled.get(row.id, 0)
        runs = facts.formations.get(row.id, set())
        if "done" in runs and "published" not in runs:
            kind: NextKind = "publish_formation"
        elif people and (
            row.formation_mode == "optimised"
            # Self-formed: people make their teams; it needs them once the date passed.
            or (row.teamwork_starts_at is not None and row.teamwork_starts_at <= facts.now)
        ):
            kind = "form_teams"
        else:
            return None
        return _action(row, phase, kind, "facilitator", row.teamwork_starts_at, count=people)
    if phase == "review":
        round_ = facts.rounds.get(row.id)
        # Its end date passed (the ticker closes it after a grace period), or it has none.
        ended = row.closes_at is None or row.closes_at <= facts.now
        if round_ is not None and round_[1] == "open" and ended:
            return _action(row, phase, "close_round", "facilitator", row.closes_at)
    return None


def _participant_action(row: Any, facts: _Facts) -> NextAction | None:
    """The one next step of someone who joined the challenge."""
    phase, team = facts.phase_of[row.id], facts.teams[row.id]
    if phase == "enrolment":
        if team is not None:
            return _action(
                row, phase, "meet_team", "participant", row.teamwork_starts_at, team_id=team
            )
        kind: NextKind = "find_team" if row.formation_mode == "self_formed" else "enrolled"
        return _action(row, phase, kind, "participant", row.teamwork_starts_at)
    if team is None:  # teams are set once teamwork starts: nothing left to do here
        return None
    if phase == "teamwork":
        status = facts.statuses.get(team, "none")
        return _action(
            row,
            phase,
            "submit",
            "participant",
            row.review_starts_at,
            team_id=team,
            submission_status=status,
        )
    round_ = facts.rounds.get(row.id)
    if phase == "review":
        if round_ is None:  # the ticker opens it within a tick: the finals say how many
            own = 1 if facts.statuses.get(team) == "final" else 0
            count, round_id = facts.finals.get(row.id, 0) - own, None
        else:
            count, round_id = facts.others.get(round_[0], 0), round_[0]
        return _action(
            row,
            phase,
            "review",
            "participant",
            row.closes_at,
            team_id=team,
            round_id=round_id,
            count=count,
            tokens_issued=round_id in facts.issued,
        )
    recent = row.closes_at is None or row.closes_at > facts.now - RESULTS_SHOWN_FOR
    if phase == "closed" and round_ is not None and round_[1] == "closed" and recent:
        return _action(row, phase, "results", "participant", None, team_id=team)
    return None


async def next_actions(db: AppDbSession, identity: Identity, effects: PhaseEffects) -> NextActions:
    """What's next, most urgent first. A few statements, each for every challenge at once."""
    now = utcnow()
    mine = await identity.pseudonyms()
    facilitated = (
        await challenges_repo.facilitated_by(db, mine.values())
        if "facilitator" in identity.roles
        else set()
    )
    teams = await repo.participations(db, mine.values())
    rows = await repo.challenges(db, set(teams) | facilitated)
    # The counts the phase guards read, where a date has passed or the challenge is managed.
    counted = [
        row.id
        for row in rows
        if row.id in facilitated or phases.due_steps(row.phase, _dates(row), now)
    ]
    with_members = await repo.teams_with_members(db, counted)
    finals = await repo.final_submissions(db, counted)
    phase_of = {
        row.id: shown_phase(
            row, with_members.get(row.id, 0), finals.get(row.id, 0), now, effects.close_grace
        )
        for row in rows
    }
    my_teams = {cid: team for cid, team in teams.items() if team is not None}
    rounds = await repo.rounds(
        db,
        [
            row.id
            for row in rows
            if (row.id in my_teams and phase_of[row.id] in ("review", "closed"))
            or (row.id in facilitated and phase_of[row.id] == "review")
        ],
    )
    my_open_rounds = [
        round_id for cid, (round_id, state) in rounds.items() if state == "open" and cid in my_teams
    ]
    forming = [row.id for row in rows if row.id in facilitated and phase_of[row.id] == "enrolment"]
    facts = _Facts(
        now=now,
        phase_of=phase_of,
        teams=teams,
        with_members=with_members,
        finals=finals,
        statuses=await repo.submission_statuses(db, my_teams.values()),
        rounds=rounds,
        others=await repo.others_submissions(db, my_open_rounds, my_teams.values()),
        issued=await repo.issued_rounds(db, my_open_rounds, mine.values()),
        enrolled=await repo.participant_counts(db, forming),
        formations=await repo.finished_formations(db, forming),
    )
    items: list[NextAction | None] = []
    for row in rows:
        if row.id in facilitated:
            items.append(_facilitator_action(row, facts))
        if row.id in teams:
            items.append(_participant_action(row, facts))
        elif row.id not in facilitated and row.published and phase_of[row.id] == "enrolment":
            items.append(_action(row, "enrolment", "join", "participant", row.teamwork_starts_at))
    found = [item for item in items if item is not None]
    # Most urgent first: the nearest deadline (a passed one first), then those without a date.
    found.sort(
        key=lambda item: (
            item.deadline is None,
            item.deadline.timestamp() if item.deadline else 0.0,
            item.role != "facilitator",
            item.challenge_title,
            str(item.challenge_id),
        )
    )
    return NextActions(items=found)
