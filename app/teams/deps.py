"""Dependencies that load a team and establish whether the viewer belongs to it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.deps import CurrentSession, VaultService
from app.challenges import repository as challenges_repo
from app.challenges.deps import Effects
from app.challenges.service import show_due_phase
from app.db import AppDb, VaultDb
from app.teams import repository as repo
from app.teams.errors import TeamNotFound
from app.teams.service import TeamAccess


async def team_access(
    team_id: uuid.UUID,
    effects: Effects,
    session: CurrentSession,
    db: AppDb,
    vault_db: VaultDb,
    vault: VaultService,
) -> TeamAccess:
    """The team, for its members and for its challenge's facilitators; 404 for everyone else."""
    found = await repo.team_with_challenge(db, team_id)
    if found is None:
        raise TeamNotFound()
    team, challenge = found
    pseudonym = await vault.find_pseudonym(vault_db, session.account_id, challenge.id)
    members = (await repo.members_of(db, [team.id])).get(team.id, [])
    member = next((m for m in members if pseudonym is not None and m.pseudonym == pseudonym), None)
    is_facilitator = "facilitator" in session.roles and await challenges_repo.facilitates(
        db, challenge, pseudonym
    )
    if member is None and not is_facilitator:
        raise TeamNotFound()
    await show_due_phase(db, challenge, effects)
    return TeamAccess(
        team=team,
        challenge=challenge,
        members=members,
        member=member,
        is_facilitator=is_facilitator,
    )


async def member_access(access: Annotated[TeamAccess, Depends(team_access)]) -> TeamAccess:
    """Only the team's own members: the workspace is private to the team."""
    if access.member is None:
        raise TeamNotFound()
    return access


TeamViewer = Annotated[TeamAccess, Depends(team_access)]
TeamMember = Annotated[TeamAccess, Depends(member_access)]
