"""Settings refuse unsafe production configurations; development creates its key file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import Settings
from app.vault import KeyMaterialError, KeysNotConfigured, load_key_provider


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_production_refuses_default_databases() -> None:
    with pytest.raises(ValidationError, match="CHALLENGE_APP_DATABASE_URL"):
        settings(env="production")


def test_production_refuses_one_database_for_both() -> None:
    url = "postgresql+asyncpg://app@db/one"
    with pytest.raises(ValidationError, match="two different databases"):
        settings(env="production", app_database_url=url, vault_database_url=url)


def test_production_refuses_the_test_password_hash_cost() -> None:
    with pytest.raises(ValidationError, match="CHALLENGE_PASSWORD_HASH_COST"):
        settings(
            env="production",
            app_database_url="postgresql+asyncpg://a@db/app",
            vault_database_url="postgresql+asyncpg://v@db/vault",
            password_hash_cost="test",
        )
    assert settings(password_hash_cost="test").password_hash_cost == "test"


def test_production_never_creates_keys(tmp_path: Path) -> None:
    production = settings(
        env="production",
        app_database_url="postgresql+asyncpg://a@db/app",
        vault_database_url="postgresql+asyncpg://v@db/vault",
        key_file=tmp_path / "keys.json",
    )
    with pytest.raises(KeysNotConfigured):
        load_key_provider(production, create_if_missing=True)
    assert not (tmp_path / "keys.json").exists()
    assert production.sign_up_is_open is False


def test_development_creates_a_private_key_file(tmp_path: Path) -> None:
    development = settings(key_file=tmp_path / "var" / "keys.json")
    provider = load_key_provider(development, create_if_missing=True)
    assert provider.current_kek_version() == 1
    assert stat.S_IMODE((tmp_path / "var" / "keys.json").stat().st_mode) == 0o600
    assert development.sign_up_is_open is True


def test_a_readable_key_file_is_refused(tmp_path: Path) -> None:
    development = settings(key_file=tmp_path / "keys.json")
    load_key_provider(development, create_if_missing=True)
    (tmp_path / "keys.json").chmod(0o644)
    with pytest.raises(KeyMaterialError, match="chmod 600"):
        load_key_provider(development)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("cohorts", ["gen_x:1965", "boomer:1946"]),
        ("cohorts", ["nonsense"]),
        ("seniority_band_bounds", [10, 3]),
    ],
)
def test_malformed_bands_are_refused(name: str, value: object) -> None:
    with pytest.raises(ValidationError):
        settings(**{name: value})
