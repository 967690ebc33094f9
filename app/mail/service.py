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
from app.notifications.models import Notification, ProgrammeNotification
from app.vault import BoundVault, Identity, MailChoice, MailTopic

OUTBOX_PAGE_SIZE = 50


async def list_outbox(outbox: DevMailbox) -> Outbox:
    # The outbox folder is read in a worker thread: files, not the event loop's business. A
    # page, not the whole folder: a development server's outbox fills up with hundreds of
    # notices, and parsing every one made the admin page slow to show.
    delivered = await asyncio.to_thread(outbox.messages, limit=OUTBOX_PAGE_SIZE)
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
        ("phases", update.phases),
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
    """Mail the news of a challenge for each notice's recipient, as they chose for the topic
    (at once, in their daily digest, or not), in the request's vault transaction: a rollback
    of the notices takes the mails too. Once per notice and recipient, however often this is
    called."""
    # The notices' ids name the mails (the dedupe key): flushed, so that they exist.
    await db.flush()
    await _queue_news(
        vault,
        [(n.id, n.challenge_id, n.recipient) for n in notices],
        key="notice",
        topic=topic,
        title=challenge_title,
        path="/challenges/{}",
    )


async def mail_programme_notices(
    db: AppDbSession,
    vault: BoundVault,
    notices: Sequence[ProgrammeNotification],
    *,
    programme_title: str,
) -> None:
    """`mail_notices` for a mentoring programme's notices (the "mentoring" topic): "there is
    news in <programme>" and a link, nothing of what the notice says."""
    # The notices' ids name the mails (the dedupe key): flushed, so that they exist.
    await db.flush()
    await _queue_news(
        vault,
        [(n.id, n.programme_id, n.recipient) for n in notices],
        key="programme-notice",
        topic="mentoring",
        title=programme_title,
        path="/programmes/{}",
    )


async def _queue_news(
    vault: BoundVault,
    notices: Sequence[tuple[uuid.UUID, uuid.UUID, uuid.UUID]],
    *,
    key: str,
    topic: MailTopic,
    title: str,
    path: str,
) -> None:
    """(notice id, challenge or programme id, recipient) → one "news in <title>" per subject
    and recipient, named by the notice (the dedupe key)."""
    by_subject: defaultdict[uuid.UUID, dict[uuid.UUID, str]] = defaultdict(dict)
    for notice_id, subject_id, recipient in notices:
        by_subject[subject_id][recipient] = f"{key}:{notice_id}:{recipient}"
    for subject_id, recipients in by_subject.items():
        await vault.queue_news(
            subject_id, recipients, topic=topic, title=title, path=path.format(subject_id)
        )
