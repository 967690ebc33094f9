"""Notices addressed to a pseudonym; the vault maps a person to their pseudonyms.

A challenge's notices go to a participant's pseudonym there, a mentoring programme's to the
member's pseudonym in that programme: each notice names one scope and a pseudonym of that
scope, never an account, so that no row ties a person's places in two scopes together."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.kit.orm import UtcDateTime, new_id, utcnow


class Notification(AppBase):
    __tablename__ = "notifications"
    __table_args__ = (Index(None, "recipient", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    recipient: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.pseudonym", ondelete="CASCADE")
    )
    challenge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    # A stable code the UI translates ("team_assigned"), with its parameters (team name...).
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ProgrammeNotification(AppBase):
    """A notice to a member of a mentoring programme (a pair that has not met for five weeks),
    addressed to their pseudonym in that programme; it goes with their application."""

    __tablename__ = "programme_notifications"
    __table_args__ = (Index(None, "recipient", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    recipient: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_applications.pseudonym", ondelete="CASCADE")
    )
    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_programmes.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
