"""A person's learning record: their notes on lessons and their quiz attempts, theirs alone.

The app database learns nothing of who took which lesson: each record is a `LearningRecord`
row sealed under the person's own data key, like their profile. The row names its owner by
the owner tag (as a pseudonym row does) and the lesson by a keyed index derived from the same
data key; the lesson id and everything else sit inside the sealed payload. So:

- a copy of the vault shows how many records each owner tag has, never which lessons they are
  about, nor that two people took the same lesson (their indexes of it differ);
- once the data key is shredded and the KEK that wrapped it destroyed (an erasure epoch), old
  copies of the rows open for nobody and name nobody;
- nothing here is read on anyone's behalf but the owner's: there is no reader argument.
"""

from __future__ import annotations

import json
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app.db import VaultDbSession
from app.kit.orm import utcnow
from app.vault.context import AccountCipher, VaultContext
from app.vault.crypto import keyed_digest
from app.vault.errors import AccountNotFound
from app.vault.models import LearningRecord as LearningRow
from app.vault.schemas import LearningRecord, LessonNotes, QuizAttemptRecord

LEARNING = "learning_records"
NOTES_ENTRY = 0


def _lesson_index(cipher: AccountCipher, lesson_id: uuid.UUID) -> str:
    index_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"learning:lesson-index"
    ).derive(cipher.data_key)
    return keyed_digest(index_key, str(lesson_id))


def _rating_marker(cipher: AccountCipher, subject: str) -> str:
    # Its own derived key: a marker never equals the person's lesson index or any other value
    # of theirs, and without the data key nobody can tell that two markers are one person's.
    marker_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"ratings:issuance-marker"
    ).derive(cipher.data_key)
    return keyed_digest(marker_key, subject)


async def rating_marker(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, subject: str
) -> str:
    """The person's opaque issuance marker for one rated subject ("lesson:<group>"): the app
    database stores it to give one rating token per person and subject, and it joins nothing."""
    return _rating_marker(await _cipher(ctx, db, account_id), subject)


async def _cipher(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> AccountCipher:
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        raise AccountNotFound()
    return cipher


def _seal(cipher: AccountCipher, payload: dict[str, object]) -> bytes:
    sealed = cipher.seal(LEARNING, "payload", json.dumps(payload, separators=(",", ":")))
    assert sealed is not None
    return sealed


def _open(cipher: AccountCipher, row: LearningRow) -> dict[str, object]:
    opened = cipher.open(LEARNING, "payload", row.payload)
    assert opened is not None
    payload: dict[str, object] = json.loads(opened)
    return payload


def _notes_of(payload: dict[str, object]) -> LessonNotes:
    return LessonNotes.model_validate(payload)


def _attempt_of(payload: dict[str, object]) -> QuizAttemptRecord:
    return QuizAttemptRecord.model_validate(payload)


async def _rows(
    db: VaultDbSession, cipher: AccountCipher, lesson_id: uuid.UUID | None = None
) -> list[LearningRow]:
    query = select(LearningRow).where(LearningRow.owner_tag == cipher.owner_tag)
    if lesson_id is not None:
        query = query.where(LearningRow.lesson_index == _lesson_index(cipher, lesson_id))
    return list(await db.scalars(query.order_by(LearningRow.lesson_index, LearningRow.entry)))


def _belongs_to(payload: dict[str, object], lesson_id: uuid.UUID) -> bool:
    """A sealed payload only opens for its owner, but one of the owner's payloads copied onto
    another of their rows would still open: the lesson id inside it must be the row's."""
    return payload.get("lesson_id") == str(lesson_id)


async def lesson_notes(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, lesson_id: uuid.UUID
) -> LessonNotes | None:
    cipher = await _cipher(ctx, db, account_id)
    for row in await _rows(db, cipher, lesson_id):
        payload = _open(cipher, row)
        if row.entry == NOTES_ENTRY and _belongs_to(payload, lesson_id):
            return _notes_of(payload)
    return None


async def save_lesson_notes(
    ctx: VaultContext,
    db: VaultDbSession,
    account_id: uuid.UUID,
    *,
    lesson_id: uuid.UUID,
    translation_group: uuid.UUID,
    text: str,
) -> LessonNotes:
    """Replace the person's notes on this lesson (one row per lesson, sealed anew each time)."""
    cipher = await _cipher(ctx, db, account_id)
    index = _lesson_index(cipher, lesson_id)
    row = await db.scalar(
        select(LearningRow).where(
            LearningRow.owner_tag == cipher.owner_tag,
            LearningRow.lesson_index == index,
            LearningRow.entry == NOTES_ENTRY,
        )
    )
    now = utcnow()
    first_written_at = now
    if row is not None:
        # Kept through every save, so that the learning counts (app/vault/learning_counts.py)
        # date the person's start, never their latest save: a count that moved when someone
        # saved again would tell that they are at it now.
        earlier = _notes_of(_open(cipher, row))
        first_written_at = earlier.first_written_at or earlier.updated_at
    notes = LessonNotes(
        lesson_id=lesson_id,
        translation_group=translation_group,
        text=text,
        updated_at=now,
        first_written_at=first_written_at,
    )
    sealed = _seal(cipher, notes.model_dump(mode="json"))
    if row is not None:
        row.payload = sealed
        return notes
    try:
        async with db.begin_nested():
            db.add(
                LearningRow(
                    owner_tag=cipher.owner_tag,
                    lesson_index=index,
                    entry=NOTES_ENTRY,
                    payload=sealed,
                )
            )
    except IntegrityError:  # the same person saved twice at once: the later one wins
        await db.execute(
            update(LearningRow)
            .where(
                LearningRow.owner_tag == cipher.owner_tag,
                LearningRow.lesson_index == index,
                LearningRow.entry == NOTES_ENTRY,
            )
            .values(payload=sealed)
        )
    return notes


async def add_quiz_attempt(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, attempt: QuizAttemptRecord
) -> None:
    cipher = await _cipher(ctx, db, account_id)
    index = _lesson_index(cipher, attempt.lesson_id)
    sealed = _seal(cipher, attempt.model_dump(mode="json"))
    for _ in range(3):  # two attempts sent at once draw the same number: draw again
        last = await db.scalar(
            select(func.max(LearningRow.entry)).where(
                LearningRow.owner_tag == cipher.owner_tag, LearningRow.lesson_index == index
            )
        )
        try:
            async with db.begin_nested():
                db.add(
                    LearningRow(
                        owner_tag=cipher.owner_tag,
                        lesson_index=index,
                        entry=max(last or 0, NOTES_ENTRY) + 1,
                        payload=sealed,
                    )
                )
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not number a quiz attempt")


async def quiz_attempts(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, lesson_id: uuid.UUID
) -> list[QuizAttemptRecord]:
    """The person's attempts at this lesson's quiz, oldest first."""
    cipher = await _cipher(ctx, db, account_id)
    attempts = []
    for row in await _rows(db, cipher, lesson_id):
        payload = _open(cipher, row)
        if row.entry != NOTES_ENTRY and _belongs_to(payload, lesson_id):
            attempts.append(_attempt_of(payload))
    return attempts


async def learning_record(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID
) -> LearningRecord:
    """All of the person's notes and attempts (for them: their record, export and progress)."""
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        return LearningRecord(notes=[], attempts=[])
    notes: list[LessonNotes] = []
    attempts: list[QuizAttemptRecord] = []
    for row in await _rows(db, cipher):
        payload = _open(cipher, row)
        if row.entry == NOTES_ENTRY:
            notes.append(_notes_of(payload))
        else:
            attempts.append(_attempt_of(payload))
    notes.sort(key=lambda n: n.updated_at)
    attempts.sort(key=lambda a: a.submitted_at)
    return LearningRecord(notes=notes, attempts=attempts)


async def forget_learning(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> None:
    """Erasure: every record of the account goes (before its data key, which finds them)."""
    cipher = await ctx.cipher(db, account_id)
    if cipher is not None:
        await db.execute(delete(LearningRow).where(LearningRow.owner_tag == cipher.owner_tag))
