"""Teams and team messages."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.kit.orm import UtcDateTime, new_id, utcnow


class Team(AppBase):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("challenge_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    challenge_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    # Self-formed teams: the code people type to join. Not a credential of a person.
    join_code: Mapped[str | None] = mapped_column(String(16), unique=True)


class Message(AppBase):
    """A team message. Its author is the participant's pseudonym, shown only as a handle."""

    __tablename__ = "messages"
    __table_args__ = (Index(None, "team_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    author: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participants.pseudonym", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
