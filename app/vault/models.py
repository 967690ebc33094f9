"""Vault tables: the only place where a person's identity exists.

Every personal field is an AES-256-GCM ciphertext under the account's own data key (see
crypto.py); the email also has a blind index for sign-in. Nothing outside `app.vault` may import
this module (import-linter contract).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.kit.orm import UtcDateTime, new_id, new_metadata, utcnow

ROLES = ("participant", "facilitator", "admin")
ACCOUNT_STATUSES = ("invited", "active", "disabled")


class VaultBase(DeclarativeBase):
    metadata = new_metadata()


class Account(VaultBase):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("status IN ('invited', 'active', 'disabled')", name="status_known"),
        CheckConstraint("language IN ('en', 'fr', 'es')", name="language_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    status: Mapped[str] = mapped_column(String(16))
    # HMAC-SHA256 of the normalised email under an HKDF-derived key: lookup without plaintext.
    email_index: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AccountRole(VaultBase):
    __tablename__ = "account_roles"
    __table_args__ = (
        CheckConstraint("role IN ('participant', 'facilitator', 'admin')", name="role_known"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class DataKey(VaultBase):
    """The account's data key, wrapped by a key-encryption key. Deleting it shreds the profile."""

    __tablename__ = "data_keys"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    key_version: Mapped[int] = mapped_column(Integer)
    kek_version: Mapped[int] = mapped_column(Integer)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Profile(VaultBase):
    """Encrypted personal fields, one ciphertext per column."""

    __tablename__ = "profiles"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    display_name: Mapped[bytes] = mapped_column(LargeBinary)
    email: Mapped[bytes] = mapped_column(LargeBinary)
    birth_year: Mapped[bytes | None] = mapped_column(LargeBinary)
    declared_cohort: Mapped[bytes | None] = mapped_column(LargeBinary)
    years_experience: Mapped[bytes | None] = mapped_column(LargeBinary)
    department: Mapped[bytes | None] = mapped_column(LargeBinary)
    manager_email: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Session(VaultBase):
    __tablename__ = "sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the opaque cookie token: a database dump cannot be replayed as a session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When this session's person last signed in again at the single sign-on provider to
    # confirm an action (app/vault/oidc.py, `reauthenticate`); spent by that action.
    reauthenticated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Pseudonym(VaultBase):
    """The only link between a person and what they do in one challenge.

    The person is named by an owner tag, an HMAC under a key derived from their own data key
    (`AccountCipher.owner_tag`), not by their account id: once the data key is shredded and
    the KEK that wrapped it destroyed (an erasure epoch, app/vault/epochs.py), an old copy of
    this row (a write-ahead-log frame, a backup) no longer leads to anyone.
    """

    __tablename__ = "pseudonyms"
    __table_args__ = (UniqueConstraint("owner_tag", "challenge_id"),)

    pseudonym: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    owner_tag: Mapped[str] = mapped_column(String(64), index=True)
    challenge_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)


class Invitation(VaultBase):
    __tablename__ = "invitations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EmailConfirmation(VaultBase):
    """A change waiting for its one-time code, mailed to the address concerned
    (app/vault/confirmations.py): an open sign-up (`sign_up`, the account waits as `invited`
    with its password set) or a new email for an account (`email_change`, the new address
    sealed under the account's own data key). One per account and purpose: a newer request
    replaces the older one. The code is kept only as a hash."""

    __tablename__ = "email_confirmations"
    __table_args__ = (
        UniqueConstraint("account_id", "purpose"),
        CheckConstraint("purpose IN ('sign_up', 'email_change')", name="purpose_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    new_email: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class AuditEvent(VaultBase):
    """Reads of someone's identity by someone else, readable by its subject.

    One entry per reader, kind of read (`action`) and day (UTC), with how many times it
    happened: repeated reads (an admin opening the people list six times) add to the count of
    the day's entry instead of adding entries (`app/vault/audit.py`). Append-only in spirit:
    entries are never edited or removed except by their subject's erasure; a new read only adds
    one to `count` and moves `last_occurred_at` forward.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint(
            "subject_account_id",
            "day",
            "actor_account_id",
            "actor_role",
            "action",
            name="uq_audit_events_reader_kind_day",
        ),
        CheckConstraint("count >= 1", name="count_positive"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    subject_account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    actor_account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    # The first read of the day, the latest one, the day (UTC) and how many reads there were.
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer, default=1)


class ThrottleBucket(VaultBase):
    """Fixed-window attempt counters, keyed by an HMAC (never a raw email or address)."""

    __tablename__ = "throttle_buckets"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer)


class KeyEpochRequest(VaultBase):
    """Something was destroyed (an account erased, a round's signing keys) whose old copies
    the KEK that sealed them still opens: the next erasure epoch destroys that KEK.

    Kept until an epoch that began after it is complete, so a crash in between loses nothing.
    """

    __tablename__ = "key_epoch_requests"
    __table_args__ = (
        CheckConstraint(
            "reason IN ('erasure', 'round_closed', 'survey_closed')", name="reason_known"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    reason: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LearningRecord(VaultBase):
    """A person's notes on one lesson of the learning library (`entry` 0) or one of their quiz
    attempts on it (`entry` 1, 2, ...), sealed under their own data key (app/vault/learning.py).

    Like `Pseudonym`, the row names its owner by the owner tag, not the account id, and the
    lesson by a keyed index only the owner's data key computes (the lesson id itself is inside
    the sealed payload): a copy of this table tells neither who took a lesson nor which lesson
    anyone took, nor that two people took the same one.
    """

    __tablename__ = "learning_records"
    __table_args__ = (
        UniqueConstraint("owner_tag", "lesson_index", "entry"),
        CheckConstraint("entry >= 0", name="entry_not_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    owner_tag: Mapped[str] = mapped_column(String(64), index=True)
    lesson_index: Mapped[str] = mapped_column(String(64))
    entry: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class CalendarFeed(VaultBase):
    """A person's private calendar subscription (app/vault/calendars.py): a random token whose
    keyed index finds the row, and the token itself sealed under their own data key so that
    they can copy their link again. Like `Pseudonym`, the row names its owner by the owner tag;
    it holds no date, no name and nothing a calendar client sends."""

    __tablename__ = "calendar_feeds"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    owner_tag: Mapped[str] = mapped_column(String(64), unique=True)
    token_index: Mapped[str] = mapped_column(String(64), unique=True)
    token: Mapped[bytes] = mapped_column(LargeBinary)


class OidcLink(VaultBase):
    """An account's identity at the single sign-on provider (app/vault/oidc.py): found by a
    keyed index of (issuer, subject), so that a later sign-in finds the account by the
    provider's stable subject even after the provider changed the person's e-mail, while a
    copy of the table cannot test a guessed subject. The issuer and subject themselves are
    sealed under the account's data key (they are identifiers of the person at their employer).
    One per account: linking again replaces it."""

    __tablename__ = "oidc_links"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    subject_index: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[bytes] = mapped_column(LargeBinary)
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PairKey(VaultBase):
    """A mentoring pair's data key (app/vault/pairs.py), wrapped by the KEK as an account's is
    (`DataKey`): it seals the pair's confidential journal, kept as ciphertext in the app
    database. The row names the pair's two members by a keyed digest of their pseudonyms, so
    the vault can check that whoever asks it to seal or open is one of them, without holding
    anything that leads to the people. Deleting the row shreds the journal."""

    __tablename__ = "pair_keys"

    pair_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    scope_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    members_digest: Mapped[str] = mapped_column(String(64))
    key_version: Mapped[int] = mapped_column(Integer)
    kek_version: Mapped[int] = mapped_column(Integer)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class QueuedMail(VaultBase):
    """A message waiting to be sent (app/vault/mail_queue.py): the durable queue every worker
    sends from. The message (address, subject, text) is sealed under the current KEK, so a copy
    of the file names nobody once an erasure epoch has destroyed that KEK; the row is deleted
    as soon as the message is sent or given up on. `dedupe_key` is a keyed digest that makes
    enqueueing the same notice twice a no-op; `claimed_by`/`claimed_until` is a worker's lease:
    a worker that dies mid-send leaves the row to be claimed again when the lease expires."""

    __tablename__ = "mail_queue"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    # A stable name of what it is ("sign_up_confirmation"): what logs and metrics may say.
    kind: Mapped[str] = mapped_column(String(40))
    kek_version: Mapped[int] = mapped_column(Integer)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


class MailDigestItem(VaultBase):
    """News waiting for its owner's daily digest (app/vault/mail_digest.py): one row per notice
    of a topic the person wants once a day, named by the owner tag like `MailPreference`. What
    it says (the challenge's or programme's title and link) is sealed under the current KEK like
    a queued message; `due_at` is the digest it goes with (a day's fixed hour), so no row keeps
    the time of the activity. The digest that takes the rows deletes them in the transaction
    that queues it."""

    __tablename__ = "mail_digest_items"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    owner_tag: Mapped[str] = mapped_column(String(64), index=True)
    # A keyed digest of the notice's name: the same notice twice waits once.
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    kek_version: Mapped[int] = mapped_column(Integer)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class MailPreference(VaultBase):
    """How a person wants to hear of one topic of activity by e-mail
    (app/vault/mail_preferences.py): at once, in a daily digest, or not at all. Like
    `Pseudonym`, the row names its owner by the owner tag; a topic without a row is mailed at
    once."""

    __tablename__ = "mail_preferences"
    __table_args__ = (
        UniqueConstraint("owner_tag", "topic"),
        CheckConstraint("choice IN ('immediately', 'daily_digest', 'off')", name="choice_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    owner_tag: Mapped[str] = mapped_column(String(64), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    choice: Mapped[str] = mapped_column(String(20))


class MailUnsubscribeId(VaultBase):
    """The random id a person's one-click unsubscribe links carry (RFC 8058,
    app/vault/mail_preferences.py), named by the owner tag like `MailPreference`: a link names
    neither the account nor the address, and an erasure deletes the row, so its links stop
    working."""

    __tablename__ = "mail_unsubscribe_ids"

    owner_tag: Mapped[str] = mapped_column(String(64), primary_key=True)
    unsubscribe_id: Mapped[str] = mapped_column(String(40), unique=True)


class ScimToken(VaultBase):
    """A bearer token an identity provider uses for SCIM provisioning (app/vault/scim.py): one
    per provider, named by the administrator, kept only as the SHA-256 of the token (shown
    once when made). Revoking it keeps the row, so the administration page still lists it."""

    __tablename__ = "scim_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    provider: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ScimLink(VaultBase):
    """The id an identity provider knows an account by (app/vault/scim.py): a random UUID of
    its own, so that the provider never learns the account id, which other answers of this
    service name. The given and family names the provider sent are sealed under the account's
    data key (the profile keeps one display name); erasure deletes the row."""

    __tablename__ = "scim_links"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    scim_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_id)
    given_name: Mapped[bytes | None] = mapped_column(LargeBinary)
    family_name: Mapped[bytes | None] = mapped_column(LargeBinary)
