"""Backups and restores as an operator runs them: the CLI in a fresh directory."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.cache.changes import ChangeCounts
from tests.conftest import BACKEND, POSTGRES_SERVER


def run(cwd: Path, urls: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CHALLENGE_")},
        "CHALLENGE_APP_DATABASE_URL": urls["app"],
        "CHALLENGE_VAULT_DATABASE_URL": urls["vault"],
        "CHALLENGE_KEY_FILE": str(cwd / "keys.json"),
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


async def _postgres(statement: str) -> None:
    engine = create_async_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


@pytest.fixture
def database_pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A factory of (app, vault) database URLs on the backend under test, dropped afterwards."""
    made: list[str] = []

    def make(label: str) -> dict[str, str]:
        if BACKEND != "postgres":
            return {w: f"sqlite+aiosqlite:///{tmp_path}/{label}-{w}.db" for w in ("app", "vault")}
        urls = {}
        for which in ("app", "vault"):
            name = f"challenge_backup_{label}_{which}_{uuid.uuid4().hex[:8]}"
            asyncio.run(_postgres(f'CREATE DATABASE "{name}"'))
            made.append(name)
            urls[which] = POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}"
        return urls

    yield make
    for name in made:
        asyncio.run(_postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _count(urls: dict[str, str], which: str, table: str) -> int:
    async def count() -> int:
        engine = create_async_engine(urls[which])
        async with engine.connect() as connection:
            value = (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar()
        await engine.dispose()
        return int(value or 0)

    return asyncio.run(count())


def _change_counts(urls: dict[str, str]) -> dict[str, int]:
    async def read() -> dict[str, int]:
        counts: dict[str, int] = {}
        for which, url in urls.items():
            engine = create_async_engine(url)
            async with ChangeCounts(engine) as reader:
                counts.update({f"{which}.{t}": n for t, n in (await reader.read()).items()})
            await engine.dispose()
        return counts

    return asyncio.run(read())


@pytest.mark.slow
def test_backup_then_restore_into_new_databases(tmp_path: Path, database_pair) -> None:  # type: ignore[no-untyped-def]
    live = database_pair("live")
    assert run(tmp_path, live, "migrate").returncode == 0
    seeded = run(tmp_path, live, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr

    backup = run(tmp_path, live, "backup", "--to", str(tmp_path / "backup"))
    assert backup.returncode == 0, backup.stderr
    assert "keys are not in the backup" in backup.stderr
    assert str((tmp_path / "keys.json").resolve()) in backup.stderr
    files = sorted(p.name for p in (tmp_path / "backup").iterdir())
    assert "manifest.json" in files
    assert "keys.json" not in files
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["app"]["revision"]
    assert manifest["vault"]["revision"]

    # Into fresh databases (a new machine with the same keys).
    fresh = database_pair("fresh")
    restored = run(tmp_path, fresh, "restore", "--from", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    for which, table in (("app", "challenges"), ("app", "reviews"), ("vault", "accounts")):
        assert _count(fresh, which, table) == _count(live, which, table) > 0

    # The restored vault opens with the keys: the demo seeding finds every account again.
    again = run(tmp_path, fresh, "seed-demo")
    assert again.returncode == 0, again.stderr
    assert "four challenges" not in again.stdout

    # Restoring over databases that hold data needs --force.
    refused = run(tmp_path, fresh, "restore", "--from", str(tmp_path / "backup"))
    assert refused.returncode == 2
    assert "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    before = _change_counts(fresh)
    forced = run(tmp_path, fresh, "restore", "--from", str(tmp_path / "backup"), "--force")
    assert forced.returncode == 0, forced.stderr
    # Running workers check cached answers against these counts: they only ever grow.
    after = _change_counts(fresh)
    assert before
    assert all(after[key] > count for key, count in before.items())


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path, database_pair) -> None:  # type: ignore[no-untyped-def]
    urls = database_pair("empty")
    (tmp_path / "nothing").mkdir()
    result = run(tmp_path, urls, "restore", "--from", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "manifest.json" in result.stderr
    assert "Traceback" not in result.stderr
    # And a backup needs both databases to be there and migrated.
    result = run(tmp_path, urls, "backup", "--to", str(tmp_path / "b"))
    assert result.returncode == 2


def test_sqlite_backup_is_a_consistent_copy_while_in_use(tmp_path: Path) -> None:
    """Always on SQLite, whatever backend the rest of the suite uses."""
    urls = {w: f"sqlite+aiosqlite:///{tmp_path}/{w}.db" for w in ("app", "vault")}
    assert run(tmp_path, urls, "migrate").returncode == 0
    holder = sqlite3.connect(tmp_path / "app.db")
    holder.execute("BEGIN")  # a reader keeps a transaction open, as a running service would
    result = run(tmp_path, urls, "backup", "--to", str(tmp_path / "b"))
    holder.rollback()
    holder.close()
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "b" / "app.sqlite") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
