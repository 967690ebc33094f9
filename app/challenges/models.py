"""Challenge and participant tables (app database: pseudonyms and coarse labels only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.kit.orm import UtcDateTime, new_id, utcnow

PHASES = ("draft", "enrolment", "teamwork", "review", "closed")
TRACKS = ("discover", "deepen", "exploit")
FORMATION_MODES = ("optimised", "self_formed")


class Challenge(AppBase):
    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint(
            "phase IN ('draft', 'enrolment', 'teamwork', 'review', 'closed')", name="phase_known"
        ),
        CheckConstraint("track IN ('discover', 'deepen', 'exploit')", name="track_known"),
        CheckConstraint(
            "formation_mode IN ('optimised', 'self_formed')", name="formation_mode_known"
        ),
        CheckConstraint(
            "team_size_min >= 2 AND team_size_min <= team_size_target "
            "AND team_size_target <= team_size_max",
            name="team_sizes_ordered",
        ),
        CheckConstraint("review_k >= 3", name="review_k_at_least_3"),
        CheckConstraint("handle_language IN ('en', 'fr', 'es')", name="handle_language_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    brief: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON)
    track: Mapped[str] = mapped_column(String(16))
    team_size_min: Mapped[int] = mapped_column(SmallInteger)
    team_size_target: Mapped[int] = mapped_column(SmallInteger)
    team_size_max: Mapped[int] = mapped_column(SmallInteger)
    formation_mode: Mapped[str] = mapped_column(String(16))
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    review_k: Mapped[int] = mapped_column(SmallInteger, default=3)
    # Every handle of the challenge is drawn in this one language: handles drawn in each
    # person's own language would tell teammates who chose French or Spanish.
    handle_language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    phase: Mapped[str] = mapped_column(String(16), default="draft")
    # Visible to participants; a published draft is "upcoming" until enrolment opens.
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    enrolment_opens_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    teamwork_starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    review_starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The creating facilitator's pseudonym for this challenge: "mine" works through the vault.
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Incremented on every change: optimistic concurrency for facilitators editing at once.
    revision: Mapped[int] = mapped_column(Integer, default=1)


class ChallengeFacilitator(AppBase):
    """A co-facilitator of one challenge, added by one of its facilitators, under the pseudonym
    the vault gives them for it (the creator is `challenges.created_by`). Identities stay in the
    vault; a challenge's facilitators cannot join it."""

    __tablename__ = "challenge_facilitators"

    challenge_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True
    )
    # A pseudonym belongs to one (account, challenge): unique on its own, and looked up alone
    # ("the challenges I facilitate").
    pseudonym: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, unique=True)


class Participant(AppBase):
    """A person in one challenge. The primary key IS the per-challenge pseudonym."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("challenge_id", "handle"),)

    pseudonym: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    challenge_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    handle: Mapped[str] = mapped_column(String(60))
    cohort: Mapped[str | None] = mapped_column(String(32))
    seniority_band: Mapped[str | None] = mapped_column(String(16))
    # HMAC under a per-challenge key: "same department or not", never which.
    department_tag: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    team_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )


class ParticipantSkill(AppBase):
    __tablename__ = "participant_skills"
    __table_args__ = (
        CheckConstraint("direction IN ('teach', 'learn')", name="direction_known"),
        CheckConstraint("level BETWEEN 0 AND 4", name="level_in_scale"),
    )

    participant: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.pseudonym", ondelete="CASCADE"), primary_key=True
    )
    direction: Mapped[str] = mapped_column(String(5), primary_key=True)
    skill: Mapped[str] = mapped_column(String(50), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
