"""Submission bodies: the team's own view, and the view of other teams and facilitators."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from app.kit.validation import MAX_INT32


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    base_version: int = Field(
        ge=0,
        le=MAX_INT32,
        description="The version you edited (0 for the first); a newer one answers 409",
    )
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=50_000, description="Markdown")
    links: list[AnyHttpUrl] = Field(default_factory=list, max_length=20)


class VersionSummary(BaseModel):
    version: int
    editor_handle: str | None
    created_at: datetime
    title: str


class VersionDetail(VersionSummary):
    body: str
    body_html: str
    links: list[str]


class TeamSubmission(BaseModel):
    """What the team sees: everything, with its history."""

    status: Literal["none", "draft", "final"]
    version: int
    title: str
    body: str
    body_html: str
    links: list[str]
    deadline: datetime | None
    editable: bool
    final_withdrawable: bool = Field(
        description="Final, and any member may still withdraw it (teamwork, before the deadline)"
    )
    history: list[VersionSummary]


class SubmissionToReview(BaseModel):
    """A final submission as others see it: no times, no authors, only the team's name."""

    id: uuid.UUID
    team_name: str
    title: str
    body_html: str
    links: list[str]

    def expires_at(self) -> datetime | None:
        """Nothing here depends on the clock: finals are locked, and the list shows from review
        on, which never goes back."""
        return None


class RestoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ge=1, le=MAX_INT32, description="The earlier version whose content comes back"
    )
    base_version: int = Field(
        ge=0, le=MAX_INT32, description="The current version you saw; a newer one answers 409"
    )


class FacilitatorSubmission(BaseModel):
    """A team's submission as its challenge's facilitators read it: the draft or the final, its
    history (handles, as on the team's own page), and nothing they could edit."""

    team_id: uuid.UUID
    team_name: str
    status: Literal["none", "draft", "final"]
    version: int
    title: str
    body: str = Field(description="Markdown, to compare versions")
    body_html: str
    links: list[str]
    updated_at: datetime | None
    deadline: datetime | None
    history: list[VersionSummary]


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    body: str = Field(min_length=1, max_length=5000, description="Markdown")


class Feedback(BaseModel):
    """Feedback from a facilitator, signed with their name (facilitators are not anonymous to
    the teams they facilitate; the team's members stay pseudonymous to them)."""

    id: uuid.UUID
    author_name: str | None = Field(
        description="The facilitator's display name; None once they no longer facilitate"
    )
    is_mine: bool = Field(description="You wrote it (facilitators only)")
    version: int | None = Field(description="The submission version it was written about")
    body_html: str
    created_at: datetime
