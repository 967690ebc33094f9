"""The command line, run as an operator would: in a fresh directory, through `python -m app`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def run(tmp: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CHALLENGE_")},
        "CHALLENGE_APP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/app.db",
        "CHALLENGE_VAULT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/vault.db",
        "CHALLENGE_KEY_FILE": str(tmp / "keys.json"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cli")
    result = run(tmp, "migrate")
    assert result.returncode == 0, result.stderr
    return tmp


def test_migrate_is_idempotent_and_creates_a_private_key_file(workdir: Path) -> None:
    again = run(workdir, "migrate")
    assert again.returncode == 0, again.stderr
    assert oct((workdir / "keys.json").stat().st_mode & 0o777) == "0o600"


def test_create_admin_then_rotate_keys(workdir: Path) -> None:
    created = run(
        workdir,
        "create-admin",
        "--email",
        "root@example.org",
        "--name",
        "Root",
        CHALLENGE_ADMIN_PASSWORD="a long admin password",
    )
    assert created.returncode == 0, created.stderr
    duplicate = run(
        workdir,
        "create-admin",
        "--email",
        "ROOT@example.org",
        "--name",
        "Root",
        CHALLENGE_ADMIN_PASSWORD="a long admin password",
    )
    assert duplicate.returncode == 2
    assert "already exists" in duplicate.stderr
    rotated = run(workdir, "rotate-keys")
    assert rotated.returncode == 0, rotated.stderr
    report = json.loads(rotated.stdout)
    assert report["kek_version"] == 2
    assert report["rewrapped"] >= 1
    assert json.loads((workdir / "keys.json").read_text())["current_kek"] == 2
    rewrap_only = run(workdir, "rotate-keys", "--no-new-key")
    assert json.loads(rewrap_only.stdout)["rewrapped"] == 0


def test_seed_demo_prints_sign_ins_and_is_idempotent(workdir: Path) -> None:
    first = run(workdir, "seed-demo")
    assert first.returncode == 0, first.stderr
    assert "admin@example.org" in first.stdout
    assert "four challenges" in first.stdout
    # Every page has content: one challenge per phase, and the closed one has released reviews.
    with sqlite3.connect(workdir / "app.db") as db:
        phases = sorted(phase for (phase,) in db.execute("SELECT phase FROM challenges"))
        rounds = dict(db.execute("SELECT state, redeemed_total FROM review_rounds").fetchall())
        drafts = db.execute("SELECT count(*) FROM submission_versions").fetchone()[0]
    assert phases == ["closed", "enrolment", "review", "teamwork"]
    assert rounds["closed"] >= 3 * 4  # four teams, each with at least k = 3 reviews
    assert "open" in rounds
    assert drafts > 0
    again = run(workdir, "seed-demo")
    assert again.returncode == 0
    assert "four challenges" not in again.stdout


def test_production_refuses_to_start_without_configuration(tmp_path: Path) -> None:
    result = run(tmp_path, "migrate", CHALLENGE_ENV="production")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "CHALLENGE_" in result.stderr
