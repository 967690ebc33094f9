"""How each person wants to hear of activity by e-mail: per topic, at once, in a daily digest,
or not at all.

Account mail (a sign-up or change-of-address confirmation, an invitation) is not a topic: it
is always sent, since it answers something the person (or an administrator) just did. The rows
name their owner by the owner tag, as the pseudonym mapping does, so the vault can find a
pseudonym's preferences without naming the account; an erasure deletes them. A topic without a
row is mailed at once, so a person who never opened the settings has no row at all.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from collections.abc import Mapping
from typing import Literal, cast, get_args

from sqlalchemy import delete, select

from app.db import VaultDbSession
from app.kit.mail import Message
from app.vault import mail_digest
from app.vault.accounts import load_profile
from app.vault.context import VaultContext
from app.vault.crypto import keyed_digest
from app.vault.errors import AccountNotFound
from app.vault.mail_queue import enqueue
from app.vault.messages import compose
from app.vault.models import MailPreference, MailUnsubscribeId, Pseudonym
from app.vault.pseudonyms import accounts_behind

# What a person can be mailed about: the activity of the challenges and programmes they take
# part in, grouped as the notices are ("phases": a phase begins, reviews open or close soon,
# results are out).
MailTopic = Literal["team", "submissions", "ideas", "phases", "mentoring"]
MailChoice = Literal["immediately", "daily_digest", "off"]
MAIL_TOPICS: tuple[MailTopic, ...] = get_args(MailTopic)
MAIL_CHOICES: tuple[MailChoice, ...] = get_args(MailChoice)
DEFAULT_CHOICE: MailChoice = "immediately"


async def _owner_tag(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> str:
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        raise AccountNotFound()
    return cipher.owner_tag


async def _of_owner(db: VaultDbSession, owner_tag: str) -> dict[MailTopic, MailChoice]:
    rows = await db.execute(
        select(MailPreference.topic, MailPreference.choice).where(
            MailPreference.owner_tag == owner_tag
        )
    )
    chosen: dict[str, str] = {topic: choice for topic, choice in rows.all()}  # noqa: C416
    # The table's check constraint admits only the known choices.
    return {topic: cast(MailChoice, chosen.get(topic, DEFAULT_CHOICE)) for topic in MAIL_TOPICS}


async def preferences_of(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID
) -> dict[MailTopic, MailChoice]:
    """Every topic's choice, the default where the person chose nothing."""
    return await _of_owner(db, await _owner_tag(ctx, db, account_id))


async def set_preferences(
    ctx: VaultContext,
    db: VaultDbSession,
    account_id: uuid.UUID,
    choices: Mapping[MailTopic, MailChoice],
) -> dict[MailTopic, MailChoice]:
    """Keep the given choices (the other topics keep theirs); every topic's choice after."""
    return await _set_of_owner(db, await _owner_tag(ctx, db, account_id), choices)


async def _set_of_owner(
    db: VaultDbSession, owner_tag: str, choices: Mapping[MailTopic, MailChoice]
) -> dict[MailTopic, MailChoice]:
    topics = [topic for topic in choices if topic in MAIL_TOPICS]
    if topics:
        await db.execute(
            delete(MailPreference).where(
                MailPreference.owner_tag == owner_tag, MailPreference.topic.in_(topics)
            )
        )
        db.add_all(
            MailPreference(owner_tag=owner_tag, topic=topic, choice=choices[topic])
            for topic in topics
            # The default needs no row: fewer rows, nothing kept for who never changed it.
            if choices[topic] != DEFAULT_CHOICE
        )
        await db.flush()
    return await _of_owner(db, owner_tag)


async def forget_preferences(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> None:
    cipher = await ctx.cipher(db, account_id)
    if cipher is not None:
        await db.execute(delete(MailPreference).where(MailPreference.owner_tag == cipher.owner_tag))
        await mail_digest.forget(db, cipher.owner_tag)
        # The person's unsubscribe links stop working with the account.
        await db.execute(
            delete(MailUnsubscribeId).where(MailUnsubscribeId.owner_tag == cipher.owner_tag)
        )


# One-click unsubscribe (RFC 8058). A link's token is `<topic>.<id>.<mac>`: the topic, the
# person's random unsubscribe id (never the account id) and an HMAC over both under a key the
# vault derives, so that an id seen in one link cannot be turned into another topic's link and
# a guessed token is refused before any read.
UNSUBSCRIBE_PURPOSE = "mail-preferences:unsubscribe"


def _unsubscribe_mac(ctx: VaultContext, topic: str, unsubscribe_id: str) -> str:
    return keyed_digest(ctx.keys.derive_secret(UNSUBSCRIBE_PURPOSE), f"{topic}.{unsubscribe_id}")


async def unsubscribe_token(
    ctx: VaultContext, db: VaultDbSession, owner_tag: str, topic: MailTopic
) -> str:
    """The token of this person's unsubscribe link for the topic (the id made on first use)."""
    unsubscribe_id = await db.scalar(
        select(MailUnsubscribeId.unsubscribe_id).where(MailUnsubscribeId.owner_tag == owner_tag)
    )
    if unsubscribe_id is None:
        unsubscribe_id = secrets.token_urlsafe(16)
        db.add(MailUnsubscribeId(owner_tag=owner_tag, unsubscribe_id=unsubscribe_id))
        await db.flush()
    return f"{topic}.{unsubscribe_id}.{_unsubscribe_mac(ctx, topic, unsubscribe_id)}"


async def has_unsubscribe_id(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> bool:
    """Whether the person's unsubscribe links exist (their record says so)."""
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        return False
    found = await db.scalar(
        select(MailUnsubscribeId.owner_tag).where(MailUnsubscribeId.owner_tag == cipher.owner_tag)
    )
    return found is not None


async def unsubscribe(ctx: VaultContext, db: VaultDbSession, token: str) -> MailTopic | None:
    """Turn the token's topic off for its person; None (nothing changed) for a forged or
    altered token, or one whose person was erased."""
    topic, _, rest = token.partition(".")
    unsubscribe_id, _, mac = rest.partition(".")
    if (
        topic not in MAIL_TOPICS
        or not unsubscribe_id
        or not hmac.compare_digest(
            mac.encode(), _unsubscribe_mac(ctx, topic, unsubscribe_id).encode()
        )
    ):
        return None
    owner_tag = await db.scalar(
        select(MailUnsubscribeId.owner_tag).where(
            MailUnsubscribeId.unsubscribe_id == unsubscribe_id
        )
    )
    if owner_tag is None:
        return None
    await _set_of_owner(db, owner_tag, {topic: "off"})
    return topic


async def challenge_news(
    ctx: VaultContext,
    db: VaultDbSession,
    account_id: uuid.UUID,
    *,
    topic: MailTopic,
    challenge_title: str,
    link: str,
    dedupe_key: str,
) -> Message | None:
    """The news of a challenge for one person, in their language, with a one-click
    unsubscribe from the topic; None when they chose not to hear of it at once."""
    owner_tag = await _owner_tag(ctx, db, account_id)
    if (await _of_owner(db, owner_tag))[topic] != "immediately":
        return None
    profile = await load_profile(ctx, db, account_id)
    return compose(
        "challenge_news",
        profile.language,
        to=profile.email,
        public_url=ctx.settings.public_url,
        link=link,
        challenge_title=challenge_title,
        dedupe_key=dedupe_key,
        unsubscribe_token=await unsubscribe_token(ctx, db, owner_tag, topic),
    )


async def queue_news(
    ctx: VaultContext,
    db: VaultDbSession,
    scope_id: uuid.UUID,
    recipients: Mapping[uuid.UUID, str],
    *,
    topic: MailTopic,
    title: str,
    path: str,
) -> int:
    """For each recipient (a pseudonym of the challenge or programme `scope_id`, with the name
    of its notice for the dedupe key), in this transaction: queue the news at once, or keep it
    for the daily digest (app/vault/mail_digest.py), as the person chose for the topic; how many
    were queued at once. The mail says only that there is news in the challenge or programme
    (its title and `path` under the public URL): what the notice says (a handle, a team's name)
    stays in the app."""
    if not recipients:
        return 0
    owner_tags = dict(
        (
            await db.execute(
                select(Pseudonym.pseudonym, Pseudonym.owner_tag).where(
                    Pseudonym.challenge_id == scope_id,
                    Pseudonym.pseudonym.in_(list(recipients)),
                )
            )
        ).all()
    )
    link = f"{ctx.settings.public_url}{path}"
    # Who chose otherwise is left out before any account is looked for.
    wanted: list[uuid.UUID] = []
    for pseudonym, owner_tag in owner_tags.items():
        choice = (await _of_owner(db, owner_tag))[topic]
        if choice == "immediately":
            wanted.append(pseudonym)
        elif choice == "daily_digest":
            await mail_digest.hold(
                ctx,
                db,
                owner_tag,
                topic=topic,
                title=title,
                link=link,
                dedupe_key=recipients[pseudonym],
            )
    accounts = await accounts_behind(ctx, db, scope_id, wanted) if wanted else {}
    messages = [
        message
        for pseudonym, account_id in accounts.items()
        if (
            message := await challenge_news(
                ctx,
                db,
                account_id,
                topic=topic,
                challenge_title=title,
                link=link,
                dedupe_key=recipients[pseudonym],
            )
        )
        is not None
    ]
    await enqueue(ctx, db, messages)
    return len(messages)
