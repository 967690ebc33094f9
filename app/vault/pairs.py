"""Mentoring pairs, the vault's part: naming a partner by consent, and the pair's journal key.

The app database keeps a pair as two pseudonyms of one programme (a pseudonym scope, as a
challenge is). The app says which two pseudonyms form a pair; the vault never takes its word
for who is asking: the reader's own pseudonym in the scope, found from their account, must be
one of the two. So a defect in the app's authorisation cannot name someone to a stranger or
open another pair's journal.

The journal key follows the accounts' envelope scheme (`DataKey`): a random data key wrapped by
the current KEK, re-wrapped on rotation, its row deleted to shred what it sealed (and an
erasure epoch requested, so that old copies of the row stop opening too).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete

from app.db import VaultDbSession
from app.vault import crypto
from app.vault.accounts import load_profile
from app.vault.audit import record_read
from app.vault.context import VaultContext
from app.vault.epochs import request_epoch
from app.vault.errors import AccountNotFound
from app.vault.models import PairKey
from app.vault.pseudonyms import accounts_behind, find_pseudonym

JOURNAL_TABLE = "mentoring_journal_entries"
JOURNAL_COLUMN = "body"


class NotPairMember(Exception):
    """The reader holds neither pseudonym of the pair in its scope (or the pair's key names
    other members than the app says)."""


class PairKeyShredded(Exception):
    """The pair's key is gone (its journal was shredded): nothing it sealed opens any more."""


@dataclass(frozen=True, slots=True)
class PairMembers:
    """What the app knows of a pair: its id, its scope (the programme) and its two pseudonyms."""

    pair_id: uuid.UUID
    scope_id: uuid.UUID
    first: uuid.UUID
    second: uuid.UUID

    def other_than(self, pseudonym: uuid.UUID) -> uuid.UUID:
        return self.second if pseudonym == self.first else self.first


@dataclass(frozen=True, slots=True)
class PartnerName:
    display_name: str
    email: str


def _wrap_context(pair_id: uuid.UUID, key_version: int) -> bytes:
    return f"pair_keys|wrapped_key|{pair_id}|{key_version}".encode()


def _members_digest(ctx: VaultContext, members: PairMembers) -> str:
    # Order-free: either member may be named first.
    low, high = sorted((members.first, members.second))
    key = ctx.keys.derive_secret("pair-members")
    return crypto.keyed_digest(key, f"{members.scope_id}|{low}|{high}")


async def _reader_in(
    ctx: VaultContext, db: VaultDbSession, members: PairMembers, reader_id: uuid.UUID
) -> uuid.UUID:
    """The reader's own pseudonym in the pair, checked against the vault's mapping."""
    mine = await find_pseudonym(ctx, db, reader_id, members.scope_id)
    if mine is None or mine not in (members.first, members.second):
        raise NotPairMember()
    return mine


async def name_partner(
    ctx: VaultContext, db: VaultDbSession, members: PairMembers, reader_id: uuid.UUID
) -> PartnerName | None:
    """The display name and e-mail of the reader's partner, as an audited read (the partner's
    access log shows it); None if the partner's account was erased. The app asks only once
    both members agreed; this checks that the reader is one of them."""
    mine = await _reader_in(ctx, db, members, reader_id)
    partner = members.other_than(mine)
    account_of = await accounts_behind(ctx, db, members.scope_id, [partner])
    partner_account = account_of.get(partner)
    if partner_account is None:
        return None
    try:
        profile = await load_profile(ctx, db, partner_account)
    except AccountNotFound:
        return None
    await record_read(
        db,
        partner_account,
        actor_id=reader_id,
        actor_role="participant",
        action="name_pair_partner",
        reason="Your name and e-mail, shown to your mentoring partner: you both agreed",
    )
    return PartnerName(display_name=profile.display_name, email=profile.email)


async def _key_row(ctx: VaultContext, db: VaultDbSession, members: PairMembers) -> PairKey | None:
    row = await db.get(PairKey, members.pair_id)
    if row is not None and (
        row.scope_id != members.scope_id or row.members_digest != _members_digest(ctx, members)
    ):
        raise NotPairMember()
    return row


def _data_key(ctx: VaultContext, row: PairKey) -> bytes:
    return ctx.keys.unwrap(
        row.wrapped_key,
        kek_version=row.kek_version,
        context=_wrap_context(row.pair_id, row.key_version),
    )


async def seal_note(
    ctx: VaultContext,
    db: VaultDbSession,
    members: PairMembers,
    reader_id: uuid.UUID,
    *,
    entry_id: uuid.UUID,
    text: str,
) -> bytes:
    """Seal one journal entry for the pair (its key is made on the first entry)."""
    await _reader_in(ctx, db, members, reader_id)
    row = await _key_row(ctx, db, members)
    if row is None:
        data_key = crypto.new_data_key()
        kek_version, wrapped = ctx.keys.wrap(data_key, context=_wrap_context(members.pair_id, 1))
        db.add(
            PairKey(
                pair_id=members.pair_id,
                scope_id=members.scope_id,
                members_digest=_members_digest(ctx, members),
                key_version=1,
                kek_version=kek_version,
                wrapped_key=wrapped,
            )
        )
        await db.flush()
        key_version = 1
    else:
        data_key, key_version = _data_key(ctx, row), row.key_version
    return crypto.encrypt_field(
        data_key,
        text,
        table=JOURNAL_TABLE,
        column=JOURNAL_COLUMN,
        row_id=str(entry_id),
        key_version=key_version,
    )


async def open_notes(
    ctx: VaultContext,
    db: VaultDbSession,
    members: PairMembers,
    reader_id: uuid.UUID,
    sealed: list[tuple[uuid.UUID, bytes]],
) -> dict[uuid.UUID, str]:
    """Open the pair's entries (entry id, ciphertext) for one of its members."""
    await _reader_in(ctx, db, members, reader_id)
    row = await _key_row(ctx, db, members)
    if row is None:
        if sealed:
            raise PairKeyShredded()
        return {}
    data_key = _data_key(ctx, row)
    return {
        entry_id: crypto.decrypt_field(
            data_key, ciphertext, table=JOURNAL_TABLE, column=JOURNAL_COLUMN, row_id=str(entry_id)
        )
        for entry_id, ciphertext in sealed
    }


async def shred(
    ctx: VaultContext, db: VaultDbSession, members: PairMembers, reader_id: uuid.UUID
) -> bool:
    """Delete the pair's key: its journal no longer opens, here or in any copy once the
    erasure epoch requested here has destroyed the KEK that wrapped it. False: nothing to do."""
    await _reader_in(ctx, db, members, reader_id)
    if await _key_row(ctx, db, members) is None:
        return False
    await db.execute(delete(PairKey).where(PairKey.pair_id == members.pair_id))
    request_epoch(db, "erasure")
    return True


def rewrap(ctx: VaultContext, row: PairKey) -> bool:
    """Re-wrap one pair key under the current KEK; False if it already is."""
    current = ctx.keys.current_kek_version()
    if row.kek_version == current:
        return False
    context = _wrap_context(row.pair_id, row.key_version)
    data_key = ctx.keys.unwrap(row.wrapped_key, kek_version=row.kek_version, context=context)
    row.kek_version, row.wrapped_key = ctx.keys.wrap(data_key, context=context)
    return True
