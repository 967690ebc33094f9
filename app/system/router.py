"""Liveness and readiness."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.db import databases
from app.migrations import current_revision, head_revision

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: Literal["ok"]


class DatabaseReadiness(BaseModel):
    reachable: bool
    migrated: bool


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    app_database: DatabaseReadiness
    vault_database: DatabaseReadiness


@router.get("/health", response_model=Health)
async def health() -> Health:
    """Liveness: the process answers."""
    return Health(status="ok")


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
async def ready(request: Request) -> JSONResponse:
    """Readiness: both databases reachable and at the latest migration."""
    dbs = databases(request)
    checks = {}
    for name, engine, which in (
        ("app_database", dbs.app_engine, "app"),
        ("vault_database", dbs.vault_engine, "vault"),
    ):
        revision = await current_revision(engine)
        checks[name] = DatabaseReadiness(
            reachable=revision is not None,
            migrated=revision is not None and revision == head_revision(which),  # type: ignore[arg-type]
        )
    all_ready = all(check.reachable and check.migrated for check in checks.values())
    body = Readiness(status="ready" if all_ready else "not_ready", **checks)
    return JSONResponse(body.model_dump(), status_code=200 if all_ready else 503)
