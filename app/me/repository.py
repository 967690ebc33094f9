"""The app database's side of your account: what an erasure does there (the person leaves
every challenge still running).

The vault shreds the identity and the pseudonym mapping; here, in each challenge that is not
closed, the person's enrolment and team place are released (their team is told a member
left), so that they are no longer counted, formed into a team or waited for. In closed
challenges what they did stays as it was, under a pseudonym nothing leads back from.
Messages and submissions they wrote keep no author (`ondelete="SET NULL"`).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import delete, select

from app.challenges.models import Challenge, ChallengeFacilitator, Participant
from app.db import AppDbSession
from app.notifications.models import Notification
from app.teams.models import Team


async def leave_running_challenges(
    db: AppDbSession, pseudonyms: Collection[uuid.UUID]
) -> dict[str, list[Notification]]:
    """Release these pseudonyms' places in challenges that are not closed; the notices to the
    teams they left, by challenge title (to be mailed)."""
    told: dict[str, list[Notification]] = {}
    if not pseudonyms:
        return told
    running = select(Challenge.id).where(Challenge.phase != "closed")
    places = list(
        await db.scalars(
            select(Participant).where(
                Participant.pseudonym.in_(list(pseudonyms)),
                Participant.challenge_id.in_(running),
            )
        )
    )
    for place in places:
        if place.team_id is not None:
            team = await db.get(Team, place.team_id)
            teammates = await db.scalars(
                select(Participant.pseudonym).where(
                    Participant.team_id == place.team_id,
                    Participant.pseudonym != place.pseudonym,
                )
            )
            title = await db.scalar(
                select(Challenge.title).where(Challenge.id == place.challenge_id)
            )
            for teammate in teammates:
                notice = Notification(
                    recipient=teammate,
                    challenge_id=place.challenge_id,
                    kind="member_left",
                    params={
                        "team_id": str(place.team_id),
                        "team_name": team.name if team else "",
                    },
                )
                db.add(notice)
                told.setdefault(title or "", []).append(notice)
        await db.delete(place)
    await db.execute(
        delete(ChallengeFacilitator).where(
            ChallengeFacilitator.pseudonym.in_(list(pseudonyms)),
            ChallengeFacilitator.challenge_id.in_(running),
        )
    )
    await db.flush()
    return told
