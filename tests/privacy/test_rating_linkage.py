"""What the stored rows of anonymous ratings can say about a person (docs/privacy.md,
"Anonymous ratings"): a rating row points to nobody, and a person's issuance markers for two
lessons differ from each other and from every other value stored about them."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from fastapi import FastAPI
from sqlalchemy import Date, DateTime, select, text

from app.models import app_metadata
from app.ratings.models import RatingIssuance, RatingWallet
from app.redemption.mix import MixPolicy
from app.vault import vault_metadata
from tests.api.test_library_lessons import employee, facilitator, published_lesson
from tests.conftest import BACKEND, DatabaseUrls, client_for
from tests.privacy.test_linkage import IDENTIFYING_NAME_PARTS
from tests.privacy.test_no_plaintext_identity import dump_database_text
from tests.rating import open_wallet, rating_token, seal_wallet, take
from tests.reviewing import unb64

RATING_TABLES = (
    "ratings",
    "rating_spent_tokens",
    "rating_issuances",
    "rating_wallets",
    "rating_mix_state",
)


def test_rating_tables_cannot_hold_identities_or_times() -> None:
    for name in RATING_TABLES:
        table = app_metadata().tables[name]
        assert table.dialect_options["sqlite"]["with_rowid"] is False, name
        for column in table.columns:
            lowered = column.name.lower()
            assert not any(part in lowered for part in IDENTIFYING_NAME_PARTS), (
                f"{name}.{column.name}"
            )
            assert not isinstance(column.type, (DateTime, Date)), f"{name}.{column.name}"
            assert not column.foreign_keys, f"{name}.{column.name} points at another table"
    # What a rating names: what is rated, the question answered, the stars and the comment,
    # under a random id (a survey's answer is one such row per question).
    assert set(app_metadata().tables["ratings"].columns.keys()) == {
        "id",
        "subject_kind",
        "subject_id",
        "question",
        "stars",
        "comment",
    }


async def _every_value(app: FastAPI) -> list[tuple[str, str]]:
    """Every value of every row of both databases, as text, with its table's name."""
    found: list[tuple[str, str]] = []
    dbs = app.state.databases
    for sessions, metadata in (
        (dbs.app_sessions, app_metadata()),
        (dbs.vault_sessions, vault_metadata()),
    ):
        async with sessions() as db:
            for table in metadata.sorted_tables:
                for row in (await db.execute(select(table))).all():
                    for value in row:
                        text = value.hex() if isinstance(value, bytes) else str(value)
                        found.append((table.name, text.replace("-", "")))
    return found


async def test_one_persons_markers_differ_and_match_nothing_of_theirs(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The two ratings are written in one batch as soon as both are held.
    monkeypatch.setattr(app.state.rating_mix, "policy", MixPolicy(2, 0, 0))
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    first = await published_lesson(writer.client, title="First")
    second = await published_lesson(writer.client, title="Second")
    markers: list[str] = []
    for lesson in (first, second):
        # Notes and a quiz attempt: the person's own records of the lesson, in the vault.
        notes = await reader.client.put(
            f"/api/v1/library/lessons/{lesson['id']}/notes", json={"text": "Mine."}
        )
        assert notes.status_code == 200
        await take(reader.client, lesson)
        async with app.state.databases.app_sessions() as db:
            before = set(await db.scalars(select(RatingIssuance.marker)))
        token = await rating_token(reader.client, lesson)
        async with app.state.databases.app_sessions() as db:
            (marker,) = set(await db.scalars(select(RatingIssuance.marker))) - before
        markers.append(marker)
        async with client_for(app) as anonymous:
            sent = await anonymous.post("/api/v1/ratings", json=token.rating(4, "Good."))
            assert sent.status_code == 202
    assert markers[0] != markers[1]
    # Nothing in either database holds a marker but its own row (not the lesson index of the
    # person's learning records, not their owner tag, not a pseudonym), nor a part of one.
    for table, value in await _every_value(app):
        for marker in markers:
            if table == "rating_issuances" and value == marker:
                continue
            assert marker not in value, table
            assert len(value) < 16 or value not in marker, table
    # The ratings, once written, hold nothing of the person either.
    # (Their subject is the lesson's translation group, which the lesson's rows hold too.)
    groups = {first["translation_group"], second["translation_group"]}
    ratings = [v for table, v in await _every_value(app) if table == "ratings"]
    assert len(ratings) == 2 * 6
    theirs = {v for table, v in await _every_value(app) if table != "ratings" and len(v) >= 8}
    assert str(reader.account_id).replace("-", "") in theirs
    assert theirs & set(ratings) <= {g.replace("-", "") for g in groups}


async def _wallet_versions(app: FastAPI) -> dict[str, str]:
    """Each stored wallet's row version: PostgreSQL's xmin (the writing transaction), SQLite's
    blob (a rewrite in place would still show as a new WAL frame, which the file scan reads)."""
    async with app.state.databases.app_sessions() as db:
        if BACKEND == "postgres":
            rows = await db.execute(text("SELECT marker, xmin::text FROM rating_wallets"))
        else:
            rows = await db.execute(text("SELECT marker, blob FROM rating_wallets"))
        return {str(marker): str(version) for marker, version in rows.all()}


async def test_the_operators_files_cannot_tie_a_wallet_to_its_rating(
    app: FastAPI,
    make_client: Any,
    test_databases: DatabaseUrls,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The attack: the operator holds the app database, the vault and their WAL (and a person's
    data key, so the markers they were issued under), and wants to know which stored rating a
    wallet's token made. A wallet is filed under its issuance marker and written before the
    rating; it holds only ciphertext under a code the server never saw."""
    monkeypatch.setattr(app.state.rating_mix, "policy", MixPolicy(3, 0, 0))
    writer = await facilitator(app, make_client)
    lesson = await published_lesson(writer.client)
    url = f"/api/v1/library/lessons/{lesson['id']}/rating/wallet"
    group = lesson["translation_group"]
    secrets: list[bytes] = []
    as_sent: list[bytes] = []
    sealed: list[tuple[bytes, str]] = []
    tokens = []
    for stars in (1, 3, 5):
        rater = await employee(app, make_client)
        await take(rater.client, lesson)
        token = await rating_token(rater.client, lesson)
        assert token.token is not None
        code = os.urandom(16)
        blob = seal_wallet(code, group, [token.token])
        assert (await rater.client.put(url, json={"blob": blob})).status_code == 200
        sealed.append((code, blob))
        tokens.append((token, stars))
        signature = unb64(token.token["signature"])
        secrets += [token.prepared, signature, code]
        as_sent += [token.token["prepared_message"].encode(), token.token["signature"].encode()]
    before = await _wallet_versions(app)
    assert len(before) == 3
    async with client_for(app) as anonymous:
        for token, stars in tokens:
            sent = await anonymous.post("/api/v1/ratings", json=token.rating(stars, ""))
            assert sent.status_code == 202
    async with app.state.databases.app_sessions() as db:
        kept = [wallet.blob for wallet in await db.scalars(select(RatingWallet))]
    assert sorted(kept) == sorted(blob for _, blob in sealed)
    # Rating touched no wallet: no new row version to date it by.
    assert await _wallet_versions(app) == before

    stored = await dump_database_text(app)
    if BACKEND == "sqlite":
        for path in test_databases.sqlite_files:
            for file in (path, path.with_name(path.name + "-wal")):
                if file.exists():
                    stored += file.read_bytes()
    # Neither the token (raw, base64, hex), its signature nor the recovery code is stored
    # anywhere in the clear; the one thing a rating leaves, the spent hash, is not in a wallet.
    forms = as_sent + [f for x in secrets for f in (x, base64.b64encode(x), x.hex().encode())]
    for form in forms:
        assert form not in stored
    # Every layer of a stored wallet the operator can decode without the code (the base64, the
    # JSON envelope, the ciphertext) holds neither the token nor the spent hash its rating left.
    spent_hashes = [hashlib.sha256(token.prepared).hexdigest().encode() for token, _ in tokens]
    for blob in kept:
        outer = base64.b64decode(blob)
        inner = base64.b64decode(json.loads(outer)["ct"])
        for layer in (outer, inner):
            assert not any(form in layer for form in forms + spent_hashes)
    # Only the code opens a wallet (another person's code does not).
    with pytest.raises(InvalidTag):
        open_wallet(sealed[1][0], group, sealed[0][1])
