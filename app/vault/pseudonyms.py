"""Per-challenge pseudonyms and the coarse attributes the app database may hold.

A pseudonym is a random UUIDv4 per (account, challenge), mapped only here, to an owner tag only
the account's data key computes (`Pseudonym`). Department names
become an HMAC under a per-challenge key: the optimiser can tell "same department" apart without
learning which, and tags from two challenges never match.

The learning library is one more scope of the same mapping (`LIBRARY_SCOPE`): the authors of
lessons and collections are kept in the app database under a pseudonym for the library, named
by the vault on display, as a challenge's facilitators are.
"""

from __future__ import annotations

import hmac
import uuid
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any, Generic, TypeVar, cast

from anyio import to_thread
from sqlalchemy import Table, bindparam, delete, select

from app.db import VaultDbSession
from app.kit.direct_select import DirectSelect
from app.kit.orm import insert_on_conflict
from app.vault.accounts import PROFILES, department_names, participant_labels
from app.vault.context import OWN_SESSION_ROWS, VaultContext, is_own
from app.vault.crypto import keyed_digest
from app.vault.errors import AccountNotFound
from app.vault.models import Account, AccountRole, DataKey, Pseudonym
from app.vault.models import Profile as ProfileRow
from app.vault.schemas import ParticipantAttributes

# The library's place in the `challenge_id` column of the mapping. A UUIDv5 (its version
# digit is 5): no challenge id, always a UUIDv4, can ever be equal to it.
LIBRARY_SCOPE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:peer-learning:library")


async def _owner_tag(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> str:
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        raise AccountNotFound()
    return cipher.owner_tag


async def pseudonym_for(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, challenge_id: uuid.UUID
) -> uuid.UUID:
    """The account's pseudonym in this challenge, created on first use."""
    pseudonym, _ = await _pseudonym_or_drawn(ctx, db, account_id, challenge_id, look_first=True)
    return pseudonym


async def _pseudonym_or_drawn(
    ctx: VaultContext,
    db: VaultDbSession,
    account_id: uuid.UUID,
    challenge_id: uuid.UUID,
    *,
    look_first: bool,
) -> tuple[uuid.UUID, bool]:
    """The account's pseudonym in this challenge, and whether it was drawn by this call.
    `look_first=False`: the caller found none a moment ago, in this transaction; the insert
    then comes first, and a read only if a concurrent request stored one meanwhile."""
    owner_tag = await _owner_tag(ctx, db, account_id)
    key = {"owner_tag": owner_tag, "challenge_id": challenge_id}
    if look_first:
        existing = await _pseudonym(db, _PSEUDONYM, key)
        if existing is not None:
            return existing, False
    # One statement, no savepoint: a concurrent request that created it first keeps its row,
    # which is then read.
    table = cast(Table, Pseudonym.__table__)
    created: uuid.UUID | None = await db.scalar(
        insert_on_conflict(db, table)
        .values(pseudonym=uuid.uuid4(), **key)
        .on_conflict_do_nothing(index_elements=["owner_tag", "challenge_id"])
        .returning(table.c.pseudonym)
    )
    if created is not None:
        return created, True
    found = await _pseudonym(db, _PSEUDONYM, key)
    assert found is not None
    return found, False


# Built once: most signed-in requests look a pseudonym up (app.kit.orm, "Statements built once").
# On the driver where the session allows it (app.kit.direct_select): every hot read runs one.
_PSEUDONYM = DirectSelect(
    select(Pseudonym.pseudonym).where(
        Pseudonym.owner_tag == bindparam("owner_tag"),
        Pseudonym.challenge_id == bindparam("challenge_id"),
    )
)
_PSEUDONYMS_OF = DirectSelect(
    select(Pseudonym.challenge_id, Pseudonym.pseudonym).where(
        Pseudonym.owner_tag == bindparam("owner_tag"), Pseudonym.challenge_id != LIBRARY_SCOPE
    )
)
# The same, for the signed-in session's own account: rows `sessions.session_digests` follows.
_OWN_PSEUDONYM = DirectSelect(_PSEUDONYM.statement.execution_options(**{OWN_SESSION_ROWS: True}))
_OWN_PSEUDONYMS_OF = DirectSelect(
    _PSEUDONYMS_OF.statement.execution_options(**{OWN_SESSION_ROWS: True})
)


async def _pseudonym(
    db: VaultDbSession, query: DirectSelect, key: dict[str, Any]
) -> uuid.UUID | None:
    rows = await query.rows(db, key)
    found: uuid.UUID | None = rows[0][0] if rows else None
    return found


async def find_pseudonym(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, challenge_id: uuid.UUID
) -> uuid.UUID | None:
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        return None
    key = {"owner_tag": cipher.owner_tag, "challenge_id": challenge_id}
    return await _pseudonym(db, _OWN_PSEUDONYM if is_own(db, account_id) else _PSEUDONYM, key)


async def forget_pseudonym(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, challenge_id: uuid.UUID
) -> None:
    """Withdrawal: the mapping goes, so a later re-join gets a fresh pseudonym."""
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        return
    await db.execute(
        delete(Pseudonym).where(
            Pseudonym.owner_tag == cipher.owner_tag, Pseudonym.challenge_id == challenge_id
        )
    )


async def forget_every_pseudonym(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID
) -> None:
    """Erasure: every mapping of the account goes (before its data key does)."""
    cipher = await ctx.cipher(db, account_id)
    if cipher is not None:
        await db.execute(delete(Pseudonym).where(Pseudonym.owner_tag == cipher.owner_tag))


async def challenges_of(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID
) -> dict[uuid.UUID, uuid.UUID]:
    """challenge id -> pseudonym, for "my challenges" (the library's pseudonym is not one)."""
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        return {}
    query = _OWN_PSEUDONYMS_OF if is_own(db, account_id) else _PSEUDONYMS_OF
    rows = await query.rows(db, {"owner_tag": cipher.owner_tag})
    return {challenge: pseudonym for challenge, pseudonym in rows}  # noqa: C416


async def accounts_behind(
    ctx: VaultContext,
    db: VaultDbSession,
    challenge_id: uuid.UUID,
    pseudonyms: Iterable[uuid.UUID],
    *,
    role: str | tuple[str, ...] | None = None,
) -> dict[uuid.UUID, uuid.UUID]:
    """pseudonym -> account, for the rare reads that go from pseudonyms to people (a formation
    run's reporting lines, naming a challenge's facilitators).

    The mapping names no account, only owner tags: this computes the tag of every account (of
    `role`, or of any of several roles, when given) and keeps those it finds, one key unwrap
    each, off the event loop.
    """
    rows = await db.execute(
        select(Pseudonym.owner_tag, Pseudonym.pseudonym).where(
            Pseudonym.challenge_id == challenge_id, Pseudonym.pseudonym.in_(list(pseudonyms))
        )
    )
    pseudonym_of = {tag: pseudonym for tag, pseudonym in rows.all()}  # noqa: C416
    if not pseudonym_of:
        return {}
    query = select(DataKey)
    if role is not None:
        roles = (role,) if isinstance(role, str) else role
        query = query.where(
            DataKey.account_id.in_(
                select(AccountRole.account_id).where(AccountRole.role.in_(roles))
            )
        )
    data_keys = list(await db.scalars(query))

    def match() -> dict[uuid.UUID, uuid.UUID]:
        found = {}
        for row in data_keys:
            tag = ctx.cipher_of(row).owner_tag
            if tag in pseudonym_of:
                found[pseudonym_of[tag]] = row.account_id
        return found

    return await to_thread.run_sync(match)


def department_tag(
    ctx: VaultContext, challenge_id: uuid.UUID, department: str | None
) -> str | None:
    if department is None:
        return None
    challenge_key = hmac.new(ctx.department_tag_key, challenge_id.bytes, sha256).digest()
    return keyed_digest(challenge_key, " ".join(department.casefold().split()))


Bucket = TypeVar("Bucket", bound=Hashable)


@dataclass(slots=True)
class DepartmentCounts(Generic[Bucket]):
    """Participants counted by department, per bucket (say, a month): counts only.

    `departments` is every department an account's profile names today, whether or not anyone
    from it is counted, so that the list itself says nothing about who took part. `former`
    counts people whose tag matches no department named today (theirs was renamed, or
    everyone has left it since)."""

    departments: list[str]
    named: dict[Bucket, Counter[str]] = field(default_factory=dict)
    not_given: Counter[Bucket] = field(default_factory=Counter)
    former: Counter[Bucket] = field(default_factory=Counter)


async def count_by_department(
    ctx: VaultContext,
    db: VaultDbSession,
    rows: Iterable[tuple[Bucket, uuid.UUID, str | None]],
) -> DepartmentCounts[Bucket]:
    """Count (bucket, challenge, department tag) rows by department name.

    The app database keeps an opaque per-challenge tag; only the vault's tag key turns a
    department name into the tag it has in a challenge. The names are tagged here, never the
    other way round, and only the counts leave: which pseudonym is in which department stays
    in this function."""
    names = await department_names(ctx, db)
    counts: DepartmentCounts[Bucket] = DepartmentCounts(departments=names)
    by_challenge: dict[uuid.UUID, dict[str, str]] = {}
    for bucket, challenge_id, tag in rows:
        if tag is None:
            counts.not_given[bucket] += 1
            continue
        if challenge_id not in by_challenge:
            by_challenge[challenge_id] = {
                department_tag(ctx, challenge_id, name) or "": name for name in names
            }
        name = by_challenge[challenge_id].get(tag)
        if name is None:
            counts.former[bucket] += 1
        else:
            counts.named.setdefault(bucket, Counter())[name] += 1
    return counts


async def participant_attributes(
    ctx: VaultContext,
    db: VaultDbSession,
    account_id: uuid.UUID,
    challenge_id: uuid.UUID,
    *,
    none_yet: bool = False,
) -> ParticipantAttributes:
    """`none_yet`: this request found no pseudonym of the account there a moment ago (in the
    same vault transaction), so one is drawn without looking again."""
    labels = await participant_labels(ctx, db, account_id)
    pseudonym, drawn = await _pseudonym_or_drawn(
        ctx, db, account_id, challenge_id, look_first=not none_yet
    )
    return ParticipantAttributes(
        pseudonym=pseudonym,
        drawn_now=drawn,
        cohort=labels.cohort,
        seniority_band=labels.seniority_band,
        department_tag=department_tag(ctx, challenge_id, labels.department),
        language=labels.language,
    )


async def _manager_of(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID
) -> uuid.UUID | None:
    cipher = await ctx.cipher(db, account_id)
    row = await db.get(ProfileRow, account_id)
    if cipher is None or row is None:
        return None
    manager_email = cipher.open(PROFILES, "manager_email", row.manager_email)
    if manager_email is None:
        return None
    index = ctx.email_index(manager_email)
    manager: uuid.UUID | None = await db.scalar(
        select(Account.id).where(Account.email_index == index)
    )
    return manager


async def reporting_pairs(
    ctx: VaultContext,
    db: VaultDbSession,
    challenge_id: uuid.UUID,
    pseudonyms: Iterable[uuid.UUID],
    *,
    levels: int = 2,
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Pairs of pseudonyms in a reporting line (direct manager, skip-level, ...) in this challenge.

    Computed for one formation run and handed over in memory; never stored in the app database.
    """
    behind = await accounts_behind(ctx, db, challenge_id, pseudonyms)
    pseudonym_of = {account: pseudonym for pseudonym, account in behind.items()}
    managers: dict[uuid.UUID, uuid.UUID | None] = {}

    async def manager(account: uuid.UUID) -> uuid.UUID | None:
        if account not in managers:
            managers[account] = await _manager_of(ctx, db, account)
        return managers[account]

    pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for account, pseudonym in pseudonym_of.items():
        above = account
        for _ in range(levels):
            next_above = await manager(above)
            if next_above is None or next_above == account:
                break
            above = next_above
            if above in pseudonym_of:
                pairs.add(tuple(sorted((pseudonym, pseudonym_of[above]))))  # type: ignore[arg-type]
    return sorted(pairs)
