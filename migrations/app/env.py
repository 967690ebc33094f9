"""Alembic environment of the app database (shared logic in app/migrations.py)."""

from app.migrations import run_env

run_env("app")
