"""survey key destroyed at close

Revision ID: a0022
Revises: a0021
Create Date: 2026-12-20 09:00:00

Issue 20: a programme survey's private rating key is destroyed (NULL) when the survey closes,
as a review round's keys are (docs/mentoring.md, "Feedback"). On SQLite the table is rebuilt
(WITHOUT ROWID, as a0017 made it): SQLite cannot change a column's nullability in place.
Downgrading puts an empty value where a key was destroyed: the key stays gone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a0022"
down_revision: str | None = "a0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "key_id, subject_kind, subject_id, public_key, private_key, closes_at"


def _rebuild_sqlite(private_key_nullable: bool) -> None:
    op.create_table(
        "rating_keys_rebuilt",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("private_key", sa.LargeBinary(), nullable=private_key_nullable),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "subject_kind IN ('lesson', 'idea', 'survey')",
            name=op.f("ck_rating_keys_subject_kind_known"),
        ),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_rating_keys")),
        sa.UniqueConstraint(
            "subject_kind", "subject_id", name=op.f("uq_rating_keys_subject_kind_subject_id")
        ),
        sqlite_with_rowid=False,
    )
    op.execute(f"INSERT INTO rating_keys_rebuilt ({_COLUMNS}) SELECT {_COLUMNS} FROM rating_keys")
    op.drop_table("rating_keys")
    op.rename_table("rating_keys_rebuilt", "rating_keys")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(private_key_nullable=True)
    else:
        op.alter_column("rating_keys", "private_key", existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    op.execute(
        sa.text("UPDATE rating_keys SET private_key = :empty WHERE private_key IS NULL").bindparams(
            sa.bindparam("empty", b"", type_=sa.LargeBinary())
        )
    )
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(private_key_nullable=False)
    else:
        op.alter_column(
            "rating_keys", "private_key", existing_type=sa.LargeBinary(), nullable=False
        )
