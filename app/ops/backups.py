"""`python -m app backup --to DIR` and `python -m app restore --from DIR [--force]`.

Both databases, consistently: SQLite through its online backup API (safe while the service
runs), PostgreSQL through pg_dump / pg_restore. Keys are never written into a backup: without
them the vault cannot be decrypted, so they must be kept (and backed up) elsewhere; the command
says where they are.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import make_url

from app import migrations
from app.cache.changes import ChangeCounts, CountsUnreadable
from app.config import Settings
from app.db import create_engine, is_sqlite
from app.kit.files import FILE_MODE, private_directory, private_file, tighten
from app.vault import KeysNotConfigured, load_key_provider

Which = Literal["app", "vault"]
DATABASES: tuple[Which, ...] = ("app", "vault")
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in one line."""


@dataclass(frozen=True)
class Target:
    which: Which
    url: str

    @property
    def sqlite_path(self) -> Path:
        database = make_url(self.url).database
        if not database:
            raise BackupError(f"the {self.which} database URL names no file")
        return Path(database)

    @property
    def libpq_url(self) -> str:
        """The URL pg_dump and pg_restore understand (no SQLAlchemy driver suffix)."""
        return make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)

    def file_name(self) -> str:
        return f"{self.which}.sqlite" if is_sqlite(self.url) else f"{self.which}.pgdump"


def _targets(settings: Settings) -> list[Target]:
    return [
        Target("app", settings.app_database_url),
        Target("vault", settings.vault_database_url),
    ]


def _revision(url: str) -> str | None:
    async def read() -> str | None:
        engine = create_engine(url)
        try:
            return await migrations.current_revision(engine)
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools are needed)")
    # A fixed tool with arguments built from our own settings, never from a request. What it
    # writes (pg_dump's output) is the user's alone from the start.
    done = subprocess.run(  # noqa: S603
        [tool, *command[1:]], capture_output=True, text=True, check=False, umask=0o077
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{command[0]}: {last}")


def where_the_keys_are(settings: Settings) -> str:
    if settings.keys is not None:
        return "the keys come from CHALLENGE_KEYS (your secret manager)"
    return f"the keys are in {settings.key_file.resolve()}"


def backup(settings: Settings, directory: Path) -> dict[str, object]:
    """Copy both databases into `directory` (created; must be empty) with a manifest.

    The directory is 0700 and every file in it 0600: a backup holds what the databases hold.
    """
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: choose a new directory")
    private_directory(directory)
    if directory.stat().st_mode & 0o077:
        raise BackupError(f"{directory} cannot be made private to its owner: choose another")
    manifest: dict[str, object] = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "format": 1,
    }
    for target in _targets(settings):
        revision = _revision(target.url)
        if revision is None:
            raise BackupError(f"the {target.which} database is not reachable or not migrated")
        out = directory / target.file_name()
        private_file(out)  # created 0600 before anything is written into it
        if is_sqlite(target.url):
            with (
                closing(sqlite3.connect(target.sqlite_path)) as source,
                closing(sqlite3.connect(out)) as copy,
            ):
                source.backup(copy)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={out}", target.libpq_url])
        manifest[target.which] = {
            "file": out.name,
            "backend": "sqlite" if is_sqlite(target.url) else "postgresql",
            "revision": revision,
        }
    descriptor = os.open(directory / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(manifest, indent=2) + "\n")
    for written in directory.iterdir():  # anything a tool left beside its output
        tighten(written)
    return manifest


def _has_data(target: Target) -> bool:
    if is_sqlite(target.url):
        return target.sqlite_path.is_file() and target.sqlite_path.stat().st_size > 0
    return _revision(target.url) is not None


def restore(settings: Settings, directory: Path, *, force: bool) -> dict[str, object]:
    """Put both databases back from `directory`; refuses to overwrite data without `force`."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{directory} holds no readable {MANIFEST}") from exc
    known = {which: _known_revisions(which) for which in DATABASES}
    for target in _targets(settings):
        entry = manifest.get(target.which)
        if not isinstance(entry, dict) or not (directory / str(entry.get("file"))).is_file():
            raise BackupError(f"the backup has no {target.which} database")
        backend = "sqlite" if is_sqlite(target.url) else "postgresql"
        if entry.get("backend") != backend:
            raise BackupError(
                f"the {target.which} backup is {entry.get('backend')}, the configured database "
                f"is {backend}"
            )
        if entry.get("revision") not in known[target.which]:
            raise BackupError(
                f"the {target.which} backup was made by a newer version (revision "
                f"{entry.get('revision')}): upgrade this installation first"
            )
        if _has_data(target) and not force:
            raise BackupError(
                f"the {target.which} database already holds data: restore with --force to "
                "replace it"
            )
    # Workers that keep running hold answers checked against the change counts: the counts
    # must only grow, across the restore too (app/cache/changes.py).
    counts_before = {target.which: _change_counts(target.url) for target in _targets(settings)}
    for target in _targets(settings):
        source = directory / str(manifest[target.which]["file"])
        if is_sqlite(target.url):
            private_directory(target.sqlite_path.parent)
            private_file(target.sqlite_path)
            with (
                closing(sqlite3.connect(source)) as backup_db,
                closing(sqlite3.connect(target.sqlite_path)) as live,
            ):
                backup_db.backup(live)
        else:
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    f"--dbname={target.libpq_url}",
                    str(source),
                ]
            )
    # A backup from an older version is brought up to date like any database.
    try:
        keys = load_key_provider(settings)
    except KeysNotConfigured:
        keys = None  # a revision that needs them says so (the key file is restored apart)
    for target in _targets(settings):
        migrations.upgrade(target.which, target.url, keys=keys)
        _move_counts_past(target.url, counts_before[target.which])
    return dict(manifest)


def _change_counts(url: str) -> dict[str, int]:
    async def read() -> dict[str, int]:
        engine = create_engine(url)
        try:
            async with ChangeCounts(engine) as counts:
                return await counts.read()
        except CountsUnreadable:  # an empty or older database: nothing to carry forward
            return {}
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _move_counts_past(url: str, seen: dict[str, int]) -> None:
    async def move() -> None:
        engine = create_engine(url)
        try:
            async with ChangeCounts(engine) as counts:
                await counts.move_past(seen)
        finally:
            await engine.dispose()

    asyncio.run(move())


def _known_revisions(which: Which) -> set[str]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrations.alembic_config(which, "sqlite://"))
    return {revision.revision for revision in scripts.walk_revisions()}


def warn_about_keys(settings: Settings) -> None:
    print(
        f"warning: keys are not in the backup; {where_the_keys_are(settings)}. Keep a copy of "
        "them somewhere safe and separate: without them the vault cannot be decrypted.",
        file=sys.stderr,
    )
