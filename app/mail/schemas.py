"""What the outbox page shows, and how a person wants to hear of activity by e-mail."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.vault import MailChoice, MailTopic


class OutboxMessage(BaseModel):
    to: str
    subject: str
    kind: str
    text: str
    sent_at: datetime


class Outbox(BaseModel):
    """The newest messages first, at most 50 of them (the folder keeps more: var/outbox)."""

    messages: list[OutboxMessage]


class MailPreferences(BaseModel):
    """For each topic of activity: a mail at once, one daily digest, or none. Account mail (a
    confirmation link, an invitation) is always sent and is not listed."""

    team: MailChoice = Field(description="Your team was formed or changed")
    submissions: MailChoice = Field(description="Your team's submission and its feedback")
    ideas: MailChoice = Field(description="Ideas proposed, vetoed or published")
    phases: MailChoice = Field(
        description="A phase begins, reviews open or close within a day, results are out"
    )
    mentoring: MailChoice = Field(
        description="Mentoring matches published, sessions proposed, reminders"
    )


class Unsubscribed(BaseModel):
    """The topic a one-click unsubscribe link turned off."""

    topic: MailTopic
    choice: MailChoice


class MailPreferencesUpdate(BaseModel):
    """The topics to change; the others keep their choice."""

    model_config = ConfigDict(extra="forbid")

    team: MailChoice | None = None
    submissions: MailChoice | None = None
    ideas: MailChoice | None = None
    phases: MailChoice | None = None
    mentoring: MailChoice | None = None
