"""The idea library's tables: each team's publication copy and entry, the members' answers to
each proposal to publish it, and the entry's topics.

An entry names its team (by the team's id; the team's name is what readers see), never a
member. Answers are kept under the member's pseudonym for the challenge, as team messages are:
the team decides together and sees who said what, by handle.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.kit.orm import UtcDateTime, new_id, utcnow

STATES = ("editing", "proposed", "published")
UNPUBLISH_REASONS = ("team_request", "identifying_text", "other")


class IdeaEntry(AppBase):
    """A team's publication copy of its final submission (the submission itself never changes),
    proposed to the team, then published once every current member agreed."""

    __tablename__ = "idea_entries"
    __table_args__ = (
        CheckConstraint("state IN ('editing', 'proposed', 'published')", name="state_known"),
        CheckConstraint(
            "unpublished_reason IS NULL OR unpublished_reason IN "
            "('team_request', 'identifying_text', 'other')",
            name="unpublished_reason_known",
        ),
        CheckConstraint("state = 'published' OR NOT featured", name="only_published_featured"),
        Index(None, "state", "featured", "published_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), unique=True
    )
    challenge_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # Each save of the copy adds one: an edit made on an older version is refused, not lost.
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="editing")
    # The number of the latest proposal (0: never proposed); answers belong to one proposal, so
    # a "yes" to a vetoed proposal never counts for the next one.
    proposal: Mapped[int] = mapped_column(Integer, default=0)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Why a facilitator took the entry down (kept for the team until it is published again).
    unpublished_reason: Mapped[str | None] = mapped_column(String(24))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class IdeaConsent(AppBase):
    """One member's answer to one proposal: yes, or no (a veto, which ends the proposal)."""

    __tablename__ = "idea_consents"

    entry_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("idea_entries.id", ondelete="CASCADE"), primary_key=True
    )
    proposal: Mapped[int] = mapped_column(Integer, primary_key=True)
    member: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.pseudonym", ondelete="CASCADE"), primary_key=True
    )
    agrees: Mapped[bool] = mapped_column(Boolean)


class IdeaTopic(AppBase):
    """The challenge's tags, copied when the entry is published, to filter the list by topic."""

    __tablename__ = "idea_topics"

    entry_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("idea_entries.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)
