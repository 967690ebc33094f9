"""vault sealed pseudonyms and key epochs

Revision ID: v0004
Revises: v0003
Create Date: 2026-12-07 12:00:00.000000

Issue 17, finding 1: an old copy of a `pseudonyms` row (a write-ahead-log frame, a backup)
named the account behind a pseudonym in plain text, so an erasure did not hold against it.
A pseudonym now names its owner by a tag, an HMAC under a key derived from the account's own
data key: once that data key is gone and the KEK that wrapped it destroyed, no copy leads to
anyone. Converting existing rows needs the key material (`python -m app migrate` and `restore`
pass it); without it a database that has pseudonyms is refused, an empty one is not.

`key_epoch_requests` remembers what the next erasure epoch must make unreadable in old copies
(app/vault/epochs.py). Like a revision, this file never imports application code: the tag and
the data-key wrapping context are spelled out here as they were when it was written.
"""

import hashlib
import hmac
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from change_count_triggers import Tracked, track, untrack
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

revision: str = "v0004"
down_revision: str | None = "v0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED: list[Tracked] = [("pseudonyms", True, None)]


def _data_keys() -> dict[uuid.UUID, bytes]:
    """Every account's data key, unwrapped with the key material the command was given."""
    keys = context.config.attributes.get("keys")
    if keys is None:
        raise RuntimeError(
            "this revision re-keys the pseudonym mapping and needs the key material: "
            "run `python -m app migrate` (CHALLENGE_KEYS or the key file)"
        )
    rows = op.get_bind().execute(
        sa.text("SELECT account_id, key_version, kek_version, wrapped_key FROM data_keys")
    )
    found = {}
    for account_id, key_version, kek_version, wrapped in rows:
        account = account_id if isinstance(account_id, uuid.UUID) else uuid.UUID(str(account_id))
        wrap_context = f"data_keys|wrapped_key|{account}|{key_version}".encode()
        found[account] = keys.unwrap(bytes(wrapped), kek_version=kek_version, context=wrap_context)
    return found


def owner_tag(data_key: bytes, account_id: uuid.UUID) -> str:
    tag_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"pseudonyms:owner-tag"
    ).derive(data_key)
    return hmac.new(tag_key, str(account_id).encode(), hashlib.sha256).hexdigest()


def _rows() -> list[sa.RowMapping]:
    return list(op.get_bind().execute(sa.text("SELECT * FROM pseudonyms")).mappings())


def _create(owner: str, *constraints: sa.Constraint) -> sa.Table:
    """The table with its owner column (`owner_tag`, or `account_id` before this revision)."""
    owner_type = sa.String(length=64) if owner == "owner_tag" else sa.Uuid()
    table = op.create_table(
        "pseudonyms",
        sa.Column("pseudonym", sa.Uuid(), nullable=False),
        sa.Column(owner, owner_type, nullable=False),
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("pseudonym", name=op.f("pk_pseudonyms")),
        sa.UniqueConstraint(
            owner, "challenge_id", name=op.f(f"uq_pseudonyms_{owner}_challenge_id")
        ),
        *constraints,
    )
    op.create_index(op.f(f"ix_pseudonyms_{owner}"), "pseudonyms", [owner])
    op.create_index(op.f("ix_pseudonyms_challenge_id"), "pseudonyms", ["challenge_id"])
    return table


def upgrade() -> None:
    old = _rows()
    data_keys = _data_keys() if old else {}
    converted = [
        {
            "pseudonym": uuid.UUID(str(row["pseudonym"])),
            "owner_tag": owner_tag(data_keys[account], account),
            "challenge_id": uuid.UUID(str(row["challenge_id"])),
        }
        for row in old
        if (account := uuid.UUID(str(row["account_id"]))) in data_keys
    ]
    untrack(TRACKED)
    op.drop_table("pseudonyms")  # with its index and unique constraint
    table = _create("owner_tag")
    if converted:
        op.bulk_insert(table, converted)
    track(TRACKED)

    op.create_table(
        "key_epoch_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason IN ('erasure', 'round_closed')",
            name=op.f("ck_key_epoch_requests_reason_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_epoch_requests")),
    )


def downgrade() -> None:
    op.drop_table("key_epoch_requests")
    old = _rows()
    data_keys = _data_keys() if old else {}
    account_of = {owner_tag(key, account): account for account, key in data_keys.items()}
    restored = [
        {
            "pseudonym": uuid.UUID(str(row["pseudonym"])),
            "account_id": account_of[row["owner_tag"]],
            "challenge_id": uuid.UUID(str(row["challenge_id"])),
        }
        for row in old
        if row["owner_tag"] in account_of
    ]
    untrack(TRACKED)
    op.drop_table("pseudonyms")
    table = _create(
        "account_id",
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_pseudonyms_account_id_accounts"),
            ondelete="CASCADE",
        ),
    )
    if restored:
        op.bulk_insert(table, restored)
    track(TRACKED)
