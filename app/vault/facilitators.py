"""Who facilitates a challenge, by name: finding a facilitator to add, naming the ones there are.

The app database keeps a challenge's facilitators as per-challenge pseudonyms (its creator in
`challenges.created_by`, co-facilitators in `challenge_facilitators`); only the vault maps them
back to people. A facilitator's pseudonym never acts as a participant (a challenge's
facilitators cannot join it), so naming it tells nothing about what someone did in a challenge.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.db import VaultDbSession
from app.vault.accounts import load_profile
from app.vault.audit import record_read
from app.vault.context import VaultContext
from app.vault.errors import AccountNotFound
from app.vault.models import Account, AccountRole
from app.vault.pseudonyms import LIBRARY_SCOPE, accounts_behind
from app.vault.schemas import FacilitatorIdentity

# Who sees a name that signs feedback: "the team's members", never one account (no account id
# is all zeros: they are UUIDv4).
TEAM_MEMBERS = uuid.UUID(int=0)


async def facilitator_account(
    ctx: VaultContext,
    db: VaultDbSession,
    *,
    email: str | None = None,
    account_id: uuid.UUID | None = None,
) -> uuid.UUID | None:
    """The active account with the facilitator role that has this e-mail (or id), else None.

    One answer for "no such account", "not active" and "not a facilitator": the caller refuses
    them alike.
    """
    if email is not None:
        found = await db.scalar(
            select(Account).where(Account.email_index == ctx.email_index(email))
        )
    elif account_id is not None:
        found = await db.get(Account, account_id)
    else:
        return None
    if found is None or found.status != "active":
        return None
    role = await db.get(AccountRole, (found.id, "facilitator"))
    return found.id if role is not None else None


async def name_facilitators(
    ctx: VaultContext,
    db: VaultDbSession,
    challenge_id: uuid.UUID,
    pseudonyms: list[uuid.UUID],
    *,
    reader_id: uuid.UUID,
    to_team: bool = False,
) -> list[FacilitatorIdentity]:
    """The people behind these facilitator pseudonyms of one challenge, in the order given.

    Pseudonyms of another challenge, or whose account was erased, are left out. Each identity
    shown to someone else is an audited read. `to_team`: the names sign feedback shown to a
    team's members, and the read writes nothing: an entry written as a participant reads would
    be ordered, in the vault's write-ahead log, next to that participant's own session writes,
    tying their account to the team. The facilitator's log says so once, when they sign
    (`record_team_signature`).
    """
    if not pseudonyms:
        return []
    account_of = await accounts_behind(ctx, db, challenge_id, pseudonyms, role="facilitator")
    named = []
    for pseudonym in pseudonyms:
        account_id = account_of.get(pseudonym)
        if account_id is None:
            continue
        try:
            profile = await load_profile(ctx, db, account_id)
        except AccountNotFound:
            continue
        if not to_team and account_id != reader_id:
            await record_read(
                db,
                account_id,
                actor_id=reader_id,
                actor_role="facilitator",
                action="list_challenge_facilitators",
                reason="Facilitators of a challenge, shown to a fellow facilitator",
            )
        named.append(
            FacilitatorIdentity(
                pseudonym=pseudonym,
                account_id=account_id,
                display_name=profile.display_name,
                email=profile.email,
            )
        )
    return named


async def record_team_signature(db: VaultDbSession, account_id: uuid.UUID) -> None:
    """A facilitator signed feedback to a team: their name is shown to its members from now on,
    which their access log says once, in their own request (see `name_facilitators`)."""
    await record_read(
        db,
        account_id,
        actor_id=TEAM_MEMBERS,
        actor_role="participant",
        action="sign_team_feedback",
        reason="Your name, signing feedback you gave a team, shown to its members",
    )


# Who may write in the learning library (their names sign what they write there).
LIBRARY_EDITOR_ROLES = ("facilitator", "admin")
# Who sees a name that signs a lesson: its readers, never one account (as TEAM_MEMBERS).
LIBRARY_READERS = uuid.UUID(int=0)


async def name_library_authors(
    ctx: VaultContext, db: VaultDbSession, pseudonyms: list[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The display names behind these library pseudonyms (authors and editors of lessons).

    Lessons are signed, like feedback to a team: the names are shown to every reader, and
    reading writes nothing, since an entry written as someone reads a lesson would tie, in the
    vault's write-ahead log, their account to that lesson. Authors are told once per day they
    write (`record_library_authorship`). Erased accounts are left out.
    """
    if not pseudonyms:
        return {}
    account_of = await accounts_behind(
        ctx, db, LIBRARY_SCOPE, pseudonyms, role=LIBRARY_EDITOR_ROLES
    )
    names = {}
    for pseudonym, account_id in account_of.items():
        try:
            names[pseudonym] = (await load_profile(ctx, db, account_id)).display_name
        except AccountNotFound:
            continue
    return names


async def record_library_authorship(db: VaultDbSession, account_id: uuid.UUID) -> None:
    """Someone wrote in the library: their name signs it for its readers from now on, which
    their access log says in their own request (see `name_library_authors`)."""
    await record_read(
        db,
        account_id,
        actor_id=LIBRARY_READERS,
        actor_role="participant",
        action="sign_lesson",
        reason="Your name, signing what you wrote in the learning library, shown to its readers",
    )
