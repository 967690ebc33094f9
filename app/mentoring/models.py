"""Mentoring tables (app database: pseudonyms per programme and coarse labels only).

A programme id is a pseudonym scope in the vault exactly as a challenge id is: each person has
one pseudonym per programme, and no row here holds an account id, a name or an e-mail.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.kit.orm import UtcDateTime, new_id, utcnow
from app.mentoring.vocabulary import (
    ANSWERS,
    CADENCES,
    PAIR_MODES,
    PHASES,
    ROLES,
    RUN_STATUSES,
    SELECTIONS,
    SESSION_STATUSES,
    sql_in,
)


class Programme(AppBase):
    __tablename__ = "mentoring_programmes"
    __table_args__ = (
        CheckConstraint(sql_in("phase", PHASES), name="phase_known"),
        CheckConstraint(sql_in("pair_mode", PAIR_MODES), name="pair_mode_known"),
        CheckConstraint(sql_in("cadence", CADENCES), name="cadence_known"),
        CheckConstraint("session_count BETWEEN 1 AND 24", name="session_count_in_range"),
        CheckConstraint("handle_language IN ('en', 'fr', 'es')", name="handle_language_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    # Skill slugs, as challenges' skills.
    topics: Mapped[list[str]] = mapped_column(JSON)
    guidance_levels: Mapped[list[str]] = mapped_column(JSON)
    session_count: Mapped[int] = mapped_column(SmallInteger, default=6)
    cadence: Mapped[str] = mapped_column(String(12), default="monthly")
    pair_mode: Mapped[str] = mapped_column(String(8), default="reverse")
    training_required: Mapped[bool] = mapped_column(Boolean, default=False)
    # The learning library's collection mentors must complete (app/library).
    training_collection_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    handle_language: Mapped[str] = mapped_column(String(2), default="en")
    phase: Mapped[str] = mapped_column(String(12), default="draft")
    applications_open_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    applications_close_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The creating lead's pseudonym for this programme.
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=1)


class ProgrammeLead(AppBase):
    """A co-lead of one programme, under their pseudonym for it (the creator is
    `mentoring_programmes.created_by`). A programme's leads cannot apply to it."""

    __tablename__ = "mentoring_leads"

    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_programmes.id", ondelete="CASCADE"), primary_key=True
    )
    pseudonym: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, unique=True)


class Application(AppBase):
    """One person's application to one programme. The primary key IS their pseudonym there."""

    __tablename__ = "mentoring_applications"
    __table_args__ = (
        UniqueConstraint("programme_id", "handle"),
        CheckConstraint(sql_in("role", ROLES), name="role_known"),
        CheckConstraint(sql_in("selection", SELECTIONS), name="selection_known"),
        CheckConstraint(
            "(role = 'mentee' AND capacity IS NULL) "
            "OR (role <> 'mentee' AND capacity BETWEEN 1 AND 3)",
            name="capacity_for_mentors",
        ),
    )

    pseudonym: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_programmes.id", ondelete="CASCADE"), index=True
    )
    handle: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(6))
    # Coarse labels from the vault (participant_attributes), as a challenge's participants.
    cohort: Mapped[str | None] = mapped_column(String(32))
    # HMAC under a per-programme key: "same department or not", never which.
    department_tag: Mapped[str | None] = mapped_column(String(64))
    languages: Mapped[list[str]] = mapped_column(JSON)
    # {skill: level 1-4}
    teaches: Mapped[dict[str, int]] = mapped_column(JSON)
    # {skill: {"level": 1-3, "guidance": "discover" | "deepen" | "exploit"}}
    wants: Mapped[dict[str, dict[str, Any]]] = mapped_column(JSON)
    availability: Mapped[list[str]] = mapped_column(JSON)
    capacity: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    selection: Mapped[str] = mapped_column(String(8), default="pending")
    # The library's answer, computed in the applicant's own request (only they can open their
    # quiz attempts); None: not asked (no training required) or not answerable.
    training_passed: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MatchRun(AppBase):
    __tablename__ = "mentoring_runs"
    __table_args__ = (
        CheckConstraint(sql_in("status", RUN_STATUSES), name="status_known"),
        # At most one run at a time per programme, whatever the number of workers.
        Index(
            "uq_mentoring_runs_one_running",
            "programme_id",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_programmes.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="running")
    weights: Mapped[dict[str, int]] = mapped_column(JSON)
    time_limit_s: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    # The generations, oldest first, as the vault named them for this run.
    cohorts: Mapped[list[str]] = mapped_column(JSON)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    best_objective: Mapped[float | None] = mapped_column(Float)
    # The engine's output (pseudonyms as ids), then as the lead's swaps changed it. Never the
    # `separate` pairs that shaped it: reporting lines are recomputed by the vault when needed.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Pair(AppBase):
    """A published pair: two pseudonyms of the programme, each member's answer and consent."""

    __tablename__ = "mentoring_pairs"
    __table_args__ = (
        CheckConstraint(sql_in("mentor_answer", ANSWERS), name="mentor_answer_known"),
        CheckConstraint(sql_in("mentee_answer", ANSWERS), name="mentee_answer_known"),
        CheckConstraint("mentor <> mentee", name="two_people"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_programmes.id", ondelete="CASCADE"), index=True
    )
    mentor: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_applications.pseudonym", ondelete="CASCADE"), index=True
    )
    mentee: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_applications.pseudonym", ondelete="CASCADE"), index=True
    )
    mentor_answer: Mapped[str] = mapped_column(String(8), default="pending")
    mentee_answer: Mapped[str] = mapped_column(String(8), default="pending")
    # Consent to reveal one's display name (and e-mail) to the other member.
    mentor_reveals: Mapped[bool] = mapped_column(Boolean, default=False)
    mentee_reveals: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Plan(AppBase):
    """The pair's plan, drafted in their first session: for each member their interests,
    knowledge, shortcomings and goals (each with a guidance level). Seen and edited by the
    pair's two members only; the lead's figures count its goals' guidance levels, never text."""

    __tablename__ = "mentoring_plans"

    pair_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_pairs.id", ondelete="CASCADE"), primary_key=True
    )
    # {"mentor": {...}, "mentee": {...}}: each {"interests", "knowledge", "shortcomings",
    # "goals": [{"id", "text", "guidance"}]}.
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PairSession(AppBase):
    """One meeting of a pair. `sequence` rises with every change, so that a calendar that
    imported the event replaces it (RFC 5545 SEQUENCE; the UID is the row's id)."""

    __tablename__ = "mentoring_sessions"
    __table_args__ = (
        CheckConstraint(sql_in("status", SESSION_STATUSES), name="status_known"),
        CheckConstraint("minutes BETWEEN 15 AND 480", name="minutes_in_range"),
        CheckConstraint("(place IS NULL) <> (video_url IS NULL)", name="place_or_video_link"),
        Index(None, "pair_id", "starts_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pair_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mentoring_pairs.id", ondelete="CASCADE"))
    proposed_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    minutes: Mapped[int] = mapped_column(SmallInteger)
    place: Mapped[str | None] = mapped_column(String(200))
    video_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The start the pair was told of the day before (app/mentoring/reminders.py): a session
    # moved to another start is reminded again, the same start never twice.
    reminded_starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class CheckIn(AppBase):
    """One member's check-in after a held session, seen by the pair only."""

    __tablename__ = "mentoring_check_ins"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_in_range"),)

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    author: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    covered: Mapped[str] = mapped_column(Text)
    # {goal id: 1-5}, the goals of the plan as it was at the check-in.
    goal_progress: Mapped[dict[str, int]] = mapped_column(JSON)
    # {goal id: guidance level}, copied from the plan so that later edits do not move the
    # lead's distribution of months already shown.
    goal_guidance: Mapped[dict[str, str]] = mapped_column(JSON)
    next_step: Mapped[str] = mapped_column(Text)
    rating: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class JournalEntry(AppBase):
    """A note in the pair's confidential journal: ciphertext only, sealed by the vault under
    the pair's own key (app/vault/pairs.py). Nothing here opens without the vault."""

    __tablename__ = "mentoring_journal_entries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pair_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_pairs.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[uuid.UUID] = mapped_column(Uuid)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PairState(AppBase):
    """Bookkeeping of one pair: when it was last reminded to meet, and whether its journal
    was shredded (then no entry is kept and none may be written)."""

    __tablename__ = "mentoring_pair_states"

    pair_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_pairs.id", ondelete="CASCADE"), primary_key=True
    )
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    journal_shredded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
