"""The idea library as the team and as readers see it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.challenges.schemas import Track
from app.kit.validation import MAX_INT32
from app.redemption.schemas import CommentWarning

UnpublishReason = Literal["team_request", "identifying_text", "other"]
CopyField = Literal["title", "summary", "body"]


class CopyIn(BaseModel):
    """The text to publish: a copy of the final submission the team edits (the submission
    itself stays as it was reviewed)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    base_version: int = Field(
        ge=0,
        le=MAX_INT32,
        description="The copy's version you edited (0: the final submission's text)",
    )
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=1000, description="Plain text, a few sentences")
    body: str = Field(default="", max_length=50_000, description="Markdown")


class ProposalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=0, le=MAX_INT32, description="The copy's version you read and propose")
    not_names: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list,
        max_length=50,
        description="Texts flagged as possible names (`kind: name`) that are not anyone's name "
        "(a product, a place): they no longer block. Nothing else can be waved through.",
    )


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    proposal: int = Field(
        ge=1, le=MAX_INT32, description="The proposal you answer (a newer one answers 409)"
    )
    agree: bool = Field(description="false is a veto: it ends the proposal")


class TextWarning(CommentWarning):
    """Text of the copy that could identify someone (the reviewers' comment check)."""

    field: CopyField
    confirmable: bool = Field(
        description="A possible name: it blocks the proposal unless the proposer says it is "
        "nobody's name (`not_names`). Every other warning blocks until the text is edited."
    )


class MemberAnswer(BaseModel):
    handle: str
    answer: Literal["yes", "no", "pending"]
    is_me: bool


class CriterionMedian(BaseModel):
    criterion_id: str
    title: str
    median: float


class ReleasedReviews(BaseModel):
    """The team's released review medians: only when its reviews reached the challenge's k."""

    count: int
    medians: list[CriterionMedian]


class TeamIdea(BaseModel):
    """The team's own view of publishing its final submission."""

    state: Literal["not_yet", "no_final", "editing", "proposed", "published"] = Field(
        description="not_yet: the challenge is not closed; no_final: nothing final to publish"
    )
    version: int = Field(description="The copy's version (0: not edited yet)")
    title: str
    summary: str
    body: str
    body_html: str
    warnings: list[TextWarning]
    proposal: int = Field(description="The latest proposal's number (0: none yet)")
    answers: list[MemberAnswer] = Field(
        description="Every current member's answer to the latest proposal, by handle"
    )
    entry_id: uuid.UUID | None = Field(description="Set while published")
    unpublished_reason: UnpublishReason | None = Field(
        description="Why a facilitator took the entry down, until it is published again"
    )
    reviews: ReleasedReviews | None = Field(
        description="What the entry shows of the reviews (None: nothing, k not met)"
    )


class IdeaSummary(BaseModel):
    """An entry in the list: credited to its team's name, never to a member."""

    id: uuid.UUID
    team_name: str
    challenge_id: uuid.UUID
    challenge_title: str
    track: Track
    topics: list[str]
    title: str
    summary: str
    featured: bool
    published_at: datetime


class IdeaEntryOut(IdeaSummary):
    body_html: str
    reviews: ReleasedReviews | None = Field(
        description="Released review medians per criterion; None when the team's reviews did "
        "not reach the challenge's k"
    )
    rating: float | None = Field(
        default=None,
        description="Always null for now: anonymous ratings and comments (blind tokens, as "
        "reviews) are a later piece of work",
    )
    can_curate: bool = Field(description="You may feature or unpublish it")


class UnpublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: UnpublishReason
