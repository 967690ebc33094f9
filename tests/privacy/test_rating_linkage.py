"""What the stored rows of anonymous ratings can say about a person (docs/privacy.md,
"Anonymous ratings"): a rating row points to nobody, and a person's issuance markers for two
lessons differ from each other and from every other value stored about them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Date, DateTime, select

from app.models import app_metadata
from app.ratings.models import RatingIssuance
from app.redemption.mix import MixPolicy
from app.vault import vault_metadata
from tests.api.test_library_lessons import employee, facilitator, published_lesson
from tests.conftest import client_for
from tests.privacy.test_linkage import IDENTIFYING_NAME_PARTS
from tests.rating import rating_token, take

RATING_TABLES = ("ratings", "rating_spent_tokens", "rating_issuances", "rating_mix_state")


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
