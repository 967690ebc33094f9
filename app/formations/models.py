"""Formation runs. Reporting lines are never stored: the vault recomputes them when needed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.kit.orm import UtcDateTime, new_id, utcnow

STATUSES = ("running", "done", "failed", "published")


class Formation(AppBase):
    __tablename__ = "formations"
    __table_args__ = (
        CheckConstraint(
            "status IN ('running', 'done', 'failed', 'published')", name="status_known"
        ),
        # At most one run at a time per challenge, whatever the number of workers.
        Index(
            "uq_formations_one_running",
            "challenge_id",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    challenge_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="running")
    weights: Mapped[dict[str, float]] = mapped_column(JSON)
    time_limit_s: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    # How far up the management chain people are kept apart (1: direct manager, 2: skip-level).
    reporting_levels: Mapped[int] = mapped_column(SmallInteger, default=2)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    best_objective: Mapped[float | None] = mapped_column(Float)
    # The proposal: {"teams": [[pseudonym, ...], ...], "objective", "upper_bound", "metrics"...}
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
