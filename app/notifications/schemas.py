"""Notices as the UI shows them: a stable kind it translates, with its parameters."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class NotificationOut(BaseModel):
    id: uuid.UUID
    challenge_id: uuid.UUID
    kind: str
    params: dict[str, Any]
    created_at: datetime
    read: bool
