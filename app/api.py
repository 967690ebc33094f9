"""The router map: every router is mounted here, and nowhere else."""

from fastapi import APIRouter, FastAPI

from app.admin.router import router as admin_router
from app.auth.oidc_router import router as oidc_router
from app.auth.router import router as auth_router
from app.calendars.router import router as calendars_router
from app.challenges.router import router as challenges_router
from app.formations.router import router as formations_router
from app.home.router import router as home_router
from app.ideas.router import router as ideas_router
from app.insights.router import router as insights_router
from app.library.router import router as library_router
from app.mail.router import router as mail_router
from app.me.router import router as me_router
from app.mentoring.feedback_router import router as mentoring_feedback_router
from app.mentoring.router import router as mentoring_router
from app.notifications.router import router as notifications_router
from app.ratings.router import router as ratings_router
from app.redemption.router import router as anonymous_reviews_router
from app.reviews.router import router as reviews_router
from app.search.router import router as search_router
from app.submissions.router import router as submissions_router
from app.system.router import router as system_router
from app.teams.router import router as teams_router

API_PREFIX = "/api/v1"
# FastAPI tries routes in this order, every one before the match, on every request: the routers
# of the hot reads (app.cache's `@cached_read` routes) come right after the health check. No path
# of one router matches another's (tests/api/test_router_map.py), so the order changes nothing else.
api_routers: tuple[APIRouter, ...] = (
    system_router,
    challenges_router,
    teams_router,
    submissions_router,
    auth_router,
    oidc_router,
    me_router,
    home_router,
    admin_router,
    mail_router,
    calendars_router,
    formations_router,
    notifications_router,
    reviews_router,
    anonymous_reviews_router,
    insights_router,
    library_router,
    ratings_router,
    search_router,
    ideas_router,
    mentoring_router,
    mentoring_feedback_router,
)


def include_api(app: FastAPI) -> None:
    """Each router straight on the app, under the API's prefix. Not through one router that
    includes them all: FastAPI checks an included router's whole tree for changes each time it
    matches a request against it (twice per level), and that level would be the whole API,
    some 300 routes, on every request (docs/benchmarks.md)."""
    for router in api_routers:
        app.include_router(router, prefix=API_PREFIX)
