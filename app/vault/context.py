"""The vault's runtime context: key provider, derived secrets and the per-account cipher."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.config import Settings
from app.db import VaultDbSession
from app.vault import crypto
from app.vault.keys import KeyProvider
from app.vault.models import DataKey


def _wrap_context(account_id: uuid.UUID, key_version: int) -> bytes:
    return f"data_keys|wrapped_key|{account_id}|{key_version}".encode()


@dataclass
class VaultContext:
    keys: KeyProvider
    settings: Settings
    # For writes that must survive the request's rollback (failed sign-in attempts) or commit
    # before it (a session's last-seen time): a pool apart from the requests' (app/db.py).
    sessions: async_sessionmaker[VaultDbSession]
    email_index_key: bytes = field(init=False)
    throttle_key: bytes = field(init=False)
    csrf_key: bytes = field(init=False)
    department_tag_key: bytes = field(init=False)
    calendar_feed_key: bytes = field(init=False)

    def __post_init__(self) -> None:
        self.email_index_key = self.keys.derive_secret("blind-index:email")
        self.throttle_key = self.keys.derive_secret("throttle")
        self.csrf_key = self.keys.derive_secret("csrf")
        self.department_tag_key = self.keys.derive_secret("department-tag")
        self.calendar_feed_key = self.keys.derive_secret("calendar-feed")

    def email_index(self, email: str) -> str:
        return crypto.keyed_digest(self.email_index_key, crypto.normalise_email(email))

    async def new_cipher(self, db: VaultDbSession, account_id: uuid.UUID) -> AccountCipher:
        data_key = crypto.new_data_key()
        kek_version, wrapped = self.keys.wrap(data_key, context=_wrap_context(account_id, 1))
        db.add(
            DataKey(
                account_id=account_id, key_version=1, kek_version=kek_version, wrapped_key=wrapped
            )
        )
        return AccountCipher(account_id=account_id, data_key=data_key, key_version=1)

    async def cipher(self, db: VaultDbSession, account_id: uuid.UUID) -> AccountCipher | None:
        """The account's cipher, or None once its data key has been shredded."""
        own = db.info.get(OWN_DATA_KEY)
        if isinstance(own, OwnDataKey) and own.account_id == account_id:
            # Read with the request's session (sessions.resolve_session): no second statement.
            # Unwrapped here, on first use, like a row read now; kept for nothing longer than
            # the vault session, and dropped by an erasure in it (`forget_own_data_key`).
            if own.cipher is None:
                own.cipher = self.cipher_of(own)
            return own.cipher
        row = await db.scalar(select(DataKey).where(DataKey.account_id == account_id))
        if row is None:
            return None
        return self.cipher_of(row)

    def cipher_of(self, row: DataKey | OwnDataKey) -> AccountCipher:
        """The cipher of an account whose data key row is already loaded."""
        data_key = self.keys.unwrap(
            row.wrapped_key,
            kek_version=row.kek_version,
            context=_wrap_context(row.account_id, row.key_version),
        )
        return AccountCipher(
            account_id=row.account_id, data_key=data_key, key_version=row.key_version
        )

    def rewrap(self, row: DataKey) -> bool:
        """Re-wrap one data key under the current KEK; False if it already is."""
        current = self.keys.current_kek_version()
        if row.kek_version == current:
            return False
        context = _wrap_context(row.account_id, row.key_version)
        data_key = self.keys.unwrap(row.wrapped_key, kek_version=row.kek_version, context=context)
        row.kek_version, row.wrapped_key = self.keys.wrap(data_key, context=context)
        return True


# Marks the statements that read only the signed-in session's own rows: the session, its
# account, roles and data key, and the account's pseudonyms. The response cache holds what they
# read by `sessions.session_digests` (which digests exactly those rows) instead of by the whole
# tables' change counts, so that someone else's sign-in, join or profile edit leaves the answer
# (docs/architecture.md, "The response cache"). An execution option, not an import: the vault
# knows nothing of the cache.
OWN_SESSION_ROWS = "own_session_rows"

# Where a vault session keeps the signed-in account's data key row, read in the same statement
# as the session itself (`sessions.resolve_session`), for `VaultContext.cipher`.
OWN_DATA_KEY = "own_data_key"


@dataclass
class OwnDataKey:
    """The signed-in account's wrapped data key, as its session's statement read it."""

    account_id: uuid.UUID
    key_version: int
    kek_version: int
    wrapped_key: bytes
    cipher: AccountCipher | None = None


def is_own(db: VaultDbSession, account_id: uuid.UUID) -> bool:
    """Whether `account_id` is the account of the session this vault session resolved."""
    own = db.info.get(OWN_DATA_KEY)
    return isinstance(own, OwnDataKey) and own.account_id == account_id


def forget_own_data_key(db: VaultDbSession, account_id: uuid.UUID) -> None:
    """The account's data key is being deleted (erasure): later reads in this vault session
    must find none, as they would in the database."""
    own = db.info.get(OWN_DATA_KEY)
    if isinstance(own, OwnDataKey) and own.account_id == account_id:
        del db.info[OWN_DATA_KEY]


@dataclass(frozen=True)
class AccountCipher:
    account_id: uuid.UUID
    data_key: bytes
    key_version: int

    def seal(self, table: str, column: str, value: str | int | None) -> bytes | None:
        if value is None:
            return None
        return crypto.encrypt_field(
            self.data_key,
            str(value),
            table=table,
            column=column,
            row_id=str(self.account_id),
            key_version=self.key_version,
        )

    @cached_property
    def owner_tag(self) -> str:
        """Names this account in the pseudonym mapping (see `Pseudonym`): without the data key
        nobody can tell which rows are whose."""
        tag_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"pseudonyms:owner-tag"
        ).derive(self.data_key)
        return crypto.keyed_digest(tag_key, str(self.account_id))

    def open(self, table: str, column: str, ciphertext: bytes | None) -> str | None:
        if ciphertext is None:
            return None
        return crypto.decrypt_field(
            self.data_key, ciphertext, table=table, column=column, row_id=str(self.account_id)
        )
