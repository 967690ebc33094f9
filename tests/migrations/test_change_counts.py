"""The change counts behind the response cache (app/cache/changes.py), on the configured
backend."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.cache import changes
from app.cache.changes import ChangeCounts
from app.challenges.models import Challenge, Participant
from app.db import create_engine
from app.models import app_metadata
from app.teams.models import Team
from app.vault import vault_metadata
from app.vault.models import Account, Session
from tests.conftest import (
    BACKEND,
    DatabaseUrls,
    _postgres_admin,
    create_test_databases,
    drop_test_databases,
)
from tests.faults.test_database_away import _hide, _restore


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseUrls]:
    dbs = create_test_databases(tmp_path_factory.mktemp("changes"))
    yield dbs
    drop_test_databases(dbs)


@pytest.fixture
async def engines(fresh: DatabaseUrls) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    app_engine, vault_engine = create_engine(fresh.app_url), create_engine(fresh.vault_url)
    yield app_engine, vault_engine
    await app_engine.dispose()
    await vault_engine.dispose()


@pytest.fixture
async def counts(engines: tuple[AsyncEngine, AsyncEngine]) -> AsyncIterator[ChangeCounts]:
    async with ChangeCounts(engines[1]) as reader:
        yield reader


async def test_every_table_is_counted_or_named_untracked(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    for engine, metadata in zip(engines, (app_metadata(), vault_metadata()), strict=True):
        async with ChangeCounts(engine) as reader:
            counted = set(await reader.read())
        # The app's `scope_changes` has a count no write moves (a restore does: move_past).
        assert counted - changes.CHANGE_TABLES == (
            {t.name for t in metadata.sorted_tables} - changes.UNTRACKED
        )
    # No count, and on PostgreSQL no log row, ever says when a token was issued or redeemed.
    assert {"token_issuances", "spent_tokens", "reviews", "round_keys"} <= changes.UNTRACKED


async def _account(engine: AsyncEngine) -> uuid.UUID:
    account_id = uuid.uuid4()
    async with engine.begin() as connection:
        await connection.execute(
            insert(Account).values(
                id=account_id, email_index=uuid.uuid4().hex, status="active", language="en"
            )
        )
    return account_id


async def test_committed_changes_count_and_session_bookkeeping_does_not(
    engines: tuple[AsyncEngine, AsyncEngine], counts: ChangeCounts
) -> None:
    _, vault = engines
    start = await counts.read()
    account_id = await _account(vault)
    after_account = await counts.read()
    assert after_account["accounts"] == start["accounts"] + 1

    async with vault.connect() as connection:  # rolled back: not counted
        await connection.execute(update(Account).values(language="fr"))
        await connection.rollback()
    assert (await counts.read())["accounts"] == after_account["accounts"]

    session_id = uuid.uuid4()
    now = datetime.now(UTC)
    async with vault.begin() as connection:  # a new session, then a read touching it
        await connection.execute(
            insert(Session).values(
                id=session_id,
                account_id=account_id,
                token_hash=uuid.uuid4().hex,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(hours=1),
            )
        )
    async with vault.begin() as connection:
        await connection.execute(
            update(Session)
            .where(Session.id == session_id)
            .values(last_seen_at=now + timedelta(minutes=1))
        )
    assert (await counts.read())["sessions"] == start["sessions"]

    async with vault.begin() as connection:  # signing out is a change
        await connection.execute(delete(Session).where(Session.id == session_id))
    assert (await counts.read())["sessions"] == start["sessions"] + 1


async def test_folding_the_log_keeps_every_count(
    engines: tuple[AsyncEngine, AsyncEngine],
    counts: ChangeCounts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, vault = engines
    if vault.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL keeps a log to fold")
    monkeypatch.setattr(changes, "COMPACT_AFTER_ROWS", 2)
    start = (await counts.read())["accounts"]
    for _ in range(4):
        await _account(vault)
    assert (await counts.read())["accounts"] == start + 4  # this read folds the log
    async with vault.connect() as connection:
        left = (await connection.execute(text("SELECT count(*) FROM table_change_log"))).scalar()
    assert left == 0
    assert (await counts.read())["accounts"] == start + 4


async def test_a_reader_whose_connection_was_lost_fails_once_then_reads_again(
    fresh: DatabaseUrls, counts: ChangeCounts, tmp_path: Path
) -> None:
    before = await counts.read()
    if BACKEND == "postgres":
        database = make_url(fresh.vault_url).database
        await _postgres_admin(  # and wait (up to 5 s) until the connection is gone
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND application_name = '{changes.APPLICATION_NAME}'"
        )
        with pytest.raises(changes.CountsUnreadable):
            await counts.read()
    else:  # the file cannot be opened as a database (a volume not mounted), then is back
        database_file = Path(make_url(fresh.vault_url).database or "")
        moved = tmp_path / "vault-elsewhere.db"
        counts.close()  # an open SQLite connection keeps its file: open a new one
        _hide(database_file, moved)
        with pytest.raises(changes.CountsUnreadable):
            await counts.read()
        _restore(database_file, moved)
    assert await counts.read() == before


async def test_scope_counts_follow_a_row_between_scopes_and_survive_folding(
    engines: tuple[AsyncEngine, AsyncEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    app_engine, _ = engines
    monkeypatch.setattr(changes, "COMPACT_AFTER_ROWS", 2)
    challenge_id, first, second = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    scopes = [f"team:{first.hex}", f"team:{second.hex}", f"challenge:{challenge_id.hex}"]
    async with app_engine.begin() as connection:
        await connection.execute(
            insert(Challenge).values(
                id=challenge_id,
                title="t",
                brief="b",
                tags=[],
                track="deepen",
                team_size_min=2,
                team_size_target=3,
                team_size_max=4,
                formation_mode="optimised",
                rubric=[],
                review_k=3,
                phase="enrolment",
                published=True,
                created_by=uuid.uuid4(),
                revision=1,
            )
        )
        for team_id in (first, second):
            await connection.execute(
                insert(Team).values(id=team_id, challenge_id=challenge_id, name=team_id.hex[:8])
            )
    async with ChangeCounts(app_engine) as reader:
        start = await reader.read(scopes)
        pseudonym = uuid.uuid4()
        async with app_engine.begin() as connection:
            await connection.execute(
                insert(Participant).values(
                    pseudonym=pseudonym,
                    challenge_id=challenge_id,
                    handle="h",
                    cohort="gen_x",
                    seniority_band="lt3",
                    department_tag=None,
                    language="en",
                    team_id=first,
                )
            )
        async with app_engine.begin() as connection:  # moved to the other team
            await connection.execute(
                update(Participant).where(Participant.pseudonym == pseudonym).values(team_id=second)
            )
        moved = await reader.read(scopes)  # on PostgreSQL this read folds the logs
        after = await reader.read(scopes)
    assert after == moved
    for scope in scopes:
        key = f"participants@{scope}"
        assert moved.get(key, 0) > start.get(key, 0), key
    # Two transactions changed the challenge's participants (SQLite counts rows, not those).
    assert moved["participants@" + scopes[2]] - start.get("participants@" + scopes[2], 0) >= 2
    assert f"participants@team:{uuid.uuid4().hex}" not in moved
