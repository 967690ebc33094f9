"""The pair's plan: the first session's template, written together by the pair's two members.

For each member: their interests, what they know, their shortcomings, and the goals the pair
sets them, each goal at a guidance level (discover, deepen, exploit). Goals keep a short id
across edits, so that check-ins can say how far each one went.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.exc import IntegrityError

from app.db import AppDbSession
from app.kit.orm import utcnow
from app.mentoring import repository as repo
from app.mentoring.errors import StalePlan
from app.mentoring.models import Plan
from app.mentoring.pairs import PairAtWork, at_work
from app.mentoring.schemas import Goal, PlanIn, PlanOut, PlanPart, PlanPartIn
from app.mentoring.service import ProgrammeAccess

SIDES = ("mentor", "mentee")
_EMPTY: dict[str, Any] = {"interests": "", "knowledge": "", "shortcomings": "", "goals": []}


def _view(plan: Plan | None) -> PlanOut:
    parts = plan.parts if plan is not None else {}
    return PlanOut(
        revision=plan.revision if plan is not None else 0,
        mentor=PlanPart.model_validate(parts.get("mentor", _EMPTY)),
        mentee=PlanPart.model_validate(parts.get("mentee", _EMPTY)),
        updated_at=plan.updated_at if plan is not None else None,
    )


def goals_of(plan: Plan | None) -> dict[str, Goal]:
    """Every goal of the plan, both sides, by id."""
    if plan is None:
        return {}
    return {
        goal["id"]: Goal.model_validate(goal)
        for side in SIDES
        for goal in plan.parts.get(side, _EMPTY)["goals"]
    }


def _stored(part: PlanPartIn, known: set[str]) -> dict[str, Any]:
    # An id the plan never had is replaced: ids are the server's, so a client cannot pick one
    # that collides with the other side's goals.
    goals = []
    for goal in part.goals:
        goal_id = goal.id if goal.id in known else secrets.token_hex(6)
        known.discard(goal_id)
        goals.append({"id": goal_id, "text": goal.text, "guidance": goal.guidance})
    return part.model_dump(exclude={"goals"}) | {"goals": goals}


async def show(db: AppDbSession, access: ProgrammeAccess) -> PlanOut:
    work = await at_work(db, access, writing=False)
    return _view(await repo.get_plan(db, work.pair.id))


async def save(db: AppDbSession, access: ProgrammeAccess, body: PlanIn) -> PlanOut:
    """Replace the plan, if nobody changed it since the revision the writer saw."""
    work: PairAtWork = await at_work(db, access)
    plan = await repo.get_plan(db, work.pair.id)
    current = plan.revision if plan is not None else 0
    if body.revision != current:
        raise StalePlan(f"The plan is now at revision {current}; reload it and try again.")
    known = set(goals_of(plan))
    parts = {"mentor": _stored(body.mentor, known), "mentee": _stored(body.mentee, known)}
    if plan is None:
        plan = Plan(pair_id=work.pair.id, parts=parts, revision=1, updated_at=utcnow())
        try:
            async with db.begin_nested():
                db.add(plan)
        except IntegrityError:  # the partner wrote the first plan at the same moment
            raise StalePlan("Your partner has just written the plan; reload it.") from None
    else:
        plan.parts = parts
        plan.revision += 1
        plan.updated_at = utcnow()
    await db.flush()
    return _view(plan)
