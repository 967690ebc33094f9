"""The private calendar link as its owner sees it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CalendarFeed(BaseModel):
    url: str | None = Field(
        description="Your private subscription link (null: none). Anyone with it sees the dates "
        "of the challenges you joined, so keep it to yourself; making a new one or revoking it "
        "stops the old one."
    )
