"""Imports every app-database model so that `AppBase.metadata` is complete (migrations, tests)."""

from sqlalchemy import MetaData

from app.challenges import models as challenges_models
from app.db import AppBase
from app.formations import models as formations_models
from app.ideas import models as ideas_models
from app.kit import ratelimit as ratelimit_models  # RateBucket
from app.library import models as library_models
from app.mentoring import models as mentoring_models
from app.notifications import models as notifications_models
from app.ratings import models as ratings_models
from app.reviews import models as reviews_models
from app.search import models as search_models
from app.submissions import models as submissions_models
from app.teams import models as teams_models

ALL_MODEL_MODULES = (
    challenges_models,
    teams_models,
    submissions_models,
    reviews_models,
    formations_models,
    notifications_models,
    ratelimit_models,
    library_models,
    mentoring_models,
    search_models,
    ideas_models,
    ratings_models,
)


def app_metadata() -> MetaData:
    return AppBase.metadata
