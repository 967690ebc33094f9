"""Submission bodies: the team's own view, and the view of other teams and facilitators."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    base_version: int = Field(
        ge=0, description="The version you edited (0 for the first); a newer one answers 409"
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
