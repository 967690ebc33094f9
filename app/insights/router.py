"""Insights for facilitators and admins: aggregates only."""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.deps import CurrentIdentity
from app.db import AppDb
from app.errors import Unauthenticated, responses
from app.insights import service
from app.insights.errors import InsightsForbidden
from app.insights.schemas import Insights

router = APIRouter(prefix="/insights", tags=["insights"])


@router.get("", response_model=Insights, responses=responses(Unauthenticated, InsightsForbidden))
async def get_insights(identity: CurrentIdentity, db: AppDb) -> Insights:
    """Fixed breakdowns over ended months (admins: the organisation; facilitators: the
    challenges they facilitate). Every count under k is hidden (null), with complementary
    suppression; see docs/privacy.md, "Insights"."""
    return await service.insights(db, identity)
