"""Alembic environment of the vault database (shared logic in app/migrations.py)."""

from app.migrations import run_env

run_env("vault")
