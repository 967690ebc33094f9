"""The daily digest: news of the topics a person wants "once a day", gathered into one mail.

A notice of such a topic is not mailed; it waits here (`hold`) as a row named by its owner's
tag, with what the digest will say of it (the challenge's or programme's title and link)
sealed under the current KEK, like a queued message. The row keeps no time of the activity,
only the digest it goes with (`due_at`: the next day's fixed hour, `mail_digest_hour` UTC).

Once a day, after that hour, one worker (app/kit/singleton.py, "mail-digest") runs
`send_digests`: for each person with due rows, in one vault transaction, it deletes the rows
and queues one message (counts per title, with links, nothing else) in the mail queue. Taking
the rows and queueing the digest commit together, so a crash either leaves both (the next run
does it) or neither; and the digest's dedupe key names the person and the day, so running the
day's digest again queues nothing new. Nobody with nothing pending is mailed.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import cast

from anyio import to_thread
from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.db import VaultDbSession
from app.kit.orm import insert_on_conflict, utcnow
from app.vault.accounts import load_profile
from app.vault.context import VaultContext
from app.vault.crypto import keyed_digest
from app.vault.keys import KeyMaterialError
from app.vault.mail_queue import enqueue, reseal_rows
from app.vault.messages import DigestLine, compose
from app.vault.models import DataKey, MailDigestItem, MailPreference

# News within this long before the digest hour waits for the next day's digest: a request's
# transaction that began before the hour and commits just after it finds that day's digest
# gone already, and would otherwise make a second one the same day.
LEAD = timedelta(minutes=1)
# Where a digest sends a person who wants to change what they receive.
PREFERENCES_PATH = "/me#mail-preferences"


def _seal_context(row_id: uuid.UUID) -> bytes:
    return f"mail_digest|sealed|{row_id}".encode()


def digest_moment(now: datetime, hour: int) -> datetime:
    """The digest that news of `now` goes with: the first `hour`:00 UTC after now + LEAD."""
    reference = now + LEAD
    moment = reference.replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment if moment >= reference else moment + timedelta(days=1)


def latest_moment(now: datetime, hour: int) -> datetime:
    """The last digest hour at or before `now`."""
    moment = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment if moment <= now else moment - timedelta(days=1)


async def hold(
    ctx: VaultContext,
    db: VaultDbSession,
    owner_tag: str,
    *,
    topic: str,
    title: str,
    link: str,
    dedupe_key: str,
    now: datetime | None = None,
) -> None:
    """Keep one piece of news for the person's next digest, in the caller's transaction; the
    same notice (dedupe key) twice is kept once."""
    row_id = uuid.uuid4()
    payload = json.dumps({"topic": topic, "title": title, "link": link}).encode()
    kek_version, sealed = ctx.keys.wrap(payload, context=_seal_context(row_id))
    row = {
        "id": row_id,
        "owner_tag": owner_tag,
        "dedupe_key": keyed_digest(ctx.keys.derive_secret("mail-digest:dedupe"), dedupe_key),
        "due_at": digest_moment(now or utcnow(), ctx.settings.mail_digest_hour),
        "kek_version": kek_version,
        "sealed": sealed,
    }
    table = cast(Table, MailDigestItem.__table__)
    statement = insert_on_conflict(db, table)
    await db.execute(statement.on_conflict_do_nothing(index_elements=["dedupe_key"]), [row])


async def forget(db: VaultDbSession, owner_tag: str) -> None:
    """Erasure: what waited for the person's digest goes with them."""
    await db.execute(delete(MailDigestItem).where(MailDigestItem.owner_tag == owner_tag))


def _lines(items: Sequence[dict[str, str]]) -> list[DigestLine]:
    counts = Counter((item["title"], item["link"]) for item in items)
    return [
        DigestLine(title=title, link=link, count=count)
        for (title, link), count in sorted(counts.items())
    ]


async def _accounts_of(
    ctx: VaultContext, db: VaultDbSession, owner_tags: set[str]
) -> dict[str, uuid.UUID]:
    """owner tag -> account: the mapping names no account, so every account's tag is computed
    (one key unwrap each, off the event loop), once per day's run."""
    data_keys = list(await db.scalars(select(DataKey)))

    def match() -> dict[str, uuid.UUID]:
        found: dict[str, uuid.UUID] = {}
        for row in data_keys:
            tag = ctx.cipher_of(row).owner_tag
            if tag in owner_tags:
                found[tag] = row.account_id
        return found

    return await to_thread.run_sync(match)


async def _topics_off(db: VaultDbSession, owner_tag: str) -> set[str]:
    rows = await db.scalars(
        select(MailPreference.topic).where(
            MailPreference.owner_tag == owner_tag, MailPreference.choice == "off"
        )
    )
    return set(rows)


async def send_digests(
    ctx: VaultContext, sessions: async_sessionmaker[VaultDbSession], now: datetime | None = None
) -> int:
    """Queue today's digest for each person with news due by `now` (one message each, in the
    transaction that takes their news); how many were queued."""
    now = now or utcnow()
    async with sessions() as db:
        owner_tags = set(
            await db.scalars(
                select(MailDigestItem.owner_tag).where(MailDigestItem.due_at <= now).distinct()
            )
        )
        if not owner_tags:
            return 0
        accounts = await _accounts_of(ctx, db, owner_tags)
    day = latest_moment(now, ctx.settings.mail_digest_hour).date().isoformat()
    queued = 0
    for owner_tag in sorted(owner_tags):
        async with sessions.begin() as db:
            rows = list(
                await db.scalars(
                    select(MailDigestItem)
                    .where(MailDigestItem.owner_tag == owner_tag, MailDigestItem.due_at <= now)
                    .with_for_update(skip_locked=True)
                )
            )
            if not rows:  # another run took them
                continue
            await db.execute(
                delete(MailDigestItem).where(MailDigestItem.id.in_([row.id for row in rows]))
            )
            account_id = accounts.get(owner_tag)
            if account_id is None:  # erased since: nobody to write to
                continue
            off = await _topics_off(db, owner_tag)
            items: list[dict[str, str]] = []
            for row in rows:
                try:
                    item = json.loads(
                        ctx.keys.unwrap(
                            row.sealed, kek_version=row.kek_version, context=_seal_context(row.id)
                        )
                    )
                except KeyMaterialError:  # sealed under a KEK an erasure epoch destroyed
                    continue
                if item["topic"] not in off:  # turned off since: not sent after all
                    items.append(item)
            if not items:
                continue
            profile = await load_profile(ctx, db, account_id)
            message = compose(
                "daily_digest",
                profile.language,
                to=profile.email,
                public_url=ctx.settings.public_url,
                link=ctx.settings.public_url + PREFERENCES_PATH,
                digest=_lines(items),
                dedupe_key=f"digest:{owner_tag}:{day}",
            )
            await enqueue(ctx, db, [message])
            queued += 1
    return queued


async def reseal(ctx: VaultContext) -> int:
    """Re-seal every waiting piece of news under the current KEK (key rotation): a digest due
    tomorrow must not be lost with the KEK it was sealed under."""
    return await reseal_rows(ctx, MailDigestItem, _seal_context)
