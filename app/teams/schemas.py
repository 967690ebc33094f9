"""Team, member and message bodies, per audience."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Diversity(BaseModel):
    """How mixed a team is: counts of distinct groups, never who is which."""

    size: int
    generations: int
    seniority_bands: int
    departments: int


class TeamSummary(BaseModel):
    """Participants of the challenge see other teams like this."""

    id: uuid.UUID
    name: str
    diversity: Diversity
    has_final_submission: bool


class MemberView(BaseModel):
    handle: str
    is_you: bool


class MemberDetail(BaseModel):
    """Facilitators see pseudonyms and coarse labels (never names)."""

    pseudonym: uuid.UUID
    handle: str
    cohort: str | None
    seniority_band: str | None


class TeamDetail(TeamSummary):
    """Facilitators' view of a team."""

    members: list[MemberDetail]
    join_code: str | None

    def expires_at(self) -> datetime | None:
        """Nothing here depends on the clock: only on the team and its members."""
        return None


class MyTeam(TeamSummary):
    """A member's view of their own team."""

    challenge_id: uuid.UUID
    members: list[MemberView]
    join_code: str | None = Field(description="Share it with colleagues who should join")
    submission_status: str = Field(description="none, draft or final")
    submission_deadline: datetime | None
    join_code_until: datetime | None = Field(
        default=None,
        description="While the join code shows: when teamwork starts and the code stops working",
    )

    def expires_at(self) -> datetime | None:
        """The join code shows until teamwork starts (the submission deadline only shows a
        date; passing it changes nothing here that a write would not)."""
        return self.join_code_until if self.join_code is not None else None


class TeamCreated(BaseModel):
    id: uuid.UUID
    name: str
    join_code: str | None


class JoinTeam(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=4, max_length=16)


class TeamMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    team_id: uuid.UUID | None = Field(description="The team to move to; null leaves every team")


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=5000, description="Markdown")


class Message(BaseModel):
    id: uuid.UUID
    author_handle: str | None = Field(description="None when the author left the challenge")
    is_mine: bool
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    editable_until: datetime | None

    def expires_at(self) -> datetime | None:
        """When its edit window closes, `editable_until` is no longer shown."""
        return self.editable_until
