"""Notices as the UI shows them: a stable kind it translates, with its parameters."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class NotificationOut(BaseModel):
    id: uuid.UUID
    challenge_id: uuid.UUID | None = Field(
        default=None, description="The challenge it is about (a challenge's notices)"
    )
    programme_id: uuid.UUID | None = Field(
        default=None, description="The mentoring programme it is about (a programme's notices)"
    )
    kind: str
    params: dict[str, Any]
    created_at: datetime
    read: bool
