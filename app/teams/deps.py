"""Dependencies that load a team and establish whether the viewer belongs to it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.deps import CurrentIdentity
from app.challenges.deps import Effects
from app.db import AppDb
from app.teams import service
from app.teams.errors import TeamNotFound
from app.teams.service import TeamAccess


async def team_access(
    team_id: uuid.UUID,
    effects: Effects,
    identity: CurrentIdentity,
    db: AppDb,
) -> TeamAccess:
    """The team, for its members and for its challenge's facilitators; 404 for everyone else."""
    return await service.team_access(db, identity, team_id, effects)


async def member_access(access: Annotated[TeamAccess, Depends(team_access)]) -> TeamAccess:
    """Only the team's own members: the workspace is private to the team."""
    if access.member is None:
        raise TeamNotFound()
    return access


TeamViewer = Annotated[TeamAccess, Depends(team_access)]
TeamMember = Annotated[TeamAccess, Depends(member_access)]
