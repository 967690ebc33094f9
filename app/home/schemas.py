"""What's next: the one next action per challenge, for the person who asks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.challenges.schemas import FormationMode, Phase

NextKind = Literal[
    # As a participant (or someone who may join)
    "join",
    "enrolled",
    "find_team",
    "meet_team",
    "submit",
    "review",
    "results",
    # As one of the challenge's facilitators
    "publish_draft",
    "form_teams",
    "publish_formation",
    "close_round",
]


class NextAction(BaseModel):
    kind: NextKind
    role: Literal["participant", "facilitator"]
    challenge_id: uuid.UUID
    challenge_title: str
    phase: Phase = Field(description="The phase the challenge's dates have reached")
    formation_mode: FormationMode
    deadline: datetime | None = Field(
        description="When the action is due (the next phase's date), if there is a date"
    )
    team_id: uuid.UUID | None = Field(
        default=None, description="Your team, for meet_team, submit and review"
    )
    submission_status: Literal["none", "draft", "final"] | None = Field(
        default=None, description="submit: your team's submission so far"
    )
    round_id: uuid.UUID | None = Field(
        default=None,
        description="review: the open round, for this browser's own count of reviews done",
    )
    count: int | None = Field(
        default=None,
        description="review: the submissions you may review; form_teams: the people enrolled",
    )
    tokens_issued: bool | None = Field(
        default=None, description="review: whether you already received your review tokens"
    )


class NextActions(BaseModel):
    items: list[NextAction] = Field(description="Most urgent first: the nearest deadline first")
