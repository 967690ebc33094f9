"""The pair's confidential journal: notes the two members share, and nobody else reads.

The app database keeps only ciphertext: the vault seals and opens each entry under the pair's
own data key (app/vault/pairs.py) after checking, from the reader's account, that they hold one
of the pair's two pseudonyms. A lead or an admin sees that journals exist and how many entries
they hold (`progress.py`), never a word of them. Once the programme has closed, the pair may
export it and then shred it: the entries and the pair's key are deleted, and the vault asks
for an erasure epoch so that old copies of the key (backups, write-ahead logs) stop opening
too.
"""

from __future__ import annotations

import contextlib
import uuid

from app.db import AppDbSession
from app.kit.orm import utcnow
from app.mentoring import repository as repo
from app.mentoring.errors import JournalShredded, NoPair, ProgrammeWrongPhase
from app.mentoring.models import JournalEntry
from app.mentoring.pairs import PairAtWork, at_work
from app.mentoring.schemas import Journal, JournalEntryIn, JournalEntryOut, JournalExport
from app.mentoring.service import ProgrammeAccess
from app.vault import NotPairMember, PairKeyShredded


async def _shredded(db: AppDbSession, work: PairAtWork) -> bool:
    state = await repo.pair_state(db, work.pair.id)
    return state is not None and state.journal_shredded_at is not None


async def _entries(db: AppDbSession, work: PairAtWork) -> list[JournalEntryOut]:
    rows = await repo.journal_of(db, work.pair.id)
    identity = work.access.identity
    try:
        texts = await identity.vault.open_journal(
            work.members, identity.account_id, [(row.id, row.body) for row in rows]
        )
    except NotPairMember:  # the vault no longer maps the reader into this pair
        raise NoPair() from None
    except PairKeyShredded:  # the key went, and the entries' deletion did not commit
        raise JournalShredded() from None
    return [
        JournalEntryOut(
            id=row.id,
            by_me=row.author == work.me.pseudonym,
            text=texts[row.id],
            created_at=row.created_at,
        )
        for row in rows
    ]


async def read(db: AppDbSession, access: ProgrammeAccess) -> Journal:
    work = await at_work(db, access, writing=False)
    if not await _shredded(db, work):
        with contextlib.suppress(JournalShredded):
            return Journal(entries=await _entries(db, work), shredded=False)
    return Journal(entries=[], shredded=True)


async def write(db: AppDbSession, access: ProgrammeAccess, body: JournalEntryIn) -> JournalEntryOut:
    work = await at_work(db, access)
    entry_id = uuid.uuid4()
    identity = access.identity
    try:
        sealed = await identity.vault.seal_journal_entry(
            work.members, identity.account_id, entry_id, body.text
        )
    except NotPairMember:
        raise NoPair() from None
    row = JournalEntry(
        id=entry_id,
        pair_id=work.pair.id,
        author=work.me.pseudonym,
        body=sealed,
        created_at=utcnow(),
    )
    db.add(row)
    await db.flush()
    return JournalEntryOut(id=row.id, by_me=True, text=body.text, created_at=row.created_at)


async def export(db: AppDbSession, access: ProgrammeAccess) -> JournalExport:
    work = await at_work(db, access, writing=False)
    if await _shredded(db, work):
        raise JournalShredded()
    return JournalExport(
        programme_title=access.programme.title,
        exported_at=utcnow(),
        entries=await _entries(db, work),
    )


async def shred(db: AppDbSession, access: ProgrammeAccess) -> None:
    """Delete the journal for good, once the programme has closed (either member may)."""
    if access.programme.phase != "closed":
        raise ProgrammeWrongPhase("The journal is deleted at the programme's end.")
    work = await at_work(db, access, writing=False)
    state = await repo.pair_state(db, work.pair.id, create=True)
    assert state is not None
    if state.journal_shredded_at is not None:
        raise JournalShredded()
    identity = access.identity
    await identity.vault.shred_journal(work.members, identity.account_id)
    await repo.delete_journal(db, work.pair.id)
    state.journal_shredded_at = utcnow()
    await db.flush()
