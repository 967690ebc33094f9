"""Vault revision v0004: the pseudonym mapping names owner tags instead of account ids, and back.

Converting rows needs the key material: refused without it, done with it, reversible.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app import migrations
from app.db import Databases
from app.vault import Vault
from app.vault.context import AccountCipher
from app.vault.keys import LocalKeyProvider, new_key_document
from tests.conftest import DatabaseUrls, create_test_databases, drop_test_databases, make_settings
from tests.migrations import run


@pytest.fixture
def dbs_at_v0003(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseUrls]:
    dbs = create_test_databases(tmp_path_factory.mktemp("sealed-pseudonyms"))
    migrations.downgrade("vault", dbs.vault_url, "v0003")
    yield dbs
    drop_test_databases(dbs)


def test_pseudonyms_are_re_keyed_with_the_keys_and_back(dbs_at_v0003: DatabaseUrls) -> None:
    url = dbs_at_v0003.vault_url
    document = new_key_document()
    keys = LocalKeyProvider(document)
    accounts = [uuid.uuid4() for _ in range(2)]
    data_keys = {account: secrets.token_bytes(32) for account in accounts}
    challenge = uuid.uuid4()
    pseudonyms = {account: uuid.uuid4() for account in accounts}
    run(
        url,
        sa.text(
            "INSERT INTO accounts (id, status, email_index, language, created_at) "
            "VALUES (:id, 'active', :email_index, 'en', :created_at)"
        ).bindparams(
            sa.bindparam("id", type_=sa.Uuid()),
            sa.bindparam("created_at", type_=sa.DateTime(timezone=True)),
        ),
        [{"id": a, "email_index": a.hex * 2, "created_at": datetime.now(UTC)} for a in accounts],
    )
    wrapped = {
        a: keys.wrap(data_keys[a], context=f"data_keys|wrapped_key|{a}|1".encode())
        for a in accounts
    }
    run(
        url,
        sa.text(
            "INSERT INTO data_keys (account_id, key_version, kek_version, wrapped_key, wrapped_at) "
            "VALUES (:account_id, 1, :kek_version, :wrapped_key, :at)"
        ).bindparams(
            sa.bindparam("account_id", type_=sa.Uuid()),
            sa.bindparam("at", type_=sa.DateTime(timezone=True)),
        ),
        [
            {
                "account_id": a,
                "kek_version": wrapped[a][0],
                "wrapped_key": wrapped[a][1],
                "at": datetime.now(UTC),
            }
            for a in accounts
        ],
    )
    run(
        url,
        sa.text(
            "INSERT INTO pseudonyms (pseudonym, account_id, challenge_id) "
            "VALUES (:pseudonym, :account_id, :challenge_id)"
        ).bindparams(
            sa.bindparam("pseudonym", type_=sa.Uuid()),
            sa.bindparam("account_id", type_=sa.Uuid()),
            sa.bindparam("challenge_id", type_=sa.Uuid()),
        ),
        [
            {"pseudonym": pseudonyms[a], "account_id": a, "challenge_id": challenge}
            for a in accounts
        ],
    )

    with pytest.raises(RuntimeError, match="needs the key material"):
        migrations.upgrade("vault", url, "v0004")
    migrations.upgrade("vault", url, "v0004", keys=keys)

    rows = run(url, sa.text("SELECT * FROM pseudonyms"))
    assert "account_id" not in rows[0]
    assert {row["owner_tag"] for row in rows} == {
        AccountCipher(a, data_keys[a], 1).owner_tag for a in accounts
    }

    async def found_by_the_vault() -> dict[uuid.UUID, uuid.UUID | None]:
        settings = make_settings(dbs_at_v0003, document)
        databases = Databases.connect(settings.app_database_url, settings.vault_database_url)
        vault = Vault(settings, keys, databases.vault_sessions)
        try:
            async with databases.vault_sessions() as db:
                return {a: await vault.bind(db).find_pseudonym(a, challenge) for a in accounts}
        finally:
            await databases.dispose()

    assert asyncio.run(found_by_the_vault()) == pseudonyms

    migrations.downgrade("vault", url, "v0003", keys=keys)
    rows = run(url, sa.text("SELECT pseudonym, account_id FROM pseudonyms"))
    assert {uuid.UUID(str(r["account_id"])): uuid.UUID(str(r["pseudonym"])) for r in rows} == (
        pseudonyms
    )
    migrations.upgrade("vault", url, keys=keys)
