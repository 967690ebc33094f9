"""The development outbox's listing, and each person's mail preferences (kept in the vault)."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Sequence

from app.db import AppDbSession
from app.kit.mail import DevMailbox
from app.mail.errors import UnsubscribeLinkNotFound
from app.mail.schemas import (
    MailPreferences,
    MailPreferencesUpdate,
    Outbox,
    OutboxMessage,
    Unsubscribed,
)
from app.notifications.models import Notification
from app.vault import BoundVault, Identity, MailChoice, MailTopic


async def list_outbox(outbox: DevMailbox) -> Outbox:
    # The outbox folder is read in a worker thread: files, not the event loop's business.
    delivered = await asyncio.to_thread(outbox.messages)
    return Outbox(
        messages=[
            OutboxMessage(
                to=item.message.to,
                subject=item.message.subject,
                kind=item.message.kind,
                text=item.message.text,
                sent_at=item.sent_at,
            )
            for item in delivered
        ]
    )


async def preferences_of(identity: Identity) -> MailPreferences:
    return MailPreferences(**await identity.vault.mail_preferences(identity.account_id))


async def change_preferences(identity: Identity, update: MailPreferencesUpdate) -> MailPreferences:
    given: list[tuple[MailTopic, MailChoice | None]] = [
        ("team", update.team),
        ("submissions", update.submissions),
        ("ideas", update.ideas),
        ("mentoring", update.mentoring),
    ]
    choices = {topic: choice for topic, choice in given if choice is not None}
    return MailPreferences(
        **await identity.vault.set_mail_preferences(identity.account_id, choices)
    )


async def unsubscribe(vault: BoundVault, token: str) -> Unsubscribed:
    topic = await vault.unsubscribe_from_mail(token)
    if topic is None:
        raise UnsubscribeLinkNotFound()
    return Unsubscribed(topic=topic, choice="off")


async def mail_notices(
    db: AppDbSession,
    vault: BoundVault,
    notices: Sequence[Notification],
    *,
    topic: MailTopic,
    challenge_title: str,
) -> None:
    """Queue a mail of "news in <challenge>" for each notice's recipient who wants the topic
    at once, in the request's vault transaction: a rollback of the notices takes the mails
    too. Once per notice and recipient, however often this is called."""
    if not notices:
        return
    # The notices' ids name the mails (the dedupe key).
    await db.flush()
    by_challenge: defaultdict[uuid.UUID, dict[uuid.UUID, str]] = defaultdict(dict)
    for notice in notices:
        by_challenge[notice.challenge_id][notice.recipient] = (
            f"notice:{notice.id}:{notice.recipient}"
        )
    for challenge_id, recipients in by_challenge.items():
        await vault.queue_challenge_news(
            challenge_id, recipients, topic=topic, challenge_title=challenge_title
        )
