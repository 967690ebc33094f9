"""`python -m app ...`: migrate, create-admin, rotate-keys, retire-key, seed-demo, teams form,
pairs match."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from collections.abc import Sequence
from typing import cast

from pydantic import ValidationError

from app import migrations
from app.config import Settings, get_settings
from app.db import Databases
from app.kit.orm import utcnow
from app.vault import (
    EmailTaken,
    KeyMaterialError,
    NewProfile,
    Vault,
    load_key_provider,
)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def migrate(settings: Settings) -> int:
    """Upgrade both databases to their latest revision (idempotent)."""
    keys = load_key_provider(settings, create_if_missing=True)
    for which, url in (("app", settings.app_database_url), ("vault", settings.vault_database_url)):
        migrations.upgrade(which, url, keys=keys)  # type: ignore[arg-type]
        print(f"{which} database: at {migrations.head_revision(which)}", file=sys.stderr)  # type: ignore[arg-type]
    return 0


async def _with_vault(settings: Settings, work: object) -> object:
    dbs = Databases.connect(settings.app_database_url, settings.vault_database_url)
    vault = Vault(
        settings, load_key_provider(settings), dbs.vault_sessions, dbs.vault_beside_sessions
    )
    try:
        return await work(vault, dbs)  # type: ignore[operator]
    finally:
        await dbs.dispose()


def create_admin(settings: Settings, args: argparse.Namespace) -> int:
    """Create an active admin account; the password comes from a prompt or the environment."""
    password = os.environ.get("CHALLENGE_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    if len(password) < 12:  # as for sign-up (NIST SP 800-63B; docs/security.md)
        return _fail("the password needs at least 12 characters")
    try:
        profile = NewProfile(display_name=args.name, email=args.email)
    except ValidationError as exc:
        return _fail("; ".join(str(err["msg"]) for err in exc.errors()))

    async def work(vault: Vault, dbs: Databases) -> None:
        async with dbs.vault_sessions.begin() as db:
            await vault.bind(db).create_account(
                profile, password=password, roles=["participant", "facilitator", "admin"]
            )

    try:
        asyncio.run(_with_vault(settings, work))
    except EmailTaken:
        return _fail("an account with this email already exists")
    print("admin account created", file=sys.stderr)
    return 0


def rotate_keys(settings: Settings, args: argparse.Namespace) -> int:
    """Add a new key-encryption key (key file only), then re-wrap every data key and re-seal
    every open round's signing keys under it. Running workers re-read a changed key file."""
    from app.admin.service import reseal_everything
    from app.vault import add_kek_version

    if args.new_key:
        if settings.keys is not None:
            return _fail(
                "keys come from CHALLENGE_KEYS: add the new KEK there (your secret manager), "
                "restart the workers, then run rotate-keys --no-new-key"
            )
        version = add_kek_version(settings.key_file)
        print(f"added key-encryption key version {version}", file=sys.stderr)

    async def work(vault: Vault, dbs: Databases) -> object:
        return await reseal_everything(vault, dbs)

    report = asyncio.run(_with_vault(settings, work))
    print(json.dumps(report.__dict__), file=sys.stdout)
    return 0


def retire_key(settings: Settings, args: argparse.Namespace) -> int:
    """Remove one old KEK version, refused while anything is still sealed under it."""
    from app.admin.service import describe, inventory
    from app.vault import retire_kek_version

    async def work(vault: Vault, dbs: Databases) -> tuple[int, dict[int, dict[str, int]]]:
        return (vault.current_kek_version(), await inventory(vault, dbs))

    started_at = utcnow()
    result = asyncio.run(_with_vault(settings, work))
    current, sealed = cast(tuple[int, dict[int, dict[str, int]]], result)
    version = args.version
    if version == current:
        return _fail(f"KEK version {version} is the current one: rotate to a new one first")
    left = describe(sealed.get(version, {}))
    if left:
        return _fail(
            f"KEK version {version} still seals {left}; run `python -m app rotate-keys "
            "--no-new-key` and retry"
        )
    if settings.keys is not None:
        print(
            f"nothing is sealed under KEK version {version}: remove it from CHALLENGE_KEYS "
            "(your secret manager), then restart the workers",
            file=sys.stderr,
        )
    else:
        retire_kek_version(settings.key_file, version)
        print(f"retired key-encryption key version {version}", file=sys.stderr)
    others = [old for old, kinds in sealed.items() if old != current and describe(kinds)]
    if settings.keys is None:
        others = [old for old in load_key_provider(settings).kek_versions() if old != current]
    if not others:
        # The last old KEK is gone (or its holder was just told to remove it): the erasures
        # and closes made before this command are now complete against old copies.
        async def settle(vault: Vault, dbs: Databases) -> None:
            await vault.settle_key_epoch(started_at)

        asyncio.run(_with_vault(settings, settle))
    return 0


def seed_demo(settings: Settings) -> int:
    """Fill a fictitious organisation and print the demo sign-ins (development only)."""
    from app.demo import DEMO_PASSWORD, demo_people, seed_challenges
    from app.demo import seed_demo as seed

    if not settings.is_development:
        return _fail("demo data is for development only (CHALLENGE_ENV=development)")

    async def work(vault: Vault, dbs: Databases) -> object:
        return await seed(vault, dbs)

    sign_ins = asyncio.run(_with_vault(settings, work))
    participants = [profile.email for profile, roles in demo_people() if roles == ["participant"]]
    print("==> demo challenges (this takes a few seconds)", file=sys.stderr)
    created = asyncio.run(
        seed_challenges(settings, "facilitator@example.org", participants, DEMO_PASSWORD)
    )
    if created:
        print("four challenges: in enrolment, teamwork, review, and closed with results")
    from app.demo.library import seed_library

    if asyncio.run(seed_library(settings, "facilitator@example.org", DEMO_PASSWORD)):
        print("the learning library: the seed lessons in three languages, and their collections")
    from app.demo.mentoring import seed_mentoring

    print("==> demo mentoring programme", file=sys.stderr)
    if asyncio.run(
        seed_mentoring(settings, "facilitator@example.org", participants, DEMO_PASSWORD)
    ):
        print("a mentoring programme, running: 40 people, pairs with plans, sessions, check-ins")
    print(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for sign_in in sign_ins:  # type: ignore[attr-defined]
        print(f"  {sign_in.email:<40} {', '.join(sign_in.roles):<22} {sign_in.description}")
    return 0


def backup_or_restore(settings: Settings, args: argparse.Namespace) -> int:
    """Both databases at once; keys are never part of a backup (the warning says where)."""
    from pathlib import Path

    from app.ops.backups import BackupError, backup, restore, warn_about_keys

    directory = Path(args.directory)
    try:
        if args.command == "backup":
            manifest = backup(settings, directory)
            print(f"backed up both databases to {directory}", file=sys.stderr)
        else:
            manifest = restore(settings, directory, force=args.force)
            print(f"restored both databases from {directory}", file=sys.stderr)
    except BackupError as exc:
        return _fail(str(exc))
    warn_about_keys(settings)
    print(json.dumps(manifest))
    return 0


def openapi(output: str | None) -> int:
    """Write the OpenAPI schema (no database or keys needed): the UI client is generated from it."""
    from app.main import create_app

    schema = json.dumps(create_app(Settings(serve_ui=False)).openapi(), indent=2, sort_keys=True)
    if output:
        with open(output, "w") as handle:
            handle.write(schema + "\n")
    else:
        print(schema)
    return 0


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m app")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="upgrade both databases")
    admin = commands.add_parser("create-admin", help="create an admin account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    rotate = commands.add_parser(
        "rotate-keys", help="re-wrap data keys and re-seal signing keys under a new KEK"
    )
    rotate.add_argument(
        "--no-new-key",
        dest="new_key",
        action="store_false",
        help="only re-wrap under the current KEK (after adding one to CHALLENGE_KEYS)",
    )
    retire = commands.add_parser(
        "retire-key", help="remove an old KEK version once nothing is sealed under it"
    )
    retire.add_argument("version", type=int, help="the KEK version to remove")
    commands.add_parser("seed-demo", help="create a fictitious demo organisation")
    schema = commands.add_parser("openapi", help="print the OpenAPI schema")
    schema.add_argument("--output", help="write to this file instead of stdout")
    backup = commands.add_parser("backup", help="back up both databases (keys excluded)")
    backup.add_argument("--to", required=True, dest="directory", help="a new, empty directory")
    restore = commands.add_parser("restore", help="restore both databases from a backup")
    restore.add_argument("--from", required=True, dest="directory", help="a backup directory")
    restore.add_argument(
        "--force", action="store_true", help="replace databases that already hold data"
    )
    teams = commands.add_parser("teams", help="team formation tools")
    teams.add_argument("action", choices=["form"])
    teams.add_argument("rest", nargs=argparse.REMAINDER)
    pairs = commands.add_parser("pairs", help="mentoring pair matching")
    pairs.add_argument("action", choices=["match"])
    pairs.add_argument("rest", nargs=argparse.REMAINDER)

    args = parser.parse_args(argv)
    if args.command == "teams":
        from app.optimiser.command import run

        return run(args.rest)
    if args.command == "pairs":
        from app.pairing.command import run as match

        # the process was started for this command: its start-up counts against the limit
        started_for_it = sys.argv[1:3] == ["pairs", "match"]
        return match(args.rest, count_process_start=started_for_it)
    if args.command == "openapi":
        return openapi(args.output)
    try:
        settings = get_settings()
    except (ValidationError, ValueError) as exc:
        return _fail(f"invalid settings: {exc}")
    try:
        if args.command == "migrate":
            return migrate(settings)
        if args.command == "create-admin":
            return create_admin(settings, args)
        if args.command == "seed-demo":
            return seed_demo(settings)
        if args.command in ("backup", "restore"):
            return backup_or_restore(settings, args)
        if args.command == "retire-key":
            return retire_key(settings, args)
        return rotate_keys(settings, args)
    except KeyMaterialError as exc:
        return _fail(str(exc))
