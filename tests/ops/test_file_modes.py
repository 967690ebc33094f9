"""Who may read the files the service writes (issue 17, finding 6).

The databases, SQLite's `-wal` and `-shm` files, the key file and everything a backup writes
are the service user's alone: directories 0700, files 0600, whatever the process umask (the
tests run under the usual 022) and also on an installation made before this was so.
"""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings
from app.main import create_app
from app.ops.backups import backup, restore
from tests.conftest import (
    BACKEND,
    DatabaseUrls,
    client_for,
    create_test_databases,
    drop_test_databases,
    make_settings,
)

SQLITE_ONLY = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite files only")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(paths: list[Path]) -> dict[str, str]:
    return {path.name: oct(mode(path)) for path in paths}


def private(paths: list[Path]) -> dict[str, str]:
    """What `modes` should say: 0700 for directories, 0600 for files."""
    return {path.name: oct(0o700 if path.is_dir() else 0o600) for path in paths}


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def var(tmp_path: Path) -> Iterator[tuple[Path, DatabaseUrls]]:
    """A data directory that does not exist yet, and databases migrated into it (SQLite)."""
    directory = tmp_path / "srv" / "var"
    dbs = create_test_databases(directory)
    yield directory, dbs
    drop_test_databases(dbs)


def settings_for(var: Path, dbs: DatabaseUrls) -> Settings:
    # Keys from a development key file in the data directory, created at start-up.
    settings = make_settings(dbs, {}, key_file=var / "keys.json")
    return settings.model_copy(update={"keys": None})


async def _serve_and_write(settings: Settings, check_while_running: list[Path]) -> dict[str, str]:
    """Start the app, write to both databases through the API, and read modes while it runs."""
    app = create_app(settings)
    async with app.router.lifespan_context(app), client_for(app) as client:
        await client.sign_up()  # the vault
        assert (await client.get("/api/v1/challenges")).status_code == 200  # the app database
        await client.get("/api/v1/me/notifications")
        missing = [path.name for path in check_while_running if not path.exists()]
        assert missing == []
        return modes(check_while_running)


def _sqlite_files(dbs: DatabaseUrls) -> list[Path]:
    return [Path(f"{db}{suffix}") for db in dbs.sqlite_files for suffix in ("", "-wal", "-shm")]


def test_a_fresh_installation_and_its_backup_are_private(
    tmp_path: Path, var: tuple[Path, DatabaseUrls]
) -> None:
    directory, dbs = var
    settings = settings_for(directory, dbs)
    running = [directory, directory / "keys.json", *_sqlite_files(dbs)]

    assert asyncio.run(_serve_and_write(settings, running)) == private(running)
    left = [path for path in running if path.exists()]  # the last connection removes -wal
    assert modes(left) == private(left)

    # A backup into a new directory, and into an empty one made beforehand with the usual mode.
    made = tmp_path / "made-before"
    made.mkdir(mode=0o755)
    for target in (tmp_path / "backups" / "first", made):
        backup(settings, target)
        written = [target, *target.iterdir()]
        extension = "pgdump" if BACKEND == "postgres" else "sqlite"
        assert {"manifest.json", f"app.{extension}", f"vault.{extension}"} <= {
            path.name for path in written
        }
        assert modes(written) == private(written)


@SQLITE_ONLY
def test_a_restore_into_new_files_writes_them_private(
    tmp_path: Path, var: tuple[Path, DatabaseUrls]
) -> None:
    directory, dbs = var
    settings = settings_for(directory, dbs)
    asyncio.run(_serve_and_write(settings, []))
    backup(settings, tmp_path / "backup")

    elsewhere = tmp_path / "elsewhere" / "var"
    files = (elsewhere / "app.db", elsewhere / "vault.db")
    fresh = DatabaseUrls(*(f"sqlite+aiosqlite:///{path}" for path in files), files)
    restore(settings_for(elsewhere, fresh), tmp_path / "backup", force=False)
    written = [elsewhere, *elsewhere.iterdir()]
    assert modes(written) == private(written)


@SQLITE_ONLY
def test_an_installation_made_with_open_modes_is_closed_at_start(
    var: tuple[Path, DatabaseUrls],
) -> None:
    """What an installation looked like before: var/ 0755, the databases 0644."""
    directory, dbs = var
    directory.chmod(0o755)
    for path in dbs.sqlite_files:
        path.chmod(0o644)
    stale_wal = Path(f"{dbs.sqlite_files[0]}-wal")  # left behind by a killed process
    stale_wal.touch()
    stale_wal.chmod(0o644)
    settings = settings_for(directory, dbs)
    running = [directory, directory / "keys.json", *_sqlite_files(dbs)]

    assert asyncio.run(_serve_and_write(settings, running)) == private(running)
